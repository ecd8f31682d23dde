//! Opening an untrusted workbook (.xlsx or .xls) within fixed bounds and
//! turning it into [`Sheet`]s.
//!
//! # Bounds
//!
//! A department's file is untrusted: every way of reading it is bounded in
//! memory and time, and every refusal is an [`Error`] (exit status 2) whose
//! Chinese message names the file, and the sheet and cell where there is
//! one. Nothing here panics on a file's content; a panic inside calamine is
//! caught and reported the same way (the known ones are refused before
//! calamine runs: see `biff.rs` and the fuzz regressions).
//!
//! - **File**: at most [`MAX_FILE_BYTES`] (64 MiB), read into memory once.
//!   PDF, HTML, XML, CSV, RAR/7z, .ods and .xlsb are recognised and named.
//! - **.xlsx**: each XML part is inflated at most once, when it is read,
//!   counting the bytes that really come out (the zip crate also refuses
//!   a part larger than its declared size); the XML parts may inflate to
//!   [`MAX_INFLATED_BYTES`] (128 MiB) in all. The streaming reader
//!   (xlsx_stream.rs) inflates only the parts it reads and parses them in
//!   place, each sheet part once; a workbook it is not sure to read as
//!   calamine does (and every refusal) has all its parts inflated in the
//!   zip's order, with the checks of that order (parts.rs), and is
//!   repacked uncompressed for calamine, which may then read at most
//!   four times the repacked size (a sheet is read twice: cells, then
//!   merges); pictures
//!   and other binary parts are never inflated. A shared-strings part that
//!   claims, or lists, more strings than [`MAX_CELLS`] is refused before
//!   calamine reserves or keeps them.
//! - **.xls**: the OLE container's sector chains are walked first and a
//!   loop, or a sector outside the file, is refused. calamine reads an .xls
//!   at once into *dense* grids, so the BIFF records are measured before it
//!   runs: the used areas of all sheets together may cover
//!   [`MAX_XLS_GRID_CELLS`] (2 Mi) cells (a stray value at IV65536 is
//!   refused, naming the sheet and cell), a DIMENSIONS record may reserve
//!   no more than a whole BIFF8 sheet ([`MAX_XLS_RESERVED_CELLS`]), cell
//!   text copies may total [`MAX_TEXT_BYTES`], decompiling formulas is
//!   capped by [`MAX_XLS_FORMULA_WORK`], a record may be split into at most
//!   [`MAX_CONTINUES`] CONTINUE parts, and records calamine would index out
//!   of bounds are refused.
//! - **Cells**: at most [`MAX_CELLS`] (1,000,000) non-empty cells,
//!   [`MAX_TEXT_BYTES`] (64 MiB) of cell text and [`MAX_MERGES`] (500,000)
//!   merged ranges per workbook. Cells are kept sparse, so a stray cell at
//!   XFD1048576 of an .xlsx costs one entry, not a grid. Positions beyond
//!   Excel's sheet (1,048,576 rows × 16,384 columns) are refused.
//!
//! Peak memory is then about half a GiB at the very worst (repacked XML,
//! calamine's shared strings, the cells); measured on a release build: the
//! sample 6 MB; 1,000,000 numeric cells 150 MB in 1.9 s; the 69 KB zip
//! bomb of tests/fixtures (2 GiB declared) 136 MB in 0.14 s before it is
//! refused. Time is linear in the bytes inflated and parsed.

use super::allowance::Allowance;
use super::biff::{self, Walk};
use super::ole;
use super::package::{self, Budgeted};
use super::sheet::{a1, is_blank, RawCell, Sheet, Span};
use crate::error::Error;
use calamine::{DataRef, Reader, SheetType, SheetVisible, Xls, Xlsx, XlsxError};
use std::cell::Cell;
use std::io::Cursor;
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;

pub use super::number_text::float_text;
pub use super::package::MAX_INFLATED_BYTES;

/// Largest input file accepted.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
pub use super::allowance::{MAX_CELLS, MAX_MERGED_CELLS, MAX_MERGES, MAX_TEXT_BYTES};
/// Most cells the dense grids of an .xls may cover, all sheets together.
pub const MAX_XLS_GRID_CELLS: u64 = 2 * 1024 * 1024;
/// Most cells one DIMENSIONS record of an .xls may reserve: a whole BIFF8
/// sheet (65,536 rows × 256 columns).
pub const MAX_XLS_RESERVED_CELLS: u64 = 65_536 * 256;
/// Cap on Σ (formula bytes)² over an .xls's formulas (calamine's formula
/// decompiler does work that grows with that square).
pub const MAX_XLS_FORMULA_WORK: u64 = 1 << 28;
/// Most CONTINUE parts one .xls record may have (calamine consumes them at
/// a cost that grows with the square of their number); the stream may hold
/// sixteen times as many in all.
pub const MAX_CONTINUES: u64 = 4096;

/// Reads a workbook file into sheets.
///
/// # Errors
/// [`Error::Io`], [`Error::TooLarge`], [`Error::Encrypted`] or
/// [`Error::NotAWorkbook`], each naming the file.
pub fn read_sheets(path: &Path) -> Result<Vec<Sheet>, Error> {
    let bytes = super::input::read_limited(path, MAX_FILE_BYTES, "文件大小（字节）")?;
    sheets_from_bytes(bytes, path)
}

/// Reads a workbook held in memory; `path` names it in errors.
///
/// # Errors
/// As [`read_sheets`].
pub fn sheets_from_bytes(bytes: Vec<u8>, path: &Path) -> Result<Vec<Sheet>, Error> {
    if bytes.is_empty() {
        return Err(not_workbook(path, "文件为空（0 字节）".into()));
    }
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > MAX_FILE_BYTES {
        return Err(Error::TooLarge {
            path: path.to_path_buf(),
            what: "文件大小（字节）".into(),
            found: u64::try_from(bytes.len()).unwrap_or(u64::MAX),
            limit: MAX_FILE_BYTES,
        });
    }
    if bytes.starts_with(b"PK") {
        read_zip(&bytes, path)
    } else if bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        read_ole(bytes, path)
    } else {
        Err(not_workbook(path, what_it_is(&bytes)))
    }
}

pub(super) fn not_workbook(path: &Path, detail: String) -> Error {
    Error::NotAWorkbook {
        path: path.to_path_buf(),
        detail,
    }
}

/// A description of a file that is neither zip nor OLE.
fn what_it_is(bytes: &[u8]) -> String {
    let head: Vec<u8> = bytes
        .iter()
        .take(1024)
        .copied()
        .skip_while(|b| b.is_ascii_whitespace() || [0xEF, 0xBB, 0xBF].contains(b))
        .take(512)
        .map(|b| b.to_ascii_lowercase())
        .collect();
    let has = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
    let saved_as = "请在 Excel 或 WPS 中打开后另存为 .xlsx 再提交";
    if head.starts_with(b"%pdf") {
        "这是 PDF 文件，不是工作簿；请提交 Excel 工作簿（.xlsx/.xls）".into()
    } else if has(b"<html") || has(b"<!doctype html") || has(b"<table") {
        format!("这是网页（HTML）格式的表格，只是扩展名像工作簿；{saved_as}")
    } else if head.starts_with(b"<?xml") || head.starts_with(b"<") {
        format!("这是 XML 文本（如 Excel 2003 XML 表格），不是 .xlsx/.xls 工作簿；{saved_as}")
    } else if head.starts_with(b"rar!") || head.starts_with(b"7z\xbc\xaf") {
        "这是压缩包（RAR/7z），请解压后提交其中的工作簿".into()
    } else if std::str::from_utf8(&head).is_ok() && !head.contains(&0) {
        format!("这是纯文本（如 CSV）文件，不是工作簿；{saved_as}")
    } else {
        "文件开头既不是 .xlsx（zip）也不是 .xls（OLE）格式，文件可能已损坏或不是工作簿".into()
    }
}

thread_local! {
    /// True while this thread runs calamine under [`guarded`].
    static GUARDED: Cell<bool> = const { Cell::new(false) };
}

/// Installs (once) a panic hook that stays silent for panics that
/// [`guarded`] turns into errors, and defers to the previous hook for all
/// others. Not under `cfg(fuzzing)`, where the fuzzer's hook must see
/// every panic.
fn quiet_guarded_panics() {
    #[cfg(not(fuzzing))]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            let previous = panic::take_hook();
            panic::set_hook(Box::new(move |info| {
                if !GUARDED.with(Cell::get) {
                    previous(info);
                }
            }));
        });
    }
}

/// Runs calamine on untrusted bytes; a panic becomes
/// [`Error::NotAWorkbook`].
fn guarded<T>(path: &Path, f: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
    quiet_guarded_panics();
    GUARDED.with(|g| g.set(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(false));
    result.unwrap_or_else(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(not_workbook(
            path,
            format!("文件结构损坏，读取器无法解析（技术信息：{what}）"),
        ))
    })
}

fn read_zip(bytes: &[u8], path: &Path) -> Result<Vec<Sheet>, Error> {
    let parts = package::open(bytes, path)?;
    // The streaming reader takes what it is sure to read as calamine
    // would, inflating only the parts it reads; anything else (and every
    // refusal) is calamine's, below, once every part is inflated.
    match super::xlsx_stream::read(&parts, path) {
        Ok(sheets) => Ok(sheets),
        Err(_) => read_with_calamine(parts, path),
    }
}

/// Reads the parts with calamine, over their uncompressed repacking (the
/// merges found by a tag scan of the sheet parts), once all are inflated.
pub(super) fn read_with_calamine(
    mut parts: package::Parts<'_>,
    path: &Path,
) -> Result<Vec<Sheet>, Error> {
    parts.inflate_all()?;
    let repacked = parts.repack()?;
    drop(parts);
    // Merged ranges by a byte scan of the (now uncompressed) sheet parts:
    // calamine would parse every sheet a second time to find them.
    let scans = zip::ZipArchive::new(Cursor::new(repacked.as_slice()))
        .map(|mut z| super::merges::scan_sheets(&mut z))
        .unwrap_or_default();
    for (sheet, scan) in &scans {
        if let Some((cell, index)) = &scan.bad_string_index {
            return Err(not_workbook(
                path,
                format!(
                    "工作表“{sheet}”单元格 {cell} 的共享字符串编号为“{index}”，应为非负整数，文件已损坏"
                ),
            ));
        }
    }
    let size = u64::try_from(repacked.len()).unwrap_or(u64::MAX);
    let reader = Budgeted::new(Cursor::new(repacked), size);
    let exhausted = reader.exhausted.clone();
    let result = guarded(path, || {
        let wb: Xlsx<_> = Xlsx::new(reader).map_err(|e| xlsx_error(&e, None, path))?;
        read_xlsx(wb, &scans, path)
    });
    if exhausted.get() {
        return Err(Error::TooLarge {
            path: path.to_path_buf(),
            what: "读取工作簿时的读取量（字节，工作表重复引用同一数据）".into(),
            found: size.saturating_mul(package::READ_PASSES).saturating_add(1),
            limit: size.saturating_mul(package::READ_PASSES),
        });
    }
    result
}

fn xlsx_error(e: &XlsxError, sheet: Option<&str>, path: &Path) -> Error {
    calamine_error(matches!(e, XlsxError::Password), e, sheet, path)
}

/// calamine's complaint as an [`Error`]: encrypted, or damaged content
/// (naming the sheet when there is one).
fn calamine_error(
    password: bool,
    detail: &dyn std::fmt::Display,
    sheet: Option<&str>,
    path: &Path,
) -> Error {
    if password {
        return Error::Encrypted {
            path: path.to_path_buf(),
        };
    }
    let at = sheet.map(|s| format!("工作表“{s}”：")).unwrap_or_default();
    not_workbook(
        path,
        format!("{at}工作簿内容损坏，无法解析（技术信息：{detail}）"),
    )
}

fn read_ole(bytes: Vec<u8>, path: &Path) -> Result<Vec<Sheet>, Error> {
    let compound =
        ole::check(&bytes).map_err(|d| not_workbook(path, format!("OLE 复合文档结构损坏：{d}")))?;
    if compound.is_encrypted_package() {
        return Err(Error::Encrypted {
            path: path.to_path_buf(),
        });
    }
    let Some(stream) = compound.workbook else {
        return Err(not_workbook(
            path,
            "这是 OLE 复合文档（如 Word .doc），但其中没有 Excel 工作簿数据".into(),
        ));
    };
    check_xls_cost(&stream, path)?;
    drop(stream);
    guarded(path, || {
        let wb: Xls<_> = Xls::new(Cursor::new(bytes)).map_err(|e| xls_error(&e, None, path))?;
        read_xls(wb, path)
    })
}

fn xls_error(e: &calamine::XlsError, sheet: Option<&str>, path: &Path) -> Error {
    calamine_error(matches!(e, calamine::XlsError::Password), e, sheet, path)
}

/// Refuses an .xls whose parsing by calamine would exceed the bounds.
fn check_xls_cost(stream: &[u8], path: &Path) -> Result<(), Error> {
    let too_large = |what: String, found: u64, limit: u64| Error::TooLarge {
        path: path.to_path_buf(),
        what,
        found,
        limit,
    };
    let cost = match biff::walk(stream, stream.len().saturating_mul(2).saturating_add(4096)) {
        Walk::Cost(c) => c,
        Walk::Encrypted => {
            return Err(Error::Encrypted {
                path: path.to_path_buf(),
            })
        }
        Walk::Broken(d) => return Err(not_workbook(path, format!(".xls 记录结构损坏：{d}"))),
    };
    if cost.max_continues > MAX_CONTINUES || cost.continues > MAX_CONTINUES * 16 {
        return Err(not_workbook(
            path,
            format!(
                ".xls 记录被拆分的续记录（CONTINUE）过多（单条最多 {}，共 {}；上限 {} 与 {}）",
                cost.max_continues,
                cost.continues,
                MAX_CONTINUES,
                MAX_CONTINUES * 16
            ),
        ));
    }
    let mut total: u64 = 0;
    for g in &cost.grids {
        if g.reserved > MAX_XLS_RESERVED_CELLS {
            return Err(too_large(
                format!(
                    "工作表“{}”的区域声明（DIMENSIONS 记录）所含单元格数",
                    g.sheet
                ),
                g.reserved,
                MAX_XLS_RESERVED_CELLS,
            ));
        }
        total = total.saturating_add(g.used);
        if total > MAX_XLS_GRID_CELLS {
            return Err(too_large(
                format!(
                    "工作表“{}”的已用区域 {}:{}（.xls 按整块区域读取；请删除 {} 等远处的多余单元格，或另存为 .xlsx）的单元格数",
                    g.sheet,
                    a1(g.first.0, g.first.1),
                    a1(g.last.0, g.last.1),
                    a1(g.last.0, g.last.1)
                ),
                total,
                MAX_XLS_GRID_CELLS,
            ));
        }
    }
    for (what, found, limit) in [
        ("非空单元格数", cost.cell_records, MAX_CELLS),
        (
            "单元格文字总量（字节，估计）",
            cost.text_bytes,
            MAX_TEXT_BYTES,
        ),
        (
            "公式总复杂度（Σ 公式字节数²）",
            cost.formula_work,
            MAX_XLS_FORMULA_WORK,
        ),
    ] {
        if found > limit {
            return Err(too_large(what.into(), found, limit));
        }
    }
    Ok(())
}

fn read_xlsx<RS: std::io::Read + std::io::Seek>(
    mut wb: Xlsx<RS>,
    scans: &std::collections::HashMap<String, std::rc::Rc<super::merges::SheetScan>>,
    path: &Path,
) -> Result<Vec<Sheet>, Error> {
    let meta: Vec<(String, bool, bool)> = wb
        .sheets_metadata()
        .iter()
        .map(|s| {
            (
                s.name.clone(),
                s.visible != SheetVisible::Visible,
                s.typ == SheetType::WorkSheet,
            )
        })
        .collect();
    let mut allowance = Allowance::new(path);
    let mut sheets = Vec::new();
    // Formulas saved without a result are evaluated once all sheets are read.
    let mut formulas = super::formula::Formulas::default();
    for (name, hidden, worksheet) in meta {
        let mut sheet = Sheet::new(&name, hidden);
        if !worksheet {
            sheets.push(sheet);
            continue;
        }
        match wb.worksheet_cells_reader(&name) {
            Ok(mut reader) => {
                while let Some(cell) = reader
                    .next_cell_with_formula()
                    .map_err(|e| xlsx_error(&e, Some(&name), path))?
                {
                    let (row, col) = cell.pos;
                    let raw = raw_cell(&cell.value);
                    if let Some(text) = cell.formula {
                        formulas.add(sheets.len(), row, col, text, raw.is_some());
                    }
                    if let Some(raw) = raw {
                        allowance.put(&mut sheet, row, col, raw)?;
                    }
                }
            }
            // A chart or dialog sheet listed as a worksheet holds no cells.
            Err(XlsxError::NotAWorksheet(_)) => {
                sheets.push(sheet);
                continue;
            }
            Err(e) => return Err(xlsx_error(&e, Some(&name), path)),
        }
        if let Some(scan) = scans.get(&name) {
            allowance.merges(&mut sheet, &scan.merges)?;
        }
        sheets.push(sheet);
    }
    formulas.evaluate(&mut sheets);
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
    let mut allowance = Allowance::new(path);
    let mut sheets = Vec::new();
    for (name, hidden) in meta {
        let mut sheet = Sheet::new(&name, hidden);
        let range = wb
            .worksheet_range(&name)
            .map_err(|e| xls_error(&e, Some(&name), path))?;
        let (r0, c0) = range.start().unwrap_or((0, 0));
        for (r, c, v) in range.used_cells() {
            if let Some(raw) = raw_cell(&data_ref(v)) {
                let row = r0.saturating_add(u32::try_from(r).unwrap_or(u32::MAX));
                let col = c0.saturating_add(u32::try_from(c).unwrap_or(u32::MAX));
                allowance.put(&mut sheet, row, col, raw)?;
            }
        }
        drop(range);
        let list: Vec<Span> = wb
            .merge_cells_by_sheet_name(&name)
            .unwrap_or_default()
            .iter()
            .map(|m| Span {
                row: m.start.0.min(m.end.0),
                col: m.start.1.min(m.end.1),
                last_row: m.start.0.max(m.end.0),
                last_col: m.start.1.max(m.end.1),
            })
            .collect();
        allowance.merges(&mut sheet, &list)?;
        sheets.push(sheet);
    }
    Ok(sheets)
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

pub(super) fn raw_cell(v: &DataRef<'_>) -> Option<RawCell> {
    let (text, numeric) = match v {
        DataRef::Empty => return None,
        DataRef::Int(i) => (i.to_string(), true),
        DataRef::Float(f) => (float_text(*f), true),
        DataRef::String(s) => (s.clone(), false),
        DataRef::SharedString(s) => ((*s).to_string(), false),
        DataRef::Bool(b) => (if *b { "TRUE" } else { "FALSE" }.to_string(), false),
        DataRef::DateTime(d) => (float_text(d.as_f64()), true),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => (s.clone(), false),
        DataRef::Error(e) => (e.to_string(), false),
    };
    filled(text, numeric)
}

/// The cell of a text, `None` when it is blank.
pub(super) fn filled(text: String, numeric: bool) -> Option<RawCell> {
    if is_blank(&text) {
        None
    } else {
        Some(RawCell { text, numeric })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_a_workbook_names_the_file() {
        let err = sheets_from_bytes(b"hello".to_vec(), Path::new("x.xlsx")).unwrap_err();
        assert!(matches!(err, Error::NotAWorkbook { .. }));
        assert!(err.to_string().contains("x.xlsx"));
        let err = sheets_from_bytes(Vec::new(), Path::new("e.xlsx")).unwrap_err();
        assert!(err.to_string().contains("文件为空"));
    }

    #[test]
    fn other_formats_are_named() {
        let say = |b: &[u8]| {
            sheets_from_bytes(b.to_vec(), Path::new("f.xls"))
                .unwrap_err()
                .to_string()
        };
        assert!(say(b"%PDF-1.7 ...").contains("PDF"));
        assert!(say(b"<html><table><tr><td>1</td></tr></table></html>").contains("HTML"));
        assert!(say(b"\xEF\xBB\xBF<?xml version=\"1.0\"?><Workbook/>").contains("XML"));
        assert!(say("科目编码,金额\n201,1\n".as_bytes()).contains("CSV"));
    }
}
