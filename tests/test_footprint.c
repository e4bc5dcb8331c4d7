/* test_footprint.c - the memory estimate: it follows the jobs in the system, not the jobs
 * simulated (a stable queue's estimate barely moves when the horizon grows a hundredfold,
 * an unstable one's grows with it), patience bounds a growing queue, results grow with
 * the replications, threads multiply the per-worker part; sizes parse and print. */
#include "footprint.h"
#include "fixture.h"
#include "test.h"

/* M/M/c with c = 5 one-GPU nodes, service 1 h: load rho = rate / 5. */
static int mmc(scenario *sc, const char *rate, const char *horizon, int reps, const char *patience)
{
	return fx_load(sc,
		       "run = { horizon = \"%s\"; replications = %d; };\n"
		       "cluster = { pools = ( { name = \"p\"; nodes = 5; gpus_per_node = 1; } ); };\n"
		       "workload = { arrivals = { rate = \"%s\"; };\n"
		       "  classes = ( { name = \"a\"; service = \"exponential(1h)\"; %s } ); };\n"
		       "policies = ( \"fcfs\" );\n",
		       horizon, reps, rate, patience);
}

static void test_stable_vs_unstable(void)
{
	scenario sc;
	footprint_estimate a, b;
	if (mmc(&sc, "4.5/h", "100d", 1, ""))
		return;
	footprint_estimate_run(&sc, 1, &a);
	scenario_free(&sc);
	if (mmc(&sc, "4.5/h", "10000d", 1, ""))
		return;
	footprint_estimate_run(&sc, 1, &b);
	scenario_free(&sc);
	CHECK(!a.unstable && !b.unstable);
	CHECK(a.running >= 4.5 && a.running <= 5); /* Little: 4.5 busy, at most the 5 GPUs */
	CHECK(b.queued > a.queued);                 /* the longer run sees a longer worst queue... */
	CHECK(b.queued < 2 * a.queued);             /* ...by ln(100 n)/ln(n), not by 100 */
	CHECK(b.total < 1.01 * a.total);
	CHECK(a.total < 16e6); /* a few MB for a 20-million-job M/M/c run */

	footprint_estimate u1, u2, p;
	if (mmc(&sc, "10/h", "100d", 1, ""))
		return;
	footprint_estimate_run(&sc, 1, &u1);
	scenario_free(&sc);
	if (mmc(&sc, "10/h", "10000d", 1, ""))
		return;
	footprint_estimate_run(&sc, 1, &u2);
	scenario_free(&sc);
	CHECK(u1.unstable && u2.unstable);
	CHECK_INT(u2.grows_pool, 0);
	/* rho = 2: the queue grows at lambda (1 - 1/rho) = 5/h for the whole horizon */
	CHECK_NEAR(u2.queued, 5.0 * 24 * 10000, 1);
	CHECK_NEAR(u2.queued / u1.queued, 100, 1e-6);
	CHECK(u2.total > 50 * u1.total);
	CHECK_STR(footprint_culprit(&u2), "run.horizon");
	/* every job abandons after 30 minutes on average: the queue stays near lambda x 30 m */
	if (mmc(&sc, "10/h", "10000d", 1, "patience = \"exponential(30m)\";"))
		return;
	footprint_estimate_run(&sc, 1, &p);
	scenario_free(&sc);
	CHECK_NEAR(p.queued, 10 * 0.5 + 1, 1e-9);
}

static void test_results_and_threads(void)
{
	scenario sc;
	footprint_estimate one, many, j4;
	if (mmc(&sc, "4.5/h", "10d", 10, ""))
		return;
	footprint_estimate_run(&sc, 1, &one);
	footprint_estimate_run(&sc, 4, &j4);
	footprint_estimate_run(&sc, 64, &many);
	scenario_free(&sc);
	CHECK_INT(one.workers, 1);
	CHECK_INT(j4.workers, 4);
	CHECK_INT(many.workers, 10); /* no more workers than tasks */
	CHECK_NEAR(j4.total - one.total, 3 * (one.per_worker + (one.running + one.queued) * one.bytes_per_job), 1);
	footprint_estimate r;
	if (mmc(&sc, "4.5/h", "10d", 100000, ""))
		return;
	footprint_estimate_run(&sc, 1, &r);
	scenario_free(&sc);
	CHECK_NEAR(r.results, 10000 * one.results, 1e-6 * r.results);
	CHECK_STR(footprint_culprit(&r), "run.replications");
}

static void test_sizes(void)
{
	double b = 0;
	CHECK_INT(footprint_parse_size("512M", &b), 0);
	CHECK_NEAR(b, 512.0 * 1024 * 1024, 0);
	CHECK_INT(footprint_parse_size("1.5GB", &b), 0);
	CHECK_NEAR(b, 1.5 * 1024 * 1024 * 1024, 0);
	CHECK_INT(footprint_parse_size("800 MiB", &b), 0);
	CHECK_NEAR(b, 800.0 * 1024 * 1024, 0);
	CHECK_INT(footprint_parse_size("1000", &b), 0);
	CHECK_NEAR(b, 1000, 0);
	CHECK_INT(footprint_parse_size("2t", &b), 0);
	CHECK_NEAR(b, 2.0 * 1024 * 1024 * 1024 * 1024, 0);
	CHECK_INT(footprint_parse_size("", &b), -1);
	CHECK_INT(footprint_parse_size("lots", &b), -1);
	CHECK_INT(footprint_parse_size("-1G", &b), -1);
	CHECK_INT(footprint_parse_size("0", &b), -1);
	CHECK_INT(footprint_parse_size("4Q", &b), -1);
	CHECK_INT(footprint_parse_size("nan", &b), -1);
	char buf[32];
	CHECK_STR(footprint_format(1536.0 * 1024 * 1024, buf, sizeof buf), "1.5 GB");
	CHECK_STR(footprint_format(100, buf, sizeof buf), "100 bytes");
	CHECK(footprint_default_cap() > 0); /* Linux says how much memory it has */
}

int main(void)
{
	test_stable_vs_unstable();
	test_results_and_threads();
	test_sizes();
	return test_report("test_footprint");
}
