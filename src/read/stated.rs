//! The facts a department states beside its tables (政府采购, vehicles,
//! office space, projects by type …, [`crate::model::StatedFacts`]), read
//! from the sheet of its workbook titled as its template's narrative spec
//! says (`stated_title`: 情况说明补充数据, in the sheet's first three rows):
//! one fact a row, its label (the spec's `[[stated]]` labels, e.g.
//! `政府采购货物预算（万元）`) in one cell and its value in the cell just
//! right of it (after the label's merge, if merged). An empty value cell
//! states nothing.

use crate::findings::Finding;
use crate::model::{parse_amount, CellRef, Provenance, SheetName, StatedFacts, StatedValue};
use crate::narrative::{plain, NarrativeSpec, StatedFact};
use crate::read::Sheet;
use rust_decimal::Decimal;

/// How many rows from the top the title is looked for in.
pub const STATED_TITLE_ROWS: u32 = 3;

/// The rule of a stated value that is not what its row asks for.
pub const STATED_RULE: &str = "NARR-STATED";

/// The facts stated on the sheet titled `spec.stated_title`, with a
/// `NARR-STATED` error in `findings` for each value that is not a number,
/// is negative, or (for a count) is not a whole number. None when no sheet
/// bears the title.
pub fn read_stated(
    sheets: &[Sheet],
    spec: &NarrativeSpec,
    findings: &mut Vec<Finding>,
) -> StatedFacts {
    let mut facts = StatedFacts::new();
    let Some(title) = spec.stated_title.as_deref().map(plain) else {
        return facts;
    };
    if spec.stated.is_empty() {
        return facts;
    }
    let titled = |s: &&Sheet| {
        s.cells_in_rows(0, STATED_TITLE_ROWS - 1)
            .any(|(_, c)| plain(&c.text).contains(title.as_ref()))
    };
    let Some(sheet) = sheets.iter().find(titled) else {
        return facts;
    };
    let name = SheetName::from(sheet.name.as_str());
    let labels: Vec<_> = spec.stated.iter().map(|s| (plain(&s.label), s)).collect();
    for ((row, col), cell) in sheet.cells() {
        let key = plain(&cell.text);
        let Some(&(_, entry)) = labels.iter().find(|(label, _)| *label == key) else {
            continue;
        };
        if facts.contains_key(&entry.fact) {
            continue;
        }
        let value_col = sheet
            .merge_at(row, col)
            .map_or(col, |m| m.last_col)
            .saturating_add(1);
        let text = sheet.text(row, value_col);
        let at = CellRef::new(name.clone(), row, value_col);
        match stated_value(text, entry) {
            Ok(None) => {}
            Ok(Some(value)) => {
                facts.insert(
                    entry.fact.clone(),
                    StatedValue {
                        value,
                        unit: entry.unit.clone(),
                        at: Some(Provenance::new(at, text)),
                    },
                );
            }
            Err(expected) => findings.push(
                Finding::error(
                    STATED_RULE,
                    format!("{at}“{}”应填{expected}，实为“{text}”", entry.label),
                    vec![at],
                )
                .with_values(expected, text),
            ),
        }
    }
    facts
}

/// The value typed for `entry`: `None` when blank; what was expected when
/// it is not a number ≥ 0 (a whole one for a count).
fn stated_value(text: &str, entry: &StatedFact) -> Result<Option<Decimal>, String> {
    let count = entry.unit != crate::model::STATED_AMOUNT_UNIT;
    let expected = if count {
        format!("不小于 0 的整数（{}）", entry.unit)
    } else {
        format!("不小于 0 的数字（{}）", entry.unit)
    };
    match parse_amount(text) {
        Ok(None) => Ok(None),
        Ok(Some(v)) if v >= Decimal::ZERO && (!count || v.fract().is_zero()) => Ok(Some(v)),
        _ => Err(expected),
    }
}
