//! Rules over the performance-target forms (绩效目标表), checked on the
//! model: each project form against its 表12 project (name and 年度资金
//! 总额), the department form against 表1 and 表3, and each form's own
//! totals.

use super::context::{Context, Role, RowWhat, Tab, Val, What};
use super::rounding::Num;
use super::sink::Sink;
use crate::model::{label_key, Amount, ProjectForm, Provenance};
use crate::read::FiledRow;
use crate::spec::ColumnKey;
use std::collections::{HashMap, VecDeque};

/// A value of a form, from the model.
fn form_val<'v>(amount: Option<&'v Amount>, what: What<'v>) -> Val<'v> {
    Val {
        num: amount.map_or(Num::Blank, |a| Num::Value(a.value)),
        cell: amount
            .and_then(|a| a.at.as_ref())
            .map(Provenance::reference),
        what,
    }
}

/// `项目绩效目标表“name” field`: a field of a project form.
fn form_what<'v>(form: &'v ProjectForm, field: &[&'v str]) -> What<'v> {
    let mut pieces = vec!["项目绩效目标表“", form.name.as_str(), "” "];
    pieces.extend_from_slice(field);
    What::Pieces(pieces)
}

/// The department form's heading of funds by source.
const BY_SOURCE: &str = "整体支出绩效目标表 按资金来源 ";

/// The department form's heading of funds by use.
const BY_USE: &str = "整体支出绩效目标表 按资金方向 ";

/// `heading field`: a field of the department form.
fn department_what<'v>(heading: &'v str, field: &'v str) -> What<'v> {
    What::Pieces(vec![heading, field])
}

/// Share of the characters of the longer name found in the other.
fn similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (label_key(a), label_key(b));
    let mut rest: Vec<char> = b.chars().collect();
    let mut common = 0usize;
    for c in a.chars() {
        if let Some(i) = rest.iter().position(|x| *x == c) {
            rest.swap_remove(i);
            common += 1;
        }
    }
    let longest = a.chars().count().max(b.chars().count()).max(1);
    common as f64 / longest as f64
}

/// Names closer than this are taken as the same project misspelt.
const SIMILAR: f64 = 0.5;

/// How a form was matched to a 表12 project.
enum Match<'a> {
    /// Same name.
    Exact(&'a FiledRow),
    /// Different name, paired by amount or a similar name.
    Close(&'a FiledRow),
    /// No project.
    None,
}

/// Pairs each project form with a 表12 project row: same name first, then
/// among the rest the only one with the same amount, else the most similar
/// name. Returns the pairing and the projects left without a form.
fn pair<'a>(ctx: &Context<'a>, t12: &Tab<'_>) -> (Vec<Match<'a>>, Vec<&'a FiledRow>) {
    let forms = &ctx.budget.performance.projects;
    let rows: Vec<&FiledRow> = ctx.projects(t12).projects();
    // Exact names first, each form taking the first free row of its name
    // (a map of row queues keeps this linear for thousands of projects).
    let mut by_name: HashMap<String, VecDeque<usize>> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        by_name
            .entry(r.key(t12.spec, ColumnKey::Name))
            .or_default()
            .push_back(i);
    }
    let mut taken = vec![false; rows.len()];
    let mut out: Vec<Match<'a>> = Vec::with_capacity(forms.len());
    for form in forms {
        let hit = by_name
            .get_mut(&label_key(&form.name))
            .and_then(VecDeque::pop_front)
            .and_then(|i| Some((i, *rows.get(i)?)));
        match hit {
            Some((i, row)) => {
                if let Some(t) = taken.get_mut(i) {
                    *t = true;
                }
                out.push(Match::Exact(row));
            }
            None => out.push(Match::None),
        }
    }
    let mut free: Vec<&FiledRow> = rows
        .iter()
        .zip(&taken)
        .filter(|(_, t)| !**t)
        .map(|(r, _)| *r)
        .collect();
    for (form, m) in forms.iter().zip(out.iter_mut()) {
        if !matches!(m, Match::None) {
            continue;
        }
        let amount = form
            .annual_funds
            .total
            .as_ref()
            .map(|a| Num::Value(a.value));
        let same_amount: Vec<usize> = free
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                amount.is_some_and(|a| t12.num(r, ColumnKey::Total).value() == a.value())
            })
            .map(|(i, _)| i)
            .collect();
        let pick = match same_amount.as_slice() {
            [i] => Some(*i),
            _ => free
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    (
                        i,
                        similarity(&form.name, &r.text(t12.spec, ColumnKey::Name)),
                    )
                })
                .filter(|(_, s)| *s >= SIMILAR)
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .map(|(i, _)| i),
        };
        if let Some(i) = pick {
            *m = Match::Close(free.remove(i));
        }
    }
    (out, free)
}

/// PF-NAME-T12: each project form names a project of 表12 exactly.
pub fn form_names_match_t12(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let Some(t12) = ctx.tab(Role::Projects) else {
        return;
    };
    let (matches, _) = pair(ctx, &t12);
    for (form, m) in ctx.budget.performance.projects.iter().zip(matches) {
        let form_cell = form.name_at.as_ref().map(Provenance::reference);
        match m {
            Match::Exact(_) => {}
            Match::Close(row) => {
                let name = row.text(t12.spec, ColumnKey::Name);
                sink.report(
                    format!(
                        "项目绩效目标表的项目名称“{}”与 表12 的项目名称“{}”不一致（按金额或相近名称对应），请统一名称",
                        form.name, name
                    ),
                    form_cell
                        .into_iter()
                        .chain(t12.reference(row, ColumnKey::Name))
                        .collect(),
                    Some((name, form.name.clone())),
                );
            }
            Match::None => sink.report(
                format!(
                    "项目绩效目标表的项目“{}”在 表12 中找不到对应项目",
                    form.name
                ),
                form_cell.into_iter().collect(),
                Some(("表12 中的项目名称".into(), form.name.clone())),
            ),
        }
    }
}

/// PF-AMOUNT-T12: each project form's 年度资金总额 = the project's 合计 in
/// 表12.
pub fn form_amounts_match_t12(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let Some(t12) = ctx.tab(Role::Projects) else {
        return;
    };
    let (matches, _) = pair(ctx, &t12);
    for (form, m) in ctx.budget.performance.projects.iter().zip(matches) {
        let (Match::Exact(row) | Match::Close(row)) = m else {
            continue;
        };
        sink.copy(
            &t12.val(
                row,
                ColumnKey::Total,
                RowWhat::cell(&t12, row, ColumnKey::Name),
            ),
            &form_val(
                form.annual_funds.total.as_ref(),
                form_what(form, &["年度资金总额"]),
            ),
        );
    }
}

/// PF-MISSING: a template that requires the forms gets the department
/// form and one project form per 表12 project (a template that does not
/// require them: every 表12 project has one once project forms are filed).
/// A 汇总 of several departments carries no forms and is not checked.
pub fn every_project_has_a_form(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    if crate::consolidate::consolidated_count(&ctx.budget.department).is_some() {
        return;
    }
    let perf = &ctx.budget.performance;
    if ctx.forms_required && perf.department.is_none() {
        sink.report(
            "没有找到整体支出绩效目标申报表（本模板要求随预算公开表报送），请补充".to_string(),
            Vec::new(),
            Some(("整体支出绩效目标申报表".into(), "未找到".into())),
        );
    }
    if !ctx.forms_required && perf.projects.is_empty() {
        return;
    }
    let Some(t12) = ctx.tab(Role::Projects) else {
        return;
    };
    let (_, without) = pair(ctx, &t12);
    for row in without {
        let name = row.text(t12.spec, ColumnKey::Name);
        sink.report(
            format!("表12 项目“{name}”没有项目支出绩效目标表，请补充（可复制一张项目绩效目标表工作表填写）"),
            t12.reference(row, ColumnKey::Name).into_iter().collect(),
            Some(("项目支出绩效目标表".into(), "未找到".into())),
        );
    }
}

/// PF-DEPT-T1: the department form's funds by source are 表1's income:
/// 合计 = 本年收入合计, each source = its row.
pub fn department_form_sources(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let Some(form) = &ctx.budget.performance.department else {
        return;
    };
    let Some(t1) = ctx.tab(Role::Summary) else {
        return;
    };
    let f = ctx.fixed(&t1);
    let s = &form.funds_by_source;
    let pairs = [
        ("income_total", s.total.as_ref(), "合计"),
        ("general", s.general.as_ref(), "一般公共预算资金"),
        ("gov_fund", s.gov_fund.as_ref(), "政府性基金预算资金"),
        (
            "state_capital",
            s.state_capital.as_ref(),
            "国有资本经营预算资金",
        ),
        ("special", s.special.as_ref(), "专户管理资金"),
        ("unit", s.unit.as_ref(), "单位资金"),
    ];
    for (key, amount, field) in pairs {
        if f.inc(key).is_none() {
            continue;
        }
        sink.copy(
            &t1.val_opt(f.inc(key), ColumnKey::InAmount, f.inc_label(key)),
            &form_val(amount, department_what(BY_SOURCE, field)),
        );
    }
}

/// PF-DEPT-T3: the department form's funds by use are 表3's 合计 row.
pub fn department_form_uses(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let Some(form) = &ctx.budget.performance.department else {
        return;
    };
    let Some(t3) = ctx.tab(Role::Spending) else {
        return;
    };
    let total = ctx.funcs(&t3).total;
    let u = &form.funds_by_use;
    for (key, amount, field) in [
        (ColumnKey::Total, u.total.as_ref(), "合计"),
        (ColumnKey::Basic, u.basic.as_ref(), "基本支出"),
        (ColumnKey::Project, u.project.as_ref(), "项目支出"),
    ] {
        sink.copy(
            &t3.val_opt(total, key, "合计"),
            &form_val(amount, department_what(BY_USE, field)),
        );
    }
}

/// PF-FORM-SUM: each form's stated totals equal their parts (department
/// form: both 合计; project forms: 年度资金总额).
pub fn form_totals(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    if let Some(form) = &ctx.budget.performance.department {
        let s = &form.funds_by_source;
        let w = |f| department_what(BY_SOURCE, f);
        let parts = [
            form_val(s.general.as_ref(), w("一般公共预算资金")),
            form_val(s.gov_fund.as_ref(), w("政府性基金预算资金")),
            form_val(s.state_capital.as_ref(), w("国有资本经营预算资金")),
            form_val(s.social_insurance.as_ref(), w("社会保险基金预算资金")),
            form_val(s.special.as_ref(), w("专户管理资金")),
            form_val(s.unit.as_ref(), w("单位资金")),
        ];
        sink.sum(&form_val(s.total.as_ref(), w("合计")), &parts, "各资金来源");
        let u = &form.funds_by_use;
        let w = |f| department_what(BY_USE, f);
        let parts = [
            form_val(u.basic.as_ref(), w("基本支出")),
            form_val(u.project.as_ref(), w("项目支出")),
        ];
        sink.sum(
            &form_val(u.total.as_ref(), w("合计")),
            &parts,
            "基本支出与项目支出",
        );
    }
    for form in &ctx.budget.performance.projects {
        funds_sum(sink, form, &form.annual_funds, "年度资金");
    }
}

/// PF-PERIOD-SUM: each project form's 实施期资金总额 equals its parts.
pub fn period_totals(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    for form in &ctx.budget.performance.projects {
        funds_sum(sink, form, &form.period_funds, "实施期资金");
    }
}

fn funds_sum(
    sink: &mut Sink<'_>,
    form: &ProjectForm,
    funds: &crate::model::ProjectFunds,
    label: &str,
) {
    let w = |f| form_what(form, &[label, f]);
    let parts = [
        form_val(funds.central.as_ref(), w("中央财政资金")),
        form_val(funds.provincial.as_ref(), w("省级财政资金")),
        form_val(funds.local.as_ref(), w("市县(区)财政资金")),
        form_val(funds.self_raised.as_ref(), w("单位自筹")),
        form_val(funds.other.as_ref(), w("其他资金")),
    ];
    sink.sum(
        &form_val(funds.total.as_ref(), w("总额")),
        &parts,
        "各资金来源",
    );
}

#[cfg(test)]
mod tests {
    use super::similarity;

    #[test]
    fn the_reference_typo_is_a_similar_name() {
        assert!(similarity("外高外投资服务经费", "外商外资联络服务经费") >= super::SIMILAR);
        assert!(similarity("宣传经费", "财务管理费") < super::SIMILAR);
    }
}
