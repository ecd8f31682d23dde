//! The economic-classification table (表6 基本支出分经济科目表): a 合计
//! row, groups (工资福利支出 …, rows without a government class) and their
//! items (rows naming a government class), each with 人员经费/公用经费.
//!
//! Items filed before any group row are kept as ungrouped items — by the
//! reader, which turns them into model facts, and by the rules, which add
//! them into the 合计 — so the two cannot disagree.

use super::fill::{FillContext, FillTable, Input};
use super::functions::fill_line_cells;
use super::relation::{present, GroupSum, RowName, RowSum};
use super::{is_total, row_by_keys, Located, Reading, TableKind};
use crate::filed::{FiledRow, FiledTable};
use crate::findings::Finding;
use crate::model::{label_key, Budget, Costs, EconomicGroup, EconomicItem};
use crate::spec::{ColumnKey, TableSpec};
use crate::table::{Cell, Row, RowStyle};

/// The economic-classification kind.
pub struct Economic;

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

/// True when the table shows economic codes (类 | 款 columns, sh-2026):
/// a group is then a row with a 3-digit code, an item one with 5 digits.
fn has_codes(spec: &TableSpec) -> bool {
    spec.col(ColumnKey::CodeClass).is_some()
}

/// Splits 表6 into its total, ungrouped items and groups: by code where
/// the table shows codes, else an item is a row naming a government
/// class.
pub fn split_economic_rows<'a>(filed: &'a FiledTable, spec: &TableSpec) -> EconomicRows<'a> {
    let mut out = EconomicRows::default();
    let coded = has_codes(spec);
    for row in &filed.rows {
        let name = label_key(&row.text(spec, ColumnKey::Name));
        let code = if coded {
            row.key(spec, ColumnKey::Code)
        } else {
            String::new()
        };
        let is_group = if coded {
            code.len() == 3
        } else {
            row.key(spec, ColumnKey::GovName).is_empty()
        };
        if is_total(&name) || is_total(&code) {
            out.total = Some(row);
        } else if coded && code.is_empty() && name.is_empty() {
            continue;
        } else if is_group {
            out.groups.push((row, Vec::new()));
        } else if let Some((_, items)) = out.groups.last_mut() {
            items.push(row);
        } else {
            out.ungrouped.push(row);
        }
    }
    out
}

/// The 政府预算科目 an item is published under: as stated, or for an
/// item read with a code and no such name (a conversion from sh-2026)
/// the class its code falls in (`data/economic-classes.tsv`).
fn gov_name(item: &EconomicItem) -> &str {
    if !item.gov_name.is_empty() {
        return &item.gov_name;
    }
    crate::spec::gov_economic_name(&item.code).unwrap_or("其他")
}

/// The code a group or item is published under: as read, or for one
/// read without a code (a conversion from sx-2025) the code its name has
/// in `data/economic-classes.tsv`, under its group's 类 (empty when the
/// name is not there).
fn code_of(code: &str, name: &str, class: Option<&str>) -> String {
    if !code.is_empty() {
        return code.to_string();
    }
    crate::spec::economic_code(name, class.filter(|c| !c.is_empty()))
        .unwrap_or_default()
        .to_string()
}

/// `部门预算科目/政府预算科目` of a 表6 row, for messages.
pub fn economic_what(spec: &TableSpec, row: &FiledRow) -> String {
    let name = row.text(spec, ColumnKey::Name);
    let gov = row.text(spec, ColumnKey::GovName);
    if gov.is_empty() {
        name
    } else {
        format!("{name}/{gov}")
    }
}

fn costs(table: &FiledTable, spec: &TableSpec, row: &FiledRow, f: &mut Vec<Finding>) -> Costs {
    Costs {
        personnel: table.amount(row, spec, ColumnKey::Personnel, f),
        public: table.amount(row, spec, ColumnKey::Public, f),
    }
}

impl TableKind for Economic {
    fn read(&self, tables: &[(&FiledTable, &TableSpec)], r: &mut Reading<'_>) {
        let b = &mut r.budget;
        for (table, spec) in tables {
            // amounts read in filed order (so are their findings), then grouped
            let mut costs_at: std::collections::HashMap<u32, Costs> = table
                .rows
                .iter()
                .map(|row| (row.row, costs(table, spec, row, r.findings)))
                .collect();
            let mut take = |row: &FiledRow| costs_at.remove(&row.row).unwrap_or_default();
            let rows = split_economic_rows(table, spec);
            let code = |row: &FiledRow| {
                if has_codes(spec) {
                    row.key(spec, ColumnKey::Code)
                } else {
                    String::new()
                }
            };
            let item = |row: &FiledRow, take: &mut dyn FnMut(&FiledRow) -> Costs| EconomicItem {
                code: code(row),
                name: row.text(spec, ColumnKey::Name),
                gov_name: row.text(spec, ColumnKey::GovName),
                costs: take(row),
            };
            if let Some(total) = rows.total {
                b.economic.total = take(total);
            }
            if !rows.ungrouped.is_empty() {
                let items = rows
                    .ungrouped
                    .iter()
                    .map(|row| item(row, &mut take))
                    .collect();
                b.economic.groups.push(EconomicGroup {
                    code: String::new(),
                    name: String::new(),
                    costs: Costs::default(),
                    items,
                });
            }
            for (group, items) in &rows.groups {
                let costs = take(group);
                let items = items.iter().map(|row| item(row, &mut take)).collect();
                b.economic.groups.push(EconomicGroup {
                    code: code(group),
                    name: group.text(spec, ColumnKey::Name),
                    costs,
                    items,
                });
            }
        }
    }

    fn rows(&self, b: &Budget, spec: &TableSpec) -> Vec<Row> {
        let e = &b.economic;
        let costs_cell = |c: &Costs, key: ColumnKey| match key {
            ColumnKey::Total => Cell::amount(c.total()),
            ColumnKey::Personnel => Cell::amount(c.personnel.as_ref().map(|a| a.value)),
            ColumnKey::Public => Cell::amount(c.public.as_ref().map(|a| a.value)),
            _ => Cell::Empty,
        };
        // The 合计 label goes first: in the code column where there is one.
        let total_key = if has_codes(spec) {
            ColumnKey::CodeClass
        } else {
            ColumnKey::Name
        };
        let total = row_by_keys(spec, RowStyle::Total, |k| match k {
            k if k == total_key => Cell::text("合计"),
            ColumnKey::Name
            | ColumnKey::GovName
            | ColumnKey::CodeClass
            | ColumnKey::CodeSection => Cell::Empty,
            k => costs_cell(&e.total, k),
        });
        let mut rows = Vec::new();
        if !spec.total_last {
            rows.push(total.clone());
        }
        let code_part = |code: &str, k: ColumnKey| {
            let part = match k {
                ColumnKey::CodeClass => code.get(..3),
                _ => code.get(3..),
            };
            Cell::text(part.unwrap_or_default())
        };
        for g in &e.groups {
            let class = code_of(&g.code, &g.name, None);
            rows.push(row_by_keys(spec, RowStyle::Group, |k| match k {
                ColumnKey::Name => Cell::text(&g.name),
                ColumnKey::GovName | ColumnKey::CodeSection => Cell::Empty,
                ColumnKey::CodeClass => code_part(&class, k),
                k => costs_cell(&g.costs, k),
            }));
            for item in &g.items {
                let code = code_of(&item.code, &item.name, Some(&class));
                rows.push(row_by_keys(spec, RowStyle::Normal, |k| match k {
                    ColumnKey::Name => Cell::text(&item.name),
                    ColumnKey::GovName => Cell::text(gov_name(item)),
                    ColumnKey::CodeClass | ColumnKey::CodeSection => code_part(&code, k),
                    k => costs_cell(&item.costs, k),
                }));
            }
        }
        if spec.total_last {
            rows.push(total);
        }
        rows
    }

    fn supplies(&self, _spec: &TableSpec) -> Vec<String> {
        vec!["economic".to_string()]
    }

    fn row_sums(&self, spec: &TableSpec) -> Vec<RowSum> {
        RowSum::of(
            spec,
            "IT-ECON-ROW",
            ColumnKey::Total,
            &[ColumnKey::Personnel, ColumnKey::Public],
            "人员经费与公用经费",
        )
        .into_iter()
        .collect()
    }

    /// 合计 = the groups and ungrouped items (IT-ECON-TOTAL); each group
    /// = its items (IT-ECON-GROUP).
    fn group_sums<'a>(&self, t: Located<'a>) -> Vec<GroupSum<'a>> {
        let (filed, spec) = (t.table, t.spec);
        let rows = split_economic_rows(filed, spec);
        let columns = present(
            spec,
            &[ColumnKey::Total, ColumnKey::Personnel, ColumnKey::Public],
        );
        let mut sums = Vec::new();
        if let Some(total) = rows.total {
            sums.push(GroupSum::of(
                "IT-ECON-TOTAL",
                (RowName::Text("合计".into()), total),
                rows.top_level(),
                RowName::Economic,
                &columns,
                "各类经济科目",
            ));
        }
        for (group, items) in &rows.groups {
            if items.is_empty() {
                continue;
            }
            sums.push(GroupSum::of(
                "IT-ECON-GROUP",
                (RowName::Economic, *group),
                items.iter().copied(),
                RowName::Economic,
                &columns,
                format!("{}下各科目", economic_what(spec, group)),
            ));
        }
        sums
    }

    fn min_fill_rows(&self) -> usize {
        40
    }

    fn fill_cells(&self, fill: &mut FillTable, spec: &TableSpec, _cx: &FillContext<'_>) {
        fill_line_cells(fill, spec, &self.row_sums(spec), Input::FunctionCode);
    }

    fn help(&self, _spec: &TableSpec) -> &'static str {
        "按经济分类填写人员经费、公用经费"
    }
}
