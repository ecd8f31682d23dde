//! Views: each published table is a pure function `model → Table`.

mod fill_in;
mod fill_in_eval;
mod fill_in_forms;
mod fill_in_help;
mod frame;
mod functions;
mod performance;
mod standard;
mod table;

pub use fill_in::{
    fill_in_book, fill_in_book_with, FillInBook, FillTable, Formula, Input, Term, FILL_IN_NOTE,
};
pub use fill_in_forms::DEFAULT_PROJECT_FORMS;
pub use frame::{frame, is_label_key, NO_DATA_NOTE};
pub use functions::line_value;
pub use performance::performance_tables;
pub use standard::{is_without_data, project_units, standard_table, standard_tables};
pub use table::{Cell, HeaderCell, Merge, Row, RowStyle, Table};
