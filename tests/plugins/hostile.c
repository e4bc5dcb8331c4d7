/* hostile.c - a test plugin that would take fgsim down, one way per `mode` parameter,
 * so the tests can show fgsim reports it by name instead (plugin_guard.h). As a policy
 * (FCFS otherwise), at the first job that waits (push):
 *   loop        spins forever              segv   writes through a null pointer
 *   stack       recurses until its stack overflows
 *   exit        calls exit(0)              abort  calls abort()
 *   start       starts the job from push, which only schedule may do
 *   init-loop   spins forever in init, already when the scenario loads
 * As a placement (fgsim_placement), place() calls back into the platform:
 *   reenter     api->start on the job it is asked to place (recursed until the stack
 *               overflowed before fgsim refused it)
 *   fits        api->fits on it, which asks the placement again */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fgsim_plugin.h"

static const char *const modes[] = {"loop", "segv", "stack", "exit", "abort", "start", "init-loop", "reenter", "fits", NULL};
enum { LOOP, SEGV, STACK, EXIT, ABORT, START, INIT_LOOP, REENTER, FITS };

typedef struct hostile {
	const fgp_api *api;
	int mode;
	fgp_job_id *queue;
	uint32_t len, cap;
} hostile;

static volatile int sink;

static void spin(void)
{
	for (;;)
		sink++;
}

static int deeper(int n)
{
	volatile char pad[256];
	pad[0] = (char)n;
	if (sink >= 0) /* always: sink only grows, but the compiler cannot know it */
		return deeper(n + 1) + pad[0]; /* not a tail call: every level keeps its frame */
	return pad[0];
}

static int h_init(void **self, const fgp_api *api, fgp_ctx *cx, const fgp_param *params, int nparams, char *err,
		  size_t errlen)
{
	(void)cx;
	const char *mode = nparams > 0 && !strcmp(params[0].key, "mode") && params[0].type == FGP_STRING ? params[0].s : "";
	int m = 0;
	while (modes[m] && strcmp(modes[m], mode))
		m++;
	if (!modes[m]) {
		snprintf(err, errlen, "unknown mode \"%s\"", mode);
		return 1;
	}
	if (m == INIT_LOOP)
		spin();
	hostile *h = calloc(1, sizeof *h);
	if (!h)
		return -1;
	h->api = api;
	h->mode = m;
	*self = h;
	return 0;
}

static void h_free(void *self)
{
	hostile *h = self;
	if (h)
		free(h->queue);
	free(h);
}

static int h_push(void *self, fgp_ctx *cx, fgp_job_id j)
{
	hostile *h = self;
	switch (h->mode) {
	case LOOP: spin(); break;
	case SEGV: *(volatile int *)(size_t)sink = 1; break; /* sink is 0: a null pointer */
	case STACK: sink = deeper(0); break;
	case EXIT: exit(0);
	case ABORT: abort();
	case START: return h->api->start(cx, j, NULL);
	}
	if (h->len == h->cap) {
		uint32_t cap = h->cap ? 2 * h->cap : 64;
		fgp_job_id *q = realloc(h->queue, cap * sizeof *q);
		if (!q)
			return -1;
		h->queue = q;
		h->cap = cap;
	}
	h->queue[h->len++] = j;
	return 0;
}

static fgp_job_id h_head(void *self, fgp_ctx *cx)
{
	(void)cx;
	hostile *h = self;
	return h->len ? h->queue[0] : FGP_NONE;
}

static void h_remove(void *self, fgp_ctx *cx, fgp_job_id j, int started)
{
	(void)cx, (void)started;
	hostile *h = self;
	for (uint32_t i = 0; i < h->len; i++)
		if (h->queue[i] == j) {
			memmove(h->queue + i, h->queue + i + 1, (h->len - i - 1) * sizeof *h->queue);
			h->len--;
			return;
		}
}

const fgp_policy fgsim_policy = {
	.abi = FGP_ABI, .name = "hostile", .init = h_init, .free = h_free, .push = h_push, .head = h_head,
	.remove = h_remove,
};

static int h_place(void *self, fgp_ctx *cx, fgp_job_id j, fgp_slot *out)
{
	hostile *h = self;
	if (h->mode == REENTER)
		h->api->start(cx, j, NULL);
	else if (h->mode == FITS)
		h->api->fits(cx, j, NULL);
	*out = (fgp_slot){0, 0, -1};
	return 1;
}

const fgp_placement fgsim_placement = {
	.abi = FGP_ABI, .name = "hostile", .init = h_init, .free = h_free, .place = h_place,
};
