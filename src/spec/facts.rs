//! The names of the model facts a table shows or supplies (each table kind
//! in `src/kinds/` says which), so a conversion can say which target
//! tables the source template cannot fill.
//!
//! Facts are short keys: `income` (function lines × source), `spending.<scope>`
//! (basic/project spending of `all`, `general`, `gov_fund`,
//! `state_capital`), `year_end`, `fiscal_carryover`, `economic`,
//! `income_lines.<source>`, `three_public.<fund>`, `operating_costs`,
//! `projects`, `carryover_projects`.

/// A fact key in Chinese, for messages.
pub fn fact_name(fact: &str) -> String {
    let fund = |k: &str| {
        k.parse::<crate::model::Source>()
            .map_or_else(|_| k.to_string(), |s| s.name().to_string())
    };
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
