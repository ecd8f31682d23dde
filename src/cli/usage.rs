//! clap's help and usage errors in Chinese. clap has no translations, so
//! help is rendered by clap and its fixed English words are replaced;
//! usage errors are written anew from the error's kind and context.

use clap::error::{ContextKind, ContextValue, ErrorKind};

/// clap's fixed English in help text and usage lines, and its Chinese.
const WORDS: &[(&str, &str)] = &[
    ("Usage: ", "用法："),
    ("Usage:", "用法："),
    ("Commands:", "命令："),
    ("Options:", "选项："),
    ("Arguments:", "参数："),
    ("[OPTIONS]", "[选项]"),
    ("<COMMAND>", "<命令>"),
    ("[COMMAND]", "[命令]"),
    (
        "Print help (see a summary with '-h')",
        "显示帮助（-h 只显示摘要）",
    ),
    (
        "Print help (see more with '--help')",
        "显示帮助（--help 显示详细说明）",
    ),
    (
        "Print this message or the help of the given subcommand(s)",
        "显示本帮助，或所给命令的帮助",
    ),
    ("Print help", "显示帮助"),
    ("Print version", "显示版本"),
    ("[default: ", "[默认："),
    ("[possible values: ", "[可选："),
    ("Possible values:", "可选值："),
];

/// What `budgetkit narrative --help` teaches after its options.
pub const NARRATIVE_HELP: &str = "按输入模板的章节（sx-2025：情况说明 一至十一）写出文字说明：每个数字都取自表中，\n占比与增减按精确值计算后四舍五入到两位小数；原因写作“主要原因是……”，由部门补写；\n没有 --prior 时，“比上年增长（减少）……万元”也留作“……”。表中没有的事实（政府采购、项目分类、车辆、房屋）\n取自工作簿中标题为“情况说明补充数据”的工作表（每行一项：标签如“政府采购货物预算（万元）”，右侧填数字；budgetkit template 写出此表），没有则留作“……”。\n写成 .docx 时，“一般公共预算当年拨款结构图”“三公经费分布图”两行之后各插入一张饼图（Word 图表）；表中无数时不画图，也不写这一行。\n\n写好后可用 validate 核对：\n  budgetkit narrative 部门.xlsx --prior 上年.xlsx -o 情况说明.docx\n  budgetkit validate 部门.xlsx --narrative 情况说明.docx --prior 上年.xlsx\n\n核对时，文中每个数字按它前面的词（收入总计、基本支出、一般公共服务支出、占…%、比上年增长…、与上年持平）\n找到它说的事实，与表中数字按文中写出的小数位比较：不一致为错误（NARR-AMOUNT 等），\n截去尾数而非四舍五入、段落重复、缺少上年数据为提示。规则见 budgetkit rules。";

/// Help or a usage line with clap's English words replaced.
pub fn translate(text: &str) -> String {
    WORDS
        .iter()
        .fold(text.to_string(), |t, (en, zh)| t.replace(en, zh))
}

/// What to print for a clap error and the exit status: help and version
/// on stdout with status 0, anything else a Chinese message on stderr with
/// status 2.
pub fn explain(e: &clap::Error) -> (String, bool, i32) {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            (translate(&e.render().to_string()), false, 0)
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            (translate(&e.render().to_string()), true, 2)
        }
        _ => (message(e), true, 2),
    }
}

fn get(e: &clap::Error, kind: ContextKind) -> Option<String> {
    match e.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => Some(v.join("、")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::StyledStrs(v) => Some(
            v.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("、"),
        ),
        ContextValue::Number(n) => Some(n.to_string()),
        ContextValue::Bool(_) | ContextValue::None => None,
        _ => None,
    }
}

/// The Chinese message of a usage error: what is wrong, a suggestion when
/// clap has one, the usage line and where to read more.
fn message(e: &clap::Error) -> String {
    let arg = get(e, ContextKind::InvalidArg).unwrap_or_default();
    let value = get(e, ContextKind::InvalidValue).unwrap_or_default();
    let what = match e.kind() {
        ErrorKind::UnknownArgument => format!("无法识别的参数“{arg}”"),
        ErrorKind::InvalidSubcommand => format!(
            "未知命令“{}”",
            get(e, ContextKind::InvalidSubcommand).unwrap_or_default()
        ),
        ErrorKind::InvalidValue => {
            let valid = get(e, ContextKind::ValidValue)
                .map(|v| format!("；可选值：{v}"))
                .unwrap_or_default();
            if value.is_empty() {
                format!("参数 {arg} 缺少取值{valid}")
            } else {
                format!("参数 {arg} 的值“{value}”无效{valid}")
            }
        }
        ErrorKind::ValueValidation => {
            format!("参数 {arg} 的值“{value}”无效（应为整数）")
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{arg}"),
        ErrorKind::MissingSubcommand => "缺少命令".to_string(),
        ErrorKind::ArgumentConflict => format!(
            "参数 {arg} 不能与 {} 同时使用",
            get(e, ContextKind::PriorArg).unwrap_or_default()
        ),
        ErrorKind::NoEquals => format!("参数 {arg} 的值须用“=”连接"),
        ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("参数 {arg} 的取值个数不对")
        }
        ErrorKind::InvalidUtf8 => "参数不是有效的 UTF-8 文本".to_string(),
        _ => "命令行有误".to_string(),
    };
    let mut out = format!("错误：{what}\n");
    let suggested = get(e, ContextKind::SuggestedArg)
        .or_else(|| get(e, ContextKind::SuggestedSubcommand))
        .or_else(|| get(e, ContextKind::SuggestedValue));
    if let Some(s) = suggested {
        out.push_str(&format!("  提示：是否想用“{s}”？\n"));
    }
    if let Some(usage) = get(e, ContextKind::Usage) {
        out.push('\n');
        out.push_str(translate(usage.trim()).trim_end());
        out.push('\n');
    }
    out.push_str("\n更多信息请加 --help 查看（如 budgetkit --help、budgetkit batch --help）。\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_headings_are_chinese() {
        let t = translate("Usage: budgetkit [OPTIONS] <COMMAND>\n\nCommands:\nOptions:\n");
        assert_eq!(t, "用法：budgetkit [选项] <命令>\n\n命令：\n选项：\n");
    }
}
