//! Where a rule reports: findings carry the rule's id and severity, and
//! the comparisons (sum, copy, bound) phrase their Chinese messages the
//! same way everywhere.

use super::context::Val;
use super::rounding::{copies_agree, sum, sum_agrees_for, sum_at_most_for, tolerance_for, Num};
use super::Rule;
use crate::findings::Finding;
use crate::model::{precision, round_half_away, CellRef};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::fmt::Display;
use std::hash::{DefaultHasher, Hash, Hasher};

/// A correction that resolves a finding: `cell` set to `value` (it now
/// holds `found`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// The finding it resolves (its position among the findings).
    pub finding: usize,
    /// The cell.
    pub cell: CellRef,
    /// The value the cell would need, rounded to the cent.
    pub value: Decimal,
    /// How far from `value` the cell may be and still resolve it (the
    /// rounding allowance of a sum; 0 for a copy).
    pub tolerance: Decimal,
    /// What the cell holds.
    pub found: String,
}

/// Collects the findings of one rule.
pub struct Sink<'r> {
    rule: &'r Rule,
    out: &'r mut Vec<Finding>,
    /// For each sum or copy reported, the single-cell corrections that
    /// would resolve it (see [`super::likely`]).
    fixes: Vec<Fix>,
    /// How many rounded figures each amount sums (N for a 汇总 of N
    /// departments); widens the rounding allowance.
    figures: u32,
    /// The findings this sink reported, by a hash of their content, so a
    /// repeat is found without scanning every finding (a table where every
    /// row is wrong stays linear).
    seen: HashMap<u64, Vec<usize>>,
    /// The parts' figures of the sum being checked, kept between sums so
    /// a check that passes allocates nothing.
    nums: Vec<Num>,
}

/// Parts named one by one in a message; more are summarised.
const NAMED_PARTS: usize = 3;

/// A rounding allowance as quoted: in 万元, or in 元 when it comes from
/// amounts read in 元 (`0.015元`).
fn allowance_text(tol: Decimal) -> String {
    match tol.checked_mul(Decimal::from(10_000)) {
        Some(yuan) if precision(tol) >= 4 => format!("{}元", yuan.normalize()),
        _ => tol.normalize().to_string(),
    }
}

fn amount(d: Decimal) -> String {
    crate::model::quoted(d)
}

impl<'r> Sink<'r> {
    /// A sink for `rule` appending to `out`.
    pub fn new(rule: &'r Rule, out: &'r mut Vec<Finding>) -> Self {
        Sink {
            rule,
            out,
            fixes: Vec::new(),
            figures: 1,
            seen: HashMap::new(),
            nums: Vec::new(),
        }
    }

    /// A sink whose amounts each sum `figures` rounded amounts.
    pub fn with_figures(mut self, figures: u32) -> Self {
        self.figures = figures.max(1);
        self
    }

    /// The corrections recorded for the findings reported.
    pub fn into_fixes(self) -> Vec<Fix> {
        self.fixes
    }

    /// Reports a finding of this rule.
    pub fn report(
        &mut self,
        message: String,
        cells: Vec<CellRef>,
        values: Option<(String, String)>,
    ) {
        self.push(message, cells, values);
    }

    /// Reports a finding; its position when new.
    fn push(
        &mut self,
        message: String,
        cells: Vec<CellRef>,
        values: Option<(String, String)>,
    ) -> Option<usize> {
        let mut f = Finding {
            rule: self.rule.id.to_string(),
            severity: self.rule.severity,
            message,
            cells,
            expected: None,
            found: None,
            likely_cause: false,
            quote: None,
            paragraph: None,
        };
        if let Some((expected, found)) = values {
            f = f.with_values(expected, found);
        }
        let mut hasher = DefaultHasher::new();
        (&f.message, &f.cells, &f.expected, &f.found).hash(&mut hasher);
        let same = self.seen.entry(hasher.finish()).or_default();
        if same.iter().any(|&i| self.out.get(i) == Some(&f)) {
            return None;
        }
        same.push(self.out.len());
        self.out.push(f);
        Some(self.out.len() - 1)
    }

    /// Records that setting `val`'s cell to `value` (± `tolerance`)
    /// resolves finding `at`.
    fn fix(&mut self, at: Option<usize>, val: &Val<'_>, value: Decimal, tolerance: Decimal) {
        if let (Some(finding), Some(cell)) = (at, &val.cell) {
            self.fixes.push(Fix {
                finding,
                cell: cell.clone(),
                value: round_half_away(value, precision(value)),
                tolerance,
                found: val.num.display(),
            });
        }
    }

    /// The id of the rule reporting through this sink.
    pub fn rule_id(&self) -> &'static str {
        self.rule.id
    }

    /// Checks `total = Σ parts` within rounding. `parts_what` names the
    /// parts as a whole (`其下各款`) when there are too many to list; like
    /// the values' descriptions it is only written when the check fails.
    pub fn sum(&mut self, total: &Val<'_>, parts: &[Val<'_>], parts_what: impl Display) {
        let mut nums = std::mem::take(&mut self.nums);
        nums.clear();
        nums.extend(parts.iter().map(|p| p.num));
        if sum_agrees_for(total.num, &nums, self.figures) != Some(false) {
            self.nums = nums;
            return;
        }
        let s = sum(&nums).unwrap_or_default();
        let gap = (total.num.value() - s).abs();
        let allowance = match tolerance_for(total.num, &nums, self.figures) {
            Some(tol) if !tol.is_zero() => format!("，超出四舍五入允许的 {}", allowance_text(tol)),
            _ => String::new(),
        };
        let stated: Vec<&Val<'_>> = parts.iter().filter(|p| p.num.is_stated()).collect();
        let named = if stated.is_empty() {
            format!("{parts_what}之和")
        } else if let [one] = stated.as_slice() {
            format!("{} {}（{parts_what}之和）", one.what, one.num.display())
        } else if stated.len() <= NAMED_PARTS {
            let list: Vec<String> = stated
                .iter()
                .map(|p| format!("{} {}", p.what, p.num.display()))
                .collect();
            format!("{} 之和", list.join(" + "))
        } else {
            format!("{parts_what}（{} 项）之和", stated.len())
        };
        let sum_text = if stated.len() == 1 {
            String::new()
        } else {
            format!(" {} ", amount(s))
        };
        let message = format!(
            "{} {} 与 {}{}不一致（相差 {}{}）",
            total.what,
            total.num.display(),
            named,
            sum_text,
            amount(gap),
            allowance
        );
        let mut cells: Vec<CellRef> = total.cell.iter().cloned().collect();
        cells.extend(stated.iter().filter_map(|p| p.cell.clone()));
        let at = self.push(message, cells, Some((amount(s), total.num.display())));
        let tol = tolerance_for(total.num, &nums, self.figures).unwrap_or_default();
        self.fix(at, total, s, tol);
        for p in parts {
            let others = s.checked_sub(p.num.value());
            if let Some(v) = others.and_then(|o| total.num.value().checked_sub(o)) {
                self.fix(at, p, v, tol);
            }
        }
    }

    /// Checks that two copies of one number agree to the cent; `a` is the
    /// side taken as expected.
    pub fn copy(&mut self, a: &Val<'_>, b: &Val<'_>) {
        if copies_agree(a.num, b.num) != Some(false) {
            return;
        }
        let message = format!(
            "{} {} 与 {} {} 不一致",
            a.what,
            a.num.display(),
            b.what,
            b.num.display()
        );
        let cells = [&a.cell, &b.cell].into_iter().flatten().cloned().collect();
        let at = self.push(message, cells, Some((a.num.display(), b.num.display())));
        self.fix(at, b, a.num.value(), Decimal::ZERO);
        self.fix(at, a, b.num.value(), Decimal::ZERO);
    }

    /// Checks `Σ parts ≤ limit` within rounding.
    pub fn at_most(&mut self, parts: &[Val<'_>], limit: &Val<'_>, parts_what: impl Display) {
        let nums: Vec<Num> = parts.iter().map(|p| p.num).collect();
        if sum_at_most_for(&nums, limit.num, self.figures) != Some(false) {
            return;
        }
        let stated: Vec<&Val<'_>> = parts.iter().filter(|p| p.num.is_stated()).collect();
        let s = sum(&nums).unwrap_or_default();
        let named = match stated.as_slice() {
            [one] => one.what.to_string(),
            _ => parts_what.to_string(),
        };
        let message = format!(
            "{} {} 超过 {} {}（不应大于后者）",
            named,
            amount(s),
            limit.what,
            limit.num.display()
        );
        let mut cells: Vec<CellRef> = stated.iter().filter_map(|p| p.cell.clone()).collect();
        cells.extend(limit.cell.clone());
        self.report(
            message,
            cells,
            Some((format!("≤ {}", limit.num.display()), amount(s))),
        );
    }
}
