/* platform.c - the event loop of one replication and the statistics it keeps. Every
 * draw that belongs to a job (arrival, class, service, patience) happens at its
 * arrival, from streams of its own, so all policies see identical jobs. */
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "platform_internal.h"
#include "rng.h"

const char platform_jobs_header[] =
	"policy,replication,job,class,tenant,arrival,start,end,pool,node,gpus,service,estimate,outcome\n";
const char platform_timeseries_header[] =
	"policy,replication,t,queued,running,busy_gpus,utilization,arrivals_per_h,price_factor\n";

/* Walker's alias table (gsl_ran_discrete) over tenants 1..N with weights i^-s. */
static gsl_ran_discrete_t *zipf_table(const class_spec *c)
{
	double *w = malloc((size_t)c->ntenants * sizeof *w);
	if (!w)
		return NULL;
	for (int i = 0; i < c->ntenants; i++)
		w[i] = pow(i + 1, -c->zipf_s);
	gsl_ran_discrete_t *t = gsl_ran_discrete_preproc((size_t)c->ntenants, w);
	free(w);
	return t;
}

platform *platform_new(const scenario *sc)
{
	platform *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->sc = sc;
	p->ntenant_scopes = tenant_scopes(sc);
	for (int q = 0; q < sc->npools; q++)
		p->price_per_milli_second[q] = sc->pools[q].price_per_gpu_hour / 3600 / SC_MILLI;
	int ok = !cal_init(&p->cal, 1024) & !jobs_init(&p->jobs, 1024) & !cluster_init(&p->cl, sc) &
		 !arrivals_init(&p->arr, sc, 0);
	for (int k = 0; k < sc->nclasses; k++) {
		ok &= (p->service[k] = gsl_rng_alloc(RNG_TYPE)) != NULL;
		ok &= (p->patience[k] = gsl_rng_alloc(RNG_TYPE)) != NULL;
		ok &= (p->estimate[k] = gsl_rng_alloc(RNG_TYPE)) != NULL;
		ok &= (p->tenant[k] = gsl_rng_alloc(RNG_TYPE)) != NULL;
		if (sc->classes[k].ntenants > 1)
			ok &= (p->tenant_mix[k] = zipf_table(&sc->classes[k])) != NULL;
		p->class_scope[k] = sc->nclasses > 1 ? scope_of_class(sc, k) : 0;
	}
	for (int q = 0; q < sc->npools; q++)
		p->pool_scope[q] = sc->npools > 1 ? scope_of_pool(sc, q) : 0;
	for (int k = 0; k < sc->nclasses; k++) {
		ok &= (p->balk[k] = gsl_rng_alloc(RNG_TYPE)) != NULL;
		for (int i = 0; i < sc->classes[k].npools; i++)
			p->pool_mask[sc->classes[k].pools[i]] |= 1u << k;
	}
	for (int k = 0; k < sc->nclasses; k++)
		for (int i = 0; i < sc->classes[k].npools; i++)
			p->share_mask[k] |= p->pool_mask[sc->classes[k].pools[i]];
	p->track_work = sc->has_burst || sc->has_balking;
	for (int q = 0; q < sc->npools; q++)
		p->nburst += sc->pools[q].burst_max;
	if (p->nburst)
		ok &= (p->burst = calloc((size_t)p->nburst, sizeof *p->burst)) != NULL;
	p->quota = sc->quota_milli;
	p->extras = p->quota || p->nburst || p->track_work;
	for (int q = 0; q < sc->npools; q++)
		p->min_billing |= sc->pools[q].minimum_billing > 0;
	/* Jobs of exactly one GPU fit wherever a GPU is free, so a queue's head waits only
	 * when its pools are full: no fragmentation to watch for, event after event. */
	p->frag_on = sc->trace;
	for (int k = 0; k < sc->nclasses; k++)
		p->frag_on |= sc->classes[k].gpus_milli != SC_MILLI;
	if (p->quota) {
		ok &= (p->tenant_use = calloc((size_t)sc->ntenants, sizeof *p->tenant_use)) != NULL;
		ok &= (p->held = calloc((size_t)sc->ntenants, sizeof *p->held)) != NULL;
	}
	for (int s = 0; s < scope_count(sc); s++)
		ok &= (p->acc[s].waits = malloc(sizeof(hist))) != NULL;
	p->more_scopes = sc->nclasses > 1 || sc->npools > 1 || sc->npromos > 0 || p->ntenant_scopes > 0;
	int nodes = 0;
	for (int q = 0; q < sc->npools; q++) {
		p->node_base[q] = nodes;
		nodes += sc->pools[q].nodes + sc->pools[q].burst_max;
	}
	ok &= (p->freeable = calloc((size_t)nodes, sizeof *p->freeable)) != NULL;
	ok &= (p->policy_rng = gsl_rng_alloc(RNG_TYPE)) != NULL;
	p->cx = (fgp_ctx){sc, NULL, &p->jobs, p, NULL, &p->cl};
	p->place_cx = (fgp_ctx){sc, NULL, &p->jobs, p, NULL, &p->cl};
	if (!ok) {
		platform_free(p);
		return NULL;
	}
	return p;
}

/* Gang node lists still held by jobs a run left behind (running at the horizon). */
static void drop_gangs(platform *p)
{
	for (uint32_t i = 0; p->jobs.j && i < p->jobs.cap; i++)
		if (p->jobs.j[i].state == JOB_RUNNING) {
			free(p->jobs.j[i].gang);
			p->jobs.j[i].gang = NULL;
		}
}

void platform_free(platform *p)
{
	if (!p)
		return;
	cal_destroy(&p->cal);
	drop_gangs(p);
	jobs_destroy(&p->jobs);
	pf_plugins_free(p);
	gsl_rng_free(p->policy_rng);
	cluster_destroy(&p->cl);
	arrivals_destroy(&p->arr);
	for (int k = 0; k < SC_MAX_CLASSES; k++) {
		gsl_rng_free(p->service[k]);
		gsl_rng_free(p->patience[k]);
		gsl_rng_free(p->estimate[k]);
		gsl_rng_free(p->tenant[k]);
		gsl_rng_free(p->balk[k]);
		if (p->tenant_mix[k])
			gsl_ran_discrete_free(p->tenant_mix[k]);
	}
	for (int s = 0; s < MAX_SCOPES; s++)
		free(p->acc[s].waits);
	free(p->victims);
	free(p->freeable);
	free(p->burst);
	free(p->tenant_use);
	free(p->held);
	free(p);
}

static int reset(platform *p, int pi, int rep)
{
	const scenario *sc = p->sc;
	drop_gangs(p);
	cal_clear(&p->cal);
	jobs_clear(&p->jobs);
	cluster_reset(&p->cl, sc);
	if (pf_plugins_reset(p, pi, rep))
		return -1;
	for (int k = 0; k < sc->nclasses; k++)
		jlist_init(&p->evictable[k]);
	if (arrivals_reset(&p->arr, rep)) { /* the trace: the run stops with its message */
		snprintf(p->err, sizeof p->err, "%s", p->arr.err);
		return -1;
	}
	rng_reseed(p->policy_rng, sc->seed, (uint32_t)rep, STREAM_POLICY);
	for (int k = 0; k < sc->nclasses; k++) {
		rng_reseed(p->service[k], sc->seed, (uint32_t)rep, STREAM_OF_CLASS(k, STREAM_SERVICE));
		rng_reseed(p->patience[k], sc->seed, (uint32_t)rep, STREAM_OF_CLASS(k, STREAM_PATIENCE));
		rng_reseed(p->estimate[k], sc->seed, (uint32_t)rep, STREAM_OF_CLASS(k, STREAM_ESTIMATE));
		rng_reseed(p->tenant[k], sc->seed, (uint32_t)rep, STREAM_OF_CLASS(k, STREAM_TENANT));
		if (sc->classes[k].has_balking)
			rng_reseed(p->balk[k], sc->seed, (uint32_t)rep, STREAM_OF_CLASS(k, STREAM_BALK));
		p->queued_work[k] = 0;
	}
	for (int q = 0, b = 0; q < sc->npools; q++) {
		p->booting[q] = 0;
		for (int n = 0; n < sc->pools[q].burst_max; n++, b++)
			p->burst[b] = (burst_node){0, 0, 0, q, sc->pools[q].nodes + n, BURST_OFF};
	}
	if (p->quota) {
		memset(p->tenant_use, 0, (size_t)sc->ntenants * sizeof *p->tenant_use);
		for (int t = 0; t < sc->ntenants; t++)
			jlist_init(&p->held[t]);
	}
	p->nheld = 0;
	p->nomem = 0;
	p->frag_now = p->frag_t = 0;
	p->powered_milli = 0;
	for (int q = 0; q < sc->npools; q++)
		p->powered_milli += p->cl.pools[q].cap_milli;
	for (int s = 0; s < scope_count(sc); s++) {
		hist *h = p->acc[s].waits;
		memset(&p->acc[s], 0, sizeof p->acc[s]);
		p->acc[s].waits = h;
		hist_clear(h);
	}
	p->now = 0;
	p->next_id = p->events = p->arrivals_in_step = 0;
	p->running = p->busy_milli = 0;
	p->policy = pi;
	p->rep = rep;
	return 0;
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
	if ((int)j->tenant < p->ntenant_scopes)
		out[n++] = scope_of_tenant(p->sc, (int)j->tenant);
	return n;
}

/* The scopes a job's own figures (waits, outcomes) go to: the money scopes, and the
 * promotion window it arrived in. Returns how many. */
static inline int job_scopes(const platform *p, const job *j, int placed, int out[5])
{
	int n = money_scopes(p, j, placed, out);
	if (j->window)
		out[n++] = scope_of_window(p->sc, j->window - 1);
	return n;
}

/* Burst node b (an index into p->burst) fell idle now: it stops after the cooldown
 * unless a job takes it first (the timer carries the generation it was set for). */
static void burst_idle(platform *p, int b)
{
	burst_node *bn = &p->burst[b];
	bn->gen++;
	if (cal_push(&p->cal, p->now + p->sc->pools[bn->pool].burst_cooldown,
		     EV_BURST_IDLE | (bn->gen & GEN_MASK) << EV_KIND_BITS, (uint32_t)b))
		p->nomem = 1;
}

/* Job j gave back its GPUs: any burst node it leaves idle starts its cooldown. */
static void burst_freed(platform *p, const job *j)
{
	const pool_state *ps = &p->cl.pools[j->pool];
	int one = j->node, n = j->gang ? cluster_gang_nodes(&p->cl, j->pool, j->gpus_milli) : 1;
	const int *nodes = j->gang ? j->gang : &one;
	for (int i = 0; i < n; i++)
		if (nodes[i] >= ps->base_nodes && cluster_node_idle(&p->cl, j->pool, nodes[i])) {
			int b = 0; /* burst nodes are numbered pool by pool */
			for (int q = 0; q < j->pool; q++)
				b += p->sc->pools[q].burst_max;
			burst_idle(p, b + nodes[i] - ps->base_nodes);
		}
}

/* Tenant t's usage dropped: its held jobs go back to the policy, in the order they
 * were held, as many as its quota now leaves room for (the rest would only be held
 * again). A policy that requeues (preempted jobs) puts them back ahead; the others
 * queue them as new arrivals. */
static void release_held(platform *p, uint32_t t)
{
	job_list *l = &p->held[t];
	long long room = p->quota - p->tenant_use[t];
	while (l->len && p->jobs.j[l->head].gpus_milli <= room) {
		uint32_t i = l->head;
		jlist_remove(l, p->jobs.j, i);
		p->nheld--;
		room -= p->jobs.j[i].gpus_milli;
		p->jobs.j[i].state = JOB_WAITING;
		if ((p->pops->requeue ? p->pops->requeue : p->pops->push)(p->pself, &p->cx, i))
			p->nomem = 1;
		p->queued++;
	}
}

/* Would job j take its tenant beyond the quota? */
static inline int over_quota(const platform *p, const job *j)
{
	return p->tenant_use[j->tenant] + j->gpus_milli > p->quota;
}

/* Waiting job h would take its tenant beyond the quota: it leaves the policy's queue
 * (as if it abandoned) and is held, so it blocks nobody behind it. */
void pf_hold_over_quota(platform *p, uint32_t h)
{
	job *j = &p->jobs.j[h];
	p->pops->remove(p->pself, &p->cx, h, 0);
	p->queued--;
	j->state = JOB_HELD;
	jlist_push(&p->held[j->tenant], p->jobs.j, h);
	p->nheld++;
}

/* Job j takes its GPUs (at start) or gives them back (at its end). */
static int take_gpus(platform *p, job *j, const slot *s)
{
	int nodes = s->node < 0 ? cluster_gang_nodes(&p->cl, s->pool, j->gpus_milli) : 0;
	if (nodes && !(j->gang = malloc((size_t)nodes * sizeof *j->gang))) /* gangs are rare: no pool */
		return -1;
	cluster_take(&p->cl, s, j->gpus_milli, j->gang);
	if (p->preempts && s->node >= 0 && s->gpu < 0)
		jlist_push(&p->evictable[j->cls], p->jobs.j, (uint32_t)(j - p->jobs.j));
	p->busy_milli += j->gpus_milli;
	p->running++;
	if (p->quota)
		p->tenant_use[j->tenant] += j->gpus_milli;
	return 0;
}

static void give_gpus(platform *p, job *j)
{
	slot s = {j->pool, j->node, j->gpu};
	if (__builtin_expect(p->watch != NULL, 0)) /* an end never fails */
		p->watch(p->pself, &p->cx, (uint32_t)(j - p->jobs.j), 0);
	cluster_give(&p->cl, &s, j->gpus_milli, j->gang);
	if (p->preempts && j->node >= 0 && j->gpu < 0)
		jlist_remove(&p->evictable[j->cls], p->jobs.j, (uint32_t)(j - p->jobs.j));
	if (p->extras) { /* one test when the scenario uses neither */
		if (p->nburst)
			burst_freed(p, j);
		if (p->quota) {
			p->tenant_use[j->tenant] -= j->gpus_milli;
			release_held(p, j->tenant);
		}
	}
	if (j->gang) { /* rare: skip the call to free() for everyone else */
		free(j->gang);
		j->gang = NULL;
	}
	p->busy_milli -= j->gpus_milli;
	p->running--;
}

/* Length of [a, b] that falls in the measured interval [warmup, horizon]. */
static double measured_overlap(const scenario *sc, double a, double b)
{
	double lo = a > sc->warmup ? a : sc->warmup, hi = b < sc->horizon ? b : sc->horizon;
	return hi > lo ? hi - lo : 0;
}

/* Length of [a, b] that falls in promotion w's window, inside the measured interval. */
static double window_overlap(const scenario *sc, int w, double a, double b)
{
	const promo_spec *pr = &sc->promos[w];
	double lo = a > pr->start ? a : pr->start, end = pr->start + pr->duration, hi = b < end ? b : end;
	return hi > lo ? measured_overlap(sc, lo, hi) : 0;
}

/* A job left the queue at `until` (it started or abandoned, or the run ended): its
 * waiting time inside the measured interval adds to the queue-length integral. */
static inline __attribute__((always_inline)) void leave_queue(platform *p, const job *j, double until)
{
	if (p->track_work)
		p->queued_work[j->cls] -= j->gpus_milli * j->estimate;
	double secs = measured_overlap(p->sc, j->queued_since, until);
	if (secs <= 0)
		return;
	if (!p->more_scopes) {
		p->acc[0].queue_seconds += secs;
		return;
	}
	int ids[4], n = money_scopes(p, j, 0, ids);
	for (int i = 0; i < n; i++)
		p->acc[ids[i]].queue_seconds += secs;
	for (int w = 0; w < p->sc->npromos; w++)
		p->acc[scope_of_window(p->sc, w)].queue_seconds += window_overlap(p->sc, w, j->queued_since, until);
}

/* Bills a job for its running time inside the measured interval up to `until`. */
static inline void scope_bill(scope_acc *a, double money, double gpu_seconds)
{
	a->revenue += money;
	a->gpu_seconds += gpu_seconds;
	a->billed_gpu_seconds += gpu_seconds;
}

static inline __attribute__((always_inline)) void bill(platform *p, const job *j, double until)
{
	double secs = measured_overlap(p->sc, j->start, until), gpus = j->gpus_milli * (1.0 / SC_MILLI);
	if (secs <= 0)
		return;
	if (!p->more_scopes) {
		scope_bill(&p->acc[0], j->bill_rate * secs, secs * gpus);
		return;
	}
	int ids[4], n = money_scopes(p, j, 1, ids);
	for (int i = 0; i < n; i++)
		scope_bill(&p->acc[ids[i]], j->bill_rate * secs, secs * gpus);
	/* A window's money and GPU time are what was earned and used during it. */
	for (int w = 0; w < p->sc->npromos; w++) {
		double in = window_overlap(p->sc, w, j->start, until);
		scope_bill(&p->acc[scope_of_window(p->sc, w)], j->bill_rate * in, in * gpus);
	}
}

/* A job that ends before its pool's minimum billing pays for the rest at its end. */
static inline __attribute__((always_inline)) void bill_minimum(platform *p, const job *j)
{
	if (!p->min_billing)
		return;
	double top_up = p->sc->pools[j->pool].minimum_billing - (p->now - j->start);
	if (top_up <= 0 || p->now < p->sc->warmup)
		return;
	double gpus = (double)j->gpus_milli / SC_MILLI;
	int ids[5], n = money_scopes(p, j, 1, ids);
	for (int w = 0; w < p->sc->npromos; w++) /* the window it ends in, if any */
		if (p->now >= p->sc->promos[w].start && p->now < p->sc->promos[w].start + p->sc->promos[w].duration)
			ids[n++] = scope_of_window(p->sc, w);
	for (int i = 0; i < n; i++) {
		p->acc[ids[i]].revenue += j->bill_rate * top_up;
		p->acc[ids[i]].billed_gpu_seconds += top_up * gpus;
	}
}

static void write_job(platform *p, uint32_t i, double end, const char *outcome)
{
	const job *j = &p->jobs.j[i];
	const scenario *sc = p->sc;
	int placed = j->state == JOB_RUNNING;
	char tenant[SC_NAME_MAX + 8];
	fprintf(p->sinks->jobs, "%s,%d,%llu,%s,%s,%.10g,", sc->policies[p->policy].label, p->rep,
		(unsigned long long)j->id, sc->classes[j->cls].name, scenario_tenant_name(sc, j->tenant, tenant, sizeof tenant),
		j->arrival);
	if (placed) { /* node: "3", a fraction on GPU 1 of node 3: "3:1", a gang: "0+1+2" */
		fprintf(p->sinks->jobs, "%.10g,%.10g,%s,", j->first_start, end, sc->pools[j->pool].name);
		if (j->gang)
			for (int g = 0, n = cluster_gang_nodes(&p->cl, j->pool, j->gpus_milli); g < n; g++)
				fprintf(p->sinks->jobs, "%s%d", g ? "+" : "", j->gang[g]);
		else if (j->gpu >= 0)
			fprintf(p->sinks->jobs, "%d:%d", j->node, j->gpu);
		else
			fprintf(p->sinks->jobs, "%d", j->node);
		fputc(',', p->sinks->jobs);
	} else
		fprintf(p->sinks->jobs, ",%.10g,,,", end);
	fprintf(p->sinks->jobs, "%.10g,%.10g,%.10g,%s\n", (double)j->gpus_milli / SC_MILLI, j->service, j->estimate, outcome);
}

static inline void scope_wait(scope_acc *a, double wait)
{
	stat_sum_add(&a->wait, wait);
	hist_add(a->waits, wait);
	a->waited += wait > 0;
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
	if (__builtin_expect(p->watch != NULL, 0) && p->watch(p->pself, &p->cx, i, 1))
		return -1;
	j->bill_rate = j->gpus_milli * p->price_per_milli_second[s->pool] *
		       (sc->npromos ? arrivals_price_factor(sc, p->now, j->cls) : 1);
	int first = j->runs++ == 0; /* a preempted job starts again: its wait ended at the first */
	if (first)
		j->first_start = p->now;
	if (first && j->counted) {
		double wait = p->now - j->arrival;
		if (!p->more_scopes) {
			scope_wait(&p->acc[0], wait);
		} else {
			int ids[5], n = job_scopes(p, j, 1, ids);
			for (int k = 0; k < n; k++)
				scope_wait(&p->acc[ids[k]], wait);
		}
	}
	/* Each start bumps the slot's generation and tags its departure with it: a preempted
	 * run's departure is stale even after the job finished sooner on a faster pool and
	 * its slot went to another job. */
	j->gen++;
	if (__builtin_expect(p->kill_at_estimate, 0) && j->estimate < j->left) /* it will not finish */
		return cal_push(&p->cal, p->now + j->estimate, EV_KILL | (j->gen & GEN_MASK) << EV_KIND_BITS, i);
	return cal_push(&p->cal, p->now + j->left, EV_DEPART | (j->gen & GEN_MASK) << EV_KIND_BITS, i);
}

static inline __attribute__((always_inline)) int start_job(platform *p, uint32_t i, const slot *s)
{
	return start_run(p, i, s, 1);
}

/* Evicts running job v for a job of higher priority: it is billed for the time it ran
 * and goes back to the queue, to resume where it stopped or, with restart, to start
 * over (the work it did is then lost). */
int pf_preempt(platform *p, uint32_t v)
{
	job *j = &p->jobs.j[v];
	const scenario *sc = p->sc;
	bill(p, j, p->now);
	give_gpus(p, j);
	double ran = p->now - j->start;
	j->left = sc->policies[p->policy].restart ? j->service : j->left - ran;
	if (j->counted) {
		int ids[5], n = job_scopes(p, j, 1, ids);
		for (int k = 0; k < n; k++) {
			p->acc[ids[k]].preemptions++;
			if (sc->policies[p->policy].restart)
				p->acc[ids[k]].lost_gpu_seconds += measured_overlap(sc, j->start, p->now) * j->gpus_milli / SC_MILLI;
		}
	}
	j->state = JOB_WAITING;
	j->queued_since = p->now;
	if (p->track_work)
		p->queued_work[j->cls] += j->gpus_milli * j->estimate;
	p->queued++;
	return p->pops->requeue(p->pself, &p->cx, v);
}

/* Head job h does not fit: find the first node (pools in its class's order, then node
 * order) where evicting running whole-GPU jobs of lower priority makes room, and
 * evict there, lowest priority and latest start first, no more than needed. Gangs
 * neither preempt nor are preempted, nor are fractions. Returns 1 if it evicted, 0 if
 * no node can make room, -1 on no memory. */
static int make_room(platform *p, uint32_t h)
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
			if (rank[j->pool] < 0)
				continue;
			if (p->nvictims == p->victims_cap) {
				uint32_t cap = p->victims_cap ? 2 * p->victims_cap : 64;
				uint32_t *grown = realloc(p->victims, cap * sizeof *grown);
				if (!grown)
					return -1;
				p->victims = grown;
				p->victims_cap = cap;
			}
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
		if (best == JOB_NONE) /* cannot happen: the node's victims were counted above */
			return 0;
		if (pf_preempt(p, best))
			return -1;
	}
	return 1;
}

/* Where job i (class k, milli thousandths of a GPU) runs now by the scenario's
 * placement: 0 with *s set, -1 if it does not fit (or a placement plugin broke a
 * rule: p->failed). */
static inline int place(platform *p, uint32_t i, int k, int milli, slot *s)
{
	if (__builtin_expect(p->placer != NULL, 0))
		return pf_place_plugin(p, i, s);
	return cluster_place(&p->cl, k, milli, s);
}

/* Waiting job i leaves the queue and starts at s. */
static inline __attribute__((always_inline)) int begin(platform *p, uint32_t i, const slot *s, int take)
{
	p->pops->remove(p->pself, &p->cx, i, 1);
	p->queued--;
	leave_queue(p, &p->jobs.j[i], p->now);
	return start_run(p, i, s, take);
}

/* Starts queued jobs in the policy's order (head) until the next one does not fit.
 * Returns 0, -1 on no memory. A plugin's breach (a head that is not waiting, a slot
 * where the job does not fit) sets p->failed, and the head is then FGP_NONE. */
static int schedule_head(platform *p)
{
	uint32_t h;
	slot s;
	if (p->queued == 0)
		return 0;
	while ((h = p->head(p->pself, &p->cx)) != JOB_NONE) {
		job *j = &p->jobs.j[h];
		if (p->quota && over_quota(p, j)) { /* set aside, so it blocks nobody behind it */
			pf_hold_over_quota(p, h);
			continue;
		}
		if (cluster_full_for(&p->cl, j->cls, j->gpus_milli) && !p->preempts)
			break;
		if (place(p, h, j->cls, j->gpus_milli, &s)) {
			int evicted = p->preempts ? make_room(p, h) : 0;
			if (evicted < 0)
				return -1;
			if (!evicted || place(p, h, j->cls, j->gpus_milli, &s))
				break;
		}
		if (begin(p, h, &s, 1))
			return -1;
	}
	return 0;
}

/* Lets the policy start what it will: by head, or by its own schedule call. */
static inline int schedule(platform *p)
{
	return __builtin_expect(p->own_schedule, 0) ? pf_schedule_plugin(p) : schedule_head(p);
}

/* The plugin interface's doors to the inline steps above (platform_internal.h): calls
 * of their own, so that the event loop keeps its copies inline. */
int pf_over_quota(const platform *p, uint32_t i)
{
	return p->quota && over_quota(p, &p->jobs.j[i]);
}

int pf_place(platform *p, uint32_t i, slot *s)
{
	return place(p, i, p->jobs.j[i].cls, p->jobs.j[i].gpus_milli, s);
}

int pf_begin(platform *p, uint32_t i, const slot *s)
{
	return begin(p, i, s, 1);
}

/* ---- burst capacity ------------------------------------------------------------- */

/* The expected wait the platform works out from its queue: the GPU-seconds (by the
 * users' estimates) of the jobs waiting for any pool in `pools` (a mask of classes
 * that may use them) over the GPUs of those pools, powered or booting. */
static double queue_wait(const platform *p, uint32_t classes, double gpus)
{
	double work = 0;
	for (uint32_t m = classes; m; m &= m - 1)
		work += p->queued_work[__builtin_ctz(m)];
	return work > 0 && gpus > 0 ? work / SC_MILLI / gpus : 0;
}

/* Pool q's expected wait (queue_wait over the classes that may use it). */
static double pool_wait(const platform *p, int q)
{
	double gpus = (double)p->cl.pools[q].cap_milli / SC_MILLI + (double)p->booting[q] * p->sc->pools[q].gpus_per_node;
	return queue_wait(p, p->pool_mask[q], gpus);
}

/* What burst node b cost and gave up to `until` goes to the books: all, its pool and
 * the promotion windows; paid from the request, powered from start-up. */
static void burst_account(platform *p, const burst_node *bn, double until)
{
	const scenario *sc = p->sc;
	double gpus = sc->pools[bn->pool].gpus_per_node, rate = sc->pools[bn->pool].burst_cost_per_gpu_hour / 3600;
	double paid = measured_overlap(sc, bn->requested, until);
	double up = bn->state == BURST_UP ? measured_overlap(sc, bn->up_at, until) : 0;
	int ids[2] = {0, p->pool_scope[bn->pool]};
	for (int i = 0; i < 2 && (i == 0 || ids[i]); i++) {
		p->acc[ids[i]].burst_gpu_seconds += paid * gpus;
		p->acc[ids[i]].burst_up_gpu_seconds += up * gpus;
		p->acc[ids[i]].burst_cost += paid * gpus * rate;
	}
	for (int w = 0; w < sc->npromos; w++) {
		scope_acc *a = &p->acc[scope_of_window(sc, w)];
		double wpaid = window_overlap(sc, w, bn->requested, until);
		double wup = bn->state == BURST_UP ? window_overlap(sc, w, bn->up_at, until) : 0;
		a->burst_gpu_seconds += wpaid * gpus;
		a->burst_up_gpu_seconds += wup * gpus;
		a->burst_cost += wpaid * gpus * rate;
	}
}

/* A class-k job joined the queue: every burst pool it may use whose expected wait is
 * over its threshold requests nodes, one at a time, until the wait (counting booting
 * nodes as capacity) is under it or no node is left. Returns 0, -1 on no memory. */
static int burst_check(platform *p, int k)
{
	const scenario *sc = p->sc;
	const class_spec *c = &sc->classes[k];
	for (int i = 0, b0 = 0; i < c->npools; i++, b0 = 0) {
		int q = c->pools[i];
		if (!sc->pools[q].burst_max)
			continue;
		for (int r = 0; r < q; r++)
			b0 += sc->pools[r].burst_max;
		for (int b = b0; b < b0 + sc->pools[q].burst_max && pool_wait(p, q) > sc->pools[q].burst_threshold; b++) {
			burst_node *bn = &p->burst[b];
			if (bn->state != BURST_OFF)
				continue;
			bn->state = BURST_BOOTING;
			bn->requested = p->now;
			p->booting[q]++;
			if (cal_push(&p->cal, p->now + sc->pools[q].burst_startup, EV_BURST_UP, (uint32_t)b))
				return -1;
		}
	}
	return 0;
}

/* Burst node b finished starting: its GPUs join the pool, idle until a job takes them. */
static int on_burst_up(platform *p, uint32_t b)
{
	burst_node *bn = &p->burst[b];
	bn->state = BURST_UP;
	bn->up_at = p->now;
	p->booting[bn->pool]--;
	cluster_power(&p->cl, bn->pool, bn->node, 1);
	p->powered_milli += p->sc->pools[bn->pool].gpus_per_node * SC_MILLI;
	burst_idle(p, (int)b);
	return schedule(p);
}

/* Burst node b's cooldown ran out: it stops if it is still idle since then. */
static void on_burst_idle(platform *p, uint32_t b, uint32_t gen)
{
	burst_node *bn = &p->burst[b];
	if (bn->state != BURST_UP || (bn->gen & GEN_MASK) != gen || !cluster_node_idle(&p->cl, bn->pool, bn->node))
		return;
	burst_account(p, bn, p->now);
	cluster_power(&p->cl, bn->pool, bn->node, 0);
	p->powered_milli -= p->sc->pools[bn->pool].gpus_per_node * SC_MILLI;
	bn->state = BURST_OFF;
}

/* ---- balking --------------------------------------------------------------------- */

/* Does job j (class k) leave at once? It sees the posted wait (queue_wait over the
 * classes sharing a pool with k, on k's powered GPUs) and the price factor f of the
 * moment: P(balk) = 1 - exp(-(wait / wait_scale) f^elasticity). One uniform per
 * arrival of the class, drawn whatever the wait, keeps its stream in step across
 * policies (common random numbers). */
static int balks(platform *p, const job *j)
{
	const scenario *sc = p->sc;
	const class_spec *c = &sc->classes[j->cls];
	double u = gsl_rng_uniform(p->balk[j->cls]), gpus = 0;
	for (int i = 0; i < c->npools; i++)
		gpus += (double)p->cl.pools[c->pools[i]].cap_milli / SC_MILLI;
	double wait = queue_wait(p, p->share_mask[j->cls], gpus);
	if (!(wait > 0))
		return 0;
	double f = sc->npromos ? arrivals_price_factor(sc, p->now, j->cls) : 1;
	return u < -expm1(-wait / c->balk_wait_scale * pow(f, c->balk_price_elasticity));
}

/* Job i balked: counted as an arrival that left, with the revenue it would have paid. */
static double lost_revenue_of(const platform *p, const job *j);
static void balk(platform *p, uint32_t i)
{
	const job *j = &p->jobs.j[i];
	if (j->counted) {
		double lost = lost_revenue_of(p, j);
		int s[5], n = job_scopes(p, j, 0, s);
		for (int k = 0; k < n; k++) {
			p->acc[s[k]].balked++;
			p->acc[s[k]].lost_revenue += lost;
		}
	}
	if (p->sinks->jobs)
		write_job(p, i, p->now, "balked");
	jobs_release(&p->jobs, i);
}

static void schedule_arrival(platform *p)
{
	p->arrival_t = arrivals_next(&p->arr, p->now, &p->next);
	p->arrival_seq = cal_take_seq(&p->cal);
}

/* The rest of on_arrival for a job that queued when the scenario uses quotas, burst
 * or balking: its work joins the queue's, it is scheduled even alone (it may be over
 * its tenant's quota, and is then set aside), and burst pools look at what still waits. */
__attribute__((noinline)) static int queued_extras(platform *p, const job *j, int k)
{
	if (p->track_work)
		p->queued_work[k] += j->gpus_milli * j->estimate;
	int rc = p->queued > 1 || p->eager || p->quota ? schedule(p) : 0;
	return rc || !p->nburst ? rc : burst_check(p, k);
}

static int on_arrival(platform *p, const arrival a)
{
	const scenario *sc = p->sc;
	int k = a.cls;
	const class_spec *c = &sc->classes[k];
	uint32_t i = jobs_alloc(&p->jobs);
	if (i == JOB_NONE)
		return -1;
	job *j = &p->jobs.j[i];
	j->id = p->next_id++;
	j->gang = NULL;
	j->arrival = p->now;
	j->cls = (uint16_t)k;
	j->gpus_milli = a.gpus_milli ? a.gpus_milli : c->gpus_milli;
	if (c->has_steps) {
		/* Steps and jitter are drawn now, whatever pool the job lands on (common random
		 * numbers); its time is set when it starts. Until then it is its time on the
		 * class's first pool, which its estimate, sjf and lost revenue go by. */
		j->steps = dist_sample(&c->steps, p->service[k]);
		j->z = gsl_ran_gaussian_ziggurat(p->service[k], 1);
		j->service = service_job_time(&c->svc, c->pool_gpu[c->pools[0]], (double)j->gpus_milli / SC_MILLI, j->steps,
					      j->z);
	} else {
		j->service = a.service >= 0 ? a.service : dist_sample(&c->service, p->service[k]);
	}
	j->left = j->service;
	j->runs = 0;
	j->queued_since = p->now;
	j->deadline = c->has_patience ? p->now + dist_sample(&c->patience, p->patience[k]) : INFINITY;
	j->priority = (int16_t)c->priority;
	j->estimate = c->estimate.kind == DIST_CONSTANT ? j->service * c->estimate.p1
						       : j->service * dist_sample(&c->estimate, p->estimate[k]);
	j->tenant = (uint32_t)c->tenant_base +
		    (p->tenant_mix[k] ? (uint32_t)gsl_ran_discrete(p->tenant[k], p->tenant_mix[k]) : 0);
	j->counted = p->now >= sc->warmup;
	j->window = 0;
	for (int w = 0; w < sc->npromos && j->counted; w++)
		if (p->now >= sc->promos[w].start && p->now < sc->promos[w].start + sc->promos[w].duration)
			j->window = (uint8_t)(w + 1);
	p->arrivals_in_step++;
	if (j->counted) {
		p->acc[0].arrivals++;
		if (p->class_scope[k])
			p->acc[p->class_scope[k]].arrivals++;
		if (j->window)
			p->acc[scope_of_window(sc, j->window - 1)].arrivals++;
		if ((int)j->tenant < p->ntenant_scopes)
			p->acc[scope_of_tenant(sc, (int)j->tenant)].arrivals++;
	}

	schedule_arrival(p);
	if (c->has_balking && balks(p, j)) {
		balk(p, i);
		return 0;
	}

	slot s;
	if (p->queued == 0 && !(p->quota && over_quota(p, j)) && !place(p, i, k, j->gpus_milli, &s))
		return start_job(p, i, &s);
	if (p->pops->push(p->pself, &p->cx, i))
		return -1;
	p->queued++;
	if (j->deadline < sc->horizon &&
	    cal_push(&p->cal, j->deadline, EV_ABANDON | (j->gen & GEN_MASK) << EV_KIND_BITS, i))
		return -1;
	if (p->extras)
		return queued_extras(p, j, k);
	/* The queue was settled after the last event and no GPU has been freed since: only
	 * this job could start now, and it cannot where no pool it may use has room for it
	 * in total. A policy that evicts or schedules by itself is asked all the same. */
	if (!p->eager && cluster_full_for(&p->cl, k, j->gpus_milli))
		return 0;
	return p->queued > 1 || p->eager ? schedule(p) : 0;
}

static inline void scope_done(scope_acc *a, const job *j, double response)
{
	a->done++;
	stat_sum_add(&a->response, response);
	if (j->service > 0)
		stat_sum_add(&a->slowdown, response / j->service);
}

/* Can departing job j hand its GPUs straight to waiting job h? Exactly when the usual
 * path (give them back, then schedule: place h, take them) would end the same way: h is
 * the head and the same size, in whole GPUs, and may use j's pool; h fits nowhere now
 * (no pool of its class has h's size free in total: true of every head the built-in
 * policies name, checked so that a policy whose order moved with time could not break
 * this), so once j's GPUs are free the only node with room for h is j's, whatever the
 * placement; and that node has no other whole GPU free, so h would take exactly j's
 * GPUs. Saves the cluster index two updates and a search per job that waited, the
 * common case under load; tests/test_hand_off.c checks the bytes are the same. */
static inline int hands_off(const platform *p, const job *j, const job *h)
{
	return h->gpus_milli == j->gpus_milli && j->node >= 0 && j->gpu < 0 && !j->gang &&
	       (p->pool_mask[j->pool] >> h->cls & 1) && p->cl.pools[j->pool].free_milli[j->node] == 0 &&
	       cluster_full_for(&p->cl, h->cls, h->gpus_milli);
}

static int on_depart(platform *p, uint32_t i, uint32_t gen)
{
	job *j = &p->jobs.j[i];
	if (j->state != JOB_RUNNING || (j->gen & GEN_MASK) != gen)
		return 0; /* a run that was preempted */
	bill(p, j, p->now);
	bill_minimum(p, j);
	if (j->counted) {
		double response = p->now - j->arrival;
		if (!p->more_scopes) {
			scope_done(&p->acc[0], j, response);
		} else {
			int s[5], n = job_scopes(p, j, 1, s);
			for (int k = 0; k < n; k++)
				scope_done(&p->acc[s[k]], j, response);
		}
	}
	if (p->sinks->jobs)
		write_job(p, i, p->now, "done");
	if (p->hand_off && p->queued) {
		uint32_t h = p->head(p->pself, &p->cx);
		if (h != JOB_NONE && hands_off(p, j, &p->jobs.j[h])) {
			slot s = {j->pool, j->node, -1};
			p->hand_offs++;
			jobs_release(&p->jobs, i);
			if (begin(p, h, &s, 0))
				return -1;
			/* The GPUs are as full as before this departure, when h had no room: a next
			 * head like h (class and size) has none either, and schedule_head would stop
			 * at it. Any other head, schedule_head asks. */
			const job *was = &p->jobs.j[h];
			uint32_t n = p->head(p->pself, &p->cx);
			if (n == JOB_NONE || (p->jobs.j[n].cls == was->cls && p->jobs.j[n].gpus_milli == was->gpus_milli))
				return 0;
			return schedule(p);
		}
	}
	give_gpus(p, j);
	jobs_release(&p->jobs, i);
	return schedule(p);
}

/* What a job that left unserved would have paid on its class's first pool at the
 * price of its arrival. */
static double lost_revenue_of(const platform *p, const job *j)
{
	const scenario *sc = p->sc;
	const class_spec *c = &sc->classes[j->cls];
	return j->service * j->gpus_milli / SC_MILLI * sc->pools[c->pools[0]].price_per_gpu_hour / 3600 *
	       arrivals_price_factor(sc, j->arrival, j->cls);
}

/* A job reaches its estimate unfinished under kill_at_estimate: it stops there, billed
 * for the time it ran (its user asked for that long), and counts as killed, not done:
 * no response time or slowdown, since it never finished. */
static int on_kill(platform *p, uint32_t i, uint32_t gen)
{
	job *j = &p->jobs.j[i];
	if (j->state != JOB_RUNNING || (j->gen & GEN_MASK) != gen)
		return 0;
	bill(p, j, p->now);
	bill_minimum(p, j);
	if (j->counted) {
		int s[5], n = job_scopes(p, j, 1, s);
		for (int k = 0; k < n; k++)
			p->acc[s[k]].killed++;
	}
	if (p->sinks->jobs)
		write_job(p, i, p->now, "killed");
	give_gpus(p, j);
	jobs_release(&p->jobs, i);
	return schedule(p);
}

static int on_abandon(platform *p, uint32_t i, uint32_t gen)
{
	job *j = &p->jobs.j[i];
	if ((j->state != JOB_WAITING && j->state != JOB_HELD) || (j->gen & GEN_MASK) != gen || j->runs > 0)
		return 0; /* it started (or left) before its patience ran out; a preempted job stays */
	if (j->state == JOB_HELD) {
		jlist_remove(&p->held[j->tenant], p->jobs.j, i);
		p->nheld--;
	} else {
		p->pops->remove(p->pself, &p->cx, i, 0);
		p->queued--;
	}
	leave_queue(p, j, p->now);
	if (j->counted) {
		double lost = lost_revenue_of(p, j);
		int s[5], n = job_scopes(p, j, 0, s);
		for (int k = 0; k < n; k++) {
			p->acc[s[k]].abandoned++;
			stat_sum_add(&p->acc[s[k]].patience_used, p->now - j->arrival);
			p->acc[s[k]].lost_revenue += lost;
		}
	}
	if (p->sinks->jobs)
		write_job(p, i, p->now, "abandoned");
	jobs_release(&p->jobs, i);
	/* A job that waited behind it (a smaller one behind a large head) may fit now. */
	return schedule(p);
}

static int on_sample(platform *p)
{
	const scenario *sc = p->sc;
	double cap = 0, factor = 1;
	for (int q = 0; q < sc->npools; q++)
		cap += (double)p->cl.pools[q].cap_milli;
	for (int k = 0; k < sc->nclasses; k++)
		factor = fmin(factor, arrivals_price_factor(sc, p->now, k));
	fprintf(p->sinks->timeseries, "%s,%d,%.10g,%u,%lld,%.10g,%.10g,%.10g,%.10g\n",
		sc->policies[p->policy].label, p->rep, p->now, p->queued + p->nheld, p->running,
		(double)p->busy_milli / SC_MILLI, p->busy_milli / cap,
		p->now > 0 ? (double)p->arrivals_in_step * 3600 / sc->timeseries_step : 0, factor);
	p->arrivals_in_step = 0;
	double next = p->now + sc->timeseries_step;
	return next < sc->horizon ? cal_push(&p->cal, next, EV_SAMPLE, 0) : 0;
}

/* ---- fragmentation --------------------------------------------------------------- */

/* GPUs idle while a job that would fit in their total waits: when the policy's next
 * job (held jobs aside) waits, the free GPUs of the pools its class may use if they
 * add up to its size, else 0. */
static double frag_value(platform *p)
{
	uint32_t h = p->head(p->pself, &p->cx);
	if (h == JOB_NONE)
		return 0;
	const job *j = &p->jobs.j[h];
	long long free = 0;
	for (int i = 0; i < p->cl.norder[j->cls]; i++) {
		const pool_state *ps = &p->cl.pools[p->cl.order[j->cls][i]];
		free += ps->cap_milli - ps->busy_milli;
	}
	return free >= j->gpus_milli ? (double)free / SC_MILLI : 0;
}

/* The fragmented GPUs change to f at `until`: the old value's time goes to the books. */
static void frag_change(platform *p, double f, double until)
{
	const scenario *sc = p->sc;
	if (p->frag_now > 0) {
		p->acc[0].frag_seconds += p->frag_now * measured_overlap(sc, p->frag_t, until);
		for (int w = 0; w < sc->npromos; w++)
			p->acc[scope_of_window(sc, w)].frag_seconds += p->frag_now * window_overlap(sc, w, p->frag_t, until);
	}
	p->frag_now = f;
	p->frag_t = until;
}

/* After an event: the fragmented GPUs now, booked if they changed. */
__attribute__((noinline)) static void frag_note(platform *p)
{
	double f = p->queued && p->busy_milli < p->powered_milli ? frag_value(p) : 0;
	if (f != p->frag_now)
		frag_change(p, f, p->now);
}

/* Jobs still present at the horizon: billed up to it and counted as in the system. */
static void close_books(platform *p)
{
	frag_change(p, 0, p->sc->horizon);
	for (int b = 0; b < p->nburst; b++)
		if (p->burst[b].state != BURST_OFF)
			burst_account(p, &p->burst[b], p->sc->horizon);
	for (uint32_t i = 0; i < p->jobs.cap; i++) {
		job *j = &p->jobs.j[i];
		if (j->state == JOB_FREE)
			continue;
		if (j->state == JOB_RUNNING)
			bill(p, j, p->sc->horizon);
		else
			leave_queue(p, j, p->sc->horizon);
		if (p->sinks->jobs) /* no end yet: the row's end column is the horizon */
			write_job(p, i, p->sc->horizon, "in_system");
		if (j->counted) {
			int s[5], n = job_scopes(p, j, j->state == JOB_RUNNING, s);
			for (int k = 0; k < n; k++)
				if (scope_kind_of(p->sc, s[k]) != SCOPE_POOL)
					p->acc[s[k]].in_system_end_count++;
		}
	}
}

/* The replication's figures for scope s from what it accumulated. */
static void fill_scope(const platform *p, int s, double *v)
{
	const scenario *sc = p->sc;
	const scope_acc *a = &p->acc[s];
	scope_kind kind = scope_kind_of(sc, s);
	double hours = (sc->horizon - sc->warmup) / 3600, cap_gpus = 0, cost_rate = 0;
	if (kind == SCOPE_WINDOW) {
		const promo_spec *pr = &sc->promos[s - scope_of_window(sc, 0)];
		hours = measured_overlap(sc, pr->start, pr->start + pr->duration) / 3600;
	}
	for (int q = 0; q < sc->npools; q++)
		if (kind != SCOPE_POOL || s == scope_of_pool(sc, q)) {
			double gpus = (double)scenario_pool_gpus(sc, q);
			cap_gpus += gpus;
			cost_rate += gpus * sc->pools[q].cost_per_gpu_hour;
		}
	double started = a->wait.n;
	v[M_arrivals] = a->arrivals;
	v[M_jobs_done] = a->done;
	v[M_abandoned] = a->abandoned;
	v[M_in_system_end] = a->in_system_end_count;
	v[M_wait_mean] = stat_sum_mean(&a->wait);
	v[M_wait_p50] = hist_quantile(a->waits, 0.50);
	v[M_wait_p95] = hist_quantile(a->waits, 0.95);
	v[M_wait_p99] = hist_quantile(a->waits, 0.99);
	v[M_wait_max] = started ? a->wait.max : NAN;
	v[M_p_wait] = started ? a->waited / started : NAN;
	v[M_response_mean] = stat_sum_mean(&a->response);
	v[M_slowdown_mean] = stat_sum_mean(&a->slowdown);
	v[M_abandon_rate] = a->arrivals ? a->abandoned / a->arrivals : NAN;
	v[M_queue_mean] = hours > 0 ? a->queue_seconds / (hours * 3600) : NAN;
	double left_queue = started + a->patience_used.n; /* started or abandoned */
	v[M_queue_time_mean] = left_queue ? (a->wait.sum + a->patience_used.sum) / left_queue : NAN;
	v[M_throughput_per_h] = hours > 0 ? a->done / hours : NAN;
	/* burst nodes count as capacity while powered (adds exactly 0 without burst) */
	v[M_utilization] = hours > 0 ? a->gpu_seconds / (cap_gpus * hours * 3600 + a->burst_up_gpu_seconds) : NAN;
	v[M_gpu_hours] = a->gpu_seconds / 3600;
	v[M_billed_gpu_hours] = a->billed_gpu_seconds / 3600;
	v[M_preemptions] = a->preemptions;
	v[M_lost_gpu_hours] = a->lost_gpu_seconds / 3600;
	v[M_killed] = a->killed;
	v[M_kill_rate] = a->arrivals ? a->killed / a->arrivals : NAN;
	v[M_revenue] = a->revenue;
	v[M_cost] = cost_rate * hours + a->burst_cost;
	v[M_profit] = a->revenue - v[M_cost];
	v[M_lost_revenue] = a->lost_revenue;
	v[M_balked] = a->balked;
	v[M_balk_rate] = a->arrivals ? a->balked / a->arrivals : NAN;
	v[M_burst_gpu_hours] = a->burst_gpu_seconds / 3600;
	v[M_burst_cost] = a->burst_cost;
	v[M_fragmentation_gpus] = hours > 0 && (p->pops->head || !p->frag_on) ? a->frag_seconds / (hours * 3600) : NAN;
	for (int m = 0; m < M_COUNT; m++)
		if (!metric_applies((metric_id)m, kind))
			v[m] = NAN;
}

static void fill_metrics(const platform *p, rep_metrics *out)
{
	const scenario *sc = p->sc;
	for (int s = 0; s < scope_count(sc); s++) {
		scope_kind kind = scope_kind_of(sc, s);
		int own = kind == SCOPE_ALL || kind == SCOPE_WINDOW || kind == SCOPE_TENANT ||
			  (kind == SCOPE_CLASS ? p->class_scope[s - 1] : p->pool_scope[s - scope_of_pool(sc, 0)]);
		fill_scope(p, own ? s : 0, out->v[s]);
		if (!own) /* aliased to "all": same figures, restricted to what the scope reports */
			for (int m = 0; m < M_COUNT; m++)
				if (!metric_applies((metric_id)m, kind))
					out->v[s][m] = NAN;
	}
	out->events = (double)p->events;
	out->jobs = (double)p->next_id;
}

void platform_set_clock(platform *p, _Atomic double *clock) { p->clock = clock; }

unsigned long long platform_hand_offs(platform *p, int allow)
{
	p->no_hand_off = !allow;
	return p->hand_offs;
}

int platform_run(platform *p, int pi, int rep, const platform_sinks *sinks, rep_metrics *out)
{
	static const platform_sinks none = {NULL, NULL, NULL};
	const scenario *sc = p->sc;
	if (reset(p, pi, rep))
		return -1;
	p->sinks = sinks ? sinks : &none;
	int rc = 0;
	schedule_arrival(p);
	if (p->sinks->timeseries && sc->timeseries_step > 0)
		rc |= cal_push(&p->cal, 0, EV_SAMPLE, 0);
	cal_event ev;
	for (;;) {
		if (cal_before_top(&p->cal, p->arrival_t, p->arrival_seq)) {
			if (p->arrival_t >= sc->horizon)
				break;
			p->now = p->arrival_t;
			rc = on_arrival(p, p->next);
		} else {
			cal_pop(&p->cal, &ev);
			/* The run ends with the first event at or after the horizon: nothing at
			 * the horizon itself happens (a job finishing then is still in the system). */
			if (ev.t >= sc->horizon)
				break;
			p->now = ev.t;
			switch (ev.kind & ((1u << EV_KIND_BITS) - 1)) {
			case EV_DEPART: rc = on_depart(p, ev.arg, ev.kind >> EV_KIND_BITS); break;
			case EV_ABANDON: rc = on_abandon(p, ev.arg, ev.kind >> EV_KIND_BITS); break;
			case EV_SAMPLE: rc = on_sample(p); break;
			case EV_BURST_UP: rc = on_burst_up(p, ev.arg); break;
			case EV_BURST_IDLE: on_burst_idle(p, ev.arg, ev.kind >> EV_KIND_BITS); break;
			case EV_WAKE: rc = schedule(p); break;
			case EV_KILL: rc = on_kill(p, ev.arg, ev.kind >> EV_KIND_BITS); break;
			}
		}
		if (rc) /* p->nomem (a push that failed where no status returns) is seen at the end */
			break;
		/* no fragmentation with an empty queue or no free GPU: a few tests on the
		 * common path, the rest out of line */
		if (p->frag_live && ((p->queued && p->busy_milli < p->powered_milli) || p->frag_now != 0))
			frag_note(p);
		/* Every 65536 events, not every event: the stop flag, a plugin's breach and the
		 * progress clock cost one predictable branch on the hot path. */
		if ((++p->events & 0xffff) == 0) {
			if (p->clock) /* relaxed: a plain store, read by the progress thread */
				atomic_store_explicit(p->clock, p->now, memory_order_relaxed);
			if (p->failed)
				break;
			if (p->sinks->stop && atomic_load_explicit(p->sinks->stop, memory_order_relaxed))
				return 1;
		}
	}
	if (p->failed)
		return -2;
	/* A trace read differently from the load (edited, cut short) voids the replication. */
	if (!rc && !p->nomem)
		arrivals_finish(&p->arr);
	if (p->arr.failed) {
		snprintf(p->err, sizeof p->err, "%s", p->arr.err);
		return -1;
	}
	if (rc || p->nomem)
		return -1;
	close_books(p);
	fill_metrics(p, out);
	return 0;
}
