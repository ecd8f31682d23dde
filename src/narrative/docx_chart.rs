//! The charts of a .docx draft as native Word charts (DrawingML): one
//! part `word/charts/chartN.xml` per chart, a pie whose categories and
//! values are cached in the part (what Word and LibreOffice draw; there is
//! no embedded workbook), and the inline `<w:drawing>` that shows it.

use super::docx::escape;
use crate::write::{num_cache, str_cache, ChartData};
use rust_decimal::Decimal;

/// Content type of a chart part.
pub(super) const CHART_CONTENT_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.drawingml.chart+xml";

/// Relationship type from the document to a chart part.
pub(super) const CHART_RELATIONSHIP: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart";

/// Width and height of a drawn chart in EMU (15 cm × 9 cm).
const EXTENT: (u32, u32) = (5_400_000, 3_240_000);

/// Slice colours, in turn (a .docx without a theme has no automatic ones
/// LibreOffice would draw).
const PALETTE: [&str; 10] = [
    "4472C4", "ED7D31", "A5A5A5", "FFC000", "5B9BD5", "70AD47", "264478", "9E480E", "636363",
    "997300",
];

/// The fill of each slice, white-edged.
fn slice_fills(n: usize) -> String {
    (0..n)
        .map(|i| {
            let colour = PALETTE.get(i % PALETTE.len()).copied().unwrap_or("4472C4");
            format!(
                "<c:dPt><c:idx val=\"{i}\"/><c:bubble3D val=\"0\"/><c:spPr><a:solidFill><a:srgbClr val=\"{colour}\"/></a:solidFill><a:ln><a:solidFill><a:srgbClr val=\"FFFFFF\"/></a:solidFill></a:ln></c:spPr></c:dPt>"
            )
        })
        .collect()
}

/// Text properties of the chart (宋体, `size` in hundredths of a point).
fn text_props(size: u32, bold: bool) -> String {
    let b = u8::from(bold);
    format!(
        "<a:defRPr sz=\"{size}\" b=\"{b}\"><a:latin typeface=\"宋体\"/><a:ea typeface=\"宋体\"/></a:defRPr>"
    )
}

/// A cached string sequence (categories, series name) with its reference
/// into the chart's notional data sheet.
fn str_ref(formula: &str, texts: &[&str]) -> String {
    format!(
        "<c:strRef><c:f>{formula}</c:f>{}</c:strRef>",
        str_cache(texts)
    )
}

/// The `word/charts/chartN.xml` of one chart: a pie, percentage labels
/// with two decimals (none on a zero slice), legend on the right.
pub(super) fn chart_xml(chart: &ChartData) -> String {
    let title = escape(chart.kind.title());
    let n = chart.points.len();
    let labels: Vec<&str> = chart.points.iter().map(|p| p.label.as_str()).collect();
    let amounts: Vec<Decimal> = chart.points.iter().map(|p| p.value).collect();
    let last = n.saturating_add(1);
    format!(
        concat!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
            "<c:chartSpace xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\" ",
            "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" ",
            "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">",
            "<c:lang val=\"zh-CN\"/><c:chart>",
            "<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr>{title_props}</a:pPr>",
            "<a:r><a:rPr lang=\"zh-CN\"/><a:t>{title}</a:t></a:r></a:p></c:rich></c:tx>",
            "<c:overlay val=\"0\"/></c:title><c:autoTitleDeleted val=\"0\"/>",
            "<c:plotArea><c:layout/><c:pieChart><c:varyColors val=\"1\"/>",
            "<c:ser><c:idx val=\"0\"/><c:order val=\"0\"/><c:tx>{name}</c:tx>{fills}",
            "<c:dLbls><c:numFmt formatCode=\"0.00%;-0.00%;;\" sourceLinked=\"0\"/>",
            "<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>",
            "<c:dLblPos val=\"bestFit\"/><c:showLegendKey val=\"0\"/><c:showVal val=\"0\"/>",
            "<c:showCatName val=\"0\"/><c:showSerName val=\"0\"/><c:showPercent val=\"1\"/>",
            "<c:showBubbleSize val=\"0\"/><c:showLeaderLines val=\"1\"/></c:dLbls>",
            "<c:cat>{categories}</c:cat>",
            "<c:val><c:numRef><c:f>Sheet1!$B$2:$B${last}</c:f>{values}</c:numRef></c:val>",
            "</c:ser><c:firstSliceAng val=\"0\"/></c:pieChart>",
            "</c:plotArea><c:legend><c:legendPos val=\"r\"/><c:overlay val=\"0\"/></c:legend>",
            "<c:plotVisOnly val=\"1\"/><c:dispBlanksAs val=\"gap\"/></c:chart>",
            "<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr>{body_props}</a:pPr>",
            "<a:endParaRPr lang=\"zh-CN\"/></a:p></c:txPr></c:chartSpace>"
        ),
        title_props = text_props(1400, true),
        title = title,
        name = str_ref("Sheet1!$B$1", &[chart.kind.title()]),
        fills = slice_fills(n),
        categories = str_ref(&format!("Sheet1!$A$2:$A${last}"), &labels),
        last = last,
        values = num_cache(&amounts),
        body_props = text_props(1000, false),
    )
}

/// The paragraph that shows chart number `n` (from 1), related to the
/// document by `rel_id`: an inline drawing, centred.
pub(super) fn drawing_paragraph(chart: &ChartData, n: usize, rel_id: &str) -> String {
    let (cx, cy) = EXTENT;
    let title = quick_xml::escape::escape(chart.kind.title());
    format!(
        concat!(
            "<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr><w:r><w:drawing>",
            "<wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\">",
            "<wp:extent cx=\"{cx}\" cy=\"{cy}\"/><wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/>",
            "<wp:docPr id=\"{n}\" name=\"图表 {n}\" descr=\"{title}\"/><wp:cNvGraphicFramePr/>",
            "<a:graphic xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\">",
            "<a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/chart\">",
            "<c:chart xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\" r:id=\"{rel_id}\"/>",
            "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
        ),
        cx = cx,
        cy = cy,
        n = n,
        title = title,
        rel_id = rel_id,
    )
}
