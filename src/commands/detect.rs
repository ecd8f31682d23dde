//! Which template a workbook was filled in: every built-in template is
//! tried and scored by how much of it the workbook shows.

use crate::error::Error;
use crate::read::align_fixed_rows;
use crate::read::{is_json, locate_tables, read_json, read_sheets, Sheet};
use crate::spec::Template;
use std::path::Path;

/// The template of a submission: the one its JSON model names, or the
/// built-in template that best fits its workbook ([`detect_template`]).
///
/// # Errors
/// [`Error`] when the input is unreadable (as reading it would report).
pub fn template_of(input: &Path) -> Result<Template, Error> {
    template_and_sheets(None, input).map(|(template, _)| template)
}

/// The template `id` names, or the one `input` was filled in (as
/// [`template_of`]), with the sheets of the workbook when they were read
/// to find it: the command that follows reads them instead of the file
/// (`validate 普陀区.xlsx` reads and parses it once).
///
/// # Errors
/// [`Error`] when `id` is not a template or the input is unreadable.
pub fn template_and_sheets(
    id: Option<&str>,
    input: &Path,
) -> Result<(Template, Option<Vec<Sheet>>), Error> {
    if let Some(id) = id {
        return Ok((Template::load(id)?, None));
    }
    if is_json(input) {
        let sub = read_json(input)?;
        let template =
            Template::load(&sub.budget.template).or_else(|_| Template::load("sx-2025"))?;
        return Ok((template, None));
    }
    let sheets = read_sheets(input)?;
    let (template, _) = detect_template(&sheets)?;
    Ok((template, Some(sheets)))
}

/// The template a submission is read with when `given` is the one it is to
/// be written in (`export --template`): `given` when the workbook fits it at
/// least as well as any built-in template, else the best built-in one — so
/// `export 普陀区.xlsx --template sx-2025` reads sh-2026 and writes sx-2025,
/// while a bureau's own `.toml` reads its own workbooks. A JSON model names
/// its template.
///
/// # Errors
/// [`Error`] when the input is unreadable.
pub fn reading_template(input: &Path, given: &Template) -> Result<Template, Error> {
    reading_template_and_sheets(input, given).map(|(template, _)| template)
}

/// [`reading_template`], with the sheets of the workbook read to find it,
/// for the command that follows to read instead of the file.
///
/// # Errors
/// [`Error`] when the input is unreadable.
pub fn reading_template_and_sheets(
    input: &Path,
    given: &Template,
) -> Result<(Template, Option<Vec<Sheet>>), Error> {
    if is_json(input) {
        return Ok((template_of(input)?, None));
    }
    let sheets = read_sheets(input)?;
    let (best, scores) = detect_template(&sheets)?;
    let best_score = scores.first().map_or(i64::MIN, |s| s.1);
    let template = if fit(&sheets, given) >= best_score {
        given.clone()
    } else {
        best
    };
    Ok((template, Some(sheets)))
}

/// How well each built-in template fits a workbook, best first: the
/// template and its score.
///
/// The score counts the template's tables found by title (10 each), less
/// one for every header that had to be read by position and every fixed
/// row label (表1/表4 income rows, 表10 rows) not found.
///
/// # Errors
/// [`Error::Template`] if a built-in template fails to load (a build
/// defect).
pub fn detect_template(sheets: &[Sheet]) -> Result<(Template, Vec<(String, i64)>), Error> {
    let mut scored: Vec<(Template, i64)> = Vec::new();
    for id in Template::builtin_ids() {
        let t = Template::load(id)?;
        let score = fit(sheets, &t);
        scored.push((t, score));
    }
    // Stable: ties keep the built-in order (newest first).
    scored.sort_by_key(|s| std::cmp::Reverse(s.1));
    let scores = scored.iter().map(|(t, s)| (t.id.clone(), *s)).collect();
    let best = scored
        .into_iter()
        .next()
        .map(|(t, _)| t)
        .ok_or_else(|| Error::UnknownTemplate {
            id: String::new(),
            known: String::new(),
        })?;
    Ok((best, scores))
}

fn fit(sheets: &[Sheet], template: &Template) -> i64 {
    let mut findings = Vec::new();
    let tables = locate_tables(sheets, template, &mut findings);
    let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    let mut score = 10 * count(tables.len());
    score -= count(findings.iter().filter(|f| f.rule == "READ-HEADER").count());
    for table in &tables {
        let Some(spec) = template.table(&table.id) else {
            continue;
        };
        let Some((col, labels)) = crate::kinds::kind_of(spec).fixed_labels(spec) else {
            continue;
        };
        let at = align_fixed_rows(&table.rows, spec, col, &labels);
        score -= count(at.iter().filter(|a| a.is_none()).count());
    }
    score
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::{import, import_sheets, validate, validate_sheets, ValidateOptions};

    fn sample(name: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("samples")
            .join(name)
    }

    #[test]
    fn a_detected_workbook_is_read_once() {
        let shuozhou = sample("shuozhou-investment-2025.xlsx");
        let (template, sheets) = template_and_sheets(None, &shuozhou).unwrap();
        assert_eq!(template.id, "sx-2025");
        let sheets = sheets.expect("read to detect its template");
        let opts = ValidateOptions {
            template: &template,
            annotate: None,
        };
        let once = validate_sheets(&shuozhou, Some(sheets.clone()), &opts, |_, _| Ok(vec![]));
        assert_eq!(
            once.unwrap().to_json(),
            validate(&shuozhou, &opts).unwrap().to_json()
        );
        let json = import_sheets(&shuozhou, Some(sheets), None, &template)
            .unwrap()
            .0;
        assert_eq!(json, import(&shuozhou, None, &template).unwrap().0);
        // The sheets given are the ones read, not the file again.
        let putuo = sample("shanghai-putuo-finance-2025.xlsx");
        let (sh, sh_sheets) = template_and_sheets(None, &putuo).unwrap();
        let opts = ValidateOptions {
            template: &sh,
            annotate: None,
        };
        let crossed = validate_sheets(&shuozhou, sh_sheets, &opts, |_, _| Ok(vec![])).unwrap();
        assert_eq!(
            crossed.department,
            validate(&putuo, &opts).unwrap().department
        );
        assert!(template_and_sheets(Some("sx-2025"), &shuozhou)
            .unwrap()
            .1
            .is_none());
    }

    #[test]
    fn an_export_reads_the_sheets_its_template_was_found_in() {
        use crate::commands::{export, export_sheets, ExportOptions};
        let dir = tempfile::tempdir().unwrap();
        let putuo = sample("shanghai-putuo-finance-2025.xlsx");
        let sx = Template::load("sx-2025").unwrap();
        // Written as sx-2025, read in the layout it fits (sh-2026).
        let (read, sheets) = reading_template_and_sheets(&putuo, &sx).unwrap();
        assert_eq!(read.id, "sh-2026");
        let opts = ExportOptions {
            read_template: &read,
            write_template: &sx,
            force: true,
        };
        let (once, twice) = (dir.path().join("once.xlsx"), dir.path().join("twice.xlsx"));
        let a = export_sheets(&putuo, sheets, &once, &opts).unwrap();
        let b = export(&putuo, &twice, &opts).unwrap();
        assert_eq!(a.findings.len(), b.findings.len());
        assert_eq!(
            std::fs::read(&once).unwrap(),
            std::fs::read(&twice).unwrap()
        );
    }
}
