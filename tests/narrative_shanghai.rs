//! The narrative check (issue #11, Shanghai) on the real 部门预算编制说明
//! and 其他相关情况说明 of 上海市普陀区财政局 2025
//! (tests/data/shanghai-narrative.txt) against the sh-2026 sample, whose
//! tables hold amounts in 元: its real mistakes are found, and nothing
//! else is an error.

mod common;

use budgetkit::narrative::{
    check_narrative, Claim, Narrative, NarrativeReport, NarrativeSpec, Status,
};
use budgetkit::{Budget, Finding, Severity, Template};
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn sample() -> Budget {
    common::narrative::sample_budget("shanghai-putuo-finance-2025.xlsx", "sh-2026")
}

fn reference() -> Narrative {
    Narrative::read(&root().join("tests/data/shanghai-narrative.txt")).unwrap()
}

fn check_against(text: &Narrative, prior: Option<&Budget>) -> NarrativeReport {
    let spec = NarrativeSpec::for_template("sh-2026").unwrap();
    check_narrative(text, &sample(), prior, &spec)
}

fn check(text: &Narrative) -> NarrativeReport {
    check_against(text, None)
}

fn with_rule<'a>(report: &'a NarrativeReport, rule: &str) -> Vec<&'a Finding> {
    report.findings.iter().filter(|f| f.rule == rule).collect()
}

/// (rule, paragraph, figure found) of each error.
fn errors(report: &NarrativeReport) -> Vec<(String, usize, String)> {
    report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| {
            (
                f.rule.clone(),
                f.paragraph.unwrap_or_default(),
                f.found.clone().unwrap_or_default(),
            )
        })
        .collect()
}

/// The paragraph number (from 1) of the first paragraph holding `words`.
fn paragraph_of(text: &Narrative, words: &str) -> usize {
    1 + text
        .paragraphs
        .iter()
        .position(|p| p.contains(words))
        .unwrap()
}

#[test]
fn the_sh_2026_template_has_a_narrative_spec() {
    let spec = NarrativeSpec::for_template("sh-2026").unwrap();
    assert_eq!(spec.sections.len(), 2);
    assert_eq!(spec.word("fiscal_spending"), Some("财政拨款支出预算"));
}

#[test]
fn the_occupational_annuity_887_36_is_the_only_error() {
    let text = reference();
    let report = check(&text);
    let p = paragraph_of(&text, "职业年金缴费支出");
    assert_eq!(
        errors(&report),
        [("NARR-AMOUNT".to_string(), p, "887.36万元".to_string())]
    );
    let e = with_rule(&report, "NARR-AMOUNT")[0];
    assert_eq!(e.expected.as_deref(), Some("87.36万元"));
    assert!(e.quote.as_deref().unwrap().contains("887.36万元"), "{e:?}");
    assert!(
        e.message.contains("机关事业单位职业年金缴费支出"),
        "{}",
        e.message
    );
    assert_eq!(e.cells_joined(","), "部门一般公共预算拨款表!F19");
}

#[test]
fn the_repeated_list_items_7_to_11_are_warnings_and_not_checked_twice() {
    let text = reference();
    let report = check(&text);
    let repeated = with_rule(&report, "NARR-REPEATED");
    let first = paragraph_of(&text, "7.“社会保障");
    let again: Vec<usize> = repeated.iter().filter_map(|f| f.paragraph).collect();
    assert_eq!(again, (first + 5..first + 10).collect::<Vec<_>>());
    for (i, f) in repeated.iter().enumerate() {
        assert_eq!(f.severity, Severity::Warning);
        assert!(
            f.message.contains(&format!("与第{}段重复", first + i)),
            "{}",
            f.message
        );
        let item = format!("{}.“", 7 + i);
        assert!(f.quote.as_deref().unwrap().starts_with(&item), "{f:?}");
    }
    // The repeats' figures are not read again: 887.36 is one error.
    assert!(report
        .readings
        .iter()
        .all(|r| r.paragraph < first + 5 || r.paragraph >= first + 10));
}

#[test]
fn the_truncated_figures_are_warnings_with_the_rounded_value() {
    let report = check(&reference());
    let truncated: Vec<(&str, &str)> = with_rule(&report, "NARR-TRUNCATED")
        .iter()
        .map(|f| {
            assert_eq!(f.severity, Severity::Warning);
            (f.found.as_deref().unwrap(), f.expected.as_deref().unwrap())
        })
        .collect();
    // 877,080 元, 782,164 元, 2,049,197 元, 2,687,760 元.
    assert_eq!(
        truncated,
        [
            ("87.70万元", "87.71万元"),
            ("78.21万元", "78.22万元"),
            ("204.91万元", "204.92万元"),
            ("268.77万元", "268.78万元"),
        ]
    );
    let f = with_rule(&report, "NARR-TRUNCATED")[0];
    assert!(f.message.contains("行政单位离退休"), "{}", f.message);
    assert_eq!(f.cells_joined(","), "部门一般公共预算拨款表!F17");
}

#[test]
fn the_figures_compared_with_2024_need_prior() {
    let report = check(&reference());
    let needing: Vec<(&str, &str)> = with_rule(&report, "NARR-NEEDS-PRIOR")
        .iter()
        .map(|f| {
            assert_eq!(f.severity, Severity::Warning);
            assert!(f.quote.as_deref().unwrap().contains("2024年预算"), "{f:?}");
            let subject = f.message.split('是').nth(1).unwrap_or_default();
            let subject = subject.split("与上年").next().unwrap_or_default();
            let figure = f.message.split('“').nth(1).unwrap_or_default();
            (subject, figure.split('”').next().unwrap_or_default())
        })
        .collect();
    assert_eq!(
        needing,
        [
            ("财政拨款收入", "107.62万元"),
            ("财政拨款支出预算", "107.62万元"),
            ("一般公共预算拨款支出预算", "107.62万元"),
            // 与2024年预算持平: a change of nought, written without a figure.
            ("政府性基金拨款支出预算", "持平"),
            ("国有资本经营预算拨款支出预算", "持平"),
            ("“三公”经费预算", "持平"),
            ("因公出国（境）费", "持平"),
            ("公务用车购置费", "0万元"),
            ("公务用车运行费", "0万元"),
            ("公务接待费", "持平"),
        ]
    );
}

#[test]
fn nothing_else_is_found() {
    let report = check(&reference());
    let mut rules: Vec<&str> = report.findings.iter().map(|f| f.rule.as_str()).collect();
    rules.sort_unstable();
    rules.dedup();
    assert_eq!(
        rules,
        [
            "NARR-AMOUNT",
            "NARR-NEEDS-PRIOR",
            "NARR-REPEATED",
            "NARR-TRUNCATED"
        ]
    );
    // 887.36; 5 against 2024 with a figure and 5 持平; items 7–11; 4 truncated.
    assert_eq!(report.findings.len(), 1 + (5 + 5) + 5 + 4);
}

#[test]
fn every_function_item_of_the_list_is_matched_to_its_line() {
    let report = check(&reference());
    let items: Vec<(&str, Status)> = report
        .readings
        .iter()
        .filter_map(|r| match &r.claim {
            Some(Claim::Value(f)) if f.starts_with("function.") => Some((f.as_str(), r.status)),
            _ => None,
        })
        .collect();
    use Status::{Agrees, Disagrees, Truncated};
    assert_eq!(
        items,
        [
            ("function.2010601", Agrees),
            ("function.2010602", Agrees),
            ("function.2010607", Agrees),
            ("function.2010608", Agrees),
            ("function.2080501", Truncated),
            ("function.2080505", Agrees),
            ("function.2080506", Disagrees),
            // 其它行政事业单位养老支出 in the text, 其他… in the table.
            ("function.2080599", Agrees),
            ("function.2101101", Truncated),
            ("function.2210201", Truncated),
            ("function.2210203", Truncated),
        ]
    );
}

#[test]
fn facts_the_tables_do_not_hold_stay_unchecked() {
    let report = check(&reference());
    let status_of = |fact: &str| -> Vec<Status> {
        report
            .readings
            .iter()
            .filter(|r| r.claim == Some(Claim::Value(fact.to_string())))
            .map(|r| r.status)
            .collect()
    };
    assert_eq!(status_of("procurement"), [Status::Unchecked]);
    assert_eq!(status_of("procurement.goods"), [Status::Unchecked]);
    assert_eq!(status_of("procurement.services"), [Status::Unchecked]);
    assert_eq!(status_of("performance.project_count"), [Status::Unchecked]);
    assert_eq!(
        status_of("performance.projects_amount"),
        [Status::Unchecked]
    );
    assert_eq!(status_of("vehicles.actual"), [Status::Unchecked]);
    // The tables' own facts of the same section are checked.
    assert_eq!(status_of("three_public"), [Status::Agrees]);
    assert_eq!(status_of("three_public.reception"), [Status::Agrees]);
    assert_eq!(status_of("operating_costs"), [Status::Agrees]);
}

#[test]
fn changing_any_agreeing_figure_is_a_second_error_quoting_it() {
    let changed = common::narrative::assert_each_agreeing_figure_changed_is_an_error(
        &reference(),
        check,
        &["887.36万元"],
    );
    assert!(changed >= 20, "{changed} figures changed");
}

#[test]
fn with_a_prior_year_a_change_is_of_the_item_just_before_it() {
    // Last year's submission the same as this year's: every change is 0.
    let prior = sample();
    let report = check_against(&reference(), Some(&prior));
    assert!(with_rule(&report, "NARR-NEEDS-PRIOR").is_empty());
    let changes: Vec<&Finding> = with_rule(&report, "NARR-CHANGE");
    assert_eq!(changes.len(), 3, "{changes:#?}");
    assert!(changes[0]
        .message
        .starts_with("第2段“107.62万元”与表中财政拨款收入比上年的增减额"));
    assert!(changes
        .iter()
        .all(|c| c.expected.as_deref() == Some("增加0.00万元")));
    // 与2024年预算一致0万元 agrees with no change.
    let agreeing_zero_changes = report
        .readings
        .iter()
        .filter(|r| matches!(r.claim, Some(Claim::Change { .. })) && r.status == Status::Agrees)
        .count();
    assert_eq!(agreeing_zero_changes, 2);
}

fn sample_sheets() -> Vec<budgetkit::read::Sheet> {
    budgetkit::read::read_sheets(&root().join("samples/shanghai-putuo-finance-2025.xlsx")).unwrap()
}

#[test]
fn the_samples_own_text_sheets_read_as_the_narrative_file() {
    let spec = NarrativeSpec::for_template("sh-2026").unwrap();
    let from_sheets = Narrative::from_sheets("样本.xlsx", &sample_sheets(), &spec).unwrap();
    assert_eq!(from_sheets.paragraphs, reference().paragraphs);
    assert_eq!(check(&from_sheets).findings, check(&reference()).findings);
}

#[test]
fn the_state_capital_tables_note_naming_the_gov_fund_is_a_warning() {
    let found = budgetkit::narrative::note_fund_findings(&sample_sheets());
    assert_eq!(found.len(), 1, "{found:#?}");
    let f = &found[0];
    assert_eq!(f.rule, "NARR-NOTE-FUND");
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(f.cells_joined(","), "部门国有资本经营预算拨款表 !A10");
    assert_eq!(f.found.as_deref(), Some("政府性基金"));
    assert_eq!(f.expected.as_deref(), Some("国有资本经营预算"));
}

#[test]
fn validate_without_narrative_checks_the_text_sheets_and_exits_1() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_budgetkit"))
        .arg("validate")
        .arg(root().join("samples/shanghai-putuo-finance-2025.xlsx"))
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = report["findings"].as_array().unwrap();
    let errors: Vec<&str> = findings
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| f["found"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(errors, ["887.36万元"]);
    let rule_count = |rule: &str| findings.iter().filter(|f| f["rule"] == rule).count();
    assert_eq!(rule_count("NARR-NOTE-FUND"), 1);
    assert_eq!(rule_count("NARR-REPEATED"), 5);
    assert_eq!(rule_count("NARR-NEEDS-PRIOR"), 10);
    assert_eq!(findings.len(), 21);
}

#[test]
fn the_sh_2026_draft_passes_its_own_check() {
    let spec = NarrativeSpec::for_template("sh-2026").unwrap();
    let template = Template::load("sh-2026").unwrap();
    let drafted = budgetkit::narrative::draft(&sample(), None, &spec, &template);
    let headings: Vec<&str> = drafted.sections.iter().map(|(h, _)| h.as_str()).collect();
    assert_eq!(headings, ["部门预算编制说明", "其他相关情况说明"]);
    let text = Narrative::from_text("草稿.md", &drafted.to_markdown());
    let report = check(&text);
    assert!(errors(&report).is_empty(), "{:#?}", report.findings);
    let agreed = report
        .readings
        .iter()
        .filter(|r| r.status == Status::Agrees)
        .count();
    // 收入预算 … 其他收入 (5), 支出预算 … 国有资本 (5), 4 类, 三公 (6), 机关运行经费.
    assert_eq!(agreed, 21, "{:#?}", report.readings);
}

#[test]
fn the_reference_figures_by_status() {
    let text = reference();
    let report = check(&text);
    let count = |s: Status| report.readings.iter().filter(|r| r.status == s).count();
    let by_status = [
        count(Status::Agrees),
        count(Status::Disagrees),
        count(Status::Truncated),
        count(Status::NeedsPrior),
        count(Status::Unchecked),
    ];
    // 36 paragraphs (5 repeats not read again), 64 figures and 5 持平:
    // 23 agree, 887.36, 4 truncated, 10 against 2024 (5 持平); 31 of facts
    // the tables do not hold (政府采购 4, 绩效 6, vehicles and equipment 21).
    assert_eq!(
        (text.paragraphs.len(), report.readings.len(), by_status),
        (36, 64 + 5, [23, 1, 4, 5 + 5, 31])
    );
    let not_in_tables = ["procurement", "performance.", "vehicles.", "assets."];
    for r in report
        .readings
        .iter()
        .filter(|r| r.status == Status::Unchecked)
    {
        let fact = match &r.claim {
            Some(Claim::Value(f)) => f.as_str(),
            None => continue, // a project's amount, 单价100万元
            Some(_) => "",
        };
        assert!(not_in_tables.iter().any(|p| fact.starts_with(p)), "{r:#?}");
    }
}
