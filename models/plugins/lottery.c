/* lottery.c - lottery scheduling (Waldspurger & Weihl 1994) over tenants: whenever GPUs
 * may be free, a lottery among the tenants with queued work, each holding its tickets,
 * picks the tenant whose oldest job goes next. Under saturation each tenant's share of
 * starts, and so (for jobs of equal size) of GPU time, tends to its share of the
 * tickets. Parameters:
 *   tickets = 3;   every tenant's tickets (default 1)
 *   t1 = 10;       a tenant's own tickets, by its name ("t1".."tN", or a class's name)
 * It shows the general `schedule` call: the policy starts jobs itself through
 * api->start, and draws from fgsim's random stream (api->uniform), so results are the
 * same for any -j. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fgsim_plugin.h"

typedef struct lottery {
	const fgp_api *api;
	uint32_t ntenants;
	double *tickets;                   /* per tenant */
	fgp_job_id *qhead, *qtail;         /* per tenant: its FIFO of waiting jobs */
	uint32_t *active, *active_pos;     /* tenants with queued work, and where each is in it */
	uint32_t nactive;
	double active_tickets;             /* the sum over active tenants */
	fgp_job_id *next, *prev;           /* per job handle: the FIFO links */
	uint32_t *tenant_of;               /* per job handle */
	uint32_t cap;
} lottery;

static void lottery_free(void *self)
{
	lottery *l = self;
	if (!l)
		return;
	free(l->tickets);
	free(l->qhead);
	free(l->qtail);
	free(l->active);
	free(l->active_pos);
	free(l->next);
	free(l->prev);
	free(l->tenant_of);
	free(l);
}

static int lottery_init(void **self, const fgp_api *api, fgp_ctx *cx, const fgp_param *params, int nparams,
			char *err, size_t errlen)
{
	lottery *l = calloc(1, sizeof *l);
	if (!l)
		return -1;
	l->api = api;
	uint32_t n = l->ntenants = api->ntenants(cx);
	l->tickets = malloc(n * sizeof *l->tickets);
	l->qhead = malloc(n * sizeof *l->qhead);
	l->qtail = malloc(n * sizeof *l->qtail);
	l->active = malloc(n * sizeof *l->active);
	l->active_pos = malloc(n * sizeof *l->active_pos);
	if (!l->tickets || !l->qhead || !l->qtail || !l->active || !l->active_pos) {
		lottery_free(l);
		return -1;
	}
	double base = 1;
	for (int i = 0; i < nparams; i++) /* `tickets` first: a tenant's own number wins */
		if (!strcmp(params[i].key, "tickets")) {
			if (params[i].type == FGP_STRING || params[i].type == FGP_BOOL || !(params[i].f > 0)) {
				snprintf(err, errlen, "tickets must be a positive number");
				lottery_free(l);
				return 1;
			}
			base = params[i].f;
		}
	for (uint32_t t = 0; t < n; t++) {
		l->tickets[t] = base;
		l->qhead[t] = l->qtail[t] = FGP_NONE;
	}
	for (int i = 0; i < nparams; i++) {
		if (!strcmp(params[i].key, "tickets"))
			continue;
		uint32_t t = 0;
		char name[128];
		while (t < n && strcmp(api->tenant_name(cx, t, name, sizeof name), params[i].key))
			t++;
		if (t == n) {
			snprintf(err, errlen, "unknown parameter \"%s\": give tickets = N, or a tenant's name (t1 = 10)",
				 params[i].key);
			lottery_free(l);
			return 1;
		}
		if (params[i].type == FGP_STRING || params[i].type == FGP_BOOL || !(params[i].f > 0)) {
			snprintf(err, errlen, "tenant %s: tickets must be a positive number", params[i].key);
			lottery_free(l);
			return 1;
		}
		l->tickets[t] = params[i].f;
	}
	*self = l;
	return 0;
}

static int reserve(lottery *l, fgp_job_id j)
{
	if (j < l->cap)
		return 0;
	uint32_t cap = l->cap ? l->cap : 1024;
	while (cap <= j)
		cap *= 2;
	fgp_job_id *n = realloc(l->next, cap * sizeof *n);
	if (n)
		l->next = n;
	fgp_job_id *p = realloc(l->prev, cap * sizeof *p);
	if (p)
		l->prev = p;
	uint32_t *t = realloc(l->tenant_of, cap * sizeof *t);
	if (t)
		l->tenant_of = t;
	if (!n || !p || !t)
		return -1;
	l->cap = cap;
	return 0;
}

static int lottery_push(void *self, fgp_ctx *cx, fgp_job_id j)
{
	lottery *l = self;
	fgp_job info;
	if (reserve(l, j))
		return -1;
	l->api->job(cx, j, &info);
	uint32_t t = info.tenant;
	l->tenant_of[j] = t;
	l->next[j] = FGP_NONE;
	l->prev[j] = l->qtail[t];
	if (l->qtail[t] != FGP_NONE) {
		l->next[l->qtail[t]] = j;
	} else { /* the tenant joins the lottery */
		l->qhead[t] = j;
		l->active_pos[t] = l->nactive;
		l->active[l->nactive++] = t;
		l->active_tickets += l->tickets[t];
	}
	l->qtail[t] = j;
	return 0;
}

static void lottery_remove(void *self, fgp_ctx *cx, fgp_job_id j, int started)
{
	(void)cx, (void)started;
	lottery *l = self;
	uint32_t t = l->tenant_of[j];
	if (l->prev[j] != FGP_NONE)
		l->next[l->prev[j]] = l->next[j];
	else
		l->qhead[t] = l->next[j];
	if (l->next[j] != FGP_NONE)
		l->prev[l->next[j]] = l->prev[j];
	else
		l->qtail[t] = l->prev[j];
	if (l->qhead[t] == FGP_NONE) { /* the tenant leaves the lottery */
		uint32_t at = l->active_pos[t], last = l->active[--l->nactive];
		l->active[at] = last;
		l->active_pos[last] = at;
		l->active_tickets -= l->tickets[t];
		if (l->nactive == 0)
			l->active_tickets = 0; /* no rounding drift across busy periods */
	}
}

/* Draws a winner among the active tenants; starts its oldest job if that fits, and
 * draws again; stops at the first winner whose job does not fit (it keeps its chance
 * at the next lottery, when GPUs free up). */
static int lottery_schedule(void *self, fgp_ctx *cx)
{
	lottery *l = self;
	while (l->nactive > 0) {
		double x = l->api->uniform(cx) * l->active_tickets;
		uint32_t k = 0;
		for (; k + 1 < l->nactive; k++) {
			x -= l->tickets[l->active[k]];
			if (x < 0)
				break;
		}
		fgp_job_id j = l->qhead[l->active[k]];
		if (!l->api->fits(cx, j, NULL))
			return 0;
		int rc = l->api->start(cx, j, NULL); /* calls lottery_remove */
		if (rc)
			return rc;
	}
	return 0;
}

/* The name "fgsim_policy" and its table's layout are the interface: see
 * models/fgsim_plugin.h. head is NULL: schedule does the choosing. */
const fgp_policy fgsim_policy = {
	.abi = FGP_ABI,
	.name = "lottery",
	.init = lottery_init,
	.free = lottery_free,
	.push = lottery_push,
	.remove = lottery_remove,
	.schedule = lottery_schedule,
};
