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
use super::standard::standard_table;
use crate::kinds::{fill_group_sums, kind_of, FillContext};
pub(super) use crate::kinds::{FillTable, Formula, Input};
use crate::model::Budget;
use crate::spec::{Layout, Scope, TableSpec, Template};
use crate::table::{Cell, Row, RowStyle};

/// The note under the tables that are published with 注：本表无数据 when
/// empty: in the fill-in workbook the department cannot type a note (the
/// sheet is locked), and the export adds the published one.
pub const FILL_IN_NOTE: &str = "注：没有数据的表留空即可，导出公开表时自动加注。";

/// Blank rows kept after the prefilled ones.
const SPARE_ROWS: usize = 10;

/// The fill-in workbook: instructions, tables and the code list.
#[derive(Debug, Clone, PartialEq)]
pub struct FillInBook {
    /// Template id.
    pub template: String,
    /// Template description.
    pub description: String,
    /// Department name (may be empty).
    pub department: String,
    /// The label before the department's name above each table
    /// (部门名称, or the template's own: 编制部门).
    pub department_label: String,
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
    /// The 情况说明补充数据 sheet, when the template's narrative states
    /// facts the tables do not hold.
    pub stated: Option<super::StatedSheet>,
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
    let mut tables: Vec<FillTable> = template
        .tables
        .iter()
        .map(|spec| fill_table(budget, template, spec))
        .collect();
    // Cells are placed once every table has its rows: 表1/表4 refer to
    // the income table's final row count.
    let income = income_table(template).and_then(|spec| {
        let rows = tables
            .iter()
            .zip(&template.tables)
            .find(|(_, s)| s.id == spec.id)
            .map(|(t, _)| t.table.rows.len())?;
        Some((spec, rows))
    });
    let funds = template
        .tables
        .iter()
        .filter(|t| t.layout == Layout::Functions)
        .filter(|t| t.scope.and_then(Scope::fund).is_some())
        .collect();
    let cx = FillContext { income, funds };
    for (t, spec) in tables.iter_mut().zip(&template.tables) {
        kind_of(spec).fill_cells(t, spec, &cx);
        fill_group_sums(t, spec);
    }
    evaluate(&mut tables, &budget.department);
    let forms = if template.performance_forms {
        fill_in_forms(budget, projects, template)
    } else {
        Vec::new()
    };
    let stated = super::stated_sheet(budget, template);
    FillInBook {
        template: template.id.clone(),
        description: template.description.clone(),
        department: budget.department.clone(),
        department_label: template.department_label().to_string(),
        year: budget.year,
        instructions: instructions(template, budget.year, &forms, stated.as_ref()),
        tables,
        forms,
        function_codes,
        stated,
    }
}

/// The table that states income by function line and source (表2).
fn income_table(template: &Template) -> Option<&TableSpec> {
    template
        .tables
        .iter()
        .find(|t| t.layout == Layout::Functions && t.columns.iter().any(|c| c.is_source_column()))
}

fn blank_row(width: usize) -> Row {
    Row::new(vec![Cell::Empty; width], RowStyle::Normal)
}

/// The published table as the fill-in workbook lays it out: every 类 of
/// a summary table (the department's are not known yet), and 合计 first
/// whatever the publication does — the totals' formulas and the
/// department's rows start there.
pub fn fill_in_view(budget: &Budget, template: &Template, spec: &TableSpec) -> crate::table::Table {
    let mut all = spec.clone();
    all.present_classes = false;
    let mut table = standard_table(budget, template, &all);
    if spec.total_last {
        if let Some(total) = table.rows.pop() {
            table.rows.insert(0, total);
        }
    }
    table
}

fn fill_table(budget: &Budget, template: &Template, spec: &TableSpec) -> FillTable {
    let kind = kind_of(spec);
    let mut table = fill_in_view(budget, template, spec);
    table.note = kind.may_be_empty(spec).then(|| FILL_IN_NOTE.to_string());
    let width = spec.columns.len();
    if table.rows.is_empty() {
        table.rows.extend(kind.first_fill_row(budget, spec));
    }
    // Tables of fixed rows keep them; the others offer blank rows.
    let wanted = match kind.min_fill_rows() {
        0 => table.rows.len(),
        min => (table.rows.len() + SPARE_ROWS).max(min),
    };
    while table.rows.len() < wanted {
        table.rows.push(blank_row(width));
    }
    FillTable {
        table,
        inputs: Vec::new(),
        formulas: Vec::new(),
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
