//! Benchmarks that print figures (no assertions): run with
//! `cargo bench --bench pipeline`. Each ratio is measured in one run on the
//! same machine.

use budgetkit::read::{read_path, read_sheets};
use budgetkit::spec::Template;
use budgetkit::synth::{department, Size};
use budgetkit::views::{performance_tables, standard_tables};
use budgetkit::write::workbook_bytes;
use calamine::{open_workbook_auto, Reader};
use rust_xlsxwriter::Workbook;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The binary's allocator, so the figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Median of `runs` timings of `f`.
fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Peak resident set size of this process so far, in MiB.
fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Reads every cell of every sheet with calamine, nothing else.
fn bare_calamine(path: &Path) -> usize {
    let mut wb = open_workbook_auto(path).expect("open");
    let names = wb.sheet_names().to_vec();
    let mut n = 0;
    for name in names {
        let range = wb.worksheet_range(&name).expect("range");
        n += range.used_cells().count();
    }
    n
}

/// Writes the same cells as the export, bare (no formats, no merges), at
/// rust_xlsxwriter's default deflate level or at `level`.
fn bare_xlsxwriter(tables: &[budgetkit::views::Table], level: Option<u8>) -> usize {
    let mut wb = Workbook::new();
    if let Some(level) = level {
        wb.set_zip_compression_level(level);
    }
    for t in tables {
        let ws = wb.add_worksheet();
        let _ = ws.set_name(&t.sheet);
        let _ = ws.write_string(0, 0, &t.title);
        for (r, row) in t.rows.iter().enumerate() {
            for (c, cell) in row.cells.iter().enumerate() {
                let (r, c) = (r as u32 + 5, c as u16);
                let _ = match cell {
                    budgetkit::views::Cell::Text(s) => ws.write_string(r, c, s).map(|_| ()),
                    budgetkit::views::Cell::Amount(v) => {
                        use rust_decimal::prelude::ToPrimitive;
                        ws.write_number(r, c, v.to_f64().unwrap_or(0.0)).map(|_| ())
                    }
                    budgetkit::views::Cell::Empty => Ok(()),
                };
            }
        }
    }
    wb.save_to_buffer().expect("save").len()
}

/// Batch of copies of the sample, run in a child process so its peak RSS
/// is its own: prints "<files> <seconds> <peak MiB>".
fn batch_child(dir: &Path) {
    let template = Template::load("sx-2025").expect("template");
    let files = budgetkit::commands::collect_files(&[dir.to_path_buf()]).files;
    let opts = budgetkit::commands::BatchOptions {
        template: &template,
        jobs: 0,
        out_dir: None,
        keep_models: false,
        progress: false,
    };
    let t = Instant::now();
    let r = budgetkit::commands::batch(&files, &opts).expect("batch");
    let secs = t.elapsed().as_secs_f64();
    println!("{} {} {}", r.summary.ok, secs, peak_rss_mib());
}

fn batch_bench(sample: &Path, n: usize) {
    let dir = tempfile::tempdir().expect("tempdir");
    for i in 0..n {
        std::fs::copy(sample, dir.path().join(format!("dept-{i:04}.xlsx"))).expect("copy");
    }
    let exe = std::env::current_exe().expect("exe");
    let out = std::process::Command::new(exe)
        .arg("--batch-child")
        .arg(dir.path())
        .output()
        .expect("child");
    let text = String::from_utf8_lossy(&out.stdout);
    let parts: Vec<f64> = text
        .split_whitespace()
        .filter_map(|x| x.parse().ok())
        .collect();
    if let [ok, secs, rss] = parts.as_slice() {
        println!(
            "batch of {n} sample-sized submissions ({ok} passed): {secs:.2} s, {:.0} submissions/s, peak RSS {rss:.0} MiB",
            *ok / secs
        );
    } else {
        println!(
            "batch child failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--batch-child") {
        if let Some(dir) = args.get(i + 1) {
            batch_child(Path::new(dir));
        }
        return;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let sample = root.join("samples/shuozhou-investment-2025.xlsx");
    let template = Template::load("sx-2025").expect("template");
    println!("budgetkit benchmarks (median of runs; one process, one machine)");
    println!(
        "cores: {}",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );

    // 1. import + validate of the sample vs a bare calamine read of all its cells.
    let runs = 30;
    let bare = median(runs, || {
        black_box(bare_calamine(&sample));
    });
    let ours = median(runs, || {
        black_box(budgetkit::commands::check_input(&sample, &template).expect("validate"));
    });
    println!(
        "import+validate sample: {:.2} ms; bare calamine read: {:.2} ms; ratio {:.2}x",
        ms(ours),
        ms(bare),
        ours.as_secs_f64() / bare.as_secs_f64()
    );

    // 2. export of the sample vs a bare rust_xlsxwriter write of the same cells.
    let model = read_path(&sample, &template).expect("read").budget;
    let mut tables = standard_tables(&model, &template);
    tables.extend(performance_tables(&model, &template));
    let p = Path::new("bench.xlsx");
    let bare = median(runs, || {
        black_box(bare_xlsxwriter(&tables, None));
    });
    // The export deflates at level 1 (src/write/xlsx.rs): the bare write at
    // the same level is the like-for-like figure.
    let bare_level1 = median(runs, || {
        black_box(bare_xlsxwriter(&tables, Some(1)));
    });
    let ours = median(runs, || {
        let mut t = standard_tables(&model, &template);
        t.extend(performance_tables(&model, &template));
        black_box(workbook_bytes(&t, model.year, p).expect("write"));
    });
    println!(
        "export sample: {:.2} ms; bare rust_xlsxwriter write: {:.2} ms at its default deflate level 6, ratio {:.2}x; {:.2} ms at level 1 as the export, ratio {:.2}x",
        ms(ours),
        ms(bare),
        ours.as_secs_f64() / bare.as_secs_f64(),
        ms(bare_level1),
        ours.as_secs_f64() / bare_level1.as_secs_f64()
    );

    // 3. the large synthetic department.
    let big = department(Size::LARGE, 7);
    let dir = tempfile::tempdir().expect("tempdir");
    let big_path = dir.path().join("large.xlsx");
    let mut tables = standard_tables(&big, &template);
    tables.extend(performance_tables(&big, &template));
    let bytes = workbook_bytes(&tables, big.year, &big_path).expect("write");
    std::fs::write(&big_path, &bytes).expect("save");
    let export_time = median(3, || {
        black_box(workbook_bytes(&tables, big.year, &big_path).expect("write"));
    });
    // The floor under the export: rust_xlsxwriter writing the same cells
    // bare, at the export's deflate level (most of it is the writer's own
    // work per sheet, the same for both).
    let bare_large = median(3, || {
        black_box(bare_xlsxwriter(&tables, Some(1)));
    });
    let sheets = read_sheets(&big_path).expect("sheets");
    let cells: usize = sheets.iter().map(|s| s.len()).sum();
    drop(sheets);
    let import_time = median(3, || {
        black_box(budgetkit::commands::check_input(&big_path, &template).expect("validate"));
    });
    println!(
        "large department ({} units, {} projects, {} function lines, {} sheets, {} cells, {:.1} MiB): export {:.0} ms (median of 3; bare rust_xlsxwriter write of the same cells at level 1: {:.0} ms, ratio {:.2}x), import+validate {:.0} ms (median of 3), peak RSS {:.0} MiB",
        Size::LARGE.units,
        Size::LARGE.projects,
        big.functions.lines.len(),
        tables.len(),
        cells,
        bytes.len() as f64 / 1048576.0,
        ms(export_time),
        ms(bare_large),
        export_time.as_secs_f64() / bare_large.as_secs_f64(),
        ms(import_time),
        peak_rss_mib()
    );

    // 4. the bureau's batch, at two sizes (peak RSS must not grow with N).
    batch_bench(&sample, 250);
    batch_bench(&sample, 1000);

    // 5. one core: the batch over N copies vs a bare calamine read of every
    //    cell of the same files, in this process.
    one_core_batch_ratio(&sample, &template, 200);

    // 6. cost in cells: the large department at 1/4, 1/2, 1 and 2 times its size.
    scaling_curve(&template);
}

/// `batch` with one job over `n` copies of `sample` against a bare calamine
/// read of every cell of the same files, both in this process (median of 5
/// pairs, alternating, so drift hits both sides alike).
fn one_core_batch_ratio(sample: &Path, template: &Template, n: usize) {
    let dir = tempfile::tempdir().expect("tempdir");
    let files: Vec<PathBuf> = (0..n)
        .map(|i| {
            let p = dir.path().join(format!("dept-{i:04}.xlsx"));
            std::fs::copy(sample, &p).expect("copy");
            p
        })
        .collect();
    let opts = budgetkit::commands::BatchOptions {
        template,
        jobs: 1,
        out_dir: None,
        keep_models: false,
        progress: false,
    };
    let mut pairs: Vec<(f64, f64)> = (0..5)
        .map(|_| {
            let t = Instant::now();
            for f in &files {
                black_box(bare_calamine(f));
            }
            let bare = t.elapsed().as_secs_f64();
            let t = Instant::now();
            black_box(budgetkit::commands::batch(&files, &opts).expect("batch"));
            (t.elapsed().as_secs_f64(), bare)
        })
        .collect();
    pairs.sort_by(|a, b| (a.0 / a.1).total_cmp(&(b.0 / b.1)));
    let (ours, bare) = pairs[pairs.len() / 2];
    println!(
        "batch --jobs 1 over {n} copies: {:.2} ms/file; bare calamine read: {:.2} ms/file; ratio {:.2}x (median of 5 pairs)",
        ours * 1000.0 / n as f64,
        bare * 1000.0 / n as f64,
        ours / bare
    );
}

/// Import + validate + export of the synthetic large department at four sizes
/// (median of 3 runs each), with the cost per cell, to show the cost is
/// linear in cells.
fn scaling_curve(template: &Template) {
    let dir = tempfile::tempdir().expect("tempdir");
    for (label, num, den) in [("1/4", 1, 4), ("1/2", 1, 2), ("1", 1, 1), ("2", 2, 1)] {
        let size = Size {
            units: Size::LARGE.units * num / den,
            projects: Size::LARGE.projects * num / den,
            lines: Size::LARGE.lines * num / den,
        };
        let model = department(size, 7);
        let path = dir.path().join(format!("large-{num}-{den}.xlsx"));
        let mut tables = standard_tables(&model, template);
        tables.extend(performance_tables(&model, template));
        let bytes = workbook_bytes(&tables, model.year, &path).expect("write");
        std::fs::write(&path, &bytes).expect("save");
        // A size past the reader's bounds is reported, not measured.
        let cells: usize = match read_sheets(&path) {
            Ok(sheets) => sheets.iter().map(|s| s.len()).sum(),
            Err(e) => {
                println!("large x{label}: refused by the reader's bounds: {e}");
                continue;
            }
        };
        let secs = median(3, || {
            let checked = budgetkit::commands::check_input(&path, template).expect("validate");
            black_box(&checked.findings);
            let back = checked.budget;
            let mut tables = standard_tables(&back, template);
            tables.extend(performance_tables(&back, template));
            black_box(workbook_bytes(&tables, back.year, &path).expect("write"));
        })
        .as_secs_f64();
        println!(
            "large x{label}: {cells} cells, import+validate+export {:.0} ms (median of 3), {:.2} µs/cell",
            secs * 1000.0,
            secs * 1e6 / cells as f64
        );
    }
}
