#!/usr/bin/env bash
# The whole test suite; `.ci/run` runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
# wasm-opt for the release build, when setup installed it (a wasm-opt 132 already on PATH also does).
export PATH="$PWD/scripts/binaryen/node_modules/.bin:$PATH"

say() { printf '\033[1m==> %s  (%s)\033[0m\n' "$*" "$(date +%T)"; }
export CARGO_TERM_COLOR=never INSTA_UPDATE=no

say "formatting"
cargo fmt --all --check

say "module graph: no module imports one that imports it back"
graph=../shared/tools/module_graph.py
[[ -f $graph ]] || graph=scripts/module_graph.py
python3 "$graph" .

say "lints (native, and the web crate for wasm32)"
cargo clippy --locked --workspace --all-targets -q -- -D warnings
cargo clippy --locked -p driftwise-web --target wasm32-unknown-unknown --all-targets -q -- -D warnings
cargo clippy --locked -p driftwise-web --target wasm32-unknown-unknown --all-targets -q \
  --features in-page-checker -- -D warnings

say "engine without its templates and validation features (what the web app's page and comparing worker link)"
cargo clippy --locked -p driftwise-engine --no-default-features --all-targets -q -- -D warnings
cargo test --locked -q -p driftwise-engine --no-default-features --lib

say "engine builds for wasm32-unknown-unknown"
cargo build --locked -q -p driftwise-engine --target wasm32-unknown-unknown

say "engine, CLI and web-model tests, measuring line coverage (bars: engine and CLI 90%, validation 100%)"
cargo llvm-cov --locked --workspace --lcov --output-path target/lcov.info
cargo test --locked --workspace --doc -q
python3 scripts/coverage.py target/lcov.info

say "fuzzing the readers, writers, rules and templates for a bounded time (libFuzzer; longer by hand: bash scripts/fuzz.sh 3600)"
bash scripts/fuzz.sh 20

say "the CLI binary the browser and npm tests run"
cargo build --locked -q -p driftwise-cli

say "benchmarks run once each"
cargo test --locked -q -p driftwise-engine --benches

say "web components in headless Chromium (wasm-bindgen-test)"
(cd web && CHROMEDRIVER="$(command -v chromedriver)" cargo test --locked -p driftwise-web \
  --target wasm32-unknown-unknown --features in-page-checker --test components --test codec)

say "web app release build"
trunk build --release --locked
for wasm in dist/*.wasm; do
  printf '%s: %s bytes, %s gzipped\n' "$wasm" "$(wc -c <"$wasm")" "$(gzip -9c "$wasm" | wc -c)"
done

say "end-to-end tests of dist/ in headless Chromium (playwright-core)"
(cd tests/e2e && DRIFTWISE_BIN="$PWD/../../target/debug/driftwise" npm test)

say "npm package: build, then test the packed tarball (Node ESM + CommonJS, TypeScript, a browser page) and the conformance cases"
(cd js && npm run build --silent && DRIFTWISE_BIN="$PWD/../target/debug/driftwise" npm test)
