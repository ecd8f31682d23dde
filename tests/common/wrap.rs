#![allow(dead_code)]
//! Wrapping fuzz inputs into whole files: shared by the fuzz targets
//! (fuzz/fuzz_targets, via `#[path]`) and the regression tests that replay
//! what they found (tests/fuzz_regressions.rs). Depends on `zip` only.

use std::io::Write;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#;
const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="表1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;

/// Separates the worksheet XML from the shared strings in an input.
pub const SST_SEPARATOR: &[u8] = b"\0\0SST\0\0";

/// An .xlsx (stored, one sheet named 表1) from an input holding a
/// worksheet's XML, then [`SST_SEPARATOR`] and the shared strings XML.
pub fn xlsx_from_sheet(data: &[u8]) -> Vec<u8> {
    let (sheet, strings) = match data
        .windows(SST_SEPARATOR.len())
        .position(|w| w == SST_SEPARATOR)
    {
        Some(at) => (&data[..at], &data[at + SST_SEPARATOR.len()..]),
        None => (data, &b""[..]),
    };
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, part) in [
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("_rels/.rels", RELS.as_bytes()),
        ("xl/workbook.xml", WORKBOOK.as_bytes()),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet),
        ("xl/sharedStrings.xml", strings),
    ] {
        zip.start_file(name, opts).expect("start part");
        zip.write_all(part).expect("write part");
    }
    zip.finish().expect("finish zip").into_inner()
}

const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
const FREESECT: u32 = 0xFFFF_FFFF;
const FATSECT: u32 = 0xFFFF_FFFD;

/// Streams longer than this need a DIFAT, which [`xls_from_stream`] does
/// not write.
pub const MAX_STREAM: usize = 4 * 1024 * 1024;

/// An .xls: a well-formed OLE compound file whose one stream, `Workbook`,
/// is `stream` (see [`compound_file`]).
pub fn xls_from_stream(stream: &[u8]) -> Vec<u8> {
    compound_file(&[("Workbook", stream)])
}

/// A well-formed OLE compound file (512-byte sectors) holding the named
/// streams, each padded to at least 4096 bytes (so none is a mini
/// stream). Sectors: the FAT, then the directory (one sector, so at most
/// three streams), then the streams in order.
pub fn compound_file(streams: &[(&str, &[u8])]) -> Vec<u8> {
    let padded: Vec<Vec<u8>> = streams
        .iter()
        .map(|(_, s)| {
            let mut d = s.to_vec();
            d.resize(d.len().max(4096).div_ceil(512) * 512, 0);
            d
        })
        .collect();
    let n: usize = padded.iter().map(|d| d.len() / 512).sum();
    let mut fat_sectors = 1;
    while fat_sectors * 128 < fat_sectors + 1 + n {
        fat_sectors += 1;
    }
    let dir = fat_sectors as u32;
    let mut fat = vec![FATSECT; fat_sectors];
    fat.push(ENDOFCHAIN);
    let entry = |name: &str, kind: u8, start: u32, len: u64| {
        let mut e = vec![0u8; 128];
        let utf16: Vec<u8> = name
            .encode_utf16()
            .chain([0])
            .flat_map(u16::to_le_bytes)
            .collect();
        e[..utf16.len()].copy_from_slice(&utf16);
        e[64..66].copy_from_slice(&(utf16.len() as u16).to_le_bytes());
        e[66] = kind;
        e[68..80].copy_from_slice(&[0xFF; 12]);
        e[116..120].copy_from_slice(&start.to_le_bytes());
        e[120..128].copy_from_slice(&len.to_le_bytes());
        e
    };
    let mut directory = entry("Root Entry", 5, ENDOFCHAIN, 0);
    for ((name, _), data) in streams.iter().zip(&padded) {
        let first = fat.len() as u32;
        let k = data.len() / 512;
        for i in 0..k {
            fat.push(if i + 1 == k {
                ENDOFCHAIN
            } else {
                first + i as u32 + 1
            });
        }
        directory.extend(entry(name, 2, first, data.len() as u64));
    }
    assert!(directory.len() <= 512, "at most three streams");
    directory.resize(512, 0);
    fat.resize(fat_sectors * 128, FREESECT);
    let mut h = vec![0u8; 512];
    h[..8].copy_from_slice(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
    h[24..26].copy_from_slice(&0x3Eu16.to_le_bytes());
    h[26..28].copy_from_slice(&3u16.to_le_bytes());
    h[28..30].copy_from_slice(&0xFFFEu16.to_le_bytes());
    h[30..32].copy_from_slice(&9u16.to_le_bytes());
    h[32..34].copy_from_slice(&6u16.to_le_bytes());
    h[44..48].copy_from_slice(&(fat_sectors as u32).to_le_bytes());
    h[48..52].copy_from_slice(&dir.to_le_bytes());
    h[56..60].copy_from_slice(&4096u32.to_le_bytes());
    h[60..64].copy_from_slice(&ENDOFCHAIN.to_le_bytes());
    h[68..72].copy_from_slice(&ENDOFCHAIN.to_le_bytes());
    for (i, w) in h[76..512].chunks_exact_mut(4).enumerate() {
        let id = if i < fat_sectors { i as u32 } else { FREESECT };
        w.copy_from_slice(&id.to_le_bytes());
    }
    let mut out = h;
    out.extend(fat.iter().flat_map(|w| w.to_le_bytes()));
    out.extend(directory);
    for d in padded {
        out.extend(d);
    }
    out
}

/// A BIFF8 record.
pub fn record(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut v = typ.to_le_bytes().to_vec();
    v.extend((data.len() as u16).to_le_bytes());
    v.extend(data);
    v
}

/// A minimal BIFF8 `Workbook` stream (wrap it with [`xls_from_stream`]):
/// one sheet, 表1, whose substream holds `records` (see [`record`]).
pub fn biff_sheet(records: &[u8]) -> Vec<u8> {
    let bof = |kind: u16| {
        let mut d = vec![0x00, 0x06];
        d.extend(kind.to_le_bytes());
        d.extend([0u8; 12]);
        record(0x0809, &d)
    };
    let name: Vec<u8> = "表1".encode_utf16().flat_map(u16::to_le_bytes).collect();
    let boundsheet_len = 4 + 4 + 2 + 2 + name.len();
    let sheet_at = bof(0x0005).len() + boundsheet_len + 4;
    let mut boundsheet = (sheet_at as u32).to_le_bytes().to_vec();
    boundsheet.extend([0, 0, 2, 1]);
    boundsheet.extend(&name);
    let mut s = bof(0x0005);
    s.extend(record(0x0085, &boundsheet));
    s.extend(record(0x000A, &[]));
    assert_eq!(s.len(), sheet_at);
    s.extend(bof(0x0010));
    s.extend(records);
    s.extend(record(0x000A, &[]));
    s
}

/// [`biff_sheet`] holding one formula whose token bytes (after the
/// 20-byte fixed part: stated length, then tokens) are `tokens`.
pub fn biff_with_formula(tokens: &[u8]) -> Vec<u8> {
    let mut formula = vec![0u8; 20];
    formula.extend(tokens);
    biff_sheet(&record(0x0006, &formula))
}

/// [`biff_with_formula`] with one PtgRef3d token missing its 6 bytes of
/// operands. Nothing in the record structure is wrong, but calamine's
/// formula decompiler reads past the tokens and panics: the reader must
/// catch that and report an unreadable file.
pub fn biff_with_broken_formula() -> Vec<u8> {
    biff_with_formula(&[1, 0, 0x3A])
}
