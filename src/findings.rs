//! Findings: problems inside a readable submission, as data. One bad table
//! never stops the others; one bad file never stops a batch.

use crate::model::CellRef;
use serde::{Deserialize, Serialize};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// 强制性审核: the submission must be corrected.
    Error,
    /// 提示性审核: worth a look, does not block publication.
    Warning,
}

impl Severity {
    /// The Chinese name used in reports.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "提示",
        }
    }
}

/// One problem found in a submission, pointing at every cell involved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable rule id, e.g. `XT-INCOME-T1-T2` or `READ-AMOUNT`.
    pub rule: String,
    /// Severity.
    pub severity: Severity,
    /// Chinese message naming both sides and their values.
    pub message: String,
    /// Every cell compared, in the input's own sheet names (written
    /// `SHEET!A1`).
    pub cells: Vec<CellRef>,
    /// The value expected, if the finding compares values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// The value found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub found: Option<String>,
    /// True when the first cell is the likely cause: the one value whose
    /// correction resolves this finding and others with it (its findings
    /// come first, and `expected`/`found` are that cell's).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub likely_cause: bool,
    /// For a finding in a narrative (NARR-…): the sentence quoted, with
    /// the figure in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// For a finding in a narrative: the paragraph number, from 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paragraph: Option<usize>,
}

impl Finding {
    /// An error finding.
    pub fn error(rule: &str, message: impl Into<String>, cells: Vec<CellRef>) -> Finding {
        Finding {
            rule: rule.to_string(),
            severity: Severity::Error,
            message: message.into(),
            cells,
            expected: None,
            found: None,
            likely_cause: false,
            quote: None,
            paragraph: None,
        }
    }

    /// A warning finding.
    pub fn warning(rule: &str, message: impl Into<String>, cells: Vec<CellRef>) -> Finding {
        Finding {
            severity: Severity::Warning,
            ..Finding::error(rule, message, cells)
        }
    }

    /// The cells written `SHEET!A1`, joined by `sep`.
    pub fn cells_joined(&self, sep: &str) -> String {
        crate::model::join_cells(&self.cells, sep)
    }

    /// Adds the quoted sentence and paragraph number of a narrative
    /// finding.
    pub fn quoting(mut self, quote: impl Into<String>, paragraph: usize) -> Finding {
        self.quote = Some(quote.into());
        self.paragraph = Some(paragraph);
        self
    }

    /// Adds the expected and found values.
    pub fn with_values(mut self, expected: impl Into<String>, found: impl Into<String>) -> Finding {
        self.expected = Some(expected.into());
        self.found = Some(found.into());
        self
    }
}
