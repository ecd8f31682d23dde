//! Any bytes as a workbook file: `sheets_from_bytes` then `read_workbook`.
//! Must never panic, hang or allocate without bound.
#![no_main]

mod harness;

use budgetkit::read::{read_workbook, sheets_from_bytes};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let template = harness::template();
    let path = Path::new("fuzz.xlsx");
    if let Ok(sheets) = sheets_from_bytes(data.to_vec(), path) {
        let _ = read_workbook(&sheets, template, path);
    }
});
