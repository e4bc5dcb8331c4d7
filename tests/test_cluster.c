/* test_cluster.c - first fit against a brute-force reference: random takes and releases
 * of 250 milli up to a whole node, on pools of 1 to 1000 nodes with 1, 4 or 8 GPUs per
 * node, one pool at a time and several in a class's preference order. After every step
 * the free capacity of each node, the pool's busy total and its largest free node must
 * match the reference. */
#include <gsl/gsl_rng.h>
#include <stdlib.h>

#include "cluster.h"
#include "fixture.h"
#include "test.h"

static const int node_counts[] = {1, 5, 16, 17, 100, 1000};
static const int per_node[] = {1, 4, 8};
enum { NCOUNTS = 6, NPER = 3, NSINGLE = NCOUNTS * NPER };
static const int sizes[] = {250, 500, 750, 1000, 1000, 2000, 3000, 4000, 8000};
enum { NSIZES = 9 };

/* The reference: free capacity per node in plain arrays, searched from the start. */
typedef struct ref_cluster {
	int npools, nodes[SC_MAX_POOLS], gpn[SC_MAX_POOLS];
	int *free[SC_MAX_POOLS];
	long long busy[SC_MAX_POOLS];
} ref_cluster;

static void ref_init(ref_cluster *R, const scenario *sc)
{
	R->npools = sc->npools;
	for (int p = 0; p < sc->npools; p++) {
		R->nodes[p] = sc->pools[p].nodes;
		R->gpn[p] = sc->pools[p].gpus_per_node;
		R->free[p] = malloc((size_t)R->nodes[p] * sizeof(int));
		for (int n = 0; n < R->nodes[p]; n++)
			R->free[p][n] = R->gpn[p] * SC_MILLI;
		R->busy[p] = 0;
	}
}

static void ref_free(ref_cluster *R)
{
	for (int p = 0; p < R->npools; p++)
		free(R->free[p]);
}

static int ref_first_fit(const ref_cluster *R, const class_spec *k, int milli, int *pool, int *node)
{
	for (int i = 0; i < k->npools; i++)
		for (int n = 0; n < R->nodes[k->pools[i]]; n++)
			if (R->free[k->pools[i]][n] >= milli) {
				*pool = k->pools[i];
				*node = n;
				return 0;
			}
	return -1;
}

typedef struct held {
	int pool, node, milli;
} held;

/* Mismatches between c and R, counted per kind so one broken step prints once. */
typedef struct tally {
	long fit, free_ne, range, pad, busy, max_free, steps, takes, releases, full_fails;
} tally;

/* Compares pool p of c with the reference. */
static void compare_pool(const cluster *c, const ref_cluster *R, int p, tally *T)
{
	const pool_state *ps = &c->pools[p];
	int cap = R->gpn[p] * SC_MILLI, max = 0;
	for (int n = 0; n < R->nodes[p]; n++) {
		T->free_ne += ps->free_milli[n] != R->free[p][n];
		T->range += ps->free_milli[n] < 0 || ps->free_milli[n] > cap;
		max = R->free[p][n] > max ? R->free[p][n] : max;
	}
	for (int n = R->nodes[p]; n < ps->blocks * CLUSTER_BLOCK; n++)
		T->pad += ps->free_milli[n] != 0;
	T->busy += ps->busy_milli != R->busy[p] || ps->cap_milli != (long long)cap * R->nodes[p];
	T->max_free += cluster_max_free(c, p) != max;
}

/* `steps` random operations with classes drawn from `classes`: a take of up to
 * max_milli (first fit, checked against the reference, then cluster_adjust) two times
 * in three, otherwise, or when nothing fits, a release of a random job held. Takes
 * outnumber releases, so the pools fill and then stay near full. */
static void run_sequence(cluster *c, ref_cluster *R, const class_spec *classes, int nclasses, int max_milli,
			 long steps, gsl_rng *r, tally *T)
{
	held *h = malloc((size_t)steps * sizeof *h);
	long nheld = 0;
	for (long s = 0; s < steps; s++) {
		T->steps++;
		int touched = -1;
		if (nheld == 0 || gsl_rng_uniform_int(r, 3) != 0) {
			const class_spec *k = &classes[gsl_rng_uniform_int(r, (unsigned long)nclasses)];
			int milli;
			do /* sizes up to a whole node of the largest kind in play */
				milli = sizes[gsl_rng_uniform_int(r, NSIZES)];
			while (milli > max_milli);
			int pool = -7, node = -7, rpool = -1, rnode = -1;
			int rc = cluster_first_fit(c, k, milli, &pool, &node);
			int want = ref_first_fit(R, k, milli, &rpool, &rnode);
			if (rc != want || (rc == 0 && (pool != rpool || node != rnode))) {
				if (!T->fit++)
					fprintf(stderr, "  step %ld: first fit of %d milli gave rc %d pool %d node %d, reference rc %d pool %d node %d\n",
						s, milli, rc, pool, node, want, rpool, rnode);
			}
			if (want == 0) {
				T->takes++;
				cluster_adjust(c, rpool, rnode, milli);
				R->free[rpool][rnode] -= milli;
				R->busy[rpool] += milli;
				h[nheld++] = (held){rpool, rnode, milli};
				touched = rpool;
			} else {
				T->full_fails++;
			}
		}
		if (touched < 0 && nheld > 0) {
			long i = (long)gsl_rng_uniform_int(r, (unsigned long)nheld);
			held x = h[i];
			h[i] = h[--nheld];
			T->releases++;
			cluster_adjust(c, x.pool, x.node, -x.milli);
			R->free[x.pool][x.node] += x.milli;
			R->busy[x.pool] -= x.milli;
			touched = x.pool;
		}
		if (touched >= 0)
			compare_pool(c, R, touched, T);
	}
	/* give everything back: every node must be whole again */
	while (nheld > 0) {
		held x = h[--nheld];
		cluster_adjust(c, x.pool, x.node, -x.milli);
		R->free[x.pool][x.node] += x.milli;
		R->busy[x.pool] -= x.milli;
	}
	for (int p = 0; p < R->npools; p++) {
		compare_pool(c, R, p, T);
		CHECK_INT(c->pools[p].busy_milli, 0);
		CHECK_INT(cluster_max_free(c, p), R->gpn[p] * SC_MILLI);
	}
	free(h);
}

static void check_tally(const char *what, const tally *T)
{
	fprintf(stderr, "  %s: %ld steps, %ld takes, %ld releases, %ld takes found no room\n", what, T->steps, T->takes,
		T->releases, T->full_fails);
	if (T->fit || T->free_ne || T->range || T->pad || T->busy || T->max_free)
		fprintf(stderr, "  %s: mismatches: fit %ld, free %ld, range %ld, padding %ld, busy %ld, max_free %ld\n",
			what, T->fit, T->free_ne, T->range, T->pad, T->busy, T->max_free);
	CHECK_INT(T->fit, 0);
	CHECK_INT(T->free_ne, 0);
	CHECK_INT(T->range, 0);
	CHECK_INT(T->pad, 0);
	CHECK_INT(T->busy, 0);
	CHECK_INT(T->max_free, 0);
	CHECK(T->full_fails > 0); /* the pools did fill up: first fit met full nodes */
}

/* A scenario with the given pools; class "all" may use every pool in file order (the
 * default), class "rev" lists them in reverse. */
static int load_pools(scenario *sc, const int *nodes, const int *gpn, int npools)
{
	char pools[4096] = "", rev[1024] = "";
	size_t at = 0, rat = 0;
	for (int p = 0; p < npools; p++) {
		at += (size_t)snprintf(pools + at, sizeof pools - at, "%s{ name = \"p%d\"; nodes = %d; gpus_per_node = %d; }",
				       p ? ", " : "", p, nodes[p], gpn[p]);
		rat += (size_t)snprintf(rev + rat, sizeof rev - rat, "%s\"p%d\"", p ? ", " : "", npools - 1 - p);
	}
	return fx_load(sc,
		       "run = { horizon = \"1d\"; };\n"
		       "cluster = { pools = ( %s ); };\n"
		       "workload = { arrivals = { rate = \"1/h\"; };\n"
		       "  classes = ( { name = \"all\"; share = 0.5; service = \"exponential(1h)\"; },\n"
		       "              { name = \"rev\"; share = 0.5; service = \"exponential(1h)\"; pools = [ %s ]; } ); };\n"
		       "policies = ( \"fcfs\" );\n",
		       pools, rev);
}

/* Every (nodes, gpus per node) pair as its own pool, exercised alone. */
static void test_single_pools(void)
{
	int nodes[NSINGLE], gpn[NSINGLE];
	for (int i = 0; i < NSINGLE; i++) {
		nodes[i] = node_counts[i / NPER];
		gpn[i] = per_node[i % NPER];
	}
	scenario sc;
	if (load_pools(&sc, nodes, gpn, NSINGLE)) {
		TEST_FAIL_("%s", "scenario with 18 pools does not load");
		return;
	}
	CHECK_INT(sc.npools, NSINGLE);
	CHECK_INT(sc.classes[0].npools, NSINGLE); /* default: every pool, in file order */
	cluster c;
	CHECK_INT(cluster_init(&c, &sc), 0);
	for (int p = 0; p < NSINGLE; p++) {
		CHECK_INT(c.pools[p].nodes, nodes[p]);
		CHECK_INT(c.pools[p].cap_milli, (long long)nodes[p] * gpn[p] * SC_MILLI);
		CHECK_INT(cluster_max_free(&c, p), gpn[p] * SC_MILLI);
	}
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	gsl_rng_set(r, 4242);
	ref_cluster R;
	ref_init(&R, &sc);
	for (int p = 0; p < NSINGLE; p++) {
		class_spec only = sc.classes[0]; /* the class, restricted to pool p */
		only.npools = 1;
		only.pools[0] = p;
		/* a net third of a take per step at a mean take of at most 1.2 GPUs per node GPU
		 * fills the pool in under 3 nodes x gpn steps; then as many again near full */
		long steps = 3000 + 6L * nodes[p] * gpn[p];
		tally T = {0};
		run_sequence(&c, &R, &only, 1, gpn[p] * SC_MILLI, steps, r, &T);
		char what[64];
		snprintf(what, sizeof what, "pool of %d nodes x %d GPUs", nodes[p], gpn[p]);
		check_tally(what, &T);
	}
	ref_free(&R);
	gsl_rng_free(r);
	cluster_destroy(&c);
	scenario_free(&sc);
}

/* Several pools: the first pool in the class's order with room wins, even when a later
 * one has a lower-numbered free node; classes with different orders interleave. */
static void test_pool_order(void)
{
	const int nodes[] = {5, 17, 1, 16, 100, 33}, gpn[] = {8, 4, 1, 8, 1, 8};
	scenario sc;
	if (load_pools(&sc, nodes, gpn, 6)) {
		TEST_FAIL_("%s", "scenario with 6 pools does not load");
		return;
	}
	CHECK_INT(sc.classes[1].npools, 6);
	CHECK_INT(sc.classes[1].pools[0], 5);
	CHECK_INT(sc.classes[1].pools[5], 0);
	class_spec classes[3] = {sc.classes[0], sc.classes[1], sc.classes[0]};
	classes[2].npools = 2; /* a subset in its own order: p3 before p1 */
	classes[2].pools[0] = 3;
	classes[2].pools[1] = 1;
	cluster c;
	CHECK_INT(cluster_init(&c, &sc), 0);

	/* by hand: a whole-node take of 8 GPUs goes to p0 node 0 for "all", p5 node 0 for
	 * "rev"; once p0 is full, "all" spills to p3 (p1 and p2 have no 8-GPU nodes) */
	int pool = -1, node = -1;
	CHECK_INT(cluster_first_fit(&c, &classes[0], 8000, &pool, &node), 0);
	CHECK_INT(pool, 0);
	CHECK_INT(node, 0);
	CHECK_INT(cluster_first_fit(&c, &classes[1], 8000, &pool, &node), 0);
	CHECK_INT(pool, 5);
	CHECK_INT(node, 0);
	for (int n = 0; n < 5; n++)
		cluster_adjust(&c, 0, n, 8000);
	CHECK_INT(cluster_first_fit(&c, &classes[0], 8000, &pool, &node), 0);
	CHECK_INT(pool, 3);
	CHECK_INT(node, 0);
	CHECK_INT(cluster_first_fit(&c, &classes[0], 250, &pool, &node), 0);
	CHECK_INT(pool, 1);
	CHECK_INT(node, 0);
	cluster_adjust(&c, 0, 3, -250); /* a quarter GPU back on p0 node 3 */
	CHECK_INT(cluster_first_fit(&c, &classes[0], 250, &pool, &node), 0);
	CHECK_INT(pool, 0);
	CHECK_INT(node, 3);
	CHECK_INT(cluster_first_fit(&c, &classes[0], 500, &pool, &node), 0);
	CHECK_INT(pool, 1);
	CHECK_INT(cluster_max_free(&c, 0), 250);

	cluster_reset(&c, &sc);
	for (int p = 0; p < 6; p++) {
		CHECK_INT(c.pools[p].busy_milli, 0);
		CHECK_INT(cluster_max_free(&c, p), gpn[p] * SC_MILLI);
		CHECK_INT(c.pools[p].free_milli[nodes[p] - 1], gpn[p] * SC_MILLI);
	}

	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	gsl_rng_set(r, 777);
	ref_cluster R;
	ref_init(&R, &sc);
	tally T = {0};
	run_sequence(&c, &R, classes, 3, 8000, 60000, r, &T);
	check_tally("6 pools, 3 class orders", &T);
	ref_free(&R);
	gsl_rng_free(r);
	cluster_destroy(&c);
	scenario_free(&sc);
}

int main(void)
{
	test_single_pools();
	test_pool_order();
	return test_report("test_cluster");
}
