//! In-table rules of the tables that are not function lists or summaries:
//! 表6 economic classes, 表10 “三公”, 表11 operating costs, 表12/13
//! projects, 表7/表9 income lines, and the 注：本表无数据 of empty tables.

use super::context::{economic_what, has_data, is_total, Context, Role, RowWhat, Tab, Val};
use super::rounding::Num;
use super::sink::Sink;
use crate::model::label_key;
use crate::read::{a1, FiledRow};
use rust_decimal::Decimal;

/// Largest amount taken as real: 一万亿万元. Anything larger is a typing
/// or unit mistake (and could overflow sums).
pub(super) const MAX_AMOUNT: Decimal = Decimal::from_parts(3_567_587_328, 232, 0, false, 0);

/// IT-AMOUNT-NUMBER: every amount cell of every table is a number of a
/// sensible size, or blank.
pub fn amounts_are_numbers(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    for tab in ctx.tabs() {
        let keys = amount_columns(&tab);
        for row in tab.rows() {
            for key in &keys {
                let Some(cell) = row.cell(tab.spec, key) else {
                    continue;
                };
                let problem = match tab.num(row, key) {
                    Num::Invalid => "不是数字",
                    Num::Value(v) if v.abs() > MAX_AMOUNT => "大得不合理（超过一万亿万元）",
                    _ => continue,
                };
                sink.report(
                    format!(
                        "{} 单元格 {} 的金额“{}”{}，应为数字（如 12.34）或留空",
                        tab.name(),
                        cell.at.cell,
                        cell.text,
                        problem
                    ),
                    vec![cell.at.reference()],
                    Some(("数字".into(), cell.text.clone())),
                );
            }
        }
    }
}

/// 表6 amount columns.
const COSTS: [&str; 3] = ["total", "personnel", "public"];

/// IT-ECON-TOTAL: 表6 合计 = the group rows and any items filed before
/// the first group row.
pub fn economic_total(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let Some(tab) = ctx.tab(Role::Economic) else {
        return;
    };
    let rows = ctx.economic(&tab);
    let Some(total) = rows.total else { return };
    for key in tab.present(&COSTS) {
        let parts: Vec<Val> = rows
            .top_level()
            .map(|r| tab.val(r, key, RowWhat::economic(&tab, r)))
            .collect();
        sink.sum(&tab.val(total, key, "合计"), &parts, "各类经济科目");
    }
}

/// IT-ECON-GROUP: each 表6 group (工资福利支出 …) = its items.
pub fn economic_groups(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let Some(tab) = ctx.tab(Role::Economic) else {
        return;
    };
    for (group, items) in &ctx.economic(&tab).groups {
        if items.is_empty() {
            continue;
        }
        let what = economic_what(tab.spec, group);
        for key in tab.present(&COSTS) {
            let parts: Vec<Val> = items
                .iter()
                .map(|r| tab.val(r, key, RowWhat::economic(&tab, r)))
                .collect();
            sink.sum(
                &tab.val(group, key, RowWhat::economic(&tab, group)),
                &parts,
                format_args!("{what}下各科目"),
            );
        }
    }
}

/// IT-ECON-ROW: on every 表6 row, 合计 = 人员经费 + 公用经费.
pub fn economic_rows_add_up(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let Some(tab) = ctx.tab(Role::Economic) else {
        return;
    };
    if tab.present(&COSTS).len() < 3 {
        return;
    }
    for row in tab.rows() {
        let what = RowWhat::economic(&tab, row);
        let parts = [
            tab.val(row, "personnel", what.clone()),
            tab.val(row, "public", what.clone()),
        ];
        sink.sum(&tab.val(row, "total", what), &parts, "人员经费与公用经费");
    }
}

/// Columns of 表10: 合计 and the funds.
fn three_public_columns<'a>(tab: &Tab<'a>) -> Vec<&'a str> {
    let mut cols: Vec<&str> = tab.present(&["total"]);
    cols.extend(tab.columns_with("src."));
    cols
}

fn keyed_sum(
    ctx: &Context<'_>,
    sink: &mut Sink<'_>,
    total: &str,
    parts: &[&str],
    parts_what: &str,
) {
    let Some(tab) = ctx.tab(Role::ThreePublic) else {
        return;
    };
    if tab.spec.fixed_rows.is_empty() {
        // One row, the items as columns (mof-9's 表7), named by its title.
        let title = tab.spec.title_for(ctx.budget.year);
        if let Some(row) = tab.rows().first() {
            let vals: Vec<Val> = parts.iter().map(|p| tab.val(row, p, &title)).collect();
            sink.sum(&tab.val(row, total, &title), &vals, parts_what);
        }
        return;
    }
    let rows = ctx.keyed(&tab);
    let get = |key: &str| rows.iter().find(|(k, ..)| k == key);
    let Some((_, total_label, Some(total_row))) = get(total) else {
        return;
    };
    for col in three_public_columns(&tab) {
        let vals: Vec<Val> = parts
            .iter()
            .filter_map(|p| get(p))
            .map(|(_, label, row)| tab.val_opt(*row, col, label))
            .collect();
        sink.sum(&tab.val(total_row, col, total_label), &vals, parts_what);
    }
}

/// IT-3P-VEHICLE: 公务用车购置及运行费 = 购置费 + 运行维护费.
pub fn vehicle_costs(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    keyed_sum(
        ctx,
        sink,
        "vehicle",
        &["vehicle_purchase", "vehicle_operation"],
        "购置费与运行维护费",
    );
}

/// IT-3P-TOTAL: “三公”合计 = 出国 + 接待 + 车辆购置及运行.
pub fn three_public_total(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    keyed_sum(
        ctx,
        sink,
        "total",
        &["abroad", "reception", "vehicle"],
        "三项经费",
    );
}

/// IT-ROW-SOURCES: on every row, 合计 = the sources (表2 本年收入合计,
/// 表10, 表11, 表12, 表13 合计).
pub fn rows_sum_sources(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    if let Some(t2) = ctx.tab(Role::Income) {
        let rows = ctx.funcs(&t2);
        let srcs = t2.columns_with("src.");
        let all = rows.described(&t2);
        if t2.has("current") && !srcs.is_empty() {
            for (what, row) in all {
                let parts: Vec<Val> = srcs.iter().map(|k| t2.val(row, k, what.clone())).collect();
                sink.sum(&t2.val(row, "current", what), &parts, "各资金来源");
            }
        }
    }
    for (role, label) in [
        (Role::ThreePublic, "label"),
        (Role::Operating, "unit"),
        (Role::Projects, "name"),
        (Role::CarryoverProjects, "name"),
    ] {
        let Some(tab) = ctx.tab(role) else { continue };
        let srcs = tab.columns_with("src.");
        if !tab.has("total") || srcs.is_empty() {
            continue;
        }
        for row in tab.rows() {
            let what = RowWhat::cell(&tab, row, label);
            let parts: Vec<Val> = srcs.iter().map(|k| tab.val(row, k, what.clone())).collect();
            sink.sum(&tab.val(row, "total", what), &parts, "各资金来源");
        }
    }
}

/// Amount columns of a table (everything but labels).
pub(super) fn amount_columns<'a>(tab: &Tab<'a>) -> Vec<&'a str> {
    tab.spec
        .columns
        .iter()
        .map(String::as_str)
        .filter(|k| !crate::views::is_label_key(k))
        .collect()
}

/// IT-OPCOST-TOTAL: 表11 部门合计 = the units.
pub fn operating_total(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let Some(tab) = ctx.tab(Role::Operating) else {
        return;
    };
    let total_key = label_key(tab.spec.total_label.as_deref().unwrap_or("合计"));
    let is_total_row = |r: &FiledRow| {
        let k = r.key(tab.spec, "unit");
        k == total_key || is_total(&k)
    };
    let Some(total) = tab.rows().iter().find(|r| is_total_row(r)) else {
        return;
    };
    let units: Vec<&FiledRow> = tab
        .rows()
        .iter()
        .filter(|r| !is_total_row(r) && !r.key(tab.spec, "unit").is_empty())
        .collect();
    for key in amount_columns(&tab) {
        let parts: Vec<Val> = units
            .iter()
            .map(|r| tab.val(r, key, RowWhat::cell(&tab, r, "unit")))
            .collect();
        sink.sum(
            &tab.val(total, key, RowWhat::cell(&tab, total, "unit")),
            &parts,
            "各单位",
        );
    }
}

fn project_tabs<'c>(ctx: &'c Context<'_>) -> Vec<Tab<'c>> {
    [Role::Projects, Role::CarryoverProjects]
        .iter()
        .filter_map(|r| ctx.tab(*r))
        .collect()
}

/// IT-PROJ-DEPT: the department row of 表12/表13 = its units (and any
/// project listed directly under it).
pub fn projects_department(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    for tab in project_tabs(ctx) {
        let rows = ctx.projects(&tab);
        let Some(dept) = rows.department else {
            continue;
        };
        let members: Vec<&FiledRow> = rows
            .units
            .iter()
            .map(|(u, _)| *u)
            .chain(rows.loose.iter().copied())
            .collect();
        if members.is_empty() {
            continue;
        }
        for key in amount_columns(&tab) {
            let parts: Vec<Val> = members
                .iter()
                .map(|r| tab.val(r, key, RowWhat::cell(&tab, r, "name")))
                .collect();
            sink.sum(
                &tab.val(dept, key, RowWhat::cell(&tab, dept, "name")),
                &parts,
                "各单位",
            );
        }
    }
}

/// IT-PROJ-UNIT: each unit row of 表12/表13 = its projects.
pub fn projects_units(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    for tab in project_tabs(ctx) {
        for (unit, projects) in &ctx.projects(&tab).units {
            if projects.is_empty() {
                continue;
            }
            let what = unit.text(tab.spec, "name");
            for key in amount_columns(&tab) {
                let parts: Vec<Val> = projects
                    .iter()
                    .map(|r| tab.val(r, key, RowWhat::cell(&tab, r, "name")))
                    .collect();
                sink.sum(
                    &tab.val(unit, key, RowWhat::cell(&tab, unit, "name")),
                    &parts,
                    format_args!("{what}各项目"),
                );
            }
        }
    }
}

/// IT-INCOME-LINES: 合计 of 表7 and of 表9's income side = the lines.
pub fn income_lines(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    for (role, prefix) in [(Role::FundIncome, ""), (Role::Capital, "in.")] {
        let Some(tab) = ctx.tab(role) else { continue };
        let (code, amount) = (format!("{prefix}code"), format!("{prefix}amount"));
        if !tab.has(&amount) {
            continue;
        }
        let Some(total) = tab
            .rows()
            .iter()
            .find(|r| is_total(&r.key(tab.spec, &code)))
        else {
            continue;
        };
        let parts: Vec<Val> = tab
            .rows()
            .iter()
            .filter(|r| {
                let k = r.key(tab.spec, &code);
                !k.is_empty() && !is_total(&k)
            })
            .map(|r| tab.val(r, &amount, RowWhat::cell(&tab, r, &code)))
            .collect();
        sink.sum(&tab.val(total, &amount, "合计"), &parts, "各收入科目");
    }
}

/// The note written under an empty table.
const NO_DATA: &str = "本表无数据";

/// IT-EMPTY-NOTE: a table without data says 注：本表无数据; a table with
/// data does not. Not checked on the fill-in workbook, whose locked note
/// ([`FILL_IN_NOTE`](crate::views::FILL_IN_NOTE)) the department cannot
/// change and the export replaces.
pub fn empty_tables_say_so(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let fill_in = label_key(crate::views::FILL_IN_NOTE);
    let roles = [
        Role::FundIncome,
        Role::FundSpending,
        Role::Capital,
        Role::Projects,
        Role::CarryoverProjects,
    ];
    for tab in roles.iter().filter_map(|r| ctx.tab(*r)) {
        if tab.filed.note.as_deref().map(label_key) == Some(fill_in.clone()) {
            continue;
        }
        let says_empty = tab
            .filed
            .note
            .as_deref()
            .is_some_and(|n| n.contains(NO_DATA));
        let title = format!("{}!{}", tab.filed.sheet, tab.filed.title_at);
        match (has_data(&tab), says_empty) {
            (false, false) => {
                let below = tab.rows().last().map(|r| r.row + 1);
                let col = tab.filed.columns.iter().flatten().min().copied();
                let cell = match (below, col) {
                    (Some(r), Some(c)) => format!("{}!{}", tab.filed.sheet, a1(r, c)),
                    _ => title,
                };
                sink.report(
                    format!("{} 没有数据，表下应注明“注：本表无数据”", tab.name()),
                    vec![cell],
                    Some((
                        "注：本表无数据".into(),
                        tab.filed.note.clone().unwrap_or_default(),
                    )),
                );
            }
            (true, true) => sink.report(
                format!("{} 填有数据，却注明“本表无数据”", tab.name()),
                vec![title],
                Some(("无此注".into(), tab.filed.note.clone().unwrap_or_default())),
            ),
            _ => {}
        }
    }
}
