//! The budget's own closed vocabularies: income sources, fiscal funds and
//! the "三公" items. The model is keyed by them ([`super::Sources::get`],
//! [`super::ThreePublic::item`]); template files use the same words
//! (`src.general`, `vehicle_purchase`), so [`crate::spec`] reads them
//! with these enums.

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
/// comparison with `&str`. Column keys ([`crate::spec::ColumnKey`]) do not have
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

pub(crate) use str_like;
pub(crate) use words;

words! {
    /// An income source (资金来源), in published order (the 2025-style sources first, then the older
    /// layouts' 事业收入, 事业单位经营收入, 其他收入):
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

impl Source {
    /// The source's Chinese name (`unit` → 单位资金).
    pub fn name(self) -> &'static str {
        match self {
            Source::General => "一般公共预算",
            Source::GovFund => "政府性基金预算",
            Source::StateCapital => "国有资本经营预算",
            Source::Special => "财政专户管理资金",
            Source::Unit => "单位资金",
            Source::Business => "事业收入",
            Source::Operating => "事业单位经营收入",
            Source::Other => "其他收入",
        }
    }
}

str_like!(Source);
str_like!(Fund);

impl ThreePublicItem {
    /// The item's Chinese name (`reception` → 公务接待费).
    pub fn name(self) -> &'static str {
        match self {
            ThreePublicItem::Total => "合计",
            ThreePublicItem::Abroad => "因公出国（境）费",
            ThreePublicItem::Reception => "公务接待费",
            ThreePublicItem::Vehicle => "公务用车购置及运行费",
            ThreePublicItem::VehiclePurchase => "公务用车购置费",
            ThreePublicItem::VehicleOperation => "公务用车运行维护费",
        }
    }
}
