//! The `<sheetData>` of a worksheet part read byte by byte: rows, cells,
//! values and formulas, the events calamine acts on, without an XML
//! tokenizer's per-event cost.
//!
//! Only the plain shape every spreadsheet writer produces is read here —
//! `<row>`, `<c>`, `<v>`, `<f>` and `<is>` (the inline string read by the
//! shared strings' reader), unprefixed names, quoted attributes, text
//! without entities or carriage returns between them. Anything else
//! (a comment, CDATA, a processing instruction, a namespace prefix, an
//! entity, another element, a malformed tag) is [`Unsure`]: the workbook
//! then goes to calamine (see src/read/xlsx_stream.rs).

use super::xlsx_book::{plain, rich_string};
use super::xlsx_stream::{cell_ref, row_number, scalar, xml_reader, Sure, Unsure};
use calamine::DataRef;
use memchr::memchr;
use std::collections::HashSet;

/// One tag of the sheet data.
struct Tag<'x> {
    /// The name (no prefix allowed).
    name: &'x [u8],
    /// The attribute text after the name.
    attrs: &'x str,
    /// `</name>`.
    end: bool,
    /// `<name …/>`.
    empty: bool,
}

/// A cursor over the sheet data.
pub struct SheetData<'x> {
    xml: &'x [u8],
    /// The same part as text (checked UTF-8 once): values are slices of it.
    text: &'x str,
    at: usize,
}

impl<'x> SheetData<'x> {
    /// Starts after `<sheetData>` at byte `at` of the part.
    pub fn new(text: &'x str, at: usize) -> Self {
        SheetData {
            xml: text.as_bytes(),
            text,
            at,
        }
    }

    /// Where reading stopped: after `</sheetData>` once [`Self::cells`]
    /// returned.
    pub fn position(&self) -> usize {
        self.at
    }

    /// The next tag; text before it must be white space.
    fn tag(&mut self) -> Sure<Tag<'x>> {
        let start = self.at;
        let rest = self.xml.get(start..).ok_or(Unsure)?;
        // Tags mostly follow one another: no search for the first `<`.
        let lt = match rest.first() {
            Some(b'<') => 0,
            _ => memchr(b'<', rest).ok_or(Unsure)?,
        };
        if !rest
            .get(..lt)
            .ok_or(Unsure)?
            .iter()
            .all(u8::is_ascii_whitespace)
        {
            return Err(Unsure);
        }
        let rest = rest.get(lt + 1..).ok_or(Unsure)?;
        let (end, body_from) = match rest.first() {
            Some(b'/') => (true, 1),
            Some(c) if c.is_ascii_alphabetic() || *c == b'_' => (false, 0),
            _ => return Err(Unsure),
        };
        let gt = tag_end(rest)?;
        let body = rest.get(body_from..gt).ok_or(Unsure)?;
        self.at += lt + 1 + gt + 1;
        let name_len = body
            .iter()
            .position(|b| b.is_ascii_whitespace() || *b == b'/')
            .unwrap_or(body.len());
        let (name, tail) = body.split_at(name_len);
        if name.is_empty() || name.iter().any(|b| matches!(b, b':' | b'<')) {
            return Err(Unsure);
        }
        let tail_at = start + lt + 1 + body_from + name_len;
        if end {
            return if tail.is_empty() {
                Ok(Tag {
                    name,
                    attrs: "",
                    end,
                    empty: false,
                })
            } else {
                Err(Unsure)
            };
        }
        let (attrs, empty) = match tail.strip_suffix(b"/") {
            Some(a) => (a, true),
            None => (tail, false),
        };
        let attrs = self
            .text
            .get(tail_at..tail_at + attrs.len())
            .ok_or(Unsure)?;
        Ok(Tag {
            name,
            attrs,
            end,
            empty,
        })
    }

    /// The raw text up to the next `<`, which must open `</name>`.
    fn text_to_end(&mut self, name: &[u8]) -> Sure<&'x str> {
        let rest = self.xml.get(self.at..).ok_or(Unsure)?;
        let lt = find(b'<', rest).ok_or(Unsure)?;
        let text = rest.get(..lt).ok_or(Unsure)?;
        if text.contains(&b'\r') {
            return Err(Unsure);
        }
        let close = rest.get(lt + 2..).ok_or(Unsure)?;
        if rest.get(lt + 1) != Some(&b'/')
            || !close.starts_with(name)
            || close.get(name.len()) != Some(&b'>')
        {
            return Err(Unsure);
        }
        let from = self.at;
        self.at += lt + 2 + name.len() + 1;
        self.text.get(from..from + text.len()).ok_or(Unsure)
    }

    /// Calls `put` for every cell in stream order with its position, value
    /// and formula, as calamine's cell reader reports them, up to and
    /// including `</sheetData>`.
    pub fn cells(
        &mut self,
        strings: &[String],
        mut put: impl FnMut(u32, u32, DataRef<'_>, Option<String>) -> Sure<()>,
    ) -> Sure<()> {
        let (mut row, mut col) = (0u32, 0u32);
        let mut shared: HashSet<usize> = HashSet::new();
        loop {
            let tag = self.tag()?;
            match (tag.name, tag.end) {
                (b"row", false) => {
                    if let [Some(r)] = pick(tag.attrs, [b"r"])? {
                        row = row_number(r)?;
                    }
                    if tag.empty {
                        row = row.checked_add(1).ok_or(Unsure)?;
                        col = 0;
                    }
                }
                (b"row", true) => {
                    row = row.checked_add(1).ok_or(Unsure)?;
                    col = 0;
                }
                (b"c", false) => {
                    let [r, _, typ] = pick(tag.attrs, [b"r", b"s", b"t"])?;
                    let pos = match r {
                        Some(r) => {
                            let p = cell_ref(r)?;
                            col = p.1;
                            p
                        }
                        None => (row, col),
                    };
                    let (value, formula) = if tag.empty {
                        (DataRef::Empty, None)
                    } else {
                        self.cell(strings, typ, &mut shared)?
                    };
                    col = col.checked_add(1).ok_or(Unsure)?;
                    put(pos.0, pos.1, value, formula)?;
                }
                (b"sheetData", true) => return Ok(()),
                _ => return Err(Unsure),
            }
        }
    }

    /// The children of one `<c>` up to its end: the value and formula.
    fn cell<'s>(
        &mut self,
        strings: &'s [String],
        typ: Option<&str>,
        shared: &mut HashSet<usize>,
    ) -> Sure<(DataRef<'s>, Option<String>)> {
        let mut value = DataRef::Empty;
        let mut formula = None;
        loop {
            let tag = self.tag()?;
            match (tag.name, tag.end) {
                (b"c", true) => return Ok((value, formula)),
                (_, true) => return Err(Unsure),
                (b"f", false) => {
                    let text = if tag.empty {
                        ""
                    } else {
                        self.text_to_end(b"f")?
                    };
                    formula = shared_formula(tag.attrs, &unescaped(text)?, shared)?;
                }
                (b"v", false) => {
                    let text = if tag.empty {
                        ""
                    } else {
                        self.text_to_end(b"v")?
                    };
                    value = match typ {
                        Some("inlineStr" | "is") => DataRef::Empty,
                        Some("n" | "s" | "b" | "e") | None => {
                            // calamine reads these up to an entity only.
                            if !text.is_ascii() || text.contains('&') {
                                return Err(Unsure);
                            }
                            scalar(strings, typ, text)?
                        }
                        Some("str") => DataRef::String(plain(&unescaped(text)?)?.to_string()),
                        Some("d") => DataRef::DateTimeIso(plain(&unescaped(text)?)?.to_string()),
                        Some(_) => return Err(Unsure),
                    };
                }
                (b"is", false) if !tag.empty => {
                    // The inline string, by the shared strings' reader.
                    let rest = self.xml.get(self.at..).ok_or(Unsure)?;
                    let mut r = xml_reader(rest);
                    value = rich_string(&mut r, "is")?.map_or(DataRef::Empty, DataRef::String);
                    let read = usize::try_from(r.buffer_position()).map_err(|_| Unsure)?;
                    self.at = self.at.checked_add(read).ok_or(Unsure)?;
                }
                _ => return Err(Unsure),
            }
        }
    }
}

/// Text with its entity and character references replaced, as calamine
/// joins text and references (an unknown entity is [`Unsure`]).
fn unescaped(text: &str) -> Sure<std::borrow::Cow<'_, str>> {
    quick_xml::escape::unescape(text).map_err(|_| Unsure)
}

/// The formula text calamine reports for a `<f>` with these attributes.
fn shared_formula(attrs: &str, text: &str, shared: &mut HashSet<usize>) -> Sure<Option<String>> {
    let [t, si, range] = pick(attrs, [b"t", b"si", b"ref"])?;
    if t != Some("shared") {
        return Ok(Some(text.to_string()));
    }
    let si = si.ok_or(Unsure)?;
    if si.is_empty() || si.len() > 9 || !si.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Unsure);
    }
    let si: usize = si.parse().map_err(|_| Unsure)?;
    match range {
        Some(range) => {
            if range.split(':').count() > 2 {
                return Err(Unsure);
            }
            for p in range.split(':') {
                cell_ref(p)?;
            }
            shared.insert(si);
            Ok(Some(text.to_string()))
        }
        // calamine would expand the anchor's formula for this cell.
        None if shared.contains(&si) => Err(Unsure),
        None => Ok(None),
    }
}

/// The index of the `>` ending a tag whose text starts `rest` (after its
/// `<`), skipping quoted attribute values.
fn tag_end(rest: &[u8]) -> Sure<usize> {
    let mut i = 0;
    while let Some(b) = rest.get(i) {
        match *b {
            b'>' => return Ok(i),
            b'<' => return Err(Unsure),
            q @ (b'"' | b'\'') => {
                let value = rest.get(i + 1..).ok_or(Unsure)?;
                i += find(q, value).ok_or(Unsure)? + 2;
            }
            _ => i += 1,
        }
    }
    Err(Unsure)
}

/// The first `byte` in `hay`: a plain scan, as what is searched here (a
/// value, an attribute) is short.
fn find(byte: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|b| *b == byte)
}

/// The raw values of attributes `keys` in a tag's attribute text, read as
/// calamine's `get_attrs!` reads them: in order, a later match of a key
/// overwriting an earlier one, and stopping once as many matches as keys
/// were seen (so `s="1" s="1" t="s"` has no `t`). Pairs are `name="value"`
/// (or single quotes) separated by white space; anything else, or an
/// entity in a value read, is [`Unsure`].
fn pick<'a, const N: usize>(attrs: &'a str, keys: [&[u8]; N]) -> Sure<[Option<&'a str>; N]> {
    let text = attrs.as_bytes();
    let at = |i: usize| text.get(i).copied();
    let skip_space = |mut i: usize| {
        while at(i).is_some_and(|b| b.is_ascii_whitespace()) {
            i += 1;
        }
        i
    };
    let mut out = [None; N];
    let mut found = 0;
    let mut i = 0;
    loop {
        let from = i;
        i = skip_space(i);
        if i >= text.len() || found == N {
            return Ok(out);
        }
        if i == from {
            // Attributes must be separated by white space.
            return Err(Unsure);
        }
        // The name: graphic bytes other than quotes, up to `=` (white
        // space before it allowed).
        let name_from = i;
        while at(i).is_some_and(|b| b.is_ascii_graphic() && !matches!(b, b'=' | b'"' | b'\'')) {
            i += 1;
        }
        let key = text.get(name_from..i).ok_or(Unsure)?;
        i = skip_space(i);
        if key.is_empty() || at(i) != Some(b'=') {
            return Err(Unsure);
        }
        i = skip_space(i + 1);
        let quote = at(i).ok_or(Unsure)?;
        if quote != b'"' && quote != b'\'' {
            return Err(Unsure);
        }
        let value_from = i + 1;
        let end = value_from + find(quote, text.get(value_from..).ok_or(Unsure)?).ok_or(Unsure)?;
        if let Some(k) = keys.iter().position(|k| same(k, key)) {
            let raw = text.get(value_from..end).ok_or(Unsure)?;
            if raw.iter().any(|b| matches!(b, b'&' | b'<')) {
                return Err(Unsure);
            }
            let slot = out.get_mut(k).ok_or(Unsure)?;
            *slot = Some(attrs.get(value_from..end).ok_or(Unsure)?);
            found += 1;
        }
        i = end + 1;
    }
}

/// Byte strings compared in place (attribute names are a byte or two: a
/// call to `memcmp` costs more than the comparison).
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(xml: &str) -> Sure<Vec<String>> {
        let mut out = Vec::new();
        let mut data = SheetData::new(xml, 0);
        let strings = vec!["s0".to_string()];
        data.cells(&strings, |r, c, v, f| {
            out.push(format!("{r},{c}:{v:?}:{f:?}"));
            Ok(())
        })?;
        Ok(out)
    }

    #[test]
    fn rows_and_cells_are_placed_as_calamine_places_them() {
        let cells = read(
            r#"<row r="3"><c r="B3" t="s"><v>0</v></c><c><v>1.5</v></c><c/></row><row><c t="str"><f>A1&amp;B1</f><v>x</v></c></row></sheetData>"#,
        );
        assert_eq!(cells.unwrap()[3], "3,0:String(\"x\"):Some(\"A1&B1\")");
        let cells = read(
            r#"<row r="3"><c r="B3" t="s"><v>0</v></c><c s='2'><v>1.5</v></c><c/></row><row><c t="str"><f>_xlfn.X(A1)</f><v>x</v></c></row></sheetData>"#,
        )
        .unwrap();
        assert_eq!(
            cells,
            vec![
                "2,1:SharedString(\"s0\"):None",
                "2,2:Float(1.5):None",
                "2,3:Empty:None",
                "3,0:String(\"x\"):Some(\"_xlfn.X(A1)\")",
            ]
        );
    }

    #[test]
    fn attributes_are_picked_as_calamine_picks_them() {
        // calamine stops at the third of r, s, t: a repeated s hides t.
        let cells = read(r#"<row><c r="A1" s="1" s="1" t="s"><v>7</v></c></row></sheetData>"#);
        assert_eq!(cells.unwrap(), vec!["0,0:Float(7.0):None"]);
    }

    #[test]
    fn anything_unusual_is_left_to_calamine() {
        for odd in [
            "<!-- x --></sheetData>",
            "<x:row/></sheetData>",
            "<row r=1/></sheetData>",
            "<row><c><v>1</v><extLst/></c></row></sheetData>",
            "<row><c t=\"s\"><v>-1</v></c></row></sheetData>",
            "<row><c><v>1&#48;</v></c></row></sheetData>",
            "<row>",
        ] {
            assert!(read(odd).is_err(), "{odd}");
        }
    }
}
