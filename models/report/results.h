/* results.h - a results folder read back from its files (summary.csv, compare.csv,
 * run.json, and whether timeseries.csv and jobs.csv are there), so that plots and the
 * report are drawn the same way after `fgsim run` and by `fgsim plot DIR`. */
#ifndef FGSIM_RESULTS_H
#define FGSIM_RESULTS_H
#include <stdio.h>

#include "runjson.h"

/* One row of summary.csv or compare.csv; hw is NAN where the file leaves it empty
 * (fewer than two replications). */
typedef struct results_row {
	const char *policy, *scope, *metric;
	double mean, hw;
	long n;
} results_row;

/* A promotion's time window in simulated seconds, from the resolved scenario. */
typedef struct results_promo {
	const char *name;
	double start, end, discount; /* start and end: of its first occurrence */
	double repeat;               /* 0: a one-off; else it recurs this often ... */
	long count;                  /* ... this many times, those starting before the horizon */
} results_promo;

typedef struct results {
	char dir[4096];
	results_row *sum, *cmp;
	size_t nsum, ncmp;
	const char **policy; /* in the order summary.csv lists them: the first is the baseline */
	int npolicies;
	const char **scope; /* every scope but "all", in file order (class:, pool:, window:, ...) */
	int nscopes;
	json_t *run;             /* run.json, or NULL when it is missing or unreadable */
	const json_t *scenario;  /* its "scenario" member, or NULL */
	char run_problem[300];   /* why run is NULL, for a warning; empty when it is fine */
	const char *name, *currency;
	double horizon, warmup;  /* seconds; NAN when the scenario does not say */
	int replications;
	double confidence;
	results_promo *promo;
	int npromos;
	int has_timeseries, has_jobs, has_wait_hist;
	char **interned; /* each distinct policy, scope and metric name once; the pointers above point here */
	int ninterned;
	size_t capinterned;
} results;

/* Reads dir's result files into r. Returns 0; -2 when dir is not a results folder (no
 * readable summary.csv with the expected columns), -1 on another failure (out of
 * memory, a read error); both with a message in err, and r left empty (results_free is
 * still safe). A missing or broken run.json is not an error: r->run is NULL and
 * r->run_problem says why. */
int results_load(results *r, const char *dir, char *err, size_t errlen);
void results_free(results *r);

/* The summary.csv (or compare.csv) row for policy, scope and metric, or NULL. */
const results_row *results_summary(const results *r, const char *policy, const char *scope, const char *metric);
const results_row *results_compare(const results *r, const char *policy, const char *scope, const char *metric);

/* Reads a whole file into a malloc'd NUL-terminated buffer, its length (without the NUL)
 * in *len unless len is NULL; NULL with errno set on failure. */
char *results_read_file(const char *path, size_t *len);

/* Splits one CSV line in place into at most max fields (RFC 4180 quoting, the line's
 * trailing newline dropped). Returns the number of fields. */
int results_csv_split(char *line, char **field, int max);
/* The index of name among a header's fields, or -1. */
int results_csv_column(char **field, int nfields, const char *name);
/* A CSV cell as a number; NAN for an empty or malformed cell. */
double results_csv_number(const char *cell);
#endif
