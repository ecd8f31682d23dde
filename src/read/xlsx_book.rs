//! The workbook-level parts of an .xlsx as the streaming reader reads
//! them: the package's and the workbook's relationships, the sheet list of
//! workbook.xml, and the shared strings (and inline strings), each exactly
//! as calamine reads them or [`Unsure`].

use super::xlsx_stream::{attr, attrs, xml_reader, Sure, Unsure};
use quick_xml::events::{BytesRef, Event};
use quick_xml::Reader;
use std::borrow::Cow;
use std::collections::HashMap;

/// The package's relationships must name `xl/workbook.xml` as the document.
pub fn check_package_rels(xml: &[u8]) -> Sure<()> {
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
pub fn relationships(xml: &[u8]) -> Sure<HashMap<String, (String, String)>> {
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
pub struct Listed {
    /// The sheet's name.
    pub name: String,
    /// Hidden or very hidden.
    pub hidden: bool,
    /// Its part in the package.
    pub part: String,
}

/// The worksheets of workbook.xml in order; any other kind of sheet is
/// [`Unsure`].
pub fn workbook_sheets(xml: &[u8], rels: &HashMap<String, (String, String)>) -> Sure<Vec<Listed>> {
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
pub fn plain(text: &str) -> Sure<&str> {
    // A byte search first: most strings hold neither `_` nor a CR.
    let suspect = memchr::memchr2(b'_', b'\r', text.as_bytes()).is_some();
    if suspect && (text.contains("_x") || text.contains('\r')) {
        Err(Unsure)
    } else {
        Ok(text)
    }
}

/// The shared strings, in order: plain ones borrowed from the part, the
/// others (rich text, entities) owned.
pub fn shared_strings(xml: &[u8]) -> Sure<Vec<Cow<'_, str>>> {
    strings_read(xml, declared_utf8(xml))
}

/// The shared strings, the plain ones read byte by byte when `plain_first`.
fn strings_read(xml: &[u8], plain_first: bool) -> Sure<Vec<Cow<'_, str>>> {
    let mut r = xml_reader(xml);
    loop {
        match r.read_event()? {
            Event::Start(e) if e.local_name().as_ref() == "sst" => {
                raw_attr_reads(e.attributes_raw().as_bytes(), b"uniqueCount")?;
                break;
            }
            Event::Eof => return Err(Unsure),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if plain_first {
        // Every string plain, read byte by byte; else all by the events.
        let at = usize::try_from(r.buffer_position()).map_err(|_| Unsure)?;
        let rest = xml.get(at..).unwrap_or_default();
        let read = plain_strings(rest, &mut out);
        let tail = rest.get(read..).unwrap_or_default().trim_ascii_start();
        if tail.starts_with(b"</sst>") {
            return Ok(out);
        }
        out.clear();
    }
    loop {
        match r.read_event()? {
            Event::Start(e) if e.local_name().as_ref() == "si" => {
                if let Some(s) = rich_string(&mut r, e.name().as_ref())? {
                    out.push(Cow::Owned(s));
                }
            }
            Event::End(e) if e.local_name().as_ref() == "sst" => return Ok(out),
            Event::Eof => return Err(Unsure),
            _ => {}
        }
    }
}

/// calamine looks up an attribute (`uniqueCount` of `<sst>`) through its
/// own attribute scanner: each attribute a key up to `=`, then a quoted
/// value, until the key is `name`. [`Unsure`] where that scan fails (the
/// workbook is then calamine's to refuse).
fn raw_attr_reads(raw: &[u8], name: &[u8]) -> Sure<()> {
    let mut rest = raw;
    loop {
        rest = rest.trim_ascii_start();
        if rest.is_empty() {
            return Ok(());
        }
        let eq = memchr::memchr(b'=', rest).ok_or(Unsure)?;
        let key = rest.get(..eq).unwrap_or_default().trim_ascii_end();
        let value = rest.get(eq + 1..).unwrap_or_default().trim_ascii_start();
        let Some((&quote, value)) = value.split_first() else {
            return Err(Unsure);
        };
        if quote != b'"' && quote != b'\'' {
            return Err(Unsure);
        }
        if key == name {
            return Ok(());
        }
        rest = match memchr::memchr(quote, value) {
            Some(end) => value.get(end + 1..).unwrap_or_default(),
            None => return Ok(()),
        };
    }
}

/// True when the part's XML declaration, if any, names no encoding or
/// UTF-8 (quick-xml would decode another one).
fn declared_utf8(xml: &[u8]) -> bool {
    if !xml.starts_with(b"<?xml") {
        return true;
    }
    let Some(end) = memchr::memmem::find(xml, b"?>") else {
        return false;
    };
    let decl = xml.get(..end).unwrap_or_default().to_ascii_lowercase();
    memchr::memmem::find(&decl, b"encoding").is_none()
        || memchr::memmem::find(&decl, b"utf-8").is_some()
}

/// Reads the strings at the start of `xml` (after `<sst>`) that are plain,
/// `<si><t>text</t></si>` with or without `xml:space="preserve"` and text
/// [`rich_string`] takes as it is (no `<`, entity, carriage return or
/// `_x`), each read as [`rich_string`] reads it; returns where the first
/// other thing starts.
fn plain_strings<'x>(xml: &'x [u8], out: &mut Vec<Cow<'x, str>>) -> usize {
    const OPEN: &[u8] = b"<si><t>";
    const PRESERVED: &[u8] = b"<si><t xml:space=\"preserve\">";
    const CLOSE: &[u8] = b"</t></si>";
    let mut at = 0;
    loop {
        let Some(rest) = xml.get(at..) else {
            return at;
        };
        let gap = rest
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .unwrap_or(rest.len());
        let Some(rest) = rest.get(gap..) else {
            return at;
        };
        let (open, preserve) = if rest.starts_with(OPEN) {
            (OPEN.len(), false)
        } else if rest.starts_with(PRESERVED) {
            (PRESERVED.len(), true)
        } else {
            return at;
        };
        let text = rest.get(open..).unwrap_or_default();
        let Some(lt) = memchr::memchr(b'<', text) else {
            return at;
        };
        let (text, after) = text.split_at(lt);
        if !after.starts_with(CLOSE) || text.contains(&b'&') {
            return at;
        }
        let Ok(text) = std::str::from_utf8(text) else {
            return at;
        };
        let value = if preserve {
            text
        } else {
            text.trim_matches([' ', '\t', '\r', '\n'])
        };
        if plain(text).is_err() {
            return at;
        }
        out.push(Cow::Borrowed(value));
        at += gap + open + lt + CLOSE.len();
    }
}

/// A plain or rich-text string up to the end tag `closing` (`si`, `is`):
/// every `<t>` outside phonetic runs, each trimmed of ASCII white space
/// unless `xml:space="preserve"`.
pub fn rich_string(r: &mut Reader<&[u8]>, closing: &str) -> Sure<Option<String>> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_keep_phonetic_runs_out_and_trim_unless_preserved() {
        let xml = br#"<sst><si><t> a </t></si><si><r><t xml:space="preserve"> b</t></r><r><t>c</t></r><rPh><t>x</t></rPh></si><si/></sst>"#;
        assert_eq!(
            shared_strings(xml).unwrap(),
            vec!["a".to_string(), " bc".into(), String::new()]
        );
        assert!(shared_strings(b"<sst><si><t>_x000D_</t></si></sst>").is_err());
    }

    #[test]
    fn plain_strings_read_as_the_events_read_them() {
        let xml = concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?><sst count="9">"#,
            "<si><t> 项目 </t></si>\n <si><t xml:space=\"preserve\"> 合计 </t></si><si><t></t></si>",
            "<si><t>a&amp;b</t></si><si><t>后</t></si><si><r><t>c</t></r></si><si><t>d</t></si></sst>"
        );
        let events = strings_read(xml.as_bytes(), false).unwrap();
        assert_eq!(events.len(), 7);
        assert_eq!(shared_strings(xml.as_bytes()).unwrap(), events);
        let mut out = Vec::new();
        let first = xml.find("<si>").unwrap();
        let at = plain_strings(xml.as_bytes().split_at(first).1, &mut out);
        assert_eq!(out, ["项目", " 合计 ", ""]);
        assert!(xml.split_at(first + at).1.starts_with("<si><t>a&amp;"));
        let plain = "<sst> <si><t>a</t></si><si><t> b</t></si>\n</sst>";
        assert_eq!(shared_strings(plain.as_bytes()).unwrap(), ["a", "b"]);
        for odd in ["<si><t>x\ry</t></si>", "<si><t>_x0041_</t></si>"] {
            let xml = format!("<sst>{odd}</sst>");
            assert!(shared_strings(xml.as_bytes()).is_err(), "{odd}");
        }
        let latin =
            b"<?xml version=\"1.0\" encoding=\"windows-1252\"?><sst><si><t>x</t></si></sst>";
        assert!(!declared_utf8(latin));
    }

    /// calamine refuses the shared strings when its scan of `<sst>`'s
    /// attributes up to `uniqueCount` fails (a key without `=`, a value
    /// without quotes); the fast reader once read on.
    #[test]
    fn a_malformed_sst_tag_is_left_to_calamine() {
        let ok = [
            r#"<sst count="1" uniqueCount="1"><si><t>a</t></si></sst>"#,
            r#"<sst uniqueCount="1" broken><si><t>a</t></si></sst>"#,
            r#"<sst><si><t>a</t></si></sst>"#,
            // calamine's key runs to the next `=`: `count uniqueCount`.
            r#"<sst count uniqueCount="1"><si><t>a</t></si></sst>"#,
        ];
        for xml in ok {
            assert_eq!(shared_strings(xml.as_bytes()).unwrap(), ["a"], "{xml}");
        }
        for odd in [
            r#"<sst count="1" x><si><t>a</t></si></sst>"#,
            r#"<sst count=1 uniqueCount="1"><si><t>a</t></si></sst>"#,
            r#"<sst broken><si><t>a</t></si></sst>"#,
        ] {
            assert!(shared_strings(odd.as_bytes()).is_err(), "{odd}");
        }
    }
}
