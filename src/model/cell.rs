//! Cell references: where a value sits in a workbook, from the reader
//! through the rules' findings to the annotated workbook. A reference is
//! a sheet name shared by every cell of its sheet and a 0-based position;
//! it is written `SHEET!A1` only when a finding is shown or serialised,
//! and parsed from text only where text comes from outside (a JSON
//! model's provenance, a workbook's XML).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// Serialises a type as its text (`Display`) and deserialises it with its
/// `parse` (text from outside: a JSON model), naming the text refused.
macro_rules! as_text {
    ($ty:ty, $refused:literal) => {
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                <$ty>::parse(&text).ok_or_else(|| {
                    serde::de::Error::custom(format!(concat!("“{}”", $refused), text))
                })
            }
        }
    };
}

/// A sheet name exactly as in the workbook, shared: the cells of one
/// sheet point at one copy (cloning costs a reference count, not a
/// string).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct SheetName(Arc<str>);

impl SheetName {
    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True when both are the one shared copy of a name (not merely
    /// equal text).
    pub fn is_shared_with(&self, other: &SheetName) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Deref for SheetName {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for SheetName {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for SheetName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<&str> for SheetName {
    fn from(name: &str) -> Self {
        SheetName(Arc::from(name))
    }
}

impl From<String> for SheetName {
    fn from(name: String) -> Self {
        SheetName(Arc::from(name))
    }
}

impl From<&String> for SheetName {
    fn from(name: &String) -> Self {
        SheetName::from(name.as_str())
    }
}

impl fmt::Display for SheetName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for SheetName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl PartialEq<str> for SheetName {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for SheetName {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for SheetName {
    fn eq(&self, other: &String) -> bool {
        &*self.0 == other.as_str()
    }
}

impl PartialEq<SheetName> for String {
    fn eq(&self, other: &SheetName) -> bool {
        self.as_str() == &*other.0
    }
}

impl PartialEq<SheetName> for &str {
    fn eq(&self, other: &SheetName) -> bool {
        *self == &*other.0
    }
}

impl Serialize for SheetName {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for SheetName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(SheetName::from)
    }
}

/// A 0-based cell position, written in A1 notation (`(5, 1)` is `B6`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct A1 {
    /// 0-based row.
    pub row: u32,
    /// 0-based column.
    pub col: u32,
}

impl A1 {
    /// The position `(row, col)`.
    pub fn new(row: u32, col: u32) -> A1 {
        A1 { row, col }
    }

    /// Parses an A1 address such as `B6` (`$` signs allowed, letters in
    /// upper case, at most three); `None` when it is not one.
    ///
    /// ```
    /// use budgetkit::model::A1;
    /// assert_eq!(A1::parse("$C$9"), Some(A1::new(8, 2)));
    /// assert_eq!(A1::parse("b6"), None);
    /// ```
    pub fn parse(text: &str) -> Option<A1> {
        let s = text.replace('$', "");
        let split = s.find(|c: char| c.is_ascii_digit())?;
        let (letters, digits) = s.split_at(split);
        if letters.is_empty()
            || letters.len() > 3
            || !letters.chars().all(|c| c.is_ascii_uppercase())
        {
            return None;
        }
        let col = letters
            .bytes()
            .try_fold(0u32, |acc, b| Some(acc * 26 + u32::from(b - b'A') + 1))?
            .checked_sub(1)?;
        let row = digits.parse::<u32>().ok()?.checked_sub(1)?;
        Some(A1 { row, col })
    }
}

impl fmt::Display for A1 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // u32::MAX + 1 needs seven letters.
        let mut letters = [0u8; 8];
        let mut at = letters.len();
        let mut c = u64::from(self.col) + 1;
        while c > 0 && at > 0 {
            at -= 1;
            let rem = u8::try_from((c - 1) % 26).unwrap_or(0);
            if let Some(slot) = letters.get_mut(at) {
                *slot = b'A' + rem;
            }
            c = (c - 1) / 26;
        }
        let letters = letters.get(at..).unwrap_or_default();
        f.write_str(std::str::from_utf8(letters).unwrap_or_default())?;
        write!(f, "{}", u64::from(self.row) + 1)
    }
}

impl fmt::Debug for A1 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl PartialEq<str> for A1 {
    fn eq(&self, other: &str) -> bool {
        A1::parse(other) == Some(*self) && !other.contains('$')
    }
}

impl PartialEq<&str> for A1 {
    fn eq(&self, other: &&str) -> bool {
        *self == **other
    }
}

impl PartialEq<String> for A1 {
    fn eq(&self, other: &String) -> bool {
        *self == *other.as_str()
    }
}

impl PartialEq<A1> for String {
    fn eq(&self, other: &A1) -> bool {
        *other == *self.as_str()
    }
}

as_text!(A1, "不是 A1 形式的单元格地址（如 B6）");

/// A cell of a workbook: its sheet and position, written `SHEET!A1` in
/// the input's own sheet names (as findings name cells).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CellRef {
    /// The sheet.
    pub sheet: SheetName,
    /// The position on it.
    pub cell: A1,
}

impl CellRef {
    /// The cell at 0-based `(row, col)` of `sheet`.
    pub fn new(sheet: SheetName, row: u32, col: u32) -> CellRef {
        CellRef {
            sheet,
            cell: A1 { row, col },
        }
    }

    /// 0-based row.
    pub fn row(&self) -> u32 {
        self.cell.row
    }

    /// 0-based column.
    pub fn col(&self) -> u32 {
        self.cell.col
    }

    /// Parses `SHEET!A1` (the sheet may be quoted, `'a!b'!A1`); `None`
    /// when the text is not a reference. For text from outside only.
    ///
    /// ```
    /// use budgetkit::model::CellRef;
    /// let r = CellRef::parse("预算公开表3!C9").unwrap();
    /// assert_eq!((r.sheet.as_str(), r.row(), r.col()), ("预算公开表3", 8, 2));
    /// assert_eq!(r.to_string(), "预算公开表3!C9");
    /// assert_eq!(CellRef::parse("C9"), None);
    /// ```
    pub fn parse(text: &str) -> Option<CellRef> {
        let (sheet, cell) = text.rsplit_once('!')?;
        let sheet = sheet
            .strip_prefix('\'')
            .and_then(|s| s.strip_suffix('\''))
            .unwrap_or(sheet);
        Some(CellRef {
            sheet: SheetName::from(sheet),
            cell: A1::parse(cell)?,
        })
    }

    /// The same cell on a sheet of another name.
    pub fn on(&self, sheet: SheetName) -> CellRef {
        CellRef {
            sheet,
            cell: self.cell,
        }
    }
}

impl fmt::Display for CellRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}!{}", self.sheet, self.cell)
    }
}

impl fmt::Debug for CellRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{self}\"")
    }
}

/// True when `text` is how `cell` is written (`SHEET!A1`), compared
/// without writing it.
fn written_as(cell: &CellRef, text: &str) -> bool {
    text.rsplit_once('!').is_some_and(|(sheet, a1)| {
        cell.sheet == *sheet && A1::parse(a1) == Some(cell.cell) && !a1.contains('$')
    })
}

impl PartialEq<str> for CellRef {
    fn eq(&self, other: &str) -> bool {
        written_as(self, other)
    }
}

impl PartialEq<&str> for CellRef {
    fn eq(&self, other: &&str) -> bool {
        written_as(self, other)
    }
}

impl PartialEq<String> for CellRef {
    fn eq(&self, other: &String) -> bool {
        written_as(self, other)
    }
}

impl PartialEq<CellRef> for String {
    fn eq(&self, other: &CellRef) -> bool {
        written_as(other, self)
    }
}

impl PartialEq<CellRef> for &str {
    fn eq(&self, other: &CellRef) -> bool {
        written_as(other, self)
    }
}

as_text!(CellRef, "不是“工作表!A1”形式的单元格");

/// The references written one after another, joined by `sep`.
pub fn join_cells(cells: &[CellRef], sep: &str) -> String {
    let mut out = String::new();
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(&c.to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_addresses_are_written_and_parsed_back() {
        for (r, c, text) in [
            (0, 0, "A1"),
            (5, 1, "B6"),
            (0, 25, "Z1"),
            (0, 26, "AA1"),
            (1_048_575, 16_383, "XFD1048576"),
        ] {
            assert_eq!(A1::new(r, c).to_string(), text);
            assert_eq!(A1::parse(text), Some(A1::new(r, c)));
        }
        assert_eq!(A1::new(u32::MAX, u32::MAX).to_string(), "MWLQKWV4294967296");
        assert_eq!(A1::parse("A0"), None);
        assert_eq!(A1::parse("9A"), None);
    }

    #[test]
    fn a_reference_compares_with_its_text() {
        let r = CellRef::new(SheetName::from("a!b"), 8, 2);
        assert_eq!(r.to_string(), "a!b!C9");
        assert_eq!(r, "a!b!C9");
        assert_ne!(r, "a!b!C10");
        assert_ne!(r, "a!b!$C$9");
        assert_eq!(CellRef::parse("'a!b'!C9"), Some(r.clone()));
        assert_eq!(serde_json::to_string(&r).unwrap(), "\"a!b!C9\"");
        let back: CellRef = serde_json::from_str("\"a!b!C9\"").unwrap();
        assert_eq!(back, r);
        assert!(serde_json::from_str::<CellRef>("\"C9\"").is_err());
    }

    #[test]
    fn cells_of_a_sheet_share_its_name() {
        let sheet = SheetName::from("表1");
        let a = CellRef::new(sheet.clone(), 0, 0);
        let b = CellRef::new(sheet, 1, 1);
        assert!(a.sheet.is_shared_with(&b.sheet));
        assert!(!a.sheet.is_shared_with(&SheetName::from("表1")));
    }
}
