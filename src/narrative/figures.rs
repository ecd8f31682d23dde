//! Figures in prose: amounts in 万元/元/亿元, percentages and counts
//! (个, 辆, 台（套）, 家 …), each with the decimals it was written with;
//! and 持平 (与上年持平), a change of nought written without a number.

use rust_decimal::Decimal;
use std::str::FromStr;

/// What a figure counts in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unit {
    /// 万元.
    Wanyuan,
    /// 元.
    Yuan,
    /// 亿元.
    Yiyuan,
    /// A percentage (`%`).
    Percent,
    /// A count, with its measure word as written (`个`, `辆`, `台（套）`).
    Count(String),
    /// 持平: no change, in 万元, to the decimals of the amount written
    /// before it in the paragraph (two at least: the tables' cents).
    Unchanged,
}

/// The word of [`Unit::Unchanged`].
pub const UNCHANGED: &str = "持平";

/// Words before 持平 that make it approximate (基本持平) or another word
/// (保持平稳): not a claim of nought.
const NOT_UNCHANGED_AFTER: [&str; 6] = ["基本", "大体", "大致", "总体", "略", "保"];

/// Most decimals a figure may have (a Decimal holds 28).
const MAX_DECIMALS: u32 = 12;

/// Measure words of counts, longest first so `台（套）` wins over `台`.
const COUNT_WORDS: [&str; 9] = [
    "台（套）",
    "台(套)",
    "平方米",
    "个",
    "辆",
    "台",
    "套",
    "家",
    "项",
];

/// One figure of a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    /// Byte offset of its first digit in the paragraph.
    pub start: usize,
    /// Byte offset just past its unit.
    pub end: usize,
    /// The figure as written, number and unit (`37.91万元`).
    pub text: String,
    /// The number as written (in its own unit).
    pub number: Decimal,
    /// Decimals written (`66.90%` → 2, `117万元` → 0).
    pub decimals: u32,
    /// Its unit.
    pub unit: Unit,
}

impl Figure {
    /// True for an amount of money.
    pub fn is_amount(&self) -> bool {
        matches!(self.unit, Unit::Wanyuan | Unit::Yuan | Unit::Yiyuan)
    }

    /// An amount in 万元 (nought for 持平); `None` for percentages and
    /// counts.
    pub fn wanyuan(&self) -> Option<Decimal> {
        match self.unit {
            Unit::Wanyuan | Unit::Unchanged => Some(self.number),
            Unit::Yuan => self.number.checked_div(Decimal::from(10_000)),
            Unit::Yiyuan => self.number.checked_mul(Decimal::from(10_000)),
            _ => None,
        }
    }

    /// What one unit of the last decimal written is worth in 万元 (for
    /// amounts), in percentage points or in counts: `2.10万元` → 0.01.
    pub fn step(&self) -> Decimal {
        let step = Decimal::new(1, self.decimals);
        match self.unit {
            Unit::Yuan => step / Decimal::from(10_000),
            Unit::Yiyuan => step.saturating_mul(Decimal::from(10_000)),
            _ => step,
        }
    }

    /// The decimals of an amount expressed in 万元 (`873,617元` → 4);
    /// `None` for what is not an amount.
    fn wanyuan_decimals(&self) -> Option<u32> {
        match self.unit {
            Unit::Wanyuan => Some(self.decimals),
            Unit::Yuan => Some(self.decimals.saturating_add(4)),
            Unit::Yiyuan => Some(self.decimals.saturating_sub(4)),
            _ => None,
        }
    }
}

/// Full-width digits, point and percent sign made ASCII (nothing else is
/// changed, so quotes keep the text's own punctuation).
pub fn ascii_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(u32::from(c) - 0xFF10 + u32::from('0')).unwrap_or(c),
            '．' => '.',
            '％' => '%',
            c => c,
        })
        .collect()
}

/// Every figure of `text` (already [`ascii_digits`]), in order. A number
/// not followed by a unit (a year, a date, a list number) is not a figure;
/// a 持平 is ([`Unit::Unchanged`]).
pub fn figures(text: &str) -> Vec<Figure> {
    let mut out = numbers(text);
    for (start, _) in text.match_indices(UNCHANGED) {
        let before = text.get(..start).unwrap_or_default();
        if NOT_UNCHANGED_AFTER.iter().any(|w| before.ends_with(w)) {
            continue;
        }
        let decimals = out
            .iter()
            .rev()
            .filter(|f| f.end <= start)
            .find_map(Figure::wanyuan_decimals)
            .unwrap_or(2)
            .max(2);
        let at = out.partition_point(|f| f.start < start);
        out.insert(
            at,
            Figure {
                start,
                end: start + UNCHANGED.len(),
                text: UNCHANGED.to_string(),
                number: Decimal::ZERO,
                decimals,
                unit: Unit::Unchanged,
            },
        );
    }
    out
}

/// The figures of `text` written with digits.
fn numbers(text: &str) -> Vec<Figure> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts_number = bytes.get(i).is_some_and(u8::is_ascii_digit)
            && (i == 0
                || !bytes
                    .get(i - 1)
                    .is_some_and(|b| b.is_ascii_digit() || *b == b'.'));
        if !starts_number {
            i += 1;
            continue;
        }
        let (number_end, digits, decimals) = number_at(bytes, i);
        let rest = text.get(number_end..).unwrap_or_default();
        let spaces = rest.len() - rest.trim_start_matches(' ').len();
        let after = rest.get(spaces..).unwrap_or_default();
        match (unit_of(after), Decimal::from_str(&digits)) {
            (Some((unit, len)), Ok(number)) if decimals <= MAX_DECIMALS => {
                let end = number_end + spaces + len;
                out.push(Figure {
                    start: i,
                    end,
                    text: text.get(i..end).unwrap_or_default().to_string(),
                    number,
                    decimals,
                    unit,
                });
                i = end;
            }
            _ => i = number_end.max(i + 1),
        }
    }
    out
}

/// The number starting at `i`: where it ends, its digits without
/// thousands separators, and its decimals.
fn number_at(bytes: &[u8], i: usize) -> (usize, String, u32) {
    let mut j = i;
    let mut digits = String::new();
    let mut decimals = 0u32;
    let mut seen_point = false;
    while let Some(&b) = bytes.get(j) {
        let next_is_digit = bytes.get(j + 1).is_some_and(u8::is_ascii_digit);
        if b.is_ascii_digit() {
            digits.push(char::from(b));
            if seen_point {
                decimals += 1;
            }
        } else if b == b'.' && !seen_point && next_is_digit {
            seen_point = true;
            digits.push('.');
        } else if b == b',' && !seen_point && next_is_digit {
            // a thousands separator: skipped
        } else {
            break;
        }
        j += 1;
    }
    (j, digits, decimals)
}

/// The unit at the start of `after` and its length in bytes.
fn unit_of(after: &str) -> Option<(Unit, usize)> {
    for (word, unit) in [
        ("万元", Unit::Wanyuan),
        ("亿元", Unit::Yiyuan),
        ("元", Unit::Yuan),
        ("%", Unit::Percent),
    ] {
        if after.starts_with(word) {
            return Some((unit, word.len()));
        }
    }
    COUNT_WORDS
        .iter()
        .find(|w| after.starts_with(**w))
        .map(|w| (Unit::Count((*w).to_string()), w.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_percentages_counts_and_not_years() {
        let f = figures("2024年12月31日，共计1,316.80万元，占66.90%；设备0台（套），5个，873617元");
        let texts: Vec<&str> = f.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(
            texts,
            ["1,316.80万元", "66.90%", "0台（套）", "5个", "873617元"]
        );
        assert_eq!(f[0].number, Decimal::new(131680, 2));
        assert_eq!(f[0].decimals, 2);
        assert_eq!(f[4].wanyuan(), Some(Decimal::new(873617, 4)));
        assert_eq!(f[4].step(), Decimal::new(1, 4));
    }

    #[test]
    fn unchanged_is_a_figure_of_nought_to_the_decimals_before_it() {
        let f = figures("接待费0.95万元，与上年持平；出国费873,617元，持平。基本持平，保持平稳");
        let texts: Vec<(&str, u32)> = f.iter().map(|f| (f.text.as_str(), f.decimals)).collect();
        assert_eq!(
            texts,
            [("0.95万元", 2), ("持平", 2), ("873,617元", 0), ("持平", 4)]
        );
        assert_eq!(f[1].unit, Unit::Unchanged);
        assert_eq!(f[1].wanyuan(), Some(Decimal::ZERO));
        assert_eq!(f[3].step(), Decimal::new(1, 4));
        assert_eq!(figures("与上年持平")[0].decimals, 2);
    }

    #[test]
    fn full_width_digits_become_ascii() {
        assert_eq!(ascii_digits("１２．５％"), "12.5%");
    }
}
