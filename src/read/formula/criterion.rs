//! SUMIF's and SUMIFS' criterion: a text or number, optionally after `=`, `<>`, `<`,
//! `<=`, `>` or `>=`, compared as Excel does (numbers by value, text
//! without regard to case). Wildcards are not evaluated.

use super::{clip, number, Fault, Value};
use rust_decimal::Decimal;

/// A SUMIF criterion.
pub(super) struct Criterion {
    op: &'static str,
    number: Option<Decimal>,
    text: String,
}

impl Criterion {
    pub(super) fn new(v: &Value) -> Result<Criterion, Fault> {
        let raw = v.display();
        let (op, rest) = ["<=", ">=", "<>", "=", "<", ">"]
            .iter()
            .find_map(|op| raw.strip_prefix(op).map(|r| (*op, r)))
            .unwrap_or(("=", raw.as_str()));
        if rest.contains(['*', '?', '~']) {
            return Err(Fault::Plain(format!(
                "SUMIF 条件“{}”含通配符，不能计算",
                clip(&raw)
            )));
        }
        Ok(Criterion {
            op,
            number: number(rest.trim()),
            text: rest.to_lowercase(),
        })
    }

    pub(super) fn matches(&self, key: &Value) -> bool {
        let key_number = match key {
            Value::Num(d) => Some(*d),
            Value::Text(t) => number(t.trim()),
            Value::Blank => None,
        };
        let order = match (self.number, key_number) {
            (Some(a), Some(b)) => Some(b.cmp(&a)),
            _ => None,
        };
        let equal = order.map_or_else(|| key.display().to_lowercase() == self.text, |o| o.is_eq());
        match self.op {
            "=" => equal,
            "<>" => !equal,
            "<" => order.is_some_and(|o| o.is_lt()),
            "<=" => order.is_some_and(|o| o.is_le()),
            ">" => order.is_some_and(|o| o.is_gt()),
            _ => order.is_some_and(|o| o.is_ge()),
        }
    }
}
