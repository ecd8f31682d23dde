//! Same-row relations as data: "on every row, column `target` is the sum
//! of columns `parts`". A kind declares them once ([`super::TableKind::row_sums`]);
//! the rules check them on every filed row and the fill-in workbook
//! writes them as formulas on every row.

use super::fill::{FillTable, Formula, Term};
use crate::model::FISCAL_KEYS;
use crate::spec::TableSpec;

/// On every row: `target` = Σ `parts` (column keys of the table).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowSum {
    /// The rule that checks it (`IT-ROW-SOURCES` …).
    pub rule: &'static str,
    /// The total's column key.
    pub target: String,
    /// The parts' column keys, all present in the table.
    pub parts: Vec<String>,
    /// How messages name the parts (`各资金来源`).
    pub parts_what: &'static str,
}

impl RowSum {
    /// `target` = Σ `parts` when the table has the target and every part.
    pub fn of(
        spec: &TableSpec,
        rule: &'static str,
        target: &str,
        parts: &[&str],
        parts_what: &'static str,
    ) -> Option<RowSum> {
        let all = spec.col(target).is_some() && parts.iter().all(|p| spec.col(p).is_some());
        all.then(|| RowSum {
            rule,
            target: target.to_string(),
            parts: parts.iter().map(|p| p.to_string()).collect(),
            parts_what,
        })
    }

    /// `target` = Σ the table's source columns (`src.…`; only the fiscal
    /// funds with `fiscal_only`), when it has the target and a source.
    pub fn of_sources(spec: &TableSpec, target: &str, fiscal_only: bool) -> Option<RowSum> {
        let parts: Vec<String> = spec
            .columns
            .iter()
            .filter(|k| {
                k.strip_prefix("src.")
                    .is_some_and(|s| !fiscal_only || FISCAL_KEYS.contains(&s))
            })
            .cloned()
            .collect();
        (spec.col(target).is_some() && !parts.is_empty()).then(|| RowSum {
            rule: "IT-ROW-SOURCES",
            target: target.to_string(),
            parts,
            parts_what: "各资金来源",
        })
    }

    /// The formula of this relation on fill-in row `row`.
    fn formula(&self, spec: &TableSpec, row: usize) -> Option<(usize, Formula)> {
        let col = spec.col(&self.target)?;
        let terms = self
            .parts
            .iter()
            .filter_map(|p| spec.col(p))
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
