//! The standard tables 预算公开表1–13, each a pure function of the model.

use super::frame::{frame, row_by_keys, NO_DATA_NOTE};
use super::functions::{function_row, line_value, shows};
use super::table::{Cell, Row, RowStyle, Table};
use crate::model::{add_opt, Budget, Project, Sources, FISCAL_KEYS, SOURCE_KEYS};
use crate::spec::{Layout, TableSpec, Template};
use rust_decimal::Decimal;

/// All tables of `template` for `budget`, in template order.
pub fn standard_tables(budget: &Budget, template: &Template) -> Vec<Table> {
    template
        .tables
        .iter()
        .map(|spec| standard_table(budget, template, spec))
        .collect()
}

/// One table of the template.
pub fn standard_table(budget: &Budget, template: &Template, spec: &TableSpec) -> Table {
    let mut t = frame(spec, template, budget);
    t.rows = match spec.layout {
        Layout::Summary | Layout::FiscalSummary => summary_rows(budget, spec),
        Layout::Functions => functions_rows(budget, spec),
        Layout::Economic => economic_rows(budget, spec),
        Layout::IncomeLines => income_rows(budget, spec),
        Layout::Capital => capital_rows(budget, spec),
        Layout::ThreePublic => three_public_rows(budget, spec),
        Layout::OperatingCosts => operating_rows(budget, spec),
        Layout::Projects => project_rows(budget, spec),
    };
    if is_without_data(budget, spec) {
        t.note = Some(NO_DATA_NOTE.to_string());
    }
    t
}

/// True when a table has no data rows and is published with 注：本表无数据.
pub fn is_without_data(budget: &Budget, spec: &TableSpec) -> bool {
    let scope = spec.scope.as_deref().unwrap_or("all");
    match spec.layout {
        Layout::Functions => !budget.functions.lines.iter().any(|l| shows(l, scope)),
        Layout::IncomeLines => income_table(budget, spec).lines.is_empty(),
        Layout::Capital => {
            budget.capital_income.lines.is_empty()
                && !budget.functions.lines.iter().any(|l| shows(l, scope))
        }
        Layout::Projects => projects(budget, spec).is_empty(),
        _ => false,
    }
}

fn summary_rows(b: &Budget, spec: &TableSpec) -> Vec<Row> {
    let fiscal = spec.layout == Layout::FiscalSummary;
    let total = &b.functions.total;
    let year_end = b.year_end_carryover.as_ref().map(|a| a.value);
    // Carry-over: all of it in 表1, the fiscal part by fund in 表4.
    let carryover = if fiscal {
        b.fiscal_carryover.fiscal()
    } else {
        total.carryover.as_ref().map(|a| a.value)
    };
    let current = |line: &crate::model::FunctionLine| {
        if fiscal {
            line.income.fiscal()
        } else {
            line.income.total()
        }
    };
    let income = |key: &str| -> Option<Decimal> {
        match key {
            "income_total" => current(total),
            "carryover" => carryover,
            "grand_total" => add_opt(current(total), carryover),
            k => match k.strip_prefix("carryover.") {
                Some(src) => b.fiscal_carryover.get(src).map(|a| a.value),
                None => total.income.get(k).map(|a| a.value),
            },
        }
    };
    // Expenditure amounts of one 类 (or a total row) under an output column.
    let expense = |key: &str, col: &str| -> Option<Decimal> {
        let fund = |line: &crate::model::FunctionLine, f: &str| line.income.get(f).map(|a| a.value);
        match key {
            "year_end" => (col == "out.total").then_some(year_end).flatten(),
            "expense_total" | "grand_total" => {
                let extra = if key == "grand_total" { year_end } else { None };
                match col {
                    "out.total" => add_opt(add_opt(current(total), carryover), extra),
                    "out.current" => current(total),
                    "out.carryover" => carryover,
                    c => {
                        let f = c.strip_prefix("out.").unwrap_or(c);
                        let carried = if key == "grand_total" {
                            b.fiscal_carryover.get(f).map(|a| a.value)
                        } else {
                            None
                        };
                        add_opt(fund(total, f), carried)
                    }
                }
            }
            code => {
                let line = b.functions.lines.iter().find(|l| l.code == code)?;
                let carried = if fiscal {
                    None
                } else {
                    line.carryover.as_ref().map(|a| a.value)
                };
                match col {
                    "out.total" => add_opt(current(line), carried),
                    "out.current" => current(line),
                    "out.carryover" => carried,
                    c => fund(line, c.strip_prefix("out.").unwrap_or(c)),
                }
            }
        }
    };
    let n = spec.income_rows.len().max(spec.expense_rows.len());
    let mut rows = Vec::new();
    for i in 0..n {
        let inc = spec.income_rows.get(i);
        let exp = spec.expense_rows.get(i);
        rows.push(row_by_keys(spec, RowStyle::Normal, |col| match col {
            "in.label" => inc.map_or(Cell::Empty, |r| Cell::text(&r.0)),
            "in.amount" => Cell::amount(inc.and_then(|r| income(&r.1))),
            "out.label" => exp.map_or(Cell::Empty, |r| Cell::text(&r.0)),
            c => Cell::amount(exp.and_then(|r| expense(&r.1, c))),
        }));
    }
    for f in &spec.footer_rows {
        let style = if f.1.contains("total") {
            RowStyle::Total
        } else {
            RowStyle::Normal
        };
        rows.push(row_by_keys(spec, style, |col| match col {
            "in.label" => Cell::text(&f.0),
            "in.amount" if f.1.is_empty() => Cell::Empty,
            "in.amount" => Cell::amount(income(&f.1)),
            "out.label" if f.2.is_empty() => Cell::Empty,
            "out.label" => Cell::text(&f.2),
            _ if f.3.is_empty() => Cell::Empty,
            c => Cell::amount(expense(&f.3, c)),
        }));
    }
    rows
}

fn functions_rows(b: &Budget, spec: &TableSpec) -> Vec<Row> {
    let scope = spec.scope.as_deref().unwrap_or("all");
    let mut rows = vec![function_row(spec, &b.functions.total, true)];
    rows.extend(
        b.functions
            .lines
            .iter()
            .filter(|l| shows(l, scope))
            .map(|l| function_row(spec, l, false)),
    );
    rows
}

fn economic_rows(b: &Budget, spec: &TableSpec) -> Vec<Row> {
    let e = &b.economic;
    let costs_cell = |c: &crate::model::Costs, key: &str| match key {
        "total" => Cell::amount(c.total()),
        "personnel" => Cell::amount(c.personnel.as_ref().map(|a| a.value)),
        "public" => Cell::amount(c.public.as_ref().map(|a| a.value)),
        _ => Cell::Empty,
    };
    let mut rows = vec![row_by_keys(spec, RowStyle::Total, |k| match k {
        "name" => Cell::text("合计"),
        "gov_name" => Cell::Empty,
        k => costs_cell(&e.total, k),
    })];
    for g in &e.groups {
        rows.push(row_by_keys(spec, RowStyle::Group, |k| match k {
            "name" => Cell::text(&g.name),
            "gov_name" => Cell::Empty,
            k => costs_cell(&g.costs, k),
        }));
        for item in &g.items {
            rows.push(row_by_keys(spec, RowStyle::Normal, |k| match k {
                "name" => Cell::text(&item.name),
                "gov_name" => Cell::text(&item.gov_name),
                k => costs_cell(&item.costs, k),
            }));
        }
    }
    rows
}

fn income_table<'a>(b: &'a Budget, spec: &TableSpec) -> &'a crate::model::IncomeTable {
    match spec.source.as_deref() {
        Some("state_capital") => &b.capital_income,
        _ => &b.fund_income,
    }
}

fn income_rows(b: &Budget, spec: &TableSpec) -> Vec<Row> {
    let table = income_table(b, spec);
    let mut rows = vec![row_by_keys(spec, RowStyle::Total, |k| match k {
        "code" => Cell::text("合计"),
        "amount" => Cell::amount(table.total.as_ref().map(|a| a.value)),
        _ => Cell::Empty,
    })];
    for line in &table.lines {
        rows.push(row_by_keys(spec, RowStyle::Normal, |k| match k {
            "code" => Cell::text(&line.code),
            "name" => Cell::text(&line.name),
            "amount" => Cell::amount(line.amount.as_ref().map(|a| a.value)),
            _ => Cell::Empty,
        }));
    }
    rows
}

fn capital_rows(b: &Budget, spec: &TableSpec) -> Vec<Row> {
    let scope = spec.scope.as_deref().unwrap_or("state_capital");
    let income = &b.capital_income;
    let lines: Vec<_> = b
        .functions
        .lines
        .iter()
        .filter(|l| shows(l, scope))
        .collect();
    let has_spending = !lines.is_empty();
    let total = &b.functions.total;
    let mut rows = vec![row_by_keys(spec, RowStyle::Total, |k| match k {
        "in.code" => Cell::text("合计"),
        "in.amount" => Cell::amount(income.total.as_ref().map(|a| a.value)),
        "total" | "basic" | "project" if has_spending => Cell::amount(line_value(total, k, scope)),
        _ => Cell::Empty,
    })];
    for i in 0..income.lines.len().max(lines.len()) {
        let inc = income.lines.get(i);
        let line = lines.get(i);
        rows.push(row_by_keys(spec, RowStyle::Normal, |k| match k {
            "in.code" => inc.map_or(Cell::Empty, |l| Cell::text(&l.code)),
            "in.name" => inc.map_or(Cell::Empty, |l| Cell::text(&l.name)),
            "in.amount" => Cell::amount(inc.and_then(|l| l.amount.as_ref().map(|a| a.value))),
            "code" => line.map_or(Cell::Empty, |l| Cell::text(&l.code)),
            "name" => line.map_or(Cell::Empty, |l| Cell::text(&l.name)),
            k => Cell::amount(line.and_then(|l| line_value(l, k, scope))),
        }));
    }
    rows
}

/// Adds sources fund by fund.
fn add_sources(parts: &[&Sources]) -> Vec<(&'static str, Option<Decimal>)> {
    SOURCE_KEYS
        .iter()
        .map(|k| {
            let v = parts
                .iter()
                .fold(None, |acc, s| add_opt(acc, s.get(k).map(|a| a.value)));
            (*k, v)
        })
        .collect()
}

fn sums_cell(sums: &[(&str, Option<Decimal>)], key: &str, fiscal_only: bool) -> Cell {
    let pick = |k: &str| sums.iter().find(|(s, _)| *s == k).and_then(|(_, v)| *v);
    match key {
        "total" => {
            let keys: &[&str] = if fiscal_only {
                &FISCAL_KEYS
            } else {
                &SOURCE_KEYS
            };
            Cell::amount(keys.iter().fold(None, |acc, k| add_opt(acc, pick(k))))
        }
        k => Cell::amount(k.strip_prefix("src.").and_then(pick)),
    }
}

/// The "三公" items behind a row or column key (`vehicle` = purchase +
/// operation, `total` = all four).
pub fn three_public_parts<'a>(t: &'a crate::model::ThreePublic, key: &str) -> Vec<&'a Sources> {
    match key {
        "abroad" => vec![&t.abroad],
        "reception" => vec![&t.reception],
        "vehicle" => vec![&t.vehicle_purchase, &t.vehicle_operation],
        "vehicle_purchase" => vec![&t.vehicle_purchase],
        "vehicle_operation" => vec![&t.vehicle_operation],
        "total" => vec![
            &t.abroad,
            &t.reception,
            &t.vehicle_purchase,
            &t.vehicle_operation,
        ],
        _ => vec![],
    }
}

fn three_public_rows(b: &Budget, spec: &TableSpec) -> Vec<Row> {
    let t = &b.three_public;
    if spec.fixed_rows.is_empty() {
        // One row, the items as columns, amounts of the `scope` fund.
        let fund = format!("src.{}", spec.scope.as_deref().unwrap_or("general"));
        return vec![row_by_keys(spec, RowStyle::Normal, |k| {
            sums_cell(&add_sources(&three_public_parts(t, k)), &fund, true)
        })];
    }
    spec.fixed_rows
        .iter()
        .map(|fixed| {
            let parts = three_public_parts(t, &fixed.1);
            let sums = add_sources(&parts);
            let style = if fixed.1 == "total" {
                RowStyle::Total
            } else {
                RowStyle::Normal
            };
            row_by_keys(spec, style, |k| match k {
                "label" => Cell::text(&fixed.0),
                k => sums_cell(&sums, k, true),
            })
        })
        .collect()
}

fn operating_rows(b: &Budget, spec: &TableSpec) -> Vec<Row> {
    let all: Vec<&Sources> = b.operating_costs.iter().map(|u| &u.funds).collect();
    let sums = add_sources(&all);
    let label = spec.total_label.as_deref().unwrap_or("合计");
    let mut rows = vec![row_by_keys(spec, RowStyle::Total, |k| match k {
        "unit" => Cell::text(label),
        k => sums_cell(&sums, k, true),
    })];
    for u in &b.operating_costs {
        let sums = add_sources(&[&u.funds]);
        rows.push(row_by_keys(spec, RowStyle::Normal, |k| match k {
            "unit" => Cell::text(&u.unit),
            k => sums_cell(&sums, k, true),
        }));
    }
    rows
}

fn projects<'a>(b: &'a Budget, spec: &TableSpec) -> &'a [Project] {
    if spec.carryover {
        &b.carryover_projects
    } else {
        &b.projects
    }
}

/// Units in listing order: the budget's units first, then any unit named
/// only by a project.
pub fn project_units<'a>(b: &'a Budget, projects: &'a [Project]) -> Vec<&'a str> {
    let mut units: Vec<&str> = b
        .units
        .iter()
        .map(String::as_str)
        .filter(|u| projects.iter().any(|p| p.unit == *u))
        .collect();
    for p in projects {
        if !units.contains(&p.unit.as_str()) {
            units.push(&p.unit);
        }
    }
    units
}

fn project_rows(b: &Budget, spec: &TableSpec) -> Vec<Row> {
    let projects = projects(b, spec);
    if projects.is_empty() {
        return Vec::new();
    }
    let fiscal_only = spec.carryover;
    let group_row = |name: &str, members: Vec<&Sources>, style| {
        let sums = add_sources(&members);
        row_by_keys(spec, style, |k| match k {
            "name" => Cell::text(name),
            k => sums_cell(&sums, k, fiscal_only),
        })
    };
    let mut rows = vec![group_row(
        &b.department,
        projects.iter().map(|p| &p.sources).collect(),
        RowStyle::Total,
    )];
    for unit in project_units(b, projects) {
        let members: Vec<&Project> = projects.iter().filter(|p| p.unit == unit).collect();
        rows.push(group_row(
            unit,
            members.iter().map(|p| &p.sources).collect(),
            RowStyle::Group,
        ));
        for p in members {
            rows.push(group_row(&p.name, vec![&p.sources], RowStyle::Normal));
        }
    }
    rows
}
