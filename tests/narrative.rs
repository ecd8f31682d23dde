//! The narrative check (issue #11) on the Shanxi reference's own 情况说明
//! (tests/data/shanxi-narrative.txt and .docx, made from the reference by
//! scripts/extract_shanxi_narrative.py) against the bundled sample.

use budgetkit::narrative::{check_narrative, Claim, Narrative, NarrativeReport, NarrativeSpec, Status};
use budgetkit::{Budget, Severity, Template};
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn data(name: &str) -> PathBuf {
    root().join("tests/data").join(name)
}

fn sample() -> Budget {
    let template = Template::load("sx-2025").unwrap();
    budgetkit::read(root().join("samples/shuozhou-investment-2025.xlsx"), &template)
        .unwrap()
        .budget
}

fn spec() -> NarrativeSpec {
    NarrativeSpec::for_template("sx-2025").unwrap()
}

fn reference() -> Narrative {
    Narrative::read(&data("shanxi-narrative.txt")).unwrap()
}

fn check(text: &Narrative) -> NarrativeReport {
    check_narrative(text, &sample(), None, &spec())
}

#[test]
fn debug_readings() {
    let report = check(&reference());
    for r in &report.readings {
        println!("{} {} {:?} {:?}", r.paragraph, r.figure.text, r.claim, r.status);
    }
}
