/* ranking.h - fair comparisons of several policies run on common random numbers:
 * simultaneous (Bonferroni) paired intervals, and which policies cannot be told apart
 * from the best one. */
#ifndef FGSIM_RANKING_H
#define FGSIM_RANKING_H

/* The level of each of `comparisons` intervals that makes them hold all together with
 * probability at least `confidence` (Bonferroni): 1 - (1 - confidence) / comparisons.
 * One comparison (or none): confidence itself. */
double ranking_level(double confidence, int comparisons);

/* x[p * n + r]: a metric of policy p in replication r, for k policies paired over n
 * replications; better = -1 when lower is better, +1 when higher is. Picks the best
 * policy by mean and compares every other with it, paired by replication, each
 * interval at ranking_level(confidence, k - 1) so that all k - 1 hold together. same[p]
 * is 1 for the best and for every policy whose interval for (policy - best) contains
 * zero or has no width to judge by (n < 2); 0 otherwise, and for a policy without a
 * value. Returns the best policy, or -1 when none has a value. */
int ranking_best(const double *x, int k, int n, int better, double confidence, int *same);

/* The key metrics a planner ranks policies by (the headline and report say which are
 * indistinguishable from the best on each), with their direction. */
typedef struct ranking_key {
	int metric; /* metric_id */
	int better;
} ranking_key;
extern const ranking_key ranking_keys[];
extern const int ranking_nkeys;
#endif
