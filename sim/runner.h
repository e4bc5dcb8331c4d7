/* runner.h - the run driver: independent tasks (replications, sweep points) spread over
 * threads. Each task writes only its own result slot, so the merged output does not
 * depend on which thread ran what, or when. */
#ifndef FGSIM_RUNNER_H
#define FGSIM_RUNNER_H

/* Runs task(ctx, worker, i) for i in [0, ntasks) on `threads` threads (worker in
 * [0, threads)); task returns 0 or an error code. Tasks stop being handed out after
 * the first error or once *stop becomes non-zero (may be NULL). Returns 0 or the first
 * error code (by task index). */
int runner_run(int ntasks, int threads, int (*task)(void *ctx, int worker, int i), void *ctx,
	       _Atomic int *stop);
#endif
