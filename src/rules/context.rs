//! What rules look at: the tables as filed, found by what they show (not
//! by id), with every value carrying its cell and a Chinese description.

use super::rounding::Num;
use crate::model::{label_key, round_half_away, Budget};
use crate::read::{align_fixed_rows, FiledRow, FiledTable};
use crate::spec::{Layout, TableSpec, Template};
use rust_decimal::Decimal;
use std::cell::OnceCell;

/// The input to every rule.
pub struct Context<'a> {
    /// The canonical model (performance forms are checked on it).
    pub budget: &'a Budget,
    tabs: Vec<Tab<'a>>,
    /// Aligned fixed rows of each table, computed once (by `Tab::idx`).
    fixed: Vec<OnceCell<Fixed<'a>>>,
    /// Function lines of each table, computed once (by `Tab::idx`).
    funcs: Vec<OnceCell<FuncRows<'a>>>,
}

/// A located table with its spec and its number in the template (表N).
#[derive(Clone, Copy)]
pub struct Tab<'a> {
    /// The table as filed.
    pub filed: &'a FiledTable,
    /// Its spec.
    pub spec: &'a TableSpec,
    /// 1-based position in the template: the N of 表N.
    pub no: usize,
    /// Position among the context's tables.
    idx: usize,
}

/// A value to compare: the number, the cell it came from and what it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Val {
    /// The number.
    pub num: Num,
    /// `SHEET!A1`, when the value sits in a known cell (also when blank).
    pub cell: Option<String>,
    /// What it is, in Chinese: `表3 2011301 行政运行 基本支出`.
    pub what: String,
}

impl Val {
    /// A value from no cell (a row or table that is missing counts as
    /// blank).
    pub fn missing(what: impl Into<String>) -> Val {
        Val {
            num: Num::Blank,
            cell: None,
            what: what.into(),
        }
    }
}

/// Which published table a spec describes, by layout and scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// 表1 预算收支总表
    Summary,
    /// 表2 预算收入总表
    Income,
    /// 表3 预算支出总表
    Spending,
    /// 表4 财政拨款收支总表
    Fiscal,
    /// 表5 一般公共预算支出预算表
    General,
    /// 表6 基本支出分经济科目表
    Economic,
    /// 表7 政府性基金预算收入表
    FundIncome,
    /// 表8 政府性基金预算支出表
    FundSpending,
    /// 表9 国有资本经营预算收支预算表
    Capital,
    /// 表10 “三公”经费支出预算表
    ThreePublic,
    /// 表11 机关运行经费预算表
    Operating,
    /// 表12 项目支出预算表（本年预算）
    Projects,
    /// 表13 项目支出预算表（上年结转）
    CarryoverProjects,
}

/// The role of a spec.
pub fn role_of(spec: &TableSpec) -> Option<Role> {
    Some(match spec.layout {
        Layout::Summary => Role::Summary,
        Layout::FiscalSummary => Role::Fiscal,
        Layout::Economic => Role::Economic,
        Layout::Capital => Role::Capital,
        Layout::ThreePublic => Role::ThreePublic,
        Layout::OperatingCosts => Role::Operating,
        Layout::Projects if spec.carryover => Role::CarryoverProjects,
        Layout::Projects => Role::Projects,
        Layout::IncomeLines if spec.source.as_deref() == Some("state_capital") => return None,
        Layout::IncomeLines => Role::FundIncome,
        Layout::Functions => match spec.scope.as_deref() {
            Some("all") => Role::Spending,
            Some("general") => Role::General,
            Some("gov_fund") => Role::FundSpending,
            Some("state_capital") => Role::Capital,
            _ => Role::Income,
        },
    })
}

impl<'a> Context<'a> {
    /// A context over the located tables of a submission.
    pub fn new(budget: &'a Budget, tables: &'a [FiledTable], template: &'a Template) -> Self {
        let tabs: Vec<Tab<'a>> = tables
            .iter()
            .filter_map(|filed| {
                let no = template.tables.iter().position(|s| s.id == filed.id)? + 1;
                let spec = template.tables.get(no - 1)?;
                Some((filed, spec, no))
            })
            .enumerate()
            .map(|(idx, (filed, spec, no))| Tab {
                filed,
                spec,
                no,
                idx,
            })
            .collect();
        let n = tabs.len();
        Context {
            budget,
            tabs,
            fixed: (0..n).map(|_| OnceCell::new()).collect(),
            funcs: (0..n).map(|_| OnceCell::new()).collect(),
        }
    }

    /// The fixed rows of a summary table (表1/表4), aligned once.
    pub fn fixed(&self, tab: &Tab<'a>) -> &Fixed<'a> {
        match self.fixed.get(tab.idx) {
            Some(cell) => cell.get_or_init(|| fixed_rows(tab)),
            None => &NO_FIXED,
        }
    }

    /// The total row and lines of a function table, split once.
    pub fn funcs(&self, tab: &Tab<'a>) -> &FuncRows<'a> {
        match self.funcs.get(tab.idx) {
            Some(cell) => cell.get_or_init(|| func_rows(tab)),
            None => &NO_FUNCS,
        }
    }

    /// The table playing a role, if located.
    pub fn tab(&self, role: Role) -> Option<Tab<'a>> {
        self.tabs
            .iter()
            .copied()
            .find(|t| role_of(t.spec) == Some(role))
    }

    /// Every located table.
    pub fn tabs(&self) -> &[Tab<'a>] {
        &self.tabs
    }
}

/// Short Chinese names of column keys, for messages.
fn key_label(key: &str) -> Option<&'static str> {
    Some(match key {
        "total" | "out.total" => "合计",
        "current" => "本年收入合计",
        "carryover" => "上年结转",
        "basic" => "基本支出",
        "project" => "项目支出",
        "personnel" => "人员经费",
        "public" => "公用经费",
        "amount" | "in.amount" => "金额",
        "out.current" => "当年预算安排",
        "out.carryover" => "上年结转安排",
        "src.general" | "out.general" => "一般公共预算",
        "src.gov_fund" | "out.gov_fund" => "政府性基金预算",
        "src.state_capital" | "out.state_capital" => "国有资本经营预算",
        "src.special" => "财政专户管理资金",
        "src.unit" => "单位资金",
        _ => return None,
    })
}

impl<'a> Tab<'a> {
    /// `表N`.
    pub fn name(&self) -> String {
        format!("表{}", self.no)
    }

    /// The Chinese name of a column.
    pub fn column(&self, key: &str) -> String {
        key_label(key).map_or_else(
            || {
                self.spec
                    .col(key)
                    .and_then(|i| self.spec.column_paths().get(i)?.last().cloned())
                    .unwrap_or_else(|| key.to_string())
            },
            str::to_string,
        )
    }

    /// True when the spec has the column.
    pub fn has(&self, key: &str) -> bool {
        self.spec.col(key).is_some()
    }

    /// The number under a column, in 万元 (a sheet in 元 is scaled and
    /// rounded as the reader does).
    pub fn num(&self, row: &FiledRow, key: &str) -> Num {
        let Some(cell) = row.cell(self.spec, key) else {
            return Num::Blank;
        };
        match Num::parse(&cell.text) {
            Num::Value(v) if self.filed.scale != Decimal::ONE => {
                Num::Value(round_half_away(v * self.filed.scale, 2))
            }
            n => n,
        }
    }

    /// The value under a column of a row described as `row_what`.
    pub fn val(&self, row: &FiledRow, key: &str, row_what: &str) -> Val {
        Val {
            num: self.num(row, key),
            cell: row.reference(self.filed, self.spec, key),
            what: self.what(row_what, key),
        }
    }

    /// The value under a column of an optional row (missing → blank).
    pub fn val_opt(&self, row: Option<&FiledRow>, key: &str, row_what: &str) -> Val {
        match row {
            Some(r) => self.val(r, key, row_what),
            None => Val::missing(self.what(row_what, key)),
        }
    }

    /// `表N row column`.
    pub fn what(&self, row_what: &str, key: &str) -> String {
        if row_what.is_empty() {
            format!("{} {}", self.name(), self.column(key))
        } else {
            format!("{} {} {}", self.name(), row_what, self.column(key))
        }
    }

    /// The amount columns among `keys` that the spec has.
    pub fn present<'k>(&self, keys: &[&'k str]) -> Vec<&'k str> {
        keys.iter().copied().filter(|k| self.has(k)).collect()
    }

    /// The spec's columns starting with `prefix` (e.g. `src.`).
    pub fn columns_with(&self, prefix: &str) -> Vec<&'a str> {
        self.spec
            .columns
            .iter()
            .map(String::as_str)
            .filter(|c| c.starts_with(prefix))
            .collect()
    }

    /// The body rows.
    pub fn rows(&self) -> &'a [FiledRow] {
        &self.filed.rows
    }

    /// The A1 reference of a column in a row (also when blank).
    pub fn reference(&self, row: &FiledRow, key: &str) -> Option<String> {
        row.reference(self.filed, self.spec, key)
    }
}

/// No fixed rows (a table from another context).
static NO_FIXED: Fixed<'static> = Fixed {
    income: Vec::new(),
    expense: Vec::new(),
};

/// No function lines.
static NO_FUNCS: FuncRows<'static> = FuncRows {
    total: None,
    lines: Vec::new(),
};

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

impl FuncRows<'_> {
    /// The row of a code.
    pub fn line(&self, code: &str) -> Option<&FiledRow> {
        self.lines.iter().find(|(c, _)| c == code).map(|(_, r)| *r)
    }
}

/// The code of a function-table row, if it is a valid 3/5/7-digit code.
pub fn line_code(tab: &Tab<'_>, row: &FiledRow) -> Option<String> {
    let code = row.key(tab.spec, "code");
    let code = code.strip_suffix(".0").unwrap_or(&code);
    (code.chars().all(|c| c.is_ascii_digit()) && [3, 5, 7].contains(&code.len()))
        .then(|| code.to_string())
}

/// The total row and lines of a function table (表2/3/5/8 and 表9's
/// spending side).
fn func_rows<'a>(tab: &Tab<'a>) -> FuncRows<'a> {
    let mut out = FuncRows {
        total: None,
        lines: Vec::new(),
    };
    for row in tab.rows() {
        let total = is_total(&row.key(tab.spec, "code"))
            || (tab.has("in.code") && is_total(&row.key(tab.spec, "in.code")));
        if total && out.total.is_none() {
            out.total = Some(row);
        } else if let Some(code) = line_code(tab, row) {
            out.lines.push((code, row));
        }
    }
    out
}

/// `code name` of a function line, for messages.
pub fn line_what(tab: &Tab<'_>, code: &str, row: Option<&FiledRow>) -> String {
    let name = row.map(|r| r.text(tab.spec, "name")).unwrap_or_default();
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
    pub fn inc_label(&self, key: &str) -> String {
        label_of(&self.income, key)
    }

    /// The expense-side label of a key.
    pub fn out_label(&self, key: &str) -> String {
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

fn label_of(side: &[(String, String, Option<&FiledRow>)], key: &str) -> String {
    side.iter()
        .find(|(k, _, _)| k == key)
        .map(|(_, l, _)| l.clone())
        .unwrap_or_else(|| key.to_string())
}

/// Aligns the fixed rows of a summary table (表1/表4).
fn fixed_rows<'a>(tab: &Tab<'a>) -> Fixed<'a> {
    let spec = tab.spec;
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
        let at = align_fixed_rows(&tab.filed.rows, spec, col, &labels);
        side.into_iter()
            .zip(at)
            .filter(|((k, _), _)| !k.is_empty())
            .map(|((k, l), i)| (k, l, i.and_then(|i| tab.filed.rows.get(i))))
            .collect()
    };
    Fixed {
        income: align(income, "in.label"),
        expense: align(expense, "out.label"),
    }
}

/// The rows of a fixed-row table (表10) by key.
pub fn keyed_rows<'a>(tab: &Tab<'a>, col: &str) -> Vec<(String, String, Option<&'a FiledRow>)> {
    let labels: Vec<&str> = tab.spec.fixed_rows.iter().map(|r| r.0.as_str()).collect();
    let at = align_fixed_rows(&tab.filed.rows, tab.spec, col, &labels);
    tab.spec
        .fixed_rows
        .iter()
        .zip(at)
        .map(|(f, i)| {
            (
                f.1.clone(),
                f.0.clone(),
                i.and_then(|i| tab.filed.rows.get(i)),
            )
        })
        .collect()
}

/// The 表6 rows: the 合计 row and groups with their items.
pub struct EconomicRows<'a> {
    /// The 合计 row.
    pub total: Option<&'a FiledRow>,
    /// Groups: (group row, item rows).
    pub groups: Vec<(&'a FiledRow, Vec<&'a FiledRow>)>,
}

/// Splits 表6 into its total, groups and items (an item names a
/// government economic class; a group does not).
pub fn economic_rows<'a>(tab: &Tab<'a>) -> EconomicRows<'a> {
    let mut out = EconomicRows {
        total: None,
        groups: Vec::new(),
    };
    for row in tab.rows() {
        let name = row.key(tab.spec, "name");
        if is_total(&name) {
            out.total = Some(row);
        } else if row.key(tab.spec, "gov_name").is_empty() {
            out.groups.push((row, Vec::new()));
        } else if let Some((_, items)) = out.groups.last_mut() {
            items.push(row);
        }
    }
    out
}

/// `部门预算科目/政府预算科目` of a 表6 row.
pub fn economic_what(tab: &Tab<'_>, row: &FiledRow) -> String {
    let name = row.text(tab.spec, "name");
    let gov = row.text(tab.spec, "gov_name");
    if gov.is_empty() {
        name
    } else {
        format!("{name}/{gov}")
    }
}

/// The 表12/13 rows: the department row, units with their projects, and
/// projects filed before any unit.
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

/// Splits a project table: the first row is the department; a row naming
/// a unit of the budget (or ending in `(本级)`) starts a unit; the rest are
/// projects.
pub fn project_rows<'a>(tab: &Tab<'a>, budget: &Budget) -> ProjectRows<'a> {
    let units: Vec<String> = budget.units.iter().map(|u| label_key(u)).collect();
    let mut out = ProjectRows {
        department: None,
        units: Vec::new(),
        loose: Vec::new(),
    };
    for (i, row) in tab.rows().iter().enumerate() {
        let name = row.key(tab.spec, "name");
        if name.is_empty() {
            continue;
        }
        if i == 0 {
            out.department = Some(row);
        } else if units.contains(&name) || name.ends_with("(本级)") {
            out.units.push((row, Vec::new()));
        } else if let Some((_, projects)) = out.units.last_mut() {
            projects.push(row);
        } else {
            out.loose.push(row);
        }
    }
    out
}

/// True when a table shows any non-zero amount.
pub fn has_data(tab: &Tab<'_>) -> bool {
    let amount_keys: Vec<&str> = tab
        .spec
        .columns
        .iter()
        .map(String::as_str)
        .filter(|k| !crate::views::is_label_key(k))
        .collect();
    tab.rows()
        .iter()
        .any(|r| amount_keys.iter().any(|k| tab.num(r, k).is_nonzero()))
}
