//! The summary tables (表1 预算收支总表, 表4 财政拨款收支总表): fixed
//! income rows by source beside fixed expenditure rows by 类, then footer
//! rows (本年收入合计, 上年结转, 收入总计 …). Every amount but 年终结转 and
//! the fiscal carry-over by fund follows from the income table (表2): the
//! view computes it from the model, the fill-in workbook by formulas over
//! 表2, and the rules compare the filed table with the view.

use super::fill::{FillContext, FillTable, Formula, Input, Term};
use super::{row_by_keys, Reading, TableKind};
use crate::filed::{align_fixed_rows, FiledRow, FiledTable};
use crate::model::{add_opt, Budget};
use crate::spec::{ColumnKey, FixedRow, Fund, Layout, TableSpec, Wording, FISCAL_ROW};
use crate::table::{Cell, Row, RowStyle};
use rust_decimal::Decimal;

/// The summary kind (表1 and, with `layout = "fiscal_summary"`, 表4).
pub struct Summary;

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
pub fn fixed_rows<'a>(filed: &'a FiledTable, spec: &TableSpec) -> Fixed<'a> {
    let none: &[String] = &[];
    let mut income: Vec<(&str, &str, &[String])> = spec
        .income_rows
        .iter()
        .map(|r| (r.1.as_str(), r.0.as_str(), r.2.as_slice()))
        .collect();
    income.extend(
        spec.footer_rows
            .iter()
            .map(|f| (f.1.as_str(), f.0.as_str(), none)),
    );
    let mut expense: Vec<(&str, &str, &[String])> = spec
        .expense_rows
        .iter()
        .map(|r| (r.1.as_str(), r.0.as_str(), r.2.as_slice()))
        .collect();
    expense.extend(
        spec.footer_rows
            .iter()
            .filter(|f| !f.2.is_empty())
            .map(|f| (f.3.as_str(), f.2.as_str(), none)),
    );
    let align = |side: Vec<(&str, &str, &[String])>, col: ColumnKey| {
        let labels: Vec<(&str, &[String])> = side.iter().map(|(_, l, a)| (*l, *a)).collect();
        let at = align_fixed_rows(&filed.rows, spec, col, &labels);
        side.into_iter()
            .zip(at)
            .filter(|((k, _, _), _)| !k.is_empty())
            .map(|((k, l, _), i)| {
                (
                    k.to_string(),
                    l.to_string(),
                    i.and_then(|i| filed.rows.get(i)),
                )
            })
            .collect()
    };
    Fixed {
        income: align(income, ColumnKey::InLabel),
        expense: align(expense, ColumnKey::OutLabel),
    }
}

fn is_fiscal(spec: &TableSpec) -> bool {
    spec.layout == Layout::FiscalSummary
}

/// Reads the facts only 表1/表4 state: 年终结转 and the fiscal carry-over
/// by fund.
fn read_summary(table: &FiledTable, spec: &TableSpec, r: &mut Reading<'_>) {
    let fixed = fixed_rows(table, spec);
    for f in &spec.footer_rows {
        if let Some(src) = f.1.strip_prefix("carryover.") {
            if let Some(row) = fixed.inc(&f.1) {
                let v = table.amount(row, spec, ColumnKey::InAmount, r.findings);
                if let Some(slot) = r.budget.fiscal_carryover.slot(src) {
                    *slot = v;
                }
            }
        }
        if f.3 == "year_end" && !is_fiscal(spec) {
            if let Some(row) = fixed.out(&f.3) {
                r.budget.year_end_carryover =
                    table.amount(row, spec, ColumnKey::OutTotal, r.findings);
            }
        }
    }
}

fn summary_rows(b: &Budget, spec: &TableSpec) -> Vec<Row> {
    let fiscal = spec.layout == Layout::FiscalSummary;
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
    let income = |key: &str| -> Option<Decimal> {
        match key {
            "income_total" => current(total),
            "carryover" => carryover,
            "grand_total" => add_opt(current(total), carryover),
            FISCAL_ROW => total.income.fiscal(),
            k => match k.strip_prefix("carryover.") {
                Some(src) => b.fiscal_carryover.get(src).map(|a| a.value),
                None => total.income.get(k).map(|a| a.value),
            },
        }
    };
    // Expenditure amounts of one 类 (or a total row) under an output column.
    let expense = |key: &str, col: ColumnKey| -> Option<Decimal> {
        let fund = |line: &crate::model::FunctionLine, f: Fund| {
            line.income.get(f.source().as_str()).map(|a| a.value)
        };
        match key {
            "year_end" => (col == ColumnKey::OutTotal).then_some(year_end).flatten(),
            "expense_total" | "grand_total" => {
                let extra = if key == "grand_total" { year_end } else { None };
                match col {
                    ColumnKey::OutTotal => add_opt(add_opt(current(total), carryover), extra),
                    ColumnKey::OutCurrent => current(total),
                    ColumnKey::OutCarryover => carryover,
                    c => {
                        let f = c.fund()?;
                        let carried = if key == "grand_total" {
                            b.fiscal_carryover.get(f.source().as_str()).map(|a| a.value)
                        } else {
                            None
                        };
                        add_opt(fund(total, f), carried)
                    }
                }
            }
            code => {
                let line = b.functions.lines.iter().find(|l| l.code == code)?;
                let carried = if fiscal {
                    None
                } else {
                    line.carryover.as_ref().map(|a| a.value)
                };
                match col {
                    ColumnKey::OutTotal => add_opt(current(line), carried),
                    ColumnKey::OutCurrent => current(line),
                    ColumnKey::OutCarryover => carried,
                    c => fund(line, c.fund()?),
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
            ColumnKey::InAmount => Cell::amount(inc.and_then(|r| income(&r.1))),
            ColumnKey::OutLabel => exp.map_or(Cell::Empty, |r| Cell::text(&r.0)),
            c => Cell::amount(exp.and_then(|r| expense(r.1, c))),
        }));
    }
    for f in &spec.footer_rows {
        let style = if f.1.contains("total") {
            RowStyle::Total
        } else {
            RowStyle::Normal
        };
        rows.push(row_by_keys(spec, style, |col| match col {
            ColumnKey::InLabel => Cell::text(&f.0),
            ColumnKey::InAmount if f.1.is_empty() => Cell::Empty,
            ColumnKey::InAmount => Cell::amount(income(&f.1)),
            ColumnKey::OutLabel if f.2.is_empty() => Cell::Empty,
            ColumnKey::OutLabel => Cell::text(&f.2),
            _ if f.3.is_empty() => Cell::Empty,
            c => Cell::amount(expense(&f.3, c)),
        }));
    }
    rows
}

/// The 类 rows of the expense side as published: every `expense_rows`
/// entry, or with `present_classes` only the 类 the model has, numbered
/// 一、二、… in order.
fn expense_classes<'s>(b: &Budget, spec: &'s TableSpec) -> Vec<(String, &'s str)> {
    // Every 类 where the model has none (the blank fill-in workbook).
    let present = |code: &str| {
        b.functions.lines.is_empty() || b.functions.lines.iter().any(|l| l.code == code)
    };
    if !spec.present_classes {
        return spec
            .expense_rows
            .iter()
            .map(|r| (r.0.clone(), r.1.as_str()))
            .collect();
    }
    spec.expense_rows
        .iter()
        .filter(|r| present(&r.1))
        .enumerate()
        .map(|(i, r)| (format!("{}、{}", chinese_number(i + 1), r.0), r.1.as_str()))
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
    let fiscal = spec.layout == Layout::FiscalSummary;
    let n = spec.income_rows.len().max(spec.expense_rows.len());
    let in_col = spec.col(ColumnKey::InAmount);
    let own = |row: usize, col: Option<usize>| col.map(|col| Term::own(row, col));
    let footer_row = |key: &str, side: usize| {
        spec.footer_rows
            .iter()
            .position(|f| if side == 0 { f.1 == key } else { f.3 == key })
            .map(|i| n + i)
    };
    let in_cell = |key: &str| footer_row(key, 0).and_then(|r| own(r, in_col));
    let out_cell =
        |key: &str, col: ColumnKey| footer_row(key, 1).and_then(|r| own(r, spec.col(col)));
    let src_total = |k: &str| ColumnKey::of_income_row(k).and_then(|c| cx.income_total(c));
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
            let sum_if = |k: ColumnKey| cx.income_sum_if(code, k);
            let of_fund = |f: Fund| sum_if(ColumnKey::of_source(f.source()));
            let terms = match *key {
                ColumnKey::OutTotal if fiscal => Fund::ALL.iter().map(|f| of_fund(*f)).collect(),
                ColumnKey::OutTotal => {
                    vec![sum_if(ColumnKey::Current), sum_if(ColumnKey::Carryover)]
                }
                ColumnKey::OutCurrent => vec![sum_if(ColumnKey::Current)],
                ColumnKey::OutCarryover => vec![sum_if(ColumnKey::Carryover)],
                k => match k.fund() {
                    Some(f) => vec![of_fund(f)],
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
            "carryover" => vec![cx.income_total(ColumnKey::Carryover)],
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
            use ColumnKey as K;
            let terms = match (f.3.as_str(), *key) {
                ("year_end", K::OutTotal) => {
                    fill.inputs.push((r, c, Input::Amount));
                    continue;
                }
                ("expense_total" | "grand_total", K::OutTotal) => {
                    let mut t = vec![in_cell("income_total"), in_cell("carryover")];
                    if f.3 == "grand_total" {
                        t.push(out_cell("year_end", K::OutTotal));
                    }
                    t
                }
                ("expense_total" | "grand_total", K::OutCurrent) => vec![in_cell("income_total")],
                ("expense_total" | "grand_total", K::OutCarryover) => vec![in_cell("carryover")],
                ("expense_total" | "grand_total", k) if k.fund().is_some() => {
                    let fund = k.fund().map_or("", |f| f.source().as_str());
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
        if spec.footer_rows.iter().any(|f| f.3 == "year_end") && !is_fiscal(spec) {
            facts.push("year_end".to_string());
        }
        if spec
            .footer_rows
            .iter()
            .any(|f| f.1.starts_with("carryover."))
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
