//! Rounding-aware comparison of published amounts (DESIGN §3, after XBRL
//! Calculations 1.1).
//!
//! A published amount stands for the interval of half a unit of its last
//! decimal around it (its [`rounding_radius`]): `v ± 0.005` for two
//! decimals of 万元, `± 0.5 元` for whole 元 typed as text; an amount of
//! 元 with cents (every number in a 元 table) is exact, money having no
//! smaller unit, so a sum of such amounts must match to the cent. A
//! stated total is consistent with its parts when the interval
//! of the parts (added endpoint by endpoint) meets the interval of the
//! total, that is when `|total − Σ parts|` is at most the sum of their
//! radii (`0.005 × (number of parts + 1)` for a table in 万元). Two
//! refinements:
//!
//! - a blank cell is an exact zero and adds no width;
//! - a total of a single part is a copy of the same yuan amount, rounded
//!   the same way, so it must equal the part to the cent.
//!
//! Copies of one number in two tables are compared exactly at the
//! coarser of their precisions: 21.56 万元 and 215,600.00 元 agree, 21.56
//! and 21.57 do not.

use crate::model::{
    parse_amount, plain_amount, precision, quoted, round_half_away, rounding_radius, CellAmount,
};
use rust_decimal::Decimal;

/// The decimals (in 万元) of an amount of 元 with cents.
const CENTS_OF_YUAN_DP: u32 = 6;

/// A value read from a cell, for comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Num {
    /// An empty cell or a dash: no amount (an exact zero).
    Blank,
    /// A number in 万元.
    Value(Decimal),
    /// Text that is not a number (a `READ-AMOUNT` or `IT-AMOUNT-NUMBER`
    /// finding); a relation involving it is not judged.
    Invalid,
}

impl From<CellAmount> for Num {
    fn from(amount: CellAmount) -> Num {
        match amount {
            CellAmount::Blank => Num::Blank,
            CellAmount::Value(v) => Num::Value(v),
            CellAmount::NotANumber => Num::Invalid,
        }
    }
}

impl Num {
    /// Parses typed text the way the reader does.
    pub fn parse(text: &str) -> Num {
        if let Some(num) = Num::parse_plain(text) {
            return num;
        }
        match parse_amount(text) {
            Ok(None) => Num::Blank,
            Ok(Some(v)) => Num::Value(v),
            Err(_) => Num::Invalid,
        }
    }

    /// The common case without Unicode normalisation (see
    /// [`plain_amount`]).
    fn parse_plain(text: &str) -> Option<Num> {
        plain_amount(text).map(|r| r.map_or(Num::Invalid, Num::Value))
    }

    /// The value, blank counting as zero.
    pub fn value(self) -> Decimal {
        match self {
            Num::Value(v) => v,
            Num::Blank | Num::Invalid => Decimal::ZERO,
        }
    }

    /// True for a stated number (zero included).
    pub fn is_stated(self) -> bool {
        matches!(self, Num::Value(_))
    }

    /// True for a stated non-zero number.
    pub fn is_nonzero(self) -> bool {
        matches!(self, Num::Value(v) if !v.is_zero())
    }

    /// Half a unit of the value's last published decimal; zero for a
    /// blank and for 元 with cents, which are exact.
    pub fn radius(self) -> Decimal {
        match self {
            Num::Value(v) if precision(v) >= CENTS_OF_YUAN_DP => Decimal::ZERO,
            Num::Value(v) => rounding_radius(v),
            Num::Blank | Num::Invalid => Decimal::ZERO,
        }
    }

    /// The value as findings quote it (see [`quoted`]).
    pub fn display(self) -> String {
        quoted(self.value())
    }
}

/// The widest gap rounding allows between a stated total and the sum of
/// its stated parts, or `None` when the values must agree exactly.
pub fn tolerance(total: Num, parts: &[Num]) -> Option<Decimal> {
    tolerance_for(total, parts, 1)
}

/// [`tolerance`] when every published amount is the sum of `figures`
/// rounded amounts (a 汇总 of `figures` departments): each value then
/// stands for `v ± 0.005 × figures`.
pub fn tolerance_for(total: Num, parts: &[Num], figures: u32) -> Option<Decimal> {
    let stated = || parts.iter().filter(|p| p.is_stated());
    if stated().count() <= 1 {
        return None;
    }
    let width = stated()
        .chain(total.is_stated().then_some(&total))
        .fold(Decimal::ZERO, |w, p| w.saturating_add(p.radius()));
    Some(width.saturating_mul(Decimal::from(figures.max(1))))
}

/// The sum of the parts (blanks as zero); `None` when it overflows (an
/// absurd amount in a cell must not stop the run).
pub fn sum(parts: &[Num]) -> Option<Decimal> {
    parts
        .iter()
        .try_fold(Decimal::ZERO, |acc, p| acc.checked_add(p.value()))
}

/// Whether a stated total agrees with its parts within rounding; `None`
/// when any value is not a number (nothing can be judged).
///
/// ```
/// use budgetkit::rules::rounding::{sum_agrees, Num};
/// use rust_decimal::Decimal;
/// let d = |s: &str| Num::Value(s.parse::<Decimal>().unwrap());
/// // 21011 in the reference: 6.75 + 2.81 = 9.56, stated 9.55 — rounding.
/// assert_eq!(sum_agrees(d("9.55"), &[d("6.75"), d("2.81")]), Some(true));
/// // 9.61 typed as 9.16 — a mistake.
/// assert_eq!(sum_agrees(d("9.16"), &[d("0.06"), d("9.55")]), Some(false));
/// ```
pub fn sum_agrees(total: Num, parts: &[Num]) -> Option<bool> {
    sum_agrees_for(total, parts, 1)
}

/// [`sum_agrees`] for amounts that each sum `figures` rounded amounts.
pub fn sum_agrees_for(total: Num, parts: &[Num], figures: u32) -> Option<bool> {
    if total == Num::Invalid || parts.contains(&Num::Invalid) {
        return None;
    }
    let s = sum(parts)?;
    let gap = total.value().checked_sub(s)?.abs();
    // An exact sum agrees under any tolerance (most do).
    if gap.is_zero() {
        return Some(true);
    }
    Some(match tolerance_for(total, parts, figures) {
        Some(tol) => gap <= tol,
        None => same_at(total.value(), s, coarsest(total, parts)),
    })
}

/// Whether the sum of the parts does not exceed `limit`, within rounding;
/// `None` when any value is not a number.
pub fn sum_at_most(parts: &[Num], limit: Num) -> Option<bool> {
    sum_at_most_for(parts, limit, 1)
}

/// [`sum_at_most`] for amounts that each sum `figures` rounded amounts.
pub fn sum_at_most_for(parts: &[Num], limit: Num, figures: u32) -> Option<bool> {
    if limit == Num::Invalid || parts.contains(&Num::Invalid) {
        return None;
    }
    let excess = sum(parts)?.checked_sub(limit.value())?;
    Some(match tolerance_for(limit, parts, figures) {
        Some(tol) => excess <= tol,
        None => round_half_away(excess, coarsest(limit, parts)) <= Decimal::ZERO,
    })
}

/// Two copies of one number agree to the cent; `None` when either is not
/// a number.
pub fn copies_agree(a: Num, b: Num) -> Option<bool> {
    if a == Num::Invalid || b == Num::Invalid {
        return None;
    }
    Some(same_at(a.value(), b.value(), coarsest(a, &[b])))
}

/// The fewest decimals among the stated values (two when none is).
fn coarsest(one: Num, others: &[Num]) -> u32 {
    std::iter::once(&one)
        .chain(others)
        .filter_map(|n| match n {
            Num::Value(v) => Some(precision(*v)),
            Num::Blank | Num::Invalid => None,
        })
        .min()
        .unwrap_or(2)
}

/// Whether two amounts are the same at `dp` decimals (half away from
/// zero).
fn same_at(a: Decimal, b: Decimal, dp: u32) -> bool {
    round_half_away(a, dp) == round_half_away(b, dp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_consolidation_widens_the_allowance_by_its_departments() {
        let d = |s: &str| Num::Value(s.parse::<Decimal>().unwrap());
        // Three copies of 21011: 3 × 9.55 against 3 × 6.75 + 3 × 2.81.
        let parts = [d("20.25"), d("8.43")];
        assert_eq!(sum_agrees(d("28.65"), &parts), Some(false));
        assert_eq!(sum_agrees_for(d("28.65"), &parts, 3), Some(true));
        // A real mistake stays one.
        assert_eq!(sum_agrees_for(d("28.50"), &parts, 3), Some(false));
    }

    fn d(s: &str) -> Num {
        Num::Value(s.parse().unwrap())
    }

    #[test]
    fn the_reference_rounding_gaps_agree() {
        // 21011 行政事业单位医疗 = 行政单位医疗 + 事业单位医疗
        assert_eq!(sum_agrees(d("9.55"), &[d("6.75"), d("2.81")]), Some(true));
        // 20113 商贸事务 = its four 项
        let items = [d("131.68"), d("67.00"), d("50.00"), d("48.34")];
        assert_eq!(sum_agrees(d("297.03"), &items), Some(true));
        // 工资福利支出: 14 items summing to 212.78
        let wages: Vec<Num> = [
            "53.83", "19.97", "33.31", "3.95", "24.21", "22.51", "16.61", "6.91", "6.75", "2.81",
            "0.24", "0.40", "15.76", "5.52",
        ]
        .iter()
        .map(|s| d(s))
        .collect();
        assert_eq!(sum(&wages), Some("212.78".parse::<Decimal>().unwrap()));
        assert_eq!(sum_agrees(d("212.76"), &wages), Some(true));
        // 公用经费: nine items summing to 21.65
        let public: Vec<Num> = [
            "1.10", "0.72", "1.10", "1.50", "3.69", "1.52", "2.10", "9.75", "0.17",
        ]
        .iter()
        .map(|s| d(s))
        .collect();
        assert_eq!(sum_agrees(d("21.64"), &public), Some(true));
    }

    #[test]
    fn a_typo_is_far_outside_the_interval() {
        assert_eq!(sum_agrees(d("9.16"), &[d("0.06"), d("9.55")]), Some(false));
    }

    #[test]
    fn a_gap_of_three_cents_over_two_parts_fires_and_one_cent_does_not() {
        assert_eq!(sum_agrees(d("10.03"), &[d("5.00"), d("5.00")]), Some(false));
        assert_eq!(sum_agrees(d("9.97"), &[d("5.00"), d("5.00")]), Some(false));
        assert_eq!(sum_agrees(d("10.02"), &[d("5.00"), d("5.00")]), Some(false));
        assert_eq!(sum_agrees(d("10.01"), &[d("5.00"), d("5.00")]), Some(true));
        assert_eq!(sum_agrees(d("9.99"), &[d("5.00"), d("5.00")]), Some(true));
    }

    /// #10: a 元 amount one cent off in a sum passed as rounding.
    #[test]
    fn yuan_with_cents_must_add_up_to_the_cent() {
        let parts = [d("1609.332600"), d("13.851480")];
        assert_eq!(sum_agrees(d("1623.184080"), &parts), Some(true));
        assert_eq!(sum_agrees(d("1623.184081"), &parts), Some(false));
        assert_eq!(sum_agrees(d("1623.184079"), &parts), Some(false));
        // Against 万元, the 万元 amount keeps its interval: 0.95 万元 is
        // 9,450–9,550 元.
        assert_eq!(sum_at_most(&[d("0.954900")], d("0.95")), Some(true));
        assert_eq!(sum_at_most(&[d("0.955100")], d("0.95")), Some(false));
    }

    #[test]
    fn the_allowance_grows_with_the_number_of_parts() {
        let parts = vec![d("1.00"); 9];
        // nine parts and a total: 10 × 0.005 = 0.05
        assert_eq!(sum_agrees(d("9.05"), &parts), Some(true));
        assert_eq!(sum_agrees(d("9.06"), &parts), Some(false));
    }

    #[test]
    fn a_single_part_is_a_copy_and_blanks_add_no_width() {
        assert_eq!(sum_agrees(d("5.01"), &[d("5.00"), Num::Blank]), Some(false));
        assert_eq!(sum_agrees(d("5.00"), &[d("5.00"), Num::Blank]), Some(true));
        assert_eq!(
            sum_agrees(Num::Blank, &[Num::Blank, Num::Blank]),
            Some(true)
        );
        assert_eq!(sum_agrees(Num::Blank, &[d("0.01")]), Some(false));
        assert_eq!(sum_agrees(d("0.00"), &[]), Some(true));
    }

    #[test]
    fn copies_agree_to_the_cent_only() {
        assert_eq!(copies_agree(d("117"), d("117.00")), Some(true));
        assert_eq!(copies_agree(d("117.00"), d("117.01")), Some(false));
        assert_eq!(copies_agree(Num::Blank, d("0")), Some(true));
        assert_eq!(copies_agree(Num::Invalid, d("0")), None);
    }

    #[test]
    fn bounds_allow_rounding_of_several_parts() {
        assert_eq!(sum_at_most(&[d("2.10")], d("2.10")), Some(true));
        assert_eq!(sum_at_most(&[d("2.11")], d("2.10")), Some(false));
        assert_eq!(sum_at_most(&[d("1.05"), d("1.06")], d("2.10")), Some(true));
        assert_eq!(sum_at_most(&[d("1.05"), d("1.08")], d("2.10")), Some(false));
        assert_eq!(sum_at_most(&[Num::Invalid], d("2.10")), None);
    }

    #[test]
    fn absurd_amounts_are_not_judged_rather_than_overflowing() {
        let huge = Num::Value(Decimal::MAX);
        assert_eq!(sum(&[huge, huge]), None);
        assert_eq!(sum_agrees(d("1"), &[huge, huge]), None);
        assert_eq!(sum_at_most(&[huge, huge], d("1")), None);
        assert_eq!(sum_agrees(Num::Value(Decimal::MIN), &[huge]), None);
    }

    #[test]
    fn plain_numbers_parse_as_parse_amount_does() {
        let cases = [
            "353.49",
            "0",
            "-12",
            "-0.5",
            "007",
            "1.",
            ".5",
            "1.2.3",
            ".",
            "-.",
            "-",
            "--5",
            "",
            "12a",
            "79228162514264337593543950336",
            "-0.000",
        ];
        for text in cases {
            let slow = match parse_amount(text) {
                Ok(None) => Num::Blank,
                Ok(Some(v)) => Num::Value(v),
                Err(_) => Num::Invalid,
            };
            assert_eq!(Num::parse(text), slow, "{text:?}");
            if let Some(fast) = Num::parse_plain(text) {
                assert_eq!(fast, slow, "{text:?}");
            }
        }
    }

    #[test]
    fn text_parses_like_the_reader() {
        assert_eq!(Num::parse(""), Num::Blank);
        assert_eq!(Num::parse("—"), Num::Blank);
        assert_eq!(Num::parse("约5"), Num::Invalid);
        assert_eq!(Num::parse("1,234.5"), d("1234.5"));
        assert_eq!(d("2.1").display(), "2.10");
    }
}
