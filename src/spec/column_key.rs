//! The column vocabulary of template files as one typed table: every
//! column key a `columns = [...]` list may hold ([`ColumnKey`]) and the
//! keys each [`Layout`] understands ([`ColumnKey::of_layout`]).
//!
//! `TableSpec::columns` holds them typed: a template file's keys are
//! checked against their layout when it is loaded, and every reader, view
//! and rule asks for a column by its [`ColumnKey`].

use super::words::{Fund, IncomeRow, Source, ThreePublicItem};
use super::Layout;
use crate::model::words;

words! {
    /// A column key of a template table (see the module docs of
    /// [`crate::spec`] for what each shows).
    ColumnKey, "列" {
        /// Summary: income label.
        InLabel => "in.label",
        /// Summary: income amount; 表9: income line amount.
        InAmount => "in.amount",
        /// Summary: expense label.
        OutLabel => "out.label",
        /// Summary: expense total.
        OutTotal => "out.total",
        /// 表1: 当年预算安排.
        OutCurrent => "out.current",
        /// 表1: 上年结转安排.
        OutCarryover => "out.carryover",
        /// 表4: 一般公共预算 expense.
        OutGeneral => "out.general",
        /// 表4: 政府性基金预算 expense.
        OutGovFund => "out.gov_fund",
        /// 表4: 国有资本经营预算 expense.
        OutStateCapital => "out.state_capital",
        /// 表9: income line code.
        InCode => "in.code",
        /// 表9: income line name.
        InName => "in.name",
        /// 科目编码.
        Code => "code",
        /// 科目名称 / 项目名称 / 部门预算经济科目.
        Name => "name",
        /// 表6: 政府预算经济科目.
        GovName => "gov_name",
        /// 本年收入合计.
        Current => "current",
        /// 上年结转.
        Carryover => "carryover",
        /// 合计.
        Total => "total",
        /// 基本支出.
        Basic => "basic",
        /// 项目支出.
        Project => "project",
        /// 表6: 人员经费.
        Personnel => "personnel",
        /// 表6: 公用经费.
        Public => "public",
        /// 表7: amount of an income line.
        Amount => "amount",
        /// 表10: the fixed-row label.
        Label => "label",
        /// 表11: unit name.
        Unit => "unit",
        /// One-row 三公 table: 因公出国（境）费.
        Abroad => "abroad",
        /// One-row 三公 table: 公务接待费.
        Reception => "reception",
        /// One-row 三公 table: 公务用车购置及运行费.
        Vehicle => "vehicle",
        /// One-row 三公 table: 公务用车购置费.
        VehiclePurchase => "vehicle_purchase",
        /// One-row 三公 table: 公务用车运行费.
        VehicleOperation => "vehicle_operation",
        /// Amounts of 一般公共预算.
        SrcGeneral => "src.general",
        /// Amounts of 政府性基金预算.
        SrcGovFund => "src.gov_fund",
        /// Amounts of 国有资本经营预算.
        SrcStateCapital => "src.state_capital",
        /// Amounts of 财政专户管理资金.
        SrcSpecial => "src.special",
        /// Amounts of 单位资金.
        SrcUnit => "src.unit",
        /// Amounts of 事业收入.
        SrcBusiness => "src.business",
        /// Amounts of 事业单位经营收入.
        SrcOperating => "src.operating",
        /// Amounts of 其他收入.
        SrcOther => "src.other",
        /// Amounts of 财政拨款收入 (一般公共预算 + 政府性基金 + 国有资本经营),
        /// in one column (sh-2026 部门收入预算总表).
        SrcFiscal => "src.fiscal",
        /// The 类 of a code split over columns (`201` of 201 | 06 | 01).
        CodeClass => "code.class",
        /// The 款 of a split code (`06`).
        CodeSection => "code.section",
        /// The 项 of a split code (`01`).
        CodeItem => "code.item",
        /// 机关运行经费 beside the "三公" items of a one-row table (sh-2026).
        Operating => "operating",
    }
}

/// Function-line columns (表2/3/5/8, and 表9 beside its income lines).
const FUNCTION_COLUMNS: [ColumnKey; 10] = [
    ColumnKey::Code,
    ColumnKey::CodeClass,
    ColumnKey::CodeSection,
    ColumnKey::CodeItem,
    ColumnKey::Name,
    ColumnKey::Current,
    ColumnKey::Carryover,
    ColumnKey::Total,
    ColumnKey::Basic,
    ColumnKey::Project,
];

/// Columns of a 三公 table: the 表10 row label and the one-row table's items.
const THREE_PUBLIC_COLUMNS: [ColumnKey; 8] = [
    ColumnKey::Label,
    ColumnKey::Total,
    ColumnKey::Abroad,
    ColumnKey::Reception,
    ColumnKey::Vehicle,
    ColumnKey::VehiclePurchase,
    ColumnKey::VehicleOperation,
    ColumnKey::Operating,
];

impl ColumnKey {
    /// The `src.<source>` column of a source.
    pub fn of_source(source: Source) -> ColumnKey {
        match source {
            Source::General => ColumnKey::SrcGeneral,
            Source::GovFund => ColumnKey::SrcGovFund,
            Source::StateCapital => ColumnKey::SrcStateCapital,
            Source::Special => ColumnKey::SrcSpecial,
            Source::Unit => ColumnKey::SrcUnit,
            Source::Business => ColumnKey::SrcBusiness,
            Source::Operating => ColumnKey::SrcOperating,
            Source::Other => ColumnKey::SrcOther,
        }
    }

    /// The source of a `src.<source>` column (`src.fiscal`, three
    /// sources at once, has none).
    pub fn source(self) -> Option<Source> {
        Source::ALL
            .iter()
            .copied()
            .find(|s| ColumnKey::of_source(*s) == self)
    }

    /// True for a column of amounts by source (`src.…`, `src.fiscal`
    /// too).
    pub fn is_source_column(self) -> bool {
        self == ColumnKey::SrcFiscal || self.source().is_some()
    }

    /// The fund of a 表4 `out.<fund>` column.
    pub fn fund(self) -> Option<Fund> {
        Fund::ALL
            .iter()
            .copied()
            .find(|f| ColumnKey::out_fund(*f) == self)
    }

    /// True for the expense side of a summary table (`out.…`, but not its
    /// label column).
    pub fn is_expense_amount(self) -> bool {
        use ColumnKey as K;
        matches!(self, K::OutTotal | K::OutCurrent | K::OutCarryover) || self.fund().is_some()
    }

    /// A short Chinese name of the column for messages, where the key
    /// alone says it (`None`: the table's own header says it).
    pub fn short_name(self) -> Option<&'static str> {
        use ColumnKey as K;
        Some(match self {
            K::Total | K::OutTotal => "合计",
            K::Current => "本年收入合计",
            K::Carryover => "上年结转",
            K::Basic => "基本支出",
            K::Project => "项目支出",
            K::Personnel => "人员经费",
            K::Public => "公用经费",
            K::Amount | K::InAmount => "金额",
            K::OutCurrent => "当年预算安排",
            K::OutCarryover => "上年结转安排",
            K::SrcGeneral | K::OutGeneral => "一般公共预算",
            K::SrcGovFund | K::OutGovFund => "政府性基金预算",
            K::SrcStateCapital | K::OutStateCapital => "国有资本经营预算",
            K::SrcSpecial => "财政专户管理资金",
            K::SrcUnit => "单位资金",
            _ => return None,
        })
    }

    /// The `src.…` column of a summary income row: a source's, or
    /// `src.fiscal` for 财政拨款收入 (the three fiscal funds).
    pub fn of_income_row(key: IncomeRow) -> ColumnKey {
        match key {
            IncomeRow::Fiscal => ColumnKey::SrcFiscal,
            IncomeRow::Source(s) => ColumnKey::of_source(s),
        }
    }

    /// The column of a "三公" item in a one-row 三公 table.
    pub fn of_item(item: ThreePublicItem) -> ColumnKey {
        match item {
            ThreePublicItem::Total => ColumnKey::Total,
            ThreePublicItem::Abroad => ColumnKey::Abroad,
            ThreePublicItem::Reception => ColumnKey::Reception,
            ThreePublicItem::Vehicle => ColumnKey::Vehicle,
            ThreePublicItem::VehiclePurchase => ColumnKey::VehiclePurchase,
            ThreePublicItem::VehicleOperation => ColumnKey::VehicleOperation,
        }
    }

    /// The "三公" item a one-row table's column shows.
    pub fn item(self) -> Option<ThreePublicItem> {
        ThreePublicItem::ALL
            .iter()
            .copied()
            .find(|i| ColumnKey::of_item(*i) == self)
    }

    /// The `out.<fund>` column of 表4.
    pub fn out_fund(fund: Fund) -> ColumnKey {
        match fund {
            Fund::General => ColumnKey::OutGeneral,
            Fund::GovFund => ColumnKey::OutGovFund,
            Fund::StateCapital => ColumnKey::OutStateCapital,
        }
    }

    /// The column keys a table laid out as `layout` understands.
    pub fn of_layout(layout: Layout) -> Vec<ColumnKey> {
        use ColumnKey as K;
        let sources = Source::ALL.iter().map(|s| K::of_source(*s));
        let funds = Fund::ALL.iter().map(|f| K::of_source(f.source()));
        match layout {
            Layout::Summary => vec![
                K::InLabel,
                K::InAmount,
                K::OutLabel,
                K::OutTotal,
                K::OutCurrent,
                K::OutCarryover,
            ],
            Layout::FiscalSummary => [K::InLabel, K::InAmount, K::OutLabel, K::OutTotal]
                .into_iter()
                .chain(Fund::ALL.iter().map(|f| K::out_fund(*f)))
                .collect(),
            Layout::Functions => FUNCTION_COLUMNS
                .into_iter()
                .chain(sources)
                .chain([K::SrcFiscal])
                .collect(),
            Layout::Economic => vec![
                K::CodeClass,
                K::CodeSection,
                K::Name,
                K::GovName,
                K::Total,
                K::Personnel,
                K::Public,
            ],
            Layout::IncomeLines => vec![K::Code, K::Name, K::Amount],
            Layout::Capital => [K::InCode, K::InName, K::InAmount]
                .into_iter()
                .chain(FUNCTION_COLUMNS)
                .chain(sources)
                .collect(),
            Layout::ThreePublic => THREE_PUBLIC_COLUMNS.into_iter().chain(funds).collect(),
            Layout::OperatingCosts => [K::Unit, K::Total].into_iter().chain(funds).collect(),
            Layout::Projects => [K::Name, K::Total].into_iter().chain(sources).collect(),
        }
    }

    /// The key of a layout written `key`, if the layout understands it.
    pub fn in_layout(layout: Layout, key: &str) -> Option<ColumnKey> {
        ColumnKey::of_layout(layout)
            .into_iter()
            .find(|k| k.as_str() == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_layout_knows_its_keys_and_not_the_others() {
        assert!(ColumnKey::in_layout(Layout::Functions, "src.unit").is_some());
        assert!(ColumnKey::in_layout(Layout::Functions, "basc").is_none());
        assert!(ColumnKey::in_layout(Layout::OperatingCosts, "src.unit").is_none());
        assert!(ColumnKey::in_layout(Layout::FiscalSummary, "out.gov_fund").is_some());
        assert!(ColumnKey::in_layout(Layout::Summary, "out.gov_fund").is_none());
        assert!(ColumnKey::in_layout(Layout::Capital, "in.amount").is_some());
        let mut words: Vec<&str> = ColumnKey::ALL.iter().map(|k| k.as_str()).collect();
        assert!(words.contains(&"vehicle_operation") && words.contains(&"src.other"));
        let n = words.len();
        words.sort_unstable();
        words.dedup();
        assert_eq!(words.len(), n, "one variant per word");
    }
}
