/* plots.h - the plots of a results folder, drawn by gnuplot. Each plot is a data file
 * and a gnuplot script in DIR/plots/ (users restyle and redraw them there with
 * `gnuplot NAME.gp`), plus the NAME.png and NAME.svg that gnuplot makes from them. */
#ifndef FGSIM_PLOTS_H
#define FGSIM_PLOTS_H
#include <stdio.h>

#include "results.h"

#define PLOTS_MAX 24 /* the fixed plots and a zoom per promotion (SC_MAX_PROMOS) */

typedef struct plots_plot {
	char name[32];     /* file stem in plots/: "wait_cdf" -> wait_cdf.dat, .gp, .png, .svg */
	char title[200];   /* the plot's title, for the report's figure heading */
	char caption[700]; /* how to read it and where its numbers come from */
	int drawn;         /* the PNG and SVG were made by this call */
} plots_plot;

typedef struct plots_set {
	plots_plot plot[PLOTS_MAX]; /* the plots that apply to this folder, in report order */
	int n, drawn;
	int gnuplot; /* gnuplot was found; without it, data and scripts are still written */
} plots_set;

/* Writes the data, scripts and (when gnuplot is there) PNG and SVG of every plot that
 * applies to r into r->dir/plots/, each file atomically; plots that no longer apply
 * (e.g. the run had no timeseries.csv this time) are removed so none is stale. A plot
 * that cannot be drawn is a warning on `warn` ("warning: ..."), not a failure. Returns
 * the number of plots not drawn (0: all), or -1 with a message in err when plots/
 * itself cannot be written. */
int plots_write(const results *r, plots_set *set, FILE *warn, char *err, size_t errlen);
/* Writes pdir/style.gp, the look every plot script loads (sweep plots share it).
 * Returns 0, or -1 with errno set. */
int plots_write_style(const char *pdir);
#endif
