"""backfill_check.py JOBS.CSV POLICY GPUS - the EASY backfill promise, checked from the
outside: on one node of GPUS GPUs with exact estimates, at every moment the oldest
waiting job (the head) has a reservation, the earliest time enough GPUs free up as
the running jobs end; the head must start no later than any reservation it was given.
Prints the number of (replication, moment) checks and of violations; exit 1 on any."""
import csv
import sys

path, policy, total = sys.argv[1], sys.argv[2], float(sys.argv[3])
reps = {}
with open(path) as f:
    for row in csv.DictReader(f):
        if row["policy"] != policy:
            continue
        start = float(row["start"]) if row["start"] else float("inf")
        end = float(row["end"]) if row["outcome"] == "done" else float("inf")
        reps.setdefault(row["replication"], []).append(
            (float(row["arrival"]), int(row["job"]), start, end, float(row["gpus"])))

checks = bad = 0
for rep, jobs in reps.items():
    times = sorted({t for j in jobs for t in (j[0], j[2], j[3]) if t != float("inf")})
    by_arrival = sorted(jobs)
    k = 0
    waiting = []  # arrived, not started, in arrival order
    for t in times:
        while k < len(by_arrival) and by_arrival[k][0] <= t:
            waiting.append(by_arrival[k])
            k += 1
        waiting = [j for j in waiting if j[2] > t]
        if not waiting:
            continue
        head = waiting[0]
        running = sorted((j[3], j[4]) for j in jobs if j[2] <= t < j[3])
        free = total - sum(g for _, g in running)
        reservation = t
        for end, g in running:
            if free >= head[4] - 1e-9:
                break
            free += g
            reservation = end
        checks += 1
        if head[2] > reservation + 1e-6 * max(1.0, reservation):
            bad += 1
            if bad <= 5:
                print(f"rep {rep}: job {head[1]} (head at t={t:.6g}, {head[4]:g} GPUs) reserved for "
                      f"{reservation:.10g}, started {head[2]:.10g}")
print(f"{checks} head reservations checked, {bad} delayed")
sys.exit(1 if bad or checks == 0 else 0)
