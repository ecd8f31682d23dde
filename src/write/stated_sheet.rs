//! Renders the fill-in workbook's 情况说明补充数据 sheet
//! ([`crate::views::StatedSheet`]): the title, the department by formula
//! over the instructions sheet, one row per fact (label, an input cell
//! shaded and unlocked with a validation — a number ≥ 0, a whole one for
//! a count — and a note), everything else protected as on the other
//! fill-in sheets.

use super::xlsx::Formats;
use crate::views::StatedSheet;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    DataValidation, DataValidationRule, Format, FormatAlign, Formula, Workbook, XlsxError,
};

/// The first row of facts (below title, department, help and header).
const FIRST_ROW: u32 = 4;
/// The value column (B), just right of the label (A), as the reader
/// takes it.
const VALUE_COL: u16 = 1;

/// The formats of the input cells: amounts (two decimals) and counts.
pub(super) struct StatedFormats<'a> {
    /// Input amount (shaded, unlocked).
    pub(super) amount: &'a Format,
    /// Input text (shaded, unlocked), whose look the count cells take.
    pub(super) text: &'a Format,
}

/// The department line above the facts, as above the tables.
pub(super) struct DepartmentLine<'a> {
    /// The label (部门名称, 编制部门).
    pub(super) label: &'a str,
    /// The cell the name is typed in (`填报说明!$B$3`).
    pub(super) cell: &'a str,
    /// The name as typed there now (the formula's cached result).
    pub(super) name: &'a str,
}

/// Adds the sheet to `wb`.
pub(super) fn write_stated_sheet(
    wb: &mut Workbook,
    sheet: &StatedSheet,
    department: &DepartmentLine<'_>,
    f: &Formats,
    inputs: &StatedFormats<'_>,
) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(&sheet.name)?;
    let last: u16 = 2;
    ws.merge_range(0, 0, 0, last, &sheet.title, &f.title)?;
    ws.set_row_height(0, 30)?;
    let DepartmentLine { label, cell, name } = department;
    ws.merge_range(1, 0, 1, last, "", &f.left)?;
    let formula =
        Formula::new(format!("=\"{label}：\"&{cell}")).set_result(format!("{label}：{name}"));
    ws.write_formula_with_format(1, 0, formula, &f.left)?;
    let help = f.left.clone().set_text_wrap().set_align(FormatAlign::Top);
    ws.merge_range(
        2,
        0,
        2,
        last,
        "表中没有、情况说明要写的事实（政府采购、车辆、项目分类等）：在黄色单元格填数字，没有的填 0；留空的事实，文中数字不核对，写出情况说明时留作“……”。",
        &help,
    )?;
    ws.set_row_height(2, 33)?;
    for (c, h) in ["项目", "数值", "说明"].iter().enumerate() {
        ws.write_string_with_format(3, u16::try_from(c).unwrap_or(0), *h, &f.header)?;
    }
    let count = inputs
        .text
        .clone()
        .set_num_format("0")
        .set_align(FormatAlign::Right);
    let note = f.text.clone().set_text_wrap();
    for (i, row) in sheet.rows.iter().enumerate() {
        let r = FIRST_ROW + u32::try_from(i).unwrap_or(0);
        ws.write_string_with_format(r, 0, &row.label, &f.text)?;
        let fmt = if row.count { &count } else { inputs.amount };
        match row.value.and_then(|v| v.to_f64()) {
            Some(v) => ws.write_number_with_format(r, VALUE_COL, v, fmt)?,
            None => ws.write_blank(r, VALUE_COL, fmt)?,
        };
        ws.write_string_with_format(r, 2, &row.note, &note)?;
        ws.add_data_validation(
            r,
            VALUE_COL,
            r,
            VALUE_COL,
            &validation(row.count, &row.label)?,
        )?;
    }
    ws.set_column_width(0, 34)?;
    ws.set_column_width(1, 14)?;
    ws.set_column_width(2, 64)?;
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.protect();
    Ok(())
}

/// A number ≥ 0 (whole for a count), refused otherwise with a Chinese
/// message naming the row.
fn validation(count: bool, label: &str) -> Result<DataValidation, XlsxError> {
    let v = if count {
        DataValidation::new()
            .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0))
            .set_error_title("应填整数")?
            .set_error_message(format!("“{label}”请填不小于 0 的整数；没有的填 0。"))?
    } else {
        DataValidation::new()
            .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
            .set_error_title("应填金额")?
            .set_error_message(format!(
                "“{label}”请填不小于 0 的数字金额（万元，保留两位小数），不要输入文字或单位；没有的填 0。"
            ))?
    };
    Ok(v)
}
