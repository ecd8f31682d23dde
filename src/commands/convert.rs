//! `budgetkit convert`: read a submission in one template version and write
//! it in another — `read(spec A) → model → views → write(spec B)`.
//!
//! Three things a conversion must say out loud:
//! - which version it read with (detected from the titles and headers
//!   unless `--from` names it);
//! - every amount moved between income sources by the target template's
//!   documented default mapping (`[[source_map]]`), as a warning naming the
//!   cell it came from;
//! - every target table the source version cannot fill, as an error (the
//!   output is withheld unless `--force`, and then the table carries a note).

use super::detect::detect_template;
use super::export::write_unless_errors;
use super::Outcome;
use crate::error::Error;
use crate::findings::Finding;
use crate::model::{two_decimals, Amount, Budget, CellRef, Source, Sources};
use crate::read::{read_json, read_sheets, read_workbook};
use crate::spec::{fact_name, Template};
use crate::views::standard_tables;
use std::path::Path;

/// Options of [`convert`].
#[derive(Debug, Clone)]
pub struct ConvertOptions<'a> {
    /// Template the output is written in.
    pub to: &'a Template,
    /// Template the input is read with; detected when `None`.
    pub from: Option<&'a Template>,
    /// Write even with error findings (unsupplied tables are then written
    /// with a note saying what is missing).
    pub force: bool,
}

/// What [`convert`] did.
#[derive(Debug, Clone)]
pub struct Converted {
    /// Findings and whether output was withheld.
    pub outcome: Outcome,
    /// Id of the template the input was read with.
    pub from: String,
    /// True when that template was detected rather than given.
    pub detected: bool,
}

impl Converted {
    /// Which templates were read and written, for the user:
    /// `来源模板：sx-2025（自动识别）；目标模板：sx-2023`.
    pub fn templates_note(&self, to: &Template) -> String {
        let how = if self.detected {
            "（自动识别）"
        } else {
            ""
        };
        format!("来源模板：{}{how}；目标模板：{}", self.from, to.id)
    }
}

/// Converts `input` (workbook or JSON model) into `opts.to` at `output`.
///
/// # Errors
/// [`Error`] when the input is unreadable or the output cannot be written.
pub fn convert(input: &Path, output: &Path, opts: &ConvertOptions<'_>) -> Result<Converted, Error> {
    crate::write::refuse_input(output, &[input])?;
    let is_json = crate::read::is_json(input);
    let (sub, source, detected) = if is_json {
        let sub = read_json(input)?;
        let source = match opts.from {
            Some(t) => Some(t.clone()),
            None => Template::load(&sub.budget.template).ok(),
        };
        (sub, source, opts.from.is_none())
    } else {
        let sheets = read_sheets(input)?;
        let (template, detected) = match opts.from {
            Some(t) => (t.clone(), false),
            None => (detect_template(&sheets)?.0, true),
        };
        let sub = read_workbook(&sheets, &template, input)?;
        (sub, Some(template), detected)
    };
    let from = source
        .as_ref()
        .map_or_else(|| sub.budget.template.clone(), |t| t.id.clone());
    // The submission is validated as read, before any remapping.
    let mut findings = match &source {
        Some(t) => super::check(&sub, t)?,
        None => sub.findings.clone(),
    };
    let mut budget = sub.budget;
    let tables = tables_in(&mut budget, source.as_ref(), &from, opts.to, &mut findings);
    let outcome = write_unless_errors(findings, tables, opts.to, budget.year, output, opts.force)?;
    Ok(Converted {
        outcome,
        from,
        detected,
    })
}

/// The tables of `budget` laid out in template `to` (with the performance
/// forms), as `convert` and `export` write them: the amounts of sources `to`
/// has no column for move where its `[[source_map]]` says (a warning each),
/// and each table `from` cannot fill is an error finding and carries a note.
pub(crate) fn tables_in(
    budget: &mut Budget,
    source: Option<&Template>,
    from: &str,
    to: &Template,
    findings: &mut Vec<Finding>,
) -> Vec<crate::views::Table> {
    let missing = unsupplied_tables(source, to);
    for gap in &missing {
        findings.push(gap.finding(from, to));
    }
    findings.extend(dropped_facts(source, to).into_iter().map(|fact| {
        Finding::warning(
            "CONVERT-FACT-DROPPED",
            format!(
                "源模板 {from} 的{}在目标模板 {} 中没有对应的表，转换结果不再列出",
                fact_name(&fact),
                to.id
            ),
            vec![],
        )
    }));
    findings.extend(remap_sources(budget, to));
    budget.template = to.id.clone();
    let mut tables = standard_tables(budget, to);
    for (table, spec) in tables.iter_mut().zip(&to.tables) {
        if let Some(gap) = missing.iter().find(|g| g.table == spec.id) {
            table.note = Some(format!(
                "注：源模板 {from} 未提供本表所需的{}，请补充",
                gap.facts_text()
            ));
        }
    }
    tables.extend(crate::views::performance_tables(budget, to));
    tables
}

/// A target table the source template cannot fill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    /// Target table id.
    pub table: String,
    /// Its sheet name.
    pub sheet: String,
    /// Its title (without the year).
    pub title: String,
    /// The facts it shows that no source table supplies.
    pub facts: Vec<String>,
}

impl Gap {
    fn facts_text(&self) -> String {
        self.facts
            .iter()
            .map(|f| fact_name(f))
            .collect::<Vec<_>>()
            .join("、")
    }

    fn finding(&self, from: &str, to: &Template) -> Finding {
        Finding::error(
            "CONVERT-TABLE-MISSING",
            format!(
                "目标模板 {} 的{}“{}”需要{}，源模板 {from} 没有提供这些数据的表；补齐后重试，或加 --force 写出（该表注明待补充）",
                to.id,
                self.sheet,
                self.title,
                self.facts_text()
            ),
            vec![],
        )
        .with_values(self.facts_text(), "无")
    }
}

/// The tables of `to` that `from` cannot supply. With no source template
/// (a JSON model of unknown origin) every fact counts as supplied.
pub fn unsupplied_tables(from: Option<&Template>, to: &Template) -> Vec<Gap> {
    let Some(from) = from else {
        return Vec::new();
    };
    let supplied: Vec<String> = from
        .tables
        .iter()
        .flat_map(|t| crate::kinds::kind_of(t).supplies(t))
        .collect();
    to.tables
        .iter()
        .filter_map(|spec| {
            let facts: Vec<String> = crate::kinds::kind_of(spec)
                .needs(spec)
                .into_iter()
                .filter(|f| !supplied.contains(f))
                .collect();
            (!facts.is_empty()).then(|| Gap {
                table: spec.id.clone(),
                sheet: spec.sheet.clone(),
                title: spec.title_without_year(),
                facts,
            })
        })
        .collect()
}

/// The facts `from`'s tables show that no table of `to` shows (sx-2025's
/// projects and income lines have no sh-2026 table): converting drops
/// them, which is said, never silent.
pub fn dropped_facts(from: Option<&Template>, to: &Template) -> Vec<String> {
    let Some(from) = from else {
        return Vec::new();
    };
    let facts = |t: &Template| -> Vec<String> {
        t.tables
            .iter()
            .flat_map(|spec| crate::kinds::kind_of(spec).supplies(spec))
            .collect()
    };
    let kept = facts(to);
    let mut dropped: Vec<String> = facts(from)
        .into_iter()
        .filter(|f| !kept.contains(f))
        .collect();
    dropped.dedup();
    dropped
}

/// Moves amounts of sources `to` has no column for into the source its
/// `[[source_map]]` names, one warning per amount moved (an error when the
/// template has no mapping for it, since the amount would vanish).
pub fn remap_sources(budget: &mut Budget, to: &Template) -> Vec<Finding> {
    let shown = to.sources();
    let mut findings = Vec::new();
    let mut visit = |place: String, sources: &mut Sources| {
        for &key in Source::ALL {
            if shown.contains(&key) {
                continue;
            }
            let Some(moved) = sources.slot(key).take() else {
                continue;
            };
            let cells: Vec<CellRef> = moved.at.iter().map(|p| p.reference()).collect();
            let value = two_decimals(moved.value);
            let Some(rule) = to.source_target(key) else {
                findings.push(
                    Finding::error(
                        "CONVERT-SOURCE-UNMAPPED",
                        format!(
                            "{place}的{} {value} 在模板 {} 中没有对应的列，也没有默认对应（source_map），无法写出",
                            key.name(),
                            to.id
                        ),
                        cells,
                    )
                    .with_values("模板中的资金来源", key.name()),
                );
                continue;
            };
            findings.push(
                Finding::warning(
                    "CONVERT-SOURCE-MAPPED",
                    format!(
                        "{place}的{} {value} 按默认对应计入{}：{}",
                        key.name(),
                        rule.to.name(),
                        rule.why
                    ),
                    cells,
                )
                .with_values(
                    format!("{} {value}", rule.to.name()),
                    format!("{} {value}", key.name()),
                ),
            );
            let slot = sources.slot(rule.to);
            *slot = Some(match slot.take() {
                Some(existing) => Amount {
                    value: crate::model::plus(existing.value, moved.value),
                    at: existing.at.or(moved.at),
                },
                None => moved,
            });
        }
    };
    visit("收入合计".to_string(), &mut budget.functions.total.income);
    for line in &mut budget.functions.lines {
        visit(
            format!("科目 {} {}", line.code, line.name),
            &mut line.income,
        );
    }
    for p in &mut budget.projects {
        visit(format!("项目“{}”", p.name), &mut p.sources);
    }
    for p in &mut budget.carryover_projects {
        visit(format!("上年结转项目“{}”", p.name), &mut p.sources);
    }
    visit("上年财政拨款结转".to_string(), &mut budget.fiscal_carryover);
    for (item, s) in budget.three_public.items_mut() {
        visit(item.name().to_string(), s);
    }
    for u in &mut budget.operating_costs {
        visit(format!("{}机关运行经费", u.unit), &mut u.funds);
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    #[test]
    fn unit_funds_become_other_income_in_the_2023_layout_with_a_warning() {
        let to = Template::load("sx-2023").unwrap();
        let mut b = Budget::default();
        b.functions.total.income.unit = Some(Amount::read(
            Decimal::new(1200, 2),
            crate::model::Provenance {
                sheet: "预算公开表2".into(),
                cell: crate::model::A1::new(5, 7),
                text: "12".into(),
            },
        ));
        b.functions.total.income.special = Some(Amount::new(Decimal::new(300, 2)));
        b.functions.total.income.business = Some(Amount::new(Decimal::new(100, 2)));
        let f = remap_sources(&mut b, &to);
        assert_eq!(f.len(), 2, "{f:?}");
        assert!(
            f[0].message.contains("财政专户管理资金 3.00") && f[0].message.contains("事业收入")
        );
        assert_eq!(f[1].cells, vec!["预算公开表2!H6".to_string()]);
        let inc = &b.functions.total.income;
        assert_eq!(inc.business.as_ref().unwrap().value, Decimal::new(400, 2));
        assert_eq!(inc.other.as_ref().unwrap().value, Decimal::new(1200, 2));
        assert!(inc.unit.is_none() && inc.special.is_none());
    }

    #[test]
    fn the_nine_table_set_cannot_supply_projects_or_operating_costs() {
        let from = Template::load("mof-9").unwrap();
        let to = Template::load("sx-2025").unwrap();
        let gaps: Vec<String> = unsupplied_tables(Some(&from), &to)
            .into_iter()
            .map(|g| g.table)
            .collect();
        assert_eq!(gaps, ["t7", "t9", "t10", "t11", "t12", "t13"]);
        assert!(unsupplied_tables(Some(&to), &from).is_empty());
        let sx23 = Template::load("sx-2023").unwrap();
        assert!(unsupplied_tables(Some(&to), &sx23).is_empty());
        assert!(unsupplied_tables(Some(&sx23), &to).is_empty());
    }
}
