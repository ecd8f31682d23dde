//! The workbook part: its sheets (name, relationship, part), and the
//! patch that puts the findings sheet first — defined names scoped to a
//! sheet by position (`localSheetId`) move up by one, and the workbook
//! opens on the findings sheet.

use super::package::{Package, Problem};
use super::xml::{attr, esc, local, prefix, qattr, retag, rid, scan, Splice, REL_NS};
use quick_xml::events::Event;

/// Relationship type of the main workbook part.
const OFFICE_DOCUMENT: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument";

/// One sheet of the workbook.
#[derive(Debug, Clone)]
pub struct SheetPart {
    /// Name as in the workbook.
    pub name: String,
    /// The worksheet part (`xl/worksheets/sheet1.xml`); `None` when its
    /// relationship is missing.
    pub part: Option<String>,
    /// `sheetId`.
    pub id: u32,
}

/// The workbook part's name and its sheets, in tab order.
///
/// # Errors
/// When the package has no readable workbook part.
pub fn sheets(pkg: &mut Package<'_>) -> Result<(String, Vec<SheetPart>), Problem> {
    let main = pkg
        .rels("")?
        .into_iter()
        .find(|r| r.kind == OFFICE_DOCUMENT)
        .map_or_else(|| "xl/workbook.xml".to_string(), |r| r.part);
    let xml = pkg
        .read(&main)?
        .ok_or_else(|| format!("缺少工作簿部件 {main}"))?;
    let rels = pkg.rels(&main)?;
    let mut out = Vec::new();
    for item in scan(&xml)? {
        if let Event::Start(e) | Event::Empty(e) = &item.event {
            if local(&item.event) != "sheet" {
                continue;
            }
            let name = attr(e, "name").unwrap_or_default();
            let id = rid(e);
            let part = id.and_then(|id| rels.iter().find(|r| r.id == id).map(|r| r.part.clone()));
            let id = attr(e, "sheetId").and_then(|s| s.parse().ok()).unwrap_or(0);
            out.push(SheetPart { name, part, id });
        }
    }
    Ok((main, out))
}

/// Puts a sheet named `name`, whose relationship is `rid`, first, and
/// makes it the active tab.
///
/// # Errors
/// When the workbook part is malformed.
pub fn put_first(
    pkg: &mut Package<'_>,
    main: &str,
    name: &str,
    rid: &str,
    sheet_id: u32,
) -> Result<(), Problem> {
    let xml = pkg
        .read(main)?
        .ok_or_else(|| format!("缺少工作簿部件 {main}"))?;
    let mut splice = Splice::default();
    let mut placed = false;
    for item in scan(&xml)? {
        let (Event::Start(e) | Event::Empty(e)) = &item.event else {
            continue;
        };
        match local(&item.event) {
            "sheets" if !placed => {
                let p = prefix(e);
                let sheet = format!(
                    r#"<{p}sheet xmlns:r="{REL_NS}" name="{}" sheetId="{sheet_id}" r:id="{rid}"/>"#,
                    esc(name)
                );
                if matches!(item.event, Event::Empty(_)) {
                    let open = retag(e, &[], false);
                    splice.replace(item.start, item.end, format!("{open}{sheet}</{p}sheets>"));
                } else {
                    splice.insert(item.end, sheet);
                }
                placed = true;
            }
            "definedName" => {
                if let Some(n) = attr(e, "localSheetId").and_then(|v| v.parse::<u32>().ok()) {
                    let empty = matches!(item.event, Event::Empty(_));
                    let moved = (n + 1).to_string();
                    splice.replace(
                        item.start,
                        item.end,
                        retag(e, &[("localSheetId", Some(moved))], empty),
                    );
                }
            }
            "workbookView" => {
                let empty = matches!(item.event, Event::Empty(_));
                let first = qattr(e, "firstSheet").map(|_| "0".to_string());
                let set = [("activeTab", Some("0".to_string())), ("firstSheet", first)];
                splice.replace(item.start, item.end, retag(e, &set, empty));
            }
            _ => {}
        }
    }
    if !placed {
        return Err("工作簿部件中找不到工作表列表（<sheets>）".into());
    }
    pkg.change(main, splice.apply(&xml));
    Ok(())
}
