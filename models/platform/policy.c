/* policy.c - the registry of built-in queue policies, their shared init and free, and
 * the job heap that the ordered ones (sjf, aging) share. */
#include "policy.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "grow.h"

extern const fgp_policy policy_fcfs_ops, policy_priority_ops, policy_sjf_ops, policy_aging_ops,
	policy_fair_share_ops, policy_preemptive_ops, policy_backfill_ops;

/* Indexed by policy_kind: the operations, what sets up an empty queue of the kind, and
 * its private hook on starts and ends (NULL: none). */
static const struct {
	const fgp_policy *ops;
	int (*setup)(policy *p, const policy_spec *spec, const scenario *sc);
	policy_watch_fn watch;
} registry[] = {
	[POLICY_FCFS] = {.ops = &policy_fcfs_ops, .setup = policy_fcfs_setup},
	[POLICY_PRIORITY] = {.ops = &policy_priority_ops, .setup = policy_priority_setup},
	[POLICY_SJF] = {.ops = &policy_sjf_ops, .setup = policy_keyed_setup},
	[POLICY_AGING] = {.ops = &policy_aging_ops, .setup = policy_keyed_setup},
	[POLICY_FAIR_SHARE] = {.ops = &policy_fair_share_ops, .setup = policy_fair_setup},
	[POLICY_PREEMPTIVE] = {.ops = &policy_preemptive_ops, .setup = policy_priority_setup},
	[POLICY_EASY_BACKFILL] = {.ops = &policy_backfill_ops, .setup = policy_backfill_setup,
				  .watch = policy_backfill_watch},
};

const fgp_policy *policy_lookup(policy_kind kind)
{
	return kind < POLICY_PLUGIN ? registry[kind].ops : NULL;
}

const fgp_policy *policy_ops_of(const policy_spec *spec)
{
	return spec->kind == POLICY_PLUGIN ? spec->plugin : registry[spec->kind].ops;
}

policy_watch_fn policy_watch_of(const policy_spec *spec)
{
	return spec->kind == POLICY_PLUGIN ? NULL : registry[spec->kind].watch;
}

int policy_init(policy *p, const policy_spec *spec, const scenario *sc)
{
	memset(p, 0, sizeof *p);
	FG_ASSERT(spec->kind < POLICY_PLUGIN && registry[spec->kind].setup); /* built-ins only */
	p->ops = policy_lookup(spec->kind);
	for (int l = 0; l < SC_MAX_CLASSES; l++)
		jlist_init(&p->level[l]);
	return registry[spec->kind].setup(p, spec, sc);
}

/* The built-ins take no `params`: their parameters are keys of the policy group. */
int policy_builtin_init(void **self, const fgp_api *api, fgp_ctx *cx, const fgp_param *params, int nparams,
			char *err, size_t errlen)
{
	(void)api, (void)params, (void)nparams, (void)err, (void)errlen;
	policy *p = malloc(sizeof *p);
	if (!p)
		return -1;
	if (policy_init(p, cx->spec, cx->sc)) {
		policy_builtin_free(p);
		return -1;
	}
	*self = p;
	return 0;
}

void policy_builtin_free(void *self)
{
	if (!self)
		return;
	policy_destroy(self);
	free(self);
}

void policy_destroy(policy *p)
{
	free(p->heap);
	free(p->tenant_queue);
	free(p->tenant_pass);
	free(p->tenant_heap);
	free(p->tenant_pos);
	free(p->tenant_stride);
	policy_backfill_free(p->bf);
	memset(p, 0, sizeof *p);
}

/* ---- a binary min-heap of waiting jobs by (key, id); job.qpos is its slot -------- */

static int heap_before(const job *J, uint32_t a, uint32_t b)
{
	return J[a].key < J[b].key || (J[a].key == J[b].key && J[a].id < J[b].id);
}

static void heap_place(policy *p, job *J, uint32_t at, uint32_t i)
{
	p->heap[at] = i;
	J[i].qpos = at;
}

static void heap_up(policy *p, job *J, uint32_t at)
{
	uint32_t i = p->heap[at];
	while (at > 0 && heap_before(J, i, p->heap[(at - 1) / 2])) {
		heap_place(p, J, at, p->heap[(at - 1) / 2]);
		at = (at - 1) / 2;
	}
	heap_place(p, J, at, i);
}

static void heap_down(policy *p, job *J, uint32_t at)
{
	uint32_t i = p->heap[at];
	for (;;) {
		uint32_t c = 2 * at + 1;
		if (c >= p->len)
			break;
		if (c + 1 < p->len && heap_before(J, p->heap[c + 1], p->heap[c]))
			c++;
		if (!heap_before(J, p->heap[c], i))
			break;
		heap_place(p, J, at, p->heap[c]);
		at = c;
	}
	heap_place(p, J, at, i);
}

int policy_heap_push(void *self, fgp_ctx *cx, fgp_job_id i)
{
	policy *p = self;
	job *J = cx->jobs->j;
	if (GROW(p->heap, p->heap_cap, (size_t)p->len + 1))
		return -1;
	p->heap[p->len++] = i;
	heap_up(p, J, p->len - 1);
	uint32_t at = J[i].qpos;
	FG_ASSERT(p->heap[at] == i && (at == 0 || !heap_before(J, i, p->heap[(at - 1) / 2])));
	return 0;
}

void policy_heap_remove(void *self, fgp_ctx *cx, fgp_job_id i, int started)
{
	(void)started;
	policy *p = self;
	job *J = cx->jobs->j;
	FG_ASSERT(p->len > 0 && J[i].qpos < p->len && p->heap[J[i].qpos] == i);
	uint32_t at = J[i].qpos, last = p->heap[--p->len];
	if (at == p->len)
		return;
	heap_place(p, J, at, last);
	if (at > 0 && heap_before(J, last, p->heap[(at - 1) / 2]))
		heap_up(p, J, at);
	else
		heap_down(p, J, at);
}
