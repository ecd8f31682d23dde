//! The charts (issue #11 item 3): `export` draws 一般公共预算当年拨款结构图
//! and 三公经费分布图 as native Excel charts on a sheet 图表 whose series
//! refer to the exported tables' own cells, and `narrative -o X.docx`
//! carries the same two as native Word charts with cached values, after
//! their captions. Expected names and amounts come from the samples as the
//! library reads them, never retyped.

use budgetkit::commands::{export, write_narrative, ExportOptions, NarrativeOptions};
use budgetkit::model::ThreePublic;
use budgetkit::narrative::docx_bytes;
use budgetkit::spec::{ColumnKey, Role, TableSpec};
use budgetkit::write::{split_reference, ChartKind, CHART_SHEET};
use budgetkit::{Budget, Template};
use calamine::{open_workbook_auto, Data, Reader};
use rust_decimal::Decimal;
use std::io::Read;
use std::path::{Path, PathBuf};

const SHANXI: &str = "samples/shuozhou-investment-2025.xlsx";
const SHANGHAI: &str = "samples/shanghai-putuo-finance-2025.xlsx";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(sample: &str, template: &Template) -> Budget {
    budgetkit::read(root().join(sample), template)
        .unwrap()
        .budget
}

/// The sample exported by `budgetkit export` into `dir`.
fn exported(sample: &str, template: &Template, dir: &Path) -> PathBuf {
    let out = dir.join("公开表.xlsx");
    let opts = ExportOptions {
        read_template: template,
        write_template: template,
        force: false,
    };
    let outcome = export(&root().join(sample), &out, &opts).unwrap();
    assert!(!outcome.refused);
    out
}

/// Every part of a zip package whose name starts with `prefix`, by name.
fn parts(path: &Path, prefix: &str) -> Vec<(String, String)> {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        let name = part.name().unwrap().to_string();
        if name.starts_with(prefix) {
            let mut text = String::new();
            part.read_to_string(&mut text).unwrap();
            out.push((name, text));
        }
    }
    out.sort();
    out
}

fn part(path: &Path, name: &str) -> String {
    parts(path, name)
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, t)| t)
        .unwrap_or_else(|| panic!("{name} missing"))
}

/// The text between the first `open` after `from` and the next `close`.
fn between<'a>(xml: &'a str, from: &str, open: &str, close: &str) -> &'a str {
    let at = xml.find(from).unwrap_or_else(|| panic!("{from} missing"));
    let rest = &xml[at..];
    let start = rest.find(open).unwrap() + open.len();
    let end = start + rest[start..].find(close).unwrap();
    &rest[start..end]
}

/// Every `<c:v>` of an element (a cache's points), in order.
fn cached(element: &str) -> Vec<String> {
    element
        .split("<c:v>")
        .skip(1)
        .map(|s| s.split("</c:v>").next().unwrap().to_string())
        .collect()
}

/// The cells a chart range formula names, in order: `A!$B$7` or
/// `(A!$B$7,A!$B$13:$B$14)`.
fn cells_of(formula: &str) -> Vec<(String, u32, u32)> {
    let f = formula.trim_start_matches('(').trim_end_matches(')');
    let mut out = Vec::new();
    for part in f.split(',') {
        let part = part.replace('$', "");
        let (sheet_and_first, last) = match part.rsplit_once(':') {
            Some((a, b)) => (a.to_string(), Some(b.to_string())),
            None => (part.clone(), None),
        };
        let (sheet, r1, c1) = split_reference(&sheet_and_first).unwrap();
        let sheet = sheet.replace("''", "'");
        let (r2, c2) = match last {
            Some(l) => {
                let (_, r, c) = split_reference(&format!("x!{l}")).unwrap();
                (r, c)
            }
            None => (r1, c1),
        };
        for r in r1..=r2 {
            for c in c1..=c2 {
                out.push((sheet.clone(), r, c));
            }
        }
    }
    out
}

/// A chart part: its title, and what its categories and values hold
/// (cell references in a workbook, cached points in a .docx).
struct PartChart<T> {
    title: String,
    categories: Vec<T>,
    values: Vec<T>,
}

/// The charts of the parts under `prefix`, `series` reading a series
/// element (`<c:cat>`, `<c:val>`).
fn charts_in<T>(
    path: &Path,
    prefix: &str,
    series: impl Fn(&str, &str) -> Vec<T>,
) -> Vec<PartChart<T>> {
    parts(path, prefix)
        .iter()
        .map(|(_, xml)| PartChart {
            title: between(xml, "<c:title>", "<a:t>", "</a:t>").to_string(),
            categories: series(xml, "<c:cat>"),
            values: series(xml, "<c:val>"),
        })
        .collect()
}

type XlsxChart = PartChart<(String, u32, u32)>;

fn xlsx_charts(path: &Path) -> Vec<XlsxChart> {
    charts_in(path, "xl/charts/chart", |xml, at| {
        cells_of(between(xml, at, "<c:f>", "</c:f>"))
    })
}

fn chart(charts: &[XlsxChart], kind: ChartKind) -> &XlsxChart {
    charts
        .iter()
        .find(|c| c.title == kind.title())
        .unwrap_or_else(|| panic!("no chart {}", kind.title()))
}

/// The cells' contents as text and as amounts (0 for a blank).
fn contents(path: &Path, cells: &[(String, u32, u32)]) -> (Vec<String>, Vec<Decimal>) {
    let mut wb = open_workbook_auto(path).unwrap();
    let (mut texts, mut amounts) = (Vec::new(), Vec::new());
    for (sheet, r, c) in cells {
        let range = wb.worksheet_range(sheet).unwrap();
        match range.get_value((*r, *c)) {
            Some(Data::String(s)) => texts.push(s.clone()),
            Some(Data::Float(v)) => amounts.push(Decimal::try_from(*v).unwrap().round_dp(2)),
            Some(Data::Int(v)) => amounts.push(Decimal::from(*v)),
            Some(Data::Empty) | None => amounts.push(Decimal::ZERO),
            Some(other) => panic!("{sheet}!{r},{c}: {other:?}"),
        }
    }
    (texts, amounts)
}

fn spec(template: &Template, role: Role) -> &TableSpec {
    template.tables.iter().find(|t| t.role == role).unwrap()
}

/// The 类 lines with general-budget spending: (name, 合计 in 万元).
fn classes(b: &Budget) -> Vec<(String, Decimal)> {
    b.functions
        .lines
        .iter()
        .filter(|l| l.level() == 1)
        .filter_map(|l| Some((l.name.clone(), l.general.total()?)))
        .filter(|(_, v)| !v.is_zero())
        .collect()
}

/// The four 三公 items' amounts (万元) in the fund(s) the table shows.
fn three_public(b: &Budget, one_fund: bool) -> Vec<Decimal> {
    b.three_public
        .items()
        .iter()
        .map(|(_, s)| {
            let v = if one_fund {
                s.general.as_ref().map(|a| a.value)
            } else {
                s.total()
            };
            v.unwrap_or_default().round_dp(2)
        })
        .collect()
}

/// The 三公 items' labels as the template writes them: its fixed rows, or
/// the lowest header cell over each item's column.
fn three_public_labels(t: &TableSpec, year: i32) -> Vec<String> {
    ThreePublic::ITEMS
        .iter()
        .map(|&item| {
            if let Some(row) = t.fixed_rows.iter().find(|f| f.1 == item) {
                return row.0.clone();
            }
            let col = t.col(ColumnKey::of_item(item)).unwrap();
            let cells = t.header_cells(year);
            let lowest = cells
                .iter()
                .filter(|h| h.col == col && h.last_col == col)
                .max_by_key(|h| h.row)
                .unwrap();
            lowest.text.clone()
        })
        .collect()
}

fn scaled(values: &[Decimal], by: i64) -> Vec<Decimal> {
    values.iter().map(|v| v * Decimal::from(by)).collect()
}

/// Both charts of an exported sample: on the right table's cells, the 类
/// names and amounts of the model, the four 三公 items.
fn assert_charts_on_tables(sample: &str, template_id: &str, yuan: i64, one_fund: bool) {
    let dir = tempfile::tempdir().unwrap();
    let template = Template::load(template_id).unwrap();
    let budget = read(sample, &template);
    let out = exported(sample, &template, dir.path());
    let charts = xlsx_charts(&out);
    assert_eq!(charts.len(), 2, "{sample}");

    let general = chart(&charts, ChartKind::GeneralByClass);
    let sheet = &spec(&template, Role::General).sheet;
    for (s, _, _) in general.categories.iter().chain(&general.values) {
        assert_eq!(s, sheet, "{sample}");
    }
    let (names, none) = contents(&out, &general.categories);
    let (none2, amounts) = contents(&out, &general.values);
    assert!(none.is_empty() && none2.is_empty(), "{sample}");
    let want = classes(&budget);
    assert!(!want.is_empty());
    let want_names: Vec<String> = want.iter().map(|(n, _)| n.clone()).collect();
    let want_amounts: Vec<Decimal> = want.iter().map(|(_, v)| *v).collect();
    assert_eq!(names, want_names, "{sample}");
    assert_eq!(amounts, scaled(&want_amounts, yuan), "{sample}");

    let three = chart(&charts, ChartKind::ThreePublic);
    let t = spec(&template, Role::ThreePublic);
    for (s, _, _) in three.categories.iter().chain(&three.values) {
        assert_eq!(s, &t.sheet, "{sample}");
    }
    let (labels, _) = contents(&out, &three.categories);
    let (_, amounts) = contents(&out, &three.values);
    assert_eq!(labels, three_public_labels(t, budget.year), "{sample}");
    assert_eq!(amounts, three_public(&budget, one_fund), "{sample}");
    assert!(amounts.iter().any(|v| !v.is_zero()), "{sample}");

    // The caches (what a viewer shows before reading the cells) hold the
    // cells' contents.
    let caches = cached_charts(&out, "xl/charts/chart");
    assert_eq!(caches.len(), charts.len());
    for (c, cache) in charts.iter().zip(&caches) {
        assert_eq!(
            cache.categories,
            contents(&out, &c.categories).0,
            "{sample}"
        );
        assert_eq!(
            cache.values,
            written(&contents(&out, &c.values).1),
            "{sample}"
        );
    }
}

#[test]
fn the_shanxi_export_charts_refer_to_tables_5_and_10() {
    assert_charts_on_tables(SHANXI, "sx-2025", 1, false);
}

#[test]
fn the_shanghai_export_charts_refer_to_its_general_and_three_public_tables() {
    // The general-budget table is in 元, the 三公 table in 万元 (general fund).
    assert_charts_on_tables(SHANGHAI, "sh-2026", 10_000, true);
}

#[test]
fn the_charts_sheet_comes_last_and_the_export_reads_back_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let template = Template::load("sx-2025").unwrap();
    let out = exported(SHANXI, &template, dir.path());
    let names = open_workbook_auto(&out).unwrap().sheet_names();
    assert_eq!(names.last().map(String::as_str), Some(CHART_SHEET));
    // The drawing belongs to the charts sheet, the charts are pies with
    // percentage labels.
    let (_, rels) = parts(&out, "xl/worksheets/_rels/")
        .into_iter()
        .find(|(_, t)| t.contains("drawing"))
        .unwrap();
    assert!(rels.contains("../drawings/drawing1.xml"));
    for (_, xml) in parts(&out, "xl/charts/chart") {
        assert!(xml.contains("<c:pieChart>"));
        assert!(xml.contains("<c:showPercent val=\"1\"/>"));
    }
    let back = budgetkit::read(&out, &template).unwrap();
    assert!(back.findings.is_empty(), "{:#?}", back.findings);
    assert_eq!(
        serde_json::to_value(classes(&back.budget)).unwrap(),
        serde_json::to_value(classes(&read(SHANXI, &template))).unwrap()
    );
}

/// The sample without any 三公 amount.
fn without_three_public(template: &Template) -> Budget {
    let mut b = read(SHANXI, template);
    b.three_public = ThreePublic::default();
    b
}

#[test]
fn an_empty_three_public_table_gets_no_chart_but_a_line_saying_why() {
    let dir = tempfile::tempdir().unwrap();
    let template = Template::load("sx-2025").unwrap();
    let out = dir.path().join("无三公.xlsx");
    budgetkit::export(&without_three_public(&template), &template, &out).unwrap();
    let charts = xlsx_charts(&out);
    assert_eq!(charts.len(), 1);
    assert_eq!(charts[0].title, ChartKind::GeneralByClass.title());
    let mut wb = open_workbook_auto(&out).unwrap();
    let sheet = wb.worksheet_range(CHART_SHEET).unwrap();
    let line = format!(
        "{}：{}",
        ChartKind::ThreePublic.title(),
        ChartKind::ThreePublic.without_data()
    );
    assert!(
        sheet.used_cells().any(|(_, _, v)| v.to_string() == line),
        "{line} not on {CHART_SHEET}"
    );
}

#[test]
fn a_budget_without_amounts_gets_no_charts_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let template = Template::load("sx-2025").unwrap();
    let out = dir.path().join("空.xlsx");
    let budget = Budget {
        year: 2025,
        ..Budget::default()
    };
    budgetkit::export(&budget, &template, &out).unwrap();
    assert!(xlsx_charts(&out).is_empty());
    let names = open_workbook_auto(&out).unwrap().sheet_names();
    assert!(!names.iter().any(|n| n == CHART_SHEET), "{names:?}");
}

/// The charts under `prefix` with their cached points.
fn cached_charts(path: &Path, prefix: &str) -> Vec<PartChart<String>> {
    // From after <c:strCache> (<c:numCache>) to its end tag.
    charts_in(path, prefix, |xml, at| {
        cached(between(xml, at, "Cache>", "Cache>"))
    })
}

fn docx_charts(path: &Path) -> Vec<PartChart<String>> {
    cached_charts(path, "word/charts/chart")
}

/// Amounts as a table writes them (two decimals).
fn written(values: &[Decimal]) -> Vec<String> {
    values
        .iter()
        .map(|v| {
            let mut v = v.round_dp(2);
            v.rescale(2);
            v.to_string()
        })
        .collect()
}

#[test]
fn the_docx_draft_carries_both_charts_with_the_models_amounts() {
    let dir = tempfile::tempdir().unwrap();
    let template = Template::load("sx-2025").unwrap();
    let budget = read(SHANXI, &template);
    let out = dir.path().join("情况说明.docx");
    let opts = NarrativeOptions {
        template: &template,
        prior: None,
    };
    write_narrative(&root().join(SHANXI), &out, &opts).unwrap();
    let charts = docx_charts(&out);
    assert_eq!(charts.len(), 2);

    let (general, three) = (&charts[0], &charts[1]);
    assert_eq!(general.title, ChartKind::GeneralByClass.title());
    let want = classes(&budget);
    let names: Vec<String> = want.iter().map(|(n, _)| n.clone()).collect();
    let amounts: Vec<Decimal> = want.iter().map(|(_, v)| *v).collect();
    assert_eq!(general.categories, names);
    assert_eq!(general.values, written(&amounts));

    assert_eq!(three.title, ChartKind::ThreePublic.title());
    let t = spec(&template, Role::ThreePublic);
    assert_eq!(three.categories, three_public_labels(t, budget.year));
    assert_eq!(three.values, written(&three_public(&budget, false)));

    // Each part is typed, related, and drawn right after its caption.
    let types = part(&out, "[Content_Types].xml");
    let rels = part(&out, "word/_rels/document.xml.rels");
    let doc = part(&out, "word/document.xml");
    for (n, kind) in [(1, ChartKind::GeneralByClass), (2, ChartKind::ThreePublic)] {
        assert!(types.contains(&format!("PartName=\"/word/charts/chart{n}.xml\"")));
        let id = rels
            .split("<Relationship ")
            .find(|r| r.contains(&format!("Target=\"charts/chart{n}.xml\"")))
            .and_then(|r| r.split("Id=\"").nth(1))
            .and_then(|r| r.split('"').next())
            .unwrap();
        let caption = doc.find(&format!(">{}</w:t>", kind.title())).unwrap();
        let drawing = doc.find(&format!("r:id=\"{id}\"")).unwrap();
        assert!(caption < drawing, "{} after its caption", kind.title());
        assert!(
            !doc[caption + 1..drawing].contains("<w:t "),
            "{}: no paragraph between caption and chart",
            kind.title()
        );
    }
}

#[test]
fn a_draft_without_three_public_has_neither_its_chart_nor_its_caption() {
    let dir = tempfile::tempdir().unwrap();
    let template = Template::load("sx-2025").unwrap();
    let budget = without_three_public(&template);
    let draft = budgetkit::draft_narrative(&budget, None, &template).unwrap();
    let text = draft.to_text();
    assert!(!text.contains(ChartKind::ThreePublic.title()));
    assert!(text.contains(ChartKind::GeneralByClass.title()));
    let out = dir.path().join("d.docx");
    let bytes = docx_bytes(&draft.paragraphs(), &draft.charts, &out).unwrap();
    std::fs::write(&out, bytes).unwrap();
    let charts = docx_charts(&out);
    assert_eq!(charts.len(), 1);
    assert_eq!(charts[0].title, ChartKind::GeneralByClass.title());
}

#[test]
fn a_docx_without_captions_has_no_chart_parts() {
    // sh-2026's 编制说明 mentions no chart: its draft draws none.
    let dir = tempfile::tempdir().unwrap();
    let template = Template::load("sh-2026").unwrap();
    let budget = read(SHANGHAI, &template);
    let draft = budgetkit::draft_narrative(&budget, None, &template).unwrap();
    assert_eq!(draft.charts.len(), 2);
    assert!(draft.charts.iter().all(|c| !c.points.is_empty()));
    let out = dir.path().join("d.docx");
    std::fs::write(
        &out,
        docx_bytes(&draft.paragraphs(), &draft.charts, &out).unwrap(),
    )
    .unwrap();
    assert!(docx_charts(&out).is_empty());
    assert!(parts(&out, "word/_rels/").is_empty());
    assert!(!part(&out, "[Content_Types].xml").contains("chart"));
}
