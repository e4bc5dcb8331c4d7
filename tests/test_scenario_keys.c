/* test_scenario_keys.c - the key table (scenario_keys.h) tells the truth: every key it
 * lists is accepted by the loader with its example value, each example has the type the
 * table gives, each group's members are checked, and every default that can be read as a
 * number, a duration or true/false is what a scenario without the key holds. */
#include <libconfig.h>
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include "cfgfile.h"
#include "scenario_keys.h"
#include "scenario_load.h"
#include "test.h"
#include "units.h"

/* A scenario with every optional group whose keys need a context (a burst group, a
 * balking group, a promotion, precision, an aging policy), so that one key's example can
 * be set into it and loaded. Pools and classes carry the names the examples use. */
static const char base[] =
	"run = { horizon = \"10d\"; precision = { metrics = [ \"wait_p95\" ]; relative = 0.1; }; };\n"
	"cluster = { pools = (\n"
	"  { name = \"h100\"; gpu = \"H100-SXM\"; nodes = 4; gpus_per_node = 8;\n"
	"    burst = { max_nodes = 1; }; },\n"
	"  { name = \"l4\"; gpu = \"L4\"; nodes = 4; gpus_per_node = 4; } ); };\n"
	"workload = { arrivals = { rate = \"10/h\"; };\n"
	"  classes = ( { name = \"inference\"; service = \"exponential(1h)\";\n"
	"                balking = { wait_scale = \"1h\"; }; } ); };\n"
	"promotions = ( { name = \"sale\"; start = \"1d\"; duration = \"4h\"; } );\n"
	"policies = ( { name = \"aging\"; } );\n";

/* Keys whose example cannot load in the base alone: they need a file next to the
 * scenario (node list, trace, calibration, plugin), another key beside them (profile and
 * steps), or a policy other than aging. Their examples must still pass the key and type
 * checks: the error may be about anything but an unknown key or a wrong type. */
static const char *const needs_context[] = {
	"cluster.nodes_file", "cluster.format", "cluster.cost_per_gpu_hour",
	"cluster.price_per_gpu_hour", "cluster.minimum_billing", "calibration",
	"workload.arrivals.file", "workload.arrivals.format", "workload.arrivals.on_bad",
	"workload.arrivals.speedup", "workload.arrivals.scale", "workload.arrivals.pod_resources",
	"workload.arrivals.cpu_pods", "workload.classes.[].profile",
	"workload.classes.[].steps", "run.precision.absolute", "policies.[].preempted",
	"policies.[].kill_at_estimate", "policies.[].plugin", "policies.[].params",
	"placement.name", "placement.plugin", "placement.params",
	"promotions.[].count", /* needs its repeat */
	"workload.classes.[].estimate_fallback", /* needs estimate = "history" */
	/* a member of a group that needs its sibling (mtbf and repair, spot's reclaim,
	 * checkpoint's every) */
	"cluster.pools.[].failures.mtbf", "cluster.pools.[].failures.repair",
	"cluster.pools.[].spot.notice", "cluster.pools.[].spot.return",
	"workload.classes.[].checkpoint.cost", "workload.classes.[].checkpoint.restart",
	/* alone in a maintenance window, which needs its start and duration (the base has
	 * no window: a pool with one refuses the spot examples) */
	"cluster.pools.[].maintenance.[].start", "cluster.pools.[].maintenance.[].duration",
	"cluster.pools.[].maintenance.[].nodes", "cluster.pools.[].maintenance.[].mode", NULL};

static int in(const char *word, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(word, *list))
			return 1;
	return 0;
}

/* Sets key path ("[]" meaning a list's first element) in cfg to v, creating the groups
 * above it and replacing a setting already there. Returns 0 or -1. */
static int put(config_t *cfg, const char *path, const config_setting_t *v)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s", path);
	config_setting_t *cur = config_root_setting(cfg);
	char *save, *part = strtok_r(buf, ".", &save);
	for (char *next; part; part = next) {
		next = strtok_r(NULL, ".", &save);
		if (!next) {
			if (config_setting_get_member(cur, part))
				config_setting_remove(cur, part);
			return cfgfile_copy(cur, part, v) ? 0 : -1;
		}
		config_setting_t *child = !strcmp(part, "[]") ? config_setting_get_elem(cur, 0)
							     : config_setting_get_member(cur, part);
		/* what is missing is made: a list where "[]" follows, its first element a group */
		if (!child && strcmp(part, "[]"))
			child = config_setting_add(cur, part,
						   strcmp(next, "[]") ? CONFIG_TYPE_GROUP : CONFIG_TYPE_LIST);
		else if (!child && config_setting_type(cur) == CONFIG_TYPE_LIST)
			child = config_setting_add(cur, NULL, CONFIG_TYPE_GROUP);
		if (!child)
			return -1;
		cur = child;
	}
	return -1;
}

/* Loads cfg (written to a temporary file) into sc. Returns scenario_load's code. */
static int load_cfg(config_t *cfg, scenario *sc, char *err, size_t len)
{
	char path[64];
	snprintf(path, sizeof path, "/tmp/fgsim-keys-XXXXXX.cfg");
	int fd = mkstemps(path, 4);
	if (fd < 0)
		return -1;
	close(fd);
	if (config_write_file(cfg, path) != CONFIG_TRUE)
		return -1;
	err[0] = 0;
	int rc = scenario_load(sc, path, NULL, 0, err, len);
	unlink(path);
	return rc;
}

/* Does a value of libconfig type t fit the table's type? "or" types take several. */
static int type_fits(const char *type, int t)
{
	if (strstr(type, " or "))
		return 1;
	if (!strncmp(type, "list", 4))
		return t == CONFIG_TYPE_LIST || t == CONFIG_TYPE_ARRAY;
	if (!strcmp(type, "group"))
		return t == CONFIG_TYPE_GROUP;
	if (!strcmp(type, "integer"))
		return t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64;
	if (!strcmp(type, "number"))
		return t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64 || t == CONFIG_TYPE_FLOAT;
	if (!strcmp(type, "boolean"))
		return t == CONFIG_TYPE_BOOL;
	if (!strcmp(type, "string") || !strcmp(type, "duration") || !strcmp(type, "rate") ||
	    !strcmp(type, "distribution"))
		return t == CONFIG_TYPE_STRING;
	return 0; /* a type word the table should not use */
}

static void test_examples_load(void)
{
	size_t n;
	const sc_key *k = scenario_keys(&n);
	CHECK(n > 80);
	for (size_t i = 0; i < n; i++) {
		config_t ex, cfg;
		char text[1024], err[1024];
		config_init(&ex);
		config_init(&cfg);
		snprintf(text, sizeof text, "v = %s;", k[i].example);
		if (config_read_string(&ex, text) != CONFIG_TRUE) {
			TEST_FAIL_("%s: example %s is not libconfig: %s", k[i].path, k[i].example,
				   config_error_text(&ex));
			goto next;
		}
		const config_setting_t *v = config_lookup(&ex, "v");
		if (!type_fits(k[i].type, config_setting_type(v)))
			TEST_FAIL_("%s: example %s is not of type %s", k[i].path, k[i].example, k[i].type);
		test_checks++;
		if (config_read_string(&cfg, base) != CONFIG_TRUE || put(&cfg, k[i].path, v)) {
			TEST_FAIL_("%s: cannot set the example into the base scenario", k[i].path);
			goto next;
		}
		scenario sc;
		int rc = load_cfg(&cfg, &sc, err, sizeof err);
		test_checks++;
		if (rc == 0)
			scenario_free(&sc);
		else if (!in(k[i].path, needs_context))
			TEST_FAIL_("%s = %s does not load: %s", k[i].path, k[i].example, err);
		else if (strstr(err, "unknown key") || strstr(err, "must be a") ||
			 strstr(err, "must be an integer") || strstr(err, "must be true or false"))
			TEST_FAIL_("%s = %s is refused as a key or type: %s", k[i].path, k[i].example, err);
	next:
		config_destroy(&ex);
		config_destroy(&cfg);
	}
}

/* The loaded value a key's default is compared with, or NAN for a key not covered. */
static double loaded(const scenario *sc, const char *key)
{
	const pool_spec *p = &sc->pools[0];
	const class_spec *c = &sc->classes[0];
	static const char *const names[] = {
		"run.warmup", "run.replications", "run.seed", "run.confidence",
		"run.plugin_timeout", "run.precision.max_replications",
		"cluster.pools.[].cost_per_gpu_hour", "cluster.pools.[].price_per_gpu_hour",
		"cluster.pools.[].minimum_billing", "cluster.pools.[].burst.startup",
		"cluster.pools.[].burst.threshold", "cluster.pools.[].burst.cooldown",
		"workload.classes.[].share", "workload.classes.[].priority", "workload.classes.[].gpus",
		"workload.classes.[].balking.price_elasticity", "promotions.[].discount",
		"promotions.[].demand", "policies.[].step", "policies.[].kill_at_estimate",
		"output.plots", "output.jobs", "output.timeseries_step", "workload.classes.[].cpus",
		"workload.classes.[].memory", "cluster.pools.[].burst.target", "cluster.pools.[].reserved",
		"workload.classes.[].spot", "workload.classes.[].checkpoint.cost",
		"workload.classes.[].checkpoint.restart", NULL};
	const double v[] = {sc->warmup, sc->replications, (double)sc->seed, sc->confidence,
			    sc->plugin_timeout, sc->precision.max_replications,
			    p->cost_per_gpu_hour, p->price_per_gpu_hour, p->minimum_billing,
			    p->burst_startup, p->burst_threshold, p->burst_cooldown,
			    c->share, c->priority, (double)c->gpus_milli / SC_MILLI,
			    c->balk_price_elasticity, sc->promos[0].discount, sc->promos[0].demand,
			    sc->policies[0].aging_step, sc->policies[0].kill_at_estimate,
			    sc->plots, sc->jobs_csv, sc->timeseries_step, c->cpu_milli / 1000.0, c->memory_mib,
			    p->burst_target, p->reserved, c->spot, c->ckpt_cost, c->ckpt_restart};
	for (int i = 0; names[i]; i++)
		if (!strcmp(names[i], key))
			return v[i];
	return NAN;
}

/* Defaults that read as a value but only apply with a node list, a trace or a spot
 * group, which the base scenario has not: not practical to load here. */
static const char *const default_elsewhere[] = {
	"cluster.cost_per_gpu_hour", "cluster.price_per_gpu_hour", "cluster.minimum_billing",
	"workload.arrivals.speedup", "workload.arrivals.scale", "workload.arrivals.pod_resources",
	"workload.arrivals.cpu_pods", "cluster.pools.[].spot.notice", "cluster.pools.[].spot.return",
	"cluster.pools.[].maintenance.[].nodes", NULL};

static void test_defaults_agree(void)
{
	scenario sc;
	config_t cfg;
	char err[1024];
	config_init(&cfg);
	CHECK(config_read_string(&cfg, base) == CONFIG_TRUE);
	int rc = load_cfg(&cfg, &sc, err, sizeof err);
	config_destroy(&cfg);
	if (rc) {
		TEST_FAIL_("the base scenario does not load: %s", err);
		return;
	}
	size_t n, compared = 0;
	const sc_key *k = scenario_keys(&n);
	for (size_t i = 0; i < n; i++) {
		char text[64], msg[128];
		double want;
		snprintf(text, sizeof text, "%s", k[i].deflt[0] == '"' ? k[i].deflt + 1 : k[i].deflt);
		if (text[0] && text[strlen(text) - 1] == '"')
			text[strlen(text) - 1] = 0;
		if (!strcmp(text, "true") || !strcmp(text, "false"))
			want = !strcmp(text, "true");
		else if (units_number(text, &want, msg, sizeof msg) &&
			 units_duration(text, &want, msg, sizeof msg))
			continue; /* "required", "none", "the pool's name", a name */
		if (in(k[i].path, default_elsewhere))
			continue;
		double got = loaded(&sc, k[i].path);
		test_checks++;
		if (isnan(got))
			TEST_FAIL_("%s: default %s has no loaded value to compare with (add it to loaded())",
				   k[i].path, k[i].deflt);
		else if (fabs(got - want) > 1e-9 * fabs(want))
			TEST_FAIL_("%s: the table says %s, a scenario without it holds %.10g", k[i].path,
				   k[i].deflt, got);
		compared++;
	}
	CHECK(compared >= 20);
	scenario_free(&sc);
}

/* The check the loader makes with the table: known members, the top, list indices. */
static void test_lookups(void)
{
	CHECK(scenario_keys_is_group(""));
	CHECK(scenario_keys_is_group("cluster.pools.[]"));
	CHECK(scenario_keys_is_group("cluster.pools.[3].burst"));
	CHECK(!scenario_keys_is_group("policies.[].params")); /* a plugin's own keys */
	CHECK(!scenario_keys_is_group("run.horizon"));
	CHECK(scenario_keys_allows("", "run"));
	CHECK(!scenario_keys_allows("", "horizon"));
	CHECK(!scenario_keys_allows("", "run.horizon")); /* one level at a time */
	CHECK(scenario_keys_allows("cluster.pools.[0]", "nodes"));
	CHECK(!scenario_keys_allows("cluster.pools.[0]", "node"));
	const char *list[65];
	CHECK_INT(scenario_keys_members("workload.classes.[].balking", list, 64), 2);
	CHECK_STR(list[0], "wait_scale");
	CHECK(list[2] == NULL);
	/* no key is listed twice, and every key's group is a group of the table */
	size_t n;
	const sc_key *k = scenario_keys(&n);
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < i; j++)
			if (!strcmp(k[i].path, k[j].path))
				TEST_FAIL_("%s is listed twice", k[i].path);
		char g[256];
		snprintf(g, sizeof g, "%s", k[i].path);
		char *dot = strrchr(g, '.');
		if (dot)
			*dot = 0;
		if (dot && !strcmp(dot + 1, "[]"))
			TEST_FAIL_("%s: a list element is described by its list", k[i].path);
		CHECK(scenario_keys_is_group(dot ? g : ""));
		CHECK(k[i].type[0] && k[i].deflt[0] && k[i].unit[0] && k[i].desc[0]);
	}
}

int main(void)
{
	test_examples_load();
	test_defaults_agree();
	test_lookups();
	return test_report("test_scenario_keys");
}
