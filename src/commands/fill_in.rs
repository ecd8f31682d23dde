//! `budgetkit template`: the fill-in workbook handed to departments, blank
//! or prefilled from a model.

use crate::error::Error;
use crate::model::Budget;
use crate::spec::{function_codes, Template};
use crate::views::fill_in_book_with;
use crate::write::write_fill_in;
use std::path::Path;

/// Options of [`fill_in_template`].
#[derive(Debug, Clone)]
pub struct FillInOptions<'a> {
    /// Template whose layout the workbook has.
    pub template: &'a Template,
    /// Department name written on every table (may be typed later).
    pub department: Option<String>,
    /// Budget year in the titles; next calendar year when `None`.
    pub year: Option<i32>,
    /// A model whose facts prefill the input cells (last year's figures,
    /// or a test); `None` for a blank form.
    pub fill: Option<&'a Budget>,
    /// Project forms (项目支出绩效目标表) to provide at least, when the
    /// template has performance forms; a prefilled model's forms count.
    pub projects: usize,
}

/// Writes the fill-in workbook to `output` atomically.
///
/// # Errors
/// [`Error::Write`] or [`Error::Io`], naming `output`.
pub fn fill_in_template(output: &Path, opts: &FillInOptions<'_>) -> Result<(), Error> {
    let mut budget = opts.fill.cloned().unwrap_or_default();
    if let Some(d) = &opts.department {
        budget.department = d.clone();
    }
    budget.year = match (opts.year, opts.fill) {
        (Some(y), _) => y,
        (None, Some(b)) => b.year,
        (None, None) => next_year(),
    };
    budget.template = opts.template.id.clone();
    let book = fill_in_book_with(&budget, opts.template, function_codes(), opts.projects);
    write_fill_in(&book, output)
}

/// The calendar year after today's (budgets are drawn up a year ahead).
pub fn next_year() -> i32 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    year_of_days(i64::try_from(secs / 86_400).unwrap_or(0)) + 1
}

/// The civil year of a day count since 1970-01-01 (proleptic Gregorian).
fn year_of_days(days: i64) -> i32 {
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    i32::try_from(year).unwrap_or(2000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_counts_become_years() {
        assert_eq!(year_of_days(0), 1970);
        assert_eq!(year_of_days(364), 1970);
        assert_eq!(year_of_days(365), 1971);
        // 2024-12-31 and 2025-01-01.
        assert_eq!(year_of_days(20_088), 2024);
        assert_eq!(year_of_days(20_089), 2025);
    }
}
