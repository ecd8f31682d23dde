//! Issue #13 (items 2–6, 8): paths, outputs and arithmetic that used to
//! crash, hang or lose data. Each test is named after the bug it covers;
//! fixtures are made by the test.

mod common;

use budgetkit::commands::{collect_files, effective_jobs, MAX_JOBS};
use common::book::Book;
use common::*;
use std::os::unix::fs::{symlink, FileTypeExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn budgetkit() -> Command {
    Command::new(env!("CARGO_BIN_EXE_budgetkit"))
}

fn run(args: &[&std::ffi::OsStr]) -> Output {
    budgetkit().args(args).output().expect("run budgetkit")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn mkfifo(p: &Path) {
    let ok = Command::new("mkfifo").arg(p).status().expect("mkfifo");
    assert!(ok.success());
}

/// The rule ids of a report's (or a batch file's) findings.
fn rules_of(report: &serde_json::Value) -> Vec<&str> {
    report["findings"]
        .as_array()
        .map(|a| a.iter().filter_map(|x| x["rule"].as_str()).collect())
        .unwrap_or_default()
}

fn sample_model() -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(sample_json()).unwrap()).unwrap()
}

fn batch_json(args: &[&std::ffi::OsStr]) -> (Output, serde_json::Value) {
    let mut all: Vec<&std::ffi::OsStr> =
        vec!["batch".as_ref(), "--format".as_ref(), "json".as_ref()];
    all.extend_from_slice(args);
    let o = run(&all);
    let v = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", stdout(&o), stderr(&o)));
    (o, v)
}

#[test]
fn batch_symlink_loop_counts_file_once() {
    let dir = tempdir();
    let d = dir.path();
    std::fs::copy(sample_xlsx(), d.join("a.xlsx")).unwrap();
    std::fs::create_dir(d.join("sub")).unwrap();
    // Two loops: one back to the top, one to itself; and a link to the file.
    symlink(d, d.join("sub/up")).unwrap();
    symlink(d.join("sub"), d.join("sub/me")).unwrap();
    symlink(d.join("a.xlsx"), d.join("sub/link.xlsx")).unwrap();
    let inbox = collect_files(&[d.to_path_buf()]);
    assert_eq!(inbox.files, vec![d.join("a.xlsx")], "{inbox:?}");
    assert_eq!(inbox.repeated.len(), 1, "{inbox:?}");
    assert!(inbox.refused.is_empty(), "{inbox:?}");
    let (o, v) = batch_json(&[d.as_os_str()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(v["summary"]["files"], 1);
    assert_eq!(v["summary"]["repeated"], 1);
}

#[test]
fn batch_fifo_is_skipped() {
    let dir = tempdir();
    let d = dir.path();
    std::fs::copy(sample_xlsx(), d.join("a.xlsx")).unwrap();
    mkfifo(&d.join("pipe.xlsx"));
    symlink("/dev/zero", d.join("zero.xlsx")).unwrap();
    let inbox = collect_files(&[d.to_path_buf()]);
    assert_eq!(inbox.files, vec![d.join("a.xlsx")]);
    let refused: Vec<&PathBuf> = inbox.refused.iter().map(|(p, _)| p).collect();
    assert_eq!(refused, vec![&d.join("pipe.xlsx"), &d.join("zero.xlsx")]);
    // The binary finishes (a FIFO would block it forever, /dev/zero fill
    // memory) and reports both as unreadable.
    let (o, v) = batch_json(&[d.as_os_str()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(v["summary"]["ok"], 1);
    assert_eq!(v["summary"]["unreadable"], 2);
    let errors: Vec<String> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["error"].as_str().map(String::from))
        .collect();
    assert!(
        errors.iter().all(|e| e.contains("不是普通文件")),
        "{errors:?}"
    );
}

#[test]
fn out_dir_same_basename_keeps_both() {
    let dir = tempdir();
    let d = dir.path();
    for sub in ["d1", "d2"] {
        std::fs::create_dir(d.join(sub)).unwrap();
        std::fs::copy(sample_xlsx(), d.join(sub).join("dept.xlsx")).unwrap();
    }
    let out = d.join("公开表");
    let o = run(&[
        "batch".as_ref(),
        d.join("d1").as_os_str(),
        d.join("d2").as_os_str(),
        "--out-dir".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["dept(2)-预算公开表.xlsx", "dept-预算公开表.xlsx"]);
    let text = stdout(&o);
    assert!(text.contains("dept(2)-预算公开表.xlsx"), "{text}");
}

#[test]
fn out_dir_never_overwrites_an_input() {
    let dir = tempdir();
    let d = dir.path();
    std::fs::copy(sample_xlsx(), d.join("x.xlsx")).unwrap();
    std::fs::copy(sample_xlsx(), d.join("x-预算公开表.xlsx")).unwrap();
    let before = std::fs::read(d.join("x-预算公开表.xlsx")).unwrap();
    let (o, v) = batch_json(&[d.as_os_str(), "--out-dir".as_ref(), d.as_os_str()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(std::fs::read(d.join("x-预算公开表.xlsx")).unwrap(), before);
    let x = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"].as_str().unwrap().ends_with("/x.xlsx"))
        .unwrap();
    let export = x["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "BATCH-EXPORT")
        .unwrap();
    assert!(
        export["message"].as_str().unwrap().contains("拒绝覆盖"),
        "{export}"
    );
}

#[test]
fn import_output_equal_to_input_is_refused() {
    let dir = tempdir();
    let json = dir.path().join("model.json");
    std::fs::copy(sample_json(), &json).unwrap();
    let xlsx = dir.path().join("in.xlsx");
    std::fs::copy(sample_xlsx(), &xlsx).unwrap();
    let linked = dir.path().join("hard.xlsx");
    std::fs::hard_link(&xlsx, &linked).unwrap();
    let before = (std::fs::read(&json).unwrap(), std::fs::read(&xlsx).unwrap());
    let dotted = dir.path().join(".").join("model.json");
    let cases: Vec<Vec<&std::ffi::OsStr>> = vec![
        vec![
            "import".as_ref(),
            json.as_os_str(),
            "-o".as_ref(),
            dotted.as_os_str(),
        ],
        vec![
            "import".as_ref(),
            xlsx.as_os_str(),
            "-o".as_ref(),
            xlsx.as_os_str(),
        ],
        vec![
            "export".as_ref(),
            xlsx.as_os_str(),
            "-o".as_ref(),
            linked.as_os_str(),
        ],
        vec![
            "validate".as_ref(),
            xlsx.as_os_str(),
            "--annotate".as_ref(),
            xlsx.as_os_str(),
        ],
        vec![
            "convert".as_ref(),
            xlsx.as_os_str(),
            "--to".as_ref(),
            "sx-2025".as_ref(),
            "-o".as_ref(),
            xlsx.as_os_str(),
        ],
        vec![
            "batch".as_ref(),
            xlsx.as_os_str(),
            "--report".as_ref(),
            linked.as_os_str(),
        ],
        vec![
            "batch".as_ref(),
            dir.path().as_os_str(),
            "--consolidate".as_ref(),
            xlsx.as_os_str(),
        ],
    ];
    for args in cases {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("拒绝") || stderr(&o).contains("JSON"),
            "{args:?}: {}",
            stderr(&o)
        );
    }
    assert_eq!(
        before,
        (std::fs::read(&json).unwrap(), std::fs::read(&xlsx).unwrap()),
        "no input was touched"
    );
}

#[test]
fn output_fifo_is_refused() {
    let dir = tempdir();
    let fifo = dir.path().join("out.xlsx");
    mkfifo(&fifo);
    let o = run(&[
        "export".as_ref(),
        sample_xlsx().as_os_str(),
        "-o".as_ref(),
        fifo.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("不是普通文件"), "{}", stderr(&o));
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    let device = dir.path().join("device.xlsx");
    symlink("/dev/null", &device).unwrap();
    let o = run(&["template".as_ref(), "-o".as_ref(), device.as_os_str()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(device.is_symlink(), "the link to the device is left alone");
}

/// The sample with two amounts of 表2's 合计 row at 5e28 (sum beyond
/// Decimal's range).
fn overflowing_book() -> (Book, Vec<String>) {
    let mut b = Book::sample();
    let cells = vec![
        b.edit(
            "预算公开表2",
            'A',
            "合计",
            'C',
            "50000000000000000000000000000",
        ),
        b.edit(
            "预算公开表2",
            'A',
            "合计",
            'D',
            "50000000000000000000000000000",
        ),
    ];
    (b, cells)
}

#[test]
fn overflow_in_batch_is_a_finding() {
    let dir = tempdir();
    let (b, cells) = overflowing_book();
    std::fs::write(
        dir.path().join("坏.xlsx"),
        std::fs::read(b.save("x.xlsx")).unwrap(),
    )
    .unwrap();
    std::fs::copy(sample_xlsx(), dir.path().join("好.xlsx")).unwrap();
    let out = dir.path().join("公开表");
    let (o, v) = batch_json(&[
        dir.path().as_os_str(),
        "--out-dir".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let files = v["files"].as_array().unwrap();
    let bad = files
        .iter()
        .find(|f| f["file"].as_str().unwrap().ends_with("坏.xlsx"))
        .unwrap();
    assert_eq!(bad["status"], "errors");
    let named: Vec<&str> = bad["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "IT-AMOUNT-NUMBER")
        .flat_map(|f| {
            f["cells"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|c| c.as_str())
        })
        .collect();
    for c in &cells {
        assert!(named.contains(&c.as_str()), "{c} not named: {named:?}");
    }
    assert_eq!(v["summary"]["ok"], 1, "the other file is still checked");
}

#[test]
fn json_model_overflow_is_a_finding() {
    let dir = tempdir();
    let mut model = sample_model();
    let big = serde_json::json!({"value": "50000000000000000000000000000"});
    model["functions"]["lines"][0]["general"]["basic"] = big.clone();
    model["functions"]["lines"][0]["general"]["project"] = big;
    let json = dir.path().join("model.json");
    std::fs::write(&json, serde_json::to_vec(&model).unwrap()).unwrap();
    let o = run(&[
        "validate".as_ref(),
        json.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let rules = rules_of(&v);
    assert!(rules.contains(&"IT-AMOUNT-NUMBER"), "{rules:?}");
    let out = dir.path().join("out.xlsx");
    let o = run(&[
        "export".as_ref(),
        json.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
        "--force".as_ref(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(out.exists(), "--force writes despite the finding");
    let o = run(&["import".as_ref(), json.as_os_str()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn broken_pipe_is_quiet() {
    let mut child = budgetkit()
        .arg("import")
        .arg(sample_xlsx())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), "", "a closed pipe is not an error");
}

#[test]
fn dev_full_is_exit_2() {
    let full = std::fs::File::options()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let o = budgetkit()
        .arg("import")
        .arg(sample_xlsx())
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("磁盘空间已满"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"));
}

#[test]
fn jobs_is_capped() {
    assert!(effective_jobs(100_000) <= MAX_JOBS);
    assert!(effective_jobs(100_000) >= 1);
    assert_eq!(effective_jobs(1), 1);
    let dir = tempdir();
    std::fs::copy(sample_xlsx(), dir.path().join("a.xlsx")).unwrap();
    let o = run(&[
        "batch".as_ref(),
        dir.path().as_os_str(),
        "--jobs".as_ref(),
        "100000".as_ref(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("超过上限"), "{}", stderr(&o));
}

#[test]
fn overlong_text_is_cut_with_a_finding_and_the_report_is_written() {
    let dir = tempdir();
    let mut model = sample_model();
    model["projects"][0]["name"] = serde_json::Value::String("长".repeat(40_000));
    let json = dir.path().join("model.json");
    std::fs::write(&json, serde_json::to_vec(&model).unwrap()).unwrap();
    let report = dir.path().join("汇总.xlsx");
    let out = dir.path().join("公开表");
    let (o, v) = batch_json(&[
        json.as_os_str(),
        "--report".as_ref(),
        report.as_os_str(),
        "--out-dir".as_ref(),
        out.as_os_str(),
    ]);
    assert!(
        report.exists(),
        "the report is always written: {}",
        stderr(&o)
    );
    let f = &v["files"][0];
    let rules = rules_of(f);
    let errors = f["summary"]["errors"].as_u64().unwrap();
    let warnings = f["summary"]["warnings"].as_u64().unwrap();
    assert_eq!(
        errors + warnings,
        rules.len() as u64,
        "every finding is counted"
    );
    assert_eq!(f["status"], "ok", "{rules:?}");
    assert!(rules.contains(&"WRITE-TEXT-LIMIT"), "{rules:?}");
    assert!(f["exported"].is_string(), "the export is written");
    let o = run(&[
        "export".as_ref(),
        json.as_os_str(),
        "-o".as_ref(),
        dir.path().join("x.xlsx").as_os_str(),
        "--force".as_ref(),
    ]);
    assert!(dir.path().join("x.xlsx").exists(), "{}", stderr(&o));
    assert!(stderr(&o).contains("WRITE-TEXT-LIMIT"), "{}", stderr(&o));
}
