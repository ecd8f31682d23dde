//! The canonical model: everything the 13 tables and the performance forms
//! say, each fact once, amounts as [`rust_decimal::Decimal`] in 万元 with
//! provenance.

mod amount;
mod budget;
mod cell;
mod keys;
mod label_key;
mod performance;
mod stated;

pub use amount::*;
pub use budget::*;
pub use cell::*;
pub(crate) use keys::{str_like, words};
pub use keys::{Fund, Source, ThreePublicItem};
pub use label_key::{form_label_key, key_part, label_key, label_key_cow, normalize_text};
pub use performance::*;
pub use stated::*;
