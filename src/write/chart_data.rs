//! What the charts of a disclosure show, read off its standard tables:
//! the 一般公共预算当年拨款结构图 (the general-budget table's 类 lines) and
//! the 三公经费分布图 (the four “三公” items). Each point keeps the sheet
//! cells it comes from, so a workbook chart refers to the table's own
//! cells, and the amount as the table writes it, for a chart drawn from
//! cached values (the .docx draft).

use super::xlsx::body_top;
use crate::kinds::stated_items;
use crate::model::round_half_away;
use crate::spec::{ClassCode, ColumnKey, Role, TableSpec, Template};
use crate::views::{Cell, RowStyle, Table};
use rust_decimal::Decimal;

/// Which chart of a disclosure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// The year's general-budget appropriation by function 类.
    GeneralByClass,
    /// The “三公” items.
    ThreePublic,
}

impl ChartKind {
    /// Both charts, in the order the narrative mentions them.
    pub const ALL: [ChartKind; 2] = [ChartKind::GeneralByClass, ChartKind::ThreePublic];

    /// The chart's title, as the reference 情况说明 names it.
    pub fn title(self) -> &'static str {
        match self {
            ChartKind::GeneralByClass => "一般公共预算当年拨款结构图",
            ChartKind::ThreePublic => "三公经费分布图",
        }
    }

    /// The role of the table the chart is drawn from.
    fn role(self) -> Role {
        match self {
            ChartKind::GeneralByClass => Role::General,
            ChartKind::ThreePublic => Role::ThreePublic,
        }
    }

    /// Why a chart is not drawn when its table has no amount, in Chinese.
    pub fn without_data(self) -> &'static str {
        match self {
            ChartKind::GeneralByClass => "本年度无一般公共预算当年拨款，不绘制此图。",
            ChartKind::ThreePublic => "本年度无财政拨款安排的“三公”经费预算，不绘制此图。",
        }
    }
}

/// A sheet cell: 0-based row and column.
pub type SheetCell = (u32, u16);

/// One slice of a chart: a label and an amount of the table, with the
/// cells they are written in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartPoint {
    /// The label as the table writes it (`一般公共服务支出`, `公务接待费`).
    pub label: String,
    /// The amount as the table writes it: in the table's unit, to the cent.
    pub value: Decimal,
    /// Where the label is written.
    pub label_at: SheetCell,
    /// Where the amount is written.
    pub value_at: SheetCell,
}

/// One chart of a disclosure, over one table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartData {
    /// Which chart.
    pub kind: ChartKind,
    /// The sheet of its table.
    pub sheet: String,
    /// The table's unit line (`单位：万元`), if any.
    pub unit: Option<String>,
    /// Its slices in table order; empty when the table has no amount for
    /// it (the chart is then not drawn).
    pub points: Vec<ChartPoint>,
}

impl ChartData {
    /// The sum of the slices (what the percentages are shares of).
    pub fn total(&self) -> Decimal {
        self.points
            .iter()
            .fold(Decimal::ZERO, |s, p| s.checked_add(p.value).unwrap_or(s))
    }
}

/// The charts of `tables` (the standard tables of `template`): one per
/// [`ChartKind`] whose table the template has, in [`ChartKind::ALL`]
/// order.
///
/// ```
/// use budgetkit::{model::Budget, spec::Template, views::standard_tables};
/// use budgetkit::write::{chart_data, ChartKind};
/// let template = Template::load("sx-2025").unwrap();
/// let charts = chart_data(&standard_tables(&Budget::default(), &template), &template);
/// assert_eq!(charts.len(), 2);
/// assert_eq!(charts[1].kind, ChartKind::ThreePublic);
/// assert!(charts[1].points.is_empty());
/// ```
pub fn chart_data(tables: &[Table], template: &Template) -> Vec<ChartData> {
    ChartKind::ALL
        .iter()
        .filter_map(|&kind| {
            let spec = template.tables.iter().find(|s| s.role == kind.role())?;
            let table = tables.iter().find(|t| t.sheet == spec.sheet)?;
            let points = match kind {
                ChartKind::GeneralByClass => class_points(table, spec),
                ChartKind::ThreePublic => three_public_points(table, spec),
            };
            let drawn = points.iter().any(|p| !p.value.is_zero());
            Some(ChartData {
                kind,
                sheet: table.sheet.clone(),
                unit: table.unit.clone(),
                points: if drawn { points } else { Vec::new() },
            })
        })
        .collect()
}

fn sheet_col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

fn sheet_row(top: u32, r: usize) -> u32 {
    top.saturating_add(u32::try_from(r).unwrap_or(u32::MAX))
}

fn text(cell: Option<&Cell>) -> Option<&str> {
    match cell {
        Some(Cell::Text(s)) => Some(s.trim()),
        _ => None,
    }
}

/// An amount as the table writes it (to the cent); none for a blank.
fn written(cell: Option<&Cell>) -> Option<Decimal> {
    match cell {
        Some(Cell::Amount(v)) => Some(round_half_away(*v, 2)),
        _ => None,
    }
}

/// The 类 lines of a function-line table with an amount (not zero) in
/// its 合计 column: a 3-digit code in `code`, or a 3-digit `code.class` with no
/// `code.section` (a code split over 类 | 款 | 项).
fn class_points(t: &Table, spec: &TableSpec) -> Vec<ChartPoint> {
    let (Some(name), Some(total)) = (spec.col(ColumnKey::Name), spec.col(ColumnKey::Total)) else {
        return Vec::new();
    };
    let code = spec
        .col(ColumnKey::Code)
        .or_else(|| spec.col(ColumnKey::CodeClass));
    let section = spec.col(ColumnKey::CodeSection);
    let top = body_top(t);
    t.rows
        .iter()
        .enumerate()
        .filter(|(_, row)| row.style != RowStyle::Total)
        .filter_map(|(r, row)| {
            let class = text(row.cells.get(code?))?;
            let whole_class =
                section.is_none_or(|s| text(row.cells.get(s)).is_none_or(str::is_empty));
            if class.parse::<ClassCode>().is_err() || !whole_class {
                return None;
            }
            // A zero 类 has no slice in a structure chart.
            let value = written(row.cells.get(total)).filter(|v| !v.is_zero())?;
            Some(ChartPoint {
                label: text(row.cells.get(name))?.to_string(),
                value,
                label_at: (sheet_row(top, r), sheet_col(name)),
                value_at: (sheet_row(top, r), sheet_col(total)),
            })
        })
        .collect()
}

/// The four 三公 items: rows of a table with fixed rows (label and 合计
/// columns), or the columns of a one-row table (labelled by the lowest
/// header cell over each).
fn three_public_points(t: &Table, spec: &TableSpec) -> Vec<ChartPoint> {
    let top = body_top(t);
    if !spec.fixed_rows.is_empty() {
        let (Some(label), Some(total)) = (spec.col(ColumnKey::Label), spec.col(ColumnKey::Total))
        else {
            return Vec::new();
        };
        // The slices are the items 合计 adds up, not the subtotal 公务用车
        // 购置及运行费 nor 合计.
        return stated_items()
            .into_iter()
            .filter_map(|item| {
                let r = spec.fixed_rows.iter().position(|f| f.1 == item)?;
                let row = t.rows.get(r)?;
                Some(ChartPoint {
                    label: text(row.cells.get(label))?.to_string(),
                    value: written(row.cells.get(total)).unwrap_or_default(),
                    label_at: (sheet_row(top, r), sheet_col(label)),
                    value_at: (sheet_row(top, r), sheet_col(total)),
                })
            })
            .collect();
    }
    let header_top = top
        .saturating_sub(u32::from(t.numbering))
        .saturating_sub(u32::try_from(t.header_rows).unwrap_or(0));
    let Some(row) = t.rows.first() else {
        return Vec::new();
    };
    stated_items()
        .into_iter()
        .filter_map(|item| {
            let c = spec.col(ColumnKey::of_item(item))?;
            let head = t
                .header
                .iter()
                .filter(|h| h.at.col == c && h.at.last_col == c)
                .max_by_key(|h| h.at.row)?;
            Some(ChartPoint {
                label: head.text.trim().to_string(),
                value: written(row.cells.get(c)).unwrap_or_default(),
                label_at: (sheet_row(header_top, head.at.row), sheet_col(c)),
                value_at: (top, sheet_col(c)),
            })
        })
        .collect()
}
