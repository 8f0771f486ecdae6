//! Validate before write: what a change does to the validity of the files it writes. Each file a
//! plan would write is validated as it is and as it would be, with the rules the plan was made
//! with; the violations only the result has are the change's doing and refuse it (at or above the
//! fail level). Violations that were there before are reported, never blamed on the change.

use crate::error::Result;
use crate::patch::Preview;
use crate::pipeline::validate;
use crate::plan::{Plan, Role};
use crate::request::{Base, Options, Request, find_file};
use crate::severity::Severity;
use crate::tree::Source;
use crate::violation::{Validation, Violation};
use serde::{Deserialize, Serialize};

/// What a change does to validity.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// The files validated (those the change writes); empty when there were no rules to check.
    pub files: Vec<String>,
    /// Violations the change adds: in the files as they would be, not as they are.
    pub introduced: Vec<Violation>,
    /// Violations there before and after: reported, never blamed on the change.
    pub remaining: Vec<Violation>,
    /// How many violations the change removes.
    pub resolved: usize,
    /// The lowest severity of an introduced violation that refuses the change.
    pub fail_on: Severity,
}

impl Default for Verdict {
    fn default() -> Verdict {
        Verdict {
            files: Vec::new(),
            introduced: Vec::new(),
            remaining: Vec::new(),
            resolved: 0,
            fail_on: Severity::DEFAULT_FAIL_ON,
        }
    }
}

impl Verdict {
    /// The verdict on going from `before` to `after` (validations of the same files, as they are
    /// and as they would be). A violation is the same one when its file, rule and place agree.
    pub fn between(before: &Validation, after: &Validation) -> Verdict {
        let key = |v: &Violation| (v.file.clone(), v.rule.clone(), v.path.clone());
        let was: std::collections::HashSet<_> = before.violations.iter().map(key).collect();
        let is: std::collections::HashSet<_> = after.violations.iter().map(key).collect();
        let (remaining, introduced) = after
            .violations
            .iter()
            .cloned()
            .partition(|v| was.contains(&key(v)));
        Verdict {
            files: after.files.clone(),
            introduced,
            remaining,
            resolved: before
                .violations
                .iter()
                .filter(|v| !is.contains(&key(v)))
                .count(),
            fail_on: after.fail_on,
        }
    }

    /// The introduced violations at or above the fail level: what refuses the change.
    pub fn blocking(&self) -> impl Iterator<Item = &Violation> {
        self.introduced
            .iter()
            .filter(move |v| v.severity >= self.fail_on)
    }

    /// Whether the change must not be written (without forcing it).
    pub fn blocks(&self) -> bool {
        self.blocking().next().is_some()
    }

    /// The blocking violations as a validation, to render in any format.
    pub fn blocking_validation(&self) -> Validation {
        Validation::new(
            self.files.clone(),
            self.blocking().cloned().collect(),
            self.fail_on,
        )
    }

    /// One line for people: what the change does to validity.
    pub fn summary(&self) -> String {
        if self.files.is_empty() {
            return "validation: no rules were given with the plan; nothing to check".into();
        }
        let blocking = self.blocking().count();
        let verdict = if blocking > 0 {
            format!(
                "the change would add {blocking} violation(s) at or above {}; refused",
                self.fail_on
            )
        } else if self.introduced.is_empty() {
            "the change adds no violation".to_string()
        } else {
            format!(
                "the change adds {} violation(s), all below {}",
                self.introduced.len(),
                self.fail_on
            )
        };
        format!(
            "validation of {}: {verdict} ({} there before and after, {} resolved)",
            self.files.join(", "),
            self.remaining.len(),
            self.resolved
        )
    }
}

impl Preview {
    /// Validates every configuration file this preview writes, as it is in `files` and as the
    /// preview leaves it, with the rules `plan` recorded ([`Plan::validating`]). Call it on the
    /// preview from [`Plan::preview`], not a [masked](Preview::masked) one. A plan without rules
    /// gets an empty verdict. Violations are masked as the plan's policy masks values.
    pub fn verdict(&self, plan: &Plan, files: &[Source]) -> Result<Verdict> {
        let Some(rules) = &plan.validation else {
            return Ok(Verdict::default());
        };
        let named = |role: Role| -> Result<Vec<Source>> {
            plan.files_with(&role)
                .map(|name| {
                    Ok(find_file(files, name)?
                        .cloned()
                        .unwrap_or_else(|| Source::new(name, "")))
                })
                .collect()
        };
        let schema = named(Role::Schema)?.into_iter().next();
        let (profiles, vars, rule_files) = (
            named(Role::Profile)?,
            named(Role::Vars)?,
            named(Role::Rules)?,
        );
        let policy = match plan.file_of(&Role::Policy) {
            Some(name) => find_file(files, name)?.cloned(),
            None => None,
        };
        let request_for = |name: &str, text: &str, env: Option<String>| Request {
            base: Some(Base::File(Source::new(name, text))),
            policy: policy.clone(),
            provider: rules.provider.clone(),
            profiles: profiles.clone(),
            vars: vars.clone(),
            values: rules.values.clone(),
            env: rules.env.clone().or(env),
            schema: schema.clone(),
            rules: rule_files.clone(),
            options: Options {
                fail_on: Some(rules.fail_on),
                ..Options::default()
            },
            ..Request::default()
        };
        let mut before = Validation::new(Vec::new(), Vec::new(), rules.fail_on);
        let mut after = Validation::new(Vec::new(), Vec::new(), rules.fail_on);
        for p in self.changed() {
            let Some(input) = plan.inputs.iter().find(|i| i.file == p.file) else {
                continue;
            };
            if !input.role.is_config() {
                continue;
            }
            let env = match &input.role {
                Role::Environment { environment } => Some(environment.clone()),
                _ => None,
            };
            if !p.created {
                before
                    .violations
                    .extend(validate(&request_for(&p.file, &p.before, env.clone()))?.violations);
            }
            // A deleted file breaks no rule any more.
            if !p.deleted {
                after
                    .violations
                    .extend(validate(&request_for(&p.file, &p.after, env))?.violations);
                after.files.push(p.file.clone());
            }
        }
        Ok(Verdict::between(&before, &after))
    }
}
