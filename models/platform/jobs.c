/* jobs.c - the job table: slots on a free list, grown by doubling.
 *
 * Why a free list and not a malloc per job: a slot is reused as soon as its job
 * leaves, so the table grows to the most jobs present at once and no further; 20
 * million jobs need no more memory than 2 million (README, "Speed": 3.8 MB against
 * 4.0 MB peak), and the hot path never calls the allocator. Jobs are named by a
 * 32-bit index, not a pointer, so growing the table moves nothing a holder keeps. */
#include "jobs.h"

#include <stdlib.h>

#include "check.h"
#include "grow.h"

int jobs_init(job_table *t, uint32_t cap)
{
	t->cap = cap ? cap : 64;
	t->j = malloc((size_t)t->cap * sizeof *t->j);
	if (!t->j)
		return -1;
	for (uint32_t i = 0; i < t->cap; i++)
		t->j[i].gen = 0;
	jobs_clear(t);
	return 0;
}

void jobs_destroy(job_table *t)
{
	free(t->j);
	t->j = NULL;
	t->cap = t->used = 0;
}

void jobs_clear(job_table *t)
{
	for (uint32_t i = 0; i < t->cap; i++) {
		t->j[i].state = JOB_FREE;
		t->j[i].next = i + 1 < t->cap ? i + 1 : JOB_NONE;
	}
	t->free_head = 0;
	t->used = 0;
}

/* A free slot, WAITING with gen bumped (its old events go stale), or JOB_NONE when the
 * table cannot grow (no memory, or 2^31 slots): the table is then as it was. */
uint32_t jobs_alloc(job_table *t)
{
	if (t->free_head == JOB_NONE) {
		/* Handles are uint32_t with JOB_NONE reserved: the table stops below it. */
		FG_ASSERT(t->used == t->cap);
		size_t cap = t->cap;
		if (t->cap >= UINT32_MAX / 2 || GROW(t->j, cap, cap + 1))
			return JOB_NONE;
		for (uint32_t i = t->cap; i < cap; i++) {
			t->j[i].state = JOB_FREE;
			t->j[i].gen = 0;
			t->j[i].next = i + 1 < cap ? i + 1 : JOB_NONE;
		}
		t->free_head = t->cap;
		t->cap = (uint32_t)cap;
	}
	uint32_t i = t->free_head;
	FG_ASSERT(i < t->cap && t->j[i].state == JOB_FREE && t->used < t->cap);
	t->free_head = t->j[i].next;
	t->j[i].state = JOB_WAITING;
	t->j[i].gen++;
	t->used++;
	return i;
}

void jobs_release(job_table *t, uint32_t i)
{
	FG_ASSERT(i < t->cap && t->j[i].state != JOB_FREE && t->used > 0); /* released once */
	FG_ASSERT(t->j[i].gang == NULL); /* a gang's node list goes when its run ends */
	/* LIFO: the slot just freed is the next one used, likely still in the cache */
	t->j[i].state = JOB_FREE;
	t->j[i].next = t->free_head;
	t->free_head = i;
	t->used--;
}
