//! The frame every standard table shares: caption, title, department line,
//! unit and the merged header, all from the template spec.

use super::table::{HeaderCell, Merge, Row, Table};
use crate::model::Budget;
use crate::spec::{TableSpec, Template};

/// Column keys that hold labels rather than amounts.
const LABEL_KEYS: &[&str] = &[
    "in.label",
    "out.label",
    "code",
    "name",
    "gov_name",
    "label",
    "unit",
    "in.code",
    "in.name",
];

/// True when a column key holds text (codes, names, labels).
pub fn is_label_key(key: &str) -> bool {
    LABEL_KEYS.contains(&key)
}

/// The note written under a table without data rows.
pub const NO_DATA_NOTE: &str = "注：本表无数据";

/// An empty table framed per `spec`: title, header and column kinds set,
/// no body rows.
pub fn frame(spec: &TableSpec, template: &Template, budget: &Budget) -> Table {
    let header = spec
        .header_cells(budget.year)
        .into_iter()
        .map(|h| HeaderCell {
            text: h.text,
            at: Merge {
                row: h.row,
                col: h.col,
                last_row: h.last_row,
                last_col: h.last_col,
            },
        })
        .collect();
    Table {
        sheet: spec.sheet.clone(),
        caption: Some(spec.sheet.clone()),
        title: spec.title_for(budget.year),
        subtitle: None,
        department: Some(format!("部门名称：{}", budget.department)),
        unit: Some(format!("单位：{}", template.unit)),
        width: spec.columns.len(),
        header,
        header_rows: spec.header.len(),
        numbering: spec.numbering,
        rows: Vec::new(),
        body_merges: Vec::new(),
        amount_columns: spec.columns.iter().map(|k| !is_label_key(k)).collect(),
        note: None,
        ..Table::default()
    }
}

/// Lays out a row by column key: `value(key)` gives each cell.
pub fn row_by_keys(
    spec: &TableSpec,
    style: super::table::RowStyle,
    mut value: impl FnMut(&str) -> super::table::Cell,
) -> Row {
    Row::new(spec.columns.iter().map(|k| value(k)).collect(), style)
}
