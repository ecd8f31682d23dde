//! The text a numeric cell is stored with: the shortest text of its float
//! with binary noise beyond six decimals removed ([`float_text`]), and the
//! `<v>` texts that already are that text ([`as_float_text`]), which the
//! reader takes as they are instead of parsing and formatting them again.

/// Shortest text of a float that reads back to the same float, with binary
/// noise beyond 6 decimals removed (`0.1 + 0.2` → `0.3`).
pub fn float_text(f: f64) -> String {
    let rounded = (f * 1e6).round() / 1e6;
    if rounded.is_finite() && (rounded - f).abs() < 1e-9_f64.max(f.abs() * 1e-12) {
        format!("{rounded}")
    } else {
        format!("{f}")
    }
}

/// Most digits before the point of a text taken as it is.
const MAX_WHOLE_DIGITS: usize = 9;
/// Most digits after the point of a text taken as it is.
const MAX_DECIMALS: usize = 6;

/// `text` when it is exactly `float_text(text.parse())`, else `None`
/// (the caller then parses and formats).
///
/// Taken: a whole part of one to nine digits (no leading `0` but in `0`
/// itself), then optionally `.` and one to six decimals not ending with
/// `0` (`353.49`, `0.5`, `2011301`). Why those are their own
/// `float_text`:
///
/// - Such a text `t` has at most 15 significant digits, so it is the only
///   decimal of at most 15 significant digits nearest to its float `f`
///   (IEEE doubles keep 15 digits: two such decimals never share a
///   double). The shortest text that reads back to `f`, which `{}` prints
///   without an exponent, therefore has `t`'s digits: `format!("{f}")` is
///   `t` (no leading or trailing zero to add or drop).
/// - `N = t × 10⁶` is a whole number below 10¹⁵ < 2⁵¹. `f × 1e6` is
///   within `N × 2.3e-16` < 0.25 of `N` (two roundings of at most 2⁻⁵³
///   each), so `.round()` gives `N` exactly, and `N / 1e6`, one
///   correctly rounded division of two exact doubles, is the double
///   nearest `t`: `f` itself. So `float_text` prints `f`, i.e. `t`.
///
/// Signs, exponents, leading `+` or `.`, leading or trailing zeros and
/// longer texts are left to the parse (`-0`, `1E3`, `.5`, `1.50`).
pub fn as_float_text(text: &str) -> Option<&str> {
    let b = text.as_bytes();
    let whole = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if whole == 0 || whole > MAX_WHOLE_DIGITS || (whole > 1 && b.first() == Some(&b'0')) {
        return None;
    }
    match b.get(whole..)? {
        [] => Some(text),
        [b'.', decimals @ ..] => {
            let plain = (1..=MAX_DECIMALS).contains(&decimals.len())
                && decimals.iter().all(u8::is_ascii_digit)
                && decimals.last() != Some(&b'0');
            plain.then_some(text)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_lose_binary_noise() {
        assert_eq!(float_text(0.1 + 0.2), "0.3");
        assert_eq!(float_text(353.49), "353.49");
        assert_eq!(float_text(2011301.0), "2011301");
    }

    /// What `float_text` makes of the text, as the reader did before the
    /// shortcut (`None` when the text is no number).
    fn slow(text: &str) -> Option<String> {
        text.parse::<f64>().ok().map(float_text)
    }

    /// The shortcut against the parse and format it saves: a text it
    /// takes must be its own `float_text`.
    fn agrees(text: &str) {
        if let Some(t) = as_float_text(text) {
            assert_eq!(t, text);
            assert_eq!(slow(text).as_deref(), Some(text), "{text:?} taken as is");
        }
    }

    #[test]
    fn texts_taken_as_they_are_are_their_own_float_text() {
        let taken = [
            "0",
            "7",
            "353.49",
            "0.5",
            "0.000001",
            "0.999999",
            "2011301",
            "999999999",
            "999999999.999999",
            "123456789.123457",
            "100000000.000001",
            "900719925.474099",
            "0.1",
            "0.3",
        ];
        for t in taken {
            assert_eq!(as_float_text(t), Some(t), "{t}");
            agrees(t);
        }
        // Left to the parse: what float_text would print otherwise, and
        // what is near the bounds.
        for t in [
            "",
            "-0",
            "-1",
            "+1",
            ".5",
            "1.",
            "01",
            "00",
            "0.0",
            "1.50",
            "1E3",
            "1e-7",
            "1.0000001",
            "0.0000001",
            "1000000000",
            "4503599.627370497",
            "1 ",
            " 1",
            "1,5",
            "1.2.3",
            "١",
            "NaN",
            "inf",
        ] {
            assert_eq!(as_float_text(t), None, "{t:?}");
        }
        // The shortcut would be wrong past its bounds: these are not their
        // own float_text, so a shortcut taking more digits fails above.
        for (t, own) in [
            ("1000000.0000001", "1000000"),
            ("0.0000000001", "0"),
            ("1.50", "1.5"),
            ("12345678901234567", "12345678901234568"),
            ("-0.0", "-0"),
        ] {
            assert_eq!(slow(t).as_deref(), Some(own), "{t}");
        }
    }

    /// Generated texts of every shape near the grammar (digits, points,
    /// signs, zeros, exponents), random and exhaustive: whatever the
    /// shortcut takes, parse and format give back unchanged.
    #[test]
    fn generated_texts_taken_as_they_are_are_their_own_float_text() {
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut rnd = move |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        let mut taken = 0u32;
        for _ in 0..300_000 {
            let mut t = String::new();
            if rnd(20) == 0 {
                t.push(['-', '+', '.'][usize::try_from(rnd(3)).unwrap()]);
            }
            let whole = rnd(12);
            for i in 0..whole {
                // Many 9s and 0s: the edges of rounding.
                let d = match rnd(4) {
                    0 => 9,
                    1 if i > 0 => 0,
                    _ => rnd(10),
                };
                t.push(char::from(b'0' + u8::try_from(d).unwrap()));
            }
            if rnd(3) > 0 {
                t.push('.');
                for _ in 0..rnd(9) {
                    let d = match rnd(4) {
                        0 => 9,
                        1 => 0,
                        _ => rnd(10),
                    };
                    t.push(char::from(b'0' + u8::try_from(d).unwrap()));
                }
            }
            if rnd(30) == 0 {
                t.push_str(["e3", "E-2", "0", " "][usize::try_from(rnd(4)).unwrap()]);
            }
            taken += u32::from(as_float_text(&t).is_some());
            agrees(&t);
        }
        assert!(taken > 30_000, "{taken} generated texts taken");
        // Exhaustive up to four digits around a point.
        for n in 0..100_000u32 {
            let s = n.to_string();
            for cut in 0..=s.len() {
                let (w, d) = s.split_at(cut);
                agrees(&format!("{w}.{d}"));
                agrees(&format!("0.{d}"));
                agrees(&format!("{w}.00{d}"));
            }
            agrees(&s);
        }
        // The largest texts taken, at every number of decimals.
        for decimals in 0..=MAX_DECIMALS {
            for _ in 0..20_000 {
                let whole = 100_000_000 + rnd(900_000_000);
                let t = if decimals == 0 {
                    whole.to_string()
                } else {
                    let frac = rnd(10u64.pow(u32::try_from(decimals).unwrap()));
                    format!("{whole}.{frac:0width$}", width = decimals)
                };
                agrees(&t);
            }
        }
    }
}
