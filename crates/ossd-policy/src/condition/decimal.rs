//! Exact decimal numbers for the `Numeric*` operators (no floating-point rounding).

use std::cmp::Ordering;

/// Longest exponent accepted, in digits; keeps the arithmetic far from overflow.
const MAX_EXPONENT_DIGITS: usize = 9;

/// A decimal `±0.d₁d₂… × 10^exponent` with no leading or trailing zero digits (zero has none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Decimal {
    /// Sign; always `false` for zero.
    negative: bool,
    /// Significant digits, each 0–9.
    digits: Vec<u8>,
    /// Position of the decimal point relative to the first digit.
    exponent: i64,
}

impl Decimal {
    /// Parses `[+-]digits[.digits][(e|E)[+-]digits]` (at least one mantissa digit).
    pub(crate) fn parse(text: &str) -> Option<Self> {
        let (negative, rest) = match text.as_bytes().first()? {
            b'-' => (true, &text[1..]),
            b'+' => (false, &text[1..]),
            _ => (false, text),
        };
        let (mantissa, exponent) = match rest.find(['e', 'E']) {
            Some(at) => (&rest[..at], parse_exponent(&rest[at + 1..])?),
            None => (rest, 0),
        };
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if int.len() + frac.len() == 0 || !all_digits(int) || !all_digits(frac) {
            return None;
        }
        Some(Self::normalized(negative, int, frac, exponent))
    }

    /// Builds the normal form from integer and fraction digit strings.
    fn normalized(negative: bool, int: &str, frac: &str, exponent: i64) -> Self {
        let raw: Vec<u8> = int.bytes().chain(frac.bytes()).map(|b| b - b'0').collect();
        let leading = raw.iter().take_while(|&&d| d == 0).count();
        let mut digits = raw[leading..].to_vec();
        while digits.last() == Some(&0) {
            digits.pop();
        }
        if digits.is_empty() {
            return Self {
                negative: false,
                digits,
                exponent: 0,
            };
        }
        let point =
            i64::try_from(int.len()).unwrap_or(i64::MAX / 4) - i64::try_from(leading).unwrap_or(0);
        Self {
            negative,
            digits,
            exponent: point + exponent,
        }
    }

    /// Compares two decimals by value.
    pub(crate) fn compare(&self, other: &Self) -> Ordering {
        match (self.negative, other.negative) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => compare_magnitude(self, other),
            (true, true) => compare_magnitude(other, self),
        }
    }
}

/// Compares absolute values.
fn compare_magnitude(a: &Decimal, b: &Decimal) -> Ordering {
    match (a.digits.is_empty(), b.digits.is_empty()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        (false, false) => a
            .exponent
            .cmp(&b.exponent)
            .then_with(|| a.digits.cmp(&b.digits)),
    }
}

/// Parses an exponent `[+-]digits` of at most [`MAX_EXPONENT_DIGITS`] digits.
fn parse_exponent(text: &str) -> Option<i64> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || digits.len() > MAX_EXPONENT_DIGITS {
        return None;
    }
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let value: i64 = digits.parse().ok()?;
    Some(if text.starts_with('-') { -value } else { value })
}

#[cfg(test)]
mod tests {
    use super::Decimal;
    use std::cmp::Ordering::{Equal, Greater, Less};

    fn cmp(a: &str, b: &str) -> std::cmp::Ordering {
        match (Decimal::parse(a), Decimal::parse(b)) {
            (Some(a), Some(b)) => a.compare(&b),
            _ => panic!("unparseable {a} or {b}"),
        }
    }

    #[test]
    fn compares_exactly() {
        assert_eq!(cmp("10", "9"), Greater);
        assert_eq!(cmp("10.0", "10"), Equal);
        assert_eq!(cmp("0010", "1e1"), Equal);
        assert_eq!(cmp("-0", "0"), Equal);
        assert_eq!(cmp("-1", "0"), Less);
        assert_eq!(cmp("-2", "-1"), Less);
        assert_eq!(cmp("0.1", "0.09"), Greater);
        assert_eq!(cmp("9007199254740993", "9007199254740992"), Greater);
        assert_eq!(cmp(".5", "0.5"), Equal);
        assert_eq!(cmp("5.", "5"), Equal);
        assert_eq!(cmp("1.5E-3", "0.0015"), Equal);
    }

    #[test]
    fn rejects_non_numbers() {
        for bad in [
            "",
            "-",
            ".",
            "1e",
            "e1",
            "1x",
            " 1",
            "0x10",
            "NaN",
            "inf",
            "1e1234567890",
            "1..2",
        ] {
            assert!(Decimal::parse(bad).is_none(), "{bad}");
        }
    }
}
