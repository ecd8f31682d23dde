//! The fill-in workbook handed to departments: the published tables' layout
//! with blank rows to type into, which cells are inputs, and the formulas of
//! the derived cells (with their results computed here, so readers that do
//! not calculate — calamine, pandas — see the numbers).
//!
//! Inputs are exactly the facts the model stores as stated (function lines,
//! their 合计/类/款 rows, economic items, income lines, the "三公" items,
//! each unit's operating costs, project rows, 年终结转 and the fiscal
//! carry-over by fund); formulas are exactly the cells the views derive
//! (合计 = Σ sources, 合计 = 基本 + 项目, 合计 = 人员 + 公用, the "三公"
//! and 机关运行经费 totals, and all of 表1/表4 from 表2). So a filled copy
//! reads back to the model it was filled from.

use super::fill_in_eval::evaluate;
use super::fill_in_forms::{fill_in_forms, DEFAULT_PROJECT_FORMS};
use super::fill_in_help::instructions;
use super::frame::is_label_key;
use super::standard::standard_table;
use super::table::{Cell, Row, RowStyle, Table};
use crate::model::{Budget, FISCAL_KEYS};
use crate::spec::{Layout, TableSpec, Template};

/// Blank input rows a table offers at least (body rows, 合计 row included).
fn min_rows(layout: Layout) -> usize {
    match layout {
        Layout::Functions | Layout::Economic | Layout::Projects => 40,
        Layout::Capital => 20,
        Layout::IncomeLines | Layout::OperatingCosts => 10,
        _ => 0,
    }
}

/// The note under the tables that are published with 注：本表无数据 when
/// empty: in the fill-in workbook the department cannot type a note (the
/// sheet is locked), and the export adds the published one.
pub const FILL_IN_NOTE: &str = "注：没有数据的表留空即可，导出公开表时自动加注。";

/// Blank rows kept after the prefilled ones.
const SPARE_ROWS: usize = 10;

/// What a department types into an input cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// An amount in 万元 (decimal validation).
    Amount,
    /// A function-classification code (dropdown of valid codes).
    FunctionCode,
    /// Free text (names, income codes).
    Text,
}

/// One addend of a formula.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// A body cell; `sheet` is `None` for the formula's own sheet.
    Cell {
        /// Sheet of another table, or `None`.
        sheet: Option<String>,
        /// Body row (0 = first row under the header).
        row: usize,
        /// Column.
        col: usize,
    },
    /// `SUMIF(key column, "text", value column)` over body rows of a sheet.
    SumIf {
        /// Sheet of the table summed.
        sheet: String,
        /// Column compared with `equals`.
        key_col: usize,
        /// Column summed.
        value_col: usize,
        /// First body row of the range.
        first_row: usize,
        /// Last body row of the range (inclusive).
        last_row: usize,
        /// The key text (a 类 code).
        equals: String,
    },
}

/// A derived cell's formula.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Formula {
    /// The sum of the terms (blank when every term is blank).
    Sum(Vec<Term>),
    /// The department name typed on the instructions sheet.
    Department,
}

/// A published table prepared for filling in.
#[derive(Debug, Clone, PartialEq)]
pub struct FillTable {
    /// The table: frame, labels, prefilled values and formula results.
    pub table: Table,
    /// Input cells: body row, column, kind.
    pub inputs: Vec<(usize, usize, Input)>,
    /// Formula cells: body row, column, formula.
    pub formulas: Vec<(usize, usize, Formula)>,
}

impl FillTable {
    /// The input kind of a body cell, if it is an input.
    pub fn input_at(&self, row: usize, col: usize) -> Option<Input> {
        self.inputs
            .iter()
            .find(|(r, c, _)| *r == row && *c == col)
            .map(|(_, _, k)| *k)
    }
}

/// The fill-in workbook: instructions, tables and the code list.
#[derive(Debug, Clone, PartialEq)]
pub struct FillInBook {
    /// Template id.
    pub template: String,
    /// Template description.
    pub description: String,
    /// Department name (may be empty).
    pub department: String,
    /// Budget year.
    pub year: i32,
    /// Lines of the 填报说明 sheet.
    pub instructions: Vec<String>,
    /// The tables in template order.
    pub tables: Vec<FillTable>,
    /// The performance-target forms (department form, then project forms)
    /// when the template has them.
    pub forms: Vec<FillTable>,
    /// Valid function codes (code, name) for the dropdowns.
    pub function_codes: Vec<(String, String)>,
}

/// Builds the fill-in workbook for `template`, prefilled from `budget`
/// (an empty budget with a department and year gives the blank form),
/// with [`DEFAULT_PROJECT_FORMS`] project forms at least.
pub fn fill_in_book(
    budget: &Budget,
    template: &Template,
    function_codes: Vec<(String, String)>,
) -> FillInBook {
    fill_in_book_with(budget, template, function_codes, DEFAULT_PROJECT_FORMS)
}

/// [`fill_in_book`] with `projects` project forms at least (when the
/// template has performance forms).
pub fn fill_in_book_with(
    budget: &Budget,
    template: &Template,
    function_codes: Vec<(String, String)>,
    projects: usize,
) -> FillInBook {
    let income = income_table(template);
    let mut tables: Vec<FillTable> = template
        .tables
        .iter()
        .map(|spec| fill_table(budget, template, spec))
        .collect();
    // 表1/表4 refer to the income table's final row count.
    let income_ref = income.and_then(|spec| {
        let rows = tables
            .iter()
            .zip(&template.tables)
            .find(|(_, s)| s.id == spec.id)
            .map(|(t, _)| t.table.rows.len())?;
        Some(IncomeRef { spec, rows })
    });
    for (t, spec) in tables.iter_mut().zip(&template.tables) {
        if matches!(spec.layout, Layout::Summary | Layout::FiscalSummary) {
            summary_formulas(t, spec, income_ref.as_ref());
        }
    }
    evaluate(&mut tables, &budget.department);
    let forms = if template.performance_forms {
        fill_in_forms(budget, projects, template)
    } else {
        Vec::new()
    };
    FillInBook {
        template: template.id.clone(),
        description: template.description.clone(),
        department: budget.department.clone(),
        year: budget.year,
        instructions: instructions(template, budget.year, &forms),
        tables,
        forms,
        function_codes,
    }
}

/// The table that states income by function line and source (表2).
fn income_table(template: &Template) -> Option<&TableSpec> {
    template
        .tables
        .iter()
        .find(|t| t.layout == Layout::Functions && t.columns.iter().any(|c| c.starts_with("src.")))
}

fn blank_row(width: usize) -> Row {
    Row::new(vec![Cell::Empty; width], RowStyle::Normal)
}

fn fill_table(budget: &Budget, template: &Template, spec: &TableSpec) -> FillTable {
    let mut table = standard_table(budget, template, spec);
    table.note = noted(spec).then(|| FILL_IN_NOTE.to_string());
    let width = spec.columns.len();
    if spec.layout == Layout::Projects && table.rows.is_empty() {
        let mut first = blank_row(width);
        if let Some(c) = spec.col("name") {
            first.cells[c] = Cell::text(&budget.department);
        }
        first.style = RowStyle::Total;
        table.rows.push(first);
    }
    let wanted = match spec.layout {
        Layout::Summary | Layout::FiscalSummary | Layout::ThreePublic => table.rows.len(),
        l => (table.rows.len() + SPARE_ROWS).max(min_rows(l)),
    };
    while table.rows.len() < wanted {
        table.rows.push(blank_row(width));
    }
    let mut fill = FillTable {
        table,
        inputs: Vec::new(),
        formulas: Vec::new(),
    };
    match spec.layout {
        Layout::Summary | Layout::FiscalSummary => {}
        Layout::ThreePublic => three_public_cells(&mut fill, spec),
        _ => row_cells(&mut fill, spec),
    }
    fill
}

/// True for the tables published with 注：本表无数据 when empty.
fn noted(spec: &TableSpec) -> bool {
    match spec.layout {
        Layout::IncomeLines | Layout::Capital | Layout::Projects => true,
        Layout::Functions => !matches!(spec.scope.as_deref(), None | Some("all")),
        _ => false,
    }
}

/// Inputs and same-row formulas of the row-per-item layouts.
fn row_cells(fill: &mut FillTable, spec: &TableSpec) {
    let cols = |pred: &dyn Fn(&str) -> bool| -> Vec<usize> {
        spec.columns
            .iter()
            .enumerate()
            .filter(|(_, k)| pred(k))
            .map(|(i, _)| i)
            .collect()
    };
    let sources = cols(&|k| k.starts_with("src."));
    let n = fill.table.rows.len();
    for r in 0..n {
        let first = r == 0;
        for (c, key) in spec.columns.iter().enumerate() {
            let same_row = |cs: &[usize]| {
                Formula::Sum(
                    cs.iter()
                        .map(|&col| Term::Cell {
                            sheet: None,
                            row: r,
                            col,
                        })
                        .collect(),
                )
            };
            let derived = match (spec.layout, key.as_str()) {
                (Layout::Functions, "current") => Some(same_row(&sources)),
                (Layout::Functions | Layout::Capital, "total") => {
                    Some(same_row(&cols(&|k| k == "basic" || k == "project")))
                }
                (Layout::Economic, "total") => {
                    Some(same_row(&cols(&|k| k == "personnel" || k == "public")))
                }
                (Layout::OperatingCosts | Layout::Projects, "total") => {
                    let fiscal = cols(&|k| {
                        k.strip_prefix("src.").is_some_and(|s| {
                            (spec.layout == Layout::Projects && !spec.carryover)
                                || FISCAL_KEYS.contains(&s)
                        })
                    });
                    Some(same_row(&fiscal))
                }
                (Layout::OperatingCosts, k) if first && k.starts_with("src.") => {
                    Some(Formula::Sum(
                        (1..n)
                            .map(|row| Term::Cell {
                                sheet: None,
                                row,
                                col: c,
                            })
                            .collect(),
                    ))
                }
                (Layout::Projects, "name") if first => Some(Formula::Department),
                _ => None,
            };
            if let Some(f) = derived {
                fill.formulas.push((r, c, f));
                continue;
            }
            let input = match key.as_str() {
                "code" if first => None,
                "code" if spec.layout != Layout::IncomeLines => Some(Input::FunctionCode),
                "in.code" | "unit" if first => None,
                "name" | "gov_name" | "in.name" if first => None,
                k if is_label_key(k) => Some(Input::Text),
                _ => Some(Input::Amount),
            };
            if let Some(kind) = input {
                fill.inputs.push((r, c, kind));
            }
        }
    }
}

/// 表10 (rows of items × funds) or the one-row form (items as columns).
fn three_public_cells(fill: &mut FillTable, spec: &TableSpec) {
    let parts = |key: &str| -> Option<Vec<&str>> {
        match key {
            "vehicle" => Some(vec!["vehicle_purchase", "vehicle_operation"]),
            "total" => Some(vec![
                "abroad",
                "reception",
                "vehicle_purchase",
                "vehicle_operation",
            ]),
            _ => None,
        }
    };
    if spec.fixed_rows.is_empty() {
        for (c, key) in spec.columns.iter().enumerate() {
            match parts(key) {
                Some(ps) => {
                    let terms = ps
                        .iter()
                        .filter_map(|p| spec.col(p))
                        .map(|col| Term::Cell {
                            sheet: None,
                            row: 0,
                            col,
                        })
                        .collect();
                    fill.formulas.push((0, c, Formula::Sum(terms)));
                }
                None => fill.inputs.push((0, c, Input::Amount)),
            }
        }
        return;
    }
    let row_of = |key: &str| spec.fixed_rows.iter().position(|f| f.1 == key);
    let sources: Vec<usize> = spec
        .columns
        .iter()
        .enumerate()
        .filter(|(_, k)| k.starts_with("src."))
        .map(|(i, _)| i)
        .collect();
    for (r, fixed) in spec.fixed_rows.iter().enumerate() {
        let rows: Option<Vec<usize>> =
            parts(&fixed.1).and_then(|ps| ps.iter().map(|p| row_of(p)).collect());
        for (c, key) in spec.columns.iter().enumerate() {
            if key == "label" {
                continue;
            }
            if key == "total" {
                let terms = sources
                    .iter()
                    .map(|&col| Term::Cell {
                        sheet: None,
                        row: r,
                        col,
                    })
                    .collect();
                fill.formulas.push((r, c, Formula::Sum(terms)));
            } else if let Some(rows) = &rows {
                let terms = rows
                    .iter()
                    .map(|&row| Term::Cell {
                        sheet: None,
                        row,
                        col: c,
                    })
                    .collect();
                fill.formulas.push((r, c, Formula::Sum(terms)));
            } else {
                fill.inputs.push((r, c, Input::Amount));
            }
        }
    }
}

/// Where 表1/表4 find the income table.
struct IncomeRef<'a> {
    spec: &'a TableSpec,
    rows: usize,
}

impl IncomeRef<'_> {
    fn total(&self, key: &str) -> Option<Term> {
        Some(Term::Cell {
            sheet: Some(self.spec.sheet.clone()),
            row: 0,
            col: self.spec.col(key)?,
        })
    }

    fn sum_if(&self, code: &str, key: &str) -> Option<Term> {
        Some(Term::SumIf {
            sheet: self.spec.sheet.clone(),
            key_col: self.spec.col("code")?,
            value_col: self.spec.col(key)?,
            first_row: 1,
            last_row: self.rows.saturating_sub(1).max(1),
            equals: code.to_string(),
        })
    }
}

/// 表1/表4: every amount a formula over 表2 and the table's own footers,
/// except 年终结转 and the fiscal carry-over by fund, which are typed.
fn summary_formulas(fill: &mut FillTable, spec: &TableSpec, income: Option<&IncomeRef<'_>>) {
    let fiscal = spec.layout == Layout::FiscalSummary;
    let n = spec.income_rows.len().max(spec.expense_rows.len());
    let in_col = spec.col("in.amount");
    let own = |row: usize, col: Option<usize>| {
        col.map(|col| Term::Cell {
            sheet: None,
            row,
            col,
        })
    };
    let footer_row = |key: &str, side: usize| {
        spec.footer_rows
            .iter()
            .position(|f| if side == 0 { f.1 == key } else { f.3 == key })
            .map(|i| n + i)
    };
    let in_cell = |key: &str| footer_row(key, 0).and_then(|r| own(r, in_col));
    let out_cell = |key: &str, col: &str| footer_row(key, 1).and_then(|r| own(r, spec.col(col)));
    let src_total = |k: &str| income.and_then(|i| i.total(&format!("src.{k}")));
    let income_cells: Vec<Term> = (0..spec.income_rows.len())
        .filter_map(|r| own(r, in_col))
        .collect();
    let carry_rows: Vec<Term> = spec
        .footer_rows
        .iter()
        .enumerate()
        .filter(|(_, f)| f.1.starts_with("carryover."))
        .filter_map(|(i, _)| own(n + i, in_col))
        .collect();
    let put = |fill: &mut FillTable, row: usize, col: Option<usize>, terms: Vec<Option<Term>>| {
        let terms: Vec<Term> = terms.into_iter().flatten().collect();
        if let (Some(col), false) = (col, terms.is_empty()) {
            fill.formulas.push((row, col, Formula::Sum(terms)));
        }
    };
    for (r, (_, key)) in spec.income_rows.iter().map(|f| (&f.0, &f.1)).enumerate() {
        put(fill, r, in_col, vec![src_total(key)]);
    }
    for (r, (_, code)) in spec.expense_rows.iter().map(|f| (&f.0, &f.1)).enumerate() {
        for (c, key) in spec.columns.iter().enumerate() {
            let sum_if = |k: &str| income.and_then(|i| i.sum_if(code, k));
            let terms = match key.as_str() {
                "out.total" if fiscal => FISCAL_KEYS
                    .iter()
                    .map(|f| sum_if(&format!("src.{f}")))
                    .collect(),
                "out.total" => vec![sum_if("current"), sum_if("carryover")],
                "out.current" => vec![sum_if("current")],
                "out.carryover" => vec![sum_if("carryover")],
                k => match k.strip_prefix("out.") {
                    Some(f) => vec![sum_if(&format!("src.{f}"))],
                    None => continue,
                },
            };
            put(fill, r, Some(c), terms);
        }
    }
    for (i, f) in spec.footer_rows.iter().enumerate() {
        let r = n + i;
        let in_terms = match f.1.as_str() {
            "income_total" => income_cells.iter().cloned().map(Some).collect(),
            "carryover" if fiscal => carry_rows.iter().cloned().map(Some).collect(),
            "carryover" => vec![income.and_then(|i| i.total("carryover"))],
            "grand_total" => vec![in_cell("income_total"), in_cell("carryover")],
            k if k.starts_with("carryover.") => {
                if let Some(c) = in_col {
                    fill.inputs.push((r, c, Input::Amount));
                }
                Vec::new()
            }
            _ => Vec::new(),
        };
        if !in_terms.is_empty() {
            put(fill, r, in_col, in_terms);
        }
        for (c, key) in spec.columns.iter().enumerate() {
            let terms = match (f.3.as_str(), key.as_str()) {
                ("year_end", "out.total") => {
                    fill.inputs.push((r, c, Input::Amount));
                    continue;
                }
                ("expense_total" | "grand_total", "out.total") => {
                    let mut t = vec![in_cell("income_total"), in_cell("carryover")];
                    if f.3 == "grand_total" {
                        t.push(out_cell("year_end", "out.total"));
                    }
                    t
                }
                ("expense_total" | "grand_total", "out.current") => vec![in_cell("income_total")],
                ("expense_total" | "grand_total", "out.carryover") => vec![in_cell("carryover")],
                ("expense_total" | "grand_total", k) if k.starts_with("out.") => {
                    let fund = k.trim_start_matches("out.");
                    let mut t = vec![src_total(fund)];
                    if f.3 == "grand_total" {
                        t.push(in_cell(&format!("carryover.{fund}")));
                    }
                    t
                }
                _ => continue,
            };
            put(fill, r, Some(c), terms);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_form_has_formulas_with_blank_results_and_inputs() {
        let t = Template::load("sx-2025").unwrap();
        let b = Budget {
            department: "测试局".into(),
            year: 2026,
            ..Budget::default()
        };
        let book = fill_in_book(&b, &t, vec![]);
        let t2 = &book.tables[1];
        assert_eq!(t2.table.rows.len(), 40);
        // 合计 column of 表2 is Σ sources, blank while nothing is typed.
        let (r, c, f) = &t2.formulas[0];
        assert_eq!((*r, *c), (0, 2));
        assert!(matches!(f, Formula::Sum(terms) if terms.len() == 5));
        assert_eq!(t2.table.rows[0].cells[2], Cell::Empty);
        assert_eq!(t2.input_at(1, 0), Some(Input::FunctionCode));
        assert_eq!(t2.input_at(0, 0), None);
        // 表12's first row names the department by formula.
        let t12 = &book.tables[11];
        assert_eq!(t12.table.rows[0].cells[0], Cell::text("测试局"));
        assert!(book.instructions.iter().any(|l| l.contains("预算公开表12")));
    }
}
