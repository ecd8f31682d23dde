//! Building the canonical model from the filed tables.

use super::filed::{FiledRow, FiledTable};
use super::locate::align_fixed_rows;
use crate::findings::Finding;
use crate::model::{
    label_key, Amount, Budget, Costs, EconomicGroup, EconomicItem, FunctionLine, IncomeLine,
    Project, Sources, Split, UnitCost, SOURCE_KEYS,
};
use crate::spec::{Layout, TableSpec, Template};
use rust_decimal::Decimal;

/// The filed tables with their specs, for lookups by id.
pub struct Filed<'a> {
    /// Located tables.
    pub tables: &'a [FiledTable],
    /// The template they were read with.
    pub template: &'a Template,
}

impl<'a> Filed<'a> {
    /// A located table and its spec by id.
    pub fn get(&self, id: &str) -> Option<(&'a FiledTable, &'a TableSpec)> {
        let t = self.tables.iter().find(|t| t.id == id)?;
        Some((t, self.template.table(id)?))
    }

    /// Located tables of a layout, with their specs.
    pub fn of_layout(&self, layout: Layout) -> Vec<(&'a FiledTable, &'a TableSpec)> {
        self.tables
            .iter()
            .filter_map(|t| Some((t, self.template.table(&t.id)?)))
            .filter(|(_, s)| s.layout == layout)
            .collect()
    }
}

/// Builds the model from filed tables; problems become findings.
pub fn build_budget(filed: &Filed<'_>, findings: &mut Vec<Finding>) -> Budget {
    let mut b = Budget {
        template: filed.template.id.clone(),
        ..Budget::default()
    };
    if let Some(t) = filed.tables.first() {
        b.year = year_of(&t.title).unwrap_or_default();
    }
    b.department = filed
        .tables
        .iter()
        .find_map(|t| t.department.clone())
        .unwrap_or_default();
    read_functions(filed, &mut b, findings);
    read_summaries(filed, &mut b, findings);
    read_economic(filed, &mut b, findings);
    read_income_lines(filed, &mut b, findings);
    read_three_public(filed, &mut b, findings);
    read_operating(filed, &mut b, findings);
    read_projects(filed, &mut b, findings);
    b
}

/// The year at the start of a title (`2025年…` → 2025).
pub fn year_of(title: &str) -> Option<i32> {
    let k = label_key(title);
    let digits: String = k.chars().take_while(char::is_ascii_digit).collect();
    (digits.len() == 4).then(|| digits.parse().ok()).flatten()
}

fn is_total_label(s: &str) -> bool {
    matches!(s, "合计" | "总计")
}

/// The function-line code of a row, checked: 3, 5 or 7 digits.
fn row_code(
    spec: &TableSpec,
    row: &FiledRow,
    key: &str,
    findings: &mut Vec<Finding>,
) -> Option<String> {
    let code = row.key(spec, key);
    let code = code.strip_suffix(".0").unwrap_or(&code).to_string();
    if code.is_empty() {
        return None;
    }
    if !code.chars().all(|c| c.is_ascii_digit()) || ![3, 5, 7].contains(&code.len()) {
        if let Some(cell) = row.cell(spec, key) {
            findings.push(cell.error(
                "READ-CODE",
                format!("科目编码“{}”不是 3、5 或 7 位数字编码", cell.text),
                "3/5/7 位数字",
            ));
        }
        return None;
    }
    Some(code)
}

fn line_mut<'b>(b: &'b mut Budget, code: &str, name: &str) -> &'b mut FunctionLine {
    if code.is_empty() {
        if b.functions.total.name.is_empty() {
            b.functions.total.name = "合计".into();
        }
        return &mut b.functions.total;
    }
    let pos = match b.functions.lines.iter().position(|l| l.code == code) {
        Some(p) => p,
        None => {
            b.functions.lines.push(FunctionLine {
                code: code.to_string(),
                name: name.to_string(),
                ..FunctionLine::default()
            });
            b.functions.lines.len() - 1
        }
    };
    let line = &mut b.functions.lines[pos];
    if line.name.is_empty() {
        line.name = name.to_string();
    }
    line
}

/// Reads the function-line tables (表2/3/5/8 and 表9's spending side).
fn read_functions(filed: &Filed<'_>, b: &mut Budget, findings: &mut Vec<Finding>) {
    // 表3 totals by line, to derive the `other` split afterwards.
    let mut all_spending: Vec<(String, Split)> = Vec::new();
    let mut tables = filed.of_layout(Layout::Functions);
    // Read 表3-like (scope all) tables first so lines keep 表3's order.
    tables.sort_by_key(|(_, s)| s.scope.as_deref() != Some("all"));
    tables.extend(filed.of_layout(Layout::Capital));
    for (table, spec) in tables {
        let scope = spec.scope.as_deref().unwrap_or("income").to_string();
        for row in &table.rows {
            let label = row.key(spec, "code");
            let code = if is_total_label(&label) {
                String::new()
            } else if spec.layout == Layout::Capital {
                if is_total_label(&row.key(spec, "in.code")) {
                    String::new()
                } else {
                    match row_code(spec, row, "code", findings) {
                        Some(c) => c,
                        None => continue,
                    }
                }
            } else {
                match row_code(spec, row, "code", findings) {
                    Some(c) => c,
                    None => continue,
                }
            };
            let name = row.text(spec, "name");
            let basic = table.amount(row, spec, "basic", findings);
            let project = table.amount(row, spec, "project", findings);
            if spec.col("current").is_some() || spec.col("src.general").is_some() {
                let mut income = Sources::default();
                for k in SOURCE_KEYS {
                    if let Some(slot) = income.slot(k) {
                        *slot = table.amount(row, spec, &format!("src.{k}"), findings);
                    }
                }
                let carry = table.amount(row, spec, "carryover", findings);
                let line = line_mut(b, &code, &name);
                line.income = income;
                line.carryover = carry;
            }
            match scope.as_str() {
                "all" => all_spending.push((code.clone(), Split { basic, project })),
                "income" => {}
                s => {
                    if spec.layout == Layout::Capital && basic.is_none() && project.is_none() {
                        continue;
                    }
                    let line = line_mut(b, &code, &name);
                    if let Some(split) = line.split_mut(s) {
                        *split = Split { basic, project };
                    }
                }
            }
        }
    }
    for (code, spent) in all_spending {
        let line = line_mut(b, &code, "");
        let other_of = |filed_v: Option<Amount>, parts: Option<Decimal>| -> Option<Amount> {
            let rest =
                filed_v.as_ref().map_or(Decimal::ZERO, |a| a.value) - parts.unwrap_or_default();
            (!rest.is_zero()).then(|| Amount {
                value: rest,
                at: filed_v.and_then(|a| a.at),
            })
        };
        // 基本/项目 spending of the fiscal funds on this line.
        let fund_sum = |part: fn(&Split) -> Option<&Amount>| {
            ["general", "gov_fund", "state_capital"]
                .iter()
                .fold(None, |acc, s| {
                    crate::model::add_opt(acc, line.split(s).and_then(part).map(|a| a.value))
                })
        };
        let fund_basic = fund_sum(|x| x.basic.as_ref());
        let fund_project = fund_sum(|x| x.project.as_ref());
        line.other = Split {
            basic: other_of(spent.basic, fund_basic),
            project: other_of(spent.project, fund_project),
        };
    }
}

/// Reads the facts only 表1/表4 state: 年终结转 and the fiscal carry-over
/// by fund.
fn read_summaries(filed: &Filed<'_>, b: &mut Budget, findings: &mut Vec<Finding>) {
    for layout in [Layout::Summary, Layout::FiscalSummary] {
        for (table, spec) in filed.of_layout(layout) {
            let left: Vec<&str> = spec
                .income_rows
                .iter()
                .map(|r| r.0.as_str())
                .chain(spec.footer_rows.iter().map(|f| f.0.as_str()))
                .collect();
            let right: Vec<&str> = spec
                .expense_rows
                .iter()
                .map(|r| r.0.as_str())
                .chain(spec.footer_rows.iter().map(|f| f.2.as_str()))
                .collect();
            let at_left = align_fixed_rows(&table.rows, spec, "in.label", &left);
            let at_right = align_fixed_rows(&table.rows, spec, "out.label", &right);
            let n_in = spec.income_rows.len();
            let n_out = spec.expense_rows.len();
            for (i, f) in spec.footer_rows.iter().enumerate() {
                if let Some(src) = f.1.strip_prefix("carryover.") {
                    let row = at_left.get(n_in + i).copied().flatten();
                    if let Some(row) = row.and_then(|r| table.rows.get(r)) {
                        let v = table.amount(row, spec, "in.amount", findings);
                        if let Some(slot) = b.fiscal_carryover.slot(src) {
                            *slot = v;
                        }
                    }
                }
                if f.3 == "year_end" && layout == Layout::Summary {
                    let row = at_right.get(n_out + i).copied().flatten();
                    if let Some(row) = row.and_then(|r| table.rows.get(r)) {
                        b.year_end_carryover = table.amount(row, spec, "out.total", findings);
                    }
                }
            }
        }
    }
}

fn costs(table: &FiledTable, spec: &TableSpec, row: &FiledRow, f: &mut Vec<Finding>) -> Costs {
    Costs {
        personnel: table.amount(row, spec, "personnel", f),
        public: table.amount(row, spec, "public", f),
    }
}

fn read_economic(filed: &Filed<'_>, b: &mut Budget, findings: &mut Vec<Finding>) {
    for (table, spec) in filed.of_layout(Layout::Economic) {
        // amounts read in filed order (so are their findings), then grouped
        let mut costs_at: std::collections::HashMap<u32, Costs> = table
            .rows
            .iter()
            .map(|r| (r.row, costs(table, spec, r, findings)))
            .collect();
        let mut take = |r: &FiledRow| costs_at.remove(&r.row).unwrap_or_default();
        let rows = super::split_economic_rows(table, spec);
        let item = |r: &FiledRow, take: &mut dyn FnMut(&FiledRow) -> Costs| EconomicItem {
            name: r.text(spec, "name"),
            gov_name: r.text(spec, "gov_name"),
            costs: take(r),
        };
        if let Some(total) = rows.total {
            b.economic.total = take(total);
        }
        if !rows.ungrouped.is_empty() {
            let items = rows.ungrouped.iter().map(|r| item(r, &mut take)).collect();
            b.economic.groups.push(EconomicGroup {
                name: String::new(),
                costs: Costs::default(),
                items,
            });
        }
        for (group, items) in &rows.groups {
            let costs = take(group);
            let items = items.iter().map(|r| item(r, &mut take)).collect();
            b.economic.groups.push(EconomicGroup {
                name: group.text(spec, "name"),
                costs,
                items,
            });
        }
    }
}

fn read_income_lines(filed: &Filed<'_>, b: &mut Budget, findings: &mut Vec<Finding>) {
    let mut read = |table: &FiledTable, spec: &TableSpec, prefix: &str, capital: bool| {
        let key = |k: &str| format!("{prefix}{k}");
        let target = if capital {
            &mut b.capital_income
        } else {
            &mut b.fund_income
        };
        for row in &table.rows {
            let code = row.key(spec, &key("code"));
            let amount = table.amount(row, spec, &key("amount"), findings);
            if is_total_label(&code) {
                target.total = amount;
            } else if !code.is_empty() {
                target.lines.push(IncomeLine {
                    code,
                    name: row.text(spec, &key("name")),
                    amount,
                });
            }
        }
    };
    for (table, spec) in filed.of_layout(Layout::IncomeLines) {
        let capital = spec.source.as_deref() == Some("state_capital");
        read(table, spec, "", capital);
    }
    for (table, spec) in filed.of_layout(Layout::Capital) {
        read(table, spec, "in.", true);
    }
}

fn fund_sources(
    table: &FiledTable,
    spec: &TableSpec,
    row: &FiledRow,
    findings: &mut Vec<Finding>,
) -> Sources {
    let mut s = Sources::default();
    for k in SOURCE_KEYS {
        if spec.col(&format!("src.{k}")).is_some() {
            if let Some(slot) = s.slot(k) {
                *slot = table.amount(row, spec, &format!("src.{k}"), findings);
            }
        }
    }
    s
}

fn read_three_public(filed: &Filed<'_>, b: &mut Budget, findings: &mut Vec<Finding>) {
    for (table, spec) in filed.of_layout(Layout::ThreePublic) {
        if spec.fixed_rows.is_empty() {
            read_three_public_row(table, spec, b, findings);
            continue;
        }
        let labels: Vec<&str> = spec.fixed_rows.iter().map(|r| r.0.as_str()).collect();
        let at = align_fixed_rows(&table.rows, spec, "label", &labels);
        for (fixed, row) in spec.fixed_rows.iter().zip(at) {
            let Some(row) = row.and_then(|r| table.rows.get(r)) else {
                continue;
            };
            let t = &mut b.three_public;
            let slot = match fixed.1.as_str() {
                "abroad" => &mut t.abroad,
                "reception" => &mut t.reception,
                "vehicle_purchase" => &mut t.vehicle_purchase,
                "vehicle_operation" => &mut t.vehicle_operation,
                _ => continue,
            };
            *slot = fund_sources(table, spec, row, findings);
        }
    }
}

/// A "三公" table with the items as columns (one row, one fund).
fn read_three_public_row(
    table: &FiledTable,
    spec: &TableSpec,
    b: &mut Budget,
    findings: &mut Vec<Finding>,
) {
    let Some(row) = table.rows.first() else {
        return;
    };
    let fund = spec.scope.as_deref().unwrap_or("general");
    let t = &mut b.three_public;
    for (key, item) in [
        ("abroad", &mut t.abroad),
        ("reception", &mut t.reception),
        ("vehicle_purchase", &mut t.vehicle_purchase),
        ("vehicle_operation", &mut t.vehicle_operation),
    ] {
        if let Some(slot) = item.slot(fund) {
            *slot = table.amount(row, spec, key, findings);
        }
    }
}

fn read_operating(filed: &Filed<'_>, b: &mut Budget, findings: &mut Vec<Finding>) {
    for (table, spec) in filed.of_layout(Layout::OperatingCosts) {
        let total = label_key(spec.total_label.as_deref().unwrap_or("合计"));
        for row in &table.rows {
            let unit = row.text(spec, "unit");
            let k = label_key(&unit);
            if k == total || is_total_label(&k) || unit.is_empty() {
                continue;
            }
            if !b.units.contains(&unit) {
                b.units.push(unit.clone());
            }
            b.operating_costs.push(UnitCost {
                unit,
                funds: fund_sources(table, spec, row, findings),
            });
        }
    }
}

fn read_projects(filed: &Filed<'_>, b: &mut Budget, findings: &mut Vec<Finding>) {
    for (table, spec) in filed.of_layout(Layout::Projects) {
        let rows = super::split_project_rows(table, spec, &b.units);
        if let Some(name) = rows.department.map(|r| r.text(spec, "name")) {
            if b.department.is_empty() && !is_total_label(&label_key(&name)) {
                b.department = name;
            }
        }
        let mut projects = Vec::new();
        let mut project = |unit: &str, row: &FiledRow, b: &Budget| Project {
            unit: if unit.is_empty() {
                b.department.clone()
            } else {
                unit.to_string()
            },
            name: row.text(spec, "name"),
            sources: fund_sources(table, spec, row, findings),
        };
        for row in &rows.loose {
            projects.push(project("", row, b));
        }
        for (unit_row, unit_projects) in &rows.units {
            let unit = unit_row.text(spec, "name");
            if !b.units.iter().any(|u| label_key(u) == label_key(&unit)) {
                b.units.push(unit.clone());
            }
            for row in unit_projects {
                projects.push(project(&unit, row, b));
            }
        }
        if spec.carryover {
            b.carryover_projects = projects;
        } else {
            b.projects = projects;
        }
    }
}
