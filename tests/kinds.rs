//! Table kinds (issue #9): each kind's relations are declared once and
//! both checked and written as fill-in formulas; a template may add a
//! table of an existing kind or a fixed row without any code.

mod common;

use budgetkit::commands::{export, validate, ExportOptions, ValidateOptions};
use budgetkit::findings::{Finding, Severity};
use budgetkit::kinds::{kind_of, FillTable, Formula, Term};
use budgetkit::read::{read_json, read_path, read_sheets, RawCell};
use budgetkit::spec::{ColumnKey, Fund, IncomeRow, Layout, TableSpec, Template};
use budgetkit::views::fill_in_book;
use budgetkit::write::{sheets_bytes, split_reference};
use common::*;
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};

fn validate_with(path: &Path, template: &Template) -> Vec<Finding> {
    let opts = ValidateOptions {
        template,
        annotate: None,
    };
    validate(path, &opts).expect("validate").findings
}

fn errors(findings: &[Finding]) -> Vec<&Finding> {
    findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect()
}

/// The sample exported in `template` (read as sx-2025).
fn sample_in(template: &Template, dir: &Path, name: &str) -> PathBuf {
    let sx = Template::load("sx-2025").expect("sx-2025");
    let out = dir.join(name);
    let opts = ExportOptions {
        read_template: &sx,
        write_template: template,
        force: false,
    };
    export(&sample_json(), &out, &opts).expect("export");
    out
}

/// `path` with one cell retyped, saved as `name`.
fn retyped(path: &Path, reference: &str, value: &str, name: &str) -> PathBuf {
    let mut sheets = read_sheets(path).expect("sheets");
    let (sheet, row, col) = split_reference(reference).expect("reference");
    let s = sheets
        .iter_mut()
        .find(|s| s.name == sheet)
        .expect("sheet of the reference");
    s.set(
        row,
        col,
        RawCell {
            text: value.to_string(),
            numeric: true,
        },
    );
    let out = path.with_file_name(name);
    let bytes = sheets_bytes(&sheets, &out).expect("rewrite");
    std::fs::write(&out, bytes).expect("write");
    out
}

/// The first fill-in table of `layout` in the template's workbook of the
/// sample, with its spec.
fn sample_fill_in_table(template: &Template, layout: Layout) -> (FillTable, TableSpec) {
    let budget = read_json(&sample_json()).expect("sample").budget;
    let book = fill_in_book(&budget, template, Vec::new());
    book.tables
        .into_iter()
        .zip(&template.tables)
        .find(|(_, s)| s.layout == layout)
        .map(|(t, s)| (t, s.clone()))
        .expect("a table of the layout")
}

/// The formula of a fill-in table's body cell, if it has one.
fn formula_at(fill: &FillTable, row: usize, col: usize) -> Option<&Formula> {
    fill.formulas
        .iter()
        .find(|(r, c, _)| *r == row && *c == col)
        .map(|(_, _, f)| f)
}

/// The sum of the table's own cells at (row, column).
fn sum_of_cells(cells: impl Iterator<Item = (usize, usize)>) -> Formula {
    Formula::Sum(
        cells
            .map(|(row, col)| Term::Cell {
                sheet: None,
                row,
                col,
            })
            .collect(),
    )
}

/// Every same-row relation a kind declares is a formula on every row of
/// the fill-in table, over the same columns: one declaration, two uses.
#[test]
fn every_row_sum_a_kind_declares_is_a_fill_in_formula() {
    for id in Template::builtin_ids() {
        let template = Template::load(id).expect("template");
        let budget = read_json(&sample_json()).expect("sample").budget;
        let book = fill_in_book(&budget, &template, Vec::new());
        let mut checked = 0;
        for (fill, spec) in book.tables.iter().zip(&template.tables) {
            for sum in kind_of(spec).row_sums(spec) {
                let target = spec.col(sum.target).expect("target column");
                let parts: Vec<usize> = sum.parts.iter().filter_map(|p| spec.col(*p)).collect();
                for row in 0..fill.table.rows.len() {
                    assert_eq!(
                        formula_at(fill, row, target),
                        Some(&sum_of_cells(parts.iter().map(|&col| (row, col)))),
                        "{id} {} row {row}: {}",
                        spec.sheet,
                        sum.rule
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 100, "{id}: only {checked} row sums");
    }
}

/// Every same-row relation is checked on the filed rows: breaking the
/// first data row's total of each relation of the sample is reported by
/// that relation's rule on that cell.
#[test]
fn every_row_sum_a_kind_declares_is_checked_on_the_filed_rows() {
    let template = Template::load("sx-2025").expect("sx-2025");
    let sub = read_path(&sample_xlsx(), &template).expect("sample");
    let mut checked = Vec::new();
    for table in &sub.tables {
        let spec = template.table(&table.id).expect("spec");
        for sum in kind_of(spec).row_sums(spec) {
            // The first row whose total is a stated number.
            let Some((row, value)) = table.rows.iter().find_map(|r| {
                let text = &r.cell(spec, sum.target)?.text();
                Some((r, text.parse::<Decimal>().ok()?))
            }) else {
                continue;
            };
            let at = row.reference(table, spec, sum.target).expect("cell");
            let wrong = (value + Decimal::from(7)).to_string();
            let path = retyped(&sample_xlsx(), &at.to_string(), &wrong, "perturbed.xlsx");
            let findings = validate_with(&path, &template);
            assert!(
                findings
                    .iter()
                    .any(|f| f.rule == sum.rule && f.cells.contains(&at)),
                "{} {at}: no {} finding\n{findings:#?}",
                spec.sheet,
                sum.rule
            );
            checked.push(sum.rule);
        }
    }
    for rule in ["IT-ROW-SOURCES", "IT-FUNC-SPLIT", "IT-ECON-ROW"] {
        assert!(checked.contains(&rule), "{rule} never checked: {checked:?}");
    }
}

/// Regression: IT-SUMMARY-ROW added up the parts of a 表1 that has only
/// a 合计 column (mof-9), found 0.00 and blamed every expenditure row, so
/// `export --template mof-9` of a clean submission refused to write.
#[test]
fn summary_with_only_a_total_column_is_not_summed_against_nothing() {
    let dir = tempdir();
    let mof = Template::load("mof-9").expect("mof-9");
    let path = sample_in(&mof, dir.path(), "mof.xlsx");
    let findings = validate_with(&path, &mof);
    assert!(
        !findings.iter().any(|f| f.rule == "IT-SUMMARY-ROW"),
        "{findings:#?}"
    );
    assert!(errors(&findings).is_empty(), "{findings:#?}");
}

/// Regression: the Ministry's one-row "三公" table (mof-9) had its item
/// sums written as fill-in formulas but never checked, so a 合计 that
/// disagreed with its items validated clean.
#[test]
fn one_row_three_public_total_that_disagrees_with_its_items_is_an_error() {
    let dir = tempdir();
    let mof = Template::load("mof-9").expect("mof-9");
    let path = sample_in(&mof, dir.path(), "mof.xlsx");
    let sub = read_path(&path, &mof).expect("mof-9 copy");
    let (table, spec) = sub
        .tables
        .iter()
        .find_map(|t| {
            let spec = mof.table(&t.id)?;
            (spec.layout == Layout::ThreePublic).then_some((t, spec))
        })
        .expect("mof-9 has a 三公 table");
    let row = table.rows.first().expect("its one row");
    let at = row
        .reference(table, spec, ColumnKey::Total)
        .expect("合计 cell");
    let bent = retyped(&path, &at.to_string(), "99.99", "mof-bent.xlsx");
    let findings = validate_with(&bent, &mof);
    let hit = findings
        .iter()
        .find(|f| f.rule == "IT-3P-TOTAL" && f.cells.contains(&at));
    let hit = hit.unwrap_or_else(|| panic!("no IT-3P-TOTAL on {at}: {findings:#?}"));
    assert_eq!(hit.severity, Severity::Error);
    assert!(hit.message.contains("99.99"), "{}", hit.message);
}

/// The `[[table]]` blocks of a template file, the preamble first.
fn blocks(text: &str) -> Vec<String> {
    let mut parts: Vec<String> = text.split("\n[[table]]\n").map(str::to_string).collect();
    for p in parts.iter_mut().skip(1) {
        *p = format!("[[table]]\n{p}");
    }
    parts
}

/// Issue #9: a template may add a table of an existing kind and a fixed
/// row with no code change — here a second general-budget function table
/// (表14) and a 表1 expenditure row for a 类 the sample does not have.
#[test]
fn a_template_adds_a_table_of_an_existing_kind_and_a_fixed_row_without_code() {
    let dir = tempdir();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/sx-2025.toml");
    let text = std::fs::read_to_string(src).expect("sx-2025.toml");
    let mut parts = blocks(&text);
    parts[0] = parts[0].replace("id = \"sx-2025\"", "id = \"more-2025\"");
    let t5 = parts
        .iter()
        .find(|p| p.contains("id = \"t5\"\n"))
        .expect("表5")
        .replace("id = \"t5\"", "id = \"t14\"")
        .replace("sheet = \"预算公开表5\"", "sheet = \"预算公开表14\"")
        .replace("一般公共预算支出预算表", "一般公共预算支出功能分类预算表");
    assert!(
        t5.contains("预算公开表14") && t5.contains("功能分类"),
        "edit applies"
    );
    parts.push(t5);
    let t1 = parts
        .iter()
        .position(|p| p.contains("id = \"t1\"\n"))
        .expect("表1");
    let before = parts[t1].clone();
    parts[t1] = before.replace(
        "  [\"三十、抗疫特别国债安排的支出\", \"234\"],\n",
        "  [\"三十、抗疫特别国债安排的支出\", \"234\"],\n  [\"三十一、新增支出类\", \"235\"],\n",
    );
    assert_ne!(parts[t1], before, "edit applies");
    let file = dir.path().join("more.toml");
    std::fs::write(&file, parts.join("\n")).expect("write template");
    let more = Template::from_path(&file).expect("the extended template loads");

    let out = sample_in(&more, dir.path(), "more.xlsx");
    let t14 = sheet_rows(&out, "预算公开表14", 0);
    let t5 = sheet_rows(&out, "预算公开表5", 0);
    assert_eq!(t14.get(2..), t5.get(2..), "表14 shows what 表5 shows");
    let t1 = sheet_rows(&out, "预算公开表1", 0);
    assert!(
        t1.iter().any(|r| r.contains("三十一、新增支出类")),
        "{t1:#?}"
    );

    // Read back with the extended template: the sample's model, and no
    // error when validated with it.
    let back = read_path(&out, &more).expect("read back");
    let mut model = read_json(&sample_json()).expect("sample").budget;
    model.template = "more-2025".into();
    let mut got = back.budget;
    got.performance = model.performance.clone();
    assert_eq!(got, model);
    let findings = validate_with(&out, &more);
    assert!(errors(&findings).is_empty(), "{findings:#?}");
}

/// Every group sum a kind declares (表11 部门合计 = the units, the "三公"
/// items of 表10), laid over the fill-in rows, is a formula on its total
/// row: the fill-in workbook writes the declaration the rules check, not
/// a copy of it. Issue #9: 表11's 部门合计 was written apart from its
/// group sum.
#[test]
fn every_group_sum_a_kind_declares_is_a_fill_in_formula() {
    use budgetkit::filed::FiledTable;
    use budgetkit::kinds::Located;
    let mut rules = Vec::new();
    for id in Template::builtin_ids() {
        let template = Template::load(id).expect("template");
        let budget = read_json(&sample_json()).expect("sample").budget;
        let book = fill_in_book(&budget, &template, Vec::new());
        for (fill, spec) in book.tables.iter().zip(&template.tables) {
            if !kind_of(spec).group_sums_in_fill_in() {
                continue;
            }
            let view = FiledTable::of_view(spec, &fill.table);
            let located = Located {
                table: &view,
                spec,
                units: &[],
            };
            let row_sum_targets: Vec<usize> = kind_of(spec)
                .row_sums(spec)
                .iter()
                .filter_map(|s| spec.col(s.target))
                .collect();
            for sum in kind_of(spec).group_sums(located) {
                let total = sum.total.1.row as usize;
                let parts: Vec<usize> = sum
                    .parts
                    .iter()
                    .filter_map(|(_, r)| r.map(|r| r.row as usize))
                    .collect();
                for col in sum.columns.iter().filter_map(|k| spec.col(*k)) {
                    let formula = formula_at(fill, total, col);
                    if row_sum_targets.contains(&col) && formula.is_some() {
                        continue; // the row's own sum, checked above
                    }
                    assert_eq!(
                        formula,
                        Some(&sum_of_cells(parts.iter().map(|&row| (row, col)))),
                        "{id} {} row {total} col {col}: {}",
                        spec.sheet,
                        sum.rule
                    );
                }
                rules.push(sum.rule);
            }
        }
    }
    for rule in [
        "IT-OPCOST-TOTAL",
        "IT-3P-TOTAL",
        "IT-3P-VEHICLE",
        "IT-SUMMARY-INCOME",
        "IT-SUMMARY-EXPENSE",
        "IT-SUMMARY-CARRYOVER",
        "IT-SUMMARY-GRAND-INCOME",
        "IT-SUMMARY-GRAND-EXPENSE",
    ] {
        assert!(
            rules.contains(&rule),
            "{rule} not laid over any fill-in table"
        );
    }
}

/// 表11's 部门合计 adds up every unit row of the fill-in table, the blank
/// rows left for more units too.
#[test]
fn operating_costs_total_in_the_fill_in_covers_every_unit_row() {
    let template = Template::load("sx-2025").expect("template");
    let (fill, spec) = sample_fill_in_table(&template, Layout::OperatingCosts);
    let col = spec
        .col(ColumnKey::SrcGeneral)
        .expect("一般公共预算 column");
    let rows = fill.table.rows.len();
    assert!(rows > 2, "units and spare rows: {rows}");
    assert_eq!(
        formula_at(&fill, 0, col),
        Some(&sum_of_cells((1..rows).map(|row| (row, col))))
    );
}

/// sh-2026's 部门收支总表: each source the income table has a column for
/// is a formula over the income table's 合计 row, and 财政拨款收入 adds up
/// the three fund rows below it (its group sum; XT-INCOME-T1-T2 still
/// compares it with the income table's 财政拨款 column). (A regression of
/// the typed keys lost the 财政拨款收入 formula; the fill-in's results
/// still matched the view.)
#[test]
fn summary_income_rows_of_the_fill_in_refer_to_the_income_table() {
    let template = Template::load("sh-2026").expect("sh-2026");
    let (fill, spec) = sample_fill_in_table(&template, Layout::Summary);
    let income = template
        .tables
        .iter()
        .find(|t| t.layout == Layout::Functions && t.has(ColumnKey::SrcFiscal))
        .expect("部门收入总表");
    let in_col = spec.col(ColumnKey::InAmount).expect("收入 column");
    let mut checked = 0;
    let row_of = |key: IncomeRow| spec.income_rows.iter().position(|r| r.1 == key);
    let fiscal = row_of(IncomeRow::Fiscal).expect("财政拨款收入");
    let funds: Vec<Term> = Fund::ALL
        .iter()
        .map(|f| {
            Term::own(
                row_of(IncomeRow::Source(f.source())).expect("fund row"),
                in_col,
            )
        })
        .collect();
    assert_eq!(
        formula_at(&fill, fiscal, in_col),
        Some(&Formula::Sum(funds)),
        "财政拨款收入"
    );
    for (row, fixed) in spec.income_rows.iter().enumerate() {
        let Some(col) = income.col(ColumnKey::of_income_row(fixed.1)) else {
            continue;
        };
        if fixed.1 == IncomeRow::Fiscal {
            continue;
        }
        let want = Formula::Sum(vec![Term::Cell {
            sheet: Some(income.sheet.clone()),
            row: 0,
            col,
        }]);
        assert_eq!(formula_at(&fill, row, in_col), Some(&want), "{}", fixed.0);
        checked += 1;
    }
    assert!(checked >= 1, "the sources of the income table: {checked}");
}

/// sh-2026's 部门收支总表 and 部门财政拨款收支总表: every amount of a 类 row
/// that follows from the income side is a formula — SUMIFS over the
/// income table's line of that 类 (its 款 blank: the 类 column repeats on
/// every line under it), a fund's column over that fund's table — and
/// with the Shanghai sample the formulas give the published view's
/// amounts. Those cells were locked and had no formula, so a department
/// could not state its spending by 类: the fill-in workbook, filled and
/// recalculated in LibreOffice, gave 10 errors it could not mend.
#[test]
fn sh_2026_summary_class_rows_of_the_fill_in_are_formulas_giving_the_views_amounts() {
    use budgetkit::filed::row_label_key;
    use budgetkit::views::{standard_table, Cell};
    let template = Template::load("sh-2026").expect("sh-2026");
    let sample =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/shanghai-putuo-finance-2025.json");
    let budget = read_json(&sample).expect("sample").budget;
    let book = fill_in_book(&budget, &template, Vec::new());
    let mut checked = 0;
    for (fill, spec) in book.tables.iter().zip(&template.tables) {
        if !matches!(spec.layout, Layout::Summary | Layout::FiscalSummary) {
            continue;
        }
        let view = standard_table(&budget, &template, spec);
        let label_col = spec.col(ColumnKey::OutLabel).expect("支出 label");
        let label = |row: &budgetkit::views::Row| {
            row.cells
                .get(label_col)
                .map(|c| row_label_key(&c.display()).into_owned())
        };
        let amounts: Vec<usize> = spec
            .columns
            .iter()
            .enumerate()
            .filter(|(_, k)| k.is_expense_amount())
            .map(|(c, _)| c)
            .collect();
        for (r, _) in spec.expense_rows.iter().enumerate() {
            let Some(row) = fill.table.rows.get(r) else {
                continue;
            };
            let Some(shown) = view.rows.iter().find(|v| label(v) == label(row)) else {
                continue; // a 类 the sample has no spending in
            };
            for &c in &amounts {
                assert!(
                    formula_at(fill, r, c).is_some(),
                    "{} row {r} col {c}: no formula",
                    spec.sheet
                );
                let got = row.cells.get(c).cloned().unwrap_or(Cell::Empty);
                let want = shown.cells.get(c).cloned().unwrap_or(Cell::Empty);
                assert_eq!(
                    got.display(),
                    want.display(),
                    "{} row {r} col {c}",
                    spec.sheet
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 8, "类 cells checked: {checked}");
}

/// `FuncRows` finds a code's row and the lines under a code by binary
/// search over its lines sorted by code; the answers are those of a scan
/// of the lines in filed order, also for a code listed twice, a code not
/// listed, a prefix that is no line's code, and texts that are no code
/// (a letter O, eight digits, full-width digits).
#[test]
fn function_lines_are_found_as_a_scan_of_the_filed_lines_finds_them() {
    use budgetkit::filed::FiledTable;
    use budgetkit::kinds::FuncRows;
    let template = Template::load("sx-2025").expect("template");
    let (fill, spec) = sample_fill_in_table(&template, Layout::Functions);
    let mut table = fill.table.clone();
    // The first line listed again at the end, and the lines reversed in
    // between: the index must keep filed order, not code order.
    let first_line = table.rows.first().cloned().expect("a row");
    table.rows.reverse();
    table.rows.push(first_line);
    let filed = FiledTable::of_view(&spec, &table);
    let rows = FuncRows::split(&filed, &spec);
    let lines = rows.lines();
    assert!(lines.len() > 5, "{lines:?}");
    let mut asked: Vec<String> = lines.iter().map(|(c, _)| c.clone()).collect();
    asked.extend(["9999999", "20", "", "2O1", "20101010", "２０１"].map(String::from));
    let mut children_seen = 0;
    for code in &asked {
        let scanned = lines.iter().find(|(c, _)| c == code).map(|(_, r)| r.row);
        assert_eq!(rows.line(code).map(|r| r.row), scanned, "line {code}");
        for len in [code.len() + 2, code.len() + 4] {
            let scanned: Vec<u32> = lines
                .iter()
                .filter(|(c, _)| c.len() == len && c.starts_with(code.as_str()))
                .map(|(_, r)| r.row)
                .collect();
            let found: Vec<u32> = rows
                .children(code, len)
                .iter()
                .map(|(_, r)| r.row)
                .collect();
            children_seen += found.len();
            assert_eq!(found, scanned, "children of {code} of {len} digits");
        }
    }
    assert!(children_seen > 0, "no line has children: {lines:?}");
}
