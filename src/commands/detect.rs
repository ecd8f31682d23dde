//! Which template a workbook was filled in: every built-in template is
//! tried and scored by how much of it the workbook shows.

use crate::error::Error;
use crate::filed::{may_be_title, spec_title_keys, title_key};
use crate::read::align_fixed_rows;
use crate::read::{is_json, read_json, read_sheets, Located, Sheet};
use crate::spec::Template;
use std::collections::BTreeSet;
use std::path::Path;

/// A workbook read to find its template: its sheets and the tables of
/// that template located in them, for the command that follows to read
/// instead of the file (`validate 普陀区.xlsx` reads, parses and locates
/// once).
#[derive(Debug, Clone)]
pub struct Detected {
    /// The workbook's sheets.
    pub(crate) sheets: Vec<Sheet>,
    /// The tables of the template detected (or given) for it, located in
    /// `sheets` to decide it; they are used only with a template of the
    /// same id.
    pub(crate) located: Option<Located>,
}

impl Detected {
    /// Sheets read without locating anything.
    pub fn from_sheets(sheets: Vec<Sheet>) -> Detected {
        Detected {
            sheets,
            located: None,
        }
    }

    /// The workbook's sheets.
    pub fn sheets(&self) -> &[Sheet] {
        &self.sheets
    }
}

/// The template of a submission: the one its JSON model names, or the
/// built-in template that best fits its workbook ([`detect_template`]).
///
/// # Errors
/// [`Error`] when the input is unreadable (as reading it would report).
pub fn template_of(input: &Path) -> Result<Template, Error> {
    template_and_sheets(None, input).map(|(template, _)| template)
}

/// The template `id` names, or the one `input` was filled in (as
/// [`template_of`]), with the workbook as read to find it ([`Detected`]).
///
/// # Errors
/// [`Error`] when `id` is not a template or the input is unreadable.
pub fn template_and_sheets(
    id: Option<&str>,
    input: &Path,
) -> Result<(Template, Option<Detected>), Error> {
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
    let (template, _, located) = best_template(&sheets)?;
    let located = Some(located);
    Ok((template, Some(Detected { sheets, located })))
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

/// [`reading_template`], with the workbook as read to find it
/// ([`Detected`]), for the command that follows to read instead of the
/// file.
///
/// # Errors
/// [`Error`] when the input is unreadable.
pub fn reading_template_and_sheets(
    input: &Path,
    given: &Template,
) -> Result<(Template, Option<Detected>), Error> {
    if is_json(input) {
        return Ok((template_of(input)?, None));
    }
    let sheets = read_sheets(input)?;
    let (best, best_score, best_located) = best_template(&sheets)?;
    let (score, located) = fit(&sheets, given);
    let (template, located) = if score >= best_score {
        (given.clone(), located)
    } else {
        (best, best_located)
    };
    let located = Some(located);
    Ok((template, Some(Detected { sheets, located })))
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
        let (score, _) = fit(sheets, &t);
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

/// The built-in template [`detect_template`] puts first, with its score
/// and its tables located in `sheets`, without scoring the templates that cannot reach it: a template scores
/// at most 10 for each of its tables whose title is on some sheet
/// ([`title_bound`]), so one whose bound is below the best score found (or
/// equal to it, later in the built-in order, which a tie would not pick)
/// is not located. The templates are tried highest bound first.
///
/// # Errors
/// As [`detect_template`].
pub fn best_template(sheets: &[Sheet]) -> Result<(Template, i64, Located), Error> {
    let titles = title_keys(sheets);
    let mut bounded: Vec<(usize, Template, i64)> = Vec::new();
    for (i, id) in Template::builtin_ids().into_iter().enumerate() {
        let t = Template::load(id)?;
        let bound = title_bound(&titles, &t);
        bounded.push((i, t, bound));
    }
    // Stable: equal bounds keep the built-in order.
    bounded.sort_by_key(|b| std::cmp::Reverse(b.2));
    let mut best: Option<(usize, Template, i64, Located)> = None;
    for (i, t, bound) in bounded {
        if let Some((bi, _, bs, _)) = &best {
            if bound < *bs || (bound == *bs && i > *bi) {
                continue;
            }
        }
        let (score, located) = fit(sheets, &t);
        let better = best
            .as_ref()
            .is_none_or(|(bi, _, bs, _)| score > *bs || (score == *bs && i < *bi));
        if better {
            best = Some((i, t, score, located));
        }
    }
    best.map(|(_, t, s, l)| (t, s, l))
        .ok_or_else(|| Error::UnknownTemplate {
            id: String::new(),
            known: String::new(),
        })
}

/// The title keys of the cells [`locate_tables`] reads as titles (text
/// with 表 on a visible sheet), each once.
fn title_keys(sheets: &[Sheet]) -> BTreeSet<String> {
    sheets
        .iter()
        .filter(|s| !s.hidden)
        .flat_map(|s| s.cells())
        .filter(|(_, c)| !c.numeric && may_be_title(&c.text))
        .map(|(_, c)| title_key(&c.text))
        .collect()
}

/// The most [`fit`] can score for `template`: 10 for every table one of
/// whose titles is among `titles` (a table is found only under its
/// title; every other term of the score is a deduction).
fn title_bound(titles: &BTreeSet<String>, template: &Template) -> i64 {
    let shown = template
        .tables
        .iter()
        .filter(|spec| spec_title_keys(spec).iter().any(|k| titles.contains(k)))
        .count();
    i64::try_from(shown).map_or(i64::MAX, |n| n.saturating_mul(10))
}

/// The score of `template` for `sheets` (see [`detect_template`]), with
/// its tables located.
fn fit(sheets: &[Sheet], template: &Template) -> (i64, Located) {
    let located = Located::of(sheets, template);
    let (tables, findings) = (&located.tables, &located.findings);
    let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    let mut score = 10 * count(tables.len());
    score -= count(findings.iter().filter(|f| f.rule == "READ-HEADER").count());
    for table in tables {
        let Some(spec) = template.table(&table.id) else {
            continue;
        };
        let Some((col, labels)) = crate::kinds::kind_of(spec).fixed_labels(spec) else {
            continue;
        };
        let at = align_fixed_rows(table, spec, col, &labels);
        score -= count(at.iter().filter(|a| a.is_none()).count());
    }
    (score, located)
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

    /// Workbooks of every built-in template, mixed as in a bureau's inbox
    /// (the samples, the Shanxi sample converted to each template, a
    /// perturbed copy, a workbook with no table at all): the pruned search
    /// picks the template and score the full scoring puts first, for each.
    #[test]
    fn a_mixed_inbox_detects_each_workbooks_own_template() {
        use crate::commands::{convert, ConvertOptions};
        let dir = tempfile::tempdir().unwrap();
        let shuozhou = sample("shuozhou-investment-2025.xlsx");
        let mut files = vec![
            shuozhou.clone(),
            sample("shanghai-putuo-finance-2025.xlsx"),
            sample("perturbed.xlsx"),
        ];
        for id in Template::builtin_ids() {
            let to = Template::load(id).unwrap();
            let out = dir.path().join(format!("{id}.xlsx"));
            let opts = ConvertOptions {
                to: &to,
                from: None,
                force: true,
            };
            convert(&shuozhou, &out, &opts).unwrap();
            files.push(out);
        }
        let mut seen = BTreeSet::new();
        // Twice over, alternating, so no order of files favours a template.
        for file in files.iter().chain(files.iter().rev()) {
            let sheets = read_sheets(file).unwrap();
            let (full, scores) = detect_template(&sheets).unwrap();
            let (pruned, score, _) = best_template(&sheets).unwrap();
            assert_eq!(pruned.id, full.id, "{}: {scores:?}", file.display());
            assert_eq!(Some(score), scores.first().map(|s| s.1), "{scores:?}");
            let titles = title_keys(&sheets);
            for (id, s) in &scores {
                let t = Template::load(id).unwrap();
                assert!(title_bound(&titles, &t) >= *s, "{id}: {scores:?}");
            }
            seen.insert(pruned.id);
        }
        // Each built-in template is some file's own.
        assert_eq!(seen.len(), Template::builtin_ids().len(), "{seen:?}");
        let none = [Sheet::new("目录", false)];
        let (t, scores) = detect_template(&none).unwrap();
        let (pruned, score, _) = best_template(&none).unwrap();
        assert_eq!((pruned.id, score), (t.id, scores[0].1));
    }

    /// The tables located to detect a template are the ones a reading
    /// with that template finds, with the same findings in the same order;
    /// located for another template, they are located again.
    #[test]
    fn tables_located_to_detect_are_the_ones_read() {
        use crate::read::{read_located, read_workbook};
        let sx = Template::load("sx-2025").unwrap();
        for name in [
            "shuozhou-investment-2025.xlsx",
            "shanghai-putuo-finance-2025.xlsx",
            "perturbed.xlsx",
        ] {
            let path = sample(name);
            let (template, read) = template_and_sheets(None, &path).unwrap();
            let read = read.unwrap();
            let located = read.located.clone().unwrap();
            assert_eq!(located.template, template.id);
            let once = read_located(&read.sheets, &template, &path, Some(located.clone()));
            let again = read_workbook(&read.sheets, &template, &path).unwrap();
            let once = once.unwrap();
            assert_eq!(once.tables, again.tables, "{name}");
            assert_eq!(once.findings, again.findings, "{name}");
            assert_eq!(
                serde_json::to_string(&once.budget).unwrap(),
                serde_json::to_string(&again.budget).unwrap()
            );
            let other = read_located(&read.sheets, &sx, &path, Some(located));
            let fresh = read_workbook(&read.sheets, &sx, &path);
            match (other, fresh) {
                (Ok(a), Ok(b)) => assert_eq!((a.tables, a.findings), (b.tables, b.findings)),
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
                (a, b) => panic!("{name}: {a:?} vs {b:?}"),
            }
        }
    }

    #[test]
    fn a_detected_workbook_is_read_once() {
        let shuozhou = sample("shuozhou-investment-2025.xlsx");
        let (template, sheets) = template_and_sheets(None, &shuozhou).unwrap();
        assert_eq!(template.id, "sx-2025");
        let sheets = sheets.expect("read to detect its template");
        assert!(sheets.located.is_some());
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
