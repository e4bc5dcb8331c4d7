/* grow.h - growable arrays: one doubling rule, one overflow check and one failure
 * contract for every array that grows with the run (the job table, heaps, trace rows,
 * parsed results), instead of a hand-written realloc in each. Capacities are size_t. */
#ifndef FGSIM_GROW_H
#define FGSIM_GROW_H
#include <stddef.h>

/* The smallest capacity a growing array gets. */
#define GROW_MIN 8

/* Makes room for at least `need` elements of `elsize` bytes in the array *arrp points
 * to (arrp is the address of the array's pointer; *cap its capacity in elements),
 * doubling from max(*cap, GROW_MIN). Returns 0; -1 when out of memory or the size
 * overflows, the array and *cap then untouched. New elements are not initialised. */
int grow_array(void *arrp, size_t *cap, size_t need, size_t elsize);

/* GROW(arr, cap, need): grow_array for a T *arr with size_t cap, the common case inline
 * (already room: no call). */
#define GROW(arr, cap, need) \
	((size_t)(need) <= (cap) ? 0 : grow_array(&(arr), &(cap), (size_t)(need), sizeof *(arr)))
#endif
