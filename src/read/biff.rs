//! The BIFF `Workbook` stream of an .xls, measured before calamine parses
//! it.
//!
//! calamine parses a whole .xls when it opens it: every sheet goes into a
//! *dense* grid spanning its used area (one stray value at IV65536 costs a
//! 65,536 × 256 grid), room is reserved for the area a sheet's DIMENSIONS
//! record states (a forged one asks for terabytes), every cell that uses a
//! shared string gets its own copy of the string, formulas are decompiled
//! to text, and records split into CONTINUE parts are consumed at a cost
//! that grows with the square of their number. This module walks the
//! records the way calamine will (the sheet list in the workbook globals,
//! then each sheet from its stated offset to its EOF) and adds up what
//! calamine will spend, so the caller can refuse a file before calamine
//! allocates.

/// A sheet's grid as calamine would allocate it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grid {
    /// Sheet name (best effort; `第N个工作表` when unreadable).
    pub sheet: String,
    /// First used (row, col), 0-based.
    pub first: (u32, u32),
    /// Last used (row, col), 0-based.
    pub last: (u32, u32),
    /// Cells of the used area (the dense grid calamine keeps).
    pub used: u64,
    /// Cells the sheet's DIMENSIONS record reserves while it is read.
    pub reserved: u64,
}

/// What calamine will spend on the workbook.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cost {
    /// Grid of each sheet entry, in workbook order.
    pub grids: Vec<Grid>,
    /// Cell values calamine collects before building grids.
    pub cell_records: u64,
    /// Upper bound of the UTF-8 bytes of cell text calamine builds.
    pub text_bytes: u64,
    /// Sum over formulas of (formula bytes)², which bounds the work of
    /// decompiling them.
    pub formula_work: u64,
    /// Most CONTINUE records folded into one record.
    pub max_continues: u64,
    /// CONTINUE records in all.
    pub continues: u64,
}

/// What the walk found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Walk {
    /// What reading the workbook will cost.
    Cost(Cost),
    /// The globals carry a FILEPASS record: the workbook is encrypted.
    Encrypted,
    /// The record structure is broken where calamine would panic or loop.
    Broken(String),
}

struct Record<'a> {
    typ: u16,
    data: &'a [u8],
    cont: Vec<&'a [u8]>,
}

/// Records as calamine's iterator yields them (CONTINUE records are
/// folded into the record before them); stops at the first malformed one.
fn records(stream: &[u8]) -> impl Iterator<Item = Record<'_>> {
    let mut rest = stream;
    std::iter::from_fn(move || {
        let typ = u16::from_le_bytes([*rest.first()?, *rest.get(1)?]);
        let len = usize::from(u16::from_le_bytes([*rest.get(2)?, *rest.get(3)?]));
        let data = rest.get(4..4 + len)?;
        rest = rest.get(4 + len..)?;
        let mut cont = Vec::new();
        while rest.len() > 4 && rest.starts_with(&[0x3C, 0x00]) {
            let n = usize::from(u16::from_le_bytes([rest[2], rest[3]]));
            cont.push(rest.get(4..4 + n)?);
            rest = rest.get(4 + n..)?;
        }
        Some(Record { typ, data, cont })
    })
}

fn u16_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(u16::from_le_bytes([
        *b.get(at)?,
        *b.get(at + 1)?,
    ])))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn len64(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// A BoundSheet8 name (BIFF8 short string), best effort.
fn sheet_name(data: &[u8], index: usize) -> String {
    let fallback = || format!("第{}个工作表", index + 1);
    let Some(&cch) = data.get(6) else {
        return fallback();
    };
    let cch = usize::from(cch);
    let name = match data.get(7) {
        Some(flags) if flags & 1 == 1 => data.get(8..8 + cch * 2).map(|b| {
            char::decode_utf16(b.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])))
                .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                .collect::<String>()
        }),
        Some(_) => data
            .get(8..8 + cch)
            .map(|b| b.iter().map(|&c| char::from(c)).collect()),
        None => None,
    };
    name.filter(|n| !n.is_empty()).unwrap_or_else(fallback)
}

/// The character count of each shared string, as calamine splits the SST
/// record (strings may run over into CONTINUE records). `None` where
/// calamine would fail or panic on the record.
fn shared_string_lengths(r: &Record<'_>) -> Option<Vec<u64>> {
    let mut data = r.data.get(8..)?;
    let mut cont = r.cont.iter();
    let mut lengths = Vec::new();
    loop {
        if data.is_empty() {
            match cont.next() {
                Some(next) => data = next,
                None => return Some(lengths),
            }
            if data.is_empty() {
                lengths.push(0);
                continue;
            }
        }
        if data.len() < 3 {
            return None;
        }
        let cch = usize::from(u16::from_le_bytes([data[0], data[1]]));
        let flags = data[2];
        data = &data[3..];
        let mut skip: usize = 0;
        if flags & 0x8 != 0 {
            skip = usize::from(u16::from_le_bytes([*data.first()?, *data.get(1)?])) * 4;
            data = data.get(2..)?;
        }
        if flags & 0x4 != 0 {
            let cb = i32::from_le_bytes(data.get(..4)?.try_into().ok()?);
            // calamine casts a negative size to a huge usize.
            skip = skip.saturating_add(cb as usize);
            data = data.get(4..)?;
        }
        let mut wide = flags & 1 != 0;
        let mut left = cch;
        while left > 0 {
            let unit = if wide { 2 } else { 1 };
            let n = (data.len() / unit).min(left);
            data = data.get(n * unit..)?;
            left -= n;
            if left > 0 {
                let next = cont.next()?;
                wide = next.first()? & 1 != 0;
                data = next.get(1..)?;
            }
        }
        while skip > 0 {
            if data.is_empty() {
                data = cont.next()?;
            }
            let n = skip.min(data.len());
            data = &data[n..];
            skip -= n;
        }
        lengths.push(len64(cch));
    }
}

/// A workbook-globals record too short for the fixed offsets calamine
/// reads it at (it indexes without checking and would panic). Tracks the
/// BIFF version from BOF records, as calamine does.
fn short_global(r: &Record<'_>, biff8: &mut bool) -> Option<&'static str> {
    let d = r.data;
    match r.typ {
        0x0809 => {
            let Some(version) = u16_at(d, 0) else {
                return Some("BOF 记录过短");
            };
            let kind = u16_at(d, 2).unwrap_or(0);
            *biff8 = match version {
                0x0200 | 0x0002 | 0x0007 | 0x0300 | 0x0400 | 0x0500 => false,
                0 => kind != 0x1000,
                _ => true,
            };
            None
        }
        0x0042 | 0x0022 | 0x0017 if d.len() < 2 => {
            Some("工作簿记录（CODEPAGE/DATEMODE/EXTERNSHEET）过短")
        }
        0x0018 => {
            let short = || Some("名称定义记录（LBL）过短");
            let cce = u16_at(d, 4).map(|n| n as usize);
            let Some(cce) = cce.filter(|n| d.len() >= 14 && *n <= d.len()) else {
                return short();
            };
            let rgce = d.get(d.len() - cce..).unwrap_or_default();
            let need = match (rgce.first(), *biff8) {
                (None, _) => 0,
                (Some(0x3a | 0x5a | 0x7a), true) => 7,
                (Some(0x3b | 0x5b | 0x7b), true) => 11,
                (Some(0x3c | 0x5c | 0x7c | 0x3d | 0x5d | 0x7d), true) => 3,
                (Some(0x3a | 0x5a | 0x7a), false) => 18,
                (Some(0x3b | 0x5b | 0x7b), false) => 21,
                (Some(0x3c | 0x5c | 0x7c | 0x3d | 0x5d | 0x7d), false) => 13,
                _ => 0,
            };
            (rgce.len() < need).then_some("名称定义记录（LBL）的公式过短")
        }
        _ => None,
    }
}

/// Walks the stream; `budget` caps the bytes scanned over all sheets (a
/// forged sheet list can point every sheet at the same offset).
pub fn walk(stream: &[u8], budget: usize) -> Walk {
    let mut cost = Cost::default();
    let note_continues = |r: &Record<'_>, cost: &mut Cost| {
        let n = len64(r.cont.len());
        cost.continues = cost.continues.saturating_add(n);
        cost.max_continues = cost.max_continues.max(n);
    };
    let mut sheets: Vec<(usize, String)> = Vec::new();
    let mut strings: Vec<u64> = Vec::new();
    let mut biff8 = true;
    for r in records(stream) {
        note_continues(&r, &mut cost);
        if let Some(problem) = short_global(&r, &mut biff8) {
            return Walk::Broken(problem.into());
        }
        match r.typ {
            0x002F => match u16_at(r.data, 0) {
                None => return Walk::Broken("加密记录（FILEPASS）过短".into()),
                Some(0) => {}
                Some(_) => return Walk::Encrypted,
            },
            0x0085 => {
                if r.data.len() < 6 {
                    return Walk::Broken("工作表目录记录过短".into());
                }
                let pos = u32_at(r.data, 0).map_or(usize::MAX, |p| p as usize);
                sheets.push((pos, sheet_name(r.data, sheets.len())));
            }
            0x00FC => match shared_string_lengths(&r) {
                Some(l) => strings = l,
                None => return Walk::Broken("共享字符串表（SST）结构损坏".into()),
            },
            0x000A => break,
            _ => {}
        }
    }
    let mut scanned = 0usize;
    for (pos, name) in sheets {
        let Some(sheet) = stream.get(pos..) else {
            return Walk::Broken(format!("工作表“{name}”的位置 {pos} 超出数据流"));
        };
        let mut grid = SheetGrid::default();
        let mut depth = 0usize;
        let mut seen_bof = false;
        let mut formula_at = (0, 0);
        for r in records(sheet) {
            scanned = scanned.saturating_add(r.data.len() + 4);
            if scanned > budget {
                return Walk::Broken("工作表目录重复指向同一数据，读取量超出上限".into());
            }
            note_continues(&r, &mut cost);
            if depth > 0 {
                match r.typ {
                    0x0809 => depth += 1,
                    0x000A => depth -= 1,
                    _ => {}
                }
                continue;
            }
            let text = len64(r.data.len()).saturating_mul(3);
            match r.typ {
                0x0809 if seen_bof => depth += 1,
                0x0809 => seen_bof = true,
                0x0200 if !grid.reserve(r.data) => {
                    return Walk::Broken(format!("工作表“{name}”的区域声明（DIMENSIONS）首尾颠倒"));
                }
                0x00E5 => {
                    // calamine reads `count` ranges of 8 bytes unchecked.
                    let count = u16_at(r.data, 0).map(|n| n as usize);
                    if count.is_none_or(|n| r.data.len() < 2 + 8 * n) {
                        return Walk::Broken(format!("工作表“{name}”的合并单元格记录过短"));
                    }
                }
                0x0203 | 0x0205 | 0x027E => grid.cell(r.data, &mut cost, 0),
                0x0204 | 0x00D6 => grid.cell(r.data, &mut cost, text),
                0x00FD => {
                    let chars = u32_at(r.data, 6)
                        .and_then(|i| strings.get(i as usize))
                        .copied()
                        .unwrap_or(0);
                    grid.cell(r.data, &mut cost, chars.saturating_mul(3));
                }
                0x00BD => {
                    // calamine computes `last - first + 1` in u16: it must
                    // neither go negative nor overflow.
                    let last = r
                        .data
                        .len()
                        .checked_sub(2)
                        .and_then(|at| u16_at(r.data, at));
                    if let (Some(first), Some(last)) = (u16_at(r.data, 2), last) {
                        if last < first || last - first == u32::from(u16::MAX) {
                            return Walk::Broken(format!("工作表“{name}”的 MULRK 记录列范围无效"));
                        }
                    }
                    if let (Some(row), Some(first)) = (u16_at(r.data, 0), u16_at(r.data, 2)) {
                        let n = r.data.len().saturating_sub(6) / 6;
                        cost.cell_records = cost.cell_records.saturating_add(len64(n));
                        grid.add(row, first);
                        let last =
                            first.saturating_add(u32::try_from(n.max(1) - 1).unwrap_or(u32::MAX));
                        grid.add(row, last);
                    }
                }
                0x0006 if r.data.len() >= 20 => {
                    // calamine slices the formula's tokens by their stated
                    // length without checking it.
                    let rgce = &r.data[20..];
                    let fits = u16_at(rgce, 0).is_some_and(|cce| cce as usize <= rgce.len() - 2);
                    if !fits {
                        return Walk::Broken(format!("工作表“{name}”的公式记录长度不符"));
                    }
                    if let (Some(row), Some(col)) = (u16_at(r.data, 0), u16_at(r.data, 2)) {
                        formula_at = (row, col);
                        grid.cell(r.data, &mut cost, 0);
                        let n = len64(r.data.len() - 20);
                        cost.formula_work = cost.formula_work.saturating_add(n.saturating_mul(n));
                    }
                }
                0x0207 => {
                    grid.add(formula_at.0, formula_at.1);
                    cost.cell_records = cost.cell_records.saturating_add(1);
                    cost.text_bytes = cost.text_bytes.saturating_add(text);
                }
                0x000A => break,
                _ => {}
            }
        }
        cost.grids.push(grid.finish(name));
    }
    Walk::Cost(cost)
}

#[derive(Default)]
struct SheetGrid {
    used: Option<((u32, u32), (u32, u32))>,
    reserved: u64,
}

impl SheetGrid {
    fn add(&mut self, row: u32, col: u32) {
        self.used = Some(match self.used {
            None => ((row, col), (row, col)),
            Some((a, b)) => ((a.0.min(row), a.1.min(col)), (b.0.max(row), b.1.max(col))),
        });
    }

    /// A single-cell record: position at the start of its data.
    fn cell(&mut self, data: &[u8], cost: &mut Cost, text: u64) {
        if let (Some(row), Some(col)) = (u16_at(data, 0), u16_at(data, 2)) {
            self.add(row, col);
            cost.cell_records = cost.cell_records.saturating_add(1);
            cost.text_bytes = cost.text_bytes.saturating_add(text);
        }
    }

    /// calamine's DIMENSIONS handling; false when the stated area ends
    /// before it starts (calamine's u32 arithmetic would overflow).
    fn reserve(&mut self, d: &[u8]) -> bool {
        let dims = match d.len() {
            10 => (u16_at(d, 0), u16_at(d, 2), u16_at(d, 4), u16_at(d, 6)),
            14 | 16 => (u32_at(d, 0), u32_at(d, 4), u16_at(d, 8), u16_at(d, 10)),
            _ => return true,
        };
        let (Some(rf), Some(rl), Some(mut cf), Some(cl)) = dims else {
            return true;
        };
        if 0xFF < cf || cl < cf {
            cf = 0;
        }
        let (start, end) = if rl >= 1 && cl >= 1 {
            ((rf, cf), (rl - 1, cl - 1))
        } else {
            ((rf, cf), (rf, cf))
        };
        if end.0 < start.0 || end.1 < start.1 {
            return false;
        }
        let rows = u64::from(end.0 - start.0) + 1;
        let cols = u64::from(end.1 - start.1) + 1;
        self.reserved = self.reserved.max(rows.saturating_mul(cols));
        true
    }

    fn finish(self, sheet: String) -> Grid {
        let ((r0, c0), (r1, c1)) = self.used.unwrap_or(((0, 0), (0, 0)));
        let used = if self.used.is_some() {
            (u64::from(r1) - u64::from(r0) + 1) * (u64::from(c1) - u64::from(c0) + 1)
        } else {
            0
        };
        Grid {
            sheet,
            first: (r0, c0),
            last: (r1, c1),
            used,
            reserved: self.reserved,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut v = typ.to_le_bytes().to_vec();
        v.extend((data.len() as u16).to_le_bytes());
        v.extend(data);
        v
    }

    fn number(row: u16, col: u16) -> Vec<u8> {
        let mut d = row.to_le_bytes().to_vec();
        d.extend(col.to_le_bytes());
        d.extend([0u8; 10]);
        rec(0x0203, &d)
    }

    fn label_sst(row: u16, col: u16, index: u32) -> Vec<u8> {
        let mut d = row.to_le_bytes().to_vec();
        d.extend(col.to_le_bytes());
        d.extend([0u8; 2]);
        d.extend(index.to_le_bytes());
        rec(0x00FD, &d)
    }

    /// Globals (with an SST of the given strings) and one sheet.
    fn stream(strings: &[&str], sheet_records: &[Vec<u8>]) -> Vec<u8> {
        let bof = rec(0x0809, &[0u8; 16]);
        let mut sst = vec![0u8; 8];
        for s in strings {
            sst.extend((s.len() as u16).to_le_bytes());
            sst.push(0);
            sst.extend(s.as_bytes());
        }
        let sst = rec(0x00FC, &sst);
        let globals_len = bof.len() + sst.len() + (4 + 10) + 4;
        let mut boundsheet = (globals_len as u32).to_le_bytes().to_vec();
        boundsheet.extend([0, 0, 2, 0, b'S', b'1']);
        let mut s = bof.clone();
        s.extend(sst);
        s.extend(rec(0x0085, &boundsheet));
        s.extend(rec(0x000A, &[]));
        s.extend(bof);
        for r in sheet_records {
            s.extend(r);
        }
        s.extend(rec(0x000A, &[]));
        s
    }

    fn cost(s: &[u8]) -> Cost {
        match walk(s, usize::MAX) {
            Walk::Cost(c) => c,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_stray_cell_makes_a_huge_grid() {
        let c = cost(&stream(&[], &[number(0, 0), number(65535, 255)]));
        assert_eq!(c.grids[0].sheet, "S1");
        assert_eq!(c.grids[0].last, (65535, 255));
        assert_eq!(c.grids[0].used, 65536 * 256);
        assert_eq!(c.cell_records, 2);
    }

    #[test]
    fn a_forged_dimensions_record_counts() {
        let mut d = 0u32.to_le_bytes().to_vec();
        d.extend(u32::MAX.to_le_bytes());
        d.extend(0u16.to_le_bytes());
        d.extend(200u16.to_le_bytes());
        d.extend([0, 0]);
        let c = cost(&stream(&[], &[rec(0x0200, &d), number(1, 1)]));
        assert!(c.grids[0].reserved > 1 << 32);
    }

    #[test]
    fn shared_string_copies_are_counted() {
        let long = "x".repeat(1000);
        let cells: Vec<Vec<u8>> = (0..10).map(|r| label_sst(r, 0, 1)).collect();
        let c = cost(&stream(&["a", &long], &cells));
        assert_eq!(c.text_bytes, 10 * 3000);
    }

    #[test]
    fn filepass_means_encrypted() {
        let mut s = rec(0x0809, &[0u8; 16]);
        s.extend(rec(0x002F, &[1, 0, 0, 0]));
        assert_eq!(walk(&s, usize::MAX), Walk::Encrypted);
    }

    #[test]
    fn sheets_pointing_at_one_offset_exhaust_the_budget() {
        let s = stream(&[], &[number(0, 0)]);
        assert!(matches!(walk(&s, 8), Walk::Broken(_)));
    }
}
