//! The library's error type: what went wrong and where (file, sheet, cell,
//! template file), with Chinese messages meant for the person who sent the
//! file.

use std::path::PathBuf;

/// Errors that stop a command (unreadable input, bad template, failed
/// write). Problems *inside* a readable workbook are findings, not errors.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be read or written.
    #[error("{path}：无法读写文件：{}", io_text(.source))]
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
    #[error("{path}：JSON 模型无法解析：{}", json_text(.detail))]
    Json {
        /// The file.
        path: PathBuf,
        /// The parser's message (line and column).
        detail: String,
    },
    /// A template spec that does not parse or is inconsistent.
    #[error("模板文件 {file}：{}", template_text(.message))]
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
    #[error("{path}：写入工作簿失败：{}", xlsx_text(.detail))]
    Write {
        /// The output file.
        path: PathBuf,
        /// The writer's message.
        detail: String,
    },
    /// An output path that is one of the inputs (the same file, perhaps
    /// through a link): writing would destroy the submission.
    #[error("{output}：输出文件就是输入文件 {input}，拒绝覆盖；请另选输出路径")]
    OutputIsInput {
        /// The output as given.
        output: PathBuf,
        /// The input it is.
        input: PathBuf,
    },
    /// An existing output that is not a regular file (a pipe, device or
    /// directory): renaming over it would replace it.
    #[error("{path}：已存在且不是普通文件（目录、管道或设备），拒绝写入")]
    OutputNotRegular {
        /// The output.
        path: PathBuf,
    },
    /// A command line the tool refuses (exit 2), e.g. a workbook output
    /// named `.pdf`.
    #[error("{0}")]
    Usage(String),
}

/// An OS error in Chinese: what happened, never the English text of the
/// system (`No such file or directory (os error 2)` → `文件或目录不存在`).
/// An error made by the program itself (no OS code) keeps its own text.
pub fn io_text(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let text = match e.kind() {
        K::NotFound => "文件或目录不存在",
        K::PermissionDenied => "没有访问权限",
        K::AlreadyExists => "文件已存在",
        K::IsADirectory => "这是一个目录，不是文件",
        K::NotADirectory => "路径中有一级不是目录",
        K::DirectoryNotEmpty => "目录不为空",
        K::StorageFull => "磁盘空间已满",
        K::ReadOnlyFilesystem => "文件系统只读",
        K::FileTooLarge => "文件过大",
        K::InvalidFilename => "文件名无效",
        K::CrossesDevices => "不能跨文件系统改名",
        K::ResourceBusy => "设备或资源正忙",
        K::BrokenPipe => "输出管道已关闭",
        K::UnexpectedEof => "文件意外结束（内容不完整）",
        K::InvalidData => "内容无效（例如不是 UTF-8 文本）",
        K::TimedOut => "操作超时",
        K::Interrupted => "操作被中断",
        K::OutOfMemory => "内存不足",
        _ => match e.raw_os_error() {
            Some(40) => "符号链接循环",
            Some(code) => return format!("系统错误（错误码 {code}）"),
            None => return e.to_string(),
        },
    };
    text.to_string()
}

/// serde_json's message in Chinese: `missing field `template` at line 1
/// column 2` → `缺少字段“template”（第 1 行第 2 列）`.
pub fn json_text(detail: &str) -> String {
    let (head, place) = match detail.rsplit_once(" at line ") {
        Some((h, pos)) => {
            let (line, col) = pos.split_once(" column ").unwrap_or((pos, "?"));
            (h, format!("（第 {line} 行第 {col} 列）"))
        }
        None => (detail, String::new()),
    };
    let text = serde_phrase(head).unwrap_or_else(|| match head {
        h if h.starts_with("EOF while parsing") => "文件意外结束（JSON 不完整）".to_string(),
        h if h.starts_with("trailing characters") => "JSON 结束后还有多余的内容".to_string(),
        h if h.starts_with("expected") || h.starts_with("key must be") => {
            format!("JSON 语法错误（{h}）")
        }
        h if h.starts_with("recursion limit exceeded") => "嵌套层数过多".to_string(),
        h if h.starts_with("number out of range") => "数字超出范围".to_string(),
        h => format!("内容不符合模型格式（{h}）"),
    });
    text + &place
}

/// serde's own messages (shared by JSON and TOML) in Chinese, or `None`
/// for a message it does not know.
fn serde_phrase(head: &str) -> Option<String> {
    let quoted = |rest: &str| rest.trim_matches('`').to_string();
    let pair = |rest: &str| {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, "?"));
        (found.to_string(), expected.to_string())
    };
    Some(if let Some(f) = head.strip_prefix("missing field ") {
        format!("缺少字段“{}”", quoted(f))
    } else if let Some(f) = head.strip_prefix("unknown field ") {
        format!("未知字段“{}”", quoted(f.split(',').next().unwrap_or(f)))
    } else if let Some(f) = head.strip_prefix("duplicate field ") {
        format!("字段“{}”重复", quoted(f))
    } else if let Some(rest) = head.strip_prefix("invalid type: ") {
        let (found, expected) = pair(rest);
        format!("类型不对：实为 {found}，应为 {expected}")
    } else if let Some(rest) = head.strip_prefix("invalid value: ") {
        let (found, expected) = pair(rest);
        format!("取值无效：实为 {found}，应为 {expected}")
    } else if let Some(rest) = head.strip_prefix("unknown variant ") {
        let v = rest.split(',').next().unwrap_or(rest);
        format!("取值“{}”不在可选范围内", quoted(v))
    } else {
        return None;
    })
}

/// A template file's TOML error in Chinese: the position, the excerpt
/// the parser shows, and the reason.
pub fn template_text(message: &str) -> String {
    let Some(rest) = message.strip_prefix("TOML parse error at line ") else {
        return message.to_string();
    };
    let (pos, excerpt) = rest.split_once('\n').unwrap_or((rest, ""));
    let (line, col) = pos.split_once(", column ").unwrap_or((pos, "?"));
    let mut lines: Vec<&str> = excerpt.lines().collect();
    let reason = lines.pop().unwrap_or_default().trim();
    let why = serde_phrase(reason).unwrap_or_else(|| match reason {
        r if r.starts_with("string values must be quoted") => "文字须加引号".to_string(),
        r if r.starts_with("invalid table header") => "表头 [..] 写法不对".to_string(),
        r if r.starts_with("duplicate key") => "键重复".to_string(),
        // Already Chinese: a template word's own message (src/spec/words.rs).
        r if !r.is_ascii() => r.to_string(),
        r => format!("（{r}）"),
    });
    format!(
        "TOML 格式错误（第 {line} 行第 {col} 列）：{why}\n{}",
        lines.join("\n")
    )
}

/// rust_xlsxwriter's message in Chinese, for the limits a department's
/// content can reach.
pub fn xlsx_text(detail: &str) -> String {
    let name = || {
        detail
            .split('\'')
            .nth(1)
            .map_or(String::new(), |n| format!("“{n}”"))
    };
    if detail.starts_with("String exceeds Excel's limit") {
        "文字超过 Excel 单元格上限（32,767 字）".to_string()
    } else if detail.starts_with("Row or column exceeds") {
        "超出 Excel 的行列上限（1,048,576 行 × 16,384 列）".to_string()
    } else if detail.starts_with("Worksheet name") {
        format!(
            "工作表名称{}不可用（不能为空、重复、超过 31 字，不能含 [ ] : * ? / \\，不能以撇号开头或结尾）",
            name()
        )
    } else if detail.starts_with("URL string exceeds") {
        "链接超过 Excel 上限（2,083 字）".to_string()
    } else {
        format!("写入器报告：{detail}")
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_errors_are_chinese() {
        let e = std::io::Error::from_raw_os_error(2);
        assert_eq!(io_text(&e), "文件或目录不存在");
        let e = std::io::Error::from_raw_os_error(28);
        assert_eq!(io_text(&e), "磁盘空间已满");
        let ours = std::io::Error::other("自己的说明");
        assert_eq!(io_text(&ours), "自己的说明");
    }

    #[test]
    fn json_errors_are_chinese() {
        assert_eq!(
            json_text("missing field `template` at line 1 column 2"),
            "缺少字段“template”（第 1 行第 2 列）"
        );
        assert_eq!(
            json_text("invalid type: string \"x\", expected i32 at line 3 column 9"),
            "类型不对：实为 string \"x\"，应为 i32（第 3 行第 9 列）"
        );
        assert_eq!(
            json_text("EOF while parsing a value at line 1 column 0"),
            "文件意外结束（JSON 不完整）（第 1 行第 0 列）"
        );
    }

    #[test]
    fn template_errors_are_chinese() {
        let t = template_text(
            "TOML parse error at line 1, column 6\n  |\n1 | id = \n  |      ^\nstring values must be quoted, expected literal string\n",
        );
        assert!(
            t.starts_with("TOML 格式错误（第 1 行第 6 列）：文字须加引号\n"),
            "{t}"
        );
        assert!(t.contains("1 | id ="), "the excerpt is kept: {t}");
        let t = template_text("TOML parse error at line 2, column 1\n  |\nmissing field `id`\n");
        assert!(t.contains("：缺少字段“id”"), "{t}");
        assert_eq!(
            template_text("列键 basc 不在词表中"),
            "列键 basc 不在词表中"
        );
    }

    #[test]
    fn writer_errors_are_chinese() {
        assert_eq!(
            xlsx_text("String exceeds Excel's limit of 32,767 characters."),
            "文字超过 Excel 单元格上限（32,767 字）"
        );
        assert!(
            xlsx_text("Worksheet name 'a:b' cannot contain invalid characters").contains("“a:b”")
        );
    }
}
