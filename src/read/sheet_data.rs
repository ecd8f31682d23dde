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

use super::number_text::as_float_text;
use super::sheet::RawCell;
use super::workbook::{filled, raw_cell};
use super::xlsx_book::{plain, rich_string};
use super::xlsx_stream::{cell_ref, row_number, scalar, xml_reader, Sure, Unsure};
use std::borrow::Cow;
use std::collections::HashSet;

/// One tag of the sheet data, read up to the end of its name (a start
/// tag's attributes are read next, by [`SheetData::attrs`] or
/// [`SheetData::skip_attrs`]).
struct Tag<'x> {
    /// The name (no prefix allowed).
    name: &'x [u8],
    /// `</name>` (read to its `>`).
    end: bool,
}

/// A cursor over the sheet data.
pub struct SheetData<'x> {
    xml: &'x [u8],
    /// The same part as text (checked UTF-8 once): values are slices of it.
    text: &'x str,
    at: usize,
    /// Elements open (as quick-xml counts them, from the part's start).
    open: usize,
}

impl<'x> SheetData<'x> {
    /// Starts after `<sheetData>` at byte `at` of the part, with `open`
    /// elements open (`sheetData` among them).
    pub fn new(text: &'x str, at: usize, open: usize) -> Self {
        SheetData {
            xml: text.as_bytes(),
            text,
            at,
            open,
        }
    }

    /// A start tag read: one more element open unless it is `empty`.
    fn opened(&mut self, empty: bool) -> bool {
        self.open += usize::from(!empty);
        empty
    }

    /// An end tag read: one element fewer; none open is [`Unsure`] (an
    /// error to quick-xml).
    fn closed(&mut self) -> Sure<()> {
        self.open = self.open.checked_sub(1).ok_or(Unsure)?;
        Ok(())
    }

    /// Where reading stopped: after `</sheetData>` once [`Self::cells`]
    /// returned.
    pub fn position(&self) -> usize {
        self.at
    }

    /// The next tag, up to the end of its name (an end tag to its `>`);
    /// text before it must be white space.
    fn tag(&mut self) -> Sure<Tag<'x>> {
        let xml = self.xml;
        let mut i = self.at;
        // Tags mostly follow one another: no search for the first `<`.
        loop {
            match xml.get(i) {
                Some(b'<') => break,
                Some(b) if space(*b) => i += 1,
                _ => return Err(Unsure),
            }
        }
        i += 1;
        let end = xml.get(i) == Some(&b'/');
        if end {
            i += 1;
        }
        // The name, up to white space, `/` or `>`; a byte no name read
        // here holds (a prefix, a quote, `<`) is Unsure.
        let name_at = i;
        loop {
            match xml.get(i) {
                Some(b) if space(*b) || matches!(b, b'/' | b'>') => break,
                Some(b':' | b'<' | b'"' | b'\'') | None => return Err(Unsure),
                Some(_) => i += 1,
            }
        }
        let name = xml.get(name_at..i).ok_or(Unsure)?;
        if !name
            .first()
            .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
        {
            return Err(Unsure);
        }
        if end {
            // `</name>`, nothing between the name and `>`.
            if xml.get(i) != Some(&b'>') {
                return Err(Unsure);
            }
            i += 1;
            self.closed()?;
        }
        self.at = i;
        Ok(Tag { name, end })
    }

    /// The attributes of the start tag whose name was just read, up to its
    /// `>`, unread: whether it is empty (`/>`).
    fn skip_attrs(&mut self) -> Sure<bool> {
        let from = self.at;
        let gt = from + tag_end(self.xml.get(from..).ok_or(Unsure)?)?;
        self.at = gt + 1;
        Ok(self.opened(gt > from && self.xml.get(gt - 1) == Some(&b'/')))
    }

    /// The raw values of attributes `keys` of the start tag whose name was
    /// just read, and whether it is empty (`/>`), read up to its `>` in one
    /// pass as calamine's `get_attrs!` reads them: in order, a later match
    /// of a key overwriting an earlier one, and stopping once as many
    /// matches as keys were seen (so `s="1" s="1" t="s"` has no `t`; the
    /// rest is only skipped to the `>`). Pairs are `name="value"` (or
    /// single quotes) separated by white space; anything else, or an
    /// entity or `<` in a value read, is [`Unsure`].
    fn attrs<const N: usize>(&mut self, keys: [&[u8]; N]) -> Sure<([Option<&'x str>; N], bool)> {
        let xml = self.xml;
        let at = |i: usize| xml.get(i).copied();
        let skip_space = |mut i: usize| {
            while at(i).is_some_and(space) {
                i += 1;
            }
            i
        };
        let mut out = [None; N];
        let mut found = 0;
        let mut i = self.at;
        loop {
            let from = i;
            i = skip_space(i);
            match (at(i), at(i + 1)) {
                (Some(b'>'), _) => {
                    self.at = i + 1;
                    return Ok((out, self.opened(false)));
                }
                (Some(b'/'), Some(b'>')) => {
                    self.at = i + 2;
                    return Ok((out, self.opened(true)));
                }
                _ if found == N => {
                    self.at = i;
                    return Ok((out, self.skip_attrs()?));
                }
                _ if i == from => return Err(Unsure),
                _ => {}
            }
            // The name: graphic bytes other than quotes (and `<`, `>`,
            // which end a tag), up to `=` (white space before it allowed).
            let name_from = i;
            while at(i).is_some_and(|b| {
                b.is_ascii_graphic() && !matches!(b, b'=' | b'"' | b'\'' | b'<' | b'>')
            }) {
                i += 1;
            }
            let key = xml.get(name_from..i).ok_or(Unsure)?;
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
            let end =
                value_from + find(quote, xml.get(value_from..).ok_or(Unsure)?).ok_or(Unsure)?;
            if let Some(k) = keys.iter().position(|k| same(k, key)) {
                let raw = xml.get(value_from..end).ok_or(Unsure)?;
                if raw.iter().any(|b| matches!(b, b'&' | b'<')) {
                    return Err(Unsure);
                }
                let slot = out.get_mut(k).ok_or(Unsure)?;
                *slot = Some(self.text.get(value_from..end).ok_or(Unsure)?);
                found += 1;
            }
            i = end + 1;
        }
    }

    /// The raw text up to the next `<`, which must open `</name>`.
    fn text_to_end(&mut self, name: &[u8]) -> Sure<&'x str> {
        let from = self.at;
        let rest = self.xml.get(from..).ok_or(Unsure)?;
        let lt = rest
            .iter()
            .position(|b| matches!(b, b'<' | b'\r'))
            .ok_or(Unsure)?;
        let close = rest.get(lt..).ok_or(Unsure)?;
        // `<` (not a carriage return), `/`, the name, `>`.
        let closed = close.starts_with(b"</")
            && close.get(2..2 + name.len()) == Some(name)
            && close.get(2 + name.len()) == Some(&b'>');
        if !closed {
            return Err(Unsure);
        }
        self.at = from + lt + 2 + name.len() + 1;
        self.closed()?;
        self.text.get(from..from + lt).ok_or(Unsure)
    }

    /// Calls `put` for every cell in stream order with its position, the
    /// cell as stored (`None` when calamine's value is empty or blank) and
    /// its formula, as calamine's cell reader reports them, up to and
    /// including `</sheetData>`.
    pub fn cells(
        &mut self,
        strings: &[Cow<'_, str>],
        mut put: impl FnMut(u32, u32, Option<RawCell>, Option<String>) -> Sure<()>,
    ) -> Sure<()> {
        let (mut row, mut col) = (0u32, 0u32);
        let mut shared: HashSet<usize> = HashSet::new();
        loop {
            let tag = self.tag()?;
            match (tag.name, tag.end) {
                (b"row", false) => {
                    let ([r], empty) = self.attrs([b"r"])?;
                    if let Some(r) = r {
                        row = row_number(r)?;
                    }
                    if empty {
                        row = row.checked_add(1).ok_or(Unsure)?;
                        col = 0;
                    }
                }
                (b"row", true) => {
                    row = row.checked_add(1).ok_or(Unsure)?;
                    col = 0;
                }
                (b"c", false) => {
                    let ([r, _, typ], empty) = self.attrs([b"r", b"s", b"t"])?;
                    let pos = match r {
                        Some(r) => {
                            let p = cell_ref(r)?;
                            col = p.1;
                            p
                        }
                        None => (row, col),
                    };
                    let (value, formula) = if empty {
                        (None, None)
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

    /// The children of one `<c>` up to its end: the cell as stored and
    /// the formula.
    fn cell(
        &mut self,
        strings: &[Cow<'_, str>],
        typ: Option<&str>,
        shared: &mut HashSet<usize>,
    ) -> Sure<(Option<RawCell>, Option<String>)> {
        let mut value = None;
        let mut formula = None;
        loop {
            let tag = self.tag()?;
            match (tag.name, tag.end) {
                (b"c", true) => return Ok((value, formula)),
                (_, true) => return Err(Unsure),
                (b"f", false) => {
                    let (attrs, empty) = self.attrs([b"t", b"si", b"ref"])?;
                    let text = if empty { "" } else { self.text_to_end(b"f")? };
                    formula = shared_formula(attrs, &unescaped(text)?, shared)?;
                }
                (b"v", false) => {
                    let text = if self.skip_attrs()? {
                        ""
                    } else {
                        self.text_to_end(b"v")?
                    };
                    value = match typ {
                        Some("inlineStr" | "is") => None,
                        Some("n") | None if as_float_text(text).is_some() => Some(RawCell {
                            // What parsing and formatting would give.
                            text: text.to_string(),
                            numeric: true,
                        }),
                        Some("n" | "s" | "b" | "e") | None => {
                            // calamine reads these up to an entity only.
                            if !text.is_ascii() || text.contains('&') {
                                return Err(Unsure);
                            }
                            raw_cell(&scalar(strings, typ, text)?)
                        }
                        // (a string or a date as text, as calamine's
                        // `String` and `DateTimeIso`)
                        Some("str" | "d") => filled(plain(&unescaped(text)?)?.to_string(), false),
                        Some(_) => return Err(Unsure),
                    };
                }
                (b"is", false) if !self.skip_attrs()? => {
                    // The inline string, by the shared strings' reader.
                    let rest = self.xml.get(self.at..).ok_or(Unsure)?;
                    let mut r = xml_reader(rest);
                    value = rich_string(&mut r, "is")?.and_then(|s| filled(s, false));
                    let read = usize::try_from(r.buffer_position()).map_err(|_| Unsure)?;
                    self.at = self.at.checked_add(read).ok_or(Unsure)?;
                    // Read up to and including `</is>`.
                    self.closed()?;
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

/// The formula text calamine reports for a `<f>` with these attributes
/// (`t`, `si`, `ref`).
fn shared_formula(
    [t, si, range]: [Option<&str>; 3],
    text: &str,
    shared: &mut HashSet<usize>,
) -> Sure<Option<String>> {
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
/// name), skipping quoted attribute values.
fn tag_end(rest: &[u8]) -> Sure<usize> {
    let mut i = 0;
    loop {
        let tail = rest.get(i..).ok_or(Unsure)?;
        i += tail
            .iter()
            .position(|b| matches!(b, b'>' | b'<' | b'"' | b'\''))
            .ok_or(Unsure)?;
        match rest.get(i) {
            Some(b'>') => return Ok(i),
            Some(q @ (b'"' | b'\'')) => {
                let value = rest.get(i + 1..).ok_or(Unsure)?;
                i += find(*q, value).ok_or(Unsure)? + 2;
            }
            _ => return Err(Unsure),
        }
    }
}

/// The first `byte` in `hay`: a plain scan, as what is searched here (a
/// value, an attribute) is short.
fn find(byte: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|b| *b == byte)
}

/// White space as XML (and quick-xml, calamine's tokenizer) has it:
/// not a form feed, which Rust's `is_ascii_whitespace` also takes.
fn space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
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
        let mut data = SheetData::new(xml, 0, 2);
        let strings = vec![Cow::from("s0")];
        data.cells(&strings, |r, c, v, f| {
            // The text, `#` when numeric; `-` for no cell.
            let v = v.map_or("-".into(), |v| {
                format!("{:?}{}", v.text, if v.numeric { "#" } else { "" })
            });
            out.push(format!("{r},{c}:{v}:{f:?}"));
            Ok(())
        })?;
        Ok(out)
    }

    #[test]
    fn rows_and_cells_are_placed_as_calamine_places_them() {
        let cells = read(
            r#"<row r="3"><c r="B3" t="s"><v>0</v></c><c><v>1.5</v></c><c/></row><row><c t="str"><f>A1&amp;B1</f><v>x</v></c></row></sheetData>"#,
        );
        assert_eq!(cells.unwrap()[3], "3,0:\"x\":Some(\"A1&B1\")");
        let cells = read(
            r#"<row r="3"><c r="B3" t="s"><v>0</v></c><c s='2'><v>1.5</v></c><c/></row><row><c t="str"><f>_xlfn.X(A1)</f><v>x</v></c></row></sheetData>"#,
        )
        .unwrap();
        assert_eq!(
            cells,
            vec![
                "2,1:\"s0\":None",
                "2,2:\"1.5\"#:None",
                "2,3:-:None",
                "3,0:\"x\":Some(\"_xlfn.X(A1)\")",
            ]
        );
    }

    #[test]
    fn attributes_are_picked_as_calamine_picks_them() {
        // calamine stops at the third of r, s, t: a repeated s hides t.
        let cells = read(r#"<row><c r="A1" s="1" s="1" t="s"><v>7</v></c></row></sheetData>"#);
        assert_eq!(cells.unwrap(), vec!["0,0:\"7\"#:None"]);
    }

    /// calamine's tokenizer takes only space, tab, CR and LF as white
    /// space: to it `<c\x0Cr="A1">` is an element named `c\x0Cr="A1"`, not
    /// a cell (the fast reader once read it as one).
    #[test]
    fn a_form_feed_is_not_white_space_to_calamine() {
        for odd in [
            "<row><c\x0Cr=\"A1\"><v>1</v></c></row></sheetData>",
            "<row><c r=\"A1\"\x0Ct=\"s\"><v>0</v></c></row></sheetData>",
            "<row\x0Cr=\"1\"/></sheetData>",
            "\x0C<row/></sheetData>",
        ] {
            assert!(read(odd).is_err(), "{odd:?}");
        }
        let plain = read("<row>\r\n\t<c r=\"A1\"\r\n t=\"s\"><v>0</v></c></row></sheetData>");
        assert_eq!(plain.unwrap(), vec!["0,0:\"s0\":None"]);
    }

    /// quick-xml refuses an end tag when no element is open (calamine then
    /// refuses the workbook); the fast reader once read on (a damaged row
    /// tag whose quotes swallowed the tags after it).
    #[test]
    fn an_end_tag_with_no_element_open_is_left_to_calamine() {
        // `read` starts inside `<worksheet><sheetData>`.
        let closed = "<row><c r=\"A1\"><v>1</v></c></row></row></sheetData>";
        assert!(read(closed).is_ok());
        let unmatched = "<row><c r=\"A1\"><v>1</v></c></row></row></row></sheetData>";
        assert!(read(unmatched).is_err());
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
