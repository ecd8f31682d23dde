//! 持平 with no figure (与上年持平, 与2024年预算持平) claims a change of
//! nought: with `--prior` it is checked at the decimals of the amount
//! written before it (NARR-CHANGE quoting the sentence when last year's
//! differs), without it a NARR-NEEDS-PRIOR warning like every other
//! comparison.

mod common;

use budgetkit::model::Amount;
use budgetkit::narrative::{
    check_narrative, Claim, Narrative, NarrativeReport, NarrativeSpec, Status,
};
use budgetkit::{Budget, Finding, Severity};
use rust_decimal::Decimal;

fn shanghai() -> Budget {
    common::narrative::sample_budget("shanghai-putuo-finance-2025.xlsx", "sh-2026")
}

fn shanghai_text() -> Narrative {
    Narrative::read(&common::narrative::data("shanghai-narrative.txt")).unwrap()
}

fn check(text: &Narrative, prior: Option<&Budget>) -> NarrativeReport {
    let spec = NarrativeSpec::for_template("sh-2026").unwrap();
    check_narrative(text, &shanghai(), prior, &spec)
}

/// The findings about a 持平.
fn on_unchanged(report: &NarrativeReport) -> Vec<&Finding> {
    report
        .findings
        .iter()
        .filter(|f| f.found.as_deref() == Some("持平") || f.message.contains("“持平”"))
        .collect()
}

/// Last year's: this year's with 公务接待费 (一般公共预算) more by `more` 万元.
fn prior_with_reception_more_by(more: Decimal) -> Budget {
    let mut prior = shanghai();
    let general = &mut prior.three_public.reception.general;
    let now = general.as_ref().map_or(Decimal::ZERO, |a| a.value);
    *general = Some(Amount::new(now + more));
    prior
}

#[test]
fn unchanged_without_prior_needs_prior_quoting_its_sentence() {
    let report = check(&shanghai_text(), None);
    let found = on_unchanged(&report);
    assert_eq!(found.len(), 5, "{found:#?}");
    for f in &found {
        assert_eq!(f.rule, "NARR-NEEDS-PRIOR");
        assert_eq!(f.severity, Severity::Warning);
        assert!(
            f.quote.as_deref().unwrap().contains("与2024年预算持平"),
            "{f:?}"
        );
    }
    let reception = found
        .iter()
        .find(|f| f.message.contains("公务接待费"))
        .unwrap();
    assert!(
        reception
            .quote
            .as_deref()
            .unwrap()
            .starts_with("（三）公务接待费0.95万元，与2024年预算持平"),
        "{reception:?}"
    );
    let unchanged: Vec<&str> = report
        .readings
        .iter()
        .filter_map(|r| match &r.claim {
            Some(Claim::Unchanged { fact }) => {
                assert_eq!(r.status, Status::NeedsPrior);
                Some(fact.as_str())
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        unchanged,
        [
            "gov_fund_spending",
            "state_capital_spending",
            "three_public",
            "three_public.abroad",
            "three_public.reception",
        ]
    );
}

#[test]
fn unchanged_agrees_with_a_prior_year_of_the_same_amounts() {
    let prior = shanghai();
    let report = check(&shanghai_text(), Some(&prior));
    assert!(on_unchanged(&report).is_empty(), "{:#?}", report.findings);
    let agreeing = report
        .readings
        .iter()
        .filter(|r| matches!(r.claim, Some(Claim::Unchanged { .. })) && r.status == Status::Agrees)
        .count();
    assert_eq!(agreeing, 5);
}

#[test]
fn unchanged_when_last_year_differs_is_a_change_error_quoting_the_sentence() {
    let prior = prior_with_reception_more_by(Decimal::new(30, 2));
    let report = check(&shanghai_text(), Some(&prior));
    let found = on_unchanged(&report);
    // 公务接待费 and the “三公” total it is part of.
    let said: Vec<(&str, &str, &str)> = found
        .iter()
        .map(|f| {
            assert_eq!(f.severity, Severity::Error);
            (
                f.rule.as_str(),
                f.expected.as_deref().unwrap_or_default(),
                f.quote.as_deref().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        said,
        [
            (
                "NARR-CHANGE",
                "减少0.30万元",
                "2025年“三公”经费预算数为0.95万元，与2024年预算持平。"
            ),
            (
                "NARR-CHANGE",
                "减少0.30万元",
                "（三）公务接待费0.95万元，与2024年预算持平，主要原因是业务需要或跨部门协作交流等进行公务接待。"
            ),
        ]
    );
    assert!(
        found[1].message.contains("公务接待费比上年的增减额"),
        "{}",
        found[1].message
    );
    assert!(!found[1].cells.is_empty());
}

#[test]
fn unchanged_is_nought_at_the_decimals_written() {
    // 0.95万元 has two decimals: 40 元 less rounds to nought, 50 元 does not.
    let report = check(
        &shanghai_text(),
        Some(&prior_with_reception_more_by(Decimal::new(4, 3))),
    );
    assert!(
        on_unchanged(&report).is_empty(),
        "{:#?}",
        on_unchanged(&report)
    );
    let report = check(
        &shanghai_text(),
        Some(&prior_with_reception_more_by(Decimal::new(5, 3))),
    );
    let found = on_unchanged(&report);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found
        .iter()
        .all(|f| f.expected.as_deref() == Some("减少0.01万元")));
}

#[test]
fn roughly_unchanged_is_not_a_claim() {
    let text = Narrative::from_text(
        "说明.txt",
        "其他相关情况说明\n2025年“三公”经费预算数为0.95万元，与2024年预算基本持平，保持平稳。",
    );
    let report = check(&text, None);
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
    assert!(report
        .readings
        .iter()
        .all(|r| !matches!(r.claim, Some(Claim::Unchanged { .. }))));
}
