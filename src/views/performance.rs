//! The performance-target forms (绩效目标表) as tables: the department-wide
//! 整体支出绩效目标申报表 and one 项目支出绩效目标表 per project, laid out
//! as in the published forms (labels left, values right, the 实施期 and 年度
//! halves of a project side by side).

use super::table::{Cell, Merge, Row, RowStyle, Table};
use crate::model::{Amount, Budget, DepartmentForm, Indicator, ProjectForm, ProjectFunds};
use crate::spec::{FormLabels, FormWording, ProjectLabels, Template};

/// The performance-target sheets of `template` (none when it has no
/// `[performance]` wording): the department form (if the model has one),
/// then one sheet per project form in model order.
pub fn performance_tables(budget: &Budget, template: &Template) -> Vec<Table> {
    let Some(wording) = &template.performance else {
        return Vec::new();
    };
    let forms = Forms {
        labels: &template.forms,
        wording,
        budget_year: budget.year.to_string(),
    };
    let perf = &budget.performance;
    let department = perf.department.iter().map(|d| forms.department_table(d));
    let projects = perf
        .projects
        .iter()
        .enumerate()
        .map(|(i, p)| forms.project_table(p, i + 1));
    department.chain(projects).collect()
}

/// What the forms are laid out with: labels, wording and the budget year.
struct Forms<'t> {
    labels: &'t FormLabels,
    wording: &'t FormWording,
    budget_year: String,
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

impl Forms<'_> {
    /// 整体支出绩效目标申报表 (columns A–E).
    fn department_table(&self, d: &DepartmentForm) -> Table {
        let l = &self.labels.department;
        let mut g = Grid::new(5);
        // 部门基本信息
        let top = g.row(RowStyle::Normal);
        g.label(top, 1, 1, l.name.text());
        g.text(top, 2, 4, &d.department);
        let r = g.row(RowStyle::Normal);
        g.label(r, 1, 1, l.internal_divisions.text());
        g.text(r, 2, 2, &d.internal_divisions);
        g.label(r, 3, 3, l.budget_units.text());
        g.text(r, 4, 4, &d.budget_units);
        let r = g.row(RowStyle::Normal);
        g.label(r, 1, 1, l.authorized_staff.text());
        g.text(r, 2, 2, &d.authorized_staff);
        g.label(r, 3, 3, l.actual_staff.text());
        g.text(r, 4, 4, &d.actual_staff);
        let r = g.row(RowStyle::Normal);
        g.label(r, 3, 3, l.staff_on_roll.text());
        g.text(r, 4, 4, &d.staff_on_roll);
        let last = g.row(RowStyle::Normal);
        g.label(last, 3, 3, l.other_staff.text());
        g.text(last, 4, 4, &d.other_staff);
        g.merge(r, 1, last, 2);
        g.label(top, 0, 0, l.basic_info.text());
        g.merge(top, 0, last, 0);
        // 部门职责, 部门战略目标
        for (label, text) in [
            (l.duties.text(), &d.duties),
            (l.strategic_goal.text(), &d.strategic_goal),
        ] {
            let r = g.row(RowStyle::Prose);
            g.label(r, 0, 0, label);
            g.text(r, 1, 4, text);
        }
        // 年度预算情况
        let top = g.row(RowStyle::Normal);
        g.label(top, 1, 1, l.by_source.text());
        g.label(top, 2, 2, l.amount_head.text());
        g.label(top, 3, 3, l.by_use.text());
        g.label(top, 4, 4, l.amount_head.text());
        let s = &d.funds_by_source;
        let u = &d.funds_by_use;
        let by_source = [
            (l.total.text(), s.total.as_ref()),
            (l.general.text(), s.general.as_ref()),
            (l.gov_fund.text(), s.gov_fund.as_ref()),
            (l.state_capital.text(), s.state_capital.as_ref()),
            (l.social_insurance.text(), s.social_insurance.as_ref()),
            (l.special.text(), s.special.as_ref()),
            (l.unit.text(), s.unit.as_ref()),
        ];
        let by_use = [
            (l.total.text(), u.total.as_ref()),
            (l.basic.text(), u.basic.as_ref()),
            (l.project.text(), u.project.as_ref()),
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
        g.label(top, 0, 0, l.annual_budget.text());
        g.merge(top, 0, last, 0);
        // 年度重点任务
        let top = g.row(RowStyle::Normal);
        g.label(top, 1, 2, l.core_function.text());
        g.label(top, 3, 4, l.key_task.text());
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
        g.label(top, 0, 0, l.key_tasks.text());
        g.merge(top, 0, last, 0);
        // 年度绩效目标
        let r = g.row(RowStyle::Prose);
        g.label(r, 0, 0, l.annual_goal.text());
        g.text(r, 1, 4, &d.annual_goal);
        // 年度绩效指标
        let top = g.row(RowStyle::Normal);
        let i = &self.labels.indicator;
        for (c, label) in [&i.level1, &i.level2, &i.level3, &i.value]
            .into_iter()
            .enumerate()
        {
            g.label(top, c + 1, c + 1, label.text());
        }
        let last = indicator_rows(&mut g, &d.indicators, &[], 1, &[2]);
        g.label(top, 0, 0, l.indicators.text());
        g.merge(top, 0, last, 0);
        let w = self.wording;
        g.into_table(
            w.department_sheet.clone(),
            &w.department_title,
            self.year_line(&w.department_year, &d.year),
            &self.labels.widths.department,
        )
    }

    /// 项目支出绩效目标表 for one project (columns A–H).
    fn project_table(&self, p: &ProjectForm, n: usize) -> Table {
        let l = &self.labels.project;
        let mut g = Grid::new(8);
        let r = g.row(RowStyle::Normal);
        g.label(r, 0, 1, l.name.text());
        g.text(r, 2, 7, &p.name);
        for (left, lv, right, rv) in [
            (
                l.authority.text(),
                &p.authority,
                l.implementing_unit.text(),
                &p.implementing_unit,
            ),
            (l.attribute.text(), &p.attribute, l.period.text(), &p.period),
        ] {
            let r = g.row(RowStyle::Normal);
            g.label(r, 0, 1, left);
            g.text(r, 2, 3, lv);
            g.label(r, 4, 4, right);
            g.text(r, 5, 7, rv);
        }
        // 项目资金: 实施期 left (B–D), 年度 right (E–H)
        let top = g.row(RowStyle::Normal);
        g.label(top, 1, 1, l.period_total.text());
        g.amount(top, 2, 3, p.period_funds.total.as_ref());
        g.label(top, 4, 4, l.annual_total.text());
        g.amount(top, 5, 7, p.annual_funds.total.as_ref());
        let mut last = top;
        for (label, part) in fund_parts(l) {
            last = g.row(RowStyle::Normal);
            g.label(last, 1, 1, label);
            g.amount(last, 2, 3, part(&p.period_funds));
            g.label(last, 4, 4, label);
            g.amount(last, 5, 7, part(&p.annual_funds));
        }
        g.label(top, 0, 0, l.funds.text());
        g.merge(top, 0, last, 0);
        for (label, text) in [
            (&l.overview, &p.overview),
            (&l.basis, &p.basis),
            (&l.necessity, &p.necessity),
            (&l.safeguards, &p.safeguards),
            (&l.plan, &p.plan),
        ] {
            let r = g.row(RowStyle::Prose);
            g.label(r, 0, 1, label.text());
            g.text(r, 2, 7, text);
        }
        // 总体目标
        let top = g.row(RowStyle::Normal);
        g.label(top, 2, 4, l.period_goal.text());
        g.label(top, 5, 7, l.annual_goal.text());
        let r = g.row(RowStyle::Prose);
        g.text(r, 2, 4, &p.period_goal);
        g.text(r, 5, 7, &p.annual_goal);
        g.label(top, 0, 1, l.goals.text());
        g.merge(top, 0, r, 1);
        // 绩效指标: 一级 shared (B), 实施期 C–E, 年度 F–H
        let top = g.row(RowStyle::Normal);
        let i = &self.labels.indicator;
        let heads = [
            &i.level1, &i.level2, &i.level3, &i.value, &i.level2, &i.level3, &i.value,
        ];
        for (c, label) in heads.into_iter().enumerate() {
            g.label(top, c + 1, c + 1, label.text());
        }
        let last = indicator_rows(
            &mut g,
            &p.period_indicators,
            &p.annual_indicators,
            1,
            &[2, 5],
        );
        g.label(top, 0, 0, l.indicators.text());
        g.merge(top, 0, last, 0);
        let r = g.row(RowStyle::Normal);
        for (i, (label, value)) in [
            (&l.responsible, &p.responsible),
            (&l.handler, &p.handler),
            (&l.phone, &p.phone),
            (&l.filed_on, &p.filed_on),
        ]
        .into_iter()
        .enumerate()
        {
            g.label(r, 2 * i, 2 * i, label.text());
            g.text(r, 2 * i + 1, 2 * i + 1, value);
        }
        let w = self.wording;
        g.into_table(
            w.project_sheet(n),
            &w.project_title,
            self.year_line(&w.project_year, &p.year),
            &self.labels.widths.project,
        )
    }

    /// The line under a title: the form's own year, else the budget year.
    fn year_line(&self, line: &str, form_year: &str) -> String {
        let year = if form_year.trim().is_empty() {
            self.budget_year.as_str()
        } else {
            form_year
        };
        line.replace("{year}", year)
    }
}

/// The parts of a project's funds under its 资金总额, as labelled.
type FundPart = fn(&ProjectFunds) -> Option<&Amount>;
fn fund_parts(l: &ProjectLabels) -> [(&str, FundPart); 5] {
    [
        (l.central.text(), |f| f.central.as_ref()),
        (l.provincial.text(), |f| f.provincial.as_ref()),
        (l.local.text(), |f| f.local.as_ref()),
        (l.self_raised.text(), |f| f.self_raised.as_ref()),
        (l.other.text(), |f| f.other.as_ref()),
    ]
}

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
        let tables = performance_tables(&b, &crate::spec::Template::load("sx-2025").unwrap());
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
        for t in performance_tables(&b, &crate::spec::Template::load("sx-2025").unwrap()) {
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
