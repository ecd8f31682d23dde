//! The frame every standard table shares: caption, title, department line,
//! unit and the merged header, all from the template spec.

use crate::kinds::is_label_key;
use crate::model::Budget;
use crate::spec::{TableSpec, Template};
use crate::table::{HeaderCell, Merge, Table};

pub use crate::spec::NO_DATA_NOTE;

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
        caption: template.captions.then(|| spec.sheet.clone()),
        title: spec.title_for(budget.year),
        subtitle: None,
        department: Some(format!(
            "{}：{}",
            template.department_label(),
            budget.department
        )),
        unit: Some(format!("单位：{}", template.table_unit(spec))),
        width: spec.columns.len(),
        header,
        header_rows: spec.header.len(),
        numbering: spec.numbering,
        rows: Vec::new(),
        body_merges: Vec::new(),
        amount_columns: spec.columns.iter().map(|k| !is_label_key(*k)).collect(),
        note: None,
        ..Table::default()
    }
}
