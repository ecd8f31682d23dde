//! A table's role: which model facts it shows, declared by `role = "…"`
//! in each `[[table]]` of a template file (never inferred from its number
//! or shape). The rules find tables by role, so a template may number and
//! order its tables as it likes (mof-9's 三公 table is its 表7).

use super::words::Scope;
use super::{Layout, TableSpec};
use crate::model::words;

words! {
    /// Which published table a spec describes. The comments name the
    /// sx-2025 table that plays the role.
    Role, "role" {
        /// 表1 预算收支总表.
        Summary => "summary",
        /// 表2 预算收入总表.
        Income => "income",
        /// 表3 预算支出总表.
        Spending => "spending",
        /// 表4 财政拨款收支总表.
        Fiscal => "fiscal",
        /// 表5 一般公共预算支出预算表.
        General => "general",
        /// 表6 基本支出分经济科目表.
        Economic => "economic",
        /// 表7 政府性基金预算收入表.
        FundIncome => "fund_income",
        /// 表8 政府性基金预算支出表.
        FundSpending => "fund_spending",
        /// 表9 国有资本经营预算收支预算表 (or mof-9's 支出表).
        Capital => "capital",
        /// 表10 “三公”经费支出预算表.
        ThreePublic => "three_public",
        /// 表11 机关运行经费预算表.
        Operating => "operating",
        /// 表12 项目支出预算表（本年预算）.
        Projects => "projects",
        /// 表13 项目支出预算表（上年结转）.
        CarryoverProjects => "carryover_projects",
    }
}

impl Role {
    /// The layouts a table of this role may have.
    pub fn layouts(self) -> &'static [Layout] {
        match self {
            Role::Summary => &[Layout::Summary],
            Role::Fiscal => &[Layout::FiscalSummary],
            Role::Income | Role::Spending | Role::General | Role::FundSpending => {
                &[Layout::Functions]
            }
            Role::Capital => &[Layout::Capital, Layout::Functions],
            Role::Economic => &[Layout::Economic],
            Role::FundIncome => &[Layout::IncomeLines],
            Role::ThreePublic => &[Layout::ThreePublic],
            Role::Operating => &[Layout::OperatingCosts],
            Role::Projects | Role::CarryoverProjects => &[Layout::Projects],
        }
    }

    /// The `scope` a function-line table of this role must name (`None`:
    /// none, as 表2 shows income).
    fn scope(self) -> Option<Scope> {
        match self {
            Role::Spending => Some(Scope::All),
            Role::General => Some(Scope::General),
            Role::FundSpending => Some(Scope::GovFund),
            Role::Capital => Some(Scope::StateCapital),
            _ => None,
        }
    }

    /// Why `table` cannot play this role, in Chinese (`None` when it fits):
    /// its layout, or for a function-line table its scope, or the
    /// `carryover` flag of a project table, disagree with the role.
    pub fn misfit(self, table: &TableSpec) -> Option<String> {
        if !self.layouts().contains(&table.layout) {
            let layouts: Vec<&str> = self.layouts().iter().map(|l| l.as_str()).collect();
            return Some(format!(
                "role“{self}”的表应为 {} 版式，此表为 {}",
                layouts.join("、"),
                table.layout.as_str()
            ));
        }
        let scoped = matches!(table.layout, Layout::Functions | Layout::Capital);
        if scoped && table.scope != self.scope() {
            let want = self.scope().map_or("（不写 scope）", |s| s.as_str());
            let got = table.scope.map_or("（未写）", |s| s.as_str());
            return Some(format!("role“{self}”的表 scope 应为 {want}，此表为 {got}"));
        }
        if table.layout == Layout::Projects && table.carryover != (self == Role::CarryoverProjects)
        {
            return Some(format!(
                "role“{self}”与 carryover = {} 不符（上年结转项目表为 carryover_projects）",
                table.carryover
            ));
        }
        None
    }
}
