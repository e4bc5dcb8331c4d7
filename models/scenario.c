/* scenario.c - loading a scenario: libconfig parses, this file checks every key against
 * the schema the SPEC fixes, resolves units and names, and reports the first problem
 * with its place in the file (or the --set override that caused it). */
#include "scenario.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cfgfile.h"
#include "metrics.h"
#include "names.h"
#include "plugin.h"
#include "trace.h"
#include "units.h"


_Static_assert(SC_POOL_SIZES == TRACE_POOL_SIZES, "a node list's pool sizes must fit a pool_spec");

typedef struct loader {
	scenario *sc;
	char *err;
	size_t errlen;
} loader;

/* The keys each group may hold; a group path with list indices written as [*]. */
typedef struct schema_group {
	const char *path;
	const char *const keys[24];
} schema_group;

static const schema_group schema[] = {
	{"", {"name", "currency", "run", "cluster", "calibration", "workload", "promotions", "policies", "placement", "output",
	      "tenants", NULL}},
	{"run", {"horizon", "warmup", "replications", "seed", "confidence", "precision", NULL}},
	{"run.precision", {"metrics", "relative", "absolute", "max_replications", "scope", NULL}},
	{"cluster", {"pools", "nodes_file", "format", "cost_per_gpu_hour", "price_per_gpu_hour", "minimum_billing", NULL}},
	{"cluster.pools.[*]", {"name", "gpu", "nodes", "gpus_per_node", "cost_per_gpu_hour", "price_per_gpu_hour", "minimum_billing", "burst", NULL}},
	{"cluster.pools.[*].burst", {"max_nodes", "startup", "cost_per_gpu_hour", "threshold", "cooldown", NULL}},
	{"workload", {"arrivals", "classes", NULL}},
	{"workload.arrivals", {"process", "rate", "daily_profile", "file", "format", "on_bad", "speedup", "scale", NULL}},
	{"workload.classes.[*]", {"name", "share", "priority", "gpus", "service", "profile", "steps", "patience", "pools",
				  "estimate", "tenant_mix", "balking", NULL}},
	{"workload.classes.[*].balking", {"wait_scale", "price_elasticity", NULL}},
	{"tenants", {"weights", "quota_gpus", NULL}},
	{"promotions.[*]", {"name", "start", "duration", "discount", "demand", "elasticity", "classes", NULL}},
	{"policies.[*]", {"name", "label", "step", "preempted", "kill_at_estimate", "plugin", "params", NULL}},
	{"placement", {"name", "plugin", "params", NULL}},
	{"output", {"plots", "jobs", "timeseries_step", NULL}},
};

/* Indexed by policy_kind. */
static const char *const policy_names[] = {"fcfs", "priority", "sjf", "aging", "fair-share", "priority-preemptive",
					   "easy-backfill", NULL};
/* Indexed by placement_kind. */
static const char *const placement_names[] = {"first-fit", "best-fit", "fastest", "cheapest", NULL};

/* Writes "FILE:LINE: msg" (or "--set KEY: msg" for an overridden setting) into err. */
static int fail(loader *L, const config_setting_t *s, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* An element of a list that --set replaced carries no hook; its list does. */
	const char *key = NULL;
	for (const config_setting_t *p = s; p && !key; p = config_setting_parent(p))
		key = config_setting_get_hook(p);
	if (key)
		snprintf(L->err, L->errlen, "--set %s: %s", key, msg);
	else if (s && config_setting_source_line(s) > 0)
		snprintf(L->err, L->errlen, "%s:%d: %s",
			 config_setting_source_file(s) ? config_setting_source_file(s) : L->sc->path,
			 config_setting_source_line(s), msg);
	else
		snprintf(L->err, L->errlen, "%s: %s", L->sc->path, msg);
	return 2;
}

/* An error from a file the scenario names (a node list, a trace): "FILE:LINE: what" has
 * its place in that file and stays as it is; any other ("FILE: cannot open: ...") is
 * placed at the setting s that names the file, as for empirical(...) files. Returns 2. */
static int fail_in_file(loader *L, const config_setting_t *s, const char *path, const char *err)
{
	size_t n = strlen(path);
	if (!strncmp(err, path, n) && err[n] == ':' && isdigit((unsigned char)err[n + 1])) {
		snprintf(L->err, L->errlen, "%s", err);
		return 2;
	}
	return fail(L, s, "%s", err);
}

/* The schema path of a setting, with list indices generalised to [*]. */
static void schema_path(const config_setting_t *s, char *buf, size_t len)
{
	const config_setting_t *parent = config_setting_parent(s);
	if (!parent) {
		buf[0] = 0;
		return;
	}
	schema_path(parent, buf, len);
	size_t n = strlen(buf);
	const char *name = config_setting_name(s);
	snprintf(buf + n, len - n, "%s%s", n ? "." : "", name ? name : "[*]");
}

static const schema_group *schema_for(const config_setting_t *group)
{
	char path[256];
	schema_path(group, path, sizeof path);
	for (size_t i = 0; i < sizeof schema / sizeof *schema; i++)
		if (!strcmp(schema[i].path, path))
			return &schema[i];
	return NULL;
}

static int in_list(const char *word, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(word, *list))
			return 1;
	return 0;
}

/* Every key of a group must be one the schema knows. */
static int check_keys(loader *L, const config_setting_t *group)
{
	const schema_group *g = schema_for(group);
	if (!g)
		return 0;
	for (int i = 0; i < config_setting_length(group); i++) {
		const config_setting_t *s = config_setting_get_elem(group, (unsigned)i);
		const char *name = config_setting_name(s);
		if (!name || in_list(name, g->keys))
			continue;
		const char *near = names_suggest(name, g->keys);
		return near ? fail(L, s, "unknown key \"%s\" (did you mean \"%s\"?)", name, near)
			    : fail(L, s, "unknown key \"%s\"", name);
	}
	return 0;
}

/* ---- typed getters: each returns 0, or 2 with the error written ------------------- */

static const config_setting_t *member(const config_setting_t *group, const char *key)
{
	return group ? config_setting_get_member(group, key) : NULL;
}

static int need(loader *L, const config_setting_t *group, const char *key, const config_setting_t **out)
{
	*out = member(group, key);
	if (!*out)
		return fail(L, group, "missing key \"%s\"", key);
	return 0;
}

static int get_string(loader *L, const config_setting_t *s, const char **out)
{
	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return fail(L, s, "\"%s\" must be a string", config_setting_name(s) ? config_setting_name(s) : "value");
	*out = config_setting_get_string(s);
	return 0;
}

static int get_name(loader *L, const config_setting_t *s, char out[SC_NAME_MAX])
{
	const char *v = NULL;
	if (get_string(L, s, &v))
		return 2;
	if (!*v || strlen(v) >= SC_NAME_MAX || strpbrk(v, ",\"\n\r"))
		return fail(L, s, "name \"%s\" must be 1-%d characters without commas or quotes", v, SC_NAME_MAX - 1);
	strcpy(out, v);
	return 0;
}

static int get_number(loader *L, const config_setting_t *s, double *out)
{
	int t = config_setting_type(s);
	if (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64)
		*out = (double)config_setting_get_int64(s);
	else if (t == CONFIG_TYPE_FLOAT)
		*out = config_setting_get_float(s);
	else
		return fail(L, s, "\"%s\" must be a number", config_setting_name(s) ? config_setting_name(s) : "value");
	if (!isfinite(*out))
		return fail(L, s, "\"%s\" must be finite", config_setting_name(s));
	return 0;
}

static int get_int(loader *L, const config_setting_t *s, long long lo, long long hi, long long *out)
{
	int t = config_setting_type(s);
	if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64)
		return fail(L, s, "\"%s\" must be an integer", config_setting_name(s));
	*out = config_setting_get_int64(s);
	if (*out < lo || *out > hi)
		return fail(L, s, "\"%s\" = %lld is outside [%lld, %lld]", config_setting_name(s), *out, lo, hi);
	return 0;
}

static int get_bool(loader *L, const config_setting_t *s, int *out)
{
	if (config_setting_type(s) != CONFIG_TYPE_BOOL)
		return fail(L, s, "\"%s\" must be true or false", config_setting_name(s));
	*out = config_setting_get_bool(s);
	return 0;
}

/* A duration; positive unless zero_ok. */
static int get_duration(loader *L, const config_setting_t *s, int zero_ok, double *out)
{
	const char *text = NULL;
	char msg[256];
	if (get_string(L, s, &text))
		return 2;
	if (units_duration(text, out, msg, sizeof msg))
		return fail(L, s, "%s", msg);
	if (!zero_ok && !(*out > 0))
		return fail(L, s, "\"%s\" must be a positive length of time, got \"%s\"", config_setting_name(s), text);
	return 0;
}

static int get_dist(loader *L, const config_setting_t *s, int timed, dist *out)
{
	const char *text = NULL;
	char msg[512];
	if (get_string(L, s, &text))
		return 2;
	if (dist_parse(out, text, timed, L->sc->dir, msg, sizeof msg))
		return fail(L, s, "%s", msg);
	return 0;
}

/* A name from a fixed list, with a suggestion for a near miss. */
static int get_choice(loader *L, const config_setting_t *s, const char *what, const char *const *names, int *index)
{
	const char *v = NULL;
	if (get_string(L, s, &v))
		return 2;
	for (int i = 0; names[i]; i++)
		if (!strcmp(v, names[i])) {
			*index = i;
			return 0;
		}
	const char *near = names_suggest(v, names);
	return near ? fail(L, s, "unknown %s \"%s\" (did you mean \"%s\"?)", what, v, near)
		    : fail(L, s, "unknown %s \"%s\"", what, v);
}

/* ---- sections -------------------------------------------------------------------- */

static int load_run(loader *L, const config_setting_t *run)
{
	scenario *sc = L->sc;
	const config_setting_t *s;
	long long v;
	if (!run || config_setting_type(run) != CONFIG_TYPE_GROUP)
		return fail(L, run ? run : config_root_setting(&sc->cfg), "missing group \"run\"");
	if (check_keys(L, run) || need(L, run, "horizon", &s) || get_duration(L, s, 0, &sc->horizon))
		return 2;
	sc->warmup = 0;
	sc->warmup_auto = 0;
	if ((s = member(run, "warmup")) && config_setting_type(s) == CONFIG_TYPE_STRING &&
	    !strcmp(config_setting_get_string(s), "auto"))
		sc->warmup_auto = 1; /* chosen by MSER-5 on a pilot run (experiment.c) */
	else if (s && config_setting_type(s) == CONFIG_TYPE_STRING &&
		 names_suggest(config_setting_get_string(s), (const char *const[]){"auto", NULL}))
		return fail(L, s, "warmup must be a length of time or \"auto\", got \"%s\" (did you mean \"auto\"?)",
			    config_setting_get_string(s));
	else if (s && get_duration(L, s, 1, &sc->warmup))
		return 2;
	if (sc->warmup >= sc->horizon)
		return fail(L, s, "warmup (%g s) must be shorter than the horizon (%g s)", sc->warmup, sc->horizon);
	sc->replications = 10;
	if ((s = member(run, "replications"))) {
		if (get_int(L, s, 1, 100000, &v))
			return 2;
		sc->replications = (int)v;
	}
	sc->seed = 1;
	if ((s = member(run, "seed"))) {
		if (get_int(L, s, 0, INT64_MAX, &v))
			return 2;
		sc->seed = (uint64_t)v;
	}
	sc->confidence = 0.95;
	if ((s = member(run, "confidence"))) {
		if (get_number(L, s, &sc->confidence))
			return 2;
		if (!(sc->confidence > 0.5 && sc->confidence < 1))
			return fail(L, s, "confidence must lie in (0.5, 1), got %g", sc->confidence);
	}
	return 0;
}

/* A pool's burst = { max_nodes; startup; cost_per_gpu_hour; threshold; cooldown; }.
 * Defaults: startup 10m, the pool's own cost (no premium), threshold 5m, cooldown 10m. */
static int load_burst(loader *L, const config_setting_t *g, pool_spec *p)
{
	const config_setting_t *s;
	long long v;
	p->burst_max = 0;
	p->burst_startup = 600;
	p->burst_cost_per_gpu_hour = p->cost_per_gpu_hour;
	p->burst_threshold = 300;
	p->burst_cooldown = 600;
	if (!g)
		return 0;
	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return fail(L, g, "burst must be a group { max_nodes = ...; startup = \"10m\"; ... }");
	if (check_keys(L, g) || need(L, g, "max_nodes", &s) || get_int(L, s, 0, 100000, &v))
		return 2;
	p->burst_max = (int)v;
	if ((s = member(g, "startup")) && get_duration(L, s, 0, &p->burst_startup))
		return 2;
	if ((s = member(g, "cost_per_gpu_hour")) && get_number(L, s, &p->burst_cost_per_gpu_hour))
		return 2;
	if (p->burst_cost_per_gpu_hour < 0)
		return fail(L, s, "cost_per_gpu_hour must not be negative");
	if ((s = member(g, "threshold")) && get_duration(L, s, 1, &p->burst_threshold))
		return 2;
	if ((s = member(g, "cooldown")) && get_duration(L, s, 0, &p->burst_cooldown))
		return 2;
	return 0;
}

/* A pool's money: cost and price per GPU-hour, minimum billing; from a pool group, or
 * from the cluster group for pools read from a node list. */
static int load_pool_money(loader *L, const config_setting_t *g, pool_spec *p)
{
	const config_setting_t *s;
	p->cost_per_gpu_hour = p->price_per_gpu_hour = 0;
	if ((s = member(g, "cost_per_gpu_hour")) && get_number(L, s, &p->cost_per_gpu_hour))
		return 2;
	if (p->cost_per_gpu_hour < 0)
		return fail(L, s, "cost_per_gpu_hour must not be negative");
	if ((s = member(g, "price_per_gpu_hour")) && get_number(L, s, &p->price_per_gpu_hour))
		return 2;
	if (p->price_per_gpu_hour < 0)
		return fail(L, s, "price_per_gpu_hour must not be negative");
	p->minimum_billing = 0;
	if ((s = member(g, "minimum_billing")) && get_duration(L, s, 1, &p->minimum_billing))
		return 2;
	return 0;
}

/* A class's balking = { wait_scale; price_elasticity; }: wait_scale is required (the
 * posted wait at which 63% of arrivals leave at the list price), the elasticity
 * defaults to 0 (the price does not matter). */
static int load_balking(loader *L, const config_setting_t *g, class_spec *c)
{
	const config_setting_t *s;
	c->has_balking = 0;
	if (!g)
		return 0;
	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return fail(L, g, "balking must be a group { wait_scale = \"30m\"; price_elasticity = 1.0; }");
	if (check_keys(L, g) || need(L, g, "wait_scale", &s) || get_duration(L, s, 0, &c->balk_wait_scale))
		return 2;
	c->balk_price_elasticity = 0;
	if ((s = member(g, "price_elasticity"))) {
		if (get_number(L, s, &c->balk_price_elasticity))
			return 2;
		if (c->balk_price_elasticity < 0 || c->balk_price_elasticity > 100)
			return fail(L, s, "price_elasticity must lie in [0, 100], got %g", c->balk_price_elasticity);
	}
	c->has_balking = 1;
	L->sc->has_balking = 1;
	return 0;
}

static int load_pool(loader *L, const config_setting_t *g, pool_spec *p)
{
	const config_setting_t *s;
	long long v;
	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return fail(L, g, "a pool must be a group { name = ...; nodes = ...; ... }");
	if (check_keys(L, g) || need(L, g, "name", &s) || get_name(L, s, p->name))
		return 2;
	strcpy(p->gpu, p->name);
	if ((s = member(g, "gpu")) && get_name(L, s, p->gpu))
		return 2;
	/* Counts are capped so that GPU totals in thousandths fit comfortably in 32 bits. */
	if (need(L, g, "nodes", &s) || get_int(L, s, 1, 100000, &v))
		return 2;
	p->nodes = (int)v;
	if (need(L, g, "gpus_per_node", &s) || get_int(L, s, 1, 64, &v))
		return 2;
	p->gpus_per_node = (int)v;
	if (load_pool_money(L, g, p))
		return 2;
	return load_burst(L, member(g, "burst"), p); /* after the money: its cost defaults to the pool's */
}

/* Loads a node list (cluster.nodes_file): one pool per GPU model, named after it, with
 * the nodes' own sizes and the cluster group's cost, price and minimum billing. A bad
 * row is reported at its FILE:LINE in the node list. */
static int load_nodes_file(loader *L, const config_setting_t *cluster, const config_setting_t *file)
{
	scenario *sc = L->sc;
	const config_setting_t *s;
	const char *text = NULL;
	int fmt = 0;
	static const char *const formats[] = {"alibaba", NULL};
	if ((s = member(cluster, "pools")))
		return fail(L, s, "give either \"pools\" or \"nodes_file\", not both");
	if (get_string(L, file, &text))
		return 2;
	if ((s = member(cluster, "format")) && get_choice(L, s, "node list format", formats, &fmt))
		return 2;
	if (text[0] == '/')
		snprintf(sc->nodes_path, sizeof sc->nodes_path, "%s", text);
	else
		snprintf(sc->nodes_path, sizeof sc->nodes_path, "%.2000s/%.2000s", sc->dir, text);
	pool_spec money;
	memset(&money, 0, sizeof money);
	if (load_pool_money(L, cluster, &money))
		return 2;
	trace_pool tp[SC_MAX_POOLS];
	trace_node_stats st;
	int n = 0;
	char err[1024];
	if (trace_read_nodes(sc->nodes_path, tp, SC_MAX_POOLS, &n, &st, err, sizeof err))
		return fail_in_file(L, file, sc->nodes_path, err);
	sc->nodes_rows = st.rows;
	sc->nodes_cpu_only = st.cpu_only;
	sc->npools = n;
	for (int i = 0; i < n; i++) {
		pool_spec *p = &sc->pools[i];
		*p = money;
		snprintf(p->name, sizeof p->name, "%s", tp[i].model);
		snprintf(p->gpu, sizeof p->gpu, "%s", tp[i].model);
		if (tp[i].nodes > 100000)
			return fail(L, file, "model \"%s\" has %d nodes in %s; a pool holds at most 100000", tp[i].model,
				    tp[i].nodes, sc->nodes_path);
		p->nodes = tp[i].nodes;
		p->gpus_per_node = tp[i].size[0].gpus;
		p->nsizes = tp[i].nsizes > 1 ? tp[i].nsizes : 0; /* one size: a plain uniform pool */
		for (int k = 0; k < tp[i].nsizes; k++) {
			p->size[k].gpus = tp[i].size[k].gpus;
			p->size[k].nodes = tp[i].size[k].nodes;
		}
	}
	return 0;
}

static int load_cluster(loader *L, const config_setting_t *cluster)
{
	scenario *sc = L->sc;
	const config_setting_t *pools, *s;
	if (!cluster || config_setting_type(cluster) != CONFIG_TYPE_GROUP)
		return fail(L, cluster ? cluster : config_root_setting(&sc->cfg), "missing group \"cluster\"");
	if (check_keys(L, cluster))
		return 2;
	if ((s = member(cluster, "nodes_file")))
		return load_nodes_file(L, cluster, s);
	/* Cluster-wide keys belong to a node list; each listed pool has its own. */
	if ((s = member(cluster, "format")) || (s = member(cluster, "cost_per_gpu_hour")) ||
	    (s = member(cluster, "price_per_gpu_hour")) || (s = member(cluster, "minimum_billing")))
		return fail(L, s, "\"%s\" goes with \"nodes_file\"; a pool listed under \"pools\" has its own",
			    config_setting_name(s));
	if (need(L, cluster, "pools", &pools))
		return 2;
	if (!config_setting_is_list(pools) || config_setting_length(pools) < 1)
		return fail(L, pools, "pools must be a non-empty list ( {...}, {...} )");
	if (config_setting_length(pools) > SC_MAX_POOLS)
		return fail(L, pools, "at most %d pools", SC_MAX_POOLS);
	sc->npools = config_setting_length(pools);
	for (int i = 0; i < sc->npools; i++) {
		const config_setting_t *g = config_setting_get_elem(pools, (unsigned)i);
		if (load_pool(L, g, &sc->pools[i]))
			return 2;
		sc->has_burst |= sc->pools[i].burst_max > 0;
		for (int j = 0; j < i; j++)
			if (!strcmp(sc->pools[i].name, sc->pools[j].name))
				return fail(L, g, "pool \"%s\" is defined twice", sc->pools[i].name);
	}
	return 0;
}

static int find_pool(const scenario *sc, const char *name)
{
	for (int i = 0; i < sc->npools; i++)
		if (!strcmp(sc->pools[i].name, name))
			return i;
	return -1;
}

static int load_class_pools(loader *L, const config_setting_t *g, class_spec *c)
{
	scenario *sc = L->sc;
	const config_setting_t *list = member(g, "pools");
	c->npools = 0;
	if (!list) {
		for (int i = 0; i < sc->npools; i++)
			c->pools[c->npools++] = i;
		return 0;
	}
	if (!config_setting_is_aggregate(list) || config_setting_length(list) < 1)
		return fail(L, list, "pools must be a non-empty list of pool names, e.g. [ \"h100\" ]");
	for (int i = 0; i < config_setting_length(list) && i < SC_MAX_POOLS; i++) {
		const config_setting_t *s = config_setting_get_elem(list, (unsigned)i);
		const char *name = NULL;
		if (get_string(L, s, &name))
			return 2;
		int p = find_pool(sc, name);
		if (p < 0) {
			const char *names[SC_MAX_POOLS + 1];
			for (int j = 0; j < sc->npools; j++)
				names[j] = sc->pools[j].name;
			names[sc->npools] = NULL;
			const char *near = names_suggest(name, names);
			return near ? fail(L, s, "class \"%s\" names unknown pool \"%s\" (did you mean \"%s\"?)", c->name, name, near)
				    : fail(L, s, "class \"%s\" names unknown pool \"%s\"", c->name, name);
		}
		c->pools[c->npools++] = p;
	}
	return 0;
}

/* Can some pool class c may use run a job of this many GPUs: a fraction of one, a
 * whole number up to a node, or whole nodes at once? */
static int gpus_fit(const scenario *sc, const class_spec *c, double gpus)
{
	int fits = gpus < 1;
	for (int i = 0; i < c->npools; i++) {
		const pool_spec *p = &sc->pools[c->pools[i]];
		fits |= gpus <= p->gpus_per_node || (fmod(gpus, p->gpus_per_node) == 0 &&
						     gpus / p->gpus_per_node <= scenario_pool_full_nodes(sc, c->pools[i]));
	}
	return fits;
}

static int load_gpus(loader *L, const config_setting_t *g, class_spec *c)
{
	const config_setting_t *s = member(g, "gpus");
	double gpus = 1;
	if (s && get_number(L, s, &gpus))
		return 2;
	if (!(gpus > 0))
		return fail(L, s, "gpus must be positive, got %g", gpus);
	double milli = gpus * SC_MILLI;
	if (gpus < 1 ? fabs(milli - round(milli)) > 1e-6 : gpus != floor(gpus))
		return fail(L, s, "gpus must be a whole number, or a fraction of one GPU in thousandths (0.25, 0.5), got %g", gpus);
	/* Under a millionth of a thousandth passed the test above and made a job of 0 GPUs
	 * (gpus = 1e-25, found by tests/fuzz/fuzz_override). */
	if (milli < 0.5)
		return fail(L, s, "gpus must be at least 0.001 (a thousandth of a GPU), got %g", gpus);
	/* A job's GPUs are an int of thousandths: a gang of 100000 nodes x 64 GPUs would not
	 * fit (tests/fuzz/corpus/override/edge-gang-gpus-overflow-int). */
	if (milli > INT_MAX)
		return fail(L, s, "class \"%s\" asks for %g GPUs; a job may ask for at most %d", c->name, gpus, INT_MAX / SC_MILLI);
	/* It must fit some pool it may use: within a node, or as whole nodes (a gang). */
	int largest = 0;
	for (int i = 0; i < c->npools; i++)
		largest = L->sc->pools[c->pools[i]].gpus_per_node > largest ? L->sc->pools[c->pools[i]].gpus_per_node : largest;
	if (!gpus_fit(L->sc, c, gpus))
		return fail(L, s,
			    "class \"%s\" asks for %g GPUs: more than any node it may use has (%d) and not a whole "
			    "number of nodes any of its pools can give at once",
			    c->name, gpus, largest);
	c->gpus_milli = (int)lround(milli);
	return 0;
}

/* "zipf(N, s)": N tenants, tenant i submitting with probability proportional to i^-s. */
static int get_tenant_mix(loader *L, const config_setting_t *s, class_spec *c)
{
	const char *text = NULL;
	if (get_string(L, s, &text))
		return 2;
	int n, used = 0;
	double e;
	if (sscanf(text, " zipf ( %d , %lf ) %n", &n, &e, &used) != 2 || text[used] || !isfinite(e))
		return fail(L, s, "tenant_mix must look like \"zipf(200, 1.1)\" (tenants, exponent), got \"%s\"", text);
	if (n < 1 || n > 100000 || e < 0 || e > 10)
		return fail(L, s, "tenant_mix needs 1-100000 tenants and an exponent in [0, 10], got \"%s\"", text);
	c->ntenants = n;
	c->zipf_s = e;
	return 0;
}

/* 1 when path names a file that can be read (a folder would make libconfig's scanner
 * exit the process, see scenario_load). */
static int readable_file(const char *path)
{
	struct stat st;
	return access(path, R_OK) == 0 && stat(path, &st) == 0 && !S_ISDIR(st.st_mode);
}

/* The profile names (file names without ".cfg") in the folders service_profile_find
 * searches, for a "did you mean". Returns how many it put in names (at most max). */
static int profile_names(const char *base_dir, char names[][CALIB_NAME_MAX], int max)
{
	char dirs[3][4096];
	int nd = 0, n = 0;
	const char *env = getenv("FGSIM_PROFILES");
	if (env && *env)
		snprintf(dirs[nd++], sizeof dirs[0], "%s", env);
	snprintf(dirs[nd++], sizeof dirs[0], "%.4000s/../models/profiles", base_dir && *base_dir ? base_dir : ".");
	snprintf(dirs[nd++], sizeof dirs[0], "models/profiles");
	for (int i = 0; i < nd; i++) {
		DIR *d = opendir(dirs[i]);
		for (struct dirent *e; d && (e = readdir(d)) && n < max;) {
			size_t len = strlen(e->d_name);
			if (len > 4 && len - 4 < CALIB_NAME_MAX && !strcmp(e->d_name + len - 4, ".cfg"))
				snprintf(names[n++], CALIB_NAME_MAX, "%.*s", (int)(len - 4), e->d_name);
		}
		if (d)
			closedir(d);
	}
	return n;
}

/* `profile` + `steps`: the profile found, loaded and priced on every calibration table,
 * each pool the class may use mapped to its GPU type, which must have a table and
 * enough memory for the job. */
static int load_class_profile(loader *L, const config_setting_t *g, class_spec *c)
{
	scenario *sc = L->sc;
	const config_setting_t *s, *prof = member(g, "profile"), *steps = member(g, "steps");
	const char *name = NULL;
	char path[4096], msg[1024];
	if ((s = member(g, "service")))
		return fail(L, s, "class \"%s\": give either \"service\" or \"profile\" + \"steps\", not both", c->name);
	if (!prof)
		return fail(L, steps, "class \"%s\": \"steps\" needs a \"profile\" (the kernel mix of one step)", c->name);
	if (!steps)
		return fail(L, prof, "class \"%s\": a profile needs \"steps\", the steps a job runs (e.g. \"lognormal(20000, 1.0)\")",
			    c->name);
	if (get_string(L, prof, &name) || get_dist(L, steps, 0, &c->steps))
		return 2;
	if (!(c->steps.mean > 0) || (c->steps.kind == DIST_UNIFORM && c->steps.p1 < 0))
		return fail(L, steps, "steps must have a positive mean and no negative values");
	c->has_steps = 1;
	if (service_profile_find(path, sizeof path, name, sc->dir) || !readable_file(path)) {
		char names[64][CALIB_NAME_MAX];
		const char *list[65];
		int n = profile_names(sc->dir, names, 64);
		for (int i = 0; i < n; i++)
			list[i] = names[i];
		list[n] = NULL;
		const char *near = names_suggest(name, list);
		if (access(path, R_OK) == 0) /* found, but a folder */
			snprintf(path, sizeof path, "profile \"%s\" is a folder, not a profile file", name);
		return near ? fail(L, prof, "%s (did you mean \"%s\"?)", path, near) : fail(L, prof, "%s", path);
	}
	if (sc->ncalib == 0)
		return fail(L, prof,
			    "class \"%s\": profile \"%s\" is priced from calibration files and the scenario lists none "
			    "(calibration = [ \"models/calibration/h100-sxm.cfg\", ... ])",
			    c->name, name);
	service_profile p;
	if (service_profile_load(&p, path, msg, sizeof msg)) /* its own FILE:LINE, after ours */
		return fail(L, prof, "%s", msg);
	const calib_table *tables[SC_MAX_POOLS];
	for (int i = 0; i < sc->ncalib; i++)
		tables[i] = &sc->calib[i];
	int rc = service_init(&c->svc, &p, tables, sc->ncalib, msg, sizeof msg);
	service_profile_free(&p);
	if (rc)
		return fail(L, prof, "%s", msg);
	for (int q = 0; q < sc->npools; q++)
		c->pool_gpu[q] = service_gpu_index(&c->svc, sc->pools[q].gpu);
	for (int i = 0; i < c->npools; i++) {
		const pool_spec *pool = &sc->pools[c->pools[i]];
		int gpu = c->pool_gpu[c->pools[i]];
		double gpus = (double)c->gpus_milli / SC_MILLI;
		if (gpu < 0)
			return fail(L, prof,
				    "class \"%s\": pool \"%s\" (gpu \"%s\") has no calibration file: list one whose gpu is "
				    "\"%s\" under calibration = [ ... ]",
				    c->name, pool->name, pool->gpu, pool->gpu);
		if (!service_fits(&c->svc, gpu, gpus)) {
			const calib_table *t = c->svc.gpu[gpu].table;
			double mem = t->peaks.memory_gb > 0 ? t->peaks.memory_gb : t->memory_bytes / 1e9;
			return fail(L, prof,
				    "class \"%s\": profile \"%s\" needs at least %d GPUs and %.4g GB of GPU memory; "
				    "%g GPUs of pool \"%s\" (%s, %.4g GB each) are not enough",
				    c->name, name, c->svc.profile.min_gpus, c->svc.profile.memory_gb, gpus, pool->name,
				    pool->gpu, mem);
		}
	}
	return 0;
}

static int load_class(loader *L, const config_setting_t *g, class_spec *c)
{
	const config_setting_t *s;
	long long v;
	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return fail(L, g, "a class must be a group { name = ...; share = ...; ... }");
	if (check_keys(L, g) || need(L, g, "name", &s) || get_name(L, s, c->name))
		return 2;
	c->share = 1;
	if ((s = member(g, "share")) && get_number(L, s, &c->share))
		return 2;
	if (!(c->share > 0 && c->share <= 1))
		return fail(L, s ? s : g, "share must lie in (0, 1], got %g", c->share);
	c->priority = 0;
	if ((s = member(g, "priority"))) {
		if (get_int(L, s, 0, 1000, &v))
			return 2;
		c->priority = (int)v;
	}
	if (load_class_pools(L, g, c) || load_gpus(L, g, c))
		return 2;
	if (L->sc->trace) { /* sizes and durations come from the trace, job by job */
		if ((s = member(g, "service")) || (s = member(g, "profile")) || (s = member(g, "steps")))
			return fail(L, s, "a replayed trace gives each job its duration: no \"%s\" here", config_setting_name(s));
	} else if (member(g, "profile") || member(g, "steps")) {
		if (load_class_profile(L, g, c))
			return 2;
	} else {
		if (!(s = member(g, "service")))
			return fail(L, g, "missing key \"service\" (or \"profile\" + \"steps\")");
		if (get_dist(L, s, 1, &c->service))
			return 2;
		if (!(c->service.mean > 0))
			return fail(L, s, "service time must have a positive mean");
	}
	if ((s = member(g, "estimate"))) {
		if (get_dist(L, s, 0, &c->estimate))
			return 2;
		if (!(c->estimate.mean > 0))
			return fail(L, s, "estimate is a factor on the true runtime and must have a positive mean");
	} else {
		char msg[64];
		dist_parse(&c->estimate, "constant(1)", 0, NULL, msg, sizeof msg); /* exact estimates */
	}
	c->ntenants = 1;
	c->zipf_s = 0;
	if ((s = member(g, "tenant_mix")) && get_tenant_mix(L, s, c))
		return 2;
	c->has_patience = 0;
	if ((s = member(g, "patience"))) {
		if (get_dist(L, s, 1, &c->patience))
			return 2;
		c->has_patience = 1;
	}
	return load_balking(L, member(g, "balking"), c);
}

static int load_profile(loader *L, const config_setting_t *s)
{
	scenario *sc = L->sc;
	if (!config_setting_is_aggregate(s) || config_setting_length(s) != 24)
		return fail(L, s, "daily_profile must list 24 hourly rate factors, got %d", config_setting_length(s));
	double sum = 0;
	for (int h = 0; h < 24; h++) {
		if (get_number(L, config_setting_get_elem(s, (unsigned)h), &sc->daily_profile[h]))
			return 2;
		if (sc->daily_profile[h] < 0)
			return fail(L, s, "daily_profile hour %d is negative", h);
		sum += sc->daily_profile[h];
	}
	if (!(sum > 0))
		return fail(L, s, "daily_profile is all zero: no job would ever arrive");
	sc->has_profile = 1;
	return 0;
}

/* Tenant numbering: zipf tenants first (shared by name), then one per other class. */
static void number_tenants(scenario *sc)
{
	sc->zipf_tenants = 0;
	for (int i = 0; i < sc->nclasses; i++)
		if (sc->classes[i].zipf_s > 0 || sc->classes[i].ntenants > 1)
			sc->zipf_tenants = sc->classes[i].ntenants > sc->zipf_tenants ? sc->classes[i].ntenants : sc->zipf_tenants;
	sc->ntenants = sc->zipf_tenants;
	for (int i = 0; i < sc->nclasses; i++) {
		class_spec *c = &sc->classes[i];
		if (c->zipf_s > 0 || c->ntenants > 1)
			c->tenant_base = 0;
		else
			c->tenant_base = sc->ntenants++;
	}
}

static int class_named(const scenario *sc, const char *name)
{
	for (int i = 0; i < sc->nclasses; i++)
		if (!strcmp(sc->classes[i].name, name))
			return i;
	return -1;
}

/* A class the trace names and the scenario does not list: every pool, priority 0. */
static int add_trace_class(scenario *sc, const char *name)
{
	if (sc->nclasses == SC_MAX_CLASSES || !*name || strlen(name) >= SC_NAME_MAX)
		return -1;
	class_spec *c = &sc->classes[sc->nclasses];
	memset(c, 0, sizeof *c);
	strcpy(c->name, name);
	c->npools = sc->npools;
	for (int q = 0; q < sc->npools; q++)
		c->pools[q] = q;
	c->gpus_milli = SC_MILLI;
	c->ntenants = 1;
	char msg[64];
	dist_parse(&c->estimate, "constant(1)", 0, NULL, msg, sizeof msg);
	return sc->nclasses++;
}

/* Reads the whole trace once at load, streaming: every row is checked now (so `check`
 * finds a bad one), classes are matched or created, and each class's share and mean
 * duration are set for the load estimates. Rows at or after the horizon end it. */
static int scan_trace(loader *L, const config_setting_t *file, int classes_given)
{
	scenario *sc = L->sc;
	char err[1024];
	long count[SC_MAX_CLASSES] = {0}, total = 0;
	double dur[SC_MAX_CLASSES] = {0}, gpu_seconds[SC_MAX_CLASSES] = {0};
	trace *t = trace_open(sc->trace_path, (trace_format)sc->trace_format, sc->trace_skip_bad, err, sizeof err);
	if (!t)
		return fail_in_file(L, file, sc->trace_path, err);
	trace_job job;
	int rc;
	sc->trace_late = 0;
	while ((rc = trace_next(t, &job, err, sizeof err)) == 1) {
		if (job.submit / sc->speedup >= sc->horizon) {
			sc->trace_late++;
			continue;
		}
		int k = class_named(sc, job.class_name);
		if (k < 0 && (classes_given || (k = add_trace_class(sc, job.class_name)) < 0)) {
			snprintf(L->err, L->errlen, "%s:%ld: class \"%s\" is not one of the scenario's classes%s", sc->trace_path,
				 job.line, job.class_name, classes_given ? "" : " (more than 32 classes?)");
			trace_close(t);
			return 2;
		}
		if (!gpus_fit(sc, &sc->classes[k], job.gpus)) {
			snprintf(L->err, L->errlen, "%s:%ld: a job of %g GPUs, more than class \"%s\"'s pools can run", sc->trace_path,
				 job.line, job.gpus, job.class_name);
			trace_close(t);
			return 2;
		}
		count[k]++;
		dur[k] += job.duration;
		gpu_seconds[k] += job.gpus * job.duration;
		total++;
	}
	trace_stats st = trace_counts(t);
	snprintf(sc->trace_first_bad, sizeof sc->trace_first_bad, "%s", trace_first_rejection(t));
	trace_close(t);
	if (rc < 0)
		return fail_in_file(L, file, sc->trace_path, err);
	sc->trace_rows = st.rows;
	sc->trace_jobs = total;
	sc->trace_skipped = st.skipped;
	sc->trace_rejected = st.rejected;
	if (total == 0)
		return fail(L, file, "%s: no job to replay before the horizon (%ld rows)", sc->trace_path, st.rows);
	sc->rate = (double)total * sc->scale / sc->horizon; /* scale: the expected jobs per row */
	for (int k = 0; k < sc->nclasses; k++) {
		char text[64];
		snprintf(text, sizeof text, "constant(%.17g)", count[k] ? dur[k] / count[k] : 0.0);
		dist_free(&sc->classes[k].service);
		dist_parse(&sc->classes[k].service, text, 0, NULL, err, sizeof err);
		sc->classes[k].share = (double)count[k] / total;
		/* GPUs weighted by duration, so that rate x mean duration x trace_gpus is the
		 * class's GPU-seconds per second even where big jobs run longer */
		sc->classes[k].trace_gpus = dur[k] > 0 ? gpu_seconds[k] / dur[k] : 0;
	}
	return 0;
}

/* arrivals.process = "trace": the file, its format, what to do with bad rows, a time
 * compression; classes are optional and only give priorities, pools and patience. */
static int load_trace_workload(loader *L, const config_setting_t *w, const config_setting_t *arr)
{
	scenario *sc = L->sc;
	const config_setting_t *s, *classes, *file;
	const char *text = NULL;
	if ((s = member(arr, "rate")) || (s = member(arr, "daily_profile")))
		return fail(L, s, "a replayed trace brings its own arrival times: no \"%s\" here", config_setting_name(s));
	if (need(L, arr, "file", &file) || get_string(L, file, &text))
		return 2;
	if (text[0] == '/')
		snprintf(sc->trace_path, sizeof sc->trace_path, "%s", text);
	else
		snprintf(sc->trace_path, sizeof sc->trace_path, "%.2000s/%.2000s", sc->dir, text);
	static const char *const formats[] = {"fgsim", "alibaba", NULL}, *const bad[] = {"stop", "skip", NULL};
	sc->trace_format = TRACE_FGSIM;
	if ((s = member(arr, "format")) && get_choice(L, s, "trace format", formats, &sc->trace_format))
		return 2;
	sc->trace_format = sc->trace_format == 0 ? TRACE_FGSIM : TRACE_ALIBABA;
	sc->trace_skip_bad = 0;
	if ((s = member(arr, "on_bad")) && get_choice(L, s, "on_bad", bad, &sc->trace_skip_bad))
		return 2;
	sc->speedup = 1;
	if ((s = member(arr, "speedup"))) {
		if (get_number(L, s, &sc->speedup))
			return 2;
		if (!(sc->speedup > 0) || sc->speedup > 1e6)
			return fail(L, s, "speedup must lie in (0, 1e6], got %g", sc->speedup);
	}
	sc->scale = 1;
	if ((s = member(arr, "scale"))) {
		if (get_number(L, s, &sc->scale))
			return 2;
		if (!(sc->scale > 0) || sc->scale > 1000)
			return fail(L, s, "scale must lie in (0, 1000], got %g", sc->scale);
	}
	sc->nclasses = 0;
	if ((classes = member(w, "classes"))) {
		if (!config_setting_is_list(classes) || config_setting_length(classes) > SC_MAX_CLASSES)
			return fail(L, classes, "classes must be a list of at most %d groups", SC_MAX_CLASSES);
		for (int i = 0; i < config_setting_length(classes); i++) {
			const config_setting_t *g = config_setting_get_elem(classes, (unsigned)i);
			sc->nclasses = i + 1;
			if (load_class(L, g, &sc->classes[i]))
				return 2;
			if (class_named(sc, sc->classes[i].name) != i)
				return fail(L, g, "class \"%s\" is defined twice", sc->classes[i].name);
		}
	}
	if (scan_trace(L, file, classes != NULL))
		return 2;
	number_tenants(sc);
	return 0;
}

static int load_workload(loader *L, const config_setting_t *w)
{
	scenario *sc = L->sc;
	const config_setting_t *arr, *classes, *s;
	const char *text = NULL;
	char msg[256];
	if (!w || config_setting_type(w) != CONFIG_TYPE_GROUP)
		return fail(L, w ? w : config_root_setting(&sc->cfg), "missing group \"workload\"");
	if (check_keys(L, w) || need(L, w, "arrivals", &arr) || check_keys(L, arr))
		return 2;
	sc->trace = 0;
	if ((s = member(arr, "process"))) {
		static const char *const processes[] = {"poisson", "trace", NULL};
		if (get_choice(L, s, "arrival process", processes, &sc->trace))
			return 2;
	}
	if (sc->trace)
		return load_trace_workload(L, w, arr);
	static const char *const trace_only[] = {"file", "format", "on_bad", "speedup", "scale", NULL};
	for (int i = 0; trace_only[i]; i++)
		if ((s = member(arr, trace_only[i])))
			return fail(L, s, "\"%s\" applies to a replayed trace (process = \"trace\"); a Poisson process has "
				    "its rate", trace_only[i]);
	if (need(L, arr, "rate", &s) || get_string(L, s, &text))
		return 2;
	if (units_rate(text, &sc->rate, msg, sizeof msg))
		return fail(L, s, "%s", msg);
	if (!(sc->rate > 0))
		return fail(L, s, "rate must be positive");
	sc->has_profile = 0;
	if ((s = member(arr, "daily_profile")) && load_profile(L, s))
		return 2;

	if (need(L, w, "classes", &classes))
		return 2;
	if (!config_setting_is_list(classes) || config_setting_length(classes) < 1)
		return fail(L, classes, "classes must be a non-empty list ( {...}, {...} )");
	if (config_setting_length(classes) > SC_MAX_CLASSES)
		return fail(L, classes, "at most %d classes", SC_MAX_CLASSES);
	double total = 0;
	int n = config_setting_length(classes);
	for (int i = 0; i < n; i++) {
		const config_setting_t *g = config_setting_get_elem(classes, (unsigned)i);
		sc->nclasses = i + 1; /* so scenario_free releases what this class parsed */
		if (load_class(L, g, &sc->classes[i]))
			return 2;
		for (int j = 0; j < i; j++)
			if (!strcmp(sc->classes[i].name, sc->classes[j].name))
				return fail(L, g, "class \"%s\" is defined twice", sc->classes[i].name);
		total += sc->classes[i].share;
	}
	number_tenants(sc);
	if (fabs(total - 1) > 1e-9)
		return fail(L, classes, "class shares must sum to 1, they sum to %.10g", total);
	return 0;
}

static int find_class(const scenario *sc, const char *name)
{
	for (int i = 0; i < sc->nclasses; i++)
		if (!strcmp(sc->classes[i].name, name))
			return i;
	return -1;
}

static int load_promo(loader *L, const config_setting_t *g, promo_spec *p)
{
	scenario *sc = L->sc;
	const config_setting_t *s, *el;
	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return fail(L, g, "a promotion must be a group { name = ...; start = ...; ... }");
	if (check_keys(L, g) || need(L, g, "name", &s) || get_name(L, s, p->name))
		return 2;
	if (need(L, g, "start", &s) || get_duration(L, s, 1, &p->start))
		return 2;
	if (need(L, g, "duration", &s) || get_duration(L, s, 0, &p->duration))
		return 2;
	if (p->start + p->duration > sc->horizon)
		return fail(L, g, "promotion \"%s\" ends after the horizon (%g s > %g s)", p->name, p->start + p->duration, sc->horizon);
	p->discount = 0;
	if ((s = member(g, "discount")) && get_number(L, s, &p->discount))
		return 2;
	if (!(p->discount >= 0 && p->discount < 1))
		return fail(L, s, "discount must lie in [0, 1), got %g", p->discount);
	s = member(g, "demand");
	el = member(g, "elasticity");
	if (s && el)
		return fail(L, el, "give either demand or elasticity, not both");
	p->demand = 1;
	if (s && get_number(L, s, &p->demand))
		return 2;
	if (el) {
		double e;
		if (get_number(L, el, &e))
			return 2;
		if (e < 0)
			return fail(L, el, "elasticity must not be negative");
		/* constant elasticity: demand scales as price^-e (price factor 1 - discount) */
		p->demand = pow(1 - p->discount, -e);
	}
	if (!(p->demand > 0) || p->demand > 1000)
		return fail(L, s ? s : el, "demand multiplier must lie in (0, 1000], got %g", p->demand);
	p->classes = 0;
	if (!(s = member(g, "classes"))) {
		p->classes = sc->nclasses >= 32 ? 0xffffffffu : (1u << sc->nclasses) - 1;
		return 0;
	}
	if (!config_setting_is_aggregate(s) || config_setting_length(s) < 1)
		return fail(L, s, "classes must be a non-empty list of class names");
	for (int i = 0; i < config_setting_length(s); i++) {
		const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
		const char *name = NULL;
		if (get_string(L, e, &name))
			return 2;
		int k = find_class(sc, name);
		if (k < 0) {
			const char *names[SC_MAX_CLASSES + 1];
			for (int j = 0; j < sc->nclasses; j++)
				names[j] = sc->classes[j].name;
			names[sc->nclasses] = NULL;
			const char *near = names_suggest(name, names);
			return near ? fail(L, e, "promotion \"%s\" names unknown class \"%s\" (did you mean \"%s\"?)", p->name, name, near)
				    : fail(L, e, "promotion \"%s\" names unknown class \"%s\"", p->name, name);
		}
		p->classes |= 1u << k;
	}
	return 0;
}

static int load_promotions(loader *L, const config_setting_t *list)
{
	scenario *sc = L->sc;
	sc->npromos = 0;
	if (!list)
		return 0;
	if (!config_setting_is_list(list))
		return fail(L, list, "promotions must be a list ( {...}, {...} )");
	if (config_setting_length(list) > SC_MAX_PROMOS)
		return fail(L, list, "at most %d promotions", SC_MAX_PROMOS);
	for (int i = 0; i < config_setting_length(list); i++) {
		const config_setting_t *g = config_setting_get_elem(list, (unsigned)i);
		promo_spec *p = &sc->promos[i];
		if (load_promo(L, g, p))
			return 2;
		for (int j = 0; j < i; j++) {
			const promo_spec *q = &sc->promos[j];
			if (!strcmp(p->name, q->name))
				return fail(L, g, "promotion \"%s\" is defined twice", p->name);
			if (p->start < q->start + q->duration && q->start < p->start + p->duration)
				return fail(L, g, "promotion \"%s\" overlaps \"%s\"", p->name, q->name);
		}
		sc->npromos++;
	}
	return 0;
}

/* `params = { key = value; ... }` of a plugin: scalars only, in file order. */
static int load_params(loader *L, const config_setting_t *g, fgp_param *out, int *n)
{
	*n = 0;
	if (!g)
		return 0;
	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return fail(L, g, "params must be a group { key = value; ... }");
	if (config_setting_length(g) > SC_MAX_PARAMS)
		return fail(L, g, "at most %d params", SC_MAX_PARAMS);
	for (int i = 0; i < config_setting_length(g); i++) {
		const config_setting_t *e = config_setting_get_elem(g, (unsigned)i);
		fgp_param *p = &out[(*n)++];
		memset(p, 0, sizeof *p);
		p->key = config_setting_name(e);
		switch (config_setting_type(e)) {
		case CONFIG_TYPE_INT:
		case CONFIG_TYPE_INT64:
			p->type = FGP_INT;
			p->i = config_setting_get_int64(e);
			p->f = (double)p->i;
			break;
		case CONFIG_TYPE_FLOAT:
			p->type = FGP_FLOAT;
			p->f = config_setting_get_float(e);
			break;
		case CONFIG_TYPE_BOOL:
			p->type = FGP_BOOL;
			p->i = config_setting_get_bool(e);
			p->f = (double)p->i;
			break;
		case CONFIG_TYPE_STRING:
			p->type = FGP_STRING;
			p->s = config_setting_get_string(e);
			break;
		default:
			return fail(L, e, "param \"%s\" must be a number, true/false or a string", p->key);
		}
	}
	return 0;
}

/* The plugin named by group g's `plugin` key (a path from the scenario's folder, or
 * absolute): opened, its table found and its ABI checked, its `params` read and shown
 * to its own init, which may refuse them. Returns 0 or 2 (message at g's place). */
static int load_plugin(loader *L, const config_setting_t *g, const char *symbol, char *shown, void **dl,
		       const void **table, fgp_param *params, int *nparams, const policy_spec *spec)
{
	const config_setting_t *s = member(g, "plugin");
	const char *text = NULL;
	char path[8192], msg[1024];
	if (get_string(L, s, &text) || load_params(L, member(g, "params"), params, nparams))
		return 2;
	if (!text[0] || strlen(text) >= SC_PLUGIN_PATH)
		return fail(L, s, "plugin must be a path of 1-%d characters", SC_PLUGIN_PATH - 1);
	snprintf(shown, SC_PLUGIN_PATH, "%s", text);
	if (text[0] == '/')
		snprintf(path, sizeof path, "%s", text);
	else
		snprintf(path, sizeof path, "%.4000s/%.4000s", L->sc->dir, text);
	if (plugin_open(path, symbol, dl, table, msg, sizeof msg))
		return fail(L, s, "%s", msg);
	/* Every call fgsim makes must be there; a policy needs head or schedule. */
	int complete;
	if (spec) {
		const fgp_policy *o = *table;
		complete = o->init && o->free && o->push && o->remove && (o->head || o->schedule) &&
			   (!(o->flags & FGP_EVICT_FOR_HEAD) || o->requeue);
	} else {
		const fgp_placement *o = *table;
		complete = o->init && o->free && o->place;
	}
	if (!complete)
		return fail(L, s, "plugin %s: its table lacks a required function (init, free, push, remove, and head or "
			       "schedule for a policy, and requeue with FGP_EVICT_FOR_HEAD; init, free and place for a "
			       "placement)", text);
	fgp_ctx cx = {L->sc, spec, NULL, NULL, text, NULL};
	void *self = NULL;
	char why[512] = "";
	int rc = spec ? ((const fgp_policy *)*table)->init(&self, &platform_plugin_api, &cx, params, *nparams, why, sizeof why)
		      : ((const fgp_placement *)*table)->init(&self, &platform_plugin_api, &cx, params, *nparams, why, sizeof why);
	if (rc) {
		const config_setting_t *at = member(g, "params") ? member(g, "params") : g;
		return fail(L, at, "plugin %s rejects its parameters: %s", text, why[0] ? why : "(no reason given)");
	}
	if (spec)
		((const fgp_policy *)*table)->free(self);
	else
		((const fgp_placement *)*table)->free(self);
	return 0;
}

static int load_policies(loader *L, const config_setting_t *list)
{
	scenario *sc = L->sc;
	if (!list)
		return fail(L, config_root_setting(&sc->cfg), "missing key \"policies\" (e.g. policies = ( \"fcfs\" );)");
	if (!config_setting_is_aggregate(list) || config_setting_length(list) < 1)
		return fail(L, list, "policies must be a non-empty list, e.g. ( \"fcfs\", \"priority\" )");
	if (config_setting_length(list) > SC_MAX_POLICIES)
		return fail(L, list, "at most %d policies", SC_MAX_POLICIES);
	sc->npolicies = config_setting_length(list);
	for (int i = 0; i < sc->npolicies; i++) {
		const config_setting_t *e = config_setting_get_elem(list, (unsigned)i), *name = e, *s;
		policy_spec *p = &sc->policies[i];
		int kind;
		if (config_setting_type(e) == CONFIG_TYPE_GROUP && (check_keys(L, e) || need(L, e, "name", &name)))
			return 2;
		if (name != e && member(e, "plugin")) { /* a researcher's own: any name, from its shared object */
			p->kind = POLICY_PLUGIN;
			if (get_name(L, name, p->label))
				return 2;
			const void *table;
			if (load_plugin(L, e, "fgsim_policy", p->plugin_path, &p->dl, &table, p->params, &p->nparams, p))
				return 2;
			p->plugin = table;
			if ((s = member(e, "step")) || (s = member(e, "preempted")) || (s = member(e, "kill_at_estimate")))
				return fail(L, s, "\"%s\" applies to a built-in policy; give a plugin its params = { ... }",
					    config_setting_name(s));
		} else if (name != e && (s = member(e, "params"))) {
			return fail(L, s, "params are for a plugin policy (plugin = \"path.so\")");
		} else {
			if (get_choice(L, name, "policy", policy_names, &kind))
				return 2;
			p->kind = (policy_kind)kind;
			strcpy(p->label, policy_names[kind]);
		}
		p->aging_step = 3600;
		if (name != e && (s = member(e, "step"))) {
			if (p->kind != POLICY_AGING)
				return fail(L, s, "\"step\" applies to the aging policy only");
			if (get_duration(L, s, 0, &p->aging_step))
				return 2;
		}
		p->restart = 0;
		if (name != e && (s = member(e, "preempted"))) {
			static const char *const modes[] = {"resume", "restart", NULL};
			if (p->kind != POLICY_PREEMPTIVE)
				return fail(L, s, "\"preempted\" applies to the priority-preemptive policy only");
			if (get_choice(L, s, "preempted mode", modes, &p->restart))
				return 2;
		}
		p->kill_at_estimate = 0;
		if (name != e && (s = member(e, "kill_at_estimate"))) {
			if (p->kind != POLICY_EASY_BACKFILL)
				return fail(L, s, "\"kill_at_estimate\" applies to the easy-backfill policy only");
			if (get_bool(L, s, &p->kill_at_estimate))
				return 2;
		}
		if (name != e && (s = member(e, "label")) && get_name(L, s, p->label))
			return 2;
		for (int j = 0; j < i; j++)
			if (!strcmp(p->label, sc->policies[j].label))
				return fail(L, e, "policy \"%s\" is listed twice (give one a label = \"...\")", p->label);
	}
	return 0;
}

/* tenants = { weights = "equal" | "zipf" | [ w1, w2, ... ]; quota_gpus = N; }.
 * "zipf" weighs tenant ti by i^-s, s the exponent of the first class with a
 * tenant_mix (its expected share of arrivals); a list gives t1, t2, ... in the
 * scenario's tenant numbering (Zipf tenants, then one per class without a mix), the
 * tenants it does not reach weigh 1. quota_gpus must let every class's job run. */
static int load_tenants(loader *L, const config_setting_t *g)
{
	scenario *sc = L->sc;
	const config_setting_t *s;
	sc->tenant_weight = NULL;
	sc->quota_milli = 0;
	if (!g)
		return 0;
	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return fail(L, g, "tenants must be a group { weights = \"zipf\"; quota_gpus = 8; }");
	if (check_keys(L, g))
		return 2;
	if ((s = member(g, "weights"))) {
		int n = sc->ntenants, zipf = 0;
		if (config_setting_type(s) == CONFIG_TYPE_STRING) {
			static const char *const kinds[] = {"equal", "zipf", NULL};
			if (get_choice(L, s, "tenant weights", kinds, &zipf))
				return 2;
		} else if (!config_setting_is_aggregate(s) || config_setting_length(s) < 1) {
			return fail(L, s, "weights must be \"equal\", \"zipf\" or a list of positive numbers [ 4, 2, 1 ]");
		} else if (config_setting_length(s) > n) {
			return fail(L, s, "weights lists %d tenants, the scenario has %d", config_setting_length(s), n);
		}
		if (!(sc->tenant_weight = malloc((size_t)n * sizeof *sc->tenant_weight)))
			return fail(L, s, "no memory for %d tenant weights", n);
		double zs = 0;
		for (int k = 0; k < sc->nclasses && zipf; k++)
			if (sc->classes[k].ntenants > 1 && zs == 0)
				zs = sc->classes[k].zipf_s;
		for (int t = 0; t < n; t++)
			sc->tenant_weight[t] = zipf && t < sc->zipf_tenants ? pow(t + 1, -zs) : 1;
		for (int t = 0; config_setting_type(s) != CONFIG_TYPE_STRING && t < config_setting_length(s); t++) {
			const config_setting_t *e = config_setting_get_elem(s, (unsigned)t);
			if (get_number(L, e, &sc->tenant_weight[t]))
				return 2;
			if (!(sc->tenant_weight[t] > 0) || sc->tenant_weight[t] > 1e9)
				return fail(L, e, "tenant weight %d must lie in (0, 1e9], got %g", t + 1, sc->tenant_weight[t]);
		}
	}
	if ((s = member(g, "quota_gpus"))) {
		double q;
		if (get_number(L, s, &q))
			return 2;
		if (!(q > 0) || q * SC_MILLI > INT_MAX)
			return fail(L, s, "quota_gpus must be positive, got %g", q);
		sc->quota_milli = (int)lround(q * SC_MILLI);
		for (int k = 0; k < sc->nclasses; k++)
			if (sc->classes[k].gpus_milli > sc->quota_milli)
				return fail(L, s, "quota_gpus = %g is below class \"%s\"'s %g GPUs: its jobs could never run", q,
					    sc->classes[k].name, (double)sc->classes[k].gpus_milli / SC_MILLI);
	}
	return 0;
}

static int load_output(loader *L, const config_setting_t *out)
{
	scenario *sc = L->sc;
	const config_setting_t *s;
	sc->plots = 1;
	sc->jobs_csv = 0;
	sc->timeseries_step = 0;
	if (!out)
		return 0;
	if (config_setting_type(out) != CONFIG_TYPE_GROUP)
		return fail(L, out, "output must be a group { plots = true; ... }");
	if (check_keys(L, out))
		return 2;
	if ((s = member(out, "plots")) && get_bool(L, s, &sc->plots))
		return 2;
	if ((s = member(out, "jobs")) && get_bool(L, s, &sc->jobs_csv))
		return 2;
	if ((s = member(out, "timeseries_step")) && get_duration(L, s, 0, &sc->timeseries_step))
		return 2;
	return 0;
}

/* `calibration`: a list of calibration files (paths from the scenario's folder), one per
 * GPU type. A file's own problem is reported at its FILE:LINE after the place that
 * names the file, as for empirical(...) files. */
static int load_calibration(loader *L, const config_setting_t *list)
{
	scenario *sc = L->sc;
	sc->ncalib = 0;
	if (!list)
		return 0;
	if (!config_setting_is_array(list) && !config_setting_is_list(list))
		return fail(L, list, "calibration must be a list of calibration files, e.g. [ \"models/calibration/h100-sxm.cfg\" ]");
	if (config_setting_length(list) > SC_MAX_POOLS)
		return fail(L, list, "at most %d calibration files", SC_MAX_POOLS);
	if (config_setting_length(list) > 0 &&
	    !(sc->calib = calloc((size_t)config_setting_length(list), sizeof *sc->calib)))
		return fail(L, list, "out of memory");
	for (int i = 0; i < config_setting_length(list); i++) {
		const config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
		const char *text = NULL;
		char path[4096];
		if (get_string(L, e, &text))
			return 2;
		if (text[0] == '/')
			snprintf(path, sizeof path, "%s", text);
		else
			snprintf(path, sizeof path, "%.2000s/%.2000s", sc->dir, text);
		errno = 0;
		if (!readable_file(path))
			return fail(L, e, "calibration file %s: cannot read: %s", path, errno ? strerror(errno) : "a folder");
		char msg[1024];
		if (calib_load(&sc->calib[i], path, msg, sizeof msg))
			return fail(L, e, "%s", msg);
		sc->ncalib = i + 1;
		for (int j = 0; j < i; j++)
			if (!strcasecmp(sc->calib[j].gpu, sc->calib[i].gpu))
				return fail(L, e, "calibration files %s and %s both describe GPU \"%s\"", sc->calib[j].path, path,
					    sc->calib[i].gpu);
	}
	return 0;
}

/* run.precision = { metrics = [...]; relative = 0.05 | absolute = X; max_replications
 * = N; scope = "all"; }, checked once the scopes (classes, pools, promotions) exist. */
static int load_precision(loader *L, const config_setting_t *g)
{
	scenario *sc = L->sc;
	precision_spec *p = &sc->precision;
	const config_setting_t *s, *rel, *abs_;
	long long v;
	memset(p, 0, sizeof *p);
	if (!g)
		return 0;
	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return fail(L, g, "precision must be a group { metrics = [\"wait_p95\"]; relative = 0.05; max_replications = 200; }");
	if (check_keys(L, g) || need(L, g, "metrics", &s))
		return 2;
	if (!config_setting_is_aggregate(s) || config_setting_length(s) < 1)
		return fail(L, s, "metrics must be a non-empty list of metric names, e.g. [ \"wait_p95\" ]");
	if (config_setting_length(s) > SC_MAX_PRECISION_METRICS)
		return fail(L, s, "at most %d precision metrics", SC_MAX_PRECISION_METRICS);
	int scope = 0;
	const config_setting_t *sc_set = member(g, "scope");
	if (sc_set) {
		const char *name = NULL;
		char buf[SC_NAME_MAX + 16];
		if (get_string(L, sc_set, &name))
			return 2;
		for (scope = scope_count(sc) - 1; scope >= 0; scope--)
			if (!strcmp(scope_name(sc, scope, buf, sizeof buf), name))
				break;
		if (scope < 0)
			return fail(L, sc_set, "unknown scope \"%s\" (all, class:NAME, pool:NAME, window:NAME or tenant:NAME)", name);
	}
	p->scope = scope;
	for (int i = 0; i < config_setting_length(s); i++) {
		const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
		const char *name = NULL;
		if (get_string(L, e, &name))
			return 2;
		int m = 0;
		while (m < M_COUNT && strcmp(metric_names[m], name))
			m++;
		if (m == M_COUNT) {
			const char *names[M_COUNT + 1] = {NULL};
			memcpy(names, metric_names, sizeof metric_names);
			const char *near = names_suggest(name, names);
			return near ? fail(L, e, "unknown metric \"%s\" (did you mean \"%s\"?)", name, near)
				    : fail(L, e, "unknown metric \"%s\"", name);
		}
		if (!metric_applies((metric_id)m, scope_kind_of(sc, scope)))
			return fail(L, e, "metric \"%s\" is not reported for scope \"%s\"", name,
				    sc_set ? config_setting_get_string(sc_set) : "all");
		p->metric[p->nmetrics++] = m;
	}
	rel = member(g, "relative");
	abs_ = member(g, "absolute");
	if (!rel == !abs_)
		return fail(L, g, "precision needs exactly one target: relative = 0.05 (of the mean) or absolute = X (in the metric's unit)");
	if (rel) {
		if (get_number(L, rel, &p->relative))
			return 2;
		if (!(p->relative > 0 && p->relative < 1))
			return fail(L, rel, "relative must lie in (0, 1), got %g", p->relative);
	}
	if (abs_) {
		if (get_number(L, abs_, &p->absolute))
			return 2;
		if (!(p->absolute > 0))
			return fail(L, abs_, "absolute must be positive, got %g", p->absolute);
	}
	p->max_replications = 200;
	if ((s = member(g, "max_replications"))) {
		if (get_int(L, s, 2, 100000, &v))
			return 2;
		p->max_replications = (int)v;
	}
	if (p->max_replications < sc->replications) {
		const config_setting_t *at = s ? s : g;
		return fail(L, at, "max_replications (%d) is below run.replications (%d), where precision-driven runs start",
			    p->max_replications, sc->replications);
	}
	return 0;
}

static int load_all(loader *L)
{
	scenario *sc = L->sc;
	const config_setting_t *root = config_root_setting(&sc->cfg), *s;
	if (check_keys(L, root))
		return 2;
	/* The default name is the file's, without folder or extension. */
	const char *base = strrchr(sc->path, '/');
	snprintf(sc->name, sizeof sc->name, "%.63s", base ? base + 1 : sc->path);
	char *dot = strrchr(sc->name, '.');
	if (dot && dot != sc->name)
		*dot = 0;
	if ((s = member(root, "name")) && get_name(L, s, sc->name))
		return 2;
	strcpy(sc->currency, "USD");
	if ((s = member(root, "currency"))) {
		const char *c = NULL;
		if (get_string(L, s, &c))
			return 2;
		if (!*c || strlen(c) >= sizeof sc->currency)
			return fail(L, s, "currency must be a short code such as \"USD\"");
		strcpy(sc->currency, c);
	}
	if (load_run(L, member(root, "run")) || load_cluster(L, member(root, "cluster")) ||
	    load_calibration(L, member(root, "calibration")) || load_workload(L, member(root, "workload")) ||
	    load_promotions(L, member(root, "promotions")) ||
	    load_policies(L, member(root, "policies")) || load_output(L, member(root, "output")) ||
	    load_tenants(L, member(root, "tenants")))
		return 2;
	sc->placement = PLACE_FIRST_FIT;
	if ((s = member(root, "placement")) && config_setting_type(s) == CONFIG_TYPE_GROUP) {
		placement_spec *ps = &sc->place_plugin;
		const config_setting_t *name;
		const void *table;
		if (check_keys(L, s) || need(L, s, "name", &name) || get_name(L, name, ps->name))
			return 2;
		if (!member(s, "plugin"))
			return fail(L, s, "a placement group names a plugin: { name = ...; plugin = \"x.so\"; } (or write "
				       "placement = \"best-fit\")");
		if (load_plugin(L, s, "fgsim_placement", ps->plugin_path, &ps->dl, &table, ps->params, &ps->nparams, NULL))
			return 2;
		ps->plugin = table;
	} else if (s) {
		int p;
		if (get_choice(L, s, "placement", placement_names, &p))
			return 2;
		sc->placement = (placement_kind)p;
	}
	return load_precision(L, member(member(root, "run"), "precision"));
}

/* ---- --set overrides ------------------------------------------------------------- */

/* Copies value (a scalar or aggregate) into a new member `name` of parent. */
static config_setting_t *copy_setting(config_setting_t *parent, const char *name, const config_setting_t *from)
{
	int type = config_setting_type(from);
	config_setting_t *to = config_setting_add(parent, name, type);
	if (!to)
		return NULL;
	switch (type) {
	case CONFIG_TYPE_INT: config_setting_set_int(to, config_setting_get_int(from)); break;
	case CONFIG_TYPE_INT64: config_setting_set_int64(to, config_setting_get_int64(from)); break;
	case CONFIG_TYPE_FLOAT: config_setting_set_float(to, config_setting_get_float(from)); break;
	case CONFIG_TYPE_BOOL: config_setting_set_bool(to, config_setting_get_bool(from)); break;
	case CONFIG_TYPE_STRING: config_setting_set_string(to, config_setting_get_string(from)); break;
	default:
		for (int i = 0; i < config_setting_length(from); i++) {
			const config_setting_t *e = config_setting_get_elem(from, (unsigned)i);
			if (!copy_setting(to, config_setting_name(e), e))
				return NULL;
		}
	}
	return to;
}

/* The known keys of the group at `parent`, if the schema has one. */
static int key_allowed(const config_setting_t *parent, const char *name)
{
	const schema_group *g = schema_for(parent);
	return g && in_list(name, g->keys);
}

/* Overwrites a scalar setting with a scalar value of the same type. */
static void set_scalar(config_setting_t *to, const config_setting_t *from)
{
	switch (config_setting_type(from)) {
	case CONFIG_TYPE_INT: config_setting_set_int(to, config_setting_get_int(from)); break;
	case CONFIG_TYPE_INT64: config_setting_set_int64(to, config_setting_get_int64(from)); break;
	case CONFIG_TYPE_FLOAT: config_setting_set_float(to, config_setting_get_float(from)); break;
	case CONFIG_TYPE_BOOL: config_setting_set_bool(to, config_setting_get_bool(from)); break;
	default: config_setting_set_string(to, config_setting_get_string(from));
	}
}

/* The group at `path`, created (with any missing groups above it) when the file leaves
 * it out and the schema knows it as a group. NULL when it cannot be. */
static config_setting_t *ensure_group(config_t *cfg, const char *path)
{
	config_setting_t *s = config_lookup(cfg, path);
	if (s)
		return s;
	char buf[512];
	snprintf(buf, sizeof buf, "%s", path);
	char *dot = strrchr(buf, '.');
	const char *leaf = dot ? dot + 1 : buf;
	if (dot)
		*dot = 0;
	config_setting_t *parent = dot ? ensure_group(cfg, buf) : config_root_setting(cfg);
	int known_group = 0;
	for (size_t i = 0; i < sizeof schema / sizeof *schema; i++)
		known_group |= !strcmp(schema[i].path, path);
	if (!parent || config_setting_type(parent) != CONFIG_TYPE_GROUP || !known_group || !key_allowed(parent, leaf))
		return NULL;
	return config_setting_add(parent, leaf, CONFIG_TYPE_GROUP);
}

/* Puts `value` where the override's key points; validation later judges it, and its
 * errors name the override because the setting carries the key as its hook. */
static config_setting_t *place_override(loader *L, const sc_override *o, const config_setting_t *value)
{
	config_setting_t *target = config_lookup(&L->sc->cfg, o->key);
	if (target) {
		int tt = config_setting_type(target), vt = config_setting_type(value);
		config_setting_t *parent = config_setting_parent(target);
		const char *leaf = config_setting_name(target);
		if (tt == vt && !config_setting_is_aggregate(target)) {
			set_scalar(target, value);
		} else if (tt == CONFIG_TYPE_FLOAT && (vt == CONFIG_TYPE_INT || vt == CONFIG_TYPE_INT64)) {
			config_setting_set_float(target, (double)config_setting_get_int64(value));
		} else if (leaf) {
			char name[128];
			snprintf(name, sizeof name, "%s", leaf);
			config_setting_remove(parent, name);
			target = copy_setting(parent, name, value);
		} else {
			snprintf(L->err, L->errlen, "--set %s: a list element keeps its type; %s does not fit", o->key, o->value);
			return NULL;
		}
		return target;
	}
	/* A key the file leaves out may be added when the schema knows it (an optional key),
	 * along with the optional groups above it (output.jobs when there is no output). */
	char parent_path[512];
	snprintf(parent_path, sizeof parent_path, "%s", o->key);
	char *dot = strrchr(parent_path, '.');
	const char *leaf = dot ? dot + 1 : parent_path;
	if (dot)
		*dot = 0;
	config_setting_t *parent = dot ? ensure_group(&L->sc->cfg, parent_path) : config_root_setting(&L->sc->cfg);
	if (!parent || config_setting_type(parent) != CONFIG_TYPE_GROUP || !key_allowed(parent, leaf)) {
		snprintf(L->err, L->errlen, "--set %s: no such key in %s", o->key, L->sc->path);
		return NULL;
	}
	return copy_setting(parent, leaf, value);
}

/* ---- integers libconfig 1.5 would cut ------------------------------------------ */

/* libconfig 1.5 keeps only the low 32 bits of an integer literal without an L suffix,
 * silently: `nodes = 4294967297;` is 1 node and `--seed 5000000000` was seed 705032704;
 * with L it saturates at 64 bits. So we scan the text the way its lexer does (strings
 * and comments skipped, names read whole) for integers that do not fit. */
enum { INT_FITS, INT_WIDE /* beyond 32 bits, no L */, INT_HUGE /* beyond 64 bits */ };

/* Classifies the number token at p (a digit, or a sign before one) and sets *end past it. */
static int int_literal(const char *p, const char **end)
{
	const char *b = p;
	if (*p == '-' || *p == '+')
		p++;
	int hex = p[0] == '0' && (p[1] == 'x' || p[1] == 'X');
	p += hex ? 2 : 0;
	while (hex ? isxdigit((unsigned char)*p) : isdigit((unsigned char)*p))
		p++;
	if (!hex && (*p == '.' || *p == 'e' || *p == 'E')) { /* a float: nothing to cut */
		while (isdigit((unsigned char)*p) || (*p && strchr(".eE+-", *p)))
			p++;
		*end = p;
		return INT_FITS;
	}
	int wide = *p == 'L';
	*end = p + (p[0] == 'L') + (p[0] == 'L' && p[1] == 'L');
	errno = 0;
	if (hex) {
		unsigned long long u = strtoull(b, NULL, 16);
		return errno == ERANGE || *b == '-' ? INT_HUGE : !wide && u > 0xffffffffULL ? INT_WIDE : INT_FITS;
	}
	long long v = strtoll(b, NULL, 10);
	return errno == ERANGE ? INT_HUGE : !wide && (v < INT_MIN || v > INT_MAX) ? INT_WIDE : INT_FITS;
}

/* The first integer in libconfig text that libconfig would cut: returns INT_WIDE or
 * INT_HUGE with its line (counted from 1) and text, or INT_FITS. */
static int find_cut_int(const char *t, int *line, char *lit, size_t litlen)
{
	*line = 1;
	for (const char *p = t; *p;) {
		if (*p == '\n') {
			++*line, p++;
		} else if (*p == '#' || (p[0] == '/' && p[1] == '/')) {
			while (*p && *p != '\n')
				p++;
		} else if (p[0] == '/' && p[1] == '*') {
			for (p += 2; *p && !(p[0] == '*' && p[1] == '/'); p++)
				*line += *p == '\n';
			p += *p ? 2 : 0;
		} else if (*p == '"') {
			for (p++; *p && *p != '"'; p++) {
				if (*p == '\\' && p[1])
					p++;
				*line += *p == '\n';
			}
			p += *p ? 1 : 0;
		} else if (isalpha((unsigned char)*p) || *p == '*' || *p == '@') {
			for (p++; isalnum((unsigned char)*p) || (*p && strchr("-_*", *p)); p++)
				;
		} else if (isdigit((unsigned char)*p) || ((*p == '-' || *p == '+') && isdigit((unsigned char)p[1]))) {
			const char *end;
			int k = int_literal(p, &end);
			if (k != INT_FITS) {
				snprintf(lit, litlen, "%.*s", (int)(end - p < 40 ? end - p : 40), p);
				return k;
			}
			p = end;
		} else {
			p++;
		}
	}
	return INT_FITS;
}

static int apply_override(loader *L, const sc_override *o)
{
	config_t lit;
	char text[1024];
	config_init(&lit);
	snprintf(text, sizeof text, "v = %s;", o->value);
	/* A value that is not a libconfig literal is taken as a string (--set run.horizon=30d). */
	if (!config_read_string(&lit, text)) {
		config_destroy(&lit);
		config_init(&lit);
		config_setting_set_string(config_setting_add(config_root_setting(&lit), "v", CONFIG_TYPE_STRING), o->value);
	} else {
		/* A lone integer beyond 32 bits is read as the 64-bit one it means (--seed
		 * 5000000000); one inside a list, or beyond 64 bits, is an error. */
		int line, k;
		char num[48];
		const char *end = NULL;
		if ((k = find_cut_int(text, &line, num, sizeof num)) == INT_WIDE && int_literal(text + 4, &end) == INT_WIDE &&
		    !strcmp(end, ";")) {
			snprintf(text, sizeof text, "v = %sL;", o->value);
			config_destroy(&lit);
			config_init(&lit);
			k = config_read_string(&lit, text) ? find_cut_int(text, &line, num, sizeof num) : INT_HUGE;
		}
		if (k != INT_FITS) {
			config_destroy(&lit);
			snprintf(L->err, L->errlen, "--set %s: integer %s is too large%s", o->key, num,
				 k == INT_WIDE ? " for 32 bits (write it with an L suffix for 64 bits)" : "");
			return 2;
		}
	}
	L->err[0] = 0;
	config_setting_t *target = place_override(L, o, config_lookup(&lit, "v"));
	config_destroy(&lit);
	if (!target) {
		if (!L->err[0])
			snprintf(L->err, L->errlen, "--set %s: cannot store %s", o->key, o->value);
		return 2;
	}
	config_setting_set_hook(target, (void *)o->key);
	return 0;
}

int scenario_load(scenario *sc, const char *path, const sc_override *ov, int nov, char *err, size_t errlen)
{
	loader L = {sc, err, errlen};
	memset(sc, 0, sizeof *sc);
	snprintf(sc->path, sizeof sc->path, "%s", path);
	char dir[sizeof sc->dir];
	snprintf(dir, sizeof dir, "%s", path);
	snprintf(sc->dir, sizeof sc->dir, "%s", dirname(dir));
	if (cfgfile_read(&sc->cfg, path, err, errlen))
		return 2;
	/* Integers libconfig would have cut to 32 bits (see find_cut_int). */
	char *text = NULL, num[48];
	size_t cap = 0;
	int line, k = INT_FITS;
	FILE *f = fopen(path, "r");
	if (f && getdelim(&text, &cap, '\0', f) > 0)
		k = find_cut_int(text, &line, num, sizeof num);
	free(text);
	if (f)
		fclose(f);
	if (k != INT_FITS) {
		snprintf(err, errlen, "%s:%d: integer %s is too large%s", path, line, num,
			 k == INT_WIDE ? " for 32 bits (write it with an L suffix for 64 bits)" : "");
		config_destroy(&sc->cfg);
		return 2;
	}
	for (int i = 0; i < nov; i++)
		if (apply_override(&L, &ov[i])) {
			scenario_free(sc);
			return 2;
		}
	if (load_all(&L)) {
		scenario_free(sc);
		return 2;
	}
	return 0;
}

void scenario_free(scenario *sc)
{
	if (!sc)
		return;
	for (int i = 0; i < sc->nclasses; i++) {
		dist_free(&sc->classes[i].service);
		dist_free(&sc->classes[i].estimate);
		dist_free(&sc->classes[i].patience);
		dist_free(&sc->classes[i].steps);
		service_free(&sc->classes[i].svc); /* before the tables it borrows */
	}
	sc->nclasses = 0;
	for (int i = 0; i < sc->ncalib; i++)
		calib_free(&sc->calib[i]);
	free(sc->calib);
	sc->calib = NULL;
	sc->ncalib = 0;
	free(sc->tenant_weight);
	sc->tenant_weight = NULL;
	for (int i = 0; i < SC_MAX_POLICIES; i++)
		if (sc->policies[i].dl) {
			plugin_close(sc->policies[i].dl);
			sc->policies[i].dl = NULL;
			sc->policies[i].plugin = NULL;
		}
	plugin_close(sc->place_plugin.dl);
	sc->place_plugin.dl = NULL;
	sc->place_plugin.plugin = NULL;
	config_destroy(&sc->cfg);
}

double scenario_class_rate(const scenario *sc, int k)
{
	double f = 1;
	if (sc->has_profile) {
		f = 0;
		for (int h = 0; h < 24; h++)
			f += sc->daily_profile[h] / 24;
	}
	return sc->rate * f * sc->classes[k].share;
}

double scenario_offered_load(const scenario *sc, int pool)
{
	double busy = 0;
	for (int k = 0; k < sc->nclasses; k++) {
		const class_spec *c = &sc->classes[k];
		double gpus_k = 0, gpus_p = 0;
		for (int i = 0; i < c->npools; i++) {
			gpus_k += (double)scenario_pool_gpus(sc, c->pools[i]);
			if (c->pools[i] == pool)
				gpus_p = (double)scenario_pool_gpus(sc, c->pools[i]);
		}
		double gpus = sc->trace ? c->trace_gpus : (double)c->gpus_milli / SC_MILLI;
		if (gpus_p > 0)
			busy += scenario_class_rate(sc, k) * scenario_expected_service(sc, k, pool) * gpus * gpus_p / gpus_k;
	}
	return busy / (double)scenario_pool_gpus(sc, pool);
}

long scenario_pool_gpus(const scenario *sc, int pool)
{
	const pool_spec *p = &sc->pools[pool];
	if (!p->nsizes)
		return (long)p->nodes * p->gpus_per_node;
	long gpus = 0;
	for (int i = 0; i < p->nsizes; i++)
		gpus += (long)p->size[i].nodes * p->size[i].gpus;
	return gpus;
}

int scenario_pool_full_nodes(const scenario *sc, int pool)
{
	const pool_spec *p = &sc->pools[pool];
	return p->nsizes ? p->size[0].nodes : p->nodes;
}

const char *scenario_place(const scenario *sc, const char *key, char *buf, size_t len)
{
	const config_setting_t *s = config_lookup(&sc->cfg, key);
	const char *hook = s ? config_setting_get_hook(s) : NULL;
	if (hook)
		snprintf(buf, len, "--set %s", hook);
	else if (s && config_setting_source_line(s) > 0)
		snprintf(buf, len, "%s:%d", config_setting_source_file(s) ? config_setting_source_file(s) : sc->path,
			 config_setting_source_line(s));
	else
		snprintf(buf, len, "%s", sc->path);
	return buf;
}

const char *scenario_tenant_name(const scenario *sc, uint32_t t, char *buf, size_t len)
{
	snprintf(buf, len, "t%u", t + 1);
	if ((int)t < sc->zipf_tenants)
		return buf;
	for (int k = 0; k < sc->nclasses; k++)
		if (sc->classes[k].tenant_base == (int)t && sc->classes[k].ntenants == 1 && sc->classes[k].zipf_s == 0)
			snprintf(buf, len, "%s", sc->classes[k].name);
	return buf;
}

double scenario_expected_service(const scenario *sc, int k, int q)
{
	const class_spec *c = &sc->classes[k];
	if (!c->has_steps)
		return c->service.mean;
	if (c->pool_gpu[q] < 0)
		return NAN;
	return service_expected_time(&c->svc, c->pool_gpu[q], (double)c->gpus_milli / SC_MILLI, c->steps.mean);
}
