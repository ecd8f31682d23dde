//! Rewriting a workbook as read (its [`Sheet`]s: cells and merges) to
//! .xlsx — rust_xlsxwriter cannot modify a file, so the input is
//! regenerated. With findings, every cell a finding names is highlighted
//! and carries the finding as a note, and a first sheet 审核结果 lists the
//! findings with links to their cells.
//!
//! Text is always written as text (`write_string`), numbers as numbers.
//! Cell styles of the input (fonts, borders, widths) are not carried over;
//! column widths are recomputed from the content.

use super::xlsx::display_width;
use crate::error::Error;
use crate::findings::{Finding, Severity};
use crate::read::{parse_a1, Sheet};
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Note, Url, Workbook,
    Worksheet, XlsxError,
};
use std::collections::BTreeMap;
use std::path::Path;

/// Name of the findings sheet.
pub const FINDINGS_SHEET: &str = "审核结果";

/// Widest a rewritten column gets, in character units.
const MAX_WIDTH: f64 = 40.0;
/// Display width of the 说明 column of 审核结果, in character units.
const MESSAGE_WIDTH: usize = 68;
/// Longest note text kept (Excel's limit is about 32k).
const MAX_NOTE_CHARS: usize = 8000;

/// Splits `SHEET!A1` into the sheet name and the 0-based position.
pub fn split_reference(reference: &str) -> Option<(&str, u32, u32)> {
    let (sheet, cell) = reference.rsplit_once('!')?;
    let sheet = sheet
        .strip_prefix('\'')
        .and_then(|s| s.strip_suffix('\''))
        .unwrap_or(sheet);
    let (row, col) = parse_a1(cell)?;
    Some((sheet, row, col))
}

/// The workbook as read, regenerated: same sheets, cells and merges.
///
/// # Errors
/// [`Error::Write`] naming `path` when rust_xlsxwriter rejects a sheet
/// (for example a name Excel does not allow).
pub fn sheets_bytes(sheets: &[Sheet], path: &Path) -> Result<Vec<u8>, Error> {
    annotated_bytes(sheets, &[], None, path)
}

/// The workbook as read with the findings marked: flagged cells filled
/// (red for errors, yellow for warnings) with the findings as notes, and
/// — when `header` is given — a first sheet 审核结果 that starts with the
/// header lines and lists every finding with links to its cells.
///
/// # Errors
/// [`Error::Write`] naming `path` when rust_xlsxwriter rejects the content.
pub fn annotated_bytes(
    sheets: &[Sheet],
    findings: &[Finding],
    header: Option<&[String]>,
    path: &Path,
) -> Result<Vec<u8>, Error> {
    build(sheets, findings, header).map_err(|e| Error::Write {
        path: path.to_path_buf(),
        detail: e.to_string(),
    })
}

/// Writes [`annotated_bytes`] to `path` atomically.
///
/// # Errors
/// [`Error::Write`] or [`Error::Io`], naming `path`.
pub fn write_annotated(
    sheets: &[Sheet],
    findings: &[Finding],
    header: &[String],
    path: &Path,
) -> Result<(), Error> {
    let bytes = annotated_bytes(sheets, findings, Some(header), path)?;
    super::write_atomic(path, &bytes)
}

/// The findings naming each cell, by (sheet name, row, col).
type Marks<'f> = BTreeMap<(String, u32, u32), Vec<&'f Finding>>;

fn marks(findings: &[Finding]) -> Marks<'_> {
    let mut out: Marks<'_> = BTreeMap::new();
    for f in findings {
        for cell in &f.cells {
            if let Some((sheet, row, col)) = split_reference(cell) {
                let list = out.entry((sheet.to_string(), row, col)).or_default();
                if !list.iter().any(|g| std::ptr::eq(*g, f)) {
                    list.push(f);
                }
            }
        }
    }
    out
}

struct Formats {
    error: Format,
    warning: Format,
    bold: Format,
    title: Format,
    wrap: Format,
    top: Format,
}

impl Formats {
    fn new() -> Formats {
        let mark = |fill: u32, font: u32| {
            Format::new()
                .set_background_color(Color::RGB(fill))
                .set_font_color(Color::RGB(font))
                .set_border(FormatBorder::Medium)
                .set_border_color(Color::RGB(font))
        };
        Formats {
            error: mark(0xFFC7CE, 0x9C0006),
            warning: mark(0xFFEB9C, 0x9C5700),
            bold: Format::new().set_bold(),
            title: Format::new().set_bold().set_font_size(14),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            top: Format::new().set_align(FormatAlign::Top),
        }
    }

    fn mark(&self, list: &[&Finding]) -> &Format {
        if list.iter().any(|f| f.severity == Severity::Error) {
            &self.error
        } else {
            &self.warning
        }
    }
}

fn build(
    sheets: &[Sheet],
    findings: &[Finding],
    header: Option<&[String]>,
) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?)
            .set_author("budgetkit"),
    );
    let f = Formats::new();
    let marks = marks(findings);
    if let Some(header) = header {
        let name = free_name(sheets);
        let ws = wb.add_worksheet();
        ws.set_name(&name)?;
        write_findings(ws, findings, header, sheets, &f)?;
    }
    for (i, sheet) in sheets.iter().enumerate() {
        let ws = wb.add_worksheet();
        ws.set_name(&sheet.name)?;
        write_sheet(ws, sheet, &marks, &f)?;
        if sheet.hidden && (i > 0 || header.is_some()) {
            ws.set_hidden(true);
        }
    }
    wb.save_to_buffer()
}

/// 审核结果, or 审核结果2 … when the input already has such a sheet.
fn free_name(sheets: &[Sheet]) -> String {
    let taken = |n: &str| sheets.iter().any(|s| s.name == n);
    let mut name = FINDINGS_SHEET.to_string();
    let mut i = 2;
    while taken(&name) {
        name = format!("{FINDINGS_SHEET}{i}");
        i += 1;
    }
    name
}

fn to_col(c: u32) -> Option<u16> {
    u16::try_from(c).ok()
}

fn note_text(list: &[&Finding]) -> String {
    let text: Vec<String> = list
        .iter()
        .map(|f| format!("[{}] {} {}", f.severity.label(), f.rule, f.message))
        .collect();
    text.join("\n").chars().take(MAX_NOTE_CHARS).collect()
}

fn write_sheet(
    ws: &mut Worksheet,
    sheet: &Sheet,
    marks: &Marks<'_>,
    f: &Formats,
) -> Result<(), XlsxError> {
    let mark_of = |row: u32, col: u32| marks.get(&(sheet.name.clone(), row, col));
    for m in sheet.merges() {
        let (Some(c1), Some(c2)) = (to_col(m.col), to_col(m.last_col)) else {
            continue;
        };
        if (m.row, m.col) == (m.last_row, m.last_col) {
            continue;
        }
        let fmt = mark_of(m.row, m.col).map_or_else(Format::new, |l| f.mark(l).clone());
        // Overlapping merges in a damaged file are skipped, not fatal.
        let _ = ws.merge_range(m.row, c1, m.last_row, c2, "", &fmt);
    }
    let mut widths: BTreeMap<u16, usize> = BTreeMap::new();
    for ((row, col), cell) in sheet.cells() {
        let Some(c) = to_col(col) else { continue };
        let number = if cell.numeric {
            cell.text.parse::<f64>().ok().filter(|v| v.is_finite())
        } else {
            None
        };
        match (number, mark_of(row, col)) {
            (Some(v), Some(l)) => ws.write_number_with_format(row, c, v, f.mark(l))?,
            (Some(v), None) => ws.write_number(row, c, v)?,
            (None, Some(l)) => ws.write_string_with_format(row, c, &cell.text, f.mark(l))?,
            (None, None) => ws.write_string(row, c, &cell.text)?,
        };
        let spans_columns = sheet.merge_at(row, col).is_some_and(|m| m.last_col > m.col);
        if !spans_columns {
            let w = widths.entry(c).or_default();
            *w = (*w).max(display_width(&cell.text));
        }
    }
    for ((name, row, col), list) in marks {
        if *name != sheet.name {
            continue;
        }
        let Some(c) = to_col(*col) else { continue };
        if sheet.cell(*row, *col).is_none() && sheet.merge_at(*row, *col).is_none() {
            ws.write_blank(*row, c, f.mark(list))?;
        }
        let note = Note::new(note_text(list))
            .set_author("budgetkit")
            .add_author_prefix(false)
            .set_width(360)
            .set_height(120);
        ws.insert_note(*row, c, &note)?;
    }
    let columns = widths.len();
    for (c, w) in widths {
        ws.set_column_width(c, (w as f64 + 2.0).clamp(6.0, MAX_WIDTH))?;
    }
    ws.set_paper_size(9);
    if columns > 6 {
        ws.set_landscape();
    }
    ws.set_print_fit_to_pages(1, 0);
    Ok(())
}

/// A link to a cell of the rewritten workbook, if it names one of its
/// sheets.
fn link(reference: &str, sheets: &[Sheet]) -> Option<Url> {
    let (sheet, row, col) = split_reference(reference)?;
    sheets.iter().find(|s| s.name == sheet)?;
    let target = format!(
        "internal:'{}'!{}",
        sheet.replace('\'', "''"),
        crate::read::a1(row, col)
    );
    Some(Url::new(target).set_text(reference))
}

fn write_findings(
    ws: &mut Worksheet,
    findings: &[Finding],
    header: &[String],
    sheets: &[Sheet],
    f: &Formats,
) -> Result<(), XlsxError> {
    let mut r: u32 = 0;
    ws.write_string_with_format(r, 0, FINDINGS_SHEET, &f.title)?;
    for line in header {
        r += 1;
        ws.write_string(r, 0, line)?;
    }
    r += 2;
    let heads = [
        "序号",
        "级别",
        "规则",
        "说明",
        "应为",
        "实为",
        "单元格（点击跳转）",
    ];
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(r, to_col(c as u32).unwrap_or(0), *h, &f.bold)?;
    }
    ws.set_freeze_panes(r + 1, 0)?;
    for (i, finding) in findings.iter().enumerate() {
        r += 1;
        let rows = u32::try_from(finding.cells.len().max(1)).unwrap_or(1);
        let last = r + rows - 1;
        let level = if finding.severity == Severity::Error {
            &f.error
        } else {
            &f.warning
        };
        let level = level.clone().set_align(FormatAlign::Top);
        let texts = [
            (1u16, finding.severity.label(), &level),
            (2, finding.rule.as_str(), &f.top),
            (3, finding.message.as_str(), &f.wrap),
            (4, finding.expected.as_deref().unwrap_or(""), &f.top),
            (5, finding.found.as_deref().unwrap_or(""), &f.top),
        ];
        // A finding spans one row per cell it names; its other columns are
        // merged over those rows.
        if rows > 1 {
            ws.merge_range(r, 0, last, 0, "", &f.top)?;
            for (c, text, fmt) in texts {
                ws.merge_range(r, c, last, c, text, fmt)?;
            }
        } else {
            for (c, text, fmt) in texts {
                ws.write_string_with_format(r, c, text, fmt)?;
            }
        }
        ws.write_number_with_format(r, 0, (i + 1) as f64, &f.top)?;
        let lines = u32::try_from(display_width(&finding.message) / MESSAGE_WIDTH + 1).unwrap_or(1);
        if lines > rows {
            let height = f64::from(15 * lines) / f64::from(rows) + 1.0;
            for row in r..=last {
                ws.set_row_height(row, height)?;
            }
        }
        for (j, cell) in finding.cells.iter().enumerate() {
            let row = r + u32::try_from(j).unwrap_or(0);
            match link(cell, sheets) {
                Some(url) => ws.write_url(row, 6, url)?,
                None => ws.write_string(row, 6, cell)?,
            };
        }
        r = last;
    }
    if findings.is_empty() {
        ws.write_string(r + 1, 0, "未发现问题。")?;
    }
    for (c, w) in [
        (0u16, 6.0),
        (1, 8.0),
        (2, 22.0),
        (3, MESSAGE_WIDTH as f64 + 2.0),
        (4, 12.0),
        (5, 12.0),
        (6, 24.0),
    ] {
        ws.set_column_width(c, w)?;
    }
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_split_into_sheet_and_position() {
        assert_eq!(
            split_reference("预算公开表3!C9"),
            Some(("预算公开表3", 8, 2))
        );
        assert_eq!(split_reference("'a!b'!A1"), Some(("a!b", 0, 0)));
        assert_eq!(split_reference("C9"), None);
    }

    #[test]
    fn the_findings_sheet_does_not_take_an_existing_name() {
        let sheets = vec![Sheet::new(FINDINGS_SHEET, false)];
        assert_eq!(free_name(&sheets), format!("{FINDINGS_SHEET}2"));
    }
}
