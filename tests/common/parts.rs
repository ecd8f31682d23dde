//! The parts of an .xlsx package as text: read, changed and written back
//! (for fixtures a program other than Excel would write, and for comparing
//! a workbook with its annotated copy part by part).

use std::io::{Read, Write};
use std::path::Path;

/// Every part of the package at `path`, by name, in zip order.
pub fn read_parts(path: &Path) -> Vec<(String, Vec<u8>)> {
    let bytes = std::fs::read(path).expect("read package");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).expect("part");
            let mut data = Vec::new();
            f.read_to_end(&mut data).expect("inflate");
            (f.name().expect("name").to_string(), data)
        })
        .collect()
}

/// The part named `name` as text.
pub fn part_text(parts: &[(String, Vec<u8>)], name: &str) -> String {
    parts
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, d)| String::from_utf8_lossy(d).into_owned())
        .unwrap_or_default()
}

/// Writes `parts` as a package at `path` (deflated).
pub fn write_parts(path: &Path, parts: &[(String, Vec<u8>)]) {
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for (name, data) in parts {
        out.start_file(name.as_str(), options).expect("start part");
        out.write_all(data).expect("write part");
    }
    let bytes = out.finish().expect("finish").into_inner();
    std::fs::write(path, bytes).expect("write package");
}

/// The worksheet XML with every formula's saved result removed, as
/// openpyxl saves a workbook it filled: `<c …><f>…</f><v></v></c>`.
pub fn without_results(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(i) = rest.find("</f>") {
        let (head, tail) = rest.split_at(i + 4);
        out.push_str(head);
        rest = tail;
        if let Some(v) = rest.strip_prefix("<v>") {
            if let Some(end) = v.find("</v>") {
                out.push_str("<v></v>");
                rest = &v[end + 4..];
            }
        }
    }
    out.push_str(rest);
    // Text results are typed `t="str"`; openpyxl writes formulas untyped.
    out.replace(r#" t="str"><f>"#, "><f>")
}

/// Every sheet part of the package at `path` rewritten without formula
/// results, into `out`.
pub fn strip_results(path: &Path, out: &Path) {
    let parts: Vec<(String, Vec<u8>)> = read_parts(path)
        .into_iter()
        .map(|(name, data)| {
            if name.starts_with("xl/worksheets/sheet") {
                let text = without_results(&String::from_utf8_lossy(&data));
                (name, text.into_bytes())
            } else {
                (name, data)
            }
        })
        .collect();
    write_parts(out, &parts);
}
