//! What a batch leaves for the bureau: the text report, the summary
//! workbook (`--report`) and the 汇总 of every passing department
//! (`--consolidate`).

use super::batch::{BatchReport, FileReport, FileStatus};
use crate::consolidate::consolidate;
use crate::findings::{Finding, Severity};
use crate::model::{join_cells, Budget};
use crate::spec::Template;
use crate::views::standard_tables;
use crate::write::{write_lists, write_tables, Column, Item, ListSheet};
use std::path::Path;

/// The text report: one line per file (status, department, file, counts
/// or why it could not be read, where its standard workbook went), the
/// paths read once under another path, and the totals.
pub fn text_report(r: &BatchReport) -> String {
    let mut out = String::new();
    for f in &r.files {
        let who = if f.department.is_empty() {
            "-"
        } else {
            f.department.as_str()
        };
        out.push_str(&format!(
            "{}\t{who}\t{}",
            f.status.label(),
            f.file.display()
        ));
        match &f.error {
            Some(e) => out.push_str(&format!("\t{e}")),
            None => out.push_str(&format!(
                "\t错误 {}\t提示 {}",
                f.summary.errors, f.summary.warnings
            )),
        }
        if let Some(x) = &f.exported {
            out.push_str(&format!("\t已写出 {}", x.display()));
        }
        out.push('\n');
    }
    for x in &r.repeated {
        out.push_str(&format!(
            "重复\t-\t{}\t与 {} 是同一文件，只审核一次\n",
            x.file.display(),
            x.same_as.display()
        ));
    }
    let s = &r.summary;
    out.push_str(&format!(
        "合计：{} 个文件，通过 {}，有错误 {}，无法读取 {}；错误 {} 处，提示 {} 处",
        s.files, s.ok, s.with_errors, s.unreadable, s.errors, s.warnings
    ));
    if s.repeated > 0 {
        out.push_str(&format!("；重复给出的路径 {} 个", s.repeated));
    }
    out.push('\n');
    out
}

/// The summary workbook's sheets: 汇总 (one row per file, counts and key
/// totals as numbers, why a file could not be read) and 审核发现 (one row
/// per finding with every cell it names and its 应为/实为, errors first,
/// then by department).
pub fn report_sheets(r: &BatchReport) -> Vec<ListSheet> {
    vec![files_sheet(r), findings_sheet(r)]
}

/// Writes [`report_sheets`] to `path` atomically.
///
/// # Errors
/// [`crate::Error`] when the workbook cannot be written.
pub fn write_report(r: &BatchReport, path: &Path) -> Result<(), crate::Error> {
    write_lists(&report_sheets(r), path)
}

fn files_sheet(r: &BatchReport) -> ListSheet {
    let mut rows: Vec<Vec<Item>> = r.files.iter().map(file_row).collect();
    rows.extend(r.repeated.iter().map(|x| {
        let mut row = vec![
            Item::text(x.file.display().to_string()),
            Item::Empty,
            Item::text("重复"),
        ];
        row.extend(std::iter::repeat_n(Item::Empty, 6));
        row.push(Item::text(format!(
            "与 {} 是同一文件，只审核一次",
            x.same_as.display()
        )));
        row
    }));
    let s = &r.summary;
    let mut total = vec![
        Item::text(format!("合计（{} 个文件）", s.files)),
        Item::Empty,
        Item::text(format!(
            "通过 {}，有错误 {}，无法读取 {}",
            s.ok, s.with_errors, s.unreadable
        )),
        Item::count(s.errors),
        Item::count(s.warnings),
    ];
    total.extend(std::iter::repeat_n(Item::Empty, 5));
    rows.push(total);
    ListSheet {
        name: "汇总".into(),
        title: "部门预算公开审核汇总".into(),
        columns: vec![
            Column::new("文件", 28.0),
            Column::new("部门", 22.0),
            Column::new("状态", 9.0),
            Column::new("错误", 6.0),
            Column::new("提示", 6.0),
            Column::new("收入总计", 11.0),
            Column::new("基本支出", 11.0),
            Column::new("项目支出", 11.0),
            Column::new("三公经费", 10.0),
            Column::new("说明", 34.0),
        ],
        rows,
    }
}

fn file_row(f: &FileReport) -> Vec<Item> {
    let t = &f.totals;
    let (errors, warnings) = if f.status == FileStatus::Unreadable {
        (Item::Empty, Item::Empty)
    } else {
        (
            Item::count(f.summary.errors),
            Item::count(f.summary.warnings),
        )
    };
    let note = match (&f.error, &f.exported) {
        (Some(e), _) => e.clone(),
        (None, Some(x)) => format!("已写出 {}", x.display()),
        (None, None) => String::new(),
    };
    vec![
        Item::text(f.file.display().to_string()),
        Item::text(&f.department),
        Item::text(f.status.label()),
        errors,
        warnings,
        Item::amount(t.income_total),
        Item::amount(t.basic),
        Item::amount(t.project),
        Item::amount(t.three_public),
        Item::text(note),
    ]
}

fn findings_sheet(r: &BatchReport) -> ListSheet {
    let mut found: Vec<(&FileReport, Finding)> = Vec::new();
    for f in &r.files {
        if let Some(e) = &f.error {
            let why = Finding::error("READ-UNREADABLE", format!("无法读取：{e}"), vec![]);
            found.push((f, why));
        }
        found.extend(f.findings.iter().map(|x| (f, x.clone())));
    }
    // Errors first, then by department (unnamed last), then file; a
    // file's own order (reading, then catalog order) is kept.
    found.sort_by(|(a, x), (b, y)| {
        let key = |f: &FileReport, s: Severity| (s, f.department.is_empty(), f.department.clone());
        key(a, x.severity)
            .cmp(&key(b, y.severity))
            .then_with(|| a.file.cmp(&b.file))
    });
    let rows = found
        .iter()
        .map(|(f, x)| {
            vec![
                Item::text(x.severity.label()),
                Item::text(&f.department),
                Item::text(f.file.display().to_string()),
                Item::text(&x.rule),
                Item::text(join_cells(&x.cells, "、")),
                Item::text(&x.message),
                Item::text(x.expected.clone().unwrap_or_default()),
                Item::text(x.found.clone().unwrap_or_default()),
            ]
        })
        .collect();
    ListSheet {
        name: "审核发现".into(),
        title: "审核发现明细（每条发现一行，错误在前）".into(),
        columns: vec![
            Column::new("级别", 6.0),
            Column::new("部门", 16.0),
            Column::new("文件", 20.0),
            Column::new("规则", 14.0),
            Column::new("单元格", 16.0),
            Column::new("说明", 50.0),
            Column::new("应为", 12.0),
            Column::new("实为", 12.0),
        ],
        rows,
    }
}

/// Writes the 汇总 of every passing department in the standard layout
/// (each department once: [`super::batch`] keeps the first of duplicate
/// submissions); returns how many departments it sums.
///
/// # Errors
/// [`crate::Error`] when the workbook cannot be written.
pub fn write_consolidated(
    r: &BatchReport,
    template: &Template,
    out: &Path,
) -> Result<usize, crate::Error> {
    let budgets: Vec<&Budget> = r.files.iter().filter_map(|f| f.budget.as_ref()).collect();
    let sum = consolidate(&budgets);
    let mut tables = standard_tables(&sum, template);
    crate::write::clip_tables(&mut tables);
    write_tables(&tables, sum.year, out)?;
    Ok(budgets.len())
}
