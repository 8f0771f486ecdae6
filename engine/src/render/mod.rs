//! Reports and validations as people and CI systems read them: terminal text, JSON, Markdown, a
//! self-contained HTML page, SARIF, JUnit XML and GitHub Actions annotations. One
//! [`OutputFormat`] names them for every front door.

mod annotations;
mod html;
mod markdown;
mod text;

pub use html::escape_html;

use crate::error::{Error, ErrorKind, Result};
use crate::finding::{Finding, Kind, Side};
use crate::json_text::to_json_text;
use crate::report::Report;
use crate::violation::Validation;

/// The forms a report or a validation can be written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    /// For terminals: one block per environment (or file), positions as `file:line:col`.
    Text,
    /// The versioned JSON form (`schemas/report.v1.schema.json`, `schemas/validation.v1.schema.json`).
    Json,
    /// Markdown tables, for pull request comments and wikis.
    Markdown,
    /// A self-contained HTML page: no scripts, nothing loaded from elsewhere.
    Html,
    /// SARIF 2.1.0, for code-scanning upload.
    Sarif,
    /// JUnit XML: one test case per environment or file.
    Junit,
    /// GitHub Actions workflow commands (`::error file=...,line=...::`).
    Github,
}

impl OutputFormat {
    /// Every format.
    pub const ALL: [OutputFormat; 7] = [
        OutputFormat::Text,
        OutputFormat::Json,
        OutputFormat::Markdown,
        OutputFormat::Html,
        OutputFormat::Sarif,
        OutputFormat::Junit,
        OutputFormat::Github,
    ];

    /// The format's name (`markdown`).
    pub fn name(self) -> &'static str {
        match self {
            OutputFormat::Text => "text",
            OutputFormat::Json => "json",
            OutputFormat::Markdown => "markdown",
            OutputFormat::Html => "html",
            OutputFormat::Sarif => "sarif",
            OutputFormat::Junit => "junit",
            OutputFormat::Github => "github",
        }
    }

    /// The usual file name extension of the format.
    pub fn extension(self) -> &'static str {
        match self {
            OutputFormat::Text | OutputFormat::Github => "txt",
            OutputFormat::Json => "json",
            OutputFormat::Markdown => "md",
            OutputFormat::Html => "html",
            OutputFormat::Sarif => "sarif",
            OutputFormat::Junit => "xml",
        }
    }
}

impl std::fmt::Display for OutputFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for OutputFormat {
    type Err = Error;
    fn from_str(s: &str) -> Result<OutputFormat> {
        OutputFormat::ALL
            .into_iter()
            .find(|f| f.name() == s.to_ascii_lowercase())
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::Usage,
                    format!(
                        "unknown output format '{s}' (text, json, markdown, html, sarif, junit or github)"
                    ),
                )
            })
    }
}

/// How text output looks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RenderOptions {
    /// ANSI colours, for terminals (text only).
    pub color: bool,
}

impl Report {
    /// The report in `format`.
    pub fn render(&self, format: OutputFormat, options: RenderOptions) -> String {
        use annotations::{github, junit, report_annotations, report_groups, sarif};
        match format {
            OutputFormat::Text => text::report(self, options),
            OutputFormat::Json => to_json_text(self),
            OutputFormat::Markdown => markdown::report(self),
            OutputFormat::Html => html::report(self),
            OutputFormat::Sarif => sarif(&report_annotations(self)),
            OutputFormat::Junit => junit("drift", &report_groups(self), &report_annotations(self)),
            OutputFormat::Github => github(&report_annotations(self)),
        }
    }
}

impl Validation {
    /// The validation result in `format`.
    pub fn render(&self, format: OutputFormat, options: RenderOptions) -> String {
        use annotations::{github, junit, sarif, validation_annotations};
        let _ = options;
        match format {
            OutputFormat::Text => annotations::validation_text(self),
            OutputFormat::Json => to_json_text(self),
            OutputFormat::Markdown => markdown::validation(self),
            OutputFormat::Html => html::validation(self),
            OutputFormat::Sarif => sarif(&validation_annotations(self)),
            OutputFormat::Junit => junit("validate", &self.files, &validation_annotations(self)),
            OutputFormat::Github => github(&validation_annotations(self)),
        }
    }
}

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

/// A side's value in one line, as [`short_value`] writes it; a number too long or too precise
/// for a JSON number travels as its source text in a string and is shown bare, as written.
pub fn side_value(side: &Side) -> String {
    match &side.value {
        serde_json::Value::String(text) if side.value_type == crate::tree::ValueType::Number => {
            short_value(&serde_json::Value::String(text.clone()))
                .trim_matches('"')
                .to_string()
        }
        other => short_value(other),
    }
}

/// A finding's two values in one line each, as [`side_value`] writes them; but two long texts
/// that would read the same shortened in the middle (they differ there) are both shown from a
/// little before where they first differ, so the change is in sight.
pub fn side_values(base: Option<&Side>, env: Option<&Side>) -> (Option<String>, Option<String>) {
    let shown = (base.map(side_value), env.map(side_value));
    let (Some(b), Some(e)) = (base, env) else {
        return shown;
    };
    match (&b.value, &e.value) {
        (serde_json::Value::String(x), serde_json::Value::String(y))
            if x != y && shown.0 == shown.1 =>
        {
            // As `short_value` writes them: JSON strings, escapes and quotes included.
            let quoted = |t: &str| serde_json::Value::String(t.to_string()).to_string();
            let (x, y): (Vec<char>, Vec<char>) =
                (quoted(x).chars().collect(), quoted(y).chars().collect());
            let same = x.iter().zip(&y).take_while(|(a, b)| a == b).count();
            let from = same.saturating_sub(SHORT_VALUE / 4);
            (Some(window(&x, from)), Some(window(&y, from)))
        }
        _ => shown,
    }
}

/// At most [`SHORT_VALUE`] characters of `chars` from `from`, with `...` where some are left out.
fn window(chars: &[char], from: usize) -> String {
    let end = (from + SHORT_VALUE - 6).min(chars.len());
    let mut out = String::new();
    if from > 0 {
        out.push_str("...");
    }
    out.extend(&chars[from..end]);
    if end < chars.len() {
        out.push_str("...");
    }
    out
}

/// How many characters a value in a report's line may take.
const SHORT_VALUE: usize = 80;

/// A one-line value for reports; long values are shortened in the middle.
pub fn short_value(value: &serde_json::Value) -> String {
    fn one_line(value: &serde_json::Value) -> String {
        match value {
            serde_json::Value::Array(items)
                if items.iter().any(|i| i.is_object() || i.is_array()) =>
            {
                format!("[list of {}]", items.len())
            }
            // A YAML custom tag, as the reader keeps it: `!Ref "Name"`.
            serde_json::Value::Object(map)
                if map.len() == 1 && map.keys().all(|k| crate::tree::is_custom_tag(k)) =>
            {
                let (tag, inner) = map.iter().next().expect("one member");
                match inner {
                    serde_json::Value::Null => tag.clone(),
                    inner => format!("{tag} {}", one_line(inner)),
                }
            }
            serde_json::Value::Object(map) => format!("{{map of {}}}", map.len()),
            other => other.to_string(),
        }
    }
    let s = one_line(value);
    const MAX: usize = SHORT_VALUE;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::ValueType;

    fn text(value: &str) -> Side {
        Side {
            file: "f.yaml".into(),
            path: "/a".into(),
            span: Default::default(),
            key_span: None,
            value_type: ValueType::String,
            value: serde_json::json!(value),
            origin: None,
        }
    }

    #[test]
    fn long_texts_changed_in_the_middle_show_where_they_differ() {
        let head = "Exports the configuration for a subnet ".repeat(3);
        let tail = " to a local directory, as YAML files".repeat(2);
        let (base, env) = (format!("{head}(one){tail}"), format!("{head}(two){tail}"));
        // Shortened in the middle, both would read the same.
        assert_eq!(side_value(&text(&base)), side_value(&text(&env)));
        let (b, e) = side_values(Some(&text(&base)), Some(&text(&env)));
        let (b, e) = (b.unwrap(), e.unwrap());
        assert_ne!(b, e);
        assert!(
            b.starts_with("...") && b.contains("(one)") && b.ends_with("..."),
            "{b}"
        );
        assert!(e.contains("(two)"), "{e}");
        assert!(b.chars().count() <= SHORT_VALUE, "{b}");
    }

    #[test]
    fn values_that_read_differently_are_shown_as_they_are() {
        let (b, e) = side_values(Some(&text("a")), Some(&text("b")));
        assert_eq!((b.as_deref(), e.as_deref()), (Some("\"a\""), Some("\"b\"")));
        let long = "x".repeat(200);
        let (b, e) = side_values(Some(&text(&long)), None);
        assert_eq!(b, Some(side_value(&text(&long))));
        assert_eq!(e, None);
    }
}
