/* scenario_internal.h - internal to the scenario loader (the files of models/scenario),
 * not part of its interface, which is scenario_load.h: the loader's state, its errors,
 * the schema check and typed getters (scenario_loader.c), and the section loaders one of
 * its files calls in another. Nothing
 * outside those files includes it; its names carry the prefix ld_. */
#ifndef FGSIM_SCENARIO_INTERNAL_H
#define FGSIM_SCENARIO_INTERNAL_H
#include <stddef.h>

#include "scenario_load.h"

typedef struct loader {
	scenario *sc;
	char *err;
	size_t errlen;
	int pod_list; /* scenario_load_pod_list: the trace is named, not scanned */
	/* The `plugin` settings of list elements appended from the command line (--policy-add,
	 * --set KEY.[+]), whose relative paths were taken from the current folder: their
	 * messages say so. More appends than this fail as too many policies anyway. */
	const config_setting_t *cwd_plugin[SC_MAX_POLICIES];
	int ncwd_plugin;
} loader;

/* ---- errors and the schema (scenario_loader.c) ------------------------------------ */

/* Each writes the error into L->err, placed at setting s, and returns 2. */
int ld_fail(loader *L, const config_setting_t *s, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int ld_fail_in_file(loader *L, const config_setting_t *s, const char *path, const char *err);
/* 0 when every key of group is one the schema knows for it; else 2, error written. */
int ld_check_keys(loader *L, const config_setting_t *group);
/* 1 when the schema lets the group parent hold key name (for an override's new key). */
int ld_key_allowed(const config_setting_t *parent, const char *name);
/* 1 when the key table has a group at path ("run.precision", "cluster.pools.[]" or
 * "cluster.pools.[0]"). */
int ld_schema_has_group(const char *path);

/* ---- typed getters (scenario_loader.c): each returns 0, or 2 with the error written */

/* The member key of group, or NULL (also when group is NULL); ld_need fails instead. */
const config_setting_t *ld_member(const config_setting_t *group, const char *key);
int ld_need(loader *L, const config_setting_t *group, const char *key, const config_setting_t **out);
int ld_get_string(loader *L, const config_setting_t *s, const char **out);
int ld_get_name(loader *L, const config_setting_t *s, char out[SC_NAME_MAX]);
int ld_get_number(loader *L, const config_setting_t *s, double *out);
int ld_get_int(loader *L, const config_setting_t *s, long long lo, long long hi, long long *out);
int ld_get_bool(loader *L, const config_setting_t *s, int *out);
int ld_get_duration(loader *L, const config_setting_t *s, int zero_ok, double *out);
int ld_get_dist(loader *L, const config_setting_t *s, int timed, dist *out);
int ld_get_choice(loader *L, const config_setting_t *s, const char *what, const char *const *names, int *index);
/* 1 when path names a file that can be read, not a folder. */
int ld_readable_file(const char *path);
/* A pool's cost, price and minimum billing, from group g (a pool, or the cluster of a
 * node list). */
int ld_load_pool_money(loader *L, const config_setting_t *g, pool_spec *p);
int ld_get_cpu_memory(loader *L, const config_setting_t *g, const char *cpu_key, const char *mem_key, int *cpu_milli,
		      int *memory_mib);

/* ---- sections, each in its file: 0, or 2 with the error written ------------------- */

/* scenario_faults.c: a pool's failures, spot and reserved keys (after its money); a
 * class's on_failure, spot and checkpoint (after its pools, which spot may trim) */
int ld_load_pool_faults(loader *L, const config_setting_t *pool, pool_spec *p);
int ld_load_class_faults(loader *L, const config_setting_t *g, class_spec *c);

/* scenario_workload.c (below scenario_trace.c, which reuses its class rules) */
/* The Poisson workload: w the workload group, arr its arrivals group. */
int ld_load_poisson_workload(loader *L, const config_setting_t *w, const config_setting_t *arr);
int ld_load_class(loader *L, const config_setting_t *g, class_spec *c);
/* 1 when some pool class c may use can run a job of gpus GPUs. */
int ld_gpus_fit(const scenario *sc, const class_spec *c, double gpus);
/* 1 when some pool of class c that `allowed` (a bit per pool) lets it use can run a job
 * of milli thousandths of GPUs, cpu milli-cores and mem MiB on its own nodes: one node
 * with all three, or for a gang enough whole full-size nodes with that CPU and memory
 * together. 0 in a node's figures: no limit. */
int ld_need_fits(const scenario *sc, const class_spec *c, uint32_t allowed, int milli, int cpu,
		 int mem);
/* The same test for pool q alone, whatever class: 1 when its own nodes can run the job. */
int ld_pool_fits(const scenario *sc, int q, int milli, int cpu, int mem);
/* 1 when a job of milli is a gang (more GPUs than a node has) on every pool of c. */
int ld_is_gang(const scenario *sc, const class_spec *c, int milli);
void ld_number_tenants(scenario *sc);
/* The index of the class called name, or -1. */
int ld_find_class(const scenario *sc, const char *name);
/* scenario_trace.c: the workload w with arrivals group arr, replayed from a trace */
int ld_load_nodes_file(loader *L, const config_setting_t *cluster, const config_setting_t *file);
int ld_load_trace_workload(loader *L, const config_setting_t *w, const config_setting_t *arr);
/* scenario_policies.c */
int ld_load_policies(loader *L, const config_setting_t *list);
int ld_load_placement(loader *L, const config_setting_t *s);
/* scenario_override.c */
int ld_apply_override(loader *L, const sc_override *o);
/* Integers libconfig 1.5 cut to 32 bits in the file at path or one it includes. */
int ld_check_cut_ints(const config_t *cfg, const char *path, char *err, size_t errlen);
#endif
