//! The 情况说明补充数据 sheet of the fill-in workbook: one row per fact the
//! template's narrative states but its tables do not hold (its narrative
//! spec's `[[stated]]` list: 政府采购, vehicles, projects by type …), the
//! label as [`crate::read::read_stated`] reads it back, an input cell
//! prefilled from the model's [`Budget::stated`], and a note saying where
//! the narrative uses it.

use crate::model::{Budget, STATED_AMOUNT_UNIT};
use crate::narrative::NarrativeSpec;
use crate::spec::Template;
use rust_decimal::Decimal;

/// The sheet: its name, title and rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatedSheet {
    /// Sheet name, and the title's words the reader looks for
    /// (情况说明补充数据).
    pub name: String,
    /// Title line (`2026年情况说明补充数据`).
    pub title: String,
    /// One row per fact, in the spec's order.
    pub rows: Vec<StatedRow>,
}

/// One fact of the sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatedRow {
    /// The label (`政府采购货物预算（万元）`).
    pub label: String,
    /// True for a count (a whole number), false for an amount in 万元.
    pub count: bool,
    /// What it is for and how to fill it.
    pub note: String,
    /// The value prefilled from the model, if stated there.
    pub value: Option<Decimal>,
}

/// The sheet for `template`, prefilled from `budget`; `None` when its
/// narrative spec states no facts (or it has none).
pub fn stated_sheet(budget: &Budget, template: &Template) -> Option<StatedSheet> {
    let spec = NarrativeSpec::builtin(&template.id)?;
    let name = spec.stated_title.clone()?;
    let rows: Vec<StatedRow> = spec
        .stated
        .iter()
        .map(|s| {
            let count = s.unit != STATED_AMOUNT_UNIT;
            let how = if count {
                format!("填整数（{}）", s.unit)
            } else {
                "填数字（万元，两位小数）".to_string()
            };
            let used = spec
                .sections
                .iter()
                .find(|sec| {
                    sec.draft
                        .iter()
                        .any(|p| p.contains(&format!("{{{}}}", s.fact)))
                })
                .map_or_else(
                    || "情况说明".to_string(),
                    |sec| format!("情况说明“{}”", sec.heading),
                );
            StatedRow {
                label: s.label.clone(),
                count,
                note: format!(
                    "{used}中的{}；{how}，没有的填 0，留空则文中该数字不核对",
                    spec.word(&s.fact).unwrap_or(&s.label)
                ),
                value: budget.stated.get(&s.fact).map(|v| v.value),
            }
        })
        .collect();
    if rows.is_empty() {
        return None;
    }
    Some(StatedSheet {
        title: format!("{}年{name}", budget.year),
        name,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sheet_has_a_row_per_stated_fact_with_its_section() {
        let t = Template::load("sx-2025").unwrap();
        let b = Budget {
            year: 2026,
            ..Budget::default()
        };
        let sheet = stated_sheet(&b, &t).unwrap();
        assert_eq!(sheet.name, "情况说明补充数据");
        assert_eq!(sheet.title, "2026年情况说明补充数据");
        let goods = sheet
            .rows
            .iter()
            .find(|r| r.label == "政府采购货物预算（万元）")
            .unwrap();
        assert!(!goods.count);
        assert!(goods
            .note
            .starts_with("情况说明“九、政府采购情况”中的政府采购货物预算"));
        assert_eq!(goods.value, None);
        let quota = sheet
            .rows
            .iter()
            .find(|r| r.label == "公务用车编制（辆）")
            .unwrap();
        assert!(quota.count && quota.note.contains("填整数（辆）"));
        assert!(stated_sheet(&b, &Template::load("mof-9").unwrap()).is_none());
    }
}
