//! What the fill-in workbook needs of a table kind: which cells a
//! department types into, and the formulas of the derived cells.

use crate::spec::{ColumnKey, TableSpec};
use crate::table::Table;

/// What a department types into an input cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// An amount in the template's unit (decimal validation).
    Amount,
    /// A function-classification code (dropdown of valid codes).
    FunctionCode,
    /// Free text (names, income codes).
    Text,
}

/// One addend of a formula.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// A body cell; `sheet` is `None` for the formula's own sheet.
    Cell {
        /// Sheet of another table, or `None`.
        sheet: Option<String>,
        /// Body row (0 = first row under the header).
        row: usize,
        /// Column.
        col: usize,
    },
    /// `SUMIF(key column, "text", value column)` over body rows of a sheet;
    /// `SUMIFS(value column, key column, "text", blank column, "")` with a
    /// column that must be blank on the rows summed.
    SumIf {
        /// Sheet of the table summed.
        sheet: String,
        /// Column compared with `equals`.
        key_col: usize,
        /// Column summed.
        value_col: usize,
        /// First body row of the range.
        first_row: usize,
        /// Last body row of the range (inclusive).
        last_row: usize,
        /// The key text (a 类 code).
        equals: String,
        /// A column blank on the rows summed: the 款 of codes split over
        /// 类/款/项 columns, whose 类 column repeats the 类 on every line
        /// under it (sh-2026), so only the 类's own line counts.
        blank_col: Option<usize>,
    },
}

impl Term {
    /// A cell of the formula's own sheet.
    pub fn own(row: usize, col: usize) -> Term {
        Term::Cell {
            sheet: None,
            row,
            col,
        }
    }
}

/// A derived cell's formula.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Formula {
    /// The sum of the terms (blank when every term is blank).
    Sum(Vec<Term>),
    /// The department name typed on the instructions sheet.
    Department,
}

/// A published table prepared for filling in.
#[derive(Debug, Clone, PartialEq)]
pub struct FillTable {
    /// The table: frame, labels, prefilled values and formula results.
    pub table: Table,
    /// Input cells: body row, column, kind.
    pub inputs: Vec<(usize, usize, Input)>,
    /// Formula cells: body row, column, formula.
    pub formulas: Vec<(usize, usize, Formula)>,
}

impl FillTable {
    /// The input kind of a body cell, if it is an input.
    pub fn input_at(&self, row: usize, col: usize) -> Option<Input> {
        self.inputs
            .iter()
            .find(|(r, c, _)| *r == row && *c == col)
            .map(|(_, _, k)| *k)
    }
}

/// What a fill-in table may refer to outside itself: the table that
/// states income by function line and source (表2), with its row count,
/// which 表1/表4 are computed from.
pub struct FillContext<'a> {
    /// The income table's spec and body row count.
    pub income: Option<(&'a TableSpec, usize)>,
    /// The spending tables of the fiscal funds (表5 and its kin) with
    /// their body row counts: a fund's income by line where the income
    /// table shows 财政拨款收入 in one column (sh-2026).
    pub funds: Vec<(&'a TableSpec, usize)>,
}

impl FillContext<'_> {
    /// The income table's 合计-row cell under a column key; for a fiscal
    /// fund's `src.<fund>` the income table has no column for, the 合计
    /// of that fund's spending table.
    pub fn income_total(&self, key: ColumnKey) -> Option<Term> {
        let (spec, _, col) = self.source_of(key)?;
        Some(Term::Cell {
            sheet: Some(spec.sheet.clone()),
            row: 0,
            col,
        })
    }

    /// The income table's column `key` summed over the lines of 类
    /// `code` (a fiscal fund's from its spending table, as
    /// [`Self::income_total`]).
    pub fn income_sum_if(&self, code: &str, key: ColumnKey) -> Option<Term> {
        let (spec, rows, value_col) = self.source_of(key)?;
        // The 类 of a code in one column is its own line's code; of a code
        // split over columns, the line whose 款 is blank.
        let (key_col, blank_col) = match spec.col(ColumnKey::Code) {
            Some(c) => (c, None),
            None => (
                spec.col(ColumnKey::CodeClass)?,
                Some(spec.col(ColumnKey::CodeSection)?),
            ),
        };
        Some(Term::SumIf {
            sheet: spec.sheet.clone(),
            key_col,
            value_col,
            first_row: 1,
            last_row: rows.saturating_sub(1).max(1),
            equals: code.to_string(),
            blank_col,
        })
    }

    /// The table, its body row count and the column that state income
    /// under `key`: the income table's own column, or for a fiscal fund it
    /// has no column for, the 合计 column of that fund's spending table.
    fn source_of(&self, key: ColumnKey) -> Option<(&TableSpec, usize, usize)> {
        let (spec, rows) = self.income?;
        if let Some(col) = spec.col(key) {
            return Some((spec, rows, col));
        }
        let fund = key.source()?;
        let (table, rows) = self
            .funds
            .iter()
            .find(|(t, _)| t.scope.as_deref() == Some(fund.as_str()))?;
        Some((table, *rows, table.col(ColumnKey::Total)?))
    }
}
