/* test_failures.c - node failures, spot reclamation and checkpoints (failures.c,
 * checkpoint.c) against their theory: the checkpoint arithmetic by hand, node
 * availability mtbf / (mtbf + repair), the work lost per failure, the loss under a spot
 * notice, Young's interval as the simulated optimum, and conservation with failed jobs
 * in every replication. Tolerances are the runs' confidence intervals. */
#include <math.h>
#include <string.h>

#include "checkpoint.h"
#include "fixture.h"
#include "platform.h"
#include "test.h"

/* The cycle [restart][every][cost][every][cost]...: wall time, work and savings by hand. */
static void test_arithmetic(void)
{
	ckpt_plan c = {3600, 120, 300};
	CHECK_NEAR(ckpt_wall(&c, 3600, 0), 3600, 1e-9);       /* one stretch: no pause */
	CHECK_NEAR(ckpt_wall(&c, 3601, 0), 3601 + 120, 1e-9); /* two: one pause */
	CHECK_NEAR(ckpt_wall(&c, 3 * 3600, 300), 300 + 3 * 3600 + 240, 1e-9);
	ckpt_state s = ckpt_after(&c, 200, 300); /* still reloading */
	CHECK_NEAR(s.work, 0, 1e-9);
	s = ckpt_after(&c, 300 + 3600 + 60, 300); /* half-way through the first pause */
	CHECK_NEAR(s.work, 3600, 1e-9);
	CHECK_NEAR(s.saved, 0, 1e-9); /* the checkpoint is not complete yet */
	CHECK_NEAR(s.saved_at, 0, 1e-9);
	CHECK_NEAR(s.pauses, 60, 1e-9);
	s = ckpt_after(&c, 300 + 2 * 3720 + 100, 300);
	CHECK_NEAR(s.work, 7300, 1e-9);
	CHECK_NEAR(s.saved, 7200, 1e-9);
	CHECK_NEAR(s.saved_at, 300 + 2 * 3720, 1e-9);
	CHECK_NEAR(s.pauses, 240, 1e-9);
	ckpt_plan none = {0, 0, 0};
	CHECK_NEAR(ckpt_wall(&none, 500, 0), 500, 1e-9);
	CHECK_NEAR(ckpt_after(&none, 400, 0).work, 400, 1e-9);
	CHECK_NEAR(ckpt_young(120, 86400), sqrt(2.0 * 120 * 86400), 1e-9);
	CHECK_NEAR(ckpt_young(0, 86400), 0, 0);
}

/* 40 idle nodes, failing after exponential(10d) in service and repaired after
 * lognormal(1d, 1.0) (the repair law's shape does not matter, only its mean: an
 * alternating renewal process): available 10 / 11 of the time. */
static void test_availability(void)
{
	scenario sc;
	experiment e;
	if (fx_load(&sc,
		    "run = { horizon = \"400d\"; replications = 20; };\n"
		    "cluster = { pools = ( { name = \"p\"; nodes = 40; gpus_per_node = 1;\n"
		    "  failures = { mtbf = \"10d\"; repair = \"lognormal(1d, 1.0)\"; }; } ); };\n"
		    "workload = { arrivals = { rate = \"1/d\"; };\n"
		    "  classes = ( { name = \"a\"; service = \"exponential(1m)\"; } ); };\n"
		    "policies = ( \"fcfs\" );\noutput = { plots = false; };\n") ||
	    fx_run(&e, &sc))
		return (void)TEST_FAIL_("%s", "did not run");
	double mean, hw;
	fx_ci(&e, 0, 0, M_node_availability, 0.99, &mean, &hw);
	CHECK(hw < 0.003);
	CHECK_NEAR(mean, 10.0 / 11, hw);
	/* failures: one per mtbf + repair per node */
	fx_ci(&e, 0, 0, M_failures, 0.99, &mean, &hw);
	CHECK_NEAR(mean, 40 * 400 / 11.0, hw + 1);
	experiment_free(&e);
	scenario_free(&sc);
}

/* Jobs that never finish on far more nodes than jobs (nobody waits), checkpointing
 * every 1h at a cost of 6m and reloading in 10m. A failure strikes the cycle of
 * 1h work + 6m pause (66m between checkpoint completions) uniformly, to first order in
 * cycle / mtbf (20d: the bias is under 0.1%): the run since its last completed
 * checkpoint is lost, 66m / 2 on average, whether the failure fell in the work or in
 * the pause (a pause that does not complete saves nothing), plus the 10m reload the
 * next run begins with: 43m per interrupted run. */
static const char never_done[] =
	"run = { horizon = \"60d\"; replications = %d; seed = %d; };\n"
	"cluster = { pools = ( { name = \"p\"; nodes = 100; gpus_per_node = 1; %s } ); };\n"
	"workload = { arrivals = { rate = \"1/d\"; };\n"
	"  classes = ( { name = \"train\"; service = \"constant(10000h)\"; %s } ); };\n"
	"policies = ( \"fcfs\" );\noutput = { plots = false; };\n";

static void lost_per(const experiment *e, metric_id per, double *mean, double *hw)
{
	int n = e->sc->replications;
	double x[64];
	for (int r = 0; r < n && r < 64; r++)
		x[r] = experiment_rep(e, 0, r)->v[0][M_lost_gpu_hours] * 3600 /
		       experiment_rep(e, 0, r)->v[0][per];
	stat_ci(x, (size_t)n, 0.99, mean, hw);
}

static void test_lost_per_failure(void)
{
	scenario sc;
	experiment e;
	if (fx_load(&sc, never_done, 60, 1, "failures = { mtbf = \"20d\"; repair = \"4h\"; };",
		    "checkpoint = { every = \"1h\"; cost = \"6m\"; restart = \"10m\"; };") ||
	    fx_run(&e, &sc))
		return (void)TEST_FAIL_("%s", "did not run");
	double mean, hw;
	lost_per(&e, M_interrupted, &mean, &hw);
	printf("lost per failure %.1f s +- %.1f (theory %.1f)\n", mean, hw, 66 * 60 / 2.0 + 600);
	CHECK(hw < 60);
	CHECK_NEAR(mean, 66 * 60 / 2.0 + 600, hw);
	/* nobody waited: every run restarted at once on another node */
	fx_ci(&e, 0, 0, M_wait_max, 0.99, &mean, &hw);
	CHECK_NEAR(mean, 0, 1e-9);
	/* goodput is what is left after the losses and the pauses (6m in each 66m) */
	const rep_metrics *m = experiment_rep(&e, 0, 0);
	CHECK_NEAR(m->v[0][M_goodput_gpu_hours],
		   m->v[0][M_gpu_hours] - m->v[0][M_lost_gpu_hours] -
			   m->v[0][M_checkpoint_gpu_hours],
		   1e-6);
	CHECK_NEAR(m->v[0][M_checkpoint_gpu_hours] / m->v[0][M_gpu_hours], 6 / 66.0, 0.01);
	experiment_free(&e);
	scenario_free(&sc);
}

/* A spot node is reclaimed 5m after its notice; a 2m checkpoint fits, so a job saves all
 * its work at the notice and loses the 3m after the checkpoint, plus its 1m reload:
 * 4m per interrupted run. Not exactly: a run still reloading at its notice (1m of every
 * 8h in service) has nothing to save and loses up to 6m + 1m, which adds under 1s to the
 * mean; the tolerance is the interval plus that second. */
static void test_spot_notice(void)
{
	scenario sc;
	experiment e;
	if (fx_load(&sc, never_done, 5, 1,
		    "spot = { reclaim = \"8h\"; notice = \"5m\"; return = \"10m\"; };"
		    " cost_per_gpu_hour = 1.0;",
		    "spot = true; checkpoint = { every = \"1h\"; cost = \"2m\"; restart = \"1m\"; };") ||
	    fx_run(&e, &sc))
		return (void)TEST_FAIL_("%s", "did not run");
	double mean, hw;
	lost_per(&e, M_interrupted, &mean, &hw);
	CHECK(hw < 10);
	CHECK_NEAR(mean, 4 * 60, hw + 1);
	fx_ci(&e, 0, 0, M_reclaims, 0.99, &mean, &hw);
	CHECK(mean > 1000);
	fx_ci(&e, 0, 0, M_failures, 0.99, &mean, &hw);
	CHECK_NEAR(mean, 0, 0);
	/* a reclaimed node is not paid for: the cost is the GPU-hours in service, exactly,
	 * and in service 8h + the 5m notice of every 8h 15m on average */
	for (int r = 0; r < sc.replications; r++) {
		const double *v = experiment_rep(&e, 0, r)->v[0];
		CHECK_NEAR(v[M_cost], 100 * 60 * 24 * v[M_node_availability], 1e-6);
	}
	fx_ci(&e, 0, 0, M_node_availability, 0.99, &mean, &hw);
	CHECK_NEAR(mean, 485 / 495.0, hw);
	experiment_free(&e);
	scenario_free(&sc);
	/* a class that does not opt in never sees the spot pool */
	fprintf(stderr, "(a refusal expected:) ");
	CHECK(fx_load(&sc, never_done, 1, 1, "spot = { reclaim = \"4h\"; };", "") != 0);
}

/* Young's interval sqrt(2 x cost x mtbf) minimises the overhead (lost + checkpoint
 * GPU-hours over GPU-hours run): mtbf 5d, cost 6m give 4.90h. Simulated over a grid of
 * intervals with common random numbers, the least overhead is the grid point nearest
 * 4.90h (5h) or one of its neighbours. */
static void test_young_optimum(void)
{
	static const double grid[] = {1.5, 2.5, 3.5, 5, 7, 10};
	int n = (int)(sizeof grid / sizeof *grid), best = -1;
	double best_v = INFINITY;
	for (int i = 0; i < n; i++) {
		scenario sc;
		experiment e;
		char ck[128];
		snprintf(ck, sizeof ck,
			 "checkpoint = { every = \"%gh\"; cost = \"6m\"; restart = \"6m\"; };",
			 grid[i]);
		if (fx_load(&sc, never_done, 10, 3,
			    "failures = { mtbf = \"5d\"; repair = \"1h\"; };", ck) ||
		    fx_run(&e, &sc))
			return (void)TEST_FAIL_("%s", "did not run");
		double v = 0;
		for (int r = 0; r < sc.replications; r++) {
			const double *m = experiment_rep(&e, 0, r)->v[0];
			v += (m[M_lost_gpu_hours] + m[M_checkpoint_gpu_hours]) / m[M_gpu_hours];
		}
		printf("every %gh: overhead %.4f\n", grid[i], v / sc.replications);
		if (v < best_v)
			best_v = v, best = i;
		experiment_free(&e);
		scenario_free(&sc);
	}
	double young = ckpt_young(360, 5 * 86400) / 3600;
	CHECK_NEAR(young, 4.899, 0.001);
	/* the simulated optimum within a step of the formula: 3.5h, 5h or 7h */
	CHECK(best > 0 && best < n - 1 && grid[best - 1] < young && young < grid[best + 1]);
	/* every = "auto" picks the same interval (and for a 2-node gang, mtbf / 2) */
	scenario sc;
	if (fx_load(&sc, never_done, 1, 1, "failures = { mtbf = \"5d\"; repair = \"1h\"; };",
		    "checkpoint = { every = \"auto\"; cost = \"6m\"; };"))
		return (void)TEST_FAIL_("%s", "auto did not load");
	CHECK_NEAR(sc.classes[0].ckpt_every, young * 3600, 1e-6);
	scenario_free(&sc);
}

/* arrivals = done + abandoned + balked + killed + failed + in system, in every
 * replication and scope that keeps them, with jobs that fail, wait, abandon and span
 * nodes (gangs) on failing nodes. */
static void test_conservation(void)
{
	scenario sc;
	experiment e;
	if (fx_load(&sc,
		    "run = { horizon = \"20d\"; warmup = \"1d\"; replications = 8; };\n"
		    "cluster = { pools = ( { name = \"p\"; nodes = 6; gpus_per_node = 2;\n"
		    "  failures = { mtbf = \"2d\"; repair = \"exponential(6h)\"; }; } ); };\n"
		    "workload = { arrivals = { rate = \"2/h\"; };\n"
		    "  classes = ( { name = \"a\"; share = 0.5; service = \"exponential(3h)\"; on_failure = \"fail\";\n"
		    "                patience = \"exponential(2h)\"; },\n"
		    "              { name = \"g\"; share = 0.5; gpus = 4; service = \"exponential(2h)\";\n"
		    "                checkpoint = { every = \"30m\"; cost = \"1m\"; }; } ); };\n"
		    "policies = ( \"fcfs\", \"sjf\" );\noutput = { plots = false; };\n") ||
	    fx_run(&e, &sc))
		return (void)TEST_FAIL_("%s", "did not run");
	double failed = 0, interrupted_g = 0;
	for (int pi = 0; pi < sc.npolicies; pi++)
		for (int r = 0; r < sc.replications; r++) {
			const rep_metrics *m = experiment_rep(&e, pi, r);
			for (int s = 0; s < 3; s++) { /* all, class:a, class:g */
				const double *v = m->v[s];
				CHECK_INT((long long)v[M_arrivals],
					  (long long)(v[M_jobs_done] + v[M_abandoned] +
						      v[M_balked] + v[M_killed] + v[M_failed] +
						      v[M_in_system_end]));
			}
			failed += m->v[scope_of_class(&sc, 0)][M_failed];
			interrupted_g += m->v[scope_of_class(&sc, 1)][M_interrupted];
			CHECK_NEAR(m->v[scope_of_class(&sc, 1)][M_failed], 0,
				   0); /* class g requeues */
		}
	CHECK(failed > 10);
	CHECK(interrupted_g > 10); /* gangs of two nodes are stopped by either */
	experiment_free(&e);
	scenario_free(&sc);
}

/* The workspace's invariants (pf_check, with the cluster's walk, which knows nodes out
 * of service) after every event, under every kind of policy, with failures, spot
 * reclamations, gangs, fractions and checkpoints at once. */
static void test_invariants_hold(void)
{
	scenario sc;
	if (fx_load(&sc,
		    "run = { horizon = \"10d\"; replications = 1; };\n"
		    "cluster = { pools = ( { name = \"p\"; nodes = 6; gpus_per_node = 2;\n"
		    "  failures = { mtbf = \"1d\"; repair = \"exponential(3h)\"; }; },\n"
		    "  { name = \"s\"; nodes = 20; gpus_per_node = 1; spot = { reclaim = \"6h\"; notice = \"2m\"; };\n"
		    "    failures = { mtbf = \"3d\"; repair = \"1h\"; }; } ); };\n"
		    "workload = { arrivals = { rate = \"6/h\"; };\n"
		    "  classes = ( { name = \"a\"; share = 0.4; gpus = 0.5; service = \"exponential(1h)\"; spot = true;\n"
		    "                on_failure = \"fail\"; priority = 2; },\n"
		    "              { name = \"b\"; share = 0.3; service = \"exponential(2h)\"; spot = true;\n"
		    "                checkpoint = { every = \"20m\"; cost = \"1m\"; restart = \"2m\"; }; },\n"
		    "              { name = \"g\"; share = 0.3; gpus = 4; pools = [ \"p\" ]; service = \"exponential(2h)\";\n"
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
		CHECK(m.v[0][M_interrupted] > 0);
	}
	platform_free(p);
	scenario_free(&sc);
}

/* kill_at_estimate with checkpoints: an exact estimate is of the run's time, its pauses
 * included (a 200 s job checkpointing every 60 s for 10 s runs 230 s), so no job is
 * killed for the pauses it was told to take; and a history estimate learns the 230 s. */
static void test_estimate_has_pauses(void)
{
	char tpath[] = "/tmp/fgsim-ckpt-XXXXXX.csv";
	int fd = mkstemps(tpath, 4);
	FILE *f = fdopen(fd, "w");
	fputs("submit,class,tenant,gpus,duration\n0,a,u,1,200\n0,h,u,1,200\n300,h,u,1,200\n"
	      "600,h,u,1,50\n",
	      f);
	fclose(f);
	scenario sc;
	if (fx_load(&sc,
		    "run = { horizon = \"5000s\"; replications = 1; };\n"
		    "cluster = { pools = ( { name = \"p\"; nodes = 2; gpus_per_node = 1; } ); };\n"
		    "workload = { arrivals = { process = \"trace\"; file = \"%s\"; };\n"
		    "  classes = ( { name = \"a\";\n"
		    "      checkpoint = { every = \"60s\"; cost = \"10s\"; }; },\n"
		    "    { name = \"h\"; estimate = \"history\";\n"
		    "      checkpoint = { every = \"60s\"; cost = \"10s\"; }; } ); };\n"
		    "policies = ( { name = \"easy-backfill\"; kill_at_estimate = true; } );\n",
		    tpath)) {
		unlink(tpath);
		return (void)TEST_FAIL_("%s", "did not load");
	}
	platform *p = platform_new(&sc);
	FILE *jobs = tmpfile();
	platform_sinks sinks = {jobs, NULL, NULL};
	rep_metrics m;
	if (!p || platform_run(p, 0, 0, &sinks, &m))
		TEST_FAIL_("%s", "did not run");
	platform_free(p);
	unlink(tpath);
	CHECK_NEAR(m.v[0][M_killed], 0, 0);
	CHECK_NEAR(m.v[0][M_jobs_done], 4, 0);
	rewind(jobs);
	const double want[] = {230, 230, 230, 230}; /* the last: (230 + 230) / 2, learned */
	char line[512];
	int n = 0;
	while (fgets(line, sizeof line, jobs) && n < 4) {
		char *c = strrchr(line, ',');
		*c = 0;
		c = strrchr(line, ',');
		CHECK_NEAR(atof(c + 1), want[n], 1e-9);
		n++;
	}
	CHECK_INT(n, 4);
	fclose(jobs);
	scenario_free(&sc);
}

/* Every second of a run goes to exactly one of kept work, checkpoint pauses and lost,
 * so goodput is the work a job kept. One node failing on a fixed cycle (constant laws),
 * one job checkpointing every 1h for 6m and reloading in 10m, by hand:
 * - fails 1h3m after each start, back 57m later: the first run fails in its first
 *   pause, each later one 53m into its work, before a checkpoint. Nothing is ever kept:
 *   4 runs by 8h, all 252m of them lost (the reloads once each), goodput 0.
 * - fails 2h8m after each start, back 52m later: run 1 fails in its second pause (1h
 *   kept, 62m lost, 6m paused), run 2 after its reload, 1h of work, a pause and 52m
 *   (1h kept, 10 + 52m lost, 6m paused), run 3 reloads and ends its last hour (10m
 *   lost): 326m run, 12m paused, 134m lost, goodput the job's 3h. */
static void test_goodput_is_work_kept(void)
{
	static const struct {
		const char *mtbf, *repair, *work, *horizon;
		double run, paused, lost, good; /* minutes */
	} cases[] = {
		{"3780s", "3420s", "10000h", "8h", 252, 0, 252, 0},
		{"7680s", "3120s", "3h", "10h", 326, 12, 134, 180},
	};
	for (int i = 0; i < 2; i++) {
		char path[] = "/tmp/fgsim-good-XXXXXX.csv", text[128];
		int fd = mkstemps(path, 4);
		FILE *f = fdopen(fd, "w");
		snprintf(text, sizeof text, "submit,class,tenant,gpus,duration\n0,a,u,1,%s\n",
			 !strcmp(cases[i].work, "3h") ? "10800" : "36000000");
		fputs(text, f);
		fclose(f);
		scenario sc;
		if (fx_load(&sc,
			    "run = { horizon = \"%s\"; replications = 1; };\n"
			    "cluster = { pools = ( { name = \"p\"; nodes = 1; gpus_per_node = 1;\n"
			    "  failures = { mtbf = \"constant(%s)\";\n"
			    "    repair = \"constant(%s)\"; }; } ); };\n"
			    "workload = { arrivals = { process = \"trace\"; file = \"%s\"; };\n"
			    "  classes = ( { name = \"a\";\n"
			    "    checkpoint = { every = \"1h\"; cost = \"6m\";\n"
			    "      restart = \"10m\"; }; } ); };\n"
			    "policies = ( \"fcfs\" );\n",
			    cases[i].horizon, cases[i].mtbf, cases[i].repair, path)) {
			unlink(path);
			return (void)TEST_FAIL_("%s", "did not load");
		}
		platform *p = platform_new(&sc);
		rep_metrics m;
		if (!p || platform_run(p, 0, 0, NULL, &m))
			TEST_FAIL_("case %d did not run", i);
		platform_free(p);
		unlink(path);
		const double *v = m.v[0];
		CHECK_NEAR(v[M_gpu_hours] * 60, cases[i].run, 1e-9);
		CHECK_NEAR(v[M_checkpoint_gpu_hours] * 60, cases[i].paused, 1e-9);
		CHECK_NEAR(v[M_lost_gpu_hours] * 60, cases[i].lost, 1e-9);
		CHECK_NEAR(v[M_goodput_gpu_hours] * 60, cases[i].good, 1e-9);
		CHECK_NEAR(v[M_jobs_done], i, 0);
		scenario_free(&sc);
	}
}

/* A promotion window's cost and utilization leave out the spot node reclaimed during it,
 * as the platform's do. One idle spot node (1 USD a GPU-hour) on a fixed cycle: notice
 * at 10h, reclaimed at 10h1m, back at 12h1m. The window [11h, 13h) had it 59 of its 120
 * minutes: its cost is 59/60 USD (the other pool costs nothing), and a job running on
 * the other pool's one GPU through the window makes its utilization 120 / (120 + 59). */
static void test_window_without_reclaimed(void)
{
	scenario sc;
	if (fx_load(&sc,
		    "run = { horizon = \"20h\"; replications = 1; };\n"
		    "cluster = { pools = ( { name = \"s\"; nodes = 1; gpus_per_node = 1;\n"
		    "    cost_per_gpu_hour = 1.0; spot = { reclaim = \"constant(10h)\";\n"
		    "    notice = \"1m\"; return = \"constant(2h)\"; }; },\n"
		    "  { name = \"q\"; nodes = 1; gpus_per_node = 1;\n"
		    "    cost_per_gpu_hour = 0.0; } ); };\n"
		    "workload = { arrivals = { rate = \"1/h\"; };\n"
		    "  classes = ( { name = \"a\"; service = \"constant(1000h)\"; } ); };\n"
		    "promotions = ( { name = \"w\"; start = \"11h\"; duration = \"2h\"; } );\n"
		    "policies = ( \"fcfs\" );\n"))
		return (void)TEST_FAIL_("%s", "did not load");
	platform *p = platform_new(&sc);
	rep_metrics m;
	if (!p || platform_run(p, 0, 0, NULL, &m))
		TEST_FAIL_("%s", "did not run");
	platform_free(p);
	const double *w = m.v[scope_of_window(&sc, 0)], *all = m.v[0];
	CHECK_NEAR(w[M_cost], 59 / 60.0, 1e-9);
	CHECK_NEAR(w[M_utilization], 120 / (120 + 59.0), 1e-9);
	CHECK_NEAR(all[M_cost], (20 * 60 - 120) / 60.0, 1e-9); /* reclaimed 10h1m to 12h1m */
	scenario_free(&sc);
}

/* every = "auto" on a spot pool: a reclamation whose notice fits the checkpoint loses
 * notice - cost + restart whatever the interval, so only the failures set it (Young
 * from the 5-day mtbf); a notice too short for the checkpoint makes reclamations count
 * as failures (mtbf 1 / (1/5d + 1/8h)); with nothing else to lose a node to, "auto" is
 * refused, naming its place. */
static void test_auto_on_spot(void)
{
	static const struct {
		const char *notice, *cost, *failures;
		double every; /* seconds; 0: refused */
	} cases[] = {
		{"5m", "2m", "failures = { mtbf = \"5d\"; repair = \"1h\"; };", 0},
		{"1m", "2m", "failures = { mtbf = \"5d\"; repair = \"1h\"; };", 0},
		{"5m", "2m", "", -1},
	};
	for (int i = 0; i < 3; i++) {
		char pool[256], cls[160];
		snprintf(pool, sizeof pool, "spot = { reclaim = \"8h\"; notice = \"%s\"; }; %s",
			 cases[i].notice, cases[i].failures);
		snprintf(cls, sizeof cls,
			 "spot = true; checkpoint = { every = \"auto\"; cost = \"%s\"; };",
			 cases[i].cost);
		scenario sc;
		if (cases[i].every < 0) {
			fprintf(stderr, "(a refusal expected:) ");
			CHECK(fx_load(&sc, never_done, 1, 1, pool, cls) != 0);
			continue;
		}
		if (fx_load(&sc, never_done, 1, 1, pool, cls))
			return (void)TEST_FAIL_("case %d did not load", i);
		double mtbf = i == 0 ? 5 * 86400.0 : 1 / (1 / (5 * 86400.0) + 1 / (8 * 3600.0));
		CHECK_NEAR(sc.classes[0].ckpt_every, ckpt_young(120, mtbf), 1e-6);
		scenario_free(&sc);
	}
}

int main(void)
{
	test_invariants_hold();
	test_arithmetic();
	test_availability();
	test_lost_per_failure();
	test_spot_notice();
	test_young_optimum();
	test_conservation();
	test_estimate_has_pauses();
	test_goodput_is_work_kept();
	test_window_without_reclaimed();
	test_auto_on_spot();
	return test_report("test_failures");
}
