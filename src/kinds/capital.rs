//! The state-capital table (表9 国有资本经营预算收支预算表): income lines
//! (`in.code`, `in.name`, `in.amount`) beside the function lines of its
//! spending scope, row by row.

use super::fill::{FillContext, FillTable, Input};
use super::functions::{fill_line_cells, line_sums, line_value, read_lines, shows};
use super::income_lines::{income_sum, read_income, IncomeColumns};
use super::relation::GroupSum;
use super::relation::RowSum;
use super::{row_by_keys, Located, Reading, TableKind};
use crate::filed::FiledTable;
use crate::model::Budget;
use crate::spec::{ColumnKey, Fund, Scope, TableSpec};
use crate::table::{Cell, Row, RowStyle};

/// The state-capital kind.
pub struct Capital;

/// The fund a capital table shows: its scope, 国有资本经营预算 unless
/// the template says otherwise.
fn fund(spec: &TableSpec) -> Option<Fund> {
    spec.scope.map_or(Some(Fund::StateCapital), Scope::fund)
}

impl TableKind for Capital {
    fn read(&self, tables: &[(&FiledTable, &TableSpec)], r: &mut Reading<'_>) {
        for (table, spec) in tables {
            read_lines(table, spec, r);
        }
        for (table, spec) in tables {
            let mut income = std::mem::take(&mut r.budget.capital_income);
            read_income(
                table,
                spec,
                IncomeColumns::BESIDE_LINES,
                &mut income,
                r.findings,
            );
            r.budget.capital_income = income;
        }
    }

    fn rows(&self, b: &Budget, spec: &TableSpec) -> Vec<Row> {
        let fund = fund(spec);
        let income = &b.capital_income;
        let lines: Vec<_> = b
            .functions
            .lines
            .iter()
            .filter(|l| shows(l, fund))
            .collect();
        let has_spending = !lines.is_empty();
        let total = &b.functions.total;
        let mut rows = vec![row_by_keys(spec, RowStyle::Total, |k| match k {
            ColumnKey::InCode => Cell::text("合计"),
            ColumnKey::InAmount => Cell::amount(income.total.as_ref().map(|a| a.value)),
            ColumnKey::Total | ColumnKey::Basic | ColumnKey::Project if has_spending => {
                Cell::amount(line_value(total, k, fund))
            }
            _ => Cell::Empty,
        })];
        for i in 0..income.lines.len().max(lines.len()) {
            let inc = income.lines.get(i);
            let line = lines.get(i);
            rows.push(row_by_keys(spec, RowStyle::Normal, |k| match k {
                ColumnKey::InCode => inc.map_or(Cell::Empty, |l| Cell::text(&l.code)),
                ColumnKey::InName => inc.map_or(Cell::Empty, |l| Cell::text(&l.name)),
                ColumnKey::InAmount => {
                    Cell::amount(inc.and_then(|l| l.amount.as_ref().map(|a| a.value)))
                }
                ColumnKey::Code => line.map_or(Cell::Empty, |l| Cell::text(&l.code)),
                ColumnKey::Name => line.map_or(Cell::Empty, |l| Cell::text(&l.name)),
                k => Cell::amount(line.and_then(|l| line_value(l, k, fund))),
            }));
        }
        rows
    }

    fn is_without_data(&self, b: &Budget, spec: &TableSpec) -> bool {
        let fund = fund(spec);
        b.capital_income.lines.is_empty() && !b.functions.lines.iter().any(|l| shows(l, fund))
    }

    fn supplies(&self, spec: &TableSpec) -> Vec<String> {
        vec![
            "income_lines.state_capital".to_string(),
            format!(
                "spending.{}",
                spec.scope.map_or("state_capital", Scope::as_str)
            ),
        ]
    }

    fn row_sums(&self, spec: &TableSpec) -> Vec<RowSum> {
        line_sums(spec)
    }

    fn group_sums<'a>(&self, t: Located<'a>) -> Vec<GroupSum<'a>> {
        let (filed, spec) = (t.table, t.spec);
        income_sum(filed, spec, IncomeColumns::BESIDE_LINES)
            .into_iter()
            .collect()
    }

    fn min_fill_rows(&self) -> usize {
        20
    }

    fn may_be_empty(&self, _spec: &TableSpec) -> bool {
        true
    }

    fn fill_cells(&self, fill: &mut FillTable, spec: &TableSpec, _cx: &FillContext<'_>) {
        fill_line_cells(fill, spec, &self.row_sums(spec), Input::FunctionCode);
    }

    fn help(&self, _spec: &TableSpec) -> &'static str {
        "填写收入科目及收入预算，按功能科目填写基本支出、项目支出"
    }
}
