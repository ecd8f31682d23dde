//! A minimal valid .docx (WordprocessingML): `[Content_Types].xml`,
//! `_rels/.rels` and `word/document.xml`, one `w:p` per paragraph,
//! headings bold; with charts, their parts `word/charts/chartN.xml` and
//! `word/_rels/document.xml.rels` too (src/narrative/docx_chart.rs).

use super::docx_chart::{chart_xml, drawing_paragraph, CHART_CONTENT_TYPE, CHART_RELATIONSHIP};
use crate::error::Error;
use crate::write::ChartData;
use std::io::Write;
use std::path::Path;

/// `[Content_Types].xml` with an override for each of `charts` chart parts.
fn content_types(charts: usize) -> String {
    let overrides: String = (1..=charts)
        .map(|n| {
            format!(
                "<Override PartName=\"/word/charts/chart{n}.xml\" ContentType=\"{CHART_CONTENT_TYPE}\"/>"
            )
        })
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>{overrides}</Types>"#
    )
}

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

/// The relationship id of chart number `n` (from 1).
fn chart_rel_id(n: usize) -> String {
    format!("rIdChart{n}")
}

/// `word/_rels/document.xml.rels`: the document's charts.
fn document_rels(charts: usize) -> String {
    let rels: String = (1..=charts)
        .map(|n| {
            format!(
                "<Relationship Id=\"{}\" Type=\"{CHART_RELATIONSHIP}\" Target=\"charts/chart{n}.xml\"/>",
                chart_rel_id(n)
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{rels}</Relationships>"
    )
}

/// Text escaped for XML character data; characters XML 1.0 cannot hold
/// are dropped.
pub(super) fn escape(text: &str) -> String {
    let kept: String = text
        .chars()
        .filter(|c| u32::from(*c) >= 0x20 || matches!(c, '\t' | '\n' | '\r'))
        .collect();
    quick_xml::escape::partial_escape(&kept).into_owned()
}

/// The `word/document.xml` of `paragraphs` ((bold, text) each), and the
/// charts it shows: each chart of `charts` with points follows the first
/// plain paragraph that is its title (its caption, as the reference
/// 情况说明 has it).
fn document_xml<'a>(
    paragraphs: &[(bool, String)],
    charts: &'a [ChartData],
) -> (String, Vec<&'a ChartData>) {
    let mut body = String::new();
    let mut shown: Vec<&ChartData> = Vec::new();
    for (bold, text) in paragraphs {
        let props = if *bold { "<w:rPr><w:b/></w:rPr>" } else { "" };
        body.push_str(&format!(
            "<w:p><w:r>{props}<w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
            escape(text)
        ));
        let caption = charts.iter().find(|c| {
            !bold && !c.points.is_empty() && c.kind.title() == text.trim() && !shown.contains(c)
        });
        if let Some(chart) = caption {
            shown.push(chart);
            let n = shown.len();
            body.push_str(&drawing_paragraph(chart, n, &chart_rel_id(n)));
        }
    }
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><w:body>{body}<w:sectPr/></w:body></w:document>"
    );
    (xml, shown)
}

/// The bytes of a .docx holding `paragraphs` ((bold, text) each), with
/// each of `charts` drawn after its caption paragraph (a chart whose
/// caption is not among the paragraphs, or without points, is left out).
///
/// # Errors
/// [`Error::Write`] naming `path` if the zip cannot be built.
pub fn docx_bytes(
    paragraphs: &[(bool, String)],
    charts: &[ChartData],
    path: &Path,
) -> Result<Vec<u8>, Error> {
    let fail = |e: String| Error::Write {
        path: path.to_path_buf(),
        detail: e,
    };
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let (document, shown) = document_xml(paragraphs, charts);
    let mut parts = vec![
        (
            "[Content_Types].xml".to_string(),
            content_types(shown.len()),
        ),
        ("_rels/.rels".to_string(), RELS.to_string()),
        ("word/document.xml".to_string(), document),
    ];
    if !shown.is_empty() {
        parts.push((
            "word/_rels/document.xml.rels".to_string(),
            document_rels(shown.len()),
        ));
    }
    for (i, chart) in shown.iter().enumerate() {
        parts.push((format!("word/charts/chart{}.xml", i + 1), chart_xml(chart)));
    }
    for (name, text) in parts {
        zip.start_file(name, options)
            .map_err(|e| fail(e.to_string()))?;
        zip.write_all(text.as_bytes())
            .map_err(|e| fail(e.to_string()))?;
    }
    let cursor = zip.finish().map_err(|e| fail(e.to_string()))?;
    Ok(cursor.into_inner())
}
