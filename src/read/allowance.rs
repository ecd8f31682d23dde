//! What one workbook may take: the bounds on its cells, cell text and
//! merged ranges, and the running allowance the readers (.xlsx and .xls)
//! draw on as they store each cell and merge. Positions past Excel's sheet
//! are refused; merges are clipped to the used area before they count.

use super::sheet::{a1, RawCell, Sheet, Span};
use super::workbook::not_workbook;
use crate::error::Error;
use std::path::Path;

/// Most non-empty cells read from one workbook.
pub const MAX_CELLS: u64 = 1_000_000;
/// Most bytes of cell text (UTF-8) read from one workbook.
pub const MAX_TEXT_BYTES: u64 = 64 * 1024 * 1024;
/// Most cells all merged ranges of a workbook may cover together, once
/// each is clipped to its sheet's used area (what a consumer that touches
/// every merged cell, such as the annotated copy, may pay).
pub const MAX_MERGED_CELLS: u64 = 1_000_000;
/// Most merged ranges read from one workbook: as many as
/// [`MAX_MERGED_CELLS`] can hold at two cells each (a merge covers at
/// least two), so the count never refuses a workbook the merged area would
/// allow — such as our own export of a department with 4,000 project forms
/// (200,002 ranges).
pub const MAX_MERGES: u64 = MAX_MERGED_CELLS / 2;
/// Most rows all the merged ranges of a workbook that overlap one recorded
/// before may span together: telling an overlap costs a look-up per row,
/// and a dropped merge draws nothing on [`MAX_MERGED_CELLS`] (Excel never
/// writes overlapping merges; a crafted sheet of tall ones would make the
/// look-ups quadratic).
pub const MAX_OVERLAPPING_ROWS: u64 = MAX_MERGED_CELLS;

/// Rows in an Excel sheet.
const EXCEL_ROWS: u32 = 1_048_576;
/// Columns in an Excel sheet.
const EXCEL_COLS: u32 = 16_384;

/// What one workbook may still take: cells, text bytes, merges and the
/// cells merges cover.
pub(super) struct Allowance<'a> {
    cells: u64,
    text: u64,
    merges: u64,
    merged_cells: u64,
    overlapping_rows: u64,
    path: &'a Path,
}

impl<'a> Allowance<'a> {
    pub(super) fn new(path: &'a Path) -> Self {
        Allowance {
            cells: MAX_CELLS,
            text: MAX_TEXT_BYTES,
            merges: MAX_MERGES,
            merged_cells: MAX_MERGED_CELLS,
            overlapping_rows: MAX_OVERLAPPING_ROWS,
            path,
        }
    }

    /// One of `lanes` equal shares of a workbook's bounds (the whole of
    /// them for one lane): lanes reading a workbook's sheets apart, each on
    /// its share, never pass the bounds together.
    pub(super) fn share(path: &'a Path, lanes: usize) -> Self {
        let n = u64::try_from(lanes.max(1)).unwrap_or(u64::MAX);
        Allowance {
            cells: MAX_CELLS / n,
            text: MAX_TEXT_BYTES / n,
            merges: MAX_MERGES / n,
            merged_cells: MAX_MERGED_CELLS / n,
            overlapping_rows: MAX_OVERLAPPING_ROWS / n,
            path,
        }
    }

    fn over(&self, what: String, limit: u64) -> Error {
        Error::TooLarge {
            path: self.path.to_path_buf(),
            what,
            found: limit.saturating_add(1),
            limit,
        }
    }

    /// Stores a cell after checking the bounds and the position; `raw` is
    /// not blank (as `raw_cell` makes it).
    pub(super) fn put(
        &mut self,
        sheet: &mut Sheet,
        row: u32,
        col: u32,
        raw: RawCell,
    ) -> Result<(), Error> {
        if row >= EXCEL_ROWS || col >= EXCEL_COLS {
            return Err(not_workbook(
                self.path,
                format!(
                    "工作表“{}”有单元格位于第 {} 行第 {} 列，超出 Excel 工作表的范围（{} 行 × {} 列），文件已损坏",
                    sheet.name,
                    u64::from(row) + 1,
                    u64::from(col) + 1,
                    EXCEL_ROWS,
                    EXCEL_COLS
                ),
            ));
        }
        let bytes = u64::try_from(raw.text.len()).unwrap_or(u64::MAX);
        if self.cells == 0 {
            return Err(self.over(
                format!(
                    "非空单元格数（在工作表“{}”{} 处超出）",
                    sheet.name,
                    a1(row, col)
                ),
                MAX_CELLS,
            ));
        }
        if bytes > self.text {
            return Err(self.over(
                format!(
                    "单元格文字总量（字节，在工作表“{}”{} 处超出）",
                    sheet.name,
                    a1(row, col)
                ),
                MAX_TEXT_BYTES,
            ));
        }
        self.cells -= 1;
        self.text -= bytes;
        sheet.set_filled(row, col, raw);
        Ok(())
    }

    /// Records the sheet's merged ranges, each clipped to the used area
    /// (a merge reaching past the last cell is cut there; one that starts
    /// past it, or is left covering a single cell, fills nothing and is
    /// dropped). Call after all the sheet's cells are in.
    pub(super) fn merges(&mut self, sheet: &mut Sheet, merges: &[Span]) -> Result<(), Error> {
        let extent = sheet.extent();
        for m in merges {
            if self.merges == 0 {
                return Err(self.over(
                    format!("合并单元格区域数（在工作表“{}”处超出）", sheet.name),
                    MAX_MERGES,
                ));
            }
            self.merges -= 1;
            let Some(clipped) = extent.and_then(|e| clip(*m, e)) else {
                continue;
            };
            let area = u64::from(clipped.last_row - clipped.row + 1)
                .saturating_mul(u64::from(clipped.last_col - clipped.col + 1));
            if area > self.merged_cells {
                return Err(Error::TooLarge {
                    path: self.path.to_path_buf(),
                    what: format!(
                        "合并单元格覆盖的单元格总数（裁剪到已用区域后计；在工作表“{}”的合并区域 {}:{} 处超出）",
                        sheet.name,
                        a1(m.row, m.col),
                        a1(m.last_row, m.last_col)
                    ),
                    found: MAX_MERGED_CELLS - self.merged_cells + area,
                    limit: MAX_MERGED_CELLS,
                });
            }
            if sheet.add_merge(clipped) {
                self.merged_cells -= area;
                continue;
            }
            let rows = u64::from(clipped.last_row - clipped.row + 1);
            if rows > self.overlapping_rows {
                return Err(self.over(
                    format!(
                        "与其他合并区域重叠的合并单元格区域所跨行数（Excel 不允许合并区域重叠；在工作表“{}”的合并区域 {}:{} 处超出）",
                        sheet.name,
                        a1(m.row, m.col),
                        a1(m.last_row, m.last_col)
                    ),
                    MAX_OVERLAPPING_ROWS,
                ));
            }
            self.overlapping_rows -= rows;
        }
        Ok(())
    }
}

/// A merge cut to the used area whose far corner is `(last_row,
/// last_col)`; `None` when it starts outside it or is left a single cell.
fn clip(m: Span, (last_row, last_col): (u32, u32)) -> Option<Span> {
    let span = Span {
        last_row: m.last_row.min(last_row),
        last_col: m.last_col.min(last_col),
        ..m
    };
    (span.row <= span.last_row
        && span.col <= span.last_col
        && (span.row, span.col) != (span.last_row, span.last_col))
        .then_some(span)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// rd2's finding: a merge dropped for overlapping one recorded before
    /// drew on no allowance, while telling the overlap costs a look-up per
    /// row it spans — a sheet of tall merges overlapping one small merge at
    /// their last row made the reader quadratic. Their rows now count.
    #[test]
    fn tall_merges_overlapping_at_their_last_row_are_refused_when_they_span_too_many_rows() {
        let path = Path::new("crafted.xlsx");
        let mut sheet = Sheet::new("表1", false);
        let cell = |t: &str| RawCell {
            text: t.into(),
            numeric: false,
        };
        sheet.set(0, 0, cell("标题"));
        sheet.set(9_999, 1, cell("尾"));
        let mut merges = vec![Span::new(9_999, 0, 9_999, 1)];
        // Each spans 9,999 rows down to the small merge's row: 101 of them
        // span more than a million rows.
        merges.extend((0..101).map(|_| Span::new(1, 0, 9_999, 0)));
        let err = Allowance::new(path)
            .merges(&mut sheet, &merges)
            .unwrap_err();
        assert!(matches!(err, Error::TooLarge { .. }), "{err}");
        assert!(err.to_string().contains("重叠"), "{err}");
        assert!(err.to_string().contains("crafted.xlsx"), "{err}");
        // A hundred of them fit, and only the small merge is recorded.
        let mut sheet2 = Sheet::new("表1", false);
        sheet2.set(0, 0, cell("标题"));
        sheet2.set(9_999, 1, cell("尾"));
        Allowance::new(path)
            .merges(&mut sheet2, merges.get(..101).unwrap())
            .unwrap();
        assert_eq!(sheet2.merges(), &[Span::new(9_999, 0, 9_999, 1)]);
    }
}
