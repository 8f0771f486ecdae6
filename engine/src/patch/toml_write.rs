//! Values written in TOML's own syntax: inline values, keys, and whole tables as sections.

use super::Reason;
use super::json_write::json_scalar;
use crate::tree::{Map, Value};

/// A value as an inline TOML value (tables inline, `{ a = 1 }`).
pub(crate) fn toml_inline(value: &Value) -> Result<String, Reason> {
    Ok(match value {
        Value::Null => return Err(Reason::TomlNull),
        Value::Float(f) if f.is_nan() => "nan".into(),
        Value::Float(f) if f.is_infinite() => (if *f > 0.0 { "inf" } else { "-inf" }).into(),
        Value::List(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|n| toml_inline(&n.value))
                .collect::<Result<Vec<_>, _>>()?
                .join(", ")
        ),
        Value::Datetime(d) => d.to_string(),
        Value::Map(map) if map.is_empty() => "{}".into(),
        Value::Map(map) => {
            let parts = map
                .iter()
                .map(|(k, m)| {
                    Ok(format!(
                        "{} = {}",
                        toml_key(k),
                        toml_inline(&m.value.value)?
                    ))
                })
                .collect::<Result<Vec<_>, Reason>>()?;
            format!("{{ {} }}", parts.join(", "))
        }
        other => json_scalar(other)?,
    })
}

/// A key, bare when TOML allows it, else quoted.
pub(crate) fn toml_key(k: &str) -> String {
    if !k.is_empty()
        && k.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        k.to_string()
    } else {
        serde_json::Value::String(k.to_string()).to_string()
    }
}

/// Whether a value is written as sections (`[t]`, `[[t]]`) rather than inline.
pub(crate) fn is_section(value: &Value) -> bool {
    match value {
        Value::Map(_) => true,
        Value::List(items) => {
            !items.is_empty() && items.iter().all(|n| matches!(n.value, Value::Map(_)))
        }
        _ => false,
    }
}

/// A table (`array` false) or one array-of-tables item (`array` true) at `path` as a section: its
/// header, its scalar members, then its sub-tables as sections of their own.
pub(crate) fn toml_section(path: &[String], map: &Map, array: bool) -> Result<String, Reason> {
    let header = path
        .iter()
        .map(|k| toml_key(k))
        .collect::<Vec<_>>()
        .join(".");
    let mut out = if array {
        format!("[[{header}]]\n")
    } else {
        format!("[{header}]\n")
    };
    for (k, m) in map.iter().filter(|(_, m)| !is_section(&m.value.value)) {
        out.push_str(&format!(
            "{} = {}\n",
            toml_key(k),
            toml_inline(&m.value.value)?
        ));
    }
    for (k, m) in map.iter().filter(|(_, m)| is_section(&m.value.value)) {
        let mut sub = path.to_vec();
        sub.push(k.to_string());
        out.push('\n');
        out.push_str(&toml_sections(&sub, &m.value.value)?);
    }
    Ok(out)
}

/// A table or an array of tables at `path` as sections.
pub(crate) fn toml_sections(path: &[String], value: &Value) -> Result<String, Reason> {
    match value {
        Value::Map(map) => toml_section(path, map, false),
        Value::List(_) if is_section(value) => {
            let Value::List(items) = value else {
                unreachable!("a list, matched above")
            };
            let mut out = Vec::new();
            for item in items.iter() {
                if let Value::Map(map) = &item.value {
                    out.push(toml_section(path, map, true)?);
                }
            }
            Ok(out.join("\n"))
        }
        _ => Err(Reason::NotAContainer),
    }
}
