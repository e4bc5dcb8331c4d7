/* platform.h - one replication of the GPU rental platform under one policy: arrivals,
 * queueing, placement, service, abandonment and billing as a discrete-event run.
 * A platform is a workspace reused across replications, one per thread. */
#ifndef FGSIM_PLATFORM_H
#define FGSIM_PLATFORM_H
#include <stdio.h>

#include "metrics.h"
#include "scenario.h"

typedef struct platform platform;
struct hist;

/* A workspace for sc. Returns NULL on no memory. */
platform *platform_new(const scenario *sc);
void platform_free(platform *p);

/* Optional per-replication outputs: rows are appended to these when non-NULL. */
typedef struct platform_sinks {
	FILE *jobs;        /* jobs.csv rows */
	FILE *timeseries;  /* timeseries.csv rows */
	_Atomic int *stop; /* when it becomes non-zero the run ends early (set by a signal
			      handler while workers read it: an atomic, not volatile) */
} platform_sinks;

/* From now on p publishes its simulated time to *clock every 65536 events (for the
 * progress line, whose thread reads it: a relaxed atomic store); NULL stops it. */
void platform_set_clock(platform *p, _Atomic double *clock);

/* Runs replication `rep` of policy `pi` (index into sc->policies) and fills *out.
 * Returns 0; 1 if stopped through sinks->stop (*out is then not filled); -1 on no memory;
 * -2 when a policy or placement plugin broke a rule (started a job that does not fit,
 * returned a job that is not waiting, ...): platform_error() says which, and when. */
int platform_run(platform *p, int pi, int rep, const platform_sinks *sinks, rep_metrics *out);
/* The message of the last run that returned -2 (or a failed plugin init), else "". */
const char *platform_error(const platform *p);

/* For tests: on (the default) lets a departure hand its GPUs straight to the head of the
 * queue where that ends as giving them back and placing the head would (on_depart); the
 * run's bytes must be the same either way. Returns the hand-offs of the last run. */
unsigned long long platform_hand_offs(platform *p, int allow);

/* For tests: the platform's invariants (pf_check) are walked after every event whose
 * count & mask is 0 (0: every event), the run stopping with the broken one on stderr
 * (abort). Debug builds start with 0xffff, release builds with none (all ones). */
void platform_check_every(platform *p, unsigned long long mask);

/* The wait histogram (sim/hist.h) of scope s in the last run that returned 0: the
 * scope's own, or all's where s is the same jobs (the one class, the one pool). Valid
 * until the next run. */
const struct hist *platform_waits(const platform *p, int s);

/* Column headers of the rows platform_run writes to its sinks: jobs.csv's whole, with
 * its newline; timeseries.csv's fixed columns only, its rows going on with one
 * busy_gpus:NAME column per pool in the scenario's order (the writer adds them). */
extern const char platform_jobs_header[];
extern const char platform_timeseries_header[];
#endif
