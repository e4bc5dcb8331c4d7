/* scenario_workload.c - the scenario's workload section: job classes (pools, GPUs,
 * service time or a kernel profile priced on calibration tables, tenants, patience,
 * balking), Poisson arrivals with their daily profile, tenant numbering. A file of its
 * own as the largest section, whose class rules a replayed trace (scenario_trace.c) reuses:
 * calls run from scenario_trace.c to here, never back. */
#include "scenario_internal.h"

#include <dirent.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "names.h"
#include "units.h"

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
		return ld_fail(L, g, "balking must be a group { wait_scale = \"30m\"; price_elasticity = 1.0; }");
	if (ld_check_keys(L, g) || ld_need(L, g, "wait_scale", &s) || ld_get_duration(L, s, 0, &c->balk_wait_scale))
		return 2;
	c->balk_price_elasticity = 0;
	if ((s = ld_member(g, "price_elasticity"))) {
		if (ld_get_number(L, s, &c->balk_price_elasticity))
			return 2;
		if (c->balk_price_elasticity < 0 || c->balk_price_elasticity > 100)
			return ld_fail(L, s, "price_elasticity must lie in [0, 100], got %g", c->balk_price_elasticity);
	}
	c->has_balking = 1;
	L->sc->has_balking = 1;
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
	const config_setting_t *list = ld_member(g, "pools");
	c->npools = 0;
	if (!list) {
		for (int i = 0; i < sc->npools; i++)
			c->pools[c->npools++] = i;
		return 0;
	}
	if (!config_setting_is_aggregate(list) || config_setting_length(list) < 1)
		return ld_fail(L, list, "pools must be a non-empty list of pool names, e.g. [ \"h100\" ]");
	for (int i = 0; i < config_setting_length(list) && i < SC_MAX_POOLS; i++) {
		const config_setting_t *s = config_setting_get_elem(list, (unsigned)i);
		const char *name = NULL;
		if (ld_get_string(L, s, &name))
			return 2;
		int p = find_pool(sc, name);
		if (p < 0) {
			char hint[NAMES_HINT_MAX];
			size_t n = (size_t)sc->npools, stride = sizeof sc->pools[0];
			return ld_fail(L, s, "class \"%s\" names unknown pool \"%s\"%s", c->name,
				       name, names_hint_in(name, sc->pools[0].name, n, stride, hint,
							   sizeof hint));
		}
		c->pools[c->npools++] = p;
	}
	return 0;
}

/* Can some pool class c may use run a job of this many GPUs: a fraction of one, a
 * whole number up to a node, or whole nodes at once? */
int ld_gpus_fit(const scenario *sc, const class_spec *c, double gpus)
{
	int fits = gpus < 1;
	for (int i = 0; i < c->npools; i++) {
		const pool_spec *p = &sc->pools[c->pools[i]];
		fits |= gpus <= p->gpus_per_node || (fmod(gpus, p->gpus_per_node) == 0 &&
						     gpus / p->gpus_per_node <= scenario_pool_full_nodes(sc, c->pools[i]));
	}
	return fits;
}

/* A limit of 0 (none) as more than any job asks, so kinds compare without a case */
static long long limit_of(int v)
{
	return v > 0 ? v : LLONG_MAX / (SC_POOL_RES + 1);
}

/* The most that `want` of pool p's full-size nodes hold together of one resource (cpu:
 * 1, memory: 0): the richest kinds first; -1 when the pool has fewer such nodes. */
static long long top_sum(const pool_spec *p, int want, int cpu)
{
	long long v[SC_POOL_RES + 1], sum = 0;
	int cnt[SC_POOL_RES + 1], n = 0;
	for (int r = 0; r < (p->nres ? p->nres : 1); r++) {
		if (p->nres && p->res[r].gpus != p->gpus_per_node)
			continue;
		v[n] = limit_of(cpu ? (p->nres ? p->res[r].cpu_milli : p->cpu_milli)
				    : (p->nres ? p->res[r].memory_mib : p->memory_mib));
		cnt[n++] = p->nres ? p->res[r].nodes : p->nodes;
	}
	while (want > 0) {
		int b = -1;
		for (int i = 0; i < n; i++)
			if (cnt[i] > 0 && (b < 0 || v[i] > v[b]))
				b = i;
		if (b < 0)
			return -1; /* fewer full-size nodes than it needs */
		int take = cnt[b] < want ? cnt[b] : want;
		sum += v[b] * take;
		want -= take;
		cnt[b] -= take;
	}
	return sum;
}

/* Can a job of milli thousandths of GPUs, cpu milli-cores and mem MiB run on pool p's own
 * nodes? On one node with the GPUs (for a fraction, one GPU), CPU and memory; a gang
 * (more GPUs than a node has) takes its full-size nodes whole, their CPU and memory
 * too, so what as many of them as it needs hold together must cover its request (the
 * richest nodes for CPU and for memory, each on its own: a necessary condition). */
static int pool_need_fits(const pool_spec *p, int milli, int cpu, int mem)
{
	int whole = p->gpus_per_node * SC_MILLI;
	if (milli > whole) {
		if (whole == 0 || milli % whole)
			return 0;
		int want = milli / whole;
		return top_sum(p, want, 1) >= cpu && top_sum(p, want, 0) >= mem;
	}
	for (int r = 0; r < (p->nres ? p->nres : 1); r++) {
		int gpus = p->nres ? p->res[r].gpus : p->gpus_per_node;
		int c = p->nres ? p->res[r].cpu_milli : p->cpu_milli;
		int m = p->nres ? p->res[r].memory_mib : p->memory_mib;
		if (milli <= gpus * SC_MILLI && limit_of(c) >= cpu && limit_of(m) >= mem)
			return 1;
	}
	return 0;
}

int ld_pool_fits(const scenario *sc, int q, int milli, int cpu, int mem)
{
	return pool_need_fits(&sc->pools[q], milli, cpu, mem);
}

int ld_need_fits(const scenario *sc, const class_spec *c, uint32_t allowed, int milli, int cpu,
		 int mem)
{
	for (int i = 0; i < c->npools; i++)
		if ((allowed >> c->pools[i] & 1) && pool_need_fits(&sc->pools[c->pools[i]], milli, cpu, mem))
			return 1;
	return 0;
}

int ld_is_gang(const scenario *sc, const class_spec *c, int milli)
{
	for (int i = 0; i < c->npools; i++)
		if (milli <= sc->pools[c->pools[i]].gpus_per_node * SC_MILLI)
			return 0;
	return c->npools > 0;
}

static int load_gpus(loader *L, const config_setting_t *g, class_spec *c)
{
	const config_setting_t *s = ld_member(g, "gpus");
	double gpus = 1;
	if (s && ld_get_number(L, s, &gpus))
		return 2;
	if (!(gpus > 0))
		return ld_fail(L, s, "gpus must be positive, got %g", gpus);
	double milli = gpus * SC_MILLI;
	if (gpus < 1 ? fabs(milli - round(milli)) > 1e-6 : gpus != floor(gpus))
		return ld_fail(L, s, "gpus must be a whole number, or a fraction of one GPU in thousandths (0.25, 0.5), got %g", gpus);
	/* Under a millionth of a thousandth passed the test above and made a job of 0 GPUs
	 * (gpus = 1e-25, found by tests/fuzz/fuzz_override). */
	if (milli < 0.5)
		return ld_fail(L, s, "gpus must be at least 0.001 (a thousandth of a GPU), got %g", gpus);
	/* A job's GPUs are an int of thousandths: a gang of 100000 nodes x 64 GPUs would not
	 * fit (tests/fuzz/corpus/override/edge-gang-gpus-overflow-int). */
	if (milli > INT_MAX)
		return ld_fail(L, s, "class \"%s\" asks for %g GPUs; a job may ask for at most %d", c->name, gpus, INT_MAX / SC_MILLI);
	/* It must fit some pool it may use: within a node, or as whole nodes (a gang). */
	int largest = 0;
	for (int i = 0; i < c->npools; i++)
		largest = L->sc->pools[c->pools[i]].gpus_per_node > largest ? L->sc->pools[c->pools[i]].gpus_per_node : largest;
	if (!ld_gpus_fit(L->sc, c, gpus))
		return ld_fail(L, s,
			       "class \"%s\" asks for %g GPUs: more than any node it may use has (%d) and not a whole "
			       "number of nodes any of its pools can give at once",
			       c->name, gpus, largest);
	c->gpus_milli = (int)lround(milli);
	return 0;
}

/* "zipf(N, s)": N tenants, tenant i submitting with probability proportional to i^-s. */
/* CPU in cores (thousandths exact) and memory in MiB, keys cpu_key and mem_key of g;
 * absent or 0: not limited (a node) or none asked for (a job). */
int ld_get_cpu_memory(loader *L, const config_setting_t *g, const char *cpu_key, const char *mem_key, int *cpu_milli,
		      int *memory_mib)
{
	const config_setting_t *s;
	double cores = 0;
	long long mib = 0;
	if ((s = ld_member(g, cpu_key))) {
		if (ld_get_number(L, s, &cores))
			return 2;
		double milli = cores * 1000;
		if (!(cores >= 0) || milli > SC_MAX_CPU_MILLI || fabs(milli - round(milli)) > 1e-6)
			return ld_fail(L, s, "%s must be a number of cores from 0 to %d in thousandths, got %g", cpu_key,
				       SC_MAX_CPU_MILLI / 1000, cores);
	}
	if ((s = ld_member(g, mem_key)) && ld_get_int(L, s, 0, SC_MAX_MEMORY_MIB, &mib))
		return 2;
	*cpu_milli = (int)llround(cores * 1000);
	*memory_mib = (int)mib;
	return 0;
}

/* cpus and memory: a job's CPU and memory on its node, which some node of its pools
 * must have (0, a node without a limit, has any). A trace's pods bring their own. */
static int load_cpu_memory(loader *L, const config_setting_t *g, class_spec *c)
{
	const scenario *sc = L->sc;
	const config_setting_t *s = ld_member(g, "cpus") ? ld_member(g, "cpus") : ld_member(g, "memory");
	if (ld_get_cpu_memory(L, g, "cpus", "memory", &c->cpu_milli, &c->memory_mib))
		return 2;
	if (!c->cpu_milli && !c->memory_mib)
		return 0;
	if (sc->trace)
		return ld_fail(L, s, "a replayed trace gives each job its CPU and memory (pod_resources): no \"%s\" here",
			       config_setting_name(s));
	if (ld_need_fits(sc, c, ~0u, c->gpus_milli, c->cpu_milli, c->memory_mib))
		return 0;
	if (ld_is_gang(sc, c, c->gpus_milli))
		return ld_fail(L, s,
			       "class \"%s\" asks for %g GPUs, %g cores and %d MiB: a gang takes whole nodes, "
			       "and no %g GPUs' worth of nodes of one of its pools has that much CPU and memory "
			       "together",
			       c->name, c->gpus_milli / 1000.0, c->cpu_milli / 1000.0, c->memory_mib,
			       c->gpus_milli / 1000.0);
	return ld_fail(L, s, "class \"%s\" asks for %g GPUs, %g cores and %d MiB: no node of its pools has that much",
		       c->name, c->gpus_milli / 1000.0, c->cpu_milli / 1000.0, c->memory_mib);
}

static int get_tenant_mix(loader *L, const config_setting_t *s, class_spec *c)
{
	const char *text = NULL;
	if (ld_get_string(L, s, &text))
		return 2;
	int n, used = 0;
	double e;
	if (sscanf(text, " zipf ( %d , %lf ) %n", &n, &e, &used) != 2 || text[used] || !isfinite(e))
		return ld_fail(L, s, "tenant_mix must look like \"zipf(200, 1.1)\" (tenants, exponent), got \"%s\"", text);
	if (n < 1 || n > 100000 || e < 0 || e > 10)
		return ld_fail(L, s, "tenant_mix needs 1-100000 tenants and an exponent in [0, 10], got \"%s\"", text);
	c->ntenants = n;
	c->zipf_s = e;
	return 0;
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
	const config_setting_t *s, *prof = ld_member(g, "profile"), *steps = ld_member(g, "steps");
	const char *name = NULL;
	char path[4096], msg[1024];
	if ((s = ld_member(g, "service")))
		return ld_fail(L, s, "class \"%s\": give either \"service\" or \"profile\" + \"steps\", not both", c->name);
	if (!prof)
		return ld_fail(L, steps, "class \"%s\": \"steps\" needs a \"profile\" (the kernel mix of one step)", c->name);
	if (!steps)
		return ld_fail(L, prof, "class \"%s\": a profile needs \"steps\", the steps a job runs (e.g. \"lognormal(20000, 1.0)\")",
			       c->name);
	if (ld_get_string(L, prof, &name) || ld_get_dist(L, steps, 0, &c->steps))
		return 2;
	if (!(c->steps.mean > 0) || (c->steps.kind == DIST_UNIFORM && c->steps.p1 < 0))
		return ld_fail(L, steps, "steps must have a positive mean and no negative values");
	c->has_steps = 1;
	if (service_profile_find(path, sizeof path, name, sc->dir) || !ld_readable_file(path)) {
		char names[64][CALIB_NAME_MAX];
		const char *list[65];
		int n = profile_names(sc->dir, names, 64);
		for (int i = 0; i < n; i++)
			list[i] = names[i];
		list[n] = NULL;
		char hint[NAMES_HINT_MAX];
		if (access(path, R_OK) == 0) /* found, but a folder */
			snprintf(path, sizeof path, "profile \"%s\" is a folder, not a profile file", name);
		return ld_fail(L, prof, "%s%s", path, names_hint(name, list, hint, sizeof hint));
	}
	if (sc->ncalib == 0)
		return ld_fail(L, prof,
			       "class \"%s\": profile \"%s\" is priced from calibration files and the scenario lists none "
			       "(calibration = [ \"models/calibration/h100-sxm.cfg\", ... ])",
			       c->name, name);
	service_profile p;
	if (service_profile_load(&p, path, msg, sizeof msg)) /* its own FILE:LINE, after ours */
		return ld_fail(L, prof, "%s", msg);
	const calib_table *tables[SC_MAX_POOLS];
	for (int i = 0; i < sc->ncalib; i++)
		tables[i] = &sc->calib[i];
	int rc = service_init(&c->svc, &p, tables, sc->ncalib, msg, sizeof msg);
	service_profile_free(&p);
	if (rc)
		return ld_fail(L, prof, "%s", msg);
	for (int q = 0; q < sc->npools; q++)
		c->pool_gpu[q] = service_gpu_index(&c->svc, sc->pools[q].gpu);
	for (int i = 0; i < c->npools; i++) {
		const pool_spec *pool = &sc->pools[c->pools[i]];
		int gpu = c->pool_gpu[c->pools[i]];
		double gpus = (double)c->gpus_milli / SC_MILLI;
		if (gpu < 0)
			return ld_fail(L, prof,
				       "class \"%s\": pool \"%s\" (gpu \"%s\") has no calibration file: list one whose gpu is "
				       "\"%s\" under calibration = [ ... ]",
				       c->name, pool->name, pool->gpu, pool->gpu);
		if (!service_fits(&c->svc, gpu, gpus)) {
			const calib_table *t = c->svc.gpu[gpu].table;
			double mem = t->peaks.memory_gb > 0 ? t->peaks.memory_gb : t->memory_bytes / 1e9;
			return ld_fail(L, prof,
				       "class \"%s\": profile \"%s\" needs at least %d GPUs and %.4g GB of GPU memory; "
				       "%g GPUs of pool \"%s\" (%s, %.4g GB each) are not enough",
				       c->name, name, c->svc.profile.min_gpus, c->svc.profile.memory_gb, gpus, pool->name,
				       pool->gpu, mem);
		}
	}
	return 0;
}

int ld_load_class(loader *L, const config_setting_t *g, class_spec *c)
{
	const config_setting_t *s;
	long long v;
	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return ld_fail(L, g, "a class must be a group { name = ...; share = ...; ... }");
	if (ld_check_keys(L, g) || ld_need(L, g, "name", &s) || ld_get_name(L, s, c->name))
		return 2;
	c->share = 1;
	if ((s = ld_member(g, "share")) && ld_get_number(L, s, &c->share))
		return 2;
	if (!(c->share > 0 && c->share <= 1))
		return ld_fail(L, s ? s : g, "share must lie in (0, 1], got %g", c->share);
	c->priority = 0;
	if ((s = ld_member(g, "priority"))) {
		if (ld_get_int(L, s, 0, 1000, &v))
			return 2;
		c->priority = (int)v;
	}
	if (load_class_pools(L, g, c) || load_gpus(L, g, c) || load_cpu_memory(L, g, c))
		return 2;
	if (L->sc->trace) { /* sizes and durations come from the trace, job by job */
		if ((s = ld_member(g, "service")) || (s = ld_member(g, "profile")) || (s = ld_member(g, "steps")))
			return ld_fail(L, s, "a replayed trace gives each job its duration: no \"%s\" here", config_setting_name(s));
	} else if (ld_member(g, "profile") || ld_member(g, "steps")) {
		if (load_class_profile(L, g, c))
			return 2;
	} else {
		if (!(s = ld_member(g, "service")))
			return ld_fail(L, g, "missing key \"service\" (or \"profile\" + \"steps\")");
		if (ld_get_dist(L, s, 1, &c->service))
			return 2;
		if (!(c->service.mean > 0))
			return ld_fail(L, s, "service time must have a positive mean");
	}
	/* estimate = "history": learned from the tenant's finished jobs (platform), with
	 * estimate_fallback as the factor until two exist; else estimate is the factor */
	c->estimate_history = (s = ld_member(g, "estimate")) && config_setting_type(s) == CONFIG_TYPE_STRING &&
			      !strcmp(config_setting_get_string(s), "history");
	const config_setting_t *fb = ld_member(g, "estimate_fallback");
	if (fb && !c->estimate_history)
		return ld_fail(L, fb, "estimate_fallback applies to estimate = \"history\"");
	if (c->estimate_history)
		s = fb;
	/* a word that is no distribution is most likely "history" mistyped */
	const char *word = s && config_setting_type(s) == CONFIG_TYPE_STRING ? config_setting_get_string(s) : NULL;
	static const char *const learned[] = {"history", NULL};
	char hint[NAMES_HINT_MAX];
	if (word && !strchr(word, '(') && names_hint(word, learned, hint, sizeof hint)[0])
		return ld_fail(L, s, "estimate \"%s\" is neither \"history\" nor a distribution%s", word, hint);
	if (s) {
		if (ld_get_dist(L, s, 0, &c->estimate))
			return 2;
		if (!(c->estimate.mean > 0))
			return ld_fail(L, s, "estimate is a factor on the true runtime and must have a positive mean");
	} else {
		char msg[64];
		dist_parse(&c->estimate, "constant(1)", 0, NULL, msg, sizeof msg); /* exact estimates */
	}
	c->ntenants = 1;
	c->zipf_s = 0;
	if ((s = ld_member(g, "tenant_mix")) && get_tenant_mix(L, s, c))
		return 2;
	c->has_patience = 0;
	if ((s = ld_member(g, "patience"))) {
		if (ld_get_dist(L, s, 1, &c->patience))
			return 2;
		c->has_patience = 1;
	}
	return load_balking(L, ld_member(g, "balking"), c) || ld_load_class_faults(L, g, c) ? 2 : 0;
}

/* daily_profile (24 hourly factors) or weekly_profile (7 daily ones, monday first):
 * n rate factors into out, none negative, not all zero. */
static int load_factors(loader *L, const config_setting_t *s, const char *what, int n, const char *unit,
			double *out)
{
	if (!config_setting_is_aggregate(s) || config_setting_length(s) != n)
		return ld_fail(L, s, "%s must list %d %s rate factors, got %d", what, n, unit,
			       config_setting_length(s));
	double sum = 0;
	for (int h = 0; h < n; h++) {
		if (ld_get_number(L, config_setting_get_elem(s, (unsigned)h), &out[h]))
			return 2;
		if (out[h] < 0)
			return ld_fail(L, s, "%s %s %d is negative", what, n == 24 ? "hour" : "day", h);
		sum += out[h];
	}
	if (!(sum > 0))
		return ld_fail(L, s, "%s is all zero: no job would ever arrive", what);
	return 0;
}

/* Tenant numbering: zipf tenants first (shared by name), then one per other class. */
void ld_number_tenants(scenario *sc)
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
		/* every class's tenants are numbered inside [0, ntenants) */
		FG_ASSERT(c->tenant_base >= 0 && c->tenant_base + c->ntenants <= sc->ntenants);
	}
}

/* arrivals.process = "poisson" (the default): a rate, daily and weekly profiles, and the classes
 * with their shares. The workload group and its process were read by the caller
 * (scenario_load.c), which sends a trace to scenario_trace.c instead: this file stays
 * below the trace loader, which reuses its class rules, and never calls up into it. */
int ld_load_poisson_workload(loader *L, const config_setting_t *w, const config_setting_t *arr)
{
	scenario *sc = L->sc;
	const config_setting_t *classes, *s;
	const char *text = NULL;
	char msg[256];
	FG_ASSERT(w && arr && !sc->trace);
	static const char *const trace_only[] = {"file", "format", "on_bad", "speedup", "scale", "pod_resources",
						 "cpu_pods", NULL};
	for (int i = 0; trace_only[i]; i++)
		if ((s = ld_member(arr, trace_only[i])))
			return ld_fail(L, s, "\"%s\" applies to a replayed trace (process = \"trace\"); a Poisson process has "
				       "its rate", trace_only[i]);
	if (ld_need(L, arr, "rate", &s) || ld_get_string(L, s, &text))
		return 2;
	if (units_rate(text, &sc->rate, msg, sizeof msg))
		return ld_fail(L, s, "%s", msg);
	if (!(sc->rate > 0))
		return ld_fail(L, s, "rate must be positive");
	sc->has_profile = sc->has_weekly = 0;
	if ((s = ld_member(arr, "daily_profile"))) {
		if (load_factors(L, s, "daily_profile", 24, "hourly", sc->daily_profile))
			return 2;
		sc->has_profile = 1;
	}
	if ((s = ld_member(arr, "weekly_profile"))) { /* on top of the daily one (promos.c) */
		if (load_factors(L, s, "weekly_profile", 7, "daily (monday first)", sc->weekly_profile))
			return 2;
		sc->has_weekly = 1;
	}

	if (ld_need(L, w, "classes", &classes))
		return 2;
	if (!config_setting_is_list(classes) || config_setting_length(classes) < 1)
		return ld_fail(L, classes, "classes must be a non-empty list ( {...}, {...} )");
	if (config_setting_length(classes) > SC_MAX_CLASSES)
		return ld_fail(L, classes, "at most %d classes", SC_MAX_CLASSES);
	double total = 0;
	int n = config_setting_length(classes);
	for (int i = 0; i < n; i++) {
		const config_setting_t *g = config_setting_get_elem(classes, (unsigned)i);
		sc->nclasses = i + 1; /* so scenario_free releases what this class parsed */
		if (ld_load_class(L, g, &sc->classes[i]))
			return 2;
		for (int j = 0; j < i; j++)
			if (!strcmp(sc->classes[i].name, sc->classes[j].name))
				return ld_fail(L, g, "class \"%s\" is defined twice", sc->classes[i].name);
		total += sc->classes[i].share;
	}
	ld_number_tenants(sc);
	/* decimal shares (0.1, 0.2, 0.7) do not sum to exactly 1 in binary: 1e-9 forgives
	 * that rounding and no typo; arrivals.c pins the last cumulative share to 1 */
	if (fabs(total - 1) > 1e-9)
		return ld_fail(L, classes, "class shares must sum to 1, they sum to %.10g", total);
	return 0;
}

int ld_find_class(const scenario *sc, const char *name)
{
	for (int i = 0; i < sc->nclasses; i++)
		if (!strcmp(sc->classes[i].name, name))
			return i;
	return -1;
}
