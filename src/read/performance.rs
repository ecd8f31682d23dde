//! Reading the performance-target forms (绩效目标表) back into the model:
//! forms are found by their titles (one per sheet or several stacked on
//! one sheet), values by their labels, indicators under the header row
//! 一级指标/二级指标/三级指标/指标值.

use super::form::{form_label_key, Form};
use super::sheet::Sheet;
use crate::findings::Finding;
use crate::model::{
    label_key, parse_amount, Amount, DepartmentForm, FormFunds, FundsByUse, Indicator,
    IndicatorValue, KeyTask, Performance, ProjectForm, ProjectFunds,
};
use std::ops::Range;

/// Longest text (in characters) taken for a form title.
const MAX_TITLE_CHARS: usize = 60;

/// Which form a title names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Department,
    Project,
}

/// The kind of form a cell's text is the title of, if any. Brackets may be
/// full- or half-width; a leading city or year does not matter.
fn form_kind(text: &str) -> Option<Kind> {
    // Cheap test first: most cells of a workbook are no form title.
    if !(text.contains('绩') && text.contains('表')) {
        return None;
    }
    let k = label_key(text);
    if k.chars().count() > MAX_TITLE_CHARS {
        return None;
    }
    if k.contains("整体支出绩效目标申报表") || k.contains("整体支出绩效目标表")
    {
        Some(Kind::Department)
    } else if k.contains("项目支出绩效目标表") || k.contains("项目支出绩效目标申报表")
    {
        Some(Kind::Project)
    } else {
        None
    }
}

// Label aliases, as form label keys (see `form_label_key`).
const DEPARTMENT_NAME: &[&str] = &["部门名称"];
const INTERNAL_DIVISIONS: &[&str] = &["内设职能部门数"];
const BUDGET_UNITS: &[&str] = &["所属预算单位数"];
const AUTHORIZED_STAFF: &[&str] = &["核定的人员编制数", "核定人员编制数"];
const ACTUAL_STAFF: &[&str] = &["实际在职人员总数"];
const STAFF_ON_ROLL: &[&str] = &["在编人员数"];
const OTHER_STAFF: &[&str] = &["其他人员数"];
const DUTIES: &[&str] = &["部门职责"];
const STRATEGIC_GOAL: &[&str] = &["部门战略目标"];
const BY_SOURCE: &[&str] = &["按资金来源划分"];
const BY_USE: &[&str] = &["按资金方向划分"];
const TOTAL: &[&str] = &["合计"];
const GENERAL: &[&str] = &["一般公共预算资金"];
const GOV_FUND: &[&str] = &["政府性基金预算资金"];
const STATE_CAPITAL: &[&str] = &["国有资本经营预算资金"];
const SOCIAL_INSURANCE: &[&str] = &["社会保险基金预算资金"];
const SPECIAL: &[&str] = &["专户管理资金", "财政专户管理资金"];
const UNIT_FUNDS: &[&str] = &["单位资金"];
const BASIC: &[&str] = &["基本支出"];
const PROJECT: &[&str] = &["项目支出"];
const CORE_FUNCTION: &[&str] = &["核心职能"];
const KEY_TASK: &[&str] = &["重点任务"];
const ANNUAL_PERF_GOAL: &[&str] = &["年度绩效目标"];

const PROJECT_NAME: &[&str] = &["项目名称"];
const AUTHORITY: &[&str] = &["主管部门及代码", "主管部门"];
const IMPLEMENTING_UNIT: &[&str] = &["实施单位"];
const ATTRIBUTE: &[&str] = &["项目属性"];
const PERIOD: &[&str] = &["项目期"];
const PERIOD_TOTAL: &[&str] = &["实施期资金总额", "实际资金总额", "实施期资金"];
const ANNUAL_TOTAL: &[&str] = &["年度资金总额", "年度资金"];
const CENTRAL: &[&str] = &["中央财政资金"];
const PROVINCIAL: &[&str] = &["省级财政资金"];
const LOCAL: &[&str] = &[
    "市县(区)财政资金",
    "市、县(区)财政资金",
    "市县(区)财政资",
    "市县财政资金",
];
const SELF_RAISED: &[&str] = &["单位自筹", "单位自筹资金"];
const OTHER: &[&str] = &["其他资金"];
const OVERVIEW: &[&str] = &["项目概况"];
const BASIS: &[&str] = &["立项依据"];
const NECESSITY: &[&str] = &["项目设立必要性"];
const SAFEGUARDS: &[&str] = &["保证项目实施的制度、措施", "保证项目实施的制度措施"];
const PLAN: &[&str] = &["项目实施计划"];
const PERIOD_GOAL: &[&str] = &["实施期目标"];
const ANNUAL_GOAL: &[&str] = &["年度目标"];
const RESPONSIBLE: &[&str] = &["负责人"];
const HANDLER: &[&str] = &["经办人"];
const PHONE: &[&str] = &["联系电话"];
const FILED_ON: &[&str] = &["填报日期"];

const LEVEL1: &str = "一级指标";
const LEVEL2: &str = "二级指标";
const LEVEL3: &str = "三级指标";
const VALUE: &str = "指标值";

/// Every label of either form: a value is never one of these.
const LABELS: &[&[&str]] = &[
    DEPARTMENT_NAME,
    INTERNAL_DIVISIONS,
    BUDGET_UNITS,
    AUTHORIZED_STAFF,
    ACTUAL_STAFF,
    STAFF_ON_ROLL,
    OTHER_STAFF,
    DUTIES,
    STRATEGIC_GOAL,
    BY_SOURCE,
    BY_USE,
    TOTAL,
    GENERAL,
    GOV_FUND,
    STATE_CAPITAL,
    SOCIAL_INSURANCE,
    SPECIAL,
    UNIT_FUNDS,
    BASIC,
    PROJECT,
    CORE_FUNCTION,
    KEY_TASK,
    ANNUAL_PERF_GOAL,
    PROJECT_NAME,
    AUTHORITY,
    IMPLEMENTING_UNIT,
    ATTRIBUTE,
    PERIOD,
    PERIOD_TOTAL,
    ANNUAL_TOTAL,
    CENTRAL,
    PROVINCIAL,
    LOCAL,
    SELF_RAISED,
    OTHER,
    OVERVIEW,
    BASIS,
    NECESSITY,
    SAFEGUARDS,
    PLAN,
    PERIOD_GOAL,
    ANNUAL_GOAL,
    RESPONSIBLE,
    HANDLER,
    PHONE,
    FILED_ON,
    &[
        "部门基本信息",
        "年度预算情况",
        "年度重点任务",
        "年度绩效指标",
        "资金总额",
        "项目资金",
        "总体目标",
        "绩效指标",
        LEVEL1,
        LEVEL2,
        LEVEL3,
        VALUE,
    ],
];

/// Reads every performance form in `sheets` (hidden sheets skipped).
/// Workbooks without forms give an empty [`Performance`]. Problems (a fund
/// amount that is not a number, a form without its indicator header …)
/// become findings.
pub fn read_performance(sheets: &[Sheet], findings: &mut Vec<Finding>) -> Performance {
    let labels: Vec<&str> = LABELS.iter().flat_map(|l| l.iter().copied()).collect();
    let mut perf = Performance::default();
    for (kind, form) in locate_forms(sheets, &labels) {
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
            Kind::Department => perf.department = Some(department_form(&form, findings)),
            // A spare form of a fill-in workbook, left blank.
            Kind::Project if is_blank(&form) => {}
            Kind::Project => perf.projects.push(project_form(&form, findings)),
        }
    }
    perf
}

/// The forms of all visible sheets, in sheet order then top to bottom; each
/// runs from its title to the row before the next title on its sheet.
fn locate_forms<'a>(sheets: &'a [Sheet], labels: &'a [&'a str]) -> Vec<(Kind, Form<'a>)> {
    let mut out = Vec::new();
    for sheet in sheets.iter().filter(|s| !s.hidden) {
        let mut titles: Vec<(u32, Kind)> = Vec::new();
        for ((r, _), cell) in sheet.cells() {
            if cell.numeric || titles.last().is_some_and(|(tr, _)| *tr == r) {
                continue;
            }
            if let Some(kind) = form_kind(&cell.text) {
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
fn is_blank(form: &Form<'_>) -> bool {
    let Some((first, _)) = form.find(PROJECT_NAME) else {
        return false;
    };
    form.cell_rows()
        .into_iter()
        .filter(|r| *r >= first)
        .all(|r| {
            form.sheet.row(r).all(|(_, cell)| {
                let key = form_label_key(&cell.text);
                key.is_empty() || form.labels.contains(&key.as_str())
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
    /// The amount right of the first label among `aliases` within `cols`.
    fn get(&mut self, aliases: &[&str], cols: Range<u32>) -> Option<Amount> {
        let label = self.form.find_in(aliases, cols)?;
        let at = self.form.value_right(label)?;
        let text = self.form.own_text(at);
        let prov = self.form.provenance(at)?;
        match parse_amount(&text) {
            Ok(v) => v.map(|v| Amount::read(v, prov)),
            Err(_) => {
                let name = aliases.first().copied().unwrap_or_default();
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

fn department_form(form: &Form<'_>, findings: &mut Vec<Finding>) -> DepartmentForm {
    let text = |aliases: &[&str]| form.text_of(aliases);
    let split = form
        .find(BY_USE)
        .or_else(|| form.find(BASIC))
        .map(|(_, c)| c);
    let (left, right) = halves(split);
    let mut a = Amounts {
        form,
        what: "整体支出绩效目标申报表".to_string(),
        findings,
    };
    let funds_by_source = FormFunds {
        total: a.get(TOTAL, left.clone()),
        general: a.get(GENERAL, left.clone()),
        gov_fund: a.get(GOV_FUND, left.clone()),
        state_capital: a.get(STATE_CAPITAL, left.clone()),
        social_insurance: a.get(SOCIAL_INSURANCE, left.clone()),
        special: a.get(SPECIAL, left.clone()),
        unit: a.get(UNIT_FUNDS, left),
    };
    let funds_by_use = FundsByUse {
        total: a.get(TOTAL, right.clone()),
        basic: a.get(BASIC, right.clone()),
        project: a.get(PROJECT, right),
    };
    let indicators = indicator_halves(form, "整体支出绩效目标申报表", findings)
        .into_iter()
        .next()
        .unwrap_or_default();
    DepartmentForm {
        year: form.year(),
        department: text(DEPARTMENT_NAME),
        internal_divisions: text(INTERNAL_DIVISIONS),
        budget_units: text(BUDGET_UNITS),
        authorized_staff: text(AUTHORIZED_STAFF),
        actual_staff: text(ACTUAL_STAFF),
        staff_on_roll: text(STAFF_ON_ROLL),
        other_staff: text(OTHER_STAFF),
        duties: text(DUTIES),
        strategic_goal: text(STRATEGIC_GOAL),
        funds_by_source,
        funds_by_use,
        key_tasks: key_tasks(form),
        annual_goal: text(ANNUAL_PERF_GOAL),
        indicators,
    }
}

/// 年度重点任务: the rows under 核心职能/重点任务 up to 年度绩效目标 (or the
/// indicator header), one task per row with either cell filled.
fn key_tasks(form: &Form<'_>) -> Vec<KeyTask> {
    let (Some(f), Some(t)) = (form.find(CORE_FUNCTION), form.find(KEY_TASK)) else {
        return Vec::new();
    };
    let first = form.below(f).0.max(form.below(t).0);
    let end = [form.find(ANNUAL_PERF_GOAL), form.find(&[LEVEL1])]
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
            function: form.own_text((r, f.1)),
            task: form.own_text((r, t.1)),
        })
        .filter(|k| !k.function.is_empty() || !k.task.is_empty())
        .collect()
}

fn project_form(form: &Form<'_>, findings: &mut Vec<Finding>) -> ProjectForm {
    let text = |aliases: &[&str]| form.text_of(aliases);
    let name_at = form.find(PROJECT_NAME).and_then(|p| form.value_right(p));
    let name = name_at.map(|p| form.own_text(p)).unwrap_or_default();
    let title = form.reference((form.title_row, 0));
    if name.is_empty() {
        findings.push(Finding::warning(
            "READ-FORM",
            format!("{title}：项目支出绩效目标表没有填写“项目名称”"),
            vec![title.clone()],
        ));
    }
    let what = format!("项目支出绩效目标表（{name}）");
    let split = form.find(ANNUAL_TOTAL).map(|(_, c)| c);
    let (left, right) = halves(split);
    let mut a = Amounts {
        form,
        what: what.clone(),
        findings,
    };
    let mut funds = |total: &[&str], cols: Range<u32>| ProjectFunds {
        total: a.get(total, 0..u32::MAX),
        central: a.get(CENTRAL, cols.clone()),
        provincial: a.get(PROVINCIAL, cols.clone()),
        local: a.get(LOCAL, cols.clone()),
        self_raised: a.get(SELF_RAISED, cols.clone()),
        other: a.get(OTHER, cols),
    };
    let period_funds = funds(PERIOD_TOTAL, left);
    let annual_funds = funds(ANNUAL_TOTAL, right);
    let goal = |aliases: &[&str]| {
        form.find(aliases)
            .map(|p| form.own_text(form.below(p)))
            .unwrap_or_default()
    };
    let mut halves = indicator_halves(form, &what, findings).into_iter();
    ProjectForm {
        year: form.year(),
        name,
        name_at: name_at.and_then(|p| form.provenance(p)),
        authority: text(AUTHORITY),
        implementing_unit: text(IMPLEMENTING_UNIT),
        attribute: text(ATTRIBUTE),
        period: text(PERIOD),
        period_funds,
        annual_funds,
        overview: text(OVERVIEW),
        basis: text(BASIS),
        necessity: text(NECESSITY),
        safeguards: text(SAFEGUARDS),
        plan: text(PLAN),
        period_goal: goal(PERIOD_GOAL),
        annual_goal: goal(ANNUAL_GOAL),
        period_indicators: halves.next().unwrap_or_default(),
        annual_indicators: halves.next().unwrap_or_default(),
        responsible: text(RESPONSIBLE),
        handler: text(HANDLER),
        phone: text(PHONE),
        filed_on: text(FILED_ON),
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
fn header_halves(form: &Form<'_>, row: u32) -> Vec<Half> {
    let mut out: Vec<Half> = Vec::new();
    let mut level1 = None;
    for (c, cell) in form.sheet.row(row) {
        match form_label_key(&cell.text).as_str() {
            LEVEL1 => level1 = Some(c),
            LEVEL2 => out.push(Half {
                level1,
                level2: c,
                level3: None,
                value: None,
            }),
            LEVEL3 => {
                if let Some(h) = out.last_mut() {
                    h.level3 = Some(c);
                }
            }
            VALUE => {
                if let Some(h) = out.last_mut() {
                    h.value = Some(c);
                }
            }
            _ => {}
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
    what: &str,
    findings: &mut Vec<Finding>,
) -> Vec<Vec<Indicator>> {
    let Some(head) = form.find(&[LEVEL2]) else {
        let title = form.reference((form.title_row, 0));
        findings.push(Finding::warning(
            "READ-FORM",
            format!("{title}：{what}没有“一级指标/二级指标/三级指标/指标值”表头，未读取绩效指标"),
            vec![title.clone()],
        ));
        return Vec::new();
    };
    let halves = header_halves(form, head.0);
    let first = halves
        .iter()
        .flat_map(|h| [h.level1, Some(h.level2), h.level3, h.value])
        .flatten()
        .map(|c| form.below((head.0, c)).0)
        .max()
        .unwrap_or(head.0 + 1);
    let end = form
        .find(RESPONSIBLE)
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
    let (mut level1, mut level2) = (String::new(), String::new());
    let mut out = Vec::new();
    for &r in rows {
        let l1 = h
            .level1
            .map(|c| form.filled_text((r, c)))
            .unwrap_or_default();
        if !l1.is_empty() && l1 != level1 {
            level1 = l1;
            level2.clear();
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
            level1: level1.clone(),
            level2: level2.clone(),
            level3,
            value: IndicatorValue::parse(&value),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_match_with_either_bracket_width() {
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
