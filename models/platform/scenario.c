/* scenario.c - the scenario a run is given, as plain structs (scenario.h): the questions
 * the platform and the outputs ask of it, and freeing it. Loading it from a file is the
 * scenario layer's job (models/scenario/scenario_load.c); nothing here parses, so the
 * platform, below the loader, can use it. */
#include "scenario.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "plugin.h"

void scenario_free(scenario *sc)
{
	if (!sc)
		return;
	for (int i = 0; i < sc->nclasses; i++) {
		dist_free(&sc->classes[i].service);
		dist_free(&sc->classes[i].estimate);
		dist_free(&sc->classes[i].patience);
		dist_free(&sc->classes[i].steps);
		service_free(&sc->classes[i].svc); /* before the tables it borrows */
	}
	sc->nclasses = 0;
	for (int q = 0; q < sc->npools; q++) {
		dist_free(&sc->pools[q].fail_gap);
		dist_free(&sc->pools[q].repair);
		dist_free(&sc->pools[q].reclaim);
		dist_free(&sc->pools[q].spot_return);
	}
	for (int i = 0; i < sc->ncalib; i++)
		calib_free(&sc->calib[i]);
	free(sc->calib);
	sc->calib = NULL;
	sc->ncalib = 0;
	free(sc->tenant_weight);
	sc->tenant_weight = NULL;
	free(sc->shapes);
	sc->shapes = NULL;
	sc->nshapes = 0;
	for (int i = 0; i < SC_MAX_POLICIES; i++)
		if (sc->policies[i].dl) {
			plugin_close(sc->policies[i].dl);
			sc->policies[i].dl = NULL;
			sc->policies[i].plugin = NULL;
		}
	plugin_close(sc->place_plugin.dl);
	sc->place_plugin.dl = NULL;
	sc->place_plugin.plugin = NULL;
	config_destroy(&sc->cfg);
}

double scenario_class_rate(const scenario *sc, int k)
{
	double f = 1;
	if (sc->has_profile) {
		f = 0;
		for (int h = 0; h < 24; h++)
			f += sc->daily_profile[h] / 24;
	}
	if (sc->has_weekly) { /* then the mean over a week */
		double w = 0;
		for (int d = 0; d < 7; d++)
			w += sc->weekly_profile[d] / 7;
		f *= w;
	}
	return sc->rate * f * sc->classes[k].share;
}

long scenario_pool_gpus(const scenario *sc, int pool)
{
	const pool_spec *p = &sc->pools[pool];
	if (!p->nsizes)
		return (long)p->nodes * p->gpus_per_node;
	long gpus = 0;
	for (int i = 0; i < p->nsizes; i++)
		gpus += (long)p->size[i].nodes * p->size[i].gpus;
	return gpus;
}

int scenario_pool_full_nodes(const scenario *sc, int pool)
{
	const pool_spec *p = &sc->pools[pool];
	/* size[0] is the largest: the node-list reader sorts sizes largest first */
	return p->nsizes ? p->size[0].nodes : p->nodes;
}

/* Tenants drawn from a Zipf mix are numbered (t1, t2, ...); a class that is its own
 * single tenant is named after the class, so its rows read as what the user wrote. */
const char *scenario_tenant_name(const scenario *sc, uint32_t t, char *buf, size_t len)
{
	snprintf(buf, len, "t%u", t + 1);
	if ((int)t < sc->zipf_tenants)
		return buf;
	for (int k = 0; k < sc->nclasses; k++)
		if (sc->classes[k].tenant_base == (int)t && sc->classes[k].ntenants == 1 && sc->classes[k].zipf_s == 0)
			snprintf(buf, len, "%s", sc->classes[k].name);
	return buf;
}

double scenario_expected_service(const scenario *sc, int k, int q)
{
	const class_spec *c = &sc->classes[k];
	if (!c->has_steps)
		return c->service.mean;
	if (c->pool_gpu[q] < 0)
		return NAN;
	return service_expected_time(&c->svc, c->pool_gpu[q], (double)c->gpus_milli / SC_MILLI, c->steps.mean);
}
