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
    rename_department(&mut b, name);
    std::fs::read(b.save("renamed.xlsx")).unwrap()
}

fn rename_department(b: &mut common::book::Book, name: &str) {
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
    let r = batch(&files.files, &opts).unwrap();
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
    let r = batch(&files.files, &opts).unwrap();
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

/// Runs the binary's batch with a `--report` and returns the report path,
/// the JSON output and the exit status.
fn report_of(
    dir: &std::path::Path,
    extra: &[&str],
) -> (std::path::PathBuf, serde_json::Value, i32) {
    let report = dir.join("汇总.xlsx");
    let o = Command::new(env!("CARGO_BIN_EXE_budgetkit"))
        .arg("batch")
        .arg(dir.join("收件箱"))
        .args(["--format", "json", "--report"])
        .arg(&report)
        .args(extra)
        .output()
        .unwrap();
    let v = serde_json::from_slice(&o.stdout).unwrap();
    (report, v, o.status.code().unwrap_or(-1))
}

/// An inbox of the sample, the sample with one wrong total, and a file
/// that is not a workbook.
fn mixed_inbox(dir: &std::path::Path) {
    let inbox = dir.join("收件箱");
    std::fs::create_dir(&inbox).unwrap();
    std::fs::copy(sample_xlsx(), inbox.join("a-好.xlsx")).unwrap();
    let mut b = common::book::Book::sample();
    b.edit("预算公开表3", 'A', "合计", 'C', "353.59");
    rename_department(&mut b, "另一个局");
    std::fs::write(
        inbox.join("b-错.xlsx"),
        std::fs::read(b.save("x.xlsx")).unwrap(),
    )
    .unwrap();
    std::fs::write(inbox.join("c-坏.xlsx"), b"not a workbook").unwrap();
}

fn cells_of(path: &std::path::Path, sheet: &str) -> Vec<Vec<calamine::Data>> {
    use calamine::Reader;
    let mut wb = calamine::open_workbook_auto(path).unwrap();
    let range = wb.worksheet_range(sheet).unwrap();
    range.rows().map(<[calamine::Data]>::to_vec).collect()
}

#[test]
fn report_counts_are_numbers() {
    let dir = tempdir();
    mixed_inbox(dir.path());
    let (report, _, code) = report_of(dir.path(), &[]);
    assert_eq!(code, 1);
    let rows = cells_of(&report, "汇总");
    let header = &rows[1];
    assert_eq!(header[3], calamine::Data::String("错误".into()));
    let readable: Vec<&Vec<calamine::Data>> = rows[2..]
        .iter()
        .filter(|r| matches!(&r[2], calamine::Data::String(s) if s == "通过" || s == "有错误"))
        .collect();
    assert_eq!(readable.len(), 2);
    for r in readable {
        for c in [3, 4, 5] {
            assert!(
                matches!(r[c], calamine::Data::Float(_) | calamine::Data::Int(_)),
                "column {c} is a number: {r:?}"
            );
        }
    }
}

#[test]
fn report_one_row_per_finding() {
    let dir = tempdir();
    mixed_inbox(dir.path());
    let (report, v, _) = report_of(dir.path(), &[]);
    let findings: usize = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["findings"].as_array().unwrap().len() + usize::from(f["error"].is_string()))
        .sum();
    let rows = cells_of(&report, "审核发现");
    let header: Vec<String> = rows[1].iter().map(ToString::to_string).collect();
    assert_eq!(
        header,
        [
            "级别",
            "部门",
            "文件",
            "规则",
            "单元格",
            "说明",
            "应为",
            "实为"
        ]
    );
    let body = &rows[2..];
    assert_eq!(body.len(), findings, "one row per finding, not per cell");
    let severities: Vec<String> = body.iter().map(|r| r[0].to_string()).collect();
    let first_warning = severities
        .iter()
        .position(|s| s == "提示")
        .unwrap_or(body.len());
    assert!(
        severities[first_warning..].iter().all(|s| s == "提示"),
        "errors first: {severities:?}"
    );
    // A sum finding names several cells in one row and says 应为/实为.
    let sum = body
        .iter()
        .find(|r| r[4].to_string().contains('、') && !r[6].to_string().is_empty())
        .unwrap_or_else(|| panic!("no multi-cell finding with 应为: {body:?}"));
    assert!(!sum[7].to_string().is_empty(), "{sum:?}");
}

/// A batch reads every file with one template (sx-2025 by default); a
/// Shanghai submission in it is unreadable as such, and the reason says
/// which template it fits and how to read it.
#[test]
fn a_file_of_another_template_is_unreadable_naming_the_template_it_fits() {
    let dir = tempdir();
    let inbox = dir.path().join("收件箱");
    std::fs::create_dir(&inbox).unwrap();
    let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    for name in [
        "shuozhou-investment-2025.xlsx",
        "shanghai-putuo-finance-2025.xlsx",
    ] {
        std::fs::copy(samples.join(name), inbox.join(name)).unwrap();
    }
    let o = Command::new(env!("CARGO_BIN_EXE_budgetkit"))
        .arg("batch")
        .arg(&inbox)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    let line = text
        .lines()
        .find(|l| l.contains("shanghai-putuo"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        line.starts_with("无法读取") && line.contains("请加 --template sh-2026"),
        "{line}"
    );
    let shanxi = text.lines().find(|l| l.contains("shuozhou")).unwrap();
    assert!(shanxi.starts_with("通过"), "{shanxi}");
    let o = Command::new(env!("CARGO_BIN_EXE_budgetkit"))
        .args(["batch", "--template", "sh-2026"])
        .arg(inbox.join("shanghai-putuo-finance-2025.xlsx"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.starts_with("通过\t上海市普陀区财政局"), "{text}");
}

#[test]
fn unreadable_shows_as_wufaduqu() {
    let dir = tempdir();
    mixed_inbox(dir.path());
    let (report, _, _) = report_of(dir.path(), &[]);
    let rows = cells_of(&report, "汇总");
    let bad = rows
        .iter()
        .find(|r| r[0].to_string().ends_with("c-坏.xlsx"))
        .unwrap();
    assert_eq!(bad[2].to_string(), "无法读取");
    assert_eq!(
        bad[3],
        calamine::Data::Empty,
        "no 错误 0 for a file not read"
    );
    assert_eq!(bad[4], calamine::Data::Empty);
    assert!(!bad[9].to_string().is_empty(), "why: {bad:?}");
    let o = Command::new(env!("CARGO_BIN_EXE_budgetkit"))
        .arg("batch")
        .arg(dir.path().join("收件箱"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    let line = text.lines().find(|l| l.contains("c-坏.xlsx")).unwrap();
    assert!(
        line.starts_with("无法读取") && !line.contains("错误 0"),
        "{line}"
    );
}

#[test]
fn duplicate_department_consolidated_once() {
    let dir = tempdir();
    let inbox = dir.path().join("收件箱");
    std::fs::create_dir(&inbox).unwrap();
    std::fs::copy(sample_xlsx(), inbox.join("a.xlsx")).unwrap();
    std::fs::copy(sample_xlsx(), inbox.join("a-重报.xlsx")).unwrap();
    std::fs::write(inbox.join("b.xlsx"), department("另一个局")).unwrap();
    let sum = dir.path().join("汇总表.xlsx");
    let (_, v, code) = report_of(dir.path(), &["--consolidate", sum.to_str().unwrap()]);
    assert_eq!(code, 0);
    let dup: Vec<&serde_json::Value> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            f["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x["rule"] == "BATCH-DUPLICATE")
        })
        .collect();
    assert_eq!(dup.len(), 1, "the later copy is reported");
    let template = Template::load("sx-2025").unwrap();
    let read = read_path(&sum, &template).unwrap().budget;
    assert_eq!(read.department, "汇总(2个部门)", "each department once");
    // The same file twice is read once.
    let a = inbox.join("a.xlsx");
    let o = Command::new(env!("CARGO_BIN_EXE_budgetkit"))
        .args(["batch", "--format", "json"])
        .arg(&a)
        .arg(inbox.join(".").join("a.xlsx"))
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        (
            v["summary"]["files"].as_u64(),
            v["summary"]["repeated"].as_u64()
        ),
        (Some(1), Some(1))
    );
}
