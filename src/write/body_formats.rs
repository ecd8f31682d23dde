//! The formats of a table's body, set with as few `set_range_format` calls
//! as the layout allows.
//!
//! rust_xlsxwriter hashes the whole `Format` (font, borders, fill …, some
//! 3,000 instructions) on every formatted write, so one call per cell, or
//! even per run of cells in each row, is most of what formatting costs. A
//! run of equal formats in one row (`first..=last` columns) that repeats in
//! the rows below is set once, as a rectangle.
//!
//! Cells inside a body merge are left out: `merge_range` later writes each
//! of them again, value and format, so a format set there would be
//! overwritten.
//!
//! The bytes written do not change: every body cell ends with the format
//! it had when every cell was formatted row by row, and a format is first
//! seen (and so numbered) at the same point, because a run whose format the
//! body has not used yet is set at once (merged or not), before any later
//! run.

use super::xlsx::{body_format, Formats, Look};
use crate::views::{Cell, Table};
use rust_xlsxwriter::{Format, Worksheet, XlsxError};

/// One run of body cells sharing a format and lying all inside or all
/// outside the body merges: first and last column, format, inside.
pub(super) type Run<'a> = (u16, u16, &'a Format, bool);

/// The column spans of each body row that body merges of more than one
/// cell cover.
pub(super) fn merged_spans(t: &Table) -> Vec<Vec<(usize, usize)>> {
    let mut spans = vec![Vec::new(); t.rows.len()];
    for m in &t.body_merges {
        if (m.row, m.col) == (m.last_row, m.last_col) {
            continue;
        }
        for r in m.row..=m.last_row {
            if let Some(row) = spans.get_mut(r) {
                row.push((m.col, m.last_col));
            }
        }
    }
    spans
}

/// The runs across body row `i` (all `t.width` columns, empty cells
/// included), into `runs`; `merged` is the row's [`merged_spans`].
pub(super) fn format_runs<'a>(
    t: &Table,
    i: usize,
    merged: &[(usize, usize)],
    f: &'a Formats,
    runs: &mut Vec<Run<'a>>,
) {
    runs.clear();
    let Some(row) = t.rows.get(i) else {
        return;
    };
    let cell = |c: usize| row.cells.get(c).unwrap_or(&Cell::Empty);
    let format = |c: usize| body_format(cell(c), Look::of(row.style, t.is_label(i, c)), f);
    let inside = |c: usize| merged.iter().any(|&(a, b)| a <= c && c <= b);
    let col = |c: usize| u16::try_from(c).unwrap_or(0);
    let mut start = 0;
    while start < t.width {
        let (fmt, ins) = (format(start), inside(start));
        let mut end = start;
        while end + 1 < t.width && std::ptr::eq(format(end + 1), fmt) && inside(end + 1) == ins {
            end += 1;
        }
        runs.push((col(start), col(end), fmt, ins));
        start = end + 1;
    }
}

/// A run repeated over consecutive rows, not yet set.
struct Rect<'a> {
    first_row: u32,
    last_row: u32,
    run: Run<'a>,
}

/// The body's pending rectangles and the formats it has set so far.
#[derive(Default)]
pub(super) struct FormatRects<'a> {
    seen: Vec<&'a Format>,
    open: Vec<Rect<'a>>,
}

fn same_run(a: &Run<'_>, b: &Run<'_>) -> bool {
    a.0 == b.0 && a.1 == b.1 && std::ptr::eq(a.2, b.2) && a.3 == b.3
}

impl<'a> FormatRects<'a> {
    /// Adds sheet row `rr` with its `runs`: a run with a format not used
    /// before is set now; the others, unless merged, extend the rectangle
    /// of the same run in the row above, or open one. Rectangles the row
    /// did not extend are set.
    pub(super) fn add_row(
        &mut self,
        ws: &mut Worksheet,
        rr: u32,
        runs: &[Run<'a>],
    ) -> Result<(), XlsxError> {
        for run in runs {
            if !self.seen.iter().any(|f| std::ptr::eq(*f, run.2)) {
                self.seen.push(run.2);
                ws.set_range_format(rr, run.0, rr, run.1, run.2)?;
                continue;
            }
            if run.3 {
                continue;
            }
            let above = self
                .open
                .iter_mut()
                .find(|r| r.last_row + 1 == rr && same_run(&r.run, run));
            match above {
                Some(rect) => rect.last_row = rr,
                None => self.open.push(Rect {
                    first_row: rr,
                    last_row: rr,
                    run: *run,
                }),
            }
        }
        let mut k = 0;
        while let Some(rect) = self.open.get(k) {
            if rect.last_row < rr {
                let rect = self.open.swap_remove(k);
                set(ws, &rect)?;
            } else {
                k += 1;
            }
        }
        Ok(())
    }

    /// Sets every rectangle still open.
    pub(super) fn finish(&mut self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        for rect in self.open.drain(..) {
            set(ws, &rect)?;
        }
        Ok(())
    }
}

fn set(ws: &mut Worksheet, r: &Rect<'_>) -> Result<(), XlsxError> {
    let (c1, c2, fmt, _) = r.run;
    ws.set_range_format(r.first_row, c1, r.last_row, c2, fmt)?;
    Ok(())
}
