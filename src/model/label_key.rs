//! Text reduced for matching labels: NFKC (full-width forms to ASCII),
//! white space removed — told by a byte test for the text NFKC leaves
//! alone, which most labels are.

use std::borrow::Cow;
use std::ops::Range;
use unicode_normalization::UnicodeNormalization;

/// Normalises typed text: NFKC (full-width digits and spaces become ASCII),
/// then trims every kind of whitespace.
pub fn normalize_text(s: &str) -> String {
    if is_nfkc(s) {
        return s.trim().to_string();
    }
    s.nfkc().collect::<String>().trim().to_string()
}

/// True when NFKC certainly leaves the text unchanged: ASCII, CJK unified
/// ideographs and the usual CJK punctuation (、。“”‘’《》【】). Full-width
/// forms, ideographic spaces and circled numbers take the slow path.
fn is_nfkc(s: &str) -> bool {
    nfkc_kind(s) != Nfkc::Other
}

/// What NFKC does to a text, as far as [`label_key`] needs to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Nfkc {
    /// Leaves it unchanged, and it holds no white space.
    Unchanged,
    /// Leaves it unchanged; it holds ASCII white space (the only white
    /// space such text can hold).
    UnchangedSpaced,
    /// May change it.
    Other,
}

/// [`Nfkc`] of a text, in one pass over its bytes.
fn nfkc_kind(s: &str) -> Nfkc {
    let bytes = s.as_bytes();
    let mut spaced = false;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        // ASCII, and the ideographs U+4E00..=U+9FFF (E4 B8..BF xx and
        // E5..E9 xx xx in UTF-8), are told by their bytes.
        // Ideographs first: most label text is made of them.
        let step = match b {
            0xE5..=0xE9 => 3,
            0x21..=0x7F => 1,
            b'\t'..=b'\r' | b' ' => {
                spaced = true;
                1
            }
            0..=0x20 => 1,
            0xE4 if bytes.get(i + 1).is_some_and(|n| *n >= 0xB8) => 3,
            _ => match s.get(i..).and_then(|rest| rest.chars().next()) {
                Some(c) if is_nfkc_char(c) => c.len_utf8(),
                _ => return Nfkc::Other,
            },
        };
        i += step;
    }
    if spaced {
        Nfkc::UnchangedSpaced
    } else {
        Nfkc::Unchanged
    }
}

/// A character [`is_nfkc`] keeps.
fn is_nfkc_char(c: char) -> bool {
    c.is_ascii()
        || ('\u{4E00}'..='\u{9FFF}').contains(&c)
        || matches!(
            c,
            '、' | '。'
                | '“'
                | '”'
                | '‘'
                | '’'
                | '《'
                | '》'
                | '【'
                | '】'
                | '—'
                | '≥'
                | '≤'
        )
}

/// Normalised text with all inner whitespace removed, for matching labels.
pub fn label_key(s: &str) -> String {
    label_key_cow(s).into_owned()
}

/// [`label_key`], borrowing `s` when it is its own key (most labels are:
/// ideographs without white space), so matching allocates nothing.
#[inline]
pub fn label_key_cow(s: &str) -> Cow<'_, str> {
    match nfkc_kind(s) {
        Nfkc::Unchanged => return Cow::Borrowed(s),
        Nfkc::UnchangedSpaced => {
            // The text between the white space is copied whole.
            let mut key = String::with_capacity(s.len());
            for piece in s.split(char::is_whitespace) {
                key.push_str(piece);
            }
            return Cow::Owned(key);
        }
        Nfkc::Other => {}
    }
    // Full-width forms map one to one; anything else takes NFKC proper.
    let mut key = String::with_capacity(s.len());
    for c in s.chars() {
        match simple_nfkc(c) {
            Some(c) if c.is_whitespace() => {}
            Some(c) => key.push(c),
            None => return Cow::Owned(s.nfkc().filter(|c| !c.is_whitespace()).collect()),
        }
    }
    Cow::Owned(key)
}

/// A label reduced for matching: NFKC, no whitespace, no trailing colon,
/// no leading `其中:`, no trailing unit `(万元)`/`(元)`.
///
/// ```
/// use budgetkit::model::form_label_key;
/// assert_eq!(form_label_key("其中：中央财政资金"), "中央财政资金");
/// assert_eq!(form_label_key("实施期资金总额: "), "实施期资金总额");
/// assert_eq!(form_label_key("项目资金 (元)"), "项目资金");
/// assert_eq!(form_label_key("市县（区）财政资金"), "市县(区)财政资金");
/// ```
pub fn form_label_key(s: &str) -> Cow<'_, str> {
    let key = label_key_cow(s);
    let body = key.trim_end_matches(':');
    let rest = body
        .strip_prefix("其中:")
        .or_else(|| body.strip_prefix("其中"))
        .unwrap_or(body);
    let k = rest
        .strip_suffix("(万元)")
        .or_else(|| rest.strip_suffix("(元)"))
        .unwrap_or(rest);
    if k.len() == key.len() {
        return key;
    }
    let from = body.len().saturating_sub(rest.len());
    let to = from.saturating_add(k.len());
    key_part(key, from..to)
}

/// Bytes `range` of a key, still borrowed where the key was ("" where
/// `range` does not lie on its character boundaries): a key with its
/// numbering or its unit cut off.
#[inline]
pub fn key_part(key: Cow<'_, str>, range: Range<usize>) -> Cow<'_, str> {
    match key {
        Cow::Borrowed(b) => Cow::Borrowed(b.get(range).unwrap_or_default()),
        Cow::Owned(o) => Cow::Owned(o.get(range).unwrap_or_default().to_string()),
    }
}

/// NFKC of a character that NFKC maps on its own, whatever surrounds it:
/// the characters [`is_nfkc`] keeps, the full-width forms of ASCII
/// (`（` → `(`, `１` → `1`) and the ideographic space; `None` for any
/// other character.
fn simple_nfkc(c: char) -> Option<char> {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0),
        '\u{3000}' => Some(' '),
        c if is_nfkc_char(c) => Some(c),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// #14: the byte test of [`is_nfkc`] says what the character test says,
    /// at the edges of the ideograph block too.
    #[test]
    fn is_nfkc_by_bytes_agrees_with_the_character_test() {
        let edges = [
            '\u{4DFF}', '\u{4E00}', '\u{4E01}', '\u{4FFF}', '\u{5000}', '\u{9FFF}', '\u{A000}',
            '\u{3000}', '\u{FF10}', '①', '、', '—', '≤', 'é', 'a', '\u{7F}', '\u{80}', '😀',
        ];
        for a in edges {
            for b in edges {
                let s = format!("{a}预算{b}");
                assert_eq!(is_nfkc(&s), s.chars().all(is_nfkc_char), "{s:?}");
            }
        }
        assert!(
            is_nfkc("一般公共预算拨款收入（") == "一般公共预算拨款收入（".chars().all(is_nfkc_char)
        );
        assert!(!is_nfkc("（一）"));
        assert!(is_nfkc("2025年部门收支总表"));
    }

    #[test]
    fn label_key_drops_every_white_space_and_normalises() {
        // The definition: NFKC, then no white space of any kind.
        let by_definition =
            |s: &str| -> String { s.nfkc().filter(|c| !c.is_whitespace()).collect() };
        for s in [
            "一般公共预算拨款收入",
            " 基本 支出\t合计\r\n",
            "A\u{0B}B\u{0C}C",
            "全年预算数（元）",
            "2025\u{3000}年",
            "①　项目",
            "全年预算数（万元）",
            "ＡＢＣ　１２３．４５",
            "（一）\u{3000}基本支出",
            "ｶ゙（ｶﾞ）",
            "",
            "   ",
        ] {
            assert_eq!(label_key(s), by_definition(s), "{s:?}");
        }
        let full_width: String = ('\u{FF01}'..='\u{FF5E}').collect();
        assert_eq!(label_key(&full_width), by_definition(&full_width));
    }
}
