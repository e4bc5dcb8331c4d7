/* experiment.c - replications as tasks for the runner: in one batch for a fixed count,
 * in growing batches for a precision target, spread over processes under MPI. */
#include "experiment.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "outfile.h"
#include "platform.h"
#include "policy.h"
#include "progress.h"
#include "runner.h"
#include "stats.h"

const experiment_spread *experiment_spread_hook;
static pthread_mutex_t error_lock = PTHREAD_MUTEX_INITIALIZER;
/* one lock for every policy's wait distribution: a fold is a few thousand additions,
 * once per replication, so the workers hardly ever meet here */
static pthread_mutex_t waits_lock = PTHREAD_MUTEX_INITIALIZER;

static const experiment_spread *spread_many(void)
{
	const experiment_spread *sp = experiment_spread_hook;
	return sp && sp->size > 1 ? sp : NULL;
}

int experiment_is_root(void) { return !spread_many() || spread_many()->rank == 0; }
int experiment_agree(int rc) { return spread_many() ? spread_many()->agree(rc) : rc; }
int experiment_from_root(void *buf, size_t bytes) { return spread_many() ? spread_many()->share(buf, bytes, 0) : 0; }

/* One batch: replications [first, last) of every policy. Results go to slot
 * policy * cap + rep, so that a batch never moves what earlier ones wrote. */
typedef struct ctx {
	experiment *e;
	platform **ws; /* one workspace per worker */
	progress *pg;
	int cap, first, last;
	int rank, size; /* this process runs batch tasks rank, rank + size, ... */
	int *order;     /* the order it runs them in (run_batch) */
} ctx;

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + 1e-9 * (double)(t.tv_nsec - t0->tv_nsec);
}

static int batch_tasks(const ctx *c) { return c->e->sc->npolicies * (c->last - c->first); }
/* The result slot of batch task j. */
static int slot_of(const ctx *c, int j)
{
	int per = c->last - c->first;
	FG_ASSERT(per > 0 && c->last <= c->cap && j >= 0 && j < batch_tasks(c));
	return j / per * c->cap + c->first + j % per;
}

static int task(void *arg, int worker, int local)
{
	ctx *c = arg;
	experiment *e = c->e;
	int j = c->rank + c->order[local] * c->size, i = slot_of(c, j), pi = i / c->cap, rep = i % c->cap;
	/* a task runs a replication of this batch, for a policy of the scenario, on a
	 * worker that has its own workspace */
	FG_ASSERT(pi >= 0 && pi < e->sc->npolicies && rep >= c->first && rep < c->last);
	FG_ASSERT(worker >= 0 && worker < e->threads && c->ws[worker]);
	platform_sinks sinks = {
		.jobs = e->jobs_parts ? e->jobs_parts[i] : NULL,
		.timeseries = e->ts_parts ? e->ts_parts[i] : NULL,
		.stop = e->stop,
	};
	progress_begin(c->pg, worker, e->sc->policies[pi].label, rep);
	int rc = platform_run(c->ws[worker], pi, rep, &sinks, &e->reps[i]);
	progress_end(c->pg, worker);
	if (rc == 0) {
		pthread_mutex_lock(&waits_lock);
		for (int s = 0; s < e->waits->nscopes; s++)
			waithist_add(waithist_at(e->waits, pi, s),
				     platform_waits(c->ws[worker], s));
		pthread_mutex_unlock(&waits_lock);
	}
	/* a plugin's breach: the first in time is told (the lock orders them); which task
	 * failed first by index decides the status, in runner_run */
	if (rc && platform_error(c->ws[worker])[0]) {
		pthread_mutex_lock(&error_lock);
		if (!e->error[0])
			snprintf(e->error, sizeof e->error, "%s", platform_error(c->ws[worker]));
		pthread_mutex_unlock(&error_lock);
	}
	return rc;
}

/* Opens the per-task temporary files of a batch, so threads never share a FILE and
 * rows can be joined in task order afterwards. */
static int open_parts(FILE **parts, const ctx *c)
{
	if (!parts)
		return 0;
	for (int j = 0; j < batch_tasks(c); j++)
		if (!(parts[slot_of(c, j)] = outfile_scratch()))
			return -1;
	return 0;
}

/* Makes every process's copy of a part the owner's: its bytes are broadcast and
 * written over the (empty) local file. */
static int share_part(const experiment_spread *sp, FILE *part, int owner)
{
	long size = 0;
	char *buf = NULL;
	int mine = sp->rank == owner, bad = 0;
	if (mine) {
		fflush(part);
		bad = fseek(part, 0, SEEK_END) || (size = ftell(part)) < 0;
		rewind(part);
		if (!bad && !(buf = malloc((size_t)size + 1)))
			bad = 1;
		if (!bad && fread(buf, 1, (size_t)size, part) != (size_t)size)
			bad = 1;
		if (bad)
			size = -1;
	}
	if (sp->share(&size, sizeof size, owner) || size < 0) {
		free(buf);
		return -1;
	}
	if (!mine && !(buf = malloc((size_t)size + 1)))
		bad = 1;
	/* every process takes part in the broadcast, or the others would wait for it */
	if (sp->share(buf ? buf : (char[1]){0}, buf ? (size_t)size : 0, owner) || bad) {
		free(buf);
		return -1;
	}
	if (!mine && fwrite(buf, 1, (size_t)size, part) != (size_t)size)
		bad = 1;
	free(buf);
	return bad ? -1 : 0;
}

/* Gives every process the wait distribution of every replication: each process's
 * own folds are broadcast in turn and merged by the others (min, max and sums: the
 * result does not depend on which process ran which replication). */
static int share_waits(const experiment_spread *sp, waithist *w, int rank)
{
	size_t n = (size_t)w->npolicies * w->nscopes;
	waithist_cell *mine = malloc(n * sizeof *mine), *got = malloc(n * sizeof *got);
	int bad = !mine || !got;
	if (!bad)
		memcpy(mine, w->cell, n * sizeof *mine);
	for (int owner = 0; owner < sp->size; owner++) {
		/* every process takes part in every broadcast, even after a failure */
		waithist_cell *buf = owner == rank ? mine : got;
		void *b = buf ? (void *)buf : (void *)(char[1]){0};
		if (sp->share(b, buf ? n * sizeof *buf : 0, owner))
			bad = 1;
		for (size_t i = 0; !bad && owner != rank && i < n; i++)
			waithist_merge(&w->cell[i], &got[i]);
	}
	free(mine);
	free(got);
	return bad ? -1 : 0;
}

static int run_batch(ctx *c)
{
	experiment *e = c->e;
	const experiment_spread *sp = experiment_spread_hook;
	int n = batch_tasks(c), mine = c->size > 1 ? (n - c->rank + c->size - 1) / c->size : n;
	if (open_parts(e->jobs_parts, c) || open_parts(e->ts_parts, c))
		return -1;
	/* Policies that schedule by themselves (easy-backfill, such plugins) take longest:
	 * they go first, so no thread is left with one of them at the end while the others
	 * idle. Results go to their slots whatever the order: the bytes do not change. */
	if (!(c->order = malloc((size_t)(mine > 0 ? mine : 1) * sizeof *c->order)))
		return -1;
	int k = 0;
	for (int heavy = 1; heavy >= 0; heavy--)
		for (int local = 0; local < mine; local++) {
			int pi = slot_of(c, c->rank + local * c->size) / c->cap;
			if ((policy_ops_of(&e->sc->policies[pi])->schedule != NULL) == heavy)
				c->order[k++] = local;
		}
	FG_ASSERT(k == (mine > 0 ? mine : 0)); /* each of this process's tasks ordered once */
	int rc = runner_run(mine, e->threads, task, c, e->stop);
	free(c->order);
	c->order = NULL;
	/* Under MPI every process must take part in every broadcast below, or the others
	 * would wait for it forever: first all agree whether to go on, then each slot's
	 * results come from the process that ran it (task j ran on rank j % size). */
	if (sp && c->size > 1) {
		rc = sp->agree(rc);
		for (int j = 0; !rc && j < n; j++) {
			int i = slot_of(c, j), owner = j % c->size;
			if (sp->share(&e->reps[i], sizeof *e->reps, owner) ||
			    (e->jobs_parts && share_part(sp, e->jobs_parts[i], owner)) ||
			    (e->ts_parts && share_part(sp, e->ts_parts[i], owner)))
				rc = -1;
		}
		rc = sp->agree(rc);
	}
	return rc;
}

/* The precision test over replications [0, n) of every policy: the largest ratio of
 * half-width to target (INFINITY where there is no half-width yet). */
static double precision_ratio(const experiment *e, int cap, int n, int *worst_pi, int *worst_m)
{
	const scenario *sc = e->sc;
	const precision_spec *ps = &sc->precision;
	FG_ASSERT(n >= 1 && n <= cap);
	double worst = -1, x[n];
	for (int pi = 0; pi < sc->npolicies; pi++)
		for (int k = 0; k < ps->nmetrics; k++) {
			double mean, hw, ratio;
			for (int r = 0; r < n; r++)
				x[r] = e->reps[(size_t)pi * cap + r].v[ps->scope][ps->metric[k]];
			stat_ci(x, (size_t)n, sc->confidence, &mean, &hw);
			double target = ps->relative > 0 ? ps->relative * fabs(mean) : ps->absolute;
			ratio = !isfinite(hw) ? INFINITY : hw == 0 ? 0 : target > 0 ? hw / target : INFINITY;
			if (ratio > worst) {
				worst = ratio;
				*worst_pi = pi;
				*worst_m = ps->metric[k];
			}
		}
	return worst;
}

/* The next replication count: a half-width shrinks as 1/sqrt(n), so n (hw/target)^2
 * is the estimate of what is needed, taken at least 2 more and at most twice as many
 * per batch (the estimate is itself noisy), and never beyond the maximum. It depends
 * only on results, never on threads or timing, so every run takes the same path. */
static int next_count(int n, double ratio, int max)
{
	double need = isfinite(ratio) ? ceil(n * ratio * ratio) : INFINITY;
	double next = fmin(2.0 * n, fmax(n + 2.0, need));
	int r = next > max ? max : (int)next;
	/* called only below the maximum: every batch adds replications, so the loop ends */
	FG_ASSERT(n >= 1 && n < max && r > n && r <= max);
	return r;
}

/* Moves slot policy * cap + rep to policy * n + rep (n <= cap), the layout output reads. */
static void compact(experiment *e, int cap, int n)
{
	int np = e->sc->npolicies;
	FG_ASSERT(n >= 1 && n <= cap); /* moving down only: no slot is written before it is read */
	for (int pi = 1; pi < np; pi++)
		for (int r = 0; r < n; r++) {
			size_t from = (size_t)pi * cap + r, to = (size_t)pi * n + r;
			e->reps[to] = e->reps[from];
			if (e->jobs_parts)
				e->jobs_parts[to] = e->jobs_parts[from];
			if (e->ts_parts)
				e->ts_parts[to] = e->ts_parts[from];
		}
	for (size_t i = (size_t)np * n; i < (size_t)np * cap; i++) { /* moved away, or never opened */
		if (e->jobs_parts)
			e->jobs_parts[i] = NULL;
		if (e->ts_parts)
			e->ts_parts[i] = NULL;
	}
}

static void say_precision(const experiment *e)
{
	const scenario *sc = e->sc;
	const precision_spec *ps = &sc->precision;
	const experiment_precision *p = &e->precision;
	char scope[SC_NAME_MAX + 16], target[64];
	scope_name(sc, ps->scope, scope, sizeof scope);
	if (ps->relative > 0)
		snprintf(target, sizeof target, "%g%% of the mean", 100 * ps->relative);
	else
		snprintf(target, sizeof target, "%g", ps->absolute);
	if (p->met)
		fprintf(stderr, "precision: met after %d replications (%d batches): every half-width within %s for %s, "
				"every policy (widest: %s %s at %.0f%% of its target)\n",
			sc->replications, p->rounds, target, scope, sc->policies[p->worst_policy].label,
			metric_names[p->worst_metric], 100 * p->worst);
	else
		fprintf(stderr, "precision: gave up at max_replications = %d: %s of %s (%s) is still at %.3g times "
				"its target half-width (%s)\n",
			sc->replications, metric_names[p->worst_metric], sc->policies[p->worst_policy].label, scope,
			p->worst, target);
}

static void say_warmup(const experiment *e)
{
	const warmup_choice *w = &e->warmup;
	fprintf(stderr, "warm-up: %.6g s (%.3g days) chosen by MSER-5 on the jobs in system of %s replication 0, "
			"sampled every %.6g s (%zu of %zu samples deleted)%s\n",
		w->seconds, w->seconds / 86400, e->sc->policies[0].label, w->step, w->deleted, w->samples,
		w->at_limit ? "; the minimum is at the end of the first half: a longer horizon may be needed" : "");
}

int experiment_run(experiment *e, const scenario *sc, int threads, int quiet, _Atomic int *stop)
{
	const experiment_spread *sp = experiment_spread_hook;
	memset(e, 0, sizeof *e);
	e->sc = sc;
	e->threads = threads < 1 ? 1 : threads;
	e->quiet = quiet || !isatty(STDERR_FILENO);
	e->stop = stop;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (sc->warmup_auto || sc->precision.nmetrics) {
		if (!(e->own = malloc(sizeof *e->own)))
			return -1;
		/* a copy, so warm-up and the replication count the run settles on are written
		 * down without changing the caller's scenario; shallow: sc's tables outlive e */
		*e->own = *sc;
		e->sc = e->own;
	}
	if (sc->warmup_auto) {
		int rc = warmup_auto(sc, stop, &e->warmup); /* deterministic: every process agrees */
		if (rc)
			return rc > 0 ? 1 : -1;
		e->own->warmup = e->warmup.seconds;
		if (!quiet)
			say_warmup(e);
	}
	int np = sc->npolicies, n = sc->replications;
	int cap = sc->precision.nmetrics ? sc->precision.max_replications : n;
	size_t slots = (size_t)np * cap;
	e->reps = calloc(slots, sizeof *e->reps);
	e->waits = waithist_new(np, scope_count(sc));
	if (!e->reps || !e->waits || (sc->jobs_csv && !(e->jobs_parts = calloc(slots, sizeof(FILE *)))) ||
	    (sc->timeseries_step > 0 && !(e->ts_parts = calloc(slots, sizeof(FILE *)))))
		return -1;
	FG_ASSERT(np >= 1 && n >= 1 && cap >= n);
	ctx c = {
		.e = e,
		.ws = calloc((size_t)e->threads, sizeof(platform *)),
		.cap = cap,
		.first = 0,
		.last = n,
		.rank = 0,
		.size = 1,
	};
	if (sp && sp->size > 1) {
		c.rank = sp->rank;
		c.size = sp->size;
	}
	int rc = c.ws ? 0 : -1;
	if (!rc && !e->quiet)
		c.pg = progress_start(sc->name, sc->horizon, (np * n + c.size - 1) / c.size, e->threads);
	for (int w = 0; !rc && w < e->threads; w++)
		if (!(c.ws[w] = platform_new(e->sc)))
			rc = -1;
		else
			platform_set_clock(c.ws[w], progress_clock(c.pg, w));
	while (!rc) {
		rc = run_batch(&c);
		e->precision.rounds++;
		if (rc || !sc->precision.nmetrics)
			break;
		double ratio = precision_ratio(e, cap, c.last, &e->precision.worst_policy, &e->precision.worst_metric);
		e->precision.worst = ratio;
		e->precision.met = ratio <= 1;
		if (e->precision.met || c.last >= cap)
			break;
		c.first = c.last;
		c.last = next_count(c.last, ratio, cap);
		progress_add(c.pg, (np * (c.last - c.first) + c.size - 1) / c.size);
	}
	progress_stop(c.pg);
	/* rc is every process's by now (run_batch agrees on it), so all share or none */
	if (!rc && c.size > 1 && share_waits(sp, e->waits, c.rank))
		rc = -1;
	for (int w = 0; c.ws && w < e->threads; w++)
		platform_free(c.ws[w]);
	free(c.ws);
	FG_ASSERT(c.first < c.last && c.last <= cap);
	compact(e, cap, c.last);
	if (e->own)
		e->own->replications = c.last;
	e->wall_seconds = seconds_since(&t0);
	for (int i = 0; i < np * c.last; i++) {
		e->events += e->reps[i].events;
		e->arrivals += e->reps[i].jobs;
	}
	if (stop && *stop)
		return 1;
	/* Giving up is a warning, shown even with --quiet; success is news only without it. */
	if (!rc && sc->precision.nmetrics && (!quiet || !e->precision.met))
		say_precision(e);
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
	waithist_free(e->waits);
	free(e->own);
	memset(e, 0, sizeof *e);
}
