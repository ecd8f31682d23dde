//! `budgetkit narrative` (issue #11): the draft of the Shanxi sample
//! reproduces the reference's figures that the tables determine, in the
//! reference's sections, and passes its own check; with last year's
//! submission (built here from the reference's stated changes) section
//! 一's 37.91 and 12.01% too.

use budgetkit::commands::{read_prior, write_narrative, NarrativeOptions};
use budgetkit::narrative::{
    check_narrative, draft, Claim, Narrative, NarrativeReport, NarrativeSpec, Reading, Status,
};
use budgetkit::{Budget, Template};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn sample_path() -> PathBuf {
    root().join("samples/shuozhou-investment-2025.xlsx")
}

fn template() -> Template {
    Template::load("sx-2025").unwrap()
}

fn sample() -> Budget {
    budgetkit::read(sample_path(), &template()).unwrap().budget
}

fn spec() -> NarrativeSpec {
    NarrativeSpec::for_template("sx-2025").unwrap()
}

fn reference() -> Narrative {
    Narrative::read(&root().join("tests/data/shanxi-narrative.txt")).unwrap()
}

fn check(text: &Narrative, prior: Option<&Budget>) -> NarrativeReport {
    check_narrative(text, &sample(), prior, &spec())
}

fn drafted(prior: Option<&Budget>) -> Narrative {
    let d = draft(&sample(), prior, &spec(), &template());
    Narrative::from_text("draft.txt", &d.to_text())
}

/// The change from last year the reference states for each fact, signed.
fn stated_changes() -> BTreeMap<String, Decimal> {
    let mut out = BTreeMap::new();
    for r in check(&reference(), None).readings {
        if let Some(Claim::Change { fact, sign }) = r.claim {
            let v = r.figure.wanyuan().unwrap() * Decimal::from(sign);
            let before = out.insert(fact.clone(), v);
            assert!(
                before.is_none_or(|b| b == v),
                "{fact} stated twice differently"
            );
        }
    }
    out
}

/// Last year's submission: the sample with the amounts behind each stated
/// change taken back by that change (总计 and 一般公共预算 through 基本支出,
/// 三公 through 公务用车运行维护费, 机关运行经费 through its one unit).
fn prior() -> Budget {
    let changes = stated_changes();
    let change = |fact: &str| changes.get(fact).copied().unwrap();
    assert_eq!(change("income_total"), change("expenditure_total"));
    assert_eq!(change("income_total"), change("general_spending"));
    assert_eq!(
        change("three_public"),
        change("three_public.vehicle_operation")
    );
    assert_eq!(change("three_public"), change("three_public.vehicle"));
    let mut b = sample();
    b.year -= 1;
    let total = &mut b.functions.total;
    total.income.general.as_mut().unwrap().value -= change("income_total");
    total.general.basic.as_mut().unwrap().value -= change("income_total");
    let vehicle = b.three_public.vehicle_operation.general.as_mut().unwrap();
    vehicle.value -= change("three_public");
    let unit = b.operating_costs[0].funds.general.as_mut().unwrap();
    unit.value -= change("operating_costs");
    b
}

/// The value a figure states, in 万元 for amounts.
fn value(r: &Reading) -> Decimal {
    r.figure.wanyuan().unwrap_or(r.figure.number)
}

/// Every figure of the reference in `sections` (by heading numeral) that
/// the tables (and `prior`) determine is in the draft's same section.
fn assert_reproduced(sections: &[&str], prior: Option<&Budget>) -> usize {
    let want: Vec<Reading> = check(&reference(), prior)
        .readings
        .into_iter()
        .filter(|r| r.status == Status::Agrees)
        .filter(|r| sections.iter().any(|s| r.section.starts_with(s)))
        .collect();
    let got = check(&drafted(prior), prior).readings;
    for w in &want {
        assert!(
            got.iter().any(|g| g.section == w.section
                && value(g) == value(w)
                && g.figure.unit == w.figure.unit
                && g.status == Status::Agrees),
            "{} of {} (paragraph {}) is not in the draft",
            w.figure.text,
            w.section,
            w.paragraph
        );
    }
    want.len()
}

#[test]
fn the_draft_has_the_references_sections_one_to_eleven() {
    let spec = spec();
    let headings: Vec<String> = reference()
        .paragraphs
        .iter()
        .filter(|p| spec.section_of(p).is_some())
        .cloned()
        .collect();
    let d = draft(&sample(), None, &spec, &template());
    let drafted: Vec<String> = d.sections.iter().map(|(h, _)| h.clone()).collect();
    assert_eq!(drafted, headings);
    assert_eq!(drafted.len(), 11);
}

#[test]
fn the_draft_reproduces_the_figures_of_sections_2_to_6_and_10() {
    let n = assert_reproduced(&["二、", "三、", "四、", "五、", "六、", "十、"], None);
    // 353.49, 236.49, 66.90%, 117, 33.10%, 297.03, 84.03%, 25.57, 7.23% …
    assert!(n >= 38, "{n}");
}

#[test]
fn with_last_years_submission_the_draft_reproduces_section_1_and_the_changes() {
    let prior = prior();
    let n = assert_reproduced(&["一、", "五、", "七、", "八、"], Some(&prior));
    assert!(n >= 25, "{n}");
    let text = drafted(Some(&prior)).paragraphs.join("\n");
    assert!(text.contains("比上年增长37.91万元，增长12.01%"), "{text}");
    assert!(text.contains("比上年减少1.39万元，下降6.04%"), "{text}");
}

#[test]
fn the_reference_checks_clean_with_the_prior_built_from_its_changes() {
    let prior = prior();
    let report = check(&reference(), Some(&prior));
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
    let changes = report
        .readings
        .iter()
        .filter(|r| {
            matches!(
                r.claim,
                Some(Claim::Change { .. } | Claim::ChangePercent { .. })
            )
        })
        .filter(|r| r.status == Status::Agrees)
        .count();
    assert_eq!(changes, 11);
}

#[test]
fn a_changed_percentage_change_is_a_narr_change_error_with_prior() {
    let prior = prior();
    let mut text = reference();
    let p = text
        .paragraphs
        .iter_mut()
        .find(|p| p.contains("下降6.04%"))
        .unwrap();
    *p = p.replacen("下降6.04%", "下降6.40%", 1);
    let report = check(&text, Some(&prior));
    assert_eq!(report.findings.len(), 1, "{:#?}", report.findings);
    let f = &report.findings[0];
    assert_eq!(f.rule, "NARR-CHANGE");
    assert_eq!(f.expected.as_deref(), Some("下降6.04%"));
    assert!(f.quote.as_deref().unwrap().contains("6.40%"));
}

#[test]
fn the_draft_passes_its_own_check() {
    let report = check(&drafted(None), None);
    assert!(report.findings.iter().all(|f| f.rule == "NARR-NEEDS-PRIOR"));
    assert!(report
        .readings
        .iter()
        .all(|r| r.status != Status::Disagrees));
    let prior = prior();
    let report = check(&drafted(Some(&prior)), Some(&prior));
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
    let agreed = report
        .readings
        .iter()
        .filter(|r| r.status == Status::Agrees)
        .count();
    assert!(agreed >= 60, "{agreed}");
}

#[test]
fn without_prior_the_comparisons_are_placeholders() {
    let text = drafted(None).paragraphs.join("\n");
    assert!(text.contains("比上年增长（减少）……万元"));
    assert!(text.contains("主要原因是……"));
    assert!(!text.contains("37.91"));
}

#[test]
fn prior_is_read_from_json_and_from_a_workbook_with_the_same_reader() {
    let dir = tempfile::tempdir().unwrap();
    let prior = prior();
    let json = dir.path().join("2024.json");
    std::fs::write(&json, serde_json::to_string(&prior).unwrap()).unwrap();
    let xlsx = dir.path().join("2024.xlsx");
    budgetkit::export(&prior, &template(), &xlsx).unwrap();
    for path in [json, xlsx] {
        let read = read_prior(&path).unwrap();
        let report = check(&reference(), Some(&read));
        assert!(
            report.findings.is_empty(),
            "{}: {:#?}",
            path.display(),
            report.findings
        );
    }
}

#[test]
fn narrative_writes_docx_txt_and_md_with_the_same_paragraphs() {
    let dir = tempfile::tempdir().unwrap();
    let template = template();
    let opts = NarrativeOptions {
        template: &template,
        prior: None,
    };
    let mut read = Vec::new();
    for name in ["d.docx", "d.txt", "d.md"] {
        let out = dir.path().join(name);
        write_narrative(&sample_path(), &out, &opts).unwrap();
        read.push(Narrative::read(&out).unwrap().paragraphs);
    }
    assert_eq!(read[0], read[1]);
    assert_eq!(read[1], read[2]);
    assert_eq!(read[0], drafted(None).paragraphs);
}

#[test]
fn narrative_never_writes_over_its_input() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.txt");
    std::fs::write(&input, "x").unwrap();
    let template = template();
    let opts = NarrativeOptions {
        template: &template,
        prior: Some(&input),
    };
    let e = write_narrative(&sample_path(), &input, &opts).unwrap_err();
    assert!(matches!(e, budgetkit::Error::OutputIsInput { .. }), "{e}");
    assert_eq!(std::fs::read_to_string(&input).unwrap(), "x");
    let e = write_narrative(&sample_path(), &dir.path().join("x.pdf"), &opts).unwrap_err();
    assert!(matches!(e, budgetkit::Error::Usage(_)), "{e}");
}
