/* check.c - what a failed invariant does: say where, then abort. */
#include "check.h"

#include <stdio.h>
#include <stdlib.h>

void fg_assert_fail(const char *what, const char *file, int line)
{
	fprintf(stderr, "%s:%d: internal error: assertion failed: %s\n", file, line, what);
	abort();
}

void fg_check_fail(const char *who, const char *why, const char *file, int line)
{
	fprintf(stderr, "%s:%d: internal error: %s: %s\n", file, line, who, why);
	abort();
}
