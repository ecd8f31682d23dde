//! The workbook-level parts of an .xlsx as the streaming reader reads
//! them: the package's and the workbook's relationships, the sheet list of
//! workbook.xml, and the shared strings (and inline strings), each exactly
//! as calamine reads them or [`Unsure`].

use super::xlsx_stream::{attr, attrs, xml_reader, Sure, Unsure};
use quick_xml::events::{BytesRef, Event};
use quick_xml::Reader;
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
    if text.contains("_x") || text.contains('\r') {
        Err(Unsure)
    } else {
        Ok(text)
    }
}

/// The shared strings, in order.
pub fn shared_strings(xml: &[u8]) -> Sure<Vec<String>> {
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
}
