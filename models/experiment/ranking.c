/* ranking.c - best policy and its statistical ties, from paired replications. */
#include "ranking.h"

#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "metrics.h"
#include "stats.h"

/* better: -1 where less is better (waits, abandonment), +1 where more is (profit). */
const ranking_key ranking_keys[] = {
	{.metric = M_wait_mean, .better = -1},
	{.metric = M_wait_p95, .better = -1},
	{.metric = M_wait_p99, .better = -1},
	{.metric = M_abandon_rate, .better = -1},
	{.metric = M_profit, .better = +1},
};
const int ranking_nkeys = sizeof ranking_keys / sizeof *ranking_keys;

double ranking_level(double confidence, int comparisons)
{
	return comparisons > 1 ? 1 - (1 - confidence) / comparisons : confidence;
}

int ranking_best(const double *x, int k, int n, int better, double confidence, int *same)
{
	FG_ASSERT(x && same && k >= 0 && n >= 0 && (better == 1 || better == -1));
	int best = -1;
	double best_mean = 0, *d = malloc((size_t)(n > 0 ? n : 1) * sizeof *d);
	for (int p = 0; p < k; p++) {
		double mean, hw;
		same[p] = 0;
		if (stat_ci(&x[(size_t)p * n], (size_t)n, confidence, &mean, &hw) == 0 || !isfinite(mean))
			continue;
		/* strict: the first policy in scenario order wins a tie of means */
		if (best < 0 || (better > 0 ? mean > best_mean : mean < best_mean)) {
			best = p;
			best_mean = mean;
		}
	}
	if (best < 0 || !d) { /* no memory for d: the best alone, no ties claimed */
		free(d);
		return best;
	}
	double level = ranking_level(confidence, k - 1);
	for (int p = 0; p < k; p++) {
		double mean, hw;
		if (p == best) {
			same[p] = 1;
			continue;
		}
		/* Paired by replication: replication r of every policy saw the same jobs
		 * (common random numbers), so the difference's interval is usually much
		 * narrower than two separate intervals would suggest. */
		for (int r = 0; r < n; r++)
			d[r] = x[(size_t)p * n + r] - x[(size_t)best * n + r];
		if (stat_ci(d, (size_t)n, level, &mean, &hw) == 0 || !isfinite(mean))
			continue; /* no value for p: not a contender */
		same[p] = !isfinite(hw) || fabs(mean) <= hw;
	}
	FG_ASSERT(best < k && same[best]); /* the best is always among its own ties */
	free(d);
	return best;
}
