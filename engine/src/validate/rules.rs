//! Rules compiled and run: where a rule applies, when, and each constraint it checks.

use super::expr::Expr;
use super::suggest::closest;
use crate::error::{Error, ErrorKind, Result};
use crate::pattern::Pattern;
use crate::rules_file::RuleSpec;
use crate::severity::Severity;
use crate::span::{Pos, TextRange};
use crate::tree::{Node, Value};
use crate::violation::{CheckKind, Violation};
use serde_json::{Map as JsonMap, Value as J};

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
    Length(Bounds),
    Unique(String),
    Required(Vec<String>),
}

/// The lengths a length rule allows, in characters.
#[derive(Clone, Copy, Debug)]
enum Bounds {
    Between(usize, usize),
    AtLeast(usize),
    AtMost(usize),
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
                err = err.at(Pos::new(0, line, 1));
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
        let bounds = match (spec.min_length, spec.max_length) {
            (Some(min), Some(max)) => Some(Bounds::Between(min, max)),
            (Some(min), None) => Some(Bounds::AtLeast(min)),
            (None, Some(max)) => Some(Bounds::AtMost(max)),
            (None, None) => None,
        };
        constraints.extend(bounds.map(Constraint::Length));
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
        let mut report =
            |path: &str, span: TextRange, value: Option<J>, default: String, suggestion| {
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
                let suggestion = closest(&text, allowed);
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
            Constraint::Length(bounds) => {
                let Some(text) = text else { return };
                let n = text.chars().count();
                let (fits, bounds) = match *bounds {
                    Bounds::Between(a, b) => ((a..=b).contains(&n), format!("between {a} and {b}")),
                    Bounds::AtLeast(a) => (n >= a, format!("at least {a}")),
                    Bounds::AtMost(b) => (n <= b, format!("at most {b}")),
                };
                if !fits {
                    let message = format!("'{text}' is {n} characters long; must be {bounds}");
                    report(pointer, node.span, Some(node.to_json()), message, None);
                }
            }
            Constraint::Unique(field) => {
                let Value::List(items) = &node.value else {
                    return;
                };
                let mut seen: Vec<(J, TextRange)> = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let (value_node, path) = if field == "." {
                        (Some(item), format!("{pointer}/{i}"))
                    } else {
                        let child = match &item.value {
                            Value::Map(m) => m.get(field.as_str()).map(|m| &m.value),
                            _ => None,
                        };
                        let mut path = format!("{pointer}/{i}");
                        crate::pointer::push_segment(&mut path, field);
                        (child, path)
                    };
                    let Some(value_node) = value_node else {
                        continue;
                    };
                    let value = value_node.to_json();
                    if let Some((_, first)) = seen.iter().find(|(v, _)| *v == value) {
                        let what = if field == "." { "item" } else { field.as_str() };
                        let message = format!("duplicate {what} {}", value_node.summary());
                        let mut v =
                            self.violation(&path, value_node.span, Some(value), message, None);
                        if self.message.is_none() {
                            // Its line is put in the message once the file's lines are at hand.
                            v.first = Some(*first);
                        }
                        out.push(v);
                    } else {
                        seen.push((value, value_node.span));
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
        span: TextRange,
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
            span: Some(span.unresolved()),
            value,
            suggestion,
            rule_file: Some(self.file.clone()),
            rule_line: self.line,
            origin: None,
            first: None,
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
        Value::String(s) => Some(s.to_string()),
        Value::Datetime(d) => Some(d.to_string()),
        Value::Int(i) => Some(i.to_string()),
        Value::Float(x) => Some(x.to_string()),
        Value::Decimal(d) => Some(d.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null | Value::List(_) | Value::Map(_) => None,
    }
}
