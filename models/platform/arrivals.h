/* arrivals.h - job arrivals: a Poisson process, a non-homogeneous one (daily and weekly
 * profile x promotion demand, promos.h) sampled by thinning (Lewis & Shedler 1979), or a trace replayed
 * row by row (thinned or copied by arrivals.scale). Each replication draws gaps, thinning
 * and class choice from its own streams (or rewinds the trace), so every policy sees
 * exactly the same arrivals. */
#ifndef FGSIM_ARRIVALS_H
#define FGSIM_ARRIVALS_H
#include <gsl/gsl_rng.h>

#include "scenario.h"
#include "trace.h"

typedef struct arrivals {
	const scenario *sc;
	int homogeneous;       /* no profile, no promotion: no thinning needed */
	double rate_max;       /* the thinning envelope, arrivals per second */
	double share_cum[SC_MAX_CLASSES];
	gsl_rng *gap, *thin, *pick;
	trace *tr;             /* a replayed trace, else NULL */
	/* A trace with arrivals.scale != 1: each row arrives floor(scale) times, plus once
	 * more with probability frac(scale), drawn from a stream of its own (STREAM_COPIES)
	 * so every policy of a replication sees the same copies. */
	gsl_rng *copies;
	int pending;           /* copies of the last row still to arrive, at row_t */
	int row_cls, row_milli;
	/* the last row's CPU (thousandths of a core), memory (MiB) and the pools its gpu_spec
	 * allows (pod_resources; else 0, 0, all): read by the platform at the arrival, kept
	 * out of struct arrival so that the engine's by-value copy stays small */
	int row_cpu, row_mem;
	uint32_t row_pools;
	double row_t, row_service;
	int failed;            /* the trace went bad during the run */
	char err[512];
} arrivals;

/* The next job: its class and, for a trace, its size and duration. */
typedef struct arrival {
	int cls;
	int gpus_milli;        /* < 0: the class's (a trace's CPU-only pod has 0) */
	double service;        /* < 0: draw from the class's distribution */
} arrival;

/* Prepares the process for sc with streams for replication rep. Returns 0, -1 on no memory. */
int arrivals_init(arrivals *a, const scenario *sc, int rep);
void arrivals_destroy(arrivals *a);
/* Reseeds (opens or rewinds the trace) for another replication. Returns 0, or -1 with
 * a->failed set and the message in a->err (the trace cannot be read, or changed since
 * the scenario loaded it). */
int arrivals_reset(arrivals *a, int rep);
/* At the end of a replication: a trace's pass is read to its end and checked against
 * the load's fingerprint. Returns 0, or -1 with a->failed set and the message in a->err. */
int arrivals_finish(arrivals *a);
/* The time of the first arrival after `now`, and what arrives in *out; INFINITY when
 * a trace is over (or failed: then a->failed is set, the message in a->err). */
double arrivals_next(arrivals *a, double now, arrival *out);
/* Total arrival rate at time t (per second), and the price factor (1 - discount) for class k. */
double arrivals_rate_at(const arrivals *a, double t);
double arrivals_price_factor(const scenario *sc, double t, int k);
/* Demand multiplier of class k at time t from the active promotion (1 if none). */
double arrivals_demand(const scenario *sc, double t, int k);

/* Stream ids (the `source` in rng_seed): fixed, so adding a class never shifts another's. */
enum { STREAM_GAP = 0, STREAM_THIN = 1, STREAM_PICK = 2, STREAM_COPIES = 3, STREAM_POLICY = 11, /* fgp_api.uniform */
       STREAM_CLASS_BASE = 16, STREAM_PER_CLASS = 8 };
enum { STREAM_SERVICE = 0, STREAM_PATIENCE = 1, STREAM_ESTIMATE = 2, STREAM_TENANT = 3, STREAM_BALK = 4 };
#define STREAM_OF_CLASS(k, what) (STREAM_CLASS_BASE + (k) * STREAM_PER_CLASS + (what))
#endif
