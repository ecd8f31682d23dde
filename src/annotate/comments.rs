//! Notes on flagged cells: the comments part of a sheet and the legacy
//! (VML) drawing that shows them. A sheet that already has comments keeps
//! them: a flagged cell with a comment gets the finding appended to it,
//! the others get new comments, and the existing drawing gets their shapes.

use super::package::Problem;
use super::xml::{attr, esc, local, scan, Splice, MAIN_NS};
use crate::read::a1;
use quick_xml::events::Event;

/// Author of the notes.
const AUTHOR: &str = "budgetkit";

/// One note.
#[derive(Debug, Clone)]
pub struct Note {
    /// Row (0-based).
    pub row: u32,
    /// Column (0-based).
    pub col: u32,
    /// The findings naming the cell.
    pub text: String,
}

fn run(text: &str) -> String {
    format!(
        r#"<r><rPr><sz val="9"/><rFont val="宋体"/><family val="3"/><charset val="134"/></rPr><t xml:space="preserve">{}</t></r>"#,
        esc(text)
    )
}

fn comment(note: &Note, author: usize) -> String {
    format!(
        r#"<comment ref="{}" authorId="{author}"><text>{}</text></comment>"#,
        a1(note.row, note.col),
        run(&note.text)
    )
}

/// A new comments part holding `notes`.
pub fn new_comments(notes: &[Note]) -> Vec<u8> {
    let list: String = notes.iter().map(|n| comment(n, 0)).collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{}<comments xmlns="{MAIN_NS}"><authors><author>{AUTHOR}</author></authors><commentList>{list}</commentList></comments>"#,
        "\n"
    )
    .into_bytes()
}

/// An existing comments part with `notes` merged in, and the notes that
/// became new comments (they need a shape in the drawing).
///
/// # Errors
/// When the part is malformed.
pub fn merge_comments(xml: &[u8], notes: &[Note]) -> Result<(Vec<u8>, Vec<Note>), Problem> {
    let items = scan(xml)?;
    let mut authors = 0usize;
    let mut authors_close = None;
    let mut list_close = None;
    let mut current: Option<(u32, u32)> = None;
    let mut text_close: Vec<((u32, u32), usize)> = Vec::new();
    for item in &items {
        match &item.event {
            Event::Start(_) | Event::Empty(_) if local(&item.event) == "author" => authors += 1,
            Event::End(_) if local(&item.event) == "authors" => authors_close = Some(item.start),
            Event::End(_) if local(&item.event) == "commentList" => list_close = Some(item.start),
            Event::Start(e) if local(&item.event) == "comment" => {
                current =
                    attr(e, "ref").and_then(|r| crate::read::parse_a1(&r.to_ascii_uppercase()));
            }
            Event::End(_) if local(&item.event) == "text" => {
                if let Some(at) = current {
                    text_close.push((at, item.start));
                }
            }
            _ => {}
        }
    }
    let (Some(authors_close), Some(list_close)) = (authors_close, list_close) else {
        return Err("已有批注部件的结构不完整（缺少 authors 或 commentList）".into());
    };
    let mut splice = Splice::default();
    splice.insert(authors_close, format!("<author>{AUTHOR}</author>"));
    let mut fresh = Vec::new();
    let mut added = String::new();
    for note in notes {
        match text_close
            .iter()
            .find(|(at, _)| *at == (note.row, note.col))
        {
            Some((_, close)) => splice.insert(*close, run(&format!("\n{}", note.text))),
            None => {
                added.push_str(&comment(note, authors));
                fresh.push(note.clone());
            }
        }
    }
    splice.insert(list_close, added);
    Ok((splice.apply(xml), fresh))
}

/// The VML shapes of `notes`, ids from `first`.
fn shapes(notes: &[Note], first: u64) -> String {
    let mut out = String::new();
    for (i, n) in notes.iter().enumerate() {
        let id = first + u64::try_from(i).unwrap_or(0);
        let (r, c) = (u64::from(n.row), u64::from(n.col));
        out.push_str(&format!(
            concat!(
                r##"<v:shape id="_x0000_s{id}" type="#_x0000_t202" style="position:absolute;margin-left:59.25pt;margin-top:1.5pt;width:270pt;height:90pt;z-index:{z};visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto">"##,
                r##"<v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/>"##,
                r#"<v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox>"#,
                r#"<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/>"#,
                r#"<x:Anchor>{c1}, 15, {r0}, 10, {c2}, 15, {r2}, 4</x:Anchor><x:AutoFill>False</x:AutoFill>"#,
                r#"<x:Row>{r}</x:Row><x:Column>{c}</x:Column></x:ClientData></v:shape>"#
            ),
            id = id,
            z = i + 1,
            c1 = c + 1,
            r0 = r.saturating_sub(1),
            c2 = c + 5,
            r2 = r + 6,
            r = r,
            c = c,
        ));
    }
    out
}

const SHAPETYPE: &str = r#"<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>"#;

/// A new VML drawing for `notes`; `block` makes its shape ids unique in
/// the workbook (`o:idmap` lists the blocks of 1,024 ids the shapes use,
/// from 1024 × block + 1).
pub fn new_vml(notes: &[Note], block: u32) -> Vec<u8> {
    format!(
        concat!(
            r#"<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">"#,
            r#"<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{blocks}"/></o:shapelayout>{shapetype}{shapes}</xml>"#
        ),
        blocks = (0..=notes.len() / 1024)
            .map(|i| (u64::from(block) + u64::try_from(i).unwrap_or(0)).to_string())
            .collect::<Vec<_>>()
            .join(","),
        shapetype = SHAPETYPE,
        shapes = shapes(notes, u64::from(block) * 1024 + 1),
    )
    .into_bytes()
}

/// An existing VML drawing with shapes for `notes` added (and the note
/// shape type, when it lacks it); ids from 1024 × block + 1.
pub fn merge_vml(xml: &[u8], notes: &[Note], block: u32) -> Vec<u8> {
    let text = String::from_utf8_lossy(xml);
    let Some(end) = text.rfind("</xml>") else {
        return new_vml(notes, block);
    };
    let mut out = String::with_capacity(text.len() + notes.len() * 700);
    out.push_str(text.get(..end).unwrap_or_default());
    if !text.contains("_x0000_t202") {
        out.push_str(SHAPETYPE);
    }
    out.push_str(&shapes(notes, u64::from(block) * 1024 + 1));
    out.push_str(text.get(end..).unwrap_or_default());
    out.into_bytes()
}

/// The largest `o:idmap` block number used in a VML drawing.
pub fn idmap_blocks(xml: &[u8]) -> u32 {
    let text = String::from_utf8_lossy(xml);
    text.split("data=\"")
        .skip(1)
        .flat_map(|s| {
            s.split('"')
                .next()
                .unwrap_or_default()
                .split(',')
                .filter_map(|n| n.trim().parse::<u32>().ok())
                .collect::<Vec<_>>()
        })
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(row: u32, col: u32, text: &str) -> Note {
        Note {
            row,
            col,
            text: text.into(),
        }
    }

    #[test]
    fn existing_comments_are_kept_and_extended() {
        let xml = r#"<comments xmlns="m"><authors><author>张三</author></authors><commentList><comment ref="B2" authorId="0"><text><t>请核对</t></text></comment></commentList></comments>"#;
        let (out, fresh) = merge_comments(
            xml.as_bytes(),
            &[note(1, 1, "错误 A"), note(4, 0, "提示 B")],
        )
        .unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(out.contains("<author>张三</author><author>budgetkit</author>"));
        assert!(out.contains("<t>请核对</t><r>"), "{out}");
        assert!(out.contains(r#"<comment ref="A5" authorId="1">"#));
        assert_eq!(fresh.len(), 1);
        assert_eq!(out.matches("<comment ").count(), 2);
    }

    #[test]
    fn idmap_blocks_are_found() {
        let vml = br#"<o:idmap v:ext="edit" data="1,3"/>"#;
        assert_eq!(idmap_blocks(vml), 3);
    }
}
