//! A narrative as paragraphs: read from a .txt/.md file or from the
//! `word/document.xml` of a .docx, within the reader's bounds.

use super::spec::NarrativeSpec;
use crate::error::Error;
use crate::read::{read_limited, MAX_FILE_BYTES};
use std::io::Read;
use std::path::Path;

/// Largest inflated `word/document.xml` read from a .docx: the bound the
/// .xlsx reader puts on a workbook's inflated parts.
pub const MAX_DOCUMENT_XML_BYTES: u64 = crate::read::MAX_INFLATED_BYTES;

/// A narrative's text, one entry per paragraph (blank paragraphs dropped),
/// numbered from 1 in findings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Narrative {
    /// The file it was read from, as given.
    pub file: String,
    /// Paragraphs in order, trimmed, none empty.
    pub paragraphs: Vec<String>,
}

impl Narrative {
    /// A narrative from text, one paragraph per line; Markdown heading
    /// marks (`#`) and list bullets (`- `, `* `) are dropped.
    pub fn from_text(file: &str, text: &str) -> Narrative {
        let paragraphs = text
            .lines()
            .map(|l| {
                let l = l.trim();
                let l = l.trim_start_matches('#').trim_start();
                l.strip_prefix("- ")
                    .or_else(|| l.strip_prefix("* "))
                    .unwrap_or(l)
                    .trim()
                    .to_string()
            })
            .filter(|l| !l.is_empty())
            .collect();
        Narrative {
            file: file.to_string(),
            paragraphs,
        }
    }

    /// Reads a .txt, .md or .docx file (by its extension; .txt and .md
    /// as UTF-8 text).
    ///
    /// # Errors
    /// [`Error::Usage`] for another extension; [`Error::Io`] when the file cannot be read, is not UTF-8 or not a
    /// .docx; [`Error::TooLarge`] beyond [`MAX_FILE_BYTES`] or, inflated,
    /// [`MAX_DOCUMENT_XML_BYTES`].
    pub fn read(path: &Path) -> Result<Narrative, Error> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        if !matches!(ext.as_str(), "docx" | "txt" | "md" | "markdown") {
            return Err(Error::Usage(format!(
                "{}：文字说明须为 .docx、.txt 或 .md 文件",
                path.display()
            )));
        }
        let bytes = read_limited(path, MAX_FILE_BYTES, "文字说明文件大小（字节）")?;
        let is_docx = ext == "docx";
        let file = path.display().to_string();
        if is_docx {
            let paragraphs = docx_paragraphs(&bytes, path)?;
            return Ok(Narrative { file, paragraphs });
        }
        let text = String::from_utf8(bytes)
            .map_err(|_| invalid(path, "不是 UTF-8 编码的文本（.txt/.md 须为 UTF-8）"))?;
        Ok(Narrative::from_text(&file, &text))
    }
}

impl Narrative {
    /// The narrative a workbook holds on the text sheets of `spec`'s
    /// sections (sh-2026: 部门编制说明, 其他相关情况说明): each section's
    /// heading, then the lines of its sheet's cells below the title row,
    /// in row order; `None` when the workbook has none of them with text.
    pub fn from_sheets(
        file: &str,
        sheets: &[crate::read::Sheet],
        spec: &NarrativeSpec,
    ) -> Option<Narrative> {
        let mut paragraphs = Vec::new();
        let mut any = false;
        for section in &spec.sections {
            let Some(name) = section.sheet.as_deref() else {
                continue;
            };
            let Some(sheet) = sheets.iter().find(|s| s.name.trim() == name) else {
                continue;
            };
            let mut cells: Vec<((u32, u32), &str)> = sheet
                .cells()
                .filter(|((row, _), _)| *row > 0)
                .map(|(at, c)| (at, c.text.as_str()))
                .collect();
            cells.sort_unstable_by_key(|(at, _)| *at);
            let lines: Vec<String> = cells
                .iter()
                .flat_map(|(_, t)| t.lines())
                .map(|l| l.trim().to_string())
                .filter(|l| !l.is_empty())
                .collect();
            if lines.is_empty() {
                continue;
            }
            any = true;
            paragraphs.push(section.heading.clone());
            paragraphs.extend(lines);
        }
        any.then(|| Narrative {
            file: file.to_string(),
            paragraphs,
        })
    }
}

/// An [`Error::Io`] carrying a message of the program's own.
fn invalid(path: &Path, message: &str) -> Error {
    Error::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other(message.to_string()),
    }
}

/// The paragraphs (`w:p`, their `w:t` texts joined; a `w:tab` as a tab)
/// of a .docx's `word/document.xml`, inflated within
/// [`MAX_DOCUMENT_XML_BYTES`].
fn docx_paragraphs(bytes: &[u8], path: &Path) -> Result<Vec<String>, Error> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| invalid(path, &format!("不是 .docx 文档（zip 结构损坏：{e}）")))?;
    let entry = archive
        .by_name("word/document.xml")
        .map_err(|_| invalid(path, "不是 .docx 文档（缺少 word/document.xml）"))?;
    let mut xml = Vec::new();
    entry
        .take(MAX_DOCUMENT_XML_BYTES + 1)
        .read_to_end(&mut xml)
        .map_err(|e| invalid(path, &format!("word/document.xml 无法解压（{e}）")))?;
    let found = u64::try_from(xml.len()).unwrap_or(u64::MAX);
    if found > MAX_DOCUMENT_XML_BYTES {
        return Err(Error::TooLarge {
            path: path.to_path_buf(),
            what: "word/document.xml 解压后的大小（字节）".into(),
            found,
            limit: MAX_DOCUMENT_XML_BYTES,
        });
    }
    paragraphs_of_xml(&xml)
        .map_err(|e| invalid(path, &format!("word/document.xml 不是有效的 XML（{e}）")))
}

/// The text of each `w:p` of a WordprocessingML body, blank ones dropped.
fn paragraphs_of_xml(xml: &[u8]) -> Result<Vec<String>, String> {
    use quick_xml::events::Event;
    let xml = std::str::from_utf8(xml).map_err(|e| e.to_string())?;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    let mut current = String::new();
    let mut in_text = false;
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(e) if e.local_name().as_ref() == "t" => in_text = true,
            Event::End(e) if e.local_name().as_ref() == "t" => in_text = false,
            Event::Empty(e) if e.local_name().as_ref() == "tab" => current.push('\t'),
            Event::Empty(e) if e.local_name().as_ref() == "br" => current.push(' '),
            Event::End(e) if e.local_name().as_ref() == "p" => {
                let p = current.trim().to_string();
                if !p.is_empty() {
                    out.push(p);
                }
                current.clear();
            }
            Event::Text(t) if in_text => current.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_text => {
                if let Some(s) = quick_xml::escape::resolve_xml_entity(&r) {
                    current.push_str(s);
                } else if let Some(c) = r.resolve_char_ref().map_err(|e| e.to_string())? {
                    current.push(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docx_paragraphs_join_runs_and_unescape() {
        let xml = br#"<w:document xmlns:w="x"><w:body><w:p><w:r><w:t>a&amp;</w:t></w:r><w:r><w:t xml:space="preserve">b </w:t></w:r></w:p><w:p/><w:p><w:r><w:t>c</w:t></w:r></w:p></w:body></w:document>"#;
        assert_eq!(paragraphs_of_xml(xml).unwrap(), vec!["a&b", "c"]);
    }

    #[test]
    fn markdown_marks_are_dropped() {
        let n = Narrative::from_text("x.md", "# 一、标题\n\n- 项目\n正文\n");
        assert_eq!(n.paragraphs, vec!["一、标题", "项目", "正文"]);
    }
}
