/* plugin_guard.c - the watchdog over plugin calls, the crash report and the exit()
 * check. A stuck call cannot be cancelled (it may hold any lock), so the watchdog
 * reports it and ends the process through signals_abort_now, which removes what was
 * being written; a crash is reported with write(2) alone and then takes its course. */
#include "plugin_guard.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "signals.h"

_Thread_local pg_slot *pg_self;

static pg_slot slots[PG_MAX_SLOTS];
static _Thread_local pg_slot spare; /* a thread's slot when every watched one is taken */
static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_key_t slot_key; /* gives the slot back when its thread ends */
static atomic_int watching;    /* the watchdog runs */

static const int crash_sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
#define NCRASH ((int)(sizeof crash_sigs / sizeof crash_sigs[0]))
static struct sigaction crash_old[NCRASH]; /* what was there before: the default, or ASan's */

/* Large enough for the report itself; SIGSTKSZ is no constant in newer glibc. */
#define ALTSTACK_SIZE (64 * 1024)

const char *pg_call_name(int call)
{
	static const char *const names[PG_NCALLS] = {"?",	"init",	  "free",     "push", "head",
						     "remove", "requeue", "schedule", "place"};
	return call > 0 && call < PG_NCALLS ? names[call] : "?";
}

/* ---- async-signal-safe formatting: a buffer, strings and numbers ----------------- */

typedef struct sbuf {
	char b[640];
	size_t n;
} sbuf;

static void put(sbuf *s, const char *t)
{
	while (*t && s->n < sizeof s->b)
		s->b[s->n++] = *t++;
}

static void put_uint(sbuf *s, unsigned long long v)
{
	char d[24];
	int k = 0;
	do
		d[k++] = (char)('0' + v % 10);
	while ((v /= 10) && k < (int)sizeof d);
	while (k > 0 && s->n < sizeof s->b)
		s->b[s->n++] = d[--k];
}

/* A non-negative time in seconds with three decimals (simulated times are below 1e15). */
static void put_time(sbuf *s, double t)
{
	if (!(t >= 0) || t > 1e15) {
		put(s, "?");
		return;
	}
	unsigned long long ms = (unsigned long long)(t * 1000 + 0.5);
	put_uint(s, ms / 1000);
	put(s, ".");
	char f[4] = {(char)('0' + ms / 100 % 10), (char)('0' + ms / 10 % 10), (char)('0' + ms % 10), 0};
	put(s, f);
}

/* "fgsim: policy "x" (path)<what><what2> in its <call> call, replication R, at
 * simulated time T s" */
static void put_where(sbuf *s, const pg_site *site, const char *what, const char *what2)
{
	put(s, "fgsim: ");
	put(s, site->who);
	put(s, what);
	put(s, what2);
	put(s, " in its ");
	put(s, pg_call_name(site->call));
	put(s, " call");
	if (site->rep) {
		put(s, ", replication ");
		put_uint(s, (unsigned)*site->rep);
		put(s, ", at simulated time ");
		put_time(s, *site->now);
		put(s, " s");
	} else {
		put(s, ", while the scenario loads");
	}
}

static void say(const sbuf *s)
{
	size_t off = 0;
	while (off < s->n) {
		ssize_t w = write(2, s->b + off, s->n - off);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
}

/* ---- slots --------------------------------------------------------------------- */

static void release(void *arg)
{
	pg_slot *s = arg;
	if (s->altstack) {
		stack_t off = {.ss_flags = SS_DISABLE};
		sigaltstack(&off, NULL);
		free(s->altstack);
		s->altstack = NULL;
	}
	atomic_store(&s->site, NULL);
	if (s != &spare)
		atomic_store(&s->used, 0);
}

static void make_key(void)
{
	pthread_key_create(&slot_key, release);
}

pg_slot *pg_slot_claim(void)
{
	pg_slot *s = &spare;
	for (int i = 0; i < PG_MAX_SLOTS; i++) {
		int zero = 0;
		if (atomic_compare_exchange_strong(&slots[i].used, &zero, 1)) {
			s = &slots[i];
			break;
		}
	}
	atomic_store(&s->site, NULL);
	atomic_store(&s->timeout, PG_DEFAULT_TIMEOUT);
	/* A stack overflow in a plugin can only be reported from another stack. Keep one
	 * that is there already (ASan gives each thread its own). */
	stack_t cur;
	if (sigaltstack(NULL, &cur) == 0 && (cur.ss_flags & SS_DISABLE) && (s->altstack = malloc(ALTSTACK_SIZE))) {
		stack_t st = {.ss_sp = s->altstack, .ss_size = ALTSTACK_SIZE, .ss_flags = 0};
		if (sigaltstack(&st, NULL)) {
			free(s->altstack);
			s->altstack = NULL;
		}
	}
	pthread_once(&once, make_key);
	pthread_setspecific(slot_key, s);
	pg_self = s;
	return s;
}

/* ---- the watchdog -------------------------------------------------------------- */

static double mono(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Ten times a second, each slot's call counter: a call still in progress with the same
 * counter as timeout seconds ago has run at least that long. */
static void *watchdog(void *unused)
{
	static unsigned long seen_gen[PG_MAX_SLOTS];
	static double seen_at[PG_MAX_SLOTS]; /* when seen_gen was first seen; 0: no call */
	const struct timespec tick = {0, 100 * 1000 * 1000};
	(void)unused;
	for (;;) {
		nanosleep(&tick, NULL);
		double t = mono();
		for (int i = 0; i < PG_MAX_SLOTS; i++) {
			pg_slot *s = &slots[i];
			const pg_site *site = atomic_load(&s->used) ? atomic_load(&s->site) : NULL;
			unsigned long g = atomic_load(&s->gen);
			if (!site) {
				seen_at[i] = 0;
				continue;
			}
			if (seen_at[i] == 0 || g != seen_gen[i]) {
				seen_gen[i] = g;
				seen_at[i] = t;
				continue;
			}
			double limit = atomic_load(&s->timeout);
			if (t - seen_at[i] < limit)
				continue;
			/* The site lives as long as the call, which has not returned: it is
			 * stuck, or it just returned, and then the counter or the site moved. */
			sbuf m = {.n = 0};
			char lim[64];
			snprintf(lim, sizeof lim, ": no return within %g s (run.plugin_timeout)", limit);
			put_where(&m, site, " hung", "");
			put(&m, lim);
			put(&m, "; stopped, no results written\n");
			if (atomic_load(&s->site) != site || atomic_load(&s->gen) != g)
				continue;
			say(&m);
			signals_abort_now(1);
		}
	}
	return NULL;
}

/* ---- crashes and exit() -------------------------------------------------------- */

static const char *sig_name(int sig)
{
	switch (sig) {
	case SIGSEGV: return "SIGSEGV";
	case SIGBUS: return "SIGBUS";
	case SIGFPE: return "SIGFPE";
	case SIGILL: return "SIGILL";
	case SIGABRT: return "SIGABRT";
	}
	return "a signal";
}

/* Inside a plugin call: says which plugin crashed. Then, in or out of one, puts back
 * what was there before (the default action, or a sanitizer's handler) and lets the
 * signal take its course: a fault returns to the faulting instruction, which faults
 * again; a signal that was sent (abort, kill) is sent again, delivered on return. */
static void on_crash(int sig, siginfo_t *info, void *uctx)
{
	(void)uctx;
	pg_slot *s = pg_self;
	const pg_site *site = s ? atomic_load_explicit(&s->site, memory_order_relaxed) : NULL;
	if (site) {
		sbuf m = {.n = 0};
		put_where(&m, site, " crashed with ", sig_name(sig));
		put(&m, "; no results written\n");
		say(&m);
	}
	for (int k = 0; k < NCRASH; k++)
		if (crash_sigs[k] == sig)
			sigaction(sig, &crash_old[k], NULL);
	if (info->si_code <= 0 || sig == SIGABRT)
		raise(sig);
}

/* exit() from inside a plugin call would run fgsim's clean-up half-way and end with
 * the plugin's status (often 0, with no results): end it with status 1 instead,
 * through the same clean-up as an interrupt. Two threads may call exit() at once (one
 * plugin on -j N): glibc lets the second pick up the handlers the first has not run
 * yet and, when none is left, end the process with its own status. So the check is
 * registered many times, and a thread that finds another one already ending the
 * process waits for it. */
#define EXIT_CHECKS 64
static atomic_int exiting;

static void on_exit_check(void)
{
	pg_slot *s = pg_self;
	const pg_site *site = s ? atomic_load(&s->site) : NULL;
	if (atomic_load(&exiting))
		for (;;)
			pause();
	if (!site)
		return;
	atomic_store(&exiting, 1);
	sbuf m = {.n = 0};
	put_where(&m, site, " called exit()", "");
	put(&m, "; stopped, no results written\n");
	say(&m);
	signals_abort_now(1);
}

static atomic_int installed;

static void install(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_crash;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	for (int k = 0; k < NCRASH; k++)
		sigaction(crash_sigs[k], &sa, &crash_old[k]);
	for (int i = 0; i < EXIT_CHECKS; i++)
		atexit(on_exit_check);
}

int pg_arm(double timeout)
{
	pg_slot *s = pg_thread_slot();
	atomic_store(&s->timeout, timeout > 0 ? timeout : PG_DEFAULT_TIMEOUT);
	if (!atomic_exchange(&installed, 1))
		install();
	if (atomic_load(&watching))
		return 0;
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	int rc = 0;
	pthread_mutex_lock(&lock);
	if (!atomic_load(&watching)) {
		/* The watchdog takes no signal meant for the program (SIGINT, SIGTERM). */
		rc = signals_start_watcher(watchdog);
		if (!rc)
			atomic_store(&watching, 1);
	}
	pthread_mutex_unlock(&lock);
	return rc;
}
