/* test_hist.c - the log-bucketed histogram against exact order statistics: quantile
 * relative error within the header's bound on 1e6 draws, zeros in bucket 0, merge as
 * one histogram, a monotone CDF that brackets the empirical one, and extreme inputs. */
#include <float.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdlib.h>

#include "hist.h"
#include "test.h"

/* hist.h: a bucket spans a factor of at most 1 + 2^-7 and reports its geometric middle,
 * so the reported value is within sqrt(1 + 2^-7) - 1 = 0.39% of any value in it; the
 * header rounds that to 0.4%, and 0.4% is the bound checked. */
#define REL_BOUND 0.004

static const double probs[] = {0.5, 0.9, 0.95, 0.99, 0.999};

/* Histograms are 70 KiB: static, not on the stack. */
static hist h1, h2, h_all;

static int cmp_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;
	return (a > b) - (a < b);
}

/* The index of the one bucket h's single value landed in, or -1. */
static int only_bucket(const hist *h)
{
	int at = -1;
	for (int i = 0; i < HIST_BUCKETS; i++)
		if (h->count[i]) {
			if (at >= 0)
				return -2;
			at = i;
		}
	return at;
}

static int bucket_of_value(double x)
{
	hist_clear(&h1);
	hist_add(&h1, x);
	return only_bucket(&h1);
}

typedef enum { LOGNORMAL, EXPONENTIAL, MIXED_ZEROS } sample_kind;
static const char *const kind_name[] = {"lognormal(0, 1.5)", "exponential(mean 600)", "30% zeros + lognormal(3, 2)"};

/* 1e6 draws, then every p of probs: |hist - exact| <= REL_BOUND exact, where exact is
 * the order statistic at rank ceil(p n) (the header's definition). */
static void test_quantiles(sample_kind kind)
{
	enum { N = 1000000 };
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	gsl_rng_set(r, 20240601 + kind);
	double *x = malloc(N * sizeof *x);
	hist_clear(&h1);
	for (int i = 0; i < N; i++) {
		switch (kind) {
		case LOGNORMAL: x[i] = gsl_ran_lognormal(r, 0, 1.5); break;
		case EXPONENTIAL: x[i] = gsl_ran_exponential(r, 600); break;
		case MIXED_ZEROS: x[i] = gsl_rng_uniform(r) < 0.3 ? 0 : gsl_ran_lognormal(r, 3, 2); break;
		}
		hist_add(&h1, x[i]);
	}
	CHECK_INT(h1.n, N);
	qsort(x, N, sizeof *x, cmp_double);
	for (size_t j = 0; j < sizeof probs / sizeof *probs; j++) {
		double p = probs[j];
		size_t rank = (size_t)ceil(p * N);
		double exact = x[rank - 1], got = hist_quantile(&h1, p);
		fprintf(stderr, "  %s p%.1f: exact %.6g hist %.6g (%.3f%%)\n", kind_name[kind], 100 * p, exact, got,
			100 * fabs(got - exact) / exact);
		CHECK(exact > 1e-6); /* above the shared underflow bucket, where the bound holds */
		CHECK_NEAR(got, exact, REL_BOUND * exact);
	}
	/* p = 0 and p = 1: the smallest and largest values' buckets */
	double lo = hist_quantile(&h1, 0), hi = hist_quantile(&h1, 1);
	if (kind == MIXED_ZEROS)
		CHECK(lo == 0);
	else
		CHECK_NEAR(lo, x[0], REL_BOUND * x[0]);
	CHECK_NEAR(hi, x[N - 1], REL_BOUND * x[N - 1]);
	if (kind == MIXED_ZEROS) {
		size_t zeros = 0;
		while (x[zeros] == 0)
			zeros++;
		CHECK_INT(h1.count[0], zeros);
		CHECK(hist_quantile(&h1, 0.29) == 0); /* 30% zeros, give or take 0.05% */
	}
	free(x);
	gsl_rng_free(r);
}

/* Zeros (and -0.0) land in bucket 0; a mostly-zero sample has p50 exactly 0. */
static void test_zeros(void)
{
	CHECK_INT(bucket_of_value(0.0), 0);
	CHECK_INT(bucket_of_value(-0.0), 0);
	CHECK(bucket_of_value(1e-300) != 0);
	hist_clear(&h1);
	for (int i = 0; i < 600; i++)
		hist_add(&h1, 0);
	for (int i = 0; i < 400; i++)
		hist_add(&h1, 1.0);
	CHECK_INT(h1.count[0], 600);
	CHECK(hist_quantile(&h1, 0.5) == 0);
	CHECK(hist_quantile(&h1, 0.6) == 0); /* rank 600: still a zero */
	CHECK_NEAR(hist_quantile(&h1, 0.601), 1.0, REL_BOUND);
	CHECK_NEAR(hist_cdf(&h1, 0), 0.6, 1e-15);
	CHECK_NEAR(hist_cdf(&h1, 0.5), 0.6, 1e-15);
	CHECK_NEAR(hist_cdf(&h1, 1.0), 1.0, 1e-15);
}

/* Empty: NAN from both queries. */
static void test_empty(void)
{
	hist_clear(&h1);
	CHECK(isnan(hist_quantile(&h1, 0.5)));
	CHECK(isnan(hist_cdf(&h1, 1.0)));
}

/* Merging two histograms gives exactly the histogram of all their values. */
static void test_merge(void)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	gsl_rng_set(r, 99);
	hist_clear(&h1);
	hist_clear(&h2);
	hist_clear(&h_all);
	for (int i = 0; i < 100000; i++) {
		double v = gsl_rng_uniform(r) < 0.1 ? 0 : gsl_ran_lognormal(r, 2, 3);
		hist_add(i % 3 ? &h1 : &h2, v);
		hist_add(&h_all, v);
	}
	hist_merge(&h1, &h2);
	CHECK_INT(h1.n, h_all.n);
	CHECK_INT(h1.n, 100000);
	CHECK(memcmp(h1.count, h_all.count, sizeof h1.count) == 0);
	for (size_t j = 0; j < sizeof probs / sizeof *probs; j++)
		CHECK(hist_quantile(&h1, probs[j]) == hist_quantile(&h_all, probs[j]));
	/* merging an empty histogram changes nothing */
	hist_clear(&h2);
	hist_merge(&h1, &h2);
	CHECK(memcmp(&h1, &h_all, sizeof h1) == 0);
	gsl_rng_free(r);
}

/* The CDF is monotone over 0 .. 1e300, reaches exactly 1, and brackets the empirical
 * share: share(<= x) <= cdf(x) <= share(< x (1 + 2^-7)), since it counts all of x's
 * bucket and no bucket above it. */
static void test_cdf(void)
{
	enum { N = 20000 };
	static double x[N];
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	gsl_rng_set(r, 5);
	hist_clear(&h1);
	for (int i = 0; i < N; i++) {
		x[i] = gsl_rng_uniform(r) < 0.2 ? 0 : gsl_ran_exponential(r, 100);
		hist_add(&h1, x[i]);
	}
	qsort(x, N, sizeof *x, cmp_double);
	double prev = -1;
	int non_monotone = 0, outside = 0;
	size_t le = 0, lt_hi = 0; /* x[0..le) <= v, x[0..lt_hi) < v (1 + 2^-7); v only grows */
	for (double v = 1e-9; v < 1e6; v *= 1.01) {
		double c = hist_cdf(&h1, v);
		non_monotone += c < prev;
		prev = c;
		while (le < N && x[le] <= v)
			le++;
		while (lt_hi < N && x[lt_hi] < v * (1 + 1.0 / 128))
			lt_hi++;
		outside += !(c >= (double)le / N && c <= (double)lt_hi / N);
	}
	for (double v = 1e6; v < 1e300; v *= 10) {
		double c = hist_cdf(&h1, v);
		non_monotone += c < prev;
		prev = c;
	}
	CHECK_INT(non_monotone, 0);
	CHECK_INT(outside, 0);
	CHECK(prev == 1.0);
	CHECK(hist_cdf(&h1, 1e300) == 1.0);
	CHECK(hist_cdf(&h1, INFINITY) == 1.0);
	CHECK_NEAR(hist_cdf(&h1, 0), (double)h1.count[0] / N, 0);
	CHECK(h1.count[0] > 3800 && h1.count[0] < 4200); /* 20% of 20000, +- 5 sd */
	gsl_rng_free(r);
}

/* Every value in the regular range lies in [low(b), low(b + 1)) of its bucket b, and
 * consecutive bucket edges are at most a factor 1 + 2^-7 apart. */
static void test_bucket_edges(void)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	gsl_rng_set(r, 31337);
	int bad = 0;
	for (int i = 0; i < 20000; i++) {
		double v = ldexp(0.5 + 0.5 * gsl_rng_uniform(r), (int)gsl_rng_uniform_int(r, 69) - 19); /* 2^-20 .. 2^49 */
		int b = bucket_of_value(v);
		bad += !(b >= 1 && b < HIST_BUCKETS - 1 && hist_bucket_low(b) <= v && v < hist_bucket_low(b + 1));
	}
	CHECK_INT(bad, 0);
	int wide = 0;
	for (int b = 1; b < HIST_BUCKETS - 1; b++)
		wide += !(hist_bucket_low(b + 1) > hist_bucket_low(b) &&
			  hist_bucket_low(b + 1) <= hist_bucket_low(b) * (1 + 1.0 / 128) * (1 + 1e-15));
	CHECK_INT(wide, 0);
	CHECK(hist_bucket_low(0) == 0);
	CHECK(hist_bucket_low(1) == ldexp(1, HIST_MIN_EXP));
	CHECK(hist_bucket_low(HIST_BUCKETS - 1) == ldexp(1, HIST_MAX_EXP));
	/* exact powers of two start a bucket */
	CHECK_INT(bucket_of_value(1.0), bucket_of_value(1.0 + 1e-12));
	CHECK(bucket_of_value(1.0) == bucket_of_value(nextafter(1.0, 0)) + 1);
	CHECK(hist_bucket_low(bucket_of_value(1.0)) == 1.0);
	gsl_rng_free(r);
}

/* Extreme values neither crash nor wrap: tiny positives and subnormals share bucket 1,
 * huge values (and infinity) the last bucket; quantiles stay finite and ordered. */
static void test_extremes(void)
{
	const double tiny[] = {1e-300, DBL_MIN, DBL_MIN / 2, 4.9406564584124654e-324, 1e-7, ldexp(1, -21)};
	const double huge[] = {1e300, DBL_MAX, ldexp(1, 50), ldexp(1, 60), 1e20, INFINITY};
	for (size_t i = 0; i < sizeof tiny / sizeof *tiny; i++)
		CHECK_INT(bucket_of_value(tiny[i]), 1);
	for (size_t i = 0; i < sizeof huge / sizeof *huge; i++)
		CHECK_INT(bucket_of_value(huge[i]), HIST_BUCKETS - 1);
	CHECK_INT(bucket_of_value(nextafter(ldexp(1, 50), 0)), HIST_BUCKETS - 2);

	hist_clear(&h1);
	for (size_t i = 0; i < sizeof tiny / sizeof *tiny; i++)
		hist_add(&h1, tiny[i]);
	for (size_t i = 0; i < sizeof huge / sizeof *huge; i++)
		hist_add(&h1, huge[i]);
	CHECK_INT(h1.n, 12);
	CHECK_INT(h1.count[1], 6);
	CHECK_INT(h1.count[HIST_BUCKETS - 1], 6);
	double q_lo = hist_quantile(&h1, 0.25), q_hi = hist_quantile(&h1, 0.75);
	CHECK(isfinite(q_lo) && q_lo > 0 && q_lo < 1e-5);
	CHECK(isfinite(q_hi) && q_hi >= ldexp(1, HIST_MAX_EXP));
	CHECK(isfinite(hist_quantile(&h1, 1.0)));
	CHECK_NEAR(hist_cdf(&h1, 1.0), 0.5, 1e-15);
	CHECK_NEAR(hist_cdf(&h1, 1e-310), 0.5, 1e-15);
}

int main(void)
{
	test_quantiles(LOGNORMAL);
	test_quantiles(EXPONENTIAL);
	test_quantiles(MIXED_ZEROS);
	test_zeros();
	test_empty();
	test_merge();
	test_cdf();
	test_bucket_edges();
	test_extremes();
	return test_report("test_hist");
}
