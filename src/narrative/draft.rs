//! The narrative drafted from the model in a template's sections: every
//! figure from the tables, shares and changes computed exactly and rounded
//! half away from zero; reasons left as “主要原因是……”, and without last
//! year's submission the comparisons too.

use super::check::percent;
use super::facts::{fact, FactValue};
use super::spec::{NarrativeSpec, Section};
use crate::model::{two_decimals, Budget};
use crate::spec::Template;
use crate::views::standard_tables;
use crate::write::{chart_data, ChartData};
use rust_decimal::Decimal;

/// What a draft leaves for the department to write.
pub const PLACEHOLDER: &str = "……";

/// A drafted narrative: its sections, each a heading and paragraphs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// Title line.
    pub title: String,
    /// (heading, paragraphs) in order.
    pub sections: Vec<(String, Vec<String>)>,
    /// The charts of the tables; a .docx draws each after the paragraph
    /// that is its caption (its title, where the reference mentions it).
    pub charts: Vec<ChartData>,
}

impl Draft {
    /// Plain text: the title, then each heading and its paragraphs, one
    /// per line.
    pub fn to_text(&self) -> String {
        let mut out = format!("{}\n", self.title);
        for (heading, paragraphs) in &self.sections {
            out.push_str(&format!("{heading}\n"));
            for p in paragraphs {
                out.push_str(&format!("{p}\n"));
            }
        }
        out
    }

    /// Markdown: the title as `#`, headings as `##`, paragraphs apart.
    pub fn to_markdown(&self) -> String {
        let mut out = format!("# {}\n", self.title);
        for (heading, paragraphs) in &self.sections {
            out.push_str(&format!("\n## {heading}\n"));
            for p in paragraphs {
                out.push_str(&format!("\n{p}\n"));
            }
        }
        out
    }

    /// Every paragraph, headings included, in order (what a .docx holds).
    pub fn paragraphs(&self) -> Vec<(bool, String)> {
        let mut out = vec![(true, self.title.clone())];
        for (heading, paragraphs) in &self.sections {
            out.push((true, heading.clone()));
            out.extend(paragraphs.iter().map(|p| (false, p.clone())));
        }
        out
    }
}

/// Drafts the narrative of `budget` (read with `template`; its tables and
/// the facts stated beside them) in the sections of `spec`, with `prior`
/// (last year's) for the comparisons.
pub fn draft(
    budget: &Budget,
    prior: Option<&Budget>,
    spec: &NarrativeSpec,
    template: &Template,
) -> Draft {
    let charts = chart_data(&standard_tables(budget, template), template);
    let sections = spec
        .sections
        .iter()
        .map(|section| {
            let writer = Writer {
                budget,
                prior,
                spec,
                template,
                section,
            };
            let paragraphs = section.draft.iter().map(|p| writer.fill(p));
            let paragraphs = paragraphs.filter(|p| !is_undrawn_caption(p, &charts));
            (section.heading.clone(), paragraphs.collect())
        })
        .collect();
    Draft {
        title: format!("{}年度部门预算情况说明", budget.year),
        sections,
        charts,
    }
}

/// A chart's caption when its table has no amount for it: the chart is
/// not drawn, so the caption goes too.
fn is_undrawn_caption(paragraph: &str, charts: &[ChartData]) -> bool {
    charts
        .iter()
        .any(|c| c.points.is_empty() && c.kind.title() == paragraph.trim())
}

struct Writer<'a> {
    budget: &'a Budget,
    prior: Option<&'a Budget>,
    spec: &'a NarrativeSpec,
    template: &'a Template,
    section: &'a Section,
}

impl Writer<'_> {
    /// The paragraph with each `{…}` replaced.
    fn fill(&self, pattern: &str) -> String {
        let mut out = String::new();
        let mut rest = pattern;
        while let Some(open) = rest.find('{') {
            out.push_str(rest.get(..open).unwrap_or_default());
            let after = rest.get(open + 1..).unwrap_or_default();
            let Some(close) = after.find('}') else {
                out.push_str(rest.get(open..).unwrap_or_default());
                return out;
            };
            out.push_str(&self.value(after.get(..close).unwrap_or_default()));
            rest = after.get(close + 1..).unwrap_or_default();
        }
        out.push_str(rest);
        out
    }

    fn fact(&self, budget: &Budget, name: &str) -> Option<FactValue> {
        fact(budget, name, &self.section.scope)
    }

    /// A fact of this year's submission.
    fn now(&self, name: &str) -> Option<FactValue> {
        self.fact(self.budget, name)
    }

    fn value(&self, key: &str) -> String {
        match key.split_once(':') {
            Some(("share", of)) => {
                let (a, b) = of.split_once('/').unwrap_or((of, &self.section.base));
                self.share(a, b)
            }
            Some(("change", name)) => self.change(name),
            _ => match key {
                "year" => self.budget.year.to_string(),
                "last_year" => self.budget.year.saturating_sub(1).to_string(),
                "department" => self.budget.department.clone(),
                "functions" => self.functions(false),
                "functions_share" => self.functions(true),
                "sources_share" => self.sources(),
                "personnel_items" => self.items(true),
                "public_items" => self.items(false),
                name => match self.now(name) {
                    Some(v) if v.count => v.value.to_string(),
                    Some(v) => two_decimals(v.value),
                    None => PLACEHOLDER.to_string(),
                },
            },
        }
    }

    fn share(&self, name: &str, of: &str) -> String {
        let pair = self.now(name).zip(self.now(of));
        match pair.and_then(|(a, b)| percent(a.value, b.value)) {
            Some(p) => format!("{}%", two_decimals(p)),
            None => format!("{PLACEHOLDER}%"),
        }
    }

    fn change(&self, name: &str) -> String {
        let now = self.now(name);
        let then = self.prior.and_then(|p| self.fact(p, name));
        let (Some(now), Some(then)) = (now, then) else {
            return format!("比上年增长（减少）{PLACEHOLDER}万元，增长（下降）{PLACEHOLDER}%");
        };
        let Some(diff) = now.value.checked_sub(then.value) else {
            return format!("比上年增长（减少）{PLACEHOLDER}万元，增长（下降）{PLACEHOLDER}%");
        };
        if diff.is_zero() {
            return "与上年持平".to_string();
        }
        let (more, by) = if diff > Decimal::ZERO {
            ("增长", "增长")
        } else {
            ("减少", "下降")
        };
        let mut out = format!("比上年{more}{}万元", two_decimals(diff.abs()));
        if let Some(p) = percent(diff.abs(), then.value.abs()) {
            out.push_str(&format!("，{by}{}%", two_decimals(p)));
        }
        out
    }

    /// The 类 lines with spending in this section's scope: `名称X万元`
    /// joined by 、, or with shares (`，占Y%`) joined by ；.
    fn functions(&self, shares: bool) -> String {
        let parts: Vec<String> = self
            .budget
            .functions
            .lines
            .iter()
            .filter(|l| l.level() == 1)
            .filter_map(|l| {
                let name = format!("function.{}", l.code);
                let v = self.now(&name)?;
                if v.value.is_zero() {
                    return None;
                }
                let mut s = format!("{}{}万元", l.name, two_decimals(v.value));
                if shares {
                    s.push_str(&format!("，占{}", self.share(&name, &self.section.base)));
                }
                Some(s)
            })
            .collect();
        if parts.is_empty() {
            return PLACEHOLDER.to_string();
        }
        parts.join(if shares { "；" } else { "、" })
    }

    /// The template's income sources with their shares.
    fn sources(&self) -> String {
        self.template
            .sources()
            .iter()
            .map(|k| {
                let name = format!("source.{k}");
                let word = self.spec.word(&name).unwrap_or(k.name()).to_string();
                format!(
                    "{word}{}万元，占{}",
                    self.value(&name),
                    self.share(&name, &self.section.base)
                )
            })
            .collect::<Vec<_>>()
            .join("；")
    }

    /// The economic items of basic spending with personnel (or public)
    /// costs, by name.
    fn items(&self, personnel: bool) -> String {
        let names: Vec<&str> = self
            .budget
            .economic
            .groups
            .iter()
            .flat_map(|g| &g.items)
            .filter(|i| {
                let a = if personnel {
                    &i.costs.personnel
                } else {
                    &i.costs.public
                };
                a.as_ref().is_some_and(|a| !a.value.is_zero())
            })
            .map(|i| i.name.as_str())
            .fold(Vec::new(), |mut seen, n| {
                if !seen.contains(&n) {
                    seen.push(n);
                }
                seen
            });
        if names.is_empty() {
            return PLACEHOLDER.to_string();
        }
        names.join("、")
    }
}
