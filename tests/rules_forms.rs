//! The performance-form rules (PF-*), checked on the model: the sample's
//! tables as filed plus the forms of the sample model, each form value
//! given a cell so findings can name it. Every PF rule has a perturbation
//! here; tests/rules.rs covers the rest.

mod common;

use budgetkit::commands::{validate, ValidateOptions};
use budgetkit::findings::{Finding, Severity};
use budgetkit::model::{Amount, Provenance};
use budgetkit::read::{read_json, read_path, Submission};
use budgetkit::rules::{check, RULES};
use budgetkit::spec::Template;
use common::book::listing;
use rust_decimal::Decimal;

fn at(sheet: &str, cell: &str) -> Option<Provenance> {
    Some(Provenance {
        sheet: sheet.into(),
        cell: budgetkit::model::A1::parse(cell).unwrap(),
        text: String::new(),
    })
}

fn amount(v: &str, sheet: &str, cell: &str) -> Option<Amount> {
    Some(Amount {
        value: v.parse::<Decimal>().unwrap(),
        at: at(sheet, cell),
    })
}

/// The sample workbook with the sample model's forms; form `i` sits on
/// sheet `绩效i` with its name in C3, 年度资金总额 in F5, 市县资金 in F8,
/// 实施期资金总额 in C5 and 实施期市县资金 in C8; the department form on
/// sheet `整体绩效` with 按来源 in C10.. and 按方向 in F10...
fn sample() -> Submission {
    let template = Template::load("sx-2025").unwrap();
    let mut sub = read_path(&common::sample_xlsx(), &template).unwrap();
    let model = read_json(&common::sample_json()).unwrap();
    sub.budget.performance = model.budget.performance;
    for (i, form) in sub.budget.performance.projects.iter_mut().enumerate() {
        let sheet = format!("绩效{}", i + 1);
        form.name_at = at(&sheet, "C3");
        let keep = |a: &Option<Amount>, cell: &str| {
            a.as_ref()
                .and_then(|a| amount(&a.value.to_string(), &sheet, cell))
        };
        form.annual_funds.total = keep(&form.annual_funds.total, "F5");
        form.annual_funds.local = keep(&form.annual_funds.local, "F8");
        form.period_funds.total = keep(&form.period_funds.total, "C5");
        form.period_funds.local = keep(&form.period_funds.local, "C8");
    }
    if let Some(d) = sub.budget.performance.department.as_mut() {
        let keep = |a: &Option<Amount>, cell: &str| {
            a.as_ref()
                .and_then(|a| amount(&a.value.to_string(), "整体绩效", cell))
        };
        d.funds_by_source.total = keep(&d.funds_by_source.total, "C10");
        d.funds_by_source.general = keep(&d.funds_by_source.general, "C11");
        d.funds_by_use.total = keep(&d.funds_by_use.total, "F10");
        d.funds_by_use.basic = keep(&d.funds_by_use.basic, "F11");
        d.funds_by_use.project = keep(&d.funds_by_use.project, "F12");
    }
    sub
}

fn run(sub: &Submission) -> Vec<Finding> {
    let template = Template::load("sx-2025").unwrap();
    check(&sub.budget, &sub.tables, &template)
}

fn form_index(sub: &Submission, name: &str) -> usize {
    sub.budget
        .performance
        .projects
        .iter()
        .position(|f| f.name == name)
        .unwrap()
}

/// Asserts `rule` fires naming every cell in `cells`, and nothing outside
/// `rule`, `also` and the sample's own two warnings fires.
fn fires(findings: &[Finding], rule: &str, cells: &[&str], also: &[&str]) {
    let all = listing(findings);
    let severity = budgetkit::rules::rule(rule).unwrap().severity;
    assert!(
        findings.iter().any(|f| f.rule == rule
            && f.severity == severity
            && cells.iter().all(|c| f.cells.iter().any(|x| x == c))),
        "{rule} should name {cells:?}:\n{all}"
    );
    let known = ["PF-NAME-T12", "PF-PERIOD-SUM"];
    for f in findings {
        assert!(
            f.rule == rule || also.contains(&f.rule.as_str()) || known.contains(&f.rule.as_str()),
            "unexpected {}:\n{all}",
            f.rule
        );
    }
}

#[test]
fn the_sample_forms_give_the_name_warning_and_no_error() {
    let findings = run(&sample());
    assert!(
        findings.iter().all(|f| f.severity == Severity::Warning),
        "{}",
        listing(&findings)
    );
    let name = findings
        .iter()
        .find(|f| f.rule == "PF-NAME-T12")
        .expect("name warning");
    assert!(
        name.message.contains("外高外投资服务经费")
            && name.message.contains("外商外资联络服务经费")
    );
    assert_eq!(
        name.cells,
        vec!["绩效2!C3".to_string(), "预算公开表12!A11".to_string()]
    );
    // The misnamed form is still paired with its project, so its amount is
    // checked and no project is reported without a form.
    assert!(!findings.iter().any(|f| f.rule == "PF-MISSING"));
    let period = findings
        .iter()
        .find(|f| f.rule == "PF-PERIOD-SUM")
        .expect("period warning");
    assert!(period.cells.iter().any(|c| *c == "绩效2!C5"), "{period:?}");
}

#[test]
fn the_sample_model_validates_with_the_name_warning_and_no_error() {
    let template = Template::load("sx-2025").unwrap();
    let opts = ValidateOptions {
        template: &template,
        annotate: None,
    };
    let report = validate(&common::sample_json(), &opts).unwrap();
    assert_eq!(report.summary.errors, 0, "{}", listing(&report.findings));
    let name = report
        .findings
        .iter()
        .find(|f| f.rule == "PF-NAME-T12")
        .expect("name warning");
    assert_eq!(name.severity, Severity::Warning);
    assert!(
        name.cells.iter().any(|c| *c == "预算公开表12!A11"),
        "{:?}",
        name.cells
    );
}

#[test]
fn a_form_amount_differing_from_t12_is_an_error() {
    let mut sub = sample();
    let i = form_index(&sub, "宣传经费");
    let form = &mut sub.budget.performance.projects[i];
    form.annual_funds.total = amount("6", &format!("绩效{}", i + 1), "F5");
    form.annual_funds.local = amount("6", &format!("绩效{}", i + 1), "F8");
    let cell = format!("绩效{}!F5", i + 1);
    fires(
        &run(&sub),
        "PF-AMOUNT-T12",
        &[&cell, "预算公开表12!B9"],
        &[],
    );
}

#[test]
fn the_misnamed_form_amount_is_still_checked() {
    let mut sub = sample();
    let i = form_index(&sub, "外高外投资服务经费");
    let form = &mut sub.budget.performance.projects[i];
    form.annual_funds.total = amount("56", "x", "F5");
    form.annual_funds.local = amount("56", "x", "F8");
    fires(
        &run(&sub),
        "PF-AMOUNT-T12",
        &["x!F5", "预算公开表12!B11"],
        &[],
    );
}

#[test]
fn a_form_naming_no_project_is_a_warning() {
    let mut sub = sample();
    let i = form_index(&sub, "宣传经费");
    let form = &mut sub.budget.performance.projects[i];
    form.name = "完全不同的名称".into();
    form.annual_funds.total = amount("7", "y", "F5");
    form.annual_funds.local = amount("7", "y", "F8");
    let cell = format!("绩效{}!C3", i + 1);
    fires(&run(&sub), "PF-NAME-T12", &[&cell], &["PF-MISSING"]);
}

#[test]
fn a_project_without_a_form_is_a_warning() {
    let mut sub = sample();
    let i = form_index(&sub, "财务管理费");
    sub.budget.performance.projects.remove(i);
    fires(&run(&sub), "PF-MISSING", &["预算公开表12!A10"], &[]);
}

#[test]
fn the_department_form_by_source_differing_from_t1_is_an_error() {
    let mut sub = sample();
    let d = sub.budget.performance.department.as_mut().unwrap();
    d.funds_by_source.general = amount("353.94", "整体绩效", "C11");
    fires(
        &run(&sub),
        "PF-DEPT-T1",
        &["整体绩效!C11", "预算公开表1!B6"],
        &["PF-FORM-SUM"],
    );
}

#[test]
fn the_department_form_by_use_differing_from_t3_is_an_error() {
    let mut sub = sample();
    let d = sub.budget.performance.department.as_mut().unwrap();
    d.funds_by_use.basic = amount("236.94", "整体绩效", "F11");
    fires(
        &run(&sub),
        "PF-DEPT-T3",
        &["整体绩效!F11", "预算公开表3!D6"],
        &["PF-FORM-SUM"],
    );
}

#[test]
fn a_form_part_changed_without_its_total_is_an_error() {
    let mut sub = sample();
    let i = form_index(&sub, "宣传经费");
    let sheet = format!("绩效{}", i + 1);
    sub.budget.performance.projects[i].annual_funds.local = amount("6", &sheet, "F8");
    let total = format!("{sheet}!F5");
    let part = format!("{sheet}!F8");
    fires(&run(&sub), "PF-FORM-SUM", &[&total, &part], &[]);
}

#[test]
fn a_period_part_changed_without_its_total_is_a_warning() {
    let mut sub = sample();
    let i = form_index(&sub, "宣传经费");
    let sheet = format!("绩效{}", i + 1);
    sub.budget.performance.projects[i].period_funds.local = amount("6", &sheet, "C8");
    let part = format!("{sheet}!C8");
    fires(&run(&sub), "PF-PERIOD-SUM", &[&part], &[]);
}

#[test]
fn every_form_rule_has_a_case_here() {
    let covered = [
        "PF-NAME-T12",
        "PF-AMOUNT-T12",
        "PF-MISSING",
        "PF-DEPT-T1",
        "PF-DEPT-T3",
        "PF-FORM-SUM",
        "PF-PERIOD-SUM",
    ];
    for rule in RULES.iter().filter(|r| r.id.starts_with("PF-")) {
        assert!(covered.contains(&rule.id), "no case for {}", rule.id);
    }
}
