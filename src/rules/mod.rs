//! Validation: a catalog of named rules over the tables as filed (DESIGN
//! §4). Each rule has a stable id, a severity (error = 强制性审核, warning
//! = 提示性审核), a Chinese description and a check that reports findings
//! naming every cell it compares, as `SHEET!A1` in the input's own sheet
//! names. Sums are compared with rounding intervals ([`rounding`]).
//!
//! [`RULES`] is the one list: `budgetkit rules`, docs/rules.md and the
//! uniqueness test all come from it.

mod catalog;
pub mod classification;
mod codes;
pub mod context;
mod cross;
mod docs;
mod forms;
mod functions;
mod group_sums;
mod identity;
mod in_table;
mod likely;
pub mod rounding;
mod row_sums;
mod rows;
mod sink;
mod summary;
mod tab;
mod val;

pub use catalog::{READING, RULES};
pub use docs::{catalog_markdown, catalog_text};
pub use sink::Sink;

use crate::findings::{Finding, Severity};
use crate::model::Budget;
use crate::read::FiledTable;
use crate::spec::Template;
use context::Context;

/// One rule of the catalog.
pub struct Rule {
    /// Stable id (`XT-INCOME-T1-T2` …): IT- in-table, XT- cross-table,
    /// PF- performance forms, FN- function classification.
    pub id: &'static str,
    /// Error (强制性审核) or warning (提示性审核).
    pub severity: Severity,
    /// The tables it looks at (`表1、表2`).
    pub tables: &'static str,
    /// One line in Chinese: the relation checked.
    pub description: &'static str,
    /// Longer explanation: tolerance, exceptions.
    pub detail: &'static str,
    /// The check: reads the context, reports through the sink.
    pub check: fn(&Context<'_>, &mut Sink<'_>),
}

/// A finding id the reader produces (READ-*), documented beside the rules.
pub struct ReadingRule {
    /// The id.
    pub id: &'static str,
    /// Severities it is reported with.
    pub severities: &'static [Severity],
    /// What it means, in Chinese.
    pub description: &'static str,
}

/// Runs every rule over a submission's filed tables (and the model's
/// performance forms). Findings come in catalog order, except that the
/// findings of a likely cause (one typed value breaking several relations)
/// come first, marked `likely_cause`.
///
/// These are the rules alone, over tables already located; a program
/// wants [`crate::check`], the one check every command runs, which puts
/// the reading findings first, does not report again a cell the reader
/// could not read, and checks a JSON model through its standard workbook.
pub fn check(budget: &Budget, tables: &[FiledTable], template: &Template) -> Vec<Finding> {
    let ctx = Context::new(budget, tables, template);
    // A 汇总 of N departments: every amount sums N rounded amounts.
    let figures = crate::consolidate::consolidated_count(&budget.department).unwrap_or(1);
    let mut out = Vec::new();
    let mut fixes = Vec::new();
    for rule in RULES {
        let mut sink = Sink::new(rule, &mut out).with_figures(figures);
        (rule.check)(&ctx, &mut sink);
        fixes.extend(sink.into_fixes());
    }
    likely::name_likely_causes(&mut out, &fixes);
    out
}

/// The rule of an id, if in the catalog.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}
