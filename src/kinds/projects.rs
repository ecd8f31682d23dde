//! Project tables (表12 项目支出预算表（本年预算）, 表13 项目支出预算表
//! （上年结转）): the department row, then units, each followed by its
//! projects, by source.
//!
//! How the rows group is one interpretation, used by the reader (which
//! turns the groups into model facts) and by the rules (which compare the
//! groups' cells), so the two cannot disagree:
//!
//! - The first named row is the department row, whatever it is called
//!   (`朔州市促进外来投资局`, `…局合计`, `合计`): the layout puts it there.
//! - A row naming a unit of the budget (from 表11) or ending in `(本级)`
//!   starts a unit.
//! - A unit that 表11 does not list (a 事业单位 without 机关运行经费) is
//!   recognised by structure: each unit's rows add up to its total, so the
//!   row after them starts the next unit. This reading is taken only when
//!   the whole table then adds up (every unit = Σ its projects, the
//!   department = Σ units and loose projects, within rounding); otherwise
//!   only the named units count, and the rules report what does not add up.

use super::fill::{FillContext, FillTable, Formula, Input};
use super::functions::fill_line_cells;
use super::relation::{amount_columns, GroupSum, RowName, RowSum};
use super::{
    add_sources, is_total, row_by_keys, row_sources, sums_cell, Located, Reading, TableKind,
};
use crate::filed::{FiledRow, FiledTable};
use crate::model::{label_key, parse_amount, Budget, Project, Sources};
use crate::spec::{ColumnKey, TableSpec};
use crate::table::{Cell, Row, RowStyle};
use rust_decimal::Decimal;

/// The project-table kind.
pub struct Projects;

/// The 表12/13 rows: the department row, units with their projects, and
/// projects filed before any unit.
#[derive(Debug, Default)]
pub struct ProjectRows<'a> {
    /// The first (department) row.
    pub department: Option<&'a FiledRow>,
    /// Units: (unit row, project rows).
    pub units: Vec<(&'a FiledRow, Vec<&'a FiledRow>)>,
    /// Projects listed directly under the department.
    pub loose: Vec<&'a FiledRow>,
}

impl<'a> ProjectRows<'a> {
    /// Every project row in filed order.
    pub fn projects(&self) -> Vec<&'a FiledRow> {
        let mut all = self.loose.clone();
        for (_, p) in &self.units {
            all.extend(p.iter().copied());
        }
        all
    }
}

/// Splits a project table into its department row, units and projects.
/// `units` are the budget's known units (from 表11), by name.
pub fn split_project_rows<'a>(
    filed: &'a FiledTable,
    spec: &TableSpec,
    units: &[String],
) -> ProjectRows<'a> {
    let mut known: Vec<String> = units.iter().map(|u| label_key(u)).collect();
    known.sort_unstable();
    let mut named = filed
        .rows
        .iter()
        .filter(|r| !r.key(spec, ColumnKey::Name).is_empty());
    let department = named.next();
    let body: Vec<&FiledRow> = named.collect();
    let is_named_unit = |r: &FiledRow| {
        let key = r.key(spec, ColumnKey::Name);
        known.binary_search(&key).is_ok() || key.ends_with("(本级)")
    };
    let named_units: Vec<bool> = body.iter().map(|r| is_named_unit(r)).collect();
    let total = |r: &FiledRow| row_total(spec, r);
    let department_total = department.and_then(&total);
    let flags = chained_units(&body, &named_units, &total)
        .filter(|f| *f != named_units && adds_up(department_total, &body, f, &total))
        .unwrap_or(named_units);
    group(department, &body, &flags)
}

/// A row's 合计 in the table's unit, without findings (the reader reports
/// unreadable amounts where it reads them).
fn row_total(spec: &TableSpec, row: &FiledRow) -> Option<Decimal> {
    let cell = row.cell(spec, ColumnKey::Total)?;
    parse_amount(cell.text()).ok().flatten()
}

/// The rounding allowance of a sum of `n` two-decimal parts against a
/// two-decimal total (XBRL-style intervals: 0.005 per figure).
fn allowance(n: usize) -> Decimal {
    Decimal::new(5, 3) * Decimal::from(n.saturating_add(1))
}

fn close(a: Decimal, b: Decimal, n: usize) -> bool {
    a.checked_sub(b).is_some_and(|d| d.abs() <= allowance(n))
}

/// The unit rows by structure: from the first named unit on (or from the
/// first row when none is named), each unit takes the rows under it until
/// they add up to its total (and any zero rows after), and the next row
/// starts the next unit. `None` when a unit runs into a named unit or the
/// table's end before its rows add up.
fn chained_units(
    body: &[&FiledRow],
    named: &[bool],
    total: &dyn Fn(&FiledRow) -> Option<Decimal>,
) -> Option<Vec<bool>> {
    let is_named = |i: usize| named.get(i).copied().unwrap_or(false);
    let amount = |i: usize| body.get(i).and_then(|r| total(r)).unwrap_or_default();
    let mut flags = vec![false; body.len()];
    let mut i = (0..body.len()).find(|&i| is_named(i)).unwrap_or(0);
    while i < body.len() {
        *flags.get_mut(i)? = true;
        let target = amount(i);
        let mut sum = Decimal::ZERO;
        let mut j = i + 1;
        let mut n = 0;
        while !close(sum, target, n) {
            if j >= body.len() || is_named(j) || sum > target {
                return None;
            }
            sum = sum.checked_add(amount(j))?;
            n += 1;
            j += 1;
        }
        while j < body.len() && !is_named(j) && amount(j).is_zero() {
            j += 1;
        }
        if n == 0 {
            return None;
        }
        i = j;
    }
    Some(flags)
}

/// True when, with `flags` marking the unit rows, every unit is the sum of
/// its projects and the department (when it has a total) the sum of its
/// units and loose projects.
fn adds_up(
    department: Option<Decimal>,
    body: &[&FiledRow],
    flags: &[bool],
    total: &dyn Fn(&FiledRow) -> Option<Decimal>,
) -> bool {
    let grouped = group(None, body, flags);
    let sum = |rows: &[&FiledRow]| {
        rows.iter().try_fold(Decimal::ZERO, |acc, r| {
            acc.checked_add(total(r).unwrap_or_default())
        })
    };
    let units_ok = grouped.units.iter().all(|(u, projects)| {
        !projects.is_empty()
            && sum(projects)
                .zip(total(u))
                .is_some_and(|(s, t)| close(s, t, projects.len()))
    });
    let top: Vec<&FiledRow> = grouped
        .units
        .iter()
        .map(|(u, _)| *u)
        .chain(grouped.loose.iter().copied())
        .collect();
    let department_ok =
        department.is_none_or(|d| sum(&top).is_some_and(|s| close(s, d, top.len())));
    units_ok && department_ok
}

fn group<'a>(
    department: Option<&'a FiledRow>,
    body: &[&'a FiledRow],
    flags: &[bool],
) -> ProjectRows<'a> {
    let mut out = ProjectRows {
        department,
        ..ProjectRows::default()
    };
    for (row, is_unit) in body.iter().zip(flags) {
        if *is_unit {
            out.units.push((row, Vec::new()));
        } else if let Some((_, projects)) = out.units.last_mut() {
            projects.push(row);
        } else {
            out.loose.push(row);
        }
    }
    out
}

/// The model's projects a spec shows.
fn projects_of<'a>(b: &'a Budget, spec: &TableSpec) -> &'a [Project] {
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

impl TableKind for Projects {
    fn read(&self, tables: &[(&FiledTable, &TableSpec)], r: &mut Reading<'_>) {
        for (table, spec) in tables {
            let rows = split_project_rows(table, spec, &r.budget.units);
            if let Some(name) = rows.department.map(|row| row.text(spec, ColumnKey::Name)) {
                if r.budget.department.is_empty() && !is_total(&label_key(&name)) {
                    r.budget.department = name;
                }
            }
            let mut projects = Vec::new();
            let project = |unit: &str, row: &FiledRow, r: &mut Reading<'_>| Project {
                unit: if unit.is_empty() {
                    r.budget.department.clone()
                } else {
                    unit.to_string()
                },
                name: row.text(spec, ColumnKey::Name),
                sources: row_sources(table, spec, row, r.findings),
            };
            for row in &rows.loose {
                projects.push(project("", row, r));
            }
            for (unit_row, unit_projects) in &rows.units {
                let unit = unit_row.text(spec, ColumnKey::Name);
                if !r
                    .budget
                    .units
                    .iter()
                    .any(|u| label_key(u) == label_key(&unit))
                {
                    r.budget.units.push(unit.clone());
                }
                for row in unit_projects {
                    projects.push(project(&unit, row, r));
                }
            }
            if spec.carryover {
                r.budget.carryover_projects = projects;
            } else {
                r.budget.projects = projects;
            }
        }
    }

    fn rows(&self, b: &Budget, spec: &TableSpec) -> Vec<Row> {
        let projects = projects_of(b, spec);
        if projects.is_empty() {
            return Vec::new();
        }
        let fiscal_only = spec.carryover;
        let group_row = |name: &str, members: Vec<&Sources>, style| {
            let sums = add_sources(&members);
            row_by_keys(spec, style, |k| match k {
                ColumnKey::Name => Cell::text(name),
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

    fn is_without_data(&self, b: &Budget, spec: &TableSpec) -> bool {
        projects_of(b, spec).is_empty()
    }

    fn supplies(&self, spec: &TableSpec) -> Vec<String> {
        vec![if spec.carryover {
            "carryover_projects".to_string()
        } else {
            "projects".to_string()
        }]
    }

    fn row_sums(&self, spec: &TableSpec) -> Vec<RowSum> {
        RowSum::of_sources(spec, ColumnKey::Total, spec.carryover)
            .into_iter()
            .collect()
    }

    /// The department row = its units and loose projects (IT-PROJ-DEPT);
    /// each unit = its projects (IT-PROJ-UNIT).
    fn group_sums<'a>(&self, t: Located<'a>) -> Vec<GroupSum<'a>> {
        let spec = t.spec;
        let rows = split_project_rows(t.table, spec, t.units);
        let columns = amount_columns(spec);
        let name = || RowName::Cell(ColumnKey::Name);
        let mut sums = Vec::new();
        let members: Vec<&FiledRow> = rows
            .units
            .iter()
            .map(|(u, _)| *u)
            .chain(rows.loose.iter().copied())
            .collect();
        if let (Some(dept), false) = (rows.department, members.is_empty()) {
            sums.push(GroupSum::of(
                "IT-PROJ-DEPT",
                (name(), dept),
                members,
                name(),
                &columns,
                "各单位",
            ));
        }
        for (unit, projects) in &rows.units {
            if projects.is_empty() {
                continue;
            }
            sums.push(GroupSum::of(
                "IT-PROJ-UNIT",
                (name(), *unit),
                projects.iter().copied(),
                name(),
                &columns,
                format!("{}各项目", unit.text(spec, ColumnKey::Name)),
            ));
        }
        sums
    }

    fn min_fill_rows(&self) -> usize {
        40
    }

    fn first_fill_row(&self, b: &Budget, spec: &TableSpec) -> Option<Row> {
        let mut first = Row::new(vec![Cell::Empty; spec.columns.len()], RowStyle::Total);
        if let Some(cell) = spec
            .col(ColumnKey::Name)
            .and_then(|c| first.cells.get_mut(c))
        {
            *cell = Cell::text(&b.department);
        }
        Some(first)
    }

    fn may_be_empty(&self, _spec: &TableSpec) -> bool {
        true
    }

    fn fill_cells(&self, fill: &mut FillTable, spec: &TableSpec, _cx: &FillContext<'_>) {
        // The first row names the department typed on the 填报说明 sheet.
        if let Some(c) = spec.col(ColumnKey::Name) {
            fill.formulas.push((0, c, Formula::Department));
        }
        fill_line_cells(fill, spec, &self.row_sums(spec), Input::Text);
    }

    fn help(&self, _spec: &TableSpec) -> &'static str {
        "按部门、单位、项目逐行填写"
    }
}
