/* policy_sjf.c - orders the queue by a key fixed at arrival: shortest job first (the
 * job's runtime estimate, which may be wrong) and aging priority. */
#include "policy.h"

static int keyed_init(policy *p, const policy_spec *spec, const scenario *sc)
{
	(void)sc;
	p->aging_step = spec->aging_step;
	return 0;
}

static uint32_t keyed_head(const policy *p, const job *J)
{
	(void)J;
	return p->len ? p->heap[0] : JOB_NONE;
}

/* Shortest job first, by the runtime the user estimated, ties in arrival order. */
static int sjf_push(policy *p, job *J, uint32_t i)
{
	J[i].key = J[i].estimate;
	return policy_heap_push(p, J, i);
}

/* Aging: a job's priority rises one level for every `step` it waits, so its effective
 * priority at time t is priority - (t - arrival) / step. The job with the smallest one
 * goes first; since t is common to all, that is the smallest arrival + priority x
 * step, a key that never changes: no re-sorting as time passes. */
static int aging_push(policy *p, job *J, uint32_t i)
{
	J[i].key = J[i].arrival + J[i].priority * p->aging_step;
	return policy_heap_push(p, J, i);
}

const policy_ops policy_sjf_ops = {"sjf", keyed_init, sjf_push, keyed_head, policy_heap_remove, NULL, 0};
const policy_ops policy_aging_ops = {"aging", keyed_init, aging_push, keyed_head, policy_heap_remove, NULL, 0};
