/* progress.c - the progress line: workers publish, one thread draws every 250 ms, so
 * the event loop never writes to the terminal and pays only the clock store that
 * platform.c makes every 65536 events. */
#include "progress.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

#define SHOWN_WORKERS 4 /* at most; the overall figures cover the rest */
#define LINE_MAX_COLS 400 /* wider terminals get a line no longer than this */

/* The clock is the only field written without the lock (by the event loop, which must
 * not wait for the drawing thread): an _Atomic, so the two threads never race on it
 * (volatile would not make that defined), relaxed because the line needs no ordering
 * with anything else, which keeps the worker's side a plain store on x86-64 and ARM. */
typedef struct slot {
	_Atomic double clock;
	const char *label; /* NULL when idle */
	int rep;
} slot;

struct progress {
	const char *name;
	double horizon;
	int total, done, workers, quit;
	slot *w;
	struct timespec t0;
	pthread_t tid;
	pthread_mutex_t lock;
	pthread_cond_t wake;
};

static double elapsed(const progress *p)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - p->t0.tv_sec) + 1e-9 * (double)(t.tv_nsec - p->t0.tv_nsec);
}

/* The terminal's width: COLUMNS when set (a user's override, as ls reads it), else what
 * the terminal on stderr says (asked at every redraw, so a resized window is followed),
 * else 80. */
static int term_width(void)
{
	const char *env = getenv("COLUMNS");
	int cols = env ? atoi(env) : 0;
	struct winsize ws;
	if (cols <= 0 && ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0)
		cols = ws.ws_col;
	if (cols <= 0)
		cols = 80;
	return cols < LINE_MAX_COLS ? cols : LINE_MAX_COLS;
}

/* Called with the lock held. The line is kept to the terminal's width less one column
 * (a line that reaches the last column wraps on some terminals, and a wrapped line is
 * not redrawn by \r): what does not fit is left out, the workers' details and the
 * elapsed time first, so that the counts, the share done and the ETA stay. */
static void draw(progress *p)
{
	double frac = p->done, el = elapsed(p);
	char workers[SHOWN_WORKERS][96], head[128], overall[32], spent[32], eta[32] = "";
	int nshown = 0;
	for (int i = 0; i < p->workers; i++) {
		if (!p->w[i].label)
			continue;
		double clock = atomic_load_explicit(&p->w[i].clock, memory_order_relaxed);
		double day = clock / 86400;
		frac += clock / p->horizon;
		if (nshown < SHOWN_WORKERS)
			snprintf(workers[nshown++], sizeof workers[0], " [%.20s #%d day %.1f/%.*f]", p->w[i].label,
				 p->w[i].rep, day, p->horizon < 864000 ? 1 : 0, p->horizon / 86400);
	}
	frac = p->total ? frac / p->total : 1;
	snprintf(head, sizeof head, "%.60s: %d/%d replications", p->name, p->done, p->total);
	snprintf(overall, sizeof overall, ", %.0f%% overall", 100 * frac);
	snprintf(spent, sizeof spent, ", %.0fs elapsed", el);
	if (frac > 0.01 && frac < 1)
		snprintf(eta, sizeof eta, ", ETA %.0fs", el * (1 - frac) / frac);
	int room = term_width() - 1 - (int)strlen(overall);
	int len = (int)strlen(head);
	/* in order of what matters: the ETA, then each worker, then the time spent */
	int with_eta = len + (int)strlen(eta) <= room;
	len += with_eta ? (int)strlen(eta) : 0;
	int nfit = 0;
	while (nfit < nshown && len + (int)strlen(workers[nfit]) <= room)
		len += (int)strlen(workers[nfit++]);
	int with_spent = len + (int)strlen(spent) <= room;
	fprintf(stderr, "\r%.*s", room > 8 ? room : 8, head); /* a narrow terminal: the head, cut */
	for (int i = 0; i < nfit; i++)
		fputs(workers[i], stderr);
	if (len <= room)
		fprintf(stderr, "%s%s%s", overall, with_spent ? spent : "", with_eta ? eta : "");
	fputs("\033[K", stderr); /* clear what a longer previous line left */
	fflush(stderr);
}

static void *ticker(void *arg)
{
	progress *p = arg;
	pthread_mutex_lock(&p->lock);
	while (!p->quit) {
		draw(p);
		struct timespec t;
		clock_gettime(CLOCK_REALTIME, &t);
		t.tv_nsec += 250000000L;
		if (t.tv_nsec >= 1000000000L) {
			t.tv_sec++;
			t.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&p->wake, &p->lock, &t);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

progress *progress_start(const char *name, double horizon, int total, int workers)
{
	FG_ASSERT(name && workers >= 1 && total >= 0);
	progress *p = calloc(1, sizeof *p);
	if (!p || !(p->w = calloc((size_t)workers, sizeof *p->w)))
		goto fail;
	p->name = name;
	p->horizon = horizon;
	p->total = total;
	p->workers = workers;
	clock_gettime(CLOCK_MONOTONIC, &p->t0);
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->wake, NULL);
	if (pthread_create(&p->tid, NULL, ticker, p) == 0)
		return p;
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->wake);
fail:
	if (p)
		free(p->w);
	free(p);
	return NULL;
}

_Atomic double *progress_clock(progress *p, int worker)
{
	FG_ASSERT(!p || (worker >= 0 && worker < p->workers));
	return p ? &p->w[worker].clock : NULL;
}

void progress_begin(progress *p, int worker, const char *label, int rep)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	/* a worker runs one replication at a time: its slot is idle when it begins one */
	FG_ASSERT(worker >= 0 && worker < p->workers && label && !p->w[worker].label);
	atomic_store_explicit(&p->w[worker].clock, 0, memory_order_relaxed);
	p->w[worker].label = label;
	p->w[worker].rep = rep;
	pthread_mutex_unlock(&p->lock);
}

void progress_end(progress *p, int worker)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	FG_ASSERT(worker >= 0 && worker < p->workers && p->w[worker].label); /* it began one */
	p->w[worker].label = NULL;
	p->done++;
	FG_ASSERT(p->done <= p->total); /* total counts every replication this process runs */
	pthread_mutex_unlock(&p->lock);
}

void progress_add(progress *p, int more)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	FG_ASSERT(more >= 0);
	p->total += more;
	pthread_mutex_unlock(&p->lock);
}

void progress_stop(progress *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->quit = 1;
	pthread_cond_signal(&p->wake);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->tid, NULL);
	draw(p);
	fputc('\n', stderr);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->wake);
	free(p->w);
	free(p);
}
