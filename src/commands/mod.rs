//! The command-line jobs as library calls: each takes plain arguments and
//! returns an [`Outcome`] (or a report) the binary maps to an exit status.
//! Every job that checks a submission does so through [`check`].

mod batch;
mod batch_report;
mod check;
mod convert;
mod detect;
mod export;
mod fill_in;
mod import;
mod inbox;
mod narrative;
mod outputs;
mod templates;
mod validate;

pub use batch::{
    batch, batch_inbox, effective_jobs, BatchOptions, BatchReport, BatchSummary, FileReport,
    FileStatus, KeyTotals, Repeated, MAX_JOBS,
};
pub use batch_report::{report_sheets, text_report, write_consolidated, write_report};
pub use check::{check, check_input, Checked};
pub(crate) use convert::tables_in;
pub use convert::{
    convert, dropped_facts, remap_sources, unsupplied_tables, ConvertOptions, Converted, Gap,
};
pub use detect::{
    detect_template, reading_template, reading_template_and_sheets, template_and_sheets,
    template_of, Detected,
};
pub(crate) use export::write_unless_errors;
pub use export::{export, export_sheets, publication, write_clipped, ExportOptions};
pub use fill_in::{fill_in_template, next_year, FillInOptions};
pub use import::{import, import_sheets};
pub use inbox::{collect_files, export_names, Inbox};
pub use narrative::{
    check_output_text, narrative_findings, read_prior, write_narrative, NarrativeOptions,
};
pub use outputs::{check_batch_outputs, check_output, OutputKind};
pub use templates::{list_templates, templates_text};
pub use validate::{
    validate, validate_sheets, validate_with, Annotation, Report, Section, Summary, ValidateOptions,
};

use crate::findings::{Finding, Severity};
use std::path::Path;

/// What a command achieved, for the exit status: 0 done, 1 error findings.
/// (Unreadable input is an `Err`, exit status 2.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Findings to report (read problems, rule violations).
    pub findings: Vec<Finding>,
    /// True when output was withheld because of error findings.
    pub refused: bool,
}

impl Outcome {
    /// Number of error findings.
    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count()
    }

    /// Exit status: 1 when any error finding, else 0.
    pub fn exit_code(&self) -> i32 {
        i32::from(self.errors() > 0)
    }

    /// One line per finding, as the commands print them:
    /// `[错误] RULE message（SHEET!A1，…）`.
    pub fn lines(&self) -> Vec<String> {
        self.findings
            .iter()
            .map(|f| {
                let cells = if f.cells.is_empty() {
                    String::new()
                } else {
                    format!("（{}）", f.cells_joined("，"))
                };
                format!("[{}] {} {}{}", f.severity.label(), f.rule, f.message, cells)
            })
            .collect()
    }

    /// What became of `output`: written, or withheld because of errors.
    pub fn written_note(&self, output: &Path) -> String {
        if self.refused {
            format!(
                "未写出 {}：发现 {} 处错误。改正后重试，或加 --force 强制写出。",
                output.display(),
                self.errors()
            )
        } else {
            format!("已写出 {}", output.display())
        }
    }
}
