/* calib_stats.c - sample summaries, the quantile sketch and the samples' checksum. */
#include "calib_stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double calib_quantile(const double *sorted, int n, double q)
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

int calib_sample_text(char *buf, size_t len, double us, const double *clock_mhz)
{
	if (clock_mhz)
		return snprintf(buf, len, "%.*g,%.6g", CALIB_SAMPLE_DIGITS, us, *clock_mhz);
	return snprintf(buf, len, "%.*g", CALIB_SAMPLE_DIGITS, us);
}

double calib_sample_stored(double us)
{
	char buf[64];
	calib_sample_text(buf, sizeof buf, us, NULL);
	return strtod(buf, NULL);
}

double calib_clock_stored(double mhz)
{
	char buf[64];
	snprintf(buf, sizeof buf, "%.6g", mhz);
	return strtod(buf, NULL);
}

uint64_t calib_checksum(const double *us, const double *clock_mhz, int n)
{
	uint64_t h = 14695981039346656037ULL;
	char buf[96];
	for (int i = 0; i < n; i++) {
		int m = calib_sample_text(buf, sizeof buf - 1, us[i],
					  clock_mhz ? &clock_mhz[i] : NULL);
		buf[m++] = '\n';
		for (int j = 0; j < m; j++) {
			h ^= (unsigned char)buf[j];
			h *= 1099511628211ULL;
		}
	}
	return h;
}

int calib_summarise(const double *us, const double *clock_mhz, int n, double ref_clock_mhz,
		    calib_summary *s)
{
	memset(s, 0, sizeof *s);
	if (n < 1)
		return -1;
	double *x = malloc((size_t)n * sizeof *x);
	if (!x)
		return -1;
	memcpy(x, us, (size_t)n * sizeof *x);
	qsort(x, (size_t)n, sizeof *x, cmp_double);
	/* Sums over the sorted samples, so that a summary does not depend on the order
	 * the samples arrived in. */
	double sum = 0, m2 = 0;
	for (int i = 0; i < n; i++)
		sum += x[i];
	s->n = n;
	s->mean = sum / n;
	for (int i = 0; i < n; i++)
		m2 += (x[i] - s->mean) * (x[i] - s->mean);
	s->sd = n > 1 ? sqrt(m2 / (n - 1)) : 0;
	s->noise = s->mean > 0 ? s->sd / s->mean : 0;
	s->median = calib_quantile(x, n, 0.5);
	s->p10 = calib_quantile(x, n, 0.1);
	s->p90 = calib_quantile(x, n, 0.9);
	for (int i = 0; i < CALIB_SKETCH_N; i++)
		s->q[i] = calib_quantile(x, n, (double)i / (CALIB_SKETCH_N - 1));
	s->min = x[0];
	s->max = x[n - 1];
	s->total_s = sum * 1e-6;
	free(x);
	s->throttled = -1;
	if (clock_mhz) {
		double c = 0, top = 0;
		for (int i = 0; i < n; i++)
			c += clock_mhz[i], top = fmax(top, clock_mhz[i]);
		s->clock_mhz = c / n;
		double limit = CALIB_THROTTLE_FRACTION * (ref_clock_mhz > 0 ? ref_clock_mhz : top);
		s->throttled = 0;
		for (int i = 0; i < n; i++)
			s->throttled += clock_mhz[i] < limit;
	}
	s->checksum = calib_checksum(us, clock_mhz, n);
	return 0;
}

double calib_sketch_draw(const double q[CALIB_SKETCH_N], double u)
{
	double h = u * (CALIB_SKETCH_N - 1);
	int i = (int)floor(h);
	if (i < 0)
		return q[0];
	if (i >= CALIB_SKETCH_N - 1)
		return q[CALIB_SKETCH_N - 1];
	return q[i] + (h - i) * (q[i + 1] - q[i]);
}
