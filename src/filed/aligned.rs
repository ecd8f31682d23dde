//! A table's fixed rows (表1/表4's income and expense rows, 表10's items)
//! aligned to the rows filed: by label, in order, each label with the other
//! wordings it may be filed with. The model build and the rules both need
//! the alignment of the same table; it is worked out once per table and
//! column and kept with the table.

use super::{row_label_key, FiledTable};
use crate::spec::{ColumnKey, TableSpec, Wording};
use std::borrow::Cow;
use std::sync::Mutex;

/// One alignment: the column, the labels aligned (each with its other
/// wordings) and the row index per label.
type Alignment = (ColumnKey, Vec<(String, Vec<String>)>, Vec<Option<usize>>);

/// The alignments worked out for one table. A clone starts empty, and two
/// tables compare equal whatever they hold.
#[derive(Debug, Default)]
pub(crate) struct Alignments(Mutex<Vec<Alignment>>);

impl Clone for Alignments {
    fn clone(&self) -> Self {
        Alignments::default()
    }
}

impl PartialEq for Alignments {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// Walks `labels` in order over the rows of `table`, each label matched at
/// or after the previous match; returns the row index per label (by label
/// key, read in column `col`). Each label is given with the other wordings
/// it may be filed with. Worked out once per table, column and labels when
/// `spec` is the table's own.
pub fn align_fixed_rows(
    table: &FiledTable,
    spec: &TableSpec,
    col: ColumnKey,
    labels: &[Wording<'_>],
) -> Vec<Option<usize>> {
    if table.id != spec.id {
        return align(table, spec, col, labels);
    }
    let same = |known: &[(String, Vec<String>)]| {
        known.len() == labels.len()
            && known
                .iter()
                .zip(labels)
                .all(|((l, a), (label, also))| l == label && a.as_slice() == *also)
    };
    let known = |memo: &[Alignment]| {
        memo.iter()
            .find(|(c, l, _)| *c == col && same(l))
            .map(|(_, _, at)| at.clone())
    };
    if let Some(at) = table.aligned.0.lock().ok().and_then(|m| known(&m)) {
        return at;
    }
    let at = align(table, spec, col, labels);
    if let Ok(mut memo) = table.aligned.0.lock() {
        if known(&memo).is_none() {
            let owned = labels
                .iter()
                .map(|(l, a)| ((*l).to_string(), a.to_vec()))
                .collect();
            memo.push((col, owned, at.clone()));
        }
    }
    at
}

fn align(
    table: &FiledTable,
    spec: &TableSpec,
    col: ColumnKey,
    labels: &[Wording<'_>],
) -> Vec<Option<usize>> {
    // Each row's key once, not once per label looked for.
    let keys: Vec<Cow<'_, str>> = table
        .rows
        .iter()
        .map(|r| row_label_key(r.cell(spec, col).map_or("", |c| c.text())))
        .collect();
    let mut next = 0;
    labels
        .iter()
        .map(|(label, also)| {
            let want: Vec<Cow<'_, str>> = std::iter::once(*label)
                .chain(also.iter().map(String::as_str))
                .map(row_label_key)
                .filter(|k| !k.is_empty())
                .collect();
            if want.is_empty() {
                return None;
            }
            let found = keys
                .iter()
                .enumerate()
                .skip(next)
                .find(|(_, got)| want.contains(got))
                .map(|(i, _)| i);
            if let Some(i) = found {
                next = i + 1;
            }
            found
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::sample;
    use crate::spec::FixedRow;

    /// #14: the model build and the rules aligned 表1's fixed rows three
    /// times each; the second alignment is the first one's, and another
    /// list of labels under the same column is aligned for itself.
    #[test]
    fn an_alignment_is_kept_per_column_and_labels() {
        let (template, sub) = sample();
        let spec = template.table("t1").unwrap();
        let t1 = sub.tables.iter().find(|t| t.id == "t1").unwrap();
        let labels: Vec<Wording<'_>> = spec.income_rows.iter().map(FixedRow::wording).collect();
        let first = align_fixed_rows(t1, spec, ColumnKey::InLabel, &labels);
        assert!(
            first.iter().filter(|a| a.is_some()).count() >= 3,
            "{first:?}"
        );
        assert_eq!(first, align(t1, spec, ColumnKey::InLabel, &labels));
        let kept = t1.aligned.0.lock().unwrap().len();
        assert_eq!(
            align_fixed_rows(t1, spec, ColumnKey::InLabel, &labels),
            first
        );
        assert_eq!(t1.aligned.0.lock().unwrap().len(), kept);
        // The labels in reverse order find (at most) the first of them again.
        let reversed: Vec<Wording<'_>> = labels.iter().rev().copied().collect();
        let other = align_fixed_rows(t1, spec, ColumnKey::InLabel, &reversed);
        assert_eq!(other, align(t1, spec, ColumnKey::InLabel, &reversed));
        assert_ne!(other, first);
        assert_eq!(t1.aligned.0.lock().unwrap().len(), kept + 1);
        // A copy starts with nothing kept.
        assert!(t1.clone().aligned.0.lock().unwrap().is_empty());
    }
}
