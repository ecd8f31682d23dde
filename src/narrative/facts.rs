//! The facts a narrative states, computed from the model by name: totals,
//! sources, basic/project, function lines, 三公, 机关运行经费, project counts.
//! Each comes with the cells it was read from (the model's provenance).

use crate::model::{sum_opt, Amount, Budget, CellRef, FunctionLine, Split};
use rust_decimal::Decimal;

/// A fact's value and the cells it rests on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactValue {
    /// The value: 万元 for amounts, a number for counts.
    pub value: Decimal,
    /// The table cells it was read from (none for a blank, i.e. zero).
    pub cells: Vec<CellRef>,
    /// True for a count (项目个数), false for an amount.
    pub count: bool,
}

impl FactValue {
    fn amount(amounts: &[Option<&Amount>]) -> FactValue {
        FactValue {
            value: sum_opt(amounts.iter().copied()).unwrap_or_default(),
            cells: amounts
                .iter()
                .flatten()
                .filter_map(|a| a.at.as_ref().map(|p| p.reference()))
                .collect(),
            count: false,
        }
    }

    fn plus(mut self, other: FactValue) -> FactValue {
        self.value = crate::model::plus(self.value, other.value);
        self.cells.extend(other.cells);
        self
    }
}

/// Which spending a function line's figure means: `all` (表3), `fiscal`
/// (一般公共预算 + 政府性基金 + 国有资本经营), `general` (表5), `gov_fund`
/// or `state_capital` (one fund's).
fn line_spending(line: &FunctionLine, scope: &str) -> FactValue {
    fn split(s: &Split) -> [Option<&Amount>; 2] {
        [s.basic.as_ref(), s.project.as_ref()]
    }
    let parts: Vec<Option<&Amount>> = match scope {
        "general" => split(&line.general).to_vec(),
        "gov_fund" => split(&line.gov_fund).to_vec(),
        "state_capital" => split(&line.state_capital).to_vec(),
        "fiscal" => [&line.general, &line.gov_fund, &line.state_capital]
            .into_iter()
            .flat_map(split)
            .collect(),
        _ => [
            &line.general,
            &line.gov_fund,
            &line.state_capital,
            &line.other,
        ]
        .into_iter()
        .flat_map(split)
        .collect(),
    };
    FactValue::amount(&parts)
}

/// The fact called `name` in `budget`, with function lines read in
/// `scope`: from the tables, else as the department stated it beside them
/// ([`Budget::stated`]: 政府采购, vehicles …); `None` for a fact neither
/// holds or an unknown name.
pub fn fact(budget: &Budget, name: &str, scope: &str) -> Option<FactValue> {
    let total = &budget.functions.total;
    let income = &total.income;
    let sources: Vec<Option<&Amount>> = crate::model::Source::ALL
        .iter()
        .map(|k| income.get(*k))
        .collect();
    let fiscal: Vec<Option<&Amount>> = crate::model::Fund::ALL
        .iter()
        .map(|f| income.fund(*f))
        .collect();
    let fiscal_carryover: Vec<Option<&Amount>> = crate::model::Fund::ALL
        .iter()
        .map(|f| budget.fiscal_carryover.fund(*f))
        .collect();
    let three = &budget.three_public;
    let vehicle = [
        three.vehicle_purchase.fiscal_amounts(),
        three.vehicle_operation.fiscal_amounts(),
    ]
    .concat();
    let value = match name {
        "income_this_year" => FactValue::amount(&sources),
        "income_carryover" => FactValue::amount(&[total.carryover.as_ref()]),
        "income_total" => {
            FactValue::amount(&sources).plus(FactValue::amount(&[total.carryover.as_ref()]))
        }
        "expenditure_this_year" => line_spending(total, "all"),
        "expenditure_total" => line_spending(total, "all")
            .plus(FactValue::amount(&[budget.year_end_carryover.as_ref()])),
        "fiscal_this_year" => FactValue::amount(&fiscal),
        "fiscal_carryover" => FactValue::amount(&fiscal_carryover),
        "fiscal_total" => FactValue::amount(&fiscal).plus(FactValue::amount(&fiscal_carryover)),
        "basic" => FactValue::amount(&basic_or_project(total, true)),
        "project" => FactValue::amount(&basic_or_project(total, false)),
        "general_spending" => line_spending(total, "general"),
        "fiscal_spending" => line_spending(total, "fiscal"),
        "gov_fund_spending" => line_spending(total, "gov_fund"),
        "state_capital_spending" => line_spending(total, "state_capital"),
        "general_basic" => FactValue::amount(&[total.general.basic.as_ref()]),
        "general_project" => FactValue::amount(&[total.general.project.as_ref()]),
        "personnel" => FactValue::amount(&[budget.economic.total.personnel.as_ref()]),
        "public" => FactValue::amount(&[budget.economic.total.public.as_ref()]),
        "three_public" => FactValue::amount(
            &three
                .items()
                .iter()
                .flat_map(|(_, s)| s.fiscal_amounts())
                .collect::<Vec<_>>(),
        ),
        "three_public.vehicle" => FactValue::amount(&vehicle),
        "operating_costs" => FactValue::amount(
            &budget
                .operating_costs
                .iter()
                .flat_map(|u| u.funds.fiscal_amounts())
                .collect::<Vec<_>>(),
        ),
        "project_count" => count(
            budget.projects.len(),
            budget.projects.iter().map(|p| {
                crate::model::Source::ALL
                    .iter()
                    .find_map(|k| p.sources.get(*k).and_then(|a| a.at.as_ref()))
                    .map(|p| p.reference())
            }),
        ),
        "projects_total" => FactValue::amount(
            &budget
                .projects
                .iter()
                .flat_map(|p| crate::model::Source::ALL.iter().map(|k| p.sources.get(*k)))
                .collect::<Vec<_>>(),
        ),
        "project_form_count" => {
            let forms = &budget.performance.projects;
            count(
                forms.len(),
                forms
                    .iter()
                    .map(|f| f.name_at.as_ref().map(|p| p.reference())),
            )
        }
        "project_forms_total" => FactValue::amount(
            &budget
                .performance
                .projects
                .iter()
                .map(|f| f.annual_funds.total.as_ref())
                .collect::<Vec<_>>(),
        ),
        "department_form_total" => FactValue::amount(&[budget
            .performance
            .department
            .as_ref()
            .and_then(|d| d.funds_by_source.total.as_ref())]),
        _ => return keyed(budget, name, scope).or_else(|| stated(budget, name)),
    };
    Some(value)
}

/// The facts named with a key: `source.KEY`, `three_public.ITEM`,
/// `function.CODE`.
fn keyed(budget: &Budget, name: &str, scope: &str) -> Option<FactValue> {
    let (kind, key) = name.split_once('.')?;
    match kind {
        "source" => {
            let source: crate::model::Source = key.parse().ok()?;
            Some(FactValue::amount(&[budget
                .functions
                .total
                .income
                .get(source)]))
        }
        "three_public" => budget
            .three_public
            .item(key.parse().ok()?)
            .map(|s| FactValue::amount(&s.fiscal_amounts())),
        "function" => Some(
            budget
                .functions
                .lines
                .iter()
                .find(|l| l.code == key)
                .map(|l| line_spending(l, scope))
                .unwrap_or(FactValue {
                    value: Decimal::ZERO,
                    cells: Vec::new(),
                    count: false,
                }),
        ),
        _ => None,
    }
}

/// A fact the department stated beside its tables.
fn stated(budget: &Budget, name: &str) -> Option<FactValue> {
    let v = budget.stated.get(name)?;
    Some(FactValue {
        value: v.value,
        cells: v.at.iter().map(|p| p.reference()).collect(),
        count: v.is_count(),
    })
}

fn basic_or_project(line: &FunctionLine, basic: bool) -> Vec<Option<&Amount>> {
    [
        &line.general,
        &line.gov_fund,
        &line.state_capital,
        &line.other,
    ]
    .into_iter()
    .map(|s| {
        if basic {
            s.basic.as_ref()
        } else {
            s.project.as_ref()
        }
    })
    .collect()
}

fn count(n: usize, cells: impl Iterator<Item = Option<CellRef>>) -> FactValue {
    FactValue {
        value: Decimal::from(n),
        cells: cells.flatten().collect(),
        count: true,
    }
}

/// The fiscal amounts of a [`crate::model::Sources`], as a list.
trait FiscalAmounts {
    fn fiscal_amounts(&self) -> Vec<Option<&Amount>>;
}

impl FiscalAmounts for crate::model::Sources {
    fn fiscal_amounts(&self) -> Vec<Option<&Amount>> {
        crate::model::Fund::ALL
            .iter()
            .map(|f| self.fund(*f))
            .collect()
    }
}

/// The function lines a narrative may name: (words, fact) for each line
/// of the submission (a 项 also as `名称（项）`) and each 类 of the
/// classification, the submission's own names first.
pub fn function_phrases(budget: &Budget) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for line in &budget.functions.lines {
        let fact = format!("function.{}", line.code);
        if line.level() == 3 {
            out.push((format!("{}（项）", line.name), fact.clone()));
        }
        out.push((line.name.clone(), fact));
    }
    for (code, name) in crate::spec::function_codes() {
        if code.len() == 3 && !out.iter().any(|(n, _)| *n == name) {
            out.push((name, format!("function.{code}")));
        }
    }
    out
}
