/* delay.c - a test policy that holds every queued job until `delay` seconds after its
 * arrival, then serves in arrival order: it shows api->hold brings a schedule call at
 * the time asked for, when nothing else happens then. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fgsim_plugin.h"

typedef struct delay {
	const fgp_api *api;
	double delay;
	fgp_job_id *q; /* waiting jobs in arrival order */
	uint32_t len, cap;
} delay;

static int delay_init(void **self, const fgp_api *api, fgp_ctx *cx, const fgp_param *params, int nparams, char *err,
		      size_t errlen)
{
	(void)cx;
	if (nparams != 1 || strcmp(params[0].key, "delay") || params[0].type == FGP_STRING || !(params[0].f > 0)) {
		snprintf(err, errlen, "give delay = SECONDS (> 0)");
		return 1;
	}
	delay *d = calloc(1, sizeof *d);
	if (!d)
		return -1;
	d->api = api;
	d->delay = params[0].f;
	*self = d;
	return 0;
}

static void delay_free(void *self)
{
	delay *d = self;
	if (d)
		free(d->q);
	free(d);
}

static int delay_push(void *self, fgp_ctx *cx, fgp_job_id j)
{
	delay *d = self;
	fgp_job info;
	if (d->len == d->cap) {
		uint32_t cap = d->cap ? 2 * d->cap : 64;
		fgp_job_id *q = realloc(d->q, cap * sizeof *q);
		if (!q)
			return -1;
		d->q = q;
		d->cap = cap;
	}
	d->q[d->len++] = j;
	d->api->job(cx, j, &info);
	return d->api->hold(cx, info.arrival + d->delay);
}

static void delay_remove(void *self, fgp_ctx *cx, fgp_job_id j, int started)
{
	(void)cx, (void)started;
	delay *d = self;
	for (uint32_t i = 0; i < d->len; i++)
		if (d->q[i] == j) {
			memmove(d->q + i, d->q + i + 1, (d->len - i - 1) * sizeof *d->q);
			d->len--;
			return;
		}
}

static int delay_schedule(void *self, fgp_ctx *cx)
{
	delay *d = self;
	fgp_job info;
	while (d->len) {
		d->api->job(cx, d->q[0], &info);
		if (info.arrival + d->delay > d->api->now(cx) || !d->api->fits(cx, d->q[0], NULL))
			return 0;
		int rc = d->api->start(cx, d->q[0], NULL);
		if (rc)
			return rc;
	}
	return 0;
}

const fgp_policy fgsim_policy = {FGP_ABI, "delay", 0, delay_init, delay_free, delay_push, NULL, delay_remove, NULL,
				 delay_schedule};
