/* signals.h - SIGINT and SIGTERM honoured at any moment. The handler only records the
 * signal; the program polls signals_pending() at safe points and unwinds (removing its
 * staging folder, exit 128 + signal). A watchdog thread covers the places that cannot
 * poll (a plugin call that loops, a write stuck on a slow disk): when the program has
 * not ended within SIGNALS_GRACE seconds of the signal, the watchdog runs the clean-up
 * registered with signals_on_abort, kills the registered child process groups and ends
 * the process with 128 + signal itself. */
#ifndef FGSIM_SIGNALS_H
#define FGSIM_SIGNALS_H
#include <sys/types.h>

#define SIGNALS_GRACE 1.0

/* Installs the handlers (without SA_RESTART, so that a blocking wait returns EINTR) and
 * starts the watchdog thread. Idempotent. Returns 0, or -1 with errno set. */
int signals_install(void);
/* 0, or the first SIGINT/SIGTERM received since signals_install. */
int signals_pending(void);
/* The flag experiment_run polls: non-zero once a signal arrived. An atomic, not a
 * volatile int: worker threads read it while the handler, on any thread, sets it. */
_Atomic int *signals_flag(void);

/* The clean-up the watchdog runs before it ends the process (one at a time; NULL
 * clears it). It runs on the watchdog's thread while the main thread may be stuck, so
 * it must not take locks the main thread may hold (no malloc, no stdio): a single
 * function without an argument, read in one atomic load, whatever it needs kept by
 * its owner. */
void signals_on_abort(void (*fn)(void));

/* Runs the registered clean-up, kills the child process groups and ends the process
 * with `status` (_exit: no atexit handlers, no stdio flush). For a watchdog that found
 * the program stuck (a plugin call over its time limit); callable from any thread. */
void signals_abort_now(int status);

/* Starts fn on a detached watcher thread with a small stack and every signal blocked,
 * so that SIGINT and SIGTERM go to the program's own threads. Returns 0, or -1 with
 * errno set. */
int signals_start_watcher(void *(*fn)(void *));

/* Child process groups (gnuplot) to kill with SIGTERM when fgsim is interrupted, so
 * that none outlives it; add when started, remove when reaped. At most
 * SIGNALS_MAX_CHILDREN at once; returns -1 when full. */
#define SIGNALS_MAX_CHILDREN 64
int signals_add_child(pid_t pgid);
void signals_remove_child(pid_t pgid);
/* Sends SIGTERM to every registered child process group. */
void signals_kill_children(void);
#endif
