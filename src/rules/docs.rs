//! The catalog as text for `budgetkit rules` and as Markdown for
//! docs/rules.md (generated, so the document cannot drift from the code).

use super::{READING, RULES};
use crate::findings::Severity;

fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::Error => "错误（强制性审核）",
        Severity::Warning => "提示（提示性审核）",
    }
}

/// The catalog as plain text: one rule per line (id, severity, tables,
/// description).
pub fn catalog_text() -> String {
    let width = RULES.iter().map(|r| r.id.len()).max().unwrap_or(0);
    let mut out = String::new();
    for r in RULES {
        out.push_str(&format!(
            "{:width$}  {}  {}：{}\n",
            r.id,
            r.severity.label(),
            r.tables,
            r.description
        ));
    }
    out
}

/// Escapes a table cell for Markdown.
fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}

/// The catalog as Markdown: what `docs/rules.md` holds.
pub fn catalog_markdown() -> String {
    let mut out = String::from(
        "# 审核规则目录\n\n\
         <!-- 本文件由 `budgetkit rules --format markdown > docs/rules.md` 生成，请勿手工修改；\
         tests/rules_doc.rs 核对它与代码中的规则目录一致。 -->\n\n\
         `budgetkit validate` 对部门填报的工作簿逐条执行以下规则。每条发现列出它比较的每一个单元格\
         （`工作表!A1`，用部门工作簿自己的工作表名）。\n\n\
         - **错误（强制性审核）**：必须改正；`validate` 退出码为 1，`export` 拒绝写出（除非 `--force`）。\n\
         - **提示（提示性审核）**：请核对，不阻止公开。\n\n\
         金额按万元两位小数比较。合计与分项之间按 XBRL Calculations 1.1 的区间规则判断：\
         两位小数的 v 代表 [v−0.005, v+0.005]，分项区间逐端相加后与合计区间相交即视为一致\
         （n 个分项最多允许差 0.005×(n+1)；空白单元格为精确的零；只有一个分项时应完全相等）。\
         同一数字在两张表中的抄录应分毫不差。\
         部门名称为“汇总(N个部门)”的汇总表，每个金额是 N 个四舍五入后金额之和，允许差按 N 倍计。\n\n\
         ## 规则\n\n\
         | 编号 | 级别 | 涉及表 | 规则 | 说明 |\n\
         |---|---|---|---|---|\n",
    );
    for r in RULES {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            r.id,
            severity_name(r.severity),
            cell(r.tables),
            cell(r.description),
            cell(r.detail)
        ));
    }
    out.push_str(
        "\n## 读取时的发现\n\n\
         读取工作簿时发现的问题也列入审核结果：\n\n\
         | 编号 | 级别 | 含义 |\n\
         |---|---|---|\n",
    );
    reading_rows(&mut out, READING);
    out.push_str(
        "\n## 文字说明的核对\n\n\
         `validate --narrative` 核对文字说明（情况说明）中的数字，发现列出原文句子、段落号和比较的单元格：\n\n\
         | 编号 | 级别 | 含义 |\n\
         |---|---|---|\n",
    );
    reading_rows(&mut out, &crate::narrative::NARRATIVE_RULES);
    out
}

/// One Markdown row per finding id: id, severities, meaning.
fn reading_rows(out: &mut String, rules: &[super::ReadingRule]) {
    for r in rules {
        let levels: Vec<&str> = r.severities.iter().map(|s| severity_name(*s)).collect();
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            r.id,
            levels.join("、"),
            cell(r.description)
        ));
    }
}
