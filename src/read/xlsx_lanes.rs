//! The sheets of one .xlsx parsed on several threads (src/lanes.rs), the
//! streaming reader's sheet parts shared among lanes: each lane reads every
//! n-th sheet on its share of the workbook's bounds, and the lanes'
//! formulas are gathered for one evaluation. A small workbook is read by
//! one lane, part by part as it is inflated (src/read/xlsx_stream.rs).

use super::allowance::Allowance;
use super::formula::Formulas;
use super::sheet::Sheet;
use super::workbook::MAX_MERGES;
use super::xlsx_book::Listed;
use super::xlsx_stream::{SheetReader, Sure, Unsure};
use crate::lanes::in_lanes;
use std::borrow::Cow;
use std::path::Path;

/// Bytes of a sheet part per non-empty cell, to reserve the cells' room.
const BYTES_PER_CELL: usize = 80;

/// Bytes of sheet parts (as the zip's directory declares them) from which
/// a workbook's sheets are parsed on every core (a large department's
/// export has 38 MiB; the sample's 0.2 MiB, which a second thread would
/// only slow down).
#[cfg(not(fuzzing))]
const PARALLEL_BYTES: usize = 4 << 20;

/// Lanes for sheet parts of `size` bytes.
#[cfg(not(fuzzing))]
pub(super) fn lanes_by_size(size: usize) -> usize {
    crate::lanes::lanes_for(size, PARALLEL_BYTES)
}

/// Under the fuzzer, sheet parts whose declared sizes add up to an odd
/// number are read on two lanes and the others on one, so the targets
/// cover both.
#[cfg(fuzzing)]
pub(super) fn lanes_by_size(size: usize) -> usize {
    1 + size % 2
}

/// Parses the sheet parts `texts` of the sheets `listed` on `lanes`
/// threads, sheet `i` on lane `i % lanes`. Each lane draws on its share of
/// the workbook's bounds ([`Allowance::share`]) and of its merges, so the
/// lanes together never pass them; a lane that reaches its share is
/// [`Unsure`] (calamine, with the whole bounds, then reads the workbook).
pub(super) fn read_sheets(
    listed: &[Listed],
    texts: &[&str],
    strings: &[Cow<'_, str>],
    path: &Path,
    lanes: usize,
) -> Sure<Vec<Sheet>> {
    let lanes = lanes.clamp(1, listed.len().max(1));
    let read_lane = |k: &usize| -> Sure<(Vec<Sheet>, Formulas)> {
        let mut lane = Lane::new(path, lanes);
        let text = |i: usize| texts.get(i).copied().ok_or(Unsure);
        let sheets = lane.sheets(listed, *k, lanes, strings, text)?;
        Ok((sheets, lane.formulas))
    };
    let lane_ids: Vec<usize> = (0..lanes).collect();
    let mut formulas = Formulas::default();
    let mut read = Vec::with_capacity(lanes);
    for (sheets, f) in in_lanes(&lane_ids, lanes, &read_lane)? {
        formulas.absorb(f);
        read.push(sheets.into_iter());
    }
    let mut sheets = Vec::with_capacity(listed.len());
    for i in 0..listed.len() {
        let sheet = read.get_mut(i % lanes).and_then(Iterator::next);
        sheets.push(sheet.ok_or(Unsure)?);
    }
    formulas.evaluate(&mut sheets);
    Ok(sheets)
}

/// What one lane of [`read_sheets`] (or the one reading of a small
/// workbook) draws on and gathers.
pub(super) struct Lane<'p> {
    allowance: Allowance<'p>,
    formulas: Formulas,
    /// Merged ranges the lane may still read, plus one.
    room: usize,
}

impl<'p> Lane<'p> {
    /// One of `lanes` lanes: its share of the bounds and of the merges.
    pub(super) fn new(path: &'p Path, lanes: usize) -> Self {
        let room = usize::try_from(MAX_MERGES)
            .unwrap_or(usize::MAX)
            .saturating_add(1);
        Lane {
            allowance: Allowance::share(path, lanes),
            formulas: Formulas::default(),
            room: room / lanes.max(1),
        }
    }

    /// `sheets` (all of the workbook's, read by this one lane) with their
    /// formulas evaluated.
    pub(super) fn finish(self, mut sheets: Vec<Sheet>) -> Vec<Sheet> {
        self.formulas.evaluate(&mut sheets);
        sheets
    }

    /// The sheets of `listed` at `first`, `first + step`, …, the text of
    /// sheet `i`'s part from `text(i)` (inflated as it is asked for, or
    /// before).
    pub(super) fn sheets<'t>(
        &mut self,
        listed: &[Listed],
        first: usize,
        step: usize,
        strings: &[Cow<'_, str>],
        text: impl Fn(usize) -> Sure<&'t str>,
    ) -> Sure<Vec<Sheet>> {
        (first..listed.len())
            .step_by(step.max(1))
            .map(|i| {
                let l = listed.get(i).ok_or(Unsure)?;
                self.sheet(i, l, text(i)?, strings)
            })
            .collect()
    }

    /// Sheet `index`, `listed`, from its part `text`.
    fn sheet(
        &mut self,
        index: usize,
        listed: &Listed,
        text: &str,
        strings: &[Cow<'_, str>],
    ) -> Sure<Sheet> {
        let mut sheet = Sheet::new(&listed.name, listed.hidden);
        // Room for the cells at once, not by doubling: a sheet part takes
        // some 90 bytes per non-empty cell (the sample's 87, with the
        // empty styled cells between them).
        sheet.reserve_cells(text.len() / BYTES_PER_CELL);
        let mut reader = SheetReader::new(text, self.room);
        let (allowance, formulas) = (&mut self.allowance, &mut self.formulas);
        let is_sheet = reader.cells(strings, |row, col, raw, formula| {
            if let Some(text) = formula {
                formulas.add(index, row, col, text, raw.is_some());
            }
            match raw {
                Some(raw) => allowance.put(&mut sheet, row, col, raw).map_err(|_| Unsure),
                None => Ok(()),
            }
        })?;
        let merges = reader.finish()?;
        self.room = self.room.saturating_sub(merges.len());
        if self.room == 0 {
            return Err(Unsure);
        }
        if is_sheet {
            self.allowance
                .merges(&mut sheet, &merges)
                .map_err(|_| Unsure)?;
        }
        Ok(sheet)
    }
}
