//! Remediation plans: one action per finding, in the direction the user chooses.
//!
//! - **revert**: make the environment match the base;
//! - **adopt**: write the environment's value into the base (reality is right);
//! - **accept**: keep the difference and record it as expected in the policy;
//! - **skip**: do nothing.
//!
//! A plan names places (pointers) and actions, never secret values: applying it re-reads the files,
//! refuses any whose SHA-256 changed since the plan was made, and takes values and positions from them.

use crate::error::{Error, ErrorKind, Result};
use crate::policy::Severity;
use crate::report::{Finding, Report};
use crate::tree::Source;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub const PLAN_VERSION: u32 = 1;

#[cfg_attr(feature = "js", derive(tsify::Tsify))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Revert,
    Adopt,
    Accept,
    Skip,
}

impl std::str::FromStr for Action {
    type Err = Error;
    fn from_str(s: &str) -> Result<Action> {
        match s.to_ascii_lowercase().as_str() {
            "revert" => Ok(Action::Revert),
            "adopt" => Ok(Action::Adopt),
            "accept" => Ok(Action::Accept),
            "skip" => Ok(Action::Skip),
            other => Err(Error::new(
                ErrorKind::Usage,
                format!("unknown action '{other}' (revert, adopt, accept or skip)"),
            )),
        }
    }
}

/// A file the plan was made from, with its SHA-256 so a changed file is never patched blindly.
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanInput {
    /// `base`, or the environment's name.
    pub role: String,
    pub file: String,
    pub sha256: String,
}

#[cfg_attr(feature = "js", derive(tsify::Tsify))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlannedAction {
    pub action: Action,
    /// For accept: the reason recorded with the new expected rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Critical and high findings (by default) need a second pair of eyes before they are applied.
    pub needs_approval: bool,
    /// The finding this acts on, as the report had it (secret values stay masked).
    pub finding: Finding,
}

#[cfg_attr(feature = "js", derive(tsify::Tsify))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub version: u32,
    pub inputs: Vec<PlanInput>,
    /// Most severe first.
    pub actions: Vec<PlannedAction>,
}

/// How to choose actions: defaults, and per-finding overrides.
#[derive(Clone, Debug)]
pub struct Decisions {
    /// For findings the policy does not expect.
    pub unexpected: Action,
    /// For findings the policy expects.
    pub expected: Action,
    /// Findings at or above this severity need approval.
    pub approval_from: Severity,
    /// Overrides by finding: `(environment, keyed path)` → action.
    pub overrides: Vec<(String, String, Action)>,
}

impl Default for Decisions {
    /// Revert unexpected drift, leave expected differences alone, ask approval from high up.
    fn default() -> Self {
        Decisions {
            unexpected: Action::Revert,
            expected: Action::Skip,
            approval_from: Severity::High,
            overrides: Vec::new(),
        }
    }
}

pub fn sha256_hex(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

impl Plan {
    /// A plan for a report made from `base` and `environments` (name → source).
    pub fn new(
        report: &Report,
        base: &Source,
        environments: &[(String, &Source)],
        decisions: &Decisions,
    ) -> Plan {
        let mut inputs = vec![PlanInput {
            role: "base".into(),
            file: base.name.clone(),
            sha256: sha256_hex(&base.text),
        }];
        for (name, source) in environments {
            inputs.push(PlanInput {
                role: name.clone(),
                file: source.name.clone(),
                sha256: sha256_hex(&source.text),
            });
        }
        let mut actions: Vec<PlannedAction> = report
            .findings
            .iter()
            .map(|f| {
                let chosen = decisions
                    .overrides
                    .iter()
                    .find(|(env, path, _)| *env == f.environment && *path == f.keyed_path)
                    .map(|(_, _, a)| *a)
                    .unwrap_or(if f.expected.is_some() {
                        decisions.expected
                    } else {
                        decisions.unexpected
                    });
                PlannedAction {
                    action: chosen,
                    reason: None,
                    needs_approval: f.severity >= decisions.approval_from,
                    finding: f.clone(),
                }
            })
            .collect();
        // Most severe first; the sort is stable, so report order holds within a level.
        actions.sort_by_key(|a| std::cmp::Reverse(a.finding.severity));
        Plan {
            version: PLAN_VERSION,
            inputs,
            actions,
        }
    }

    /// Records the policy file that accept actions add rules to (`None`: it does not exist yet and
    /// will be created as `path`).
    pub fn with_policy(mut self, path: &str, existing: Option<&Source>) -> Plan {
        let sha256 = existing.map(|s| sha256_hex(&s.text)).unwrap_or_default();
        self.inputs.push(PlanInput {
            role: "policy".into(),
            file: path.to_string(),
            sha256,
        });
        self
    }

    /// Refuses sources that differ from what the plan was made from, naming the file.
    pub fn verify(&self, sources: &[&Source]) -> Result<()> {
        for input in &self.inputs {
            // A policy file that did not exist when the plan was made must still not exist.
            if input.role == "policy" && input.sha256.is_empty() {
                if sources.iter().any(|s| s.name == input.file) {
                    return Err(Error::new(
                        ErrorKind::Usage,
                        "was created since the plan was made; make a new plan",
                    )
                    .in_file(input.file.clone()));
                }
                continue;
            }
            let Some(source) = sources.iter().find(|s| s.name == input.file) else {
                return Err(Error::new(
                    ErrorKind::Usage,
                    "the plan names this file but it was not given",
                )
                .in_file(input.file.clone()));
            };
            if sha256_hex(&source.text) != input.sha256 {
                return Err(Error::new(
                    ErrorKind::Usage,
                    "changed since the plan was made (SHA-256 differs); make a new plan",
                )
                .in_file(input.file.clone()));
            }
        }
        Ok(())
    }

    pub fn file_of(&self, role: &str) -> Option<&str> {
        self.inputs
            .iter()
            .find(|i| i.role == role)
            .map(|i| i.file.as_str())
    }
}
