//! Which cells of the income table (表2) the summary tables (表1/表4)
//! show: 表1/表4 = f(表2), stated once for the view, the fill-in
//! workbook's formulas and the cross-table rules.

use super::line_value;
use super::summary::{is_fiscal, SummaryRow};
use crate::model::{add_opt, Budget};
use crate::spec::{ClassCode, ColumnKey, FooterExpense, FooterIncome, Fund, TableSpec};
use rust_decimal::Decimal;

/// A line of the income table (表2) a summary cell is taken from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncomeLineKey {
    /// Its 合计 row.
    Total,
    /// The line of a 类.
    Class(ClassCode),
}

/// A cell of the income table: a line under a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IncomeCell {
    /// The line.
    pub line: IncomeLineKey,
    /// The column.
    pub col: ColumnKey,
}

/// True when a summary table has a footer row of `key` on the income
/// side (sh-2026's have only 收入总计).
pub fn has_income_footer(spec: &TableSpec, key: FooterIncome) -> bool {
    spec.footer_rows.iter().any(|r| r.1 == key)
}

/// True when a summary table has a footer row of `key` on the expense
/// side.
pub fn has_expense_footer(spec: &TableSpec, key: FooterExpense) -> bool {
    spec.footer_rows.iter().any(|r| r.3 == key)
}

/// The key of a summary table's row of the year's spending: 本年支出合计,
/// or 支出总计 in a layout without that row (sh-2026).
pub fn spending_total_key(spec: &TableSpec) -> FooterExpense {
    if has_expense_footer(spec, FooterExpense::ExpenseTotal) {
        FooterExpense::ExpenseTotal
    } else {
        FooterExpense::GrandTotal
    }
}

/// 表1/表4 = f(表2), stated once: the cells of the income table whose sum
/// the summary table's cell (`row`, `col`) shows. Empty where the amount
/// is the table's own (a footer adding up its rows, 年终结转, the
/// carry-over by fund); a footer's fund column is 表2's 合计 of that fund,
/// to which 支出总计 adds the fund's own carry-over row.
///
/// `income` is the income table's spec when there is one: 财政拨款 is its
/// `src.fiscal` column where it has one, else its three fund columns.
/// The view evaluates these cells on the model ([`super::line_value`]),
/// the fill-in workbook writes them as formulas over 表2, and the rules
/// XT-INCOME-T1-T2, XT-CURRENT-T1-T2 and XT-EXPENSE-T2-T4 compare the
/// filed cell with 表2's cells.
pub fn income_cells(
    spec: &TableSpec,
    income: Option<&TableSpec>,
    row: SummaryRow,
    col: ColumnKey,
) -> Vec<IncomeCell> {
    use ColumnKey as K;
    let fiscal = is_fiscal(spec);
    let on = |line: IncomeLineKey, cols: &[ColumnKey]| -> Vec<IncomeCell> {
        cols.iter().map(|&col| IncomeCell { line, col }).collect()
    };
    // (listed only for the cells that take them)
    let fiscal_cols = || -> Vec<ColumnKey> {
        if income.is_some_and(|s| s.has(K::SrcFiscal)) {
            vec![K::SrcFiscal]
        } else {
            Fund::ALL.iter().map(|f| K::of_source(f.source())).collect()
        }
    };
    let spending = |line: IncomeLineKey| match col {
        K::OutTotal if fiscal => on(line, &fiscal_cols()),
        K::OutTotal => on(line, &[K::Current, K::Carryover]),
        K::OutCurrent => on(line, &[K::Current]),
        K::OutCarryover => on(line, &[K::Carryover]),
        c => c
            .fund()
            .map_or_else(Vec::new, |f| on(line, &[K::of_source(f.source())])),
    };
    use FooterExpense as E;
    use FooterIncome as I;
    match (row, col) {
        (SummaryRow::Income(k), K::InAmount) => on(IncomeLineKey::Total, &[K::of_income_row(k)]),
        (SummaryRow::IncomeFooter(I::IncomeTotal), K::InAmount) if fiscal => {
            on(IncomeLineKey::Total, &fiscal_cols())
        }
        (SummaryRow::IncomeFooter(I::IncomeTotal), K::InAmount) => {
            on(IncomeLineKey::Total, &[K::Current])
        }
        (SummaryRow::IncomeFooter(I::GrandTotal), K::InAmount)
            if !fiscal && !has_income_footer(spec, I::IncomeTotal) =>
        {
            on(IncomeLineKey::Total, &[K::Current])
        }
        (SummaryRow::IncomeFooter(I::Carryover), K::InAmount) if !fiscal => {
            on(IncomeLineKey::Total, &[K::Carryover])
        }
        (SummaryRow::Class(code), _) => spending(IncomeLineKey::Class(code)),
        (SummaryRow::ExpenseFooter(e @ (E::ExpenseTotal | E::GrandTotal)), c) => match c.fund() {
            Some(f) => on(IncomeLineKey::Total, &[K::of_source(f.source())]),
            None if e == spending_total_key(spec) => spending(IncomeLineKey::Total),
            None => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// The value of income-table cells in the model: their sum, blank when
/// every one is (a 类 the model lacks is blank).
pub(super) fn model_income(b: &Budget, cells: &[IncomeCell]) -> Option<Decimal> {
    cells.iter().fold(None, |acc, c| {
        let line = match c.line {
            IncomeLineKey::Total => Some(&b.functions.total),
            IncomeLineKey::Class(code) => {
                let code = code.as_str();
                b.functions.lines.iter().find(|l| l.code == code)
            }
        };
        add_opt(acc, line.and_then(|l| line_value(l, c.col, None)))
    })
}
