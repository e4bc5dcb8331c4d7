/* test_maintenance.c - planned maintenance windows (failures.c, cluster_cordon): the
 * cordon in the cluster alone (a draining node takes nothing new, whole GPUs, fractions
 * or gangs), the capacity a window takes (node_availability), a drain under saturation
 * that never interrupts a run, a preemptive window whose runs lose what a failure costs
 * them, and the invariants after every event with failures, drains and gangs at once. */
#include <math.h>
#include <string.h>

#include "cluster.h"
#include "fixture.h"
#include "platform.h"
#include "test.h"

static const char *cluster_ok(const cluster *c)
{
	const char *why = cluster_check(c);
	if (why)
		TEST_FAIL_("cluster_check: %s", why);
	return why;
}

/* One pool of 3 nodes x 4 GPUs. Node 2 holds a whole GPU and a half when it is cordoned:
 * its three free GPUs go off at once, nothing is placed there (whole GPUs, a fraction
 * beside the half, a gang), and each GPU its jobs give back goes off too; once empty it
 * goes down and comes back with all four GPUs free. */
static void test_cordon(void)
{
	scenario sc;
	cluster c;
	if (fx_load(&sc, "run = { horizon = \"1d\"; };\n"
			 "cluster = { pools = ( { name = \"p\"; nodes = 3; gpus_per_node = 4; } ); };\n"
			 "workload = { arrivals = { rate = \"1/h\"; };\n"
			 "  classes = ( { name = \"a\"; service = \"exponential(1h)\"; } ); };\n"
			 "policies = ( \"fcfs\" );\n") ||
	    cluster_init(&c, &sc))
		return (void)TEST_FAIL_("%s", "did not load");
	slot whole = {0, 2, -1}, half = {0, 2, 1}, s;
	cluster_take(&c, &whole, 1000, NULL); /* GPU 0 of node 2 */
	cluster_take(&c, &half, 500, NULL);   /* half of GPU 1 */
	cluster_cordon(&c, 0, 2);
	cluster_ok(&c);
	CHECK_INT(c.pools[0].cap_milli, 10 * 1000); /* 12 GPUs less the 2 free ones of node 2 */
	CHECK_INT(c.pools[0].cordon_off_milli, 2000);
	CHECK(!cluster_cordon_empty(&c, 0, 2));
	/* fill nodes 0 and 1 but for half a GPU on node 1: what is left is node 1's half, never
	 * the free half of node 2's shared GPU */
	for (int i = 0; i < 7; i++) {
		CHECK_INT(cluster_place(&c, 0, 1000, &s), 0);
		CHECK(s.node != 2);
		cluster_take(&c, &s, 1000, NULL);
	}
	CHECK_INT(cluster_place(&c, 0, 500, &s), 0);
	CHECK(s.node == 1);
	cluster_take(&c, &s, 500, NULL);
	CHECK_INT(cluster_place(&c, 0, 500, &s), 0); /* the other half of node 1's GPU */
	CHECK(s.node == 1);
	cluster_take(&c, &s, 500, NULL);
	CHECK_INT(cluster_place(&c, 0, 500, &s), -1); /* node 2's free half is not offered */
	CHECK_INT(cluster_place(&c, 0, 1000, &s), -1);
	slot frac2 = {0, 2, 1};
	CHECK(!cluster_slot_fits(&c, 0, 500, &frac2));
	cluster_ok(&c);
	cluster_give(&c, &whole, 1000, NULL); /* GPU 0 goes off, not free */
	CHECK_INT(cluster_place(&c, 0, 1000, &s), -1);
	CHECK_INT(c.pools[0].cordon_off_milli, 3000);
	CHECK(!cluster_cordon_empty(&c, 0, 2));
	cluster_give(&c, &half, 500, NULL); /* the last job: node 2 is empty */
	CHECK(cluster_cordon_empty(&c, 0, 2));
	CHECK_INT(c.pools[0].cap_milli, 8 * 1000);
	cluster_ok(&c);
	cluster_set_down(&c, 0, 2, 1);
	CHECK_INT(c.pools[0].ncordon, 0);
	CHECK_INT(c.pools[0].cordon_off_milli, 0);
	cluster_ok(&c);
	cluster_set_down(&c, 0, 2, 0);
	CHECK_INT(c.pools[0].cap_milli, 12 * 1000);
	CHECK_INT(cluster_place(&c, 0, 4000, &s), 0); /* back: all four GPUs free */
	CHECK_INT(s.node, 2);
	cluster_ok(&c);
	/* a gang of two nodes cannot use a cordoned idle node */
	cluster_reset(&c, &sc);
	cluster_cordon(&c, 0, 1);
	CHECK(cluster_cordon_empty(&c, 0, 1)); /* idle: empty at once */
	CHECK_INT(c.pools[0].free_nodes, 2);
	cluster_ok(&c);
	cluster_destroy(&c);
	scenario_free(&sc);
}

/* 10 idle nodes over 10 days; a window takes 4 of them for a day from day 2: they are
 * available 1 - 4 / 100 of the node-days, in all and the pool's scope, drained (idle:
 * at once) or preempted alike. Nothing ran, so nothing was interrupted. */
static const char idle[] =
	"run = { horizon = \"10d\"; replications = 2; };\n"
	"cluster = { pools = ( { name = \"p\"; nodes = 10; gpus_per_node = 1;\n"
	"  maintenance = ( { start = \"2d\"; duration = \"1d\"; nodes = 4; mode = \"%s\"; } ); },\n"
	"  { name = \"q\"; nodes = 10; gpus_per_node = 1; } ); };\n"
	"workload = { arrivals = { rate = \"1/d\"; };\n"
	"  classes = ( { name = \"a\"; service = \"constant(1s)\"; pools = [ \"q\" ]; } ); };\n"
	"policies = ( \"fcfs\" );\noutput = { plots = false; };\n";

static void test_capacity(void)
{
	const char *modes[] = {"drain", "preempt"};
	for (int k = 0; k < 2; k++) {
		scenario sc;
		experiment e;
		if (fx_load(&sc, idle, modes[k]) || fx_run(&e, &sc))
			return (void)TEST_FAIL_("%s", "did not run");
		const rep_metrics *m = experiment_rep(&e, 0, 0);
		CHECK_NEAR(m->v[0][M_node_availability], 1 - 4.0 / 200, 1e-12);
		CHECK_NEAR(m->v[scope_of_pool(&sc, 0)][M_node_availability], 1 - 4.0 / 100, 1e-12);
		CHECK_NEAR(m->v[scope_of_pool(&sc, 1)][M_node_availability], 1, 1e-12);
		CHECK_NEAR(m->v[0][M_interrupted], 0, 0);
		CHECK_NEAR(m->v[0][M_failures], 0, 0);
		experiment_free(&e);
		scenario_free(&sc);
	}
}

/* 4 one-GPU nodes kept full (an arrival every 6 minutes for 30-minute jobs: offered
 * load 5 GPUs), 2 of them maintained for 4 hours from day 1. Drained: a node takes no
 * new job, so it empties within one run (30m) of the window's opening, long before its
 * 4-hour deadline, and no run is interrupted; its time out is the duration all the same.
 * Preempted: both nodes' runs stop at the opening, one each. If a draining node took
 * new jobs under this load it would never empty, and the deadline would interrupt. */
static const char saturated[] =
	"run = { horizon = \"3d\"; replications = 4; };\n"
	"cluster = { pools = ( { name = \"p\"; nodes = 4; gpus_per_node = 1;\n"
	"  maintenance = ( { start = \"1d\"; duration = \"4h\"; nodes = 2; mode = \"%s\"; } ); } ); };\n"
	"workload = { arrivals = { process = \"poisson\"; rate = \"10/h\"; };\n"
	"  classes = ( { name = \"a\"; service = \"constant(30m)\"; } ); };\n"
	"policies = ( \"fcfs\" );\noutput = { plots = false; };\n";

static void test_drain_takes_nothing_new(void)
{
	const char *modes[] = {"drain", "preempt"};
	for (int k = 0; k < 2; k++) {
		scenario sc;
		experiment e;
		if (fx_load(&sc, saturated, modes[k]) || fx_run(&e, &sc))
			return (void)TEST_FAIL_("%s", "did not run");
		for (int r = 0; r < sc.replications; r++) {
			const rep_metrics *m = experiment_rep(&e, 0, r);
			CHECK_NEAR(m->v[0][M_interrupted], k == 0 ? 0 : 2, 0);
			CHECK_NEAR(m->v[0][M_node_availability], 1 - 2 * 4.0 / (4 * 72), 1e-12);
			CHECK(m->v[0][M_wait_mean] > 0); /* it was saturated */
		}
		experiment_free(&e);
		scenario_free(&sc);
	}
}

/* never_done (test_failures.c) with every node maintained preemptively at day 30 for
 * 4 hours: each run then loses what a failure costs it, the cycle since its last
 * checkpoint (66m / 2 on average: its phase at day 30 is uniform) and its 10m reload,
 * 43m per interrupted run, within the runs' 99% interval. */
static void test_preempt_as_failure(void)
{
	scenario sc;
	experiment e;
	if (fx_load(&sc,
		    "run = { horizon = \"40d\"; replications = 60; seed = 3; };\n"
		    "cluster = { pools = ( { name = \"p\"; nodes = 60; gpus_per_node = 1;\n"
		    "  maintenance = ( { start = \"30d\"; duration = \"4h\"; nodes = 60;\n"
		    "                    mode = \"preempt\"; } ); } ); };\n"
		    "workload = { arrivals = { rate = \"1/d\"; };\n"
		    "  classes = ( { name = \"train\"; service = \"constant(10000h)\";\n"
		    "    checkpoint = { every = \"1h\"; cost = \"6m\"; restart = \"10m\"; }; } ); };\n"
		    "policies = ( \"fcfs\" );\noutput = { plots = false; };\n") ||
	    fx_run(&e, &sc))
		return (void)TEST_FAIL_("%s", "did not run");
	int n = sc.replications;
	double x[64], mean, hw, runs = 0;
	for (int r = 0; r < n; r++) {
		const rep_metrics *m = experiment_rep(&e, 0, r);
		x[r] = m->v[0][M_lost_gpu_hours] * 3600 / m->v[0][M_interrupted];
		runs += m->v[0][M_interrupted];
		CHECK_NEAR(m->v[0][M_failed], 0, 0); /* requeued, not failed */
	}
	stat_ci(x, (size_t)n, 0.99, &mean, &hw);
	printf("lost per preempted run %.1f s +- %.1f (theory %.1f) over %.0f runs\n", mean, hw,
	       66 * 60 / 2.0 + 600, runs);
	CHECK(runs > 20 * n);
	CHECK(hw < 120);
	CHECK_NEAR(mean, 66 * 60 / 2.0 + 600, hw);
	/* a job that arrives during the window waits for its end at most: every node is out */
	fx_ci(&e, 0, 0, M_wait_max, 0.99, &mean, &hw);
	CHECK(mean < 4 * 3600);
	experiment_free(&e);
	scenario_free(&sc);
}

/* The workspace's invariants (pf_check and the cluster's walk) after every event, under
 * every kind of policy, with failures during drains, drains cut short by their
 * deadline, preemptive windows, gangs, fractions and checkpoints; and conservation. */
static void test_invariants_hold(void)
{
	scenario sc;
	if (fx_load(&sc,
		    "run = { horizon = \"8d\"; replications = 1; };\n"
		    "cluster = { pools = ( { name = \"p\"; nodes = 6; gpus_per_node = 2;\n"
		    "  failures = { mtbf = \"1d\"; repair = \"exponential(3h)\"; };\n"
		    "  maintenance = ( { start = \"1d\"; duration = \"2h\"; nodes = 3; },\n"
		    "    { start = \"2d 12:00\"; duration = \"30m\"; nodes = 6; },\n"
		    "    { start = \"4d\"; duration = \"3h\"; nodes = 2; mode = \"preempt\"; },\n"
		    "    { start = \"6d\"; duration = \"10m\"; nodes = 5; } ); },\n"
		    "  { name = \"q\"; nodes = 20; gpus_per_node = 1;\n"
		    "    maintenance = ( { start = \"12h\"; duration = \"1d\"; nodes = 10; } ); } ); };\n"
		    "workload = { arrivals = { rate = \"6/h\"; };\n"
		    "  classes = ( { name = \"a\"; share = 0.4; gpus = 0.5; service = \"exponential(1h)\";\n"
		    "                on_failure = \"fail\"; priority = 2; },\n"
		    "              { name = \"b\"; share = 0.3; service = \"exponential(2h)\";\n"
		    "                checkpoint = { every = \"20m\"; cost = \"1m\"; restart = \"2m\"; }; },\n"
		    "              { name = \"g\"; share = 0.3; gpus = 4; pools = [ \"p\" ];\n"
		    "                service = \"exponential(2h)\"; patience = \"exponential(6h)\";\n"
		    "                checkpoint = { every = \"auto\"; cost = \"2m\"; }; } ); };\n"
		    "policies = ( \"fcfs\", \"sjf\", \"fair-share\", \"priority-preemptive\",\n"
		    "  { name = \"easy-backfill\"; kill_at_estimate = true; } );\n"
		    "output = { plots = false; };\n"))
		return (void)TEST_FAIL_("%s", "did not load");
	platform *p = platform_new(&sc);
	CHECK(p != NULL);
	platform_check_every(p, 0);
	for (int pi = 0; p && pi < sc.npolicies; pi++) {
		rep_metrics m;
		int rc = platform_run(p, pi, 0, NULL, &m);
		if (rc)
			TEST_FAIL_("policy %s: run returned %d (%s)", sc.policies[pi].label, rc,
				   platform_error(p));
		const double *v = m.v[0];
		CHECK(v[M_interrupted] > 0);
		CHECK(v[M_node_availability] < 1);
		CHECK_INT((long long)v[M_arrivals],
			  (long long)(v[M_jobs_done] + v[M_abandoned] + v[M_balked] + v[M_killed] +
				      v[M_failed] + v[M_in_system_end]));
	}
	platform_free(p);
	scenario_free(&sc);
}

/* The loader's refusals, each naming the place: windows that overlap (a drain counting
 * twice its duration), more nodes than the pool has, a spot pool, an unknown mode. */
static void test_loader(void)
{
	static const struct {
		const char *windows, *pool_extra, *says;
	} cases[] = {
		{"{ start = \"1d\"; duration = \"4h\"; }, { start = \"1d 06:00\"; duration = \"1h\"; }",
		 "", "overlap"},
		{"{ start = \"1d\"; duration = \"4h\"; nodes = 5; }", "", "outside [1, 4]"},
		{"{ start = \"1d\"; duration = \"4h\"; }", "spot = { reclaim = \"8h\"; };",
		 "not spot"},
		{"{ start = \"1d\"; duration = \"4h\"; mode = \"drian\"; }", "", "drain"},
		{"{ start = \"9d\"; duration = \"4h\"; }", "", "after the horizon"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char path[] = "/tmp/fgsim-maint-XXXXXX.cfg", err[1024] = "";
		int fd = mkstemps(path, 4);
		FILE *f = fdopen(fd, "w");
		fprintf(f,
			"run = { horizon = \"5d\"; };\n"
			"cluster = { pools = ( { name = \"p\"; nodes = 4; gpus_per_node = 1; %s\n"
			"  maintenance = ( %s ); } ); };\n"
			"workload = { arrivals = { rate = \"1/h\"; };\n"
			"  classes = ( { name = \"a\"; service = \"exponential(1h)\"; spot = true; } ); };\n"
			"policies = ( \"fcfs\" );\n",
			cases[i].pool_extra, cases[i].windows);
		fclose(f);
		scenario sc;
		int rc = scenario_load(&sc, path, NULL, 0, err, sizeof err);
		unlink(path);
		CHECK(rc != 0);
		if (!strstr(err, cases[i].says) || !strstr(err, ".cfg:"))
			TEST_FAIL_("case %zu: \"%s\" lacks \"%s\" or the place", i, err, cases[i].says);
		if (!rc)
			scenario_free(&sc);
	}
}

/* A preemptive policy beside a drain: a high-priority job arrives at 2h while node 0
 * runs another high-priority job and node 1, draining since 1h, runs a low-priority
 * one. Evicting that one frees nothing (a draining node's GPUs go off as they are given
 * back), so nothing is evicted: the low job runs on until the drain's deadline at 11h
 * interrupts it, and the new job starts when node 1 is back (21h). */
static void test_no_eviction_on_draining_node(void)
{
	char path[] = "/tmp/fgsim-maint-XXXXXX.csv";
	int fd = mkstemps(path, 4);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f)
		return (void)TEST_FAIL_("%s", "no trace file");
	fputs("submit,class,tenant,gpus,duration\n0,hi,u,1,200000\n10,lo,u,1,72000\n"
	      "7200,hi,u,1,3600\n",
	      f);
	fclose(f);
	scenario sc;
	int rc = fx_load(&sc,
			 "run = { horizon = \"3d\"; replications = 1; };\n"
			 "cluster = { pools = ( { name = \"p\"; nodes = 2; gpus_per_node = 1;\n"
			 "  maintenance = ( { start = \"1h\"; duration = \"10h\";\n"
			 "    nodes = 1; } ); } ); };\n"
			 "workload = { arrivals = { process = \"trace\"; file = \"%s\"; };\n"
			 "  classes = ( { name = \"hi\"; priority = 0; },\n"
			 "    { name = \"lo\"; priority = 1; } ); };\n"
			 "policies = ( \"priority-preemptive\" );\noutput = { plots = false; };\n",
			 path);
	if (rc) {
		unlink(path);
		return (void)TEST_FAIL_("%s", "did not load");
	}
	platform *p = platform_new(&sc);
	rep_metrics m;
	CHECK(p != NULL);
	if (p) {
		platform_check_every(p, 0);
		CHECK_INT(platform_run(p, 0, 0, NULL, &m), 0);
		CHECK_NEAR(m.v[0][M_preemptions], 0, 0);
		CHECK_NEAR(m.v[0][M_interrupted], 1, 0); /* the low job, at the deadline */
		/* the new job waited for node 1's return: 21h - 2h */
		CHECK_NEAR(m.v[scope_of_class(&sc, 0)][M_wait_max], 19 * 3600.0, 1e-6);
	}
	platform_free(p);
	unlink(path);
	scenario_free(&sc);
}

int main(void)
{
	test_loader();
	test_cordon();
	test_capacity();
	test_drain_takes_nothing_new();
	test_preempt_as_failure();
	test_invariants_hold();
	test_no_eviction_on_draining_node();
	return test_report("test_maintenance");
}
