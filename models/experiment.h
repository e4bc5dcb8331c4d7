/* experiment.h - every policy of a scenario times its replications, on threads, with
 * their per-replication figures kept in (policy, replication) order for output. */
#ifndef FGSIM_EXPERIMENT_H
#define FGSIM_EXPERIMENT_H
#include <stdio.h>

#include "metrics.h"
#include "scenario.h"

typedef struct experiment {
	const scenario *sc;
	int threads, quiet;
	rep_metrics *reps;     /* [policy * replications + rep] */
	FILE **jobs_parts;     /* per task, when jobs.csv is asked for */
	FILE **ts_parts;       /* per task, when timeseries.csv is asked for */
	double wall_seconds, events, arrivals;
	volatile int *stop;    /* set by a signal handler to end early */
	char error[1024];      /* why a run failed other than for memory (a plugin's breach) */
} experiment;

/* Runs sc. Returns 0; -1 on no memory or an I/O error, or on a plugin's breach of the
 * rules (then e->error says what); 1 if stopped by *stop. */
int experiment_run(experiment *e, const scenario *sc, int threads, int quiet, volatile int *stop);
void experiment_free(experiment *e);
static inline rep_metrics *experiment_rep(const experiment *e, int policy, int rep)
{
	return &e->reps[(size_t)policy * e->sc->replications + rep];
}
#endif
