/* load.h - a pool's offered load as a planner needs it: GPU-time demanded over GPUs,
 * and slot-time demanded over the slots packing allows (5-GPU jobs on 8-GPU nodes fit
 * one a node, so three GPUs of each node stay idle however long the queue), and
 * whether abandonment bounds the queue when the load is at or above 1. What `fgsim
 * check`, the stability warning of `fgsim run`, run.json and the memory estimate say. */
#ifndef FGSIM_LOAD_H
#define FGSIM_LOAD_H
#include <stddef.h>

#include "scenario.h"

typedef struct pool_load {
	double gpus;     /* GPU-time demanded over the pool's GPUs (scenario_offered_load) */
	double packed;   /* per class, its jobs' time over how many of them the pool holds at
			    once, summed over the classes: >= gpus, equal when nothing is left
			    over (1-GPU jobs, 0.5-GPU jobs, 4-GPU jobs on 8-GPU nodes) */
	int classes;     /* classes whose jobs may run on the pool */
	int all_patient; /* each of them has patience: abandonment bounds the queue */
} pool_load;

/* Offered load of pool p in GPUs busy over GPUs, assuming each class's jobs spread over
 * its pools in proportion to how many of them each holds at once (load_jobs_fit: its
 * GPUs for jobs of one GPU or a share of one), and a trace's job by job (scenario.h's
 * trace_pool_gpu_seconds). A planning estimate, not a model result. */
double scenario_offered_load(const scenario *sc, int pool);

/* How many jobs of milli thousandths of a GPU pool q holds at once when they are all
 * it runs (its own nodes, burst nodes off): per GPU floor(1000 / milli) fractions; per
 * node floor(its GPUs / the job's GPUs) jobs of whole GPUs; a gang takes whole nodes
 * of the pool's largest size. 0 when such a job cannot run there. */
long load_jobs_fit(const scenario *sc, int q, int milli);

/* Pool q's loads. A trace's jobs bring their own sizes, so for a replayed trace packed
 * is gpus. NAN where a class has no expected service on q (no calibration file). */
void load_pool(const scenario *sc, int q, pool_load *out);

/* Is the pool's queue expected to grow without bound (packed load >= 1, some class
 * without patience)? */
int load_unbounded(const pool_load *l);

/* The stability message for pool q, without "warning: ", into buf: NULL when its
 * packed load is under 1. "pool P: offered load 1.300 >= 1: the queue grows without
 * bound", with both loads where packing makes them differ, or "...: abandonment bounds
 * the queue (every class has patience); expect many abandoned jobs". */
const char *load_warning(const scenario *sc, int q, char *buf, size_t len);
#endif
