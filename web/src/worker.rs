//! The engine in a Web Worker: parsing a 20 MB file takes a while, and the page must stay responsive.

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
        result: Result<Report, Error>,
    },
}

impl CheckUpdate {
    pub fn id(&self) -> u32 {
        match self {
            CheckUpdate::Progress { id, .. } | CheckUpdate::Finished { id, .. } => *id,
        }
    }
}

/// Runs a check, announcing each step through `progress`. Shared by the worker and the in-page
/// checker so both behave identically.
pub fn run_check(request: &CheckRequest, mut progress: impl FnMut(CheckUpdate)) -> CheckUpdate {
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
        Ok(report_with(&base, &envs, &policy))
    })();
    CheckUpdate::Finished { id, result }
}

pub struct CheckWorker;

impl Worker for CheckWorker {
    type Message = ();
    type Input = CheckRequest;
    type Output = CheckUpdate;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        CheckWorker
    }

    fn update(&mut self, _scope: &WorkerScope<Self>, _msg: Self::Message) {}

    fn received(&mut self, scope: &WorkerScope<Self>, request: Self::Input, who: HandlerId) {
        let done = run_check(&request, |update| scope.respond(who, update));
        scope.respond(who, done);
    }
}
