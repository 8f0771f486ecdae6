//! The engine in a Web Worker: parsing a 20 MB file takes a while, and the page must stay responsive.
//! Two builds of the same worker: the comparing one the page loads at once (the engine without its
//! `templates` and `validation` features, so its wasm is small), and the desired-state one (the web
//! crate's `desired` feature) that loads the first time a check needs templates or validation.

use driftwise_engine::{Error, Outcome, Request, run_with_progress};
use gloo_worker::{HandlerId, Worker, WorkerScope};
use serde::{Deserialize, Serialize};

/// One check. `id` lets the page ignore answers to requests it has since replaced (the user
/// dropped another file while a check was running).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckRequest {
    pub id: u32,
    pub request: Request,
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
}

impl CheckUpdate {
    pub fn id(&self) -> u32 {
        match self {
            CheckUpdate::Progress { id, .. } | CheckUpdate::Finished { id, .. } => *id,
        }
    }
}

/// Runs a check, announcing each step through `progress`. The worker and the in-page checker of
/// the component tests both run this, so they behave identically.
pub fn run_check(check: &CheckRequest, mut progress: impl FnMut(CheckUpdate)) -> CheckUpdate {
    let id = check.id;
    let result = run_with_progress(&check.request, |p| {
        progress(CheckUpdate::Progress {
            id,
            step: p.step,
            steps: p.steps,
            file: p.file.map(str::to_string),
        })
    })
    .map(Box::new);
    CheckUpdate::Finished { id, result }
}

/// The engine in a worker.
pub struct EngineWorker;

impl Worker for EngineWorker {
    type Message = ();
    type Input = CheckRequest;
    type Output = CheckUpdate;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        EngineWorker
    }

    fn update(&mut self, _scope: &WorkerScope<Self>, _msg: Self::Message) {}

    fn received(&mut self, scope: &WorkerScope<Self>, check: Self::Input, who: HandlerId) {
        let done = run_check(&check, |update| scope.respond(who, update));
        scope.respond(who, done);
    }
}
