//! Rules on function codes and names against the classification list the
//! tool carries.

use super::classification::Classification;
use super::context::{Context, Role, Tab};
use super::sink::Sink;
use crate::model::CellRef;
use crate::read::FiledRow;
use crate::spec::ColumnKey;
use std::collections::HashMap;
use std::hash::Hash;

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
        for (code, row) in ctx.funcs(&tab).lines() {
            out.push(Coded { code, row, tab });
        }
    }
    out
}

/// The lines with a key, grouped by it, each group in filed order and the
/// groups in the order of their first lines (one pass: a large department
/// files thousands of lines).
fn grouped<'l, 'c, K: Eq + Hash>(
    lines: &'l [Coded<'c>],
    key: impl Fn(&Coded<'c>) -> Option<K>,
) -> Vec<Vec<&'l Coded<'c>>> {
    let mut index: HashMap<K, usize> = HashMap::new();
    let mut groups: Vec<Vec<&'l Coded<'c>>> = Vec::new();
    for line in lines {
        let Some(k) = key(line) else {
            continue;
        };
        match index.get(&k).and_then(|i| groups.get_mut(*i)) {
            Some(group) => group.push(line),
            None => {
                index.insert(k, groups.len());
                groups.push(vec![line]);
            }
        }
    }
    groups
}

/// FN-CODE-UNKNOWN: every function code is in the classification list
/// (one finding per code, naming every cell that uses it).
pub fn codes_are_known(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let list = Classification::builtin();
    let all = coded_lines(ctx);
    let unknown = grouped(&all, |l| list.name(l.code).is_none().then_some(l.code));
    for lines in &unknown {
        let Some(line) = lines.first() else {
            continue;
        };
        let code = line.code;
        let cells = lines
            .iter()
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
    let misnamed = grouped(&all, |l| {
        list.name(l.code)?;
        let key = l.name_key();
        (list.name_key(l.code) != Some(key.as_str())).then_some((l.code, key))
    });
    for lines in &misnamed {
        let Some(line) = lines.first() else {
            continue;
        };
        let code = line.code;
        let Some(want) = list.name(code) else {
            continue;
        };
        let cells = lines
            .iter()
            .filter_map(|l| l.cell(ColumnKey::Name))
            .collect();
        let name = line.name();
        sink.report(
            format!("科目编码 {code} 的名称应为“{want}”，填的是“{name}”"),
            cells,
            Some((want.to_string(), name)),
        );
    }
}
