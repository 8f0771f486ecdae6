//! Validation rules: where a rule applies (`at`, path patterns), when (`when`, an expression) and
//! what must hold — a boolean `check` expression or one of the declarative constraints (`one_of`,
//! `pattern`, `min_length`/`max_length`, `unique`, `required`). The same format serves rules files
//! and provider profiles.
//!
//! ```yaml
//! rules:
//!   - name: replicas-at-least-min
//!     at: /services/*
//!     check: replicas >= min_replicas
//!   - name: tls-needs-cert
//!     at: /tls
//!     check: enabled implies has(self.cert_path)
//!   - name: unique-ports
//!     at: /services
//!     unique: port
//! ```

use super::expr::Expr;
use super::{CheckKind, Violation};
use crate::error::{Error, ErrorKind, Result};
use crate::policy::Severity;
use crate::policy::pattern::Pattern;
use crate::span::Span;
use crate::tree::{Node, Source, Value};
use serde::{Deserialize, Serialize};
use serde_json::{Map as JsonMap, Value as J};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
pub struct RuleSpec {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Path patterns: JSON Pointers with `*` for one segment and `**` for any number of them (see
    /// the README for examples); the document root when absent.
    #[serde(default, deserialize_with = "one_or_many")]
    pub at: Vec<String>,
    /// An expression that must be true for the rule to apply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<String>,
    /// Allowed values: a list, or `$name` for a list variable (a profile's `$regions`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "js", tsify(type = "string | string[]"))]
    pub one_of: Option<J>,
    /// A regular expression the whole value must match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<usize>,
    /// In a list: this field (or `.` for the items themselves) must not repeat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unique: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required: Vec<String>,
    /// The message; `{value}` and `{path}` are filled in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// The rule's line in its file.
    #[serde(skip)]
    pub line: Option<usize>,
}

fn one_or_many<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(s) => vec![s],
        OneOrMany::Many(v) => v,
    })
}

/// A rules file: `rules: [...]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    #[serde(default)]
    rules: Vec<RuleSpec>,
}

/// Reads a rules file, recording each rule's line.
pub fn read_rules(source: &Source) -> Result<Vec<RuleSpec>> {
    let Some((file, root)) = crate::settings::read::<RulesFile>(source, "rules")? else {
        return Ok(Vec::new());
    };
    let mut rules = file.rules;
    for (i, rule) in rules.iter_mut().enumerate() {
        rule.line = root
            .pointer(&format!("/rules/{i}"))
            .map(|n| n.span.start.line);
    }
    Ok(rules)
}

/// A rule ready to run.
#[derive(Clone, Debug)]
pub(crate) struct Rule {
    pub name: String,
    pub kind: CheckKind,
    pub file: String,
    pub line: Option<usize>,
    at: Vec<Pattern>,
    when: Option<Expr>,
    constraints: Vec<Constraint>,
    message: Option<String>,
    pub severity: Severity,
}

#[derive(Clone, Debug)]
enum Constraint {
    Check(Expr),
    OneOf(Vec<String>),
    Pattern(regex::Regex),
    Length(Option<usize>, Option<usize>),
    Unique(String),
    Required(Vec<String>),
}

impl Rule {
    /// Compiles a rule; `vars` resolves `one_of: $name`.
    pub fn compile(
        spec: &RuleSpec,
        kind: CheckKind,
        file: &str,
        vars: &JsonMap<String, J>,
    ) -> Result<Rule> {
        let fail = |message: String| {
            let mut err = Error::new(ErrorKind::Usage, format!("rule '{}': {message}", spec.name))
                .in_file(file.to_string());
            if let Some(line) = spec.line {
                err = err.at(crate::span::Pos {
                    offset: 0,
                    line,
                    column: 1,
                });
            }
            err
        };
        let expr = |what: &str, text: &str| {
            Expr::parse(text).map_err(|e| fail(format!("{what}: {e}: {text}")))
        };
        let at = if spec.at.is_empty() {
            vec![Pattern::parse("").map_err(|e| fail(e.message))?]
        } else {
            spec.at
                .iter()
                .map(|p| Pattern::parse(p).map_err(|e| fail(e.message)))
                .collect::<Result<_>>()?
        };
        let mut constraints = Vec::new();
        if let Some(check) = &spec.check {
            constraints.push(Constraint::Check(expr("check", check)?));
        }
        if let Some(one_of) = &spec.one_of {
            let list = match one_of {
                J::String(var) if var.starts_with('$') => vars
                    .get(&var[1..])
                    .ok_or_else(|| fail(format!("one_of names {var}, which is not a variable")))?,
                other => other,
            };
            let J::Array(items) = list else {
                return Err(fail(
                    "one_of needs a list or $variable naming a list".into(),
                ));
            };
            constraints.push(Constraint::OneOf(items.iter().map(scalar_text).collect()));
        }
        if let Some(pattern) = &spec.pattern {
            let re = regex::Regex::new(&format!("^(?:{pattern})$"))
                .map_err(|e| fail(format!("pattern: {e}")))?;
            constraints.push(Constraint::Pattern(re));
        }
        if spec.min_length.is_some() || spec.max_length.is_some() {
            constraints.push(Constraint::Length(spec.min_length, spec.max_length));
        }
        if let Some(field) = &spec.unique {
            constraints.push(Constraint::Unique(field.clone()));
        }
        if !spec.required.is_empty() {
            constraints.push(Constraint::Required(spec.required.clone()));
        }
        if constraints.is_empty() {
            return Err(fail(
                "says nothing to check: give check, one_of, pattern, min_length, max_length, unique or required".into(),
            ));
        }
        Ok(Rule {
            name: spec.name.clone(),
            kind,
            file: file.to_string(),
            line: spec.line,
            at,
            when: spec.when.as_deref().map(|w| expr("when", w)).transpose()?,
            constraints,
            message: spec.message.clone(),
            severity: spec.severity.unwrap_or(Severity::High),
        })
    }

    /// Whether the rule applies at this path, given as unescaped segments.
    pub fn applies_at(&self, segments: &[String]) -> bool {
        self.at.iter().any(|p| p.matches_segments(segments))
    }

    /// Runs the rule on `node` (at `pointer` in the document whose root is `root`).
    pub fn run(
        &self,
        node: &Node,
        pointer: &str,
        root: &Node,
        vars: &JsonMap<String, J>,
        out: &mut Vec<Violation>,
    ) {
        if let Some(when) = &self.when {
            let applies = when.eval(node, root, vars).0.ok().and_then(|v| v.as_bool());
            if applies != Some(true) {
                return;
            }
        }
        for constraint in &self.constraints {
            self.run_one(constraint, node, pointer, root, vars, out);
        }
    }

    fn run_one(
        &self,
        constraint: &Constraint,
        node: &Node,
        pointer: &str,
        root: &Node,
        vars: &JsonMap<String, J>,
        out: &mut Vec<Violation>,
    ) {
        let text = scalar(node);
        let mut report = |path: &str, span: Span, value: Option<J>, default: String, suggestion| {
            out.push(self.violation(path, span, value, default, suggestion));
        };
        match constraint {
            Constraint::Check(expr) => {
                let (result, first) = expr.eval(node, root, vars);
                let message = match result {
                    Ok(v) if v.as_bool() == Some(true) => return,
                    Ok(v) if v.as_bool() == Some(false) => format!("{} is false", expr.as_str()),
                    Ok(v) => format!("{} gave {}, not true or false", expr.as_str(), v.show()),
                    Err(e) => format!("cannot evaluate {}: {e}", expr.as_str()),
                };
                let span = first.unwrap_or(node.span);
                let value = node.is_scalar().then(|| node.to_json());
                report(pointer, span, value, message, None);
            }
            Constraint::OneOf(allowed) => {
                let Some(text) = text else { return };
                if allowed.contains(&text) {
                    return;
                }
                let suggestion = super::suggest::closest(&text, allowed);
                let message = match allowed.len() {
                    0..=6 => format!("'{text}' is not one of {}", allowed.join(", ")),
                    n => format!("'{text}' is not one of the {n} allowed values"),
                };
                report(
                    pointer,
                    node.span,
                    Some(node.to_json()),
                    message,
                    suggestion,
                );
            }
            Constraint::Pattern(re) => {
                let Some(text) = text else { return };
                if !re.is_match(&text) {
                    let shown = re
                        .as_str()
                        .trim_start_matches("^(?:")
                        .trim_end_matches(")$");
                    let message = format!("'{text}' does not match {shown}");
                    report(pointer, node.span, Some(node.to_json()), message, None);
                }
            }
            Constraint::Length(min, max) => {
                let Some(text) = text else { return };
                let n = text.chars().count();
                let short = min.is_some_and(|m| n < m);
                let long = max.is_some_and(|m| n > m);
                if short || long {
                    let bounds = match (min, max) {
                        (Some(a), Some(b)) => format!("between {a} and {b}"),
                        (Some(a), None) => format!("at least {a}"),
                        (None, Some(b)) => format!("at most {b}"),
                        (None, None) => unreachable!("a length rule has a bound"),
                    };
                    let message = format!("'{text}' is {n} characters long; must be {bounds}");
                    report(pointer, node.span, Some(node.to_json()), message, None);
                }
            }
            Constraint::Unique(field) => {
                let Value::List(items) = &node.value else {
                    return;
                };
                let mut seen: Vec<(J, usize)> = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let (value_node, path) = if field == "." {
                        (Some(item), format!("{pointer}/{i}"))
                    } else {
                        let child = match &item.value {
                            Value::Map(m) => m.get(field.as_str()).map(|m| &m.value),
                            _ => None,
                        };
                        let mut path = format!("{pointer}/{i}");
                        crate::path::push_segment(&mut path, field);
                        (child, path)
                    };
                    let Some(value_node) = value_node else {
                        continue;
                    };
                    let value = value_node.to_json();
                    if let Some((_, line)) = seen.iter().find(|(v, _)| *v == value) {
                        let what = if field == "." { "item" } else { field.as_str() };
                        let message = format!(
                            "duplicate {what} {} (first at line {line})",
                            value_node.summary()
                        );
                        report(&path, value_node.span, Some(value), message, None);
                    } else {
                        seen.push((value, value_node.span.start.line));
                    }
                }
            }
            Constraint::Required(keys) => {
                let Value::Map(map) = &node.value else { return };
                for key in keys.iter().filter(|k| !map.contains_key(k.as_str())) {
                    let message = format!("missing required key '{key}'");
                    report(pointer, node.span, None, message, None);
                }
            }
        }
    }

    fn violation(
        &self,
        path: &str,
        span: Span,
        value: Option<J>,
        default: String,
        suggestion: Option<String>,
    ) -> Violation {
        let shown = value.as_ref().map(|v| match v {
            J::String(s) => s.clone(),
            other => other.to_string(),
        });
        let message = match &self.message {
            Some(m) => m
                .replace("{value}", shown.as_deref().unwrap_or(""))
                .replace("{path}", path),
            None => default,
        };
        Violation {
            file: String::new(),
            path: path.to_string(),
            rule: self.name.clone(),
            kind: self.kind,
            message,
            severity: self.severity,
            span: Some(span),
            value,
            suggestion,
            rule_file: Some(self.file.clone()),
            rule_line: self.line,
            origin: None,
        }
    }
}

fn scalar_text(v: &J) -> String {
    match v {
        J::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A scalar's text; `None` for null, lists and maps, which naming and value rules skip.
fn scalar(node: &Node) -> Option<String> {
    match &node.value {
        Value::String(s) => Some(s.clone()),
        Value::Int(i) => Some(i.to_string()),
        Value::Float(x) => Some(x.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null | Value::List(_) | Value::Map(_) => None,
    }
}
