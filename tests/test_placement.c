/* test_placement.c - placement strategies against brute force on random cluster
 * states: best-fit picks the node left with the least free capacity (earlier pool,
 * then lower node, on ties); cheapest tries pools by price; fastest, with the same
 * service time everywhere, keeps the class's own order. */
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

int main(void)
{
	test_best_fit();
	CHECK_INT(first_pool("first-fit"), 0); /* the class lists a, c, b */
	CHECK_INT(first_pool("cheapest"), 1);  /* b costs 1.0 */
	CHECK_INT(first_pool("fastest"), 0);   /* equal service everywhere: the class's order */
	return test_report("test_placement");
}
