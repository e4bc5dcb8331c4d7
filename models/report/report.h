/* report.h - report.html: one self-contained page (inline CSS and SVG, nothing fetched
 * from anywhere) with the scenario, the key results per policy with their confidence
 * intervals, the paired comparison against the first policy, per-class, per-pool and
 * per-promotion tables, and the plots. */
#ifndef FGSIM_REPORT_H
#define FGSIM_REPORT_H
#include <stdio.h>

#include "plots.h"
#include "results.h"

typedef struct report_info {
	int plots, drawn; /* plots that apply to the folder, and how many gnuplot drew */
	int gnuplot;      /* gnuplot was found */
} report_info;

/* Writes r->dir/report.html (atomically), embedding the SVG of every plot in set that
 * was drawn. Returns 0, or -1 with a message in err. */
int report_write(const results *r, const plots_set *set, char *err, size_t errlen);

/* Draws the plots and writes report.html for the results folder dir from its files:
 * what `fgsim plot DIR` does, and `fgsim run` after writing the CSVs. Warnings (a plot
 * not drawn, gnuplot missing, run.json unreadable) go to warn as "warning: ..." lines.
 * Returns 0 when everything was drawn; 1 when report.html was written but some plots
 * were not; -2 when dir is not a results folder; -1 on another failure; with a message
 * in err for the negative ones. info (may be NULL) says what was drawn. */
int report_folder(const char *dir, FILE *warn, report_info *info, char *err, size_t errlen);
#endif
