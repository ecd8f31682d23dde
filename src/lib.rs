//! budgetkit — read, validate, write and convert Chinese public budget
//! disclosure workbooks (部门预算公开表1–13 and 绩效目标表).
//!
//! Data flows workbook → [`read`] → [`model::Budget`] → [`views`] →
//! [`write`], with the template layouts in [`spec`] (from `templates/*.toml`)
//! and each kind of table interpreted once, in [`kinds`].

#![warn(missing_docs)]

pub mod annotate;
pub mod commands;
pub mod consolidate;
pub mod error;
pub mod findings;
pub mod kinds;
pub mod model;
pub mod read;
pub mod rules;
pub mod spec;
pub mod synth;
pub mod table;
pub mod views;
pub mod write;

pub use error::Error;
