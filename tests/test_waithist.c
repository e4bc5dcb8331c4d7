/* test_waithist.c - the pooled wait distribution (models/experiment/waithist.c): the
 * buckets' edges tile the axis, pooled counts conserve every wait, the band is the
 * range of the replications' CDFs whatever order they come in, and a merge of two
 * halves equals folding them all. */
#include <stdlib.h>

#include "test.h"
#include "waithist.h"

static void fill(hist *h, const double *x, int n)
{
	hist_clear(h);
	for (int i = 0; i < n; i++)
		hist_add(h, x[i]);
}

int main(void)
{
	static hist a, b, c;
	static const double xa[] = {0, 0, 1, 2, 4, 100}, xb[] = {0, 3, 3, 3}, xc[] = {0.5, 7200};
	fill(&a, xa, 6);
	fill(&b, xb, 4);
	fill(&c, xc, 2);

	/* edges: bucket 0 is exact zeros; then each bucket starts where the last ended, 16
	 * to an octave */
	CHECK(waithist_lower(0) == 0 && waithist_upper(0) == 0);
	for (int i = 1; i + 1 < WAITHIST_BUCKETS; i++)
		if (waithist_upper(i) != waithist_lower(i + 1)) {
			CHECK_INT(i, -1);
			break;
		}
	CHECK_NEAR(waithist_lower(1 + WAITHIST_PER_OCTAVE) / waithist_lower(1), 2, 1e-12);
	CHECK_INT(WAITHIST_PER_OCTAVE, 16);

	/* every order of the same replications gives the same cell, byte for byte */
	waithist *w = waithist_new(2, 1);
	CHECK(w != NULL);
	waithist_cell *p = waithist_at(w, 0, 0), *q = waithist_at(w, 1, 0);
	waithist_add(p, &a), waithist_add(p, &b), waithist_add(p, &c);
	waithist_add(q, &c), waithist_add(q, &a), waithist_add(q, &b);
	CHECK(memcmp(p, q, sizeof *p) == 0);
	CHECK_INT(p->reps, 3);

	/* conservation and the band */
	unsigned long long total = 0;
	double cum = 0;
	int checked = 0;
	for (int i = 0; i < WAITHIST_BUCKETS; i++) {
		total += p->count[i];
		cum += (double)p->count[i];
		double pooled = cum / 12;
		CHECK(p->cdf_min[i] <= pooled + 1e-12 && pooled <= p->cdf_max[i] + 1e-12);
		if (waithist_lower(i) <= 3 &&
		    3 < waithist_upper(i)) {               /* the bucket of b's three 3s */
			CHECK_NEAR(p->cdf_max[i], 1, 0);   /* b: every wait at most 3 */
			CHECK_NEAR(p->cdf_min[i], 0.5, 0); /* c: 0.5 only */
			checked = 1;
		}
	}
	CHECK(checked);
	CHECK_INT(total, 12);
	CHECK_INT(p->count[0], 3);                          /* the zeros stay apart */
	CHECK_NEAR(p->cdf_min[0], 0, 0);                    /* c never waited zero */
	CHECK_NEAR(p->cdf_max[0], 1.0 / 3, 1e-15);          /* a: two of six */
	CHECK_NEAR(p->cdf_min[WAITHIST_BUCKETS - 1], 1, 0); /* every CDF ends at 1 */

	/* an empty replication (no job started) is no replication of the band */
	hist_clear(&a);
	waithist_add(p, &a);
	CHECK_INT(p->reps, 3);

	/* a merge of two processes' halves is the fold of all */
	waithist *h1 = waithist_new(1, 1), *h2 = waithist_new(1, 1);
	fill(&a, xa, 6);
	waithist_add(waithist_at(h1, 0, 0), &a);
	waithist_add(waithist_at(h2, 0, 0), &b), waithist_add(waithist_at(h2, 0, 0), &c);
	waithist_merge(waithist_at(h1, 0, 0), waithist_at(h2, 0, 0));
	CHECK(memcmp(waithist_at(h1, 0, 0), q, sizeof *q) == 0);
	waithist_free(h1);
	waithist_free(h2);
	waithist_free(w);
	waithist_free(NULL);
	return test_report("test_waithist");
}
