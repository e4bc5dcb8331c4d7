/* policy_fair.c - fair share: round-robin across the tenants that have queued work,
 * so one heavy tenant cannot starve the rest. Stride scheduling (Waldspurger & Weihl
 * 1995): each start advances its tenant's pass by 1 / weight and the tenant with the
 * smallest pass goes next; a tenant that was idle rejoins at the current pass, so
 * idleness earns no credit. A tenant's weight (scenario `tenants.weights`, default 1)
 * divides its stride, so under saturation its share of starts is its share of the
 * weights. Within a tenant, jobs go in arrival order. */
#include "policy_common.h"

#include <stdlib.h>

#include "check.h"

/* Equal passes go to the lower tenant number: a fixed rule, so the order of starts
 * does not depend on the heap's history. */
static int tenant_before(const policy *p, uint32_t a, uint32_t b)
{
	return p->tenant_pass[a] < p->tenant_pass[b] || (p->tenant_pass[a] == p->tenant_pass[b] && a < b);
}

static void tenant_place(policy *p, uint32_t at, uint32_t t)
{
	p->tenant_heap[at] = t;
	p->tenant_pos[t] = at;
}

static void tenant_up(policy *p, uint32_t at)
{
	uint32_t t = p->tenant_heap[at];
	while (at > 0 && tenant_before(p, t, p->tenant_heap[(at - 1) / 2])) {
		tenant_place(p, at, p->tenant_heap[(at - 1) / 2]);
		at = (at - 1) / 2;
	}
	tenant_place(p, at, t);
}

static void tenant_down(policy *p, uint32_t at)
{
	uint32_t t = p->tenant_heap[at];
	for (;;) {
		uint32_t c = 2 * at + 1;
		if (c >= p->active)
			break;
		if (c + 1 < p->active && tenant_before(p, p->tenant_heap[c + 1], p->tenant_heap[c]))
			c++;
		if (!tenant_before(p, p->tenant_heap[c], t))
			break;
		tenant_place(p, at, p->tenant_heap[c]);
		at = c;
	}
	tenant_place(p, at, t);
}

int policy_fair_setup(policy *p, const policy_spec *spec, const scenario *sc)
{
	(void)spec;
	uint32_t n = (uint32_t)sc->ntenants;
	p->ntenants = n;
	p->tenant_queue = malloc(n * sizeof *p->tenant_queue);
	p->tenant_pass = calloc(n, sizeof *p->tenant_pass);
	p->tenant_heap = malloc(n * sizeof *p->tenant_heap);
	p->tenant_pos = malloc(n * sizeof *p->tenant_pos);
	if (!p->tenant_queue || !p->tenant_pass || !p->tenant_heap || !p->tenant_pos)
		return -1;
	for (uint32_t t = 0; t < n; t++)
		jlist_init(&p->tenant_queue[t]);
	if (sc->tenant_weight) {
		if (!(p->tenant_stride = malloc(n * sizeof *p->tenant_stride)))
			return -1;
		for (uint32_t t = 0; t < n; t++)
			p->tenant_stride[t] = 1 / sc->tenant_weight[t];
	}
	return 0;
}

static int fair_push(void *self, fgp_ctx *cx, fgp_job_id i)
{
	policy *p = self;
	job *J = cx->jobs->j;
	uint32_t t = J[i].tenant;
	FG_ASSERT(t < p->ntenants);
	if (p->tenant_queue[t].len == 0) { /* the tenant becomes active */
		FG_ASSERT(p->active < p->ntenants);
		if (p->tenant_pass[t] < p->pass_now)
			p->tenant_pass[t] = p->pass_now;
		tenant_place(p, p->active++, t);
		tenant_up(p, p->active - 1);
	}
	jlist_push(&p->tenant_queue[t], J, i);
	p->len++;
	return 0;
}

static fgp_job_id fair_head(void *self, fgp_ctx *cx)
{
	(void)cx;
	const policy *p = self;
	/* an active tenant has queued work, and only those are in the heap */
	FG_ASSERT(!p->active || p->tenant_queue[p->tenant_heap[0]].len > 0);
	return p->active ? p->tenant_queue[p->tenant_heap[0]].head : JOB_NONE;
}

static void fair_remove(void *self, fgp_ctx *cx, fgp_job_id i, int started)
{
	policy *p = self;
	job *J = cx->jobs->j;
	uint32_t t = J[i].tenant;
	jlist_remove(&p->tenant_queue[t], J, i);
	p->len--;
	if (started) {
		p->pass_now = p->tenant_pass[t];
		p->tenant_pass[t] += p->tenant_stride ? p->tenant_stride[t] : 1.0; /* stride = 1 / weight */
	}
	uint32_t at = p->tenant_pos[t];
	FG_ASSERT(at < p->active && p->tenant_heap[at] == t); /* it had queued work: active */
	if (p->tenant_queue[t].len == 0) { /* idle: leaves the heap */
		uint32_t last = p->tenant_heap[--p->active];
		if (at == p->active)
			return;
		tenant_place(p, at, last);
		if (at > 0 && tenant_before(p, last, p->tenant_heap[(at - 1) / 2]))
			tenant_up(p, at);
		else
			tenant_down(p, at);
	} else if (started) {
		tenant_down(p, at); /* its pass grew */
	}
}

POLICY_BUILTIN_INIT(fair_init, policy_fair_share_ops, policy_fair_setup)

const fgp_policy policy_fair_share_ops = {
	.abi = FGP_ABI,
	.name = "fair-share",
	.flags = FGP_HEAD_PURE,
	.init = fair_init,
	.free = policy_builtin_free,
	.push = fair_push,
	.head = fair_head,
	.remove = fair_remove,
};
