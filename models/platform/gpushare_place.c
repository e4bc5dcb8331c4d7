/* gpushare_place.c - the GPU-sharing placements as fgp_placement tables (gpushare_place.h).
 * At every call the placement reads the cluster through fgp_api into a gs_cluster it
 * keeps (one gs_node per node of every pool, in pool order) and asks gs_choose, the
 * function the fill experiment uses, so a run and `fill` choose alike on the same
 * state. What a run adds: jobs leave (a node's state is read afresh, not kept by
 * gs_take), pools a job may not use and gangs of whole nodes. */
#include "gpushare_place.h"

#include "gpushare.h"

#include <gsl/gsl_rng.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct draw_state {
	const fgp_api *api;
	fgp_ctx *cx;
} draw_state;

typedef struct gsp {
	const fgp_api *api;
	int pl, npools;
	gs_cluster c;
	int *first;     /* per pool: the cluster index of its node 0; first[npools] = c.n */
	int *pool_of;   /* per cluster node: its pool */
	int *rank;      /* identity: ties go to the first node in pool order */
	unsigned char *allowed;
	/* CPU (memory) is a dimension of the scores only when every node has a limit; a
	 * node without one would otherwise look emptier than any other */
	int cpu_dim, mem_dim;
	gs_typical typ; /* fgd: the workload's task sizes */
	gsl_rng *rng;   /* gs_choose's draws, from api->uniform: the replication's stream */
	/* the measure (gsp_frag_*): nodes touched since the last read, and the sum of every
	 * node's fragmentation, kept node by node so a read costs the touched nodes alone */
	int *dirty, ndirty;
	unsigned char *is_dirty;
	double sum;
} gsp;

/* ---- a gsl_rng whose draws are fgp_api.uniform's, so `random` and uniform ties use
 * the replication's own stream (the same for any -j) ---- */
static void draw_set(void *st, unsigned long seed)
{
	(void)st, (void)seed;
}

static unsigned long draw_get(void *st)
{
	const draw_state *d = st;
	return (unsigned long)(d->api->uniform(d->cx) * 4294967296.0);
}

static double draw_get_double(void *st)
{
	const draw_state *d = st;
	return d->api->uniform(d->cx);
}

static const gsl_rng_type draw_type = {"fgp-uniform", 0xffffffffUL, 0, sizeof(draw_state), draw_set,
				       draw_get, draw_get_double};

static void gsp_free(void *self)
{
	gsp *g = self;
	if (!g)
		return;
	gs_cache_detach(&g->c);
	gs_typical_free(&g->typ);
	free(g->c.nodes);
	free(g->first);
	free(g->pool_of);
	free(g->rank);
	free(g->allowed);
	free(g->dirty);
	free(g->is_dirty);
	if (g->rng)
		gsl_rng_free(g->rng);
	free(g);
}

/* The pools of mask as a gs spec over models = pools: 0 when it allows them all. */
static uint32_t spec_of(const gsp *g, uint32_t pools)
{
	uint32_t all = g->npools >= 32 ? 0xffffffffu : (1u << g->npools) - 1;
	return (pools & all) == all ? 0 : pools & all;
}

/* fgd's typical tasks: the workload's shapes through fgp_api, as they come (a trace's
 * are already the most frequent covering 95%: cutting again would drop more). */
static int typical_of(gsp *g, fgp_ctx *cx)
{
	int n = g->api->nshapes(cx);
	gs_typical *t = &g->typ;
	t->pods = malloc(sizeof *t->pods * (size_t)(n > 0 ? n : 1));
	t->freq = malloc(sizeof *t->freq * (size_t)(n > 0 ? n : 1));
	if (!t->pods || !t->freq)
		return -1;
	for (int i = 0; i < n; i++) {
		fgp_shape s;
		g->api->shape(cx, i, &s);
		t->pods[i] = gs_pod_of(s.gpus_milli, g->cpu_dim ? s.cpu_milli : 0, 0, spec_of(g, s.pools));
		t->freq[i] = s.weight;
	}
	t->n = n;
	return 0;
}

static int gsp_init(void **self, const fgp_api *api, fgp_ctx *cx, int pl, char *err, size_t errlen)
{
	gsp *g = calloc(1, sizeof *g);
	if (!g)
		return -1;
	g->api = api;
	g->pl = pl;
	g->npools = api->npools(cx);
	g->cpu_dim = g->mem_dim = 1;
	if (!(g->first = malloc(sizeof *g->first * (size_t)(g->npools + 1))))
		goto fail;
	int n = 0;
	for (int q = 0; q < g->npools; q++) {
		fgp_pool fp;
		api->pool(cx, q, &fp);
		g->first[q] = n;
		n += fp.nodes;
	}
	g->first[g->npools] = n;
	g->c.n = n;
	size_t sz = (size_t)(n > 0 ? n : 1);
	g->c.nodes = calloc(sz, sizeof *g->c.nodes);
	g->pool_of = malloc(sz * sizeof *g->pool_of);
	g->rank = malloc(sz * sizeof *g->rank);
	g->allowed = calloc(sz, 1);
	g->rng = gsl_rng_alloc(&draw_type);
	if (!g->c.nodes || !g->pool_of || !g->rank || !g->allowed || !g->rng)
		goto fail;
	((draw_state *)g->rng->state)->api = api;
	g->c.nmodels = g->npools;
	for (int q = 0; q < g->npools; q++)
		for (int i = g->first[q]; i < g->first[q + 1]; i++) {
			fgp_node nd;
			api->node(cx, q, i - g->first[q], &nd);
			if (nd.gpus > GS_MAX_GPUS) {
				snprintf(err, errlen, "pool %d has nodes of %d GPUs; the GPU-sharing placements take "
					 "at most %d", q, nd.gpus, GS_MAX_GPUS);
				goto fail;
			}
			g->cpu_dim &= nd.cpu_milli >= 0;
			g->mem_dim &= nd.memory_mib >= 0;
			g->pool_of[i] = q;
			g->rank[i] = i;
			gs_node *x = &g->c.nodes[i];
			x->ngpu = nd.gpus;
			x->model = q;
			x->cpu_cap = nd.cpu_milli;
			x->mem_cap = nd.memory_mib;
			g->c.gpu_milli += (long long)nd.gpus * GS_MILLI;
		}
	for (int i = 0; i < n; i++) { /* a dimension off: nodes and tasks count none of it */
		gs_node *x = &g->c.nodes[i];
		x->cpu_cap = x->cpu_left = g->cpu_dim ? x->cpu_cap : 0;
		x->mem_cap = x->mem_left = g->mem_dim ? x->mem_cap : 0;
		for (int k = 0; k < x->ngpu; k++)
			x->gpu_left[k] = GS_MILLI;
	}
	g->c.rank = g->rank;
	g->c.allowed = g->allowed;
	if (pl == GS_FGD) {
		if (typical_of(g, cx))
			goto fail;
		/* the memo only saves time: without it the same choices, slower */
		(void)gs_cache_attach(&g->c, &g->typ);
	}
	*self = g;
	return 0;
fail:
	gsp_free(g);
	return -1;
}

/* Reads node i's free CPU, memory and GPUs; if it changed, its memo state and (fgd)
 * fragmentation again. */
static void refresh_node(gsp *g, fgp_ctx *cx, int i)
{
	const fgp_api *api = g->api;
	int q = g->pool_of[i], n = i - g->first[q], changed = 0;
	gs_node *x = &g->c.nodes[i];
	fgp_node nd;
	api->node(cx, q, n, &nd);
	int cpu = g->cpu_dim ? nd.cpu_free_milli : 0, mem = g->mem_dim ? nd.memory_free_mib : 0;
	changed |= cpu != x->cpu_left || mem != x->mem_left;
	x->cpu_left = cpu;
	x->mem_left = mem;
	for (int k = 0; k < x->ngpu; k++) {
		int f = api->gpu_free_milli(cx, q, n, k);
		changed |= f != x->gpu_left[k];
		x->gpu_left[k] = f;
	}
	if (changed)
		gs_node_update(&g->c, i, g->pl == GS_FGD ? &g->typ : NULL);
}

/* Every node read afresh */
static void refresh(gsp *g, fgp_ctx *cx)
{
	for (int i = 0; i < g->c.n; i++)
		refresh_node(g, cx, i);
}

/* gpu-clustering's tags: the kinds of the GPU jobs running on each node now (the fill
 * experiment's pods never leave, so there the tags only grow) */
static void affinities(gsp *g, fgp_ctx *cx)
{
	for (int i = 0; i < g->c.n; i++)
		g->c.nodes[i].affinity = 0;
	for (fgp_job_id j = g->api->next_running(cx, FGP_NONE); j != FGP_NONE;
	     j = g->api->next_running(cx, j)) {
		fgp_job jb;
		fgp_slot s;
		g->api->job(cx, j, &jb);
		if (jb.gpus_milli <= 0 || g->api->job_slot(cx, j, &s) || s.node < 0 || s.pool < 0 ||
		    s.pool >= g->npools)
			continue;
		int k = jb.gpus_milli / GS_MILLI;
		g->c.nodes[g->first[s.pool] + s.node].affinity |=
			jb.gpus_milli < GS_MILLI ? 1u : 1u << (k < 31 ? k : 31);
	}
}

/* A gang (more GPUs than a node has): whole nodes, as every built-in placement takes
 * them: the first pool the job may use with enough nodes free in every resource. */
static int place_gang(gsp *g, fgp_ctx *cx, int milli, uint32_t pools, fgp_slot *out)
{
	for (int q = 0; q < g->npools; q++) {
		fgp_pool fp;
		g->api->pool(cx, q, &fp);
		int whole = fp.gpus_per_node * GS_MILLI, free_nodes = 0;
		if (!(pools >> q & 1) || whole == 0 || milli <= whole || milli % whole)
			continue;
		for (int i = g->first[q]; i < g->first[q + 1]; i++) {
			const gs_node *x = &g->c.nodes[i];
			int all = x->ngpu == fp.gpus_per_node && x->cpu_left == x->cpu_cap &&
				  x->mem_left == x->mem_cap;
			for (int k = 0; all && k < x->ngpu; k++)
				all = x->gpu_left[k] == GS_MILLI;
			free_nodes += all;
		}
		if (free_nodes >= milli / whole) {
			*out = (fgp_slot){q, -1, -1};
			return 0;
		}
	}
	return 1;
}

static int gsp_place(void *self, fgp_ctx *cx, fgp_job_id j, fgp_slot *out)
{
	gsp *g = self;
	fgp_job jb;
	fgp_need need;
	g->api->job(cx, j, &jb);
	g->api->job_need(cx, j, &need);
	int milli = jb.gpus_milli;
	if (milli > GS_MILLI && milli % GS_MILLI) /* 1.5 GPUs: no pool runs it */
		return 1;
	refresh(g, cx);
	int node_most = 0;
	for (int i = 0; i < g->c.n; i++)
		if ((need.pools >> g->pool_of[i] & 1) && g->c.nodes[i].ngpu > node_most)
			node_most = g->c.nodes[i].ngpu;
	if (milli > node_most * GS_MILLI)
		return place_gang(g, cx, milli, need.pools, out);
	if (g->pl == GS_CLUSTERING)
		affinities(g, cx);
	for (int i = 0; i < g->c.n; i++) {
		int q = g->pool_of[i], ok = need.pools >> q & 1;
		if (ok && (!g->cpu_dim || !g->mem_dim)) { /* the dimension the scores leave out */
			fgp_node nd;
			g->api->node(cx, q, i - g->first[q], &nd);
			ok = (nd.cpu_free_milli < 0 || nd.cpu_free_milli >= need.cpu_milli) &&
			     (nd.memory_free_mib < 0 || nd.memory_free_mib >= need.memory_mib);
		}
		g->allowed[i] = (unsigned char)ok;
	}
	gs_pod p = gs_pod_of(milli, g->cpu_dim ? need.cpu_milli : 0, g->mem_dim ? need.memory_mib : 0, 0);
	int gpus[GS_MAX_GPUS];
	((draw_state *)g->rng->state)->cx = cx;
	int i = gs_choose(&g->c, g->pl, &p, g->pl == GS_FGD ? &g->typ : NULL, g->rng, gpus);
	if (i < 0)
		return 1;
	int q = g->pool_of[i];
	/* a fraction names its GPU; whole GPUs leave the choice to the cluster (the first
	 * fully free ones, as gs_choose's); a job of CPU alone names GPU 0, which it never
	 * takes from */
	*out = (fgp_slot){q, i - g->first[q], milli == 0 ? 0 : milli < GS_MILLI ? gpus[0] : -1};
	return 0;
}

/* ---- the paper's fragmentation of a run's cluster: an fgd placement's state, kept
 * up to date node by node (only the nodes the run says it touched are read again) ---- */

int gsp_frag_new(gsp **out, const fgp_api *api, fgp_ctx *cx)
{
	int limited = 0;
	*out = NULL;
	for (int q = 0; q < api->npools(cx); q++) {
		fgp_pool fp;
		api->pool(cx, q, &fp);
		for (int n = 0; n < fp.nodes; n++) {
			fgp_node nd;
			api->node(cx, q, n, &nd);
			if (nd.gpus > GS_MAX_GPUS) /* gs_node's limit: the measure does not apply */
				return 0;
			limited |= nd.cpu_milli >= 0 || nd.memory_mib >= 0;
		}
	}
	if (!limited)
		return 0;
	char err[160];
	void *self = NULL;
	if (gsp_init(&self, api, cx, GS_FGD, err, sizeof err))
		return -1;
	gsp *g = self;
	if (!(g->dirty = malloc(sizeof *g->dirty * (size_t)(g->c.n > 0 ? g->c.n : 1))) ||
	    !(g->is_dirty = calloc((size_t)(g->c.n > 0 ? g->c.n : 1), 1))) {
		gsp_free(g);
		return -1;
	}
	refresh(g, cx); /* burst nodes are off: nothing free */
	for (int i = 0; i < g->c.n; i++)
		g->sum += g->c.nodes[i].frag;
	*out = g;
	return 0;
}

void gsp_frag_free(gsp *g)
{
	gsp_free(g);
}

void gsp_frag_touch(gsp *g, int pool, int node)
{
	int i = g->first[pool] + node;
	if (!g->is_dirty[i]) {
		g->is_dirty[i] = 1;
		g->dirty[g->ndirty++] = i;
	}
}

int gsp_frag_touched(const gsp *g)
{
	return g->ndirty > 0;
}

double gsp_frag_gpus(gsp *g, fgp_ctx *cx)
{
	/* the sum kept by differences: in the order the nodes were touched, so the same
	 * run gives the same bits */
	for (int k = 0; k < g->ndirty; k++) {
		int i = g->dirty[k];
		g->sum -= g->c.nodes[i].frag;
		refresh_node(g, cx, i);
		g->sum += g->c.nodes[i].frag;
		g->is_dirty[i] = 0;
	}
	g->ndirty = 0;
	return g->sum > 0 ? g->sum / GS_MILLI : 0;
}

#define GSP_TABLE(id, fn, nm)                                                                       \
	static int fn(void **self, const fgp_api *api, fgp_ctx *cx, const fgp_param *params,        \
		      int nparams, char *err, size_t errlen)                                        \
	{                                                                                           \
		(void)params, (void)nparams;                                                        \
		return gsp_init(self, api, cx, id, err, errlen);                                    \
	}                                                                                           \
	static const fgp_placement tab_##fn = {FGP_ABI, nm, fn, gsp_free, gsp_place};

GSP_TABLE(GS_RANDOM, init_random, "random")
GSP_TABLE(GS_DOT, init_dot, "dot-product")
GSP_TABLE(GS_CLUSTERING, init_clustering, "gpu-clustering")
GSP_TABLE(GS_PACKING, init_packing, "gpu-packing")
GSP_TABLE(GS_BESTFIT, init_bestfit, "best-fit-multi")
GSP_TABLE(GS_FGD, init_fgd, "fgd")

const fgp_placement *gsp_table(int pl)
{
	static const fgp_placement *const t[GS_NPLACEMENTS] = {
		[GS_RANDOM] = &tab_init_random,	    [GS_DOT] = &tab_init_dot,
		[GS_CLUSTERING] = &tab_init_clustering, [GS_PACKING] = &tab_init_packing,
		[GS_BESTFIT] = &tab_init_bestfit,	    [GS_FGD] = &tab_init_fgd};
	return pl >= 0 && pl < GS_NPLACEMENTS ? t[pl] : NULL;
}
