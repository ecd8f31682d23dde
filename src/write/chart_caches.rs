//! The cached points of a chart series (`<c:strCache>`, `<c:numCache>`):
//! what a viewer draws before, or without, reading the cells. The .docx
//! charts have nothing else; the workbook charts get them filled in after
//! rust_xlsxwriter, which leaves a series over a union of cells without a
//! cache (and types its categories as numbers).

use super::chart_data::ChartData;
use crate::model::two_decimals;
use rust_decimal::Decimal;
use std::io::{Cursor, Read, Write};

/// `<c:strCache>` of `texts`.
pub(crate) fn str_cache(texts: &[&str]) -> String {
    let mut pts = String::new();
    for (i, t) in texts.iter().enumerate() {
        let t = quick_xml::escape::escape(*t);
        pts.push_str(&format!("<c:pt idx=\"{i}\"><c:v>{t}</c:v></c:pt>"));
    }
    format!(
        "<c:strCache><c:ptCount val=\"{}\"/>{pts}</c:strCache>",
        texts.len()
    )
}

/// `<c:numCache>` of `values`, two decimals each.
pub(crate) fn num_cache(values: &[Decimal]) -> String {
    let mut pts = String::new();
    for (i, v) in values.iter().enumerate() {
        pts.push_str(&format!(
            "<c:pt idx=\"{i}\"><c:v>{}</c:v></c:pt>",
            two_decimals(*v)
        ));
    }
    format!(
        "<c:numCache><c:formatCode>0.00</c:formatCode><c:ptCount val=\"{}\"/>{pts}</c:numCache>",
        values.len()
    )
}

/// The saved workbook `bytes` with a cache for each cache-less series of
/// its chart parts: `charts` holds, per chart, its data and the formulas
/// of its categories and values as written (without `=`); a category
/// series becomes text (`<c:strRef>`). Other parts are copied as they
/// are (same bytes, same order, same times): the output stays
/// deterministic.
pub(crate) fn fill_caches(
    bytes: Vec<u8>,
    charts: &[(&ChartData, String, String)],
) -> zip::result::ZipResult<Vec<u8>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let is_chart = zip.by_index_raw(i)?.name()?.starts_with("xl/charts/chart");
        if !is_chart {
            out.raw_copy_file(zip.by_index_raw(i)?)?;
            continue;
        }
        let mut part = zip.by_index(i)?;
        let name = part.name()?.into_owned();
        let mut options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        if let Some(time) = part.last_modified() {
            options = options.last_modified_time(time);
        }
        let mut xml = String::new();
        part.read_to_string(&mut xml)?;
        drop(part);
        for (chart, categories, values) in charts {
            let labels: Vec<&str> = chart.points.iter().map(|p| p.label.as_str()).collect();
            let amounts: Vec<Decimal> = chart.points.iter().map(|p| p.value).collect();
            xml = with_cache(&xml, "cat", categories, "strRef", &str_cache(&labels));
            xml = with_cache(&xml, "val", values, "numRef", &num_cache(&amounts));
        }
        out.start_file(name, options)?;
        out.write_all(xml.as_bytes())?;
    }
    Ok(out.finish()?.into_inner())
}

/// `xml` with the cache-less `<c:{element}><c:numRef><c:f>formula</c:f></c:numRef>`
/// replaced by a `<c:{tag}>` with the same formula and `cache`.
fn with_cache(xml: &str, element: &str, formula: &str, tag: &str, cache: &str) -> String {
    // rust_xlsxwriter escapes &, < and > in element text, not quotes.
    let f = format!("<c:f>{}</c:f>", quick_xml::escape::partial_escape(formula));
    let bare = format!("<c:{element}><c:numRef>{f}</c:numRef>");
    let filled = format!("<c:{element}><c:{tag}>{f}{cache}</c:{tag}>");
    xml.replace(&bare, &filled)
}
