/* quota.c - tenants' GPU quotas (tenants.quota_gpus): a job whose start would take its
 * tenant beyond the quota is held aside, out of the policy's queue so that it blocks
 * nobody behind it, and goes back to the policy when its tenant's usage drops. The
 * usage itself is kept by take_gpus and here (platform_steps.h); everything runs only
 * under ft.quota. */
#include "platform_steps.h"

void quota_hold(platform *p, uint32_t h)
{
	job *j = &p->jobs.j[h];
	FG_ASSERT(p->ft.quota && j->state == JOB_WAITING && p->queued > 0);
	p->pops->remove(p->pself, &p->cx, h, 0);
	p->queued--;
	j->state = JOB_HELD;
	jlist_push(&p->held[j->tenant], p->jobs.j, h);
	p->nheld++;
}

/* Tenant t's usage dropped: its held jobs go back to the policy, in the order they
 * were held, as many as its quota now leaves room for (the rest would only be held
 * again). A policy that requeues (preempted jobs) puts them back ahead; the others
 * queue them as new arrivals. */
static void release_held(platform *p, uint32_t t)
{
	job_list *l = &p->held[t];
	long long room = p->ft.quota - p->tenant_use[t];
	while (l->len && p->jobs.j[l->head].gpus_milli <= room) {
		uint32_t i = l->head;
		FG_ASSERT(p->jobs.j[i].state == JOB_HELD && p->nheld > 0);
		jlist_remove(l, p->jobs.j, i);
		p->nheld--;
		room -= p->jobs.j[i].gpus_milli;
		p->jobs.j[i].state = JOB_WAITING;
		if ((p->pops->requeue ? p->pops->requeue : p->pops->push)(p->pself, &p->cx, i))
			p->nomem = 1;
		p->queued++;
	}
}

void quota_on_end(platform *p, const job *j)
{
	p->tenant_use[j->tenant] -= j->gpus_milli;
	FG_ASSERT(p->tenant_use[j->tenant] >= 0);
	release_held(p, j->tenant);
}
