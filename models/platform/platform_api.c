/* platform_api.c - what a policy or placement plugin may ask of the platform during
 * a run (platform_plugin_api, fgsim_plugin.h), each call checked: a breach of the rules
 * stops the run (pf_stop_run). The steps it takes (place, start, hold at the quota,
 * evict) are the event loop's own, from platform_steps.h, quota.c and preempt.c; this
 * file calls nothing in platform.c, which passes this table to the plugins' init. */
#include <stdio.h>
#include <string.h>

#include "platform_steps.h"

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
		return pf_stop_run(p, cx, "called fits from place(), which fgsim refuses: fits asks the placement, which would "
				       "call place() again");
	return pf_stop_run(p, cx, "called %s from %s(), which fgsim refuses: %s belongs in a policy's schedule() (else it "
			       "would re-enter the step that called %s())",
			what, pg_call_name(in), what, pg_call_name(in));
}

/* Would waiting job i take its tenant beyond the quota? 0 where there is none. */
static int job_over_quota(const platform *p, uint32_t i)
{
	return p->ft.quota && over_quota(p, &p->jobs.j[i]);
}

/* Where job i runs now by the scenario's placement: 0 with *s set, -1 if nowhere. */
static int place_job(platform *p, uint32_t i, slot *s)
{
	return place(p, i, p->jobs.j[i].cls, p->jobs.j[i].gpus_milli, s);
}

static int api_fits(const fgp_ctx *cx, fgp_job_id i, fgp_slot *where)
{
	platform *p = cx->pf;
	slot s;
	if (!p || p->failed || refuse_reentry(p, cx, "fits"))
		return 0;
	if (!pf_is_waiting(p, i) || job_over_quota(p, i) || place_job(p, i, &s))
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
	if (!pf_is_waiting(p, i))
		return pf_stop_run(p, cx, "started job %u, which is not waiting", i);
	const job *j = &p->jobs.j[i];
	if (job_over_quota(p, i)) { /* never placed: held until its tenant has room */
		quota_hold(p, i);
		return 0;
	}
	slot s;
	if (where) {
		s = (slot){where->pool, where->node, where->gpu};
		if (!cluster_slot_fits(&p->cl, j->cls, j->gpus_milli, &s))
			return pf_stop_run(p, cx, "started job %u (%g GPUs) on pool %d, node %d, GPU %d, where it does not fit", i,
					(double)j->gpus_milli / SC_MILLI, s.pool, s.node, s.gpu);
	} else if (place_job(p, i, &s)) {
		return pf_stop_run(p, cx, "started job %u (%g GPUs), which does not fit now", i, (double)j->gpus_milli / SC_MILLI);
	}
	FG_ASSERT(cluster_slot_fits(&p->cl, j->cls, j->gpus_milli, &s));
	return begin(p, i, &s, 1) ? -1 : 0;
}

static int api_preempt(fgp_ctx *cx, fgp_job_id i)
{
	platform *p = cx->pf;
	if (!p || p->failed)
		return -2;
	if (refuse_reentry(p, cx, "preempt"))
		return -2;
	if (i >= p->jobs.cap || p->jobs.j[i].state != JOB_RUNNING)
		return pf_stop_run(p, cx, "preempted job %u, which is not running", i);
	if (!p->pops->requeue)
		return pf_stop_run(p, cx, "preempted job %u but has no requeue operation to take it back", i);
	if (p->jobs.j[i].gang || p->jobs.j[i].gpu >= 0)
		return pf_stop_run(p, cx, "preempted job %u, a gang or a fraction of a GPU, which fgsim does not preempt", i);
	return preempt_evict(p, i) ? -1 : 0;
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
		pf_stop_run(cx->pf, cx, "%s", msg);
}

/* ---- ABI 2: what a multi-resource placement needs ------------------------------ */

/* The pools class k may use, as a bit mask. */
static uint32_t class_pools(const scenario *sc, int k)
{
	uint32_t m = 0;
	for (int i = 0; i < sc->classes[k].npools; i++)
		m |= 1u << sc->classes[k].pools[i];
	return m;
}

static void api_job_need(const fgp_ctx *cx, fgp_job_id i, fgp_need *out)
{
	const platform *p = cx->pf;
	*out = (fgp_need){0, 0, 0};
	if (!p || i >= p->jobs.cap || p->jobs.j[i].state == JOB_FREE)
		return;
	const job *j = &p->jobs.j[i];
	/* j->pools is all ones unless a trace pod's gpu_spec narrows it */
	*out = (fgp_need){(int)j->cpu_milli, (int)j->memory_mib, class_pools(cx->sc, j->cls) & j->pools};
}

/* GPUs of node n of pool q: a node list's pool numbers its sizes largest first; burst
 * nodes (after the pool's own) have gpus_per_node. */
static int node_gpus(const pool_spec *ps, int n)
{
	for (int i = 0; i < ps->nsizes; i++) {
		if (n < ps->size[i].nodes)
			return ps->size[i].gpus;
		n -= ps->size[i].nodes;
	}
	return ps->gpus_per_node;
}

/* CPU or memory of node n from the pool's spec (a node list's runs, else per node) */
static void spec_res(const pool_spec *ps, int n, int *cpu, int *mem)
{
	*cpu = ps->cpu_milli;
	*mem = ps->memory_mib;
	for (int i = 0; i < ps->nres; i++) {
		if (n < ps->res[i].nodes) {
			*cpu = ps->res[i].cpu_milli;
			*mem = ps->res[i].memory_mib;
			return;
		}
		n -= ps->res[i].nodes;
	}
}

static void api_node(const fgp_ctx *cx, int q, int n, fgp_node *out)
{
	*out = (fgp_node){0, -1, -1, -1, -1};
	if (q < 0 || q >= cx->sc->npools || n < 0 || n >= api_nodes(cx, q))
		return;
	const pool_spec *ps = &cx->sc->pools[q];
	int cpu, mem;
	out->gpus = node_gpus(ps, n);
	spec_res(ps, n, &cpu, &mem);
	const cl_res *r = cx->pf && cx->pf->cl.multi ? &cx->pf->cl.pools[q].res : NULL;
	if (r && r->cpu_free) { /* the run's own count (a node without a limit has none) */
		cpu = r->cpu_cap[n] == CL_UNLIMITED ? 0 : r->cpu_cap[n];
		mem = r->mem_cap[n] == CL_UNLIMITED ? 0 : r->mem_cap[n];
	}
	if (cpu > 0)
		out->cpu_milli = out->cpu_free_milli = cpu;
	if (mem > 0)
		out->memory_mib = out->memory_free_mib = mem;
	if (r && r->cpu_free) {
		if (cpu > 0)
			out->cpu_free_milli = r->cpu_free[n];
		if (mem > 0)
			out->memory_free_mib = r->mem_free[n];
	}
}

static int api_job_slot(const fgp_ctx *cx, fgp_job_id i, fgp_slot *out)
{
	const platform *p = cx->pf;
	if (!p || i >= p->jobs.cap || p->jobs.j[i].state != JOB_RUNNING)
		return -1;
	const job *j = &p->jobs.j[i];
	*out = (fgp_slot){j->pool, j->node, j->gpu};
	return 0;
}

/* A trace's shapes were gathered at load (scenario.shapes); a synthetic workload's are
 * its classes, weighed by their shares. */
static int api_nshapes(const fgp_ctx *cx)
{
	return cx->sc->trace ? cx->sc->nshapes : cx->sc->nclasses;
}

static void api_shape(const fgp_ctx *cx, int i, fgp_shape *out)
{
	const scenario *sc = cx->sc;
	*out = (fgp_shape){0, 0, 0, 0, 0};
	if (i < 0 || i >= api_nshapes(cx))
		return;
	if (sc->trace) {
		*out = sc->shapes[i];
		return;
	}
	const class_spec *k = &sc->classes[i];
	double total = 0;
	for (int c = 0; c < sc->nclasses; c++)
		total += sc->classes[c].share;
	*out = (fgp_shape){k->gpus_milli, k->cpu_milli, k->memory_mib, class_pools(sc, i),
			   total > 0 ? k->share / total : 0};
}

const fgp_api platform_plugin_api = {
	FGP_ABI,	 api_nclasses, api_class_name, api_ntenants, api_tenant_name,
	api_npools,	 api_pool,     api_node_free_milli, api_gpu_free_milli, api_now,	       api_job,	     api_next_running,
	api_fits,	 api_start,    api_preempt,    api_hold,     api_uniform,
	api_fail,	 api_job_need, api_node,	     api_job_slot, api_nshapes,  api_shape,
};
