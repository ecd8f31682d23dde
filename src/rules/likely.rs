//! The likely cause of several findings: when one typed value breaks
//! several relations, the cell whose correction resolves the most findings
//! is named first, its findings come first, and they all say what that
//! cell should hold — instead of one finding asking a correct total to
//! change (表3 C8 “应为 297.12”) while the others point at the typo (C9).
//! Findings that propose no correction but start at the cause's cell (an
//! amount typed in 元) join its group.

use super::sink::Fix;
use crate::findings::Finding;
use crate::model::CellRef;
use rust_decimal::Decimal;

/// Likely causes named at most (a file broken everywhere gets no more).
const MAX_CAUSES: usize = 200;

/// Corrections of one cell weighed against each other at most.
const MAX_FIXES_PER_CELL: usize = 64;

/// A likely cause: a cell, the value it should hold, what it holds, and
/// the findings that value resolves.
struct Cause {
    cell: CellRef,
    value: Decimal,
    found: String,
    /// Allowance of the correction that proposed the value (the most
    /// precise proposal wins a tie: a copy's exact value over a sum's).
    tolerance: Decimal,
    resolves: Vec<usize>,
}

/// Marks the likely causes among `findings` from the corrections `fixes`
/// that would resolve them, and moves their findings first (in the order
/// of their causes, each in catalog order). A cause must resolve at least
/// two findings; ties go to the cell reported first, so the choice is the
/// same on every run.
pub fn name_likely_causes(findings: &mut Vec<Finding>, fixes: &[Fix]) {
    let mut explained = vec![false; findings.len()];
    let mut first: Vec<usize> = Vec::new();
    for _ in 0..MAX_CAUSES {
        let open: Vec<&Fix> = fixes
            .iter()
            .filter(|f| !explained.get(f.finding).copied().unwrap_or(true))
            .collect();
        let Some(cause) = best_cause(&open) else {
            break;
        };
        // The findings on the cause itself first, then those it explains.
        let mut own = Vec::new();
        let mut others = Vec::new();
        for &i in &cause.resolves {
            if let Some(e) = explained.get_mut(i) {
                *e = true;
            }
            if let Some(f) = findings.get_mut(i) {
                if mark(f, &cause) {
                    own.push(i);
                } else {
                    others.push(i);
                }
            }
        }
        // Findings without a correction (XT-UNIT-AMOUNT …) on the same cell
        // join its group.
        for (i, f) in findings.iter_mut().enumerate() {
            let on_cause = f.cells.first().is_some_and(|c| *c == cause.cell);
            if on_cause && !explained.get(i).copied().unwrap_or(true) {
                if let Some(e) = explained.get_mut(i) {
                    *e = true;
                }
                f.likely_cause = true;
                own.push(i);
            }
        }
        own.sort_unstable();
        first.extend(own);
        first.extend(others);
    }
    if first.is_empty() {
        return;
    }
    let mut slots: Vec<Option<Finding>> = std::mem::take(findings).into_iter().map(Some).collect();
    let mut out: Vec<Finding> = first
        .iter()
        .filter_map(|&i| slots.get_mut(i).and_then(Option::take))
        .collect();
    out.extend(slots.into_iter().flatten());
    *findings = out;
}

/// The correction resolving the most open findings (two at least): for
/// each cell, each proposed value is tried against every correction of
/// that cell within its allowance.
fn best_cause(open: &[&Fix]) -> Option<Cause> {
    let mut cells: Vec<&CellRef> = Vec::new();
    for f in open {
        if !cells.contains(&&f.cell) {
            cells.push(&f.cell);
        }
    }
    let mut best: Option<Cause> = None;
    for cell in cells {
        let mine: Vec<&Fix> = open
            .iter()
            .copied()
            .filter(|f| f.cell == *cell)
            .take(MAX_FIXES_PER_CELL)
            .collect();
        if mine.len() < 2 {
            continue;
        }
        for candidate in &mine {
            let mut resolves: Vec<usize> = Vec::new();
            for f in &mine {
                let gap = (f.value - candidate.value).abs();
                if gap <= f.tolerance && !resolves.contains(&f.finding) {
                    resolves.push(f.finding);
                }
            }
            let better = best.as_ref().is_none_or(|b| {
                resolves.len() > b.resolves.len()
                    || (resolves.len() == b.resolves.len()
                        && b.cell == *cell
                        && candidate.tolerance < b.tolerance)
            });
            if resolves.len() >= 2 && better {
                resolves.sort_unstable();
                best = Some(Cause {
                    cell: cell.clone(),
                    value: candidate.value,
                    found: candidate.found.clone(),
                    tolerance: candidate.tolerance,
                    resolves,
                });
            }
        }
    }
    best
}

/// Rewrites one finding around its likely cause: the cell first, its
/// expected and found values, and — when the finding named another cell
/// first — a note saying which cell explains it. True when the finding
/// was already on the cause.
fn mark(f: &mut Finding, cause: &Cause) -> bool {
    let cell = &cause.cell;
    let was_first = f.cells.first() == Some(cell);
    f.cells.retain(|c| c != cell);
    f.cells.insert(0, cell.clone());
    let expected = crate::model::quoted(cause.value);
    if !was_first {
        f.message = format!(
            "{}（可能的原因：{cell} 填为 {}，应为 {expected}；改正后 {} 处问题同时消除）",
            f.message,
            cause.found,
            cause.resolves.len()
        );
    }
    f.expected = Some(expected);
    f.found = Some(cause.found.clone());
    f.likely_cause = true;
    was_first
}
