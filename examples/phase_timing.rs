//! Where the time of an import goes, phase by phase (a profiling aid; the
//! benchmark proper is `cargo bench --bench pipeline`).
//! `cargo run --release --example phase_timing [FILE] [PHASE]`.
use std::time::Instant;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let file = args
        .get(1)
        .cloned()
        .unwrap_or_else(|| "samples/shuozhou-investment-2025.xlsx".into());
    let only = args.get(2).cloned().unwrap_or_default();
    let p = std::path::Path::new(&file);
    let bytes = std::fs::read(p).expect("read file");
    let tpl = budgetkit::spec::Template::load("sx-2025").expect("template");
    let n = 50;
    if only.is_empty() || only == "sheets" {
        let t = Instant::now();
        for _ in 0..n {
            let _ = budgetkit::read::sheets_from_bytes(bytes.clone(), p).expect("sheets");
        }
        println!("sheets_from_bytes: {:?}", t.elapsed() / n);
    }
    if only.is_empty() || only == "locate" {
        let sheets = budgetkit::read::sheets_from_bytes(bytes.clone(), p).expect("sheets");
        let t = Instant::now();
        for _ in 0..n {
            let _ = budgetkit::read::read_workbook(&sheets, &tpl, p).expect("read");
        }
        println!("locate+build: {:?}", t.elapsed() / n);
    }
    if only.is_empty() || only == "export" {
        let sub = budgetkit::read::read_path(p, &tpl).expect("read");
        let t = Instant::now();
        for _ in 0..n {
            let mut tables = budgetkit::views::standard_tables(&sub.budget, &tpl);
            tables.extend(budgetkit::views::performance_tables(&sub.budget));
            let _ = budgetkit::write::workbook_bytes(&tables, 2025, p).expect("write");
        }
        println!("views+write: {:?}", t.elapsed() / n);
    }
}
