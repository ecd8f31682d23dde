//! Writing: published tables to .xlsx, atomically.

mod atomic;
mod sheets;
mod template;
mod xlsx;

pub use atomic::write_atomic;
pub use sheets::{regenerated_bytes, sheets_bytes, split_reference, MAX_MERGED_CELLS};
pub use template::{fill_in_bytes, write_fill_in, CODES_SHEET, INSTRUCTIONS_SHEET};
pub use xlsx::{display_width, workbook_bytes, write_tables};
