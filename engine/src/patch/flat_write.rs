//! Values written in INI, `.env` and `.properties` files: text only, quoted or escaped as each
//! format needs, so the edited file reads back as the value written.

use super::Reason;
use crate::tree::{Format, Value};

fn not_flat(format: Format) -> Reason {
    Reason::NotRepresentable {
        what: format!("a map or list inside a {} value", format.name()),
    }
}

/// A scalar's text (numbers and booleans as written, null as nothing).
fn text_of(value: &Value, format: Format) -> Result<Option<String>, Reason> {
    Ok(match value {
        Value::Null => None,
        Value::String(s) => Some(s.to_string()),
        Value::Map(_) | Value::List(_) => return Err(not_flat(format)),
        other => Some(match other.to_json() {
            serde_json::Value::String(s) => s,
            json => json.to_string(),
        }),
    })
}

/// A value as it follows the separator.
pub(crate) fn flat_value(format: Format, value: &Value) -> Result<String, Reason> {
    let Some(text) = text_of(value, format)? else {
        return Ok(String::new());
    };
    Ok(match format {
        // `key =` with the lines below it (configparser's multi-line style): the value starts
        // with a line break.
        Format::Ini if text.starts_with('\n') && text.len() > 1 => {
            let rest = &text[1..];
            if rest != rest.trim() || rest.lines().any(|l| l.trim().is_empty()) {
                return Err(Reason::NotRepresentable {
                    what: "INI text with leading or trailing blanks".into(),
                });
            }
            text.replace('\n', "\n    ")
        }
        Format::Ini => {
            if text != text.trim() || text.lines().any(|l| l.trim().is_empty() && !l.is_empty()) {
                return Err(Reason::NotRepresentable {
                    what: "INI text with leading or trailing blanks".into(),
                });
            }
            // Lines after the first continue the value, indented.
            text.replace('\n', "\n    ")
        }
        Format::Env => {
            let plain = !text.is_empty()
                && text
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_-./:@,+=%{}$".contains(c))
                && !text.contains(" #");
            if plain {
                text
            } else {
                let mut out = String::from("\"");
                for c in text.chars() {
                    match c {
                        '"' => out.push_str("\\\""),
                        '\\' => out.push_str("\\\\"),
                        '\n' => out.push_str("\\n"),
                        '\t' => out.push_str("\\t"),
                        '\r' => out.push_str("\\r"),
                        c => out.push(c),
                    }
                }
                out.push('"');
                out
            }
        }
        Format::Properties => escape_properties(&text, false),
        _ => return Err(not_flat(format)),
    })
}

/// A `key=value` line, the key and value joined by `sep` (copied from a sibling line).
pub(crate) fn flat_line(
    format: Format,
    key: &str,
    value: &Value,
    sep: &str,
) -> Result<String, Reason> {
    let key_text = match format {
        Format::Env => {
            if !crate::parse::is_env_name(key) {
                return Err(Reason::NotRepresentable {
                    what: format!("'{key}' as a .env variable name"),
                });
            }
            key.to_string()
        }
        Format::Properties => escape_properties(key, true),
        Format::Ini => {
            if key.contains(['=', ':', '[', '\n']) || key != key.trim() {
                return Err(Reason::NotRepresentable {
                    what: format!("'{key}' as an INI key"),
                });
            }
            key.to_string()
        }
        _ => return Err(not_flat(format)),
    };
    if matches!(format, Format::Ini | Format::Env) && value == &Value::Null {
        return Ok(key_text);
    }
    // Properties: an empty key needs a written separator, and so does a value starting `=` or
    // `:`. INI has no blank separator (a neighbour that is a key alone gives none).
    let written = flat_value(format, value)?;
    let sep = match format {
        Format::Properties
            if sep.trim().is_empty() && (key.is_empty() || written.starts_with(['=', ':'])) =>
        {
            "="
        }
        Format::Ini if !sep.contains(['=', ':']) => " = ",
        _ => sep,
    };
    // A value on the lines below leaves nothing after the separator on the key's line.
    let sep = if written.starts_with('\n') {
        sep.trim_end()
    } else {
        sep
    };
    Ok(format!("{key_text}{sep}{written}"))
}

/// An INI section with its keys.
pub(crate) fn ini_section(name: &str, value: &Value) -> Result<String, Reason> {
    let Value::Map(map) = value else {
        return Err(not_flat(Format::Ini));
    };
    if name.contains([']', '\n']) {
        return Err(Reason::NotRepresentable {
            what: format!("'{name}' as an INI section name"),
        });
    }
    let mut out = format!("[{name}]\n");
    for (k, m) in map.iter() {
        out.push_str(&flat_line(Format::Ini, k, &m.value.value, " = ")?);
        out.push('\n');
    }
    Ok(out)
}

/// `.properties` escaping: backslashes, line breaks, and (in keys) the separators and blanks;
/// a value's leading blank is escaped so it is kept.
fn escape_properties(text: &str, key: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.chars().enumerate() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x0c' => out.push_str("\\f"),
            '=' | ':' if key => {
                out.push('\\');
                out.push(c);
            }
            ' ' if key || i == 0 => out.push_str("\\ "),
            // A line's leading blanks of any kind are dropped as it is read.
            c if key && i == 0 && c.is_whitespace() => {
                out.push('\\');
                out.push(c);
            }
            '#' | '!' if i == 0 => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}
