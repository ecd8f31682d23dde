//! The abstract published table: a grid of typed cells with a title and a
//! merged header, knowing nothing about xlsx.

use rust_decimal::Decimal;

/// One cell of a table body.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing (a blank amount is also `Empty`, never `0.00`).
    Empty,
    /// Text, always written as text (never a formula).
    Text(String),
    /// An amount in 万元, written with two decimals.
    Amount(Decimal),
}

impl Cell {
    /// Text cell.
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    /// Amount cell, or `Empty` for `None`.
    pub fn amount(v: Option<Decimal>) -> Cell {
        v.map_or(Cell::Empty, Cell::Amount)
    }

    /// The cell as the published text (`353.49`, label, or empty).
    pub fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Amount(v) => crate::model::two_decimals(*v),
        }
    }
}

/// How a body row is emphasised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RowStyle {
    /// An ordinary line.
    #[default]
    Normal,
    /// A total (合计, 收入总计 …): bold.
    Total,
    /// A roll-up line (类, group): bold.
    Group,
    /// Free text spanning the row (long form fields): wrapped, left-aligned.
    Prose,
}

/// One body row.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Row {
    /// Cells, one per column (shorter rows are padded with `Empty`).
    pub cells: Vec<Cell>,
    /// Emphasis.
    pub style: RowStyle,
}

impl Row {
    /// A row of the given style.
    pub fn new(cells: Vec<Cell>, style: RowStyle) -> Row {
        Row { cells, style }
    }
}

/// A merged range in the body or header (0-based, inclusive), relative to
/// the first body or header row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    /// First row.
    pub row: usize,
    /// First column.
    pub col: usize,
    /// Last row.
    pub last_row: usize,
    /// Last column.
    pub last_col: usize,
}

/// A header cell: text and its merged extent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderCell {
    /// Text.
    pub text: String,
    /// Extent.
    pub at: Merge,
}

/// One published table (or form) as an abstract grid.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    /// Sheet name to write it on.
    pub sheet: String,
    /// Caption above the title (预算公开表1), if any.
    pub caption: Option<String>,
    /// Title.
    pub title: String,
    /// Subtitle line under the title (e.g. `(2025) 年度`), if any.
    pub subtitle: Option<String>,
    /// `部门名称：…` (left of the line under the title), if any.
    pub department: Option<String>,
    /// `单位：万元` (right of that line), if any.
    pub unit: Option<String>,
    /// Number of columns.
    pub width: usize,
    /// Header cells (may span rows and columns).
    pub header: Vec<HeaderCell>,
    /// Number of header rows.
    pub header_rows: usize,
    /// A 栏次 row (1, 2, 3 …) under the header.
    pub numbering: bool,
    /// Body rows.
    pub rows: Vec<Row>,
    /// Merged ranges in the body.
    pub body_merges: Vec<Merge>,
    /// Which columns hold amounts (right-aligned, `0.00`).
    pub amount_columns: Vec<bool>,
    /// Amounts written with thousands separators (`#,##0.00`: tables in
    /// 元, as 31,214,205.80).
    pub thousands: bool,
    /// Note under the body (注：本表无数据).
    pub note: Option<String>,
    /// Body cells that are form labels (`部门名称`, `一级指标` …), as
    /// (row, col) relative to the first body row: written like header
    /// cells (centered, wrapped, shaded) whatever their row's style.
    pub label_cells: Vec<(usize, usize)>,
    /// Column widths in character units; empty means "computed from the
    /// content" (forms fix them so long text wraps instead of widening).
    pub col_widths: Vec<f64>,
}

impl Table {
    /// True when the body cell at (row, col) is a form label.
    pub fn is_label(&self, row: usize, col: usize) -> bool {
        self.label_cells.contains(&(row, col))
    }
}
