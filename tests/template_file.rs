//! Layouts are data: a changed copy of templates/sx-2025.toml (a renamed
//! column header, two columns swapped, a table moved and its sheet renamed)
//! writes and reads a workbook laid out that way with no code change.

mod common;

use budgetkit::commands::{export, ExportOptions};
use budgetkit::read::{read_json, read_path};
use budgetkit::spec::Template;
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

/// Issue #9: a typo in a column key (`basc` for `basic`) used to load and
/// then blame the department with 19 errors; it is a template error that
/// names the file, the line and the words the layout understands.
#[test]
fn column_key_typo_is_a_template_error_with_its_line() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/sx-2025.toml");
    let text = std::fs::read_to_string(src).unwrap();
    let t3_at = text.find("id = \"t3\"").unwrap();
    let typo_at = t3_at + text[t3_at..].find("\"basic\"").unwrap();
    let typo_line = text[..typo_at].matches('\n').count() + 1;
    let bad = format!(
        "{}\"basc\"{}",
        &text[..typo_at],
        &text[typo_at + "\"basic\"".len()..]
    );
    let err = Template::from_toml(&bad, "typo.toml")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(&format!("typo.toml 第{typo_line}行"))
            && err.contains("t3")
            && err.contains("“basc”")
            && err.contains("basic"),
        "{err}"
    );
}

/// A fixed-row key of 表10 and a scope are checked the same way.
#[test]
fn unknown_fixed_row_key_and_scope_are_template_errors() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/sx-2025.toml");
    let text = std::fs::read_to_string(src).unwrap();
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
