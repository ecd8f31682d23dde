//! The canonical model of one department's budget: each fact once.
//!
//! Vertical roll-ups of the function and economic classifications (类, 款,
//! the 合计 row, 工资福利支出 …) are kept as stated, because published
//! roll-ups are rounded from yuan and may legitimately miss the sum of their
//! rounded parts by a cent. Horizontal totals (合计 = 基本 + 项目, 合计 =
//! Σ sources) and the totals of 三公, 机关运行经费 and projects are derived
//! exactly by the views.

use super::amount::{add_opt, sum_opt, Amount};
use super::keys::{Fund, Source, ThreePublicItem};
use super::performance::Performance;
use super::stated::StatedFacts;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One department's budget for one year.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Budget {
    /// Template version the submission was read with (e.g. `sx-2025`).
    pub template: String,
    /// Department name (部门名称).
    pub department: String,
    /// Budget year.
    pub year: i32,
    /// Budget units (预算单位) in the order they are listed.
    pub units: Vec<String>,
    /// Function classification lines (表1–5, 表8, 表9 spending).
    pub functions: FunctionTable,
    /// Last year's fiscal carry-over by fund (表4 上年财政拨款结转).
    #[serde(default)]
    pub fiscal_carryover: Sources,
    /// Year-end carry-over on the expenditure side (年终结转).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year_end_carryover: Option<Amount>,
    /// Basic spending by economic classification (表6).
    pub economic: EconomicTable,
    /// Government-fund income lines (表7).
    pub fund_income: IncomeTable,
    /// State-capital income lines (表9, income side).
    pub capital_income: IncomeTable,
    /// "三公" costs (表10).
    pub three_public: ThreePublic,
    /// Administrative operating costs per unit (表11).
    pub operating_costs: Vec<UnitCost>,
    /// This year's projects (表12).
    pub projects: Vec<Project>,
    /// Projects financed by last year's carry-over (表13).
    pub carryover_projects: Vec<Project>,
    /// Performance-target forms (绩效目标表).
    pub performance: Performance,
    /// Facts the tables do not hold (政府采购, vehicles …), as stated on
    /// the 情况说明补充数据 sheet, by fact name ([`StatedFacts`]).
    #[serde(default)]
    pub stated: StatedFacts,
}

/// Amounts by income source (资金来源).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Sources {
    /// 一般公共预算
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub general: Option<Amount>,
    /// 政府性基金预算
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gov_fund: Option<Amount>,
    /// 国有资本经营预算
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_capital: Option<Amount>,
    /// 财政专户管理资金
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub special: Option<Amount>,
    /// 单位资金
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<Amount>,
    /// 事业收入 (older layouts; part of 单位资金 in newer ones)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business: Option<Amount>,
    /// 事业单位经营收入 (older layouts; part of 单位资金 in newer ones)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operating: Option<Amount>,
    /// 其他收入 (older layouts; part of 单位资金 in newer ones)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other: Option<Amount>,
}

impl Sources {
    /// The amount of a source.
    pub fn get(&self, source: Source) -> Option<&Amount> {
        match source {
            Source::General => self.general.as_ref(),
            Source::GovFund => self.gov_fund.as_ref(),
            Source::StateCapital => self.state_capital.as_ref(),
            Source::Special => self.special.as_ref(),
            Source::Unit => self.unit.as_ref(),
            Source::Business => self.business.as_ref(),
            Source::Operating => self.operating.as_ref(),
            Source::Other => self.other.as_ref(),
        }
    }

    /// The amount of a fiscal fund.
    pub fn fund(&self, fund: Fund) -> Option<&Amount> {
        self.get(fund.source())
    }

    /// The mutable slot of a source.
    pub fn slot(&mut self, source: Source) -> &mut Option<Amount> {
        match source {
            Source::General => &mut self.general,
            Source::GovFund => &mut self.gov_fund,
            Source::StateCapital => &mut self.state_capital,
            Source::Special => &mut self.special,
            Source::Unit => &mut self.unit,
            Source::Business => &mut self.business,
            Source::Operating => &mut self.operating,
            Source::Other => &mut self.other,
        }
    }

    /// Sum of all sources (blank when all are blank).
    pub fn total(&self) -> Option<Decimal> {
        sum_opt(Source::ALL.iter().map(|k| self.get(*k)))
    }

    /// Sum of the fiscal sources 一般公共预算 + 政府性基金 + 国有资本经营.
    pub fn fiscal(&self) -> Option<Decimal> {
        sum_opt(Fund::ALL.iter().map(|f| self.fund(*f)))
    }
}

/// A basic/project split (基本支出 / 项目支出).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Split {
    /// 基本支出
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basic: Option<Amount>,
    /// 项目支出
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<Amount>,
}

impl Split {
    /// 基本 + 项目.
    pub fn total(&self) -> Option<Decimal> {
        sum_opt([self.basic.as_ref(), self.project.as_ref()])
    }

    /// True when both halves are blank.
    pub fn is_blank(&self) -> bool {
        self.basic.is_none() && self.project.is_none()
    }
}

/// One line of the function classification (类, 款 or 项), as stated.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FunctionLine {
    /// 3-digit 类, 5-digit 款 or 7-digit 项 code; empty for the 合计 line.
    pub code: String,
    /// Function name (科目名称).
    pub name: String,
    /// This year's income by source (表2 本年收入).
    #[serde(default)]
    pub income: Sources,
    /// Last year's carry-over (表2 上年结转, 表1 上年结转安排).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carryover: Option<Amount>,
    /// General-budget spending, basic/project (表5).
    #[serde(default)]
    pub general: Split,
    /// Government-fund spending (表8).
    #[serde(default)]
    pub gov_fund: Split,
    /// State-capital spending (表9).
    #[serde(default)]
    pub state_capital: Split,
    /// Spending from the remaining sources and carry-over, so that
    /// 表3 = general + gov_fund + state_capital + other.
    #[serde(default)]
    pub other: Split,
}

impl FunctionLine {
    /// 表3 基本支出: basic spending from every source.
    pub fn basic(&self) -> Option<Decimal> {
        self.splits().iter().fold(None, |acc, s| {
            add_opt(acc, s.basic.as_ref().map(|a| a.value))
        })
    }

    /// 表3 项目支出: project spending from every source.
    pub fn project(&self) -> Option<Decimal> {
        self.splits().iter().fold(None, |acc, s| {
            add_opt(acc, s.project.as_ref().map(|a| a.value))
        })
    }

    /// The spending split of a fiscal fund.
    pub fn split(&self, fund: Fund) -> &Split {
        match fund {
            Fund::General => &self.general,
            Fund::GovFund => &self.gov_fund,
            Fund::StateCapital => &self.state_capital,
        }
    }

    /// The spending split of a fiscal fund, mutable.
    pub fn split_mut(&mut self, fund: Fund) -> &mut Split {
        match fund {
            Fund::General => &mut self.general,
            Fund::GovFund => &mut self.gov_fund,
            Fund::StateCapital => &mut self.state_capital,
        }
    }

    fn splits(&self) -> [&Split; 4] {
        [
            &self.general,
            &self.gov_fund,
            &self.state_capital,
            &self.other,
        ]
    }

    /// The classification level: 1 = 类, 2 = 款, 3 = 项, 0 = 合计.
    pub fn level(&self) -> u8 {
        match self.code.len() {
            0 => 0,
            1..=3 => 1,
            4..=5 => 2,
            _ => 3,
        }
    }
}

/// The function classification lines with their stated 合计 line.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FunctionTable {
    /// The 合计 line (code empty).
    pub total: FunctionLine,
    /// 类, 款 and 项 lines in published order.
    pub lines: Vec<FunctionLine>,
}

/// Personnel/public split (人员经费 / 公用经费).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Costs {
    /// 人员经费
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub personnel: Option<Amount>,
    /// 公用经费
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public: Option<Amount>,
}

impl Costs {
    /// 人员经费 + 公用经费.
    pub fn total(&self) -> Option<Decimal> {
        sum_opt([self.personnel.as_ref(), self.public.as_ref()])
    }
}

/// One economic-classification item of 表6.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EconomicItem {
    /// 部门预算经济分类科目编码 (`30101`), where the table shows codes
    /// (sh-2026); empty otherwise.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub code: String,
    /// 部门预算支出经济科目名称
    pub name: String,
    /// 政府预算支出经济科目名称
    pub gov_name: String,
    /// The amounts.
    pub costs: Costs,
}

/// A group row of 表6 (工资福利支出, 商品和服务支出, 对个人和家庭的补助 …) with
/// its items.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EconomicGroup {
    /// The 类 code (`301`), where the table shows codes; empty otherwise.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub code: String,
    /// Group name.
    pub name: String,
    /// The group row's amounts as stated.
    pub costs: Costs,
    /// Items of the group.
    pub items: Vec<EconomicItem>,
}

/// 表6: basic spending by economic classification.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EconomicTable {
    /// The 合计 row as stated.
    pub total: Costs,
    /// Groups in published order.
    pub groups: Vec<EconomicGroup>,
}

/// One income line of 表7 or 表9 (code, name, amount).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IncomeLine {
    /// Income classification code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Amount>,
}

/// Income lines with their stated total.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IncomeTable {
    /// The 合计 as stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<Amount>,
    /// The lines.
    #[serde(default)]
    pub lines: Vec<IncomeLine>,
}

/// Amounts by fiscal fund (一般公共预算, 政府性基金预算, 国有资本经营预算).
pub type FundAmounts = Sources;

/// 表10: the "三公" costs by fund.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ThreePublic {
    /// 因公出国（境）费
    #[serde(default)]
    pub abroad: FundAmounts,
    /// 公务接待费
    #[serde(default)]
    pub reception: FundAmounts,
    /// 公务用车购置费
    #[serde(default)]
    pub vehicle_purchase: FundAmounts,
    /// 公务用车运行维护费
    #[serde(default)]
    pub vehicle_operation: FundAmounts,
}

impl ThreePublic {
    /// The items a department states, in published order (合计 and
    /// 公务用车购置及运行费 are sums of them).
    pub const ITEMS: [ThreePublicItem; 4] = [
        ThreePublicItem::Abroad,
        ThreePublicItem::Reception,
        ThreePublicItem::VehiclePurchase,
        ThreePublicItem::VehicleOperation,
    ];

    /// Every item a department states with its amounts, in
    /// [`Self::ITEMS`] order.
    pub fn items(&self) -> [(ThreePublicItem, &FundAmounts); 4] {
        [
            (ThreePublicItem::Abroad, &self.abroad),
            (ThreePublicItem::Reception, &self.reception),
            (ThreePublicItem::VehiclePurchase, &self.vehicle_purchase),
            (ThreePublicItem::VehicleOperation, &self.vehicle_operation),
        ]
    }

    /// Every item a department states, mutable, in [`Self::ITEMS`] order.
    pub fn items_mut(&mut self) -> [(ThreePublicItem, &mut FundAmounts); 4] {
        [
            (ThreePublicItem::Abroad, &mut self.abroad),
            (ThreePublicItem::Reception, &mut self.reception),
            (ThreePublicItem::VehiclePurchase, &mut self.vehicle_purchase),
            (
                ThreePublicItem::VehicleOperation,
                &mut self.vehicle_operation,
            ),
        ]
    }

    /// The amounts of an item a department states; `None` for a sum
    /// (合计, 公务用车购置及运行费).
    pub fn item(&self, item: ThreePublicItem) -> Option<&FundAmounts> {
        self.items()
            .into_iter()
            .find(|(k, _)| *k == item)
            .map(|(_, s)| s)
    }

    /// The amounts of an item a department states, mutable.
    pub fn item_mut(&mut self, item: ThreePublicItem) -> Option<&mut FundAmounts> {
        self.items_mut()
            .into_iter()
            .find(|(k, _)| *k == item)
            .map(|(_, s)| s)
    }
}

/// 表11: one unit's operating costs by fund.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UnitCost {
    /// Unit name.
    pub unit: String,
    /// Amounts by fund.
    pub funds: FundAmounts,
}

/// A project of 表12 / 表13.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Project {
    /// The unit that carries the project.
    pub unit: String,
    /// Project name.
    pub name: String,
    /// Amounts by source.
    pub sources: Sources,
}
