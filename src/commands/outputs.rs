//! What an output path may be, checked before any work is done: a
//! workbook ends in `.xlsx`, the JSON model does not pretend to be a
//! workbook, and no output is an existing pipe or device or one of the
//! inputs. The batch's outputs are also checked against each other.

use super::Inbox;
use crate::error::Error;
use std::path::Path;

/// What an output path must hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputKind {
    /// An .xlsx workbook.
    Workbook,
    /// The JSON model (`import -o`).
    Json,
}

/// Refuses an output before any work: the wrong kind of file name, an
/// existing pipe or device, or one of `inputs`.
///
/// # Errors
/// [`Error::Usage`] for the name, [`Error::OutputNotRegular`] or
/// [`Error::OutputIsInput`].
pub fn check_output<P: AsRef<Path>>(
    path: &Path,
    kind: OutputKind,
    inputs: &[P],
) -> Result<(), Error> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match kind {
        OutputKind::Workbook if ext != "xlsx" => {
            let found = if ext.is_empty() {
                "没有扩展名".to_string()
            } else {
                format!("扩展名为 .{ext}")
            };
            return Err(Error::Usage(format!(
                "{}：输出工作簿须以 .xlsx 结尾（{found}）；budgetkit 只写 .xlsx 工作簿",
                path.display()
            )));
        }
        OutputKind::Json if matches!(ext.as_str(), "xlsx" | "xls" | "xlsm") => {
            return Err(Error::Usage(format!(
                "{}：import 写出的是 JSON 模型，不是工作簿；请用 .json 结尾的文件名",
                path.display()
            )));
        }
        _ => {}
    }
    crate::write::refuse_special(path)?;
    crate::write::refuse_input(path, inputs)
}

/// Checks a batch's outputs before it runs: the summary (`report`) and the
/// 汇总 (`consolidate`) workbooks are each [`check_output`]ed against the
/// inbox's files and must not be the same file.
///
/// # Errors
/// As [`check_output`]; [`Error::Usage`] when both workbooks are one file.
pub fn check_batch_outputs(
    inbox: &Inbox,
    report: Option<&Path>,
    consolidate: Option<&Path>,
) -> Result<(), Error> {
    for out in report.iter().chain(&consolidate) {
        check_output(out, OutputKind::Workbook, &inbox.files)?;
    }
    if let (Some(a), Some(b)) = (report, consolidate) {
        if a == b || crate::write::same_file(a, b) {
            return Err(Error::Usage(format!(
                "{}：--report 与 --consolidate 是同一个文件，请分别指定",
                a.display()
            )));
        }
    }
    Ok(())
}
