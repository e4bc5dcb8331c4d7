/* fill.h - the fill experiment of Weng et al. (USENIX ATC 2023), as its reference
 * simulator's "workload tuning" runs it: a pod list placed pod by pod on an empty
 * cluster, never leaving, until the arrived GPU demand reaches `until` times the
 * cluster's GPUs; the allocation, fragmentation and failures recorded at each percent
 * of arrived demand, for each placement and seed (fill.c). */
#ifndef FGSIM_FILL_H
#define FGSIM_FILL_H
#include "gpushare.h"
#include <stddef.h>
#include <stdint.h>

typedef struct fill_cfg {
	const gs_cluster *cluster;
	const gs_pod *pods; /* the trace, in submission order */
	long npods;
	double until;       /* arrived demand to reach, times the cluster's GPU capacity */
	int seeds, threads;
	uint64_t seed;      /* seed i of the experiment is rng stream (seed, i) */
	int shuffle;        /* shuffle the tuned pod list (the published runs' --shuffle-pod) */
	int nplacements, placements[GS_NPLACEMENTS];
} fill_cfg;

/* Results: value[(pl * seeds + s) * npoints + k] at arrived = k percent. Percentages
 * of the cluster's GPU milli. */
typedef struct fill_result {
	int npoints, nplacements, seeds;
	double *alloc, *frag, *failed;
	long long *npods_arrived; /* per placement and seed: pods in the tuned list */
} fill_result;

/* Runs every (placement, seed) on cfg->threads threads; the result does not depend on
 * the thread count. Returns 0, or -1 with the reason in err (out of memory, or stopped
 * when *stop became non-zero). */
int fill_run(const fill_cfg *cfg, fill_result *r, _Atomic int *stop, char *err, size_t errlen);
void fill_result_free(fill_result *r);
#endif
