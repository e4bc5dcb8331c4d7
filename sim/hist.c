/* hist.c - the log-bucketed histogram: bucket index from the bits of the double.
 *
 * Why buckets and not the values: a quantile from the sorted values needs memory per
 * job, and runs of 20 million jobs must need no more memory than runs of 2 million.
 * 128 buckets per power of two bound the error at 0.4% of the value, whatever its size
 * (a wait of a second and one of a day alike), in a fixed array per scope; two
 * histograms merge by adding counts, so replications and scopes combine exactly. */
#include "hist.h"

#include <math.h>
#include <string.h>

#include "check.h"

void hist_clear(hist *h)
{
	memset(h, 0, sizeof *h);
}

/* The bucket of x read straight from its IEEE-754 bits (exponent, then the top
 * HIST_SUB_BITS of the mantissa): no libm call on the hot path. */
static int bucket_of(double x)
{
	if (x <= 0)
		return 0;
	uint64_t bits;
	memcpy(&bits, &x, sizeof bits);
	int e = (int)(bits >> 52) - 1022; /* x = m 2^e with m in [0.5, 1), as frexp gives */
	if (e <= HIST_MIN_EXP)
		return 1;
	if (e > HIST_MAX_EXP)
		return HIST_BUCKETS - 1;
	int sub = (int)(bits >> (52 - HIST_SUB_BITS)) & ((1 << HIST_SUB_BITS) - 1);
	int i = 1 + ((e - HIST_MIN_EXP - 1) << HIST_SUB_BITS) + sub;
	FG_ASSERT(i >= 1 && i < HIST_BUCKETS);
	return i;
}

double hist_bucket_low(int i)
{
	if (i <= 0)
		return 0;
	int k = i - 1, e = (k >> HIST_SUB_BITS) + HIST_MIN_EXP + 1, sub = k & ((1 << HIST_SUB_BITS) - 1);
	return ldexp(0.5 + (double)sub / (2 << HIST_SUB_BITS), e);
}

/* The geometric middle: it halves the worst relative error against either edge. */
static double bucket_mid(int i)
{
	if (i == 0)
		return 0;
	return sqrt(hist_bucket_low(i) * hist_bucket_low(i + 1));
}

/* Two increments and no branch beyond bucket_of's range tests: every job's wait
 * passes here, in every scope it belongs to. */
void hist_add(hist *h, double x)
{
	h->n++;
	h->count[bucket_of(x)]++;
}

double hist_quantile(const hist *h, double p)
{
	if (h->n == 0)
		return NAN;
	uint64_t rank = (uint64_t)ceil(p * (double)h->n);
	if (rank < 1)
		rank = 1;
	uint64_t seen = 0;
	for (int i = 0; i < HIST_BUCKETS; i++) {
		seen += h->count[i];
		if (seen >= rank)
			return bucket_mid(i);
	}
	FG_ASSERT(seen == h->n); /* every add counts once in n and once in a bucket */
	return bucket_mid(HIST_BUCKETS - 1);
}

double hist_cdf(const hist *h, double x)
{
	if (h->n == 0)
		return NAN;
	int last = bucket_of(x);
	uint64_t seen = 0;
	for (int i = 0; i <= last; i++)
		seen += h->count[i];
	FG_ASSERT(seen <= h->n);
	return (double)seen / (double)h->n;
}

void hist_merge(hist *a, const hist *b)
{
	a->n += b->n;
	for (int i = 0; i < HIST_BUCKETS; i++)
		a->count[i] += b->count[i];
}
