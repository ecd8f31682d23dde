//! `budgetkit templates`: the built-in template versions.

use crate::error::Error;
use crate::spec::Template;

/// The built-in templates as (id, description), in built-in order.
///
/// # Errors
/// [`Error::Template`] if a built-in template fails to load (a build
/// defect, caught by the tests).
pub fn list_templates() -> Result<Vec<(String, String)>, Error> {
    Template::builtin_ids()
        .into_iter()
        .map(|id| Template::load(id).map(|t| (t.id, t.description)))
        .collect()
}

/// The built-in templates as text, one `id<TAB>description` line each
/// (what `budgetkit templates` prints).
///
/// # Errors
/// As [`list_templates`].
pub fn templates_text() -> Result<String, Error> {
    Ok(list_templates()?
        .into_iter()
        .map(|(id, description)| format!("{id}\t{description}\n"))
        .collect())
}
