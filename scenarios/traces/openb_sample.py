#!/usr/bin/env python3
"""Cuts the bundled openb sample out of Alibaba's published trace (see README.md).

    python3 openb_sample.py openb_pod_list_default.csv openb_node_list_gpu_node.csv

writes openb_pod_list_window.csv and openb_node_list_subset.csv here. Every row is a row
of the published files, columns unchanged, except that the pods' three times are shifted
so that the window starts at 0 s: fgsim's runs start at 0, and the real trace is quiet for
its first 109 days (a handful of long pods).
"""
import csv
import os
import sys

START = 135 * 86400  # the window: pods created from day 135 ...
END = 149 * 86400    # ... to day 149 (the trace's last pod is created at 149.3 days)
# The cluster: the first nodes of each (GPUs per node, model) in the published order,
# 36 GPUs: a size the window's pods keep busy (they hold 23 GPUs on average, some of
# them a fraction of a GPU each, and their 8-GPU pods need a whole G2 node).
NODES = {(8, "G2"): 3, (4, "T4"): 1, (2, "T4"): 1, (4, "V100M16"): 1, (2, "P100"): 1}
TIMES = ("creation_time", "deletion_time", "scheduled_time")


def main(pods, nodes):
    here = os.path.dirname(os.path.abspath(__file__))
    with open(pods, newline="") as f, \
            open(os.path.join(here, "openb_pod_list_window.csv"), "w", newline="") as o:
        r = csv.DictReader(f)
        w = csv.DictWriter(o, r.fieldnames, lineterminator="\n")
        w.writeheader()
        for row in r:
            t = int(row["creation_time"])
            if START <= t < END:
                for k in TIMES:
                    if row[k]:
                        row[k] = str(int(row[k]) - START)
                w.writerow(row)
    left = dict(NODES)
    with open(nodes, newline="") as f, \
            open(os.path.join(here, "openb_node_list_subset.csv"), "w", newline="") as o:
        r = csv.DictReader(f)
        w = csv.DictWriter(o, r.fieldnames, lineterminator="\n")
        w.writeheader()
        for row in r:
            key = (int(row["gpu"]), row["model"])
            if left.get(key, 0) > 0:
                left[key] -= 1
                w.writerow(row)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
