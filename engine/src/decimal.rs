//! Numbers exactly as written. Most numbers in configuration fit a 64-bit integer or float, and are
//! compared as those; a number that neither holds exactly (`18446744073709551616`, `1e400`,
//! `0.30000000000000001`) is kept as its text and compared by its canonical decimal form, so two
//! different numbers never compare equal because a float rounded them together.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A number kept as written, with its canonical form for comparisons.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub struct Decimal {
    text: String,
    canonical: String,
}

impl Decimal {
    /// The number as written in the file.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// A float near the number (infinite when it is beyond any float), for arithmetic that can be
    /// approximate: tolerances, rule expressions, JSON Schema bounds.
    pub fn approx(&self) -> f64 {
        self.text
            .replace('_', "")
            .parse::<f64>()
            .unwrap_or(f64::NAN)
    }

    pub(crate) fn canonical(&self) -> &str {
        &self.canonical
    }
}

impl PartialEq for Decimal {
    fn eq(&self, other: &Decimal) -> bool {
        self.canonical == other.canonical
    }
}

impl From<String> for Decimal {
    fn from(text: String) -> Decimal {
        let canonical = canonical(&text).unwrap_or_else(|| text.to_ascii_lowercase());
        Decimal { text, canonical }
    }
}

impl From<Decimal> for String {
    fn from(d: Decimal) -> String {
        d.text
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// What a number's text means: an `i64` when it is an integer that fits, an `f64` when a float
/// holds it exactly (its shortest form reads back as the same number), else the text itself.
pub(crate) enum Number {
    Int(i64),
    Float(f64),
    Exact(Decimal),
}

/// Reads a decimal number (`-12`, `3.5`, `1e-9`; TOML's `_` separators allowed).
pub(crate) fn number(text: &str, integral: bool) -> Number {
    if integral && let Ok(i) = text.replace('_', "").parse::<i64>() {
        return Number::Int(i);
    }
    let Ok(f) = text.replace('_', "").parse::<f64>() else {
        return Number::Exact(Decimal::from(text.to_string()));
    };
    // Up to 15 significant digits always survive a trip through a float; beyond, ask.
    let exact = f.is_finite()
        && (significant_digits(text) <= 15 && (f != 0.0 || is_zero(text))
            || canonical(text).as_deref() == canonical(&format!("{f:e}")).as_deref());
    if exact {
        Number::Float(f)
    } else {
        Number::Exact(Decimal::from(text.to_string()))
    }
}

fn significant_digits(text: &str) -> usize {
    let mantissa = text.split(['e', 'E']).next().unwrap_or("");
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    digits.trim_start_matches('0').trim_end_matches('0').len()
}

fn is_zero(text: &str) -> bool {
    let mantissa = text.split(['e', 'E']).next().unwrap_or("");
    mantissa
        .chars()
        .filter(|c| c.is_ascii_digit())
        .all(|c| c == '0')
}

/// The canonical form of a decimal number: sign, significant digits and exponent
/// (`1.50e3` → `15e2`, `-0.0` → `0`). `None` for text that is not a decimal number.
pub(crate) fn canonical(text: &str) -> Option<String> {
    let text = text.trim();
    let (negative, rest) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(i) => (
            &rest[..i],
            rest[i + 1..].replace('_', "").parse::<i64>().ok()?,
        ),
        None => (rest, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let int = int.replace('_', "");
    let frac = frac.replace('_', "");
    if int.is_empty() && frac.is_empty()
        || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let digits = format!("{int}{frac}");
    let mut exponent = exponent.checked_sub(frac.len() as i64)?;
    let digits = digits.trim_start_matches('0');
    let trimmed = digits.trim_end_matches('0');
    if trimmed.is_empty() {
        return Some("0".to_string());
    }
    exponent = exponent.checked_add((digits.len() - trimmed.len()) as i64)?;
    let sign = if negative { "-" } else { "" };
    Some(format!("{sign}{trimmed}e{exponent}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_forms_agree_on_equal_numbers_only() {
        assert_eq!(canonical("1.50e3"), Some("15e2".into()));
        assert_eq!(canonical("1500"), Some("15e2".into()));
        assert_eq!(canonical("0.1"), Some("1e-1".into()));
        assert_eq!(canonical("-0.0"), Some("0".into()));
        assert_eq!(canonical("1_000"), Some("1e3".into()));
        assert_eq!(canonical("abc"), None);
        assert_eq!(canonical("."), None);
        assert_ne!(canonical("1e400"), canonical("2e400"));
    }

    #[test]
    fn numbers_are_exact_or_kept_as_written() {
        assert!(matches!(number("42", true), Number::Int(42)));
        assert!(matches!(number("0.1", false), Number::Float(f) if f == 0.1));
        assert!(matches!(number("1e300", false), Number::Float(_)));
        assert!(matches!(number("0.0", false), Number::Float(f) if f == 0.0));
        for big in [
            "18446744073709551616",
            "1e400",
            "0.30000000000000001",
            "1e-400",
        ] {
            assert!(
                matches!(number(big, !big.contains(['e', '.'])), Number::Exact(_)),
                "{big}"
            );
        }
        let a = Decimal::from("18446744073709551616".to_string());
        let b = Decimal::from("18446744073709551617".to_string());
        assert_ne!(a, b, "beyond 64 bits, different integers stay different");
        assert_eq!(a, Decimal::from("1.8446744073709551616e19".to_string()));
    }
}
