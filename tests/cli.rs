//! The real binary: exit statuses, output files, messages.

mod common;

use common::*;
use std::process::Command;

fn budgetkit() -> Command {
    Command::new(env!("CARGO_BIN_EXE_budgetkit"))
}

#[test]
fn export_writes_the_standard_workbook_and_exits_0() {
    let dir = tempdir();
    let out = dir.path().join("预算公开表.xlsx");
    let o = budgetkit()
        .args(["export"])
        .arg(sample_xlsx())
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let rows = sheet_rows(&out, "预算公开表1", 5);
    assert!(rows[0].starts_with("一、一般公共预算\t353.49"), "{rows:?}");
    // Only the output itself is left in the directory (no temporary files).
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn import_prints_the_model_as_json() {
    let o = budgetkit()
        .arg("import")
        .arg(sample_xlsx())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["department"], "朔州市促进外来投资局");
    assert_eq!(v["year"], 2025);
    assert_eq!(
        v["functions"]["total"]["income"]["general"]["value"],
        "353.49"
    );
    assert_eq!(
        v["functions"]["total"]["income"]["general"]["at"]["cell"], "D6",
        "provenance names the cell"
    );
}

#[test]
fn unreadable_input_exits_2_and_writes_nothing() {
    let dir = tempdir();
    let bad = dir.path().join("坏文件.xlsx");
    std::fs::write(&bad, b"this is not a workbook").unwrap();
    let out = dir.path().join("out.xlsx");
    let o = budgetkit()
        .arg("export")
        .arg(&bad)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("坏文件.xlsx") && err.contains("不是可读取的"),
        "{err}"
    );
    assert!(!out.exists());
}

#[test]
fn usage_errors_exit_2_and_help_teaches() {
    let o = budgetkit().arg("export").output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let o = budgetkit().arg("--help").output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    let help = String::from_utf8_lossy(&o.stdout);
    assert!(help.contains("退出码") && help.contains("export"), "{help}");
}

#[test]
fn unknown_template_is_a_usage_error() {
    let dir = tempdir();
    let o = budgetkit()
        .arg("export")
        .arg(sample_json())
        .arg("-o")
        .arg(dir.path().join("x.xlsx"))
        .args(["--template", "no-such"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("sx-2025"));
}
