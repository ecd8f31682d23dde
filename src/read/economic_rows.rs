//! How the rows of the economic-classification table (表6) group: the 合计
//! row, groups (工资福利支出 …, rows without a government class) and their
//! items (rows naming a government class). Items filed before any group
//! row are kept as ungrouped items — by the reader, which turns them into
//! model facts, and by the rules, which add them into the 合计 — so the
//! two cannot disagree.

use super::filed::{FiledRow, FiledTable};
use crate::model::label_key;
use crate::spec::TableSpec;

/// The 表6 rows: the 合计 row, items before any group, groups with items.
#[derive(Debug, Default)]
pub struct EconomicRows<'a> {
    /// The 合计 row.
    pub total: Option<&'a FiledRow>,
    /// Items filed before any group row.
    pub ungrouped: Vec<&'a FiledRow>,
    /// Groups: (group row, item rows).
    pub groups: Vec<(&'a FiledRow, Vec<&'a FiledRow>)>,
}

impl<'a> EconomicRows<'a> {
    /// The rows that add up to the 合计: every group row and every
    /// ungrouped item, in filed order of their kind.
    pub fn top_level(&self) -> impl Iterator<Item = &'a FiledRow> + '_ {
        self.ungrouped
            .iter()
            .copied()
            .chain(self.groups.iter().map(|(g, _)| *g))
    }
}

/// Splits 表6 into its total, ungrouped items and groups.
pub fn split_economic_rows<'a>(filed: &'a FiledTable, spec: &TableSpec) -> EconomicRows<'a> {
    let mut out = EconomicRows::default();
    for row in &filed.rows {
        let name = label_key(&row.text(spec, "name"));
        if matches!(name.as_str(), "合计" | "总计") {
            out.total = Some(row);
        } else if row.key(spec, "gov_name").is_empty() {
            out.groups.push((row, Vec::new()));
        } else if let Some((_, items)) = out.groups.last_mut() {
            items.push(row);
        } else {
            out.ungrouped.push(row);
        }
    }
    out
}
