/* footprint.h - what a run of a scenario will hold in memory, estimated before it starts,
 * and the cap beyond which `fgsim run` and `fgsim check` refuse it. Memory follows the
 * jobs in the system, not the jobs simulated: the estimate is built from the peak number
 * of jobs one replication holds at once (queueing theory, see footprint.c), times what one
 * job costs, plus what each worker thread and the results table hold. */
#ifndef FGSIM_FOOTPRINT_H
#define FGSIM_FOOTPRINT_H
#include <stddef.h>

#include "scenario.h"

typedef struct footprint_estimate {
	double running;       /* peak jobs in service at once, one replication */
	double queued;        /* peak jobs waiting at once, one replication */
	double bytes_per_job; /* a job's slot, its events and its queue entry, growth slack included */
	double per_worker;    /* each worker thread's fixed part: cluster, histograms, streams, trace reader */
	double results;       /* the per-replication figures every task keeps until the output is written */
	double base;          /* the program itself and the loaded scenario */
	double total;         /* workers x (fixed part + jobs x bytes_per_job) + results + base */
	int workers;          /* threads that hold a replication at once */
	int unstable;         /* some pool's offered load (with packing, load.h) is >= 1 and not
				 every class abandons: its queue grows through the run */
	int grows_pool;       /* the pool whose queue dominates when unstable, else -1 */
} footprint_estimate;

/* Estimates a run of sc on `threads` threads (the scenario's tasks cap the workers). */
void footprint_estimate_run(const scenario *sc, int threads, footprint_estimate *out);

/* The cap used without --max-memory: half the machine's physical memory (sysconf), so
 * that a refused run is one that would have pushed the machine into swap or the OOM
 * killer. Returns bytes, or 0 when the machine does not say (then nothing is refused). */
double footprint_default_cap(void);

/* A size such as "512M", "2G", "1.5GB", "800MiB" or "1000000" (bytes): K, M, G, T are
 * powers of 1024. Returns 0 with *bytes set, -1 when the text is not a positive size. */
int footprint_parse_size(const char *text, double *bytes);

/* Bytes as "1.5 GB" / "320 KB" (powers of 1024), into buf; returns buf. */
const char *footprint_format(double bytes, char *buf, size_t len);

/* The setting to blame when the estimate is over the cap, for the FILE:LINE of the
 * message: run.horizon when queued jobs dominate, run.replications when the results do,
 * cluster otherwise. */
const char *footprint_culprit(const footprint_estimate *e);
#endif
