//! Issue #12 item 7: every message of the binary in Chinese — clap's usage
//! errors and help, I/O errors, JSON model errors — and workbook outputs
//! that are not .xlsx refused.

mod common;

use common::*;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_budgetkit"))
        .args(args)
        .output()
        .unwrap()
}

/// clap's and the OS's English that must not reach a user.
const ENGLISH: &[&str] = &[
    "error:",
    "Usage:",
    "For more information",
    "Commands:",
    "Options:",
    "Arguments:",
    "Print help",
    "[default:",
    "os error",
    "No such file",
    "missing field",
    "[OPTIONS]",
];

fn assert_chinese(text: &str) {
    for word in ENGLISH {
        assert!(!text.contains(word), "“{word}” in:\n{text}");
    }
}

#[test]
fn usage_errors_are_chinese() {
    for args in [
        &["validate", "--bogus", "x.xlsx"][..],
        &["frobnicate"],
        &["validate"],
        &["batch", "--format", "xml", "x"],
        &["batch", "x", "--jobs", "many"],
        &[],
    ] {
        let o = run(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert_chinese(&err);
        assert!(
            err.contains("错误：") || err.contains("用法："),
            "{args:?}: {err}"
        );
    }
    let err = String::from_utf8_lossy(&run(&["validate", "--bogus", "x"]).stderr).into_owned();
    assert!(err.contains("“--bogus”") && err.contains("用法："), "{err}");
    for args in [&["--help"][..], &["batch", "--help"], &["export", "-h"]] {
        let o = run(args);
        assert_eq!(o.status.code(), Some(0));
        let help = String::from_utf8_lossy(&o.stdout);
        assert_chinese(&help);
        assert!(help.contains("用法：") && help.contains("选项："), "{help}");
    }
}

#[test]
fn io_errors_are_chinese() {
    let dir = tempdir();
    let missing = dir.path().join("没有这个文件.xlsx");
    let o = run(&["validate", missing.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_chinese(&err);
    assert!(
        err.contains("文件或目录不存在") && err.contains("没有这个文件.xlsx"),
        "{err}"
    );
    let json = dir.path().join("model.json");
    std::fs::write(&json, r#"{"department": "某局", "year": 2025}"#).unwrap();
    let o = run(&["validate", json.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_chinese(&err);
    assert!(err.contains("缺少字段“"), "{err}");
    std::fs::write(&json, r#"{"year": "二〇二五"#).unwrap();
    let err =
        String::from_utf8_lossy(&run(&["import", json.to_str().unwrap()]).stderr).into_owned();
    assert_chinese(&err);
    assert!(err.contains("第 1 行"), "{err}");
}

#[test]
fn pdf_output_is_refused() {
    let dir = tempdir();
    let sample = sample_xlsx();
    let sample = sample.to_str().unwrap();
    for (cmd, flag) in [
        (vec!["export", sample], "-o"),
        (vec!["validate", sample], "--annotate"),
        (vec!["batch", sample], "--report"),
        (vec!["template"], "-o"),
    ] {
        let out = dir.path().join("out.pdf");
        let mut args = cmd.clone();
        args.extend([flag, out.to_str().unwrap()]);
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(".xlsx") && err.contains(".pdf"), "{err}");
        assert!(!out.exists(), "nothing written for {args:?}");
    }
}
