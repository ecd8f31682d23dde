//! For the narrative tests: a sample's model, and narratives with one
//! figure changed (every checked figure, changed, is an error).

use budgetkit::model::{StatedFacts, StatedValue};
use budgetkit::narrative::{
    check_narrative, Claim, Narrative, NarrativeReport, NarrativeSpec, Reading, Status,
};
use budgetkit::{Budget, Finding, Severity, Template};
use std::path::Path;

/// A file of tests/data (the reference narratives).
pub fn data(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// The model of the bundled sample `file` (under samples/) read with the
/// template `template`.
pub fn sample_budget(file: &str, template: &str) -> Budget {
    let template = Template::load(template).unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(file);
    budgetkit::read(path, &template).unwrap().budget
}

/// For each fact `spec` lets a department state, the first figure `text`
/// writes for it (read against `budget`), as stated facts without
/// provenance.
pub fn stated_as_written(text: &Narrative, budget: &Budget, spec: &NarrativeSpec) -> StatedFacts {
    let readings = check_narrative(text, budget, None, spec).readings;
    let mut facts = StatedFacts::new();
    for entry in &spec.stated {
        let figure = readings.iter().find_map(|r| match &r.claim {
            Some(Claim::Value(f)) if *f == entry.fact => Some(r.figure.number),
            _ => None,
        });
        if let Some(value) = figure {
            let unit = entry.unit.clone();
            facts.insert(
                entry.fact.clone(),
                StatedValue {
                    value,
                    unit,
                    at: None,
                },
            );
        }
    }
    facts
}

/// `text` with the figure of `reading` written with its last digit one up
/// (9 one down), and that figure as now written.
fn one_digit_off(text: &Narrative, reading: &Reading) -> (Narrative, String) {
    let mut bad = text.clone();
    let p = &mut bad.paragraphs[reading.paragraph - 1];
    let f = &reading.figure;
    let digits_end = f.text.rfind(|c: char| c.is_ascii_digit()).unwrap();
    let last = f.text.as_bytes()[digits_end] - b'0';
    let new_digit = if last == 9 { 8 } else { last + 1 };
    let mut new_text = f.text.clone();
    new_text.replace_range(digits_end..=digits_end, &new_digit.to_string());
    p.replace_range(f.start..f.end, &new_text);
    (bad, new_text)
}

/// Changes each figure of `text` that agrees with its table, one at a
/// time, and asserts that `check` then finds one error more than in
/// `text` (beside those whose figure is in `known`), in its paragraph and
/// quoting the new figure; the number of figures changed.
pub fn assert_each_agreeing_figure_changed_is_an_error(
    text: &Narrative,
    check: impl Fn(&Narrative) -> NarrativeReport,
    known: &[&str],
) -> usize {
    let report = check(text);
    let agreed: Vec<&Reading> = report
        .readings
        .iter()
        .filter(|r| r.status == Status::Agrees)
        .collect();
    for r in &agreed {
        let (bad, new_text) = one_digit_off(text, r);
        let found = check(&bad);
        let errors: Vec<&Finding> = found
            .findings
            .iter()
            .filter(|e| e.severity == Severity::Error)
            .filter(|e| !known.contains(&e.found.as_deref().unwrap_or_default()))
            .collect();
        assert_eq!(
            errors.len(),
            1,
            "{} → {new_text}: {errors:#?}",
            r.figure.text
        );
        let e = errors[0];
        assert_eq!(e.paragraph, Some(r.paragraph));
        assert!(e.quote.as_deref().unwrap().contains(&new_text));
        assert!(e.rule.starts_with("NARR-"), "{}", e.rule);
    }
    agreed.len()
}
