//! Values written in TOML's own syntax, for edits of TOML files.

use super::Reason;
use serde_json::Value as J;

/// A value as an inline TOML value (tables inline, `{ a = 1 }`).
pub(crate) fn toml_inline(value: &J) -> Result<String, Reason> {
    Ok(match value {
        J::Null => return Err(Reason::TomlNull),
        J::Bool(b) => b.to_string(),
        J::Number(n) => n.to_string(),
        J::String(s) => J::String(s.clone()).to_string(),
        J::Array(items) => format!(
            "[{}]",
            items
                .iter()
                .map(toml_inline)
                .collect::<Result<Vec<_>, _>>()?
                .join(", ")
        ),
        J::Object(map) => {
            let parts = map
                .iter()
                .map(|(k, v)| Ok(format!("{} = {}", toml_key(k), toml_inline(v)?)))
                .collect::<Result<Vec<_>, Reason>>()?;
            format!("{{ {} }}", parts.join(", "))
        }
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
        J::String(k.to_string()).to_string()
    }
}
