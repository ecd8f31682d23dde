//! `budgetkit validate`: every reading finding and rule finding of a
//! submission, as a Chinese text report or the JSON of DESIGN §6, and
//! optionally the input workbook annotated with the findings.

use super::check::{checked, read_from};
use super::Detected;
use crate::annotate::write_annotated;
use crate::error::Error;
use crate::findings::{Finding, Severity};
use crate::model::{join_cells, Budget};
use crate::read::{Sheet, Submission};
use crate::spec::Template;
use serde::Serialize;
use std::path::Path;

/// Options of [`validate`].
#[derive(Debug, Clone)]
pub struct ValidateOptions<'a> {
    /// Template the input is read with.
    pub template: &'a Template,
    /// Write the annotated workbook here.
    pub annotate: Option<&'a Path>,
}

/// Counts of findings by severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Error findings (强制性审核).
    pub errors: usize,
    /// Warning findings (提示性审核).
    pub warnings: usize,
}

/// A table of the report: the sheet it was found on and its title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Sheet name as in the input.
    pub sheet: String,
    /// The title as typed.
    pub title: String,
}

/// The result of validating one file; serialises to the JSON of DESIGN §6.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The input path as given.
    pub file: String,
    /// Template id.
    pub template: String,
    /// Department name as read.
    pub department: String,
    /// Budget year.
    pub year: i32,
    /// Counts by severity.
    pub summary: Summary,
    /// Reading findings first, then rule findings in catalog order.
    pub findings: Vec<Finding>,
    /// The tables found, in template order (for grouping the text report).
    #[serde(skip)]
    pub sections: Vec<Section>,
    /// What became of `--annotate`, when asked for.
    #[serde(skip)]
    pub annotation: Option<Annotation>,
}

/// The outcome of writing the annotated workbook: a message for the user
/// (in Chinese) and whether it failed. A failure never hides the findings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotation {
    /// What was written, or why nothing was.
    pub message: String,
    /// True when the annotated workbook could not be written.
    pub failed: bool,
}

impl Report {
    /// Builds a report, counting the findings.
    pub fn new(
        file: &Path,
        budget: &Budget,
        template: &str,
        findings: Vec<Finding>,
        sections: Vec<Section>,
    ) -> Report {
        let errors = findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
        Report {
            file: file.display().to_string(),
            template: template.to_string(),
            department: budget.department.clone(),
            year: budget.year,
            summary: Summary {
                errors,
                warnings: findings.len() - errors,
            },
            findings,
            sections,
            annotation: None,
        }
    }

    /// [`check`](super::check)s a submission already read and reports on it, the
    /// findings grouped by the tables the rules looked at.
    ///
    /// # Errors
    /// As [`check`](super::check).
    pub fn of(sub: &Submission, template: &Template) -> Result<Report, Error> {
        let (findings, tables) = checked(sub, template)?;
        let sections = tables
            .iter()
            .map(|t| Section {
                sheet: t.sheet.to_string(),
                title: t.title.clone(),
            })
            .collect();
        Ok(Report::new(
            &sub.file,
            &sub.budget,
            &template.id,
            findings,
            sections,
        ))
    }

    /// Exit status: 2 when the annotated workbook could not be written,
    /// else 1 when any error finding, else 0.
    pub fn exit_code(&self) -> i32 {
        if self.annotation.as_ref().is_some_and(|a| a.failed) {
            return 2;
        }
        i32::from(self.summary.errors > 0)
    }

    /// The report as one JSON object (DESIGN §6), with a final newline.
    pub fn to_json(&self) -> String {
        // Serialising plain strings and numbers cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    /// The report as readable Chinese text, findings grouped by table.
    pub fn to_text(&self) -> String {
        let mut out = format!("审核结果：{}\n", self.file);
        out.push_str(&format!(
            "模板 {}　部门 {}　年度 {}\n",
            self.template,
            if self.department.is_empty() {
                "（未填）"
            } else {
                &self.department
            },
            self.year
        ));
        out.push_str(&format!(
            "错误 {} 处，提示 {} 处\n",
            self.summary.errors, self.summary.warnings
        ));
        if self.findings.is_empty() {
            out.push_str("\n未发现问题。\n");
            return out;
        }
        for (heading, group) in self.groups() {
            out.push_str(&format!("\n{heading}\n"));
            for f in group {
                out.push_str(&format!(
                    "  [{}] {}{} {}\n",
                    f.severity.label(),
                    f.rule,
                    if f.likely_cause {
                        "（可能的原因）"
                    } else {
                        ""
                    },
                    f.message
                ));
                if let Some(quote) = &f.quote {
                    out.push_str(&format!("      原文：{quote}\n"));
                }
                if !f.cells.is_empty() {
                    out.push_str(&format!("      单元格：{}\n", join_cells(&f.cells, "、")));
                }
                if let (Some(e), Some(found)) = (&f.expected, &f.found) {
                    out.push_str(&format!("      应为 {e}，实为 {found}\n"));
                }
            }
        }
        out
    }

    /// Findings grouped by the sheet of their first cell: the tables in
    /// template order, then other sheets, then findings without cells.
    fn groups(&self) -> Vec<(String, Vec<&Finding>)> {
        let sheet_of = |f: &Finding| f.cells.first().map(|c| c.sheet.to_string());
        let mut order: Vec<String> = self.sections.iter().map(|s| s.sheet.clone()).collect();
        for f in &self.findings {
            if let Some(s) = sheet_of(f) {
                if !order.contains(&s) {
                    order.push(s);
                }
            }
        }
        let mut groups: Vec<(String, Vec<&Finding>)> = Vec::new();
        for sheet in order {
            let members: Vec<&Finding> = self
                .findings
                .iter()
                .filter(|f| sheet_of(f).as_deref() == Some(sheet.as_str()))
                .collect();
            if members.is_empty() {
                continue;
            }
            let titles: Vec<&str> = self
                .sections
                .iter()
                .filter(|s| s.sheet == sheet)
                .map(|s| s.title.as_str())
                .collect();
            let heading = if titles.is_empty() {
                format!("【{sheet}】")
            } else {
                format!("【{sheet}】{}", titles.join("；"))
            };
            groups.push((heading, members));
        }
        let loose: Vec<&Finding> = self
            .findings
            .iter()
            .filter(|f| sheet_of(f).is_none())
            .collect();
        if !loose.is_empty() {
            groups.push(("【整体】".to_string(), loose));
        }
        groups
    }
}

/// Validates `input`: reading findings and rule findings. With
/// `annotate`, also writes the input's own workbook with every named cell
/// highlighted and noted, after a first sheet 审核结果 (atomically); how
/// that went is in [`Report::annotation`] — a failure to write it is not
/// an error of the validation, whose findings stand.
///
/// # Errors
/// [`Error`] when the input is unreadable (exit status 2).
pub fn validate(input: &Path, opts: &ValidateOptions<'_>) -> Result<Report, Error> {
    validate_with(input, opts, |_, _| Ok(Vec::new()))
}

/// As [`validate`], with `more` findings about the submission read and its
/// sheets (the narrative's, `validate --narrative`) joined to its own
/// before the workbook is annotated.
///
/// # Errors
/// As [`validate`], and whatever `more` returns.
pub fn validate_with(
    input: &Path,
    opts: &ValidateOptions<'_>,
    more: impl FnOnce(&Submission, &[Sheet]) -> Result<Vec<Finding>, Error>,
) -> Result<Report, Error> {
    validate_sheets(input, None, opts, more)
}

/// As [`validate_with`], from the workbook as read already
/// ([`template_and_sheets`](super::template_and_sheets)); `None` reads
/// `input`.
///
/// # Errors
/// As [`validate_with`].
pub fn validate_sheets(
    input: &Path,
    read: Option<Detected>,
    opts: &ValidateOptions<'_>,
    more: impl FnOnce(&Submission, &[Sheet]) -> Result<Vec<Finding>, Error>,
) -> Result<Report, Error> {
    let (sub, sheets) = read_from(input, read, opts.template)?;
    let mut report = Report::of(&sub, opts.template)?;
    let extra = more(&sub, &sheets)?;
    if !extra.is_empty() {
        report.findings.extend(extra);
        report = Report {
            sections: std::mem::take(&mut report.sections),
            ..Report::new(
                &sub.file,
                &sub.budget,
                &opts.template.id,
                std::mem::take(&mut report.findings),
                Vec::new(),
            )
        };
    }
    if let Some(out) = opts.annotate {
        let header = vec![
            format!("文件：{}", report.file),
            format!(
                "部门：{}　年度：{}　模板：{}",
                report.department, report.year, report.template
            ),
            format!(
                "错误 {} 处（须改正），提示 {} 处（请核对）。标红/标黄的单元格附有批注。",
                report.summary.errors, report.summary.warnings
            ),
        ];
        let written = write_annotated(input, &sheets, &report.findings, &header, out);
        report.annotation = Some(match written {
            Ok(a) => Annotation {
                message: a.message(out),
                failed: false,
            },
            Err(e) => Annotation {
                message: format!("错误：标注工作簿未能写出：{e}"),
                failed: true,
            },
        });
    }
    Ok(report)
}
