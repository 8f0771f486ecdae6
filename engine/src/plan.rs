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
use crate::finding::Finding;
use crate::names::join_relative;
use crate::policy::Policy;
use crate::report::Report;
use crate::request::Request;
use crate::severity::Severity;
use crate::tree::Source;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Bumped when the plan format changes; `apply` refuses other versions. Version 2 gave inputs a
/// typed role (an environment may be called `base` or `policy`) and missing files a null hash.
pub const PLAN_VERSION: u32 = 2;

/// What to do about one finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Make the environment match the base.
    Revert,
    /// Write the environment's value into the base.
    Adopt,
    /// Keep the difference and record it as expected in the policy.
    Accept,
    /// Leave it.
    Skip,
}

impl Action {
    /// Every action, in the order front doors offer them.
    pub const ALL: [Action; 4] = [Action::Revert, Action::Adopt, Action::Accept, Action::Skip];

    /// The action's name as plans write it.
    pub fn name(self) -> &'static str {
        match self {
            Action::Revert => "revert",
            Action::Adopt => "adopt",
            Action::Accept => "accept",
            Action::Skip => "skip",
        }
    }

    /// What the action does, in a few words.
    pub fn describe(self) -> &'static str {
        match self {
            Action::Revert => "make the environment match the base",
            Action::Adopt => "write the environment's value into the base",
            Action::Accept => "record it as expected in the policy",
            Action::Skip => "leave it",
        }
    }
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
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

/// What a file is to a plan.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "role", rename_all = "snake_case")]
pub enum Role {
    /// The base file.
    Base,
    /// An environment's file.
    Environment {
        /// The environment's name.
        environment: String,
    },
    /// The policy file accept actions add rules to.
    Policy,
    /// The JSON Schema the files must satisfy.
    Schema,
    /// A rules file.
    Rules,
    /// A provider profile.
    Profile,
    /// A template variables file (rules read its values).
    Vars,
    /// A layer of a layered estate that is neither the base layer nor an environment's own
    /// (deepest) layer: a provider layer, say. Actions write to it where it set the value.
    Layer,
    /// A file a rollback puts back whole, as a snapshot recorded it.
    Restored,
}

impl Role {
    /// Whether the file holds what the checks are about (the base or an environment), as opposed
    /// to what rules them.
    pub fn is_config(&self) -> bool {
        matches!(
            self,
            Role::Base | Role::Environment { .. } | Role::Layer | Role::Restored
        )
    }
}

/// The validation a plan was made with, besides its files: every file a plan writes is validated
/// with it first, and a change that adds a violation is refused ([`Verdict`](crate::Verdict)).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PlanValidation {
    /// The provider whose rules apply (`aws`; a built-in or one of the profile files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// The environment the variables are read for, when not the file's own environment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub env: Option<String>,
    /// Variables given one by one (`--var`), over the files'.
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub values: serde_json::Map<String, serde_json::Value>,
    /// The lowest severity of a new violation that refuses the change.
    #[serde(default = "Severity::default_fail_on")]
    pub fail_on: Severity,
}

/// A file the plan was made from, with its SHA-256 so a changed file is never patched blindly.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanInput {
    /// What the file is to the plan.
    #[serde(flatten)]
    pub role: Role,
    /// The file's name, usually its path.
    pub file: String,
    /// The SHA-256 of its text; `None` for a policy file that does not exist yet (and must still
    /// not exist when the plan is applied).
    pub sha256: Option<String>,
    /// The syntax it was read as when that was given rather than told from its name
    /// (`--input-format`), so applying the plan reads it the same way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<crate::tree::Format>,
    /// For a file of a directory compared file by file or object by object: the directory. Each
    /// of its files is an input of the directory's role, and actions edit the file their
    /// finding's side names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub directory: Option<String>,
}

/// Refuses plan versions other than [`PLAN_VERSION`].
fn supported(version: u64) -> Result<()> {
    if version == u64::from(PLAN_VERSION) {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::Usage,
        format!(
            "plan version {version} is not supported (this driftwise reads version {PLAN_VERSION}); make a new plan"
        ),
    ))
}

/// One action of a plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlannedAction {
    /// What to do.
    pub action: Action,
    /// For accept: the reason recorded with the new expected rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Critical and high findings (by default) need a second pair of eyes before they are applied.
    pub needs_approval: bool,
    /// The finding this acts on, as the report had it (secret values stay masked).
    pub finding: Finding,
}

impl PlannedAction {
    /// The role whose file the action edits and the role its values come from: the environment
    /// and the base for a revert, the other way round for an adopt; `None` for accept and skip,
    /// which edit no configuration file.
    pub(crate) fn roles(&self) -> Option<(Role, Role)> {
        let env = Role::Environment {
            environment: self.finding.environment.clone(),
        };
        match self.action {
            Action::Revert => Some((env, Role::Base)),
            Action::Adopt => Some((Role::Base, env)),
            Action::Accept | Action::Skip => None,
        }
    }
}

/// A finding's side in the target's file, and the side values come from.
pub(crate) fn sides<'f>(
    f: &'f Finding,
    target_role: &Role,
) -> (
    &'f Option<crate::finding::Side>,
    &'f Option<crate::finding::Side>,
) {
    match target_role {
        Role::Base => (&f.base, &f.env),
        _ => (&f.env, &f.base),
    }
}

/// A remediation plan: its inputs with their hashes, and one action per finding.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// [`PLAN_VERSION`].
    pub version: u32,
    /// The files the plan reads and may write.
    pub inputs: Vec<PlanInput>,
    /// Most severe first.
    pub actions: Vec<PlannedAction>,
    /// The validation the results must pass, when the plan was made with rules
    /// ([`Plan::validating`]); its files are among the inputs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation: Option<PlanValidation>,
    /// For a layered estate: each environment's layer files that are there, base first. An
    /// action writes to the layer that set the value; a value to add goes into the
    /// environment's own (deepest) layer.
    #[serde(default, skip_serializing_if = "indexmap::IndexMap::is_empty")]
    pub layers: indexmap::IndexMap<String, Vec<String>>,
    /// Files put back whole as a snapshot recorded them (`driftwise rollback`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub restores: Vec<Restore>,
    /// Against a template base: its rendering for each environment, the text reverts take values
    /// from. A rendering is no file, so the plan carries it; the template itself is an input,
    /// hashed like the others.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rendered: Vec<RenderedBase>,
}

/// A template base rendered for one or more environments, as a check's outcome names it
/// (`app.yaml.j2[aws/prod]`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenderedBase {
    /// The rendering's name, which findings' base sides give as their file.
    pub file: String,
    /// The rendered text.
    pub text: String,
    /// The syntax it is read as.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<crate::tree::Format>,
}

impl RenderedBase {
    /// The rendering as a source to read, in its template's output format unless it says.
    pub(crate) fn source(&self) -> Source {
        let template = self.file.split_once('[').map_or(&*self.file, |(t, _)| t);
        Source {
            format: Some(
                self.format
                    .unwrap_or_else(|| crate::template::output_format(template)),
            ),
            ..Source::new(self.file.clone(), self.text.clone())
        }
    }
}

/// A file a rollback puts back: its text becomes the recorded one, byte for byte. Preview and
/// apply find that text among the files they are given under the name `sha256:<hex>`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Restore {
    /// The file.
    pub file: String,
    /// The SHA-256 of the text it gets back.
    pub sha256: String,
    /// The snapshot that recorded it.
    pub snapshot: String,
    /// The store holding that text, as the plan's maker named it.
    pub store: String,
}

/// How to choose actions: defaults, and per-finding decisions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Decisions {
    /// For findings the policy does not expect (default revert).
    pub unexpected: Action,
    /// For findings the policy expects (default skip).
    pub expected: Action,
    /// Findings at or above this severity need approval (default high).
    #[serde(alias = "approvalFrom")]
    pub approval_from: Severity,
    /// Decisions for single findings, over the defaults.
    pub overrides: Vec<Decision>,
    /// The reason recorded for accepted findings that have none of their own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The policy file accept actions add rules to: the policy in use, else this; by default
    /// `driftwise.yaml` beside the base.
    #[serde(alias = "policyFile", skip_serializing_if = "Option::is_none")]
    pub policy_file: Option<String>,
}

impl Default for Decisions {
    /// Revert unexpected drift, leave expected differences alone, ask approval from high up.
    fn default() -> Self {
        Decisions {
            unexpected: Action::Revert,
            expected: Action::Skip,
            approval_from: Severity::High,
            overrides: Vec::new(),
            reason: None,
            policy_file: None,
        }
    }
}

/// The action chosen for one finding, named by environment and keyed path.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// The finding's environment.
    pub environment: String,
    /// The finding's keyed path.
    pub path: String,
    /// What to do.
    pub action: Action,
    /// For accept: why the difference is intended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Decisions {
    /// Reads decisions from a file (JSON, YAML or TOML), with errors at the offending line.
    pub fn from_source(source: &Source) -> Result<Decisions> {
        Ok(crate::settings::read::<Decisions>(source, "decisions")?
            .map(|(d, _, _)| d)
            .unwrap_or_default())
    }

    /// The decision for a finding: its own, else the default for expected or unexpected findings.
    pub fn for_finding(&self, f: &Finding) -> (Action, Option<String>) {
        match self
            .overrides
            .iter()
            .find(|d| d.environment == f.environment && d.path == f.keyed_path)
        {
            Some(d) => (d.action, d.reason.clone()),
            None if f.expected.is_some() => (self.expected, None),
            None => (self.unexpected, None),
        }
    }
}

/// A whole file a plan over directories creates.
pub(crate) struct CreatedFile {
    /// The new file, at the same path in the target directory.
    pub(crate) file: String,
    /// The file it is a copy of.
    pub(crate) from: String,
    /// The target directory.
    pub(crate) directory: String,
    /// The target directory's role.
    pub(crate) role: Role,
}

/// Each source, a directory as its files: what a plan's inputs name.
pub(crate) fn each_file(sources: &[Source]) -> Vec<&Source> {
    sources
        .iter()
        .flat_map(|s| match s.is_directory() {
            true => s.files.iter().collect(),
            false => vec![s],
        })
        .collect()
}

/// The SHA-256 of a text, in lowercase hex.
pub fn sha256_hex(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256s of texts that stay borrowed for `'f`, each worked out once: while a text is
/// borrowed it cannot change, so the same text (the same bytes at the same place) has the hash
/// worked out before. A plan made and previewed at once hashes each file once, not twice (in
/// WebAssembly SHA-256 reads ~210 MB/s: ~190 ms of a 20 MB pair's plan in the page).
#[derive(Default)]
pub(crate) struct Hashes<'f> {
    /// By each text's address and length (a directory estate's plan hashes thousands of files).
    known: std::cell::RefCell<std::collections::HashMap<(usize, usize), String>>,
    /// The texts stay borrowed while their hashes are known.
    texts: std::marker::PhantomData<&'f str>,
}

impl<'f> Hashes<'f> {
    /// The SHA-256 of `text`, in lowercase hex.
    pub(crate) fn of(&self, text: &'f str) -> String {
        let place = (text.as_ptr() as usize, text.len());
        if let Some(sha) = self.known.borrow().get(&place) {
            return sha.clone();
        }
        let sha = sha256_hex(text);
        self.known.borrow_mut().insert(place, sha.clone());
        sha
    }
}

impl Plan {
    /// A plan for `report`, whose files (the base and each environment's, and the policy file when
    /// it exists) are among `files`, found by the names the report gives them.
    pub fn new(report: &Report, files: &[Source], decisions: &Decisions) -> Result<Plan> {
        Plan::hashing(report, files, decisions, &Hashes::default())
    }

    /// [`new`](Self::new), with each file's SHA-256 from `hashes`.
    pub(crate) fn hashing<'f>(
        report: &Report,
        files: &'f [Source],
        decisions: &Decisions,
        hashes: &Hashes<'f>,
    ) -> Result<Plan> {
        let find = |name: &str| {
            files.iter().find(|f| f.name == name).ok_or_else(|| {
                Error::new(
                    ErrorKind::Usage,
                    "the report names this file; it must be given to make a plan",
                )
                .in_file(name.to_string())
            })
        };
        if report.base.file.starts_with("sha256:") && find(&report.base.file).is_err() {
            return Err(Error::new(
                ErrorKind::Unsupported,
                "this compares files with a snapshot's recorded versions: put them back whole with `driftwise rollback ID` (a plan apply carries out), or plan against a base file",
            )
            .in_file(report.base.file.clone()));
        }
        // A template base: reverts take their values from its renderings, which the plan carries.
        let rendered: Vec<RenderedBase> = if crate::template::is_template_name(&report.base.file) {
            let named = format!("{}[", report.base.file);
            let mut rendered: Vec<RenderedBase> = files
                .iter()
                .filter(|f| f.name.starts_with(&named) && f.name.ends_with(']'))
                .map(|f| RenderedBase {
                    file: f.name.clone(),
                    text: f.text.clone(),
                    // Recorded only when not the template's own output format.
                    format: f.format.filter(|&format| {
                        format != crate::template::output_format(&report.base.file)
                    }),
                })
                .collect();
            // In name order, whatever order they were given in.
            rendered.sort_by(|a, b| a.file.cmp(&b.file));
            rendered.dedup_by(|a, b| a.file == b.file);
            let missing = report.findings.iter().find_map(|f| {
                let side = f.base.as_ref()?;
                (!rendered.iter().any(|r| r.file == side.file)).then_some(&side.file)
            });
            if let Some(missing) = missing {
                return Err(Error::new(
                    ErrorKind::Usage,
                    "this base is a template rendered per environment: a plan takes the values it reverts to from the renderings, so give them with the files (the check outcome's `rendered`)",
                )
                .in_file(missing.clone()));
            }
            rendered
        } else {
            Vec::new()
        };
        if find(&report.base.file).is_ok_and(|s| crate::terraform::looks_like_plan(&s.text)) {
            return Err(Error::new(
                ErrorKind::Usage,
                "a Terraform plan is read, not patched: change the configuration (.tf), or accept the drift with terraform apply -refresh-only",
            )
            .in_file(report.base.file.clone()));
        }
        // A directory is its files, each an input of the directory's role.
        let hashed = |role: Role, source: &'f Source| -> Vec<PlanInput> {
            let input = |file: &'f Source, directory: Option<&Source>| PlanInput {
                role: role.clone(),
                file: file.name.clone(),
                sha256: Some(hashes.of(&file.text)),
                format: file.format.or(directory.and_then(|d| d.format)),
                directory: directory.map(|d| d.name.clone()),
            };
            if source.is_directory() {
                source
                    .files
                    .iter()
                    .map(|f| input(f, Some(source)))
                    .collect()
            } else {
                vec![input(source, None)]
            }
        };
        let layers: indexmap::IndexMap<String, Vec<String>> = report
            .environments
            .iter()
            .filter(|e| !e.layers.is_empty())
            .map(|e| {
                let present = e.layers.iter().filter(|l| l.present);
                (e.name.clone(), present.map(|l| l.file.clone()).collect())
            })
            .collect();
        let mut inputs = Vec::new();
        // A layered check's base is its base layer; against deployed files, the effective
        // configurations are the base, and the policy only declares them.
        if layers.is_empty()
            || !report
                .environments
                .iter()
                .any(|e| find(&e.file.file).is_ok())
        {
            inputs.extend(hashed(Role::Base, find(&report.base.file)?));
        }
        for e in &report.environments {
            let role = Role::Environment {
                environment: e.name.clone(),
            };
            // An effective configuration is no file: its own layer stands for it.
            let file = match layers.get(&e.name) {
                Some(stack) if find(&e.file.file).is_err() => {
                    stack.last().map_or(e.file.file.as_str(), String::as_str)
                }
                _ => e.file.file.as_str(),
            };
            inputs.extend(hashed(role, find(file)?));
        }
        for file in layers.values().flatten() {
            if !inputs.iter().any(|i| i.file == *file) {
                inputs.extend(hashed(Role::Layer, find(file)?));
            }
        }
        let mut actions: Vec<PlannedAction> = report
            .findings
            .iter()
            .map(|f| {
                let (action, reason) = decisions.for_finding(f);
                PlannedAction {
                    action,
                    reason: match action {
                        Action::Accept => reason.or_else(|| decisions.reason.clone()),
                        _ => None,
                    },
                    needs_approval: f.severity >= decisions.approval_from,
                    finding: f.clone(),
                }
            })
            .collect();
        // Most severe first; the sort is stable, so report order holds within a level.
        actions.sort_by_key(|a| std::cmp::Reverse(a.finding.severity));
        // Recorded even when nothing is accepted yet: an interactive apply may accept later.
        {
            let policy = report
                .policy
                .as_ref()
                .and_then(|p| p.file.clone())
                .or_else(|| decisions.policy_file.clone())
                .unwrap_or_else(|| join_relative(&report.base.file, "driftwise.yaml"));
            let existing = files.iter().find(|f| f.name == policy);
            inputs.push(PlanInput {
                role: Role::Policy,
                sha256: existing.map(|s| hashes.of(&s.text)),
                file: policy,
                format: None,
                directory: None,
            });
        }
        let mut plan = Plan {
            version: PLAN_VERSION,
            inputs,
            actions,
            validation: None,
            layers,
            restores: Vec::new(),
            rendered,
        };
        // A file a plan over directories creates must still not exist when it is applied.
        let created: Vec<PlanInput> = plan
            .creations()
            .map(|(_, created)| PlanInput {
                role: created.role,
                file: created.file,
                sha256: None,
                format: None,
                directory: Some(created.directory),
            })
            .collect();
        for input in created {
            if !plan.inputs.iter().any(|i| i.file == input.file) {
                plan.inputs.push(input);
            }
        }
        Ok(plan)
    }

    /// For a plan over directories: the files an action creates, when its finding is a whole file
    /// (or folder) the side values come from holds and the target's directory lacks, each copied
    /// whole, comments and all, to the same path in the target directory.
    pub(crate) fn created_files(&self, planned: &PlannedAction) -> Vec<CreatedFile> {
        let Some((target, from)) = planned.roles() else {
            return Vec::new();
        };
        let (None, Some(from_side)) = sides(&planned.finding, &target) else {
            return Vec::new();
        };
        let (Some(target_dir), Some(from_dir)) =
            (self.directory_of(&target), self.directory_of(&from))
        else {
            return Vec::new();
        };
        // A whole file is its root; a whole folder is a path in the directory, above its files.
        let copied: Vec<&str> = if from_side.path.is_empty() && from_side.file != from_dir {
            vec![from_side.file.as_str()]
        } else if from_side.file == from_dir && !from_side.path.is_empty() {
            let folder = crate::pointer::split_pointer(&from_side.path).join("/");
            self.inputs
                .iter()
                .filter(|i| i.role == from && i.directory.as_deref() == Some(from_dir))
                .map(|i| i.file.as_str())
                .filter(|file| {
                    crate::parse::relative_name(from_dir, file)
                        .strip_prefix(folder.as_str())
                        .is_some_and(|rest| rest.starts_with('/'))
                })
                .collect()
        } else {
            Vec::new()
        };
        copied
            .into_iter()
            .map(|file| CreatedFile {
                file: format!(
                    "{target_dir}/{}",
                    crate::parse::relative_name(from_dir, file)
                ),
                from: file.to_string(),
                directory: target_dir.to_string(),
                role: target.clone(),
            })
            .collect()
    }

    /// Every file the plan creates, with the action that creates it.
    pub(crate) fn creations(&self) -> impl Iterator<Item = (&PlannedAction, CreatedFile)> {
        self.actions
            .iter()
            .flat_map(|a| self.created_files(a).into_iter().map(move |c| (a, c)))
    }

    /// For a plan over directories: the files an action deletes, when its finding is a whole file
    /// (or folder) of the target's directory that the side values come from lacks. In a
    /// directory of Kubernetes objects that is an object its file holds alone; an object that
    /// shares its file with others is one document taken out of that file instead.
    pub(crate) fn deleted_files(&self, planned: &PlannedAction) -> Vec<String> {
        let Some((target, _)) = planned.roles() else {
            return Vec::new();
        };
        let (Some(target_side), None) = sides(&planned.finding, &target) else {
            return Vec::new();
        };
        let Some(target_dir) = self.directory_of(&target) else {
            return Vec::new();
        };
        let in_target = |file: &str| {
            self.inputs.iter().any(|i| {
                i.role == target
                    && i.file == file
                    && i.sha256.is_some()
                    && i.directory.as_deref() == Some(target_dir)
            })
        };
        if target_side.path.is_empty() && target_side.file != target_dir {
            return if in_target(&target_side.file) {
                vec![target_side.file.clone()]
            } else {
                Vec::new()
            };
        }
        if target_side.file != target_dir || target_side.path.is_empty() {
            return Vec::new();
        }
        // A whole folder: every file of the target's directory below it.
        let folder = crate::pointer::split_pointer(&target_side.path).join("/");
        self.inputs
            .iter()
            .filter(|i| i.sha256.is_some() && in_target(&i.file))
            .filter(|i| {
                crate::parse::relative_name(target_dir, &i.file)
                    .strip_prefix(folder.as_str())
                    .is_some_and(|rest| rest.starts_with('/'))
            })
            .map(|i| i.file.clone())
            .collect()
    }

    /// Every file the plan deletes, with the action that deletes it.
    pub(crate) fn deletions(&self) -> impl Iterator<Item = (&PlannedAction, String)> {
        self.actions
            .iter()
            .flat_map(|a| self.deleted_files(a).into_iter().map(move |f| (a, f)))
    }

    /// A rollback: each of `files` (its name and its text now, `None` when it is gone) put back
    /// as `restores` say. Files already as recorded are left out.
    pub fn restoring(files: &[(String, Option<String>)], restores: Vec<Restore>) -> Plan {
        let mut inputs = Vec::new();
        let mut kept = Vec::new();
        for restore in restores {
            let now = files
                .iter()
                .find(|(name, _)| *name == restore.file)
                .and_then(|(_, text)| text.as_deref());
            let sha256 = now.map(sha256_hex);
            if sha256.as_deref() == Some(restore.sha256.as_str()) {
                continue;
            }
            inputs.push(PlanInput {
                role: Role::Restored,
                file: restore.file.clone(),
                sha256,
                format: None,
                directory: None,
            });
            kept.push(restore);
        }
        Plan {
            version: PLAN_VERSION,
            inputs,
            actions: Vec::new(),
            validation: None,
            layers: Default::default(),
            restores: kept,
            rendered: Vec::new(),
        }
    }

    /// The plan, remembering the validation `request` describes: its schema, rules files, profiles
    /// and variables files as inputs (hashed like the others), its provider, `env`, variables and
    /// `fail_on`. Without any of those the plan is unchanged. What `apply` would write is then
    /// validated first ([`Preview::verdict`](crate::Preview::verdict)).
    pub fn validating(mut self, request: &Request) -> Plan {
        let rules_given =
            request.schema.is_some() || !request.rules.is_empty() || request.provider.is_some();
        if !rules_given {
            return self;
        }
        let ruling = request
            .schema
            .iter()
            .map(|s| (Role::Schema, s))
            .chain(request.rules.iter().map(|s| (Role::Rules, s)))
            .chain(request.profiles.iter().map(|s| (Role::Profile, s)))
            .chain(request.vars.iter().map(|s| (Role::Vars, s)));
        for (role, source) in ruling {
            self.inputs.push(PlanInput {
                role,
                file: source.name.clone(),
                sha256: Some(sha256_hex(&source.text)),
                format: source.format,
                directory: None,
            });
        }
        self.validation = Some(PlanValidation {
            provider: request.provider.clone(),
            env: request.env.clone(),
            values: request.values.clone(),
            fail_on: request.options.fail_on.unwrap_or(Severity::DEFAULT_FAIL_ON),
        });
        self
    }

    /// The files with this role, as inputs name them.
    pub(crate) fn files_with(&self, role: &Role) -> impl Iterator<Item = &str> {
        self.inputs
            .iter()
            .filter(move |i| i.role == *role)
            .map(|i| i.file.as_str())
    }

    /// Reads a plan from its JSON text, refusing other versions and malformed plans with a message
    /// that names `name`.
    pub fn from_json(name: &str, text: &str) -> Result<Plan> {
        let version = serde_json::from_str::<serde_json::Value>(text)
            .ok()
            .and_then(|v| v.get("version").and_then(|v| v.as_u64()));
        if let Some(v) = version {
            supported(v).map_err(|e| e.in_file(name.to_string()))?;
        }
        let plan: Plan = serde_json::from_str(text).map_err(|e| {
            Error::new(ErrorKind::Usage, format!("not a driftwise plan: {e}"))
                .in_file(name.to_string())
                .caused_by(e)
        })?;
        plan.consistent().map_err(|e| e.in_file(name.to_string()))?;
        Ok(plan)
    }

    /// Refuses a plan whose actions name an environment or a file its inputs do not list: it was
    /// edited by hand or damaged, and what it would do cannot be trusted.
    fn consistent(&self) -> Result<()> {
        // A folder on one side only is named by its directory; a template base's values by its
        // renderings, which the plan carries.
        let listed = |file: &str| {
            self.inputs
                .iter()
                .any(|i| i.file == file || i.directory.as_deref() == Some(file))
                || self.rendered.iter().any(|r| r.file == file)
        };
        for (n, a) in self.actions.iter().enumerate() {
            let f = &a.finding;
            let role = Role::Environment {
                environment: f.environment.clone(),
            };
            let stray = if self.file_of(&role).is_none() {
                Some(format!("environment `{}`", f.environment))
            } else {
                [&f.base, &f.env]
                    .into_iter()
                    .flatten()
                    .map(|side| &side.file)
                    .chain(&f.insert_file)
                    .find(|file| !listed(file))
                    .map(|file| format!("file `{file}`"))
            };
            if let Some(stray) = stray {
                return Err(Error::new(
                    ErrorKind::Usage,
                    format!(
                        "action {} names {stray}, which the plan's inputs do not list: the plan was edited or damaged; make a new plan",
                        n + 1
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Refuses sources that differ from what the plan was made from, naming the file. The policy
    /// file is checked only when an action will write to it.
    pub fn verify(&self, sources: &[Source]) -> Result<()> {
        self.verify_hashing(sources, &Hashes::default())
    }

    /// [`verify`](Self::verify), with each text's SHA-256 from `hashes`.
    pub(crate) fn verify_hashing<'f>(
        &self,
        sources: &'f [Source],
        hashes: &Hashes<'f>,
    ) -> Result<()> {
        // Plans handed over as objects (npm, the page) skip `from_json`'s checks.
        supported(u64::from(self.version))?;
        self.consistent()?;
        let accepts = self.actions.iter().any(|a| a.action == Action::Accept);
        let sources = each_file(sources);
        for input in &self.inputs {
            if input.role == Role::Policy && !accepts {
                continue;
            }
            let given = sources.iter().find(|s| s.name == input.file);
            match (&input.sha256, given) {
                // A file that did not exist when the plan was made must still not exist.
                (None, None) => {}
                (None, Some(_)) => {
                    return Err(Error::new(
                        ErrorKind::Changed,
                        "was created since the plan was made; make a new plan",
                    )
                    .in_file(input.file.clone()));
                }
                (Some(_), None) => {
                    return Err(Error::new(
                        ErrorKind::Usage,
                        "the plan names this file but it was not given",
                    )
                    .in_file(input.file.clone()));
                }
                (Some(sha), Some(source)) if hashes.of(&source.text) != *sha => {
                    return Err(Error::new(
                        ErrorKind::Changed,
                        "changed since the plan was made (SHA-256 differs); make a new plan",
                    )
                    .in_file(input.file.clone()));
                }
                (Some(_), Some(_)) => {}
            }
        }
        Ok(())
    }

    /// Whether the plan is over directories: its files are directories' files, and each action
    /// edits the file its finding's side names.
    pub(crate) fn over_directories(&self) -> bool {
        self.inputs.iter().any(|i| i.directory.is_some())
    }

    /// The directory whose files have this role, for a plan over directories.
    pub(crate) fn directory_of(&self, role: &Role) -> Option<&str> {
        self.inputs
            .iter()
            .find(|i| i.role == *role)
            .and_then(|i| i.directory.as_deref())
    }

    /// The file with this role (for a directory, its first file).
    pub fn file_of(&self, role: &Role) -> Option<&str> {
        self.inputs
            .iter()
            .find(|i| i.role == *role)
            .map(|i| i.file.as_str())
    }

    /// The policy the plan was made under, read from `files` (its recorded policy file; the
    /// default policy when it records none or the file is not among them). What is shown of the
    /// plan's preview is masked with it ([`Preview::masked`](crate::Preview::masked)).
    pub fn policy(&self, files: &[Source]) -> Result<Policy> {
        let recorded = match self.file_of(&Role::Policy) {
            Some(name) => crate::request::find_file(files, name)?,
            None => None,
        };
        match recorded {
            Some(source) => Policy::from_source(source),
            None => Ok(Policy::default()),
        }
    }

    /// The files the plan reads: every input that existed when it was made.
    pub fn files(&self) -> impl Iterator<Item = &str> {
        self.inputs
            .iter()
            .filter(|i| i.sha256.is_some())
            .map(|i| i.file.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_borrowed_text_is_hashed_once_and_other_bytes_anew() {
        let text = String::from("a: 1\n");
        let copy = text.clone();
        let hashes = Hashes::default();
        assert_eq!(hashes.of(&text), sha256_hex(&text));
        assert_eq!(hashes.of(&text), sha256_hex(&text));
        assert_eq!(
            hashes.known.borrow().len(),
            1,
            "the same text is hashed once"
        );
        // The same bytes elsewhere, and a shorter text at the same place, are other texts.
        assert_eq!(hashes.of(&copy), sha256_hex(&text));
        assert_eq!(hashes.of(&text[..2]), sha256_hex("a:"));
        assert_eq!(hashes.known.borrow().len(), 3);
    }

    #[test]
    fn a_fresh_plan_hashes_each_file_once() {
        let base = Source::new("base.yaml", "a: 1\nb: 2\n");
        let env = Source::new("prod.yaml", "a: 1\nb: 3\n");
        let request = Request::new(
            base.clone(),
            vec![crate::Environment::new("prod", env.clone())],
        );
        let report = crate::run(&request).unwrap().report;
        let files = [base, env];
        let hashes = Hashes::default();
        let plan = Plan::hashing(&report, &files, &Decisions::default(), &hashes).unwrap();
        assert_eq!(hashes.known.borrow().len(), 2);
        plan.verify_hashing(&files, &hashes).unwrap();
        assert_eq!(
            hashes.known.borrow().len(),
            2,
            "verified without hashing again"
        );
        // A text that is not the one hashed is hashed, and refused when it differs.
        let changed = [files[0].clone(), Source::new("prod.yaml", "a: 1\nb: 4\n")];
        let err = plan
            .verify_hashing(&changed, &Hashes::default())
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::Changed);
    }

    #[test]
    fn roles_are_typed_so_environments_may_be_called_anything() {
        let inputs = vec![
            PlanInput {
                role: Role::Base,
                file: "b.yaml".into(),
                sha256: Some("x".into()),
                format: None,
                directory: None,
            },
            PlanInput {
                role: Role::Environment {
                    environment: "policy".into(),
                },
                file: "p.yaml".into(),
                sha256: Some("y".into()),
                format: None,
                directory: None,
            },
            PlanInput {
                role: Role::Policy,
                file: "driftwise.yaml".into(),
                sha256: None,
                format: None,
                directory: None,
            },
        ];
        let json = serde_json::to_value(&inputs).unwrap();
        assert_eq!(
            json,
            serde_json::json!([
                {"role": "base", "file": "b.yaml", "sha256": "x"},
                {"role": "environment", "environment": "policy", "file": "p.yaml", "sha256": "y"},
                {"role": "policy", "file": "driftwise.yaml", "sha256": null}
            ])
        );
        let back: Vec<PlanInput> = serde_json::from_value(json).unwrap();
        assert_eq!(back, inputs);
        let plan = Plan {
            version: PLAN_VERSION,
            inputs,
            actions: vec![],
            validation: None,
            layers: Default::default(),
            restores: Vec::new(),
            rendered: Vec::new(),
        };
        assert_eq!(plan.file_of(&Role::Policy), Some("driftwise.yaml"));
        assert_eq!(
            plan.file_of(&Role::Environment {
                environment: "policy".into()
            }),
            Some("p.yaml")
        );
    }

    #[test]
    fn old_plans_are_refused_by_version() {
        let err = Plan::from_json(
            "plan.json",
            r#"{"version": 1, "inputs": [], "actions": []}"#,
        )
        .unwrap_err();
        assert!(err.message.contains("version 1"), "{err}");
        assert!(Plan::from_json("plan.json", "{").is_err());
    }
}
