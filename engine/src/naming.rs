//! Naming conventions: how a provider builds resource names (`shop-prod-us-east-1-assets` on AWS,
//! `shopprodassets` for an Azure storage account), for the templates' `naming(kind, name)`.

use crate::error::{Error, ErrorKind, Result};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// How to build a resource name: `format` with `{var}` placeholders filled from template variables
/// (`{name}` is the function's argument), then cased, cleaned and cut to size.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Naming {
    /// The name with `{var}` placeholders.
    pub format: String,
    /// Whether the name is lowercased.
    #[serde(default)]
    pub lowercase: bool,
    /// Characters allowed besides ASCII letters and digits; others become `separator` (or vanish
    /// when there is none).
    #[serde(default)]
    pub allowed: String,
    /// What replaces characters that are not allowed (nothing when empty).
    #[serde(default)]
    pub separator: String,
    /// The longest name allowed; longer names are cut.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<usize>,
}

#[cfg_attr(not(feature = "templates"), allow(dead_code))]
/// Builds a name by a naming convention (the templates' `naming()` function). `lookup` reads
/// template variables for the format's placeholders.
pub fn apply_naming(
    conventions: &IndexMap<String, Naming>,
    kind: &str,
    name: Option<&str>,
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<String> {
    let fail = |message: String| Error::new(ErrorKind::Template, message);
    let rule = conventions.get(kind).ok_or_else(|| {
        let known: Vec<&str> = conventions.keys().map(String::as_str).collect();
        fail(format!(
            "no naming convention '{kind}' in this provider (known: {})",
            if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            }
        ))
    })?;
    let mut filled = String::new();
    let mut rest = rule.format.as_str();
    while let Some(open) = rest.find('{') {
        filled.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            return Err(fail(format!("naming '{kind}': unclosed '{{' in format")));
        };
        let var = &rest[open + 1..open + close];
        let value = match (var, name) {
            ("name", Some(n)) => n.to_string(),
            _ => lookup(var).ok_or_else(|| {
                fail(format!(
                    "naming '{kind}' needs the variable '{var}', which is not set"
                ))
            })?,
        };
        filled.push_str(&value);
        rest = &rest[open + close + 1..];
    }
    filled.push_str(rest);
    if rule.lowercase {
        filled = filled.to_lowercase();
    }
    let mut out = String::new();
    for c in filled.chars() {
        if c.is_ascii_alphanumeric() || rule.allowed.contains(c) {
            out.push(c);
        } else if !rule.separator.is_empty() && !out.ends_with(&rule.separator) {
            out.push_str(&rule.separator);
        }
    }
    if let Some(max) = rule.max_length {
        out = out.chars().take(max).collect();
    }
    let trimmed = out.trim_matches(|c: char| !c.is_ascii_alphanumeric());
    Ok(trimmed.to_string())
}
