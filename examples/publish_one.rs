//! One submission read, checked and published with the budgetkit library:
//! `cargo run --release --example publish_one -- 某局.xlsx 预算公开表.xlsx`
//! (without arguments: the bundled sample, written to the temporary folder).

use budgetkit::{Severity, Template};
use std::path::PathBuf;

fn main() -> Result<(), budgetkit::Error> {
    let mut args = std::env::args_os().skip(1).map(PathBuf::from);
    let sample = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/samples/shuozhou-investment-2025.xlsx"
    );
    let input = args.next().unwrap_or_else(|| sample.into());
    let output = args
        .next()
        .unwrap_or_else(|| std::env::temp_dir().join("预算公开表.xlsx"));

    let template = Template::load("sx-2025")?;
    let submission = budgetkit::read(&input, &template)?;
    let findings = budgetkit::check(&submission, &template)?;
    for f in &findings {
        println!(
            "[{}] {} {}（{}）",
            f.severity.label(),
            f.rule,
            f.message,
            f.cells_joined("，")
        );
    }
    if findings.iter().any(|f| f.severity == Severity::Error) {
        println!("有错误，未写出 {}", output.display());
        std::process::exit(1);
    }
    budgetkit::export(&submission.budget, &template, &output)?;
    println!("已写出 {}", output.display());
    Ok(())
}
