/* platform.c - the event loop of one replication, and the workspace's life (new,
 * reset, run, free). Every draw that belongs to a job (arrival, class, service,
 * patience) happens at its arrival, from streams of its own, so all policies see
 * identical jobs. The features (books, quotas, burst and balking, preemption) live in
 * their own files (platform_internal.h), called here behind their flags (pf_features.h).
 *
 * The hot path is written for the M/M/c benchmark's 933 instructions per job (from
 * 1668 at first; README, "Speed"): starting, billing and leaving the queue are
 * always-inline steps (platform_steps.h); the Makefile's -flto lets this loop inline
 * the calendar, cluster and statistics calls across files; every feature costs one
 * predictable test of a flag worked out once per run (pf_features.c). */
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "platform_steps.h"
#include "rng.h"

const char platform_jobs_header[] =
	"policy,replication,job,class,tenant,arrival,start,end,pool,node,gpus,service,estimate,outcome\n";
const char platform_timeseries_header[] =
	"policy,replication,t,queued,running,busy_gpus,utilization,arrivals_per_h,price_factor,burst_nodes";

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
	pf_features(&p->ft, sc, -1, 1); /* the scenario's flags size what is allocated */
	/* once per run, so a start's rate is one multiplication, no division */
	for (int q = 0; q < sc->npools; q++)
		p->price_per_milli_second[q] = sc->pools[q].price_per_gpu_hour / 3600 / SC_MILLI;
	/* Everything is tried and `ok` gathers the failures, so one platform_free below
	 * undoes whatever succeeded (each destructor accepts what was never made). */
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
	if (p->ft.nburst)
		ok &= (p->burst = calloc((size_t)p->ft.nburst, sizeof *p->burst)) != NULL;
	ok &= !history_init(p);
	if (p->ft.quota) {
		ok &= (p->tenant_use = calloc((size_t)sc->ntenants, sizeof *p->tenant_use)) != NULL;
		ok &= (p->held = calloc((size_t)sc->ntenants, sizeof *p->held)) != NULL;
	}
	for (int s = 0; s < scope_count(sc); s++)
		ok &= (p->acc[s].waits = malloc(sizeof(hist))) != NULL;
	int nodes = 0;
	for (int q = 0; q < sc->npools; q++) {
		p->node_base[q] = nodes;
		nodes += sc->pools[q].nodes + sc->pools[q].burst_max;
	}
	ok &= (p->freeable = calloc((size_t)nodes, sizeof *p->freeable)) != NULL;
	ok &= (p->policy_rng = gsl_rng_alloc(RNG_TYPE)) != NULL;
	if (p->ft.faults)
		ok &= (p->faults = faults_new(sc)) != NULL;
	p->cx = (fgp_ctx){sc, NULL, &p->jobs, p, NULL, &p->cl};
	p->place_cx = (fgp_ctx){sc, NULL, &p->jobs, p, NULL, &p->cl};
	platform_check_every(p, FG_DEBUG ? 0xffff : UINT64_MAX);
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
	gsp_frag_free(p->gsf);
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
	free(p->est_last);
	free(p->est_n);
	free(p->tenant_use);
	free(p->held);
	faults_free(p->faults);
	free(p);
}

/* Readies the workspace for replication rep of policy pi. Every stream is reseeded
 * from (seed, rep, source) alone, never carried on from what ran before, so a
 * replication draws the same whichever worker runs it and after whichever other one
 * (the same bytes for any -j). Returns 0, or -1 with p->err set (a policy or placement
 * whose init failed, a trace that cannot be read). */
static int reset(platform *p, int pi, int rep)
{
	const scenario *sc = p->sc;
	drop_gangs(p);
	cal_clear(&p->cal);
	jobs_clear(&p->jobs);
	cluster_reset(&p->cl, sc);
	if (pf_plugins_reset(p, pi, rep, &platform_plugin_api))
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
	burst_reset(p);
	history_reset(p);
	if (p->ft.quota) {
		memset(p->tenant_use, 0, (size_t)sc->ntenants * sizeof *p->tenant_use);
		for (int t = 0; t < sc->ntenants; t++)
			jlist_init(&p->held[t]);
	}
	p->nheld = 0;
	p->nomem = 0;
	p->frag_now = p->frag_t = p->hol_now = 0;
	gsp_frag_free(p->gsf); /* the cluster is all free again: read afresh */
	p->gsf = NULL;
	if (p->ft.frag_paper && gsp_frag_new(&p->gsf, &platform_plugin_api, &p->place_cx)) {
		snprintf(p->err, sizeof p->err, "out of memory");
		return -1;
	}
	if (p->gsf)
		p->frag_now = gsp_frag_gpus(p->gsf, &p->place_cx);
	memset(p->queued_k, 0, sizeof p->queued_k);
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
	if (p->ft.faults && faults_reset(p)) { /* the nodes' first failures, at time 0 */
		snprintf(p->err, sizeof p->err, "out of memory");
		return -1;
	}
	return 0;
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
		FG_ASSERT(h < p->jobs.cap && j->state == JOB_WAITING); /* a plugin's head is checked */
		if (p->ft.quota && over_quota(p, j)) { /* set aside, so it blocks nobody behind it */
			quota_hold(p, h);
			continue;
		}
		if (cluster_full_for(&p->cl, j->cls, j->gpus_milli) && !p->ft.preempts)
			break;
		if (place(p, h, j->cls, j->gpus_milli, &s)) {
			int evicted = p->ft.preempts ? preempt_make_room(p, h) : 0;
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
	return __builtin_expect(p->ft.own_schedule, 0) ? pf_schedule_plugin(p) : schedule_head(p);
}

/* The single pending arrival waits beside the calendar, not in it: one push and one
 * pop fewer per job. It takes a sequence number from the calendar as a push would,
 * and the loop compares (time, seq) with the calendar's earliest (cal_before_top), so
 * ties fire in the same order as if it were inside. Out of line, with arrivals_next
 * inside it: inlined into the loop, gcc split arrivals_next in two and called the half
 * (more instructions a job, measured under callgrind). */
static __attribute__((noinline)) void schedule_arrival(platform *p)
{
	p->arrival_t = arrivals_next(&p->arr, p->now, &p->next);
	p->arrival_seq = cal_take_seq(&p->cal);
}

/* The rest of on_arrival for a job that queued when the scenario uses quotas, burst
 * or balking: its work joins the queue's, it is scheduled even alone (it may be over
 * its tenant's quota, and is then set aside), and burst pools look at what still waits. */
__attribute__((noinline)) static int queued_extras(platform *p, const job *j, int k)
{
	if (p->ft.track_work)
		p->queued_work[k] += j->gpus_milli * j->estimate;
	int rc = p->queued > 1 || p->ft.eager || p->ft.quota ? schedule(p) : 0;
	return rc || !p->ft.nburst ? rc : burst_on_queue(p, k);
}

/* Returns 0, or -1 on no memory or a plugin's breach (p->failed set). */
/* A job's CPU, memory and pools (pf_flags.multi): its class's, or its trace row's (the
 * row arrivals_next read last: the next is drawn only after this job is set up). */
static __attribute__((noinline)) void job_needs(const platform *p, job *j, const class_spec *c)
{
	int from_trace = p->sc->trace;
	j->cpu_milli = (uint32_t)(from_trace ? p->arr.row_cpu : c->cpu_milli);
	j->memory_mib = (uint32_t)(from_trace ? p->arr.row_mem : c->memory_mib);
	j->pools = from_trace ? p->arr.row_pools : UINT32_MAX;
}

/* on_arrival's hooks (pf_flags.job_hooks): a learning class's estimate from its
 * tenant's history, once the tenant has two; else, with checkpoints, the estimate's run
 * time with its pauses. Out of line: one test a job where neither is on. */
static __attribute__((noinline)) void arrival_hooks(const platform *p, job *j, const class_spec *c)
{
	if (c->estimate_history)
		history_estimate(p, j);
	else if (p->ft.faults) /* a checkpointing run's time has its pauses */
		faults_estimate(p, j);
}

static inline __attribute__((always_inline)) int on_arrival(platform *p, const arrival a)
{
	const scenario *sc = p->sc;
	int k = a.cls;
	const class_spec *c = &sc->classes[k];
	uint32_t i = jobs_alloc(&p->jobs);
	if (i == JOB_NONE)
		return -1;
	job *j = &p->jobs.j[i];
	FG_ASSERT(j->state == JOB_WAITING && k >= 0 && k < sc->nclasses);
	j->id = p->next_id++;
	j->gang = NULL;
	j->arrival = p->now;
	j->cls = (uint16_t)k;
	j->gpus_milli = a.gpus_milli >= 0 ? a.gpus_milli : c->gpus_milli;
	if (__builtin_expect(p->ft.multi, 0)) /* else never read: cluster_place ignores them */
		job_needs(p, j, c);
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
	j->resumed = 0;
	j->runs = 0;
	j->queued_since = p->now;
	j->deadline = c->has_patience ? p->now + dist_sample(&c->patience, p->patience[k]) : INFINITY;
	j->priority = (int16_t)c->priority;
	j->estimate = c->estimate.kind == DIST_CONSTANT ? j->service * c->estimate.p1
						       : j->service * dist_sample(&c->estimate, p->estimate[k]);
	j->tenant = (uint32_t)c->tenant_base +
		    (p->tenant_mix[k] ? (uint32_t)gsl_ran_discrete(p->tenant[k], p->tenant_mix[k]) : 0);
	if (__builtin_expect(p->ft.job_hooks, 0))
		arrival_hooks(p, j, c);
	j->counted = p->now >= sc->warmup;
	int win[2], nwin = sc->npromos && j->counted ? promos_windows_at(sc, p->now, win) : 0;
	j->window = nwin ? (uint8_t)(win[0] + 1) : 0; /* the pooled scope; job_scopes finds the rest */
	p->arrivals_in_step++;
	if (j->counted) {
		p->acc[0].arrivals++;
		if (p->class_scope[k])
			p->acc[p->class_scope[k]].arrivals++;
		for (int w = 0; w < nwin; w++)
			p->acc[scope_of_window(sc, win[w])].arrivals++;
		if ((int)j->tenant < p->ft.ntenant_scopes)
			p->acc[scope_of_tenant(sc, (int)j->tenant)].arrivals++;
	}

	/* The next arrival is drawn, and its seq taken, before any event of this job is
	 * pushed: moving this line would reorder ties between them, and so the outputs. */
	schedule_arrival(p);
	if (c->has_balking && balk_try(p, i))
		return 0;

	slot s;
	/* With nobody waiting no policy has a choice to make, so the job starts here
	 * without a push into the policy's queue and a schedule pass */
	if (p->queued == 0 && !(p->ft.quota && over_quota(p, j)) && !place(p, i, k, j->gpus_milli, &s))
		return start_run(p, i, &s, 1);
	if (p->pops->push(p->pself, &p->cx, i))
		return -1;
	p->queued++;
	p->queued_k[k]++;
	/* a deadline past the horizon would never fire: no event, no calendar slot */
	if (j->deadline < sc->horizon &&
	    cal_push(&p->cal, j->deadline, EV_ABANDON | (j->gen & GEN_MASK) << EV_KIND_BITS, i))
		return -1;
	if (p->ft.extras)
		return queued_extras(p, j, k);
	/* The queue was settled after the last event and no GPU has been freed since: only
	 * this job could start now, and it cannot where no pool it may use has room for it
	 * in total. A policy that evicts or schedules by itself is asked all the same. */
	if (!p->ft.eager && cluster_full_for(&p->cl, k, j->gpus_milli))
		return 0;
	return p->queued > 1 || p->ft.eager ? schedule(p) : 0;
}

/* Can departing job j hand its GPUs straight to waiting job h? Exactly when the usual
 * path (give them back, then schedule: place h, take them) would end the same way: h is
 * the head and the same size, in whole GPUs, and may use j's pool; h fits nowhere now
 * (no pool of its class has h's size free in total: true of every head the built-in
 * policies name, checked so that a policy whose order moved with time could not break
 * this), so once j's GPUs are free the only node with room for h is j's, whatever the
 * placement; and that node has no other whole GPU free, so h would take exactly j's
 * GPUs. Saves the cluster index two updates and a search per job that waited, the
 * common case under load (three jobs in four on the M/M/c benchmark, README "Speed");
 * tests/test_hand_off.c runs scenarios both ways and checks the bytes are the same. */
static inline int hands_off(const platform *p, const job *j, const job *h)
{
	return h->gpus_milli == j->gpus_milli && j->node >= 0 && j->gpu < 0 && !j->gang &&
	       (p->pool_mask[j->pool] >> h->cls & 1) && p->cl.pools[j->pool].free_milli[j->node] == 0 &&
	       cluster_full_for(&p->cl, h->cls, h->gpus_milli);
}

/* Debug builds: the hand-off of j's GPUs to head h, computed the slow way: h fits
 * nowhere now; with j's GPUs given back, the policy still names h and the placement
 * puts it exactly on s; then the GPUs are taken back as they were. */
static int slow_way_agrees(platform *p, const job *j, uint32_t h, const slot *s)
{
	const job *hj = &p->jobs.j[h];
	slot now, after, js = {j->pool, j->node, j->gpu};
	if (p->placer || cluster_place(&p->cl, hj->cls, hj->gpus_milli, &now) == 0)
		return 0;
	cluster_give(&p->cl, &js, j->gpus_milli, NULL);
	int placed = cluster_place(&p->cl, hj->cls, hj->gpus_milli, &after) == 0;
	uint32_t again = p->head(p->pself, &p->cx);
	cluster_take(&p->cl, &js, j->gpus_milli, NULL);
	return placed && again == h && after.pool == s->pool && after.node == s->node && after.gpu == s->gpu;
}

/* on_depart's hooks (pf_flags.job_hooks): the run's checkpoints are booked, and its
 * time learned for its tenant's next estimates. history_note touches no scope's figures
 * and books_done no history, so both go before books_done behind one test. */
static __attribute__((noinline)) void end_hooks(platform *p, const job *j)
{
	if (p->ft.faults)
		faults_run_end(p, j, p->now);
	if (p->est_n)
		history_note(p, j);
}

/* A run ends as planned. Always inline, like the steps it takes: it runs once for
 * every job. Returns 0, or -1 on no memory or a plugin's breach. */
static inline __attribute__((always_inline)) int on_depart(platform *p, uint32_t i, uint32_t gen)
{
	job *j = &p->jobs.j[i];
	if (j->state != JOB_RUNNING || (j->gen & GEN_MASK) != gen)
		return 0; /* a run that was preempted */
	bill_end(p, j);
	if (__builtin_expect(p->ft.job_hooks, 0))
		end_hooks(p, j);
	if (j->counted)
		books_done(p, j);
	if (p->sinks->jobs)
		books_write_job(p, i, p->now, "done");
	if (p->ft.hand_off && p->queued) {
		uint32_t h = p->head(p->pself, &p->cx);
		if (h != JOB_NONE && hands_off(p, j, &p->jobs.j[h])) {
			slot s = {j->pool, j->node, -1};
			FG_ASSERT(slow_way_agrees(p, j, h, &s));
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

/* After an event under some fragmentation measure (frag_watch): may its figures have
 * changed? Under the head's, not with an empty queue or no free GPU unless they were
 * nonzero: a few tests on the common path, the rest out of line (books_frag_note);
 * under the paper's, where the event touched a node. */
static inline int frag_due(const platform *p)
{
	int live = (p->queued && p->busy_milli < p->powered_milli) || p->frag_now != 0 ||
		   p->hol_now != 0;
	if (p->ft.frag_watch == FRAG_WATCH_LIVE) /* no gsf then */
		return live;
	return (p->ft.frag_live && live) || (p->gsf && gsp_frag_touched(p->gsf));
}

/* A job reaches its estimate unfinished under kill_at_estimate: it stops there, billed
 * for the time it ran (its user asked for that long), and counts as killed, not done:
 * no response time or slowdown, since it never finished. */
static int on_kill(platform *p, uint32_t i, uint32_t gen)
{
	job *j = &p->jobs.j[i];
	if (j->state != JOB_RUNNING || (j->gen & GEN_MASK) != gen)
		return 0;
	bill_end(p, j);
	if (p->ft.faults)
		faults_run_end(p, j, p->now);
	books_killed(p, j);
	if (p->sinks->jobs)
		books_write_job(p, i, p->now, "killed");
	give_gpus(p, j);
	jobs_release(&p->jobs, i);
	return schedule(p);
}

/* A waiting job's patience ran out. The calendar has no removal: the abandonment of
 * a job that started, or whose slot now holds another job, is dropped here by its
 * generation. */
static int on_abandon(platform *p, uint32_t i, uint32_t gen)
{
	job *j = &p->jobs.j[i];
	if ((j->state != JOB_WAITING && j->state != JOB_HELD) || (j->gen & GEN_MASK) != gen || j->runs > 0)
		return 0; /* it started (or left) before its patience ran out; a preempted job stays */
	if (j->state == JOB_HELD) {
		FG_ASSERT(p->nheld > 0);
		jlist_remove(&p->held[j->tenant], p->jobs.j, i);
		p->nheld--;
	} else {
		FG_ASSERT(p->queued > 0);
		p->pops->remove(p->pself, &p->cx, i, 0);
		p->queued--;
	}
	leave_queue(p, j, p->now);
	books_abandoned(p, j);
	if (p->sinks->jobs)
		books_write_job(p, i, p->now, "abandoned");
	jobs_release(&p->jobs, i);
	/* A job that waited behind it (a smaller one behind a large head) may fit now. */
	return schedule(p);
}

/* One time-series row. Sampled on its own event rather than at every change, so
 * the row's cost does not grow with the event rate. */
static int on_sample(platform *p)
{
	const scenario *sc = p->sc;
	double cap = 0, factor = 1;
	for (int q = 0; q < sc->npools; q++)
		cap += (double)p->cl.pools[q].cap_milli;
	for (int k = 0; k < sc->nclasses; k++)
		factor = fmin(factor, arrivals_price_factor(sc, p->now, k));
	fprintf(p->sinks->timeseries, "%s,%d,%.10g,%u,%lld,%.10g,%.10g,%.10g,%.10g",
		sc->policies[p->policy].label, p->rep, p->now, p->queued + p->nheld, p->running,
		(double)p->busy_milli / SC_MILLI, p->busy_milli / cap,
		p->now > 0 ? (double)p->arrivals_in_step * 3600 / sc->timeseries_step : 0, factor);
	/* then the burst nodes paid for (requested or up) and each pool's busy GPUs, so a
	 * promotion's zoom shows where the load went */
	fprintf(p->sinks->timeseries, ",%d", p->burst_paid_all);
	for (int q = 0; q < sc->npools; q++)
		fprintf(p->sinks->timeseries, ",%.10g",
			(double)p->cl.pools[q].busy_milli / SC_MILLI);
	fputc('\n', p->sinks->timeseries);
	p->arrivals_in_step = 0;
	double next = p->now + sc->timeseries_step;
	return next < sc->horizon ? cal_push(&p->cal, next, EV_SAMPLE, 0) : 0;
}

void platform_set_clock(platform *p, _Atomic double *clock) { p->clock = clock; }

unsigned long long platform_hand_offs(platform *p, int allow)
{
	p->no_hand_off = !allow;
	return p->hand_offs;
}

/* Stops the program on a broken invariant (a bug in fgsim, not in the input). */
__attribute__((noinline, cold)) static void check_now(const platform *p)
{
	const char *why = pf_check(p);
	if (why)
		fg_check_fail("platform", why, __FILE__, __LINE__);
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
	if (p->ft.nburst)
		rc |= forecast_start(p);
	cal_event ev;
	for (;;) {
		/* the arrival first on ties with an earlier seq, exactly as the calendar would */
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
			case EV_BURST_UP: burst_on_up(p, ev.arg), rc = schedule(p); break;
			case EV_BURST_IDLE: burst_on_idle(p, ev.arg, ev.kind >> EV_KIND_BITS); break;
			case EV_WAKE: rc = schedule(p); break;
			case EV_KILL: rc = on_kill(p, ev.arg, ev.kind >> EV_KIND_BITS); break;
			case EV_FORECAST: rc = forecast_on_tick(p); break;
			case EV_PREWARM: rc = forecast_on_prewarm(p, ev.arg); break;
			case EV_NODE: /* a node fails, is reclaimed or comes back (failures.c) */
				rc = faults_on_event(p, ev.arg, ev.kind >> EV_KIND_BITS);
				rc = rc ? rc : schedule(p);
				break;
			}
		}
		if (rc) /* p->nomem (a push that failed where no status returns) is seen at the end */
			break;
		if (p->ft.frag_watch != FRAG_WATCH_NONE && frag_due(p))
			books_frag_note(p);
		/* Every 65536 events, not every event: the stop flag, a plugin's breach and the
		 * progress clock cost one predictable branch on the hot path. The invariants'
		 * walk shares it: tick_mask is 0xffff & check_mask, so a test that checks
		 * after every event (check_mask 0) comes through here each time. */
		if ((++p->events & p->tick_mask) == 0) {
			if ((p->events & p->check_mask) == 0)
				check_now(p);
			if ((p->events & 0xffff) == 0) {
				if (p->clock) /* relaxed: a plain store, read by the progress thread */
					atomic_store_explicit(p->clock, p->now, memory_order_relaxed);
				if (p->failed)
					break;
				if (p->sinks->stop && atomic_load_explicit(p->sinks->stop, memory_order_relaxed))
					return 1;
			}
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
	/* the books close at the horizon: fragmentation, burst nodes, then the jobs */
	books_frag_change(p, 0, 0, sc->horizon);
	burst_close(p);
	if (p->ft.faults)
		faults_close(p);
	books_close(p);
	books_fill(p, out);
	return 0;
}
