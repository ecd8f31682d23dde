//! A worksheet part patched in one streaming pass: each flagged cell's
//! format replaced by its highlighted copy (a cell that has no `<c>`
//! element gets an empty one, in row and column order, with the row's or
//! column's format as its base), the legacy drawing that shows the notes
//! referenced, and the sheet no longer selected (the findings sheet is).
//! Everything else — values, formulas, merges, validations, protection —
//! is copied byte for byte.

use super::package::Problem;
use super::styles::{Mark, StyleBook};
use super::xml::{attr, local, prefix, retag, rid, Scanner, Splice, REL_NS};
use crate::read::{a1, parse_a1};
use quick_xml::events::Event;

/// Worksheet elements that come after `legacyDrawing` (ECMA-376 order).
const AFTER_LEGACY: &[&str] = &[
    "legacyDrawingHF",
    "drawingHF",
    "picture",
    "oleObjects",
    "controls",
    "webPublishItems",
    "tableParts",
    "extLst",
];

/// What to do to one worksheet.
pub struct SheetPatch<'a> {
    /// Flagged cells, sorted by (row, column).
    pub marks: &'a [((u32, u32), Mark)],
    /// Relationship id of a new legacy drawing to reference.
    pub legacy: Option<String>,
}

/// The `r:id` of the sheet's existing legacy drawing, if any.
///
/// # Errors
/// When the XML is malformed.
pub fn legacy_drawing(xml: &[u8]) -> Result<Option<String>, Problem> {
    for item in Scanner::new(xml) {
        let item = item?;
        if let Event::Start(e) | Event::Empty(e) = &item.event {
            if item.depth == 1 && local(&item.event) == "legacyDrawing" {
                return Ok(rid(e));
            }
        }
    }
    Ok(None)
}

/// Column formats from `<cols>`: (first, last, format), 0-based.
type Cols = Vec<(u32, u32, usize)>;

fn col_style(cols: &Cols, col: u32) -> usize {
    cols.iter()
        .find(|(a, b, _)| (*a..=*b).contains(&col))
        .map_or(0, |(_, _, s)| *s)
}

/// The marks still to place, and what a new cell's format depends on.
struct Place<'a> {
    marks: &'a [((u32, u32), Mark)],
    next: usize,
    cols: Cols,
    pfx: String,
}

impl Place<'_> {
    fn new_cell(&self, r: u32, c: u32, s: usize) -> String {
        format!(r#"<{}c r="{}" s="{s}"/>"#, self.pfx, a1(r, c))
    }

    /// New cells for the marks of `row` before column `before`; `base` is
    /// the row's format when it has one.
    fn cells_until(
        &mut self,
        row: u32,
        before: u32,
        base: Option<usize>,
        styles: &mut StyleBook,
    ) -> String {
        let mut out = String::new();
        while let Some(((r, c), mark)) = self.marks.get(self.next) {
            if *r != row || *c >= before {
                break;
            }
            let s = styles.marked(base.unwrap_or_else(|| col_style(&self.cols, *c)), *mark);
            out.push_str(&self.new_cell(*r, *c, s));
            self.next += 1;
        }
        out
    }

    /// New `<row>` elements for the marks in rows before `before`.
    fn rows_until(&mut self, before: u32, styles: &mut StyleBook) -> String {
        let mut out = String::new();
        while let Some(((r, _), _)) = self.marks.get(self.next) {
            let row = *r;
            if row >= before {
                break;
            }
            out.push_str(&format!(r#"<{}row r="{}">"#, self.pfx, u64::from(row) + 1));
            out.push_str(&self.cells_until(row, u32::MAX, None, styles));
            out.push_str(&format!("</{}row>", self.pfx));
        }
        out
    }

    /// The mark at (`r`, `c`), taken.
    fn take(&mut self, r: u32, c: u32) -> Option<Mark> {
        let ((mr, mc), mark) = self.marks.get(self.next)?;
        if (*mr, *mc) != (r, c) {
            return None;
        }
        self.next += 1;
        Some(*mark)
    }
}

/// The patched worksheet.
///
/// # Errors
/// When the XML is malformed.
pub fn patch(xml: &[u8], p: &SheetPatch<'_>, styles: &mut StyleBook) -> Result<Vec<u8>, Problem> {
    let mut splice = Splice::default();
    let mut place = Place {
        marks: p.marks,
        next: 0,
        cols: Vec::new(),
        pfx: String::new(),
    };
    let mut row: Option<(u32, Option<usize>)> = None;
    let mut implicit_row = 0u32;
    let mut implicit_col = 0u32;
    let mut legacy_done = p.legacy.is_none();
    let legacy = |pfx: &str| {
        format!(
            r#"<{pfx}legacyDrawing xmlns:r="{REL_NS}" r:id="{}"/>"#,
            p.legacy.as_deref().unwrap_or_default()
        )
    };
    for item in Scanner::new(xml) {
        let item = item?;
        let name = local(&item.event);
        let empty = matches!(item.event, Event::Empty(_));
        match &item.event {
            Event::Start(e) | Event::Empty(e)
                if item.depth == 1 && !legacy_done && AFTER_LEGACY.contains(&name) =>
            {
                splice.insert(item.start, legacy(&prefix(e)));
                legacy_done = true;
            }
            Event::End(_) if item.depth == 0 && !legacy_done => {
                splice.insert(item.start, legacy(&place.pfx));
                legacy_done = true;
            }
            Event::Start(e) | Event::Empty(e)
                if name == "sheetView" && attr(e, "tabSelected").is_some() =>
            {
                splice.replace(
                    item.start,
                    item.end,
                    retag(e, &[("tabSelected", None)], empty),
                );
            }
            Event::Start(e) | Event::Empty(e) if name == "col" => {
                let num = |k: &str| attr(e, k).and_then(|v| v.parse::<u32>().ok());
                if let (Some(a), Some(b)) = (num("min"), num("max")) {
                    let s = usize::try_from(num("style").unwrap_or(0)).unwrap_or(0);
                    place
                        .cols
                        .push((a.saturating_sub(1), b.saturating_sub(1), s));
                }
            }
            Event::Start(e) if name == "sheetData" => place.pfx = prefix(e),
            Event::Empty(e) if name == "sheetData" => {
                place.pfx = prefix(e);
                let rows = place.rows_until(u32::MAX, styles);
                let open = retag(e, &[], false);
                splice.replace(
                    item.start,
                    item.end,
                    format!("{open}{rows}</{}sheetData>", place.pfx),
                );
            }
            Event::End(_) if name == "sheetData" => {
                if let Some((r, base)) = row.take() {
                    splice.insert(item.start, place.cells_until(r, u32::MAX, base, styles));
                }
                splice.insert(item.start, place.rows_until(u32::MAX, styles));
            }
            Event::Start(e) | Event::Empty(e) if name == "row" => {
                let r = attr(e, "r")
                    .and_then(|v| v.parse::<u32>().ok())
                    .and_then(|v| v.checked_sub(1))
                    .unwrap_or(implicit_row);
                implicit_row = r.saturating_add(1);
                implicit_col = 0;
                splice.insert(item.start, place.rows_until(r, styles));
                let custom = attr(e, "customFormat").is_some_and(|v| v == "1" || v == "true");
                let base = custom
                    .then(|| attr(e, "s").and_then(|v| v.parse::<usize>().ok()))
                    .flatten();
                if empty {
                    let cells = place.cells_until(r, u32::MAX, base, styles);
                    if !cells.is_empty() {
                        let open = retag(e, &[], false);
                        splice.replace(
                            item.start,
                            item.end,
                            format!("{open}{cells}</{}row>", prefix(e)),
                        );
                    }
                } else {
                    row = Some((r, base));
                }
            }
            Event::End(_) if name == "row" => {
                if let Some((r, base)) = row.take() {
                    splice.insert(item.start, place.cells_until(r, u32::MAX, base, styles));
                }
            }
            Event::Start(e) | Event::Empty(e) if name == "c" => {
                let Some((r, base)) = row else { continue };
                let c = attr(e, "r")
                    .and_then(|v| parse_a1(&v.to_ascii_uppercase()))
                    .map_or(implicit_col, |(_, c)| c);
                implicit_col = c.saturating_add(1);
                splice.insert(item.start, place.cells_until(r, c, base, styles));
                if let Some(mark) = place.take(r, c) {
                    let own = attr(e, "s")
                        .and_then(|v| v.parse::<usize>().ok())
                        .unwrap_or(0);
                    let s = styles.marked(own, mark).to_string();
                    splice.replace(item.start, item.end, retag(e, &[("s", Some(s))], empty));
                }
            }
            _ => {}
        }
    }
    Ok(splice.apply(xml))
}
