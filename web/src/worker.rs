//! The engine in a Web Worker: parsing a 20 MB file takes a while, and the page must stay responsive.
//! Two builds of the same worker: the comparing one the page loads at once (the engine without its
//! `templates` and `validation` features, so its wasm is small), and the desired-state one (the web
//! crate's `desired` feature) that loads the first time a check needs templates or validation.

use driftwise_engine::{
    Decisions, Error, Outcome, Plan, Preview, Report, Request, Source, Verdict, run_with_progress,
};
use gloo_worker::{HandlerId, Worker, WorkerScope};
use serde::{Deserialize, Serialize};

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
}

/// A plan and what it changes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Planned {
    pub plan: Plan,
    pub preview: Preview,
}

/// What the page asks a worker to do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Task {
    Check(Box<CheckRequest>),
    Plan(Box<PlanRequest>),
    Verdict(Box<VerdictRequest>),
}

impl Task {
    /// Does the task, announcing a check's steps through `progress`, and answers. The worker and
    /// the in-page checker of the component tests both run this, so they behave identically.
    pub fn run(&self, progress: impl FnMut(CheckUpdate)) -> CheckUpdate {
        match self {
            Task::Check(check) => run_check(check, progress),
            Task::Plan(plan) => run_plan(plan),
            Task::Verdict(verdict) => run_verdict(verdict),
        }
    }
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
}

impl CheckUpdate {
    pub fn id(&self) -> u32 {
        match self {
            CheckUpdate::Progress { id, .. }
            | CheckUpdate::Finished { id, .. }
            | CheckUpdate::Planned { id, .. }
            | CheckUpdate::Verdict { id, .. } => *id,
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
pub fn run_plan(task: &PlanRequest) -> CheckUpdate {
    let sources = task.request.sources();
    let result = Plan::new(&task.report, &sources, &task.decisions)
        .and_then(|plan| {
            let plan = plan.validating(&task.request);
            // The page never writes files: everything it shows or downloads of the patches is
            // masked as the report is, unless secrets are revealed.
            let preview = plan.preview(&sources)?.masked(&task.request.policy()?);
            Ok(Box::new(Planned { plan, preview }))
        })
        .map_err(|e| e.to_string());
    CheckUpdate::Planned {
        id: task.id,
        result,
    }
}

/// Runs a check, announcing each step through `progress`.
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
    type Input = Task;
    type Output = CheckUpdate;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        EngineWorker
    }

    fn update(&mut self, _scope: &WorkerScope<Self>, _msg: Self::Message) {}

    fn received(&mut self, scope: &WorkerScope<Self>, task: Self::Input, who: HandlerId) {
        let done = task.run(|update| scope.respond(who, update));
        scope.respond(who, done);
    }
}
