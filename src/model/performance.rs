//! Performance-target forms (绩效目标表): the department-wide form and one
//! form per project, with typed indicators.

use super::amount::Amount;
use super::label_key::label_key_cow;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// All performance forms of a submission.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Performance {
    /// 整体支出绩效目标申报表 (one per department).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<DepartmentForm>,
    /// 项目支出绩效目标表, one per project, in submission order.
    #[serde(default)]
    pub projects: Vec<ProjectForm>,
}

/// A labelled text field of a form with where it was read.
pub type Text = String;

/// A performance indicator row: 一级/二级/三级指标 and the target value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    /// 一级指标 (产出指标, 效益指标, 满意度指标 …).
    pub level1: Text,
    /// 二级指标 (数量指标, 质量指标 …).
    pub level2: Text,
    /// 三级指标 (free text).
    pub level3: Text,
    /// 指标值.
    pub value: IndicatorValue,
}

/// A target value such as `≥100册`, split into operator, number and unit.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IndicatorValue {
    /// The value as typed.
    pub text: String,
    /// Comparison operator (`≥`, `≤`, `>`, `<`, `=`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub op: Option<String>,
    /// The number, if the value has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<Decimal>,
    /// The unit after the number (`册`, `%`, `万元` …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

impl IndicatorValue {
    /// Parses a typed indicator value.
    ///
    /// ```
    /// use budgetkit::model::IndicatorValue;
    /// let v = IndicatorValue::parse("≥100册");
    /// assert_eq!(v.op.as_deref(), Some("≥"));
    /// assert_eq!(v.number.map(|n| n.to_string()).as_deref(), Some("100"));
    /// assert_eq!(v.unit.as_deref(), Some("册"));
    /// let q = IndicatorValue::parse("良");
    /// assert_eq!((q.op, q.number), (None, None));
    /// ```
    pub fn parse(text: &str) -> Self {
        let text = text.trim().to_string();
        let t = label_key_cow(&text);
        let mut rest = t.as_ref();
        let mut op = None;
        for candidate in ["≥", "≤", ">=", "<=", ">", "<", "="] {
            if let Some(r) = rest.strip_prefix(candidate) {
                op = Some(match candidate {
                    ">=" => "≥".to_string(),
                    "<=" => "≤".to_string(),
                    c => c.to_string(),
                });
                rest = r;
                break;
            }
        }
        let num_len = rest
            .char_indices()
            .take_while(|(_, c)| c.is_ascii_digit() || *c == '.')
            .map(|(i, c)| i + c.len_utf8())
            .last()
            .unwrap_or(0);
        let number = rest.get(..num_len).and_then(|n| n.parse::<Decimal>().ok());
        let unit = match (&number, rest.get(num_len..)) {
            (Some(_), Some(u)) if !u.is_empty() => Some(u.to_string()),
            _ => None,
        };
        IndicatorValue {
            text,
            op: if number.is_some() { op } else { None },
            number,
            unit,
        }
    }
}

/// The department-wide form (市级预算部门（单位）整体支出绩效目标申报表).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DepartmentForm {
    /// Year shown under the title, e.g. `2025`.
    pub year: String,
    /// 部门名称 as typed, e.g. `132-朔州市促进外来投资局`.
    pub department: Text,
    /// 内设职能部门数
    pub internal_divisions: Text,
    /// 所属预算单位数
    pub budget_units: Text,
    /// 核定的人员编制数
    pub authorized_staff: Text,
    /// 实际在职人员总数
    pub actual_staff: Text,
    /// 其中:在编人员数
    pub staff_on_roll: Text,
    /// 其他人员数
    pub other_staff: Text,
    /// 部门职责
    pub duties: Text,
    /// 部门战略目标
    pub strategic_goal: Text,
    /// 按资金来源划分: 合计 and its parts.
    pub funds_by_source: FormFunds,
    /// 按资金方向划分: 合计, 基本支出, 项目支出.
    pub funds_by_use: FundsByUse,
    /// 年度重点任务: (核心职能, 重点任务) pairs.
    pub key_tasks: Vec<KeyTask>,
    /// 年度绩效目标
    pub annual_goal: Text,
    /// 年度绩效指标
    pub indicators: Vec<Indicator>,
}

/// Funds of the department form by source.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FormFunds {
    /// 合计
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<Amount>,
    /// 一般公共预算资金
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub general: Option<Amount>,
    /// 政府性基金预算资金
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gov_fund: Option<Amount>,
    /// 国有资本经营预算资金
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_capital: Option<Amount>,
    /// 社会保险基金预算资金
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub social_insurance: Option<Amount>,
    /// 专户管理资金
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub special: Option<Amount>,
    /// 单位资金
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<Amount>,
}

/// Funds of the department form by use.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FundsByUse {
    /// 合计
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<Amount>,
    /// 基本支出
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basic: Option<Amount>,
    /// 项目支出
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<Amount>,
}

/// One 年度重点任务 row.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct KeyTask {
    /// 核心职能
    pub function: Text,
    /// 重点任务
    pub task: Text,
}

/// A project's funds by origin (中央/省级/市县/单位自筹/其他).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProjectFunds {
    /// 资金总额
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<Amount>,
    /// 中央财政资金
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub central: Option<Amount>,
    /// 省级财政资金
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provincial: Option<Amount>,
    /// 市县(区)财政资金
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local: Option<Amount>,
    /// 单位自筹
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_raised: Option<Amount>,
    /// 其他资金
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other: Option<Amount>,
}

/// 项目支出绩效目标表 for one project.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProjectForm {
    /// Year shown under the title, e.g. `2025`.
    pub year: String,
    /// 项目名称
    pub name: Text,
    /// Where the project name was read (for findings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_at: Option<super::amount::Provenance>,
    /// 主管部门及代码
    pub authority: Text,
    /// 实施单位
    pub implementing_unit: Text,
    /// 项目属性
    pub attribute: Text,
    /// 项目期
    pub period: Text,
    /// 实施期资金 (万元)
    pub period_funds: ProjectFunds,
    /// 年度资金 (万元)
    pub annual_funds: ProjectFunds,
    /// 项目概况
    pub overview: Text,
    /// 立项依据
    pub basis: Text,
    /// 项目设立必要性
    pub necessity: Text,
    /// 保证项目实施的制度、措施
    pub safeguards: Text,
    /// 项目实施计划
    pub plan: Text,
    /// 总体目标: 实施期目标
    pub period_goal: Text,
    /// 总体目标: 年度目标
    pub annual_goal: Text,
    /// 绩效指标, 实施期
    pub period_indicators: Vec<Indicator>,
    /// 绩效指标, 年度
    pub annual_indicators: Vec<Indicator>,
    /// 负责人
    pub responsible: Text,
    /// 经办人
    pub handler: Text,
    /// 联系电话
    pub phone: Text,
    /// 填报日期
    pub filed_on: Text,
}
