/* policy.c - the built-in non-preemptive policies over per-level FIFO lists, and the
 * registry that maps a policy kind to its operations. */
#include "policy.h"

static void levels_push(policy *p, job *J, uint32_t i)
{
	int l = p->level_of[J[i].cls];
	jlist_push(&p->level[l], J, i);
	p->nonempty |= 1u << l;
	p->len++;
}

static uint32_t levels_head(const policy *p, const job *J)
{
	(void)J;
	return p->nonempty ? p->level[__builtin_ctz(p->nonempty)].head : JOB_NONE;
}

static void levels_remove(policy *p, job *J, uint32_t i)
{
	int l = p->level_of[J[i].cls];
	jlist_remove(&p->level[l], J, i);
	if (p->level[l].len == 0)
		p->nonempty &= ~(1u << l);
	p->len--;
}

/* First come, first served: one queue for every class. */
static void fcfs_init(policy *p, const scenario *sc)
{
	for (int k = 0; k < sc->nclasses; k++)
		p->level_of[k] = 0;
}

/* Non-preemptive priority: a smaller priority number is served first; classes with
 * equal priority share a FIFO. Levels are the ranks of the distinct priorities. */
static void priority_init(policy *p, const scenario *sc)
{
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
}

static const policy_ops fcfs_ops = {"fcfs", fcfs_init, levels_push, levels_head, levels_remove};
static const policy_ops priority_ops = {"priority", priority_init, levels_push, levels_head, levels_remove};

/* Indexed by policy_kind. */
static const policy_ops *const registry[] = {[POLICY_FCFS] = &fcfs_ops, [POLICY_PRIORITY] = &priority_ops};

const policy_ops *policy_lookup(policy_kind kind)
{
	return registry[kind];
}

void policy_init(policy *p, policy_kind kind, const scenario *sc)
{
	p->ops = policy_lookup(kind);
	p->len = 0;
	p->nonempty = 0;
	for (int l = 0; l < SC_MAX_CLASSES; l++)
		jlist_init(&p->level[l]);
	p->ops->init(p, sc);
}
