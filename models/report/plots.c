/* plots.c - what each plot shows: its data, computed from the result CSVs, and the
 * gnuplot script that draws it, both written into DIR/plots/; gnuplot.c then runs the
 * scripts, all at once. */
#include "plots.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gnuplot.h"
#include "lines.h"
#include "names.h"
#include "outfile.h"

#define SERIES_MAX 12 /* bars per group / lines per plot: beyond this a plot is unreadable */
#define GROUPS_MAX 24
#define LABEL_MAX 96

/* What the plot functions share: the folder, the results, and the per-policy time
 * series (read once, used by two plots). */
typedef struct ts_series {
	double *t, *queued, *util, *price;
	int *count;
	size_t n, cap;
	int reps;
} ts_series;

typedef struct ctx {
	const results *r;
	char pdir[4200];
	FILE *warn;
	int ts_state; /* 0 not read yet, 1 read, -1 unusable */
	ts_series *ts;
} ctx;

/* ---- gnuplot text --------------------------------------------------------------- */

/* Text in a data file (a comment or a label column), with quoted set inside a
 * "quoted" column (names_put_text). */
static void dat_text(FILE *f, const char *s, int quoted)
{
	names_put_text(f, s, quoted ? "\"" : NULL, "'");
}

/* A label column in a data file: gnuplot reads "quoted text" as one column, as data
 * that it never evaluates. */
static void dat_str(FILE *f, const char *s)
{
	fputc('"', f);
	dat_text(f, s, 1);
	fputc('"', f);
}

static void dat_num(FILE *f, double x)
{
	if (isfinite(x))
		fprintf(f, "%.10g", x);
	else
		fputs("NaN", f);
}

typedef struct tunit {
	const char *name;
	double seconds;
} tunit;

/* The unit that keeps numbers up to max_s between about 1 and 120: minutes for the
 * 10-minute waits a planner talks about, not 600 seconds. */
static tunit time_unit(double max_s)
{
	if (!(max_s >= 120))
		return (tunit){"s", 1};
	if (max_s < 2 * 3600)
		return (tunit){"min", 60};
	if (max_s < 2 * 86400)
		return (tunit){"h", 3600};
	return (tunit){"days", 86400};
}

static void gp_begin(FILE *gp, const char *name, const char *what)
{
	fprintf(gp, "# %s.gp - %s\n", name, what);
	fprintf(gp, "# Written by fgsim from the CSVs in the folder above. Edit it and redraw here with\n"
		    "# `gnuplot %s.gp` (writes %s.png and %s.svg); the look every plot shares is in\n"
		    "# style.gp. `fgsim plot` writes this file afresh: keep restyled copies elsewhere.\n",
		name, name, name);
	fprintf(gp, "if (!exists(\"out\")) out = \"%s\"\nload \"style.gp\"\n", name);
}

/* The line before the plot command: the PNG terminal and file. */
static void gp_png(FILE *gp)
{
	fputs("\neval png_terminal\nset output out.\".png\"\n", gp);
}

/* After the plot command: the same plot again as SVG. */
static void gp_end(FILE *gp)
{
	fputs("\neval svg_terminal\nset output out.\".svg\"\nreplot\nunset output\n", gp);
}

/* Room between the title and the plot for a key of `entries` entries, in rows of at
 * most three (style.gp sets it up for one row). */
static void gp_key(FILE *gp, int entries)
{
	int rows = (entries + 2) / 3;
	if (rows <= 1)
		return;
	fprintf(gp, "set key maxcols 3\nset tmargin %.1f\nset title offset 0, %.1f\n", 5 + 1.3 * (rows - 1),
		1.4 + 1.3 * (rows - 1));
}

static void gp_title(FILE *gp, const char *title)
{
	fputs("set title ", gp);
	gnuplot_string(gp, title);
	fputc('\n', gp);
}

/* style.gp: the shared look. Okabe-Ito colours stay distinct for colour-blind readers,
 * and the dash patterns keep lines apart in a black-and-white print. */
static const char style_gp[] =
	"# style.gp - the look every fgsim plot in this folder shares: change it here once.\n"
	"# Colours are the Okabe-Ito palette (distinct for colour-blind readers); lines also\n"
	"# differ by dash pattern so that they stay apart in a black-and-white print.\n"
	"if (!exists(\"width\")) width = 1000\n"
	"if (!exists(\"height\")) height = 600\n"
	"if (!exists(\"fontsize\")) fontsize = 14\n"
	"set encoding utf8\n"
	"# pngcairo draws smooth lines and real fonts; plain png (libgd) is the fallback where\n"
	"# gnuplot was built without cairo.\n"
	"if (strstrt(GPVAL_TERMINALS, \"pngcairo\") > 0) {\n"
	"  png_terminal = sprintf(\"set terminal pngcairo size %d,%d font 'sans,%d' linewidth 1.3 noenhanced\", width, height, fontsize)\n"
	"} else {\n"
	"  png_terminal = sprintf(\"set terminal png size %d,%d font 'sans,%d' linewidth 1.3 noenhanced\", width, height, fontsize - 2)\n"
	"}\n"
	"svg_terminal = sprintf(\"set terminal svg size %d,%d dynamic font 'sans,%d' linewidth 1.3 noenhanced\", width, height, fontsize)\n"
	"set linetype 1 lc rgb \"#0072B2\" lw 2.5 dt 1 pt 7 ps 1.3\n"
	"set linetype 2 lc rgb \"#D55E00\" lw 2.5 dt 2 pt 5 ps 1.3\n"
	"set linetype 3 lc rgb \"#009E73\" lw 2.5 dt 4 pt 9 ps 1.5\n"
	"set linetype 4 lc rgb \"#CC79A7\" lw 2.5 dt 5 pt 11 ps 1.5\n"
	"set linetype 5 lc rgb \"#E69F00\" lw 2.5 dt 3 pt 13 ps 1.5\n"
	"set linetype 6 lc rgb \"#56B4E9\" lw 2.5 dt (12,4,2,4,2,4) pt 3 ps 1.3\n"
	"set linetype 7 lc rgb \"#000000\" lw 2.5 dt (4,4) pt 1 ps 1.3\n"
	"set linetype 8 lc rgb \"#999999\" lw 2.5 dt (20,6) pt 2 ps 1.3\n"
	"set linetype cycle 8\n"
	"# linetype 9: the price factor on a second axis\n"
	"set linetype 9 lc rgb \"#404040\" lw 2 dt (16,10)\n"
	"shade_warmup = \"#e8e8e8\"\n"
	"shade_promo = \"#fbd9a8\"\n"
	"set border 3 lw 1\n"
	"set tics nomirror out\n"
	"set grid ytics lt 1 lc rgb \"#dcdcdc\" lw 1 dt solid\n"
	"set key noautotitle\n"
	"# the title at the top, the key in one row between it and the plot\n"
	"set tmargin 5\n"
	"set title offset 0, 1.4 font \",15\"\n"
	"set key at graph 0.5, graph 1.015 center bottom horizontal samplen 4\n";

/* ---- reading the time series and the job list ------------------------------------ */

static int policy_index(const results *r, const char *name)
{
	for (int i = 0; i < r->npolicies; i++)
		if (!strcmp(r->policy[i], name))
			return i;
	return -1;
}

static void ts_free(ts_series *ts, int n)
{
	if (!ts)
		return;
	for (int i = 0; i < n; i++) {
		free(ts[i].t);
		free(ts[i].queued);
		free(ts[i].util);
		free(ts[i].price);
		free(ts[i].count);
	}
	free(ts);
}

static int ts_grow(ts_series *s)
{
	size_t nc = s->cap ? 2 * s->cap : 1024;
	double **cols[] = {&s->t, &s->queued, &s->util, &s->price};
	for (size_t i = 0; i < 4; i++) {
		double *p = realloc(*cols[i], nc * sizeof *p);
		if (!p)
			return -1;
		*cols[i] = p;
	}
	int *c = realloc(s->count, nc * sizeof *c);
	if (!c)
		return -1;
	s->count = c;
	s->cap = nc;
	return 0;
}

/* The next line of one of DIR's CSVs (lines_get): 1, or 0 at its end, on a read error,
 * and at a line longer than LINES_MAX (warned: the file is read no further). */
static int next_line(ctx *c, const char *name, char **line, size_t *cap, FILE *in)
{
	long n = lines_get(line, cap, LINES_MAX, in);
	if (n == LINES_TOO_LONG)
		fprintf(c->warn, "warning: %s/%s: a line longer than %d bytes; read no further\n", c->r->dir, name,
			LINES_MAX);
	return n > 0;
}

/* Reads timeseries.csv into per-policy means over replications at each sample time.
 * The rows of one replication are contiguous and in time order, so the k-th row of
 * every replication is the same time. Returns 0, or -1 with a warning printed. */
static int ts_load(ctx *c)
{
	const results *r = c->r;
	char path[4300], *line = NULL, *f[32];
	size_t lcap = 0;
	int col[6], lineno = 0, cur_pol = -2, rc = -1;
	char cur_rep[64] = "";
	size_t k = 0;
	static const char *const want[6] = {"policy", "replication", "t", "queued", "utilization", "price_factor"};
	snprintf(path, sizeof path, "%s/timeseries.csv", r->dir);
	FILE *in = fopen(path, "r");
	if (!in) {
		fprintf(c->warn, "warning: %s: cannot read: %s; no plots over time\n", path, strerror(errno));
		return -1;
	}
	if (!(c->ts = calloc((size_t)r->npolicies, sizeof *c->ts)))
		goto oom;
	while (next_line(c, "timeseries.csv", &line, &lcap, in)) {
		int nf = results_csv_split(line, f, 32);
		if (++lineno == 1) {
			for (int i = 0; i < 6; i++)
				if ((col[i] = results_csv_column(f, nf, want[i])) < 0) {
					fprintf(c->warn, "warning: %s: no column \"%s\"; no plots over time\n", path, want[i]);
					goto done;
				}
			continue;
		}
		if (nf < 6)
			continue;
		int pi = policy_index(r, f[col[0]]);
		if (pi < 0)
			continue; /* a policy summary.csv does not list: not ours to plot */
		if (pi != cur_pol || strcmp(cur_rep, f[col[1]])) {
			cur_pol = pi;
			snprintf(cur_rep, sizeof cur_rep, "%s", f[col[1]]);
			c->ts[pi].reps++;
			k = 0;
		}
		ts_series *s = &c->ts[pi];
		double t = results_csv_number(f[col[2]]);
		if (!isfinite(t))
			continue;
		if (k == s->n) {
			if (s->n == s->cap && ts_grow(s))
				goto oom;
			s->t[k] = t;
			s->queued[k] = s->util[k] = s->price[k] = 0;
			s->count[k] = 0;
			s->n++;
		} else if (fabs(s->t[k] - t) > 1e-6 * fmax(1, fabs(t))) {
			fprintf(c->warn, "warning: %s:%d: replications disagree on sample times (%.10g vs %.10g); no plots over time\n",
				path, lineno, t, s->t[k]);
			goto done;
		}
		s->queued[k] += results_csv_number(f[col[3]]);
		s->util[k] += results_csv_number(f[col[4]]);
		s->price[k] += results_csv_number(f[col[5]]);
		s->count[k]++;
		k++;
	}
	for (int pi = 0; pi < r->npolicies; pi++)
		for (size_t i = 0; i < c->ts[pi].n; i++) {
			ts_series *s = &c->ts[pi];
			s->queued[i] /= s->count[i];
			s->util[i] /= s->count[i];
			s->price[i] /= s->count[i];
		}
	rc = 0;
	goto done;
oom:
	fprintf(c->warn, "warning: %s: out of memory; no plots over time\n", path);
done:
	free(line);
	fclose(in);
	return rc;
}

/* A policy's empirical wait distribution as points (x[i], f[i]): the share of waits
 * at most x[i], x ascending. */
typedef struct cdf {
	double *x, *f;
	size_t n, cap;
	double total; /* waits counted */
} cdf;

static int cdf_push(cdf *d, double x, double f)
{
	if (d->n == d->cap) {
		size_t nc = d->cap ? 2 * d->cap : 4096;
		double *nx = realloc(d->x, nc * sizeof *nx);
		if (!nx)
			return -1;
		d->x = nx;
		double *nf = realloc(d->f, nc * sizeof *nf);
		if (!nf)
			return -1;
		d->f = nf;
		d->cap = nc;
	}
	d->x[d->n] = x;
	d->f[d->n++] = f;
	return 0;
}

static void cdf_free(cdf *d, int n)
{
	for (int i = 0; d && i < n; i++) {
		free(d[i].x);
		free(d[i].f);
	}
	free(d);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Opens r->dir/name and finds the wanted columns in its header. Returns the stream,
 * or NULL with a warning printed. */
static FILE *csv_open(ctx *c, const char *name, const char *const *want, int nwant, int *col, char **line,
		      size_t *lcap)
{
	char path[4300], *f[32];
	snprintf(path, sizeof path, "%s/%s", c->r->dir, name);
	FILE *in = fopen(path, "r");
	if (!in) {
		fprintf(c->warn, "warning: %s: cannot read: %s\n", path, strerror(errno));
		return NULL;
	}
	int nf = next_line(c, name, line, lcap, in) ? results_csv_split(*line, f, 32) : 0;
	for (int i = 0; i < nwant; i++)
		if ((col[i] = results_csv_column(f, nf, want[i])) < 0) {
			fprintf(c->warn, "warning: %s: no column \"%s\"\n", path, want[i]);
			fclose(in);
			return NULL;
		}
	return in;
}

/* Per policy, the waits of jobs.csv's jobs that started service and arrived after the
 * warm-up (the jobs summary.csv's wait_* cover), as a CDF. Returns the number of
 * waits, or -1 with a warning printed. */
static long cdf_from_jobs(ctx *c, cdf *d)
{
	const results *r = c->r;
	static const char *const want[3] = {"policy", "arrival", "start"};
	char *line = NULL, *f[32];
	size_t lcap = 0;
	int col[3];
	long total = 0;
	double warmup = isfinite(r->warmup) ? r->warmup : 0;
	FILE *in = csv_open(c, "jobs.csv", want, 3, col, &line, &lcap);
	if (!in) {
		free(line);
		return -1;
	}
	/* the waits go in d[].x first, then become the CDF's points in place */
	while (next_line(c, "jobs.csv", &line, &lcap, in)) {
		int nf = results_csv_split(line, f, 32);
		if (nf <= col[0] || nf <= col[1] || nf <= col[2])
			continue;
		int pi = policy_index(r, f[col[0]]);
		double a = results_csv_number(f[col[1]]), s = results_csv_number(f[col[2]]);
		if (pi < 0 || pi >= SERIES_MAX || !isfinite(a) || !isfinite(s) || a < warmup)
			continue;
		if (cdf_push(&d[pi], s - a > 0 ? s - a : 0, 0))
			goto oom;
		total++;
	}
	if (ferror(in)) {
		fprintf(c->warn, "warning: %s/jobs.csv: read error: %s\n", r->dir, strerror(errno));
		total = -1;
	}
	for (int pi = 0; total >= 0 && pi < r->npolicies && pi < SERIES_MAX; pi++) {
		cdf *x = &d[pi];
		size_t k = 0;
		qsort(x->x, x->n, sizeof *x->x, cmp_double);
		x->total = (double)x->n;
		for (size_t i = 0; i < x->n; i++) /* the last of equal waits carries their share */
			if (i + 1 == x->n || x->x[i + 1] != x->x[i]) {
				x->x[k] = x->x[i];
				x->f[k++] = (double)(i + 1) / x->total;
			}
		x->n = k;
	}
	free(line);
	fclose(in);
	return total;
oom:
	fprintf(c->warn, "warning: %s/jobs.csv: out of memory\n", r->dir);
	free(line);
	fclose(in);
	return -1;
}

static int cmp_pair(const void *a, const void *b)
{
	const double *x = a, *y = b;
	return (x[0] > y[0]) - (x[0] < y[0]);
}

/* Per policy, the CDF of scope "all" from wait_hist.csv (policy,scope,lower,upper,count:
 * the wait histogram's non-empty buckets summed over replications; a wait counts at
 * its bucket's upper edge, within the histogram's 0.4%). Returns the number of waits,
 * or -1 with a warning printed. */
static long cdf_from_hist(ctx *c, cdf *d)
{
	const results *r = c->r;
	static const char *const want[4] = {"policy", "scope", "upper", "count"};
	char *line = NULL, *f[32];
	size_t lcap = 0;
	int col[4];
	long total = 0;
	FILE *in = csv_open(c, "wait_hist.csv", want, 4, col, &line, &lcap);
	if (!in) {
		free(line);
		return -1;
	}
	/* (upper, count) pairs go into d[].x and d[].f, then become the CDF in place */
	while (next_line(c, "wait_hist.csv", &line, &lcap, in)) {
		int nf = results_csv_split(line, f, 32);
		if (nf <= col[0] || nf <= col[1] || nf <= col[2] || nf <= col[3] || strcmp(f[col[1]], "all"))
			continue;
		int pi = policy_index(r, f[col[0]]);
		double up = results_csv_number(f[col[2]]), n = results_csv_number(f[col[3]]);
		if (pi < 0 || pi >= SERIES_MAX || !isfinite(up) || !(n > 0))
			continue;
		if (cdf_push(&d[pi], up, n)) {
			fprintf(c->warn, "warning: %s/wait_hist.csv: out of memory\n", r->dir);
			total = -1;
			break;
		}
		total += (long)n;
	}
	for (int pi = 0; total >= 0 && pi < r->npolicies && pi < SERIES_MAX; pi++) {
		cdf *x = &d[pi];
		double (*pair)[2] = malloc(x->n * sizeof *pair), cum = 0;
		if (!pair && x->n) {
			total = -1;
			break;
		}
		for (size_t i = 0; i < x->n; i++) {
			pair[i][0] = x->x[i];
			pair[i][1] = x->f[i];
			x->total += x->f[i];
		}
		qsort(pair, x->n, sizeof *pair, cmp_pair);
		for (size_t i = 0; i < x->n; i++) {
			cum += pair[i][1];
			x->x[i] = pair[i][0];
			x->f[i] = cum / x->total;
		}
		free(pair);
	}
	free(line);
	fclose(in);
	return total;
}

/* Log-axis tics in the units people say: "10 s", "1 min", "1 h", up to the decade
 * above xmax. */
static void gp_wait_tics(FILE *gp, double xmin, double xmax)
{
	static const struct { double s; const char *label; } tics[] = {
		{0.001, "1 ms"}, {0.01, "10 ms"}, {0.1, "0.1 s"}, {1, "1 s"}, {10, "10 s"}, {60, "1 min"},
		{600, "10 min"}, {3600, "1 h"}, {36000, "10 h"}, {86400, "1 d"}, {864000, "10 d"}, {8640000, "100 d"}};
	int first = 1;
	fputs("set xtics (", gp);
	for (size_t i = 0; i < sizeof tics / sizeof *tics; i++)
		if (tics[i].s >= xmin * 0.999 && tics[i].s <= xmax * 1.001) {
			fprintf(gp, "%s\"%s\" %g", first ? "" : ", ", tics[i].label, tics[i].s);
			first = 0;
		}
	fputs(")\n", gp);
}

/* Wait-time CDF per policy on a log time axis: from the wait histogram (wait_hist.csv)
 * or the job list (jobs.csv) when the run wrote one, else the few points summary.csv
 * knows (p50, p95, p99, max and the share that waited). */
static int plot_wait_cdf(ctx *c, plots_plot *p, FILE *dat, FILE *gp)
{
	const results *r = c->r;
	int np = r->npolicies < SERIES_MAX ? r->npolicies : SERIES_MAX;
	double fleft[SERIES_MAX], xmax = 0;
	int known[SERIES_MAX]; /* without a distribution: how many of a policy's points are known */
	long nwaits = -1;
	const char *source = "summary.csv";
	cdf *d = calloc(SERIES_MAX, sizeof *d);
	if (!d)
		return -1;
	if (r->has_wait_hist && (nwaits = cdf_from_hist(c, d)) >= 0)
		source = "wait_hist.csv";
	if (nwaits < 0 && r->has_jobs) {
		cdf_free(d, SERIES_MAX);
		if (!(d = calloc(SERIES_MAX, sizeof *d)))
			return -1;
		if ((nwaits = cdf_from_jobs(c, d)) >= 0)
			source = "jobs.csv";
	}
	int exact = nwaits >= 0;
	for (int pi = 0; pi < np; pi++) {
		if (exact) {
			if (d[pi].n)
				xmax = fmax(xmax, d[pi].x[d[pi].n - 1]);
		} else {
			const results_row *m = results_summary(r, r->policy[pi], "all", "wait_max");
			if (m && isfinite(m->mean))
				xmax = fmax(xmax, m->mean);
		}
	}
	/* The left edge: 1 s, or lower when every wait is short, so that the axis always
	 * spans at least two decades. Waits of zero sit at the left edge. */
	double xmin = 1;
	if (xmax < 100)
		xmin = xmax > 0 ? pow(10, floor(log10(xmax)) - 2) : 0.1;
	if (xmin < 0.001)
		xmin = 0.001;
	double xtop = pow(10, ceil(log10(fmax(xmax, xmin * 10))));
	fputs("# wait_s  share_of_started_jobs_with_wait_at_most_wait_s\n", dat);
	for (int pi = 0; pi < np; pi++) {
		fprintf(dat, "%s# policy ", pi ? "\n\n" : "");
		dat_text(dat, r->policy[pi], 0);
		fputc('\n', dat);
		if (exact) {
			const cdf *x = &d[pi];
			size_t i = 0;
			if (!x->n) {
				fleft[pi] = NAN;
				fputs("NaN NaN\n", dat);
				continue;
			}
			while (i < x->n && x->x[i] <= xmin)
				i++;
			fleft[pi] = i ? x->f[i - 1] : 0;
			fprintf(dat, "%.10g %.10g\n", xmin, fleft[pi]);
			/* Thin the steps: a point where x moved by 0.5% or the share by 0.05%, so
			 * millions of jobs make a few thousand points at no visible cost. */
			double lx = xmin, lf = fleft[pi];
			for (; i < x->n; i++)
				if (i + 1 == x->n || x->x[i] >= lx * 1.005 || x->f[i] - lf >= 0.0005) {
					fprintf(dat, "%.10g %.10g\n", x->x[i], x->f[i]);
					lx = x->x[i];
					lf = x->f[i];
				}
		} else {
			static const struct { const char *m; double q; } qs[] = {
				{"wait_p50", 0.5}, {"wait_p95", 0.95}, {"wait_p99", 0.99}, {"wait_max", 1}};
			const results_row *pw = results_summary(r, r->policy[pi], "all", "p_wait");
			double f0 = pw && isfinite(pw->mean) ? 1 - pw->mean : 0, last;
			for (size_t q = 0; q < 4; q++) {
				const results_row *m = results_summary(r, r->policy[pi], "all", qs[q].m);
				if (m && isfinite(m->mean) && m->mean <= xmin)
					f0 = fmax(f0, qs[q].q);
			}
			fleft[pi] = f0;
			fprintf(dat, "%.10g %.10g\n", xmin, f0);
			last = f0;
			known[pi] = 1;
			for (size_t q = 0; q < 4; q++) {
				const results_row *m = results_summary(r, r->policy[pi], "all", qs[q].m);
				if (m && isfinite(m->mean) && m->mean > xmin && qs[q].q > last) {
					fprintf(dat, "%.10g %.10g\n", m->mean, qs[q].q);
					last = qs[q].q;
					known[pi]++;
				}
			}
		}
		fprintf(dat, "%.10g 1\n", xtop); /* every curve runs to the right edge */
	}
	double lo = 1;
	for (int pi = 0; pi < np; pi++)
		if (isfinite(fleft[pi]))
			lo = fmin(lo, fleft[pi]);
	/* Most jobs often never wait: start the share axis just below the lowest curve so
	 * the tail, where policies differ, gets the height; the tics show where it starts. */
	double ylo = lo >= 0.5 ? floor(lo * 10 - 1e-9) / 10 : 0;
	if (ylo > 0.9)
		ylo = 0.9;
	const char *cut = ylo > 0 ? "; the share axis starts where the lowest curve does" : "";

	snprintf(p->title, sizeof p->title, "Wait before service: cumulative distribution per policy");
	if (exact)
		snprintf(p->caption, sizeof p->caption,
			 "Share of the jobs that started service whose wait was at most x, from %s (%ld jobs arriving "
			 "after the warm-up, all replications pooled%s); log time axis. Waits under %g s, including "
			 "jobs that did not wait at all, make each curve's height at the left edge%s.",
			 source, nwaits, strcmp(source, "jobs.csv") ? ", to the histogram's 0.4%" : "", xmin, cut);
	else
		snprintf(p->caption, sizeof p->caption,
			 "Estimated from summary.csv (the run kept no jobs.csv): the marked points are each policy's "
			 "share of jobs that did not wait and its p50, p95, p99 and maximum wait, averaged over "
			 "replications. Between two points the true curve is not known; the steps show the least it "
			 "can be. Set output.jobs = true for the exact curve. Log time axis%s.",
			 cut);

	gp_begin(gp, p->name, "wait-time CDF per policy (log time axis)");
	{
		char t[200];
		if (exact)
			snprintf(t, sizeof t, "Wait before service, CDF per policy (%s)", source);
		else
			snprintf(t, sizeof t, "Wait before service, CDF per policy (estimated from summary.csv quantiles)");
		gp_title(gp, t);
	}
	gp_key(gp, np);
	fputs("set logscale x 10\n", gp);
	fprintf(gp, "set xrange [%g:%g]\n", xmin, xtop);
	fprintf(gp, "set yrange [%g:1.001]\n", ylo);
	gp_wait_tics(gp, xmin, xtop);
	fputs("set grid xtics ytics lt 1 lc rgb \"#dcdcdc\" lw 1 dt solid\n", gp);
	fprintf(gp, "set xlabel \"wait before service, x (log scale)\"\n");
	fputs("set ylabel \"share of started jobs with wait ≤ x\"\n", gp);
	gp_png(gp);
	fputs("plot \\\n", gp);
	for (int pi = 0; pi < np; pi++) {
		fprintf(gp, "  \"%s.dat\" index %d using 1:2 with steps lt %d title ", p->name, pi, pi + 1);
		gnuplot_string(gp, r->policy[pi]);
		/* the points summary.csv knows, marked, unlike the steps between them */
		if (!exact)
			fprintf(gp, ", \\\n  \"%s.dat\" index %d every ::0::%d using 1:2 with points lt %d notitle", p->name,
				pi, known[pi] - 1, pi + 1);
		fputs(pi + 1 < np ? ", \\\n" : "\n", gp);
	}
	gp_end(gp);
	cdf_free(d, SERIES_MAX);
	return 0;
}

/* Shades the warm-up and every promotion window on a time axis in days, and names
 * them along the top. A name goes right of its window (left of it near the right edge)
 * on the highest of three lines where it overlaps no other name; the width of a
 * character is guessed as 9 of the plot's about 760 pixels. */
static void gp_windows(FILE *gp, const results *r, double days)
{
	enum { LEVELS = 3, PLACED_MAX = 64 };
	double span[PLACED_MAX][2], char_days = days * 9 / 760;
	int level[PLACED_MAX], n = 0, obj = 1;
	if (isfinite(r->warmup) && r->warmup > 0) {
		double mid = r->warmup / 172800;
		fprintf(gp, "set object %d rect from 0, graph 0 to %.10g, graph 1 behind fc rgb shade_warmup fs solid 1.0 noborder\n",
			obj, r->warmup / 86400);
		fprintf(gp, "set label %d \"warm-up\" at %.10g, graph 0.965 center front\n", obj, mid);
		span[n][0] = mid - 4 * char_days;
		span[n][1] = mid + 4 * char_days;
		level[n++] = 0;
		obj++;
	}
	for (int i = 0; i < r->npromos; i++, obj++) {
		const results_promo *w = &r->promo[i];
		char label[LABEL_MAX + 32];
		if (w->discount > 0)
			snprintf(label, sizeof label, "%.*s (%.0f%% off)", LABEL_MAX, w->name, 100 * w->discount);
		else
			snprintf(label, sizeof label, "%.*s", LABEL_MAX, w->name);
		double s0 = w->start / 86400, s1 = w->end / 86400, len = ((double)strlen(label) + 1) * char_days;
		int right = s1 + len > days;
		double lo = right ? s0 - len : s1, hi = right ? s0 : s1 + len;
		int l = 0;
		for (; l < LEVELS - 1; l++) {
			int clash = 0;
			for (int k = 0; k < n && !clash; k++)
				clash = level[k] == l && lo < span[k][1] && span[k][0] < hi;
			if (!clash)
				break;
		}
		if (n < PLACED_MAX) {
			span[n][0] = lo;
			span[n][1] = hi;
			level[n++] = l;
		}
		fprintf(gp, "set object %d rect from %.10g, graph 0 to %.10g, graph 1 behind fc rgb shade_promo fs solid 1.0 noborder\n",
			obj, s0, s1);
		fprintf(gp, "set label %d ", obj);
		gnuplot_string(gp, label);
		fprintf(gp, " at %.10g, graph %.3f %s offset %s,0 front%s\n", right ? s0 : s1, 0.965 - 0.1 * l,
			right ? "right" : "left", right ? "-0.4" : "0.4", l ? " boxed" : "");
	}
	/* names on lower lines may cross the curves: give them a white background */
	fputs("set style textbox opaque noborder\n", gp);
}

/* Queue length or utilisation over time, the mean over replications at each sample,
 * with the price factor on the right axis. */
static int plot_over_time(ctx *c, plots_plot *p, FILE *dat, FILE *gp, int util)
{
	const results *r = c->r;
	if (!r->has_timeseries)
		return 1;
	if (c->ts_state == 0)
		c->ts_state = ts_load(c) ? -1 : 1;
	if (c->ts_state < 0)
		return 1;
	int np = r->npolicies < SERIES_MAX ? r->npolicies : SERIES_MAX, reps = 0;
	double tmax = 0;
	fprintf(dat, "# t_days  %s  price_factor   (mean over replications at each sample time)\n",
		util ? "utilization_percent" : "jobs_waiting");
	for (int pi = 0; pi < np; pi++) {
		const ts_series *s = &c->ts[pi];
		fprintf(dat, "%s# policy ", pi ? "\n\n" : "");
		dat_text(dat, r->policy[pi], 0);
		fprintf(dat, ", %d replications\n", s->reps);
		reps = s->reps > reps ? s->reps : reps;
		if (!s->n)
			fputs("NaN NaN NaN\n", dat);
		for (size_t i = 0; i < s->n; i++) {
			fprintf(dat, "%.10g ", s->t[i] / 86400);
			dat_num(dat, util ? 100 * s->util[i] : s->queued[i]);
			fputc(' ', dat);
			dat_num(dat, s->price[i]);
			fputc('\n', dat);
			tmax = fmax(tmax, s->t[i]);
		}
	}
	double horizon = isfinite(r->horizon) ? r->horizon : tmax;
	const char *what = util ? "GPU utilisation" : "Jobs waiting in the queue";
	snprintf(p->title, sizeof p->title, "%s over time", what);
	snprintf(p->caption, sizeof p->caption,
		 "%s at each sample of timeseries.csv, the mean over %d replication%s at that time, per policy; "
		 "%sthe dashed grey line is the lowest price factor any class pays (right axis: 1 = list price). "
		 "Shaded: the warm-up (grey, not measured) and promotion windows (orange).",
		 util ? "Busy GPUs as a share of all GPUs" : "Jobs waiting (not running)", reps, reps == 1 ? "" : "s",
		 util ? "" : "all pools together; ");
	gp_begin(gp, p->name, util ? "GPU utilisation over time per policy, promotions shaded"
				   : "queue length over time per policy, promotions shaded");
	{
		char t[300];
		snprintf(t, sizeof t, "%s over time (mean of %d replication%s)", what, reps, reps == 1 ? "" : "s");
		gp_title(gp, t);
	}
	gp_key(gp, np + 1);
	fprintf(gp, "set xrange [0:%.10g]\n", horizon / 86400);
	if (horizon / 86400 <= 15)
		fputs("set xtics 1\nset mxtics 4\n", gp);
	fputs("set xlabel \"simulated time (days)\"\n", gp);
	fprintf(gp, "set ylabel \"%s\"\n", util ? "GPU utilisation (%)" : "jobs waiting (mean over replications)");
	/* The price factor's list-price line (1 on the right axis, at 91% of the height)
	 * runs above the data: the left axis reaches 1/0.85 of the data's top. */
	double ytop = util ? 100 : 0, pmax = 1;
	for (int pi = 0; pi < np; pi++)
		for (size_t i = 0; i < c->ts[pi].n; i++) {
			if (!util && isfinite(c->ts[pi].queued[i]))
				ytop = fmax(ytop, c->ts[pi].queued[i]);
			if (isfinite(c->ts[pi].price[i]))
				pmax = fmax(pmax, c->ts[pi].price[i]);
		}
	if (ytop <= 0)
		ytop = 1;
	fprintf(gp, "set yrange [0:%.6g]\n", ytop / 0.85);
	if (util)
		fputs("set ytics 0, 20, 100\n", gp);
	fprintf(gp, "set y2label \"price factor (× list price)\"\nset y2range [0:%.6g]\nset y2tics 0, 0.25, %.6g\n",
		1.1 * pmax, pmax);
	gp_windows(gp, r, horizon / 86400);
	gp_png(gp);
	fputs("plot \\\n", gp);
	for (int pi = 0; pi < np; pi++) {
		fprintf(gp, "  \"%s.dat\" index %d using 1:2 with lines lt %d title ", p->name, pi, pi + 1);
		gnuplot_string(gp, r->policy[pi]);
		fputs(", \\\n", gp);
	}
	fprintf(gp, "  \"%s.dat\" index 0 using 1:3 axes x1y2 with steps lt 9 title \"price factor\"\n",
		p->name);
	gp_end(gp);
	return 0;
}

static int plot_queue_time(ctx *c, plots_plot *p, FILE *dat, FILE *gp)
{
	return plot_over_time(c, p, dat, gp, 0);
}

static int plot_util_time(ctx *c, plots_plot *p, FILE *dat, FILE *gp)
{
	return plot_over_time(c, p, dat, gp, 1);
}

/* Clustered bars with confidence error bars: groups along x, one bar per series. */
typedef struct bars {
	int ng, ns;
	char group[GROUPS_MAX][LABEL_MAX + 16];
	const char *series[SERIES_MAX];
	double mean[GROUPS_MAX][SERIES_MAX], hw[GROUPS_MAX][SERIES_MAX];
} bars;

static int bars_group(bars *b, const char *prefix, const char *name)
{
	if (b->ng == GROUPS_MAX)
		return -1;
	snprintf(b->group[b->ng], sizeof b->group[b->ng], "%s%.*s", prefix, LABEL_MAX, name);
	return b->ng++;
}

/* Fills group g from summary.csv: series are policies, one metric in one scope,
 * multiplied by scale. */
static void bars_fill_policies(const results *r, bars *b, int g, const char *scope, const char *metric, double scale)
{
	for (int s = 0; s < b->ns; s++) {
		const results_row *row = results_summary(r, r->policy[s], scope, metric);
		b->mean[g][s] = row ? row->mean * scale : NAN;
		b->hw[g][s] = row && isfinite(row->hw) ? row->hw * scale : 0;
	}
}

/* Cuts line to at most fit characters, ending in an ellipsis, without splitting a
 * UTF-8 sequence (gnuplot's SVG would no longer be valid XML). */
static void shorten(char *line, size_t fit)
{
	size_t n = strlen(line);
	if (n <= fit || fit < 2)
		return;
	n = fit - 1;
	while (n && ((unsigned char)line[n] & 0xC0) == 0x80)
		n--;
	strcpy(line + n, "…");
}

/* Splits a group name that is longer than fit characters in two, at the space or
 * after the hyphen nearest its middle ("priority-" / "preemptive"), and shortens a
 * line that still does not fit. */
static void split_label(const char *label, size_t fit, char *l1, char *l2, size_t len)
{
	size_t n = strlen(label), cut = 0;
	snprintf(l1, len, "%s", label);
	l2[0] = 0;
	if (n <= fit)
		return;
	/* cut: where the second line starts */
	for (size_t i = 1; i + 1 < n; i++)
		if ((label[i] == ' ' || label[i - 1] == '-') &&
		    (!cut || fabs((double)i - n / 2.0) < fabs((double)cut - n / 2.0)))
			cut = i;
	if (cut) {
		/* line 1 keeps a hyphen; a space between the lines is dropped */
		snprintf(l1, len, "%.*s", (int)cut, label);
		snprintf(l2, len, "%s", label + cut + (label[cut] == ' '));
	}
	shorten(l1, fit);
	shorten(l2, fit);
}

static void bars_write(FILE *dat, FILE *gp, const bars *b, const char *name)
{
	/* Group names on one line, or two when they would run into each other: a group
	 * gets about 850/ng pixels, a character about 9. */
	char l1[GROUPS_MAX][LABEL_MAX + 16], l2[GROUPS_MAX][LABEL_MAX + 16];
	size_t fit = (size_t)(0.9 * 850 / b->ng / 9);
	int two_lines = 0;
	for (int g = 0; g < b->ng; g++) {
		split_label(b->group[g], fit < 4 ? 4 : fit, l1[g], l2[g], sizeof l1[g]);
		two_lines |= l2[g][0] != 0;
	}
	fputs("# group (two lines)", dat);
	for (int s = 0; s < b->ns; s++)
	{
		fputs("  ", dat);
		dat_text(dat, b->series[s], 0);
		fputs("  ", dat);
		dat_text(dat, b->series[s], 0);
		fputs("_half_width", dat);
	}
	fputc('\n', dat);
	for (int g = 0; g < b->ng; g++) {
		dat_str(dat, l1[g]);
		fputc(' ', dat);
		dat_str(dat, l2[g]);
		for (int s = 0; s < b->ns; s++) {
			fputc(' ', dat);
			dat_num(dat, b->mean[g][s]);
			fputc(' ', dat);
			dat_num(dat, b->hw[g][s]);
		}
		fputc('\n', dat);
	}
	double top = 0, bottom = 0;
	for (int g = 0; g < b->ng; g++)
		for (int s = 0; s < b->ns; s++)
			if (isfinite(b->mean[g][s])) {
				top = fmax(top, b->mean[g][s] + b->hw[g][s]);
				/* below zero only for a negative mean (a loss): an error bar of a
				 * quantity that cannot be negative is cut at zero instead */
				if (b->mean[g][s] < 0)
					bottom = fmin(bottom, b->mean[g][s] - b->hw[g][s]);
			}
	/* Room above the tallest error bar for its value label. */
	if (!(top > 0))
		top = 1;
	fprintf(gp, "set yrange [%.6g:%.6g]\n", bottom < 0 ? bottom * 1.3 : 0, top * 1.12);
	if (bottom < 0)
		fputs("set xzeroaxis lt -1 lw 1.5\n", gp);
	fprintf(gp, "set xrange [-0.6:%d.6]\n", b->ng - 1);
	fputs("set style data histograms\n"
	      "set style histogram errorbars gap 1.5 lw 1.5\n"
	      "set style fill solid 0.85 border rgb \"#303030\"\n"
	      "set bars 1.5 front\n"
	      "set xtics scale 0\n",
	      gp);
	if (two_lines) /* gnuplot leaves room for one line of tic labels */
		fputs("set bmargin 4\n", gp);
	gp_key(gp, b->ns);
	/* Value labels only while the bars are wide enough to carry them. Each bar's value
	 * goes above its error bar (below it for a negative value): labels take one offset
	 * per plot, hence one label plot per sign, and only for a sign that some value of
	 * the series has: gnuplot 5.4 crashes (SIGSEGV) on a labels plot whose every point
	 * is NaN, such as the negative labels of one policy's revenue. */
	int labels = b->ns <= 3 && b->ns * b->ng <= 12, nlabels = 0;
	int want[SERIES_MAX][2] = {{0}};
	for (int s = 0; labels && s < b->ns; s++)
		for (int g = 0; g < b->ng; g++)
			if (isfinite(b->mean[g][s]) && !want[s][b->mean[g][s] < 0]++)
				nlabels++;
	fprintf(gp, "# a bar's centre: cluster $0 plus its offset, %d bars and a gap of 1.5 bars per cluster\n"
		    "bar_x(s) = column(0) + (s - (%d - 1) / 2.0) / (%d + 1.5)\n"
		    "group_name(a, b) = b eq \"\" ? a : a . \"\\n\" . b\n",
		b->ns, b->ns, b->ns);
	gp_png(gp);
	fputs("plot \\\n", gp);
	for (int s = 0; s < b->ns; s++) {
		if (s)
			fputs("  \"\"", gp); /* the same file again */
		else
			fprintf(gp, "  \"%s.dat\"", name);
		fprintf(gp, " using %d:%d%s lt %d dt solid title ", 3 + 2 * s, 4 + 2 * s,
			s ? "" : ":xtic(group_name(strcol(1), strcol(2)))", s + 1);
		gnuplot_string(gp, b->series[s]);
		fputs(nlabels || s + 1 < b->ns ? ", \\\n" : "\n", gp);
	}
	for (int s = 0; s < b->ns; s++)
		for (int neg = 0; neg < 2; neg++)
			if (want[s][neg])
				fprintf(gp, "  \"\" using (bar_x(%d)):($%d %s 0 ? $%d %c $%d : NaN):(sprintf(\"%%.3g\", $%d)) "
					    "with labels offset 0, %s notitle%s\n",
					s, 3 + 2 * s, neg ? "<" : ">=", 3 + 2 * s, neg ? '-' : '+', 4 + 2 * s, 3 + 2 * s,
					neg ? "-0.8" : "0.7", --nlabels ? ", \\" : "");
	gp_end(gp);
}

static const char *scope_name(const char *scope, const char *prefix)
{
	size_t n = strlen(prefix);
	return strncmp(scope, prefix, n) ? NULL : scope + n;
}

static double level_percent(const results *r)
{
	return 100 * r->confidence;
}

/* Utilisation per pool (and over all pools, and during each promotion) per policy. */
static int plot_util_pool(ctx *c, plots_plot *p, FILE *dat, FILE *gp)
{
	const results *r = c->r;
	bars b;
	memset(&b, 0, sizeof b);
	b.ns = r->npolicies < SERIES_MAX ? r->npolicies : SERIES_MAX;
	for (int s = 0; s < b.ns; s++)
		b.series[s] = r->policy[s];
	for (int i = 0; i < r->nscopes; i++) {
		const char *pool = scope_name(r->scope[i], "pool:");
		int g;
		if (pool && (g = bars_group(&b, "", pool)) >= 0)
			bars_fill_policies(r, &b, g, r->scope[i], "utilization", 100);
	}
	int g = bars_group(&b, "", "all pools");
	if (g >= 0)
		bars_fill_policies(r, &b, g, "all", "utilization", 100);
	for (int i = 0; i < r->nscopes; i++) {
		const char *win = scope_name(r->scope[i], "window:");
		if (win && (g = bars_group(&b, "all, during ", win)) >= 0)
			bars_fill_policies(r, &b, g, r->scope[i], "utilization", 100);
	}
	snprintf(p->title, sizeof p->title, "GPU utilisation per pool and policy");
	snprintf(p->caption, sizeof p->caption,
		 "Busy GPU-seconds over powered GPU-seconds from warm-up to horizon, per pool, over all pools, and "
		 "during each promotion window; bars are the mean over replications, error bars the %.0f%% "
		 "confidence interval (summary.csv).",
		 level_percent(r));
	gp_begin(gp, p->name, "GPU utilisation per pool and policy, with confidence error bars");
	gp_title(gp, "GPU utilisation per pool and policy");
	fputs("set ylabel \"GPU utilisation (%)\"\nset ytics 0, 20, 100\n", gp);
	bars_write(dat, gp, &b, p->name);
	return 0;
}

/* Revenue, cost and profit per policy. */
static int plot_money(ctx *c, plots_plot *p, FILE *dat, FILE *gp)
{
	const results *r = c->r;
	static const char *const metric[3] = {"revenue", "cost", "profit"};
	bars b;
	memset(&b, 0, sizeof b);
	b.ns = 3;
	double top = 0, bottom = 0;
	for (int s = 0; s < 3; s++)
		b.series[s] = metric[s];
	for (int pi = 0; pi < r->npolicies; pi++) {
		int g = bars_group(&b, "", r->policy[pi]);
		if (g < 0)
			break;
		for (int s = 0; s < 3; s++) {
			const results_row *row = results_summary(r, r->policy[pi], "all", metric[s]);
			b.mean[g][s] = row ? row->mean : NAN;
			b.hw[g][s] = row && isfinite(row->hw) ? row->hw : 0;
			if (row && isfinite(row->mean)) {
				top = fmax(top, row->mean + b.hw[g][s]);
				bottom = fmin(bottom, row->mean - b.hw[g][s]);
			}
		}
	}
	/* Thousands once the figures reach five digits: "50" reads better than "50000". */
	double scale = fmax(top, -bottom) >= 10000 ? 1000 : 1;
	for (int g = 0; g < b.ng; g++)
		for (int s = 0; s < 3; s++) {
			b.mean[g][s] /= scale;
			b.hw[g][s] /= scale;
		}
	char measured[96] = "";
	if (isfinite(r->horizon)) {
		char d[48];
		double len = r->horizon - (isfinite(r->warmup) ? r->warmup : 0);
		tunit u = time_unit(len);
		snprintf(d, sizeof d, "%.3g %s", len / u.seconds, u.name);
		snprintf(measured, sizeof measured, " over the measured %s", d);
	}
	snprintf(p->title, sizeof p->title, "Revenue, cost and profit per policy");
	snprintf(p->caption, sizeof p->caption,
		 "What the platform earned (revenue), paid for its GPUs busy or idle (cost) and kept (profit)%s, "
		 "in %s%s; bars are the mean over replications, error bars the %.0f%% confidence interval "
		 "(summary.csv).",
		 measured, scale > 1 ? "thousands of " : "", r->currency, level_percent(r));
	gp_begin(gp, p->name, "revenue, cost and profit per policy, with confidence error bars");
	gp_title(gp, "Revenue, cost and profit per policy");
	{
		char ylabel[200];
		snprintf(ylabel, sizeof ylabel, "%s%s%s", scale > 1 ? "thousand " : "", r->currency, measured);
		fputs("set ylabel ", gp);
		gnuplot_string(gp, ylabel);
		fputc('\n', gp);
	}
	bars_write(dat, gp, &b, p->name);
	return 0;
}

/* p95 wait per class (and over all jobs, and for jobs arriving in each promotion) per
 * policy. */
static int plot_wait_class(ctx *c, plots_plot *p, FILE *dat, FILE *gp)
{
	const results *r = c->r;
	bars b;
	memset(&b, 0, sizeof b);
	b.ns = r->npolicies < SERIES_MAX ? r->npolicies : SERIES_MAX;
	for (int s = 0; s < b.ns; s++)
		b.series[s] = r->policy[s];
	int g = bars_group(&b, "", "all jobs");
	bars_fill_policies(r, &b, g, "all", "wait_p95", 1);
	for (int i = 0; i < r->nscopes; i++) {
		const char *cls = scope_name(r->scope[i], "class:");
		if (cls && (g = bars_group(&b, "", cls)) >= 0)
			bars_fill_policies(r, &b, g, r->scope[i], "wait_p95", 1);
	}
	for (int i = 0; i < r->nscopes; i++) {
		const char *win = scope_name(r->scope[i], "window:");
		if (win && (g = bars_group(&b, "arrived in ", win)) >= 0)
			bars_fill_policies(r, &b, g, r->scope[i], "wait_p95", 1);
	}
	double top = 0;
	for (g = 0; g < b.ng; g++)
		for (int s = 0; s < b.ns; s++)
			if (isfinite(b.mean[g][s]))
				top = fmax(top, b.mean[g][s] + b.hw[g][s]);
	tunit u = time_unit(top);
	for (g = 0; g < b.ng; g++)
		for (int s = 0; s < b.ns; s++) {
			b.mean[g][s] /= u.seconds;
			b.hw[g][s] /= u.seconds;
		}
	snprintf(p->title, sizeof p->title, "95th-percentile wait per class and policy");
	snprintf(p->caption, sizeof p->caption,
		 "The wait that 95%% of started jobs stay under, per class, over all jobs, and for jobs that "
		 "arrived during each promotion; computed per replication, bars the mean over replications, "
		 "error bars the %.0f%% confidence interval (summary.csv). A bar of 0 means fewer than 5%% of "
		 "those jobs waited at all.",
		 level_percent(r));
	gp_begin(gp, p->name, "p95 wait per class and policy, with confidence error bars");
	gp_title(gp, "95th-percentile wait per class and policy");
	fprintf(gp, "set ylabel \"p95 wait (%s)\"\n", u.name);
	bars_write(dat, gp, &b, p->name);
	return 0;
}

/* ---- the set -------------------------------------------------------------------- */

typedef int (*plot_fn)(ctx *, plots_plot *, FILE *, FILE *);

/* In report order. A function returns 0 when it wrote its data and script, 1 when the
 * plot does not apply to this folder, -1 when it failed (out of memory). */
static const struct {
	const char *name;
	plot_fn fn;
} catalog[] = {
	{"wait_cdf", plot_wait_cdf},
	{"wait_p95_by_class", plot_wait_class},
	{"queue_over_time", plot_queue_time},
	{"utilization_over_time", plot_util_time},
	{"utilization_by_pool", plot_util_pool},
	{"money_by_policy", plot_money},
};

/* Removes a plot's files (with `all`, its data and script too), so that a plot that
 * no longer applies or could not be drawn leaves nothing stale. */
static void remove_files(const char *pdir, const char *name, int all)
{
	static const char *const ext[] = {"png", "svg", "dat", "gp"};
	char path[4400];
	for (int e = 0; e < (all ? 4 : 2); e++) {
		snprintf(path, sizeof path, "%s/%s.%s", pdir, name, ext[e]);
		unlink(path);
	}
}

static void remove_images(const char *pdir, const char *name)
{
	remove_files(pdir, name, 0);
}

/* Collects every gnuplot run started for set. Returns how many failed. */
static int finish_all(const char *pdir, plots_set *set, gnuplot_job *job, FILE *warn)
{
	int failed = 0;
	char msg[600], shown[700]; /* gnuplot's complaint may quote a data file: no raw controls */
	for (int i = 0; i < set->n; i++) {
		if (job[i].pid <= 0)
			continue;
		if (gnuplot_finish(pdir, &job[i], msg, sizeof msg)) {
			fprintf(warn, "warning: plot %s: %s\n", set->plot[i].name, names_show(msg, shown, sizeof shown));
			failed++;
		} else {
			set->plot[i].drawn = 1;
			set->drawn++;
		}
	}
	return failed;
}

int plots_write(const results *r, plots_set *set, FILE *warn, char *err, size_t errlen)
{
	ctx c;
	outfile st;
	memset(&c, 0, sizeof c);
	memset(set, 0, sizeof *set);
	c.r = r;
	c.warn = warn;
	snprintf(c.pdir, sizeof c.pdir, "%s/plots", r->dir);
	if (outfile_mkdirs(c.pdir) || outfile_open(&st, c.pdir, "style.gp")) {
		snprintf(err, errlen, "%s: cannot write: %s", c.pdir, strerror(errno));
		return -1;
	}
	fputs(style_gp, st.f);
	if (outfile_commit(&st)) {
		snprintf(err, errlen, "%s/style.gp: cannot write: %s", c.pdir, strerror(errno));
		return -1;
	}
	set->gnuplot = gnuplot_available();
	if (r->npolicies > SERIES_MAX)
		fprintf(warn, "warning: %d policies; plots show the first %d\n", r->npolicies, SERIES_MAX);
	int missing = 0;
	gnuplot_job job[PLOTS_MAX];
	char msg[600], shown[700];
	for (size_t i = 0; i < sizeof catalog / sizeof *catalog; i++) {
		plots_plot *p = &set->plot[set->n];
		outfile dat, gp;
		memset(p, 0, sizeof *p);
		snprintf(p->name, sizeof p->name, "%s", catalog[i].name);
		char datname[64], gpname[64];
		snprintf(datname, sizeof datname, "%s.dat", p->name);
		snprintf(gpname, sizeof gpname, "%s.gp", p->name);
		if (outfile_open(&dat, c.pdir, datname)) {
			snprintf(err, errlen, "%s/%s: cannot write: %s", c.pdir, datname, strerror(errno));
			goto fail;
		}
		if (outfile_open(&gp, c.pdir, gpname)) {
			snprintf(err, errlen, "%s/%s: cannot write: %s", c.pdir, gpname, strerror(errno));
			outfile_abort(&dat);
			goto fail;
		}
		int rc = catalog[i].fn(&c, p, dat.f, gp.f);
		if (rc) {
			outfile_abort(&dat);
			outfile_abort(&gp);
			if (rc < 0) {
				fprintf(warn, "warning: plot %s: out of memory\n", p->name);
				missing++;
			}
			remove_files(c.pdir, p->name, 1);
			continue;
		}
		if (outfile_commit(&dat) || outfile_commit(&gp)) {
			snprintf(err, errlen, "%s/%s: cannot write: %s", c.pdir, p->name, strerror(errno));
			outfile_abort(&gp);
			goto fail;
		}
		job[set->n].pid = -1;
		if (!set->gnuplot || gnuplot_start(c.pdir, p->name, &job[set->n], msg, sizeof msg)) {
			if (set->gnuplot)
				fprintf(warn, "warning: plot %s: %s\n", p->name, names_show(msg, shown, sizeof shown));
			remove_images(c.pdir, p->name); /* an older run's would pass for this one's */
			missing++;
		}
		set->n++;
	}
	ts_free(c.ts, r->npolicies);
	return missing + finish_all(c.pdir, set, job, warn);
fail:
	ts_free(c.ts, r->npolicies);
	finish_all(c.pdir, set, job, warn);
	return -1;
}

int plots_write_style(const char *pdir)
{
	outfile st;
	if (outfile_mkdirs(pdir) || outfile_open(&st, pdir, "style.gp"))
		return -1;
	fputs(style_gp, st.f);
	return outfile_commit(&st);
}
