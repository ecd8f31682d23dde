//! Facts the tables do not hold (issue #11 item 4): 政府采购, projects by
//! type, vehicles, office space, stated by the department on a
//! 情况说明补充数据 sheet of its workbook, are read into the model
//! (`Budget::stated`), checked and drafted. The sheet is built here from
//! the reference text's own figures.

mod common;

use budgetkit::narrative::{
    check_narrative, draft, Narrative, NarrativeReport, NarrativeSpec, Status,
};
use budgetkit::read::{read_sheets, read_workbook, RawCell, Sheet};
use budgetkit::{Budget, Finding, Severity, Template};
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn sample_path() -> std::path::PathBuf {
    root().join("samples/shuozhou-investment-2025.xlsx")
}

fn sample() -> Budget {
    budgetkit::read(sample_path(), &Template::load("sx-2025").unwrap())
        .unwrap()
        .budget
}

fn spec() -> NarrativeSpec {
    NarrativeSpec::for_template("sx-2025").unwrap()
}

fn reference() -> Narrative {
    Narrative::read(&root().join("tests/data/shanxi-narrative.txt")).unwrap()
}

fn check(text: &Narrative, budget: &Budget) -> NarrativeReport {
    check_narrative(text, budget, None, &spec())
}

/// The model of `sheets` (the sample's and a stated sheet) and its
/// reading findings of the stated sheet.
fn read(sheets: &[Sheet]) -> (Budget, Vec<Finding>) {
    let template = Template::load("sx-2025").unwrap();
    let sub = read_workbook(sheets, &template, &sample_path()).unwrap();
    let stated = sub
        .findings
        .into_iter()
        .filter(|f| f.rule == "NARR-STATED")
        .collect();
    (sub.budget, stated)
}

fn cell(text: &str) -> RawCell {
    RawCell {
        text: text.to_string(),
        numeric: false,
    }
}

/// The sample's sheets and a 情况说明补充数据 sheet holding, for each fact
/// the spec lets a department state, the figure the reference writes for
/// it (its first).
fn sheets_with_stated_facts() -> (Vec<Sheet>, usize) {
    let spec = spec();
    let written = common::narrative::stated_as_written(&reference(), &sample(), &spec);
    let mut sheet = Sheet::new("情况说明补充数据", false);
    sheet.set(0, 0, cell("2025年情况说明补充数据"));
    let mut row = 1;
    for entry in &spec.stated {
        if let Some(v) = written.get(&entry.fact) {
            sheet.set(row, 0, cell(&entry.label));
            sheet.set(row, 1, cell(&v.value.to_string()));
            row += 1;
        }
    }
    let mut sheets = read_sheets(&sample_path()).unwrap();
    sheets.push(sheet);
    (sheets, usize::try_from(row - 1).unwrap())
}

#[test]
fn stated_facts_are_read_from_their_sheet() {
    let (sheets, rows) = sheets_with_stated_facts();
    // 政府采购 4, projects by type 4, vehicles 9, office space 1.
    assert_eq!(rows, 18);
    let (budget, findings) = read(&sheets);
    assert!(findings.is_empty(), "{findings:#?}");
    let stated = &budget.stated;
    assert_eq!(stated.len(), 18);
    let goods = &stated["procurement.goods"];
    assert_eq!(goods.value.to_string(), "0.70");
    assert!(!goods.is_count());
    let at = goods.at.as_ref().unwrap();
    assert_eq!(at.reference().to_string(), "情况说明补充数据!B3");
    assert!(stated["vehicles.quota"].is_count());
}

#[test]
fn with_stated_facts_sections_9_10_and_11_are_checked() {
    let (sheets, _) = sheets_with_stated_facts();
    let (stated, _) = read(&sheets);
    let report = check(&reference(), &stated);
    assert!(report
        .findings
        .iter()
        .all(|f| f.severity == Severity::Warning));
    let unchecked: Vec<String> = report
        .readings
        .iter()
        .filter(|r| r.status == Status::Unchecked)
        .map(|r| r.figure.text.clone())
        .collect();
    // Only the equipment thresholds and counts are left.
    assert_eq!(unchecked, ["50万元", "0台（套）", "100万元", "0台（套）"]);
    let mut text = reference();
    let p = text
        .paragraphs
        .iter_mut()
        .find(|p| p.contains("政府采购货物预算"))
        .unwrap();
    *p = p.replacen("0.70万元", "0.07万元", 1);
    let report = check(&text, &stated);
    let errors: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].rule, "NARR-AMOUNT");
    assert_eq!(errors[0].cells_joined(","), "情况说明补充数据!B3");
}

#[test]
fn a_stated_value_that_is_not_a_number_is_an_error_on_its_cell() {
    let (mut sheets, _) = sheets_with_stated_facts();
    let last = sheets.last_mut().unwrap();
    last.set(1, 1, cell("约1.5"));
    let (budget, findings) = read(&sheets);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].rule, "NARR-STATED");
    assert_eq!(findings[0].cells_joined(","), "情况说明补充数据!B2");
    assert!(!budget.stated.contains_key("procurement"));
}

#[test]
fn the_draft_writes_the_stated_facts_and_checks_clean() {
    let (sheets, _) = sheets_with_stated_facts();
    let (stated, _) = read(&sheets);
    let template = Template::load("sx-2025").unwrap();
    let d = draft(&stated, None, &spec(), &template);
    let text = d.to_text();
    assert!(text.contains("政府采购货物预算0.70万元"), "{text}");
    assert!(text.contains("共有公务用车编制2辆，实有1辆"), "{text}");
    assert!(text.contains("办公用房建筑总面积221平方米"), "{text}");
    let report = check(&Narrative::from_text("d.txt", &text), &stated);
    assert!(report.findings.iter().all(|f| f.rule == "NARR-NEEDS-PRIOR"));
    assert!(report
        .readings
        .iter()
        .all(|r| r.status != Status::Disagrees));
}
