//! The reader against crafted input (issue #13, items 1, 3, 7 and 8):
//! merges clipped and bounded, only regular files read and counted by the
//! bytes read, numbers read strictly, package tricks refused, JSON models
//! bounded. Each bound is tested at the limit and one past it.

mod common;

use budgetkit::model::parse_amount;
use budgetkit::read::{
    read_path, sheets_from_bytes, Sheet, Span, MAX_CELLS, MAX_FILE_BYTES, MAX_JSON_BYTES,
    MAX_MERGED_CELLS, MAX_MERGES, MAX_XLS_GRID_CELLS, YEARS,
};
use budgetkit::spec::Template;
use budgetkit::Error;
use common::bend::{amount_cells, read_model, Book, Val};
use common::wrap::{biff_sheet, record, xls_from_stream, xlsx_from_sheet};
use common::*;
use rust_decimal::Decimal;
use std::io::Write;
use std::path::Path;
use std::process::Command;

/// A worksheet part holding numeric cells at `cells` (0-based) and the
/// merges `refs`, then `extra` markup before the end.
fn sheet_xml(cells: &[(u32, u32)], refs: &[String], extra: &str) -> String {
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for &(r, c) in cells {
        xml.push_str(&format!(
            r#"<row r="{}"><c r="{}"><v>1</v></c></row>"#,
            r + 1,
            budgetkit::read::a1(r, c)
        ));
    }
    xml.push_str("</sheetData>");
    if !refs.is_empty() {
        xml.push_str(&format!(r#"<mergeCells count="{}">"#, refs.len()));
        for r in refs {
            xml.push_str(&format!(r#"<mergeCell ref="{r}"/>"#));
        }
        xml.push_str("</mergeCells>");
    }
    xml.push_str(extra);
    xml.push_str("</worksheet>");
    xml
}

/// The sheets of an .xlsx made of one worksheet part (and shared strings).
fn read_xlsx_sheet(sheet: &str, strings: &str) -> Result<Vec<Sheet>, Error> {
    sheets_from_bytes(xlsx_bytes(sheet, strings), Path::new("合并.xlsx"))
}

/// An .xlsx made of one worksheet part and shared strings (none when
/// `strings` is empty).
fn xlsx_bytes(sheet: &str, strings: &str) -> Vec<u8> {
    let strings = if strings.is_empty() {
        r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>"#
    } else {
        strings
    };
    let mut data = sheet.as_bytes().to_vec();
    data.extend(common::wrap::SST_SEPARATOR);
    data.extend(strings.as_bytes());
    xlsx_from_sheet(&data)
}

/// The zip `xlsx` with the part `name` added, or replaced when it exists.
fn with_part(xlsx: Vec<u8>, name: &str, data: &[u8]) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let entry = archive.by_index(i).unwrap();
        if entry.name().unwrap() != name {
            out.raw_copy_file(entry).unwrap();
        }
    }
    out.start_file(name, zip::write::SimpleFileOptions::default())
        .unwrap();
    out.write_all(data).unwrap();
    out.finish().unwrap().into_inner()
}

fn span(row: u32, col: u32, last_row: u32, last_col: u32) -> Span {
    Span::new(row, col, last_row, last_col)
}

#[test]
fn merge_over_whole_sheet_is_clipped() {
    let xml = sheet_xml(
        &[(0, 0), (2, 2)],
        &["K1:XFD1048576".into(), "A1:XFD1048576".into()],
        "",
    );
    let sheets = read_xlsx_sheet(&xml, "").unwrap();
    // K1:… starts past the used area (A1:C3) and is dropped; A1:… is cut
    // to it.
    assert_eq!(sheets[0].merges(), &[span(0, 0, 2, 2)]);
    assert_eq!(sheets[0].merge_covering(2, 2), Some(span(0, 0, 2, 2)));
    assert_eq!(sheets[0].merge_covering(3, 0), None);
}

/// A BIFF NUMBER record.
fn biff_number(row: u16, col: u16) -> Vec<u8> {
    let mut d = row.to_le_bytes().to_vec();
    d.extend(col.to_le_bytes());
    d.extend(0u16.to_le_bytes());
    d.extend(1.0f64.to_le_bytes());
    record(0x0203, &d)
}

#[test]
fn xls_merge_over_whole_sheet_is_clipped() {
    let mut records = biff_number(0, 0);
    records.extend(biff_number(2, 2));
    let mut merge = 1u16.to_le_bytes().to_vec();
    for v in [0u16, 65_535, 0, 255] {
        merge.extend(v.to_le_bytes());
    }
    records.extend(record(0x00E5, &merge));
    let bytes = xls_from_stream(&biff_sheet(&records));
    let sheets = sheets_from_bytes(bytes, Path::new("合并.xls")).unwrap();
    assert_eq!(sheets[0].merges(), &[span(0, 0, 2, 2)]);
}

#[test]
fn merged_cells_limit_is_held_at_the_limit_and_refused_past_it() {
    // Used area 1000 × 1000: a merge over all of it covers the limit.
    assert_eq!(MAX_MERGED_CELLS, 1_000_000);
    let at = sheet_xml(&[(0, 0), (999, 999)], &["A1:XFD1048576".into()], "");
    let sheets = read_xlsx_sheet(&at, "").unwrap();
    assert_eq!(sheets[0].merges(), &[span(0, 0, 999, 999)]);
    let past = sheet_xml(&[(0, 0), (1000, 999)], &["A1:XFD1048576".into()], "");
    let err = read_xlsx_sheet(&past, "").unwrap_err();
    assert!(matches!(err, Error::TooLarge { .. }), "{err}");
    let text = err.to_string();
    assert!(
        text.contains("合并单元格覆盖的单元格总数") && text.contains("A1:XFD1048576"),
        "{text}"
    );
}

#[test]
fn merge_count_limit_is_held_at_the_limit_and_refused_past_it() {
    let refs = |n: u64| -> Vec<String> { (1..=n).map(|r| format!("A{r}:B{r}")).collect() };
    let last = u32::try_from(MAX_MERGES).unwrap();
    let at = sheet_xml(&[(0, 0), (last, 1)], &refs(MAX_MERGES), "");
    assert_eq!(
        read_xlsx_sheet(&at, "").unwrap()[0].merges().len() as u64,
        MAX_MERGES
    );
    let past = sheet_xml(&[(0, 0), (last, 1)], &refs(MAX_MERGES + 1), "");
    let err = read_xlsx_sheet(&past, "").unwrap_err();
    assert!(err.to_string().contains("合并单元格区域数"), "{err}");
}

#[test]
fn merge_inside_xml_comment_is_ignored() {
    let xml = sheet_xml(
        &[(0, 0), (2, 2)],
        &["A1:B1".into()],
        r#"<!-- <mergeCells><mergeCell ref="A2:C3"/></mergeCells> --><extLst><ext><![CDATA[<mergeCell ref="B2:C2"/>]]></ext></extLst>"#,
    );
    let sheets = read_xlsx_sheet(&xml, "").unwrap();
    assert_eq!(sheets[0].merges(), &[span(0, 0, 0, 1)]);
}

#[test]
fn overlapping_merges_keep_the_first() {
    let xml = sheet_xml(&[(0, 0), (2, 2)], &["A1:B2".into(), "B2:C3".into()], "");
    let sheets = read_xlsx_sheet(&xml, "").unwrap();
    assert_eq!(sheets[0].merges(), &[span(0, 0, 1, 1)]);
}

#[test]
fn negative_shared_string_index_is_refused() {
    let strings = r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>合计</t></si></sst>"#;
    let sheet = |v: &str| {
        format!(
            r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="1" t="s"><v>{v}</v></c></row></sheetData></worksheet>"#
        )
    };
    let ok = read_xlsx_sheet(&sheet("0"), strings).unwrap();
    assert_eq!(ok[0].text(0, 1), "合计");
    for bad in ["-1", "x", " 0", "0.5"] {
        let err = read_xlsx_sheet(&sheet(bad), strings).unwrap_err();
        assert!(matches!(err, Error::NotAWorkbook { .. }), "{bad}: {err}");
        let text = err.to_string();
        assert!(
            text.contains("B1") && text.contains("共享字符串编号") && text.contains(bad.trim()),
            "{text}"
        );
    }
}

#[test]
fn case_variant_duplicate_part_is_refused() {
    let good = xlsx_from_sheet(sheet_xml(&[(0, 0)], &[], "").as_bytes());
    let hidden = sheet_xml(&[(0, 0), (5, 5)], &[], "");
    let bytes = with_part(good, "XL/WORKSHEETS/SHEET1.XML", hidden.as_bytes());
    let err = sheets_from_bytes(bytes, Path::new("大小写.xlsx")).unwrap_err();
    assert!(matches!(err, Error::NotAWorkbook { .. }), "{err}");
    let text = err.to_string();
    assert!(
        text.contains("只差大小写") && text.contains("XL/WORKSHEETS/SHEET1.XML"),
        "{text}"
    );
}

#[test]
fn dev_zero_is_refused_by_bytes_read() {
    let err = refused(Path::new("/dev/zero"));
    assert!(err.to_string().contains("不是普通文件"), "{err}");
    let dir = tempdir();
    let link = dir.path().join("零.xlsx");
    std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
    assert!(refused(&link).to_string().contains("设备文件"));
    let json = dir.path().join("零.json");
    std::os::unix::fs::symlink("/dev/zero", &json).unwrap();
    assert!(refused(&json).to_string().contains("不是普通文件"));
    // A FIFO is refused before it is opened: reading it would block.
    let fifo = dir.path().join("管道.xlsx");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    assert!(refused(&fifo).to_string().contains("命名管道"));
    // And the CLI exits 2 with the message.
    let out = Command::new(env!("CARGO_BIN_EXE_budgetkit"))
        .args(["validate", "/dev/zero"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("/dev/zero") && stderr.contains("不是普通文件"),
        "{stderr}"
    );
}

#[test]
fn file_size_limit_is_held_at_the_limit_and_refused_past_it() {
    let dir = tempdir();
    let at = dir.path().join("满.xlsx");
    std::fs::File::create(&at)
        .unwrap()
        .set_len(MAX_FILE_BYTES)
        .unwrap();
    // Read whole (64 MiB of zeros), then found to be no workbook.
    assert!(matches!(refused(&at), Error::NotAWorkbook { .. }));
    let past = dir.path().join("超.xlsx");
    std::fs::File::create(&past)
        .unwrap()
        .set_len(MAX_FILE_BYTES + 1)
        .unwrap();
    assert!(matches!(refused(&past), Error::TooLarge { .. }));
}

/// The sample model as JSON, edited by `edit`, padded with spaces to
/// `len` bytes when given, written as `name`.
fn json_model(
    dir: &Path,
    name: &str,
    edit: impl FnOnce(&mut serde_json::Value),
    len: Option<u64>,
) -> std::path::PathBuf {
    let mut model: serde_json::Value =
        serde_json::from_slice(&std::fs::read(sample_json()).unwrap()).unwrap();
    edit(&mut model);
    let mut text = serde_json::to_vec(&model).unwrap();
    if let Some(len) = len {
        text.resize(usize::try_from(len).unwrap(), b' ');
    }
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn json_model_size_limit() {
    let template = Template::load("sx-2025").unwrap();
    let dir = tempdir();
    let at = json_model(dir.path(), "满.json", |_| {}, Some(MAX_JSON_BYTES));
    assert!(read_path(&at, &template).is_ok());
    let past = json_model(dir.path(), "超.json", |_| {}, Some(MAX_JSON_BYTES + 1));
    let err = refused(&past);
    assert!(matches!(err, Error::TooLarge { .. }), "{err}");
    let text = err.to_string();
    assert!(
        text.contains("JSON 模型") && !text.contains("XML"),
        "{text}"
    );
}

#[test]
fn json_year_out_of_range() {
    let template = Template::load("sx-2025").unwrap();
    let dir = tempdir();
    let with_year = |y: i64| {
        json_model(
            dir.path(),
            &format!("{y}.json"),
            |m| m["year"] = serde_json::json!(y),
            None,
        )
    };
    for y in [*YEARS.start(), *YEARS.end()] {
        let sub = read_path(&with_year(i64::from(y)), &template).unwrap();
        assert_eq!(sub.budget.year, y);
    }
    for y in [
        i64::from(*YEARS.start()) - 1,
        i64::from(*YEARS.end()) + 1,
        2_147_483_647,
        -5,
    ] {
        let err = refused(&with_year(y));
        assert!(matches!(err, Error::Json { .. }), "{err}");
        let text = err.to_string();
        assert!(
            text.contains("预算年度") && text.contains(&y.to_string()),
            "{text}"
        );
    }
}

#[test]
fn circled_digits_are_not_numbers() {
    for text in ["①③①.6⁸", "131.6⁸", "①", "١٣١", "𝟏𝟑𝟏"] {
        assert!(parse_amount(text).is_err(), "{text} read as a number");
    }
    // Full-width digits, comma and point are digits typed in a Chinese IME.
    assert_eq!(
        parse_amount("１３１．６８").unwrap(),
        Some(Decimal::new(13168, 2))
    );
}

#[test]
fn misplaced_thousands_separator_is_refused() {
    for text in [
        "1,31.68", "13,1.68", ",131.68", "1316,800", "1,316,80", "1,,316", "1.316,80",
    ] {
        assert!(parse_amount(text).is_err(), "{text} read as a number");
    }
    assert_eq!(
        parse_amount("1,316.80").unwrap(),
        Some(Decimal::new(131680, 2))
    );
    assert_eq!(
        parse_amount("12，345，678.9").unwrap(),
        Some(Decimal::new(123456789, 1))
    );
}

/// The value of the amount read from `sheet!cell`, found in the model by
/// its provenance.
fn amount_at(model: &serde_json::Value, sheet: &str, cell: &str) -> Option<String> {
    match model {
        serde_json::Value::Object(map) => {
            if map
                .get("at")
                .is_some_and(|at| at["sheet"] == sheet && at["cell"] == cell)
            {
                return map.get("value").and_then(|v| v.as_str()).map(String::from);
            }
            map.values().find_map(|v| amount_at(v, sheet, cell))
        }
        serde_json::Value::Array(items) => items.iter().find_map(|v| amount_at(v, sheet, cell)),
        _ => None,
    }
}

#[test]
fn unit_suffix_yuan_in_wanyuan_table() {
    // A cell of the sample's model that holds 131.68 or some other amount.
    let (sample, _) = read_model(&sample_xlsx());
    let sample = serde_json::to_value(&sample).unwrap();
    let (sheet, row, col) = amount_cells()
        .into_iter()
        .find(|(s, r, c)| amount_at(&sample, s, &budgetkit::read::a1(*r, *c)).is_some())
        .unwrap();
    let cell = budgetkit::read::a1(row, col);
    let mut book = Book::sample();
    let s = book.sheets.iter_mut().find(|s| s.name == sheet).unwrap();
    s.cells.insert((row, col), Val::Text("1316800元".into()));
    let dir = tempdir();
    let path = dir.path().join("元.xlsx");
    book.save(&path);
    let (model, findings) = read_model(&path);
    assert!(
        !findings.iter().any(|f| f.rule == "READ-AMOUNT"),
        "{findings:#?}"
    );
    let model = serde_json::to_value(&model).unwrap();
    // #10: kept exactly, at the precision it was typed in (whole 元).
    assert_eq!(
        amount_at(&model, &sheet, &cell).as_deref(),
        Some("131.6800")
    );
    // Typed 万元 in a 万元 table stays as it is.
    assert_eq!(
        parse_amount("131.68万元").unwrap(),
        Some(Decimal::new(13168, 2))
    );
}

#[test]
fn cell_count_limit_is_held_at_the_limit_and_refused_past_it() {
    // Rows of 1,000 cells; positions implied by order (no `r`).
    let sheet = |cells: u64| {
        let mut xml = String::from(
            r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
        );
        let mut left = cells;
        while left > 0 {
            let n = left.min(1000);
            xml.push_str("<row>");
            xml.push_str(&"<c><v>1</v></c>".repeat(n as usize));
            xml.push_str("</row>");
            left -= n;
        }
        xml.push_str("</sheetData></worksheet>");
        xml
    };
    let sheets = read_xlsx_sheet(&sheet(MAX_CELLS), "").unwrap();
    assert_eq!(sheets[0].len() as u64, MAX_CELLS);
    let err = read_xlsx_sheet(&sheet(MAX_CELLS + 1), "").unwrap_err();
    assert!(matches!(err, Error::TooLarge { .. }), "{err}");
    assert!(err.to_string().contains("非空单元格数"), "{err}");
}

#[test]
fn shared_string_count_limit_is_held_at_the_limit_and_refused_past_it() {
    let strings = |n: u64| {
        format!(
            r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{}</sst>"#,
            "<si/>".repeat(n as usize)
        )
    };
    let xml = sheet_xml(&[(0, 0)], &[], "");
    assert!(read_xlsx_sheet(&xml, &strings(MAX_CELLS)).is_ok());
    let err = read_xlsx_sheet(&xml, &strings(MAX_CELLS + 1)).unwrap_err();
    assert!(matches!(err, Error::TooLarge { .. }), "{err}");
    assert!(err.to_string().contains("共享字符串个数"), "{err}");
}

#[test]
fn xls_grid_limit_is_held_at_the_limit_and_refused_past_it() {
    // 65,536 rows × 32 columns = 2 Mi cells.
    let xls = |last_col: u16| {
        let mut records = biff_number(0, 0);
        records.extend(biff_number(65_535, last_col));
        xls_from_stream(&biff_sheet(&records))
    };
    assert_eq!(MAX_XLS_GRID_CELLS, 65_536 * 32);
    let sheets = sheets_from_bytes(xls(31), Path::new("满.xls")).unwrap();
    assert_eq!(sheets[0].len(), 2);
    let err = sheets_from_bytes(xls(32), Path::new("超.xls")).unwrap_err();
    assert!(matches!(err, Error::TooLarge { .. }), "{err}");
    assert!(err.to_string().contains("AG65536"), "{err}");
}

#[test]
fn sheets_naming_one_part_share_its_scan() {
    let one = xlsx_bytes(&sheet_xml(&[(0, 0), (2, 2)], &["A1:B1".into()], ""), "");
    let book = r#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="表1" sheetId="1" r:id="rId1"/><sheet name="表2" sheetId="2" r:id="rId1"/></sheets></workbook>"#;
    let bytes = with_part(one, "xl/workbook.xml", book.as_bytes());
    let sheets = sheets_from_bytes(bytes, Path::new("同部件.xlsx")).unwrap();
    assert_eq!(sheets.len(), 2);
    for s in &sheets {
        assert_eq!(s.merges(), &[span(0, 0, 0, 1)], "{}", s.name);
    }
}
