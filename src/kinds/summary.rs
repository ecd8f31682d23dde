//! The summary tables (表1 预算收支总表, 表4 财政拨款收支总表): fixed
//! income rows by source beside fixed expenditure rows by 类, then footer
//! rows (本年收入合计, 上年结转, 收入总计 …). Every amount but 年终结转 and
//! the fiscal carry-over by fund follows from the income table (表2), and
//! which of 表2's cells each amount shows is stated once
//! ([`income_cells`]): the view evaluates those cells on the model, the
//! fill-in workbook writes them as formulas over 表2, and the rules
//! compare the filed cell with 表2's cells. How the footers add up the
//! table's own rows is declared as group sums (`summary_sums.rs`), checked
//! by the one engine and written as the fill-in's formulas.

use super::fill::{FillContext, FillTable, Formula, Input, Term};
use super::relation::GroupSum;
use super::summary_income::{has_expense_footer, income_cells, model_income, IncomeLineKey};
use super::summary_sums::summary_sums;
use super::{row_by_keys, Located, Reading, TableKind};
use crate::filed::{align_fixed_rows, FiledRow, FiledTable};
use crate::model::{add_opt, Budget};
use crate::spec::{
    ClassCode, ColumnKey, FixedRow, FooterExpense, FooterIncome, Fund, IncomeRow, Layout, Source,
    TableSpec, Wording,
};
use crate::table::{Cell, Row, RowStyle};
use rust_decimal::Decimal;

/// The summary kind (表1 and, with `layout = "fiscal_summary"`, 表4).
pub struct Summary;

/// A row of a summary table by what it shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SummaryRow {
    /// A fixed income row: a source, or 财政拨款收入.
    Income(IncomeRow),
    /// The income side of a footer row (本年收入合计, 上年结转 …).
    IncomeFooter(FooterIncome),
    /// The expense row of a 类.
    Class(ClassCode),
    /// The expense side of a footer row (本年支出合计, 结转下年 …).
    ExpenseFooter(FooterExpense),
}

impl SummaryRow {
    /// The key as written in the template.
    pub fn as_str(&self) -> &str {
        match self {
            SummaryRow::Income(k) => k.as_str(),
            SummaryRow::IncomeFooter(k) => k.as_str(),
            SummaryRow::Class(k) => k.as_str(),
            SummaryRow::ExpenseFooter(k) => k.as_str(),
        }
    }
}

impl From<IncomeRow> for SummaryRow {
    fn from(k: IncomeRow) -> Self {
        SummaryRow::Income(k)
    }
}

impl From<Source> for SummaryRow {
    fn from(k: Source) -> Self {
        SummaryRow::Income(IncomeRow::Source(k))
    }
}

impl From<FooterIncome> for SummaryRow {
    fn from(k: FooterIncome) -> Self {
        SummaryRow::IncomeFooter(k)
    }
}

impl From<ClassCode> for SummaryRow {
    fn from(k: ClassCode) -> Self {
        SummaryRow::Class(k)
    }
}

impl From<FooterExpense> for SummaryRow {
    fn from(k: FooterExpense) -> Self {
        SummaryRow::ExpenseFooter(k)
    }
}

/// A fixed row of 表1/表4 found in a filed table: (key, label, row).
pub type SummaryEntry<'a> = (SummaryRow, &'a str, Option<&'a FiledRow>);

/// The fixed rows of 表1/表4 aligned to the filed rows: the income side
/// (sources, 财政拨款收入, the footers' income) and the expense side (类,
/// the footers' expense).
pub struct Fixed<'a> {
    /// (key, label, row) on the income side.
    pub income: Vec<SummaryEntry<'a>>,
    /// (key, label, row) on the expense side.
    pub expense: Vec<SummaryEntry<'a>>,
}

impl<'a> Fixed<'a> {
    /// The income-side row of a key.
    pub fn inc(&self, key: impl Into<SummaryRow>) -> Option<&'a FiledRow> {
        row_of(&self.income, key.into())
    }

    /// The expense-side row of a key.
    pub fn out(&self, key: impl Into<SummaryRow>) -> Option<&'a FiledRow> {
        row_of(&self.expense, key.into())
    }

    /// The income-side label of a key (the key's word when the table
    /// lacks the row).
    pub fn inc_label(&self, key: impl Into<SummaryRow>) -> String {
        label_of(&self.income, key.into())
    }

    /// The expense-side label of a key.
    pub fn out_label(&self, key: impl Into<SummaryRow>) -> String {
        label_of(&self.expense, key.into())
    }

    /// The 类 rows of the expense side: (code, label, row).
    pub fn classes(&self) -> impl Iterator<Item = (&str, &SummaryEntry<'a>)> {
        self.expense.iter().filter_map(|entry| match &entry.0 {
            SummaryRow::Class(code) => Some((code.as_str(), entry)),
            _ => None,
        })
    }

    /// The source rows of the income side (before the footers).
    pub fn sources(&self, n: usize) -> &[SummaryEntry<'a>] {
        self.income.get(..n).unwrap_or(&[])
    }
}

fn row_of<'a>(side: &[SummaryEntry<'a>], key: SummaryRow) -> Option<&'a FiledRow> {
    side.iter()
        .find(|(k, _, _)| *k == key)
        .and_then(|(_, _, r)| *r)
}

fn label_of(side: &[SummaryEntry<'_>], key: SummaryRow) -> String {
    side.iter()
        .find(|(k, _, _)| *k == key)
        .map_or_else(|| key.as_str().to_string(), |(_, l, _)| (*l).to_string())
}

/// Aligns the fixed rows of a summary table (表1/表4).
pub fn fixed_rows<'a>(filed: &'a FiledTable, spec: &'a TableSpec) -> Fixed<'a> {
    let none: &[String] = &[];
    let mut income: Vec<(SummaryRow, &'a str, &[String])> = spec
        .income_rows
        .iter()
        .map(|r| (r.1.into(), r.0.as_str(), r.2.as_slice()))
        .collect();
    income.extend(
        spec.footer_rows
            .iter()
            .map(|f| (f.1.into(), f.0.as_str(), none)),
    );
    let mut expense: Vec<(SummaryRow, &'a str, &[String])> = spec
        .expense_rows
        .iter()
        .map(|r| (r.1.into(), r.0.as_str(), r.2.as_slice()))
        .collect();
    expense.extend(
        spec.footer_rows
            .iter()
            .filter(|f| !f.2.is_empty() && f.3 != FooterExpense::Nothing)
            .map(|f| (f.3.into(), f.2.as_str(), none)),
    );
    let align = |side: Vec<(SummaryRow, &'a str, &[String])>, col: ColumnKey| {
        let labels: Vec<(&str, &[String])> = side.iter().map(|(_, l, a)| (*l, *a)).collect();
        let at = align_fixed_rows(filed, spec, col, &labels);
        side.into_iter()
            .zip(at)
            .map(|((k, l, _), i)| (k, l, i.and_then(|i| filed.rows.get(i))))
            .collect()
    };
    Fixed {
        income: align(income, ColumnKey::InLabel),
        expense: align(expense, ColumnKey::OutLabel),
    }
}

pub(super) fn is_fiscal(spec: &TableSpec) -> bool {
    spec.layout == Layout::FiscalSummary
}

/// Reads the facts only 表1/表4 state: 年终结转 and the fiscal carry-over
/// by fund.
fn read_summary(table: &FiledTable, spec: &TableSpec, r: &mut Reading<'_>) {
    let fixed = fixed_rows(table, spec);
    for f in &spec.footer_rows {
        if let Some(fund) = f.1.carryover_fund() {
            if let Some(row) = fixed.inc(f.1) {
                *r.budget.fiscal_carryover.slot(fund.source()) =
                    table.amount(row, spec, ColumnKey::InAmount, r.findings);
            }
        }
        if f.3 == FooterExpense::YearEnd && !is_fiscal(spec) {
            if let Some(row) = fixed.out(f.3) {
                r.budget.year_end_carryover =
                    table.amount(row, spec, ColumnKey::OutTotal, r.findings);
            }
        }
    }
}

fn summary_rows(b: &Budget, spec: &TableSpec) -> Vec<Row> {
    let fiscal = is_fiscal(spec);
    let total = &b.functions.total;
    let year_end = b.year_end_carryover.as_ref().map(|a| a.value);
    // Carry-over: all of it in 表1, the fiscal part by fund in 表4.
    let carryover = if fiscal {
        b.fiscal_carryover.fiscal()
    } else {
        total.carryover.as_ref().map(|a| a.value)
    };
    let current = |line: &crate::model::FunctionLine| {
        if fiscal {
            line.income.fiscal()
        } else {
            line.income.total()
        }
    };
    // The fixed rows are 表2's cells (income_cells) in the model.
    let from_income =
        |row: SummaryRow, col: ColumnKey| model_income(b, &income_cells(spec, None, row, col));
    let footer_income = |key: FooterIncome| -> Option<Decimal> {
        match key {
            FooterIncome::IncomeTotal => current(total),
            FooterIncome::Carryover => carryover,
            FooterIncome::GrandTotal => add_opt(current(total), carryover),
            k => {
                let fund = k.carryover_fund()?;
                b.fiscal_carryover.fund(fund).map(|a| a.value)
            }
        }
    };
    // Expenditure amounts of a footer row under an output column.
    let fund = |line: &crate::model::FunctionLine, f: Fund| line.income.fund(f).map(|a| a.value);
    let footer_expense = |key: FooterExpense, col: ColumnKey| -> Option<Decimal> {
        let grand = key == FooterExpense::GrandTotal;
        match key {
            FooterExpense::Nothing => None,
            FooterExpense::YearEnd => (col == ColumnKey::OutTotal).then_some(year_end).flatten(),
            FooterExpense::ExpenseTotal | FooterExpense::GrandTotal => {
                let extra = if grand { year_end } else { None };
                match col {
                    ColumnKey::OutTotal => add_opt(add_opt(current(total), carryover), extra),
                    ColumnKey::OutCurrent => current(total),
                    ColumnKey::OutCarryover => carryover,
                    c => {
                        let f = c.fund()?;
                        let carried = if grand {
                            b.fiscal_carryover.fund(f).map(|a| a.value)
                        } else {
                            None
                        };
                        add_opt(fund(total, f), carried)
                    }
                }
            }
        }
    };
    let classes = expense_classes(b, spec);
    let n = spec.income_rows.len().max(classes.len());
    let mut rows = Vec::new();
    for i in 0..n {
        let inc = spec.income_rows.get(i);
        let exp = classes.get(i);
        rows.push(row_by_keys(spec, RowStyle::Normal, |col| match col {
            ColumnKey::InLabel => inc.map_or(Cell::Empty, |r| Cell::text(&r.0)),
            ColumnKey::InAmount => {
                Cell::amount(inc.and_then(|r| from_income(r.1.into(), ColumnKey::InAmount)))
            }
            ColumnKey::OutLabel => exp.map_or(Cell::Empty, |r| Cell::text(&r.0)),
            c => Cell::amount(exp.and_then(|r| from_income(r.1.into(), c))),
        }));
    }
    for f in &spec.footer_rows {
        let style = if f.1.is_total() {
            RowStyle::Total
        } else {
            RowStyle::Normal
        };
        rows.push(row_by_keys(spec, style, |col| match col {
            ColumnKey::InLabel => Cell::text(&f.0),
            ColumnKey::InAmount => Cell::amount(footer_income(f.1)),
            ColumnKey::OutLabel if f.2.is_empty() => Cell::Empty,
            ColumnKey::OutLabel => Cell::text(&f.2),
            c => Cell::amount(footer_expense(f.3, c)),
        }));
    }
    rows
}

/// The 类 rows of the expense side as published: every `expense_rows`
/// entry, or with `present_classes` only the 类 the model has, numbered
/// 一、二、… in order.
fn expense_classes(b: &Budget, spec: &TableSpec) -> Vec<(String, ClassCode)> {
    // Every 类 where the model has none (the blank fill-in workbook).
    let present = |code: &str| {
        b.functions.lines.is_empty() || b.functions.lines.iter().any(|l| l.code == code)
    };
    if !spec.present_classes {
        return spec
            .expense_rows
            .iter()
            .map(|r| (r.0.clone(), r.1))
            .collect();
    }
    spec.expense_rows
        .iter()
        .filter(|r| present(&r.1))
        .enumerate()
        .map(|(i, r)| (format!("{}、{}", chinese_number(i + 1), r.0), r.1))
        .collect()
}

/// 1 → 一, 10 → 十, 12 → 十二, 23 → 二十三 (up to 99).
pub fn chinese_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let digit = |d: usize| DIGITS.get(d).copied().unwrap_or("");
    match (n / 10, n % 10) {
        (0, u) => digit(u).to_string(),
        (1, u) => format!("十{}", digit(u)),
        (t, u) => format!("{}十{}", digit(t), digit(u)),
    }
}

/// 表1/表4: every amount a formula over 表2 and the table's own footers,
/// except 年终结转 and the fiscal carry-over by fund, which are typed.
fn summary_formulas(fill: &mut FillTable, spec: &TableSpec, cx: &FillContext<'_>) {
    let fiscal = is_fiscal(spec);
    let n = spec.income_rows.len().max(spec.expense_rows.len());
    let in_col = spec.col(ColumnKey::InAmount);
    let own = |row: usize, col: Option<usize>| col.map(|col| Term::own(row, col));
    let footer_at = |i: Option<usize>| i.map(|i| n + i);
    let in_cell = |key: FooterIncome| {
        footer_at(spec.footer_rows.iter().position(|f| f.1 == key)).and_then(|r| own(r, in_col))
    };
    // 表2's cells a cell shows (income_cells), as formula terms.
    let from_income = |row: SummaryRow, col: ColumnKey| -> Vec<Option<Term>> {
        income_cells(spec, cx.income.map(|(s, _)| s), row, col)
            .iter()
            .map(|c| match c.line {
                IncomeLineKey::Total => cx.income_total(c.col),
                IncomeLineKey::Class(code) => cx.income_sum_if(&code, c.col),
            })
            .collect()
    };
    let put = |fill: &mut FillTable, row: usize, col: Option<usize>, terms: Vec<Option<Term>>| {
        let terms: Vec<Term> = terms.into_iter().flatten().collect();
        if let (Some(col), false) = (col, terms.is_empty()) {
            fill.formulas.push((row, col, Formula::Sum(terms)));
        }
    };
    // 财政拨款收入 adds up the three fund rows below it: a group sum.
    let by_source = spec.income_rows.iter().enumerate();
    for (r, row) in by_source.filter(|(_, row)| row.1 != IncomeRow::Fiscal) {
        put(
            fill,
            r,
            in_col,
            from_income(row.1.into(), ColumnKey::InAmount),
        );
    }
    for (r, row) in spec.expense_rows.iter().enumerate() {
        for (c, key) in spec.columns.iter().enumerate() {
            put(fill, r, Some(c), from_income(row.1.into(), *key));
        }
    }
    let has_expense_total = has_expense_footer(spec, FooterExpense::ExpenseTotal);
    for (i, f) in spec.footer_rows.iter().enumerate() {
        let r = n + i;
        use FooterExpense as E;
        use FooterIncome as I;
        let in_terms = match f.1 {
            // Sums of the table's own rows: its group sums (summary_sums).
            I::IncomeTotal | I::GrandTotal => Vec::new(),
            I::Carryover if fiscal => Vec::new(),
            I::Carryover => from_income(f.1.into(), ColumnKey::InAmount),
            I::CarryoverGeneral | I::CarryoverGovFund | I::CarryoverStateCapital => {
                if let Some(c) = in_col {
                    fill.inputs.push((r, c, Input::Amount));
                }
                Vec::new()
            }
        };
        put(fill, r, in_col, in_terms);
        // 本年支出合计 (支出总计 without it) adds up the 类 rows, and
        // 支出总计's 合计 is 本年支出合计 + 年终结转: group sums
        // (summary_sums). 支出总计's other columns follow the income side.
        for (c, key) in spec.columns.iter().enumerate() {
            use ColumnKey as K;
            let terms = match (f.3, *key) {
                (E::YearEnd, K::OutTotal) => {
                    fill.inputs.push((r, c, Input::Amount));
                    continue;
                }
                (E::GrandTotal, _) if !has_expense_total => continue,
                (E::GrandTotal, K::OutCurrent) => vec![in_cell(I::IncomeTotal)],
                (E::GrandTotal, K::OutCarryover) => vec![in_cell(I::Carryover)],
                (E::GrandTotal, k) => {
                    let Some(fund) = k.fund() else { continue };
                    let mut t = from_income(f.3.into(), k);
                    t.push(in_cell(I::carryover_of(fund)));
                    t
                }
                _ => continue,
            };
            put(fill, r, Some(c), terms);
        }
    }
}

impl TableKind for Summary {
    fn read(&self, tables: &[(&FiledTable, &TableSpec)], r: &mut Reading<'_>) {
        for (table, spec) in tables {
            read_summary(table, spec, r);
        }
    }

    fn rows(&self, b: &Budget, spec: &TableSpec) -> Vec<Row> {
        summary_rows(b, spec)
    }

    /// 表1/表4 show income and spending by 类, but the model takes those
    /// from the function-line tables; they supply only 年终结转 and the
    /// fiscal carry-over by fund.
    fn supplies(&self, spec: &TableSpec) -> Vec<String> {
        let mut facts = Vec::new();
        if spec
            .footer_rows
            .iter()
            .any(|f| f.3 == FooterExpense::YearEnd)
            && !is_fiscal(spec)
        {
            facts.push("year_end".to_string());
        }
        if spec
            .footer_rows
            .iter()
            .any(|f| f.1.carryover_fund().is_some())
        {
            facts.push("fiscal_carryover".to_string());
        }
        facts
    }

    fn needs(&self, spec: &TableSpec) -> Vec<String> {
        let mut facts = self.supplies(spec);
        facts.insert(0, "income".to_string());
        facts
    }

    fn fixed_labels<'s>(&self, spec: &'s TableSpec) -> Option<(ColumnKey, Vec<Wording<'s>>)> {
        Some((
            ColumnKey::InLabel,
            spec.income_rows.iter().map(FixedRow::wording).collect(),
        ))
    }

    /// 本年收入合计, 收入总计, 本年支出合计 … as sums of the table's own rows.
    fn group_sums<'a>(&self, t: Located<'a>) -> Vec<GroupSum<'a>> {
        summary_sums(t.table, t.spec)
    }

    /// The footers' sums are written as formulas where no formula over
    /// 表2 fills the cell.
    fn group_sums_in_fill_in(&self) -> bool {
        true
    }

    fn fill_cells(&self, fill: &mut FillTable, spec: &TableSpec, cx: &FillContext<'_>) {
        summary_formulas(fill, spec, cx);
    }

    fn help(&self, spec: &TableSpec) -> &'static str {
        if is_fiscal(spec) {
            "自动计算；只填分资金的上年财政拨款结转"
        } else {
            "自动计算；只填年终结转"
        }
    }
}
