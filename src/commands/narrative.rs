//! `budgetkit validate --narrative` and `budgetkit narrative`: a
//! department's prose checked against its tables, and drafted from them,
//! with last year's submission (`--prior`) for the comparisons.

use super::detect::detect_template;
use super::Outcome;
use crate::error::Error;
use crate::findings::Finding;
use crate::model::Budget;
use crate::narrative::{
    check_narrative, docx_bytes, draft, note_fund_findings, Narrative, NarrativeSpec,
};
use crate::read::is_json;
use crate::read::{read_json, read_sheets, read_workbook, Sheet, Submission};
use crate::spec::Template;
use std::path::Path;

/// Options of [`write_narrative`].
#[derive(Debug, Clone)]
pub struct NarrativeOptions<'a> {
    /// Template the input is read with; its narrative spec gives the
    /// sections.
    pub template: &'a Template,
    /// Last year's submission, for the comparisons.
    pub prior: Option<&'a Path>,
}

/// Last year's submission of the department: a JSON model, or a workbook
/// (.xlsx/.xls) of whichever built-in template it fits best, read with
/// the same reader as the input.
///
/// # Errors
/// [`Error`] when it cannot be read (exit status 2).
pub fn read_prior(path: &Path) -> Result<Budget, Error> {
    if is_json(path) {
        return Ok(read_json(path)?.budget);
    }
    let sheets = read_sheets(path)?;
    let (template, _) = detect_template(&sheets)?;
    Ok(read_workbook(&sheets, &template, path)?.budget)
}

/// The NARR-… findings of the narrative in `text` (.txt, .md or .docx)
/// about the submission `sub` read from `sheets` (its tables and the facts
/// stated beside them, [`Budget::stated`]; the reading findings of those
/// are the submission's), with `prior` for the comparisons; without
/// `text`, of the narrative on the workbook's own text sheets (sh-2026:
/// 部门编制说明, 其他相关情况说明), none when it has none. The notes under
/// its empty tables are checked too (NARR-NOTE-FUND).
///
/// # Errors
/// [`Error`] when the text or the prior submission cannot be read, or
/// (with `text`) the template has no narrative spec.
pub fn narrative_findings(
    sub: &Submission,
    sheets: &[Sheet],
    text: Option<&Path>,
    prior: Option<&Path>,
    template: &Template,
) -> Result<Vec<Finding>, Error> {
    let spec = match NarrativeSpec::for_template(&template.id) {
        Ok(spec) => spec,
        Err(_) if text.is_none() => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let narrative = match text {
        Some(path) => Narrative::read(path)?,
        None => match Narrative::from_sheets(&sub.file.display().to_string(), sheets, &spec) {
            Some(n) => n,
            None => return Ok(note_fund_findings(sheets)),
        },
    };
    let prior = prior.map(read_prior).transpose()?;
    let mut findings = note_fund_findings(sheets);
    findings.extend(check_narrative(&narrative, &sub.budget, prior.as_ref(), &spec).findings);
    Ok(findings)
}

/// Refuses a narrative output before any work: a name not ending in .md,
/// .txt or .docx, an existing pipe or device, or one of `inputs`.
///
/// # Errors
/// [`Error::Usage`], [`Error::OutputNotRegular`] or [`Error::OutputIsInput`].
pub fn check_output_text(path: &Path, inputs: &[&Path]) -> Result<(), Error> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if !matches!(ext.as_str(), "md" | "txt" | "docx") {
        return Err(Error::Usage(format!(
            "{}：文字说明须写成 .md、.txt 或 .docx（{}）",
            path.display(),
            if ext.is_empty() {
                "没有扩展名".to_string()
            } else {
                format!("扩展名为 .{ext}")
            }
        )));
    }
    crate::write::refuse_special(path)?;
    crate::write::refuse_input(path, inputs)
}

/// Drafts the narrative of `input` and writes it to `output` (.md, .txt or
/// .docx, by its extension; atomically), with the facts stated beside its
/// tables ([`Budget::stated`]). The outcome's findings are the input's
/// reading findings (those of its 情况说明补充数据 sheet among them);
/// nothing is withheld for them.
///
/// # Errors
/// [`Error`] when an input is unreadable, the template has no narrative
/// spec or the output cannot be written.
pub fn write_narrative(
    input: &Path,
    output: &Path,
    opts: &NarrativeOptions<'_>,
) -> Result<Outcome, Error> {
    let mut inputs = vec![input];
    inputs.extend(opts.prior);
    check_output_text(output, &inputs)?;
    let spec = NarrativeSpec::for_template(&opts.template.id)?;
    let sub = crate::read::read_path(input, opts.template)?;
    let prior = opts.prior.map(read_prior).transpose()?;
    let drafted = draft(&sub.budget, prior.as_ref(), &spec, opts.template);
    let ext = output
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let bytes = match ext.as_str() {
        "docx" => docx_bytes(&drafted.paragraphs(), &drafted.charts, output)?,
        "md" => drafted.to_markdown().into_bytes(),
        _ => drafted.to_text().into_bytes(),
    };
    crate::write::write_atomic(output, &bytes)?;
    Ok(Outcome {
        findings: sub.findings,
        refused: false,
    })
}
