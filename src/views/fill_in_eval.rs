//! The results of the fill-in workbook's formulas, computed by budgetkit
//! so that readers which do not calculate (calamine, pandas) see numbers.

use super::table::{Cell, Table};
use crate::kinds::{FillTable, Formula, Term};
use crate::model::add_opt;
use rust_decimal::Decimal;

/// Computes every formula's result into the table cells, in passes until
/// nothing changes (formulas refer to other formulas only a few levels
/// deep).
pub(super) fn evaluate(tables: &mut [FillTable], department: &str) {
    for _ in 0..8 {
        let mut changed = false;
        for i in 0..tables.len() {
            let Some(t) = tables.get(i) else { continue };
            let updates: Vec<(usize, usize, Cell)> = t
                .formulas
                .iter()
                .map(|(r, c, f)| {
                    let v = match f {
                        Formula::Department => Cell::text(department),
                        Formula::Sum(terms) => Cell::amount(
                            terms
                                .iter()
                                .fold(None, |acc, term| add_opt(acc, term_value(tables, i, term))),
                        ),
                    };
                    (*r, *c, v)
                })
                .collect();
            if let Some(t) = tables.get_mut(i) {
                for (r, c, v) in updates {
                    if let Some(cell) = t.table.rows.get_mut(r).and_then(|row| row.cells.get_mut(c))
                    {
                        if *cell != v {
                            *cell = v;
                            changed = true;
                        }
                    }
                }
            }
        }
        if !changed {
            break;
        }
    }
}

fn cell_value(t: &Table, row: usize, col: usize) -> Option<Decimal> {
    match t.rows.get(row)?.cells.get(col)? {
        Cell::Amount(v) => Some(*v),
        _ => None,
    }
}

fn term_value(tables: &[FillTable], own: usize, term: &Term) -> Option<Decimal> {
    let by_sheet = |s: &Option<String>| match s {
        None => tables.get(own),
        Some(name) => tables.iter().find(|t| t.table.sheet == *name),
    };
    match term {
        Term::Cell { sheet, row, col } => cell_value(&by_sheet(sheet)?.table, *row, *col),
        Term::SumIf {
            sheet,
            key_col,
            value_col,
            first_row,
            last_row,
            equals,
            blank_col,
        } => {
            let t = &by_sheet(&Some(sheet.clone()))?.table;
            let text = |r: usize, c: usize| {
                t.rows
                    .get(r)
                    .and_then(|row| row.cells.get(c))
                    .map(|c| c.display().trim().to_string())
                    .unwrap_or_default()
            };
            (*first_row..=*last_row)
                .filter(|&r| {
                    text(r, *key_col) == *equals && blank_col.is_none_or(|b| text(r, b).is_empty())
                })
                .fold(None, |acc, r| add_opt(acc, cell_value(t, r, *value_col)))
        }
    }
}
