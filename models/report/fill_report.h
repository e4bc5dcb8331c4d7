/* fill_report.h - what `fgsim fill` writes: fill.csv (the curves with their intervals
 * over seeds) and the plots of allocation and fragmentation against arrived workload
 * (fill_report.c). */
#ifndef FGSIM_FILL_REPORT_H
#define FGSIM_FILL_REPORT_H
#include "fill.h"
#include <stddef.h>
#include <stdio.h>

/* Writes DIR/fill.csv: one row per placement and arrived percent, the mean over seeds
 * and its confidence interval's half width (t, `confidence`). Returns 0, or -1 with the
 * reason in err. */
int fill_write_csv(const char *dir, const fill_cfg *cfg, const fill_result *r, double confidence,
		   char *err, size_t errlen);

/* Writes DIR/plots/{style.gp,fill.dat,fill_alloc.gp,fill_frag.gp} and draws
 * fill_alloc.png/.svg and fill_frag.png/.svg with gnuplot. Returns 0, or -1 with the
 * reason in err. */
int fill_write_plots(const char *dir, const fill_cfg *cfg, const fill_result *r, char *err,
		     size_t errlen);

/* The table `fgsim fill` prints: per placement, the mean allocation at 100% of the GPUs
 * arrived and at the last point, and the fragmentation there, each header naming its
 * point ("alloc @130%"). */
void fill_print_table(FILE *f, const fill_cfg *cfg, const fill_result *r);

/* The mean over seeds of placement pl_i's series at point k (0: alloc, 1: frag, 2: failed). */
double fill_mean(const fill_result *r, int pl_i, int k, int what);
#endif
