//! Drift policy: which differences are intended (expected), which are not drift at all (ignore), how
//! serious each is (severity), how lists are identified (identity, sets), what counts as the same
//! value (normalise), and which values are secrets (masked in every output).
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
mod file;
mod keywords;

pub use file::{ExpectedRule, IgnoreRule, PolicyFile, SeverityRule};
pub(crate) use keywords::{default_severity, looks_secret};

use crate::diff::AlignOptions;
use crate::error::{Error, ErrorKind, Result};
use crate::finding::{Expected, Finding};
use crate::pattern::Pattern;
use crate::report::{PolicySummary, Report, StaleRule};
use crate::rule_ref::RuleRef;
use crate::severity::Severity;
use crate::span::Pos;
use crate::tree::{Source, Value};
use indexmap::IndexMap;

/// What secret values become in every output.
pub const MASK: &str = "********";

/// A policy ready to apply: the file, where each rule is written in it, and the options that shape
/// the comparison.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Policy {
    file: PolicyFile,
    source_name: Option<String>,
    /// Line of each rule: key `expected[0]` → line.
    lines: IndexMap<String, usize>,
    /// Where each `argocd` entry is written, for errors about the file it names.
    argocd_at: Vec<Pos>,
    align: AlignOptions,
    reveal_secrets: bool,
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
            if let Some(Value::List(items)) = root.pointer(&format!("/{section}")).map(|n| &n.value)
            {
                for (i, item) in items.iter().enumerate() {
                    lines.insert(format!("{section}[{i}]"), item.span.start.line);
                }
            }
        }
        let argocd_at = match root.pointer("/argocd").map(|n| &n.value) {
            Some(Value::List(items)) => items.iter().map(|n| n.span.start).collect(),
            _ => Vec::new(),
        };
        let align = AlignOptions {
            identity: file.identity.clone(),
            sets: file.sets.clone(),
            normalise: file.normalise.clone(),
        };
        Ok(Policy {
            file,
            source_name: Some(source.name.clone()),
            lines,
            argocd_at,
            align,
            reveal_secrets: false,
        })
    }

    /// The file as written (with any imported ignore rules added).
    pub fn file(&self) -> &PolicyFile {
        &self.file
    }

    /// The policy file's name, when the policy came from one.
    pub fn source_name(&self) -> Option<&str> {
        self.source_name.as_deref()
    }

    /// The Argo CD Application files the policy names, as names read from the policy's folder
    /// (`conf/driftwise.yaml` naming `argocd/app.yaml` → `conf/argocd/app.yaml`), each with the
    /// place the policy names it.
    pub fn argocd_files(&self) -> Vec<(String, Option<Pos>)> {
        let beside = self.source_name.as_deref().unwrap_or("");
        self.file
            .argocd
            .iter()
            .enumerate()
            .map(|(i, rel)| {
                (
                    crate::names::join_relative(beside, rel),
                    self.argocd_at.get(i).copied(),
                )
            })
            .collect()
    }

    /// Adds the `ignoreDifferences` of an Argo CD Application manifest as ignore rules; returns how
    /// many were added.
    pub fn import_argocd(&mut self, application: &Source) -> Result<usize> {
        let rules = argocd::ignore_rules(application)?;
        let n = rules.len();
        self.file.ignore.extend(rules);
        Ok(n)
    }

    /// The same policy failing from `level` up, whatever the file says.
    pub fn with_fail_on(mut self, level: Severity) -> Policy {
        self.file.fail_on = Some(level);
        self
    }

    /// The same policy showing secret values as they are (`true`) or masked (`false`, the default).
    pub fn revealing_secrets(mut self, reveal: bool) -> Policy {
        self.reveal_secrets = reveal;
        self
    }

    /// Whether secret values are shown as they are.
    pub fn reveals_secrets(&self) -> bool {
        self.reveal_secrets
    }

    /// The lowest severity of unexpected drift that fails a check.
    pub fn fail_on(&self) -> Severity {
        self.file.fail_on.unwrap_or(Severity::DEFAULT_FAIL_ON)
    }

    /// Identity keys, sets and normalisation: what the diff needs from the policy.
    pub fn align_options(&self) -> &AlignOptions {
        &self.align
    }

    fn rule_ref(&self, key: String) -> RuleRef {
        let line = self.lines.get(&key).copied();
        RuleRef { rule: key, line }
    }

    /// Classifies a report's findings: drops ignored ones, marks expected ones, sets severities,
    /// finds stale rules and computes each environment's compliance. (Secrets are masked by what
    /// the files hold, once the report is made.)
    pub fn classify(&self, report: &mut Report) {
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
                let words = keywords::path_words(&f.keyed_path);
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

    /// Whether the value at `path` (a pointer or keyed path) is a secret: under a secret-looking key,
    /// or matched by the policy's `secrets`.
    pub fn is_secret_path(&self, path: &str) -> bool {
        looks_secret(path) || self.file.secrets.iter().any(|p| p.matches_path(path))
    }

    /// An error about the `i`th `argocd` entry: a file it names that was not given.
    pub(crate) fn missing_argocd(&self, name: &str, at: Option<Pos>) -> Error {
        let mut err = Error::new(
            ErrorKind::Usage,
            format!("the policy names the Argo CD application {name}, which was not given"),
        );
        if let Some(policy) = &self.source_name {
            err = err.in_file(policy.clone());
        }
        match at {
            Some(pos) => err.at(pos),
            None => err,
        }
    }
}

/// A pattern applies to a finding when it matches its pointer or its keyed path (or an ancestor).
fn finding_matches(pattern: &Pattern, f: &Finding) -> bool {
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
