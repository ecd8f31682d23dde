//! The function classification codes (政府收支分类科目 支出功能分类) known to
//! budgetkit: `data/function-codes.tsv`, columns `code<TAB>name`: the 30
//! 类, the 款 and 项 most departments use, and every code of the reference
//! disclosure. The fill-in workbook's dropdown and the FN-* rules read it.

/// The embedded code list.
const FUNCTION_CODES: &str = include_str!("../../data/function-codes.tsv");

/// Valid function codes as (code, name), in code order.
pub fn function_codes() -> Vec<(String, String)> {
    FUNCTION_CODES
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .filter(|(code, _)| !code.is_empty() && code.chars().all(|c| c.is_ascii_digit()))
        .map(|(code, name)| (code.to_string(), name.trim().to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_holds_the_thirty_classes_and_the_reference_codes() {
        let codes = function_codes();
        assert_eq!(codes.iter().filter(|(c, _)| c.len() == 3).count(), 30);
        assert!(codes.contains(&("2011301".to_string(), "行政运行".to_string())));
        assert!(codes.contains(&("2210201".to_string(), "住房公积金".to_string())));
    }
}
