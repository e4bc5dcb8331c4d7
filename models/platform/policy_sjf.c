/* policy_sjf.c - orders the queue by a key fixed at arrival: shortest job first (the
 * job's runtime estimate, which may be wrong) and aging priority. */
#include "policy_common.h"

int policy_keyed_setup(policy *p, const policy_spec *spec, const scenario *sc)
{
	(void)sc;
	p->aging_step = spec->aging_step;
	return 0;
}

static fgp_job_id keyed_head(void *self, fgp_ctx *cx)
{
	(void)cx;
	const policy *p = self;
	return p->len ? p->heap[0] : JOB_NONE;
}

/* Shortest job first, by the runtime the user estimated, ties in arrival order. */
static int sjf_push(void *self, fgp_ctx *cx, fgp_job_id i)
{
	policy *p = self;
	const job *J = cx->jobs->j;
	if (policy_slot_room(p, i))
		return -1;
	p->slot[i].key = J[i].estimate;
	return policy_heap_push(self, cx, i);
}

/* Aging: a job's priority rises one level for every `step` it waits, so its effective
 * priority at time t is priority - (t - arrival) / step. The job with the smallest one
 * goes first; since t is common to all, that is the smallest arrival + priority x
 * step, a key that never changes: no re-sorting as time passes. */
static int aging_push(void *self, fgp_ctx *cx, fgp_job_id i)
{
	policy *p = self;
	const job *J = cx->jobs->j;
	if (policy_slot_room(p, i))
		return -1;
	p->slot[i].key = J[i].arrival + J[i].priority * p->aging_step;
	return policy_heap_push(self, cx, i);
}

POLICY_BUILTIN_INIT(sjf_init, policy_sjf_ops, policy_keyed_setup)
POLICY_BUILTIN_INIT(aging_init, policy_aging_ops, policy_keyed_setup)

const fgp_policy policy_sjf_ops = {
	.abi = FGP_ABI,
	.name = "sjf",
	.flags = FGP_HEAD_PURE,
	.init = sjf_init,
	.free = policy_builtin_free,
	.push = sjf_push,
	.head = keyed_head,
	.remove = policy_heap_remove,
};
const fgp_policy policy_aging_ops = {
	.abi = FGP_ABI,
	.name = "aging",
	.flags = FGP_HEAD_PURE,
	.init = aging_init,
	.free = policy_builtin_free,
	.push = aging_push,
	.head = keyed_head,
	.remove = policy_heap_remove,
};
