//! Problems inside a readable workbook are findings with sheet and cell,
//! not crashes (issue #4): a table missing or twice, a header that cannot
//! be matched, a non-numeric amount, a function code that is not a code.

mod common;

use budgetkit::findings::{Finding, Severity};
use common::bend::*;
use common::*;

/// Writes `book` and reads it; returns the findings of `rule`.
fn findings_of(book: &Book, rule: &str) -> (budgetkit::model::Budget, Vec<Finding>) {
    let dir = tempdir();
    let path = dir.path().join("bad.xlsx");
    book.save(&path);
    let (model, findings) = read_model(&path);
    let mine: Vec<Finding> = findings
        .iter()
        .filter(|f| f.rule == rule)
        .cloned()
        .collect();
    assert!(!mine.is_empty(), "no {rule} in {findings:#?}");
    for f in &mine {
        assert_eq!(f.severity, Severity::Error, "{f:?}");
    }
    (model, mine)
}

#[test]
fn a_missing_table_is_an_error_naming_it() {
    let mut book = Book::sample();
    book.sheets
        .retain(|s| s.find("政府性基金预算支出表").is_none());
    let (model, found) = findings_of(&book, "READ-TABLE-MISSING");
    assert_eq!(found.len(), 1);
    assert!(
        found[0].message.contains("政府性基金预算支出表"),
        "{}",
        found[0].message
    );
    // The other tables are still read.
    assert_model_eq(&model, &read_model(&sample_xlsx()).0, "other tables");
}

#[test]
fn a_table_filed_twice_is_an_error_listing_both() {
    let mut book = Book::sample();
    let mut copy = book.sheet_with("三公").clone();
    copy.name = "表10（副本）".into();
    book.sheets.push(copy);
    let (_, found) = findings_of(&book, "READ-TABLE-TWICE");
    assert_eq!(found[0].cells, ["预算公开表10!A2", "表10（副本）!A2"]);
}

#[test]
fn a_header_that_does_not_match_is_an_error_at_its_cell() {
    let mut book = Book::sample();
    let s = book.sheet_with("预算收入总表");
    let at = s.find("一般公共预算").expect("header");
    s.cells.insert(at, Val::Text("公共财政预算".into()));
    let (model, found) = findings_of(&book, "READ-HEADER");
    assert_eq!(found[0].cells, ["预算公开表2!D5"]);
    assert!(
        found[0].message.contains("公共财政预算"),
        "{}",
        found[0].message
    );
    // Read by position, so the numbers are still there for checking.
    assert_model_eq(&model, &read_model(&sample_xlsx()).0, "read by position");
}

#[test]
fn a_missing_column_is_an_error() {
    let mut book = Book::sample();
    let s = book.sheet_with("预算收入总表");
    // Drop 单位资金 (column H): 上年结转 moves into its place.
    let cells = std::mem::take(&mut s.cells);
    s.cells = cells
        .into_iter()
        .filter(|((_, c), _)| *c != 7)
        .map(|((r, c), v)| ((r, if c > 7 { c - 1 } else { c }), v))
        .collect();
    for m in &mut s.merges {
        if m.col > 7 {
            m.col -= 1;
        }
        if m.last_col >= 7 {
            m.last_col -= 1;
        }
    }
    let (_, found) = findings_of(&book, "READ-HEADER");
    assert!(
        found.iter().any(|f| f.message.contains("单位资金")),
        "{found:#?}"
    );
}

#[test]
fn a_title_without_its_header_is_an_error_at_the_title() {
    let mut book = Book::sample();
    let s = book.sheet_with("政府性基金预算收入表");
    s.cells.retain(|(r, _), _| *r < 3);
    let (_, found) = findings_of(&book, "READ-HEADER");
    assert_eq!(found[0].cells, ["预算公开表7!A2"]);
}

#[test]
fn a_non_numeric_amount_is_an_error_at_its_cell() {
    let mut book = Book::sample();
    let s = book.sheet_with("预算支出总表");
    let row = s.find("2011301").expect("line").0;
    s.cells.insert((row, 3), Val::Text("约131万".into()));
    let (_, found) = findings_of(&book, "READ-AMOUNT");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].cells, [format!("预算公开表3!D{}", row + 1)]);
    assert_eq!(found[0].found.as_deref(), Some("约131万"));
}

#[test]
fn a_formula_error_in_an_amount_is_an_error() {
    let mut book = Book::sample();
    let s = book.sheet_with("预算支出总表");
    let row = s.find("2011301").expect("line").0;
    s.cells
        .insert((row, 3), Val::Formula("=1/0".into(), "#DIV/0!".into()));
    let (_, found) = findings_of(&book, "READ-AMOUNT");
    assert_eq!(found[0].found.as_deref(), Some("#DIV/0!"));
}

#[test]
fn a_function_code_that_is_not_a_code_is_an_error_at_its_cell() {
    let mut book = Book::sample();
    let s = book.sheet_with("预算收入总表");
    let at = s.find("2011301").expect("line");
    s.cells.insert(at, Val::Text("20113O1".into()));
    let at2 = s.find("2011302").expect("line");
    s.cells.insert(at2, Val::Num("201130".into()));
    let (_, found) = findings_of(&book, "READ-CODE");
    let cells: Vec<String> = found
        .iter()
        .flat_map(|f| f.cells.iter().map(ToString::to_string))
        .collect();
    assert_eq!(
        cells,
        [
            format!("预算公开表2!A{}", at.0 + 1),
            format!("预算公开表2!A{}", at2.0 + 1)
        ]
    );
    assert!(found[0].message.contains("20113O1"));
}

/// Bug (#9): the rules parsed every amount again, so READ-AMOUNT (reader)
/// and IT-AMOUNT-NUMBER (rules) both fired for one cell, and `validate`
/// dropped one by comparing rule ids and cell strings. The rules now read
/// the reader's own parse and leave a cell the reader reported to it; a
/// cell the reader does not take into the model is still the rules'.
#[test]
fn read_amount_and_it_amount_number_fire_once_per_cell() {
    let mut book = Book::sample();
    let s = book.sheet_with("预算支出总表");
    let row = s.find("2011301").expect("line").0;
    // 基本支出 (read into the model) and 合计 (derived, not read).
    s.cells.insert((row, 3), Val::Text("约131万".into()));
    s.cells.insert((row, 2), Val::Text("约297万".into()));
    let dir = tempdir();
    let path = dir.path().join("bad.xlsx");
    book.save(&path);
    let template = budgetkit::spec::Template::load("sx-2025").expect("template");
    let sub = budgetkit::read::read_path(&path, &template).expect("read");
    let read = format!("预算公开表3!D{}", row + 1);
    let skipped = format!("预算公开表3!C{}", row + 1);
    let rules = budgetkit::rules::check(&sub.budget, &sub.tables, &template);
    let on = |fs: &[Finding], cell: &str| -> Vec<String> {
        fs.iter()
            .filter(|f| f.cells.iter().any(|c| *c == cell))
            .map(|f| f.rule.clone())
            .collect()
    };
    assert_eq!(on(&sub.findings, &read), ["READ-AMOUNT"]);
    assert_eq!(on(&rules, &read), Vec::<String>::new());
    assert_eq!(on(&sub.findings, &skipped), Vec::<String>::new());
    assert_eq!(on(&rules, &skipped), ["IT-AMOUNT-NUMBER"]);
}
