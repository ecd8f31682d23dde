//! Excel's limit on the text of one cell (32,767 UTF-16 units). Text a
//! department can type through rich text or other tools may exceed it;
//! rust_xlsxwriter then refuses the whole workbook. Such text is cut to the
//! limit, with a finding naming the cell, so the output is still written.

use super::xlsx::body_top;
use crate::findings::Finding;
use crate::read::a1;
use crate::views::{Cell, Table};
use std::borrow::Cow;

/// The most UTF-16 units Excel keeps in one cell.
pub const MAX_CELL_TEXT: usize = 32_767;

/// Marks text that was cut.
const CUT: char = '…';

/// `s` cut to Excel's limit (ending in `…`), or `s` itself.
pub fn clip_text(s: &str) -> Cow<'_, str> {
    if s.len() <= MAX_CELL_TEXT || s.encode_utf16().count() <= MAX_CELL_TEXT {
        return Cow::Borrowed(s);
    }
    let mut out = String::new();
    let mut units = CUT.len_utf16();
    for c in s.chars() {
        units += c.len_utf16();
        if units > MAX_CELL_TEXT {
            break;
        }
        out.push(c);
    }
    out.push(CUT);
    Cow::Owned(out)
}

/// Cuts every over-long text of `tables` (title, header, body cells) to
/// the limit and returns one warning per cell cut, naming the output sheet
/// and cell and how the text began.
pub fn clip_tables(tables: &mut [Table]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for t in tables.iter_mut() {
        let top = body_top(t);
        let sheet = t.sheet.clone();
        let mut cut = |text: &mut String, place: String| {
            if let Cow::Owned(short) = clip_text(text) {
                let start: String = text.chars().take(20).collect();
                findings.push(
                    Finding::warning(
                        "WRITE-TEXT-LIMIT",
                        format!(
                            "{place}的文字（“{start}…”，{} 字）超过 Excel 单元格上限 {MAX_CELL_TEXT} 字，写出时已截断",
                            text.chars().count()
                        ),
                        vec![],
                    )
                    .with_values(format!("不超过 {MAX_CELL_TEXT} 字"), format!("{} 字", text.chars().count())),
                );
                *text = short;
            }
        };
        cut(&mut t.title, format!("{sheet} 标题"));
        for field in [
            &mut t.department,
            &mut t.subtitle,
            &mut t.caption,
            &mut t.note,
        ]
        .into_iter()
        .flatten()
        {
            cut(field, format!("{sheet} 表头"));
        }
        for h in &mut t.header {
            cut(&mut h.text, format!("{sheet} 表头"));
        }
        for (i, row) in t.rows.iter_mut().enumerate() {
            for (c, cell) in row.cells.iter_mut().enumerate() {
                if let Cell::Text(text) = cell {
                    let r = top.saturating_add(u32::try_from(i).unwrap_or(u32::MAX));
                    let at = a1(r, u32::try_from(c).unwrap_or(0));
                    cut(text, format!("{sheet} 单元格 {at} "));
                }
            }
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_at_the_limit_is_kept_and_past_it_is_cut() {
        let at = "字".repeat(MAX_CELL_TEXT);
        assert!(matches!(clip_text(&at), Cow::Borrowed(_)));
        let past = "字".repeat(MAX_CELL_TEXT + 1);
        let cut = clip_text(&past);
        assert_eq!(cut.encode_utf16().count(), MAX_CELL_TEXT);
        assert!(cut.ends_with('…'));
        // A character outside the BMP counts two units and is never split.
        let wide = "😀".repeat(MAX_CELL_TEXT);
        assert!(clip_text(&wide).encode_utf16().count() <= MAX_CELL_TEXT);
    }
}
