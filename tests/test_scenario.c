/* test_scenario.c - the scenario loader: defaults, --set overrides of every kind (and
 * their errors, which must name the override), elasticity, promotion class masks,
 * fractional GPUs, a short daily profile reported at its line, and the offered load of
 * a one-pool M/M/c. */
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>

#include "load.h"
#include "scenario_load.h"
#include "test.h"

static char path[64], err[1024];

/* Writes the text to a fresh temporary file (its name left in `path`) and loads it
 * with the overrides. Returns scenario_load's code; err holds its message. */
static int load(scenario *sc, const sc_override *ov, int nov, const char *text)
{
	snprintf(path, sizeof path, "/tmp/fgsim-scn-XXXXXX.cfg");
	int fd = mkstemps(path, 4);
	if (fd < 0)
		return -1;
	FILE *f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	err[0] = 0;
	int rc = scenario_load(sc, path, ov, nov, err, sizeof err);
	unlink(path);
	return rc;
}

static int starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* A minimal M/M/5: 4.5 jobs/h, 1 h mean service, one pool of 5 one-GPU nodes. Line
 * numbers matter to the tests below: "cluster" is line 3, "classes" line 5. */
static const char mmc[] =
	"name = \"mmc\";\n"                                                                          /* 1 */
	"run = { horizon = \"10d\"; };\n"                                                             /* 2 */
	"cluster = { pools = ( { name = \"gpu\"; nodes = 5; gpus_per_node = 1; cost_per_gpu_hour = 2.5; } ); };\n" /* 3 */
	"workload = { arrivals = { rate = \"4.5/h\"; };\n"                                            /* 4 */
	"  classes = ( { name = \"jobs\"; share = 1.0; service = \"exponential(1h)\"; } ); };\n"      /* 5 */
	"policies = ( \"fcfs\" );\n";                                                                 /* 6 */

static void test_defaults(void)
{
	scenario sc;
	const char *text =
		"run = { horizon = \"2d\"; };\n"
		"cluster = { pools = ( { name = \"a\"; nodes = 2; gpus_per_node = 8; },\n"
		"                      { name = \"b\"; nodes = 3; gpus_per_node = 4; } ); };\n"
		"workload = { arrivals = { rate = \"10/h\"; };\n"
		"  classes = ( { name = \"x\"; share = 0.25; service = \"exponential(1h)\"; },\n"
		"              { name = \"y\"; share = 0.75; service = \"exponential(2h)\"; } ); };\n"
		"policies = ( \"fcfs\" );\n";
	if (load(&sc, NULL, 0, text)) {
		TEST_FAIL_("defaults scenario does not load: %s", err);
		return;
	}
	CHECK_INT(sc.placement, PLACE_FIRST_FIT);
	CHECK_INT(sc.replications, 10);
	CHECK(sc.confidence == 0.95);
	CHECK(sc.warmup == 0);
	CHECK(sc.horizon == 2 * 86400);
	CHECK_INT(sc.seed, 1);
	CHECK_STR(sc.currency, "USD");
	CHECK(starts_with(sc.name, "fgsim-scn-")); /* the file's name without folder or extension */
	CHECK(strchr(sc.name, '.') == NULL);
	CHECK_INT(sc.plots, 1);
	CHECK_INT(sc.jobs_csv, 0);
	CHECK(sc.timeseries_step == 0);
	CHECK_INT(sc.npromos, 0);
	CHECK_INT(sc.has_profile, 0);
	CHECK_INT(sc.npolicies, 1);
	CHECK_INT(sc.policies[0].kind, POLICY_FCFS);
	CHECK_STR(sc.policies[0].label, "fcfs");
	CHECK_STR(sc.pools[1].gpu, "b"); /* gpu defaults to the pool's name */
	CHECK(sc.pools[0].cost_per_gpu_hour == 0 && sc.pools[0].price_per_gpu_hour == 0);
	CHECK_INT(sc.nclasses, 2);
	for (int k = 0; k < 2; k++) {
		CHECK_INT(sc.classes[k].has_patience, 0);
		CHECK_INT(sc.classes[k].priority, 0);
		CHECK_INT(sc.classes[k].gpus_milli, 1000);
		CHECK_INT(sc.classes[k].npools, 2); /* all pools, in file order */
		CHECK_INT(sc.classes[k].pools[0], 0);
		CHECK_INT(sc.classes[k].pools[1], 1);
	}
	CHECK_NEAR(scenario_class_rate(&sc, 1), 10.0 / 3600 * 0.75, 1e-15);
	scenario_free(&sc);
}

/* One override that must load; returns 0 and leaves sc loaded, or reports. */
static int set_ok(scenario *sc, const char *text, const char *key, const char *value)
{
	sc_override o = {key, value, NULL};
	int rc = load(sc, &o, 1, text);
	if (rc)
		TEST_FAIL_("--set %s=%s: rc %d: %s", key, value, rc, err);
	return rc;
}

/* One override that must fail; returns the error text. */
static const char *set_bad(const char *text, const char *key, const char *value)
{
	scenario sc;
	sc_override o = {key, value, NULL};
	int rc = load(&sc, &o, 1, text);
	CHECK_INT(rc, 2);
	if (rc == 0)
		scenario_free(&sc);
	return err;
}

static void test_overrides(void)
{
	scenario sc;
	/* an int */
	if (!set_ok(&sc, mmc, "run.replications", "5")) {
		CHECK_INT(sc.replications, 5);
		scenario_free(&sc);
	}
	/* a float setting given as an int */
	if (!set_ok(&sc, mmc, "cluster.pools.[0].cost_per_gpu_hour", "3")) {
		CHECK(sc.pools[0].cost_per_gpu_hour == 3.0);
		scenario_free(&sc);
	}
	/* a string without quotes, which is no libconfig literal */
	if (!set_ok(&sc, mmc, "run.horizon", "30d")) {
		CHECK(sc.horizon == 30 * 86400);
		scenario_free(&sc);
	}
	/* a quoted string */
	if (!set_ok(&sc, mmc, "run.horizon", "\"12h\"")) {
		CHECK(sc.horizon == 12 * 3600);
		scenario_free(&sc);
	}
	if (!set_ok(&sc, mmc, "name", "\"renamed run\"")) {
		CHECK_STR(sc.name, "renamed run");
		scenario_free(&sc);
	}
	/* a setting inside a list element */
	if (!set_ok(&sc, mmc, "cluster.pools.[0].nodes", "12")) {
		CHECK_INT(sc.pools[0].nodes, 12);
		scenario_free(&sc);
	}
	/* optional keys the file leaves out, in a group it has and in a list element */
	if (!set_ok(&sc, mmc, "run.seed", "77")) {
		CHECK_INT(sc.seed, 77);
		scenario_free(&sc);
	}
	if (!set_ok(&sc, mmc, "cluster.pools.[0].price_per_gpu_hour", "4.25")) {
		CHECK(sc.pools[0].price_per_gpu_hour == 4.25);
		scenario_free(&sc);
	}
	if (!set_ok(&sc, mmc, "workload.classes.[0].patience", "exponential(30m)")) {
		CHECK_INT(sc.classes[0].has_patience, 1);
		CHECK_NEAR(sc.classes[0].patience.mean, 1800, 1e-9);
		scenario_free(&sc);
	}
	char with_output[sizeof mmc + 64];
	snprintf(with_output, sizeof with_output, "%soutput = { plots = false; };\n", mmc);
	if (!set_ok(&sc, with_output, "output.jobs", "true")) {
		CHECK_INT(sc.jobs_csv, 1);
		CHECK_INT(sc.plots, 0);
		scenario_free(&sc);
	}
	/* output.jobs is optional and so is the output group: a file without the group
	 * (scenarios/mmc.cfg is one) must still take --set output.jobs=true */
	if (!set_ok(&sc, mmc, "output.jobs", "true")) {
		CHECK_INT(sc.jobs_csv, 1);
		scenario_free(&sc);
	}
	/* several overrides apply in order; the last of one key wins */
	sc_override two[] = {{"run.replications", "3", NULL}, {"run.warmup", "1d", NULL}, {"run.replications", "4", NULL}};
	if (load(&sc, two, 3, mmc) == 0) {
		CHECK_INT(sc.replications, 4);
		CHECK(sc.warmup == 86400);
		scenario_free(&sc);
	} else {
		TEST_FAIL_("three overrides: %s", err);
	}

	/* errors: each starts with "--set KEY: " */
	const char *e = set_bad(mmc, "run.horizn", "3d");
	CHECK(starts_with(e, "--set run.horizn: "));
	e = set_bad(mmc, "nosuch.key", "1");
	CHECK(starts_with(e, "--set nosuch.key: "));
	e = set_bad(mmc, "run.replications", "\"ten\"");
	CHECK(starts_with(e, "--set run.replications: "));
	CHECK(strstr(e, "integer") != NULL);
	e = set_bad(mmc, "run.replications", "ten");
	CHECK(starts_with(e, "--set run.replications: "));
	e = set_bad(mmc, "run.horizon", "5");
	CHECK(starts_with(e, "--set run.horizon: "));
	CHECK(strstr(e, "string") != NULL);
	e = set_bad(mmc, "cluster.pools.[0].nodes", "0"); /* right type, out of range */
	CHECK(starts_with(e, "--set cluster.pools.[0].nodes: "));
	e = set_bad(mmc, "cluster.pools.[0]", "5"); /* a list element keeps its type */
	CHECK(starts_with(e, "--set cluster.pools.[0]: "));
	e = set_bad(mmc, "run.colour", "1"); /* a group that exists, a key its schema lacks */
	CHECK(starts_with(e, "--set run.colour: "));
}

/* Elasticity e with discount d gives demand (1 - d)^-e; demand and elasticity
 * together are refused; the class list gives a bit mask (all classes by default). */
static void test_promotions(void)
{
	static const char fmt[] =
		"run = { horizon = \"7d\"; };\n"
		"cluster = { pools = ( { name = \"gpu\"; nodes = 4; gpus_per_node = 8; } ); };\n"
		"workload = { arrivals = { rate = \"10/h\"; };\n"
		"  classes = ( { name = \"a\"; share = 0.5; service = \"exponential(1h)\"; },\n"
		"              { name = \"b\"; share = 0.25; service = \"exponential(1h)\"; },\n"
		"              { name = \"c\"; share = 0.25; service = \"exponential(1h)\"; } ); };\n"
		"promotions = ( { name = \"sale\"; start = \"1d\"; duration = \"4h\"; discount = %s; %s },\n"
		"               { name = \"later\"; start = \"3d\"; duration = \"1d\"; } );\n"
		"policies = ( \"fcfs\" );\n";
	char text[2048];
	scenario sc;
	snprintf(text, sizeof text, fmt, "0.5", "elasticity = 1.5; classes = [ \"c\", \"a\" ];");
	if (load(&sc, NULL, 0, text) == 0) {
		CHECK_INT(sc.npromos, 2);
		CHECK_NEAR(sc.promos[0].demand, 2.8284271247461903, 1e-14); /* 0.5^-1.5 = 2^1.5 */
		CHECK_INT(sc.promos[0].classes, 5);                          /* c (bit 2) | a (bit 0) */
		CHECK_INT(sc.promos[1].classes, 7);                          /* every class */
		CHECK(sc.promos[1].demand == 1 && sc.promos[1].discount == 0);
		CHECK(sc.promos[0].start == 86400 && sc.promos[0].duration == 4 * 3600);
		scenario_free(&sc);
	} else {
		TEST_FAIL_("elasticity scenario: %s", err);
	}
	snprintf(text, sizeof text, fmt, "0.2", "elasticity = 2; classes = [ \"b\" ];");
	if (load(&sc, NULL, 0, text) == 0) {
		CHECK_NEAR(sc.promos[0].demand, 1.5625, 1e-14); /* 0.8^-2 = 1/0.64 */
		CHECK_INT(sc.promos[0].classes, 2);
		scenario_free(&sc);
	} else {
		TEST_FAIL_("elasticity 2 scenario: %s", err);
	}
	snprintf(text, sizeof text, fmt, "0.3", "elasticity = 0;");
	if (load(&sc, NULL, 0, text) == 0) {
		CHECK(sc.promos[0].demand == 1);
		scenario_free(&sc);
	} else {
		TEST_FAIL_("elasticity 0 scenario: %s", err);
	}
	snprintf(text, sizeof text, fmt, "0.5", "demand = 2; elasticity = 1;");
	CHECK_INT(load(&sc, NULL, 0, text), 2);
	CHECK(strstr(err, "not both") != NULL);
	CHECK(starts_with(err, path) && strstr(err, ":7: ") != NULL);
}

/* gpus = 0.25 is 250 thousandths; 1.5 is neither whole nor under one, so it is
 * refused, naming the file and line. */
static void test_gpus(void)
{
	static const char fmt[] =
		"run = { horizon = \"1d\"; };\n"
		"cluster = { pools = ( { name = \"gpu\"; nodes = 4; gpus_per_node = 8; } ); };\n"
		"workload = { arrivals = { rate = \"10/h\"; };\n"
		"  classes = ( { name = \"a\"; share = 1.0; service = \"exponential(1h)\";\n"
		"                gpus = %s; } ); };\n" /* line 5 */
		"policies = ( \"fcfs\" );\n";
	static const struct { const char *gpus; int milli; } ok[] = {
		{"0.25", 250}, {"0.5", 500}, {"0.001", 1}, {"1", 1000}, {"2", 2000}, {"8", 8000}, {"4.0", 4000}};
	char text[1024], want[128];
	scenario sc;
	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
		snprintf(text, sizeof text, fmt, ok[i].gpus);
		if (load(&sc, NULL, 0, text)) {
			TEST_FAIL_("gpus = %s: %s", ok[i].gpus, err);
			continue;
		}
		CHECK_INT(sc.classes[0].gpus_milli, ok[i].milli);
		scenario_free(&sc);
	}
	static const char *const bad[] = {"1.5", "0.0005", "9", "0", "-1"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		snprintf(text, sizeof text, fmt, bad[i]);
		CHECK_INT(load(&sc, NULL, 0, text), 2);
		snprintf(want, sizeof want, "%s:5: ", path);
		if (!starts_with(err, want))
			fprintf(stderr, "  gpus = %s: \"%s\"\n", bad[i], err);
		CHECK(starts_with(err, want));
	}
	snprintf(text, sizeof text, fmt, "1.5");
	load(&sc, NULL, 0, text);
	CHECK(strstr(err, "1.5") != NULL);
}

/* A daily profile of 23 numbers is refused at its own line (6 here). */
static void test_profile(void)
{
	static const char fmt[] =
		"run = { horizon = \"1d\"; };\n"
		"cluster = { pools = ( { name = \"gpu\"; nodes = 5; gpus_per_node = 1; } ); };\n"
		"workload = {\n"
		"  arrivals = {\n"
		"    rate = \"4.5/h\";\n"
		"    daily_profile = [ %s ];\n" /* line 6 */
		"  };\n"
		"  classes = ( { name = \"a\"; share = 1.0; service = \"exponential(1h)\"; } ); };\n"
		"policies = ( \"fcfs\" );\n";
	char list[512] = "", text[2048], want[128];
	size_t at = 0;
	for (int h = 0; h < 23; h++)
		at += (size_t)snprintf(list + at, sizeof list - at, "%s%s", h ? ", " : "", h % 2 ? "1.5" : "0.5");
	snprintf(text, sizeof text, fmt, list);
	scenario sc;
	CHECK_INT(load(&sc, NULL, 0, text), 2);
	snprintf(want, sizeof want, "%s:6: ", path);
	CHECK(starts_with(err, want));
	CHECK(strstr(err, "24") != NULL && strstr(err, "23") != NULL);

	/* 24 alternating 0.5 and 1.5 average 1: the day's rate is unchanged */
	snprintf(list + at, sizeof list - at, ", 1.5");
	snprintf(text, sizeof text, fmt, list);
	if (load(&sc, NULL, 0, text) == 0) {
		CHECK_INT(sc.has_profile, 1);
		CHECK(sc.daily_profile[23] == 1.5 && sc.daily_profile[0] == 0.5);
		CHECK_NEAR(scenario_class_rate(&sc, 0), 4.5 / 3600, 1e-15);
		CHECK_NEAR(scenario_offered_load(&sc, 0), 0.9, 1e-12);
		scenario_free(&sc);
	} else {
		TEST_FAIL_("24-hour profile: %s", err);
	}
}

/* Offered load of a one-pool M/M/c is lambda / (c mu): 4.5/h / (5 x 1/h) = 0.9; with
 * 2-GPU jobs on 2-GPU nodes the same; split over two pools by their size. */
static void test_offered_load(void)
{
	scenario sc;
	if (load(&sc, NULL, 0, mmc) == 0) {
		CHECK_NEAR(scenario_offered_load(&sc, 0), 4.5 / (5 * 1.0), 1e-12);
		scenario_free(&sc);
	} else {
		TEST_FAIL_("mmc: %s", err);
	}
	sc_override ov[] = {{"cluster.pools.[0].gpus_per_node", "2", NULL}, {"workload.classes.[0].gpus", "2", NULL}};
	if (load(&sc, ov, 2, mmc) == 0) {
		CHECK_INT(sc.classes[0].gpus_milli, 2000);
		CHECK_NEAR(scenario_offered_load(&sc, 0), 4.5 * 2 / 10, 1e-12);
		scenario_free(&sc);
	} else {
		TEST_FAIL_("mmc with 2-GPU nodes: %s", err);
	}
	sc_override fast[] = {{"run.horizon", "1d", NULL}, {"workload.classes.[0].service", "exponential(30m)", NULL},
			      {"workload.arrivals.rate", "3/h", NULL}};
	if (load(&sc, fast, 3, mmc) == 0) {
		CHECK_NEAR(scenario_offered_load(&sc, 0), 3 * 0.5 / 5, 1e-12);
		scenario_free(&sc);
	} else {
		TEST_FAIL_("mmc at 3/h, 30 m: %s", err);
	}
	const char *two =
		"run = { horizon = \"1d\"; };\n"
		"cluster = { pools = ( { name = \"a\"; nodes = 2; gpus_per_node = 4; },\n"
		"                      { name = \"b\"; nodes = 6; gpus_per_node = 2; } ); };\n"
		"workload = { arrivals = { rate = \"8/h\"; };\n"
		"  classes = ( { name = \"x\"; share = 1.0; service = \"exponential(1h)\"; } ); };\n"
		"policies = ( \"fcfs\" );\n";
	if (load(&sc, NULL, 0, two) == 0) {
		/* 8 GPU-hours per hour over 20 GPUs, 8 of them in a: a gets 3.2, b 4.8 */
		CHECK_NEAR(scenario_offered_load(&sc, 0), 3.2 / 8, 1e-12);
		CHECK_NEAR(scenario_offered_load(&sc, 1), 4.8 / 12, 1e-12);
		scenario_free(&sc);
	} else {
		TEST_FAIL_("two pools: %s", err);
	}
}

/* What the fuzzers found in the loader (tests/fuzz/corpus/{scenario,override}/). */
static void test_fuzz_regressions(void)
{
	scenario sc;
	char text[1024];
	/* libconfig 1.5 keeps the low 32 bits of an integer without L: 4294967297 nodes was
	 * 1 node, silently. Now an error at its line, and a lone --set integer is widened. */
	const char *five = strstr(mmc, "nodes = 5;");
	snprintf(text, sizeof text, "%.*snodes = 4294967297;%s", (int)(five - mmc), mmc, five + 10);
	CHECK_INT(load(&sc, NULL, 0, text), 2);
	if (!strstr(err, ":3: integer 4294967297 is too large for 32 bits"))
		TEST_FAIL_("wide integer: %s", err);
	if (!set_ok(&sc, mmc, "run.seed", "5000000000")) {
		CHECK(sc.seed == 5000000000ULL);
		scenario_free(&sc);
	}
	CHECK(starts_with(set_bad(mmc, "run.seed", "99999999999999999999"), "--set run.seed: integer 99999999999999999999 is too large"));
	CHECK(starts_with(set_bad(mmc, "cluster.pools.[0].nodes", "4294967297"), "--set cluster.pools.[0].nodes: \"nodes\" = 4294967297 is outside"));
	/* A gang as big as the largest pool would overflow the job's int of thousandths. */
	static const char huge[] =
		"run = { horizon = \"10d\"; };\n"
		"cluster = { pools = ( { name = \"g\"; nodes = 100000; gpus_per_node = 64; } ); };\n"
		"workload = { arrivals = { rate = \"1/h\"; };\n"
		"  classes = ( { name = \"big\"; gpus = 6400000; service = \"exponential(1h)\"; } ); };\n"
		"policies = ( \"fcfs\" );\n";
	CHECK_INT(load(&sc, NULL, 0, huge), 2);
	CHECK(strstr(err, ":4: class \"big\" asks for 6.4e+06 GPUs; a job may ask for at most 2147483") != NULL);
	/* 1e-25 GPUs passed as a whole number of thousandths and made a job of 0 GPUs. */
	CHECK(starts_with(set_bad(mmc, "workload.classes.[0].gpus", "1e-25"),
			  "--set workload.classes.[0].gpus: gpus must be at least 0.001"));
	/* An element of a list that --set replaced is reported as that --set. */
	CHECK(starts_with(set_bad(mmc, "workload.classes.[0].pools", "[\"gpv\"]"),
			  "--set workload.classes.[0].pools: class \"jobs\" names unknown pool \"gpv\" (did you mean \"gpu\"?)"));
}

int main(void)
{
	test_defaults();
	test_overrides();
	test_promotions();
	test_gpus();
	test_profile();
	test_offered_load();
	test_fuzz_regressions();
	return test_report("test_scenario");
}
