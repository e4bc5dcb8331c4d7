/* forecast.c - burst capacity that plans ahead. Two triggers read the arrival rate the
 * scenario promises (daily and weekly profiles, promotions: promos.c) instead of the
 * queue: burst.prewarm requests nodes that long before each promotion window its pool
 * serves, so that they are up when it opens; burst.trigger = "forecast" asks every
 * FORECAST_STEP for the nodes the next hour's expected arrivals need. Both size with
 * forecast_nodes; the nodes go back by the usual idle rule (burst.c). */
#include <math.h>

#include "forecast.h"

#include "platform_internal.h"

#define FORECAST_STEP 300.0   /* seconds between two looks of the forecast trigger */
#define FORECAST_AHEAD 3600.0 /* the forecast's look-ahead: the next hour */

/* The sizing rule. Each class's expected arrival rate over [a, b) (the rate's exact
 * integral over the interval, divided by its length) is placed on its pools in its
 * order of preference, each pool taking jobs up to `target` of its own GPUs busy
 * (offered load = rate x mean service x GPUs per job); classes with fewer pools go
 * first, since they have nowhere else to go. What no pool takes goes to the first
 * pool of the class with burst nodes; pool q then needs ceil(left / target / GPUs per
 * node) of them, at most burst.max_nodes. A planning estimate, like the offered load
 * of scenario_offered_load, not a queueing result. */
int forecast_nodes(const scenario *sc, int q, double a, double b)
{
	double room[SC_MAX_POOLS], over[SC_MAX_POOLS] = {0};
	for (int r = 0; r < sc->npools; r++)
		room[r] = sc->pools[r].burst_target * (double)scenario_pool_gpus(sc, r);
	for (int npools = 1; npools <= SC_MAX_POOLS; npools++)
		for (int k = 0; k < sc->nclasses; k++) {
			const class_spec *c = &sc->classes[k];
			if (c->npools != npools)
				continue;
			double jobs = promos_rate_integral(sc, a, b, k) / (b - a),
			       gpus = c->gpus_milli / (double)SC_MILLI;
			int spill = -1;
			for (int i = 0; i < c->npools && jobs > 0; i++) {
				int r = c->pools[i];
				double per_job = scenario_expected_service(sc, k, r) *
						 gpus; /* GPU-seconds */
				if (!(per_job > 0))
					continue;
				if (spill < 0 && sc->pools[r].burst_max)
					spill = r;
				double take = fmin(jobs, room[r] / per_job);
				room[r] -= take * per_job;
				jobs -= take;
			}
			if (spill >= 0 && jobs > 0)
				over[spill] += jobs * scenario_expected_service(sc, k, spill) *
					       gpus;
		}
	const pool_spec *ps = &sc->pools[q];
	double n = ceil(over[q] / ps->burst_target / ps->gpus_per_node - 1e-9);
	return n <= 0 ? 0 : n >= ps->burst_max ? ps->burst_max : (int)n;
}

/* Pool q requests nodes until `want` are paid for (booting or up), each held until
 * `hold`. Returns 0, -1 on no memory. */
static int request_up_to(platform *p, int q, int want, double hold)
{
	int b0 = burst_first(p, q);
	for (int b = b0; b < b0 + p->sc->pools[q].burst_max && p->burst_paid[q] < want; b++)
		if (p->burst[b].state == BURST_OFF && burst_request(p, b, hold))
			return -1;
	/* nodes already up keep their place until the window too */
	for (int b = b0; b < b0 + p->sc->pools[q].burst_max; b++)
		if (p->burst[b].state != BURST_OFF && p->burst[b].hold < hold)
			p->burst[b].hold = hold;
	return 0;
}

/* Does promotion i bring demand to pool q (some class of it may run there)? */
static int serves(const platform *p, int i, int q)
{
	return (p->sc->promos[i].classes & p->pool_mask[q]) != 0;
}

/* Pool q's next pre-warm for promotion i, for its first occurrence that opens at or
 * after `after`: at its start less the pool's prewarm (now, if that has passed). The
 * event's argument is i x SC_MAX_POOLS + q: one pending event per (promotion, pool),
 * whatever the promotion's count. */
static int push_prewarm(platform *p, int i, int q, double after)
{
	const scenario *sc = p->sc;
	double s = promos_next_start(&sc->promos[i], after);
	if (!(s < sc->horizon))
		return 0;
	p->prewarm_for[i][q] = s; /* a prewarm longer than the gap between windows fires at once */
	return cal_push(&p->cal, fmax(s - sc->pools[q].burst_prewarm, p->now), EV_PREWARM,
			(uint32_t)(i * SC_MAX_POOLS + q));
}

int forecast_start(platform *p)
{
	const scenario *sc = p->sc;
	int forecast = 0;
	p->plans_ahead = 0;
	for (int q = 0; q < sc->npools; q++)
		if (sc->pools[q].burst_max) {
			forecast |= sc->pools[q].burst_forecast;
			p->plans_ahead |= sc->pools[q].burst_forecast ||
					  sc->pools[q].burst_prewarm > 0;
		}
	if (!p->plans_ahead) /* no event at all: the others' sequence numbers stay as they were */
		return 0;
	for (int i = 0; i < sc->npromos; i++)
		for (int q = 0; q < sc->npools; q++)
			if (sc->pools[q].burst_max && sc->pools[q].burst_prewarm > 0 &&
			    serves(p, i, q) && push_prewarm(p, i, q, -INFINITY))
				return -1;
	return forecast ? cal_push(&p->cal, 0, EV_FORECAST, 0) : 0;
}

int forecast_on_tick(platform *p)
{
	const scenario *sc = p->sc;
	for (int q = 0; q < sc->npools; q++) {
		if (!sc->pools[q].burst_max || !sc->pools[q].burst_forecast)
			continue;
		p->burst_want[q] = forecast_nodes(sc, q, p->now, p->now + FORECAST_AHEAD);
		if (request_up_to(p, q, p->burst_want[q], 0))
			return -1;
	}
	double next = p->now + FORECAST_STEP;
	return next < sc->horizon ? cal_push(&p->cal, next, EV_FORECAST, 0) : 0;
}

int forecast_on_prewarm(platform *p, uint32_t arg)
{
	const scenario *sc = p->sc;
	int i = (int)(arg / SC_MAX_POOLS), q = (int)(arg % SC_MAX_POOLS);
	FG_ASSERT(i < sc->npromos && q < sc->npools);
	const promo_spec *pr = &sc->promos[i];
	double s = p->prewarm_for[i][q];
	/* sized for the window's first hour (or all of it, if shorter), its demand in */
	int n = forecast_nodes(sc, q, s, s + fmin(pr->duration, FORECAST_AHEAD));
	if (request_up_to(p, q, n, s))
		return -1;
	return push_prewarm(p, i, q, s + pr->duration);
}
