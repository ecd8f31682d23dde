//! The checks reviewers do first (issue #12.4): one year, one department,
//! amounts in 万元 (not 元), no negative amounts, no code listed twice, no
//! third decimal. Each rule both ways: a perturbation of the sample fires
//! it naming the perturbed cell, and neither the clean sample nor the
//! reference (the standard workbook the sample exports to, which the golden
//! test shows to be the reference cell for cell) fires it.

mod common;

use budgetkit::commands::{export, validate, ExportOptions, ValidateOptions};
use budgetkit::findings::Finding;
use budgetkit::rules::rule;
use budgetkit::spec::Template;
use common::book::{listing, Book};

const T3: &str = "预算公开表3";
const T5: &str = "预算公开表5";
const T6: &str = "预算公开表6";
const T10: &str = "预算公开表10";
const T12: &str = "预算公开表12";

/// The findings of the sample after `edit`, and the cell it names.
fn perturbed(edit: impl FnOnce(&mut Book) -> String) -> (Vec<Finding>, String) {
    let mut book = Book::sample();
    let cell = edit(&mut book);
    (book.validate().findings, cell)
}

/// Asserts `id` fires with its catalog severity naming `cell`.
fn fires(id: &str, edit: impl FnOnce(&mut Book) -> String) {
    let (findings, cell) = perturbed(edit);
    let severity = rule(id).expect("rule in catalog").severity;
    assert!(
        findings
            .iter()
            .any(|f| f.rule == id && f.severity == severity && f.cells.iter().any(|c| *c == cell)),
        "{id} should fire naming {cell}; found:\n{}",
        listing(&findings)
    );
}

/// Asserts neither the sample nor the reference fires `id`.
fn stays_clean(id: &str) {
    let sample = Book::sample().validate().findings;
    assert!(
        sample.iter().all(|f| f.rule != id),
        "sample fires {id}:\n{}",
        listing(&sample)
    );
    let template = Template::load("sx-2025").unwrap();
    let dir = common::tempdir();
    let reference = dir.path().join("reference.xlsx");
    let opts = ExportOptions {
        read_template: &template,
        write_template: &template,
        force: false,
    };
    export(&common::sample_xlsx(), &reference, &opts).unwrap();
    let opts = ValidateOptions {
        template: &template,
        annotate: None,
    };
    let report = validate(&reference, &opts).unwrap();
    assert!(
        report.findings.iter().all(|f| f.rule != id),
        "reference fires {id}:\n{}",
        listing(&report.findings)
    );
}

#[test]
fn a_table_titled_with_another_year() {
    fires("XT-YEAR", |b| {
        b.put(
            &format!("{T5}!A2"),
            "2024年一般公共预算支出预算表（不含上年结转）",
        );
        format!("{T5}!A2")
    });
    stays_clean("XT-YEAR");
}

#[test]
fn a_table_naming_another_department() {
    fires("XT-DEPARTMENT", |b| {
        b.put(&format!("{T6}!A3"), "部门名称：朔州市商务局");
        format!("{T6}!A3")
    });
    stays_clean("XT-DEPARTMENT");
}

#[test]
fn t12_department_row_naming_another_department() {
    fires("XT-DEPARTMENT", |b| {
        b.edit(T12, 'A', "朔州市促进外来投资局", 'A', "朔州市商务局")
    });
}

#[test]
fn three_public_typed_in_yuan_against_the_budget() {
    // 2.10 万元 typed as 21000 (元): more than the whole budget of 353.49.
    fires("XT-UNIT-AMOUNT", |b| {
        b.edit(T10, 'A', "公务用车购置及运行费", 'B', "21000")
    });
    stays_clean("XT-UNIT-AMOUNT");
}

#[test]
fn an_amount_in_yuan_below_the_budget_but_far_over_its_total() {
    // 公务接待费 0.05 万元 typed as 500 (元): under twice the budget, but
    // more than 100 times 表10's 合计 of 2.10.
    fires("XT-UNIT-AMOUNT", |b| {
        b.edit(T10, 'A', "公务接待费", 'C', "500")
    });
}

#[test]
fn a_whole_table_typed_in_yuan() {
    fires("XT-UNIT-TABLE", |b| {
        b.retype_in_yuan(T6);
        // The largest amount: 合计 236.49 → 2364900.
        b.at(T6, 'A', "合计", 'C')
    });
    stays_clean("XT-UNIT-TABLE");
}

#[test]
fn a_whole_table_in_yuan_is_one_finding_not_one_per_cell() {
    let (findings, _) = perturbed(|b| {
        b.retype_in_yuan(T6);
        String::new()
    });
    let on_t6 = |id: &str| {
        findings
            .iter()
            .filter(|f| f.rule == id && f.cells.iter().any(|c| c.to_string().starts_with(T6)))
            .count()
    };
    assert_eq!(on_t6("XT-UNIT-TABLE"), 1, "{}", listing(&findings));
    assert_eq!(on_t6("XT-UNIT-AMOUNT"), 0, "{}", listing(&findings));
}

#[test]
fn a_negative_amount() {
    fires("IT-NEGATIVE", |b| b.edit(T10, 'A', "公务接待费", 'C', "-1"));
    stays_clean("IT-NEGATIVE");
}

#[test]
fn an_amount_typed_with_three_decimals() {
    fires("IT-DECIMALS", |b| {
        b.edit(T3, 'A', "2011301", 'C', "131.684")
    });
    stays_clean("IT-DECIMALS");
}

#[test]
fn float_noise_is_not_a_third_decimal() {
    let (findings, _) = perturbed(|b| b.edit(T3, 'A', "2011301", 'C', "131.68000000000001"));
    assert!(
        findings.iter().all(|f| f.rule != "IT-DECIMALS"),
        "{}",
        listing(&findings)
    );
}

#[test]
fn a_function_code_listed_twice() {
    fires("FN-CODE-TWICE", |b| {
        let second = b.edit(T5, 'A', "2011302", 'A', "2011301");
        assert_eq!(b.text(&second), "2011301");
        second
    });
    stays_clean("FN-CODE-TWICE");
}

#[test]
fn t12_department_row_with_total_appended_is_the_same_department() {
    let (findings, _) = perturbed(|b| {
        b.edit(
            T12,
            'A',
            "朔州市促进外来投资局",
            'A',
            "朔州市促进外来投资局合计",
        )
    });
    assert!(
        findings.iter().all(|f| f.rule != "XT-DEPARTMENT"),
        "{}",
        listing(&findings)
    );
}

/// Decimals are counted as typed: "1316801元" in a 万元 table is 131.6801
/// 万元, but it was typed without decimals, so IT-DECIMALS stays silent
/// (the typed unit is converted by the reader, not blamed as a decimal).
#[test]
fn an_amount_typed_in_yuan_has_no_typed_decimals() {
    let (findings, _) = perturbed(|b| b.edit(T3, 'A', "2011301", 'C', "1316801元"));
    assert!(
        findings.iter().all(|f| f.rule != "IT-DECIMALS"),
        "{}",
        listing(&findings)
    );
}
