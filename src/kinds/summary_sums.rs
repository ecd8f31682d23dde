//! How the summary tables (表1/表4) add up within themselves — 本年收入合计
//! = the income rows, 收入总计 = 本年收入合计 + 上年结转, 本年支出合计 =
//! the 类 rows … — declared as group sums: the rules check them on the
//! filed table with the one engine, and the fill-in workbook writes them as
//! formulas where no formula over 表2 ([`super::income_cells`]) fills the
//! cell.

use super::relation::{GroupSum, RowName};
use super::summary::{fixed_rows, Fixed, SummaryEntry, SummaryRow};
use super::summary_income::{has_expense_footer, has_income_footer};
use crate::filed::{FiledRow, FiledTable};
use crate::spec::{ColumnKey, FooterExpense, FooterIncome, Fund, IncomeRow, TableSpec};

/// A part of a sum: the row's label (the key's word when the table lacks
/// the row) and the row.
type Part<'a> = (RowName, Option<&'a FiledRow>);

fn part<'a>(entry: &SummaryEntry<'a>) -> Part<'a> {
    (RowName::Text(entry.1.to_string()), entry.2)
}

/// The summary table's own sums, in the order the rules report them.
pub(super) fn summary_sums<'a>(filed: &'a FiledTable, spec: &'a TableSpec) -> Vec<GroupSum<'a>> {
    let f = fixed_rows(filed, spec);
    let inc_part = |key: SummaryRow| (RowName::Text(f.inc_label(key)), f.inc(key));
    let out_part = |key: SummaryRow| (RowName::Text(f.out_label(key)), f.out(key));
    let out_cols: Vec<ColumnKey> = spec
        .columns
        .iter()
        .copied()
        .filter(|c| c.is_expense_amount())
        .collect();
    let classes: Vec<Part<'a>> = f.classes().map(|(_, e)| part(e)).collect();
    // The income rows by source (财政拨款收入 sums three of them).
    let sources = f.sources(spec.income_rows.len());
    let by_source: Vec<Part<'a>> = sources
        .iter()
        .filter(|e| e.0 != SummaryRow::Income(IncomeRow::Fiscal))
        .map(part)
        .collect();
    let mut sums = Sums {
        f: &f,
        out: Vec::new(),
    };
    use FooterExpense as E;
    use FooterIncome as I;
    let fiscal_parts = Fund::ALL
        .iter()
        .map(|k| inc_part(k.source().into()))
        .collect();
    sums.income(
        "IT-SUMMARY-INCOME",
        IncomeRow::Fiscal,
        fiscal_parts,
        "三项财政拨款",
    );
    let all_rows = sources.iter().map(part).collect();
    sums.income("IT-SUMMARY-INCOME", I::IncomeTotal, all_rows, "各项收入");
    sums.expense(
        "IT-SUMMARY-EXPENSE",
        E::ExpenseTotal,
        classes.clone(),
        &out_cols,
        "各类支出",
    );
    let carried: Vec<Part<'a>> = f
        .income
        .iter()
        .filter(|e| matches!(e.0, SummaryRow::IncomeFooter(k) if k.carryover_fund().is_some()))
        .map(part)
        .collect();
    if !carried.is_empty() {
        sums.income("IT-SUMMARY-CARRYOVER", I::Carryover, carried, "各项结转");
    }
    if has_income_footer(spec, I::IncomeTotal) {
        let parts = vec![
            inc_part(I::IncomeTotal.into()),
            inc_part(I::Carryover.into()),
        ];
        let what = "本年收入合计与上年结转";
        sums.income("IT-SUMMARY-GRAND-INCOME", I::GrandTotal, parts, what);
    } else {
        sums.income(
            "IT-SUMMARY-GRAND-INCOME",
            I::GrandTotal,
            by_source,
            "各项收入",
        );
    }
    if has_expense_footer(spec, E::ExpenseTotal) {
        let parts = vec![
            out_part(E::ExpenseTotal.into()),
            out_part(E::YearEnd.into()),
        ];
        let what = "本年支出合计与年终结转";
        let total = [ColumnKey::OutTotal];
        sums.expense(
            "IT-SUMMARY-GRAND-EXPENSE",
            E::GrandTotal,
            parts,
            &total,
            what,
        );
    } else {
        sums.expense(
            "IT-SUMMARY-GRAND-EXPENSE",
            E::GrandTotal,
            classes,
            &out_cols,
            "各类支出",
        );
    }
    sums.out
}

/// The sums being declared, over the table's fixed rows.
struct Sums<'f, 'a> {
    f: &'f Fixed<'a>,
    out: Vec<GroupSum<'a>>,
}

impl<'a> Sums<'_, 'a> {
    /// The income-side row of `total` = Σ `parts`, when the table has it.
    fn income(
        &mut self,
        rule: &'static str,
        total: impl Into<SummaryRow>,
        parts: Vec<Part<'a>>,
        what: &str,
    ) {
        let key = total.into();
        if let Some(row) = self.f.inc(key) {
            let total = (RowName::Text(self.f.inc_label(key)), row);
            self.push(rule, total, parts, &[ColumnKey::InAmount], what);
        }
    }

    /// The expense-side row of `total` = Σ `parts` over `columns`, when
    /// the table has it.
    fn expense(
        &mut self,
        rule: &'static str,
        total: impl Into<SummaryRow>,
        parts: Vec<Part<'a>>,
        columns: &[ColumnKey],
        what: &str,
    ) {
        let key = total.into();
        if let Some(row) = self.f.out(key) {
            let total = (RowName::Text(self.f.out_label(key)), row);
            self.push(rule, total, parts, columns, what);
        }
    }

    fn push(
        &mut self,
        rule: &'static str,
        total: (RowName, &'a FiledRow),
        parts: Vec<Part<'a>>,
        columns: &[ColumnKey],
        what: &str,
    ) {
        self.out.push(GroupSum {
            rule,
            total,
            parts,
            columns: columns.to_vec(),
            parts_what: what.to_string(),
        });
    }
}
