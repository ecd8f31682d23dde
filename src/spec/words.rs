//! The closed word lists of a template file as enums: spending scopes,
//! income sources, fiscal funds and the "三公" items. Each word reads from
//! and prints as the word written in `templates/*.toml`; an unknown word
//! fails when the file is loaded, with its line (toml reports it) and the
//! words that are allowed.

use std::fmt;
use std::ops::Deref;

use crate::model::{str_like, words};
pub use crate::model::{Fund, Source, ThreePublicItem};

words! {
    /// The spending a function-line table shows (`scope` of a `functions`,
    /// `capital` or one-row `three_public` table).
    Scope, "scope" {
        /// All spending (表3).
        All => "all",
        /// 一般公共预算.
        General => "general",
        /// 政府性基金预算.
        GovFund => "gov_fund",
        /// 国有资本经营预算.
        StateCapital => "state_capital",
    }
}

words! {
    /// The key of a summary footer row's income side.
    FooterIncome, "合计行收入方" {
        /// 本年收入合计.
        IncomeTotal => "income_total",
        /// 上年结转.
        Carryover => "carryover",
        /// 上年财政拨款结转: 一般公共预算.
        CarryoverGeneral => "carryover.general",
        /// 上年财政拨款结转: 政府性基金预算.
        CarryoverGovFund => "carryover.gov_fund",
        /// 上年财政拨款结转: 国有资本经营预算.
        CarryoverStateCapital => "carryover.state_capital",
        /// 收入总计.
        GrandTotal => "grand_total",
    }
}

words! {
    /// The key of a summary footer row's expense side (empty: nothing
    /// on that side).
    FooterExpense, "合计行支出方" {
        /// 本年支出合计.
        ExpenseTotal => "expense_total",
        /// 结转下年.
        YearEnd => "year_end",
        /// 支出总计.
        GrandTotal => "grand_total",
        /// No expense on this footer row.
        Nothing => "",
    }
}

str_like!(Scope);

impl Scope {
    /// The fiscal fund a table of this scope shows; `None` for all
    /// spending.
    pub fn fund(self) -> Option<Fund> {
        match self {
            Scope::All => None,
            Scope::General => Some(Fund::General),
            Scope::GovFund => Some(Fund::GovFund),
            Scope::StateCapital => Some(Fund::StateCapital),
        }
    }
}

impl FooterIncome {
    /// The fund of a 上年财政拨款结转 row by fund.
    pub fn carryover_fund(self) -> Option<Fund> {
        match self {
            FooterIncome::CarryoverGeneral => Some(Fund::General),
            FooterIncome::CarryoverGovFund => Some(Fund::GovFund),
            FooterIncome::CarryoverStateCapital => Some(Fund::StateCapital),
            _ => None,
        }
    }

    /// The 上年财政拨款结转 row of a fund.
    pub fn carryover_of(fund: Fund) -> FooterIncome {
        match fund {
            Fund::General => FooterIncome::CarryoverGeneral,
            Fund::GovFund => FooterIncome::CarryoverGovFund,
            Fund::StateCapital => FooterIncome::CarryoverStateCapital,
        }
    }

    /// True for 本年收入合计 and 收入总计.
    pub fn is_total(self) -> bool {
        matches!(self, FooterIncome::IncomeTotal | FooterIncome::GrandTotal)
    }
}

/// The key of a summary income row: a source, or 财政拨款收入 (`fiscal`:
/// the three fiscal funds, sh-2026).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(try_from = "String")]
pub enum IncomeRow {
    /// The income of a source.
    Source(Source),
    /// 财政拨款收入: 一般公共预算 + 政府性基金 + 国有资本经营.
    Fiscal,
}

impl IncomeRow {
    /// The key as written in a template file.
    pub fn as_str(self) -> &'static str {
        match self {
            IncomeRow::Source(s) => s.as_str(),
            IncomeRow::Fiscal => super::FISCAL_ROW,
        }
    }
}

impl TryFrom<String> for IncomeRow {
    type Error = String;

    fn try_from(s: String) -> Result<Self, String> {
        if s == super::FISCAL_ROW {
            return Ok(IncomeRow::Fiscal);
        }
        s.parse()
            .map(IncomeRow::Source)
            .map_err(|why| format!("收入行：{why}，或 {}", super::FISCAL_ROW))
    }
}

/// A 类 code of a summary expense row: three digits (`201`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(try_from = "String")]
pub struct ClassCode([u8; 3]);

impl TryFrom<String> for ClassCode {
    type Error = String;

    fn try_from(s: String) -> Result<Self, String> {
        s.parse()
    }
}

impl std::str::FromStr for ClassCode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s.as_bytes() {
            [a, b, c] if [a, b, c].iter().all(|d| d.is_ascii_digit()) => {
                Ok(ClassCode([*a, *b, *c]))
            }
            _ => Err(format!("支出行“{s}”应为三位类级科目编码（如 201）")),
        }
    }
}

impl fmt::Display for ClassCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self)
    }
}

impl ClassCode {
    /// The code as written (`201`).
    pub fn as_str(&self) -> &str {
        self
    }
}

impl Deref for ClassCode {
    type Target = str;

    fn deref(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The model's JSON names a source by the template's word for it
    /// (`"unit": …` is `src.unit`), and `Sources::get` reads the field of
    /// that name.
    #[test]
    fn sources_fields_are_the_template_words() {
        use crate::model::{Amount, Sources};
        let mut s = Sources::default();
        for (i, &k) in Source::ALL.iter().enumerate() {
            *s.slot(k) = Some(Amount::new(rust_decimal::Decimal::from(i)));
        }
        let json = serde_json::to_value(&s).unwrap();
        for (i, &k) in Source::ALL.iter().enumerate() {
            assert_eq!(
                json[k.as_str()]["value"],
                serde_json::json!(i.to_string()),
                "{k}"
            );
            assert_eq!(
                s.get(k).map(|a| a.value),
                Some(rust_decimal::Decimal::from(i))
            );
        }
        let funds: Vec<Source> = Fund::ALL.iter().map(|f| f.source()).collect();
        assert_eq!(funds, Source::ALL[..3]);
    }

    #[test]
    fn an_unknown_word_names_itself_and_the_allowed_ones() {
        let err = "genral".parse::<Scope>().unwrap_err();
        assert!(
            err.contains("“genral”") && err.contains("general、gov_fund"),
            "{err}"
        );
        assert_eq!("gov_fund".parse::<Scope>(), Ok(Scope::GovFund));
        assert_eq!(Some(Scope::All).as_deref(), Some("all"));
        assert_eq!(
            "201".parse::<ClassCode>().map(|c| c.to_string()),
            Ok("201".into())
        );
        assert!("20a".parse::<ClassCode>().is_err());
        assert!("2011".parse::<ClassCode>().is_err());
    }
}
