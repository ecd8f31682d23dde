//! The performance-target forms (绩效目标表) as data: their labels, the
//! indicator header, column widths and title words
//! (`templates/performance-forms.toml`, the same for every template), and
//! the wording of the issuing bureau (titles, sheet names, the year line),
//! which each template gives in its `[performance]` section. The reader,
//! the published view and the fill-in workbook all take them from here.

use crate::error::Error;
use crate::model::form_label_key;
use serde::Deserialize;
use std::sync::OnceLock;

/// The embedded forms file.
const FORMS_TOML: &str = include_str!("../../templates/performance-forms.toml");
/// Its name in errors.
const FORMS_FILE: &str = "templates/performance-forms.toml";

/// A label: the first text is printed, every text is accepted when reading.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(try_from = "Vec<String>")]
pub struct Label {
    texts: Vec<String>,
    /// Each text's [`form_label_key`], worked out when the label is read
    /// (a form is searched for its labels many times).
    keys: Vec<String>,
}

impl TryFrom<Vec<String>> for Label {
    type Error = String;

    fn try_from(texts: Vec<String>) -> Result<Self, String> {
        if texts.iter().any(|t| t.trim().is_empty()) || texts.is_empty() {
            return Err("标签须至少有一个非空文字".into());
        }
        let keys = texts
            .iter()
            .map(|t| form_label_key(t).into_owned())
            .collect();
        Ok(Label { texts, keys })
    }
}

impl Label {
    /// The text printed.
    pub fn text(&self) -> &str {
        self.texts.first().map_or("", String::as_str)
    }

    /// Every accepted text, the printed one first.
    pub fn texts(&self) -> &[String] {
        &self.texts
    }

    /// The key of every accepted text ([`form_label_key`]), in the order of
    /// [`Label::texts`].
    pub fn keys(&self) -> &[String] {
        &self.keys
    }
}

/// Declares a struct of labels read from one table of the forms file, with
/// `all()` listing them (every label of a form is never a value).
macro_rules! labels {
    ($(#[$meta:meta])* $name:ident { $($(#[$fmeta:meta])* $field:ident,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $($(#[$fmeta])* pub $field: Label,)+
        }

        impl $name {
            /// Every label of the table.
            pub fn all(&self) -> Vec<&Label> {
                vec![$(&self.$field),+]
            }
        }
    };
}

labels! {
    /// The words by which a form's title is recognised.
    TitleWords {
        /// 整体支出绩效目标申报表.
        department,
        /// 项目支出绩效目标表.
        project,
    }
}

labels! {
    /// The indicator header 一级指标/二级指标/三级指标/指标值.
    IndicatorLabels {
        /// 一级指标.
        level1,
        /// 二级指标.
        level2,
        /// 三级指标.
        level3,
        /// 指标值.
        value,
    }
}

labels! {
    /// The labels of 整体支出绩效目标申报表.
    DepartmentLabels {
        /// 部门基本信息 (block).
        basic_info,
        /// 部门名称.
        name,
        /// 内设职能部门数.
        internal_divisions,
        /// 所属预算单位数.
        budget_units,
        /// 核定的人员编制数.
        authorized_staff,
        /// 实际在职人员总数.
        actual_staff,
        /// 其中:在编人员数.
        staff_on_roll,
        /// 其他人员数.
        other_staff,
        /// 部门职责.
        duties,
        /// 部门战略目标.
        strategic_goal,
        /// 年度预算情况 (block).
        annual_budget,
        /// 按资金来源划分.
        by_source,
        /// 按资金方向划分.
        by_use,
        /// 资金总额(万元) (column head).
        amount_head,
        /// 合计 (both halves).
        total,
        /// 其中:一般公共预算资金.
        general,
        /// 政府性基金预算资金.
        gov_fund,
        /// 国有资本经营预算资金.
        state_capital,
        /// 社会保险基金预算资金.
        social_insurance,
        /// 专户管理资金.
        special,
        /// 单位资金.
        unit,
        /// 其中:基本支出.
        basic,
        /// 项目支出.
        project,
        /// 年度重点任务 (block).
        key_tasks,
        /// 核心职能.
        core_function,
        /// 重点任务.
        key_task,
        /// 年度绩效目标.
        annual_goal,
        /// 年度绩效指标 (block).
        indicators,
    }
}

labels! {
    /// The labels of 项目支出绩效目标表.
    ProjectLabels {
        /// 项目名称.
        name,
        /// 主管部门及代码.
        authority,
        /// 实施单位.
        implementing_unit,
        /// 项目属性.
        attribute,
        /// 项目期.
        period,
        /// 项目资金(万元) (block).
        funds,
        /// 实施期资金总额.
        period_total,
        /// 年度资金总额.
        annual_total,
        /// 其中:中央财政资金.
        central,
        /// 省级财政资金.
        provincial,
        /// 市县(区)财政资金.
        local,
        /// 单位自筹.
        self_raised,
        /// 其他资金.
        other,
        /// 项目概况.
        overview,
        /// 立项依据.
        basis,
        /// 项目设立必要性.
        necessity,
        /// 保证项目实施的制度、措施.
        safeguards,
        /// 项目实施计划.
        plan,
        /// 总体目标 (block).
        goals,
        /// 实施期目标.
        period_goal,
        /// 年度目标.
        annual_goal,
        /// 绩效指标 (block).
        indicators,
        /// 负责人.
        responsible,
        /// 经办人.
        handler,
        /// 联系电话.
        phone,
        /// 填报日期.
        filed_on,
    }
}

/// Column widths of the two forms.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormWidths {
    /// The department form's 5 columns.
    pub department: Vec<f64>,
    /// A project form's 8 columns.
    pub project: Vec<f64>,
}

/// The forms file: labels and layout shared by every template.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormLabels {
    /// Title words.
    pub titles: TitleWords,
    /// The indicator header.
    pub indicator: IndicatorLabels,
    /// The department form.
    pub department: DepartmentLabels,
    /// A project form.
    pub project: ProjectLabels,
    /// Column widths.
    pub widths: FormWidths,
}

/// Columns of the department form and of a project form.
pub const FORM_WIDTHS: (usize, usize) = (5, 8);

impl FormLabels {
    /// The built-in forms file.
    ///
    /// # Errors
    /// [`Error::Template`] naming the forms file when it does not parse.
    pub fn builtin() -> Result<FormLabels, Error> {
        // Read once per process: every template load takes a copy.
        static BUILTIN: OnceLock<Result<FormLabels, String>> = OnceLock::new();
        BUILTIN
            .get_or_init(FormLabels::parse_builtin)
            .clone()
            .map_err(|message| Error::Template {
                file: FORMS_FILE.to_string(),
                message,
            })
    }

    /// The forms file read, or why it does not read.
    fn parse_builtin() -> Result<FormLabels, String> {
        let labels: FormLabels = toml::from_str(FORMS_TOML).map_err(|e| e.to_string())?;
        let w = &labels.widths;
        if (w.department.len(), w.project.len()) != FORM_WIDTHS {
            return Err(format!(
                "widths 应有 {} 与 {} 列，实为 {} 与 {}",
                FORM_WIDTHS.0,
                FORM_WIDTHS.1,
                w.department.len(),
                w.project.len()
            ));
        }
        Ok(labels)
    }

    /// Every label of either form and the indicator header: a value is
    /// never one of these.
    pub fn all(&self) -> Vec<&Label> {
        let mut all = self.department.all();
        all.extend(self.project.all());
        all.extend(self.indicator.all());
        all
    }
}

/// The issuing bureau's wording of the forms: a template's `[performance]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormWording {
    /// Sheet of the department form.
    pub department_sheet: String,
    /// Title of the department form.
    pub department_title: String,
    /// The line under it, with `{year}`.
    pub department_year: String,
    /// Sheet of the n-th project form, with `{n}` (1-based).
    pub project_sheet: String,
    /// Title of a project form.
    pub project_title: String,
    /// The line under it, with `{year}`.
    pub project_year: String,
}

impl FormWording {
    /// Sheet name of the `n`-th project form (1-based).
    pub fn project_sheet(&self, n: usize) -> String {
        self.project_sheet.replace("{n}", &n.to_string())
    }

    /// Why the wording cannot be used (`None` when it can): sheet names
    /// must be unique per project and within Excel's 31 characters.
    pub fn misfit(&self) -> Option<String> {
        if !self.project_sheet.contains("{n}") {
            return Some("[performance] 的 project_sheet 须含 {n}（第几张项目表）".into());
        }
        let longest = self.project_sheet(999).chars().count();
        let department = self.department_sheet.chars().count();
        (longest > 31 || department > 31 || department == 0)
            .then(|| "[performance] 的工作表名须为 1–31 个字（含编号）".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// #14: a label's keys are worked out when it is read, not per look-up.
    #[test]
    fn every_label_keeps_the_key_of_each_of_its_texts() {
        let labels = FormLabels::builtin().unwrap();
        let all = labels.all();
        assert!(all.len() > 30, "{}", all.len());
        for label in all {
            let keys: Vec<String> = label
                .texts()
                .iter()
                .map(|t| form_label_key(t).into_owned())
                .collect();
            assert_eq!(label.keys(), keys.as_slice(), "{:?}", label.texts());
        }
        let l = Label::try_from(vec!["其中：中央财政资金".to_string()]).unwrap();
        assert_eq!(l.keys(), ["中央财政资金"]);
    }

    #[test]
    fn the_forms_file_loads_and_prints_the_first_text() {
        let labels = FormLabels::builtin().unwrap();
        assert_eq!(labels.department.staff_on_roll.text(), "其中:在编人员数");
        assert_eq!(labels.project.local.texts().len(), 4);
        assert!(labels.all().len() > 50);
    }

    #[test]
    fn project_sheets_are_numbered() {
        let w = FormWording {
            department_sheet: "d".into(),
            department_title: "t".into(),
            department_year: "{year}".into(),
            project_sheet: "项目{n}".into(),
            project_title: "t".into(),
            project_year: "{year}".into(),
        };
        assert_eq!(w.project_sheet(12), "项目12");
        assert_eq!(w.misfit(), None);
        let fixed = FormWording {
            project_sheet: "项目".into(),
            ..w
        };
        assert!(fixed.misfit().is_some());
    }
}
