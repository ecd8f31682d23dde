//! A minimal valid .docx (WordprocessingML): `[Content_Types].xml`,
//! `_rels/.rels` and `word/document.xml`, one `w:p` per paragraph,
//! headings bold.

use crate::error::Error;
use std::io::Write;
use std::path::Path;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

/// Text escaped for XML character data; characters XML 1.0 cannot hold
/// are dropped.
fn escape(text: &str) -> String {
    let kept: String = text
        .chars()
        .filter(|c| u32::from(*c) >= 0x20 || matches!(c, '\t' | '\n' | '\r'))
        .collect();
    quick_xml::escape::partial_escape(&kept).into_owned()
}

/// The `word/document.xml` of `paragraphs` ((bold, text) each).
fn document_xml(paragraphs: &[(bool, String)]) -> String {
    let mut body = String::new();
    for (bold, text) in paragraphs {
        let props = if *bold { "<w:rPr><w:b/></w:rPr>" } else { "" };
        body.push_str(&format!(
            "<w:p><w:r>{props}<w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
            escape(text)
        ));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}<w:sectPr/></w:body></w:document>"
    )
}

/// The bytes of a .docx holding `paragraphs` ((bold, text) each).
///
/// # Errors
/// [`Error::Write`] naming `path` if the zip cannot be built.
pub fn docx_bytes(paragraphs: &[(bool, String)], path: &Path) -> Result<Vec<u8>, Error> {
    let fail = |e: String| Error::Write {
        path: path.to_path_buf(),
        detail: e,
    };
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let parts = [
        ("[Content_Types].xml", CONTENT_TYPES.to_string()),
        ("_rels/.rels", RELS.to_string()),
        ("word/document.xml", document_xml(paragraphs)),
    ];
    for (name, text) in parts {
        zip.start_file(name, options)
            .map_err(|e| fail(e.to_string()))?;
        zip.write_all(text.as_bytes())
            .map_err(|e| fail(e.to_string()))?;
    }
    let cursor = zip.finish().map_err(|e| fail(e.to_string()))?;
    Ok(cursor.into_inner())
}
