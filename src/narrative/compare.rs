//! A figure against the value it states: equal when the value rounds
//! (half away from zero) to the figure as written; truncated when it only
//! truncates to it; within the table's rounding when the figure is finer
//! than the table (元 in the text, 万元 with two decimals in the table: a
//! value held with at most two decimals; a table in 元, held in 万元 with
//! four, has no such slack).

use super::figures::{Figure, Unit};
use crate::model::round_half_away;
use rust_decimal::Decimal;

/// How a figure compares with its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The value as written.
    Agrees,
    /// The value truncated, not rounded, to the figure's decimals.
    Truncated,
    /// Another value.
    Disagrees,
}

/// Half a cent in 万元: the rounding of a table amount with two decimals.
fn table_half() -> Decimal {
    Decimal::new(5, 3)
}

/// `exact` (万元 for amounts, points for percentages, a number for counts)
/// against `found`, the figure's number in the same unit (signed for a
/// change), written with the figure's decimals.
pub fn compare(exact: Decimal, found: Decimal, figure: &Figure) -> Verdict {
    let step = figure.step();
    let Some(q) = exact.checked_div(step) else {
        return Verdict::Disagrees;
    };
    let at = |n: Decimal| n.checked_mul(step);
    if at(round_half_away(q, 0)) == Some(found) {
        return Verdict::Agrees;
    }
    let off = exact.checked_sub(found).map(|d| d.abs());
    let coarse_table = exact.scale() <= 2;
    if figure.is_amount()
        && coarse_table
        && step < Decimal::new(1, 2)
        && off.is_some_and(|d| d <= table_half())
    {
        return Verdict::Agrees;
    }
    // 持平 claims nought: a change that does not round to it is not
    // truncated, it is another change.
    if figure.unit != Unit::Unchanged && at(q.trunc()) == Some(found) {
        return Verdict::Truncated;
    }
    Verdict::Disagrees
}

/// `exact` rounded to the figure's decimals, written in its unit
/// (`236.49万元`, `66.90%`, `5个`).
pub fn as_written(exact: Decimal, figure: &Figure) -> String {
    let ten_thousand = Decimal::from(10_000);
    let shown = |v: Decimal, dp: u32| {
        let mut r = round_half_away(v, dp);
        r.rescale(dp);
        r.to_string()
    };
    match &figure.unit {
        Unit::Wanyuan | Unit::Unchanged => format!("{}万元", shown(exact, figure.decimals)),
        Unit::Yuan => format!(
            "{}元",
            shown(exact.saturating_mul(ten_thousand), figure.decimals)
        ),
        Unit::Yiyuan => format!("{}亿元", shown(exact / ten_thousand, figure.decimals)),
        Unit::Percent => format!("{}%", shown(exact, figure.decimals)),
        Unit::Count(w) => format!("{}{w}", shown(exact, 0)),
    }
}

#[cfg(test)]
mod tests {
    use super::super::figures::figures;
    use super::*;

    fn one(text: &str) -> Figure {
        figures(text).into_iter().next().unwrap()
    }

    #[test]
    fn rounded_truncated_and_wrong() {
        let f = one("87.70万元");
        assert_eq!(
            compare(Decimal::new(87708, 3), f.number, &f),
            Verdict::Truncated
        );
        assert_eq!(
            compare(Decimal::new(87704, 3), f.number, &f),
            Verdict::Agrees
        );
        let f = one("887.36万元");
        assert_eq!(
            compare(Decimal::new(873617, 4), f.number, &f),
            Verdict::Disagrees
        );
        let f = one("117万元");
        assert_eq!(compare(Decimal::from(117), f.number, &f), Verdict::Agrees);
        let f = one("2.11万元");
        assert_eq!(
            compare(Decimal::new(210, 2), f.number, &f),
            Verdict::Disagrees
        );
    }

    #[test]
    fn yuan_figures_are_within_the_tables_rounding() {
        let f = one("873,617元");
        let found = f.wanyuan().unwrap();
        assert_eq!(compare(Decimal::new(8736, 2), found, &f), Verdict::Agrees);
        // A table in 元 (held with four decimals of 万元) is exact.
        assert_eq!(
            compare(Decimal::new(873600, 4), found, &f),
            Verdict::Disagrees
        );
        assert_eq!(
            compare(Decimal::new(8738, 2), found, &f),
            Verdict::Disagrees
        );
    }
}
