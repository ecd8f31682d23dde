//! Relations as data. Same-row sums ("on every row, column `target` is
//! the sum of columns `parts`", [`super::TableKind::row_sums`]) are
//! checked by the rules on every filed row and written by the fill-in
//! workbook as formulas on every row. Group sums ("this row is the sum of
//! those rows, column by column", [`super::TableKind::group_sums`]) say
//! how a kind's filed rows add up; the rules check them with one engine.

use super::fill::{FillTable, Formula, Term};
use crate::filed::FiledRow;
use crate::spec::{ColumnKey, Fund, TableSpec};

/// On every row: `target` = Σ `parts` (column keys of the table).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowSum {
    /// The rule that checks it (`IT-ROW-SOURCES` …).
    pub rule: &'static str,
    /// The total's column key.
    pub target: ColumnKey,
    /// The parts' column keys, all present in the table.
    pub parts: Vec<ColumnKey>,
    /// How messages name the parts (`各资金来源`).
    pub parts_what: &'static str,
}

impl RowSum {
    /// `target` = Σ `parts` when the table has the target and every part.
    pub fn of(
        spec: &TableSpec,
        rule: &'static str,
        target: ColumnKey,
        parts: &[ColumnKey],
        parts_what: &'static str,
    ) -> Option<RowSum> {
        let all = spec.has(target) && parts.iter().all(|p| spec.has(*p));
        all.then(|| RowSum {
            rule,
            target,
            parts: parts.to_vec(),
            parts_what,
        })
    }

    /// `target` = Σ the table's source columns (`src.…`; only the fiscal
    /// funds with `fiscal_only`), when it has the target and a source.
    pub fn of_sources(spec: &TableSpec, target: ColumnKey, fiscal_only: bool) -> Option<RowSum> {
        let parts: Vec<ColumnKey> = spec
            .columns
            .iter()
            .copied()
            .filter(|k| match k.source() {
                Some(s) => !fiscal_only || Fund::ALL.iter().any(|f| f.source() == s),
                // 财政拨款收入 in one column (`src.fiscal`).
                None => k.is_source_column() && !fiscal_only,
            })
            .collect();
        (spec.has(target) && !parts.is_empty()).then_some(RowSum {
            rule: "IT-ROW-SOURCES",
            target,
            parts,
            parts_what: "各资金来源",
        })
    }

    /// The formula of this relation on fill-in row `row`.
    fn formula(&self, spec: &TableSpec, row: usize) -> Option<(usize, Formula)> {
        let col = spec.col(self.target)?;
        let terms = self
            .parts
            .iter()
            .filter_map(|p| spec.col(*p))
            .map(|c| Term::own(row, c))
            .collect();
        Some((col, Formula::Sum(terms)))
    }
}

/// Writes every row sum as a formula on every row of a fill-in table,
/// returning the (row, column) cells it made formulas.
pub(super) fn write_row_sums(fill: &mut FillTable, spec: &TableSpec, sums: &[RowSum]) {
    for row in 0..fill.table.rows.len() {
        for sum in sums {
            if let Some((col, f)) = sum.formula(spec, row) {
                fill.formulas.push((row, col, f));
            }
        }
    }
}

/// Writes every group sum as a formula on its total row, column by
/// column: the total's cell = Σ the parts' cells. The sums are the kind's
/// own declarations laid over the fill-in rows
/// ([`crate::filed::FiledTable::of_view`]: row `i` of the view is body
/// row `i`). A cell that already has a formula keeps it; a cell that
/// becomes one is no input.
pub(super) fn write_group_sums(fill: &mut FillTable, spec: &TableSpec, sums: &[GroupSum<'_>]) {
    let body_row = |r: &FiledRow| usize::try_from(r.row).ok();
    for sum in sums {
        let Some(total) = body_row(sum.total.1) else {
            continue;
        };
        let parts: Vec<usize> = sum
            .parts
            .iter()
            .filter_map(|(_, r)| body_row((*r)?))
            .collect();
        if parts.is_empty() {
            continue;
        }
        for col in sum.columns.iter().filter_map(|k| spec.col(*k)) {
            if fill
                .formulas
                .iter()
                .any(|(r, c, _)| *r == total && *c == col)
            {
                continue;
            }
            fill.inputs.retain(|(r, c, _)| !(*r == total && *c == col));
            let terms = parts.iter().map(|&row| Term::own(row, col)).collect();
            fill.formulas.push((total, col, Formula::Sum(terms)));
        }
    }
}

/// How messages name a row of a relation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowName {
    /// Fixed text (`合计`, a fixed row's label).
    Text(String),
    /// The row's own text under a column key (a unit's `unit`, a
    /// project's `name`, an income line's `code`).
    Cell(ColumnKey),
    /// A 表6 row: `部门预算科目/政府预算科目`.
    Economic,
}

/// A total row = Σ part rows, column by column: how a kind's filed rows
/// add up (表6 groups, 表11 部门合计, 表12 department and units …).
#[derive(Debug, Clone)]
pub struct GroupSum<'a> {
    /// The rule that checks it (`IT-ECON-GROUP` …).
    pub rule: &'static str,
    /// The total row and its name.
    pub total: (RowName, &'a FiledRow),
    /// The parts and their names; `None` for a fixed row the table lacks
    /// (reported as missing).
    pub parts: Vec<(RowName, Option<&'a FiledRow>)>,
    /// The column keys summed.
    pub columns: Vec<ColumnKey>,
    /// How messages name the parts (`各单位`).
    pub parts_what: String,
}

impl<'a> GroupSum<'a> {
    /// `total` = Σ `parts` over `columns`, the parts named by `name`.
    pub fn of(
        rule: &'static str,
        total: (RowName, &'a FiledRow),
        parts: impl IntoIterator<Item = &'a FiledRow>,
        name: RowName,
        columns: &[ColumnKey],
        parts_what: impl Into<String>,
    ) -> Self {
        GroupSum {
            rule,
            total,
            parts: parts.into_iter().map(|r| (name.clone(), Some(r))).collect(),
            columns: columns.to_vec(),
            parts_what: parts_what.into(),
        }
    }
}

/// The amount columns of a table (every column but labels).
pub fn amount_columns(spec: &TableSpec) -> Vec<ColumnKey> {
    spec.columns
        .iter()
        .copied()
        .filter(|k| !super::is_label_key(*k))
        .collect()
}

/// The columns of `keys` the table has.
pub fn present(spec: &TableSpec, keys: &[ColumnKey]) -> Vec<ColumnKey> {
    keys.iter().copied().filter(|k| spec.has(*k)).collect()
}
