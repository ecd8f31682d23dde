//! In-table rules about single cells and notes: amounts are numbers, and
//! a table without data says 注：本表无数据. How rows and columns add up is
//! declared by each table kind and checked by [`super::row_sums`] and
//! [`super::group_sums`].

use super::context::{has_data, Context, Role};
use super::rounding::Num;
use super::sink::Sink;
use crate::kinds::amount_columns;
use crate::model::{label_key, CellRef};
use rust_decimal::Decimal;

/// Largest amount taken as real: 一万亿万元. Anything larger is a typing
/// or unit mistake (and could overflow sums).
pub(super) const MAX_AMOUNT: Decimal = Decimal::from_parts(3_567_587_328, 232, 0, false, 0);

/// IT-AMOUNT-NUMBER: every amount cell of every table is a number of a
/// sensible size, or blank.
pub fn amounts_are_numbers(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    for tab in ctx.tabs() {
        let keys = amount_columns(tab.spec);
        for row in tab.rows() {
            for key in &keys {
                let Some(cell) = row.cell(tab.spec, *key) else {
                    continue;
                };
                let problem = match tab.num(row, *key) {
                    // the reader's READ-AMOUNT already says so
                    Num::Invalid if cell.reported_by_reader() => continue,
                    Num::Invalid => "不是数字",
                    Num::Value(v) if v.abs() > MAX_AMOUNT => "大得不合理（超过一万亿万元）",
                    _ => continue,
                };
                sink.report(
                    format!(
                        "{} 单元格 {} 的金额“{}”{}，应为数字（如 12.34）或留空",
                        tab.name(),
                        cell.at.cell,
                        cell.text(),
                        problem
                    ),
                    vec![cell.at.reference()],
                    Some(("数字".into(), cell.text().to_string())),
                );
            }
        }
    }
}

/// The words that say a table is empty: 注：本表无数据, or sh-2026's
/// 故本表为空表.
const SAYS_EMPTY: [&str; 2] = ["本表无数据", "本表为空表"];

/// IT-EMPTY-NOTE: a table without data says 注：本表无数据; a table with
/// data does not. Not checked on the fill-in workbook, whose locked note
/// ([`FILL_IN_NOTE`](crate::views::FILL_IN_NOTE)) the department cannot
/// change and the export replaces.
pub fn empty_tables_say_so(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let fill_in = label_key(crate::views::FILL_IN_NOTE);
    let roles = [
        Role::FundIncome,
        Role::FundSpending,
        Role::Capital,
        Role::Projects,
        Role::CarryoverProjects,
    ];
    for tab in roles.iter().filter_map(|r| ctx.tab(*r)) {
        if tab.filed.note.as_deref().map(label_key) == Some(fill_in.clone()) {
            continue;
        }
        let says_empty = tab
            .filed
            .note
            .as_deref()
            .is_some_and(|n| SAYS_EMPTY.iter().any(|w| n.contains(w)));
        let title = tab.filed.title_at.clone();
        match (has_data(&tab), says_empty) {
            (false, false) => {
                let below = tab.rows().last().map(|r| r.row + 1);
                let col = tab.filed.columns.iter().flatten().min().copied();
                let cell = match (below, col) {
                    (Some(r), Some(c)) => CellRef::new(tab.filed.sheet.clone(), r, c),
                    _ => title,
                };
                let note = tab.spec.empty_note_for(ctx.budget.year);
                sink.report(
                    format!("{} 没有数据，表下应注明“{note}”", tab.name()),
                    vec![cell],
                    Some((note, tab.filed.note.clone().unwrap_or_default())),
                );
            }
            (true, true) => sink.report(
                format!("{} 填有数据，却注明本表为空", tab.name()),
                vec![title],
                Some(("无此注".into(), tab.filed.note.clone().unwrap_or_default())),
            ),
            _ => {}
        }
    }
}
