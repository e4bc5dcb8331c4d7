/* signals.c - the handler records, the program unwinds, the watchdog enforces the
 * deadline. State shared with the handler and the watchdog is atomic. */
#include "signals.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static atomic_int pending; /* the signal, or 0: also the flag experiment_run polls */
static atomic_int installed;
static _Atomic(void (*)(void)) abort_fn;
static atomic_int children[SIGNALS_MAX_CHILDREN]; /* process group ids; 0 = free slot */

/* Async-signal-safe: it only records. The first signal wins (compare-exchange from
 * 0), so the exit status 128 + sig names the signal that started the unwinding even
 * if a second one follows. Flushing, unlinking and joining threads happen in the
 * program's own flow, where they are safe. */
static void on_signal(int sig)
{
	int zero = 0;
	atomic_compare_exchange_strong(&pending, &zero, sig);
}

void signals_kill_children(void)
{
	for (int i = 0; i < SIGNALS_MAX_CHILDREN; i++) {
		int g = atomic_load(&children[i]);
		if (g > 0)
			kill(-g, SIGTERM);
	}
}

/* Sleeps until a signal arrives, then gives the program SIGNALS_GRACE seconds to
 * unwind by itself before ending it. */
static void *watchdog(void *unused)
{
	const struct timespec tick = {0, 20 * 1000 * 1000};
	(void)unused;
	while (!atomic_load(&pending))
		nanosleep(&tick, NULL);
	signals_kill_children(); /* gnuplot is not ours to wait for once stopped */
	for (int i = 0; i < (int)(SIGNALS_GRACE / 0.02); i++)
		nanosleep(&tick, NULL);
	int sig = atomic_load(&pending);
	static const char msg[] = "fgsim: interrupted and still busy after a second (a plugin call or a write "
				  "that does not return): stopped\n";
	ssize_t ignored = write(2, msg, sizeof msg - 1);
	(void)ignored;
	signals_abort_now(128 + sig);
	return NULL;
}

void signals_abort_now(int status)
{
	void (*fn)(void) = atomic_load(&abort_fn);
	if (fn)
		fn();
	signals_kill_children();
	_exit(status);
}

/* A second call does nothing: a second watchdog would only race the first. Returns 0,
 * or -1 (errno set) if a handler or the thread could not be set up. */
int signals_install(void)
{
	if (atomic_exchange(&installed, 1))
		return 0;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: waitpid and friends return EINTR */
	if (sigaction(SIGINT, &sa, NULL) || sigaction(SIGTERM, &sa, NULL))
		return -1;
	return signals_start_watcher(watchdog);
}

int signals_start_watcher(void *(*fn)(void *))
{
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old); /* the new thread inherits the mask */
	pthread_t t;
	pthread_attr_t at;
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&at, 64 * 1024); /* it only sleeps and writes */
	int rc = pthread_create(&t, &at, fn, NULL);
	pthread_attr_destroy(&at);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc) {
		errno = rc;
		return -1;
	}
	return 0;
}

int signals_pending(void)
{
	return atomic_load(&pending);
}

_Atomic int *signals_flag(void)
{
	return &pending;
}

void signals_on_abort(void (*fn)(void))
{
	atomic_store(&abort_fn, fn);
}

/* A fixed table of atomics, not a list: the watchdog reads it while the main thread
 * changes it, with no lock to take in between. Returns 0, or -1 when the table is
 * full (the child then runs unlisted and is not stopped on a signal). */
int signals_add_child(pid_t pgid)
{
	for (int i = 0; i < SIGNALS_MAX_CHILDREN; i++) {
		int zero = 0;
		if (atomic_compare_exchange_strong(&children[i], &zero, (int)pgid))
			return 0;
	}
	return -1;
}

void signals_remove_child(pid_t pgid)
{
	for (int i = 0; i < SIGNALS_MAX_CHILDREN; i++) {
		int g = (int)pgid;
		if (atomic_compare_exchange_strong(&children[i], &g, 0))
			return;
	}
}
