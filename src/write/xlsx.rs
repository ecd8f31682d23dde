//! Renders [`Table`]s into an .xlsx workbook formatted for publication.

use super::body_cells::{is_merge, BodyCells};
use super::body_formats::{format_body, format_cells};
use super::limits::clip_text;
use crate::error::Error;
use crate::lanes::{in_lanes, lanes_for};
use crate::views::{Cell, Merge, RowStyle, Table};
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};
use std::path::Path;

/// Widest a column gets, in character units.
const MAX_WIDTH: f64 = 48.0;
/// Narrowest an amount column gets.
const MIN_AMOUNT_WIDTH: f64 = 11.0;

/// The cell formats of one workbook (shared with the fill-in writer).
pub(super) struct Formats {
    pub(super) caption: Format,
    pub(super) title: Format,
    pub(super) subtitle: Format,
    pub(super) left: Format,
    pub(super) right: Format,
    pub(super) header: Format,
    pub(super) text: Format,
    pub(super) text_bold: Format,
    pub(super) prose: Format,
    pub(super) amount: Format,
    pub(super) amount_bold: Format,
    /// Amounts with thousands separators (tables in 元: 31,214,205.80).
    pub(super) amount_grouped: Format,
    pub(super) amount_grouped_bold: Format,
    pub(super) note: Format,
}

impl Formats {
    pub(super) fn new() -> Formats {
        let font = |f: Format| f.set_font_name("宋体").set_font_size(10);
        let bordered = |f: Format| font(f).set_border(FormatBorder::Thin);
        Formats {
            caption: font(Format::new()).set_align(FormatAlign::Left),
            title: font(Format::new())
                .set_bold()
                .set_font_size(16)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            subtitle: font(Format::new()).set_align(FormatAlign::Center),
            left: font(Format::new()).set_align(FormatAlign::Left),
            right: font(Format::new()).set_align(FormatAlign::Right),
            header: bordered(Format::new())
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color(0xF2F2F2),
            text: bordered(Format::new()).set_align(FormatAlign::VerticalCenter),
            text_bold: bordered(Format::new())
                .set_bold()
                .set_align(FormatAlign::VerticalCenter),
            prose: bordered(Format::new())
                .set_text_wrap()
                .set_align(FormatAlign::Left)
                .set_align(FormatAlign::VerticalCenter),
            amount: bordered(Format::new())
                .set_num_format("0.00")
                .set_align(FormatAlign::Right),
            amount_bold: bordered(Format::new())
                .set_num_format("0.00")
                .set_bold()
                .set_align(FormatAlign::Right),
            amount_grouped: bordered(Format::new())
                .set_num_format("#,##0.00")
                .set_align(FormatAlign::Right),
            amount_grouped_bold: bordered(Format::new())
                .set_num_format("#,##0.00")
                .set_bold()
                .set_align(FormatAlign::Right),
            note: font(Format::new()).set_align(FormatAlign::Left),
        }
    }
}

/// Display width of text: CJK and other wide characters count double.
pub fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 })
        .sum()
}

/// [`display_width`] of a cell as published, without copying its text.
fn cell_width(cell: &Cell) -> usize {
    match cell {
        Cell::Text(s) => display_width(s),
        Cell::Empty => 0,
        Cell::Amount(v) => amount_width(*v),
    }
}

/// The width of [`TwoDecimals`]' text for `v` (sign, whole digits, the
/// point and two decimals), counted from the rounded amount's digits
/// rather than formatted: the writer sizes every amount column by it.
///
/// [`TwoDecimals`]: crate::model::TwoDecimals
fn amount_width(v: rust_decimal::Decimal) -> usize {
    let rounded = crate::model::round_half_away(v, 2);
    let whole = rounded.mantissa().unsigned_abs() / 10u128.pow(rounded.scale());
    let digits = whole.checked_ilog10().map_or(1, |d| d as usize + 1);
    usize::from(rounded.is_sign_negative()) + digits + 3
}

/// Builds the workbook for `tables` and returns its bytes. `year` fixes the
/// document's creation date so output is byte-for-byte deterministic.
///
/// # Errors
/// [`Error::Write`] when rust_xlsxwriter rejects the content (for example a
/// duplicate sheet name); `path` names the intended output in the message.
pub fn workbook_bytes(tables: &[Table], year: i32, path: &Path) -> Result<Vec<u8>, Error> {
    build(tables, year).map_err(|e| Error::Write {
        path: path.to_path_buf(),
        detail: e.to_string(),
    })
}

/// Writes `tables` to `path` atomically.
///
/// # Errors
/// [`Error::Write`] or [`Error::Io`], naming `path`.
pub fn write_tables(tables: &[Table], year: i32, path: &Path) -> Result<(), Error> {
    let bytes = workbook_bytes(tables, year, path)?;
    super::write_atomic(path, &bytes)
}

/// A workbook whose properties carry a fixed creation date (1 January of
/// `year`), so output is byte-for-byte deterministic.
pub(super) fn new_workbook(year: i32) -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    // Level 1 deflates several times faster than the default 6; publication
    // workbooks are tens of kilobytes either way.
    wb.set_zip_compression_level(1);
    let y = u16::try_from(year.clamp(1900, 9999)).unwrap_or(2000);
    let created = ExcelDateTime::from_ymd(y, 1, 1)?;
    wb.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&created)
            .set_author("budgetkit"),
    );
    Ok(wb)
}

fn build(tables: &[Table], year: i32) -> Result<Vec<u8>, XlsxError> {
    tables_workbook(tables, year)?.save_to_buffer()
}

/// The workbook of `tables`, one sheet each, not yet saved (the charts
/// add a sheet to it).
pub(super) fn tables_workbook(tables: &[Table], year: i32) -> Result<Workbook, XlsxError> {
    let cells = tables
        .iter()
        .map(|t| t.rows.len().saturating_mul(t.width))
        .fold(0, usize::saturating_add);
    tables_workbook_in(tables, year, lanes_for(cells, PARALLEL_CELLS))
}

/// Cells of a workbook from which its sheets are built on every core: a
/// large department's (123,016 cells) gain; a sample-sized workbook's
/// (~1,300) export is slower with a second thread.
const PARALLEL_CELLS: usize = 20_000;

/// [`tables_workbook`] with its sheets built on `lanes` threads; each
/// sheet is built apart and the workbook takes them in table order (the
/// same bytes as building them in place).
fn tables_workbook_in(tables: &[Table], year: i32, lanes: usize) -> Result<Workbook, XlsxError> {
    let mut wb = new_workbook(year)?;
    let f = Formats::new();
    let sheet = |table: &Table| -> Result<Worksheet, XlsxError> {
        let mut ws = Worksheet::new();
        ws.set_name(&table.sheet)?;
        write_table(&mut ws, table, &f)?;
        Ok(ws)
    };
    for ws in in_lanes(tables, lanes, &sheet)? {
        wb.push_worksheet(ws);
    }
    Ok(wb)
}

/// The sheet row of the `部门名称` line, if the table has that line.
pub(super) fn department_row(t: &Table) -> Option<u32> {
    let r = u32::from(t.caption.is_some()) + 1 + u32::from(t.subtitle.is_some());
    (t.department.is_some() || t.unit.is_some()).then_some(r)
}

/// The sheet row of the first body row, as [`write_table`] lays it out.
pub(super) fn body_top(t: &Table) -> u32 {
    let lines = u32::from(t.caption.is_some())
        + 1
        + u32::from(t.subtitle.is_some())
        + u32::from(t.department.is_some() || t.unit.is_some());
    lines + u32::try_from(t.header_rows).unwrap_or(0) + u32::from(t.numbering)
}

/// Writes one table in the published layout.
pub(super) fn write_table(ws: &mut Worksheet, t: &Table, f: &Formats) -> Result<(), XlsxError> {
    let width = t.width.max(1);
    let last_col = u16::try_from(width - 1).unwrap_or(0);
    let mut r: u32 = 0;
    if let Some(caption) = &t.caption {
        ws.write_string_with_format(r, 0, caption, &f.caption)?;
        r += 1;
    }
    merge_or_write(ws, r, 0, r, last_col, &t.title, &f.title)?;
    ws.set_row_height(r, 30)?;
    r += 1;
    if let Some(sub) = &t.subtitle {
        merge_or_write(ws, r, 0, r, last_col, sub, &f.subtitle)?;
        r += 1;
    }
    if t.department.is_some() || t.unit.is_some() {
        let dept_last = last_col.saturating_sub(1);
        if let Some(d) = &t.department {
            merge_or_write(ws, r, 0, r, dept_last, d, &f.left)?;
        }
        if let Some(u) = &t.unit {
            ws.write_string_with_format(r, last_col, u, &f.right)?;
        }
        r += 1;
    }
    let header_top = r;
    // Header cells that are not merged are written unformatted, then
    // formatted a run at a time (one hash of the format per run, not per
    // cell); the header format is the only one used here, so it is first
    // seen at the same point.
    let mut singles = Vec::new();
    for h in &t.header {
        let (r1, c1, r2, c2) = place(header_top, h.at);
        let text = clip_text(&h.text);
        if (r1, c1) == (r2, c2) {
            ws.write_string(r1, c1, text)?;
            singles.push((r1, c1));
        } else {
            ws.merge_range(r1, c1, r2, c2, &text, &f.header)?;
        }
    }
    r += u32::try_from(t.header_rows).unwrap_or(0);
    if t.numbering {
        for c in 0..width {
            let col = u16::try_from(c).unwrap_or(0);
            ws.write_string(r, col, (c + 1).to_string())?;
            singles.push((r, col));
        }
        r += 1;
    }
    format_cells(ws, &mut singles, &f.header)?;
    if t.header_rows > 0 {
        ws.set_repeat_rows(header_top, r - 1)?;
        ws.set_freeze_panes(r, 0)?;
    }
    let body_top = r;
    debug_assert_eq!(body_top, self::body_top(t));
    write_body(ws, t, body_top, f)?;
    r = body_top + u32::try_from(t.rows.len()).unwrap_or(0);
    if let Some(note) = &t.note {
        ws.write_string_with_format(r, 0, note, &f.note)?;
    }
    set_widths(ws, t)?;
    ws.set_paper_size(9);
    if width > 6 {
        ws.set_landscape();
    }
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_center_horizontally(true);
    Ok(())
}

/// Writes the body of `t` from sheet row `body_top`: the values unformatted,
/// then the formats ([`format_body`]), then the body merges, which write
/// their own cells.
pub(super) fn write_body(
    ws: &mut Worksheet,
    t: &Table,
    body_top: u32,
    f: &Formats,
) -> Result<(), XlsxError> {
    let cells = BodyCells::new(t, f);
    for (i, row) in t.rows.iter().enumerate() {
        let rr = body_top + u32::try_from(i).unwrap_or(0);
        write_body_values(ws, rr, i, row, &cells)?;
        if row.style == RowStyle::Prose {
            let lines = prose_lines(t, i, row) as f64;
            ws.set_row_height(rr, 14.0 * lines + 4.0)?;
        }
    }
    format_body(ws, body_top, &cells)?;
    for m in t.body_merges.iter().filter(|m| is_merge(m)) {
        let (r1, c1, r2, c2) = place(body_top, *m);
        let cell = t
            .rows
            .get(m.row)
            .and_then(|rw| rw.cells.get(m.col))
            .unwrap_or(&Cell::Empty);
        let fmt = cells.merge_format(t, m, f);
        // merge_range writes its text into the first cell with the format:
        // only an amount is written again.
        match cell {
            Cell::Text(s) => {
                ws.merge_range(r1, c1, r2, c2, &clip_text(s), fmt)?;
            }
            Cell::Empty => {
                ws.merge_range(r1, c1, r2, c2, "", fmt)?;
            }
            Cell::Amount(v) => {
                ws.merge_range(r1, c1, r2, c2, "", fmt)?;
                ws.write_number_with_format(r1, c1, written(*v), fmt)?;
            }
        }
    }
    Ok(())
}

fn place(top: u32, m: Merge) -> (u32, u16, u32, u16) {
    let to_row = |x: usize| top + u32::try_from(x).unwrap_or(0);
    let to_col = |x: usize| u16::try_from(x).unwrap_or(0);
    (
        to_row(m.row),
        to_col(m.col),
        to_row(m.last_row),
        to_col(m.last_col),
    )
}

fn merge_or_write(
    ws: &mut Worksheet,
    r1: u32,
    c1: u16,
    r2: u32,
    c2: u16,
    text: &str,
    fmt: &Format,
) -> Result<(), XlsxError> {
    let text = clip_text(text);
    if (r1, c1) == (r2, c2) {
        ws.write_string_with_format(r1, c1, text, fmt)?;
    } else {
        ws.merge_range(r1, c1, r2, c2, &text, fmt)?;
    }
    Ok(())
}

/// How a body cell is written: its row's style, unless it is a form label.
#[derive(Clone, Copy)]
pub(super) struct Look {
    style: RowStyle,
    label: bool,
    thousands: bool,
}

impl Look {
    /// The look of a body cell of `t` in a row of `style`; `label` for a
    /// form label cell.
    pub(super) fn of(t: &Table, style: RowStyle, label: bool) -> Look {
        Look {
            style,
            label,
            thousands: t.thousands,
        }
    }
}

/// Lines a prose row needs. With fixed column widths, each cell's text is
/// measured against the width of the columns its merge spans; otherwise
/// against 60 characters.
pub(super) fn prose_lines(t: &Table, ri: usize, row: &crate::views::Row) -> usize {
    let span_width = |c: usize| -> f64 {
        if t.col_widths.is_empty() {
            return 60.0;
        }
        let last = t
            .body_merges
            .iter()
            .find(|m| m.row == ri && m.col == c)
            .map_or(c, |m| m.last_col);
        let w: f64 = (c..=last).filter_map(|k| t.col_widths.get(k)).sum();
        (w - 2.0).max(4.0)
    };
    let lines = row
        .cells
        .iter()
        .enumerate()
        .map(|(c, cell)| {
            let chars = cell_width(cell) as f64;
            (chars / span_width(c)).floor() as usize + 1
        })
        .max()
        .unwrap_or(1);
    lines.min(if t.col_widths.is_empty() { 20 } else { 28 })
}

pub(super) fn body_format<'a>(cell: &Cell, look: Look, f: &'a Formats) -> &'a Format {
    if look.label {
        return &f.header;
    }
    let style = look.style;
    let bold = matches!(style, RowStyle::Total | RowStyle::Group);
    match (cell, style) {
        (Cell::Amount(_), _) if bold && look.thousands => &f.amount_grouped_bold,
        (Cell::Amount(_), _) if look.thousands => &f.amount_grouped,
        (Cell::Amount(_), _) if bold => &f.amount_bold,
        (Cell::Amount(_), _) => &f.amount,
        (_, RowStyle::Prose) => &f.prose,
        _ if bold => &f.text_bold,
        _ => &f.text,
    }
}

/// Writes the values of body row `i` at sheet row `rr`, unformatted: the
/// formats follow by [`format_body`]. Cells a body merge covers are left
/// to `merge_range`, which writes each of them itself.
fn write_body_values(
    ws: &mut Worksheet,
    rr: u32,
    i: usize,
    row: &crate::views::Row,
    cells: &BodyCells<'_>,
) -> Result<(), XlsxError> {
    for (c, cell) in row.cells.iter().enumerate() {
        if cells.format(i, c).is_none() {
            break;
        }
        if cells.is_merged(i, c) {
            continue;
        }
        let col = u16::try_from(c).unwrap_or(0);
        match cell {
            Cell::Empty => {}
            // Always text: a submission's "=…" stays a string, never a formula.
            Cell::Text(s) => {
                ws.write_string(rr, col, clip_text(s))?;
            }
            Cell::Amount(v) => {
                ws.write_number(rr, col, written(*v))?;
            }
        }
    }
    Ok(())
}

/// An amount as written: rounded to the cent, as a float.
fn written(v: rust_decimal::Decimal) -> f64 {
    crate::model::round_half_away(v, 2).to_f64().unwrap_or(0.0)
}

fn set_widths(ws: &mut Worksheet, t: &Table) -> Result<(), XlsxError> {
    if !t.col_widths.is_empty() {
        for (c, w) in t.col_widths.iter().enumerate() {
            ws.set_column_width(u16::try_from(c).unwrap_or(0), *w)?;
        }
        return Ok(());
    }
    let mut widths = vec![4usize; t.width];
    let merged_body: Vec<(usize, usize)> = t
        .body_merges
        .iter()
        .filter(|m| m.col != m.last_col)
        .map(|m| (m.row, m.col))
        .collect();
    for h in &t.header {
        if h.at.col == h.at.last_col {
            if let Some(w) = widths.get_mut(h.at.col) {
                *w = (*w).max(display_width(&h.text).min(24));
            }
        }
    }
    for (ri, row) in t.rows.iter().enumerate() {
        if row.style == RowStyle::Prose {
            continue;
        }
        for (c, cell) in row.cells.iter().enumerate() {
            if merged_body.contains(&(ri, c)) {
                continue;
            }
            if let Some(w) = widths.get_mut(c) {
                *w = (*w).max(cell_width(cell));
            }
        }
    }
    for (c, w) in widths.iter().enumerate() {
        let mut width = (*w as f64 + 2.0).min(MAX_WIDTH);
        if t.amount_columns.get(c).copied().unwrap_or(false) {
            width = width.max(MIN_AMOUNT_WIDTH);
        }
        ws.set_column_width(u16::try_from(c).unwrap_or(0), width)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    /// Sheets built apart, on any number of threads, give the bytes of
    /// sheets built in place in the workbook (`add_worksheet`, whose
    /// defaults `Worksheet::new` must share).
    #[test]
    fn sheets_built_apart_are_the_sheets_built_in_place() {
        let template = crate::spec::Template::load("sx-2025").expect("template");
        let sample = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/samples/shuozhou-investment-2025.xlsx"
        );
        let budget = crate::read::read_path(std::path::Path::new(sample), &template)
            .expect("sample")
            .budget;
        let mut tables = crate::views::standard_tables(&budget, &template);
        tables.extend(crate::views::performance_tables(&budget, &template));
        let in_place = || -> Result<Vec<u8>, XlsxError> {
            let mut wb = new_workbook(budget.year)?;
            let f = Formats::new();
            for table in &tables {
                let ws = wb.add_worksheet();
                ws.set_name(&table.sheet)?;
                write_table(ws, table, &f)?;
            }
            wb.save_to_buffer()
        };
        let want = in_place().expect("in place");
        for lanes in [1, 2, 3] {
            let got = tables_workbook_in(&tables, budget.year, lanes)
                .and_then(|mut wb| wb.save_to_buffer())
                .expect("apart");
            assert!(
                got == want,
                "{lanes} lanes: {} vs {} bytes",
                got.len(),
                want.len()
            );
        }
    }

    /// The width an amount is sized by is the width of the text the table
    /// shows for it (rounded half away from zero, two decimals, sign).
    #[test]
    fn amount_width_is_the_width_of_its_text() {
        for s in [
            "0",
            "-0",
            "0.00",
            "-0.004",
            "-0.005",
            "0.005",
            "2.345",
            "7",
            "-7",
            "10",
            "9.995",
            "-9.995",
            "-1234567.891",
            "99.995",
            "1e-9",
            "-1e-9",
            "31214205.8",
            "79228162514264337593543950335",
            "-79228162514264337593543950335",
            "7922816251426433759354395033.5",
            "0.0000000000000000000000000001",
        ] {
            let v: Decimal = s
                .parse()
                .or_else(|_| Decimal::from_scientific(s))
                .unwrap_or_default();
            let cell = Cell::Amount(v);
            assert_eq!(cell_width(&cell), display_width(&cell.display()), "{s}");
        }
        assert_eq!(cell_width(&Cell::Amount(Decimal::new(-12345, 1))), 8); // -1234.50
    }
}
