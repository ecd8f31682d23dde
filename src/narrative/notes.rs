//! The notes under empty tables (注：本部门无…预算…，故本表为空表): a note
//! that names another fund than its table's title (the 国有资本经营 table
//! of a real disclosure says 政府性基金) is a NARR-NOTE-FUND warning.

use crate::findings::Finding;
use crate::model::{CellRef, SheetName};
use crate::read::Sheet;

/// The funds a title or a note may name.
const FUNDS: [&str; 3] = ["一般公共预算", "政府性基金", "国有资本经营"];

/// How many rows from the top a table's title is looked for in.
const TITLE_ROWS: u32 = 3;

/// Words by which a note says its table is empty.
const EMPTY_WORDS: [&str; 3] = ["空表", "无数据", "没有数据"];

/// The funds `text` names, in [`FUNDS`] order.
fn funds_in(text: &str) -> Vec<&'static str> {
    FUNDS.into_iter().filter(|f| text.contains(f)).collect()
}

/// A NARR-NOTE-FUND warning for each note of an empty table, on any of
/// `sheets`, that names funds none of which is the one its title names.
pub fn note_fund_findings(sheets: &[Sheet]) -> Vec<Finding> {
    let mut out = Vec::new();
    for sheet in sheets {
        let title_funds: Vec<&str> = sheet
            .cells()
            .filter(|((row, _), _)| *row < TITLE_ROWS)
            .flat_map(|(_, c)| funds_in(&c.text))
            .collect();
        let [table_fund] = title_funds.as_slice() else {
            continue;
        };
        for ((row, col), cell) in sheet.cells() {
            let text = cell.text.trim();
            let is_note = text.starts_with('注') && EMPTY_WORDS.iter().any(|w| text.contains(w));
            let named = funds_in(text);
            if !is_note || named.is_empty() || named.contains(table_fund) {
                continue;
            }
            let at = CellRef::new(SheetName::from(sheet.name.as_str()), row, col);
            out.push(
                Finding::warning(
                    "NARR-NOTE-FUND",
                    format!(
                        "空表的说明写的是{}，而本表是{table_fund}预算的表",
                        named.join("、")
                    ),
                    vec![at],
                )
                .with_values(format!("{table_fund}预算"), named.join("、")),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::RawCell;

    fn sheet(title: &str, note: &str) -> Sheet {
        let mut s = Sheet::new("表", false);
        let text = |t: &str| RawCell {
            text: t.to_string(),
            numeric: false,
        };
        s.set(1, 0, text(title));
        s.set(9, 0, text(note));
        s
    }

    #[test]
    fn a_note_naming_another_fund_is_a_warning() {
        let note = "注:本部门2025年无政府性基金预算财政拨款安排的预算，故本表为空表。";
        let wrong = sheet("2025年部门国有资本经营预算支出功能分类预算表", note);
        let found = note_fund_findings(&[wrong]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].rule, "NARR-NOTE-FUND");
        assert_eq!(found[0].cells_joined(","), "表!A10");
        let right = sheet("2025年部门政府性基金预算支出功能分类预算表", note);
        assert!(note_fund_findings(&[right]).is_empty());
    }
}
