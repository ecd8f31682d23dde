//! Structure-aware: the input is the BIFF `Workbook` stream of an .xls,
//! wrapped in a well-formed OLE compound file so mutations reach the BIFF
//! records (calamine's .xls parser and budgetkit's measurement of it)
//! instead of dying in the container.
#![no_main]

mod harness;
#[path = "../../tests/common/wrap.rs"]
mod wrap;

use budgetkit::read::{read_workbook, sheets_from_bytes};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    if data.len() > wrap::MAX_STREAM {
        return;
    }
    let template = harness::template();
    let path = Path::new("fuzz.xls");
    if let Ok(sheets) = sheets_from_bytes(wrap::xls_from_stream(data), path) {
        let _ = read_workbook(&sheets, template, path);
    }
});
