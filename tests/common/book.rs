//! A workbook as read (its sheets), edited cell by cell and written back
//! with the library's sheet rewriter — how the rule tests perturb the
//! sample.

use budgetkit::commands::{validate, Report, ValidateOptions};
use budgetkit::findings::Finding;
use budgetkit::read::{a1, parse_a1, read_sheets, RawCell, Sheet};
use budgetkit::spec::Template;
use budgetkit::write::{sheets_bytes, split_reference};
use std::path::PathBuf;

/// The sheets of a workbook and a temporary directory to save them in.
pub struct Book {
    /// The sheets.
    pub sheets: Vec<Sheet>,
    dir: tempfile::TempDir,
}

impl Book {
    /// The bundled sample submission.
    pub fn sample() -> Book {
        Book {
            sheets: read_sheets(&super::sample_xlsx()).expect("sample"),
            dir: super::tempdir(),
        }
    }

    fn sheet(&self, name: &str) -> &Sheet {
        self.sheets
            .iter()
            .find(|s| s.name == name)
            .unwrap_or_else(|| panic!("no sheet {name}"))
    }

    /// `SHEET!A1` of column `col` in the `nth` (1-based) row whose column
    /// `label_col` reads `label`.
    pub fn at_nth(
        &self,
        sheet: &str,
        label_col: char,
        label: &str,
        nth: usize,
        col: char,
    ) -> String {
        let s = self.sheet(sheet);
        let lc = u32::from(label_col) - u32::from('A');
        let rows: Vec<u32> = s
            .cells()
            .filter(|((_, c), cell)| *c == lc && cell.text.trim() == label)
            .map(|((r, _), _)| r)
            .collect();
        let row = *rows
            .get(nth - 1)
            .unwrap_or_else(|| panic!("{sheet}: no {nth}th “{label}” in column {label_col}"));
        format!("{sheet}!{}", a1(row, u32::from(col) - u32::from('A')))
    }

    /// `SHEET!A1` of column `col` in the row whose column `label_col`
    /// reads `label`.
    pub fn at(&self, sheet: &str, label_col: char, label: &str, col: char) -> String {
        self.at_nth(sheet, label_col, label, 1, col)
    }

    /// Sets a cell (`""` clears it); numbers are stored as numbers.
    pub fn put(&mut self, reference: &str, value: &str) {
        let (sheet, row, col) = split_reference(reference).expect("reference");
        let numeric = value.parse::<f64>().is_ok();
        let s = self
            .sheets
            .iter_mut()
            .find(|s| s.name == sheet)
            .unwrap_or_else(|| panic!("no sheet {sheet}"));
        s.set(
            row,
            col,
            RawCell {
                text: value.to_string(),
                numeric,
            },
        );
    }

    /// Sets column `col` of the row labelled `label` and returns its reference.
    pub fn edit(
        &mut self,
        sheet: &str,
        label_col: char,
        label: &str,
        col: char,
        value: &str,
    ) -> String {
        let r = self.at(sheet, label_col, label, col);
        self.put(&r, value);
        r
    }

    /// Retypes every number of a sheet ×10,000: the amounts in 元 under a
    /// 万元 heading.
    pub fn retype_in_yuan(&mut self, sheet: &str) {
        let s = self
            .sheets
            .iter_mut()
            .find(|s| s.name == sheet)
            .unwrap_or_else(|| panic!("no sheet {sheet}"));
        let numbers: Vec<((u32, u32), String)> = s
            .cells()
            .filter(|(_, c)| c.numeric)
            .map(|(pos, c)| (pos, c.text.clone()))
            .collect();
        for ((r, c), text) in numbers {
            let v: rust_decimal::Decimal = text.parse().expect("a number");
            let text = (v * rust_decimal::Decimal::from(10_000))
                .normalize()
                .to_string();
            s.set(
                r,
                c,
                RawCell {
                    text,
                    numeric: true,
                },
            );
        }
    }

    /// The text of a cell ("" when empty).
    pub fn text(&self, reference: &str) -> String {
        let (sheet, row, col) = split_reference(reference).expect("reference");
        self.sheet(sheet).text(row, col).to_string()
    }

    /// Writes the sheets to a fresh .xlsx in the temporary directory.
    pub fn save(&self, name: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        let bytes = sheets_bytes(&self.sheets, &path).expect("rewrite");
        std::fs::write(&path, bytes).expect("write");
        path
    }

    /// Saves and validates.
    pub fn validate(&self) -> Report {
        let template = Template::load("sx-2025").expect("template");
        let path = self.save("perturbed.xlsx");
        let opts = ValidateOptions {
            template: &template,
            annotate: None,
        };
        validate(&path, &opts).expect("validate")
    }
}

/// One line per finding, for assertion messages.
pub fn listing(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| format!("{} {:?} {} {:?}", f.rule, f.severity, f.message, f.cells))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Asserts a reference is a valid `SHEET!A1`.
pub fn is_reference(r: &str) -> bool {
    split_reference(r).is_some_and(|(_, row, col)| parse_a1(&a1(row, col)).is_some())
}
