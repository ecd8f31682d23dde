//! The performance-target forms of the fill-in workbook: the department
//! form and N project forms, laid out by the same view as the published
//! forms ([`performance_tables`]), with every value cell an input.
//!
//! A form in the model is prefilled; the rest are blank, with rows to type
//! key tasks and indicators into. Which cells are values and which of them
//! are amounts is learnt from the view itself: the form is laid out a
//! second time with every amount set (a probe): a cell of the probe that
//! holds text or an amount and is neither a label nor covered by a merge
//! is a value (the view writes every field, empty or not, and nothing in
//! the blank space of its layout). So the layout is written once, in the
//! view.

use super::fill_in::{FillTable, Formula, Input};
use super::performance::performance_tables;
use super::table::{Cell, Table};
use crate::model::{
    Amount, Budget, DepartmentForm, Indicator, IndicatorValue, KeyTask, Performance, ProjectForm,
};
use crate::spec::Template;
use rust_decimal::Decimal;

/// Project forms a fill-in workbook carries when not told otherwise.
pub const DEFAULT_PROJECT_FORMS: usize = 3;

/// Indicator rows of a blank form (each half of a project form).
const BLANK_INDICATORS: usize = 8;

/// Key-task rows of a blank department form.
const BLANK_TASKS: usize = 3;

/// Starts the placeholder text that gives each blank indicator row its own
/// 一级/二级指标 (so the view merges none of them); cleared once laid out.
const PLACEHOLDER: char = '\u{1}';

/// Stands for the department's name in the probe, to find its cell.
const DEPARTMENT_MARK: &str = "\u{1}部门";

/// The forms of a fill-in workbook, labelled and worded as `template`
/// says: the department form, then the model's project forms and blank
/// ones up to `projects` in all.
pub fn fill_in_forms(budget: &Budget, projects: usize, template: &Template) -> Vec<FillTable> {
    let perf = &budget.performance;
    let typed_department = perf.department.is_some();
    let mut forms = perf.projects.clone();
    while forms.len() < projects {
        forms.push(blank_project());
    }
    let shaped = Budget {
        year: budget.year,
        department: budget.department.clone(),
        performance: Performance {
            department: Some(perf.department.clone().unwrap_or_else(blank_department)),
            projects: forms,
        },
        ..Budget::default()
    };
    let mut probe = shaped.clone();
    set_every_amount(&mut probe.performance);
    if let Some(d) = probe.performance.department.as_mut() {
        if !typed_department {
            d.department = DEPARTMENT_MARK.to_string();
        }
    }
    performance_tables(&shaped, template)
        .into_iter()
        .zip(performance_tables(&probe, template))
        .map(|(table, probe)| fill_form(table, &probe, &budget.department))
        .collect()
}

/// A department form with rows to type key tasks and indicators into.
fn blank_department() -> DepartmentForm {
    DepartmentForm {
        key_tasks: vec![KeyTask::default(); BLANK_TASKS],
        indicators: placeholders(),
        ..DepartmentForm::default()
    }
}

/// A project form with rows to type indicators into.
fn blank_project() -> ProjectForm {
    ProjectForm {
        period_indicators: placeholders(),
        annual_indicators: placeholders(),
        ..ProjectForm::default()
    }
}

/// Indicator rows with their own 一级/二级指标 each (the same on both
/// halves of a project form, so the halves share rows).
fn placeholders() -> Vec<Indicator> {
    (0..BLANK_INDICATORS)
        .map(|i| Indicator {
            level1: format!("{PLACEHOLDER}{i}"),
            level2: format!("{PLACEHOLDER}{i}"),
            level3: String::new(),
            value: IndicatorValue::parse(""),
        })
        .collect()
}

/// Gives every amount of every form a value (0), for the probe.
fn set_every_amount(perf: &mut Performance) {
    let zero = |a: &mut Option<Amount>| {
        if a.is_none() {
            *a = Some(Amount::new(Decimal::ZERO));
        }
    };
    if let Some(d) = perf.department.as_mut() {
        let s = &mut d.funds_by_source;
        for a in [
            &mut s.total,
            &mut s.general,
            &mut s.gov_fund,
            &mut s.state_capital,
            &mut s.social_insurance,
            &mut s.special,
            &mut s.unit,
        ] {
            zero(a);
        }
        let u = &mut d.funds_by_use;
        for a in [&mut u.total, &mut u.basic, &mut u.project] {
            zero(a);
        }
    }
    for p in &mut perf.projects {
        for f in [&mut p.period_funds, &mut p.annual_funds] {
            for a in [
                &mut f.total,
                &mut f.central,
                &mut f.provincial,
                &mut f.local,
                &mut f.self_raised,
                &mut f.other,
            ] {
                zero(a);
            }
        }
    }
}

/// True when (`r`, `c`) lies inside a merge without being its first cell.
fn covered(table: &Table, r: usize, c: usize) -> bool {
    table.body_merges.iter().any(|m| {
        (m.row..=m.last_row).contains(&r)
            && (m.col..=m.last_col).contains(&c)
            && (m.row, m.col) != (r, c)
    })
}

/// A laid-out form as a fill-in table: placeholders cleared, every value
/// cell an input, the department's name a formula when not typed.
fn fill_form(mut table: Table, probe: &Table, department: &str) -> FillTable {
    for cell in table.rows.iter_mut().flat_map(|r| r.cells.iter_mut()) {
        if matches!(cell, Cell::Text(s) if s.starts_with(PLACEHOLDER)) {
            *cell = Cell::Empty;
        }
    }
    let mut inputs = Vec::new();
    let mut formulas = Vec::new();
    for (r, row) in probe.rows.iter().enumerate() {
        for (c, cell) in row.cells.iter().enumerate() {
            if table.label_cells.contains(&(r, c)) || covered(&table, r, c) {
                continue;
            }
            match cell {
                Cell::Text(t) if t == DEPARTMENT_MARK => {
                    if let Some(slot) = table.rows.get_mut(r).and_then(|x| x.cells.get_mut(c)) {
                        *slot = Cell::text(department);
                    }
                    formulas.push((r, c, Formula::Department));
                }
                Cell::Amount(_) => inputs.push((r, c, Input::Amount)),
                Cell::Text(_) => inputs.push((r, c, Input::Text)),
                // Blank space of the layout (under the staff counts …).
                Cell::Empty => {}
            }
        }
    }
    FillTable {
        table,
        inputs,
        formulas,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_forms_have_inputs_for_every_value_and_no_placeholder_left() {
        let b = Budget {
            department: "测试局".into(),
            year: 2026,
            ..Budget::default()
        };
        let forms = fill_in_forms(&b, 2, &Template::load("sx-2025").unwrap());
        assert_eq!(forms.len(), 3);
        let dept = &forms[0];
        // The name is the instructions sheet's, by formula; 7 + 3 amounts.
        assert!(matches!(
            dept.formulas.as_slice(),
            [(0, 2, Formula::Department)]
        ));
        let amounts = dept.inputs.iter().filter(|i| i.2 == Input::Amount).count();
        assert_eq!(amounts, 10);
        let project = &forms[1];
        let amounts = project
            .inputs
            .iter()
            .filter(|i| i.2 == Input::Amount)
            .count();
        assert_eq!(amounts, 12);
        // No label is an input, and every indicator row has its own cells.
        for f in &forms {
            assert!(f
                .inputs
                .iter()
                .all(|(r, c, _)| !f.table.label_cells.contains(&(*r, *c))));
            assert!(f
                .table
                .rows
                .iter()
                .flat_map(|r| &r.cells)
                .all(|c| !c.display().starts_with(PLACEHOLDER)));
        }
        // Blank indicator rows are not merged down: only labels span rows.
        let t = &project.table;
        assert!(t
            .body_merges
            .iter()
            .all(|m| m.row == m.last_row || t.label_cells.contains(&(m.row, m.col))));
        assert_eq!(dept.table.rows[0].cells[2], Cell::text("测试局"));
        // The blank space left of 其中:在编人员数 is no input; its value is.
        assert_eq!(dept.input_at(3, 1), None);
        assert_eq!(dept.input_at(3, 4), Some(Input::Text));
    }
}
