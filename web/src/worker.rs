//! The engine in a Web Worker: parsing a 20 MB file takes a while, and the page must stay responsive.
//! Two builds of the same worker: the comparing one the page loads at once (the engine without its
//! `templates` and `validation` features, so its wasm is small), and the desired-state one (the web
//! crate's `desired` feature) that loads the first time a check needs templates or validation.

use crate::codec::Texts;
use driftwise_engine::{
    Checked, Checker, Decisions, Error, Explanation, Finding, FreshPlan, Layers, Outcome, Plan,
    Preview, Provenance, Report, Request, Source, StackLayer, ValueHistory, Verdict,
};
use gloo_worker::{HandlerId, Worker, WorkerScope};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};

/// One check. `id` lets the page ignore answers to requests it has since replaced (the user
/// dropped another file while a check was running).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckRequest {
    pub id: u32,
    pub request: Request,
}

/// Validate before write: the plan the page shows, and the files it reads (its rules among them).
/// Only the desired-state worker has the validation engine.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VerdictRequest {
    pub id: u32,
    pub plan: Plan,
    pub files: Vec<Source>,
}

/// Make the plan for a report and the user's choices, with every patch it makes (masked as the
/// report is): parsing every file again, which is the worker's job, not the page's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanRequest {
    pub id: u32,
    pub report: Report,
    pub request: Request,
    pub decisions: Decisions,
    /// A template base's renderings (the check's outcome's): where reverts take their values.
    #[serde(default)]
    pub rendered: Vec<Source>,
}

/// A plan and what it changes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Planned {
    pub plan: Plan,
    pub preview: Preview,
}

/// What the page shows of the settings files beside the report, which only a worker can read:
/// the page's wasm leaves the readers out (it is a third smaller without them).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SettingsRequest {
    /// The provider profiles loaded: the providers they add to the picker.
    pub profiles: Vec<Source>,
    /// The policy as typed in the editor: what would stop it loading.
    pub draft: Option<Source>,
    /// The applied policy's layered check: the layer files it names, which the page must have
    /// loaded before it checks the layers.
    pub layered: Option<Request>,
}

/// The answer to a [`SettingsRequest`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// The names of the profiles that read.
    pub profiles: Vec<String>,
    /// Why the draft does not load as a policy.
    pub draft_error: Option<Error>,
    /// Each file the layers name, and whether it is optional; `None` when the policy does not
    /// read (the check then says why).
    pub layer_files: Option<Vec<(String, bool)>>,
}

/// "Make a rule from this finding": the policy with one more rule in `section`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RuleRequest {
    pub id: u32,
    pub policy: Source,
    pub section: String,
    pub rule: serde_json::Value,
}

/// How the request's policy decides one finding, every rule it tried (`driftwise check
/// --explain`). `object` and `groups` are the check's, so rules that select objects are tried as
/// the check tried them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExplainRequest {
    pub id: u32,
    pub request: Request,
    pub finding: Finding,
    pub object: Option<String>,
    pub groups: BTreeMap<String, String>,
}

/// For a finding of a layered report: its environment's layers and where the value at `pointer`
/// comes from; with `provenance`, every value of the environment with the layer that set it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayerRequest {
    pub id: u32,
    pub request: Request,
    pub environment: String,
    pub pointer: String,
    pub provenance: bool,
}

/// An environment's layers, where one value comes from, and every value with the layer that set
/// it: what the detail pane shows for a layered finding.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayerView {
    pub environment: String,
    pub stack: Vec<StackLayer>,
    pub history: Option<ValueHistory>,
    /// Empty unless asked for.
    pub provenance: Rc<Vec<(Provenance, String)>>,
}

/// A message as it travels between the page and a worker: its large texts beside its JSON (see
/// [`crate::codec`]), with where each goes back.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Beside<T> {
    message: T,
    /// The places (in [`Carries::each_text`]'s order) of the texts taken out.
    taken: Vec<u32>,
    texts: Texts,
}

/// A task as it travels to a worker.
pub type Sent = Beside<Task>;
/// A worker's answer as it travels to the page.
pub type Answer = Beside<CheckUpdate>;

/// A message that may carry large texts: it visits each text it carries, in one fixed order.
pub trait Carries {
    fn each_text(&mut self, visit: &mut dyn FnMut(&mut String));
}

impl<T: Carries> Beside<T> {
    pub fn new(mut message: T) -> Beside<T> {
        let (mut place, mut taken, mut texts) = (0, Vec::new(), Vec::new());
        message.each_text(&mut |text| {
            if text.len() >= crate::codec::BESIDE {
                taken.push(place);
                texts.push(std::mem::take(text));
            }
            place += 1;
        });
        Beside {
            message,
            taken,
            texts: Texts::new(texts),
        }
    }

    /// The message with its texts back in place.
    pub fn open(self) -> T {
        let Beside {
            mut message,
            taken,
            texts,
        } = self;
        let mut back = taken.into_iter().zip(texts.take()).peekable();
        let mut place = 0;
        message.each_text(&mut |text| {
            if let Some((_, taken)) = back.next_if(|(at, _)| *at == place) {
                *text = taken;
            }
            place += 1;
        });
        message
    }
}

/// What the page asks a worker to do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Task {
    Check(Box<CheckRequest>),
    Plan(Box<PlanRequest>),
    Verdict(Box<VerdictRequest>),
    Settings(u32, Box<SettingsRequest>),
    Rule(Box<RuleRequest>),
    Explain(Box<ExplainRequest>),
    Layer(Box<LayerRequest>),
}

impl Task {
    /// Does the task, announcing a check's steps through `progress`, and answers. The worker and
    /// the in-page checker of the component tests both run this, so they behave identically.
    pub fn run(&self, progress: &mut dyn FnMut(CheckUpdate)) -> CheckUpdate {
        match self {
            Task::Check(check) => run_check(check, progress),
            Task::Plan(plan) => run_plan(plan, None),
            Task::Verdict(verdict) => run_verdict(verdict),
            Task::Settings(id, settings) => CheckUpdate::Settings {
                id: *id,
                settings: Box::new(read_settings(settings)),
            },
            Task::Rule(rule) => CheckUpdate::Rule {
                id: rule.id,
                policy: rule.policy.name.clone(),
                result: driftwise_engine::policy_with_rule(&rule.policy, &rule.section, &rule.rule),
            },
            Task::Explain(explain) => CheckUpdate::Explained {
                id: explain.id,
                explanation: explain.request.policy().ok().map(|policy| {
                    Box::new(policy.explain_in_object(
                        &explain.finding,
                        explain.object.as_deref(),
                        &explain.groups,
                    ))
                }),
            },
            Task::Layer(layer) => CheckUpdate::Layer {
                id: layer.id,
                view: layer_view(layer).map(Box::new),
            },
        }
    }

    /// Whether only the desired-state worker can do it (templates or validation).
    pub fn needs_desired_state(&self) -> bool {
        match self {
            Task::Check(check) => check.request.needs_desired_state(),
            // A layer may be a template.
            Task::Layer(layer) => layer.request.needs_desired_state(),
            Task::Verdict(_) => true,
            // Profiles are read where they are used, for templates and validation.
            Task::Settings(_, settings) => !settings.profiles.is_empty(),
            Task::Plan(_) | Task::Rule(_) | Task::Explain(_) => false,
        }
    }
}

impl Carries for Task {
    /// Every file the task carries that may be large, in one fixed order (a directory's files
    /// after it).
    fn each_text(&mut self, visit: &mut dyn FnMut(&mut String)) {
        fn walk(source: &mut Source, visit: &mut dyn FnMut(&mut String)) {
            visit(&mut source.text);
            for file in &mut source.files {
                walk(file, visit);
            }
        }
        fn request(request: &mut Request, visit: &mut dyn FnMut(&mut String)) {
            match &mut request.base {
                Some(driftwise_engine::Base::File(source))
                | Some(driftwise_engine::Base::Template { template: source }) => {
                    walk(source, visit)
                }
                Some(driftwise_engine::Base::Recorded { recorded, .. }) => {
                    recorded.iter_mut().for_each(|s| walk(s, visit))
                }
                _ => {}
            }
            for environment in &mut request.environments {
                walk(&mut environment.source, visit);
            }
            request.files.iter_mut().for_each(|s| walk(s, visit));
        }
        match self {
            Task::Check(check) => request(&mut check.request, visit),
            Task::Plan(plan) => request(&mut plan.request, visit),
            Task::Layer(layer) => request(&mut layer.request, visit),
            Task::Verdict(verdict) => verdict.files.iter_mut().for_each(|s| walk(s, visit)),
            Task::Settings(..) | Task::Rule(_) | Task::Explain(_) => {}
        }
    }
}

impl Carries for CheckUpdate {
    /// A plan's files before and after (a 20 MB file is two such texts), and a template's
    /// renderings.
    fn each_text(&mut self, visit: &mut dyn FnMut(&mut String)) {
        match self {
            CheckUpdate::Planned {
                result: Ok(planned),
                ..
            } => {
                for file in &mut planned.preview.files {
                    visit(&mut file.before);
                    visit(&mut file.after);
                }
            }
            CheckUpdate::Finished {
                result: Ok(outcome),
                ..
            } => outcome.rendered.iter_mut().for_each(|s| visit(&mut s.text)),
            _ => {}
        }
    }
}

/// Reads what a [`SettingsRequest`] asks about.
pub fn read_settings(task: &SettingsRequest) -> Settings {
    Settings {
        // Only the desired-state worker is asked about profiles (the comparing one leaves their
        // reader out).
        #[cfg(feature = "desired")]
        profiles: task
            .profiles
            .iter()
            .filter_map(|p| driftwise_engine::Profile::from_source(p).ok())
            .map(|p| p.name)
            .collect(),
        #[cfg(not(feature = "desired"))]
        profiles: Vec::new(),
        draft_error: task
            .draft
            .as_ref()
            .and_then(|d| driftwise_engine::Policy::from_source(d).err()),
        layer_files: task
            .layered
            .as_ref()
            .and_then(|r| r.missing_layer_files().ok()),
    }
}

thread_local! {
    /// The last layered estate read, with the request it was read from: picking another finding
    /// or value of it reads no file again.
    static ESTATE: RefCell<Option<(Request, Rc<Layers>)>> = const { RefCell::new(None) };
}

/// The estate of a layered request, read once per request.
fn estate(request: &Request) -> Option<Rc<Layers>> {
    ESTATE.with(|slot| {
        let mut slot = slot.borrow_mut();
        if let Some((read, layers)) = slot.as_ref()
            && read == request
        {
            return Some(layers.clone());
        }
        let layers = Rc::new(driftwise_engine::layers(request).ok()?);
        *slot = Some((request.clone(), layers.clone()));
        Some(layers)
    })
}

/// Answers a [`LayerRequest`].
pub fn layer_view(task: &LayerRequest) -> Option<LayerView> {
    let estate = estate(&task.request)?;
    let effective = estate.get(&task.environment).ok()?;
    let provenance = if task.provenance {
        effective
            .provenance()
            .into_iter()
            .map(|p| {
                let value = effective
                    .document()
                    .documents
                    .first()
                    .and_then(|r| r.pointer(&p.pointer))
                    .map(|n| driftwise_engine::short_value(&n.value.to_json()))
                    .unwrap_or_default();
                (p, value)
            })
            .collect()
    } else {
        Vec::new()
    };
    Some(LayerView {
        environment: task.environment.clone(),
        stack: effective.stack().to_vec(),
        history: effective.explain(&task.pointer).ok(),
        provenance: Rc::new(provenance),
    })
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum CheckUpdate {
    /// About to read `file` (or to compare, when `None`), the `step`th of `steps`.
    Progress {
        id: u32,
        step: usize,
        steps: usize,
        file: Option<String>,
    },
    Finished {
        id: u32,
        /// Boxed: an outcome is large, progress messages are many and small.
        result: Result<Box<Outcome>, Error>,
    },
    /// The answer to a [`PlanRequest`].
    Planned {
        id: u32,
        result: Result<Box<Planned>, String>,
    },
    /// The answer to a [`VerdictRequest`].
    Verdict {
        id: u32,
        result: Result<Verdict, Error>,
    },
    /// The answer to a [`SettingsRequest`].
    Settings { id: u32, settings: Box<Settings> },
    /// The answer to a [`RuleRequest`]: the policy file's name, and its new text.
    Rule {
        id: u32,
        policy: String,
        result: Result<String, Error>,
    },
    /// The answer to an [`ExplainRequest`] (`None` when the policy does not load).
    Explained {
        id: u32,
        explanation: Option<Box<Explanation>>,
    },
    /// The answer to a [`LayerRequest`] (`None` when the estate does not read).
    Layer {
        id: u32,
        view: Option<Box<LayerView>>,
    },
}

impl CheckUpdate {
    pub fn id(&self) -> u32 {
        match self {
            CheckUpdate::Progress { id, .. }
            | CheckUpdate::Finished { id, .. }
            | CheckUpdate::Planned { id, .. }
            | CheckUpdate::Verdict { id, .. }
            | CheckUpdate::Settings { id, .. }
            | CheckUpdate::Rule { id, .. }
            | CheckUpdate::Explained { id, .. }
            | CheckUpdate::Layer { id, .. } => *id,
        }
    }
}

/// Works out what the plan's change does to validity, as `driftwise apply --check` does. Only
/// the desired-state build validates; the comparing worker (which the page never asks) leaves the
/// patch and validation code out.
pub fn run_verdict(task: &VerdictRequest) -> CheckUpdate {
    #[cfg(feature = "desired")]
    let result = task
        .plan
        .preview(&task.files)
        .and_then(|preview| preview.verdict(&task.plan, &task.files));
    #[cfg(not(feature = "desired"))]
    let result = Err(Error::new(
        driftwise_engine::ErrorKind::Unsupported,
        "validation runs in the desired-state worker",
    ));
    CheckUpdate::Verdict {
        id: task.id,
        result,
    }
}

/// Makes the plan and its masked preview, exactly as `driftwise plan` and `driftwise apply
/// --dry-run` would; the plan records the request's rules, for the verdict asked next.
pub fn run_plan(task: &PlanRequest, checked: Option<&Checked>) -> CheckUpdate {
    let mut given = task.request.sources();
    given.extend(task.rendered.iter().cloned());
    // Made and shown at once: each file is hashed once, and read once where the check that
    // made the report kept its tree.
    let result = FreshPlan::new(&task.report, &given, &task.decisions)
        .and_then(|plan| {
            let plan = plan.validating(&task.request);
            let plan = match checked {
                Some(checked) => plan.reading(checked),
                None => plan,
            };
            // The page never writes files: everything it shows or downloads of the patches is
            // masked as the report is, unless secrets are revealed.
            let preview = plan.masked_preview(&task.request.policy()?)?;
            Ok(Box::new(Planned {
                plan: plan.into_plan(),
                preview,
            }))
        })
        .map_err(|e| e.to_string());
    CheckUpdate::Planned {
        id: task.id,
        result,
    }
}

/// Runs a check, announcing each step through `progress`.
pub fn run_check(check: &CheckRequest, progress: &mut dyn FnMut(CheckUpdate)) -> CheckUpdate {
    let id = check.id;
    let outcome = Checker::with_progress(&check.request, announcing(id, progress));
    CheckUpdate::Finished {
        id,
        result: outcome.map(|checker| Box::new(checker.outcome())),
    }
}

/// Each step of check `id`, as a progress update.
fn announcing(
    id: u32,
    progress: &mut dyn FnMut(CheckUpdate),
) -> impl FnMut(driftwise_engine::Progress<'_>) + '_ {
    move |p| {
        progress(CheckUpdate::Progress {
            id,
            step: p.step,
            steps: p.steps,
            file: p.file.map(str::to_string),
        })
    }
}

/// [`run_check`] of a request the worker owns: the answer, and the check kept with its request,
/// whose trees the plan asked next reads rather than parsing the files again.
pub fn run_check_kept(
    check: CheckRequest,
    progress: &mut dyn FnMut(CheckUpdate),
) -> (CheckUpdate, Option<Checked>) {
    let id = check.id;
    match Checked::with_progress(check.request, announcing(id, progress)) {
        Ok(checked) => {
            let result = Ok(Box::new(checked.outcome()));
            (CheckUpdate::Finished { id, result }, Some(checked))
        }
        Err(e) => (CheckUpdate::Finished { id, result: Err(e) }, None),
    }
}

/// Whether the page has asked the worker anything: then there is no warming up to do.
static ASKED: AtomicBool = AtomicBool::new(false);

/// The warm-up's estate: `services` named services of 25 settings, `drift` choosing what
/// differs.
fn warm_up_estate(json: bool, drift: usize, services: usize) -> String {
    let value = |s: usize, p: usize| {
        if (s * 25 + p) % 17 == drift {
            "changed".to_string()
        } else {
            format!("v{p}")
        }
    };
    let mut out = String::new();
    if json {
        out.push_str("{\"services\": [\n");
        for s in 0..services {
            let settings: Vec<String> = (0..25)
                .map(|p| format!("\"p{p}\": \"{}\"", value(s, p)))
                .collect();
            out.push_str(&format!(
                "  {{\"name\": \"svc-{s}\", \"replicas\": {}, \"password\": \"warm\", \
                 \"ports\": [{{\"name\": \"http\", \"port\": {}}}], \"settings\": {{{}}}}}{}\n",
                s % 3 + drift,
                8080 + s,
                settings.join(", "),
                if s + 1 < services { "," } else { "" }
            ));
        }
        out.push_str("]}\n");
    } else {
        out.push_str("# warm-up\nservices:\n");
        for s in 0..services {
            out.push_str(&format!(
                "  - name: svc-{s}\n    replicas: {}\n    password: warm\n    ports:\n      - name: http\n        port: {}\n    settings:\n",
                s % 3 + drift,
                8080 + s
            ));
            for p in 0..25 {
                out.push_str(&format!("      p{p}: {}\n", value(s, p)));
            }
        }
    }
    out
}

/// Runs a small check and plan as the page would ask for them (a YAML and a JSON estate of 1,000
/// values with nested maps, named lists and drift; not through the messages' JSON, which would
/// add its own copy of the decoding code to the wasm), a
/// second after the worker starts, unless the page has asked for something by then. The browser
/// first runs WebAssembly as quickly compiled baseline code and optimises a function once it has
/// run a while: warmed up, the user's first check runs optimised code, as a second check would.
/// Measured in Chromium on base + 5 environments of 10,000 values, files given 3 s after the page
/// opened: results shown 122-127 ms after the files were given instead of 176-189, the worker's
/// part 50-61 ms instead of 94-100, the plan 342-361 ms instead of 445-471. Not at once: files
/// given as the page opens would wait for it, and its optimising compiles would take a core from
/// the page; [`prime`] runs at once instead, on an estate too small to hold anything up.
pub fn warm_up() {
    check_and_plan(40);
}

/// Runs the warm-up's check and plan on two services a side as soon as the worker starts. The
/// browser compiles each WebAssembly function the first time it runs; the worker starts well
/// before the page has files to give (50-100 ms before a check given the moment the page is
/// ready, in Chromium on the scale test's estate), so this compiles what a first check runs while
/// the worker would wait. Not through the messages' JSON: reading a check from its text here as
/// well made the worker's wasm 250 KB larger and the first check no quicker than the noise.
pub fn prime() {
    check_and_plan(2);
}

/// The warm-up's check of `services` services a side, as YAML or JSON.
fn warm_up_request(json: bool, ext: &str, services: usize) -> Request {
    let base = Source::new(format!("base.{ext}"), warm_up_estate(json, 0, services));
    let env = Source::new(format!("env.{ext}"), warm_up_estate(json, 1, services));
    Request::new(base, vec![driftwise_engine::Environment::from_source(env)])
}

/// A check and a plan of a YAML and a JSON estate of `services` services a side, unless the page
/// has asked for something.
fn check_and_plan(services: usize) {
    for (json, ext) in [(false, "yaml"), (true, "json")] {
        if ASKED.load(Ordering::Relaxed) {
            // A real check came first and warms the worker itself.
            return;
        }
        let request = warm_up_request(json, ext, services);
        // As the worker answers a check and its plan: the plan reads the trees the check kept.
        let (done, checked) = run_check_kept(CheckRequest { id: 0, request }, &mut |_| {});
        if let (
            Some(checked),
            CheckUpdate::Finished {
                result: Ok(outcome),
                ..
            },
        ) = (&checked, done)
        {
            run_plan(&plan_after(0, checked, *outcome), Some(checked));
        }
    }
}

/// The plan of a check's outcome with the default decisions, as the page asks for it first.
fn plan_after(id: u32, checked: &Checked, outcome: Outcome) -> PlanRequest {
    PlanRequest {
        id,
        report: outcome.report,
        request: checked.request().clone(),
        decisions: Decisions::default(),
        rendered: outcome.rendered,
    }
}

/// [`warm_up`] a second from now, from the worker's event loop (the worker answers the page in
/// between).
pub fn warm_up_soon() {
    use wasm_bindgen::JsCast;
    let global = js_sys::global();
    let set_timeout = js_sys::Reflect::get(&global, &"setTimeout".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    if let Some(set_timeout) = set_timeout {
        let later = wasm_bindgen::closure::Closure::once_into_js(warm_up);
        let _ = set_timeout.call2(&global, &later, &1000.into());
    }
}

/// The engine in a worker.
pub struct EngineWorker {
    /// The last check, kept until the next: the plans made for its report read its trees.
    checked: Option<Checked>,
}

impl Worker for EngineWorker {
    type Message = ();
    type Input = Sent;
    type Output = Answer;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        EngineWorker { checked: None }
    }

    fn update(&mut self, _scope: &WorkerScope<Self>, _msg: Self::Message) {}

    fn received(&mut self, scope: &WorkerScope<Self>, sent: Self::Input, who: HandlerId) {
        ASKED.store(true, Ordering::Relaxed);
        let mut respond = |update| scope.respond(who, Beside::new(update));
        match sent.open() {
            Task::Check(check) => {
                // The last check's trees and texts go before this one's are read.
                self.checked = None;
                let (done, checked) = run_check_kept(*check, &mut respond);
                respond(done);
                self.checked = checked;
            }
            Task::Plan(plan) => respond(run_plan(&plan, self.checked.as_ref())),
            task => {
                let done = task.run(&mut respond);
                respond(done);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The warm-up does the work a real check does: both estates read, drift is found, and the
    /// YAML and the JSON estate are the same data.
    #[test]
    fn the_warm_up_estates_drift_and_agree() {
        let findings = |ext: &str, json: bool| {
            let outcome = driftwise_engine::run(&warm_up_request(json, ext, 40)).unwrap();
            outcome
                .report
                .findings
                .iter()
                .map(|f| f.keyed_path.clone())
                .collect::<Vec<_>>()
        };
        let yaml = findings("yaml", false);
        assert!(yaml.len() > 50, "{} findings", yaml.len());
        assert_eq!(yaml, findings("json", true));
        warm_up();
    }

    /// A plan made after a check reads the trees the check kept, and answers as one that reads
    /// the files; a kept check of other files changes nothing either.
    #[test]
    fn a_plan_reads_the_trees_its_check_kept() {
        // Keeping going, as the page asks.
        let mut request = warm_up_request(false, "yaml", 60);
        request.options.keep_going = true;
        let (done, checked) = run_check_kept(CheckRequest { id: 1, request }, &mut |_| {});
        let (
            Some(checked),
            CheckUpdate::Finished {
                result: Ok(outcome),
                ..
            },
        ) = (&checked, done)
        else {
            panic!("the warm-up estate checks");
        };
        let plan = plan_after(2, checked, *outcome);
        let apart = run_plan(&plan, None);
        assert!(
            matches!(&apart, CheckUpdate::Planned { result: Ok(p), .. } if p.preview.changed().count() == 1)
        );
        assert_eq!(run_plan(&plan, Some(checked)), apart);
        let other = Checked::new(warm_up_request(true, "json", 60)).unwrap();
        assert_eq!(run_plan(&plan, Some(&other)), apart);
    }

    /// A plan's answer sends a large file's texts before and after beside its JSON, and they
    /// come back in place.
    #[test]
    fn a_plans_large_texts_travel_beside_the_answer() {
        let request = warm_up_request(false, "yaml", 200);
        assert!(request.sources()[0].text.len() >= crate::codec::BESIDE);
        let outcome = driftwise_engine::run(&request).unwrap();
        let update = run_plan(
            &PlanRequest {
                id: 3,
                report: outcome.report,
                request,
                decisions: Decisions::default(),
                rendered: Vec::new(),
            },
            None,
        );
        let CheckUpdate::Planned {
            result: Ok(planned),
            ..
        } = &update
        else {
            panic!("{update:?}");
        };
        assert!(!planned.preview.files.is_empty());
        let answer = Answer::new(update.clone());
        assert_eq!(answer.taken, [0, 1]);
        let json = serde_json::to_string(&answer).unwrap();
        // Both texts left the JSON.
        assert!(
            json.len() + 2 * crate::codec::BESIDE < update_json_len(&update),
            "{} bytes of JSON",
            json.len()
        );
        let back: Answer = serde_json::from_str(&json).unwrap();
        assert_eq!(back.open(), update);
    }

    fn update_json_len(update: &CheckUpdate) -> usize {
        serde_json::to_string(update).unwrap().len()
    }

    /// Profiles are read where they are used: asking about them goes to the desired-state
    /// worker, whose build has their reader; the rest of the settings to the comparing one.
    #[test]
    fn settings_with_profiles_go_to_the_desired_state_worker() {
        let mut settings = SettingsRequest {
            draft: Some(Source::new("driftwise.yaml", "fail_on: high\n")),
            ..SettingsRequest::default()
        };
        assert!(!Task::Settings(1, Box::new(settings.clone())).needs_desired_state());
        settings.profiles = vec![Source::new("corp.profile.yaml", "name: corp\n")];
        assert!(Task::Settings(2, Box::new(settings)).needs_desired_state());
    }

    /// Large texts leave a task for the side list and come back to the same files, in
    /// directories too; small ones stay in the JSON.
    #[test]
    fn large_texts_travel_beside_the_task_and_come_back_in_place() {
        let big = |c: char| c.to_string().repeat(crate::codec::BESIDE);
        let mut request = Request::new(
            Source::new("base.yaml", big('a')),
            vec![
                driftwise_engine::Environment::from_source(Source::new("small.yaml", "x: 1\n")),
                driftwise_engine::Environment::from_source(Source::directory(
                    "prod",
                    vec![
                        Source::new("prod/a.yaml", "y: 2\n"),
                        Source::new("prod/b.yaml", big('b')),
                    ],
                )),
            ],
        );
        request.files = vec![Source::new("app.yaml", big('c'))];
        let task = Task::Check(Box::new(CheckRequest { id: 7, request }));
        let sent = Sent::new(task.clone());
        assert_eq!(sent.taken, [0, 4, 5]);
        let json = serde_json::to_string(&sent).unwrap();
        assert!(json.len() < 2_000, "{} bytes of JSON", json.len());
        let back: Sent = serde_json::from_str(&json).unwrap();
        assert_eq!(back.open(), task);
    }

    /// The primed check finds drift in both estates, as the warm-up's does.
    #[test]
    fn the_primed_estates_drift() {
        for (json, ext) in [(false, "yaml"), (true, "json")] {
            let report = driftwise_engine::run(&warm_up_request(json, ext, 2))
                .unwrap()
                .report;
            assert!(report.findings.len() >= 2, "{json}: {:?}", report.findings);
        }
        prime();
    }
}
