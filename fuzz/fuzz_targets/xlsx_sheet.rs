//! Structure-aware: the input is a worksheet's XML and, after a
//! `\0\0SST\0\0` separator, the shared strings XML; they are packed into a
//! valid .xlsx so mutations reach calamine's XML parsing and the table
//! locator instead of dying in the zip layer.
#![no_main]

mod harness;
#[path = "../../tests/common/wrap.rs"]
mod wrap;

use budgetkit::read::{read_workbook, sheets_from_bytes};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let template = harness::template();
    let path = Path::new("fuzz.xlsx");
    if let Ok(sheets) = sheets_from_bytes(wrap::xlsx_from_sheet(data), path) {
        let _ = read_workbook(&sheets, template, path);
    }
});
