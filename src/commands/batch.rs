//! `budgetkit batch`: validate many submissions in parallel and summarise
//! them for the finance bureau. One unreadable file never stops the others.

use crate::consolidate::consolidate;
use crate::findings::{Finding, Severity};
use crate::model::{add_opt, Budget};
use crate::read::{read_path, Submission};
use crate::spec::Template;
use crate::views::{standard_tables, Cell, HeaderCell, Merge, Row, RowStyle, Table};
use crate::write::write_tables;
use rayon::prelude::*;
use rust_decimal::Decimal;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// What happened to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileStatus {
    /// Read and no error findings (通过).
    Ok,
    /// Read, with error findings (有错误).
    Errors,
    /// Could not be read at all (无法读取).
    Unreadable,
}

impl FileStatus {
    /// The Chinese word used in reports.
    pub fn label(self) -> &'static str {
        match self {
            FileStatus::Ok => "通过",
            FileStatus::Errors => "有错误",
            FileStatus::Unreadable => "无法读取",
        }
    }
}

/// Totals the bureau looks at first.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct KeyTotals {
    /// 收入总计
    #[serde(skip_serializing_if = "Option::is_none")]
    pub income_total: Option<Decimal>,
    /// 基本支出
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basic: Option<Decimal>,
    /// 项目支出
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project: Option<Decimal>,
    /// "三公"经费 (fiscal)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub three_public: Option<Decimal>,
}

impl KeyTotals {
    /// The key totals of a budget.
    pub fn of(b: &Budget) -> KeyTotals {
        let t = &b.functions.total;
        let p = &b.three_public;
        let three = [
            &p.abroad,
            &p.reception,
            &p.vehicle_purchase,
            &p.vehicle_operation,
        ]
        .iter()
        .fold(None, |acc, s| add_opt(acc, s.fiscal()));
        KeyTotals {
            income_total: add_opt(t.income.total(), t.carryover.as_ref().map(|a| a.value)),
            basic: t.basic(),
            project: t.project(),
            three_public: three,
        }
    }
}

/// The report on one file (the `validate` object plus `status`).
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    /// The file as given.
    pub file: PathBuf,
    /// Template id it was read with.
    pub template: String,
    /// 部门名称 (empty when unreadable).
    pub department: String,
    /// Budget year (0 when unreadable).
    pub year: i32,
    /// ok / errors / unreadable.
    pub status: FileStatus,
    /// Why the file could not be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Counts.
    pub summary: Counts,
    /// Key totals.
    pub totals: KeyTotals,
    /// All findings.
    pub findings: Vec<Finding>,
    /// Where its standard workbook was written (`--out-dir`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exported: Option<PathBuf>,
    /// The model, kept only for consolidation.
    #[serde(skip)]
    pub budget: Option<Budget>,
}

/// Error and warning counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Error findings.
    pub errors: usize,
    /// Warning findings.
    pub warnings: usize,
}

impl Counts {
    /// Counts the findings.
    pub fn of(findings: &[Finding]) -> Counts {
        let errors = findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
        Counts {
            errors,
            warnings: findings.len() - errors,
        }
    }
}

/// Totals over the batch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct BatchSummary {
    /// Files seen.
    pub files: usize,
    /// Files that passed.
    pub ok: usize,
    /// Files with error findings.
    pub with_errors: usize,
    /// Files that could not be read.
    pub unreadable: usize,
    /// Error findings in all files.
    pub errors: usize,
    /// Warning findings in all files.
    pub warnings: usize,
}

/// The whole batch.
#[derive(Debug, Clone, Serialize)]
pub struct BatchReport {
    /// One report per file, in path order.
    pub files: Vec<FileReport>,
    /// Totals.
    pub summary: BatchSummary,
}

impl BatchReport {
    /// Exit status: 1 when any file has errors or is unreadable, else 0.
    pub fn exit_code(&self) -> i32 {
        i32::from(self.summary.with_errors + self.summary.unreadable > 0)
    }
}

/// Options of [`batch`].
#[derive(Debug, Clone)]
pub struct BatchOptions<'a> {
    /// Template the submissions are read with.
    pub template: &'a Template,
    /// Worker threads (0 = number of cores).
    pub jobs: usize,
    /// Write each passing department's standard workbook here.
    pub out_dir: Option<PathBuf>,
    /// Keep the models for a consolidation.
    pub keep_models: bool,
    /// Show a progress bar (only when stderr is a terminal).
    pub progress: bool,
}

/// Collects the .xlsx/.xls files under `paths` (directories recursively),
/// sorted; Excel's `~$` lock files are skipped.
///
/// # Errors
/// [`crate::Error::Io`] when a directory cannot be listed.
pub fn collect_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, crate::Error> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let entries = std::fs::read_dir(p).map_err(|source| crate::Error::Io {
                path: p.clone(),
                source,
            })?;
            let mut children: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
            children.sort();
            out.extend(
                collect_files(&children)?
                    .into_iter()
                    .filter(|c| is_workbook(c)),
            );
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

fn is_workbook(p: &Path) -> bool {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let ext = p
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    !name.starts_with("~$") && matches!(ext.as_deref(), Some("xlsx" | "xls"))
}

/// The findings of one readable submission: reading problems and every
/// rule of the catalog.
pub fn check(sub: &Submission, template: &Template) -> Vec<Finding> {
    super::check_submission(sub, template).unwrap_or_else(|e| {
        let mut findings = sub.findings.clone();
        findings.push(Finding::error(
            "BATCH-CHECK",
            format!("审核未能完成：{e}"),
            vec![],
        ));
        findings
    })
}

fn process(path: &Path, opts: &BatchOptions<'_>) -> FileReport {
    let mut report = FileReport {
        file: path.to_path_buf(),
        template: opts.template.id.clone(),
        department: String::new(),
        year: 0,
        status: FileStatus::Unreadable,
        error: None,
        summary: Counts::default(),
        totals: KeyTotals::default(),
        findings: Vec::new(),
        exported: None,
        budget: None,
    };
    let sub = match read_path(path, opts.template) {
        Ok(s) => s,
        Err(e) => {
            report.error = Some(e.to_string());
            return report;
        }
    };
    report.findings = check(&sub, opts.template);
    report.summary = Counts::of(&report.findings);
    report.department = sub.budget.department.clone();
    report.year = sub.budget.year;
    report.totals = KeyTotals::of(&sub.budget);
    report.status = if report.summary.errors > 0 {
        FileStatus::Errors
    } else {
        FileStatus::Ok
    };
    if let (FileStatus::Ok, Some(dir)) = (report.status, &opts.out_dir) {
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("部门");
        let out = dir.join(format!("{stem}-预算公开表.xlsx"));
        let mut tables = standard_tables(&sub.budget, opts.template);
        tables.extend(crate::views::performance_tables(&sub.budget));
        match write_tables(&tables, sub.budget.year, &out) {
            Ok(()) => report.exported = Some(out),
            Err(e) => report.findings.push(Finding::error(
                "BATCH-EXPORT",
                format!("写出标准工作簿失败：{e}"),
                vec![],
            )),
        }
    }
    if opts.keep_models && report.status == FileStatus::Ok {
        report.budget = Some(sub.budget);
    }
    report
}

/// Validates every file in parallel.
///
/// # Errors
/// [`crate::Error::Io`] when the thread pool cannot start.
pub fn batch(files: &[PathBuf], opts: &BatchOptions<'_>) -> Result<BatchReport, crate::Error> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.jobs)
        .build()
        .map_err(|e| crate::Error::Io {
            path: PathBuf::from("."),
            source: std::io::Error::other(e.to_string()),
        })?;
    let bar = progress_bar(files.len() as u64, opts.progress);
    let reports: Vec<FileReport> = pool.install(|| {
        files
            .par_iter()
            .map(|f| {
                let r = process(f, opts);
                bar.inc(1);
                r
            })
            .collect()
    });
    bar.finish_and_clear();
    let mut summary = BatchSummary {
        files: reports.len(),
        ..BatchSummary::default()
    };
    for r in &reports {
        match r.status {
            FileStatus::Ok => summary.ok += 1,
            FileStatus::Errors => summary.with_errors += 1,
            FileStatus::Unreadable => summary.unreadable += 1,
        }
        summary.errors += r.summary.errors;
        summary.warnings += r.summary.warnings;
    }
    Ok(BatchReport {
        files: reports,
        summary,
    })
}

fn progress_bar(len: u64, wanted: bool) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if !wanted || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} 个文件 {eta}")
    {
        bar.set_style(style);
    }
    bar
}

/// The text report: one line per department and the totals.
pub fn text_report(r: &BatchReport) -> String {
    let mut out = String::new();
    for f in &r.files {
        let who = if f.department.is_empty() {
            "-".to_string()
        } else {
            f.department.clone()
        };
        out.push_str(&format!(
            "{}\t{}\t{}\t错误 {}\t提示 {}",
            f.status.label(),
            who,
            f.file.display(),
            f.summary.errors,
            f.summary.warnings
        ));
        if let Some(e) = &f.error {
            out.push_str(&format!("\t{e}"));
        }
        out.push('\n');
    }
    let s = &r.summary;
    out.push_str(&format!(
        "合计：{} 个文件，通过 {}，有错误 {}，无法读取 {}；错误 {} 处，提示 {} 处\n",
        s.files, s.ok, s.with_errors, s.unreadable, s.errors, s.warnings
    ));
    out
}

fn sheet(name: &str, title: &str, headers: &[&str], rows: Vec<Row>, amounts: &[bool]) -> Table {
    Table {
        sheet: name.into(),
        title: title.into(),
        width: headers.len(),
        header: headers
            .iter()
            .enumerate()
            .map(|(i, h)| HeaderCell {
                text: (*h).into(),
                at: Merge {
                    row: 0,
                    col: i,
                    last_row: 0,
                    last_col: i,
                },
            })
            .collect(),
        header_rows: 1,
        rows,
        amount_columns: amounts.to_vec(),
        ..Table::default()
    }
}

/// The summary workbook's sheets: 汇总 (one row per file) and 审核发现 (every
/// finding with file, sheet, cell, rule and message).
pub fn report_tables(r: &BatchReport) -> Vec<Table> {
    let files = r
        .files
        .iter()
        .map(|f| {
            let t = &f.totals;
            Row::new(
                vec![
                    Cell::text(f.file.display().to_string()),
                    Cell::text(&f.department),
                    Cell::text(f.status.label()),
                    Cell::text(f.summary.errors.to_string()),
                    Cell::text(f.summary.warnings.to_string()),
                    Cell::amount(t.income_total),
                    Cell::amount(t.basic),
                    Cell::amount(t.project),
                    Cell::amount(t.three_public),
                ],
                RowStyle::Normal,
            )
        })
        .collect();
    let mut findings = Vec::new();
    for f in &r.files {
        if let Some(e) = &f.error {
            findings.push(Row::new(
                vec![
                    Cell::text(f.file.display().to_string()),
                    Cell::Empty,
                    Cell::Empty,
                    Cell::text("READ-UNREADABLE"),
                    Cell::text("错误"),
                    Cell::text(e),
                ],
                RowStyle::Normal,
            ));
        }
        for x in &f.findings {
            let cells = if x.cells.is_empty() {
                vec![String::new()]
            } else {
                x.cells.clone()
            };
            for c in cells {
                let (sheet, cell) = c.rsplit_once('!').unwrap_or(("", c.as_str()));
                findings.push(Row::new(
                    vec![
                        Cell::text(f.file.display().to_string()),
                        Cell::text(sheet),
                        Cell::text(cell),
                        Cell::text(&x.rule),
                        Cell::text(x.severity.label()),
                        Cell::text(&x.message),
                    ],
                    RowStyle::Normal,
                ));
            }
        }
    }
    vec![
        sheet(
            "汇总",
            "部门预算公开审核汇总",
            &[
                "文件",
                "部门",
                "状态",
                "错误",
                "提示",
                "收入总计",
                "基本支出",
                "项目支出",
                "三公经费",
            ],
            files,
            &[false, false, false, false, false, true, true, true, true],
        ),
        sheet(
            "审核发现",
            "审核发现明细",
            &["文件", "工作表", "单元格", "规则", "级别", "说明"],
            findings,
            &[false; 6],
        ),
    ]
}

/// Writes the 汇总 of every passing department in the standard layout.
///
/// # Errors
/// [`crate::Error`] when the workbook cannot be written.
pub fn write_consolidated(
    r: &BatchReport,
    template: &Template,
    out: &Path,
) -> Result<usize, crate::Error> {
    let budgets: Vec<&Budget> = r.files.iter().filter_map(|f| f.budget.as_ref()).collect();
    let sum = consolidate(&budgets);
    write_tables(&standard_tables(&sum, template), sum.year, out)?;
    Ok(budgets.len())
}
