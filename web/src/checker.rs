//! Where checks run: in the Web Worker (the app), or in the page itself (component tests, where no
//! worker script is served).

use crate::codec::JsonCodec;
use crate::worker::{CheckRequest, CheckUpdate, CheckWorker};
use gloo_worker::{Spawnable, WorkerBridge};
use yew::Callback;

/// The worker's loader script, relative to the page so the app works under any path of any server.
pub const WORKER_LOADER: &str = "./driftwise-worker_loader.js";

pub enum Checker {
    Worker(WorkerBridge<CheckWorker>),
    #[cfg(feature = "in-page-checker")]
    InPage(Callback<CheckUpdate>),
}

impl Checker {
    pub fn worker(on_update: Callback<CheckUpdate>) -> Checker {
        let bridge = CheckWorker::spawner()
            .callback(move |update| on_update.emit(update))
            .encoding::<JsonCodec>()
            .spawn_with_loader(WORKER_LOADER);
        Checker::Worker(bridge)
    }

    #[cfg(feature = "in-page-checker")]
    pub fn in_page(on_update: Callback<CheckUpdate>) -> Checker {
        Checker::InPage(on_update)
    }

    pub fn send(&self, request: CheckRequest) {
        match self {
            Checker::Worker(bridge) => bridge.send(request),
            #[cfg(feature = "in-page-checker")]
            Checker::InPage(on_update) => {
                let on_update = on_update.clone();
                // Answer asynchronously, as the worker would.
                yew::platform::spawn_local(async move {
                    let done = crate::worker::run_check(&request, |u| on_update.emit(u));
                    on_update.emit(done);
                });
            }
        }
    }
}
