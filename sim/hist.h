/* hist.h - quantiles with bounded relative error in fixed memory: a log-bucketed
 * histogram in the HDR style. A value's bucket is its binary exponent and its top
 * HIST_SUB_BITS mantissa bits, so a bucket spans a factor of at most 1 + 2^-7 and the
 * reported value (the bucket's geometric middle) is within 0.4% of any value in it. */
#ifndef FGSIM_HIST_H
#define FGSIM_HIST_H
#include <stdint.h>

#define HIST_SUB_BITS 7
#define HIST_MIN_EXP (-20) /* values below 2^-20 s (about 1 us) but above 0 share a bucket */
#define HIST_MAX_EXP 50    /* 2^50 s is 35 million years: beyond any horizon */
#define HIST_BUCKETS (((HIST_MAX_EXP - HIST_MIN_EXP) << HIST_SUB_BITS) + 2)

typedef struct hist {
	uint64_t n;
	uint64_t count[HIST_BUCKETS]; /* count[0] holds exact zeros (waits of jobs that never queued) */
} hist;

void hist_clear(hist *h);
void hist_add(hist *h, double x); /* x >= 0 */
/* The value at rank ceil(p n) (p in [0,1]), within the relative error above; NAN if empty. */
double hist_quantile(const hist *h, double p);
/* Share of values <= x (to bucket resolution). */
double hist_cdf(const hist *h, double x);
/* Adds b's counts to a (merging replications or scopes). */
void hist_merge(hist *a, const hist *b);
/* The lower edge of bucket i, for printing a CDF. */
double hist_bucket_low(int i);
#endif
