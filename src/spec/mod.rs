//! Template specs as data: which tables a template version has, their
//! titles, header trees, column keys and fixed rows (`templates/*.toml`).
//!
//! The same spec drives reading (a table is located by its title, its
//! columns by their header text) and writing.
//!
//! Each `[[table]]` declares its `role` ([`Role`]: which model facts it
//! shows; the rules find tables by role) on the line after its `layout`.
//! Layouts, roles, scopes and sources deserialize into enums, and column
//! and fixed-row keys are checked against typed word lists
//! ([`ColumnKey`], [`Source`], [`ThreePublicItem`], [`FooterIncome`],
//! [`FooterExpense`], [`ClassCode`]): an unknown word is a template error
//! naming the file and line.
//!
//! Column keys by layout:
//! - `summary` (表1): `in.label`, `in.amount`, `out.label`, `out.total`,
//!   `out.current`, `out.carryover`;
//! - `fiscal_summary` (表4): `in.label`, `in.amount`, `out.label`,
//!   `out.total`, `out.general`, `out.gov_fund`, `out.state_capital`;
//! - `functions` (表2/3/5/8): `code`, `name`, `current`, `src.<source>`,
//!   `carryover`, `total`, `basic`, `project` (spending of `scope`);
//! - `economic` (表6): `name`, `gov_name`, `total`, `personnel`, `public`;
//! - `income_lines` (表7): `code`, `name`, `amount`;
//! - `capital` (表9): `in.code`, `in.name`, `in.amount` beside the
//!   `functions` keys;
//! - `three_public` (表10): `label`, `total`, `src.<fund>` with
//!   `fixed_rows`; or, without `fixed_rows`, one body row whose columns are
//!   the items `total`, `abroad`, `reception`, `vehicle`,
//!   `vehicle_purchase`, `vehicle_operation` of the `scope` fund (the
//!   Ministry of Finance's 一般公共预算"三公"经费支出表);
//! - `operating_costs` (表11): `unit`, `total`, `src.<fund>`;
//! - `projects` (表12/13): `name`, `total`, `src.<source>`.
//!
//! Sources are `general`, `gov_fund`, `state_capital`, `special`, `unit`
//! (2025-style) and `business`, `operating`, `other` (事业收入,
//! 事业单位经营收入, 其他收入 of older layouts). A template's
//! `[[source_map]]` says where amounts of a source it has no column for go
//! when converting into it (see [`SourceMove`]).

mod column_key;
mod economic_classes;
mod facts;
mod fixed_rows;
mod forms;
mod function_codes;
mod layout;
mod memo;
mod role;
mod vocabulary;
mod words;

pub use column_key::ColumnKey;
pub use economic_classes::{economic_code, gov_economic_name};
pub use facts::fact_name;
pub use fixed_rows::{FixedRow, FooterRow, Wording};
pub use forms::{
    DepartmentLabels, FormLabels, FormWidths, FormWording, IndicatorLabels, Label, ProjectLabels,
    TitleWords,
};
pub use function_codes::function_codes;
pub use layout::Layout;
pub use memo::SpecMemo;
pub use role::Role;

pub use words::{
    ClassCode, FooterExpense, FooterIncome, Fund, IncomeRow, Scope, Source, ThreePublicItem,
};

use crate::error::Error;
use serde::Deserialize;
use std::path::Path;

/// The spec of one published table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableSpec {
    /// Stable id (`t1` … `t13`).
    pub id: String,
    /// Sheet name used when writing.
    pub sheet: String,
    /// Title, with `{year}` for the budget year.
    pub title: String,
    /// Other titles the table may be filed under (another edition of the
    /// same template: sh-2026's 单位 version says 预算单位… for 部门…).
    #[serde(default)]
    pub other_titles: Vec<String>,
    /// Body layout.
    pub layout: Layout,
    /// Which model facts the table shows (the rules find it by this).
    pub role: Role,
    /// Spending scope of a `functions`/`capital` table, the fund of a
    /// one-row `three_public` table.
    #[serde(default)]
    pub scope: Option<Scope>,
    /// Income source of an `income_lines` table.
    #[serde(default)]
    pub source: Option<Source>,
    /// Header rows; `<` merges left, `^` merges up.
    pub header: Vec<Vec<String>>,
    /// One key per column.
    pub columns: Vec<ColumnKey>,
    /// A 栏次 row (1, 2, 3 …) under the header.
    #[serde(default)]
    pub numbering: bool,
    /// 表13: projects financed by carry-over.
    #[serde(default)]
    pub carryover: bool,
    /// Fixed income rows (表1/表4).
    #[serde(default)]
    pub income_rows: Vec<FixedRow<IncomeRow>>,
    /// Fixed expenditure rows by 类 code (表1/表4).
    #[serde(default)]
    pub expense_rows: Vec<FixedRow<ClassCode>>,
    /// Footer rows (表1/表4).
    #[serde(default)]
    pub footer_rows: Vec<FooterRow>,
    /// Fixed rows (表10).
    #[serde(default)]
    pub fixed_rows: Vec<FixedRow<ThreePublicItem>>,
    /// Label of the total row (表11: 部门合计).
    #[serde(default)]
    pub total_label: Option<String>,
    /// The unit of this table's amounts when it is not the template's
    /// (`"万元"` for sh-2026's "三公" table among tables in 元).
    #[serde(default)]
    pub unit: Option<String>,
    /// Function-line and economic tables: the 合计 row is written after
    /// the lines (sh-2026), not first.
    #[serde(default)]
    pub total_last: bool,
    /// 表1/表4: only the 类 with amounts are written, numbered 一、二、…
    /// in code order (sh-2026), instead of every `expense_rows` entry.
    #[serde(default)]
    pub present_classes: bool,
    /// The note under the table when it has no data, with `{year}`
    /// (default 注：本表无数据).
    #[serde(default)]
    pub empty_note: Option<String>,
    /// What reading derives from this spec, worked out once (every
    /// workbook read locates the table by its title and maps its columns
    /// by its header paths).
    #[serde(skip)]
    pub(crate) memo: SpecMemo,
}

/// A merged (or single) header cell resolved from the marker grid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderCell {
    /// Text with `{year}` filled in.
    pub text: String,
    /// First row (0-based within the header).
    pub row: usize,
    /// First column.
    pub col: usize,
    /// Last row (inclusive).
    pub last_row: usize,
    /// Last column (inclusive).
    pub last_col: usize,
}

impl TableSpec {
    /// The title for a year.
    pub fn title_for(&self, year: i32) -> String {
        self.title.replace("{year}", &year.to_string())
    }

    /// The title as people say it, without the year (`预算收支总表`).
    pub fn title_without_year(&self) -> String {
        without_year(&self.title)
    }

    /// Index of a column key.
    pub fn col(&self, key: ColumnKey) -> Option<usize> {
        self.columns.iter().position(|c| *c == key)
    }

    /// True when the table has the column.
    pub fn has(&self, key: ColumnKey) -> bool {
        self.columns.contains(&key)
    }

    /// The note under the table when it has no data, for `year`.
    pub fn empty_note_for(&self, year: i32) -> String {
        self.empty_note.as_deref().map_or_else(
            || NO_DATA_NOTE.to_string(),
            |n| n.replace("{year}", &year.to_string()),
        )
    }

    /// Header cells with their merge extents, for one year.
    pub fn header_cells(&self, year: i32) -> Vec<HeaderCell> {
        let y = year.to_string();
        let mut cells = Vec::new();
        for (r, row) in self.header.iter().enumerate() {
            for (c, text) in row.iter().enumerate() {
                if text == "<" || text == "^" {
                    continue;
                }
                let mut last_col = c;
                while row.get(last_col + 1).is_some_and(|t| t == "<") {
                    last_col += 1;
                }
                let mut last_row = r;
                while self
                    .header
                    .get(last_row + 1)
                    .and_then(|next| next.get(c))
                    .is_some_and(|t| t == "^")
                {
                    last_row += 1;
                }
                cells.push(HeaderCell {
                    text: text.replace("{year}", &y),
                    row: r,
                    col: c,
                    last_row,
                    last_col,
                });
            }
        }
        cells
    }

    /// For each column, the header texts from top to bottom with merges
    /// resolved (what a reader sees after forward-filling merged cells).
    /// `{year}` is left in place.
    pub fn column_paths(&self) -> &[Vec<String>] {
        self.memo
            .column_paths
            .get_or_init(|| self.resolve_column_paths())
    }

    fn resolve_column_paths(&self) -> Vec<Vec<String>> {
        let width = self.columns.len();
        let height = self.header.len();
        let mut grid = vec![vec![String::new(); width]; height];
        for (r, row) in self.header.iter().enumerate() {
            for (c, text) in row.iter().enumerate().take(width) {
                let resolved = match text.as_str() {
                    "<" if c > 0 => grid[r][c - 1].clone(),
                    "^" if r > 0 => grid[r - 1][c].clone(),
                    t => t.to_string(),
                };
                grid[r][c] = resolved;
            }
        }
        (0..width)
            .map(|c| {
                let mut path: Vec<String> = Vec::new();
                for row in &grid {
                    if path.last() != Some(&row[c]) {
                        path.push(row[c].clone());
                    }
                }
                path
            })
            .collect()
    }

    fn check(&self, file: &str) -> Result<(), Error> {
        let bad = |message: String| Error::Template {
            file: file.to_string(),
            message: format!("表 {}：{}", self.id, message),
        };
        if self.header.is_empty() {
            return Err(bad("缺少表头（header）".into()));
        }
        for (i, row) in self.header.iter().enumerate() {
            if row.len() != self.columns.len() {
                return Err(bad(format!(
                    "表头第{}行有{}格，应与 columns 的{}列一致",
                    i + 1,
                    row.len(),
                    self.columns.len()
                )));
            }
            if row.first().is_some_and(|t| t == "<") {
                return Err(bad(format!("表头第{}行首格不能是 \"<\"", i + 1)));
            }
            if i == 0 && row.iter().any(|t| t == "^") {
                return Err(bad("表头第1行不能有 \"^\"".into()));
            }
        }
        if self.layout == Layout::ThreePublic && self.scope == Some(Scope::All) {
            return Err(bad(
                "“三公”表的 scope 应为一种财政拨款资金（general、gov_fund、state_capital）".into(),
            ));
        }
        if self.layout == Layout::ThreePublic && self.fixed_rows.is_empty() && self.scope.is_none()
        {
            return Err(bad(
                "没有 fixed_rows 的“三公”表须以 scope 指明资金（如 general）".into(),
            ));
        }
        Ok(())
    }
}

/// Where amounts of an income source the template has no column for go
/// when a submission is converted into this template: a documented default
/// mapping, reported as a warning for every amount moved.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceMove {
    /// The source without a column here (`special`, `unit`, …).
    pub from: Source,
    /// The source of this template that receives the amounts.
    pub to: Source,
    /// Why, in Chinese; quoted in the warning.
    pub why: String,
}

/// A template version: its tables in published order.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    /// Template id, e.g. `sx-2025`.
    pub id: String,
    /// One-line description.
    pub description: String,
    /// Unit of the published amounts (`万元` or `元`; a table may say
    /// otherwise with its own `unit`).
    pub unit: String,
    /// The label before the department's name above each table
    /// (default 部门名称; sh-2026 编制部门).
    #[serde(default)]
    pub department_label: Option<String>,
    /// False when the tables have no caption line above the title (the
    /// sheet name, 预算公开表1); default true.
    #[serde(default = "yes")]
    pub captions: bool,
    /// True when a submission must carry the performance-target forms
    /// (整体支出绩效目标申报表 and one 项目支出绩效目标表 per 表12 project):
    /// the fill-in workbook then includes them and PF-MISSING requires them.
    #[serde(default)]
    pub performance_forms: bool,
    /// The issuing bureau's wording of the performance forms (titles,
    /// sheets); without it the forms are not printed.
    #[serde(default)]
    pub performance: Option<FormWording>,
    /// Labels and layout of the performance forms
    /// (`templates/performance-forms.toml`).
    #[serde(skip)]
    pub forms: FormLabels,
    /// Default mapping of the sources this template has no column for.
    #[serde(default)]
    pub source_map: Vec<SourceMove>,
    /// Tables in published order.
    #[serde(rename = "table")]
    pub tables: Vec<TableSpec>,
}

/// A title of a template with its `{year}` (and the 年 after it) left out.
pub fn without_year(title: &str) -> String {
    title.replace("{year}年", "").replace("{year}", "")
}

/// The key of a summary income row showing 财政拨款收入 (一般公共预算 +
/// 政府性基金 + 国有资本经营).
pub const FISCAL_ROW: &str = "fiscal";

/// The note under a table without data, unless its spec says otherwise.
pub const NO_DATA_NOTE: &str = "注：本表无数据";

fn yes() -> bool {
    true
}

/// Built-in template files, embedded so the binary works from anywhere.
const BUILTIN: &[(&str, &str)] = &[
    ("sx-2025", include_str!("../../templates/sx-2025.toml")),
    ("sx-2023", include_str!("../../templates/sx-2023.toml")),
    ("mof-9", include_str!("../../templates/mof-9.toml")),
    ("sh-2026", include_str!("../../templates/sh-2026.toml")),
];

impl Template {
    /// Parses a template from TOML text; `file` names it in errors. Every
    /// column key, scope, source and fixed-row key must be a word of the
    /// table's layout (see the module docs), else the error names the line.
    pub fn from_toml(text: &str, file: &str) -> Result<Template, Error> {
        let bad = |message: String| Error::Template {
            file: file.to_string(),
            message,
        };
        // A column key is checked against its table's layout first, so a
        // typo is named with the words that layout understands: the file's
        // column lists are read again only when it does not read.
        let mut t: Template = match toml::from_str(text) {
            Ok(t) => t,
            Err(e) => {
                vocabulary::check_columns(text, file)?;
                return Err(bad(e.to_string()));
            }
        };
        for table in &t.tables {
            vocabulary::check_layout_columns(table, text, file)?;
        }
        t.forms = FormLabels::builtin()?;
        match &t.performance {
            None if t.performance_forms => return Err(bad(
                "performance_forms = true 须有 [performance] 一节（绩效目标表的标题与工作表名）"
                    .into(),
            )),
            Some(wording) => {
                if let Some(why) = wording.misfit() {
                    return Err(bad(why));
                }
            }
            None => {}
        }
        // Several tables may share a role (a second general-budget table);
        // the rules look at the first.
        for table in &t.tables {
            table.check(file)?;
            vocabulary::check_table(table, text, file)?;
        }
        t.check_sources(file)?;
        Ok(t)
    }

    /// The income sources this template shows (a `src.<key>` column or a
    /// summary income row), in [`Source::ALL`] order.
    pub fn sources(&self) -> Vec<Source> {
        Source::ALL
            .iter()
            .copied()
            .filter(|s| {
                let col = ColumnKey::of_source(*s);
                self.tables.iter().any(|t| {
                    t.has(col) || t.income_rows.iter().any(|r| r.1 == IncomeRow::Source(*s))
                })
            })
            .collect()
    }

    /// Where amounts of `source` go in this template: itself when the
    /// template shows it, the `[[source_map]]` entry otherwise.
    pub fn source_target(&self, source: Source) -> Option<&SourceMove> {
        self.source_map.iter().find(|m| m.from == source)
    }

    fn check_sources(&self, file: &str) -> Result<(), Error> {
        let bad = |message: String| Error::Template {
            file: file.to_string(),
            message,
        };
        let mine = self.sources();
        for m in &self.source_map {
            if mine.contains(&m.from) {
                return Err(bad(format!(
                    "source_map 的 from“{}”应为本模板没有的资金来源",
                    m.from
                )));
            }
            if !mine.contains(&m.to) {
                let words: Vec<&str> = mine.iter().map(|s| s.as_str()).collect();
                return Err(bad(format!(
                    "source_map 的 to“{}”不是本模板的资金来源（{}）",
                    m.to,
                    words.join("、")
                )));
            }
        }
        Ok(())
    }

    /// Loads a template from a `.toml` file.
    pub fn from_path(path: &Path) -> Result<Template, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Template::from_toml(&text, &path.display().to_string())
    }

    /// A built-in template by id (`sx-2025` …), or a path to a `.toml` file.
    pub fn load(id_or_path: &str) -> Result<Template, Error> {
        if let Some((_, text)) = BUILTIN.iter().find(|(id, _)| *id == id_or_path) {
            return Template::from_toml(text, &format!("templates/{id_or_path}.toml"));
        }
        let path = Path::new(id_or_path);
        if path.extension().is_some_and(|e| e == "toml") && path.exists() {
            return Template::from_path(path);
        }
        Err(Error::UnknownTemplate {
            id: id_or_path.to_string(),
            known: Template::builtin_ids().join(", "),
        })
    }

    /// Ids of the built-in templates.
    pub fn builtin_ids() -> Vec<&'static str> {
        BUILTIN.iter().map(|(id, _)| *id).collect()
    }

    /// The unit of `table`'s amounts: its own, else the template's.
    pub fn table_unit<'a>(&'a self, table: &'a TableSpec) -> &'a str {
        table.unit.as_deref().unwrap_or(&self.unit)
    }

    /// True when `table`'s amounts are published in 元 (they are kept
    /// in 万元 in the model: ×10,000 to publish).
    pub fn in_yuan(&self, table: &TableSpec) -> bool {
        self.table_unit(table) == "元"
    }

    /// The label before the department's name above each table.
    pub fn department_label(&self) -> &str {
        self.department_label.as_deref().unwrap_or("部门名称")
    }

    /// The spec of a table by id.
    pub fn table(&self, id: &str) -> Option<&TableSpec> {
        self.tables.iter().find(|t| t.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_templates_load() {
        for id in Template::builtin_ids() {
            let t = Template::load(id).unwrap();
            assert_eq!(t.id, id);
            assert!(t.tables.len() >= 9);
        }
    }

    #[test]
    fn header_markers_become_merges_and_paths() {
        let t = Template::load("sx-2025").unwrap();
        let t2 = t.table("t2").unwrap();
        let cells = t2.header_cells(2025);
        let income = cells.iter().find(|c| c.text == "本年收入").unwrap();
        assert_eq!(
            (income.row, income.col, income.last_row, income.last_col),
            (0, 2, 0, 7)
        );
        let carry = cells.iter().find(|c| c.text == "上年结转").unwrap();
        assert_eq!((carry.last_row, carry.last_col), (1, 8));
        let paths = t2.column_paths();
        assert_eq!(
            paths[3],
            vec!["本年收入".to_string(), "一般公共预算".to_string()]
        );
        assert_eq!(paths[8], vec!["上年结转".to_string()]);
    }

    #[test]
    fn a_header_row_of_the_wrong_width_names_the_table() {
        let text = r#"
id = "x"
description = "x"
unit = "万元"
[[table]]
id = "t3"
sheet = "s"
title = "t"
layout = "functions"
role = "spending"
scope = "all"
header = [["a", "b"]]
columns = ["code"]
"#;
        let err = Template::from_toml(text, "x.toml").unwrap_err().to_string();
        assert!(
            err.contains("x.toml") && err.contains("t3") && err.contains("第1行"),
            "{err}"
        );
    }
}
