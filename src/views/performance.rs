//! The performance-target forms (绩效目标表) as tables: the department-wide
//! 整体支出绩效目标申报表 and one 项目支出绩效目标表 per project, laid out
//! as in the published forms (labels left, values right, the 实施期 and 年度
//! halves of a project side by side).

use super::table::{Cell, Merge, Row, RowStyle, Table};
use crate::model::{Amount, Budget, DepartmentForm, Indicator, ProjectForm, ProjectFunds};

/// Sheet of the department-wide form.
pub const DEPARTMENT_SHEET: &str = "整体支出绩效目标申报表";
/// Title of the department-wide form.
pub const DEPARTMENT_TITLE: &str = "市级预算部门（单位）整体支出绩效目标申报表";
/// Title of a project form.
pub const PROJECT_TITLE: &str = "朔州市市级预算部门（单位）项目支出绩效目标表";

/// Column widths of the department form (5 columns).
const DEPARTMENT_WIDTHS: [f64; 5] = [12.0, 24.0, 22.0, 34.0, 18.0];
/// Column widths of a project form (8 columns).
const PROJECT_WIDTHS: [f64; 8] = [10.0, 18.0, 16.0, 26.0, 18.0, 16.0, 26.0, 18.0];

/// Sheet name of the `n`-th project form (1-based): short, unique, and free
/// of the characters Excel forbids whatever the project is called.
pub fn project_sheet(n: usize) -> String {
    format!("项目绩效目标表{n}")
}

/// The performance-target sheets: the department form (if the model has
/// one), then one sheet per project form in model order.
pub fn performance_tables(budget: &Budget) -> Vec<Table> {
    let year = budget.year.to_string();
    let perf = &budget.performance;
    let department = perf.department.iter().map(|d| department_table(d, &year));
    let projects = perf
        .projects
        .iter()
        .enumerate()
        .map(|(i, p)| project_table(p, i + 1, &year));
    department.chain(projects).collect()
}

/// A form being laid out: rows of a fixed width, merges and label cells.
struct Grid {
    width: usize,
    rows: Vec<Row>,
    merges: Vec<Merge>,
    labels: Vec<(usize, usize)>,
}

impl Grid {
    fn new(width: usize) -> Grid {
        Grid {
            width,
            rows: Vec::new(),
            merges: Vec::new(),
            labels: Vec::new(),
        }
    }

    /// Appends an empty row and returns its index.
    fn row(&mut self, style: RowStyle) -> usize {
        self.rows
            .push(Row::new(vec![Cell::Empty; self.width], style));
        self.rows.len() - 1
    }

    /// Puts a cell at (r, c), merged across to `last_col`.
    fn put(&mut self, r: usize, c: usize, last_col: usize, cell: Cell) {
        if let Some(slot) = self.rows.get_mut(r).and_then(|row| row.cells.get_mut(c)) {
            *slot = cell;
        }
        self.merge(r, c, r, last_col);
    }

    /// Puts text at (r, c), merged across to `last_col`.
    fn text(&mut self, r: usize, c: usize, last_col: usize, text: &str) {
        self.put(r, c, last_col, Cell::text(text));
    }

    /// Puts a label at (r, c), merged across to `last_col`.
    fn label(&mut self, r: usize, c: usize, last_col: usize, text: &str) {
        self.text(r, c, last_col, text);
        self.labels.push((r, c));
    }

    /// Puts an amount (万元, blank when absent) at (r, c) merged to `last_col`.
    fn amount(&mut self, r: usize, c: usize, last_col: usize, a: Option<&Amount>) {
        self.put(r, c, last_col, Cell::amount(a.map(|a| a.value)));
    }

    /// Merges a range; single cells are not merges. A range that would
    /// extend an existing merge starting at the same cell replaces it.
    fn merge(&mut self, row: usize, col: usize, last_row: usize, last_col: usize) {
        self.merges.retain(|m| (m.row, m.col) != (row, col));
        if (row, col) != (last_row, last_col) {
            self.merges.push(Merge {
                row,
                col,
                last_row,
                last_col,
            });
        }
    }

    fn into_table(self, sheet: String, title: &str, subtitle: String, widths: &[f64]) -> Table {
        Table {
            sheet,
            title: title.to_string(),
            subtitle: Some(subtitle),
            width: self.width,
            rows: self.rows,
            body_merges: self.merges,
            amount_columns: vec![false; self.width],
            label_cells: self.labels,
            col_widths: widths.to_vec(),
            ..Table::default()
        }
    }
}

fn year_or<'a>(form_year: &'a str, budget_year: &'a str) -> &'a str {
    if form_year.trim().is_empty() {
        budget_year
    } else {
        form_year
    }
}

/// 市级预算部门（单位）整体支出绩效目标申报表 (columns A–E).
fn department_table(d: &DepartmentForm, budget_year: &str) -> Table {
    let mut g = Grid::new(5);
    // 部门基本信息
    let top = g.row(RowStyle::Normal);
    g.label(top, 1, 1, "部门名称");
    g.text(top, 2, 4, &d.department);
    let r = g.row(RowStyle::Normal);
    g.label(r, 1, 1, "内设职能部门数");
    g.text(r, 2, 2, &d.internal_divisions);
    g.label(r, 3, 3, "所属预算单位数");
    g.text(r, 4, 4, &d.budget_units);
    let r = g.row(RowStyle::Normal);
    g.label(r, 1, 1, "核定的人员编制数");
    g.text(r, 2, 2, &d.authorized_staff);
    g.label(r, 3, 3, "实际在职人员总数");
    g.text(r, 4, 4, &d.actual_staff);
    let r = g.row(RowStyle::Normal);
    g.label(r, 3, 3, "其中:在编人员数");
    g.text(r, 4, 4, &d.staff_on_roll);
    let last = g.row(RowStyle::Normal);
    g.label(last, 3, 3, "其他人员数");
    g.text(last, 4, 4, &d.other_staff);
    g.merge(r, 1, last, 2);
    g.label(top, 0, 0, "部门基本信息");
    g.merge(top, 0, last, 0);
    // 部门职责, 部门战略目标
    for (label, text) in [("部门职责", &d.duties), ("部门战略目标", &d.strategic_goal)] {
        let r = g.row(RowStyle::Prose);
        g.label(r, 0, 0, label);
        g.text(r, 1, 4, text);
    }
    // 年度预算情况
    let top = g.row(RowStyle::Normal);
    g.label(top, 1, 1, "按资金来源划分");
    g.label(top, 2, 2, "资金总额(万元)");
    g.label(top, 3, 3, "按资金方向划分");
    g.label(top, 4, 4, "资金总额(万元)");
    let s = &d.funds_by_source;
    let u = &d.funds_by_use;
    let by_source = [
        ("合计", s.total.as_ref()),
        ("其中:一般公共预算资金", s.general.as_ref()),
        ("政府性基金预算资金", s.gov_fund.as_ref()),
        ("国有资本经营预算资金", s.state_capital.as_ref()),
        ("社会保险基金预算资金", s.social_insurance.as_ref()),
        ("专户管理资金", s.special.as_ref()),
        ("单位资金", s.unit.as_ref()),
    ];
    let by_use = [
        ("合计", u.total.as_ref()),
        ("其中:基本支出", u.basic.as_ref()),
        ("项目支出", u.project.as_ref()),
    ];
    let mut last = top;
    for (i, (label, amount)) in by_source.into_iter().enumerate() {
        last = g.row(RowStyle::Normal);
        g.label(last, 1, 1, label);
        g.amount(last, 2, 2, amount);
        if let Some((label, amount)) = by_use.get(i) {
            g.label(last, 3, 3, label);
            g.amount(last, 4, 4, *amount);
        }
    }
    g.merge(top + 1 + by_use.len(), 3, last, 4);
    g.label(top, 0, 0, "年度预算情况");
    g.merge(top, 0, last, 0);
    // 年度重点任务
    let top = g.row(RowStyle::Normal);
    g.label(top, 1, 2, "核心职能");
    g.label(top, 3, 4, "重点任务");
    let blank = [crate::model::KeyTask::default()];
    let tasks = if d.key_tasks.is_empty() {
        &blank[..]
    } else {
        &d.key_tasks[..]
    };
    let mut last = top;
    for t in tasks {
        last = g.row(RowStyle::Prose);
        g.text(last, 1, 2, &t.function);
        g.text(last, 3, 4, &t.task);
    }
    g.label(top, 0, 0, "年度重点任务");
    g.merge(top, 0, last, 0);
    // 年度绩效目标
    let r = g.row(RowStyle::Prose);
    g.label(r, 0, 0, "年度绩效目标");
    g.text(r, 1, 4, &d.annual_goal);
    // 年度绩效指标
    let top = g.row(RowStyle::Normal);
    for (c, label) in ["一级指标", "二级指标", "三级指标", "指标值"]
        .into_iter()
        .enumerate()
    {
        g.label(top, c + 1, c + 1, label);
    }
    let last = indicator_rows(&mut g, &d.indicators, &[], 1, &[2]);
    g.label(top, 0, 0, "年度绩效指标");
    g.merge(top, 0, last, 0);
    let year = year_or(&d.year, budget_year);
    g.into_table(
        DEPARTMENT_SHEET.to_string(),
        DEPARTMENT_TITLE,
        format!("({year}) 年度"),
        &DEPARTMENT_WIDTHS,
    )
}

/// 项目支出绩效目标表 for one project (columns A–H).
fn project_table(p: &ProjectForm, n: usize, budget_year: &str) -> Table {
    let mut g = Grid::new(8);
    let r = g.row(RowStyle::Normal);
    g.label(r, 0, 1, "项目名称");
    g.text(r, 2, 7, &p.name);
    for (left, lv, right, rv) in [
        (
            "主管部门及代码",
            &p.authority,
            "实施单位",
            &p.implementing_unit,
        ),
        ("项目属性", &p.attribute, "项目期", &p.period),
    ] {
        let r = g.row(RowStyle::Normal);
        g.label(r, 0, 1, left);
        g.text(r, 2, 3, lv);
        g.label(r, 4, 4, right);
        g.text(r, 5, 7, rv);
    }
    // 项目资金: 实施期 left (B–D), 年度 right (E–H)
    let top = g.row(RowStyle::Normal);
    g.label(top, 1, 1, "实施期资金总额:");
    g.amount(top, 2, 3, p.period_funds.total.as_ref());
    g.label(top, 4, 4, "年度资金总额:");
    g.amount(top, 5, 7, p.annual_funds.total.as_ref());
    let mut last = top;
    for (label, part) in FUND_PARTS {
        last = g.row(RowStyle::Normal);
        g.label(last, 1, 1, label);
        g.amount(last, 2, 3, part(&p.period_funds));
        g.label(last, 4, 4, label);
        g.amount(last, 5, 7, part(&p.annual_funds));
    }
    g.label(top, 0, 0, "项目资金(万元)");
    g.merge(top, 0, last, 0);
    for (label, text) in [
        ("项目概况", &p.overview),
        ("立项依据", &p.basis),
        ("项目设立必要性", &p.necessity),
        ("保证项目实施的制度、措施", &p.safeguards),
        ("项目实施计划", &p.plan),
    ] {
        let r = g.row(RowStyle::Prose);
        g.label(r, 0, 1, label);
        g.text(r, 2, 7, text);
    }
    // 总体目标
    let top = g.row(RowStyle::Normal);
    g.label(top, 2, 4, "实施期目标");
    g.label(top, 5, 7, "年度目标");
    let r = g.row(RowStyle::Prose);
    g.text(r, 2, 4, &p.period_goal);
    g.text(r, 5, 7, &p.annual_goal);
    g.label(top, 0, 1, "总体目标");
    g.merge(top, 0, r, 1);
    // 绩效指标: 一级 shared (B), 实施期 C–E, 年度 F–H
    let top = g.row(RowStyle::Normal);
    let heads = [
        "一级指标",
        "二级指标",
        "三级指标",
        "指标值",
        "二级指标",
        "三级指标",
        "指标值",
    ];
    for (c, label) in heads.into_iter().enumerate() {
        g.label(top, c + 1, c + 1, label);
    }
    let last = indicator_rows(
        &mut g,
        &p.period_indicators,
        &p.annual_indicators,
        1,
        &[2, 5],
    );
    g.label(top, 0, 0, "绩效指标");
    g.merge(top, 0, last, 0);
    let r = g.row(RowStyle::Normal);
    for (i, (label, value)) in [
        ("负责人:", &p.responsible),
        ("经办人:", &p.handler),
        ("联系电话:", &p.phone),
        ("填报日期:", &p.filed_on),
    ]
    .into_iter()
    .enumerate()
    {
        g.label(r, 2 * i, 2 * i, label);
        g.text(r, 2 * i + 1, 2 * i + 1, value);
    }
    let year = year_or(&p.year, budget_year);
    g.into_table(
        project_sheet(n),
        PROJECT_TITLE,
        format!("({year}年度)"),
        &PROJECT_WIDTHS,
    )
}

/// The parts of a project's funds under its 资金总额, as labelled.
type FundPart = fn(&ProjectFunds) -> Option<&Amount>;
const FUND_PARTS: [(&str, FundPart); 5] = [
    ("其中:中央财政资金", |f| f.central.as_ref()),
    ("省级财政资金", |f| f.provincial.as_ref()),
    ("市县(区)财政资金", |f| f.local.as_ref()),
    ("单位自筹", |f| f.self_raised.as_ref()),
    ("其他资金", |f| f.other.as_ref()),
];

/// Consecutive indicators sharing a 一级指标.
fn runs(list: &[Indicator]) -> Vec<&[Indicator]> {
    list.chunk_by(|a, b| a.level1 == b.level1).collect()
}

/// One 一级指标 block: the indicators of each half under it.
struct Block<'a> {
    level1: &'a str,
    left: &'a [Indicator],
    right: &'a [Indicator],
}

/// The 一级指标 of a run.
fn level1(run: &[Indicator]) -> &str {
    run.first().map_or("", |i| i.level1.as_str())
}

/// Pairs the runs of the two halves by 一级指标, keeping each half's
/// order: equal runs share a block; a run with no partner gets a block of
/// its own with the other half blank.
fn blocks<'a>(left: &'a [Indicator], right: &'a [Indicator]) -> Vec<Block<'a>> {
    let (l, r) = (runs(left), runs(right));
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    loop {
        let block = match (l.get(i).copied(), r.get(j).copied()) {
            (None, None) => break,
            (Some(a), Some(b)) if level1(a) == level1(b) => {
                (i, j) = (i + 1, j + 1);
                Block {
                    level1: level1(a),
                    left: a,
                    right: b,
                }
            }
            (Some(a), Some(b)) if r.iter().skip(j).any(|x| level1(x) == level1(a)) => {
                j += 1;
                Block {
                    level1: level1(b),
                    left: &[],
                    right: b,
                }
            }
            (Some(a), _) => {
                i += 1;
                Block {
                    level1: level1(a),
                    left: a,
                    right: &[],
                }
            }
            (None, Some(b)) => {
                j += 1;
                Block {
                    level1: level1(b),
                    left: &[],
                    right: b,
                }
            }
        };
        out.push(block);
    }
    out
}

/// Writes indicator rows: 一级指标 in `level1_col` (merged down its block),
/// each half's 二级/三级/指标值 from its start column (二级 merged down runs
/// of equal values). Returns the last row written (the header row when
/// there are no indicators).
fn indicator_rows(
    g: &mut Grid,
    left: &[Indicator],
    right: &[Indicator],
    level1_col: usize,
    halves: &[usize],
) -> usize {
    let mut last = g.rows.len().saturating_sub(1);
    for block in blocks(left, right) {
        let height = block.left.len().max(block.right.len()).max(1);
        let first = g.rows.len();
        for _ in 0..height {
            last = g.row(RowStyle::Prose);
        }
        g.text(first, level1_col, level1_col, block.level1);
        g.merge(first, level1_col, last, level1_col);
        for (half, list) in halves.iter().zip([block.left, block.right]) {
            let mut row = first;
            for run in list.chunk_by(|a, b| a.level2 == b.level2) {
                let run_last = row + run.len() - 1;
                if let Some(head) = run.first() {
                    g.text(row, *half, *half, &head.level2);
                }
                g.merge(row, *half, run_last, *half);
                for (k, ind) in run.iter().enumerate() {
                    g.text(row + k, half + 1, half + 1, &ind.level3);
                    g.text(row + k, half + 2, half + 2, &ind.value.text);
                }
                row = run_last + 1;
            }
        }
    }
    last
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::IndicatorValue;

    fn ind(l1: &str, l2: &str, l3: &str) -> Indicator {
        Indicator {
            level1: l1.into(),
            level2: l2.into(),
            level3: l3.into(),
            value: IndicatorValue::parse("≥1个"),
        }
    }

    #[test]
    fn halves_pair_by_level1_and_keep_their_order() {
        let left = [ind("产出", "数量", "a"), ind("效益", "社会", "b")];
        let right = [ind("效益", "社会", "c"), ind("产出", "数量", "d")];
        let got: Vec<(&str, usize, usize)> = blocks(&left, &right)
            .iter()
            .map(|b| (b.level1, b.left.len(), b.right.len()))
            .collect();
        assert_eq!(got, [("效益", 0, 1), ("产出", 1, 1), ("效益", 1, 0)]);
    }

    #[test]
    fn sheet_names_are_unique_and_short() {
        let mut b = Budget::default();
        b.performance.department = Some(DepartmentForm::default());
        b.performance.projects = vec![ProjectForm::default(); 120];
        let tables = performance_tables(&b);
        let mut names: Vec<&str> = tables.iter().map(|t| t.sheet.as_str()).collect();
        assert!(names.iter().all(|n| n.chars().count() <= 31));
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 121);
    }

    #[test]
    fn merges_never_overlap() {
        let mut b = Budget::default();
        let d = DepartmentForm {
            indicators: vec![
                ind("产出", "数量", "a"),
                ind("产出", "数量", "b"),
                ind("效益", "", "c"),
            ],
            ..DepartmentForm::default()
        };
        b.performance.department = Some(d);
        let p = ProjectForm {
            period_indicators: vec![ind("产出", "数量", "a"), ind("产出", "质量", "b")],
            annual_indicators: vec![ind("产出", "数量", "a"), ind("满意度", "服务", "z")],
            ..ProjectForm::default()
        };
        b.performance.projects = vec![p];
        for t in performance_tables(&b) {
            for (i, m) in t.body_merges.iter().enumerate() {
                for n in t.body_merges.iter().skip(i + 1) {
                    let apart = m.last_row < n.row
                        || n.last_row < m.row
                        || m.last_col < n.col
                        || n.last_col < m.col;
                    assert!(apart, "{}: {m:?} overlaps {n:?}", t.sheet);
                }
            }
        }
    }
}
