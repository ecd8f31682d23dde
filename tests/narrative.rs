//! The narrative check (issue #11) on the Shanxi reference's own 情况说明
//! (tests/data/shanxi-narrative.txt and .docx, made from the reference by
//! scripts/extract_shanxi_narrative.py) against the bundled sample.

mod common;

use budgetkit::narrative::{check_narrative, Narrative, NarrativeReport, NarrativeSpec, Status};
use budgetkit::{Budget, Finding, Severity};
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn data(name: &str) -> PathBuf {
    root().join("tests/data").join(name)
}

fn sample() -> Budget {
    common::narrative::sample_budget("shuozhou-investment-2025.xlsx", "sx-2025")
}

fn spec() -> NarrativeSpec {
    NarrativeSpec::for_template("sx-2025").unwrap()
}

fn reference() -> Narrative {
    Narrative::read(&data("shanxi-narrative.txt")).unwrap()
}

fn check(text: &Narrative) -> NarrativeReport {
    check_narrative(text, &sample(), None, &spec())
}

fn errors(report: &NarrativeReport) -> Vec<&Finding> {
    report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect()
}

/// The reference with the figure `from` in the paragraph holding `near`
/// written `to` instead; the paragraph's number.
fn changed(near: &str, from: &str, to: &str) -> (Narrative, usize) {
    let mut text = reference();
    let at = text
        .paragraphs
        .iter()
        .position(|p| p.contains(near))
        .expect("paragraph");
    let p = &mut text.paragraphs[at];
    assert!(p.contains(from), "{from} not in {p}");
    *p = p.replacen(from, to, 1);
    (text, at + 1)
}

/// The one error of the reference with `from` changed to `to`: its rule,
/// quoting the new figure, with the paragraph number; its cells.
fn one_error(near: &str, from: &str, to: &str, rule: &str) -> Finding {
    let (text, paragraph) = changed(near, from, to);
    let report = check(&text);
    let errors = errors(&report);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let e = errors[0].clone();
    assert_eq!(e.rule, rule);
    assert_eq!(e.paragraph, Some(paragraph));
    assert!(e.quote.as_deref().unwrap().contains(to), "{e:?}");
    let figure = to.trim_start_matches(|c: char| !c.is_ascii_digit());
    assert_eq!(e.found.as_deref(), Some(figure));
    e
}

#[test]
fn the_reference_text_has_no_narr_errors_against_the_sample() {
    let report = check(&reference());
    assert!(errors(&report).is_empty(), "{:#?}", errors(&report));
    let agreed = report
        .readings
        .iter()
        .filter(|r| r.status == Status::Agrees)
        .count();
    assert!(agreed >= 45, "{agreed} figures agree");
    assert!(report.findings.iter().all(|f| f.rule == "NARR-NEEDS-PRIOR"));
}

#[test]
fn the_reference_figures_that_need_2024_are_reported_as_needing_prior() {
    let report = check(&reference());
    let text = reference();
    let needing: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.rule == "NARR-NEEDS-PRIOR")
        .collect();
    // 一: 2 × (37.91, 12.01%); 五: 37.91, 12.01%; 七: 3 × 1.25; 八: 1.39, 6.04%.
    assert_eq!(needing.len(), 11, "{needing:#?}");
    for f in needing {
        assert_eq!(f.severity, Severity::Warning);
        assert!(
            f.message.contains("需要上年数据（--prior）"),
            "{}",
            f.message
        );
        let p = &text.paragraphs[f.paragraph.unwrap() - 1];
        let quote = f.quote.as_deref().unwrap();
        assert!(p.contains(quote), "{quote}");
        assert!(
            quote.contains("上年") || quote.contains("2024年"),
            "{quote}"
        );
    }
}

#[test]
fn the_reference_docx_reads_as_the_txt_and_checks_the_same() {
    let docx = Narrative::read(&data("shanxi-narrative.docx")).unwrap();
    assert_eq!(docx.paragraphs, reference().paragraphs);
    assert_eq!(check(&docx).findings, check(&reference()).findings);
}

#[test]
fn changing_any_checked_figure_of_the_reference_is_an_error_quoting_it() {
    let changed = common::narrative::assert_each_agreeing_figure_changed_is_an_error(
        &reference(),
        check,
        &[],
    );
    assert!(changed >= 45, "{changed} figures changed");
}

#[test]
fn changing_the_income_total_is_a_narr_amount_error_naming_its_cell() {
    let e = one_error("预算收入总计", "353.49万元", "353.59万元", "NARR-AMOUNT");
    assert_eq!(e.expected.as_deref(), Some("353.49万元"));
    assert_eq!(e.cells_joined(","), "预算公开表2!D6");
}

#[test]
fn changing_a_function_class_amount_is_an_error() {
    let e = one_error("支出包括", "297.03万元", "279.03万元", "NARR-AMOUNT");
    assert!(e.message.contains("一般公共服务支出"), "{}", e.message);
    assert!(
        e.cells_joined(",").contains("预算公开表5!"),
        "{:?}",
        e.cells
    );
}

#[test]
fn changing_basic_spending_is_an_error() {
    one_error(
        "基本支出236.49万元，占66.90%",
        "236.49万元",
        "263.49万元",
        "NARR-AMOUNT",
    );
}

#[test]
fn changing_personnel_costs_is_an_error_naming_table_6() {
    let e = one_error("人员经费", "214.85万元", "241.85万元", "NARR-AMOUNT");
    assert_eq!(e.cells_joined(","), "预算公开表6!D6");
}

#[test]
fn changing_a_three_public_item_is_an_error_naming_table_10() {
    let e = one_error(
        "公务接待费",
        "公务用车运行维护费2.10万元",
        "公务用车运行维护费2.01万元",
        "NARR-AMOUNT",
    );
    assert_eq!(e.cells_joined(","), "预算公开表10!C10");
}

#[test]
fn changing_the_operating_costs_is_an_error_naming_table_11() {
    let e = one_error(
        "机关运行经费财政拨款预算",
        "21.64万元",
        "21.46万元",
        "NARR-AMOUNT",
    );
    assert_eq!(e.cells_joined(","), "预算公开表11!C7");
}

#[test]
fn changing_a_share_percentage_is_a_narr_share_error() {
    let e = one_error("基本支出236.49万元", "66.90%", "69.60%", "NARR-SHARE");
    assert_eq!(e.expected.as_deref(), Some("66.90%"));
}

#[test]
fn changing_the_project_count_is_a_narr_count_error() {
    let e = one_error("二级项目", "二级项目5个", "二级项目6个", "NARR-COUNT");
    assert_eq!(e.expected.as_deref(), Some("5个"));
    assert_eq!(e.cells.len(), 5);
}

#[test]
fn changing_the_project_total_is_an_error() {
    one_error(
        "二级项目",
        "共计金额117.00万元",
        "共计金额171.00万元",
        "NARR-AMOUNT",
    );
}

#[test]
fn a_truncated_figure_is_a_warning_not_an_error() {
    let (text, paragraph) = changed("基本支出236.49万元，占66.90%", "66.90%", "66.9%");
    assert!(errors(&check(&text)).is_empty());
    let (text, _) = changed(
        "基本支出236.49万元，占66.90%",
        "基本支出236.49万元",
        "基本支出236.4万元",
    );
    let report = check(&text);
    assert!(errors(&report).is_empty(), "{:#?}", errors(&report));
    let t: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.rule == "NARR-TRUNCATED")
        .collect();
    assert_eq!(t.len(), 1);
    assert_eq!(t[0].severity, Severity::Warning);
    assert_eq!(t[0].paragraph, Some(paragraph));
    assert_eq!(t[0].expected.as_deref(), Some("236.5万元"));
}

#[test]
fn an_amount_in_yuan_is_compared_within_the_tables_rounding() {
    let (text, _) = changed("基本支出236.49万元，占66.90%", "236.49万元", "2,364,912元");
    assert!(errors(&check(&text)).is_empty());
    let (text, _) = changed("基本支出236.49万元，占66.90%", "236.49万元", "2,365,912元");
    assert_eq!(errors(&check(&text)).len(), 1);
}

#[test]
fn a_repeated_paragraph_is_a_warning() {
    let mut text = reference();
    let at = text
        .paragraphs
        .iter()
        .position(|p| p.starts_with("人员经费"))
        .unwrap();
    let again = text.paragraphs[at].clone();
    text.paragraphs.insert(at + 1, again);
    let report = check(&text);
    assert!(errors(&report).is_empty());
    let r: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.rule == "NARR-REPEATED")
        .collect();
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].paragraph, Some(at + 2));
    assert!(r[0].message.contains(&format!("第{}段", at + 1)));
}

#[test]
fn every_narr_id_is_documented() {
    let doc = std::fs::read_to_string(root().join("docs/rules.md")).unwrap();
    let mut ids = Vec::new();
    for entry in std::fs::read_dir(root().join("src/narrative")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for part in text.split("\"NARR-").skip(1) {
            let id: String = part
                .chars()
                .take_while(|c| c.is_ascii_uppercase() || *c == '-')
                .collect();
            ids.push(format!("NARR-{id}"));
        }
    }
    assert!(ids.len() >= 7);
    for id in ids {
        assert!(
            budgetkit::narrative::NARRATIVE_RULES
                .iter()
                .any(|r| r.id == id),
            "{id} is not in NARRATIVE_RULES"
        );
        assert!(
            doc.contains(&format!("`{id}`")),
            "{id} is not in docs/rules.md"
        );
    }
}

#[test]
fn a_docx_without_a_document_part_or_a_text_of_another_kind_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("x.docx");
    std::fs::write(&bad, b"PK not a zip").unwrap();
    let e = Narrative::read(&bad).unwrap_err().to_string();
    assert!(e.contains("不是 .docx 文档"), "{e}");
    let other = dir.path().join("x.xlsx");
    std::fs::write(&other, b"x").unwrap();
    assert!(matches!(
        Narrative::read(&other),
        Err(budgetkit::Error::Usage(_))
    ));
}

#[test]
fn a_docx_inflating_beyond_the_bound_is_refused() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.docx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    zip.start_file("word/document.xml", opts).unwrap();
    let chunk = vec![b' '; 1 << 20];
    let mib = budgetkit::narrative::MAX_DOCUMENT_XML_BYTES / (1 << 20) + 1;
    for _ in 0..mib {
        zip.write_all(&chunk).unwrap();
    }
    zip.finish().unwrap();
    let e = Narrative::read(&path).unwrap_err();
    assert!(matches!(e, budgetkit::Error::TooLarge { .. }), "{e}");
}

#[test]
fn the_reference_figures_by_status_as_the_readme_gives_them() {
    let report = check(&reference());
    let n = |s: Status| report.readings.iter().filter(|r| r.status == s).count();
    let counts = (
        report.readings.len(),
        n(Status::Agrees),
        n(Status::NeedsPrior),
        n(Status::Unchecked),
    );
    assert_eq!(counts, (95, 58, 11, 26));
}

#[test]
fn odd_text_never_panics() {
    let huge = format!("基本支出{}万元，占{}%", "9".repeat(40), "9".repeat(30));
    let odd = [
        huge.as_str(),
        "基本支出0.0000000000000000000000000000001万元，占1.0000000000000000000000001%",
        "收入总计７９，２万元；占％，增长%万元比上年减少.5万元",
        "二、收入预算情况说明",
        "占5%比上年增长5%下降5%其中5个",
        "一般公共服务支出99999999999999999999999999亿元，占0%",
    ];
    for t in odd {
        let text = Narrative::from_text("x.txt", t);
        let _ = check(&text);
    }
}
