//! `budgetkit batch`: validate many submissions in parallel and summarise
//! them for the finance bureau. One unreadable file never stops the others.

use super::export::publication;
use super::inbox::{export_names, Inbox};
use crate::error::Error;
use crate::findings::{Finding, Severity};
use crate::model::{add_opt, label_key, Budget};
use crate::read::{read_path, read_sheets};
use crate::spec::Template;
use crate::write::{chart_data, clip_tables, write_charted};
use rayon::prelude::*;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
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
        let three = p
            .items()
            .iter()
            .fold(None, |acc, (_, s)| add_opt(acc, s.fiscal()));
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
    /// Files seen (refused entries included, repeated paths not).
    pub files: usize,
    /// Files that passed.
    pub ok: usize,
    /// Files with error findings.
    pub with_errors: usize,
    /// Files that could not be read.
    pub unreadable: usize,
    /// Paths that were a file already taken (read once).
    pub repeated: usize,
    /// Error findings in all files.
    pub errors: usize,
    /// Warning findings in all files.
    pub warnings: usize,
}

/// A path that is a file already in the batch (a link to it, or the same
/// path given twice): read once, under its first path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Repeated {
    /// The path.
    pub file: PathBuf,
    /// The path it was read as.
    pub same_as: PathBuf,
}

/// The whole batch.
#[derive(Debug, Clone, Serialize)]
pub struct BatchReport {
    /// One report per file, in path order.
    pub files: Vec<FileReport>,
    /// Paths read once under another path.
    pub repeated: Vec<Repeated>,
    /// Totals.
    pub summary: BatchSummary,
}

impl BatchReport {
    /// Exit status: 1 when any file has errors or is unreadable, else 0.
    pub fn exit_code(&self) -> i32 {
        i32::from(self.summary.with_errors + self.summary.unreadable > 0)
    }

    /// The batch as one JSON object (one per file, the repeated paths and
    /// the totals), with a final newline.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
            + "\n"
    }
}

/// Options of [`batch`].
#[derive(Debug, Clone)]
pub struct BatchOptions<'a> {
    /// Template the submissions are read with.
    pub template: &'a Template,
    /// Worker threads (0 = number of cores; capped by [`effective_jobs`]).
    pub jobs: usize,
    /// Write each passing department's standard workbook here (created
    /// when missing).
    pub out_dir: Option<PathBuf>,
    /// Keep the models for a consolidation.
    pub keep_models: bool,
    /// Show a progress bar (only when stderr is a terminal).
    pub progress: bool,
}

impl<'a> BatchOptions<'a> {
    /// A batch read with `template`: one thread per core, nothing written,
    /// no models kept, no progress bar.
    pub fn new(template: &'a Template) -> BatchOptions<'a> {
        BatchOptions {
            template,
            jobs: 0,
            out_dir: None,
            keep_models: false,
            progress: false,
        }
    }
}

/// The most worker threads a batch starts, whatever is asked.
pub const MAX_JOBS: usize = 64;

/// The threads a batch runs with when `asked` (0 = one per core): at most
/// 4 per core and at most [`MAX_JOBS`] — more only adds memory and
/// start-up time, reading is bound by the cores.
pub fn effective_jobs(asked: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let cap = cores.saturating_mul(4).clamp(1, MAX_JOBS);
    if asked == 0 {
        cores.min(cap)
    } else {
        asked.min(cap)
    }
}

impl FileReport {
    fn unreadable(path: &Path, template: &Template, why: String) -> FileReport {
        FileReport {
            error: Some(why),
            ..FileReport::blank(path, template)
        }
    }

    fn blank(path: &Path, template: &Template) -> FileReport {
        FileReport {
            file: path.to_path_buf(),
            template: template.id.clone(),
            department: String::new(),
            year: 0,
            status: FileStatus::Unreadable,
            error: None,
            summary: Counts::default(),
            totals: KeyTotals::default(),
            findings: Vec::new(),
            exported: None,
            budget: None,
        }
    }

    /// Counts the findings again and sets the status from them (a
    /// readable file).
    fn recount(&mut self) {
        self.summary = Counts::of(&self.findings);
        self.status = if self.summary.errors > 0 {
            FileStatus::Errors
        } else {
            FileStatus::Ok
        };
    }
}

/// Where one file's standard workbook goes in `--out-dir`.
struct Export {
    path: PathBuf,
    renamed: bool,
    /// The target is one of the batch's inputs.
    is_input: bool,
}

fn process(path: &Path, export: Option<&Export>, opts: &BatchOptions<'_>) -> FileReport {
    let sub = match read_path(path, opts.template) {
        Ok(s) => s,
        Err(e @ Error::NoBudgetTables { .. }) => {
            let why = match other_template(path, opts.template) {
                Some(id) => format!("{e}；它像是模板 {id} 的工作簿，请加 --template {id} 审核"),
                None => e.to_string(),
            };
            return FileReport::unreadable(path, opts.template, why);
        }
        Err(e) => return FileReport::unreadable(path, opts.template, e.to_string()),
    };
    let findings = super::check(&sub, opts.template).unwrap_or_else(|e| {
        let mut findings = sub.findings.clone();
        findings.push(Finding::error(
            "BATCH-CHECK",
            format!("审核未能完成：{e}"),
            vec![],
        ));
        findings
    });
    let mut report = FileReport {
        findings,
        department: sub.budget.department.clone(),
        year: sub.budget.year,
        totals: KeyTotals::of(&sub.budget),
        ..FileReport::blank(path, opts.template)
    };
    report.recount();
    if let (FileStatus::Ok, Some(export)) = (report.status, export) {
        export_one(&mut report, &sub.budget, export, opts.template);
        report.recount();
    }
    if opts.keep_models && report.status == FileStatus::Ok {
        report.budget = Some(sub.budget);
    }
    report
}

/// Writes a passing department's standard workbook; what goes wrong (or
/// is cut, or renamed) is a finding of the file.
/// The built-in template a workbook with no table of `template` fits
/// instead (a Shanghai submission in a batch read as sx-2025), if one finds
/// any of its tables.
fn other_template(path: &Path, template: &Template) -> Option<String> {
    let sheets = read_sheets(path).ok()?;
    let (best, score, _) = super::detect::best_template(&sheets).ok()?;
    (score > 0 && best.id != template.id).then_some(best.id)
}

fn export_one(report: &mut FileReport, budget: &Budget, export: &Export, template: &Template) {
    let out = &export.path;
    if export.is_input {
        let e = crate::Error::OutputIsInput {
            output: out.clone(),
            input: out.clone(),
        };
        report.findings.push(Finding::error(
            "BATCH-EXPORT",
            format!("未写出标准工作簿：{e}"),
            vec![],
        ));
        return;
    }
    let mut tables = publication(budget, template);
    // Cut before writing: a cut stands even when the write then fails.
    report.findings.extend(clip_tables(&mut tables));
    let charts = chart_data(&tables, template);
    match write_charted(&tables, &charts, budget.year, out) {
        Ok(()) => report.exported = Some(out.clone()),
        Err(e) => report.findings.push(Finding::error(
            "BATCH-EXPORT",
            format!("写出标准工作簿失败：{e}"),
            vec![],
        )),
    }
    if export.renamed && report.exported.is_some() {
        report.findings.push(Finding::warning(
            "BATCH-EXPORT-NAME",
            format!(
                "批次中另有同名文件，本部门的标准工作簿加序号写为 {}，以免互相覆盖",
                out.display()
            ),
            vec![],
        ));
    }
}

/// Runs `job` (the [`process`] of `path`), turning a panic into an
/// unreadable report: a bug met by one file must not take the batch down
/// with it.
fn guarded(path: &Path, template: &Template, job: impl FnOnce() -> FileReport) -> FileReport {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(job)).unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        FileReport::unreadable(
            path,
            template,
            format!(
                "{}：处理此文件时程序内部出错（{what}），已跳过；请把此文件报告给维护者",
                path.display()
            ),
        )
    })
}

/// The `--out-dir` target of every file, or `None` without `--out-dir`.
fn export_targets(files: &[PathBuf], out_dir: Option<&Path>) -> Vec<Option<Export>> {
    let Some(dir) = out_dir else {
        return files.iter().map(|_| None).collect();
    };
    let inputs: HashSet<PathBuf> = files
        .iter()
        .filter_map(|f| std::fs::canonicalize(f).ok())
        .collect();
    export_names(files)
        .into_iter()
        .map(|(name, renamed)| {
            let path = dir.join(name);
            let is_input = std::fs::canonicalize(&path).is_ok_and(|p| inputs.contains(&p));
            Some(Export {
                path,
                renamed,
                is_input,
            })
        })
        .collect()
}

/// Validates `files` in parallel: [`batch_inbox`] of an inbox holding
/// just those files.
///
/// ```
/// # fn main() -> Result<(), budgetkit::Error> {
/// use budgetkit::{BatchOptions, FileStatus, Template};
/// let template = Template::load("sx-2025")?;
/// let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/shuozhou-investment-2025.xlsx");
/// let report = budgetkit::batch(&[sample.into()], &BatchOptions::new(&template))?;
/// assert_eq!(report.files[0].status, FileStatus::Ok);
/// assert_eq!(report.files[0].department, "朔州市促进外来投资局");
/// # Ok(())
/// # }
/// ```
///
/// # Errors
/// As [`batch_inbox`].
pub fn batch(files: &[PathBuf], opts: &BatchOptions<'_>) -> Result<BatchReport, crate::Error> {
    let inbox = Inbox {
        files: files.to_vec(),
        ..Inbox::default()
    };
    batch_inbox(&inbox, opts)
}

/// Validates every file of `inbox` in parallel; its refused entries are
/// reported as unreadable files. Two submissions of one department (same
/// name and year) are both checked, and the later ones get a
/// `BATCH-DUPLICATE` warning and stay out of the consolidation.
///
/// # Errors
/// [`crate::Error::Io`] when `opts.out_dir` cannot be created or the
/// thread pool cannot start.
pub fn batch_inbox(inbox: &Inbox, opts: &BatchOptions<'_>) -> Result<BatchReport, crate::Error> {
    if let Some(dir) = &opts.out_dir {
        std::fs::create_dir_all(dir).map_err(|source| crate::Error::Io {
            path: dir.clone(),
            source,
        })?;
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(effective_jobs(opts.jobs))
        .build()
        .map_err(|e| crate::Error::Io {
            path: PathBuf::from("."),
            source: std::io::Error::other(format!("无法启动并行线程：{e}")),
        })?;
    let files = &inbox.files;
    let targets = export_targets(files, opts.out_dir.as_deref());
    let bar = progress_bar(files.len() as u64, opts.progress);
    let mut reports: Vec<FileReport> = pool.install(|| {
        files
            .par_iter()
            .zip(&targets)
            .map(|(f, t)| {
                let r = guarded(f, opts.template, || process(f, t.as_ref(), opts));
                bar.inc(1);
                r
            })
            .collect()
    });
    bar.finish_and_clear();
    reports.extend(inbox.refused.iter().map(|(p, why)| {
        FileReport::unreadable(p, opts.template, format!("{}：{why}", p.display()))
    }));
    reports.sort_by(|a, b| a.file.cmp(&b.file));
    mark_duplicates(&mut reports);
    let repeated: Vec<Repeated> = inbox
        .repeated
        .iter()
        .map(|(file, same_as)| Repeated {
            file: file.clone(),
            same_as: same_as.clone(),
        })
        .collect();
    let mut summary = BatchSummary {
        files: reports.len(),
        repeated: repeated.len(),
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
        repeated,
        summary,
    })
}

/// Later submissions of a department already in the batch (same name,
/// whitespace and width ignored, same year): a warning each, and only the
/// first one kept for the consolidation.
fn mark_duplicates(reports: &mut [FileReport]) {
    let mut first: HashMap<(String, i32), (PathBuf, bool)> = HashMap::new();
    for r in reports.iter_mut() {
        if r.status == FileStatus::Unreadable || r.department.trim().is_empty() {
            continue;
        }
        let key = (label_key(&r.department), r.year);
        match first.get_mut(&key) {
            None => {
                first.insert(key, (r.file.clone(), r.budget.is_some()));
            }
            Some((path, kept)) => {
                let counted = if *kept || r.budget.is_none() {
                    r.budget = None;
                    "汇总表只计入一次"
                } else {
                    *kept = true;
                    "前者未通过审核，汇总表计入本文件"
                };
                r.findings.push(Finding::warning(
                    "BATCH-DUPLICATE",
                    format!(
                        "与 {} 是同一部门“{}”{} 年的重复提交；{counted}",
                        path.display(),
                        r.department,
                        r.year
                    ),
                    vec![],
                ));
                r.recount();
            }
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_on_one_file_is_an_unreadable_report() {
        let template = Template::load("sx-2025").unwrap();
        let r = guarded(Path::new("x.xlsx"), &template, || {
            panic!("Addition overflowed")
        });
        assert_eq!(r.status, FileStatus::Unreadable);
        let why = r.error.unwrap();
        assert!(why.contains("程序内部出错（Addition overflowed）"), "{why}");
    }
}
