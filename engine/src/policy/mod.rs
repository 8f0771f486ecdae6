//! Drift policy: which differences are intended (expected), which are not drift at all (ignore), how
//! serious each is (severity), how lists are identified (identity, sets), what counts as the same
//! value (normalise), and which values are secrets (masked in every report).
//!
//! A policy is a file (`driftwise.yaml` by default) in any format the engine reads:
//!
//! ```yaml
//! expected:
//!   - path: /database/host
//!     reason: one database per environment
//! ignore:
//!   - path: /spec/replicas
//! severity:
//!   - path: /database/**
//!     level: high
//! identity:
//!   /spec/template/spec/containers: name
//! normalise:
//!   quantities: true
//! secrets:
//!   - /database/password
//! fail_on: medium
//! ```

mod argocd;
pub(crate) mod normalise;
pub mod pattern;
pub mod severity;

pub use pattern::Pattern;
pub use severity::{Severity, default_severity, looks_secret};

use crate::error::Result;
use crate::report::{Finding, Report};
use crate::tree::Source;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// The policy file as written. Every section is optional.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyFile {
    #[serde(default)]
    pub expected: Vec<ExpectedRule>,
    #[serde(default)]
    pub ignore: Vec<IgnoreRule>,
    #[serde(default)]
    pub severity: Vec<SeverityRule>,
    /// List path → the field (or fields) that identify its items.
    #[serde(default)]
    pub identity: IndexMap<Pattern, IdentityKeys>,
    /// Lists whose order carries no meaning.
    #[serde(default)]
    pub sets: Vec<Pattern>,
    #[serde(default, alias = "normalize")]
    pub normalise: Normalise,
    /// Paths whose values are masked, besides those under secret-like keys.
    #[serde(default)]
    pub secrets: Vec<Pattern>,
    /// The lowest severity of unexpected drift that makes a check fail (exit 1). Default: low.
    #[serde(default)]
    pub fail_on: Option<Severity>,
    /// Argo CD Application manifests whose `ignoreDifferences` become ignore rules (paths relative
    /// to the policy file; the CLI reads them).
    #[serde(default)]
    pub argocd: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedRule {
    pub path: Pattern,
    /// Environments the rule is for; all when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub envs: Vec<String>,
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IgnoreRule {
    pub path: Pattern,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub envs: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Kubernetes selectors (as Argo CD's ignoreDifferences has them): the rule applies only inside
    /// objects of this kind / name / namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeverityRule {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<Pattern>,
    /// Words in a path's keys (`password`, `replicas`), matched like the built-in defaults.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    pub level: Severity,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum IdentityKeys {
    One(String),
    Many(Vec<String>),
}

impl IdentityKeys {
    pub fn fields(&self) -> &[String] {
        match self {
            IdentityKeys::One(f) => std::slice::from_ref(f),
            IdentityKeys::Many(fs) => fs,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Normalise {
    /// Kubernetes quantities compare by amount: `500m` = `0.5`, `1Gi` = `1024Mi`, `"1"` = `1`.
    #[serde(default)]
    pub quantities: bool,
    /// A number and a string holding the same number are the same value (`"5432"` = `5432`).
    #[serde(default)]
    pub numeric_strings: bool,
    /// `yes`/`no`, `on`/`off`, `true`/`false` (any case, as strings or booleans) compare as booleans.
    #[serde(default)]
    pub booleans: bool,
    /// Strings holding JSON or YAML maps or lists compare as structure, not text.
    #[serde(default)]
    pub embedded: bool,
    /// Numbers within an absolute tolerance are the same, per path.
    #[serde(default)]
    pub tolerance: Vec<Tolerance>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tolerance {
    pub path: Pattern,
    pub absolute: f64,
}

/// Which policy rule classified a finding, and where that rule is written.
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleRef {
    /// `expected[0]`, `ignore[2]`, `severity[1]`, `secrets[0]`, or `default` for built-in defaults.
    pub rule: String,
    /// The rule's line in the policy file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
}

/// A finding the policy says is intended.
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expected {
    pub reason: String,
    #[serde(flatten)]
    pub rule: RuleRef,
}

/// What the policy did to a report: for the report's `policy` section.
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PolicySummary {
    /// The policy file, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Findings hidden by ignore rules.
    pub ignored: usize,
    /// Expected and ignore rules that matched no finding: exceptions that may no longer be needed.
    pub stale: Vec<StaleRule>,
}

#[cfg_attr(feature = "js", derive(tsify::Tsify))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaleRule {
    #[serde(flatten)]
    pub rule: RuleRef,
    pub path: String,
}

/// A policy ready to apply: the file, and where each rule is written in it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Policy {
    pub file: PolicyFile,
    pub source_name: Option<String>,
    /// Line of each rule: key `expected[0]` → line.
    lines: IndexMap<String, usize>,
    /// Whether secret values are shown as they are.
    pub reveal_secrets: bool,
}

impl Policy {
    /// Parses a policy file (YAML, JSON or TOML). Errors name the file, line and column of the
    /// offending entry.
    pub fn from_source(source: &Source) -> Result<Policy> {
        let Some((file, root)) = crate::settings::read::<PolicyFile>(source, "policy")? else {
            return Ok(Policy {
                source_name: Some(source.name.clone()),
                ..Policy::default()
            });
        };
        let mut lines = IndexMap::new();
        for section in ["expected", "ignore", "severity", "secrets", "sets"] {
            if let Some(crate::tree::Value::List(items)) =
                root.pointer(&format!("/{section}")).map(|n| &n.value)
            {
                for (i, item) in items.iter().enumerate() {
                    lines.insert(format!("{section}[{i}]"), item.span.start.line);
                }
            }
        }
        Ok(Policy {
            file,
            source_name: Some(source.name.clone()),
            lines,
            reveal_secrets: false,
        })
    }

    /// Adds the `ignoreDifferences` of an Argo CD Application manifest as ignore rules.
    pub fn import_argocd(&mut self, application: &Source) -> Result<usize> {
        let rules = argocd::ignore_rules(application)?;
        let n = rules.len();
        self.file.ignore.extend(rules);
        Ok(n)
    }

    pub fn fail_on(&self) -> Severity {
        self.file.fail_on.unwrap_or(Severity::Low)
    }

    fn rule_ref(&self, key: String) -> RuleRef {
        let line = self.lines.get(&key).copied();
        RuleRef { rule: key, line }
    }

    /// Classifies a report's findings: drops ignored ones, marks expected ones, sets severities, masks
    /// secrets, finds stale rules and computes each environment's compliance.
    pub fn apply(&self, report: &mut Report) {
        let mut expected_hits = vec![0usize; self.file.expected.len()];
        let mut ignore_hits = vec![0usize; self.file.ignore.len()];
        let findings = std::mem::take(&mut report.findings);
        let mut ignored = 0;
        for mut f in findings {
            if let Some(i) = self.file.ignore.iter().position(|r| ignore_matches(r, &f)) {
                ignore_hits[i] += 1;
                ignored += 1;
                continue;
            }
            if let Some(i) = self.file.expected.iter().position(|r| {
                (r.envs.is_empty() || r.envs.contains(&f.environment))
                    && finding_matches(&r.path, &f)
            }) {
                expected_hits[i] += 1;
                let rule = &self.file.expected[i];
                f.expected = Some(Expected {
                    reason: rule.reason.clone(),
                    rule: self.rule_ref(format!("expected[{i}]")),
                });
            }
            let (severity, rule) = self.severity_of(&f);
            f.severity = severity;
            f.severity_rule = rule;
            if !self.reveal_secrets && self.is_secret(&f) {
                mask(&mut f);
            }
            report.findings.push(f);
        }
        let mut stale = Vec::new();
        for (i, hits) in expected_hits.iter().enumerate() {
            if *hits == 0 {
                let path = self.file.expected[i].path.as_str().to_string();
                stale.push(StaleRule {
                    rule: self.rule_ref(format!("expected[{i}]")),
                    path,
                });
            }
        }
        for (i, hits) in ignore_hits.iter().enumerate() {
            if *hits == 0 {
                let path = self.file.ignore[i].path.as_str().to_string();
                stale.push(StaleRule {
                    rule: self.rule_ref(format!("ignore[{i}]")),
                    path,
                });
            }
        }
        report.fail_on = self.fail_on();
        report.policy = Some(PolicySummary {
            file: self.source_name.clone(),
            ignored,
            stale,
        });
        report.recount();
    }

    fn severity_of(&self, f: &Finding) -> (Severity, Option<RuleRef>) {
        for (i, rule) in self.file.severity.iter().enumerate() {
            let path_ok = rule.path.as_ref().is_none_or(|p| finding_matches(p, f));
            let words_ok = rule.keywords.is_empty() || {
                let words = severity::path_words(&f.keyed_path);
                rule.keywords
                    .iter()
                    .any(|k| words.contains(&k.to_lowercase()))
            };
            if path_ok && words_ok && (rule.path.is_some() || !rule.keywords.is_empty()) {
                return (rule.level, Some(self.rule_ref(format!("severity[{i}]"))));
            }
        }
        (default_severity(&f.keyed_path), None)
    }

    /// Masks the values of violations at secret paths (by name, or the policy's `secrets`), in the
    /// value and wherever the message quotes it, unless secrets are to be revealed.
    pub fn mask_violations(&self, violations: &mut [crate::validate::Violation]) {
        if self.reveal_secrets {
            return;
        }
        for v in violations {
            let secret =
                looks_secret(&v.path) || self.file.secrets.iter().any(|p| p.matches_path(&v.path));
            if !secret {
                continue;
            }
            if let Some(value) = v.value.take() {
                let shown = match &value {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                if !shown.is_empty() {
                    v.message = v.message.replace(&shown, MASK);
                }
                v.value = Some(serde_json::Value::String(MASK.to_string()));
            }
            v.suggestion = None;
        }
    }

    fn is_secret(&self, f: &Finding) -> bool {
        looks_secret(&f.keyed_path)
            || looks_secret(&f.path)
            || self.file.secrets.iter().any(|p| finding_matches(p, f))
    }
}

/// What secret values become in reports.
pub const MASK: &str = "********";

fn mask(f: &mut Finding) {
    f.masked = true;
    for side in [&mut f.base, &mut f.env].into_iter().flatten() {
        side.value = serde_json::Value::String(MASK.to_string());
    }
}

/// A pattern applies to a finding when it matches its pointer or its keyed path (or an ancestor).
pub fn finding_matches(pattern: &Pattern, f: &Finding) -> bool {
    pattern.matches_path(&f.keyed_path)
        || pattern.matches_path(&f.path)
        || f.env
            .as_ref()
            .is_some_and(|s| pattern.matches_path(&s.path))
}

fn ignore_matches(rule: &IgnoreRule, f: &Finding) -> bool {
    if !rule.envs.is_empty() && !rule.envs.contains(&f.environment) {
        return false;
    }
    if rule.kind.is_none() && rule.name.is_none() && rule.namespace.is_none() {
        return finding_matches(&rule.path, f);
    }
    // Kubernetes selectors: the finding's keyed path starts with the object's identity
    // (`[kind=Deployment,namespace=shop,name=web]`) when it is in a multi-document stream.
    let (selector, rest) = match f
        .keyed_path
        .strip_prefix('[')
        .and_then(|s| s.split_once(']'))
    {
        Some((selector, rest)) => (Some(selector), rest),
        None => (None, f.keyed_path.as_str()),
    };
    if let Some(selector) = selector {
        let field = |name: &str| {
            selector
                .split(',')
                .find_map(|kv| kv.strip_prefix(&format!("{name}=")))
        };
        let agrees = |want: &Option<String>, name: &str| {
            want.as_ref()
                .is_none_or(|w| w == "*" || field(name) == Some(w.as_str()))
        };
        if !(agrees(&rule.kind, "kind")
            && agrees(&rule.name, "name")
            && agrees(&rule.namespace, "namespace"))
        {
            return false;
        }
    }
    rule.path.matches_path(rest)
}
