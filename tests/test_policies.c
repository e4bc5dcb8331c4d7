/* test_policies.c - each policy's defining property, checked on what it did (jobs.csv
 * rows) and on its results for the same arrivals as fcfs: sjf starts the shortest
 * announced job and beats fcfs on mean wait; aging sits between fcfs and priority and
 * becomes each at its extremes; fair-share gives saturated tenants equal shares where
 * fcfs gives them their submission shares. */
#include "fixture.h"
#include "queueing.h"
#include "test.h"

typedef struct row {
	int rep, tenant;
	double arrival, start, estimate;
	char pol[32], cls[32];
} row;

/* The rows of one task's jobs.csv part that started service. */
static int read_rows(FILE *f, row **out)
{
	char line[1024];
	int n = 0, cap = 1024;
	row *r = malloc((size_t)cap * sizeof *r);
	rewind(f);
	while (fgets(line, sizeof line, f)) {
		row x;
		char tenant[32];
		if (sscanf(line, "%31[^,],%d,%*d,%31[^,],%31[^,],%lf,%lf,%*[^,],%*[^,],%*[^,],%*[^,],%*[^,],%lf,", x.pol, &x.rep,
			   x.cls, tenant, &x.arrival, &x.start, &x.estimate) != 7)
			continue; /* abandoned: no start */
		x.tenant = tenant[0] == 't' ? atoi(tenant + 1) : 0;
		if (n == cap)
			r = realloc(r, (size_t)(cap *= 2) * sizeof *r);
		r[n++] = x;
	}
	*out = r;
	return n;
}

static const char one_pool[] =
	"run = { horizon = \"%s\"; warmup = \"1d\"; replications = %d; seed = 8; };\n"
	"cluster = { pools = ( { name = \"gpu\"; nodes = 4; gpus_per_node = 1; } ); };\n"
	"workload = { arrivals = { process = \"poisson\"; rate = \"%s\"; };\n"
	"  classes = ( %s ); };\n"
	"policies = ( %s );\n"
	"output = { jobs = true; };\n";

/* sjf: every job that waited started when no waiting job had a smaller estimate, and
 * the mean wait falls below fcfs's with the paired difference's interval below zero. */
static void test_sjf(void)
{
	scenario sc;
	experiment e;
	if (fx_load(&sc, one_pool, "20d", 5, "3.5/h",
		    "{ name = \"a\"; share = 1.0; service = \"lognormal(1h, 2.0)\"; estimate = \"lognormal(1, 0.3)\"; }",
		    "\"fcfs\", \"sjf\"") ||
	    fx_run(&e, &sc))
		return (void)TEST_FAIL_("%s", "sjf did not run");
	row *r;
	int n = read_rows(e.jobs_parts[sc.replications], &r), violations = 0, waited = 0; /* sjf, replication 0 */
	for (int i = 0; i < n; i++) {
		if (r[i].start <= r[i].arrival)
			continue;
		waited++;
		for (int k = 0; k < n; k++) /* waiting when i started: arrived before, started after */
			violations += r[k].arrival < r[i].start && r[k].start > r[i].start && r[k].estimate < r[i].estimate;
	}
	fprintf(stderr, "sjf: %d jobs started, %d after waiting, %d started ahead of a shorter estimate\n", n, waited, violations);
	CHECK(waited > 100);
	CHECK_INT(violations, 0);
	free(r);
	double d[sc.replications], mean, hw;
	for (int k = 0; k < sc.replications; k++)
		d[k] = experiment_rep(&e, 1, k)->v[0][M_wait_mean] - experiment_rep(&e, 0, k)->v[0][M_wait_mean];
	stat_ci(d, (size_t)sc.replications, 0.95, &mean, &hw);
	fprintf(stderr, "sjf - fcfs mean wait: %.1f +- %.1f s\n", mean, hw);
	CHECK(mean + hw < 0);
	experiment_free(&e);
	scenario_free(&sc);
}

static const char three_classes[] =
	"{ name = \"p0\"; share = 0.2; priority = 0; service = \"exponential(1h)\"; },"
	"{ name = \"p1\"; share = 0.3; priority = 1; service = \"exponential(1h)\"; },"
	"{ name = \"p2\"; share = 0.5; priority = 2; service = \"exponential(1h)\"; }";

/* aging with a step no job ever waits is priority; with a step of a microsecond it is
 * arrival order, i.e. fcfs: same bytes. In between, waits lie between the two. */
static void test_aging(void)
{
	scenario sc;
	experiment e;
	if (fx_load(&sc, one_pool, "30d", 3, "3.4/h", three_classes,
		    "\"fcfs\", \"priority\", { name = \"aging\"; label = \"aging-inf\"; step = \"100000d\"; },"
		    "{ name = \"aging\"; label = \"aging-0\"; step = \"0.000001s\"; },"
		    "{ name = \"aging\"; label = \"aging-1h\"; step = \"1h\"; }") ||
	    fx_run(&e, &sc))
		return (void)TEST_FAIL_("%s", "aging did not run");
	for (int r = 0; r < sc.replications; r++)
		for (int s = 0; s <= sc.nclasses; s++)
			for (int m = 0; m < M_COUNT; m++) {
				const double *fc = experiment_rep(&e, 0, r)->v[s], *pr = experiment_rep(&e, 1, r)->v[s];
				const double *big = experiment_rep(&e, 2, r)->v[s], *tiny = experiment_rep(&e, 3, r)->v[s];
				if (isnan(fc[m]))
					continue;
				test_checks += 2;
				if (big[m] != pr[m])
					TEST_FAIL_("aging, huge step vs priority, rep %d scope %d %s: %.10g != %.10g", r, s, metric_names[m], big[m], pr[m]);
				if (tiny[m] != fc[m])
					TEST_FAIL_("aging, tiny step vs fcfs, rep %d scope %d %s: %.10g != %.10g", r, s, metric_names[m], tiny[m], fc[m]);
			}
	/* the lowest class waits less under aging-1h than under priority, the highest more */
	double low_aging = 0, low_prio = 0, high_aging = 0, high_prio = 0;
	for (int r = 0; r < sc.replications; r++) {
		low_aging += experiment_rep(&e, 4, r)->v[3][M_wait_mean];
		low_prio += experiment_rep(&e, 1, r)->v[3][M_wait_mean];
		high_aging += experiment_rep(&e, 4, r)->v[1][M_wait_mean];
		high_prio += experiment_rep(&e, 1, r)->v[1][M_wait_mean];
	}
	CHECK(low_aging < low_prio);
	CHECK(high_aging > high_prio);
	experiment_free(&e);
	scenario_free(&sc);
}

/* fair-share under saturation: three tenants submitting 73%, 18% and 8% of jobs, all
 * backlogged, each get a third of the starts (within 2 points); fcfs gives them their
 * submission shares. */
static void test_fair_share(void)
{
	scenario sc;
	experiment e;
	if (fx_load(&sc, one_pool, "6d", 2, "40/h",
		    "{ name = \"a\"; share = 1.0; service = \"exponential(1h)\"; tenant_mix = \"zipf(3, 2.0)\"; }",
		    "\"fcfs\", \"fair-share\"") ||
	    fx_run(&e, &sc))
		return (void)TEST_FAIL_("%s", "fair-share did not run");
	for (int pi = 0; pi < 2; pi++) {
		row *r;
		int n = read_rows(e.jobs_parts[pi * sc.replications], &r), count[4] = {0}, total = 0;
		for (int i = 0; i < n; i++)
			if (r[i].start >= 2 * 86400) { /* once every tenant is backlogged */
				count[r[i].tenant]++;
				total++;
			}
		double share[3];
		for (int t = 0; t < 3; t++)
			share[t] = (double)count[t + 1] / total;
		fprintf(stderr, "%s: starts per tenant %.3f %.3f %.3f of %d\n", sc.policies[pi].label, share[0], share[1], share[2], total);
		CHECK(total > 300);
		if (pi == 1)
			for (int t = 0; t < 3; t++)
				CHECK_NEAR(share[t], 1.0 / 3, 0.02);
		else
			CHECK(share[0] > 0.6 && share[2] < 0.15);
		free(r);
	}
	experiment_free(&e);
	scenario_free(&sc);
}

/* priority-preemptive: a high class that may evict the low one sees the GPUs as if
 * the low class did not exist, so its mean wait is Erlang C for its own arrivals
 * alone (preemptive-resume priority, equal exponential service). Resume loses no work;
 * restart loses the work of every evicted run. */
static void test_preemptive(void)
{
	scenario sc;
	experiment e;
	if (fx_load(&sc,
		    "run = { horizon = \"400d\"; warmup = \"10d\"; replications = 10; seed = 3; };\n"
		    "cluster = { pools = ( { name = \"gpu\"; nodes = 5; gpus_per_node = 1; } ); };\n"
		    "workload = { arrivals = { rate = \"4/h\"; };\n"
		    "  classes = ( { name = \"hi\"; share = 0.4; priority = 0; service = \"exponential(1h)\"; },\n"
		    "              { name = \"lo\"; share = 0.6; priority = 1; service = \"exponential(1h)\"; } ); };\n"
		    "policies = ( \"priority\", \"priority-preemptive\",\n"
		    "  { name = \"priority-preemptive\"; label = \"restart\"; preempted = \"restart\"; } );\n") ||
	    fx_run(&e, &sc))
		return (void)TEST_FAIL_("%s", "preemptive did not run");
	qt_mmc q = {0};
	CHECK_INT(qt_mmc_solve(1.6, 1, 5, &q), 0);
	double mean, hw;
	fx_ci(&e, 1, 1, M_wait_mean, 0.99, &mean, &hw);
	fprintf(stderr, "preemptive, high class:\n");
	CHECK_IN_CI(q.wq * 3600, mean, hw);
	fx_ci(&e, 0, 1, M_wait_mean, 0.99, &mean, &hw);
	CHECK(mean > 10 * q.wq * 3600); /* without preemption the high class waits far longer */
	for (int r = 0; r < sc.replications; r++) {
		const rep_metrics *resume = experiment_rep(&e, 1, r), *restart = experiment_rep(&e, 2, r);
		CHECK(resume->v[2][M_preemptions] > 100);
		CHECK_INT((long long)resume->v[1][M_preemptions], 0); /* nobody evicts the top class */
		CHECK_INT((long long)resume->v[0][M_lost_gpu_hours], 0);
		CHECK(restart->v[0][M_lost_gpu_hours] > 0);
		for (int pi = 0; pi < 3; pi++) {
			const double *v = experiment_rep(&e, pi, r)->v[0];
			CHECK_INT((long long)v[M_arrivals], (long long)(v[M_jobs_done] + v[M_abandoned] + v[M_balked] + v[M_in_system_end]));
			CHECK(v[M_utilization] <= 1);
		}
	}
	experiment_free(&e);
	scenario_free(&sc);
}

int main(void)
{
	test_sjf();
	test_aging();
	test_fair_share();
	test_preemptive();
	return test_report("test_policies");
}
