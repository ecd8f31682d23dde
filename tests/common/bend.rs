//! A workbook as plain data, to bend the sample the way departments do
//! (rename, move, restyle cells) and write it back with rust_xlsxwriter.

use super::sample_xlsx;
use budgetkit::findings::{Finding, Severity};
use budgetkit::model::Budget;
use budgetkit::read::{read_path, read_sheets, title_key, FiledTable, Sheet, Span};
use budgetkit::spec::Template;
use rust_xlsxwriter::{Format, Formula, Workbook};
use std::collections::BTreeMap;
use std::path::Path;

/// A cell value as it will be written.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    /// A number, written with `write_number` (text is the shortest form).
    Num(String),
    /// Text, written with `write_string`.
    Text(String),
    /// A formula with its cached result.
    Formula(String, String),
}

impl Val {
    /// The text or number as typed.
    pub fn text(&self) -> &str {
        match self {
            Val::Num(s) | Val::Text(s) => s,
            Val::Formula(_, r) => r,
        }
    }
}

/// One sheet: name, visibility, cells by (row, col), merges.
#[derive(Debug, Clone, Default)]
pub struct BookSheet {
    /// Sheet name.
    pub name: String,
    /// Hidden sheets are written hidden.
    pub hidden: bool,
    /// Cells by 0-based (row, col).
    pub cells: BTreeMap<(u32, u32), Val>,
    /// Merged ranges.
    pub merges: Vec<Span>,
}

impl BookSheet {
    /// An empty visible sheet.
    pub fn new(name: &str) -> Self {
        BookSheet {
            name: name.into(),
            ..Self::default()
        }
    }

    fn from_sheet(s: &Sheet) -> Self {
        BookSheet {
            name: s.name.clone(),
            hidden: s.hidden,
            cells: s
                .cells()
                .map(|(pos, c)| {
                    let v = if c.numeric {
                        Val::Num(c.text.clone())
                    } else {
                        Val::Text(c.text.clone())
                    };
                    (pos, v)
                })
                .collect(),
            merges: s.merges().to_vec(),
        }
    }

    /// Moves every cell and merge down `rows` and right `cols`.
    pub fn shift(&mut self, rows: u32, cols: u32) {
        self.cells = std::mem::take(&mut self.cells)
            .into_iter()
            .map(|((r, c), v)| ((r + rows, c + cols), v))
            .collect();
        for m in &mut self.merges {
            m.row += rows;
            m.last_row += rows;
            m.col += cols;
            m.last_col += cols;
        }
    }

    /// Inserts `n` empty rows before `at`, moving cells and merges below.
    pub fn insert_rows(&mut self, at: u32, n: u32) {
        self.cells = std::mem::take(&mut self.cells)
            .into_iter()
            .map(|((r, c), v)| ((if r >= at { r + n } else { r }, c), v))
            .collect();
        for m in &mut self.merges {
            if m.row >= at {
                m.row += n;
                m.last_row += n;
            }
        }
    }

    /// Deletes row `at`, moving cells and merges below up.
    pub fn delete_row(&mut self, at: u32) {
        self.cells = std::mem::take(&mut self.cells)
            .into_iter()
            .filter(|((r, _), _)| *r != at)
            .map(|((r, c), v)| ((if r > at { r - 1 } else { r }, c), v))
            .collect();
        self.merges.retain(|m| m.row != at || m.last_row != at);
        for m in &mut self.merges {
            if m.row > at {
                m.row -= 1;
                m.last_row -= 1;
            }
        }
    }

    /// The position of the first cell whose text contains `needle`.
    pub fn find(&self, needle: &str) -> Option<(u32, u32)> {
        self.cells
            .iter()
            .find(|(_, v)| v.text().contains(needle))
            .map(|(p, _)| *p)
    }

    /// The last row holding a cell (0 for an empty sheet).
    pub fn last_row(&self) -> u32 {
        self.cells.keys().map(|(r, _)| *r).max().unwrap_or(0)
    }
}

/// A workbook to bend.
#[derive(Debug, Clone, Default)]
pub struct Book {
    /// Sheets in order.
    pub sheets: Vec<BookSheet>,
}

impl Book {
    /// The sample submission as read by budgetkit.
    pub fn sample() -> Book {
        let sheets = read_sheets(&sample_xlsx()).expect("sample reads");
        Book {
            sheets: sheets.iter().map(BookSheet::from_sheet).collect(),
        }
    }

    /// The sheets holding one of the 13 tables (not the performance
    /// forms): those with a cell whose text is a template title.
    pub fn tables_mut(&mut self) -> impl Iterator<Item = &mut BookSheet> {
        let template = Template::load("sx-2025").expect("template");
        let titles: Vec<String> = template
            .tables
            .iter()
            .map(|t| title_key(&t.title.replace("{year}", "2025")))
            .collect();
        self.sheets.iter_mut().filter(move |s| {
            s.cells
                .values()
                .any(|v| titles.contains(&title_key(v.text())))
        })
    }

    /// The sheet holding a table's title (by part of the title).
    pub fn sheet_with(&mut self, title_part: &str) -> &mut BookSheet {
        self.sheets
            .iter_mut()
            .find(|s| s.find(title_part).is_some())
            .unwrap_or_else(|| panic!("no sheet holds {title_part}"))
    }

    /// Writes the workbook with rust_xlsxwriter.
    pub fn save(&self, path: &Path) {
        let mut wb = Workbook::new();
        let plain = Format::new();
        for s in &self.sheets {
            let ws = wb.add_worksheet();
            ws.set_name(&s.name).expect("sheet name");
            let mut merged_tl = Vec::new();
            for m in &s.merges {
                if m.row == m.last_row && m.col == m.last_col {
                    continue;
                }
                let text = s.cells.get(&(m.row, m.col)).map(Val::text).unwrap_or("");
                ws.merge_range(
                    m.row,
                    m.col as u16,
                    m.last_row,
                    m.last_col as u16,
                    text,
                    &plain,
                )
                .expect("merge");
                merged_tl.push((m.row, m.col));
            }
            for (&(r, c), v) in &s.cells {
                if merged_tl.contains(&(r, c)) && matches!(v, Val::Text(_)) {
                    continue;
                }
                let c = c as u16;
                match v {
                    Val::Num(t) => ws.write_number(r, c, t.parse::<f64>().expect("number")),
                    Val::Text(t) => ws.write_string(r, c, t),
                    Val::Formula(f, res) => ws.write_formula(r, c, Formula::new(f).set_result(res)),
                }
                .expect("write cell");
            }
            if s.hidden {
                ws.set_hidden(true);
            }
        }
        wb.save(path).expect("save");
    }
}

/// Keys of columns that hold text, not amounts.
pub const TEXT_KEYS: &[&str] = &[
    "code",
    "name",
    "label",
    "in.label",
    "out.label",
    "unit",
    "gov_name",
    "in.code",
    "in.name",
];

/// The located tables of the sample, to find body cells by column kind.
pub fn sample_tables() -> Vec<FiledTable> {
    let template = Template::load("sx-2025").expect("template");
    read_path(&sample_xlsx(), &template).expect("sample").tables
}

/// Sheet name, row and column of every body cell of the sample in a
/// column whose key passes `want` (empty cells included).
pub fn body_cells(want: impl Fn(&str) -> bool) -> Vec<(String, u32, u32)> {
    let template = Template::load("sx-2025").expect("template");
    let mut out = Vec::new();
    for t in sample_tables() {
        let spec = template.table(&t.id).expect("spec");
        for (key, col) in spec.columns.iter().zip(&t.columns) {
            let Some(col) = col else { continue };
            if !want(key.as_str()) {
                continue;
            }
            for row in &t.rows {
                out.push((t.sheet.to_string(), row.row, *col));
            }
        }
    }
    out
}

/// Amount cells of the sample's table bodies.
pub fn amount_cells() -> Vec<(String, u32, u32)> {
    body_cells(|k| !TEXT_KEYS.contains(&k))
}

/// Reads a workbook: the model and the findings.
pub fn read_model(path: &Path) -> (Budget, Vec<Finding>) {
    let template = Template::load("sx-2025").expect("template");
    let sub = read_path(path, &template).unwrap_or_else(|e| panic!("{e}"));
    (sub.budget, sub.findings)
}

/// Error findings only.
pub fn errors(findings: &[Finding]) -> Vec<&Finding> {
    findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect()
}

/// The model as JSON without provenance (`at`), with zero amounts read as
/// blank: the issue counts a 0 typed in an empty amount cell as the same
/// as a blank, "-" or "—".
pub fn zero_is_blank(b: &Budget) -> serde_json::Value {
    fn walk(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(map) => {
                map.remove("at");
                for x in map.values_mut() {
                    walk(x);
                }
                let zero = map.len() == 1
                    && map
                        .get("value")
                        .and_then(|x| x.as_str())
                        .and_then(|s| s.parse::<rust_decimal::Decimal>().ok())
                        .is_some_and(|d| d.is_zero());
                if zero {
                    *v = serde_json::Value::Null;
                    return;
                }
                map.retain(|_, x| !x.is_null());
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(walk),
            _ => {}
        }
    }
    let mut v = serde_json::to_value(b).expect("json");
    walk(&mut v);
    v
}

/// A model as JSON for comparison: provenance (`at`, `*_at`) removed —
/// it says where a value was read, not what it is — and the performance
/// forms' projects sorted by name (the forms are read in sheet order).
pub fn comparable(b: &Budget) -> serde_json::Value {
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(map) => {
                map.retain(|k, _| k != "at" && !k.ends_with("_at"));
                map.values_mut().for_each(strip);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(strip),
            // Decimals compare by value: 0.4 is 0.40.
            serde_json::Value::String(t) => {
                if let Ok(d) = t.parse::<rust_decimal::Decimal>() {
                    *t = d.normalize().to_string();
                }
            }
            _ => {}
        }
    }
    let mut v = serde_json::to_value(b).expect("json");
    strip(&mut v);
    if let Some(projects) = v
        .pointer_mut("/performance/projects")
        .and_then(|p| p.as_array_mut())
    {
        projects.sort_by_key(|p| p.get("name").map(ToString::to_string).unwrap_or_default());
    }
    v
}

/// Asserts two models are equal (see [`comparable`]), showing the first
/// difference by path.
pub fn assert_model_eq(got: &Budget, want: &Budget, what: &str) {
    assert_json_eq(&comparable(got), &comparable(want), what);
}

/// Asserts two JSON values are equal, showing the first difference by path.
pub fn assert_json_eq(a: &serde_json::Value, b: &serde_json::Value, what: &str) {
    fn first_diff(a: &serde_json::Value, b: &serde_json::Value, path: String) -> Option<String> {
        use serde_json::Value::{Array, Object};
        match (a, b) {
            (Object(x), Object(y)) => {
                let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
                keys.into_iter().find_map(|k| {
                    let null = serde_json::Value::Null;
                    first_diff(
                        x.get(k).unwrap_or(&null),
                        y.get(k).unwrap_or(&null),
                        format!("{path}.{k}"),
                    )
                })
            }
            (Array(x), Array(y)) if x.len() == y.len() => x
                .iter()
                .zip(y)
                .enumerate()
                .find_map(|(i, (p, q))| first_diff(p, q, format!("{path}[{i}]"))),
            _ if a == b => None,
            _ => Some(format!("{path}: got {a}, want {b}")),
        }
    }
    if let Some(d) = first_diff(a, b, String::new()) {
        let short: String = d.chars().take(600).collect();
        panic!("{what}: models differ at {short}");
    }
}
