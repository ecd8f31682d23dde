//! The bureau's batch: mixed inputs, statuses, exit codes, consolidation.

mod common;

use budgetkit::commands::{batch, collect_files, write_consolidated, BatchOptions, FileStatus};
use budgetkit::read::{read_json, read_path};
use budgetkit::spec::Template;
use common::*;
use rust_decimal::Decimal;
use std::process::Command;

fn inbox(dir: &std::path::Path, valid: usize) {
    for i in 0..valid {
        std::fs::copy(sample_xlsx(), dir.join(format!("部门{i}.xlsx"))).unwrap();
    }
}

/// The sample renamed to `name` wherever it names its department.
fn department(name: &str) -> Vec<u8> {
    let mut b = common::book::Book::sample();
    let refs: Vec<(String, String)> = b
        .sheets
        .iter()
        .flat_map(|s| {
            s.cells()
                .filter(|(_, c)| c.text.contains(SAMPLE_DEPARTMENT))
                .map(|((r, c), cell)| {
                    (
                        format!("{}!{}", s.name, budgetkit::read::a1(r, c)),
                        cell.text.replace(SAMPLE_DEPARTMENT, name),
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect();
    for (r, text) in &refs {
        b.put(r, text);
    }
    std::fs::read(b.save("renamed.xlsx")).unwrap()
}

const SAMPLE_DEPARTMENT: &str = "朔州市促进外来投资局";

#[test]
fn a_mixed_directory_gets_the_right_status_per_file() {
    let dir = tempdir();
    inbox(dir.path(), 2);
    std::fs::write(dir.path().join("坏.xlsx"), b"not a workbook").unwrap();
    std::fs::write(dir.path().join("~$部门0.xlsx"), b"lock file").unwrap();
    std::fs::write(dir.path().join("说明.txt"), b"ignored").unwrap();
    let template = Template::load("sx-2025").unwrap();
    let files = collect_files(&[dir.path().to_path_buf()]);
    assert_eq!(files.len(), 3, "{files:?}");
    let opts = BatchOptions {
        template: &template,
        jobs: 2,
        out_dir: None,
        keep_models: false,
        progress: false,
    };
    let r = batch(&files, &opts).unwrap();
    let status = |name: &str| {
        r.files
            .iter()
            .find(|f| f.file.file_name().unwrap() == name)
            .map(|f| f.status)
    };
    assert_eq!(status("部门0.xlsx"), Some(FileStatus::Ok));
    assert_eq!(status("部门1.xlsx"), Some(FileStatus::Ok));
    assert_eq!(status("坏.xlsx"), Some(FileStatus::Unreadable));
    assert_eq!((r.summary.ok, r.summary.unreadable), (2, 1));
    assert_eq!(r.exit_code(), 1);
    let bad = r
        .files
        .iter()
        .find(|f| f.status == FileStatus::Unreadable)
        .unwrap();
    assert!(bad.error.as_deref().unwrap().contains("坏.xlsx"));
}

#[test]
fn the_binary_exits_0_when_all_pass_and_1_otherwise() {
    let dir = tempdir();
    inbox(dir.path(), 2);
    let run = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_budgetkit"))
            .arg("batch")
            .arg(dir.path())
            .args(extra)
            .output()
            .unwrap()
    };
    let o = run(&["--format", "json"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["summary"]["ok"], 2);
    assert_eq!(v["files"][0]["status"], "ok");
    assert_eq!(v["files"][0]["department"], "朔州市促进外来投资局");
    std::fs::write(dir.path().join("坏.xls"), b"").unwrap();
    let report = dir.path().join("汇总.xlsx");
    let o = run(&["--report", report.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("无法读取") && text.contains("通过"), "{text}");
    let rows = sheet_rows(&report, "汇总", 2);
    assert_eq!(rows.len(), 4, "three files and the totals: {rows:?}");
    assert!(rows
        .iter()
        .any(|r| r.contains("通过") && r.contains("353.49\t236.49\t117.00\t2.10")));
    let empty = tempdir();
    let o = Command::new(env!("CARGO_BIN_EXE_budgetkit"))
        .arg("batch")
        .arg(empty.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn the_consolidation_of_n_copies_is_n_times_the_sample() {
    let n = 3;
    let dir = tempdir();
    for i in 0..n {
        let name = format!("{SAMPLE_DEPARTMENT}{i}");
        std::fs::write(dir.path().join(format!("部门{i}.xlsx")), department(&name)).unwrap();
    }
    let template = Template::load("sx-2025").unwrap();
    let files = collect_files(&[dir.path().to_path_buf()]);
    let out_dir = dir.path().join("公开表");
    std::fs::create_dir(&out_dir).unwrap();
    let opts = BatchOptions {
        template: &template,
        jobs: 2,
        out_dir: Some(out_dir.clone()),
        keep_models: true,
        progress: false,
    };
    let r = batch(&files, &opts).unwrap();
    assert_eq!(std::fs::read_dir(&out_dir).unwrap().count(), n);
    let out = dir.path().join("汇总表.xlsx");
    assert_eq!(write_consolidated(&r, &template, &out).unwrap(), n);
    let sum = read_path(&out, &template).unwrap().budget;
    let one = read_json(&sample_json()).unwrap().budget;
    let times = Decimal::from(n);
    assert_eq!(sum.department, format!("汇总({n}个部门)"));
    for (s, o) in sum.functions.lines.iter().zip(&one.functions.lines) {
        assert_eq!(
            (s.code.as_str(), s.income.total()),
            (o.code.as_str(), o.income.total().map(|v| v * times))
        );
        assert_eq!(s.basic(), o.basic().map(|v| v * times), "{}", s.code);
    }
    assert_eq!(sum.functions.lines.len(), one.functions.lines.len());
    assert_eq!(
        sum.economic.total.total(),
        one.economic.total.total().map(|v| v * times)
    );
    assert_eq!(sum.projects.len(), n * one.projects.len());
    assert_eq!(sum.operating_costs.len(), n);
    // The 汇总 itself validates: each of its amounts sums n rounded ones,
    // so the reference's cent gaps (21011 …) add up within n half-cents.
    let checked = budgetkit::commands::check_input(&out, &template).unwrap();
    let errors: Vec<_> = checked
        .findings
        .iter()
        .filter(|f| f.severity == budgetkit::findings::Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}
