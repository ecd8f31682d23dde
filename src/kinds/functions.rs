//! Function-line tables (表2 收入总表, 表3 支出总表, 表5 一般公共预算支出表,
//! 表8 政府性基金支出表, and the spending half of 表9): a 合计 row, then
//! 类/款/项 lines by 科目编码, with amounts by source (income) or by
//! 基本支出/项目支出 (spending of the table's `scope`).

use super::code_index::CodeIndex;
use super::fill::{FillContext, FillTable, Input};
use super::relation::{write_row_sums, RowSum};
use super::{is_label_key, is_total, row_by_keys, Reading, TableKind};
use crate::filed::{FiledRow, FiledTable};
use crate::model::{add_opt, Amount, Budget, FunctionLine, Fund, Sources, Split};
use crate::spec::{ColumnKey, Scope, Source, TableSpec};
use crate::table::{Cell, Row, RowStyle};
use rust_decimal::Decimal;

/// The function-line kind.
pub struct Functions;

/// What a row of a function table is.
enum Line {
    /// The 合计 row.
    Total,
    /// A line with a valid 3-, 5- or 7-digit code.
    Code(String),
    /// A code that is not 3, 5 or 7 digits (the cell is reported).
    Invalid,
    /// No code (a blank or continuation row).
    Blank,
}

/// What a row is. A table with an income side (表9) may mark its 合计
/// row on either side.
fn line_of(spec: &TableSpec, row: &FiledRow) -> Line {
    let code = row.key(spec, ColumnKey::Code);
    let in_code = spec.col(ColumnKey::InCode).is_some();
    if is_total(&code) || (in_code && is_total(&row.key(spec, ColumnKey::InCode))) {
        return Line::Total;
    }
    let code = code.strip_suffix(".0").unwrap_or(&code);
    if code.is_empty() {
        Line::Blank
    } else if code.chars().all(|c| c.is_ascii_digit()) && [3, 5, 7].contains(&code.len()) {
        Line::Code(code.to_string())
    } else {
        Line::Invalid
    }
}

/// The code of a function-table row, if it is a valid 3/5/7-digit code.
pub fn line_code(spec: &TableSpec, row: &FiledRow) -> Option<String> {
    match line_of(spec, row) {
        Line::Code(c) => Some(c),
        _ => None,
    }
}

/// A function-classification table split into its total row and its
/// lines (code, row), lines in filed order.
pub struct FuncRows<'a> {
    /// The 合计 row.
    pub total: Option<&'a FiledRow>,
    /// Lines with a 3-, 5- or 7-digit code.
    lines: Vec<(String, &'a FiledRow)>,
    /// Positions in `lines` by code (a department lists thousands of
    /// lines, and every rule looks them up).
    by_code: CodeIndex,
}

impl<'a> FuncRows<'a> {
    /// No total and no lines.
    pub const EMPTY: FuncRows<'static> = FuncRows {
        total: None,
        lines: Vec::new(),
        by_code: CodeIndex::EMPTY,
    };

    /// The total row and lines of a function table.
    pub fn split(filed: &'a FiledTable, spec: &TableSpec) -> Self {
        let mut total = None;
        let mut lines = Vec::new();
        for row in &filed.rows {
            match line_of(spec, row) {
                Line::Total if total.is_none() => total = Some(row),
                Line::Code(code) => lines.push((code, row)),
                _ => {}
            }
        }
        let by_code = CodeIndex::of(lines.iter().map(|(c, _)| c.as_str()));
        FuncRows {
            total,
            lines,
            by_code,
        }
    }

    /// The lines (code, row), in filed order.
    pub fn lines(&self) -> &[(String, &'a FiledRow)] {
        &self.lines
    }

    /// The row of a code (its first, if listed twice).
    pub fn line(&self, code: &str) -> Option<&'a FiledRow> {
        let (_, row) = self.lines.get(self.by_code.first(code)?)?;
        Some(*row)
    }

    /// The lines under `code` whose code is `len` digits long, in filed
    /// order.
    pub fn children(&self, code: &str, len: usize) -> Vec<&(String, &'a FiledRow)> {
        let at = self.by_code.under(code, len);
        at.iter().filter_map(|i| self.lines.get(*i)).collect()
    }
}

/// The model's function lines by code, so that reading a table finds a
/// line by binary search (the model keeps its lines in reading order).
pub(super) struct LineIndex(CodeIndex);

impl LineIndex {
    /// The index of the lines `b` has.
    pub(super) fn of(b: &Budget) -> Self {
        LineIndex(CodeIndex::of(
            b.functions.lines.iter().map(|l| l.code.as_str()),
        ))
    }

    /// The line of `code` in the model (the 合计 line for an empty code),
    /// added in reading order when new.
    fn line_mut<'b>(&mut self, b: &'b mut Budget, code: &str, name: &str) -> &'b mut FunctionLine {
        if code.is_empty() {
            if b.functions.total.name.is_empty() {
                b.functions.total.name = "合计".into();
            }
            return &mut b.functions.total;
        }
        let lines = &mut b.functions.lines;
        let pos = match self.0.first(code) {
            Some(i) => i,
            None => {
                lines.push(FunctionLine {
                    code: code.to_string(),
                    name: name.to_string(),
                    ..FunctionLine::default()
                });
                let i = lines.len() - 1;
                self.0.insert(code, i);
                i
            }
        };
        let Some(line) = lines.get_mut(pos) else {
            return &mut b.functions.total;
        };
        if line.name.is_empty() {
            line.name = name.to_string();
        }
        line
    }
}

/// Reads the function lines of one table: income by source and
/// carry-over when it has them, spending of its scope when it has that.
/// Rows only on the income side of 表9 give no spending.
pub(super) fn read_lines(table: &FiledTable, spec: &TableSpec, r: &mut Reading<'_>) {
    let has_income =
        spec.col(ColumnKey::Current).is_some() || spec.col(ColumnKey::SrcGeneral).is_some();
    let income_side = spec.col(ColumnKey::InCode).is_some();
    r.fiscal_in_one |= spec.col(ColumnKey::SrcFiscal).is_some();
    let mut seen_total = false;
    for row in &table.rows {
        let code = match line_of(spec, row) {
            Line::Total if !seen_total => {
                seen_total = true;
                String::new()
            }
            Line::Code(c) => c,
            Line::Invalid => {
                if let Some(cell) = row.cell(spec, ColumnKey::Code) {
                    r.findings.push(cell.error(
                        "READ-CODE",
                        format!("科目编码“{}”不是 3、5 或 7 位数字编码", cell.text()),
                        "3/5/7 位数字",
                    ));
                }
                continue;
            }
            Line::Total | Line::Blank => continue,
        };
        let name = row.text(spec, ColumnKey::Name);
        let basic = table.amount(row, spec, ColumnKey::Basic, r.findings);
        let project = table.amount(row, spec, ColumnKey::Project, r.findings);
        if has_income {
            let mut income = Sources::default();
            for &source in Source::ALL {
                *income.slot(source) =
                    table.amount(row, spec, ColumnKey::of_source(source), r.findings);
            }
            let carry = table.amount(row, spec, ColumnKey::Carryover, r.findings);
            let line = r.lines.line_mut(&mut r.budget, &code, &name);
            line.income = income;
            line.carryover = carry;
        }
        match spec.scope {
            Some(Scope::All) => r.spent.push((code.clone(), Split { basic, project })),
            None => {}
            Some(s) => {
                if income_side && basic.is_none() && project.is_none() {
                    continue;
                }
                if let Some(fund) = s.fund() {
                    *r.lines
                        .line_mut(&mut r.budget, &code, &name)
                        .split_mut(fund) = Split { basic, project };
                }
            }
        }
    }
}

/// Where the income table shows 财政拨款收入 in one column (sh-2026), the
/// income of each fiscal fund on a line is that fund's spending on it (no
/// carry-over in such a layout): 表5/表6/表7 split what 表2 shows in one.
pub(super) fn settle_fiscal_income(b: &mut Budget) {
    let lines = std::iter::once(&mut b.functions.total).chain(b.functions.lines.iter_mut());
    for line in lines {
        for &fund in Fund::ALL {
            let spent = line.split(fund).total();
            let slot = line.income.slot(fund.source());
            if let (Some(v), None) = (spent, &slot) {
                *slot = Some(Amount::new(v));
            }
        }
    }
}

/// The spending no fiscal fund covers, per line: what 表3 states minus
/// the fund tables' splits (once every table is read).
pub(super) fn settle_other(b: &mut Budget, at: &mut LineIndex, spent: Vec<(String, Split)>) {
    for (code, spent) in spent {
        let line = at.line_mut(b, &code, "");
        let other_of = |filed_v: Option<Amount>, parts: Option<Decimal>| -> Option<Amount> {
            let rest =
                filed_v.as_ref().map_or(Decimal::ZERO, |a| a.value) - parts.unwrap_or_default();
            (!rest.is_zero()).then(|| Amount {
                value: rest,
                at: filed_v.and_then(|a| a.at),
            })
        };
        // 基本/项目 spending of the fiscal funds on this line.
        let fund_sum = |part: fn(&Split) -> Option<&Amount>| {
            Fund::ALL.iter().fold(None, |acc, f| {
                add_opt(acc, part(line.split(*f)).map(|a| a.value))
            })
        };
        let fund_basic = fund_sum(|x| x.basic.as_ref());
        let fund_project = fund_sum(|x| x.project.as_ref());
        line.other = Split {
            basic: other_of(spent.basic, fund_basic),
            project: other_of(spent.project, fund_project),
        };
    }
}

/// The amount of a function line under a column key, for the spending of
/// a fund (`None`: all spending).
pub fn line_value(line: &FunctionLine, key: ColumnKey, fund: Option<Fund>) -> Option<Decimal> {
    let value = |a: &Option<Amount>| a.as_ref().map(|a| a.value);
    let basic = || fund.map_or_else(|| line.basic(), |f| value(&line.split(f).basic));
    let project = || fund.map_or_else(|| line.project(), |f| value(&line.split(f).project));
    match key {
        ColumnKey::Current => line.income.total(),
        ColumnKey::Carryover => value(&line.carryover),
        ColumnKey::Total => add_opt(basic(), project()),
        ColumnKey::Basic => basic(),
        ColumnKey::Project => project(),
        ColumnKey::SrcFiscal => line.income.fiscal(),
        k => k.source().and_then(|s| line.income.get(s)).map(|a| a.value),
    }
}

/// True when a line appears in a table of the spending of `fund` (every
/// line for all spending; otherwise lines with spending of that fund).
pub fn shows(line: &FunctionLine, fund: Option<Fund>) -> bool {
    fund.is_none_or(|f| !line.split(f).is_blank())
}

/// The published row of a function line (the 合计 row with `total`).
pub(super) fn function_row(spec: &TableSpec, line: &FunctionLine, total: bool) -> Row {
    let fund = spec.scope.and_then(Scope::fund);
    let style = match (total, line.level()) {
        (true, _) => RowStyle::Total,
        (_, 1) => RowStyle::Group,
        _ => RowStyle::Normal,
    };
    // A code split over 类 | 款 | 项 columns: 合计 goes in the first.
    let code_part = |range: std::ops::Range<usize>| Cell::text(line.code.get(range).unwrap_or(""));
    row_by_keys(spec, style, |key| match key {
        ColumnKey::Code | ColumnKey::CodeClass if total => Cell::text("合计"),
        ColumnKey::CodeSection | ColumnKey::CodeItem if total => Cell::Empty,
        ColumnKey::Code => Cell::text(&line.code),
        ColumnKey::CodeClass => code_part(0..3),
        ColumnKey::CodeSection => code_part(3..5),
        ColumnKey::CodeItem => code_part(5..7),
        ColumnKey::Name if total => Cell::Empty,
        ColumnKey::Name => Cell::text(&line.name),
        k => Cell::amount(line_value(line, k, fund)),
    })
}

/// Same-row relations of function lines: 合计 = 基本 + 项目 on spending
/// tables (and 表9), 本年收入合计 = Σ sources on the income table.
pub(super) fn line_sums(spec: &TableSpec) -> Vec<RowSum> {
    [
        RowSum::of(
            spec,
            "IT-FUNC-SPLIT",
            ColumnKey::Total,
            &[ColumnKey::Basic, ColumnKey::Project],
            "基本支出与项目支出",
        ),
        RowSum::of_sources(spec, ColumnKey::Current, false),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Fill-in cells of a table of lines: same-row sums (and any formula
/// already placed) are formulas; the first (合计) row's labels are fixed;
/// every other cell is an input, codes typed as `codes`.
pub(super) fn fill_line_cells(
    fill: &mut FillTable,
    spec: &TableSpec,
    sums: &[RowSum],
    codes: Input,
) {
    write_row_sums(fill, spec, sums);
    for r in 0..fill.table.rows.len() {
        let first = r == 0;
        for (c, key) in spec.columns.iter().enumerate() {
            if fill.formulas.iter().any(|(fr, fc, _)| *fr == r && *fc == c) {
                continue;
            }
            use ColumnKey as K;
            let input = match *key {
                K::Code | K::InCode | K::Unit | K::Name | K::GovName | K::InName if first => None,
                K::Code => Some(codes),
                k if is_label_key(k) => Some(Input::Text),
                _ => Some(Input::Amount),
            };
            if let Some(kind) = input {
                fill.inputs.push((r, c, kind));
            }
        }
    }
}

impl TableKind for Functions {
    fn read(&self, tables: &[(&FiledTable, &TableSpec)], r: &mut Reading<'_>) {
        // 表3-like (scope all) tables first, so lines keep 表3's order.
        let mut tables = tables.to_vec();
        tables.sort_by_key(|(_, s)| s.scope.as_deref() != Some("all"));
        for (table, spec) in tables {
            read_lines(table, spec, r);
        }
    }

    fn rows(&self, b: &Budget, spec: &TableSpec) -> Vec<Row> {
        let fund = spec.scope.and_then(Scope::fund);
        let total = function_row(spec, &b.functions.total, true);
        let lines = b
            .functions
            .lines
            .iter()
            .filter(|l| shows(l, fund))
            .map(|l| function_row(spec, l, false));
        if spec.total_last {
            lines.chain([total]).collect()
        } else {
            std::iter::once(total).chain(lines).collect()
        }
    }

    fn is_without_data(&self, b: &Budget, spec: &TableSpec) -> bool {
        let fund = spec.scope.and_then(Scope::fund);
        !b.functions.lines.iter().any(|l| shows(l, fund))
    }

    fn supplies(&self, spec: &TableSpec) -> Vec<String> {
        let has = |k: ColumnKey| spec.has(k);
        let mut facts = Vec::new();
        let income = spec.columns.iter().any(|c| {
            matches!(c, ColumnKey::Current | ColumnKey::Carryover) || c.is_source_column()
        });
        if income {
            facts.push("income".to_string());
        }
        if has(ColumnKey::Basic) || has(ColumnKey::Project) || has(ColumnKey::Total) {
            facts.push(format!(
                "spending.{}",
                spec.scope.as_deref().unwrap_or("all")
            ));
        }
        facts
    }

    fn row_sums(&self, spec: &TableSpec) -> Vec<RowSum> {
        line_sums(spec)
    }

    fn min_fill_rows(&self) -> usize {
        40
    }

    fn may_be_empty(&self, spec: &TableSpec) -> bool {
        !matches!(spec.scope.as_deref(), None | Some("all"))
    }

    fn fill_cells(&self, fill: &mut FillTable, spec: &TableSpec, _cx: &FillContext<'_>) {
        fill_line_cells(fill, spec, &self.row_sums(spec), Input::FunctionCode);
    }

    fn help(&self, spec: &TableSpec) -> &'static str {
        if spec.columns.iter().any(|c| c.is_source_column()) {
            "按功能科目填写本年收入（分资金来源）和上年结转"
        } else {
            "按功能科目填写基本支出、项目支出"
        }
    }
}
