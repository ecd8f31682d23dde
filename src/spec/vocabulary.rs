//! The words a template file may use: for each [`Layout`], the column keys
//! and fixed-row keys it understands, and the scopes and sources a table
//! may name. A word outside it is a template error naming the file and
//! line — never a finding against a department whose file is fine.

use super::column_key::ColumnKey;

use super::{Layout, TableSpec};
use crate::error::Error;
use serde::Deserialize;

/// The keys a table's column list may hold, for the message.
fn column_words(layout: Layout) -> String {
    let words: Vec<&str> = ColumnKey::of_layout(layout)
        .iter()
        .map(|k| k.as_str())
        .collect();
    words.join("、")
}

/// The 1-based line of the first `"word"` after the `[[table]]` whose id is
/// `id` in the template text (the start of the file when not found).
fn line_of(text: &str, id: &str, word: &str) -> usize {
    let table_at = text
        .match_indices("[[table]]")
        .map(|(at, _)| at)
        .find(|&at| {
            text.get(at..)
                .and_then(|rest| rest.lines().find(|l| l.trim_start().starts_with("id")))
                .is_some_and(|l| l.contains(&format!("\"{id}\"")))
        })
        .unwrap_or(0);
    let quoted = format!("\"{word}\"");
    let at = text
        .get(table_at..)
        .and_then(|rest| rest.find(&quoted))
        .map_or(table_at, |i| table_at + i);
    text.get(..at)
        .map_or(0, |before| before.matches('\n').count())
        + 1
}

/// A template error about the table `id`, placed on the line of `word` in
/// it.
fn table_error(id: &str, text: &str, file: &str, word: &str, message: String) -> Error {
    Error::Template {
        file: format!("{file} 第{}行", line_of(text, id, word)),
        message: format!("表 {id}：{message}"),
    }
}

/// A template file's tables as far as their columns: enough to check each
/// column key against its table's layout before the file is read into
/// typed [`ColumnKey`]s.
#[derive(Deserialize)]
struct ColumnLists {
    #[serde(default)]
    table: Vec<ColumnList>,
}

/// One table's id, layout and column keys as written.
#[derive(Deserialize)]
struct ColumnList {
    id: String,
    layout: Layout,
    #[serde(default)]
    columns: Vec<String>,
}

/// Checks every column key of a template file against its table's layout,
/// reading the file only as far as its column lists (for a file that does
/// not read into typed [`ColumnKey`]s). A file that does not read as far as
/// its columns passes: reading it in full gives the reason.
///
/// # Errors
/// [`Error::Template`] naming `file`, the line, the table, the unknown key
/// and the keys its layout understands.
pub fn check_columns(text: &str, file: &str) -> Result<(), Error> {
    let Ok(lists) = toml::from_str::<ColumnLists>(text) else {
        return Ok(());
    };
    for table in &lists.table {
        if let Some(key) = table
            .columns
            .iter()
            .find(|k| ColumnKey::in_layout(table.layout, k).is_none())
        {
            return Err(not_in_layout(&table.id, table.layout, key, text, file));
        }
    }
    Ok(())
}

/// Checks a table's column keys, read, against its layout: a key of
/// another layout (`out.total` in a `functions` table) is a template error
/// as a misspelt one is.
///
/// # Errors
/// As [`check_columns`].
pub fn check_layout_columns(table: &TableSpec, text: &str, file: &str) -> Result<(), Error> {
    let allowed = ColumnKey::of_layout(table.layout);
    match table.columns.iter().find(|k| !allowed.contains(k)) {
        Some(key) => Err(not_in_layout(
            &table.id,
            table.layout,
            key.as_str(),
            text,
            file,
        )),
        None => Ok(()),
    }
}

/// The error of a column key its table's layout does not understand.
fn not_in_layout(id: &str, layout: Layout, key: &str, text: &str, file: &str) -> Error {
    let message = format!(
        "列“{key}”不是 {} 版式能用的词，应为 {} 之一",
        layout.as_str(),
        column_words(layout)
    );
    table_error(id, text, file, key, message)
}

/// Checks `table`'s role against its layout (its column keys are checked
/// by [`check_columns`], its fixed-row keys and scopes when they are read
/// into their types).
///
/// # Errors
/// [`Error::Template`] naming `file`, the line, the table, the unknown word
/// and the words its layout understands.
pub fn check_table(table: &TableSpec, text: &str, file: &str) -> Result<(), Error> {
    let bad = |word: &str, message: String| Err(table_error(&table.id, text, file, word, message));
    if let Some(why) = table.role.misfit(table) {
        return bad(table.role.as_str(), why);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::Template;

    #[test]
    fn every_builtin_word_is_known() {
        for id in Template::builtin_ids() {
            assert!(Template::load(id).is_ok(), "{id}");
        }
    }

    #[test]
    fn line_of_finds_the_word_in_its_table() {
        let text = "a\n[[table]]\nid = \"t1\"\ncolumns = [\"x\"]\n[[table]]\nid = \"t2\"\ncolumns = [\"x\"]\n";
        assert_eq!(line_of(text, "t2", "x"), 7);
        assert_eq!(line_of(text, "t1", "x"), 4);
    }
}
