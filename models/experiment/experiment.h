/* experiment.h - every policy of a scenario times its replications, on threads, with
 * their per-replication figures kept in (policy, replication) order for output. */
#ifndef FGSIM_EXPERIMENT_H
#define FGSIM_EXPERIMENT_H
#include <stdio.h>

#include "metrics.h"
#include "scenario.h"
#include "waithist.h"
#include "warmup.h"

/* How a precision-driven run (run.precision) ended. */
typedef struct experiment_precision {
	int met;          /* every named metric, every policy within target */
	int rounds;       /* batches run */
	double worst;     /* the largest half-width over its target seen at the end (<= 1 when met) */
	int worst_policy; /* and where: policy index and metric_id */
	int worst_metric;
} experiment_precision;

typedef struct experiment {
	const scenario *sc;    /* the scenario as run: with run.warmup = "auto" or run.precision,
				  a copy holding the chosen warm-up and the final replication count */
	int threads, quiet;
	rep_metrics *reps;     /* [policy * replications + rep] */
	FILE **jobs_parts;     /* per task, when jobs.csv is asked for */
	FILE **ts_parts;       /* per task, when timeseries.csv is asked for */
	waithist *waits;       /* every replication's waits, per policy and scope (wait_hist.csv) */
	double wall_seconds, events, arrivals;
	_Atomic int *stop;     /* set by a signal handler to end early, read by every worker */
	scenario *own;         /* the copy e->sc points to, or NULL */
	warmup_choice warmup;  /* with run.warmup = "auto" */
	experiment_precision precision; /* with run.precision */
	char error[1024];      /* why a run failed other than for memory (a plugin's breach) */
} experiment;

/* Runs sc. Returns 0; -1 on no memory or an I/O error, or on a plugin's breach of the
 * rules (then e->error says what); 1 if stopped by *stop. With
 * run.warmup = "auto" it first runs a pilot (warmup.h); with run.precision it adds
 * replications in batches until the target is met or max_replications is reached.
 * Replication r always uses the same random streams, so the result equals a fixed run
 * with the final count, on any number of threads or processes. Unless quiet, the choices
 * are reported on stderr. */
int experiment_run(experiment *e, const scenario *sc, int threads, int quiet, _Atomic int *stop);
void experiment_free(experiment *e);
static inline rep_metrics *experiment_rep(const experiment *e, int policy, int rep)
{
	return &e->reps[(size_t)policy * e->sc->replications + rep];
}

/* Spreading an experiment over processes (MPI ranks; bin/fgsim-mpi sets the hook):
 * process `rank` of `size` runs the tasks whose index in a batch is rank modulo size,
 * then share() broadcasts each task's result from the process that ran it, so every
 * process ends with all of them and takes the same decisions (precision batches).
 * agree() returns the worst (largest) of every process's status. NULL: one process. */
typedef struct experiment_spread {
	int rank, size;
	int (*share)(void *buf, size_t bytes, int owner); /* 0, or -1 on failure */
	int (*agree)(int rc);
} experiment_spread;
extern const experiment_spread *experiment_spread_hook;

/* What a command does around its experiments under a spread. Process 0 alone reads and
 * writes the output folder (a resumed sweep's saved points included) and decides from
 * it; the others follow its decision, so they need not see the same files (another
 * machine's disk). Without a spread, or with one process, each is trivial. */
/* Whether this process writes output: no spread, or process 0. */
int experiment_is_root(void);
/* The worst status over every process (experiment_spread.agree), or rc alone. */
int experiment_agree(int rc);
/* Gives every process process 0's bytes of buf. Returns 0, or -1 on failure. */
int experiment_from_root(void *buf, size_t bytes);
#endif
