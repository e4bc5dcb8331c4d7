/* policy_backfill.c - EASY backfilling (Lifka 1995; Mu'alem & Feitelson 2001): jobs
 * start in arrival order; when the oldest job (the head) does not fit, it gets a
 * reservation, the earliest time enough GPUs free up by the running jobs' estimated
 * ends, and a later job may start now only if it cannot delay that: it ends by the
 * reservation by its own estimate, or it runs on GPUs the head will not need (another
 * pool or node, or what the head's node has to spare then). Estimates are the users'
 * (job.estimate, possibly wrong); with kill_at_estimate the platform kills a job at its
 * estimate, which makes the promise hold whatever the estimates. A built-in written
 * against the plugin interface's schedule call. */
#include <math.h>
#include <stdlib.h>

#include "cluster.h"
#include "policy.h"

int policy_backfill_setup(policy *p, const policy_spec *spec, const scenario *sc)
{
	(void)spec, (void)sc;
	return 0; /* one FIFO: level 0 */
}

static int bf_push(void *self, fgp_ctx *cx, fgp_job_id i)
{
	policy *p = self;
	jlist_push(&p->level[0], cx->jobs->j, i);
	p->len++;
	return 0;
}

static void bf_remove(void *self, fgp_ctx *cx, fgp_job_id i, int started)
{
	(void)started;
	policy *p = self;
	jlist_remove(&p->level[0], cx->jobs->j, i);
	p->len--;
}

/* A job's expected end: its start plus its estimate; one already past its estimate
 * (not killed) is expected to end at any moment. */
static double est_end(const job *j, double now)
{
	double e = j->start + j->estimate;
	return e > now ? e : now;
}

/* A running job and its expected end, sorted by (end, id): ties in arrival order. */
typedef struct ending {
	double end;
	uint64_t id;
	uint32_t i;
} ending; /* struct ending: policy.h keeps the scratch array */

static int by_end(const void *a, const void *b)
{
	const ending *x = a, *y = b;
	return x->end < y->end ? -1 : x->end > y->end ? 1 : x->id < y->id ? -1 : x->id > y->id;
}

static int grow(void **a, int *cap, int need, size_t size)
{
	if (need <= *cap)
		return 0;
	void *g = realloc(*a, (size_t)need * size);
	if (!g)
		return -1;
	*a = g;
	*cap = need;
	return 0;
}

/* The head's reservation. */
typedef struct reservation {
	double t;       /* when it can start, by the estimates; INFINITY if never found */
	int pool, node; /* where (node: for a job of whole GPUs on one node, else -1) */
	int spare;      /* what that node has beyond the head's need then, x 1000 */
} reservation;

/* Does a job of `milli` fit in the pool state free/gpu (nodes x gpn)? For a job on
 * one node, *node is where. */
static int fits_in(const int *free_, const int *gpu, int nodes, int gpn, int milli, int *node)
{
	int whole = gpn * SC_MILLI;
	if (milli < SC_MILLI) {
		for (int g = 0; g < nodes * gpn; g++)
			if (gpu[g] >= milli)
				return 1;
		return 0;
	}
	if (milli <= whole) {
		for (int n = 0; n < nodes; n++)
			if (free_[n] >= milli) {
				*node = n;
				return 1;
			}
		return 0;
	}
	int k = 0;
	for (int n = 0; n < nodes; n++)
		k += free_[n] == whole;
	return k >= milli / whole;
}

/* Works out when head h could start on each pool its class may use, replaying the
 * running jobs' estimated ends in order on a copy of the pool's free GPUs. Returns
 * 0 with *r the earliest, -1 on no memory. */
static int reserve(policy *p, const fgp_api *api, fgp_ctx *cx, uint32_t h, reservation *r)
{
	const scenario *sc = cx->sc;
	const job *J = cx->jobs->j;
	const class_spec *c = &sc->classes[J[h].cls];
	double now = api->now(cx);
	int milli = J[h].gpus_milli;
	uint32_t nrun = 0;
	ending *run = p->bf_run;
	for (uint32_t i = 0; i < cx->jobs->cap; i++)
		if (J[i].state == JOB_RUNNING) {
			if (nrun == p->bf_run_cap) {
				uint32_t cap = p->bf_run_cap ? 2 * p->bf_run_cap : 256;
				ending *g = realloc(run, cap * sizeof *g);
				if (!g)
					return -1;
				p->bf_run = run = g;
				p->bf_run_cap = cap;
			}
			run[nrun++] = (ending){est_end(&J[i], now), J[i].id, i};
		}
	qsort(run, nrun, sizeof *run, by_end);
	*r = (reservation){INFINITY, -1, -1, 0};
	for (int i = 0; i < c->npools; i++) {
		fgp_pool info;
		api->pool(cx, c->pools[i], &info); /* its nodes, burst nodes included */
		int q = c->pools[i], nodes = info.nodes, gpn = sc->pools[q].gpus_per_node, whole = gpn * SC_MILLI;
		if ((milli >= SC_MILLI && (milli % SC_MILLI || (milli > whole && (milli % whole || milli / whole > nodes)))))
			continue; /* it cannot run on this pool */
		if (grow((void **)&p->bf_free, &p->bf_free_cap, nodes, sizeof(int)) ||
		    grow((void **)&p->bf_gpu, &p->bf_gpu_cap, nodes * gpn, sizeof(int)))
			return -1;
		int *fr = p->bf_free, *gp = p->bf_gpu, node = -1;
		for (int n = 0; n < nodes; n++) {
			fr[n] = api->node_free_milli(cx, q, n);
			for (int g = 0; g < gpn; g++)
				gp[n * gpn + g] = api->gpu_free_milli(cx, q, n, g);
		}
		double t = now;
		int found = fits_in(fr, gp, nodes, gpn, milli, &node);
		for (uint32_t k = 0; k < nrun && !found && t < r->t; k++) {
			const job *j = &J[run[k].i];
			if (j->pool != q)
				continue;
			if (j->gang) { /* whole nodes */
				for (int g = 0; g < j->gpus_milli / whole; g++)
					fr[j->gang[g]] = whole;
			} else if (j->gpu >= 0) { /* a fraction: its GPU may become whole again */
				int g = j->node * gpn + j->gpu;
				gp[g] += j->gpus_milli;
				if (gp[g] == SC_MILLI)
					fr[j->node] += SC_MILLI;
			} else {
				fr[j->node] += j->gpus_milli;
			}
			t = run[k].end;
			found = fits_in(fr, gp, nodes, gpn, milli, &node);
		}
		if (found && t < r->t) {
			int on_node = milli >= SC_MILLI && milli <= whole;
			*r = (reservation){t, q, on_node ? node : -1, on_node ? fr[node] - milli : 0};
		}
	}
	return 0;
}

/* Starts jobs in arrival order while they fit; then backfills behind the head. */
static int bf_schedule(void *self, fgp_ctx *cx)
{
	policy *p = self;
	const fgp_api *api = &platform_plugin_api;
	job *J = cx->jobs->j;
	uint32_t h;
	while ((h = p->level[0].head) != JOB_NONE && api->fits(cx, h, NULL))
		if (api->start(cx, h, NULL))
			return -1;
	if (h == JOB_NONE || J[h].next == JOB_NONE)
		return 0;
	reservation r;
	if (reserve(p, api, cx, h, &r))
		return -1;
	double now = api->now(cx);
	for (uint32_t i = J[h].next, next; i != JOB_NONE; i = next) {
		next = J[i].next; /* start() unlinks i */
		fgp_slot s;
		if (!api->fits(cx, i, &s))
			continue;
		int ok = now + J[i].estimate <= r.t; /* done before the head needs the GPUs */
		if (!ok && s.pool != r.pool)
			ok = 1; /* another pool: the head does not need it */
		else if (!ok && r.node >= 0 && s.node >= 0 && s.node != r.node)
			ok = 1; /* another node of the head's pool */
		else if (!ok && r.node >= 0 && s.node == r.node) {
			int takes = J[i].gpus_milli < SC_MILLI ? SC_MILLI : J[i].gpus_milli; /* a fraction: a whole GPU, at worst */
			if (takes <= r.spare) {
				r.spare -= takes;
				ok = 1;
			}
		}
		if (ok && api->start(cx, i, &s))
			return -1;
	}
	return 0;
}

const fgp_policy policy_backfill_ops = {FGP_ABI, "easy-backfill", 0, policy_builtin_init, policy_builtin_free,
					bf_push, NULL, bf_remove, NULL, bf_schedule};
