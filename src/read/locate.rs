//! Finding the template's tables in a workbook by their title and header
//! text, never by fixed coordinates.

use super::filed::{filed_cell, FiledRow, FiledTable};
use super::sheet::{a1, Sheet};
use crate::findings::Finding;
use crate::model::label_key;
use crate::spec::{TableSpec, Template};
use rust_decimal::Decimal;

/// How many rows under a title the header may start.
const HEADER_SEARCH_ROWS: u32 = 8;

/// Title text reduced for matching: no whitespace, NFKC, no quotes, no
/// leading year (`2025年`, `2025年度`).
pub fn title_key(s: &str) -> String {
    let k: String = label_key(s)
        .chars()
        .filter(|c| !matches!(c, '“' | '”' | '"' | '「' | '」' | '‘' | '’' | '\''))
        .collect();
    let digits = k.chars().take_while(char::is_ascii_digit).count();
    if digits == 4 {
        let rest = &k[4..];
        let rest = rest
            .strip_prefix("年度")
            .or_else(|| rest.strip_prefix('年'));
        if let Some(r) = rest {
            return r.to_string();
        }
    }
    k
}

/// The title key of a spec title.
pub fn spec_title_key(spec: &TableSpec) -> String {
    title_key(&spec.title.replace("{year}年", "").replace("{year}", ""))
}

/// Header text reduced for matching: no whitespace, NFKC, any year → `Y`.
pub fn header_key(s: &str) -> String {
    let k = label_key(&s.replace("{year}", "Y"));
    let chars: Vec<char> = k.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let is_year = i + 4 <= chars.len()
            && chars[i..i + 4].iter().all(char::is_ascii_digit)
            && (chars[i] == '1' || chars[i] == '2')
            && !chars.get(i + 4).is_some_and(char::is_ascii_digit)
            && (i == 0 || !chars[i - 1].is_ascii_digit());
        if is_year {
            out.push('Y');
            i += 4;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// A title found on a sheet.
#[derive(Debug, Clone)]
struct TitleHit {
    spec: usize,
    sheet: usize,
    row: u32,
    col: u32,
}

/// Locates every table of `template` in `sheets`. Missing and doubled
/// tables become error findings.
pub fn locate_tables(
    sheets: &[Sheet],
    template: &Template,
    findings: &mut Vec<Finding>,
) -> Vec<FiledTable> {
    let keys: Vec<String> = template.tables.iter().map(spec_title_key).collect();
    let mut hits: Vec<TitleHit> = Vec::new();
    for (si, sheet) in sheets.iter().enumerate() {
        if sheet.hidden {
            continue;
        }
        for ((row, col), cell) in sheet.cells() {
            if cell.numeric || !cell.text.contains('表') {
                continue;
            }
            let k = title_key(&cell.text);
            if let Some(spec) = keys.iter().position(|t| *t == k) {
                hits.push(TitleHit {
                    spec,
                    sheet: si,
                    row,
                    col,
                });
            }
        }
    }
    let mut tables = Vec::new();
    for (i, spec) in template.tables.iter().enumerate() {
        let mine: Vec<&TitleHit> = hits.iter().filter(|h| h.spec == i).collect();
        let Some(first) = mine.first() else {
            findings.push(Finding::error(
                "READ-TABLE-MISSING",
                format!(
                    "未找到{}“{}”：没有工作表含有此标题",
                    spec.sheet,
                    spec.title.replace("{year}", "")
                ),
                vec![],
            ));
            continue;
        };
        if mine.len() > 1 {
            let cells: Vec<String> = mine
                .iter()
                .filter_map(|h| {
                    sheets
                        .get(h.sheet)
                        .map(|s| format!("{}!{}", s.name, a1(h.row, h.col)))
                })
                .collect();
            findings.push(Finding::error(
                "READ-TABLE-TWICE",
                format!(
                    "{}“{}”出现{}次，只读取第一处 {}",
                    spec.sheet,
                    spec.title.replace("{year}", ""),
                    mine.len(),
                    cells.first().cloned().unwrap_or_default()
                ),
                cells,
            ));
        }
        let Some(sheet) = sheets.get(first.sheet) else {
            continue;
        };
        // The table ends where the next title on the same sheet begins.
        let end = hits
            .iter()
            .filter(|h| h.sheet == first.sheet && h.row > first.row)
            .map(|h| h.row)
            .min();
        if let Some(t) = read_table(sheet, spec, first.row, first.col, end, findings) {
            tables.push(t);
        }
    }
    tables
}

/// Reads one table whose title is at (`title_row`, `title_col`).
fn read_table(
    sheet: &Sheet,
    spec: &TableSpec,
    title_row: u32,
    title_col: u32,
    end: Option<u32>,
    findings: &mut Vec<Finding>,
) -> Option<FiledTable> {
    let title = sheet.text(title_row, title_col).to_string();
    let anchor = header_key(spec.header.first()?.first()?);
    let mut department = None;
    let mut scale = Decimal::ONE;
    let mut header_at = None;
    for r in title_row + 1..=title_row + HEADER_SEARCH_ROWS {
        if end.is_some_and(|e| r >= e) {
            break;
        }
        for (c, cell) in sheet.row(r) {
            let k = label_key(&cell.text);
            if let Some(rest) = k.strip_prefix("部门名称") {
                let name = rest.trim_start_matches([':', '：']).to_string();
                if !name.is_empty() {
                    department = Some(name);
                }
            }
            if k.contains("单位") && (k.contains("元") || k.contains("万")) {
                let unit = k.rsplit([':', '：']).next().unwrap_or("");
                if !unit.contains('万') && unit.contains('元') {
                    scale = Decimal::new(1, 4);
                }
            }
            if header_at.is_none() && header_key(sheet.filled_text(r, c)) == anchor {
                header_at = Some((r, c));
            }
        }
        if header_at.is_some() {
            break;
        }
    }
    let Some((header_row, left)) = header_at else {
        findings.push(Finding::error(
            "READ-HEADER",
            format!(
                "{} 表“{}”（{}）：标题下 {} 行内未找到表头“{}”",
                sheet.name,
                title,
                a1(title_row, title_col),
                HEADER_SEARCH_ROWS,
                spec.header
                    .first()
                    .and_then(|r| r.first())
                    .cloned()
                    .unwrap_or_default()
            ),
            vec![format!("{}!{}", sheet.name, a1(title_row, title_col))],
        ));
        return None;
    };
    let height = u32::try_from(spec.header.len()).unwrap_or(1);
    let columns = map_columns(sheet, spec, header_row, height, left, findings);
    let mut first_body = header_row + height;
    if is_numbering_row(sheet, first_body, &columns) {
        first_body += 1;
    }
    let mut rows = Vec::new();
    let mut note = None;
    for r in sheet.rows_from(first_body) {
        if end.is_some_and(|e| r >= e) {
            break;
        }
        let first_text = sheet
            .row(r)
            .find(|(c, _)| *c >= left)
            .map(|(_, cell)| label_key(&cell.text))
            .unwrap_or_default();
        if first_text.starts_with("注") {
            note = Some(first_text);
            break;
        }
        let cells: Vec<_> = columns
            .iter()
            .map(|c| c.and_then(|col| filed_cell(sheet, r, col)))
            .collect();
        if cells.iter().any(Option::is_some) {
            rows.push(FiledRow { row: r, cells });
        }
    }
    Some(FiledTable {
        id: spec.id.clone(),
        sheet: sheet.name.clone(),
        title_at: a1(title_row, title_col),
        title,
        department,
        scale,
        columns,
        rows,
        note,
    })
}

/// Maps each spec column to a sheet column by its header path; then by its
/// bottom header text; then by position.
fn map_columns(
    sheet: &Sheet,
    spec: &TableSpec,
    header_row: u32,
    height: u32,
    left: u32,
    findings: &mut Vec<Finding>,
) -> Vec<Option<u32>> {
    let right = (header_row..header_row + height)
        .flat_map(|r| sheet.row(r).map(|(c, _)| c).collect::<Vec<_>>())
        .max()
        .unwrap_or(left)
        .max(left + u32::try_from(spec.columns.len()).unwrap_or(1) - 1);
    let sheet_paths: Vec<(u32, Vec<String>)> = (left..=right)
        .map(|c| {
            let mut path: Vec<String> = Vec::new();
            for r in header_row..header_row + height {
                let k = header_key(sheet.filled_text(r, c));
                if !k.is_empty() && path.last() != Some(&k) {
                    path.push(k);
                }
            }
            (c, path)
        })
        .collect();
    let spec_paths: Vec<Vec<String>> = spec
        .column_paths()
        .into_iter()
        .map(|p| p.iter().map(|s| header_key(s)).collect())
        .collect();
    let mut taken: Vec<u32> = Vec::new();
    let mut out: Vec<Option<u32>> = vec![None; spec_paths.len()];
    for (i, path) in spec_paths.iter().enumerate() {
        if let Some((c, _)) = sheet_paths
            .iter()
            .find(|(c, p)| p == path && !taken.contains(c))
        {
            out[i] = Some(*c);
            taken.push(*c);
        }
    }
    for (i, path) in spec_paths.iter().enumerate() {
        if out[i].is_some() {
            continue;
        }
        let leaf = path.last();
        let candidates: Vec<u32> = sheet_paths
            .iter()
            .filter(|(c, p)| p.last() == leaf && !taken.contains(c))
            .map(|(c, _)| *c)
            .collect();
        if let [c] = candidates.as_slice() {
            out[i] = Some(*c);
            taken.push(*c);
        }
    }
    for i in 0..out.len() {
        if out[i].is_none() {
            let c = left + u32::try_from(i).unwrap_or(0);
            if !taken.contains(&c) {
                out[i] = Some(c);
                taken.push(c);
                let found = sheet_paths
                    .iter()
                    .find(|(col, _)| *col == c)
                    .map(|(_, p)| p.join("/"))
                    .unwrap_or_default();
                if !found.is_empty() {
                    findings.push(Finding::warning(
                        "READ-HEADER",
                        format!(
                            "{} {}：表头“{}”与模板的“{}”不符，按位置读取",
                            sheet.name,
                            a1(header_row, c),
                            found,
                            spec_paths[i].join("/")
                        ),
                        vec![format!("{}!{}", sheet.name, a1(header_row, c))],
                    ));
                }
            }
        }
    }
    out
}

/// A 栏次 row: the mapped cells read 1, 2, 3 … in order.
fn is_numbering_row(sheet: &Sheet, row: u32, columns: &[Option<u32>]) -> bool {
    let texts: Vec<String> = columns
        .iter()
        .flatten()
        .map(|c| label_key(sheet.text(row, *c)))
        .collect();
    texts.len() >= 2
        && texts
            .iter()
            .enumerate()
            .all(|(i, t)| t.is_empty() || *t == (i + 1).to_string())
        && texts.first().is_some_and(|t| t == "1")
}

/// Walks `labels` in order over `rows`, each label matched at or after the
/// previous match; returns the row index per label (by label key).
pub fn align_fixed_rows(
    rows: &[FiledRow],
    spec: &TableSpec,
    col: &str,
    labels: &[&str],
) -> Vec<Option<usize>> {
    let mut next = 0;
    labels
        .iter()
        .map(|label| {
            let want = row_label_key(label);
            if want.is_empty() {
                return None;
            }
            let found = rows
                .iter()
                .enumerate()
                .skip(next)
                .find(|(_, r)| {
                    r.cell(spec, col)
                        .is_some_and(|c| row_label_key(&c.text) == want)
                })
                .map(|(i, _)| i);
            if let Some(i) = found {
                next = i + 1;
            }
            found
        })
        .collect()
}

/// A fixed row label reduced for matching: the numbering prefix
/// (`一、`, `①`, `1.`) removed.
pub fn row_label_key(s: &str) -> String {
    // Circled numbers first: NFKC would turn ② into a plain 2.
    if let Some(rest) = s.trim().strip_prefix(|c: char| ('①'..='⑳').contains(&c)) {
        return label_key(rest);
    }
    let k = label_key(s);
    let numeral = |c: char| "一二三四五六七八九十".contains(c) || c.is_ascii_digit();
    for sep in ['、', '.', '．'] {
        if let Some((head, rest)) = k.split_once(sep) {
            let head = head.trim_matches(|c| c == '(' || c == ')');
            if !head.is_empty() && head.chars().count() <= 4 && head.chars().all(numeral) {
                return rest.to_string();
            }
        }
    }
    k
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
