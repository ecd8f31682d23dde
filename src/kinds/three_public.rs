//! The "三公" table (表10 “三公”经费支出预算表): fixed rows of items
//! (合计, 因公出国（境）费, 公务接待费, 公务用车购置及运行费, 购置费,
//! 运行维护费) by fund; or, without fixed rows, one row whose columns are
//! the items, of the `scope` fund (the Ministry of Finance's form).
//!
//! How the items add up is declared once, in [`ITEM_SUMS`]: the view, the
//! fill-in formulas and the rules all follow it.

use super::fill::{FillContext, FillTable, Formula, Input, Term};
use super::relation::{present, write_row_sums, GroupSum, RowName, RowSum};
use super::{add_sources, row_by_keys, row_sources, sums_cell, Located, Reading, TableKind};
use crate::filed::{align_fixed_rows, FiledRow, FiledTable};
use crate::model::{Budget, Sources, ThreePublic as Items, UnitCost};
use crate::spec::{FixedRow, TableSpec, Wording};
use crate::table::{Cell, Row, RowStyle};

/// The "三公" kind.
pub struct ThreePublic;

/// An item that is the sum of others.
#[derive(Debug, Clone, Copy)]
pub struct ItemSum {
    /// The rule that checks it.
    pub rule: &'static str,
    /// The total item's key.
    pub total: &'static str,
    /// The parts' keys.
    pub parts: &'static [&'static str],
    /// How messages name the parts.
    pub parts_what: &'static str,
}

/// How the "三公" items add up.
pub const ITEM_SUMS: [ItemSum; 2] = [
    ItemSum {
        rule: "IT-3P-VEHICLE",
        total: "vehicle",
        parts: &["vehicle_purchase", "vehicle_operation"],
        parts_what: "购置费与运行维护费",
    },
    ItemSum {
        rule: "IT-3P-TOTAL",
        total: "total",
        parts: &["abroad", "reception", "vehicle"],
        parts_what: "三项经费",
    },
];

/// The sum declared for an item, if it is one.
fn sum_of(key: &str) -> Option<&'static ItemSum> {
    ITEM_SUMS.iter().find(|s| s.total == key)
}

/// The stated items (no sum) behind an item key, in declaration order.
fn leaves(key: &str) -> Vec<&'static str> {
    match sum_of(key) {
        Some(s) => s.parts.iter().flat_map(|p| leaves(p)).collect(),
        None => Items::ITEMS
            .iter()
            .map(|(k, _)| *k)
            .filter(|k| *k == key)
            .collect(),
    }
}

/// The "三公" items behind a row or column key (`vehicle` = purchase +
/// operation, `total` = all four).
pub fn three_public_parts<'a>(t: &'a Items, key: &str) -> Vec<&'a Sources> {
    leaves(key).into_iter().filter_map(|k| t.item(k)).collect()
}

/// A fixed row found in a table: (key, label, row).
pub type KeyedRow<'a> = (String, String, Option<&'a FiledRow>);

/// The rows of a fixed-row table (表10) by key, aligned on column `col`.
pub fn keyed_rows<'a>(filed: &'a FiledTable, spec: &TableSpec, col: &str) -> Vec<KeyedRow<'a>> {
    let labels: Vec<Wording<'_>> = spec.fixed_rows.iter().map(FixedRow::wording).collect();
    let at = align_fixed_rows(&filed.rows, spec, col, &labels);
    spec.fixed_rows
        .iter()
        .zip(at)
        .map(|(f, i)| (f.1.clone(), f.0.clone(), i.and_then(|i| filed.rows.get(i))))
        .collect()
}

/// The fund a one-row table shows.
fn fund(spec: &TableSpec) -> &str {
    spec.scope.as_deref().unwrap_or("general")
}

/// The column keys an item sum adds in a one-row table: its parts, a
/// part without a column replaced by what it sums.
fn present_parts(spec: &TableSpec, key: &str) -> Vec<String> {
    match spec.col(key) {
        Some(_) => vec![key.to_string()],
        None => sum_of(key)
            .map(|s| {
                s.parts
                    .iter()
                    .flat_map(|p| present_parts(spec, p))
                    .collect()
            })
            .unwrap_or_default(),
    }
}

impl TableKind for ThreePublic {
    fn read(&self, tables: &[(&FiledTable, &TableSpec)], r: &mut Reading<'_>) {
        for (table, spec) in tables {
            if spec.fixed_rows.is_empty() {
                // One row, the items as columns, of one fund.
                let Some(row) = table.rows.first() else {
                    continue;
                };
                for (key, _) in Items::ITEMS {
                    let amount = table.amount(row, spec, key, r.findings);
                    let items = &mut r.budget.three_public;
                    let slot = items.item_mut(key).and_then(|s| s.slot(fund(spec)));
                    if let Some(slot) = slot {
                        *slot = amount;
                    }
                }
                // 机关运行经费 beside the items (sh-2026): the department's
                // total, unless a 机关运行经费 table lists it by unit.
                let operating = table.amount(row, spec, "operating", r.findings);
                if let (Some(amount), true) = (operating, r.budget.operating_costs.is_empty()) {
                    let mut funds = Sources::default();
                    if let Some(slot) = funds.slot(fund(spec)) {
                        *slot = Some(amount);
                    }
                    let unit = r.budget.department.clone();
                    r.budget.operating_costs.push(UnitCost { unit, funds });
                }
                continue;
            }
            for (key, _, row) in keyed_rows(table, spec, "label") {
                let Some(row) = row else { continue };
                if r.budget.three_public.item(&key).is_none() {
                    continue;
                }
                let sources = row_sources(table, spec, row, r.findings);
                if let Some(slot) = r.budget.three_public.item_mut(&key) {
                    *slot = sources;
                }
            }
        }
    }

    fn rows(&self, b: &Budget, spec: &TableSpec) -> Vec<Row> {
        let t = &b.three_public;
        if spec.fixed_rows.is_empty() {
            let fund = format!("src.{}", fund(spec));
            let operating: Vec<&Sources> = b.operating_costs.iter().map(|u| &u.funds).collect();
            return vec![row_by_keys(spec, RowStyle::Normal, |k| match k {
                "operating" => sums_cell(&add_sources(&operating), &fund, true),
                k => sums_cell(&add_sources(&three_public_parts(t, k)), &fund, true),
            })];
        }
        spec.fixed_rows
            .iter()
            .map(|fixed| {
                let sums = add_sources(&three_public_parts(t, &fixed.1));
                let style = if fixed.1 == "total" {
                    RowStyle::Total
                } else {
                    RowStyle::Normal
                };
                row_by_keys(spec, style, |k| match k {
                    "label" => Cell::text(&fixed.0),
                    k => sums_cell(&sums, k, true),
                })
            })
            .collect()
    }

    fn supplies(&self, spec: &TableSpec) -> Vec<String> {
        if spec.fixed_rows.is_empty() {
            let mut facts = vec![format!("three_public.{}", fund(spec))];
            if spec.col("operating").is_some() {
                facts.push("operating_costs".to_string());
            }
            return facts;
        }
        spec.columns
            .iter()
            .filter_map(|c| c.strip_prefix("src."))
            .map(|f| format!("three_public.{f}"))
            .collect()
    }

    fn row_sums(&self, spec: &TableSpec) -> Vec<RowSum> {
        if !spec.fixed_rows.is_empty() {
            return RowSum::of_sources(spec, "total", false)
                .into_iter()
                .collect();
        }
        ITEM_SUMS
            .iter()
            .filter(|s| spec.col(s.total).is_some())
            .filter_map(|s| {
                let parts: Vec<String> = s
                    .parts
                    .iter()
                    .flat_map(|p| present_parts(spec, p))
                    .collect();
                (!parts.is_empty()).then(|| RowSum {
                    rule: s.rule,
                    target: s.total.to_string(),
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
        let rows = keyed_rows(filed, spec, "label");
        let get = |key: &str| rows.iter().find(|(k, ..)| k == key);
        let mut columns: Vec<String> = present(spec, &["total"])
            .into_iter()
            .map(String::from)
            .collect();
        columns.extend(
            spec.columns
                .iter()
                .filter(|c| c.starts_with("src."))
                .cloned(),
        );
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
                        .filter_map(|p| get(p))
                        .map(|(_, label, row)| (RowName::Text(label.clone()), *row))
                        .collect(),
                    columns: columns.clone(),
                    parts_what: sum.parts_what.to_string(),
                })
            })
            .collect()
    }

    fn fixed_labels<'s>(&self, spec: &'s TableSpec) -> Option<(&'static str, Vec<Wording<'s>>)> {
        (!spec.fixed_rows.is_empty()).then(|| {
            (
                "label",
                spec.fixed_rows.iter().map(FixedRow::wording).collect(),
            )
        })
    }

    fn fill_cells(&self, fill: &mut FillTable, spec: &TableSpec, _cx: &FillContext<'_>) {
        write_row_sums(fill, spec, &self.row_sums(spec));
        let row_of = |key: &str| spec.fixed_rows.iter().position(|f| f.1 == key);
        for r in 0..fill.table.rows.len() {
            let sum = spec
                .fixed_rows
                .get(r)
                .and_then(|f| sum_of(&f.1))
                .and_then(|s| {
                    s.parts
                        .iter()
                        .map(|p| row_of(p))
                        .collect::<Option<Vec<_>>>()
                });
            for (c, key) in spec.columns.iter().enumerate() {
                let formula = fill.formulas.iter().any(|(fr, fc, _)| *fr == r && *fc == c);
                if key == "label" || formula {
                    continue;
                }
                match &sum {
                    Some(rows) => {
                        let terms = rows.iter().map(|&row| Term::own(row, c)).collect();
                        fill.formulas.push((r, c, Formula::Sum(terms)));
                    }
                    None => fill.inputs.push((r, c, Input::Amount)),
                }
            }
        }
    }

    fn help(&self, _spec: &TableSpec) -> &'static str {
        "填写各项“三公”经费，小计和合计自动计算"
    }
}
