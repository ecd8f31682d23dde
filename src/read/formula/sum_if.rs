//! SUMIF and SUMIFS: the sum of the numbers of a range whose cells, or
//! the cells at the same place in other ranges, meet criteria
//! ([`Criterion`]).

use super::criterion::Criterion;
use super::parse::{Area, Expr};
use super::{add, Eval, Evaluator, Fault, Value};
use rust_decimal::Decimal;

impl Evaluator<'_> {
    /// `SUMIF(range, criterion[, sum_range])`: the criterion is a text or
    /// number, optionally after `=`, `<>`, `<`, `<=`, `>` or `>=`.
    pub(super) fn sumif(&mut self, args: &[Expr], depth: usize) -> Eval {
        let (keys, criterion, sums) = match args {
            [Expr::Range(k), c] => (*k, c, *k),
            [Expr::Range(k), c, Expr::Range(s)] => (*k, c, *s),
            _ => {
                return Err(Fault::Plain(
                    "SUMIF 的参数应为（条件区域, 条件[, 求和区域]）".into(),
                ))
            }
        };
        let c = self.eval(criterion, depth)?;
        let test = Criterion::new(&c)?;
        // The sum range takes the shape of the criterion range, as in Excel.
        let sums = Area {
            last_row: sums.row.saturating_add(keys.last_row - keys.row),
            last_col: sums.col.saturating_add(keys.last_col - keys.col),
            ..sums
        };
        self.sum_where(&sums, &[(keys, test)], depth)
    }

    /// `SUMIFS(sum_range, range1, criterion1[, range2, criterion2 …])`:
    /// the criteria as SUMIF's, every one to hold; each range the shape of
    /// the sum range.
    pub(super) fn sumifs(&mut self, args: &[Expr], depth: usize) -> Eval {
        let bad = || {
            Fault::Plain(
                "SUMIFS 的参数应为（求和区域, 条件区域1, 条件1[, 条件区域2, 条件2 …]）".into(),
            )
        };
        let [Expr::Range(sums), pairs @ ..] = args else {
            return Err(bad());
        };
        if pairs.is_empty() || pairs.len() % 2 != 0 {
            return Err(bad());
        }
        let mut tests = Vec::new();
        for pair in pairs.chunks(2) {
            let [Expr::Range(keys), criterion] = pair else {
                return Err(bad());
            };
            let same_shape = keys.last_row - keys.row == sums.last_row - sums.row
                && keys.last_col - keys.col == sums.last_col - sums.col;
            if !same_shape {
                return Err(Fault::Plain("SUMIFS 的条件区域应与求和区域大小相同".into()));
            }
            let c = self.eval(criterion, depth)?;
            tests.push((*keys, Criterion::new(&c)?));
        }
        self.sum_where(sums, &tests, depth)
    }

    /// The sum of the numbers in `sums` whose cells at the same place in
    /// every condition's range meet its criterion (blank when none does).
    fn sum_where(&mut self, sums: &Area, tests: &[(Area, Criterion)], depth: usize) -> Eval {
        let mut total: Option<Decimal> = None;
        for (row, col) in self.area_cells(sums)? {
            let Value::Num(d) = self.dependency(sums.sheet, row, col, depth)? else {
                continue;
            };
            let mut all = true;
            for (keys, test) in tests {
                let (key_row, key_col) = (keys.row + (row - sums.row), keys.col + (col - sums.col));
                let key = self.dependency(keys.sheet, key_row, key_col, depth)?;
                all &= test.matches(&key);
            }
            if all {
                total = Some(add(total, d)?);
            }
        }
        Ok(total.map_or(Value::Blank, Value::Num))
    }
}
