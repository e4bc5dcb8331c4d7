/* sweep_plots.c - sweep curves: sweep.csv read back by column name (so `fgsim plot DIR`
 * redraws them the same way), one data file and gnuplot script per metric in plots/,
 * drawn through gnuplot.c with the look of style.gp that every fgsim plot shares. */
#include "sweep_plots.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "gnuplot.h"
#include "grow.h"
#include "lines.h"
#include "names.h"
#include "outfile.h"
#include "plots.h"
#include "results.h"
#include "runjson.h"

#define SP_MAX_METRICS 16
#define SP_MAX_SERIES 12 /* lines per plot: beyond this a plot is unreadable */
#define SP_MAX_X 1000

/* One row of sweep.csv that a plot uses. */
typedef struct sp_row {
	char *x, *series, *metric;
	double mean, hw;
} sp_row;

typedef struct sp_data {
	sp_row *row;
	size_t n, cap;
	char xkey[256];
	char other[8][128]; /* the other varied keys, which name the lines with the policy */ /* the file's text, which the rows point into */
} sp_data;

/* Text from sweep.csv or run.json in a data file or a script comment (names_put_text). */
static void put_text(FILE *f, const char *s)
{
	names_put_text(f, s, "\"", "'");
}

/* Whether a metric's name can name a plot's files (sweep_NAME.gp, and gnuplot's `out`
 * variable): run.json says which, and a folder someone sent may say anything. */
static int metric_name_ok(const char *m)
{
	if (!*m)
		return 0;
	for (; *m; m++)
		if (!((*m >= 'a' && *m <= 'z') || (*m >= 'A' && *m <= 'Z') || (*m >= '0' && *m <= '9') || *m == '_'))
			return 0;
	return 1;
}

/* How a metric reads on an axis: its words, and how its values are scaled. Returns
 * whether the metric is never negative (its axis then starts at 0). */
static int metric_axis(const char *m, double max, const char *currency, double *scale, char *label, size_t len)
{
	static const struct {
		const char *name, *words;
		char kind; /* t time, m money, f fraction shown as %, c count, x as is */
	} table[] = {
		{"wait_mean", "mean wait", 't'},		{"wait_p50", "median wait", 't'},
		{"wait_p95", "p95 wait", 't'},			{"wait_p99", "p99 wait", 't'},
		{"wait_max", "longest wait", 't'},		{"p_wait", "jobs that waited", 'f'},
		{"response_mean", "mean response time", 't'},	{"slowdown_mean", "mean slowdown (response / service)", 'x'},
		{"abandon_rate", "arrivals that abandoned", 'f'}, {"queue_mean", "mean jobs waiting", 'x'},
		{"queue_time_mean", "mean time in queue", 't'}, {"throughput_per_h", "throughput (jobs/h)", 'x'},
		{"utilization", "GPU utilization", 'f'},	{"gpu_hours", "GPU-hours run", 'x'},
		{"billed_gpu_hours", "GPU-hours billed", 'x'},	{"lost_gpu_hours", "GPU-hours lost to preemption", 'x'},
		{"revenue", "revenue", 'm'},			{"cost", "cost", 'm'},
		{"profit", "profit", 'm'},			{"lost_revenue", "revenue lost to abandonment", 'm'},
		{"arrivals", "arrivals (jobs)", 'x'},		{"jobs_done", "jobs done", 'x'},
		{"abandoned", "jobs abandoned", 'x'},		{"in_system_end", "jobs in the system at the end", 'x'},
		{"preemptions", "preemptions", 'x'},
	};
	const char *words = m;
	char kind = 'x';
	for (size_t i = 0; i < sizeof table / sizeof *table; i++)
		if (!strcmp(table[i].name, m)) {
			words = table[i].words;
			kind = table[i].kind;
		}
	*scale = 1;
	if (kind == 't') {
		const char *unit = "s";
		if (max >= 2 * 86400)
			*scale = 86400, unit = "days";
		else if (max >= 2 * 3600)
			*scale = 3600, unit = "h";
		else if (max >= 120)
			*scale = 60, unit = "min";
		snprintf(label, len, "%s (%s)", words, unit);
	} else if (kind == 'f') {
		*scale = 0.01;
		snprintf(label, len, "%s (%%)", words);
	} else if (kind == 'm') {
		if (max >= 10000)
			*scale = 1000;
		snprintf(label, len, "%s (%s%s)", words, *scale > 1 ? "thousand " : "", currency);
	} else {
		snprintf(label, len, "%s", words);
	}
	return kind != 'm'; /* only money can be negative */
}

/* Reads the rows of sweep.csv for scope and the metrics in `want`. Returns 0, -2 when
 * the file is missing or not a sweep, -1 when out of memory. */
static int read_sweep(const char *dir, const char *scope, char **want, int nwant, sp_data *d, char *err, size_t errlen)
{
	char path[4200], *f[64], *line = NULL;
	size_t cap = 0;
	int col[6] = {-1, -1, -1, -1, -1, -1}, nkeys = 0, rc = -2;
	static const char *const names[] = {"policy", "scope", "metric", "mean", "half_width", "n"};
	snprintf(path, sizeof path, "%s/sweep.csv", dir);
	FILE *in = fopen(path, "r");
	if (!in) {
		snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
		return -2;
	}
	long got;
	for (int ln = 1; (got = lines_get(&line, &cap, LINES_MAX, in)) != 0 && got != -1; ln++) {
		if (got == LINES_TOO_LONG) { /* read no further: an endless line would never end */
			snprintf(err, errlen, "%s:%d: line longer than %d bytes", path, ln, LINES_MAX);
			goto done;
		}
		int nf = results_csv_split(line, f, 64);
		if (ln == 1) {
			for (int c = 0; c < 6; c++)
				col[c] = results_csv_column(f, nf, names[c]);
			nkeys = col[0];
			if (nkeys < 1 || col[1] < 0 || col[2] < 0 || col[3] < 0 || col[4] < 0) {
				snprintf(err, errlen, "%s:1: not an fgsim sweep.csv (no varied key before \"policy\")", path);
				goto done;
			}
			snprintf(d->xkey, sizeof d->xkey, "%s", f[0]);
			for (int k = 1; k < nkeys && k < 8; k++)
				snprintf(d->other[k], sizeof d->other[k], "%s", f[k]);
			continue;
		}
		if (nf <= col[4] || strcmp(f[col[1]], scope))
			continue;
		int wanted = 0;
		for (int i = 0; i < nwant; i++)
			wanted |= !strcmp(want[i], f[col[2]]);
		if (!wanted)
			continue;
		if (GROW(d->row, d->cap, d->n + 1))
			goto oom;
		/* the series: the policy, and the values of the other varied keys */
		char series[512];
		size_t n = (size_t)snprintf(series, sizeof series, "%s", f[col[0]]);
		for (int k = 1; k < nkeys && k < 8 && n < sizeof series; k++)
			n += (size_t)snprintf(series + n, sizeof series - n, ", %s=%s", d->other[k], f[k]);
		sp_row *r = &d->row[d->n];
		r->x = strdup(f[0]);
		r->series = strdup(series);
		r->metric = strdup(f[col[2]]);
		r->mean = results_csv_number(f[col[3]]);
		r->hw = results_csv_number(f[col[4]]);
		d->n++;
		if (!r->x || !r->series || !r->metric)
			goto oom;
	}
	rc = d->xkey[0] ? 0 : -2;
	if (rc)
		snprintf(err, errlen, "%s: empty file", path);
	goto done;
oom:
	snprintf(err, errlen, "%s: out of memory", path);
	rc = -1;
done:
	free(line);
	fclose(in);
	return rc;
}

static void free_sweep(sp_data *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->row[i].x);
		free(d->row[i].series);
		free(d->row[i].metric);
	}
	free(d->row);
}

/* The index of s in list (of *n, adding it when there is room), or -1. */
static int index_of(const char **list, int *n, int max, const char *s)
{
	FG_ASSERT(*n >= 0 && *n <= max);
	for (int i = 0; i < *n; i++)
		if (!strcmp(list[i], s))
			return i;
	if (*n == max)
		return -1;
	list[*n] = s;
	return (*n)++;
}

/* Writes the data and script of one metric's plot. Returns 0, or 1 when there is
 * nothing to plot. */
static int write_plot(const sp_data *d, const char *metric, const char *scope, const char *currency,
		      double confidence, FILE *dat, FILE *gp, const char *name, FILE *warn)
{
	const char *xs[SP_MAX_X], *ss[SP_MAX_SERIES];
	int nx = 0, ns = 0, numeric = 1, dropped = 0;
	double max = 0;
	for (size_t i = 0; i < d->n; i++) {
		const sp_row *r = &d->row[i];
		if (strcmp(r->metric, metric))
			continue;
		index_of(xs, &nx, SP_MAX_X, r->x);
		if (index_of(ss, &ns, SP_MAX_SERIES, r->series) < 0)
			dropped = 1;
		numeric &= isfinite(results_csv_number(r->x));
		if (isfinite(r->mean))
			max = fmax(max, fabs(r->mean) + (isfinite(r->hw) ? r->hw : 0));
	}
	if (nx == 0)
		return 1;
	FG_ASSERT(ns >= 1 && ns <= SP_MAX_SERIES); /* a row with the metric added its series or dropped it */
	if (dropped)
		fprintf(warn, "warning: plot %s: more than %d lines; the first %d are drawn\n", name, SP_MAX_SERIES,
			SP_MAX_SERIES);
	double scale;
	char ylabel[256], title[1200];
	int nonnegative = metric_axis(metric, max, currency, &scale, ylabel, sizeof ylabel);
	for (int s = 0; s < ns; s++) {
		fprintf(dat, "%s# ", s ? "\n\n" : "");
		put_text(dat, ss[s]);
		fputc('\n', dat);
		for (size_t i = 0; i < d->n; i++) {
			const sp_row *r = &d->row[i];
			if (strcmp(r->metric, metric) || strcmp(r->series, ss[s]))
				continue;
			int xi = index_of(xs, &nx, SP_MAX_X, r->x);
			if (numeric) /* the number read, not the cell's text */
				fprintf(dat, "%.15g", results_csv_number(r->x));
			else
				fprintf(dat, "%d", xi);
			/* no interval (one replication): a bar of zero, not a missing point */
			fprintf(dat, " %.10g %.10g", r->mean / scale, isfinite(r->hw) ? r->hw / scale : 0);
			if (!numeric) {
				fputs(" \"", dat);
				put_text(dat, r->x);
				fputc('"', dat);
			}
			fputc('\n', dat);
		}
	}
	fprintf(gp, "# %s.gp - %s against ", name, metric);
	put_text(gp, d->xkey);
	fprintf(gp, ", one line per policy, with %.0f%% confidence error bars\n", 100 * confidence);
	fprintf(gp, "# Written by fgsim from ../sweep.csv. Edit it and redraw here with `gnuplot %s.gp`\n"
		    "# (writes %s.png and %s.svg); `fgsim plot` writes this file afresh.\n",
		name, name, name);
	fprintf(gp, "if (!exists(\"out\")) out = \"%s\"\nload \"style.gp\"\n", name);
	/* the title says what and for whom; the unit belongs to the axis */
	char words[256];
	snprintf(words, sizeof words, "%s", ylabel);
	char *paren = strrchr(words, '(');
	if (paren && paren > words)
		paren[-1] = 0;
	snprintf(title, sizeof title, "%s (%s) against %s, %.0f%% confidence bars", words,
		 !strcmp(scope, "all") ? "all jobs" : scope, d->xkey, 100 * confidence);
	fputs("set title ", gp);
	gnuplot_string(gp, title);
	fputs("\nset xlabel ", gp);
	gnuplot_string(gp, d->xkey);
	fputs("\nset ylabel ", gp);
	gnuplot_string(gp, ylabel);
	fputc('\n', gp);
	int rows = (ns + 2) / 3;
	if (rows > 1)
		fprintf(gp, "set key maxcols 3\nset tmargin %.1f\nset title offset 0, %.1f\n", 5 + 1.3 * (rows - 1),
			1.4 + 1.3 * (rows - 1));
	if (numeric) {
		/* whole numbers (node counts) get whole-number tics when there are few */
		double lo = INFINITY, hi = -INFINITY;
		int whole = 1;
		for (int i = 0; i < nx; i++) {
			double x = results_csv_number(xs[i]);
			lo = fmin(lo, x);
			hi = fmax(hi, x);
			whole &= x == floor(x);
		}
		if (whole && nx <= 16) { /* tics at the values swept, no others */
			fputs("set xtics (", gp);
			for (int i = 0; i < nx; i++)
				fprintf(gp, "%s%.15g", i ? ", " : "", results_csv_number(xs[i]));
			fputs(")\n", gp);
		} else if (whole && hi - lo <= 24) {
			fputs("set xtics 1\n", gp);
		}
		fprintf(gp, "set offsets graph 0.04, graph 0.04, graph 0.05, %s\n", nonnegative ? "0" : "graph 0.05");
	}
	else
		fprintf(gp, "set xrange [-0.5:%d.5]\nset offsets 0, 0, graph 0.05, %s\n", nx - 1, nonnegative ? "0" : "graph 0.05");
	if (nonnegative) /* an error bar below zero is a symmetric interval, not a value */
		fputs("set yrange [0:*]\n", gp);
	fputs("set grid xtics ytics\n\neval png_terminal\nset output out.\".png\"\nplot ", gp);
	for (int s = 0; s < ns; s++) {
		fprintf(gp, "%s\"%s.dat\" index %d using 1:2:3%s with yerrorlines lt %d title ", s ? ", \\\n     " : "", name,
			s, numeric ? "" : ":xtic(4)", s + 1);
		gnuplot_string(gp, ss[s]);
	}
	fputs("\n\neval svg_terminal\nset output out.\".svg\"\nreplot\nunset output\n", gp);
	return 0;
}

int sweep_plots_folder(const char *dir, FILE *warn, int *nplots, int *drawn, char *err, size_t errlen)
{
	char path[4200], pdir[4200], metrics[512], msg[600], shown[700], *want[SP_MAX_METRICS];
	int nwant = 0, rc = 0;
	sp_data d;
	memset(&d, 0, sizeof d);
	*nplots = *drawn = 0;
	/* run.json says what was asked for; without it, the defaults */
	snprintf(path, sizeof path, "%s/run.json", dir);
	size_t size;
	char *text = results_read_file(path, &size);
	json_t *run = text ? runjson_parse(text, size, msg, sizeof msg) : NULL;
	free(text);
	snprintf(metrics, sizeof metrics, "%s", runjson_str(json_object_get(run, "plot_metrics"), SWEEP_PLOT_DEFAULT_METRICS));
	char scope[256], currency[32];
	snprintf(scope, sizeof scope, "%s", runjson_str(json_object_get(run, "plot_scope"), "all"));
	snprintf(currency, sizeof currency, "%s", runjson_str(json_object_get(run, "currency"), "USD"));
	double confidence = runjson_num(json_object_get(run, "confidence"), 0.95);
	if (!run)
		fprintf(warn, "warning: %s unreadable: plotting %s for scope all\n", path, metrics);
	json_decref(run);
	for (char *save, *m = strtok_r(metrics, ",", &save); m && nwant < SP_MAX_METRICS; m = strtok_r(NULL, ",", &save))
		if (metric_name_ok(m)) {
			want[nwant++] = m;
		} else {
			fprintf(warn, "warning: %s: plot_metrics names \"%s\", not a metric: no plot of it\n", path,
				names_show(m, shown, sizeof shown));
		}
	if ((rc = read_sweep(dir, scope, want, nwant, &d, err, errlen)))
		goto done;
	snprintf(pdir, sizeof pdir, "%s/plots", dir);
	if (plots_write_style(pdir)) {
		snprintf(err, errlen, "%s: cannot write: %s", pdir, strerror(errno));
		rc = -1;
		goto done;
	}
	int gnuplot = gnuplot_available();
	gnuplot_job job[SP_MAX_METRICS];
	char jobname[SP_MAX_METRICS][64];
	int njobs = 0, missing = 0;
	for (int i = 0; i < nwant; i++) {
		char name[64], datname[80], gpname[80];
		outfile dat, gp;
		snprintf(name, sizeof name, "sweep_%.40s", want[i]);
		snprintf(datname, sizeof datname, "%s.dat", name);
		snprintf(gpname, sizeof gpname, "%s.gp", name);
		if (outfile_open(&dat, pdir, datname) || outfile_open(&gp, pdir, gpname)) {
			snprintf(err, errlen, "%s/%s: cannot write: %s", pdir, name, strerror(errno));
			outfile_abort(&dat);
			rc = -1;
			break;
		}
		if (write_plot(&d, want[i], scope, currency, confidence, dat.f, gp.f, name, warn)) {
			fprintf(warn, "warning: plot %s: sweep.csv has no %s for scope %s\n", name, want[i],
				names_show(scope, shown, sizeof shown));
			outfile_abort(&dat);
			outfile_abort(&gp);
			missing++;
			continue;
		}
		if (outfile_commit(&dat) || outfile_commit(&gp)) {
			snprintf(err, errlen, "%s/%s: cannot write: %s", pdir, name, strerror(errno));
			outfile_abort(&gp);
			rc = -1;
			break;
		}
		(*nplots)++;
		snprintf(jobname[njobs], sizeof jobname[njobs], "%s", name);
		if (!gnuplot || gnuplot_start(pdir, name, &job[njobs], msg, sizeof msg)) {
			if (gnuplot)
				fprintf(warn, "warning: plot %s: %s\n", name, names_show(msg, shown, sizeof shown));
			missing++;
			continue;
		}
		njobs++;
	}
	for (int j = 0; j < njobs; j++) {
		if (gnuplot_finish(pdir, &job[j], msg, sizeof msg)) {
			fprintf(warn, "warning: plot %s: %s\n", jobname[j], names_show(msg, shown, sizeof shown));
			missing++;
		} else {
			(*drawn)++;
		}
	}
	if (!rc)
		rc = missing ? 1 : 0;
done:
	free_sweep(&d);
	return rc;
}
