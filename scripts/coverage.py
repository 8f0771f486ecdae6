#!/usr/bin/env python3
"""Holds line coverage at its bars, from `cargo llvm-cov --lcov` output.

    python3 scripts/coverage.py target/lcov.info

A line counts as covered when a test ran it (the lcov DA records, the same lines
`--show-missing-lines` lists).
Bars: the engine and the CLI at 90% of their lines each, the validation code (JSON Schema, rules
and the rule expression language, engine/src/validate/) at 100%. Prints the figures and, for a
group under its bar, its files with the most uncovered lines; exits 1 when a group is under.
To see the uncovered lines themselves: `cargo llvm-cov --workspace --show-missing-lines`, or
`cargo llvm-cov --workspace --html` and open target/llvm-cov/html/index.html.
"""

import os
import sys

GROUPS = [
    # (name, path prefix under the repository, bar in percent)
    ("engine", "engine/src/", 90.0),
    ("cli", "cli/src/", 90.0),
    ("validation", "engine/src/validate/", 100.0),
]


def main(path: str) -> int:
    root = os.getcwd().rstrip("/") + "/"
    per_file = {}
    name = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line.startswith("SF:"):
                name = line[3:]
                name = name[len(root):] if name.startswith(root) else name
                per_file.setdefault(name, {})
            elif line.startswith("DA:") and name is not None:
                number, hits = line[3:].split(",")[:2]
                lines = per_file[name]
                lines[number] = lines.get(number, 0) + int(hits)
    files = [
        (name, len(lines), sum(1 for hits in lines.values() if hits > 0))
        for name, lines in per_file.items()
    ]
    failed = False
    for group, prefix, bar in GROUPS:
        members = [f for f in files if f[0].startswith(prefix)]
        count = sum(f[1] for f in members)
        covered = sum(f[2] for f in members)
        if count == 0:
            print(f"coverage: no files under {prefix}; is the report from the right folder?")
            return 1
        percent = 100.0 * covered / count
        # Floor to two places so 99.996% is not shown as a passing 100.00%.
        shown = int(percent * 100) / 100
        verdict = "ok" if percent >= bar else "UNDER THE BAR"
        print(f"coverage: {group:<10} {shown:6.2f}% of {count} lines (bar {bar:g}%) {verdict}")
        if percent < bar:
            failed = True
            worst = sorted(members, key=lambda f: f[2] - f[1])[:8]
            for name, n, c in worst:
                if n > c:
                    print(f"    {name}: {n - c} of {n} lines not covered")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "target/lcov.info"))
