//! Table kinds: each kind of published table (summary, function lines,
//! economic lines, fund income, state capital, "三公", operating costs,
//! projects) is interpreted in one file here — how its filed rows split,
//! the facts they give the model, its view, its same-table relations and
//! its fill-in cells. A template names a kind per table (`layout = …`);
//! everything else about the table is data.
//!
//! Adding a kind is one new file implementing [`TableKind`] plus its line
//! in [`kind`] and [`READING_ORDER`].

mod capital;
mod code_index;
mod economic;
mod fill;
mod functions;
mod income_lines;
mod operating_costs;
mod projects;
mod relation;
mod summary;
mod summary_income;
mod summary_sums;
mod three_public;

pub use economic::{economic_what, split_economic_rows, EconomicRows};
pub use fill::{FillContext, FillTable, Formula, Input, Term};
pub use functions::{line_code, line_value, shows, FuncRows};
pub use income_lines::IncomeColumns;
pub use projects::{project_units, split_project_rows, ProjectRows};
pub use relation::{amount_columns, present, GroupSum, RowName, RowSum};
pub use summary::{chinese_number, fixed_rows, Fixed, SummaryEntry, SummaryRow};
pub use summary_income::{
    has_income_footer, income_cells, spending_total_key, IncomeCell, IncomeLineKey,
};
pub use three_public::{
    keyed_rows, stated_items, three_public_parts, ItemSum, KeyedRow, ITEM_SUMS,
};

use crate::filed::{FiledRow, FiledTable};
use crate::findings::Finding;
use crate::model::{add_opt, Budget, Sources, Split};
use crate::spec::{ColumnKey, Fund, Layout, Source, TableSpec, Template, Wording};
use crate::table::{Cell, Row, RowStyle};
use rust_decimal::Decimal;

/// What one kind of table does, in every direction.
pub trait TableKind: Sync {
    /// Reads the located tables of this kind (in template order) into the
    /// model; problems become findings.
    fn read(&self, tables: &[(&FiledTable, &TableSpec)], r: &mut Reading<'_>);

    /// The body rows of the published table (the view model → table).
    fn rows(&self, budget: &Budget, spec: &TableSpec) -> Vec<Row>;

    /// True when the table has no data and is published with
    /// 注：本表无数据.
    fn is_without_data(&self, _budget: &Budget, _spec: &TableSpec) -> bool {
        false
    }

    /// The facts reading this table puts into the model (see
    /// [`crate::spec::fact_name`] for their names).
    fn supplies(&self, spec: &TableSpec) -> Vec<String>;

    /// The facts the table shows: what the model must hold to write it.
    fn needs(&self, spec: &TableSpec) -> Vec<String> {
        self.supplies(spec)
    }

    /// The labels of the table's fixed rows and the column they are in
    /// (表1/表4's income rows, 表10's items), which tell a template's
    /// tables apart when its version is not named; `None` without fixed
    /// rows.
    fn fixed_labels<'s>(&self, _spec: &'s TableSpec) -> Option<(ColumnKey, Vec<Wording<'s>>)> {
        None
    }

    /// The same-row relations of the table's columns (合计 = Σ sources,
    /// 合计 = 基本 + 项目 …): checked on every filed row, written as
    /// formulas on every fill-in row.
    fn row_sums(&self, _spec: &TableSpec) -> Vec<RowSum> {
        Vec::new()
    }

    /// How the filed rows add up, column by column.
    fn group_sums<'a>(&self, _t: Located<'a>) -> Vec<GroupSum<'a>> {
        Vec::new()
    }

    /// True when the group sums hold on the fill-in rows as they are laid
    /// out — a total over rows whose place is fixed (表11's 部门合计 over
    /// the unit rows, 表10's items) — so the fill-in workbook writes them
    /// as formulas ([`fill_group_sums`]). Groups the department makes by
    /// what it types (表6's groups, 表12's units) are checked only.
    fn group_sums_in_fill_in(&self) -> bool {
        false
    }

    /// Blank input rows the fill-in table offers at least; 0 for tables
    /// whose rows are fixed.
    fn min_fill_rows(&self) -> usize {
        0
    }

    /// The first fill-in row when the view has none (表12's department
    /// row).
    fn first_fill_row(&self, _budget: &Budget, _spec: &TableSpec) -> Option<Row> {
        None
    }

    /// True when the fill-in table says it may be left empty (the export
    /// adds 注：本表无数据).
    fn may_be_empty(&self, _spec: &TableSpec) -> bool {
        false
    }

    /// The fill-in table's input and formula cells.
    fn fill_cells(&self, fill: &mut FillTable, spec: &TableSpec, cx: &FillContext<'_>);

    /// What the department fills in, for the 填报说明.
    fn help(&self, spec: &TableSpec) -> &'static str;
}

/// Writes a kind's group sums as formulas on the fill-in rows, when they
/// hold there ([`TableKind::group_sums_in_fill_in`]): the declarations the
/// rules check, laid over the rows as written
/// ([`FiledTable::of_view`]).
pub fn fill_group_sums(fill: &mut FillTable, spec: &TableSpec) {
    let kind = kind_of(spec);
    if !kind.group_sums_in_fill_in() {
        return;
    }
    let view = FiledTable::of_view(spec, &fill.table);
    let located = Located {
        table: &view,
        spec,
        units: &[],
    };
    relation::write_group_sums(fill, spec, &kind.group_sums(located));
}

/// A located table as its kind checks it: the table, its spec and the
/// budget's units (which 表12 groups its projects by).
#[derive(Clone, Copy)]
pub struct Located<'a> {
    /// The table as filed.
    pub table: &'a FiledTable,
    /// Its spec.
    pub spec: &'a TableSpec,
    /// The budget's units.
    pub units: &'a [String],
}

/// The kind behind a layout.
pub fn kind(layout: Layout) -> &'static dyn TableKind {
    match layout {
        Layout::Summary | Layout::FiscalSummary => &summary::Summary,
        Layout::Functions => &functions::Functions,
        Layout::Economic => &economic::Economic,
        Layout::IncomeLines => &income_lines::IncomeLines,
        Layout::Capital => &capital::Capital,
        Layout::ThreePublic => &three_public::ThreePublic,
        Layout::OperatingCosts => &operating_costs::OperatingCosts,
        Layout::Projects => &projects::Projects,
    }
}

/// The kind of a table spec.
pub fn kind_of(spec: &TableSpec) -> &'static dyn TableKind {
    kind(spec.layout)
}

/// The order kinds are read in: function lines before the tables that
/// split them by fund (表9), the units of 表11 before the projects that
/// name them.
pub const READING_ORDER: [Layout; 9] = [
    Layout::Functions,
    Layout::Capital,
    Layout::Summary,
    Layout::FiscalSummary,
    Layout::Economic,
    Layout::IncomeLines,
    Layout::ThreePublic,
    Layout::OperatingCosts,
    Layout::Projects,
];

/// The model being built from filed tables.
pub struct Reading<'a> {
    /// The model so far.
    pub budget: Budget,
    /// Reading problems.
    pub findings: &'a mut Vec<Finding>,
    /// Spending of every function line as the all-scope table (表3)
    /// states it, to derive the part no fiscal fund covers afterwards.
    spent: Vec<(String, Split)>,
    /// True when the income table shows 财政拨款收入 in one column, so
    /// the fund tables give each fund's income (sh-2026).
    fiscal_in_one: bool,
    /// Where the model's function lines are, by code.
    lines: functions::LineIndex,
}

impl<'a> Reading<'a> {
    /// A reading into `budget`.
    pub fn new(budget: Budget, findings: &'a mut Vec<Finding>) -> Self {
        Reading {
            lines: functions::LineIndex::of(&budget),
            budget,
            findings,
            spent: Vec::new(),
            fiscal_in_one: false,
        }
    }

    /// The model, with what the tables imply once all are read.
    pub fn finish(mut self) -> Budget {
        functions::settle_other(
            &mut self.budget,
            &mut self.lines,
            std::mem::take(&mut self.spent),
        );
        if self.fiscal_in_one {
            functions::settle_fiscal_income(&mut self.budget);
        }
        self.budget
    }
}

/// Builds the model from the located tables of `template`, each kind
/// reading its own tables.
pub fn build_budget(
    tables: &[FiledTable],
    template: &Template,
    findings: &mut Vec<Finding>,
) -> Budget {
    let mut b = Budget {
        template: template.id.clone(),
        ..Budget::default()
    };
    if let Some(t) = tables.first() {
        b.year = crate::filed::year_of(&t.title).unwrap_or_default();
    }
    b.department = tables
        .iter()
        .find_map(|t| t.department.clone())
        .unwrap_or_default();
    let mut reading = Reading::new(b, findings);
    for layout in READING_ORDER {
        let of_layout: Vec<(&FiledTable, &TableSpec)> = tables
            .iter()
            .filter_map(|t| Some((t, template.table(&t.id)?)))
            .filter(|(_, s)| s.layout == layout)
            .collect();
        if !of_layout.is_empty() {
            kind(layout).read(&of_layout, &mut reading);
        }
    }
    reading.finish()
}

/// True for a total label (合计, 总计), as a label key.
pub fn is_total(key: &str) -> bool {
    matches!(key, "合计" | "总计")
}

/// Column keys that hold labels, not amounts.
const LABEL_KEYS: &[ColumnKey] = &[
    ColumnKey::InLabel,
    ColumnKey::OutLabel,
    ColumnKey::Code,
    ColumnKey::CodeClass,
    ColumnKey::CodeSection,
    ColumnKey::CodeItem,
    ColumnKey::Name,
    ColumnKey::GovName,
    ColumnKey::Label,
    ColumnKey::Unit,
    ColumnKey::InCode,
    ColumnKey::InName,
];

/// True for a column key that holds text (labels, codes, names).
pub fn is_label_key(key: ColumnKey) -> bool {
    LABEL_KEYS.contains(&key)
}

/// A row built column by column from the spec's keys.
pub fn row_by_keys(
    spec: &TableSpec,
    style: RowStyle,
    mut value: impl FnMut(ColumnKey) -> Cell,
) -> Row {
    Row::new(spec.columns.iter().map(|k| value(*k)).collect(), style)
}

/// The amounts of a row by source, for the source columns the table has.
fn row_sources(
    table: &FiledTable,
    spec: &TableSpec,
    row: &FiledRow,
    findings: &mut Vec<Finding>,
) -> Sources {
    let mut s = Sources::default();
    for &source in Source::ALL {
        let col = ColumnKey::of_source(source);
        if spec.has(col) {
            *s.slot(source) = table.amount(row, spec, col, findings);
        }
    }
    s
}

/// Adds sources fund by fund.
fn add_sources(parts: &[&Sources]) -> Vec<(Source, Option<Decimal>)> {
    Source::ALL
        .iter()
        .map(|&k| {
            let v = parts
                .iter()
                .fold(None, |acc, s| add_opt(acc, s.get(k).map(|a| a.value)));
            (k, v)
        })
        .collect()
}

/// The cell of summed sources under a column key: `total` (all sources,
/// or the fiscal funds only) or `src.<source>`.
fn sums_cell(sums: &[(Source, Option<Decimal>)], key: ColumnKey, fiscal_only: bool) -> Cell {
    let pick = |k: Source| sums.iter().find(|(s, _)| *s == k).and_then(|(_, v)| *v);
    match key {
        ColumnKey::Total => {
            let keys: Vec<Source> = if fiscal_only {
                Fund::ALL.iter().map(|f| f.source()).collect()
            } else {
                Source::ALL.to_vec()
            };
            Cell::amount(keys.into_iter().fold(None, |acc, k| add_opt(acc, pick(k))))
        }
        k => Cell::amount(k.source().and_then(pick)),
    }
}
