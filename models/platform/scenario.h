/* scenario.h - the scenario a run is given: the plain structs the platform model runs
 * from, their limits (SC_MAX_*), and the questions asked of them. They sit with the
 * platform, below the loader that fills them from a file (models/scenario/,
 * scenario_load.h), so that the platform never sees libconfig parsing or --set. */
#ifndef FGSIM_SCENARIO_H
#define FGSIM_SCENARIO_H
#include <libconfig.h>
#include <stdint.h>

#include "dist.h"
#include "../fgsim_plugin.h" /* the public plugin header stays at models/ */
#include "service.h"
#include "trace.h"

#define SC_NAME_MAX 64
#define SC_MAX_POOLS 32
#define SC_MAX_CLASSES 32
#define SC_MAX_PROMOS 16
/* Occurrence scopes (window:NAME#k) of the repeating promotions, all together: each
 * scope costs every replication a row of figures, so they are shared out (promos.c). */
#define SC_MAX_OCC_SCOPES 50
#define SC_MAX_WINDOWS (SC_MAX_PROMOS + SC_MAX_OCC_SCOPES)
#define SC_MAX_OCCURRENCES 1000000 /* promotions.[].count */
#define SC_MAX_POLICIES 16
#define SC_MAX_PARAMS 32   /* a plugin's params = { ... } entries */
#define SC_PLUGIN_PATH 512
#define SC_MILLI 1000 /* GPUs are counted in thousandths, so 0.25 GPU is exact */
#define SC_POOL_SIZES 8 /* distinct node sizes in one pool (a cluster read from a node list) */
#define SC_POOL_RES 16  /* distinct (GPUs, CPU, memory) node kinds in one pool of a node list */
#define SC_MAX_MAINT 16 /* planned maintenance windows of one pool */
#define SC_MAX_CPU_MILLI TRACE_MAX_CPU_MILLI   /* a node's or a job's most CPU */
#define SC_MAX_MEMORY_MIB TRACE_MAX_MEMORY_MIB /* a node's or a job's most memory */

typedef enum { POLICY_FCFS, POLICY_PRIORITY, POLICY_SJF, POLICY_AGING, POLICY_FAIR_SHARE, POLICY_PREEMPTIVE,
	       POLICY_EASY_BACKFILL, POLICY_PLUGIN } policy_kind;
typedef enum { PLACE_FIRST_FIT, PLACE_BEST_FIT, PLACE_FASTEST, PLACE_CHEAPEST } placement_kind;

typedef struct pool_spec {
	char name[SC_NAME_MAX], gpu[SC_NAME_MAX];
	int nodes, gpus_per_node;
	double cost_per_gpu_hour, price_per_gpu_hour;
	double minimum_billing; /* seconds: a shorter job is billed as if it ran this long */
	/* Burst capacity (burst = { ... }; burst_max 0: none): up to burst_max extra nodes,
	 * requested when the pool's expected wait exceeds burst_threshold, powered after
	 * burst_startup, paid at burst_cost_per_gpu_hour from the request until they stop,
	 * stopped after burst_cooldown idle. */
	int burst_max;
	double burst_startup, burst_cost_per_gpu_hour, burst_threshold, burst_cooldown;
	/* Planning ahead (forecast.c): burst_prewarm > 0 requests nodes that long before
	 * each promotion window its classes meet; burst_forecast requests them from the
	 * expected arrivals of the next hour instead of the queue. Both size the nodes so
	 * that the offered load stays under burst_target of the GPUs. */
	double burst_prewarm, burst_target;
	int burst_forecast;
	/* Nodes of different sizes (a pool read from a node list): nsizes > 0, size[i] nodes
	 * of gpus each, the largest first; nodes are numbered in that order and
	 * gpus_per_node is the largest size. nsizes = 0: every node has gpus_per_node. */
	int nsizes;
	struct pool_size {
		int gpus, nodes;
	} size[SC_POOL_SIZES];
	/* CPU (thousandths of a core) and memory (MiB) per node; 0: not limited. A pool read
	 * from a node list gives them node by node instead: nres > 0 runs of res[i].nodes
	 * nodes alike, in node order (a size's nodes follow each other, so the runs split
	 * size[] without changing which node has how many GPUs). */
	int cpu_milli, memory_mib;
	int nres;
	struct pool_res {
		int gpus, nodes, cpu_milli, memory_mib;
	} res[SC_POOL_RES];
	/* Failures, spot reclamation and the tier (failures.c, docs/failures.md): a node
	 * of the pool's own fails after a draw of fail_gap in service and is back after a
	 * draw of repair; a spot pool's node is reclaimed after a draw of reclaim, its jobs
	 * warned `notice` seconds before, and returned after a draw of spot_return. A
	 * reserved pool's nodes are paid for the whole horizon (its cost), an on-demand
	 * pool's likewise; the tier only names the pool's place in the report. */
	int has_failures, spot, reserved;
	dist fail_gap, repair;
	dist reclaim, spot_return;
	double notice;
	/* Planned maintenance (docs/failures.md): from `start`, the pool's last `nodes` own
	 * nodes are out of service for `duration`; drain: they first take no new work and
	 * each leaves when empty, or at start + duration at the latest; preempt: at start,
	 * their jobs interrupted as on a failure. */
	int nmaint;
	struct maint_spec {
		double start, duration;
		int nodes, drain;
	} maint[SC_MAX_MAINT];
} pool_spec;

/* What a class's job does when its node fails or is reclaimed (on_failure). */
enum { ON_FAILURE_REQUEUE, ON_FAILURE_FAIL };

typedef struct class_spec {
	char name[SC_NAME_MAX];
	double share;
	int priority;
	int gpus_milli;   /* GPUs asked for, in thousandths */
	int cpu_milli, memory_mib; /* CPU (thousandths of a core) and memory (MiB) per job; 0: none */
	dist service;     /* seconds of service */
	dist estimate;    /* the user's runtime estimate is service x a draw of this */
	/* estimate = "history": the mean of the tenant's last two finished jobs of the
	 * class (Tsafrir et al. 2007); until there are two, the draw of `estimate`
	 * (then estimate_fallback's) as above */
	int estimate_history;
	int ntenants;     /* tenants this class's jobs come from (1 without tenant_mix) */
	int tenant_base;  /* the first of them in the scenario's tenant numbering */
	double zipf_s;    /* tenant i (1-based) submits with probability ~ i^-zipf_s */
	int has_patience;
	dist patience;    /* seconds a job waits before it abandons */
	int npools;
	int pools[SC_MAX_POOLS]; /* indices into scenario.pools, in preference order */
	/* `profile` + `steps` instead of `service`: a job is `steps` steps of the profile's
	 * kernel mix, priced per GPU type from the scenario's calibration files. */
	int has_steps;
	dist steps;               /* steps per job (dimensionless) */
	service_model svc;        /* the profile priced on every calibration table */
	int pool_gpu[SC_MAX_POOLS]; /* pool index -> svc's GPU type; -1 when it has no table */
	/* balking = { ... }: an arrival leaves at once with probability
	 * 1 - exp(-(posted wait / balk_wait_scale) x price_factor^balk_price_elasticity) */
	int has_balking;
	double balk_wait_scale, balk_price_elasticity;
	double trace_gpus;        /* a replayed trace: its jobs' mean GPUs (they bring their own sizes) */
	/* checkpoint = { every; cost; restart; } (checkpoint.h): a pause of ckpt_cost after
	 * each ckpt_every of work, ckpt_restart at a resumption after an interruption;
	 * ckpt_every 0: no checkpoints; ckpt_auto: every was Young's interval. */
	double ckpt_every, ckpt_cost, ckpt_restart;
	int ckpt_auto;
	int on_failure;           /* ON_FAILURE_REQUEUE or ON_FAILURE_FAIL */
	int spot;                 /* its jobs may run on spot pools (spot = true) */
} class_spec;

typedef struct promo_spec {
	char name[SC_NAME_MAX];
	double start, duration; /* seconds from time 0 */
	double discount;        /* price cut, in [0, 1) */
	double demand;          /* arrival-rate multiplier for its classes */
	uint32_t classes;       /* bit mask over scenario.classes */
	/* repeat > 0: `count` occurrences, one every `repeat` seconds from start (count 1,
	 * repeat 0: once). nocc: those that start before the horizon (the last may be cut
	 * by it). The window scopes: `window` is the index of the pooled one among them,
	 * followed by occ_scopes ones for occurrences 1..occ_scopes (promos.c). */
	double repeat;
	int count, nocc, window, occ_scopes;
} promo_spec;

typedef struct policy_spec {
	char label[SC_NAME_MAX];
	policy_kind kind;
	double aging_step; /* aging: seconds of waiting worth one priority level */
	int restart;       /* priority-preemptive: a preempted job starts over (else resumes) */
	int kill_at_estimate; /* easy-backfill: a job still running at its estimate is killed */
	/* kind POLICY_PLUGIN: the table a shared object exports, its dlopen handle, its
	 * path as the scenario wrote it (for messages) and its parameters (strings point
	 * into scenario.cfg). */
	const fgp_policy *plugin;
	void *dl;
	char plugin_path[SC_PLUGIN_PATH];
	int nparams;
	fgp_param params[SC_MAX_PARAMS];
} policy_spec;

/* run.precision: replications are added until every named metric's confidence
 * half-width, for every policy, is within the target (experiment.c). */
#define SC_MAX_PRECISION_METRICS 16
typedef struct precision_spec {
	int nmetrics;                          /* 0: a fixed number of replications */
	int metric[SC_MAX_PRECISION_METRICS];  /* metric_id values (metrics.h) */
	int scope;                             /* the scope index (metrics.h), 0 = all */
	double relative, absolute;             /* target: hw <= relative*|mean|, or hw <= absolute */
	int max_replications;
} precision_spec;
/* placement = { name = ...; plugin = ...; params = { ... }; }: a placement plugin. */
typedef struct placement_spec {
	char name[SC_NAME_MAX];
	const fgp_placement *plugin;
	void *dl;
	char plugin_path[SC_PLUGIN_PATH];
	int nparams;
	fgp_param params[SC_MAX_PARAMS];
} placement_spec;

typedef struct scenario {
	char path[4096], dir[4096]; /* the file, and the folder relative paths start from */
	char name[SC_NAME_MAX], currency[16];
	double horizon, warmup;
	int warmup_auto;            /* run.warmup = "auto": chosen by MSER-5 before the run */
	int replications;           /* with precision: the first batch */
	precision_spec precision;
	uint64_t seed;
	double confidence;
	double plugin_timeout; /* run.plugin_timeout: seconds one call into a plugin may take */

	int npools;
	pool_spec pools[SC_MAX_POOLS];
	int ncalib;
	calib_table *calib; /* the `calibration` files, in their order (malloc'd: 8 KB each) */
	int nclasses;
	class_spec classes[SC_MAX_CLASSES];
	/* Tenants: "t1".."tN" shared by the classes with a zipf tenant_mix (N the largest),
	 * then one tenant per class without one, named after the class. */
	int ntenants, zipf_tenants;
	double rate;              /* mean arrivals per second, before profile and promotions */
	/* arrivals.process = "trace": jobs replayed from a file instead of sampled */
	int trace;
	char trace_path[4096];
	int trace_format;         /* trace_format from trace.h */
	int trace_skip_bad;       /* skip and count bad rows instead of stopping */
	double speedup;           /* submit times are divided by this (time compression) */
	double scale;             /* each job replays floor(scale) or floor(scale) + 1 times (1: as is) */
	long trace_rows, trace_jobs, trace_skipped, trace_rejected, trace_late; /* from the check at load */
	char trace_first_bad[1024]; /* on_bad = "skip": the first rejected row's FILE:LINE: what, else "" */
	trace_fingerprint trace_fp; /* the file as the load read it: every replication checks it */
	/* alibaba: pods ask for their cpu_milli and memory_mib and keep to their gpu_spec
	 * (pod_resources); CPU-only pods run too, on CPU and memory alone (cpu_pods) */
	int pod_resources, cpu_pods;
	/* a trace's task sizes (the placements' fgp_api.shape): its replayed jobs' distinct
	 * (GPUs, CPU, memory, pools), the most frequent covering 95% of them; malloc'd */
	int nshapes;
	fgp_shape *shapes;
	/* a trace's GPU-seconds per pool, before scale: each job's spread over the pools it
	 * may run on (its class's; its gpu_spec's with pod_resources; those whose nodes hold
	 * its size, CPU and memory) in proportion to their GPUs, so that a pool only big
	 * jobs fit carries their load (scenario_offered_load) */
	double trace_pool_gpu_seconds[SC_MAX_POOLS];
	/* cluster.nodes_file: the node list the pools were read from ("" for listed pools) */
	char nodes_path[4096];
	long nodes_rows, nodes_cpu_only; /* its rows, and the CPU-only nodes left out */
	int has_profile;
	double daily_profile[24]; /* rate multiplier per hour of the day */
	/* weekly_profile: a rate multiplier per weekday (monday first) on top of the daily
	 * profile; day 0 of the run is weekday start_weekday (0 monday ... 6 sunday) */
	int has_weekly, start_weekday;
	double weekly_profile[7];
	int npromos;
	promo_spec promos[SC_MAX_PROMOS];
	/* window scopes: each promotion's pooled one and its occurrences' (promos.c);
	 * npromos without repeating promotions. win_promo[w]: whose; win_occ[w]: the
	 * occurrence (0-based), -1 for a pooled scope. */
	int nwindows;
	int8_t win_promo[SC_MAX_WINDOWS];
	int16_t win_occ[SC_MAX_WINDOWS];
	int npolicies;
	policy_spec policies[SC_MAX_POLICIES];
	placement_kind placement;
	/* tenants = { weights = ...; quota_gpus = ...; }: fair-share weights per tenant
	 * (NULL: all 1) and the most GPUs one tenant may hold at once (0: no quota). */
	double *tenant_weight;
	int quota_milli;
	int has_burst, has_balking; /* some pool has burst capacity / some class balks */
	/* some pool fails or is spot, or some class checkpoints: failures.c runs, and the
	 * failure metrics are reported (metric_shown) */
	int has_faults;
	placement_spec place_plugin; /* .plugin NULL: the built-in `placement` */
	int plots, jobs_csv;
	double timeseries_step; /* 0: no timeseries.csv */

	config_t cfg; /* the resolved configuration, kept for run.json */
} scenario;

/* Frees what scenario_load (scenario_load.h) allocated; sc may be NULL. */
void scenario_free(scenario *sc);
/* GPUs in pool p, whatever its node sizes. */
long scenario_pool_gpus(const scenario *sc, int pool);
/* Nodes of pool p with the largest size (gpus_per_node): those a gang may use. */
int scenario_pool_full_nodes(const scenario *sc, int pool);
/* The name of tenant t: "t1".."tN" for Zipf tenants, else its class's name. */
const char *scenario_tenant_name(const scenario *sc, uint32_t t, char *buf, size_t len);
/* Expected service time (seconds) of a class-k job on pool q: the same on every pool
 * for a `service` distribution; for a profile class, the mean steps times the step
 * time of q's GPU type (NAN when q has no calibration file). */
double scenario_expected_service(const scenario *sc, int k, int q);
/* Mean arrival rate (per second) of class k over a day (a week with weekly_profile),
 * with the profiles but no promotions. */
double scenario_class_rate(const scenario *sc, int k);
#endif
