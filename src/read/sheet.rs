//! A worksheet as the reader sees it: sparse cells with their typed text,
//! merged ranges, and A1 addressing.

use super::cells::Cells;
use crate::findings::Finding;
use crate::model::A1;

/// One non-empty cell.
#[derive(Debug, Clone, PartialEq)]
pub struct RawCell {
    /// The text as typed; numbers in shortest form (`353.49`).
    pub text: String,
    /// True when the workbook stored a number (not text).
    pub numeric: bool,
}

/// True when a cell's text is empty or white space only (it is then no
/// cell): `trim().is_empty()`, stopping at the first character that is
/// not white space.
pub(super) fn is_blank(text: &str) -> bool {
    text.chars().all(char::is_whitespace)
}

/// A merged range (0-based, inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// First row.
    pub row: u32,
    /// First column.
    pub col: u32,
    /// Last row.
    pub last_row: u32,
    /// Last column.
    pub last_col: u32,
}

impl Span {
    /// The span from (`row`, `col`) to (`last_row`, `last_col`), 0-based
    /// and inclusive.
    pub const fn new(row: u32, col: u32, last_row: u32, last_col: u32) -> Span {
        Span {
            row,
            col,
            last_row,
            last_col,
        }
    }

    /// True when the span covers the cell.
    pub fn contains(&self, row: u32, col: u32) -> bool {
        (self.row..=self.last_row).contains(&row) && (self.col..=self.last_col).contains(&col)
    }
}

/// A worksheet: name, visibility, sparse cells and merges.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    /// Name exactly as in the workbook.
    pub name: String,
    /// Hidden or very hidden sheets are ignored when locating tables.
    pub hidden: bool,
    cells: Cells,
    merges: Vec<Span>,
    problems: Vec<Finding>,
    /// Merge index by (row, first column) for every row a merge covers,
    /// to its last column and its place in `merges`: finding the merge
    /// covering a cell is a range look-up, not a scan of all merges. Costs
    /// one entry per merged row (the reader bounds the merged area).
    /// A merge's top-left cell is its entry for its first row.
    by_row: Cells<(u32, usize)>,
}

impl Sheet {
    /// An empty sheet.
    pub fn new(name: impl Into<String>, hidden: bool) -> Sheet {
        Sheet {
            name: name.into(),
            hidden,
            ..Sheet::default()
        }
    }

    /// Sets a cell (empty text removes it).
    pub fn set(&mut self, row: u32, col: u32, cell: RawCell) {
        if is_blank(&cell.text) {
            self.cells.remove((row, col));
        } else {
            self.cells.insert((row, col), cell);
        }
    }

    /// Sets a cell whose text the caller knows is not blank (as the
    /// readers' `raw_cell` makes them), without looking at its text again.
    pub(super) fn set_filled(&mut self, row: u32, col: u32, cell: RawCell) {
        self.cells.insert((row, col), cell);
    }

    /// Makes room for about `n` cells at once (an estimate: the sheet
    /// still takes more, or fewer).
    pub(super) fn reserve_cells(&mut self, n: usize) {
        self.cells.reserve(n);
    }

    /// Records a merged range, unless it overlaps one already recorded
    /// (Excel refuses overlapping merges; the first one stays). Returns
    /// whether it was recorded. Costs one index entry per row it covers.
    pub fn add_merge(&mut self, span: Span) -> bool {
        if span.last_row < span.row || span.last_col < span.col {
            return false;
        }
        let overlaps = (span.row..=span.last_row).any(|r| {
            self.by_row
                .last_at_most((r, span.last_col))
                .is_some_and(|((row, _), (last_col, _))| row == r && *last_col >= span.col)
        });
        if overlaps {
            return false;
        }
        let at = self.merges.len();
        for r in span.row..=span.last_row {
            self.by_row.insert((r, span.col), (span.last_col, at));
        }
        self.merges.push(span);
        true
    }

    /// The last row and the last column holding a cell: the far corner of
    /// the used area (`None` for an empty sheet).
    pub fn extent(&self) -> Option<(u32, u32)> {
        let row = self.last_row()?;
        let col = self.cells.iter().map(|((_, c), _)| c).max()?;
        Some((row, col))
    }

    /// Number of non-empty cells.
    pub fn len(&self) -> usize {
        self.cells.len()
    }

    /// True when the sheet holds no cell.
    pub fn is_empty(&self) -> bool {
        self.cells.len() == 0
    }

    /// The cell at a position, if any.
    pub fn cell(&self, row: u32, col: u32) -> Option<&RawCell> {
        self.cells.get((row, col))
    }

    /// The text at a position ("" when empty).
    pub fn text(&self, row: u32, col: u32) -> &str {
        self.cell(row, col).map_or("", |c| c.text.as_str())
    }

    /// The text at a position, taking a merged range's top-left value for
    /// every cell the range covers (merged headers are not read as empty).
    pub fn filled_text(&self, row: u32, col: u32) -> &str {
        let own = self.text(row, col);
        if !own.is_empty() {
            return own;
        }
        self.merge_covering(row, col)
            .map_or("", |m| self.text(m.row, m.col))
    }

    /// All merged ranges, in the order recorded.
    pub fn merges(&self) -> &[Span] {
        &self.merges
    }

    /// The merged range covering the position, if any.
    pub fn merge_covering(&self, row: u32, col: u32) -> Option<Span> {
        let ((r, _), (last_col, at)) = self.by_row.last_at_most((row, col))?;
        if r != row || *last_col < col {
            return None;
        }
        self.merges.get(*at).copied()
    }

    /// The merged range whose top-left cell is at the position, if any.
    pub fn merge_at(&self, row: u32, col: u32) -> Option<Span> {
        let (_, at) = self.by_row.get((row, col))?;
        self.merges.get(*at).copied().filter(|m| m.row == row)
    }

    /// All cells in row-major order.
    pub fn cells(&self) -> impl Iterator<Item = ((u32, u32), &RawCell)> {
        self.cells.iter()
    }

    /// The cells of one row, left to right.
    pub fn row(&self, row: u32) -> impl Iterator<Item = (u32, &RawCell)> {
        self.cells
            .range((row, 0), (row, u32::MAX))
            .map(|((_, c), v)| (c, v))
    }

    /// Distinct row indices holding cells, from `from` on.
    pub fn rows_from(&self, from: u32) -> Vec<u32> {
        let mut rows: Vec<u32> = self
            .cells
            .range((from, 0), (u32::MAX, u32::MAX))
            .map(|((r, _), _)| r)
            .collect();
        rows.dedup();
        rows
    }

    /// The cells of rows `first..=last`, in row-major order.
    pub fn cells_in_rows(
        &self,
        first: u32,
        last: u32,
    ) -> impl Iterator<Item = ((u32, u32), &RawCell)> {
        self.cells.range((first, 0), (last, u32::MAX))
    }

    /// Records a problem found while reading the sheet (a formula that
    /// could not be evaluated).
    pub fn add_problem(&mut self, finding: Finding) {
        self.problems.push(finding);
    }

    /// Problems found while reading the sheet.
    pub fn problems(&self) -> &[Finding] {
        &self.problems
    }

    /// The last row holding a cell.
    pub fn last_row(&self) -> Option<u32> {
        self.cells.last_key().map(|(r, _)| r)
    }
}

/// A1 address of a 0-based position, e.g. `(5, 1)` → `B6` (see
/// [`A1`]).
pub fn a1(row: u32, col: u32) -> String {
    A1::new(row, col).to_string()
}

/// The 0-based (row, column) of an A1 address such as `B6` (`$` signs
/// allowed); `None` when it is not one (see [`A1::parse`]).
pub fn parse_a1(s: &str) -> Option<(u32, u32)> {
    A1::parse(s).map(|a| (a.row, a.col))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_addresses_parse_back() {
        for (r, c) in [(0, 0), (5, 1), (0, 25), (0, 26), (1_048_575, 16_383)] {
            assert_eq!(parse_a1(&a1(r, c)), Some((r, c)));
        }
        assert_eq!(parse_a1("$C$9"), Some((8, 2)));
        assert_eq!(parse_a1("A0"), None);
        assert_eq!(parse_a1("9A"), None);
        assert_eq!(parse_a1("b6"), None);
    }

    #[test]
    fn a1_addresses() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(5, 1), "B6");
        assert_eq!(a1(0, 25), "Z1");
        assert_eq!(a1(0, 26), "AA1");
        assert_eq!(a1(1_048_575, 16_383), "XFD1048576");
        assert_eq!(a1(u32::MAX, u32::MAX), "MWLQKWV4294967296");
    }

    #[test]
    fn merged_cells_fill_from_top_left() {
        let mut s = Sheet::new("s", false);
        s.set(
            0,
            0,
            RawCell {
                text: "项目".into(),
                numeric: false,
            },
        );
        s.add_merge(Span {
            row: 0,
            col: 0,
            last_row: 1,
            last_col: 1,
        });
        assert_eq!(s.filled_text(1, 1), "项目");
        assert_eq!(s.text(1, 1), "");
        assert_eq!(s.filled_text(2, 0), "");
    }

    #[test]
    fn overlapping_merges_keep_the_first() {
        let mut s = Sheet::new("s", false);
        let span = |row, col, last_row, last_col| Span {
            row,
            col,
            last_row,
            last_col,
        };
        assert!(s.add_merge(span(1, 1, 3, 3)));
        assert!(!s.add_merge(span(3, 0, 4, 1)));
        assert!(!s.add_merge(span(0, 2, 1, 5)));
        assert!(s.add_merge(span(1, 4, 3, 5)));
        assert!(!s.add_merge(span(2, 1, 1, 1)));
        assert_eq!(s.merges().len(), 2);
        assert_eq!(s.merge_covering(3, 3), Some(span(1, 1, 3, 3)));
        assert_eq!(s.merge_covering(2, 5), Some(span(1, 4, 3, 5)));
        assert_eq!(s.merge_covering(2, 6), None);
        assert_eq!(s.merge_covering(4, 1), None);
        assert_eq!(s.merge_at(1, 4), Some(span(1, 4, 3, 5)));
        assert_eq!(s.merge_at(2, 4), None);
    }
}
