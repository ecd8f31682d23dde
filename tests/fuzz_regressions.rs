//! Inputs on which the fuzzer (fuzz/, see fuzz/README.md) found the reader
//! panicking, kept under tests/fixtures/fuzz/ and replayed here. File names
//! say which target found them: `read_workbook-*` are whole files,
//! `xls_stream-*` BIFF streams and `xlsx_sheet-*` worksheet XML that the
//! targets wrap into files (tests/common/wrap.rs).
//!
//! Each must now be refused cleanly: an unreadable-input error naming the
//! file, found by budgetkit's own checks *before* calamine could panic
//! (not the last-resort message of a caught panic).

mod common;

use budgetkit::read::sheets_from_bytes;
use common::wrap::{xls_from_stream, xlsx_from_sheet};
use std::path::Path;

#[test]
fn every_kept_crash_input_is_refused_cleanly() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    let mut replayed = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let raw = std::fs::read(&path).unwrap();
        let bytes = if name.starts_with("xls_stream-") {
            xls_from_stream(&raw)
        } else if name.starts_with("xlsx_sheet-") {
            xlsx_from_sheet(&raw)
        } else if name.starts_with("read_workbook-") {
            raw
        } else {
            continue;
        };
        let err = match sheets_from_bytes(bytes, Path::new(&name)) {
            Ok(_) => panic!("{name}: read as a workbook"),
            Err(e) => e,
        };
        let text = err.to_string();
        assert!(
            err.is_unreadable_input() && text.contains(&name),
            "{name}: {text}"
        );
        assert!(
            !text.contains("读取器无法解析"),
            "{name}: refused only by catching a panic: {text}"
        );
        replayed += 1;
    }
    assert!(replayed >= 2, "only {replayed} inputs replayed");
}
