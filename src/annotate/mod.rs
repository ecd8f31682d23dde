//! The annotated workbook: the department's own workbook — every sheet,
//! style, formula, merge, validation and protection as it came — with
//! each cell a finding names highlighted (red for errors, yellow for
//! warnings) and carrying the findings as a note, and a first sheet
//! 审核结果 listing every finding with links to its cells.
//!
//! An .xlsx is annotated by patching its package (rust_xlsxwriter cannot
//! edit a file): a highlighted copy of each flagged cell's format is added
//! to the styles, the flagged `<c>` elements point at it, a comments part
//! and a VML drawing per sheet hold the notes, and the findings sheet is
//! added first. Every part not changed is copied as stored; changed parts
//! are spliced, so the department's markup is kept byte for byte. Time and
//! memory are linear in the parts patched (merges stay XML text).
//!
//! An .xls (or a JSON model) has no package to patch: its sheets as read
//! are written as a new .xlsx ([`crate::write::sheets_bytes`]) and that is
//! annotated; the result says so.

mod cells;
mod comments;
mod package;
mod styles;
mod summary_sheet;
mod workbook;
mod xml;

pub use summary_sheet::FINDINGS_SHEET;

use crate::error::Error;
use crate::findings::{Finding, Severity};
use crate::model::SheetName;
use crate::read::is_json;
use crate::read::Sheet;
use crate::write::{regenerated_bytes, write_atomic};
use comments::Note;
use package::{
    Package, Problem, COMMENTS_REL, COMMENTS_TYPE, VML_REL, WORKSHEET_REL, WORKSHEET_TYPE,
};
use std::collections::BTreeMap;
use std::path::Path;
use styles::{Mark, StyleBook};

/// Longest note text kept (Excel's limit is about 32k).
const MAX_NOTE_CHARS: usize = 8000;

/// How the annotated workbook was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Made {
    /// The input's own package, patched.
    Patched,
    /// A new .xlsx written from the sheets as read; why.
    Regenerated(String),
}

/// An annotated workbook written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotated {
    /// How it was made.
    pub made: Made,
    /// Cells highlighted.
    pub cells: usize,
    /// Name of the findings sheet (审核结果, or 审核结果2 … when taken).
    pub sheet: String,
}

impl Annotated {
    /// What to tell the user, in Chinese, naming `out`.
    pub fn message(&self, out: &Path) -> String {
        match &self.made {
            Made::Patched => format!(
                "已写出标注工作簿 {}：原工作簿的工作表、格式、公式、合并单元格、数据验证与保护均保留，{} 个单元格已标注并附批注，首页“{}”链接到各单元格",
                out.display(),
                self.cells,
                self.sheet
            ),
            Made::Regenerated(why) => format!(
                "已写出标注工作簿 {}（{why}；标注本按读取到的内容重新生成为 .xlsx，原格式与公式未保留），{} 个单元格已标注",
                out.display(),
                self.cells
            ),
        }
    }
}

/// Writes the annotated copy of `input` (whose sheets as read are
/// `sheets`) to `out`, atomically.
///
/// # Errors
/// [`Error::Write`] or [`Error::Io`], naming `out`.
pub fn write_annotated(
    input: &Path,
    sheets: &[Sheet],
    findings: &[Finding],
    header: &[String],
    out: &Path,
) -> Result<Annotated, Error> {
    let bytes = std::fs::read(input).map_err(|source| Error::Io {
        path: input.to_path_buf(),
        source,
    })?;
    let (bytes, made, (cells, sheet)) = if bytes.starts_with(b"PK") && !is_json(input) {
        match patch(&bytes, findings, header) {
            Ok((b, n)) => (b, Made::Patched, n),
            Err(why) => {
                let (b, n) = regenerate(sheets, findings, header, out)?;
                (
                    b,
                    Made::Regenerated(format!("原工作簿无法直接标注：{why}")),
                    n,
                )
            }
        }
    } else {
        let why = if is_json(input) {
            "输入为 JSON 模型，按其标准工作簿标注"
        } else {
            "输入为 .xls，无法在原文件上标注"
        };
        let (b, n) = regenerate(sheets, findings, header, out)?;
        (b, Made::Regenerated(why.to_string()), n)
    };
    write_atomic(out, &bytes)?;
    Ok(Annotated { made, cells, sheet })
}

/// The sheets written as a new .xlsx (sheet names Excel refuses renamed,
/// the findings' cells following them), then patched.
fn regenerate(
    sheets: &[Sheet],
    findings: &[Finding],
    header: &[String],
    out: &Path,
) -> Result<(Vec<u8>, (usize, String)), Error> {
    let (bytes, renamed) = regenerated_bytes(sheets, out)?;
    let mut findings = findings.to_vec();
    let mut header = header.to_vec();
    for (old, new) in &renamed {
        header.push(format!(
            "注意：工作表“{old}”的名称 Excel 不接受，标注本中改名为“{new}”。"
        ));
        let new = SheetName::from(new);
        for f in &mut findings {
            for cell in &mut f.cells {
                if cell.sheet == *old {
                    *cell = cell.on(new.clone());
                }
            }
        }
    }
    patch(&bytes, &findings, &header).map_err(|detail| Error::Write {
        path: out.to_path_buf(),
        detail,
    })
}

/// The findings naming each cell, by sheet name then (row, column).
type Marks<'f> = BTreeMap<SheetName, BTreeMap<(u32, u32), Vec<&'f Finding>>>;

fn marks(findings: &[Finding]) -> Marks<'_> {
    let mut out: Marks<'_> = BTreeMap::new();
    for f in findings {
        for cell in &f.cells {
            let list = out
                .entry(cell.sheet.clone())
                .or_default()
                .entry((cell.row(), cell.col()))
                .or_default();
            if !list.iter().any(|g| std::ptr::eq(*g, f)) {
                list.push(f);
            }
        }
    }
    out
}

fn note_text(list: &[&Finding]) -> String {
    let text: Vec<String> = list
        .iter()
        .map(|f| format!("[{}] {} {}", f.severity.label(), f.rule, f.message))
        .collect();
    text.join("\n").chars().take(MAX_NOTE_CHARS).collect()
}

/// The package patched; the number of cells highlighted and the name of
/// the findings sheet.
fn patch(
    bytes: &[u8],
    findings: &[Finding],
    header: &[String],
) -> Result<(Vec<u8>, (usize, String)), Problem> {
    let mut pkg = Package::open(bytes)?;
    let (main, parts) = workbook::sheets(&mut pkg)?;
    let styles_part = pkg
        .rels(&main)?
        .into_iter()
        .find(|r| r.kind.ends_with("/styles"))
        .map(|r| r.part)
        .ok_or_else(|| "工作簿没有样式部件".to_string())?;
    let styles_xml = pkg
        .read(&styles_part)?
        .ok_or_else(|| format!("缺少样式部件 {styles_part}"))?;
    let mut styles = StyleBook::new(styles_xml)?;
    let marks = marks(findings);
    let mut block = 0u32;
    let mut highlighted = 0usize;
    for name in pkg_vml_parts(&pkg) {
        if let Some(v) = pkg.read(&name)? {
            block = block.max(comments::idmap_blocks(&v));
        }
    }
    for sheet in &parts {
        let Some(part) = &sheet.part else { continue };
        let Some(xml) = pkg.read(part)? else { continue };
        let cells = marks.get(sheet.name.as_str());
        if cells.is_none() && !contains(&xml, b"tabSelected") {
            continue;
        }
        let list: Vec<((u32, u32), Mark)> = cells
            .into_iter()
            .flatten()
            .map(|(at, fs)| {
                let error = fs.iter().any(|f| f.severity == Severity::Error);
                (*at, if error { Mark::Error } else { Mark::Warning })
            })
            .collect();
        let notes: Vec<Note> = cells
            .into_iter()
            .flatten()
            .map(|((row, col), fs)| Note {
                row: *row,
                col: *col,
                text: note_text(fs),
            })
            .collect();
        let legacy = if notes.is_empty() {
            None
        } else {
            let first = block + 1;
            // A drawing's shape ids come in blocks of 1024.
            block += u32::try_from(notes.len() / 1024 + 1).unwrap_or(u32::MAX / 2);
            add_notes(&mut pkg, part, &xml, &notes, first)?
        };
        let patched = cells::patch(
            &xml,
            &cells::SheetPatch {
                marks: &list,
                legacy,
            },
            &mut styles,
        )?;
        highlighted += list.len();
        pkg.change(part, patched);
    }
    let names: Vec<String> = parts.iter().map(|s| s.name.clone()).collect();
    let name = summary_sheet::free_name(&names);
    let xml = summary_sheet::sheet_xml(findings, header, &names, &styles.summary);
    let dir = main.rsplit_once('/').map_or("", |(d, _)| d);
    let part = pkg.free_name(
        format!("{dir}/worksheets").trim_start_matches('/'),
        "sheet",
        "xml",
    );
    pkg.change(&part, xml);
    pkg.add_content_type(&part, WORKSHEET_TYPE)?;
    let rid = pkg.add_rel(&main, WORKSHEET_REL, &part)?;
    let id = parts
        .iter()
        .map(|s| s.id)
        .max()
        .unwrap_or(0)
        .saturating_add(1);
    workbook::put_first(&mut pkg, &main, &name, &rid, id)?;
    pkg.change(&styles_part, styles.finish());
    Ok((pkg.finish()?, (highlighted, name)))
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(hay, needle).is_some()
}

fn pkg_vml_parts(pkg: &Package<'_>) -> Vec<String> {
    pkg.part_names()
        .filter(|n| n.to_lowercase().ends_with(".vml"))
        .collect()
}

/// Puts `notes` in the sheet's comments part and legacy drawing (merging
/// with existing ones); returns the id of a new drawing relationship for
/// the sheet to reference, or `None` when it already references one.
fn add_notes(
    pkg: &mut Package<'_>,
    part: &str,
    xml: &[u8],
    notes: &[Note],
    block: u32,
) -> Result<Option<String>, Problem> {
    let rels = pkg.rels(part)?;
    let existing = rels
        .iter()
        .find(|r| r.kind == COMMENTS_REL)
        .map(|r| r.part.clone());
    let fresh = match existing.as_ref().map(|p| (p, pkg.read(p))) {
        Some((p, Ok(Some(old)))) => {
            let (merged, fresh) = comments::merge_comments(&old, notes)?;
            let p = p.clone();
            pkg.change(&p, merged);
            fresh
        }
        Some((_, Err(e))) => return Err(e),
        _ => {
            let name = pkg.free_name("xl", "comments", "xml");
            pkg.change(&name, comments::new_comments(notes));
            pkg.add_content_type(&name, COMMENTS_TYPE)?;
            pkg.add_rel(part, COMMENTS_REL, &name)?;
            notes.to_vec()
        }
    };
    let drawing_id = cells::legacy_drawing(xml)?;
    let drawing = drawing_id
        .as_ref()
        .and_then(|id| rels.iter().find(|r| &r.id == id && r.kind == VML_REL))
        .map(|r| r.part.clone());
    match drawing {
        Some(vml) => {
            let old = pkg.read(&vml)?.unwrap_or_default();
            pkg.change(&vml, comments::merge_vml(&old, &fresh, block));
            Ok(None)
        }
        None if drawing_id.is_some() => Err("工作表引用的旧式绘图（legacyDrawing）不存在".into()),
        None => {
            let name = pkg.free_name("xl/drawings", "vmlDrawing", "vml");
            pkg.change(&name, comments::new_vml(&fresh, block));
            pkg.add_vml_type()?;
            Ok(Some(pkg.add_rel(part, VML_REL, &name)?))
        }
    }
}
