/* mser.c - MSER-m truncation (White 1997) from suffix sums: O(n). */
#include "mser.h"

#include <math.h>
#include <stdlib.h>

#include "check.h"

size_t mser(const double *x, size_t n, size_t m, double *stat)
{
	size_t k = m ? n / m : 0;
	if (stat)
		*stat = NAN;
	if (k < 2)
		return 0;
	double *b = malloc(k * sizeof *b);
	if (!b)
		return 0;
	for (size_t j = 0; j < k; j++) {
		double s = 0;
		for (size_t i = 0; i < m; i++)
			s += x[j * m + i];
		b[j] = s / (double)m;
	}
	/* Walk d from the end of the first half down to 0, keeping the kept batches' sum
	 * and the sum of their squared deviations from it by Welford-style updates, which
	 * stay accurate where sum(b^2) - sum(b)^2/n would cancel. */
	double mean = 0, m2 = 0, best = INFINITY;
	size_t best_d = 0;
	for (size_t j = k; j-- > 0;) {
		double cnt = (double)(k - j), dlt = b[j] - mean;
		mean += dlt / cnt;
		m2 += dlt * (b[j] - mean);
		if (j <= k / 2) {
			double v = m2 / (cnt * cnt);
			if (v <= best) { /* <=: among equal values the smaller d, which keeps more data */
				best = v;
				best_d = j;
			}
		}
	}
	FG_ASSERT(best_d <= k / 2 && !(best < 0)); /* truncates at most half the run */
	free(b);
	if (stat)
		*stat = best;
	return best_d * m;
}
