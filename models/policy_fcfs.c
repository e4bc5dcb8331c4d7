/* policy_fcfs.c - first come, first served, and priority (non-preemptive, and
 * preemptive: the platform evicts for it): FIFO lists by level, the lowest non-empty
 * level first. */
#include "policy.h"

static int levels_push(policy *p, job *J, uint32_t i)
{
	int l = p->level_of[J[i].cls];
	jlist_push(&p->level[l], J, i);
	p->nonempty |= 1u << l;
	p->len++;
	return 0;
}

static uint32_t levels_head(const policy *p, const job *J)
{
	(void)J;
	return p->nonempty ? p->level[__builtin_ctz(p->nonempty)].head : JOB_NONE;
}

static void levels_remove(policy *p, job *J, uint32_t i, int started)
{
	(void)started;
	int l = p->level_of[J[i].cls];
	jlist_remove(&p->level[l], J, i);
	if (p->level[l].len == 0)
		p->nonempty &= ~(1u << l);
	p->len--;
}

/* First come, first served: one queue for every class. */
static int fcfs_init(policy *p, const policy_spec *spec, const scenario *sc)
{
	(void)spec;
	for (int k = 0; k < sc->nclasses; k++)
		p->level_of[k] = 0;
	return 0;
}

/* Non-preemptive priority: a smaller priority number is served first; classes with
 * equal priority share a FIFO. Levels are the ranks of the distinct priorities. */
static int priority_init(policy *p, const policy_spec *spec, const scenario *sc)
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
static int levels_requeue(policy *p, job *J, uint32_t i)
{
	int l = p->level_of[J[i].cls];
	jlist_push_front(&p->level[l], J, i);
	p->nonempty |= 1u << l;
	p->len++;
	return 0;
}

const policy_ops policy_fcfs_ops = {"fcfs", fcfs_init, levels_push, levels_head, levels_remove, NULL, 0};
const policy_ops policy_priority_ops = {"priority", priority_init, levels_push, levels_head, levels_remove, NULL, 0};
const policy_ops policy_preemptive_ops = {"priority-preemptive", priority_init, levels_push, levels_head,
					  levels_remove, levels_requeue, 1};
