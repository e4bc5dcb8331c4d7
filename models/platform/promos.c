/* promos.c - the promotion calendar and the arrival rate behind it (promos.h).
 *
 * A repeating promotion is never expanded into its occurrences: the one on at t is
 * floor((t - start) / repeat), checked against its duration, and an interval's overlap
 * with all of them is its two partial ends plus whole occurrences in between. Memory
 * and time stay those of one promotion however large `count` is. */
#include "promos.h"

#include <math.h>
#include <stddef.h>
#include <strings.h>

#include "check.h"

const char *const promos_weekdays[8] = {"monday", "tuesday",  "wednesday", "thursday",
					"friday", "saturday", "sunday",    NULL};

int promos_weekday(const char *name)
{
	for (int d = 0; d < 7; d++)
		if (!strcasecmp(name, promos_weekdays[d]))
			return d;
	return -1;
}

void promos_layout(scenario *sc)
{
	int nw = 0, used = 0;
	for (int i = 0; i < sc->npromos; i++) {
		promo_spec *p = &sc->promos[i];
		if (p->repeat >
		    0) { /* occurrences that start before the horizon run; later ones never do */
			double fit = ceil((sc->horizon - p->start) / p->repeat);
			p->nocc = fit < p->count ? (int)fmax(fit, 1) : p->count;
		} else {
			p->nocc = 1;
		}
		p->occ_scopes = 0;
	}
	/* round-robin: occurrence #1 of every repeating promotion, then #2, ... */
	for (int more = 1; more && used < SC_MAX_OCC_SCOPES;) {
		more = 0;
		for (int i = 0; i < sc->npromos && used < SC_MAX_OCC_SCOPES; i++) {
			promo_spec *p = &sc->promos[i];
			if (p->repeat > 0 && p->nocc > 1 && p->occ_scopes < p->nocc) {
				p->occ_scopes++;
				used++;
				more = 1;
			}
		}
	}
	for (int i = 0; i < sc->npromos; i++) {
		promo_spec *p = &sc->promos[i];
		p->window = nw;
		sc->win_promo[nw] = (int8_t)i;
		sc->win_occ[nw++] = -1;
		for (int k = 0; k < p->occ_scopes; k++) {
			sc->win_promo[nw] = (int8_t)i;
			sc->win_occ[nw++] = (int16_t)k;
		}
	}
	FG_ASSERT(nw <= SC_MAX_WINDOWS);
	sc->nwindows = nw;
}

int promos_occurrence(const promo_spec *p, double t)
{
	if (!(p->repeat > 0))
		return t >= p->start && t < p->start + p->duration ? 0 : -1;
	if (t < p->start)
		return -1;
	double k = floor((t - p->start) / p->repeat);
	if (k >= p->nocc)
		return -1;
	return t < p->start + k * p->repeat + p->duration ? (int)k : -1;
}

int promos_at(const scenario *sc, double t)
{
	for (int i = 0; i < sc->npromos; i++)
		if (promos_occurrence(&sc->promos[i], t) >= 0)
			return i;
	return -1;
}

/* Seconds of [lo, hi) inside occurrence k of p. */
static double occ_overlap(const promo_spec *p, double k, double lo, double hi)
{
	double s = p->start + k * p->repeat, e = s + p->duration;
	lo = lo > s ? lo : s;
	hi = hi < e ? hi : e;
	return hi > lo ? hi - lo : 0;
}

double promos_overlap(const promo_spec *p, double a, double b)
{
	if (!(p->repeat > 0)) { /* the arithmetic of a single window, as it always was */
		double lo = a > p->start ? a : p->start, end = p->start + p->duration,
		       hi = b < end ? b : end;
		return hi > lo ? hi - lo : 0;
	}
	double last_end = p->start + (p->nocc - 1) * p->repeat + p->duration;
	double lo = a > p->start ? a : p->start, hi = b < last_end ? b : last_end;
	if (!(hi > lo))
		return 0;
	double k0 = floor((lo - p->start) / p->repeat), k1 = floor((hi - p->start) / p->repeat);
	k1 = fmin(k1, p->nocc - 1);
	if (k0 >= k1)
		return occ_overlap(p, k0, lo, hi);
	/* the occurrences strictly between lie wholly inside: duration <= repeat */
	return occ_overlap(p, k0, lo, hi) + occ_overlap(p, k1, lo, hi) +
	       (k1 - k0 - 1) * p->duration;
}

double promos_window_overlap(const scenario *sc, int w, double a, double b)
{
	FG_ASSERT(w >= 0 && w < sc->nwindows);
	const promo_spec *p = &sc->promos[sc->win_promo[w]];
	/* the measured interval first: max and min commute, so a single window gets
	 * exactly the bounds (and the bytes) it got when it was clipped last */
	a = a > sc->warmup ? a : sc->warmup;
	b = b < sc->horizon ? b : sc->horizon;
	if (sc->win_occ[w] < 0)
		return promos_overlap(p, a, b);
	return occ_overlap(p, sc->win_occ[w], a, b);
}

int promos_windows_at(const scenario *sc, double t, int out[2])
{
	for (int i = 0; i < sc->npromos; i++) {
		const promo_spec *p = &sc->promos[i];
		int k = promos_occurrence(p, t);
		if (k < 0)
			continue;
		out[0] = p->window;
		if (k < p->occ_scopes) {
			out[1] = p->window + 1 + k;
			return 2;
		}
		return 1;
	}
	return 0;
}

double promos_clash(const promo_spec *a, const promo_spec *b, double horizon)
{
	if (a->nocc > b->nocc) { /* walk the one with fewer occurrences */
		const promo_spec *t = a;
		a = b;
		b = t;
	}
	for (int k = 0; k < a->nocc; k++) {
		double s = a->start + k * a->repeat, e = fmin(s + a->duration, horizon);
		if (promos_overlap(b, s, e) > 0) {
			int kb = promos_occurrence(b, s);
			return kb >= 0 ? s : promos_next_start(b, s);
		}
	}
	return -1;
}

double promos_next_start(const promo_spec *p, double t)
{
	if (t <= p->start)
		return p->start;
	if (!(p->repeat > 0))
		return INFINITY;
	double k = ceil((t - p->start) / p->repeat);
	return k < p->nocc ? p->start + k * p->repeat : INFINITY;
}

double promos_next_edge(const promo_spec *p, double t)
{
	if (t < p->start)
		return p->start;
	double k = p->repeat > 0 ? floor((t - p->start) / p->repeat) : 0;
	if (k >= p->nocc)
		return INFINITY;
	double end = p->start + k * p->repeat + p->duration;
	if (end > t)
		return end;
	return k + 1 < p->nocc && p->repeat > 0 ? p->start + (k + 1) * p->repeat : INFINITY;
}

double promos_profile_at(const scenario *sc, double t)
{
	double f = sc->has_profile ? sc->daily_profile[(int)fmod(floor(t / 3600), 24)] : 1;
	if (sc->has_weekly)
		f *= sc->weekly_profile[(int)fmod(floor(t / 86400) + sc->start_weekday, 7)];
	return f;
}

/* Class k's demand multiplier at t (1 outside its promotions). */
static double demand_at(const scenario *sc, double t, int k)
{
	int i = promos_at(sc, t);
	return i >= 0 && (sc->promos[i].classes >> k & 1) ? sc->promos[i].demand : 1;
}

double promos_rate_at(const scenario *sc, double t, int k)
{
	if (k >= 0)
		return sc->rate * promos_profile_at(sc, t) * sc->classes[k].share *
		       demand_at(sc, t, k);
	double mix = 0;
	for (int c = 0; c < sc->nclasses; c++)
		mix += sc->classes[c].share * demand_at(sc, t, c);
	return sc->rate * promos_profile_at(sc, t) * mix;
}

double promos_rate_integral(const scenario *sc, double a, double b, int k)
{
	double sum = 0;
	for (double x = a; x < b;) {
		/* the rate is constant up to the next hour (profiles) or promotion edge */
		double next = fmin(b, (floor(x / 3600) + 1) * 3600);
		for (int i = 0; i < sc->npromos; i++)
			next = fmin(next, promos_next_edge(&sc->promos[i], x));
		FG_ASSERT(next > x);
		sum += promos_rate_at(sc, 0.5 * (x + next), k) * (next - x);
		x = next;
	}
	return sum;
}
