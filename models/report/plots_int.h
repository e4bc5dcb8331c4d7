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

/* Time series: the columns read from timeseries.csv, each kept per sample time as the
 * mean over replications and its confidence interval (low, high). PTS_POOL + q is pool
 * q's busy GPUs. */
enum { PTS_QUEUED, PTS_UTIL, PTS_PRICE, PTS_ARRIVALS, PTS_BURST, PTS_POOL };
enum { PTS_MEAN, PTS_LOW, PTS_HIGH };
#define PTS_POOLS_MAX 32

typedef struct plots_ts {
	double *t;
	double *v; /* [(sample * ncols + column) * 3 + PTS_MEAN/LOW/HIGH]: NaN where never given */
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
	int ts_ncols, ts_npools; /* PTS_POOL + npools columns; pools named in ts_pool */
	char ts_pool[PTS_POOLS_MAX][LABEL_MAX];
	int ts_has_burst; /* timeseries.csv has a burst_nodes column */
} plots_ctx;

/* One statistic of one column at sample k of a policy's series. */
static inline double plots_ts_get(const plots_ctx *c, const plots_ts *s, size_t k, int col,
				  int stat)
{
	return s->v[((size_t)k * c->ts_ncols + col) * 3 + stat];
}

/* A policy's wait distribution in one scope as points (x[i], f[i]): the share of waits
 * below x[i], x ascending, with the range [lo[i], hi[i]] of the replications' own
 * shares there (NaN when unknown: jobs.csv has no per-replication band). */
typedef struct plots_cdf {
	double *x, *f, *lo, *hi;
	size_t n, cap;
	double total; /* waits counted */
	double zero;  /* the share of waits that were exactly 0 */
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
/* The same for a plot of its own size in pixels (0: style.gp's); a user's width or
 * height given to gnuplot (-e) still wins. */
void plots_gp_begin_size(FILE *gp, const char *name, const char *what, int width, int height);
void plots_gp_png(FILE *gp);
void plots_gp_end(FILE *gp);
void plots_gp_key(FILE *gp, int entries);
void plots_gp_title(FILE *gp, const char *title);
/* In a multiplot: the policies' key alone, in rows of up to three across the whole
 * width, between screen heights bottom and top (panels are too narrow for it). It
 * leaves the key off, the border and tics style.gp's, the margins set: a panel after it
 * sets its own axes and margins. */
void plots_gp_key_panel(FILE *gp, const results *r, int np, double bottom, double top);
/* style.gp's text: the look every plot script loads. */
extern const char plots_style_gp[];

/* ---- plots_read.c: the CSVs behind the curves ---- */

/* Reads timeseries.csv into c->ts, the first time it is asked (c->ts_state). Returns 0,
 * or -1 with a warning printed once. */
int plots_ts_load(plots_ctx *c);
void plots_ts_free(plots_ts *ts, int n);
/* Fill d[0..SERIES_MAX) with each policy's wait CDF in scope (wait_hist.csv; jobs.csv
 * knows scope "all" and classes). Return the number of waits, or -1 with a warning. */
long plots_cdf_from_jobs(plots_ctx *c, plots_cdf *d, const char *scope);
long plots_cdf_from_hist(plots_ctx *c, plots_cdf *d, const char *scope);
void plots_cdf_free(plots_cdf *d, int n);

/* ---- the figures: each returns 0 when it wrote its data and script, 1 when it does
 * not apply to this folder, -1 when it failed (out of memory) ---- */

/* plots_cdf.c */
int plots_wait_cdf(plots_ctx *c, plots_plot *p, FILE *dat, FILE *gp);
int plots_wait_cdf_class(plots_ctx *c, plots_plot *p, FILE *dat, FILE *gp);
/* plots_curves.c */
/* Shades the warm-up and every promotion window on a time axis x = (t - origin) /
 * scale shown from xlo to xhi (days: origin 0, scale 86400), naming them along the top. */
void plots_gp_windows(FILE *gp, const results *r, double origin, double scale, double xlo,
		      double xhi);
/* One column of the time series for the plots over time and the zooms: per policy a
 * data block "x mean low high price_factor" (the mean over replications and its
 * confidence interval, times mult) of the samples in [t0, t1] seconds, x = (t - origin) / scale; *nblocks
 * counts the blocks written to dat so far. Returns the highest value written (0 if
 * none). */
double plots_ts_blocks(plots_ctx *c, FILE *dat, int np, int col, double mult, double t0, double t1,
		       double origin, double scale, int *nblocks);
int plots_queue_time(plots_ctx *c, plots_plot *p, FILE *dat, FILE *gp);
int plots_util_time(plots_ctx *c, plots_plot *p, FILE *dat, FILE *gp);
/* plots_window.c: the zoom on promotion w (index into r->promo) */
int plots_window(plots_ctx *c, plots_plot *p, FILE *dat, FILE *gp, int w);
/* plots_bars.c */
int plots_util_pool(plots_ctx *c, plots_plot *p, FILE *dat, FILE *gp);
int plots_money(plots_ctx *c, plots_plot *p, FILE *dat, FILE *gp);
int plots_wait_class(plots_ctx *c, plots_plot *p, FILE *dat, FILE *gp);
#endif
