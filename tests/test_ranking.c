/* test_ranking.c - simultaneous intervals hold together at their level (family-wise
 * error under Bonferroni), and the best policy and its statistical ties. */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "ranking.h"
#include "stats.h"
#include "test.h"

enum { K = 5, N = 10, TRIALS = 4000 };

int main(void)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	gsl_rng_set(r, 7);
	const double conf = 0.95;
	CHECK_NEAR(ranking_level(conf, 1), conf, 0);
	CHECK_NEAR(ranking_level(conf, 4), 1 - 0.05 / 4, 1e-15);

	/* K equal policies: how often does at least one of the K - 1 paired intervals
	 * against the baseline exclude 0? Bonferroni keeps it at most 1 - conf; single
	 * intervals at conf do not. Tolerance: 3 binomial standard errors. */
	int any_bonf = 0, any_plain = 0;
	double x[K][N], d[N];
	for (int t = 0; t < TRIALS; t++) {
		for (int p = 0; p < K; p++)
			for (int i = 0; i < N; i++)
				x[p][i] = 100 + gsl_ran_gaussian_ziggurat(r, 1.0);
		int b = 0, u = 0;
		for (int p = 1; p < K; p++) {
			double mean, hw;
			for (int i = 0; i < N; i++)
				d[i] = x[p][i] - x[0][i];
			stat_ci(d, N, ranking_level(conf, K - 1), &mean, &hw);
			b |= fabs(mean) > hw;
			stat_ci(d, N, conf, &mean, &hw);
			u |= fabs(mean) > hw;
		}
		any_bonf += b;
		any_plain += u;
	}
	double alpha = 1 - conf, se = sqrt(alpha * (1 - alpha) / TRIALS);
	fprintf(stderr, "  family-wise error: Bonferroni %.4f, unadjusted %.4f (alpha %.2f)\n",
		(double)any_bonf / TRIALS, (double)any_plain / TRIALS, alpha);
	CHECK((double)any_bonf / TRIALS <= alpha + 3 * se);
	CHECK((double)any_plain / TRIALS > alpha + 3 * se);

	/* Best and ties: policy 2 is policy 0 plus a sliver of noise (a tie), policy 1 is
	 * far worse, all on common noise per replication. */
	double m[3 * N];
	for (int i = 0; i < N; i++) {
		double common = gsl_ran_gaussian_ziggurat(r, 10.0);
		m[0 * N + i] = 50 + common;
		m[1 * N + i] = 80 + common + gsl_ran_gaussian_ziggurat(r, 1.0);
		m[2 * N + i] = 50 + common + gsl_ran_gaussian_ziggurat(r, 0.01);
	}
	int same[3];
	int best = ranking_best(m, 3, N, -1, conf, same);
	CHECK(best == 0 || best == 2);
	CHECK_INT(same[0], 1);
	CHECK_INT(same[2], 1);
	CHECK_INT(same[1], 0);
	CHECK_INT(ranking_best(m, 3, N, +1, conf, same), 1);
	CHECK_INT(same[1], 1);
	CHECK_INT(same[0] + same[2], 0);
	/* One replication: no interval, so nothing can be told apart. */
	best = ranking_best(m, 3, 1, -1, conf, same);
	CHECK_INT(same[0] + same[1] + same[2], 3);
	/* A policy without values is no contender; none with values: no best. */
	for (int i = 0; i < N; i++)
		m[1 * N + i] = NAN;
	CHECK(ranking_best(m, 3, N, +1, conf, same) != 1);
	CHECK_INT(same[1], 0);
	for (int i = 0; i < 3 * N; i++)
		m[i] = NAN;
	CHECK_INT(ranking_best(m, 3, N, -1, conf, same), -1);
	gsl_rng_free(r);
	return test_report("test_ranking");
}
