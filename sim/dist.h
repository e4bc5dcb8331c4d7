/* dist.h - probability distributions written as scenario strings ("lognormal(2h, 1.5)",
 * "empirical(traces/x.csv)"), parsed once and sampled with GSL on the hot path. */
#ifndef FGSIM_DIST_H
#define FGSIM_DIST_H
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stddef.h>

typedef enum { DIST_CONSTANT, DIST_EXPONENTIAL, DIST_LOGNORMAL, DIST_GAMMA, DIST_UNIFORM, DIST_EMPIRICAL } dist_kind;

/* Sampler parameters p1, p2 by kind:
 *   DIST_CONSTANT     p1 = the value
 *   DIST_EXPONENTIAL  p1 = the mean
 *   DIST_LOGNORMAL    p1 = mu (zeta), p2 = sigma of the underlying normal
 *   DIST_GAMMA        p1 = shape k, p2 = scale theta
 *   DIST_UNIFORM      p1 = a, p2 = b (the interval [a, b))
 *   DIST_EMPIRICAL    p1 = p2 = 0; the samples are values[0 .. nvalues-1]
 * mean and scv describe the distribution as specified (for empirical: the sample mean and
 * population variance / mean^2, 0 when the mean is 0). A uniform straddling 0 has mean 0
 * and scv = NAN. */
typedef struct dist {
	dist_kind kind;
	double p1, p2;
	double mean, scv;
	double *values; /* empirical samples (owned), else NULL */
	size_t nvalues;
} dist;

/* Parses text into *d. timed != 0: the arguments that are quantities are durations
 * (units_duration, "2h") and empirical files hold seconds; else they are plain numbers.
 * Coefficients of variation are always plain numbers. A relative empirical path is
 * taken from base_dir (NULL or "" means the current folder). Returns 0, or -1 with a
 * message in err, leaving *d zeroed with nothing to free. */
int dist_parse(dist *d, const char *text, int timed, const char *base_dir, char *err, size_t errlen);

/* An exponential draw by inversion, -mean ln U with U uniform on (0, 1] from GSL: the
 * same law as gsl_ran_exponential, which computes log1p(-U); log is the cheaper of the
 * two in glibc and this is the hottest draw of every run (see README, Speed). */
static inline double dist_exponential(gsl_rng *r, double mean)
{
	return -mean * log(gsl_rng_uniform_pos(r));
}

/* One draw from d, of any kind. */
double dist_sample_any(const dist *d, gsl_rng *r);
/* One draw from d. The hot path: the exponential, the commonest law, inline; the other
 * kinds through a switch; no allocation. */
static inline double dist_sample(const dist *d, gsl_rng *r)
{
	return d->kind == DIST_EXPONENTIAL ? dist_exponential(r, d->p1) : dist_sample_any(d, r);
}

/* Frees d's values and zeroes it; safe on a zeroed dist and on NULL. */
void dist_free(dist *d);

/* Writes a canonical text for d into buf, quantities in base units (seconds for timed
 * ones): "lognormal(7200, 1.5)", "empirical(1000 values, mean 812.5)". Returns buf. */
const char *dist_format(const dist *d, char *buf, size_t len);
/* The same for a distribution of times, written for a person: "lognormal(20m, 1)". */
const char *dist_format_time(const dist *d, char *buf, size_t len);
#endif
