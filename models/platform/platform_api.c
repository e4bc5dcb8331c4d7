/* platform_api.c - the platform's side of the plugin interface (fgsim_plugin.h): the
 * calls a policy or placement may make during a run (platform_plugin_api), each one
 * checked, and the platform's calls into them; a breach of the rules stops the run. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "platform_internal.h"

/* ---- the platform's calls into the plugins, checked ------------------------------ */

/* A policy's or placement plugin's breach of the rules: the run stops (exit 1) with a
 * message that names it and the simulated time. Returns -2. */
static int stop_run(platform *p, const fgp_ctx *cx, const char *fmt, ...)
{
	if (p->failed)
		return -2;
	char msg[320];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(p->err, sizeof p->err, "%s, replication %d, at t = %.10g s: %s", cx->who, p->rep, p->now, msg);
	p->failed = 1;
	return -2;
}

/* The message stop_run or a failed init (pf_plugins_reset) left, else "". */
const char *platform_error(const platform *p)
{
	return p->err;
}

static fgp_job_id checked_head(void *self, fgp_ctx *cx);

/* ---- a plugin's calls, marked for plugin_guard.h ---------------------------------- */
/* The table pops points to under a plugin policy: its own functions behind these, each
 * call marked (who, replication, time) so that a call that never returns, crashes or
 * calls exit() is reported with the plugin's name. A built-in policy is called
 * directly: it costs nothing. */

static int guarded_push(void *self, fgp_ctx *cx, fgp_job_id j)
{
	platform *p = cx->pf;
	const pg_site *g = pg_enter(p->slot, &p->psite[PG_PUSH]);
	int rc = p->plugin_ops->push(self, cx, j);
	pg_leave(p->slot, g);
	return rc;
}

static void guarded_remove(void *self, fgp_ctx *cx, fgp_job_id j, int started)
{
	platform *p = cx->pf;
	const pg_site *g = pg_enter(p->slot, &p->psite[PG_REMOVE]);
	p->plugin_ops->remove(self, cx, j, started);
	pg_leave(p->slot, g);
}

static int guarded_requeue(void *self, fgp_ctx *cx, fgp_job_id j)
{
	platform *p = cx->pf;
	const pg_site *g = pg_enter(p->slot, &p->psite[PG_REQUEUE]);
	int rc = p->plugin_ops->requeue(self, cx, j);
	pg_leave(p->slot, g);
	return rc;
}

static int guarded_schedule(void *self, fgp_ctx *cx)
{
	platform *p = cx->pf;
	const pg_site *g = pg_enter(p->slot, &p->psite[PG_SCHEDULE]);
	int rc = p->plugin_ops->schedule(self, cx);
	pg_leave(p->slot, g);
	return rc;
}

/* Frees the policy's and placement's state, a plugin's call marked (on the thread
 * that frees the platform, maybe not the one that ran it). */
void pf_plugins_free(platform *p)
{
	if (p->plugin_ops) {
		pg_slot *s = pg_thread_slot();
		const pg_site *g = pg_enter(s, &p->psite[PG_FREE]);
		p->plugin_ops->free(p->pself);
		pg_leave(s, g);
	} else if (p->pops) {
		p->pops->free(p->pself);
	}
	if (p->placer) {
		pg_slot *s = pg_thread_slot();
		const pg_site *g = pg_enter(s, &p->lsite[PG_FREE]);
		p->placer->free(p->placer_self);
		pg_leave(s, g);
	}
	p->pops = NULL;
	p->plugin_ops = NULL;
	p->placer = NULL;
}

/* Every call of the plugin `who`, as plugin_guard.h reports it. */
static void set_sites(platform *p, pg_site *sites, const char *who)
{
	for (int k = 0; k < PG_NCALLS; k++)
		sites[k] = (pg_site){who, k, &p->rep, &p->now};
}

/* The policy and placement of run pi, made afresh (per replication: no state leaks
 * from one to the next). Returns 0, -1 on no memory or a refusal (impossible after
 * the scenario's load made the same call, unless the plugin is not deterministic). */
int pf_plugins_reset(platform *p, int pi, int rep)
{
	const scenario *sc = p->sc;
	const policy_spec *spec = &sc->policies[pi];
	char err[256] = "";
	pf_plugins_free(p);
	p->watch = NULL;
	p->queued = 0;
	p->failed = 0;
	p->err[0] = 0;
	p->rep = rep;
	p->now = 0;
	p->cx.spec = spec;
	int plugin = spec->kind == POLICY_PLUGIN;
	if (plugin)
		snprintf(p->who, sizeof p->who, "policy \"%s\" (%s)", spec->label, spec->plugin_path);
	else
		snprintf(p->who, sizeof p->who, "policy \"%s\"", spec->label);
	p->cx.who = p->who;
	if (plugin || sc->place_plugin.plugin) {
		pg_arm(sc->plugin_timeout);
		p->slot = pg_thread_slot();
	}
	set_sites(p, p->psite, p->who);
	const fgp_policy *ops = policy_ops_of(spec);
	void *self = NULL;
	const pg_site *g = plugin ? pg_enter(p->slot, &p->psite[PG_INIT]) : NULL;
	int rc = ops->init(&self, &platform_plugin_api, &p->cx, spec->params, spec->nparams, err, sizeof err);
	if (plugin)
		pg_leave(p->slot, g);
	if (rc) {
		snprintf(p->err, sizeof p->err, "%s: init failed: %s", p->cx.who, err[0] ? err : "no memory");
		return -1;
	}
	p->pops = ops;
	if (plugin) {
		p->plugin_ops = ops;
		p->guard_ops = *ops;
		p->guard_ops.push = guarded_push;
		p->guard_ops.remove = guarded_remove;
		p->guard_ops.head = ops->head ? checked_head : NULL;
		p->guard_ops.requeue = ops->requeue ? guarded_requeue : NULL;
		p->guard_ops.schedule = ops->schedule ? guarded_schedule : NULL;
		p->pops = &p->guard_ops;
	}
	p->pself = self;
	p->preempts = (ops->flags & FGP_EVICT_FOR_HEAD) != 0;
	p->own_schedule = ops->schedule != NULL;
	p->head = plugin ? checked_head : ops->head;
	p->eager = p->preempts || p->own_schedule;
	/* Fragmentation is measured behind the policy's next job: a policy that schedules
	 * by itself without naming one (easy-backfill, most plugins) gets no figure. */
	p->frag_live = p->frag_on && ops->head;
	p->kill_at_estimate = spec->kill_at_estimate;
	p->watch = policy_watch_of(spec);
	/* Hand-offs skip the give-back-and-place path where nothing else could happen in
	 * it: a head policy whose head is pure (asked before the GPUs are back, and once
	 * more if no hand-off follows), no placement plugin, no quotas, burst nodes or
	 * balking, no evictions, no policy watching every start and end. */
	p->hand_off = (ops->flags & FGP_HEAD_PURE) && !p->eager && !sc->place_plugin.plugin && !p->extras &&
		      !p->watch && !p->no_hand_off;
	p->hand_offs = 0;
	const placement_spec *ps = &sc->place_plugin;
	if (ps->plugin) {
		snprintf(p->place_who, sizeof p->place_who, "placement \"%s\" (%s)", ps->name, ps->plugin_path);
		p->place_cx.who = p->place_who;
		set_sites(p, p->lsite, p->place_who);
		g = pg_enter(p->slot, &p->lsite[PG_INIT]);
		rc = ps->plugin->init(&self, &platform_plugin_api, &p->place_cx, ps->params, ps->nparams, err, sizeof err);
		pg_leave(p->slot, g);
		if (rc) {
			snprintf(p->err, sizeof p->err, "%s: init failed: %s", p->place_who, err[0] ? err : "no memory");
			return -1;
		}
		p->placer = ps->plugin;
		p->placer_self = self;
	}
	return 0;
}

static int is_waiting(const platform *p, fgp_job_id i)
{
	return i < p->jobs.cap && p->jobs.j[i].state == JOB_WAITING;
}

/* A placement plugin's choice, checked: a slot where the job does not fit stops the run. */
int pf_place_plugin(platform *p, uint32_t i, slot *s)
{
	const job *j = &p->jobs.j[i];
	fgp_slot out = {-1, -1, -1};
	if (p->failed)
		return -1;
	const pg_site *g = pg_enter(p->slot, &p->lsite[PG_PLACE]);
	int rc = p->placer->place(p->placer_self, &p->place_cx, i, &out);
	pg_leave(p->slot, g);
	if (rc || p->failed) /* it may have broken a rule inside (start from place) */
		return -1;
	*s = (slot){out.pool, out.node, out.gpu};
	if (!cluster_slot_fits(&p->cl, j->cls, j->gpus_milli, s))
		return stop_run(p, &p->place_cx, "placed job %u (%g GPUs) on pool %d, node %d, GPU %d, where it does not fit", i,
				(double)j->gpus_milli / SC_MILLI, out.pool, out.node, out.gpu),
		       -1;
	return 0;
}

/* A policy with its own schedule call: it starts jobs through api.start. */
int pf_schedule_plugin(platform *p)
{
	if (p->failed)
		return 0;
	if (p->pops->schedule(p->pself, &p->cx) && !p->failed)
		return -1; /* it says it ran out of memory */
	return 0;
}

/* A plugin's head, checked: a job that is not waiting stops the run. */
static fgp_job_id checked_head(void *self, fgp_ctx *cx)
{
	platform *p = cx->pf;
	if (p->failed)
		return FGP_NONE;
	const pg_site *g = pg_enter(p->slot, &p->psite[PG_HEAD]);
	fgp_job_id h = p->plugin_ops->head(self, cx);
	pg_leave(p->slot, g);
	if (h != FGP_NONE && !is_waiting(p, h)) {
		stop_run(p, cx, "head returned job %u, which is not waiting", h);
		return FGP_NONE;
	}
	return h;
}

/* ---- platform_plugin_api: what a policy or placement may ask --------------------- */

static int api_nclasses(const fgp_ctx *cx)
{
	return cx->sc->nclasses;
}

static const char *api_class_name(const fgp_ctx *cx, int k)
{
	return k >= 0 && k < cx->sc->nclasses ? cx->sc->classes[k].name : NULL;
}

static uint32_t api_ntenants(const fgp_ctx *cx)
{
	return (uint32_t)cx->sc->ntenants;
}

static const char *api_tenant_name(const fgp_ctx *cx, uint32_t t, char *buf, size_t len)
{
	if (t >= (uint32_t)cx->sc->ntenants) {
		snprintf(buf, len, "?");
		return buf;
	}
	return scenario_tenant_name(cx->sc, t, buf, len);
}

static int api_npools(const fgp_ctx *cx)
{
	return cx->sc->npools;
}

/* Pool q's nodes: during a run its burst nodes too (off, they have nothing free). */
static int api_nodes(const fgp_ctx *cx, int q)
{
	return cx->pf ? cx->pf->cl.pools[q].nodes : cx->sc->pools[q].nodes;
}

static void api_pool(const fgp_ctx *cx, int q, fgp_pool *out)
{
	memset(out, 0, sizeof *out);
	if (q < 0 || q >= cx->sc->npools)
		return;
	const pool_spec *ps = &cx->sc->pools[q];
	*out = (fgp_pool){ps->name, ps->gpu, api_nodes(cx, q), ps->gpus_per_node, 0, 0, 0, ps->cost_per_gpu_hour,
			  ps->price_per_gpu_hour};
	out->cap_milli = out->free_milli = scenario_pool_gpus(cx->sc, q) * SC_MILLI;
	out->max_node_free_milli = ps->gpus_per_node * SC_MILLI;
	if (cx->pf) {
		const pool_state *st = &cx->pf->cl.pools[q];
		out->cap_milli = st->cap_milli; /* powered GPUs */
		out->free_milli = st->cap_milli - st->busy_milli;
		out->max_node_free_milli = cluster_max_free(&cx->pf->cl, q);
	}
}

static int api_node_free_milli(const fgp_ctx *cx, int q, int n)
{
	if (q < 0 || q >= cx->sc->npools || n < 0 || n >= api_nodes(cx, q))
		return 0;
	return cx->pf ? cx->pf->cl.pools[q].free_milli[n] : cx->sc->pools[q].gpus_per_node * SC_MILLI;
}

static int api_gpu_free_milli(const fgp_ctx *cx, int q, int n, int g)
{
	if (q < 0 || q >= cx->sc->npools || n < 0 || n >= api_nodes(cx, q) || g < 0 ||
	    g >= cx->sc->pools[q].gpus_per_node)
		return 0;
	return cx->pf ? cx->pf->cl.pools[q].gpu_free[n * cx->sc->pools[q].gpus_per_node + g] : SC_MILLI;
}

static double api_now(const fgp_ctx *cx)
{
	return cx->pf ? cx->pf->now : 0;
}

static void api_job(const fgp_ctx *cx, fgp_job_id i, fgp_job *out)
{
	const platform *p = cx->pf;
	if (!p || i >= p->jobs.cap || p->jobs.j[i].state == JOB_FREE) {
		*out = (fgp_job){0, 0, 0, 0, -1, 0, -1, 0, 0, 0, 0, -1};
		return;
	}
	const job *j = &p->jobs.j[i];
	int running = j->state == JOB_RUNNING;
	*out = (fgp_job){j->id,		 j->arrival, j->queued_since, j->estimate, running ? j->start : -1,
			 j->tenant,	 j->cls,     j->priority,     j->gpus_milli, running,
			 (int)j->runs, running ? j->pool : -1};
}

static fgp_job_id api_next_running(const fgp_ctx *cx, fgp_job_id after)
{
	const platform *p = cx->pf;
	if (!p)
		return FGP_NONE;
	for (uint32_t i = after == FGP_NONE ? 0 : after + 1; i < p->jobs.cap; i++)
		if (p->jobs.j[i].state == JOB_RUNNING)
			return i;
	return FGP_NONE;
}

/* A call a plugin made from where it would re-enter the platform half-way through a
 * step (start from place: place again, and so on until the stack overflows): refused,
 * and the run stops. start and preempt belong in schedule (a built-in policy's calls
 * are not marked: PG_NONE); fits asks the placement, so not from place. Returns 0 if
 * the call may go on, else -2 with the run stopped. */
static int refuse_reentry(platform *p, const fgp_ctx *cx, const char *what)
{
	int in = pg_current_call();
	int ok = what[0] == 'f' ? in != PG_PLACE : in == PG_NONE || in == PG_SCHEDULE;
	if (ok)
		return 0;
	if (what[0] == 'f')
		return stop_run(p, cx, "called fits from place(), which fgsim refuses: fits asks the placement, which would "
				       "call place() again");
	return stop_run(p, cx, "called %s from %s(), which fgsim refuses: %s belongs in a policy's schedule() (else it "
			       "would re-enter the step that called %s())",
			what, pg_call_name(in), what, pg_call_name(in));
}

static int api_fits(const fgp_ctx *cx, fgp_job_id i, fgp_slot *where)
{
	platform *p = cx->pf;
	slot s;
	if (!p || p->failed || refuse_reentry(p, cx, "fits"))
		return 0;
	if (!is_waiting(p, i) || pf_over_quota(p, i) || pf_place(p, i, &s))
		return 0;
	if (where)
		*where = (fgp_slot){s.pool, s.node, s.gpu};
	return 1;
}

static int api_start(fgp_ctx *cx, fgp_job_id i, const fgp_slot *where)
{
	platform *p = cx->pf;
	if (!p || p->failed)
		return -2;
	if (refuse_reentry(p, cx, "start"))
		return -2;
	if (!is_waiting(p, i))
		return stop_run(p, cx, "started job %u, which is not waiting", i);
	const job *j = &p->jobs.j[i];
	if (pf_over_quota(p, i)) { /* never placed: held until its tenant has room */
		pf_hold_over_quota(p, i);
		return 0;
	}
	slot s;
	if (where) {
		s = (slot){where->pool, where->node, where->gpu};
		if (!cluster_slot_fits(&p->cl, j->cls, j->gpus_milli, &s))
			return stop_run(p, cx, "started job %u (%g GPUs) on pool %d, node %d, GPU %d, where it does not fit", i,
					(double)j->gpus_milli / SC_MILLI, s.pool, s.node, s.gpu);
	} else if (pf_place(p, i, &s)) {
		return stop_run(p, cx, "started job %u (%g GPUs), which does not fit now", i, (double)j->gpus_milli / SC_MILLI);
	}
	return pf_begin(p, i, &s) ? -1 : 0;
}

static int api_preempt(fgp_ctx *cx, fgp_job_id i)
{
	platform *p = cx->pf;
	if (!p || p->failed)
		return -2;
	if (refuse_reentry(p, cx, "preempt"))
		return -2;
	if (i >= p->jobs.cap || p->jobs.j[i].state != JOB_RUNNING)
		return stop_run(p, cx, "preempted job %u, which is not running", i);
	if (!p->pops->requeue)
		return stop_run(p, cx, "preempted job %u but has no requeue operation to take it back", i);
	if (p->jobs.j[i].gang || p->jobs.j[i].gpu >= 0)
		return stop_run(p, cx, "preempted job %u, a gang or a fraction of a GPU, which fgsim does not preempt", i);
	return pf_preempt(p, i) ? -1 : 0;
}

static int api_hold(fgp_ctx *cx, double t)
{
	platform *p = cx->pf;
	if (!p || !(t > p->now) || t >= p->sc->horizon)
		return 0;
	return cal_push(&p->cal, t, EV_WAKE, 0);
}

static double api_uniform(fgp_ctx *cx)
{
	return cx->pf ? gsl_rng_uniform(cx->pf->policy_rng) : 0;
}

static void api_fail(fgp_ctx *cx, const char *msg)
{
	if (cx->pf)
		stop_run(cx->pf, cx, "%s", msg);
}

const fgp_api platform_plugin_api = {
	FGP_ABI,	 api_nclasses, api_class_name, api_ntenants, api_tenant_name,
	api_npools,	 api_pool,     api_node_free_milli, api_gpu_free_milli, api_now,	       api_job,	     api_next_running,
	api_fits,	 api_start,    api_preempt,    api_hold,     api_uniform,
	api_fail,
};
