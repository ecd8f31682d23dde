//! The in-place inflater of an .xlsx's deflated parts (src/read/package.rs
//! reads the zip's directory and bounds the total).
//!
//! A part is inflated in one call of libdeflate into a buffer of its
//! declared size (for the sample's 28 small parts: 1.45M instructions
//! against zlib-rs's 3.05M, which builds its tables and keeps a window
//! for streaming); a part whose declared size could not be reserved on its
//! word is streamed through zlib-rs into a buffer that grows with what
//! really comes out. Either way a part is taken only as the zip crate
//! would read it; anything else is left to the zip crate's reader.

use super::package::HINT_CAP;
use std::io::Read;
use zip::CompressionMethod;

/// How many times its compressed size a part's declared size may be for
/// a buffer of that size to be reserved at once: a lying directory then
/// costs no more than this many times the file, and a part that really
/// inflates further (a sheet of identical rows) is streamed instead.
const WHOLE_RATIO: u64 = 64;

/// Where a part is and what the zip's directory says of it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Entry {
    /// Its place in the zip.
    pub(super) index: usize,
    /// Its declared size.
    pub(super) size: u64,
    deflated: bool,
    encrypted: bool,
    data_start: Option<u64>,
    compressed_size: u64,
    crc32: u32,
}

impl Entry {
    /// What the zip's directory says of entry `index`.
    pub(super) fn of<R: Read>(index: usize, entry: &zip::read::ZipFile<'_, R>) -> Self {
        Entry {
            index,
            size: entry.size(),
            deflated: entry.compression() == CompressionMethod::Deflated,
            encrypted: entry.encrypted(),
            data_start: entry.data_start(),
            compressed_size: entry.compressed_size(),
            crc32: entry.crc32(),
        }
    }
}

/// Inflates a deflated part straight from the zip's bytes, with one
/// inflater of each kind for the whole package (the zip crate's reader
/// makes a decompressor, a buffer and a zeroed output per part).
#[derive(Default)]
pub(super) struct Inflater {
    whole: Option<libdeflater::Decompressor>,
    stream: Option<flate2::Decompress>,
}

impl Inflater {
    /// The inflated part, when it is deflated, not encrypted, within
    /// `left` bytes, and inflates to exactly its declared size and CRC;
    /// `None` leaves it to the zip crate's reader.
    pub(super) fn part(&mut self, bytes: &[u8], entry: &Entry, left: u64) -> Option<Vec<u8>> {
        if !entry.deflated || entry.encrypted || entry.size > left {
            return None;
        }
        let size = usize::try_from(entry.size).ok()?;
        let start = usize::try_from(entry.data_start?).ok()?;
        let len = usize::try_from(entry.compressed_size).ok()?;
        let raw = bytes.get(start..start.checked_add(len)?)?;
        let out = if entry.size <= HINT_CAP.max(entry.compressed_size.saturating_mul(WHOLE_RATIO)) {
            self.whole(raw, size)?
        } else {
            self.streamed(raw, size)?
        };
        (crc32fast::hash(&out) == entry.crc32).then_some(out)
    }

    /// `raw` inflated at once into exactly `size` bytes: a stream that
    /// ends short of them, or would go past them, is `None`.
    fn whole(&mut self, raw: &[u8], size: usize) -> Option<Vec<u8>> {
        let state = self
            .whole
            .get_or_insert_with(libdeflater::Decompressor::new);
        let mut out = vec![0; size];
        let n = state.deflate_decompress(raw, &mut out).ok()?;
        (n == size).then_some(out)
    }

    /// `raw` inflated by zlib-rs into a buffer that grows with what comes
    /// out, to exactly `size` bytes.
    fn streamed(&mut self, raw: &[u8], size: usize) -> Option<Vec<u8>> {
        let state = self
            .stream
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
        (out.len() == size).then_some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deflated bytes as the zip crate writes them.
    fn deflated(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        std::io::Write::write_all(&mut e, data).unwrap();
        e.finish().unwrap()
    }

    /// Both inflaters take a stream of exactly the declared size, and
    /// neither one that is cut short, or that inflates to more or fewer
    /// bytes than declared.
    #[test]
    fn whole_and_streamed_inflation_take_the_same_streams() {
        let data: Vec<u8> = (0..300_000u32).map(|i| (i % 7 + i / 5000) as u8).collect();
        let raw = deflated(&data);
        let mut inf = Inflater::default();
        for size in [data.len(), data.len() - 1, data.len() + 1] {
            let want = (size == data.len()).then(|| data.clone());
            assert_eq!(inf.whole(&raw, size), want, "whole {size}");
            assert_eq!(inf.streamed(&raw, size), want, "streamed {size}");
        }
        let cut = raw.get(..raw.len() / 2).unwrap();
        assert_eq!(inf.whole(cut, data.len()), None);
        assert_eq!(inf.streamed(cut, data.len()), None);
        assert_eq!(inf.whole(&deflated(b""), 0), Some(Vec::new()));
        assert_eq!(inf.streamed(&deflated(b""), 0), Some(Vec::new()));
    }
}
