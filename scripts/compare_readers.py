#!/usr/bin/env python3
"""Holds driftwise's readers to other readers on real files, by hand (not in the test suite: the
files are whatever the machine holds).

    python3 scripts/compare_readers.py [DIR...]

Every YAML, JSON, TOML and INI file under the folders (by default the ones scripts/sweep.sh
reads) is read by driftwise (`engine/examples/trees.rs`) and by PyYAML (if installed), Python's
json, tomllib and configparser, and the trees compared. Prints each file where they differ, or
where one reads it and the other refuses it, then a count per format. Some differences are
driftwise's on purpose: a repeated key is refused (the others let the last win); YAML is 1.2, so
`yes`, `on` and `2001-12-14` stay strings and an anchor may hold a colon; custom tags become
`{"!tag": value}`, an empty tagged value null; INI values keep no blank lines.
"""

import collections
import configparser
import json
import math
import os
import re
import subprocess
import sys
import tomllib

try:
    import yaml
except ImportError:  # YAML is then only read by driftwise, not compared
    yaml = None

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

if yaml is not None:

    class Yaml12ish(yaml.SafeLoader):
        """PyYAML reads YAML 1.1: booleans narrowed to 1.2's, dates left as strings."""

    Yaml12ish.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers
                if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    Yaml12ish.add_implicit_resolver(
        "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))

    def custom_tag(loader, suffix, node):
        if isinstance(node, yaml.ScalarNode):
            value = loader.construct_scalar(node)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)
        return {"!" + suffix.lstrip("!"): value}

    Yaml12ish.add_multi_constructor("!", custom_tag)


def theirs(path, fmt):
    """The other reader's documents, or None when it has no reader for the format."""
    with open(path, "rb") as f:
        raw = f.read()
    text = raw.decode("utf-8")
    if fmt == "json":
        return [json.loads(text)]
    if fmt == "toml":
        return [tomllib.loads(text)]
    if fmt == "yaml" and yaml is not None:
        return list(yaml.load_all(text, Loader=Yaml12ish))
    if fmt == "ini":
        parser = configparser.RawConfigParser(strict=False, allow_no_value=True, interpolation=None)
        parser.optionxform = str
        top = "\0top"  # keys before any section, which driftwise puts at the root
        parser.read_string(f"[{top}]\n{text}")
        doc = {s: dict(parser.items(s, raw=True)) for s in parser.sections() if s != top}
        doc.update(parser.defaults())
        doc.update(parser.items(top, raw=True) if parser.has_section(top) else {})
        return [doc]
    return None


def plain(v):
    """Both sides in one shape: numbers as floats, dates and non-finite numbers as markers."""
    if isinstance(v, dict):
        return {str(k): plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [plain(x) for x in v]
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, (int, float)):
        return "nonfinite" if isinstance(v, float) and not math.isfinite(v) else float(v)
    if isinstance(v, str) and v in (".nan", ".inf", "-.inf"):
        return "nonfinite"
    if hasattr(v, "isoformat"):
        return v.isoformat().replace("+00:00", "Z")
    return v


def first_difference(a, b, at=""):
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            return f"{at or '/'}: keys only driftwise has {sorted(set(a) - set(b))[:3]}, only the other {sorted(set(b) - set(a))[:3]}"
        return next((d for k in a if (d := first_difference(a[k], b[k], f"{at}/{k}"))), None)
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{at or '/'}: {len(a)} items against {len(b)}"
        return next((d for i, (x, y) in enumerate(zip(a, b)) if (d := first_difference(x, y, f"{at}/{i}"))), None)
    if isinstance(a, str) and isinstance(b, str) and a.replace("T", " ") == b.replace("T", " "):
        return None
    if isinstance(a, float) and isinstance(b, float) and math.isclose(a, b, rel_tol=1e-12):
        return None
    if isinstance(a, str) and isinstance(b, (float, bool)) and a.lower() == str(b).lower():
        return None  # INI: configparser keeps every value a string
    return None if a == b else f"{at or '/'}: driftwise {a!r:.80} against {b!r:.80}"


def main(folders):
    if not folders:
        home = os.environ.get("CARGO_HOME", os.path.expanduser("~/.cargo"))
        folders = [d for d in ("/usr/lib/google-cloud-sdk", f"{home}/registry/src", "/etc", "examples", "tests")
                   if os.path.isdir(d)]
    subprocess.run(["cargo", "build", "--locked", "-q", "--release", "-p", "driftwise-engine", "--example", "trees"],
                   cwd=ROOT, check=True)
    trees = subprocess.run([os.path.join(ROOT, "target/release/examples/trees"), *folders],
                           cwd=ROOT, check=True, capture_output=True, text=True).stdout
    counts = collections.defaultdict(collections.Counter)
    # One JSON text a line: split at line feeds only (a string may hold U+2028, which
    # str.splitlines would split at).
    for line in filter(None, trees.split("\n")):
        ours = json.loads(line)
        path = ours["file"]
        fmt = ours["format"]
        try:
            other = theirs(path, fmt)
        except Exception as e:  # the other reader refused it
            other, refusal = False, str(e).splitlines()[0][:120]
        if other is None:
            continue
        if "error" in ours:
            if other is False:
                counts[fmt]["both refuse"] += 1
            else:
                counts[fmt]["only driftwise refuses"] += 1
                print(f"{path}: driftwise refuses: {ours['error'][len(path) + 1:]}")
            continue
        if other is False:
            counts[fmt]["only the other refuses"] += 1
            print(f"{path}: only the other refuses: {refusal}")
            continue
        difference = first_difference(plain(ours["documents"]), plain(other))
        if difference:
            counts[fmt]["differ"] += 1
            print(f"{path}: {difference}")
        else:
            counts[fmt]["same"] += 1
    for fmt, c in sorted(counts.items()):
        print(f"{fmt}: " + ", ".join(f"{n} {what}" for what, n in c.most_common()))


if __name__ == "__main__":
    main(sys.argv[1:])
