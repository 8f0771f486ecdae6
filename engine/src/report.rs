//! The drift report: a versioned, serialisable record of every difference, with positions in both files.
//! Its JSON form is a stable interface (CLI `--format json`, the web app's export, the npm package).

use crate::finding::{Finding, Kind};
use crate::rule_ref::RuleRef;
use crate::severity::Severity;
use crate::tree::Format;
use crate::violation::Violation;
use serde::{Deserialize, Serialize};

/// Bumped whenever a field changes meaning or disappears; new optional fields do not bump it.
pub const REPORT_VERSION: u32 = 1;

/// Every difference between a base and its environments, classified by the policy, with the
/// validation findings. Its JSON form is `schemas/report.v1.schema.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// [`REPORT_VERSION`].
    pub version: u32,
    /// The source of truth: a file, or the template environments are rendered from.
    pub base: FileRef,
    /// Each environment compared, with its counts.
    pub environments: Vec<EnvironmentSummary>,
    /// Every difference, environment by environment, in document order.
    pub findings: Vec<Finding>,
    /// Counts over all environments.
    pub totals: Counts,
    /// The lowest severity of unexpected drift that fails a check.
    #[serde(default = "Severity::default_fail_on")]
    pub fail_on: Severity,
    /// What the policy did: its file, findings it hid, rules that matched nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<PolicySummary>,
    /// Validation findings (schema, rules, provider) in the base and the environments.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub violations: Vec<Violation>,
}

/// A compared file: its name, syntax and number of documents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRef {
    /// The file's name, usually its path.
    pub file: String,
    /// Its syntax.
    pub format: Format,
    /// Documents in it (YAML streams hold several).
    pub documents: usize,
}

/// One environment's part of a report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EnvironmentSummary {
    /// The environment's name.
    pub name: String,
    /// Its file.
    #[serde(flatten)]
    pub file: FileRef,
    /// Leaf values that took part in the comparison (matched, added or removed).
    pub compared: usize,
    /// Its findings by kind.
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
    /// For a layered estate: the layers merged into the effective configuration it is (or is
    /// compared with), base first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub layers: Vec<StackLayer>,
}

/// One layer of an environment's stack.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StackLayer {
    /// The layer's path as the policy writes it (`envs/{env}.yaml`).
    pub pattern: String,
    /// The file it names for this environment, as the policy's folder sees it.
    pub file: String,
    /// Whether the file is there (an optional layer may be missing).
    pub present: bool,
    /// Whether the environment may lack it.
    pub optional: bool,
}

/// Findings counted by kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// `changed` findings.
    pub changed: usize,
    /// `type_changed` findings.
    pub type_changed: usize,
    /// `added` findings.
    pub added: usize,
    /// `removed` findings.
    pub removed: usize,
    /// `reordered` findings.
    pub reordered: usize,
    /// All of them.
    pub total: usize,
}

impl Counts {
    /// Counts one more finding of `kind`.
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

    /// The counts of these findings.
    pub fn of<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Counts {
        let mut counts = Counts::default();
        for f in findings {
            counts.add(f.kind);
        }
        counts
    }

    /// The count for one kind.
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

impl Report {
    /// Whether the check fails: unexpected drift at or above `fail_on`.
    pub fn has_drift(&self) -> bool {
        self.findings.iter().any(|f| f.fails(self.fail_on))
    }

    /// Whether the check fails: failing drift, or a violation at or above `fail_on`.
    pub fn fails(&self) -> bool {
        self.has_drift() || self.failing_violations() > 0
    }

    /// How many violations are at or above `fail_on`.
    pub fn failing_violations(&self) -> usize {
        crate::violation::failing(&self.violations, self.fail_on)
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

    /// The findings of one environment.
    pub fn findings_for<'a>(
        &'a self,
        environment: &'a str,
    ) -> impl Iterator<Item = &'a Finding> + 'a {
        self.findings
            .iter()
            .filter(move |f| f.environment == environment)
    }
}

/// What the policy did to a report: for the report's `policy` section.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PolicySummary {
    /// The policy file, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Findings hidden by ignore rules.
    pub ignored: usize,
    /// Expected and ignore rules that matched no finding: exceptions that may no longer be needed.
    pub stale: Vec<StaleRule>,
    /// Expected rules whose `expires` date has passed: they classify nothing any more.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expired: Vec<ExpiredRule>,
}

/// An expected rule past its last day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpiredRule {
    /// The rule and its line.
    #[serde(flatten)]
    pub rule: RuleRef,
    /// The rule's path pattern.
    pub path: String,
    /// Its last day.
    pub expires: String,
    /// Who approved it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
}

/// A policy rule that matched nothing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaleRule {
    /// The rule and its line.
    #[serde(flatten)]
    pub rule: RuleRef,
    /// The rule's path pattern.
    pub path: String,
}
