//! The styles part, extended: two fills (red for errors, yellow for
//! warnings), three fonts and the cell formats of the findings sheet, and
//! for each flagged cell a copy of its own format with the fill set — so
//! its borders, number format, font and protection stay as they were. The
//! department's formats are untouched and keep their indices.

use super::package::Problem;
use super::xml::{local, prefix, retag, scan, Splice};
use quick_xml::events::Event;
use std::collections::HashMap;

/// How a cell is flagged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mark {
    /// An error finding names it (red).
    Error,
    /// Only warnings name it (yellow).
    Warning,
}

/// Formats of the findings sheet, as cell format indices.
#[derive(Debug, Clone, Copy)]
pub struct SummaryStyles {
    /// The sheet's title.
    pub title: usize,
    /// Column heads.
    pub head: usize,
    /// Top-aligned text.
    pub top: usize,
    /// Wrapped, top-aligned text.
    pub wrap: usize,
    /// 错误, on red.
    pub error: usize,
    /// 提示, on yellow.
    pub warning: usize,
    /// A link.
    pub link: usize,
}

/// One list element of the styles part (`fonts`, `fills`, `cellXfs`).
struct List {
    /// Span of its start tag (or of the whole element when empty).
    open: (usize, usize),
    empty: bool,
    /// Where its end tag starts.
    close: usize,
    /// Spans of its children.
    items: Vec<(usize, usize)>,
    prefix: String,
    tag: String,
}

/// The styles part and the formats added to it.
pub struct StyleBook {
    xml: Vec<u8>,
    fonts: List,
    fills: List,
    xfs: List,
    copies: Vec<String>,
    made: HashMap<(usize, Mark), usize>,
    /// The findings sheet's formats.
    pub summary: SummaryStyles,
}

const FILLS: [&str; 2] = ["FFFFC7CE", "FFFFEB9C"];

impl StyleBook {
    /// Reads the styles part.
    ///
    /// # Errors
    /// When it is malformed or lacks its fonts, fills or cell formats.
    pub fn new(xml: Vec<u8>) -> Result<StyleBook, Problem> {
        let (fonts, fills, xfs) = {
            let mut lists: HashMap<&str, List> = HashMap::new();
            let items = scan(&xml)?;
            let mut open: Option<(&str, usize)> = None;
            let mut child_start = 0usize;
            for item in &items {
                let name = local(&item.event);
                match &item.event {
                    Event::Start(e) | Event::Empty(e)
                        if item.depth == 1 && matches!(name, "fonts" | "fills" | "cellXfs") =>
                    {
                        let empty = matches!(item.event, Event::Empty(_));
                        let key: &str = match name {
                            "fonts" => "fonts",
                            "fills" => "fills",
                            _ => "cellXfs",
                        };
                        lists.insert(
                            key,
                            List {
                                open: (item.start, item.end),
                                empty,
                                close: item.end,
                                items: Vec::new(),
                                prefix: prefix(e),
                                tag: e.name().as_ref().to_string(),
                            },
                        );
                        if !empty {
                            open = Some((key, item.depth));
                        }
                    }
                    Event::Start(_) if open.is_some() && item.depth == 2 => {
                        child_start = item.start
                    }
                    Event::Empty(_) if item.depth == 2 => {
                        if let Some(list) = open.and_then(|(k, _)| lists.get_mut(k)) {
                            list.items.push((item.start, item.end));
                        }
                    }
                    Event::End(_) if item.depth == 2 => {
                        if let Some(list) = open.and_then(|(k, _)| lists.get_mut(k)) {
                            list.items.push((child_start, item.end));
                        }
                    }
                    Event::End(_) if item.depth == 1 => {
                        if let Some(list) = open.take().and_then(|(k, _)| lists.get_mut(k)) {
                            list.close = item.start;
                        }
                    }
                    _ => {}
                }
            }
            let mut take = |k: &str, what: &str| {
                lists
                    .remove(k)
                    .ok_or_else(|| format!("样式部件缺少{what}（<{}>）", k))
            };
            (
                take("fonts", "字体表")?,
                take("fills", "填充表")?,
                take("cellXfs", "单元格格式表")?,
            )
        };
        let base = xfs.items.len();
        let summary = SummaryStyles {
            title: base,
            head: base + 1,
            top: base + 2,
            wrap: base + 3,
            error: base + 4,
            warning: base + 5,
            link: base + 6,
        };
        Ok(StyleBook {
            xml,
            fonts,
            fills,
            xfs,
            copies: Vec::new(),
            made: HashMap::new(),
            summary,
        })
    }

    fn fill_id(&self, mark: Mark) -> usize {
        self.fills.items.len() + usize::from(mark == Mark::Warning)
    }

    /// The format index for a cell of format `base` flagged `mark`: a copy
    /// of `base` (format 0 when `base` is not a format) with the fill set.
    pub fn marked(&mut self, base: usize, mark: Mark) -> usize {
        let base = if base < self.xfs.items.len() { base } else { 0 };
        if let Some(i) = self.made.get(&(base, mark)) {
            return *i;
        }
        let fill = self.fill_id(mark).to_string();
        let copy = self
            .xfs
            .items
            .get(base)
            .and_then(|(s, e)| self.xml.get(*s..*e))
            .and_then(|src| refill(src, &fill))
            .unwrap_or_else(|| {
                format!(
                    r#"<{}xf numFmtId="0" fontId="0" fillId="{fill}" borderId="0" xfId="0" applyFill="1"/>"#,
                    self.xfs.prefix
                )
            });
        let index = self.xfs.items.len() + 7 + self.copies.len();
        self.copies.push(copy);
        self.made.insert((base, mark), index);
        index
    }

    /// The styles part with the fonts, fills and formats added.
    pub fn finish(self) -> Vec<u8> {
        let font0 = self.fonts.items.len();
        let fp = &self.fonts.prefix;
        let fonts = [
            format!(r#"<{fp}font><{fp}b/><{fp}sz val="14"/><{fp}name val="宋体"/></{fp}font>"#),
            format!(r#"<{fp}font><{fp}b/><{fp}sz val="11"/><{fp}name val="宋体"/></{fp}font>"#),
            format!(
                r#"<{fp}font><{fp}u/><{fp}sz val="11"/><{fp}color rgb="FF0563C1"/><{fp}name val="宋体"/></{fp}font>"#
            ),
        ];
        let lp = &self.fills.prefix;
        let fills = FILLS.map(|rgb| {
            format!(
                r#"<{lp}fill><{lp}patternFill patternType="solid"><{lp}fgColor rgb="{rgb}"/><{lp}bgColor indexed="64"/></{lp}patternFill></{lp}fill>"#
            )
        });
        let xp = &self.xfs.prefix;
        let xf = |font: usize, fill: usize, align: &str| {
            let (apply, inner) = if align.is_empty() {
                (String::new(), String::new())
            } else {
                (
                    r#" applyAlignment="1""#.to_string(),
                    format!("<{xp}alignment {align}/>"),
                )
            };
            let fill_attr = if fill > 0 { r#" applyFill="1""# } else { "" };
            format!(
                r#"<{xp}xf numFmtId="0" fontId="{font}" fillId="{fill}" borderId="0" xfId="0" applyFont="1"{fill_attr}{apply}>{inner}</{xp}xf>"#
            )
        };
        let top = r#"vertical="top""#;
        let (red, yellow) = (self.fill_id(Mark::Error), self.fill_id(Mark::Warning));
        let mut xfs = vec![
            xf(font0, 0, ""),
            xf(font0 + 1, 0, ""),
            xf(0, 0, top),
            xf(0, 0, r#"vertical="top" wrapText="1""#),
            xf(0, red, top),
            xf(0, yellow, top),
            xf(font0 + 2, 0, top),
        ];
        xfs.extend(self.copies.iter().cloned());
        let mut splice = Splice::default();
        for (list, added) in [
            (&self.fonts, fonts.to_vec()),
            (&self.fills, fills.to_vec()),
            (&self.xfs, xfs),
        ] {
            extend(&mut splice, &self.xml, list, &added);
        }
        splice.apply(&self.xml)
    }
}

/// Appends `added` to a list and updates its count.
fn extend(splice: &mut Splice, xml: &[u8], list: &List, added: &[String]) {
    let count = (list.items.len() + added.len()).to_string();
    let body = added.concat();
    let Some(tag) = xml.get(list.open.0..list.open.1) else {
        return;
    };
    let Some(Ok(item)) = super::xml::Scanner::new(tag).next() else {
        return;
    };
    let (Event::Start(e) | Event::Empty(e)) = &item.event else {
        return;
    };
    let open = retag(e, &[("count", Some(count))], false);
    if list.empty {
        splice.replace(
            list.open.0,
            list.open.1,
            format!("{open}{body}</{}>", list.tag),
        );
    } else {
        splice.replace(list.open.0, list.open.1, open);
        splice.insert(list.close, body);
    }
}

/// An `<xf>` element with its fill replaced.
fn refill(src: &[u8], fill: &str) -> Option<String> {
    let Some(Ok(item)) = super::xml::Scanner::new(src).next() else {
        return None;
    };
    let (Event::Start(e) | Event::Empty(e)) = &item.event else {
        return None;
    };
    let empty = matches!(item.event, Event::Empty(_));
    let tag = retag(
        e,
        &[
            ("fillId", Some(fill.to_string())),
            ("applyFill", Some("1".into())),
        ],
        empty,
    );
    let rest = String::from_utf8_lossy(src.get(item.end..)?).into_owned();
    Some(tag + &rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    const STYLES: &str = r#"<?xml version="1.0"?><styleSheet xmlns="m"><fonts count="1"><font><sz val="11"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border/></borders><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/><xf numFmtId="2" fontId="0" fillId="0" borderId="0" applyProtection="1"><protection locked="0"/></xf></cellXfs></styleSheet>"#;

    #[test]
    fn a_marked_format_is_a_copy_with_the_fill_and_the_originals_stay() {
        let mut book = StyleBook::new(STYLES.as_bytes().to_vec()).unwrap();
        assert_eq!(book.summary.title, 2);
        assert_eq!(book.marked(1, Mark::Error), 9);
        assert_eq!(book.marked(1, Mark::Error), 9);
        assert_eq!(book.marked(77, Mark::Warning), 10);
        let out = String::from_utf8(book.finish()).unwrap();
        let original = STYLES
            .split("<cellXfs")
            .nth(1)
            .unwrap()
            .split("</cellXfs>")
            .next()
            .unwrap();
        let xfs = out.split("<cellXfs").nth(1).unwrap();
        assert!(xfs.starts_with(r#" count="11">"#), "{xfs}");
        assert!(xfs.contains(&original[original.find('>').unwrap() + 1..]));
        assert!(out.contains(r#"<xf numFmtId="2" fontId="0" borderId="0" applyProtection="1" fillId="2" applyFill="1"><protection locked="0"/></xf>"#), "{out}");
        assert!(out.contains(r#"<fills count="4">"#));
        assert!(out.contains(r#"<fonts count="4">"#));
    }
}
