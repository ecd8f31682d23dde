//! The narrative (情况说明, 编制说明): the prose of a disclosure, which
//! repeats the tables' figures by hand. It is checked figure by figure
//! against the model — each figure matched to the fact it states by the
//! words before it, a table of phrases per template
//! (templates/narrative-*.toml) — and drafted from the model in the
//! template's sections.
//!
//! ```
//! # fn main() -> Result<(), budgetkit::Error> {
//! use budgetkit::narrative::{check_narrative, Narrative, NarrativeSpec};
//! let template = budgetkit::Template::load("sx-2025")?;
//! let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/shuozhou-investment-2025.xlsx");
//! let budget = budgetkit::read(sample, &template)?.budget;
//! let text = Narrative::from_text("说明.txt", "三、支出预算情况说明\n支出预算353.49万元，其中：基本支出236.49万元，占66.90%；项目支出117万元，占33.11%。");
//! let report = check_narrative(&text, &budget, None, &NarrativeSpec::for_template("sx-2025")?);
//! assert_eq!(report.findings.len(), 1);
//! assert_eq!(report.findings[0].rule, "NARR-SHARE");
//! assert_eq!(report.findings[0].expected.as_deref(), Some("33.10%"));
//! # Ok(())
//! # }
//! ```

mod check;
mod claims;
mod compare;
mod docx;
mod docx_chart;
mod draft;
mod facts;
mod figures;
mod notes;
mod spec;
mod text;

pub use check::{check_narrative, percent, NarrativeReport, Reading, Status};
pub use claims::Claim;
pub use compare::{compare, Verdict};
pub use docx::docx_bytes;
pub use draft::{draft, Draft};
pub use facts::{fact, FactValue};
pub use figures::{ascii_digits, figures, Figure, Unit};
pub use notes::note_fund_findings;
pub use spec::{plain, NarrativeSpec, Phrase, Section, StatedFact};
pub use text::{Narrative, MAX_DOCUMENT_XML_BYTES};

use crate::findings::Severity;
use crate::rules::ReadingRule;

/// The findings of the narrative check, documented beside the rules
/// (docs/rules.md).
pub const NARRATIVE_RULES: [ReadingRule; 9] = [
    ReadingRule {
        id: "NARR-AMOUNT",
        severities: &[Severity::Error],
        description: "文字说明中的金额与表中数字不一致（按文中写出的小数位四舍五入比较：两位小数的万元代表 ±0.005 万元，元代表 ±0.5 元）",
    },
    ReadingRule {
        id: "NARR-SHARE",
        severities: &[Severity::Error],
        description: "文字说明中“占…%”的比例与按表计算、四舍五入到文中小数位的比例不一致",
    },
    ReadingRule {
        id: "NARR-COUNT",
        severities: &[Severity::Error],
        description: "文字说明中的个数（项目个数、绩效目标表个数）与表中不一致",
    },
    ReadingRule {
        id: "NARR-CHANGE",
        severities: &[Severity::Error],
        description: "文字说明中“比上年增长/减少 X 万元、X%”或“与上年持平”（增减为零，按前面金额的小数位、至少两位小数的万元）与按 --prior 上年数据计算的增减不一致",
    },
    ReadingRule {
        id: "NARR-TRUNCATED",
        severities: &[Severity::Warning],
        description: "文字说明中的数字是截去尾数而非四舍五入得到的",
    },
    ReadingRule {
        id: "NARR-NEEDS-PRIOR",
        severities: &[Severity::Warning],
        description: "与上年比较的数字，未给出上年数据（--prior）时无法核对，需要上年数据（--prior）",
    },
    ReadingRule {
        id: "NARR-STATED",
        severities: &[Severity::Error],
        description: "“情况说明补充数据”表中（政府采购、车辆、房屋、项目分类等表中没有的事实）应填数字的单元格不是不小于 0 的数字（个数、辆数等须为整数）；读取工作簿时即报告",
    },
    ReadingRule {
        id: "NARR-REPEATED",
        severities: &[Severity::Warning],
        description: "文字说明中同一段落或列表项重复出现",
    },
    ReadingRule {
        id: "NARR-NOTE-FUND",
        severities: &[Severity::Warning],
        description: "空表下的说明（注：本部门无…预算…，故本表为空表）写的资金与表的标题不符（如国有资本经营预算的表写成政府性基金）",
    },
];
