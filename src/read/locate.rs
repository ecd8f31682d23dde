//! Finding the template's tables in a workbook by their title and header
//! text, never by fixed coordinates.

use super::sheet::{RawCell, Sheet};
use super::table_lines::{
    department_in, is_caption, is_note, states_wanyuan_precision, unit_scale,
};
use crate::filed::{column_path_keys, header_key, may_be_title, spec_title_keys, title_key};
use crate::filed::{FiledCell, FiledRow, FiledTable};
use crate::findings::Finding;
use crate::model::{join_cells, label_key, CellRef, SheetName, A1};
use crate::spec::{TableSpec, Template};
use rust_decimal::Decimal;

/// How many rows under a title the header may start.
const HEADER_SEARCH_ROWS: u32 = 8;

/// A title found on a sheet.
#[derive(Debug, Clone)]
struct TitleHit {
    spec: usize,
    sheet: usize,
    row: u32,
    col: u32,
}

/// Title hits per table checked for a header beneath them; further hits
/// only count as duplicates (bounds the work on a sheet of repeated
/// titles).
const MAX_TITLE_HITS: usize = 16;

/// Columns a header may extend beyond the template's width.
const MAX_EXTRA_COLUMNS: u32 = 32;

/// The spec title as people say it: without the year.
fn display_title(spec: &TableSpec) -> String {
    spec.title_without_year()
}

/// Where a table's header was found, with what the lines above it say.
#[derive(Debug, Clone)]
struct HeaderAt {
    row: u32,
    left: u32,
    department: Option<String>,
    /// The cell naming the department.
    department_at: Option<A1>,
    scale: Decimal,
}

/// Locates every table of `template` in `sheets`. A title counts only
/// when the table's header follows it, so a table of contents or an
/// instructions sheet that repeats the titles is ignored. Missing and
/// doubled tables become error findings.
pub fn locate_tables(
    sheets: &[Sheet],
    template: &Template,
    findings: &mut Vec<Finding>,
) -> Vec<FiledTable> {
    let keys: Vec<&[String]> = template.tables.iter().map(spec_title_keys).collect();
    // One shared name per sheet, for every cell reference into it.
    let names: Vec<SheetName> = sheets.iter().map(|s| SheetName::from(&s.name)).collect();
    let mut hits: Vec<TitleHit> = Vec::new();
    for (si, sheet) in sheets.iter().enumerate() {
        if sheet.hidden {
            continue;
        }
        for ((row, col), cell) in sheet.cells() {
            if cell.numeric || !may_be_title(&cell.text) {
                continue;
            }
            let k = title_key(&cell.text);
            if let Some(spec) = keys.iter().position(|t| t.contains(&k)) {
                hits.push(TitleHit {
                    spec,
                    sheet: si,
                    row,
                    col,
                });
            }
        }
    }
    // The table under a title ends where the next title on its sheet
    // begins.
    let end_of = |h: &TitleHit| {
        hits.iter()
            .filter(|o| o.sheet == h.sheet && o.row > h.row)
            .map(|o| o.row)
            .min()
    };
    let mut tables = Vec::new();
    for (i, spec) in template.tables.iter().enumerate() {
        let mine: Vec<&TitleHit> = hits.iter().filter(|h| h.spec == i).collect();
        let Some(first) = mine.first() else {
            findings.push(Finding::error(
                "READ-TABLE-MISSING",
                format!(
                    "未找到{}“{}”：没有工作表含有此标题",
                    spec.sheet,
                    display_title(spec)
                ),
                vec![],
            ));
            continue;
        };
        let located: Vec<(&TitleHit, HeaderAt)> = mine
            .iter()
            .take(MAX_TITLE_HITS)
            .filter_map(|h| {
                let sheet = sheets.get(h.sheet)?;
                find_header(sheet, spec, h.row, end_of(h)).map(|at| (*h, at))
            })
            .collect();
        let reference = |h: &TitleHit| {
            let name = names.get(h.sheet).cloned().unwrap_or_default();
            CellRef::new(name, h.row, h.col)
        };
        let Some((hit, at)) = located.first() else {
            let title = sheets
                .get(first.sheet)
                .map(|s| s.text(first.row, first.col).to_string())
                .unwrap_or_default();
            findings.push(Finding::error(
                "READ-HEADER",
                format!(
                    "{}：找到表题“{}”，但其下 {} 行内没有表头“{}”，无法读取该表",
                    reference(first),
                    title,
                    HEADER_SEARCH_ROWS,
                    spec.header
                        .first()
                        .and_then(|r| r.first())
                        .cloned()
                        .unwrap_or_default()
                ),
                vec![reference(first)],
            ));
            continue;
        };
        let extra = mine.len().saturating_sub(MAX_TITLE_HITS);
        if located.len() + extra > 1 {
            let cells: Vec<CellRef> = located.iter().map(|(h, _)| reference(h)).collect();
            findings.push(Finding::error(
                "READ-TABLE-TWICE",
                format!(
                    "{}“{}”出现{}次（{}），只读取第一处 {}",
                    spec.sheet,
                    display_title(spec),
                    located.len() + extra,
                    join_cells(&cells, "、"),
                    join_cells(cells.get(..1).unwrap_or_default(), "")
                ),
                cells,
            ));
        }
        let (Some(sheet), Some(name)) = (sheets.get(hit.sheet), names.get(hit.sheet)) else {
            continue;
        };
        tables.push(read_table(
            sheet,
            name,
            spec,
            hit,
            at,
            end_of(hit),
            findings,
        ));
    }
    tables
}

/// Finds the header of `spec` under a title: the spec's top-left header
/// text within [`HEADER_SEARCH_ROWS`] rows, before `end`. Also reads the
/// 部门名称 and 单位 lines between title and header (and on the title's
/// own row, or the caption row above it).
fn find_header(
    sheet: &Sheet,
    spec: &TableSpec,
    title_row: u32,
    end: Option<u32>,
) -> Option<HeaderAt> {
    let anchor = header_key(spec.header.first()?.first()?);
    let last = title_row.saturating_add(HEADER_SEARCH_ROWS);
    let mut at = None;
    for r in title_row.saturating_add(1)..=last {
        if end.is_some_and(|e| r >= e) {
            break;
        }
        if let Some((c, _)) = sheet
            .row(r)
            .find(|(c, _)| header_key(sheet.filled_text(r, *c)) == anchor)
        {
            at = Some((r, c));
            break;
        }
    }
    let (row, left) = at?;
    let mut department = None;
    let mut department_at = None;
    let mut scale = None;
    for r in title_row.saturating_sub(1)..row {
        let cols: Vec<u32> = sheet.row(r).map(|(c, _)| c).collect();
        let cells: Vec<&str> = sheet.row(r).map(|(_, c)| c.text.as_str()).collect();
        for (i, text) in cells.iter().enumerate() {
            if department.is_none() {
                department = department_in(text, cells.get(i + 1..).unwrap_or_default());
                department_at = department
                    .as_ref()
                    .and_then(|_| cols.get(i))
                    .map(|c| A1::new(r, *c));
            }
            scale = unit_scale(text).or(scale);
        }
    }
    Some(HeaderAt {
        row,
        left,
        department,
        department_at,
        scale: scale.unwrap_or(Decimal::ONE),
    })
}

/// Reads one table whose header was found at `at`.
fn read_table(
    sheet: &Sheet,
    name: &SheetName,
    spec: &TableSpec,
    hit: &TitleHit,
    at: &HeaderAt,
    end: Option<u32>,
    findings: &mut Vec<Finding>,
) -> FiledTable {
    let title = sheet.text(hit.row, hit.col).to_string();
    let height = u32::try_from(spec.header.len()).unwrap_or(1).max(1);
    let columns = map_columns(sheet, name, spec, at.row, height, at.left, findings);
    let mut first_body = at.row.saturating_add(height);
    if is_numbering_row(sheet, first_body, &columns) {
        first_body = first_body.saturating_add(1);
    }
    let mut rows = Vec::new();
    let mut note = None;
    // One row's cells at a time, in column order: its columns are then
    // found within the row, not searched for in the whole sheet.
    let mut row_cells: Vec<(u32, &RawCell)> = Vec::new();
    for r in sheet.rows_from(first_body) {
        if end.is_some_and(|e| r >= e) {
            break;
        }
        row_cells.clear();
        row_cells.extend(sheet.row(r));
        let mut texts = row_cells
            .iter()
            .filter(|(c, _)| *c >= at.left)
            .map(|(_, cell)| cell);
        let first_text = texts
            .next()
            .map(|cell| label_key(&cell.text))
            .unwrap_or_default();
        if is_note(&first_text) {
            note = Some(first_text);
            break;
        }
        if texts.next().is_none() && is_caption(&first_text) {
            continue;
        }
        let cells: Vec<_> = columns
            .iter()
            .map(|c| {
                let col = (*c)?;
                let i = row_cells.binary_search_by_key(&col, |(k, _)| *k).ok()?;
                let (_, raw) = row_cells.get(i)?;
                Some(filed_cell(raw, name, r, col, at.scale))
            })
            .collect();
        if cells.iter().any(Option::is_some) {
            rows.push(FiledRow { row: r, cells });
        }
    }
    if note.as_deref().is_some_and(states_wanyuan_precision) {
        for cell in rows.iter_mut().flat_map(|r| r.cells.iter_mut()).flatten() {
            cell.coarsen_to_wanyuan();
        }
    }
    FiledTable {
        id: spec.id.clone(),
        sheet: name.clone(),
        title_at: CellRef::new(name.clone(), hit.row, hit.col),
        title,
        department: at.department.clone(),
        department_at: at.department_at.map(|a| CellRef {
            sheet: name.clone(),
            cell: a,
        }),
        scale: at.scale,
        columns,
        rows,
        note,
        aligned: Default::default(),
    }
}

/// The header texts of a table, row by row from `left` to `right`, keyed
/// for matching. Merged cells give their text to every cell they cover; a
/// blank cell in an upper header row that no merge covers takes the text
/// on its left within the same group above (headers "centred across
/// selection" instead of merged, or merges removed).
fn header_grid(
    sheet: &Sheet,
    header_row: u32,
    height: u32,
    left: u32,
    right: u32,
) -> Vec<Vec<String>> {
    let mut grid: Vec<Vec<String>> = Vec::new();
    for ri in 0..height {
        let r = header_row.saturating_add(ri);
        let mut row: Vec<String> = Vec::new();
        for c in left..=right {
            let mut k = header_key(sheet.filled_text(r, c)).into_owned();
            let ci = (c - left) as usize;
            let covered = sheet.merge_covering(r, c).is_some();
            if k.is_empty() && !covered && ri + 1 < height && ci > 0 {
                let same_group = grid
                    .last()
                    .is_none_or(|above| above.get(ci) == above.get(ci - 1));
                if same_group {
                    k = row.get(ci - 1).cloned().unwrap_or_default();
                }
            }
            row.push(k);
        }
        grid.push(row);
    }
    grid
}

/// Maps each spec column to a sheet column by its header path; then by its
/// bottom header text when that is unique; then by position. A column
/// read by position, or not found at all, is an error finding: the bureau
/// must check which numbers were read.
fn map_columns(
    sheet: &Sheet,
    name: &SheetName,
    spec: &TableSpec,
    header_row: u32,
    height: u32,
    left: u32,
    findings: &mut Vec<Finding>,
) -> Vec<Option<u32>> {
    let width = u32::try_from(spec.columns.len()).unwrap_or(1).max(1);
    let widest = left
        .saturating_add(width - 1)
        .saturating_add(MAX_EXTRA_COLUMNS);
    let right = (header_row..header_row.saturating_add(height))
        .filter_map(|r| sheet.row(r).map(|(c, _)| c).filter(|c| *c <= widest).last())
        .max()
        .unwrap_or(left)
        .max(left.saturating_add(width - 1));
    let grid = header_grid(sheet, header_row, height, left, right);
    let sheet_paths: Vec<(u32, Vec<String>)> = (left..=right)
        .map(|c| {
            let ci = (c - left) as usize;
            let mut path: Vec<String> = Vec::new();
            for row in &grid {
                let k = row.get(ci).cloned().unwrap_or_default();
                if !k.is_empty() && path.last() != Some(&k) {
                    path.push(k);
                }
            }
            (c, path)
        })
        .collect();
    let spec_paths = column_path_keys(spec);
    let mut taken: Vec<u32> = Vec::new();
    let mut out: Vec<Option<u32>> = vec![None; spec_paths.len()];
    for (slot, path) in out.iter_mut().zip(spec_paths) {
        if let Some((c, _)) = sheet_paths
            .iter()
            .find(|(c, p)| p == path && !taken.contains(c))
        {
            *slot = Some(*c);
            taken.push(*c);
        }
    }
    for (slot, path) in out.iter_mut().zip(spec_paths) {
        if slot.is_some() {
            continue;
        }
        let leaf = path.last();
        let candidates: Vec<u32> = sheet_paths
            .iter()
            .filter(|(c, p)| p.last() == leaf && !taken.contains(c))
            .map(|(c, _)| *c)
            .collect();
        if let [c] = candidates.as_slice() {
            *slot = Some(*c);
            taken.push(*c);
        }
    }
    let bottom = header_row.saturating_add(height - 1);
    for (i, slot) in out.iter_mut().enumerate() {
        if slot.is_some() {
            continue;
        }
        let expected = spec_paths.get(i).map(|p| p.join("/")).unwrap_or_default();
        let c = left.saturating_add(u32::try_from(i).unwrap_or(u32::MAX));
        let found = sheet_paths
            .iter()
            .find(|(col, _)| *col == c)
            .map(|(_, p)| p.join("/"))
            .unwrap_or_default();
        let at = CellRef::new(name.clone(), bottom, c);
        if !taken.contains(&c) && !found.is_empty() {
            *slot = Some(c);
            taken.push(c);
            findings.push(
                Finding::error(
                    "READ-HEADER",
                    format!(
                        "{} 单元格 {}：表头“{}”与模板的“{}”不符，已按位置读取此列，请核对或改正表头",
                        sheet.name,
                        at.cell,
                        found,
                        expected
                    ),
                    vec![at],
                )
                .with_values(expected, found),
            );
        } else {
            findings.push(
                Finding::error(
                    "READ-HEADER",
                    format!(
                        "{} 第 {} 行起的表头中没有“{}”列，该列数据未读取",
                        sheet.name,
                        u64::from(header_row) + 1,
                        expected
                    ),
                    vec![CellRef::new(name.clone(), header_row, left)],
                )
                .with_values(expected, String::new()),
            );
        }
    }
    out
}

/// Texts a 栏次 row may hold besides its numbers.
const NUMBERING_LABELS: &[&str] = &["栏次", "行次", "甲", "乙", "丙", "丁", "戊", "己", "庚"];

/// A 栏次 row: the mapped cells read 1, 2, 3 … in order (blank cells and
/// labels such as 栏次 or 甲/乙 allowed between).
fn is_numbering_row(sheet: &Sheet, row: u32, columns: &[Option<u32>]) -> bool {
    let mut next = 1u32;
    for c in columns.iter().flatten() {
        let t = label_key(sheet.text(row, *c));
        if t.is_empty() || NUMBERING_LABELS.contains(&t.as_str()) {
            continue;
        }
        match t.parse::<u32>() {
            Ok(n) if n == next => next += 1,
            _ => return false,
        }
    }
    next > 2
}

/// Builds a filed cell from the sheet's cell at a position (`name` is the
/// sheet's shared name), its amount read in a table of `scale`.
fn filed_cell(raw: &RawCell, name: &SheetName, row: u32, col: u32, scale: Decimal) -> FiledCell {
    let at = CellRef::new(name.clone(), row, col);
    FiledCell::new(&raw.text, raw.numeric, at, scale)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filed::row_label_key;

    /// A cell longer than MAX_TITLE_CHARS is never keyed as a title: every
    /// built-in title, with a year and spaced out, stays well within it,
    /// and a paragraph naming a 表 does not.
    #[test]
    fn every_built_in_title_may_be_a_title_and_a_paragraph_may_not() {
        for id in Template::builtin_ids() {
            let t = Template::load(id).unwrap();
            for spec in &t.tables {
                for title in std::iter::once(&spec.title).chain(&spec.other_titles) {
                    let spaced = format!("2025年 {} ", title.replace("{year}", ""));
                    assert!(may_be_title(&spaced), "{id} {title}");
                    let doubled = format!("{spaced}{spaced}");
                    assert!(may_be_title(&doubled), "{id} {title}: 2x");
                }
            }
        }
        let paragraph = "本部门2025年预算公开表共九张表，".repeat(12);
        assert!(!may_be_title(&paragraph));
        assert!(!may_be_title("部门主要职能"));
    }

    #[test]
    fn titles_match_without_year_quotes_or_spaces() {
        assert_eq!(
            title_key("2025年财政拨款安排“三公”经费支出预算表"),
            "财政拨款安排三公经费支出预算表"
        );
        assert_eq!(title_key(" 2024年度 预算收支总表 "), "预算收支总表");
    }

    #[test]
    fn header_years_become_y() {
        assert_eq!(header_key("2025年预算数"), "Y年预算数");
        assert_eq!(header_key("{year}预算数"), "Y预算数");
        assert_eq!(header_key("2011301"), "2011301");
    }

    #[test]
    fn row_labels_lose_their_numbering() {
        assert_eq!(row_label_key("二十、住房保障支出"), "住房保障支出");
        assert_eq!(row_label_key("②公务用车运行维护费"), "公务用车运行维护费");
        assert_eq!(row_label_key("一、一般公共预算"), "一般公共预算");
        assert_eq!(row_label_key("本年收入合计"), "本年收入合计");
        assert_eq!(row_label_key("2公务用车运行维护费"), "公务用车运行维护费");
        assert_eq!(row_label_key("(二)公务接待费"), "公务接待费");
        // #14: the numbering is told by the characters before the first
        // separator, as by the first separator found.
        assert_eq!(row_label_key("（一）、基本支出"), "基本支出");
        assert_eq!(row_label_key("一)、基本支出"), "基本支出");
        assert_eq!(row_label_key("3．项目支出"), "项目支出");
        assert_eq!(row_label_key("十一.其他"), "其他");
        assert_eq!(row_label_key("其他.支出"), "其他.支出");
        assert_eq!(row_label_key("一二三四五、x"), "一二三四五、x");
        assert_eq!(row_label_key("(一)(二)、x"), "(二)、x");
        assert_eq!(row_label_key("A、一般"), "A、一般");
        assert_eq!(row_label_key("一 、 一般公共预算"), "一般公共预算");
    }
}
