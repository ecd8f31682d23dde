//! Views over the function classification: 表2, 表3, 表5, 表8 and the
//! spending half of 表9.

use super::frame::row_by_keys;
use super::table::{Cell, RowStyle};
use crate::model::{add_opt, FunctionLine};
use crate::spec::TableSpec;
use rust_decimal::Decimal;

/// The value a function line shows under a column key, for a spending
/// scope (`all`, `general`, `gov_fund`, `state_capital`).
pub fn line_value(line: &FunctionLine, key: &str, scope: &str) -> Option<Decimal> {
    let split = |part: &str| -> Option<Decimal> {
        match (scope, part) {
            ("all", "basic") => line.basic(),
            ("all", "project") => line.project(),
            (s, "basic") => line.split(s)?.basic.as_ref().map(|a| a.value),
            (s, _) => line.split(s)?.project.as_ref().map(|a| a.value),
        }
    };
    match key {
        "current" => line.income.total(),
        "carryover" => line.carryover.as_ref().map(|a| a.value),
        "total" => add_opt(split("basic"), split("project")),
        "basic" | "project" => split(key),
        k => k
            .strip_prefix("src.")
            .and_then(|s| line.income.get(s))
            .map(|a| a.value),
    }
}

/// True when a line has anything to show in this scope.
pub fn shows(line: &FunctionLine, scope: &str) -> bool {
    match scope {
        "all" => true,
        s => line.split(s).is_some_and(|sp| !sp.is_blank()),
    }
}

/// The row of one function line (`total` draws the 合计 row).
pub fn function_row(spec: &TableSpec, line: &FunctionLine, total: bool) -> super::table::Row {
    let scope = spec.scope.as_deref().unwrap_or("all");
    let style = match (total, line.level()) {
        (true, _) => RowStyle::Total,
        (_, 1) => RowStyle::Group,
        _ => RowStyle::Normal,
    };
    row_by_keys(spec, style, |key| match key {
        "code" if total => Cell::text("合计"),
        "code" => Cell::text(&line.code),
        "name" if total => Cell::Empty,
        "name" => Cell::text(&line.name),
        k => Cell::amount(line_value(line, k, scope)),
    })
}
