//! How the rows of a table group, as the rules read them: the fixed rows
//! of 表1/表4 and 表10, the total and lines of the function tables, the
//! groups and items of 表6, the units and projects of 表12/13. The
//! [`Context`](super::context::Context) works each out once per table.

pub use crate::kinds::{
    economic_what, is_total, line_code, EconomicRows, Fixed, FuncRows, KeyedRow, ProjectRows,
};
use crate::read::FiledRow;
use crate::spec::{ColumnKey, TableSpec};

impl<'a> FuncRows<'a> {
    /// The 合计 row, then every line, each with how findings name it.
    pub fn described<'t>(
        &'t self,
        tab: &'t super::context::Tab<'_>,
    ) -> impl Iterator<Item = (super::val::RowWhat<'t>, &'a FiledRow)> + 't {
        self.total
            .map(|r| (super::val::RowWhat::from("合计"), r))
            .into_iter()
            .chain(
                self.lines()
                    .iter()
                    .map(move |(c, r)| (super::val::RowWhat::line(tab, c, Some(r)), *r)),
            )
    }
}

/// `code name` of a function line, for messages.
pub fn line_what(spec: &TableSpec, code: &str, row: Option<&FiledRow>) -> String {
    let name = row
        .map(|r| r.text(spec, ColumnKey::Name))
        .unwrap_or_default();
    if name.is_empty() {
        code.to_string()
    } else {
        format!("{code} {name}")
    }
}

/// No fixed rows (a table from another context).
pub(super) static NO_FIXED: Fixed<'static> = Fixed {
    income: Vec::new(),
    expense: Vec::new(),
};

/// No function lines.
pub(super) static NO_FUNCS: FuncRows<'static> = FuncRows::EMPTY;

/// No 表6 rows.
pub(super) static NO_ECONOMIC: EconomicRows<'static> = EconomicRows {
    total: None,
    ungrouped: Vec::new(),
    groups: Vec::new(),
};

/// No 表12/13 rows.
pub(super) static NO_PROJECTS: ProjectRows<'static> = ProjectRows {
    department: None,
    units: Vec::new(),
    loose: Vec::new(),
};
