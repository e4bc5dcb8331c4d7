/* runner.c - a pthread pool pulling task indices from a shared counter.
 *
 * Tasks are handed out one at a time from a counter rather than split into fixed
 * shares: replications of different policies take very different times, and a
 * counter keeps every worker busy to the end. Which thread runs a task never changes
 * what it computes (each task seeds its own streams), so outputs are the same bytes
 * for any -j; the callers write results by task index, not by finishing order. */
#include "runner.h"

#include <pthread.h>
#include <stdlib.h>

#include "check.h"

typedef struct shared {
	int ntasks, next, failed_at, rc;
	int (*task)(void *, int, int);
	void *ctx;
	_Atomic int *stop;
	pthread_mutex_t lock;
} shared;

typedef struct worker {
	shared *s;
	int id;
} worker;

static void *work(void *arg)
{
	worker *w = arg;
	shared *s = w->s;
	for (;;) {
		pthread_mutex_lock(&s->lock);
		int i = s->rc || (s->stop && *s->stop) ? s->ntasks : s->next++;
		pthread_mutex_unlock(&s->lock);
		if (i >= s->ntasks)
			return NULL;
		FG_ASSERT(i >= 0); /* each index handed out once, in order */
		int rc = s->task(s->ctx, w->id, i);
		if (rc) {
			pthread_mutex_lock(&s->lock);
			/* the lowest failing index wins, not the first to fail in time: the
			 * error reported is the same whatever the thread count */
			if (!s->rc || i < s->failed_at) {
				s->rc = rc;
				s->failed_at = i;
			}
			pthread_mutex_unlock(&s->lock);
		}
	}
}

/* Runs task(ctx, worker, i) for i in [0, ntasks) on up to `threads` threads, the
 * caller's included. Returns 0, the failing task's status (the lowest index that
 * failed; tasks after it may be skipped), or -1 on no memory before any task ran.
 * A thread that cannot be created is not an error: fewer workers do the work. */
int runner_run(int ntasks, int threads, int (*task)(void *ctx, int worker, int i), void *ctx,
	       _Atomic int *stop)
{
	shared s = {ntasks, 0, ntasks, 0, task, ctx, stop, PTHREAD_MUTEX_INITIALIZER};
	if (threads < 1)
		threads = 1;
	if (threads > ntasks)
		threads = ntasks > 0 ? ntasks : 1;
	worker *w = calloc((size_t)threads, sizeof *w);
	pthread_t *tid = calloc((size_t)threads, sizeof *tid);
	if (!w || !tid) {
		free(w);
		free(tid);
		return -1;
	}
	int started = 0;
	for (int t = 0; t < threads; t++) {
		w[t].s = &s;
		w[t].id = t;
		if (t == 0 || pthread_create(&tid[t], NULL, work, &w[t]) == 0)
			started = t + 1;
		else
			break;
	}
	work(&w[0]); /* the calling thread is worker 0 */
	for (int t = 1; t < started; t++)
		pthread_join(tid[t], NULL);
	/* every worker has stopped: all tasks handed out, or a failure or stop cut it short */
	FG_ASSERT(s.next >= ntasks || s.rc || (stop && *stop));
	FG_ASSERT(!s.rc || (s.failed_at >= 0 && s.failed_at < ntasks));
	free(w);
	free(tid);
	return s.rc;
}
