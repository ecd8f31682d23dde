//! The .xlsx package being annotated: its parts read within bounds, part
//! names resolved through relationships, relationships and content types
//! added, and the package written again — every part not changed copied
//! as stored (still compressed, never inflated).

use super::xml::{attr, esc, local, scan};
use crate::read::MAX_INFLATED_BYTES;
use quick_xml::events::Event;
use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

/// Why the package could not be patched, in Chinese.
pub type Problem = String;

/// Content type of a worksheet part.
pub const WORKSHEET_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml";
/// Content type of a comments part.
pub const COMMENTS_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml";
/// Relationship type of a worksheet.
pub const WORKSHEET_REL: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet";
/// Relationship type of a comments part.
pub const COMMENTS_REL: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments";
/// Relationship type of a legacy (VML) drawing.
pub const VML_REL: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing";
const RELS_NS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const VML_TYPE: &str = "application/vnd.openxmlformats-officedocument.vmlDrawing";

/// An .xlsx package open for patching.
pub struct Package<'a> {
    archive: ZipArchive<Cursor<&'a [u8]>>,
    /// Part names as stored, by lower-case name.
    names: BTreeMap<String, String>,
    inflated: u64,
    changed: BTreeMap<String, Vec<u8>>,
    added: Vec<(String, Vec<u8>)>,
}

/// One relationship of a part.
#[derive(Debug, Clone)]
pub struct Rel {
    /// `Id`.
    pub id: String,
    /// `Type`.
    pub kind: String,
    /// The target part's name, resolved (no leading `/`).
    pub part: String,
}

impl<'a> Package<'a> {
    /// Opens the zip in `bytes`.
    ///
    /// # Errors
    /// When it is not a readable zip.
    pub fn open(bytes: &'a [u8]) -> Result<Package<'a>, Problem> {
        let archive =
            ZipArchive::new(Cursor::new(bytes)).map_err(|e| format!("zip 结构无法读取（{e}）"))?;
        let mut names = BTreeMap::new();
        for name in archive.file_names() {
            let name = name.map_err(|e| format!("zip 部件名称无法识别（{e}）"))?;
            names.insert(name.to_lowercase(), name.into_owned());
        }
        Ok(Package {
            archive,
            names,
            inflated: 0,
            changed: BTreeMap::new(),
            added: Vec::new(),
        })
    }

    /// The names of the package's parts as stored.
    pub fn part_names(&self) -> impl Iterator<Item = String> + '_ {
        self.names.values().cloned()
    }

    /// True when a part of that name (any case) exists or was added.
    pub fn has(&self, name: &str) -> bool {
        self.names.contains_key(&name.to_lowercase())
            || self.added.iter().any(|(n, _)| n.eq_ignore_ascii_case(name))
    }

    /// A part's bytes (the changed version if it was changed), inflated
    /// within the package's budget; `None` when there is no such part.
    ///
    /// # Errors
    /// When the part cannot be inflated or the budget is spent.
    pub fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, Problem> {
        if let Some(b) = self.changed.get(name) {
            return Ok(Some(b.clone()));
        }
        if let Some((_, b)) = self
            .added
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
        {
            return Ok(Some(b.clone()));
        }
        let Some(stored) = self.names.get(&name.to_lowercase()).cloned() else {
            return Ok(None);
        };
        let left = MAX_INFLATED_BYTES.saturating_sub(self.inflated);
        let mut entry = self
            .archive
            .by_name(&stored)
            .map_err(|e| format!("部件“{stored}”无法读取（{e}）"))?;
        let mut data = Vec::new();
        (&mut entry)
            .take(left.saturating_add(1))
            .read_to_end(&mut data)
            .map_err(|e| format!("部件“{stored}”无法解压（{e}）"))?;
        self.inflated = self
            .inflated
            .saturating_add(u64::try_from(data.len()).unwrap_or(u64::MAX));
        if self.inflated > MAX_INFLATED_BYTES {
            return Err(format!("解压后的部件超过 {MAX_INFLATED_BYTES} 字节的上限"));
        }
        Ok(Some(data))
    }

    /// Replaces a part's content.
    pub fn change(&mut self, name: &str, bytes: Vec<u8>) {
        let stored = self
            .names
            .get(&name.to_lowercase())
            .cloned()
            .unwrap_or_else(|| name.to_string());
        if let Some(slot) = self.added.iter_mut().find(|(n, _)| *n == stored) {
            slot.1 = bytes;
        } else if self.names.contains_key(&stored.to_lowercase()) {
            self.changed.insert(stored, bytes);
        } else {
            self.added.push((stored, bytes));
        }
    }

    /// A part name `dir/stemN.ext` not yet taken.
    pub fn free_name(&self, dir: &str, stem: &str, ext: &str) -> String {
        (1u32..)
            .map(|i| format!("{dir}/{stem}{i}.{ext}"))
            .find(|n| !self.has(n))
            .unwrap_or_default()
    }

    /// The relationships of `part` (empty when it has none).
    ///
    /// # Errors
    /// When its relationships part is malformed.
    pub fn rels(&mut self, part: &str) -> Result<Vec<Rel>, Problem> {
        let Some(xml) = self.read(&rels_name(part))? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for item in scan(&xml)? {
            if let Event::Start(e) | Event::Empty(e) = &item.event {
                if local(&item.event) != "Relationship" {
                    continue;
                }
                let external = attr(e, "TargetMode").is_some_and(|m| m == "External");
                if let (Some(id), Some(kind), Some(target), false) =
                    (attr(e, "Id"), attr(e, "Type"), attr(e, "Target"), external)
                {
                    out.push(Rel {
                        id,
                        kind,
                        part: resolve(part, &target),
                    });
                }
            }
        }
        Ok(out)
    }

    /// Adds a relationship from `part` to `target` (a part name) and
    /// returns its id.
    ///
    /// # Errors
    /// When the existing relationships part is malformed.
    pub fn add_rel(&mut self, part: &str, kind: &str, target: &str) -> Result<String, Problem> {
        let name = rels_name(part);
        let existing = self.read(&name)?;
        let taken: Vec<String> = self.rels(part)?.into_iter().map(|r| r.id).collect();
        let id = (1u32..)
            .map(|i| format!("rIdBk{i}"))
            .find(|id| !taken.contains(id))
            .unwrap_or_default();
        let element = format!(
            r#"<Relationship Id="{id}" Type="{kind}" Target="/{}"/>"#,
            esc(target)
        );
        let xml = match existing {
            Some(xml) => insert_before_close(&xml, "Relationships", &element)?,
            None => format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{}<Relationships xmlns="{RELS_NS}">{element}</Relationships>"#,
                "\n"
            )
            .into_bytes(),
        };
        self.change(&name, xml);
        Ok(id)
    }

    /// Registers a new part's content type (an `Override`), and the VML
    /// extension's default when `vml`.
    ///
    /// # Errors
    /// When `[Content_Types].xml` is missing or malformed.
    pub fn add_content_type(&mut self, part: &str, kind: &str) -> Result<(), Problem> {
        let name = "[Content_Types].xml";
        let xml = self
            .read(name)?
            .ok_or_else(|| "缺少 [Content_Types].xml".to_string())?;
        let element = if kind == VML_TYPE {
            if contains_default(&xml, "vml")? {
                return Ok(());
            }
            format!(r#"<Default Extension="vml" ContentType="{VML_TYPE}"/>"#)
        } else {
            format!(
                r#"<Override PartName="/{}" ContentType="{kind}"/>"#,
                esc(part)
            )
        };
        let xml = insert_before_close(&xml, "Types", &element)?;
        self.change(name, xml);
        Ok(())
    }

    /// Ensures VML parts have a content type.
    ///
    /// # Errors
    /// As [`Package::add_content_type`].
    pub fn add_vml_type(&mut self) -> Result<(), Problem> {
        self.add_content_type("", VML_TYPE)
    }

    /// The package with the changes: parts in their original order (the
    /// unchanged ones copied still compressed), then the new parts.
    ///
    /// # Errors
    /// When a part cannot be copied.
    pub fn finish(mut self) -> Result<Vec<u8>, Problem> {
        let mut out = ZipWriter::new(Cursor::new(Vec::new()));
        // The fastest level: deflating dominates the time otherwise, and
        // the parts compress well at any level.
        let deflated = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .compression_level(Some(1))
            .large_file(false);
        let broken = |e: zip::result::ZipError| format!("标注工作簿无法打包（{e}）");
        let io = |e: std::io::Error| format!("标注工作簿无法打包（{e}）");
        for i in 0..self.archive.len() {
            let entry = self.archive.by_index_raw(i).map_err(broken)?;
            let name = entry.name().map_err(broken)?.into_owned();
            if let Some(bytes) = self.changed.get(&name) {
                drop(entry);
                out.start_file(name.as_str(), deflated).map_err(broken)?;
                out.write_all(bytes).map_err(io)?;
            } else {
                out.raw_copy_file(entry).map_err(broken)?;
            }
        }
        for (name, bytes) in &self.added {
            out.start_file(name.as_str(), deflated).map_err(broken)?;
            out.write_all(bytes).map_err(io)?;
        }
        Ok(out.finish().map_err(broken)?.into_inner())
    }
}

/// `dir/_rels/file.rels` of `dir/file`.
pub fn rels_name(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

/// A relationship target resolved against the part it belongs to.
pub fn resolve(part: &str, target: &str) -> String {
    let target = target.split('#').next().unwrap_or_default();
    let mut segments: Vec<&str> = if let Some(abs) = target.strip_prefix('/') {
        return normalise(abs.split('/').collect());
    } else {
        part.rsplit_once('/')
            .map_or_else(Vec::new, |(dir, _)| dir.split('/').collect())
    };
    segments.extend(target.split('/'));
    normalise(segments)
}

fn normalise(segments: Vec<&str>) -> String {
    let mut out: Vec<&str> = Vec::new();
    for s in segments {
        match s {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    out.join("/")
}

/// `xml` with `element` inserted before the closing tag of the root
/// element `root` (or inside it, when the root is an empty element).
///
/// # Errors
/// When the XML is malformed or has no such root.
pub fn insert_before_close(xml: &[u8], root: &str, element: &str) -> Result<Vec<u8>, Problem> {
    let mut splice = super::xml::Splice::default();
    for item in scan(xml)? {
        match &item.event {
            Event::End(_) if item.depth == 0 && local(&item.event) == root => {
                splice.insert(item.start, element);
                return Ok(splice.apply(xml));
            }
            Event::Empty(e) if item.depth == 0 && local(&item.event) == root => {
                let open = super::xml::retag(e, &[], false);
                let close = format!("</{}>", e.name().as_ref());
                splice.replace(item.start, item.end, format!("{open}{element}{close}"));
                return Ok(splice.apply(xml));
            }
            _ => {}
        }
    }
    Err(format!("找不到 <{}> 元素", root))
}

fn contains_default(xml: &[u8], ext: &str) -> Result<bool, Problem> {
    Ok(scan(xml)?.iter().any(|item| match &item.event {
        Event::Start(e) | Event::Empty(e) => {
            local(&item.event) == "Default"
                && attr(e, "Extension").is_some_and(|x| x.eq_ignore_ascii_case(ext))
        }
        _ => false,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_against_their_part() {
        assert_eq!(
            resolve("xl/workbook.xml", "worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(
            resolve("xl/worksheets/sheet1.xml", "../comments1.xml"),
            "xl/comments1.xml"
        );
        assert_eq!(
            resolve("xl/workbook.xml", "/xl/worksheets/s.xml"),
            "xl/worksheets/s.xml"
        );
        assert_eq!(rels_name("xl/workbook.xml"), "xl/_rels/workbook.xml.rels");
    }
}
