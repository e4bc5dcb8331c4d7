/* arrivals.c - Poisson and thinned non-homogeneous Poisson arrivals.
 *
 * Gaps, thinning, class choice and trace copies each draw from a stream of their own
 * (STREAM_GAP, ...), so the number of draws one of them makes (thinning rejects more
 * candidates where the rate is low) never shifts what the others draw. */
#include "arrivals.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "cluster.h"
#include "dist.h"
#include "promos.h"
#include "rng.h"

static const promo_spec *promo_at(const scenario *sc, double t)
{
	int i = promos_at(sc, t);
	return i >= 0 ? &sc->promos[i] : NULL;
}

/* Class k's demand multiplier under promotion p (NULL: none on). */
static inline double demand_of(const promo_spec *p, int k)
{
	return p && (p->classes >> k & 1) ? p->demand : 1;
}

double arrivals_demand(const scenario *sc, double t, int k)
{
	return demand_of(promo_at(sc, t), k);
}

double arrivals_price_factor(const scenario *sc, double t, int k)
{
	const promo_spec *p = promo_at(sc, t);
	return p && (p->classes >> k & 1) ? 1 - p->discount : 1;
}

double arrivals_rate_at(const arrivals *a, double t)
{
	const scenario *sc = a->sc;
	const promo_spec *p = promo_at(sc, t); /* looked up once, not once a class */
	double mix = 0;
	for (int k = 0; k < sc->nclasses; k++)
		mix += sc->classes[k].share * demand_of(p, k);
	return sc->rate * promos_profile_at(sc, t) * mix;
}

static void reseed(arrivals *a, int rep);

int arrivals_init(arrivals *a, const scenario *sc, int rep)
{
	a->sc = sc;
	a->tr = NULL;
	a->copies = NULL;
	a->failed = 0;
	a->gap = gsl_rng_alloc(RNG_TYPE);
	a->thin = gsl_rng_alloc(RNG_TYPE);
	a->pick = gsl_rng_alloc(RNG_TYPE);
	if (sc->trace && sc->scale != 1)
		a->copies = gsl_rng_alloc(RNG_TYPE);
	if (!a->gap || !a->thin || !a->pick || (sc->trace && sc->scale != 1 && !a->copies)) {
		arrivals_destroy(a);
		return -1;
	}
	FG_ASSERT(sc->nclasses >= 1 && sc->nclasses <= SC_MAX_CLASSES); /* the loader's promise */
	double cum = 0;
	for (int k = 0; k < sc->nclasses; k++)
		a->share_cum[k] = cum += sc->classes[k].share;
	a->share_cum[sc->nclasses - 1] = 1; /* shares sum to 1 up to rounding */

	/* Envelope: the busiest hour of the busiest weekday times the largest promotion mix. */
	double peak = 1, mix_max = 1;
	if (sc->has_profile) {
		peak = 0;
		for (int h = 0; h < 24; h++)
			peak = fmax(peak, sc->daily_profile[h]);
	}
	if (sc->has_weekly) {
		double week = 0;
		for (int d = 0; d < 7; d++)
			week = fmax(week, sc->weekly_profile[d]);
		peak *= week;
	}
	for (int i = 0; i < sc->npromos; i++) {
		double mix = 0;
		for (int k = 0; k < sc->nclasses; k++)
			mix += sc->classes[k].share * (sc->promos[i].classes >> k & 1 ? sc->promos[i].demand : 1);
		mix_max = fmax(mix_max, mix);
	}
	a->rate_max = sc->rate * peak * mix_max;
	/* without a profile or promotion the rate never changes: no thinning draw at all,
	 * and the thin stream is left untouched */
	a->homogeneous = !sc->has_profile && !sc->has_weekly && sc->npromos == 0;
	reseed(a, rep);
	return 0; /* the trace is opened by the first arrivals_reset: its error is the run's */
}

void arrivals_destroy(arrivals *a)
{
	gsl_rng_free(a->gap);
	gsl_rng_free(a->thin);
	gsl_rng_free(a->pick);
	gsl_rng_free(a->copies);
	trace_close(a->tr);
	a->gap = a->thin = a->pick = a->copies = NULL;
	a->tr = NULL;
}

static void reseed(arrivals *a, int rep)
{
	rng_reseed(a->gap, a->sc->seed, (uint32_t)rep, STREAM_GAP);
	rng_reseed(a->thin, a->sc->seed, (uint32_t)rep, STREAM_THIN);
	rng_reseed(a->pick, a->sc->seed, (uint32_t)rep, STREAM_PICK);
	if (a->copies)
		rng_reseed(a->copies, a->sc->seed, (uint32_t)rep, STREAM_COPIES);
	a->pending = 0;
}

int arrivals_reset(arrivals *a, int rep)
{
	const scenario *sc = a->sc;
	reseed(a, rep);
	a->failed = 0;
	if (!sc->trace)
		return 0;
	if (a->tr)
		a->failed = trace_rewind(a->tr, a->err, sizeof a->err) != 0;
	else /* opened here, not in arrivals_init, so that a trace changed since the load is told */
		a->failed = !(a->tr = trace_open_loaded(sc->trace_path, (trace_format)sc->trace_format,
							sc->trace_skip_bad | (sc->cpu_pods ? TRACE_CPU_PODS : 0),
							&sc->trace_fp, a->err, sizeof a->err));
	return a->failed ? -1 : 0;
}

int arrivals_finish(arrivals *a)
{
	if (a->tr && !a->failed && trace_finish(a->tr, a->err, sizeof a->err))
		a->failed = 1;
	return a->failed ? -1 : 0;
}

/* How many times a trace row arrives under arrivals.scale: floor(scale), plus one with
 * probability frac(scale) (so the expected count is scale; below 1 this thins the trace). */
static int copies_of_row(arrivals *a)
{
	double whole = floor(a->sc->scale);
	return (int)whole + (gsl_rng_uniform(a->copies) < a->sc->scale - whole);
}

/* pod_resources: the row's CPU, memory and the pools its gpu_spec allows. Out of line:
 * inlined, it made arrivals_next too big to inline into the engine's loop (measured). */
static __attribute__((noinline)) void row_needs(arrivals *a, const trace_job *job)
{
	a->row_cpu = job->cpu_milli;
	a->row_mem = job->memory_mib;
	a->row_pools = cluster_pools_of_spec(a->sc, job->gpu_spec);
}

/* The trace's next job; its class was matched (or created) when the scenario loaded. */
static double next_from_trace(arrivals *a, arrival *out)
{
	trace_job job;
	FG_ASSERT(a->pending >= 0);
	if (a->pending > 0) { /* another copy of the row before */
		a->pending--;
		*out = (arrival){a->row_cls, a->row_milli, a->row_service};
		return a->row_t;
	}
	for (;;) {
		int rc = trace_next(a->tr, &job, a->err, sizeof a->err);
		if (rc <= 0) {
			a->failed = rc < 0;
			return INFINITY;
		}
		int n = a->copies ? copies_of_row(a) : 1;
		FG_ASSERT(n >= 0);
		if (n == 0) /* thinned out */
			continue;
		for (int k = 0; k < a->sc->nclasses; k++)
			if (!strcmp(a->sc->classes[k].name, job.class_name)) {
				a->pending = n - 1;
				a->row_cls = k;
				a->row_milli = job.gpus_milli;
				a->row_service = job.duration;
				if (a->sc->pod_resources)
					row_needs(a, &job);
				*out = (arrival){k, a->row_milli, a->row_service};
				return a->row_t = job.submit / a->sc->speedup;
			}
		/* bounded: err holds 512 bytes, and gcc -O1 checks the longest path fits */
		snprintf(a->err, sizeof a->err,
			 "%.380s:%ld: class \"%.64s\" appeared since the scenario was loaded",
			 a->sc->trace_path, job.line, job.class_name);
		a->failed = 1;
		return INFINITY;
	}
}

/* The class that draw u picks by the classes' shares alone. */
static inline int by_share(const arrivals *a, double u)
{
	int k = 0;
	while (k < a->sc->nclasses - 1 && u >= a->share_cum[k])
		k++;
	return k;
}

/* pick_class where the rate changes: during a promotion the shares are weighted by
 * each class's demand. Out of line, like thin_from: the promotion lookup, inlined,
 * pushed the whole pick out of the engine's loop, a call per arrival for every run. */
static __attribute__((noinline)) int pick_at(const arrivals *a, double t, double u)
{
	const scenario *sc = a->sc;
	const promo_spec *p = promo_at(sc, t);
	if (!p)
		return by_share(a, u);
	double w[SC_MAX_CLASSES], total = 0;
	for (int k = 0; k < sc->nclasses; k++)
		total += w[k] = sc->classes[k].share * demand_of(p, k);
	double cum = 0;
	for (int k = 0; k < sc->nclasses - 1; k++)
		if (u < (cum += w[k] / total))
			return k;
	return sc->nclasses - 1;
}

/* Class k with probability share_k * demand_k(t), normalised. */
static inline int pick_class(arrivals *a, double t)
{
	if (a->sc->nclasses == 1)
		return 0;
	/* one draw whatever the path below, so a promotion elsewhere in time does not
	 * shift the pick stream of the arrivals outside it */
	double u = gsl_rng_uniform(a->pick);
	return a->homogeneous ? by_share(a, u) : pick_at(a, t, u);
}

/* Thinning from candidate time t on: draws further gaps until a candidate is kept.
 * Out of line: the rate's promotion and profile arithmetic, inlined, made the engine's
 * homogeneous path save three more registers per arrival (measured under callgrind). */
static __attribute__((noinline)) double thin_from(arrivals *a, double t)
{
	while (!(gsl_rng_uniform(a->thin) * a->rate_max < arrivals_rate_at(a, t)))
		t += dist_exponential(a->gap, 1 / a->rate_max);
	return t;
}

double arrivals_next(arrivals *a, double now, arrival *out)
{
	if (a->tr)
		return next_from_trace(a, out);
	/* size 0 and service -1: the class's own, which the platform draws at arrival */
	out->gpus_milli = -1;
	out->service = -1;
	double t = now + dist_exponential(a->gap, 1 / a->rate_max);
	if (!a->homogeneous) /* the same draws, in the same order, as one loop */
		t = thin_from(a, t);
	/* Thinning (Lewis & Shedler 1979) is exact only under an envelope: rate_max bounds
	 * the rate at every t (its profile hour and promotion mix are the largest). */
	FG_ASSERT(a->homogeneous || arrivals_rate_at(a, t) <= a->rate_max * (1 + 1e-12));
	out->cls = pick_class(a, t);
	FG_ASSERT(out->cls >= 0 && out->cls < a->sc->nclasses);
	return t;
}
