//! [`Table`]s laid out as the sheets of the workbook [`workbook_bytes`]
//! writes — the same cells at the same places, text as text and amounts as
//! the numbers a reader gets back — without writing a workbook. A JSON
//! model is checked on these sheets, so its findings name the cells of
//! the workbook `export` writes.
//!
//! [`workbook_bytes`]: super::workbook_bytes

use super::limits::clip_text;
use super::xlsx::{body_top, department_row};
use crate::model::round_half_away;
use crate::read::{float_text, RawCell, Sheet, Span};
use crate::views::{Cell, Merge, Table};
use rust_decimal::prelude::ToPrimitive;

/// The sheets of the workbook `tables` are written to, in order.
///
/// ```
/// use budgetkit::{model::Budget, spec::Template, views::standard_tables, write::table_sheets};
/// let template = Template::load("sx-2025").unwrap();
/// let sheets = table_sheets(&standard_tables(&Budget::default(), &template));
/// assert_eq!(sheets[0].name, template.tables[0].sheet);
/// ```
pub fn table_sheets(tables: &[Table]) -> Vec<Sheet> {
    tables.iter().map(table_sheet).collect()
}

/// One table's sheet, laid out as [`super::xlsx`] writes it.
fn table_sheet(t: &Table) -> Sheet {
    let mut s = Sheet::new(t.sheet.clone(), false);
    let last_col = u32::try_from(t.width.max(1) - 1).unwrap_or(0);
    let mut r: u32 = 0;
    if let Some(caption) = &t.caption {
        text(&mut s, r, 0, caption);
        r += 1;
    }
    spanned(&mut s, (r, 0, r, last_col), &t.title);
    r += 1;
    if let Some(sub) = &t.subtitle {
        spanned(&mut s, (r, 0, r, last_col), sub);
        r += 1;
    }
    if let Some(line) = department_row(t) {
        if let Some(d) = &t.department {
            spanned(&mut s, (line, 0, line, last_col.saturating_sub(1)), d);
        }
        if let Some(u) = &t.unit {
            text(&mut s, line, last_col, u);
        }
        r = line + 1;
    }
    let header_top = r;
    for h in &t.header {
        spanned(&mut s, place(header_top, h.at), &h.text);
    }
    r += u32::try_from(t.header_rows).unwrap_or(0);
    if t.numbering {
        for c in 0..t.width {
            let col = u32::try_from(c).unwrap_or(0);
            text(&mut s, r, col, &(c + 1).to_string());
        }
    }
    let top = body_top(t);
    for (i, row) in t.rows.iter().enumerate() {
        let rr = top + u32::try_from(i).unwrap_or(0);
        for (c, cell) in row.cells.iter().enumerate().take(t.width) {
            body_cell(&mut s, rr, u32::try_from(c).unwrap_or(0), cell);
        }
    }
    for m in &t.body_merges {
        let (r1, c1, r2, c2) = place(top, *m);
        if (r1, c1) == (r2, c2) {
            continue;
        }
        // A merge blanks the cells it covers but its first.
        for rr in r1..=r2 {
            for cc in c1..=c2 {
                if (rr, cc) != (r1, c1) {
                    text(&mut s, rr, cc, "");
                }
            }
        }
        s.add_merge(Span {
            row: r1,
            col: c1,
            last_row: r2,
            last_col: c2,
        });
    }
    if let Some(note) = &t.note {
        let below = top + u32::try_from(t.rows.len()).unwrap_or(0);
        text(&mut s, below, 0, note);
    }
    s
}

/// Sheet position of a header or body merge under `top`.
fn place(top: u32, m: Merge) -> (u32, u32, u32, u32) {
    let at = |x: usize| u32::try_from(x).unwrap_or(0);
    (
        top + at(m.row),
        at(m.col),
        top + at(m.last_row),
        at(m.last_col),
    )
}

/// Text in a cell (cut to Excel's limit, as written).
fn text(s: &mut Sheet, row: u32, col: u32, t: &str) {
    s.set(
        row,
        col,
        RawCell {
            text: clip_text(t).into_owned(),
            numeric: false,
        },
    );
}

/// Text over a range, merged when it spans more than one cell.
fn spanned(s: &mut Sheet, (row, col, last_row, last_col): (u32, u32, u32, u32), t: &str) {
    text(s, row, col, t);
    if (row, col) != (last_row, last_col) {
        s.add_merge(Span {
            row,
            col,
            last_row,
            last_col,
        });
    }
}

/// A body cell: text as text, an amount as the number written (rounded to
/// the cent) reads back.
fn body_cell(s: &mut Sheet, row: u32, col: u32, cell: &Cell) {
    match cell {
        Cell::Empty => {}
        Cell::Text(t) => text(s, row, col, t),
        Cell::Amount(v) => {
            let written = round_half_away(*v, 2).to_f64().unwrap_or(0.0);
            s.set(
                row,
                col,
                RawCell {
                    text: float_text(written),
                    numeric: true,
                },
            );
        }
    }
}
