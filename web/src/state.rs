//! The page's state and how each user action changes it. No browser types and no views here: the
//! component in `app.rs` holds a [`State`], hands it [`Change`]s and carries out the [`Effect`]s it
//! asks for (a check in a worker, a scroll); the views read it. The page state becomes the engine's
//! request in one place, [`State::request`].

use crate::examples::EXAMPLES;
use crate::model::{
    Filter, LoadedFile, Role, SourceText, detect_base, is_policy_file, unique_env_names,
};
use crate::worker::{
    CheckRequest, CheckUpdate, ExplainRequest, LayerRequest, LayerView, PlanRequest, Planned,
    RuleRequest, Settings, SettingsRequest, Task, VerdictRequest,
};
use driftwise_engine::{
    Action, Base, Decision, Decisions, Environment, Explanation, Kind, Options, Outcome, Plan,
    Preview, Report, Request, Severity, Source, Verdict, is_template_name,
};
use std::collections::HashMap;
use std::rc::Rc;

/// What "Write a policy…" starts from: every section, commented, so it can be filled in.
pub const POLICY_TEMPLATE: &str = "# driftwise policy: see schemas/policy.v1.schema.json\nexpected: []\n  # - path: /database/host\n  #   reason: one database per environment\nignore: []\n  # - path: /metadata/generated_at\nseverity: []\n  # - path: /database/**\n  #   level: high\nfail_on: low\n";

/// What a new variables file starts from.
pub const VARS_TEMPLATE: &str = "# Template variables: common values, then per provider and per environment.\napp: shop\nproviders:\n  aws: {region: us-east-1}\nenvironments:\n  prod: {replicas: 3}\n";

/// What the status line shows while the engine works.
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    pub step: usize,
    pub steps: usize,
    /// The file being read; `None` while comparing.
    pub file: Option<String>,
}

/// The loaded policy: the text the report was computed with, and the editor's draft.
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyState {
    pub name: String,
    pub applied: String,
    pub draft: String,
}

/// The paste dialog's fields.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PasteState {
    pub name: String,
    pub text: String,
}

/// What the paste dialog asks for.
pub enum PasteAction {
    Open,
    Cancel,
    Add,
    Name(String),
    Text(String),
}

/// A download the plan view offers.
#[derive(Clone, Debug, PartialEq)]
pub enum Download {
    UnifiedDiff,
    JsonPatch,
    MergePatch,
    /// The network device commands that carry out the reverts.
    Commands,
    /// The device commands that undo them.
    Rollback,
    /// One reconciled file, by name.
    File(String),
    Plan,
}

/// The plan for the current report and choices, with every patch it makes.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanState {
    pub plan: Plan,
    /// What the page shows and downloads: masked unless secrets are revealed.
    pub preview: Preview,
    /// Validate before write, for plans made with rules (a schema, rules files, a provider).
    pub verdict: VerdictState,
}

/// What the plan's change does to validity, as `driftwise apply --check` would say.
#[derive(Clone, Debug, PartialEq)]
pub enum VerdictState {
    /// No rules were given: nothing to validate.
    NoRules,
    /// Asked of the desired-state worker.
    Pending,
    Done(Verdict),
    Failed(String),
}

/// A user action, or news from the engine.
pub enum Change {
    AddFiles(Vec<LoadedFile>, Vec<String>),
    /// Write a policy rule from finding `index`: (section, reason, for every environment).
    MakeRule(usize, String, String, bool),
    /// Compare two snapshots of the opened bundle (from, to).
    CompareSnapshots(String, String),
    LoadExample(usize),
    SetBase(usize),
    RenameEnvironment(usize, String),
    RemoveFile(usize),
    ClearFiles,
    Update(CheckUpdate),
    FilterEnvironment(Option<String>),
    ToggleKind(Kind),
    Search(String),
    Select(usize),
    Step(isize),
    Paste(PasteAction),
    Dragging(bool),
    PolicyDraft(String),
    ApplyPolicy,
    NewPolicy,
    RemovePolicy,
    UnexpectedOnly(bool),
    MinSeverity(Severity),
    /// The resolution chosen for one finding.
    SetAction(usize, Action),
    /// Why a finding is accepted (recorded with the expected rule).
    SetReason(usize, String),
    /// The same resolution for every finding of an environment (all when `None`) from a severity up.
    BulkAction(Option<String>, Severity, Action),
    /// The provider whose profile renders templates and validates (none: no provider rules).
    SetProvider(Option<String>),
    /// What a loaded file is for.
    SetRole(usize, Role),
    /// Show secret values as they are (`true`), or masked.
    RevealSecrets(bool),
    /// The order of the findings list.
    SortBy(crate::model::Sort),
    /// Take the view an address names (`#example=1&env=prod&finding=...`).
    ApplyView(String),
    /// Turn the Kubernetes preset on: what the API server adds to live objects is not drift.
    KubernetesPreset(bool),
    /// New text for the variables file.
    SetVars(String),
    NewVars,
    SelectViolation(usize),
    /// A value of the layer view picked: what did it override?
    PickLayerValue(String),
}

/// What the component must do after a change.
#[derive(Debug, PartialEq)]
pub enum Effect {
    /// Run a check (in a worker).
    Check(Box<CheckRequest>),
    /// Validate what the plan would write (in the desired-state worker).
    Verdict(Box<VerdictRequest>),
    /// Scroll the element with this id into view.
    ScrollTo(String),
    /// A finding was picked: where the detail is below the list (one column), bring it into view.
    ShowDetail,
    /// Make the plan (in a worker): the report shows first, the plan when the worker has it.
    Plan(Box<PlanRequest>),
    /// Anything else only a worker can answer (the page does not read settings files).
    Ask(Task),
}

/// What the plan pane says in the moment between the report showing and its plan.
pub const MAKING_PLAN: &str = "Making the plan…";

/// An opened snapshot bundle: every snapshot with its audit entry (who, when, why, tags), and
/// whether the bundle and its audit trail verify.
#[derive(Clone, Debug, PartialEq)]
pub struct SnapshotsState {
    pub name: String,
    pub bundle: driftwise_engine::Bundle,
    /// The audit entries, or why the trail does not hold (naming the entry).
    pub audit: Result<Vec<driftwise_engine::AuditEntry>, String>,
    /// Why the snapshots themselves do not verify (a text that does not match its hash), if so.
    pub broken: Option<String>,
}

impl SnapshotsState {
    fn open(name: &str, text: &str) -> Option<SnapshotsState> {
        let bundle: driftwise_engine::Bundle = serde_json::from_str(text).ok()?;
        let audit = driftwise_engine::verify_audit(&bundle.audit).map_err(|e| e.to_string());
        let broken = match bundle.verify() {
            Err(e) if audit.is_ok() => Some(e.to_string()),
            _ => None,
        };
        Some(SnapshotsState {
            name: name.to_string(),
            bundle,
            audit,
            broken,
        })
    }

    /// The snapshots newest first, each with the audit entry that recorded it last.
    pub fn rows(&self) -> Vec<(String, Option<driftwise_engine::AuditEntry>)> {
        let entries = self.audit.as_ref().ok();
        let mut rows: Vec<(String, Option<driftwise_engine::AuditEntry>)> = self
            .bundle
            .snapshots
            .iter()
            .map(|s| {
                let entry = entries.and_then(|es| {
                    es.iter()
                        .rev()
                        .find(|e| {
                            e.action == driftwise_engine::AuditAction::Snapshot
                                && e.ids.first() == Some(&s.id)
                        })
                        .cloned()
                });
                (s.id.clone(), entry)
            })
            .collect();
        rows.sort_by(|a, b| {
            let seq = |r: &(String, Option<driftwise_engine::AuditEntry>)| {
                r.1.as_ref().map_or(0, |e| e.seq)
            };
            seq(b).cmp(&seq(a))
        });
        rows
    }
}

/// Today's date by the browser's clock (expected rules' `expires` are judged against it); none
/// outside a browser.
fn today() -> Option<String> {
    #[cfg(target_arch = "wasm32")]
    {
        let d = js_sys::Date::new_0();
        Some(format!(
            "{:04}-{:02}-{:02}",
            d.get_full_year(),
            d.get_month() + 1,
            d.get_date()
        ))
    }
    #[cfg(not(target_arch = "wasm32"))]
    None
}

/// Everything the page shows.
pub struct State {
    /// Inputs that could not be read: each an error card; the report covers the rest.
    pub failed: Vec<driftwise_engine::FailedInput>,
    /// An opened snapshot bundle: its snapshots and audit trail.
    pub snapshots: Option<Rc<SnapshotsState>>,
    /// The two snapshots being compared (from, to).
    pub comparing: Option<(String, String)>,
    /// What the worker read of the settings files, and the request it answers.
    pub settings: Rc<Settings>,
    settings_for: Option<SettingsRequest>,
    /// The settings last asked for (answered or not), and the id of that ask.
    settings_asked: Option<SettingsRequest>,
    settings_request: u32,
    /// A layered policy's check waits for the worker to say which files its layers name.
    check_waits: bool,
    /// The last "make a rule from this finding" asked for.
    rule_request: u32,
    /// The selected finding's explanation, by the report shown and the finding's index.
    explained: Option<((u32, usize), Rc<Explanation>)>,
    explain_asked: Option<(u32, usize)>,
    explain_request: u32,
    /// For a finding of a layered report: its environment's layers, by report and index.
    layer_view: Option<((u32, usize), Rc<LayerView>)>,
    layer_asked: Option<(u32, usize)>,
    layer_request: u32,
    /// A value of the layer view picked to see what it overrode: its pointer and history.
    pub layer_pick: Option<(String, Option<driftwise_engine::ValueHistory>)>,
    pick_request: u32,
    /// How many reports have been shown: names the report the answers above are for.
    shown: u32,
    /// The ids given to asks of the worker, one sequence for every kind.
    asks: u32,
    pub files: Vec<LoadedFile>,
    pub base: Option<usize>,
    pub report: Option<Rc<Report>>,
    /// The texts the report was computed from, by file name (renderings of a template base too),
    /// with where their secret values are.
    pub texts: Rc<HashMap<String, SourceText>>,
    /// Show secret values as they are (the explicit switch); masked everywhere otherwise.
    pub reveal_secrets: bool,
    /// The `kubernetes` preset is on (`--preset kubernetes`).
    pub kubernetes_preset: bool,
    /// Whether a loaded configuration holds Kubernetes objects.
    kubernetes_files: bool,
    /// The example loaded, while the files are still its files (for the address).
    pub example: Option<usize>,
    /// A finding the address names (`environment`, keyed path), selected when a report has it.
    wanted: Option<(String, String)>,
    /// The check under way only shows or hides secrets: the same findings, so the resolutions
    /// chosen stay.
    keep_choices: bool,
    /// The latest verdict asked for; older answers are ignored.
    verdict_request: u32,
    /// The id of the last plan asked of the worker; older answers are dropped.
    plan_request: u32,
    /// The Kubernetes object each environment's file is, when it is one: for explanations.
    objects: std::collections::BTreeMap<String, String>,
    /// Each Kubernetes object's API group, for rules with `group`.
    groups: std::collections::BTreeMap<String, String>,
    pub errors: Vec<String>,
    pub progress: Option<Progress>,
    pub filter: Filter,
    pub visible: Rc<Vec<usize>>,
    pub selected: Option<usize>,
    /// The latest check sent; answers to older ones are ignored.
    pub request: u32,
    pub paste: Option<PasteState>,
    pub dragging: bool,
    pub policy: Option<PolicyState>,
    /// Resolutions the user chose, by finding index (the rest take the defaults), with the reason
    /// given for an accept.
    pub chosen: HashMap<usize, (Action, Option<String>)>,
    pub plan: Rc<Result<PlanState, String>>,
    pub provider: Option<String>,
    /// The validation finding shown in the detail pane, instead of a drift finding.
    pub selected_violation: Option<usize>,
}

impl Default for State {
    fn default() -> Self {
        State {
            failed: Vec::new(),
            snapshots: None,
            comparing: None,
            settings: Rc::default(),
            settings_for: None,
            settings_asked: None,
            settings_request: 0,
            check_waits: false,
            rule_request: 0,
            explained: None,
            explain_asked: None,
            explain_request: 0,
            layer_view: None,
            layer_asked: None,
            layer_request: 0,
            layer_pick: None,
            pick_request: 0,
            shown: 0,
            asks: 0,
            files: Vec::new(),
            base: None,
            report: None,
            texts: Rc::default(),
            reveal_secrets: false,
            kubernetes_preset: false,
            kubernetes_files: false,
            example: None,
            wanted: None,
            keep_choices: false,
            verdict_request: 0,
            plan_request: 0,
            objects: Default::default(),
            groups: Default::default(),
            errors: Vec::new(),
            progress: None,
            filter: Filter::default(),
            visible: Rc::default(),
            selected: None,
            request: 0,
            paste: None,
            dragging: false,
            policy: None,
            chosen: HashMap::new(),
            plan: Rc::new(Err("no report yet".into())),
            provider: None,
            selected_violation: None,
        }
    }
}

impl State {
    /// Applies a change; returns whether the page must be drawn again, and what to do.
    pub fn update(&mut self, change: Change) -> (bool, Vec<Effect>) {
        let (redraw, mut effects) = self.apply(change);
        let asks = self.follow_up();
        let asked = !asks.is_empty();
        effects.extend(asks);
        (redraw || asked, effects)
    }

    /// What the page now shows that only a worker can read, asked for when it changed: the
    /// settings files' facts, the selected finding's explanation and, in a layered report, its
    /// layers.
    fn follow_up(&mut self) -> Vec<Effect> {
        let mut asks = Vec::new();
        let settings = self.settings_wanted();
        if settings == SettingsRequest::default() {
            // Nothing to read: no need to ask.
            if self.settings_for.as_ref() != Some(&settings) {
                self.settings = Rc::default();
                self.settings_for = Some(settings.clone());
                self.settings_asked = Some(settings);
                self.settings_request = 0;
            }
        } else if self.settings_asked.as_ref() != Some(&settings) {
            self.settings_request = self.next_ask();
            self.settings_asked = Some(settings.clone());
            asks.push(Effect::Ask(Task::Settings(
                self.settings_request,
                Box::new(settings),
            )));
        }
        // The report's pointer, not a borrow of the state: the asks below take new ids.
        let report = self.report.clone();
        let selected = report
            .as_ref()
            .zip(self.selected)
            .filter(|(r, i)| *i < r.findings.len());
        let key = selected.map(|(_, i)| (self.shown, i));
        if key != self.explain_asked {
            self.explain_asked = key;
            if let Some((report, i)) = selected {
                let request = self.policy_request();
                let f = report.findings[i].clone();
                self.explain_request = self.next_ask();
                asks.push(Effect::Ask(Task::Explain(Box::new(ExplainRequest {
                    id: self.explain_request,
                    request,
                    object: self.objects.get(&f.environment).cloned(),
                    finding: f,
                    groups: self.groups.clone(),
                }))));
            }
        }
        let layered = selected.filter(|(r, _)| self.report_is_layered(r));
        let key = layered.map(|(_, i)| (self.shown, i));
        if key != self.layer_asked {
            self.layer_asked = key;
            self.layer_pick = None;
            if let Some(((report, i), request)) = layered.zip(self.request()) {
                let f = &report.findings[i];
                self.layer_request = self.next_ask();
                asks.push(Effect::Ask(Task::Layer(Box::new(LayerRequest {
                    id: self.layer_request,
                    request,
                    environment: f.environment.clone(),
                    pointer: f.path.clone(),
                    provenance: true,
                }))));
            }
        }
        asks
    }

    /// A new id for an ask of the worker (one sequence for every kind).
    fn next_ask(&mut self) -> u32 {
        self.asks = self.asks.wrapping_add(1);
        self.asks
    }

    /// The policy as applied (not the editor's draft), as the engine reads it.
    fn applied_policy(&self) -> Option<Source> {
        self.policy
            .as_ref()
            .map(|p| Source::new(p.name.clone(), p.applied.clone()))
    }

    /// What the settings facts must answer for the page as it is.
    fn settings_wanted(&self) -> SettingsRequest {
        SettingsRequest {
            profiles: self
                .file_with(Role::Profile)
                .map(|f| Source::new(f.name.clone(), f.text.to_string()))
                .collect(),
            draft: self
                .policy
                .as_ref()
                .map(|p| Source::new(p.name.clone(), p.draft.clone())),
            layered: self.layer_probe(),
        }
    }

    /// Why the policy being typed would not load, once the worker has read this draft.
    pub fn draft_error(&self) -> Option<&driftwise_engine::Error> {
        let draft = &self.policy.as_ref()?.draft;
        let read = self.settings_for.as_ref()?.draft.as_ref()?;
        (&read.text == draft)
            .then_some(self.settings.draft_error.as_ref())
            .flatten()
    }

    fn apply(&mut self, change: Change) -> (bool, Vec<Effect>) {
        let mut effects = Vec::new();
        match change {
            Change::AddFiles(files, errors) => {
                self.errors = errors;
                let had_base = self.base.is_some();
                let files = self.take_bundles(files);
                if files.is_empty() && self.snapshots.is_some() {
                    return (true, effects);
                }
                self.comparing = None;
                let files = self.take_policy(files);
                self.files.extend(files);
                if !had_base || self.base.is_some_and(|b| b >= self.files.len()) {
                    self.base = detect_base(&self.files);
                }
                effects.extend(self.files_changed());
            }
            Change::LoadExample(i) => {
                let Some(example) = EXAMPLES.get(i) else {
                    return (false, effects);
                };
                self.policy = None;
                self.comparing = None;
                let files = example
                    .files
                    .iter()
                    .chain(example.policy.iter())
                    .map(|(n, t)| LoadedFile::new(*n, *t))
                    .collect();
                self.files = self.take_policy(files);
                self.base = detect_base(&self.files);
                self.provider = example.provider.map(str::to_string);
                self.errors.clear();
                self.filter = Filter::default();
                effects.extend(self.files_changed());
                self.example = Some(i);
            }
            Change::SetBase(i) => {
                self.base = Some(i);
                effects.extend(self.files_changed());
            }
            Change::RenameEnvironment(i, name) => {
                if let Some(f) = self.files.get_mut(i) {
                    f.env_name = name;
                }
                effects.extend(self.files_changed());
            }
            Change::RemoveFile(i) => {
                if i < self.files.len() {
                    self.files.remove(i);
                    self.base = match self.base {
                        Some(b) if b == i => detect_base(&self.files),
                        Some(b) if b > i => Some(b - 1),
                        other => other,
                    };
                    effects.extend(self.files_changed());
                }
            }
            Change::MakeRule(index, section, reason, all) => {
                let Some(f) = self.report.as_ref().and_then(|r| r.findings.get(index)) else {
                    return (false, effects);
                };
                let mut rule = serde_json::Map::new();
                rule.insert("path".into(), serde_json::json!(f.keyed_path_or_root()));
                if !all {
                    rule.insert("envs".into(), serde_json::json!([f.environment]));
                }
                if !reason.trim().is_empty() || section == "expected" {
                    rule.insert("reason".into(), serde_json::json!(reason.trim()));
                }
                let current = self
                    .applied_policy()
                    .unwrap_or_else(|| Source::new("driftwise.yaml", ""));
                self.rule_request = self.next_ask();
                effects.push(Effect::Ask(Task::Rule(Box::new(RuleRequest {
                    id: self.rule_request,
                    policy: current,
                    section,
                    rule: serde_json::Value::Object(rule),
                }))));
            }
            Change::Update(CheckUpdate::Rule { id, policy, result }) => {
                if id != self.rule_request {
                    return (false, effects);
                }
                match result {
                    Ok(text) => {
                        self.policy = Some(PolicyState {
                            name: policy,
                            applied: text.clone(),
                            draft: text,
                        });
                        self.errors.clear();
                        effects.extend(self.files_changed());
                    }
                    Err(e) => self.errors.push(e.to_string()),
                }
            }
            Change::Update(CheckUpdate::Settings { id, settings }) => {
                if id != self.settings_request {
                    return (false, effects);
                }
                self.settings = Rc::new(*settings);
                self.settings_for = self.settings_asked.clone();
                if std::mem::take(&mut self.check_waits) {
                    effects.extend(self.start_check());
                }
            }
            Change::Update(CheckUpdate::Explained { id, explanation }) => {
                if id != self.explain_request {
                    return (false, effects);
                }
                self.explained = self
                    .explain_asked
                    .zip(explanation)
                    .map(|(key, e)| (key, Rc::new(*e)));
            }
            Change::Update(CheckUpdate::Layer { id, view }) => {
                if id == self.layer_request {
                    self.layer_view = self
                        .layer_asked
                        .zip(view)
                        .map(|(key, v)| (key, Rc::new(*v)));
                } else if id == self.pick_request {
                    // A value with no history (the estate no longer reads) shows nothing.
                    let history = view.and_then(|v| v.history);
                    self.layer_pick = self
                        .layer_pick
                        .take()
                        .zip(history)
                        .map(|((pointer, _), h)| (pointer, Some(h)));
                } else {
                    return (false, effects);
                }
            }
            Change::PickLayerValue(pointer) => {
                let Some(((_, i), view)) = &self.layer_view else {
                    return (false, effects);
                };
                let (environment, i) = (view.environment.clone(), *i);
                let Some(request) = self.request() else {
                    return (false, effects);
                };
                if self.report.as_ref().is_none_or(|r| i >= r.findings.len()) {
                    return (false, effects);
                }
                self.pick_request = self.next_ask();
                self.layer_pick = Some((pointer.clone(), None));
                effects.push(Effect::Ask(Task::Layer(Box::new(LayerRequest {
                    id: self.pick_request,
                    request,
                    environment,
                    pointer,
                    provenance: false,
                }))));
            }
            Change::CompareSnapshots(from, to) => {
                self.comparing = Some((from, to));
                effects.extend(self.files_changed());
            }
            Change::ClearFiles => {
                self.comparing = None;
                self.snapshots = None;
                self.files.clear();
                self.base = None;
                self.errors.clear();
                effects.extend(self.files_changed());
            }
            Change::Update(CheckUpdate::Planned { id, result }) => {
                if id != self.plan_request {
                    return (false, effects);
                }
                effects.extend(self.planned(result));
            }
            Change::Update(CheckUpdate::Verdict { id, result }) => {
                if id != self.verdict_request {
                    return (false, effects);
                }
                if let Ok(state) = Rc::make_mut(&mut self.plan) {
                    state.verdict = match result {
                        Ok(verdict) => VerdictState::Done(verdict),
                        Err(e) => VerdictState::Failed(e.to_string()),
                    };
                }
            }
            Change::Update(update) => {
                if update.id() != self.request {
                    return (false, effects);
                }
                effects.extend(self.finish(update));
            }
            Change::FilterEnvironment(env) => {
                self.filter.environment = env;
                self.refilter();
            }
            Change::ToggleKind(kind) => {
                if let Some(pos) = self.filter.kinds.iter().position(|k| *k == kind) {
                    self.filter.kinds.remove(pos);
                } else {
                    self.filter.kinds.push(kind);
                }
                self.refilter();
            }
            Change::Search(text) => {
                self.filter.search = text;
                self.refilter();
            }
            Change::Select(i) => {
                self.selected = Some(i);
                self.selected_violation = None;
                effects.push(Effect::ShowDetail);
            }
            Change::SelectViolation(i) => self.selected_violation = Some(i),
            Change::SetProvider(provider) => {
                self.provider = provider;
                effects.extend(self.files_changed());
            }
            Change::RevealSecrets(reveal) => {
                self.reveal_secrets = reveal;
                effects.extend(self.files_changed());
                self.keep_choices = true;
            }
            Change::KubernetesPreset(on) => {
                self.kubernetes_preset = on;
                effects.extend(self.files_changed());
            }
            Change::SetRole(i, role) => {
                // A folder is only ever configurations; its files' roles are the engine's to tell.
                if let Some(f) = self.files.get_mut(i).filter(|f| !f.is_folder()) {
                    f.role = role;
                }
                if self
                    .base
                    .is_none_or(|b| self.files.get(b).is_none_or(|f| f.role != Role::Config))
                {
                    self.base = detect_base(&self.files);
                }
                effects.extend(self.files_changed());
            }
            Change::SetVars(text) => {
                if let Some(f) = self.files.iter_mut().find(|f| f.role == Role::Vars) {
                    f.text = text.into();
                }
                effects.extend(self.files_changed());
            }
            Change::NewVars => {
                let mut vars = LoadedFile::new("vars.yaml", VARS_TEMPLATE);
                vars.role = Role::Vars;
                self.files.push(vars);
                effects.extend(self.files_changed());
            }
            Change::Step(delta) => {
                if self.visible.is_empty() {
                    return (false, effects);
                }
                let at = self
                    .selected
                    .and_then(|s| self.visible.iter().position(|v| *v == s));
                let next = match at {
                    None => 0,
                    Some(p) => {
                        (p as isize + delta).clamp(0, self.visible.len() as isize - 1) as usize
                    }
                };
                self.selected = Some(self.visible[next]);
                effects.push(Effect::ScrollTo(format!("finding-{}", self.visible[next])));
            }
            Change::Paste(action) => match action {
                PasteAction::Open => self.paste = Some(PasteState::default()),
                PasteAction::Cancel => self.paste = None,
                PasteAction::Name(n) => {
                    if let Some(p) = &mut self.paste {
                        p.name = n;
                    }
                }
                PasteAction::Text(t) => {
                    if let Some(p) = &mut self.paste {
                        p.text = t;
                    }
                }
                PasteAction::Add => {
                    if let Some(p) = self.paste.take() {
                        let name = if p.name.trim().is_empty() {
                            "pasted.yaml".to_string()
                        } else {
                            p.name.trim().to_string()
                        };
                        let file = LoadedFile::new(name, p.text);
                        return self.update(Change::AddFiles(vec![file], Vec::new()));
                    }
                }
            },
            Change::Dragging(on) => {
                if self.dragging == on {
                    return (false, effects);
                }
                self.dragging = on;
            }
            Change::PolicyDraft(text) => {
                if let Some(p) = &mut self.policy {
                    p.draft = text;
                }
            }
            Change::ApplyPolicy => {
                if let Some(p) = &mut self.policy {
                    p.applied = p.draft.clone();
                }
                self.errors.clear();
                effects.extend(self.files_changed());
            }
            Change::NewPolicy => {
                let text = POLICY_TEMPLATE.to_string();
                self.policy = Some(PolicyState {
                    name: "driftwise.yaml".into(),
                    applied: text.clone(),
                    draft: text,
                });
                effects.extend(self.files_changed());
            }
            Change::RemovePolicy => {
                self.policy = None;
                self.errors.clear();
                effects.extend(self.files_changed());
            }
            Change::SetAction(i, action) => {
                let reason = self.chosen.get(&i).and_then(|(_, r)| r.clone());
                self.chosen.insert(i, (action, reason));
                effects.extend(self.replan());
            }
            Change::SetReason(i, reason) => {
                let action = self
                    .report
                    .as_ref()
                    .map(|r| self.action_of(r, i))
                    .unwrap_or(Action::Accept);
                let reason = Some(reason).filter(|r| !r.trim().is_empty());
                self.chosen.insert(i, (action, reason));
                effects.extend(self.replan());
            }
            Change::BulkAction(environment, level, action) => {
                if let Some(report) = &self.report {
                    for (i, f) in report.findings.iter().enumerate() {
                        if environment.as_ref().is_none_or(|e| *e == f.environment)
                            && f.severity >= level
                        {
                            let reason = self.chosen.get(&i).and_then(|(_, r)| r.clone());
                            self.chosen.insert(i, (action, reason));
                        }
                    }
                }
                effects.extend(self.replan());
            }
            Change::UnexpectedOnly(on) => {
                self.filter.unexpected_only = on;
                self.refilter();
            }
            Change::MinSeverity(level) => {
                self.filter.min_severity = level;
                self.refilter();
            }
            Change::ApplyView(hash) => {
                if let Some(example) = State::example_in(&hash) {
                    let (_, loaded) = self.update(Change::LoadExample(example));
                    effects.extend(loaded);
                }
                self.apply_view_hash(&hash);
                self.refilter();
            }
            Change::SortBy(sort) => {
                self.filter.sort = sort;
                self.refilter();
            }
        }
        (true, effects)
    }

    /// The engine's request for the page as it is: the one mapping from loaded files, their roles,
    /// the policy editor and the provider picker to what the engine checks. `None` until there is a
    /// base and an environment.
    pub fn request(&self) -> Option<Request> {
        if let Some(compared) = self.snapshot_request() {
            return Some(compared);
        }
        if let Some(layered) = self.layered_request() {
            return Some(layered);
        }
        let base = self
            .files
            .get(self.base?)
            .filter(|f| f.role == Role::Config)?;
        let source = LoadedFile::source;
        let with_role = |role: Role| self.files.iter().filter(move |f| f.role == role);
        let environments: Vec<Environment> = self
            .files
            .iter()
            .enumerate()
            .filter(|(i, f)| Some(*i) != self.base && f.role == Role::Config)
            .map(|(_, f)| Environment::new(f.env_name.clone(), source(f)))
            .collect();
        // A Terraform plan dropped alone is compared with itself: drift outside Terraform, and
        // what apply would change.
        let terraform_plan = base.text.contains("\"terraform_version\"");
        if environments.is_empty() && !terraform_plan {
            return None;
        }
        let policy = self.policy_request();
        Some(Request {
            base: Some(if is_template_name(&base.name) {
                Base::Template {
                    template: source(base),
                }
            } else {
                Base::File(source(base))
            }),
            environments,
            provider: self.provider.clone(),
            profiles: with_role(Role::Profile).map(source).collect(),
            vars: with_role(Role::Vars).map(source).collect(),
            schema: with_role(Role::Schema).next().map(source),
            rules: with_role(Role::Rules).map(source).collect(),
            options: Options {
                include_planned: terraform_plan,
                keep_going: true,
                ..policy.options.clone()
            },
            ..policy
        })
    }

    /// Two snapshots of the opened bundle compared, as `driftwise diff FROM TO`, under the policy
    /// in the editor.
    fn snapshot_request(&self) -> Option<Request> {
        let (from, to) = self.comparing.as_ref()?;
        let bundle = &self.snapshots.as_ref()?.bundle;
        let from_id = bundle.snapshot(from).ok()?.id.clone();
        let mut request = driftwise_engine::diff_request(
            &from_id,
            &bundle.files(from).ok()?,
            &bundle.files(to).ok()?,
        );
        request.policy = self.applied_policy();
        request.options.today = today();
        Some(request)
    }

    /// The options that decide how the policy classifies: secrets shown or not, presets, today.
    fn policy_options(&self) -> Options {
        Options {
            reveal_secrets: self.reveal_secrets,
            presets: if self.kubernetes_preset {
                vec!["kubernetes".to_string()]
            } else {
                Vec::new()
            },
            today: today(),
            ..Options::default()
        }
    }

    /// What the policy needs of the request: the policy, the files it may name and its options.
    /// A finding is explained with this alone (the configurations may be large, and would travel
    /// to the worker on every pick); [`request`](Self::request) builds on it.
    fn policy_request(&self) -> Request {
        let with_role = |role: Role| {
            self.files
                .iter()
                .filter(move |f| f.role == role)
                .map(LoadedFile::source)
        };
        let argocd: Vec<Source> = with_role(Role::ArgoCd).collect();
        Request {
            policy: self.applied_policy(),
            // Dropped Argo CD applications apply whether or not the policy names them; the engine
            // imports one the policy names only once. Included policies are found among the files
            // by the names the policy gives them.
            files: argocd
                .iter()
                .cloned()
                .chain(with_role(Role::IncludedPolicy))
                .collect(),
            argocd,
            options: self.policy_options(),
            ..Request::default()
        }
    }

    /// When the policy declares layers: the layered check of its environments against the base
    /// layer, every loaded configuration a candidate layer (found by the names the policy gives).
    fn layered_request(&self) -> Option<Request> {
        let policy = self.policy.as_ref()?;
        let source = LoadedFile::source;
        // Only while the files are the layers' (a policy left over from the layers example does
        // not turn another base.yaml into a layer): every required layer is loaded.
        let named = self.layer_files()?;
        let loaded = |n: &str| {
            self.files.iter().any(|f| {
                f.role == Role::Config
                    && (f.name == n
                        || n.ends_with(&format!("/{}", f.name))
                        || f.name.ends_with(&format!("/{n}")))
            })
        };
        if !named.iter().all(|(n, optional)| *optional || loaded(n)) {
            return None;
        }
        Some(Request {
            base: Some(Base::Layers {
                layers: Default::default(),
            }),
            policy: Some(Source::new(policy.name.clone(), policy.applied.clone())),
            files: self
                .files
                .iter()
                .filter(|f| matches!(f.role, Role::Config | Role::ArgoCd | Role::IncludedPolicy))
                .map(source)
                .collect(),
            provider: self.provider.clone(),
            profiles: self
                .files
                .iter()
                .filter(|f| f.role == Role::Profile)
                .map(source)
                .collect(),
            vars: self
                .files
                .iter()
                .filter(|f| f.role == Role::Vars)
                .map(source)
                .collect(),
            options: Options {
                today: today(),
                ..Options::default()
            },
            ..Request::default()
        })
    }

    /// The applied policy's layered check, when its text declares layers: what the worker is
    /// asked which files the layers name.
    fn layer_probe(&self) -> Option<Request> {
        let policy = self.policy.as_ref()?;
        if !policy.applied.lines().any(|l| l.starts_with("layers:")) {
            return None;
        }
        Some(Request {
            base: Some(Base::Layers {
                layers: Default::default(),
            }),
            policy: self.applied_policy(),
            provider: self.provider.clone(),
            ..Request::default()
        })
    }

    /// The files the applied policy's layers name, once the worker has read this policy.
    fn layer_files(&self) -> Option<&[(String, bool)]> {
        let probe = self.layer_probe()?;
        let read = self.settings_for.as_ref()?;
        (read.layered.as_ref() == Some(&probe))
            .then_some(self.settings.layer_files.as_deref())
            .flatten()
    }

    /// Whether a check must wait for the worker to read which files the layers name.
    fn layers_unread(&self) -> bool {
        self.layer_probe().is_some_and(|probe| {
            self.settings_for
                .as_ref()
                .is_none_or(|read| read.layered.as_ref() != Some(&probe))
        })
    }

    /// For the selected finding of a layered report, once the worker has read them: its
    /// environment's layers, and where its value comes from (the layer that set it and every
    /// value it shadowed).
    pub fn layer_history(&self, index: usize) -> Option<Rc<LayerView>> {
        let (key, view) = self.layer_view.as_ref()?;
        (*key == (self.shown, index)).then(|| view.clone())
    }

    /// The example an address fragment names.
    fn example_in(hash: &str) -> Option<usize> {
        hash.trim_start_matches('#')
            .split('&')
            .find_map(|p| p.strip_prefix("example="))
            .and_then(|n| n.parse().ok())
            .filter(|n: &usize| *n < EXAMPLES.len())
    }

    /// Re-runs the check after any change to the files, their roles, the policy or the provider.
    fn files_changed(&mut self) -> Option<Effect> {
        self.keep_choices = false;
        self.example = None;
        unique_env_names(&mut self.files, self.base);
        self.kubernetes_files = self.find_kubernetes();
        self.start_check()
    }

    /// Asks for the check of the page as it is, unless it must wait for the worker to read
    /// which files a layered policy names (then it is asked when that answer comes).
    fn start_check(&mut self) -> Option<Effect> {
        self.request = self.request.wrapping_add(1);
        self.check_waits = self.layers_unread();
        if self.check_waits {
            return None;
        }
        let Some(request) = self.request() else {
            self.clear_report();
            return None;
        };
        // Compared snapshots' texts are the request's, not loaded files.
        let compared = self.comparing.is_some().then(|| {
            let recorded = match &request.base {
                Some(Base::Recorded { recorded, .. }) => recorded.clone(),
                _ => Vec::new(),
            };
            recorded
                .into_iter()
                .chain(request.environments.iter().map(|e| e.source.clone()))
                .collect::<Vec<_>>()
        });
        self.texts = Rc::new(match compared {
            Some(sources) => sources
                .into_iter()
                .map(|s| (s.name, SourceText::new(s.text)))
                .collect(),
            None => self
                .files
                .iter()
                .flat_map(LoadedFile::texts)
                .map(|(name, text)| (name.to_string(), SourceText::new(text)))
                .collect(),
        });
        self.progress = Some(Progress {
            step: 0,
            steps: request.environments.len() + 2,
            file: request
                .base
                .as_ref()
                .and_then(|b| b.source())
                .map(|s| s.name.clone()),
        });
        Some(Effect::Check(Box::new(CheckRequest {
            id: self.request,
            request,
        })))
    }

    fn finish(&mut self, update: CheckUpdate) -> Option<Effect> {
        match update {
            CheckUpdate::Progress {
                step, steps, file, ..
            } => {
                self.progress = Some(Progress { step, steps, file });
                None
            }
            CheckUpdate::Finished { result, .. } => {
                self.progress = None;
                match result {
                    Ok(outcome) => self.show(*outcome),
                    Err(e) => {
                        self.report = None;
                        self.visible = Rc::default();
                        self.selected = None;
                        // An error card at its line, from the loaded text it names.
                        let sources: Vec<Source> = self
                            .files
                            .iter()
                            .flat_map(LoadedFile::texts)
                            .map(|(name, text)| Source::new(name, text))
                            .chain(self.applied_policy())
                            .collect();
                        let texts: Vec<&Source> = sources.iter().collect();
                        self.failed = vec![driftwise_engine::FailedInput::new(
                            &e,
                            "the request",
                            None,
                            &texts,
                        )];
                        None
                    }
                }
            }
            // Answered in `update`, by its own counter.
            CheckUpdate::Verdict { .. }
            | CheckUpdate::Planned { .. }
            | CheckUpdate::Settings { .. }
            | CheckUpdate::Rule { .. }
            | CheckUpdate::Explained { .. }
            | CheckUpdate::Layer { .. } => None,
        }
    }

    fn show(&mut self, outcome: Outcome) -> Option<Effect> {
        self.failed = outcome.failed.clone();
        // Renderings of a template base, for the source view.
        let mut texts = (*self.texts).clone();
        texts.extend(
            outcome
                .rendered
                .into_iter()
                .map(|s| (s.name, SourceText::new(s.text))),
        );
        for source in texts.values_mut() {
            source.secrets.clear();
        }
        for file in outcome.secrets {
            if let Some(source) = texts.get_mut(&file.file) {
                source.secrets = file.spans.iter().map(|s| s.byte_range()).collect();
            }
        }
        self.texts = Rc::new(texts);
        self.objects = outcome.objects;
        self.groups = outcome.groups;
        self.selected_violation = None;
        self.shown = self.shown.wrapping_add(1);
        self.report = Some(Rc::new(outcome.report));
        if !std::mem::take(&mut self.keep_choices) {
            self.chosen.clear();
        }
        self.plan = Rc::new(Err(MAKING_PLAN.into()));
        self.refilter();
        self.replan()
    }

    /// The action a finding gets: the one chosen, else the default.
    pub fn action_of(&self, report: &Report, i: usize) -> Action {
        match self.chosen.get(&i) {
            Some((action, _)) => *action,
            None => Decisions::default().for_finding(&report.findings[i]).0,
        }
    }

    /// How the policy classified finding `i`: every rule tried, in order, and why each applied or
    /// not (what `driftwise check --explain` prints), once the worker has answered.
    pub fn explain(&self, i: usize) -> Option<Rc<Explanation>> {
        let (key, explanation) = self.explained.as_ref()?;
        (*key == (self.shown, i)).then(|| explanation.clone())
    }

    /// The reason given for accepting a finding, if any.
    pub fn reason_of(&self, i: usize) -> Option<&str> {
        self.chosen.get(&i).and_then(|(_, r)| r.as_deref())
    }

    /// Asks the worker for the plan and its patches for the report, the loaded files and the
    /// choices, exactly as `driftwise plan` and `driftwise apply --dry-run` would make them. The
    /// plan on screen stays until the new one comes.
    fn replan(&mut self) -> Option<Effect> {
        let report = self.report.as_ref()?;
        let request = self.request()?;
        let overrides = self
            .chosen
            .iter()
            .filter_map(|(i, (action, reason))| {
                let f = report.findings.get(*i)?;
                Some(Decision {
                    environment: f.environment.clone(),
                    path: f.keyed_path.clone(),
                    action: *action,
                    reason: reason.clone(),
                })
            })
            .collect();
        let decisions = Decisions {
            overrides,
            ..Decisions::default()
        };
        // A template base's renderings, kept for the source view, are what reverts write: those
        // this report's findings name (an earlier provider's stay in the view's texts).
        let rendering = format!("{}[", report.base.file);
        let rendered = self
            .texts
            .iter()
            .filter(|(name, _)| name.starts_with(&rendering) && name.ends_with(']'))
            .filter(|(name, _)| {
                report
                    .findings
                    .iter()
                    .any(|f| f.base.as_ref().is_some_and(|b| b.file == **name))
            })
            .map(|(name, source)| Source::new(name.clone(), source.text.clone()))
            .collect();
        self.plan_request = self.plan_request.wrapping_add(1);
        Some(Effect::Plan(Box::new(PlanRequest {
            id: self.plan_request,
            report: (**report).clone(),
            request,
            decisions,
            rendered,
        })))
    }

    /// The worker's plan; for a plan with rules, asks for the verdict on its change, as
    /// `driftwise apply --check` gives it.
    fn planned(&mut self, result: Result<Box<Planned>, String>) -> Option<Effect> {
        let result = result.map(|planned| {
            let Planned { plan, preview } = *planned;
            let verdict = match plan.validation {
                Some(_) => VerdictState::Pending,
                None => VerdictState::NoRules,
            };
            PlanState {
                plan,
                preview,
                verdict,
            }
        });
        self.verdict_request = self.verdict_request.wrapping_add(1);
        let effect = match (&result, self.request()) {
            (Ok(state), Some(request)) if state.verdict == VerdictState::Pending => {
                Some(Effect::Verdict(Box::new(VerdictRequest {
                    id: self.verdict_request,
                    plan: state.plan.clone(),
                    files: request.sources(),
                })))
            }
            _ => None,
        };
        self.plan = Rc::new(result);
        effect
    }

    /// Takes a policy file (driftwise.*) out of newly loaded files; the rest are kept.
    /// Opens the snapshot bundles among `files` (`driftwise snapshot export`), returning the
    /// others. A bundle that does not verify is still shown, with what is wrong.
    fn take_bundles(&mut self, files: Vec<LoadedFile>) -> Vec<LoadedFile> {
        let mut others = Vec::with_capacity(files.len());
        for f in files {
            let looks_like = f.text.contains("\"snapshots\"")
                && f.text.contains("\"objects\"")
                && f.text.contains("\"audit\"");
            match looks_like
                .then(|| SnapshotsState::open(&f.name, &f.text))
                .flatten()
            {
                Some(opened) => {
                    self.snapshots = Some(Rc::new(opened));
                    self.comparing = None;
                }
                None => others.push(f),
            }
        }
        others
    }

    fn take_policy(&mut self, files: Vec<LoadedFile>) -> Vec<LoadedFile> {
        let (policies, others): (Vec<_>, Vec<_>) =
            files.into_iter().partition(|f| is_policy_file(&f.name));
        if let Some(p) = policies.into_iter().last() {
            self.policy = Some(PolicyState {
                name: p.name,
                applied: p.text.to_string(),
                draft: p.text.to_string(),
            });
        }
        others
    }

    fn report_is_layered(&self, report: &Report) -> bool {
        report.environments.iter().any(|e| !e.layers.is_empty())
    }

    fn clear_report(&mut self) {
        self.shown = self.shown.wrapping_add(1);
        self.report = None;
        self.visible = Rc::default();
        self.selected = None;
        self.progress = None;
    }

    fn refilter(&mut self) {
        let Some(report) = &self.report else { return };
        // An environment filter for an environment the report no longer has (the base changed,
        // a file was removed) would hide everything while the menu says "all".
        if self
            .filter
            .environment
            .as_ref()
            .is_some_and(|e| !report.environments.iter().any(|s| &s.name == e))
        {
            self.filter.environment = None;
        }
        self.visible = Rc::new(self.filter.apply(report));
        if let Some((env, path)) = self.wanted.take() {
            let found = report
                .findings
                .iter()
                .position(|f| f.environment == env && f.keyed_path == path);
            if found.is_some_and(|i| self.visible.contains(&i)) {
                self.selected = found;
            }
        }
        if !self.selected.is_some_and(|s| self.visible.contains(&s)) {
            self.selected = self.visible.first().copied();
        }
    }

    /// The view as an address fragment (`#example=1&env=prod&sort=path&finding=prod%20/a/b`), so a
    /// view can be shared: the example, the filters, the sort and the selected finding.
    pub fn view_hash(&self) -> String {
        let encode = percent_encode;
        let mut parts = Vec::new();
        if let Some(n) = self.example {
            parts.push(format!("example={n}"));
        }
        if let Some(env) = &self.filter.environment {
            parts.push(format!("env={}", encode(env)));
        }
        if self.filter.sort != crate::model::Sort::default() {
            parts.push(format!("sort={}", self.filter.sort.name()));
        }
        if self.filter.min_severity != driftwise_engine::Severity::Low {
            parts.push(format!("severity={}", self.filter.min_severity.name()));
        }
        if self.filter.unexpected_only {
            parts.push("unexpected=1".to_string());
        }
        if !self.filter.search.is_empty() {
            parts.push(format!("q={}", encode(&self.filter.search)));
        }
        if self.filter.kinds.len() != Kind::ALL.len() {
            let kinds: Vec<&str> = self.filter.kinds.iter().map(|k| k.name()).collect();
            parts.push(format!("kinds={}", kinds.join(",")));
        }
        if let (Some(report), Some(i)) = (&self.report, self.selected)
            && let Some(f) = report.findings.get(i)
        {
            parts.push(format!(
                "finding={}",
                encode(&format!("{} {}", f.environment, f.keyed_path))
            ));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("#{}", parts.join("&"))
        }
    }

    /// Takes a view from an address fragment ([`State::view_hash`]): the filters and sort now,
    /// the finding once a report has it. Returns the example to load, if it names one.
    fn apply_view_hash(&mut self, hash: &str) -> Option<usize> {
        let decode = percent_decode;
        let mut example = None;
        for part in hash.trim_start_matches('#').split('&') {
            let Some((key, value)) = part.split_once('=') else {
                continue;
            };
            let value = decode(value);
            match key {
                "example" => example = value.parse().ok().filter(|n: &usize| *n < EXAMPLES.len()),
                "env" => self.filter.environment = Some(value),
                "sort" => self.filter.sort = crate::model::Sort::from_name(&value),
                "severity" => self.filter.min_severity = value.parse().unwrap_or_default(),
                "unexpected" => self.filter.unexpected_only = value == "1",
                "q" => self.filter.search = value,
                "kinds" => {
                    self.filter.kinds = Kind::ALL
                        .into_iter()
                        .filter(|k| value.split(',').any(|v| v == k.name()))
                        .collect()
                }
                "finding" => {
                    self.wanted = value
                        .split_once(' ')
                        .map(|(env, path)| (env.to_string(), path.to_string()))
                }
                _ => {}
            }
        }
        example
    }

    /// Whether a loaded configuration holds Kubernetes objects, so the Kubernetes preset is worth
    /// offering.
    pub fn has_kubernetes(&self) -> bool {
        self.kubernetes_files
    }

    /// [`has_kubernetes`](Self::has_kubernetes), looked for in every text: once per change of
    /// the files, not on every draw (a 20 MB file took ~90 ms).
    fn find_kubernetes(&self) -> bool {
        self.files.iter().any(|f| {
            f.role == Role::Config
                && f.texts()
                    .any(|(_, text)| text.contains("apiVersion") && text.contains("kind"))
        })
    }

    /// The number of files that are configurations (the base and environments).
    pub fn config_files(&self) -> usize {
        self.files.iter().filter(|f| f.role == Role::Config).count()
    }

    /// Files with this role.
    pub fn file_with(&self, role: Role) -> impl Iterator<Item = &LoadedFile> {
        self.files.iter().filter(move |f| f.role == role)
    }

    /// The base's name when it is a template.
    pub fn template(&self) -> Option<String> {
        let base = self.files.get(self.base?)?;
        is_template_name(&base.name).then(|| base.name.clone())
    }

    /// The name, text and MIME type of a plan download.
    pub fn download(&self, what: &Download) -> Option<(String, String, &'static str)> {
        let state = self.plan.as_ref().as_ref().ok()?;
        let preview = &state.preview;
        Some(match what {
            Download::UnifiedDiff => (
                "driftwise.patch".into(),
                preview.unified_diff(),
                "text/x-diff",
            ),
            Download::JsonPatch => (
                "driftwise-json-patch.json".into(),
                preview
                    .export(driftwise_engine::PatchFormat::JsonPatch)
                    .ok()?,
                "application/json",
            ),
            Download::MergePatch => (
                "driftwise-merge-patch.json".into(),
                preview
                    .export(driftwise_engine::PatchFormat::MergePatch)
                    .ok()?,
                "application/json",
            ),
            Download::Commands => (
                "driftwise-commands.txt".into(),
                preview
                    .export(driftwise_engine::PatchFormat::Commands)
                    .ok()?,
                "text/plain;charset=utf-8",
            ),
            Download::Rollback => (
                "driftwise-rollback.txt".into(),
                preview
                    .export(driftwise_engine::PatchFormat::Rollback)
                    .ok()?,
                "text/plain;charset=utf-8",
            ),
            Download::Plan => (
                "driftwise-plan.json".into(),
                driftwise_engine::to_json_text(&state.plan),
                "application/json",
            ),
            Download::File(name) => {
                let p = preview.files.iter().find(|p| &p.file == name)?;
                let base = name.rsplit(['/', '\\']).next().unwrap_or(name).to_string();
                (base, p.after.clone(), "text/plain;charset=utf-8")
            }
        })
    }
}

/// `text` as an address fragment value: anything but letters, digits and `-_.~/:[]=,` as `%XX`.
fn percent_encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/:[]=,".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The text of an address fragment value (`%XX` decoded; anything malformed kept as it is).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs the check an update asked for, as the worker would, and hands the page its answer.
    fn answer(state: &mut State, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::Check(check) => {
                    let update = crate::worker::run_check(&check, &mut |_| {});
                    let (_, more) = state.update(Change::Update(update));
                    answer(state, more);
                }
                Effect::Plan(plan) => {
                    let (_, more) =
                        state.update(Change::Update(crate::worker::run_plan(&plan, None)));
                    answer(state, more);
                }
                Effect::Ask(task) => {
                    let (_, more) = state.update(Change::Update(task.run(&mut |_| {})));
                    answer(state, more);
                }
                _ => {}
            }
        }
    }

    #[test]
    fn the_view_goes_into_the_address_and_comes_back_from_it() {
        let mut state = State::default();
        let (_, effects) = state.update(Change::LoadExample(0));
        answer(&mut state, effects);
        assert_eq!(
            state.view_hash(),
            format!("#example=0&finding={}", {
                let f = &state.report.as_ref().unwrap().findings[state.selected.unwrap()];
                percent_encode(&format!("{} {}", f.environment, f.keyed_path))
            })
        );
        state.update(Change::FilterEnvironment(Some("env2_config".into())));
        state.update(Change::SortBy(crate::model::Sort::Path));
        state.update(Change::Search("db & co".into()));
        state.update(Change::Search(String::new()));
        let host = state
            .report
            .as_ref()
            .unwrap()
            .findings
            .iter()
            .position(|f| f.environment == "env2_config" && f.keyed_path == "/database/host")
            .unwrap();
        state.update(Change::Select(host));
        let hash = state.view_hash();
        assert_eq!(
            hash,
            "#example=0&env=env2_config&sort=path&finding=env2_config%20/database/host"
        );
        // A new page given that address shows the same view.
        let mut shared = State::default();
        let (_, effects) = shared.update(Change::ApplyView(hash.clone()));
        answer(&mut shared, effects);
        assert_eq!(shared.view_hash(), hash);
        assert_eq!(shared.selected, Some(host));
        assert_eq!(shared.filter.sort, crate::model::Sort::Path);
        // Files of one's own are no longer the example.
        loaded(&mut shared, &[("extra.yaml", "a: 1\n")]);
        assert!(!shared.view_hash().contains("example="));
        assert_eq!(percent_decode(&percent_encode("a b&c=é")), "a b&c=é");
    }

    #[test]
    fn an_environment_filter_for_a_gone_environment_is_dropped() {
        let mut state = State::default();
        let (_, effects) = state.update(Change::LoadExample(0));
        answer(&mut state, effects);
        state.update(Change::FilterEnvironment(Some("env2_config".into())));
        let all = state.report.as_ref().unwrap().findings.len();
        assert!(state.visible.len() < all);
        // env2 becomes the base: its filter would hide everything.
        let env2 = state
            .files
            .iter()
            .position(|f| f.name == "env2_config.yaml")
            .unwrap();
        let (_, effects) = state.update(Change::SetBase(env2));
        answer(&mut state, effects);
        assert_eq!(state.filter.environment, None);
        assert_eq!(
            state.visible.len(),
            state.report.as_ref().unwrap().findings.len()
        );
    }

    /// The settings files are read by a worker: the page asks, and shows an answer only for
    /// what it asked (a draft typed since has no error yet).
    #[test]
    fn the_worker_reads_the_policy_draft_and_the_profiles() {
        let mut state = State::default();
        let (_, effects) = state.update(Change::LoadExample(0));
        answer(&mut state, effects);
        let (_, effects) = state.update(Change::NewPolicy);
        answer(&mut state, effects);
        assert_eq!(state.draft_error(), None);
        let (_, effects) = state.update(Change::PolicyDraft(
            "expected:\n  - path: /a\nfail_on: sometimes\n".into(),
        ));
        let asked = effects
            .iter()
            .filter(|e| matches!(e, Effect::Ask(Task::Settings(..))))
            .count();
        assert_eq!(asked, 1, "{effects:?}");
        // Not read yet: no error shown.
        assert_eq!(state.draft_error(), None);
        answer(&mut state, effects);
        let error = state.draft_error().expect("the draft does not load");
        assert_eq!(error.line(), Some(2), "{error}");
        assert!(error.message.contains("reason"), "{error}");
        // Typed on: the old answer is not this draft's.
        let (_, effects) = state.update(Change::PolicyDraft("fail_on: high\n".into()));
        assert_eq!(state.draft_error(), None);
        answer(&mut state, effects);
        assert_eq!(state.draft_error(), None);
        // The same state asks nothing again.
        let (_, effects) = state.update(Change::Dragging(true));
        assert!(effects.is_empty(), "{effects:?}");
        // A profile file: its name, once read, for the provider picker. Only the desired-state
        // worker reads profiles (see `Task::needs_desired_state`).
        #[cfg(feature = "desired")]
        {
            let profile = LoadedFile::new(
                "onprem.profile.yaml",
                "name: onprem\ntitle: On premises\nvars: {region: dc1}\n",
            );
            assert_eq!(profile.role, Role::Profile);
            let (_, effects) = state.update(Change::AddFiles(vec![profile], Vec::new()));
            assert!(state.settings.profiles.is_empty());
            answer(&mut state, effects);
            assert_eq!(state.settings.profiles, ["onprem"]);
        }
    }

    /// A picked finding's explanation comes from the worker, asked with the policy and the files
    /// it may name only: the configurations do not travel again.
    #[test]
    fn a_picked_finding_is_explained_by_the_worker_from_the_policy_alone() {
        let mut state = State::default();
        let with_policy = EXAMPLES
            .iter()
            .position(|e| e.policy.is_some() && e.provider.is_none())
            .unwrap();
        let (_, effects) = state.update(Change::LoadExample(with_policy));
        answer(&mut state, effects);
        let report = state.report.clone().unwrap();
        let (_, effects) = state.update(Change::Select(0));
        let asked: Vec<&ExplainRequest> = effects
            .iter()
            .filter_map(|e| match e {
                Effect::Ask(Task::Explain(explain)) => Some(&**explain),
                _ => None,
            })
            .collect();
        assert_eq!(asked.len(), 1, "{effects:?}");
        let request = &asked[0].request;
        assert!(request.base.is_none() && request.environments.is_empty());
        assert!(request.policy.is_some());
        assert!(state.explain(0).is_none(), "not answered yet");
        answer(&mut state, effects);
        let explanation = state.explain(0).expect("explained");
        assert_eq!(explanation.path, report.findings[0].keyed_path);
        assert_eq!(explanation.policy.as_deref(), Some("driftwise.yaml"));
        // Picked again: nothing asked, the answer is kept.
        let (_, effects) = state.update(Change::Select(0));
        assert!(effects.iter().all(|e| !matches!(e, Effect::Ask(_))));
    }

    #[test]
    fn the_layers_example_is_a_layered_check_and_a_leftover_layered_policy_is_not() {
        let mut state = State::default();
        let layers = EXAMPLES
            .iter()
            .position(|e| e.title.starts_with("Layers"))
            .unwrap();
        let (_, effects) = state.update(Change::LoadExample(layers));
        // The check waits for the worker to say which files the layers name.
        assert!(
            effects.iter().all(|e| !matches!(e, Effect::Check(_))),
            "{effects:?}"
        );
        assert!(
            effects
                .iter()
                .any(|e| matches!(e, Effect::Ask(Task::Settings(..)))),
            "{effects:?}"
        );
        answer(&mut state, effects);
        let report = state.report.clone().unwrap();
        let prod_eu = report
            .environments
            .iter()
            .find(|e| e.name == "prod-eu")
            .unwrap();
        assert_eq!(prod_eu.layers.len(), 4);
        let log = report
            .findings
            .iter()
            .position(|f| f.environment == "prod-eu" && f.path == "/log_level")
            .unwrap();
        assert_eq!(
            report.findings[log].env.as_ref().unwrap().file,
            "envs/prod.yaml"
        );
        // The worker reads the layers when a finding is picked.
        assert!(state.layer_history(log).is_none());
        let (_, effects) = state.update(Change::Select(log));
        answer(&mut state, effects);
        let view = state.layer_history(log).unwrap();
        let history = view.history.clone().unwrap();
        assert_eq!(history.set_by.unwrap().file, "envs/prod.yaml");
        assert_eq!(history.shadowed[0].file, "base.yaml");
        assert!(
            view.provenance
                .iter()
                .any(|(p, v)| p.pointer == "/replicas" && v == "6")
        );
        // A value picked in the effective configuration: what it overrode.
        let (_, effects) = state.update(Change::PickLayerValue("/replicas".into()));
        assert_eq!(state.layer_pick, Some(("/replicas".to_string(), None)));
        answer(&mut state, effects);
        let (pointer, picked) = state.layer_pick.clone().unwrap();
        assert_eq!(pointer, "/replicas");
        assert_eq!(picked.unwrap().set_by.unwrap().value, serde_json::json!(6));
        // The finding's explanation came with it.
        assert_eq!(
            state.explain(log).unwrap().path,
            report.findings[log].keyed_path
        );
        // Other files with the policy still loaded are compared as files.
        state.update(Change::ClearFiles);
        let request = loaded(
            &mut state,
            &[("base.yaml", "a: 1\n"), ("prod.yaml", "a: 2\n")],
        )
        .unwrap();
        assert!(matches!(request.base, Some(Base::File(_))));
    }

    /// A bundle of two snapshots of one file, as `driftwise snapshot export --all` writes it.
    fn bundle(tamper: bool) -> String {
        use driftwise_engine::{AuditAction, AuditEntry, Manifest, RecordedFile, RecordedRole};
        let texts = ["db: {host: a, port: 1}\n", "db: {host: b, port: 1}\n"];
        let mut objects = serde_json::Map::new();
        let mut snapshots = Vec::new();
        let mut audit = String::new();
        for (i, text) in texts.iter().enumerate() {
            let sha = driftwise_engine::sha256_bytes(text.as_bytes());
            objects.insert(sha.clone(), serde_json::json!(text));
            let manifest = Manifest::new(vec![RecordedFile {
                name: "prod.yaml".into(),
                role: RecordedRole::Environment,
                environment: Some("prod".into()),
                sha256: sha,
            }]);
            let entry = AuditEntry::next(
                &audit,
                AuditEntry {
                    reason: Some(format!("step {i}")),
                    ..AuditEntry::new(
                        AuditAction::Snapshot,
                        "ana".into(),
                        format!("2026-11-30T10:0{i}:00Z"),
                        vec![manifest.id()],
                    )
                },
            );
            audit.push_str(&entry.line());
            snapshots.push(serde_json::json!({"id": manifest.id(), "manifest": manifest}));
        }
        if tamper {
            audit = audit.replacen("step 0", "step X", 1);
        }
        serde_json::json!({"version": 1, "snapshots": snapshots, "objects": objects, "audit": audit})
            .to_string()
    }

    #[test]
    fn an_opened_bundle_lists_its_snapshots_and_compares_two_as_driftwise_diff_does() {
        let mut state = State::default();
        let (_, effects) = state.update(Change::AddFiles(
            vec![LoadedFile::new("estate.json", bundle(false))],
            Vec::new(),
        ));
        assert!(effects.is_empty());
        assert!(state.files.is_empty());
        let snapshots = state.snapshots.clone().unwrap();
        assert_eq!(snapshots.audit.as_ref().unwrap().len(), 2);
        let rows = snapshots.rows();
        assert_eq!(
            rows[0].1.as_ref().unwrap().reason.as_deref(),
            Some("step 1")
        );
        let (newer, older) = (rows[0].0.clone(), rows[1].0.clone());
        let (_, effects) = state.update(Change::CompareSnapshots(older.clone(), newer));
        answer(&mut state, effects);
        let report = state.report.clone().unwrap();
        assert_eq!(report.base.file, older);
        assert_eq!(report.findings.len(), 1);
        assert_eq!(report.findings[0].path, "/db/host");
        assert!(state.texts.contains_key("prod.yaml"));
        // A tampered trail is shown as such, naming the entry.
        let mut tampered = State::default();
        tampered.update(Change::AddFiles(
            vec![LoadedFile::new("estate.json", bundle(true))],
            Vec::new(),
        ));
        let audit = tampered.snapshots.unwrap().audit.clone().unwrap_err();
        assert!(audit.contains("audit entry 1"), "{audit}");
    }

    #[test]
    fn a_rule_made_from_a_finding_lands_in_the_policy_and_classifies_it() {
        let mut state = State::default();
        let (_, effects) = state.update(Change::LoadExample(0));
        answer(&mut state, effects);
        let report = state.report.clone().unwrap();
        let i = report
            .findings
            .iter()
            .position(|f| f.environment == "env2_config" && f.path == "/database/host")
            .unwrap();
        let (_, effects) = state.update(Change::MakeRule(
            i,
            "expected".into(),
            "one database per environment".into(),
            false,
        ));
        answer(&mut state, effects);
        let policy = state.policy.clone().unwrap();
        assert_eq!(policy.name, "driftwise.yaml");
        assert!(policy.applied.contains("- path: /database/host\n    envs:\n      - env2_config\n    reason: one database per environment\n"), "{}", policy.applied);
        let report = state.report.clone().unwrap();
        let f = report
            .findings
            .iter()
            .find(|f| f.environment == "env2_config" && f.path == "/database/host")
            .unwrap();
        assert_eq!(
            f.expected.as_ref().unwrap().reason,
            "one database per environment"
        );
        // An ignore rule for every environment hides the path from the report.
        let i = report
            .findings
            .iter()
            .position(|f| f.path == "/app_settings/name")
            .unwrap();
        let (_, effects) = state.update(Change::MakeRule(i, "ignore".into(), String::new(), true));
        answer(&mut state, effects);
        assert!(
            state
                .report
                .clone()
                .unwrap()
                .findings
                .iter()
                .all(|f| f.path != "/app_settings/name")
        );
        assert!(
            state
                .policy
                .clone()
                .unwrap()
                .applied
                .contains("ignore:\n  - path: /app_settings/name\n")
        );
    }

    fn loaded(state: &mut State, files: &[(&str, &str)]) -> Option<Request> {
        let files = files.iter().map(|(n, t)| LoadedFile::new(*n, *t)).collect();
        let (_, effects) = state.update(Change::AddFiles(files, Vec::new()));
        effects.into_iter().find_map(|e| match e {
            Effect::Check(c) => Some(c.request),
            _ => None,
        })
    }

    #[test]
    fn the_page_becomes_one_request() {
        let mut state = State::default();
        let request = loaded(
            &mut state,
            &[
                ("prod.yaml", "a: 2\n"),
                ("base.yaml", "a: 1\n"),
                ("driftwise.yaml", "argocd: [argocd/app.yaml]\n"),
                (
                    "app.yaml",
                    "apiVersion: argoproj.io/v1alpha1\nkind: Application\n",
                ),
                ("rules.yaml", "rules: []\n"),
            ],
        )
        .unwrap();
        assert_eq!(request.base.unwrap().source().unwrap().name, "base.yaml");
        assert_eq!(request.environments.len(), 1);
        assert_eq!(request.environments[0].name, "prod");
        assert_eq!(request.policy.unwrap().name, "driftwise.yaml");
        assert_eq!(
            request.files[0].name, "app.yaml",
            "Argo CD applications are not environments"
        );
        assert_eq!(request.rules[0].name, "rules.yaml");
        // A template base is sent as a template.
        let mut state = State::default();
        let request = loaded(
            &mut state,
            &[("app.yaml.j2", "a: 1\n"), ("prod.yaml", "a: 1\n")],
        )
        .unwrap();
        assert!(matches!(request.base, Some(Base::Template { .. })));
        // Answers to older checks are ignored.
        let (redraw, _) = state.update(Change::Update(CheckUpdate::Progress {
            id: state.request.wrapping_sub(1),
            step: 1,
            steps: 2,
            file: None,
        }));
        assert!(!redraw);
    }
}
