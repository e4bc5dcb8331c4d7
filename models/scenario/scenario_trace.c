/* scenario_trace.c - a scenario built from recorded data through trace.c: a cluster
 * read from a node list (cluster.nodes_file) and a workload replayed from a job trace
 * (arrivals.process = "trace"). Kept apart from the hand-written pools and classes
 * because an error here is often placed in the data file, not in the scenario. */
#include "scenario_internal.h"

#include <stdio.h>
#include <string.h>

#include "check.h"
#include "cluster.h"
#include "gpushare.h"
#include "grow.h"
#include "load.h"
#include "trace.h"

_Static_assert(SC_POOL_SIZES == TRACE_POOL_SIZES, "a node list's pool sizes must fit a pool_spec");
_Static_assert(SC_POOL_RES == TRACE_POOL_RES, "a node list's node kinds must fit a pool_spec");

/* Loads a node list (cluster.nodes_file): one pool per GPU model, named after it, with
 * the nodes' own sizes and the cluster group's cost, price and minimum billing. A bad
 * row is reported at its FILE:LINE in the node list. */
int ld_load_nodes_file(loader *L, const config_setting_t *group, const config_setting_t *file)
{
	scenario *sc = L->sc;
	const config_setting_t *s;
	const char *text = NULL;
	int fmt = 0;
	static const char *const formats[] = {"alibaba", NULL};
	if ((s = ld_member(group, "pools")))
		return ld_fail(L, s, "give either \"pools\" or \"nodes_file\", not both");
	if (ld_get_string(L, file, &text))
		return 2;
	if ((s = ld_member(group, "format")) && ld_get_choice(L, s, "node list format", formats, &fmt))
		return 2;
	if (text[0] == '/')
		snprintf(sc->nodes_path, sizeof sc->nodes_path, "%s", text);
	else
		snprintf(sc->nodes_path, sizeof sc->nodes_path, "%.2000s/%.2000s", sc->dir, text);
	pool_spec money;
	memset(&money, 0, sizeof money);
	if (ld_load_pool_money(L, group, &money))
		return 2;
	FG_ASSERT(file && sc->npools == 0); /* a node list gives every pool */
	trace_pool tp[SC_MAX_POOLS];
	trace_node_stats st;
	int n = 0;
	char err[1024];
	if (trace_read_nodes(sc->nodes_path, tp, SC_MAX_POOLS, &n, &st, err, sizeof err))
		return ld_fail_in_file(L, file, sc->nodes_path, err);
	FG_ASSERT(n >= 0 && n <= SC_MAX_POOLS);
	sc->nodes_rows = st.rows;
	sc->nodes_cpu_only = st.cpu_only;
	sc->npools = n;
	for (int i = 0; i < n; i++) {
		pool_spec *p = &sc->pools[i];
		*p = money;
		snprintf(p->name, sizeof p->name, "%s", tp[i].model);
		snprintf(p->gpu, sizeof p->gpu, "%s", tp[i].model);
		if (tp[i].nodes > 100000)
			return ld_fail(L, file, "model \"%s\" has %d nodes in %s; a pool holds at most 100000", tp[i].model,
				       tp[i].nodes, sc->nodes_path);
		p->nodes = tp[i].nodes;
		p->gpus_per_node = tp[i].size[0].gpus;
		p->nsizes = tp[i].nsizes > 1 ? tp[i].nsizes : 0; /* one size: a plain uniform pool */
		for (int k = 0; k < tp[i].nsizes; k++) {
			p->size[k].gpus = tp[i].size[k].gpus;
			p->size[k].nodes = tp[i].size[k].nodes;
		}
		/* CPU and memory node by node: they matter only to jobs that ask for some */
		p->nres = tp[i].nres;
		for (int k = 0; k < tp[i].nres; k++)
			p->res[k] = (struct pool_res){tp[i].res[k].gpus, tp[i].res[k].nodes, tp[i].res[k].cpu_milli,
						      tp[i].res[k].memory_mib};
	}
	return 0;
}

/* A class the trace names and the scenario does not list: every pool, priority 0. */
static int add_trace_class(scenario *sc, const char *name)
{
	if (sc->nclasses == SC_MAX_CLASSES || !*name || strlen(name) >= SC_NAME_MAX)
		return -1;
	FG_ASSERT(sc->npools >= 1 && sc->nclasses >= 0);
	class_spec *c = &sc->classes[sc->nclasses];
	memset(c, 0, sizeof *c);
	strcpy(c->name, name);
	c->npools = sc->npools;
	for (int q = 0; q < sc->npools; q++)
		c->pools[q] = q;
	c->gpus_milli = SC_MILLI;
	c->ntenants = 1;
	char msg[64];
	int bad = dist_parse(&c->estimate, "constant(1)", 0, NULL, msg, sizeof msg);
	FG_ASSERT(!bad); /* a fixed, valid text */
	(void)bad;
	return sc->nclasses++;
}

/* pod_resources: can pod j run on some node of the pools its class and gpu_spec allow,
 * with its GPUs, CPU and memory (a gang: on its whole nodes together)? A job that never
 * fits would wait for ever. */
static int pod_fits(const scenario *sc, const class_spec *c, const trace_job *j)
{
	return ld_need_fits(sc, c, cluster_pools_of_spec(sc, j->gpu_spec), j->gpus_milli, j->cpu_milli,
			    j->memory_mib);
}

/* Adds job j's GPU-seconds to gs, spread over the pools it may run on (class c's, its
 * gpu_spec's where pods keep to it, those whose nodes hold it) in proportion to how many
 * jobs of its size each holds at once (its GPUs for a share or one GPU): the split
 * scenario_offered_load (load.h) makes for a sampled class, made job by job because a
 * trace's sizes differ (an 8-GPU pod loads only the pools with 8-GPU nodes). The
 * placement decides the real split. */
static void spread_work(const scenario *sc, const class_spec *c, const trace_job *j, double *gs)
{
	uint32_t spec = sc->pod_resources ? cluster_pools_of_spec(sc, j->gpu_spec) : UINT32_MAX;
	int cpu = sc->pod_resources ? j->cpu_milli : 0;
	int mem = sc->pod_resources ? j->memory_mib : 0;
	double total = 0, w[SC_MAX_POOLS];
	uint32_t may = 0;
	for (int i = 0; i < c->npools; i++) {
		int q = c->pools[i];
		if ((spec >> q & 1) && ld_pool_fits(sc, q, j->gpus_milli, cpu, mem)) {
			may |= 1u << q;
			/* a size no whole count of GPUs makes (1.5) packs nowhere: by GPUs then */
			long n = j->gpus_milli > 0 ? load_jobs_fit(sc, q, j->gpus_milli) : 0;
			total += w[q] = n > 0 ? (double)n : (double)scenario_pool_gpus(sc, q);
		}
	}
	if (!(total > 0)) /* the load's checks let no such job in; no load to place */
		return;
	for (int q = 0; q < sc->npools; q++)
		if (may >> q & 1)
			gs[q] += j->gpus * j->duration * w[q] / total;
}

/* The distinct task sizes of the replayed jobs and their counts, for the placements that
 * weigh the cluster against the workload (fgp_api.shape). Keyed as the fill experiment
 * keys a pod list's (GPUs, CPU, the models allowed: gs_typical_build), with the pools a
 * job may use standing for its models; memory is not part of a shape there either. */
typedef struct shape_count {
	gs_pod *pod;
	double *n;
	size_t cap_pod, cap_n;
	int len;
} shape_count;

static int shape_add(shape_count *sh, const scenario *sc, const class_spec *c, const trace_job *j)
{
	uint32_t pools = 0, all = sc->npools >= 32 ? 0xffffffffu : (1u << sc->npools) - 1;
	for (int i = 0; i < c->npools; i++)
		pools |= 1u << c->pools[i];
	if (sc->pod_resources)
		pools &= cluster_pools_of_spec(sc, j->gpu_spec);
	gs_pod p = gs_pod_of(j->gpus_milli, sc->pod_resources ? j->cpu_milli : 0, 0,
			     (pools & all) == all ? 0 : pools);
	for (int i = 0; i < sh->len; i++) /* few distinct sizes: a scan is enough */
		if (sh->pod[i].cpu == p.cpu && sh->pod[i].num_gpu == p.num_gpu &&
		    sh->pod[i].gpu_milli == p.gpu_milli && sh->pod[i].spec == p.spec) {
			sh->n[i] += 1;
			return 0;
		}
	if (GROW(sh->pod, sh->cap_pod, (size_t)sh->len + 1) || GROW(sh->n, sh->cap_n, (size_t)sh->len + 1))
		return -1;
	sh->pod[sh->len] = p;
	sh->n[sh->len++] = 1;
	return 0;
}

/* The shapes as the scenario keeps them (scenario.shapes): the most frequent covering
 * 95% of the jobs (gs_typical_cut), weights summing to 1. Takes sh's arrays. */
static int shapes_keep(scenario *sc, shape_count *sh)
{
	gs_typical t;
	gs_typical_cut(&t, sh->pod, sh->n, sh->len);
	sc->shapes = malloc(sizeof *sc->shapes * (size_t)(t.n > 0 ? t.n : 1));
	if (!sc->shapes) {
		gs_typical_free(&t);
		return -1;
	}
	for (int i = 0; i < t.n; i++) {
		const gs_pod *p = &t.pods[i];
		sc->shapes[i] = (fgp_shape){p->num_gpu * p->gpu_milli, p->cpu, 0,
					    p->spec ? p->spec : 0xffffffffu, t.freq[i]};
	}
	sc->nshapes = t.n;
	gs_typical_free(&t);
	return 0;
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
	trace *t = trace_open(sc->trace_path, (trace_format)sc->trace_format,
			      sc->trace_skip_bad | (sc->cpu_pods ? TRACE_CPU_PODS : 0), err, sizeof err);
	if (!t)
		return ld_fail_in_file(L, file, sc->trace_path, err);
	trace_job job;
	int rc;
	shape_count sh = {0};
	sc->trace_late = 0;
	for (int q = 0; q < SC_MAX_POOLS; q++)
		sc->trace_pool_gpu_seconds[q] = 0;
	while ((rc = trace_next(t, &job, err, sizeof err)) == 1) {
		if (job.submit / sc->speedup >= sc->horizon) {
			sc->trace_late++;
			continue;
		}
		int k = ld_find_class(sc, job.class_name);
		if (k < 0 && (classes_given || (k = add_trace_class(sc, job.class_name)) < 0)) {
			snprintf(L->err, L->errlen, "%s:%ld: class \"%s\" is not one of the scenario's classes%s", sc->trace_path,
				 job.line, job.class_name, classes_given ? "" : " (more than 32 classes?)");
			trace_close(t);
			free(sh.pod);
			free(sh.n);
			return 2;
		}
		if (!ld_gpus_fit(sc, &sc->classes[k], job.gpus)) {
			snprintf(L->err, L->errlen, "%s:%ld: a job of %g GPUs, more than class \"%s\"'s pools can run", sc->trace_path,
				 job.line, job.gpus, job.class_name);
			trace_close(t);
			free(sh.pod);
			free(sh.n);
			return 2;
		}
		if (sc->pod_resources && !pod_fits(sc, &sc->classes[k], &job)) {
			snprintf(L->err, L->errlen,
				 "%s:%ld: no node of class \"%s\"'s pools%s has %g GPUs, %g cores and %d MiB free "
				 "for this pod%s", sc->trace_path, job.line, job.class_name,
				 *job.gpu_spec ? " and its gpu_spec" : "", job.gpus, job.cpu_milli / 1000.0,
				 job.memory_mib,
				 ld_is_gang(sc, &sc->classes[k], job.gpus_milli)
				     ? " (a gang: nor have the whole nodes it would take, together)"
				     : "");
			trace_close(t);
			free(sh.pod);
			free(sh.n);
			return 2;
		}
		FG_ASSERT(k >= 0 && k < sc->nclasses);
		if (shape_add(&sh, sc, &sc->classes[k], &job)) {
			snprintf(L->err, L->errlen, "%s: out of memory", sc->trace_path);
			trace_close(t);
			free(sh.pod);
			free(sh.n);
			return 2;
		}
		spread_work(sc, &sc->classes[k], &job, sc->trace_pool_gpu_seconds);
		count[k]++;
		dur[k] += job.duration;
		gpu_seconds[k] += job.gpus * job.duration;
		total++;
	}
	trace_stats st = trace_counts(t);
	snprintf(sc->trace_first_bad, sizeof sc->trace_first_bad, "%s", trace_first_rejection(t));
	/* What replications will read must be these bytes: they check this fingerprint. */
	if (rc == 0)
		rc = trace_fingerprint_of(t, &sc->trace_fp, err, sizeof err);
	trace_close(t);
	free(sc->shapes);
	sc->shapes = NULL;
	if (rc < 0) {
		free(sh.pod);
		free(sh.n);
		return ld_fail_in_file(L, file, sc->trace_path, err);
	}
	if (shapes_keep(sc, &sh)) /* it took sh's arrays, freed */
		return ld_fail(L, file, "%s: out of memory", sc->trace_path);
	sc->trace_rows = st.rows;
	sc->trace_jobs = total;
	sc->trace_skipped = st.skipped;
	sc->trace_rejected = st.rejected;
	if (total == 0)
		return ld_fail(L, file, "%s: no job to replay before the horizon (%ld rows)", sc->trace_path, st.rows);
	sc->rate = (double)total * sc->scale / sc->horizon; /* scale: the expected jobs per row */
	for (int k = 0; k < sc->nclasses; k++) {
		char text[64];
		snprintf(text, sizeof text, "constant(%.17g)", count[k] ? dur[k] / count[k] : 0.0);
		dist_free(&sc->classes[k].service);
		int bad = dist_parse(&sc->classes[k].service, text, 0, NULL, err, sizeof err);
		FG_ASSERT(!bad); /* a mean of durations the trace reader accepted: finite, >= 0 */
		(void)bad;
		sc->classes[k].share = (double)count[k] / total;
		/* GPUs weighted by duration, so that rate x mean duration x trace_gpus is the
		 * class's GPU-seconds per second even where big jobs run longer */
		sc->classes[k].trace_gpus = dur[k] > 0 ? gpu_seconds[k] / dur[k] : 0;
	}
	return 0;
}

/* arrivals.process = "trace": the file, its format, what to do with bad rows, a time
 * compression; classes are optional and only give priorities, pools and patience. */
int ld_load_trace_workload(loader *L, const config_setting_t *w, const config_setting_t *arr)
{
	scenario *sc = L->sc;
	const config_setting_t *s, *classes, *file;
	const char *text = NULL;
	if ((s = ld_member(arr, "rate")) || (s = ld_member(arr, "daily_profile")) ||
	    (s = ld_member(arr, "weekly_profile")))
		return ld_fail(L, s, "a replayed trace brings its own arrival times: no \"%s\" here", config_setting_name(s));
	if (ld_need(L, arr, "file", &file) || ld_get_string(L, file, &text))
		return 2;
	if (text[0] == '/')
		snprintf(sc->trace_path, sizeof sc->trace_path, "%s", text);
	else
		snprintf(sc->trace_path, sizeof sc->trace_path, "%.2000s/%.2000s", sc->dir, text);
	static const char *const formats[] = {"fgsim", "alibaba", NULL}, *const bad[] = {"stop", "skip", NULL};
	sc->trace_format = TRACE_FGSIM;
	if ((s = ld_member(arr, "format")) && ld_get_choice(L, s, "trace format", formats, &sc->trace_format))
		return 2;
	sc->trace_format = sc->trace_format == 0 ? TRACE_FGSIM : TRACE_ALIBABA;
	sc->trace_skip_bad = 0;
	if ((s = ld_member(arr, "on_bad")) && ld_get_choice(L, s, "on_bad", bad, &sc->trace_skip_bad))
		return 2;
	/* CPU and memory are opt-in, so that a trace replayed before keeps its results */
	sc->pod_resources = sc->cpu_pods = 0;
	if ((s = ld_member(arr, "pod_resources")) && ld_get_bool(L, s, &sc->pod_resources))
		return 2;
	if ((s = ld_member(arr, "cpu_pods")) && ld_get_bool(L, s, &sc->cpu_pods))
		return 2;
	if ((sc->pod_resources || sc->cpu_pods) && sc->trace_format != TRACE_ALIBABA) {
		s = ld_member(arr, sc->cpu_pods ? "cpu_pods" : "pod_resources");
		return ld_fail(L, s, "\"%s\" reads a pod list's columns: it needs format = \"alibaba\"",
			       config_setting_name(s));
	}
	sc->pod_resources |= sc->cpu_pods; /* a CPU-only pod asks for CPU and memory alone */
	sc->speedup = 1;
	if ((s = ld_member(arr, "speedup"))) {
		if (ld_get_number(L, s, &sc->speedup))
			return 2;
		if (!(sc->speedup > 0) || sc->speedup > 1e6)
			return ld_fail(L, s, "speedup must lie in (0, 1e6], got %g", sc->speedup);
	}
	sc->scale = 1;
	if ((s = ld_member(arr, "scale"))) {
		if (ld_get_number(L, s, &sc->scale))
			return 2;
		if (!(sc->scale > 0) || sc->scale > 1000)
			return ld_fail(L, s, "scale must lie in (0, 1000], got %g", sc->scale);
	}
	sc->nclasses = 0;
	if ((classes = ld_member(w, "classes"))) {
		if (!config_setting_is_list(classes) || config_setting_length(classes) > SC_MAX_CLASSES)
			return ld_fail(L, classes, "classes must be a list of at most %d groups", SC_MAX_CLASSES);
		for (int i = 0; i < config_setting_length(classes); i++) {
			const config_setting_t *g = config_setting_get_elem(classes, (unsigned)i);
			sc->nclasses = i + 1;
			if (ld_load_class(L, g, &sc->classes[i]))
				return 2;
			if (ld_find_class(sc, sc->classes[i].name) != i)
				return ld_fail(L, g, "class \"%s\" is defined twice", sc->classes[i].name);
		}
	}
	if (L->pod_list) /* fill reads the file itself, as a pod list */
		return 0;
	if (scan_trace(L, file, classes != NULL))
		return 2;
	ld_number_tenants(sc);
	return 0;
}
