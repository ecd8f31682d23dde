//! A table body as the writer sees it: each cell's format and whether a
//! body merge covers it, worked out once per table.

use super::xlsx::{body_format, Formats, Look};
use crate::views::{Cell, Merge, RowStyle, Table};
use rust_xlsxwriter::Format;

/// Each body cell's format and whether a body merge of more than one cell
/// covers it (`rows` × `width`, row-major; empty cells and cells past a
/// short row included).
pub(super) struct BodyCells<'a> {
    pub(super) rows: usize,
    pub(super) width: usize,
    formats: Vec<&'a Format>,
    merged: Vec<bool>,
}

impl<'a> BodyCells<'a> {
    /// The cells of `t`'s body.
    pub(super) fn new(t: &Table, f: &'a Formats) -> BodyCells<'a> {
        let (rows, width) = (t.rows.len(), t.width);
        let size = rows.saturating_mul(width);
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
            for r in m.row..=m.last_row.min(rows.saturating_sub(1)) {
                let start = r.saturating_mul(width);
                let cols = start.saturating_add(m.col)..=start.saturating_add(last_col);
                for slot in merged.get_mut(cols).into_iter().flatten() {
                    *slot = true;
                }
            }
        }
        BodyCells {
            rows,
            width,
            formats,
            merged,
        }
    }

    /// The row-major index of body cell (r, c), if it lies in the body.
    pub(super) fn index(&self, r: usize, c: usize) -> Option<usize> {
        (r < self.rows && c < self.width).then(|| r * self.width + c)
    }

    /// The format of body cell (r, c), if it lies in the body.
    pub(super) fn format(&self, r: usize, c: usize) -> Option<&'a Format> {
        self.index(r, c).and_then(|i| self.formats.get(i)).copied()
    }

    /// True when a body merge of more than one cell covers (r, c).
    pub(super) fn is_merged(&self, r: usize, c: usize) -> bool {
        self.index(r, c)
            .and_then(|i| self.merged.get(i))
            .copied()
            .unwrap_or(false)
    }

    /// Every cell's format and whether a merge covers it, row-major.
    pub(super) fn iter(&self) -> impl Iterator<Item = (&'a Format, bool)> + '_ {
        self.formats
            .iter()
            .copied()
            .zip(self.merged.iter().copied())
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
}

/// A merge of more than one cell (a single cell is written, not merged).
pub(super) fn is_merge(m: &Merge) -> bool {
    (m.row, m.col) != (m.last_row, m.last_col)
}
