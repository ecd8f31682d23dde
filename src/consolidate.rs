//! Consolidation: one 汇总 budget summing many departments, in the standard
//! layout (function lines, economic lines, 三公 and operating costs summed;
//! projects listed per department).

use crate::model::{
    plus, Amount, Budget, Costs, EconomicGroup, EconomicItem, FunctionLine, IncomeLine,
    IncomeTable, Project, Source, Sources, Split, UnitCost,
};

/// Adds `b` into `a` (blank + blank stays blank). Provenance is dropped:
/// a sum was not typed anywhere.
fn add(a: &mut Option<Amount>, b: Option<&Amount>) {
    if let Some(b) = b {
        let v = a.as_ref().map_or(b.value, |x| plus(x.value, b.value));
        *a = Some(Amount::new(v));
    }
}

fn add_sources(a: &mut Sources, b: &Sources) {
    for &k in Source::ALL {
        add(a.slot(k), b.get(k));
    }
}

fn add_split(a: &mut Split, b: &Split) {
    add(&mut a.basic, b.basic.as_ref());
    add(&mut a.project, b.project.as_ref());
}

fn add_costs(a: &mut Costs, b: &Costs) {
    add(&mut a.personnel, b.personnel.as_ref());
    add(&mut a.public, b.public.as_ref());
}

fn add_line(a: &mut FunctionLine, b: &FunctionLine) {
    add_sources(&mut a.income, &b.income);
    add(&mut a.carryover, b.carryover.as_ref());
    add_split(&mut a.general, &b.general);
    add_split(&mut a.gov_fund, &b.gov_fund);
    add_split(&mut a.state_capital, &b.state_capital);
    add_split(&mut a.other, &b.other);
}

/// Finds the item with `key` in `items`, appending `make()` if missing.
fn entry<T>(items: &mut Vec<T>, is: impl Fn(&T) -> bool, make: impl FnOnce() -> T) -> &mut T {
    let pos = match items.iter().position(is) {
        Some(p) => p,
        None => {
            items.push(make());
            items.len() - 1
        }
    };
    &mut items[pos]
}

fn add_income(a: &mut IncomeTable, b: &IncomeTable) {
    add(&mut a.total, b.total.as_ref());
    for line in &b.lines {
        let target = entry(
            &mut a.lines,
            |l| l.code == line.code,
            || IncomeLine {
                amount: None,
                ..line.clone()
            },
        );
        add(&mut target.amount, line.amount.as_ref());
    }
}

/// The 部门名称 of a consolidation of `n` departments.
pub fn consolidated_name(n: usize) -> String {
    format!("汇总({n}个部门)")
}

/// The number of departments of a 汇总 named by [`consolidated_name`]
/// (full- or half-width brackets), or `None` for an ordinary department.
///
/// ```
/// use budgetkit::consolidate::consolidated_count;
/// assert_eq!(consolidated_count("汇总(12个部门)"), Some(12));
/// assert_eq!(consolidated_count("汇总（3个部门）"), Some(3));
/// assert_eq!(consolidated_count("朔州市促进外来投资局"), None);
/// ```
pub fn consolidated_count(department: &str) -> Option<u32> {
    let k = crate::model::label_key(department);
    let n = k.strip_prefix("汇总(")?.strip_suffix("个部门)")?;
    n.parse().ok().filter(|n| *n > 0)
}

/// Sums `budgets` into one 汇总 budget named [`consolidated_name`].
/// Each department appears as a unit of the 汇总: its operating costs are
/// one row of 表11 and its projects are listed under it in 表12/表13.
/// Roll-ups are summed as stated (not recomputed), so the 汇总 of N copies
/// of a department is N times each of its amounts.
pub fn consolidate(budgets: &[&Budget]) -> Budget {
    let mut out = Budget {
        department: consolidated_name(budgets.len()),
        ..Budget::default()
    };
    if let Some(first) = budgets.first() {
        out.template = first.template.clone();
        out.year = first.year;
    }
    out.functions.total.name = "合计".into();
    for (i, b) in budgets.iter().enumerate() {
        // Departments of the same name (copies) stay apart as units.
        let unit = if budgets[..i].iter().any(|o| o.department == b.department) {
            format!("{}（{}）", b.department, i + 1)
        } else {
            b.department.clone()
        };
        out.units.push(unit.clone());
        add_line(&mut out.functions.total, &b.functions.total);
        for line in &b.functions.lines {
            let target = entry(
                &mut out.functions.lines,
                |l| l.code == line.code,
                || FunctionLine {
                    code: line.code.clone(),
                    name: line.name.clone(),
                    ..FunctionLine::default()
                },
            );
            add_line(target, line);
        }
        add_sources(&mut out.fiscal_carryover, &b.fiscal_carryover);
        add(&mut out.year_end_carryover, b.year_end_carryover.as_ref());
        add_costs(&mut out.economic.total, &b.economic.total);
        for g in &b.economic.groups {
            let group = entry(
                &mut out.economic.groups,
                |x| x.name == g.name,
                || EconomicGroup {
                    code: g.code.clone(),
                    name: g.name.clone(),
                    ..EconomicGroup::default()
                },
            );
            add_costs(&mut group.costs, &g.costs);
            for item in &g.items {
                let target = entry(
                    &mut group.items,
                    |x| x.name == item.name && x.gov_name == item.gov_name,
                    || EconomicItem {
                        code: item.code.clone(),
                        name: item.name.clone(),
                        gov_name: item.gov_name.clone(),
                        costs: Costs::default(),
                    },
                );
                add_costs(&mut target.costs, &item.costs);
            }
        }
        add_income(&mut out.fund_income, &b.fund_income);
        add_income(&mut out.capital_income, &b.capital_income);
        let t = &mut out.three_public;
        for ((_, sum), (_, item)) in t.items_mut().into_iter().zip(b.three_public.items()) {
            add_sources(sum, item);
        }
        let mut costs = Sources::default();
        for u in &b.operating_costs {
            add_sources(&mut costs, &u.funds);
        }
        out.operating_costs.push(UnitCost {
            unit: unit.clone(),
            funds: costs,
        });
        let relabel = |p: &Project| Project {
            unit: unit.clone(),
            ..p.clone()
        };
        out.projects.extend(b.projects.iter().map(relabel));
        out.carryover_projects
            .extend(b.carryover_projects.iter().map(relabel));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::{department, Size};
    use rust_decimal::Decimal;

    #[test]
    fn three_copies_are_three_times_each_amount() {
        let b = department(Size::SMALL, 3);
        let sum = consolidate(&[&b, &b, &b]);
        assert_eq!(sum.department, "汇总(3个部门)");
        assert_eq!(sum.units.len(), 3);
        assert_eq!(sum.projects.len(), 3 * b.projects.len());
        let three = Decimal::from(3);
        assert_eq!(
            sum.functions.total.income.total(),
            b.functions.total.income.total().map(|v| v * three)
        );
        for (s, o) in sum.functions.lines.iter().zip(&b.functions.lines) {
            assert_eq!(s.code, o.code);
            assert_eq!(s.basic(), o.basic().map(|v| v * three));
        }
        assert_eq!(
            sum.economic.total.total(),
            b.economic.total.total().map(|v| v * three)
        );
    }
}
