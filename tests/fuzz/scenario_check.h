/* scenario_check.h - what a successfully loaded scenario must satisfy (scenario.h and
 * the documented ranges, docs/scenarios.md), checked by the scenario and override harnesses. */
#ifndef FGSIM_FUZZ_SCENARIO_CHECK_H
#define FGSIM_FUZZ_SCENARIO_CHECK_H
#include <math.h>

#include "fuzz.h"
#include "load.h"
#include "scenario_load.h"

static inline void fuzz_check_dist(const dist *d)
{
	FUZZ_ASSERT(d->kind <= DIST_EMPIRICAL);
	FUZZ_ASSERT(isfinite(d->mean) && d->mean >= 0);
	FUZZ_ASSERT((d->kind == DIST_EMPIRICAL) == (d->values != NULL));
}

static inline void fuzz_check_scenario(const scenario *sc)
{
	FUZZ_ASSERT(memchr(sc->name, '\0', sizeof sc->name) && sc->name[0]);
	FUZZ_ASSERT(memchr(sc->currency, '\0', sizeof sc->currency) && sc->currency[0]);
	FUZZ_ASSERT(isfinite(sc->horizon) && sc->horizon > 0);
	FUZZ_ASSERT(isfinite(sc->warmup) && sc->warmup >= 0 && sc->warmup < sc->horizon);
	FUZZ_ASSERT(sc->replications >= 1);
	FUZZ_ASSERT(sc->confidence > 0.5 && sc->confidence < 1);
	FUZZ_ASSERT(sc->npools >= 1 && sc->npools <= SC_MAX_POOLS);
	for (int i = 0; i < sc->npools; i++) {
		const pool_spec *p = &sc->pools[i];
		FUZZ_ASSERT(p->name[0] && memchr(p->name, '\0', SC_NAME_MAX));
		FUZZ_ASSERT(p->nodes >= 1 && p->gpus_per_node >= 1);
		FUZZ_ASSERT(isfinite(p->cost_per_gpu_hour) && p->cost_per_gpu_hour >= 0);
		FUZZ_ASSERT(isfinite(p->price_per_gpu_hour) && p->price_per_gpu_hour >= 0);
	}
	FUZZ_ASSERT(isfinite(sc->rate) && sc->rate > 0);
	FUZZ_ASSERT(sc->nclasses >= 1 && sc->nclasses <= SC_MAX_CLASSES);
	double shares = 0;
	for (int k = 0; k < sc->nclasses; k++) {
		const class_spec *c = &sc->classes[k];
		FUZZ_ASSERT(c->share > 0 && c->share <= 1);
		shares += c->share;
		FUZZ_ASSERT(c->gpus_milli > 0);
		FUZZ_ASSERT(c->npools >= 1 && c->npools <= SC_MAX_POOLS);
		/* Some pool it may use holds it: on one node, or as a gang of whole nodes. */
		int fits = 0;
		for (int i = 0; i < c->npools; i++) {
			FUZZ_ASSERT(c->pools[i] >= 0 && c->pools[i] < sc->npools);
			const pool_spec *p = &sc->pools[c->pools[i]];
			long long node = (long long)p->gpus_per_node * SC_MILLI;
			fits |= c->gpus_milli <= node || (c->gpus_milli % node == 0 && c->gpus_milli / node <= p->nodes);
		}
		FUZZ_ASSERT(fits);
		if (c->has_steps) { /* profile + steps: every pool it may use is priced */
			fuzz_check_dist(&c->steps);
			FUZZ_ASSERT(c->steps.mean > 0);
			for (int i = 0; i < c->npools; i++) {
				double t = scenario_expected_service(sc, k, c->pools[i]);
				FUZZ_ASSERT(c->pool_gpu[c->pools[i]] >= 0 && isfinite(t) && t > 0);
			}
		} else {
			fuzz_check_dist(&c->service);
			FUZZ_ASSERT(c->service.mean > 0);
		}
		if (c->has_patience)
			fuzz_check_dist(&c->patience);
		double r = scenario_class_rate(sc, k);
		FUZZ_ASSERT(isfinite(r) && r > 0);
	}
	FUZZ_ASSERT(fabs(shares - 1) <= 1e-6);
	FUZZ_ASSERT(sc->npromos >= 0 && sc->npromos <= SC_MAX_PROMOS);
	for (int i = 0; i < sc->npromos; i++) {
		const promo_spec *p = &sc->promos[i];
		FUZZ_ASSERT(p->start >= 0 && p->duration >= 0 && p->start + p->duration <= sc->horizon);
		FUZZ_ASSERT(p->discount >= 0 && p->discount < 1);
		FUZZ_ASSERT(isfinite(p->demand) && p->demand > 0);
		for (int j = 0; j < i; j++) {
			const promo_spec *q = &sc->promos[j];
			FUZZ_ASSERT(!(p->start < q->start + q->duration && q->start < p->start + p->duration));
		}
	}
	FUZZ_ASSERT(sc->npolicies >= 1 && sc->npolicies <= SC_MAX_POLICIES);
	for (int i = 0; i < sc->npolicies; i++)
		FUZZ_ASSERT(sc->policies[i].label[0] && memchr(sc->policies[i].label, '\0', SC_NAME_MAX));
	FUZZ_ASSERT(isfinite(sc->timeseries_step) && sc->timeseries_step >= 0);
	for (int q = 0; q < sc->npools; q++)
		FUZZ_ASSERT(!isnan(scenario_offered_load(sc, q)));
}
#endif
