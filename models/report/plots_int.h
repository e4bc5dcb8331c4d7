/* plots_int.h - what the plot files of the report layer share (plots.c runs the set;
 * plots_text.c writes data and script text; plots_read.c reads the time series, job list
 * and wait histogram; plots_curves.c and plots_bars.c build the figures). Not for use
 * outside models/report/plots*.c. */
#ifndef FGSIM_PLOTS_INT_H
#define FGSIM_PLOTS_INT_H
#include <stdio.h>

#include "plots.h"

#define SERIES_MAX 12 /* bars per group / lines per plot: beyond this a plot is unreadable */
#define GROUPS_MAX 24
#define LABEL_MAX 96

/* What the plot functions share: the folder, the results, and the per-policy time
 * series (read once, used by two plots). */
typedef struct plots_ts {
	double *t, *queued, *util, *price;
	int *count;
	size_t n, cap;
	int reps;
} plots_ts;

typedef struct plots_ctx {
	const results *r;
	char pdir[4200];
	FILE *warn;
	int ts_state; /* 0 not read yet, 1 read, -1 unusable */
	plots_ts *ts;
} plots_ctx;

/* A policy's empirical wait distribution as points (x[i], f[i]): the share of waits
 * at most x[i], x ascending. */
typedef struct plots_cdf {
	double *x, *f;
	size_t n, cap;
	double total; /* waits counted */
} plots_cdf;

typedef struct plots_tunit {
	const char *name;
	double seconds;
} plots_tunit;

/* ---- plots_text.c: data and script text ---- */

/* Text in a data file (a comment or a label column), with quoted set inside a "quoted"
 * column (names_put_text). */
void plots_dat_text(FILE *f, const char *s, int quoted);
/* A label column in a data file, in double quotes. */
void plots_dat_str(FILE *f, const char *s);
/* A number in a data file: %.10g, or NaN for an undefined value. */
void plots_dat_num(FILE *f, double x);
plots_tunit plots_time_unit(double max_s);
/* A script's opening comment and its `load "style.gp"`. */
void plots_gp_begin(FILE *gp, const char *name, const char *what);
void plots_gp_png(FILE *gp);
void plots_gp_end(FILE *gp);
void plots_gp_key(FILE *gp, int entries);
void plots_gp_title(FILE *gp, const char *title);
/* style.gp's text: the look every plot script loads. */
extern const char plots_style_gp[];

/* ---- plots_read.c: the CSVs behind the curves ---- */

/* Reads timeseries.csv into c->ts. Returns 0, or -1 with a warning printed. */
int plots_ts_load(plots_ctx *c);
void plots_ts_free(plots_ts *ts, int n);
/* Fill d[0..SERIES_MAX) with each policy's wait CDF. Return the number of waits, or -1
 * with a warning printed. */
long plots_cdf_from_jobs(plots_ctx *c, plots_cdf *d);
long plots_cdf_from_hist(plots_ctx *c, plots_cdf *d);
void plots_cdf_free(plots_cdf *d, int n);

/* ---- the figures: each returns 0 when it wrote its data and script, 1 when it does
 * not apply to this folder, -1 when it failed (out of memory) ---- */

/* plots_curves.c */
int plots_wait_cdf(plots_ctx *c, plots_plot *p, FILE *dat, FILE *gp);
int plots_queue_time(plots_ctx *c, plots_plot *p, FILE *dat, FILE *gp);
int plots_util_time(plots_ctx *c, plots_plot *p, FILE *dat, FILE *gp);
/* plots_bars.c */
int plots_util_pool(plots_ctx *c, plots_plot *p, FILE *dat, FILE *gp);
int plots_money(plots_ctx *c, plots_plot *p, FILE *dat, FILE *gp);
int plots_wait_class(plots_ctx *c, plots_plot *p, FILE *dat, FILE *gp);
#endif
