#!/usr/bin/env bash
# The whole test suite: formatting, lints, unit/snapshot/property/CLI tests, benchmark smoke runs,
# and the engine's wasm32 build. `.ci/run` runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
export CARGO_TERM_COLOR=never INSTA_UPDATE=no

say "formatting"
cargo fmt --all --check

say "lints"
cargo clippy --locked --workspace --all-targets -q -- -D warnings

say "engine builds for wasm32-unknown-unknown"
cargo build --locked -q -p driftwise-engine --target wasm32-unknown-unknown

say "tests"
cargo test --locked --workspace

say "benchmarks run once each"
cargo test --locked -q -p driftwise-engine --benches
