#!/usr/bin/python3
"""M/M/c FCFS in SimPy 2.3 (Debian's python3-simpy): the tool many would use instead.

usage: mmc_simpy.py LAMBDA MU C JOBS [SEED]
prints: jobs, mean wait, P(wait>0), jobs per second
"""
import random
import sys
import time

from SimPy.Simulation import Process, Resource, activate, hold, initialize, now, release, request, simulate

lam, mu, c, jobs = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rng = random.Random(int(sys.argv[5]) if len(sys.argv) > 5 else 1)
waits = []


class Job(Process):
    def run(self, servers):
        t0 = now()
        yield request, self, servers
        waits.append(now() - t0)
        yield hold, self, rng.expovariate(mu)
        yield release, self, servers


class Source(Process):
    def run(self, servers):
        for _ in range(jobs):
            yield hold, self, rng.expovariate(lam)
            j = Job()
            activate(j, j.run(servers))


initialize()
servers = Resource(capacity=c)
src = Source()
activate(src, src.run(servers))
t = time.perf_counter()
simulate(until=1e18)
secs = time.perf_counter() - t
print("jobs %d mean_wait %.6f p_wait %.6f jobs_per_s %.0f" % (
    len(waits), sum(waits) / len(waits), sum(w > 0 for w in waits) / len(waits), len(waits) / secs))
