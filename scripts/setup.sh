#!/usr/bin/env bash
# Installs what driftwise's build and tests need, skipping whatever is already present at the right
# version. Safe to run again; CI runs it on a fresh machine.
#   scripts/setup.sh          build tools: wasm32 target, trunk, wasm-bindgen-cli, wasm-opt, crates
#   scripts/setup.sh --test   also what the tests need: cargo-llvm-cov, Chromium, chromedriver, npm packages
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
LLVM_COV_VERSION=0.9.1
# wasm-bindgen-cli must equal the wasm-bindgen crate in Cargo.lock (pinned with = in web/Cargo.toml).
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
has_version() { command -v "$1" >/dev/null 2>&1 && "$1" --version 2>/dev/null | grep -qF "$2"; }

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! has_version trunk "trunk $TRUNK_VERSION"; then
  say "installing trunk $TRUNK_VERSION (takes 6-7 minutes once)"
  # trunk's manifest asks for fat LTO in one codegen unit, which ends its build in a link on one
  # core: a minute and a half of the install on a 2-core machine, for a tool that only runs others.
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install --locked "trunk@$TRUNK_VERSION"
fi

if ! has_version wasm-bindgen "wasm-bindgen $WASM_BINDGEN_VERSION" \
  || ! has_version wasm-bindgen-test-runner "$WASM_BINDGEN_VERSION"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (takes 2-8 minutes once)"
  # Not --locked: its lock file names a crate version this registry does not have.
  cargo install --force "wasm-bindgen-cli@$WASM_BINDGEN_VERSION"
fi

say "fetching crates (trunk builds offline)"
cargo fetch --locked -q

# wasm-opt for trunk's release build (web/index.html's data-wasm-opt): binaryen from npm at a pinned
# version, unless a wasm-opt of that version is already on PATH. Debian's binaryen (108) cannot read
# Yew's wasm. scripts/start.sh and scripts/test.sh put scripts/binaryen/node_modules/.bin on PATH.
WASM_OPT_VERSION=$(sed -n 's/.*"binaryen": "\([0-9]*\)\..*/\1/p' scripts/binaryen/package.json)
if ! has_version wasm-opt "version_$WASM_OPT_VERSION"; then
  dir=scripts/binaryen
  stamp="$dir/node_modules/.installed-from-package-lock.json"
  if ! cmp -s "$dir/package-lock.json" "$stamp" 2>/dev/null; then
    command -v npm >/dev/null || { echo "npm is needed to install wasm-opt (binaryen $WASM_OPT_VERSION)" >&2; exit 2; }
    say "installing wasm-opt (binaryen $WASM_OPT_VERSION from npm)"
    (cd "$dir" && npm ci --no-audit --no-fund --silent)
    cp "$dir/package-lock.json" "$stamp"
  fi
fi

# The web app's Trunk build runs scripts/fast-strings.mjs over wasm-bindgen's glue (Trunk.toml's
# post_build hook), and the npm package's build does the same.
command -v node >/dev/null || { echo "node is needed to build the web app (the post_build hook in Trunk.toml)" >&2; exit 2; }

if [[ "${1:-}" == "--test" ]]; then
  # Line coverage, measured and held at its bars on every run (scripts/coverage.py).
  if ! rustup component list --installed 2>/dev/null | grep -q '^llvm-tools'; then
    say "adding the llvm-tools-preview component (coverage)"
    rustup component add llvm-tools-preview
  fi
  if ! cargo llvm-cov --version 2>/dev/null | grep -qF "cargo-llvm-cov $LLVM_COV_VERSION"; then
    say "installing cargo-llvm-cov $LLVM_COV_VERSION (takes 1-3 minutes once)"
    cargo install --locked "cargo-llvm-cov@$LLVM_COV_VERSION"
  fi
  # patch(1) and git check that exported diffs apply with the tools users apply them with.
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null \
    || ! command -v patch >/dev/null; then
    say "installing Chromium, chromedriver and patch"
    sudo_if_needed() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }
    sudo_if_needed apt-get update -qq
    sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver patch >/dev/null
  fi
  # npm packages for the end-to-end tests and the npm package's tests and benchmark. playwright-core
  # never downloads a browser; the tests use Debian's Chromium. A copy of the lock file installed
  # from marks node_modules as current.
  for dir in tests/e2e js; do
    stamp="$dir/node_modules/.installed-from-package-lock.json"
    if ! cmp -s "$dir/package-lock.json" "$stamp" 2>/dev/null; then
      say "installing npm packages in $dir"
      (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
      cp "$dir/package-lock.json" "$stamp"
    fi
  done
fi
