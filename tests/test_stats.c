/* test_stats.c - Welford against a two-pass computation at a large offset, time
 * averages of a hand-computed step function with warm-up deletion, and Student-t
 * intervals and upper bounds against hand-computed values with tabled t quantiles. */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdlib.h>

#include "stats.h"
#include "test.h"

/* 1e5 values 1e9 + N(0, 1): the naive sum-of-squares formula loses every digit of the
 * variance here (x^2 ~ 1e18, where doubles are 128 apart), Welford must not. The
 * reference is two-pass in long double. The bound: at 1e9 a double's spacing is
 * 1.2e-7, so each deviation x - mean that Welford forms is off by at most a few 1e-7
 * absolute, i.e. relative error ~2e-7 on each squared deviation of size ~1; even if all
 * those errors had one sign the variance would be off by under 1e-6 relative. */
static void test_welford_offset(void)
{
	enum { N = 100000 };
	double *x = malloc(N * sizeof *x);
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	gsl_rng_set(r, 2024);
	stat_acc a = {0};
	for (int i = 0; i < N; i++) {
		x[i] = 1e9 + gsl_ran_gaussian(r, 1.0);
		stat_add(&a, x[i]);
	}
	long double sum = 0, ss = 0, mx = x[0];
	for (int i = 0; i < N; i++) {
		sum += x[i];
		if (x[i] > mx)
			mx = x[i];
	}
	long double mean = sum / N;
	for (int i = 0; i < N; i++)
		ss += (x[i] - mean) * (x[i] - mean);
	double var = (double)(ss / (N - 1));

	double naive_s = 0, naive_s2 = 0;
	for (int i = 0; i < N; i++) {
		naive_s += x[i];
		naive_s2 += x[i] * x[i];
	}
	double naive_var = (naive_s2 - naive_s * naive_s / N) / (N - 1);
	fprintf(stderr, "  offset 1e9: two-pass var %.12g, Welford %.12g (rel err %.2g), naive %.6g\n", var,
		stat_variance(&a), fabs(stat_variance(&a) - var) / var, naive_var);

	CHECK(a.n == N);
	CHECK_NEAR(a.mean, (double)mean, 1e-15 * 1e9 * 10); /* a few ulps of 1e9 */
	CHECK_NEAR(stat_variance(&a), var, 1e-6 * var);
	CHECK_NEAR(var, 1.0, 0.01); /* the sample is what it claims: sd 1 +- 5 se (se of var ~ 0.0045) */
	CHECK(a.max == (double)mx);
	free(x);
	gsl_rng_free(r);
}

/* Small cases by hand: {2, 4, 4, 4, 5, 5, 7, 9} has mean 5 and sum of squares 32, so
 * sample variance 32/7; fewer than 2 values give NAN. */
static void test_welford_small(void)
{
	const double v[] = {2, 4, 4, 4, 5, 5, 7, 9};
	stat_acc a = {0};
	CHECK(isnan(stat_variance(&a)));
	stat_add(&a, v[0]);
	CHECK(isnan(stat_variance(&a)));
	CHECK(a.mean == 2);
	for (int i = 1; i < 8; i++)
		stat_add(&a, v[i]);
	CHECK_NEAR(a.mean, 5.0, 1e-15);
	CHECK_NEAR(stat_variance(&a), 32.0 / 7, 1e-14);
	CHECK(a.max == 9);
}

/* A step function with warm-up deleted from t = 10:
 *   value 2 from t = 0, 4 from t = 5, 1 from t = 12, 3 from t = 20.
 * Over [10, 30]: 4 * 2 + 1 * 8 + 3 * 10 = 46, mean 46/20 = 2.3.
 * Over [10, 15]: 4 * 2 + 1 * 3 = 11, mean 11/5 = 2.2 (the open tail counts).
 * Without warm-up, over [0, 30]: 2*5 + 4*7 + 1*8 + 3*10 = 76, mean 76/30. */
static void test_time_average(void)
{
	stat_time s = {.from = 10};
	stat_time_set(&s, 0, 2);
	stat_time_set(&s, 5, 4);
	CHECK(s.integral == 0); /* nothing before `from` counts */
	CHECK(isnan(stat_time_mean(&s, 10)));
	CHECK(isnan(stat_time_mean(&s, 7)));
	stat_time_set(&s, 12, 1);
	CHECK_NEAR(s.integral, 8, 1e-12);
	CHECK_NEAR(stat_time_mean(&s, 15), 2.2, 1e-12);
	stat_time_set(&s, 20, 3);
	CHECK_NEAR(s.integral, 16, 1e-12);
	CHECK_NEAR(stat_time_mean(&s, 30), 2.3, 1e-12);
	CHECK_NEAR(stat_time_mean(&s, 20), 16.0 / 10, 1e-12);

	stat_time z = {.from = 0};
	stat_time_set(&z, 0, 2);
	stat_time_set(&z, 5, 4);
	stat_time_set(&z, 12, 1);
	stat_time_set(&z, 20, 3);
	CHECK_NEAR(stat_time_mean(&z, 30), 76.0 / 30, 1e-12);

	/* a change exactly at `from`, and two changes at one instant (zero-length step) */
	stat_time w = {.from = 10};
	stat_time_set(&w, 10, 5);
	stat_time_set(&w, 14, 7);
	stat_time_set(&w, 14, 1);
	CHECK_NEAR(stat_time_mean(&w, 18), (5.0 * 4 + 1.0 * 4) / 8, 1e-12);
}

/* A fixed sample: sum 34.4, mean 3.44, sum of squared deviations 12.924, variance
 * 12.924 / 9 = 1.436, so s / sqrt(10) = sqrt(0.1436). t quantiles from tables:
 * t_{0.975, 9} = 2.262157163, t_{0.95, 9} = 1.833112933. */
static const double sample[10] = {2.1, 3.4, 1.9, 5.6, 4.2, 3.3, 2.8, 4.9, 3.7, 2.5};
#define T975_9 2.262157163
#define T95_9 1.833112933

static void test_ci(void)
{
	double mean = 0, hw = 0;
	CHECK_INT(stat_ci(sample, 10, 0.95, &mean, &hw), 10);
	CHECK_NEAR(mean, 3.44, 1e-14);
	CHECK_NEAR(hw, T975_9 * sqrt(0.1436), 1e-9); /* t is given to 10 digits */
	fprintf(stderr, "  CI: 3.44 +- %.10g (hand %.10g)\n", hw, T975_9 * sqrt(0.1436));

	/* NAN entries are skipped: the same sample with NANs around and between */
	double with_nan[14];
	int j = 0;
	with_nan[j++] = NAN;
	for (int i = 0; i < 10; i++) {
		with_nan[j++] = sample[i];
		if (i == 3 || i == 7)
			with_nan[j++] = NAN;
	}
	with_nan[j++] = NAN;
	CHECK_INT(j, 14);
	double m2 = 0, hw2 = 0;
	CHECK_INT(stat_ci(with_nan, 14, 0.95, &m2, &hw2), 10);
	CHECK_NEAR(m2, 3.44, 1e-14);
	CHECK_NEAR(hw2, hw, 1e-14);
	CHECK_NEAR(stat_upper_bound(with_nan, 14, 0.95), stat_upper_bound(sample, 10, 0.95), 1e-14);

	/* n < 2 (before or after skipping): half-width NAN */
	double one = 7.5;
	CHECK_INT(stat_ci(&one, 1, 0.95, &m2, &hw2), 1);
	CHECK(m2 == 7.5);
	CHECK(isnan(hw2));
	const double nan_and_one[3] = {NAN, 4.0, NAN};
	CHECK_INT(stat_ci(nan_and_one, 3, 0.95, &m2, &hw2), 1);
	CHECK(m2 == 4.0);
	CHECK(isnan(hw2));
	const double all_nan[2] = {NAN, NAN};
	CHECK_INT(stat_ci(all_nan, 2, 0.95, &m2, &hw2), 0);
	CHECK(isnan(hw2));
	CHECK_INT(stat_ci(NULL, 0, 0.95, &m2, &hw2), 0);
	CHECK(isnan(hw2));

	/* another level: 0.99 uses t_{0.995, 9} = 3.249835542 */
	CHECK_INT(stat_ci(sample, 10, 0.99, &m2, &hw2), 10);
	CHECK_NEAR(hw2, 3.249835542 * sqrt(0.1436), 1e-9);
}

/* One-sided: mean + t_{0.95, 9} s / sqrt(n); NAN when n < 2. */
static void test_upper_bound(void)
{
	double ub = stat_upper_bound(sample, 10, 0.95);
	CHECK_NEAR(ub, 3.44 + T95_9 * sqrt(0.1436), 1e-9);
	CHECK(ub < 3.44 + T975_9 * sqrt(0.1436)); /* one-sided, not the two-sided quantile */
	double one = 3;
	CHECK(isnan(stat_upper_bound(&one, 1, 0.95)));
	const double nan_and_one[2] = {NAN, 3};
	CHECK(isnan(stat_upper_bound(nan_and_one, 2, 0.95)));
}

int main(void)
{
	test_welford_offset();
	test_welford_small();
	test_time_average();
	test_ci();
	test_upper_bound();
	return test_report("test_stats");
}
