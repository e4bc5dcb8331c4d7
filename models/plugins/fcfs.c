/* fcfs.c - first come, first served as a plugin: the smallest policy worth writing,
 * and the proof that the plugin interface hides nothing the built-in `fcfs` uses (it
 * gives byte-identical results; tests/cli/test_plugins.sh checks). Build it with
 * `make plugins`; use it with
 *   policies = ( "fcfs", { name = "my-fcfs"; plugin = "../models/plugins/fcfs.so"; } );
 * The queue is a doubly linked list threaded through arrays indexed by job handle, so
 * push, head and remove (abandonment from the middle) are O(1). */
#include <stdio.h>
#include <stdlib.h>

#include "fgsim_plugin.h"

typedef struct fifo {
	fgp_job_id *next, *prev; /* per job handle */
	uint32_t cap;
	fgp_job_id head, tail;
} fifo;

static int fifo_init(void **self, const fgp_api *api, fgp_ctx *cx, const fgp_param *params, int nparams, char *err,
		     size_t errlen)
{
	(void)api, (void)cx;
	if (nparams > 0) {
		snprintf(err, errlen, "fcfs takes no parameters (got \"%s\")", params[0].key);
		return 1;
	}
	fifo *q = calloc(1, sizeof *q);
	if (!q)
		return -1;
	q->head = q->tail = FGP_NONE;
	*self = q;
	return 0;
}

static void fifo_free(void *self)
{
	fifo *q = self;
	if (!q)
		return;
	free(q->next);
	free(q->prev);
	free(q);
}

/* Handles are small integers, but grow with the jobs in the system: so do the arrays. */
static int fifo_reserve(fifo *q, fgp_job_id j)
{
	if (j < q->cap)
		return 0;
	uint32_t cap = q->cap ? q->cap : 1024;
	while (cap <= j)
		cap *= 2;
	fgp_job_id *n = realloc(q->next, cap * sizeof *n);
	if (!n)
		return -1;
	q->next = n;
	fgp_job_id *p = realloc(q->prev, cap * sizeof *p);
	if (!p)
		return -1;
	q->prev = p;
	q->cap = cap;
	return 0;
}

static int fifo_push(void *self, fgp_ctx *cx, fgp_job_id j)
{
	(void)cx;
	fifo *q = self;
	if (fifo_reserve(q, j))
		return -1;
	q->next[j] = FGP_NONE;
	q->prev[j] = q->tail;
	if (q->tail != FGP_NONE)
		q->next[q->tail] = j;
	else
		q->head = j;
	q->tail = j;
	return 0;
}

static fgp_job_id fifo_head(void *self, fgp_ctx *cx)
{
	(void)cx;
	return ((const fifo *)self)->head;
}

static void fifo_remove(void *self, fgp_ctx *cx, fgp_job_id j, int started)
{
	(void)cx, (void)started;
	fifo *q = self;
	if (q->prev[j] != FGP_NONE)
		q->next[q->prev[j]] = q->next[j];
	else
		q->head = q->next[j];
	if (q->next[j] != FGP_NONE)
		q->prev[q->next[j]] = q->prev[j];
	else
		q->tail = q->prev[j];
}

const fgp_policy fgsim_policy = {
	.abi = FGP_ABI,
	.name = "fcfs (plugin)",
	.flags = FGP_HEAD_PURE, /* fifo_head reads the queue, nothing else */
	.init = fifo_init,
	.free = fifo_free,
	.push = fifo_push,
	.head = fifo_head,
	.remove = fifo_remove,
};
