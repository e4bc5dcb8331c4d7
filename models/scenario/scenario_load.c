/* scenario_load.c - loading a scenario: libconfig parses, the loader checks every key against
 * the schema of scenario_keys.c, resolves units and names, and reports the first problem
 * with its place in the file (or the --set override that caused it). Here: the entry
 * point; the run, cluster, promotions, tenants, output, calibration and precision
 * sections; where a key was set. The rest is in scenario_*.c; the questions asked of a
 * loaded scenario, and freeing it, are with its structs (models/platform/scenario.c). */
#include "scenario_load.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cfgfile.h"
#include "metrics.h"
#include "names.h"
#include "objective.h"
#include "plugin.h"
#include "plugin_guard.h"
#include "promos.h"
#include "scenario_internal.h"

/* ---- sections -------------------------------------------------------------------- */

static int load_run(loader *L, const config_setting_t *run)
{
	scenario *sc = L->sc;
	const config_setting_t *s;
	long long v;
	if (!run || config_setting_type(run) != CONFIG_TYPE_GROUP)
		return ld_fail(L, run ? run : config_root_setting(&sc->cfg), "missing group \"run\"");
	if (ld_check_keys(L, run) || ld_need(L, run, "horizon", &s) || ld_get_duration(L, s, 0, &sc->horizon))
		return 2;
	sc->warmup = 0;
	sc->warmup_auto = 0;
	if ((s = ld_member(run, "warmup")) && config_setting_type(s) == CONFIG_TYPE_STRING &&
	    !strcmp(config_setting_get_string(s), "auto"))
		sc->warmup_auto = 1; /* chosen by MSER-5 on a pilot run (experiment.c) */
	else if (s && config_setting_type(s) == CONFIG_TYPE_STRING &&
		 names_suggest(config_setting_get_string(s), (const char *const[]){"auto", NULL}))
		return ld_fail(L, s, "warmup must be a length of time or \"auto\", got \"%s\" (did you mean \"auto\"?)",
			       config_setting_get_string(s));
	else if (s && ld_get_duration(L, s, 1, &sc->warmup))
		return 2;
	if (sc->warmup >= sc->horizon)
		return ld_fail(L, s, "warmup (%g s) must be shorter than the horizon (%g s)", sc->warmup, sc->horizon);
	sc->replications = 10;
	/* 100,000: far beyond what any interval needs, and the results keep a row of
	 * figures per replication (about 40 KB each, docs/model.md "Limits") */
	if ((s = ld_member(run, "replications"))) {
		if (ld_get_int(L, s, 1, 100000, &v))
			return 2;
		sc->replications = (int)v;
	}
	sc->seed = 1;
	if ((s = ld_member(run, "seed"))) {
		if (ld_get_int(L, s, 0, INT64_MAX, &v))
			return 2;
		sc->seed = (uint64_t)v;
	}
	sc->confidence = 0.95;
	if ((s = ld_member(run, "confidence"))) {
		if (ld_get_number(L, s, &sc->confidence))
			return 2;
		if (!(sc->confidence > 0.5 && sc->confidence < 1))
			return ld_fail(L, s, "confidence must lie in (0.5, 1), got %g", sc->confidence);
		/* A half-width is the t quantile at (1 + confidence) / 2 times the standard
		 * error (stat_ci); where that level rounds to 1 the quantile is infinite and every
		 * interval of every run would be left empty, for any number of replications. */
		if (!(0.5 + sc->confidence / 2 < 1))
			return ld_fail(L, s,
				       "confidence %.17g is too close to 1: (1 + confidence) / 2 rounds to 1, where the t "
				       "quantile is infinite, so no confidence interval could be given",
				       sc->confidence);
	}
	sc->plugin_timeout = PG_DEFAULT_TIMEOUT; /* a plugin call that takes longer stops the run */
	if ((s = ld_member(run, "plugin_timeout")) && ld_get_duration(L, s, 0, &sc->plugin_timeout))
		return 2;
	sc->start_weekday = 0; /* day 0 is a monday unless told (weekly_profile, promos.c) */
	if ((s = ld_member(run, "start_weekday"))) {
		const char *day = NULL;
		if (ld_get_string(L, s, &day))
			return 2;
		/* any case ("Saturday"); else the choice's message with its "did you mean" */
		if ((sc->start_weekday = promos_weekday(day)) < 0 &&
		    ld_get_choice(L, s, "weekday", promos_weekdays, &sc->start_weekday))
			return 2;
	}
	return 0;
}

/* A pool's burst nodes that plan ahead (forecast.c): trigger = "queue" | "forecast",
 * prewarm = DURATION, target = UTILISATION. Defaults: the queue, no prewarm, 0.8. */
static int load_burst_plan(loader *L, const config_setting_t *g, pool_spec *p)
{
	static const char *const triggers[] = {"queue", "forecast", NULL};
	const config_setting_t *s;
	p->burst_forecast = 0;
	p->burst_prewarm = 0;
	p->burst_target = 0.8;
	if ((s = ld_member(g, "trigger")) && ld_get_choice(L, s, "burst trigger", triggers, &p->burst_forecast))
		return 2;
	if ((s = ld_member(g, "prewarm")) && ld_get_duration(L, s, 1, &p->burst_prewarm))
		return 2;
	if ((s = ld_member(g, "target")) && ld_get_number(L, s, &p->burst_target))
		return 2;
	if (!(p->burst_target > 0 && p->burst_target <= 1))
		return ld_fail(L, s, "target must lie in (0, 1], got %g", p->burst_target);
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
	p->burst_forecast = 0;
	p->burst_prewarm = 0;
	p->burst_target = 0.8;
	if (!g)
		return 0;
	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return ld_fail(L, g, "burst must be a group { max_nodes = ...; startup = \"10m\"; ... }");
	if (ld_check_keys(L, g) || ld_need(L, g, "max_nodes", &s) || ld_get_int(L, s, 0, 100000, &v))
		return 2;
	p->burst_max = (int)v;
	if ((s = ld_member(g, "startup")) && ld_get_duration(L, s, 0, &p->burst_startup))
		return 2;
	if ((s = ld_member(g, "cost_per_gpu_hour")) && ld_get_number(L, s, &p->burst_cost_per_gpu_hour))
		return 2;
	if (p->burst_cost_per_gpu_hour < 0)
		return ld_fail(L, s, "cost_per_gpu_hour must not be negative");
	if ((s = ld_member(g, "threshold")) && ld_get_duration(L, s, 1, &p->burst_threshold))
		return 2;
	if ((s = ld_member(g, "cooldown")) && ld_get_duration(L, s, 0, &p->burst_cooldown))
		return 2;
	return load_burst_plan(L, g, p);
}

static int load_pool(loader *L, const config_setting_t *g, pool_spec *p)
{
	const config_setting_t *s;
	long long v;
	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return ld_fail(L, g, "a pool must be a group { name = ...; nodes = ...; ... }");
	if (ld_check_keys(L, g) || ld_need(L, g, "name", &s) || ld_get_name(L, s, p->name))
		return 2;
	strcpy(p->gpu, p->name);
	if ((s = ld_member(g, "gpu")) && ld_get_name(L, s, p->gpu))
		return 2;
	/* Counts are capped so that GPU totals in thousandths fit comfortably in 32 bits. */
	if (ld_need(L, g, "nodes", &s) || ld_get_int(L, s, 1, 100000, &v))
		return 2;
	p->nodes = (int)v;
	if (ld_need(L, g, "gpus_per_node", &s) || ld_get_int(L, s, 1, 64, &v))
		return 2;
	p->gpus_per_node = (int)v;
	if (ld_get_cpu_memory(L, g, "cpus_per_node", "memory_per_node", &p->cpu_milli, &p->memory_mib))
		return 2;
	p->nres = 0;
	if (ld_load_pool_money(L, g, p))
		return 2;
	/* burst after the money: its cost defaults to the pool's */
	return load_burst(L, ld_member(g, "burst"), p) || ld_load_pool_faults(L, g, p) ? 2 : 0;
}

/* The workload group: its arrival process decides which loader reads the rest, a
 * Poisson process (scenario_workload.c) or a replayed trace (scenario_trace.c). The
 * choice is made here, above both, so that the trace loader can reuse the class rules
 * of the Poisson one without the two calling each other. */
static int load_workload(loader *L, const config_setting_t *w)
{
	scenario *sc = L->sc;
	const config_setting_t *arr, *s;
	if (!w || config_setting_type(w) != CONFIG_TYPE_GROUP)
		return ld_fail(L, w ? w : config_root_setting(&sc->cfg),
			       "missing group \"workload\"");
	if (ld_check_keys(L, w) || ld_need(L, w, "arrivals", &arr) || ld_check_keys(L, arr))
		return 2;
	sc->trace = 0;
	if ((s = ld_member(arr, "process"))) {
		static const char *const processes[] = {"poisson", "trace", NULL};
		if (ld_get_choice(L, s, "arrival process", processes, &sc->trace))
			return 2;
	}
	return sc->trace ? ld_load_trace_workload(L, w, arr) : ld_load_poisson_workload(L, w, arr);
}

static int load_cluster(loader *L, const config_setting_t *cluster)
{
	scenario *sc = L->sc;
	const config_setting_t *pools, *s;
	if (!cluster || config_setting_type(cluster) != CONFIG_TYPE_GROUP)
		return ld_fail(L, cluster ? cluster : config_root_setting(&sc->cfg), "missing group \"cluster\"");
	if (ld_check_keys(L, cluster))
		return 2;
	if ((s = ld_member(cluster, "nodes_file")))
		return ld_load_nodes_file(L, cluster, s);
	/* Cluster-wide keys belong to a node list; each listed pool has its own. */
	if ((s = ld_member(cluster, "format")) || (s = ld_member(cluster, "cost_per_gpu_hour")) ||
	    (s = ld_member(cluster, "price_per_gpu_hour")) || (s = ld_member(cluster, "minimum_billing")))
		return ld_fail(L, s, "\"%s\" goes with \"nodes_file\"; a pool listed under \"pools\" has its own",
			       config_setting_name(s));
	if (ld_need(L, cluster, "pools", &pools))
		return 2;
	if (!config_setting_is_list(pools) || config_setting_length(pools) < 1)
		return ld_fail(L, pools, "pools must be a non-empty list ( {...}, {...} )");
	if (config_setting_length(pools) > SC_MAX_POOLS)
		return ld_fail(L, pools, "at most %d pools", SC_MAX_POOLS);
	sc->npools = config_setting_length(pools);
	for (int i = 0; i < sc->npools; i++) {
		const config_setting_t *g = config_setting_get_elem(pools, (unsigned)i);
		if (load_pool(L, g, &sc->pools[i]))
			return 2;
		sc->has_burst |= sc->pools[i].burst_max > 0;
		for (int j = 0; j < i; j++)
			if (!strcmp(sc->pools[i].name, sc->pools[j].name))
				return ld_fail(L, g, "pool \"%s\" is defined twice", sc->pools[i].name);
	}
	return 0;
}

/* repeat = "7d"; count = N: occurrences every `repeat` from start, which must not
 * overlap each other (duration <= repeat). Without count, as many as start before the
 * horizon; with it, those of the N that do (promos_layout: later ones never happen). */
static int load_repeat(loader *L, const config_setting_t *g, promo_spec *p)
{
	const config_setting_t *r = ld_member(g, "repeat"), *c = ld_member(g, "count");
	long long n = 1;
	p->repeat = 0;
	p->count = 1;
	if (!r) {
		if (c)
			return ld_fail(L, c, "promotion \"%s\": count needs repeat (the time between occurrences)",
				       p->name);
		return 0;
	}
	if (ld_get_duration(L, r, 0, &p->repeat))
		return 2;
	if (p->duration > p->repeat)
		return ld_fail(L, r, "promotion \"%s\": its occurrences would overlap (duration %g s > repeat %g s)",
			       p->name, p->duration, p->repeat);
	if (c && ld_get_int(L, c, 1, SC_MAX_OCCURRENCES, &n))
		return 2;
	p->count = c ? (int)n : SC_MAX_OCCURRENCES;
	return 0;
}

static int load_promo(loader *L, const config_setting_t *g, promo_spec *p)
{
	scenario *sc = L->sc;
	const config_setting_t *s, *el;
	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return ld_fail(L, g, "a promotion must be a group { name = ...; start = ...; ... }");
	if (ld_check_keys(L, g) || ld_need(L, g, "name", &s) || ld_get_name(L, s, p->name))
		return 2;
	if (ld_need(L, g, "start", &s) || ld_get_duration(L, s, 1, &p->start))
		return 2;
	if (ld_need(L, g, "duration", &s) || ld_get_duration(L, s, 0, &p->duration))
		return 2;
	if (strchr(p->name, '#'))
		return ld_fail(L, g, "promotion \"%s\": '#' is kept for the occurrence scopes (window:NAME#k)",
			       p->name);
	if (load_repeat(L, g, p))
		return 2;
	if (p->start + p->duration > sc->horizon)
		return ld_fail(L, g, "promotion \"%s\" ends after the horizon (%g s > %g s)", p->name, p->start + p->duration, sc->horizon);
	p->discount = 0;
	if ((s = ld_member(g, "discount")) && ld_get_number(L, s, &p->discount))
		return 2;
	if (!(p->discount >= 0 && p->discount < 1))
		return ld_fail(L, s, "discount must lie in [0, 1), got %g", p->discount);
	s = ld_member(g, "demand");
	el = ld_member(g, "elasticity");
	if (s && el)
		/* the clash a command line meets when it switches a promotion's demand to an
		 * elasticity: name the --unset that resolves it */
		return ld_fail(L, el,
			       "promotion \"%s\": give either demand or elasticity, not both (from the "
			       "command line: --unset 'promotions.[%d].demand')",
			       p->name, config_setting_index(g));
	p->demand = 1;
	if (s && ld_get_number(L, s, &p->demand))
		return 2;
	if (el) {
		double e;
		if (ld_get_number(L, el, &e))
			return 2;
		if (e < 0)
			return ld_fail(L, el, "elasticity must not be negative");
		/* constant elasticity: demand scales as price^-e (price factor 1 - discount) */
		p->demand = pow(1 - p->discount, -e);
	}
	if (!(p->demand > 0) || p->demand > 1000)
		return ld_fail(L, s ? s : el, "demand multiplier must lie in (0, 1000], got %g", p->demand);
	p->classes = 0;
	if (!(s = ld_member(g, "classes"))) {
		p->classes = sc->nclasses >= 32 ? 0xffffffffu : (1u << sc->nclasses) - 1;
		return 0;
	}
	if (!config_setting_is_aggregate(s) || config_setting_length(s) < 1)
		return ld_fail(L, s, "classes must be a non-empty list of class names");
	for (int i = 0; i < config_setting_length(s); i++) {
		const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
		const char *name = NULL;
		if (ld_get_string(L, e, &name))
			return 2;
		int k = ld_find_class(sc, name);
		if (k < 0) {
			char hint[NAMES_HINT_MAX];
			size_t n = (size_t)sc->nclasses, stride = sizeof sc->classes[0];
			return ld_fail(L, e, "promotion \"%s\" names unknown class \"%s\"%s",
				       p->name, name,
				       names_hint_in(name, sc->classes[0].name, n, stride, hint,
						     sizeof hint));
		}
		p->classes |= 1u << k;
	}
	return 0;
}

static int load_promotions(loader *L, const config_setting_t *list)
{
	scenario *sc = L->sc;
	sc->npromos = 0;
	promos_layout(sc); /* no window scopes */
	if (!list)
		return 0;
	if (!config_setting_is_list(list))
		return ld_fail(L, list, "promotions must be a list ( {...}, {...} )");
	if (config_setting_length(list) > SC_MAX_PROMOS)
		return ld_fail(L, list, "at most %d promotions", SC_MAX_PROMOS);
	for (int i = 0; i < config_setting_length(list); i++) {
		const config_setting_t *g = config_setting_get_elem(list, (unsigned)i);
		promo_spec *p = &sc->promos[i];
		if (load_promo(L, g, p))
			return 2;
		sc->npromos++;
		promos_layout(sc); /* each one's occurrences before the horizon, for the check */
		for (int j = 0; j < i; j++) {
			const promo_spec *q = &sc->promos[j];
			if (!strcmp(p->name, q->name))
				return ld_fail(L, g, "promotion \"%s\" is defined twice", p->name);
			double t = promos_clash(p, q, sc->horizon);
			if (t >= 0 && !(p->repeat > 0) && !(q->repeat > 0))
				return ld_fail(L, g, "promotion \"%s\" overlaps \"%s\"", p->name, q->name);
			if (t >= 0)
				return ld_fail(L, g, "promotion \"%s\" overlaps \"%s\" at %g s", p->name, q->name, t);
		}
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
		return ld_fail(L, g, "tenants must be a group { weights = \"zipf\"; quota_gpus = 8; }");
	if (ld_check_keys(L, g))
		return 2;
	if ((s = ld_member(g, "weights"))) {
		int n = sc->ntenants, zipf = 0;
		if (config_setting_type(s) == CONFIG_TYPE_STRING) {
			static const char *const kinds[] = {"equal", "zipf", NULL};
			if (ld_get_choice(L, s, "tenant weights", kinds, &zipf))
				return 2;
		} else if (!config_setting_is_aggregate(s) || config_setting_length(s) < 1) {
			return ld_fail(L, s, "weights must be \"equal\", \"zipf\" or a list of positive numbers [ 4, 2, 1 ]");
		} else if (config_setting_length(s) > n) {
			return ld_fail(L, s, "weights lists %d tenants, the scenario has %d", config_setting_length(s), n);
		}
		if (!(sc->tenant_weight = malloc((size_t)n * sizeof *sc->tenant_weight)))
			return ld_fail(L, s, "no memory for %d tenant weights", n);
		double zs = 0;
		for (int k = 0; k < sc->nclasses && zipf; k++)
			if (sc->classes[k].ntenants > 1 && zs == 0)
				zs = sc->classes[k].zipf_s;
		for (int t = 0; t < n; t++)
			sc->tenant_weight[t] = zipf && t < sc->zipf_tenants ? pow(t + 1, -zs) : 1;
		for (int t = 0; config_setting_type(s) != CONFIG_TYPE_STRING && t < config_setting_length(s); t++) {
			const config_setting_t *e = config_setting_get_elem(s, (unsigned)t);
			if (ld_get_number(L, e, &sc->tenant_weight[t]))
				return 2;
			if (!(sc->tenant_weight[t] > 0) || sc->tenant_weight[t] > 1e9)
				return ld_fail(L, e, "tenant weight %d must lie in (0, 1e9], got %g", t + 1, sc->tenant_weight[t]);
		}
	}
	if ((s = ld_member(g, "quota_gpus"))) {
		double q;
		if (ld_get_number(L, s, &q))
			return 2;
		if (!(q > 0) || q * SC_MILLI > INT_MAX)
			return ld_fail(L, s, "quota_gpus must be positive, got %g", q);
		sc->quota_milli = (int)lround(q * SC_MILLI);
		for (int k = 0; k < sc->nclasses; k++)
			if (sc->classes[k].gpus_milli > sc->quota_milli)
				return ld_fail(L, s, "quota_gpus = %g is below class \"%s\"'s %g GPUs: its jobs could never run", q,
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
		return ld_fail(L, out, "output must be a group { plots = true; ... }");
	if (ld_check_keys(L, out))
		return 2;
	if ((s = ld_member(out, "plots")) && ld_get_bool(L, s, &sc->plots))
		return 2;
	if ((s = ld_member(out, "jobs")) && ld_get_bool(L, s, &sc->jobs_csv))
		return 2;
	if ((s = ld_member(out, "timeseries_step")) && ld_get_duration(L, s, 0, &sc->timeseries_step))
		return 2;
	/* The objective is only read by the report, from run.json; checked here so that a
	 * misspelt metric or scope stops the run before it starts, not after. */
	const char *text = NULL;
	if ((s = ld_member(out, "objective"))) {
		objective o;
		char err[1500];
		if (ld_get_string(L, s, &text))
			return 2;
		if (objective_parse(text, &o, err, sizeof err))
			return ld_fail(L, s, "%s", err);
		for (int i = -1; i < o.nbounds; i++) {
			const char *scope = (i < 0 ? &o.goal : &o.bound[i])->scope;
			if (!objective_scope_ok(sc, scope)) {
				char list[1000];
				return ld_fail(L, s, "unknown scope \"%s\"; valid: %s", scope,
					       scope_choices(sc, list, sizeof list));
			}
		}
	}
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
		return ld_fail(L, list, "calibration must be a list of calibration files, e.g. [ \"models/calibration/h100-sxm.cfg\" ]");
	if (config_setting_length(list) > SC_MAX_POOLS)
		return ld_fail(L, list, "at most %d calibration files", SC_MAX_POOLS);
	if (config_setting_length(list) > 0 &&
	    !(sc->calib = calloc((size_t)config_setting_length(list), sizeof *sc->calib)))
		return ld_fail(L, list, "out of memory");
	for (int i = 0; i < config_setting_length(list); i++) {
		const config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
		const char *text = NULL;
		char path[4096];
		if (ld_get_string(L, e, &text))
			return 2;
		if (text[0] == '/')
			snprintf(path, sizeof path, "%s", text);
		else
			snprintf(path, sizeof path, "%.2000s/%.2000s", sc->dir, text);
		errno = 0;
		if (!ld_readable_file(path))
			return ld_fail(L, e, "calibration file %s: cannot read: %s", path, errno ? strerror(errno) : "a folder");
		char msg[1024];
		if (calib_load(&sc->calib[i], path, msg, sizeof msg))
			return ld_fail(L, e, "%s", msg);
		sc->ncalib = i + 1;
		for (int j = 0; j < i; j++)
			if (!strcasecmp(sc->calib[j].gpu, sc->calib[i].gpu))
				return ld_fail(L, e, "calibration files %s and %s both describe GPU \"%s\"", sc->calib[j].path, path,
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
		return ld_fail(L, g, "precision must be a group { metrics = [\"wait_p95\"]; relative = 0.05; max_replications = 200; }");
	if (ld_check_keys(L, g) || ld_need(L, g, "metrics", &s))
		return 2;
	if (!config_setting_is_aggregate(s) || config_setting_length(s) < 1)
		return ld_fail(L, s, "metrics must be a non-empty list of metric names, e.g. [ \"wait_p95\" ]");
	if (config_setting_length(s) > SC_MAX_PRECISION_METRICS)
		return ld_fail(L, s, "at most %d precision metrics", SC_MAX_PRECISION_METRICS);
	int scope = 0;
	const config_setting_t *sc_set = ld_member(g, "scope");
	if (sc_set) {
		const char *name = NULL;
		char buf[SC_NAME_MAX + 16];
		if (ld_get_string(L, sc_set, &name))
			return 2;
		for (scope = scope_count(sc) - 1; scope >= 0; scope--)
			if (!strcmp(scope_name(sc, scope, buf, sizeof buf), name))
				break;
		if (scope < 0) {
			char hint[NAMES_HINT_MAX], valid[1024];
			const char *names[MAX_SCOPES + 1];
			char bufs[MAX_SCOPES][SC_NAME_MAX + 16];
			int ns = scope_count(sc);
			for (int i = 0; i < ns; i++)
				names[i] = scope_name(sc, i, bufs[i], sizeof bufs[i]);
			names[ns] = NULL;
			return ld_fail(L, sc_set, "unknown scope \"%s\"%s; valid: %s", name,
				       names_hint(name, names, hint, sizeof hint),
				       scope_choices(sc, valid, sizeof valid));
		}
	}
	p->scope = scope;
	for (int i = 0; i < config_setting_length(s); i++) {
		const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
		const char *name = NULL;
		if (ld_get_string(L, e, &name))
			return 2;
		int m = 0;
		while (m < M_COUNT && strcmp(metric_names[m], name))
			m++;
		char valid[1024];
		if (m == M_COUNT) {
			char hint[NAMES_HINT_MAX];
			return ld_fail(L, e, "unknown metric \"%s\"%s; valid: %s", name,
				       names_hint_n(name, metric_names, M_COUNT, hint,
						    sizeof hint),
				       metric_choices(scope_kind_of(sc, scope), valid, sizeof valid));
		}
		if (!metric_applies((metric_id)m, scope_kind_of(sc, scope)))
			return ld_fail(L, e, "metric \"%s\" is not reported for scope \"%s\" (only for %s)",
				       name, sc_set ? config_setting_get_string(sc_set) : "all",
				       metric_scope_kinds((metric_id)m, valid, sizeof valid));
		p->metric[p->nmetrics++] = m;
	}
	rel = ld_member(g, "relative");
	abs_ = ld_member(g, "absolute");
	if (!rel == !abs_)
		return ld_fail(L, g, "precision needs exactly one target: relative = 0.05 (of the mean) or absolute = X (in the metric's unit)");
	if (rel) {
		if (ld_get_number(L, rel, &p->relative))
			return 2;
		if (!(p->relative > 0 && p->relative < 1))
			return ld_fail(L, rel, "relative must lie in (0, 1), got %g", p->relative);
	}
	if (abs_) {
		if (ld_get_number(L, abs_, &p->absolute))
			return 2;
		if (!(p->absolute > 0))
			return ld_fail(L, abs_, "absolute must be positive, got %g", p->absolute);
	}
	p->max_replications = 200;
	if ((s = ld_member(g, "max_replications"))) {
		if (ld_get_int(L, s, 2, 100000, &v))
			return 2;
		p->max_replications = (int)v;
	}
	if (p->max_replications < sc->replications) {
		const config_setting_t *at = s ? s : g;
		return ld_fail(L, at, "max_replications (%d) is below run.replications (%d), where precision-driven runs start",
			       p->max_replications, sc->replications);
	}
	return 0;
}

static int load_all(loader *L)
{
	scenario *sc = L->sc;
	const config_setting_t *root = config_root_setting(&sc->cfg), *s;
	if (ld_check_keys(L, root))
		return 2;
	/* The default name is the file's, without folder or extension. */
	const char *base = strrchr(sc->path, '/');
	snprintf(sc->name, sizeof sc->name, "%.63s", base ? base + 1 : sc->path);
	char *dot = strrchr(sc->name, '.');
	if (dot && dot != sc->name)
		*dot = 0;
	/* It names the folder results/NAME: a byte of the file name that could not (a
	 * control, broken UTF-8 such as a sequence cut at 63 bytes, a leading '.') becomes
	 * '_'. A name the scenario sets is refused instead, with its line. */
	for (size_t i = 0; sc->name[i];) {
		unsigned cp = 0;
		size_t n = names_utf8_next(sc->name + i, &cp);
		if (!n || names_is_control(cp) || (i == 0 && cp == '.'))
			sc->name[i] = '_', n = 1;
		i += n;
	}
	char why[160];
	if ((s = ld_member(root, "name")) &&
	    (ld_get_name(L, s, sc->name) ||
	     (names_check(sc->name, 1, why, sizeof why) &&
	      ld_fail(L, s, "name \"%s\" %s: it names the folder results/NAME", sc->name, why))))
		return 2;
	strcpy(sc->currency, "USD");
	if ((s = ld_member(root, "currency"))) {
		const char *c = NULL;
		if (ld_get_string(L, s, &c))
			return 2;
		if (!*c || strlen(c) >= sizeof sc->currency || names_check(c, 0, why, sizeof why))
			return ld_fail(L, s, "currency must be a short code such as \"USD\"");
		strcpy(sc->currency, c);
	}
	/* The order matters: the workload's classes name pools and GPU types (cluster,
	 * calibration), and promotions, policies and tenants name the classes. */
	if (load_run(L, ld_member(root, "run")) || load_cluster(L, ld_member(root, "cluster")) ||
	    load_calibration(L, ld_member(root, "calibration")) ||
	    load_workload(L, ld_member(root, "workload")) ||
	    load_promotions(L, ld_member(root, "promotions")) ||
	    ld_load_policies(L, ld_member(root, "policies")) || load_output(L, ld_member(root, "output")) ||
	    load_tenants(L, ld_member(root, "tenants")))
		return 2;
	if (ld_load_placement(L, ld_member(root, "placement")))
		return 2;
	return load_precision(L, ld_member(ld_member(root, "run"), "precision"));
}

static int load_with(scenario *sc, const char *path, const sc_override *ov, int nov, char *err,
		     size_t errlen, int pod_list)
{
	loader L = {.sc = sc, .err = err, .errlen = errlen, .pod_list = pod_list};
	memset(sc, 0, sizeof *sc);
	snprintf(sc->path, sizeof sc->path, "%s", path);
	char dir[sizeof sc->dir];
	snprintf(dir, sizeof dir, "%s", path);
	snprintf(sc->dir, sizeof sc->dir, "%s", dirname(dir));
	if (cfgfile_read(&sc->cfg, path, err, errlen))
		return 2;
	/* Integers libconfig would have cut to 32 bits (see scenario_override.c). */
	if (ld_check_cut_ints(&sc->cfg, path, err, errlen)) {
		config_destroy(&sc->cfg);
		return 2;
	}
	/* Overrides go into the parsed tree before any section is read: a --set value is
	 * then checked by the very code that checks the file, and its errors name it. */
	for (int i = 0; i < nov; i++)
		if (ld_apply_override(&L, &ov[i])) {
			scenario_free(sc);
			return 2;
		}
	if (load_all(&L)) {
		scenario_free(sc);
		return 2;
	}
	return 0;
}

int scenario_load(scenario *sc, const char *path, const sc_override *ov, int nov, char *err, size_t errlen)
{
	return load_with(sc, path, ov, nov, err, errlen, 0);
}

int scenario_load_pod_list(scenario *sc, const char *path, const sc_override *ov, int nov,
			   char *err, size_t errlen)
{
	return load_with(sc, path, ov, nov, err, errlen, 1);
}

const char *scenario_place(const scenario *sc, const char *key, char *buf, size_t len)
{
	const config_setting_t *s = config_lookup(&sc->cfg, key);
	const char *who = s ? config_setting_get_hook(s) : NULL;
	char file[4096];
	if (who)
		snprintf(buf, len, "%s", who);
	else if (s && config_setting_source_line(s) > 0)
		snprintf(buf, len, "%s:%d", cfgfile_source(s, sc->path, file, sizeof file), config_setting_source_line(s));
	else
		snprintf(buf, len, "%s", sc->path);
	return buf;
}
