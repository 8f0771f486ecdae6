//! Human-readable renderings of a [`Report`](crate::Report): terminal text and Markdown.
//! The JSON rendering is the report's serde form.

pub mod annotations;
mod html;
mod markdown;
mod text;

pub use html::{escape_html, html};
pub use markdown::markdown;
pub use text::{TextOptions, text};

use crate::report::{Finding, Kind, Side};

/// `file:line:col` of a side, at the position the finding's kind makes most useful; for a value
/// rendered from a template, the template line too.
pub fn location(side: &Side, kind: Kind) -> String {
    let at = side.anchor(kind).start;
    match &side.origin {
        Some(o) => format!(
            "{}:{}:{} (from {}:{}:{})",
            side.file, at.line, at.column, o.file, o.span.start.line, o.span.start.column
        ),
        None => format!("{}:{}:{}", side.file, at.line, at.column),
    }
}

/// A one-line value for reports; long values are shortened in the middle.
pub fn short_value(value: &serde_json::Value) -> String {
    let s = match value {
        serde_json::Value::Array(items) if items.iter().any(|i| i.is_object() || i.is_array()) => {
            format!("[list of {}]", items.len())
        }
        serde_json::Value::Object(map) => format!("{{map of {}}}", map.len()),
        other => other.to_string(),
    };
    const MAX: usize = 80;
    if s.chars().count() > MAX {
        let head: String = s.chars().take(MAX / 2).collect();
        let tail: String = s
            .chars()
            .rev()
            .take(MAX / 2 - 3)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        format!("{head}...{tail}")
    } else {
        s
    }
}

/// What happened, in words: "changed", "string → number", ...
pub fn describe(f: &Finding) -> String {
    match (f.kind, &f.base, &f.env) {
        (Kind::TypeChanged, Some(b), Some(e)) => {
            format!("type changed: {} → {}", b.value_type, e.value_type)
        }
        (Kind::Reordered, ..) => "reordered".to_string(),
        (kind, ..) => kind.name().replace('_', " "),
    }
}
