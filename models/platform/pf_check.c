/* pf_check.c - pf_check: the workspace's invariants, walked. The counters the event loop
 * keeps by increments (queued, nheld, running, busy_milli, tenant_use, powered_milli,
 * booting, queued_work) are recounted from the jobs table, the held and evictable
 * lists and the burst nodes, and the calendar and the cluster walk their own. Debug
 * builds run it every 65536 events; tests after every event (platform_check_every). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "platform_steps.h"

/* The first broken invariant, formatted into a buffer of the calling thread's. */
static _Thread_local char why[256];
#define BROKEN(...) return snprintf(why, sizeof why, __VA_ARGS__), why

/* A running job's slot: a pool, and a node and GPU in range, or a gang's list. */
static const char *check_running(const platform *p, uint32_t i)
{
	const job *j = &p->jobs.j[i];
	if (j->pool >= p->sc->npools)
		BROKEN("running job %u on pool %d of %d", i, j->pool, p->sc->npools);
	const pool_state *ps = &p->cl.pools[j->pool];
	if (j->node < 0 ? !j->gang : j->node >= ps->nodes || j->gang)
		BROKEN("running job %u on node %d of pool %d (%d nodes), gang %s", i, j->node,
		       j->pool, ps->nodes, j->gang ? "set" : "unset");
	if (j->gpu >= ps->gpn || (j->gpu >= 0 && j->gpus_milli >= SC_MILLI))
		BROKEN("running job %u of %d thousandths on GPU %d", i, j->gpus_milli, j->gpu);
	if (j->gpus_milli <= 0 || j->runs == 0)
		BROKEN("running job %u has %d thousandths of a GPU, %u runs", i, j->gpus_milli,
		       j->runs);
	return NULL;
}

/* The per-class evictable lists hold exactly the running whole-GPU one-node jobs. */
static const char *check_evictable(const platform *p, long long candidates)
{
	long long listed = 0;
	for (int k = 0; k < p->sc->nclasses; k++) {
		uint32_t n = 0;
		for (uint32_t i = p->evictable[k].head; i != JOB_NONE && n <= p->jobs.cap;
		     i = p->jobs.j[i].next, n++) {
			const job *j = &p->jobs.j[i];
			if (i >= p->jobs.cap || j->state != JOB_RUNNING || j->cls != k ||
			    j->node < 0 || j->gpu >= 0)
				BROKEN("evictable list of class %d holds job %u, which is not a "
				       "running whole-GPU job of it",
				       k, i);
		}
		if (n != p->evictable[k].len)
			BROKEN("evictable list of class %d: %u jobs linked, length %u", k, n,
			       p->evictable[k].len);
		listed += n;
	}
	if (listed != candidates)
		BROKEN("%lld jobs on the evictable lists, %lld running whole GPUs on one node",
		       listed, candidates);
	return NULL;
}

/* Each tenant's usage is the GPUs its running jobs hold; its held jobs are listed. */
static const char *check_quota(const platform *p, long long nheld_listed)
{
	long long *use = calloc((size_t)p->sc->ntenants, sizeof *use);
	if (!use)
		return NULL; /* no memory to check with: not a broken invariant */
	for (uint32_t i = 0; i < p->jobs.cap; i++)
		if (p->jobs.j[i].state == JOB_RUNNING)
			use[p->jobs.j[i].tenant] += p->jobs.j[i].gpus_milli;
	for (int t = 0; t < p->sc->ntenants; t++)
		if (use[t] != p->tenant_use[t]) {
			long long was = use[t];
			free(use);
			BROKEN("tenant %d uses %lld thousandths by its running jobs, tenant_use "
			       "says %lld",
			       t, was, p->tenant_use[t]);
		}
	free(use);
	long long listed = 0;
	for (int t = 0; t < p->sc->ntenants; t++) {
		uint32_t n = 0;
		for (uint32_t i = p->held[t].head; i != JOB_NONE && n <= p->jobs.cap;
		     i = p->jobs.j[i].next, n++)
			if (i >= p->jobs.cap || p->jobs.j[i].state != JOB_HELD ||
			    p->jobs.j[i].tenant != (uint32_t)t)
				BROKEN("held list of tenant %d holds job %u, which is not a held "
				       "job of it",
				       t, i);
		if (n != p->held[t].len)
			BROKEN("held list of tenant %d: %u jobs linked, length %u", t, n,
			       p->held[t].len);
		listed += n;
	}
	if (listed != nheld_listed)
		BROKEN("%lld jobs on the held lists, %lld held in the jobs table", listed,
		       nheld_listed);
	return NULL;
}

/* Burst nodes: booting ones counted per pool, and the powered GPUs are the pools'. */
static const char *check_burst(const platform *p)
{
	int booting[SC_MAX_POOLS] = {0};
	for (int b = 0; b < p->ft.nburst; b++)
		booting[p->burst[b].pool] += p->burst[b].state == BURST_BOOTING;
	for (int q = 0; q < p->sc->npools; q++)
		if (booting[q] != p->booting[q])
			BROKEN("pool %d: %d burst nodes booting, booting says %d", q, booting[q],
			       p->booting[q]);
	return NULL;
}

const char *pf_check(const platform *p)
{
	const char *broken;
	if ((broken = cal_check(&p->cal)) || (broken = cluster_check(&p->cl)))
		return broken;
	long long n[4] = {0}, busy = 0, candidates = 0;
	double work[SC_MAX_CLASSES] = {0}, scale[SC_MAX_CLASSES] = {0};
	for (uint32_t i = 0; i < p->jobs.cap; i++) {
		const job *j = &p->jobs.j[i];
		if (j->state > JOB_HELD)
			BROKEN("job %u in state %d", i, j->state);
		n[j->state]++;
		if (j->state == JOB_FREE)
			continue;
		if (j->cls >= p->sc->nclasses || j->tenant >= (uint32_t)p->sc->ntenants)
			BROKEN("job %u of class %d, tenant %u", i, j->cls, j->tenant);
		if (j->state == JOB_RUNNING) {
			if ((broken = check_running(p, i)))
				return broken;
			busy += j->gpus_milli;
			candidates += j->node >= 0 && j->gpu < 0;
		} else {
			work[j->cls] += (double)j->gpus_milli * j->estimate;
			scale[j->cls] += fabs((double)j->gpus_milli * j->estimate);
		}
	}
	if (n[JOB_WAITING] != p->queued)
		BROKEN("%lld jobs waiting in the jobs table, queued says %u", n[JOB_WAITING],
		       p->queued);
	if (n[JOB_HELD] != p->nheld)
		BROKEN("%lld jobs held in the jobs table, nheld says %u", n[JOB_HELD], p->nheld);
	if (n[JOB_RUNNING] != p->running)
		BROKEN("%lld jobs running in the jobs table, running says %lld", n[JOB_RUNNING],
		       p->running);
	if (busy != p->busy_milli)
		BROKEN("running jobs hold %lld thousandths of GPUs, busy_milli says %lld", busy,
		       p->busy_milli);
	long long pools_busy = 0, powered = 0;
	for (int q = 0; q < p->sc->npools; q++) {
		pools_busy += p->cl.pools[q].busy_milli;
		/* a draining node's GPUs are powered until it goes down (cluster_cordon) */
		powered += p->cl.pools[q].cap_milli + p->cl.pools[q].cordon_off_milli;
	}
	if (pools_busy != p->busy_milli)
		BROKEN("the pools' busy GPUs add up to %lld thousandths, busy_milli says %lld",
		       pools_busy, p->busy_milli);
	if (powered != p->powered_milli || p->busy_milli > p->powered_milli)
		BROKEN("%lld thousandths of GPUs powered, powered_milli says %lld, busy %lld",
		       powered, p->powered_milli, p->busy_milli);
	/* Queued work is kept by increments in floating point: equal to the recount up to
	 * rounding, which grows with the adds and subtracts behind it (a GPU-second's
	 * worth, 1000 units, is far beyond that and far below any one job's work). */
	for (int k = 0; p->ft.track_work && k < p->sc->nclasses; k++)
		if (fabs(work[k] - p->queued_work[k]) > 1e3 + 1e-9 * scale[k])
			BROKEN("class %d: queued work %.10g by its waiting and held jobs, "
			       "queued_work says %.10g",
			       k, work[k], p->queued_work[k]);
	if (p->ft.preempts && (broken = check_evictable(p, candidates)))
		return broken;
	if (p->ft.quota && (broken = check_quota(p, n[JOB_HELD])))
		return broken;
	if (p->ft.nburst && (broken = check_burst(p)))
		return broken;
	if (!(p->frag_now >= 0))
		BROKEN("fragmented GPUs %g", p->frag_now);
	return NULL;
}

void platform_check_every(platform *p, unsigned long long mask)
{
	p->check_mask = mask;
	p->tick_mask = mask & 0xffff;
}
