//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod bend;
pub mod book;
pub mod narrative;
pub mod parts;
pub mod shanghai;
pub mod wrap;

use calamine::{open_workbook_auto, Data, Reader};
use std::path::{Path, PathBuf};

/// The bundled sample submission.
pub fn sample_xlsx() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/shuozhou-investment-2025.xlsx")
}

/// The bundled sample model.
pub fn sample_json() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/shuozhou-investment-2025.json")
}

/// The reference's table rows: (table id, cells) per line of
/// tests/data/reference-tables.tsv.
pub fn reference_rows() -> Vec<(String, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/reference-tables.tsv");
    let text = std::fs::read_to_string(path).expect("reference rows");
    text.lines()
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (id, rest) = l.split_once('\t').unwrap_or((l, ""));
            (id.to_string(), rest.to_string())
        })
        .collect()
}

/// The rows of table `id` in a reference extracted as (table id, row),
/// in order; asserts there are some (none is a defect of the extraction).
pub fn rows_of<'a, T>(reference: &'a [(String, T)], id: &str) -> Vec<&'a T> {
    let rows: Vec<&T> = reference
        .iter()
        .filter(|(t, _)| t == id)
        .map(|(_, row)| row)
        .collect();
    assert!(!rows.is_empty(), "no reference rows for {id}");
    rows
}

/// Asserts an export has as many body rows of table `id` as the
/// reference, showing both when not.
pub fn assert_same_row_count<G: std::fmt::Debug, W: std::fmt::Debug>(
    got: &[G],
    want: &[W],
    id: &str,
) {
    assert_eq!(
        got.len(),
        want.len(),
        "{id}: rows\n got {got:#?}\nwant {want:#?}"
    );
}

/// A cell as published text: numbers with two decimals, text without
/// whitespace.
pub fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::Float(f) => format!("{f:.2}"),
        Data::Int(i) => format!("{i}.00"),
        Data::String(s) => s.chars().filter(|c| !c.is_whitespace()).collect(),
        other => other.to_string(),
    }
}

/// Every row of a sheet from `first_row` (0-based) on, as tab-joined
/// published text with trailing blanks trimmed, read with calamine.
pub fn sheet_rows(path: &Path, sheet: &str, first_row: usize) -> Vec<String> {
    let mut wb = open_workbook_auto(path).expect("open output");
    let range = wb.worksheet_range(sheet).expect("sheet");
    let (r0, _) = range.start().unwrap_or((0, 0));
    range
        .rows()
        .enumerate()
        .filter(|(i, _)| *i + r0 as usize >= first_row)
        .map(|(_, row)| {
            let cells: Vec<String> = row.iter().map(cell_text).collect();
            cells.join("\t").trim_end_matches('\t').to_string()
        })
        .filter(|r| !r.is_empty())
        .collect()
}

/// A fresh temporary directory.
pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("tempdir")
}

/// The fill-in workbook (sx-2025, 2025) filled with the sample model's
/// numbers, written by the library into `dir`.
pub fn filled_fill_in(dir: &Path) -> PathBuf {
    let template = budgetkit::spec::Template::load("sx-2025").expect("template");
    let model = budgetkit::read::read_json(&sample_json())
        .expect("model")
        .budget;
    filled_fill_in_with(dir, &template, &model)
}

/// The fill-in workbook of `template` (2025) filled with `model`'s
/// numbers, written by the library into `dir`.
pub fn filled_fill_in_with(
    dir: &Path,
    template: &budgetkit::spec::Template,
    model: &budgetkit::model::Budget,
) -> PathBuf {
    let path = dir.join("filled.xlsx");
    let opts = budgetkit::commands::FillInOptions {
        template,
        department: None,
        year: Some(2025),
        fill: Some(model),
        projects: 0,
    };
    budgetkit::commands::fill_in_template(&path, &opts).expect("fill-in workbook");
    path
}

/// Reads `path` with the sx-2025 template; the error it must give: an
/// unreadable-input error (exit status 2) whose message names the file.
pub fn refused(path: &Path) -> budgetkit::Error {
    let template = budgetkit::spec::Template::load("sx-2025").expect("template");
    let err = match budgetkit::read::read_path(path, &template) {
        Ok(sub) => panic!("{} read, with findings {:#?}", path.display(), sub.findings),
        Err(e) => e,
    };
    assert!(err.is_unreadable_input(), "{err:?}");
    let name = path
        .file_name()
        .expect("file name")
        .to_string_lossy()
        .to_string();
    assert!(err.to_string().contains(&name), "{err}");
    err
}
