//! The facts a narrative states that the tables do not hold (#11 item 4)
//! are part of the model: `budgetkit template` writes a 情况说明补充数据
//! sheet for them, the workbook reads them back with their cells, a JSON
//! model keeps them, and the narrative check finds the same on the JSON
//! as on the workbook.

mod common;

use budgetkit::commands::narrative_findings;
use budgetkit::model::StatedFacts;
use budgetkit::narrative::{check_narrative, Narrative, NarrativeSpec, Status};
use budgetkit::read::{read_json, read_path, read_sheets};
use budgetkit::{Budget, Finding, Severity, Template};
use common::narrative::{data, sample_budget, stated_as_written};
use common::parts::{part_text, read_parts};
use common::{filled_fill_in_with, tempdir};
use std::path::{Path, PathBuf};

fn shanxi_text() -> PathBuf {
    data("shanxi-narrative.txt")
}

fn shanghai_text() -> PathBuf {
    data("shanghai-narrative.txt")
}

/// A sample's model with the facts its reference narrative states
/// (first figure of each), and its template.
fn stated_model(file: &str, id: &str, text: &Path) -> (Budget, Template) {
    let mut model = sample_budget(file, id);
    let spec = NarrativeSpec::for_template(id).unwrap();
    model.stated = stated_as_written(&Narrative::read(text).unwrap(), &model, &spec);
    (model, Template::load(id).unwrap())
}

/// The model's stated facts as (fact, value, cell) for comparison.
fn listed(stated: &StatedFacts) -> Vec<(String, String, String)> {
    stated
        .iter()
        .map(|(fact, v)| {
            let cell = v.at.as_ref().map(|p| p.reference().to_string());
            (
                fact.clone(),
                v.value.normalize().to_string(),
                cell.unwrap_or_default(),
            )
        })
        .collect()
}

fn stated_errors(findings: &[Finding]) -> Vec<&Finding> {
    findings
        .iter()
        .filter(|f| f.rule == "NARR-STATED")
        .collect()
}

#[test]
fn the_fill_in_workbook_writes_the_stated_sheet_and_reads_it_back() {
    let (model, template) =
        stated_model("shuozhou-investment-2025.xlsx", "sx-2025", &shanxi_text());
    assert_eq!(model.stated.len(), 18);
    let dir = tempdir();
    let path = filled_fill_in_with(dir.path(), &template, &model);
    let sub = read_path(&path, &template).unwrap();
    assert!(
        stated_errors(&sub.findings).is_empty(),
        "{:#?}",
        sub.findings
    );
    assert_eq!(sub.budget.stated, model.stated);
    let got = listed(&sub.budget.stated);
    // One row per fact of the spec, from row 5, in its order: 政府采购
    // goods (the second) at B6, 公务用车编制 (the ninth) at B13.
    let at = |fact: &str| got.iter().find(|(f, _, _)| f == fact).unwrap();
    assert_eq!(
        at("procurement.goods"),
        &(
            "procurement.goods".to_string(),
            "0.7".to_string(),
            "情况说明补充数据!B6".to_string()
        )
    );
    assert_eq!(at("vehicles.quota").2, "情况说明补充数据!B13");
    assert_eq!(at("office_area").1, "221");
    // The sheet: last, protected, with a validation per input — a whole
    // number ≥ 0 for a count, a decimal ≥ 0 for an amount.
    let parts = read_parts(&path);
    let names = read_sheets(&path).unwrap();
    let index = names
        .iter()
        .position(|s| s.name == "情况说明补充数据")
        .unwrap();
    assert_eq!(index + 1, names.len());
    let xml = part_text(&parts, &format!("xl/worksheets/sheet{}.xml", index + 1));
    assert!(xml.contains("<sheetProtection sheet=\"1\""), "{xml}");
    let validations = xml.matches("<dataValidation ").count();
    assert_eq!(validations, 18, "{xml}");
    assert!(xml.contains(
        "type=\"whole\" operator=\"greaterThanOrEqual\" allowBlank=\"1\" showInputMessage=\"1\" showErrorMessage=\"1\" errorTitle=\"应填整数\""
    ), "{xml}");
    assert!(
        xml.contains("type=\"decimal\" operator=\"greaterThanOrEqual\""),
        "{xml}"
    );
    assert!(xml.contains("sqref=\"B13\""), "{xml}");
}

#[test]
fn a_blank_stated_sheet_states_nothing_and_finds_nothing() {
    let model = sample_budget("shuozhou-investment-2025.xlsx", "sx-2025");
    assert!(model.stated.is_empty());
    let template = Template::load("sx-2025").unwrap();
    let dir = tempdir();
    let path = filled_fill_in_with(dir.path(), &template, &model);
    let sheets = read_sheets(&path).unwrap();
    let sheet = sheets
        .iter()
        .find(|s| s.name == "情况说明补充数据")
        .unwrap();
    assert_eq!(sheet.text(0, 0), "2025年情况说明补充数据");
    assert_eq!(sheet.text(1, 0), "部门名称：朔州市促进外来投资局");
    assert_eq!(sheet.text(4, 0), "政府采购预算总额（万元）");
    assert_eq!(sheet.text(4, 1), "");
    let sub = read_path(&path, &template).unwrap();
    assert!(sub.budget.stated.is_empty(), "{:#?}", sub.budget.stated);
    assert!(stated_errors(&sub.findings).is_empty());
}

#[test]
fn a_json_model_keeps_the_stated_facts_and_checks_as_its_workbook() {
    let (model, template) =
        stated_model("shuozhou-investment-2025.xlsx", "sx-2025", &shanxi_text());
    let dir = tempdir();
    let xlsx = filled_fill_in_with(dir.path(), &template, &model);
    let from_workbook = read_path(&xlsx, &template).unwrap();
    // budgetkit import -o X.json
    let json = dir.path().join("model.json");
    std::fs::write(&json, serde_json::to_string(&from_workbook.budget).unwrap()).unwrap();
    let from_json = read_json(&json).unwrap();
    assert_eq!(from_json.budget.stated, from_workbook.budget.stated);
    assert_eq!(
        listed(&from_json.budget.stated),
        listed(&from_workbook.budget.stated)
    );
    // validate X --narrative TEXT on both; one stated figure changed so
    // that an error names the stated cell.
    let text = std::fs::read_to_string(shanxi_text()).unwrap().replacen(
        "政府采购货物预算0.70万元",
        "政府采购货物预算0.07万元",
        1,
    );
    let narrative = dir.path().join("情况说明.txt");
    std::fs::write(&narrative, text).unwrap();
    let narr = |sub: &budgetkit::read::Submission, path: &Path| {
        let sheets = if path == json {
            Vec::new()
        } else {
            read_sheets(path).unwrap()
        };
        narrative_findings(sub, &sheets, Some(&narrative), None, &template).unwrap()
    };
    let on_workbook = narr(&from_workbook, &xlsx);
    let on_json = narr(&from_json, &json);
    assert_eq!(on_json, on_workbook);
    let errors: Vec<&Finding> = on_json
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].rule, "NARR-AMOUNT");
    assert_eq!(errors[0].cells_joined(","), "情况说明补充数据!B6");
}

#[test]
fn json_without_stated_facts_still_loads() {
    let old = read_json(&common::sample_json()).unwrap();
    assert!(old.budget.stated.is_empty());
    let text = std::fs::read_to_string(common::sample_json()).unwrap();
    assert!(!text.contains("\"stated\""));
}

#[test]
fn the_sh_2026_fill_in_states_procurement_performance_and_vehicles_and_they_are_checked() {
    let (model, template) = stated_model(
        "shanghai-putuo-finance-2025.xlsx",
        "sh-2026",
        &shanghai_text(),
    );
    let facts: Vec<&str> = model.stated.keys().map(String::as_str).collect();
    assert_eq!(
        facts,
        [
            "performance.project_count",
            "performance.projects_amount",
            "procurement",
            "procurement.goods",
            "procurement.services",
            "procurement.works",
            "vehicles.actual",
            "vehicles.purchase",
        ]
    );
    let dir = tempdir();
    let path = filled_fill_in_with(dir.path(), &template, &model);
    let read = read_path(&path, &template).unwrap().budget;
    assert_eq!(read.stated, model.stated);
    let sheets = read_sheets(&path).unwrap();
    let sheet = sheets.last().unwrap();
    assert_eq!(sheet.name, "情况说明补充数据");
    // The department line as above Shanghai's tables.
    assert_eq!(sheet.text(1, 0), "编制部门：上海市普陀区财政局");
    let spec = NarrativeSpec::for_template("sh-2026").unwrap();
    let reference = Narrative::read(&shanghai_text()).unwrap();
    let report = check_narrative(&reference, &read, None, &spec);
    let status_of = |fact: &str| {
        report
            .readings
            .iter()
            .filter(|r| r.claim == Some(budgetkit::narrative::Claim::Value(fact.into())))
            .map(|r| r.status)
            .collect::<Vec<_>>()
    };
    for fact in facts {
        assert_eq!(status_of(fact), [Status::Agrees], "{fact}");
    }
    // 887.36 is still the only error.
    let errors: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.found.as_deref().unwrap_or_default())
        .collect();
    assert_eq!(errors, ["887.36万元"]);
    // A 政府采购 figure that disagrees with the stated one is an error on
    // its cell.
    let mut text = reference.clone();
    let p = text
        .paragraphs
        .iter_mut()
        .find(|p| p.contains("政府采购货物预算17.00万元"))
        .unwrap();
    *p = p.replacen("货物预算17.00万元", "货物预算71.00万元", 1);
    let report = check_narrative(&text, &read, None, &spec);
    let bad: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error && f.found.as_deref() == Some("71.00万元"))
        .collect();
    assert_eq!(bad.len(), 1, "{:#?}", report.findings);
    assert_eq!(bad[0].rule, "NARR-AMOUNT");
    assert_eq!(bad[0].expected.as_deref(), Some("17.00万元"));
    assert!(bad[0].cells_joined(",").starts_with("情况说明补充数据!B"));
}

#[test]
fn a_stated_count_that_is_not_whole_or_a_negative_amount_is_an_error_naming_its_cell() {
    let (mut model, template) =
        stated_model("shuozhou-investment-2025.xlsx", "sx-2025", &shanxi_text());
    let goods = model.stated.get_mut("procurement.goods").unwrap();
    goods.value = -goods.value;
    let quota = model.stated.get_mut("vehicles.quota").unwrap();
    quota.value = rust_decimal::Decimal::new(25, 1);
    let dir = tempdir();
    let path = filled_fill_in_with(dir.path(), &template, &model);
    let sub = read_path(&path, &template).unwrap();
    let errors = stated_errors(&sub.findings);
    let found: Vec<(String, &str, &str)> = errors
        .iter()
        .map(|f| {
            assert_eq!(f.severity, Severity::Error);
            (
                f.cells_joined(","),
                f.found.as_deref().unwrap_or_default(),
                f.message.as_str(),
            )
        })
        .collect();
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(found[0].0, "情况说明补充数据!B6");
    assert_eq!(found[0].1, "-0.7");
    assert!(
        found[0]
            .2
            .contains("情况说明补充数据!B6“政府采购货物预算（万元）”应填不小于 0 的数字（万元）"),
        "{}",
        found[0].2
    );
    assert_eq!(found[1].0, "情况说明补充数据!B13");
    assert!(
        found[1].2.contains("应填不小于 0 的整数（辆）"),
        "{}",
        found[1].2
    );
    assert!(!sub.budget.stated.contains_key("procurement.goods"));
    assert!(!sub.budget.stated.contains_key("vehicles.quota"));
}
