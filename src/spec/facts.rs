//! Which model facts a table shows and which it supplies when read, so a
//! conversion can say which target tables the source template cannot fill.
//!
//! Facts are short keys: `income` (function lines × source), `spending.<scope>`
//! (basic/project spending of `all`, `general`, `gov_fund`,
//! `state_capital`), `year_end`, `fiscal_carryover`, `economic`,
//! `income_lines.<source>`, `three_public.<fund>`, `operating_costs`,
//! `projects`, `carryover_projects`.

use super::{Layout, TableSpec};

impl TableSpec {
    /// The facts this table shows: what the model must hold to write it.
    pub fn needs(&self) -> Vec<String> {
        let mut facts = self.own_facts();
        match self.layout {
            Layout::Summary | Layout::FiscalSummary => facts.insert(0, "income".to_string()),
            _ => {}
        }
        facts
    }

    /// The facts reading this table puts into the model. 表1/表4 show
    /// income and spending by 类, but the model takes those from the
    /// function-line tables; they supply only 年终结转 and the fiscal
    /// carry-over by fund.
    pub fn supplies(&self) -> Vec<String> {
        self.own_facts()
    }

    fn own_facts(&self) -> Vec<String> {
        let has = |k: &str| self.col(k).is_some();
        let scope = self.scope.as_deref();
        let mut facts = Vec::new();
        match self.layout {
            Layout::Summary | Layout::FiscalSummary => {
                if self.footer_rows.iter().any(|f| f.3 == "year_end")
                    && self.layout == Layout::Summary
                {
                    facts.push("year_end".to_string());
                }
                if self
                    .footer_rows
                    .iter()
                    .any(|f| f.1.starts_with("carryover."))
                {
                    facts.push("fiscal_carryover".to_string());
                }
            }
            Layout::Functions => {
                let income = self
                    .columns
                    .iter()
                    .any(|c| c == "current" || c == "carryover" || c.starts_with("src."));
                if income {
                    facts.push("income".to_string());
                }
                if has("basic") || has("project") || has("total") {
                    facts.push(format!("spending.{}", scope.unwrap_or("all")));
                }
            }
            Layout::Economic => facts.push("economic".to_string()),
            Layout::IncomeLines => facts.push(format!(
                "income_lines.{}",
                self.source.as_deref().unwrap_or("gov_fund")
            )),
            Layout::Capital => {
                facts.push("income_lines.state_capital".to_string());
                facts.push(format!("spending.{}", scope.unwrap_or("state_capital")));
            }
            Layout::ThreePublic => {
                if self.fixed_rows.is_empty() {
                    facts.push(format!("three_public.{}", scope.unwrap_or("general")));
                } else {
                    for c in &self.columns {
                        if let Some(f) = c.strip_prefix("src.") {
                            facts.push(format!("three_public.{f}"));
                        }
                    }
                }
            }
            Layout::OperatingCosts => facts.push("operating_costs".to_string()),
            Layout::Projects => facts.push(if self.carryover {
                "carryover_projects".to_string()
            } else {
                "projects".to_string()
            }),
        }
        facts
    }
}

/// A fact key in Chinese, for messages.
pub fn fact_name(fact: &str) -> String {
    let fund = |k: &str| crate::model::source_name(k).to_string();
    if let Some(s) = fact.strip_prefix("spending.") {
        return match s {
            "all" => "全部支出（基本支出/项目支出）".to_string(),
            f => format!("{}支出（基本支出/项目支出）", fund(f)),
        };
    }
    if let Some(s) = fact.strip_prefix("income_lines.") {
        return format!("{}收入科目明细", fund(s));
    }
    if let Some(s) = fact.strip_prefix("three_public.") {
        return format!("{}安排的“三公”经费", fund(s));
    }
    match fact {
        "income" => "按科目、资金来源的收入".to_string(),
        "year_end" => "年终结转".to_string(),
        "fiscal_carryover" => "分资金的上年财政拨款结转".to_string(),
        "economic" => "基本支出经济分类".to_string(),
        "operating_costs" => "机关运行经费".to_string(),
        "projects" => "本年项目支出".to_string(),
        "carryover_projects" => "上年结转项目支出".to_string(),
        f => f.to_string(),
    }
}
