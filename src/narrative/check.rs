//! The narrative check: every figure of the prose against the fact it
//! states, computed from the model (and from last year's, for changes),
//! and every paragraph said twice.

use super::claims::{after_last, claims, Claim, Phrases};
use super::compare::{as_written, compare, Verdict};
use super::facts::{fact, function_phrases, FactValue};
use super::figures::{ascii_digits, figures, Figure};
use super::spec::{plain, NarrativeSpec};
use super::text::Narrative;
use crate::findings::Finding;
use crate::model::{Budget, CellRef};
use rust_decimal::Decimal;

/// What became of one figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// It states a fact and agrees with it.
    Agrees,
    /// It states a fact and does not agree (an error finding).
    Disagrees,
    /// Truncated instead of rounded (a warning).
    Truncated,
    /// A change from last year, without last year's submission (a warning).
    NeedsPrior,
    /// A fact the model does not hold (政府采购, vehicles), or no fact.
    Unchecked,
}

/// One figure of the narrative, what it claims and how it compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    /// Paragraph number, from 1.
    pub paragraph: usize,
    /// The heading of the section it is in (empty before the first).
    pub section: String,
    /// The figure.
    pub figure: Figure,
    /// What it claims, when a phrase names its fact.
    pub claim: Option<Claim>,
    /// The outcome.
    pub status: Status,
}

/// The findings of a narrative check and every figure read.
#[derive(Debug, Clone, Default)]
pub struct NarrativeReport {
    /// NARR-… findings, in text order.
    pub findings: Vec<Finding>,
    /// Every figure, in text order.
    pub readings: Vec<Reading>,
}

/// Checks `narrative` against `budget` — its tables and the facts stated
/// beside them ([`Budget::stated`]) — and `prior`, last year's, for the
/// changes it states, by the phrases and sections of `spec`.
pub fn check_narrative(
    narrative: &Narrative,
    budget: &Budget,
    prior: Option<&Budget>,
    spec: &NarrativeSpec,
) -> NarrativeReport {
    let phrases = Phrases::new(spec, function_phrases(budget));
    let mut report = NarrativeReport::default();
    let mut section = None;
    let mut seen: Vec<(String, usize)> = Vec::new();
    for (i, raw) in narrative.paragraphs.iter().enumerate() {
        let n = i + 1;
        let text = ascii_digits(raw);
        if let Some(s) = spec.section_of(&text) {
            section = Some(s);
            continue;
        }
        if repeated(&text, n, &mut seen, &mut report.findings) {
            // Its figures were read where it was first said.
            continue;
        }
        let found = figures(&text);
        let base = section.map_or("income_total", |s| s.base.as_str());
        let scope = section.map_or("all", |s| s.scope.as_str());
        let change_of_last = section.is_some_and(|s| s.change_of == "last");
        let ctx = Context {
            budget,
            prior,
            scope,
            phrases: &phrases,
            paragraph: n,
            text: &text,
        };
        for (figure, claim) in
            found
                .iter()
                .zip(claims(&text, &found, &phrases, base, change_of_last))
        {
            let status = match &claim {
                Some(c) => ctx.judge(figure, c, &mut report.findings),
                None => Status::Unchecked,
            };
            report.readings.push(Reading {
                paragraph: n,
                section: section.map(|s| s.heading.clone()).unwrap_or_default(),
                figure: figure.clone(),
                claim,
                status,
            });
        }
    }
    report
}

/// A paragraph (or list item) of ten characters or more said again: a
/// NARR-REPEATED warning naming both; true when it is one.
fn repeated(text: &str, n: usize, seen: &mut Vec<(String, usize)>, out: &mut Vec<Finding>) -> bool {
    let key = plain(text);
    if key.chars().count() < 10 {
        return false;
    }
    if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
        out.push(
            Finding::warning(
                "NARR-REPEATED",
                format!("第{n}段与第{first}段重复（同一段落或列表项写了两次）"),
                Vec::new(),
            )
            .quoting(text, n),
        );
        true
    } else {
        seen.push((key.into_owned(), n));
        false
    }
}

/// What judging one paragraph's figures needs.
struct Context<'a> {
    budget: &'a Budget,
    prior: Option<&'a Budget>,
    scope: &'a str,
    phrases: &'a Phrases<'a>,
    paragraph: usize,
    text: &'a str,
}

impl Context<'_> {
    fn fact(&self, budget: &Budget, name: &str) -> Option<FactValue> {
        fact(budget, name, self.scope)
    }

    /// A fact of this year's submission.
    fn now(&self, name: &str) -> Option<FactValue> {
        self.fact(self.budget, name)
    }

    /// Compares a figure with what it claims, pushing a finding unless it
    /// agrees.
    fn judge(&self, figure: &Figure, claim: &Claim, out: &mut Vec<Finding>) -> Status {
        let (rule, what, exact, found, cells) = match claim {
            Claim::Value(name) => {
                let Some(v) = self.now(name) else {
                    return Status::Unchecked;
                };
                let found = match (v.count, figure.wanyuan()) {
                    (false, Some(w)) => w,
                    (true, None) if matches!(figure.unit, super::figures::Unit::Count(_)) => {
                        figure.number
                    }
                    _ => return Status::Unchecked,
                };
                let rule = if v.count { "NARR-COUNT" } else { "NARR-AMOUNT" };
                (rule, self.phrases.name_of(name), v.value, found, v.cells)
            }
            Claim::Share { fact, of } => {
                let (Some(a), Some(b)) = (self.now(fact), self.now(of)) else {
                    return Status::Unchecked;
                };
                let Some(share) = percent(a.value, b.value) else {
                    return Status::Unchecked;
                };
                let what = format!(
                    "{}占{}的比例",
                    self.phrases.name_of(fact),
                    self.phrases.name_of(of)
                );
                let cells = [a.cells, b.cells].concat();
                ("NARR-SHARE", what, share, figure.number, cells)
            }
            _ => {
                let Some((fact, sign, is_percent)) = claim.change() else {
                    return Status::Unchecked;
                };
                let name = self.phrases.name_of(fact);
                let Some(prior) = self.prior else {
                    self.needs_prior(figure, &name, out);
                    return Status::NeedsPrior;
                };
                let (Some(now), Some(then)) = (self.now(fact), self.fact(prior, fact)) else {
                    return Status::Unchecked;
                };
                let Some(change) = now.value.checked_sub(then.value) else {
                    return Status::Unchecked;
                };
                let (exact, found) = if is_percent {
                    let Some(p) = percent(change, then.value) else {
                        return Status::Unchecked;
                    };
                    (p, figure.number)
                } else {
                    let Some(w) = figure.wanyuan() else {
                        return Status::Unchecked;
                    };
                    (change, w)
                };
                let found = if sign < 0 { -found } else { found };
                let what = format!(
                    "{name}比上年的{}（今年 {}，上年 {}）",
                    if is_percent {
                        "增减幅度"
                    } else {
                        "增减额"
                    },
                    now.value,
                    then.value
                );
                ("NARR-CHANGE", what, exact, found, now.cells)
            }
        };
        let verdict = compare(exact, found, figure);
        let (rule, status) = match verdict {
            Verdict::Agrees => return Status::Agrees,
            Verdict::Truncated => ("NARR-TRUNCATED", Status::Truncated),
            Verdict::Disagrees => (rule, Status::Disagrees),
        };
        let expected = match claim.change() {
            Some((_, _, percent)) => {
                let word = match (exact < Decimal::ZERO, percent) {
                    (true, true) => "下降",
                    (true, false) => "减少",
                    (false, true) => "增长",
                    (false, false) => "增加",
                };
                format!("{word}{}", as_written(exact.abs(), figure))
            }
            None => as_written(exact, figure),
        };
        let message = match status {
            Status::Truncated => format!(
                "第{}段“{}”是{what}截去尾数而非四舍五入：应为 {expected}",
                self.paragraph, figure.text
            ),
            _ => format!(
                "第{}段“{}”与表中{what}不一致：按表应为 {expected}",
                self.paragraph, figure.text
            ),
        };
        let finding = if status == Status::Truncated {
            Finding::warning(rule, message, unique(cells))
        } else {
            Finding::error(rule, message, unique(cells))
        };
        out.push(
            finding
                .with_values(expected, figure.text.clone())
                .quoting(self.sentence(figure), self.paragraph),
        );
        status
    }

    fn needs_prior(&self, figure: &Figure, name: &str, out: &mut Vec<Finding>) {
        out.push(
            Finding::warning(
                "NARR-NEEDS-PRIOR",
                format!(
                    "第{}段“{}”是{name}与上年的比较，需要上年数据（--prior）才能核对",
                    self.paragraph, figure.text
                ),
                Vec::new(),
            )
            .quoting(self.sentence(figure), self.paragraph),
        );
    }

    /// The sentence holding the figure (ended by 。！？ or the paragraph).
    fn sentence(&self, figure: &Figure) -> String {
        let ends = |c: char| matches!(c, '。' | '！' | '？');
        let before = self.text.get(..figure.start).unwrap_or_default();
        let start = after_last(before, ends).unwrap_or(0);
        let after = self.text.get(figure.end..).unwrap_or_default();
        let end = after
            .char_indices()
            .find(|(_, c)| ends(*c))
            .map_or(self.text.len(), |(i, c)| figure.end + i + c.len_utf8());
        self.text
            .get(start..end)
            .unwrap_or(self.text)
            .trim()
            .to_string()
    }
}

/// `a` as a percentage of `b`; `None` when `b` is zero.
pub fn percent(a: Decimal, b: Decimal) -> Option<Decimal> {
    a.checked_mul(Decimal::from(100))?.checked_div(b)
}

fn unique(cells: Vec<CellRef>) -> Vec<CellRef> {
    let mut out: Vec<CellRef> = Vec::new();
    for c in cells {
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out
}
