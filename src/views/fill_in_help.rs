//! The 填报说明 of the fill-in workbook: how to fill it in, and what each
//! table and form asks for.

use super::StatedSheet;
use crate::kinds::{chinese_number, kind_of, FillTable};
use crate::spec::Template;

/// The 填报说明 lines: how to fill the workbook, then what each table
/// asks for.
pub(super) fn instructions(
    template: &Template,
    year: i32,
    forms: &[FillTable],
    stated: Option<&StatedSheet>,
) -> Vec<String> {
    let mut lines = vec![
        "一、只在浅黄色单元格中填写；标题、表头、灰色单元格和公式单元格已锁定（工作表保护无密码，请勿撤销保护、改表名或改表头）。".to_string(),
        format!("二、金额单位为{}，保留两位小数，四舍五入；没有数据的单元格留空，不要填 0 或“-”。", template.unit),
        "三、科目编码从下拉列表选择（《政府收支分类科目》功能分类：类 3 位、款 5 位、项 7 位），按 类、款、项 的顺序逐行填写，类、款行填本类、本款合计；列表中没有的编码可以填写，但会提示核对。".to_string(),
        "四、“合计”行由部门按各行合计填写（审核时允许因四舍五入产生的 0.01 差异）；“合计”列、“三公”经费小计、机关运行经费部门合计、表1和表4 由公式自动计算，无需填写。".to_string(),
        "五、表1、表4 只需填写“年终结转”和分资金的“上年财政拨款结转”，其余数字取自收入总表。".to_string(),
        "六、基本支出经济分类表：类级（工资福利支出、商品和服务支出、对个人和家庭的补助等）一行，“政府预算支出经济科目名称”留空；其下各款逐行填写两个科目名称。".to_string(),
        "七、项目支出表：第一行为部门合计（部门名称自动带出），其下先填单位行（单位名称及该单位项目小计），再逐行填写该单位的项目。".to_string(),
        "八、行数不够时，可在表内（合计行以下、最后一行以上）插入整行；不要在表外另起表格。".to_string(),
        "九、填好后用 budgetkit validate 审核，按提示改正后再报送。".to_string(),
    ];
    if let [department, projects @ ..] = forms {
        lines.push(format!(
            "十、绩效目标表：填写“{}”一张；表12 的每个项目填写一张项目支出绩效目标表，已备 {} 张（{}…）。项目更多时，右键点击一张项目绩效目标表的工作表标签，选“移动或复制”并勾选“建立副本”，在副本中填写（按表名识别，工作表名称不限）；用不到的空白项目表可以保留。",
            department.table.sheet,
            projects.len(),
            projects.first().map_or("", |p| p.table.sheet.as_str()),
        ));
    }
    if let Some(sheet) = stated {
        lines.push(format!(
            "{}、“{}”工作表：填写情况说明用到、各表没有的数字（政府采购、车辆、绩效项目等），没有的留空；审核时用来核对情况说明中的这些数字。",
            chinese_number(lines.len() + 1),
            sheet.name
        ));
    }
    lines.extend([String::new(), "各表填写内容：".to_string()]);
    for spec in &template.tables {
        let what = kind_of(spec).help(spec);
        lines.push(format!(
            "{}  {}：{}",
            spec.sheet,
            spec.title_for(year),
            what
        ));
    }
    lines
}
