#!/usr/bin/env bash
# The readers' and writers' laws over real configuration files (engine/examples/sweep.rs): each
# file read and compared with itself, then changed as people change files and every finding
# reverted and adopted. By hand, not in the test suite: the files are whatever the machine holds.
#   bash scripts/sweep.sh                 folders of configuration files found on this machine
#   bash scripts/sweep.sh DIR...          those folders
#   DRIFTWISE_FUZZ_STRICT=1 bash scripts/sweep.sh
#                                         an edit the writer's own check undid counts as broken
#   DRIFTWISE_SWEEP_WINDOWS=1 bash scripts/sweep.sh
#                                         every file as Windows saves it (byte-order mark, CRLF)
set -euo pipefail
cd "$(dirname "$0")/.."
folders=("$@")
if [[ ${#folders[@]} -eq 0 ]]; then
  # Real files many machines carry: cloud SDK command specs (YAML), crates' manifests and CI
  # workflows (TOML, YAML, JSON), system settings (INI, JSON).
  for d in /usr/lib/google-cloud-sdk "${CARGO_HOME:-$HOME/.cargo}/registry/src" /etc examples tests; do
    if [[ -d $d ]]; then folders+=("$d"); fi
  done
fi
cargo build --locked -q --release -p driftwise-engine --features fuzzing --example sweep
exec target/release/examples/sweep "${folders[@]}"
