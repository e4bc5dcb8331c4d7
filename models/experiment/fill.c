/* fill.c - the fill experiment (fill.h). One task per (placement, seed), each writing
 * only its own rows of the result, so that -j changes nothing but the time. */
#include "fill.h"

#include "rng.h"
#include "runner.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Stream sources of one seed: the tuned pod list is the same for every placement (they
 * are compared on the same workload); `random` draws from its own stream, and the nodes'
 * order that breaks the other placements' ties (the reference prefixes node names with
 * rand.Perm and takes the smallest name) from a third. */
enum { SRC_WORKLOAD = 1, SRC_PLACE = 2, SRC_NODES = 3 };

typedef struct task_ctx {
	const fill_cfg *cfg;
	fill_result *r;
	gs_typical typical;
} task_ctx;

static long long demand(const gs_pod *p) { return (long long)p->num_gpu * p->gpu_milli; }

/* The reference's TunePodsByNodeTotalResource: the trace in order; when its demand
 * passes until x capacity, pods removed uniformly at random until it does not; else
 * pods drawn uniformly with replacement from the trace and appended while the next one
 * keeps the demand within it. Returns the list (malloc'd) and its length in *n. */
static gs_pod *tune(const fill_cfg *cfg, gsl_rng *rng, long *n)
{
	double target = cfg->until * (double)cfg->cluster->gpu_milli;
	long long total = 0;
	size_t cap = (size_t)cfg->npods + 16;
	gs_pod *list = malloc(cap * sizeof *list);
	if (!list)
		return NULL;
	memcpy(list, cfg->pods, (size_t)cfg->npods * sizeof *list);
	long len = cfg->npods;
	for (long i = 0; i < len; i++)
		total += demand(&list[i]);
	while ((double)total > target && len > 0) {
		long k = (long)gsl_rng_uniform_int(rng, (unsigned long)len);
		total -= demand(&list[k]);
		memmove(&list[k], &list[k + 1], (size_t)(len - k - 1) * sizeof *list);
		len--;
	}
	for (;;) {
		const gs_pod *p = &cfg->pods[gsl_rng_uniform_int(rng, (unsigned long)cfg->npods)];
		if ((double)(total + demand(p)) > target)
			break;
		if ((size_t)len == cap) {
			gs_pod *bigger = realloc(list, 2 * cap * sizeof *list);
			if (!bigger) {
				free(list);
				return NULL;
			}
			list = bigger;
			cap *= 2;
		}
		list[len++] = *p;
		total += demand(p);
	}
	if (cfg->shuffle) /* the published runs shuffle the tuned list (rand.Shuffle) */
		for (long i = len - 1; i > 0; i--) {
			long j = (long)gsl_rng_uniform_int(rng, (unsigned long)i + 1);
			gs_pod x = list[i];
			list[i] = list[j];
			list[j] = x;
		}
	*n = len;
	return list;
}

static int fill_task(void *vctx, int worker, int i)
{
	task_ctx *ctx = vctx;
	const fill_cfg *cfg = ctx->cfg;
	fill_result *r = ctx->r;
	int pl_i = i / cfg->seeds, s = i % cfg->seeds, pl = cfg->placements[pl_i];
	gsl_rng *wrng = rng_stream(cfg->seed, (uint32_t)s, SRC_WORKLOAD);
	gsl_rng *prng = rng_stream(cfg->seed, (uint32_t)s, SRC_PLACE);
	gsl_rng *nrng = rng_stream(cfg->seed, (uint32_t)s, SRC_NODES);
	gs_cluster c = *cfg->cluster;
	long n = 0;
	gs_pod *list = NULL;
	int rc = -1, *rank = malloc((size_t)(c.n > 0 ? c.n : 1) * sizeof *rank);
	c.nodes = malloc((size_t)c.n * sizeof *c.nodes);
	if (!wrng || !prng || !nrng || !rank || !c.nodes || !(list = tune(cfg, wrng, &n)))
		goto out;
	for (int k = 0; k < c.n; k++) /* Fisher-Yates: a uniform permutation */
		rank[k] = k;
	for (int k = c.n - 1; k > 0; k--) {
		int j = (int)gsl_rng_uniform_int(nrng, (unsigned long)k + 1), x = rank[k];
		rank[k] = rank[j];
		rank[j] = x;
	}
	c.rank = rank;
	memcpy(c.nodes, cfg->cluster->nodes, (size_t)c.n * sizeof *c.nodes);
	c.cache = NULL;
	/* the memo only saves time: without it (out of memory) the same choices, slower */
	(void)gs_cache_attach(&c, &ctx->typical);
	double cap = (double)c.gpu_milli, frag = gs_cluster_frag(&c);
	long long arrived = 0, alloc = 0, failed = 0;
	size_t row = ((size_t)pl_i * (size_t)cfg->seeds + (size_t)s) * (size_t)r->npoints;
	int k = 0;
	/* point k is the cluster as the first pod that brings the arrived demand to k
	 * percent or past it left it (the published curves' x) */
	for (long j = 0; j < n && k < r->npoints; j++) {
		const gs_pod *p = &list[j];
		int gpus[GS_MAX_GPUS];
		int node = gs_choose(&c, pl, p, &ctx->typical, prng, gpus);
		arrived += demand(p);
		if (node >= 0) {
			frag -= c.nodes[node].frag;
			gs_take(&c, node, p, gpus, &ctx->typical);
			frag += c.nodes[node].frag;
			alloc += demand(p);
		} else {
			failed += demand(p);
		}
		while (k < r->npoints && 100.0 * (double)arrived >= k * cap) {
			r->alloc[row + (size_t)k] = 100.0 * (double)alloc / cap;
			r->failed[row + (size_t)k] = 100.0 * (double)failed / cap;
			r->frag[row + (size_t)k] = 100.0 * frag / cap;
			k++;
		}
	}
	/* the tuned demand stops just short of until x capacity: the last points are the end */
	for (; k < r->npoints; k++) {
		r->alloc[row + (size_t)k] = 100.0 * (double)alloc / cap;
		r->failed[row + (size_t)k] = 100.0 * (double)failed / cap;
		r->frag[row + (size_t)k] = 100.0 * frag / cap;
	}
	r->npods_arrived[(size_t)pl_i * (size_t)cfg->seeds + (size_t)s] = n;
	rc = 0;
out:
	(void)worker;
	free(list);
	gs_cache_detach(&c);
	free(c.nodes);
	free(rank);
	gsl_rng_free(nrng);
	gsl_rng_free(wrng);
	gsl_rng_free(prng);
	return rc;
}

int fill_run(const fill_cfg *cfg, fill_result *r, _Atomic int *stop, char *err, size_t errlen)
{
	task_ctx ctx = {.cfg = cfg, .r = r};
	memset(r, 0, sizeof *r);
	r->npoints = (int)floor(100.0 * cfg->until + 1e-9) + 1;
	r->nplacements = cfg->nplacements;
	r->seeds = cfg->seeds;
	size_t cells = (size_t)cfg->nplacements * (size_t)cfg->seeds * (size_t)r->npoints;
	r->alloc = calloc(cells, sizeof *r->alloc);
	r->frag = calloc(cells, sizeof *r->frag);
	r->failed = calloc(cells, sizeof *r->failed);
	r->npods_arrived = calloc((size_t)cfg->nplacements * (size_t)cfg->seeds, sizeof(long long));
	if (!r->alloc || !r->frag || !r->failed || !r->npods_arrived ||
	    gs_typical_build(&ctx.typical, cfg->pods, cfg->npods)) {
		fill_result_free(r);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	int rc = runner_run(cfg->nplacements * cfg->seeds, cfg->threads, fill_task, &ctx, stop);
	gs_typical_free(&ctx.typical);
	if (rc || (stop && *stop)) {
		fill_result_free(r);
		snprintf(err, errlen, rc ? "out of memory" : "stopped");
		return -1;
	}
	return 0;
}

void fill_result_free(fill_result *r)
{
	if (!r)
		return;
	free(r->alloc);
	free(r->frag);
	free(r->failed);
	free(r->npods_arrived);
	memset(r, 0, sizeof *r);
}
