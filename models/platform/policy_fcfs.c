/* policy_fcfs.c - first come, first served, and priority (non-preemptive, and
 * preemptive: the platform evicts for it): FIFO lists by level, the lowest non-empty
 * level first. */
#include "policy_common.h"

#include "check.h"

static int levels_push(void *self, fgp_ctx *cx, fgp_job_id i)
{
	policy *p = self;
	job *J = cx->jobs->j;
	int l = p->level_of[J[i].cls];
	FG_ASSERT(l < SC_MAX_CLASSES && l < 32); /* a bit of nonempty per level */
	jlist_push(&p->level[l], J, i);
	p->nonempty |= 1u << l;
	p->len++;
	return 0;
}

static fgp_job_id levels_head(void *self, fgp_ctx *cx)
{
	(void)cx;
	const policy *p = self;
	FG_ASSERT((p->nonempty != 0) == (p->len != 0));
	/* a bit per non-empty level: the head is one count of trailing zeros away,
	 * with no walk over empty levels on every call */
	return p->nonempty ? p->level[__builtin_ctz(p->nonempty)].head : JOB_NONE;
}

static void levels_remove(void *self, fgp_ctx *cx, fgp_job_id i, int started)
{
	(void)started;
	policy *p = self;
	job *J = cx->jobs->j;
	int l = p->level_of[J[i].cls];
	FG_ASSERT(p->len > 0 && (p->nonempty >> l & 1));
	jlist_remove(&p->level[l], J, i);
	if (p->level[l].len == 0)
		p->nonempty &= ~(1u << l);
	p->len--;
}

/* First come, first served: one queue for every class. */
int policy_fcfs_setup(policy *p, const policy_spec *spec, const scenario *sc)
{
	(void)spec;
	for (int k = 0; k < sc->nclasses; k++)
		p->level_of[k] = 0;
	return 0;
}

/* Non-preemptive priority: a smaller priority number is served first; classes with
 * equal priority share a FIFO. Levels are the ranks of the distinct priorities. */
/* Dense ranks, not the priority numbers themselves: any int may be written, and the
 * levels must fit the nonempty bit mask (one bit per level, SC_MAX_CLASSES at most). */
int policy_priority_setup(policy *p, const policy_spec *spec, const scenario *sc)
{
	(void)spec;
	for (int k = 0; k < sc->nclasses; k++) {
		int rank = 0;
		for (int q = 0; q < sc->nclasses; q++) {
			int seen_before = 0;
			for (int r = 0; r < q; r++)
				seen_before |= sc->classes[r].priority == sc->classes[q].priority;
			rank += !seen_before && sc->classes[q].priority < sc->classes[k].priority;
		}
		p->level_of[k] = (uint8_t)rank;
	}
	return 0;
}

/* A preempted job goes back to the front of its level: it was running, so it came
 * before every job still waiting there. */
static int levels_requeue(void *self, fgp_ctx *cx, fgp_job_id i)
{
	policy *p = self;
	job *J = cx->jobs->j;
	int l = p->level_of[J[i].cls];
	jlist_push_front(&p->level[l], J, i);
	p->nonempty |= 1u << l;
	p->len++;
	return 0;
}

POLICY_BUILTIN_INIT(fcfs_init, policy_fcfs_ops, policy_fcfs_setup)
POLICY_BUILTIN_INIT(priority_init, policy_priority_ops, policy_priority_setup)
POLICY_BUILTIN_INIT(preemptive_init, policy_preemptive_ops, policy_priority_setup)

/* FGP_HEAD_PURE: levels_head only reads the lists. The preemptive kind also asks the
 * platform to evict for its head, and requeues the evicted at the front of their level. */
const fgp_policy policy_fcfs_ops = {
	.abi = FGP_ABI,
	.name = "fcfs",
	.flags = FGP_HEAD_PURE,
	.init = fcfs_init,
	.free = policy_builtin_free,
	.push = levels_push,
	.head = levels_head,
	.remove = levels_remove,
};
const fgp_policy policy_priority_ops = {
	.abi = FGP_ABI,
	.name = "priority",
	.flags = FGP_HEAD_PURE,
	.init = priority_init,
	.free = policy_builtin_free,
	.push = levels_push,
	.head = levels_head,
	.remove = levels_remove,
};
const fgp_policy policy_preemptive_ops = {
	.abi = FGP_ABI,
	.name = "priority-preemptive",
	.flags = FGP_EVICT_FOR_HEAD,
	.init = preemptive_init,
	.free = policy_builtin_free,
	.push = levels_push,
	.head = levels_head,
	.remove = levels_remove,
	.requeue = levels_requeue,
};
