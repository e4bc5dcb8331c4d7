/* fgcal_stats.c - sample summaries and nvbench's stdrel stopping rule, on the host. */
#include "fgcal_stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double fgcal_quantile(const double *sorted, int n, double q)
{
	if (n < 1)
		return NAN;
	double h = (n - 1) * q;
	int lo = (int)floor(h);
	if (lo >= n - 1)
		return sorted[n - 1];
	if (lo < 0)
		return sorted[0];
	return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
}

int fgcal_summarise(const double *us, int n, fgcal_summary *s)
{
	memset(s, 0, sizeof *s);
	if (n < 1)
		return -1;
	double *x = malloc((size_t)n * sizeof *x);
	if (!x)
		return -1;
	memcpy(x, us, (size_t)n * sizeof *x);
	qsort(x, (size_t)n, sizeof *x, cmp_double);
	double sum = 0, m2 = 0;
	for (int i = 0; i < n; i++)
		sum += x[i];
	s->n = n;
	s->mean = sum / n;
	for (int i = 0; i < n; i++)
		m2 += (x[i] - s->mean) * (x[i] - s->mean);
	s->sd = n > 1 ? sqrt(m2 / (n - 1)) : 0;
	s->noise = s->mean > 0 ? s->sd / s->mean : 0;
	s->median = fgcal_quantile(x, n, 0.5);
	s->p10 = fgcal_quantile(x, n, 0.1);
	s->p90 = fgcal_quantile(x, n, 0.9);
	s->min = x[0];
	s->max = x[n - 1];
	s->total_s = sum * 1e-6;
	free(x);
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
