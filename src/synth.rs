//! A synthetic department generator: large, fully consistent budgets built
//! from cents, for tests and benchmarks (e.g. 200 units, 2,000 projects and
//! hundreds of function lines).
//!
//! Every roll-up is the exact sum of its parts, so a generated budget
//! validates with zero errors and its exported workbook reads back to it.

use crate::model::{
    Amount, Budget, Costs, DepartmentForm, EconomicGroup, EconomicItem, FormFunds, FunctionLine,
    FundsByUse, Indicator, IndicatorValue, Performance, Project, ProjectForm, ProjectFunds,
    Sources, Split, UnitCost,
};
use rust_decimal::Decimal;

/// The size of a synthetic department.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    /// Budget units (预算单位).
    pub units: usize,
    /// Projects, spread over the units.
    pub projects: usize,
    /// 项-level function lines (7-digit codes).
    pub lines: usize,
}

impl Size {
    /// The reference department's order of size: 1 unit, 5 projects, 9 lines.
    pub const SMALL: Size = Size {
        units: 1,
        projects: 5,
        lines: 9,
    };
    /// A large department: 200 units, 2,000 projects, 600 lines.
    pub const LARGE: Size = Size {
        units: 200,
        projects: 2000,
        lines: 600,
    };
}

/// A small deterministic pseudo-random sequence (no external state).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below.max(1)
    }
}

fn cents(c: i64) -> Option<Amount> {
    (c != 0).then(|| Amount::new(Decimal::new(c, 2)))
}

fn general(c: i64) -> Sources {
    Sources {
        general: cents(c),
        ..Sources::default()
    }
}

/// Generates a consistent department of the given size; `seed` varies the
/// amounts.
pub fn department(size: Size, seed: u64) -> Budget {
    let mut rng = Lcg(seed ^ 0x5eed);
    let units: Vec<String> = (0..size.units.max(1))
        .map(|i| format!("合成单位{:03}", i + 1))
        .collect();
    // Projects first: their total is the 项目支出 of the function lines.
    let projects: Vec<Project> = (0..size.projects)
        .map(|i| Project {
            unit: units[i % units.len()].clone(),
            name: format!("合成项目{:05}", i + 1),
            sources: general(10_000 + i64::try_from(rng.next(9_000_000)).unwrap_or(0)),
        })
        .collect();
    let project_cents: Vec<i64> = projects
        .iter()
        .map(|p| p.sources.general.as_ref().map_or(0, |a| cents_of(a.value)))
        .collect();
    // 项 lines: basic amounts random, project amounts spread over the lines.
    let n = size.lines.max(1);
    let mut leaf_project = vec![0i64; n];
    for (i, c) in project_cents.iter().enumerate() {
        leaf_project[i % n] += c;
    }
    let leaf_basic: Vec<i64> = (0..n)
        .map(|_| 100 + i64::try_from(rng.next(50_000)).unwrap_or(0))
        .collect();
    let mut lines = Vec::new();
    let mut total = (0i64, 0i64);
    // Group 项 lines 10 per 款 and 5 款 per 类, with codes 2xx / 2xxyy / 2xxyyzz.
    for (k, chunk) in (0..n).collect::<Vec<_>>().chunks(50).enumerate() {
        let class = format!("{}", 201 + k);
        let mut class_sum = (0, 0);
        let mut class_lines = Vec::new();
        for (j, kuan_chunk) in chunk.chunks(10).enumerate() {
            let kuan = format!("{class}{:02}", j + 1);
            let mut kuan_sum = (0, 0);
            let mut kuan_lines = Vec::new();
            for (x, &leaf) in kuan_chunk.iter().enumerate() {
                let (b, p) = (leaf_basic[leaf], leaf_project[leaf]);
                kuan_sum = (kuan_sum.0 + b, kuan_sum.1 + p);
                kuan_lines.push(line(&format!("{kuan}{:02}", x + 1), "合成项级科目", b, p));
            }
            class_sum = (class_sum.0 + kuan_sum.0, class_sum.1 + kuan_sum.1);
            class_lines.push(line(&kuan, "合成款级科目", kuan_sum.0, kuan_sum.1));
            class_lines.extend(kuan_lines);
        }
        total = (total.0 + class_sum.0, total.1 + class_sum.1);
        lines.push(line(&class, "合成类级科目", class_sum.0, class_sum.1));
        lines.extend(class_lines);
    }
    let mut total_line = line("", "合计", total.0, total.1);
    total_line.name = "合计".into();
    // Basic spending: 80% personnel in two items, 20% public in two items
    // (one of them 公务用车运行维护费).
    let basic = total.0;
    let public = basic / 5;
    let personnel = basic - public;
    let vehicle = public / 10;
    let wages = personnel / 2;
    let item = |code: &str, name: &str, gov: &str, per: i64, pubc: i64| EconomicItem {
        code: code.into(),
        name: name.into(),
        gov_name: gov.into(),
        costs: Costs {
            personnel: cents(per),
            public: cents(pubc),
        },
    };
    let economic = crate::model::EconomicTable {
        total: Costs {
            personnel: cents(personnel),
            public: cents(public),
        },
        groups: vec![
            EconomicGroup {
                code: "301".into(),
                name: "工资福利支出".into(),
                costs: Costs {
                    personnel: cents(personnel),
                    public: None,
                },
                items: vec![
                    item("30101", "基本工资", "工资奖金津补贴", wages, 0),
                    item("30102", "津贴补贴", "工资奖金津补贴", personnel - wages, 0),
                ],
            },
            EconomicGroup {
                code: "302".into(),
                name: "商品和服务支出".into(),
                costs: Costs {
                    personnel: None,
                    public: cents(public),
                },
                items: vec![
                    item("30201", "办公费", "办公经费", 0, public - vehicle),
                    item(
                        "30231",
                        "公务用车运行维护费",
                        "公务用车运行维护费",
                        0,
                        vehicle,
                    ),
                ],
            },
        ],
    };
    // Operating costs: the public costs spread over the units.
    let per_unit = public / i64::try_from(units.len()).unwrap_or(1);
    let operating_costs = units
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let c = if i == 0 {
                public - per_unit * (i64::try_from(units.len()).unwrap_or(1) - 1)
            } else {
                per_unit
            };
            UnitCost {
                unit: u.clone(),
                funds: general(c),
            }
        })
        .collect();
    let forms = projects.iter().map(|p| project_form(p, "2025")).collect();
    // The department form the sx templates require: its totals are 表1's
    // and 表3's.
    let income = total_line.income.general.clone();
    let department_form = DepartmentForm {
        year: "2025".into(),
        department: "合成部门".into(),
        funds_by_source: FormFunds {
            total: income.clone(),
            general: income.clone(),
            ..FormFunds::default()
        },
        funds_by_use: FundsByUse {
            total: income,
            basic: total_line.general.basic.clone(),
            project: total_line.general.project.clone(),
        },
        ..DepartmentForm::default()
    };
    Budget {
        template: "sx-2025".into(),
        department: "合成部门".into(),
        year: 2025,
        units,
        functions: crate::model::FunctionTable {
            total: total_line,
            lines,
        },
        economic,
        three_public: crate::model::ThreePublic {
            vehicle_operation: general(vehicle),
            ..Default::default()
        },
        operating_costs,
        projects,
        performance: Performance {
            department: Some(department_form),
            projects: forms,
        },
        ..Budget::default()
    }
}

fn cents_of(v: Decimal) -> i64 {
    use rust_decimal::prelude::ToPrimitive;
    (v * Decimal::ONE_HUNDRED).to_i64().unwrap_or(0)
}

fn line(code: &str, name: &str, basic: i64, project: i64) -> FunctionLine {
    FunctionLine {
        code: code.into(),
        name: name.into(),
        income: general(basic + project),
        general: Split {
            basic: cents(basic),
            project: cents(project),
        },
        ..FunctionLine::default()
    }
}

fn project_form(p: &Project, year: &str) -> ProjectForm {
    let funds = ProjectFunds {
        total: p.sources.general.clone(),
        local: p.sources.general.clone(),
        ..ProjectFunds::default()
    };
    let indicator = Indicator {
        level1: "产出指标".into(),
        level2: "数量指标".into(),
        level3: "完成事项".into(),
        value: IndicatorValue::parse("≥1项"),
    };
    ProjectForm {
        year: year.into(),
        name: p.name.clone(),
        implementing_unit: p.unit.clone(),
        period_funds: funds.clone(),
        annual_funds: funds,
        period_indicators: vec![indicator.clone()],
        annual_indicators: vec![indicator],
        ..ProjectForm::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_as_asked_and_roll_ups_add_up() {
        let b = department(
            Size {
                units: 7,
                projects: 40,
                lines: 23,
            },
            1,
        );
        assert_eq!(b.units.len(), 7);
        assert_eq!(b.projects.len(), 40);
        assert_eq!(
            b.functions.lines.iter().filter(|l| l.level() == 3).count(),
            23
        );
        let project_sum: Decimal = b
            .projects
            .iter()
            .filter_map(|p| p.sources.general.as_ref())
            .map(|a| a.value)
            .sum();
        assert_eq!(b.functions.total.project(), Some(project_sum));
        let classes: Decimal = b
            .functions
            .lines
            .iter()
            .filter(|l| l.level() == 1)
            .filter_map(|l| l.basic())
            .sum();
        assert_eq!(b.functions.total.basic(), Some(classes));
        assert_eq!(b.economic.total.total(), b.functions.total.basic());
    }

    #[test]
    fn a_synthetic_department_validates_without_errors() {
        let b = department(Size::SMALL, 3);
        let template = crate::spec::Template::load("sx-2025").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("synthetic.json");
        std::fs::write(&path, serde_json::to_string(&b).unwrap()).unwrap();
        let checked = crate::commands::check_input(&path, &template).unwrap();
        let errors: Vec<_> = checked
            .findings
            .iter()
            .filter(|f| f.severity == crate::findings::Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }
}
