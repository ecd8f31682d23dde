//! How the reader compares texts: titles, header cells and fixed-row
//! labels reduced to keys (no whitespace, NFKC, no quotes, years and
//! numbering prefixes removed), so a table is found by what it says, not
//! by how it was typed.

use crate::model::{key_part, label_key, label_key_cow};
use crate::spec::TableSpec;
use std::borrow::Cow;

/// Title text reduced for matching: no whitespace, NFKC, no quotes, no
/// leading year (`2025年`, `2025年度`).
pub fn title_key(s: &str) -> String {
    let quote = |c: char| matches!(c, '“' | '”' | '"' | '「' | '」' | '‘' | '’' | '\'');
    let mut k = label_key(s);
    if k.contains(quote) {
        k.retain(|c| !quote(c));
    }
    let digits = k.chars().take_while(char::is_ascii_digit).count();
    if digits == 4 {
        let rest = &k[4..];
        let rest = rest
            .strip_prefix("年度")
            .or_else(|| rest.strip_prefix('年'));
        if let Some(r) = rest {
            return r.to_string();
        }
    }
    k
}

/// The most characters (white space aside) a cell holding a table's title
/// has: the longest built-in title has fewer than 50, so a cell past this
/// is a paragraph of prose, whose key is not worth computing.
pub const MAX_TITLE_CHARS: usize = 150;

/// True when a cell's text may be a table's title: it names a 表 and is
/// not longer than [`MAX_TITLE_CHARS`] (white space aside).
pub fn may_be_title(text: &str) -> bool {
    holds(text, '表')
        && text
            .chars()
            .filter(|c| !c.is_whitespace())
            .take(MAX_TITLE_CHARS + 1)
            .count()
            <= MAX_TITLE_CHARS
}

/// Whether `text` holds the character `c`, found by its UTF-8 bytes
/// (`str::contains` sets up a substring search for every character that
/// is not ASCII: a cost on every cell the reader looks at).
///
/// ```
/// use budgetkit::read::holds;
/// assert!(holds("2025年部门收支总表", '表'));
/// assert!(!holds("部门收支总", '表'));
/// assert!(holds("a表", '表') && !holds("", '表') && holds("x", 'x'));
/// ```
pub fn holds(text: &str, c: char) -> bool {
    let mut buf = [0u8; 4];
    let needle = c.encode_utf8(&mut buf).as_bytes();
    let Some((first, rest)) = needle.split_first() else {
        return false;
    };
    let mut hay = text.as_bytes();
    while let Some(i) = memchr::memchr(*first, hay) {
        let after = hay.get(i + 1..).unwrap_or_default();
        if after.starts_with(rest) {
            return true;
        }
        hay = after;
    }
    false
}

/// The title key of a spec title.
pub fn spec_title_key(spec: &TableSpec) -> String {
    title_key(&spec.title_without_year())
}

/// The keys of every title a table may be filed under: its own, then its
/// `other_titles` (sh-2026's 单位 edition: 预算单位财务收支预算总表).
/// Worked out once per spec.
pub fn spec_title_keys(spec: &TableSpec) -> &[String] {
    spec.memo.title_keys.get_or_init(|| {
        std::iter::once(spec_title_key(spec))
            .chain(
                spec.other_titles
                    .iter()
                    .map(|t| title_key(&crate::spec::without_year(t))),
            )
            .collect()
    })
}

/// The [`header_key`]s of a spec's column paths
/// ([`TableSpec::column_paths`]), worked out once per spec.
pub fn column_path_keys(spec: &TableSpec) -> &[Vec<String>] {
    spec.memo.column_path_keys.get_or_init(|| {
        spec.column_paths()
            .iter()
            .map(|p| p.iter().map(|s| header_key(s).into_owned()).collect())
            .collect()
    })
}

/// Header text reduced for matching: no whitespace, NFKC, any year → `Y`.
pub fn header_key(s: &str) -> Cow<'_, str> {
    // A byte search first: a substring search costs more than most headers.
    let k = if memchr::memchr(b'{', s.as_bytes()).is_some() && s.contains("{year}") {
        Cow::Owned(label_key(&s.replace("{year}", "Y")))
    } else {
        label_key_cow(s)
    };
    // A year is four ASCII digits in a row: most headers have none.
    if !k
        .as_bytes()
        .windows(4)
        .any(|w| w.iter().all(u8::is_ascii_digit))
    {
        return k;
    }
    let chars: Vec<char> = k.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let is_year = i + 4 <= chars.len()
            && chars[i..i + 4].iter().all(char::is_ascii_digit)
            && (chars[i] == '1' || chars[i] == '2')
            && !chars.get(i + 4).is_some_and(char::is_ascii_digit)
            && (i == 0 || !chars[i - 1].is_ascii_digit());
        if is_year {
            out.push('Y');
            i += 4;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    Cow::Owned(out)
}

/// A fixed row label reduced for matching: the numbering prefix
/// (`一、`, `①`, `1.`) removed. Borrows `s` where it can (see
/// [`label_key_cow`]).
pub fn row_label_key(s: &str) -> Cow<'_, str> {
    // Circled numbers first: NFKC would turn ② into a plain 2.
    let trimmed = s.trim_start();
    if let Some(rest) = trimmed.strip_prefix(|c: char| ('①'..='⑳').contains(&c)) {
        return label_key_cow(rest);
    }
    let k = label_key_cow(s);
    let Some(from) = unnumbered(&k).map(|rest| k.len().saturating_sub(rest.len())) else {
        return k;
    };
    let to = k.len();
    key_part(k, from..to)
}

/// The label key `k` after its numbering prefix, when it has one.
fn unnumbered(k: &str) -> Option<&str> {
    let numeral = |c: char| {
        matches!(
            c,
            '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
        ) || c.is_ascii_digit()
    };
    let bracket = |c: char| c == '(' || c == ')';
    // `2公务用车…`: a bare number before the label (a circled ② after
    // NFKC, or typed so).
    let digits = k.chars().take_while(char::is_ascii_digit).count();
    if (1..=2).contains(&digits) && k.chars().nth(digits).is_some_and(|c| !c.is_ascii()) {
        if let Some(rest) = k.get(digits..) {
            if !rest.starts_with(['、', '.', '．']) {
                return Some(rest);
            }
        }
    }
    if let Some((head, rest)) = k.strip_prefix('(').and_then(|r| r.split_once(')')) {
        if !head.is_empty() && head.chars().count() <= 4 && head.chars().all(numeral) {
            return Some(rest.trim_start_matches(['、', '.', '．']));
        }
    }
    // `一、` `(1).` `3．`: numerals and brackets, then a separator. (The
    // separator first found in the key is the one after them, or the
    // text before it is not a numbering.)
    let head_len = k
        .char_indices()
        .find(|(_, c)| !numeral(*c) && !bracket(*c))
        .map_or(k.len(), |(i, _)| i);
    let (head, tail) = k.split_at_checked(head_len)?;
    let rest = tail
        .strip_prefix('、')
        .or_else(|| tail.strip_prefix('.'))
        .or_else(|| tail.strip_prefix('．'))?;
    let head = head.trim_matches(bracket);
    (!head.is_empty() && head.chars().count() <= 4 && head.chars().all(numeral)).then_some(rest)
}
