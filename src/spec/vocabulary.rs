//! The words a template file may use: for each [`Layout`], the column keys
//! and fixed-row keys it understands, and the scopes and sources a table
//! may name. A word outside it is a template error naming the file and
//! line — never a finding against a department whose file is fine.

use super::{Layout, TableSpec};
use crate::error::Error;
use crate::model::SOURCE_KEYS;

/// The funds of fiscal appropriations (财政拨款), the only ones 表4, 表10
/// and 表11 break amounts down by.
const FUNDS: [&str; 3] = ["general", "gov_fund", "state_capital"];

/// Spending scopes of a function-line table.
const SCOPES: [&str; 4] = ["all", "general", "gov_fund", "state_capital"];

/// The "三公" items, as row keys of 表10 or column keys of a one-row 三公 table.
const THREE_PUBLIC_ITEMS: [&str; 6] = [
    "total",
    "abroad",
    "reception",
    "vehicle",
    "vehicle_purchase",
    "vehicle_operation",
];

/// Column keys of a function-line table.
const FUNCTION_KEYS: [&str; 7] = [
    "code",
    "name",
    "current",
    "carryover",
    "total",
    "basic",
    "project",
];

/// Footer keys of a summary's income side and expense side.
const FOOTER_INCOME: [&str; 3] = ["income_total", "carryover", "grand_total"];
const FOOTER_EXPENSE: [&str; 4] = ["expense_total", "year_end", "grand_total", ""];

/// Whether `key` names a column of a table laid out as `layout`.
pub fn column_known(layout: Layout, key: &str) -> bool {
    let source = |k: &str| {
        k.strip_prefix("src.")
            .is_some_and(|s| SOURCE_KEYS.contains(&s))
    };
    let fund = |k: &str| k.strip_prefix("src.").is_some_and(|s| FUNDS.contains(&s));
    match layout {
        Layout::Summary => matches!(
            key,
            "in.label" | "in.amount" | "out.label" | "out.total" | "out.current" | "out.carryover"
        ),
        Layout::FiscalSummary => {
            matches!(key, "in.label" | "in.amount" | "out.label" | "out.total")
                || key.strip_prefix("out.").is_some_and(|f| FUNDS.contains(&f))
        }
        Layout::Functions => FUNCTION_KEYS.contains(&key) || source(key),
        Layout::Economic => matches!(key, "name" | "gov_name" | "total" | "personnel" | "public"),
        Layout::IncomeLines => matches!(key, "code" | "name" | "amount"),
        Layout::Capital => {
            matches!(key, "in.code" | "in.name" | "in.amount")
                || FUNCTION_KEYS.contains(&key)
                || source(key)
        }
        Layout::ThreePublic => {
            matches!(key, "label") || THREE_PUBLIC_ITEMS.contains(&key) || fund(key)
        }
        Layout::OperatingCosts => matches!(key, "unit" | "total") || fund(key),
        Layout::Projects => matches!(key, "name" | "total") || source(key),
    }
}

/// The keys a table's column list may hold, for the message.
fn column_words(layout: Layout) -> String {
    let src = "src.<资金来源>";
    let words: Vec<&str> = match layout {
        Layout::Summary => vec![
            "in.label",
            "in.amount",
            "out.label",
            "out.total",
            "out.current",
            "out.carryover",
        ],
        Layout::FiscalSummary => vec![
            "in.label",
            "in.amount",
            "out.label",
            "out.total",
            "out.general",
            "out.gov_fund",
            "out.state_capital",
        ],
        Layout::Functions => FUNCTION_KEYS.iter().copied().chain([src]).collect(),
        Layout::Economic => vec!["name", "gov_name", "total", "personnel", "public"],
        Layout::IncomeLines => vec!["code", "name", "amount"],
        Layout::Capital => ["in.code", "in.name", "in.amount"]
            .into_iter()
            .chain(FUNCTION_KEYS)
            .chain([src])
            .collect(),
        Layout::ThreePublic => ["label"]
            .into_iter()
            .chain(THREE_PUBLIC_ITEMS)
            .chain(["src.<财政拨款资金>"])
            .collect(),
        Layout::OperatingCosts => vec!["unit", "total", "src.<财政拨款资金>"],
        Layout::Projects => vec!["name", "total", src],
    };
    words.join("、")
}

/// The 1-based line of the first `"word"` after the `[[table]]` whose id is
/// `id` in the template text (the start of the file when not found).
fn line_of(text: &str, id: &str, word: &str) -> usize {
    let table_at = text
        .match_indices("[[table]]")
        .map(|(at, _)| at)
        .find(|&at| {
            text.get(at..)
                .and_then(|rest| rest.lines().find(|l| l.trim_start().starts_with("id")))
                .is_some_and(|l| l.contains(&format!("\"{id}\"")))
        })
        .unwrap_or(0);
    let quoted = format!("\"{word}\"");
    let at = text
        .get(table_at..)
        .and_then(|rest| rest.find(&quoted))
        .map_or(table_at, |i| table_at + i);
    text.get(..at)
        .map_or(0, |before| before.matches('\n').count())
        + 1
}

/// Checks every word of `table` against its layout's vocabulary.
///
/// # Errors
/// [`Error::Template`] naming `file`, the line, the table, the unknown word
/// and the words its layout understands.
pub fn check_table(table: &TableSpec, text: &str, file: &str) -> Result<(), Error> {
    let bad = |word: &str, what: &str, expected: String| Error::Template {
        file: format!("{file} 第{}行", line_of(text, &table.id, word)),
        message: format!(
            "表 {}：{what}“{word}”不是 {} 版式能用的词，应为 {expected} 之一",
            table.id,
            layout_name(table.layout)
        ),
    };
    for key in &table.columns {
        if !column_known(table.layout, key) {
            return Err(bad(key, "列", column_words(table.layout)));
        }
    }
    if let Some(scope) = &table.scope {
        if !SCOPES.contains(&scope.as_str()) {
            return Err(bad(scope, "scope", SCOPES.join("、")));
        }
    }
    if let Some(source) = &table.source {
        if !SOURCE_KEYS.contains(&source.as_str()) {
            return Err(bad(source, "source", SOURCE_KEYS.join("、")));
        }
    }
    for row in &table.income_rows {
        if !SOURCE_KEYS.contains(&row.1.as_str()) {
            return Err(bad(&row.1, "收入行", SOURCE_KEYS.join("、")));
        }
    }
    for row in &table.expense_rows {
        let is_class = row.1.len() == 3 && row.1.bytes().all(|b| b.is_ascii_digit());
        if !is_class {
            return Err(bad(&row.1, "支出行", "三位类级科目编码（如 201）".into()));
        }
    }
    let carryover_fund = |k: &str| {
        k.strip_prefix("carryover.")
            .is_some_and(|f| FUNDS.contains(&f))
    };
    for row in &table.footer_rows {
        if !(FOOTER_INCOME.contains(&row.1.as_str()) || carryover_fund(&row.1)) {
            let words = FOOTER_INCOME.join("、") + "、carryover.<财政拨款资金>";
            return Err(bad(&row.1, "合计行", words));
        }
        if !FOOTER_EXPENSE.contains(&row.3.as_str()) {
            return Err(bad(&row.3, "合计行", FOOTER_EXPENSE[..3].join("、")));
        }
    }
    for row in &table.fixed_rows {
        if !THREE_PUBLIC_ITEMS.contains(&row.1.as_str()) {
            return Err(bad(&row.1, "固定行", THREE_PUBLIC_ITEMS.join("、")));
        }
    }
    Ok(())
}

/// The layout's name as written in a template file.
fn layout_name(layout: Layout) -> &'static str {
    match layout {
        Layout::Summary => "summary",
        Layout::FiscalSummary => "fiscal_summary",
        Layout::Functions => "functions",
        Layout::Economic => "economic",
        Layout::IncomeLines => "income_lines",
        Layout::Capital => "capital",
        Layout::ThreePublic => "three_public",
        Layout::OperatingCosts => "operating_costs",
        Layout::Projects => "projects",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::Template;

    #[test]
    fn every_builtin_word_is_known() {
        for id in Template::builtin_ids() {
            assert!(Template::load(id).is_ok(), "{id}");
        }
    }

    #[test]
    fn line_of_finds_the_word_in_its_table() {
        let text = "a\n[[table]]\nid = \"t1\"\ncolumns = [\"x\"]\n[[table]]\nid = \"t2\"\ncolumns = [\"x\"]\n";
        assert_eq!(line_of(text, "t2", "x"), 7);
        assert_eq!(line_of(text, "t1", "x"), 4);
    }
}
