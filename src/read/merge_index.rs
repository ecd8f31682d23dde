//! The index of a sheet's merged ranges by (row, first column), one entry
//! for every row a range covers: a vector in key order while the entries
//! arrive in about that order, as the ranges of a `<mergeCells>` do (an
//! entry may land up to [`MAX_SHIFT`] places before the end: a range over
//! several rows is followed by ranges to its right in its first row), and
//! a tree from the first entry that lands further back (a shuffled list
//! then costs O(log n) per entry, never O(n)). Look-ups are binary
//! searches in either form.

use std::collections::BTreeMap;

/// A (row, first column) position.
type Key = (u32, u32);
/// A range's last column and its place in the sheet's list of ranges.
type Value = (u32, usize);

/// Most entries an insertion into the vector may move.
const MAX_SHIFT: usize = 64;

/// The entries, in key order, each key once.
#[derive(Debug, Clone)]
pub(super) enum MergeIndex {
    /// Sorted by key.
    Sorted(Vec<(Key, Value)>),
    /// Once an entry landed more than [`MAX_SHIFT`] places back.
    Tree(BTreeMap<Key, Value>),
}

impl Default for MergeIndex {
    fn default() -> Self {
        MergeIndex::Sorted(Vec::new())
    }
}

impl MergeIndex {
    /// Sets the entry at `key`, replacing one there.
    pub(super) fn insert(&mut self, key: Key, value: Value) {
        match self {
            MergeIndex::Sorted(v) => {
                let at = v.partition_point(|(k, _)| *k < key);
                let shift = v.len() - at;
                match v.get_mut(at) {
                    None => v.push((key, value)),
                    Some(slot) if slot.0 == key => slot.1 = value,
                    Some(_) if shift <= MAX_SHIFT => v.insert(at, (key, value)),
                    Some(_) => {
                        let mut t: BTreeMap<Key, Value> = std::mem::take(v).into_iter().collect();
                        t.insert(key, value);
                        *self = MergeIndex::Tree(t);
                    }
                }
            }
            MergeIndex::Tree(t) => {
                t.insert(key, value);
            }
        }
    }

    /// The entry of row `row` with the greatest first column at most `col`.
    pub(super) fn at_or_before(&self, row: u32, col: u32) -> Option<(Key, Value)> {
        match self {
            MergeIndex::Sorted(v) => {
                let after = v.partition_point(|(k, _)| *k <= (row, col));
                let (key, value) = v.get(after.checked_sub(1)?)?;
                (key.0 == row).then_some((*key, *value))
            }
            MergeIndex::Tree(t) => t
                .range((row, 0)..=(row, col))
                .next_back()
                .map(|(k, v)| (*k, *v)),
        }
    }

    /// The entry at `key`.
    pub(super) fn get(&self, key: Key) -> Option<Value> {
        match self {
            MergeIndex::Sorted(v) => v
                .binary_search_by_key(&key, |(k, _)| *k)
                .ok()
                .and_then(|i| v.get(i))
                .map(|(_, value)| *value),
            MergeIndex::Tree(t) => t.get(&key).copied(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every look-up of `index` against a tree of the same entries.
    fn same(index: &MergeIndex, want: &BTreeMap<Key, Value>) {
        for r in 0..32 {
            for c in 0..32 {
                assert_eq!(index.get((r, c)), want.get(&(r, c)).copied(), "get {r},{c}");
                let expected = want
                    .range((r, 0)..=(r, c))
                    .next_back()
                    .map(|(k, v)| (*k, *v));
                assert_eq!(index.at_or_before(r, c), expected, "at_or_before {r},{c}");
            }
        }
    }

    /// Entries in order, a little out of order, rewritten, and far out of
    /// order (a crafted list): the vector, then the tree, read as a tree
    /// reads them.
    #[test]
    fn merge_entries_in_or_out_of_order_read_as_a_tree_reads_them() {
        let mut index = MergeIndex::default();
        let mut want = BTreeMap::new();
        let mut put = |index: &mut MergeIndex, key: Key, value: Value| {
            index.insert(key, value);
            want.insert(key, value);
            same(index, &want);
        };
        for (i, key) in [(0, 0), (0, 5), (1, 0), (1, 3), (0, 8), (1, 3), (4, 1)]
            .into_iter()
            .enumerate()
        {
            put(&mut index, key, (key.1 + 1, i));
        }
        assert!(
            matches!(index, MergeIndex::Sorted(_)),
            "near order stays a vector"
        );
        for r in 5..80 {
            put(&mut index, (r, 2), (3, 99));
        }
        assert!(matches!(index, MergeIndex::Sorted(_)));
        put(&mut index, (2, 7), (9, 100));
        assert!(matches!(index, MergeIndex::Tree(_)), "far back is a tree");
        put(&mut index, (3, 0), (0, 101));
        put(&mut index, (2, 7), (10, 102));
    }

    /// A reversed list: each entry lands at the front, through the tree
    /// once the vector is longer than [`MAX_SHIFT`].
    #[test]
    fn a_reversed_merge_list_is_indexed_in_order() {
        let mut index = MergeIndex::default();
        let mut want = BTreeMap::new();
        for r in (0..30).rev() {
            for c in (0..30).rev().step_by(3) {
                index.insert((r, c), (c + 1, 0));
                want.insert((r, c), (c + 1, 0));
            }
        }
        assert!(matches!(index, MergeIndex::Tree(_)));
        same(&index, &want);
    }
}
