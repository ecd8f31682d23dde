//! Workbooks as other programs write them read to the sample's model
//! (issue #4): LibreOffice's .xlsx and the old binary .xls. WPS Office
//! cannot run here; see tests/fixtures/README.md.

mod common;

use common::bend::*;
use common::*;
use std::path::Path;

fn reads_like_the_sample(name: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let (got, findings) = read_model(&path);
    assert!(findings.is_empty(), "{name}: {findings:#?}");
    assert_model_eq(&got, &read_model(&sample_xlsx()).0, name);
}

#[test]
fn an_xlsx_written_by_libreoffice_reads_like_the_sample() {
    reads_like_the_sample("libreoffice.xlsx");
}

#[test]
fn an_old_binary_xls_reads_like_the_sample() {
    reads_like_the_sample("libreoffice.xls");
}
