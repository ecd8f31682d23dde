//! Shanghai Putuo's real template (sh-2026): the sample filled into the
//! real blank template reads, validates clean and exports back to the
//! reference's nine tables cell for cell, amounts exact to the cent of a
//! 元; a large generated department goes through it too.

mod common;

use budgetkit::commands::{check_input, export, ExportOptions};
use budgetkit::findings::Severity;
use budgetkit::model::label_key;
use budgetkit::spec::{ColumnKey, Template};
use budgetkit::synth::{department, Size};
use common::*;
use std::path::{Path, PathBuf};

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/shanghai-putuo-finance-2025.xlsx")
}

fn sample_model() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/shanghai-putuo-finance-2025.json")
}

/// The reference's rows of the nine tables (tests/data, extracted by
/// scripts/extract_shanghai_reference.py): (table id, cells).
fn reference() -> Vec<(String, Vec<String>)> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/shanghai-reference-tables.tsv");
    let text = std::fs::read_to_string(path).expect("reference rows");
    text.lines()
        .filter(|l| !l.is_empty())
        .map(|l| {
            let mut cells = l.split('\t').map(str::to_string);
            let id = cells.next().unwrap_or_default();
            (id, cells.collect())
        })
        .collect()
}

/// A row as compared: the label cells (codes and name, which the
/// reference's text puts where its columns were centred) joined, then the
/// amount columns in order, trailing blanks dropped; every text as a label
/// key (NFKC, no whitespace: 维修（护）费 = 维修(护)费).
fn normal(cells: &[String], labels: usize) -> (String, Vec<String>) {
    let label: String = cells.iter().take(labels).map(|c| label_key(c)).collect();
    let mut amounts: Vec<String> = cells.iter().skip(labels).map(|c| label_key(c)).collect();
    while amounts.last().is_some_and(String::is_empty) {
        amounts.pop();
    }
    (label, amounts)
}

/// How many leading columns of a table hold codes and names.
fn label_columns(template: &Template, id: &str) -> usize {
    let spec = template.table(id).expect("table");
    if spec.col(ColumnKey::CodeClass).is_none() {
        return 0;
    }
    spec.columns
        .iter()
        .take_while(|k| {
            use ColumnKey as K;
            matches!(**k, K::CodeClass | K::CodeSection | K::CodeItem | K::Name)
        })
        .count()
}

fn assert_no_errors(findings: &[budgetkit::Finding]) {
    let errors: Vec<_> = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

fn exported(input: &Path, dir: &Path, template: &Template) -> PathBuf {
    let out = dir.join("out.xlsx");
    let opts = ExportOptions {
        read_template: template,
        write_template: template,
        force: false,
    };
    let outcome = export(input, &out, &opts).expect("export");
    assert!(!outcome.refused, "{:#?}", outcome.findings);
    out
}

/// The body rows of each table as exported: after the title, the
/// 编制部门/单位 line and the header.
fn body_rows(out: &Path, template: &Template, id: &str) -> Vec<Vec<String>> {
    let spec = template.table(id).expect("table");
    let skip = 2 + spec.header.len();
    sheet_rows(out, &spec.sheet, 0)
        .into_iter()
        .skip(skip)
        .map(|r| r.split('\t').map(str::to_string).collect())
        .collect()
}

#[test]
fn the_sample_is_read_as_sh_2026_and_validates_without_errors() {
    let sheets = budgetkit::read::read_sheets(&sample()).unwrap();
    let (detected, _) = budgetkit::commands::detect_template(&sheets).unwrap();
    assert_eq!(detected.id, "sh-2026");
    let checked = check_input(&sample(), &detected).unwrap();
    assert_no_errors(&checked.findings);
    let b = &checked.budget;
    assert_eq!(b.department, "上海市普陀区财政局");
    assert_eq!(b.year, 2025);
}

#[test]
fn export_of_the_sample_reproduces_every_reference_row() {
    let template = Template::load("sh-2026").unwrap();
    let dir = tempdir();
    let out = exported(&sample(), dir.path(), &template);
    let reference = reference();
    let mut compared = 0;
    for spec in &template.tables {
        let labels = label_columns(&template, &spec.id);
        let want = rows_of(&reference, &spec.id);
        let got = body_rows(&out, &template, &spec.id);
        assert_same_row_count(&got, &want, &spec.id);
        for (i, (g, w)) in got.iter().zip(&want).enumerate() {
            let note = w.first().is_some_and(|c| c.starts_with("注"));
            if note && spec.id == "t7" {
                // The reference's note under its 国有资本经营 table names
                // 政府性基金 (a slip of the published text, #11); the
                // export names the table's own fund.
                let fixed = w[0].replace("政府性基金", "国有资本经营");
                assert_eq!(label_key(&g[0]), label_key(&fixed), "t7 note");
            } else {
                assert_eq!(
                    normal(g, labels),
                    normal(w, labels),
                    "{} row {}",
                    spec.id,
                    i + 1
                );
            }
            compared += 1;
        }
    }
    assert_eq!(compared, reference.len());
}

#[test]
fn amounts_in_yuan_round_trip_to_the_cent_through_the_json_model() {
    let template = Template::load("sh-2026").unwrap();
    let read = check_input(&sample(), &template).unwrap().budget;
    // The bundled JSON model is the sample as read …
    let bundled = budgetkit::read::read_json(&sample_model()).unwrap().budget;
    assert_eq!(bundled, read);
    // … and keeps 元 with cents: 31,214,205.80 元 is 3121.420580 万元.
    let total = read.functions.total.general.project.as_ref().unwrap();
    assert_eq!(total.value.to_string(), "609.311480");
    // Exporting the model gives the workbook the submission gives.
    let dir = tempdir();
    let from_xlsx = exported(&sample(), dir.path(), &template);
    let from_json_dir = tempdir();
    let from_json = exported(&sample_model(), from_json_dir.path(), &template);
    for spec in &template.tables {
        assert_eq!(
            body_rows(&from_xlsx, &template, &spec.id),
            body_rows(&from_json, &template, &spec.id),
            "{}",
            spec.id
        );
    }
}

#[test]
fn a_large_generated_department_reads_validates_and_exports_in_sh_2026() {
    let template = Template::load("sh-2026").unwrap();
    let mut budget = department(
        Size {
            units: 12,
            projects: 60,
            lines: 80,
        },
        3,
    );
    budget.template = "sh-2026".into();
    let dir = tempdir();
    let json = dir.path().join("big.json");
    std::fs::write(&json, serde_json::to_string(&budget).unwrap()).unwrap();
    let first = exported(&json, dir.path(), &template);
    let xlsx = dir.path().join("big.xlsx");
    std::fs::rename(&first, &xlsx).unwrap();
    let checked = check_input(&xlsx, &template).unwrap();
    assert_no_errors(&checked.findings);
    let read = &checked.budget;
    assert_eq!(read.functions.lines.len(), budget.functions.lines.len());
    assert_eq!(read.functions.total.basic(), budget.functions.total.basic());
    assert_eq!(
        read.functions.total.project(),
        budget.functions.total.project()
    );
    // 万元 → 元 cannot invent cents: each table with amounts says so.
    let rows = sheet_rows(&xlsx, &template.table("t3").unwrap().sheet, 0);
    assert!(
        rows.iter().any(|r| r.contains("精确到百元")),
        "{:?}",
        rows.last()
    );
}

fn converted(input: &Path, to: &str, dir: &Path) -> PathBuf {
    let to = Template::load(to).unwrap();
    let out = dir.join(format!("to-{}.xlsx", to.id));
    let opts = budgetkit::commands::ConvertOptions {
        to: &to,
        from: None,
        force: true,
    };
    budgetkit::commands::convert(input, &out, &opts).expect("convert");
    out
}

fn read_as(path: &Path, template: &str) -> budgetkit::model::Budget {
    let template = Template::load(template).unwrap();
    let checked = check_input(path, &template).unwrap();
    let errors: Vec<_> = checked
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .filter(|f| !f.rule.starts_with("PF-") && !f.rule.contains("PROJECT"))
        .collect();
    assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
    checked.budget
}

fn cents(v: Option<rust_decimal::Decimal>) -> Option<rust_decimal::Decimal> {
    v.map(|v| budgetkit::model::round_half_away(v, 2))
        .filter(|v| !v.is_zero())
}

/// Everything both layouts carry, to the cent of 万元 (sx-2025's
/// precision): each function line's spending, each economic item, the
/// "三公" items and 机关运行经费.
fn carried(b: &budgetkit::model::Budget) -> Vec<(String, Option<rust_decimal::Decimal>)> {
    let mut out = Vec::new();
    for l in std::iter::once(&b.functions.total).chain(&b.functions.lines) {
        out.push((format!("{} 基本", l.code), cents(l.basic())));
        out.push((format!("{} 项目", l.code), cents(l.project())));
        out.push((
            format!("{} 一般公共预算收入", l.code),
            cents(l.income.general.as_ref().map(|a| a.value)),
        ));
    }
    let mut items: Vec<(String, Option<rust_decimal::Decimal>)> = b
        .economic
        .groups
        .iter()
        .flat_map(|g| &g.items)
        .map(|i| (label_key(&i.name), cents(i.costs.total())))
        .collect();
    items.sort();
    out.extend(items);
    for key in budgetkit::model::ThreePublic::ITEMS {
        let v = b.three_public.item(key).and_then(|s| s.total());
        out.push((key.to_string(), cents(v)));
    }
    let operating = b
        .operating_costs
        .iter()
        .filter_map(|u| u.funds.total())
        .sum();
    out.push(("机关运行经费".into(), cents(Some(operating))));
    out
}

#[test]
fn sh_2026_to_sx_2025_and_back_keeps_every_amount_both_carry() {
    let dir = tempdir();
    let original = read_as(&sample(), "sh-2026");
    let sx = converted(&sample(), "sx-2025", dir.path());
    let back = converted(&sx, "sh-2026", dir.path());
    let round_trip = read_as(&back, "sh-2026");
    assert_eq!(carried(&round_trip), carried(&original));
    // The way back is in 元 known to the 万元 cent, and says so.
    let rows = sheet_rows(&back, "部门支出总表", 0);
    assert!(rows.iter().any(|r| r.contains("精确到百元")), "{rows:?}");
}

#[test]
fn sx_2025_to_sh_2026_of_the_shanxi_sample_keeps_the_class_totals() {
    let dir = tempdir();
    let shanxi = read_as(&sample_xlsx(), "sx-2025");
    let sh = converted(&sample_xlsx(), "sh-2026", dir.path());
    let read = read_as(&sh, "sh-2026");
    let classes = |b: &budgetkit::model::Budget| -> Vec<(String, Option<rust_decimal::Decimal>)> {
        b.functions
            .lines
            .iter()
            .filter(|l| l.code.len() == 3)
            .map(|l| {
                (
                    l.code.clone(),
                    cents(rust_decimal::Decimal::ZERO.checked_add(
                        l.basic().unwrap_or_default() + l.project().unwrap_or_default(),
                    )),
                )
            })
            .collect()
    };
    let want = classes(&shanxi);
    assert_eq!(want.len(), 4, "{want:?}");
    assert_eq!(classes(&read), want);
    // Its projects have no sh-2026 table: the conversion says so.
    let to = Template::load("sh-2026").unwrap();
    let from = Template::load("sx-2025").unwrap();
    let dropped = budgetkit::commands::dropped_facts(Some(&from), &to);
    assert!(dropped.contains(&"projects".to_string()), "{dropped:?}");
}

#[test]
fn the_unit_edition_of_the_template_is_found_by_its_other_titles() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/shanghai-putuo-2026-unit-template.xlsx");
    let template = budgetkit::commands::template_of(&path).unwrap();
    assert_eq!(template.id, "sh-2026");
    let checked = check_input(&path, &template).unwrap();
    assert_eq!(checked.tables.len(), 9, "{:#?}", checked.findings);
    assert!(!checked
        .findings
        .iter()
        .any(|f| f.rule == "READ-TABLE-MISSING"));
}

#[test]
fn the_sh_2026_fill_in_workbook_filled_with_the_sample_reads_back_to_its_model() {
    let template = Template::load("sh-2026").unwrap();
    let model = budgetkit::read::read_json(&sample_model()).unwrap().budget;
    let dir = tempdir();
    let out = filled_fill_in_with(dir.path(), &template, &model);
    let back = budgetkit::read::read_path(&out, &template).unwrap();
    assert_no_errors(&back.findings);
    assert_eq!(carried(&back.budget), carried(&model));
    // Exact to the cent of a 元, not only to the 万元 cent.
    let line = |b: &budgetkit::model::Budget| {
        b.functions
            .lines
            .iter()
            .find(|l| l.code == "2010601")
            .and_then(|l| l.project())
    };
    assert_eq!(line(&back.budget), line(&model));
    assert_eq!(
        line(&model).map(|v| v.to_string()).as_deref(),
        Some("13.851480")
    );
}

/// `export --template` names the layout written; the layout read is the
/// one the workbook fits (sh-2026 here), so the gaps are listed as by
/// `convert`, never a "no table found".
#[test]
fn export_to_another_template_reads_the_workbook_in_its_own() {
    let dir = tempdir();
    let out = dir.path().join("山西版式.xlsx");
    let run = |force: bool| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_budgetkit"));
        cmd.arg("export")
            .arg(sample())
            .args(["--template", "sx-2025", "-o"])
            .arg(&out);
        if force {
            cmd.arg("--force");
        }
        cmd.output().unwrap()
    };
    let o = run(false);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("CONVERT-TABLE-MISSING") && stderr.contains("预算公开表12"),
        "{stderr}"
    );
    assert!(!out.exists());
    let o = run(true);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let t5 = sheet_rows(&out, "预算公开表5", 0);
    assert!(
        t5.iter()
            .any(|r| r.contains("2010601") && r.contains("1623.18")),
        "{t5:?}"
    );
}
