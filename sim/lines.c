/* lines.c - bounded line reading (see lines.h): every reader of a user's text file goes
 * through lines_get, so none of them can be made to read an endless line. */
#include "lines.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "grow.h"

long lines_get(char **buf, size_t *cap, size_t max, FILE *f)
{
	size_t n = 0;
	for (;;) {
		/* fgets at stdio's speed (getc per byte is half of it), in rounds that grow with
		 * the line: 256 bytes, then doubling, never past max + 1 bytes and the NUL */
		size_t want = n < 128 ? 256 : 2 * n;
		if (want > max + 2)
			want = max + 2;
		if (GROW(*buf, *cap, want)) {
			errno = ENOMEM;
			return -1;
		}
		FG_ASSERT(want > n && *cap >= want);
		size_t room = want - n;
		if (room > INT_MAX)
			room = INT_MAX;
		char *at = *buf + n;
		/* fgets's count is not returned and a line may hold NUL bytes: with the room
		 * filled with '\n' first, the NUL fgets ends with is the last one in it. */
		memset(at, '\n', room);
		if (!fgets(at, (int)room, f)) {
			if (ferror(f))
				return -1;
			*at = '\0';
			return (long)n; /* the end of the file (0: no line) */
		}
		FG_ASSERT(memrchr(at, '\0', room) != NULL); /* fgets ends what it read with one */
		size_t got = (size_t)((char *)memrchr(at, '\0', room) - at);
		n += got;
		if (n && (*buf)[n - 1] == '\n')
			return (long)n;
		if (n > max)
			return LINES_TOO_LONG;
		if (got + 1 < room) /* the room not filled: the file ended without a '\n' */
			return (long)n;
	}
}

/* FNV-1a, 64 bits (Fowler, Noll & Vo): a fingerprint against edits and cut files,
 * not against an adversary; chained through h so that a file's pieces hash as one. */
uint64_t lines_fnv(uint64_t h, const void *data, size_t n)
{
	const unsigned char *b = data;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	return h;
}
