/* test_plugins.c - the lottery plugin (models/plugins/lottery.c) under saturation: each
 * tenant's long-run share of GPU time matches its share of the tickets within the
 * confidence interval across replications; fcfs on the same arrivals does not (so the
 * test can fail). Also the plugin API's answers at load time (no run yet), the marks
 * plugin_guard.h keeps of the call in progress, run.plugin_timeout, and a placement
 * that calls back into the platform from place() (tests/plugins/hostile.c). Needs
 * `make plugins` (make test builds them) and runs from the repository root. */
#include <limits.h>
#include <string.h>

#include "fixture.h"
#include "metrics.h"
#include "plugin.h"
#include "plugin_guard.h"
#include "test.h"

enum { REPS = 20, TENANTS = 3 };
static const double tickets[TENANTS] = {1, 3, 4};

/* Per replication, tenant t's GPU-hours over everyone's. */
static void share_ci(const experiment *e, int pi, int t, double level, double *mean, double *hw)
{
	const scenario *sc = e->sc;
	double x[REPS];
	for (int r = 0; r < REPS; r++) {
		const rep_metrics *m = experiment_rep(e, pi, r);
		x[r] = m->v[scope_of_tenant(sc, t)][M_gpu_hours] / m->v[0][M_gpu_hours];
	}
	stat_ci(x, REPS, level, mean, hw);
}

static void test_lottery_shares(const char *so)
{
	scenario sc;
	/* 10 GPUs, three equally busy tenants, offered load 3: every tenant always has
	 * jobs waiting (patience 8h keeps the queue finite, yet long enough that even
	 * the tenant with most tickets, served 5 of its 10 arrivals an hour, keeps about 40
	 * waiting and is practically never out of the lottery), so every lottery is among all
	 * three. Jobs are all one GPU with the same service law: GPU share = start share. */
	if (fx_load(&sc,
		    "run = { horizon = \"20d\"; warmup = \"1d\"; replications = %d; seed = 11; confidence = 0.99; };\n"
		    "cluster = { pools = ( { name = \"gpu\"; nodes = 10; gpus_per_node = 1; } ); };\n"
		    "workload = { arrivals = { rate = \"30/h\"; };\n"
		    "  classes = ( { name = \"a\"; share = 1.0; gpus = 1; service = \"exponential(1h)\";\n"
		    "                patience = \"exponential(8h)\"; tenant_mix = \"zipf(%d, 0)\"; } ); };\n"
		    "policies = ( \"fcfs\", { name = \"lottery\"; plugin = \"%s\";\n"
		    "             params = { tickets = 1; t2 = %g; t3 = %g; }; } );\n"
		    "output = { plots = false; };\n",
		    REPS, TENANTS, so, tickets[1], tickets[2])) {
		TEST_FAIL_("%s", "the lottery scenario does not load");
		return;
	}
	experiment e;
	CHECK_INT(fx_run(&e, &sc), 0);
	double total = 0;
	for (int t = 0; t < TENANTS; t++)
		total += tickets[t];
	/* The tenants' shares are one family (they sum to 1): simultaneous intervals,
	 * Bonferroni over the tenants, so the test fails with probability 1%, not 3%. */
	double level = 1 - (1 - sc.confidence) / TENANTS;
	for (int t = 0; t < TENANTS; t++) {
		double want = tickets[t] / total, mean, hw, fmean, fhw;
		share_ci(&e, 1, t, level, &mean, &hw);
		share_ci(&e, 0, t, level, &fmean, &fhw);
		printf("  tenant t%d: tickets %.3f, lottery GPU share %.4f +- %.4f, fcfs %.4f +- %.4f\n", t + 1, want,
		       mean, hw, fmean, fhw);
		CHECK(fabs(mean - want) <= hw);
		CHECK(hw < 0.02);                   /* a real test: the interval is narrow */
		CHECK(fabs(fmean - want) > fhw);    /* fcfs gives about a third each: it fails */
	}
	experiment_free(&e);
	scenario_free(&sc);
}

/* Same seed, 1 or 2 threads: the lottery's draws come from fgsim's stream. */
static void test_lottery_threads(const char *so)
{
	scenario sc;
	if (fx_load(&sc,
		    "run = { horizon = \"2d\"; warmup = \"0s\"; replications = 3; seed = 5; };\n"
		    "cluster = { pools = ( { name = \"gpu\"; nodes = 4; gpus_per_node = 1; } ); };\n"
		    "workload = { arrivals = { rate = \"8/h\"; };\n"
		    "  classes = ( { name = \"a\"; share = 1.0; gpus = 1; service = \"exponential(1h)\";\n"
		    "                tenant_mix = \"zipf(5, 1)\"; } ); };\n"
		    "policies = ( { name = \"lottery\"; plugin = \"%s\"; params = { tickets = 2; t1 = 7; }; } );\n"
		    "output = { plots = false; };\n",
		    so)) {
		TEST_FAIL_("%s", "the small lottery scenario does not load");
		return;
	}
	experiment a, b;
	CHECK_INT(experiment_run(&a, &sc, 1, 1, NULL), 0);
	CHECK_INT(experiment_run(&b, &sc, 2, 1, NULL), 0);
	int differ = 0;
	for (int r = 0; r < 3; r++)
		differ += memcmp(experiment_rep(&a, 0, r)->v, experiment_rep(&b, 0, r)->v, sizeof a.reps[0].v) != 0;
	CHECK_INT(differ, 0);
	experiment_free(&a);
	experiment_free(&b);
	scenario_free(&sc);
}

/* What a plugin sees before any run: the scenario's tenants, classes and pools. */
static void test_api_at_load(void)
{
	scenario sc;
	if (fx_load(&sc, "run = { horizon = \"1d\"; };\n"
			 "cluster = { pools = ( { name = \"h\"; gpu = \"H100\"; nodes = 3; gpus_per_node = 8; } ); };\n"
			 "workload = { arrivals = { rate = \"1/h\"; };\n"
			 "  classes = ( { name = \"a\"; share = 1.0; gpus = 1; service = \"exponential(1h)\";\n"
			 "                tenant_mix = \"zipf(4, 1)\"; } ); };\n"
			 "policies = ( \"fcfs\" );\n")) {
		TEST_FAIL_("%s", "the api scenario does not load");
		return;
	}
	fgp_ctx cx = {&sc, &sc.policies[0], NULL, NULL, "test", NULL};
	const fgp_api *api = &platform_plugin_api;
	char name[32];
	fgp_pool pool;
	CHECK_INT(api->abi, FGP_ABI);
	CHECK_INT(api->nclasses(&cx), 1);
	CHECK_STR(api->class_name(&cx, 0), "a");
	CHECK_INT(api->ntenants(&cx), 4);
	CHECK_STR(api->tenant_name(&cx, 3, name, sizeof name), "t4");
	CHECK_INT(api->npools(&cx), 1);
	api->pool(&cx, 0, &pool);
	CHECK_STR(pool.name, "h");
	CHECK_INT(pool.cap_milli, 24000);
	CHECK_INT(pool.free_milli, 24000);
	CHECK_INT(api->node_free_milli(&cx, 0, 2), 8000);
	CHECK_INT(api->node_free_milli(&cx, 0, 3), 0);
	CHECK(api->now(&cx) == 0);
	CHECK_INT(api->next_running(&cx, FGP_NONE), FGP_NONE);
	CHECK_INT(api->fits(&cx, 0, NULL), 0);
	CHECK(api->start(&cx, 0, NULL) != 0);
	scenario_free(&sc);
}

/* Calls nest (start calls remove): the innermost is the one in progress, the outer
 * one comes back on leaving, and only an outermost call moves the watchdog's counter. */
static void test_guard_marks(void)
{
	int rep = 4;
	double now = 12.5;
	const pg_site sched = {"policy \"x\"", PG_SCHEDULE, &rep, &now}, rm = {"policy \"x\"", PG_REMOVE, &rep, &now};
	CHECK_INT(pg_current_call(), PG_NONE);
	pg_slot *s = pg_thread_slot();
	CHECK(s == pg_self);
	unsigned long gen = atomic_load(&s->gen);
	const pg_site *a = pg_enter(s, &sched);
	CHECK(a == NULL);
	CHECK_INT(pg_current_call(), PG_SCHEDULE);
	const pg_site *b = pg_enter(s, &rm);
	CHECK(b == &sched);
	CHECK_INT(pg_current_call(), PG_REMOVE);
	CHECK_INT(atomic_load(&s->gen), gen + 1);
	pg_leave(s, b);
	CHECK_INT(pg_current_call(), PG_SCHEDULE);
	pg_leave(s, a);
	CHECK_INT(pg_current_call(), PG_NONE);
	pg_leave(s, pg_enter(s, &rm));
	CHECK_INT(atomic_load(&s->gen), gen + 2);
	CHECK_STR(pg_call_name(PG_PLACE), "place");
}

/* run.plugin_timeout: 10 s unless set, a duration, and never zero. */
static void test_timeout_key(void)
{
	static const char *const rest = "cluster = { pools = ( { name = \"h\"; nodes = 1; gpus_per_node = 1; } ); };\n"
					"workload = { arrivals = { rate = \"1/h\"; };\n"
					"  classes = ( { name = \"a\"; share = 1.0; gpus = 1; service = \"exponential(1h)\"; } ); };\n"
					"policies = ( \"fcfs\" );\n";
	scenario sc;
	if (!fx_load(&sc, "run = { horizon = \"1d\"; };\n%s", rest)) {
		CHECK(sc.plugin_timeout == PG_DEFAULT_TIMEOUT);
		scenario_free(&sc);
	} else
		TEST_FAIL_("%s", "a scenario without run.plugin_timeout does not load");
	if (!fx_load(&sc, "run = { horizon = \"1d\"; plugin_timeout = \"2m\"; };\n%s", rest)) {
		CHECK(sc.plugin_timeout == 120);
		scenario_free(&sc);
	} else
		TEST_FAIL_("%s", "run.plugin_timeout = \"2m\" does not load");
	fprintf(stderr, "(an error about plugin_timeout is expected next)\n");
	CHECK(fx_load(&sc, "run = { horizon = \"1d\"; plugin_timeout = \"0s\"; };\n%s", rest) != 0);
}

/* A placement that calls start (or fits) from place() would recurse until the stack
 * overflows: the run stops instead, with the placement's name and the call. */
static void test_reentry(const char *hostile)
{
	static const char *const want[] = {"reenter", "called start from place()", "fits", "called fits from place()"};
	for (int k = 0; k < 4; k += 2) {
		scenario sc;
		if (fx_load(&sc,
			    "run = { horizon = \"1d\"; replications = 2; };\n"
			    "cluster = { pools = ( { name = \"h\"; nodes = 2; gpus_per_node = 1; } ); };\n"
			    "workload = { arrivals = { rate = \"4/h\"; };\n"
			    "  classes = ( { name = \"a\"; share = 1.0; gpus = 1; service = \"exponential(1h)\"; } ); };\n"
			    "policies = ( \"fcfs\" );\n"
			    "placement = { name = \"hp\"; plugin = \"%s\"; params = { mode = \"%s\"; }; };\n"
			    "output = { plots = false; };\n",
			    hostile, want[k])) {
			TEST_FAIL_("the %s scenario does not load", want[k]);
			continue;
		}
		experiment e;
		fprintf(stderr, "(a failed experiment is expected next)\n");
		CHECK(fx_run(&e, &sc) != 0);
		CHECK(strstr(e.error, "placement \"hp\"") != NULL);
		CHECK(strstr(e.error, want[k + 1]) != NULL);
		experiment_free(&e);
		scenario_free(&sc);
	}
}

int main(int argc, char **argv)
{
	char cwd[PATH_MAX], so[PATH_MAX + 64], hostile[PATH_MAX + 64];
	if (!getcwd(cwd, sizeof cwd))
		return 1;
	snprintf(so, sizeof so, "%s/models/plugins/lottery.so", cwd);
	if (access(so, R_OK)) {
		TEST_FAIL_("%s is missing: run `make plugins` (make test builds it), from the repository root", so);
		return test_report("test_plugins");
	}
	test_api_at_load();
	test_guard_marks();
	test_timeout_key();
	/* the test plugins are built beside this binary: build/tests/plugins/ */
	const char *slash = argc > 0 ? strrchr(argv[0], '/') : NULL;
	snprintf(hostile, sizeof hostile, "%s%s%.*s/plugins/hostile.so", argv[0][0] == '/' ? "" : cwd,
		 argv[0][0] == '/' ? "" : "/", slash ? (int)(slash - argv[0]) : 1, slash ? argv[0] : ".");
	if (access(hostile, R_OK))
		TEST_FAIL_("%s is missing: make test builds it", hostile);
	else
		test_reentry(hostile);
	test_lottery_threads(so);
	test_lottery_shares(so);
	return test_report("test_plugins");
}
