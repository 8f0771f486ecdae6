//! Values written in YAML block style, for edits of YAML files: scalars plain where they read back
//! as the same string, quoted otherwise; maps and lists as indented blocks.

use super::Reason;
use serde_json::Value as J;

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
        J::String(k.to_string()).to_string()
    }
}

/// A list item after `- `: a map's first entry shares the dash's line, as people write it.
pub(crate) fn yaml_item(value: &J, indent: usize) -> Result<String, Reason> {
    match value {
        J::Object(map) if !map.is_empty() => {
            let pad = " ".repeat(indent);
            let mut lines = Vec::new();
            for (k, v) in map {
                let v = yaml_value(v, indent + 2)?;
                let sep = if v.starts_with('\n') { "" } else { " " };
                lines.push(format!("{}:{sep}{v}", yaml_key(k)));
            }
            Ok(lines.join(&format!("\n{pad}")))
        }
        other => yaml_value(other, indent),
    }
}

/// A string that YAML reads back as the same string without quotes: words, paths and sentences, but
/// nothing that looks like a mapping (`a: b`), a comment (` #`), a number, a boolean or null.
fn yaml_plain_ok(s: &str) -> bool {
    let first_ok = s
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '/');
    let chars_ok = s
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'/' | b' ' | b','));
    let reserved = matches!(
        s.to_ascii_lowercase().as_str(),
        "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
    );
    first_ok && chars_ok && !reserved && !s.ends_with(' ') && !s.contains(": ") && !s.contains(" #")
}

/// A YAML value after `key: ` or `- `: scalars and empty containers inline, maps and lists as blocks.
pub(crate) fn yaml_value(value: &J, indent: usize) -> Result<String, Reason> {
    let pad = " ".repeat(indent);
    Ok(match value {
        J::Object(map) if !map.is_empty() => {
            let mut s = String::new();
            for (k, v) in map {
                s.push_str(&format!(
                    "\n{pad}{}: {}",
                    yaml_key(k),
                    yaml_value(v, indent + 2)?
                ));
            }
            s
        }
        J::Array(items) if !items.is_empty() => {
            let mut s = String::new();
            for item in items {
                s.push_str(&format!("\n{pad}- {}", yaml_item(item, indent + 2)?));
            }
            s
        }
        J::String(text) if yaml_plain_ok(text) => text.clone(),
        other => other.to_string(),
    })
}
