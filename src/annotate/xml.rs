//! Small tools for splicing XML text: scanning elements with their byte
//! positions, reading and rewriting a start tag's attributes, escaping.
//!
//! The package is patched by splicing: everything not changed is copied
//! byte for byte, so the department's markup survives untouched.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// Relationship namespace, declared locally on every `r:id` we add.
pub const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
/// SpreadsheetML main namespace.
pub const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

/// One event of a scan with its byte span in the input.
pub struct Item<'a> {
    /// The event.
    pub event: Event<'a>,
    /// First byte of the event.
    pub start: usize,
    /// One past its last byte.
    pub end: usize,
    /// Depth of the element (0 for the root; an end tag has its start's).
    pub depth: usize,
}

/// The events of `xml` one by one with their spans; malformed XML ends
/// the scan with `Err` (quick-xml never expands entities).
pub struct Scanner<'a> {
    reader: Reader<&'a [u8]>,
    depth: usize,
    done: bool,
}

impl<'a> Scanner<'a> {
    /// A scanner over `xml`.
    pub fn new(xml: &'a [u8]) -> Scanner<'a> {
        let mut reader = Reader::from_reader(xml);
        reader.config_mut().check_end_names = false;
        Scanner {
            reader,
            depth: 0,
            done: false,
        }
    }
}

impl<'a> Iterator for Scanner<'a> {
    type Item = Result<Item<'a>, String>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let start = usize::try_from(self.reader.buffer_position()).unwrap_or(usize::MAX);
        let event = match self.reader.read_event() {
            Ok(Event::Eof) => {
                self.done = true;
                return None;
            }
            Ok(e) => e,
            Err(e) => {
                self.done = true;
                return Some(Err(format!("XML 无法解析（{e}）")));
            }
        };
        let end = usize::try_from(self.reader.buffer_position()).unwrap_or(usize::MAX);
        let depth = match &event {
            Event::Start(_) => {
                self.depth += 1;
                self.depth - 1
            }
            Event::End(_) => {
                self.depth = self.depth.saturating_sub(1);
                self.depth
            }
            _ => self.depth,
        };
        Some(Ok(Item {
            event,
            start,
            end,
            depth,
        }))
    }
}

/// Every event of `xml` with its span (for small parts).
///
/// # Errors
/// A Chinese description when the XML is malformed.
pub fn scan(xml: &[u8]) -> Result<Vec<Item<'_>>, String> {
    Scanner::new(xml).collect()
}

/// The local name of a start, empty or end element.
pub fn local<'e>(event: &'e Event<'_>) -> &'e str {
    match event {
        Event::Start(e) | Event::Empty(e) => e.local_name().into_inner(),
        Event::End(e) => e.local_name().into_inner(),
        _ => "",
    }
}

/// The element prefix with its colon (`x:`), or "".
pub fn prefix(e: &BytesStart<'_>) -> String {
    e.name()
        .prefix()
        .map(|p| format!("{}:", p.as_ref()))
        .unwrap_or_default()
}

/// The unescaped value of the attribute whose local name is `name`.
pub fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        if a.key.local_name().as_ref() == name {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        } else {
            None
        }
    })
}

/// The relationship id of an element (`r:id`, whatever the prefix).
pub fn rid(e: &BytesStart<'_>) -> Option<String> {
    attr(e, "id")
}

/// The value of the attribute with exactly the qualified name `name`
/// (`r:id`).
pub fn qattr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        if a.key.as_ref() == name {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        } else {
            None
        }
    })
}

/// The start tag rebuilt with attributes set (`Some`) or removed
/// (`None`), keeping every other attribute as written; `empty` writes
/// `<…/>`.
pub fn retag(e: &BytesStart<'_>, set: &[(&str, Option<String>)], empty: bool) -> String {
    let mut out = format!("<{}", e.name().as_ref());
    for a in e.attributes().with_checks(false).flatten() {
        let key = a.key.as_ref().to_string();
        if set.iter().any(|(k, _)| *k == key) {
            continue;
        }
        let raw = a.value.to_string();
        let quote = if raw.contains('"') { '\'' } else { '"' };
        out.push_str(&format!(" {key}={quote}{raw}{quote}"));
    }
    for (k, v) in set {
        if let Some(v) = v {
            out.push_str(&format!(" {k}=\"{}\"", esc(v)));
        }
    }
    out.push_str(if empty { "/>" } else { ">" });
    out
}

/// Text escaped for XML content and double-quoted attribute values (an
/// apostrophe stays: sheet references read `'表'!A1`).
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Characters XML 1.0 cannot hold are dropped.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// Edits to a byte string: (position, bytes removed, text inserted),
/// applied in position order.
#[derive(Default)]
pub struct Splice {
    edits: Vec<(usize, usize, String)>,
}

impl Splice {
    /// Inserts `text` at `at`.
    pub fn insert(&mut self, at: usize, text: impl Into<String>) {
        let text = text.into();
        if !text.is_empty() {
            self.edits.push((at, at, text));
        }
    }

    /// Replaces `from..to` with `text`.
    pub fn replace(&mut self, from: usize, to: usize, text: impl Into<String>) {
        self.edits.push((from, to, text.into()));
    }

    /// `input` with the edits applied (stable: edits at one position keep
    /// the order they were made in).
    pub fn apply(mut self, input: &[u8]) -> Vec<u8> {
        self.edits.sort_by_key(|(from, _, _)| *from);
        let mut out = Vec::with_capacity(input.len() + self.edits.len() * 64);
        let mut at = 0usize;
        for (from, to, text) in self.edits {
            if from < at {
                continue;
            }
            out.extend_from_slice(input.get(at..from).unwrap_or_default());
            out.extend_from_slice(text.as_bytes());
            at = to.max(from);
        }
        out.extend_from_slice(input.get(at..).unwrap_or_default());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_retagged_element_keeps_its_other_attributes() {
        let xml = br#"<c r="A1" s="3" t='s'><v>0</v></c>"#;
        let items = scan(xml).unwrap();
        let Event::Start(e) = &items[0].event else {
            panic!()
        };
        assert_eq!(
            retag(e, &[("s", Some("9".into()))], false),
            r#"<c r="A1" t="s" s="9">"#
        );
        assert_eq!(attr(e, "r").as_deref(), Some("A1"));
    }

    #[test]
    fn splices_apply_in_order() {
        let mut s = Splice::default();
        s.insert(3, "X");
        s.replace(0, 1, "Z");
        s.insert(3, "Y");
        assert_eq!(s.apply(b"abcdef"), b"ZbcXYdef");
    }
}
