// Starts the engine's Web Worker (wasm-bindgen "no-modules" build, so it runs in every browser's
// classic workers). Paths are relative to this file, so the app works under any URL prefix.
importScripts('./driftwise-worker.js');
wasm_bindgen({ module_or_path: './driftwise-worker_bg.wasm' });
