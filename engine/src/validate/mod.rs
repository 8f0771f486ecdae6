//! Validation: JSON Schema, cross-field rules and provider rules, each violation a finding with the
//! file, path, rule, message and span.
//!
//! ```
//! use driftwise_engine::{Source, validate::Validator};
//! let validator = Validator::builder().provider_name("aws").build().unwrap();
//! let doc = driftwise_engine::parse(&Source::new("prod.yaml", "region: us-esat-1\n")).unwrap();
//! let found = validator.validate(&doc);
//! assert_eq!(found[0].rule, "aws/region");
//! assert_eq!(found[0].suggestion.as_deref(), Some("us-east-1"));
//! assert_eq!(found[0].span.unwrap().start.column, 9);
//! ```

pub mod expr;
pub mod rules;
mod schema;
mod suggest;

use crate::error::Result;
use crate::policy::Severity;
use crate::provider::{Profile, Profiles};
use crate::span::{Origin, Span};
use crate::tree::{Document, Node, Source, Value};
use rules::{Rule, RuleSpec};
use serde::{Deserialize, Serialize};
use serde_json::{Map as JsonMap, Value as J};

pub use rules::read_rules;

/// Bumped when a field of [`Validation`] changes meaning or disappears.
pub const VALIDATION_VERSION: u32 = 1;

/// What found a violation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
pub enum CheckKind {
    Schema,
    Rule,
    Provider,
}

/// One validation failure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
pub struct Violation {
    pub file: String,
    /// JSON Pointer of the offending value; in a multi-document YAML stream the first token is the
    /// document's index, as in drift reports.
    pub path: String,
    /// The rule's name (`aws/region`, `replicas-at-least-min`) or, for JSON Schema, the keyword's
    /// location in the schema (`#/properties/port/maximum`).
    pub rule: String,
    pub kind: CheckKind,
    pub message: String,
    pub severity: Severity,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "js", tsify(type = "unknown"))]
    pub value: Option<J>,
    /// For near misses of a list of allowed values: the value probably meant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    /// Where the rule is written (a rules or profile file, or the schema).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_line: Option<usize>,
    /// For rendered templates: the template text that produced the value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
}

impl Violation {
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
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
pub struct Validation {
    pub version: u32,
    pub files: Vec<String>,
    pub violations: Vec<Violation>,
    /// The lowest severity that fails.
    pub fail_on: Severity,
}

impl Validation {
    pub fn new(files: Vec<String>, violations: Vec<Violation>, fail_on: Severity) -> Validation {
        Validation {
            version: VALIDATION_VERSION,
            files,
            violations,
            fail_on,
        }
    }

    pub fn fails(&self) -> bool {
        self.violations.iter().any(|v| v.severity >= self.fail_on)
    }
}

/// A compiled set of checks, reusable across files.
#[derive(Debug, Default)]
pub struct Validator {
    schema: Option<schema::Schema>,
    rules: Vec<Rule>,
    vars: JsonMap<String, J>,
}

impl Validator {
    pub fn builder() -> ValidatorBuilder {
        ValidatorBuilder::default()
    }

    /// Whether there is anything to check.
    pub fn is_empty(&self) -> bool {
        self.schema.is_none() && self.rules.is_empty()
    }

    /// Every violation in `doc`, in document order per check.
    pub fn validate(&self, doc: &Document) -> Vec<Violation> {
        self.validate_in(doc, &self.vars)
    }

    /// [`validate`](Self::validate) with more variables for rule expressions, over the validator's
    /// own: the environment a file belongs to (`env`), its template variables.
    pub fn validate_with(&self, doc: &Document, vars: &JsonMap<String, J>) -> Vec<Violation> {
        let mut merged = self.vars.clone();
        crate::template::merge(&mut merged, vars);
        self.validate_in(doc, &merged)
    }

    fn validate_in(&self, doc: &Document, vars: &JsonMap<String, J>) -> Vec<Violation> {
        let stream = doc.documents.len() > 1;
        let mut out = Vec::new();
        for (i, root) in doc.documents.iter().enumerate() {
            let prefix = if stream {
                format!("/{i}")
            } else {
                String::new()
            };
            let mut found = Vec::new();
            if let Some(schema) = &self.schema {
                schema.validate(root, &mut found);
            }
            if !self.rules.is_empty() {
                let mut segments = Vec::new();
                walk(
                    root,
                    &mut String::new(),
                    &mut segments,
                    &mut |node, pointer, segments| {
                        for rule in self.rules.iter().filter(|r| r.applies_at(segments)) {
                            rule.run(node, pointer, root, vars, &mut found);
                        }
                    },
                );
            }
            for mut v in found {
                v.file = doc.name.clone();
                v.path = format!("{prefix}{}", v.path);
                out.push(v);
            }
        }
        out
    }

    /// Parses and validates sources; a file that does not parse is an error, not a violation.
    pub fn validate_sources(&self, sources: &[&Source]) -> Result<Vec<Violation>> {
        let docs = crate::parse_all(sources)?;
        Ok(docs.iter().flat_map(|d| self.validate(d)).collect())
    }
}

/// Visits every node with its JSON Pointer and the same path as unescaped segments.
fn walk<'a>(
    node: &'a Node,
    pointer: &mut String,
    segments: &mut Vec<String>,
    visit: &mut impl FnMut(&'a Node, &str, &[String]),
) {
    visit(node, pointer, segments);
    let len = pointer.len();
    let mut child =
        |key: String, value: &'a Node, pointer: &mut String, segments: &mut Vec<String>| {
            crate::path::push_segment(pointer, &key);
            segments.push(key);
            walk(value, pointer, segments, visit);
            segments.pop();
            pointer.truncate(len);
        };
    match &node.value {
        Value::Map(map) => {
            for (key, member) in map {
                child(key.clone(), &member.value, pointer, segments);
            }
        }
        Value::List(items) => {
            for (i, item) in items.iter().enumerate() {
                child(i.to_string(), item, pointer, segments);
            }
        }
        _ => {}
    }
}

/// Options for a [`Validator`]: a schema, rules files, a provider, variables.
#[derive(Default)]
pub struct ValidatorBuilder {
    schema: Option<Source>,
    rules: Vec<(String, Vec<RuleSpec>)>,
    profiles: Profiles,
    profile_files: Vec<Source>,
    provider: Option<String>,
    provider_profile: Option<Profile>,
    vars: JsonMap<String, J>,
    errors: Vec<crate::Error>,
}

impl ValidatorBuilder {
    /// A JSON Schema (draft 4 to 2020-12; 2020-12 when `$schema` is absent), in JSON, YAML or TOML.
    pub fn schema(mut self, source: Source) -> Self {
        self.schema = Some(source);
        self
    }

    /// A rules file (see [`rules`]).
    pub fn rules(mut self, source: &Source) -> Self {
        match read_rules(source) {
            Ok(specs) => self.rules.push((source.name.clone(), specs)),
            Err(e) => self.errors.push(e),
        }
        self
    }

    /// Rules already read.
    pub fn rule_specs(mut self, file: impl Into<String>, specs: Vec<RuleSpec>) -> Self {
        self.rules.push((file.into(), specs));
        self
    }

    /// A profile file that adds or changes a provider.
    pub fn profile_file(mut self, source: Source) -> Self {
        self.profile_files.push(source);
        self
    }

    /// The provider whose rules apply, by name (built-in or from a profile file).
    pub fn provider_name(mut self, name: impl Into<String>) -> Self {
        self.provider = Some(name.into());
        self
    }

    /// The provider whose rules apply, already resolved.
    pub fn provider(mut self, profile: &Profile) -> Self {
        self.provider_profile = Some(profile.clone());
        self
    }

    /// Variables rule expressions can name (`env`, template variables).
    pub fn vars(mut self, vars: JsonMap<String, J>) -> Self {
        self.vars = vars;
        self
    }

    pub fn build(mut self) -> Result<Validator> {
        if let Some(err) = self.errors.into_iter().next() {
            return Err(err);
        }
        for file in &self.profile_files {
            self.profiles.add(file)?;
        }
        let profile = match (self.provider_profile, &self.provider) {
            (Some(p), _) => Some(p),
            (None, Some(name)) => Some(self.profiles.get(name)?.clone()),
            (None, None) => None,
        };
        let mut vars = JsonMap::new();
        let mut rules = Vec::new();
        if let Some(profile) = &profile {
            vars.extend(profile.vars.clone());
            vars.insert("provider".into(), J::String(profile.name.clone()));
            for spec in &profile.rules {
                rules.push(Rule::compile(
                    spec,
                    CheckKind::Provider,
                    &profile.file,
                    &vars,
                )?);
            }
        }
        vars.extend(self.vars);
        for (file, specs) in &self.rules {
            for spec in specs {
                rules.push(Rule::compile(spec, CheckKind::Rule, file, &vars)?);
            }
        }
        let schema = self
            .schema
            .as_ref()
            .map(schema::Schema::compile)
            .transpose()?;
        Ok(Validator {
            schema,
            rules,
            vars,
        })
    }
}
