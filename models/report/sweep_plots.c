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
#include "numfmt.h"
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
	char *label; /* the series in words, for the key: series itself is sweep.csv's text */
	double mean, hw;
} sp_row;

typedef struct sp_data {
	sp_row *row;
	size_t n, cap;
	char xkey[256];
	char other[8][128];     /* the other varied keys, which name the lines with the policy */
	char otherw[8][200];    /* ... in words for the key ("burst pre-warm") */
	const char *otheru[8];  /* ... and their units ("" for none) */
	char first[128];        /* the first row's policy: in sweep.csv, the baseline */
	const json_t *scenario; /* run.json's, for the words; may be NULL */
	const char *currency;
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
		if (!((*m >= 'a' && *m <= 'z') || (*m >= 'A' && *m <= 'Z') ||
		      (*m >= '0' && *m <= '9') || *m == '_'))
			return 0;
	return 1;
}

static const struct {
	const char *name, *words;
	char kind; /* t time, m money, f fraction shown as %, c count, x as is */
} metric_table[] = {
	{"wait_mean", "mean wait", 't'},
	{"wait_p50", "median wait", 't'},
	{"wait_p95", "p95 wait", 't'},
	{"wait_p99", "p99 wait", 't'},
	{"wait_max", "longest wait", 't'},
	{"p_wait", "jobs that waited", 'f'},
	{"response_mean", "mean response time", 't'},
	{"slowdown_mean", "mean slowdown", 'x'},
	{"abandon_rate", "arrivals that abandoned", 'f'},
	{"queue_mean", "mean jobs waiting", 'x'},
	{"queue_time_mean", "mean time in queue", 't'},
	{"throughput_per_h", "throughput (jobs/h)", 'x'},
	{"utilization", "GPU utilization", 'f'},
	{"gpu_hours", "GPU-hours run", 'x'},
	{"billed_gpu_hours", "GPU-hours billed", 'x'},
	{"lost_gpu_hours", "GPU-hours of work lost", 'x'},
	{"goodput_gpu_hours", "goodput (GPU-hours kept)", 'x'},
	{"checkpoint_gpu_hours", "GPU-hours writing checkpoints", 'x'},
	{"node_availability", "node availability", 'f'},
	{"failures", "node failures", 'x'},
	{"reclaims", "spot reclamations", 'x'},
	{"interrupted", "runs interrupted", 'x'},
	{"failed", "jobs failed", 'x'},
	{"burst_nodes_peak", "burst nodes at the peak", 'x'},
	{"burst_idle_gpu_hours", "burst GPU-hours idle", 'x'},
	{"fragmentation_gpus", "fragmented GPUs", 'x'},
	{"revenue", "revenue", 'm'},
	{"cost", "cost", 'm'},
	{"profit", "profit", 'm'},
	{"lost_revenue", "revenue lost to abandonment", 'm'},
	{"burst_cost", "burst node cost", 'm'},
	{"burst_gpu_hours", "burst GPU-hours", 'x'},
	{"arrivals", "arrivals (jobs)", 'x'},
	{"jobs_done", "jobs done", 'x'},
	{"abandoned", "jobs abandoned", 'x'},
	{"in_system_end", "jobs in the system at the end", 'x'},
	{"preemptions", "preemptions", 'x'},
};

const char *sweep_metric_words(const char *m)
{
	for (size_t i = 0; i < sizeof metric_table / sizeof *metric_table; i++)
		if (!strcmp(metric_table[i].name, m))
			return metric_table[i].words;
	return m;
}

/* numfmt_time_unit for times, so that the plots, the report and the terminal agree. */
int sweep_metric_axis(const char *m, double top, const char *currency, double *scale, char *label,
		      size_t len)
{
	const char *words = sweep_metric_words(m);
	char kind = 'x';
	for (size_t i = 0; i < sizeof metric_table / sizeof *metric_table; i++)
		if (!strcmp(metric_table[i].name, m))
			kind = metric_table[i].kind;
	*scale = 1;
	if (kind == 't') {
		const char *unit;
		*scale = numfmt_time_unit(top, &unit);
		snprintf(label, len, "%s (%s)", words, unit);
	} else if (kind == 'f') {
		*scale = 0.01;
		snprintf(label, len, "%s (%%)", words);
	} else if (kind == 'm') {
		snprintf(label, len, "%s (%s)", words, currency);
	} else {
		snprintf(label, len, "%s", words);
	}
	return kind != 'm'; /* only money can be negative */
}

/* The words of one segment of a key path, and its unit ("" for none). */
static const char *key_words(const char *seg, const char **unit)
{
	static const struct {
		const char *seg, *words, *unit;
	} t[] = {
		{"gpus_per_node", "GPUs per node", ""},
		{"max_nodes", "max nodes", ""},
		{"cost_per_gpu_hour", "cost per GPU-hour", "$"},
		{"price_per_gpu_hour", "price per GPU-hour", "$"},
		{"arrivals", "arrival", ""},
		{"minimum_billing", "minimum billing", ""},
		{"replications", "replications", ""},
		{"every", "interval", ""}, /* checkpoint.every: "checkpoint interval" */
		{"prewarm", "pre-warm", ""},
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++)
		if (!strcmp(t[i].seg, seg)) {
			if (*t[i].unit)
				*unit = t[i].unit;
			return t[i].words;
		}
	return seg;
}

/* A key's parts: its words ("burst pre-warm"), the list item it is in ("pool serve", ""
 * when none) and its unit ("" for none, the currency for money). */
static void key_parts(const json_t *scenario, const char *key, const char *currency, char *words,
		      size_t wlen, char *ctx, size_t clen, const char **unitp)
{
	char path[256], prev[64] = "";
	const char *unit = "";
	const json_t *cur = scenario;
	size_t n = 0;
	words[0] = ctx[0] = 0;
	snprintf(path, sizeof path, "%s", key);
	int first = 1;
	for (char *save, *seg = strtok_r(path, ".", &save); seg;
	     seg = strtok_r(NULL, ".", &save), first = 0) {
		int index;
		char tail;
		if (sscanf(seg, "[%d]%c", &index, &tail) == 1) {
			/* a list item: named by its name member ("pool l4"), the words start afresh */
			cur = json_array_get(cur, (size_t)index);
			const char *name = runjson_str(json_object_get(cur, "name"), NULL);
			size_t pl = strlen(prev);
			/* pools -> pool, classes -> class, promotions -> promotion */
			if (pl > 4 && !strcmp(prev + pl - 4, "sses"))
				prev[pl - 2] = 0;
			else if (pl > 1 && prev[pl - 1] == 's')
				prev[pl - 1] = 0;
			if (name)
				snprintf(ctx, clen, "%s %s", prev, name);
			else
				snprintf(ctx, clen, "%s %d", prev, index + 1);
			words[0] = 0;
			n = 0;
			continue;
		}
		cur = json_object_get(cur, seg);
		snprintf(prev, sizeof prev, "%s", seg);
		/* the section (cluster, workload, run) says nothing a reader needs */
		if (first && strchr(key, '.'))
			continue;
		const char *w = key_words(seg, &unit);
		n += (size_t)snprintf(words + n, n < wlen ? wlen - n : 0, "%s%s", n ? " " : "", w);
		for (char *u = words; *u; u++)
			if (*u == '_')
				*u = ' ';
	}
	if (!words[0]) /* a list item itself: say which */
		snprintf(words, wlen, "%s", key);
	*unitp = !strcmp(unit, "$") ? currency : unit;
}

void sweep_key_label(const json_t *scenario, const char *key, const char *currency, char *buf,
		     size_t len)
{
	char words[256], ctx[160];
	const char *unit;
	key_parts(scenario, key, currency, words, sizeof words, ctx, sizeof ctx, &unit);
	size_t m = (size_t)snprintf(buf, len, "%s", words);
	if (ctx[0] && m < len)
		m += (size_t)snprintf(buf + m, len - m, " in %s", ctx);
	if (*unit && m < len)
		snprintf(buf + m, len - m, " (%s)", unit);
}

/* The words that name the other varied keys (from 1 to nkeys - 1) in the key: short,
 * without the list item ("burst pre-warm", not "... in pool serve"), since the key holds
 * up to 12 of them; with it ("nodes (pool a)") where the short words would read the same
 * as the x axis's or another key's. */
static void other_words(sp_data *d, int nkeys)
{
	char words[8][200], ctx[8][160];
	const char *unit[8];
	for (int k = 0; k < nkeys && k < 8; k++)
		key_parts(d->scenario, k ? d->other[k] : d->xkey, d->currency, words[k],
			  sizeof words[k], ctx[k], sizeof ctx[k], &unit[k]);
	for (int k = 1; k < nkeys && k < 8; k++) {
		int same = 0;
		for (int j = 0; j < nkeys && j < 8; j++)
			same |= j != k && !strcmp(words[j], words[k]);
		if (same && ctx[k][0])
			snprintf(d->otherw[k], sizeof d->otherw[k], "%s (%s)", words[k], ctx[k]);
		else
			snprintf(d->otherw[k], sizeof d->otherw[k], "%s", words[k]);
		d->otheru[k] = unit[k];
	}
}

/* The decimals that print every multiple of step exactly (0 for 5, 1 for 2.5 or 0.5). */
static int step_decimals(double step)
{
	int dec = 0;
	while (dec < 6 && fabs(step * pow(10, dec) - round(step * pow(10, dec))) > 1e-6)
		dec++;
	return dec;
}

/* A value of a varied key as the key shows it: a number in numfmt's style with the
 * decimals that print it exactly (as on the x axis), other text ("4/h", "10m") as it is. */
static const char *value_words(const char *v, char *buf, size_t len)
{
	double x = results_csv_number(v);
	if (!isfinite(x))
		return v;
	return numfmt(x, step_decimals(x), buf, len);
}

/* Reads the rows of sweep.csv for scope and the metrics in `want`. Returns 0, -2 when
 * the file is missing or not a sweep, -1 when out of memory. */
static int read_sweep(const char *dir, const char *file, const char *scope, char **want, int nwant,
		      sp_data *d, char *err, size_t errlen)
{
	char path[4200], *f[64], *line = NULL;
	size_t cap = 0;
	int col[6] = {-1, -1, -1, -1, -1, -1}, nkeys = 0, rc = -2;
	/* sweep_compare.csv has diff_mean where sweep.csv has mean */
	const char *names[] = {"policy",     "scope",
			       "metric",     strcmp(file, "sweep.csv") ? "diff_mean" : "mean",
			       "half_width", "n"};
	snprintf(path, sizeof path, "%s/%s", dir, file);
	FILE *in = fopen(path, "r");
	if (!in) {
		snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
		return -2;
	}
	long got;
	for (int ln = 1; (got = lines_get(&line, &cap, LINES_MAX, in)) != 0 && got != -1; ln++) {
		if (got == LINES_TOO_LONG) { /* read no further: an endless line would never end */
			snprintf(err, errlen, "%s:%d: line longer than %d bytes", path, ln,
				 LINES_MAX);
			goto done;
		}
		int nf = results_csv_split(line, f, 64);
		if (ln == 1) {
			for (int c = 0; c < 6; c++)
				col[c] = results_csv_column(f, nf, names[c]);
			nkeys = col[0];
			if (nkeys < 1 || col[1] < 0 || col[2] < 0 || col[3] < 0 || col[4] < 0) {
				snprintf(err, errlen,
					 "%s:1: not an fgsim %s (no varied key before \"policy\")",
					 path, file);
				goto done;
			}
			snprintf(d->xkey, sizeof d->xkey, "%s", f[0]);
			for (int k = 1; k < nkeys && k < 8; k++)
				snprintf(d->other[k], sizeof d->other[k], "%s", f[k]);
			other_words(d, nkeys);
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
		char series[512], label[512], num[64];
		size_t n = (size_t)snprintf(series, sizeof series, "%s", f[col[0]]);
		size_t nl = (size_t)snprintf(label, sizeof label, "%s", f[col[0]]);
		for (int k = 1; k < nkeys && k < 8 && n < sizeof series; k++)
			n += (size_t)snprintf(series + n, sizeof series - n, ", %s=%s",
					      d->other[k], f[k]);
		for (int k = 1; k < nkeys && k < 8 && nl < sizeof label; k++) /* "sjf, nodes 4" */
			nl += (size_t)snprintf(label + nl, sizeof label - nl, ", %s %s%s%s",
					       d->otherw[k], value_words(f[k], num, sizeof num),
					       *d->otheru[k] ? " " : "", d->otheru[k]);
		sp_row *r = &d->row[d->n];
		if (!d->first[0])
			snprintf(d->first, sizeof d->first, "%s", f[col[0]]);
		r->x = strdup(f[0]);
		r->series = strdup(series);
		r->label = strdup(label);
		r->metric = strdup(f[col[2]]);
		r->mean = results_csv_number(f[col[3]]);
		r->hw = results_csv_number(f[col[4]]);
		d->n++;
		if (!r->x || !r->series || !r->label || !r->metric)
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
		free(d->row[i].label);
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

/* A linear axis from lo to hi at a round step (1, 2, 2.5 or 5 times a power of ten),
 * the range fitted to the tics and every tic labelled by numfmt: gnuplot's own labels
 * would read 1.9e+03 where the report says 1,900. */
static void linear_tics(FILE *gp, char axis, double lo, double hi)
{
	char buf[64];
	double raw = (hi - lo) / 5;
	if (!(raw > 0))
		raw = fabs(hi) > 0 ? fabs(hi) / 5 : 1;
	double mag = pow(10, floor(log10(raw))), f = raw / mag;
	double step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * mag;
	double a = floor(lo / step + 1e-9) * step, b = ceil(hi / step - 1e-9) * step;
	if (b <= a)
		b = a + step;
	int dec = step_decimals(step);
	fprintf(gp, "set %crange [%.15g:%.15g]\nset %ctics (", axis, a, b, axis);
	for (int i = 0; i <= 40 && a + i * step <= b + step * 1e-9; i++) {
		double t = a + i * step;
		if (fabs(t) < step * 1e-9)
			t = 0; /* no "-0" */
		fprintf(gp, "%s\"%s\" %.15g", i ? ", " : "", numfmt(t, dec, buf, sizeof buf), t);
	}
	fputs(")\n", gp);
}

/* A log axis from 10^lo to 10^hi, a labelled tic at each power of ten. */
static void log_tics(FILE *gp, char axis, int lo, int hi)
{
	char buf[64];
	fprintf(gp, "set logscale %c\nset %crange [1e%d:1e%d]\nset %ctics (", axis, axis, lo, hi,
		axis);
	for (int k = lo; k <= hi; k++)
		fprintf(gp, "%s\"%s\" 1e%d", k > lo ? ", " : "",
			numfmt(pow(10, k), k < 0 ? -k : 0, buf, sizeof buf), k);
	fputs(")\nset mytics 10\n", gp);
}

/* What a plot is of: sweep.csv's values, or sweep_compare.csv's differences from the
 * first policy (compare: the axis can go below 0 and has a zero line). */
typedef struct sp_plot {
	const char *metric, *scope, *currency, *xlabel, *baseline;
	double confidence;
	int compare;
} sp_plot;

/* Titles longer than this are cut at 1000 px and 15 pt (the "...confidence ba"). */
#define SP_TITLE_MAX 60

/* Writes the data and script of one metric's plot. Returns 0, or 1 when there is
 * nothing to plot. */
/* What one plot's data file and script share: its x values and lines, and its axes. */
typedef struct sp_layout {
	const char *xs[SP_MAX_X], *ss[SP_MAX_SERIES];
	const char *sl[SP_MAX_SERIES]; /* ss in words, for the key */
	int nx, ns, numeric;
	double scale;                 /* metric units per axis unit */
	double lo, hi;                /* the y extent in axis units */
	int logy, declo, dechi;       /* a log y axis and its decades */
	double floor_y;               /* on a log axis, what is below is drawn here */
	int floored;                  /* some value was drawn on the floor */
	double gap, xmin, xmax, step; /* the x values' closest gap, extent, lines' offset */
} sp_layout;

/* The x values and lines of pl's metric, in order of first appearance. Returns the
 * largest |mean| + half-width, or -1 when the metric has no rows. */
static double layout_series(const sp_data *d, const sp_plot *pl, sp_layout *L, const char *name,
			    FILE *warn)
{
	int dropped = 0;
	double top = 0;
	L->numeric = 1;
	for (size_t i = 0; i < d->n; i++) {
		const sp_row *r = &d->row[i];
		if (strcmp(r->metric, pl->metric))
			continue;
		index_of(L->xs, &L->nx, SP_MAX_X, r->x);
		int s = index_of(L->ss, &L->ns, SP_MAX_SERIES, r->series);
		if (s < 0)
			dropped = 1;
		else
			L->sl[s] = r->label;
		L->numeric &= isfinite(results_csv_number(r->x));
		if (isfinite(r->mean))
			top = fmax(top, fabs(r->mean) + (isfinite(r->hw) ? r->hw : 0));
	}
	if (L->nx == 0)
		return -1;
	/* a row with the metric added its series or dropped it */
	FG_ASSERT(L->ns >= 1 && L->ns <= SP_MAX_SERIES);
	if (dropped)
		fprintf(warn, "warning: plot %s: more than %d lines; the first %d are drawn\n",
			name, SP_MAX_SERIES, SP_MAX_SERIES);
	return top;
}

/* The y extent in axis units; a log axis where the positive values span decades,
 * so that the good policies are not squashed onto 0 by the bad ones. */
static void layout_y(const sp_data *d, const sp_plot *pl, int nonnegative, sp_layout *L)
{
	double lo = INFINITY, hi = -INFINITY, minpos = INFINITY;
	for (size_t i = 0; i < d->n; i++) {
		const sp_row *r = &d->row[i];
		if (strcmp(r->metric, pl->metric) || !isfinite(r->mean))
			continue;
		double m = r->mean / L->scale, h = isfinite(r->hw) ? r->hw / L->scale : 0;
		lo = fmin(lo, m - h);
		hi = fmax(hi, m + h);
		if (m > 0)
			minpos = fmin(minpos, m);
	}
	if (!isfinite(lo))
		lo = hi = 0;
	L->lo = lo, L->hi = hi;
	L->logy = nonnegative && isfinite(minpos) && hi / minpos > 100;
	if (L->logy) {
		L->dechi = (int)ceil(log10(hi) - 1e-9);
		L->declo = (int)floor(log10(minpos) + 1e-9);
		if (L->dechi - L->declo > 6) /* below a millionth of the top is as good as zero here */
			L->declo = L->dechi - 6;
		if (L->dechi <= L->declo)
			L->dechi = L->declo + 1;
		L->floor_y = pow(10, L->declo);
	}
}

/* Each policy's points a little to one side, so that 3-7 error bars at one x stay
 * apart: a third of the closest gap between x values, shared among the lines. */
static void layout_x(sp_layout *L)
{
	L->gap = 1, L->xmin = 0, L->xmax = L->nx - 1;
	if (L->numeric) {
		L->xmin = INFINITY, L->xmax = -INFINITY, L->gap = INFINITY;
		for (int i = 0; i < L->nx; i++) {
			double x = results_csv_number(L->xs[i]);
			L->xmin = fmin(L->xmin, x);
			L->xmax = fmax(L->xmax, x);
			for (int j = 0; j < i; j++)
				if (x != results_csv_number(L->xs[j]))
					L->gap = fmin(L->gap, fabs(x - results_csv_number(L->xs[j])));
		}
		if (!isfinite(L->gap))
			L->gap = L->xmax != 0 ? fabs(L->xmax) / 5 : 1;
	}
	L->step = L->ns > 1 ? L->gap / 3 / (L->ns - 1) : 0;
}

/* One block per line: x (offset), mean, bar low, bar high, in axis units. */
static void write_dat(const sp_data *d, const sp_plot *pl, sp_layout *L, FILE *dat)
{
	for (int s = 0; s < L->ns; s++) {
		double dx = (s - (L->ns - 1) / 2.0) * L->step;
		fprintf(dat, "%s# ", s ? "\n\n" : "");
		put_text(dat, L->sl[s]);
		fputs(": x (offset by this line's share of the gap), mean, bar low, bar high\n",
		      dat);
		for (size_t i = 0; i < d->n; i++) {
			const sp_row *r = &d->row[i];
			if (strcmp(r->metric, pl->metric) || strcmp(r->series, L->ss[s]))
				continue;
			int xi = index_of(L->xs, &L->nx, SP_MAX_X, r->x);
			double x = L->numeric ? results_csv_number(r->x) : xi;
			/* no interval (one replication): a bar of zero, not a missing point */
			double m = r->mean / L->scale, h = isfinite(r->hw) ? r->hw / L->scale : 0,
			       l = m - h, u = m + h;
			if (L->logy) { /* what is below the floor is drawn on it */
				L->floored |= isfinite(m) && m < L->floor_y;
				m = fmax(m, L->floor_y), l = fmax(l, L->floor_y),
				u = fmax(u, L->floor_y);
			}
			fprintf(dat, "%.15g %.10g %.10g %.10g\n", x + dx, m, l, u);
		}
	}
}

/* The x range and tics: the values swept when numeric and few, else the categories. */
static void write_xtics(FILE *gp, const sp_layout *L)
{
	char buf[64];
	if (!L->numeric) {
		fprintf(gp, "set xrange [-0.5:%d.5]\nset xtics (", L->nx - 1);
		for (int i = 0; i < L->nx; i++) { /* single-quoted: gnuplot runs `...` in "..." */
			fputs(i ? ", " : "", gp);
			gnuplot_string(gp, L->xs[i]);
			fprintf(gp, " %d", i);
		}
		fputs(")\n", gp);
		return;
	}
	double pad = fmax(L->gap / 3, 0.04 * (L->xmax - L->xmin));
	int whole = 1;
	for (int i = 0; i < L->nx; i++)
		whole &= results_csv_number(L->xs[i]) == floor(results_csv_number(L->xs[i]));
	fprintf(gp, "set xrange [%.15g:%.15g]\n", L->xmin - pad, L->xmax + pad);
	if (L->nx > 16) {
		fputs("set format x \"%.10g\"\n", gp);
		return;
	}
	int dec = 0; /* tics at the values swept, no others */
	for (int i = 0; !whole && i < L->nx; i++)
		dec = dec > step_decimals(results_csv_number(L->xs[i]))
			      ? dec
			      : step_decimals(results_csv_number(L->xs[i]));
	fputs("set xtics (", gp);
	for (int i = 0; i < L->nx; i++)
		fprintf(gp, "%s\"%s\" %.15g", i ? ", " : "",
			numfmt(results_csv_number(L->xs[i]), dec, buf, sizeof buf),
			results_csv_number(L->xs[i]));
	fputs(")\n", gp);
}

/* The script's head: what it draws, from which file, and how to redraw it. */
static void write_gp_head(FILE *gp, const sp_plot *pl, const char *name)
{
	fprintf(gp, "# %s.gp - %s %s against ", name, pl->metric,
		pl->compare ? "minus the first policy's" : "");
	put_text(gp, pl->xlabel);
	fprintf(gp, ", one line per policy, with %.0f%% confidence error bars\n",
		100 * pl->confidence);
	fprintf(gp,
		"# Written by fgsim from ../%s. Edit it and redraw here with `gnuplot %s.gp`\n"
		"# (writes %s.png and %s.svg); `fgsim plot` writes this file afresh.\n",
		pl->compare ? "sweep_compare.csv" : "sweep.csv", name, name, name);
	/* taller than the run's plots: the key sits below, a row per four policies */
	fprintf(gp,
		"if (!exists(\"out\")) out = \"%s\"\nif (!exists(\"height\")) height = 660\nload \"style.gp\"\n",
		name);
}

/* The title, axis labels and the key's title. ylabel holds the metric's label with its
 * unit; words, the label without it. */
static void write_labels(FILE *gp, const sp_plot *pl, const sp_layout *L, char *ylabel, size_t ylen,
			 const char *words)
{
	char title[300], keytitle[200], buf[64];
	const char *who = !strcmp(pl->scope, "all") ? "all jobs" : pl->scope;
	if (pl->compare)
		snprintf(title, sizeof title, "%s (%s), difference from %s", words, who,
			 pl->baseline);
	else
		snprintf(title, sizeof title, "%s (%s) by %s", words, who, pl->xlabel);
	if (strlen(title) > SP_TITLE_MAX) /* the x axis says what it is */
		snprintf(title, sizeof title, "%s (%s)", words, who);
	if (strlen(title) > SP_TITLE_MAX)
		snprintf(title, sizeof title, "%.*s...", SP_TITLE_MAX - 3, words);
	fputs("set title ", gp);
	gnuplot_string(gp, title);
	fputs("\nset xlabel ", gp);
	gnuplot_string(gp, pl->xlabel);
	if (L->logy) { /* "p95 wait (min)" -> "p95 wait (min, log scale)" */
		size_t n = strlen(ylabel);
		if (n && ylabel[n - 1] == ')')
			snprintf(ylabel + n - 1, ylen - n + 1, ", log scale)");
		else
			snprintf(ylabel + n, ylen - n, " (log scale)");
	}
	fputs("\nset ylabel ", gp);
	gnuplot_string(gp, ylabel);
	if (pl->compare)
		snprintf(keytitle, sizeof keytitle,
			 "bars: %.0f%% simultaneous paired intervals (Bonferroni)",
			 100 * pl->confidence);
	else if (L->floored)
		snprintf(keytitle, sizeof keytitle,
			 "bars: %.0f%% confidence; values below %s drawn at the bottom",
			 100 * pl->confidence,
			 numfmt(L->floor_y, L->declo < 0 ? -L->declo : 0, buf, sizeof buf));
	else
		snprintf(keytitle, sizeof keytitle, "bars: %.0f%% confidence intervals",
			 100 * pl->confidence);
	/* the key below the plot, never over the title or past the right edge; its title
	 * starts with an empty line, or gnuplot sets it against the x label's descenders */
	fputs("\nset tmargin 3\nset title offset 0, 0.3\nset xlabel offset 0, 0.5\n"
	      "set key outside below center horizontal maxcols 3 reverse Left samplen 2.5 width 2 title "
	      "\"\\n\".",
	      gp);
	gnuplot_string(gp, keytitle);
	fputc('\n', gp);
}

static int write_plot(const sp_data *d, const sp_plot *pl, FILE *dat, FILE *gp, const char *name,
		      FILE *warn)
{
	sp_layout L = {0};
	double top = layout_series(d, pl, &L, name, warn);
	if (top < 0)
		return 1;
	char ylabel[300], words[256];
	int nonnegative = sweep_metric_axis(pl->metric, top, pl->currency, &L.scale, ylabel,
					    sizeof ylabel) &&
			  !pl->compare;
	/* the metric's words without the unit, for the title */
	snprintf(words, sizeof words, "%s", ylabel);
	char *paren = strrchr(words, '(');
	if (paren && paren > words && ylabel[strlen(ylabel) - 1] == ')')
		paren[-1] = 0;
	char unit[64];
	snprintf(unit, sizeof unit, "%s", paren && paren > words ? ylabel + (paren - words) : "");
	if (pl->compare)
		snprintf(ylabel, sizeof ylabel, "%s minus %s%s%s", words, pl->baseline,
			 *unit ? " " : "", unit);
	layout_y(d, pl, nonnegative, &L);
	layout_x(&L);
	write_dat(d, pl, &L, dat);
	write_gp_head(gp, pl, name);
	write_labels(gp, pl, &L, ylabel, sizeof ylabel, words);
	write_xtics(gp, &L);
	if (L.logy)
		log_tics(gp, 'y', L.declo, L.dechi);
	else /* 0 in view: a value's distance from nothing, or the zero line of a difference */
		linear_tics(gp, 'y', fmin(L.lo, 0), fmax(L.hi, 0));
	if (pl->compare)
		fputs("set xzeroaxis lt 1 lc rgb \"#404040\" lw 1.5 dt solid\n", gp);
	fputs("set grid xtics ytics\n\neval png_terminal\nset output out.\".png\"\nplot ", gp);
	/* a policy keeps its colour from the values' plot to the differences' plot */
	int lt0 = pl->compare && !d->other[1][0] ? 2 : 1;
	/* categories (queue, forecast; placement names) have nothing between them: a line
	 * from one to the next would draw values no run had, so their points stand alone */
	const char *with = L.numeric ? "linespoints" : "points";
	for (int s = 0; s < L.ns; s++) {
		/* the bars solid, whatever the line's dashes: a dashed bar reads as a gap */
		fprintf(gp,
			"%s\"%s.dat\" index %d using 1:2:3:4 with yerrorbars lt %d dt solid pt -1 notitle, \\\n"
			"     \"%s.dat\" index %d using 1:2 with %s lt %d title ",
			s ? ", \\\n     " : "", name, s, s + lt0, name, s, with, s + lt0);
		gnuplot_string(gp, L.sl[s]);
	}
	fputs("\n\neval svg_terminal\nset output out.\".svg\"\nreplot\nunset output\n", gp);
	return 0;
}

/* Writes plots/NAME.{dat,gp} and starts gnuplot on them. Returns 0 when started, 1
 * when there was nothing to plot or gnuplot could not start (counted in *missing), -1
 * when a file could not be written (err says why). */
static int one_plot(const char *pdir, const char *name, const sp_data *d, const sp_plot *pl,
		    FILE *warn, gnuplot_job *job, int *nplots, int *missing, char *err,
		    size_t errlen)
{
	char datname[80], gpname[80], msg[600], shown[700];
	outfile dat, gp;
	snprintf(datname, sizeof datname, "%s.dat", name);
	snprintf(gpname, sizeof gpname, "%s.gp", name);
	if (outfile_open(&dat, pdir, datname) || outfile_open(&gp, pdir, gpname)) {
		snprintf(err, errlen, "%s/%s: cannot write: %s", pdir, name, strerror(errno));
		outfile_abort(&dat);
		return -1;
	}
	if (write_plot(d, pl, dat.f, gp.f, name, warn)) {
		fprintf(warn, "warning: plot %s: %s has no %s for scope %s\n", name,
			pl->compare ? "sweep_compare.csv" : "sweep.csv", pl->metric,
			names_show(pl->scope, shown, sizeof shown));
		outfile_abort(&dat);
		outfile_abort(&gp);
		(*missing)++;
		return 1;
	}
	if (outfile_commit(&dat) || outfile_commit(&gp)) {
		snprintf(err, errlen, "%s/%s: cannot write: %s", pdir, name, strerror(errno));
		outfile_abort(&gp);
		return -1;
	}
	(*nplots)++;
	int gnuplot = gnuplot_available();
	if (!gnuplot || gnuplot_start(pdir, name, job, msg, sizeof msg)) {
		if (gnuplot)
			fprintf(warn, "warning: plot %s: %s\n", name,
				names_show(msg, shown, sizeof shown));
		(*missing)++;
		return 1;
	}
	return 0;
}

int sweep_plots_folder(const char *dir, FILE *warn, int *nplots, int *drawn, char *err,
		       size_t errlen)
{
	char path[4200], pdir[4200], metrics[512], msg[600], shown[700], *want[SP_MAX_METRICS];
	char xlabel[400], cerr[600];
	int nwant = 0, rc = 0, havecmp = 0;
	sp_data d, c;
	memset(&d, 0, sizeof d);
	memset(&c, 0, sizeof c);
	*nplots = *drawn = 0;
	/* run.json says what was asked for; without it, the defaults */
	snprintf(path, sizeof path, "%s/run.json", dir);
	size_t size;
	char *text = results_read_file(path, &size);
	json_t *run = text ? runjson_parse(text, size, msg, sizeof msg) : NULL;
	free(text);
	snprintf(metrics, sizeof metrics, "%s",
		 runjson_str(json_object_get(run, "plot_metrics"), SWEEP_PLOT_DEFAULT_METRICS));
	char scope[256], currency[32];
	snprintf(scope, sizeof scope, "%s",
		 runjson_str(json_object_get(run, "plot_scope"), "all"));
	snprintf(currency, sizeof currency, "%s",
		 runjson_str(json_object_get(run, "currency"), "USD"));
	double confidence = runjson_num(json_object_get(run, "confidence"), 0.95);
	if (!run)
		fprintf(warn, "warning: %s unreadable: plotting %s for scope all\n", path,
			metrics);
	for (char *save, *m = strtok_r(metrics, ",", &save); m && nwant < SP_MAX_METRICS;
	     m = strtok_r(NULL, ",", &save))
		if (metric_name_ok(m)) {
			want[nwant++] = m;
		} else {
			fprintf(warn,
				"warning: %s: plot_metrics names \"%s\", not a metric: no plot of it\n",
				path, names_show(m, shown, sizeof shown));
		}
	d.scenario = c.scenario = json_object_get(run, "scenario");
	d.currency = c.currency = currency;
	if ((rc = read_sweep(dir, "sweep.csv", scope, want, nwant, &d, err, errlen)))
		goto done;
	/* a folder from before sweep_compare.csv existed still gets its value plots */
	int crc = read_sweep(dir, "sweep_compare.csv", scope, want, nwant, &c, cerr, sizeof cerr);
	if (crc == -1) {
		snprintf(err, errlen, "%s", cerr);
		rc = -1;
		goto done;
	}
	havecmp = crc == 0 && c.n > 0;
	sweep_key_label(json_object_get(run, "scenario"), d.xkey, currency, xlabel, sizeof xlabel);
	snprintf(pdir, sizeof pdir, "%s/plots", dir);
	if (plots_write_style(pdir)) {
		snprintf(err, errlen, "%s: cannot write: %s", pdir, strerror(errno));
		rc = -1;
		goto done;
	}
	gnuplot_job job[2 * SP_MAX_METRICS];
	char jobname[2 * SP_MAX_METRICS][64];
	int njobs = 0, missing = 0;
	for (int i = 0; i < nwant && rc == 0; i++)
		for (int cmp = 0; cmp <= havecmp && rc == 0; cmp++) {
			sp_plot pl = {want[i], scope, currency, xlabel, d.first, confidence, cmp};
			snprintf(jobname[njobs], sizeof jobname[njobs], "sweep_%s%.40s",
				 cmp ? "compare_" : "", want[i]);
			int orc = one_plot(pdir, jobname[njobs], cmp ? &c : &d, &pl, warn,
					   &job[njobs], nplots, &missing, err, errlen);
			if (orc < 0)
				rc = -1;
			else if (orc == 0)
				njobs++;
		}
	for (int j = 0; j < njobs; j++) {
		if (gnuplot_finish(pdir, &job[j], msg, sizeof msg)) {
			fprintf(warn, "warning: plot %s: %s\n", jobname[j],
				names_show(msg, shown, sizeof shown));
			missing++;
		} else {
			(*drawn)++;
		}
	}
	if (!rc)
		rc = missing ? 1 : 0;
done:
	json_decref(run);
	free_sweep(&d);
	free_sweep(&c);
	return rc;
}
