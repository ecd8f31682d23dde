//! `validate --annotate`: the department's own workbook comes back with
//! every sheet, style, formula, merge, validation and protection as it
//! came, the flagged cells highlighted and noted, and a first sheet
//! 审核结果 linking to them; and the #13 inputs that broke the old
//! regenerating writer.

mod common;

use budgetkit::annotate::{write_annotated, Made, FINDINGS_SHEET};
use budgetkit::commands::{validate, Report, ValidateOptions};
use budgetkit::findings::Finding;
use budgetkit::model::CellRef;
use budgetkit::read::{RawCell, Sheet, Span};
use budgetkit::spec::Template;
use budgetkit::write::split_reference;
use calamine::{open_workbook_auto, Data, Reader};
use common::book::Book;
use common::parts::{part_text, read_parts, write_parts};
use common::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn template() -> Template {
    Template::load("sx-2025").unwrap()
}

fn annotate(input: &Path, out: &Path) -> Report {
    let template = template();
    let opts = ValidateOptions {
        template: &template,
        annotate: Some(out),
    };
    validate(input, &opts).unwrap()
}

/// Every match of `<tag …>…</tag>` or `<tag …/>` in `xml`, in order.
fn elements(xml: &str, tag: &str) -> Vec<String> {
    let open = format!("<{tag}");
    let close = format!("</{tag}>");
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find(&open) {
        let tail = &rest[i..];
        let after = tail.as_bytes().get(open.len()).copied();
        if !matches!(after, Some(b' ' | b'>' | b'/')) {
            rest = &tail[open.len()..];
            continue;
        }
        let head_end = tail.find('>').unwrap() + 1;
        let end = if tail[..head_end].ends_with("/>") {
            head_end
        } else {
            tail.find(&close).map_or(head_end, |j| j + close.len())
        };
        out.push(tail[..end].to_string());
        rest = &tail[end..];
    }
    out
}

/// The sample's numbers in the fill-in workbook, with one input of 表3
/// changed at zip level (its cached totals left stale, as a script would).
fn filled_and_perturbed(dir: &Path) -> PathBuf {
    let filled = filled_fill_in(dir);
    let names = open_workbook_auto(&filled).unwrap().sheet_names();
    let index = names.iter().position(|n| n == "预算公开表3").unwrap();
    let part = format!("xl/worksheets/sheet{}.xml", index + 1);
    let mut parts = read_parts(&filled);
    let xml = part_text(&parts, &part);
    // The first typed number of the body: an input cell (no formula).
    let cell = elements(&xml, "c")
        .into_iter()
        .find(|c| {
            !c.contains("<f>") && !c.contains(" t=") && c.contains("<v>") && !c.contains("<v>0<")
        })
        .unwrap();
    let changed = cell.replace("<v>", "<v>1");
    let xml = xml.replacen(&cell, &changed, 1);
    for (n, d) in &mut parts {
        if *n == part {
            *d = xml.clone().into_bytes();
        }
    }
    let out = dir.join("perturbed.xlsx");
    write_parts(&out, &parts);
    out
}

/// The worksheet parts by sheet name.
fn sheet_parts(path: &Path) -> BTreeMap<String, String> {
    let parts = read_parts(path);
    let workbook = part_text(&parts, "xl/workbook.xml");
    let rels = part_text(&parts, "xl/_rels/workbook.xml.rels");
    let mut out = BTreeMap::new();
    for sheet in elements(&workbook, "sheet") {
        let attr = |k: &str| {
            let at = sheet.find(&format!(" {k}=\"")).unwrap() + k.len() + 3;
            sheet[at..].split('"').next().unwrap().to_string()
        };
        let (name, rid) = (attr("name"), attr("r:id"));
        let rel = elements(&rels, "Relationship")
            .into_iter()
            .find(|r| r.contains(&format!("Id=\"{rid}\"")))
            .unwrap();
        let target = rel
            .split("Target=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        let target = target.trim_start_matches('/').trim_start_matches("xl/");
        out.insert(name, part_text(&parts, &format!("xl/{target}")));
    }
    out
}

/// Distinct flagged cells by sheet.
fn flagged(findings: &[Finding]) -> BTreeMap<String, BTreeSet<(u32, u32)>> {
    let mut out: BTreeMap<String, BTreeSet<(u32, u32)>> = BTreeMap::new();
    for f in findings {
        for c in f.cells.iter().map(ToString::to_string) {
            let (s, r, col) = split_reference(&c).unwrap();
            out.entry(s.to_string()).or_default().insert((r, col));
        }
    }
    out
}

#[test]
fn the_annotated_fill_in_workbook_keeps_formulas_protection_validations_and_styles() {
    let dir = tempdir();
    let input = filled_and_perturbed(dir.path());
    let out = dir.path().join("annotated.xlsx");
    let report = annotate(&input, &out);
    assert!(!report.findings.is_empty());
    let annotation = report.annotation.clone().unwrap();
    assert!(!annotation.failed, "{}", annotation.message);
    let before = sheet_parts(&input);
    let after = sheet_parts(&out);
    assert_eq!(after.len(), before.len() + 1);
    let mut formulas = 0;
    for (name, xml) in &before {
        let patched = &after[name];
        for tag in [
            "f",
            "sheetProtection",
            "dataValidations",
            "mergeCells",
            "cols",
        ] {
            assert_eq!(
                elements(xml, tag),
                elements(patched, tag),
                "{name}: <{tag}>"
            );
        }
        formulas += elements(xml, "f").len();
    }
    assert!(formulas > 100);
    // The department's formats are a prefix of the annotated ones.
    let styles = |p: &Path| part_text(&read_parts(p), "xl/styles.xml");
    let (old, new) = (styles(&input), styles(&out));
    for tag in ["cellXfs", "fonts", "fills", "borders", "numFmts"] {
        let items = |xml: &str| {
            elements(xml, tag)
                .first()
                .map(|e| {
                    e[e.find('>').unwrap() + 1..]
                        .trim_end_matches(&format!("</{tag}>"))
                        .to_string()
                })
                .unwrap_or_default()
        };
        assert!(items(&new).starts_with(&items(&old)), "<{tag}> changed");
    }
    // One note per flagged cell, on its own sheet.
    let parts = read_parts(&out);
    let comments: String = parts
        .iter()
        .filter(|(n, _)| n.starts_with("xl/comments"))
        .map(|(_, d)| String::from_utf8_lossy(d).into_owned())
        .collect();
    let flagged = flagged(&report.findings);
    let total: usize = flagged.values().map(BTreeSet::len).sum();
    assert_eq!(elements(&comments, "comment").len(), total);
    // Each sheet with notes relates to its comments and its drawing.
    for (name, xml) in sheet_parts(&out) {
        if !flagged.contains_key(&name) {
            continue;
        }
        assert!(xml.contains("<legacyDrawing "), "{name}");
    }
    let rels: String = parts
        .iter()
        .filter(|(n, _)| n.starts_with("xl/worksheets/_rels/"))
        .map(|(_, d)| String::from_utf8_lossy(d).into_owned())
        .collect();
    let sheets_with_notes = flagged.keys().filter(|s| *s != FINDINGS_SHEET).count();
    assert_eq!(
        rels.matches("/relationships/comments\"").count(),
        sheets_with_notes
    );
    assert_eq!(
        rels.matches("/relationships/vmlDrawing\"").count(),
        sheets_with_notes
    );
}

#[test]
fn the_annotated_workbook_reads_back_with_every_value_unchanged() {
    let dir = tempdir();
    let input = filled_and_perturbed(dir.path());
    let out = dir.path().join("annotated.xlsx");
    annotate(&input, &out);
    let mut a = open_workbook_auto(&input).unwrap();
    let mut b = open_workbook_auto(&out).unwrap();
    let names = a.sheet_names();
    assert_eq!(b.sheet_names()[0], FINDINGS_SHEET);
    assert_eq!(&b.sheet_names()[1..], &names[..]);
    for name in &names {
        let (ra, rb) = (
            a.worksheet_range(name).unwrap(),
            b.worksheet_range(name).unwrap(),
        );
        let cells = |r: &calamine::Range<Data>| -> Vec<(usize, usize, Data)> {
            r.used_cells().map(|(x, y, v)| (x, y, v.clone())).collect()
        };
        assert_eq!(ra.start(), rb.start(), "{name}");
        assert_eq!(cells(&ra), cells(&rb), "{name}");
    }
}

#[test]
fn the_findings_sheet_is_first_and_links_to_the_flagged_cells() {
    let dir = tempdir();
    let input = filled_and_perturbed(dir.path());
    let out = dir.path().join("annotated.xlsx");
    let report = annotate(&input, &out);
    let parts = read_parts(&out);
    let workbook = part_text(&parts, "xl/workbook.xml");
    let first = elements(&workbook, "sheet").remove(0);
    assert!(
        first.contains(&format!("name=\"{FINDINGS_SHEET}\"")),
        "{first}"
    );
    let summary = &sheet_parts(&out)[FINDINGS_SHEET];
    let links: BTreeSet<String> = elements(summary, "hyperlink")
        .iter()
        .map(|h| {
            let loc = h
                .split("location=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            let (sheet, cell) = loc.rsplit_once('!').unwrap();
            let sheet = sheet.replace("&apos;", "'");
            format!("{}!{cell}", sheet.trim_matches('\''))
        })
        .collect();
    let cells: BTreeSet<String> = report
        .findings
        .iter()
        .flat_map(|f| f.cells.iter().map(ToString::to_string))
        .collect();
    assert_eq!(links, cells);
    // The flagged cells point at highlighted copies of their formats.
    let styles = part_text(&parts, "xl/styles.xml");
    let xfs = elements(&elements(&styles, "cellXfs")[0], "xf");
    let first_cell = report.findings[0].cells[0].to_string();
    let (sheet, row, col) = split_reference(&first_cell).unwrap();
    let xml = &sheet_parts(&out)[sheet];
    let at = format!("<c r=\"{}\"", budgetkit::read::a1(row, col));
    let c = elements(xml, "c")
        .into_iter()
        .find(|c| c.starts_with(&at))
        .unwrap();
    let s: usize = c
        .split(" s=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(xfs[s].contains("applyFill=\"1\""), "{}", xfs[s]);
}

/// The sample with `edit` applied to its workbook.xml and sheet parts.
fn sample_edited(dir: &Path, edit: impl Fn(&str, String) -> String) -> PathBuf {
    let parts: Vec<(String, Vec<u8>)> = read_parts(&sample_xlsx())
        .into_iter()
        .map(|(n, d)| {
            let text = String::from_utf8(d.clone());
            match text {
                Ok(t) if n.ends_with(".xml") => {
                    let e = edit(&n, t);
                    (n, e.into_bytes())
                }
                _ => (n, d),
            }
        })
        .collect();
    let path = dir.join("edited.xlsx");
    write_parts(&path, &parts);
    path
}

#[test]
fn a_merge_over_the_whole_sheet_does_not_blow_memory_when_annotating() {
    let dir = tempdir();
    let input = sample_edited(dir.path(), |name, xml| {
        if name == "xl/worksheets/sheet1.xml" {
            xml.replacen(
                "<mergeCell ",
                r#"<mergeCell ref="K1:XFD1048576"/><mergeCell "#,
                1,
            )
        } else {
            xml
        }
    });
    let out = dir.path().join("annotated.xlsx");
    let report = annotate(&input, &out);
    assert!(!report.annotation.unwrap().failed);
    // The merge is kept as it came: XML text, not covered cells.
    let parts = read_parts(&out);
    assert!(part_text(&parts, "xl/worksheets/sheet1.xml")
        .contains(r#"<mergeCell ref="K1:XFD1048576"/>"#));
    // Regenerated (the .xls path), it is clipped to the used area.
    let mut sheet = Sheet::new("表", false);
    sheet.set(
        0,
        0,
        RawCell {
            text: "1".into(),
            numeric: true,
        },
    );
    sheet.set(
        4,
        3,
        RawCell {
            text: "x".into(),
            numeric: false,
        },
    );
    sheet.add_merge(Span {
        row: 0,
        col: 2,
        last_row: 1_048_575,
        last_col: 16_383,
    });
    let bytes = budgetkit::write::sheets_bytes(&[sheet], Path::new("x.xlsx")).unwrap();
    let path = dir.path().join("regenerated.xlsx");
    std::fs::write(&path, bytes).unwrap();
    let xml = part_text(&read_parts(&path), "xl/worksheets/sheet1.xml");
    assert!(xml.contains(r#"<mergeCell ref="C1:D5"/>"#), "{xml}");
}

#[test]
fn a_32767_character_project_name_does_not_hide_the_findings_of_validate_annotate() {
    let mut book = Book::sample();
    let at = book.at("预算公开表12", 'A', "外商外资联络服务经费", 'A');
    book.put(&at, &"外".repeat(32_767));
    let input = book.save("long-name.xlsx");
    let dir = tempdir();
    let out = dir.path().join("annotated.xlsx");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_budgetkit"))
        .args([
            "validate",
            input.to_str().unwrap(),
            "--annotate",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_ne!(run.status.code(), Some(2), "{stderr}");
    assert!(stdout.contains("PF-NAME-T12"), "{stdout}");
    assert!(stderr.contains("已写出标注工作簿"), "{stderr}");
    // The findings sheet holds the message clipped to what a cell holds.
    let summary = &sheet_parts(&out)[FINDINGS_SHEET];
    assert!(summary.contains("已截断"));
}

#[test]
fn sheet_names_excel_refuses_do_not_make_annotate_fail() {
    let dir = tempdir();
    // In the department's own package the names stay as they are.
    let input = sample_edited(dir.path(), |name, xml| {
        if name == "xl/workbook.xml" {
            xml.replace(r#"name="预算公开表3""#, r#"name="预算[公开]表3: *?/\""#)
        } else {
            xml
        }
    });
    let out = dir.path().join("annotated.xlsx");
    let report = annotate(&input, &out);
    assert!(!report.annotation.clone().unwrap().failed);
    assert!(open_workbook_auto(&out)
        .unwrap()
        .sheet_names()
        .contains(&r"预算[公开]表3: *?/\".to_string()));
    // Regenerated (an .xls), they are renamed and the links follow.
    let names = ["a/b", "A_B", "", "'引号'", &"长".repeat(40)];
    let sheets: Vec<Sheet> = names.iter().map(|n| Sheet::new(*n, false)).collect();
    let findings: Vec<Finding> = names
        .iter()
        .map(|n| {
            Finding::error(
                "IT-X",
                "测试",
                vec![CellRef::parse(&format!("{n}!B2")).unwrap()],
            )
        })
        .collect();
    let xls = dir.path().join("old.xls");
    std::fs::write(&xls, b"\xD0\xCF\x11\xE0 not really").unwrap();
    let out = dir.path().join("from-xls.xlsx");
    let done = write_annotated(&xls, &sheets, &findings, &["标题".into()], &out).unwrap();
    assert!(matches!(done.made, Made::Regenerated(_)));
    assert_eq!(done.cells, 5);
    assert!(done.message(&out).contains(".xls"));
    let summary = &sheet_parts(&out)[FINDINGS_SHEET];
    assert_eq!(elements(summary, "hyperlink").len(), 5, "{summary}");
    assert!(summary.contains("改名"));
}

#[test]
fn annotating_an_annotated_workbook_merges_the_notes_and_keeps_the_first_findings_sheet() {
    let dir = tempdir();
    let input = filled_and_perturbed(dir.path());
    let once = dir.path().join("once.xlsx");
    let first = annotate(&input, &once);
    let twice = dir.path().join("twice.xlsx");
    let second = annotate(&once, &twice);
    let message = second.annotation.unwrap().message;
    assert!(message.contains(&format!("{FINDINGS_SHEET}2")), "{message}");
    let names = open_workbook_auto(&twice).unwrap().sheet_names();
    assert_eq!(names[0], format!("{FINDINGS_SHEET}2"));
    assert_eq!(names[1], FINDINGS_SHEET);
    // Still one comment per flagged cell: the second notes join the first.
    let comments: String = read_parts(&twice)
        .iter()
        .filter(|(n, _)| n.starts_with("xl/comments"))
        .map(|(_, d)| String::from_utf8_lossy(d).into_owned())
        .collect();
    let cells: BTreeSet<String> = first
        .findings
        .iter()
        .chain(&second.findings)
        .flat_map(|f| f.cells.iter().map(ToString::to_string))
        .collect();
    assert_eq!(elements(&comments, "comment").len(), cells.len());
    let rule = &first.findings[0].rule;
    assert!(comments.matches(rule.as_str()).count() >= 2, "{rule}");
}
