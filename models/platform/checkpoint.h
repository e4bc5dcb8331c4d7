/* checkpoint.h - periodic checkpoints of a job's work (a class's checkpoint = { every;
 * cost; restart; }): the run's wall time for a given work, the work done and saved
 * after a given time, and Young's optimal interval. Pure arithmetic, tested alone
 * (tests/test_failures.c); the platform's failures.c applies it.
 *
 * A run that resumes after an interruption starts with `restart` seconds of reloading,
 * then alternates `every` seconds of work with a `cost`-second pause that writes a
 * checkpoint; the last stretch of work ends the job without one:
 *     [restart][every][cost][every][cost]...[rest of the work]
 * A checkpoint counts once its pause is over: a failure during the pause loses the
 * stretch of work before it. */
#ifndef FGSIM_CHECKPOINT_H
#define FGSIM_CHECKPOINT_H

typedef struct ckpt_plan {
	double every, cost, restart; /* every 0: no checkpoints, restart still applies */
} ckpt_plan;

/* Where a run stands after `elapsed` seconds (restart: the reloading this run began
 * with): the work done, the work saved by its last completed checkpoint, the elapsed
 * time at which that checkpoint completed (0: none yet, the run's work is all at risk),
 * and the seconds spent writing checkpoints. */
typedef struct ckpt_state {
	double work, saved, saved_at, pauses;
} ckpt_state;

/* Wall time of a run that does `work` seconds of work and begins with `restart`. */
double ckpt_wall(const ckpt_plan *c, double work, double restart);
/* The state after elapsed seconds of a run that began with restart. */
ckpt_state ckpt_after(const ckpt_plan *c, double elapsed, double restart);
/* Young's interval (1974), sqrt(2 x cost x mtbf): the work between checkpoints that
 * minimises the expected overhead (cost / every + every / (2 mtbf)) to first order.
 * Daly's (2006) higher-order form, which subtracts about the cost, is not used: Young's
 * is the one a user can check by hand. Returns 0 when cost or mtbf is not positive. */
double ckpt_young(double cost, double mtbf);
#endif
