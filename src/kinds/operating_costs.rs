//! The operating-costs table (表11 机关运行经费预算表): a 部门合计 row,
//! then one row per unit, by fiscal fund.

use super::fill::{FillContext, FillTable, Input};
use super::functions::fill_line_cells;
use super::relation::{amount_columns, GroupSum, RowName, RowSum};
use super::{
    add_sources, is_total, row_by_keys, row_sources, sums_cell, Located, Reading, TableKind,
};
use crate::filed::{FiledRow, FiledTable};
use crate::model::{label_key, Budget, Sources, UnitCost};
use crate::spec::{ColumnKey, TableSpec};
use crate::table::{Cell, Row, RowStyle};

/// The operating-costs kind.
pub struct OperatingCosts;

/// The label of the total row (部门合计).
fn total_label(spec: &TableSpec) -> &str {
    spec.total_label.as_deref().unwrap_or("合计")
}

/// True for the total row.
pub fn is_total_row(spec: &TableSpec, row: &FiledRow) -> bool {
    let k = row.key(spec, ColumnKey::Unit);
    k == label_key(total_label(spec)) || is_total(&k)
}

impl TableKind for OperatingCosts {
    fn read(&self, tables: &[(&FiledTable, &TableSpec)], r: &mut Reading<'_>) {
        for (table, spec) in tables {
            for row in &table.rows {
                let unit = row.text(spec, ColumnKey::Unit);
                if is_total_row(spec, row) || unit.is_empty() {
                    continue;
                }
                let b = &mut r.budget;
                if !b.units.contains(&unit) {
                    b.units.push(unit.clone());
                }
                let funds = row_sources(table, spec, row, r.findings);
                r.budget.operating_costs.push(UnitCost { unit, funds });
            }
        }
    }

    fn rows(&self, b: &Budget, spec: &TableSpec) -> Vec<Row> {
        let all: Vec<&Sources> = b.operating_costs.iter().map(|u| &u.funds).collect();
        let sums = add_sources(&all);
        let mut rows = vec![row_by_keys(spec, RowStyle::Total, |k| match k {
            ColumnKey::Unit => Cell::text(total_label(spec)),
            k => sums_cell(&sums, k, true),
        })];
        for u in &b.operating_costs {
            let sums = add_sources(&[&u.funds]);
            rows.push(row_by_keys(spec, RowStyle::Normal, |k| match k {
                ColumnKey::Unit => Cell::text(&u.unit),
                k => sums_cell(&sums, k, true),
            }));
        }
        rows
    }

    fn supplies(&self, _spec: &TableSpec) -> Vec<String> {
        vec!["operating_costs".to_string()]
    }

    fn row_sums(&self, spec: &TableSpec) -> Vec<RowSum> {
        RowSum::of_sources(spec, ColumnKey::Total, true)
            .into_iter()
            .collect()
    }

    /// 部门合计 = the units (IT-OPCOST-TOTAL).
    fn group_sums<'a>(&self, t: Located<'a>) -> Vec<GroupSum<'a>> {
        let (filed, spec) = (t.table, t.spec);
        let Some(total) = filed.rows.iter().find(|r| is_total_row(spec, r)) else {
            return Vec::new();
        };
        // Every row but the total adds up to it (a filed row is not blank;
        // a fill-in row is a unit still to be typed).
        let units = filed.rows.iter().filter(|r| !is_total_row(spec, r));
        vec![GroupSum::of(
            "IT-OPCOST-TOTAL",
            (RowName::Cell(ColumnKey::Unit), total),
            units,
            RowName::Cell(ColumnKey::Unit),
            &amount_columns(spec),
            "各单位",
        )]
    }

    fn min_fill_rows(&self) -> usize {
        10
    }

    /// The units' rows are the fill-in rows after 部门合计.
    fn group_sums_in_fill_in(&self) -> bool {
        true
    }

    fn fill_cells(&self, fill: &mut FillTable, spec: &TableSpec, _cx: &FillContext<'_>) {
        fill_line_cells(fill, spec, &self.row_sums(spec), Input::Text);
    }

    fn help(&self, _spec: &TableSpec) -> &'static str {
        "按单位填写机关运行经费，部门合计自动计算"
    }
}
