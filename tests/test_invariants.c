/* test_invariants.c - pf_check (models/platform/pf_check.c) after every event of runs
 * that use the platform's features together (burst nodes, balking, quotas, preemption
 * with resume and restart, gangs, fractions of GPUs, easy-backfill with kills, a plugin
 * policy, minimum billing, promotions, burst ahead of a sale, failures, maintenance, spot
 * and checkpoints): any broken counter stops the run (abort), so
 * each run that completes held them all. Then counters corrupted by hand, which the
 * walk must name, and a corrupted run, which the per-event hook must stop. */
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "fixture.h"
#include "platform.h"
#include "platform_internal.h"
#include "test.h"

/* Two pools (8-GPU nodes with a burst pool of 2-GPU nodes), jobs of half a GPU, 1, 2,
 * 8 and 16 GPUs (a gang of two nodes), patience, tenants, a promotion; %s: pool extras,
 * %s: class extras, %s: scenario extras, %s: policies. */
static const char rich[] =
	"run = { horizon = \"20d\"; warmup = \"1d\"; replications = 1; seed = 17; };\n"
	"cluster = { pools = (\n"
	"  { name = \"big\"; nodes = 3; gpus_per_node = 8; price_per_gpu_hour = 3.5; minimum_billing = \"10m\"; },\n"
	"  { name = \"small\"; nodes = 4; gpus_per_node = 2; price_per_gpu_hour = 0.8; %s } ); };\n"
	"workload = { arrivals = { rate = \"14/h\"; };\n"
	"  classes = (\n"
	"    { name = \"half\"; share = 0.3; gpus = 0.5; service = \"exponential(40m)\"; pools = [ \"small\", \"big\" ];\n"
	"      tenant_mix = \"zipf(6, 1.2)\"; %s },\n"
	"    { name = \"one\"; share = 0.4; gpus = 1; service = \"lognormal(1h, 1.0)\"; patience = \"exponential(3h)\";\n"
	"      estimate = \"lognormal(1.5, 0.5)\"; tenant_mix = \"zipf(6, 1.2)\"; pools = [ \"small\", \"big\" ]; %s },\n"
	"    { name = \"two\"; share = 0.2; priority = 1; gpus = 2; service = \"exponential(2h)\"; },\n"
	"    { name = \"node\"; share = 0.07; priority = 0; gpus = 8; service = \"exponential(3h)\"; pools = [ \"big\" ]; },\n"
	"    { name = \"gang\"; share = 0.03; priority = 2; gpus = 16; service = \"exponential(2h)\"; pools = [ \"big\" ]; } ); };\n"
	"promotions = ( { name = \"sale\"; start = \"3d\"; duration = \"8h\"; discount = 0.5; demand = 1.5; } );\n"
	"%s\n"
	"policies = ( %s );\n";

static const char burst[] =
	"burst = { max_nodes = 3; startup = \"10m\"; cost_per_gpu_hour = 2; threshold = \"5m\"; cooldown = \"20m\"; };";
/* burst nodes requested ahead: before the sale (prewarm) and by the next hour's rate */
static const char planned[] =
	"burst = { max_nodes = 3; startup = \"10m\"; threshold = \"5m\"; cooldown = \"20m\";\n"
	"  prewarm = \"30m\"; trigger = \"forecast\"; };";
/* the harder days (failures.c): failures and maintenance windows (drained, preempted)
 * beside burst nodes, then a spot tier; jobs checkpoint or fail */
static const char faulty[] =
	"failures = { mtbf = \"2d\"; repair = \"exponential(4h)\"; };\n"
	"maintenance = ( { start = \"2d\"; duration = \"3h\"; nodes = 2; },\n"
	"  { start = \"6d\"; duration = \"2h\"; nodes = 4; mode = \"preempt\"; } );\n"
	"burst = { max_nodes = 3; startup = \"10m\"; threshold = \"5m\"; cooldown = \"20m\"; };";
static const char spot[] = "spot = { reclaim = \"8h\"; notice = \"2m\"; return = \"1h\"; };";
static const char ckpt[] =
	"spot = true; on_failure = \"requeue\"; checkpoint = { every = \"20m\"; cost = \"1m\"; };";
static const char balk[] = "balking = { wait_scale = \"2h\"; };";
static const char quota[] = "tenants = { quota_gpus = 16; };";
static const char policies[] =
	"\"fcfs\", \"sjf\", \"fair-share\", \"priority-preemptive\", { name = \"priority-preemptive\"; label = \"ppr\";\n"
	" preempted = \"restart\"; }, { name = \"easy-backfill\"; kill_at_estimate = true; }, \"aging\"";

/* Every policy of sc, one replication each, checked after every event; the run ends
 * with pf_check still NULL. Returns the events run. */
static double run_checked(const scenario *sc, const char *what)
{
	platform *p = platform_new(sc);
	double events = 0;
	if (!p)
		return TEST_FAIL_("%s: no memory", what), 0;
	platform_check_every(p, 0);
	for (int pi = 0; pi < sc->npolicies; pi++) {
		rep_metrics m;
		int rc = platform_run(p, pi, 0, NULL, &m);
		if (rc)
			TEST_FAIL_("%s, policy %s: run returned %d (%s)", what, sc->policies[pi].label, rc, platform_error(p));
		events += m.events;
		if (!p->ft.track_work) { /* closing the books leaves the counters as they were */
			const char *why = pf_check(p);
			if (why)
				TEST_FAIL_("%s, policy %s, at the end: %s", what, sc->policies[pi].label, why);
		}
	}
	fprintf(stderr, "  %-44s %9.0f events, each checked\n", what, events);
	platform_free(p);
	return events;
}

static void test_rich_runs(const char *root)
{
	struct {
		const char *what, *pool, *cls, *extra;
	} cases[] = {
		{"plain", "", "", ""},
		{"burst nodes", burst, "", ""},
		{"balking", "", balk, ""},
		{"quota", "", "", quota},
		{"burst, balking and quota", burst, balk, quota},
		{"prewarm and forecast burst", planned, "", ""},
		{"failures, maintenance, checkpoints", faulty, ckpt, ""},
		{"spot and checkpoints", spot, ckpt, ""},
		{"failures and drains under quota", faulty, ckpt, quota},
	};
	for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
		scenario sc;
		if (fx_load(&sc, rich, cases[c].pool, cases[c].cls, cases[c].cls, cases[c].extra, policies)) {
			TEST_FAIL_("%s: did not load", cases[c].what);
			continue;
		}
		CHECK(run_checked(&sc, cases[c].what) > 1000);
		scenario_free(&sc);
	}
	/* a plugin policy (its head is pure: hand-offs on) */
	char plug[600];
	snprintf(plug, sizeof plug, "\"fcfs\", { name = \"plug\"; plugin = \"%s/models/plugins/fcfs.so\"; }", root);
	scenario sc;
	if (fx_load(&sc, rich, "", "", "", "", plug))
		return (void)TEST_FAIL_("%s", "plugin scenario did not load");
	CHECK(run_checked(&sc, "plugin fcfs, hand-offs") > 1000);
	scenario_free(&sc);
}

/* After a run under quota and preemption, each counter is set wrong in turn: the walk
 * names it, and finds nothing once it is put back. */
static void test_corruption_caught(void)
{
	scenario sc;
	if (fx_load(&sc, rich, "", "", "", quota, "\"priority-preemptive\""))
		return (void)TEST_FAIL_("%s", "did not load");
	platform *p = platform_new(&sc);
	rep_metrics m;
	if (!p || platform_run(p, 0, 0, NULL, &m)) {
		platform_free(p);
		scenario_free(&sc);
		return (void)TEST_FAIL_("%s", "run failed");
	}
	CHECK(pf_check(p) == NULL);
	CHECK(p->running > 0 && p->ft.quota && p->ft.preempts);
	const char *why;
#define CAUGHT(field, delta, word)                                                              \
	do {                                                                                    \
		field += (delta);                                                               \
		why = pf_check(p);                                                              \
		if (!why || !strstr(why, word))                                                 \
			TEST_FAIL_("%s off by %d: pf_check says %s", #field, (int)(delta), why ? why : "nothing"); \
		field -= (delta);                                                               \
		CHECK(pf_check(p) == NULL);                                                     \
	} while (0)
	CAUGHT(p->queued, 1, "queued");
	CAUGHT(p->running, -1, "running");
	CAUGHT(p->busy_milli, 500, "busy_milli");
	CAUGHT(p->nheld, 1, "nheld");
	CAUGHT(p->powered_milli, -1000, "powered");
	CAUGHT(p->tenant_use[0], 1000, "tenant");
	CAUGHT(p->cl.pools[0].busy_milli, 1000, "busy");
	for (int k = 0; k < sc.nclasses; k++)
		if (p->evictable[k].len) {
			CAUGHT(p->evictable[k].len, 1, "evictable");
			break;
		}
	for (uint32_t i = 0; i < p->jobs.cap; i++)
		if (p->jobs.j[i].state == JOB_RUNNING && p->jobs.j[i].gpu < 0) { /* whole GPUs: it vanished, or grew */
			CAUGHT(p->jobs.j[i].state, JOB_FREE - JOB_RUNNING, "running");
			CAUGHT(p->jobs.j[i].gpus_milli, 1000, "busy");
			break;
		}
#undef CAUGHT
	platform_free(p);
	scenario_free(&sc);
}

/* The per-event hook does stop a run that breaks an invariant: a scenario whose tenant
 * count is cut after the platform was made (so every job's tenant is out of range)
 * aborts at its first event with the check on, and runs to the end with it off. */
static void test_hook_stops_run(void)
{
	scenario sc;
	if (fx_load(&sc, rich, "", "", "", "", "\"fcfs\""))
		return (void)TEST_FAIL_("%s", "did not load");
	for (int on = 0; on < 2; on++) {
		fflush(stderr);
		pid_t pid = fork();
		if (pid == 0) {
			platform *p = platform_new(&sc);
			rep_metrics m;
			if (!p)
				_exit(3);
			if (on)
				platform_check_every(p, 0);
			else
				platform_check_every(p, ~0ull);
			sc.ntenants = 0;
			if (!on) /* keep the child's stderr quiet */
				_exit(platform_run(p, 0, 0, NULL, &m) ? 4 : 0);
			freopen("/dev/null", "w", stderr);
			_exit(platform_run(p, 0, 0, NULL, &m) ? 4 : 0);
		}
		int status = 0;
		waitpid(pid, &status, 0);
		if (on)
			CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
		else
			CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	scenario_free(&sc);
}

int main(void)
{
	char root[400];
	if (!getcwd(root, sizeof root))
		return 1;
	test_rich_runs(root);
	test_corruption_caught();
	test_hook_stops_run();
	return test_report("test_invariants");
}
