//! The `validate`, `rules` and `export` commands through the real binary:
//! exit statuses, the JSON contract of DESIGN §6, the annotated workbook.

mod common;

use budgetkit::commands::{validate, ValidateOptions};
use budgetkit::spec::Template;
use calamine::{open_workbook_auto, Reader};
use common::book::Book;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Output};

fn budgetkit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_budgetkit"))
        .args(args)
        .output()
        .expect("run budgetkit")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The sample with 210 卫生健康支出 typed as 9.16 instead of 9.61 in 表2.
fn typo_book() -> Book {
    let mut b = Book::sample();
    b.edit("预算公开表2", 'A', "210", 'C', "9.16");
    b
}

#[test]
fn the_sample_validates_with_exit_zero() {
    let sample = common::sample_xlsx();
    let o = budgetkit(&["validate", sample.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("错误 0 处，提示 2 处"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn json_output_follows_the_contract() {
    let book = typo_book();
    let path = book.save("typo.xlsx");
    let o = budgetkit(&["validate", path.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("one JSON object");
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    let mut want = vec![
        "file",
        "template",
        "department",
        "year",
        "summary",
        "findings",
    ];
    want.sort_unstable();
    let mut got = keys.clone();
    got.sort_unstable();
    assert_eq!(got, want);
    assert_eq!(v["template"], "sx-2025");
    assert_eq!(v["department"], "朔州市促进外来投资局");
    assert_eq!(v["year"], 2025);
    assert_eq!(v["file"], path.to_str().unwrap());
    let findings = v["findings"].as_array().unwrap();
    let errors = findings.iter().filter(|f| f["severity"] == "error").count();
    assert_eq!(v["summary"]["errors"], errors);
    assert_eq!(v["summary"]["warnings"], findings.len() - errors);
    assert!(errors > 0);
    let rollup = findings
        .iter()
        .find(|f| f["rule"] == "IT-FUNC-ROLLUP")
        .expect("rollup finding");
    assert!(rollup["cells"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c == "预算公开表2!C17"));
    assert_eq!(rollup["expected"], "9.61");
    assert_eq!(rollup["found"], "9.16");
    for f in findings {
        let fields: Vec<&str> = f.as_object().unwrap().keys().map(String::as_str).collect();
        for k in ["rule", "severity", "message", "cells"] {
            assert!(fields.contains(&k), "{f}");
        }
    }
}

#[test]
fn an_unreadable_input_exits_two_and_writes_nothing() {
    let dir = common::tempdir();
    let bad = dir.path().join("bad.xlsx");
    std::fs::write(&bad, b"not a workbook").unwrap();
    let out = dir.path().join("annotated.xlsx");
    let o = budgetkit(&[
        "validate",
        bad.to_str().unwrap(),
        "--annotate",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("bad.xlsx"));
    assert!(!out.exists());
    let o = budgetkit(&["validate", bad.to_str().unwrap(), "--format", "yaml"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn the_text_report_groups_findings_by_table() {
    // Every finding of the 表2 typo now starts at its likely cause, 表2
    // C17; a second, unrelated slip gives 表3 a group of its own.
    let mut book = typo_book();
    book.edit("预算公开表3", 'A', "2011301", 'C', "131.684");
    let path = book.save("typo.xlsx");
    let o = budgetkit(&["validate", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    let t2 = text
        .find("【预算公开表2】2025年预算收入总表")
        .expect("表2 heading");
    let t3 = text.find("【预算公开表3】").expect("表3 heading");
    assert!(t2 < t3, "{text}");
    assert!(text.contains("[错误] IT-FUNC-ROLLUP"), "{text}");
    assert!(text.contains("应为 9.61，实为 9.16"), "{text}");
}

fn zip_text(path: &Path, prefix: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut all = String::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        if entry.name().unwrap().starts_with(prefix) {
            entry.read_to_string(&mut all).unwrap();
        }
    }
    all
}

#[test]
fn the_annotated_workbook_marks_every_named_cell() {
    let book = typo_book();
    let input = book.save("typo.xlsx");
    let out = input.with_file_name("annotated.xlsx");
    let template = Template::load("sx-2025").unwrap();
    let opts = ValidateOptions {
        template: &template,
        annotate: Some(&out),
    };
    let report = validate(&input, &opts).unwrap();

    let mut wb = open_workbook_auto(&out).expect("annotated workbook opens");
    let names = wb.sheet_names();
    assert_eq!(names.first().map(String::as_str), Some("审核结果"));
    let originals: Vec<String> = book.sheets.iter().map(|s| s.name.clone()).collect();
    assert_eq!(&names[1..], originals.as_slice());
    // The findings sheet lists every finding.
    let summary = wb.worksheet_range("审核结果").unwrap();
    let listed: Vec<String> = summary
        .rows()
        .filter_map(|r| r.get(2).map(|c| c.to_string()))
        .collect();
    for f in &report.findings {
        assert!(listed.contains(&f.rule), "{} not listed", f.rule);
    }
    // Values survive; text stays text.
    let t2 = wb.worksheet_range("预算公开表2").unwrap();
    assert_eq!(
        t2.get_value((16, 2)).map(|d| d.to_string()),
        Some("9.16".into())
    );
    assert!(matches!(t2.get_value((8, 0)), Some(calamine::Data::String(s)) if s == "2011301"));
    // Every named cell carries a note; the findings sheet links to it.
    let notes = zip_text(&out, "xl/comments");
    // The findings sheet is a part added to the department's package.
    let links = zip_text(&out, "xl/worksheets/sheet");
    for f in &report.findings {
        for cell in f.cells.iter().map(ToString::to_string) {
            let (_, a1) = cell.rsplit_once('!').unwrap();
            assert!(
                notes.contains(&format!("ref=\"{a1}\"")),
                "no note on {cell}"
            );
            assert!(
                links.contains(&format!(
                    "location=\"'{}'!{a1}\"",
                    cell.rsplit_once('!').unwrap().0
                )),
                "no link to {cell}"
            );
        }
        assert!(notes.contains(&f.rule), "{} not in notes", f.rule);
    }
    // Validating the annotated workbook finds the same problems.
    let again = validate(
        &out,
        &ValidateOptions {
            template: &template,
            annotate: None,
        },
    )
    .unwrap();
    assert_eq!(again.findings, report.findings);
}

#[test]
fn rules_lists_the_catalog() {
    let o = budgetkit(&["rules"]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    for r in budgetkit::rules::RULES {
        assert!(text.contains(r.id), "{}", r.id);
    }
    let md = budgetkit(&["rules", "--format", "markdown"]);
    assert_eq!(stdout(&md), budgetkit::rules::catalog_markdown());
}

#[test]
fn export_refuses_a_workbook_with_errors_unless_forced() {
    let book = typo_book();
    let input = book.save("typo.xlsx");
    let out = input.with_file_name("published.xlsx");
    let o = budgetkit(&[
        "export",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!out.exists(), "export wrote despite errors");
    assert!(String::from_utf8_lossy(&o.stderr).contains("IT-FUNC-ROLLUP"));
    let o = budgetkit(&[
        "export",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--force",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(out.exists());
}

#[test]
fn absurd_amounts_do_not_stop_validation() {
    let mut b = Book::sample();
    for code in ["201", "208", "210"] {
        b.edit(
            "预算公开表5",
            'A',
            code,
            'C',
            "79228162514264337593543950335",
        );
    }
    let path = b.save("huge.xlsx");
    let o = budgetkit(&["validate", path.to_str().unwrap(), "--format", "json"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}
