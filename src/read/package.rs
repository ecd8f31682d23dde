//! The zip package of an .xlsx, opened within bounds before calamine sees
//! it.
//!
//! A zip's directory can lie about sizes, and calamine inflates parts as it
//! parses them (a sheet twice: once for cells, once for merges). So the
//! package is opened here ([`open`]) and each XML part inflated at most
//! once (src/read/parts.rs), counting the bytes that really come out and
//! stopping at [`MAX_INFLATED_BYTES`]. The streaming reader
//! (src/read/xlsx_stream.rs) inflates the parts it reads and parses them
//! in place; when it leaves a workbook to calamine, every part is
//! inflated and the parts are
//! stored again *uncompressed* in a fresh in-memory zip that calamine reads
//! ([`Parts::repack`]). Every byte calamine parses is thereby a byte counted
//! here, and calamine's total reading is capped at [`READ_PASSES`] times the
//! repacked size by [`Budgeted`].
//!
//! Parts that are not XML (pictures, embedded objects, printer settings)
//! are dropped unread: calamine does not need them.

pub use super::parts::Parts;
use super::workbook::MAX_CELLS;
use crate::error::Error;
use std::cell::Cell;
use std::io::{Cursor, Read, Seek, SeekFrom};
use std::path::Path;
use std::rc::Rc;
use zip::ZipArchive;

/// Largest total uncompressed size of the XML parts of an .xlsx.
pub const MAX_INFLATED_BYTES: u64 = 128 * 1024 * 1024;

/// How many times over calamine may read the repacked package in all.
pub const READ_PASSES: u64 = 4;

/// Most bytes reserved for a part on the word of its declared size.
pub(super) const HINT_CAP: u64 = 256 * 1024;

/// Bytes calamine may read beyond `READ_PASSES` × size (zip directory
/// look-ups).
const READ_SLACK: u64 = 1024 * 1024;

/// Reads the zip's directory in `bytes` and lists its XML parts, none
/// inflated yet.
///
/// # Errors
/// [`Error::NotAWorkbook`] for a damaged zip or a package that is not an
/// .xlsx (an .ods or .xlsb says so).
pub fn open<'z>(bytes: &'z [u8], path: &'z Path) -> Result<Parts<'z>, Error> {
    let broken = |detail: String| Error::NotAWorkbook {
        path: path.to_path_buf(),
        detail,
    };
    let mut archive = ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        broken(format!(
            "zip 压缩结构损坏，文件可能不完整（如传输中断）或不是工作簿（{e}）"
        ))
    })?;
    refuse_other_packages(&mut archive, path)?;
    Ok(Parts::listed(bytes, path, archive))
}

/// Reads the zip in `bytes` and inflates all its XML parts, each once
/// ([`open`], then [`Parts::inflate_all`]).
///
/// # Errors
/// As [`open`] and [`Parts::inflate_all`].
#[cfg(test)]
pub fn inflate<'z>(bytes: &'z [u8], path: &'z Path) -> Result<Parts<'z>, Error> {
    let mut parts = open(bytes, path)?;
    parts.inflate_all()?;
    Ok(parts)
}

/// A Chinese reading of the zip crate's most common complaints.
pub(super) fn zip_problem(detail: &str) -> String {
    let lower = detail.to_ascii_lowercase();
    let what = if lower.contains("declared uncompressed size") {
        "实际解压大小超过 zip 中声明的大小（疑似压缩炸弹）"
    } else if lower.contains("checksum") || lower.contains("crc") {
        "校验和不符，文件已损坏"
    } else if lower.contains("unsupported") || lower.contains("compression method") {
        "使用了不支持的压缩方式"
    } else if lower.contains("password") || lower.contains("encrypt") {
        "部件已加密"
    } else if lower.contains("eof") || lower.contains("end of file") {
        "数据不完整，文件可能被截断"
    } else {
        "数据损坏"
    };
    format!("{what}（{detail}）")
}

pub(super) fn is_shared_strings(name: &str) -> bool {
    ends_with_ignoring_case(name, "sharedstrings.xml")
}

/// Parts calamine reads: XML and relationships.
pub(super) fn is_xml_part(name: &str) -> bool {
    ends_with_ignoring_case(name, ".xml") || ends_with_ignoring_case(name, ".rels")
}

/// `name` ends with `suffix` (ASCII, lower case) but for ASCII case.
fn ends_with_ignoring_case(name: &str, suffix: &str) -> bool {
    let (name, suffix) = (name.as_bytes(), suffix.as_bytes());
    name.len() >= suffix.len()
        && name
            .get(name.len() - suffix.len()..)
            .is_some_and(|end| end.eq_ignore_ascii_case(suffix))
}

/// An OpenDocument spreadsheet or an .xlsb is a zip too; say what it is.
fn refuse_other_packages(
    archive: &mut ZipArchive<Cursor<&[u8]>>,
    path: &Path,
) -> Result<(), Error> {
    let mut seen = std::collections::HashMap::new();
    for name in archive.file_names().filter_map(Result::ok) {
        let key = name.to_lowercase();
        if let Some(first) = seen.insert(key, name.to_string()) {
            return Err(Error::NotAWorkbook {
                path: path.to_path_buf(),
                detail: format!(
                    "zip 中有两个只差大小写的部件“{first}”与“{name}”（Excel 不区分大小写，无法确定应读哪一个），文件可能被篡改"
                ),
            });
        }
    }
    let names: Vec<String> = seen.into_keys().collect();
    let kind = if names.iter().any(|n| n == "content.xml")
        && names
            .iter()
            .any(|n| n == "mimetype" || n == "meta-inf/manifest.xml")
    {
        Some("OpenDocument 电子表格（.ods）")
    } else if names.iter().any(|n| n.ends_with("workbook.bin")) {
        Some("Excel 二进制工作簿（.xlsb）")
    } else if !names.iter().any(|n| n.ends_with("workbook.xml")) {
        return Err(Error::NotAWorkbook {
            path: path.to_path_buf(),
            detail: "这是 zip 压缩包，但其中没有 Excel 工作簿（缺少 workbook.xml）".into(),
        });
    } else {
        None
    };
    match kind {
        Some(kind) => Err(Error::NotAWorkbook {
            path: path.to_path_buf(),
            detail: format!("这是{kind}，请在 Excel 或 WPS 中另存为 .xlsx 后重新提交"),
        }),
        None => Ok(()),
    }
}

/// calamine reserves room for `uniqueCount` shared strings before reading
/// one; a lying count would allocate without bound. Each string takes at
/// least `<si/>` (5 bytes), so a true count is at most a fifth of the part.
///
/// calamine also keeps every string of the part, used or not; a workbook
/// may use at most [`MAX_CELLS`] of them, so a part listing more is refused
/// (an empty `<si/>` costs 5 bytes to write but 24 to keep).
pub(super) fn check_shared_strings(name: &str, part: &[u8], path: &Path) -> Result<(), Error> {
    let listed = string_items(part);
    if listed > MAX_CELLS {
        return Err(Error::TooLarge {
            path: path.to_path_buf(),
            what: format!("部件“{name}”中的共享字符串个数"),
            found: listed,
            limit: MAX_CELLS,
        });
    }
    let Some(count) = attribute_number(part, b"uniqueCount") else {
        return Ok(());
    };
    let most = u64::try_from(part.len() / 5 + 1).unwrap_or(u64::MAX);
    if count > most {
        return Err(Error::TooLarge {
            path: path.to_path_buf(),
            what: format!("部件“{name}”声明的共享字符串个数"),
            found: count,
            limit: most,
        });
    }
    Ok(())
}

/// Number of `<si>` elements (with or without a namespace prefix).
fn string_items(xml: &[u8]) -> u64 {
    let mut n: u64 = 0;
    for i in memchr::memchr_iter(b'<', xml) {
        let rest = xml.get(i + 1..).unwrap_or_default();
        let end = rest
            .iter()
            .position(|b| matches!(b, b' ' | b'>' | b'/' | b'\t' | b'\r' | b'\n'))
            .unwrap_or(rest.len());
        let name = rest.get(..end).unwrap_or_default();
        let local = name.rsplit(|b| *b == b':').next().unwrap_or_default();
        if local == b"si" {
            n += 1;
        }
    }
    n
}

/// The largest number given to `attr` anywhere in an XML part (whitespace
/// around `=` allowed, as XML allows it); values that are not digits are
/// skipped, as calamine skips them, and digits too long for `u64` count as
/// `u64::MAX`.
fn attribute_number(xml: &[u8], attr: &[u8]) -> Option<u64> {
    let mut most = None;
    for at in memchr::memmem::find_iter(xml, attr) {
        let rest = xml.get(at + attr.len()..).unwrap_or_default();
        let rest = rest.trim_ascii_start();
        let Some(rest) = rest.strip_prefix(b"=") else {
            continue;
        };
        let rest = rest.trim_ascii_start();
        let Some((&quote, value)) = rest.split_first() else {
            continue;
        };
        if quote != b'"' && quote != b'\'' {
            continue;
        }
        let end = memchr::memchr(quote, value).unwrap_or(value.len());
        let text = value.get(..end).unwrap_or_default().trim_ascii();
        let text = text.strip_prefix(b"+").unwrap_or(text);
        if text.is_empty() || !text.iter().all(u8::is_ascii_digit) {
            continue;
        }
        let n = std::str::from_utf8(text)
            .ok()
            .and_then(|t| t.parse::<u64>().ok())
            .unwrap_or(u64::MAX);
        most = Some(most.map_or(n, |m: u64| m.max(n)));
    }
    most
}

/// A reader that fails once more than its budget of bytes has been read
/// through it, and remembers that it did.
pub struct Budgeted<R> {
    inner: R,
    left: u64,
    /// Set when the budget ran out.
    pub exhausted: Rc<Cell<bool>>,
}

impl<R> Budgeted<R> {
    /// A reader allowed `READ_PASSES` × `size` bytes (plus a little for
    /// directory look-ups).
    pub fn new(inner: R, size: u64) -> Self {
        Budgeted {
            inner,
            left: size.saturating_mul(READ_PASSES).saturating_add(READ_SLACK),
            exhausted: Rc::new(Cell::new(false)),
        }
    }
}

impl<R: Read> Read for Budgeted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 && !buf.is_empty() {
            self.exhausted.set(true);
            return Err(std::io::Error::other("读取量超出上限"));
        }
        let want = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(buf.get_mut(..want).unwrap_or_default())?;
        self.left = self
            .left
            .saturating_sub(u64::try_from(n).unwrap_or(u64::MAX));
        Ok(n)
    }
}

impl<R: Seek> Seek for Budgeted<R> {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        self.inner.seek(pos)
    }
}

/// A xorshift sequence from `seed`, for tests that change bytes at random.
#[cfg(test)]
pub(super) fn pseudo_random(mut seed: u64) -> impl FnMut() -> usize {
    move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        usize::try_from(seed % 1_000_000_007).unwrap_or_default()
    }
}

/// `bytes` with one to three bytes set at random by `rnd` (tests of
/// damaged files).
#[cfg(test)]
pub(super) fn with_bytes_changed(bytes: &[u8], rnd: &mut impl FnMut() -> usize) -> Vec<u8> {
    let mut bytes = bytes.to_vec();
    for _ in 0..1 + rnd() % 3 {
        let at = rnd() % bytes.len();
        if let Some(b) = bytes.get_mut(at) {
            *b = u8::try_from(rnd() % 256).unwrap_or_default();
        }
    }
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    use zip::{CompressionMethod, ZipWriter};

    fn zip_of(parts: &[(&str, &[u8])], method: CompressionMethod) -> Vec<u8> {
        let mut w = ZipWriter::new(Cursor::new(Vec::new()));
        let opts = SimpleFileOptions::default().compression_method(method);
        for (name, data) in parts {
            w.start_file(*name, opts).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    /// Sets a little-endian u32 at `offset` after every occurrence of a
    /// zip header signature.
    fn patch(bytes: &mut [u8], signature: &[u8; 4], offset: usize, value: u32) {
        let at: Vec<usize> = (0..bytes.len() - 4)
            .filter(|i| &bytes[*i..*i + 4] == signature)
            .collect();
        for i in at {
            bytes[i + offset..i + offset + 4].copy_from_slice(&value.to_le_bytes());
        }
    }

    #[test]
    fn deflated_parts_inflate_as_the_zip_crate_inflates_them() {
        let big: Vec<u8> = (0..700_000u32)
            .flat_map(|i| (i % 251).to_le_bytes())
            .collect();
        let parts: [(&str, &[u8]); 3] = [
            ("xl/workbook.xml", b"<workbook/>"),
            ("xl/empty.xml", b""),
            ("xl/worksheets/sheet1.xml", &big),
        ];
        let bytes = zip_of(&parts, CompressionMethod::Deflated);
        let inflated = inflate(&bytes, Path::new("a.xlsx")).unwrap();
        for (name, data) in parts {
            assert_eq!(inflated.get(name), Ok(Some(data)), "{name}");
        }
    }

    #[test]
    fn a_part_that_does_not_inflate_as_declared_is_refused_as_before() {
        let parts: [(&str, &[u8]); 1] = [("xl/workbook.xml", &[b'x'; 5000])];
        let good = zip_of(&parts, CompressionMethod::Deflated);
        // A wrong checksum, in the local header and the directory.
        let mut bad = good.clone();
        patch(&mut bad, b"PK\x03\x04", 14, 0x1234_5678);
        patch(&mut bad, b"PK\x01\x02", 16, 0x1234_5678);
        let err = inflate(&bad, Path::new("a.xlsx")).unwrap_err().to_string();
        assert!(err.contains("校验和不符"), "{err}");
        // Declared smaller than it inflates.
        let mut bad = good.clone();
        patch(&mut bad, b"PK\x03\x04", 22, 100);
        patch(&mut bad, b"PK\x01\x02", 24, 100);
        let err = inflate(&bad, Path::new("a.xlsx")).unwrap_err().to_string();
        assert!(err.contains("解压失败"), "{err}");
        // Cut short.
        let mut bad = good;
        let at = bad.len() / 3;
        bad.drain(at..at + 10);
        assert!(inflate(&bad, Path::new("a.xlsx")).is_err());
    }

    /// The XML parts as the zip crate alone inflates them, or `None` when
    /// it refuses one.
    fn by_the_zip_crate(bytes: &[u8]) -> Option<Vec<(String, Vec<u8>)>> {
        let mut z = ZipArchive::new(Cursor::new(bytes)).ok()?;
        let mut out = Vec::new();
        for i in 0..z.len() {
            let mut f = z.by_index(i).ok()?;
            let name = f.name().ok()?.into_owned();
            if f.is_dir() || !is_xml_part(&name) {
                continue;
            }
            let mut data = Vec::new();
            f.read_to_end(&mut data).ok()?;
            out.push((name, data));
        }
        Some(out)
    }

    /// Bytes of the sample changed at random (most land in deflated data):
    /// whatever the inflater takes, the zip crate inflates the same way,
    /// and what the zip crate refuses is refused.
    #[test]
    fn mutated_packages_inflate_as_the_zip_crate_inflates_them() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let sample = std::fs::read(root.join("samples/shuozhou-investment-2025.xlsx")).unwrap();
        let mut rnd = pseudo_random(0x2545_f491_4f6c_dd1d);
        let (mut same, mut refused) = (0, 0);
        for _ in 0..300 {
            let bytes = with_bytes_changed(&sample, &mut rnd);
            let expected = by_the_zip_crate(&bytes);
            match inflate(&bytes, Path::new("m.xlsx")) {
                Ok(parts) => {
                    let expected = expected.expect("the zip crate refuses what was inflated");
                    let got = parts.inflated();
                    assert!(got == expected, "parts differ");
                    same += 1;
                }
                Err(e) => {
                    // Refused for inflating only where the zip crate refuses.
                    let e = e.to_string();
                    assert!(expected.is_none() || !e.contains("解压失败"), "{e}");
                    refused += 1;
                }
            }
        }
        // Most changes break a part's checksum; some land where nothing is
        // checked (a file comment, a time stamp) and both read the same.
        assert!(same > 5 && refused > 100, "{same} {refused}");
    }

    #[test]
    fn repacks_xml_parts_stored_and_drops_pictures() {
        let bytes = zip_of(
            &[
                ("xl/workbook.xml", b"<workbook/>"),
                ("xl/media/image1.png", b"\x89PNG"),
            ],
            CompressionMethod::Deflated,
        );
        let out = inflate(&bytes, Path::new("a.xlsx"))
            .and_then(|p| p.repack())
            .unwrap();
        let mut z = ZipArchive::new(Cursor::new(out)).unwrap();
        assert_eq!(z.len(), 1);
        let f = z.by_index(0).unwrap();
        assert_eq!(f.compression(), CompressionMethod::Stored);
        assert_eq!(f.name().unwrap(), "xl/workbook.xml");
    }

    #[test]
    fn ods_and_xlsb_are_named() {
        let ods = zip_of(
            &[
                (
                    "mimetype",
                    b"application/vnd.oasis.opendocument.spreadsheet",
                ),
                ("content.xml", b"<x/>"),
            ],
            CompressionMethod::Stored,
        );
        let err = inflate(&ods, Path::new("a.xlsx")).unwrap_err().to_string();
        assert!(err.contains(".ods") && err.contains("a.xlsx"), "{err}");
        let xlsb = zip_of(&[("xl/workbook.bin", b"")], CompressionMethod::Stored);
        let err = inflate(&xlsb, Path::new("b.xlsx")).unwrap_err().to_string();
        assert!(err.contains(".xlsb"), "{err}");
    }

    #[test]
    fn a_lying_shared_string_count_is_refused() {
        let bytes = zip_of(
            &[
                ("xl/workbook.xml", b"<workbook/>"),
                (
                    "xl/sharedStrings.xml",
                    b"<sst uniqueCount=\"999999999999\"><si><t>a</t></si></sst>",
                ),
            ],
            CompressionMethod::Deflated,
        );
        let err = inflate(&bytes, Path::new("s.xlsx")).unwrap_err();
        assert!(matches!(err, Error::TooLarge { .. }), "{err}");
    }

    #[test]
    fn shared_string_items_are_counted() {
        assert_eq!(
            string_items(b"<sst><si><t>a</t></si><si/><x:si >b</x:si><sign/></sst>"),
            3
        );
    }

    #[test]
    fn the_budget_stops_reading() {
        let mut r = Budgeted::new(Cursor::new(vec![0u8; 10]), 0);
        r.left = 4;
        let mut buf = [0u8; 8];
        assert_eq!(r.read(&mut buf).unwrap(), 4);
        assert!(r.read(&mut buf).is_err());
        assert!(r.exhausted.get());
    }
}
