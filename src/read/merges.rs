//! Merged ranges of an .xlsx, found by scanning each sheet's XML for
//! `<mergeCell ref="…"/>` instead of parsing it a second time; the same
//! scan checks the shared-string indexes calamine would misread.
//!
//! calamine reports merges through a second full XML parse of every sheet,
//! which cost more than reading the cells. The `<mergeCells>` block is a
//! flat list of `ref` attributes, so a tag scan finds it (src/read/tags.rs,
//! which skips comments and CDATA); the sheet part is streamed in chunks,
//! so memory stays bounded whatever its size.

use super::sheet::Span;
use super::tags;
use super::workbook::MAX_MERGES;
use std::collections::HashMap;
use std::io::{Read, Seek};
use std::rc::Rc;

/// What the scan found, by sheet name, for every worksheet of the archive.
/// Sheets whose part cannot be found or read are simply absent. Each part
/// is scanned once, however many sheets name it, and at most
/// [`MAX_MERGES`] + 1 merges are kept in all.
pub fn scan_sheets<R: Read + Seek>(zip: &mut zip::ZipArchive<R>) -> HashMap<String, Rc<SheetScan>> {
    let mut out = HashMap::new();
    let mut scanned: HashMap<String, Rc<SheetScan>> = HashMap::new();
    let mut room = usize::try_from(MAX_MERGES)
        .unwrap_or(usize::MAX)
        .saturating_add(1);
    let (Some(book), Some(rels)) = (
        read_small(zip, "xl/workbook.xml"),
        read_small(zip, "xl/_rels/workbook.xml.rels"),
    ) else {
        return out;
    };
    let targets = relationship_targets(&rels);
    for (name, rid) in sheet_ids(&book) {
        let Some(target) = targets.get(&rid) else {
            continue;
        };
        let path = match target.strip_prefix('/') {
            Some(abs) => abs.to_string(),
            None => format!("xl/{target}"),
        };
        if let Some(done) = scanned.get(&path) {
            out.insert(name, Rc::clone(done));
        } else if let Ok(entry) = zip.by_name(&path) {
            let found = Rc::new(scan(entry, room));
            room = room.saturating_sub(found.merges.len());
            scanned.insert(path, Rc::clone(&found));
            out.insert(name, found);
        }
    }
    out
}

/// A small part read whole (workbook.xml, its rels), at most 16 MiB.
fn read_small<R: Read + Seek>(zip: &mut zip::ZipArchive<R>, name: &str) -> Option<String> {
    let entry = zip.by_name(name).ok()?;
    let mut text = String::new();
    entry
        .take(16 * 1024 * 1024)
        .read_to_string(&mut text)
        .ok()?;
    Some(text)
}

/// The value of attribute `name` in one tag's text, XML-unescaped.
fn attr(tag: &str, name: &str) -> Option<String> {
    let mut rest = tag;
    loop {
        let at = rest.find(name)?;
        let before = rest[..at].chars().last();
        let after = &rest[at + name.len()..];
        rest = after;
        if !matches!(before, Some(c) if c.is_whitespace()) {
            continue;
        }
        let Some(after) = after.trim_start().strip_prefix('=') else {
            continue;
        };
        let after = after.trim_start();
        let quote = after.chars().next()?;
        if quote != '"' && quote != '\'' {
            continue;
        }
        let body = &after[1..];
        let end = body.find(quote)?;
        return Some(unescape(&body[..end]));
    }
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The tags named `tag` (`<sheet `, `<Relationship `) of a small part.
fn tags<'a>(xml: &'a str, tag: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    xml.match_indices(tag).filter_map(move |(i, _)| {
        let rest = xml.get(i..)?;
        let end = rest.find('>')?;
        rest.get(..end)
    })
}

/// (sheet name, relationship id) in workbook order.
fn sheet_ids(book: &str) -> Vec<(String, String)> {
    tags(book, "<sheet ")
        .filter_map(|t| {
            let rid = attr(t, "r:id").or_else(|| {
                // Any namespace prefix: `x:id`, `ns1:id` …
                t.split_whitespace()
                    .find(|a| a.contains(":id="))
                    .and_then(|a| attr(&format!(" {a}"), a.split('=').next()?))
            })?;
            Some((attr(t, "name")?, rid))
        })
        .collect()
}

/// Relationship id → target.
fn relationship_targets(rels: &str) -> HashMap<String, String> {
    tags(rels, "<Relationship ")
        .filter_map(|t| Some((attr(t, "Id")?, attr(t, "Target")?)))
        .collect()
}

/// What the byte scan of one sheet part found.
#[derive(Debug, Default)]
pub struct SheetScan {
    /// Its merged ranges, in order (at most as many as the scan had room
    /// for: one more than [`MAX_MERGES`] is enough for the reader to refuse
    /// the workbook).
    pub merges: Vec<Span>,
    /// The first cell whose shared-string index is not a plain number
    /// (calamine would read `-1` or `x` as string 0): its reference and
    /// the index as written.
    pub bad_string_index: Option<(String, String)>,
}

/// Streams a sheet part and collects its `<mergeCell ref="…">` ranges and
/// the first malformed shared-string index; markup inside comments and
/// CDATA is not looked at.
pub fn scan(part: impl Read, most: usize) -> SheetScan {
    let mut found = SheetScan::default();
    // The cell whose `<v>` holds a shared-string index, while inside it.
    let mut string_cell: Option<String> = None;
    tags::scan(part, |tag| {
        match tag.name {
            b"mergeCell" if found.merges.len() < most => {
                if let Some(span) = tags::attr(tag.body, b"ref")
                    .and_then(|r| std::str::from_utf8(r).ok())
                    .and_then(parse_range)
                {
                    found.merges.push(span);
                }
            }
            b"c" => {
                string_cell = (tags::attr(tag.body, b"t") == Some(b"s")
                    && !tag.body.ends_with(b"/"))
                .then(|| {
                    let r = tags::attr(tag.body, b"r").unwrap_or_default();
                    String::from_utf8_lossy(r).into_owned()
                });
            }
            b"/c" => string_cell = None,
            b"v" if found.bad_string_index.is_none() => {
                if let Some(cell) = string_cell.take() {
                    let index = tag.text;
                    let plain = !index.is_empty()
                        && index.len() < tags::TEXT_PREVIEW
                        && index.iter().all(u8::is_ascii_digit);
                    if !plain {
                        let shown: String =
                            String::from_utf8_lossy(index).chars().take(20).collect();
                        found.bad_string_index = Some((cell, shown));
                    }
                }
            }
            _ => {}
        }
        true
    });
    found
}

/// `A1:C3` (or a single `B2`) → 0-based span.
pub fn parse_range(r: &str) -> Option<Span> {
    let (a, b) = r.split_once(':').unwrap_or((r, r));
    let (row, col) = parse_a1(a)?;
    let (last_row, last_col) = parse_a1(b)?;
    (row <= last_row && col <= last_col).then_some(Span {
        row,
        col,
        last_row,
        last_col,
    })
}

/// `B6` → (5, 1); `$B$6` accepted.
fn parse_a1(s: &str) -> Option<(u32, u32)> {
    let s = s.trim();
    let unanchored;
    let s = if s.contains('$') {
        unanchored = s.replace('$', "");
        unanchored.as_str()
    } else {
        s
    };
    let letters = s.chars().take_while(char::is_ascii_alphabetic).count();
    let (l, d) = s.split_at(letters);
    if l.is_empty() || l.len() > 3 || d.is_empty() {
        return None;
    }
    let col = l.chars().try_fold(0u32, |acc, c| {
        let v = u32::from(c.to_ascii_uppercase()) - u32::from('A') + 1;
        acc.checked_mul(26)?.checked_add(v)
    })?;
    let row: u32 = d.parse().ok()?;
    (row >= 1 && col >= 1 && row <= 1_048_576 && col <= 16_384).then(|| (row - 1, col - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_parse() {
        assert_eq!(
            parse_range("B2:D3"),
            Some(Span {
                row: 1,
                col: 1,
                last_row: 2,
                last_col: 3
            })
        );
        assert_eq!(
            parse_range("$A$1:$XFD$1048576").map(|s| s.last_col),
            Some(16_383)
        );
        assert_eq!(parse_range("D3:B2"), None);
        assert_eq!(parse_range("A0"), None);
        assert_eq!(parse_range("AAAA1"), None);
    }

    #[test]
    fn merges_are_found_across_chunk_boundaries() {
        let mut xml = String::from("<worksheet><sheetData>");
        xml.push_str(&"<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>".repeat(5000));
        xml.push_str("</sheetData><mergeCells count=\"3\">");
        for i in 1..=3 {
            xml.push_str(&format!("<mergeCell ref=\"A{i}:C{i}\"/>"));
        }
        xml.push_str("</mergeCells></worksheet>");
        let chunk: usize = 64 * 1024;
        for cut in [chunk - 5, chunk - 11, chunk] {
            let mut padded = " ".repeat(cut.saturating_sub(xml.len() % chunk));
            padded.push_str(&xml);
            let spans = scan(padded.as_bytes(), 10).merges;
            assert_eq!(spans.len(), 3, "cut {cut}");
            assert_eq!(spans[2].row, 2);
        }
    }

    #[test]
    fn attributes_are_found_and_unescaped() {
        let tag = r#"<sheet name="A&amp;B" sheetId="2" r:id="rId7""#;
        assert_eq!(attr(tag, "name").as_deref(), Some("A&B"));
        assert_eq!(attr(tag, "r:id").as_deref(), Some("rId7"));
        assert_eq!(attr(tag, "id"), None);
        assert_eq!(
            sheet_ids(&format!("{tag}/>")),
            vec![("A&B".into(), "rId7".into())]
        );
    }
}
