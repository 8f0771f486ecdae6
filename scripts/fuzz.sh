#!/usr/bin/env bash
# Coverage-guided fuzzing of the readers, the patch and policy writers, the rules and the
# templates (fuzz/): builds each libFuzzer target with the stable toolchain and runs it for a
# bounded time, starting from the example files, their policies, rules files and templates and
# the YAML test suite's texts. A law broken (a panic) stops the run with the input saved under
# target/fuzz/artifacts/; replay it with `target/fuzz/<target> <file>`.
#   bash scripts/fuzz.sh            60 s per target (the test suite runs 20)
#   bash scripts/fuzz.sh 3600       longer, by hand
#   DRIFTWISE_FUZZ_STRICT=1 bash scripts/fuzz.sh 600
#                                   the revert target also fails on an edit the writer's own
#                                   check undid (still found about once a minute; see README)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
host=$(rustc -vV | sed -n 's/^host: //p')
# What cargo-fuzz passes, without the nightly-only sanitizer flags: libFuzzer's coverage counters
# and comparison tracing. An explicit --target keeps them off build scripts and proc macros.
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks"
out=$PWD/target/fuzz
cargo build --locked -q --release --manifest-path fuzz/Cargo.toml --target "$host" \
  --target-dir "$out/build"

# Seeds: every example and test case file, and each YAML suite case (the read_any_format
# target's first byte picks the format, so each seed is given once per format).
corpus=$out/corpus
rm -rf "$corpus"
mkdir -p "$corpus/yaml_readers" "$corpus/read_any_format" "$corpus/revert" "$corpus/accept" \
  "$corpus/rules" "$corpus/render" "$out/artifacts"
python3 - "$corpus" <<'PY'
import json, pathlib, sys
corpus = pathlib.Path(sys.argv[1])
folders = [pathlib.Path(f) for f in ("examples", "tests/cases", "tests/patch")]
texts = [p.read_bytes() for f in folders for p in sorted(f.rglob("*")) if p.is_file()]
texts += [c["yaml"].encode() for c in json.loads(pathlib.Path("engine/tests/data/yaml-test-suite.json").read_text())]
texts = [t for t in texts if len(t) <= 4096]
for i, t in enumerate(texts):
    (corpus / "yaml_readers" / f"{i}").write_bytes(t)
    for f in range(10):
        (corpus / "read_any_format" / f"{i}-{f}").write_bytes(bytes([f]) + t)
# The revert target's seeds: each folder's files of one extension, paired, in every format.
n = 0
for folder in folders:
    for d in sorted([folder] + [p for p in folder.rglob("*") if p.is_dir()]):
        files = sorted(p for p in d.iterdir() if p.is_file())
        for i, a in enumerate(files):
            for b in files[i + 1:]:
                pair = a.read_bytes() + b"\xff" + b.read_bytes()
                if a.suffix == b.suffix and len(pair) <= 8192:
                    for f in range(10):
                        (corpus / "revert" / f"{n}-{f}").write_bytes(bytes([f]) + pair)
                    n += 1
# The accept target's seeds: each folder's policies (and none) over its YAML pairs.
n = 0
for folder in [pathlib.Path(f) for f in ("examples", "tests/cases", "tests/conformance")]:
    for d in sorted([folder] + [p for p in folder.rglob("*") if p.is_dir()]):
        files = sorted(p for p in d.iterdir() if p.is_file())
        policies = [p.read_bytes() for p in files if p.stem == "driftwise"] + [b""]
        yaml = [p.read_bytes() for p in files if p.stem != "driftwise" and p.suffix == ".yaml"][:3]
        for i, a in enumerate(yaml):
            for b in yaml[i + 1:]:
                for policy in policies:
                    seed = policy + b"\xff" + a + b"\xff" + b
                    if len(seed) <= 8192:
                        (corpus / "accept" / f"{n}").write_bytes(seed)
                        n += 1
# The rules target's seeds: each rules file over each YAML file.
yaml = [p.read_bytes() for f in ("examples", "tests") for p in sorted(pathlib.Path(f).rglob("*.yaml"))
        if "node_modules" not in p.parts]
rules = [t for t in yaml if t.startswith(b"rules:") or b"\nrules:" in t]
for i, r in enumerate(rules):
    for j, d in enumerate(yaml):
        if len(r) + len(d) < 8192:
            (corpus / "rules" / f"{i}-{j}").write_bytes(r + b"\xff" + d)
# The render target's seeds: the templates, and the YAML files (a template without tags).
templates = [p.read_bytes() for f in ("examples", "tests") for p in sorted(pathlib.Path(f).rglob("*"))
             if p.is_file() and "node_modules" not in p.parts and p.suffix in (".j2", ".jinja", ".tmpl", ".tpl")]
for i, t in enumerate(templates + [t for t in yaml if len(t) <= 4096]):
    (corpus / "render" / f"{i}").write_bytes(t)
PY

# Each target runs on one core, so as many run at once as there are cores: on the 2-core CI
# machine the six take three rounds of `seconds`, not six, and each still gets `seconds` to itself.
fuzz_one() {
  local target=$1
  "$out/build/$host/release/$target" "$corpus/$target" -max_total_time="$seconds" -max_len=8192 \
    -timeout=10 -rss_limit_mb=4096 -artifact_prefix="$out/artifacts/$target-" -print_final_stats=1 \
    2>"$out/$target.log"
}
targets=(yaml_readers read_any_format revert accept rules render)
cores=$(nproc 2>/dev/null || echo 2)
failed=()
for ((i = 0; i < ${#targets[@]}; i += cores)); do
  round=("${targets[@]:i:cores}")
  echo "fuzzing ${round[*]} for ${seconds}s"
  pids=()
  for target in "${round[@]}"; do fuzz_one "$target" & pids+=($!); done
  for j in "${!round[@]}"; do wait "${pids[$j]}" || failed+=("${round[$j]}"); done
done
for target in "${targets[@]}"; do
  printf '%s: ' "$target"
  grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$out/$target.log" | tr '\n' ' '
  echo
done
for target in "${failed[@]}"; do
  echo "fuzzing $target failed (a law broken, a crash, a timeout or out of memory): its input and log are under $out/artifacts/" >&2
  tail -40 "$out/$target.log"
done
[[ ${#failed[@]} -eq 0 ]]
