/* metrics.h - the figures one replication reports, per scope (all jobs, a class, a
 * pool), named as summary.csv names them. Definitions are in the SPEC and README. */
#ifndef FGSIM_METRICS_H
#define FGSIM_METRICS_H
#include "scenario.h"

/* X(name, scopes it applies to: A all, C class, P pool, W a promotion's window, T a tenant) */
#define METRIC_LIST(X)                                                                  \
	X(arrivals, "ACWT") X(jobs_done, "ACPWT") X(abandoned, "ACWT") X(in_system_end, "ACT")    \
	X(wait_mean, "ACPWT") X(wait_p50, "ACPWT") X(wait_p95, "ACPWT") X(wait_p99, "ACPWT")       \
	X(wait_max, "ACPWT") X(p_wait, "ACPWT") X(response_mean, "ACPWT") X(slowdown_mean, "ACPWT") \
	X(abandon_rate, "ACWT") X(queue_mean, "ACWT") X(queue_time_mean, "ACWT")                 \
	X(throughput_per_h, "ACPWT") X(utilization, "APW") X(gpu_hours, "ACPWT")                \
	X(revenue, "ACPWT") X(cost, "APW") X(profit, "APW") X(lost_revenue, "ACWT")              \
	X(billed_gpu_hours, "ACPWT") X(preemptions, "ACWT") X(lost_gpu_hours, "ACPWT")          \
	X(balked, "ACWT") X(balk_rate, "ACWT") X(burst_gpu_hours, "APW") X(burst_cost, "APW")    \
	X(fragmentation_gpus, "AW") X(killed, "ACPWT") X(kill_rate, "ACWT")                     \
	X(burst_nodes_peak, "APW")

#define METRIC_ENUM_(name, scopes) M_##name,
typedef enum { METRIC_LIST(METRIC_ENUM_) M_COUNT } metric_id;
#undef METRIC_ENUM_

extern const char *const metric_names[M_COUNT];
extern const char *const metric_scopes[M_COUNT];

/* Scopes of a scenario in output order: all, class:NAME..., pool:NAME..., window:NAME...
 * A window scope holds the jobs that arrived during a promotion and what happened on
 * the platform during it (GPU time, money, queue length), since "p95 wait during the
 * sale" is the question a planner asks. */
typedef enum { SCOPE_ALL, SCOPE_CLASS, SCOPE_POOL, SCOPE_WINDOW, SCOPE_TENANT } scope_kind;
/* Tenant scopes: the busiest Zipf tenants (t1, t2, ... have the largest weights). */
#define MAX_TENANT_SCOPES 5
static inline int tenant_scopes(const scenario *sc) { return sc->zipf_tenants < MAX_TENANT_SCOPES ? sc->zipf_tenants : MAX_TENANT_SCOPES; }
#define MAX_SCOPES (1 + SC_MAX_CLASSES + SC_MAX_POOLS + SC_MAX_PROMOS + MAX_TENANT_SCOPES)
static inline int scope_count(const scenario *sc) { return 1 + sc->nclasses + sc->npools + sc->npromos + tenant_scopes(sc); }
static inline int scope_of_class(const scenario *sc, int k) { (void)sc; return 1 + k; }
static inline int scope_of_pool(const scenario *sc, int q) { return 1 + sc->nclasses + q; }
static inline int scope_of_window(const scenario *sc, int w) { return 1 + sc->nclasses + sc->npools + w; }
static inline int scope_of_tenant(const scenario *sc, int t) { return 1 + sc->nclasses + sc->npools + sc->npromos + t; }
scope_kind scope_kind_of(const scenario *sc, int scope);
/* "all", "class:NAME", "pool:NAME", "window:NAME" or "tenant:NAME" into buf. */
const char *scope_name(const scenario *sc, int scope, char *buf, size_t len);
/* Does this metric apply to this scope? */
int metric_applies(metric_id m, scope_kind kind);

/* One replication's figures: NAN where a value is undefined (no job started, say). */
typedef struct rep_metrics {
	double v[MAX_SCOPES][M_COUNT];
	double events; /* events processed */
	double jobs;   /* arrivals, warm-up included */
} rep_metrics;
#endif
