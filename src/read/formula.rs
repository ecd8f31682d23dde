//! Formulas of an .xlsx evaluated where the file carries no result.
//!
//! Excel and WPS save each formula with its result, and the reader uses
//! that result. A program that does not calculate (openpyxl, a bureau's
//! script) saves formulas without results; calamine then sees an empty
//! cell, which would be read as blank — a 合计 of 0. Those formulas are
//! evaluated here, in [`Decimal`], over the cells as read: `+ - * / & %`,
//! parentheses, references to this and other sheets, ranges, and the
//! functions [`FUNCTIONS`]. A formula that cannot be evaluated (an
//! unsupported function, a cycle, text where a number is needed, …) is a
//! `READ-FORMULA` error on its cell, quoting the formula; it is never read
//! as 0. A blank cell counts as 0 in arithmetic, as in Excel, but a sum of
//! nothing but blanks stays blank (as the fill-in workbook's cached results
//! do).
//!
//! Formulas that do carry a result are evaluated too where they can be;
//! a result that disagrees with the evaluation is a `READ-FORMULA` warning
//! (the file was changed by a program that does not recalculate), and the
//! saved result is read.
//!
//! # Bounds
//!
//! A crafted file cannot hang or overflow the stack: a formula is parsed
//! within [`parse::MAX_FORMULA_CHARS`] characters and
//! [`parse::MAX_NESTING`] levels; evaluation recurses at most
//! [`MAX_DEPTH`] levels (expression nesting and references to other
//! formulas together) and visits at most [`MAX_VISITS`] cells in the whole
//! workbook; each formula is evaluated once.

mod criterion;
mod parse;
mod sum_if;

use super::sheet::{a1, RawCell, Sheet};
use crate::findings::Finding;
use parse::{Area, Expr, Op};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// The functions evaluated.
pub const FUNCTIONS: &[&str] = &["SUM", "SUMIF", "SUMIFS", "ROUND"];
/// Deepest recursion of one evaluation (nested expressions and references
/// to other formulas together).
pub const MAX_DEPTH: usize = 400;
/// Most cells all formulas of a workbook may visit together.
pub const MAX_VISITS: u64 = 20_000_000;
/// Rule id of formula findings.
const RULE: &str = "READ-FORMULA";

/// The formulas of one workbook as read, collected sheet by sheet.
#[derive(Debug, Default)]
pub struct Formulas {
    /// Per sheet index: formulas without a result, by position.
    pending: Vec<BTreeMap<(u32, u32), String>>,
    /// Per sheet index: formulas with a result.
    saved: Vec<Vec<(u32, u32, String)>>,
}

impl Formulas {
    /// Records the formula of cell (`row`, `col`) of sheet `sheet`;
    /// `has_result` when the file saved its result.
    pub fn add(&mut self, sheet: usize, row: u32, col: u32, text: String, has_result: bool) {
        let size = sheet + 1;
        if self.pending.len() < size {
            self.pending.resize_with(size, BTreeMap::new);
            self.saved.resize_with(size, Vec::new);
        }
        if has_result {
            if let Some(list) = self.saved.get_mut(sheet) {
                list.push((row, col, text));
            }
        } else if let Some(map) = self.pending.get_mut(sheet) {
            map.insert((row, col), text);
        }
    }

    /// Takes the formulas `other` recorded (of sheets this one has none
    /// of: each sheet is read by one lane).
    pub fn absorb(&mut self, other: Formulas) {
        let size = self.pending.len().max(other.pending.len());
        self.pending.resize_with(size, BTreeMap::new);
        self.saved.resize_with(size, Vec::new);
        for (i, (pending, saved)) in other.pending.into_iter().zip(other.saved).enumerate() {
            if let Some(mine) = self.pending.get_mut(i) {
                mine.extend(pending);
            }
            if let Some(mine) = self.saved.get_mut(i) {
                mine.extend(saved);
            }
        }
    }

    /// Evaluates the formulas without results into `sheets`, and checks
    /// the saved results; findings go to each sheet's problems.
    pub fn evaluate(self, sheets: &mut [Sheet]) {
        let (results, problems) = {
            let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
            let mut e = Evaluator {
                sheets,
                names: &names,
                slots: self
                    .pending
                    .into_iter()
                    .map(|m| {
                        m.into_iter()
                            .map(|(k, text)| {
                                let state = State::Todo;
                                (k, Slot { text, state })
                            })
                            .collect()
                    })
                    .collect(),
                visits: 0,
            };
            let mut problems: Vec<(usize, Finding)> = Vec::new();
            e.run_pending(&mut problems);
            e.check_saved(&self.saved, &mut problems);
            (e.into_results(), problems)
        };
        for (sheet, row, col, v) in results {
            if let (Some(s), Some(cell)) = (sheets.get_mut(sheet), v.into_cell()) {
                s.set(row, col, cell);
            }
        }
        for (sheet, f) in problems {
            if let Some(s) = sheets.get_mut(sheet) {
                s.add_problem(f);
            }
        }
    }
}

/// A value in evaluation.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Blank,
    Num(Decimal),
    Text(String),
}

impl Value {
    fn into_cell(self) -> Option<RawCell> {
        match self {
            Value::Blank => None,
            Value::Num(d) => Some(RawCell {
                text: d.normalize().to_string(),
                numeric: true,
            }),
            Value::Text(text) => Some(RawCell {
                text,
                numeric: false,
            }),
        }
    }

    fn display(&self) -> String {
        match self {
            Value::Blank => String::new(),
            Value::Num(d) => d.normalize().to_string(),
            Value::Text(t) => t.clone(),
        }
    }
}

/// Why a formula has no value, in Chinese.
#[derive(Debug, Clone, PartialEq)]
enum Fault {
    /// Said as is.
    Plain(String),
    /// Part of a cycle through the cell named.
    Cycle(String),
    /// A formula it refers to failed.
    Upstream(String),
    /// A bound was reached (passes through unchanged).
    Bound(String),
}

impl Fault {
    fn text(&self) -> String {
        match self {
            Fault::Plain(s) | Fault::Bound(s) => s.clone(),
            Fault::Cycle(at) => format!("循环引用（经 {at} 又引用回来）"),
            Fault::Upstream(at) => format!("它引用的 {at} 的公式也无法计算"),
        }
    }
}

/// A formula without a result: its text and how far its evaluation got.
struct Slot {
    text: String,
    state: State,
}

enum State {
    Todo,
    Busy,
    Done(Result<Value, Fault>),
}

struct Evaluator<'a> {
    sheets: &'a [Sheet],
    names: &'a [&'a str],
    slots: Vec<BTreeMap<(u32, u32), Slot>>,
    visits: u64,
}

type Eval = Result<Value, Fault>;

impl Evaluator<'_> {
    fn reference(&self, sheet: usize, row: u32, col: u32) -> String {
        format!(
            "{}!{}",
            self.names.get(sheet).copied().unwrap_or_default(),
            a1(row, col)
        )
    }

    /// The cell, for a finding.
    fn at(&self, sheet: usize, row: u32, col: u32) -> crate::model::CellRef {
        let name = self.names.get(sheet).copied().unwrap_or_default();
        crate::model::CellRef::new(name.into(), row, col)
    }

    fn run_pending(&mut self, problems: &mut Vec<(usize, Finding)>) {
        let keys: Vec<(usize, u32, u32)> = self
            .slots
            .iter()
            .enumerate()
            .flat_map(|(s, m)| m.keys().map(move |(r, c)| (s, *r, *c)))
            .collect();
        for (sheet, row, col) in keys {
            if let Err(fault) = self.cell(sheet, row, col, 0) {
                let text = self
                    .slots
                    .get(sheet)
                    .and_then(|m| m.get(&(row, col)))
                    .map_or("", |s| s.text.as_str());
                let message = format!(
                    "公式 ={text} 没有保存计算结果（文件由不计算公式的程序保存），且无法计算：{}。请在 Excel 或 WPS 中打开、保存后再提交，或改填数值",
                    fault.text()
                );
                let cell = self.at(sheet, row, col);
                problems.push((sheet, Finding::error(RULE, message, vec![cell])));
            }
        }
    }

    fn check_saved(
        &mut self,
        saved: &[Vec<(u32, u32, String)>],
        problems: &mut Vec<(usize, Finding)>,
    ) {
        for (sheet, list) in saved.iter().enumerate() {
            for (row, col, text) in list {
                if self.visits >= MAX_VISITS {
                    return;
                }
                let Ok(expr) = parse::parse(text, sheet, self.names) else {
                    continue;
                };
                let Ok(got) = self.eval(&expr, 1) else {
                    continue;
                };
                let Some(cell) = self.sheets.get(sheet).and_then(|s| s.cell(*row, *col)) else {
                    continue;
                };
                if disagrees(&got, cell) {
                    let message = format!(
                        "公式 ={text} 保存的结果 {} 与按公式重新计算的结果 {} 不一致（文件可能被不重新计算公式的程序改过），按保存的结果读取；请在 Excel 或 WPS 中打开、保存后再提交",
                        cell.text,
                        got.display()
                    );
                    let at = self.at(sheet, *row, *col);
                    let finding = Finding::warning(RULE, message, vec![at])
                        .with_values(got.display(), cell.text.clone());
                    problems.push((sheet, finding));
                }
            }
        }
    }

    fn into_results(self) -> Vec<(usize, u32, u32, Value)> {
        let mut out = Vec::new();
        for (s, map) in self.slots.into_iter().enumerate() {
            for ((r, c), slot) in map {
                if let State::Done(Ok(v)) = slot.state {
                    out.push((s, r, c, v));
                }
            }
        }
        out
    }

    fn visit(&mut self, n: u64) -> Result<(), Fault> {
        self.visits = self.visits.saturating_add(n);
        if self.visits > MAX_VISITS {
            return Err(Fault::Bound(format!(
                "整个工作簿的公式计算量超过上限（{MAX_VISITS} 个单元格）"
            )));
        }
        Ok(())
    }

    /// The value of a cell: a pending formula evaluated (once), else the
    /// cell as read.
    fn cell(&mut self, sheet: usize, row: u32, col: u32, depth: usize) -> Eval {
        self.visit(1)?;
        let names = self.names;
        let Some(slot) = self
            .slots
            .get_mut(sheet)
            .and_then(|m| m.get_mut(&(row, col)))
        else {
            return self.read_value(sheet, row, col);
        };
        match &slot.state {
            State::Done(v) => return v.clone(),
            State::Busy => return Err(Fault::Cycle(self.reference(sheet, row, col))),
            State::Todo => {}
        }
        slot.state = State::Busy;
        let parsed = parse::parse(&slot.text, sheet, names);
        let result = match parsed {
            Ok(expr) => self.eval(&expr, depth + 1),
            Err(e) => Err(Fault::Plain(e)),
        };
        if let Some(slot) = self
            .slots
            .get_mut(sheet)
            .and_then(|m| m.get_mut(&(row, col)))
        {
            slot.state = State::Done(result.clone());
        }
        result
    }

    fn read_value(&self, sheet: usize, row: u32, col: u32) -> Eval {
        let Some(cell) = self.sheets.get(sheet).and_then(|s| s.cell(row, col)) else {
            return Ok(Value::Blank);
        };
        if !cell.numeric {
            return Ok(Value::Text(cell.text.clone()));
        }
        number(&cell.text).map(Value::Num).ok_or_else(|| {
            Fault::Plain(format!(
                "{} 的数值 {} 超出可计算的范围",
                self.reference(sheet, row, col),
                cell.text
            ))
        })
    }

    /// A referenced cell's value; a failure there is named, not repeated.
    fn dependency(&mut self, sheet: usize, row: u32, col: u32, depth: usize) -> Eval {
        self.cell(sheet, row, col, depth).map_err(|f| match f {
            Fault::Cycle(_) | Fault::Bound(_) => f,
            _ => Fault::Upstream(self.reference(sheet, row, col)),
        })
    }

    fn eval(&mut self, e: &Expr, depth: usize) -> Eval {
        if depth > MAX_DEPTH {
            return Err(Fault::Bound(format!("公式之间的引用链超过 {MAX_DEPTH} 层")));
        }
        match e {
            Expr::Num(d) => Ok(Value::Num(*d)),
            Expr::Text(t) => Ok(Value::Text(t.clone())),
            Expr::Cell(a) => self.dependency(a.sheet, a.row, a.col, depth),
            Expr::Range(_) => Err(Fault::Plain("区域只能作为 SUM、SUMIF 等函数的参数".into())),
            Expr::Neg(x) => match self.eval(x, depth + 1)? {
                Value::Blank => Ok(Value::Blank),
                v => Ok(Value::Num(-self.numeric(&v)?)),
            },
            Expr::Percent(x) => match self.eval(x, depth + 1)? {
                Value::Blank => Ok(Value::Blank),
                v => self
                    .numeric(&v)?
                    .checked_div(Decimal::ONE_HUNDRED)
                    .map(Value::Num)
                    .ok_or_else(overflow),
            },
            Expr::Chain(first, rest) => {
                let mut acc = self.eval(first, depth + 1)?;
                for (op, x) in rest {
                    let v = self.eval(x, depth + 1)?;
                    acc = self.apply(*op, acc, v)?;
                }
                Ok(acc)
            }
            Expr::Call(name, args) => self.call(name, args, depth + 1),
        }
    }

    fn numeric(&self, v: &Value) -> Result<Decimal, Fault> {
        match v {
            Value::Blank => Ok(Decimal::ZERO),
            Value::Num(d) => Ok(*d),
            Value::Text(t) => number(t.trim())
                .ok_or_else(|| Fault::Plain(format!("文字“{}”不能参与数值运算", clip(t)))),
        }
    }

    fn apply(&self, op: Op, a: Value, b: Value) -> Eval {
        if op == Op::Concat {
            return Ok(Value::Text(a.display() + &b.display()));
        }
        if a == Value::Blank && b == Value::Blank {
            return Ok(Value::Blank);
        }
        let (x, y) = (self.numeric(&a)?, self.numeric(&b)?);
        let out = match op {
            Op::Add => x.checked_add(y),
            Op::Sub => x.checked_sub(y),
            Op::Mul => x.checked_mul(y),
            Op::Div if y.is_zero() => return Err(Fault::Plain("除数为零（#DIV/0!）".into())),
            Op::Div => x.checked_div(y),
            Op::Concat => None,
        };
        out.map(Value::Num).ok_or_else(overflow)
    }

    fn call(&mut self, name: &str, args: &[Expr], depth: usize) -> Eval {
        match name {
            "SUM" => {
                let mut total: Option<Decimal> = None;
                for a in args {
                    let values = match a {
                        Expr::Range(area) => self.area_values(area, depth)?,
                        e => vec![self.eval(e, depth)?],
                    };
                    for v in values {
                        let d = match (&v, a) {
                            (Value::Blank, _) => continue,
                            // SUM skips text in ranges, as Excel does.
                            (Value::Text(_), Expr::Range(_)) => continue,
                            _ => self.numeric(&v)?,
                        };
                        total = Some(add(total, d)?);
                    }
                }
                Ok(total.map_or(Value::Blank, Value::Num))
            }
            "SUMIF" => self.sumif(args, depth),
            "SUMIFS" => self.sumifs(args, depth),
            "ROUND" => {
                let [x, digits] = args else {
                    return Err(Fault::Plain("ROUND 需要 2 个参数".into()));
                };
                let v = self.eval(x, depth)?;
                if v == Value::Blank {
                    return Ok(Value::Blank);
                }
                let x = self.numeric(&v)?;
                let d = self.eval(digits, depth)?;
                let d = self.numeric(&d)?;
                let dp = d
                    .fract()
                    .is_zero()
                    .then(|| d.to_u32())
                    .flatten()
                    .filter(|dp| *dp <= 10)
                    .ok_or_else(|| Fault::Plain(format!("ROUND 的位数 {d} 只支持 0 到 10")))?;
                Ok(Value::Num(crate::model::round_half_away(x, dp)))
            }
            _ => Err(Fault::Plain(format!(
                "不支持函数 {name}（可计算的函数：{}，及 + - * / & % 运算）",
                FUNCTIONS.join("、")
            ))),
        }
    }

    /// The positions holding a value or a formula inside `area`.
    fn area_cells(&mut self, area: &Area) -> Result<Vec<(u32, u32)>, Fault> {
        let cols = area.col..=area.last_col;
        let mut out: Vec<(u32, u32)> = Vec::new();
        let mut seen: u64 = 0;
        if let Some(sheet) = self.sheets.get(area.sheet) {
            for ((r, c), _) in sheet.cells_in_rows(area.row, area.last_row) {
                seen += 1;
                if cols.contains(&c) {
                    out.push((r, c));
                }
            }
        }
        if let Some(map) = self.slots.get(area.sheet) {
            for (r, c) in map
                .range((area.row, 0)..=(area.last_row, u32::MAX))
                .map(|(k, _)| *k)
            {
                seen += 1;
                if cols.contains(&c) {
                    out.push((r, c));
                }
            }
        }
        self.visit(seen)?;
        Ok(out)
    }

    fn area_values(&mut self, area: &Area, depth: usize) -> Result<Vec<Value>, Fault> {
        let cells = self.area_cells(area)?;
        cells
            .into_iter()
            .map(|(r, c)| self.dependency(area.sheet, r, c, depth))
            .collect()
    }
}

/// A plain decimal number (digits, sign, one point); `None` otherwise.
fn number(text: &str) -> Option<Decimal> {
    if text.is_empty()
        || !text
            .bytes()
            .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b))
    {
        return None;
    }
    text.parse::<Decimal>()
        .ok()
        .or_else(|| Decimal::from_scientific(text).ok())
}

/// A running sum (`None` while only blanks were summed) plus `d`.
fn add(total: Option<Decimal>, d: Decimal) -> Result<Decimal, Fault> {
    total
        .unwrap_or_default()
        .checked_add(d)
        .ok_or_else(overflow)
}

fn overflow() -> Fault {
    Fault::Plain("结果超出数值范围".into())
}

fn clip(t: &str) -> String {
    t.chars().take(40).collect()
}

/// True when a saved result disagrees with the evaluation (beyond the
/// binary noise of Excel's floating point).
fn disagrees(got: &Value, cell: &RawCell) -> bool {
    let tolerance = Decimal::new(1, 6);
    match got {
        Value::Num(d) if cell.numeric => number(&cell.text)
            .is_some_and(|saved| d.checked_sub(saved).is_none_or(|x| x.abs() > tolerance)),
        Value::Blank if cell.numeric => number(&cell.text).is_some_and(|s| !s.is_zero()),
        Value::Text(t) if !cell.numeric => *t != cell.text,
        _ => false,
    }
}
