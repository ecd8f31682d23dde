//! The library API at the crate root (`budgetkit::{read, check, validate,
//! export, convert, batch}`): the one check gives what every command
//! reports, and the library writes what the commands write.

mod common;

use budgetkit::commands::{self, ConvertOptions, ExportOptions, ValidateOptions};
use budgetkit::{BatchOptions, FileStatus, Finding, Severity, Template};
use common::book::{listing, Book};
use std::path::Path;

fn sx2025() -> Template {
    Template::load("sx-2025").expect("template")
}

fn errors(findings: &[Finding]) -> usize {
    findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count()
}

/// The sample with 表5's 2011301 basic spending typed as text: a
/// submission with an error finding.
fn with_an_error(book: &mut Book) -> std::path::PathBuf {
    book.edit("预算公开表5", 'A', "2011301", 'D', "约131");
    book.save("有错误.xlsx")
}

/// `validate` on the command line and in a program say the same: the
/// library's report of a submission read is the command's, to the byte,
/// for a workbook and for a JSON model.
#[test]
fn the_library_report_is_the_validate_command_report() {
    let template = sx2025();
    let opts = ValidateOptions {
        template: &template,
        annotate: None,
    };
    for input in [common::sample_xlsx(), common::sample_json()] {
        let command = commands::validate(&input, &opts).expect("validate");
        let sub = budgetkit::read(&input, &template).expect("read");
        let library = budgetkit::validate(&sub, &template).expect("check");
        assert_eq!(library.to_json(), command.to_json(), "{}", input.display());
        assert_eq!(library.to_text(), command.to_text(), "{}", input.display());
        let findings = budgetkit::check(&sub, &template).expect("check");
        assert_eq!(findings, command.findings, "{}", input.display());
        assert_eq!(command.summary.warnings, 2, "{}", listing(&findings));
    }
}

/// The check reads nothing: a submission read and then deleted checks the
/// same, its findings naming the cells read.
#[test]
fn check_reads_nothing_once_the_submission_is_read() {
    let template = sx2025();
    let mut book = Book::sample();
    let path = with_an_error(&mut book);
    let sub = budgetkit::read(&path, &template).expect("read");
    let before = budgetkit::check(&sub, &template).expect("check");
    std::fs::remove_file(&path).expect("remove");
    let after = budgetkit::check(&sub, &template).expect("check");
    assert_eq!(before, after);
    assert!(errors(&after) > 0, "{}", listing(&after));
    assert!(
        after.iter().any(|f| f.severity == Severity::Error
            && f.cells
                .iter()
                .any(|c| c.to_string().starts_with("预算公开表5!D"))),
        "{}",
        listing(&after)
    );
}

/// A JSON model has no filed tables: it is checked through the standard
/// workbook it exports to, so a wrong amount in it is found and named by a
/// cell of that workbook — as `validate` on the file reports it.
#[test]
fn a_json_model_is_checked_through_its_standard_workbook() {
    let template = sx2025();
    let dir = common::tempdir();
    let text = std::fs::read_to_string(common::sample_json()).expect("model");
    let mut model: serde_json::Value = serde_json::from_str(&text).expect("json");
    let total = &mut model["functions"]["total"]["income"]["general"]["value"];
    assert!(total.is_string(), "{total}");
    *total = serde_json::Value::String("1.00".into());
    let path = dir.path().join("改过的模型.json");
    std::fs::write(&path, model.to_string()).expect("write");

    let sub = budgetkit::read(&path, &template).expect("read");
    assert!(sub.tables.is_empty());
    let findings = budgetkit::check(&sub, &template).expect("check");
    assert!(errors(&findings) > 0, "{}", listing(&findings));
    assert!(
        findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .all(|f| f.cells.iter().all(|c| c.sheet.starts_with("预算公开表"))),
        "{}",
        listing(&findings)
    );
    let opts = ValidateOptions {
        template: &template,
        annotate: None,
    };
    let command = commands::validate(&path, &opts).expect("validate");
    assert_eq!(findings, command.findings);
}

/// `batch` checks each file with the same check: a file's findings are
/// `check`'s (then the batch's own: the second file is the same
/// department), and a file with an error is 有错误.
#[test]
fn batch_reports_what_check_finds() {
    let template = sx2025();
    let mut book = Book::sample();
    let bad = with_an_error(&mut book);
    let files = vec![common::sample_xlsx(), bad.clone()];
    let report = budgetkit::batch(&files, &BatchOptions::new(&template)).expect("batch");
    assert_eq!(report.files.len(), 2);
    for file in &report.files {
        let sub = budgetkit::read(&file.file, &template).expect("read");
        let findings = budgetkit::check(&sub, &template).expect("check");
        let (checked, batch_own) = file
            .findings
            .split_at(findings.len().min(file.findings.len()));
        assert_eq!(checked, findings, "{}", file.file.display());
        assert!(
            batch_own.iter().all(|f| f.rule == "BATCH-DUPLICATE"),
            "{}",
            listing(batch_own)
        );
        let want = if file.file == bad {
            FileStatus::Errors
        } else {
            FileStatus::Ok
        };
        assert_eq!(file.status, want, "{}", listing(&file.findings));
    }
}

/// `budgetkit::export` of a model writes the workbook `budgetkit export`
/// writes, byte for byte (the creation date is fixed by the year).
#[test]
fn the_library_export_writes_what_the_export_command_writes() {
    let template = sx2025();
    let dir = common::tempdir();
    let by_command = dir.path().join("命令.xlsx");
    let opts = ExportOptions {
        read_template: &template,
        write_template: &template,
        force: false,
    };
    let outcome = commands::export(&common::sample_xlsx(), &by_command, &opts).expect("export");
    assert!(!outcome.refused, "{}", listing(&outcome.findings));

    let by_library = dir.path().join("程序.xlsx");
    let sub = budgetkit::read(common::sample_xlsx(), &template).expect("read");
    let cut = budgetkit::export(&sub.budget, &template, &by_library).expect("export");
    assert!(cut.is_empty(), "{}", listing(&cut));
    assert_eq!(bytes(&by_library), bytes(&by_command));
}

/// `budgetkit::convert` writes what `budgetkit convert --from` writes, and
/// reports the same moves of income sources; the command adds only the
/// check of the submission as read.
#[test]
fn the_library_convert_writes_what_the_convert_command_writes() {
    let (from, to) = (sx2025(), Template::load("sx-2023").expect("template"));
    let dir = common::tempdir();
    let by_command = dir.path().join("命令.xlsx");
    let opts = ConvertOptions {
        to: &to,
        from: Some(&from),
        force: false,
    };
    let done = commands::convert(&common::sample_xlsx(), &by_command, &opts).expect("convert");
    assert!(!done.outcome.refused, "{}", listing(&done.outcome.findings));

    let by_library = dir.path().join("程序.xlsx");
    let sub = budgetkit::read(common::sample_xlsx(), &from).expect("read");
    let outcome = budgetkit::convert(&sub.budget, &from, &to, &by_library).expect("convert");
    assert!(!outcome.refused, "{}", listing(&outcome.findings));
    let mut want = budgetkit::check(&sub, &from).expect("check");
    want.extend(outcome.findings.iter().cloned());
    assert_eq!(done.outcome.findings, want);
    assert_eq!(bytes(&by_library), bytes(&by_command));
}

/// A conversion into a template with tables the source version cannot
/// fill (the nine-table set has no project or 机关运行经费 tables) is
/// refused by the library and writes nothing.
#[test]
fn the_library_convert_refuses_tables_the_source_cannot_fill() {
    let (from, to) = (Template::load("mof-9").expect("template"), sx2025());
    let dir = common::tempdir();
    let out = dir.path().join("转换.xlsx");
    let budget = budgetkit::read(common::sample_json(), &to)
        .expect("read")
        .budget;
    let outcome = budgetkit::convert(&budget, &from, &to, &out).expect("convert");
    assert!(outcome.refused);
    assert!(outcome
        .findings
        .iter()
        .any(|f| f.rule == "CONVERT-TABLE-MISSING" && f.severity == Severity::Error));
    assert!(!out.exists());
}

/// A file that is not a workbook is an `Err` of `read` (the CLI's exit
/// status 2), naming the file — not a finding.
#[test]
fn reading_something_that_is_not_a_workbook_is_an_error() {
    let dir = common::tempdir();
    let path = dir.path().join("说明.xlsx");
    std::fs::write(&path, "不是工作簿").expect("write");
    let err = budgetkit::read(&path, &sx2025()).expect_err("not a workbook");
    assert!(err.is_unreadable_input(), "{err:?}");
    assert!(err.to_string().contains("说明.xlsx"), "{err}");
}

/// The README's library snippet is `examples/publish_one.rs` itself (which
/// `cargo test` builds), so it cannot drift from code that compiles.
#[test]
fn the_readme_library_snippet_is_the_publish_one_example() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README");
    let example = std::fs::read_to_string(root.join("examples/publish_one.rs")).expect("example");
    let section = readme
        .split("\n## As a library\n")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("README section “As a library”");
    assert!(
        section.contains(&format!("```rust\n{example}```\n")),
        "README's “As a library” snippet differs from examples/publish_one.rs"
    );
}

fn bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).expect("output")
}
