//! The real binary on input it cannot read: exit status 2, one Chinese
//! line on stderr naming the file, and no output file (issue #4).

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Runs `budgetkit ARGS` in `dir`; returns (status, stderr).
fn run(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_budgetkit"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run budgetkit");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every bad input, as (file name, bytes).
fn bad_inputs() -> Vec<(&'static str, Vec<u8>)> {
    let sample = std::fs::read(sample_xlsx()).unwrap();
    let xls = std::fs::read(fixture("libreoffice.xls")).unwrap();
    let mut no_tables = Vec::new();
    {
        let mut wb = rust_xlsxwriter::Workbook::new();
        wb.add_worksheet().write_string(0, 0, "说明").unwrap();
        no_tables.extend(wb.save_to_buffer().unwrap());
    }
    let mut stray = Vec::new();
    {
        let mut wb = rust_xlsxwriter::Workbook::new();
        wb.add_worksheet()
            .write_string(1_048_575, 16_383, "x")
            .unwrap();
        stray.extend(wb.save_to_buffer().unwrap());
    }
    vec![
        ("文本.xlsx", "这不是工作簿".as_bytes().to_vec()),
        ("空.xlsx", Vec::new()),
        ("截断.xlsx", sample[..sample.len() / 2].to_vec()),
        ("截断.xls", xls[..xls.len() / 2].to_vec()),
        (
            "加密.xlsx",
            std::fs::read(fixture("encrypted.xlsx")).unwrap(),
        ),
        ("无预算表.xlsx", no_tables),
        ("孤立单元格.xlsx", stray),
        (
            "孤立单元格.xls",
            std::fs::read(fixture("stray-iv65536.xls")).unwrap(),
        ),
        (
            "压缩炸弹.xlsx",
            std::fs::read(fixture("zip-bomb.xlsx")).unwrap(),
        ),
    ]
}

#[test]
fn export_of_bad_input_exits_2_with_one_message_and_writes_nothing() {
    for (name, bytes) in bad_inputs() {
        let dir = tempdir();
        std::fs::write(dir.path().join(name), &bytes).unwrap();
        let (status, stderr) = run(dir.path(), &["export", name, "-o", "公开表.xlsx"]);
        assert_eq!(status, Some(2), "{name}: {stderr}");
        let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(lines.len(), 1, "{name}: {stderr}");
        assert!(
            lines[0].starts_with("错误：") && lines[0].contains(name),
            "{name}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            left,
            [std::ffi::OsString::from(name)],
            "{name}: output or temporary file left behind"
        );
    }
}

#[test]
fn import_of_bad_input_exits_2_and_writes_nothing() {
    for (name, bytes) in bad_inputs() {
        let dir = tempdir();
        std::fs::write(dir.path().join(name), &bytes).unwrap();
        let (status, stderr) = run(dir.path(), &["import", name, "-o", "model.json"]);
        assert_eq!(status, Some(2), "{name}: {stderr}");
        assert!(stderr.contains(name), "{name}: {stderr}");
        assert!(!dir.path().join("model.json").exists(), "{name}");
    }
}

#[test]
fn a_missing_input_file_exits_2() {
    let dir = tempdir();
    let (status, stderr) = run(
        dir.path(),
        &["export", "没有这个文件.xlsx", "-o", "out.xlsx"],
    );
    assert_eq!(status, Some(2), "{stderr}");
    assert!(stderr.contains("没有这个文件.xlsx"), "{stderr}");
    assert!(!dir.path().join("out.xlsx").exists());
}

#[test]
fn a_readable_variant_with_findings_exits_1_and_export_writes_nothing() {
    let dir = tempdir();
    let mut book = common::bend::Book::sample();
    let s = book.sheet_with("预算支出总表");
    let row = s.find("2011301").unwrap().0;
    s.cells
        .insert((row, 3), common::bend::Val::Text("约131万".into()));
    book.save(&dir.path().join("in.xlsx"));
    let (status, stderr) = run(dir.path(), &["export", "in.xlsx", "-o", "out.xlsx"]);
    assert_eq!(status, Some(1), "{stderr}");
    assert!(
        stderr.contains("READ-AMOUNT") && stderr.contains("预算公开表3!D"),
        "{stderr}"
    );
    assert!(!dir.path().join("out.xlsx").exists());
}
