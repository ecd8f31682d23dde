//! Benchmark of validation on the sample (not a test: prints figures, asserts
//! nothing about time). Run with `cargo bench --bench validate`.
//!
//! Measures: the whole `validate` command on the sample workbook (read,
//! locate, build, rules), the rules alone on the tables already read, and
//! `validate` of the sample JSON model (render, read back, rules).

use budgetkit::commands::{validate, ValidateOptions};
use budgetkit::read::read_path;
use budgetkit::rules::check;
use budgetkit::spec::Template;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn sample(ext: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("samples/shuozhou-investment-2025.{ext}"))
}

/// Runs `f` `n` times after a warm-up and prints min / median / mean.
fn time(label: &str, n: usize, mut f: impl FnMut()) {
    for _ in 0..n.min(10) {
        f();
    }
    let mut runs: Vec<Duration> = (0..n)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    runs.sort_unstable();
    let total: Duration = runs.iter().sum();
    let mean = total / u32::try_from(n).unwrap_or(1);
    println!(
        "{label:<40} n={n:<5} min {:>9.3?}  median {:>9.3?}  mean {:>9.3?}",
        runs[0],
        runs[n / 2],
        mean
    );
}

fn main() {
    let template = Template::load("sx-2025").expect("template");
    let xlsx = sample("xlsx");
    let json = sample("json");
    let opts = ValidateOptions {
        template: &template,
        annotate: None,
    };
    let report = validate(&xlsx, &opts).expect("validate");
    println!(
        "sample: {} findings ({} errors), {} rules",
        report.findings.len(),
        report.summary.errors,
        budgetkit::rules::RULES.len()
    );
    time("validate sample.xlsx (read + rules)", 200, || {
        black_box(validate(black_box(&xlsx), &opts).expect("validate"));
    });
    let sub = read_path(&xlsx, &template).expect("read");
    time("rules::check only (tables already read)", 2000, || {
        black_box(check(&sub.budget, &sub.tables, &template));
    });
    println!("slowest rules:");
    per_rule(&sub, &template);
    time("validate sample.json (render + read + rules)", 200, || {
        black_box(validate(black_box(&json), &opts).expect("validate"));
    });
}

/// The slowest rules on the sample, each run alone.
fn per_rule(sub: &budgetkit::read::Submission, template: &Template) {
    use budgetkit::rules::{context::Context, Sink, RULES};
    let ctx = Context::new(&sub.budget, &sub.tables, template);
    let mut times: Vec<(Duration, &str)> = RULES
        .iter()
        .map(|rule| {
            let n = 200;
            let t = Instant::now();
            for _ in 0..n {
                let mut out = Vec::new();
                let mut sink = Sink::new(rule, &mut out);
                (rule.check)(&ctx, &mut sink);
                black_box(out);
            }
            (t.elapsed() / n, rule.id)
        })
        .collect();
    times.sort_unstable_by(|a, b| b.cmp(a));
    for (d, id) in times.iter().take(8) {
        println!("  {id:<28} {d:>9.3?}");
    }
}
