//! When two different-looking scalars are the same setting. Every rule is symmetric, so checking A
//! against B and B against A still mirror each other.

use super::options::Normalise;
use crate::parse::parse;
use crate::tree::{Format, Source, Value};

/// Whether `base` and `env` are the same value under the normalisation rules (and an absolute
/// numeric tolerance for this path, if the policy gives one; `quantities` says whether quantities
/// compare by amount here).
pub(crate) fn equivalent(
    rules: &Normalise,
    tolerance: Option<f64>,
    quantities: bool,
    base: &Value,
    env: &Value,
) -> bool {
    if let Some(t) = tolerance {
        let number = |v: &Value| match v {
            Value::String(s) if rules.numeric_strings || quantities => quantity(s),
            other => as_number(other),
        };
        if let (Some(a), Some(b)) = (number(base), number(env)) {
            return (a - b).abs() <= t;
        }
    }
    if rules.numeric_strings && numeric_string_equal(base, env) {
        return true;
    }
    if quantities && quantity_equal(base, env) {
        return true;
    }
    if rules.booleans
        && let (Some(a), Some(b)) = (as_bool(base), as_bool(env))
    {
        return a == b;
    }
    if rules.embedded
        && let (Some(a), Some(b)) = (structure(base), structure(env))
    {
        return a == b;
    }
    false
}

fn as_number(v: &Value) -> Option<f64> {
    v.approx_number()
}

fn numeric_string_equal(a: &Value, b: &Value) -> bool {
    let n = |v: &Value| match v {
        Value::String(s) => strict_number(s),
        other => as_number(other),
    };
    matches!((n(a), n(b)), (Some(x), Some(y)) if x == y)
}

/// A number written plainly (no units, no spaces): `5432`, `-1.5`, `1e3`.
fn strict_number(s: &str) -> Option<f64> {
    let ok = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'));
    if ok {
        s.parse::<f64>().ok().filter(|f| f.is_finite())
    } else {
        None
    }
}

fn quantity_equal(a: &Value, b: &Value) -> bool {
    // Only when a string is involved: two plain numbers are compared by the diff itself.
    if !matches!(a, Value::String(_)) && !matches!(b, Value::String(_)) {
        return false;
    }
    let q = |v: &Value| match v {
        Value::String(s) => quantity(s),
        other => as_number(other),
    };
    match (q(a), q(b)) {
        (Some(x), Some(y)) => x == y || (x - y).abs() <= 1e-9 * x.abs().max(y.abs()),
        _ => false,
    }
}

/// A Kubernetes quantity (`500m`, `1.5Gi`, `2k`, `1e3`) as a plain number.
fn quantity(s: &str) -> Option<f64> {
    const SUFFIXES: [(&str, f64); 15] = [
        ("Ki", 1024.0),
        ("Mi", 1_048_576.0),
        ("Gi", 1_073_741_824.0),
        ("Ti", 1_099_511_627_776.0),
        ("Pi", 1_125_899_906_842_624.0),
        ("Ei", 1_152_921_504_606_846_976.0),
        ("n", 1e-9),
        ("u", 1e-6),
        ("m", 1e-3),
        ("k", 1e3),
        ("M", 1e6),
        ("G", 1e9),
        ("T", 1e12),
        ("P", 1e15),
        ("E", 1e18),
    ];
    let s = s.trim();
    for (suffix, factor) in SUFFIXES {
        if let Some(number) = s.strip_suffix(suffix) {
            let plain = !number.is_empty()
                && number
                    .bytes()
                    .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+'));
            if plain {
                return number.parse::<f64>().ok().map(|n| n * factor);
            }
        }
    }
    strict_number(s)
}

fn as_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) => match s.to_ascii_lowercase().as_str() {
            "true" | "yes" | "on" => Some(true),
            "false" | "no" | "off" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// A map or list, or a string that holds one in JSON or YAML.
fn structure(v: &Value) -> Option<Value> {
    match v {
        Value::Map(_) | Value::List(_) => Some(v.clone()),
        Value::String(s) => {
            let source = Source::new("embedded", s.clone()).with_format(Format::Yaml);
            let doc = parse(&source).ok()?;
            match doc.documents.into_iter().next()?.value {
                v @ (Value::Map(_) | Value::List(_)) => Some(v),
                _ => None,
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> Value {
        Value::String(x.into())
    }

    #[test]
    fn each_rule_only_when_asked() {
        let none = Normalise::default();
        let all = Normalise {
            quantities: true,
            numeric_strings: true,
            booleans: true,
            embedded: true,
            tolerance: vec![],
            quantity_paths: vec![],
        };
        let cases = [
            (s("500m"), s("0.5")),
            (s("1Gi"), s("1024Mi")),
            (s("1"), Value::Int(1)),
            (s("5432"), Value::Int(5432)),
            (s("yes"), Value::Bool(true)),
            (s("Off"), s("false")),
            (s("{\"a\": 1, \"b\": [1, 2]}"), s("b: [1, 2]\na: 1\n")),
        ];
        for (a, b) in &cases {
            assert!(
                !equivalent(&none, None, none.quantities, a, b),
                "{a:?} {b:?} without rules"
            );
            assert!(equivalent(&all, None, all.quantities, a, b), "{a:?} {b:?}");
            assert!(
                equivalent(&all, None, all.quantities, b, a),
                "symmetric: {b:?} {a:?}"
            );
        }
        for (a, b) in [
            (s("500m"), s("0.6")),
            (s("1Gi"), s("1G")),
            (s("yes"), Value::Bool(false)),
            (s("5432x"), Value::Int(5432)),
        ] {
            assert!(
                !equivalent(&all, None, all.quantities, &a, &b),
                "{a:?} {b:?}"
            );
        }
    }

    #[test]
    fn tolerance_is_absolute() {
        let rules = Normalise::default();
        assert!(equivalent(
            &rules,
            Some(0.05),
            false,
            &Value::Float(0.70),
            &Value::Float(0.74)
        ));
        assert!(!equivalent(
            &rules,
            Some(0.05),
            false,
            &Value::Float(0.70),
            &Value::Float(0.76)
        ));
        assert!(
            !equivalent(&rules, Some(0.05), false, &s("0.70"), &Value::Float(0.72)),
            "strings only with numeric_strings"
        );
    }
}
