/* test_gpushare.c - the GPU-sharing cluster and its six placements on small clusters
 * worked by hand (the scores are in the comments), FGD's fragmentation measure against
 * a hand computation, fit on CPU, memory and gpu_spec. */
#include "gpushare.h"
#include "gpushare_fixture.h"
#include "gpushare_read.h"
#include "rng.h"
#include "trace.h"
#include "test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static void test_fit(void)
{
	int l[2] = {1000, 300};
	gs_node n = node(4000, 8000, 0, 2, l);
	gs_pod p = pod(1000, 1000, 1, 500, 0);
	CHECK(gs_fits(&n, &p));
	p.cpu = 5000; /* CPU-bound */
	CHECK(!gs_fits(&n, &p));
	p = pod(1000, 9000, 1, 500, 0); /* memory-bound */
	CHECK(!gs_fits(&n, &p));
	p = pod(1000, 1000, 2, 1000, 0); /* two whole GPUs, one fully free */
	CHECK(!gs_fits(&n, &p));
	p = pod(1000, 1000, 1, 1000, 0);
	CHECK(gs_fits(&n, &p));
	p = pod(1000, 1000, 1, 500, 1u << 1); /* gpu_spec: model 1 only */
	CHECK(!gs_fits(&n, &p));
	p.spec = 1u << 0 | 1u << 1;
	CHECK(gs_fits(&n, &p));
	p = pod(4000, 8000, 0, 0, 1u << 1); /* CPU-only pod: spec does not matter */
	CHECK(gs_fits(&n, &p));
}

static void test_frag(void)
{
	/* node: GPUs free 1000 and 300, 4000 milli-CPU. Typical pods:
	 *  A shared 500, cpu 1000, p 0.5: fits; GPUs under 500: 300      -> 150
	 *  B one GPU, cpu 1000, p 0.3: fits; GPUs under 1000: 300        ->  90
	 *  C shared 200, cpu 8000, p 0.2: CPU short, all 1300 is fragment -> 260
	 *  total 500 */
	int l[2] = {1000, 300};
	gs_node n = node(4000, 8000, 0, 2, l);
	gs_pod tp[3] = {pod(1000, 0, 1, 500, 0), pod(1000, 0, 1, 1000, 0), pod(8000, 0, 1, 200, 0)};
	double fr[3] = {0.5, 0.3, 0.2};
	gs_typical t = {.pods = tp, .freq = fr, .n = 3};
	CHECK_NEAR(gs_node_frag(&n, &t), 500.0, 1e-9);
	tp[0].spec = 1u << 3; /* A may not run on model 0: all 1300 for it -> 650 + 90 + 260 */
	CHECK_NEAR(gs_node_frag(&n, &t), 1000.0, 1e-9);
	n.gpu_left[0] = n.gpu_left[1] = 0; /* nothing free: no fragment */
	CHECK_NEAR(gs_node_frag(&n, &t), 0.0, 1e-12);

	/* the typical pods of a list: shapes by count, frequencies that sum to one */
	gs_pod list[5] = {pod(1, 0, 1, 500, 0), pod(2, 0, 0, 0, 0), pod(1, 7, 1, 500, 0),
			  pod(1, 0, 1, 500, 0), pod(2, 0, 0, 0, 0)};
	gs_typical u;
	CHECK_INT(gs_typical_build(&u, list, 5), 0);
	CHECK_INT(u.n, 2); /* memory is not part of a shape */
	CHECK_NEAR(u.freq[0], 0.6, 1e-12);
	CHECK_INT(u.pods[0].gpu_milli, 500);
	CHECK_NEAR(u.freq[1], 0.4, 1e-12);
	gs_typical_free(&u);
}

/* n0: 8 free GPUs, 64000 CPU; n1: GPUs 1000 and 400 free, 32000 CPU, holding shared pods. */
static void two_nodes(gs_cluster *c, gs_node *nd, int model1)
{
	int l[2] = {1000, 400};
	nd[0] = node(64000, 262144, 0, 8, NULL);
	nd[1] = node(32000, 131072, model1, 2, l);
	nd[1].affinity = 1;
	memset(c, 0, sizeof *c);
	c->nodes = nd;
	c->n = 2;
	c->nmodels = 2;
	c->gpu_milli = 10000;
}

static int pick(const gs_cluster *c, int pl, const gs_pod *p, const gs_typical *t, int *gpu)
{
	gsl_rng *r = rng_stream(1, 0, 1);
	int gpus[GS_MAX_GPUS] = {-1};
	int n = gs_choose(c, pl, p, t, r, gpus);
	gsl_rng_free(r);
	*gpu = gpus[0];
	return n;
}

static void test_choices(void)
{
	gs_cluster c;
	gs_node nd[2];
	gs_pod tp = pod(1000, 0, 1, 500, 0);
	double one = 1;
	gs_typical t = {.pods = &tp, .freq = &one, .n = 1};
	gs_pod p = pod(1000, 1000, 1, 300, 0);
	int g;
	two_nodes(&c, nd, 0);
	for (int i = 0; i < 2; i++)
		nd[i].frag = gs_node_frag(&nd[i], &t);
	CHECK_NEAR(nd[1].frag, 400.0, 1e-9); /* 400 free on a GPU the 500 pod cannot use */
	/* gpu-packing: n0 idle, 33 - 8 = 25; n1 shares GPU 1 (400 free): 100 - 40/10 = 96 */
	CHECK_INT(pick(&c, GS_PACKING, &p, &t, &g), 1);
	CHECK_INT(g, 1);
	/* best-fit-multi: n0 0.5 x 63/128 + 0.5 x 7700/8000 = 0.73 -> 27; n1 0.19 -> 80 */
	CHECK_INT(pick(&c, GS_BESTFIT, &p, &t, &g), 1);
	CHECK_INT(g, 1);
	/* dot-product: n0 1 - (0.5 x 0.0078 + 1 x 0.0375) / 2 -> 97; n1 -> 99 */
	CHECK_INT(pick(&c, GS_DOT, &p, &t, &g), 1);
	/* gpu-clustering: n0 empty 0 + 25; n1 only shared pods: 25 x 6600 / 8000 + 75 = 95 */
	CHECK_INT(pick(&c, GS_CLUSTERING, &p, &t, &g), 1);
	/* fgd: n0 frag 0 -> 0 (50); n1 GPU 1: 400 -> 100, sigmoid(0.3) -> 57; GPU 0: 50 */
	CHECK_INT(pick(&c, GS_FGD, &p, &t, &g), 1);
	CHECK_INT(g, 1);
	/* a whole-GPU pod: FGD's n1 leaves 400 useless (frag 400 -> 400, 50) as n0 does
	 * (0 -> 0, 50): a tie; packing prefers the used node's free GPU (50 - 1 = 49) */
	gs_pod w = pod(1000, 1000, 1, 1000, 0);
	CHECK_INT(pick(&c, GS_PACKING, &w, &t, &g), 1);
	CHECK_INT(g, 0);

	/* CPU-bound n1: every placement, random included, must take n0 */
	nd[1].cpu_left = 500;
	for (int pl = 0; pl < GS_NPLACEMENTS; pl++)
		CHECK_INT(pick(&c, pl, &p, &t, &g), 0);
	/* memory-bound n1 */
	two_nodes(&c, nd, 0);
	nd[1].mem_left = 999;
	for (int pl = 0; pl < GS_NPLACEMENTS; pl++)
		CHECK_INT(pick(&c, pl, &p, &t, &g), 0);
	/* gpu_spec: the pod runs on model 1 only, which only n1 has */
	two_nodes(&c, nd, 1);
	gs_pod s = pod(1000, 1000, 1, 300, 1u << 1);
	for (int pl = 0; pl < GS_NPLACEMENTS; pl++)
		CHECK_INT(pick(&c, pl, &s, &t, &g), 1);
	s.spec = GS_SPEC_NONE; /* a model no node has: nowhere */
	CHECK_INT(pick(&c, GS_FGD, &s, &t, &g), -1);

	/* taking a pod updates CPU, memory, GPUs, tags and fragmentation */
	two_nodes(&c, nd, 0);
	int gpus[1] = {1};
	gs_take(&c, 1, &p, gpus, &t);
	CHECK_INT(nd[1].cpu_left, 31000);
	CHECK_INT(nd[1].mem_left, 131072 - 1000);
	CHECK_INT(nd[1].gpu_left[1], 100);
	CHECK_NEAR(nd[1].frag, 100.0, 1e-9);
}

/* ties are broken uniformly: two identical idle nodes are each chosen about half the time */
static void test_ties(void)
{
	gs_node nd[2] = {node(64000, 1000, 0, 4, NULL), node(64000, 1000, 0, 4, NULL)};
	gs_cluster c = {.nodes = nd, .n = 2, .gpu_milli = 8000};
	gs_pod p = pod(1000, 10, 1, 500, 0);
	gsl_rng *r = rng_stream(7, 0, 2);
	int hits = 0, gpus[GS_MAX_GPUS];
	for (int i = 0; i < 1000; i++)
		hits += gs_choose(&c, GS_PACKING, &p, NULL, r, gpus) == 1;
	gsl_rng_free(r);
	/* binomial(1000, 0.5): sd 15.8; 5 sd either side */
	CHECK(hits > 420 && hits < 580);
	/* with a tie order, the tie goes to the lower rank every time (the reference's
	 * smallest node name); random stays uniform */
	int rank[2] = {1, 0};
	c.rank = rank;
	r = rng_stream(7, 0, 2);
	hits = 0;
	for (int i = 0; i < 100; i++)
		hits += gs_choose(&c, GS_PACKING, &p, NULL, r, gpus) == 1;
	CHECK_INT(hits, 100);
	rank[0] = 0, rank[1] = 1;
	CHECK_INT(gs_choose(&c, GS_CLUSTERING, &p, NULL, r, gpus), 0);
	hits = 0;
	for (int i = 0; i < 1000; i++)
		hits += gs_choose(&c, GS_RANDOM, &p, NULL, r, gpus) == 1;
	CHECK(hits > 420 && hits < 580);
	gsl_rng_free(r);
	CHECK_INT(gs_placement_by_name("fgd"), GS_FGD);
	CHECK_INT(gs_placement_by_name("best-fit"), -1);
	CHECK_STR(gs_placement_name(GS_BESTFIT), "best-fit-multi");
}

/* the memo by node state changes nothing but the time: 40 nodes in four shapes filled
 * by 400 mixed pods, with and without it, make the same choices, GPUs and fragmentation */
static void fill_small(int memo, int pl, int *nodes, int *gpus, double *frag)
{
	gs_node nd[40];
	int l[8] = {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000};
	for (int i = 0; i < 40; i++)
		nd[i] = node(i % 2 ? 32000 : 64000, 65536, i % 3 == 0, 4 + 4 * (i % 2), l);
	gs_cluster c = {.nodes = nd, .n = 40, .nmodels = 2, .gpu_milli = 240000};
	gs_pod shapes[5] = {pod(4000, 100, 1, 500, 0), pod(8000, 100, 1, 250, 1u << 1),
			    pod(2000, 100, 1, 1000, 0), pod(16000, 100, 2, 1000, 0),
			    pod(1000, 100, 0, 0, 0)};
	gs_typical t;
	CHECK_INT(gs_typical_build(&t, shapes, 5), 0);
	if (memo)
		CHECK_INT(gs_cache_attach(&c, &t), 0);
	else
		for (int i = 0; i < 40; i++)
			nd[i].frag = gs_node_frag(&nd[i], &t);
	gsl_rng *r = rng_stream(3, 0, 2), *w = rng_stream(3, 0, 1);
	for (int j = 0; j < 400; j++) {
		const gs_pod *p = &shapes[gsl_rng_uniform_int(w, 5)];
		int g[GS_MAX_GPUS] = {-1};
		nodes[j] = gs_choose(&c, pl, p, &t, r, g);
		gpus[j] = g[0];
		if (nodes[j] >= 0)
			gs_take(&c, nodes[j], p, g, &t);
	}
	*frag = gs_cluster_frag(&c);
	gs_cache_detach(&c);
	CHECK(c.cache == NULL);
	gsl_rng_free(r);
	gsl_rng_free(w);
	gs_typical_free(&t);
}

static void test_memo(void)
{
	for (int pl = 0; pl < GS_NPLACEMENTS; pl++) {
		int n0[400], n1[400], g0[400], g1[400], same = 1, placed = 0;
		double f0, f1;
		fill_small(0, pl, n0, g0, &f0);
		fill_small(1, pl, n1, g1, &f1);
		for (int j = 0; j < 400; j++) {
			same &= n0[j] == n1[j] && g0[j] == g1[j];
			placed += n0[j] >= 0;
		}
		CHECK(same);
		CHECK(f0 == f1); /* the same double, not merely close */
		CHECK(placed > 50 && placed < 400); /* the cluster filled up: failures were seen */
	}
}

/* One node-list reader (trace_each_node) for fill and run: the same nodes, and the
 * same FILE:LINE message for a bad row; fill keeps CPU-only nodes, a run's pools not */
static void test_read_nodes(void)
{
	char path[] = "/tmp/test_gpushare_nodes_XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fputs("sn,cpu_milli,memory_mib,gpu,model\nn0,96000,393216,8,G2\n\nn1,64000,262144,2,P100\n"
	      "n2,32000,65536,0,\nn3,96000,393216,8,G2\n", f);
	fclose(f);
	gs_cluster c;
	char err[512], err2[512];
	CHECK_INT(gs_read_nodes(&c, path, err, sizeof err), 0);
	CHECK_INT(c.n, 4);
	CHECK_INT(c.nmodels, 2);
	CHECK_INT((int)c.gpu_milli, 18000);
	CHECK_INT(c.nodes[1].cpu_cap, 64000);
	CHECK_INT(c.nodes[2].ngpu, 0); /* the CPU-only node */
	CHECK_INT(c.nodes[2].mem_left, 65536);
	CHECK_INT(c.nodes[3].model, 0);
	free(c.nodes);
	trace_pool tp[4];
	trace_node_stats st;
	int np;
	CHECK_INT(trace_read_nodes(path, tp, 4, &np, &st, err, sizeof err), 0);
	CHECK_INT(np, 2);
	CHECK_INT((int)st.cpu_only, 1);
	f = fopen(path, "a");
	fputs("n4,96000,lots,8,G2\n", f);
	fclose(f);
	CHECK_INT(gs_read_nodes(&c, path, err, sizeof err), -1);
	CHECK_INT(trace_read_nodes(path, tp, 4, &np, NULL, err2, sizeof err2), -1);
	CHECK_STR(err, err2);
	CHECK(strstr(err, ":7: ") != NULL);
	remove(path);
}

int main(void)
{
	test_read_nodes();
	test_memo();
	test_fit();
	test_frag();
	test_choices();
	test_ties();
	return test_report("test_gpushare");
}
