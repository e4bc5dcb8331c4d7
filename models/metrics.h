/* metrics.h - the figures one replication reports, per scope (all jobs, a class, a
 * pool), named as summary.csv names them. Definitions are in the SPEC and README. */
#ifndef FGSIM_METRICS_H
#define FGSIM_METRICS_H
#include "scenario.h"

/* X(name, scopes it applies to: A all, C class, P pool, W a promotion's window) */
#define METRIC_LIST(X)                                                                  \
	X(arrivals, "ACW") X(jobs_done, "ACPW") X(abandoned, "ACW") X(in_system_end, "AC")    \
	X(wait_mean, "ACPW") X(wait_p50, "ACPW") X(wait_p95, "ACPW") X(wait_p99, "ACPW")       \
	X(wait_max, "ACPW") X(p_wait, "ACPW") X(response_mean, "ACPW") X(slowdown_mean, "ACPW") \
	X(abandon_rate, "ACW") X(queue_mean, "ACW") X(queue_time_mean, "ACW")                 \
	X(throughput_per_h, "ACPW") X(utilization, "APW") X(gpu_hours, "ACPW")                \
	X(revenue, "ACPW") X(cost, "APW") X(profit, "APW") X(lost_revenue, "ACW")              \
	X(billed_gpu_hours, "ACPW") X(preemptions, "ACW") X(lost_gpu_hours, "ACPW")

#define METRIC_ENUM_(name, scopes) M_##name,
typedef enum { METRIC_LIST(METRIC_ENUM_) M_COUNT } metric_id;
#undef METRIC_ENUM_

extern const char *const metric_names[M_COUNT];
extern const char *const metric_scopes[M_COUNT];

/* Scopes of a scenario in output order: all, class:NAME..., pool:NAME..., window:NAME...
 * A window scope holds the jobs that arrived during a promotion and what happened on
 * the platform during it (GPU time, money, queue length), since "p95 wait during the
 * sale" is the question a planner asks. */
typedef enum { SCOPE_ALL, SCOPE_CLASS, SCOPE_POOL, SCOPE_WINDOW } scope_kind;
#define MAX_SCOPES (1 + SC_MAX_CLASSES + SC_MAX_POOLS + SC_MAX_PROMOS)
static inline int scope_count(const scenario *sc) { return 1 + sc->nclasses + sc->npools + sc->npromos; }
static inline int scope_of_class(const scenario *sc, int k) { (void)sc; return 1 + k; }
static inline int scope_of_pool(const scenario *sc, int q) { return 1 + sc->nclasses + q; }
static inline int scope_of_window(const scenario *sc, int w) { return 1 + sc->nclasses + sc->npools + w; }
scope_kind scope_kind_of(const scenario *sc, int scope);
/* "all", "class:NAME" or "pool:NAME" into buf. */
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
