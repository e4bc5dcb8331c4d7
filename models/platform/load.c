/* load.c - offered load with packing (load.h). For one class the packed load is exact:
 * a pool that holds m of its jobs at once is an m-server queue, stable when
 * lambda x E[S] / m < 1, whatever GPUs are left idle beside them. For a mix the figure
 * adds each class's share of "the pool filled with that class alone"; the true
 * stability region of jobs of several sizes packed on nodes is not one number, and this
 * one is exact at each pure mix and the GPU load's upper neighbour in between. */
#include "load.h"

#include <math.h>
#include <stdio.h>

#include "check.h"

/* Jobs of `milli` that one node of `gpus` GPUs holds (no gangs here). */
static long per_node(int gpus, int milli)
{
	if (milli < SC_MILLI) /* fractions share a GPU, never beyond it */
		return (long)gpus * (SC_MILLI / milli);
	return milli % SC_MILLI ? 0 : gpus / (milli / SC_MILLI);
}

/* The part of class k's arrivals that pool q takes: its pools split them in proportion to
 * how many of its jobs each holds at once, so that with one class every pool is equally
 * busy, the split that keeps the whole cluster stable as long as it can be. In proportion
 * to GPUs instead, a pool with few nodes big enough for 8-GPU jobs (17 4-GPU nodes among
 * 404, as gangs of two) would take the share its 842 GPUs call for, and look overloaded
 * while the 8-GPU nodes elsewhere have room. 0 when q cannot run them. */
static double class_share(const scenario *sc, int k, int q)
{
	const class_spec *c = &sc->classes[k];
	double all = 0, here = 0;
	for (int i = 0; i < c->npools; i++) {
		double n = (double)load_jobs_fit(sc, c->pools[i], c->gpus_milli);
		all += n;
		if (c->pools[i] == q)
			here = n;
	}
	return all > 0 ? here / all : 0;
}

double scenario_offered_load(const scenario *sc, int pool)
{
	/* a trace's jobs bring their own sizes and pools: the loader spread their work (job
	 * by job: scenario_trace.c); scale replays each row that often on average */
	if (sc->trace)
		return sc->scale * sc->trace_pool_gpu_seconds[pool] / sc->horizon /
		       (double)scenario_pool_gpus(sc, pool);
	double busy = 0;
	for (int k = 0; k < sc->nclasses; k++) {
		double share = class_share(sc, k, pool);
		if (share > 0)
			busy += scenario_class_rate(sc, k) * share *
				scenario_expected_service(sc, k, pool) *
				sc->classes[k].gpus_milli / SC_MILLI;
	}
	return busy / (double)scenario_pool_gpus(sc, pool);
}

long load_jobs_fit(const scenario *sc, int q, int milli)
{
	const pool_spec *p = &sc->pools[q];
	FG_ASSERT(milli > 0); /* the loader refuses a class of 0 GPUs */
	int node = p->gpus_per_node * SC_MILLI; /* the largest node size, mixed sizes or not */
	if (milli > node) { /* a gang: whole nodes of the largest size, started together */
		if (milli % node)
			return 0;
		return scenario_pool_full_nodes(sc, q) / (milli / node);
	}
	if (!p->nsizes)
		return (long)p->nodes * per_node(p->gpus_per_node, milli);
	long n = 0;
	for (int i = 0; i < p->nsizes; i++)
		n += (long)p->size[i].nodes * per_node(p->size[i].gpus, milli);
	return n;
}

void load_pool(const scenario *sc, int q, pool_load *out)
{
	FG_ASSERT(q >= 0 && q < sc->npools);
	out->gpus = scenario_offered_load(sc, q);
	out->packed = 0;
	out->classes = 0;
	out->all_patient = 1;
	for (int k = 0; k < sc->nclasses; k++) {
		const class_spec *c = &sc->classes[k];
		if (sc->trace) { /* a trace class: its jobs' sizes vary, its pools are its own */
			int on_q = 0;
			for (int i = 0; i < c->npools; i++)
				on_q |= c->pools[i] == q;
			if (on_q) {
				out->classes++;
				out->all_patient &= c->has_patience;
			}
			continue;
		}
		/* the split scenario_offered_load makes: with it each class adds the same
		 * packed load to every pool that can run it */
		double share = class_share(sc, k, q);
		if (!(share > 0))
			continue;
		out->classes++;
		out->all_patient &= c->has_patience;
		double busy =
			scenario_class_rate(sc, k) * share * scenario_expected_service(sc, k, q);
		out->packed += busy / (double)load_jobs_fit(sc, q, c->gpus_milli);
	}
	if (sc->trace) /* each job its own size: no class size to pack */
		out->packed = out->gpus;
	/* packing never holds more than the GPUs do; only rounding may differ */
	FG_ASSERT(!(out->packed < out->gpus * (1 - 1e-9)) || !(out->classes > 0));
	if (out->classes == 0)
		out->all_patient = 0;
}

int load_unbounded(const pool_load *l)
{
	return l->packed >= 1 && !l->all_patient; /* NAN (no estimate): no claim */
}

const char *load_warning(const scenario *sc, int q, char *buf, size_t len)
{
	pool_load l;
	load_pool(sc, q, &l);
	if (!(l.packed >= 1)) /* NAN too: no expected service, nothing to warn on */
		return NULL;
	char load[96];
	/* both figures where packing leaves GPUs idle: the GPU figure alone looks safe */
	if (fabs(l.packed - l.gpus) > 5e-4 * l.packed)
		snprintf(load, sizeof load,
			 "offered load %.3f of GPUs, %.3f of what packing allows", l.gpus,
			 l.packed);
	else
		snprintf(load, sizeof load, "offered load %.3f", l.packed);
	if (l.all_patient)
		snprintf(buf, len,
			 "pool %s: %s >= 1: abandonment bounds the queue (every class has "
			 "patience); expect many abandoned jobs",
			 sc->pools[q].name, load);
	else
		snprintf(buf, len, "pool %s: %s >= 1: the queue grows without bound",
			 sc->pools[q].name, load);
	return buf;
}
