//! budgetkit — read, validate, write and convert Chinese public budget
//! disclosure workbooks (部门预算公开表1–13 and 绩效目标表).
//!
//! Data flows workbook → [`read()`] → [`model::Budget`] → [`views`] →
//! [`write`](mod@write), with the template layouts in [`spec`] (from
//! `templates/*.toml`) and each kind of table interpreted once, in [`kinds`].
//!
//! # As a library
//!
//! The steps of the command line are functions at the crate root:
//! [`read()`] a submission, [`check`] it (the one check every command
//! runs) or [`validate()`] it into a [`Report`], [`export()`] the standard
//! workbook, [`convert()`] it to another template version, or [`batch`] a
//! folder in parallel. Failing to read is an [`Error`]; everything wrong
//! inside a readable file is a [`Finding`].
//!
//! ```
//! # fn main() -> Result<(), budgetkit::Error> {
//! use budgetkit::{Severity, Template};
//!
//! let template = Template::load("sx-2025")?;
//! let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/shuozhou-investment-2025.xlsx");
//! let submission = budgetkit::read(sample, &template)?;
//! let findings = budgetkit::check(&submission, &template)?;
//! for f in &findings {
//!     println!("[{}] {} {} {}", f.severity.label(), f.rule, f.message, f.cells_joined("、"));
//! }
//! if findings.iter().all(|f| f.severity != Severity::Error) {
//!     let dir = tempfile::tempdir().map_err(|e| budgetkit::Error::Io { path: ".".into(), source: e })?;
//!     budgetkit::export(&submission.budget, &template, dir.path().join("预算公开表.xlsx"))?;
//! }
//! # Ok(())
//! # }
//! ```
//!
//! `examples/check_folder.rs` checks a folder with [`batch`]
//! (`cargo run --release --example check_folder -- 收件箱/`).

#![warn(missing_docs)]

pub mod annotate;
mod api;
pub mod commands;
pub mod consolidate;
pub mod error;
pub mod filed;
pub mod findings;
pub mod kinds;
pub mod lanes;
pub mod model;
pub mod narrative;
pub mod read;
pub mod rules;
pub mod spec;
pub mod synth;
pub mod table;
pub mod views;
pub mod write;

pub use api::{check_narrative, convert, draft_narrative, export, read, validate};
pub use commands::{batch, check, BatchOptions, BatchReport, FileStatus, Outcome, Report};
pub use error::Error;
pub use findings::{Finding, Severity};
pub use model::Budget;
pub use read::Submission;
pub use spec::Template;
