/* burst.c - burst capacity and balking, the two features that read the expected wait
 * from the queued work (queued_work, kept under ft.track_work). Burst nodes are extra
 * nodes of a pool, requested when the pool's expected wait passes its threshold, paid
 * from the request, powered after a start-up delay and stopped after a cooldown idle.
 * Balking: an arriving job sees the posted wait and may leave at once. */
#include <math.h>

#include "platform_steps.h"

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

/* The index in p->burst of pool q's first burst node (they are numbered pool by pool). */
int burst_first(const platform *p, int q)
{
	int b = 0;
	for (int r = 0; r < q; r++)
		b += p->sc->pools[r].burst_max;
	return b;
}

void burst_reset(platform *p)
{
	const scenario *sc = p->sc;
	p->burst_paid_all = 0;
	p->burst_since_all = 0;
	for (int q = 0, b = 0; q < sc->npools; q++) {
		p->booting[q] = 0;
		p->burst_paid[q] = 0;
		p->burst_since[q] = 0;
		for (int n = 0; n < sc->pools[q].burst_max; n++, b++)
			p->burst[b] = (burst_node){.pool = q, .node = sc->pools[q].nodes + n, .state = BURST_OFF};
		p->burst_want[q] = 0;
	}
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
	for (int w = 0; w < sc->nwindows; w++) {
		scope_acc *a = &p->acc[scope_of_window(sc, w)];
		double wpaid = window_overlap(sc, w, bn->requested, until);
		double wup = bn->state == BURST_UP ? window_overlap(sc, w, bn->up_at, until) : 0;
		a->burst_gpu_seconds += wpaid * gpus;
		a->burst_up_gpu_seconds += wup * gpus;
		a->burst_cost += wpaid * gpus * rate;
	}
}

/* The peak of a count of burst nodes: `count` held over [from, until), so it goes to
 * the peak of each scope whose time that overlaps (scope `pool`, or all and the
 * promotion windows when pool is -1). A count held only before the warm-up ends, or
 * outside a window, is not that scope's. */
static void peak_piece(platform *p, int pool, int count, double from, double until)
{
	const scenario *sc = p->sc;
	if (!count)
		return;
	if (measured_overlap(sc, from, until) > 0) {
		scope_acc *a = &p->acc[pool < 0 ? 0 : p->pool_scope[pool]];
		a->burst_nodes_peak = fmax(a->burst_nodes_peak, count);
	}
	for (int w = 0; pool < 0 && w < sc->nwindows; w++)
		if (window_overlap(sc, w, from, until) > 0) {
			scope_acc *a = &p->acc[scope_of_window(sc, w)];
			a->burst_nodes_peak = fmax(a->burst_nodes_peak, count);
		}
}

/* Pool q's burst nodes paid for change by delta at `now` (a request, +1, or a stop,
 * -1; 0 at the horizon): the counts that held until then go to the peaks. */
static void paid_change(platform *p, int q, int delta, double now)
{
	if (p->pool_scope[q]) /* else the pool's scope is "all" (one pool), done below */
		peak_piece(p, q, p->burst_paid[q], p->burst_since[q], now);
	peak_piece(p, -1, p->burst_paid_all, p->burst_since_all, now);
	p->burst_paid[q] += delta;
	p->burst_paid_all += delta;
	p->burst_since[q] = p->burst_since_all = now;
	FG_ASSERT(p->burst_paid[q] >= 0 && p->burst_paid[q] <= p->sc->pools[q].burst_max);
}

/* Job j ran on burst nodes from its start to `until`: the GPU-seconds it used there go
 * to the books (all, its pool, the windows), so that what the burst nodes stood powered
 * without a job (burst_idle_gpu_hours) is their powered time less this. A gang counts
 * its share on each of its nodes that is a burst node. */
static void burst_busy(platform *p, const job *j, double until)
{
	const pool_state *ps = &p->cl.pools[j->pool];
	int one = j->node, n = j->gang ? cluster_gang_nodes(&p->cl, j->pool, j->gpus_milli) : 1, on = 0;
	const int *nodes = j->gang ? j->gang : &one;
	for (int i = 0; i < n; i++)
		on += nodes[i] >= ps->base_nodes;
	if (!on)
		return;
	const scenario *sc = p->sc;
	double gpus = (double)j->gpus_milli / SC_MILLI * on / n;
	double secs = measured_overlap(sc, j->start, until);
	p->acc[0].burst_busy_gpu_seconds += secs * gpus;
	if (p->pool_scope[j->pool])
		p->acc[p->pool_scope[j->pool]].burst_busy_gpu_seconds += secs * gpus;
	for (int w = 0; w < sc->nwindows; w++)
		p->acc[scope_of_window(sc, w)].burst_busy_gpu_seconds += window_overlap(sc, w, j->start, until) * gpus;
}

void burst_close(platform *p)
{
	for (uint32_t i = 0; i < p->jobs.cap; i++) /* runs still going at the horizon */
		if (p->jobs.j[i].state == JOB_RUNNING)
			burst_busy(p, &p->jobs.j[i], p->sc->horizon);
	for (int q = 0; q < p->sc->npools; q++) /* the counts held to the end */
		if (p->sc->pools[q].burst_max)
			paid_change(p, q, 0, p->sc->horizon);
	for (int b = 0; b < p->ft.nburst; b++)
		if (p->burst[b].state != BURST_OFF)
			burst_account(p, &p->burst[b], p->sc->horizon);
}

/* Burst node b fell idle now: it stops after the cooldown unless a job takes it first
 * (the timer carries the generation it was set for; a later one makes it stale). */
static void burst_idle(platform *p, int b)
{
	burst_node *bn = &p->burst[b];
	FG_ASSERT(b >= 0 && b < p->ft.nburst && bn->state == BURST_UP);
	bn->gen++;
	/* a pre-warmed node's cooldown starts when its window opens, not when it came up */
	double from = bn->hold > p->now ? bn->hold : p->now;
	if (cal_push(&p->cal, from + p->sc->pools[bn->pool].burst_cooldown,
		     EV_BURST_IDLE | (bn->gen & GEN_MASK) << EV_KIND_BITS, (uint32_t)b))
		p->nomem = 1;
}

void burst_on_end(platform *p, const job *j)
{
	const pool_state *ps = &p->cl.pools[j->pool];
	int one = j->node, n = j->gang ? cluster_gang_nodes(&p->cl, j->pool, j->gpus_milli) : 1;
	const int *nodes = j->gang ? j->gang : &one;
	burst_busy(p, j, p->now);
	for (int i = 0; i < n; i++)
		if (nodes[i] >= ps->base_nodes && cluster_node_idle(&p->cl, j->pool, nodes[i]))
			burst_idle(p, burst_first(p, j->pool) + nodes[i] - ps->base_nodes);
}

int burst_request(platform *p, int b, double hold)
{
	burst_node *bn = &p->burst[b];
	int q = bn->pool;
	FG_ASSERT(b >= 0 && b < p->ft.nburst && bn->state == BURST_OFF);
	bn->state = BURST_BOOTING;
	bn->requested = p->now;
	bn->hold = hold;
	paid_change(p, q, 1, p->now);
	p->booting[q]++;
	return cal_push(&p->cal, p->now + p->sc->pools[q].burst_startup, EV_BURST_UP, (uint32_t)b);
}

/* Every burst pool the class may use whose expected wait is over its threshold
 * requests nodes, one at a time, until the wait (counting booting nodes as capacity)
 * is under it or no node is left. A forecast pool asks its forecast instead. */
int burst_on_queue(platform *p, int k)
{
	const scenario *sc = p->sc;
	const class_spec *c = &sc->classes[k];
	for (int i = 0; i < c->npools; i++) {
		int q = c->pools[i];
		if (!sc->pools[q].burst_max || sc->pools[q].burst_forecast)
			continue;
		int b0 = burst_first(p, q);
		for (int b = b0; b < b0 + sc->pools[q].burst_max && pool_wait(p, q) > sc->pools[q].burst_threshold; b++)
			if (p->burst[b].state == BURST_OFF && burst_request(p, b, 0))
				return -1;
	}
	return 0;
}

/* Its GPUs join the pool, idle until a job takes them. */
void burst_on_up(platform *p, uint32_t b)
{
	burst_node *bn = &p->burst[b];
	FG_ASSERT(b < (uint32_t)p->ft.nburst && bn->state == BURST_BOOTING && p->booting[bn->pool] > 0);
	bn->state = BURST_UP;
	bn->up_at = p->now;
	p->booting[bn->pool]--;
	cluster_power(&p->cl, bn->pool, bn->node, 1);
	if (p->gsf)
		gsp_frag_touch(p->gsf, bn->pool, bn->node);
	p->powered_milli += p->sc->pools[bn->pool].gpus_per_node * SC_MILLI;
	burst_idle(p, (int)b);
}

/* It stops if it is still idle since then. */
void burst_on_idle(platform *p, uint32_t b, uint32_t gen)
{
	burst_node *bn = &p->burst[b];
	FG_ASSERT(b < (uint32_t)p->ft.nburst);
	if (bn->state != BURST_UP || (bn->gen & GEN_MASK) != gen || !cluster_node_idle(&p->cl, bn->pool, bn->node))
		return;
	if (p->burst_paid[bn->pool] <= p->burst_want[bn->pool]) { /* the forecast still wants it */
		burst_idle(p, (int)b);
		return;
	}
	burst_account(p, bn, p->now);
	paid_change(p, bn->pool, -1, p->now);
	cluster_power(&p->cl, bn->pool, bn->node, 0);
	if (p->gsf)
		gsp_frag_touch(p->gsf, bn->pool, bn->node);
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

int balk_try(platform *p, uint32_t i)
{
	const job *j = &p->jobs.j[i];
	if (!balks(p, j))
		return 0;
	books_balked(p, j);
	if (p->sinks->jobs)
		books_write_job(p, i, p->now, "balked");
	jobs_release(&p->jobs, i);
	return 1;
}
