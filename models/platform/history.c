/* history.c - runtime estimates learned from history (estimate = "history"): a job's
 * estimate is the mean run time of its tenant's last two finished jobs of the same
 * class, the system-generated prediction Tsafrir, Etsion and Feitelson (2007) found
 * better than users' own for backfilling. Until a tenant has two, the class's
 * estimate_fallback factor holds. Memory: two numbers per (tenant, class). */
#include <stdlib.h>
#include <string.h>

#include "checkpoint.h"
#include "platform_internal.h"

int history_init(platform *p)
{
	const scenario *sc = p->sc;
	int learns = 0;
	for (int k = 0; k < sc->nclasses; k++)
		learns |= sc->classes[k].estimate_history;
	if (!learns)
		return 0;
	size_t n = (size_t)sc->ntenants * (size_t)sc->nclasses;
	p->est_last = calloc(n, sizeof *p->est_last);
	p->est_n = calloc(n, sizeof *p->est_n);
	return p->est_last && p->est_n ? 0 : -1;
}

void history_reset(platform *p)
{
	if (p->est_n) /* every replication learns from nothing, so none depends on another */
		memset(p->est_n, 0, (size_t)p->sc->ntenants * (size_t)p->sc->nclasses);
}

/* The time a failure-free run of `work` takes, class k's checkpoint pauses included. */
static double run_time(const platform *p, int k, double work)
{
	const class_spec *c = &p->sc->classes[k];
	ckpt_plan pl = {c->ckpt_every, c->ckpt_cost, c->ckpt_restart};
	return ckpt_wall(&pl, work, 0);
}

void history_estimate(const platform *p, job *j)
{
	size_t i = (size_t)j->tenant * (size_t)p->sc->nclasses + j->cls;
	FG_ASSERT(p->est_n && j->tenant < (uint32_t)p->sc->ntenants);
	/* Tsafrir et al. kill at the user's estimate and schedule by the prediction: killed
	 * at a prediction, the jobs longer than it would never finish to teach a longer one,
	 * and the predictions (and the jobs that finish) would shrink run after run */
	j->asked = j->service > 0 ? (float)(j->estimate / j->service) : 1;
	if (p->est_n[i] == 2)
		j->estimate = 0.5 * (p->est_last[i][0] + p->est_last[i][1]);
	else
		j->estimate = run_time(p, j->cls, j->estimate);
}

double history_asked(const platform *p, const job *j)
{
	return run_time(p, j->cls, j->service * j->asked);
}

void history_note(platform *p, const job *j)
{
	if (!p->sc->classes[j->cls].estimate_history)
		return;
	size_t i = (size_t)j->tenant * (size_t)p->sc->nclasses + j->cls;
	/* [0] the older, [1] the newer: the older falls out */
	p->est_last[i][0] = p->est_last[i][1];
	/* the run's time without failures, checkpoint pauses included, as its estimate is */
	p->est_last[i][1] = run_time(p, j->cls, j->service);
	if (p->est_n[i] < 2)
		p->est_n[i]++;
}
