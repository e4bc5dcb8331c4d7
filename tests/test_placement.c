/* test_placement.c - placement strategies against brute force on random cluster
 * states: best-fit picks the node left with the least free capacity (earlier pool,
 * then lower node, on ties); cheapest tries pools by price; fastest, with the same
 * service time everywhere, keeps the class's own order. With CPU and memory (hand-worked
 * clusters): a node full on CPU or memory refuses a job its GPUs would take, fractions
 * still share a GPU, gpu_spec keeps a job to its models, a job of no GPU takes CPU and
 * memory alone, gangs take nodes free in every resource, and random takes and gives
 * conserve every counter (cluster_check) and repeat exactly. */
#include <string.h>
#include <unistd.h>
#include <gsl/gsl_rng.h>

#include "cluster.h"
#include "fixture.h"
#include "test.h"

static const char text[] =
	"run = { horizon = \"1d\"; };\n"
	"cluster = { pools = (\n"
	"  { name = \"a\"; nodes = 7; gpus_per_node = 8; price_per_gpu_hour = 3.0; },\n"
	"  { name = \"b\"; nodes = 40; gpus_per_node = 4; price_per_gpu_hour = 1.0; },\n"
	"  { name = \"c\"; nodes = 3; gpus_per_node = 8; price_per_gpu_hour = 2.0; } ); };\n"
	"workload = { arrivals = { rate = \"1/h\"; };\n"
	"  classes = ( { name = \"k\"; share = 1.0; gpus = 1; service = \"exponential(1h)\"; pools = [ \"a\", \"c\", \"b\" ]; } ); };\n"
	"policies = ( \"fcfs\" );\n"
	"placement = \"%s\";\n";

/* Brute force: the node with the smallest leftover of fully free GPUs, in class pool
 * order (whole-GPU jobs; fractions pack by their own rule, see test_cluster). */
static int brute_best(const cluster *c, const scenario *sc, int milli, int *pool, int *node)
{
	int best = -1;
	for (int i = 0; i < sc->classes[0].npools; i++) {
		int q = sc->classes[0].pools[i];
		for (int n = 0; n < c->pools[q].nodes; n++) {
			int left = c->pools[q].free_milli[n] - milli;
			if (left >= 0 && (best < 0 || left < best)) {
				best = left;
				*pool = q;
				*node = n;
			}
		}
	}
	return best < 0 ? -1 : 0;
}

static void test_best_fit(void)
{
	scenario sc;
	cluster c;
	if (fx_load(&sc, text, "best-fit") || cluster_init(&c, &sc))
		return (void)TEST_FAIL_("%s", "no cluster");
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	int mismatches = 0, placed = 0;
	for (int step = 0; step < 20000; step++) {
		/* random takes and gives keep the cluster in varied states */
		int q = (int)gsl_rng_uniform_int(r, 3), n = (int)gsl_rng_uniform_int(r, (unsigned long)c.pools[q].nodes);
		int amount = 1000 * (1 + (int)gsl_rng_uniform_int(r, 2)); /* whole GPUs */
		if (gsl_rng_uniform(r) < 0.5 && c.pools[q].free_milli[n] >= amount)
			cluster_adjust(&c, q, n, amount);
		else if (sc.pools[q].gpus_per_node * SC_MILLI - c.pools[q].free_milli[n] >= amount)
			cluster_adjust(&c, q, n, -amount);
		int need = 1000 * (1 + (int)gsl_rng_uniform_int(r, 4)), p2 = -1, n2 = -1;
		slot s1 = {-1, -1, -1};
		int rc1 = cluster_place(&c, 0, need, &s1), rc2 = brute_best(&c, &sc, need, &p2, &n2);
		placed += rc1 == 0;
		mismatches += rc1 != rc2 || (rc1 == 0 && (s1.pool != p2 || s1.node != n2));
	}
	fprintf(stderr, "best-fit: %d placements, %d differ from brute force\n", placed, mismatches);
	CHECK(placed > 1000);
	CHECK_INT(mismatches, 0);
	gsl_rng_free(r);
	cluster_destroy(&c);
	scenario_free(&sc);
}

/* The pool a one-GPU job lands on in an empty cluster. */
static int first_pool(const char *placement)
{
	scenario sc;
	cluster c;
	slot s = {-1, -1, -1};
	if (fx_load(&sc, text, placement) || cluster_init(&c, &sc))
		return -2;
	cluster_place(&c, 0, 1000, &s);
	cluster_destroy(&c);
	scenario_free(&sc);
	return s.pool;
}

/* Two pools of 3 nodes x 4 GPUs, 8 cores and 1000 MiB each (pool b's model "T4"). */
static const char res_text[] =
	"run = { horizon = \"1d\"; };\n"
	"cluster = { pools = (\n"
	"  { name = \"a\"; gpu = \"V100\"; nodes = 3; gpus_per_node = 4; cpus_per_node = 8;"
	" memory_per_node = 1000; burst = { max_nodes = 1; }; },\n"
	"  { name = \"b\"; gpu = \"T4\"; nodes = 3; gpus_per_node = 4; cpus_per_node = 8;"
	" memory_per_node = 1000; } ); };\n"
	"workload = { arrivals = { rate = \"1/h\"; };\n"
	"  classes = ( { name = \"k\"; gpus = 1; cpus = 6; service = \"exponential(1h)\"; } ); };\n"
	"policies = ( \"fcfs\" );\n"
	"placement = \"%s\";\n";

/* Places and takes a job; returns its slot (pool -1: it did not fit). */
static slot put(cluster *c, int milli, int cpu, int mem, uint32_t pools, int *gang)
{
	slot s;
	cl_need n = {cpu, mem, pools};
	if (cluster_place_need(c, 0, milli, &n, &s))
		return (slot){-1, -1, -1};
	cluster_take_need(c, &s, milli, &n, gang);
	return s;
}

static void test_cpu_memory(void)
{
	scenario sc;
	cluster c;
	int gang[4];
	if (fx_load(&sc, res_text, "first-fit") || cluster_init(&c, &sc))
		return (void)TEST_FAIL_("%s", "no cluster");
	CHECK_INT(c.multi, 1);
	CHECK(cluster_check(&c) == NULL);
	CHECK_INT(c.pools[0].res.cpu_free[3], 0); /* the burst node, off */
	/* CPU: node 0 keeps 3 free GPUs but 2 cores after a 6-core job, so the next goes to
	 * node 1, and a 6-core job of pool a only finds no node once all three are taken */
	slot s = put(&c, 1000, 6000, 0, 1, NULL);
	CHECK(s.pool == 0 && s.node == 0);
	s = put(&c, 1000, 6000, 0, 1, NULL);
	CHECK(s.pool == 0 && s.node == 1);
	s = put(&c, 1000, 6000, 0, 1, NULL);
	CHECK(s.pool == 0 && s.node == 2);
	s = put(&c, 1000, 6000, 0, 1, NULL);
	CHECK_INT(s.pool, -1); /* 9 GPUs free in pool a, no CPU */
	CHECK_INT((int)(c.pools[0].cap_milli - c.pools[0].busy_milli), 9000);
	s = put(&c, 1000, 2000, 0, 1, NULL); /* 2 cores still fit node 0 */
	CHECK(s.pool == 0 && s.node == 0);
	CHECK_INT((int)c.pools[0].res.cpu_busy, 20000);
	CHECK(cluster_check(&c) == NULL);
	/* memory alike, on pool b: 600 MiB then 600 MiB go to two nodes */
	s = put(&c, 1000, 0, 600, 2, NULL);
	CHECK(s.pool == 1 && s.node == 0);
	s = put(&c, 1000, 0, 600, 2, NULL);
	CHECK(s.pool == 1 && s.node == 1);
	CHECK_INT((int)c.pools[1].res.mem_busy, 1200);
	slot back = {1, 0, -1};
	cluster_give_need(&c, &back, 1000, &(cl_need){0, 600, 2}, NULL);
	s = put(&c, 1000, 0, 1000, 2, NULL); /* all of node 0's memory, free again */
	CHECK(s.pool == 1 && s.node == 0);
	CHECK(cluster_check(&c) == NULL);
	cluster_reset(&c, &sc);
	CHECK(cluster_check(&c) == NULL);
	CHECK_INT((int)c.pools[1].res.mem_busy, 0);

	/* Fractions share one GPU while the node has the CPU: two 3-core quarters on GPU 0
	 * of node 0; the third (2 cores left there) opens GPU 0 of node 1 */
	s = put(&c, 250, 3000, 0, 1, NULL);
	CHECK(s.node == 0 && s.gpu == 0);
	s = put(&c, 250, 3000, 0, 1, NULL);
	CHECK(s.node == 0 && s.gpu == 0);
	s = put(&c, 250, 3000, 0, 1, NULL);
	CHECK(s.node == 1 && s.gpu == 0);
	CHECK_INT(c.pools[0].gpu_free[0], 500);
	CHECK(cluster_check(&c) == NULL);
	cluster_reset(&c, &sc);

	/* gpu_spec: the pools of the listed models; a model the cluster lacks is left out */
	CHECK_INT((int)cluster_pools_of_spec(&sc, "T4"), 2);
	CHECK_INT((int)cluster_pools_of_spec(&sc, "V100|T4"), 3);
	CHECK_INT((int)cluster_pools_of_spec(&sc, "A100|T4"), 2);
	CHECK_INT((int)cluster_pools_of_spec(&sc, "A100"), 0);
	CHECK(cluster_pools_of_spec(&sc, "") == UINT32_MAX);
	s = put(&c, 1000, 0, 0, cluster_pools_of_spec(&sc, "T4"), NULL);
	CHECK_INT(s.pool, 1); /* pool a comes first in the class's order, but is not T4 */
	s = put(&c, 1000, 0, 0, cluster_pools_of_spec(&sc, "A100"), NULL);
	CHECK_INT(s.pool, -1);
	cluster_reset(&c, &sc);

	/* No GPU: CPU and memory alone, on a node (no GPU index); the GPUs stay free */
	s = put(&c, 0, 4000, 500, 1, NULL);
	CHECK(s.pool == 0 && s.node == 0 && s.gpu == -1);
	CHECK_INT((int)c.pools[0].busy_milli, 0);
	CHECK_INT(c.pools[0].free_milli[0], 4000);
	CHECK_INT((int)c.pools[0].res.cpu_busy, 4000);
	s = put(&c, 1000, 6000, 0, 1, NULL); /* 4 cores left on node 0 */
	CHECK(s.pool == 0 && s.node == 1);
	/* a gang of two whole nodes: pool a has one node free in every resource (node 2;
	 * node 0 holds the CPU job, node 1 a GPU job), so pool b gives its nodes 0 and 1 */
	s = put(&c, 8000, 0, 0, UINT32_MAX, gang);
	CHECK(s.pool == 1 && s.node == -1 && gang[0] == 0 && gang[1] == 1);
	CHECK_INT(c.pools[1].res.cpu_free[0], 0); /* a gang's node is taken whole */
	CHECK(cluster_check(&c) == NULL);
	cluster_give_need(&c, &s, 8000, &(cl_need){0, 0, UINT32_MAX}, gang);
	CHECK_INT(c.pools[1].res.cpu_free[0], 8000);
	CHECK_INT((int)c.pools[1].res.cpu_busy, 0);
	/* burst node: on, its CPU free; a job of no GPU never goes there */
	cluster_power(&c, 0, 3, 1);
	CHECK_INT(c.pools[0].res.cpu_free[3], 8000);
	CHECK(cluster_check(&c) == NULL);
	cluster_power(&c, 0, 3, 0);
	CHECK(cluster_check(&c) == NULL);
	/* a broken counter is caught */
	c.pools[0].res.cpu_busy++;
	CHECK(cluster_check(&c) != NULL);
	c.pools[0].res.cpu_busy--;
	c.pools[0].res.mem_free[1]--;
	CHECK(cluster_check(&c) != NULL);
	cluster_destroy(&c);
	scenario_free(&sc);
}

/* Random takes and gives of every kind with CPU and memory, under first-fit and
 * best-fit: every invariant holds after each step, all given back leaves every counter
 * at zero, and the same seed gives the same slots. Returns a hash of the slots. */
static unsigned long churn(const char *placement, unsigned long seed)
{
	scenario sc;
	cluster c;
	if (fx_load(&sc, res_text, placement) || cluster_init(&c, &sc))
		return (void)TEST_FAIL_("%s", "no cluster"), 0;
	enum { MAXJ = 64 };
	struct { slot s; int milli, gang[4]; cl_need n; } held[MAXJ];
	static const int sizes[] = {0, 250, 500, 1000, 2000, 4000, 8000};
	int nheld = 0, bad = 0;
	unsigned long hash = 5381;
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	gsl_rng_set(r, seed);
	for (int step = 0; step < 4000; step++) {
		if (nheld < MAXJ && gsl_rng_uniform(r) < 0.55) {
			int milli = sizes[gsl_rng_uniform_int(r, 7)];
			cl_need n = {(int)gsl_rng_uniform_int(r, 5) * 1000, (int)gsl_rng_uniform_int(r, 4) * 200,
				     gsl_rng_uniform(r) < 0.2 ? 2u : UINT32_MAX};
			slot s;
			if (!cluster_place_need(&c, 0, milli, &n, &s)) {
				held[nheld].s = s;
				held[nheld].milli = milli;
				held[nheld].n = n;
				cluster_take_need(&c, &s, milli, &n, held[nheld].gang);
				nheld++;
				hash = hash * 33 + (unsigned long)(s.pool * 1000 + s.node * 10 + s.gpu + 1);
			}
		} else if (nheld) {
			int i = (int)gsl_rng_uniform_int(r, (unsigned long)nheld);
			cluster_give_need(&c, &held[i].s, held[i].milli, &held[i].n, held[i].gang);
			held[i] = held[--nheld];
		}
		bad += cluster_check(&c) != NULL;
	}
	CHECK_INT(bad, 0);
	while (nheld) {
		nheld--;
		cluster_give_need(&c, &held[nheld].s, held[nheld].milli, &held[nheld].n, held[nheld].gang);
	}
	CHECK(cluster_check(&c) == NULL);
	for (int p = 0; p < 2; p++) {
		CHECK_INT((int)c.pools[p].busy_milli, 0);
		CHECK_INT((int)(c.pools[p].res.cpu_busy + c.pools[p].res.mem_busy), 0);
	}
	gsl_rng_free(r);
	cluster_destroy(&c);
	scenario_free(&sc);
	return hash;
}

/* A node list's CPU and memory, node by node: nodes of one size but other CPU are kinds
 * of their own, numbered after the larger sizes; a class asking for more than any node
 * has does not load. */
static void test_node_list(void)
{
	char path[] = "/tmp/fgsim-nodes-XXXXXX.csv";
	int fd = mkstemps(path, 4);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f)
		return (void)TEST_FAIL_("%s", "no temporary file");
	fputs("sn,cpu_milli,memory_mib,gpu,model\nn0,104000,524288,2,T4\nn1,96000,393216,4,T4\n"
	      "n2,8000,65536,2,T4\nn3,104000,524288,2,T4\n", f);
	fclose(f);
	static const char list[] =
		"run = { horizon = \"1d\"; };\n"
		"cluster = { nodes_file = \"%s\"; };\n"
		"workload = { arrivals = { rate = \"1/h\"; };\n"
		"  classes = ( { name = \"k\"; gpus = 1; cpus = %s; service = \"exponential(1h)\"; } ); };\n"
		"policies = ( \"fcfs\" );\n";
	scenario sc;
	cluster c;
	if (fx_load(&sc, list, path, "10") || cluster_init(&c, &sc)) {
		unlink(path);
		return (void)TEST_FAIL_("%s", "no cluster");
	}
	CHECK_INT(sc.pools[0].nres, 3);
	static const int cpu[] = {96000, 104000, 104000, 8000}, mem[] = {393216, 524288, 524288, 65536};
	for (int n = 0; n < 4; n++) {
		CHECK_INT(c.pools[0].res.cpu_cap[n], cpu[n]);
		CHECK_INT(c.pools[0].res.mem_cap[n], mem[n]);
	}
	CHECK_INT(c.pools[0].free_milli[3], 2000); /* the GPU sizes are as before */
	/* 10 cores: not on node 3 (8 cores), though its GPUs are free */
	static const int want[] = {0, 0, 1, 2, -1};
	for (int i = 0; i < 5; i++)
		CHECK_INT(put(&c, 2000, 10000, 0, UINT32_MAX, NULL).node, want[i]);
	CHECK_INT(c.pools[0].free_milli[3], 2000);
	cluster_destroy(&c);
	scenario_free(&sc);
	fprintf(stderr, "(a load error follows, as it should)\n");
	CHECK(fx_load(&sc, list, path, "105") != 0); /* no node has 105 cores */
	unlink(path);
}

int main(void)
{
	test_node_list();
	test_best_fit();
	test_cpu_memory();
	unsigned long h1 = churn("first-fit", 7), h2 = churn("best-fit", 7);
	CHECK(h1 != h2); /* the placements differ: the check sees two of them */
	CHECK(churn("first-fit", 7) == h1);
	CHECK(churn("best-fit", 7) == h2);
	CHECK_INT(first_pool("first-fit"), 0); /* the class lists a, c, b */
	CHECK_INT(first_pool("cheapest"), 1);  /* b costs 1.0 */
	CHECK_INT(first_pool("fastest"), 0);   /* equal service everywhere: the class's order */
	return test_report("test_placement");
}
