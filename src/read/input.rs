//! Reading an input file's bytes within a bound: only regular files, and
//! the bound is checked on the bytes actually read, not on the length the
//! file system reports (a device such as `/dev/zero` reports 0).

use crate::error::Error;
use std::io::Read;
use std::path::Path;

/// The bytes of the regular file at `path` (symlinks followed), at most
/// `limit` of them; `what` names the bound in the message.
///
/// A FIFO, device, socket or directory is refused before it is opened, so
/// reading never blocks on a pipe nor runs on without end on a device.
///
/// # Errors
/// [`Error::Io`] when the file cannot be read or is not a regular file;
/// [`Error::TooLarge`] when it holds more than `limit` bytes.
pub fn read_limited(path: &Path, limit: u64, what: &str) -> Result<Vec<u8>, Error> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let too_large = |found: u64| Error::TooLarge {
        path: path.to_path_buf(),
        what: what.to_string(),
        found,
        limit,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(io(not_regular(&meta)));
    }
    if meta.len() > limit {
        return Err(too_large(meta.len()));
    }
    let file = std::fs::File::open(path).map_err(io)?;
    // The path may have been replaced between the two looks.
    let opened = file.metadata().map_err(io)?;
    if !opened.is_file() {
        return Err(io(not_regular(&opened)));
    }
    // Room for the size the file said it has (bounded by the limit): the
    // bytes are read once, not copied as the vector doubles.
    let said = usize::try_from(opened.len().min(limit)).unwrap_or(0);
    let mut bytes = Vec::with_capacity(said.saturating_add(1));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    let read = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if read > limit {
        return Err(too_large(read));
    }
    Ok(bytes)
}

/// Why a path that is not a regular file is refused, in Chinese.
fn not_regular(meta: &std::fs::Metadata) -> std::io::Error {
    let t = meta.file_type();
    let kind = if t.is_dir() {
        "目录"
    } else {
        special_kind(t)
    };
    std::io::Error::other(format!("这是{kind}，不是普通文件；只读取普通文件"))
}

#[cfg(unix)]
fn special_kind(t: std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if t.is_fifo() {
        "命名管道（FIFO）"
    } else if t.is_char_device() || t.is_block_device() {
        "设备文件"
    } else if t.is_socket() {
        "套接字"
    } else {
        "特殊文件"
    }
}

#[cfg(not(unix))]
fn special_kind(_: std::fs::FileType) -> &'static str {
    "特殊文件"
}
