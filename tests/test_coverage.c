/* test_coverage.c - do fgsim's 95% intervals cover the truth 95% of the time? Over 40
 * seeds, the interval for M/M/c mean wait must cover the Erlang C value at least 34
 * times: with true 95% coverage, fewer than 34 happens with probability about 1.4%
 * (binomial(40, 0.95)), while intervals that are too narrow by a third fail it. */
#include "fixture.h"
#include "queueing.h"
#include "test.h"

int main(void)
{
	double lambda = 3.5; /* c = 5, mu = 1/h: load 0.7 */
	qt_mmc q;
	CHECK_INT(qt_mmc_solve(lambda, 1, 5, &q), 0);
	int covered = 0, seeds = 40;
	for (int seed = 1; seed <= seeds; seed++) {
		scenario sc;
		experiment e;
		if (fx_load(&sc,
			    "run = { horizon = \"20000h\"; warmup = \"1000h\"; replications = 10; seed = %d; };\n"
			    "cluster = { pools = ( { name = \"gpu\"; nodes = 5; gpus_per_node = 1; } ); };\n"
			    "workload = { arrivals = { process = \"poisson\"; rate = \"%g/h\"; };\n"
			    "  classes = ( { name = \"a\"; share = 1.0; gpus = 1; service = \"exponential(1h)\"; } ); };\n"
			    "policies = ( \"fcfs\" );\n",
			    seed, lambda) ||
		    fx_run(&e, &sc)) {
			TEST_FAIL_("seed %d did not run", seed);
			continue;
		}
		double mean, hw;
		fx_ci(&e, 0, 0, M_wait_mean, 0.95, &mean, &hw);
		int in = fabs(q.wq * 3600 - mean) <= hw;
		covered += in;
		fprintf(stderr, "seed %2d: %8.2f +- %6.2f %s\n", seed, mean, hw, in ? "covers" : "misses");
		experiment_free(&e);
		scenario_free(&sc);
	}
	fprintf(stderr, "Erlang C %.2f s covered by %d of %d intervals\n", q.wq * 3600, covered, seeds);
	CHECK(covered >= 34);
	return test_report("test_coverage");
}
