/* stats.h - running statistics for one replication (Welford mean/variance, time-weighted
 * averages) and Student-t confidence intervals across replications. */
#ifndef FGSIM_STATS_H
#define FGSIM_STATS_H
#include <math.h>
#include <stddef.h>

/* Running mean and variance (Welford 1962): numerically stable, O(1) per sample. */
typedef struct stat_acc {
	double n, mean, m2, max;
} stat_acc;

static inline void stat_add(stat_acc *s, double x)
{
	s->n += 1;
	double d = x - s->mean;
	s->mean += d / s->n;
	s->m2 += d * (x - s->mean);
	s->max = x > s->max ? x : s->max; /* one maxsd, no branch to mispredict */
}
double stat_variance(const stat_acc *s); /* sample variance; NAN when n < 2 */

/* A running sum for a mean when no variance is wanted: one addition per sample and no
 * division (Welford divides at every sample). A replication reports its means only;
 * its confidence intervals come from the spread of replication means (stat_ci). */
typedef struct stat_sum {
	double n, sum, max;
} stat_sum;

static inline void stat_sum_add(stat_sum *s, double x)
{
	s->n += 1;
	s->sum += x;
	s->max = x > s->max ? x : s->max;
}
static inline double stat_sum_mean(const stat_sum *s) { return s->n > 0 ? s->sum / s->n : NAN; }

/* A piecewise-constant quantity integrated over time (queue length, busy GPUs). The
 * integral only counts from `from` on, which is how warm-up is deleted. */
typedef struct stat_time {
	double from, last_t, value, integral;
} stat_time;

static inline void stat_time_set(stat_time *s, double now, double value)
{
	if (now > s->from)
		s->integral += s->value * (now - (s->last_t > s->from ? s->last_t : s->from));
	s->last_t = now;
	s->value = value;
}
/* Time average over [from, now]; NAN for an empty interval. */
double stat_time_mean(const stat_time *s, double now);

/* Mean of x[0..n) and the two-sided Student-t half-width at `confidence` (e.g. 0.95),
 * computed with gsl_cdf_tdist_Pinv. *half_width is NAN when n < 2. NAN values in x are
 * skipped; returns the number used. */
size_t stat_ci(const double *x, size_t n, double confidence, double *mean, double *half_width);
/* One-sided upper confidence bound mean + t_{conf, n-1} s / sqrt(n); NAN when n < 2. */
double stat_upper_bound(const double *x, size_t n, double confidence);
#endif
