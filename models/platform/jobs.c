/* jobs.c - the job table: slots on a free list, grown by doubling. */
#include "jobs.h"

#include <stdlib.h>

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

uint32_t jobs_alloc(job_table *t)
{
	if (t->free_head == JOB_NONE) {
		if (t->cap >= UINT32_MAX / 2)
			return JOB_NONE;
		job *grown = realloc(t->j, (size_t)t->cap * 2 * sizeof *grown);
		if (!grown)
			return JOB_NONE;
		t->j = grown;
		for (uint32_t i = t->cap; i < 2 * t->cap; i++) {
			t->j[i].state = JOB_FREE;
			t->j[i].gen = 0;
			t->j[i].next = i + 1 < 2 * t->cap ? i + 1 : JOB_NONE;
		}
		t->free_head = t->cap;
		t->cap *= 2;
	}
	uint32_t i = t->free_head;
	t->free_head = t->j[i].next;
	t->j[i].state = JOB_WAITING;
	t->j[i].gen++;
	t->used++;
	return i;
}

void jobs_release(job_table *t, uint32_t i)
{
	t->j[i].state = JOB_FREE;
	t->j[i].next = t->free_head;
	t->free_head = i;
	t->used--;
}
