/* grow.c - the one doubling realloc (grow.h). */
#include "grow.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Doubling, not growing by a constant: n pushes cost O(n) copies in all. Returns 0,
 * or -1 on overflow or no memory with the array and *cap untouched (realloc leaves
 * the old block valid), so a caller's error path frees what it had as before. */
int grow_array(void *arrp, size_t *cap, size_t need, size_t elsize)
{
	if (need <= *cap)
		return 0;
	size_t n = *cap > GROW_MIN ? *cap : GROW_MIN;
	while (n < need) {
		if (n > SIZE_MAX / 2)
			return -1;
		n *= 2;
	}
	if (elsize && n > SIZE_MAX / elsize)
		return -1;
	/* arrp is a T **: the pointer is read and written as bytes, which is exact for any
	 * object pointer type on the machines fgsim supports and keeps the compiler's alias
	 * analysis honest (no T ** -> void ** cast). */
	void *old;
	memcpy(&old, arrp, sizeof old);
	void *p = realloc(old, n * elsize);
	if (!p)
		return -1;
	memcpy(arrp, &p, sizeof p);
	*cap = n;
	return 0;
}
