//! Facts the tables do not hold but the prose does (政府采购, vehicles,
//! office space, projects by type): stated by the department on a sheet of
//! its workbook titled as the narrative spec's `stated_title` says
//! (情况说明补充数据), one fact a row — its label (the spec's `[[stated]]`
//! labels, e.g. `政府采购货物预算（万元）`) and, in the next filled cell to its
//! right, its value.

use super::facts::FactValue;
use super::spec::{plain, NarrativeSpec};
use crate::findings::Finding;
use crate::model::{parse_amount, CellRef, SheetName};
use crate::read::Sheet;
use std::collections::BTreeMap;

/// The facts a department stated, by fact name.
pub type Stated = BTreeMap<String, FactValue>;

/// How many rows from the top the title is looked for in.
const TITLE_ROWS: u32 = 3;

/// The stated facts of a workbook's sheets, and a `NARR-STATED` error for
/// each value that is not a number.
pub fn stated_facts(sheets: &[Sheet], spec: &NarrativeSpec) -> (Stated, Vec<Finding>) {
    let mut facts = Stated::new();
    let mut findings = Vec::new();
    let Some(title) = spec.stated_title.as_deref().map(plain) else {
        return (facts, findings);
    };
    let titled = |s: &&Sheet| {
        s.cells()
            .any(|((row, _), c)| row < TITLE_ROWS && plain(&c.text).contains(&title))
    };
    let Some(sheet) = sheets.iter().find(titled) else {
        return (facts, findings);
    };
    let name = SheetName::from(sheet.name.as_str());
    for row in sheet.rows_from(TITLE_ROWS.min(1)) {
        let cells: Vec<(u32, &str)> = sheet
            .row(row)
            .map(|(c, cell)| (c, cell.text.as_str()))
            .collect();
        let Some((at, entry)) = cells.iter().enumerate().find_map(|(i, (_, text))| {
            let key = plain(text);
            spec.stated
                .iter()
                .find(|s| plain(&s.label) == key)
                .map(|s| (i, s))
        }) else {
            continue;
        };
        let Some((col, text)) = cells.get(at + 1).copied() else {
            continue;
        };
        let cell = CellRef::new(name.clone(), row, col);
        match parse_amount(text) {
            Ok(value) => {
                facts.insert(
                    entry.fact.clone(),
                    FactValue {
                        value: value.unwrap_or_default(),
                        cells: vec![cell],
                        count: entry.unit != "万元",
                    },
                );
            }
            Err(_) => findings.push(
                Finding::error(
                    "NARR-STATED",
                    format!("“{}”应填数字，实为“{text}”", entry.label),
                    vec![cell],
                )
                .with_values("数字", text),
            ),
        }
    }
    (facts, findings)
}
