//! The library's error type: what went wrong and where (file, sheet, cell,
//! template file), with Chinese messages meant for the person who sent the
//! file.

use std::path::PathBuf;

/// Errors that stop a command (unreadable input, bad template, failed
/// write). Problems *inside* a readable workbook are findings, not errors.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be read or written.
    #[error("{path}：无法读写文件：{source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The file is not a workbook calamine can open.
    #[error("{path}：不是可读取的 Excel 工作簿（.xlsx/.xls）：{detail}")]
    NotAWorkbook {
        /// The file.
        path: PathBuf,
        /// What the workbook reader said.
        detail: String,
    },
    /// The workbook is password-protected.
    #[error("{path}：工作簿已加密，请取消密码保护后重新提交")]
    Encrypted {
        /// The file.
        path: PathBuf,
    },
    /// The input exceeds the reader's bounds.
    #[error("{path}：{what}超出上限（发现 {found}，上限 {limit}），拒绝读取")]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// What is too large (文件大小, 工作表“X”的行数 …).
        what: String,
        /// The size found.
        found: u64,
        /// The bound.
        limit: u64,
    },
    /// No sheet holds any table of the template.
    #[error("{path}：未找到任何预算公开表（按模板 {template} 的表名查找）")]
    NoBudgetTables {
        /// The file.
        path: PathBuf,
        /// Template id.
        template: String,
    },
    /// A JSON model that does not parse.
    #[error("{path}：JSON 模型无法解析：{detail}")]
    Json {
        /// The file.
        path: PathBuf,
        /// The parser's message (line and column).
        detail: String,
    },
    /// A template spec that does not parse or is inconsistent.
    #[error("模板文件 {file}：{message}")]
    Template {
        /// The template file.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// An unknown template id.
    #[error("未知模板“{id}”；可用模板：{known}")]
    UnknownTemplate {
        /// The id asked for.
        id: String,
        /// Ids that exist.
        known: String,
    },
    /// rust_xlsxwriter failed while building the output.
    #[error("{path}：写入工作簿失败：{detail}")]
    Write {
        /// The output file.
        path: PathBuf,
        /// The writer's message.
        detail: String,
    },
}

impl Error {
    /// True when the error means the *input* could not be read (exit 2).
    pub fn is_unreadable_input(&self) -> bool {
        matches!(
            self,
            Error::NotAWorkbook { .. }
                | Error::Encrypted { .. }
                | Error::TooLarge { .. }
                | Error::NoBudgetTables { .. }
                | Error::Json { .. }
                | Error::Io { .. }
        )
    }
}
