/* test_platform.c - properties of one replication that must hold exactly: common random
 * numbers across policies, conservation, money identities, promotion windows, and
 * promotion demand as specified. */
#include "fixture.h"
#include "test.h"

static const char two_pools[] =
	"run = { horizon = \"%s\"; warmup = \"%s\"; replications = %d; seed = 4; };\n"
	"cluster = { pools = (\n"
	"  { name = \"big\"; nodes = 4; gpus_per_node = 8; cost_per_gpu_hour = 2.0; price_per_gpu_hour = 3.5; },\n"
	"  { name = \"small\"; nodes = 20; gpus_per_node = 1; cost_per_gpu_hour = 0.3; price_per_gpu_hour = 0.8; } ); };\n"
	"workload = { arrivals = { process = \"poisson\"; rate = \"30/h\"; %s };\n"
	"  classes = (\n"
	"    { name = \"inf\"; share = 0.9; priority = 0; gpus = 1; service = \"lognormal(30m, 1.0)\";\n"
	"      patience = \"exponential(20m)\"; pools = [ \"small\", \"big\" ]; },\n"
	"    { name = \"train\"; share = 0.1; priority = 1; gpus = 4; service = \"exponential(2h)\"; pools = [ \"big\" ]; } ); };\n"
	"promotions = ( %s );\n"
	"policies = ( \"fcfs\", \"priority\" );\n%s";

/* Every policy sees the same jobs: the same arrivals, class by class, in every
 * replication; and every arrival is accounted for. */
static void test_common_random_numbers(void)
{
	scenario sc;
	experiment e;
	if (fx_load(&sc, two_pools, "10d", "1d", 4, "", "", "") || fx_run(&e, &sc))
		return (void)TEST_FAIL_("%s", "did not run");
	for (int r = 0; r < sc.replications; r++)
		for (int s = 0; s <= sc.nclasses; s++) {
			const rep_metrics *a = experiment_rep(&e, 0, r), *b = experiment_rep(&e, 1, r);
			CHECK(a->v[s][M_arrivals] > 0);
			CHECK_INT((long long)a->v[s][M_arrivals], (long long)b->v[s][M_arrivals]);
			for (int pi = 0; pi < 2; pi++) {
				const rep_metrics *m = experiment_rep(&e, pi, r);
				CHECK_INT((long long)m->v[s][M_arrivals],
					  (long long)(m->v[s][M_jobs_done] + m->v[s][M_abandoned] + m->v[s][M_balked] +
						      m->v[s][M_killed] + m->v[s][M_failed] + m->v[s][M_in_system_end]));
			}
		}
	/* The policies differ: priority serves inference first. */
	CHECK(experiment_rep(&e, 1, 0)->v[1][M_wait_mean] < experiment_rep(&e, 0, 0)->v[1][M_wait_mean]);
	experiment_free(&e);
	scenario_free(&sc);
}

/* revenue - cost = profit everywhere; with no discount, revenue is GPU-hours times the
 * pool's price; utilisation is GPU-hours over powered GPU-hours; busy never exceeds
 * powered. */
static void test_money(void)
{
	scenario sc;
	experiment e;
	if (fx_load(&sc, two_pools, "10d", "1d", 3, "", "", "") || fx_run(&e, &sc))
		return (void)TEST_FAIL_("%s", "did not run");
	double hours = (sc.horizon - sc.warmup) / 3600;
	for (int pi = 0; pi < 2; pi++)
		for (int r = 0; r < sc.replications; r++) {
			const rep_metrics *m = experiment_rep(&e, pi, r);
			for (int q = 0; q < sc.npools; q++) {
				const double *v = m->v[scope_of_pool(&sc, q)];
				double gpus = (double)sc.pools[q].nodes * sc.pools[q].gpus_per_node;
				CHECK_NEAR(v[M_revenue], v[M_gpu_hours] * sc.pools[q].price_per_gpu_hour, 1e-9 * v[M_revenue]);
				CHECK_NEAR(v[M_cost], gpus * hours * sc.pools[q].cost_per_gpu_hour, 1e-9 * v[M_cost]);
				CHECK_NEAR(v[M_utilization], v[M_gpu_hours] / (gpus * hours), 1e-12);
				CHECK(v[M_utilization] <= 1 + 1e-12);
			}
			for (int s = 0; s < scope_count(&sc); s++)
				if (metric_applies(M_profit, scope_kind_of(&sc, s)))
					CHECK_NEAR(m->v[s][M_profit], m->v[s][M_revenue] - m->v[s][M_cost], 1e-9 * fabs(m->v[s][M_cost]));
			/* the pools' figures add up to the platform's */
			const double *all = m->v[0], *p0 = m->v[scope_of_pool(&sc, 0)], *p1 = m->v[scope_of_pool(&sc, 1)];
			CHECK_NEAR(all[M_revenue], p0[M_revenue] + p1[M_revenue], 1e-9 * all[M_revenue]);
			CHECK_NEAR(all[M_gpu_hours], p0[M_gpu_hours] + p1[M_gpu_hours], 1e-9 * all[M_gpu_hours]);
			CHECK_NEAR(all[M_jobs_done], p0[M_jobs_done] + p1[M_jobs_done], 0);
		}
	experiment_free(&e);
	scenario_free(&sc);
}

/* A promotion window that spans the whole measured interval, with no discount and no
 * extra demand, holds exactly the figures of "all". */
static void test_window_equals_all(void)
{
	scenario sc;
	experiment e;
	if (fx_load(&sc, two_pools, "6d", "1d", 2, "",
		    "{ name = \"whole\"; start = \"1d\"; duration = \"5d\"; discount = 0.0; demand = 1.0; }", "") ||
	    fx_run(&e, &sc))
		return (void)TEST_FAIL_("%s", "did not run");
	int w = scope_of_window(&sc, 0);
	for (int pi = 0; pi < 2; pi++)
		for (int r = 0; r < sc.replications; r++)
			for (int m = 0; m < M_COUNT; m++) {
				const rep_metrics *rm = experiment_rep(&e, pi, r);
				if (!metric_applies((metric_id)m, SCOPE_WINDOW))
					continue;
				test_checks++;
				if (!(fabs(rm->v[w][m] - rm->v[0][m]) <= 1e-9 * fabs(rm->v[0][m])))
					TEST_FAIL_("window vs all, %s: %.10g != %.10g", metric_names[m], rm->v[w][m], rm->v[0][m]);
			}
	experiment_free(&e);
	scenario_free(&sc);
}

/* A sale that triples one class's demand for 4 hours brings three times its usual
 * arrivals in the window (Poisson counts: within 4 standard errors over 40 sales), and
 * the discount halves what that class pays per GPU-hour during the sale. */
static void test_promotion_demand(void)
{
	scenario sc;
	experiment e;
	if (fx_load(&sc, two_pools, "3d", "1d", 40, "",
		    "{ name = \"sale\"; start = \"2d 8:00\"; duration = \"4h\"; discount = 0.5; demand = 3.0; classes = [ \"inf\" ]; }", "") ||
	    fx_run(&e, &sc))
		return (void)TEST_FAIL_("%s", "did not run");
	/* expected arrivals in the window: 4 h x 30/h x (0.9 x 3 + 0.1) */
	double expect = 4 * 30 * (0.9 * 3 + 0.1), got = 0;
	for (int r = 0; r < sc.replications; r++)
		got += experiment_rep(&e, 0, r)->v[scope_of_window(&sc, 0)][M_arrivals] / sc.replications;
	CHECK_NEAR(got, expect, 4 * sqrt(expect / sc.replications));
	experiment_free(&e);
	scenario_free(&sc);
}

/* A daily profile puts arrivals in the hours it names, at its rates: here all demand in
 * hour 9 (factor 24, so the daily mean rate stays 30/h). */
static void test_daily_profile(void)
{
	scenario sc;
	experiment e;
	if (fx_load(&sc, two_pools, "21d", "1d", 2, "daily_profile = [0,0,0,0,0,0,0,0,0,24,0,0,0,0,0,0,0,0,0,0,0,0,0,0];",
		    "", "output = { jobs = true; };\n") ||
	    fx_run(&e, &sc))
		return (void)TEST_FAIL_("%s", "did not run");
	double arrivals = experiment_rep(&e, 0, 0)->v[0][M_arrivals], expect = 30 * 24 * 20;
	CHECK_NEAR(arrivals, expect, 4 * sqrt(expect));
	char line[512];
	long rows = 0, outside = 0;
	rewind(e.jobs_parts[0]);
	while (fgets(line, sizeof line, e.jobs_parts[0])) {
		double t;
		if (sscanf(line, "fcfs,0,%*d,%*[^,],%*[^,],%lf,", &t) != 1)
			continue;
		rows++;
		double hour = fmod(t, 86400) / 3600;
		outside += hour < 9 || hour >= 10;
	}
	CHECK(rows > 10000);
	CHECK_INT(outside, 0);
	experiment_free(&e);
	scenario_free(&sc);
}

/* Fractions of a GPU and gangs of whole nodes, replayed from jobs.csv: at no moment do
 * the fractions on a GPU add up to more than one GPU, and no job shares a node with a
 * gang while the gang runs. */
typedef struct use {
	double start, end, gpus;
	int node, gpu, gang[4], ngang;
} use;

static void test_fractions_and_gangs(void)
{
	scenario sc;
	experiment e;
	if (fx_load(&sc,
		    "run = { horizon = \"10d\"; warmup = \"0s\"; replications = 1; seed = 12; };\n"
		    "cluster = { pools = ( { name = \"p\"; nodes = 6; gpus_per_node = 4; } ); };\n"
		    "workload = { arrivals = { rate = \"10/h\"; };\n"
		    "  classes = ( { name = \"quarter\"; share = 0.5; gpus = 0.25; service = \"exponential(1h)\"; },\n"
		    "              { name = \"half\"; share = 0.3; gpus = 0.5; service = \"exponential(1h)\"; },\n"
		    "              { name = \"three\"; share = 0.15; gpus = 3; service = \"exponential(1h)\"; },\n"
		    "              { name = \"gang\"; share = 0.05; gpus = 8; service = \"exponential(2h)\"; } ); };\n"
		    "policies = ( \"fcfs\" );\n"
		    "output = { jobs = true; };\n") ||
	    fx_run(&e, &sc))
		return (void)TEST_FAIL_("%s", "did not run");
	use *u = malloc(20000 * sizeof *u);
	int n = 0, gangs = 0, fractions = 0;
	char line[1024];
	rewind(e.jobs_parts[0]);
	while (fgets(line, sizeof line, e.jobs_parts[0]) && n < 20000) {
		use x = {0};
		char where[64];
		if (sscanf(line, "fcfs,0,%*d,%*[^,],%*[^,],%*[^,],%lf,%lf,p,%63[^,],%lf,", &x.start, &x.end, where, &x.gpus) != 4)
			continue;
		x.gpu = -1;
		if (strchr(where, '+')) {
			char *at = where;
			for (x.ngang = 0; x.ngang < 4 && *at; x.ngang++) {
				x.gang[x.ngang] = (int)strtol(at, &at, 10);
				at += *at == '+';
			}
			x.node = -1;
			gangs++;
		} else if (sscanf(where, "%d:%d", &x.node, &x.gpu) == 2) {
			fractions++;
		} else {
			x.node = atoi(where);
		}
		u[n++] = x;
	}
	CHECK(gangs > 10);
	CHECK(fractions > 1000);
	long over = 0, shared_gang = 0;
	for (int i = 0; i < n; i++) {
		/* at each fraction's start, the fractions running on its GPU */
		if (u[i].gpu >= 0) {
			double sum = 0;
			for (int k = 0; k < n; k++)
				if (u[k].gpu == u[i].gpu && u[k].node == u[i].node && u[k].start <= u[i].start && u[k].end > u[i].start)
					sum += u[k].gpus;
			over += sum > 1 + 1e-9;
		}
		/* no job on a gang's nodes while it runs */
		for (int g = 0; g < u[i].ngang; g++)
			for (int k = 0; k < n; k++)
				shared_gang += k != i && u[k].start < u[i].end && u[k].end > u[i].start &&
					       (u[k].node == u[i].gang[g] ||
						(u[k].ngang && (u[k].gang[0] == u[i].gang[g] || u[k].gang[1] == u[i].gang[g])));
	}
	fprintf(stderr, "%d jobs placed: %d fractions, %d gangs; %ld GPUs over 100%%, %ld jobs beside a gang\n", n,
		fractions, gangs, over, shared_gang);
	CHECK_INT(over, 0);
	CHECK_INT(shared_gang, 0);
	free(u);
	experiment_free(&e);
	scenario_free(&sc);
}

/* Minimum billing: 30-second jobs on a pool that bills at least a minute pay for a
 * minute each; revenue is always billed GPU-hours times the price. */
static void test_minimum_billing(void)
{
	scenario sc;
	experiment e;
	if (fx_load(&sc,
		    "run = { horizon = \"2d\"; warmup = \"0s\"; replications = 2; seed = 2; };\n"
		    "cluster = { pools = ( { name = \"p\"; nodes = 4; gpus_per_node = 2; price_per_gpu_hour = 3.6;\n"
		    "                        minimum_billing = \"1m\"; } ); };\n"
		    "workload = { arrivals = { rate = \"100/h\"; };\n"
		    "  classes = ( { name = \"short\"; share = 1.0; gpus = 2; service = \"constant(30s)\"; } ); };\n"
		    "policies = ( \"fcfs\" );\n") ||
	    fx_run(&e, &sc))
		return (void)TEST_FAIL_("%s", "did not run");
	for (int r = 0; r < sc.replications; r++) {
		const double *v = experiment_rep(&e, 0, r)->v[0];
		CHECK(v[M_jobs_done] > 4000);
		CHECK_NEAR(v[M_gpu_hours], v[M_jobs_done] * 2 * 30 / 3600.0, 4 * 2 * 30 / 3600.0);
		CHECK_NEAR(v[M_billed_gpu_hours], v[M_jobs_done] * 2 * 60 / 3600.0, 4 * 2 * 30 / 3600.0);
		CHECK_NEAR(v[M_revenue], v[M_billed_gpu_hours] * 3.6, 1e-9 * v[M_revenue]);
	}
	experiment_free(&e);
	scenario_free(&sc);
}

/* Tenant scopes: with three Zipf tenants every tenant is a scope, and their arrivals,
 * completions, GPU-hours and revenue add up to the platform's exactly. */
static void test_tenant_scopes(void)
{
	scenario sc;
	experiment e;
	if (fx_load(&sc,
		    "run = { horizon = \"3d\"; warmup = \"12h\"; replications = 2; seed = 6; };\n"
		    "cluster = { pools = ( { name = \"p\"; nodes = 4; gpus_per_node = 2; price_per_gpu_hour = 2.0; } ); };\n"
		    "workload = { arrivals = { rate = \"6/h\"; };\n"
		    "  classes = ( { name = \"a\"; share = 1.0; service = \"exponential(1h)\"; tenant_mix = \"zipf(3, 1.0)\";\n"
		    "                patience = \"exponential(1h)\"; } ); };\n"
		    "policies = ( \"fcfs\", \"fair-share\" );\n") ||
	    fx_run(&e, &sc))
		return (void)TEST_FAIL_("%s", "did not run");
	CHECK_INT(tenant_scopes(&sc), 3);
	char name[64];
	CHECK_STR(scope_name(&sc, scope_of_tenant(&sc, 2), name, sizeof name), "tenant:t3");
	static const metric_id summed[] = {M_arrivals, M_jobs_done, M_abandoned, M_in_system_end, M_gpu_hours, M_revenue};
	for (int pi = 0; pi < 2; pi++)
		for (int r = 0; r < sc.replications; r++)
			for (size_t m = 0; m < sizeof summed / sizeof *summed; m++) {
				const rep_metrics *rm = experiment_rep(&e, pi, r);
				double sum = 0;
				for (int t = 0; t < 3; t++)
					sum += rm->v[scope_of_tenant(&sc, t)][summed[m]];
				CHECK_NEAR(sum, rm->v[0][summed[m]], 1e-9 * fabs(rm->v[0][summed[m]]));
			}
	/* Zipf weights 1, 1/2, 1/3: the first tenant submits the most */
	const rep_metrics *rm = experiment_rep(&e, 0, 0);
	CHECK(rm->v[scope_of_tenant(&sc, 0)][M_arrivals] > rm->v[scope_of_tenant(&sc, 2)][M_arrivals]);
	experiment_free(&e);
	scenario_free(&sc);
}

int main(void)
{
	test_common_random_numbers();
	test_money();
	test_window_equals_all();
	test_promotion_demand();
	test_daily_profile();
	test_fractions_and_gangs();
	test_minimum_billing();
	test_tenant_scopes();
	return test_report("test_platform");
}
