/* test_hand_off.c - a departure that hands its GPUs straight to the head of the queue
 * (models/platform/platform.c, on_depart) is a shortcut, not a rule: every scenario here runs
 * each policy (the built-in head policies and the FCFS plugin, whose head is declared
 * pure) with and without it, and the jobs it writes (which node, when) and every
 * metric must be the same bytes. The scenarios make hand-offs common and the cases
 * around them likely: nodes of one GPU and of eight, several job sizes and fractions on
 * one node, two pools, every placement, patience, tenants, a node list of mixed sizes. */
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "platform.h"
#include "test.h"

/* Replication rep of policy pi: its jobs.csv rows (malloc'd text) and metrics. */
static char *run_one(platform *p, int pi, int rep, rep_metrics *m, unsigned long long *offs, int allow)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	platform_sinks sinks = {f, NULL, NULL};
	platform_hand_offs(p, allow);
	int rc = f ? platform_run(p, pi, rep, &sinks, m) : -1;
	if (f)
		fclose(f);
	*offs = platform_hand_offs(p, 1);
	if (rc) {
		TEST_FAIL_("policy %d replication %d did not run (%d)", pi, rep, rc);
		free(text);
		return NULL;
	}
	return text;
}

/* Runs every policy of sc, 2 replications, both ways; returns the hand-offs done. */
static unsigned long long same_either_way(const scenario *sc, const char *what)
{
	platform *p = platform_new(sc);
	rep_metrics *a = malloc(sizeof *a), *b = malloc(sizeof *b);
	unsigned long long total = 0, none;
	if (!p || !a || !b) {
		TEST_FAIL_("%s: no memory", what);
		goto out;
	}
	for (int pi = 0; pi < sc->npolicies; pi++)
		for (int rep = 0; rep < 2; rep++) {
			unsigned long long offs;
			memset(a, 0, sizeof *a);
			memset(b, 0, sizeof *b);
			char *with = run_one(p, pi, rep, a, &offs, 1), *without = run_one(p, pi, rep, b, &none, 0);
			total += offs;
			CHECK_INT(none, 0);
			if (with && without && (strcmp(with, without) || memcmp(a, b, sizeof *a)))
				TEST_FAIL_("%s, policy %s, replication %d: %s differ with hand-offs (%llu of them)", what,
					   sc->policies[pi].label, rep, strcmp(with, without) ? "jobs" : "metrics", offs);
			free(with);
			free(without);
		}
	fprintf(stderr, "  %-34s %llu hand-offs\n", what, total);
out:
	free(a);
	free(b);
	platform_free(p);
	return total;
}

static const char mmc[] =
	"run = { horizon = \"20d\"; warmup = \"1d\"; replications = 2; seed = 5; };\n"
	"cluster = { pools = ( { name = \"g\"; nodes = 5; gpus_per_node = 1; price_per_gpu_hour = 3; } ); };\n"
	"workload = { arrivals = { rate = \"4.6/h\"; };\n"
	"  classes = ( { name = \"a\"; share = 0.7; service = \"exponential(1h)\"; },\n"
	"              { name = \"b\"; share = 0.3; priority = 1; service = \"exponential(1h)\";\n"
	"                patience = \"exponential(2h)\"; } ); };\n"
	"policies = ( \"fcfs\", \"priority\", \"sjf\", { name = \"fcfs-plugin\"; plugin = \"%s/models/plugins/fcfs.so\"; } );\n";

/* Two pools of 8- and 4-GPU nodes; jobs of 1, 2, 4 and 8 GPUs and half GPUs, and jobs
 * of 2 GPUs that may use one pool only. */
static const char mixed[] =
	"run = { horizon = \"10d\"; warmup = \"1d\"; replications = 2; seed = 8; };\n"
	"cluster = { pools = (\n"
	"  { name = \"big\"; nodes = 4; gpus_per_node = 8; price_per_gpu_hour = 3; minimum_billing = \"10m\"; },\n"
	"  { name = \"small\"; nodes = 6; gpus_per_node = 4; price_per_gpu_hour = 2; } ); };\n"
	"placement = \"%s\";\n"
	"workload = { arrivals = { rate = \"30/h\"; };\n"
	"  classes = (\n"
	"    { name = \"one\"; share = 0.4; gpus = 1; service = \"exponential(1h)\"; tenant_mix = \"zipf(5, 1.5)\"; },\n"
	"    { name = \"two\"; share = 0.25; gpus = 2; service = \"lognormal(1h, 1.0)\"; patience = \"exponential(3h)\"; },\n"
	"    { name = \"four\"; share = 0.1; gpus = 4; priority = 1; service = \"exponential(2h)\"; },\n"
	"    { name = \"twin\"; share = 0.05; gpus = 2; service = \"exponential(1h)\"; pools = [\"small\"]; },\n"
	"    { name = \"eight\"; share = 0.05; gpus = 8; priority = 2; service = \"exponential(2h)\"; pools = [\"big\"]; },\n"
	"    { name = \"half\"; share = 0.15; gpus = 0.5; service = \"exponential(30m)\"; } ); };\n"
	"policies = ( \"fcfs\", \"priority\", \"sjf\", \"fair-share\", { name = \"aging\"; step = \"5m\"; },\n"
	"             { name = \"fcfs-plugin\"; plugin = \"%s/models/plugins/fcfs.so\"; } );\n";

static void test_scenarios(void)
{
	scenario sc;
	char root[4096]; /* the FCFS plugin (FGP_HEAD_PURE) gets hand-offs too */
	if (!getcwd(root, sizeof root))
		return (void)TEST_FAIL_("%s", "getcwd");
	if (!fx_load(&sc, mmc, root)) {
		CHECK(same_either_way(&sc, "M/M/5, one-GPU nodes") > 5000);
		scenario_free(&sc);
	} else
		TEST_FAIL_("%s", "mmc scenario");
	static const char *const placements[] = {"first-fit", "best-fit", "cheapest", "fastest"};
	for (int i = 0; i < 4; i++) {
		char what[64];
		snprintf(what, sizeof what, "mixed sizes, %s", placements[i]);
		if (fx_load(&sc, mixed, placements[i], root)) {
			TEST_FAIL_("%s scenario", what);
			continue;
		}
		CHECK(same_either_way(&sc, what) > 1000);
		scenario_free(&sc);
	}
	/* The bundled Alibaba replay: a node list of mixed sizes, trace jobs of any size. */
	char err[1024];
	sc_override busy = {"workload.arrivals.scale", "1", NULL}; /* the demo queues as it is: hand-offs */
	if (!scenario_load(&sc, "scenarios/trace-alibaba.cfg", &busy, 1, err, sizeof err)) {
		CHECK(same_either_way(&sc, "trace-alibaba.cfg") > 20);
		scenario_free(&sc);
	} else
		TEST_FAIL_("%s", err);
}

int main(void)
{
	test_scenarios();
	return test_report("test_hand_off");
}
