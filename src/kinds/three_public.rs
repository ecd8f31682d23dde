//! The "三公" table (表10 “三公”经费支出预算表): fixed rows of items
//! (合计, 因公出国（境）费, 公务接待费, 公务用车购置及运行费, 购置费,
//! 运行维护费) by fund; or, without fixed rows, one row whose columns are
//! the items, of the `scope` fund (the Ministry of Finance's form).
//!
//! How the items add up is declared once, in [`ITEM_SUMS`]: the view, the
//! fill-in formulas and the rules all follow it.

use super::fill::{FillContext, FillTable, Input};
use super::relation::{present, write_row_sums, GroupSum, RowName, RowSum};
use super::{add_sources, row_by_keys, row_sources, sums_cell, Located, Reading, TableKind};
use crate::filed::{align_fixed_rows, FiledRow, FiledTable};
use crate::model::{Budget, Sources, ThreePublic as Items, UnitCost};
use crate::spec::{
    ColumnKey, FixedRow, Fund, Scope, Source, TableSpec, ThreePublicItem as Item, Wording,
};
use crate::table::{Cell, Row, RowStyle};

/// The "三公" kind.
pub struct ThreePublic;

/// An item that is the sum of others.
#[derive(Debug, Clone, Copy)]
pub struct ItemSum {
    /// The rule that checks it.
    pub rule: &'static str,
    /// The total item.
    pub total: Item,
    /// The parts.
    pub parts: &'static [Item],
    /// How messages name the parts.
    pub parts_what: &'static str,
}

/// How the "三公" items add up.
pub const ITEM_SUMS: [ItemSum; 2] = [
    ItemSum {
        rule: "IT-3P-VEHICLE",
        total: Item::Vehicle,
        parts: &[Item::VehiclePurchase, Item::VehicleOperation],
        parts_what: "购置费与运行维护费",
    },
    ItemSum {
        rule: "IT-3P-TOTAL",
        total: Item::Total,
        parts: &[Item::Abroad, Item::Reception, Item::Vehicle],
        parts_what: "三项经费",
    },
];

/// The sum declared for an item, if it is one.
fn sum_of(item: Item) -> Option<&'static ItemSum> {
    ITEM_SUMS.iter().find(|s| s.total == item)
}

/// The stated items (no sum) behind an item, in declaration order.
fn leaves(item: Item) -> Vec<Item> {
    match sum_of(item) {
        Some(s) => s.parts.iter().flat_map(|p| leaves(*p)).collect(),
        None => vec![item],
    }
}

/// The four items stated, not summed (因公出国（境）费, 公务接待费, 购置费,
/// 运行费): what 合计 adds up, in declaration order.
pub fn stated_items() -> Vec<Item> {
    leaves(Item::Total)
}

/// The "三公" amounts behind an item (`vehicle` = purchase + operation,
/// `total` = all four).
pub fn three_public_parts(t: &Items, item: Item) -> Vec<&Sources> {
    leaves(item).into_iter().filter_map(|k| t.item(k)).collect()
}

/// A fixed row found in a table: (item, label, row).
pub type KeyedRow<'a> = (Item, String, Option<&'a FiledRow>);

/// The rows of a fixed-row table (表10) by key, aligned on column `col`.
pub fn keyed_rows<'a>(
    filed: &'a FiledTable,
    spec: &TableSpec,
    col: ColumnKey,
) -> Vec<KeyedRow<'a>> {
    let labels: Vec<Wording<'_>> = spec.fixed_rows.iter().map(FixedRow::wording).collect();
    let at = align_fixed_rows(filed, spec, col, &labels);
    spec.fixed_rows
        .iter()
        .zip(at)
        .map(|(f, i)| (f.1, f.0.clone(), i.and_then(|i| filed.rows.get(i))))
        .collect()
}

/// The fund a one-row table shows.
/// The source a one-row 三公 table's amounts are of: its scope's fund,
/// 一般公共预算 unless the template says otherwise.
fn fund(spec: &TableSpec) -> Source {
    spec.scope
        .and_then(Scope::fund)
        .unwrap_or(Fund::General)
        .source()
}

/// The column keys an item sum adds in a one-row table: its parts, a
/// part without a column replaced by what it sums.
fn present_parts(spec: &TableSpec, item: Item) -> Vec<ColumnKey> {
    let col = ColumnKey::of_item(item);
    if spec.has(col) {
        return vec![col];
    }
    sum_of(item)
        .map(|s| {
            s.parts
                .iter()
                .flat_map(|p| present_parts(spec, *p))
                .collect()
        })
        .unwrap_or_default()
}

impl TableKind for ThreePublic {
    fn read(&self, tables: &[(&FiledTable, &TableSpec)], r: &mut Reading<'_>) {
        for (table, spec) in tables {
            if spec.fixed_rows.is_empty() {
                // One row, the items as columns, of one fund.
                let Some(row) = table.rows.first() else {
                    continue;
                };
                for item in Items::ITEMS {
                    let amount = table.amount(row, spec, ColumnKey::of_item(item), r.findings);
                    if let Some(s) = r.budget.three_public.item_mut(item) {
                        *s.slot(fund(spec)) = amount;
                    }
                }
                // 机关运行经费 beside the items (sh-2026): the department's
                // total, unless a 机关运行经费 table lists it by unit.
                let operating = table.amount(row, spec, ColumnKey::Operating, r.findings);
                if let (Some(amount), true) = (operating, r.budget.operating_costs.is_empty()) {
                    let mut funds = Sources::default();
                    *funds.slot(fund(spec)) = Some(amount);
                    let unit = r.budget.department.clone();
                    r.budget.operating_costs.push(UnitCost { unit, funds });
                }
                continue;
            }
            for (key, _, row) in keyed_rows(table, spec, ColumnKey::Label) {
                let Some(row) = row else { continue };
                if r.budget.three_public.item(key).is_none() {
                    continue;
                }
                let sources = row_sources(table, spec, row, r.findings);
                if let Some(slot) = r.budget.three_public.item_mut(key) {
                    *slot = sources;
                }
            }
        }
    }

    fn rows(&self, b: &Budget, spec: &TableSpec) -> Vec<Row> {
        let t = &b.three_public;
        if spec.fixed_rows.is_empty() {
            let fund = fund(spec)
                .parse()
                .map_or(ColumnKey::SrcGeneral, ColumnKey::of_source);
            let operating: Vec<&Sources> = b.operating_costs.iter().map(|u| &u.funds).collect();
            return vec![row_by_keys(spec, RowStyle::Normal, |k| match k {
                ColumnKey::Operating => sums_cell(&add_sources(&operating), fund, true),
                k => match k.item() {
                    Some(item) => sums_cell(&add_sources(&three_public_parts(t, item)), fund, true),
                    None => Cell::Empty,
                },
            })];
        }
        spec.fixed_rows
            .iter()
            .map(|fixed| {
                let sums = add_sources(&three_public_parts(t, fixed.1));
                let style = if fixed.1 == Item::Total {
                    RowStyle::Total
                } else {
                    RowStyle::Normal
                };
                row_by_keys(spec, style, |k| match k {
                    ColumnKey::Label => Cell::text(&fixed.0),
                    k => sums_cell(&sums, k, true),
                })
            })
            .collect()
    }

    fn supplies(&self, spec: &TableSpec) -> Vec<String> {
        if spec.fixed_rows.is_empty() {
            let mut facts = vec![format!("three_public.{}", fund(spec))];
            if spec.col(ColumnKey::Operating).is_some() {
                facts.push("operating_costs".to_string());
            }
            return facts;
        }
        spec.columns
            .iter()
            .filter_map(|c| c.source())
            .map(|f| format!("three_public.{f}"))
            .collect()
    }

    fn row_sums(&self, spec: &TableSpec) -> Vec<RowSum> {
        if !spec.fixed_rows.is_empty() {
            return RowSum::of_sources(spec, ColumnKey::Total, false)
                .into_iter()
                .collect();
        }
        ITEM_SUMS
            .iter()
            .filter(|s| spec.has(ColumnKey::of_item(s.total)))
            .filter_map(|s| {
                let parts: Vec<ColumnKey> = s
                    .parts
                    .iter()
                    .flat_map(|p| present_parts(spec, *p))
                    .collect();
                (!parts.is_empty()).then(|| RowSum {
                    rule: s.rule,
                    target: ColumnKey::of_item(s.total),
                    parts,
                    parts_what: s.parts_what,
                })
            })
            .collect()
    }

    /// The item sums of [`ITEM_SUMS`] on the fixed rows, fund by fund (a
    /// one-row table has them as row sums).
    fn group_sums<'a>(&self, t: Located<'a>) -> Vec<GroupSum<'a>> {
        let (filed, spec) = (t.table, t.spec);
        if spec.fixed_rows.is_empty() {
            return Vec::new();
        }
        let rows = keyed_rows(filed, spec, ColumnKey::Label);
        let get = |item: Item| rows.iter().find(|(k, ..)| *k == item);
        let mut columns = present(spec, &[ColumnKey::Total]);
        columns.extend(spec.columns.iter().filter(|c| c.is_source_column()));
        ITEM_SUMS
            .iter()
            .filter_map(|sum| {
                let (_, label, total) = get(sum.total)?;
                Some(GroupSum {
                    rule: sum.rule,
                    total: (RowName::Text(label.clone()), (*total)?),
                    parts: sum
                        .parts
                        .iter()
                        .filter_map(|p| get(*p))
                        .map(|(_, label, row)| (RowName::Text(label.clone()), *row))
                        .collect(),
                    columns: columns.clone(),
                    parts_what: sum.parts_what.to_string(),
                })
            })
            .collect()
    }

    fn fixed_labels<'s>(&self, spec: &'s TableSpec) -> Option<(ColumnKey, Vec<Wording<'s>>)> {
        (!spec.fixed_rows.is_empty()).then(|| {
            (
                ColumnKey::Label,
                spec.fixed_rows.iter().map(FixedRow::wording).collect(),
            )
        })
    }

    /// The fixed rows are the fill-in rows.
    fn group_sums_in_fill_in(&self) -> bool {
        true
    }

    /// The row sums; every other amount cell is an input (the item sums
    /// become formulas by [`super::fill_group_sums`]).
    fn fill_cells(&self, fill: &mut FillTable, spec: &TableSpec, _cx: &FillContext<'_>) {
        write_row_sums(fill, spec, &self.row_sums(spec));
        for r in 0..fill.table.rows.len() {
            for (c, key) in spec.columns.iter().enumerate() {
                let formula = fill.formulas.iter().any(|(fr, fc, _)| *fr == r && *fc == c);
                if *key != ColumnKey::Label && !formula {
                    fill.inputs.push((r, c, Input::Amount));
                }
            }
        }
    }

    fn help(&self, _spec: &TableSpec) -> &'static str {
        "填写各项“三公”经费，小计和合计自动计算"
    }
}
