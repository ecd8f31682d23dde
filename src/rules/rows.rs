//! How the rows of a table group, as the rules read them: the fixed rows
//! of 表1/表4 and 表10, the total and lines of the function tables, the
//! groups and items of 表6, the units and projects of 表12/13. The
//! [`Context`](super::context::Context) works each out once per table.

use crate::model::Budget;
use crate::read::{align_fixed_rows, FiledRow, FiledTable};
use crate::spec::TableSpec;

/// True for a total label (合计, 总计).
pub fn is_total(key: &str) -> bool {
    matches!(key, "合计" | "总计")
}

/// A function-classification table split into its total row and its
/// lines (code, row), lines in filed order.
pub struct FuncRows<'a> {
    /// The 合计 row.
    pub total: Option<&'a FiledRow>,
    /// Lines with a 3-, 5- or 7-digit code.
    pub lines: Vec<(String, &'a FiledRow)>,
}

impl<'a> FuncRows<'a> {
    /// The 合计 row, then every line, each with how findings name it.
    pub fn described<'t>(
        &'t self,
        tab: &'t super::context::Tab<'_>,
    ) -> impl Iterator<Item = (super::val::RowWhat<'t>, &'a FiledRow)> + 't {
        self.total
            .map(|r| (super::val::RowWhat::from("合计"), r))
            .into_iter()
            .chain(
                self.lines
                    .iter()
                    .map(move |(c, r)| (super::val::RowWhat::line(tab, c, Some(r)), *r)),
            )
    }

    /// The row of a code.
    pub fn line(&self, code: &str) -> Option<&FiledRow> {
        self.lines.iter().find(|(c, _)| c == code).map(|(_, r)| *r)
    }
}

/// The code of a function-table row, if it is a valid 3/5/7-digit code.
pub fn line_code(spec: &TableSpec, row: &FiledRow) -> Option<String> {
    let code = row.key(spec, "code");
    let code = code.strip_suffix(".0").unwrap_or(&code);
    (code.chars().all(|c| c.is_ascii_digit()) && [3, 5, 7].contains(&code.len()))
        .then(|| code.to_string())
}

/// The total row and lines of a function table (表2/3/5/8 and 表9's
/// spending side).
pub(super) fn func_rows<'a>(filed: &'a FiledTable, spec: &TableSpec) -> FuncRows<'a> {
    let mut out = FuncRows {
        total: None,
        lines: Vec::new(),
    };
    let in_code = spec.col("in.code").is_some();
    for row in &filed.rows {
        let total =
            is_total(&row.key(spec, "code")) || (in_code && is_total(&row.key(spec, "in.code")));
        if total && out.total.is_none() {
            out.total = Some(row);
        } else if let Some(code) = line_code(spec, row) {
            out.lines.push((code, row));
        }
    }
    out
}

/// `code name` of a function line, for messages.
pub fn line_what(spec: &TableSpec, code: &str, row: Option<&FiledRow>) -> String {
    let name = row.map(|r| r.text(spec, "name")).unwrap_or_default();
    if name.is_empty() {
        code.to_string()
    } else {
        format!("{code} {name}")
    }
}

/// The fixed rows of 表1/表4 aligned to the filed rows: income side by
/// key (`general` …, `income_total`, `carryover`, `carryover.general` …,
/// `grand_total`) and expense side by key (类 code, `expense_total`,
/// `year_end`, `grand_total`).
pub struct Fixed<'a> {
    /// (key, label, row) on the income side.
    pub income: Vec<(String, String, Option<&'a FiledRow>)>,
    /// (key, label, row) on the expense side.
    pub expense: Vec<(String, String, Option<&'a FiledRow>)>,
}

impl<'a> Fixed<'a> {
    /// The income-side row of a key.
    pub fn inc(&self, key: &str) -> Option<&'a FiledRow> {
        self.income
            .iter()
            .find(|(k, _, _)| k == key)
            .and_then(|(_, _, r)| *r)
    }

    /// The expense-side row of a key.
    pub fn out(&self, key: &str) -> Option<&'a FiledRow> {
        self.expense
            .iter()
            .find(|(k, _, _)| k == key)
            .and_then(|(_, _, r)| *r)
    }

    /// The income-side label of a key.
    pub fn inc_label<'s>(&'s self, key: &'s str) -> &'s str {
        label_of(&self.income, key)
    }

    /// The expense-side label of a key.
    pub fn out_label<'s>(&'s self, key: &'s str) -> &'s str {
        label_of(&self.expense, key)
    }

    /// The 类 rows of the expense side: (code, label, row).
    pub fn classes(&self) -> impl Iterator<Item = &(String, String, Option<&'a FiledRow>)> {
        self.expense
            .iter()
            .filter(|(k, _, _)| k.chars().all(|c| c.is_ascii_digit()))
    }

    /// The source rows of the income side (before the footers).
    pub fn sources(&self, n: usize) -> &[(String, String, Option<&'a FiledRow>)] {
        self.income.get(..n).unwrap_or(&[])
    }
}

fn label_of<'s>(side: &'s [(String, String, Option<&FiledRow>)], key: &'s str) -> &'s str {
    side.iter()
        .find(|(k, _, _)| k == key)
        .map_or(key, |(_, l, _)| l.as_str())
}

/// Aligns the fixed rows of a summary table (表1/表4).
pub(super) fn fixed_rows<'a>(filed: &'a FiledTable, spec: &TableSpec) -> Fixed<'a> {
    let mut income: Vec<(String, String)> = spec
        .income_rows
        .iter()
        .map(|r| (r.1.clone(), r.0.clone()))
        .collect();
    income.extend(spec.footer_rows.iter().map(|f| (f.1.clone(), f.0.clone())));
    let mut expense: Vec<(String, String)> = spec
        .expense_rows
        .iter()
        .map(|r| (r.1.clone(), r.0.clone()))
        .collect();
    expense.extend(
        spec.footer_rows
            .iter()
            .filter(|f| !f.2.is_empty())
            .map(|f| (f.3.clone(), f.2.clone())),
    );
    let align = |side: Vec<(String, String)>, col: &str| {
        let labels: Vec<&str> = side.iter().map(|(_, l)| l.as_str()).collect();
        let at = align_fixed_rows(&filed.rows, spec, col, &labels);
        side.into_iter()
            .zip(at)
            .filter(|((k, _), _)| !k.is_empty())
            .map(|((k, l), i)| (k, l, i.and_then(|i| filed.rows.get(i))))
            .collect()
    };
    Fixed {
        income: align(income, "in.label"),
        expense: align(expense, "out.label"),
    }
}

/// A fixed row found in a table: (key, label, row).
pub type KeyedRow<'a> = (String, String, Option<&'a FiledRow>);

/// The rows of a fixed-row table (表10) by key, aligned on column `col`.
pub(super) fn keyed_rows<'a>(
    filed: &'a FiledTable,
    spec: &TableSpec,
    col: &str,
) -> Vec<KeyedRow<'a>> {
    let labels: Vec<&str> = spec.fixed_rows.iter().map(|r| r.0.as_str()).collect();
    let at = align_fixed_rows(&filed.rows, spec, col, &labels);
    spec.fixed_rows
        .iter()
        .zip(at)
        .map(|(f, i)| (f.1.clone(), f.0.clone(), i.and_then(|i| filed.rows.get(i))))
        .collect()
}

pub use crate::read::EconomicRows;

/// Splits 表6 as the reader does (one interpretation:
/// [`crate::read::split_economic_rows`]).
pub(super) fn economic_rows<'a>(filed: &'a FiledTable, spec: &TableSpec) -> EconomicRows<'a> {
    crate::read::split_economic_rows(filed, spec)
}

/// `部门预算科目/政府预算科目` of a 表6 row.
pub fn economic_what(spec: &TableSpec, row: &FiledRow) -> String {
    let name = row.text(spec, "name");
    let gov = row.text(spec, "gov_name");
    if gov.is_empty() {
        name
    } else {
        format!("{name}/{gov}")
    }
}

pub use crate::read::ProjectRows;

/// Splits a project table as the reader does (one interpretation:
/// [`crate::read::split_project_rows`]).
pub(super) fn project_rows<'a>(
    filed: &'a FiledTable,
    spec: &TableSpec,
    budget: &Budget,
) -> ProjectRows<'a> {
    crate::read::split_project_rows(filed, spec, &budget.units)
}

/// No fixed rows (a table from another context).
pub(super) static NO_FIXED: Fixed<'static> = Fixed {
    income: Vec::new(),
    expense: Vec::new(),
};

/// No function lines.
pub(super) static NO_FUNCS: FuncRows<'static> = FuncRows {
    total: None,
    lines: Vec::new(),
};

/// No 表6 rows.
pub(super) static NO_ECONOMIC: EconomicRows<'static> = EconomicRows {
    total: None,
    ungrouped: Vec::new(),
    groups: Vec::new(),
};

/// No 表12/13 rows.
pub(super) static NO_PROJECTS: ProjectRows<'static> = ProjectRows {
    department: None,
    units: Vec::new(),
    loose: Vec::new(),
};
