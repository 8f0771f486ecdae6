#!/usr/bin/env bash
# One command from a fresh clone: installs what is missing, builds driftwise and runs it on the examples.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo build --locked --release -q -p driftwise-cli
bin=target/release/driftwise
for example in \
  "examples/classic/base_config.yaml development=examples/classic/env1_config.yaml production=examples/classic/env2_config.yaml" \
  "examples/kubernetes/base.yaml examples/kubernetes/staging.yaml examples/kubernetes/prod.yaml" \
  "examples/services/base.toml examples/services/dev.toml examples/services/prod.json"; do
  # shellcheck disable=SC2086
  echo "\$ driftwise check ${example}"
  "$bin" check $example || true
  echo
done
echo "The binary is $bin; try: $bin check --help"
