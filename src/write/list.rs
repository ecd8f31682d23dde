//! List sheets: a title, one header row and typed rows — what the batch
//! report is made of — written to be worked through on screen and on
//! paper: counts and amounts as numbers, text wrapped in fixed-width
//! columns with row heights to match, the header repeated on every page,
//! a filter on the header, landscape A4 fitted to the page width.

use super::limits::clip_text;
use super::xlsx::display_width;
use crate::error::Error;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Worksheet, XlsxError};
use std::path::Path;

/// One cell of a list.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// Nothing.
    Empty,
    /// Text (always text, never a formula).
    Text(String),
    /// A count, written as a whole number.
    Count(u64),
    /// An amount in 万元, written as a number with two decimals.
    Amount(Decimal),
}

impl Item {
    /// Text item.
    pub fn text(s: impl Into<String>) -> Item {
        Item::Text(s.into())
    }

    /// Count item.
    pub fn count(n: usize) -> Item {
        Item::Count(u64::try_from(n).unwrap_or(u64::MAX))
    }

    /// Amount item, or `Empty` for `None`.
    pub fn amount(v: Option<Decimal>) -> Item {
        v.map_or(Item::Empty, Item::Amount)
    }
}

/// A column: heading and width in character units (CJK characters count
/// two).
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Heading.
    pub heading: String,
    /// Width.
    pub width: f64,
}

impl Column {
    /// A column.
    pub fn new(heading: &str, width: f64) -> Column {
        Column {
            heading: heading.into(),
            width,
        }
    }
}

/// One sheet of a list workbook.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ListSheet {
    /// Sheet name.
    pub name: String,
    /// Title over the header.
    pub title: String,
    /// Columns.
    pub columns: Vec<Column>,
    /// Rows, one item per column.
    pub rows: Vec<Vec<Item>>,
}

/// Highest row Excel shows (409 points).
const MAX_ROW_HEIGHT: f64 = 409.0;
/// Height of one line of 10-point text.
const LINE_HEIGHT: f64 = 13.5;

struct Looks {
    title: Format,
    header: Format,
    text: Format,
    count: Format,
    amount: Format,
}

impl Looks {
    fn new() -> Looks {
        let cell = || {
            Format::new()
                .set_font_name("宋体")
                .set_font_size(10)
                .set_border(FormatBorder::Thin)
                .set_align(FormatAlign::Top)
        };
        Looks {
            title: Format::new()
                .set_font_name("宋体")
                .set_font_size(14)
                .set_bold(),
            header: cell()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color(0xF2F2F2),
            text: cell().set_text_wrap(),
            count: cell().set_num_format("0").set_align(FormatAlign::Right),
            amount: cell().set_num_format("0.00").set_align(FormatAlign::Right),
        }
    }
}

/// The workbook of `sheets`.
///
/// # Errors
/// rust_xlsxwriter's error when it refuses the content (e.g. a bad sheet
/// name; over-long text is cut, never refused).
pub fn list_bytes(sheets: &[ListSheet]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = super::xlsx::new_workbook(2000)?;
    let looks = Looks::new();
    for s in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(&s.name)?;
        write_sheet(ws, s, &looks)?;
    }
    wb.save_to_buffer()
}

/// Writes `sheets` to `path` atomically.
///
/// # Errors
/// [`Error::Write`] or [`Error::Io`], naming `path`.
pub fn write_lists(sheets: &[ListSheet], path: &Path) -> Result<(), Error> {
    let bytes = list_bytes(sheets).map_err(|e| Error::Write {
        path: path.to_path_buf(),
        detail: e.to_string(),
    })?;
    super::write_atomic(path, &bytes)
}

fn write_sheet(ws: &mut Worksheet, s: &ListSheet, looks: &Looks) -> Result<(), XlsxError> {
    let last_col = u16::try_from(s.columns.len().saturating_sub(1)).unwrap_or(u16::MAX);
    ws.write_string_with_format(0, 0, clip_text(&s.title), &looks.title)?;
    ws.set_row_height(0, 24)?;
    for (c, col) in (0u16..).zip(&s.columns) {
        ws.write_string_with_format(1, c, &col.heading, &looks.header)?;
        ws.set_column_width(c, col.width)?;
    }
    for (r, row) in (2u32..).zip(&s.rows) {
        if r > 1_048_575 {
            break;
        }
        for (c, item) in (0u16..).zip(row) {
            match item {
                Item::Empty => ws.write_blank(r, c, &looks.text)?,
                Item::Text(t) => ws.write_string_with_format(r, c, clip_text(t), &looks.text)?,
                Item::Count(n) => ws.write_number_with_format(r, c, *n as f64, &looks.count)?,
                Item::Amount(v) => {
                    let rounded = crate::model::round_half_away(*v, 2);
                    ws.write_number_with_format(
                        r,
                        c,
                        rounded.to_f64().unwrap_or(0.0),
                        &looks.amount,
                    )?
                }
            };
        }
        let lines = lines_needed(&s.columns, row);
        if lines > 1 {
            ws.set_row_height(r, (LINE_HEIGHT * lines as f64 + 2.0).min(MAX_ROW_HEIGHT))?;
        }
    }
    let last_row = u32::try_from(s.rows.len()).map_or(1_048_575, |n| (n + 1).min(1_048_575));
    ws.autofilter(1, 0, last_row, last_col)?;
    ws.set_freeze_panes(2, 0)?;
    ws.set_repeat_rows(1, 1)?;
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_center_horizontally(true);
    ws.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}

/// Lines the tallest wrapped cell of `row` needs in its column.
fn lines_needed(columns: &[Column], row: &[Item]) -> usize {
    columns
        .iter()
        .zip(row)
        .map(|(col, item)| match item {
            Item::Text(t) => {
                // A column of width w holds about 1.1 w units of 10-point text.
                let room = (col.width * 1.1).max(2.0);
                t.split('\n')
                    .map(|line| (display_width(line) as f64 / room).ceil().max(1.0) as usize)
                    .sum()
            }
            _ => 1,
        })
        .max()
        .unwrap_or(1)
}
