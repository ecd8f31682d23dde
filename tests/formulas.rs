//! Formulas saved without their results (as openpyxl or a bureau's script
//! saves a filled workbook) are evaluated, in decimals; a formula that
//! cannot be evaluated is a READ-FORMULA finding on its cell, never a 0.

mod common;

use budgetkit::commands::{validate, ValidateOptions};
use budgetkit::findings::Severity;
use budgetkit::read::{read_json, read_path, read_sheets, Sheet};
use budgetkit::spec::Template;
use common::bend::assert_model_eq;
use common::book::listing;
use common::parts::strip_results;
use common::*;
use rust_xlsxwriter::{Formula, Workbook};
use std::path::Path;

/// A workbook of two sheets; `cells` are (sheet, A1, content): content
/// starting with `=` is a formula saved without a result, a number is a
/// number, anything else text.
fn book(dir: &Path, cells: &[(usize, &str, &str)]) -> Vec<Sheet> {
    let mut wb = Workbook::new();
    for name in ["数据", "其他 表"] {
        let ws = wb.add_worksheet();
        ws.set_name(name).unwrap();
        ws.set_formula_result_default("");
    }
    for (sheet, at, content) in cells {
        let ws = wb.worksheet_from_index(*sheet).unwrap();
        let (row, col) = budgetkit::read::parse_a1(at).unwrap();
        let col = u16::try_from(col).unwrap();
        if content.starts_with('=') {
            ws.write_formula(row, col, Formula::new(*content)).unwrap();
        } else if let Ok(n) = content.parse::<f64>() {
            ws.write_number(row, col, n).unwrap();
        } else {
            ws.write_string(row, col, *content).unwrap();
        }
    }
    let path = dir.join("formulas.xlsx");
    wb.save(&path).unwrap();
    read_sheets(&path).unwrap()
}

fn text<'a>(sheets: &'a [Sheet], at: &str) -> &'a str {
    let (row, col) = budgetkit::read::parse_a1(at).unwrap();
    sheets[0].text(row, col)
}

/// The READ-FORMULA findings of the first sheet, by cell.
fn problems(sheets: &[Sheet]) -> Vec<(String, String)> {
    sheets
        .iter()
        .flat_map(|s| s.problems())
        .map(|f| {
            assert_eq!(f.rule, "READ-FORMULA");
            (
                budgetkit::model::join_cells(&f.cells, ","),
                f.message.clone(),
            )
        })
        .collect()
}

#[test]
fn each_operator_is_evaluated_in_decimals() {
    let dir = tempdir();
    let sheets = book(
        dir.path(),
        &[
            (0, "A1", "0.1"),
            (0, "A2", "0.2"),
            (0, "A3", "3"),
            (0, "B1", "=A1+A2"),
            (0, "B2", "=A3-A1"),
            (0, "B3", "=A1*A3"),
            (0, "B4", "=A3/4"),
            (0, "B5", "=-(A1+A2)*2"),
            (0, "B6", "=50%*A3"),
            (0, "B7", "=\"合计：\"&A3"),
            (0, "B8", "=ROUND(2.345,2)+ROUND(-2.345,2)"),
            (0, "B9", "=A9+A10"),
            (0, "B10", "=A1+A10"),
        ],
    );
    assert!(problems(&sheets).is_empty(), "{:?}", problems(&sheets));
    assert_eq!(text(&sheets, "B1"), "0.3");
    assert_eq!(text(&sheets, "B2"), "2.9");
    assert_eq!(text(&sheets, "B3"), "0.3");
    assert_eq!(text(&sheets, "B4"), "0.75");
    assert_eq!(text(&sheets, "B5"), "-0.6");
    assert_eq!(text(&sheets, "B6"), "1.5");
    assert_eq!(text(&sheets, "B7"), "合计：3");
    // Half away from zero: 2.35 and −2.35.
    assert_eq!(text(&sheets, "B8"), "0");
    // Blank + blank stays blank; blank counts as 0 beside a number.
    assert_eq!(text(&sheets, "B9"), "");
    assert_eq!(text(&sheets, "B10"), "0.1");
}

#[test]
fn sum_over_a_range_a_list_and_another_sheet() {
    let dir = tempdir();
    let sheets = book(
        dir.path(),
        &[
            (0, "C1", "1.25"),
            (0, "C2", "2.5"),
            (0, "C3", "说明"),
            (0, "C4", "=C1*2"),
            (1, "A1", "10"),
            (0, "D1", "=SUM(C1:C4)"),
            (0, "D2", "=SUM(C1,C2,'其他 表'!A1)"),
            (0, "D3", "=SUM($C$1:$C$2)+'其他 表'!$A$1"),
            (0, "D4", "=SUM(E1:E9)"),
            (0, "D5", "=SUM(C:C)"),
        ],
    );
    assert!(problems(&sheets).is_empty(), "{:?}", problems(&sheets));
    // Text in a range is skipped, as Excel does; C4 is itself a formula.
    assert_eq!(text(&sheets, "D1"), "6.25");
    assert_eq!(text(&sheets, "D2"), "13.75");
    assert_eq!(text(&sheets, "D3"), "13.75");
    assert_eq!(text(&sheets, "D4"), "");
    assert_eq!(text(&sheets, "D5"), "6.25");
}

#[test]
fn sumif_as_the_fill_in_workbook_writes_it() {
    let dir = tempdir();
    let sheets = book(
        dir.path(),
        &[
            (1, "A1", "201"),
            (1, "B1", "100.5"),
            (1, "A2", "20101"),
            (1, "B2", "60"),
            (1, "A3", "201"),
            (1, "B3", "0.25"),
            (1, "A4", "208"),
            (1, "B4", "7"),
            (
                0,
                "A1",
                "=SUMIF('其他 表'!$A$1:$A$9,\"201\",'其他 表'!$B$1:$B$9)",
            ),
            (0, "A2", "=SUMIF('其他 表'!A1:A9,\">=208\",'其他 表'!B1:B9)"),
            (0, "A3", "=SUMIF('其他 表'!B1:B9,\"<1\")"),
            (0, "A4", "=SUMIF('其他 表'!A1:A9,\"999\",'其他 表'!B1:B9)"),
        ],
    );
    assert!(problems(&sheets).is_empty(), "{:?}", problems(&sheets));
    assert_eq!(text(&sheets, "A1"), "100.75");
    // 20101 and 208 are ≥ 208.
    assert_eq!(text(&sheets, "A2"), "67");
    assert_eq!(text(&sheets, "A3"), "0.25");
    assert_eq!(text(&sheets, "A4"), "");
}

/// sh-2026's fill-in workbook sums a 类's line where the 类 column repeats
/// on every line under it and the 款 column is blank only on the 类's own
/// line: `SUMIFS(金额, 类, "201", 款, "")`.
#[test]
fn sumifs_as_the_fill_in_workbook_writes_it_for_codes_split_over_columns() {
    let dir = tempdir();
    let sheets = book(
        dir.path(),
        &[
            (1, "A1", "201"),
            (1, "C1", "1000"),
            (1, "A2", "201"),
            (1, "B2", "06"),
            (1, "C2", "1000"),
            (1, "A3", "201"),
            (1, "B3", "06"),
            (1, "C3", "600"),
            (1, "A4", "208"),
            (1, "C4", "7.5"),
            (
                0,
                "A1",
                "=SUMIFS('其他 表'!$C$1:$C$9,'其他 表'!$A$1:$A$9,\"201\",'其他 表'!$B$1:$B$9,\"\")",
            ),
            (0, "A2", "=SUMIFS('其他 表'!C1:C9,'其他 表'!A1:A9,\"201\")"),
            (
                0,
                "A3",
                "=SUMIFS('其他 表'!C1:C9,'其他 表'!A1:A9,\"999\",'其他 表'!B1:B9,\"\")",
            ),
            (0, "A4", "=SUMIFS('其他 表'!C1:C9,'其他 表'!A1:A8,\"201\")"),
            (0, "A5", "=SUMIFS('其他 表'!C1:C9,'其他 表'!A1:A9)"),
        ],
    );
    assert_eq!(text(&sheets, "A1"), "1000");
    assert_eq!(text(&sheets, "A2"), "2600");
    assert_eq!(text(&sheets, "A3"), "");
    let found = problems(&sheets);
    let message = |cell: &str| {
        found
            .iter()
            .find(|(c, _)| c == cell)
            .map(|(_, m)| m.clone())
            .unwrap_or_default()
    };
    assert!(message("数据!A4").contains("大小相同"), "{found:?}");
    assert!(
        message("数据!A5").contains("SUMIFS 的参数应为"),
        "{found:?}"
    );
    assert_eq!(found.len(), 2, "{found:?}");
}

#[test]
fn a_cycle_is_a_finding_on_each_of_its_cells() {
    let dir = tempdir();
    let sheets = book(
        dir.path(),
        &[(0, "A1", "=B1+1"), (0, "B1", "=A1*2"), (0, "C1", "=C1")],
    );
    let found = problems(&sheets);
    assert_eq!(found.len(), 3, "{found:?}");
    for cell in ["数据!A1", "数据!B1", "数据!C1"] {
        let (_, message) = found.iter().find(|(c, _)| c == cell).expect(cell);
        assert!(message.contains("循环引用"), "{message}");
    }
    assert_eq!(text(&sheets, "A1"), "");
}

#[test]
fn an_unsupported_function_is_a_finding_on_its_cell_quoting_the_formula() {
    let dir = tempdir();
    let sheets = book(
        dir.path(),
        &[
            (0, "A1", "5"),
            (0, "B2", "=VLOOKUP(A1,C1:D9,2,FALSE)"),
            (0, "B3", "=B2+1"),
            (0, "B4", "=A1+\"元\""),
            (0, "B5", "=A1/0"),
            (0, "B6", "=预算!A1"),
        ],
    );
    let found = problems(&sheets);
    let at = |cell: &str| {
        found
            .iter()
            .find(|(c, _)| c == cell)
            .map(|(_, m)| m.clone())
            .unwrap_or_else(|| panic!("no finding on {cell}: {found:?}"))
    };
    let m = at("数据!B2");
    assert!(m.contains("=VLOOKUP(A1,C1:D9,2,FALSE)"), "{m}");
    assert!(m.contains("不支持函数 VLOOKUP"), "{m}");
    assert!(at("数据!B3").contains("数据!B2"));
    assert!(at("数据!B4").contains("文字“元”"));
    assert!(at("数据!B5").contains("除数为零"));
    assert!(at("数据!B6").contains("工作表“预算”不存在"));
    // Never read as 0.
    assert_eq!(text(&sheets, "B2"), "");
    assert_eq!(text(&sheets, "B3"), "");
}

#[test]
fn a_long_chain_of_formulas_is_bounded_not_a_stack_overflow() {
    let dir = tempdir();
    let cells: Vec<(usize, String, String)> = (1..=3000)
        .map(|r| (0, format!("A{r}"), format!("=A{}+1", r + 1)))
        .collect();
    let cells: Vec<(usize, &str, &str)> = cells
        .iter()
        .map(|(s, a, c)| (*s, a.as_str(), c.as_str()))
        .collect();
    let sheets = book(dir.path(), &cells);
    let found = problems(&sheets);
    assert!(!found.is_empty());
    assert!(
        found.iter().any(|(_, m)| m.contains("层")),
        "{:?}",
        found.first()
    );
}

#[test]
fn a_saved_result_that_disagrees_is_a_warning_and_the_saved_result_is_read() {
    let dir = tempdir();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_number(0, 0, 1.5).unwrap();
    ws.write_formula(0, 1, Formula::new("=A1*2").set_result("3"))
        .unwrap();
    ws.write_formula(0, 2, Formula::new("=A1*3").set_result("9"))
        .unwrap();
    let path = dir.path().join("stale.xlsx");
    wb.save(&path).unwrap();
    let sheets = read_sheets(&path).unwrap();
    let found: Vec<_> = sheets[0].problems().to_vec();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].severity, Severity::Warning);
    assert_eq!(found[0].cells, vec!["Sheet1!C1".to_string()]);
    assert_eq!(found[0].expected.as_deref(), Some("4.5"));
    assert_eq!(sheets[0].text(0, 2), "9");
}

/// The sample's numbers in the fill-in workbook, saved as openpyxl saves
/// it: every formula without its result.
fn filled_without_results(dir: &Path) -> std::path::PathBuf {
    let filled = filled_fill_in(dir);
    let out = dir.join("openpyxl.xlsx");
    strip_results(&filled, &out);
    out
}

#[test]
fn formulas_without_cached_results_are_evaluated_not_read_as_0() {
    let dir = tempdir();
    let path = filled_without_results(dir.path());
    // The fixture really has no results: every formula's <v> is empty.
    let parts = common::parts::read_parts(&path);
    let sheet2 = parts
        .iter()
        .filter(|(n, _)| n.starts_with("xl/worksheets/"))
        .map(|(_, d)| String::from_utf8_lossy(d).into_owned())
        .collect::<String>();
    assert!(sheet2.matches("<f>").count() > 100);
    assert!(!sheet2.contains("</f><v>3"));
    let template = Template::load("sx-2025").unwrap();
    let opts = ValidateOptions {
        template: &template,
        annotate: None,
    };
    let report = validate(&path, &opts).unwrap();
    assert_eq!(report.summary.errors, 0, "{}", listing(&report.findings));
    // The tables and the performance forms read to the sample model.
    let model = read_json(&sample_json()).unwrap().budget;
    let got = read_path(&path, &template).unwrap().budget;
    assert_eq!(got.performance.projects.len(), 5);
    assert_model_eq(&got, &model, "openpyxl-saved fill-in workbook");
}
