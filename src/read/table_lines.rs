//! The lines around a table's body that are not its cells: the
//! department and unit line above it (部门名称：…　单位：元), a caption row
//! (预算公开表3) and the note under it (注：…).

use crate::model::label_key;
use rust_decimal::Decimal;

/// Labels that introduce the department's name.
const DEPARTMENT_LABELS: &[&str] = &[
    "部门名称",
    "编制部门",
    "单位名称",
    "编制单位",
    "填报单位",
    "预算单位",
    "编报单位",
    "部门",
];

/// The department named in a cell (`部门名称：X`, `编制单位:X`, or the
/// label alone with the name in a following cell), cut before a `单位：`
/// that shares the cell.
pub(super) fn department_in(text: &str, following: &[&str]) -> Option<String> {
    let k = label_key(text);
    let rest = DEPARTMENT_LABELS.iter().find_map(|label| {
        let rest = k.strip_prefix(label)?;
        match rest.strip_prefix(':') {
            Some(r) => Some(r),
            None if *label != "部门" && !rest.starts_with(['(', '（']) => Some(rest),
            None => None,
        }
    })?;
    let name = match rest.find("单位:").or_else(|| rest.find("金额单位")) {
        Some(at) => rest.get(..at).unwrap_or_default(),
        None => rest,
    };
    let name = name.trim_end_matches([',', ';', '，', '；', ' ']);
    if !name.is_empty() {
        return Some(name.to_string());
    }
    following
        .iter()
        .map(|t| label_key(t))
        .find(|t| !t.is_empty() && unit_scale(t).is_none())
}

/// The factor to 万元 that a `单位：元` / `单位：万元` text states.
pub(super) fn unit_scale(text: &str) -> Option<Decimal> {
    let k = label_key(text);
    let mut from = 0;
    while let Some(at) = k.get(from..).and_then(|s| s.find("单位")) {
        let start = from + at + "单位".len();
        from = start;
        let value = k.get(start..).unwrap_or_default();
        let value = value.strip_prefix(':').unwrap_or(value);
        let value = value.strip_prefix("人民币").unwrap_or(value);
        let ends = |rest: &str| {
            rest.is_empty() || rest.starts_with([')', ',', ';', '，', '；', '、', '（', '('])
        };
        if let Some(rest) = value.strip_prefix("万元") {
            if ends(rest) {
                return Some(Decimal::ONE);
            }
        } else if let Some(rest) = value.strip_prefix('元') {
            if ends(rest) {
                return Some(Decimal::new(1, 4));
            }
        }
    }
    None
}

/// True when a table's note says its 元 amounts were converted from 万元
/// with two decimals (budgetkit writes 注：…精确到百元 under such a table):
/// they then stand for the 万元 they came from, ± 50 元.
pub(super) fn states_wanyuan_precision(note: &str) -> bool {
    note.contains("精确到百元")
}

/// True for a row that only carries a table caption (`预算公开表3`),
/// as when tables are stacked on one sheet.
pub(super) fn is_caption(text: &str) -> bool {
    let k = label_key(text);
    let Some(pos) = k.rfind('表') else {
        return false;
    };
    let (head, tail) = k.split_at(pos);
    let number = tail.trim_start_matches('表');
    k.chars().count() <= 12
        && !number.is_empty()
        && number.chars().all(|c| c.is_ascii_digit() || c == '-')
        && ["", "预算公开", "部门公开", "部门预算公开", "公开", "附"].contains(&head)
}

/// True for a 注 line under a table (`注：…`, `注1.`), not a name that
/// begins with 注 (`注册…`).
pub(super) fn is_note(key: &str) -> bool {
    key == "注"
        || key.starts_with("注:")
        || key.starts_with("注释")
        || key.starts_with("说明:")
        || key
            .strip_prefix('注')
            .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit() || c == '、' || c == '.'))
}
