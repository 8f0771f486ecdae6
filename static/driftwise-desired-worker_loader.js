// Starts the desired-state worker (templates and validation), loaded only when a check needs it.
// Paths are relative to this file, so the app works under any URL prefix.
importScripts('./driftwise-desired-worker.js');
wasm_bindgen({ module_or_path: './driftwise-desired-worker_bg.wasm' });
