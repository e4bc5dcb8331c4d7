/* misbehave.c - a test plugin that breaks the rules on purpose, one way per `mode`
 * parameter, so the tests can show fgsim stops it (exit 1, its name and the time):
 *   start-twice  schedule starts the oldest job, then starts it again
 *   start-nofit  schedule starts every waiting job without asking whether it fits
 *   fail         schedule gives up through api->fail with a reason of its own
 *   reject       init refuses its parameters (fgsim: FILE:LINE, exit 2)
 * As a placement (fgsim_placement), mode = "node0" puts every job on node 0 of the
 * first pool, full or not. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fgsim_plugin.h"

enum { START_TWICE, START_NOFIT, FAIL };

typedef struct bad {
	const fgp_api *api;
	int mode;
	fgp_job_id *queue; /* waiting jobs in push order (a plain array: tests are small) */
	uint32_t len, cap;
} bad;

static int bad_init(void **self, const fgp_api *api, fgp_ctx *cx, const fgp_param *params, int nparams, char *err,
		    size_t errlen)
{
	(void)cx;
	static const char *const modes[] = {"start-twice", "start-nofit", "fail", NULL};
	const char *mode = nparams > 0 && !strcmp(params[0].key, "mode") && params[0].type == FGP_STRING ? params[0].s : "";
	if (!strcmp(mode, "reject")) {
		snprintf(err, errlen, "mode \"reject\" rejects on purpose");
		return 1;
	}
	int m = 0;
	while (modes[m] && strcmp(modes[m], mode))
		m++;
	if (!modes[m]) {
		snprintf(err, errlen, "mode must be one of start-twice, start-nofit, fail, reject");
		return 1;
	}
	bad *b = calloc(1, sizeof *b);
	if (!b)
		return -1;
	b->api = api;
	b->mode = m;
	*self = b;
	return 0;
}

static void bad_free(void *self)
{
	bad *b = self;
	if (b)
		free(b->queue);
	free(b);
}

static int bad_push(void *self, fgp_ctx *cx, fgp_job_id j)
{
	(void)cx;
	bad *b = self;
	if (b->len == b->cap) {
		uint32_t cap = b->cap ? 2 * b->cap : 64;
		fgp_job_id *q = realloc(b->queue, cap * sizeof *q);
		if (!q)
			return -1;
		b->queue = q;
		b->cap = cap;
	}
	b->queue[b->len++] = j;
	return 0;
}

static void bad_remove(void *self, fgp_ctx *cx, fgp_job_id j, int started)
{
	(void)cx, (void)started;
	bad *b = self;
	for (uint32_t i = 0; i < b->len; i++)
		if (b->queue[i] == j) {
			memmove(b->queue + i, b->queue + i + 1, (b->len - i - 1) * sizeof *b->queue);
			b->len--;
			return;
		}
}

static int bad_schedule(void *self, fgp_ctx *cx)
{
	bad *b = self;
	switch (b->mode) {
	case START_TWICE:
		if (b->len && b->api->fits(cx, b->queue[0], NULL)) {
			fgp_job_id j = b->queue[0];
			if (b->api->start(cx, j, NULL))
				return -2;
			return b->api->start(cx, j, NULL);
		}
		return 0;
	case START_NOFIT:
		while (b->len)
			if (b->api->start(cx, b->queue[0], NULL))
				return -2;
		return 0;
	case FAIL:
		if (b->len > 3)
			b->api->fail(cx, "more than 3 jobs waiting, and this policy gives up");
		return 0;
	}
	return 0;
}

const fgp_policy fgsim_policy = {FGP_ABI, "misbehave", 0, bad_init, bad_free, bad_push, NULL, bad_remove, NULL,
				 bad_schedule};

static int node0_init(void **self, const fgp_api *api, fgp_ctx *cx, const fgp_param *params, int nparams, char *err,
		      size_t errlen)
{
	(void)api, (void)cx, (void)params, (void)nparams, (void)err, (void)errlen;
	*self = NULL;
	return 0;
}

static void node0_free(void *self)
{
	(void)self;
}

static int node0_place(void *self, fgp_ctx *cx, fgp_job_id j, fgp_slot *out)
{
	(void)self, (void)cx, (void)j;
	*out = (fgp_slot){0, 0, -1};
	return 0;
}

const fgp_placement fgsim_placement = {FGP_ABI, "node0", node0_init, node0_free, node0_place};
