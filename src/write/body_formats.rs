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
use crate::views::{Cell, Merge, RowStyle, Table};
use rust_xlsxwriter::{Format, Worksheet, XlsxError};

/// One run of body cells sharing a format and lying all inside or all
/// outside the body merges: first and last column, format, inside.
pub(super) type Run<'a> = (u16, u16, &'a Format, bool);

/// Each body cell's format and whether a body merge of more than one cell
/// covers it, worked out once per table (rows × `width`, row-major).
pub(super) struct BodyCells<'a> {
    width: usize,
    formats: Vec<&'a Format>,
    merged: Vec<bool>,
}

impl<'a> BodyCells<'a> {
    /// The cells of `t`'s body (all `t.width` columns, empty cells and
    /// cells past a short row included).
    pub(super) fn new(t: &Table, f: &'a Formats) -> BodyCells<'a> {
        let width = t.width;
        let size = t.rows.len().saturating_mul(width);
        let mut label = vec![false; size];
        for &(r, c) in &t.label_cells {
            if c < width {
                if let Some(slot) = label.get_mut(r.saturating_mul(width).saturating_add(c)) {
                    *slot = true;
                }
            }
        }
        let mut formats = Vec::with_capacity(size);
        for row in &t.rows {
            for c in 0..width {
                let cell = row.cells.get(c).unwrap_or(&Cell::Empty);
                let is_label = label.get(formats.len()).copied().unwrap_or(false);
                formats.push(body_format(cell, Look::of(t, row.style, is_label), f));
            }
        }
        let mut merged = vec![false; size];
        for m in t.body_merges.iter().filter(|m| is_merge(m)) {
            let last_col = m.last_col.min(width.saturating_sub(1));
            for r in m.row..=m.last_row.min(t.rows.len().saturating_sub(1)) {
                let start = r.saturating_mul(width);
                let cols = start.saturating_add(m.col)..=start.saturating_add(last_col);
                for slot in merged.get_mut(cols).into_iter().flatten() {
                    *slot = true;
                }
            }
        }
        BodyCells {
            width,
            formats,
            merged,
        }
    }

    fn at(&self, r: usize, c: usize) -> Option<usize> {
        (c < self.width).then(|| r.saturating_mul(self.width).saturating_add(c))
    }

    /// The format of body cell (r, c), if it lies in the body.
    pub(super) fn format(&self, r: usize, c: usize) -> Option<&'a Format> {
        self.at(r, c).and_then(|i| self.formats.get(i)).copied()
    }

    /// True when a body merge of more than one cell covers (r, c).
    pub(super) fn is_merged(&self, r: usize, c: usize) -> bool {
        self.at(r, c)
            .and_then(|i| self.merged.get(i))
            .copied()
            .unwrap_or(false)
    }

    /// The format a body merge is written with: its first cell's.
    pub(super) fn merge_format(&self, t: &Table, m: &Merge, f: &'a Formats) -> &'a Format {
        self.format(m.row, m.col).unwrap_or_else(|| {
            let row = t.rows.get(m.row);
            let cell = row
                .and_then(|rw| rw.cells.get(m.col))
                .unwrap_or(&Cell::Empty);
            let style = row.map_or(RowStyle::Normal, |rw| rw.style);
            body_format(cell, Look::of(t, style, t.is_label(m.row, m.col)), f)
        })
    }

    /// The runs across body row `i` (all `width` columns, empty cells
    /// included) into `runs`.
    pub(super) fn runs(&self, i: usize, runs: &mut Vec<Run<'a>>) {
        runs.clear();
        let col = |c: usize| u16::try_from(c).unwrap_or(0);
        let mut start = 0;
        while let Some(fmt) = self.format(i, start) {
            let inside = self.is_merged(i, start);
            let mut end = start;
            while self
                .format(i, end + 1)
                .is_some_and(|next| std::ptr::eq(next, fmt) && self.is_merged(i, end + 1) == inside)
            {
                end += 1;
            }
            runs.push((col(start), col(end), fmt, inside));
            start = end + 1;
        }
    }
}

/// Sets `fmt` on the `cells` (sorted here): one `set_range_format` per run
/// of adjacent cells in a row, or per rectangle where a run repeats in the
/// rows below.
pub(super) fn format_cells(
    ws: &mut Worksheet,
    cells: &mut [(u32, u16)],
    fmt: &Format,
) -> Result<(), XlsxError> {
    cells.sort_unstable();
    let mut runs: Vec<(u32, u16, u16)> = Vec::new();
    for &(r, c) in cells.iter() {
        match runs.last_mut() {
            Some(run) if run.0 == r && run.2.checked_add(1) == Some(c) => run.2 = c,
            Some(run) if run.0 == r && run.2 == c => {}
            _ => runs.push((r, c, c)),
        }
    }
    let mut rects: Vec<(u32, u32, u16, u16)> = Vec::new();
    for (r, c1, c2) in runs {
        let above = rects
            .iter_mut()
            .find(|x| x.1.checked_add(1) == Some(r) && (x.2, x.3) == (c1, c2));
        match above {
            Some(rect) => rect.1 = r,
            None => rects.push((r, r, c1, c2)),
        }
    }
    for (r1, r2, c1, c2) in rects {
        ws.set_range_format(r1, c1, r2, c2, fmt)?;
    }
    Ok(())
}

/// A merge of more than one cell (a single cell is written, not merged).
pub(super) fn is_merge(m: &Merge) -> bool {
    (m.row, m.col) != (m.last_row, m.last_col)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::{Merge, Row, RowStyle};
    use crate::write::xlsx::new_workbook;
    use rust_decimal::Decimal;

    /// A body whose rows repeat (rectangles), with labels, prose, merges,
    /// and a format (bold amount) first used inside a merge.
    fn table() -> Table {
        let amount = || Cell::Amount(Decimal::new(12345, 2));
        let row = |style, cells: Vec<Cell>| Row::new(cells, style);
        let mut rows = vec![row(
            RowStyle::Total,
            vec![Cell::text("合计"), amount(), amount(), amount()],
        )];
        for _ in 0..4 {
            rows.push(row(
                RowStyle::Normal,
                vec![Cell::text("项目"), amount(), Cell::Empty, amount()],
            ));
        }
        rows.push(row(
            RowStyle::Prose,
            vec![
                Cell::text("说明"),
                Cell::text("很长的文字"),
                Cell::Empty,
                Cell::Empty,
            ],
        ));
        rows.push(row(
            RowStyle::Group,
            vec![Cell::text("类"), amount(), amount(), Cell::Empty],
        ));
        rows.push(row(
            RowStyle::Total,
            vec![Cell::text("合计"), amount(), amount(), amount()],
        ));
        let merge = |row, col, last_row, last_col| Merge {
            row,
            col,
            last_row,
            last_col,
        };
        Table {
            width: 4,
            rows,
            // Row 0's bold amounts are first seen inside the merge B1:D1.
            body_merges: vec![
                merge(0, 1, 0, 3),
                merge(5, 1, 5, 3),
                merge(1, 0, 3, 0),
                merge(6, 2, 6, 2),
            ],
            label_cells: vec![(5, 0)],
            ..Table::default()
        }
    }

    /// The body's formats, rectangles or one call per cell in row order,
    /// then the merges as `write_table` lays them: the workbook's bytes.
    fn body_bytes(t: &Table, rectangles: bool) -> Vec<u8> {
        let f = Formats::new();
        let mut wb = new_workbook(2025).unwrap();
        let ws = wb.add_worksheet();
        let cells = BodyCells::new(t, &f);
        let (mut rects, mut runs) = (FormatRects::default(), Vec::new());
        for (i, row) in t.rows.iter().enumerate() {
            let rr = i as u32;
            if rectangles {
                cells.runs(i, &mut runs);
                rects.add_row(ws, rr, &runs).unwrap();
                continue;
            }
            for c in 0..t.width {
                let cell = row.cells.get(c).unwrap_or(&Cell::Empty);
                let fmt = body_format(cell, Look::of(t, row.style, t.is_label(i, c)), &f);
                ws.set_range_format(rr, c as u16, rr, c as u16, fmt)
                    .unwrap();
            }
        }
        rects.finish(ws).unwrap();
        for m in &t.body_merges {
            if (m.row, m.col) == (m.last_row, m.last_col) {
                continue;
            }
            let row = &t.rows[m.row];
            let look = Look::of(t, row.style, t.is_label(m.row, m.col));
            let fmt = body_format(&row.cells[m.col], look, &f);
            let (r1, c1, r2, c2) = (
                m.row as u32,
                m.col as u16,
                m.last_row as u32,
                m.last_col as u16,
            );
            ws.merge_range(r1, c1, r2, c2, "", fmt).unwrap();
        }
        wb.save_to_buffer().unwrap()
    }

    #[test]
    fn rectangles_write_the_bytes_of_cell_by_cell_formats() {
        let t = table();
        assert_eq!(body_bytes(&t, true), body_bytes(&t, false));
    }

    #[test]
    fn repeated_rows_are_one_rectangle_per_run() {
        let t = table();
        let f = Formats::new();
        let cells = BodyCells::new(&t, &f);
        let mut runs = Vec::new();
        // Rows 1–3 share their runs (A is merged, B–D are not).
        cells.runs(1, &mut runs);
        let first = runs.clone();
        cells.runs(3, &mut runs);
        assert!(first.iter().zip(&runs).all(|(a, b)| same_run(a, b)));
        assert_eq!(runs.len(), 4, "A merged; B amount; C empty text; D amount");
        assert!(runs[0].3 && !runs[1].3);
    }
}
