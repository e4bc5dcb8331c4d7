/* stats.c - variance, time averages and Student-t intervals. */
#include "stats.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

#include "check.h"

/* n - 1 (Bessel): the intervals built on it are Student-t, which expects the
 * unbiased sample variance. NAN below two values, where no spread is known. */
double stat_variance(const stat_acc *s)
{
	return s->n < 2 ? NAN : s->m2 / (s->n - 1);
}

double stat_time_mean(const stat_time *s, double now)
{
	if (!(now > s->from))
		return NAN;
	FG_ASSERT(!(now < s->last_t)); /* simulated time never runs back */
	double tail = s->value * (now - (s->last_t > s->from ? s->last_t : s->from));
	return (s->integral + tail) / (now - s->from);
}

/* Mean and sample standard deviation of the finite values of x. Non-finite values
 * (a replication with no completed job has a NAN mean wait) are skipped rather than
 * poisoning the interval; the count returned says how many were used. */
static size_t finite_moments(const double *x, size_t n, double *mean, double *sd)
{
	stat_acc a = {0};
	for (size_t i = 0; i < n; i++)
		if (isfinite(x[i]))
			stat_add(&a, x[i]);
	*mean = a.n > 0 ? a.mean : NAN;
	*sd = sqrt(stat_variance(&a));
	return (size_t)a.n;
}

/* Student-t interval over the replications (they are independent, the values within
 * one are not). Returns the count used; the half-width is NAN below two values. */
size_t stat_ci(const double *x, size_t n, double confidence, double *mean, double *half_width)
{
	double sd;
	size_t used = finite_moments(x, n, mean, &sd);
	FG_ASSERT(used <= n);
	*half_width = used < 2 ? NAN
		: gsl_cdf_tdist_Pinv(0.5 + confidence / 2, (double)(used - 1)) * sd / sqrt((double)used);
	return used;
}

/* One-sided: `fgsim plan` asks whether a figure stays below (or, negated, above) its
 * target, so the whole 1 - confidence goes to one tail. NAN below two finite values. */
double stat_upper_bound(const double *x, size_t n, double confidence)
{
	double mean, sd;
	size_t used = finite_moments(x, n, &mean, &sd);
	if (used < 2)
		return NAN;
	return mean + gsl_cdf_tdist_Pinv(confidence, (double)(used - 1)) * sd / sqrt((double)used);
}
