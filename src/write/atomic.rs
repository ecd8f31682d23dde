//! Atomic output: write to a temporary file beside the target, then rename,
//! so a failed run never leaves half a file — and never over an input, a
//! pipe or a device. Temporary files a killed run left behind are removed
//! by the next write to the same directory.

use crate::error::Error;
use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, SystemTime};

/// Name prefix and suffix of our temporary files.
const TMP_PREFIX: &str = ".budgetkit-";
const TMP_SUFFIX: &str = ".tmp";

/// A temporary file of ours this old is a leftover of a killed run (no
/// write takes this long), and is removed.
pub const STALE_AFTER: Duration = Duration::from_secs(15 * 60);

/// Writes `bytes` to `path` atomically (temporary file + rename).
///
/// # Errors
/// [`Error::OutputNotRegular`] when `path` exists and is not a regular
/// file; [`Error::Io`] naming `path` when the directory is not writable or
/// the rename fails.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    refuse_special(path)?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    clean_stale_once(dir);
    let mut tmp = tempfile::Builder::new()
        .prefix(TMP_PREFIX)
        .suffix(TMP_SUFFIX)
        .tempfile_in(dir)
        .map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    // A temporary file is created 0600; an output is an ordinary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))
            .map_err(io)?;
    }
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

/// Refuses an existing output that is not a regular file (a directory,
/// pipe or device node, also through a link).
///
/// # Errors
/// [`Error::OutputNotRegular`].
pub fn refuse_special(path: &Path) -> Result<(), Error> {
    match std::fs::metadata(path) {
        Ok(m) if !m.is_file() => Err(Error::OutputNotRegular {
            path: path.to_path_buf(),
        }),
        _ => Ok(()),
    }
}

/// Refuses an output that is the same file as one of `inputs` (same
/// device and inode, so a link or `./IN.xlsx` is recognised too).
///
/// # Errors
/// [`Error::OutputIsInput`] naming both.
pub fn refuse_input<P: AsRef<Path>>(output: &Path, inputs: &[P]) -> Result<(), Error> {
    for input in inputs {
        if same_file(output, input.as_ref()) {
            return Err(Error::OutputIsInput {
                output: output.to_path_buf(),
                input: input.as_ref().to_path_buf(),
            });
        }
    }
    Ok(())
}

/// True when both paths exist and are one file.
pub fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        (ma.dev(), ma.ino()) == (mb.dev(), mb.ino())
    }
    #[cfg(not(unix))]
    {
        let _ = (ma, mb);
        matches!(
            (std::fs::canonicalize(a), std::fs::canonicalize(b)),
            (Ok(x), Ok(y)) if x == y
        )
    }
}

/// Removes our stale temporary files from `dir`, once per directory and
/// process (a batch writes many files to one directory).
fn clean_stale_once(dir: &Path) {
    static DONE: OnceLock<Mutex<HashSet<PathBuf>>> = OnceLock::new();
    let key = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let first = DONE
        .get_or_init(|| Mutex::new(HashSet::new()))
        .lock()
        .map(|mut done| done.insert(key))
        .unwrap_or(false);
    if first {
        clean_stale(dir, STALE_AFTER);
    }
}

/// Removes the regular files named `.budgetkit-*.tmp` in `dir` not
/// modified for `age`; returns how many. Errors are ignored: cleaning is a
/// courtesy, never a reason to fail a write.
pub fn clean_stale(dir: &Path, age: Duration) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let now = SystemTime::now();
    let mut removed = 0;
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(name) = name.to_str() else { continue };
        if !(name.starts_with(TMP_PREFIX) && name.ends_with(TMP_SUFFIX)) {
            continue;
        }
        let Ok(meta) = e.metadata() else { continue };
        let old = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .is_some_and(|d| d >= age);
        if meta.is_file() && old && std::fs::remove_file(e.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn outputs_are_readable_by_others_not_0600() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("x.xlsx");
        write_atomic(&out, b"data").unwrap();
        let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644);
        assert_eq!(std::fs::read(&out).unwrap(), b"data");
    }

    #[test]
    fn stale_temp_files_are_cleaned() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join(".budgetkit-killed.tmp");
        let fresh = dir.path().join(".budgetkit-running.tmp");
        let other = dir.path().join("department.tmp");
        for p in [&old, &fresh, &other] {
            std::fs::write(p, b"x").unwrap();
        }
        let hour_ago = SystemTime::now() - Duration::from_secs(3600);
        for p in [&old, &other] {
            let f = std::fs::File::options().write(true).open(p).unwrap();
            f.set_modified(hour_ago).unwrap();
        }
        write_atomic(&dir.path().join("out.xlsx"), b"data").unwrap();
        assert!(!old.exists(), "a leftover of a killed run is removed");
        assert!(fresh.exists(), "a running write's file is kept");
        assert!(other.exists(), "files not of our naming are kept");
    }

    #[test]
    fn output_equal_to_input_is_refused_through_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in.xlsx");
        std::fs::write(&input, b"submission").unwrap();
        let alias = dir.path().join("sub/../in.xlsx");
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let e = refuse_input(&alias, &[&input]).unwrap_err();
        assert!(matches!(e, Error::OutputIsInput { .. }), "{e}");
        assert!(refuse_input(&dir.path().join("out.xlsx"), &[&input]).is_ok());
    }
}
