//! Reading the performance-target forms (绩效目标表) back into the model:
//! forms are found by their titles (one per sheet or several stacked on
//! one sheet), values by their labels, indicators under the header row
//! 一级指标/二级指标/三级指标/指标值.

use super::form::{form_label_key, Form};
use super::sheet::Sheet;
use crate::filed::holds;
use crate::findings::Finding;
use crate::model::{
    label_key, parse_amount, Amount, DepartmentForm, FormFunds, FundsByUse, Indicator,
    IndicatorValue, KeyTask, Performance, ProjectForm, ProjectFunds,
};
use crate::spec::{FormLabels, IndicatorLabels, Label, ProjectLabels, TitleWords};
use std::ops::Range;

/// Longest text (in characters) taken for a form title.
const MAX_TITLE_CHARS: usize = 60;

/// Which form a title names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Department,
    Project,
}

/// The kind of form a cell's text is the title of, if any (its words in
/// `titles`). Brackets may be full- or half-width; a leading city or year
/// does not matter.
fn form_kind(text: &str, titles: &TitleWords) -> Option<Kind> {
    // Cheap test first: most cells of a workbook are no form title.
    if !(holds(text, '绩') && holds(text, '表')) {
        return None;
    }
    let k = label_key(text);
    if k.chars().count() > MAX_TITLE_CHARS {
        return None;
    }
    let names = |l: &Label| l.texts().iter().any(|t| k.contains(&label_key(t)));
    if names(&titles.department) {
        Some(Kind::Department)
    } else if names(&titles.project) {
        Some(Kind::Project)
    } else {
        None
    }
}

/// Reads every performance form in `sheets` (hidden sheets skipped).
/// Workbooks without forms give an empty [`Performance`]. Problems (a fund
/// amount that is not a number, a form without its indicator header …)
/// become findings.
pub fn read_performance(
    sheets: &[Sheet],
    forms: &FormLabels,
    findings: &mut Vec<Finding>,
) -> Performance {
    let labels: Vec<&str> = forms
        .all()
        .into_iter()
        .flat_map(Label::keys)
        .map(String::as_str)
        .collect();
    let mut perf = Performance::default();
    for (kind, form) in locate_forms(sheets, &forms.titles, &labels) {
        match kind {
            Kind::Department if perf.department.is_some() => {
                findings.push(Finding::warning(
                    "READ-FORM",
                    format!(
                        "{}：又一张整体支出绩效目标申报表，只读取第一张",
                        form.reference((form.title_row, 0))
                    ),
                    vec![form.reference((form.title_row, 0))],
                ));
            }
            Kind::Department => perf.department = Some(department_form(&form, forms, findings)),
            // A spare form of a fill-in workbook, left blank.
            Kind::Project if is_blank(&form, &forms.project) => {}
            Kind::Project => perf.projects.push(project_form(&form, forms, findings)),
        }
    }
    perf
}

/// The forms of all visible sheets, in sheet order then top to bottom; each
/// runs from its title to the row before the next title on its sheet.
fn locate_forms<'a>(
    sheets: &'a [Sheet],
    words: &TitleWords,
    labels: &'a [&'a str],
) -> Vec<(Kind, Form<'a>)> {
    let mut out = Vec::new();
    for sheet in sheets.iter().filter(|s| !s.hidden) {
        let mut titles: Vec<(u32, Kind)> = Vec::new();
        for ((r, _), cell) in sheet.cells() {
            if cell.numeric || titles.last().is_some_and(|(tr, _)| *tr == r) {
                continue;
            }
            if let Some(kind) = form_kind(&cell.text, words) {
                titles.push((r, kind));
            }
        }
        let end = sheet.last_row().map_or(0, |r| r + 1);
        for (i, (r, kind)) in titles.iter().enumerate() {
            let next = titles.get(i + 1).map_or(end, |(nr, _)| *nr);
            out.push((*kind, Form::new(sheet, *r, *r..next, labels)));
        }
    }
    out
}

/// True when nothing is typed in a form: from its 项目名称 row on, every
/// cell is a label or empty (the title and year above do not count).
fn is_blank(form: &Form<'_>, labels: &ProjectLabels) -> bool {
    let Some((first, _)) = form.find(labels.name.keys()) else {
        return false;
    };
    form.cell_rows()
        .into_iter()
        .filter(|r| *r >= first)
        .all(|r| {
            form.sheet.row(r).all(|(_, cell)| {
                let key = form_label_key(&cell.text);
                key.is_empty() || form.labels.contains(&key.as_ref())
            })
        })
}

/// Reads the amounts of one form; a non-numeric text is an error finding.
struct Amounts<'f, 'a> {
    form: &'f Form<'a>,
    what: String,
    findings: &'f mut Vec<Finding>,
}

impl Amounts<'_, '_> {
    /// The amount right of `label` within `cols`.
    fn get(&mut self, label: &Label, cols: Range<u32>) -> Option<Amount> {
        let label_at = self.form.find_in(label.keys(), cols)?;
        let at = self.form.value_right(label_at)?;
        let text = self.form.own_text(at);
        let prov = self.form.provenance(at)?;
        match parse_amount(text) {
            Ok(v) => v.map(|v| Amount::read(v, prov)),
            Err(_) => {
                let name = form_label_key(label.text());
                self.findings.push(
                    Finding::error(
                        "READ-AMOUNT",
                        format!(
                            "{} 单元格 {}：{}“{}”金额“{}”不是数字，应为数字（单位万元，如 12.34）或留空",
                            prov.sheet, prov.cell, self.what, name, text
                        ),
                        vec![prov.reference()],
                    )
                    .with_values("数字", text),
                );
                None
            }
        }
    }
}

/// Columns left of `split` and from `split` on (all columns when absent).
fn halves(split: Option<u32>) -> (Range<u32>, Range<u32>) {
    match split {
        Some(c) => (0..c, c..u32::MAX),
        None => (0..u32::MAX, 0..u32::MAX),
    }
}

fn department_form(
    form: &Form<'_>,
    forms: &FormLabels,
    findings: &mut Vec<Finding>,
) -> DepartmentForm {
    let l = &forms.department;
    let text = |label: &Label| form.text_of(label.keys());
    let split = form
        .find(l.by_use.keys())
        .or_else(|| form.find(l.basic.keys()))
        .map(|(_, c)| c);
    let (left, right) = halves(split);
    let what = form_label_key(forms.titles.department.text());
    let mut a = Amounts {
        form,
        what: what.to_string(),
        findings,
    };
    let funds_by_source = FormFunds {
        total: a.get(&l.total, left.clone()),
        general: a.get(&l.general, left.clone()),
        gov_fund: a.get(&l.gov_fund, left.clone()),
        state_capital: a.get(&l.state_capital, left.clone()),
        social_insurance: a.get(&l.social_insurance, left.clone()),
        special: a.get(&l.special, left.clone()),
        unit: a.get(&l.unit, left),
    };
    let funds_by_use = FundsByUse {
        total: a.get(&l.total, right.clone()),
        basic: a.get(&l.basic, right.clone()),
        project: a.get(&l.project, right),
    };
    let indicators = indicator_halves(form, forms, &what, findings)
        .into_iter()
        .next()
        .unwrap_or_default();
    DepartmentForm {
        year: form.year(),
        department: text(&l.name),
        internal_divisions: text(&l.internal_divisions),
        budget_units: text(&l.budget_units),
        authorized_staff: text(&l.authorized_staff),
        actual_staff: text(&l.actual_staff),
        staff_on_roll: text(&l.staff_on_roll),
        other_staff: text(&l.other_staff),
        duties: text(&l.duties),
        strategic_goal: text(&l.strategic_goal),
        funds_by_source,
        funds_by_use,
        key_tasks: key_tasks(form, forms),
        annual_goal: text(&l.annual_goal),
        indicators,
    }
}

/// 年度重点任务: the rows under 核心职能/重点任务 up to 年度绩效目标 (or the
/// indicator header), one task per row with either cell filled.
fn key_tasks(form: &Form<'_>, forms: &FormLabels) -> Vec<KeyTask> {
    let l = &forms.department;
    let (Some(f), Some(t)) = (
        form.find(l.core_function.keys()),
        form.find(l.key_task.keys()),
    ) else {
        return Vec::new();
    };
    let first = form.below(f).0.max(form.below(t).0);
    let end = [
        form.find(l.annual_goal.keys()),
        form.find(forms.indicator.level1.keys()),
    ]
    .into_iter()
    .flatten()
    .map(|(r, _)| r)
    .filter(|r| *r >= first)
    .min()
    .unwrap_or(form.rows.end);
    form.cell_rows()
        .into_iter()
        .filter(|r| (first..end).contains(r))
        .map(|r| KeyTask {
            function: form.own_text((r, f.1)).to_string(),
            task: form.own_text((r, t.1)).to_string(),
        })
        .filter(|k| !k.function.is_empty() || !k.task.is_empty())
        .collect()
}

fn project_form(form: &Form<'_>, forms: &FormLabels, findings: &mut Vec<Finding>) -> ProjectForm {
    let l = &forms.project;
    let text = |label: &Label| form.text_of(label.keys());
    let name_at = form.find(l.name.keys()).and_then(|p| form.value_right(p));
    let name = name_at.map(|p| form.own_text(p)).unwrap_or_default();
    let title = form.reference((form.title_row, 0));
    let kind = form_label_key(forms.titles.project.text());
    if name.is_empty() {
        findings.push(Finding::warning(
            "READ-FORM",
            format!("{title}：{kind}没有填写“{}”", form_label_key(l.name.text())),
            vec![title.clone()],
        ));
    }
    let what = format!("{kind}（{name}）");
    let split = form.find(l.annual_total.keys()).map(|(_, c)| c);
    let (left, right) = halves(split);
    let mut a = Amounts {
        form,
        what: what.to_string(),
        findings,
    };
    let mut funds = |total: &Label, cols: Range<u32>| ProjectFunds {
        total: a.get(total, 0..u32::MAX),
        central: a.get(&l.central, cols.clone()),
        provincial: a.get(&l.provincial, cols.clone()),
        local: a.get(&l.local, cols.clone()),
        self_raised: a.get(&l.self_raised, cols.clone()),
        other: a.get(&l.other, cols),
    };
    let period_funds = funds(&l.period_total, left);
    let annual_funds = funds(&l.annual_total, right);
    let goal = |label: &Label| {
        form.find(label.keys())
            .map(|p| form.own_text(form.below(p)).to_string())
            .unwrap_or_default()
    };
    let mut halves = indicator_halves(form, forms, &what, findings).into_iter();
    ProjectForm {
        year: form.year(),
        name: name.to_string(),
        name_at: name_at.and_then(|p| form.provenance(p)),
        authority: text(&l.authority),
        implementing_unit: text(&l.implementing_unit),
        attribute: text(&l.attribute),
        period: text(&l.period),
        period_funds,
        annual_funds,
        overview: text(&l.overview),
        basis: text(&l.basis),
        necessity: text(&l.necessity),
        safeguards: text(&l.safeguards),
        plan: text(&l.plan),
        period_goal: goal(&l.period_goal),
        annual_goal: goal(&l.annual_goal),
        period_indicators: halves.next().unwrap_or_default(),
        annual_indicators: halves.next().unwrap_or_default(),
        responsible: text(&l.responsible),
        handler: text(&l.handler),
        phone: text(&l.phone),
        filed_on: text(&l.filed_on),
    }
}

/// The columns of one half of the indicator block.
#[derive(Debug, Clone, Copy)]
struct Half {
    level1: Option<u32>,
    level2: u32,
    level3: Option<u32>,
    value: Option<u32>,
}

/// Splits the header row into halves: each 二级指标 starts one, taking the
/// nearest 一级指标 to its left (shared by both halves of a project form)
/// and the 三级指标/指标值 after it.
fn header_halves(form: &Form<'_>, labels: &IndicatorLabels, row: u32) -> Vec<Half> {
    let [level1_keys, level2_keys, level3_keys, value_keys] = [
        &labels.level1,
        &labels.level2,
        &labels.level3,
        &labels.value,
    ]
    .map(Label::keys);
    let mut out: Vec<Half> = Vec::new();
    let mut level1 = None;
    for (c, cell) in form.sheet.row(row) {
        let key = form_label_key(&cell.text);
        let is = |keys: &[String]| keys.iter().any(|k| *k == key);
        if is(level1_keys) {
            level1 = Some(c);
        } else if is(level2_keys) {
            out.push(Half {
                level1,
                level2: c,
                level3: None,
                value: None,
            });
        } else if let Some(h) = out.last_mut() {
            if is(level3_keys) {
                h.level3 = Some(c);
            } else if is(value_keys) {
                h.value = Some(c);
            }
        }
    }
    out
}

/// The indicators of each half (实施期, then 年度 for a project form), read
/// under the header row up to 负责人 or the end of the form. 一级 and 二级
/// cells that are blank or merged are filled from above; a row with neither
/// 三级指标 nor 指标值 (the form's skeleton) is skipped.
fn indicator_halves(
    form: &Form<'_>,
    forms: &FormLabels,
    what: &str,
    findings: &mut Vec<Finding>,
) -> Vec<Vec<Indicator>> {
    let i = &forms.indicator;
    let Some(head) = form.find(i.level2.keys()) else {
        let title = form.reference((form.title_row, 0));
        let header: Vec<&str> = [&i.level1, &i.level2, &i.level3, &i.value]
            .map(Label::text)
            .to_vec();
        findings.push(Finding::warning(
            "READ-FORM",
            format!(
                "{title}：{what}没有“{}”表头，未读取绩效指标",
                header.join("/")
            ),
            vec![title.clone()],
        ));
        return Vec::new();
    };
    let halves = header_halves(form, i, head.0);
    let first = halves
        .iter()
        .flat_map(|h| [h.level1, Some(h.level2), h.level3, h.value])
        .flatten()
        .map(|c| form.below((head.0, c)).0)
        .max()
        .unwrap_or(head.0 + 1);
    let end = form
        .find(forms.project.responsible.keys())
        .map(|(r, _)| r)
        .filter(|r| *r >= first)
        .unwrap_or(form.rows.end);
    let rows: Vec<u32> = form
        .cell_rows()
        .into_iter()
        .filter(|r| (first..end).contains(r))
        .collect();
    halves.iter().map(|h| read_half(form, h, &rows)).collect()
}

fn read_half(form: &Form<'_>, h: &Half, rows: &[u32]) -> Vec<Indicator> {
    let (mut level1, mut level2) = ("", "");
    let mut out = Vec::new();
    for &r in rows {
        let l1 = h
            .level1
            .map(|c| form.filled_text((r, c)))
            .unwrap_or_default();
        if !l1.is_empty() && l1 != level1 {
            level1 = l1;
            level2 = "";
        }
        let l2 = form.filled_text((r, h.level2));
        if !l2.is_empty() {
            level2 = l2;
        }
        let level3 = h.level3.map(|c| form.own_text((r, c))).unwrap_or_default();
        let value = h.value.map(|c| form.own_text((r, c))).unwrap_or_default();
        if level3.is_empty() && value.is_empty() {
            continue;
        }
        out.push(Indicator {
            level1: level1.to_string(),
            level2: level2.to_string(),
            level3: level3.to_string(),
            value: IndicatorValue::parse(value),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_match_with_either_bracket_width() {
        let labels = FormLabels::builtin().unwrap();
        let form_kind = |t: &str| form_kind(t, &labels.titles);
        assert_eq!(
            form_kind("市级预算部门（单位）整体支出绩效目标申报表"),
            Some(Kind::Department)
        );
        assert_eq!(
            form_kind("朔州市市级预算部门(单位)项目支出绩效目标表"),
            Some(Kind::Project)
        );
        assert_eq!(
            form_kind("朔州市市级预算部门（单位）项目支出绩效目标表"),
            Some(Kind::Project)
        );
        assert_eq!(form_kind("2025年项目支出预算表（本年预算）"), None);
        assert_eq!(form_kind("（项目绩效目标表公开情况见附件）"), None);
    }
}
