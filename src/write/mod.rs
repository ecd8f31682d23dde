//! Writing: published tables to .xlsx, atomically.

mod atomic;
mod xlsx;

pub use atomic::write_atomic;
pub use xlsx::{display_width, workbook_bytes, write_tables};
