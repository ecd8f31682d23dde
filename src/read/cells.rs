//! The cells of a sheet by position: a vector in (row, column) order while
//! they arrive in about that order, as every spreadsheet writer stores them
//! (one allocation per sheet, look-ups by binary search; a cell may land up
//! to [`MAX_SHIFT`] places before the end), and a tree from the first cell
//! that lands further back (a shuffled or rewritten part then costs
//! O(log n) per cell, never O(n)). The sheet's index of merged rows
//! (src/read/sheet.rs) is kept the same way, with other values.

use super::sheet::RawCell;
use std::collections::btree_map::{self, BTreeMap};

/// A (row, column) position.
type Key = (u32, u32);

/// Most cells reserved at once on a caller's estimate (2.5 MB).
const MAX_RESERVE: usize = 1 << 16;

/// Most entries an insertion into the vector may move (a merged range
/// over several rows is followed by ranges to its right in its first
/// row, which land before its entries for the rows below).
const MAX_SHIFT: usize = 64;

/// The non-empty cells of a sheet (or other values by position), in
/// row-major order.
#[derive(Debug, Clone)]
pub(super) enum Cells<V = RawCell> {
    /// Sorted by key, each key once.
    Sorted(Vec<(Key, V)>),
    /// Once a value landed more than [`MAX_SHIFT`] places back.
    Tree(BTreeMap<Key, V>),
}

impl<V> Default for Cells<V> {
    fn default() -> Self {
        Cells::Sorted(Vec::new())
    }
}

/// The cells of a key range, in order.
pub(super) enum Range<'a, V = RawCell> {
    /// Of the vector.
    Sorted(std::slice::Iter<'a, (Key, V)>),
    /// Of the tree.
    Tree(btree_map::Range<'a, Key, V>),
}

impl<'a, V> Iterator for Range<'a, V> {
    type Item = (Key, &'a V);

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Range::Sorted(it) => it.next().map(|(k, v)| (*k, v)),
            Range::Tree(it) => it.next().map(|(k, v)| (*k, v)),
        }
    }
}

impl<V> Cells<V> {
    /// Sets the cell at `key`, replacing one there.
    pub(super) fn insert(&mut self, key: Key, cell: V) {
        match self {
            Cells::Sorted(v) => {
                if v.last().is_none_or(|(last, _)| *last < key) {
                    v.push((key, cell));
                    return;
                }
                let at = v.partition_point(|(k, _)| *k < key);
                let shift = v.len() - at;
                match v.get_mut(at) {
                    Some(slot) if slot.0 == key => slot.1 = cell,
                    _ if shift <= MAX_SHIFT => v.insert(at, (key, cell)),
                    _ => {
                        let mut t = tree_of(v);
                        t.insert(key, cell);
                        *self = Cells::Tree(t);
                    }
                }
            }
            Cells::Tree(t) => {
                t.insert(key, cell);
            }
        }
    }

    /// Makes room for `n` more cells at once (at most [`MAX_RESERVE`];
    /// a tree takes no reservation).
    pub(super) fn reserve(&mut self, n: usize) {
        if let Cells::Sorted(v) = self {
            v.reserve(n.min(MAX_RESERVE));
        }
    }

    /// Removes the cell at `key`, if any.
    pub(super) fn remove(&mut self, key: Key) {
        match self {
            Cells::Sorted(v) => {
                let Ok(i) = v.binary_search_by_key(&key, |(k, _)| *k) else {
                    return;
                };
                if i + 1 == v.len() {
                    v.pop();
                } else {
                    let mut t = tree_of(v);
                    t.remove(&key);
                    *self = Cells::Tree(t);
                }
            }
            Cells::Tree(t) => {
                t.remove(&key);
            }
        }
    }

    /// The cell at `key`.
    pub(super) fn get(&self, key: Key) -> Option<&V> {
        match self {
            Cells::Sorted(v) => v
                .binary_search_by_key(&key, |(k, _)| *k)
                .ok()
                .and_then(|i| v.get(i))
                .map(|(_, c)| c),
            Cells::Tree(t) => t.get(&key),
        }
    }

    /// The cells from `first` to `last` (both included), in order.
    pub(super) fn range(&self, first: Key, last: Key) -> Range<'_, V> {
        match self {
            Cells::Sorted(v) => {
                let from = v.partition_point(|(k, _)| *k < first);
                let to = v.partition_point(|(k, _)| *k <= last).max(from);
                Range::Sorted(v.get(from..to).unwrap_or_default().iter())
            }
            Cells::Tree(t) if first <= last => Range::Tree(t.range(first..=last)),
            Cells::Tree(t) => Range::Tree(t.range(first..first)),
        }
    }

    /// The cell with the greatest key at most `key` (one binary search).
    pub(super) fn last_at_most(&self, key: Key) -> Option<(Key, &V)> {
        match self {
            Cells::Sorted(v) => {
                let after = v.partition_point(|(k, _)| *k <= key);
                v.get(after.checked_sub(1)?).map(|(k, c)| (*k, c))
            }
            Cells::Tree(t) => t.range(..=key).next_back().map(|(k, c)| (*k, c)),
        }
    }

    /// Every cell, in order.
    pub(super) fn iter(&self) -> Range<'_, V> {
        self.range((0, 0), (u32::MAX, u32::MAX))
    }

    /// The last key.
    pub(super) fn last_key(&self) -> Option<Key> {
        match self {
            Cells::Sorted(v) => v.last().map(|(k, _)| *k),
            Cells::Tree(t) => t.keys().next_back().copied(),
        }
    }

    /// How many cells.
    pub(super) fn len(&self) -> usize {
        match self {
            Cells::Sorted(v) => v.len(),
            Cells::Tree(t) => t.len(),
        }
    }
}

/// The cells of `v` (emptied) as a tree.
fn tree_of<V>(v: &mut Vec<(Key, V)>) -> BTreeMap<Key, V> {
    std::mem::take(v).into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(text: &str) -> RawCell {
        RawCell {
            text: text.into(),
            numeric: false,
        }
    }

    /// Every look-up of `cells` against a tree of the same cells.
    fn same(cells: &Cells, want: &BTreeMap<Key, RawCell>) {
        assert_eq!(cells.len(), want.len());
        assert_eq!(cells.last_key(), want.keys().next_back().copied());
        let all: Vec<_> = cells.iter().map(|(k, c)| (k, c.clone())).collect();
        let expected: Vec<_> = want.iter().map(|(k, c)| (*k, c.clone())).collect();
        assert_eq!(all, expected);
        for r in 0..6 {
            for c in 0..6 {
                assert_eq!(cells.get((r, c)), want.get(&(r, c)));
                assert_eq!(
                    cells.last_at_most((r, c)),
                    want.range(..=(r, c)).next_back().map(|(k, v)| (*k, v))
                );
                for (r2, c2) in [(r, u32::MAX), (r + 1, 2), (r, c), (r.saturating_sub(1), 0)] {
                    let got: Vec<_> = cells.range((r, c), (r2, c2)).map(|(k, _)| k).collect();
                    let expected: Vec<_> = if (r, c) <= (r2, c2) {
                        want.range((r, c)..=(r2, c2)).map(|(k, _)| *k).collect()
                    } else {
                        Vec::new()
                    };
                    assert_eq!(got, expected, "({r},{c})..=({r2},{c2})");
                }
            }
        }
    }

    #[test]
    fn cells_in_or_out_of_order_read_as_a_tree_reads_them() {
        // In order, then a rewrite, a cell before the last, removals.
        let mut cells = Cells::default();
        let mut want = BTreeMap::new();
        let steps: &[(Key, Option<&str>)] = &[
            ((0, 1), Some("a")),
            ((0, 3), Some("b")),
            ((2, 0), Some("c")),
            ((2, 0), Some("c2")),
            ((0, 3), Some("b2")),
            ((2, 5), Some("d")),
            ((2, 5), None),
            ((4, 4), Some("e")),
            ((7, 7), None),
        ];
        for (key, text) in steps {
            match text {
                Some(t) => {
                    cells.insert(*key, cell(t));
                    want.insert(*key, cell(t));
                }
                None => {
                    cells.remove(*key);
                    want.remove(key);
                }
            }
            same(&cells, &want);
        }
        assert!(matches!(cells, Cells::Sorted(_)), "in order stays a vector");
        for (key, text) in [((1, 1), Some("f")), ((0, 1), None), ((5, 0), Some("g"))] {
            match text {
                Some(t) => {
                    cells.insert(key, cell(t));
                    want.insert(key, cell(t));
                }
                None => {
                    cells.remove(key);
                    want.remove(&key);
                }
            }
            same(&cells, &want);
        }
        assert!(matches!(cells, Cells::Tree(_)), "a removal before the end");
        // A cell a few places back stays in the vector; one landing more
        // than MAX_SHIFT places back makes a tree.
        let mut cells = Cells::default();
        let mut want = BTreeMap::new();
        for key in [(0, 0), (0, 5), (1, 0), (0, 3)] {
            cells.insert(key, cell("n"));
            want.insert(key, cell("n"));
        }
        same(&cells, &want);
        assert!(
            matches!(cells, Cells::Sorted(_)),
            "near order stays a vector"
        );
        for r in 6..80 {
            cells.insert((r, 0), cell("h"));
            want.insert((r, 0), cell("h"));
        }
        cells.insert((1, 2), cell("i"));
        want.insert((1, 2), cell("i"));
        same(&cells, &want);
        assert!(matches!(cells, Cells::Tree(_)), "far back is a tree");
        // Removing a middle cell of a vector makes a tree too.
        let mut cells = Cells::default();
        let mut want = BTreeMap::new();
        for key in [(0, 0), (0, 1), (1, 0)] {
            cells.insert(key, cell("x"));
            want.insert(key, cell("x"));
        }
        cells.remove((0, 1));
        want.remove(&(0, 1));
        same(&cells, &want);
    }

    /// A reservation on a crafted part's word is capped (uncapped, this
    /// one would panic: capacity overflow).
    #[test]
    fn a_huge_reservation_of_cells_is_capped() {
        let mut cells = Cells::default();
        cells.reserve(usize::MAX);
        let Cells::Sorted(v) = &cells else {
            panic!("a vector");
        };
        assert!(v.capacity() >= MAX_RESERVE && v.capacity() < 2 * MAX_RESERVE);
        cells.insert((0, 0), cell("a"));
        assert_eq!(cells.len(), 1);
    }

    /// Cells in reverse order (a crafted part): each lands where it
    /// belongs, through the tree.
    #[test]
    fn a_reversed_sheet_is_read_in_order() {
        let mut cells = Cells::default();
        let mut want = BTreeMap::new();
        for r in (0..12).rev() {
            for c in (0..12).rev() {
                cells.insert((r, c), cell(&format!("{r}{c}")));
                want.insert((r, c), cell(&format!("{r}{c}")));
            }
        }
        same(&cells, &want);
        assert!(
            matches!(cells, Cells::Tree(_)),
            "a tree once past MAX_SHIFT"
        );
    }
}
