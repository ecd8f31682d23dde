//! The binary's standard output and error. A reader that goes away
//! (`budgetkit import x.xlsx | head`) ends the output quietly; any other
//! failure to write (a full disk) is an error, exit status 2 — never a
//! panic, as `print!` would.

use std::io::Write;
use std::path::PathBuf;

/// Writes `text` to standard output.
///
/// # Errors
/// [`budgetkit::Error::Io`] naming 标准输出 when the write fails for any
/// reason but a closed pipe.
pub fn emit(text: &str) -> Result<(), budgetkit::Error> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(budgetkit::Error::Io {
            path: PathBuf::from("（标准输出）"),
            source: e,
        }),
        _ => Ok(()),
    }
}

/// Writes one line to standard error; a failure there has nowhere to be
/// reported and is ignored.
pub fn note(line: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{line}");
}
