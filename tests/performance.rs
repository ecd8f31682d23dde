//! Performance-target forms: the sample workbook reads back as the sample
//! model, the totals agree with the reference disclosure, and the reader
//! copes with stacked forms, blank category cells and bad amounts.

mod common;

use budgetkit::findings::Severity;
use budgetkit::model::{parse_amount, Performance};
use budgetkit::read::{
    a1, form_label_key, read_json, read_performance, read_sheets, read_workbook, RawCell, Sheet,
    Span,
};
use budgetkit::spec::Template;
use budgetkit::spec::{FormLabels, FormWording};
use common::*;
use rust_decimal::Decimal;
use std::path::Path;

fn sample_performance() -> Performance {
    read_json(&sample_json()).unwrap().budget.performance
}

/// The forms without provenance (Amount equality already ignores it).
fn without_provenance(mut p: Performance) -> Performance {
    for f in &mut p.projects {
        f.name_at = None;
    }
    p
}

/// The forms' labels (the same for every template).
fn labels() -> FormLabels {
    Template::load("sx-2025").unwrap().forms
}

/// sx-2025's wording of the forms.
fn wording() -> FormWording {
    Template::load("sx-2025").unwrap().performance.unwrap()
}

fn is_form_sheet(name: &str) -> bool {
    name == wording().department_sheet || name.starts_with("项目绩效目标表")
}

fn read_sample_sheets() -> Vec<Sheet> {
    read_sheets(&sample_xlsx()).unwrap()
}

fn text(s: &str) -> RawCell {
    RawCell {
        text: s.to_string(),
        numeric: false,
    }
}

#[test]
fn the_sample_workbook_reads_back_as_the_sample_model() {
    let template = Template::load("sx-2025").unwrap();
    let sub = budgetkit::read::read_path(&sample_xlsx(), &template).unwrap();
    let want = sample_performance();
    assert!(want.department.is_some() && !want.projects.is_empty());
    let got = sub.budget.performance.clone();
    assert_eq!(without_provenance(got.clone()), want);
    let form_findings: Vec<_> = sub
        .findings
        .iter()
        .filter(|f| {
            f.rule.starts_with("READ-FORM")
                || f.cells.iter().any(|c| c.to_string().contains("绩效"))
        })
        .collect();
    assert!(form_findings.is_empty(), "{form_findings:?}");
    // provenance: the project name and fund amounts point at their cells
    for p in &got.projects {
        let at = p.name_at.as_ref().expect("name provenance");
        assert!(at.sheet.starts_with("项目绩效目标表"), "{at:?}");
        assert_eq!(at.text, p.name);
        let total = p.annual_funds.total.as_ref().expect("年度资金总额");
        assert_eq!(total.at.as_ref().map(|a| &a.sheet), Some(&at.sheet));
    }
}

/// Label → values (left to right) of the reference text between two lines.
fn reference_values(lines: &[&str]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for line in lines {
        let cells: Vec<&str> = line.split('\t').map(str::trim).collect();
        for (i, c) in cells.iter().enumerate() {
            let value = cells.iter().skip(i + 1).find(|v| !v.is_empty());
            if let Some(v) = value {
                out.push((form_label_key(c).into_owned(), v.to_string()));
            }
        }
    }
    out
}

fn reference_amount(values: &[(String, String)], label: &str, nth: usize) -> Decimal {
    let text = values
        .iter()
        .filter(|(k, _)| k == label)
        .nth(nth)
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| panic!("reference has no {label} #{nth}"));
    parse_amount(&text).unwrap().unwrap()
}

#[test]
fn form_totals_equal_the_reference_disclosure() {
    // the reference's forms section verbatim (scripts/extract_reference.py)
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/reference-forms.txt");
    let reference = std::fs::read_to_string(path).unwrap();
    let lines: Vec<&str> = reference.lines().collect();
    let titles: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| {
            let k = form_label_key(l);
            k.ends_with("整体支出绩效目标申报表") || k.ends_with("项目支出绩效目标表")
        })
        .map(|(i, _)| i)
        .collect();
    assert_eq!(
        titles.len(),
        6,
        "one department form and five project forms"
    );
    let section = |i: usize| {
        let end = titles.get(i + 1).copied().unwrap_or(lines.len());
        reference_values(&lines[titles[i]..end])
    };

    let template = Template::load("sx-2025").unwrap();
    let got = budgetkit::read::read_path(&sample_xlsx(), &template)
        .unwrap()
        .budget
        .performance;
    let d = got.department.expect("department form");
    let dept = section(0);
    let value = |a: &Option<budgetkit::model::Amount>| a.as_ref().map(|a| a.value);
    assert_eq!(
        value(&d.funds_by_source.total),
        Some(reference_amount(&dept, "合计", 0))
    );
    assert_eq!(
        value(&d.funds_by_use.total),
        Some(reference_amount(&dept, "合计", 1))
    );
    assert_eq!(
        value(&d.funds_by_use.basic),
        Some(reference_amount(&dept, "基本支出", 0))
    );
    assert_eq!(
        value(&d.funds_by_use.project),
        Some(reference_amount(&dept, "项目支出", 0))
    );
    // and the figures as published: 353.49 = 236.49 + 117.00
    let published = ["353.49", "236.49", "117.00"].map(|s| s.parse::<Decimal>().ok());
    assert_eq!(
        [
            &d.funds_by_source.total,
            &d.funds_by_use.basic,
            &d.funds_by_use.project
        ]
        .map(value),
        published
    );

    assert_eq!(got.projects.len(), titles.len() - 1);
    for (i, p) in got.projects.iter().enumerate() {
        let values = section(i + 1);
        let name = &values.iter().find(|(k, _)| k == "项目名称").unwrap().1;
        assert_eq!(&p.name, name);
        let annual = reference_amount(&values, "年度资金总额", 0);
        assert_eq!(value(&p.annual_funds.total), Some(annual), "{name}");
    }
}

/// The sample's form sheets stacked on one sheet, two blank rows apart,
/// with the project titles in half-width brackets.
fn stacked(sheets: &[Sheet]) -> Sheet {
    let mut out = Sheet::new("绩效目标表", false);
    let mut top = 0;
    for s in sheets.iter().filter(|s| is_form_sheet(&s.name)) {
        for ((r, c), cell) in s.cells() {
            let mut cell = cell.clone();
            if cell.text.contains("项目支出绩效目标表") {
                cell.text = "朔州市市级预算部门(单位)项目支出绩效目标表".to_string();
            }
            out.set(top + r, c, cell);
        }
        for m in s.merges() {
            out.add_merge(Span {
                row: top + m.row,
                last_row: top + m.last_row,
                ..*m
            });
        }
        top += s.last_row().unwrap_or(0) + 3;
    }
    out
}

#[test]
fn forms_stacked_on_one_sheet_read_the_same() {
    let sheets = read_sample_sheets();
    let mut mixed: Vec<Sheet> = sheets
        .iter()
        .filter(|s| !is_form_sheet(&s.name))
        .cloned()
        .collect();
    mixed.push(stacked(&sheets));
    let template = Template::load("sx-2025").unwrap();
    let sub = read_workbook(&mixed, &template, Path::new("stacked.xlsx")).unwrap();
    let got = sub.budget.performance;
    assert!(got
        .projects
        .iter()
        .all(|p| p.name_at.as_ref().is_some_and(|a| a.sheet == "绩效目标表")));
    assert_eq!(without_provenance(got), sample_performance());
}

#[test]
fn indicator_values_are_typed() {
    let mut findings = Vec::new();
    let perf = read_performance(&read_sample_sheets(), &labels(), &mut findings);
    let d = perf.department.expect("department form");
    let books = d
        .indicators
        .iter()
        .find(|i| i.level3 == "宣传项目册编制")
        .expect("宣传项目册编制");
    assert_eq!(
        (books.level1.as_str(), books.level2.as_str()),
        ("产出指标", "数量指标")
    );
    assert_eq!(books.value.text, "≥100册");
    assert_eq!(books.value.op.as_deref(), Some("≥"));
    assert_eq!(books.value.number, Some(Decimal::from(100)));
    assert_eq!(books.value.unit.as_deref(), Some("册"));
    let quality = perf.projects[0]
        .annual_indicators
        .iter()
        .find(|i| i.value.text == "良")
        .expect("a 良 indicator");
    assert_eq!(
        (quality.value.op.as_ref(), quality.value.number),
        (None, None)
    );
}

#[test]
fn blank_category_cells_are_filled_from_above_and_skeleton_rows_skipped() {
    let mut s = Sheet::new("整体", false);
    s.set(
        0,
        0,
        text(
            wording()
                .department_title
                .replace('（', "(")
                .replace('）', ")")
                .as_str(),
        ),
    );
    s.set(1, 0, text("(2025) 年度"));
    let rows: [[&str; 5]; 7] = [
        ["年度绩效指标", "一级指标", "二级指标", "三级指标", "指标值"],
        ["", "产出指标", "数量指标", "宣传项目册编制", "≥100册"],
        ["", "", "", "更新招商地图、宣传片等", "≥2个"],
        ["", "", "质量指标", "招商引资活动次数", "≥10次"],
        ["", "效益指标", "经济效益指标", "", ""],
        ["生态效益指标", "", "", "", ""],
        ["", "满意度指标", "", "服务政企", "≥85%"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, t) in row.iter().enumerate() {
            s.set(r as u32 + 2, c as u32, text(t));
        }
    }
    let mut findings = Vec::new();
    let d = read_performance(&[s], &labels(), &mut findings)
        .department
        .expect("department form");
    assert_eq!(d.year, "2025");
    let got: Vec<[&str; 4]> = d
        .indicators
        .iter()
        .map(|i| [&i.level1, &i.level2, &i.level3, &i.value.text].map(String::as_str))
        .collect();
    assert_eq!(
        got,
        [
            ["产出指标", "数量指标", "宣传项目册编制", "≥100册"],
            ["产出指标", "数量指标", "更新招商地图、宣传片等", "≥2个"],
            ["产出指标", "质量指标", "招商引资活动次数", "≥10次"],
            ["满意度指标", "", "服务政企", "≥85%"],
        ]
    );
}

#[test]
fn a_fund_amount_that_is_not_a_number_is_an_error_at_its_cell() {
    let mut sheets = read_sample_sheets();
    let mut findings = Vec::new();
    let before = read_performance(&sheets, &labels(), &mut findings);
    assert!(findings.is_empty(), "{findings:?}");
    let at = before.projects[1]
        .annual_funds
        .total
        .clone()
        .unwrap()
        .at
        .unwrap();
    let sheet = sheets.iter_mut().find(|s| s.name == at.sheet).unwrap();
    let (r, c) = sheet
        .cells()
        .map(|(pos, _)| pos)
        .find(|(r, c)| a1(*r, *c) == at.cell)
        .unwrap();
    sheet.set(r, c, text("约55万"));
    let after = read_performance(&sheets, &labels(), &mut findings);
    assert_eq!(after.projects[1].annual_funds.total, None);
    assert_eq!(findings.len(), 1, "{findings:?}");
    let f = &findings[0];
    assert_eq!(
        (f.rule.as_str(), f.severity),
        ("READ-AMOUNT", Severity::Error)
    );
    assert_eq!(f.cells, vec![at.reference()]);
    assert!(
        f.message.contains(&at.cell.to_string()) && f.message.contains("约55万"),
        "{}",
        f.message
    );
    assert!(
        f.message.contains(&before.projects[1].name),
        "{}",
        f.message
    );
}

#[test]
fn a_workbook_without_forms_reads_fine() {
    let sheets: Vec<Sheet> = read_sample_sheets()
        .into_iter()
        .filter(|s| !is_form_sheet(&s.name))
        .collect();
    let template = Template::load("sx-2025").unwrap();
    let sub = read_workbook(&sheets, &template, Path::new("no-forms.xlsx")).unwrap();
    assert_eq!(sub.budget.performance, Performance::default());
    assert!(sub
        .findings
        .iter()
        .all(|f| !f.rule.starts_with("READ-FORM")));
    assert!(!sub.budget.functions.lines.is_empty());
}

/// The reference's forms section as a grid: one row per line, one cell per
/// tab, the way the disclosure was typed (full-width brackets, `其中：`,
/// a `(元)` header over amounts typed as `5万元`).
fn reference_grid() -> Sheet {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/reference-forms.txt");
    let text = std::fs::read_to_string(path).unwrap();
    let mut s = Sheet::new("附件", false);
    for (r, line) in text.lines().enumerate() {
        for (c, cell) in line.split('\t').enumerate() {
            s.set(r as u32, c as u32, self::text(cell));
        }
    }
    s
}

#[test]
fn labelled_fields_read_from_the_reference_as_typed() {
    let mut findings = Vec::new();
    let got = read_performance(&[reference_grid()], &labels(), &mut findings);
    assert!(findings.is_empty(), "{findings:?}");
    let want = sample_performance();
    // The PDF extraction shifted some indicator and goal cells, which the
    // sample model repairs; every labelled field reads as in the model.
    let mut d = got.department.expect("department form");
    let wd = want.department.expect("sample department form");
    d.indicators = wd.indicators.clone();
    assert_eq!(d, wd);
    assert_eq!(got.projects.len(), want.projects.len());
    for (g, w) in got.projects.iter().zip(&want.projects) {
        let fields = |p: &budgetkit::model::ProjectForm| {
            [
                &p.name,
                &p.authority,
                &p.attribute,
                &p.overview,
                &p.basis,
                &p.necessity,
                &p.safeguards,
                &p.plan,
                &p.filed_on,
            ]
            .map(String::clone)
        };
        assert_eq!(fields(g), fields(w));
        assert_eq!(g.period_funds, w.period_funds, "{}", w.name);
        assert_eq!(g.annual_funds, w.annual_funds, "{}", w.name);
    }
}

/// Every part of an xlsx (sheet names, cells, formulas, instructions) as
/// one text.
fn xlsx_text(path: &Path) -> String {
    common::parts::read_parts(path)
        .iter()
        .map(|(name, bytes)| format!("{name}\n{}\n", String::from_utf8_lossy(bytes)))
        .collect()
}

/// Issue #9: the forms' titles were Shuozhou's (“朔州市市级…”) in every
/// template. mof-9 words them its own way: with the department's own
/// names made neutral, no text of mof-9's export or fill-in workbook says
/// 朔州, while sx-2025's export of the same model does.
#[test]
fn mof_9_exports_and_fill_in_workbook_never_say_shuozhou() {
    use budgetkit::commands::{export, fill_in_template, ExportOptions, FillInOptions};
    let dir = tempdir();
    let json = std::fs::read_to_string(sample_json())
        .unwrap()
        .replace("朔州", "某市");
    let input = dir.path().join("model.json");
    std::fs::write(&input, json).unwrap();
    let (sx, mof) = (
        Template::load("sx-2025").unwrap(),
        Template::load("mof-9").unwrap(),
    );
    let exported = |to: &Template, name: &str| {
        let out = dir.path().join(name);
        let opts = ExportOptions {
            read_template: &sx,
            write_template: to,
            force: true,
        };
        export(&input, &out, &opts).unwrap();
        xlsx_text(&out)
    };
    assert!(exported(&sx, "sx.xlsx").contains("朔州市市级预算部门"));
    let mof_export = exported(&mof, "mof.xlsx");
    assert!(
        mof_export.contains("部门（单位）项目支出绩效目标表"),
        "the model's forms are printed in mof-9's wording"
    );
    let fill = dir.path().join("fill.xlsx");
    let model = read_json(&input).unwrap().budget;
    let opts = FillInOptions {
        template: &mof,
        department: None,
        year: Some(2025),
        fill: Some(&model),
        projects: 3,
    };
    fill_in_template(&fill, &opts).unwrap();
    for (what, text) in [("export", mof_export), ("fill-in", xlsx_text(&fill))] {
        let at = text.find("朔州");
        assert_eq!(
            at,
            None,
            "{what}: {}",
            at.and_then(|i| text.get(i.saturating_sub(60)..i + 60))
                .unwrap_or_default()
        );
    }
}
