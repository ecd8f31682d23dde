//! Writing: published tables to .xlsx, atomically.

mod atomic;
mod body_cells;
mod body_formats;
mod chart_caches;
mod chart_data;
mod charts;
mod grid;
mod limits;
mod list;
mod sheets;
mod stated_sheet;
mod template;
mod xlsx;

pub use atomic::{clean_stale, refuse_input, refuse_special, same_file, write_atomic, STALE_AFTER};
pub(crate) use chart_caches::{num_cache, str_cache};
pub use chart_data::{chart_data, ChartData, ChartKind, ChartPoint, SheetCell};
pub use charts::{charted_workbook_bytes, write_charted, CHART_SHEET};
pub use grid::table_sheets;
pub use limits::{clip_tables, clip_text, MAX_CELL_TEXT};
pub use list::{list_bytes, write_lists, Column, Item, ListSheet};
pub use sheets::{regenerated_bytes, sheets_bytes, split_reference, MAX_MERGED_CELLS};
pub use template::{fill_in_bytes, write_fill_in, CODES_SHEET, INSTRUCTIONS_SHEET};
pub use xlsx::{display_width, workbook_bytes, write_tables};
