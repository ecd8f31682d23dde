//! The fill-in workbook (`budgetkit template`): protected, with unlocked
//! inputs, validations, a hidden code list, formulas whose results are set;
//! filled with the sample's numbers it reads back to the sample's model.

mod common;

use budgetkit::commands::{fill_in_template, remap_sources, FillInOptions};
use budgetkit::model::Budget;
use budgetkit::read::{read_json, read_path};
use budgetkit::spec::{function_codes, Template};
use budgetkit::views::{fill_in_book, fill_in_view, Cell, Formula, DEFAULT_PROJECT_FORMS};
use calamine::{open_workbook_auto, Data, Reader};
use common::*;
use std::io::Read;
use std::path::Path;

fn sample_model() -> Budget {
    read_json(&sample_json()).unwrap().budget
}

fn write(path: &Path, template: &Template, fill: Option<&Budget>, department: Option<&str>) {
    write_with(path, template, fill, department, DEFAULT_PROJECT_FORMS);
}

fn write_with(
    path: &Path,
    template: &Template,
    fill: Option<&Budget>,
    department: Option<&str>,
    projects: usize,
) {
    let opts = FillInOptions {
        template,
        department: department.map(str::to_string),
        year: Some(2025),
        fill,
        projects,
    };
    fill_in_template(path, &opts).unwrap();
}

/// Every part of the xlsx as text, by part name.
fn parts(path: &Path) -> Vec<(String, String)> {
    let bytes = std::fs::read(path).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut s = String::new();
            f.read_to_string(&mut s).unwrap();
            (f.name().unwrap().to_string(), s)
        })
        .collect()
}

/// The text of one part.
fn part_of<'p>(parts: &'p [(String, String)], name: &str) -> &'p str {
    parts
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, s)| s.as_str())
        .unwrap_or_else(|| panic!("no part {name}"))
}

#[test]
fn the_filled_template_reads_back_to_the_sample_model() {
    let template = Template::load("sx-2025").unwrap();
    let model = sample_model();
    let dir = tempdir();
    let out = dir.path().join("filled.xlsx");
    // Two spare project forms beyond the sample's five stay blank and are
    // not read.
    write_with(&out, &template, Some(&model), None, 7);
    let back = read_path(&out, &template).unwrap();
    assert!(back.findings.is_empty(), "{:#?}", back.findings);
    assert_eq!(back.budget.performance.projects.len(), 5);
    // Equal but for provenance (the JSON model records none; the forms'
    // name cells are compared by `PartialEq`).
    common::bend::assert_model_eq(&back.budget, &model, "filled fill-in workbook");
    let mut got = back.budget;
    for p in &mut got.performance.projects {
        assert!(p
            .name_at
            .as_ref()
            .unwrap()
            .sheet
            .starts_with("项目绩效目标表"));
        p.name_at = None;
    }
    assert_eq!(got, model);
}

#[test]
fn every_formula_result_equals_the_published_view() {
    // The formulas mirror what the model derives: evaluated on the sample's
    // inputs they give the published table's numbers, cell for cell.
    for id in Template::builtin_ids() {
        let template = Template::load(id).unwrap();
        let mut model = sample_model();
        remap_sources(&mut model, &template);
        let book = fill_in_book(&model, &template, function_codes());
        let mut checked = 0;
        for (fill, spec) in book.tables.iter().zip(&template.tables) {
            let view = fill_in_view(&model, &template, spec);
            for (r, c, f) in &fill.formulas {
                let got = &fill.table.rows[*r].cells[*c];
                let want = view
                    .rows
                    .get(*r)
                    .and_then(|row| row.cells.get(*c))
                    .cloned()
                    .unwrap_or(Cell::Empty);
                if matches!(f, Formula::Sum(_)) {
                    assert_eq!(got, &want, "{id} {} row {r} col {c}: {f:?}", spec.sheet);
                    checked += 1;
                }
            }
        }
        assert!(checked > 100, "{id}: only {checked} formulas");
    }
}

#[test]
fn other_readers_see_the_formula_results() {
    let template = Template::load("sx-2025").unwrap();
    let dir = tempdir();
    let out = dir.path().join("filled.xlsx");
    write(&out, &template, Some(&sample_model()), None);
    // 表1: every amount is a formula over 表2; calamine sees the numbers.
    let t1 = sheet_rows(&out, "预算公开表1", 5);
    assert!(
        t1[0].starts_with("一、一般公共预算\t353.49\t一、一般公共服务支出\t297.03\t297.03"),
        "{t1:?}"
    );
    assert!(
        t1.iter()
            .any(|r| r.starts_with("收入总计\t353.49\t支出总计\t353.49\t353.49")),
        "{t1:?}"
    );
    let t10 = sheet_rows(&out, "预算公开表10", 5);
    assert!(t10.contains(&"合计\t2.10\t2.10".to_string()), "{t10:?}");
    let xml = parts(&out)
        .into_iter()
        .find(|(n, _)| n == "xl/worksheets/sheet2.xml")
        .unwrap()
        .1;
    assert!(
        xml.contains("<f>预算公开表2!$D$6</f><v>353.49</v>"),
        "{}",
        &xml[..2000]
    );
}

#[test]
fn the_blank_template_is_protected_with_inputs_validations_and_a_hidden_code_list() {
    let template = Template::load("sx-2025").unwrap();
    let dir = tempdir();
    let out = dir.path().join("blank.xlsx");
    write(&out, &template, None, Some("某某局"));
    let parts = parts(&out);
    let part = |name: &str| part_of(&parts, name);
    let wb = part("xl/workbook.xml");
    let first = wb.find("<sheet ").unwrap();
    assert!(wb[first..].starts_with("<sheet name=\"填报说明\""), "{wb}");
    // 填报说明, 13 tables, the department form and 3 project forms, the codes.
    let sheets = 1 + 13 + 1 + DEFAULT_PROJECT_FORMS + 1;
    assert!(
        wb.contains(&format!(
            "<sheet name=\"科目代码\" sheetId=\"{sheets}\" state=\"hidden\""
        )),
        "{wb}"
    );
    // Every sheet is protected without a password.
    for i in 1..=sheets {
        let s = part(&format!("xl/worksheets/sheet{i}.xml"));
        assert!(s.contains("<sheetProtection sheet=\"1\""), "sheet{i}");
        assert!(!s.contains("password"), "sheet{i}");
    }
    // Input cells use unlocked styles.
    assert!(part("xl/styles.xml").contains("locked=\"0\""));
    // 表2: decimal validation with a Chinese message, code dropdown from the
    // hidden sheet, 合计 column as a formula with a blank result.
    let t2 = part("xl/worksheets/sheet3.xml");
    assert!(
        t2.contains("type=\"decimal\"") && t2.contains("error=\"请填写数字金额"),
        "{t2}"
    );
    let codes = function_codes().len() + 1;
    assert!(
        t2.contains(&format!("<formula1>科目代码!$A$2:$A${codes}</formula1>")),
        "{t2}"
    );
    assert!(
        t2.contains("<f>$D$6+$E$6+$F$6+$G$6+$H$6</f><v></v>"),
        "{t2}"
    );
    // The hidden list holds every code.
    let mut wb = open_workbook_auto(&out).unwrap();
    let list = wb.worksheet_range("科目代码").unwrap();
    let listed: Vec<String> = list.rows().skip(1).map(|r| r[0].to_string()).collect();
    assert_eq!(listed.len(), function_codes().len());
    assert!(listed.contains(&"2011301".to_string()));
    // The instructions come first and say how to fill in.
    let help = wb.worksheet_range("填报说明").unwrap();
    let text: String = help
        .rows()
        .flat_map(|r| r.iter().map(|d| d.to_string()))
        .collect();
    assert!(
        text.contains("浅黄色单元格") && text.contains("某某局"),
        "{text}"
    );
    // Read back: the department and year, nothing else.
    let back = read_path(&out, &template).unwrap();
    assert_eq!(back.budget.department, "某某局");
    assert_eq!(back.budget.year, 2025);
    assert!(back.budget.functions.lines.is_empty() && back.budget.projects.is_empty());
    assert!(back.budget.economic.groups.is_empty());
    let errors: Vec<_> = back
        .findings
        .iter()
        .filter(|f| f.severity == budgetkit::findings::Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn filled_templates_of_the_other_versions_read_back_too() {
    for id in ["sx-2023", "mof-9"] {
        let template = Template::load(id).unwrap();
        let mut model = sample_model();
        remap_sources(&mut model, &template);
        let dir = tempdir();
        let out = dir.path().join("filled.xlsx");
        write(&out, &template, Some(&model), None);
        let back = read_path(&out, &template).unwrap();
        assert!(back.findings.is_empty(), "{id}: {:#?}", back.findings);
        let got = back.budget;
        assert_eq!(got.functions, model.functions, "{id}");
        assert_eq!(got.economic, model.economic, "{id}");
        assert_eq!(got.three_public, model.three_public, "{id}");
        assert_eq!(got.department, model.department, "{id}");
    }
}

#[test]
fn department_formulas_carry_their_results_and_amounts_keep_their_cells() {
    // The department line and 表12's first row are formulas over the
    // instructions sheet; a reader without calculation sees their results.
    let template = Template::load("sx-2025").unwrap();
    let dir = tempdir();
    let out = dir.path().join("filled.xlsx");
    write(
        &out,
        &template,
        Some(&sample_model()),
        Some("朔州市促进外来投资局"),
    );
    let mut wb = open_workbook_auto(&out).unwrap();
    let t12 = wb.worksheet_range("预算公开表12").unwrap();
    let (r0, _) = t12.start().unwrap();
    let first_body = 6 - r0 as usize;
    assert_eq!(
        t12.get((first_body, 0)),
        Some(&Data::String("朔州市促进外来投资局".into()))
    );
    let back = read_path(&out, &template).unwrap().budget;
    let a = back.projects[0].sources.general.as_ref().unwrap();
    assert_eq!(a.at.as_ref().unwrap().reference(), "预算公开表12!C9");
}

#[test]
fn the_template_command_writes_a_blank_workbook_for_any_version() {
    let dir = tempdir();
    let out = dir.path().join("填报模板.xlsx");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_budgetkit"))
        .args([
            "template",
            "--template",
            "mof-9",
            "--department",
            "某某局",
            "--year",
            "2027",
            "-o",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let back = read_path(&out, &Template::load("mof-9").unwrap()).unwrap();
    assert_eq!(
        (back.budget.department.as_str(), back.budget.year),
        ("某某局", 2027)
    );
    let t7 = sheet_rows(&out, "表7", 1);
    assert_eq!(t7[0], "2027年一般公共预算“三公”经费支出表");
    // Only the output is left behind.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn the_fill_in_workbook_carries_the_performance_forms_with_unlocked_inputs() {
    let template = Template::load("sx-2025").unwrap();
    let dir = tempdir();
    let out = dir.path().join("blank.xlsx");
    write_with(&out, &template, None, Some("某某局"), 2);
    let wb = open_workbook_auto(&out).unwrap();
    let names = wb.sheet_names();
    for want in [
        "整体支出绩效目标申报表",
        "项目绩效目标表1",
        "项目绩效目标表2",
    ] {
        assert!(names.iter().any(|n| n == want), "{names:?}");
    }
    assert!(!names.iter().any(|n| n == "项目绩效目标表3"), "{names:?}");
    let parts = parts(&out);
    let part = |name: &str| part_of(&parts, name);
    // Sheets 15 and 16: the department form and the first project form,
    // protected, with decimal validation on their amount inputs and the
    // department's name by formula over the instructions sheet.
    let dept = part("xl/worksheets/sheet15.xml");
    assert!(dept.contains("<sheetProtection sheet=\"1\""), "{dept}");
    assert!(dept.contains("type=\"decimal\""), "{dept}");
    assert!(dept.contains("<f>填报说明!$B$3</f>"), "{dept}");
    let project = part("xl/worksheets/sheet16.xml");
    assert!(project.contains("type=\"decimal\""), "{project}");
    // Input cells use unlocked styles: the project name (C3) is one.
    let styles = part("xl/styles.xml");
    let xfs = styles.split("<cellXfs").nth(1).unwrap();
    let style_of = |xml: &str, cell: &str| -> usize {
        let at = xml.find(&format!("<c r=\"{cell}\"")).unwrap();
        let rest = &xml[at..];
        let s = rest.split("s=\"").nth(1).unwrap();
        s[..s.find('"').unwrap()].parse().unwrap()
    };
    let xf = xfs.split("<xf ").nth(1 + style_of(project, "C3")).unwrap();
    assert!(xf.contains("locked=\"0\""), "{xf}");
    let xf = xfs.split("<xf ").nth(1 + style_of(project, "A3")).unwrap();
    assert!(!xf.contains("locked=\"0\""), "label A3 is locked: {xf}");
    // The instructions say how to add project forms.
    let mut wb = open_workbook_auto(&out).unwrap();
    let help: String = wb
        .worksheet_range("填报说明")
        .unwrap()
        .rows()
        .flat_map(|r| r.iter().map(|d| d.to_string()))
        .collect();
    assert!(
        help.contains("建立副本") && help.contains("已备 2 张"),
        "{help}"
    );
    // Blank, it reads as the department form only, without findings.
    let back = read_path(&out, &template).unwrap();
    assert!(back.findings.is_empty(), "{:#?}", back.findings);
    let perf = back.budget.performance;
    assert_eq!(perf.department.unwrap().department, "某某局");
    assert!(perf.projects.is_empty());
}

#[test]
fn a_copied_project_form_sheet_reads_as_one_more_project() {
    // What the instructions tell a department to do: copy a form sheet
    // (Excel names the copy “项目绩效目标表1 (2)”) and fill it in.
    let template = Template::load("sx-2025").unwrap();
    let dir = tempdir();
    let out = dir.path().join("filled.xlsx");
    write(&out, &template, Some(&sample_model()), None);
    let mut sheets = budgetkit::read::read_sheets(&out).unwrap();
    let first = sheets
        .iter()
        .position(|s| s.name == "项目绩效目标表1")
        .unwrap();
    let mut copy = sheets[first].clone();
    copy.name = "项目绩效目标表1 (2)".into();
    copy.set(
        2,
        2,
        budgetkit::read::RawCell {
            text: "新增项目经费".into(),
            numeric: false,
        },
    );
    sheets.insert(first + 1, copy);
    let copied = dir.path().join("copied.xlsx");
    let bytes = budgetkit::write::sheets_bytes(&sheets, &copied).unwrap();
    std::fs::write(&copied, bytes).unwrap();
    let back = read_path(&copied, &template).unwrap();
    let names: Vec<&str> = back
        .budget
        .performance
        .projects
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(names.len(), 6, "{names:?}");
    assert_eq!(names[1], "新增项目经费");
    let at = back.budget.performance.projects[1]
        .name_at
        .as_ref()
        .unwrap();
    assert_eq!(at.reference(), "项目绩效目标表1 (2)!C3");
}

#[test]
fn empty_note_not_fired_on_fill_in_workbook() {
    // 表7/8/9/13 stay empty in the sample's fill-in, whose notes are
    // locked: no warning the department cannot act on.
    let template = Template::load("sx-2025").unwrap();
    let dir = tempdir();
    for (name, fill) in [("blank.xlsx", None), ("filled.xlsx", Some(sample_model()))] {
        let out = dir.path().join(name);
        write(&out, &template, fill.as_ref(), Some("某某局"));
        let opts = budgetkit::commands::ValidateOptions {
            template: &template,
            annotate: None,
        };
        let report = budgetkit::commands::validate(&out, &opts).unwrap();
        let notes: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.rule == "IT-EMPTY-NOTE")
            .collect();
        assert!(notes.is_empty(), "{name}: {notes:#?}");
    }
}
