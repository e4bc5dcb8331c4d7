/* plugins.c - the platform's calls into the policy and placement plugins (and the
 * built-in policies, through the same fgp_policy table): made afresh for each
 * replication, marked for plugin_guard.h, and checked; a breach of the rules stops the
 * run with a message. What a plugin may ask of the platform is platform_api.c's. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "platform_internal.h"

/* ---- the platform's calls into the plugins, checked ------------------------------ */

/* The run stops (exit 1) with a message that names the plugin and the simulated time;
 * only the first breach is reported (later calls return at once on p->failed). */
int pf_stop_run(platform *p, const fgp_ctx *cx, const char *fmt, ...)
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
int pf_plugins_reset(platform *p, int pi, int rep, const fgp_api *api)
{
	const scenario *sc = p->sc;
	const policy_spec *spec = &sc->policies[pi];
	char err[256] = "";
	pf_plugins_free(p);
	p->ft.watch = NULL; /* nothing watched until the policy is made */
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
	int rc = ops->init(&self, api, &p->cx, spec->params, spec->nparams, err, sizeof err);
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
	/* every flag the run's hot paths test, policy's and scenario's, in one place */
	pf_features(&p->ft, sc, pi, !p->no_hand_off);
	p->head = plugin ? checked_head : ops->head;
	p->hand_offs = 0;
	const placement_spec *ps = &sc->place_plugin;
	if (ps->plugin) {
		if (ps->plugin_path[0])
			snprintf(p->place_who, sizeof p->place_who, "placement \"%s\" (%s)", ps->name, ps->plugin_path);
		else /* a built-in through the same interface (gpushare_place.h) */
			snprintf(p->place_who, sizeof p->place_who, "placement \"%s\"", ps->name);
		p->place_cx.who = p->place_who;
		set_sites(p, p->lsite, p->place_who);
		g = pg_enter(p->slot, &p->lsite[PG_INIT]);
		rc = ps->plugin->init(&self, api, &p->place_cx, ps->params, ps->nparams, err, sizeof err);
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

int pf_is_waiting(const platform *p, fgp_job_id i)
{
	return i < p->jobs.cap && p->jobs.j[i].state == JOB_WAITING;
}

/* A placement plugin's choice, checked: a slot where the job does not fit stops the run. */
int pf_place_plugin(platform *p, uint32_t i, slot *s)
{
	const job *j = &p->jobs.j[i];
	fgp_slot out = {-1, -1, -1};
	FG_ASSERT(p->placer != NULL && i < p->jobs.cap);
	if (p->failed)
		return -1;
	const pg_site *g = pg_enter(p->slot, &p->lsite[PG_PLACE]);
	int rc = p->placer->place(p->placer_self, &p->place_cx, i, &out);
	pg_leave(p->slot, g);
	if (rc || p->failed) /* it may have broken a rule inside (start from place) */
		return -1;
	*s = (slot){out.pool, out.node, out.gpu};
	if (!cluster_slot_fits(&p->cl, j->cls, j->gpus_milli, s))
		return pf_stop_run(p, &p->place_cx, "placed job %u (%g GPUs) on pool %d, node %d, GPU %d, where it does not fit", i,
				(double)j->gpus_milli / SC_MILLI, out.pool, out.node, out.gpu),
		       -1;
	return 0;
}

/* A policy with its own schedule call: it starts jobs through api.start. */
int pf_schedule_plugin(platform *p)
{
	if (p->failed)
		return 0;
	FG_ASSERT(p->ft.own_schedule && p->pops->schedule != NULL);
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
	if (h != FGP_NONE && !pf_is_waiting(p, h)) {
		pf_stop_run(p, cx, "head returned job %u, which is not waiting", h);
		return FGP_NONE;
	}
	return h;
}

