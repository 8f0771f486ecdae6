//! Validation: JSON Schema, cross-field rules and provider rules, each violation with the file,
//! path, rule, message and span.
//!
//! ```
//! use driftwise_engine::{Source, Validator, parse};
//! let rules = Source::new("rules.yaml", "rules:\n  - name: replicas\n    at: /app\n    check: replicas >= 2\n");
//! let validator = Validator::builder().rules(&rules).build().unwrap();
//! let doc = parse(&Source::new("prod.yaml", "app: {replicas: 1}\n")).unwrap();
//! let found = validator.validate(&doc);
//! assert_eq!(found[0].rule, "replicas");
//! assert_eq!(found[0].span.unwrap().start.line, 1);
//! ```

mod expr;
mod rules;
mod schema;
mod suggest;

use crate::error::Result;
use crate::json_merge::merge;
use crate::parse::parse_all;
use crate::rules_file::{RuleSpec, read_rules};
use crate::tree::{Document, Node, Source, Value};
use crate::violation::{CheckKind, Violation};
use rules::Rule;
use serde_json::{Map as JsonMap, Value as J};

/// A compiled set of checks, reusable across files.
#[derive(Debug, Default)]
pub struct Validator {
    schema: Option<schema::Schema>,
    rules: Vec<Rule>,
    vars: JsonMap<String, J>,
}

impl Validator {
    /// Options for a validator.
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
        merge(&mut merged, vars);
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
                if let Some(lines) = doc.lines_of(doc.file_at(&v.path)) {
                    v.resolve(lines);
                }
                out.push(v);
            }
        }
        out
    }

    /// Parses and validates sources; a file that does not parse is an error, not a violation.
    pub fn validate_sources(&self, sources: &[&Source]) -> Result<Vec<Violation>> {
        let docs = parse_all(sources)?;
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
            crate::pointer::push_segment(pointer, &key);
            segments.push(key);
            walk(value, pointer, segments, visit);
            segments.pop();
            pointer.truncate(len);
        };
    match &node.value {
        Value::Map(map) => {
            for (key, member) in map.iter() {
                child(key.to_string(), &member.value, pointer, segments);
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

/// Options for a [`Validator`]: a schema, rules (from files or a provider profile), variables.
#[derive(Default)]
pub struct ValidatorBuilder {
    schema: Option<Source>,
    rules: Vec<(String, CheckKind, Vec<RuleSpec>)>,
    vars: JsonMap<String, J>,
    errors: Vec<crate::Error>,
}

impl ValidatorBuilder {
    /// A JSON Schema (draft 4 to 2020-12; 2020-12 when `$schema` is absent), in JSON, YAML or TOML.
    pub fn schema(mut self, source: Source) -> Self {
        self.schema = Some(source);
        self
    }

    /// A rules file (`rules: [...]`).
    pub fn rules(mut self, source: &Source) -> Self {
        match read_rules(source) {
            Ok(specs) => self
                .rules
                .push((source.name.clone(), CheckKind::Rule, specs)),
            Err(e) => self.errors.push(e),
        }
        self
    }

    /// Rules already read, written in `file`; `kind` says whether a rules file or a provider
    /// profile holds them.
    pub fn rule_specs(
        mut self,
        file: impl Into<String>,
        kind: CheckKind,
        specs: Vec<RuleSpec>,
    ) -> Self {
        self.rules.push((file.into(), kind, specs));
        self
    }

    /// Variables rule expressions can name (`provider`, `env`, template variables, a provider's
    /// lists such as `regions`), and `one_of: $name` resolves; later calls merge over earlier ones.
    pub fn vars(mut self, vars: &JsonMap<String, J>) -> Self {
        merge(&mut self.vars, vars);
        self
    }

    /// Compiles everything; the first rule or schema that does not compile is the error.
    pub fn build(self) -> Result<Validator> {
        if let Some(err) = self.errors.into_iter().next() {
            return Err(err);
        }
        let mut rules = Vec::new();
        for (file, kind, specs) in &self.rules {
            for spec in specs {
                rules.push(Rule::compile(spec, *kind, file, &self.vars)?);
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
            vars: self.vars,
        })
    }
}
