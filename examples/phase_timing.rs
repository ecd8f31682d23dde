//! Where the time of an import goes, phase by phase (a profiling aid; the
//! benchmark proper is `cargo bench --bench pipeline`).
//! `cargo run --release --example phase_timing [FILE] [PHASE]`, or
//! `… phase_timing --large OUT.xlsx [NUM/DEN]` to write the large synthetic
//! department (scaled by NUM/DEN).
use std::time::Instant;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let file = args
        .get(1)
        .cloned()
        .unwrap_or_else(|| "samples/shuozhou-investment-2025.xlsx".into());
    let only = args.get(2).cloned().unwrap_or_default();
    if file == "--large" {
        // Write the large synthetic department and exit: its path is the
        // second argument; a third, `NUM/DEN`, scales its size.
        let tpl = budgetkit::spec::Template::load("sx-2025").expect("template");
        let scale = args.get(3).cloned().unwrap_or_else(|| "1/1".into());
        let (num, den) = scale.split_once('/').unwrap_or(("1", "1"));
        let (num, den): (usize, usize) = (num.parse().expect("NUM"), den.parse().expect("DEN"));
        let large = budgetkit::synth::Size::LARGE;
        let size = budgetkit::synth::Size {
            units: large.units * num / den,
            projects: large.projects * num / den,
            lines: large.lines * num / den,
        };
        let big = budgetkit::synth::department(size, 7);
        let mut tables = budgetkit::views::standard_tables(&big, &tpl);
        tables.extend(budgetkit::views::performance_tables(&big, &tpl));
        budgetkit::write::write_tables(&tables, big.year, std::path::Path::new(&only))
            .expect("write");
        return;
    }
    let p = std::path::Path::new(&file);
    let bytes = std::fs::read(p).expect("read file");
    let tpl = budgetkit::spec::Template::load("sx-2025").expect("template");
    let n: u32 = std::env::var("N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
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
            tables.extend(budgetkit::views::performance_tables(&sub.budget, &tpl));
            let _ = budgetkit::write::workbook_bytes(&tables, 2025, p).expect("write");
        }
        println!("views+write: {:?}", t.elapsed() / n);
        let t = Instant::now();
        for _ in 0..n {
            let _ = budgetkit::views::standard_tables(&sub.budget, &tpl);
        }
        println!("  standard tables: {:?}", t.elapsed() / n);
        let t = Instant::now();
        for _ in 0..n {
            let _ = budgetkit::views::performance_tables(&sub.budget, &tpl);
        }
        println!("  performance forms: {:?}", t.elapsed() / n);
    }
    if only.is_empty() || only == "validate" {
        let t = Instant::now();
        for _ in 0..n {
            let _ = budgetkit::commands::check_input(p, &tpl).expect("validate");
        }
        println!("import+validate: {:?}", t.elapsed() / n);
    }
    if only.is_empty() || only == "bare" {
        use calamine::Reader;
        let t = Instant::now();
        for _ in 0..n {
            let mut wb = calamine::open_workbook_auto(p).expect("open");
            for name in wb.sheet_names().to_vec() {
                let range = wb.worksheet_range(&name).expect("range");
                std::hint::black_box(range.used_cells().count());
            }
        }
        println!("bare calamine: {:?}", t.elapsed() / n);
    }
    if only.is_empty() || only == "barewrite" {
        use rust_decimal::prelude::ToPrimitive;
        let sub = budgetkit::read::read_path(p, &tpl).expect("read");
        let mut tables = budgetkit::views::standard_tables(&sub.budget, &tpl);
        tables.extend(budgetkit::views::performance_tables(&sub.budget, &tpl));
        let t = Instant::now();
        for _ in 0..n {
            let mut wb = rust_xlsxwriter::Workbook::new();
            for table in &tables {
                let ws = wb.add_worksheet();
                for (r, row) in table.rows.iter().enumerate() {
                    for (c, cell) in row.cells.iter().enumerate() {
                        let (r, c) = (r as u32, c as u16);
                        let _ = match cell {
                            budgetkit::views::Cell::Text(s) => ws.write_string(r, c, s).map(|_| ()),
                            budgetkit::views::Cell::Amount(v) => {
                                ws.write_number(r, c, v.to_f64().unwrap_or(0.0)).map(|_| ())
                            }
                            budgetkit::views::Cell::Empty => Ok(()),
                        };
                    }
                }
            }
            std::hint::black_box(wb.save_to_buffer().expect("save"));
        }
        println!("bare write: {:?}", t.elapsed() / n);
    }
}
