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
    if is_json(input) {
        let sub = read_json(input)?;
        return Template::load(&sub.budget.template).or_else(|_| Template::load("sx-2025"));
    }
    Ok(detect_template(&read_sheets(input)?)?.0)
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
    if is_json(input) {
        return template_of(input);
    }
    let sheets = read_sheets(input)?;
    let (best, scores) = detect_template(&sheets)?;
    let best_score = scores.first().map_or(i64::MIN, |s| s.1);
    Ok(if fit(&sheets, given) >= best_score {
        given.clone()
    } else {
        best
    })
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
