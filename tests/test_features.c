/* test_features.c - pf_features (models/platform/pf_features.c) as a truth table: small
 * scenarios, each switching one feature or policy trait on, and the flags it must
 * derive, every one of them asserted on every row, so that a flag derived wrongly (on
 * where it must be off, or off where on) fails here. */
#include <string.h>

#include "fixture.h"
#include "pf_features.h"
#include "test.h"

/* One pool of 2-GPU nodes and one class; %s: more pools / options, %s: class options,
 * %s: scenario extras, %s: the policies. Class a shares the load with the others. */
static const char base[] =
	"run = { horizon = \"1d\"; replications = 1; seed = 1; };\n"
	"cluster = { pools = ( { name = \"p\"; nodes = 4; gpus_per_node = 2; price_per_gpu_hour = 1.0; %s } %s ); };\n"
	"workload = { arrivals = { rate = \"2/h\"; };\n"
	"  classes = ( { name = \"a\"; share = %s; service = \"exponential(1h)\"; %s } %s ); };\n"
	"%s\n"
	"policies = ( %s );\n";

/* The expected flags of one row: -1 where a column is not asserted (none are, below). */
typedef struct row {
	const char *what, *pool_opt, *more_pools, *class_opt, *more_classes, *extra, *policies;
	int pi, allow;
	/* scenario */
	int more_scopes, track_work, nburst, quota, extras, min_billing, frag_on;
	/* policy */
	int preempts, own_schedule, eager, kill, frag_live, hand_off, watched;
} row;

static const char two_gpus_b[] =
	", { name = \"b\"; share = 0.5; gpus = 2; service = \"exponential(1h)\"; }";
static const char plugin_fmt[] = "{ name = \"plug\"; plugin = \"%s/models/plugins/fcfs.so\"; }";

static const row rows[] = {
	/* what              pool_opt more_pools class_opt more_cls extra policies pi allow
	 *                   more track nburst quota extras minb frag | pre own eager kill fragl hand watch */
	{"plain mmc, fcfs", "", "", "", "", "", "\"fcfs\"", 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0},
	{"hand-offs refused", "", "", "", "", "", "\"fcfs\"", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
	{"sjf", "", "", "", "", "", "\"sjf\"", 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0},
	{"two pools", "", ", { name = \"q\"; nodes = 2; gpus_per_node = 1; price_per_gpu_hour = 2.0; }", "", "", "",
	 "\"fcfs\"", 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0},
	{"two classes, sizes 1 and 2", "", "", "", two_gpus_b, "", "\"fcfs\"", 0, 1, 1, 0, 0, 0, 0, 0,
	 1, 0, 0, 0, 0, 1, 1, 0},
	{"half GPUs", "", "", "gpus = 0.5;", "", "", "\"fcfs\"", 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0},
	{"tenant scopes", "", "", "tenant_mix = \"zipf(3, 1.0)\";", "", "", "\"fcfs\"", 0, 1, 1, 0, 0, 0, 0, 0, 0, 0,
	 0, 0, 0, 0, 1, 0},
	{"promotion window", "", "", "", "", "promotions = ( { name = \"s\"; start = \"2h\"; duration = \"1h\"; discount = 0.5; } );",
	 "\"fcfs\"", 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0},
	{"minimum billing", "minimum_billing = \"10m\";", "", "", "", "", "\"fcfs\"", 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0,
	 0, 0, 1, 0},
	{"burst", "burst = { max_nodes = 3; startup = \"5m\"; cost_per_gpu_hour = 2; threshold = \"1m\"; cooldown = \"5m\"; };",
	 "", "", "", "", "\"fcfs\"", 0, 1, 0, 1, 3, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0},
	{"balking", "", "", "balking = { wait_scale = \"1h\"; };", "", "", "\"fcfs\"", 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0,
	 0, 0, 0, 0, 0},
	{"quota", "", "", "tenant_mix = \"zipf(3, 1.0)\";", "", "tenants = { quota_gpus = 2; };", "\"fcfs\"", 0, 1, 1, 0,
	 0, 2000, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0},
	{"preemptive", "", "", "", "", "", "\"fcfs\", \"priority-preemptive\"", 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0,
	 0, 0},
	{"preemptive, sizes 1 and 2", "", "", "", two_gpus_b, "", "\"priority-preemptive\"", 0, 1, 1, 0,
	 0, 0, 0, 0, 1, 1, 0, 1, 0, 1, 0, 0},
	{"easy-backfill", "", "", "", two_gpus_b, "", "\"easy-backfill\"", 0, 1, 1, 0, 0, 0, 0, 0, 1, 0,
	 1, 1, 0, 0, 0, 1},
	{"easy-backfill, kill", "", "", "", "", "", "{ name = \"easy-backfill\"; kill_at_estimate = true; }", 0, 1, 0, 0, 0,
	 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 1},
	{"fcfs plugin (pure head)", "", "", "", "", "", NULL, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0},
};

static void check_row(const row *r, const char *root)
{
	scenario sc;
	char plug[512];
	snprintf(plug, sizeof plug, plugin_fmt, root);
	if (fx_load(&sc, base, r->pool_opt, r->more_pools, r->more_classes[0] ? "0.5" : "1.0", r->class_opt, r->more_classes, r->extra,
		    r->policies ? r->policies : plug)) {
		TEST_FAIL_("%s: did not load", r->what);
		return;
	}
	pf_flags f;
	memset(&f, 0x55, sizeof f); /* a flag pf_features forgot would show */
	pf_features(&f, &sc, r->pi, r->allow);
	int failed = test_failures;
	CHECK_INT(f.more_scopes, r->more_scopes);
	CHECK_INT(f.track_work, r->track_work);
	CHECK_INT(f.nburst, r->nburst);
	CHECK_INT(f.quota, r->quota);
	CHECK_INT(f.extras, r->extras);
	CHECK_INT(f.min_billing, r->min_billing);
	CHECK_INT(f.frag_on, r->frag_on);
	CHECK_INT(f.preempts, r->preempts);
	CHECK_INT(f.own_schedule, r->own_schedule);
	CHECK_INT(f.eager, r->eager);
	CHECK_INT(f.kill_at_estimate, r->kill);
	CHECK_INT(f.frag_live, r->frag_live);
	CHECK_INT(f.hand_off, r->hand_off);
	CHECK_INT(f.watch != NULL, r->watched);
	CHECK_INT(f.faults, 0); /* no row fails nodes: test_faults_flag */
	CHECK_INT(f.history, 0); /* nor learns estimates: test_one_test_flags */
	CHECK_INT(f.job_hooks, 0);
	CHECK_INT(f.end_odd, r->kill);
	/* no row has the paper's measure */
	CHECK_INT(f.frag_watch, r->frag_live ? FRAG_WATCH_LIVE : FRAG_WATCH_NONE);
	/* the scenario's flags alone (pi < 0) are the same, and the policy's all off */
	pf_flags s;
	pf_features(&s, &sc, -1, 1);
	CHECK_INT(s.more_scopes, r->more_scopes);
	CHECK_INT(s.extras, r->extras);
	CHECK_INT(s.nburst, r->nburst);
	CHECK_INT(s.quota, r->quota);
	CHECK_INT(s.frag_on, r->frag_on);
	CHECK_INT(s.preempts | s.own_schedule | s.eager | s.kill_at_estimate | s.frag_live | s.hand_off, 0);
	CHECK_INT(s.frag_watch | s.end_odd, 0);
	CHECK(s.watch == NULL);
	if (test_failures != failed)
		fprintf(stderr, "  ... in row \"%s\"\n", r->what);
	scenario_free(&sc);
}

/* faults: on with failures, spot or checkpoints (their runs take pauses and stop
 * early), and then no hand-off (a run's end books its checkpoints first). */
static void test_faults_flag(void)
{
	static const struct {
		const char *pool_opt, *class_opt;
		int faults;
	} cases[] = {
		{"failures = { mtbf = \"30d\"; repair = \"6h\"; };", "", 1},
		{"spot = { reclaim = \"8h\"; };", "spot = true;", 1},
		{"", "checkpoint = { every = \"1h\"; cost = \"1m\"; };", 1},
		{"reserved = true;", "on_failure = \"fail\";", 0}, /* nothing fails */
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		scenario sc;
		if (fx_load(&sc, base, cases[i].pool_opt, "", "1.0", cases[i].class_opt, "", "", "\"fcfs\"")) {
			TEST_FAIL_("faults case %zu: did not load", i);
			continue;
		}
		pf_flags f;
		pf_features(&f, &sc, 0, 1);
		CHECK_INT(f.faults, cases[i].faults);
		CHECK_INT(f.hand_off, !cases[i].faults);
		CHECK_INT(f.job_hooks, cases[i].faults);
		CHECK_INT(f.end_odd, cases[i].faults);
		scenario_free(&sc);
	}
}

/* The flags that let the hot paths test once for several rare hooks: job_hooks (an
 * arrival's estimate is learned or stretched, a run's end books checkpoints or learns),
 * end_odd (a run ends other than at start + left), frag_watch (some fragmentation
 * measure looks after each event); each on for
 * every one of its reasons alone, off without them. Failures: test_faults_flag. */
static void test_one_test_flags(void)
{
	/* a pool with CPU and memory limits; %s: the class's GPUs, %s: the policies */
	static const char multi[] =
		"run = { horizon = \"1d\"; replications = 1; seed = 1; };\n"
		"cluster = { pools = ( { name = \"p\"; nodes = 4; gpus_per_node = 4;\n"
		"  cpus_per_node = 32; memory_per_node = 131072;\n"
		"  price_per_gpu_hour = 1.0; } ); };\n"
		"workload = { arrivals = { rate = \"2/h\"; };\n"
		"  classes = ( { name = \"a\"; share = 1.0; gpus = %s; cpus = 4;\n"
		"    service = \"exponential(1h)\"; } ); };\n"
		"policies = ( %s );\n";
	static const char learns[] = "estimate = \"history\"; estimate_fallback = \"constant(2)\"; "
				     "tenant_mix = \"zipf(3, 1.0)\";";
	static const char kill[] = "{ name = \"easy-backfill\"; kill_at_estimate = true; }";
	static const struct {
		int with_limits; /* multi (gpus, policies), else base (class_opt, policies) */
		const char *opt, *policies;
		int history, job_hooks, end_odd, frag_live, frag_paper, frag_watch;
	} cases[] = {
		{0, "", "\"fcfs\"", 0, 0, 0, 0, 0, FRAG_WATCH_NONE},
		{0, learns, "\"fcfs\"", 1, 1, 0, 0, 0, FRAG_WATCH_NONE},
		{0, "", kill, 0, 0, 1, 0, 0, FRAG_WATCH_NONE},
		{0, "gpus = 0.5;", "\"fcfs\"", 0, 0, 0, 1, 0, FRAG_WATCH_LIVE}, /* the head's */
		{1, "0.5", "\"fcfs\"", 0, 0, 0, 1, 1, FRAG_WATCH_PAPER},  /* both measures */
		{1, "1", "\"fcfs\"", 0, 0, 0, 0, 1, FRAG_WATCH_PAPER},    /* the paper's alone */
		{1, "0.5", "\"easy-backfill\"", 0, 0, 0, 0, 1, FRAG_WATCH_PAPER}, /* no head */
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		scenario sc;
		const char *opt = cases[i].opt, *pol = cases[i].policies;
		int rc = cases[i].with_limits ? fx_load(&sc, multi, opt, pol)
					      : fx_load(&sc, base, "", "", "1.0", opt, "", "",
							pol);
		if (rc) {
			TEST_FAIL_("one-test case %zu: did not load", i);
			continue;
		}
		pf_flags f;
		pf_features(&f, &sc, 0, 1);
		int failed = test_failures;
		CHECK_INT(f.history, cases[i].history);
		CHECK_INT(f.job_hooks, cases[i].job_hooks);
		CHECK_INT(f.end_odd, cases[i].end_odd);
		CHECK_INT(f.frag_live, cases[i].frag_live);
		CHECK_INT(f.frag_paper, cases[i].frag_paper);
		CHECK_INT(f.frag_watch, cases[i].frag_watch);
		CHECK_INT(f.faults, 0);
		if (test_failures != failed)
			fprintf(stderr, "  ... in one-test case %zu\n", i);
		scenario_free(&sc);
	}
}

int main(void)
{
	test_faults_flag();
	test_one_test_flags();
	char root[400];
	if (!getcwd(root, sizeof root))
		return 1;
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
		check_row(&rows[i], root);
	return test_report("test_features");
}
