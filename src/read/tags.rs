//! A streaming scan of an XML part's tags, for the byte scans that find
//! what calamine would otherwise need a second full parse for.
//!
//! Not an XML parser: it reports each tag (`<…>`) with the start of the
//! text that follows it, and skips comments (`<!-- … -->`) and CDATA
//! sections (`<![CDATA[ … ]]>`), whose content is not markup. The part is
//! read in chunks, so memory stays bounded whatever its size.

use memchr::memmem;
use std::cell::Cell;
use std::io::Read;

/// Bytes read from a part at a time.
const CHUNK: usize = 64 * 1024;
/// Longest tag reported whole; a longer one is skipped (a real tag of a
/// sheet part is well under 1 KiB, the root tag's namespaces included).
const MAX_TAG: usize = 4096;
/// At most this many bytes of the text after a tag are reported.
pub const TEXT_PREVIEW: usize = 64;

/// One tag as found.
pub struct Tag<'a> {
    /// The name with any namespace prefix removed (`mergeCell`, `c`,
    /// `/c`).
    pub name: &'a [u8],
    /// Everything between `<` and `>`.
    pub body: &'a [u8],
    /// The text after the tag up to the next `<`, at most
    /// [`TEXT_PREVIEW`] bytes.
    pub text: &'a [u8],
}

thread_local! {
    /// The buffers of the last scan on this thread, for the next: a fresh
    /// zeroed chunk per part (one per sheet) cost a calloc, its page
    /// faults and 64 KiB of zeroing each time.
    static SPARE: Cell<Option<(Vec<u8>, Vec<u8>)>> = const { Cell::new(None) };
}

/// A scan's buffers: the text kept between chunks and the chunk read into.
struct Buffers {
    buf: Vec<u8>,
    chunk: Vec<u8>,
}

impl Buffers {
    /// The thread's spare buffers (emptied), or new ones.
    fn take() -> Buffers {
        match SPARE.with(Cell::take) {
            Some((mut buf, chunk)) if chunk.len() == CHUNK => {
                buf.clear();
                Buffers { buf, chunk }
            }
            _ => Buffers {
                buf: Vec::with_capacity(CHUNK + MAX_TAG),
                chunk: vec![0u8; CHUNK],
            },
        }
    }
}

impl Drop for Buffers {
    /// Hands the buffers back for the next scan, unless the kept text grew
    /// unusually large.
    fn drop(&mut self) {
        if self.buf.capacity() <= 2 * (CHUNK + MAX_TAG) {
            let spare = (
                std::mem::take(&mut self.buf),
                std::mem::take(&mut self.chunk),
            );
            SPARE.with(|s| s.set(Some(spare)));
        }
    }
}

/// What the scanner is inside of.
#[derive(Clone, Copy, PartialEq)]
enum Inside {
    Markup,
    Comment,
    Cdata,
}

/// Calls `on_tag` for every tag of `part` outside comments and CDATA, in
/// order; `on_tag` returns `false` to stop. A read error ends the scan.
pub fn scan(mut part: impl Read, mut on_tag: impl FnMut(&Tag<'_>) -> bool) {
    let mut buffers = Buffers::take();
    let Buffers { buf, chunk } = &mut buffers;
    let mut inside = Inside::Markup;
    let mut eof = false;
    while !eof {
        match part.read(chunk) {
            Ok(0) | Err(_) => eof = true,
            Ok(n) => buf.extend_from_slice(chunk.get(..n).unwrap_or_default()),
        }
        let mut pos = 0;
        let keep_from = loop {
            let rest = buf.get(pos..).unwrap_or_default();
            let close: &[u8] = match inside {
                Inside::Comment => b"-->",
                Inside::Cdata => b"]]>",
                Inside::Markup => b"",
            };
            if !close.is_empty() {
                match memmem::find(rest, close) {
                    Some(i) => {
                        pos += i + close.len();
                        inside = Inside::Markup;
                        continue;
                    }
                    None => break buf.len().saturating_sub(close.len() - 1),
                }
            }
            let Some(lt) = memchr::memchr(b'<', rest) else {
                break buf.len();
            };
            let start = pos + lt;
            let tail = buf.get(start..).unwrap_or_default();
            if tail.starts_with(b"<!--") {
                pos = start + 4;
                inside = Inside::Comment;
                continue;
            }
            if tail.starts_with(b"<![CDATA[") {
                pos = start + 9;
                inside = Inside::Cdata;
                continue;
            }
            if !eof
                && tail.len() < 9
                && (b"<![CDATA[".starts_with(tail) || b"<!--".starts_with(tail))
            {
                break start;
            }
            let Some(gt) = memchr::memchr(b'>', tail) else {
                if tail.len() > MAX_TAG {
                    // Absurdly long: skip past its `<`.
                    pos = start + 1;
                    continue;
                }
                break if eof { buf.len() } else { start };
            };
            let after = tail.get(gt + 1..).unwrap_or_default();
            let text_end = memchr::memchr(b'<', after);
            if text_end.is_none() && after.len() < TEXT_PREVIEW && !eof {
                break start;
            }
            let text_len = text_end.unwrap_or(after.len()).min(TEXT_PREVIEW);
            let body = tail.get(1..gt).unwrap_or_default();
            let raw_name = body
                .split(|b| b.is_ascii_whitespace() || *b == b'/' && body.first() != Some(&b'/'))
                .next()
                .unwrap_or_default();
            let (closing, bare) = match raw_name.strip_prefix(b"/") {
                Some(n) => (true, n),
                None => (false, raw_name),
            };
            let local = bare.rsplit(|b| *b == b':').next().unwrap_or_default();
            let mut name_buf = [0u8; 64];
            let name: &[u8] = if closing {
                let n = local.len().min(63);
                name_buf[0] = b'/';
                name_buf[1..=n].copy_from_slice(local.get(..n).unwrap_or_default());
                &name_buf[..=n]
            } else {
                local
            };
            let tag = Tag {
                name,
                body,
                text: after.get(..text_len).unwrap_or_default(),
            };
            if !on_tag(&tag) {
                return;
            }
            pos = start + gt + 1;
        };
        buf.drain(..keep_from.min(buf.len()));
    }
}

/// The value of attribute `name` in a tag's body (exact name, any quote),
/// not unescaped.
pub fn attr<'a>(body: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    let mut from = 0;
    while let Some(i) = body.get(from..).and_then(|rest| memmem::find(rest, name)) {
        let at = from + i;
        from = at + name.len();
        let before_ok = at > 0 && body.get(at - 1).is_some_and(u8::is_ascii_whitespace);
        if !before_ok {
            continue;
        }
        let rest = body.get(from..).unwrap_or_default().trim_ascii_start();
        let Some(rest) = rest.strip_prefix(b"=") else {
            continue;
        };
        let rest = rest.trim_ascii_start();
        let (&quote, value) = rest.split_first()?;
        if quote != b'"' && quote != b'\'' {
            continue;
        }
        let end = memchr::memchr(quote, value)?;
        return value.get(..end);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(xml: &str) -> Vec<String> {
        let mut out = Vec::new();
        scan(xml.as_bytes(), |t| {
            out.push(format!(
                "{}={}",
                String::from_utf8_lossy(t.name),
                String::from_utf8_lossy(t.text)
            ));
            true
        });
        out
    }

    #[test]
    fn comments_and_cdata_hide_their_tags() {
        assert_eq!(
            names("<a>1<!-- <b>2 --><x:c r='1'/><![CDATA[<d>]]></a>"),
            vec!["a=1", "c=", "/a="]
        );
    }

    #[test]
    fn tags_are_found_across_chunk_boundaries() {
        for pad in [CHUNK - 3, CHUNK - 2, CHUNK - 1, CHUNK, CHUNK - 6] {
            let xml = format!(
                "{}<!-- <no/> --><v>12</v><![CDATA[<no>]]><yes/>",
                " ".repeat(pad)
            );
            assert_eq!(names(&xml), vec!["v=12", "/v=", "yes="], "pad {pad}");
        }
    }

    #[test]
    fn attributes_are_read() {
        let body = br#"c r="A1" s="2" t='s'"#;
        assert_eq!(attr(body, b"t"), Some(&b"s"[..]));
        assert_eq!(attr(body, b"r"), Some(&b"A1"[..]));
        assert_eq!(attr(body, b"x"), None);
    }
}
