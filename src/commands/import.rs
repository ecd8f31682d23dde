//! `budgetkit import`: the canonical model as JSON.

use super::{Detected, Outcome};
use crate::error::Error;
use crate::read::{read_located, read_path};
use crate::spec::Template;
use std::path::Path;

/// Reads `input` and returns the model as pretty JSON, with the reading
/// findings. Writes the JSON to `output` atomically when given.
///
/// # Errors
/// [`Error`] when the input is unreadable, the output is the input, or
/// the output cannot be written.
pub fn import(
    input: &Path,
    output: Option<&Path>,
    template: &Template,
) -> Result<(String, Outcome), Error> {
    import_sheets(input, None, output, template)
}

/// As [`import`], from the workbook as read already
/// ([`template_and_sheets`](super::template_and_sheets)); `None` reads
/// `input`.
///
/// # Errors
/// As [`import`].
pub fn import_sheets(
    input: &Path,
    read: Option<Detected>,
    output: Option<&Path>,
    template: &Template,
) -> Result<(String, Outcome), Error> {
    if let Some(out) = output {
        crate::write::refuse_input(out, &[input])?;
    }
    let sub = match read {
        Some(read) => read_located(&read.sheets, template, input, read.located)?,
        None => read_path(input, template)?,
    };
    let json = serde_json::to_string_pretty(&sub.budget).map_err(|e| Error::Json {
        path: input.to_path_buf(),
        detail: e.to_string(),
    })? + "\n";
    if let Some(out) = output {
        crate::write::write_atomic(out, json.as_bytes())?;
    }
    Ok((
        json,
        Outcome {
            findings: sub.findings,
            refused: false,
        },
    ))
}
