//! A folder of submissions checked with the budgetkit library, as a finance
//! bureau's own program would: one line per file, then the errors of each
//! file that has them, and the same exit status as `budgetkit batch`.
//!
//! `cargo run --release --example check_folder -- 收件箱/ [模板]`
//! (without arguments: the bundled samples/ folder, template sx-2025).

use budgetkit::{BatchOptions, FileStatus, Severity, Template};
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let folder = args.next().map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples"),
        PathBuf::from,
    );
    let template = args.next().map_or_else(
        || "sx-2025".to_string(),
        |t| t.to_string_lossy().into_owned(),
    );
    match check_folder(folder, &template) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("错误：{e}");
            ExitCode::from(2)
        }
    }
}

fn check_folder(folder: PathBuf, template: &str) -> Result<ExitCode, budgetkit::Error> {
    let template = Template::load(template)?;
    let inbox = budgetkit::commands::collect_files(&[folder]);
    let report = budgetkit::commands::batch_inbox(&inbox, &BatchOptions::new(&template))?;
    for file in &report.files {
        let who = file.error.as_deref().unwrap_or(&file.department);
        println!("{}\t{}\t{who}", file.status.label(), file.file.display());
        if file.status != FileStatus::Errors {
            continue;
        }
        for f in file
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
        {
            println!("    {} {}（{}）", f.rule, f.message, f.cells_joined("，"));
        }
    }
    let s = &report.summary;
    println!(
        "{} 个文件：通过 {}，有错误 {}，无法读取 {}",
        s.files, s.ok, s.with_errors, s.unreadable
    );
    Ok(ExitCode::from(
        u8::try_from(report.exit_code()).unwrap_or(2),
    ))
}
