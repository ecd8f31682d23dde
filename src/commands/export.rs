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
/// writes the standard workbook to `output`. In another template than the
/// one read, the workbook is laid out as `convert` lays it out (sources
/// moved by the `[[source_map]]`, a warning each). With error findings and
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
    let mut findings = checked.findings;
    let mut budget = checked.budget;
    let mut tables = if opts.write_template.id == opts.read_template.id {
        let mut tables = standard_tables(&budget, opts.write_template);
        tables.extend(crate::views::performance_tables(
            &budget,
            opts.write_template,
        ));
        tables
    } else {
        let (from, to) = (opts.read_template, opts.write_template);
        super::convert::tables_in(&mut budget, Some(from), &from.id, to, &mut findings)
    };
    let mut outcome = Outcome {
        findings,
        refused: false,
    };
    if outcome.errors() > 0 && !opts.force {
        outcome.refused = true;
        return Ok(outcome);
    }
    outcome.findings.extend(clip_tables(&mut tables));
    write_tables(&tables, budget.year, output)?;
    Ok(outcome)
}
