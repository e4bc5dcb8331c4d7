#!/usr/bin/env python3
"""table.py - a Markdown table of results from fgsim's summary.csv files, for the docs.

Tables of simulated results in docs/ are generated sections (tests/doctest.py): the doc
runs the simulation and this script, and `make test` fails when the table shown is not
what the program gives now.

usage: table.py COLUMN...   COLUMN = 'HEADER=DIR:SCOPE:METRIC[:s|pct|money]'
One row per policy, in the order of the first column's summary.csv; each cell is
mean +- the 95% half-width, the half-width to two significant digits and the mean to the
same place.
"""
import csv
import math
import sys


def fmt(mean, hw, unit):
    if unit == "pct":
        mean, hw = mean * 100, hw * 100
    d = max(0, 1 - math.floor(math.log10(hw))) if hw > 0 else 0
    if hw == 0 and mean != 0:
        d = max(0, 2 - math.floor(math.log10(abs(mean))))
    if d == 0:
        # two significant digits of the half-width at most: round both to that place
        place = 10 ** max(0, math.floor(math.log10(hw)) - 1) if hw > 0 else 1
        mean, hw = round(mean / place) * place, round(hw / place) * place
    def num(x):
        return f"{x:,.{d}f}"
    suffix = {"s": " s", "pct": "%", "money": ""}.get(unit, "")
    return f"{num(mean)}{suffix}" if hw == 0 else f"{num(mean)} ± {num(hw)}{suffix}"


def main(argv):
    cols = []
    for a in argv:
        header, _, spec = a.partition("=")
        parts = spec.split(":")
        d, scope, metric = parts[0], ":".join(parts[1:-1]), parts[-1]
        unit = ""
        if metric in ("s", "pct", "money"):
            unit, metric = metric, parts[-2]
            scope = ":".join(parts[1:-2])
        cols.append((header, d, scope, metric, unit))
    data, policies = {}, []
    for _, d, _, _, _ in cols:
        if d in data:
            continue
        data[d] = {}
        with open(f"{d}/summary.csv", newline="") as f:
            for r in csv.DictReader(f):
                if r["mean"] == "":      # a metric the policy reports no figure for
                    continue
                data[d][(r["policy"], r["scope"], r["metric"])] = (float(r["mean"]),
                                                                  float(r["half_width"] or 0))
                if d == cols[0][1] and r["policy"] not in policies:
                    policies.append(r["policy"])
    print("| policy | " + " | ".join(c[0] for c in cols) + " |")
    print("|---|" + "---:|" * len(cols))
    for p in policies:
        cells = []
        for _, d, scope, metric, unit in cols:
            v = data[d].get((p, scope, metric))
            cells.append("" if v is None else fmt(v[0], v[1], unit))
        print(f"| `{p}` | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
