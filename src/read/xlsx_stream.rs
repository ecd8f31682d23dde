//! The fast reader of an .xlsx: the inflated parts ([`Parts`]) parsed in
//! place, one pass per sheet part, cells and merged ranges together, with
//! no second copy of the package (workbook-level parts: xlsx_book.rs; the
//! sheet data, byte by byte: sheet_data.rs; the rest of a sheet part by
//! quick-xml).
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
//! same [`Allowance`](super::allowance::Allowance), merges kept to
//! [`MAX_MERGES`](super::workbook::MAX_MERGES) + 1, each part parsed once;
//! a large workbook's sheets on several threads, each on its share:
//! xlsx_lanes.rs) and there.

use super::merges::scan;
use super::package::Parts;
use super::sheet::{RawCell, Sheet, Span};
use super::sheet_data::SheetData;
use super::xlsx_book::{
    check_package_rels, relationships, shared_strings, workbook_sheets, Listed,
};
use super::xlsx_lanes::{lanes_by_size, read_sheets, Lane};
use calamine::{CellErrorType, DataRef};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::borrow::Cow;
use std::collections::HashSet;
use std::path::Path;

/// The fast reader gives the workbook to calamine.
#[derive(Debug)]
pub struct Unsure;

/// A reading, or [`Unsure`].
pub type Sure<T> = Result<T, Unsure>;

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

/// The searcher for `mergeCell`, built once (not twice per sheet).
static MERGE_CELL: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"mergeCell"));

/// Reads the sheets of an inflated package, or says it is [`Unsure`].
pub fn read(parts: &Parts<'_>, path: &Path) -> Sure<Vec<Sheet>> {
    read_in(parts, path, None)
}

/// [`read`] on `lanes` threads (`None`: on every core when the sheet parts
/// are large).
fn read_in(parts: &Parts<'_>, path: &Path, lanes: Option<usize>) -> Sure<Vec<Sheet>> {
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
    let declared = listed
        .iter()
        .map(|l| parts.declared_size(&l.part))
        .fold(0u64, u64::saturating_add);
    let size = usize::try_from(declared).unwrap_or(usize::MAX);
    let lanes = lanes.unwrap_or_else(|| lanes_by_size(size));
    if lanes <= 1 {
        // One lane: each part is parsed as it is inflated.
        let mut lane = Lane::new(path, 1);
        let text = |i: usize| sheet_text(parts, listed.get(i).ok_or(Unsure)?);
        let sheets = lane.sheets(&listed, 0, 1, &strings, text)?;
        return Ok(lane.finish(sheets));
    }
    let texts = listed
        .iter()
        .map(|l| sheet_text(parts, l))
        .collect::<Sure<Vec<&str>>>()?;
    read_sheets(&listed, &texts, &strings, path, lanes)
}

/// The text of a listed sheet's part. quick-xml (calamine's tokenizer)
/// refuses text that is not UTF-8; the sheet data scanner does not decode
/// every byte, so check once.
fn sheet_text<'p>(parts: &'p Parts<'_>, listed: &Listed) -> Sure<&'p str> {
    let xml = part(parts, &listed.part)?.ok_or(Unsure)?;
    std::str::from_utf8(xml).map_err(|_| Unsure)
}

/// The part named exactly `name`; [`Unsure`] when only a part differing in
/// case is there (calamine's look-up rules then apply).
fn part<'p>(parts: &'p Parts<'_>, name: &str) -> Sure<Option<&'p [u8]>> {
    match parts.get(name).map_err(|()| Unsure)? {
        Some(xml) => Ok(Some(xml)),
        None if parts.has_other_case(name) => Err(Unsure),
        None => Ok(None),
    }
}

/// A reader with calamine's settings.
pub fn xml_reader(xml: &[u8]) -> Reader<&[u8]> {
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
pub fn attrs<'a>(e: &'a BytesStart<'_>) -> Sure<Vec<(&'a str, std::borrow::Cow<'a, str>)>> {
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
pub fn attr<'a>(list: &'a [(&str, std::borrow::Cow<'a, str>)], key: &str) -> Sure<Option<&'a str>> {
    Ok(list
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v.as_ref()))
}

/// `A1` → 0-based (row, column) as calamine reads a cell reference, or
/// [`Unsure`] for anything it might read differently.
pub fn cell_ref(r: &str) -> Sure<(u32, u32)> {
    let b = r.as_bytes();
    // One to three letters, then one to seven digits: no overflow.
    let mut col = 0u32;
    let mut letters = 0;
    for c in b.iter().take_while(|c| c.is_ascii_alphabetic()) {
        letters += 1;
        if letters > 3 {
            return Err(Unsure);
        }
        col = col * 26 + u32::from(c.to_ascii_uppercase() - b'A') + 1;
    }
    let digits = b.get(letters..).unwrap_or_default();
    if letters == 0 || digits.is_empty() || digits.len() > 7 {
        return Err(Unsure);
    }
    let mut row = 0u32;
    for c in digits {
        if !c.is_ascii_digit() {
            return Err(Unsure);
        }
        row = row * 10 + u32::from(c - b'0');
    }
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

/// One pass over a sheet part: its cells, then its merged ranges. The part
/// before `<sheetData>` is read by quick-xml, the sheet data by
/// [`SheetData`], the tail by the calamine path's merge scan.
pub(super) struct SheetReader<'x> {
    xml: &'x [u8],
    text: &'x str,
    r: Reader<&'x [u8]>,
    /// Where the part's tail (after the sheet data) starts.
    tail: usize,
    room: usize,
}

impl<'x> SheetReader<'x> {
    pub(super) fn new(text: &'x str, room: usize) -> Self {
        let xml = text.as_bytes();
        SheetReader {
            xml,
            text,
            r: xml_reader(xml),
            tail: xml.len(),
            room,
        }
    }

    /// The next event of the part's head (before the sheet data).
    fn next(&mut self) -> Sure<Event<'x>> {
        Ok(self.r.read_event()?)
    }

    /// The merged ranges of the part's tail, found by the calamine path's
    /// own tag scan (src/read/merges.rs), so both paths find the same.
    /// A `mergeCell` in the head or the sheet data, or a malformed
    /// shared-string index the scan finds in the tail, is [`Unsure`].
    pub(super) fn finish(self) -> Sure<Vec<Span>> {
        let head = self.xml.get(..self.tail).unwrap_or_default();
        if MERGE_CELL.find(head).is_some() {
            return Err(Unsure);
        }
        let rest = self.xml.get(self.tail..).unwrap_or_default();
        if MERGE_CELL.find(rest).is_none() {
            return Ok(Vec::new());
        }
        let found = scan(rest, self.room);
        if found.bad_string_index.is_some() || found.merges.len() >= self.room {
            return Err(Unsure);
        }
        Ok(found.merges)
    }

    /// Calls `put` for every cell in stream order with its position,
    /// value and formula; false when the part is not a worksheet (no
    /// `sheetData`), as calamine's `NotAWorksheet`.
    pub(super) fn cells(
        &mut self,
        strings: &[Cow<'_, str>],
        put: impl FnMut(u32, u32, Option<RawCell>, Option<String>) -> Sure<()>,
    ) -> Sure<bool> {
        let mut first = false;
        // Elements open, as quick-xml counts them: an end tag when none is
        // open is an error to it.
        let mut open = 0usize;
        loop {
            match self.next()? {
                Event::End(_) => open = open.saturating_sub(1),
                Event::Start(e) => match e.local_name().as_ref() {
                    "dimension" => {
                        open += 1;
                        let [dim] = pick(&e, ["ref"])?;
                        let dim = dim.ok_or(Unsure)?;
                        if dim.split(':').count() > 2 {
                            return Err(Unsure);
                        }
                        for p in dim.split(':') {
                            cell_ref(p)?;
                        }
                    }
                    "sheetData" => {
                        open += 1;
                        break;
                    }
                    _ => {
                        open += 1;
                        first = true;
                    }
                },
                Event::Eof if first => return Ok(false),
                Event::Eof => return Err(Unsure),
                _ => {}
            }
        }
        let at = usize::try_from(self.r.buffer_position()).map_err(|_| Unsure)?;
        let opened = self.xml.get(..at).ok_or(Unsure)?;
        if opened.ends_with(b"/>") {
            // `<sheetData/>`: no cells.
            self.tail = at;
            return Ok(true);
        }
        let mut data = SheetData::new(self.text, at, open);
        data.cells(strings, put)?;
        self.tail = data.position();
        Ok(true)
    }
}

/// A `<row r="…">` number, 0-based.
pub fn row_number(r: &str) -> Sure<u32> {
    if r.is_empty() || r.len() > 7 || !r.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Unsure);
    }
    r.parse::<u32>()
        .map_err(|_| Unsure)?
        .checked_sub(1)
        .ok_or(Unsure)
}

/// The value of a `<v>` of type number, shared string, boolean or error.
pub fn scalar<'s>(strings: &'s [Cow<'_, str>], typ: Option<&str>, v: &str) -> Sure<DataRef<'s>> {
    match typ {
        Some("s") => {
            // The calamine path refuses an index that is not plain digits
            // (its merge scan); it is left to it.
            if v.is_empty() || v.len() > 18 {
                return Err(Unsure);
            }
            // One pass over the digits (at most 18: a u64 holds them).
            let mut i = 0u64;
            for b in v.bytes() {
                if !b.is_ascii_digit() {
                    return Err(Unsure);
                }
                i = i
                    .checked_mul(10)
                    .and_then(|i| i.checked_add(u64::from(b - b'0')))
                    .ok_or(Unsure)?;
            }
            let i = usize::try_from(i).map_err(|_| Unsure)?;
            strings
                .get(i)
                .map(|s| DataRef::SharedString(s.as_ref()))
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

    /// Read on 2 and 3 threads, the sheets are `one_lane`'s (what one
    /// thread read, or `Unsure` for both).
    fn assert_same_in_lanes(parts: &Parts<'_>, path: &Path, one_lane: &[Sheet], what: &str) {
        for lanes in [2, 3] {
            let got = read_in(parts, path, Some(lanes));
            let got = got.unwrap_or_else(|_| panic!("{what}: {lanes} lanes unsure"));
            assert_eq!(contents(&got), contents(one_lane), "{what}: {lanes} lanes");
        }
    }

    /// The fast reader takes the workbook and reads it as calamine does.
    fn reads_as_calamine(bytes: &[u8], what: &str) {
        let path = Path::new("same.xlsx");
        let parts = inflate(bytes, path).unwrap();
        let fast = read(&parts, path).unwrap_or_else(|_| panic!("{what}: left to calamine"));
        assert_same_in_lanes(&parts, path, &fast, what);
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
        tables.extend(crate::views::performance_tables(&budget, &template));
        let out = Path::new("x.xlsx");
        let export = crate::write::workbook_bytes(&tables, budget.year, out).unwrap();
        reads_as_calamine(&export, "export");
        let book =
            crate::views::fill_in_book_with(&budget, &template, crate::spec::function_codes(), 3);
        let fill_in = crate::write::fill_in_bytes(&book, out).unwrap();
        reads_as_calamine(&fill_in, "fill-in workbook");
    }

    /// Mutated sheet and string parts of the sample: whatever the streaming
    /// reader takes, calamine reads the same way.
    #[test]
    fn mutated_parts_read_as_calamine_reads_them_or_are_left_to_it() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let sample = std::fs::read(root.join("samples/shuozhou-investment-2025.xlsx")).unwrap();
        let path = Path::new("m.xlsx");
        let tokens: [&[u8]; 12] = [
            b"<",
            b">",
            b"\"",
            b"&amp;",
            b"/",
            b"<!-- -->",
            b"<![CDATA[x]]>",
            b"_x000D_",
            b"\r",
            b"<c r=\"A1\" t=\"s\"><v>9</v></c>",
            b"<mergeCell ref=\"A1:B2\"/>",
            b" t=\"str\"",
        ];
        let mut rnd = crate::read::package::pseudo_random(0x9e37_79b9_7f4a_7c15);
        let mut taken = 0;
        for _ in 0..600 {
            let mut parts = inflate(&sample, path).unwrap();
            let name = match rnd() % 5 {
                0 => "xl/sharedStrings.xml".to_string(),
                _ => format!("xl/worksheets/sheet{}.xml", 1 + rnd() % 19),
            };
            let part = parts.get_mut(&name).unwrap();
            for _ in 0..1 + rnd() % 3 {
                let at = rnd() % part.len().max(1);
                match rnd() % 3 {
                    0 => part[at] = u8::try_from(rnd() % 256).unwrap(),
                    1 => drop(part.splice(at..at, tokens[rnd() % tokens.len()].iter().copied())),
                    _ => drop(part.drain(at..(at + rnd() % 40).min(part.len()))),
                }
            }
            let fast = read(&parts, path);
            for lanes in [2, 3] {
                let got = read_in(&parts, path, Some(lanes));
                match (&fast, got) {
                    (Ok(one), Ok(got)) => assert_eq!(contents(&got), contents(one), "{name}"),
                    (Err(_), Err(_)) => {}
                    (one, got) => panic!("{name}: one lane {one:?}, {lanes} lanes {got:?}"),
                }
            }
            if let Ok(fast) = fast {
                taken += 1;
                let part =
                    String::from_utf8_lossy(parts.get(&name).ok().flatten().unwrap_or_default())
                        .into_owned();
                let slow = read_with_calamine(parts, path).unwrap();
                for (f, s) in contents(&fast).iter().zip(contents(&slow).iter()) {
                    assert!(f == s, "{name}\nfast {f}\nslow {s}\npart {part}");
                }
            }
        }
        assert!(taken > 50, "{taken}");
    }

    /// Formulas saved without results refer across sheets that different
    /// lanes read, and a saved result disagrees on each sheet: the lanes
    /// gather each sheet's formulas for one evaluation after all are read.
    #[test]
    fn formulas_across_sheets_read_in_lanes_as_on_one_thread() {
        use rust_xlsxwriter::{Formula, Workbook};
        let mut wb = Workbook::new();
        for k in 0..3u32 {
            let ws = wb.add_worksheet();
            ws.set_name(format!("表{k}")).unwrap();
            ws.set_formula_result_default("");
            ws.write_number(0, 0, f64::from(k) + 1.5).unwrap();
            let next = (k + 1) % 3;
            ws.write_formula(0, 1, Formula::new(format!("=表{next}!A1*2")))
                .unwrap();
            ws.write_formula(0, 2, Formula::new("=A1*3").set_result("9"))
                .unwrap();
        }
        let bytes = wb.save_to_buffer().unwrap();
        let path = Path::new("formulas.xlsx");
        let parts = inflate(&bytes, path).unwrap();
        let one = read_in(&parts, path, Some(1)).unwrap();
        let evaluated: Vec<&str> = one.iter().map(|s| s.text(0, 1)).collect();
        assert_eq!(evaluated, ["5", "7", "3"]);
        let problems: usize = one.iter().map(|s| s.problems().len()).sum();
        assert_eq!(problems, 3, "{:?}", contents(&one));
        assert_same_in_lanes(&parts, path, &one, "formulas");
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
    fn shared_string_indices_are_plain_digits() {
        let strings = [Cow::from("a"), Cow::from("b")];
        let index = |v: &str| match scalar(&strings, Some("s"), v) {
            Ok(DataRef::SharedString(s)) => Some(s),
            _ => None,
        };
        assert_eq!(index("0"), Some("a"));
        assert_eq!(index("1"), Some("b"));
        assert_eq!(index("0001"), Some("b"));
        for odd in [
            "",
            "2",
            "+1",
            "-0",
            " 1",
            "1 ",
            "1e0",
            "１",
            "0000000000000000001",
        ] {
            assert_eq!(index(odd), None, "{odd:?}");
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
}
