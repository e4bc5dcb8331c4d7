/* waithist.c - pooling the replications' wait histograms. Each replication's CDF is
 * folded into a running minimum and maximum per bucket as it arrives, so the band
 * across replications needs no per-replication storage; minimum, maximum and sums do
 * not depend on the order of the folds, so the bytes are the same for any -j. */
#include "waithist.h"

#include <stdlib.h>

#include "check.h"

waithist *waithist_new(int npolicies, int nscopes)
{
	waithist *w = calloc(1, sizeof *w);
	FG_ASSERT(npolicies >= 1 && nscopes >= 1);
	if (!w || !(w->cell = calloc((size_t)npolicies * nscopes, sizeof *w->cell))) {
		free(w);
		return NULL;
	}
	w->npolicies = npolicies;
	w->nscopes = nscopes;
	return w;
}

void waithist_free(waithist *w)
{
	if (!w)
		return;
	free(w->cell);
	free(w);
}

/* The coarse bucket of the engine's bucket i: exact zeros stay apart. */
static int coarse(int i)
{
	return i == 0 ? 0 : 1 + ((i - 1) >> WAITHIST_MERGE_BITS);
}

void waithist_add(waithist_cell *c, const hist *h)
{
	if (h->n == 0) /* no wait: no CDF to bound, nothing to pool */
		return;
	uint64_t cum = 0, seen = 0;
	for (int i = 0; i < HIST_BUCKETS; i++)
		if (h->count[i]) {
			c->count[coarse(i)] += h->count[i];
			seen += h->count[i];
		}
	FG_ASSERT(seen == h->n); /* every wait is in one bucket */
	for (int b = 0, i = 0; b < WAITHIST_BUCKETS; b++) {
		for (; i < HIST_BUCKETS && coarse(i) == b; i++)
			cum += h->count[i];
		double f = (double)cum / (double)h->n;
		if (c->reps == 0 || f < c->cdf_min[b])
			c->cdf_min[b] = f;
		if (c->reps == 0 || f > c->cdf_max[b])
			c->cdf_max[b] = f;
	}
	FG_ASSERT(cum == h->n);
	c->reps++;
}

void waithist_merge(waithist_cell *a, const waithist_cell *b)
{
	if (b->reps == 0)
		return;
	for (int i = 0; i < WAITHIST_BUCKETS; i++) {
		a->count[i] += b->count[i];
		if (a->reps == 0 || b->cdf_min[i] < a->cdf_min[i])
			a->cdf_min[i] = b->cdf_min[i];
		if (a->reps == 0 || b->cdf_max[i] > a->cdf_max[i])
			a->cdf_max[i] = b->cdf_max[i];
	}
	a->reps += b->reps;
}

double waithist_lower(int b)
{
	return b == 0 ? 0 : hist_bucket_low(1 + ((b - 1) << WAITHIST_MERGE_BITS));
}

double waithist_upper(int b)
{
	return b == 0 ? 0 : hist_bucket_low(1 + (b << WAITHIST_MERGE_BITS));
}
