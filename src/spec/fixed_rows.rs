//! The fixed rows of a template table: a label, the typed key of the
//! fact it shows, and the other wordings a department's copy may carry.

use super::{FooterExpense, FooterIncome};
use serde::Deserialize;

/// One fixed row: the label written, the key of the fact it shows, and
/// other wordings a department's copy may carry instead (a later edition
/// of the template: `["1. 一般公共预算资金", "general", ["1. 一般公共预算"]]`).
///
/// The key is typed by what the row shows ([`super::IncomeRow`], [`super::ClassCode`],
/// [`super::ThreePublicItem`]): an unknown key fails when the template is read.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct FixedRow<K>(pub String, pub K, #[serde(default)] pub Vec<String>);

/// A fixed row's label with the other wordings it may be filed with.
pub type Wording<'s> = (&'s str, &'s [String]);

impl<K> FixedRow<K> {
    /// The label and its other wordings, for aligning filed rows.
    pub fn wording(&self) -> Wording<'_> {
        (self.0.as_str(), self.2.as_slice())
    }
}

/// A footer row of 表1/表4: income label and key, expense label and key.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct FooterRow(pub String, pub FooterIncome, pub String, pub FooterExpense);
