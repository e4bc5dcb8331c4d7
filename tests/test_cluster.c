/* test_cluster.c - placement against a brute-force reference that tracks every GPU:
 * random takes and releases of fractions of a GPU, whole GPUs and whole-node gangs, on
 * pools of 1 to 1000 nodes with 1, 4 or 8 GPUs per node, one pool at a time and
 * several in a class's preference order. After every step each GPU's free capacity,
 * each node's count of fully free GPUs, the pool's busy total, its free nodes and its
 * largest free node must match the reference, and no GPU is ever shared beyond 100%;
 * cluster_check finds every invariant holding throughout, and catches corruptions made
 * by hand, and burst nodes powered on and off keep them too. */
#include <gsl/gsl_rng.h>
#include <stdlib.h>

#include "cluster.h"
#include "fixture.h"
#include "test.h"

static const int node_counts[] = {1, 5, 16, 17, 100, 1000};
static const int per_node[] = {1, 4, 8};
enum { NCOUNTS = 6, NPER = 3, NSINGLE = NCOUNTS * NPER };
static const int sizes[] = {250, 500, 750, 1000, 1000, 2000, 3000, 4000, 8000, 16000};
enum { NSIZES = 10 };

/* The reference: free thousandths per GPU and whether a whole-GPU job holds it. */
typedef struct ref_cluster {
	int npools, nodes[SC_MAX_POOLS], gpn[SC_MAX_POOLS];
	int *gpu[SC_MAX_POOLS];
	unsigned char *whole[SC_MAX_POOLS];
	long long busy[SC_MAX_POOLS], cap[SC_MAX_POOLS];
	int full[SC_MAX_POOLS]; /* nodes with gpn GPUs: all, unless sizes are mixed */
} ref_cluster;

static void ref_init(ref_cluster *R, const scenario *sc)
{
	R->npools = sc->npools;
	for (int p = 0; p < sc->npools; p++) {
		R->nodes[p] = sc->pools[p].nodes;
		R->gpn[p] = sc->pools[p].gpus_per_node;
		R->gpu[p] = malloc((size_t)R->nodes[p] * R->gpn[p] * sizeof(int));
		R->whole[p] = calloc((size_t)R->nodes[p] * R->gpn[p], 1);
		for (int g = 0; g < R->nodes[p] * R->gpn[p]; g++)
			R->gpu[p][g] = SC_MILLI;
		R->busy[p] = 0;
		R->cap[p] = (long long)R->nodes[p] * R->gpn[p] * SC_MILLI;
		R->full[p] = R->nodes[p];
		/* Mixed sizes, the largest first: a node's GPUs beyond its own size never exist
		 * (never free, never held). */
		const pool_spec *ps = &sc->pools[p];
		for (int i = 0, n = 0; i < ps->nsizes; i++)
			for (int k = 0; k < ps->size[i].nodes; k++, n++)
				for (int g = ps->size[i].gpus; g < R->gpn[p]; g++) {
					R->gpu[p][n * R->gpn[p] + g] = 0;
					R->cap[p] -= SC_MILLI;
				}
		if (ps->nsizes)
			R->full[p] = ps->size[0].nodes;
	}
}

static void ref_free(ref_cluster *R)
{
	for (int p = 0; p < R->npools; p++) {
		free(R->gpu[p]);
		free(R->whole[p]);
	}
}

static int ref_free_gpus(const ref_cluster *R, int p, int n)
{
	int k = 0;
	for (int g = 0; g < R->gpn[p]; g++)
		k += R->gpu[p][n * R->gpn[p] + g] == SC_MILLI;
	return k;
}

/* Where a job goes, the slow obvious way: pools in order; a fraction on the shared GPU
 * it fills best, else the first fully free GPU of the first node that has one; whole
 * GPUs on the first node with enough fully free ones; a gang on the first fully free
 * nodes. Fills nodes[] for a gang. */
static int ref_place(const ref_cluster *R, const class_spec *k, int milli, slot *s, int *gang)
{
	for (int i = 0; i < k->npools; i++) {
		int p = k->pools[i], gpn = R->gpn[p], per = gpn * SC_MILLI;
		s->pool = p;
		s->gpu = -1;
		if (milli < SC_MILLI) {
			int best = -1;
			for (int g = 0; g < R->nodes[p] * gpn; g++) {
				int f = R->gpu[p][g];
				if (f < SC_MILLI && !R->whole[p][g] && f >= milli && (best < 0 || f < R->gpu[p][best]))
					best = g;
			}
			for (int g = 0; best < 0 && g < R->nodes[p] * gpn; g++)
				if (R->gpu[p][g] == SC_MILLI)
					best = g;
			if (best >= 0) {
				s->node = best / gpn;
				s->gpu = best % gpn;
				return 0;
			}
		} else if (milli % SC_MILLI == 0 && milli <= per) {
			for (int n = 0; n < R->nodes[p]; n++)
				if (ref_free_gpus(R, p, n) * SC_MILLI >= milli) {
					s->node = n;
					return 0;
				}
		} else if (milli % per == 0 && milli / per <= R->full[p]) {
			int m = 0;
			for (int n = 0; n < R->nodes[p] && m < milli / per; n++)
				if (ref_free_gpus(R, p, n) == gpn)
					gang[m++] = n;
			if (m == milli / per) {
				s->node = -1;
				return 0;
			}
		}
	}
	return -1;
}

/* Takes (sign 1) or gives back (-1) what ref_place found. */
static void ref_apply(ref_cluster *R, const slot *s, int milli, const int *gang, int sign)
{
	int p = s->pool, gpn = R->gpn[p];
	R->busy[p] += sign * milli;
	if (s->gpu >= 0) {
		R->gpu[p][s->node * gpn + s->gpu] -= sign * milli;
		return;
	}
	int nn = s->node >= 0 ? 1 : milli / (gpn * SC_MILLI), gpus = s->node >= 0 ? milli / SC_MILLI : gpn;
	for (int i = 0; i < nn; i++) {
		int n = s->node >= 0 ? s->node : gang[i], left = gpus;
		for (int g = n * gpn; left > 0 && g < (n + 1) * gpn; g++)
			if (sign > 0 ? R->gpu[p][g] == SC_MILLI : R->whole[p][g]) {
				R->gpu[p][g] = sign > 0 ? 0 : SC_MILLI;
				R->whole[p][g] = sign > 0;
				left--;
			}
	}
}

typedef struct held {
	slot s;
	int milli;
	int gang[16];
} held;

/* Mismatches between c and R, counted per kind so one broken step prints once. */
typedef struct tally {
	long fit, free_ne, range, pad, busy, max_free, steps, takes, releases, full_fails, gangs, fractions;
	long checked, broken; /* cluster_check calls, and those that found an invariant broken */
} tally;

/* cluster_check(c), counted in T; the first broken invariant is printed. */
static void check_walk(const cluster *c, long step, tally *T)
{
	const char *why = cluster_check(c);
	T->checked++;
	if (why && !T->broken++)
		fprintf(stderr, "  step %ld: cluster_check: %s\n", step, why);
}

/* Compares pool p of c with the reference. */
static void compare_pool(const cluster *c, const ref_cluster *R, int p, tally *T)
{
	const pool_state *ps = &c->pools[p];
	int gpn = R->gpn[p], max = 0, free_nodes = 0;
	for (int n = 0; n < R->nodes[p]; n++) {
		int whole_free = ref_free_gpus(R, p, n) * SC_MILLI;
		T->free_ne += ps->free_milli[n] != whole_free;
		max = whole_free > max ? whole_free : max;
		free_nodes += whole_free == gpn * SC_MILLI;
		for (int g = n * gpn; g < (n + 1) * gpn; g++) {
			T->free_ne += ps->gpu_free[g] != R->gpu[p][g];
			T->range += ps->gpu_free[g] < 0 || ps->gpu_free[g] > SC_MILLI; /* never beyond 100% */
		}
	}
	for (int n = R->nodes[p]; n < ps->blocks * CLUSTER_BLOCK; n++)
		T->pad += ps->free_milli[n] != 0;
	T->busy += ps->busy_milli != R->busy[p] || ps->free_nodes != free_nodes ||
		   ps->cap_milli != R->cap[p];
	T->max_free += cluster_max_free(c, p) != max;
}

/* `steps` random operations with classes drawn from `classes`: a take of up to
 * max_milli (checked against the reference, then taken in both) two times in three,
 * otherwise, or when nothing fits, a release of a random job held. Takes outnumber
 * releases, so the pools fill and then stay near full. */
static void run_sequence(cluster *c, ref_cluster *R, const class_spec *classes, int nclasses, int max_milli,
			 long steps, gsl_rng *r, tally *T)
{
	held *h = malloc((size_t)steps * sizeof *h);
	long nheld = 0, gpus = 0;
	/* cluster_check walks every GPU of every pool: after every step on small clusters,
	 * on large ones (thousands of GPUs) often enough to stay linear overall. */
	for (int p = 0; p < c->npools; p++)
		gpus += (long)c->pools[p].nodes * c->pools[p].gpn;
	long check_every = 1 + gpus / 512;
	for (long s = 0; s < steps; s++) {
		T->steps++;
		int touched = -1;
		if (nheld == 0 || gsl_rng_uniform_int(r, 3) != 0) {
			const class_spec *k = &classes[gsl_rng_uniform_int(r, (unsigned long)nclasses)];
			int milli;
			do
				milli = sizes[gsl_rng_uniform_int(r, NSIZES)];
			while (milli > max_milli);
			held x = {{-7, -7, -7}, milli, {0}};
			slot want_s = {-1, -1, -1};
			int ref_gang[16];
			int rc = cluster_first_fit(c, k, milli, &x.s);
			int want = ref_place(R, k, milli, &want_s, ref_gang);
			if (rc != want || (rc == 0 && (x.s.pool != want_s.pool || x.s.node != want_s.node || x.s.gpu != want_s.gpu))) {
				if (!T->fit++)
					fprintf(stderr, "  step %ld: %d milli gave rc %d (%d,%d,%d), reference rc %d (%d,%d,%d)\n", s, milli,
						rc, x.s.pool, x.s.node, x.s.gpu, want, want_s.pool, want_s.node, want_s.gpu);
			}
			if (want == 0) {
				T->takes++;
				T->gangs += want_s.node < 0;
				T->fractions += want_s.gpu >= 0;
				x.s = want_s;
				cluster_take(c, &x.s, milli, x.gang);
				for (int i = 0; want_s.node < 0 && i < milli / (R->gpn[want_s.pool] * SC_MILLI); i++)
					T->fit += x.gang[i] != ref_gang[i]; /* the gang's nodes: lowest free first */
				ref_apply(R, &x.s, milli, x.gang, 1);
				h[nheld++] = x;
				touched = want_s.pool;
			} else {
				T->full_fails++;
			}
		}
		if (touched < 0 && nheld > 0) {
			long i = (long)gsl_rng_uniform_int(r, (unsigned long)nheld);
			held x = h[i];
			h[i] = h[--nheld];
			T->releases++;
			cluster_give(c, &x.s, x.milli, x.gang);
			ref_apply(R, &x.s, x.milli, x.gang, -1);
			touched = x.s.pool;
		}
		if (touched >= 0)
			compare_pool(c, R, touched, T);
		if (s % check_every == 0)
			check_walk(c, s, T);
	}
	/* give everything back: every node must be whole again */
	while (nheld > 0) {
		held x = h[--nheld];
		cluster_give(c, &x.s, x.milli, x.gang);
		ref_apply(R, &x.s, x.milli, x.gang, -1);
	}
	check_walk(c, steps, T);
	for (int p = 0; p < R->npools; p++) {
		compare_pool(c, R, p, T);
		CHECK_INT(c->pools[p].busy_milli, 0);
		CHECK_INT(cluster_max_free(c, p), R->gpn[p] * SC_MILLI);
		CHECK_INT(c->pools[p].nparts, 0);
	}
	free(h);
}

static void check_tally(const char *what, const tally *T)
{
	fprintf(stderr, "  %s: %ld steps, %ld takes (%ld fractions, %ld gangs), %ld releases, %ld takes found no room\n",
		what, T->steps, T->takes, T->fractions, T->gangs, T->releases, T->full_fails);
	if (T->fit || T->free_ne || T->range || T->pad || T->busy || T->max_free)
		fprintf(stderr, "  %s: mismatches: fit %ld, free %ld, range %ld, padding %ld, busy %ld, max_free %ld\n",
			what, T->fit, T->free_ne, T->range, T->pad, T->busy, T->max_free);
	CHECK_INT(T->fit, 0);
	CHECK_INT(T->free_ne, 0);
	CHECK_INT(T->range, 0);
	CHECK_INT(T->pad, 0);
	CHECK_INT(T->busy, 0);
	CHECK_INT(T->max_free, 0);
	CHECK_INT(T->broken, 0);
	CHECK(T->checked > 100);
	CHECK(T->full_fails > 0); /* the pools did fill up: placement met full nodes */
	CHECK(T->fractions > 0);
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
		run_sequence(&c, &R, &only, 1, 2 * gpn[p] * SC_MILLI, steps, r, &T);
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
	 * "rev"; once p0 is full, "all" takes two of p1's 4-GPU nodes (a gang) */
	slot s = {-1, -1, -1};
	CHECK_INT(cluster_first_fit(&c, &classes[0], 8000, &s), 0);
	CHECK_INT(s.pool, 0);
	CHECK_INT(s.node, 0);
	CHECK_INT(cluster_first_fit(&c, &classes[1], 8000, &s), 0);
	CHECK_INT(s.pool, 5);
	CHECK_INT(s.node, 0);
	for (int n = 0; n < 5; n++)
		cluster_adjust(&c, 0, n, 8000);
	CHECK_INT(cluster_first_fit(&c, &classes[0], 8000, &s), 0);
	CHECK_INT(s.pool, 1);
	CHECK_INT(s.node, -1);
	/* a quarter GPU: p0 is full, p1 node 0 GPU 0 */
	CHECK_INT(cluster_first_fit(&c, &classes[0], 250, &s), 0);
	CHECK_INT(s.pool, 1);
	CHECK_INT(s.node, 0);
	CHECK_INT(s.gpu, 0);
	cluster_adjust(&c, 0, 3, -1000); /* one GPU back on p0 node 3 */
	CHECK_INT(cluster_first_fit(&c, &classes[0], 250, &s), 0);
	CHECK_INT(s.pool, 0);
	CHECK_INT(s.node, 3);
	cluster_take(&c, &s, 250, NULL);
	/* the next fractions pack onto that GPU until it is full, then p1 */
	CHECK_INT(cluster_first_fit(&c, &classes[0], 750, &s), 0);
	CHECK_INT(s.pool, 0);
	CHECK_INT(s.node, 3);
	cluster_take(&c, &s, 750, NULL);
	CHECK_INT(cluster_first_fit(&c, &classes[0], 250, &s), 0);
	CHECK_INT(s.pool, 1);
	CHECK_INT(cluster_max_free(&c, 0), 0);
	/* a gang of two 8-GPU nodes for "rev": p5's first two nodes */
	CHECK_INT(cluster_first_fit(&c, &classes[1], 16000, &s), 0);
	CHECK_INT(s.pool, 5);
	CHECK_INT(s.node, -1);
	int gang[2] = {-1, -1};
	cluster_take(&c, &s, 16000, gang);
	CHECK_INT(gang[0], 0);
	CHECK_INT(gang[1], 1);
	CHECK_INT(c.pools[5].free_nodes, 31);

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
	run_sequence(&c, &R, classes, 3, 16000, 60000, r, &T);
	check_tally("6 pools, 3 class orders", &T);
	ref_free(&R);
	gsl_rng_free(r);
	cluster_destroy(&c);
	scenario_free(&sc);
}

/* A node list whose models mix node sizes, written out of order on purpose, with
 * *cpu_only CPU-only nodes among them. */
static const char *mixed_nodes(char *path, int *cpu_only)
{
	*cpu_only = 0;
	strcpy(path, "/tmp/fgsim-test-nodes-XXXXXX.csv");
	int fd = mkstemps(path, 4);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f)
		return NULL;
	fprintf(f, "sn,cpu_milli,memory_mib,gpu,model\n");
	/* A: 20 x 8, 7 x 4, 10 x 2, 3 x 1 GPUs (40 nodes: three blocks under the tree) */
	static const int a[] = {2, 8, 4, 8, 1, 8, 2, 8, 4, 8};
	for (int i = 0, n8 = 0, n4 = 0, n2 = 0, n1 = 0; n8 < 20 || n4 < 7 || n2 < 10 || n1 < 3; i++) {
		int g = a[i % 10];
		int *n = g == 8 ? &n8 : g == 4 ? &n4 : g == 2 ? &n2 : &n1, cap = g == 8 ? 20 : g == 4 ? 7 : g == 2 ? 10 : 3;
		if (*n < cap) {
			(*n)++;
			fprintf(f, "a%d,1000,1000,%d,A\n", i, g);
		}
		if (i % 7 == 0) {
			fprintf(f, "cpu%d,1000,1000,0,\n", i); /* CPU-only: skipped */
			++*cpu_only;
		}
	}
	/* B: 4, 1, 4 GPUs (one block, scanned) */
	fprintf(f, "b0,1,1,4,B\nb1,1,1,1,B\nb2,1,1,4,B\n");
	fclose(f);
	return path;
}

/* Pools of mixed node sizes from a node list: each node holds no more than its own
 * GPUs, a job larger than the small nodes goes to a large one, gangs take whole nodes
 * of the largest size only; then the random sequence against the reference. */
static void test_mixed_sizes(void)
{
	char path[64];
	int cpu_only;
	if (!mixed_nodes(path, &cpu_only)) {
		TEST_FAIL_("%s", "cannot write the node list");
		return;
	}
	scenario sc;
	int rc = fx_load(&sc,
			 "run = { horizon = \"1d\"; };\n"
			 "cluster = { nodes_file = \"%s\"; format = \"alibaba\"; cost_per_gpu_hour = 1.5; "
			 "price_per_gpu_hour = 2.5; minimum_billing = \"1m\"; };\n"
			 "workload = { arrivals = { rate = \"1/h\"; };\n"
			 "  classes = ( { name = \"all\"; share = 0.5; service = \"exponential(1h)\"; },\n"
			 "              { name = \"rev\"; share = 0.5; service = \"exponential(1h)\"; pools = [ \"B\", \"A\" ]; } ); };\n"
			 "policies = ( \"fcfs\" );\n",
			 path);
	unlink(path);
	if (rc) {
		TEST_FAIL_("%s", "node-list scenario does not load");
		return;
	}
	CHECK_INT(sc.npools, 2);
	CHECK_STR(sc.pools[0].name, "A");
	CHECK_STR(sc.pools[0].gpu, "A");
	CHECK_INT(sc.pools[0].nodes, 40);
	CHECK_INT(sc.pools[0].gpus_per_node, 8);
	CHECK_INT(scenario_pool_gpus(&sc, 0), 20 * 8 + 7 * 4 + 10 * 2 + 3);
	CHECK_INT(scenario_pool_full_nodes(&sc, 0), 20);
	CHECK_INT(scenario_pool_gpus(&sc, 1), 9);
	CHECK_INT(scenario_pool_full_nodes(&sc, 1), 2);
	CHECK_NEAR(sc.pools[1].cost_per_gpu_hour, 1.5, 0);
	CHECK_NEAR(sc.pools[1].price_per_gpu_hour, 2.5, 0);
	CHECK_NEAR(sc.pools[1].minimum_billing, 60, 0);
	CHECK(cpu_only > 0);
	CHECK_INT(sc.nodes_cpu_only, cpu_only);
	cluster c;
	CHECK_INT(cluster_init(&c, &sc), 0);
	CHECK_INT(c.pools[0].cap_milli, scenario_pool_gpus(&sc, 0) * SC_MILLI);
	CHECK_INT(cluster_max_free(&c, 0), 8000);
	CHECK_INT(c.pools[0].free_milli[19], 8000); /* largest first */
	CHECK_INT(c.pools[0].free_milli[20], 4000);
	CHECK_INT(c.pools[0].free_milli[39], 1000);
	CHECK_INT(c.pools[1].free_milli[2], 1000);
	CHECK_INT(cluster_fit_kind(&c, 1, 8000), FITS_GANG); /* B's two 4-GPU nodes */
	CHECK_INT(cluster_fit_kind(&c, 1, 12000), FITS_NOT); /* three 4-GPU nodes: B has two */
	CHECK_INT(cluster_fit_kind(&c, 0, 160000), FITS_GANG);
	CHECK_INT(cluster_fit_kind(&c, 0, 168000), FITS_NOT);

	/* Fill B with 1-GPU jobs: exactly its 9 GPUs fit, never a second one on node 2. */
	slot s;
	int on[3] = {0, 0, 0}, placed = 0;
	class_spec only_b = sc.classes[1];
	only_b.npools = 1;
	while (cluster_first_fit(&c, &only_b, 1000, &s) == 0 && placed < 20) {
		cluster_take(&c, &s, 1000, NULL);
		on[s.node]++;
		placed++;
	}
	CHECK_INT(placed, 9);
	CHECK_INT(on[0], 4);
	CHECK_INT(on[1], 4);
	CHECK_INT(on[2], 1);
	cluster_reset(&c, &sc);
	/* Quarters on B: four per GPU, 36 in all. */
	for (placed = 0; cluster_first_fit(&c, &only_b, 250, &s) == 0 && placed < 100; placed++)
		cluster_take(&c, &s, 250, NULL);
	CHECK_INT(placed, 36);
	cluster_reset(&c, &sc);
	/* A 4-GPU job on A once its 8-GPU nodes are taken: a 4-GPU node, never a 2-GPU one. */
	for (int n = 0; n < 20; n++)
		cluster_adjust(&c, 0, n, 8000);
	CHECK_INT(cluster_first_fit(&c, &sc.classes[0], 4000, &s), 0);
	CHECK_INT(s.pool, 0);
	CHECK_INT(s.node, 20);
	for (int n = 20; n < 27; n++)
		cluster_adjust(&c, 0, n, 4000);
	CHECK_INT(cluster_first_fit(&c, &sc.classes[0], 4000, &s), 0);
	CHECK_INT(s.pool, 1); /* A has no node with 4 free: B */
	CHECK_INT(cluster_first_fit(&c, &sc.classes[0], 2000, &s), 0);
	CHECK_INT(s.pool, 0);
	CHECK_INT(s.node, 27);
	CHECK_INT(cluster_max_free(&c, 0), 2000);
	cluster_reset(&c, &sc);
	/* Best fit: the node a job fills exactly, whatever its size: 2 GPUs on A's first 2-GPU
	 * node, 1 on its first 1-GPU node, 4 on its first 4-GPU node, 3 on a 4-GPU node. */
	c.placement = PLACE_BEST_FIT;
	CHECK_INT(cluster_place(&c, 0, 2000, &s), 0);
	CHECK_INT(s.pool, 0);
	CHECK_INT(s.node, 27);
	CHECK_INT(cluster_place(&c, 0, 1000, &s), 0);
	CHECK_INT(s.node, 37);
	CHECK_INT(cluster_place(&c, 0, 4000, &s), 0);
	CHECK_INT(s.node, 20);
	CHECK_INT(cluster_place(&c, 0, 3000, &s), 0);
	CHECK_INT(s.pool, 0);
	CHECK_INT(s.node, 20);
	c.placement = sc.placement;

	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	gsl_rng_set(r, 2023);
	ref_cluster R;
	ref_init(&R, &sc);
	tally T = {0};
	run_sequence(&c, &R, sc.classes, 2, 16000, 40000, r, &T);
	check_tally("mixed node sizes, 2 class orders", &T);
	CHECK(T.gangs > 0);
	ref_free(&R);
	gsl_rng_free(r);
	cluster_destroy(&c);
	scenario_free(&sc);
}

/* Breaks one thing, expects cluster_check to name a broken invariant, then mends it. */
#define EXPECT_CAUGHT(c, what, undo)                                          \
	do {                                                                  \
		what;                                                         \
		const char *w_ = cluster_check(c);                            \
		CHECK(w_ != NULL);                                            \
		if (w_)                                                       \
			fprintf(stderr, "  caught %s: %s\n", #what, w_);      \
		undo;                                                         \
		CHECK(cluster_check(c) == NULL);                              \
	} while (0)

/* Burst nodes powered on, used and powered off again keep every invariant; then
 * corruptions of the index, the counters and the GPU states are each caught. */
static void test_check_burst_and_corrupt(void)
{
	const int nodes[] = {40, 5}, gpn[] = {4, 8};
	scenario sc;
	if (load_pools(&sc, nodes, gpn, 2)) {
		TEST_FAIL_("%s", "scenario with 2 pools does not load");
		return;
	}
	sc.pools[0].burst_max = 10; /* nodes 40..49: off until powered */
	cluster c;
	CHECK_INT(cluster_init(&c, &sc), 0);
	const pool_state *ps = &c.pools[0];
	CHECK(cluster_check(&c) == NULL);
	CHECK_INT(ps->nodes, 50);
	CHECK_INT(ps->cap_milli, 40 * 4 * SC_MILLI);
	CHECK_INT(ps->free_nodes, 40);
	for (int n = 0; n < 40; n++) /* fill the base nodes: only burst nodes can take more */
		cluster_adjust(&c, 0, n, 4000);
	slot s = {0, 45, -1};
	cluster_power(&c, 0, 45, 1);
	CHECK(cluster_check(&c) == NULL);
	CHECK_INT(cluster_max_free(&c, 0), 4000);
	cluster_take(&c, &s, 2000, NULL);
	slot f = {0, 45, 3};
	cluster_take(&c, &f, 500, NULL);
	CHECK(cluster_check(&c) == NULL);
	cluster_give(&c, &f, 500, NULL);
	cluster_give(&c, &s, 2000, NULL);
	cluster_power(&c, 0, 45, 0);
	CHECK(cluster_check(&c) == NULL);
	CHECK_INT(ps->cap_milli, 40 * 4 * SC_MILLI);
	CHECK_INT(cluster_max_free(&c, 0), 0);

	/* Something in every state: a node half held whole, a shared GPU, a burst node on. */
	cluster_adjust(&c, 0, 7, -4000);
	cluster_adjust(&c, 0, 7, 2000);
	slot g = {0, 7, 2};
	cluster_take(&c, &g, 250, NULL);
	cluster_power(&c, 0, 41, 1);
	CHECK(cluster_check(&c) == NULL);
	pool_state *w = &c.pools[0]; /* the same pool, writable for the corruptions */
	EXPECT_CAUGHT(&c, w->tree[1]++, w->tree[1]--);
	EXPECT_CAUGHT(&c, w->tree[w->leaves + 1] += 1000, w->tree[w->leaves + 1] -= 1000);
	EXPECT_CAUGHT(&c, w->at_max[0]++, w->at_max[0]--);
	EXPECT_CAUGHT(&c, w->free_milli[7] += 1000, w->free_milli[7] -= 1000);
	EXPECT_CAUGHT(&c, w->free_nodes++, w->free_nodes--);
	EXPECT_CAUGHT(&c, w->busy_milli += 250, w->busy_milli -= 250);
	EXPECT_CAUGHT(&c, w->cap_milli += 1000, w->cap_milli -= 1000);
	EXPECT_CAUGHT(&c, w->gpu_free[7 * 4 + 2] -= 250, w->gpu_free[7 * 4 + 2] += 250);
	EXPECT_CAUGHT(&c, w->gpu_free[7 * 4 + 2] = -1, w->gpu_free[7 * 4 + 2] = 750);
	EXPECT_CAUGHT(&c, w->part_pos[7 * 4 + 2] = -1, w->part_pos[7 * 4 + 2] = 0);
	EXPECT_CAUGHT(&c, w->nparts++, w->nparts--);
	EXPECT_CAUGHT(&c, w->gpu_whole[7 * 4 + 0] = 0, w->gpu_whole[7 * 4 + 0] = 1);
	EXPECT_CAUGHT(&c, w->gpu_whole[7 * 4 + 3] = 1, w->gpu_whole[7 * 4 + 3] = 0);
	/* A burst node half powered: its last GPU looks off. */
	EXPECT_CAUGHT(&c, w->gpu_free[41 * 4 + 3] = 0, w->gpu_free[41 * 4 + 3] = SC_MILLI);
	EXPECT_CAUGHT(&c, w->free_milli[w->nodes] = 1000, w->free_milli[w->nodes] = 0);
	EXPECT_CAUGHT(&c, c.fit[0][0] ^= 1, c.fit[0][0] ^= 1);
	EXPECT_CAUGHT(&c, c.order[1][0] = 2, c.order[1][0] = 1);
	cluster_destroy(&c);
	scenario_free(&sc);
}

int main(void)
{
	test_single_pools();
	test_pool_order();
	test_mixed_sizes();
	test_check_burst_and_corrupt();
	return test_report("test_cluster");
}
