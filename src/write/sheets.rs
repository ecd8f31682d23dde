//! Rewriting a workbook as read (its [`Sheet`]s: cells and merges) as a
//! new .xlsx — for an input that has no .xlsx package of its own (an
//! .xls, a JSON model's rendering) and for test fixtures.
//!
//! Text is always written as text (`write_string`), numbers as numbers.
//! Cell styles of the input are not carried over; column widths are
//! recomputed from the content. What Excel would refuse is mended rather
//! than fatal: a sheet name Excel does not allow is renamed (the renames
//! are returned), text beyond a cell's 32,767 characters is cut, and
//! merged ranges are clipped to the used area of their sheet and bounded
//! in total (a merge over a whole sheet costs nothing).

use super::xlsx::display_width;
use crate::error::Error;
use crate::read::{parse_a1, Sheet};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// Widest a rewritten column gets, in character units.
const MAX_WIDTH: f64 = 40.0;
/// Most characters Excel keeps in a cell.
const MAX_CELL_CHARS: usize = 32_767;
/// Most cells all merged ranges of a rewritten workbook may cover
/// together (rust_xlsxwriter writes every covered cell); merges beyond
/// are left unmerged.
pub const MAX_MERGED_CELLS: u64 = 4_000_000;
/// Sheets renamed because Excel refuses their names: (as read, as written).
pub type Renames = Vec<(String, String)>;

/// Longest sheet name Excel allows.
const MAX_SHEET_NAME: usize = 31;

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
/// [`Error::Write`] naming `path` when rust_xlsxwriter rejects the content.
pub fn sheets_bytes(sheets: &[Sheet], path: &Path) -> Result<Vec<u8>, Error> {
    regenerated_bytes(sheets, path).map(|(bytes, _)| bytes)
}

/// As [`sheets_bytes`], with the sheets Excel would refuse the name of:
/// (name as read, name written).
///
/// # Errors
/// [`Error::Write`] naming `path` when rust_xlsxwriter rejects the content.
pub fn regenerated_bytes(sheets: &[Sheet], path: &Path) -> Result<(Vec<u8>, Renames), Error> {
    build(sheets).map_err(|e| Error::Write {
        path: path.to_path_buf(),
        detail: e.to_string(),
    })
}

/// Sheet names Excel accepts, one per sheet, and the renames.
fn sheet_names(sheets: &[Sheet]) -> (Vec<String>, Renames) {
    let mut names: Vec<String> = Vec::new();
    let mut renamed = Vec::new();
    for (i, s) in sheets.iter().enumerate() {
        let cleaned: String = s
            .name
            .chars()
            .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
            .collect();
        let cleaned = cleaned.trim_matches('\'').trim();
        let mut name: String = cleaned.chars().take(MAX_SHEET_NAME).collect();
        if name.is_empty() {
            name = format!("工作表{}", i + 1);
        }
        let taken =
            |n: &str, names: &[String]| names.iter().any(|m| m.to_lowercase() == n.to_lowercase());
        let mut k = 2;
        while taken(&name, &names) {
            let suffix = format!("({k})");
            let room = MAX_SHEET_NAME.saturating_sub(suffix.chars().count());
            name = cleaned.chars().take(room).collect::<String>() + &suffix;
            k += 1;
        }
        if name != s.name {
            renamed.push((s.name.clone(), name.clone()));
        }
        names.push(name);
    }
    (names, renamed)
}

fn build(sheets: &[Sheet]) -> Result<(Vec<u8>, Renames), XlsxError> {
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?)
            .set_author("budgetkit"),
    );
    let (names, renamed) = sheet_names(sheets);
    let mut merge_budget = MAX_MERGED_CELLS;
    for (i, (sheet, name)) in sheets.iter().zip(&names).enumerate() {
        let ws = wb.add_worksheet();
        ws.set_name(name)?;
        write_sheet(ws, sheet, &mut merge_budget)?;
        if sheet.hidden && i > 0 {
            ws.set_hidden(true);
        }
    }
    Ok((wb.save_to_buffer()?, renamed))
}

fn to_col(c: u32) -> Option<u16> {
    u16::try_from(c).ok()
}

fn write_sheet(ws: &mut Worksheet, sheet: &Sheet, budget: &mut u64) -> Result<(), XlsxError> {
    let (mut last_row, mut last_col) = (0u32, 0u32);
    for ((r, c), _) in sheet.cells() {
        last_row = last_row.max(r);
        last_col = last_col.max(c);
    }
    let mut spanning: HashSet<(u32, u32)> = HashSet::new();
    let blank = Format::new();
    for m in sheet.merges() {
        // Clipped to the used area: a merge over the whole sheet costs its
        // used part only.
        let (r2, c2) = (m.last_row.min(last_row), m.last_col.min(last_col));
        let (Some(c1), Some(c2)) = (to_col(m.col), to_col(c2)) else {
            continue;
        };
        if m.row > r2 || m.col > u32::from(c2) || (m.row, m.col) == (r2, u32::from(c2)) {
            continue;
        }
        let cost = u64::from(r2 - m.row + 1) * u64::from(u32::from(c2) - m.col + 1);
        if cost > *budget {
            continue;
        }
        *budget -= cost;
        if u32::from(c2) > m.col {
            spanning.insert((m.row, m.col));
        }
        // Overlapping merges in a damaged file are skipped, not fatal.
        let _ = ws.merge_range(m.row, c1, r2, c2, "", &blank);
    }
    let mut widths: BTreeMap<u16, usize> = BTreeMap::new();
    for ((row, col), cell) in sheet.cells() {
        let Some(c) = to_col(col) else { continue };
        let number = if cell.numeric {
            cell.text.parse::<f64>().ok().filter(|v| v.is_finite())
        } else {
            None
        };
        match number {
            Some(v) => ws.write_number(row, c, v)?,
            None if cell.text.chars().count() > MAX_CELL_CHARS => {
                let cut: String = cell.text.chars().take(MAX_CELL_CHARS).collect();
                ws.write_string(row, c, &cut)?
            }
            None => ws.write_string(row, c, &cell.text)?,
        };
        if !spanning.contains(&(row, col)) {
            let w = widths.entry(c).or_default();
            *w = (*w).max(display_width(&cell.text));
        }
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
    fn names_excel_refuses_are_renamed_uniquely() {
        let sheets: Vec<Sheet> = ["a/b", "A_B", "", "'x'", &"长".repeat(40), "ok"]
            .iter()
            .map(|n| Sheet::new(*n, false))
            .collect();
        let (names, renamed) = sheet_names(&sheets);
        assert_eq!(names[0], "a_b");
        assert_eq!(names[1], "A_B(2)");
        assert_eq!(names[2], "工作表3");
        assert_eq!(names[3], "x");
        assert_eq!(names[4].chars().count(), 31);
        assert_eq!(names[5], "ok");
        assert_eq!(renamed.len(), 5);
    }
}
