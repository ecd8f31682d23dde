//! The fast reader of an .xlsx: the inflated parts ([`Parts`]) parsed in
//! place with quick-xml, one pass per sheet part, cells and merged ranges
//! together, with no second copy of the package.
//!
//! It reads a workbook exactly as calamine would (the same XML events in
//! the same order: positions, shared and inline strings, `xml:space`,
//! phonetic runs, cached values, formula text) or not at all: whatever it
//! is not sure to read the same way — a package laid out unusually, a chart
//! sheet, an entity or `_xHHHH_` escape in a value, a shared formula to
//! expand, malformed XML, a bound reached — makes it answer [`Unsure`], and
//! the workbook is then read by calamine over the repacked parts as before
//! (src/read/workbook.rs), whose errors name the problem. So every refusal
//! and message is the old reader's, and every bound holds twice: here (the
//! same [`Allowance`], merges kept to [`MAX_MERGES`] + 1, each part parsed
//! once) and there.

use super::allowance::Allowance;
use super::formula::Formulas;
use super::merges::parse_range;
use super::package::Parts;
use super::sheet::{Sheet, Span};
use super::workbook::{raw_cell, MAX_MERGES};
use calamine::{CellErrorType, DataRef};
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::Reader;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// The fast reader gives the workbook to calamine.
#[derive(Debug)]
pub struct Unsure;

type Sure<T> = Result<T, Unsure>;

impl From<quick_xml::Error> for Unsure {
    fn from(_: quick_xml::Error) -> Self {
        Unsure
    }
}

impl From<quick_xml::events::attributes::AttrError> for Unsure {
    fn from(_: quick_xml::events::attributes::AttrError) -> Self {
        Unsure
    }
}

/// Longest `<mergeCell>` tag the merge scan of the calamine path reads.
const MAX_MERGE_TAG: usize = 4000;

/// Reads the sheets of an inflated package, or says it is [`Unsure`].
pub fn read(parts: &Parts, path: &Path) -> Sure<Vec<Sheet>> {
    check_package_rels(part(parts, "_rels/.rels")?.ok_or(Unsure)?)?;
    let strings = match part(parts, "xl/sharedStrings.xml")? {
        Some(xml) => shared_strings(xml)?,
        None => Vec::new(),
    };
    let rels = relationships(part(parts, "xl/_rels/workbook.xml.rels")?.ok_or(Unsure)?)?;
    let listed = workbook_sheets(part(parts, "xl/workbook.xml")?.ok_or(Unsure)?, &rels)?;
    let mut names = HashSet::new();
    let mut paths = HashSet::new();
    for s in &listed {
        if !names.insert(s.name.as_str()) || !paths.insert(s.part.as_str()) {
            return Err(Unsure);
        }
    }
    let mut allowance = Allowance::new(path);
    let mut formulas = Formulas::default();
    let mut room = usize::try_from(MAX_MERGES)
        .unwrap_or(usize::MAX)
        .saturating_add(1);
    let mut sheets = Vec::with_capacity(listed.len());
    for listed in listed {
        let xml = part(parts, &listed.part)?.ok_or(Unsure)?;
        let mut sheet = Sheet::new(&listed.name, listed.hidden);
        let mut reader = SheetReader::new(xml, room);
        let index = sheets.len();
        let is_sheet = reader.cells(&strings, |row, col, value, formula| {
            let raw = raw_cell(&value);
            if let Some(text) = formula {
                formulas.add(index, row, col, text, raw.is_some());
            }
            match raw {
                Some(raw) => allowance.put(&mut sheet, row, col, raw).map_err(|_| Unsure),
                None => Ok(()),
            }
        })?;
        let merges = reader.finish()?;
        room = room.saturating_sub(merges.len());
        if room == 0 {
            return Err(Unsure);
        }
        if is_sheet {
            allowance.merges(&mut sheet, &merges).map_err(|_| Unsure)?;
        }
        sheets.push(sheet);
    }
    formulas.evaluate(&mut sheets);
    Ok(sheets)
}

/// The part named exactly `name`; [`Unsure`] when only a part differing in
/// case is there (calamine's look-up rules then apply).
fn part<'p>(parts: &'p Parts, name: &str) -> Sure<Option<&'p [u8]>> {
    match parts.get(name) {
        Some(xml) => Ok(Some(xml)),
        None if parts.has_other_case(name) => Err(Unsure),
        None => Ok(None),
    }
}

/// A reader with calamine's settings.
fn xml_reader(xml: &[u8]) -> Reader<&[u8]> {
    let mut r = Reader::from_reader(xml);
    let config = r.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    r
}

/// The attributes of a tag as (key, raw value); a malformed or repeated
/// attribute is [`Unsure`].
fn attrs<'a>(e: &'a BytesStart<'_>) -> Sure<Vec<(&'a str, std::borrow::Cow<'a, str>)>> {
    e.attributes()
        .map(|a| {
            let a = a?;
            Ok((a.key.into_inner(), a.value))
        })
        .collect()
}

/// The raw values of the attributes `keys` of a tag (unchecked for
/// repeats of other keys, as calamine reads them); a malformed attribute,
/// or one of `keys` given twice, is [`Unsure`].
fn pick<'a, const N: usize>(e: &'a BytesStart<'_>, keys: [&str; N]) -> Sure<[Option<&'a str>; N]> {
    let mut out = [None; N];
    for a in e.attributes().with_checks(false) {
        let a = a?;
        let key = a.key.into_inner();
        if let Some(i) = keys.iter().position(|k| *k == key) {
            let std::borrow::Cow::Borrowed(value) = a.value else {
                return Err(Unsure);
            };
            match out.get_mut(i) {
                Some(slot @ None) => *slot = Some(value),
                _ => return Err(Unsure),
            }
        }
    }
    Ok(out)
}

/// The raw value of attribute `key` as text.
fn attr<'a>(list: &'a [(&str, std::borrow::Cow<'a, str>)], key: &str) -> Sure<Option<&'a str>> {
    Ok(list
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v.as_ref()))
}

/// The package's relationships must name `xl/workbook.xml` as the document.
fn check_package_rels(xml: &[u8]) -> Sure<()> {
    let mut r = xml_reader(xml);
    let mut target = None;
    loop {
        match r.read_event()? {
            Event::Start(e) if e.local_name().as_ref() == "Relationship" => {
                let list = attrs(&e)?;
                let office = attr(&list, "Type")?
                    .is_some_and(|t| t.ends_with("/relationships/officeDocument"));
                if office {
                    if let Some(t) = attr(&list, "Target")? {
                        target = Some(unescape(t)?);
                    }
                }
            }
            Event::End(e) if e.local_name().as_ref() == "Relationships" => break,
            Event::Eof => return Err(Unsure),
            _ => {}
        }
    }
    (target.as_deref() == Some("xl/workbook.xml"))
        .then_some(())
        .ok_or(Unsure)
}

fn unescape(raw: &str) -> Sure<String> {
    quick_xml::escape::unescape(raw)
        .map(std::borrow::Cow::into_owned)
        .map_err(|_| Unsure)
}

/// Relationship id → (target, type), targets as written.
fn relationships(xml: &[u8]) -> Sure<HashMap<String, (String, String)>> {
    let mut r = xml_reader(xml);
    let mut out = HashMap::new();
    loop {
        match r.read_event()? {
            Event::Start(e) if e.local_name().as_ref() == "Relationship" => {
                let list = attrs(&e)?;
                if let Some(id) = attr(&list, "Id")? {
                    let target = attr(&list, "Target")?.unwrap_or_default();
                    let typ = attr(&list, "Type")?.unwrap_or_default();
                    out.insert(id.to_string(), (target.to_string(), typ.to_string()));
                }
            }
            Event::End(e) if e.local_name().as_ref() == "Relationships" => return Ok(out),
            Event::Eof => return Err(Unsure),
            _ => {}
        }
    }
}

/// A worksheet as listed in workbook.xml.
struct Listed {
    name: String,
    hidden: bool,
    part: String,
}

/// The worksheets of workbook.xml in order; any other kind of sheet is
/// [`Unsure`].
fn workbook_sheets(xml: &[u8], rels: &HashMap<String, (String, String)>) -> Sure<Vec<Listed>> {
    let mut r = xml_reader(xml);
    let mut out = Vec::new();
    loop {
        match r.read_event()? {
            Event::Start(e) if e.local_name().as_ref() == "sheet" => {
                let list = attrs(&e)?;
                let mut name = String::new();
                let mut hidden = false;
                let mut rid = "";
                for (key, value) in &list {
                    let value: &str = value;
                    match *key {
                        "name" => name = unescape(value)?,
                        "state" => {
                            hidden = match value {
                                "visible" => false,
                                "hidden" | "veryHidden" => true,
                                _ => return Err(Unsure),
                            }
                        }
                        k if k == "id" || k.ends_with(":id") => rid = value,
                        _ => {}
                    }
                }
                let (target, typ) = rels.get(rid).ok_or(Unsure)?;
                if typ.rsplit('/').next() != Some("worksheet") {
                    return Err(Unsure);
                }
                let part = match target.strip_prefix('/') {
                    Some(abs) => abs.to_string(),
                    None => format!("xl/{target}"),
                };
                out.push(Listed { name, hidden, part });
            }
            Event::Start(e) if e.local_name().as_ref() == "definedName" => {
                // Read to its end as calamine does (its text is not used).
                let end = e.name().as_ref().to_string();
                let mut text = String::new();
                loop {
                    match r.read_event()? {
                        Event::Text(t) => text.push_str(&t.xml10_content()),
                        Event::GeneralRef(g) => entity(&g, &mut text)?,
                        Event::End(x) if x.name().as_ref() == end.as_str() => break,
                        Event::Eof => return Err(Unsure),
                        _ => {}
                    }
                }
            }
            Event::End(e) if e.local_name().as_ref() == "workbook" => return Ok(out),
            Event::Eof => return Err(Unsure),
            _ => {}
        }
    }
}

/// Appends the text of an entity or character reference.
fn entity(e: &BytesRef<'_>, out: &mut String) -> Sure<()> {
    if let Some(s) = quick_xml::escape::resolve_xml_entity(e) {
        out.push_str(s);
        return Ok(());
    }
    match e.resolve_char_ref()? {
        Some(c) => {
            out.push(c);
            Ok(())
        }
        None => Err(Unsure),
    }
}

/// Text as calamine's `unescape_xml` would leave it, or [`Unsure`] where
/// it would change it (an `_xHHHH_` escape) or where line ends were
/// normalised.
fn plain(text: &str) -> Sure<&str> {
    if text.contains("_x") || text.contains('\r') {
        Err(Unsure)
    } else {
        Ok(text)
    }
}

/// The shared strings, in order.
fn shared_strings(xml: &[u8]) -> Sure<Vec<String>> {
    let mut r = xml_reader(xml);
    loop {
        match r.read_event()? {
            Event::Start(e) if e.local_name().as_ref() == "sst" => break,
            Event::Eof => return Err(Unsure),
            _ => {}
        }
    }
    let mut out = Vec::new();
    loop {
        match r.read_event()? {
            Event::Start(e) if e.local_name().as_ref() == "si" => {
                if let Some(s) = rich_string(&mut r, e.name().as_ref())? {
                    out.push(s);
                }
            }
            Event::End(e) if e.local_name().as_ref() == "sst" => return Ok(out),
            Event::Eof => return Err(Unsure),
            _ => {}
        }
    }
}

/// A plain or rich-text string up to the end tag `closing` (`si`, `is`):
/// every `<t>` outside phonetic runs, each trimmed of ASCII white space
/// unless `xml:space="preserve"`.
fn rich_string(r: &mut Reader<&[u8]>, closing: &str) -> Sure<Option<String>> {
    let mut rich: Option<String> = None;
    let mut phonetic = false;
    loop {
        match r.read_event()? {
            Event::Start(e) if e.local_name().as_ref() == "r" && rich.is_none() => {
                rich = Some(String::new());
            }
            Event::Start(e) if e.local_name().as_ref() == "rPh" => phonetic = true,
            Event::End(e) if e.name().as_ref() == closing => {
                return Ok(Some(rich.unwrap_or_default()));
            }
            Event::End(e) if e.local_name().as_ref() == "rPh" => phonetic = false,
            Event::Start(e) if e.local_name().as_ref() == "t" && !phonetic => {
                let list = attrs(&e)?;
                let preserve = attr(&list, "xml:space")? == Some("preserve");
                let end = e.name().as_ref().to_string();
                let mut value = String::new();
                loop {
                    match r.read_event()? {
                        Event::Text(t) => value.push_str(plain(&t)?),
                        Event::CData(t) => value.push_str(plain(&t.xml10_content())?),
                        Event::GeneralRef(g) => entity(&g, &mut value)?,
                        Event::End(x) if x.name().as_ref() == end.as_str() => break,
                        Event::Eof => return Err(Unsure),
                        _ => {}
                    }
                }
                let value = if preserve {
                    value.as_str()
                } else {
                    value.trim_matches([' ', '\t', '\r', '\n'])
                };
                let value = plain(value)?;
                match &mut rich {
                    Some(s) => s.push_str(value),
                    None => rich = Some(value.to_string()),
                }
            }
            Event::Eof => return Err(Unsure),
            _ => {}
        }
    }
}

/// `A1` → 0-based (row, column) as calamine reads a cell reference, or
/// [`Unsure`] for anything it might read differently.
fn cell_ref(r: &str) -> Sure<(u32, u32)> {
    let b = r.as_bytes();
    let letters = b.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    let (l, d) = b.split_at(letters);
    if l.is_empty() || l.len() > 3 || d.is_empty() || d.len() > 7 {
        return Err(Unsure);
    }
    if !d.iter().all(u8::is_ascii_digit) {
        return Err(Unsure);
    }
    let col = l.iter().fold(0u32, |acc, c| {
        acc * 26 + u32::from(c.to_ascii_uppercase() - b'A') + 1
    });
    let row = d.iter().fold(0u32, |acc, c| acc * 10 + u32::from(c - b'0'));
    Ok((row.checked_sub(1).ok_or(Unsure)?, col - 1))
}

/// A number as calamine parses a `<v>`: the plain decimal grammar (where
/// Rust's parser and calamine's agree), else [`Unsure`].
fn number(v: &str) -> Sure<f64> {
    let b = v.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let digits = |i: &mut usize| {
        let from = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - from
    };
    let mut n = digits(&mut i);
    if b.get(i) == Some(&b'.') {
        i += 1;
        n += digits(&mut i);
    }
    if n == 0 {
        return Err(Unsure);
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return Err(Unsure);
        }
    }
    if i != b.len() {
        return Err(Unsure);
    }
    v.parse().map_err(|_| Unsure)
}

/// One pass over a sheet part: its cells, then (with every `<mergeCell>`
/// seen on the way) its merged ranges.
struct SheetReader<'x> {
    xml: &'x [u8],
    r: Reader<&'x [u8]>,
    merges: Vec<Span>,
    room: usize,
}

impl<'x> SheetReader<'x> {
    fn new(xml: &'x [u8], room: usize) -> Self {
        SheetReader {
            xml,
            r: xml_reader(xml),
            merges: Vec::new(),
            room,
        }
    }

    /// The next event, noting a merged range.
    fn next(&mut self) -> Sure<Event<'x>> {
        let event = self.r.read_event()?;
        if let Event::Start(e) = &event {
            if e.local_name().as_ref() == "mergeCell" {
                self.merge(e)?;
            }
        }
        Ok(event)
    }

    fn merge(&mut self, e: &BytesStart<'_>) -> Sure<()> {
        if e.len() > MAX_MERGE_TAG {
            return Err(Unsure);
        }
        let [range] = pick(e, ["ref"])?;
        if let Some(span) = range.and_then(parse_range) {
            if self.merges.len() >= self.room {
                return Err(Unsure);
            }
            self.merges.push(span);
        }
        Ok(())
    }

    /// Reads to the end of the part and returns its merged ranges. When
    /// the rest holds no `mergeCell` at all it is not parsed: calamine stops
    /// at the end of `sheetData`, and the merge scan would find nothing.
    fn finish(mut self) -> Sure<Vec<Span>> {
        let at = usize::try_from(self.r.buffer_position()).unwrap_or(usize::MAX);
        let rest = self.xml.get(at..).unwrap_or_default();
        if memchr::memmem::find(rest, b"mergeCell").is_none() {
            return Ok(self.merges);
        }
        while !matches!(self.next()?, Event::Eof) {}
        Ok(self.merges)
    }

    /// Calls `put` for every cell in stream order with its position,
    /// value and formula; false when the part is not a worksheet (no
    /// `sheetData`), as calamine's `NotAWorksheet`.
    fn cells(
        &mut self,
        strings: &[String],
        mut put: impl FnMut(u32, u32, DataRef<'_>, Option<String>) -> Sure<()>,
    ) -> Sure<bool> {
        let mut first = false;
        loop {
            match self.next()? {
                Event::Start(e) => match e.local_name().as_ref() {
                    "dimension" => {
                        let [dim] = pick(&e, ["ref"])?;
                        let dim = dim.ok_or(Unsure)?;
                        for p in dim.split(':') {
                            cell_ref(p)?;
                        }
                        if dim.split(':').count() > 2 {
                            return Err(Unsure);
                        }
                    }
                    "sheetData" => break,
                    _ => first = true,
                },
                Event::Eof if first => return Ok(false),
                Event::Eof => return Err(Unsure),
                _ => {}
            }
        }
        let (mut row, mut col) = (0u32, 0u32);
        let mut shared: HashSet<usize> = HashSet::new();
        loop {
            match self.next()? {
                Event::Start(e) if e.local_name().as_ref() == "row" => {
                    if let [Some(r)] = pick(&e, ["r"])? {
                        row = row_number(r)?;
                    }
                }
                Event::End(e) if e.local_name().as_ref() == "row" => {
                    row = row.checked_add(1).ok_or(Unsure)?;
                    col = 0;
                }
                Event::Start(e) if e.local_name().as_ref() == "c" => {
                    let [r, typ] = pick(&e, ["r", "t"])?;
                    let pos = match r {
                        Some(r) => {
                            let p = cell_ref(r)?;
                            col = p.1;
                            p
                        }
                        None => (row, col),
                    };
                    let (value, formula) = self.cell(strings, typ, pos, &mut shared)?;
                    col = col.checked_add(1).ok_or(Unsure)?;
                    put(pos.0, pos.1, value, formula)?;
                }
                Event::End(e) if e.local_name().as_ref() == "sheetData" => return Ok(true),
                Event::Eof => return Err(Unsure),
                _ => {}
            }
        }
    }

    /// The children of one `<c>` up to its end: the value and formula.
    fn cell<'s>(
        &mut self,
        strings: &'s [String],
        typ: Option<&str>,
        pos: (u32, u32),
        shared: &mut HashSet<usize>,
    ) -> Sure<(DataRef<'s>, Option<String>)> {
        let mut value = DataRef::Empty;
        let mut formula = None;
        loop {
            match self.next()? {
                Event::Start(e) => match e.local_name().as_ref() {
                    "f" => formula = self.formula(&e, pos, shared)?,
                    "is" => {
                        value = rich_string(&mut self.r, e.name().as_ref())?
                            .map_or(DataRef::Empty, DataRef::String);
                    }
                    "v" if matches!(typ, Some("inlineStr" | "is")) => {
                        self.skip_to_end("v")?;
                        value = DataRef::Empty;
                    }
                    "v" => value = self.value(strings, typ)?,
                    _ => return Err(Unsure),
                },
                Event::End(e) if e.local_name().as_ref() == "c" => return Ok((value, formula)),
                Event::Eof => return Err(Unsure),
                _ => {}
            }
        }
    }

    /// Skips to the end tag of a childless element.
    fn skip_to_end(&mut self, name: &str) -> Sure<()> {
        loop {
            match self.next()? {
                Event::End(e) if e.name().as_ref() == name => return Ok(()),
                Event::Start(_) | Event::Eof => return Err(Unsure),
                _ => {}
            }
        }
    }

    /// A `<v>` (after its start tag) by the cell's type.
    fn value<'s>(&mut self, strings: &'s [String], typ: Option<&str>) -> Sure<DataRef<'s>> {
        match typ {
            Some("n" | "s" | "b" | "e") | None => {
                let text = match self.next()? {
                    Event::Text(t) => {
                        let text = t.into_inner();
                        match self.next()? {
                            Event::End(e) if e.name().as_ref() == "v" => text,
                            _ => return Err(Unsure),
                        }
                    }
                    Event::End(e) if e.name().as_ref() == "v" => std::borrow::Cow::Borrowed(""),
                    _ => return Err(Unsure),
                };
                if !text.is_ascii() {
                    return Err(Unsure);
                }
                scalar(strings, typ, &text)
            }
            Some("str" | "d") => {
                let mut text = String::new();
                loop {
                    match self.next()? {
                        Event::Text(t) => text.push_str(plain(&t)?),
                        Event::GeneralRef(g) => entity(&g, &mut text)?,
                        Event::End(e) if e.name().as_ref() == "v" => break,
                        _ => return Err(Unsure),
                    }
                }
                if typ == Some("str") {
                    Ok(DataRef::String(plain(&text)?.to_string()))
                } else {
                    Ok(DataRef::DateTimeIso(text))
                }
            }
            Some(_) => Err(Unsure),
        }
    }

    /// A `<f>` (after its start tag): the formula text calamine reports.
    fn formula(
        &mut self,
        e: &BytesStart<'_>,
        pos: (u32, u32),
        shared: &mut HashSet<usize>,
    ) -> Sure<Option<String>> {
        let _ = pos;
        let [t, si, range] = pick(e, ["t", "si", "ref"])?;
        let end = e.name().as_ref().to_string();
        let mut text = String::new();
        loop {
            match self.next()? {
                Event::Text(t) => text.push_str(plain(&t)?),
                Event::GeneralRef(g) => entity(&g, &mut text)?,
                Event::End(x) if x.name().as_ref() == end.as_str() => break,
                Event::Start(_) | Event::Eof => return Err(Unsure),
                _ => {}
            }
        }
        if t != Some("shared") {
            return Ok(Some(text));
        }
        let si = si.ok_or(Unsure)?;
        if si.is_empty() || !si.bytes().all(|b| b.is_ascii_digit()) || si.len() > 9 {
            return Err(Unsure);
        }
        let si: usize = si.parse().map_err(|_| Unsure)?;
        match range {
            Some(range) => {
                for p in range.split(':') {
                    cell_ref(p)?;
                }
                if range.split(':').count() > 2 {
                    return Err(Unsure);
                }
                shared.insert(si);
                Ok(Some(text))
            }
            // calamine would expand the anchor's formula for this cell.
            None if shared.contains(&si) => Err(Unsure),
            None => Ok(None),
        }
    }
}

/// A `<row r="…">` number, 0-based.
fn row_number(r: &str) -> Sure<u32> {
    if r.is_empty() || r.len() > 7 || !r.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Unsure);
    }
    r.parse::<u32>()
        .map_err(|_| Unsure)?
        .checked_sub(1)
        .ok_or(Unsure)
}

/// The value of a `<v>` of type number, shared string, boolean or error.
fn scalar<'s>(strings: &'s [String], typ: Option<&str>, v: &str) -> Sure<DataRef<'s>> {
    match typ {
        Some("s") => {
            // The calamine path refuses an index that is not plain digits
            // (its merge scan); it is left to it.
            if v.is_empty() || v.len() > 18 || !v.bytes().all(|b| b.is_ascii_digit()) {
                return Err(Unsure);
            }
            let i: usize = v.parse().map_err(|_| Unsure)?;
            strings
                .get(i)
                .map(|s| DataRef::SharedString(s))
                .ok_or(Unsure)
        }
        Some("b") => match v.trim() {
            "" => Ok(DataRef::Empty),
            t if t == "0" || t.eq_ignore_ascii_case("false") => Ok(DataRef::Bool(false)),
            t if t == "1" || t.eq_ignore_ascii_case("true") => Ok(DataRef::Bool(true)),
            _ => Err(Unsure),
        },
        Some("e") => v
            .parse::<CellErrorType>()
            .map(DataRef::Error)
            .map_err(|_| Unsure),
        _ if v.is_empty() => Ok(DataRef::Empty),
        _ => number(v).map(DataRef::Float),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::package::inflate;
    use crate::read::workbook::read_with_calamine;

    /// Everything a sheet holds, for comparing two readings.
    fn contents(sheets: &[Sheet]) -> Vec<String> {
        sheets
            .iter()
            .map(|s| {
                let cells: Vec<String> = s
                    .cells()
                    .map(|((r, c), v)| format!("{r},{c}={:?}/{}", v.text, v.numeric))
                    .collect();
                format!(
                    "{} hidden={} cells={cells:?} merges={:?} problems={:?}",
                    s.name,
                    s.hidden,
                    s.merges(),
                    s.problems()
                )
            })
            .collect()
    }

    /// The fast reader takes the workbook and reads it as calamine does.
    fn reads_as_calamine(bytes: &[u8], what: &str) {
        let path = Path::new("same.xlsx");
        let parts = inflate(bytes, path).unwrap();
        let fast = read(&parts, path).unwrap_or_else(|_| panic!("{what}: left to calamine"));
        let slow = read_with_calamine(parts, path).unwrap();
        assert_eq!(contents(&fast), contents(&slow), "{what}");
        assert!(fast.iter().map(Sheet::len).sum::<usize>() > 100, "{what}");
    }

    #[test]
    fn the_sample_reads_as_calamine_reads_it() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        for file in [
            "samples/shuozhou-investment-2025.xlsx",
            "tests/fixtures/libreoffice.xlsx",
        ] {
            reads_as_calamine(&std::fs::read(root.join(file)).unwrap(), file);
        }
    }

    #[test]
    fn generated_workbooks_read_as_calamine_reads_them() {
        let template = crate::spec::Template::load("sx-2025").unwrap();
        let budget = crate::synth::department(crate::synth::Size::SMALL, 3);
        let mut tables = crate::views::standard_tables(&budget, &template);
        tables.extend(crate::views::performance_tables(&budget));
        let out = Path::new("x.xlsx");
        let export = crate::write::workbook_bytes(&tables, budget.year, out).unwrap();
        reads_as_calamine(&export, "export");
        let book =
            crate::views::fill_in_book_with(&budget, &template, crate::spec::function_codes(), 3);
        let fill_in = crate::write::fill_in_bytes(&book, out).unwrap();
        reads_as_calamine(&fill_in, "fill-in workbook");
    }

    #[test]
    fn numbers_follow_the_plain_grammar() {
        assert_eq!(number("353.49").ok(), Some(353.49));
        assert_eq!(number("-1E3").ok(), Some(-1000.0));
        assert_eq!(number(".5").ok(), Some(0.5));
        for odd in ["", ".", "1e", "inf", "NaN", " 1", "1,0", "0x10"] {
            assert!(number(odd).is_err(), "{odd}");
        }
    }

    #[test]
    fn cell_references_read_as_calamine_reads_them() {
        assert_eq!(cell_ref("A1").ok(), Some((0, 0)));
        assert_eq!(cell_ref("xfd1048576").ok(), Some((1_048_575, 16_383)));
        for odd in ["A0", "1A", "AAAA1", "A$1", "A12345678", ""] {
            assert!(cell_ref(odd).is_err(), "{odd}");
        }
    }

    #[test]
    fn strings_keep_phonetic_runs_out_and_trim_unless_preserved() {
        let xml = br#"<sst><si><t> a </t></si><si><r><t xml:space="preserve"> b</t></r><r><t>c</t></r><rPh><t>x</t></rPh></si><si/></sst>"#;
        assert_eq!(
            shared_strings(xml).unwrap(),
            vec!["a".to_string(), " bc".into(), String::new()]
        );
        assert!(shared_strings(b"<sst><si><t>_x000D_</t></si></sst>").is_err());
    }
}
