//! Reading: a department's workbook (.xlsx, .xls) or a JSON model into the
//! canonical model, keeping the tables as filed for validation.

mod allowance;
mod biff;
mod cells;
mod form;
mod formula;
mod inflater;
mod input;
mod locate;
mod merges;
mod number_text;
mod ole;
mod package;
mod parts;
mod performance;
mod sheet;
mod sheet_data;
mod stated;
mod table_lines;
mod tags;
mod workbook;
mod xlsx_book;
mod xlsx_lanes;
mod xlsx_stream;

pub use crate::filed::{
    align_fixed_rows, header_key, holds, row_label_key, title_key, year_of, FiledCell, FiledRow,
    FiledTable,
};
pub use form::form_label_key;
pub(crate) use input::read_limited;
pub use locate::locate_tables;
pub use performance::read_performance;
pub use sheet::{a1, parse_a1, RawCell, Sheet, Span};
pub use stated::{read_stated, STATED_RULE, STATED_TITLE_ROWS};
pub use workbook::{
    float_text, read_sheets, sheets_from_bytes, MAX_CELLS, MAX_CONTINUES, MAX_FILE_BYTES,
    MAX_INFLATED_BYTES, MAX_MERGED_CELLS, MAX_MERGES, MAX_TEXT_BYTES, MAX_XLS_FORMULA_WORK,
    MAX_XLS_GRID_CELLS, MAX_XLS_RESERVED_CELLS,
};

use crate::error::Error;
use crate::findings::Finding;
use crate::model::Budget;
use crate::spec::Template;
use std::path::{Path, PathBuf};

/// Largest JSON model accepted (a model is a few hundred KB; it is parsed
/// into memory at several times its size).
pub const MAX_JSON_BYTES: u64 = 16 * 1024 * 1024;

/// Budget years a JSON model may state.
pub const YEARS: std::ops::RangeInclusive<i32> = 1949..=2200;

/// A submission as read: the model, the tables as filed, and the problems
/// found while reading.
#[derive(Debug, Clone)]
pub struct Submission {
    /// The input file.
    pub file: PathBuf,
    /// The canonical model.
    pub budget: Budget,
    /// Tables as filed (empty for a JSON model).
    pub tables: Vec<FiledTable>,
    /// Reading problems (missing tables, non-numeric amounts …).
    pub findings: Vec<Finding>,
}

/// True for a path named `*.json` (any case): a canonical JSON model, not
/// a workbook.
pub fn is_json(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

/// Reads a workbook (.xlsx/.xls) or a JSON model (`.json`).
///
/// # Errors
/// [`Error`] when the input cannot be read at all (exit status 2).
pub fn read_path(path: &Path, template: &Template) -> Result<Submission, Error> {
    if is_json(path) {
        return read_json(path);
    }
    let sheets = read_sheets(path)?;
    read_workbook(&sheets, template, path)
}

/// Reads a JSON model.
///
/// # Errors
/// [`Error::Io`] or [`Error::Json`], naming the file.
pub fn read_json(path: &Path) -> Result<Submission, Error> {
    let bytes = input::read_limited(path, MAX_JSON_BYTES, "JSON 模型文件大小（字节）")?;
    let json = |detail: String| Error::Json {
        path: path.to_path_buf(),
        detail,
    };
    let budget: Budget = serde_json::from_slice(&bytes)
        .map_err(|e| json(format!("{e}（应为 budgetkit 导出的 JSON 模型）")))?;
    if !YEARS.contains(&budget.year) {
        return Err(json(format!(
            "预算年度 year 为 {}，应在 {} 至 {} 之间",
            budget.year,
            YEARS.start(),
            YEARS.end()
        )));
    }
    Ok(Submission {
        file: path.to_path_buf(),
        budget,
        tables: Vec::new(),
        findings: Vec::new(),
    })
}

/// The bundled sample read with sx-2025, for unit tests.
#[cfg(test)]
pub(crate) fn sample() -> (crate::spec::Template, Submission) {
    let template = crate::spec::Template::load("sx-2025").unwrap();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples/shuozhou-investment-2025.xlsx");
    let sub = read_path(&path, &template).unwrap();
    (template, sub)
}

/// The tables of a template located in a workbook's sheets, with the
/// findings of locating them ([`locate_tables`]): kept when they were
/// located to find the workbook's template, so reading it with that
/// template does not locate them again ([`read_located`]).
#[derive(Debug, Clone)]
pub struct Located {
    /// Id of the template the tables are of.
    pub template: String,
    /// The tables found.
    pub tables: Vec<FiledTable>,
    /// The findings of locating them.
    pub findings: Vec<Finding>,
}

impl Located {
    /// Locates the tables of `template` in `sheets`.
    pub fn of(sheets: &[Sheet], template: &Template) -> Located {
        let mut findings = Vec::new();
        let tables = locate_tables(sheets, template, &mut findings);
        Located {
            template: template.id.clone(),
            tables,
            findings,
        }
    }
}

/// Reads sheets already loaded from a workbook.
///
/// # Errors
/// [`Error::NoBudgetTables`] when no table of the template is found.
pub fn read_workbook(
    sheets: &[Sheet],
    template: &Template,
    path: &Path,
) -> Result<Submission, Error> {
    read_located(sheets, template, path, None)
}

/// [`read_workbook`] with the tables of `template` already located in
/// `sheets` (`located`, when it is of `template`; they are located
/// otherwise): the same submission and findings, in the same order.
///
/// # Errors
/// As [`read_workbook`].
pub fn read_located(
    sheets: &[Sheet],
    template: &Template,
    path: &Path,
    located: Option<Located>,
) -> Result<Submission, Error> {
    let mut findings: Vec<Finding> = sheets.iter().flat_map(|s| s.problems().to_vec()).collect();
    let located = located
        .filter(|l| l.template == template.id)
        .unwrap_or_else(|| Located::of(sheets, template));
    findings.extend(located.findings);
    let tables = located.tables;
    if tables.is_empty() {
        return Err(Error::NoBudgetTables {
            path: path.to_path_buf(),
            template: template.id.clone(),
        });
    }
    let mut budget = crate::kinds::build_budget(&tables, template, &mut findings);
    budget.performance = read_performance(sheets, &template.forms, &mut findings);
    if let Some(spec) = crate::narrative::NarrativeSpec::builtin(&template.id) {
        budget.stated = read_stated(sheets, spec, &mut findings);
    }
    Ok(Submission {
        file: path.to_path_buf(),
        budget,
        tables,
        findings,
    })
}
