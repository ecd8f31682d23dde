//! The XML parts of an .xlsx package (listed by src/read/package.rs),
//! each inflated at most once and only when it is read: the streaming
//! reader inflates the parts it reads (package and workbook relationships,
//! workbook, shared strings, the sheets) and never the others (theme,
//! styles, document properties …); a workbook left to calamine has all its
//! parts inflated first, in the zip's order, with the checks, bounds and
//! errors of a reading that inflates every part before anything is read.

use super::inflater::{Entry, Inflater};
use super::package::{
    check_shared_strings, is_shared_strings, is_xml_part, zip_problem, HINT_CAP, MAX_INFLATED_BYTES,
};
use crate::error::Error;
use std::cell::{Cell, OnceCell, RefCell};
use std::io::{Cursor, Read, Write};
use std::path::Path;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

/// One XML part: where it is in the zip, and its bytes once inflated.
#[derive(Debug)]
struct Part {
    name: String,
    entry: Entry,
    data: OnceCell<Vec<u8>>,
}

impl std::fmt::Debug for Parts<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Parts")
            .field("parts", &self.parts)
            .field("inflated", &self.inflated)
            .field("broken", &self.broken)
            .finish_non_exhaustive()
    }
}

/// The XML parts of a package, in the zip's order, each inflated at most
/// once: when first asked for ([`Parts::get`], the streaming reader's
/// parts only), or all of them in the zip's order ([`Parts::inflate_all`],
/// before calamine reads them), with the checks and the bound of the old
/// reading that inflated everything first.
pub struct Parts<'z> {
    bytes: &'z [u8],
    path: &'z Path,
    archive: RefCell<ZipArchive<Cursor<&'z [u8]>>>,
    parts: Vec<Part>,
    by_name: std::collections::HashMap<String, usize>,
    inflater: RefCell<Inflater>,
    /// Bytes inflated by [`Parts::get`] so far.
    inflated: Cell<u64>,
    /// The complaint about the zip entry at which listing the parts
    /// stopped (later entries are not listed).
    broken: Option<Error>,
}

impl<'z> Parts<'z> {
    /// The XML parts the zip's directory lists, none inflated yet; listing
    /// stops at an entry the zip crate cannot open (its complaint is kept
    /// for [`Parts::inflate_all`]).
    pub(super) fn listed(
        bytes: &'z [u8],
        path: &'z Path,
        mut archive: ZipArchive<Cursor<&'z [u8]>>,
    ) -> Self {
        let broken = |detail: String| Error::NotAWorkbook {
            path: path.to_path_buf(),
            detail,
        };
        let mut parts = Vec::new();
        let mut by_name = std::collections::HashMap::new();
        let mut stop = None;
        for i in 0..archive.len() {
            let entry = match archive.by_index(i) {
                Ok(entry) => entry,
                Err(e) => {
                    stop = Some(broken(format!("zip 第 {} 个部件无法读取（{e}）", i + 1)));
                    break;
                }
            };
            let name = match entry.name() {
                Ok(name) => name.into_owned(),
                Err(e) => {
                    stop = Some(broken(format!(
                        "zip 第 {} 个部件名称无法识别（{e}）",
                        i + 1
                    )));
                    break;
                }
            };
            if entry.is_dir() || !is_xml_part(&name) {
                continue;
            }
            by_name.insert(name.clone(), parts.len());
            parts.push(Part {
                name,
                entry: Entry::of(i, &entry),
                data: OnceCell::new(),
            });
        }
        Parts {
            bytes,
            path,
            archive: RefCell::new(archive),
            parts,
            by_name,
            inflater: RefCell::new(Inflater::default()),
            inflated: Cell::new(0),
            broken: stop,
        }
    }

    /// The part stored under exactly `name`, inflated now if it was not;
    /// `Err` when it does not inflate as the zip says, when the parts
    /// inflated so far would exceed [`MAX_INFLATED_BYTES`], when the
    /// shared strings claim too many, or when the parts could not all be
    /// listed: [`Parts::inflate_all`] then names the problem as the reading
    /// in the zip's order finds it.
    pub(super) fn get(&self, name: &str) -> Result<Option<&[u8]>, ()> {
        if self.broken.is_some() {
            return Err(());
        }
        let Some(part) = self.by_name.get(name).and_then(|at| self.parts.get(*at)) else {
            return Ok(None);
        };
        if let Some(data) = part.data.get() {
            return Ok(Some(data));
        }
        let left = MAX_INFLATED_BYTES.saturating_sub(self.inflated.get());
        let data = self.read_part(part, left).map_err(drop)?;
        let size = u64::try_from(data.len()).unwrap_or(u64::MAX);
        if size > left {
            return Err(());
        }
        if is_shared_strings(&part.name) {
            check_shared_strings(&part.name, &data, self.path).map_err(drop)?;
        }
        self.inflated.set(self.inflated.get().saturating_add(size));
        Ok(Some(part.data.get_or_init(|| data)))
    }

    /// The size the zip's directory declares for the part stored under
    /// exactly `name` (0 when there is none): a hint, never a bound.
    pub(super) fn declared_size(&self, name: &str) -> u64 {
        self.by_name
            .get(name)
            .and_then(|at| self.parts.get(*at))
            .map_or(0, |p| p.entry.size)
    }

    /// True when a part's name equals `name` but for case (and not
    /// exactly).
    pub fn has_other_case(&self, name: &str) -> bool {
        !self.by_name.contains_key(name)
            && self.parts.iter().any(|p| p.name.eq_ignore_ascii_case(name))
    }

    /// The part stored under exactly `name`, to change (tests mutate parts).
    #[cfg(test)]
    pub fn get_mut(&mut self, name: &str) -> Option<&mut Vec<u8>> {
        self.get(name).ok()??;
        let at = *self.by_name.get(name)?;
        self.parts.get_mut(at)?.data.get_mut()
    }

    /// The parts as (name, bytes) once all are inflated (tests compare
    /// them).
    #[cfg(test)]
    pub(super) fn inflated(&self) -> Vec<(String, Vec<u8>)> {
        let data = |p: &Part| p.data.get().cloned().unwrap_or_default();
        self.parts
            .iter()
            .map(|p| (p.name.clone(), data(p)))
            .collect()
    }

    /// Inflates the parts not yet inflated, in the zip's order, checking
    /// each as it comes: the bound on the total (parts inflated earlier
    /// counted where they stand in that order), the shared strings' count,
    /// and the entry at which the listing stopped. The first problem in
    /// that order is the error, as when every part was inflated before
    /// anything was read.
    ///
    /// # Errors
    /// [`Error::NotAWorkbook`] for a part that does not inflate;
    /// [`Error::TooLarge`] beyond [`MAX_INFLATED_BYTES`] or for too many
    /// shared strings.
    pub fn inflate_all(&mut self) -> Result<(), Error> {
        let mut total: u64 = 0;
        for part in &self.parts {
            let left = MAX_INFLATED_BYTES.saturating_sub(total);
            let size = match part.data.get() {
                // Read with this much left, the zip crate's reader would
                // have stopped one byte past it.
                Some(data) => u64::try_from(data.len())
                    .unwrap_or(u64::MAX)
                    .min(left.saturating_add(1)),
                None => {
                    let data = self.read_part(part, left)?;
                    let size = u64::try_from(data.len()).unwrap_or(u64::MAX);
                    part.data.get_or_init(|| data);
                    size
                }
            };
            total = total.saturating_add(size);
            if total > MAX_INFLATED_BYTES {
                return Err(Error::TooLarge {
                    path: self.path.to_path_buf(),
                    what: format!(
                        "解压后的 XML 部件总大小（字节；在部件“{}”处超出，已停止解压）",
                        part.name
                    ),
                    found: total,
                    limit: MAX_INFLATED_BYTES,
                });
            }
            if is_shared_strings(&part.name) {
                let data = part.data.get().map(Vec::as_slice).unwrap_or_default();
                check_shared_strings(&part.name, data, self.path)?;
            }
        }
        match self.broken.take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// One part inflated, at most `left` bytes and one more: in place by
    /// [`Inflater`], else by the zip crate's reader with its checks and
    /// messages.
    fn read_part(&self, part: &Part, left: u64) -> Result<Vec<u8>, Error> {
        if let Some(data) = self
            .inflater
            .borrow_mut()
            .part(self.bytes, &part.entry, left)
        {
            return Ok(data);
        }
        let name = &part.name;
        let broken = |detail: String| Error::NotAWorkbook {
            path: self.path.to_path_buf(),
            detail,
        };
        let mut archive = self.archive.borrow_mut();
        let mut entry = archive.by_index(part.entry.index).map_err(|e| {
            broken(format!(
                "zip 第 {} 个部件无法读取（{e}）",
                part.entry.index + 1
            ))
        })?;
        // The declared size is only a hint: never more than 256 KiB is
        // reserved on its word (a directory may declare 128 MiB per part).
        let hint = part.entry.size.min(HINT_CAP);
        let mut data = Vec::with_capacity(usize::try_from(hint).unwrap_or(0));
        (&mut entry)
            .take(left.saturating_add(1))
            .read_to_end(&mut data)
            .map_err(|e| {
                broken(format!(
                    "zip 部件“{name}”解压失败：{}",
                    zip_problem(&e.to_string())
                ))
            })?;
        Ok(data)
    }

    /// The parts stored again, uncompressed, in a fresh in-memory zip (what
    /// calamine reads), after [`Parts::inflate_all`].
    ///
    /// # Errors
    /// [`Error::NotAWorkbook`] if the zip cannot be written.
    pub fn repack(&self) -> Result<Vec<u8>, Error> {
        let broken = |detail: String| Error::NotAWorkbook {
            path: self.path.to_path_buf(),
            detail,
        };
        let mut out = ZipWriter::new(Cursor::new(Vec::new()));
        let stored = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Stored)
            .large_file(false);
        for part in &self.parts {
            let name = &part.name;
            let data = part.data.get().map(Vec::as_slice).unwrap_or_default();
            out.start_file(name.clone(), stored)
                .and_then(|()| out.write_all(data).map_err(Into::into))
                .map_err(|e| broken(format!("zip 部件“{name}”无法重新打包（{e}）")))?;
        }
        let cursor = out
            .finish()
            .map_err(|e| broken(format!("zip 无法重新打包（{e}）")))?;
        Ok(cursor.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::package::{inflate, open};
    use crate::read::workbook::sheets_from_bytes;

    fn sample() -> Vec<u8> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        std::fs::read(root.join("samples/shuozhou-investment-2025.xlsx")).unwrap()
    }

    /// The names of the parts inflated so far.
    fn inflated_names(parts: &Parts<'_>) -> Vec<String> {
        let done = parts.parts.iter().filter(|p| p.data.get().is_some());
        done.map(|p| p.name.clone()).collect()
    }

    #[test]
    fn the_streaming_reader_inflates_only_the_parts_it_reads() {
        let bytes = sample();
        let path = Path::new("s.xlsx");
        let parts = open(&bytes, path).unwrap();
        assert!(inflated_names(&parts).is_empty());
        crate::read::xlsx_stream::read(&parts, path).unwrap();
        let names = inflated_names(&parts);
        assert_eq!(names.len(), 23, "{names:?}");
        for unread in ["xl/theme/theme1.xml", "xl/styles.xml", "docProps/app.xml"] {
            assert!(!names.iter().any(|n| n == unread), "{unread}");
        }
        let sizes: u64 = parts
            .parts
            .iter()
            .filter_map(|p| p.data.get())
            .map(|d| d.len() as u64)
            .sum();
        assert_eq!(parts.inflated.get(), sizes);
    }

    /// Bytes of the sample changed at random: a refusal is the one of
    /// inflating every part first, in the zip's order, and a reading that
    /// the eager inflation would refuse is refused only for a part the
    /// streaming reader does not read.
    #[test]
    fn refusals_are_those_of_inflating_every_part_first() {
        let sample = sample();
        let path = Path::new("m.xlsx");
        let mut rnd = crate::read::package::pseudo_random(0x0123_4567_89ab_cdef);
        let (mut same, mut unread) = (0, 0);
        for _ in 0..300 {
            let bytes = crate::read::package::with_bytes_changed(&sample, &mut rnd);
            let eager = inflate(&bytes, path).map(|_| ()).map_err(|e| e.to_string());
            let lazy = sheets_from_bytes(bytes.clone(), path).map_err(|e| e.to_string());
            match (&eager, &lazy) {
                (Err(e), Err(l)) if l.contains("zip") => {
                    assert_eq!(e, l);
                    same += 1;
                }
                (Err(e), Ok(_)) => {
                    let read = ["worksheets/", "sharedStrings", "workbook.xml", "rels"];
                    assert!(!read.iter().any(|r| e.contains(r)), "{e}");
                    unread += 1;
                }
                _ => {}
            }
        }
        assert!(same > 50 && unread > 5, "{same} {unread}");
    }

    /// A part read early still counts where it stands in the zip's order:
    /// the total is refused at the same part, with the same figure, as when
    /// every part was inflated in order.
    #[test]
    fn a_part_read_early_counts_in_the_zip_order() {
        let big = usize::try_from(MAX_INFLATED_BYTES).unwrap() - 10;
        let mut w = ZipWriter::new(Cursor::new(Vec::new()));
        let opts = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
        w.start_file("xl/big.xml", opts).unwrap();
        let zeros = vec![b' '; 1 << 20];
        let mut left = big;
        while left > 0 {
            let n = left.min(zeros.len());
            w.write_all(&zeros[..n]).unwrap();
            left -= n;
        }
        w.start_file("xl/workbook.xml", opts).unwrap();
        w.write_all(&[b' '; 100]).unwrap();
        let bytes = w.finish().unwrap().into_inner();
        let path = Path::new("b.xlsx");
        let eager = inflate(&bytes, path).unwrap_err().to_string();
        let mut parts = open(&bytes, path).unwrap();
        assert_eq!(
            parts.get("xl/workbook.xml").unwrap().map(<[u8]>::len),
            Some(100)
        );
        let lazy = parts.inflate_all().unwrap_err().to_string();
        assert_eq!(lazy, eager);
        assert!(
            eager.contains("workbook.xml")
                && eager.contains(&format!("{}", MAX_INFLATED_BYTES + 1)),
            "{eager}"
        );
    }
}
