//! What each figure of a paragraph claims: the fact it states, found by
//! the words before it (a table of phrases, [`super::spec`]), and whether
//! it is that fact, a share of another (占…%) or a change from last year
//! (比上年增长/减少 …).

use super::figures::{Figure, Unit};
use super::spec::{plain, NarrativeSpec};
use std::collections::HashMap;

/// What a figure says about a fact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The fact's value (an amount or a count).
    Value(String),
    /// The fact as a percentage share of another (`of`).
    Share {
        /// The fact.
        fact: String,
        /// What it is a share of.
        of: String,
    },
    /// The change of the fact from last year, in 万元; `sign` is −1 for
    /// 减少/下降.
    Change {
        /// The fact.
        fact: String,
        /// +1 for 增长/增加, −1 for 减少/下降.
        sign: i8,
    },
    /// The change of the fact from last year as a percentage of last year.
    ChangePercent {
        /// The fact.
        fact: String,
        /// +1 or −1 as for [`Claim::Change`].
        sign: i8,
    },
    /// No change of the fact from last year (与上年持平): a change of
    /// nought at the decimals of the figure ([`Unit::Unchanged`]).
    Unchanged {
        /// The fact.
        fact: String,
    },
}

impl Claim {
    /// For a claim about last year: the fact, the sign of the change
    /// (+1 for 持平) and whether it is a percentage.
    pub fn change(&self) -> Option<(&str, i8, bool)> {
        match self {
            Claim::Change { fact, sign } => Some((fact, *sign, false)),
            Claim::ChangePercent { fact, sign } => Some((fact, *sign, true)),
            Claim::Unchanged { fact } => Some((fact, 1, false)),
            Claim::Value(_) | Claim::Share { .. } => None,
        }
    }
}

/// Words that make a figure a change, with their sign (与上年一致 X万元:
/// a change of X, nought when true).
const CHANGE_WORDS: [(&str, i8); 7] = [
    ("增长", 1),
    ("增加", 1),
    ("上升", 1),
    ("一致", 1),
    ("减少", -1),
    ("下降", -1),
    ("降低", -1),
];

/// Where a segment ends: a sentence or a `；`.
fn ends_segment(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；' | ';')
}

/// Where a clause ends within a segment.
fn ends_clause(c: char) -> bool {
    ends_segment(c) || matches!(c, '，' | '、' | '：' | ',' | ':')
}

/// The byte offset just past the last character of `text` that `stop`
/// holds for.
pub fn after_last(text: &str, stop: impl Fn(char) -> bool) -> Option<usize> {
    text.char_indices()
        .rev()
        .find(|(_, c)| stop(*c))
        .map(|(i, c)| i + c.len_utf8())
}

/// Phrases as (plain words, fact), the spec's then the function lines'.
pub struct Phrases<'a> {
    spec: &'a NarrativeSpec,
    words: Vec<(String, String)>,
    /// The indices of the words by their last character, in order.
    by_last: HashMap<char, Vec<usize>>,
    /// The last empty word, which ends wherever a label does.
    empty: Option<usize>,
}

impl<'a> Phrases<'a> {
    /// The spec's phrases followed by `extra` (words, fact) pairs.
    pub fn new(spec: &'a NarrativeSpec, extra: Vec<(String, String)>) -> Phrases<'a> {
        let mut words: Vec<(String, String)> = spec
            .phrases
            .iter()
            .flat_map(|p| {
                p.words
                    .iter()
                    .map(|w| (plain(w).into_owned(), p.fact.clone()))
            })
            .collect();
        words.extend(extra.into_iter().map(|(w, f)| (plain(&w).into_owned(), f)));
        let mut by_last: HashMap<char, Vec<usize>> = HashMap::new();
        let mut empty = None;
        for (i, (w, _)) in words.iter().enumerate() {
            match w.chars().next_back() {
                Some(c) => by_last.entry(c).or_default().push(i),
                None => empty = Some(i),
            }
        }
        Phrases {
            spec,
            words,
            by_last,
            empty,
        }
    }

    /// The fact a label names: the phrase ending nearest its end, the
    /// longest on a tie (the later phrase on a tie of both).
    ///
    /// The label's ends are tried from its last character back, each with
    /// only the words ending in that character, so a label costs about one
    /// comparison per character, not a search per phrase.
    pub fn fact_in(&self, label: &str) -> Option<&str> {
        let label = plain(label);
        let fact = |i: usize| self.words.get(i).map(|(_, f)| f.as_str());
        for (at, c) in label.char_indices().rev() {
            let head = label.get(..at + c.len_utf8()).unwrap_or_default();
            let best = self
                .by_last
                .get(&c)
                .into_iter()
                .flatten()
                .filter_map(|i| Some((*i, &self.words.get(*i)?.0)))
                .filter(|(_, w)| head.ends_with(w.as_str()))
                .max_by_key(|(_, w)| w.len());
            if let Some((i, _)) = best {
                return fact(i);
            }
            if at + c.len_utf8() == label.len() {
                if let Some(i) = self.empty {
                    return fact(i);
                }
            }
        }
        self.empty.and_then(fact)
    }

    /// The words naming a fact, for messages: the first phrase's.
    pub fn name_of(&self, fact: &str) -> String {
        self.spec
            .word(fact)
            .map(str::to_string)
            .or_else(|| {
                self.words
                    .iter()
                    .rev()
                    .find(|(_, f)| f == fact)
                    .map(|(w, _)| w.clone())
            })
            .unwrap_or_else(|| fact.to_string())
    }
}

/// The claim of each figure of a paragraph (`None` where no phrase names
/// a fact), with `base` the fact a bare 占…% is a share of; a change is
/// of the fact just stated when `change_of_last`, else of the whole the
/// segment's 其中 divides.
pub fn claims(
    text: &str,
    figures: &[Figure],
    phrases: &Phrases<'_>,
    base: &str,
    change_of_last: bool,
) -> Vec<Option<Claim>> {
    let mut out = Vec::new();
    let mut prev_end = 0usize;
    let mut state = Segment {
        change_of_last,
        ..Segment::default()
    };
    for fig in figures {
        let before = text.get(prev_end..fig.start).unwrap_or_default();
        // A new segment since the previous figure resets its subjects.
        let seg_start = after_last(before, ends_segment).map(|i| prev_end + i);
        if let Some(s) = seg_start {
            state = Segment {
                change_of_last,
                ..Segment::default()
            };
            prev_end = s;
        }
        let label = text.get(prev_end..fig.start).unwrap_or_default();
        if label.contains("其中") && state.whole.is_none() {
            state.whole = state.last.clone();
        }
        let clause =
            after_last(label, ends_clause).map_or(label, |i| label.get(i..).unwrap_or_default());
        let claim = claim_of(fig, label, clause, phrases, base, &mut state);
        out.push(claim);
        prev_end = fig.end;
    }
    out
}

/// The facts a segment has stated so far.
#[derive(Debug, Default)]
struct Segment {
    /// The last fact stated (its value).
    last: Option<String>,
    /// The fact stated before the segment's first 其中 (the whole its
    /// parts belong to, what a later change is a change of).
    whole: Option<String>,
    /// The fact of the last change figure (what a following % is of).
    changed: Option<String>,
    /// Whether a change is of `last` rather than of `whole`.
    change_of_last: bool,
}

fn claim_of(
    fig: &Figure,
    label: &str,
    clause: &str,
    phrases: &Phrases<'_>,
    base: &str,
    state: &mut Segment,
) -> Option<Claim> {
    let clause_plain = plain(clause);
    let change = CHANGE_WORDS
        .iter()
        .filter_map(|(w, s)| clause_plain.rfind(w).map(|at| (at, *s)))
        .max()
        .map(|(_, s)| s);
    let percent = fig.unit == Unit::Percent;
    let changed = |state: &mut Segment| {
        let fact = if state.change_of_last {
            state.last.clone()?
        } else {
            state.whole.clone().or_else(|| state.last.clone())?
        };
        state.changed = Some(fact.clone());
        Some(fact)
    };
    if fig.unit == Unit::Unchanged {
        let fact = changed(state)?;
        return Some(Claim::Unchanged { fact });
    }
    if let Some(sign) = change {
        if percent {
            let fact = state.changed.clone()?;
            return Some(Claim::ChangePercent { fact, sign });
        }
        let fact = changed(state)?;
        return Some(Claim::Change { fact, sign });
    }
    if percent {
        let (_, after) = clause_plain.split_once('占')?;
        let of = phrases.fact_in(after).unwrap_or(base).to_string();
        let fact = state.last.clone()?;
        return Some(Claim::Share { fact, of });
    }
    let named = phrases.fact_in(label)?;
    let fact = if named == "@amount" {
        let last = state.last.as_deref()?;
        phrases.spec.companions.get(last)?.clone()
    } else {
        named.to_string()
    };
    state.last = Some(fact.clone());
    Some(Claim::Value(fact))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What [`Phrases::fact_in`] means, searched phrase by phrase: the
    /// phrase whose last occurrence ends last, the longest on a tie, the
    /// later phrase on a tie of both.
    fn by_definition<'p>(p: &'p Phrases<'_>, label: &str) -> Option<&'p str> {
        let label = plain(label);
        p.words
            .iter()
            .filter_map(|(w, f)| label.rfind(w.as_str()).map(|at| (at + w.len(), w.len(), f)))
            .max_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)))
            .map(|(_, _, f)| f.as_str())
    }

    /// #14: a label was searched once per phrase (Putuo's narrative: 6.2M
    /// instructions of 62M).
    #[test]
    fn fact_in_by_last_characters_agrees_with_a_search_per_phrase() {
        let mut checked = 0;
        for id in crate::spec::Template::builtin_ids() {
            let Some(spec) = NarrativeSpec::builtin(id) else {
                continue;
            };
            for empty in [false, true] {
                let mut extra = vec![
                    ("一般公共服务支出".to_string(), "f201".to_string()),
                    ("服务支出".to_string(), "shorter".to_string()),
                    ("一般公共服务支出".to_string(), "later".to_string()),
                ];
                if empty {
                    extra.push((String::new(), "empty".to_string()));
                }
                let p = Phrases::new(spec, extra);
                let words: Vec<String> = p.words.iter().map(|(w, _)| w.clone()).collect();
                for a in &words {
                    for b in words.iter().step_by(5) {
                        for label in [
                            a.clone(),
                            format!("{a}{b}"),
                            format!("本年“{a}”为"),
                            format!("{b}，其中{a} "),
                            String::new(),
                        ] {
                            assert_eq!(p.fact_in(&label), by_definition(&p, &label), "{label}");
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert!(checked > 1000, "{checked}");
    }
}
