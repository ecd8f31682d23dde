//! Renders a [`FillInBook`] as the workbook handed to departments: a
//! 填报说明 sheet first, then each table in the published layout (the same
//! writer as [`super::write_tables`]), with input cells unlocked and shaded,
//! everything else protected (no password), decimal validation with a
//! Chinese message on amount cells, a dropdown of valid function codes
//! (kept on a hidden sheet, since inline lists are capped at 255
//! characters), and the derived cells as formulas with their results set;
//! last, when the template's narrative has facts the tables do not hold,
//! the 情况说明补充数据 sheet ([`super::stated_sheet`]).

use super::stated_sheet::{write_stated_sheet, DepartmentLine, StatedFormats};
use super::xlsx::{body_top, department_row, new_workbook, write_table, Formats};
use crate::error::Error;
use crate::views::{Cell, FillInBook, FillTable, Formula, Input, RowStyle, Term};
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::utility::{quote_sheet_name, row_col_to_cell_absolute};
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, Format, FormatAlign,
    Formula as XlsxFormula, ProtectionOptions, Worksheet, XlsxError,
};
use std::path::Path;

/// Name of the instructions sheet (first).
pub const INSTRUCTIONS_SHEET: &str = "填报说明";
/// Name of the hidden sheet holding the function codes.
pub const CODES_SHEET: &str = "科目代码";
/// Where the department name is typed on the instructions sheet (B3).
const DEPARTMENT_CELL: (u32, u16) = (2, 1);
/// Shade of input cells (light yellow).
const INPUT_COLOR: u32 = 0xFFF2CC;
/// Number format of formula results: two decimals, zero shown blank.
const HIDE_ZERO: &str = "0.00;-0.00;;@";
/// Bounds of the decimal validation (万元).
const AMOUNT_LIMIT: f64 = 1.0e12;

/// Builds the fill-in workbook and returns its bytes.
///
/// # Errors
/// [`Error::Write`] naming `path` when rust_xlsxwriter rejects the content.
pub fn fill_in_bytes(book: &FillInBook, path: &Path) -> Result<Vec<u8>, Error> {
    build(book).map_err(|e| Error::Write {
        path: path.to_path_buf(),
        detail: e.to_string(),
    })
}

/// Writes the fill-in workbook to `path` atomically.
///
/// # Errors
/// [`Error::Write`] or [`Error::Io`], naming `path`.
pub fn write_fill_in(book: &FillInBook, path: &Path) -> Result<(), Error> {
    let bytes = fill_in_bytes(book, path)?;
    super::write_atomic(path, &bytes)
}

/// Formats of input and formula cells, derived from the published ones.
struct InputFormats {
    amount: Format,
    amount_bold: Format,
    text: Format,
    text_bold: Format,
    /// Long text of the performance forms, wrapped.
    prose: Format,
    /// Formula results: a zero (what a spreadsheet computes over blank
    /// inputs) shows as blank, like the published tables.
    formula: Format,
    formula_bold: Format,
}

impl InputFormats {
    fn new(f: &Formats) -> InputFormats {
        let input = |fmt: &Format| fmt.clone().set_unlocked().set_background_color(INPUT_COLOR);
        InputFormats {
            amount: input(&f.amount),
            amount_bold: input(&f.amount_bold),
            text: input(&f.text).set_num_format("@"),
            text_bold: input(&f.text_bold).set_num_format("@"),
            prose: input(&f.prose).set_num_format("@"),
            formula: f.amount.clone().set_num_format(HIDE_ZERO),
            formula_bold: f.amount_bold.clone().set_num_format(HIDE_ZERO),
        }
    }
}

fn build(book: &FillInBook) -> Result<Vec<u8>, XlsxError> {
    let mut wb = new_workbook(book.year)?;
    let f = Formats::new();
    let inputs = InputFormats::new(&f);
    let ws = wb.add_worksheet();
    ws.set_name(INSTRUCTIONS_SHEET)?;
    write_instructions(ws, book, &f, &inputs)?;
    let tops: Vec<(&str, u32)> = book
        .tables
        .iter()
        .map(|t| (t.table.sheet.as_str(), body_top(&t.table)))
        .collect();
    let codes = Codes {
        last_row: u32::try_from(book.function_codes.len()).unwrap_or(0),
    };
    for t in book.tables.iter().chain(&book.forms) {
        let ws = wb.add_worksheet();
        ws.set_name(&t.table.sheet)?;
        write_table(ws, &t.table, &f)?;
        overlay(ws, t, book, &tops, &codes, &f, &inputs)?;
    }
    let ws = wb.add_worksheet();
    ws.set_name(CODES_SHEET)?;
    ws.write_string_with_format(0, 0, "科目编码", &f.header)?;
    ws.write_string_with_format(0, 1, "科目名称", &f.header)?;
    for (i, (code, name)) in book.function_codes.iter().enumerate() {
        let r = u32::try_from(i).unwrap_or(0) + 1;
        ws.write_string_with_format(r, 0, code, &f.text)?;
        ws.write_string_with_format(r, 1, name, &f.text)?;
    }
    ws.set_column_width(0, 12)?;
    ws.set_column_width(1, 36)?;
    ws.set_hidden(true);
    ws.protect();
    if let Some(sheet) = &book.stated {
        let stated = StatedFormats {
            amount: &inputs.amount,
            text: &inputs.text,
        };
        let cell = department_ref();
        let department = DepartmentLine {
            label: &book.department_label,
            cell: &cell,
            name: &book.department,
        };
        write_stated_sheet(&mut wb, sheet, &department, &f, &stated)?;
    }
    wb.save_to_buffer()
}

fn department_ref() -> String {
    format!(
        "{}!{}",
        quote_sheet_name(INSTRUCTIONS_SHEET),
        row_col_to_cell_absolute(DEPARTMENT_CELL.0, DEPARTMENT_CELL.1)
    )
}

fn write_instructions(
    ws: &mut Worksheet,
    book: &FillInBook,
    f: &Formats,
    inputs: &InputFormats,
) -> Result<(), XlsxError> {
    let last: u16 = 7;
    let wrap = f.left.clone().set_text_wrap().set_align(FormatAlign::Top);
    ws.merge_range(
        0,
        0,
        0,
        last,
        &format!("{}年部门预算公开表填报说明", book.year),
        &f.title,
    )?;
    ws.set_row_height(0, 30)?;
    let (dr, dc) = DEPARTMENT_CELL;
    ws.write_string_with_format(dr, 0, "部门名称", &f.text_bold)?;
    ws.merge_range(dr, dc, dr, last, "", &inputs.text)?;
    ws.write_string_with_format(dr, dc, &book.department, &inputs.text)?;
    ws.write_string_with_format(dr + 1, 0, "预算年度", &f.text_bold)?;
    ws.merge_range(dr + 1, dc, dr + 1, last, &book.year.to_string(), &f.text)?;
    ws.write_string_with_format(dr + 2, 0, "模板", &f.text_bold)?;
    ws.merge_range(
        dr + 2,
        dc,
        dr + 2,
        last,
        &format!("{}：{}", book.template, book.description),
        &f.text,
    )?;
    let mut r = dr + 4;
    ws.write_string_with_format(
        r,
        0,
        "请先在上方填写部门名称，各表的“部门名称”随之带出。",
        &f.left,
    )?;
    r += 1;
    for line in &book.instructions {
        if line.is_empty() {
            r += 1;
            continue;
        }
        ws.merge_range(r, 0, r, last, line, &wrap)?;
        let lines = super::display_width(line) / 110 + 1;
        ws.set_row_height(r, 15.0 * lines as f64 + 3.0)?;
        r += 1;
    }
    ws.set_column_width(0, 12)?;
    for c in 1..=last {
        ws.set_column_width(c, 14)?;
    }
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.protect();
    Ok(())
}

/// Where the code list lives on the hidden sheet.
struct Codes {
    last_row: u32,
}

fn overlay(
    ws: &mut Worksheet,
    t: &FillTable,
    book: &FillInBook,
    tops: &[(&str, u32)],
    codes: &Codes,
    f: &Formats,
    inputs: &InputFormats,
) -> Result<(), XlsxError> {
    let table = &t.table;
    let top = body_top(table);
    // A blank result stays blank for readers that do not calculate.
    ws.set_formula_result_default("");
    let at = |r: usize, c: usize| {
        (
            top + u32::try_from(r).unwrap_or(0),
            u16::try_from(c).unwrap_or(0),
        )
    };
    if let (Some(r), Some(_)) = (department_row(table), &table.department) {
        let label = &book.department_label;
        let formula = XlsxFormula::new(format!("=\"{label}：\"&{}", department_ref()))
            .set_result(format!("{label}：{}", book.department));
        ws.write_formula_with_format(r, 0, formula, &f.left)?;
    }
    for (r, c, kind) in &t.inputs {
        let (row, col) = at(*r, *c);
        let (cell, bold) = cell_and_weight(table, *r, *c);
        let prose = table
            .rows
            .get(*r)
            .is_some_and(|x| x.style == RowStyle::Prose);
        let fmt = match (kind, bold) {
            (Input::Amount, false) => &inputs.amount,
            (Input::Amount, true) => &inputs.amount_bold,
            (_, _) if prose => &inputs.prose,
            (_, false) => &inputs.text,
            (_, true) => &inputs.text_bold,
        };
        match cell {
            Cell::Empty => ws.write_blank(row, col, fmt)?,
            // Always text: a submission's "=…" stays a string.
            Cell::Text(s) => ws.write_string_with_format(row, col, s, fmt)?,
            Cell::Amount(v) => {
                let rounded = crate::model::round_half_away(*v, 2);
                ws.write_number_with_format(row, col, rounded.to_f64().unwrap_or(0.0), fmt)?
            }
        };
    }
    for (r, c, formula) in &t.formulas {
        let (row, col) = at(*r, *c);
        let (cell, bold) = cell_and_weight(table, *r, *c);
        let (text, fmt) = match formula {
            Formula::Department => (
                format!("={}", department_ref()),
                if bold { &f.text_bold } else { &f.text },
            ),
            Formula::Sum(terms) => (
                format!("={}", render_sum(terms, &Refs { tops, own_top: top })),
                if bold {
                    &inputs.formula_bold
                } else {
                    &inputs.formula
                },
            ),
        };
        ws.write_formula_with_format(
            row,
            col,
            XlsxFormula::new(text).set_result(cell.display()),
            fmt,
        )?;
    }
    for (kind, c, first, last) in input_runs(t) {
        let (r1, col) = at(first, c);
        let (r2, _) = at(last, c);
        let v = match kind {
            Input::Amount => DataValidation::new()
                .allow_decimal_number(DataValidationRule::Between(-AMOUNT_LIMIT, AMOUNT_LIMIT))
                .set_error_title("金额格式不正确")?
                .set_error_message(format!(
                    "请填写数字金额（{}，保留两位小数），不要输入文字、单位、空格或“-”；没有数据请留空。",
                    t.table.unit.as_deref().unwrap_or("单位：万元")
                ))?,
            Input::FunctionCode if codes.last_row > 0 => DataValidation::new()
                .allow_list_formula(XlsxFormula::new(format!(
                    "={}!$A$2:$A${}",
                    quote_sheet_name(CODES_SHEET),
                    codes.last_row + 1
                )))
                .set_error_style(DataValidationErrorStyle::Warning)
                .set_error_title("科目编码不在代码表中")?
                .set_error_message(
                    "该编码不在《政府收支分类科目》功能分类代码表中（见下拉列表），请核对：类 3 位、款 5 位、项 7 位。确属新增科目可选“是”继续。",
                )?,
            _ => continue,
        };
        ws.add_data_validation(r1, col, r2, col, &v)?;
    }
    // Room to type: blank forms would otherwise get label columns sized to
    // their header only (the performance forms have their own widths).
    let mut widened: Vec<(usize, Input)> = Vec::new();
    let sized = !table.col_widths.is_empty();
    for (_, c, kind) in t.inputs.iter().filter(|_| !sized) {
        if *kind != Input::Amount && !widened.iter().any(|(col, _)| col == c) {
            widened.push((*c, *kind));
        }
    }
    for (c, kind) in widened {
        let width = if kind == Input::FunctionCode { 11 } else { 28 };
        ws.set_column_width(u16::try_from(c).unwrap_or(0), width)?;
    }
    let options = ProtectionOptions {
        insert_rows: true,
        format_columns: true,
        format_rows: true,
        ..ProtectionOptions::new()
    };
    ws.protect_with_options(&options);
    Ok(())
}

/// Vertical runs of input cells of one kind: (kind, column, first row,
/// last row), for one validation per run instead of one per cell.
fn input_runs(t: &FillTable) -> Vec<(Input, usize, usize, usize)> {
    let mut cells: Vec<(usize, usize, Input)> = t.inputs.clone();
    cells.sort_by_key(|(r, c, _)| (*c, *r));
    let mut runs: Vec<(Input, usize, usize, usize)> = Vec::new();
    for (r, c, kind) in cells {
        match runs.last_mut() {
            Some(run) if run.0 == kind && run.1 == c && run.3 + 1 == r => run.3 = r,
            _ => runs.push((kind, c, r, r)),
        }
    }
    runs
}

/// Sheet positions of the references of one formula.
struct Refs<'a> {
    /// Body top of every table by sheet name.
    tops: &'a [(&'a str, u32)],
    /// Body top of the formula's own sheet.
    own_top: u32,
}

impl Refs<'_> {
    fn top(&self, sheet: Option<&str>) -> u32 {
        match sheet {
            None => self.own_top,
            Some(s) => self
                .tops
                .iter()
                .find(|(n, _)| *n == s)
                .map_or(0, |(_, t)| *t),
        }
    }

    fn a1(&self, sheet: Option<&str>, row: usize, col: usize) -> String {
        row_col_to_cell_absolute(
            self.top(sheet) + u32::try_from(row).unwrap_or(0),
            u16::try_from(col).unwrap_or(0),
        )
    }

    fn prefix(sheet: Option<&str>) -> String {
        sheet.map_or_else(String::new, |s| format!("{}!", quote_sheet_name(s)))
    }

    /// `'sheet'!$C$9` or `$C$9`.
    fn cell(&self, sheet: Option<&str>, row: usize, col: usize) -> String {
        format!("{}{}", Self::prefix(sheet), self.a1(sheet, row, col))
    }

    /// `'sheet'!$C$9:$C$48`.
    fn range(&self, sheet: Option<&str>, first: usize, last: usize, col: usize) -> String {
        format!(
            "{}{}:{}",
            Self::prefix(sheet),
            self.a1(sheet, first, col),
            self.a1(sheet, last, col)
        )
    }
}

/// A sum as Excel text: `SUM(range)` for a run of cells down one column,
/// `A+B+…` otherwise, `SUMIF(…)` for conditional terms.
fn render_sum(terms: &[Term], refs: &Refs<'_>) -> String {
    let column_run = terms.len() >= 3
        && terms.windows(2).all(|w| match w {
            [Term::Cell {
                sheet: None,
                row: r1,
                col: c1,
            }, Term::Cell {
                sheet: None,
                row: r2,
                col: c2,
            }] => c1 == c2 && r1 + 1 == *r2,
            _ => false,
        });
    if column_run {
        if let (Some(Term::Cell { row: r1, col, .. }), Some(Term::Cell { row: r2, .. })) =
            (terms.first(), terms.last())
        {
            return format!("SUM({})", refs.range(None, *r1, *r2, *col));
        }
    }
    terms
        .iter()
        .map(|term| match term {
            Term::Cell { sheet, row, col } => refs.cell(sheet.as_deref(), *row, *col),
            Term::SumIf {
                sheet,
                key_col,
                value_col,
                first_row,
                last_row,
                equals,
                blank_col,
            } => {
                let s = Some(sheet.as_str());
                let range = |col: usize| refs.range(s, *first_row, *last_row, col);
                let equals = equals.replace('"', "\"\"");
                match blank_col {
                    None => format!(
                        "SUMIF({},\"{equals}\",{})",
                        range(*key_col),
                        range(*value_col)
                    ),
                    Some(blank) => format!(
                        "SUMIFS({},{},\"{equals}\",{},\"\")",
                        range(*value_col),
                        range(*key_col),
                        range(*blank)
                    ),
                }
            }
        })
        .collect::<Vec<_>>()
        .join("+")
}

/// The body cell at (`r`, `c`) and whether its row is bold (totals, groups).
fn cell_and_weight(table: &crate::views::Table, r: usize, c: usize) -> (&Cell, bool) {
    let row = table.rows.get(r);
    let bold = row.is_some_and(|x| matches!(x.style, RowStyle::Total | RowStyle::Group));
    let cell = row.and_then(|x| x.cells.get(c)).unwrap_or(&Cell::Empty);
    (cell, bold)
}
