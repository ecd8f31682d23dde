//! The function classification (支出功能分类) the tool carries, as a
//! lookup: `data/function-codes.tsv` through [`crate::spec::function_codes`].

use crate::model::label_key;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Codes and names of the function classification.
#[derive(Debug, Default)]
pub struct Classification {
    /// Code → (name, its label key).
    names: BTreeMap<String, (String, String)>,
}

impl Classification {
    /// A classification from (code, name) pairs.
    pub fn new(pairs: impl IntoIterator<Item = (String, String)>) -> Classification {
        Classification {
            names: pairs
                .into_iter()
                .map(|(code, name)| {
                    let key = label_key(&name);
                    (code, (name, key))
                })
                .collect(),
        }
    }

    /// The list the tool carries.
    pub fn builtin() -> &'static Classification {
        static BUILTIN: OnceLock<Classification> = OnceLock::new();
        BUILTIN.get_or_init(|| Classification::new(crate::spec::function_codes()))
    }

    /// The name of a code, if listed.
    pub fn name(&self, code: &str) -> Option<&str> {
        self.names.get(code).map(|(name, _)| name.as_str())
    }

    /// The label key (no whitespace, NFKC) of a code's name, if listed.
    pub fn name_key(&self, code: &str) -> Option<&str> {
        self.names.get(code).map(|(_, key)| key.as_str())
    }

    /// True when `name` is the listed name of `code` (ignoring spaces,
    /// full-/half-width forms); `None` when the code is not listed.
    pub fn name_matches(&self, code: &str, name: &str) -> Option<bool> {
        self.name_key(code).map(|k| k == label_key(name))
    }

    /// Number of codes listed.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True when nothing is listed.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// All (code, name) pairs in code order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.names
            .iter()
            .map(|(c, (n, _))| (c.as_str(), n.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_covers_the_sample_and_every_class() {
        let c = Classification::builtin();
        assert_eq!(c.name("2011308"), Some("招商引资"));
        assert_eq!(c.name_matches("2101102", "事业单位医疗"), Some(true));
        assert_eq!(c.name_matches("2101102", " 事业单位医疗 "), Some(true));
        assert_eq!(c.name_matches("2101102", "行政单位医疗"), Some(false));
        assert_eq!(c.name_matches("9999999", "x"), None);
        let classes = c.iter().filter(|(code, _)| code.len() == 3).count();
        assert_eq!(classes, 30);
    }

    #[test]
    fn every_line_is_a_three_five_or_seven_digit_code_under_its_parent() {
        let c = Classification::builtin();
        assert!(c.len() > 300);
        for (code, name) in c.iter() {
            assert!([3, 5, 7].contains(&code.len()), "{code}");
            assert!(!name.is_empty(), "{code}");
            if code.len() > 3 {
                let parent = &code[..code.len() - 2];
                assert!(c.name(parent).is_some(), "{code} has no parent {parent}");
            }
        }
    }

    #[test]
    fn the_summary_tables_name_the_classes_as_the_list_does() {
        let c = Classification::builtin();
        for id in crate::spec::Template::builtin_ids() {
            let t = crate::spec::Template::load(id).unwrap();
            for spec in &t.tables {
                for row in &spec.expense_rows {
                    let Some(name) = c.name(&row.1) else { continue };
                    let label = crate::read::row_label_key(&row.0);
                    assert!(
                        label.ends_with(&label_key(name)),
                        "{id} {}: {} vs {name}",
                        spec.id,
                        row.0
                    );
                }
            }
        }
    }
}
