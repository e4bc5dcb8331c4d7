/* test_validation.c - the simulator against queueing theory: Erlang C (M/M/c), P-K
 * (M/G/1), Cobham (non-preemptive priority), Erlang A (M/M/c+M). Each analytic value
 * must lie inside the simulated confidence interval, and that interval must be tight
 * (half-width under 3% of the mean) so the check means something. Every run also
 * passes conservation (arrived = done + abandoned + in system) and Little's law. */
#include "fixture.h"
#include "queueing.h"
#include "test.h"

/* Validation intervals are at 99%: about 20 fixed-seed checks at 95% would fail one
 * in three runs of the suite by chance alone. The 3% bound holds at 99% too. */
#define LEVEL 0.99
#define MAX_REL_HW 0.03

static void check_theory(const char *what, const experiment *e, int pi, int scope, metric_id m, double theory)
{
	double mean, hw;
	fx_ci(e, pi, scope, m, LEVEL, &mean, &hw);
	fprintf(stderr, "%s, %s:\n", what, metric_names[m]);
	CHECK_IN_CI(theory, mean, hw);
	if (!(hw <= MAX_REL_HW * fabs(mean)))
		TEST_FAIL_("%s %s: half-width %.3g is %.2f%% of the mean (> 3%%): run longer", what, metric_names[m], hw,
			   100 * hw / fabs(mean));
}

/* Conservation for every replication and scope, and Little's law L = lambda W for the
 * queue: W is the mean time in queue of jobs that left it, lambda the arrival rate. */
static void check_books(const char *what, const experiment *e)
{
	const scenario *sc = e->sc;
	for (int pi = 0; pi < sc->npolicies; pi++) {
		double d[sc->replications], L = 0;
		for (int r = 0; r < sc->replications; r++) {
			const rep_metrics *rm = experiment_rep(e, pi, r);
			for (int s = 0; s <= sc->nclasses; s++)
				CHECK_INT((long long)rm->v[s][M_arrivals],
					  (long long)(rm->v[s][M_jobs_done] + rm->v[s][M_abandoned] + rm->v[s][M_balked] + rm->v[s][M_in_system_end]));
			double lambda = rm->v[0][M_arrivals] / (sc->horizon - sc->warmup);
			d[r] = rm->v[0][M_queue_mean] - lambda * rm->v[0][M_queue_time_mean];
			L += rm->v[0][M_queue_mean] / sc->replications;
		}
		double mean, hw;
		stat_ci(d, (size_t)sc->replications, LEVEL, &mean, &hw);
		/* Jobs queued across the warm-up or the horizon count in L but not in W: an edge
		 * effect of order (jobs in queue) / (jobs per replication), allowed as 0.5% of L. */
		fprintf(stderr, "%s, Little's law: L - lambda W = %.4g +- %.3g (L = %.4g)\n", what, mean, hw, L);
		CHECK(fabs(mean) <= hw + 0.005 * L);
	}
}

static const char mmc_text[] =
	"run = { horizon = \"%.0fh\"; warmup = \"%.0fh\"; replications = %d; seed = %d; };\n"
	"cluster = { pools = ( { name = \"gpu\"; nodes = %d; gpus_per_node = 1; } ); };\n"
	"workload = { arrivals = { process = \"poisson\"; rate = \"%g/h\"; };\n"
	"  classes = ( { name = \"a\"; share = 1.0; gpus = 1; service = \"exponential(1h)\"; } ); };\n"
	"policies = ( \"fcfs\" );\n";

/* M/M/c with mu = 1/h: mean wait and P(wait > 0) against Erlang C. */
static void test_mmc(double lambda, int c, double hours, int reps)
{
	scenario sc;
	experiment e;
	char what[64];
	qt_mmc q = {0};
	snprintf(what, sizeof what, "M/M/%d at load %.2f", c, lambda / c);
	if (fx_load(&sc, mmc_text, hours, hours / 20, reps, 11, c, lambda) || fx_run(&e, &sc)) {
		TEST_FAIL_("%s: did not run", what);
		return;
	}
	CHECK_INT(qt_mmc_solve(lambda, 1, c, &q), 0);
	check_theory(what, &e, 0, 0, M_wait_mean, q.wq * 3600);
	check_theory(what, &e, 0, 0, M_p_wait, q.p_wait);
	check_theory(what, &e, 0, 0, M_queue_mean, q.lq);
	check_theory(what, &e, 0, 0, M_utilization, q.rho);
	check_books(what, &e);
	experiment_free(&e);
	scenario_free(&sc);
}

/* M/G/1 with lognormal service (mean 1 h, cv 1.5) against Pollaczek-Khinchine. */
static void test_mg1(void)
{
	scenario sc;
	experiment e;
	double lambda = 0.6;
	if (fx_load(&sc,
		    "run = { horizon = \"400000h\"; warmup = \"10000h\"; replications = 20; seed = 5; };\n"
		    "cluster = { pools = ( { name = \"gpu\"; nodes = 1; gpus_per_node = 1; } ); };\n"
		    "workload = { arrivals = { process = \"poisson\"; rate = \"%g/h\"; };\n"
		    "  classes = ( { name = \"a\"; share = 1.0; gpus = 1; service = \"lognormal(1h, 1.5)\"; } ); };\n"
		    "policies = ( \"fcfs\" );\n",
		    lambda) ||
	    fx_run(&e, &sc)) {
		TEST_FAIL_("%s", "M/G/1 did not run");
		return;
	}
	check_theory("M/G/1 lognormal cv 1.5", &e, 0, 0, M_wait_mean, qt_mg1_wq(lambda, 1, 2.25) * 3600);
	check_books("M/G/1", &e);
	experiment_free(&e);
	scenario_free(&sc);
}

/* Non-preemptive priority M/M/c, equal service rates, against Cobham (1954). */
static void test_priority(const double *lambdas, int k, int c)
{
	scenario sc;
	experiment e;
	char classes[1024] = "", what[64];
	double wq[8], total = 0;
	for (int i = 0; i < k; i++)
		total += lambdas[i];
	for (int i = 0; i < k; i++) {
		size_t n = strlen(classes);
		snprintf(classes + n, sizeof classes - n,
			 "%s{ name = \"p%d\"; share = %.17g; priority = %d; gpus = 1; service = \"exponential(1h)\"; }",
			 i ? ", " : "", i, lambdas[i] / total, i);
	}
	snprintf(what, sizeof what, "priority, %d classes", k);
	if (fx_load(&sc,
		    "run = { horizon = \"100000h\"; warmup = \"5000h\"; replications = 20; seed = 3; };\n"
		    "cluster = { pools = ( { name = \"gpu\"; nodes = %d; gpus_per_node = 1; } ); };\n"
		    "workload = { arrivals = { process = \"poisson\"; rate = \"%.17g/h\"; }; classes = ( %s ); };\n"
		    "policies = ( \"fcfs\", \"priority\" );\n",
		    c, total, classes) ||
	    fx_run(&e, &sc)) {
		TEST_FAIL_("%s: did not run", what);
		return;
	}
	CHECK_INT(qt_prio_wq(lambdas, k, 1, c, wq), 0);
	for (int i = 0; i < k; i++) {
		char w[96];
		snprintf(w, sizeof w, "%s, class p%d", what, i);
		check_theory(w, &e, 1, 1 + i, M_wait_mean, wq[i] * 3600);
	}
	check_books(what, &e);
	experiment_free(&e);
	scenario_free(&sc);
}

/* M/M/c+M: exponential patience, against the Erlang-A birth-death chain. */
static void test_erlang_a(void)
{
	scenario sc;
	experiment e;
	qt_erlang_a q = {0};
	double lambda = 5, theta = 2; /* patience: mean 30 minutes */
	int c = 5;
	if (fx_load(&sc,
		    "run = { horizon = \"40000h\"; warmup = \"1000h\"; replications = 20; seed = 9; };\n"
		    "cluster = { pools = ( { name = \"gpu\"; nodes = %d; gpus_per_node = 1; } ); };\n"
		    "workload = { arrivals = { process = \"poisson\"; rate = \"%g/h\"; };\n"
		    "  classes = ( { name = \"a\"; share = 1.0; gpus = 1; service = \"exponential(1h)\";\n"
		    "                patience = \"exponential(30m)\"; } ); };\n"
		    "policies = ( \"fcfs\" );\n",
		    c, lambda) ||
	    fx_run(&e, &sc)) {
		TEST_FAIL_("%s", "Erlang A did not run");
		return;
	}
	CHECK_INT(qt_erlang_a_solve(lambda, 1, c, theta, &q), 0);
	check_theory("M/M/5+M", &e, 0, 0, M_abandon_rate, q.p_abandon);
	check_theory("M/M/5+M", &e, 0, 0, M_queue_mean, q.lq);
	check_books("M/M/5+M", &e);
	experiment_free(&e);
	scenario_free(&sc);
}

/* Little's law with L measured independently of W: the queue length the policy holds,
 * sampled every 2 hours into timeseries.csv rows, against lambda x mean time in queue. */
static void test_little_sampled(void)
{
	scenario sc;
	experiment e;
	if (fx_load(&sc,
		    "run = { horizon = \"100000h\"; warmup = \"2000h\"; replications = 10; seed = 21; };\n"
		    "cluster = { pools = ( { name = \"gpu\"; nodes = 5; gpus_per_node = 1; } ); };\n"
		    "workload = { arrivals = { process = \"poisson\"; rate = \"4/h\"; };\n"
		    "  classes = ( { name = \"a\"; share = 1.0; gpus = 1; service = \"exponential(1h)\";\n"
		    "                patience = \"exponential(2h)\"; } ); };\n"
		    "policies = ( \"fcfs\" );\n"
		    "output = { timeseries_step = \"2h\"; };\n") ||
	    fx_run(&e, &sc)) {
		TEST_FAIL_("%s", "sampled Little's law run did not run");
		return;
	}
	double d[sc.replications];
	for (int r = 0; r < sc.replications; r++) {
		FILE *f = e.ts_parts[r];
		char line[512];
		double sum = 0, n = 0;
		rewind(f);
		while (fgets(line, sizeof line, f)) {
			double t, queued;
			if (sscanf(line, "fcfs,%*d,%lf,%lf,", &t, &queued) == 2 && t >= sc.warmup) {
				sum += queued;
				n++;
			}
		}
		const rep_metrics *rm = experiment_rep(&e, 0, r);
		double lambda = rm->v[0][M_arrivals] / (sc.horizon - sc.warmup);
		CHECK(n > 40000);
		d[r] = sum / n - lambda * rm->v[0][M_queue_time_mean];
	}
	double mean, hw;
	stat_ci(d, (size_t)sc.replications, LEVEL, &mean, &hw);
	fprintf(stderr, "sampled Little's law: L(samples) - lambda W = %.4g +- %.3g\n", mean, hw);
	CHECK_IN_CI(0.0, mean, hw);
	experiment_free(&e);
	scenario_free(&sc);
}

int main(void)
{
	test_mmc(2.5, 5, 100000, 10);  /* load 0.50 */
	test_mmc(4.0, 5, 400000, 10);  /* load 0.80 */
	test_mmc(4.75, 5, 400000, 20); /* load 0.95 */
	test_mg1();
	test_priority((const double[]){0.8, 1.6}, 2, 3);
	test_priority((const double[]){0.4, 0.8, 1.2}, 3, 3);
	test_erlang_a();
	test_little_sampled();
	return test_report("test_validation");
}
