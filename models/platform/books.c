/* books.c - the figures one replication accumulates (scope_acc, one per scope: all,
 * classes, pools, tenants, promotion windows), the jobs.csv rows, fragmentation, and
 * the closing of the books at the horizon. The per-job hot halves (waits, billing,
 * queue time) are inline in platform_steps.h; what is here runs once per job at most
 * on paths that are not every job's (abandonment, kills, balking, preemption) or once
 * per replication. */
#include <math.h>
#include <stdio.h>

#include "platform_steps.h"

void books_write_job(platform *p, uint32_t i, double end, const char *outcome)
{
	const job *j = &p->jobs.j[i];
	const scenario *sc = p->sc;
	int placed = j->state == JOB_RUNNING;
	char tenant[SC_NAME_MAX + 8];
	FG_ASSERT(p->sinks->jobs != NULL && j->state != JOB_FREE);
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

/* What a job that left unserved would have paid on its class's first pool at the
 * price of its arrival. */
double books_lost_revenue(const platform *p, const job *j)
{
	const scenario *sc = p->sc;
	const class_spec *c = &sc->classes[j->cls];
	return j->service * j->gpus_milli / SC_MILLI * sc->pools[c->pools[0]].price_per_gpu_hour / 3600 *
	       arrivals_price_factor(sc, j->arrival, j->cls);
}

void books_abandoned(platform *p, const job *j)
{
	if (!j->counted)
		return;
	double lost = books_lost_revenue(p, j);
	int s[JOB_SCOPES_MAX], n = job_scopes(p, j, 0, s);
	for (int k = 0; k < n; k++) {
		p->acc[s[k]].abandoned++;
		stat_sum_add(&p->acc[s[k]].patience_used, p->now - j->arrival);
		p->acc[s[k]].lost_revenue += lost;
	}
}

/* A run killed at its estimate counts as killed, not done: no response time or
 * slowdown, since it never finished. */
void books_killed(platform *p, const job *j)
{
	if (!j->counted)
		return;
	int s[JOB_SCOPES_MAX], n = job_scopes(p, j, 1, s);
	for (int k = 0; k < n; k++)
		p->acc[s[k]].killed++;
}

/* A job that balked counts as an arrival that left, with the revenue it would have
 * paid. */
void books_balked(platform *p, const job *j)
{
	if (!j->counted)
		return;
	double lost = books_lost_revenue(p, j);
	int s[JOB_SCOPES_MAX], n = job_scopes(p, j, 0, s);
	for (int k = 0; k < n; k++) {
		p->acc[s[k]].balked++;
		p->acc[s[k]].lost_revenue += lost;
	}
}

void books_preempted(platform *p, const job *j, int restart)
{
	if (!j->counted)
		return;
	int ids[JOB_SCOPES_MAX], n = job_scopes(p, j, 1, ids);
	for (int k = 0; k < n; k++) {
		p->acc[ids[k]].preemptions++;
		if (restart)
			p->acc[ids[k]].lost_gpu_seconds += measured_overlap(p->sc, j->start, p->now) * j->gpus_milli / SC_MILLI;
	}
}

/* The top-up goes to the scopes of the job's money and to the window it ends in (if
 * any): a minimum is paid when the run ends, whatever window it started in. */
void books_bill_minimum(platform *p, const job *j)
{
	double top_up = p->sc->pools[j->pool].minimum_billing - (p->now - j->start);
	if (top_up <= 0 || p->now < p->sc->warmup)
		return;
	double gpus = (double)j->gpus_milli / SC_MILLI;
	int ids[JOB_SCOPES_MAX], n = money_scopes(p, j, 1, ids), win[2];
	for (int w = 0, nw = promos_windows_at(p->sc, p->now, win); w < nw; w++) /* the windows it ends in */
		ids[n++] = scope_of_window(p->sc, win[w]);
	FG_ASSERT(n <= JOB_SCOPES_MAX);
	for (int i = 0; i < n; i++) {
		p->acc[ids[i]].revenue += j->bill_rate * top_up;
		p->acc[ids[i]].billed_gpu_seconds += top_up * gpus;
	}
}

/* ---- fragmentation and head-of-line blocking ------------------------------------- */

/* GPUs idle while a job that would fit in their total waits: when the policy's next
 * job (held jobs aside) waits, the free GPUs of the pools its class may use if they
 * add up to its size, else 0 (*frag). Head-of-line blocking: the head cannot start
 * now, yet a queued job of a smaller class would fit somewhere; *hol is then every
 * idle GPU of the platform (what the blocked queue leaves unused), else 0. Class sizes
 * tell "smaller": a trace's jobs have their own, so a trace gets no blocking figure. */
static void frag_value(platform *p, double *frag, double *hol)
{
	*frag = *hol = 0;
	uint32_t h = p->head(p->pself, &p->cx);
	if (h == JOB_NONE)
		return;
	const job *j = &p->jobs.j[h];
	long long free = 0;
	for (int i = 0; i < p->cl.norder[j->cls]; i++) {
		const pool_state *ps = &p->cl.pools[p->cl.order[j->cls][i]];
		free += ps->cap_milli - ps->busy_milli;
	}
	*frag = free >= j->gpus_milli ? (double)free / SC_MILLI : 0;
	const scenario *sc = p->sc;
	slot s;
	if (sc->trace || (free >= j->gpus_milli && !cluster_place(&p->cl, j->cls, j->gpus_milli, &s)))
		return; /* no class sizes, or the head fits (it is about to start, or is held) */
	for (int k = 0; k < sc->nclasses; k++) {
		int milli = sc->classes[k].gpus_milli;
		if (milli < j->gpus_milli && p->queued_k[k] > 0 && !cluster_full_for(&p->cl, k, milli) &&
		    !cluster_place(&p->cl, k, milli, &s)) {
			*hol = (double)(p->powered_milli - p->busy_milli) / SC_MILLI;
			return;
		}
	}
}

void books_frag_change(platform *p, double f, double hol, double until)
{
	const scenario *sc = p->sc;
	if (p->frag_now > 0 || p->hol_now > 0) {
		double in = measured_overlap(sc, p->frag_t, until);
		p->acc[0].frag_seconds += p->frag_now * in;
		p->acc[0].hol_seconds += p->hol_now > 0 ? in : 0;
		p->acc[0].hol_gpu_seconds += p->hol_now * in;
		for (int w = 0; w < sc->nwindows; w++) {
			scope_acc *a = &p->acc[scope_of_window(sc, w)];
			double win = window_overlap(sc, w, p->frag_t, until);
			a->frag_seconds += p->frag_now * win;
			a->hol_seconds += p->hol_now > 0 ? win : 0;
			a->hol_gpu_seconds += p->hol_now * win;
		}
	}
	p->frag_now = f;
	p->hol_now = hol;
	p->frag_t = until;
}

/* Out of line (noinline): the loop's own test keeps the common case (empty queue or
 * no free GPU) to a few instructions. */
__attribute__((noinline)) void books_frag_note(platform *p)
{
	double f = 0, hol = 0;
	if (p->ft.frag_live && p->queued && p->busy_milli < p->powered_milli)
		frag_value(p, &f, &hol);
	/* with CPU or memory limits, GPUs may sit idle for want of CPU on their node, which
	 * a sum of free GPUs cannot see: the paper's measure, against the workload's shapes */
	if (p->gsf)
		f = gsp_frag_gpus(p->gsf, &p->place_cx);
	if (f != p->frag_now || hol != p->hol_now)
		books_frag_change(p, f, hol, p->now);
}

/* ---- closing ----------------------------------------------------------------------- */

/* Jobs still present at the horizon: billed up to it and counted as in the system. A
 * running job counts in its pool too (a waiting one has no pool): the pool was paid for
 * the GPU-hours it ran, and without it a pool whose jobs all outlast the horizon shows
 * revenue and no job. The pool's own accumulator takes it even where the pool's scope
 * is "all" (one pool), which has no pool-only count of its own. */
void books_close(platform *p)
{
	for (uint32_t i = 0; i < p->jobs.cap; i++) {
		job *j = &p->jobs.j[i];
		if (j->state == JOB_FREE)
			continue;
		if (j->state == JOB_RUNNING)
			bill(p, j, p->sc->horizon);
		else
			leave_queue(p, j, p->sc->horizon);
		if (p->sinks->jobs) /* no end yet: the row's end column is the horizon */
			books_write_job(p, i, p->sc->horizon, "in_system");
		if (j->counted) {
			int s[JOB_SCOPES_MAX], n = job_scopes(p, j, 0, s);
			for (int k = 0; k < n; k++)
				p->acc[s[k]].in_system_end_count++;
			if (j->state == JOB_RUNNING)
				p->acc[scope_of_pool(p->sc, j->pool)].in_system_end_count++;
		}
	}
}

/* The replication's figures for scope s from what it accumulated. */
static void fill_scope(const platform *p, int s, double *v)
{
	const scenario *sc = p->sc;
	const scope_acc *a = &p->acc[s];
	scope_kind kind = scope_kind_of(sc, s);
	double hours = (sc->horizon - sc->warmup) / 3600, cap_gpus = 0, cost_rate = 0, nodes = 0;
	if (kind == SCOPE_WINDOW) /* the measured time the window (all its occurrences) was on */
		hours = window_overlap(sc, s - scope_of_window(sc, 0), 0, sc->horizon) / 3600;
	for (int q = 0; q < sc->npools; q++)
		if (kind != SCOPE_POOL || s == scope_of_pool(sc, q)) {
			double gpus = (double)scenario_pool_gpus(sc, q);
			cap_gpus += gpus;
			cost_rate += gpus * sc->pools[q].cost_per_gpu_hour;
			nodes += sc->pools[q].nodes;
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
	if (p->ft.faults) /* nodes out of service are not capacity */
		v[M_utilization] = hours > 0 ? a->gpu_seconds / (cap_gpus * hours * 3600 + a->burst_up_gpu_seconds -
								  a->down_gpu_seconds) : NAN;
	v[M_gpu_hours] = a->gpu_seconds / 3600;
	v[M_billed_gpu_hours] = a->billed_gpu_seconds / 3600;
	v[M_preemptions] = a->preemptions;
	v[M_lost_gpu_hours] = a->lost_gpu_seconds / 3600;
	v[M_killed] = a->killed;
	v[M_kill_rate] = a->arrivals ? a->killed / a->arrivals : NAN;
	v[M_revenue] = a->revenue;
	v[M_cost] = cost_rate * hours + a->burst_cost - a->spot_unpaid;
	v[M_profit] = a->revenue - v[M_cost];
	v[M_lost_revenue] = a->lost_revenue;
	v[M_balked] = a->balked;
	v[M_balk_rate] = a->arrivals ? a->balked / a->arrivals : NAN;
	v[M_burst_gpu_hours] = a->burst_gpu_seconds / 3600;
	v[M_burst_cost] = a->burst_cost;
	v[M_burst_nodes_peak] = a->burst_nodes_peak;
	/* no figure where the policy names no head but fragmentation was possible; the
	 * paper's measure (gsf) needs no head */
	v[M_fragmentation_gpus] = hours > 0 && (p->pops->head || !p->ft.frag_on || p->gsf)
					  ? a->frag_seconds / (hours * 3600)
					  : NAN;
	/* blocking is measured where fragmentation is, and needs class sizes (frag_value);
	 * jobs of one size cannot block each other: 0 without measuring */
	int hol_known = hours > 0 && (!p->ft.frag_on || (p->pops->head && !sc->trace));
	v[M_hol_blocked_share] = hol_known ? a->hol_seconds / (hours * 3600) : NAN;
	v[M_hol_idle_gpu_hours] = hol_known ? a->hol_gpu_seconds / 3600 : NAN;
	v[M_burst_idle_gpu_hours] = (a->burst_up_gpu_seconds - a->burst_busy_gpu_seconds) / 3600;
	v[M_node_availability] = hours > 0 ? 1 - a->down_node_seconds / (nodes * hours * 3600) : NAN;
	v[M_failures] = a->failures;
	v[M_reclaims] = a->reclaims;
	v[M_interrupted] = a->interrupted;
	v[M_failed] = a->failed;
	v[M_checkpoint_gpu_hours] = a->ckpt_gpu_seconds / 3600;
	v[M_goodput_gpu_hours] = (a->gpu_seconds - a->lost_gpu_seconds - a->ckpt_gpu_seconds) / 3600;
	for (int m = 0; m < M_COUNT; m++)
		if (!metric_applies((metric_id)m, kind))
			v[m] = NAN;
}

/* Does scope s keep figures of its own, or is it "all" under another name (the one
 * class, the one pool)? */
static int own_scope(const platform *p, int s)
{
	const scenario *sc = p->sc;
	scope_kind kind = scope_kind_of(sc, s);
	return kind == SCOPE_ALL || kind == SCOPE_WINDOW || kind == SCOPE_TENANT ||
	       (kind == SCOPE_CLASS ? p->class_scope[s - 1]
				    : p->pool_scope[s - scope_of_pool(sc, 0)]);
}

const struct hist *platform_waits(const platform *p, int s)
{
	FG_ASSERT(s >= 0 && s < scope_count(p->sc));
	return p->acc[own_scope(p, s) ? s : 0].waits;
}

void books_fill(const platform *p, rep_metrics *out)
{
	const scenario *sc = p->sc;
	for (int s = 0; s < scope_count(sc); s++) {
		scope_kind kind = scope_kind_of(sc, s);
		int own = own_scope(p, s);
		fill_scope(p, own ? s : 0, out->v[s]);
		if (!own) { /* aliased to "all": its figures, restricted to the scope's metrics */
			for (int m = 0; m < M_COUNT; m++)
				if (!metric_applies((metric_id)m, kind))
					out->v[s][m] = NAN;
			if (kind == SCOPE_POOL) /* the running jobs alone, not the waiting ones */
				out->v[s][M_in_system_end] = p->acc[s].in_system_end_count;
		}
	}
	/* conservation, every replication: each counted arrival left one way or is still
	 * here (the one pool's own count of running jobs aside) */
	const scope_acc *a = &p->acc[0];
	FG_ASSERT(fabs(a->arrivals - a->done - a->abandoned - a->balked - a->killed - a->failed -
		       a->in_system_end_count) < 0.5);
	out->events = (double)p->events;
	out->jobs = (double)p->next_id;
}
