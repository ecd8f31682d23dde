//! Rules on function codes and names against the classification list the
//! tool carries.

use super::classification::Classification;
use super::context::{Context, Role};
use super::sink::Sink;

/// Every (code, name, cell of the code, cell of the name) of the function
/// tables, in template order.
fn coded_cells(ctx: &Context<'_>) -> Vec<(String, String, Option<String>, Option<String>)> {
    let roles = [
        Role::Income,
        Role::Spending,
        Role::General,
        Role::FundSpending,
        Role::Capital,
    ];
    let mut out = Vec::new();
    for tab in roles.iter().filter_map(|r| ctx.tab(*r)) {
        for (code, row) in &ctx.funcs(&tab).lines {
            out.push((
                code.clone(),
                row.text(tab.spec, "name"),
                tab.reference(row, "code"),
                tab.reference(row, "name"),
            ));
        }
    }
    out
}

/// FN-CODE-UNKNOWN: every function code is in the classification list
/// (one finding per code, naming every cell that uses it).
pub fn codes_are_known(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let list = Classification::builtin();
    let mut seen: Vec<String> = Vec::new();
    let all = coded_cells(ctx);
    for (code, name, ..) in &all {
        if list.name(code).is_some() || seen.contains(code) {
            continue;
        }
        seen.push(code.clone());
        let cells = all
            .iter()
            .filter(|(c, ..)| c == code)
            .filter_map(|(_, _, at, _)| at.clone())
            .collect();
        sink.report(
            format!(
                "科目编码 {code}（{name}）不在本工具所带的2025年支出功能分类科目表中，请核对编码是否正确"
            ),
            cells,
            Some(("支出功能分类科目编码".into(), code.clone())),
        );
    }
}

/// FN-CODE-NAME: every function code carries its name from the list (one
/// finding per code and name, naming every cell with that name).
pub fn names_match_codes(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let list = Classification::builtin();
    let all = coded_cells(ctx);
    let mut seen: Vec<(String, String)> = Vec::new();
    for (code, name, ..) in &all {
        let Some(want) = list.name(code) else {
            continue;
        };
        if list.name_matches(code, name) != Some(false) {
            continue;
        }
        let key = (code.clone(), crate::model::label_key(name));
        if seen.contains(&key) {
            continue;
        }
        let cells = all
            .iter()
            .filter(|(c, n, ..)| c == code && crate::model::label_key(n) == key.1)
            .filter_map(|(_, _, _, at)| at.clone())
            .collect();
        seen.push(key);
        sink.report(
            format!("科目编码 {code} 的名称应为“{want}”，填的是“{name}”"),
            cells,
            Some((want.to_string(), name.clone())),
        );
    }
}
