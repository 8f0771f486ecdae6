//! Validation findings: what a JSON Schema, a rule or a provider's rule found wrong with a value.

use crate::severity::Severity;
use crate::span::{Lines, Origin, Span, TextRange};
use serde::{Deserialize, Serialize};
use serde_json::Value as J;

/// Bumped when a field of [`Validation`] changes meaning or disappears.
pub const VALIDATION_VERSION: u32 = 1;

/// What found a violation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckKind {
    /// A JSON Schema keyword.
    Schema,
    /// A rule from a rules file.
    Rule,
    /// A rule from a provider profile.
    Provider,
}

/// One validation failure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Violation {
    /// The file the value is in.
    pub file: String,
    /// JSON Pointer of the offending value; in a multi-document YAML stream the first token is the
    /// document's index, as in drift reports.
    pub path: String,
    /// The rule's name (`aws/region`, `replicas-at-least-min`) or, for JSON Schema, the keyword's
    /// location in the schema (`#/properties/port/maximum`).
    pub rule: String,
    /// What kind of check found it.
    pub kind: CheckKind,
    /// What is wrong, for a person to read.
    pub message: String,
    /// How serious it is.
    pub severity: Severity,
    /// Where the offending value is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
    /// The offending value (masked when it is a secret).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<J>,
    /// For near misses of a list of allowed values: the value probably meant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    /// Where the rule is written (a rules or profile file, or the schema).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_file: Option<String>,
    /// The rule's line in that file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_line: Option<usize>,
    /// For rendered templates: the template text that produced the value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
    /// For a repeated value: where it is first, whose line [`Violation::resolve`] puts in the
    /// message.
    #[serde(skip)]
    pub(crate) first: Option<TextRange>,
}

impl Violation {
    /// Works out the lines and columns of its span from its file's `lines`, and names the line
    /// of the first of a repeated value in its message.
    pub fn resolve(&mut self, lines: &Lines) {
        if let Some(span) = &mut self.span {
            lines.resolve(span);
        }
        if let Some(first) = self.first.take() {
            let line = lines.pos(first.start()).line;
            self.message = format!("{} (first at line {line})", self.message);
        }
    }

    /// `file:line:col` of [`location`](Self::location), for messages.
    pub fn place(&self) -> String {
        match self.location() {
            (file, Some(s)) => format!("{file}:{}:{}", s.start.line, s.start.column),
            (file, None) => file.to_string(),
        }
    }

    /// The place a reader should go: the template line for rendered files, else the file itself.
    pub fn location(&self) -> (&str, Option<Span>) {
        match &self.origin {
            Some(o) => (&o.file, Some(o.span)),
            None => (&self.file, self.span),
        }
    }
}

/// The result of validating files: what `driftwise validate --format json` prints.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Validation {
    /// [`VALIDATION_VERSION`].
    pub version: u32,
    /// The files validated.
    pub files: Vec<String>,
    /// What was found, file by file.
    pub violations: Vec<Violation>,
    /// The lowest severity that fails.
    #[serde(default = "Severity::default_fail_on")]
    pub fail_on: Severity,
}

impl Validation {
    /// A validation result of the current version.
    pub fn new(files: Vec<String>, violations: Vec<Violation>, fail_on: Severity) -> Validation {
        Validation {
            version: VALIDATION_VERSION,
            files,
            violations,
            fail_on,
        }
    }

    /// Whether any violation is at or above `fail_on`.
    pub fn fails(&self) -> bool {
        self.failing() > 0
    }

    /// How many violations are at or above `fail_on`.
    pub fn failing(&self) -> usize {
        failing(&self.violations, self.fail_on)
    }
}

/// How many of `violations` are at or above `level`.
pub(crate) fn failing(violations: &[Violation], level: crate::severity::Severity) -> usize {
    violations.iter().filter(|v| v.severity >= level).count()
}
