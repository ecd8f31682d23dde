//! Rules over the function-classification tables (表2/3/5/8, 表9's
//! spending side): roll-ups by code prefix, 合计 = 基本 + 项目, and the
//! line-by-line agreement of 表2, 表3 and the tables of one fund.

use super::context::{line_what, Context, FuncRows, Role, RowWhat, Tab, Val};
use super::sink::Sink;
use crate::read::FiledRow;
use crate::spec::ColumnKey;
use std::collections::{BTreeMap, HashSet};

/// The function tables, in template order.
const FUNCTION_ROLES: [Role; 5] = [
    Role::Income,
    Role::Spending,
    Role::General,
    Role::FundSpending,
    Role::Capital,
];

/// Amount columns of function lines.
const LINE_KEYS: [ColumnKey; 10] = [
    ColumnKey::Current,
    ColumnKey::SrcGeneral,
    ColumnKey::SrcGovFund,
    ColumnKey::SrcStateCapital,
    ColumnKey::SrcSpecial,
    ColumnKey::SrcUnit,
    ColumnKey::Carryover,
    ColumnKey::Total,
    ColumnKey::Basic,
    ColumnKey::Project,
];

fn function_tabs<'c>(ctx: &'c Context<'_>) -> Vec<Tab<'c>> {
    FUNCTION_ROLES.iter().filter_map(|r| ctx.tab(*r)).collect()
}

/// The value of a code's column (missing line → blank, no cell).
fn line_val<'v>(tab: &Tab<'v>, rows: &'v FuncRows<'_>, code: &'v str, key: ColumnKey) -> Val<'v> {
    let row = rows.line(code);
    tab.val_opt(row, key, RowWhat::line(tab, code, row))
}

/// IT-FUNC-TOTAL: the 合计 row equals the sum of the 类 lines.
pub fn total_is_sum_of_classes(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    for tab in function_tabs(ctx) {
        let rows = ctx.funcs(&tab);
        let Some(total) = rows.total else { continue };
        let classes: Vec<_> = rows.lines().iter().filter(|(c, _)| c.len() == 3).collect();
        if classes.is_empty() {
            continue;
        }
        for key in tab.present(&LINE_KEYS) {
            let parts: Vec<Val> = classes
                .iter()
                .map(|(c, r)| tab.val(r, key, RowWhat::line(&tab, c, Some(r))))
                .collect();
            sink.sum(
                &tab.val(total, key, "合计"),
                &parts,
                format_args!("{} 各类", tab.name()),
            );
        }
    }
}

/// IT-FUNC-ROLLUP: each 类 equals the sum of its 款, each 款 the sum of
/// its 项 (by code prefix).
pub fn classes_roll_up(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    for tab in function_tabs(ctx) {
        let rows = ctx.funcs(&tab);
        let keys = tab.present(&LINE_KEYS);
        for (code, row) in rows.lines() {
            let children = |len: usize| rows.children(code, len);
            let (mut kids, mut level) = (children(code.len() + 2), "款");
            if code.len() == 5 {
                level = "项";
            } else if kids.is_empty() {
                kids = children(code.len() + 4);
                level = "项";
            }
            if kids.is_empty() || code.len() == 7 {
                continue;
            }
            for key in &keys {
                let parts: Vec<Val> = kids
                    .iter()
                    .map(|(c, r)| tab.val(r, *key, RowWhat::line(&tab, c, Some(r))))
                    .collect();
                sink.sum(
                    &tab.val(row, *key, RowWhat::line(&tab, code, Some(row))),
                    &parts,
                    format_args!("其下各{level}"),
                );
            }
        }
    }
}

/// Codes of two function tables, the first table's order first.
fn union_codes(a: &FuncRows<'_>, b: &FuncRows<'_>) -> Vec<String> {
    let mut codes: Vec<String> = a.lines().iter().map(|(c, _)| c.clone()).collect();
    // A code of `b` not in `a`, at its first listing in `b`.
    let new_in_b = |(c, row): &&(String, &FiledRow)| {
        a.line(c).is_none() && b.line(c).is_some_and(|first| std::ptr::eq(first, *row))
    };
    codes.extend(b.lines().iter().filter(new_in_b).map(|(c, _)| c.clone()));
    codes
}

/// True when a line shows any non-zero amount.
fn line_has_data(tab: &Tab<'_>, rows: &FuncRows<'_>, code: &str) -> bool {
    rows.line(code).is_some_and(|r| {
        tab.present(&LINE_KEYS)
            .iter()
            .any(|k| tab.num(r, *k).is_nonzero())
    })
}

/// XT-LINES-T2-T3: 表2 and 表3 list the same lines, and on each line
/// 表2 本年收入合计 + 上年结转 = 表3 合计.
pub fn income_lines_match_spending(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let (Some(t2), Some(t3)) = (ctx.tab(Role::Income), ctx.tab(Role::Spending)) else {
        return;
    };
    let (r2, r3) = (ctx.funcs(&t2), ctx.funcs(&t3));
    if let (Some(a), Some(b)) = (r2.total, r3.total) {
        let parts = [
            t2.val(a, ColumnKey::Current, "合计"),
            t2.val(a, ColumnKey::Carryover, "合计"),
        ];
        sink.sum(
            &t3.val(b, ColumnKey::Total, "合计"),
            &parts,
            "表2 本年收入合计与上年结转",
        );
    }
    for code in union_codes(r3, r2) {
        match (r2.line(&code), r3.line(&code)) {
            (Some(a), Some(b)) => {
                let what = RowWhat::line(&t3, &code, Some(b));
                let parts = [
                    t2.val(a, ColumnKey::Current, what.clone()),
                    t2.val(a, ColumnKey::Carryover, what.clone()),
                ];
                sink.sum(
                    &t3.val(b, ColumnKey::Total, what),
                    &parts,
                    "表2 本年收入合计与上年结转",
                );
            }
            (Some(a), None) if line_has_data(&t2, r2, &code) => {
                missing_line(sink, &t2, &t3, &code, a);
            }
            (None, Some(b)) if line_has_data(&t3, r3, &code) => {
                missing_line(sink, &t3, &t2, &code, b);
            }
            _ => {}
        }
    }
}

fn missing_line(sink: &mut Sink<'_>, has: &Tab<'_>, lacks: &Tab<'_>, code: &str, row: &FiledRow) {
    let what = line_what(has.spec, code, Some(row));
    sink.report(
        format!(
            "{} 列有科目 {}，{} 却没有这一行",
            has.name(),
            what,
            lacks.name()
        ),
        has.reference(row, ColumnKey::Code).into_iter().collect(),
        Some((
            format!("{} 也列出 {code}", lacks.name()),
            "未列出".to_string(),
        )),
    );
}

/// The table and 表2 column of each fund's spending table.
const FUND_TABLES: [(Role, ColumnKey); 3] = [
    (Role::General, ColumnKey::SrcGeneral),
    (Role::FundSpending, ColumnKey::SrcGovFund),
    (Role::Capital, ColumnKey::SrcStateCapital),
];

/// XT-FUND-LINES-T2: each line of 表5/表8/表9 (spending, without
/// carry-over) totals 表2's income of that fund on the same line; where
/// 表2 shows 财政拨款收入 in one column (sh-2026), that column is the sum
/// of the three tables on the line.
pub fn fund_tables_match_income(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let Some(t2) = ctx.tab(Role::Income) else {
        return;
    };
    let r2 = ctx.funcs(&t2);
    if t2.has(ColumnKey::SrcFiscal) {
        let funds: Vec<_> = FUND_TABLES
            .iter()
            .filter_map(|(role, _)| ctx.tab(*role))
            .filter(|t| t.has(ColumnKey::Total))
            .collect();
        let rows: Vec<_> = funds.iter().map(|t| ctx.funcs(t)).collect();
        let mut codes: Vec<String> = r2.lines().iter().map(|(c, _)| c.clone()).collect();
        for r in &rows {
            codes.extend(r.lines().iter().map(|(c, _)| c.clone()));
        }
        let mut seen = HashSet::new();
        codes.retain(|c| seen.insert(c.clone()));
        let total_parts: Vec<_> = funds
            .iter()
            .zip(&rows)
            .map(|(t, r)| t.val_opt(r.total, ColumnKey::Total, "合计"))
            .collect();
        sink.sum(
            &t2.val_opt(r2.total, ColumnKey::SrcFiscal, "合计"),
            &total_parts,
            "三张财政拨款支出表合计",
        );
        for code in codes {
            let parts: Vec<_> = funds
                .iter()
                .zip(&rows)
                .map(|(t, r)| line_val(t, r, &code, ColumnKey::Total))
                .collect();
            sink.sum(
                &line_val(&t2, r2, &code, ColumnKey::SrcFiscal),
                &parts,
                "三张财政拨款支出表同科目",
            );
        }
    }
    for (role, src) in FUND_TABLES {
        let Some(tf) = ctx.tab(role) else { continue };
        if !t2.has(src) || !tf.has(ColumnKey::Total) {
            continue;
        }
        let rf = ctx.funcs(&tf);
        if let Some(a) = r2.total {
            sink.copy(
                &t2.val(a, src, "合计"),
                &tf.val_opt(rf.total, ColumnKey::Total, "合计"),
            );
        }
        let with_fund: Vec<String> = r2
            .lines()
            .iter()
            .filter(|(_, r)| t2.num(r, src).is_nonzero())
            .map(|(c, _)| c.clone())
            .collect();
        let mut codes: Vec<String> = rf.lines().iter().map(|(c, _)| c.clone()).collect();
        codes.extend(with_fund.into_iter().filter(|c| rf.line(c).is_none()));
        for code in codes {
            sink.copy(
                &line_val(&t2, r2, &code, src),
                &line_val(&tf, rf, &code, ColumnKey::Total),
            );
        }
    }
}

/// XT-SPLIT-T3: on each line, 基本支出 and 项目支出 of 表5 + 表8 + 表9 do
/// not exceed 表3's, and equal them when 表2 shows the line financed only
/// by this year's fiscal funds.
pub fn fund_splits_within_spending(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let Some(t3) = ctx.tab(Role::Spending) else {
        return;
    };
    let r3 = ctx.funcs(&t3);
    let t2 = ctx.tab(Role::Income);
    let r2 = t2.as_ref().map(|t| ctx.funcs(t));
    let funds: Vec<(Tab<'_>, &FuncRows<'_>)> = FUND_TABLES
        .iter()
        .filter_map(|(role, _)| ctx.tab(*role))
        .filter(|t| t.has(ColumnKey::Basic) && t.has(ColumnKey::Project))
        .map(|t| {
            let r = ctx.funcs(&t);
            (t, r)
        })
        .collect();
    if funds.is_empty() {
        return;
    }
    let fiscal_only = |code: Option<&str>| -> bool {
        let (Some(t2), Some(r2)) = (&t2, &r2) else {
            return false;
        };
        let row = match code {
            Some(c) => r2.line(c),
            None => r2.total,
        };
        row.is_some_and(|r| {
            [
                ColumnKey::SrcSpecial,
                ColumnKey::SrcUnit,
                ColumnKey::Carryover,
            ]
            .iter()
            .all(|k| !t2.num(r, *k).is_nonzero())
        })
    };
    let mut lines: Vec<(Option<String>, &FiledRow)> =
        r3.total.map(|r| (None, r)).into_iter().collect();
    lines.extend(r3.lines().iter().map(|(c, r)| (Some(c.clone()), *r)));
    for (code, row) in lines {
        let what = match &code {
            Some(c) => RowWhat::line(&t3, c, Some(row)),
            None => RowWhat::from("合计"),
        };
        let equal = fiscal_only(code.as_deref());
        for key in [ColumnKey::Basic, ColumnKey::Project] {
            let parts: Vec<Val> = funds
                .iter()
                .filter_map(|(t, r)| {
                    let fr = match &code {
                        Some(c) => r.line(c),
                        None => r.total,
                    }?;
                    Some(t.val(fr, key, what.clone()))
                })
                .collect();
            let limit = t3.val(row, key, what.clone());
            if equal {
                sink.sum(&limit, &parts, "表5、表8、表9 同一科目");
            } else {
                sink.at_most(&parts, &limit, "表5、表8、表9 同一科目之和");
            }
        }
    }
}

/// XT-FUNC-NAME: a code carries the same name in every function table.
/// A code of the classification list is left to FN-CODE-NAME: the list
/// decides which side is wrong, so the two never disagree.
pub fn names_agree_across_tables(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let list = super::classification::Classification::builtin();
    // The first listing of each code: (code, name key, row, table).
    let mut first: BTreeMap<&str, (String, &FiledRow, Tab<'_>)> = BTreeMap::new();
    for tab in function_tabs(ctx) {
        for (code, row) in ctx.funcs(&tab).lines() {
            if list.name(code).is_some() {
                continue;
            }
            let key = row.key(tab.spec, ColumnKey::Name);
            match first.get(code.as_str()) {
                None => {
                    first.insert(code, (key, row, tab));
                }
                Some((key0, row0, tab0)) => {
                    if *key0 != key {
                        let name0 = row0.text(tab0.spec, ColumnKey::Name);
                        let name = row.text(tab.spec, ColumnKey::Name);
                        let cells = [
                            tab0.reference(row0, ColumnKey::Name),
                            tab.reference(row, ColumnKey::Name),
                        ];
                        sink.report(
                            format!(
                                "科目 {code} 在 {} 名为“{name}”，在 {} 名为“{name0}”，同一科目名称应一致",
                                tab.name(),
                                tab0.name()
                            ),
                            cells.into_iter().flatten().collect(),
                            Some((name0, name)),
                        );
                    }
                }
            }
        }
    }
}
