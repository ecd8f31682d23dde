//! `spec::economic_code` answers from a lookup built once: every name in
//! `data/economic-classes.tsv` must still find its own code, under its 类,
//! whatever white space or full-width forms it is written with, and nothing
//! else.

use budgetkit::spec::economic_code;

const CLASSES: &str = include_str!("../data/economic-classes.tsv");

/// (code, name) of every row of the classification, in the file's order.
fn rows() -> Vec<(&'static str, &'static str)> {
    CLASSES
        .lines()
        .filter_map(|l| {
            let mut cells = l.split('\t');
            let code = cells.next()?;
            let name = cells.next()?.trim();
            code.chars()
                .all(|c| c.is_ascii_digit())
                .then_some((code, name))
        })
        .collect()
}

#[test]
fn economic_code_lookup_finds_every_name_under_its_class() {
    let rows = rows();
    assert!(
        rows.len() > 20,
        "the classification has {} rows",
        rows.len()
    );
    for (code, name) in rows {
        let class = (code.len() == 5).then(|| &code[..3]);
        assert_eq!(economic_code(name, class), Some(code), "{name}");
        // The same name spaced out.
        let spaced: String = name.chars().flat_map(|c| [c, ' ']).collect();
        assert_eq!(economic_code(&spaced, class), Some(code), "{spaced}");
    }
}

#[test]
fn economic_code_lookup_keeps_names_to_their_level_and_class() {
    for (code, name) in rows() {
        if code.len() == 5 {
            // A 款 is not a 类, nor under another 类.
            assert_eq!(economic_code(name, None), None, "{name}");
            let other = if code.starts_with("301") {
                "302"
            } else {
                "301"
            };
            assert_eq!(economic_code(name, Some(other)), None, "{name}");
        } else {
            // A 类 is not a 款 of itself.
            assert_eq!(economic_code(name, Some(code)), None, "{name}");
        }
    }
    assert_eq!(economic_code("没有这个科目", None), None);
    assert_eq!(economic_code("", Some("301")), None);
}

#[test]
fn economic_code_lookup_folds_brackets_both_ways() {
    // NFKC folds the full-width brackets of the list: a name typed with
    // ASCII ones (or with an ideographic space) finds the same code.
    let with_brackets: Vec<_> = rows()
        .into_iter()
        .filter(|(_, n)| n.contains('（'))
        .collect();
    assert!(!with_brackets.is_empty());
    for (code, name) in with_brackets {
        let class = (code.len() == 5).then(|| &code[..3]);
        let ascii = name.replace('（', "(").replace('）', ")");
        assert_eq!(economic_code(&ascii, class), Some(code), "{ascii}");
        let wide = format!("{name}\u{3000}");
        assert_eq!(economic_code(&wide, class), Some(code), "{wide}");
    }
}
