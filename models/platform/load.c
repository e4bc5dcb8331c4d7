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
		/* its arrivals split over the pools it fits, in proportion to their GPUs (the
		 * split scenario_offered_load makes, less the pools its size cannot use) */
		double gpus_k = 0;
		int on_q = 0;
		for (int i = 0; i < c->npools; i++)
			if (sc->trace || load_jobs_fit(sc, c->pools[i], c->gpus_milli) > 0) {
				gpus_k += (double)scenario_pool_gpus(sc, c->pools[i]);
				on_q |= c->pools[i] == q;
			}
		if (!on_q || !(gpus_k > 0))
			continue;
		out->classes++;
		out->all_patient &= c->has_patience;
		if (sc->trace)
			continue;
		double share = (double)scenario_pool_gpus(sc, q) / gpus_k;
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
