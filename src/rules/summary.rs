//! Rules over the summary tables 表1 (预算收支总表) and 表4 (财政拨款收支
//! 总表): each row's columns and the balance, and their agreement with 表2
//! and 表3. Their footers' sums are group sums the summary kind declares
//! (`kinds/summary_sums.rs`), checked by [`super::group_sums`].

use super::context::{Context, Fixed, Role, RowWhat, Tab, Val, What};
use super::rounding::Num;
use super::sink::Sink;
use crate::kinds::{
    income_cells, spending_total_key, FuncRows, IncomeCell, IncomeLineKey, SummaryEntry, SummaryRow,
};
use crate::read::FiledRow;
use crate::spec::{ColumnKey, FooterExpense, FooterIncome};

fn summaries<'c, 'a>(ctx: &'c Context<'a>) -> Vec<(Tab<'c>, &'c Fixed<'a>)> {
    [Role::Summary, Role::Fiscal]
        .iter()
        .filter_map(|r| ctx.tab(*r))
        .map(|t| {
            let f = ctx.fixed(&t);
            (t, f)
        })
        .collect()
}

/// The expense-side amount columns (`out.total` first).
fn out_columns(tab: &Tab<'_>) -> Vec<ColumnKey> {
    tab.columns_where(ColumnKey::is_expense_amount)
}

fn inc_val<'v>(tab: &Tab<'v>, f: &Fixed<'_>, key: impl Into<SummaryRow>) -> Val<'v> {
    let key = key.into();
    tab.val_opt(f.inc(key), ColumnKey::InAmount, f.inc_label(key))
}

fn out_val<'v>(
    tab: &Tab<'v>,
    f: &Fixed<'_>,
    key: impl Into<SummaryRow>,
    col: ColumnKey,
) -> Val<'v> {
    let key = key.into();
    tab.val_opt(f.out(key), col, f.out_label(key))
}

/// The value of a fixed row found already: (key, label, row).
fn row_val<'v>(tab: &Tab<'v>, (_, label, row): &'v SummaryEntry<'_>, col: ColumnKey) -> Val<'v> {
    tab.val_opt(*row, col, *label)
}

/// IT-SUMMARY-ROW: on each expense row, 合计 = its parts (表1: 当年预算
/// 安排 + 上年结转安排; 表4: the three funds).
pub fn expense_rows_add_up(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    for (tab, f) in summaries(ctx) {
        let cols = out_columns(&tab);
        // A 合计 column alone (mof-9's 表1) has no parts to add up.
        let Some((total_col, part_cols @ [_, ..])) = cols.split_first() else {
            continue;
        };
        for (key, label, row) in &f.expense {
            let Some(row) = row else { continue };
            if matches!(
                key,
                SummaryRow::ExpenseFooter(FooterExpense::YearEnd | FooterExpense::GrandTotal)
            ) {
                continue;
            }
            let parts: Vec<Val> = part_cols.iter().map(|c| tab.val(row, *c, *label)).collect();
            sink.sum(&tab.val(row, *total_col, *label), &parts, "各栏");
        }
    }
}

/// IT-SUMMARY-BALANCE: 收入总计 = 支出总计.
pub fn balance(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    for (tab, f) in summaries(ctx) {
        if f.inc(FooterIncome::GrandTotal).is_none() || f.out(FooterExpense::GrandTotal).is_none() {
            continue;
        }
        sink.copy(
            &inc_val(&tab, f, FooterIncome::GrandTotal),
            &out_val(&tab, f, FooterExpense::GrandTotal, ColumnKey::OutTotal),
        );
    }
}

/// 表2's row of an income-table line (its 合计 row or a 类 line) and how
/// messages name it.
fn income_line<'v>(
    t2: &Tab<'v>,
    r2: &'v FuncRows<'_>,
    line: &'v IncomeLineKey,
) -> (Option<&'v FiledRow>, RowWhat<'v>) {
    match line {
        IncomeLineKey::Total => (r2.total, RowWhat::from("合计")),
        IncomeLineKey::Class(code) => {
            let row = r2.line(code);
            (row, RowWhat::line(t2, code, row))
        }
    }
}

/// 表2's value of an income-table cell.
fn income_val<'v>(t2: &Tab<'v>, r2: &'v FuncRows<'_>, cell: &'v IncomeCell) -> Val<'v> {
    let (row, what) = income_line(t2, r2, &cell.line);
    t2.val_opt(row, cell.col, what)
}

/// 表2's values of the cells a summary cell shows (`income_cells`), or
/// `None` when 表2 lacks one of their columns.
fn income_vals<'v>(
    t2: &Tab<'v>,
    r2: &'v FuncRows<'_>,
    cells: &'v [IncomeCell],
) -> Option<Vec<Val<'v>>> {
    if cells.is_empty() || !cells.iter().all(|c| t2.has(c.col)) {
        return None;
    }
    Some(cells.iter().map(|c| income_val(t2, r2, c)).collect())
}

/// Compares a filed summary cell with the cells of 表2 it shows: a copy of
/// one cell, or their sum.
fn shows_income(sink: &mut Sink<'_>, filed: &Val<'_>, income: &[Val<'_>]) {
    match income {
        [one] => sink.copy(filed, one),
        parts => sink.sum(filed, parts, "表2 对应各栏"),
    }
}

/// The cells of 表2 a summary cell shows, for a filed table.
fn cells_of(tab: &Tab<'_>, t2: &Tab<'_>, row: SummaryRow, col: ColumnKey) -> Vec<IncomeCell> {
    income_cells(tab.spec, Some(t2.spec), row, col)
}

/// XT-INCOME-T1-T2: 表1's income by source, 本年收入合计 and 上年结转 are
/// 表2's 合计 row (the cells [`income_cells`] gives them).
pub fn t1_income_is_t2_total(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let (Some(t1), Some(t2)) = (ctx.tab(Role::Summary), ctx.tab(Role::Income)) else {
        return;
    };
    let f = ctx.fixed(&t1);
    let r2 = ctx.funcs(&t2);
    for entry in &f.income {
        if entry.2.is_none() {
            continue;
        }
        let cells = cells_of(&t1, &t2, entry.0, ColumnKey::InAmount);
        if let Some(income) = income_vals(&t2, r2, &cells) {
            shows_income(sink, &row_val(&t1, entry, ColumnKey::InAmount), &income);
        }
    }
}

/// XT-CURRENT-T1-T2: on each 类 and 本年支出合计, 表1 当年预算安排 and 上年
/// 结转安排 are 表2's 本年收入合计 and 上年结转.
pub fn t1_classes_are_t2_classes(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let (Some(t1), Some(t2)) = (ctx.tab(Role::Summary), ctx.tab(Role::Income)) else {
        return;
    };
    let f = ctx.fixed(&t1);
    let r2 = ctx.funcs(&t2);
    for col in [ColumnKey::OutCurrent, ColumnKey::OutCarryover] {
        if !t1.has(col) {
            continue;
        }
        for entry in &f.expense {
            let shown = matches!(
                entry.0,
                SummaryRow::Class(_) | SummaryRow::ExpenseFooter(FooterExpense::ExpenseTotal)
            );
            if !shown || entry.2.is_none() {
                continue;
            }
            let cells = cells_of(&t1, &t2, entry.0, col);
            if let Some(income) = income_vals(&t2, r2, &cells) {
                shows_income(sink, &row_val(&t1, entry, col), &income);
            }
        }
    }
}

/// XT-EXPENSE-T1-T3: 表1's spending by 类 and 本年支出合计 are 表3's 类
/// lines and 合计.
pub fn t1_classes_are_t3_classes(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let (Some(t1), Some(t3)) = (ctx.tab(Role::Summary), ctx.tab(Role::Spending)) else {
        return;
    };
    let f = ctx.fixed(&t1);
    let r3 = ctx.funcs(&t3);
    if f.out(FooterExpense::ExpenseTotal).is_some() {
        sink.copy(
            &out_val(&t1, f, FooterExpense::ExpenseTotal, ColumnKey::OutTotal),
            &t3.val_opt(r3.total, ColumnKey::Total, "合计"),
        );
    }
    for (code, entry) in f.classes() {
        if entry.2.is_none() {
            continue;
        }
        let line = r3.line(code);
        sink.copy(
            &row_val(&t1, entry, ColumnKey::OutTotal),
            &t3.val_opt(line, ColumnKey::Total, RowWhat::line(&t3, code, line)),
        );
    }
}

/// XT-INCOME-T1-T4: 表4's fiscal income rows are 表1's rows of the same
/// funds; 表4's 上年财政拨款结转 does not exceed 表1's 上年结转.
pub fn t4_income_is_t1_income(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let (Some(t1), Some(t4)) = (ctx.tab(Role::Summary), ctx.tab(Role::Fiscal)) else {
        return;
    };
    let (f1, f4) = (ctx.fixed(&t1), ctx.fixed(&t4));
    for r in &t4.spec.income_rows {
        if f4.inc(r.1).is_none() && f1.inc(r.1).is_none() {
            continue;
        }
        sink.copy(&inc_val(&t1, f1, r.1), &inc_val(&t4, f4, r.1));
    }
    if f4.inc(FooterIncome::Carryover).is_some() {
        sink.at_most(
            &[inc_val(&t4, f4, FooterIncome::Carryover)],
            &inc_val(&t1, f1, FooterIncome::Carryover),
            "表4 上年财政拨款结转",
        );
    }
}

/// XT-EXPENSE-T2-T4: 表4's spending by 类 and fund, and its 本年支出合计,
/// are 表2's income of those funds on the 类 line (plus at most the
/// line's carry-over when 表4 shows fiscal carry-over).
pub fn t4_classes_are_t2_funds(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let (Some(t2), Some(t4)) = (ctx.tab(Role::Income), ctx.tab(Role::Fiscal)) else {
        return;
    };
    let f4 = ctx.fixed(&t4);
    let r2 = ctx.funcs(&t2);
    let carried = inc_val(&t4, f4, FooterIncome::Carryover).num.is_nonzero();
    let total_key = SummaryRow::ExpenseFooter(spending_total_key(t4.spec));
    let cols = t4.columns_where(|c| c.fund().is_some() || c == ColumnKey::OutTotal);
    for col in cols {
        for entry in &f4.expense {
            let shown = matches!(entry.0, SummaryRow::Class(_)) || entry.0 == total_key;
            if !shown || entry.2.is_none() {
                continue;
            }
            let cells = cells_of(&t4, &t2, entry.0, col);
            let Some(income) = income_vals(&t2, r2, &cells) else {
                continue;
            };
            let fiscal = row_val(&t4, entry, col);
            if !carried {
                shows_income(sink, &fiscal, &income);
                continue;
            }
            let income = sum_of(income);
            sink.at_most(std::slice::from_ref(&income), &fiscal, &income.what);
            let Some(first) = cells.first() else { continue };
            let (line, what) = income_line(&t2, r2, &first.line);
            let upper = [income.clone(), t2.val_opt(line, ColumnKey::Carryover, what)];
            sink.at_most(
                std::slice::from_ref(&fiscal),
                &sum_val(&upper),
                &fiscal.what,
            );
        }
    }
}

/// One value for several: the value itself, or a value standing for
/// their sum.
fn sum_of(mut vals: Vec<Val<'_>>) -> Val<'_> {
    match vals.len() {
        1 => vals.remove(0),
        _ => sum_val(&vals),
    }
}

/// A value standing for the sum of stated parts (for bounds).
fn sum_val<'v>(parts: &[Val<'v>]) -> Val<'v> {
    let nums: Vec<_> = parts.iter().map(|p| p.num).collect();
    let num = match super::rounding::sum(&nums) {
        Some(v) if !nums.contains(&Num::Invalid) => Num::Value(v),
        _ => Num::Invalid,
    };
    Val {
        num,
        cell: parts.first().and_then(|p| p.cell.clone()),
        what: What::Joined(parts.iter().map(|p| p.what.clone()).collect()),
    }
}
