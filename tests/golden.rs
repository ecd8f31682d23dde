//! Golden test: exporting the sample reproduces every row of the 13 tables
//! of the reference disclosure, labels and amounts, cell for cell.

mod common;

use budgetkit::commands::{export, ExportOptions};
use budgetkit::spec::Template;
use common::*;

#[test]
fn export_of_the_sample_reproduces_every_reference_row() {
    let template = Template::load("sx-2025").unwrap();
    let dir = tempdir();
    let out = dir.path().join("out.xlsx");
    let opts = ExportOptions {
        read_template: &template,
        write_template: &template,
        force: false,
    };
    let outcome = export(&sample_xlsx(), &out, &opts).unwrap();
    assert!(!outcome.refused, "{:?}", outcome.findings);
    let reference = reference_rows();
    let mut compared = 0;
    for spec in &template.tables {
        // caption, title, 部门名称/单位 line, header rows, 栏次 row
        let body = 3 + spec.header.len() + usize::from(spec.numbering);
        let got = sheet_rows(&out, &spec.sheet, body);
        let want = rows_of(&reference, &spec.id);
        assert_same_row_count(&got, &want, &spec.id);
        for (i, (g, w)) in got.iter().zip(&want).enumerate() {
            assert_eq!(g, *w, "{} row {}", spec.id, i + 1);
            compared += 1;
        }
    }
    assert_eq!(compared, reference.len());
}
