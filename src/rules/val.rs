//! The values rules compare, and how they are named. A value carries its
//! number and, unwritten, where it sits and what it is: the cell's
//! `SHEET!A1` and the Chinese description are only written when a finding
//! is reported, so a clean table costs no formatting.

use super::context::{economic_what, line_what};
use super::rounding::Num;
use super::tab::Tab;
use crate::model::CellRef;
use crate::read::FiledRow;
use crate::spec::{ColumnKey, TableSpec};
use std::borrow::Cow;
use std::fmt;

/// A value to compare: the number, the cell it came from and what it is.
#[derive(Debug, Clone)]
pub struct Val<'v> {
    /// The number.
    pub num: Num,
    /// The cell, when the value sits in a known cell (also when blank).
    pub cell: Option<CellRef>,
    /// What it is, in Chinese: `表3 2011301 行政运行 基本支出`.
    pub what: What<'v>,
}

impl<'v> Val<'v> {
    /// A value from no cell (a row or table that is missing counts as
    /// blank).
    pub fn missing(what: impl Into<What<'v>>) -> Val<'v> {
        Val {
            num: Num::Blank,
            cell: None,
            what: what.into(),
        }
    }
}

/// What a value is, written when displayed.
#[derive(Debug, Clone)]
pub enum What<'v> {
    /// `表N row column` (`表N column` when the row has no name).
    Column {
        /// The table.
        tab: Tab<'v>,
        /// The row.
        row: RowWhat<'v>,
        /// The spec column key.
        key: ColumnKey,
    },
    /// Free text.
    Text(Cow<'v, str>),
    /// Text written piece after piece (a field of a performance form:
    /// `项目绩效目标表“…” 年度资金总额`).
    Pieces(Vec<&'v str>),
    /// Several descriptions joined by ` + ` (a sum standing for its parts).
    Joined(Vec<What<'v>>),
}

impl<'v> From<&'v str> for What<'v> {
    fn from(text: &'v str) -> Self {
        What::Text(Cow::Borrowed(text))
    }
}

impl From<String> for What<'_> {
    fn from(text: String) -> Self {
        What::Text(Cow::Owned(text))
    }
}

impl fmt::Display for What<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            What::Column { tab, row, key } => {
                let row = row.text();
                if row.is_empty() {
                    write!(f, "{} {}", tab.name(), tab.column(*key))
                } else {
                    write!(f, "{} {} {}", tab.name(), row, tab.column(*key))
                }
            }
            What::Text(text) => f.write_str(text),
            What::Pieces(pieces) => pieces.iter().try_for_each(|p| f.write_str(p)),
            What::Joined(parts) => {
                for (i, part) in parts.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" + ")?;
                    }
                    write!(f, "{part}")?;
                }
                Ok(())
            }
        }
    }
}

/// How a row is named in messages, written when displayed. A name read
/// from a row carries the spec it is read with, so it can describe values
/// of another table on the same line.
#[derive(Debug, Clone)]
pub enum RowWhat<'v> {
    /// Fixed text (`合计`, a fixed row's label); empty for no name.
    Text(Cow<'v, str>),
    /// The trimmed text of the row's cell under a column key (a project's
    /// `name`, a unit's `unit`).
    Cell(&'v TableSpec, &'v FiledRow, ColumnKey),
    /// A function line: `code name`, the code alone when the row has no
    /// name or is missing.
    Line(&'v TableSpec, &'v str, Option<&'v FiledRow>),
    /// A 表6 row: `部门预算科目/政府预算科目`.
    Economic(&'v TableSpec, &'v FiledRow),
}

impl<'v> RowWhat<'v> {
    /// The text of a row's cell under a column key.
    pub fn cell(tab: &Tab<'v>, row: &'v FiledRow, key: ColumnKey) -> Self {
        RowWhat::Cell(tab.spec, row, key)
    }

    /// A function line of a table: `code name`.
    pub fn line(tab: &Tab<'v>, code: &'v str, row: Option<&'v FiledRow>) -> Self {
        RowWhat::Line(tab.spec, code, row)
    }

    /// A 表6 row: `部门预算科目/政府预算科目`.
    pub fn economic(tab: &Tab<'v>, row: &'v FiledRow) -> Self {
        RowWhat::Economic(tab.spec, row)
    }

    /// The name as written in messages.
    pub fn text(&self) -> Cow<'_, str> {
        match self {
            RowWhat::Text(text) => Cow::Borrowed(text),
            RowWhat::Cell(spec, row, key) => Cow::Owned(row.text(spec, *key)),
            RowWhat::Line(spec, code, row) => Cow::Owned(line_what(spec, code, *row)),
            RowWhat::Economic(spec, row) => Cow::Owned(economic_what(spec, row)),
        }
    }
}

impl<'v> From<&'v str> for RowWhat<'v> {
    fn from(text: &'v str) -> Self {
        RowWhat::Text(Cow::Borrowed(text))
    }
}

impl<'v> From<&'v String> for RowWhat<'v> {
    fn from(text: &'v String) -> Self {
        RowWhat::Text(Cow::Borrowed(text))
    }
}

impl From<String> for RowWhat<'_> {
    fn from(text: String) -> Self {
        RowWhat::Text(Cow::Owned(text))
    }
}
