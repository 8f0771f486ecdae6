#!/usr/bin/env bash
# One command from a fresh clone: installs what is missing, builds the web app and the CLI, and serves
# the app on http://127.0.0.1:8080 with an example loaded. Nothing is fetched at run time.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# wasm-opt for the release build, when setup installed it (a wasm-opt 132 already on PATH also does).
export PATH="$PWD/scripts/binaryen/node_modules/.bin:$PATH"
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

say "building the web app (release)"
trunk build --release --locked
say "building the CLI"
cargo build --locked --release -q -p driftwise-cli

port="${PORT:-8080}"
say "serving dist/ on http://127.0.0.1:${port}/#example=0  (Ctrl-C to stop)"
echo "    Other examples: #example=1 (Kubernetes), #example=2 (services), #example=3 (policy), #example=4 (multi-cloud template). CLI: target/release/driftwise"
exec python3 -m http.server "$port" --bind 127.0.0.1 --directory dist
