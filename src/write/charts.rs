//! The charts of the standard workbook: native Excel pies on one sheet
//! [`CHART_SHEET`] after the tables, each series referring to its table's
//! own cells (editing the table redraws the chart).
//!
//! One sheet of its own, not beside the tables: the tables keep their
//! print layout (fit to the page width, repeated header rows) untouched,
//! and the charts print together on one A4 page.

use super::chart_caches::fill_caches;
use super::chart_data::{ChartData, SheetCell};
use super::xlsx::tables_workbook;
use crate::error::Error;
use crate::views::Table;
use rust_xlsxwriter::{
    worksheet_range_absolute, Chart, ChartDataLabel, ChartDataLabelPosition, ChartFont,
    ChartLegendPosition, ChartRange, Format, Workbook, XlsxError,
};
use std::path::Path;

/// The sheet the charts are drawn on, after the tables.
pub const CHART_SHEET: &str = "图表";

/// Chart size in pixels (fits A4 portrait within the default margins).
const WIDTH: u32 = 620;
const HEIGHT: u32 = 360;
/// Sheet rows a chart and the gap under it take (default rows are 20 px).
const ROWS_PER_CHART: u32 = HEIGHT / 20 + 2;
/// Columns the charts span (default columns are 64 px), for the print area.
const COLUMNS: u16 = (WIDTH / 64 + 2) as u16;

/// Builds the workbook of `tables` with `charts` on [`CHART_SHEET`]
/// (no such sheet when no chart has data, or a table is on a sheet of
/// that name) and returns its bytes; `year` fixes the
/// creation date as in [`super::workbook_bytes`].
///
/// # Errors
/// [`Error::Write`] naming `path` when rust_xlsxwriter rejects the content.
pub fn charted_workbook_bytes(
    tables: &[Table],
    charts: &[ChartData],
    year: i32,
    path: &Path,
) -> Result<Vec<u8>, Error> {
    let build = || -> Result<Vec<u8>, XlsxError> {
        let mut wb = tables_workbook(tables, year)?;
        // A template with a sheet of that name keeps it; no charts then.
        if tables.iter().all(|t| t.sheet != CHART_SHEET) {
            add_chart_sheet(&mut wb, charts)?;
        }
        wb.save_to_buffer()
    };
    let fail = |detail: String| Error::Write {
        path: path.to_path_buf(),
        detail,
    };
    let bytes = build().map_err(|e| fail(e.to_string()))?;
    let unions: Vec<(&ChartData, String, String)> = charts
        .iter()
        .filter(|c| !c.points.is_empty())
        .map(|c| {
            let (labels, values) = cells(c);
            (c, union(&c.sheet, &labels), union(&c.sheet, &values))
        })
        .collect();
    fill_caches(bytes, &unions).map_err(|e| fail(e.to_string()))
}

/// The cells of a chart's labels and of its values.
fn cells(data: &ChartData) -> (Vec<SheetCell>, Vec<SheetCell>) {
    data.points.iter().map(|p| (p.label_at, p.value_at)).unzip()
}

/// Writes `tables` and their `charts` to `path` atomically.
///
/// # Errors
/// [`Error::Write`] or [`Error::Io`], naming `path`.
pub fn write_charted(
    tables: &[Table],
    charts: &[ChartData],
    year: i32,
    path: &Path,
) -> Result<(), Error> {
    let bytes = charted_workbook_bytes(tables, charts, year, path)?;
    super::write_atomic(path, &bytes)
}

/// Adds [`CHART_SHEET`]: each chart with data, one under the other; in
/// place of a chart without data, a line saying why it is not drawn.
fn add_chart_sheet(wb: &mut Workbook, charts: &[ChartData]) -> Result<(), XlsxError> {
    if charts.iter().all(|c| c.points.is_empty()) {
        return Ok(());
    }
    let note = Format::new().set_font_name("宋体").set_font_size(10);
    let ws = wb.add_worksheet();
    ws.set_name(CHART_SHEET)?;
    let mut row = 1;
    for chart in charts {
        if chart.points.is_empty() {
            let line = format!("{}：{}", chart.kind.title(), chart.kind.without_data());
            ws.write_string_with_format(row, 1, line, &note)?;
            row += 2;
        } else {
            ws.insert_chart(row, 1, &pie(chart))?;
            row += ROWS_PER_CHART;
        }
    }
    ws.set_paper_size(9);
    ws.set_print_area(0, 0, row, COLUMNS)?;
    ws.set_print_fit_to_pages(1, 1);
    ws.set_print_center_horizontally(true);
    Ok(())
}

/// A pie of one chart's points: categories and values on the table's
/// cells, percentage labels (two decimals, as the narrative writes them).
fn pie(data: &ChartData) -> Chart {
    let font = ChartFont::new().set_name("宋体").clone();
    let mut chart = Chart::new_pie();
    chart
        .title()
        .set_name(data.kind.title())
        .set_font(font.clone().set_size(14).set_bold());
    let (labels, values) = cells(data);
    let mut label = ChartDataLabel::new();
    label
        .show_percentage()
        .show_leader_lines()
        // Zero slices get no label (the empty third section).
        .set_num_format("0.00%;-0.00%;;")
        .set_position(ChartDataLabelPosition::BestFit)
        .set_font(font.clone().set_size(10));
    chart
        .add_series()
        .set_name(data.kind.title())
        .set_categories(&cells_range(&data.sheet, &labels))
        .set_values(&cells_range(&data.sheet, &values))
        .set_data_label(&label);
    chart
        .legend()
        .set_position(ChartLegendPosition::Right)
        .set_font(font.clone().set_size(10));
    chart.set_width(WIDTH).set_height(HEIGHT);
    chart.set_alt_text(alt_text(data));
    chart
}

/// The chart in words, for screen readers: each slice and its amount.
fn alt_text(data: &ChartData) -> String {
    let parts: Vec<String> = data
        .points
        .iter()
        .map(|p| format!("{}{}", p.label, p.value))
        .collect();
    let unit = data.unit.as_deref().unwrap_or_default();
    format!("{}（{unit}）：{}", data.kind.title(), parts.join("，"))
}

/// The cells as one chart range: a plain range when they are one run of a
/// row or column (its cached values filled in by rust_xlsxwriter), else
/// their [`union`], read from the cells by Excel and LibreOffice (the
/// caches are filled in after, [`fill_caches`]).
fn cells_range(sheet: &str, cells: &[SheetCell]) -> ChartRange {
    if let [(first, last)] = runs(cells).as_slice() {
        return ChartRange::new_from_range(sheet, first.0, first.1, last.0, last.1);
    }
    ChartRange::new_from_string(&format!("={}", union(sheet, cells)))
}

/// The union of single cells `('表'!$C$7,'表'!$C$13)`. (Single cells:
/// LibreOffice takes each run of a row in a union for one point.)
fn union(sheet: &str, cells: &[SheetCell]) -> String {
    let parts: Vec<String> = cells
        .iter()
        .map(|&(r, c)| worksheet_range_absolute(sheet, r, c, r, c))
        .collect();
    format!("({})", parts.join(","))
}

/// Consecutive cells of one column (or one row) merged into (first, last)
/// runs, in order.
fn runs(cells: &[SheetCell]) -> Vec<(SheetCell, SheetCell)> {
    let mut out: Vec<(SheetCell, SheetCell)> = Vec::new();
    for &cell in cells {
        if let Some((first, last)) = out.last_mut() {
            let down =
                first.1 == cell.1 && last.1 == cell.1 && last.0.checked_add(1) == Some(cell.0);
            let right =
                first.0 == cell.0 && last.0 == cell.0 && last.1.checked_add(1) == Some(cell.1);
            if down || right {
                *last = cell;
                continue;
            }
        }
        out.push((cell, cell));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consecutive_cells_make_one_run_and_gaps_split_it() {
        assert_eq!(runs(&[(6, 2), (7, 2), (8, 2)]), vec![((6, 2), (8, 2))]);
        assert_eq!(
            runs(&[(6, 2), (12, 2), (13, 2)]),
            vec![((6, 2), (6, 2)), ((12, 2), (13, 2))]
        );
        assert_eq!(
            runs(&[(5, 1), (5, 2), (5, 4), (5, 5)]),
            vec![((5, 1), (5, 2)), ((5, 4), (5, 5))]
        );
    }
}
