/* warmup.h - run.warmup = "auto": the warm-up chosen by MSER-5 (sim/mser.h) on the
 * number of jobs in the system over time in a pilot replication (replication 0 of the
 * first policy). */
#ifndef FGSIM_WARMUP_H
#define FGSIM_WARMUP_H
#include <stddef.h>

#include "scenario.h"

/* Samples of the pilot's jobs in system over the horizon: 200 batches of 5. */
#define WARMUP_SAMPLES 1000

typedef struct warmup_choice {
	double seconds;  /* the warm-up: the time of the first sample kept */
	double step;     /* seconds between samples */
	size_t samples, deleted;
	int at_limit;    /* the minimum fell at the end of the first half: the horizon may be too short */
} warmup_choice;

/* Runs the pilot of sc (its own warm-up ignored) and fills *out. Returns 0; 1 if
 * stopped through *stop; -1 on no memory or a temporary-file error. */
int warmup_auto(const scenario *sc, _Atomic int *stop, warmup_choice *out);
#endif
