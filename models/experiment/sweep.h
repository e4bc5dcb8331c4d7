/* sweep.h - a scenario run at many settings of some keys: `--vary` specs expanded into
 * values, their cartesian product as points, each point one whole experiment applied
 * through the same override machinery as --set, and each finished point saved on its
 * own under an identity hash so that an interrupted sweep resumes where it stopped. */
#ifndef FGSIM_SWEEP_H
#define FGSIM_SWEEP_H
#include <stdint.h>
#include <stdio.h>

#include "experiment.h"
#include "scenario_load.h"

#define SWEEP_MAX_KEYS 8
#define SWEEP_MAX_VALUES 1000
#define SWEEP_MAX_POINTS 10000

/* One varied key and its values, as libconfig literals (a list's items as given, a
 * range's numbers formatted with %.10g). */
typedef struct sweep_key {
	char key[256];
	char **value;
	int nvalues;
	size_t cap;        /* room in value (grow.h) */
	int integer_range; /* A:B[:STEP] of integers: plan needs exactly this */
} sweep_key;

typedef struct sweep {
	sweep_key keys[SWEEP_MAX_KEYS];
	int nkeys;
	long npoints; /* product of the keys' value counts */
} sweep;

/* Parses "KEY=A:B[:STEP]" (a range of integers or, with STEP, of decimals) or
 * "KEY=v1,v2,..." (libconfig literals; commas inside quotes or brackets do not split)
 * into a new key of s. Returns 0, or 2 with "--vary KEY: what is wrong" in err. */
int sweep_add_key(sweep *s, const char *arg, char *err, size_t errlen);
void sweep_free(sweep *s);

/* The value index of key k at point p: the first key varies slowest. */
int sweep_value_index(const sweep *s, long p, int k);

/* Loads the scenario of point p: the --set overrides base[0..nbase) and then the
 * point's values. Returns 0, or 2 with the message in err, where an error in a varied
 * key reads "--vary KEY: what is wrong". */
int sweep_load(const sweep *s, long p, const char *path, const sc_override *base, int nbase, scenario *sc, char *err,
	       size_t errlen);

/* A hash of everything a point's results depend on: fgsim's version, the resolved
 * scenario text, and the calibration and trace files it reads (FNV-1a, 64 bits). */
uint64_t sweep_identity(const scenario *sc);

/* Runs sc (jobs.csv and timeseries.csv off: a sweep keeps summaries only) into e.
 * Returns experiment_run's status. */
int sweep_experiment(experiment *e, scenario *sc, int threads, int quiet, _Atomic int *stop);

#endif
