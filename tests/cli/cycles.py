#!/usr/bin/env python3
"""cycles.py OBJDIR SRC... - find files that call or include each other in a loop.

The layering (docs/architecture.md) wants dependencies that run one way: between any two
source files, at most one may need the other. A file needs another when it calls a
function or uses data the other defines (read from the objects' symbol tables with
gcc-nm, so calls through macros and inline functions count) or includes its header.
A module is a .c file and the .h of the same name; a header without a .c (an
internal header shared by the files of one module, like SQLite's btreeInt.h) adds no edge. Prints each strongly connected
component of more than one module and exits 1 if there is any; exits 0 otherwise.
"""
import os
import re
import subprocess
import sys


def module(path):
    return os.path.splitext(path)[0]


def symbols(obj):
    out = subprocess.run(["gcc-nm", "--defined-only", obj], capture_output=True, text=True, check=True).stdout
    defined = {l.split()[-1] for l in out.splitlines() if len(l.split()) == 3 and l.split()[1] in "TDBRCG"}
    out = subprocess.run(["gcc-nm", "--undefined-only", obj], capture_output=True, text=True, check=True).stdout
    used = {l.split()[-1] for l in out.splitlines() if l.split()}
    return defined, used


def main():
    objdir, sources = sys.argv[1], sys.argv[2:]
    edges = {}
    definer = {}
    uses = {}
    headers = {}
    cfiles = {module(src) for src in sources if src.endswith(".c")}
    for src in sources:
        m = module(src)
        if src.endswith(".c"):
            edges.setdefault(m, set())
        elif m in cfiles:  # a header counts as its .c; one without a .c adds no edge
            headers[os.path.basename(src)] = m
    for src in sources:
        if not src.endswith(".c"):
            continue
        obj = os.path.join(objdir, module(src) + ".o")
        if not os.path.exists(obj):
            sys.exit(f"cycles.py: {obj} is missing: build first")
        defined, used = symbols(obj)
        for s in defined:
            definer[s] = module(src)
        uses[module(src)] = used
    via = {}
    for m, used in uses.items():
        for s in used:
            if s in definer and definer[s] != m:
                edges[m].add(definer[s])
                via.setdefault((m, definer[s]), s)
    inc = re.compile(r'^\s*#\s*include\s*"([^"]+)"')
    for src in sources:
        m = module(src)
        if m not in cfiles:
            continue
        with open(src, errors="replace") as f:
            for line in f:
                h = inc.match(line)
                if h and os.path.basename(h.group(1)) in headers:
                    t = headers[os.path.basename(h.group(1))]
                    if t != m:
                        edges[m].add(t)
                        via.setdefault((m, t), "#include " + h.group(1))
    # Tarjan's strongly connected components, iteratively (no recursion limit).
    index, low, on, stack, comps, n = {}, {}, set(), [], [], 0
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = n; n += 1; stack.append(root); on.add(root)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = []
                    while True:
                        x = stack.pop(); on.discard(x); comp.append(x)
                        if x == v:
                            break
                    if len(comp) > 1:
                        comps.append(sorted(comp))
            elif w not in index:
                index[w] = low[w] = n; n += 1; stack.append(w); on.add(w)
                work.append((w, iter(sorted(edges.get(w, ())))))
            elif w in on:
                low[v] = min(low[v], index[w])
    for c in comps:
        why = [f"{a} -> {b} ({via[a, b]})" for a in c for b in sorted(edges[a]) if b in c]
        print("files that need each other in a loop: " + ", ".join(c) + " (" + "; ".join(why) + ")")
    return 1 if comps else 0


if __name__ == "__main__":
    sys.exit(main())
