/* plugin_guard.h - what keeps a policy or placement plugin from taking fgsim down
 * silently: every call into a plugin is marked in a per-thread slot, so that a watchdog
 * thread can stop a call that does not return within run.plugin_timeout, a crash
 * (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT) and an exit() inside it are reported with
 * the plugin's name, and the plugin interface can refuse calls made from the wrong
 * place (start from place()). Marking a call costs a few stores to the thread's own
 * slot and no clock read: the watchdog samples each slot's call counter instead. */
#ifndef FGSIM_PLUGIN_GUARD_H
#define FGSIM_PLUGIN_GUARD_H
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

/* What a plugin call is: the function of the plugin's table being called. */
enum { PG_NONE, PG_INIT, PG_FREE, PG_PUSH, PG_HEAD, PG_REMOVE, PG_REQUEUE, PG_SCHEDULE, PG_PLACE, PG_NCALLS };

/* The default of run.plugin_timeout, in seconds. */
#define PG_DEFAULT_TIMEOUT 10.0
/* Threads watched at once; a thread beyond them gets a slot of its own that the
 * watchdog does not see (crashes and exit() are still reported). */
#define PG_MAX_SLOTS 128

/* Where a call goes: the plugin, which of its functions, and where to read the
 * replication and the simulated time when it must be reported. It lives as long as
 * the calls that name it (in the platform; on the stack while a scenario loads). */
typedef struct pg_site {
	const char *who;   /* policy "lottery" (plugins/lottery.so) */
	int call;          /* PG_* */
	const int *rep;    /* the replication; NULL while the scenario loads */
	const double *now; /* the simulated time */
} pg_site;

/* One thread's plugin call in progress. Written by its thread only, read by the
 * watchdog and by the thread's own signal and atexit handlers: atomics, relaxed. */
typedef struct pg_slot {
	_Atomic(const pg_site *) site; /* the innermost call in progress, NULL outside one */
	atomic_ulong gen;              /* bumped at every outermost call: the watchdog's clock */
	_Atomic double timeout;        /* seconds a call may take on this thread (pg_arm) */
	atomic_int used;               /* slot taken by a thread */
	void *altstack;                /* the signal stack this slot set up, or NULL */
} pg_slot;

/* The calling thread's slot, NULL until its first call (pg_slot_claim). */
extern _Thread_local pg_slot *pg_self;

/* Claims a slot for the calling thread (a watched one while any is free) and gives the
 * thread an alternate signal stack, so a plugin that overflows its stack is reported.
 * Never fails: without a free slot the thread's calls are marked but not watched. */
pg_slot *pg_slot_claim(void);

/* The calling thread's slot. */
static inline pg_slot *pg_thread_slot(void)
{
	return pg_self ? pg_self : pg_slot_claim();
}

/* Once per run (or scenario load) on the thread about to call plugins: sets its calls'
 * time limit in seconds and, the first time, starts the watchdog and installs the
 * crash handlers and the atexit check. Returns 0, -1 if the watchdog could not start
 * (plugins then run unwatched: crashes and exit() are still reported). */
int pg_arm(double timeout);

/* Marks the start of a call at site on slot s (the calling thread's); returns what it
 * replaces, for pg_leave. Calls nest (start calls remove); only an outermost call moves
 * the counter the watchdog samples. Three stores, no clock read. */
static inline const pg_site *pg_enter(pg_slot *s, const pg_site *site)
{
	const pg_site *prev = atomic_load_explicit(&s->site, memory_order_relaxed);
	atomic_store_explicit(&s->site, site, memory_order_release);
	if (!prev)
		atomic_store_explicit(&s->gen, atomic_load_explicit(&s->gen, memory_order_relaxed) + 1,
				      memory_order_relaxed);
	return prev;
}

/* Marks the end of the call pg_enter began. */
static inline void pg_leave(pg_slot *s, const pg_site *prev)
{
	atomic_store_explicit(&s->site, prev, memory_order_release);
}

/* The PG_* of the plugin call in progress on this thread, PG_NONE outside one. */
static inline int pg_current_call(void)
{
	const pg_site *site = pg_self ? atomic_load_explicit(&pg_self->site, memory_order_relaxed) : NULL;
	return site ? site->call : PG_NONE;
}

/* A call's name for messages: "schedule", "place", ... */
const char *pg_call_name(int call);
#endif
