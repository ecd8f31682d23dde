//! A JSON model is checked on the standard workbook `export` writes, laid
//! out from its views without writing and reading back that workbook:
//! the same sheets, cells and merges, and the same findings naming the
//! same cells.

mod common;

use budgetkit::commands::check_input;
use budgetkit::findings::Finding;
use budgetkit::model::Budget;
use budgetkit::read::{locate_tables, read_json, sheets_from_bytes, Sheet, Span};
use budgetkit::spec::Template;
use budgetkit::views::{performance_tables, standard_tables, Table};
use budgetkit::write::{table_sheets, workbook_bytes};
use common::{sample_json, tempdir};
use rust_decimal::Decimal;
use std::path::Path;

fn template() -> Template {
    Template::load("sx-2025").expect("template")
}

/// The sample model, and one whose 表6 first group is off by 1.00 (so
/// rules fire on cells of the exported workbook).
fn models() -> Vec<Budget> {
    let sample = read_json(&sample_json()).expect("sample").budget;
    let mut off = sample.clone();
    let group = off.economic.groups.first_mut().expect("a 表6 group");
    let personnel = group.costs.personnel.as_mut().expect("personnel");
    personnel.value += Decimal::ONE;
    vec![sample, off]
}

/// Every table `export` writes for a model.
fn views(budget: &Budget, template: &Template) -> Vec<Table> {
    let mut views = standard_tables(budget, template);
    views.extend(performance_tables(budget, template));
    views
}

/// A sheet's cells: position, text and whether a number.
type Cells = Vec<((u32, u32), String, bool)>;

/// What a sheet holds: name, cells and merges.
fn contents(s: &Sheet) -> (String, Cells, Vec<Span>) {
    let cells = s
        .cells()
        .map(|(at, c)| (at, c.text.clone(), c.numeric))
        .collect();
    (s.name.clone(), cells, s.merges().to_vec())
}

/// The sheets of the workbook `export` writes, read back.
fn exported_sheets(budget: &Budget, template: &Template) -> Vec<Sheet> {
    let path = Path::new("export.xlsx");
    let bytes = workbook_bytes(&views(budget, template), budget.year, path).expect("written");
    sheets_from_bytes(bytes, path).expect("read back")
}

#[test]
fn a_json_model_is_laid_out_as_export_writes_it() {
    let template = template();
    for budget in models() {
        let laid_out: Vec<_> = table_sheets(&views(&budget, &template))
            .iter()
            .map(contents)
            .collect();
        let read_back: Vec<_> = exported_sheets(&budget, &template)
            .iter()
            .map(contents)
            .collect();
        assert_eq!(laid_out, read_back);
    }
}

#[test]
fn json_sample_findings_equal_those_of_its_exported_workbook() {
    let template = template();
    let dir = tempdir();
    for (i, budget) in models().into_iter().enumerate() {
        let json = dir.path().join(format!("model{i}.json"));
        std::fs::write(&json, serde_json::to_string(&budget).expect("json")).expect("saved");
        let checked = check_input(&json, &template).expect("checked");
        // What validating a JSON model meant before: export it to .xlsx
        // bytes, read them back and locate the tables there.
        let sheets = exported_sheets(&budget, &template);
        let tables = locate_tables(&sheets, &template, &mut Vec::new());
        let through_xlsx: Vec<Finding> = budgetkit::rules::check(&budget, &tables, &template);
        assert_eq!(checked.findings, through_xlsx);
        assert_eq!(checked.tables, tables);
        // And validating the exported workbook itself finds the same; only
        // the performance forms' cells differ: the JSON sample's forms
        // carry no provenance, the workbook's forms are read with theirs.
        let xlsx = dir.path().join(format!("model{i}.xlsx"));
        let bytes =
            workbook_bytes(&views(&budget, &template), budget.year, &xlsx).expect("written");
        std::fs::write(&xlsx, bytes).expect("saved");
        let as_workbook = check_input(&xlsx, &template).expect("checked");
        let on_tables = |fs: &[Finding]| -> Vec<Finding> {
            fs.iter()
                .cloned()
                .map(|mut f| {
                    if f.rule.starts_with("PF-") {
                        f.cells.clear();
                    }
                    f
                })
                .collect()
        };
        assert_eq!(
            on_tables(&checked.findings),
            on_tables(&as_workbook.findings)
        );
        if i == 1 {
            assert!(
                checked
                    .findings
                    .iter()
                    .any(|f| f.rule == "IT-ECON-GROUP" && f.cells[0].sheet == "预算公开表6"),
                "{:?}",
                checked.findings
            );
        }
    }
}
