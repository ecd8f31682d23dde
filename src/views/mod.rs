//! Views: each published table is a pure function `model → Table`.

mod frame;
mod functions;
mod standard;
mod table;

pub use frame::{frame, is_label_key, NO_DATA_NOTE};
pub use functions::line_value;
pub use standard::{is_without_data, project_units, standard_table, standard_tables};
pub use table::{Cell, HeaderCell, Merge, Row, RowStyle, Table};

/// The performance-target sheets (filled in by the performance view).
pub fn performance_tables(_budget: &crate::model::Budget) -> Vec<Table> {
    Vec::new()
}
