/* metrics.h - the figures one replication reports, per scope (all jobs, a class, a
 * pool), named as summary.csv names them, with their units and definitions. */
#ifndef FGSIM_METRICS_H
#define FGSIM_METRICS_H
#include "scenario.h"

/* X(name, scopes it applies to: A all, C class, P pool, W a promotion's window, T a
 * tenant, and F: reported only with failures (metric_shown); unit: "s" for times, "currency" for money in the scenario's currency;
 * definition). The one place a metric is named and defined: summary.csv, `fgsim
 * metrics` and docs/outputs.md (tested against it) all read it. A time or count is over
 * the jobs that arrived after the warm-up; "hours" are those of the measured period. */
#define METRIC_LIST(X)                                                                      \
	X(arrivals, "ACWT", "jobs", "jobs that arrived")                                    \
	X(jobs_done, "ACPWT", "jobs", "jobs that finished")                                 \
	X(abandoned, "ACWT", "jobs", "jobs that left the queue when their patience ran out") \
	X(in_system_end, "ACPT", "jobs",                                                    \
	  "jobs still queued or running at the horizon (a pool: running on it)")            \
	X(wait_mean, "ACPWT", "s", "mean wait (start - arrival) of the jobs that started")  \
	X(wait_p50, "ACPWT", "s", "median wait of the jobs that started")                   \
	X(wait_p95, "ACPWT", "s", "95th percentile of the wait of the jobs that started")   \
	X(wait_p99, "ACPWT", "s", "99th percentile of the wait of the jobs that started")   \
	X(wait_max, "ACPWT", "s", "longest wait of a job that started")                     \
	X(p_wait, "ACPWT", "fraction", "share of the jobs that started that waited at all") \
	X(response_mean, "ACPWT", "s", "mean completion - arrival of the jobs that finished") \
	X(slowdown_mean, "ACPWT", "ratio", "mean response / service time of finished jobs") \
	X(abandon_rate, "ACWT", "fraction", "abandoned / arrivals")                         \
	X(queue_mean, "ACWT", "jobs", "time-average number of jobs waiting")                \
	X(queue_time_mean, "ACWT", "s",                                                     \
	  "mean time in the queue of every job that left it, started or abandoned")         \
	X(throughput_per_h, "ACPWT", "jobs/h", "jobs finished per hour")                    \
	X(utilization, "APW", "fraction",                                                   \
	  "busy GPU-seconds / powered GPU-seconds, burst nodes included")                   \
	X(gpu_hours, "ACPWT", "GPU-h", "GPU-hours run")                                     \
	X(revenue, "ACPWT", "currency", "what users paid, discounts and minimum billing included") \
	X(cost, "APW", "currency", "cost of the powered GPUs, burst nodes included")        \
	X(profit, "APW", "currency", "revenue - cost")                                      \
	X(lost_revenue, "ACWT", "currency",                                                 \
	  "what abandoned and balked jobs would have paid at their arrival's price") \
	X(billed_gpu_hours, "ACPWT", "GPU-h", "GPU-hours billed: run plus minimum-billing top-ups") \
	X(preemptions, "ACWT", "jobs", "running jobs evicted for a queued one")                  \
	X(lost_gpu_hours, "ACPWT", "GPU-h",                                                 \
	  "GPU-hours thrown away: runs of preempted jobs that restart, work since the last " \
	  "checkpoint of runs a node failure or reclamation stopped, and their restarts")   \
	X(balked, "ACWT", "jobs", "arrivals that left at once on seeing the posted wait")  \
	X(balk_rate, "ACWT", "fraction", "balked / arrivals")                               \
	X(burst_gpu_hours, "APW", "GPU-h",                                                  \
	  "GPU-hours of burst nodes paid for, from request to stop")                        \
	X(burst_cost, "APW", "currency", "what the burst nodes cost")                       \
	X(fragmentation_gpus, "AW", "GPUs",                                                 \
	  "time-average GPUs idle while the next job, which would fit in their total, waits; " \
	  "with CPU or memory limits, the paper's: GPUs free where typical tasks cannot use them") \
	X(killed, "ACPWT", "jobs", "jobs easy-backfill's kill_at_estimate stopped")         \
	X(kill_rate, "ACWT", "fraction", "killed / arrivals")                               \
	X(burst_nodes_peak, "APW", "nodes",                                                 \
	  "the most burst nodes paid for at once (from request to stop) in the measured time") \
	X(hol_blocked_share, "AW", "fraction",                                              \
	  "share of the time the queue's head could not start while a smaller queued job "  \
	  "would have fit on idle GPUs (head-of-line blocking)")                            \
	X(hol_idle_gpu_hours, "AW", "GPU-h",                                                \
	  "GPU-hours idle while the queue's head blocked a smaller job that would have fit") \
	X(burst_idle_gpu_hours, "APW", "GPU-h",                                             \
	  "GPU-hours burst nodes stood powered with no job on them (idle or cooling down)") \
	X(node_availability, "APF", "fraction",                                             \
	  "node-seconds in service / node-seconds of the pools' own nodes (failures, spot)") \
	X(failures, "APF", "nodes", "node failures")                                        \
	X(reclaims, "APF", "nodes", "spot nodes reclaimed by the provider")                 \
	X(interrupted, "ACPTF", "jobs", "runs stopped by a node failure or reclamation")   \
	X(failed, "ACPTF", "jobs", "jobs that ended failed (on_failure = \"fail\")")        \
	X(checkpoint_gpu_hours, "ACPTF", "GPU-h", "GPU-hours spent writing checkpoints")   \
	X(goodput_gpu_hours, "ACPTF", "GPU-h",                                              \
	  "GPU-hours of work kept: gpu_hours - lost_gpu_hours - checkpoint_gpu_hours")

#define METRIC_SCOPE_LETTERS "ACPWT" /* indexed by scope_kind */

#define METRIC_ENUM_(name, scopes, unit, def) M_##name,
typedef enum { METRIC_LIST(METRIC_ENUM_) M_COUNT } metric_id;
#undef METRIC_ENUM_

extern const char *const metric_names[M_COUNT];
extern const char *const metric_scopes[M_COUNT];
extern const char *const metric_units[M_COUNT];
extern const char *const metric_definitions[M_COUNT];

/* Scopes of a scenario in output order: all, class:NAME..., pool:NAME..., window:NAME...
 * A window scope holds the jobs that arrived during a promotion and what happened on
 * the platform during it (GPU time, money, queue length), since "p95 wait during the
 * sale" is the question a planner asks. */
typedef enum { SCOPE_ALL, SCOPE_CLASS, SCOPE_POOL, SCOPE_WINDOW, SCOPE_TENANT } scope_kind;
/* How each kind of scope is written, indexed by scope_kind: "all", "class:NAME", ... */
extern const char *const scope_kind_names[SCOPE_TENANT + 1];
/* What a scope of each kind holds, indexed by scope_kind, for `fgsim metrics`. */
extern const char *const scope_kind_definitions[SCOPE_TENANT + 1];
/* Tenant scopes: the busiest Zipf tenants (t1, t2, ... have the largest weights). */
#define MAX_TENANT_SCOPES 5
static inline int tenant_scopes(const scenario *sc) { return sc->zipf_tenants < MAX_TENANT_SCOPES ? sc->zipf_tenants : MAX_TENANT_SCOPES; }
#define MAX_SCOPES (1 + SC_MAX_CLASSES + SC_MAX_POOLS + SC_MAX_WINDOWS + MAX_TENANT_SCOPES)
static inline int scope_count(const scenario *sc) { return 1 + sc->nclasses + sc->npools + sc->nwindows + tenant_scopes(sc); }
static inline int scope_of_class(const scenario *sc, int k) { (void)sc; return 1 + k; }
static inline int scope_of_pool(const scenario *sc, int q) { return 1 + sc->nclasses + q; }
static inline int scope_of_window(const scenario *sc, int w) { return 1 + sc->nclasses + sc->npools + w; }
static inline int scope_of_tenant(const scenario *sc, int t) { return 1 + sc->nclasses + sc->npools + sc->nwindows + t; }
scope_kind scope_kind_of(const scenario *sc, int scope);
/* "all", "class:NAME", "pool:NAME", "window:NAME" or "tenant:NAME" into buf. */
const char *scope_name(const scenario *sc, int scope, char *buf, size_t len);
/* Does this metric apply to this scope? */
int metric_applies(metric_id m, scope_kind kind);
/* Is metric m reported in scope kind of scenario sc: it applies there, and a metric
 * of failures (F among its scopes) only where the scenario has failures, spot pools or
 * checkpoints, so the outputs of a scenario without them keep their rows. */
int metric_shown(const scenario *sc, metric_id m, scope_kind kind);
/* For messages that list the valid choices: the metrics reported in scopes of kind
 * `kind` (every metric when kind < 0) as "arrivals, jobs_done, ..."; the kinds of scope
 * metric m is reported in ("all, pool:NAME, window:NAME"); the scopes of scenario sc
 * ("all, class:jobs, pool:gpu"). Each writes into buf (len > 0), cut with "..." when it
 * does not fit, and returns buf. */
const char *metric_choices(int kind, char *buf, size_t len);
const char *metric_scope_kinds(metric_id m, char *buf, size_t len);
const char *scope_choices(const scenario *sc, char *buf, size_t len);

/* One replication's figures: NAN where a value is undefined (no job started, say). */
typedef struct rep_metrics {
	double v[MAX_SCOPES][M_COUNT];
	double events; /* events processed */
	double jobs;   /* arrivals, warm-up included */
} rep_metrics;
#endif
