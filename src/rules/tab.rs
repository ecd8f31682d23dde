//! A located table as the rules see it: its filed rows, its spec, its
//! number 表N, and the Chinese names of its columns, worked out once per
//! check run and table. Each cell's number is the amount the reader
//! parsed when it located the table.

use super::in_table::MAX_AMOUNT;
use super::rounding::Num;
use super::val::{RowWhat, Val, What};
use crate::model::CellRef;
use crate::read::{FiledRow, FiledTable};
use crate::spec::{ColumnKey, TableSpec};
use rust_decimal::Decimal;
use std::cell::OnceCell;
use std::fmt;

/// A located table with its spec and its number in the template (表N).
#[derive(Clone, Copy)]
pub struct Tab<'c> {
    /// The table as filed.
    pub filed: &'c FiledTable,
    /// Its spec.
    pub spec: &'c TableSpec,
    /// 1-based position in the template: the N of 表N.
    pub no: usize,
    /// Position among the context's tables.
    pub(super) idx: usize,
    /// What is worked out once for this table.
    memo: &'c TabMemo,
}

impl fmt::Debug for Tab<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Tab({} {})", self.name(), self.filed.sheet)
    }
}

/// What the rules work out once per table and check run.
#[derive(Default)]
pub(super) struct TabMemo {
    /// The Chinese name of each spec column (the last level of its
    /// header; `None` when the header has none).
    labels: OnceCell<Vec<Option<String>>>,
    /// Every amount cell: (row index, column key, number), in row order.
    amounts: OnceCell<Vec<(usize, ColumnKey, Num)>>,
    /// [`Tab::largest_amount`].
    largest: OnceCell<Decimal>,
}

/// `表N`, written when displayed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableName(pub usize);

impl fmt::Display for TableName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "表{}", self.0)
    }
}

impl<'c> Tab<'c> {
    /// A table of a context, with the memo the context keeps for it.
    pub(super) fn new(
        filed: &'c FiledTable,
        spec: &'c TableSpec,
        no: usize,
        idx: usize,
        memo: &'c TabMemo,
    ) -> Self {
        Tab {
            filed,
            spec,
            no,
            idx,
            memo,
        }
    }

    /// `表N`.
    pub fn name(&self) -> TableName {
        TableName(self.no)
    }

    /// The Chinese name of a column (the key itself when the spec lacks
    /// it).
    pub fn column(&self, key: ColumnKey) -> &'c str {
        if let Some(label) = key.short_name() {
            return label;
        }
        let memo: &'c TabMemo = self.memo;
        let labels = memo.labels.get_or_init(|| {
            self.spec
                .column_paths()
                .iter()
                .map(|path| path.last().cloned())
                .collect()
        });
        match self.spec.col(key).and_then(|i| labels.get(i)?.as_deref()) {
            Some(label) => label,
            None => key.as_str(),
        }
    }

    /// True when the spec has the column.
    pub fn has(&self, key: ColumnKey) -> bool {
        self.spec.has(key)
    }

    /// The number under a column, in 万元 (a sheet in 元 is scaled and
    /// rounded as the reader does: it is the reader's own parse).
    pub fn num(&self, row: &FiledRow, key: ColumnKey) -> Num {
        self.num_at(row, self.spec.col(key))
    }

    /// The number in a row under the spec column at `col`: the amount
    /// read when the table was located.
    fn num_at(&self, row: &FiledRow, col: Option<usize>) -> Num {
        col.and_then(|c| row.cells.get(c)?.as_ref())
            .map_or(Num::Blank, |cell| Num::from(cell.amount))
    }

    /// The cell of a row under the spec column at `col` (also when blank).
    fn cell_at(&self, row: &FiledRow, col: Option<usize>) -> Option<CellRef> {
        let sheet_col = self.filed.columns.get(col?).copied().flatten()?;
        Some(CellRef::new(self.filed.sheet.clone(), row.row, sheet_col))
    }

    /// The value under a column of a row named `row_what`.
    pub fn val<'v>(
        &self,
        row: &FiledRow,
        key: ColumnKey,
        row_what: impl Into<RowWhat<'v>>,
    ) -> Val<'v>
    where
        'c: 'v,
    {
        let col = self.spec.col(key);
        Val {
            num: self.num_at(row, col),
            cell: self.cell_at(row, col),
            what: self.what(row_what, key),
        }
    }

    /// The value under a column of an optional row (missing → blank).
    pub fn val_opt<'v>(
        &self,
        row: Option<&FiledRow>,
        key: ColumnKey,
        row_what: impl Into<RowWhat<'v>>,
    ) -> Val<'v>
    where
        'c: 'v,
    {
        match row {
            Some(r) => self.val(r, key, row_what),
            None => Val::missing(self.what(row_what, key)),
        }
    }

    /// `表N row column`.
    pub fn what<'v>(&self, row_what: impl Into<RowWhat<'v>>, key: ColumnKey) -> What<'v>
    where
        'c: 'v,
    {
        What::Column {
            tab: *self,
            row: row_what.into(),
            key,
        }
    }

    /// The amount columns among `keys` that the spec has.
    pub fn present(&self, keys: &[ColumnKey]) -> Vec<ColumnKey> {
        crate::kinds::present(self.spec, keys)
    }

    /// The spec's columns that `keep` keeps (e.g. [`ColumnKey::source`]).
    pub fn columns_where(&self, keep: impl Fn(ColumnKey) -> bool) -> Vec<ColumnKey> {
        self.spec
            .columns
            .iter()
            .copied()
            .filter(|c| keep(*c))
            .collect()
    }

    /// The body rows.
    pub fn rows(&self) -> &'c [FiledRow] {
        &self.filed.rows
    }

    /// Every amount cell of the table (a cell under an amount column, also
    /// when not a number): (row, column key, number), worked out once per
    /// check.
    pub fn amounts(&self) -> impl Iterator<Item = (&'c FiledRow, ColumnKey, Num)> + '_ {
        let spec = self.spec;
        let all = self.memo.amounts.get_or_init(|| {
            let keys = crate::kinds::amount_columns(spec);
            let mut out = Vec::new();
            for (i, row) in self.filed.rows.iter().enumerate() {
                for key in &keys {
                    if row.cell(spec, *key).is_some() {
                        out.push((i, *key, self.num(row, *key)));
                    }
                }
            }
            out
        });
        let rows = &self.filed.rows;
        all.iter()
            .filter_map(move |(i, key, n)| Some((rows.get(*i)?, *key, *n)))
    }

    /// The table's largest amount (0 when it has none), worked out once;
    /// amounts IT-AMOUNT-NUMBER reports as absurd do not count.
    pub fn largest_amount(&self) -> Decimal {
        *self.memo.largest.get_or_init(|| {
            self.amounts()
                .filter_map(|(_, _, n)| match n {
                    Num::Value(v) if v.abs() <= MAX_AMOUNT => Some(v.abs()),
                    _ => None,
                })
                .max()
                .unwrap_or_default()
        })
    }

    /// The cell of a column in a row (also when blank).
    pub fn reference(&self, row: &FiledRow, key: ColumnKey) -> Option<CellRef> {
        self.cell_at(row, self.spec.col(key))
    }
}

#[cfg(test)]
mod tests {
    use crate::read::sample;
    use crate::rules::context::{Context, Role};
    use crate::spec::ColumnKey;

    #[test]
    fn a_number_read_twice_or_from_a_copied_row_is_the_same() {
        let (template, sub) = sample();
        let ctx = Context::new(&sub.budget, &sub.tables, &template);
        let tab = ctx.tab(Role::Spending).unwrap();
        let total = ctx.funcs(&tab).total.unwrap();
        let first = tab.num(total, ColumnKey::Total);
        assert!(first.is_nonzero());
        assert_eq!(tab.num(total, ColumnKey::Total), first);
        // A copied row carries the amounts read with its cells.
        let copy = total.clone();
        assert_eq!(tab.num(&copy, ColumnKey::Total), first);
        // A column the table does not have is blank.
        assert_eq!(tab.num(&copy, ColumnKey::Abroad), super::Num::Blank);
    }

    #[test]
    fn values_are_named_and_placed_only_when_written() {
        let (template, sub) = sample();
        let ctx = Context::new(&sub.budget, &sub.tables, &template);
        let tab = ctx.tab(Role::Spending).unwrap();
        let total = ctx.funcs(&tab).total.unwrap();
        let val = tab.val(total, ColumnKey::Basic, "合计");
        assert_eq!(val.what.to_string(), "表3 合计 基本支出");
        let cell = val.cell.unwrap().to_string();
        assert!(cell.starts_with(&format!("{}!", tab.filed.sheet)), "{cell}");
        let missing = tab.val_opt(None, ColumnKey::Basic, "");
        assert_eq!(missing.what.to_string(), "表3 基本支出");
        assert_eq!(missing.cell, None);
    }

    /// #9: the rules re-parsed every amount the reader had parsed.
    #[test]
    fn the_rules_number_is_the_readers_amount_of_each_cell() {
        let (template, sub) = sample();
        let ctx = Context::new(&sub.budget, &sub.tables, &template);
        let mut compared = 0;
        for tab in ctx.tabs() {
            for row in tab.rows() {
                for key in &tab.spec.columns {
                    let Some(cell) = row.cell(tab.spec, *key) else {
                        continue;
                    };
                    let read = tab.filed.amount(row, tab.spec, *key, &mut Vec::new());
                    match tab.num(row, *key) {
                        super::Num::Value(v) => {
                            assert_eq!(
                                read.map(|a| a.value),
                                Some(crate::model::round_half_away(v, 2))
                            );
                            compared += 1;
                        }
                        super::Num::Blank => assert!(read.is_none(), "{:?}", cell.at),
                        super::Num::Invalid => assert!(read.is_none(), "{:?}", cell.at),
                    }
                }
            }
        }
        assert!(compared > 100, "{compared}");
    }
}
