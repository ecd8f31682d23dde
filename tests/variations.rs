//! Variations departments make when they fill the template: each must read
//! to the same model as the clean sample (issue #4).
//!
//! Each test bends the sample (read with budgetkit, written back with
//! rust_xlsxwriter by tests/common/bend.rs) one way and compares models
//! without provenance (moved cells still compare equal). Cell-level
//! variations bend the 13 tables; sheet-level ones (names, order, extra
//! sheets, one stacked sheet) move the performance forms too, which must
//! still read (their order follows the sheets, so projects are compared
//! by name).

mod common;

use common::bend::*;
use common::*;

/// The sample's model.
fn want() -> budgetkit::model::Budget {
    read_model(&sample_xlsx()).0
}

/// Writes `book`, reads it, and asserts the model equals the sample's with
/// no error finding.
fn reads_like_the_sample(book: &Book, what: &str) {
    let dir = tempdir();
    let path = dir.path().join("variant.xlsx");
    book.save(&path);
    let (got, findings) = read_model(&path);
    assert!(findings.is_empty(), "{what}: {findings:#?}");
    assert_model_eq(&got, &want(), what);
}

/// Applies `f` to the value of every listed cell (empty cells get `None`).
fn map_cells(
    book: &mut Book,
    cells: &[(String, u32, u32)],
    mut f: impl FnMut(Option<&Val>, usize) -> Option<Val>,
) {
    for (i, (sheet, r, c)) in cells.iter().enumerate() {
        let s = book
            .sheets
            .iter_mut()
            .find(|s| &s.name == sheet)
            .expect("sheet");
        match f(s.cells.get(&(*r, *c)), i) {
            Some(v) => {
                s.cells.insert((*r, *c), v);
            }
            None => {
                s.cells.remove(&(*r, *c));
            }
        }
    }
}

#[test]
fn the_sample_workbook_reads_to_the_sample_model() {
    let json: budgetkit::model::Budget =
        serde_json::from_str(&std::fs::read_to_string(sample_json()).unwrap()).unwrap();
    let (got, findings) = read_model(&sample_xlsx());
    assert!(findings.is_empty(), "{findings:#?}");
    assert_model_eq(&got, &json, "sample");
}

#[test]
fn the_sample_written_back_reads_the_same() {
    reads_like_the_sample(&Book::sample(), "rewritten sample");
}

#[test]
fn sheets_may_be_named_anything() {
    let mut book = Book::sample();
    let names = [
        "表1",
        "预算公开表2",
        "部门公开表9",
        "2025年预算支出总表",
        "Sheet5",
        "基本支出（经济科目）",
    ];
    for (i, s) in book.sheets.iter_mut().enumerate() {
        s.name = match names.get(i) {
            Some(n) => (*n).to_string(),
            None => format!("第{}张", i + 1),
        };
    }
    reads_like_the_sample(&book, "renamed sheets");
}

#[test]
fn sheets_may_come_in_any_order() {
    let mut book = Book::sample();
    book.sheets.reverse();
    book.sheets.rotate_left(5);
    reads_like_the_sample(&book, "shuffled sheets");
}

#[test]
fn instruction_contents_and_hidden_sheets_are_ignored() {
    let mut book = Book::sample();
    let titles: Vec<String> = book
        .sheets
        .iter()
        .filter_map(|s| s.cells.get(&(1, 0)).map(|v| v.text().to_string()))
        .collect();
    // A table of contents listing every title exactly, and instructions.
    let mut contents = BookSheet::new("目录");
    for (i, t) in titles.iter().enumerate() {
        contents
            .cells
            .insert((i as u32 + 1, 0), Val::Text(format!("预算公开表{}", i + 1)));
        contents
            .cells
            .insert((i as u32 + 1, 1), Val::Text(t.clone()));
    }
    let mut notes = BookSheet::new("填报说明");
    notes.cells.insert((0, 0), Val::Text("填报说明".into()));
    notes.cells.insert(
        (1, 0),
        Val::Text(format!("1. 请先填写{}，金额单位为万元。", titles[1])),
    );
    // An old copy of 表2 with other numbers, hidden.
    let mut old = book.sheets[1].clone();
    old.name = "表2（旧）".into();
    old.hidden = true;
    for v in old.cells.values_mut() {
        if let Val::Num(n) = v {
            *n = "999".into();
        }
    }
    book.sheets.insert(0, notes);
    book.sheets.insert(1, contents);
    book.sheets.insert(4, old);
    let mut remarks = BookSheet::new("备注");
    remarks
        .cells
        .insert((0, 0), Val::Text("以上数据经局党组会议审定。".into()));
    book.sheets.push(remarks);
    reads_like_the_sample(&book, "extra, contents and hidden sheets");
}

#[test]
fn every_table_may_be_stacked_in_one_sheet() {
    let book = Book::sample();
    let mut one = BookSheet::new("部门预算公开表");
    let mut at = 0;
    for s in &book.sheets {
        let mut s = s.clone();
        s.shift(at, 0);
        at = s.last_row() + 3;
        one.cells.extend(s.cells);
        one.merges.extend(s.merges);
    }
    reads_like_the_sample(&Book { sheets: vec![one] }, "stacked tables");
}

#[test]
fn titles_may_start_lower_and_further_right() {
    let mut book = Book::sample();
    for (i, s) in book.tables_mut().enumerate() {
        s.shift(1 + i as u32 % 4, i as u32 % 3);
    }
    reads_like_the_sample(&book, "blank rows and columns before the table");
}

#[test]
fn a_title_may_sit_alone_over_the_middle_of_the_table() {
    let mut book = Book::sample();
    for s in book.tables_mut() {
        let at = s.find("年").expect("title");
        let title = s.cells.remove(&at).expect("title cell");
        s.merges.retain(|m| (m.row, m.col) != at);
        s.cells.insert((at.0, at.1 + 2), title);
    }
    reads_like_the_sample(&book, "title moved right, unmerged");
}

#[test]
fn department_and_unit_may_be_on_two_rows() {
    let mut book = Book::sample();
    for s in book.tables_mut() {
        let unit_at = s.find("单位：").expect("unit");
        let unit = s.cells.remove(&unit_at).expect("unit cell");
        s.insert_rows(unit_at.0 + 1, 1);
        s.cells.insert((unit_at.0 + 1, 0), unit);
    }
    reads_like_the_sample(&book, "部门名称 and 单位 on two rows");
}

#[test]
fn department_and_unit_may_share_one_cell_or_split_label_and_name() {
    let mut book = Book::sample();
    for (i, s) in book.tables_mut().enumerate() {
        let unit_at = s.find("单位：").expect("unit");
        let dept_at = s.find("部门名称").expect("department");
        s.cells.remove(&unit_at);
        let (text, next) = match i % 3 {
            0 => (
                "部门名称：朔州市促进外来投资局　　　　单位：万元".to_string(),
                None,
            ),
            1 => ("部门名称：".to_string(), Some("朔州市促进外来投资局")),
            _ => ("编制单位:  朔州市促进外来投资局".to_string(), None),
        };
        s.cells.insert(dept_at, Val::Text(text));
        if let Some(name) = next {
            s.cells
                .insert((dept_at.0, dept_at.1 + 1), Val::Text(name.into()));
        }
    }
    reads_like_the_sample(
        &book,
        "部门名称 and 单位 in one cell, or name in the next cell",
    );
}

#[test]
fn merged_cells_may_be_removed() {
    let mut book = Book::sample();
    for s in book.tables_mut() {
        s.merges.clear();
    }
    reads_like_the_sample(&book, "no merges");
}

#[test]
fn merged_cells_may_be_added() {
    let mut book = Book::sample();
    for s in book.tables_mut() {
        let width = s.cells.keys().map(|(_, c)| *c).max().unwrap_or(0);
        s.merges.retain(|m| m.row > 2);
        for row in [0, 1] {
            s.merges.push(budgetkit::read::Span {
                row,
                col: 0,
                last_row: row,
                last_col: width,
            });
        }
        // 部门名称 merged over the empty cells to its right.
        let dept = s.find("部门名称").expect("department");
        let free = (dept.1 + 1..=width)
            .take_while(|c| !s.cells.contains_key(&(dept.0, *c)))
            .count() as u32;
        if free > 0 {
            s.merges.push(budgetkit::read::Span {
                row: dept.0,
                col: dept.1,
                last_row: dept.0,
                last_col: dept.1 + free,
            });
        }
    }
    reads_like_the_sample(&book, "more merges");
}

#[test]
fn a_numbering_row_may_be_added_or_left_out() {
    let mut book = Book::sample();
    // 表2: 1 2 3 … across every column; 表3: 栏次 then numbers.
    let s = book.sheet_with("预算收入总表");
    let header_end = s.find("科目编码").expect("header").0 + 1;
    s.insert_rows(header_end, 1);
    for c in 0..9 {
        s.cells
            .insert((header_end, c), Val::Text((c + 1).to_string()));
    }
    let s = book.sheet_with("预算支出总表");
    let header_end = s.find("科目编码").expect("header").0 + 1;
    s.insert_rows(header_end, 1);
    s.cells.insert((header_end, 0), Val::Text("栏次".into()));
    for c in 2..5 {
        s.cells
            .insert((header_end, c), Val::Num((c - 1).to_string()));
    }
    // 表12 without its 栏次 row.
    let s = book.sheet_with("项目支出预算表（本年预算）");
    let numbering = s.find("项目名称").expect("header").0 + 2;
    s.delete_row(numbering);
    reads_like_the_sample(&book, "栏次 rows");
}

fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap(),
            '.' => '．',
            other => other,
        })
        .collect()
}

fn two_decimals(n: &str) -> String {
    let d: rust_decimal::Decimal = n.parse().expect("decimal");
    format!("{d:.2}")
}

fn with_commas(s: &str) -> String {
    let (int, frac) = s.split_once('.').map_or((s, None), |(a, b)| (a, Some(b)));
    let mut out = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    match frac {
        Some(f) => format!("{out}.{f}"),
        None => out,
    }
}

#[test]
fn numbers_may_be_stored_as_text() {
    let mut book = Book::sample();
    map_cells(&mut book, &amount_cells(), |v, i| match v {
        Some(Val::Num(n)) => Some(Val::Text(match i % 5 {
            0 => format!(" {n} "),
            1 => full_width(n),
            2 => format!("{n}　"),
            3 => format!("+{n}"),
            _ => with_commas(&two_decimals(n)),
        })),
        other => other.cloned(),
    });
    reads_like_the_sample(&book, "numbers as text");
}

#[test]
fn bracketed_text_is_a_negative_amount() {
    let cells = amount_cells();
    let mut negative = Book::sample();
    let mut bracketed = Book::sample();
    map_cells(&mut negative, &cells, |v, _| match v {
        Some(Val::Num(n)) => Some(Val::Num(format!("-{n}"))),
        other => other.cloned(),
    });
    map_cells(&mut bracketed, &cells, |v, i| match v {
        Some(Val::Num(n)) => Some(Val::Text(if i % 2 == 0 {
            format!("（{n}）")
        } else {
            format!("({})", with_commas(n))
        })),
        other => other.cloned(),
    });
    let dir = tempdir();
    let (a, b) = (
        dir.path().join("neg.xlsx"),
        dir.path().join("brackets.xlsx"),
    );
    negative.save(&a);
    bracketed.save(&b);
    let (want, _) = read_model(&a);
    let (got, findings) = read_model(&b);
    assert!(errors(&findings).is_empty(), "{:#?}", errors(&findings));
    assert_eq!(got, want);
    assert!(want
        .functions
        .total
        .income
        .general
        .as_ref()
        .is_some_and(|a| a.value.is_sign_negative()));
}

#[test]
fn codes_may_be_typed_as_numbers() {
    let mut book = Book::sample();
    let codes = body_cells(|k| k == "code" || k == "in.code");
    let mut turned = 0;
    map_cells(&mut book, &codes, |v, _| match v {
        Some(Val::Text(t)) if t.chars().all(|c| c.is_ascii_digit()) => {
            turned += 1;
            Some(Val::Num(t.clone()))
        }
        other => other.cloned(),
    });
    assert!(turned > 10, "only {turned} codes");
    reads_like_the_sample(&book, "codes as numbers");
}

#[test]
fn empty_amounts_may_be_dashes() {
    let mut book = Book::sample();
    let mut filled = 0;
    map_cells(&mut book, &amount_cells(), |v, i| match v {
        None => {
            filled += 1;
            Some(Val::Text(["-", "—", " - ", "－", "——"][i % 5].into()))
        }
        other => other.cloned(),
    });
    assert!(filled > 50, "only {filled} empty cells");
    reads_like_the_sample(&book, "dashes for empty amounts");
}

/// Design choice: a 0 typed in an empty amount cell reads as the amount
/// 0.00 (what the cell says, with its provenance), not as blank. The issue
/// counts 0 and blank as the same *empty amount*, and so does everything
/// downstream (sums treat blank as zero), so the models are compared with
/// zero amounts read as blank.
#[test]
fn empty_amounts_may_be_zero() {
    let mut book = Book::sample();
    map_cells(&mut book, &amount_cells(), |v, i| match v {
        None => Some(if i % 2 == 0 {
            Val::Num("0".into())
        } else {
            Val::Text("0.00".into())
        }),
        other => other.cloned(),
    });
    let dir = tempdir();
    let path = dir.path().join("zeros.xlsx");
    book.save(&path);
    let (got, findings) = read_model(&path);
    assert!(errors(&findings).is_empty(), "{:#?}", errors(&findings));
    assert_ne!(got, want(), "a typed 0 is kept as 0.00");
    assert_json_eq(&zero_is_blank(&got), &zero_is_blank(&want()), "zeros");
    let t2_gov_fund = got
        .functions
        .total
        .income
        .gov_fund
        .as_ref()
        .expect("0 kept");
    assert!(t2_gov_fund.value.is_zero());
}

#[test]
fn names_may_carry_trailing_and_full_width_spaces() {
    let mut book = Book::sample();
    let names = body_cells(|k| TEXT_KEYS.contains(&k) && !k.ends_with("code"));
    map_cells(&mut book, &names, |v, i| match v {
        Some(Val::Text(t)) => Some(Val::Text(match i % 4 {
            0 => format!("{t}  "),
            1 => format!("　　{t}"),
            2 => format!("{t}　"),
            _ => format!(" {t}\u{a0}"),
        })),
        other => other.cloned(),
    });
    for s in book.tables_mut() {
        if let Some(Val::Text(t)) = s.cells.get_mut(&(1, 0)) {
            *t = format!("  {} ", t.replacen("年", "年 ", 1));
        }
    }
    reads_like_the_sample(&book, "spaces around names and titles");
}

#[test]
fn formulas_read_as_their_cached_values() {
    let mut book = Book::sample();
    let mut formulas = 0;
    map_cells(&mut book, &amount_cells(), |v, _| match v {
        Some(Val::Num(n)) => {
            formulas += 1;
            Some(Val::Formula(
                format!("=ROUND({n}*10000,0)/10000"),
                n.clone(),
            ))
        }
        other => other.cloned(),
    });
    assert!(formulas > 50);
    reads_like_the_sample(&book, "formulas");
}

fn times_10000(n: &str) -> String {
    let d: rust_decimal::Decimal = n.parse().expect("decimal");
    (d * rust_decimal::Decimal::from(10_000))
        .normalize()
        .to_string()
}

/// The sample in 元: every amount × 10,000, the headings 单位：元; the
/// `i`-th amount cell is written as `text(yuan, i)` when that gives one
/// (text as a department types it), as a number otherwise.
fn in_yuan(text: impl Fn(&str, usize) -> Option<String>) -> Book {
    let mut book = Book::sample();
    map_cells(&mut book, &amount_cells(), |v, i| match v {
        Some(Val::Num(n)) => {
            let yuan = times_10000(n);
            Some(text(&yuan, i).map_or(Val::Num(yuan), Val::Text))
        }
        other => other.cloned(),
    });
    for s in book.tables_mut() {
        for v in s.cells.values_mut() {
            if let Val::Text(t) = v {
                if t.contains("单位：万元") {
                    *t = t.replace("单位：万元", "单位：元");
                }
            }
        }
    }
    book
}

#[test]
fn amounts_in_yuan_are_converted_to_wan_yuan() {
    let book = in_yuan(|yuan, i| (i % 3 == 0).then(|| with_commas(&format!("{yuan}.00"))));
    reads_like_the_sample(&book, "amounts in 元");
}

/// Regression: the rules scaled a cell typed "1316800元" in a table headed
/// 单位：元 twice (the typed unit, then the table's), while the reader
/// scaled it once — false errors on a clean submission. Now both take a
/// typed unit over the table's: the findings are those of the same book
/// with no unit typed in its cells. (#10: amounts in 元 are exact, so the
/// sample's 万元 rounding gaps, times 10,000, are real gaps of 100 元 in
/// both books.)
#[test]
fn typed_yuan_in_a_yuan_table_is_scaled_once_by_reader_and_rules() {
    let book = in_yuan(|yuan, i| (i % 5 == 0).then(|| format!("{yuan}元")));
    reads_like_the_sample(&book, "amounts in 元, some typed with 元");
    let template = budgetkit::spec::Template::load("sx-2025").unwrap();
    let dir = tempdir();
    let check = |book: &Book, name: &str| {
        let path = dir.path().join(name);
        book.save(&path);
        let checked = budgetkit::commands::check_input(&path, &template).unwrap();
        let mut errors: Vec<(String, Vec<String>)> = errors(&checked.findings)
            .iter()
            .map(|f| {
                (
                    f.rule.clone(),
                    f.cells.iter().map(|c| c.to_string()).collect(),
                )
            })
            .collect();
        errors.sort();
        errors
    };
    let typed = check(&book, "typed-yuan.xlsx");
    let plain = check(&in_yuan(|_, _| None), "plain-yuan.xlsx");
    assert!(
        !plain.is_empty(),
        "the sample's rounding gaps are gaps in 元"
    );
    assert_eq!(typed, plain);
}

#[test]
fn yuan_round_half_away_from_zero() {
    let mut book = Book::sample();
    let s = book.sheet_with("预算支出总表");
    let unit = s.find("单位：万元").expect("unit");
    s.cells.insert(unit, Val::Text("单位：元".into()));
    let row = s.find("2011301").expect("line").0;
    // 基本支出 12,250 元 → 1.225 → 1.23 (banker's rounding would give
    // 1.22); 项目支出 -12,250 → -1.23; 合计 is not part of the model.
    s.cells.insert((row, 2), Val::Num("0".into()));
    s.cells.insert((row, 3), Val::Num("12250".into()));
    s.cells.insert((row, 4), Val::Text("-12,250".into()));
    let dir = tempdir();
    let path = dir.path().join("yuan.xlsx");
    book.save(&path);
    let (got, _) = read_model(&path);
    let line = got
        .functions
        .lines
        .iter()
        .find(|l| l.code == "2011301")
        .expect("line");
    let other = &line.other;
    let basic = |a: &Option<budgetkit::model::Amount>| a.as_ref().map(|a| a.value.to_string());
    // 表3 gives the line's total spending; the other split is what is left
    // after the fund splits of 表5/8/9, so the read values show there.
    let general = line.split(budgetkit::model::Fund::General);
    let zero = rust_decimal::Decimal::ZERO;
    let value = |a: &Option<budgetkit::model::Amount>| a.as_ref().map_or(zero, |a| a.value);
    let total_basic = value(&general.basic) + value(&other.basic);
    let total_project = value(&general.project) + value(&other.project);
    // #10: the model keeps the exact amount (1.2250 万元) …
    assert_eq!(
        total_basic,
        "1.225".parse().unwrap(),
        "{:?}",
        basic(&other.basic)
    );
    assert_eq!(total_project, "-1.225".parse().unwrap());
    // … and publishing it in 万元 rounds half away from zero.
    let shown = |v| budgetkit::table::Cell::Amount(v).display();
    assert_eq!(shown(total_basic), "1.23");
    assert_eq!(shown(total_project), "-1.23");
}
