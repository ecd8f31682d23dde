//! The standard tables 预算公开表1–13, each a pure function of the model:
//! the template's frame around the rows its kind shows.

use super::frame::frame;
use crate::kinds::kind_of;
use crate::model::Budget;
use crate::spec::{TableSpec, Template};
use crate::table::Table;

/// All tables of `template` for `budget`, in template order.
pub fn standard_tables(budget: &Budget, template: &Template) -> Vec<Table> {
    template
        .tables
        .iter()
        .map(|spec| standard_table(budget, template, spec))
        .collect()
}

/// One table of the template.
pub fn standard_table(budget: &Budget, template: &Template, spec: &TableSpec) -> Table {
    let mut t = frame(spec, template, budget);
    let kind = kind_of(spec);
    t.rows = kind.rows(budget, spec);
    if kind.is_without_data(budget, spec) {
        t.note = Some(spec.empty_note_for(budget.year));
    }
    t
}

/// True when a table has no data rows and is published with 注：本表无数据.
pub fn is_without_data(budget: &Budget, spec: &TableSpec) -> bool {
    kind_of(spec).is_without_data(budget, spec)
}
