//! The command-line jobs as library calls: each takes plain arguments and
//! returns an [`Outcome`] the binary maps to an exit status.

mod batch;
mod batch_report;
mod check;
mod convert;
mod export;
mod fill_in;
mod import;
mod inbox;
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
    convert, detect_template, remap_sources, unsupplied_tables, ConvertOptions, Converted, Gap,
};
pub(crate) use export::write_unless_errors;
pub use export::{export, publication, write_clipped, ExportOptions};
pub use fill_in::{fill_in_template, next_year, FillInOptions};
pub use import::import;
pub use inbox::{collect_files, export_names, Inbox};
pub use templates::list_templates;
pub use validate::{validate, Annotation, Report, Section, Summary, ValidateOptions};

use crate::findings::{Finding, Severity};

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
}
