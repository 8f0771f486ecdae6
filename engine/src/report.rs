//! The drift report: a versioned, serialisable record of every difference, with positions in both files.
//! Its JSON form is a stable interface (CLI `--format json`, the web app's export, the npm package).

use crate::policy::{Expected, PolicySummary, RuleRef, Severity};
use crate::span::{Origin, Span};
use crate::tree::{Format, ValueType};
use crate::validate::Violation;
use serde::{Deserialize, Serialize};

/// Bumped whenever a field changes meaning or disappears; new optional fields do not bump it.
pub const REPORT_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
pub struct Report {
    pub version: u32,
    pub base: FileRef,
    pub environments: Vec<EnvironmentSummary>,
    pub findings: Vec<Finding>,
    pub totals: Counts,
    /// The lowest severity of unexpected drift that fails a check.
    #[serde(default)]
    pub fail_on: Severity,
    /// What the policy did: its file, findings it hid, rules that matched nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<PolicySummary>,
    /// Validation findings (schema, rules, provider) in the base and the environments.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub violations: Vec<Violation>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
pub struct FileRef {
    pub file: String,
    pub format: Format,
    pub documents: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
pub struct EnvironmentSummary {
    pub name: String,
    #[serde(flatten)]
    pub file: FileRef,
    /// Leaf values that took part in the comparison (matched, added or removed).
    pub compared: usize,
    pub counts: Counts,
    /// Findings the policy marks as intended.
    #[serde(default)]
    pub expected: usize,
    /// Unexpected findings at or above the report's `fail_on` severity: what fails a check.
    #[serde(default)]
    pub failing: usize,
    /// Share of compared values that match the base or differ as expected, from 0 to 1.
    #[serde(default)]
    pub compliance: f64,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
pub struct Counts {
    pub changed: usize,
    pub type_changed: usize,
    pub added: usize,
    pub removed: usize,
    pub reordered: usize,
    pub total: usize,
}

impl Counts {
    pub fn add(&mut self, kind: Kind) {
        match kind {
            Kind::Changed => self.changed += 1,
            Kind::TypeChanged => self.type_changed += 1,
            Kind::Added => self.added += 1,
            Kind::Removed => self.removed += 1,
            Kind::Reordered => self.reordered += 1,
        }
        self.total += 1;
    }

    pub fn of<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Counts {
        let mut counts = Counts::default();
        for f in findings {
            counts.add(f.kind);
        }
        counts
    }

    pub fn get(&self, kind: Kind) -> usize {
        match kind {
            Kind::Changed => self.changed,
            Kind::TypeChanged => self.type_changed,
            Kind::Added => self.added,
            Kind::Removed => self.removed,
            Kind::Reordered => self.reordered,
        }
    }
}

/// What kind of difference a finding is, always from the base's point of view:
/// `added` exists only in the environment, `removed` only in the base.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
pub enum Kind {
    Changed,
    TypeChanged,
    Added,
    Removed,
    Reordered,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Changed,
        Kind::TypeChanged,
        Kind::Added,
        Kind::Removed,
        Kind::Reordered,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Changed => "changed",
            Kind::TypeChanged => "type_changed",
            Kind::Added => "added",
            Kind::Removed => "removed",
            Kind::Reordered => "reordered",
        }
    }

    /// The same difference seen from the other side.
    pub fn swapped(self) -> Kind {
        match self {
            Kind::Added => Kind::Removed,
            Kind::Removed => Kind::Added,
            other => other,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
pub struct Finding {
    pub environment: String,
    pub kind: Kind,
    /// RFC 6901 JSON Pointer: into the base where the value exists there, else into the environment.
    /// In a multi-document YAML stream the first token is the document's index.
    pub path: String,
    /// The same place with identity-matched list items named instead of numbered
    /// (`/spec/containers[name=web]/image`); equals `path` where no list was matched by identity.
    pub keyed_path: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub base: Option<Side>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub env: Option<Side>,
    #[serde(default)]
    pub severity: Severity,
    /// The policy rule that set the severity; absent when the built-in defaults did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity_rule: Option<RuleRef>,
    /// Present when the policy says this difference is intended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<Expected>,
    /// The values are secrets and were replaced by a mask.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub masked: bool,
    /// Leaf values this finding covers (a removed map of 3 settings covers 3).
    #[serde(default)]
    pub values: usize,
    /// For added and removed findings: the JSON Pointer of the parent container in the file that
    /// lacks the value, which is where a patch inserts it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insert_at: Option<String>,
    /// For list items: the index in that container before which the item belongs (its length to
    /// append), counted in the container as it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insert_index: Option<usize>,
}

impl Finding {
    /// Whether this finding fails a check that fails on `level` and above.
    pub fn fails(&self, level: Severity) -> bool {
        self.expected.is_none() && self.severity >= level
    }

    /// Where to point a reader first: the environment's side when it has one.
    pub fn primary(&self) -> Option<&Side> {
        self.env.as_ref().or(self.base.as_ref())
    }
}

/// One side of a finding: the value as it is in that file and where.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
pub struct Side {
    pub file: String,
    /// JSON Pointer into this file (list indexes differ between files when items moved).
    pub path: String,
    /// The value's span.
    pub span: Span,
    /// The key's span, when the value is a mapping member.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub key_span: Option<Span>,
    #[serde(rename = "type")]
    pub value_type: ValueType,
    #[cfg_attr(feature = "js", tsify(type = "unknown"))]
    pub value: serde_json::Value,
    /// For a rendered template: the template text that produced this value.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub origin: Option<Origin>,
}

impl Side {
    /// The position a report names: the key for a whole entry added or removed, else the value.
    pub fn anchor(&self, kind: Kind) -> Span {
        match kind {
            Kind::Added | Kind::Removed => self.key_span.unwrap_or(self.span),
            _ => self.span,
        }
    }
}

impl Report {
    /// Whether the check fails: unexpected drift at or above `fail_on`.
    pub fn has_drift(&self) -> bool {
        self.findings.iter().any(|f| f.fails(self.fail_on))
    }

    /// Whether the check fails: failing drift, or a violation at or above `fail_on`.
    pub fn fails(&self) -> bool {
        self.has_drift() || self.violations.iter().any(|v| v.severity >= self.fail_on)
    }

    /// Recomputes every count from the findings, after a policy has filtered or classified them.
    pub fn recount(&mut self) {
        for env in &mut self.environments {
            let mine: Vec<&Finding> = self
                .findings
                .iter()
                .filter(|f| f.environment == env.name)
                .collect();
            env.counts = Counts::of(mine.iter().copied());
            env.expected = mine.iter().filter(|f| f.expected.is_some()).count();
            env.failing = mine.iter().filter(|f| f.fails(self.fail_on)).count();
            let drifted: usize = mine
                .iter()
                .filter(|f| f.expected.is_none())
                .map(|f| f.values.max(1))
                .sum();
            env.compliance = if env.compared == 0 {
                1.0
            } else {
                let share = env.compared.saturating_sub(drifted) as f64 / env.compared as f64;
                (share * 10_000.0).round() / 10_000.0
            };
        }
        self.totals = Counts::of(&self.findings);
    }

    pub fn findings_for<'a>(
        &'a self,
        environment: &'a str,
    ) -> impl Iterator<Item = &'a Finding> + 'a {
        self.findings
            .iter()
            .filter(move |f| f.environment == environment)
    }
}
