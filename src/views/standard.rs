//! The standard tables 预算公开表1–13, each a pure function of the model:
//! the template's frame around the rows its kind shows.

use super::frame::frame;
use crate::kinds::kind_of;
use crate::model::precision;
use crate::model::Budget;
use crate::spec::{TableSpec, Template};
use crate::table::{Cell, Table};
use rust_decimal::Decimal;

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
    } else if template.in_yuan(spec) && in_yuan(&mut t) {
        t.note = Some(FROM_WANYUAN_NOTE.to_string());
    }
    t.thousands = template.in_yuan(spec);
    t
}

/// The note under a table in 元 whose amounts were known only to the cent
/// of 万元 (a submission in 万元 converted): 万元 → 元 cannot invent the
/// hundreds of 元.
pub const FROM_WANYUAN_NOTE: &str =
    "注：本表金额由以万元为单位（保留两位小数）的数据换算，精确到百元。";

/// Turns a table's amounts (万元 in the model) into 元, the exact amount
/// at its precision; true when some amount was known only to the cent of
/// 万元.
fn in_yuan(t: &mut Table) -> bool {
    let mut from_wanyuan = false;
    for cell in t.rows.iter_mut().flat_map(|r| r.cells.iter_mut()) {
        if let Cell::Amount(v) = cell {
            from_wanyuan |= precision(*v) < 4 && !v.is_zero();
            *v = v.checked_mul(Decimal::from(10_000)).unwrap_or(*v);
        }
    }
    from_wanyuan
}

/// True when a table has no data rows and is published with 注：本表无数据.
pub fn is_without_data(budget: &Budget, spec: &TableSpec) -> bool {
    kind_of(spec).is_without_data(budget, spec)
}
