/* failures.c - the platform's harder days (ft.faults; docs/failures.md): nodes of a
 * pool that fail and are repaired, spot nodes the provider reclaims after a notice and
 * returns later, and the runs they stop: each job is requeued to resume from its last
 * checkpoint (checkpoint.h) or fails, by its class's on_failure. Node events carry
 * their kind in the generation bits of EV_NODE and the node (over all pools' own
 * nodes) as the argument. Time to the next failure runs from a repair (an alternating
 * renewal process), so a node is in service mtbf / (mtbf + mean repair) of the time.
 * Planned maintenance takes nodes out the same way (cluster_set_down), drained first
 * (cluster_cordon) or at once; a node out for several reasons is back when all end. */
#include <math.h>
#include <stdlib.h>

#include "checkpoint.h"
#include "platform_steps.h"
#include "rng.h"

enum { NODE_FAIL, NODE_REPAIR, NODE_NOTICE, NODE_RECLAIM, NODE_RETURN,
       NODE_MAINT,    /* a maintenance window opens (its index above NODE_KIND_BITS) */
       NODE_DEADLINE, /* a drain's last moment: the node's jobs are interrupted */
       NODE_EMPTIED,  /* a run on a draining node ended: is the node empty now? */
       NODE_MAINT_END,
       NODE_KIND_BITS = 4 };
/* Why a node is out of service (fnode.down): it is back when every reason is over. */
enum { OUT_FAILED = 1, OUT_RECLAIMED = 2, OUT_MAINT = 4 };
/* Streams per pool: time between failures, repair, time between reclamations, return.
 * Far above the classes' streams (arrivals.h), so adding a class moves none of them. */
enum { STREAM_FAULTS_BASE = 4096, STREAM_FAULTS_PER_POOL = 4 };

typedef struct fnode {
	double down_since, notice_at; /* notice_at: NAN unless a reclamation was announced */
	int pool;
	unsigned char down, draining; /* down: OUT_* bits */
	unsigned char window;         /* the maintenance window it drains for */
} fnode;

struct pf_faults {
	int nnodes, base[SC_MAX_POOLS]; /* pool q's node n is node[base[q] + n] */
	int ndraining;                  /* nodes draining: runs' ends look for empty ones */
	fnode *node;
	gsl_rng *rng[SC_MAX_POOLS][STREAM_FAULTS_PER_POOL];
};

struct pf_faults *faults_new(const scenario *sc)
{
	struct pf_faults *f = calloc(1, sizeof *f);
	if (!f)
		return NULL;
	for (int q = 0; q < sc->npools; q++) {
		f->base[q] = f->nnodes;
		f->nnodes += sc->pools[q].nodes;
	}
	int ok = (f->node = calloc((size_t)f->nnodes, sizeof *f->node)) != NULL;
	for (int q = 0; q < sc->npools; q++)
		for (int w = 0; w < STREAM_FAULTS_PER_POOL &&
				(sc->pools[q].has_failures || sc->pools[q].spot);
		     w++)
			ok &= (f->rng[q][w] = gsl_rng_alloc(RNG_TYPE)) != NULL;
	for (int q = 0; ok && q < sc->npools; q++)
		for (int n = 0; n < sc->pools[q].nodes; n++)
			f->node[f->base[q] + n].pool = q;
	if (!ok) {
		faults_free(f);
		return NULL;
	}
	return f;
}

void faults_free(struct pf_faults *f)
{
	if (!f)
		return;
	for (int q = 0; q < SC_MAX_POOLS; q++)
		for (int w = 0; w < STREAM_FAULTS_PER_POOL; w++)
			gsl_rng_free(f->rng[q][w]);
	free(f->node);
	free(f);
}

/* Pushes node g's next event of kind `what` after a draw from d (stream w of its pool);
 * none past the horizon, where it could not fire. Returns 0, -1 on no memory. */
static int push_after(platform *p, uint32_t g, uint32_t what, const dist *d, int w)
{
	struct pf_faults *f = p->faults;
	double t = p->now + dist_sample(d, f->rng[f->node[g].pool][w]);
	if (t >= p->sc->horizon)
		return 0;
	return cal_push(&p->cal, t, EV_NODE | what << EV_KIND_BITS, g);
}

/* Pushes node g's event `what` at t; none at or past the horizon. Returns 0, -1. */
static int push_at(platform *p, uint32_t g, int what, double t)
{
	if (t >= p->sc->horizon)
		return 0;
	return cal_push(&p->cal, t, EV_NODE | (uint32_t)what << EV_KIND_BITS, g);
}

int faults_reset(platform *p)
{
	const scenario *sc = p->sc;
	struct pf_faults *f = p->faults;
	int rc = 0;
	for (int q = 0; q < sc->npools; q++)
		for (int w = 0; w < STREAM_FAULTS_PER_POOL && f->rng[q][w]; w++)
			rng_reseed(f->rng[q][w], sc->seed, (uint32_t)p->rep,
				   STREAM_FAULTS_BASE +
					   (uint32_t)(q * STREAM_FAULTS_PER_POOL + w));
	for (uint32_t g = 0; g < (uint32_t)f->nnodes; g++) {
		const pool_spec *ps = &sc->pools[f->node[g].pool];
		f->node[g].down = f->node[g].draining = 0;
		f->node[g].notice_at = NAN;
		if (ps->has_failures)
			rc |= push_after(p, g, NODE_FAIL, &ps->fail_gap, 0);
		if (ps->spot)
			rc |= push_after(p, g, NODE_NOTICE, &ps->reclaim, 2);
	}
	f->ndraining = 0;
	/* one event a window, for all its nodes: were they taken one event at a time, the
	 * schedule after each would restart the runs just stopped on the next ones */
	for (int q = 0; q < sc->npools; q++)
		for (int w = 0; w < sc->pools[q].nmaint; w++)
			rc |= push_at(p, (uint32_t)(f->base[q] + sc->pools[q].nodes - 1),
				      NODE_MAINT | w << NODE_KIND_BITS, sc->pools[q].maint[w].start);
	return rc;
}

/* The reloading job j's run began with: its class's restart if it resumes after a
 * failure or reclamation. */
static double restart_of(const platform *p, const job *j)
{
	return j->resumed ? p->sc->classes[j->cls].ckpt_restart : 0;
}

static ckpt_plan plan_of(const class_spec *c)
{
	return (ckpt_plan){c->ckpt_every, c->ckpt_cost, c->ckpt_restart};
}

double faults_run_wall(const platform *p, const job *j)
{
	ckpt_plan c = plan_of(&p->sc->classes[j->cls]);
	return ckpt_wall(&c, j->left, restart_of(p, j));
}

void faults_estimate(const platform *p, job *j)
{
	ckpt_plan c = plan_of(&p->sc->classes[j->cls]);
	/* the work its user expects, with the pauses it takes: exact for an exact estimate */
	j->estimate = ckpt_wall(&c, j->estimate, 0);
}

double faults_work_done(const platform *p, const job *j)
{
	ckpt_plan c = plan_of(&p->sc->classes[j->cls]);
	return ckpt_after(&c, p->now - j->start, restart_of(p, j)).work;
}

/* Adds v to field `off` of job j's GPU-time scopes (all, class, pool, tenant). */
static void book_gpu(platform *p, const job *j, size_t off, double v)
{
	int ids[4], n = money_scopes(p, j, 1, ids);
	for (int k = 0; k < n && v > 0; k++)
		*(double *)((char *)&p->acc[ids[k]] + off) += v;
}

static int on_node(const platform *p, const job *j, int n);

/* A run on a draining node ends: once its GPUs are given back (later in this event),
 * the node may be empty; NODE_EMPTIED looks at this instant. */
static void note_draining(platform *p, const job *j)
{
	struct pf_faults *f = p->faults;
	for (int n = 0; n < p->sc->pools[j->pool].nodes; n++) {
		uint32_t g = (uint32_t)(f->base[j->pool] + n);
		if (f->node[g].draining && on_node(p, j, n) &&
		    cal_push(&p->cal, p->now, EV_NODE | NODE_EMPTIED << EV_KIND_BITS, g))
			p->nomem = 1;
	}
}

/* The checkpoint pauses of job j's run up to `until`, and the reloading it began with
 * (lost) up to then, in the measured time. Booked for every run, as its GPU-hours are
 * (bill), whether the job arrived in the warm-up or not: goodput is their difference. */
void faults_run_end(platform *p, const job *j, double until)
{
	const scenario *sc = p->sc;
	if (p->faults->ndraining) /* the run's nodes may be empty once its GPUs are back */
		note_draining(p, j);
	ckpt_plan c = plan_of(&sc->classes[j->cls]);
	double gpus = (double)j->gpus_milli / SC_MILLI;
	double a = fmax(sc->warmup, j->start) - j->start, b = fmin(until, sc->horizon) - j->start;
	double r = restart_of(p, j);
	if (b > a && c.every > 0)
		book_gpu(p, j, offsetof(scope_acc, ckpt_gpu_seconds),
			 gpus * (ckpt_after(&c, b, r).pauses - ckpt_after(&c, a, r).pauses));
	if (r > 0) /* spent when it was, not when the failure that needed it came */
		book_gpu(p, j, offsetof(scope_acc, lost_gpu_seconds),
			 gpus * measured_overlap(sc, j->start, fmin(until, j->start + r)));
}

/* Is running job j on node n of its pool (its node, or one of its gang's)? */
static int on_node(const platform *p, const job *j, int n)
{
	if (!j->gang)
		return j->node == n;
	for (int i = 0, k = cluster_gang_nodes(&p->cl, j->pool, j->gpus_milli); i < k; i++)
		if (j->gang[i] == n)
			return 1;
	return 0;
}

/* Running job i stops: its node failed, or was reclaimed after a notice at notice_at
 * (NAN: none). A spot notice lets a checkpointing job save all its work so far if a
 * checkpoint fits in the notice (cloud providers' two minutes; AWS "spot instance
 * interruption notice"); what it does after that is lost. Lost too: everything since
 * its run's last completed checkpoint (or since its reloading, if none completed: that
 * is booked as lost by faults_run_end), a pause cut short included, and the reloading
 * its next run will begin with (booked when it is spent), so a failure costs (every +
 * cost) / 2 + restart on average (tests/test_failures.c). Each second of the run goes
 * to exactly one of kept work, checkpoint pauses and lost. Returns 0, -1 on no memory. */
static int interrupt(platform *p, uint32_t i, double notice_at, double notice)
{
	const scenario *sc = p->sc;
	job *j = &p->jobs.j[i];
	const class_spec *c = &sc->classes[j->cls];
	ckpt_plan pl = plan_of(c);
	double r = restart_of(p, j);
	ckpt_state st = ckpt_after(&pl, p->now - j->start, r);
	double gpus = (double)j->gpus_milli / SC_MILLI;
	int fails = c->on_failure == ON_FAILURE_FAIL;
	/* kept up to cut: the pauses of the checkpoints that completed, the reloading done */
	double cut = j->start + fmax(st.saved_at, fmin(p->now - j->start, r));
	if (fails) { /* all the run did is lost, saved or not, its pauses too */
		cut = j->start;
		faults_run_end(p, j, cut);
	} else if (pl.every > 0 && pl.cost <= notice && notice_at >= j->start + r) {
		st = ckpt_after(&pl, notice_at - j->start, r);
		st.saved = st.work;
		faults_run_end(p, j, notice_at); /* the regular pauses end here */
		cut = notice_at + pl.cost;       /* then the notice's checkpoint */
		book_gpu(p, j, offsetof(scope_acc, ckpt_gpu_seconds),
			 gpus * measured_overlap(sc, notice_at, cut));
	} else {
		faults_run_end(p, j, cut);
	}
	bill(p, j, p->now);
	book_gpu(p, j, offsetof(scope_acc, lost_gpu_seconds),
		 gpus * measured_overlap(sc, cut, p->now));
	if (j->counted) {
		int s[JOB_SCOPES_MAX], n = job_scopes(p, j, 1, s);
		for (int k = 0; k < n; k++) {
			p->acc[s[k]].interrupted++;
			p->acc[s[k]].failed += fails;
		}
	}
	if (fails) {
		if (p->sinks->jobs)
			books_write_job(p, i, p->now, "failed");
		give_gpus(p, j);
		jobs_release(&p->jobs, i);
		return 0;
	}
	give_gpus(p, j);
	j->left -= st.saved;
	j->resumed = 1;
	return back_to_queue(p, j, i);
}

/* Stops every run on node g (reclaimed after a notice at notice_at, NAN: none).
 * Returns 0, -1 on no memory. */
static int stop_runs(platform *p, uint32_t g, double notice_at)
{
	struct pf_faults *f = p->faults;
	int q = f->node[g].pool, n = (int)g - f->base[q];
	double notice = p->sc->pools[q].spot ? p->sc->pools[q].notice : 0;
	/* a walk over the job slots: failures are rare beside jobs, and no per-node list of
	 * runs has to be kept on the hot path */
	for (uint32_t i = 0; i < p->jobs.cap; i++) {
		const job *j = &p->jobs.j[i];
		if (j->state == JOB_RUNNING && j->pool == q && on_node(p, j, n) &&
		    interrupt(p, i, notice_at, notice))
			return -1;
	}
	return 0;
}

/* Node g leaves service for reason `why` (OUT_*; failed, reclaimed after a notice at
 * notice_at, or maintained): its runs stop, and its GPUs leave the pool until it is back.
 * A node already out only gains the reason. Returns 0, -1 on no memory. */
static int take_down(platform *p, uint32_t g, double notice_at, int why)
{
	struct pf_faults *f = p->faults;
	fnode *nd = &f->node[g];
	int q = nd->pool, n = (int)g - f->base[q];
	if (!nd->down && stop_runs(p, g, notice_at))
		return -1;
	if (nd->draining) { /* a drain ends (empty, at its deadline, cut short by a failure) */
		nd->draining = 0;
		f->ndraining--;
		why |= OUT_MAINT;
		if (push_at(p, g, NODE_MAINT_END,
			    p->now + p->sc->pools[q].maint[nd->window].duration))
			return -1;
	}
	if (!nd->down) {
		cluster_set_down(&p->cl, q, n, 1);
		p->powered_milli -= (long long)p->cl.pools[q].gpn * SC_MILLI;
		nd->down_since = p->now;
	}
	nd->down |= (unsigned char)why;
	return 0;
}

/* Adds secs of node g's time out of service to scope a; a spot node's GPUs are not paid
 * for meanwhile. */
static void book_down_in(const platform *p, uint32_t g, scope_acc *a, double secs)
{
	const pool_spec *ps = &p->sc->pools[p->faults->node[g].pool];
	a->down_node_seconds += secs;
	a->down_gpu_seconds += secs * ps->gpus_per_node;
	if (ps->spot)
		a->spot_unpaid += secs * ps->gpus_per_node * ps->cost_per_gpu_hour / 3600;
}

/* Node g's time out of service, up to `until`, goes to the books of all, its pool and
 * the promotion windows it overlaps (whose cost and utilization leave it out too). */
static void book_down(platform *p, uint32_t g, double until)
{
	const scenario *sc = p->sc;
	struct pf_faults *f = p->faults;
	int q = f->node[g].pool, ids[2] = {0, p->pool_scope[q]};
	double since = f->node[g].down_since, secs = measured_overlap(sc, since, until);
	for (int k = 0; k < 2 - (ids[1] == 0); k++)
		book_down_in(p, g, &p->acc[ids[k]], secs);
	for (int w = 0; w < sc->nwindows; w++)
		book_down_in(p, g, &p->acc[scope_of_window(sc, w)],
			     window_overlap(sc, w, since, until));
}

/* Reason `why` for node g's absence is over: it is back once no other holds it. */
static void bring_up(platform *p, uint32_t g, int why)
{
	struct pf_faults *f = p->faults;
	int q = f->node[g].pool;
	FG_ASSERT(f->node[g].down & why);
	if ((f->node[g].down &= (unsigned char)~why))
		return;
	book_down(p, g, p->now);
	cluster_set_down(&p->cl, q, (int)g - f->base[q], 0);
	p->powered_milli += (long long)p->cl.pools[q].gpn * SC_MILLI;
}

/* Window w of node g's pool opens for node g. preempt: the node goes at once, its runs
 * interrupted as by a failure. drain: it takes no new work and goes when its runs are
 * over (on_emptied) or at start + duration (NODE_DEADLINE), whichever comes first. Either
 * way it is then out for the window's duration. Returns 0, -1 on no memory. */
static int maint_open(platform *p, uint32_t g, int w)
{
	struct pf_faults *f = p->faults;
	fnode *nd = &f->node[g];
	const struct maint_spec *m = &p->sc->pools[nd->pool].maint[w];
	int q = nd->pool, n = (int)g - f->base[q];
	if (m->drain && !nd->down) {
		cluster_cordon(&p->cl, q, n);
		nd->draining = 1;
		nd->window = (unsigned char)w;
		f->ndraining++;
		if (!cluster_cordon_empty(&p->cl, q, n))
			return push_at(p, g, NODE_DEADLINE, m->start + m->duration);
		return take_down(p, g, NAN, 0); /* idle: it goes at once */
	}
	if (take_down(p, g, NAN, OUT_MAINT))
		return -1;
	return push_at(p, g, NODE_MAINT_END, p->now + m->duration);
}

/* A failure or a reclamation in the measured time, counted in all and its pool. */
static void count(platform *p, int q, int reclaim)
{
	if (p->now < p->sc->warmup)
		return;
	int ids[2] = {0, p->pool_scope[q]};
	for (int k = 0; k < 2 - (ids[1] == 0); k++)
		*(reclaim ? &p->acc[ids[k]].reclaims : &p->acc[ids[k]].failures) += 1;
}

int faults_on_event(platform *p, uint32_t g, uint32_t what)
{
	struct pf_faults *f = p->faults;
	fnode *nd = &f->node[g];
	const pool_spec *ps = &p->sc->pools[nd->pool];
	int w = (int)(what >> NODE_KIND_BITS);
	FG_ASSERT(g < (uint32_t)f->nnodes);
	switch (what & ((1u << NODE_KIND_BITS) - 1)) {
	case NODE_FAIL: /* a node out of service for another reason fails later */
		if (nd->down)
			return push_after(p, g, NODE_FAIL, &ps->fail_gap, 0);
		count(p, nd->pool, 0);
		return take_down(p, g, NAN, OUT_FAILED) ||
				       push_after(p, g, NODE_REPAIR, &ps->repair, 1)
			       ? -1
			       : 0;
	case NODE_REPAIR:
		bring_up(p, g, OUT_FAILED);
		return push_after(p, g, NODE_FAIL, &ps->fail_gap, 0);
	case NODE_MAINT: /* g is the pool's last node; the window takes the last `nodes` */
		for (int n = 0; n < ps->maint[w].nodes; n++)
			if (maint_open(p, g - (uint32_t)n, w))
				return -1;
		return 0;
	case NODE_EMPTIED: /* the drain is over when its last run has gone */
		if (!nd->draining ||
		    !cluster_cordon_empty(&p->cl, nd->pool, (int)g - f->base[nd->pool]))
			return 0;
		/* fall through */
	case NODE_DEADLINE:
		if (!nd->draining) /* it left empty, or failed, before */
			return 0;
		return take_down(p, g, NAN, 0);
	case NODE_MAINT_END: bring_up(p, g, OUT_MAINT); return 0;
	case NODE_NOTICE:
		if (nd->down)
			return push_after(p, g, NODE_NOTICE, &ps->reclaim, 2);
		nd->notice_at = p->now;
		return p->now + ps->notice < p->sc->horizon
			       ? cal_push(&p->cal, p->now + ps->notice,
					  EV_NODE | NODE_RECLAIM << EV_KIND_BITS, g)
			       : 0;
	case NODE_RECLAIM: {
		double at = nd->notice_at;
		nd->notice_at = NAN;
		if (nd->down) /* it failed during the notice: the provider takes it another time */
			return push_after(p, g, NODE_NOTICE, &ps->reclaim, 2);
		count(p, nd->pool, 1);
		return take_down(p, g, at, OUT_RECLAIMED) ||
				       push_after(p, g, NODE_RETURN, &ps->spot_return, 3)
			       ? -1
			       : 0;
	}
	case NODE_RETURN:
		bring_up(p, g, OUT_RECLAIMED);
		return push_after(p, g, NODE_NOTICE, &ps->reclaim, 2);
	}
	FG_ASSERT(0);
	return 0;
}

void faults_close(platform *p)
{
	struct pf_faults *f = p->faults;
	f->ndraining = 0; /* the run is over: no more looking for emptied nodes */
	for (uint32_t g = 0; g < (uint32_t)f->nnodes; g++)
		if (f->node[g].down)
			book_down(p, g, p->sc->horizon);
	for (uint32_t i = 0; i < p->jobs.cap; i++) /* runs going on: their pauses so far */
		if (p->jobs.j[i].state == JOB_RUNNING)
			faults_run_end(p, &p->jobs.j[i], p->sc->horizon);
}
