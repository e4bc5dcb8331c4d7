/* experiment.c - replications as tasks for the runner, with a progress line. */
#include "experiment.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "platform.h"
#include "runner.h"

typedef struct ctx {
	experiment *e;
	platform **ws; /* one workspace per worker */
	int done;
	pthread_mutex_t lock;
	struct timespec t0;
} ctx;

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + 1e-9 * (double)(t.tv_nsec - t0->tv_nsec);
}

static void progress(ctx *c)
{
	const scenario *sc = c->e->sc;
	int total = sc->npolicies * sc->replications;
	double el = seconds_since(&c->t0), eta = c->done ? el * (total - c->done) / c->done : 0;
	int width = 30, filled = width * c->done / total;
	fprintf(stderr, "\r%s [%.*s%*s] %d/%d replications, %.1f simulated days each, %.0fs elapsed, ETA %.0fs ",
		sc->name, filled, "##############################", width - filled, "", c->done, total,
		sc->horizon / 86400, el, eta);
	fflush(stderr);
}

static int task(void *arg, int worker, int i)
{
	ctx *c = arg;
	experiment *e = c->e;
	int reps = e->sc->replications;
	platform_sinks sinks = {e->jobs_parts ? e->jobs_parts[i] : NULL, e->ts_parts ? e->ts_parts[i] : NULL, e->stop};
	int rc = platform_run(c->ws[worker], i / reps, i % reps, &sinks, &e->reps[i]);
	if (rc && platform_error(c->ws[worker])[0]) {
		pthread_mutex_lock(&c->lock);
		if (!e->error[0])
			snprintf(e->error, sizeof e->error, "%s", platform_error(c->ws[worker]));
		pthread_mutex_unlock(&c->lock);
	}
	if (rc)
		return rc;
	if (!e->quiet) {
		pthread_mutex_lock(&c->lock);
		c->done++;
		progress(c);
		pthread_mutex_unlock(&c->lock);
	}
	return 0;
}

/* One temporary file per task, so threads never share a FILE and rows can be joined
 * in task order afterwards. */
static FILE **open_parts(int n)
{
	FILE **parts = calloc((size_t)n, sizeof *parts);
	for (int i = 0; parts && i < n; i++)
		if (!(parts[i] = tmpfile())) {
			for (int k = 0; k < i; k++)
				fclose(parts[k]);
			free(parts);
			return NULL;
		}
	return parts;
}

int experiment_run(experiment *e, const scenario *sc, int threads, int quiet, volatile int *stop)
{
	memset(e, 0, sizeof *e);
	e->sc = sc;
	e->threads = threads < 1 ? 1 : threads;
	e->quiet = quiet || !isatty(STDERR_FILENO);
	e->stop = stop;
	int ntasks = sc->npolicies * sc->replications;
	e->reps = calloc((size_t)ntasks, sizeof *e->reps);
	if (!e->reps || (sc->jobs_csv && !(e->jobs_parts = open_parts(ntasks))) ||
	    (sc->timeseries_step > 0 && !(e->ts_parts = open_parts(ntasks))))
		return -1;
	ctx c = {e, calloc((size_t)e->threads, sizeof(platform *)), 0, PTHREAD_MUTEX_INITIALIZER, {0, 0}};
	clock_gettime(CLOCK_MONOTONIC, &c.t0);
	int rc = c.ws ? 0 : -1;
	for (int w = 0; !rc && w < e->threads; w++)
		rc = (c.ws[w] = platform_new(sc)) ? 0 : -1;
	if (!rc)
		rc = runner_run(ntasks, e->threads, task, &c, stop);
	if (!e->quiet)
		fputc('\n', stderr);
	for (int w = 0; c.ws && w < e->threads; w++)
		platform_free(c.ws[w]);
	free(c.ws);
	e->wall_seconds = seconds_since(&c.t0);
	for (int i = 0; i < ntasks; i++) {
		e->events += e->reps[i].events;
		e->arrivals += e->reps[i].jobs;
	}
	if (stop && *stop)
		return 1;
	return rc ? -1 : 0;
}

void experiment_free(experiment *e)
{
	int ntasks = e->sc ? e->sc->npolicies * e->sc->replications : 0;
	for (int i = 0; i < ntasks; i++) {
		if (e->jobs_parts && e->jobs_parts[i])
			fclose(e->jobs_parts[i]);
		if (e->ts_parts && e->ts_parts[i])
			fclose(e->ts_parts[i]);
	}
	free(e->jobs_parts);
	free(e->ts_parts);
	free(e->reps);
	memset(e, 0, sizeof *e);
}
