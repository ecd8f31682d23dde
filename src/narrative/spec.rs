//! A template's narrative as data (templates/narrative-*.toml): the
//! phrases that say which fact a figure states, and the sections a draft
//! is written in.

use crate::error::Error;
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The built-in narrative specs, by template id.
const BUILTIN: [(&str, &str); 2] = [
    (
        "sx-2025",
        include_str!("../../templates/narrative-sx-2025.toml"),
    ),
    (
        "sh-2026",
        include_str!("../../templates/narrative-sh-2026.toml"),
    ),
];

/// Words that name one fact.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Phrase {
    /// The fact's name (see `narrative::facts`), or `@amount`: the amount of
    /// the count just stated.
    pub fact: String,
    /// The words; the first is the one a draft writes.
    pub words: Vec<String>,
}

/// One section of the narrative.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Section {
    /// The heading as drafted (`一、部门预算收支数据变动情况及原因`).
    pub heading: String,
    /// Words by which a heading of a text is recognised.
    #[serde(rename = "match")]
    pub matches: String,
    /// What a `占…%` is a share of when its clause names nothing else.
    pub base: String,
    /// Which spending a function name means here: `all` (表3), `fiscal`
    /// (财政拨款, 表4) or `general` (一般公共预算, 表5).
    #[serde(default = "all")]
    pub scope: String,
    /// What a 比上年增长/减少 is the change of: `whole` (the fact stated
    /// before the segment's 其中, sx-2025) or `last` (the fact just
    /// before it, sh-2026).
    #[serde(default = "whole")]
    pub change_of: String,
    /// The text sheet of a submission that holds this section (sh-2026:
    /// 部门编制说明), read when no narrative file is given.
    #[serde(default)]
    pub sheet: Option<String>,
    /// The paragraphs a draft writes, with `{…}` placeholders.
    #[serde(default)]
    pub draft: Vec<String>,
}

fn all() -> String {
    "all".to_string()
}

fn whole() -> String {
    "whole".to_string()
}

/// A fact the tables do not hold, as a department states it on the
/// sheet titled [`NarrativeSpec::stated_title`].
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct StatedFact {
    /// The fact's name (as in the phrases).
    pub fact: String,
    /// The row's label (`政府采购货物预算（万元）`).
    pub label: String,
    /// 万元 for an amount, else the measure word of a count (`辆`).
    pub unit: String,
}

/// A template's narrative: phrases, companions and sections.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct NarrativeSpec {
    /// Phrase → fact, in file order.
    #[serde(rename = "phrase")]
    pub phrases: Vec<Phrase>,
    /// A count's fact → the fact of the amount that goes with it.
    #[serde(default)]
    pub companions: BTreeMap<String, String>,
    /// Sections in order.
    #[serde(rename = "section")]
    pub sections: Vec<Section>,
    /// The title of the sheet on which a department states the facts the
    /// tables do not hold.
    #[serde(default)]
    pub stated_title: Option<String>,
    /// Those facts, one row each.
    #[serde(default)]
    pub stated: Vec<StatedFact>,
}

impl NarrativeSpec {
    /// The narrative spec of a template id.
    ///
    /// # Errors
    /// [`Error::Template`] when the template has no narrative spec, or
    /// its file does not parse.
    pub fn for_template(id: &str) -> Result<NarrativeSpec, Error> {
        let (name, text) =
            BUILTIN
                .iter()
                .find(|(t, _)| *t == id)
                .ok_or_else(|| Error::Template {
                    file: format!("narrative-{id}.toml"),
                    message: format!(
                        "模板 {id} 没有文字说明（情况说明）的结构；已有：{}",
                        BUILTIN.map(|(t, _)| t).join("、")
                    ),
                })?;
        NarrativeSpec::from_toml(text, &format!("templates/narrative-{name}.toml"))
    }

    /// The built-in narrative spec of a template id, parsed once; `None`
    /// when the template has none (as [`NarrativeSpec::for_template`]
    /// errs, which the tests show never happens for a built-in file).
    pub fn builtin(id: &str) -> Option<&'static NarrativeSpec> {
        static PARSED: OnceLock<Vec<(&str, Option<NarrativeSpec>)>> = OnceLock::new();
        PARSED
            .get_or_init(|| {
                BUILTIN
                    .iter()
                    .map(|(t, _)| (*t, NarrativeSpec::for_template(t).ok()))
                    .collect()
            })
            .iter()
            .find(|(t, _)| *t == id)
            .and_then(|(_, s)| s.as_ref())
    }

    /// Parses a narrative spec.
    ///
    /// # Errors
    /// [`Error::Template`] naming `file` when the text does not parse.
    pub fn from_toml(text: &str, file: &str) -> Result<NarrativeSpec, Error> {
        toml::from_str(text).map_err(|e| Error::Template {
            file: file.to_string(),
            message: e.to_string(),
        })
    }

    /// The words a draft writes for a fact (the first of its phrase).
    pub fn word(&self, fact: &str) -> Option<&str> {
        self.phrases
            .iter()
            .find(|p| p.fact == fact)
            .and_then(|p| p.words.first())
            .map(String::as_str)
    }

    /// The section a paragraph heads, if it is a heading: short, and
    /// after its number (`七、`, `（二）`, `3.`) beginning with a section's
    /// `match` words (quotes and spaces ignored).
    pub fn section_of(&self, paragraph: &str) -> Option<&Section> {
        let text = plain(paragraph);
        if text.chars().count() > 40 {
            return None;
        }
        let text = without_number(&text);
        self.sections
            .iter()
            .find(|s| text.starts_with(plain(&s.matches).as_ref()))
    }
}

/// A heading without its number: `七、`, `3.`, `（二）`, `(1)`.
fn without_number(text: &str) -> &str {
    let numeral = |c: char| "一二三四五六七八九十0123456789".contains(c);
    if let Some(rest) = text.strip_prefix(['（', '(']) {
        let inner = rest.trim_start_matches(numeral);
        if inner.len() < rest.len() {
            if let Some(after) = inner.strip_prefix(['）', ')']) {
                return after;
            }
        }
        return text;
    }
    let rest = text.trim_start_matches(numeral);
    if rest.len() < text.len() {
        if let Some(after) = rest.strip_prefix(['、', '.', '．']) {
            return after;
        }
    }
    text
}

/// Text with quotes and spaces dropped and 其它 read as 其他, as phrases
/// are matched; borrowed when the text is already so (most cells are).
pub fn plain(text: &str) -> Cow<'_, str> {
    let dropped = |c: char| {
        matches!(c, '“' | '”' | '"' | '‘' | '’' | '\'' | '「' | '」') || c.is_whitespace()
    };
    if !text.contains(dropped) && !text.contains("其它") {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .filter(|c| !dropped(*c))
            .collect::<String>()
            .replace("其它", "其他"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_spec_parses_and_names_its_sections() {
        let spec = NarrativeSpec::for_template("sx-2025").unwrap();
        assert_eq!(spec.sections.len(), 11);
        assert_eq!(spec.word("basic"), Some("基本支出"));
        let s = spec.section_of("七、“三公”经费增减变动原因说明").unwrap();
        assert_eq!(s.base, "three_public");
        assert!(spec.section_of("3、其他国有资产占有使用情况：").is_none());
        assert!(NarrativeSpec::for_template("mof-9").is_err());
    }

    #[test]
    fn the_shanghai_spec_parses_with_its_two_sections() {
        let spec = NarrativeSpec::for_template("sh-2026").unwrap();
        let headings: Vec<&str> = spec.sections.iter().map(|s| s.heading.as_str()).collect();
        assert_eq!(headings, ["部门预算编制说明", "其他相关情况说明"]);
        assert_eq!(
            spec.section_of("部门预算编制说明")
                .map(|s| s.change_of.as_str()),
            Some("last")
        );
        assert_eq!(plain("“其它 支出”"), "其他支出");
    }

    /// #14: `plain` borrows a text it leaves alone, and gives what the
    /// filter by characters gives for every other.
    #[test]
    fn plain_borrows_only_text_it_leaves_alone() {
        let by_definition = |t: &str| -> String {
            t.chars()
                .filter(|c| {
                    !matches!(c, '“' | '”' | '"' | '‘' | '’' | '\'' | '「' | '」')
                        && !c.is_whitespace()
                })
                .collect::<String>()
                .replace("其它", "其他")
        };
        for t in [
            "一般公共预算支出",
            "“三公”经费",
            "其它支出",
            "其\u{3000}它",
            "a'b\"c",
            "「项目」",
            "基本 支出",
            "",
            "其他",
        ] {
            let p = plain(t);
            assert_eq!(p, by_definition(t), "{t:?}");
            assert_eq!(matches!(p, Cow::Borrowed(_)), p == t, "{t:?}");
        }
    }
}
