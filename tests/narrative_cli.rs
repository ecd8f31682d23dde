//! `budgetkit validate --narrative [--prior]` and `budgetkit narrative`
//! through the real binary: exit statuses, JSON, outputs refused.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn budgetkit() -> Command {
    Command::new(env!("CARGO_BIN_EXE_budgetkit"))
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn sample() -> PathBuf {
    root().join("samples/shuozhou-investment-2025.xlsx")
}

fn reference() -> PathBuf {
    root().join("tests/data/shanxi-narrative.txt")
}

fn run(args: &[&std::ffi::OsStr]) -> Output {
    budgetkit().args(args).output().unwrap()
}

/// `budgetkit validate SAMPLE --narrative TEXT --format json`.
fn validate_json(text: &Path) -> Output {
    run(&[
        "validate".as_ref(),
        sample().as_os_str(),
        "--narrative".as_ref(),
        text.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ])
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn validate_with_the_reference_narrative_exits_0_with_prior_warnings() {
    let o = validate_json(&reference());
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v = json(&o);
    assert_eq!(v["summary"]["errors"], 0);
    let narr: Vec<&serde_json::Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "NARR-NEEDS-PRIOR")
        .collect();
    assert_eq!(narr.len(), 11);
    assert_eq!(narr[0]["paragraph"], 2);
    assert!(narr[0]["quote"].as_str().unwrap().contains("37.91万元"));
}

#[test]
fn validate_with_a_changed_figure_exits_1_naming_the_cell() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(reference()).unwrap();
    let bad = dir.path().join("说明.md");
    std::fs::write(
        &bad,
        text.replacen("基本支出236.49万元", "基本支出263.49万元", 1),
    )
    .unwrap();
    let o = validate_json(&bad);
    assert_eq!(o.status.code(), Some(1));
    let v = json(&o);
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["severity"] == "error")
        .unwrap()
        .clone();
    assert_eq!(f["rule"], "NARR-AMOUNT");
    assert!(f["quote"].as_str().unwrap().contains("263.49万元"));
    assert_eq!(f["expected"], "236.49万元");
    assert!(!f["cells"].as_array().unwrap().is_empty());
    // The text report quotes the sentence too.
    let o = run(&[
        "validate".as_ref(),
        sample().as_os_str(),
        "--narrative".as_ref(),
        bad.as_os_str(),
    ]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("原文：") && text.contains("263.49万元"),
        "{text}"
    );
}

#[test]
fn an_unreadable_narrative_or_prior_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("无.docx");
    let o = run(&[
        "validate".as_ref(),
        sample().as_os_str(),
        "--narrative".as_ref(),
        missing.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("无.docx"));
    let o = run(&[
        "validate".as_ref(),
        sample().as_os_str(),
        "--narrative".as_ref(),
        reference().as_os_str(),
        "--prior".as_ref(),
        missing.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn narrative_writes_a_docx_that_validate_reads_back_without_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("情况说明.docx");
    let o = run(&[
        "narrative".as_ref(),
        sample().as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("--prior"));
    let o = validate_json(&out);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(json(&o)["summary"]["errors"], 0);
    // Nothing but the output was written.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn narrative_refuses_to_write_over_its_input_or_a_workbook_name() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.json");
    std::fs::copy(root().join("samples/shuozhou-investment-2025.json"), &input).unwrap();
    let before = std::fs::read(&input).unwrap();
    let o = run(&[
        "narrative".as_ref(),
        input.as_os_str(),
        "-o".as_ref(),
        input.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let out = dir.path().join("x.xlsx");
    let o = run(&[
        "narrative".as_ref(),
        input.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains(".docx"));
    assert_eq!(std::fs::read(&input).unwrap(), before);
    assert!(!out.exists());
}

#[test]
fn narrative_help_teaches_in_chinese() {
    let o = run(&["narrative".as_ref(), "--help".as_ref()]);
    assert_eq!(o.status.code(), Some(0));
    let help = String::from_utf8_lossy(&o.stdout);
    for want in [
        "用法：",
        "--prior",
        "主要原因是……",
        "budgetkit validate 部门.xlsx --narrative",
    ] {
        assert!(help.contains(want), "{want}: {help}");
    }
    let o = run(&["validate".as_ref(), "--help".as_ref()]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("--narrative <TEXT>"));
}
