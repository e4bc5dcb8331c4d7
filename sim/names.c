/* names.c - edit distance and nearest-name suggestions. */
#include "names.h"

#include <string.h>

int names_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return 255;
	int row[65];
	for (size_t j = 0; j <= lb; j++)
		row[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		int diag = row[0];
		row[0] = (int)i;
		for (size_t j = 1; j <= lb; j++) {
			int up = row[j], best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[lb];
}

const char *names_suggest(const char *word, const char *const *candidates)
{
	const char *best = NULL;
	int best_d = 3;
	for (; *candidates; candidates++) {
		int d = names_distance(word, *candidates);
		if (d > 0 && d < best_d) {
			best_d = d;
			best = *candidates;
		}
	}
	return best;
}
