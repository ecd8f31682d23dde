//! docs/rules.md is generated from the catalog and must match it; every
//! READ-* id the reader reports is documented.

use budgetkit::rules::{catalog_markdown, READING, RULES};
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn docs_rules_md_is_the_generated_catalog() {
    let doc = std::fs::read_to_string(root().join("docs/rules.md")).expect("docs/rules.md");
    assert!(
        doc == catalog_markdown(),
        "docs/rules.md is stale: run `cargo run -- rules --format markdown > docs/rules.md`"
    );
    for r in RULES {
        assert!(doc.contains(&format!("`{}`", r.id)), "{}", r.id);
    }
}

#[test]
fn every_reading_finding_id_is_documented() {
    let mut ids = Vec::new();
    let mut files = Vec::new();
    let mut dirs = vec![root().join("src/read")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path);
            }
        }
    }
    for file in files {
        let text = std::fs::read_to_string(file).unwrap();
        for part in text.split("\"READ-").skip(1) {
            let id: String = part
                .chars()
                .take_while(|c| c.is_ascii_uppercase() || *c == '-')
                .collect();
            ids.push(format!("READ-{id}"));
        }
    }
    assert!(!ids.is_empty());
    for id in ids {
        assert!(
            READING.iter().any(|r| r.id == id),
            "{id} is not listed in rules::READING"
        );
    }
}
