//! What rules look at: the tables as filed, found by what they show (not
//! by id), with every value carrying its cell and a Chinese description.

use super::rows::{NO_ECONOMIC, NO_FIXED, NO_FUNCS, NO_PROJECTS};
use super::tab::TabMemo;
use crate::kinds::{
    fixed_rows, keyed_rows, kind_of, split_economic_rows, split_project_rows, GroupSum,
};
use crate::model::Budget;
use crate::read::FiledTable;
pub use crate::spec::Role;
use crate::spec::{ColumnKey, TableSpec, Template};
use std::cell::OnceCell;

pub use super::rows::{
    economic_what, is_total, line_code, line_what, EconomicRows, Fixed, FuncRows, KeyedRow,
    ProjectRows,
};
pub use super::tab::{Tab, TableName};
pub use super::val::{RowWhat, Val, What};

/// The input to every rule.
pub struct Context<'a> {
    /// The canonical model (performance forms are checked on it).
    pub budget: &'a Budget,
    /// The template requires the performance-target forms.
    pub forms_required: bool,
    tables: Vec<Located<'a>>,
}

/// A located table and what the rules work out about it once.
struct Located<'a> {
    filed: &'a FiledTable,
    spec: &'a TableSpec,
    /// The N of 表N (its place in the template).
    no: usize,
    /// Parsed numbers and column names (see [`Tab`]).
    memo: TabMemo,
    /// How its rows group.
    rows: Groupings<'a>,
}

/// How a table's rows group, each worked out on first use (a table has
/// the groupings of its role only).
#[derive(Default)]
struct Groupings<'a> {
    /// Aligned fixed rows (表1/表4).
    fixed: OnceCell<Fixed<'a>>,
    /// Total and function lines (表2/3/5/8/9).
    funcs: OnceCell<FuncRows<'a>>,
    /// Total, groups and items (表6).
    economic: OnceCell<EconomicRows<'a>>,
    /// Department, units and projects (表12/13).
    projects: OnceCell<ProjectRows<'a>>,
    /// Fixed rows by key (表10).
    keyed: OnceCell<Vec<KeyedRow<'a>>>,
    /// How the rows add up, as the table's kind declares.
    group_sums: OnceCell<Vec<GroupSum<'a>>>,
}

impl<'a> Located<'a> {
    /// The table as rules see it.
    fn tab(&self, idx: usize) -> Tab<'_> {
        Tab::new(self.filed, self.spec, self.no, idx, &self.memo)
    }
}

impl<'a> Context<'a> {
    /// A context over the located tables of a submission.
    pub fn new(budget: &'a Budget, tables: &'a [FiledTable], template: &'a Template) -> Self {
        let tables = tables
            .iter()
            .filter_map(|filed| {
                let no = template.tables.iter().position(|s| s.id == filed.id)? + 1;
                let spec = template.tables.get(no - 1)?;
                Some(Located {
                    filed,
                    spec,
                    no,
                    memo: TabMemo::default(),
                    rows: Groupings::default(),
                })
            })
            .collect();
        Context {
            budget,
            forms_required: template.performance_forms,
            tables,
        }
    }

    /// The fixed rows of a summary table (表1/表4), aligned once.
    pub fn fixed(&self, tab: &Tab<'_>) -> &Fixed<'a> {
        match self.tables.get(tab.idx) {
            Some(t) => t.rows.fixed.get_or_init(|| fixed_rows(t.filed, t.spec)),
            None => &NO_FIXED,
        }
    }

    /// The total row and lines of a function table, split once.
    pub fn funcs(&self, tab: &Tab<'_>) -> &FuncRows<'a> {
        match self.tables.get(tab.idx) {
            Some(t) => t
                .rows
                .funcs
                .get_or_init(|| FuncRows::split(t.filed, t.spec)),
            None => &NO_FUNCS,
        }
    }

    /// The total, groups and items of 表6, split once.
    pub fn economic(&self, tab: &Tab<'_>) -> &EconomicRows<'a> {
        match self.tables.get(tab.idx) {
            Some(t) => t
                .rows
                .economic
                .get_or_init(|| split_economic_rows(t.filed, t.spec)),
            None => &NO_ECONOMIC,
        }
    }

    /// The department, units and projects of 表12/13, split once.
    pub fn projects(&self, tab: &Tab<'_>) -> &ProjectRows<'a> {
        match self.tables.get(tab.idx) {
            Some(t) => t
                .rows
                .projects
                .get_or_init(|| split_project_rows(t.filed, t.spec, &self.budget.units)),
            None => &NO_PROJECTS,
        }
    }

    /// The fixed rows of 表10 by key (aligned on its `label` column), once.
    pub fn keyed(&self, tab: &Tab<'_>) -> &[KeyedRow<'a>] {
        match self.tables.get(tab.idx) {
            Some(t) => t
                .rows
                .keyed
                .get_or_init(|| keyed_rows(t.filed, t.spec, ColumnKey::Label)),
            None => &[],
        }
    }

    /// How a table's rows add up (its kind's group sums), worked out once.
    pub fn group_sums(&self, tab: &Tab<'_>) -> &[GroupSum<'a>] {
        match self.tables.get(tab.idx) {
            Some(t) => t.rows.group_sums.get_or_init(|| {
                kind_of(t.spec).group_sums(crate::kinds::Located {
                    table: t.filed,
                    spec: t.spec,
                    units: &self.budget.units,
                })
            }),
            None => &[],
        }
    }

    /// The table playing a role (as its template declares), if located.
    pub fn tab(&self, role: Role) -> Option<Tab<'_>> {
        let idx = self.tables.iter().position(|t| t.spec.role == role)?;
        self.tables.get(idx).map(|t| t.tab(idx))
    }

    /// Every located table.
    pub fn tabs(&self) -> Vec<Tab<'_>> {
        self.tables
            .iter()
            .enumerate()
            .map(|(idx, t)| t.tab(idx))
            .collect()
    }
}

/// True when a table shows any non-zero amount.
pub fn has_data(tab: &Tab<'_>) -> bool {
    let amount_keys = crate::kinds::amount_columns(tab.spec);
    tab.rows()
        .iter()
        .any(|r| amount_keys.iter().any(|k| tab.num(r, *k).is_nonzero()))
}
