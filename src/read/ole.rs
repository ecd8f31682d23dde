//! OLE compound files (the container of an .xls, and of an encrypted
//! .xlsx), checked before calamine reads them.
//!
//! calamine follows sector chains as the file states them: a chain that
//! loops never ends and, for a stream whose stated length is huge, grows
//! without bound; a sector number past the FAT panics. This module walks
//! the same chains the same way calamine will (header, DIFAT, FAT,
//! directory, mini stream, then the `Workbook` or `Book` stream) and
//! refuses a file where any chain loops, leaves the file or points past
//! the FAT. It is stricter than calamine (every sector a chain touches must
//! lie wholly inside the file), which real files written by Excel, WPS and
//! LibreOffice always satisfy.

/// End of a sector chain.
const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
/// Marks a DIFAT sector in the FAT; ids at or above it are not FAT sectors.
const DIFSECT: u32 = 0xFFFF_FFFC;
/// Ids at or above this are special values, not sectors.
const MAXREGSECT: u32 = 0xFFFF_FFFA;
/// Size of a mini sector.
const MINI_SECTOR: usize = 64;
/// Streams shorter than this live in the mini stream.
const MINI_CUTOFF: usize = 4096;

/// What the container holds, as far as the reader needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compound {
    /// Names of the directory entries (streams and storages).
    pub names: Vec<String>,
    /// The BIFF `Workbook` (or older `Book`) stream, if there is one.
    pub workbook: Option<Vec<u8>>,
}

impl Compound {
    /// True when the container is an encrypted Office Open XML package
    /// (a password-protected .xlsx is stored this way).
    pub fn is_encrypted_package(&self) -> bool {
        self.names.iter().any(|n| {
            n.eq_ignore_ascii_case("EncryptedPackage") || n.eq_ignore_ascii_case("EncryptionInfo")
        })
    }
}

fn le16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn le32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn le64(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

fn words(b: &[u8]) -> impl Iterator<Item = u32> + '_ {
    b.chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
}

/// Sectors of one size over a byte slice (whole sectors only).
struct Sectors<'a> {
    data: &'a [u8],
    size: usize,
}

impl<'a> Sectors<'a> {
    fn count(&self) -> usize {
        self.data.len() / self.size
    }

    fn get(&self, id: u32) -> Result<&'a [u8], String> {
        let start = usize::try_from(id)
            .ok()
            .and_then(|i| i.checked_mul(self.size))
            .ok_or_else(|| format!("扇区 {id} 超出文件"))?;
        self.data
            .get(start..start + self.size)
            .ok_or_else(|| format!("扇区 {id} 超出文件"))
    }

    /// The bytes of a chain, up to `len`, as calamine assembles them;
    /// refuses loops and ids past the allocation table.
    fn chain(&self, start: u32, table: &[u32], len: usize) -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        let mut seen = vec![false; self.count()];
        let mut id = start;
        while id != ENDOFCHAIN {
            let sector = self.get(id)?;
            let i = usize::try_from(id).map_err(|_| format!("扇区 {id} 超出文件"))?;
            match seen.get_mut(i) {
                Some(s) if !*s => *s = true,
                _ => return Err(format!("扇区链在扇区 {id} 处成环")),
            }
            let take = sector.len().min(len - out.len());
            out.extend_from_slice(sector.get(..take).unwrap_or_default());
            if out.len() >= len {
                break;
            }
            id = *table
                .get(i)
                .ok_or_else(|| format!("扇区 {id} 不在分配表内"))?;
        }
        Ok(out)
    }
}

/// Walks an OLE compound file the way calamine will.
///
/// # Errors
/// A Chinese description of the first structural fault found.
pub fn check(bytes: &[u8]) -> Result<Compound, String> {
    let header = bytes.get(..512).ok_or("OLE 文件头不完整")?;
    let version = le16(header, 26).ok_or("OLE 文件头不完整")?;
    let size: usize = match le16(header, 30) {
        Some(9) => 512,
        Some(12) => 4096,
        _ => return Err("OLE 扇区大小无效".into()),
    };
    if le16(header, 32) != Some(6) {
        return Err("OLE 迷你扇区大小无效".into());
    }
    let body = bytes.get(size..).ok_or("OLE 文件头不完整")?;
    let sectors = Sectors { data: body, size };
    // calamine refuses ids beyond file length / sector size.
    let maxid = bytes.len() / size;
    let dir_start = le32(header, 48).ok_or("OLE 文件头不完整")?;
    let mini_fat_start = le32(header, 60).ok_or("OLE 文件头不完整")?;
    let mini_fat_len = le32(header, 64).ok_or("OLE 文件头不完整")?;
    let difat_start = le32(header, 68).ok_or("OLE 文件头不完整")?;
    let mut difat: Vec<u32> = words(header.get(76..512).unwrap_or_default()).collect();

    let mut id = difat_start;
    let mut hops = 0usize;
    while id < MAXREGSECT {
        hops += 1;
        if hops > maxid.saturating_add(1) {
            return Err("DIFAT 扇区链过长".into());
        }
        difat.extend(words(sectors.get(id)?));
        id = difat.pop().ok_or("DIFAT 为空")?;
    }

    let fat_sectors: Vec<u32> = difat.into_iter().filter(|id| *id < DIFSECT).collect();
    if fat_sectors.len() > sectors.count() {
        return Err("FAT 扇区数多于文件中的扇区数".into());
    }
    let mut fat = Vec::new();
    for id in fat_sectors {
        fat.extend(words(sectors.get(id)?));
    }

    let dir_bytes = sectors.chain(dir_start, &fat, usize::MAX)?;
    let dirs: Vec<(String, u32, usize)> = dir_bytes
        .chunks_exact(128)
        .map(|d| {
            let name: String = char::decode_utf16(words16(d.get(..64).unwrap_or_default()))
                .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                .take_while(|c| *c != '\0')
                .collect();
            let start = le32(d, 116).unwrap_or(ENDOFCHAIN);
            let len = if size == 512 {
                le32(d, 120).map(|v| v as usize)
            } else {
                le64(d, 120).and_then(|v| usize::try_from(v).ok())
            }
            .unwrap_or(0);
            (name, start, len)
        })
        .collect();
    let root = dirs.first().ok_or("OLE 目录为空")?;
    if version != 3 && root.1 == ENDOFCHAIN {
        return Err("OLE 根目录为空".into());
    }

    let (mini_fat, mini_stream) = if mini_fat_len > 0 {
        let stream = sectors.chain(root.1, &fat, root.2)?;
        let fat_len = usize::try_from(mini_fat_len)
            .ok()
            .and_then(|n| n.checked_mul(size))
            .ok_or("迷你 FAT 长度无效")?;
        let table: Vec<u32> = words(&sectors.chain(mini_fat_start, &fat, fat_len)?).collect();
        (table, stream)
    } else {
        (Vec::new(), Vec::new())
    };
    let mini = Sectors {
        data: &mini_stream,
        size: MINI_SECTOR,
    };

    let find = |want: &str| dirs.iter().find(|d| d.0.eq_ignore_ascii_case(want));
    let workbook = match find("Workbook").or_else(|| find("Book")) {
        Some((_, start, len)) if *len < MINI_CUTOFF => Some(mini.chain(*start, &mini_fat, *len)?),
        Some((_, start, len)) => Some(sectors.chain(*start, &fat, *len)?),
        None => None,
    };
    Ok(Compound {
        names: dirs.into_iter().map(|d| d.0).collect(),
        workbook,
    })
}

fn words16(b: &[u8]) -> impl Iterator<Item = u16> + '_ {
    b.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]]))
}
