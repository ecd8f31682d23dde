//! A workbook as read (its sheets), edited cell by cell and written back
//! with the library's sheet rewriter — how the rule tests perturb the
//! sample.

use budgetkit::commands::{validate, Report, ValidateOptions};
use budgetkit::findings::{Finding, Severity};
use budgetkit::read::{a1, parse_a1, read_sheets, RawCell, Sheet};
use budgetkit::spec::Template;
use budgetkit::write::{sheets_bytes, split_reference};
use std::path::{Path, PathBuf};

/// The sheets of a workbook, the template it is validated with and a
/// temporary directory to save them in.
pub struct Book {
    /// The sheets.
    pub sheets: Vec<Sheet>,
    template: &'static str,
    dir: tempfile::TempDir,
}

impl Book {
    /// The bundled sample submission.
    pub fn sample() -> Book {
        Book::open(&super::sample_xlsx(), "sx-2025")
    }

    /// The workbook at `path`, validated with template `template`.
    pub fn open(path: &Path, template: &'static str) -> Book {
        Book {
            sheets: read_sheets(path).expect("workbook"),
            template,
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

    /// `SHEET!A1` of column `col` in the first row whose columns read as
    /// `conds` says (`""`: empty), e.g. a code split over 类/款/项.
    pub fn at_where(&self, sheet: &str, conds: &[(char, &str)], col: char) -> String {
        let s = self.sheet(sheet);
        let index = |c: char| u32::from(c) - u32::from('A');
        let mut rows: Vec<u32> = s.cells().map(|((r, _), _)| r).collect();
        rows.sort_unstable();
        rows.dedup();
        let row = rows
            .into_iter()
            .find(|r| {
                conds
                    .iter()
                    .all(|(c, text)| s.text(*r, index(*c)).trim() == *text)
            })
            .unwrap_or_else(|| panic!("{sheet}: no row reading {conds:?}"));
        format!("{sheet}!{}", a1(row, index(col)))
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
        let template = Template::load(self.template).expect("template");
        let path = self.save("perturbed.xlsx");
        let opts = ValidateOptions {
            template: &template,
            annotate: None,
        };
        validate(&path, &opts).expect("validate")
    }
}

/// Applies `edit` to `book`, validates, and asserts that `rule` fires with
/// its catalog severity naming the cell `edit` returns, that nothing but
/// `rule`, `also` and the book's own findings `known` fires, and that the
/// exit code follows the errors.
pub fn breaks(
    mut book: Book,
    rule: &str,
    also: &[&str],
    known: &[&str],
    edit: impl FnOnce(&mut Book) -> String,
) {
    let cell = edit(&mut book);
    let report = book.validate();
    let all = listing(&report.findings);
    let severity = budgetkit::rules::rule(rule)
        .map(|r| r.severity)
        .expect("rule in catalog");
    assert!(
        report.findings.iter().any(|f| f.rule == rule
            && f.severity == severity
            && f.cells.iter().any(|c| *c == cell)),
        "{rule} should fire naming {cell}; found:\n{all}"
    );
    let stray: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.rule != rule && !also.contains(&f.rule.as_str()))
        .filter(|f| !known.contains(&f.rule.as_str()))
        .collect();
    assert!(stray.is_empty(), "{rule}: unexpected findings:\n{all}");
    assert_eq!(
        report.exit_code(),
        i32::from(
            report
                .findings
                .iter()
                .any(|f| f.severity == Severity::Error)
        )
    );
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
