//! Where checks run: in the Web Worker (the app), or in the page itself (component tests, where no
//! worker script is served).

use crate::codec::JsonCodec;
use crate::worker::{Answer, CheckUpdate, EngineWorker, Sent, Task};
use gloo_worker::{Spawnable, WorkerBridge};
use yew::Callback;

/// The workers' loader scripts, relative to the page so the app works under any path of any server.
pub const WORKER_LOADER: &str = "./driftwise-worker_loader.js";
pub const DESIRED_WORKER_LOADER: &str = "./driftwise-desired-worker_loader.js";

pub enum Checker {
    /// The comparing worker, started with the page, and the desired-state worker (templates and
    /// validation, three times the size), started the first time a check needs it.
    Worker {
        plain: WorkerBridge<EngineWorker>,
        desired: Option<WorkerBridge<EngineWorker>>,
        on_update: Callback<CheckUpdate>,
    },
    #[cfg(feature = "in-page-checker")]
    InPage(Callback<CheckUpdate>),
}

/// A file of the built app by its path there: beside the page, or, embedded in a host page,
/// beside `embed.js` (the base it gives in `globalThis.driftwiseMount`).
pub fn asset(path: &str) -> String {
    let base = crate::embed::mount()
        .map(|m| m.base)
        .unwrap_or_else(|| "./".to_string());
    format!("{base}{}", path.trim_start_matches("./"))
}

impl Checker {
    pub fn worker(on_update: Callback<CheckUpdate>) -> Checker {
        let forward = on_update.clone();
        let plain = EngineWorker::spawner()
            .callback(move |answer: Answer| forward.emit(answer.open()))
            .encoding::<JsonCodec>()
            .spawn_with_loader(&asset(WORKER_LOADER));
        Checker::Worker {
            plain,
            desired: None,
            on_update,
        }
    }

    #[cfg(feature = "in-page-checker")]
    pub fn in_page(on_update: Callback<CheckUpdate>) -> Checker {
        Checker::InPage(on_update)
    }

    pub fn send(&mut self, task: Task) {
        match self {
            Checker::Worker {
                plain,
                desired,
                on_update,
            } => {
                let desired_state = task.needs_desired_state();
                let task = Sent::new(task);
                if !desired_state {
                    plain.send(task);
                    return;
                }
                let bridge = desired.get_or_insert_with(|| {
                    let forward = on_update.clone();
                    EngineWorker::spawner()
                        .callback(move |answer: Answer| forward.emit(answer.open()))
                        .encoding::<JsonCodec>()
                        .spawn_with_loader(&asset(DESIRED_WORKER_LOADER))
                });
                bridge.send(task);
            }
            #[cfg(feature = "in-page-checker")]
            Checker::InPage(on_update) => {
                let on_update = on_update.clone();
                // Answer asynchronously, as the worker would.
                yew::platform::spawn_local(async move {
                    let done = task.run(&mut |u| on_update.emit(u));
                    on_update.emit(done);
                });
            }
        }
    }
}
