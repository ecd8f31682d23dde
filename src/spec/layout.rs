//! The body layouts a template table may have ([`Layout`]): which table
//! kind reads, shows and checks it.

use serde::Deserialize;

/// How a table's body is organised, which decides how its rows map onto
/// the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// 表1: income rows beside expenditure rows by 类.
    Summary,
    /// 表4: fiscal income beside expenditure by 类 and fund.
    FiscalSummary,
    /// Function lines (科目编码, 科目名称, amounts).
    Functions,
    /// 表6: economic classification.
    Economic,
    /// 表7: income lines.
    IncomeLines,
    /// 表9: income lines beside function lines.
    Capital,
    /// 表10: "三公" fixed rows.
    ThreePublic,
    /// 表11: operating costs per unit.
    OperatingCosts,
    /// 表12/表13: department → unit → project.
    Projects,
}

impl Layout {
    /// The layout's name as written in a template file.
    pub fn as_str(self) -> &'static str {
        match self {
            Layout::Summary => "summary",
            Layout::FiscalSummary => "fiscal_summary",
            Layout::Functions => "functions",
            Layout::Economic => "economic",
            Layout::IncomeLines => "income_lines",
            Layout::Capital => "capital",
            Layout::ThreePublic => "three_public",
            Layout::OperatingCosts => "operating_costs",
            Layout::Projects => "projects",
        }
    }
}
