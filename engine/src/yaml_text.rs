//! YAML scalars and keys as text: plain where YAML reads them back as the same value, quoted
//! otherwise. For the patch writers and the effective configurations of layers alike.

use crate::parse::parse;
use crate::tree::{Format, Source, Value};

/// A key, plain where YAML reads it back as the same string, else quoted.
pub(crate) fn yaml_key(k: &str) -> String {
    let plain = !k.is_empty()
        && k.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'/'))
        && !k.starts_with(['-', '.'])
        && !matches!(
            k,
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "~"
        );
    if plain {
        k.to_string()
    } else {
        serde_json::Value::String(k.to_string()).to_string()
    }
}

/// Whether YAML reads `s` back as the same string without quotes (`flow`: inside `[...]` or
/// `{...}`, where `,` and brackets end a plain scalar). Cheap checks first, then the parser has
/// the last word, so a plain scalar is never one that means a number, a boolean, null, a mapping
/// or a comment.
pub(crate) fn plain_ok(s: &str, flow: bool) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    let simple = !first.is_whitespace()
        && !s.ends_with(char::is_whitespace)
        && !s.chars().any(|c| c.is_control())
        && !"-?:,[]{}#&*!|>'\"%@`".contains(first)
        && !s.ends_with(':')
        && !s.contains(": ")
        && !s.contains(" #")
        && !(flow && s.contains([',', '[', ']', '{', '}']));
    if !simple {
        return false;
    }
    let probe = if flow {
        format!("[{s}]")
    } else {
        format!("v: {s}\n")
    };
    let source = Source::new("probe.yaml", probe).with_format(Format::Yaml);
    let read = parse(&source)
        .ok()
        .and_then(|d| d.documents.into_iter().next());
    let value = match read.map(|n| n.value) {
        Some(Value::List(mut items)) if flow && items.len() == 1 => items.remove(0).value,
        Some(Value::Map(mut map)) if !flow && map.len() == 1 => match map.shift_remove("v") {
            Some(m) => m.value.value,
            None => return false,
        },
        _ => return false,
    };
    value == Value::String(s.into())
}

/// A scalar in block style: a string plain where it reads back the same, else quoted; numbers,
/// booleans and null as YAML and JSON both write them.
pub(crate) fn yaml_scalar(value: &Value) -> String {
    match value {
        Value::String(s) if plain_ok(s, false) => s.to_string(),
        Value::Float(f) if f.is_nan() => ".nan".into(),
        Value::Float(f) if f.is_infinite() => (if *f > 0.0 { ".inf" } else { "-.inf" }).into(),
        Value::Decimal(d) => d.to_string(),
        other => other.to_json().to_string(),
    }
}
