//! Opening an untrusted workbook (.xlsx or .xls) within fixed bounds and
//! turning it into [`Sheet`]s.
//!
//! Bounds: the file is at most [`MAX_FILE_BYTES`]; the parts of an .xlsx
//! inflate to at most [`MAX_INFLATED_BYTES`] in all (checked on the zip
//! directory before anything is inflated); a workbook holds at most
//! [`MAX_CELLS`] non-empty cells. Cells are kept sparse, so a stray cell at
//! XFD1048576 costs one entry, not a grid.

use super::sheet::{RawCell, Sheet, Span};
use crate::error::Error;
use calamine::{open_workbook_from_rs, DataRef, Reader, SheetVisible, Xls, Xlsx};
use std::io::Cursor;
use std::path::Path;

/// Largest input file accepted.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// Largest total uncompressed size of an .xlsx's parts.
pub const MAX_INFLATED_BYTES: u64 = 512 * 1024 * 1024;
/// Most non-empty cells read from one workbook.
pub const MAX_CELLS: u64 = 2_000_000;

/// Reads a workbook file into sheets.
///
/// # Errors
/// [`Error::Io`], [`Error::TooLarge`], [`Error::Encrypted`] or
/// [`Error::NotAWorkbook`], each naming the file.
pub fn read_sheets(path: &Path) -> Result<Vec<Sheet>, Error> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let len = std::fs::metadata(path).map_err(io)?.len();
    if len > MAX_FILE_BYTES {
        return Err(Error::TooLarge {
            path: path.to_path_buf(),
            what: "文件大小（字节）".into(),
            found: len,
            limit: MAX_FILE_BYTES,
        });
    }
    let bytes = std::fs::read(path).map_err(io)?;
    sheets_from_bytes(bytes, path)
}

/// Reads a workbook held in memory; `path` names it in errors.
///
/// # Errors
/// As [`read_sheets`].
pub fn sheets_from_bytes(bytes: Vec<u8>, path: &Path) -> Result<Vec<Sheet>, Error> {
    let not_workbook = |detail: String| Error::NotAWorkbook {
        path: path.to_path_buf(),
        detail,
    };
    if bytes.is_empty() {
        return Err(not_workbook("文件为空".into()));
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        check_inflated_size(&bytes, path)?;
        let wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes))
            .map_err(|e: calamine::XlsxError| classify(e.to_string(), path))?;
        read_xlsx(wb, path)
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        if is_encrypted_ooxml(&bytes) {
            return Err(Error::Encrypted {
                path: path.to_path_buf(),
            });
        }
        let wb: Xls<_> = open_workbook_from_rs(Cursor::new(bytes))
            .map_err(|e: calamine::XlsError| classify(e.to_string(), path))?;
        read_xls(wb, path)
    } else {
        Err(not_workbook(
            "文件开头既不是 .xlsx（zip）也不是 .xls（OLE）格式".into(),
        ))
    }
}

fn classify(detail: String, path: &Path) -> Error {
    if detail.to_lowercase().contains("password") || detail.contains("encrypt") {
        Error::Encrypted {
            path: path.to_path_buf(),
        }
    } else {
        Error::NotAWorkbook {
            path: path.to_path_buf(),
            detail,
        }
    }
}

/// An encrypted .xlsx is an OLE container holding `EncryptedPackage`.
fn is_encrypted_ooxml(bytes: &[u8]) -> bool {
    let needle: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    bytes.windows(needle.len()).any(|w| w == needle.as_slice())
}

fn check_inflated_size(bytes: &[u8], path: &Path) -> Result<(), Error> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| Error::NotAWorkbook {
            path: path.to_path_buf(),
            detail: format!("zip 结构损坏：{e}"),
        })?;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(|e| Error::NotAWorkbook {
            path: path.to_path_buf(),
            detail: format!("zip 结构损坏：{e}"),
        })?;
        total = total.saturating_add(entry.size());
    }
    if total > MAX_INFLATED_BYTES {
        return Err(Error::TooLarge {
            path: path.to_path_buf(),
            what: "解压后的大小（字节）".into(),
            found: total,
            limit: MAX_INFLATED_BYTES,
        });
    }
    Ok(())
}

struct CellBudget<'a> {
    left: u64,
    path: &'a Path,
}

impl CellBudget<'_> {
    fn take(&mut self, sheet: &str) -> Result<(), Error> {
        if self.left == 0 {
            return Err(Error::TooLarge {
                path: self.path.to_path_buf(),
                what: format!("工作表“{sheet}”所在工作簿的非空单元格数"),
                found: MAX_CELLS + 1,
                limit: MAX_CELLS,
            });
        }
        self.left -= 1;
        Ok(())
    }
}

fn read_xlsx<RS: std::io::Read + std::io::Seek>(
    mut wb: Xlsx<RS>,
    path: &Path,
) -> Result<Vec<Sheet>, Error> {
    let meta: Vec<(String, bool)> = wb
        .sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), s.visible != SheetVisible::Visible))
        .collect();
    let mut budget = CellBudget {
        left: MAX_CELLS,
        path,
    };
    let mut sheets = Vec::new();
    for (name, hidden) in meta {
        let mut sheet = Sheet::new(&name, hidden);
        {
            let mut reader = wb
                .worksheet_cells_reader(&name)
                .map_err(|e| classify(format!("工作表“{name}”：{e}"), path))?;
            while let Some(cell) = reader
                .next_cell()
                .map_err(|e| classify(format!("工作表“{name}”：{e}"), path))?
            {
                let (row, col) = cell.get_position();
                if let Some(raw) = raw_cell(cell.get_value()) {
                    budget.take(&name)?;
                    sheet.set(row, col, raw);
                }
            }
        }
        if let Ok(merges) = wb.merge_cells_by_sheet_name(&name) {
            for m in merges {
                sheet.add_merge(Span {
                    row: m.start.0,
                    col: m.start.1,
                    last_row: m.end.0,
                    last_col: m.end.1,
                });
            }
        }
        sheets.push(sheet);
    }
    Ok(sheets)
}

fn read_xls<RS: std::io::Read + std::io::Seek>(
    mut wb: Xls<RS>,
    path: &Path,
) -> Result<Vec<Sheet>, Error> {
    let meta: Vec<(String, bool)> = wb
        .sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), s.visible != SheetVisible::Visible))
        .collect();
    let mut budget = CellBudget {
        left: MAX_CELLS,
        path,
    };
    let mut sheets = Vec::new();
    for (name, hidden) in meta {
        let mut sheet = Sheet::new(&name, hidden);
        let range = wb
            .worksheet_range(&name)
            .map_err(|e| classify(format!("工作表“{name}”：{e}"), path))?;
        let (r0, c0) = range.start().unwrap_or((0, 0));
        for (r, c, v) in range.used_cells() {
            if let Some(raw) = raw_cell(&data_ref(v)) {
                budget.take(&name)?;
                let row = r0.saturating_add(u32::try_from(r).unwrap_or(u32::MAX));
                let col = c0.saturating_add(u32::try_from(c).unwrap_or(u32::MAX));
                sheet.set(row, col, raw);
            }
        }
        for m in wb.merge_cells_by_sheet_name(&name).unwrap_or_default() {
            sheet.add_merge(Span {
                row: m.start.0,
                col: m.start.1,
                last_row: m.end.0,
                last_col: m.end.1,
            });
        }
        sheets.push(sheet);
    }
    Ok(sheets)
}

/// Shortest text of a float that reads back to the same float, with binary
/// noise beyond 6 decimals removed (`0.1 + 0.2` → `0.3`).
pub fn float_text(f: f64) -> String {
    let rounded = (f * 1e6).round() / 1e6;
    if rounded.is_finite() && (rounded - f).abs() < 1e-9_f64.max(f.abs() * 1e-12) {
        format!("{rounded}")
    } else {
        format!("{f}")
    }
}

fn data_ref(v: &calamine::Data) -> DataRef<'_> {
    use calamine::Data;
    match v {
        Data::Int(i) => DataRef::Int(*i),
        Data::Float(f) => DataRef::Float(*f),
        Data::String(s) => DataRef::SharedString(s),
        Data::Bool(b) => DataRef::Bool(*b),
        Data::DateTime(d) => DataRef::DateTime(*d),
        Data::DateTimeIso(s) => DataRef::DateTimeIso(s.clone()),
        Data::DurationIso(s) => DataRef::DurationIso(s.clone()),
        Data::Error(e) => DataRef::Error(e.clone()),
        Data::Empty => DataRef::Empty,
    }
}

fn raw_cell(v: &DataRef<'_>) -> Option<RawCell> {
    let (text, numeric) = match v {
        DataRef::Empty => return None,
        DataRef::Int(i) => (i.to_string(), true),
        DataRef::Float(f) => (float_text(*f), true),
        DataRef::String(s) => (s.clone(), false),
        DataRef::SharedString(s) => (s.to_string(), false),
        DataRef::Bool(b) => (if *b { "TRUE" } else { "FALSE" }.to_string(), false),
        DataRef::DateTime(d) => (float_text(d.as_f64()), true),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => (s.clone(), false),
        DataRef::Error(e) => (format!("#{e:?}"), false),
    };
    if text.trim().is_empty() {
        None
    } else {
        Some(RawCell { text, numeric })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_lose_binary_noise() {
        assert_eq!(float_text(0.1 + 0.2), "0.3");
        assert_eq!(float_text(353.49), "353.49");
        assert_eq!(float_text(2011301.0), "2011301");
    }

    #[test]
    fn not_a_workbook_names_the_file() {
        let err = sheets_from_bytes(b"hello".to_vec(), Path::new("x.xlsx")).unwrap_err();
        assert!(matches!(err, Error::NotAWorkbook { .. }));
        assert!(err.to_string().contains("x.xlsx"));
        let err = sheets_from_bytes(Vec::new(), Path::new("e.xlsx")).unwrap_err();
        assert!(err.to_string().contains("文件为空"));
    }
}
