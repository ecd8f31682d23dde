//! The formats of a table's body, set with few `set_range_format` calls.
//!
//! rust_xlsxwriter hashes the whole `Format` (font, borders, fill …, some
//! 3,000 instructions) on every formatted write and every
//! `set_range_format`, while one more cell of a range costs some 150. So
//! the body is painted in layers, one format at a time in the order a
//! row-by-row pass first meets them: each layer's rectangles cover its own
//! cells and may also cover cells whose format is painted later (which
//! overwrites them) and cells inside a body merge (which `merge_range`
//! writes again, value and format); never a cell of an earlier layer.
//!
//! The bytes written do not change: every body cell ends with its own
//! format, and formats are first used (and so numbered) in the order of
//! the row-by-row pass — a format met only inside merges is set on its
//! first cell at its turn.

use super::body_cells::BodyCells;
use rust_xlsxwriter::{Format, Worksheet, XlsxError};

/// Cells a rectangle may paint in vain (gap rows or columns without a
/// cell of its format) before a new rectangle is cheaper.
const GAP_CELLS: usize = 8;

/// Marks a cell inside a body merge: any layer may paint it.
const ANY: usize = usize::MAX;

/// Sets the format of every body cell; `top` is the sheet row of the
/// first body row.
pub(super) fn format_body(
    ws: &mut Worksheet,
    top: u32,
    cells: &BodyCells<'_>,
) -> Result<(), XlsxError> {
    let layers = Layers::new(cells);
    let mut covered = vec![false; layers.layer.len()];
    for (k, &(fmt, first)) in layers.order.iter().enumerate() {
        let mut painted = false;
        for rect in layers.rects(k, &mut covered) {
            set(ws, top, rect, fmt)?;
            painted = true;
        }
        if !painted {
            set(ws, top, (first, first.0, first.1), fmt)?;
        }
    }
    Ok(())
}

/// A rectangle of body cells: first (row, column), last row, last column.
type Rect = ((usize, usize), usize, usize);

fn set(
    ws: &mut Worksheet,
    top: u32,
    ((r1, c1), r2, c2): Rect,
    fmt: &Format,
) -> Result<(), XlsxError> {
    let row = |r: usize| top.saturating_add(u32::try_from(r).unwrap_or(u32::MAX));
    let col = |c: usize| u16::try_from(c).unwrap_or(u16::MAX);
    ws.set_range_format(row(r1), col(c1), row(r2), col(c2), fmt)?;
    Ok(())
}

/// The body's formats in the order first met, and each cell's layer.
struct Layers<'a> {
    rows: usize,
    width: usize,
    /// Each format and the (row, column) it is first met at.
    order: Vec<(&'a Format, (usize, usize))>,
    /// Each cell's layer (index into `order`), [`ANY`] inside a merge.
    layer: Vec<usize>,
    /// The cells of each layer, row-major.
    members: Vec<Vec<usize>>,
}

impl<'a> Layers<'a> {
    fn new(cells: &BodyCells<'a>) -> Layers<'a> {
        let mut order: Vec<(&'a Format, (usize, usize))> = Vec::new();
        let mut members: Vec<Vec<usize>> = Vec::new();
        let mut layer = Vec::with_capacity(cells.rows.saturating_mul(cells.width));
        let mut last: Option<(&'a Format, usize)> = None;
        for (i, (fmt, merged)) in cells.iter().enumerate() {
            let k = match last.filter(|(f, _)| std::ptr::eq(*f, fmt)) {
                Some((_, k)) => k,
                None => match order.iter().position(|(f, _)| std::ptr::eq(*f, fmt)) {
                    Some(k) => k,
                    None => {
                        order.push((fmt, (i / cells.width, i % cells.width)));
                        members.push(Vec::new());
                        order.len() - 1
                    }
                },
            };
            last = Some((fmt, k));
            if merged {
                layer.push(ANY);
            } else {
                layer.push(k);
                if let Some(list) = members.get_mut(k) {
                    list.push(i);
                }
            }
        }
        Layers {
            rows: cells.rows,
            width: cells.width,
            order,
            layer,
            members,
        }
    }

    /// The layer of body cell (r, c), if it lies in the body.
    fn at(&self, r: usize, c: usize) -> Option<usize> {
        if r < self.rows && c < self.width {
            self.layer.get(r * self.width + c).copied()
        } else {
            None
        }
    }

    /// Rectangles that cover every cell of layer `k`, in the order found;
    /// `covered` marks the cells of each layer painted so far.
    fn rects(&self, k: usize, covered: &mut [bool]) -> Vec<Rect> {
        let mut out = Vec::new();
        for &i in self.members.get(k).into_iter().flatten() {
            if covered.get(i) != Some(&false) {
                continue;
            }
            let (r, c) = (i / self.width, i % self.width);
            let rect = self.grow(k, (r, c), covered);
            let ((_, _), r2, c2) = rect;
            for y in r..=r2 {
                for x in c..=c2 {
                    let j = y * self.width + x;
                    if self.layer.get(j) == Some(&k) {
                        if let Some(slot) = covered.get_mut(j) {
                            *slot = true;
                        }
                    }
                }
            }
            out.push(rect);
        }
        out
    }

    /// The rectangle from cell `start` (of layer `k`, not yet covered):
    /// the narrower of its row's run of `k` cells and the widest span its
    /// row allows, whichever takes in more cells still to paint; then as
    /// far down as the rows allow while gaps stay cheap, trimmed to the
    /// cells it needs.
    fn grow(&self, k: usize, (r, c): (usize, usize), covered: &[bool]) -> Rect {
        let allowed = |y: usize, x: usize| self.at(y, x).is_some_and(|l| l >= k);
        let needed = |y: usize, x: usize| {
            self.at(y, x) == Some(k) && covered.get(y * self.width + x) == Some(&false)
        };
        let mut narrow = c;
        while narrow + 1 < self.width && needed(r, narrow + 1) {
            narrow += 1;
        }
        let (mut wide, mut x) = (c, c);
        while x + 1 < self.width && allowed(r, x + 1) && x - wide < GAP_CELLS {
            x += 1;
            if needed(r, x) {
                wide = x;
            }
        }
        let down = |c2: usize| {
            let (mut r2, mut y) = (r, r);
            let span = c2 - c + 1;
            while y + 1 < self.rows && (c..=c2).all(|x| allowed(y + 1, x)) {
                y += 1;
                if (c..=c2).any(|x| needed(y, x)) {
                    r2 = y;
                } else if (y - r2) * span > GAP_CELLS {
                    break;
                }
            }
            let count = (r..=r2)
                .map(|y| (c..=c2).filter(|&x| needed(y, x)).count())
                .sum::<usize>();
            (r2, count)
        };
        let (r_narrow, n_narrow) = down(narrow);
        let (r2, mut c2) = if wide > narrow {
            let (r_wide, n_wide) = down(wide);
            if n_wide > n_narrow {
                (r_wide, wide)
            } else {
                (r_narrow, narrow)
            }
        } else {
            (r_narrow, narrow)
        };
        while c2 > c && !(r..=r2).any(|y| needed(y, c2)) {
            c2 -= 1;
        }
        ((r, c), r2, c2)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::{Cell, Merge, Row, RowStyle, Table};
    use crate::write::xlsx::{body_format, new_workbook, prose_lines, write_body, Formats, Look};
    use rust_decimal::Decimal;

    fn amount() -> Cell {
        Cell::Amount(Decimal::new(12345, 2))
    }

    fn merge(row: usize, col: usize, last_row: usize, last_col: usize) -> Merge {
        Merge {
            row,
            col,
            last_row,
            last_col,
        }
    }

    /// A body whose rows repeat, with labels, prose, merges, and a format
    /// (bold amount) first used inside a merge.
    fn table() -> Table {
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

    /// A pseudo-random body (a fixed linear congruential sequence): styles,
    /// cells, labels, thousands, and merges that do not overlap, a few
    /// reaching past the body.
    fn random_table(seed: u64) -> Table {
        let mut x = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let mut next = |n: usize| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((x >> 33) as usize) % n.max(1)
        };
        let width = 1 + next(9);
        let styles = [
            RowStyle::Normal,
            RowStyle::Total,
            RowStyle::Group,
            RowStyle::Prose,
        ];
        let rows: Vec<Row> = (0..next(30))
            .map(|_| {
                let style = styles[if next(3) == 0 { next(4) } else { 0 }];
                let cells = (0..width.saturating_sub(next(2)))
                    .map(|_| match next(4) {
                        0 => Cell::Empty,
                        1 => Cell::text("文字"),
                        _ => amount(),
                    })
                    .collect();
                Row::new(cells, style)
            })
            .collect();
        let n = rows.len();
        let label_cells = (0..next(6)).map(|_| (next(n), next(width))).collect();
        let mut body_merges: Vec<Merge> = Vec::new();
        for _ in 0..next(8) {
            let (r, c) = (next(n + 1), next(width + 1));
            let m = merge(r, c, r + next(3), c + next(3));
            let apart = |o: &Merge| {
                m.last_row < o.row || o.last_row < m.row || m.last_col < o.col || o.last_col < m.col
            };
            if body_merges.iter().all(apart) {
                body_merges.push(m);
            }
        }
        Table {
            width,
            rows,
            body_merges,
            label_cells,
            thousands: next(2) == 0,
            ..Table::default()
        }
    }

    /// The workbook's bytes with the body written by [`write_body`].
    fn layered_bytes(t: &Table) -> Vec<u8> {
        let f = Formats::new();
        let mut wb = new_workbook(2025).unwrap();
        write_body(wb.add_worksheet(), t, 3, &f).unwrap();
        wb.save_to_buffer().unwrap()
    }

    /// The workbook's bytes with every body cell written with its format,
    /// one at a time in row order (an empty one formatted only), then the
    /// merges.
    fn cell_by_cell_bytes(t: &Table) -> Vec<u8> {
        let f = Formats::new();
        let mut wb = new_workbook(2025).unwrap();
        let ws = wb.add_worksheet();
        let look = |r: usize, c: usize| {
            let style = t.rows.get(r).map_or(RowStyle::Normal, |row| row.style);
            Look::of(t, style, t.is_label(r, c))
        };
        let cell = |r: usize, c: usize| {
            t.rows
                .get(r)
                .and_then(|row| row.cells.get(c))
                .unwrap_or(&Cell::Empty)
        };
        let write = |ws: &mut Worksheet, r: usize, c: usize| {
            let fmt = body_format(cell(r, c), look(r, c), &f);
            let (rr, cc) = (r as u32 + 3, c as u16);
            match cell(r, c) {
                // A format alone does not widen the sheet's used range.
                Cell::Empty => ws.set_range_format(rr, cc, rr, cc, fmt).map(|_| ()),
                Cell::Text(s) => ws.write_string_with_format(rr, cc, s, fmt).map(|_| ()),
                Cell::Amount(v) => {
                    use rust_decimal::prelude::ToPrimitive;
                    let v = crate::model::round_half_away(*v, 2).to_f64().unwrap();
                    ws.write_number_with_format(rr, cc, v, fmt).map(|_| ())
                }
            }
        };
        for (r, row) in t.rows.iter().enumerate() {
            for c in 0..t.width {
                write(ws, r, c).unwrap();
            }
            if row.style == RowStyle::Prose {
                let lines = prose_lines(t, r, row) as f64;
                ws.set_row_height(r as u32 + 3, 14.0 * lines + 4.0).unwrap();
            }
        }
        for m in t
            .body_merges
            .iter()
            .filter(|m| (m.row, m.col) != (m.last_row, m.last_col))
        {
            let fmt = body_format(cell(m.row, m.col), look(m.row, m.col), &f);
            let (r1, c1) = (m.row as u32 + 3, m.col as u16);
            let (r2, c2) = (m.last_row as u32 + 3, m.last_col as u16);
            ws.merge_range(r1, c1, r2, c2, "", fmt).unwrap();
            if !matches!(cell(m.row, m.col), Cell::Empty) {
                write(ws, m.row, m.col).unwrap();
            }
        }
        wb.save_to_buffer().unwrap()
    }

    #[test]
    fn layers_write_the_bytes_of_cell_by_cell_formats() {
        let t = table();
        assert_eq!(layered_bytes(&t), cell_by_cell_bytes(&t));
        for seed in 0..400 {
            let t = random_table(seed);
            assert!(
                layered_bytes(&t) == cell_by_cell_bytes(&t),
                "seed {seed}: {t:?}"
            );
        }
    }

    #[test]
    fn bold_rows_among_plain_ones_cost_a_rectangle_per_block_not_per_row() {
        // 合计 on top, then blocks of plain rows under bold group rows.
        let row = |style, text| Row::new(vec![Cell::text(text), amount(), amount()], style);
        let mut rows = vec![row(RowStyle::Total, "合计")];
        for _ in 0..3 {
            rows.push(row(RowStyle::Group, "类"));
            rows.extend((0..4).map(|_| row(RowStyle::Normal, "项")));
        }
        let t = Table {
            width: 3,
            rows,
            ..Table::default()
        };
        let f = Formats::new();
        let cells = BodyCells::new(&t, &f);
        let layers = Layers::new(&cells);
        let mut covered = vec![false; layers.layer.len()];
        let counts: Vec<usize> = (0..layers.order.len())
            .map(|k| layers.rects(k, &mut covered).len())
            .collect();
        // Bold text and bold amounts: one rectangle each over the rows down
        // to the last group (the plain rows between are painted over);
        // plain text and amounts: one per block of plain rows.
        assert_eq!(counts, [1, 1, 3, 3]);
    }
}
