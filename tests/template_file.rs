//! Layouts are data: a changed copy of templates/sx-2025.toml (a renamed
//! column header, two columns swapped, a table moved and its sheet renamed)
//! writes and reads a workbook laid out that way with no code change.

mod common;

use budgetkit::commands::{export, validate, ExportOptions, ValidateOptions};
use budgetkit::findings::{Finding, Severity};
use budgetkit::read::{read_json, read_path, RawCell};
use budgetkit::spec::Template;
use budgetkit::write::sheets_bytes;
use calamine::{open_workbook_auto, Reader};
use common::*;
use std::path::Path;

/// The `[[table]]` blocks of a template file, the preamble first.
fn blocks(text: &str) -> Vec<String> {
    let mut parts: Vec<String> = text.split("\n[[table]]\n").map(str::to_string).collect();
    for p in parts.iter_mut().skip(1) {
        *p = format!("[[table]]\n{p}");
    }
    parts
}

fn changed_template(dir: &Path) -> std::path::PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/sx-2025.toml");
    let text = std::fs::read_to_string(src).unwrap();
    let mut parts = blocks(&text);
    parts[0] = parts[0].replace("id = \"sx-2025\"", "id = \"custom-2026\"");
    let find = |parts: &[String], id: &str| {
        parts
            .iter()
            .position(|p| p.contains(&format!("id = \"{id}\"\n")))
            .unwrap()
    };
    // 表3: 基本支出 renamed and moved after 项目支出.
    let t3 = find(&parts, "t3");
    let before = parts[t3].clone();
    parts[t3] = before
        .replace(
            "[\"科目编码\", \"科目名称\", \"合计\", \"基本支出\", \"项目支出\"]",
            "[\"科目编码\", \"科目名称\", \"合计\", \"项目支出\", \"基本支出（人员和公用）\"]",
        )
        .replace(
            "[\"code\", \"name\", \"total\", \"basic\", \"project\"]",
            "[\"code\", \"name\", \"total\", \"project\", \"basic\"]",
        );
    assert_ne!(parts[t3], before, "the edit must apply");
    // 表12 moves before 表3, on a sheet of another name.
    let t12 = find(&parts, "t12");
    let moved = parts
        .remove(t12)
        .replace("sheet = \"预算公开表12\"", "sheet = \"项目表\"");
    parts.insert(t3, moved);
    let path = dir.join("custom.toml");
    std::fs::write(&path, parts.join("\n")).unwrap();
    path
}

#[test]
fn a_changed_template_file_reads_a_workbook_laid_out_its_way() {
    let dir = tempdir();
    let custom = Template::from_path(&changed_template(dir.path())).unwrap();
    let original = Template::load("sx-2025").unwrap();
    let out = dir.path().join("custom.xlsx");
    let opts = ExportOptions {
        read_template: &original,
        write_template: &custom,
        force: false,
    };
    export(&sample_json(), &out, &opts).unwrap();

    // The workbook is laid out the new way.
    let wb = open_workbook_auto(&out).unwrap();
    let names = wb.sheet_names();
    let pos = |n: &str| names.iter().position(|s| s == n).unwrap();
    assert!(pos("项目表") < pos("预算公开表3"), "{names:?}");
    assert!(!names.contains(&"预算公开表12".to_string()));
    let t3 = sheet_rows(&out, "预算公开表3", 3);
    assert_eq!(
        t3[1],
        "科目编码\t科目名称\t合计\t项目支出\t基本支出（人员和公用）"
    );
    assert_eq!(t3[2], "合计\t\t353.49\t117.00\t236.49");

    // Read with the changed file: the sample's model, no finding.
    let back = read_path(&out, &custom).unwrap();
    assert!(back.findings.is_empty(), "{:#?}", back.findings);
    let mut model = read_json(&sample_json()).unwrap().budget;
    model.template = "custom-2026".into();
    let mut got = back.budget;
    got.performance = model.performance.clone();
    assert_eq!(got, model);
    let basic = got.functions.total.general.basic.as_ref().unwrap();
    assert_eq!(basic.value.to_string(), "236.49");

    // The layout comes from the file: the original template misreads it.
    let with_original = read_path(&out, &original).unwrap();
    assert_ne!(with_original.budget.functions, model.functions);
}

/// The error of sx-2025 with t3's column `basic` written `key`, and the
/// line of that column.
fn t3_basic_written(key: &str, file: &str) -> (String, usize) {
    let text = sx_2025_text();
    let t3_at = text.find("id = \"t3\"").unwrap();
    let at = t3_at + text[t3_at..].find("\"basic\"").unwrap();
    let line = line_in_table(&text, "t3", "\"basic\"");
    let bad = format!(
        "{}\"{key}\"{}",
        &text[..at],
        &text[at + "\"basic\"".len()..]
    );
    let err = Template::from_toml(&bad, file).unwrap_err().to_string();
    (err, line)
}

/// Issue #9: a typo in a column key (`basc` for `basic`) used to load and
/// then blame the department with 19 errors; it is a template error that
/// names the file, the line and the words the layout understands.
#[test]
fn column_key_typo_is_a_template_error_with_its_line() {
    let (err, line) = t3_basic_written("basc", "typo.toml");
    assert!(
        err.contains(&format!("typo.toml 第{line}行"))
            && err.contains("t3")
            && err.contains("“basc”")
            && err.contains("basic"),
        "{err}"
    );
}

/// A column key of another layout (`in.label` is a summary table's) reads
/// as a key but is still a template error naming the line and the words
/// the table's layout understands — also when the file reads in full, so
/// that the column lists are not read a second time.
#[test]
fn column_key_of_another_layout_is_a_template_error_with_its_line() {
    let (err, line) = t3_basic_written("in.label", "layout.toml");
    assert!(
        err.contains(&format!("layout.toml 第{line}行"))
            && err.contains("t3")
            && err.contains("“in.label”")
            && err.contains("functions")
            && err.contains("basic"),
        "{err}"
    );
}

/// A fixed-row key of 表10 and a scope are checked the same way.
#[test]
fn unknown_fixed_row_key_and_scope_are_template_errors() {
    let text = sx_2025_text();
    let row = text.replace("\"vehicle_purchase\"]", "\"vehicle_buy\"]");
    assert_ne!(row, text, "the edit must apply");
    let err = Template::from_toml(&row, "rows.toml")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("“vehicle_buy”") && err.contains("固定行"),
        "{err}"
    );
    let scope = text.replacen("scope = \"general\"", "scope = \"genral\"", 1);
    assert_ne!(scope, text, "the edit must apply");
    let err = Template::from_toml(&scope, "scope.toml")
        .unwrap_err()
        .to_string();
    assert!(err.contains("“genral”") && err.contains("scope"), "{err}");
}

/// The sample converted into mof-9, as sheets to edit.
fn mof_9_book() -> (tempfile::TempDir, Vec<budgetkit::read::Sheet>) {
    let dir = tempdir();
    let out = dir.path().join("mof.xlsx");
    let to = Template::load("mof-9").unwrap();
    let opts = budgetkit::commands::ConvertOptions {
        to: &to,
        from: None,
        force: false,
    };
    budgetkit::commands::convert(&sample_xlsx(), &out, &opts).unwrap();
    let sheets = budgetkit::read::read_sheets(&out).unwrap();
    (dir, sheets)
}

/// Saves edited sheets and validates them as mof-9.
fn validate_mof_9(dir: &Path, sheets: &[budgetkit::read::Sheet]) -> Vec<Finding> {
    let path = dir.join("edited.xlsx");
    std::fs::write(&path, sheets_bytes(sheets, &path).unwrap()).unwrap();
    let template = Template::load("mof-9").unwrap();
    let opts = ValidateOptions {
        template: &template,
        annotate: None,
    };
    validate(&path, &opts).unwrap().findings
}

/// The errors among findings, as `RULE message` lines.
fn error_lines(findings: &[Finding]) -> Vec<String> {
    findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| format!("{} {}", f.rule, f.message))
        .collect()
}

/// Issue #9: mof-9's 表1 shows the total alone; IT-SUMMARY-ROW compared it
/// with the sum of no columns and gave 5 false errors on a correct file.
#[test]
fn mof_9_summary_with_the_total_alone_is_not_a_row_sum_error() {
    let (dir, sheets) = mof_9_book();
    let errors = error_lines(&validate_mof_9(dir.path(), &sheets));
    assert!(errors.is_empty(), "{errors:#?}");
}

/// Issue #9: a wrong 合计 in mof-9's one-row 三公 table is reported under
/// mof-9's own number, 表7 (its place in mof-9), not sx-2025's 表10.
#[test]
fn mof_9_three_public_error_names_its_own_number_and_title() {
    let (dir, mut sheets) = mof_9_book();
    let t7 = sheets.iter_mut().find(|s| s.name == "表7").unwrap();
    let (row, col) = t7.cells().find(|(_, c)| c.numeric).map(|(p, _)| p).unwrap();
    t7.set(
        row,
        col,
        RawCell {
            text: "9.99".into(),
            numeric: true,
        },
    );
    let errors = error_lines(&validate_mof_9(dir.path(), &sheets));
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let message = &errors[0];
    assert!(
        message.starts_with("IT-3P-TOTAL 表7 合计 9.99") && !message.contains("表10"),
        "{message}"
    );
}

/// The `[[table]]` of `id` in a template text, with `edit` applied to it.
fn edit_table(text: &str, id: &str, edit: impl Fn(&str) -> String) -> String {
    let mut parts = blocks(text);
    let at = parts
        .iter()
        .position(|p| p.contains(&format!("id = \"{id}\"\n")))
        .unwrap();
    let edited = edit(&parts[at]);
    assert_ne!(edited, parts[at], "the edit must apply");
    parts[at] = edited;
    parts.join("\n")
}

/// The 1-based line of the first `needle` after table `id`'s id line.
fn line_in_table(text: &str, id: &str, needle: &str) -> usize {
    let from = text.find(&format!("id = \"{id}\"\n")).unwrap();
    let at = from + text[from..].find(needle).unwrap();
    text[..at].matches('\n').count() + 1
}

fn sx_2025_text() -> String {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/sx-2025.toml");
    std::fs::read_to_string(src).unwrap()
}

/// A table's role is declared: an unknown one, a missing one and one that
/// does not fit the layout (or the scope) are template errors with the
/// file and line.
#[test]
fn a_bad_role_is_a_template_error_with_its_line() {
    let text = sx_2025_text();
    let load = |t: &str| {
        Template::from_toml(t, "roles.toml")
            .unwrap_err()
            .to_string()
    };

    let unknown = edit_table(&text, "t5", |b| {
        b.replace("role = \"general\"", "role = \"genral\"")
    });
    let line = line_in_table(&unknown, "t5", "role = ");
    let err = load(&unknown);
    assert!(
        err.contains("roles.toml")
            && err.contains(&format!("第 {line} 行"))
            && err.contains("“genral”")
            && err.contains("fund_spending"),
        "{err}"
    );

    let missing = edit_table(&text, "t6", |b| b.replace("role = \"economic\"\n", ""));
    let err = load(&missing);
    assert!(
        err.contains("roles.toml") && err.contains("缺少字段“role”") && err.contains("行"),
        "{err}"
    );

    let misfit = edit_table(&text, "t6", |b| {
        b.replace("role = \"economic\"", "role = \"operating\"")
    });
    let line = line_in_table(&misfit, "t6", "role = ");
    let err = load(&misfit);
    assert!(
        err.contains(&format!("roles.toml 第{line}行"))
            && err.contains("t6")
            && err.contains("operating_costs")
            && err.contains("economic"),
        "{err}"
    );

    let scope = edit_table(&text, "t5", |b| {
        b.replace("role = \"general\"", "role = \"fund_spending\"")
    });
    let err = load(&scope);
    assert!(
        err.contains("t5") && err.contains("scope 应为 gov_fund"),
        "{err}"
    );
}

/// A one-row 三公 table shows one fund: `scope = "all"` is a template
/// error, not a table read as 一般公共预算 by default.
#[test]
fn a_three_public_table_of_all_spending_is_a_template_error() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/mof-9.toml");
    let text = std::fs::read_to_string(src).unwrap();
    let all = edit_table(&text, "t7", |b| {
        b.replace("scope = \"general\"", "scope = \"all\"")
    });
    let err = Template::from_toml(&all, "mof.toml")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("mof.toml") && err.contains("t7") && err.contains("scope"),
        "{err}"
    );
}
