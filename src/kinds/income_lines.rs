//! Income-line tables (表7 政府性基金预算收入表): a 合计 row, then income
//! lines by 收入科目编码 of one source.

use super::fill::{FillContext, FillTable, Input};
use super::functions::fill_line_cells;
use super::relation::{GroupSum, RowName};
use super::{is_total, row_by_keys, Located, Reading, TableKind};
use crate::filed::FiledTable;
use crate::findings::Finding;
use crate::model::{Budget, IncomeLine, IncomeTable};
use crate::spec::{ColumnKey, TableSpec};
use crate::table::{Cell, Row, RowStyle};

/// The income-line kind.
pub struct IncomeLines;

/// The columns an income line is read from: its own (表7) or the `in.`
/// ones beside function lines (表9).
#[derive(Debug, Clone, Copy)]
pub struct IncomeColumns {
    /// The code column.
    pub code: ColumnKey,
    /// The name column.
    pub name: ColumnKey,
    /// The amount column.
    pub amount: ColumnKey,
}

impl IncomeColumns {
    /// 表7's own columns.
    pub const OWN: IncomeColumns = IncomeColumns {
        code: ColumnKey::Code,
        name: ColumnKey::Name,
        amount: ColumnKey::Amount,
    };

    /// 表9's `in.` columns beside its function lines.
    pub const BESIDE_LINES: IncomeColumns = IncomeColumns {
        code: ColumnKey::InCode,
        name: ColumnKey::InName,
        amount: ColumnKey::InAmount,
    };
}

/// Reads the income lines of a table (in `cols`) into `target`.
pub(super) fn read_income(
    table: &FiledTable,
    spec: &TableSpec,
    cols: IncomeColumns,
    target: &mut IncomeTable,
    findings: &mut Vec<Finding>,
) {
    for row in &table.rows {
        let code = row.key(spec, cols.code);
        let amount = table.amount(row, spec, cols.amount, findings);
        if is_total(&code) {
            target.total = amount;
        } else if !code.is_empty() {
            target.lines.push(IncomeLine {
                code,
                name: row.text(spec, cols.name),
                amount,
            });
        }
    }
}

/// 合计 = the income lines (IT-INCOME-LINES) in `cols`.
pub(super) fn income_sum<'a>(
    filed: &'a FiledTable,
    spec: &TableSpec,
    cols: IncomeColumns,
) -> Option<GroupSum<'a>> {
    let IncomeColumns { code, amount, .. } = cols;
    spec.col(amount)?;
    let total = filed.rows.iter().find(|r| is_total(&r.key(spec, code)))?;
    let lines = filed.rows.iter().filter(|r| {
        let k = r.key(spec, code);
        !k.is_empty() && !is_total(&k)
    });
    Some(GroupSum::of(
        "IT-INCOME-LINES",
        (RowName::Text("合计".into()), total),
        lines,
        RowName::Cell(code),
        &[amount],
        "各收入科目",
    ))
}

/// The model's income table a spec shows.
fn income_of<'a>(b: &'a Budget, spec: &TableSpec) -> &'a IncomeTable {
    match spec.source.as_deref() {
        Some("state_capital") => &b.capital_income,
        _ => &b.fund_income,
    }
}

impl TableKind for IncomeLines {
    fn read(&self, tables: &[(&FiledTable, &TableSpec)], r: &mut Reading<'_>) {
        for (table, spec) in tables {
            let capital = spec.source.as_deref() == Some("state_capital");
            let target = if capital {
                &mut r.budget.capital_income
            } else {
                &mut r.budget.fund_income
            };
            read_income(table, spec, IncomeColumns::OWN, target, r.findings);
        }
    }

    fn rows(&self, b: &Budget, spec: &TableSpec) -> Vec<Row> {
        let table = income_of(b, spec);
        let mut rows = vec![row_by_keys(spec, RowStyle::Total, |k| match k {
            ColumnKey::Code => Cell::text("合计"),
            ColumnKey::Amount => Cell::amount(table.total.as_ref().map(|a| a.value)),
            _ => Cell::Empty,
        })];
        for line in &table.lines {
            rows.push(row_by_keys(spec, RowStyle::Normal, |k| match k {
                ColumnKey::Code => Cell::text(&line.code),
                ColumnKey::Name => Cell::text(&line.name),
                ColumnKey::Amount => Cell::amount(line.amount.as_ref().map(|a| a.value)),
                _ => Cell::Empty,
            }));
        }
        rows
    }

    fn is_without_data(&self, b: &Budget, spec: &TableSpec) -> bool {
        income_of(b, spec).lines.is_empty()
    }

    fn supplies(&self, spec: &TableSpec) -> Vec<String> {
        vec![format!(
            "income_lines.{}",
            spec.source.as_deref().unwrap_or("gov_fund")
        )]
    }

    fn group_sums<'a>(&self, t: Located<'a>) -> Vec<GroupSum<'a>> {
        let (filed, spec) = (t.table, t.spec);
        income_sum(filed, spec, IncomeColumns::OWN)
            .into_iter()
            .collect()
    }

    fn min_fill_rows(&self) -> usize {
        10
    }

    fn may_be_empty(&self, _spec: &TableSpec) -> bool {
        true
    }

    fn fill_cells(&self, fill: &mut FillTable, spec: &TableSpec, _cx: &FillContext<'_>) {
        fill_line_cells(fill, spec, &[], Input::Text);
    }

    fn help(&self, _spec: &TableSpec) -> &'static str {
        "按收入科目填写收入预算"
    }
}
