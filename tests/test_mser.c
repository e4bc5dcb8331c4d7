/* test_mser.c - MSER-5 against a direct evaluation of White's statistic, on series
 * whose transient is known, and on its edge cases. */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdlib.h>

#include "mser.h"
#include "test.h"

/* White (1997) straight from the definition, O(k^2): the reference. */
static size_t mser_direct(const double *x, size_t n, size_t m, double *stat)
{
	size_t k = n / m, best_d = 0;
	double best = INFINITY, b[4096];
	for (size_t j = 0; j < k; j++) {
		b[j] = 0;
		for (size_t i = 0; i < m; i++)
			b[j] += x[j * m + i] / (double)m;
	}
	for (size_t d = 0; d <= k / 2; d++) {
		double mean = 0, ss = 0;
		for (size_t j = d; j < k; j++)
			mean += b[j] / (double)(k - d);
		for (size_t j = d; j < k; j++)
			ss += (b[j] - mean) * (b[j] - mean);
		double v = ss / ((double)(k - d) * (double)(k - d));
		if (v < best * (1 - 1e-12)) { /* the first of (numerically) equal minima */
			best = v;
			best_d = d;
		}
	}
	*stat = best;
	return best_d * m;
}

/* A linear transient from `start` down to the steady mean 0 over the first T
 * observations, plus N(0, 1) noise. */
static void transient(double *x, size_t n, double start, size_t T, gsl_rng *r)
{
	for (size_t i = 0; i < n; i++)
		x[i] = (i < T ? start * (1 - (double)i / (double)T) : 0) + gsl_ran_gaussian_ziggurat(r, 1.0);
}

int main(void)
{
	enum { N = 5000, T = 500 };
	static double x[N];
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);

	/* The O(n) suffix computation equals the definition on random series. */
	for (unsigned long seed = 1; seed <= 20; seed++) {
		gsl_rng_set(r, seed);
		transient(x, 2000, 5.0 * (double)(seed % 4), 100 * (seed % 5), r);
		double s1, s2;
		size_t d1 = mser5(x, 2000, &s1), d2 = mser_direct(x, 2000, 5, &s2);
		CHECK_INT(d1, d2);
		CHECK_NEAR(s1, s2, 1e-9 * s2);
	}

	/* A known transient: MSER-5 must delete most of it (what is left of the bias is
	 * then below the noise of the mean) and not much more than all of it. */
	int within = 0;
	for (unsigned long seed = 1; seed <= 50; seed++) {
		gsl_rng_set(r, seed);
		transient(x, N, 10.0, T, r);
		size_t d = mser5(x, N, NULL);
		within += d >= T / 2 && d <= 2 * T;
		CHECK(d % 5 == 0);
	}
	CHECK_INT(within, 50);

	/* No transient: little or nothing is deleted (the mean of stationary batches). */
	size_t worst = 0;
	for (unsigned long seed = 1; seed <= 50; seed++) {
		gsl_rng_set(r, seed);
		transient(x, N, 0.0, 0, r);
		size_t d = mser5(x, N, NULL);
		worst = d > worst ? d : worst;
	}
	CHECK(worst < N / 4);

	/* A step exactly one batch long: the first batch alone is deleted. */
	for (size_t i = 0; i < 100; i++)
		x[i] = i < 5 ? 10 : 0;
	double st;
	CHECK_INT(mser5(x, 100, &st), 5);
	CHECK_NEAR(st, 0, 0);
	/* A constant series: every truncation ties at 0, and the one that keeps all wins. */
	for (size_t i = 0; i < 100; i++)
		x[i] = 3;
	CHECK_INT(mser5(x, 100, NULL), 0);
	/* A transient longer than half the series: the search stops at half. */
	for (size_t i = 0; i < 1000; i++)
		x[i] = i < 800 ? 1000.0 - (double)i : 0;
	size_t d = mser5(x, 1000, NULL);
	CHECK(d <= 500);
	CHECK_INT(d, 500);
	/* Too short for two batches: nothing to decide. */
	CHECK_INT(mser5(x, 9, &st), 0);
	CHECK(isnan(st));
	gsl_rng_free(r);
	return test_report("test_mser");
}
