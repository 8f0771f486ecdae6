#!/usr/bin/env bash
# Installs what driftwise's build and tests need, skipping anything already present at the right
# version. Safe to run again; CI runs it on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

say "fetching crates"
cargo fetch --locked -q
