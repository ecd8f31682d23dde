//! The closed word lists of a template file as enums: spending scopes,
//! income sources, fiscal funds and the "三公" items. Each word reads from
//! and prints as the word written in `templates/*.toml`; an unknown word
//! fails when the file is loaded, with its line (toml reports it) and the
//! words that are allowed.

use std::fmt;
use std::ops::Deref;

/// Declares an enum of template words: `as_str`, `ALL`, [`std::str::FromStr`],
/// `Display` and deserialization from the word with a Chinese error naming
/// `what` and the allowed words.
macro_rules! words {
    (
        $(#[$meta:meta])*
        $name:ident, $what:literal {
            $( $(#[$vmeta:meta])* $variant:ident => $word:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Deserialize)]
        #[serde(try_from = "String")]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every word, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The word as written in a template file.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $word,)+
                }
            }

            /// The allowed words, for messages.
            pub fn words() -> String {
                $name::ALL
                    .iter()
                    .map(|w| w.as_str())
                    .collect::<Vec<_>>()
                    .join("、")
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;

            fn from_str(s: &str) -> Result<Self, String> {
                $name::ALL
                    .iter()
                    .copied()
                    .find(|w| w.as_str() == s)
                    .ok_or_else(|| {
                        format!("{}“{}”不是可用的词，应为 {} 之一", $what, s, $name::words())
                    })
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;

            fn try_from(s: String) -> Result<Self, String> {
                s.parse()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

    };
}

/// Lets a word enum stand for its word where text is expected:
/// `Deref<Target = str>` (so `Option<Word>::as_deref()` gives the word) and
/// comparison with `&str`. Column keys ([`super::ColumnKey`]) do not have
/// it: a column is asked for by its key, never by text.
macro_rules! str_like {
    ($name:ident) => {
        impl std::ops::Deref for $name {
            type Target = str;

            fn deref(&self) -> &str {
                self.as_str()
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }
    };
}

pub(crate) use words;

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
    /// An income source (资金来源), in [`crate::model::SOURCE_KEYS`] order:
    /// the `source` of an `income_lines` table, the key of a summary income
    /// row, the `<source>` of a `src.<source>` column.
    Source, "资金来源" {
        /// 一般公共预算.
        General => "general",
        /// 政府性基金预算.
        GovFund => "gov_fund",
        /// 国有资本经营预算.
        StateCapital => "state_capital",
        /// 财政专户管理资金.
        Special => "special",
        /// 单位资金.
        Unit => "unit",
        /// 事业收入 (older layouts).
        Business => "business",
        /// 事业单位经营收入 (older layouts).
        Operating => "operating",
        /// 其他收入 (older layouts).
        Other => "other",
    }
}

words! {
    /// A fund of fiscal appropriations (财政拨款), the only ones 表4, 表10
    /// and 表11 break amounts down by.
    Fund, "财政拨款资金" {
        /// 一般公共预算.
        General => "general",
        /// 政府性基金预算.
        GovFund => "gov_fund",
        /// 国有资本经营预算.
        StateCapital => "state_capital",
    }
}

words! {
    /// A "三公" item: the key of a fixed row of 表10, or a column of a
    /// one-row 三公 table.
    ThreePublicItem, "固定行（“三公”经费项目）" {
        /// 合计.
        Total => "total",
        /// 因公出国（境）费.
        Abroad => "abroad",
        /// 公务接待费.
        Reception => "reception",
        /// 公务用车购置及运行费.
        Vehicle => "vehicle",
        /// 公务用车购置费.
        VehiclePurchase => "vehicle_purchase",
        /// 公务用车运行费.
        VehicleOperation => "vehicle_operation",
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
str_like!(Source);
str_like!(Fund);
str_like!(ThreePublicItem);
str_like!(FooterIncome);
str_like!(FooterExpense);

impl Fund {
    /// The fund as an income source.
    pub fn source(self) -> Source {
        match self {
            Fund::General => Source::General,
            Fund::GovFund => Source::GovFund,
            Fund::StateCapital => Source::StateCapital,
        }
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

str_like!(IncomeRow);

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
    use crate::model::{FISCAL_KEYS, SOURCE_KEYS};

    #[test]
    fn sources_and_funds_are_the_models_keys_in_its_order() {
        let sources: Vec<&str> = Source::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(sources, SOURCE_KEYS);
        let funds: Vec<&str> = Fund::ALL.iter().map(|f| f.source().as_str()).collect();
        assert_eq!(funds, FISCAL_KEYS);
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
