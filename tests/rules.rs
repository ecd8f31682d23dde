//! The rule catalog against the sample: the sample passes, and for every
//! rule a perturbation of the sample that breaks its relation makes it
//! fire, naming the perturbed cell. Each case also lists the other rules
//! the same edit legitimately breaks; any further finding fails the test.

mod common;

use budgetkit::findings::Severity;
use budgetkit::rules::RULES;
use common::book::{listing, Book};

const T1: &str = "预算公开表1";
const T2: &str = "预算公开表2";
const T3: &str = "预算公开表3";
const T4: &str = "预算公开表4";
const T5: &str = "预算公开表5";
const T6: &str = "预算公开表6";
const T7: &str = "预算公开表7";
const T8: &str = "预算公开表8";
const T9: &str = "预算公开表9";
const T10: &str = "预算公开表10";
const T11: &str = "预算公开表11";
const T12: &str = "预算公开表12";
const T13: &str = "预算公开表13";
const DEPT_FORM: &str = "整体支出绩效目标申报表";
/// The project form of 宣传经费 (the third form in the sample).
const PUBLICITY_FORM: &str = "项目绩效目标表3";

/// The sample's own findings: two warnings on its performance forms (the
/// 外高外投资服务经费 / 外商外资联络服务经费 name mismatch, and that form's
/// 实施期资金 65 against parts of 55).
const SAMPLE_WARNINGS: [&str; 2] = ["PF-NAME-T12", "PF-PERIOD-SUM"];

/// Applies `edit` to the sample, validates, and asserts that `rule` fires
/// naming the cell `edit` returns and nothing but `rule` and `also` does
/// ([`common::book::breaks`]).
fn breaks(rule: &str, also: &[&str], edit: impl FnOnce(&mut Book) -> String) {
    common::book::breaks(Book::sample(), rule, also, &SAMPLE_WARNINGS, edit);
}

/// Declares one test per case and the list of rules covered.
macro_rules! cases {
    ($($name:ident: $rule:literal $(+ [$($also:literal),*])? => |$b:ident| $body:block)*) => {
        $(
            #[test]
            fn $name() {
                breaks($rule, &[$($($also),*)?], |$b: &mut Book| $body);
            }
        )*
        /// Rules with at least one perturbation case.
        const COVERED: &[&str] = &[$($rule),*];
    };
}

cases! {
    text_in_an_amount_column_the_reader_skips: "IT-AMOUNT-NUMBER" => |b| {
        b.edit(T5, 'A', "201", 'C', "约297万")
    }
    an_absurd_amount: "IT-AMOUNT-NUMBER" + ["IT-FUNC-TOTAL", "IT-FUNC-ROLLUP", "IT-FUNC-SPLIT", "XT-FUND-LINES-T2"] => |b| {
        b.edit(T5, 'A', "208", 'C', "25570000000000")
    }
    // ---- identity and plausibility ----
    a_title_of_another_year: "XT-YEAR" => |b| {
        b.put(&format!("{T5}!A2"), "2024年一般公共预算支出预算表（不含上年结转）");
        format!("{T5}!A2")
    }
    a_table_of_another_department: "XT-DEPARTMENT" => |b| {
        b.put(&format!("{T6}!A3"), "部门名称：朔州市商务局");
        format!("{T6}!A3")
    }
    three_public_typed_in_yuan: "XT-UNIT-AMOUNT" + ["IT-3P-TOTAL", "IT-ROW-SOURCES"] => |b| {
        b.edit(T10, 'A', "公务接待费", 'C', "21000")
    }
    economic_table_typed_in_yuan: "XT-UNIT-TABLE" + ["IT-ECON-GROUP", "XT-BASIC-T5-T6", "XT-PUBLIC-T6-T11", "XT-VEHICLE-T6-T10"] => |b| {
        b.retype_in_yuan(T6);
        b.at(T6, 'A', "合计", 'C')
    }
    a_negative_amount: "IT-NEGATIVE" + ["IT-3P-TOTAL", "IT-ROW-SOURCES"] => |b| {
        b.edit(T10, 'A', "公务接待费", 'C', "-1")
    }
    three_decimals: "IT-DECIMALS" => |b| {
        b.edit(T3, 'A', "2011301", 'C', "131.684")
    }
    a_code_listed_twice: "FN-CODE-TWICE" + ["XT-FUND-LINES-T2", "XT-SPLIT-T3", "FN-CODE-NAME"] => |b| {
        b.edit(T5, 'A', "2011302", 'A', "2011301")
    }
    // ---- 表1/表4 ----
    summary_income_total_changed: "IT-SUMMARY-INCOME" + ["IT-SUMMARY-GRAND-INCOME", "XT-INCOME-T1-T2", "PF-DEPT-T1"] => |b| {
        b.edit(T1, 'A', "本年收入合计", 'B', "353.59")
    }
    summary_income_part_changed: "IT-SUMMARY-INCOME" + ["XT-INCOME-T1-T2", "XT-INCOME-T1-T4", "PF-DEPT-T1"] => |b| {
        b.edit(T1, 'A', "一、一般公共预算", 'B', "353.59")
    }
    summary_expense_total_changed: "IT-SUMMARY-EXPENSE" + ["IT-SUMMARY-ROW", "IT-SUMMARY-GRAND-EXPENSE", "XT-EXPENSE-T1-T3"] => |b| {
        b.edit(T1, 'C', "本年支出合计", 'D', "353.59")
    }
    summary_row_part_changed: "IT-SUMMARY-ROW" + ["IT-SUMMARY-EXPENSE", "XT-CURRENT-T1-T2"] => |b| {
        b.edit(T1, 'C', "一、一般公共服务支出", 'E', "297.30")
    }
    summary_fiscal_row_changed: "IT-SUMMARY-ROW" + ["IT-SUMMARY-EXPENSE", "XT-EXPENSE-T2-T4"] => |b| {
        b.edit(T4, 'C', "八、社会保障和就业支出", 'E', "25.75")
    }
    fiscal_carryover_part_without_total: "IT-SUMMARY-CARRYOVER" => |b| {
        b.put(&b.at_nth(T4, 'A', "一、一般公共预算", 2, 'B'), "5");
        b.at_nth(T4, 'A', "一、一般公共预算", 2, 'B')
    }
    grand_income_changed: "IT-SUMMARY-GRAND-INCOME" + ["IT-SUMMARY-BALANCE"] => |b| {
        b.edit(T1, 'A', "收入总计", 'B', "353.50")
    }
    year_end_carryover_without_grand_total: "IT-SUMMARY-GRAND-EXPENSE" => |b| {
        b.edit(T1, 'C', "年终结转", 'D', "1")
    }
    income_and_expense_out_of_balance: "IT-SUMMARY-BALANCE" => |b| {
        b.edit(T1, 'C', "年终结转", 'D', "1");
        b.edit(T1, 'C', "支出总计", 'D', "354.49")
    }
    // ---- function tables ----
    function_total_changed: "IT-FUNC-TOTAL" + ["IT-FUNC-SPLIT", "XT-LINES-T2-T3", "XT-EXPENSE-T1-T3", "PF-DEPT-T3"] => |b| {
        b.edit(T3, 'A', "合计", 'C', "353.59")
    }
    function_class_changed: "IT-FUNC-TOTAL" + ["IT-FUNC-ROLLUP", "IT-FUNC-SPLIT", "XT-LINES-T2-T3", "XT-EXPENSE-T1-T3"] => |b| {
        b.edit(T3, 'A', "201", 'C', "297.30")
    }
    class_typo_nine_sixteen: "IT-FUNC-ROLLUP" + ["IT-FUNC-TOTAL", "IT-ROW-SOURCES", "XT-LINES-T2-T3", "XT-CURRENT-T1-T2"] => |b| {
        // 9.61 typed as 9.16
        b.edit(T2, 'A', "210", 'C', "9.16")
    }
    item_changed_without_its_subtotal: "IT-FUNC-ROLLUP" + ["IT-FUNC-SPLIT", "XT-SPLIT-T3"] => |b| {
        b.edit(T5, 'A', "2101101", 'D', "6.57")
    }
    basic_changed_without_row_total: "IT-FUNC-SPLIT" + ["IT-FUNC-ROLLUP", "XT-SPLIT-T3"] => |b| {
        b.edit(T5, 'A', "2011301", 'D', "131.86")
    }
    carryover_on_one_side_of_t2_t3: "XT-LINES-T2-T3" + ["IT-FUNC-ROLLUP"] => |b| {
        b.edit(T2, 'A', "2011301", 'I', "1")
    }
    line_missing_from_t3: "XT-LINES-T2-T3" + ["IT-FUNC-ROLLUP"] => |b| {
        let cells: Vec<String> = ['A', 'B', 'C', 'D', 'E'].iter().map(|c| b.at(T3, 'A', "2011350", *c)).collect();
        for r in cells {
            b.put(&r, "");
        }
        b.at(T2, 'A', "2011350", 'A')
    }
    t5_line_differs_from_t2_general: "XT-FUND-LINES-T2" + ["IT-FUNC-SPLIT", "IT-FUNC-ROLLUP"] => |b| {
        b.edit(T5, 'A', "2011308", 'C', "55")
    }
    t3_split_moved_between_basic_and_project: "XT-SPLIT-T3" + ["IT-FUNC-ROLLUP"] => |b| {
        b.edit(T3, 'A', "2011302", 'E', "66");
        b.edit(T3, 'A', "2011302", 'D', "1")
    }
    // A code the classification list lacks: the tables are compared with
    // each other (a listed code is compared with the list, FN-CODE-NAME).
    a_code_named_differently_in_one_table: "XT-FUNC-NAME" + ["FN-CODE-UNKNOWN"] => |b| {
        for t in [T2, T3, T5] {
            b.edit(t, 'A', "2011308", 'A', "2011397");
        }
        b.edit(T5, 'A', "2011397", 'B', "招商引资服务")
    }
    // ---- other in-table ----
    t2_source_changed_without_row_total: "IT-ROW-SOURCES" + ["IT-FUNC-ROLLUP", "XT-FUND-LINES-T2"] => |b| {
        b.edit(T2, 'A', "2011301", 'D', "131.86")
    }
    t11_fund_changed_without_row_total: "IT-ROW-SOURCES" + ["IT-OPCOST-TOTAL"] => |b| {
        b.edit(T11, 'A', "朔州市促进外来投资局(本级)", 'C', "21.46")
    }
    t12_fund_changed_without_row_total: "IT-ROW-SOURCES" + ["IT-PROJ-UNIT"] => |b| {
        b.edit(T12, 'A', "宣传经费", 'C', "6")
    }
    economic_total_changed: "IT-ECON-TOTAL" + ["IT-ECON-ROW", "XT-BASIC-T5-T6"] => |b| {
        b.edit(T6, 'A', "合计", 'C', "236.94")
    }
    economic_item_changed_without_group: "IT-ECON-GROUP" => |b| {
        b.edit(T6, 'A', "退休费", 'C', "2.30");
        b.edit(T6, 'A', "退休费", 'D', "2.30")
    }
    economic_row_total_changed: "IT-ECON-ROW" + ["IT-ECON-GROUP"] => |b| {
        b.edit(T6, 'A', "办公费", 'C', "1.2")
    }
    vehicle_purchase_without_vehicle_total: "IT-3P-VEHICLE" => |b| {
        b.edit(T10, 'A', "①公务用车购置费", 'C', "1");
        b.edit(T10, 'A', "①公务用车购置费", 'B', "1")
    }
    travel_abroad_without_three_public_total: "IT-3P-TOTAL" => |b| {
        b.edit(T10, 'A', "因公出国（境）费", 'C', "1");
        b.edit(T10, 'A', "因公出国（境）费", 'B', "1")
    }
    operating_total_changed: "IT-OPCOST-TOTAL" + ["XT-PUBLIC-T6-T11", "XT-OPCOST-T6-T11"] => |b| {
        b.edit(T11, 'A', "部门合计", 'C', "21.46");
        b.edit(T11, 'A', "部门合计", 'B', "21.46")
    }
    department_row_changed: "IT-PROJ-DEPT" + ["XT-PROJECT-T5-T12", "XT-PROJECT-T3-T12"] => |b| {
        b.edit(T12, 'A', "朔州市促进外来投资局", 'C', "118");
        b.edit(T12, 'A', "朔州市促进外来投资局", 'B', "118")
    }
    project_changed_without_unit: "IT-PROJ-UNIT" + ["PF-AMOUNT-T12"] => |b| {
        b.edit(T12, 'A', "宣传经费", 'C', "6");
        b.edit(T12, 'A', "宣传经费", 'B', "6")
    }
    fund_income_line_without_total: "IT-INCOME-LINES" => |b| {
        b.edit(T7, 'A', "注：本表无数据", 'C', "5");
        b.edit(T7, 'A', "注：本表无数据", 'B', "国有土地使用权出让收入");
        b.edit(T7, 'A', "注：本表无数据", 'A', "1030148");
        b.at(T7, 'A', "1030148", 'C')
    }
    empty_table_without_note: "IT-EMPTY-NOTE" => |b| {
        b.edit(T7, 'A', "注：本表无数据", 'A', "")
    }
    // ---- cross-table ----
    t2_total_general_changed: "XT-INCOME-T1-T2" + ["IT-ROW-SOURCES", "IT-FUNC-TOTAL", "XT-FUND-LINES-T2", "XT-EXPENSE-T2-T4"] => |b| {
        b.edit(T2, 'A', "合计", 'D', "353.59")
    }
    t1_class_split_differs_from_t2: "XT-CURRENT-T1-T2" + ["IT-SUMMARY-EXPENSE"] => |b| {
        b.edit(T1, 'C', "一、一般公共服务支出", 'F', "1");
        b.edit(T1, 'C', "一、一般公共服务支出", 'E', "296.03")
    }
    t1_class_without_t3_line: "XT-EXPENSE-T1-T3" + ["IT-SUMMARY-EXPENSE", "XT-CURRENT-T1-T2"] => |b| {
        b.edit(T1, 'C', "三、国防支出", 'E', "1");
        b.edit(T1, 'C', "三、国防支出", 'D', "1")
    }
    t4_income_differs_from_t1: "XT-INCOME-T1-T4" + ["IT-SUMMARY-INCOME"] => |b| {
        b.edit(T4, 'A', "一、一般公共预算", 'B', "353.94")
    }
    // 表4's 合计 column on a 类 is 表2's three funds on that line (the
    // fill-in workbook's formula); it was compared only where 表2 has a
    // 财政拨款 column.
    t4_class_total_differs_from_t2_funds: "XT-EXPENSE-T2-T4" + ["IT-SUMMARY-ROW", "IT-SUMMARY-EXPENSE"] => |b| {
        b.edit(T4, 'C', "一、一般公共服务支出", 'D', "297.30")
    }
    t4_class_differs_from_t2: "XT-EXPENSE-T2-T4" + ["IT-SUMMARY-EXPENSE"] => |b| {
        b.edit(T4, 'C', "一、一般公共服务支出", 'D', "297.30");
        b.edit(T4, 'C', "一、一般公共服务支出", 'E', "297.30")
    }
    t5_basic_differs_from_t6: "XT-BASIC-T5-T6" + ["IT-FUNC-TOTAL", "IT-FUNC-SPLIT", "XT-SPLIT-T3"] => |b| {
        b.edit(T5, 'A', "合计", 'D', "236.94")
    }
    t5_project_differs_from_t12: "XT-PROJECT-T5-T12" + ["IT-FUNC-TOTAL", "IT-FUNC-SPLIT", "XT-SPLIT-T3"] => |b| {
        b.edit(T5, 'A', "合计", 'E', "171")
    }
    t3_project_differs_from_t12: "XT-PROJECT-T3-T12" + ["IT-FUNC-TOTAL", "IT-FUNC-SPLIT", "XT-SPLIT-T3", "PF-DEPT-T3"] => |b| {
        b.edit(T3, 'A', "合计", 'E', "171")
    }
    operating_costs_below_public_costs: "XT-PUBLIC-T6-T11" => |b| {
        for label in ["部门合计", "朔州市促进外来投资局(本级)"] {
            b.edit(T11, 'A', label, 'B', "20");
            b.edit(T11, 'A', label, 'C', "20");
        }
        b.at(T11, 'A', "部门合计", 'B')
    }
    operating_costs_above_public_costs: "XT-OPCOST-T6-T11" + ["XT-PUBLIC-T6-T11"] => |b| {
        for label in ["部门合计", "朔州市促进外来投资局(本级)"] {
            b.edit(T11, 'A', label, 'B', "22");
            b.edit(T11, 'A', label, 'C', "22");
        }
        b.at(T11, 'A', "部门合计", 'C')
    }
    vehicle_running_above_three_public: "XT-VEHICLE-T6-T10" => |b| {
        for label in ["公务用车购置及运行费", "②公务用车运行维护费", "合计"] {
            b.edit(T10, 'A', label, 'B', "1");
            b.edit(T10, 'A', label, 'C', "1");
        }
        b.at(T10, 'A', "②公务用车运行维护费", 'C')
    }
    reception_above_three_public: "XT-RECEPTION-T6-T10" => |b| {
        // 表6's vehicle row retyped as 公务接待费: 表10 shows none.
        b.edit(T6, 'A', "公务用车运行维护费", 'B', "公务接待费");
        b.edit(T6, 'A', "公务用车运行维护费", 'A', "公务接待费");
        b.at(T6, 'A', "公务接待费", 'C')
    }
    t7_total_without_t1_income: "XT-GOVFUND-T1-T7" + ["IT-INCOME-LINES", "IT-EMPTY-NOTE"] => |b| {
        b.edit(T7, 'A', "合计", 'C', "5")
    }
    t1_fund_income_without_t7: "XT-GOVFUND-T1-T7" + ["IT-SUMMARY-INCOME", "XT-INCOME-T1-T2", "XT-INCOME-T1-T4", "PF-DEPT-T1"] => |b| {
        b.edit(T1, 'A', "二、政府性基金预算", 'B', "5")
    }
    t8_total_without_t4: "XT-GOVFUND-T4-T8" + ["IT-FUNC-SPLIT", "XT-FUND-LINES-T2", "IT-EMPTY-NOTE"] => |b| {
        b.edit(T8, 'A', "合计", 'C', "5")
    }
    t9_income_without_t1: "XT-CAPITAL-T1-T9" + ["IT-INCOME-LINES", "IT-EMPTY-NOTE"] => |b| {
        b.edit(T9, 'A', "合计", 'C', "5")
    }
    t13_projects_without_carryover: "XT-CARRYOVER-T4-T13" + ["XT-PROJECT-T3-T12"] => |b| {
        b.edit(T13, 'A', "注：本表无数据", 'C', "3");
        b.edit(T13, 'A', "注：本表无数据", 'B', "3");
        b.edit(T13, 'A', "注：本表无数据", 'A', "朔州市促进外来投资局");
        b.at(T13, 'A', "朔州市促进外来投资局", 'C')
    }
    // ---- performance forms ----
    form_name_differs_from_t12: "PF-NAME-T12" => |b| {
        b.put(&format!("{PUBLICITY_FORM}!C3"), "宣传工作经费");
        format!("{PUBLICITY_FORM}!C3")
    }
    form_amount_differs_from_t12: "PF-AMOUNT-T12" => |b| {
        b.put(&format!("{PUBLICITY_FORM}!F9"), "6");
        b.put(&format!("{PUBLICITY_FORM}!F6"), "6");
        format!("{PUBLICITY_FORM}!F6")
    }
    project_without_form: "PF-MISSING" => |b| {
        b.sheets.retain(|s| s.name != "项目绩效目标表5");
        b.at(T12, 'A', "财务管理费", 'A')
    }
    department_form_source_differs_from_t1: "PF-DEPT-T1" + ["PF-FORM-SUM"] => |b| {
        b.put(&format!("{DEPT_FORM}!C12"), "353.94");
        format!("{DEPT_FORM}!C12")
    }
    department_form_use_differs_from_t3: "PF-DEPT-T3" + ["PF-FORM-SUM"] => |b| {
        b.put(&format!("{DEPT_FORM}!E12"), "236.94");
        format!("{DEPT_FORM}!E12")
    }
    form_part_without_total: "PF-FORM-SUM" => |b| {
        b.put(&format!("{PUBLICITY_FORM}!F9"), "6");
        format!("{PUBLICITY_FORM}!F9")
    }
    form_period_part_without_total: "PF-PERIOD-SUM" => |b| {
        b.put(&format!("{PUBLICITY_FORM}!C9"), "6");
        format!("{PUBLICITY_FORM}!C9")
    }
    // ---- classification ----
    unknown_code_everywhere: "FN-CODE-UNKNOWN" => |b| {
        for t in [T2, T3, T5] {
            b.edit(t, 'A', "2011308", 'A', "2011397");
        }
        b.at(T3, 'A', "2011397", 'A')
    }
    wrong_name_everywhere: "FN-CODE-NAME" => |b| {
        for t in [T2, T3, T5] {
            b.edit(t, 'A', "2101102", 'B', "行政单位医疗");
        }
        b.at(T5, 'A', "2101102", 'B')
    }
}

#[test]
fn every_rule_has_a_perturbation_case() {
    for rule in RULES {
        assert!(
            COVERED.contains(&rule.id),
            "no perturbation case for {}",
            rule.id
        );
    }
}

#[test]
fn a_cell_the_reader_reported_is_not_reported_again() {
    let mut b = Book::sample();
    let cell = b.edit(T5, 'A', "2011301", 'D', "约131");
    let report = b.validate();
    let on_cell: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| f.cells == vec![cell.clone()])
        .map(|f| f.rule.as_str())
        .collect();
    assert_eq!(
        on_cell,
        vec!["READ-AMOUNT"],
        "{}",
        listing(&report.findings)
    );
}

#[test]
fn the_sample_workbook_has_no_error_and_the_name_mismatch_warning() {
    let report = Book::sample().validate();
    let rules: Vec<&str> = report.findings.iter().map(|f| f.rule.as_str()).collect();
    assert_eq!(rules, SAMPLE_WARNINGS, "{}", listing(&report.findings));
    assert!(report
        .findings
        .iter()
        .all(|f| f.severity == Severity::Warning));
    assert_eq!(report.exit_code(), 0);
    let name = &report.findings[0];
    assert!(
        name.message.contains("外高外投资服务经费")
            && name.message.contains("外商外资联络服务经费")
    );
    assert_eq!(name.cells, ["项目绩效目标表2!C3", "预算公开表12!A11"]);
    assert_eq!(report.department, "朔州市促进外来投资局");
    assert_eq!(report.year, 2025);
}

#[test]
fn the_rewritten_sample_reads_like_the_original() {
    let book = Book::sample();
    let template = budgetkit::spec::Template::load("sx-2025").unwrap();
    let a = budgetkit::read::read_path(&common::sample_xlsx(), &template).unwrap();
    let b = budgetkit::read::read_path(&book.save("copy.xlsx"), &template).unwrap();
    assert_eq!(a.budget, b.budget);
    assert_eq!(a.tables, b.tables);
}

#[test]
fn rule_ids_are_unique_and_well_formed() {
    let mut ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
    ids.extend(budgetkit::rules::READING.iter().map(|r| r.id));
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "duplicate rule ids");
    for r in RULES {
        let prefix = r.id.split('-').next().unwrap_or("");
        assert!(["IT", "XT", "PF", "FN"].contains(&prefix), "{}", r.id);
        assert!(
            r.id.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-'),
            "{}",
            r.id
        );
        assert!(
            !r.description.is_empty() && !r.tables.is_empty(),
            "{}",
            r.id
        );
    }
}

/// The reference's 对个人和家庭的补助 = 2.03 + 0.06; its stated 2.09 moved by
/// `delta` cents (both columns of the row).
fn group_moved(cents: i64) -> budgetkit::commands::Report {
    let mut b = Book::sample();
    let v = rust_decimal::Decimal::new(209 + cents, 2).to_string();
    b.edit(T6, 'A', "对个人和家庭的补助", 'C', &v);
    b.edit(T6, 'A', "对个人和家庭的补助", 'D', &v);
    b.validate()
}

#[test]
fn rounding_gaps_within_the_interval_never_fire() {
    for cents in [-1, 1] {
        let report = group_moved(cents);
        assert!(
            report
                .findings
                .iter()
                .all(|f| SAMPLE_WARNINGS.contains(&f.rule.as_str())),
            "{cents}: {}",
            listing(&report.findings)
        );
    }
}

#[test]
fn a_gap_of_three_cents_over_two_parts_fires() {
    for cents in [-3, 3] {
        let report = group_moved(cents);
        let cell = Book::sample().at(T6, 'A', "对个人和家庭的补助", 'C');
        assert!(
            report.findings.iter().any(|f| f.rule == "IT-ECON-GROUP"
                && f.cells.iter().any(|c| *c == cell)
                && f.severity == Severity::Error),
            "{cents}: {}",
            listing(&report.findings)
        );
    }
}

#[test]
fn findings_name_cells_of_the_input_sheets() {
    let mut b = Book::sample();
    for s in &mut b.sheets {
        s.name = s.name.replace("预算公开表", "Sheet");
    }
    b.put("Sheet3!C9", "131.86");
    let report = b.validate();
    let f = report
        .findings
        .iter()
        .find(|f| f.rule == "IT-FUNC-ROLLUP")
        .expect("rollup");
    assert!(f.cells.iter().any(|c| *c == "Sheet3!C9"), "{:?}", f.cells);
    assert!(f
        .cells
        .iter()
        .map(ToString::to_string)
        .all(|c| c.starts_with("Sheet") && common::book::is_reference(&c)));
}

/// 表3 2011301 行政运行 合计 131.68 typed as 131.77.
fn c9_typo() -> (budgetkit::commands::Report, String) {
    let mut b = Book::sample();
    let cell = b.edit(T3, 'A', "2011301", 'C', "131.77");
    (b.validate(), cell)
}

#[test]
fn likely_cause_is_the_changed_cell() {
    let (report, cell) = c9_typo();
    let all = listing(&report.findings);
    let errors: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    // IT-FUNC-SPLIT and XT-LINES-T2-T3 on C9 itself, IT-FUNC-ROLLUP on its 款.
    assert_eq!(errors.len(), 3, "{all}");
    let first = &report.findings[0];
    assert_eq!(first.cells[0], cell, "{all}");
    assert!(first.likely_cause, "{all}");
    for f in &errors {
        assert!(f.likely_cause && f.cells[0] == cell, "{all}");
        // Nobody is told to change the correct 款 total C8 to 297.11.
        assert_eq!(f.expected.as_deref(), Some("131.68"), "{all}");
        assert_eq!(f.found.as_deref(), Some("131.77"), "{all}");
    }
    let rollup = errors.iter().find(|f| f.rule == "IT-FUNC-ROLLUP").unwrap();
    assert!(rollup.message.contains("可能的原因"), "{all}");
    let json = report.to_json();
    assert!(json.contains("\"likely_cause\": true"), "{json}");
    assert!(report.to_text().contains("IT-FUNC-SPLIT（可能的原因）"));
    // Findings without a shared cause carry no flag.
    assert!(report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Warning)
        .all(|f| !f.likely_cause));
}

#[test]
fn code_name_findings_agree_list_wins() {
    let mut b = Book::sample();
    let typo = b.edit(T5, 'A', "2011301", 'B', "行政运转");
    let report = b.validate();
    let all = listing(&report.findings);
    let names: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.rule == "FN-CODE-NAME" || f.rule == "XT-FUNC-NAME")
        .collect();
    assert_eq!(names.len(), 1, "{all}");
    assert_eq!(names[0].rule, "FN-CODE-NAME");
    assert_eq!(names[0].cells, [typo]);
    assert_eq!(names[0].expected.as_deref(), Some("行政运行"));
    // No finding asks 表2/表3 to adopt the typo.
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.expected.as_deref() != Some("行政运转")),
        "{all}"
    );
}

/// #14: FN-CODE-UNKNOWN and FN-CODE-NAME scanned every line once per
/// finding (quadratic in a large department); grouped in one pass they
/// still give one finding per code (per code and name), in filed order,
/// naming every cell.
#[test]
fn code_findings_group_every_cell_in_filed_order() {
    let mut b = Book::sample();
    let mut unknown = Vec::new();
    let mut misnamed = Vec::new();
    for t in [T2, T3, T5] {
        unknown.push(b.edit(t, 'A', "2011308", 'A', "2011397"));
        unknown.push(b.edit(t, 'A', "2011301", 'A', "2011398"));
        misnamed.push(b.edit(t, 'A', "2101102", 'B', "行政单位医疗"));
    }
    let report = b.validate();
    let all = listing(&report.findings);
    let of = |rule: &str| -> Vec<Vec<String>> {
        report
            .findings
            .iter()
            .filter(|f| f.rule == rule)
            .map(|f| f.cells.iter().map(ToString::to_string).collect())
            .collect()
    };
    let codes = |cells: &[String], nth: usize| -> Vec<String> {
        cells.iter().skip(nth).step_by(2).cloned().collect()
    };
    assert_eq!(
        of("FN-CODE-UNKNOWN"),
        [codes(&unknown, 1), codes(&unknown, 0)],
        "{all}"
    );
    assert_eq!(of("FN-CODE-NAME"), [misnamed], "{all}");
}

#[test]
fn submission_without_forms_is_an_error() {
    let mut b = Book::sample();
    b.sheets.retain(|s| !s.name.contains("绩效目标"));
    let report = b.validate();
    let all = listing(&report.findings);
    let missing: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.rule == "PF-MISSING")
        .collect();
    assert!(
        missing.iter().all(|f| f.severity == Severity::Error),
        "{all}"
    );
    // The department form, and each of 表12's five projects by its cell.
    assert!(
        missing
            .iter()
            .any(|f| f.message.contains("整体支出绩效目标申报表")),
        "{all}"
    );
    let cell = b.at(T12, 'A', "宣传经费", 'A');
    assert!(missing.iter().any(|f| f.cells == [cell.clone()]), "{all}");
    assert_eq!(missing.len(), 6, "{all}");
    assert_eq!(report.exit_code(), 1);
}

#[test]
fn findings_order_is_stable() {
    let mut b = Book::sample();
    b.edit(T3, 'A', "2011301", 'C', "131.77");
    b.edit(T2, 'A', "210", 'C', "9.16");
    b.edit(T5, 'A', "2011301", 'B', "行政运转");
    b.edit(T10, 'A', "公务接待费", 'C', "-1");
    let path = b.save("twice.xlsx");
    let template = budgetkit::spec::Template::load("sx-2025").unwrap();
    let opts = budgetkit::commands::ValidateOptions {
        template: &template,
        annotate: None,
    };
    let first = budgetkit::commands::validate(&path, &opts)
        .unwrap()
        .to_json();
    for _ in 0..3 {
        let again = budgetkit::commands::validate(&path, &opts)
            .unwrap()
            .to_json();
        assert_eq!(again, first);
    }
    assert!(first.contains("likely_cause"), "{first}");
    // Separate processes (each with its own hash seeds) agree too.
    let run = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_budgetkit"))
            .args(["validate", "--format", "json"])
            .arg(&path)
            .output()
            .expect("run budgetkit")
            .stdout
    };
    let a = run();
    assert!(!a.is_empty());
    assert_eq!(a, run());
    assert_eq!(String::from_utf8_lossy(&a), first);
}
