//! The engine in a Web Worker: parsing a 20 MB file takes a while, and the page must stay responsive.

use driftwise_engine::desired::{Desired, check_against};
use driftwise_engine::provider::Profiles;
use driftwise_engine::template::{Vars, is_template_name};
use driftwise_engine::validate::Validator;
use driftwise_engine::{Document, Environment, Error, Policy, Report, Source, parse, report_with};
use gloo_worker::{HandlerId, Worker, WorkerScope};
use serde::{Deserialize, Serialize};

/// One check of a base against environments. `id` lets the page ignore answers to requests it has
/// since replaced (the user dropped another file while a check was running).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CheckRequest {
    pub id: u32,
    pub base: Source,
    pub environments: Vec<Environment>,
    /// The policy file's text, when one is loaded.
    pub policy: Option<Source>,
    /// What the base is rendered with (when it is a template) and validated against.
    #[serde(default)]
    pub desired: DesiredRequest,
}

/// Provider, template variables and validation inputs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DesiredRequest {
    /// A built-in provider's name; its variables feed the template and its rules validate.
    pub provider: Option<String>,
    /// A variables file (common values, `providers:` and `environments:` sections).
    pub vars: Option<Source>,
    pub schema: Option<Source>,
    pub rules: Vec<Source>,
    /// Provider profile files, over the built-in providers.
    #[serde(default)]
    pub profiles: Vec<Source>,
}

impl DesiredRequest {
    fn profiles(&self) -> Result<Profiles, Error> {
        let mut profiles = Profiles::default();
        for file in &self.profiles {
            profiles.add(file)?;
        }
        Ok(profiles)
    }

    fn validator(&self) -> Result<Option<Validator>, Error> {
        if self.provider.is_none() && self.schema.is_none() && self.rules.is_empty() {
            return Ok(None);
        }
        let mut builder = Validator::builder();
        if let Some(name) = &self.provider {
            builder = builder.provider(self.profiles()?.get(name)?);
        }
        if let Some(schema) = &self.schema {
            builder = builder.schema(schema.clone());
        }
        for rules in &self.rules {
            builder = builder.rules(rules);
        }
        builder.build().map(Some)
    }
}

/// A finished check: the report, and the renderings of a template base (for the source view).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckOutcome {
    pub report: Report,
    pub rendered: Vec<Source>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum CheckUpdate {
    /// About to parse `file`, the `step`th of `steps` (the last step is the comparison).
    Progress {
        id: u32,
        step: usize,
        steps: usize,
        file: String,
    },
    Finished {
        id: u32,
        /// Boxed: a report is large, progress messages are many and small.
        result: Result<Box<CheckOutcome>, Error>,
    },
}

impl CheckUpdate {
    pub fn id(&self) -> u32 {
        match self {
            CheckUpdate::Progress { id, .. } | CheckUpdate::Finished { id, .. } => *id,
        }
    }
}

impl CheckRequest {
    /// Whether the check needs templates or validation, which only the desired-state worker has.
    pub fn needs_desired_state(&self) -> bool {
        is_template_name(&self.base.name)
            || self.desired.provider.is_some()
            || self.desired.schema.is_some()
            || !self.desired.rules.is_empty()
    }
}

/// Runs a check, announcing each step through `progress`: templates, comparison and validation.
/// Shared by the desired-state worker and the in-page checker so both behave identically.
pub fn run_check(request: &CheckRequest, progress: impl FnMut(CheckUpdate)) -> CheckUpdate {
    run_compare(request, progress, true)
}

/// A comparison only. The default worker runs this, so its wasm carries no template or validation
/// code (`FULL` is a constant: the other branch is compiled out) and the page loads quickly.
pub fn run_plain_check(request: &CheckRequest, progress: impl FnMut(CheckUpdate)) -> CheckUpdate {
    run_compare(request, progress, false)
}

fn run_compare(
    request: &CheckRequest,
    mut progress: impl FnMut(CheckUpdate),
    full: bool,
) -> CheckUpdate {
    let id = request.id;
    let steps = request.environments.len() + 2;
    let mut step = |n: usize, file: &str| {
        progress(CheckUpdate::Progress {
            id,
            step: n,
            steps,
            file: file.to_string(),
        })
    };
    if full && is_template_name(&request.base.name) {
        let result = check_template(request, &mut step).map(Box::new);
        return CheckUpdate::Finished { id, result };
    }
    let result = (|| {
        let policy = match &request.policy {
            Some(source) => Policy::from_source(source)?,
            None => Policy::default(),
        };
        step(1, &request.base.name);
        let base = parse(&request.base)?;
        let mut envs: Vec<(String, Document)> = Vec::with_capacity(request.environments.len());
        for (i, env) in request.environments.iter().enumerate() {
            step(i + 2, &env.source.name);
            envs.push((env.name.clone(), parse(&env.source)?));
        }
        step(steps, "comparing");
        let mut report = report_with(&base, &envs, &policy);
        if full && let Some(validator) = request.desired.validator()? {
            driftwise_engine::attach_violations(&mut report, &validator, &policy, &base, &envs);
        }
        Ok(Box::new(CheckOutcome {
            report,
            rendered: Vec::new(),
        }))
    })();
    CheckUpdate::Finished { id, result }
}

/// A template base: rendered per environment with the provider and variables, then compared and
/// validated.
fn check_template(
    request: &CheckRequest,
    step: &mut impl FnMut(usize, &str),
) -> Result<CheckOutcome, Error> {
    let policy = match &request.policy {
        Some(source) => Policy::from_source(source)?,
        None => Policy::default(),
    };
    let profiles = request.desired.profiles()?;
    let profile = request
        .desired
        .provider
        .as_deref()
        .map(|name| profiles.get(name))
        .transpose()?;
    let vars = request
        .desired
        .vars
        .as_ref()
        .map(Vars::from_source)
        .transpose()?;
    let vars: Vec<Vars> = vars.into_iter().collect();
    let overrides = serde_json::Map::new();
    let desired = Desired {
        template: &request.base,
        profile,
        vars: &vars,
        overrides: &overrides,
        env: None,
    };
    step(1, &request.base.name);
    let validator = request.desired.validator()?;
    let result = check_against(&desired, &request.environments, &policy, validator.as_ref())?;
    Ok(CheckOutcome {
        report: result.report,
        rendered: result.rendered.into_iter().map(|r| r.source).collect(),
    })
}

/// The engine in a worker: `FULL = false` compares only (loaded with the page), `FULL = true` also
/// renders templates and validates (loaded the first time a check needs it).
pub struct EngineWorker<const FULL: bool>;

pub type CheckWorker = EngineWorker<false>;
pub type DesiredWorker = EngineWorker<true>;

impl<const FULL: bool> Worker for EngineWorker<FULL> {
    type Message = ();
    type Input = CheckRequest;
    type Output = CheckUpdate;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        EngineWorker
    }

    fn update(&mut self, _scope: &WorkerScope<Self>, _msg: Self::Message) {}

    fn received(&mut self, scope: &WorkerScope<Self>, request: Self::Input, who: HandlerId) {
        let respond = |update| scope.respond(who, update);
        let done = if FULL {
            run_check(&request, respond)
        } else {
            run_plain_check(&request, respond)
        };
        scope.respond(who, done);
    }
}
