//! The rules format: where a rule applies (`at`, path patterns), when (`when`, an expression) and
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

use crate::error::Result;
use crate::severity::Severity;
use crate::tree::Source;
use serde::{Deserialize, Serialize};
use serde_json::Value as J;

/// One rule as written in a rules file or a provider profile.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    /// The rule's name, cited in every violation (`aws/region`).
    pub name: String,
    /// What the rule is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Path patterns: JSON Pointers with `*` for one segment and `**` for any number of them (see
    /// the README for examples); the document root when absent.
    #[serde(default, deserialize_with = "one_or_many")]
    pub at: Vec<String>,
    /// An expression that must be true for the rule to apply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    /// An expression that must be true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<String>,
    /// Allowed values: a list, or `$name` for a list variable (a profile's `$regions`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub one_of: Option<J>,
    /// A regular expression the whole value must match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// The fewest characters a value may have.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<usize>,
    /// The most characters a value may have.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<usize>,
    /// In a list: this field (or `.` for the items themselves) must not repeat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unique: Option<String>,
    /// Keys a map must have.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required: Vec<String>,
    /// The message; `{value}` and `{path}` are filled in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// How serious a violation is (default high).
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
    let Some((file, root, lines)) = crate::settings::read::<RulesFile>(source, "rules")? else {
        return Ok(Vec::new());
    };
    let mut rules = file.rules;
    for (i, rule) in rules.iter_mut().enumerate() {
        rule.line = root
            .pointer(&format!("/rules/{i}"))
            .map(|n| lines.pos(n.span.start()).line as usize);
    }
    Ok(rules)
}
