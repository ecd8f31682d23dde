//! `budgetkit export`: the standard workbook from a submission or model.

use super::{check, Detected, Outcome};
use crate::error::Error;
use crate::findings::Finding;
use crate::model::Budget;
use crate::read::{read_located, read_path};
use crate::spec::Template;
use crate::views::{performance_tables, standard_tables, Table};
use crate::write::{chart_data, clip_tables, write_charted};
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
    export_sheets(input, None, output, opts)
}

/// [`export`] of a workbook read already (to detect its template,
/// [`Detected`]): it is read instead of the file.
///
/// # Errors
/// As [`export`].
pub fn export_sheets(
    input: &Path,
    read: Option<Detected>,
    output: &Path,
    opts: &ExportOptions<'_>,
) -> Result<Outcome, Error> {
    crate::write::refuse_input(output, &[input])?;
    let sub = match read {
        Some(read) => read_located(&read.sheets, opts.read_template, input, read.located)?,
        None => read_path(input, opts.read_template)?,
    };
    let mut findings = check(&sub, opts.read_template)?;
    let mut budget = sub.budget;
    let tables = if opts.write_template.id == opts.read_template.id {
        publication(&budget, opts.write_template)
    } else {
        let (from, to) = (opts.read_template, opts.write_template);
        super::convert::tables_in(&mut budget, Some(from), &from.id, to, &mut findings)
    };
    let to = opts.write_template;
    write_unless_errors(findings, tables, to, budget.year, output, opts.force)
}

/// The standard workbook of `budget` in `template`: its tables, then the
/// performance-target forms.
pub fn publication(budget: &Budget, template: &Template) -> Vec<Table> {
    let mut tables = standard_tables(budget, template);
    tables.extend(performance_tables(budget, template));
    tables
}

/// Writes `tables` (of `template`) to `output` atomically, with their
/// charts on a sheet 图表 ([`chart_data`]), text over Excel's cell limit
/// cut: the cuts, as `WRITE-TEXT-LIMIT` warnings.
///
/// # Errors
/// [`Error::Write`] or [`Error::Io`], naming `output`.
pub fn write_clipped(
    mut tables: Vec<Table>,
    template: &Template,
    year: i32,
    output: &Path,
) -> Result<Vec<Finding>, Error> {
    let cut = clip_tables(&mut tables);
    write_charted(&tables, &chart_data(&tables, template), year, output)?;
    Ok(cut)
}

/// The end of `export` and `convert`: with error findings and without
/// `force` nothing is written and the outcome says `refused`; else the
/// tables are written ([`write_clipped`]) and its cuts join the findings.
pub(crate) fn write_unless_errors(
    findings: Vec<Finding>,
    tables: Vec<Table>,
    template: &Template,
    year: i32,
    output: &Path,
    force: bool,
) -> Result<Outcome, Error> {
    let mut outcome = Outcome {
        findings,
        refused: false,
    };
    if outcome.errors() > 0 && !force {
        outcome.refused = true;
        return Ok(outcome);
    }
    outcome
        .findings
        .extend(write_clipped(tables, template, year, output)?);
    Ok(outcome)
}
