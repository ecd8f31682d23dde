//! What reviewers check first, before any sum: that every table is of the
//! same year and department, that amounts are in the unit the tables are
//! headed with (万元, not 元), and that no amount is negative, no function
//! code is listed twice and no amount is typed finer than the cent.

use super::context::{Context, Role, Tab};
use super::in_table::MAX_AMOUNT;
use super::rounding::Num;
use super::sink::Sink;
use crate::model::{
    join_cells, label_key, parse_typed_amount, plain_digits, round_half_away, CellRef,
};
use crate::read::{year_of, FiledRow};
use crate::spec::{ColumnKey, FooterIncome, Layout, ThreePublicItem};
use rust_decimal::Decimal;

/// The cell of a table's title.
fn title_cell(tab: &Tab<'_>) -> CellRef {
    tab.filed.title_at.clone()
}

/// The value most often found, the first found on a tie (`None` when
/// nothing is found).
fn consensus<T: PartialEq + Clone>(found: &[T]) -> Option<T> {
    let mut best: Option<(&T, usize)> = None;
    for v in found {
        let n = found.iter().filter(|x| *x == v).count();
        if best.is_none() || best.is_some_and(|(_, m)| n > m) {
            best = Some((v, n));
        }
    }
    best.map(|(v, _)| v.clone())
}

/// XT-YEAR: the year in every table's title is the same.
pub fn years_agree(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let tabs = ctx.tabs();
    let years: Vec<(Tab<'_>, i32)> = tabs
        .iter()
        .filter_map(|t| Some((*t, year_of(&t.filed.title)?)))
        .collect();
    let all: Vec<i32> = years.iter().map(|(_, y)| *y).collect();
    let Some(want) = consensus(&all) else { return };
    for (tab, year) in years.iter().filter(|(_, y)| *y != want) {
        sink.report(
            format!(
                "{} 标题“{}”的年度是 {year} 年，其他各表是 {want} 年，同一套公开表年度应一致",
                tab.name(),
                tab.filed.title
            ),
            vec![title_cell(tab)],
            Some((format!("{want}年"), format!("{year}年"))),
        );
    }
}

/// The key a department's name is compared by; 表12's department row may
/// add 合计 (`…局合计`) or be 合计 alone (then it names no department).
fn department_key(name: &str) -> String {
    let k = label_key(name);
    ["合计", "总计"]
        .iter()
        .find_map(|t| k.strip_suffix(t))
        .unwrap_or(&k)
        .to_string()
}

/// XT-DEPARTMENT: the department named above every table (and in 表12's
/// department row) is the same.
pub fn departments_agree(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let tabs = ctx.tabs();
    // (what, typed name, key, cell) of every table naming the department.
    let mut named: Vec<(String, String, String, CellRef)> = tabs
        .iter()
        .filter_map(|t| {
            let name = t.filed.department.clone()?;
            let cell = t
                .filed
                .department_at
                .clone()
                .unwrap_or_else(|| title_cell(t));
            let key = label_key(&name);
            Some((format!("{} 部门名称", t.name()), name, key, cell))
        })
        .collect();
    if let Some(t12) = ctx.tab(Role::Projects) {
        if let Some(row) = ctx.projects(&t12).department {
            let name = row.text(t12.spec, ColumnKey::Name);
            let key = department_key(&name);
            if !key.is_empty() {
                let cell = t12
                    .reference(row, ColumnKey::Name)
                    .unwrap_or_else(|| title_cell(&t12));
                named.push(("表12 部门行".to_string(), name, key, cell));
            }
        }
    }
    let keys: Vec<String> = named.iter().map(|(_, _, k, _)| k.clone()).collect();
    let Some(want) = consensus(&keys) else { return };
    let Some((_, want_name, ..)) = named.iter().find(|(_, _, k, _)| *k == want) else {
        return;
    };
    for (what, name, _, cell) in named.iter().filter(|(_, _, k, _)| *k != want) {
        sink.report(
            format!("{what}为“{name}”，其他各表为“{want_name}”，同一套公开表部门应一致"),
            vec![cell.clone()],
            Some((want_name.clone(), name.clone())),
        );
    }
}

/// `SHEET!A1` of a row's cell under a key.
fn cell_of(tab: &Tab<'_>, row: &FiledRow, key: ColumnKey) -> Vec<CellRef> {
    tab.reference(row, key).into_iter().collect()
}

/// How many times the whole budget an amount must be to be taken as typed
/// in 元 (a typo of a digit or two near the total is left to the sums).
const OVER_BUDGET: Decimal = Decimal::from_parts(2, 0, 0, false, 0);

/// A table whose largest amount is this many times the typical table's is
/// taken as typed in 元 (a factor of 10,000 less what a table may
/// legitimately lie below the others).
const YUAN_FACTOR: Decimal = Decimal::from_parts(1000, 0, 0, false, 0);

/// The tables' magnitudes and the typical one (the median of the tables
/// with data).
fn magnitudes<'c>(ctx: &'c Context<'_>) -> (Vec<(Tab<'c>, Decimal)>, Decimal) {
    let all: Vec<(Tab<'_>, Decimal)> = ctx
        .tabs()
        .into_iter()
        .map(|t| (t, t.largest_amount()))
        .collect();
    let mut with_data: Vec<Decimal> = all
        .iter()
        .map(|(_, m)| *m)
        .filter(|m| !m.is_zero())
        .collect();
    with_data.sort_unstable();
    let typical = with_data
        .get(with_data.len() / 2)
        .copied()
        .unwrap_or_default();
    (all, typical)
}

/// True when a table's amounts are ~10,000× the others'.
fn in_yuan(m: Decimal, typical: Decimal) -> bool {
    !typical.is_zero() && m >= typical.saturating_mul(YUAN_FACTOR)
}

/// XT-UNIT-TABLE: a table whose amounts are ~10,000× the other tables'
/// was typed in 元 under a 万元 heading.
pub fn tables_in_one_unit(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let (all, typical) = magnitudes(ctx);
    for (tab, m) in all.iter().filter(|(_, m)| in_yuan(*m, typical)) {
        let largest = tab
            .amounts()
            .find(|(_, _, n)| matches!(n, Num::Value(v) if v.abs() == *m));
        let cells = largest.map_or_else(
            || vec![title_cell(tab)],
            |(row, key, _)| cell_of(tab, row, key),
        );
        let ratio = m.checked_div(typical).unwrap_or_default().round();
        sink.report(
            format!(
                "{} 的金额（最大 {}）是各表通常金额（{}）的约 {} 倍，疑似按“元”填写；本表单位为万元，请除以 10000 后填写",
                tab.name(),
                m.normalize(),
                typical.normalize(),
                ratio
            ),
            cells,
            Some((
                format!("约 {} 万元", round_half_away(*m / Decimal::from(10_000), 2)),
                m.normalize().to_string(),
            )),
        );
    }
}

/// The department's whole budget: 表1 收入总计 as filed, else the largest
/// amount of the tables in the typical unit.
fn whole_budget(ctx: &Context<'_>, all: &[(Tab<'_>, Decimal)], typical: Decimal) -> Decimal {
    let stated = ctx.tab(Role::Summary).and_then(|t1| {
        let row = ctx.fixed(&t1).inc(FooterIncome::GrandTotal)?;
        let v = t1.num(row, ColumnKey::InAmount).value();
        (!in_yuan(v, typical) && !v.is_zero()).then_some(v)
    });
    stated.unwrap_or_else(|| {
        all.iter()
            .map(|(_, m)| *m)
            .filter(|m| !in_yuan(*m, typical))
            .max()
            .unwrap_or_default()
    })
}

/// An amount this many times its table's total in the same column is taken
/// as typed in 元 even when the whole budget is larger still.
const OVER_TOTAL: Decimal = Decimal::from_parts(100, 0, 0, false, 0);

/// The row of a table that encloses the others (合计, 部门合计, the
/// department row of 表12/13), for the tables that have one.
fn total_row<'c>(ctx: &'c Context<'_>, tab: &Tab<'c>) -> Option<&'c FiledRow> {
    let role = [
        Role::Income,
        Role::Spending,
        Role::General,
        Role::FundSpending,
        Role::Capital,
        Role::Economic,
        Role::ThreePublic,
        Role::Operating,
        Role::Projects,
        Role::CarryoverProjects,
    ]
    .into_iter()
    .find(|r| ctx.tab(*r).is_some_and(|t| t.no == tab.no))?;
    match role {
        Role::Economic => ctx.economic(tab).total,
        Role::ThreePublic => ctx
            .keyed(tab)
            .iter()
            .find(|(k, ..)| *k == ThreePublicItem::Total)
            .and_then(|(_, _, r)| *r),
        Role::Operating => {
            let label = label_key(tab.spec.total_label.as_deref().unwrap_or("合计"));
            tab.rows().iter().find(|r| {
                let k = r.key(tab.spec, ColumnKey::Unit);
                k == label || super::context::is_total(&k)
            })
        }
        Role::Projects | Role::CarryoverProjects => ctx.projects(tab).department,
        _ => ctx.funcs(tab).total,
    }
}

/// XT-UNIT-AMOUNT: no amount is more than twice the department's whole
/// budget, nor 100 times its table's total in the same column (an amount
/// typed in 元 in a table headed 万元: 三公 21000 against a budget of
/// 353.49). Tables reported whole by XT-UNIT-TABLE are not repeated; a
/// total a little over the budget is left to the sums.
pub fn amounts_within_budget(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let (all, typical) = magnitudes(ctx);
    let budget = whole_budget(ctx, &all, typical);
    if budget.is_zero() {
        return;
    }
    let limit = budget.saturating_mul(OVER_BUDGET);
    for (tab, _) in all.iter().filter(|(_, m)| !in_yuan(*m, typical)) {
        let total = total_row(ctx, tab);
        // The total row's amount and its limit, once per column.
        let mut limits: Vec<(ColumnKey, Option<(Decimal, Decimal)>)> = Vec::new();
        for (row, key, n) in tab.amounts() {
            let Num::Value(v) = n else { continue };
            if v.abs() > MAX_AMOUNT {
                continue;
            }
            let of_total = match limits.iter().find(|(k, _)| *k == key) {
                Some((_, l)) => *l,
                None => {
                    let l = total
                        .map(|t| tab.num(t, key).value())
                        .filter(|t| t.is_sign_positive() && !t.is_zero())
                        .map(|t| (t, t.saturating_mul(OVER_TOTAL)));
                    limits.push((key, l));
                    l
                }
            };
            let enclosing = of_total.filter(|_| total.is_some_and(|t| !std::ptr::eq(t, row)));
            let over = if v > limit {
                format!("超过部门预算总额 {}", round_half_away(budget, 2))
            } else if let Some((t, _)) = enclosing.filter(|(_, over)| v > *over) {
                format!("是本表合计 {} 的 100 倍以上", round_half_away(t, 2))
            } else {
                continue;
            };
            let cells = cell_of(tab, row, key);
            sink.report(
                format!(
                    "{} 单元格 {} 的金额 {} {over}，疑似按“元”填写（本表单位为万元，{} 元 = {} 万元）",
                    tab.name(),
                    join_cells(cells.get(..1).unwrap_or_default(), ""),
                    v.normalize(),
                    v.normalize(),
                    round_half_away(v / Decimal::from(10_000), 2)
                ),
                cells,
                Some((
                    format!("{} 万元", round_half_away(v / Decimal::from(10_000), 2)),
                    v.normalize().to_string(),
                )),
            );
        }
    }
}

/// IT-NEGATIVE: no amount is negative.
pub fn amounts_not_negative(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    for tab in ctx.tabs() {
        for (row, key, n) in tab.amounts() {
            let Num::Value(v) = n else { continue };
            if v.is_sign_negative() && !v.is_zero() {
                let cells = cell_of(&tab, row, key);
                sink.report(
                    format!(
                        "{} 单元格 {} 的金额为负数 {}，预算金额不应为负",
                        tab.name(),
                        join_cells(cells.get(..1).unwrap_or_default(), ""),
                        v.normalize()
                    ),
                    cells,
                    Some(("不小于 0".into(), v.normalize().to_string())),
                );
            }
        }
    }
}

/// Decimals taken as typed: a number's float noise (0.30000000000000004)
/// is not a typed third decimal.
const TYPED_DECIMALS: u32 = 6;

/// IT-DECIMALS: amounts are typed with at most the two decimals the tables
/// publish (in the table's own unit).
pub fn amounts_in_cents(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    for tab in ctx.tabs() {
        for (row, key, _) in tab.amounts() {
            let Some(cell) = row.cell(tab.spec, key) else {
                continue;
            };
            // A plain number typed with at most two decimals (most cells)
            // has nothing to report: told by its bytes, not parsed again.
            let text = cell.text();
            if let Some((_, digits)) = plain_digits(text) {
                let decimals = digits.find('.').map_or(0, |i| digits.len() - i - 1);
                if decimals <= 2 {
                    continue;
                }
            }
            // as typed, before any unit typed in the cell converts it
            let Ok(Some((v, _))) = parse_typed_amount(text) else {
                continue;
            };
            let typed = v.round_dp(TYPED_DECIMALS).normalize();
            if typed.scale() <= 2 {
                continue;
            }
            let cents = round_half_away(typed, 2);
            sink.report(
                format!(
                    "{} 单元格 {} 的金额 {typed} 有 {} 位小数，公开表保留两位小数，将四舍五入为 {cents}，请核对",
                    tab.name(),
                    cell.at.cell,
                    typed.scale()
                ),
                vec![cell.at.reference()],
                Some((cents.to_string(), typed.to_string())),
            );
        }
    }
}

/// FN-CODE-TWICE: a function table lists each code once.
pub fn codes_listed_once(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    for tab in ctx.tabs() {
        if !matches!(tab.spec.layout, Layout::Functions | Layout::Capital) {
            continue;
        }
        let rows = ctx.funcs(&tab);
        // The rows of each code, codes in filed order (one pass: a large
        // department has thousands of lines).
        let mut order: Vec<&str> = Vec::new();
        let mut by_code: std::collections::HashMap<&str, Vec<&FiledRow>> =
            std::collections::HashMap::new();
        for (code, row) in rows.lines() {
            let same = by_code.entry(code.as_str()).or_default();
            if same.is_empty() {
                order.push(code);
            }
            same.push(row);
        }
        for code in order {
            let Some(same) = by_code.get(code) else {
                continue;
            };
            if same.len() < 2 {
                continue;
            }
            let cells: Vec<CellRef> = same
                .iter()
                .flat_map(|r| cell_of(&tab, r, ColumnKey::Code))
                .collect();
            sink.report(
                format!(
                    "{} 科目编码 {code} 列了 {} 次（{}），同一科目只应列一行，请合并",
                    tab.name(),
                    same.len(),
                    join_cells(&cells, "、")
                ),
                cells,
                Some(("1 行".into(), format!("{} 行", same.len()))),
            );
        }
    }
}
