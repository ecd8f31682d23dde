//! The 审核结果 sheet, written as worksheet XML with inline strings: a
//! title, the header lines, then one block per finding (序号, 级别, 规则,
//! 说明, 应为, 实为) with one row per cell it names, each a link to that
//! cell.

use super::styles::SummaryStyles;
use super::xml::{esc, MAIN_NS};
use crate::findings::{Finding, Severity};
use crate::model::CellRef;
use crate::read::a1;
use crate::write::display_width;

/// Name of the findings sheet.
pub const FINDINGS_SHEET: &str = "审核结果";
/// Longest text written in one cell (Excel holds 32,767 characters).
const MAX_CELL_CHARS: usize = 32_000;
/// Display width of the 说明 column, in character units.
const MESSAGE_WIDTH: usize = 68;
const HEADS: [&str; 7] = [
    "序号",
    "级别",
    "规则",
    "说明",
    "应为",
    "实为",
    "单元格（点击跳转）",
];
const WIDTHS: [f64; 7] = [6.0, 8.0, 22.0, MESSAGE_WIDTH as f64 + 2.0, 12.0, 12.0, 24.0];

/// 审核结果, or 审核结果2 … when the workbook already has such a sheet
/// (sheet names compare without regard to case).
pub fn free_name(taken: &[String]) -> String {
    let used = |n: &str| taken.iter().any(|t| t.to_lowercase() == n.to_lowercase());
    let mut name = FINDINGS_SHEET.to_string();
    let mut i = 2;
    while used(&name) {
        name = format!("{FINDINGS_SHEET}{i}");
        i += 1;
    }
    name
}

/// Text clipped to what a cell holds.
pub fn clip(text: &str) -> String {
    if text.chars().count() <= MAX_CELL_CHARS {
        return text.to_string();
    }
    let mut out: String = text.chars().take(MAX_CELL_CHARS).collect();
    out.push_str("…（已截断）");
    out
}

struct Rows {
    xml: String,
    links: String,
    merges: Vec<String>,
}

impl Rows {
    fn text(&mut self, r: u32, c: u32, s: usize, text: &str) {
        if text.is_empty() {
            self.xml
                .push_str(&format!(r#"<c r="{}" s="{s}"/>"#, a1(r, c)));
        } else {
            self.xml.push_str(&format!(
                r#"<c r="{}" s="{s}" t="inlineStr"><is><t xml:space="preserve">{}</t></is></c>"#,
                a1(r, c),
                esc(&clip(text))
            ));
        }
    }

    fn number(&mut self, r: u32, c: u32, s: usize, n: usize) {
        self.xml
            .push_str(&format!(r#"<c r="{}" s="{s}"><v>{n}</v></c>"#, a1(r, c)));
    }

    fn row(&mut self, r: u32, height: Option<f64>, cells: impl FnOnce(&mut Rows)) {
        let ht = height.map_or_else(String::new, |h| format!(r#" ht="{h:.1}" customHeight="1""#));
        self.xml
            .push_str(&format!(r#"<row r="{}"{ht}>"#, u64::from(r) + 1));
        cells(self);
        self.xml.push_str("</row>");
    }
}

/// The findings sheet's XML; `sheets` are the workbook's sheet names, so
/// that only cells of existing sheets become links.
pub fn sheet_xml(
    findings: &[Finding],
    header: &[String],
    sheets: &[String],
    st: &SummaryStyles,
) -> Vec<u8> {
    let mut rows = Rows {
        xml: String::new(),
        links: String::new(),
        merges: Vec::new(),
    };
    rows.row(0, None, |x| x.text(0, 0, st.title, FINDINGS_SHEET));
    let mut r: u32 = 0;
    for line in header {
        r += 1;
        rows.row(r, None, |x| x.text(r, 0, 0, line));
    }
    r += 2;
    let head_row = r;
    rows.row(r, None, |x| {
        for (c, h) in (0u32..).zip(HEADS) {
            x.text(head_row, c, st.head, h);
        }
    });
    for (i, f) in findings.iter().enumerate() {
        r += 1;
        let first = r;
        let n = u32::try_from(f.cells.len().max(1)).unwrap_or(1);
        let lines = u32::try_from(display_width(&f.message) / MESSAGE_WIDTH + 1).unwrap_or(1);
        let height = (lines > n).then(|| f64::from(15 * lines) / f64::from(n) + 1.0);
        let level = if f.severity == Severity::Error {
            st.error
        } else {
            st.warning
        };
        for j in 0..n {
            let row = first + j;
            let cell = f.cells.get(usize::try_from(j).unwrap_or(0));
            rows.row(row, height, |x| {
                if j == 0 {
                    x.number(row, 0, st.top, i + 1);
                    x.text(row, 1, level, f.severity.label());
                    x.text(row, 2, st.top, &f.rule);
                    x.text(row, 3, st.wrap, &f.message);
                    x.text(row, 4, st.top, f.expected.as_deref().unwrap_or(""));
                    x.text(row, 5, st.top, f.found.as_deref().unwrap_or(""));
                }
                if let Some(cell) = cell {
                    let target = link_target(cell, sheets);
                    let written = cell.to_string();
                    x.text(
                        row,
                        6,
                        if target.is_some() { st.link } else { st.top },
                        &written,
                    );
                    if let Some(target) = target {
                        x.links.push_str(&format!(
                            r#"<hyperlink ref="{}" location="{}" display="{}"/>"#,
                            a1(row, 6),
                            esc(&target),
                            esc(&clip(&written))
                        ));
                    }
                }
            });
        }
        r = first + n - 1;
        if n > 1 {
            for c in 0..6 {
                rows.merges.push(format!("{}:{}", a1(first, c), a1(r, c)));
            }
        }
    }
    if findings.is_empty() {
        r += 1;
        rows.row(r, None, |x| x.text(r, 0, 0, "未发现问题。"));
    }
    let cols: String = (1u32..)
        .zip(WIDTHS)
        .map(|(c, w)| format!(r#"<col min="{c}" max="{c}" width="{w}" customWidth="1"/>"#))
        .collect();
    let merges = if rows.merges.is_empty() {
        String::new()
    } else {
        let list: String = rows
            .merges
            .iter()
            .map(|m| format!(r#"<mergeCell ref="{m}"/>"#))
            .collect();
        format!(
            r#"<mergeCells count="{}">{list}</mergeCells>"#,
            rows.merges.len()
        )
    };
    let links = if rows.links.is_empty() {
        String::new()
    } else {
        format!("<hyperlinks>{}</hyperlinks>", rows.links)
    };
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            "\n",
            r#"<worksheet xmlns="{ns}"><sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>"#,
            r#"<sheetViews><sheetView tabSelected="1" workbookViewId="0"><pane ySplit="{split}" topLeftCell="A{top}" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>"#,
            r#"<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>{rows}</sheetData>{merges}{links}"#,
            r#"<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>"#,
            r#"<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/></worksheet>"#
        ),
        ns = MAIN_NS,
        split = head_row + 1,
        top = head_row + 2,
        cols = cols,
        rows = rows.xml,
        merges = merges,
        links = links,
    )
    .into_bytes()
}

/// `'sheet'!A1` for a reference to an existing sheet.
fn link_target(reference: &CellRef, sheets: &[String]) -> Option<String> {
    let name = sheets.iter().find(|s| **s == reference.sheet)?;
    Some(format!("'{}'!{}", name.replace('\'', "''"), reference.cell))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_findings_sheet_does_not_take_an_existing_name() {
        let taken = vec!["审核结果".to_string()];
        assert_eq!(free_name(&taken), "审核结果2");
    }

    #[test]
    fn overlong_text_is_clipped() {
        let long = "名".repeat(40_000);
        assert!(clip(&long).chars().count() < 32_767);
    }
}
