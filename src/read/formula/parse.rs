//! Formula text → expression tree: the subset of Excel's grammar that
//! budget workbooks use (`+ - * / & %`, parentheses, numbers, strings,
//! cell and range references, other sheets, function calls).
//!
//! Parsing is bounded: the text may hold [`MAX_FORMULA_CHARS`] characters
//! (Excel's own limit) and nest [`MAX_NESTING`] levels; chains of the same
//! operator are kept flat, so evaluating them does not recurse per term.

use rust_decimal::Decimal;

/// Longest formula text parsed (Excel allows 8,192 characters).
pub const MAX_FORMULA_CHARS: usize = 8192;
/// Deepest nesting of parentheses, signs and calls parsed.
pub const MAX_NESTING: usize = 64;
/// Rows of an Excel sheet (whole-column ranges end at its last row).
const LAST_ROW: u32 = 1_048_575;

/// A rectangle of cells on one sheet (0-based, inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Area {
    /// Index of the sheet in the workbook.
    pub sheet: usize,
    /// First row.
    pub row: u32,
    /// First column.
    pub col: u32,
    /// Last row.
    pub last_row: u32,
    /// Last column.
    pub last_col: u32,
}

/// A binary operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `&` (text concatenation)
    Concat,
}

/// A parsed formula.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A number literal.
    Num(Decimal),
    /// A string literal.
    Text(String),
    /// One cell.
    Cell(Area),
    /// A range of cells (only meaningful as a function argument).
    Range(Area),
    /// Unary minus.
    Neg(Box<Expr>),
    /// Postfix `%`.
    Percent(Box<Expr>),
    /// `first op e1 op e2 …`, left to right, one precedence level.
    Chain(Box<Expr>, Vec<(Op, Expr)>),
    /// A function call, name in upper case.
    Call(String, Vec<Expr>),
}

/// Why a formula could not be parsed, in Chinese.
pub type ParseError = String;

/// Parses `text` (without its leading `=`) on sheet `own` of a workbook
/// whose sheets are named `names`.
///
/// # Errors
/// A Chinese description of what could not be read.
pub fn parse(text: &str, own: usize, names: &[&str]) -> Result<Expr, ParseError> {
    let chars: Vec<char> = text.trim_start_matches('=').chars().collect();
    if chars.len() > MAX_FORMULA_CHARS {
        return Err(format!(
            "公式长 {} 个字符，超过 {MAX_FORMULA_CHARS} 个字符的上限",
            chars.len()
        ));
    }
    let mut p = Parser {
        chars,
        at: 0,
        depth: 0,
        own,
        names,
    };
    let e = p.concat()?;
    p.space();
    match p.peek() {
        None => Ok(e),
        Some(c) => Err(format!("第 {} 个字符“{c}”处无法解析", p.at + 1)),
    }
}

struct Parser<'a> {
    chars: Vec<char>,
    at: usize,
    depth: usize,
    own: usize,
    names: &'a [&'a str],
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn space(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.at += 1;
        }
    }

    fn eat(&mut self, c: char) -> bool {
        self.space();
        if self.peek() == Some(c) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn nested<T>(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<T, ParseError>,
    ) -> Result<T, ParseError> {
        if self.depth >= MAX_NESTING {
            return Err(format!("嵌套超过 {MAX_NESTING} 层"));
        }
        self.depth += 1;
        let out = f(self);
        self.depth -= 1;
        out
    }

    /// One precedence level: `next (op next)*`, kept flat.
    fn chain(
        &mut self,
        ops: &[(char, Op)],
        next: fn(&mut Self) -> Result<Expr, ParseError>,
    ) -> Result<Expr, ParseError> {
        let first = next(self)?;
        let mut rest = Vec::new();
        loop {
            self.space();
            let Some(op) = ops
                .iter()
                .find(|(c, _)| self.peek() == Some(*c))
                .map(|(_, o)| *o)
            else {
                break;
            };
            self.at += 1;
            rest.push((op, next(self)?));
        }
        Ok(if rest.is_empty() {
            first
        } else {
            Expr::Chain(Box::new(first), rest)
        })
    }

    fn concat(&mut self) -> Result<Expr, ParseError> {
        self.chain(&[('&', Op::Concat)], Self::additive)
    }

    fn additive(&mut self) -> Result<Expr, ParseError> {
        self.chain(&[('+', Op::Add), ('-', Op::Sub)], Self::term)
    }

    fn term(&mut self) -> Result<Expr, ParseError> {
        self.chain(&[('*', Op::Mul), ('/', Op::Div)], Self::unary)
    }

    fn unary(&mut self) -> Result<Expr, ParseError> {
        if self.eat('-') {
            return self.nested(|p| Ok(Expr::Neg(Box::new(p.unary()?))));
        }
        if self.eat('+') {
            return self.nested(Self::unary);
        }
        let mut e = self.primary()?;
        while self.eat('%') {
            e = Expr::Percent(Box::new(e));
        }
        Ok(e)
    }

    fn primary(&mut self) -> Result<Expr, ParseError> {
        self.space();
        match self.peek() {
            None => Err("公式不完整".into()),
            Some('(') => {
                self.at += 1;
                let e = self.nested(Self::concat)?;
                if !self.eat(')') {
                    return Err("括号不成对".into());
                }
                Ok(e)
            }
            Some('"') => self.quoted('"', "引号不成对").map(Expr::Text),
            Some('\'') => {
                let sheet = self.quoted_sheet()?;
                self.reference(sheet)
            }
            Some(c) if c.is_ascii_digit() || c == '.' => self.number(),
            Some(c) if is_word(c) => self.word(),
            Some(c) => Err(format!("不支持的符号“{c}”")),
        }
    }

    /// Text between `quote`s (doubled inside), the opening one at the
    /// cursor.
    fn quoted(&mut self, quote: char, unclosed: &str) -> Result<String, ParseError> {
        self.at += 1;
        let mut s = String::new();
        loop {
            match self.peek() {
                None => return Err(unclosed.into()),
                Some(c) if c == quote && self.chars.get(self.at + 1) == Some(&quote) => {
                    s.push(quote);
                    self.at += 2;
                }
                Some(c) if c == quote => {
                    self.at += 1;
                    return Ok(s);
                }
                Some(c) => {
                    s.push(c);
                    self.at += 1;
                }
            }
        }
    }

    fn number(&mut self) -> Result<Expr, ParseError> {
        let start = self.at;
        while self.peek().is_some_and(|c| c.is_ascii_digit() || c == '.') {
            self.at += 1;
        }
        if matches!(self.peek(), Some('e' | 'E')) {
            self.at += 1;
            if matches!(self.peek(), Some('+' | '-')) {
                self.at += 1;
            }
            while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                self.at += 1;
            }
        }
        let text: String = self
            .chars
            .get(start..self.at)
            .unwrap_or_default()
            .iter()
            .collect();
        text.parse::<Decimal>()
            .or_else(|_| Decimal::from_scientific(&text))
            .map(Expr::Num)
            .map_err(|_| format!("数字“{text}”无法识别或超出范围"))
    }

    fn quoted_sheet(&mut self) -> Result<usize, ParseError> {
        let name = self.quoted('\'', "工作表名的引号不成对")?;
        if !self.eat('!') {
            return Err(format!("工作表名“{name}”后缺少“!”"));
        }
        self.sheet_index(&name)
    }

    fn sheet_index(&self, name: &str) -> Result<usize, ParseError> {
        self.names
            .iter()
            .position(|n| n.to_lowercase() == name.to_lowercase())
            .ok_or_else(|| format!("引用的工作表“{name}”不存在"))
    }

    fn take_word(&mut self) -> String {
        let start = self.at;
        while self.peek().is_some_and(is_word) {
            self.at += 1;
        }
        self.chars
            .get(start..self.at)
            .unwrap_or_default()
            .iter()
            .collect()
    }

    /// A function call, a reference, a sheet-qualified reference or TRUE/FALSE.
    fn word(&mut self) -> Result<Expr, ParseError> {
        let word = self.take_word();
        if self.peek() == Some('!') {
            self.at += 1;
            let sheet = self.sheet_index(&word)?;
            return self.reference(sheet);
        }
        self.space();
        if self.peek() == Some('(') {
            self.at += 1;
            return self.nested(|p| p.call(word.to_uppercase()));
        }
        match word.to_uppercase().as_str() {
            "TRUE" => return Ok(Expr::Num(Decimal::ONE)),
            "FALSE" => return Ok(Expr::Num(Decimal::ZERO)),
            _ => {}
        }
        self.range_from(self.own, &word)
    }

    fn call(&mut self, name: String) -> Result<Expr, ParseError> {
        let mut args = Vec::new();
        if self.eat(')') {
            return Ok(Expr::Call(name, args));
        }
        loop {
            args.push(self.concat()?);
            if self.eat(')') {
                return Ok(Expr::Call(name, args));
            }
            if !self.eat(',') {
                return Err(format!("函数 {name} 的参数之间缺少“,”或缺少“)”"));
            }
        }
    }

    fn reference(&mut self, sheet: usize) -> Result<Expr, ParseError> {
        self.space();
        let word = self.take_word();
        self.range_from(sheet, &word)
    }

    /// `A1`, `A1:B9` or `A:A` on `sheet`, `first` already read.
    fn range_from(&mut self, sheet: usize, first: &str) -> Result<Expr, ParseError> {
        let start = corner(first, true);
        if self.peek() != Some(':') {
            return match start {
                Some((row, col, false)) => Ok(Expr::Cell(Area {
                    sheet,
                    row,
                    col,
                    last_row: row,
                    last_col: col,
                })),
                _ => Err(format!(
                    "无法识别的名称“{first}”（定义的名称、外部引用等不能计算）"
                )),
            };
        }
        self.at += 1;
        let second = self.take_word();
        let end = corner(&second, false);
        let (Some((r1, c1, _)), Some((r2, c2, _))) = (start, end) else {
            return Err(format!("无法识别的区域“{first}:{second}”"));
        };
        Ok(Expr::Range(Area {
            sheet,
            row: r1.min(r2),
            col: c1.min(c2),
            last_row: r1.max(r2),
            last_col: c1.max(c2),
        }))
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '.' | '$' | '\\')
}

/// A range corner: an A1 address, or a bare column (`A`, for `A:A`) that
/// stands for its first or last row. The flag says it was a bare column.
fn corner(word: &str, first: bool) -> Option<(u32, u32, bool)> {
    let upper = word.to_ascii_uppercase();
    if let Some((row, col)) = super::super::sheet::parse_a1(&upper) {
        return Some((row, col, false));
    }
    let letters = upper.replace('$', "");
    if letters.is_empty() || letters.len() > 3 || !letters.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let (_, col) = super::super::sheet::parse_a1(&format!("{letters}1"))?;
    Some((if first { 0 } else { LAST_ROW }, col, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Result<Expr, ParseError> {
        parse(text, 0, &["表一", "Sheet 2"])
    }

    #[test]
    fn references_ranges_and_sheets_parse() {
        assert!(matches!(
            p("$B$7"),
            Ok(Expr::Cell(Area { row: 6, col: 1, .. }))
        ));
        assert!(matches!(
            p("SUM('Sheet 2'!C8:C9)"),
            Ok(Expr::Call(ref n, ref a)) if n == "SUM"
                && a == &[Expr::Range(Area { sheet: 1, row: 7, col: 2, last_row: 8, last_col: 2 })]
        ));
        assert!(matches!(
            p("表一!A1"),
            Ok(Expr::Cell(Area { sheet: 0, .. }))
        ));
        assert!(matches!(
            p("SUM(C:C)"),
            Ok(Expr::Call(_, ref a)) if a == &[Expr::Range(Area { sheet: 0, row: 0, col: 2, last_row: LAST_ROW, last_col: 2 })]
        ));
    }

    #[test]
    fn chains_stay_flat() {
        let Ok(Expr::Chain(_, rest)) = p("A1+A2-A3+4") else {
            panic!("not a chain")
        };
        assert_eq!(rest.len(), 3);
    }

    #[test]
    fn bad_text_is_described() {
        assert!(p("SUM(A1").unwrap_err().contains("缺少"));
        assert!(p("其他表!A1").unwrap_err().contains("不存在"));
        assert!(p("Total").unwrap_err().contains("无法识别的名称"));
        assert!(p(&"(".repeat(100)).unwrap_err().contains("嵌套"));
        assert!(p(&"1+".repeat(5000)).unwrap_err().contains("上限"));
        assert!(p("A1>B1").is_err());
    }
}
