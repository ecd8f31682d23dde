//! The department economic classification (部门预算支出经济分类) known to
//! budgetkit: `data/economic-classes.tsv`, columns `code<TAB>name<TAB>gov_name`
//! — each 类 and common 款 with the 政府预算支出经济分类 款 it falls in for
//! an administrative unit. A conversion between a layout that states codes
//! (sh-2026) and one that states 政府预算科目 instead (sx-2025's 表6) fills
//! what the other lacks from here.

use std::collections::HashMap;
use std::sync::OnceLock;

/// The embedded classification.
const ECONOMIC_CLASSES: &str = include_str!("../../data/economic-classes.tsv");

/// The rows (code, name, gov_name), comments and header skipped.
fn classes() -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
    ECONOMIC_CLASSES.lines().filter_map(|l| {
        let mut cells = l.split('\t');
        let code = cells.next()?;
        let name = cells.next()?;
        let gov = cells.next()?;
        code.chars()
            .all(|c| c.is_ascii_digit())
            .then(|| (code, name.trim(), gov.trim()))
    })
}

/// The 政府预算支出经济分类 name of a department economic code (`30217` →
/// 公务接待费), by the code, else by its 类; `None` for an unknown code.
///
/// ```
/// use budgetkit::spec::gov_economic_name;
/// assert_eq!(gov_economic_name("30217"), Some("公务接待费"));
/// assert_eq!(gov_economic_name("30298"), Some("办公经费"));
/// assert_eq!(gov_economic_name("398"), None);
/// ```
pub fn gov_economic_name(code: &str) -> Option<&'static str> {
    let find = |key: &str| classes().find(|(c, _, _)| *c == key).map(|(_, _, g)| g);
    find(code).or_else(|| find(code.get(..3)?))
}

/// The department economic code of a 类 or 款 name (`基本工资` → 30101,
/// `工资福利支出` → 301), among the codes of `class` when given (a 款 name
/// is looked up under its group's 类); `None` for a name not in the list.
///
/// ```
/// use budgetkit::spec::economic_code;
/// assert_eq!(economic_code("工资福利支出", None), Some("301"));
/// assert_eq!(economic_code("公务用车运行维护费", Some("302")), Some("30231"));
/// assert_eq!(economic_code("基本工资", Some("302")), None);
/// ```
pub fn economic_code(name: &str, class: Option<&str>) -> Option<&'static str> {
    let key = crate::model::label_key_cow(name);
    codes_by_name()
        .get(key.as_ref())?
        .iter()
        .copied()
        .find(|c| match class {
            Some(class) => c.len() == 5 && c.starts_with(class),
            None => c.len() == 3,
        })
}

/// The codes of each name in the classification (keyed by its
/// [`label_key`](crate::model::label_key)), in the file's order, built once
/// per process: [`economic_code`] is asked for every group and item of a
/// converted 表6.
fn codes_by_name() -> &'static HashMap<String, Vec<&'static str>> {
    static CODES: OnceLock<HashMap<String, Vec<&'static str>>> = OnceLock::new();
    CODES.get_or_init(|| {
        let mut codes: HashMap<String, Vec<&'static str>> = HashMap::new();
        for (code, name, _) in classes() {
            codes
                .entry(crate::model::label_key(name))
                .or_default()
                .push(code);
        }
        codes
    })
}
