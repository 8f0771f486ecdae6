//! CI formats: SARIF 2.1.0 (code scanning), JUnit XML (test dashboards) and GitHub Actions workflow
//! commands. Drift findings and validation violations both become [`Annotation`]s — one place in
//! one file with a rule and a level — and every CI format is written from that one list.

use super::{describe, side_values};
use crate::finding::Finding;
use crate::report::Report;
use crate::severity::Severity;
use crate::span::Span;
use crate::violation::{Validation, Violation};
use serde_json::{Value as J, json};
use std::fmt::Write;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Level {
    Error,
    Warning,
    Note,
}

impl Level {
    fn sarif(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "note",
        }
    }
}

/// One finding, reduced to what CI systems show.
#[derive(Clone, Debug)]
pub(super) struct Annotation {
    pub rule: String,
    pub level: Level,
    pub severity: Severity,
    pub message: String,
    pub file: String,
    pub span: Option<Span>,
    /// The JSON Pointer of the value.
    pub path: String,
    /// Which JUnit test case this belongs to (an environment, or a validated file).
    pub group: String,
}

fn level(severity: Severity, fail_on: Severity, intended: bool) -> Level {
    if intended {
        Level::Note
    } else if severity >= fail_on {
        Level::Error
    } else {
        Level::Warning
    }
}

fn from_finding(f: &Finding, fail_on: Severity) -> Annotation {
    let at = f.primary();
    let (file, span) = match at {
        Some(side) => match &side.origin {
            Some(o) => (o.file.clone(), Some(o.span)),
            None => (side.file.clone(), Some(side.anchor(f.kind))),
        },
        None => (String::new(), None),
    };
    let mut message = format!("{} {}", f.keyed_path_or_root(), describe(f));
    match side_values(f.base.as_ref(), f.env.as_ref()) {
        (Some(b), Some(e)) => {
            let _ = write!(message, ": {b} → {e}");
        }
        (Some(b), None) => {
            let _ = write!(message, " (base has {b})");
        }
        (None, Some(e)) => {
            let _ = write!(message, " (only here: {e})");
        }
        (None, None) => {}
    }
    if let Some(e) = &f.expected {
        let _ = write!(message, "; expected: {}", e.reason);
    }
    let _ = write!(message, " [{} in {}]", f.severity, f.environment);
    Annotation {
        rule: format!("drift/{}", f.kind.name()),
        level: level(f.severity, fail_on, f.expected.is_some()),
        severity: f.severity,
        message,
        file,
        span,
        path: f.path.clone(),
        group: f.environment.clone(),
    }
}

fn from_violation(v: &Violation, fail_on: Severity) -> Annotation {
    let (file, span) = v.location();
    let mut message = v.message.clone();
    if let Some(s) = &v.suggestion {
        let _ = write!(message, "; did you mean '{s}'?");
    }
    if v.origin.is_some() {
        let _ = write!(message, " (in {})", v.file);
    }
    Annotation {
        rule: v.rule.clone(),
        level: level(v.severity, fail_on, false),
        severity: v.severity,
        message,
        file: file.to_string(),
        span,
        path: v.path.clone(),
        group: file.to_string(),
    }
}

/// What a report says, as annotations: each finding at its environment's side, then violations.
pub(super) fn report_annotations(report: &Report) -> Vec<Annotation> {
    let mut out: Vec<Annotation> = report
        .findings
        .iter()
        .map(|f| from_finding(f, report.fail_on))
        .collect();
    out.extend(
        report
            .violations
            .iter()
            .map(|v| from_violation(v, report.fail_on)),
    );
    out
}

pub(super) fn validation_annotations(validation: &Validation) -> Vec<Annotation> {
    validation
        .violations
        .iter()
        .map(|v| from_violation(v, validation.fail_on))
        .collect()
}

/// A file name as a SARIF URI reference: forward slashes, anything unusual percent-encoded.
fn uri(file: &str) -> String {
    let mut out = String::new();
    for b in file.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// A SARIF 2.1.0 log with one run. Columns count Unicode code points, as driftwise's do.
pub(super) fn sarif(annotations: &[Annotation]) -> String {
    let mut rules: Vec<&str> = Vec::new();
    for a in annotations {
        if !rules.contains(&a.rule.as_str()) {
            rules.push(&a.rule);
        }
    }
    let rule_objects: Vec<J> = rules
        .iter()
        .map(|r| {
            json!({
                "id": r,
                "shortDescription": {"text": rule_description(r)},
            })
        })
        .collect();
    let results: Vec<J> = annotations
        .iter()
        .map(|a| {
            let mut physical = json!({"artifactLocation": {"uri": uri(&a.file)}});
            if let Some(span) = a.span {
                let (end_line, end_column) = if span.end.at() > span.start.at() {
                    (span.end.line, span.end.column)
                } else {
                    (span.start.line, span.start.column + 1)
                };
                physical["region"] = json!({
                    "startLine": span.start.line,
                    "startColumn": span.start.column,
                    "endLine": end_line,
                    "endColumn": end_column.max(1),
                });
            }
            let mut location = json!({"physicalLocation": physical});
            if !a.path.is_empty() {
                location["logicalLocations"] =
                    json!([{"fullyQualifiedName": a.path, "kind": "member"}]);
            }
            json!({
                "ruleId": a.rule,
                "ruleIndex": rules.iter().position(|r| *r == a.rule).unwrap_or(0),
                "level": a.level.sarif(),
                "message": {"text": a.message},
                "locations": [location],
                "properties": {"severity": a.severity.name(), "group": a.group},
            })
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "driftwise",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rule_objects,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}

fn rule_description(rule: &str) -> String {
    match rule.strip_prefix("drift/") {
        Some(kind) => format!(
            "Configuration drift: a value {} relative to the base",
            kind.replace('_', " ")
        ),
        None if rule.starts_with('#') => format!("JSON Schema keyword {rule}"),
        None => format!("Validation rule {rule}"),
    }
}

/// GitHub Actions workflow commands (`::error file=...,line=...::message`), one per line.
pub(super) fn github(annotations: &[Annotation]) -> String {
    let mut out = String::new();
    for a in annotations {
        let command = match a.level {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "notice",
        };
        let mut props = vec![format!("file={}", property(&a.file))];
        if let Some(span) = a.span {
            props.push(format!("line={}", span.start.line));
            props.push(format!("col={}", span.start.column));
            if span.end.line > span.start.line {
                props.push(format!("endLine={}", span.end.line));
            } else if span.end.column > span.start.column {
                props.push(format!("endColumn={}", span.end.column));
            }
        }
        props.push(format!("title={}", property(&a.rule)));
        let _ = writeln!(out, "::{command} {}::{}", props.join(","), data(&a.message));
    }
    out
}

fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

/// JUnit XML: one test case per group (an environment, or a validated file); a case fails when it
/// has error-level annotations, which are listed in its `<failure>`.
pub(super) fn junit(suite: &str, groups: &[String], annotations: &[Annotation]) -> String {
    let mut cases = String::new();
    let mut failures = 0;
    for group in groups {
        let mine: Vec<&Annotation> = annotations.iter().filter(|a| &a.group == group).collect();
        let errors: Vec<&&Annotation> = mine.iter().filter(|a| a.level == Level::Error).collect();
        let _ = write!(
            cases,
            "    <testcase name=\"{}\" classname=\"driftwise.{}\"",
            xml(group),
            xml(suite)
        );
        if errors.is_empty() && mine.is_empty() {
            cases.push_str("/>\n");
            continue;
        }
        cases.push_str(">\n");
        let lines: Vec<String> = mine.iter().map(|a| line(a)).collect();
        if errors.is_empty() {
            let _ = writeln!(
                cases,
                "      <system-out>{}</system-out>",
                xml(&lines.join("\n"))
            );
        } else {
            failures += 1;
            let _ = writeln!(
                cases,
                "      <failure message=\"{} problem(s)\" type=\"{}\">{}</failure>",
                errors.len(),
                xml(suite),
                xml(&lines.join("\n"))
            );
        }
        cases.push_str("    </testcase>\n");
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"driftwise\" tests=\"{n}\" failures=\"{failures}\">\n  <testsuite name=\"{s}\" tests=\"{n}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">\n{cases}  </testsuite>\n</testsuites>\n",
        n = groups.len(),
        s = xml(suite),
    )
}

fn line(a: &Annotation) -> String {
    let at = match a.span {
        Some(s) => format!("{}:{}:{}", a.file, s.start.line, s.start.column),
        None => a.file.clone(),
    };
    format!("{at}: {}: {} ({})", a.level.sarif(), a.message, a.rule)
}

/// Escapes text for XML (the HTML escapes are XML's too), dropping characters XML 1.0 cannot carry.
fn xml(s: &str) -> String {
    let carried: String = s
        .chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{fffe}' && c != '\u{ffff}')
        })
        .collect();
    super::escape_html(&carried)
}

/// Test-case groups of a report: the environments, then each file with violations.
pub(super) fn report_groups(report: &Report) -> Vec<String> {
    let mut groups: Vec<String> = report.environments.iter().map(|e| e.name.clone()).collect();
    for v in &report.violations {
        let file = v.location().0;
        if !groups.iter().any(|g| g == file) {
            groups.push(file.to_string());
        }
    }
    groups
}

/// Violations as terminal text, compiler style: `file:line:col: severity: message [rule]`.
pub(super) fn violations_text(violations: &[Violation]) -> String {
    let mut out = String::new();
    for v in violations {
        let _ = write!(
            out,
            "{}: {}: {} [{}]",
            v.place(),
            v.severity,
            v.message,
            v.rule
        );
        if let Some(s) = &v.suggestion {
            let _ = write!(out, "\n    did you mean '{s}'?");
        }
        if v.origin.is_some() {
            let span = v
                .span
                .map(|s| format!(":{}:{}", s.start.line, s.start.column));
            let _ = write!(
                out,
                "\n    rendered as {}{}",
                v.file,
                span.unwrap_or_default()
            );
        }
        out.push('\n');
    }
    out
}

/// `driftwise validate`'s terminal output.
pub(super) fn validation_text(validation: &Validation) -> String {
    let mut out = violations_text(&validation.violations);
    let failing = validation.failing();
    let _ = writeln!(
        out,
        "{} file(s) validated: {} violation(s), {failing} at {} or above",
        validation.files.len(),
        validation.violations.len(),
        validation.fail_on
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_commands_escape_their_fields() {
        let a = Annotation {
            rule: "r:1,x".into(),
            level: Level::Error,
            severity: Severity::High,
            message: "50% bad\nsecond line".into(),
            file: "dir/a,b.yaml".into(),
            span: None,
            path: String::new(),
            group: "g".into(),
        };
        assert_eq!(
            github(&[a]),
            "::error file=dir/a%2Cb.yaml,title=r%3A1%2Cx::50%25 bad%0Asecond line\n"
        );
    }

    #[test]
    fn junit_escapes_and_counts() {
        let a = Annotation {
            rule: "x".into(),
            level: Level::Error,
            severity: Severity::High,
            message: "<b> & \u{1}".into(),
            file: "f".into(),
            span: None,
            path: String::new(),
            group: "prod".into(),
        };
        let xml = junit("drift", &["dev".into(), "prod".into()], &[a]);
        assert!(xml.contains("tests=\"2\" failures=\"1\""), "{xml}");
        assert!(xml.contains("<testcase name=\"dev\" classname=\"driftwise.drift\"/>"));
        assert!(xml.contains("&lt;b&gt; &amp; "), "{xml}");
        assert!(!xml.contains('\u{1}'));
    }

    #[test]
    fn uris_are_references() {
        assert_eq!(uri("a b\\c[1].yaml"), "a%20b/c%5B1%5D.yaml");
    }
}
