/* test_gpushare_place.c - the GPU-sharing placements of a run (gpushare_place.h) see the
 * cluster only through fgp_api. Here a mock of that API serves a gs_cluster's state, and
 * each placement's choice must be the fill experiment's (gs_choose, ties to the first
 * node) on the same state: the hand-worked clusters of test_gpushare.c, CPU-, memory- and
 * pool-bound nodes, and every state of a small cluster filled past capacity. */
#include "gpushare.h"
#include "gpushare_fixture.h"
#include "gpushare_place.h"
#include "rng.h"
#include "test.h"

#include <string.h>

/* The mock's world: nodes sorted by model, model = pool. The job being placed is id 0;
 * running jobs 1.. are one per tag of a node's affinity, so gpu-clustering can read the
 * tags back through next_running and job_slot. */
struct fgp_ctx {
	const gs_cluster *c;
	gs_pod pod;         /* job 0 */
	uint32_t pools;     /* job 0's pools */
	const gs_typical *t;
	gsl_rng *rng;
	int nolimit;        /* nodes report no CPU or memory limit */
};

static int first_of(const fgp_ctx *cx, int q)
{
	int i = 0;
	while (i < cx->c->n && cx->c->nodes[i].model < q)
		i++;
	return i;
}

static const gs_node *nd_of(const fgp_ctx *cx, int q, int n)
{
	int i = first_of(cx, q) + n;
	return i < cx->c->n && cx->c->nodes[i].model == q ? &cx->c->nodes[i] : NULL;
}

static int m_npools(const fgp_ctx *cx) { return cx->c->nmodels; }

static void m_pool(const fgp_ctx *cx, int q, fgp_pool *out)
{
	memset(out, 0, sizeof *out);
	for (int i = 0; i < cx->c->n; i++)
		if (cx->c->nodes[i].model == q) {
			out->nodes++;
			if (cx->c->nodes[i].ngpu > out->gpus_per_node)
				out->gpus_per_node = cx->c->nodes[i].ngpu;
		}
}

static void m_node(const fgp_ctx *cx, int q, int n, fgp_node *out)
{
	const gs_node *x = nd_of(cx, q, n);
	*out = (fgp_node){0, -1, -1, -1, -1};
	if (!x)
		return;
	out->gpus = x->ngpu;
	if (!cx->nolimit)
		*out = (fgp_node){x->ngpu, x->cpu_cap, x->cpu_left, x->mem_cap, x->mem_left};
}

static int m_gpu_free(const fgp_ctx *cx, int q, int n, int g)
{
	const gs_node *x = nd_of(cx, q, n);
	return x && g < x->ngpu ? x->gpu_left[g] : 0;
}

/* running job ids: 1 + node x 32 + tag bit */
static fgp_job_id m_next_running(const fgp_ctx *cx, fgp_job_id after)
{
	for (uint32_t id = after == FGP_NONE ? 1 : after + 1; id < 1 + (uint32_t)cx->c->n * 32; id++)
		if (cx->c->nodes[(id - 1) / 32].affinity >> ((id - 1) % 32) & 1)
			return id;
	return FGP_NONE;
}

static void m_job(const fgp_ctx *cx, fgp_job_id j, fgp_job *out)
{
	memset(out, 0, sizeof *out);
	if (j == 0) {
		out->gpus_milli = cx->pod.num_gpu * cx->pod.gpu_milli;
		return;
	}
	int bit = (int)((j - 1) % 32);
	out->gpus_milli = bit == 0 ? 500 : bit * 1000;
	out->running = 1;
}

static int m_job_slot(const fgp_ctx *cx, fgp_job_id j, fgp_slot *out)
{
	if (j == 0)
		return -1;
	int i = (int)((j - 1) / 32), q = cx->c->nodes[i].model;
	*out = (fgp_slot){q, i - first_of(cx, q), -1};
	return 0;
}

static void m_job_need(const fgp_ctx *cx, fgp_job_id j, fgp_need *out)
{
	(void)j;
	*out = (fgp_need){cx->pod.cpu, cx->pod.mem, cx->pools};
}

static double m_uniform(fgp_ctx *cx) { return gsl_rng_uniform(cx->rng); }

static int m_nshapes(const fgp_ctx *cx) { return cx->t ? cx->t->n : 0; }

static void m_shape(const fgp_ctx *cx, int i, fgp_shape *out)
{
	const gs_pod *p = &cx->t->pods[i];
	*out = (fgp_shape){p->num_gpu * p->gpu_milli, p->cpu, 0, p->spec ? p->spec : 0xffffffffu,
			   cx->t->freq[i]};
}

static const fgp_api mock = {
	.abi = FGP_ABI, .npools = m_npools, .pool = m_pool, .gpu_free_milli = m_gpu_free,
	.job = m_job, .next_running = m_next_running, .uniform = m_uniform, .job_need = m_job_need,
	.node = m_node, .job_slot = m_job_slot, .nshapes = m_nshapes, .shape = m_shape};

/* The run's placement pl on cluster c for pod p: the chosen node's index in c (-1 when
 * it declines) and its slot's GPU. */
static int run_choice(const gs_cluster *c, int pl, const gs_pod *p, uint32_t pools,
		      const gs_typical *t, int *gpu)
{
	fgp_ctx cx = {c, *p, pools, t, rng_stream(5, 1, 9), 0};
	const fgp_placement *tab = gsp_table(pl);
	void *self = NULL;
	char err[128];
	CHECK_INT(tab->init(&self, &mock, &cx, NULL, 0, err, sizeof err), 0);
	fgp_slot s = {-9, -9, -9};
	int rc = tab->place(self, &cx, 0, &s);
	tab->free(self);
	gsl_rng_free(cx.rng);
	*gpu = s.gpu;
	return rc ? -1 : first_of(&cx, s.pool) + s.node;
}

/* fill's choice on the same state: ties to the first node, the same draws */
static int fill_choice(const gs_cluster *c, int pl, const gs_pod *p, const gs_typical *t, int *gpus)
{
	gs_cluster x = *c;
	int rank[64];
	gpus[0] = -1;
	for (int i = 0; i < x.n; i++)
		rank[i] = i;
	x.rank = rank;
	x.cache = NULL;
	gs_node save[64];
	memcpy(save, c->nodes, sizeof *save * (size_t)c->n);
	if (t) /* gs_choose reads each node's frag as gs_take keeps it */
		for (int i = 0; i < x.n; i++)
			x.nodes[i].frag = gs_node_frag(&x.nodes[i], t);
	gsl_rng *r = rng_stream(5, 1, 9);
	int n = gs_choose(&x, pl, p, t, r, gpus);
	gsl_rng_free(r);
	memcpy(c->nodes, save, sizeof *save * (size_t)c->n);
	return n;
}

/* the run's and fill's choices agree for every placement; returns the run's node */
static int same_gpus(const gs_cluster *c, int pl, const gs_pod *p, const gs_typical *t, int *gpus)
{
	int g1;
	uint32_t pools = p->spec ? p->spec : 0xffffffffu;
	gs_pod q = *p;
	q.spec = 0; /* the run says it with the job's pools */
	int a = run_choice(c, pl, &q, pools, t, &g1), b = fill_choice(c, pl, p, t, gpus);
	CHECK_INT(a, b);
	if (a >= 0 && p->num_gpu == 1 && p->gpu_milli < GS_MILLI)
		CHECK_INT(g1, gpus[0]);
	return a;
}

static int same(const gs_cluster *c, int pl, const gs_pod *p, const gs_typical *t)
{
	int gpus[GS_MAX_GPUS];
	return same_gpus(c, pl, p, t, gpus);
}

/* test_gpushare.c's two nodes: an idle 8-GPU node and a 2-GPU node with a shared pod */
static void test_hand_worked(void)
{
	int l[2] = {1000, 400};
	gs_node nd[2] = {node(64000, 262144, 0, 8, NULL), node(32000, 131072, 0, 2, l)};
	nd[1].affinity = 1;
	gs_cluster c = {.nodes = nd, .n = 2, .nmodels = 1, .gpu_milli = 10000};
	gs_pod tp = pod(1000, 0, 1, 500, 0);
	double one = 1;
	gs_typical t = {.pods = &tp, .freq = &one, .n = 1};
	gs_pod p = pod(1000, 1000, 1, 300, 0), w = pod(1000, 1000, 1, 1000, 0);
	/* the hand-worked answers (test_gpushare.c): node 1, GPU 1, for all but random */
	for (int pl = 0; pl < GS_NPLACEMENTS; pl++) {
		int n = same(&c, pl, &p, &t);
		if (pl != GS_RANDOM)
			CHECK_INT(n, 1);
		same(&c, pl, &w, &t);
	}
	int g;
	CHECK_INT(run_choice(&c, GS_PACKING, &p, ~0u, &t, &g), 1);
	CHECK_INT(g, 1);
	nd[1].cpu_left = 500; /* CPU-bound node 1: everyone takes node 0 */
	for (int pl = 0; pl < GS_NPLACEMENTS; pl++)
		CHECK_INT(same(&c, pl, &p, &t), 0);
	nd[1].cpu_left = 32000;
	nd[1].mem_left = 999; /* memory-bound */
	for (int pl = 0; pl < GS_NPLACEMENTS; pl++)
		CHECK_INT(same(&c, pl, &p, &t), 0);
	/* gpu_spec: node 1 is the other model (pool 1), and the pod may run there only */
	nd[1].mem_left = 131072;
	nd[1].model = 1;
	c.nmodels = 2;
	gs_pod s = pod(1000, 1000, 1, 300, 1u << 1);
	for (int pl = 0; pl < GS_NPLACEMENTS; pl++)
		CHECK_INT(same(&c, pl, &s, &t), 1);
	/* nowhere: the run's placement declines (the job waits) */
	gs_pod big = pod(1000, 1000, 4, 1000, 1u << 1);
	for (int pl = 0; pl < GS_NPLACEMENTS; pl++)
		CHECK_INT(run_choice(&c, pl, &big, 1u << 1, &t, &g), -1);
}

/* A cluster without CPU or memory limits: a job's CPU does not keep it off a node */
static void test_no_limits(void)
{
	gs_node nd[2] = {node(0, 0, 0, 4, NULL), node(0, 0, 0, 4, NULL)};
	gs_cluster c = {.nodes = nd, .n = 2, .nmodels = 1, .gpu_milli = 8000};
	gs_pod p = pod(5000, 100, 1, 500, 0);
	fgp_ctx cx = {&c, p, ~0u, NULL, rng_stream(5, 1, 9), 1};
	const fgp_placement *tab = gsp_table(GS_BESTFIT);
	void *self = NULL;
	char err[128];
	CHECK_INT(tab->init(&self, &mock, &cx, NULL, 0, err, sizeof err), 0);
	fgp_slot s;
	CHECK_INT(tab->place(self, &cx, 0, &s), 0);
	CHECK_INT(s.node, 0);
	CHECK_INT(s.gpu, 0);
	tab->free(self);
	gsl_rng_free(cx.rng);
	CHECK(gsp_table(GS_NPLACEMENTS) == NULL);
	CHECK_STR(gsp_table(GS_FGD)->name, "fgd");
}

/* every state of 24 mixed nodes filled past capacity by 300 mixed pods, the run's choice
 * checked against fill's at each pod, then the pod taken where fill put it */
static void test_fill_states(void)
{
	for (int pl = 0; pl < GS_NPLACEMENTS; pl++) {
		gs_node nd[24];
		for (int i = 0; i < 24; i++)
			nd[i] = node(i % 2 ? 32000 : 64000, 65536, i >= 16, 4 + 4 * (i % 2), NULL);
		gs_cluster c = {.nodes = nd, .n = 24, .nmodels = 2, .gpu_milli = 144000};
		gs_pod shapes[5] = {pod(4000, 100, 1, 500, 0), pod(8000, 100, 1, 250, 1u << 1),
				    pod(2000, 100, 1, 1000, 0), pod(16000, 100, 2, 1000, 0),
				    pod(1000, 100, 0, 0, 0)};
		gs_typical t;
		CHECK_INT(gs_typical_build(&t, shapes, 5), 0);
		gsl_rng *w = rng_stream(3, 0, 1);
		int placed = 0;
		for (int j = 0; j < 300; j++) {
			const gs_pod *p = &shapes[gsl_rng_uniform_int(w, 5)];
			int g[GS_MAX_GPUS] = {-1};
			int n = same_gpus(&c, pl, p, &t, g);
			if (n < 0)
				continue;
			gs_take(&c, n, p, g, NULL);
			placed++;
		}
		CHECK(placed > 50 && placed < 300); /* it filled up: later pods failed */
		gsl_rng_free(w);
		gs_typical_free(&t);
	}
}

/* The paper's fragmentation of a run's cluster (gsp_frag_*), by hand: one typical task,
 * half a GPU and one core. An idle 8-GPU node leaves nothing it cannot use; a 2-GPU node
 * with 400 milli left on GPU 1 leaves those 400; short of CPU, all its 1,400 free. */
static void test_frag_measure(void)
{
	int l[2] = {1000, 400};
	gs_node nd[2] = {node(64000, 262144, 0, 8, NULL), node(32000, 131072, 0, 2, l)};
	gs_cluster c = {.nodes = nd, .n = 2, .nmodels = 1, .gpu_milli = 10000};
	gs_pod tp = pod(1000, 0, 1, 500, 0);
	double one = 1;
	gs_typical t = {.pods = &tp, .freq = &one, .n = 1};
	fgp_ctx cx = {&c, tp, ~0u, &t, NULL, 0};
	gsp *g = NULL;
	CHECK_INT(gsp_frag_new(&g, &mock, &cx), 0);
	CHECK(g != NULL);
	CHECK(!gsp_frag_touched(g));
	CHECK_NEAR(gsp_frag_gpus(g, &cx), 0.4, 1e-12);
	nd[1].cpu_left = 500; /* a job took CPU: GPU 0 is free, yet no typical task fits */
	CHECK_NEAR(gsp_frag_gpus(g, &cx), 0.4, 1e-12); /* untouched nodes are not read again */
	gsp_frag_touch(g, 0, 1);
	gsp_frag_touch(g, 0, 1);
	CHECK(gsp_frag_touched(g));
	CHECK_NEAR(gsp_frag_gpus(g, &cx), 1.4, 1e-12);
	CHECK(!gsp_frag_touched(g));
	nd[0].gpu_left[3] = 100; /* 100 milli left on one GPU of the idle node: fragment */
	gsp_frag_touch(g, 0, 0);
	CHECK_NEAR(gsp_frag_gpus(g, &cx), 1.5, 1e-12);
	gsp_frag_free(g);
	/* no node with a CPU or memory limit: the measure does not apply */
	cx.nolimit = 1;
	CHECK_INT(gsp_frag_new(&g, &mock, &cx), 0);
	CHECK(g == NULL);
	gsp_frag_free(NULL);
}

/* Kept node by node through a fill past capacity, the measure is every node's
 * gs_node_frag summed afresh */
static void test_frag_follows(void)
{
	gs_node nd[24];
	for (int i = 0; i < 24; i++)
		nd[i] = node(i % 2 ? 32000 : 64000, 65536, i >= 16, 4 + 4 * (i % 2), NULL);
	gs_cluster c = {.nodes = nd, .n = 24, .nmodels = 2, .gpu_milli = 144000};
	gs_pod shapes[4] = {pod(4000, 100, 1, 500, 0), pod(8000, 100, 1, 250, 1u << 1),
			    pod(2000, 100, 1, 1000, 0), pod(16000, 100, 2, 1000, 0)};
	gs_typical t;
	CHECK_INT(gs_typical_build(&t, shapes, 4), 0);
	fgp_ctx cx = {&c, shapes[0], ~0u, &t, NULL, 0};
	gsp *g = NULL;
	CHECK_INT(gsp_frag_new(&g, &mock, &cx), 0);
	gsl_rng *w = rng_stream(3, 0, 2);
	for (int j = 0; j < 200; j++) {
		const gs_pod *p = &shapes[gsl_rng_uniform_int(w, 4)];
		int gp[GS_MAX_GPUS];
		int n = gs_choose(&c, GS_RANDOM, p, NULL, w, gp);
		if (n >= 0) {
			gs_take(&c, n, p, gp, NULL);
			gsp_frag_touch(g, nd[n].model, n - (nd[n].model ? 16 : 0));
		}
		double want = 0;
		for (int i = 0; i < 24; i++)
			want += gs_node_frag(&nd[i], &t);
		CHECK_NEAR(gsp_frag_gpus(g, &cx), want / GS_MILLI, 1e-9);
	}
	gsl_rng_free(w);
	gsp_frag_free(g);
	gs_typical_free(&t);
}

int main(void)
{
	test_frag_measure();
	test_frag_follows();
	test_hand_worked();
	test_no_limits();
	test_fill_states();
	return test_report("test_gpushare_place");
}
