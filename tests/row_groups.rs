//! Filed rows group one way for the reader and the rules alike (issue #9):
//! in 表12 the first row is the department whatever it is called, and a
//! unit that 表11 does not list is still a unit when the table adds up with
//! it; in 表6 items before any group row count toward the 合计.

mod common;

use budgetkit::commands::{export, ExportOptions};
use budgetkit::findings::Severity;
use budgetkit::spec::Template;
use common::bend::read_model;
use common::book::{listing, Book};
use common::sheet_rows;
use rust_decimal::Decimal;

const T12: &str = "预算公开表12";
const DEPARTMENT: &str = "朔州市促进外来投资局";
const OWN_UNIT: &str = "朔州市促进外来投资局(本级)";

fn project_total(b: &budgetkit::model::Budget) -> Decimal {
    b.projects
        .iter()
        .filter_map(|p| p.sources.get(budgetkit::model::Source::General))
        .map(|a| a.value)
        .sum()
}

/// Regression: a department row reading "…局合计" was taken for a project
/// by the reader (not by the rules), so the submission validated clean and
/// `export` published a department total of 234.00 instead of 117.00.
#[test]
fn department_row_named_total_is_the_department() {
    let mut book = Book::sample();
    let renamed = format!("{DEPARTMENT}合计");
    book.edit(T12, 'A', DEPARTMENT, 'A', &renamed);
    let path = book.save("renamed.xlsx");
    let (model, findings) = read_model(&path);
    assert_eq!(model.projects.len(), 5, "{}", listing(&findings));
    assert_eq!(project_total(&model), Decimal::new(11700, 2));

    let template = Template::load("sx-2025").unwrap();
    let out = path.with_file_name("published.xlsx");
    let opts = ExportOptions {
        read_template: &template,
        write_template: &template,
        force: false,
    };
    let outcome = export(&path, &out, &opts).unwrap();
    assert_eq!(outcome.errors(), 0, "{}", listing(&outcome.findings));
    let rows = sheet_rows(&out, T12, 0);
    let department_row = rows
        .iter()
        .find(|r| r.starts_with(DEPARTMENT) && !r.contains("(本级)"))
        .unwrap_or_else(|| panic!("no department row in {rows:#?}"));
    assert!(
        department_row.contains("\t117.00"),
        "department row {department_row:?}"
    );
    assert!(!department_row.contains("234.00"), "{department_row:?}");
}

/// Regression: a 事业单位 that has no 机关运行经费 (so no 表11 row) was
/// taken for a project, giving false errors. Here the sample's last two
/// projects move under such a unit, 朔州市投资促进服务中心 (55.00 = 50 + 5),
/// and 本级 keeps 62.00 = 5 + 2 + 55.
#[test]
fn unit_missing_from_t11_is_read_as_unit() {
    let mut book = Book::sample();
    let own = book.at(T12, 'A', OWN_UNIT, 'B');
    let own_row: u32 = own.trim_start_matches(&format!("{T12}!B")).parse().unwrap();
    book.put(&format!("{T12}!B{own_row}"), "62");
    book.put(&format!("{T12}!C{own_row}"), "62");
    let at = book.at(T12, 'A', "招商引资工作经费", 'A');
    let first: u32 = at.trim_start_matches(&format!("{T12}!A")).parse().unwrap();
    let rows = [
        ("朔州市投资促进服务中心", "55"),
        ("招商引资工作经费", "50"),
        ("投资朔州公众号OA系统维护费", "5"),
    ];
    for (i, (name, amount)) in rows.iter().enumerate() {
        let r = first + i as u32;
        book.put(&format!("{T12}!A{r}"), name);
        book.put(&format!("{T12}!B{r}"), amount);
        book.put(&format!("{T12}!C{r}"), amount);
    }
    let report = book.validate();
    let errors: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .cloned()
        .collect();
    assert!(errors.is_empty(), "{}", listing(&errors));

    let path = book.save("units.xlsx");
    let (model, _) = read_model(&path);
    assert!(
        model.units.iter().any(|u| u == "朔州市投资促进服务中心"),
        "{:?}",
        model.units
    );
    let under: Vec<&str> = model
        .projects
        .iter()
        .filter(|p| p.unit == "朔州市投资促进服务中心")
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(under, ["招商引资工作经费", "投资朔州公众号OA系统维护费"]);
}

/// The structural reading is taken only when the whole table adds up: in
/// the sample, 外商外资联络服务经费 55.00 equals the two projects after it
/// (50 + 5), yet it is a project, since 本级's 117.00 needs all five.
#[test]
fn a_project_equal_to_the_next_ones_stays_a_project() {
    let (model, _) = read_model(&common::sample_xlsx());
    assert_eq!(model.projects.len(), 5);
    assert!(model.projects.iter().all(|p| p.unit == OWN_UNIT));
    assert!(!model.units.iter().any(|u| u == "外商外资联络服务经费"));
}

/// Regression (issue #9): 表6 items filed before any group row were kept
/// by the reader but dropped by the rules, so 合计 was compared with the
/// groups alone. Here the 工资福利支出 group row is deleted: its items are
/// ungrouped, the model keeps them, and 合计 = Σ groups and ungrouped
/// items still holds (no IT-ECON-TOTAL error).
#[test]
fn economic_items_without_group_row_count_in_the_total() {
    let mut book = Book::sample();
    let group = book.at("预算公开表6", 'A', "工资福利支出", 'A');
    let row: u32 = group.trim_start_matches("预算公开表6!A").parse().unwrap();
    for col in ['A', 'B', 'C', 'D', 'E'] {
        book.put(&format!("预算公开表6!{col}{row}"), "");
    }
    let report = book.validate();
    let total_errors: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.rule == "IT-ECON-TOTAL")
        .cloned()
        .collect();
    assert!(total_errors.is_empty(), "{}", listing(&total_errors));

    let (model, _) = read_model(&book.save("ungrouped.xlsx"));
    let ungrouped = model
        .economic
        .groups
        .iter()
        .find(|g| g.name.is_empty())
        .expect("the ungrouped items");
    assert!(
        ungrouped.items.iter().any(|i| i.name == "基本工资"),
        "{:?}",
        ungrouped.items
    );
}

/// The same table with a typed mistake in an ungrouped item is caught by
/// IT-ECON-TOTAL, naming the item's cell: the items are really compared.
#[test]
fn ungrouped_economic_item_typo_is_caught() {
    let mut book = Book::sample();
    let group = book.at("预算公开表6", 'A', "工资福利支出", 'A');
    let row: u32 = group.trim_start_matches("预算公开表6!A").parse().unwrap();
    for col in ['A', 'B', 'C', 'D', 'E'] {
        book.put(&format!("预算公开表6!{col}{row}"), "");
    }
    let changed = book.at("预算公开表6", 'A', "奖金", 'C');
    book.put(&changed, "42.21");
    let report = book.validate();
    let hit = report
        .findings
        .iter()
        .any(|f| f.rule == "IT-ECON-TOTAL" && f.cells.iter().any(|c| *c == changed));
    assert!(hit, "{}", listing(&report.findings));
}
