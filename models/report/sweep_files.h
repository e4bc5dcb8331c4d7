/* sweep_files.h - a sweep's files on disk: each finished point saved on its own under
 * its identity hash (sweep.h, sweep_identity), so that an interrupted sweep resumes where
 * it stopped, and sweep.csv assembled from the saved points. */
#ifndef FGSIM_SWEEP_FILES_H
#define FGSIM_SWEEP_FILES_H
#include <stdint.h>
#include <stdio.h>

#include "experiment.h"
#include "sweep.h"

/* dir/points/ID.csv: a finished point's summary rows, and ID.replications.csv beside it
 * its replications' values (for sweep_compare.csv). sweep_point_saved says whether
 * it is there, complete and of this identity; sweep_point_save writes it atomically.
 * Both return 0 for yes / success, -1 otherwise (save: errno set). */
int sweep_point_saved(const char *dir, uint64_t id);
int sweep_point_save(const char *dir, uint64_t id, const char *what, const experiment *e);

/* Writes dir/sweep.csv (atomically) from the saved points, in point order: one column
 * per varied key, then summary.csv's columns. Returns 0, or -1 with a message in err. */
int sweep_write_csv(const sweep *s, const char *dir, const uint64_t *ids, char *err,
		    size_t errlen);

/* Writes dir/sweep_compare.csv from the saved points' replications: the varied keys,
 * then compare.csv's columns (each policy against the first, paired by replication,
 * Bonferroni over the other policies at confidence[p] for point p). Returns 0, or -1
 * with a message in err. */
int sweep_write_compare(const sweep *s, const char *dir, const uint64_t *ids,
			const double *confidence, char *err, size_t errlen);

/* One metric of one scope at the saved point `id` (16 hex digits): x[p * n + r] for
 * policy p (named in (*policy)[p], in the point's order) and replication r, malloc'd
 * like *policy and its names; NULL when the point's replications cannot be read or do
 * not hold the metric for every policy and replication alike. */
double *sweep_point_matrix(const char *dir, const char *id, const char *scope, const char *metric,
			   char ***policy, int *k, int *n);

/* A CSV cell: quoted (RFC 4180) when it holds a comma, quote or space at its ends. */
void sweep_csv_cell(FILE *f, const char *text);
#endif
