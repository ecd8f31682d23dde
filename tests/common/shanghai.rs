//! The Shanghai sample (sh-2026): its path, its sheets as a [`Book`], and
//! rows found by a code split over the 类/款/项 columns.

use super::book::Book;
use std::path::{Path, PathBuf};

/// The bundled Shanghai sample submission (上海市普陀区财政局 2025).
pub fn sample_xlsx() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/shanghai-putuo-finance-2025.xlsx")
}

/// The blank 普陀区 department template (a copy of the published file).
pub fn blank_template() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/shanghai-putuo-2026-department-template.xlsx")
}

/// The Shanghai sample's sheets, validated with sh-2026.
pub fn book() -> Book {
    Book::open(&sample_xlsx(), "sh-2026")
}

/// What the code columns A, B, … of a row read for `code`, split 3/2/2
/// over `columns` code columns (the columns it does not fill are empty).
fn split(code: &str, columns: usize) -> Vec<(char, &str)> {
    let cuts = [(0, 3), (3, 5), (5, 7)];
    ['A', 'B', 'C']
        .into_iter()
        .zip(cuts)
        .take(columns)
        .map(|(col, (from, to))| (col, code.get(from..to).unwrap_or("")))
        .collect()
}

/// `SHEET!A1` of column `col` in a function table's row of `code`
/// (`201`, `20106`, `2010601` over 类 | 款 | 项).
pub fn function_cell(book: &Book, sheet: &str, code: &str, col: char) -> String {
    book.at_where(sheet, &split(code, 3), col)
}

/// `SHEET!A1` of column `col` in the economic table's row of `code`
/// (`302`, `30217` over 类 | 款).
pub fn economic_cell(book: &Book, sheet: &str, code: &str, col: char) -> String {
    book.at_where(sheet, &split(code, 2), col)
}
