/* output.h - an experiment's result files: summary.csv, replications.csv, compare.csv,
 * timeseries.csv, jobs.csv and run.json, each written atomically into one folder. */
#ifndef FGSIM_OUTPUT_H
#define FGSIM_OUTPUT_H
#include "experiment.h"
#include "runjson.h"

/* Writes every file for e into dir (created if needed). `argv` is recorded in run.json.
 * Returns 0, or -1 with a message in err. */
int output_write(const experiment *e, const char *dir, int argc, char **argv, char *err, size_t errlen);
/* Writes summary.csv's rows (header first) for e to f: sweeps keep them per point. */
void output_summary(const experiment *e, FILE *f);
/* Writes replications.csv's rows (header first) for e to f, values with `digits`
 * significant digits (10 in replications.csv; a sweep keeps all 17 per point). */
void output_replications(const experiment *e, FILE *f, int digits);
extern const char output_replications_header[]; /* its first line */
/* One CSV cell: as it is, or quoted per RFC 4180 (a quote doubled) when it holds a
 * comma, quote, CR or LF or starts or ends with a space. */
void output_csv_cell(FILE *f, const char *text);
/* The first members of every run.json (fgsim's version, the command line, the scenario
 * file and name) as a new object for the caller to add to and write (runjson_write);
 * NULL when out of memory. */
json_t *output_json_preamble(const scenario *sc, int argc, char **argv);
/* Prints the headline table (per policy: waits, abandonment, utilisation, profit) to f. */
void output_headline(const experiment *e, FILE *f);
/* "412.3 +- 35.1": a mean and its half-width (or the mean alone when hw is not finite)
 * in the headline's style - plain decimals giving the mean four significant digits,
 * never 1.06e+03. Returns buf. */
const char *output_plain_ci(double mean, double hw, char *buf, size_t len);
#endif
