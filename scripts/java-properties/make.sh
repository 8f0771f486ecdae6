#!/usr/bin/env bash
# Writes engine/tests/data/java-properties.json: generated .properties texts (blanks of every
# kind, separators, escapes, continuations, comments, both line endings) with what
# java.util.Properties.load reads from each. Needs a JDK; run by hand, the data is committed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 "$here/cases.py" write "$work/files"
javac -d "$work" "$here/Dump.java"
(cd "$work/files" && java -cp "$work" Dump *.properties) > "$work/java.txt"
python3 "$here/cases.py" collect "$work/files" "$work/java.txt" > "$here/../../engine/tests/data/java-properties.json"
