/* progress.h - the live progress line on stderr while an experiment runs: per worker
 * the replication it is on and how far into its simulated time, overall the share done,
 * elapsed time and ETA, within the terminal's width. Redrawn a few times a second by its
 * own thread. */
#ifndef FGSIM_PROGRESS_H
#define FGSIM_PROGRESS_H

typedef struct progress progress;

/* Starts drawing for `total` tasks run by `workers` threads, each simulating `horizon`
 * seconds. Returns NULL (and draws nothing) on no memory or when a thread cannot start. */
progress *progress_start(const char *name, double horizon, int total, int workers);
/* The clock a worker's platform publishes its simulated time to (platform_set_clock):
 * an atomic, written and read with memory_order_relaxed, because the drawing thread
 * reads it while the worker runs; NULL when p is NULL. */
_Atomic double *progress_clock(progress *p, int worker);
/* A worker starts replication `rep` of policy `label` / finishes it. */
void progress_begin(progress *p, int worker, const char *label, int rep);
void progress_end(progress *p, int worker);
/* More tasks were added (precision-driven runs). */
void progress_add(progress *p, int more);
/* Draws the last line, ends it with a newline and frees p; NULL is a no-op. */
void progress_stop(progress *p);
#endif
