//! A labelled form on a sheet (rows from its title to the next form's):
//! values are found by their labels, never by fixed coordinates.

use super::sheet::Sheet;
pub use crate::model::form_label_key;
use crate::model::{label_key, CellRef, Provenance};
use std::borrow::Cow;
use std::ops::Range;

/// One form: a band of rows of a sheet and the labels it knows.
pub struct Form<'a> {
    /// The sheet holding the form.
    pub sheet: &'a Sheet,
    /// The title's row.
    pub title_row: u32,
    /// Rows of the form: from the title to before the next form's title.
    pub rows: Range<u32>,
    /// Keys of every label of the form: a value cell never holds one.
    pub labels: &'a [&'a str],
    /// Every cell's label key, row by row (computed once: label lookups
    /// are many).
    keys: Vec<(Pos, Cow<'a, str>)>,
}

/// A cell position (row, column), 0-based.
pub type Pos = (u32, u32);

impl<'a> Form<'a> {
    /// The form on `sheet` whose title is at `title_row`, spanning `rows`.
    pub fn new(sheet: &'a Sheet, title_row: u32, rows: Range<u32>, labels: &'a [&'a str]) -> Self {
        let keys = sheet
            .rows_from(rows.start)
            .into_iter()
            .take_while(|r| *r < rows.end)
            .flat_map(|r| {
                sheet
                    .row(r)
                    .map(move |(c, cell)| ((r, c), form_label_key(&cell.text)))
            })
            .collect();
        Form {
            sheet,
            title_row,
            rows,
            labels,
            keys,
        }
    }

    /// Rows holding cells, in order.
    pub fn cell_rows(&self) -> Vec<u32> {
        self.sheet
            .rows_from(self.rows.start)
            .into_iter()
            .take_while(|r| *r < self.rows.end)
            .collect()
    }

    /// The first cell (row by row, left to right) whose label key is one of
    /// `aliases`, within the columns `cols`.
    pub fn find_in<S: AsRef<str>>(&self, aliases: &[S], cols: Range<u32>) -> Option<Pos> {
        self.keys
            .iter()
            .find(|((_, c), key)| cols.contains(c) && aliases.iter().any(|a| a.as_ref() == key))
            .map(|(pos, _)| *pos)
    }

    /// The label key of a cell of the form ("" when empty).
    pub fn key_at(&self, pos: Pos) -> &str {
        self.keys
            .binary_search_by(|(p, _)| p.cmp(&pos))
            .ok()
            .and_then(|i| self.keys.get(i))
            .map_or("", |(_, k)| k.as_ref())
    }

    /// [`Form::find_in`] over all columns.
    pub fn find<S: AsRef<str>>(&self, aliases: &[S]) -> Option<Pos> {
        self.find_in(aliases, 0..u32::MAX)
    }

    /// The value of a label: the next non-empty cell right of the label
    /// (past its merged range), unless that cell is itself a label.
    pub fn value_right(&self, (r, c): Pos) -> Option<Pos> {
        let end = self.sheet.merge_at(r, c).map_or(c, |m| m.last_col);
        let col = self
            .sheet
            .row(r)
            .find(|(k, cell)| *k > end && !cell.text.trim().is_empty())
            .map(|(k, _)| k)?;
        (!self.labels.contains(&self.key_at((r, col)))).then_some((r, col))
    }

    /// The value under a column label: the cell right below the label's
    /// merged range, in the label's first column.
    pub fn below(&self, (r, c): Pos) -> Pos {
        let last = self.sheet.merge_at(r, c).map_or(r, |m| m.last_row);
        (last + 1, c)
    }

    /// Text of a cell, trimmed; a cell covered by a vertical merge (one
    /// column wide at this column) reads the merge's value.
    pub fn own_text(&self, (r, c): Pos) -> &'a str {
        let own = self.sheet.text(r, c);
        let text = if own.trim().is_empty() {
            self.sheet
                .merge_covering(r, c)
                .filter(|m| m.col == c)
                .map_or("", |m| self.sheet.text(m.row, m.col))
        } else {
            own
        };
        text.trim()
    }

    /// Text of a cell, trimmed, taking any merged range's value.
    pub fn filled_text(&self, (r, c): Pos) -> &'a str {
        self.sheet.filled_text(r, c).trim()
    }

    /// The text of the value of the first label among `aliases` ("" when
    /// the label or its value is missing).
    pub fn text_of<S: AsRef<str>>(&self, aliases: &[S]) -> String {
        self.find(aliases)
            .and_then(|p| self.value_right(p))
            .map(|p| self.own_text(p).to_string())
            .unwrap_or_default()
    }

    /// Where a cell is, for provenance and findings.
    pub fn provenance(&self, pos: Pos) -> Option<Provenance> {
        let raw = self.sheet.cell(pos.0, pos.1)?;
        Some(Provenance::new(self.reference(pos), &raw.text))
    }

    /// The cell at a position.
    pub fn reference(&self, (r, c): Pos) -> CellRef {
        CellRef::new(self.sheet.name.as_str().into(), r, c)
    }

    /// The first four-digit year in the title row or the three rows under
    /// it (the subtitle `(2025) 年度`), as text.
    pub fn year(&self) -> String {
        let last = (self.title_row + 3).min(self.rows.end.saturating_sub(1));
        (self.title_row..=last)
            .flat_map(|r| self.sheet.row(r).map(|(_, c)| c.text.as_str()))
            .find_map(first_year)
            .unwrap_or_default()
    }
}

/// The first run of exactly four ASCII digits in `s` (after NFKC).
fn first_year(s: &str) -> Option<String> {
    let k = label_key(s);
    let mut run = String::new();
    for ch in k.chars().chain(std::iter::once(' ')) {
        if ch.is_ascii_digit() {
            run.push(ch);
        } else if run.len() == 4 {
            return Some(run);
        } else {
            run.clear();
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::{RawCell, Span};

    fn cell(s: &str) -> RawCell {
        RawCell {
            text: s.into(),
            numeric: false,
        }
    }

    #[test]
    fn values_stop_at_the_next_label_and_skip_merges() {
        let mut s = Sheet::new("表", false);
        s.set(0, 0, cell("（2025年度）"));
        s.set(1, 0, cell("负责人:"));
        s.set(1, 2, cell("经办人："));
        s.set(1, 3, cell("张三"));
        s.set(2, 0, cell("项目名称"));
        s.add_merge(Span {
            row: 2,
            col: 0,
            last_row: 2,
            last_col: 1,
        });
        s.set(2, 3, cell(" 宣传经费 "));
        let labels = ["负责人", "经办人", "项目名称"];
        let f = Form::new(&s, 0, 0..10, &labels);
        assert_eq!(f.text_of(&["负责人"]), "");
        assert_eq!(f.text_of(&["经办人"]), "张三");
        assert_eq!(f.text_of(&["项目名称"]), "宣传经费");
        assert_eq!(f.year(), "2025");
    }

    #[test]
    fn years_are_four_digits_exactly() {
        assert_eq!(first_year("(2025) 年度").as_deref(), Some("2025"));
        assert_eq!(first_year("20241226170831"), None);
    }
}
