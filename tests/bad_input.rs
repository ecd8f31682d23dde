//! Files that cannot be read: each is one `Error` (exit status 2) whose
//! Chinese message names the file (and sheet and cell where there is one),
//! never a panic (issue #4). The CLI side is in tests/cli_bad_input.rs.

mod common;

use budgetkit::read::read_sheets;
use budgetkit::Error;
use common::bend::*;
use common::*;
use std::path::{Path, PathBuf};

/// A fixture under tests/fixtures.
fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Writes `bytes` as `name` in a fresh directory and reads it.
fn refused_bytes(name: &str, bytes: &[u8]) -> Error {
    let dir = tempdir();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    refused(&path)
}

#[test]
fn a_text_file_is_not_a_workbook() {
    let err = refused_bytes("预算.xlsx", "科目编码,金额\n201,353.49\n".as_bytes());
    assert!(matches!(err, Error::NotAWorkbook { .. }));
    assert!(err.to_string().contains("CSV"), "{err}");
}

#[test]
fn an_empty_file_says_so() {
    let err = refused_bytes("空.xlsx", b"");
    assert!(err.to_string().contains("文件为空"), "{err}");
}

#[test]
fn a_truncated_xlsx_is_refused() {
    let bytes = std::fs::read(sample_xlsx()).unwrap();
    for keep in [10, bytes.len() / 2, bytes.len() - 30] {
        let err = refused_bytes("截断.xlsx", &bytes[..keep]);
        assert!(matches!(err, Error::NotAWorkbook { .. }), "{keep}: {err}");
        assert!(err.to_string().contains("zip"), "{keep}: {err}");
    }
}

#[test]
fn a_truncated_xls_is_refused() {
    let bytes = std::fs::read(fixture("libreoffice.xls")).unwrap();
    for keep in [600, bytes.len() / 2, bytes.len() - 512] {
        let err = refused_bytes("截断.xls", &bytes[..keep]);
        assert!(matches!(err, Error::NotAWorkbook { .. }), "{keep}: {err}");
    }
}

#[test]
fn a_corrupted_xlsx_part_is_refused() {
    let mut bytes = std::fs::read(sample_xlsx()).unwrap();
    // Flip bytes inside the compressed data of the first sheet part.
    let at = bytes
        .windows(24)
        .position(|w| w == b"xl/worksheets/sheet1.xml")
        .unwrap();
    for b in &mut bytes[at + 40..at + 200] {
        *b ^= 0x5A;
    }
    refused_bytes("损坏.xlsx", &bytes);
}

#[test]
fn an_encrypted_xlsx_is_refused() {
    let err = refused(&fixture("encrypted.xlsx"));
    assert!(matches!(err, Error::Encrypted { .. }), "{err}");
    assert!(err.to_string().contains("加密"));
}

#[test]
fn an_encrypted_xls_is_refused() {
    // Turn the WRITEACCESS record of the globals into a FILEPASS record of
    // the same length, as a password-protected .xls carries.
    let mut bytes = std::fs::read(fixture("libreoffice.xls")).unwrap();
    let at = bytes
        .windows(4)
        .position(|w| w == [0x5C, 0x00, 0x70, 0x00])
        .unwrap();
    bytes[at] = 0x2F;
    bytes[at + 4] = 1;
    bytes[at + 5] = 0;
    let err = refused_bytes("加密.xls", &bytes);
    assert!(matches!(err, Error::Encrypted { .. }), "{err}");
}

#[test]
fn a_workbook_without_budget_tables_is_refused() {
    let dir = tempdir();
    let path = dir.path().join("通讯录.xlsx");
    let mut book = Book::default();
    let mut s = BookSheet::new("通讯录");
    s.cells.insert((0, 0), Val::Text("姓名".into()));
    s.cells.insert((0, 1), Val::Text("电话".into()));
    book.sheets.push(s);
    book.save(&path);
    let err = refused(&path);
    assert!(matches!(err, Error::NoBudgetTables { .. }), "{err}");
}

#[test]
fn a_lone_stray_cell_at_xfd1048576_is_no_budget_table() {
    let dir = tempdir();
    let path = dir.path().join("stray.xlsx");
    let mut s = BookSheet::new("Sheet1");
    s.cells.insert((1_048_575, 16_383), Val::Text("x".into()));
    Book { sheets: vec![s] }.save(&path);
    // Sparse: one cell, not a grid of 17 billion.
    let sheets = read_sheets(&path).unwrap();
    assert_eq!(sheets[0].len(), 1);
    assert!(matches!(refused(&path), Error::NoBudgetTables { .. }));
}

#[test]
fn a_stray_cell_at_xfd1048576_beside_the_tables_is_harmless() {
    let mut book = Book::sample();
    book.sheets[0]
        .cells
        .insert((1_048_575, 16_383), Val::Num("1".into()));
    let dir = tempdir();
    let path = dir.path().join("stray.xlsx");
    book.save(&path);
    let (got, findings) = read_model(&path);
    assert!(findings.is_empty(), "{findings:#?}");
    assert_model_eq(&got, &read_model(&sample_xlsx()).0, "stray cell");
}

#[test]
fn a_stray_cell_in_an_xls_is_refused_naming_sheet_and_cell() {
    let err = refused(&fixture("stray-iv65536.xls"));
    assert!(matches!(err, Error::TooLarge { .. }), "{err}");
    let text = err.to_string();
    assert!(
        text.contains("预算公开表1") && text.contains("IV65536"),
        "{text}"
    );
}

#[test]
fn a_zip_bomb_is_refused_after_a_bounded_inflation() {
    let err = refused(&fixture("zip-bomb.xlsx"));
    match err {
        Error::TooLarge { found, limit, .. } => {
            assert_eq!(limit, budgetkit::read::MAX_INFLATED_BYTES);
            assert!(found > limit);
        }
        other => panic!("{other}"),
    }
}

#[test]
fn a_pdf_and_a_web_page_are_named() {
    assert!(refused_bytes("a.xlsx", b"%PDF-1.4\n...")
        .to_string()
        .contains("PDF"));
    let html = "<html><body><table><tr><td>科目编码</td></tr></table></body></html>";
    assert!(refused_bytes("b.xls", html.as_bytes())
        .to_string()
        .contains("HTML"));
}

#[test]
fn a_panic_inside_calamine_is_an_unreadable_file() {
    let bytes = common::wrap::xls_from_stream(&common::wrap::biff_with_broken_formula());
    let err = refused_bytes("公式损坏.xls", &bytes);
    assert!(matches!(err, Error::NotAWorkbook { .. }), "{err}");
    assert!(err.to_string().contains("读取器无法解析"), "{err}");
}

#[test]
fn an_ole_file_without_a_workbook_is_named() {
    let file = common::wrap::compound_file(&[("WordDocument", b"x")]);
    let err = refused_bytes("文档.xls", &file);
    assert!(err.to_string().contains("没有 Excel 工作簿数据"), "{err}");
}

#[test]
fn an_encrypted_package_is_recognised_by_its_streams() {
    let file = common::wrap::compound_file(&[("EncryptionInfo", b"x"), ("EncryptedPackage", b"y")]);
    assert!(matches!(
        refused_bytes("加密包.xlsx", &file),
        Error::Encrypted { .. }
    ));
}

#[test]
fn a_looping_sector_chain_is_refused() {
    let mut file = common::wrap::xls_from_stream(b"\x09\x08");
    // The FAT (sector 0, at byte 512) entry of the directory sector (1)
    // points back at itself: calamine would follow it for ever.
    file[512 + 4..512 + 8].copy_from_slice(&1u32.to_le_bytes());
    let err = refused_bytes("成环.xls", &file);
    assert!(err.to_string().contains("成环"), "{err}");
}

#[test]
fn a_sector_outside_the_file_is_refused() {
    let mut file = common::wrap::xls_from_stream(b"\x09\x08");
    file[48..52].copy_from_slice(&1000u32.to_le_bytes());
    let err = refused_bytes("越界.xls", &file);
    assert!(err.to_string().contains("超出文件"), "{err}");
}

/// Found by fuzzing: calamine slices a formula's tokens by their stated
/// length without checking it against the record.
#[test]
fn a_formula_longer_than_its_record_is_refused_before_calamine() {
    let stream = common::wrap::biff_with_formula(&[200, 0, 0x3A]);
    let err = refused_bytes("公式过长.xls", &common::wrap::xls_from_stream(&stream));
    assert!(err.to_string().contains("公式记录长度不符"), "{err}");
}
