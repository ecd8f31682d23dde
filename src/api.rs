//! The library's front door, re-exported flat from the crate root: read a
//! submission, check it, publish it, convert it. Each call does one step
//! and leaves the policy (refuse on errors, where to write) to the caller;
//! the command-line jobs in [`crate::commands`] are these steps joined up.

use crate::commands::{self, Outcome, Report};
use crate::error::Error;
use crate::findings::Finding;
use crate::model::Budget;
use crate::narrative::{Draft, Narrative, NarrativeReport, NarrativeSpec};
use crate::read::{read_path, Submission};
use crate::spec::Template;
use std::path::Path;

/// Reads a department's workbook (.xlsx/.xls, tables found by their
/// titles and headers in `template`) or a JSON model (`.json`): the model,
/// the tables as filed and what could not be read, as findings.
///
/// ```
/// # fn main() -> Result<(), budgetkit::Error> {
/// let template = budgetkit::Template::load("sx-2025")?;
/// let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/shuozhou-investment-2025.xlsx");
/// let submission = budgetkit::read(sample, &template)?;
/// assert_eq!(submission.budget.department, "朔州市促进外来投资局");
/// assert_eq!(submission.tables.len(), template.tables.len());
/// # Ok(())
/// # }
/// ```
///
/// # Errors
/// [`Error`] when the input cannot be read at all — not a regular file,
/// too large, not a workbook, no table of `template` found (the CLI's exit
/// status 2). Problems inside a readable file are findings instead.
pub fn read(path: impl AsRef<Path>, template: &Template) -> Result<Submission, Error> {
    read_path(path.as_ref(), template)
}

/// [`check`](crate::check)s a submission and reports on it: the counts by
/// severity, the findings grouped by table, as the Chinese text or the
/// JSON of `budgetkit validate`.
///
/// ```
/// # fn main() -> Result<(), budgetkit::Error> {
/// let template = budgetkit::Template::load("sx-2025")?;
/// let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/shuozhou-investment-2025.xlsx");
/// let report = budgetkit::validate(&budgetkit::read(sample, &template)?, &template)?;
/// assert_eq!((report.summary.errors, report.summary.warnings), (0, 2));
/// assert!(report.to_text().contains("PF-NAME-T12"));
/// # Ok(())
/// # }
/// ```
///
/// # Errors
/// As [`check`](crate::check).
pub fn validate(submission: &Submission, template: &Template) -> Result<Report, Error> {
    Report::of(submission, template)
}

/// Writes the standard workbook of `budget` in `template` to `output`
/// (atomically): the tables 预算公开表1… as the template lays them out,
/// then the performance-target forms. It checks nothing — [`check`](crate::check)
/// first. Returns the texts cut to Excel's cell limit, as
/// `WRITE-TEXT-LIMIT` warnings.
///
/// ```
/// # fn main() -> Result<(), budgetkit::Error> {
/// let template = budgetkit::Template::load("sx-2025")?;
/// let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/shuozhou-investment-2025.json");
/// let budget = budgetkit::read(sample, &template)?.budget;
/// let dir = tempfile::tempdir().map_err(|e| budgetkit::Error::Io { path: ".".into(), source: e })?;
/// let out = dir.path().join("预算公开表.xlsx");
/// let cut = budgetkit::export(&budget, &template, &out)?;
/// assert!(cut.is_empty() && out.is_file());
/// # Ok(())
/// # }
/// ```
///
/// # Errors
/// [`Error::Write`] or [`Error::Io`], naming `output`.
pub fn export(
    budget: &Budget,
    template: &Template,
    output: impl AsRef<Path>,
) -> Result<Vec<Finding>, Error> {
    commands::write_clipped(
        commands::publication(budget, template),
        template,
        budget.year,
        output.as_ref(),
    )
}

/// Writes `budget`, read with template `from`, in the layout of template
/// `to` at `output` — as `budgetkit convert` does, without checking the
/// submission first ([`check`](crate::check) it with `from`). Amounts of
/// income sources `to` has no column for move where its `[[source_map]]`
/// says, a `CONVERT-SOURCE-MAPPED` warning each; a table of `to` that
/// `from` cannot fill is a `CONVERT-TABLE-MISSING` error, and with any
/// error nothing is written and the outcome says `refused`.
///
/// ```
/// # fn main() -> Result<(), budgetkit::Error> {
/// use budgetkit::Template;
/// let (from, to) = (Template::load("sx-2025")?, Template::load("sx-2023")?);
/// let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/shuozhou-investment-2025.xlsx");
/// let budget = budgetkit::read(sample, &from)?.budget;
/// let dir = tempfile::tempdir().map_err(|e| budgetkit::Error::Io { path: ".".into(), source: e })?;
/// let outcome = budgetkit::convert(&budget, &from, &to, dir.path().join("2023版.xlsx"))?;
/// assert!(!outcome.refused);
/// assert!(outcome.findings.iter().all(|f| f.rule == "CONVERT-SOURCE-MAPPED"));
/// # Ok(())
/// # }
/// ```
///
/// # Errors
/// [`Error::Write`] or [`Error::Io`], naming `output`.
pub fn convert(
    budget: &Budget,
    from: &Template,
    to: &Template,
    output: impl AsRef<Path>,
) -> Result<Outcome, Error> {
    let mut budget = budget.clone();
    let mut findings = Vec::new();
    let tables = commands::tables_in(&mut budget, Some(from), &from.id, to, &mut findings);
    commands::write_unless_errors(findings, tables, to, budget.year, output.as_ref(), false)
}

/// Checks a narrative (情况说明, read with [`Narrative::read`]) against
/// `budget`, read with `template`: every figure matched to the fact it
/// states and compared as written, NARR-… findings quoting the sentence;
/// with `prior` (last year's model) the changes from last year too,
/// without it those are `NARR-NEEDS-PRIOR` warnings.
///
/// ```
/// # fn main() -> Result<(), budgetkit::Error> {
/// use budgetkit::narrative::Narrative;
/// let template = budgetkit::Template::load("sx-2025")?;
/// let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/shuozhou-investment-2025.xlsx");
/// let budget = budgetkit::read(sample, &template)?.budget;
/// let text = Narrative::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/shanxi-narrative.docx").as_ref())?;
/// let report = budgetkit::check_narrative(&text, &budget, None, &template)?;
/// assert!(report.findings.iter().all(|f| f.rule == "NARR-NEEDS-PRIOR"));
/// # Ok(())
/// # }
/// ```
///
/// # Errors
/// [`Error::Template`] when `template` has no narrative structure.
pub fn check_narrative(
    narrative: &Narrative,
    budget: &Budget,
    prior: Option<&Budget>,
    template: &Template,
) -> Result<NarrativeReport, Error> {
    let spec = NarrativeSpec::for_template(&template.id)?;
    Ok(crate::narrative::check_narrative(
        narrative, budget, prior, &spec,
    ))
}

/// Drafts the narrative of `budget` in the sections of `template`
/// (sx-2025: 情况说明 一–十一), every figure from the model; with `prior`
/// the changes from last year, without it placeholders (……).
///
/// ```
/// # fn main() -> Result<(), budgetkit::Error> {
/// let template = budgetkit::Template::load("sx-2025")?;
/// let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/shuozhou-investment-2025.xlsx");
/// let budget = budgetkit::read(sample, &template)?.budget;
/// let draft = budgetkit::draft_narrative(&budget, None, &template)?;
/// assert!(draft.to_text().contains("基本支出236.49万元，占66.90%"));
/// # Ok(())
/// # }
/// ```
///
/// # Errors
/// [`Error::Template`] when `template` has no narrative structure.
pub fn draft_narrative(
    budget: &Budget,
    prior: Option<&Budget>,
    template: &Template,
) -> Result<Draft, Error> {
    let spec = NarrativeSpec::for_template(&template.id)?;
    Ok(crate::narrative::draft(budget, prior, &spec, template))
}
