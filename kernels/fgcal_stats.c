/* fgcal_stats.c - sample summaries and nvbench's stdrel stopping rule, on the host. */
#include "fgcal_stats.h"

#include "calib_stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* One statistics code for fgcal's report, the file's summary and the test that
 * recomputes the summaries: the platform's calib_stats.c. */
double fgcal_quantile(const double *sorted, int n, double q)
{
	return calib_quantile(sorted, n, q);
}

int fgcal_summarise(const double *us, int n, fgcal_summary *s)
{
	calib_summary c;
	memset(s, 0, sizeof *s);
	if (calib_summarise(us, NULL, n, 0, &c))
		return -1;
	s->n = c.n;
	s->median = c.median, s->p10 = c.p10, s->p90 = c.p90;
	s->mean = c.mean, s->sd = c.sd, s->noise = c.noise;
	s->min = c.min, s->max = c.max, s->total_s = c.total_s;
	return 0;
}

void fgcal_criteria_default(fgcal_criteria *c)
{
	c->min_samples = FGCAL_MIN_SAMPLES;
	c->min_time_s = FGCAL_MIN_TIME_S;
	c->max_noise = FGCAL_MAX_NOISE;
	c->timeout_s = FGCAL_TIMEOUT_S;
}

void fgcal_stopper_init(fgcal_stopper *st, const fgcal_criteria *c)
{
	memset(st, 0, sizeof *st);
	st->c = *c;
}

double fgcal_stopper_noise(const fgcal_stopper *st)
{
	if (st->n < 2 || !(st->mean > 0))
		return NAN;
	return sqrt(st->m2 / (st->n - 1)) / st->mean;
}

void fgcal_stopper_add(fgcal_stopper *st, double sample_s)
{
	st->n++;
	st->total_s += sample_s;
	double d = sample_s - st->mean;
	st->mean += d / st->n;
	st->m2 += d * (sample_s - st->mean);
	double noise = fgcal_stopper_noise(st);
	if (isfinite(noise)) {
		st->noise[st->head] = noise;
		st->head = (st->head + 1) % FGCAL_NOISE_WINDOW;
		if (st->nnoise < FGCAL_NOISE_WINDOW)
			st->nnoise++;
	}
}

fgcal_verdict fgcal_stopper_verdict(const fgcal_stopper *st, double wall_s)
{
	if (st->n >= st->c.min_samples && st->total_s > st->c.min_time_s && st->nnoise > 0) {
		double cur = st->noise[(st->head + FGCAL_NOISE_WINDOW - 1) % FGCAL_NOISE_WINDOW];
		if (cur < st->c.max_noise)
			return FGCAL_STOP_NOISE;
		/* nvbench stdrel_criterion.cxx: a noise that has stopped moving (its own relative
		 * spread around the current value under 5%) will not fall any further. */
		if (st->nnoise > 64 && st->n % 16 == 0 && cur > 0) {
			double m2 = 0;
			for (int i = 0; i < st->nnoise; i++)
				m2 += (st->noise[i] - cur) * (st->noise[i] - cur);
			if (sqrt(m2 / (st->nnoise - 1)) / cur < 0.05)
				return FGCAL_STOP_CONVERGED;
		}
	}
	return wall_s > st->c.timeout_s ? FGCAL_STOP_TIMEOUT : FGCAL_GO_ON;
}

const char *fgcal_verdict_name(fgcal_verdict v)
{
	static const char *const names[] = {"continue", "noise", "converged", "timeout"};
	return (unsigned)v <= FGCAL_STOP_TIMEOUT ? names[v] : "?";
}
