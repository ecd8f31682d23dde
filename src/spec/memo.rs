//! What reading derives from a table spec and reuses for every workbook:
//! the resolved header paths, and the keys its titles and header paths are
//! matched by. The keys are worked out by the reader's key functions
//! ([`crate::filed`]); the spec only keeps them.

use std::sync::OnceLock;

/// Values derived from one [`super::TableSpec`], each worked out on first
/// use. A clone starts empty, so a spec copied and then changed never
/// keeps the values of the one it was copied from.
#[derive(Debug, Default)]
pub struct SpecMemo {
    /// [`super::TableSpec::column_paths`].
    pub(crate) column_paths: OnceLock<Vec<Vec<String>>>,
    /// The keys of the titles the table may be filed under.
    pub(crate) title_keys: OnceLock<Vec<String>>,
    /// The keys of [`super::TableSpec::column_paths`], column by column.
    pub(crate) column_path_keys: OnceLock<Vec<Vec<String>>>,
}

impl Clone for SpecMemo {
    fn clone(&self) -> Self {
        SpecMemo::default()
    }
}
