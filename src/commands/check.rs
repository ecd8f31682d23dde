//! The one check of a submission: its reading findings and every rule of
//! the catalog, the same for `validate`, `batch`, `export`, `convert` and
//! the library.

use super::Detected;
use crate::error::Error;
use crate::findings::Finding;
use crate::model::Budget;
use crate::read::{
    locate_tables, read_json, read_located, read_sheets, FiledTable, Sheet, Submission,
};
use crate::spec::Template;
use crate::views::{performance_tables, standard_tables};
use crate::write::table_sheets;
use std::borrow::Cow;
use std::path::Path;

/// A submission checked: the model, the sheets and tables the rules
/// looked at, and every finding.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The model.
    pub budget: Budget,
    /// The sheets the findings' cells refer to: the input's own, or — for
    /// a JSON model — those of the standard workbook `export` writes.
    pub sheets: Vec<Sheet>,
    /// The located tables.
    pub tables: Vec<FiledTable>,
    /// Reading findings, then rule findings.
    pub findings: Vec<Finding>,
}

/// Reads `input` and [`check`]s it, keeping the sheets the findings name
/// (what `--annotate` marks).
///
/// # Errors
/// [`Error`] when the input is unreadable (exit status 2).
pub fn check_input(input: &Path, template: &Template) -> Result<Checked, Error> {
    let (sub, sheets) = read_from(input, None, template)?;
    let findings = check(&sub, template)?;
    Ok(Checked {
        budget: sub.budget,
        sheets,
        tables: sub.tables,
        findings,
    })
}

/// Reads `input` with the sheets its findings will name: a workbook's
/// own (`read` when they were read already, to detect its template), or
/// for a JSON model those of its standard workbook, whose tables then
/// stand as the submission's filed tables.
pub(super) fn read_from(
    input: &Path,
    read: Option<Detected>,
    template: &Template,
) -> Result<(Submission, Vec<Sheet>), Error> {
    let is_json = crate::read::is_json(input);
    if is_json {
        let mut sub = read_json(input)?;
        let (sheets, tables) = rendered(&sub.budget, template);
        sub.tables = tables;
        Ok((sub, sheets))
    } else {
        let read = match read {
            Some(read) => read,
            None => Detected::from_sheets(read_sheets(input)?),
        };
        let sub = read_located(&read.sheets, template, input, read.located)?;
        Ok((sub, read.sheets))
    }
}

/// The one check of a submission already read: its reading findings, then
/// every rule of the catalog over its filed tables. It reads nothing; a
/// model without filed tables (a JSON model) is checked through the tables
/// of the standard workbook it exports to, so its findings name cells of
/// that workbook. `validate`, `batch`, `export` and `convert` all check
/// through it.
///
/// ```
/// # fn main() -> Result<(), budgetkit::Error> {
/// use budgetkit::{findings::Severity, spec::Template};
/// let template = Template::load("sx-2025")?;
/// let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/shuozhou-investment-2025.xlsx");
/// let submission = budgetkit::read(sample, &template)?;
/// let findings = budgetkit::check(&submission, &template)?;
/// // The sample's two known slips, both warnings.
/// assert!(findings.iter().all(|f| f.severity == Severity::Warning));
/// assert!(findings.iter().any(|f| f.rule == "PF-PERIOD-SUM"));
/// # Ok(())
/// # }
/// ```
///
/// # Errors
/// None at present: a model without filed tables has its standard
/// workbook laid out as sheets, not written.
pub fn check(sub: &Submission, template: &Template) -> Result<Vec<Finding>, Error> {
    checked(sub, template).map(|(findings, _)| findings)
}

/// [`check`]'s findings with the tables they were found in.
pub(super) fn checked<'a>(
    sub: &'a Submission,
    template: &Template,
) -> Result<(Vec<Finding>, Cow<'a, [FiledTable]>), Error> {
    let tables = if sub.tables.is_empty() {
        Cow::Owned(rendered(&sub.budget, template).1)
    } else {
        Cow::Borrowed(sub.tables.as_slice())
    };
    let findings = with_rules(sub.findings.clone(), &sub.budget, &tables, template);
    Ok((findings, tables))
}

/// The reading findings followed by every rule's findings (a cell the
/// reader reported as not a number is left to that finding by the rules).
fn with_rules(
    mut findings: Vec<Finding>,
    budget: &Budget,
    tables: &[FiledTable],
    template: &Template,
) -> Vec<Finding> {
    findings.extend(crate::rules::check(budget, tables, template));
    findings
}

/// The sheets of the standard workbook of a model, laid out from its
/// views without writing the workbook, and its tables located on them:
/// what the rules look at for a JSON model.
fn rendered(budget: &Budget, template: &Template) -> (Vec<Sheet>, Vec<FiledTable>) {
    let mut views = standard_tables(budget, template);
    views.extend(performance_tables(budget, template));
    let sheets = table_sheets(&views);
    // Locating our own layout: its findings are not the input's.
    let tables = locate_tables(&sheets, template, &mut Vec::new());
    (sheets, tables)
}
