/* lines.c - bounded line reading (see lines.h): every reader of a user's text file goes
 * through lines_get, so none of them can be made to read an endless line. */
#include "lines.h"

#include <errno.h>
#include <stdlib.h>

long lines_get(char **buf, size_t *cap, size_t max, FILE *f)
{
	size_t n = 0;
	int c = 0;
	flockfile(f);
	for (;;) {
		if (n + 2 > *cap) { /* room for this byte and the NUL */
			size_t nc = *cap ? *cap * 2 : 256;
			if (nc > max + 2)
				nc = max + 2;
			if (nc < n + 2)
				nc = n + 2;
			char *nb = realloc(*buf, nc);
			if (!nb) {
				funlockfile(f);
				errno = ENOMEM;
				return -1;
			}
			*buf = nb;
			*cap = nc;
		}
		if ((c = getc_unlocked(f)) == EOF)
			break;
		(*buf)[n++] = (char)c;
		if (c == '\n')
			break;
		if (n > max) {
			funlockfile(f);
			(*buf)[n] = '\0';
			return LINES_TOO_LONG;
		}
	}
	int bad = c == EOF && ferror(f);
	funlockfile(f);
	if (*buf)
		(*buf)[n] = '\0';
	if (bad)
		return -1;
	return (long)n;
}

uint64_t lines_fnv(uint64_t h, const void *data, size_t n)
{
	const unsigned char *b = data;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	return h;
}
