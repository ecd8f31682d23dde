//! Round trips: write → read gives the same model; output is deterministic;
//! an independent reader (calamine) sees the same numbers; submission text is
//! never turned into a formula.

mod common;

use budgetkit::model::{Amount, Budget};
use budgetkit::read::{read_json, read_path};
use budgetkit::spec::Template;
use budgetkit::views::standard_tables;
use budgetkit::write::{workbook_bytes, write_tables};
use common::*;
use rust_decimal::Decimal;
use std::str::FromStr;

fn sample_model() -> Budget {
    read_json(&sample_json()).unwrap().budget
}

fn export_model(budget: &Budget, path: &std::path::Path) {
    let template = Template::load("sx-2025").unwrap();
    let mut tables = standard_tables(budget, &template);
    tables.extend(budgetkit::views::performance_tables(budget, &template));
    write_tables(&tables, budget.year, path).unwrap();
}

#[test]
fn import_of_export_equals_the_model() {
    let template = Template::load("sx-2025").unwrap();
    let model = sample_model();
    let dir = tempdir();
    let out = dir.path().join("m.xlsx");
    export_model(&model, &out);
    let back = read_path(&out, &template).unwrap();
    assert!(back.findings.is_empty(), "{:?}", back.findings);
    let mut got = back.budget;
    // where a project form's name was read is provenance, not a fact
    for form in &mut got.performance.projects {
        form.name_at = None;
    }
    assert_eq!(got, model);
}

#[test]
fn amounts_keep_their_cents_through_a_round_trip() {
    let template = Template::load("sx-2025").unwrap();
    let mut model = sample_model();
    // Values whose float forms are inexact must come back to the cent.
    let line = model
        .functions
        .lines
        .iter_mut()
        .find(|l| l.code == "2101102")
        .unwrap();
    line.income.general = Some(Amount::new(Decimal::from_str("1234567.89").unwrap()));
    line.general.basic = Some(Amount::new(Decimal::from_str("0.07").unwrap()));
    let dir = tempdir();
    let out = dir.path().join("m.xlsx");
    export_model(&model, &out);
    let back = read_path(&out, &template).unwrap().budget;
    let l = back
        .functions
        .lines
        .iter()
        .find(|l| l.code == "2101102")
        .unwrap();
    assert_eq!(
        l.income.general.as_ref().unwrap().value.to_string(),
        "1234567.89"
    );
    assert_eq!(l.general.basic.as_ref().unwrap().value.to_string(), "0.07");
}

#[test]
fn export_is_byte_for_byte_deterministic() {
    let template = Template::load("sx-2025").unwrap();
    let model = sample_model();
    let tables = standard_tables(&model, &template);
    let p = std::path::Path::new("x.xlsx");
    let a = workbook_bytes(&tables, model.year, p).unwrap();
    let b = workbook_bytes(&tables, model.year, p).unwrap();
    assert!(a.len() > 5000);
    assert_eq!(a, b);
}

#[test]
fn calamine_reads_the_written_numbers() {
    let model = sample_model();
    let dir = tempdir();
    let out = dir.path().join("m.xlsx");
    export_model(&model, &out);
    // 表3, body starts after caption, title, 部门名称 line and 2 header rows.
    let rows = sheet_rows(&out, "预算公开表3", 5);
    assert_eq!(rows[0], "合计\t\t353.49\t236.49\t117.00");
    assert!(rows.contains(&"2101102\t事业单位医疗\t2.81\t2.81".to_string()));
    let t6 = sheet_rows(&out, "预算公开表6", 5);
    assert_eq!(t6[1], "工资福利支出\t\t212.76\t212.76");
}

#[test]
fn submission_text_starting_with_equals_stays_text() {
    let template = Template::load("sx-2025").unwrap();
    let mut model = sample_model();
    model.projects[0].name = "=SUM(A1:A9)".into();
    model.department = "=1+1".into();
    let dir = tempdir();
    let out = dir.path().join("m.xlsx");
    export_model(&model, &out);
    let rows = sheet_rows(&out, "预算公开表12", 6);
    assert!(
        rows.iter().any(|r| r.starts_with("=SUM(A1:A9)\t")),
        "{rows:?}"
    );
    let back = read_path(&out, &template).unwrap().budget;
    assert_eq!(back.projects[0].name, "=SUM(A1:A9)");
    assert_eq!(back.department, "=1+1");
    // No formula element in any sheet.
    let bytes = std::fs::read(&out).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut s = String::new();
        std::io::Read::read_to_string(&mut f, &mut s).unwrap();
        assert!(!s.contains("<f>"), "formula in {:?}", f.name());
    }
}

#[test]
fn a_failed_write_leaves_no_file() {
    let model = sample_model();
    let template = Template::load("sx-2025").unwrap();
    let mut tables = standard_tables(&model, &template);
    // Two sheets with one name: rust_xlsxwriter refuses the workbook.
    let dup = tables[0].clone();
    tables.push(dup);
    let dir = tempdir();
    let out = dir.path().join("bad.xlsx");
    let err = write_tables(&tables, model.year, &out).unwrap_err();
    assert!(err.to_string().contains("bad.xlsx"), "{err}");
    assert!(!out.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}
