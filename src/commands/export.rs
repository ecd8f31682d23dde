//! `budgetkit export`: the standard workbook from a submission or model.

use super::{check_input, Outcome};
use crate::error::Error;
use crate::spec::Template;
use crate::views::standard_tables;
use crate::write::{clip_tables, write_tables};
use std::path::Path;

/// Options of [`export`].
#[derive(Debug, Clone)]
pub struct ExportOptions<'a> {
    /// Template the input is read with.
    pub read_template: &'a Template,
    /// Template the output is written in.
    pub write_template: &'a Template,
    /// Write even when there are error findings.
    pub force: bool,
}

/// Reads `input`, validates it (reading findings and every rule) and
/// writes the standard workbook to `output`. With error findings and
/// without `force`, nothing is written and the outcome says `refused`.
///
/// Text over Excel's cell limit is cut, each cut a `WRITE-TEXT-LIMIT`
/// warning.
///
/// # Errors
/// [`Error`] when the input is unreadable, the output is the input, or the
/// output cannot be written.
pub fn export(input: &Path, output: &Path, opts: &ExportOptions<'_>) -> Result<Outcome, Error> {
    crate::write::refuse_input(output, &[input])?;
    let checked = check_input(input, opts.read_template)?;
    let mut outcome = Outcome {
        findings: checked.findings,
        refused: false,
    };
    if outcome.errors() > 0 && !opts.force {
        outcome.refused = true;
        return Ok(outcome);
    }
    let mut tables = standard_tables(&checked.budget, opts.write_template);
    tables.extend(crate::views::performance_tables(&checked.budget));
    outcome.findings.extend(clip_tables(&mut tables));
    write_tables(&tables, checked.budget.year, output)?;
    Ok(outcome)
}
