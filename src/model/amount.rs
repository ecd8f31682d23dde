//! Amounts in 万元 with provenance, and the parsing/rounding rules for them.

use super::cell::{CellRef, SheetName, A1};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use std::ops::Add;

/// Where a value was read from: sheet, cell and the text as typed. The
/// sheet and cell are a [`CellRef`] in its two parts, so the JSON model
/// keeps its fields (`"sheet"`, `"cell": "B6"`, `"text"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// Sheet name exactly as in the workbook.
    pub sheet: SheetName,
    /// The cell on that sheet, e.g. `B6`.
    pub cell: A1,
    /// The cell's content as typed (or its cached formula result).
    pub text: String,
}

impl Provenance {
    /// The provenance of `text` read at `at`.
    pub fn new(at: CellRef, text: impl Into<String>) -> Self {
        Provenance {
            sheet: at.sheet,
            cell: at.cell,
            text: text.into(),
        }
    }

    /// The cell, written `SHEET!A1` as findings name cells.
    pub fn reference(&self) -> CellRef {
        CellRef {
            sheet: self.sheet.clone(),
            cell: self.cell,
        }
    }
}

/// An amount in 万元 (two decimals as published), with where it came from.
///
/// Equality compares the value only: provenance says where a number was
/// read, not what it is.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Amount {
    /// The value in 万元.
    pub value: Decimal,
    /// Where the value was read; `None` for derived or generated values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Provenance>,
}

impl PartialEq for Amount {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl Amount {
    /// A derived amount (no provenance).
    pub fn new(value: Decimal) -> Self {
        Amount { value, at: None }
    }

    /// An amount read from a cell.
    pub fn read(value: Decimal, at: Provenance) -> Self {
        Amount {
            value,
            at: Some(at),
        }
    }
}

/// Adds two amounts without ever panicking: a sum beyond Decimal's range
/// (about 7.9 × 10^28) stays at that bound. Such a sum can only come from
/// absurd amounts, which IT-AMOUNT-NUMBER reports on their cells; the
/// bound keeps the run going to say so.
pub fn plus(a: Decimal, b: Decimal) -> Decimal {
    a.saturating_add(b)
}

/// Adds optional amounts the way published tables do: blank + blank is
/// blank, blank counts as zero next to a number (see [`plus`] on overflow).
pub fn sum_opt<'a, I>(items: I) -> Option<Decimal>
where
    I: IntoIterator<Item = Option<&'a Amount>>,
{
    items
        .into_iter()
        .flatten()
        .map(|a| a.value)
        .fold(None, |acc, v| Some(plus(acc.unwrap_or_default(), v)))
}

/// Adds optional decimals: `None` only when every part is `None` (see
/// [`plus`] on overflow).
pub fn add_opt(a: Option<Decimal>, b: Option<Decimal>) -> Option<Decimal> {
    match (a, b) {
        (None, None) => None,
        (a, b) => Some(plus(a.unwrap_or_default(), b.unwrap_or_default())),
    }
}

/// Rounds to `dp` decimals, half away from zero (四舍五入).
pub fn round_half_away(v: Decimal, dp: u32) -> Decimal {
    v.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

/// Why a cell's text is not an amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AmountParseError {
    /// Text that is not a number, e.g. `约5万`.
    NotANumber,
}

/// A unit typed after an amount in its cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypedUnit {
    /// `万元` or `万`.
    Wanyuan,
    /// `元`.
    Yuan,
}

impl TypedUnit {
    /// The factor that turns an amount in this unit into 万元.
    pub fn to_wanyuan(self) -> Decimal {
        match self {
            TypedUnit::Wanyuan => Decimal::ONE,
            TypedUnit::Yuan => Decimal::new(1, 4),
        }
    }
}

/// Parses an amount as departments type it, in 万元: an amount typed with
/// `元` after it is converted (`1316800元` → 131.68), one without a unit
/// is taken as 万元 (see [`parse_typed_amount`] for the table's unit).
///
/// Accepts full-width digits, spaces at either end, thousands separators
/// in their places (`1,234,567.8`), a trailing unit (`万元`, `万`, `元`),
/// negatives as `-1`, `－1`, `(1)` or `（1）`. Returns `Ok(None)` for a
/// blank cell or a dash (`-`, `—`), which mean "no amount". Anything else
/// is not a number: circled or superscript digits (`①`, `⁸`), a misplaced
/// separator (`1,31.68`), two decimal points.
///
/// ```
/// use budgetkit::model::parse_amount;
/// use rust_decimal::Decimal;
/// assert_eq!(parse_amount(" １,２３4.5 ").unwrap(), Some(Decimal::new(12345, 1)));
/// assert_eq!(parse_amount("（3.00）").unwrap(), Some(Decimal::new(-300, 2)));
/// assert_eq!(parse_amount("1316800元").unwrap(), Some(Decimal::new(13168, 2)));
/// assert_eq!(parse_amount("—").unwrap(), None);
/// assert!(parse_amount("1,31.68").is_err());
/// ```
pub fn parse_amount(text: &str) -> Result<Option<Decimal>, AmountParseError> {
    match parse_typed_amount(text)? {
        None => Ok(None),
        Some((v, None)) => Ok(Some(v)),
        Some((v, Some(unit))) => v
            .checked_mul(unit.to_wanyuan())
            .map(Some)
            .ok_or(AmountParseError::NotANumber),
    }
}

/// Parses an amount as typed, with the unit typed after it if any: the
/// value is in that unit, or in the table's unit when none is typed. The
/// grammar is [`parse_amount`]'s.
pub fn parse_typed_amount(
    text: &str,
) -> Result<Option<(Decimal, Option<TypedUnit>)>, AmountParseError> {
    // Without a digit, ASCII or full-width (U+FF10…, bytes EF BC …), the
    // text is a dash, nothing or not a number: no full-width forms to map
    // (a label of a table's label column is parsed too).
    if !text.bytes().any(|b| b.is_ascii_digit() || b == 0xEF) {
        return if no_amount(split_unit(text.trim()).0) {
            Ok(None)
        } else {
            Err(AmountParseError::NotANumber)
        };
    }
    typed_amount_of(text)
}

/// [`parse_typed_amount`] by its grammar, whatever the text holds.
fn typed_amount_of(text: &str) -> Result<Option<(Decimal, Option<TypedUnit>)>, AmountParseError> {
    let t = full_width_to_ascii(text);
    let (t, unit) = split_unit(t.trim());
    if no_amount(t) {
        return Ok(None);
    }
    let (neg, body) = if let Some(inner) = t.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        (true, inner.trim())
    } else if let Some(rest) = t.strip_prefix('-') {
        (true, rest.trim_start())
    } else {
        (false, t.strip_prefix('+').unwrap_or(t).trim_start())
    };
    let digits = plain_number(body).ok_or(AmountParseError::NotANumber)?;
    let v: Decimal = digits.parse().map_err(|_| AmountParseError::NotANumber)?;
    Ok(Some((if neg { -v } else { v }, unit)))
}

/// A trimmed amount's text without the unit typed after it (`万元`, `万`,
/// `元`), and that unit.
fn split_unit(t: &str) -> (&str, Option<TypedUnit>) {
    if let Some(rest) = t.strip_suffix("万元").or_else(|| t.strip_suffix('万')) {
        (rest.trim_end(), Some(TypedUnit::Wanyuan))
    } else if let Some(rest) = t.strip_suffix('元') {
        (rest.trim_end(), Some(TypedUnit::Yuan))
    } else {
        (t, None)
    }
}

/// True when an amount's text (unit cut off) says there is none: nothing,
/// or dashes and slashes only.
fn no_amount(t: &str) -> bool {
    t.is_empty() || t.chars().all(|c| matches!(c, '-' | '—' | '–' | '/'))
}

/// An amount cell's content in 万元, parsed once when its table is
/// located: the reader's amounts and the rules' numbers both come from it.
///
/// A value keeps the precision it was published with in its scale (the
/// number of decimals of the [`Decimal`], see [`precision`]): two decimals
/// for a table in 万元, four (whole 元) or six (元 with cents) for a table
/// in 元 — 189,767,551 元 is 18976.7551 万元, never 18976.76.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellAmount {
    /// Empty, or a dash: no amount.
    Blank,
    /// A number in 万元 at the precision it was published with.
    Value(Decimal),
    /// Text that is not a number (or beyond Decimal's range once
    /// converted).
    NotANumber,
}

impl CellAmount {
    /// Parses a cell's text in a table whose amounts are multiplied by
    /// `scale` to give 万元 (0.0001 for a table headed 单位：元); a unit
    /// typed in the cell (`1316800元`) wins over the table's. `numeric`
    /// says the cell held a number (not text): a number in 元 stands for
    /// 元 with cents whatever decimals it happens to show, text in 元 for
    /// as many decimals of 元 as were typed (at most two).
    ///
    /// ```
    /// use budgetkit::model::CellAmount;
    /// use rust_decimal::Decimal;
    /// let yuan = Decimal::new(1, 4);
    /// // 万元: two decimals as published, half away from zero.
    /// assert_eq!(CellAmount::parse("131.684", Decimal::ONE, true).value(), Some("131.68".parse().unwrap()));
    /// // 元: the exact amount, with the precision it was written with.
    /// assert_eq!(CellAmount::parse("189,767,551", yuan, false).value().map(|v| v.to_string()), Some("18976.7551".into()));
    /// assert_eq!(CellAmount::parse("31214205.8", yuan, true).value().map(|v| v.to_string()), Some("3121.420580".into()));
    /// assert_eq!(CellAmount::parse("1316800元", Decimal::ONE, false).value().map(|v| v.to_string()), Some("131.6800".into()));
    /// assert_eq!(CellAmount::parse("—", yuan, true), CellAmount::Blank);
    /// assert_eq!(CellAmount::parse("约5万", Decimal::ONE, false), CellAmount::NotANumber);
    /// ```
    pub fn parse(text: &str, scale: Decimal, numeric: bool) -> CellAmount {
        let typed = match plain_amount(text) {
            Some(Ok(v)) => Ok(Some((v, None))),
            Some(Err(e)) => Err(e),
            None => parse_typed_amount(text),
        };
        match typed {
            Ok(None) => CellAmount::Blank,
            Ok(Some((v, unit))) => {
                let factor = unit.map_or(scale, TypedUnit::to_wanyuan);
                let yuan_decimals = if numeric { 2 } else { v.scale().min(2) };
                // 元 → 万元 moves the decimal point four places.
                let dp = if factor == Decimal::ONE {
                    WANYUAN_DP
                } else {
                    4 + yuan_decimals
                };
                v.checked_mul(factor).map_or(CellAmount::NotANumber, |x| {
                    CellAmount::Value(at_precision(x, dp))
                })
            }
            Err(_) => CellAmount::NotANumber,
        }
    }

    /// The amount at its published precision (`None` when blank or not a
    /// number).
    pub fn value(self) -> Option<Decimal> {
        match self {
            CellAmount::Value(v) => Some(v),
            CellAmount::Blank | CellAmount::NotANumber => None,
        }
    }
}

/// The decimals of an amount published in 万元.
pub const WANYUAN_DP: u32 = 2;

/// `v` rounded half away from zero to `dp` decimals and written with
/// exactly that many (131.6 → 131.60), so that its scale states its
/// precision.
pub fn at_precision(v: Decimal, dp: u32) -> Decimal {
    let mut r = round_half_away(v, dp);
    r.rescale(dp);
    r
}

/// The decimals (in 万元) an amount was published with: its scale, and
/// never fewer than the two of a 万元 table (an amount typed `117` in 万元
/// stands for 117.00).
///
/// ```
/// use budgetkit::model::precision;
/// assert_eq!(precision("117".parse().unwrap()), 2);
/// assert_eq!(precision("3121.420580".parse().unwrap()), 6);
/// ```
pub fn precision(v: Decimal) -> u32 {
    v.scale().max(WANYUAN_DP)
}

/// An amount as findings quote it, in the unit it was published in: two
/// decimals of 万元 (`87.71`), or for an amount read in 元 (four or more
/// decimals of 万元) the 元 with cents and the unit (`877080.00元`).
///
/// ```
/// use budgetkit::model::quoted;
/// assert_eq!(quoted("87.708".parse().unwrap()), "87.71");
/// assert_eq!(quoted("87.708000".parse().unwrap()), "877080.00元");
/// ```
pub fn quoted(v: Decimal) -> String {
    if precision(v) < 4 {
        return two_decimals(v);
    }
    let yuan = v.checked_mul(Decimal::from(10_000)).unwrap_or(v);
    format!("{}元", two_decimals(yuan))
}

/// An amount as the tables write it: two decimals, rounded half away
/// from zero (`353.49`, `0.00`).
///
/// ```
/// use budgetkit::model::two_decimals;
/// assert_eq!(two_decimals("2.345".parse().unwrap()), "2.35");
/// assert_eq!(two_decimals("7".parse().unwrap()), "7.00");
/// ```
pub fn two_decimals(v: Decimal) -> String {
    TwoDecimals(v).to_string()
}

/// [`two_decimals`] as a `Display`, for writing (or measuring) an amount
/// without building its text.
#[derive(Debug, Clone, Copy)]
pub struct TwoDecimals(pub Decimal);

impl std::fmt::Display for TwoDecimals {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:.2}", round_half_away(self.0, 2))
    }
}

/// Half a unit of the last published decimal: the radius of the interval
/// an amount stands for (0.005 万元 for 万元, 0.00005 for whole 元,
/// 0.0000005 for 元 with cents).
pub fn rounding_radius(v: Decimal) -> Decimal {
    Decimal::new(5, precision(v).min(27) + 1)
}

/// Text of the plain shape [`plain_amount`] reads, as (minus, the digits
/// and dots after it); `None` for any other text.
pub fn plain_digits(text: &str) -> Option<(bool, &str)> {
    let (neg, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let plain = !body.is_empty() && body.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    plain.then_some((neg, body))
}

/// The common case without Unicode normalisation: ASCII digits and dots,
/// optionally after a minus (`353.49`, `-12`) — text [`parse_amount`]
/// leaves as it is and parses the same way. `None` for anything else.
pub fn plain_amount(text: &str) -> Option<Result<Decimal, AmountParseError>> {
    let (neg, body) = plain_digits(text)?;
    Some(match body.parse::<Decimal>() {
        Ok(v) if neg => Ok(-v),
        Ok(v) => Ok(v),
        Err(_) => Err(AmountParseError::NotANumber),
    })
}

/// Full-width forms (`１`, `，`, `（`, `－`, `．`) and the ideographic space
/// made ASCII; nothing else changes (NFKC would also turn `①` and `⁸` into
/// digits).
fn full_width_to_ascii(text: &str) -> std::borrow::Cow<'_, str> {
    let full_width = |c: char| matches!(u32::from(c), 0xFF01..=0xFF5E | 0x3000);
    if !text.chars().any(full_width) {
        return std::borrow::Cow::Borrowed(text);
    }
    text.chars()
        .map(|c| match u32::from(c) {
            0xFF01..=0xFF5E => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
            0x3000 => ' ',
            _ => c,
        })
        .collect::<String>()
        .into()
}

/// The digits of `1,234.5` (`1234.5`), when the text is ASCII digits with
/// at most one decimal point and, if any, thousands separators every three
/// digits of the integer part; `None` otherwise.
fn plain_number(body: &str) -> Option<String> {
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if frac.is_some_and(|f| !all_digits(f)) || int.is_empty() && frac.is_none_or(str::is_empty) {
        return None;
    }
    if int.contains(',') {
        let mut groups = int.split(',');
        let first = groups.next().unwrap_or_default();
        if first.is_empty() || first.len() > 3 || !all_digits(first) {
            return None;
        }
        if !groups.all(|g| g.len() == 3 && all_digits(g)) {
            return None;
        }
    } else if !all_digits(int) {
        return None;
    }
    let mut out: String = int.chars().filter(|c| *c != ',').collect();
    if out.is_empty() {
        out.push('0');
    }
    if let Some(f) = frac.filter(|f| !f.is_empty()) {
        out.push('.');
        out.push_str(f);
    }
    Some(out)
}

impl Add for &Amount {
    type Output = Amount;
    fn add(self, rhs: &Amount) -> Amount {
        Amount::new(plus(self.value, rhs.value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_half_away_from_zero_not_bankers() {
        assert_eq!(
            round_half_away(Decimal::new(1125, 3), 2),
            Decimal::new(113, 2)
        );
        assert_eq!(
            round_half_away(Decimal::new(-1125, 3), 2),
            Decimal::new(-113, 2)
        );
        assert_eq!(
            round_half_away(Decimal::new(1135, 3), 2),
            Decimal::new(114, 2)
        );
    }

    #[test]
    fn parses_typed_amounts() {
        assert_eq!(
            parse_amount("353.49").unwrap(),
            Some(Decimal::new(35349, 2))
        );
        assert_eq!(
            parse_amount("1,234.50").unwrap(),
            Some(Decimal::new(123450, 2))
        );
        assert_eq!(parse_amount("５万元").unwrap(), Some(Decimal::new(5, 0)));
        assert_eq!(parse_amount("-2.5").unwrap(), Some(Decimal::new(-25, 1)));
        assert_eq!(parse_amount("").unwrap(), None);
        assert_eq!(parse_amount(" - ").unwrap(), None);
        assert_eq!(parse_amount("约5"), Err(AmountParseError::NotANumber));
        assert_eq!(parse_amount("1.2.3"), Err(AmountParseError::NotANumber));
        assert_eq!(parse_amount("1，234").unwrap(), Some(Decimal::new(1234, 0)));
        assert_eq!(parse_amount("－2").unwrap(), Some(Decimal::new(-2, 0)));
        assert_eq!(parse_amount(".5").unwrap(), Some(Decimal::new(5, 1)));
        assert_eq!(parse_amount("5.").unwrap(), Some(Decimal::new(5, 0)));
        assert_eq!(parse_amount(".").unwrap_err(), AmountParseError::NotANumber);
        assert_eq!(
            parse_amount("1 234").unwrap_err(),
            AmountParseError::NotANumber
        );
        assert_eq!(
            parse_amount(",123").unwrap_err(),
            AmountParseError::NotANumber
        );
        assert_eq!(
            parse_amount("1234,567").unwrap_err(),
            AmountParseError::NotANumber
        );
    }

    /// #14: a text without a digit is told blank or not a number without
    /// the grammar, as the grammar tells it.
    #[test]
    fn texts_without_digits_parse_as_the_grammar_parses_them() {
        let parts = [
            "",
            " ",
            "\u{3000}",
            "—",
            "-",
            "–",
            "/",
            "－",
            "元",
            "万元",
            "万",
            "(",
            ")",
            "（",
            "合计",
            "一、",
            "基本支出",
            "约",
            ".",
            ",",
            "Ⅳ",
            "①",
            "\u{FF0F}",
            "\u{FF0E}",
        ];
        let mut n = 0;
        for a in parts {
            for b in parts {
                for c in ["", "元", " ", "—"] {
                    let t = format!("{a}{b}{c}");
                    assert_eq!(parse_typed_amount(&t), typed_amount_of(&t), "{t:?}");
                    n += 1;
                }
            }
        }
        assert!(n > 2000);
        assert_eq!(parse_typed_amount("— 元"), Ok(None));
        assert_eq!(
            parse_typed_amount("基本支出"),
            Err(AmountParseError::NotANumber)
        );
        assert_eq!(
            parse_typed_amount("１２元").map(|v| v.map(|(d, _)| d.to_string())),
            Ok(Some("12".into()))
        );
    }

    #[test]
    fn blank_plus_blank_is_blank() {
        assert_eq!(sum_opt([None, None]), None);
        let a = Amount::new(Decimal::ONE);
        assert_eq!(sum_opt([None, Some(&a)]), Some(Decimal::ONE));
    }

    #[test]
    fn sums_beyond_decimal_range_do_not_panic() {
        let big = Amount::new(Decimal::MAX);
        assert_eq!(sum_opt([Some(&big), Some(&big)]), Some(Decimal::MAX));
        assert_eq!(
            add_opt(Some(Decimal::MIN), Some(Decimal::MIN)),
            Some(Decimal::MIN)
        );
        assert_eq!((&big + &big).value, Decimal::MAX);
    }
}
