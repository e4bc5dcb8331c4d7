/* metrics.h - the figures one replication reports, per scope (all jobs, a class, a
 * pool), named as summary.csv names them. Definitions are in the SPEC and README. */
#ifndef FGSIM_METRICS_H
#define FGSIM_METRICS_H
#include "scenario.h"

/* X(name, scopes it applies to: A all, C class, P pool) */
#define METRIC_LIST(X)                                                                  \
	X(arrivals, "AC") X(jobs_done, "ACP") X(abandoned, "AC") X(in_system_end, "AC")    \
	X(wait_mean, "ACP") X(wait_p50, "ACP") X(wait_p95, "ACP") X(wait_p99, "ACP")       \
	X(wait_max, "ACP") X(p_wait, "ACP") X(response_mean, "ACP") X(slowdown_mean, "ACP") \
	X(abandon_rate, "AC") X(queue_mean, "AC") X(queue_time_mean, "AC")                 \
	X(throughput_per_h, "ACP") X(utilization, "AP") X(gpu_hours, "ACP")                \
	X(revenue, "ACP") X(cost, "AP") X(profit, "AP") X(lost_revenue, "AC")

#define METRIC_ENUM_(name, scopes) M_##name,
typedef enum { METRIC_LIST(METRIC_ENUM_) M_COUNT } metric_id;
#undef METRIC_ENUM_

extern const char *const metric_names[M_COUNT];
extern const char *const metric_scopes[M_COUNT];

/* Scopes of a scenario in output order: all, class:NAME..., pool:NAME... */
typedef enum { SCOPE_ALL, SCOPE_CLASS, SCOPE_POOL } scope_kind;
#define MAX_SCOPES (1 + SC_MAX_CLASSES + SC_MAX_POOLS)
static inline int scope_count(const scenario *sc) { return 1 + sc->nclasses + sc->npools; }
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
