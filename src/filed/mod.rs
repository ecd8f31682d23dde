//! Tables as filed: the rows a department typed, cell by cell, as the
//! reader located them by the template spec — what each table kind reads
//! into the model and what the rules check. Below the reader and the
//! kinds alike, so neither depends on the other's insides.

mod aligned;
mod keys;

pub use aligned::align_fixed_rows;

pub use keys::{
    column_path_keys, header_key, holds, may_be_title, row_label_key, spec_title_key,
    spec_title_keys, title_key, MAX_TITLE_CHARS,
};

use crate::findings::Finding;
use crate::model::{label_key, Amount, CellAmount, CellRef, Provenance, SheetName};
use crate::spec::{ColumnKey, TableSpec};
use crate::table::{Cell, Table};
use rust_decimal::Decimal;
use std::sync::atomic::{AtomicBool, Ordering};

/// One cell of a filed table.
#[derive(Debug, Clone, PartialEq)]
pub struct FiledCell {
    /// True when the workbook stored a number.
    pub numeric: bool,
    /// Where it is.
    pub at: Provenance,
    /// Its text read as an amount in 万元, once, when the table was
    /// located (for every cell: a label column's text is simply not a
    /// number).
    pub amount: CellAmount,
    /// Set when the reader took the cell as an amount of the model and
    /// found it is not a number (`READ-AMOUNT`); the rules then leave it
    /// to that finding.
    reported: Reported,
}

/// Whether the reader reported a cell as not a number. Set through a
/// shared reference while the model is built from the located tables.
#[derive(Debug, Default)]
struct Reported(AtomicBool);

impl Clone for Reported {
    fn clone(&self) -> Self {
        Reported(AtomicBool::new(self.0.load(Ordering::Relaxed)))
    }
}

/// Cells compare by what they hold and where: whether the reader has
/// reported one yet is bookkeeping of a run, not part of the cell.
impl PartialEq for Reported {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// One body row of a filed table, its cells in spec column order.
#[derive(Debug, Clone, PartialEq)]
pub struct FiledRow {
    /// 0-based sheet row.
    pub row: u32,
    /// Cells by spec column (`None` when empty or the column is missing).
    pub cells: Vec<Option<FiledCell>>,
}

/// A table located in a submission.
#[derive(Debug, Clone, PartialEq)]
pub struct FiledTable {
    /// Spec id (`t1` …).
    pub id: String,
    /// Sheet name as in the workbook.
    pub sheet: SheetName,
    /// The title cell.
    pub title_at: CellRef,
    /// The title as typed.
    pub title: String,
    /// `部门名称` as typed, if the table has that line.
    pub department: Option<String>,
    /// The cell naming the department, if any.
    pub department_at: Option<CellRef>,
    /// Factor that turns the sheet's amounts into 万元 (1, or 0.0001 when
    /// the sheet says 单位：元).
    pub scale: Decimal,
    /// Sheet column of each spec column (`None` when not found).
    pub columns: Vec<Option<u32>>,
    /// Body rows (empty rows skipped).
    pub rows: Vec<FiledRow>,
    /// 注：… under the body, if any.
    pub note: Option<String>,
    /// Its fixed rows as aligned so far ([`align_fixed_rows`]).
    pub(crate) aligned: aligned::Alignments,
}

impl FiledRow {
    /// The cell under a column key. A code split over 类 | 款 | 项
    /// columns (`code.class` …) answers for `code` with its 类 cell.
    pub fn cell(&self, spec: &TableSpec, key: ColumnKey) -> Option<&FiledCell> {
        let col = match spec.col(key) {
            None if key == ColumnKey::Code => spec.col(ColumnKey::CodeClass),
            col => col,
        };
        col.and_then(|i| self.cells.get(i)).and_then(Option::as_ref)
    }

    /// The code of a row whose code is split over 类 | 款 | 项 columns,
    /// joined (`201` | `06` | `01` → `2010601`; a 款 or 项 typed as the
    /// number 6 counts as `06`); `None` when the table has one code
    /// column. Text in the 类 column (合计) is returned as it is.
    fn split_code(&self, spec: &TableSpec) -> Option<String> {
        spec.col(ColumnKey::CodeClass)?;
        let part = |key: ColumnKey| {
            let k = self
                .cells
                .get(spec.col(key)?)?
                .as_ref()
                .map(|c| label_key(c.text()))?;
            Some(k.strip_suffix(".0").map(str::to_string).unwrap_or(k))
        };
        let class = part(ColumnKey::CodeClass).unwrap_or_default();
        if !class.chars().all(|c| c.is_ascii_digit()) {
            return Some(class);
        }
        let mut code = class;
        for key in [ColumnKey::CodeSection, ColumnKey::CodeItem] {
            match part(key) {
                Some(p) if p.len() == 1 && p.chars().all(|c| c.is_ascii_digit()) => {
                    code.push('0');
                    code.push_str(&p);
                }
                Some(p) => code.push_str(&p),
                None => {}
            }
        }
        Some(code)
    }

    /// The trimmed text under a column key ("" when empty).
    pub fn text(&self, spec: &TableSpec, key: ColumnKey) -> String {
        self.cell(spec, key)
            .map(|c| crate::model::normalize_text(c.text()))
            .unwrap_or_default()
    }

    /// The label key (no whitespace, NFKC) under a column key (`code`:
    /// joined when split over columns).
    pub fn key(&self, spec: &TableSpec, key: ColumnKey) -> String {
        if key == ColumnKey::Code {
            if let Some(code) = self.split_code(spec) {
                return code;
            }
        }
        self.cell(spec, key)
            .map(|c| label_key(c.text()))
            .unwrap_or_default()
    }

    /// The cell of a column in this row (also when empty).
    pub fn reference(
        &self,
        table: &FiledTable,
        spec: &TableSpec,
        key: ColumnKey,
    ) -> Option<CellRef> {
        let col = spec
            .col(key)
            .and_then(|i| table.columns.get(i).copied().flatten())?;
        Some(CellRef::new(table.sheet.clone(), self.row, col))
    }
}

impl FiledTable {
    /// Rows a table writes (its fill-in rows), as if filed: body row `i`
    /// at sheet row `i`, every row kept (blank ones too), texts and
    /// amounts as written. A kind's relations over filed rows (its group
    /// sums) then say which written cells add up to which, so the fill-in
    /// workbook's formulas follow the declarations the rules check.
    pub fn of_view(spec: &TableSpec, table: &Table) -> FiledTable {
        let sheet = SheetName::from(table.sheet.as_str());
        let at = |row: usize, col: usize| {
            let row = u32::try_from(row).unwrap_or(u32::MAX);
            CellRef::new(sheet.clone(), row, u32::try_from(col).unwrap_or(u32::MAX))
        };
        let rows = table
            .rows
            .iter()
            .enumerate()
            .map(|(r, row)| FiledRow {
                row: u32::try_from(r).unwrap_or(u32::MAX),
                cells: (0..spec.columns.len())
                    .map(|c| {
                        let (text, numeric) = match row.cells.get(c)? {
                            Cell::Empty => return None,
                            Cell::Text(t) => (t.clone(), false),
                            Cell::Amount(v) => (v.to_string(), true),
                        };
                        Some(FiledCell::new(&text, numeric, at(r, c), Decimal::ONE))
                    })
                    .collect(),
            })
            .collect();
        FiledTable {
            id: spec.id.clone(),
            sheet: sheet.clone(),
            title_at: at(0, 0),
            title: table.title.clone(),
            department: None,
            department_at: None,
            scale: Decimal::ONE,
            columns: (0..spec.columns.len())
                .map(|c| u32::try_from(c).ok())
                .collect(),
            rows,
            note: None,
            aligned: Default::default(),
        }
    }

    /// Reads an amount under a column key, in 万元 at the precision the
    /// table published it with (two decimals for 万元, half away from
    /// zero; the exact amount for 元: see [`CellAmount`]); the text as
    /// typed stays in the provenance. A blank cell, `-` or `—` is no amount; a
    /// typed 0 is the amount 0.00. An amount typed with its unit
    /// (`1316800元` in a 万元 table) is converted from that unit. A
    /// non-numeric text becomes a
    /// `READ-AMOUNT` error finding and counts as blank.
    pub fn amount(
        &self,
        row: &FiledRow,
        spec: &TableSpec,
        key: ColumnKey,
        findings: &mut Vec<Finding>,
    ) -> Option<Amount> {
        let cell = row.cell(spec, key)?;
        match cell.amount {
            CellAmount::Blank => return None,
            CellAmount::Value(v) => return Some(Amount::read(v, cell.at.clone())),
            CellAmount::NotANumber => {}
        }
        cell.reported.0.store(true, Ordering::Relaxed);
        findings.push(cell.error(
            "READ-AMOUNT",
            format!("金额“{}”不是数字，应为数字（如 12.34）或留空", cell.text()),
            "数字",
        ));
        None
    }
}

impl FiledCell {
    /// The text as typed (numbers in shortest form): its provenance's.
    pub fn text(&self) -> &str {
        &self.at.text
    }

    /// An error finding about this cell: `message` follows the sheet and
    /// cell; the found value is the text as typed.
    pub fn error(&self, rule: &str, message: String, expected: &str) -> Finding {
        Finding::error(
            rule,
            format!("{} 单元格 {}：{message}", self.at.sheet, self.at.cell),
            vec![self.at.reference()],
        )
        .with_values(expected, self.at.text.clone())
    }

    /// A cell holding `text` at `at`, its amount read in a table of
    /// `scale`.
    pub fn new(text: &str, numeric: bool, at: CellRef, scale: Decimal) -> FiledCell {
        FiledCell {
            numeric,
            at: Provenance::new(at, text),
            amount: CellAmount::parse(text, scale, numeric),
            reported: Reported::default(),
        }
    }

    /// Takes the amount as known only to the cent of 万元 (a table in 元
    /// converted from 万元, as its note says).
    pub fn coarsen_to_wanyuan(&mut self) {
        if let CellAmount::Value(v) = self.amount {
            self.amount = CellAmount::Value(crate::model::at_precision(v, 2));
        }
    }

    /// True when the reader reported this cell as not a number
    /// (`READ-AMOUNT`) while building the model from it.
    pub fn reported_by_reader(&self) -> bool {
        self.reported.0.load(Ordering::Relaxed)
    }
}

/// The year at the start of a title (`2025年…` → 2025).
pub fn year_of(title: &str) -> Option<i32> {
    let k = label_key(title);
    let digits: String = k.chars().take_while(char::is_ascii_digit).collect();
    (digits.len() == 4).then(|| digits.parse().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::sample;

    /// #14: every cell's provenance held its own copy of the sheet name.
    #[test]
    fn provenance_of_every_cell_shares_its_sheet_name_not_a_copy() {
        let (_, sub) = sample();
        let mut cells = 0;
        for t in &sub.tables {
            assert!(t.title_at.sheet.is_shared_with(&t.sheet));
            for c in t.rows.iter().flat_map(|r| r.cells.iter().flatten()) {
                assert!(c.at.sheet.is_shared_with(&t.sheet), "{:?}", c.at);
                cells += 1;
            }
        }
        assert!(cells > 100, "{cells}");
    }

    /// #9: the reader and the rules parsed each amount separately.
    #[test]
    fn an_amount_is_parsed_once_when_its_table_is_located() {
        let (template, sub) = sample();
        let spec = template.table("t3").unwrap();
        let mut t3 = sub.tables.iter().find(|t| t.id == "t3").unwrap().clone();
        // The table said 单位：元: its cells are parsed with that scale.
        t3.scale = Decimal::new(1, 4);
        let basic = spec.col(ColumnKey::Basic).unwrap();
        let col = t3.columns[basic].unwrap();
        let row = &mut t3.rows[1];
        let at = CellRef::new(t3.sheet.clone(), row.row, col);
        row.cells[basic] = Some(FiledCell::new("1316801", true, at, t3.scale));
        let row = &t3.rows[1];
        let cell = row.cell(spec, ColumnKey::Basic).unwrap();
        // #10: kept exactly, with the precision of 元 with cents.
        assert_eq!(cell.amount, CellAmount::Value(Decimal::new(1316801, 4)));
        let read = t3
            .amount(row, spec, ColumnKey::Basic, &mut Vec::new())
            .unwrap();
        assert_eq!(read.value.to_string(), "131.680100");
        assert_eq!(read.at.unwrap().text, "1316801");
        // Text that is not a number is reported once, and marked so.
        let mut t3 = t3.clone();
        let at = CellRef::new(t3.sheet.clone(), t3.rows[1].row, col);
        t3.rows[1].cells[basic] = Some(FiledCell::new("约5万", false, at, Decimal::ONE));
        let mut findings = Vec::new();
        let row = &t3.rows[1];
        assert_eq!(t3.amount(row, spec, ColumnKey::Basic, &mut findings), None);
        assert_eq!(findings.len(), 1);
        assert!(row
            .cell(spec, ColumnKey::Basic)
            .unwrap()
            .reported_by_reader());
    }
}
