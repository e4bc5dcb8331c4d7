/* platform_steps.h - the steps of a job's life that both the event loop (platform.c)
 * and the plugin interface (platform_api.c) take: place it, start it, take and give
 * back GPUs, and the books' share of each (waiting, billing). Static inline on purpose:
 * these run for every job, and inlined into the loop they cost no call; the plugin
 * interface gets its own copies instead of calling up into the loop's file. A feature's
 * work here is one test of its flag (pf_flags) and a call into its own file. */
#ifndef FGSIM_PLATFORM_STEPS_H
#define FGSIM_PLATFORM_STEPS_H
#include <math.h>
#include <stdlib.h>

#include "platform_internal.h"

/* ---- books: the scopes a job's figures go to, and its time in the measured interval */

/* Length of [a, b] that falls in the measured interval [warmup, horizon]. */
static inline double measured_overlap(const scenario *sc, double a, double b)
{
	double lo = a > sc->warmup ? a : sc->warmup, hi = b < sc->horizon ? b : sc->horizon;
	return hi > lo ? hi - lo : 0;
}

/* Length of [a, b] that falls in window scope w (a promotion's, or one occurrence's
 * of a repeating one), inside the measured interval. A promotion that runs once takes
 * the inline path; a repeating one's arithmetic is in promos.c. */
static inline double window_overlap(const scenario *sc, int w, double a, double b)
{
	const promo_spec *pr = &sc->promos[sc->win_promo[w]];
	if (pr->repeat > 0)
		return promos_window_overlap(sc, w, a, b);
	double lo = a > pr->start ? a : pr->start, end = pr->start + pr->duration, hi = b < end ? b : end;
	return hi > lo ? measured_overlap(sc, lo, hi) : 0;
}

/* The scopes a job's money and GPU time go to: all, its class, its pool (once placed),
 * and its tenant when that is one of the busiest; an aliased scope (single class or
 * pool) is listed once. Returns how many. */
static inline int money_scopes(const platform *p, const job *j, int placed, int out[4])
{
	int n = 0;
	out[n++] = 0;
	if (p->class_scope[j->cls])
		out[n++] = p->class_scope[j->cls];
	if (placed && p->pool_scope[j->pool])
		out[n++] = p->pool_scope[j->pool];
	if ((int)j->tenant < p->ft.ntenant_scopes)
		out[n++] = scope_of_tenant(p->sc, (int)j->tenant);
	FG_ASSERT(n <= 4);
	return n;
}

/* The scopes a job's own figures (waits, outcomes) go to: the money scopes, and the
 * promotion window it arrived in (its promotion's and, for the first occurrences of a
 * repeating one, its occurrence's). Returns how many. */
#define JOB_SCOPES_MAX 6
static inline int job_scopes(const platform *p, const job *j, int placed, int out[JOB_SCOPES_MAX])
{
	int n = money_scopes(p, j, placed, out);
	if (j->window) {
		const scenario *sc = p->sc;
		out[n++] = scope_of_window(sc, j->window - 1);
		const promo_spec *pr = &sc->promos[sc->win_promo[j->window - 1]];
		if (pr->occ_scopes) { /* j->window is the pooled scope; its occurrences follow */
			int k = promos_occurrence(pr, j->arrival);
			if (k >= 0 && k < pr->occ_scopes)
				out[n++] = scope_of_window(sc, j->window + k);
		}
	}
	return n;
}

/* A job left the queue at `until` (it started or abandoned, or the run ended): its
 * waiting time inside the measured interval adds to the queue-length integral (summed
 * job by job: the same number as integrating the queue length, without an update at
 * every change of it). */
static inline __attribute__((always_inline)) void leave_queue(platform *p, const job *j, double until)
{
	if (p->ft.track_work)
		p->queued_work[j->cls] -= j->gpus_milli * j->estimate;
	FG_ASSERT(p->queued_k[j->cls] > 0);
	p->queued_k[j->cls]--;
	double secs = measured_overlap(p->sc, j->queued_since, until);
	if (secs <= 0)
		return;
	if (!p->ft.more_scopes) {
		p->acc[0].queue_seconds += secs;
		return;
	}
	int ids[4], n = money_scopes(p, j, 0, ids);
	for (int i = 0; i < n; i++)
		p->acc[ids[i]].queue_seconds += secs;
	for (int w = 0; w < p->sc->nwindows; w++)
		p->acc[scope_of_window(p->sc, w)].queue_seconds += window_overlap(p->sc, w, j->queued_since, until);
}

static inline void scope_bill(scope_acc *a, double money, double gpu_seconds)
{
	a->revenue += money;
	a->gpu_seconds += gpu_seconds;
	a->billed_gpu_seconds += gpu_seconds;
}

/* Bills a job for its running time inside the measured interval up to `until`, once
 * per run (at its end, or when the books close), never per time step: the busy-GPU
 * integral is the sum of these GPU-seconds, the same number as integrating the busy
 * count at every change, without an update at every change. */
static inline __attribute__((always_inline)) void bill(platform *p, const job *j, double until)
{
	double secs = measured_overlap(p->sc, j->start, until), gpus = j->gpus_milli * (1.0 / SC_MILLI);
	if (secs <= 0)
		return;
	if (!p->ft.more_scopes) {
		scope_bill(&p->acc[0], j->bill_rate * secs, secs * gpus);
		return;
	}
	int ids[4], n = money_scopes(p, j, 1, ids);
	for (int i = 0; i < n; i++)
		scope_bill(&p->acc[ids[i]], j->bill_rate * secs, secs * gpus);
	/* A window's money and GPU time are what was earned and used during it. */
	for (int w = 0; w < p->sc->nwindows; w++) {
		double in = window_overlap(p->sc, w, j->start, until);
		scope_bill(&p->acc[scope_of_window(p->sc, w)], j->bill_rate * in, in * gpus);
	}
}

/* A run ends (done or killed): billed up to now, with any minimum-billing top-up. */
static inline __attribute__((always_inline)) void bill_end(platform *p, const job *j)
{
	bill(p, j, p->now);
	/* no per-pool lookup of a minimum unless some pool bills one (pf_features) */
	if (p->ft.min_billing)
		books_bill_minimum(p, j);
}

static inline void scope_wait(scope_acc *a, double wait)
{
	stat_sum_add(&a->wait, wait);
	hist_add(a->waits, wait);
	a->waited += wait > 0;
}

static inline void scope_done(scope_acc *a, const job *j, double response)
{
	a->done++;
	stat_sum_add(&a->response, response);
	if (j->service > 0)
		stat_sum_add(&a->slowdown, response / j->service);
}

/* A counted job finished: its response time and slowdown. */
static inline __attribute__((always_inline)) void books_done(platform *p, const job *j)
{
	double response = p->now - j->arrival;
	if (!p->ft.more_scopes) {
		scope_done(&p->acc[0], j, response);
		return;
	}
	int s[JOB_SCOPES_MAX], n = job_scopes(p, j, 1, s);
	for (int k = 0; k < n; k++)
		scope_done(&p->acc[s[k]], j, response);
}

/* ---- GPUs: a job takes them at its start and gives them back at its end ---------- */

/* Would job j take its tenant beyond the quota (ft.quota set)? */
static inline int over_quota(const platform *p, const job *j)
{
	return p->tenant_use[j->tenant] + j->gpus_milli > p->ft.quota;
}

/* ---- CPU and memory (pf_flags.multi): out of line, so that the GPU-only path the
 * loop inlines stays as small as it was (measured: callgrind, 0.5% fewer instructions per job than inlined) */

static __attribute__((noinline, unused)) void res_move(platform *p, job *j, const slot *s, int take)
{
	cl_need need = {(int)j->cpu_milli, (int)j->memory_mib, j->pools};
	if (take)
		cluster_take_need(&p->cl, s, j->gpus_milli, &need, j->gang);
	else
		cluster_give_need(&p->cl, s, j->gpus_milli, &need, j->gang);
	if (p->gsf) { /* the nodes whose fragmentation may have changed */
		if (s->node >= 0)
			gsp_frag_touch(p->gsf, s->pool, s->node);
		int nodes = s->node < 0 ? cluster_gang_nodes(&p->cl, s->pool, j->gpus_milli) : 0;
		for (int k = 0; k < nodes; k++)
			gsp_frag_touch(p->gsf, s->pool, j->gang[k]);
	}
}

/* place() with CPU and memory, or a placement plugin (which sees GPUs alone: its slot
 * without the CPU or memory makes the job wait). */
static __attribute__((noinline, unused)) int place_slow(platform *p, uint32_t i, int k, int milli, slot *s)
{
	const job *j = &p->jobs.j[i];
	cl_need need = {(int)j->cpu_milli, (int)j->memory_mib, j->pools};
	if (!p->placer)
		return cluster_place_need(&p->cl, k, milli, &need, s);
	int rc = pf_place_plugin(p, i, s);
	if (!rc && p->ft.multi && !cluster_need_fits(&p->cl, s, &need))
		return -1;
	return rc;
}

/* Job j takes its GPUs at s, and the counters follow. Returns 0, or -1 when a gang's
 * node list cannot be allocated (nothing taken then). */
static inline int take_gpus(platform *p, job *j, const slot *s)
{
	int nodes = s->node < 0 ? cluster_gang_nodes(&p->cl, s->pool, j->gpus_milli) : 0;
	if (nodes && !(j->gang = malloc((size_t)nodes * sizeof *j->gang))) /* gangs are rare: no pool */
		return -1;
	if (__builtin_expect(p->ft.multi, 0))
		res_move(p, j, s, 1);
	else
		cluster_take(&p->cl, s, j->gpus_milli, j->gang);
	/* only whole GPUs on one node are evicted: gangs and fractions never */
	if (p->ft.preempts && s->node >= 0 && s->gpu < 0)
		jlist_push(&p->evictable[j->cls], p->jobs.j, (uint32_t)(j - p->jobs.j));
	p->busy_milli += j->gpus_milli;
	p->running++;
	if (p->ft.quota)
		p->tenant_use[j->tenant] += j->gpus_milli;
	return 0;
}

static inline void give_gpus(platform *p, job *j)
{
	slot s = {j->pool, j->node, j->gpu};
	FG_ASSERT(j->state == JOB_RUNNING && p->running > 0 && p->busy_milli >= j->gpus_milli);
	if (__builtin_expect(p->ft.watch != NULL, 0)) /* an end never fails */
		p->ft.watch(p->pself, &p->cx, (uint32_t)(j - p->jobs.j), 0);
	if (__builtin_expect(p->ft.multi, 0))
		res_move(p, j, &s, 0);
	else
		cluster_give(&p->cl, &s, j->gpus_milli, j->gang);
	if (p->ft.preempts && j->node >= 0 && j->gpu < 0)
		jlist_remove(&p->evictable[j->cls], p->jobs.j, (uint32_t)(j - p->jobs.j));
	if (p->ft.extras) { /* one test when the scenario uses neither */
		if (p->ft.nburst)
			burst_on_end(p, j);
		if (p->ft.quota)
			quota_on_end(p, j);
	}
	if (j->gang) { /* rare: skip the call to free() for everyone else */
		free(j->gang);
		j->gang = NULL;
	}
	p->busy_milli -= j->gpus_milli;
	p->running--;
}

/* ---- starting a job -------------------------------------------------------------- */

/* start_run's end under pf_flags.end_odd: with checkpoints the run takes its pauses and
 * reloading beside its work; under kill_at_estimate one that will not finish by its
 * estimate (what its user asked for, under estimate = "history") is killed there.
 * Returns cal_push's status. */
static __attribute__((noinline, unused)) int push_odd_end(platform *p, uint32_t i, const job *j)
{
	double run = p->ft.faults ? faults_run_wall(p, j) : j->left;
	unsigned gen = (j->gen & GEN_MASK) << EV_KIND_BITS;
	if (p->ft.kill_at_estimate) { /* it will not finish by its estimate */
		const class_spec *c = &p->sc->classes[j->cls];
		double asked = c->estimate_history ? history_asked(p, j) : j->estimate;
		if (asked < run)
			return cal_push(&p->cal, p->now + asked, EV_KILL | gen, i);
	}
	return cal_push(&p->cal, p->now + run, EV_DEPART | gen, i);
}

/* Job i starts at s; take: it takes its GPUs there (0: they were handed to it). */
static inline __attribute__((always_inline)) int start_run(platform *p, uint32_t i, const slot *s, int take)
{
	job *j = &p->jobs.j[i];
	const scenario *sc = p->sc;
	const class_spec *c = &sc->classes[j->cls];
	if (c->has_steps && (j->runs == 0 || j->pool != s->pool)) {
		/* A profile job's time on this pool's GPU type, from the steps and jitter drawn
		 * at its arrival; one preempted on another pool keeps the share of its work it
		 * had left (j->service is its time on the pool it last ran on). */
		double t = service_job_time(&c->svc, c->pool_gpu[s->pool], (double)j->gpus_milli / SC_MILLI, j->steps, j->z);
		j->left = j->runs == 0 || !(j->service > 0) ? t : j->left * (t / j->service);
		j->service = t;
	}
	j->state = JOB_RUNNING;
	j->start = p->now;
	j->pool = (uint8_t)s->pool;
	j->node = s->node;
	j->gpu = (int8_t)s->gpu;
	if (take && take_gpus(p, j, s))
		return -1;
	if (__builtin_expect(p->ft.watch != NULL, 0) && p->ft.watch(p->pself, &p->cx, i, 1))
		return -1;
	/* the rate is fixed at the start: a promotion's price applies to runs that start
	 * in it, and billing needs no price lookup later */
	j->bill_rate = j->gpus_milli * p->price_per_milli_second[s->pool] *
		       (sc->npromos ? arrivals_price_factor(sc, p->now, j->cls) : 1);
	int first = j->runs++ == 0; /* a preempted job starts again: its wait ended at the first */
	if (first)
		j->first_start = p->now;
	if (first && j->counted) {
		double wait = p->now - j->arrival;
		if (!p->ft.more_scopes) {
			scope_wait(&p->acc[0], wait);
		} else {
			int ids[JOB_SCOPES_MAX], n = job_scopes(p, j, 1, ids);
			for (int k = 0; k < n; k++)
				scope_wait(&p->acc[ids[k]], wait);
		}
	}
	/* Each start bumps the slot's generation and tags its departure with it: a preempted
	 * run's departure is stale even after the job finished sooner on a faster pool and
	 * its slot went to another job. */
	j->gen++;
	if (__builtin_expect(p->ft.end_odd, 0))
		return push_odd_end(p, i, j);
	return cal_push(&p->cal, p->now + j->left,
			EV_DEPART | (j->gen & GEN_MASK) << EV_KIND_BITS, i);
}

/* Where job i (class k, milli thousandths of a GPU) runs now by the scenario's
 * placement: 0 with *s set, -1 if it does not fit (or a placement plugin broke a
 * rule: p->failed). */
static inline int place(platform *p, uint32_t i, int k, int milli, slot *s)
{
	if (__builtin_expect(p->ft.place_slow, 0))
		return place_slow(p, i, k, milli, s);
	return cluster_place(&p->cl, k, milli, s);
}

/* Waiting job i leaves the queue and starts at s (take: see start_run). */
static inline __attribute__((always_inline)) int begin(platform *p, uint32_t i, const slot *s, int take)
{
	FG_ASSERT(p->jobs.j[i].state == JOB_WAITING && p->queued > 0);
	p->pops->remove(p->pself, &p->cx, i, 1);
	p->queued--;
	leave_queue(p, &p->jobs.j[i], p->now);
	return start_run(p, i, s, take);
}
/* A job whose run was stopped (preempted, its node failed or reclaimed) waits again:
 * its work rejoins the queue's, and the policy takes it back (requeue keeps its place
 * where the policy has one; a policy that never preempts has none, and the job joins
 * its queue anew). */
static inline int back_to_queue(platform *p, job *j, int i)
{
	j->state = JOB_WAITING;
	j->queued_since = p->now;
	if (p->ft.track_work)
		p->queued_work[j->cls] += j->gpus_milli * j->estimate;
	p->queued++;
	p->queued_k[j->cls]++;
	return p->pops->requeue ? p->pops->requeue(p->pself, &p->cx, i)
				: p->pops->push(p->pself, &p->cx, i);
}

#endif
