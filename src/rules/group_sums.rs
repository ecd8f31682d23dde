//! The group sums every table kind declares
//! ([`crate::kinds::TableKind::group_sums`]: 表6 合计 and groups, 表11
//! 部门合计, 表12/13 department and units, the income lines' 合计, the
//! "三公" items), checked column by column by one engine.

use super::context::{Context, RowWhat, Tab, Val};
use super::sink::Sink;
use crate::kinds::RowName;
use crate::read::FiledRow;

/// How messages name a row of a relation.
fn what<'v>(tab: &Tab<'v>, name: &'v RowName, row: Option<&'v FiledRow>) -> RowWhat<'v> {
    match (name, row) {
        (RowName::Text(text), _) => RowWhat::from(text),
        (RowName::Cell(key), Some(row)) => RowWhat::cell(tab, row, *key),
        (RowName::Economic, Some(row)) => RowWhat::economic(tab, row),
        (_, None) => RowWhat::from(""),
    }
}

/// IT-ECON-TOTAL, IT-ECON-GROUP, IT-OPCOST-TOTAL, IT-PROJ-DEPT,
/// IT-PROJ-UNIT, IT-INCOME-LINES, and the "三公" item sums of 表10: every
/// group sum of the sink's rule, column by column.
pub fn group_sums(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let rule = sink.rule_id();
    for tab in ctx.tabs() {
        for sum in ctx.group_sums(&tab).iter().filter(|s| s.rule == rule) {
            let (total_name, total_row) = &sum.total;
            for key in sum.columns.iter().copied().filter(|k| tab.has(*k)) {
                let parts: Vec<Val> = sum
                    .parts
                    .iter()
                    .map(|(name, row)| tab.val_opt(*row, key, what(&tab, name, *row)))
                    .collect();
                let total = tab.val(total_row, key, what(&tab, total_name, Some(total_row)));
                sink.sum(&total, &parts, &sum.parts_what);
            }
        }
    }
}
