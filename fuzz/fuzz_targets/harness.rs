//! What the three targets share: the template, and an opt-in mode that
//! tolerates panics inside calamine.
//!
//! The reader runs calamine under `catch_unwind` and turns its panics into
//! an "unreadable file" error, so in production they are not crashes. By
//! default the fuzzer still aborts on them (to find them); with
//! `FUZZ_TOLERATE_CALAMINE=1` a panic whose location is in calamine's
//! source is printed once per location and fuzzing goes on, so the run can
//! get past known calamine panics to budgetkit's own code. A panic anywhere
//! else still aborts.

use budgetkit::spec::Template;
use std::collections::HashSet;
use std::sync::{Mutex, Once, OnceLock};

static TEMPLATE: OnceLock<Template> = OnceLock::new();
static HOOK: Once = Once::new();
static SEEN: Mutex<Option<HashSet<String>>> = Mutex::new(None);

/// The sx-2025 template, loaded once; installs the tolerant hook if asked.
pub fn template() -> &'static Template {
    HOOK.call_once(|| {
        if std::env::var_os("FUZZ_TOLERATE_CALAMINE").is_none() {
            return;
        }
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let at = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()));
            match at {
                Some(at) if at.contains("/calamine-") => {
                    let mut seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
                    if seen.get_or_insert_with(HashSet::new).insert(at.clone()) {
                        let trace = std::backtrace::Backtrace::force_capture().to_string();
                        let calls: Vec<&str> = trace
                            .lines()
                            .filter(|l| l.contains("/calamine-") || l.contains("calamine::"))
                            .take(8)
                            .map(str::trim)
                            .collect();
                        eprintln!(
                            "TOLERATED calamine panic at {at}: {info}\n  {}",
                            calls.join("\n  ")
                        );
                    }
                }
                _ => previous(info),
            }
        }));
    });
    TEMPLATE.get_or_init(|| Template::load("sx-2025").expect("template"))
}
