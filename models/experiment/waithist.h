/* waithist.h - the wait distribution of an experiment, per policy and scope: the
 * replications' wait histograms (sim/hist.h) coarsened to WAITHIST_PER_OCTAVE buckets
 * per octave, pooled, with the range of the replications' own CDFs at every bucket
 * edge. Its memory is fixed by policies x scopes, whatever the replications or jobs. */
#ifndef FGSIM_WAITHIST_H
#define FGSIM_WAITHIST_H
#include <stddef.h>
#include <stdint.h>

#include "hist.h"

/* 16 buckets per octave (8 of the engine's 128 merged): each spans a factor 2^(1/16),
 * 4.4%, fine enough for a CDF drawn on a log axis and few enough rows that
 * wait_hist.csv stays small. Bucket 0 holds exact zeros. */
#define WAITHIST_MERGE_BITS 3
#define WAITHIST_PER_OCTAVE (1 << (HIST_SUB_BITS - WAITHIST_MERGE_BITS))
#define WAITHIST_BUCKETS (2 + ((HIST_BUCKETS - 2) >> WAITHIST_MERGE_BITS))

/* One policy and scope. */
typedef struct waithist_cell {
	uint64_t count[WAITHIST_BUCKETS]; /* pooled over replications */
	/* the lowest and highest, over the replications with a wait, of the share of that
	 * replication's waits below the bucket's upper edge */
	double cdf_min[WAITHIST_BUCKETS], cdf_max[WAITHIST_BUCKETS];
	uint32_t reps; /* replications that had at least one wait */
} waithist_cell;

typedef struct waithist {
	int npolicies, nscopes;
	waithist_cell *cell; /* [policy * nscopes + scope] */
} waithist;

/* A zeroed distribution for npolicies x nscopes. Returns NULL on no memory. */
waithist *waithist_new(int npolicies, int nscopes);
void waithist_free(waithist *w);
static inline waithist_cell *waithist_at(const waithist *w, int policy, int scope)
{
	return &w->cell[(size_t)policy * w->nscopes + scope];
}
/* Adds one replication's histogram h of a policy and scope. Not thread-safe: the
 * caller holds a lock. The result is the same in any order of replications. */
void waithist_add(waithist_cell *c, const hist *h);
/* Adds b's replications to a (another process's share of an experiment). */
void waithist_merge(waithist_cell *a, const waithist_cell *b);
/* Bucket b's edges in seconds: waits in [lower, upper); bucket 0 is [0, 0], exact
 * zeros, and bucket 1 also holds every wait below its lower edge (about 1 us). */
double waithist_lower(int b);
double waithist_upper(int b);
#endif
