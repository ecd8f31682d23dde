//! Views: each published table is a pure function `model → Table`.

mod fill_in;
mod fill_in_eval;
mod fill_in_forms;
mod fill_in_help;
mod frame;
mod performance;
mod standard;
mod stated_sheet;

// The grid the views build (children name it `super::table`).
use crate::table;

pub use crate::kinds::{is_label_key, line_value, project_units, FillTable, Formula, Input, Term};
pub use crate::table::{Cell, HeaderCell, Merge, Row, RowStyle, Table};
pub use fill_in::{fill_in_book, fill_in_book_with, fill_in_view, FillInBook, FILL_IN_NOTE};
pub use fill_in_forms::DEFAULT_PROJECT_FORMS;
pub use frame::{frame, NO_DATA_NOTE};
pub use performance::performance_tables;
pub use standard::{is_without_data, standard_table, standard_tables};
pub use stated_sheet::{stated_sheet, StatedRow, StatedSheet};
