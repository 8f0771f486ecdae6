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
