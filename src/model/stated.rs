//! Facts the tables do not hold but the prose does — 政府采购 goods, works
//! and services, projects by type, vehicles, office space, 绩效 project
//! counts — as the department states them beside its tables (the
//! 情况说明补充数据 sheet of its workbook; which facts a template has is
//! its narrative spec's `[[stated]]` list).
//!
//! In the JSON model they are one object, `"stated"`, keyed by the fact's
//! name, each value as typed with its unit and provenance:
//!
//! ```json
//! "stated": {
//!   "procurement.goods": {"value": "0.70", "unit": "万元",
//!                         "at": {"sheet": "情况说明补充数据", "cell": "B3", "text": "0.70"}},
//!   "vehicles.quota": {"value": "2", "unit": "辆"}
//! }
//! ```
//!
//! A model without the object (older JSON) has none.

use super::amount::Provenance;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The unit of a stated amount; any other unit is a count's measure word.
pub const STATED_AMOUNT_UNIT: &str = "万元";

/// One stated fact: its value, its unit and where it was read.
///
/// Equality compares value and unit only, as for [`super::Amount`]:
/// provenance says where a number was read, not what it is.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StatedValue {
    /// The value: 万元 for an amount, a number for a count.
    pub value: Decimal,
    /// `万元` for an amount, else the count's measure word (`辆`, `个`,
    /// `平方米`).
    pub unit: String,
    /// Where it was read; `None` for a value not read from a cell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Provenance>,
}

impl PartialEq for StatedValue {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value && self.unit == other.unit
    }
}

impl StatedValue {
    /// True for a count (辆, 个, 平方米), false for an amount in 万元.
    pub fn is_count(&self) -> bool {
        self.unit != STATED_AMOUNT_UNIT
    }
}

/// The facts a department stated, by fact name (`procurement.goods`).
pub type StatedFacts = BTreeMap<String, StatedValue>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CellRef, SheetName};

    #[test]
    fn a_stated_fact_keeps_its_shape_in_json_and_compares_by_value() {
        let at = CellRef::new(SheetName::from("情况说明补充数据"), 2, 1);
        let mut facts = StatedFacts::new();
        facts.insert(
            "procurement.goods".into(),
            StatedValue {
                value: Decimal::new(70, 2),
                unit: "万元".into(),
                at: Some(Provenance::new(at, "0.70")),
            },
        );
        let json = serde_json::to_string(&facts).unwrap();
        assert_eq!(
            json,
            r#"{"procurement.goods":{"value":"0.70","unit":"万元","at":{"sheet":"情况说明补充数据","cell":"B3","text":"0.70"}}}"#
        );
        let back: StatedFacts = serde_json::from_str(&json).unwrap();
        assert_eq!(back, facts);
        let goods = &back["procurement.goods"];
        assert!(!goods.is_count());
        assert_eq!(
            goods.at.as_ref().unwrap().reference().to_string(),
            "情况说明补充数据!B3"
        );
        let moved = StatedValue {
            at: None,
            ..goods.clone()
        };
        assert_eq!(&moved, goods);
    }
}
