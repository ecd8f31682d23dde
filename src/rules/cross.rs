//! Cross-table rules between single figures: 表5 ↔ 表6/表12, 表3 ↔
//! 表12/13, 表6 ↔ 表10/表11, and the fund tables 7/8/9/13 ↔ 表1/表4.

use super::context::{is_total, Context, Role, RowWhat, Tab, Val};
use super::sink::Sink;
use crate::kinds::IncomeColumns;
use crate::kinds::SummaryRow;
use crate::model::label_key;
use crate::read::FiledRow;
use crate::spec::{ColumnKey, FooterIncome, Fund, Source};

/// The 合计 row of 表11.
fn operating_total<'a>(tab: &Tab<'a>) -> Option<&'a FiledRow> {
    let total_key = label_key(tab.spec.total_label.as_deref().unwrap_or("合计"));
    tab.rows().iter().find(|r| {
        let k = r.key(tab.spec, ColumnKey::Unit);
        k == total_key || is_total(&k)
    })
}

/// The name of 表11's 合计 row (合计 when there is none).
fn operating_what<'v>(tab: &Tab<'v>, total: Option<&'v FiledRow>) -> RowWhat<'v> {
    total.map_or(RowWhat::from("合计"), |r| {
        RowWhat::cell(tab, r, ColumnKey::Unit)
    })
}

/// The department row of 表12/表13 under a column (no row → blank).
fn department_val<'c>(ctx: &'c Context<'_>, role: Role, key: ColumnKey) -> Option<Val<'c>> {
    let tab = ctx.tab(role)?;
    let department = ctx.projects(&tab).department;
    let what = department.map_or(RowWhat::from("部门"), |r| {
        RowWhat::cell(&tab, r, ColumnKey::Name)
    });
    tab.has(key).then(|| tab.val_opt(department, key, what))
}

/// XT-BASIC-T5-T6: 表5 合计 基本支出 = 表6 合计.
pub fn basic_is_economic_total(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let (Some(t5), Some(t6)) = (ctx.tab(Role::General), ctx.tab(Role::Economic)) else {
        return;
    };
    let total5 = ctx.funcs(&t5).total;
    let total6 = ctx.economic(&t6).total;
    sink.copy(
        &t5.val_opt(total5, ColumnKey::Basic, "合计"),
        &t6.val_opt(total6, ColumnKey::Total, "合计"),
    );
}

/// XT-PROJECT-T5-T12: 表5 合计 项目支出 = 表12's general-budget total.
pub fn project_is_t12_general(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let Some(t5) = ctx.tab(Role::General) else {
        return;
    };
    let Some(t12) = department_val(ctx, Role::Projects, ColumnKey::SrcGeneral) else {
        return;
    };
    let total5 = ctx.funcs(&t5).total;
    sink.copy(&t5.val_opt(total5, ColumnKey::Project, "合计"), &t12);
}

/// XT-PROJECT-T3-T12: 表3 合计 项目支出 = 表12 合计 + 表13 合计 (at least
/// that much when 表1 shows carry-over outside fiscal funds, which 表13
/// does not list).
pub fn project_is_t12_plus_t13(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let Some(t3) = ctx.tab(Role::Spending) else {
        return;
    };
    let Some(t12) = department_val(ctx, Role::Projects, ColumnKey::Total) else {
        return;
    };
    let mut parts = vec![t12];
    parts.extend(department_val(
        ctx,
        Role::CarryoverProjects,
        ColumnKey::Total,
    ));
    let project = t3.val_opt(ctx.funcs(&t3).total, ColumnKey::Project, "合计");
    let other_carryover = match (ctx.tab(Role::Summary), ctx.tab(Role::Fiscal)) {
        (Some(t1), Some(t4)) => {
            let (f1, f4) = (ctx.fixed(&t1), ctx.fixed(&t4));
            let all = t1
                .val_opt(
                    f1.inc(FooterIncome::Carryover),
                    ColumnKey::InAmount,
                    "上年结转",
                )
                .num
                .value();
            let fiscal = t4
                .val_opt(
                    f4.inc(FooterIncome::Carryover),
                    ColumnKey::InAmount,
                    "上年财政拨款结转",
                )
                .num
                .value();
            all > fiscal
        }
        _ => false,
    };
    if other_carryover {
        sink.at_most(&parts, &project, "表12 合计与表13 合计之和");
    } else {
        sink.sum(&project, &parts, "表12 合计与表13 合计");
    }
}

/// 机关运行经费: 表11's 合计 (its general-budget column when `general`
/// and it has one), or the "三公" table's 机关运行经费 column (sh-2026
/// has no 表11).
fn operating_costs<'c>(ctx: &'c Context<'_>, general: bool) -> Option<Val<'c>> {
    let Some(t11) = ctx.tab(Role::Operating) else {
        let t10 = ctx.tab(Role::ThreePublic)?;
        return three_public_item(ctx, &t10, ColumnKey::Operating);
    };
    let total11 = operating_total(&t11);
    let key = if general && t11.has(ColumnKey::SrcGeneral) {
        ColumnKey::SrcGeneral
    } else {
        ColumnKey::Total
    };
    Some(t11.val_opt(total11, key, operating_what(&t11, total11)))
}

/// A "三公" item (`reception`, `vehicle_operation`, `operating`): the
/// general-budget amount of 表10's row of that key, or the item's column
/// in a one-row table (of the table's fund).
fn three_public_item<'c>(ctx: &'c Context<'_>, t10: &Tab<'c>, key: ColumnKey) -> Option<Val<'c>> {
    if t10.spec.fixed_rows.is_empty() {
        return t10
            .has(key)
            .then(|| t10.val_opt(t10.rows().first(), key, ""));
    }
    let item = key.item()?;
    let (_, label, row) = ctx.keyed(t10).iter().find(|(k, ..)| *k == item)?;
    let col = if t10.has(ColumnKey::SrcGeneral) {
        ColumnKey::SrcGeneral
    } else {
        ColumnKey::Total
    };
    Some(t10.val_opt(*row, col, label))
}

/// XT-PUBLIC-T6-T11: 表6 公用经费 = 机关运行经费 (equal when every unit is
/// an administrative unit or 参公 institution).
pub fn public_is_operating(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let (Some(t6), Some(op)) = (ctx.tab(Role::Economic), operating_costs(ctx, false)) else {
        return;
    };
    sink.copy(
        &t6.val_opt(ctx.economic(&t6).total, ColumnKey::Public, "合计"),
        &op,
    );
}

/// XT-OPCOST-T6-T11: the general-budget 机关运行经费 does not exceed 表6
/// 公用经费.
pub fn operating_within_public(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let (Some(t6), Some(op)) = (ctx.tab(Role::Economic), operating_costs(ctx, true)) else {
        return;
    };
    sink.at_most(
        std::slice::from_ref(&op),
        &t6.val_opt(ctx.economic(&t6).total, ColumnKey::Public, "合计"),
        &op.what,
    );
}

/// Checks 表6's rows named `name` (basic spending only) against the "三公"
/// item `key` (which also covers project spending): at most that much.
fn economic_within_three_public(
    ctx: &Context<'_>,
    sink: &mut Sink<'_>,
    name: &str,
    key: ColumnKey,
) {
    let (Some(t6), Some(t10)) = (ctx.tab(Role::Economic), ctx.tab(Role::ThreePublic)) else {
        return;
    };
    let parts: Vec<Val> = t6
        .rows()
        .iter()
        .filter(|r| r.key(t6.spec, ColumnKey::Name) == name)
        .map(|r| t6.val(r, ColumnKey::Total, RowWhat::economic(&t6, r)))
        .collect();
    if parts.is_empty() {
        return;
    }
    let Some(item) = three_public_item(ctx, &t10, key) else {
        return;
    };
    sink.at_most(&parts, &item, format!("表6 {name}"));
}

/// XT-VEHICLE-T6-T10: 表6 公务用车运行维护费 ≤ 表10 公务用车运行维护费
/// (表10 also covers project spending).
pub fn vehicle_within_three_public(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    economic_within_three_public(ctx, sink, "公务用车运行维护费", ColumnKey::VehicleOperation);
}

/// XT-RECEPTION-T6-T10: 表6 公务接待费 ≤ 表10 公务接待费 (表10 also covers
/// project spending).
pub fn reception_within_three_public(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    economic_within_three_public(ctx, sink, "公务接待费", ColumnKey::Reception);
}

/// A summary table's income row (`in.amount`) by key.
fn summary_income<'c>(
    ctx: &'c Context<'_>,
    role: Role,
    key: impl Into<SummaryRow>,
) -> Option<Val<'c>> {
    let key = key.into();
    let tab = ctx.tab(role)?;
    let f = ctx.fixed(&tab);
    f.inc(key)?;
    Some(tab.val_opt(f.inc(key), ColumnKey::InAmount, f.inc_label(key)))
}

/// 表4's spending of the year (本年支出合计, or 支出总计 without that row)
/// under a column.
fn fiscal_spending<'c>(ctx: &'c Context<'_>, col: ColumnKey) -> Option<Val<'c>> {
    let tab = ctx.tab(Role::Fiscal)?;
    let key = crate::kinds::spending_total_key(tab.spec);
    let f = ctx.fixed(&tab);
    (f.out(key).is_some() && tab.has(col)).then(|| tab.val_opt(f.out(key), col, f.out_label(key)))
}

/// The 合计 row of an income-lines table under a column.
fn income_lines_total<'c>(
    ctx: &'c Context<'_>,
    role: Role,
    cols: IncomeColumns,
) -> Option<Val<'c>> {
    let tab = ctx.tab(role)?;
    if !tab.has(cols.amount) {
        return None;
    }
    let row = tab
        .rows()
        .iter()
        .find(|r| is_total(&r.key(tab.spec, cols.code)));
    Some(tab.val_opt(row, cols.amount, "合计"))
}

/// XT-GOVFUND-T1-T7: 表7 合计 = 表1 政府性基金预算 income.
pub fn fund_income_is_t1(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    if let (Some(t1), Some(t7)) = (
        summary_income(ctx, Role::Summary, Source::GovFund),
        income_lines_total(ctx, Role::FundIncome, IncomeColumns::OWN),
    ) {
        sink.copy(&t1, &t7);
    }
}

/// XT-GOVFUND-T4-T8: 表8 合计 = 表4 本年支出合计 (支出总计) 政府性基金预算.
pub fn fund_spending_is_t4(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let Some(t8) = ctx.tab(Role::FundSpending) else {
        return;
    };
    if let Some(t4) = fiscal_spending(ctx, ColumnKey::OutGovFund) {
        sink.copy(
            &t4,
            &t8.val_opt(ctx.funcs(&t8).total, ColumnKey::Total, "合计"),
        );
    }
}

/// XT-CAPITAL-T1-T9: 表9 income 合计 = 表1 国有资本经营预算; 表9 spending
/// 合计 = 表4 本年支出合计 国有资本经营预算.
pub fn capital_is_t1_t4(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    if let (Some(t1), Some(t9)) = (
        summary_income(ctx, Role::Summary, Source::StateCapital),
        income_lines_total(ctx, Role::Capital, IncomeColumns::BESIDE_LINES),
    ) {
        sink.copy(&t1, &t9);
    }
    let Some(t9) = ctx.tab(Role::Capital) else {
        return;
    };
    if let Some(t4) = fiscal_spending(ctx, ColumnKey::OutStateCapital) {
        if t9.has(ColumnKey::Total) {
            sink.copy(
                &t4,
                &t9.val_opt(ctx.funcs(&t9).total, ColumnKey::Total, "合计"),
            );
        }
    }
}

/// XT-CARRYOVER-T4-T13: 表13's projects by fund do not exceed 表4's
/// 上年财政拨款结转 of that fund (none when there is none).
pub fn carryover_projects_within_t4(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    if ctx.tab(Role::CarryoverProjects).is_none() {
        return;
    }
    for fund in Fund::ALL {
        let (Some(carried), Some(projects)) = (
            summary_income(ctx, Role::Fiscal, FooterIncome::carryover_of(*fund)),
            department_val(
                ctx,
                Role::CarryoverProjects,
                ColumnKey::of_source(fund.source()),
            ),
        ) else {
            continue;
        };
        sink.at_most(std::slice::from_ref(&projects), &carried, &projects.what);
    }
    if let (Some(carried), Some(projects)) = (
        summary_income(ctx, Role::Fiscal, FooterIncome::Carryover),
        department_val(ctx, Role::CarryoverProjects, ColumnKey::Total),
    ) {
        sink.at_most(std::slice::from_ref(&projects), &carried, &projects.what);
    }
}
