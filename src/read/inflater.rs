//! The in-place inflater of an .xlsx's deflated parts (src/read/package.rs
//! reads the zip's directory and bounds the total).

use super::package::HINT_CAP;
use std::io::Read;
use zip::CompressionMethod;

/// Inflates a deflated part straight from the zip's bytes into a vector
/// of its declared size, with one inflater for the whole package (the zip
/// crate's reader makes a decompressor, a buffer and a zeroed output per
/// part). It takes only what the zip crate would read the same way.
#[derive(Default)]
pub(super) struct Inflater {
    state: Option<flate2::Decompress>,
}

impl Inflater {
    /// The inflated part, when it is deflated, not encrypted, within
    /// `left` bytes, and inflates to exactly its declared size and CRC;
    /// `None` leaves it to the zip crate's reader.
    pub(super) fn part<R: Read>(
        &mut self,
        bytes: &[u8],
        entry: &zip::read::ZipFile<'_, R>,
        left: u64,
    ) -> Option<Vec<u8>> {
        if entry.compression() != CompressionMethod::Deflated || entry.encrypted() {
            return None;
        }
        let size = usize::try_from(entry.size()).ok()?;
        if entry.size() > left {
            return None;
        }
        let start = usize::try_from(entry.data_start()?).ok()?;
        let len = usize::try_from(entry.compressed_size()).ok()?;
        let raw = bytes.get(start..start.checked_add(len)?)?;
        let state = self
            .state
            .get_or_insert_with(|| flate2::Decompress::new(false));
        state.reset(false);
        // Room for one byte more than declared, so a part that inflates
        // beyond its declared size is seen (and left to the zip crate to
        // refuse); at most 256 KiB reserved on the declared size's word,
        // then doubled only once filled with what really came out.
        let most = size.checked_add(1)?;
        let hint = usize::try_from(HINT_CAP).unwrap_or(usize::MAX);
        let mut out = Vec::with_capacity(most.min(hint));
        loop {
            let before = state.total_in();
            let input = raw.get(usize::try_from(before).ok()?..)?;
            let status = state
                .decompress_vec(input, &mut out, flate2::FlushDecompress::Finish)
                .ok()?;
            if status == flate2::Status::StreamEnd {
                break;
            }
            if out.len() < out.capacity() || out.len() > size {
                // The data ended before the stream did, or it outgrew the
                // declared size.
                return None;
            }
            out.reserve_exact(out.len().clamp(1, most - out.len()));
        }
        (out.len() == size && crc32fast::hash(&out) == entry.crc32()).then_some(out)
    }
}
