//! Converting between template versions: sx-2025 ↔ sx-2023 loses no number,
//! sx-2025 → mof-9 carries the same figures (checked with calamine), the
//! source version is detected, non-one-to-one source mappings are reported
//! per amount, and tables the source cannot supply stop the conversion.

mod common;

use budgetkit::commands::{convert, detect_template, export, ConvertOptions, ExportOptions};
use budgetkit::model::{Amount, Budget};
use budgetkit::read::{read_json, read_path, read_sheets};
use budgetkit::spec::Template;
use common::*;
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};
use std::process::Command;

fn load(id: &str) -> Template {
    Template::load(id).unwrap()
}

fn run(input: &Path, output: &Path, to: &str, force: bool) -> budgetkit::commands::Converted {
    let to = load(to);
    let opts = ConvertOptions {
        to: &to,
        from: None,
        force,
    };
    convert(input, output, &opts).unwrap()
}

/// The sample's own findings are two warnings on its performance forms
/// (PF-NAME-T12, PF-PERIOD-SUM); a conversion adds nothing to them.
fn assert_only_sample_warnings(findings: &[budgetkit::findings::Finding]) {
    assert!(
        findings
            .iter()
            .all(|f| f.severity == budgetkit::findings::Severity::Warning
                && f.rule.starts_with("PF-")),
        "{findings:?}"
    );
}

/// The sheet's rows under the header, as published text.
fn body(path: &Path, template: &str, id: &str) -> Vec<String> {
    let t = load(template);
    let spec = t.table(id).unwrap();
    sheet_rows(
        path,
        &spec.sheet,
        3 + spec.header.len() + usize::from(spec.numbering),
    )
}

fn cells(row: &str) -> Vec<String> {
    row.split('\t').map(str::to_string).collect()
}

/// The numbers of a row, in order.
fn numbers(row: &str) -> Vec<String> {
    row.split('\t')
        .filter(|c| c.parse::<f64>().is_ok() && c.contains('.'))
        .map(str::to_string)
        .collect()
}

#[test]
fn sx_2025_to_sx_2023_and_back_loses_no_number() {
    let dir = tempdir();
    let old = dir.path().join("2023.xlsx");
    let back = dir.path().join("2025.xlsx");
    let a = run(&sample_xlsx(), &old, "sx-2023", false);
    assert_eq!((a.from.as_str(), a.detected), ("sx-2025", true));
    assert_only_sample_warnings(&a.outcome.findings);
    // The 2023 layout really is the older one.
    let t2 = sheet_rows(&old, "预算公开表2", 3);
    assert!(
        t2[1].contains("一般公共预算拨款收入") && t2[1].contains("事业单位经营收入"),
        "{t2:?}"
    );
    let t1 = body(&old, "sx-2023", "t1");
    assert!(
        t1[0].starts_with("一、一般公共预算拨款收入\t353.49"),
        "{t1:?}"
    );
    let b = run(&old, &back, "sx-2025", false);
    assert_eq!((b.from.as_str(), b.detected), ("sx-2023", true));
    assert_only_sample_warnings(&b.outcome.findings);
    let template = load("sx-2025");
    let mut compared = 0;
    for spec in &template.tables {
        let want = body(&sample_xlsx(), "sx-2025", &spec.id);
        let got = body(&back, "sx-2025", &spec.id);
        assert_eq!(got, want, "{}", spec.sheet);
        compared += want.iter().map(|r| numbers(r).len()).sum::<usize>();
    }
    assert!(compared > 150, "only {compared} numbers compared");
}

/// The sample with 单位资金 and 财政专户管理资金 on one line, written as a
/// 2025 workbook.
fn sample_with_unit_funds(dir: &Path) -> PathBuf {
    let mut model: Budget = read_json(&sample_json()).unwrap().budget;
    let v = |s: &str| Some(Amount::new(s.parse::<Decimal>().unwrap()));
    let add = |a: &Option<Amount>, s: &str| {
        Some(Amount::new(
            a.as_ref().map_or(Decimal::ZERO, |x| x.value) + s.parse::<Decimal>().unwrap(),
        ))
    };
    for l in &mut model.functions.lines {
        if ["201", "20113", "2011301"].contains(&l.code.as_str()) {
            l.income.unit = v("12.50");
            l.income.special = v("3.00");
            l.other.basic = add(&l.other.basic, "15.50");
        }
    }
    let t = &mut model.functions.total;
    t.income.unit = v("12.50");
    t.income.special = v("3.00");
    t.other.basic = add(&t.other.basic, "15.50");
    model.projects[0].sources.unit = v("1.25");
    let json = dir.join("model.json");
    std::fs::write(&json, serde_json::to_string(&model).unwrap()).unwrap();
    let xlsx = dir.join("unit.xlsx");
    let t25 = load("sx-2025");
    let opts = ExportOptions {
        read_template: &t25,
        write_template: &t25,
        force: true,
    };
    export(&json, &xlsx, &opts).unwrap();
    xlsx
}

#[test]
fn unit_funds_move_by_the_documented_mapping_with_a_warning_per_amount() {
    let dir = tempdir();
    let src = sample_with_unit_funds(dir.path());
    let old = dir.path().join("2023.xlsx");
    // The synthetic model exercises source mapping only: it adds 单位资金 to
    // a 表12 project without adding it to 表3 or to the performance forms,
    // which the rules rightly report as errors — so convert with --force.
    let a = run(&src, &old, "sx-2023", true);
    assert!(!a.outcome.refused && old.exists());
    assert!(a
        .outcome
        .findings
        .iter()
        .any(|f| f.rule == "XT-PROJECT-T3-T12"));
    let moved: Vec<_> = a
        .outcome
        .findings
        .iter()
        .filter(|f| f.rule == "CONVERT-SOURCE-MAPPED")
        .collect();
    // 合计 + 3 lines, unit and special each, and one project.
    assert_eq!(moved.len(), 9, "{moved:#?}");
    assert!(moved.iter().all(|f| f.cells.len() == 1), "{moved:#?}");
    let total_unit = moved
        .iter()
        .find(|f| f.message.starts_with("收入合计的单位资金 12.50"))
        .unwrap();
    assert_eq!(total_unit.cells, ["预算公开表2!H6"]);
    assert!(total_unit.message.contains("其他收入") && total_unit.message.contains("名词解释七"));
    assert!(moved
        .iter()
        .any(|f| f.message.contains("项目“宣传经费”的单位资金 1.25")));
    // In the 2023 workbook: 事业收入 3.00 and 其他收入 12.50 on the 合计 row.
    let t2 = body(&old, "sx-2023", "t2");
    assert_eq!(
        cells(&t2[0]),
        ["合计", "", "368.99", "353.49", "", "", "3.00", "", "12.50"]
    );
    // Back in 2025 both land in 单位资金: the amounts add up, none is lost.
    let back = dir.path().join("2025.xlsx");
    let b = run(&old, &back, "sx-2025", true);
    let again = b
        .outcome
        .findings
        .iter()
        .filter(|f| f.rule == "CONVERT-SOURCE-MAPPED")
        .count();
    assert_eq!(again, 9);
    let t2 = body(&back, "sx-2025", "t2");
    assert_eq!(
        cells(&t2[0]),
        ["合计", "", "368.99", "353.49", "", "", "", "15.50"]
    );
    let model = read_path(&back, &load("sx-2025")).unwrap().budget;
    assert_eq!(
        model.functions.total.income.total(),
        Some("368.99".parse().unwrap())
    );
}

/// Regression (issue #9): `export --template sx-2023` skipped the source
/// remapping `convert` does, dropping 事业收入/其他收入 and writing a 表12
/// whose 合计 disagreed with its sources. Export now lays the workbook out
/// as convert does, with the same warnings and the same rows.
#[test]
fn export_in_another_template_moves_sources_like_convert() {
    let dir = tempdir();
    let src = sample_with_unit_funds(dir.path());
    let (t25, t23) = (load("sx-2025"), load("sx-2023"));
    let exported = dir.path().join("exported-2023.xlsx");
    let opts = ExportOptions {
        read_template: &t25,
        write_template: &t23,
        force: true,
    };
    let outcome = export(&src, &exported, &opts).unwrap();
    let moved = outcome
        .findings
        .iter()
        .filter(|f| f.rule == "CONVERT-SOURCE-MAPPED")
        .count();
    assert_eq!(moved, 9);
    let t2 = body(&exported, "sx-2023", "t2");
    assert_eq!(
        cells(&t2[0]),
        ["合计", "", "368.99", "353.49", "", "", "3.00", "", "12.50"]
    );
    let converted = dir.path().join("converted-2023.xlsx");
    run(&src, &converted, "sx-2023", true);
    for id in ["t1", "t2", "t3", "t12"] {
        assert_eq!(
            body(&exported, "sx-2023", id),
            body(&converted, "sx-2023", id),
            "{id}"
        );
    }
}

#[test]
fn sx_2025_to_mof_9_carries_the_same_figures_in_the_nine_tables() {
    let dir = tempdir();
    let out = dir.path().join("mof.xlsx");
    let c = run(&sample_xlsx(), &out, "mof-9", false);
    assert_only_sample_warnings(&c.outcome.findings);
    let sx = |id: &str| body(&sample_xlsx(), "sx-2025", id);
    let mof = |id: &str| body(&out, "mof-9", id);
    // 部门收支总表 / 表1: income and expenditure amounts row by row.
    let (m1, s1) = (mof("t1"), sx("t1"));
    assert_eq!(m1.len(), s1.len());
    for (m, s) in m1.iter().zip(&s1) {
        let (m, s) = (cells(m), cells(s));
        let at = |v: &[String], i: usize| v.get(i).cloned().unwrap_or_default();
        assert_eq!(at(&m, 1), at(&s, 1), "{m:?} / {s:?}");
        assert_eq!(at(&m, 3), at(&s, 3), "{m:?} / {s:?}");
    }
    // 部门收入总表 / 表2: by code, the common columns.
    let (m2, s2) = (mof("t2"), sx("t2"));
    assert_eq!(m2.len(), s2.len());
    for (m, s) in m2.iter().zip(&s2) {
        let (m, s) = (cells(m), cells(s));
        assert_eq!(m[..s.len().min(7)], s[..s.len().min(7)], "{m:?} / {s:?}");
    }
    // Same layout: 部门支出总表, 财政拨款收支总表 (numbers), 一般公共预算支出表,
    // 一般公共预算基本支出表, 政府性基金 and 国有资本经营 spending.
    for (m, s) in [("t3", "t3"), ("t5", "t5"), ("t6", "t6"), ("t8", "t8")] {
        assert_eq!(mof(m), sx(s), "mof {m} / sx {s}");
    }
    let (m4, s4) = (mof("t4"), sx("t4"));
    assert_eq!(m4.len(), s4.len());
    for (m, s) in m4.iter().zip(&s4) {
        assert_eq!(numbers(m), numbers(s), "{m} / {s}");
    }
    // 国有资本经营预算支出表: no such spending, like sx 表9.
    assert_eq!(mof("t9"), sx("t9"));
    // 一般公共预算"三公"经费支出表: one row, the items as columns, equal to
    // the 一般公共预算 column of sx 表10.
    let t10: Vec<Vec<String>> = sx("t10").iter().map(|r| cells(r)).collect();
    let general = |label: &str| {
        t10.iter()
            .find(|r| r[0].contains(label))
            .and_then(|r| r.get(2).cloned())
            .unwrap_or_default()
    };
    let m7 = mof("t7");
    assert_eq!(m7.len(), 1);
    let want = [
        general("合计"),
        general("因公出国"),
        general("公务用车购置及运行费"),
        general("①公务用车购置费"),
        general("②公务用车运行维护费"),
        general("公务接待费"),
    ]
    .join("\t");
    assert_eq!(m7[0], want.trim_end_matches('\t'));
    assert_eq!(m7[0], "2.10\t\t2.10\t\t2.10");
}

#[test]
fn the_source_version_is_detected_by_titles_and_headers() {
    let dir = tempdir();
    let old = dir.path().join("2023.xlsx");
    let mof = dir.path().join("mof.xlsx");
    run(&sample_xlsx(), &old, "sx-2023", false);
    run(&sample_xlsx(), &mof, "mof-9", false);
    for (file, want) in [(sample_xlsx(), "sx-2025"), (old, "sx-2023"), (mof, "mof-9")] {
        let sheets = read_sheets(&file).unwrap();
        let (t, scores) = detect_template(&sheets).unwrap();
        assert_eq!(t.id, want, "{scores:?}");
        assert!(scores[0].1 > scores[1].1, "a tie: {scores:?}");
    }
}

fn budgetkit() -> Command {
    Command::new(env!("CARGO_BIN_EXE_budgetkit"))
}

#[test]
fn tables_the_source_cannot_supply_stop_the_conversion_unless_forced() {
    let dir = tempdir();
    let mof = dir.path().join("mof.xlsx");
    run(&sample_xlsx(), &mof, "mof-9", false);
    let out = dir.path().join("sx.xlsx");
    let o = budgetkit()
        .arg("convert")
        .arg(&mof)
        .args(["--to", "sx-2025", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    for sheet in [
        "预算公开表7",
        "预算公开表9",
        "预算公开表10",
        "预算公开表11",
        "预算公开表12",
        "预算公开表13",
    ] {
        assert!(err.contains(&format!("的{sheet}“")), "{sheet}: {err}");
    }
    assert!(err.contains("来源模板：mof-9（自动识别）"), "{err}");
    assert!(!out.exists());
    let o = budgetkit()
        .arg("convert")
        .arg(&mof)
        .args(["--to", "sx-2025", "--force", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "errors still set the status");
    let t12 = sheet_rows(&out, "预算公开表12", 6);
    assert!(
        t12.iter()
            .any(|r| r.starts_with("注：源模板mof-9未提供本表所需的本年项目支出")),
        "{t12:?}"
    );
    // What the nine tables do hold came across.
    let t3 = sheet_rows(&out, "预算公开表3", 5);
    assert_eq!(t3[0], "合计\t\t353.49\t236.49\t117.00");
}

#[test]
fn templates_lists_ids_with_descriptions_and_from_overrides_detection() {
    let o = budgetkit().arg("templates").output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    let text = String::from_utf8_lossy(&o.stdout);
    let ids: Vec<&str> = text
        .lines()
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    assert_eq!(ids, ["sx-2025", "sx-2023", "mof-9", "sh-2026"]);
    assert!(text
        .lines()
        .all(|l| l.split('\t').nth(1).is_some_and(|d| d.chars().count() > 10)));
    // --from names the version: reading the 2025 sample as mof-9 finds only
    // 财政拨款收支总表, so most of mof-9's tables cannot be supplied.
    let dir = tempdir();
    let out = dir.path().join("x.xlsx");
    let o = budgetkit()
        .arg("convert")
        .arg(sample_xlsx())
        .args(["--to", "sx-2023", "--from", "mof-9", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("来源模板：mof-9；"), "{err}");
    assert_eq!(o.status.code(), Some(1), "{err}");
}
