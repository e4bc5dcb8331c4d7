/* preempt.c - evictions for a policy that evicts for its head (FGP_EVICT_FOR_HEAD,
 * ft.preempts): when the head does not fit, running whole-GPU jobs of lower priority
 * go back to the queue on the first node where that makes room. The candidates are the
 * per-class evictable lists take_gpus and give_gpus keep (platform_steps.h), so a
 * search looks at candidates, not at every job slot. */
#include "platform_steps.h"

/* Evicts running job v for a job of higher priority: it is billed for the time it ran
 * and goes back to the queue, to resume where it stopped or, with restart, to start
 * over (the work it did is then lost). */
int preempt_evict(platform *p, uint32_t v)
{
	job *j = &p->jobs.j[v];
	const scenario *sc = p->sc;
	int restart = sc->policies[p->policy].restart;
	FG_ASSERT(j->state == JOB_RUNNING && !j->gang && j->gpu < 0);
	bill(p, j, p->now);
	give_gpus(p, j);
	double ran = p->now - j->start;
	if (p->ft.faults) { /* its checkpoint pauses are no work; it resumes in memory */
		/* a restart loses the whole run (books_preempted), pauses and reloading too */
		faults_run_end(p, j, restart ? j->start : p->now);
		ran = faults_work_done(p, j);
		j->resumed = 0;
	}
	j->left = restart ? j->service : j->left - ran;
	books_preempted(p, j, restart);
	return back_to_queue(p, j, v); /* a preemptive policy has requeue */
}

/* Find the first node (pools in the head's class's order, then node order) where
 * evicting running whole-GPU jobs of lower priority makes room, and evict there, lowest
 * priority and latest start first, no more than needed. Gangs neither preempt nor are
 * preempted, nor are fractions. */
int preempt_make_room(platform *p, uint32_t h)
{
	const job *hj = &p->jobs.j[h];
	const scenario *sc = p->sc;
	const cluster *c = &p->cl;
	if (hj->gpus_milli > SC_MILLI * 64)
		return 0;
	int rank[SC_MAX_POOLS]; /* a pool's place in the head's placement order; -1: not for it */
	for (int q = 0; q < sc->npools; q++)
		rank[q] = -1;
	for (int i = 0; i < c->norder[hj->cls]; i++) {
		int q = c->order[hj->cls][i], kind = cluster_fit_kind(c, q, hj->gpus_milli);
		if ((kind == FITS_NODE || kind == FITS_FRACTION) && rank[q] < 0)
			rank[q] = i;
	}
	p->nvictims = 0;
	for (int k = 0; k < sc->nclasses; k++) {
		if (sc->classes[k].priority <= hj->priority)
			continue;
		for (uint32_t i = p->evictable[k].head; i != JOB_NONE; i = p->jobs.j[i].next) {
			const job *j = &p->jobs.j[i];
			FG_ASSERT(j->state == JOB_RUNNING && j->cls == k);
			/* a draining node's GPUs go off as its jobs leave: evicting there frees
			 * nothing the head could take */
			const pool_state *ps = &c->pools[j->pool];
			if (rank[j->pool] < 0 || (ps->ncordon && ps->down[j->node] == CL_CORDONED))
				continue;
			if (GROW(p->victims, p->victims_cap, (size_t)p->nvictims + 1))
				return -1;
			p->victims[p->nvictims++] = i;
			p->freeable[p->node_base[j->pool] + j->node] += j->gpus_milli;
		}
	}
	/* The first node in placement order (pool rank, then node number) where evicting
	 * makes room: only nodes that hold candidates can. */
	int need = hj->gpus_milli < SC_MILLI ? SC_MILLI : hj->gpus_milli, pool = -1, node = -1;
	for (uint32_t v = 0; v < p->nvictims; v++) {
		const job *j = &p->jobs.j[p->victims[v]];
		int q = j->pool, n = j->node;
		if (c->pools[q].free_milli[n] + p->freeable[p->node_base[q] + n] >= need &&
		    (pool < 0 || rank[q] < rank[pool] || (q == pool && n < node)))
			pool = q, node = n;
	}
	for (uint32_t v = 0; v < p->nvictims; v++) { /* clear the scratch */
		const job *j = &p->jobs.j[p->victims[v]];
		p->freeable[p->node_base[j->pool] + j->node] = 0;
	}
	if (pool < 0)
		return 0;
	while (c->pools[pool].free_milli[node] < need) {
		uint32_t best = JOB_NONE; /* lowest priority, then latest start, then lowest slot */
		for (uint32_t v = 0; v < p->nvictims; v++) {
			uint32_t i = p->victims[v];
			const job *j = &p->jobs.j[i];
			if (j->state != JOB_RUNNING || j->pool != pool || j->node != node)
				continue;
			const job *b = best == JOB_NONE ? NULL : &p->jobs.j[best];
			if (!b || j->priority > b->priority ||
			    (j->priority == b->priority && (j->start > b->start || (j->start == b->start && i < best))))
				best = i;
		}
		/* cannot happen: the node's victims were counted above and make room */
		FG_ASSERT(best != JOB_NONE);
		if (best == JOB_NONE)
			return 0;
		if (preempt_evict(p, best))
			return -1;
	}
	return 1;
}
