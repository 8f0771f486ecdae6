#!/usr/bin/env python3
# Vendored from the workspace tools (../shared/tools/module_graph.py) so a fresh clone can run it;
# scripts/test.sh prefers the workspace copy when there is one.
"""Module graph of the Rust crates in a workspace, file by file, and the cycles in it.

    python3 ../shared/tools/module_graph.py [REPO_ROOT] [--edges]

For every crate (a folder with Cargo.toml and src/), each .rs file is a module (src/a/mod.rs and
src/a.rs are `a`). An edge A -> B means A names B through `crate::`, `super::` or `self::` paths
(in `use` lines or inline). Test modules (`#[cfg(test)] mod ... {` to the end of the file) and
files under tests/, benches/ and examples/ are left out. Prints each cycle (strongly connected
set of modules) with the names that tie it, and exits 1 when there is one, 0 otherwise.
Text-based: it reads paths, not types, so check a reported edge in the code before acting on it.
"""
import os, re, sys
from collections import defaultdict

root = os.path.abspath(next((a for a in sys.argv[1:] if not a.startswith("--")), "."))
show_edges = "--edges" in sys.argv
PATH = re.compile(r"\b(crate|super|self)((?:::[A-Za-z_][A-Za-z0-9_]*)+|::\{)")
USE_GROUP = re.compile(r"\buse\s+(crate|super|self)::([^;]*);", re.S)


def strip(text):
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    m = re.search(r"#\[cfg\(test\)\]\s*(pub(\([^)]*\))?\s+)?mod\s+\w+\s*\{", text)
    return text[: m.start()] if m else text


def crates(root):
    for dp, dns, fns in os.walk(root):
        dns[:] = [d for d in dns if d not in ("target", "node_modules", ".git", "dist")]
        if "Cargo.toml" in fns and os.path.isdir(os.path.join(dp, "src")):
            yield dp


def modules(src):
    mods = {}
    for dp, _, fns in os.walk(src):
        for f in fns:
            if not f.endswith(".rs"):
                continue
            rel = os.path.relpath(os.path.join(dp, f), src)[:-3].split(os.sep)
            if rel[0] == "bin":
                continue
            if rel[-1] in ("mod", "lib", "main"):
                rel = rel[:-1]
            mods[tuple(rel)] = os.path.join(dp, f)
    return mods


def expand(prefix, body):
    """use crate::{a::b, c::{d, e}} -> [a::b, c::d, c::e] (flattened, best effort)."""
    out, depth, cur = [], 0, ""
    body = body.strip()
    if body.startswith("{") and body.endswith("}"):
        body = body[1:-1]
        for ch in body + ",":
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            if ch == "," and depth == 0:
                part = cur.strip()
                cur = ""
                if part:
                    if "::{" in part:
                        head, rest = part.split("::", 1)
                        out += [head + "::" + x for x in expand("", rest)]
                    else:
                        out.append(part)
            else:
                cur += ch
        return out
    return [body]


def resolve(mods, here, kind, segs):
    if kind == "crate":
        base = []
    else:
        is_dir_mod = os.path.basename(mods[here]) in ("mod.rs", "lib.rs", "main.rs")
        base = list(here) if (kind == "self" or is_dir_mod) else list(here[:-1])
        if kind == "super":
            base = base[:-1]
            while segs and segs[0] == "super":
                base, segs = base[:-1], segs[1:]
    full = base + segs
    for n in range(len(full), -1, -1):
        if tuple(full[:n]) in mods:
            return tuple(full[:n])
    return None


def scc(graph, nodes):
    index, low, on, stack, out, i = {}, {}, set(), [], [], [0]

    def visit(v):
        index[v] = low[v] = i[0]; i[0] += 1; stack.append(v); on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w); low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop(); on.discard(w); comp.append(w)
                if w == v:
                    break
            out.append(comp)
    sys.setrecursionlimit(10000)
    for v in nodes:
        if v not in index:
            visit(v)
    return out


found = 0
for crate in sorted(crates(root)):
    src = os.path.join(crate, "src")
    mods = modules(src)
    graph, why = defaultdict(set), defaultdict(set)
    for m, f in mods.items():
        text = strip(open(f, encoding="utf-8", errors="replace").read())
        refs = []
        for kind, body in USE_GROUP.findall(text):
            refs += [(kind, p) for p in expand("", body)]
        for kind, tail in PATH.findall(text):
            if tail != "::{":
                refs.append((kind, tail.lstrip(":")))
        for kind, p in refs:
            segs = [s.strip() for s in re.split(r"::", p) if s.strip() and s.strip() not in ("*", "self")]
            segs = [re.sub(r"\s+as\s+\w+$", "", s) for s in segs]
            t = resolve(mods, m, kind, segs)
            if t is not None and t != m and t != m[: len(t)]:
                graph[m].add(t)
                why[(m, t)].add(segs[-1] if segs else "")
    name = os.path.relpath(crate, root)
    comps = [c for c in scc(graph, list(mods)) if len(c) > 1]
    for c in comps:
        found += 1
        print(f"cycle in {name}: " + ", ".join(sorted("/".join(x) or "lib" for x in c)))
        for a in sorted(c):
            for b in sorted(graph[a]):
                if b in c:
                    print(f"    {'/'.join(a) or 'lib'} -> {'/'.join(b) or 'lib'}: {', '.join(sorted(why[(a, b)]))}")
    if show_edges:
        for a in sorted(graph):
            for b in sorted(graph[a]):
                print(f"{name}: {'/'.join(a) or 'lib'} -> {'/'.join(b) or 'lib'}")
print(f"{found} cycle(s)")
sys.exit(1 if found else 0)
