//! The same-row relations every table kind declares
//! ([`crate::kinds::TableKind::row_sums`]: 合计 = Σ sources, 合计 = 基本 +
//! 项目, 合计 = 人员 + 公用, the one-row "三公" items), checked on every
//! filed row by one engine. The fill-in workbook writes the same
//! declarations as formulas.

use super::context::{Context, RowWhat, Tab, Val};
use super::sink::Sink;
use crate::kinds::kind_of;
use crate::read::FiledRow;
use crate::spec::{ColumnKey, Layout};

/// The rows a row relation is checked on, each with how messages name it:
/// a function table's 合计 and lines, every other table's rows by their
/// label.
fn named_rows<'c>(ctx: &'c Context<'_>, tab: &'c Tab<'c>) -> Vec<(RowWhat<'c>, &'c FiledRow)> {
    match tab.spec.layout {
        Layout::Functions | Layout::Capital => ctx.funcs(tab).described(tab).collect(),
        Layout::Economic => tab
            .rows()
            .iter()
            .map(|r| (RowWhat::economic(tab, r), r))
            .collect(),
        _ => {
            let label = [ColumnKey::Label, ColumnKey::Unit, ColumnKey::Name]
                .into_iter()
                .find(|k| tab.has(*k));
            tab.rows()
                .iter()
                .map(|r| match label {
                    Some(key) => (RowWhat::cell(tab, r, key), r),
                    None => (RowWhat::from(""), r),
                })
                .collect()
        }
    }
}

/// IT-ROW-SOURCES, IT-FUNC-SPLIT, IT-ECON-ROW and the one-row "三公"
/// sums: every relation of the sink's rule, on every row of every table
/// that declares it.
pub fn row_sums(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let rule = sink.rule_id();
    for tab in ctx.tabs() {
        let sums: Vec<_> = kind_of(tab.spec)
            .row_sums(tab.spec)
            .into_iter()
            .filter(|s| s.rule == rule)
            .collect();
        if sums.is_empty() {
            continue;
        }
        for (what, row) in named_rows(ctx, &tab) {
            for sum in &sums {
                if !tab.has(sum.target) {
                    continue;
                }
                let parts: Vec<Val> = sum
                    .parts
                    .iter()
                    .filter(|p| tab.has(**p))
                    .map(|k| tab.val(row, *k, what.clone()))
                    .collect();
                sink.sum(
                    &tab.val(row, sum.target, what.clone()),
                    &parts,
                    sum.parts_what,
                );
            }
        }
    }
}
