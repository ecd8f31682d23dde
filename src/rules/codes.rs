//! Rules on function codes and names against the classification list the
//! tool carries.

use super::classification::Classification;
use super::context::{Context, Role, Tab};
use super::sink::Sink;
use crate::model::CellRef;
use crate::read::FiledRow;
use crate::spec::ColumnKey;

/// A function line as filed: its code, its row and its table. Its name and
/// cells are read only when a finding needs them.
struct Coded<'c> {
    code: &'c str,
    row: &'c FiledRow,
    tab: Tab<'c>,
}

impl Coded<'_> {
    /// The name as filed, trimmed.
    fn name(&self) -> String {
        self.row.text(self.tab.spec, ColumnKey::Name)
    }

    /// The name's label key (no whitespace, NFKC), for comparisons.
    fn name_key(&self) -> String {
        self.row.key(self.tab.spec, ColumnKey::Name)
    }

    /// The cell of a column of the line.
    fn cell(&self, key: ColumnKey) -> Option<CellRef> {
        self.tab.reference(self.row, key)
    }
}

/// Every function line of the function tables, in template order.
fn coded_lines<'c>(ctx: &'c Context<'_>) -> Vec<Coded<'c>> {
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
            out.push(Coded { code, row, tab });
        }
    }
    out
}

/// FN-CODE-UNKNOWN: every function code is in the classification list
/// (one finding per code, naming every cell that uses it).
pub fn codes_are_known(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let list = Classification::builtin();
    let mut seen: Vec<&str> = Vec::new();
    let all = coded_lines(ctx);
    for line in &all {
        let code = line.code;
        if list.name(code).is_some() || seen.contains(&code) {
            continue;
        }
        seen.push(code);
        let cells = all
            .iter()
            .filter(|l| l.code == code)
            .filter_map(|l| l.cell(ColumnKey::Code))
            .collect();
        sink.report(
            format!(
                "科目编码 {code}（{}）不在本工具所带的2025年支出功能分类科目表中，请核对编码是否正确",
                line.name()
            ),
            cells,
            Some(("支出功能分类科目编码".into(), code.to_string())),
        );
    }
}

/// FN-CODE-NAME: every function code carries its name from the list (one
/// finding per code and name, naming every cell with that name).
pub fn names_match_codes(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let list = Classification::builtin();
    let all = coded_lines(ctx);
    let mut seen: Vec<(&str, String)> = Vec::new();
    for line in &all {
        let code = line.code;
        let Some(want) = list.name(code) else {
            continue;
        };
        let key = line.name_key();
        if list.name_key(code) == Some(key.as_str()) || seen.contains(&(code, key.clone())) {
            continue;
        }
        let cells = all
            .iter()
            .filter(|l| l.code == code && l.name_key() == key)
            .filter_map(|l| l.cell(ColumnKey::Name))
            .collect();
        let name = line.name();
        seen.push((code, key));
        sink.report(
            format!("科目编码 {code} 的名称应为“{want}”，填的是“{name}”"),
            cells,
            Some((want.to_string(), name)),
        );
    }
}
