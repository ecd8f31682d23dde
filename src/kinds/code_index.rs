//! Function codes (科目编码: 3, 5 or 7 digits) as integer keys that sort
//! the codes under a prefix into one range, and an index of positions by
//! code on them: how a function table's lines and the model's lines are
//! looked up (a department lists thousands of lines, and every rule looks
//! them up) by binary search over integers.

/// A code of 1 to 7 ASCII digits as an integer: its digits padded with
/// zeros to 7, times 8, plus its length. Keys sort by padded digits, then
/// length, so the codes under a prefix (with the prefix itself) are one
/// range of keys ([`CodeKey::range`]).
#[derive(Clone, Copy)]
struct CodeKey(u32);

impl CodeKey {
    /// Digits in a padded code.
    const DIGITS: u32 = 7;

    /// The key of `code`; `None` when it is not 1 to 7 ASCII digits (no
    /// function line's code).
    fn of(code: &str) -> Option<CodeKey> {
        let len = u32::try_from(code.len()).ok()?;
        if !(1..=Self::DIGITS).contains(&len) {
            return None;
        }
        let mut v: u32 = 0;
        for b in code.bytes() {
            let d = char::from(b).to_digit(10)?;
            v = v.checked_mul(10)?.checked_add(d)?;
        }
        let padded = v.checked_mul(10u32.checked_pow(Self::DIGITS - len)?)?;
        Some(CodeKey(padded.checked_mul(8)?.checked_add(len)?))
    }

    /// The code's length in digits.
    fn len(self) -> usize {
        usize::try_from(self.0 % 8).unwrap_or(0)
    }

    /// The keys of every code starting with this one: `lo..hi` (a code
    /// of 7 digits at most: 80,000,000 at most).
    fn range(self) -> (u32, u32) {
        let len = self.0 % 8;
        let padded = self.0 / 8;
        let step = 10u32.saturating_pow(Self::DIGITS.saturating_sub(len));
        (
            padded.saturating_mul(8),
            padded.saturating_add(step).saturating_mul(8),
        )
    }
}

/// Positions of coded items (a table's lines, the model's lines) sorted
/// by the key of their code, then position. A code that is not 1 to 7
/// digits is left out: no look-up can ask for it.
pub(super) struct CodeIndex(Vec<(u32, usize)>);

impl CodeIndex {
    /// No items.
    pub(super) const EMPTY: CodeIndex = CodeIndex(Vec::new());

    /// The index of `codes`, the `i`-th at position `i`.
    pub(super) fn of<'c>(codes: impl Iterator<Item = &'c str>) -> Self {
        let mut at: Vec<(u32, usize)> = codes
            .enumerate()
            .filter_map(|(i, c)| Some((CodeKey::of(c)?.0, i)))
            .collect();
        at.sort_unstable();
        CodeIndex(at)
    }

    /// The position of the first item of `code`.
    pub(super) fn first(&self, code: &str) -> Option<usize> {
        let key = CodeKey::of(code)?.0;
        let at = self.0.partition_point(|(k, _)| *k < key);
        self.0.get(at).filter(|(k, _)| *k == key).map(|(_, i)| *i)
    }

    /// The positions of the items under `code` whose code is `len` digits
    /// long, in ascending order.
    pub(super) fn under(&self, code: &str, len: usize) -> Vec<usize> {
        let Some((lo, hi)) = CodeKey::of(code).map(CodeKey::range) else {
            return Vec::new();
        };
        let start = self.0.partition_point(|(k, _)| *k < lo);
        let mut at: Vec<usize> = self
            .0
            .get(start..)
            .unwrap_or_default()
            .iter()
            .take_while(|(k, _)| *k < hi)
            .filter(|(k, _)| CodeKey(*k).len() == len)
            .map(|(_, i)| *i)
            .collect();
        if !at.is_sorted() {
            at.sort_unstable();
        }
        at
    }

    /// Records item `pos` of `code`, a position past every one recorded
    /// (items are added in order; one in code order goes last).
    pub(super) fn insert(&mut self, code: &str, pos: usize) {
        if let Some(key) = CodeKey::of(code) {
            let at = self.0.partition_point(|e| *e < (key.0, pos));
            self.0.insert(at, (key.0, pos));
        }
    }
}
