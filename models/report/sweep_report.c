/* sweep_report.c - a sweep folder's report.html: a decision first (the best policy at
 * each point), the evidence after (plots, then the tables behind them), every number in
 * numfmt's style. The plots are linked, not inlined: they sit beside the page in the
 * folder, and an <img> keeps gnuplot's SVG ids from clashing. */
#include "sweep_report.h"
#include "report_html.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "grow.h"
#include "lines.h"
#include "metrics.h"
#include "names.h"
#include "numfmt.h"
#include "outfile.h"
#include "ranking.h"
#include "results.h"
#include "runjson.h"
#include "sweep_files.h"
#include "sweep_plots.h"

#define SR_MAX_POL 64
#define SR_MAX_METRICS 16

/* The cells of one file for the chosen scope: value[(metric * npoints + point) * npol
 * + policy], NAN where the file has none. */
typedef struct sr_table {
	double *mean, *hw;
	int have;
} sr_table;

typedef struct sr_data {
	char **point; /* "4" or "4, 4/h": the varied keys' cells of a point */
	int npoints;
	size_t pcap;
	char *policy[SR_MAX_POL];
	int npol;
	const char *metric[SR_MAX_METRICS];
	int nmetrics;
	char keys[8][256];
	int nkeys;
	sr_table val, cmp;
} sr_data;

/* The sweep page's own rules, after report_html.c's shared ones: ties, PNG figures. */
static const char css[] =
	"span.tie{color:#555;font-size:13px}\n"
	"figure{margin:22px 0}figure img{width:100%;height:auto;display:block;border:1px solid #e3e3e6}\n";

static int find(char **list, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(list[i], s))
			return i;
	return -1;
}

static int metric_index(const sr_data *d, const char *m)
{
	for (int i = 0; i < d->nmetrics; i++)
		if (!strcmp(d->metric[i], m))
			return i;
	return -1;
}

/* Reads dir/FILE's rows of scope into t (values) and, for sweep.csv, the points and
 * policies into d. Returns 0, 1 when the file is absent, -1 when it is unreadable or
 * not a sweep file, or out of memory. */
static int read_file(const char *dir, const char *file, const char *scope, sr_data *d, sr_table *t,
		     char *err, size_t errlen)
{
	char path[4200], *f[64], *line = NULL;
	size_t cap = 0;
	int values = !strcmp(file, "sweep.csv"), c[5], rc = -1, ln = 0;
	snprintf(path, sizeof path, "%s/%s", dir, file);
	FILE *in = fopen(path, "r");
	if (!in) {
		snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
		return errno == ENOENT && !values ? 1 : -1;
	}
	long got;
	while ((got = lines_get(&line, &cap, LINES_MAX, in)) > 0) {
		if (got == LINES_TOO_LONG) {
			snprintf(err, errlen, "%s:%d: line longer than %d bytes", path, ln + 1,
				 LINES_MAX);
			goto done;
		}
		int nf = results_csv_split(line, f, 64);
		if (++ln == 1) {
			static const char *const names[] = {"policy", "scope", "metric", "",
							    "half_width"};
			for (int i = 0; i < 5; i++)
				c[i] = results_csv_column(f, nf,
							  i == 3 ? (values ? "mean" : "diff_mean")
								 : names[i]);
			if (c[0] < 1 || c[1] < 0 || c[2] < 0 || c[3] < 0 || c[4] < 0) {
				snprintf(err, errlen, "%s:1: not an fgsim %s", path, file);
				goto done;
			}
			if (values) {
				d->nkeys = c[0] < 8 ? c[0] : 8;
				for (int k = 0; k < d->nkeys; k++)
					snprintf(d->keys[k], sizeof d->keys[k], "%s", f[k]);
			}
			continue;
		}
		if (nf <= c[4] || strcmp(f[c[1]], scope))
			continue;
		char label[1024];
		size_t n = 0;
		label[0] = 0;
		for (int k = 0; k < c[0] && n < sizeof label; k++)
			n += (size_t)snprintf(label + n, sizeof label - n, "%s%s", k ? ", " : "",
					      f[k]);
		int p = find(d->point, d->npoints, label), pol = find(d->policy, d->npol, f[c[0]]);
		if (values && p < 0) { /* the points in sweep.csv's order */
			if (GROW(d->point, d->pcap, (size_t)d->npoints + 1) ||
			    !(d->point[d->npoints] = strdup(label)))
				goto oom;
			p = d->npoints++;
		}
		if (values && pol < 0 && d->npol < SR_MAX_POL) {
			if (!(d->policy[d->npol] = strdup(f[c[0]])))
				goto oom;
			pol = d->npol++;
		}
		int m = metric_index(d, f[c[2]]);
		if (p < 0 || pol < 0 || m < 0)
			continue;
		if (!t->mean) { /* sized once the rows are known: after the first pass */
			continue;
		}
		size_t at = ((size_t)m * (size_t)d->npoints + (size_t)p) * SR_MAX_POL +
			    (size_t)pol;
		t->mean[at] = results_csv_number(f[c[3]]);
		t->hw[at] = results_csv_number(f[c[4]]);
		t->have = 1;
	}
	rc = got < 0 ? -1 : 0;
	if (rc)
		snprintf(err, errlen, "%s: read error", path);
	goto done;
oom:
	snprintf(err, errlen, "%s: out of memory", path);
done:
	free(line);
	fclose(in);
	return rc;
}

/* Reads both files: sweep.csv twice (its points and policies, then its values, into
 * tables sized for them) and sweep_compare.csv where it is there. */
static int read_all(const char *dir, const char *scope, sr_data *d, char *err, size_t errlen)
{
	int rc = read_file(dir, "sweep.csv", scope, d, &d->val, err, errlen);
	if (rc)
		return -1;
	size_t cells = (size_t)d->nmetrics * (size_t)d->npoints * SR_MAX_POL;
	sr_table *t[2] = {&d->val, &d->cmp};
	for (int i = 0; i < 2; i++) {
		t[i]->mean = malloc(cells * sizeof(double) + 1);
		t[i]->hw = malloc(cells * sizeof(double) + 1);
		if (!t[i]->mean || !t[i]->hw) {
			snprintf(err, errlen, "%s: out of memory", dir);
			return -1;
		}
		for (size_t j = 0; j < cells; j++)
			t[i]->mean[j] = t[i]->hw[j] = NAN;
	}
	if (read_file(dir, "sweep.csv", scope, d, &d->val, err, errlen))
		return -1;
	rc = read_file(dir, "sweep_compare.csv", scope, d, &d->cmp, err, errlen);
	return rc < 0 ? -1 : 0;
}

static double cell(const sr_table *t, const sr_data *d, int m, int p, int pol)
{
	return t->mean[((size_t)m * (size_t)d->npoints + (size_t)p) * SR_MAX_POL + (size_t)pol];
}

static double cell_hw(const sr_table *t, const sr_data *d, int m, int p, int pol)
{
	return t->hw[((size_t)m * (size_t)d->npoints + (size_t)p) * SR_MAX_POL + (size_t)pol];
}

/* The direction of a ranked metric (ranking.h): -1 lower is better, +1 higher, 0 none. */
static int better_of(const char *m)
{
	for (int k = 0; k < ranking_nkeys; k++)
		if (!strcmp(metric_names[ranking_keys[k].metric], m))
			return ranking_keys[k].better;
	return 0;
}

/* same[p * npol + pol]: at point p, policy pol is the best on metric m or the paired
 * comparison of its replications cannot tell it from the best (ranking_best, the
 * run's best-policy table); the best by mean alone where the replications are gone.
 * Returns the best's index per point in best[p] (-1: no value). */
static void rank_points(const char *dir, const json_t *ids, const sr_data *d, const char *scope,
			int m, double confidence, int *best, int *same, int *paired)
{
	int better = better_of(d->metric[m]);
	*paired = 1;
	for (int p = 0; p < d->npoints; p++) {
		char **names = NULL;
		int k = 0, n = 0, s[SR_MAX_POL] = {0};
		best[p] = -1;
		memset(same + (size_t)p * SR_MAX_POL, 0, SR_MAX_POL * sizeof *same);
		double *x = sweep_point_matrix(dir,
					       runjson_str(json_array_get(ids, (size_t)p), ""),
					       scope, d->metric[m], &names, &k, &n);
		if (x && k == d->npol && k <= SR_MAX_POL) {
			int b = ranking_best(x, k, n, better, confidence, s);
			/* the point file's order is sweep.csv's; by name all the same */
			for (int i = 0; i < k; i++) {
				int pol = find((char **)d->policy, d->npol, names[i]);
				if (pol >= 0)
					same[(size_t)p * SR_MAX_POL + pol] = s[i];
				if (i == b)
					best[p] = pol;
			}
		} else {
			*paired = 0;
			for (int pol = 0; pol < d->npol; pol++) {
				double v = cell(&d->val, d, m, p, pol);
				if (isfinite(v) &&
				    (best[p] < 0 ||
				     better * (v - cell(&d->val, d, m, p, best[p])) > 0))
					best[p] = pol;
			}
			if (best[p] >= 0)
				same[(size_t)p * SR_MAX_POL + best[p]] = 1;
		}
		for (int i = 0; i < k; i++)
			free(names[i]);
		free(names);
		free(x);
	}
}

/* With one policy, which point is best on metric m: every point ran the same
 * replications on common random numbers, so the points compare paired, replication by
 * replication, as the policies do at one point (ranking_best over the points, Bonferroni
 * over the other points). same[p * SR_MAX_POL] gets 1 for the best point and those that
 * cannot be told from it; *paired 0 where the replications are gone and the best is by
 * mean alone. Returns the best point, or -1 when none has a value. */
static int rank_one_policy(const char *dir, const json_t *ids, const sr_data *d, const char *scope,
			   int m, double confidence, int *same, int *paired)
{
	int better = better_of(d->metric[m]), n0 = -1, ok = 1, best = -1;
	double *x = NULL;
	int *s = calloc((size_t)d->npoints, sizeof *s);
	for (int p = 0; ok && s && p < d->npoints; p++) {
		char **names = NULL;
		int k = 0, n = 0;
		double *xp = sweep_point_matrix(dir, runjson_str(json_array_get(ids, (size_t)p), ""),
						scope, d->metric[m], &names, &k, &n);
		ok = xp && k == 1 && n >= 1 && (n0 < 0 || n == n0);
		if (ok && !x && !(x = malloc((size_t)d->npoints * (size_t)n * sizeof *x)))
			ok = 0;
		if (ok) {
			memcpy(x + (size_t)p * (size_t)n, xp, (size_t)n * sizeof *x);
			n0 = n;
		}
		for (int i = 0; i < k; i++)
			free(names[i]);
		free(names);
		free(xp);
	}
	*paired = ok && s && d->npoints > 0;
	if (*paired) {
		best = ranking_best(x, d->npoints, n0, better, confidence, s);
		for (int p = 0; p < d->npoints; p++)
			same[(size_t)p * SR_MAX_POL] = s[p];
	} else {
		for (int p = 0; p < d->npoints; p++) {
			double v = cell(&d->val, d, m, p, 0);
			if (isfinite(v) && (best < 0 || better * (v - cell(&d->val, d, m, best, 0)) > 0))
				best = p;
		}
		if (best >= 0)
			same[(size_t)best * SR_MAX_POL] = 1;
	}
	free(x);
	free(s);
	return best;
}

static void write_swept(FILE *f, const sr_data *d, const json_t *run, const char *xlabels[],
			const char *scope)
{
	char b[256];
	fputs("<section id=\"swept\"><h2>What was swept</h2>\n<table class=\"kv\">\n", f);
	const json_t *vary = json_object_get(run, "vary");
	for (int k = 0; k < d->nkeys; k++) {
		fputs("<tr><td>", f);
		rh_text(f, xlabels[k]);
		fputs("</td><td><code>", f);
		rh_text(f, d->keys[k]);
		fputs("</code> = ", f);
		const json_t *vals = json_object_get(json_array_get(vary, (size_t)k), "values");
		for (size_t v = 0; v < json_array_size(vals); v++) {
			rh_text(f, v ? ", " : "");
			rh_text(f, runjson_str(json_array_get(vals, v), ""));
		}
		fputs("</td></tr>\n", f);
	}
	fputs("<tr><td>policies</td><td>", f);
	for (int pol = 0; pol < d->npol; pol++) {
		rh_text(f, pol ? ", " : "");
		rh_text(f, d->policy[pol]);
	}
	if (d->npol > 1) { /* one policy has no differences to be the baseline of */
		fputs(" (the first, <b>", f);
		rh_text(f, d->policy[0]);
		fputs("</b>, is the baseline of the paired differences)", f);
	}
	fputs("</td></tr>\n<tr><td>points</td><td>", f);
	snprintf(b, sizeof b, "%d, each %d replications per policy on common random numbers",
		 d->npoints, (int)runjson_num(json_object_get(run, "replications"), 0));
	rh_text(f, b);
	fputs("</td></tr>\n<tr><td>scope of the tables</td><td>", f);
	rh_text(f, !strcmp(scope, "all") ? "all jobs" : scope);
	fputs("</td></tr>\n<tr><td>scenario</td><td><code>", f);
	rh_text(f, runjson_str(json_object_get(run, "scenario_file"), ""));
	fputs("</code></td></tr>\n</table>\n</section>\n", f);
}

/* The unit and decimals of a table of metric m (values, or differences): one unit and
 * one number of decimals for the whole table, so that it reads as one scale. */
static double table_scale(const sr_data *d, const sr_table *t, int m, const char *currency,
			  char *head, size_t len, int *dec)
{
	double top = 0, scale;
	for (int p = 0; p < d->npoints; p++)
		for (int pol = 0; pol < d->npol; pol++) {
			double v = cell(t, d, m, p, pol);
			if (isfinite(v))
				top = fmax(top, fabs(v));
		}
	sweep_metric_axis(d->metric[m], top, currency, &scale, head, len);
	*dec = numfmt_decimals(top / scale);
	return scale;
}

/* One cell of a table of metric m: "mean ± hw" in numfmt's style with the table's
 * decimals, a count every replication agrees on whole (numfmt_count_decimals). */
static const char *figure(const char *metric, double mean, double hw, int dec, char *buf,
			  size_t len)
{
	if (rh_is_count(metric))
		dec = numfmt_count_decimals(mean, hw, dec);
	return numfmt_ci_pm(mean, hw, dec, buf, len);
}

static void table_head(FILE *f, const sr_data *d, const char *first, int from)
{
	fputs("<table>\n<tr><th class=\"l\">", f);
	rh_text(f, first);
	fputs("</th>", f);
	for (int pol = from; pol < d->npol; pol++) {
		fputs("<th>", f);
		rh_text(f, d->policy[pol]);
		fputs("</th>", f);
	}
	fputs("</tr>\n", f);
}

/* The title, the subtitle and the page's table of contents. */
static void write_head(FILE *f, const sr_data *d, const json_t *run, const char *const xlabels[],
		       double confidence)
{
	char b[512];
	const char *name = runjson_str(json_object_get(run, "name"), "sweep");
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>", f);
	rh_text(f, name);
	fprintf(f, " sweep</title>\n<style>\n%s%s</style>\n</head>\n<body>\n<header>\n<h1>", rh_css, css);
	rh_text(f, name);
	fputs(": ", f);
	for (int k = 0; k < d->nkeys; k++) {
		rh_text(f, k ? " and " : "");
		rh_text(f, xlabels[k]);
	}
	fputs(" swept</h1>\n<p class=\"sub\">fgsim ", f);
	rh_text(f, runjson_str(json_object_get(run, "fgsim_version"), ""));
	snprintf(b, sizeof b,
		 " sweep report · every figure the mean ± its %g%% confidence half-width",
		 100 * confidence);
	rh_text(f, b);
	fputs("</p>\n<nav><a href=\"#best\">", f);
	fputs(d->npol == 1 ? "Best point" : "Best policy", f);
	fputs("</a><a href=\"#swept\">What was swept</a>"
	      "<a href=\"#plots\">Plots</a><a href=\"#metrics\">Metrics</a>",
	      f);
	if (d->cmp.have)
		fputs("<a href=\"#differences\">Paired differences</a>", f);
	fputs("<a href=\"#files\">Files</a></nav>\n</header>\n", f);
}

/* The decision first: the best policy per point for each ranked metric, and the policies
 * tied with it. */
static void write_best(FILE *f, const sr_data *d, const char *const xlabels[], const int *best,
		       const int *same, const int *ranked, int paired, double confidence)
{
	char b[512];
	fputs("<section id=\"best\"><h2>Best policy at each point</h2>\n", f);
	fputs("<table>\n<tr><th class=\"l\">", f);
	rh_text(f, d->nkeys == 1 ? xlabels[0] : "point");
	fputs("</th>", f);
	for (int m = 0; m < d->nmetrics; m++)
		if (ranked[m]) {
			fputs("<th class=\"l\">", f);
			rh_text(f, sweep_metric_words(d->metric[m]));
			rh_text(f, better_of(d->metric[m]) < 0 ? " (lowest)" : " (highest)");
			fputs("</th>", f);
		}
	fputs("</tr>\n", f);
	for (int p = 0; best && same && p < d->npoints; p++) {
		fputs("<tr><td class=\"l\">", f);
		rh_text(f, d->point[p]);
		fputs("</td>", f);
		for (int m = 0; m < d->nmetrics; m++) {
			if (!ranked[m])
				continue;
			int bp = best[(size_t)m * d->npoints + p];
			const int *s = same + ((size_t)m * d->npoints + p) * SR_MAX_POL;
			fputs("<td class=\"l\">", f);
			if (bp >= 0) {
				fputs("<b>", f);
				rh_text(f, d->policy[bp]);
				fputs("</b>", f);
				int ties = 0;
				for (int pol = 0; pol < d->npol; pol++)
					if (s[pol] && pol != bp) {
						fputs(ties++ ? ", "
							     : " <span class=\"tie\">tied: ",
						      f);
						rh_text(f, d->policy[pol]);
					}
				if (ties)
					fputs("</span>", f);
			}
			fputs("</td>", f);
		}
		fputs("</tr>\n", f);
	}
	snprintf(
		b, sizeof b,
		paired ? "Tied: the %g%% simultaneous paired intervals (Bonferroni over the other policies) of its "
			 "difference from the best contain zero, so these replications cannot tell it from the best."
		       : "The best by mean: the points' replications were not found, so no ties are shown.",
		100 * confidence);
	fputs("</table>\n<p class=\"note\">", f);
	rh_text(f, b);
	fputs("</p>\n</section>\n", f);
}

/* The decision with one policy: a table of the best policy at each point would be the
 * one policy at every point. Instead, per ranked metric, the best point, its figure and
 * the points these replications cannot tell from it. */
static void write_best_point(FILE *f, const sr_data *d, const char *const xlabels[],
			     const char *currency, const int *bestpt, const int *same, const int *ranked,
			     int paired, double confidence)
{
	char b[600], head[300];
	fputs("<section id=\"best\"><h2>Best point per metric</h2>\n<p class=\"note\">", f);
	snprintf(b, sizeof b,
		 "One policy (%s) was run, so a best policy at each point would be that policy at "
		 "every point: here instead is the point that does best on each metric",
		 d->policy[0]);
	rh_text(f, b);
	for (int k = 0; d->nkeys > 1 && k < d->nkeys; k++) { /* what "forecast, 10m" means */
		rh_text(f, k ? ", " : " (a point reads ");
		rh_text(f, xlabels[k]);
	}
	fputs(d->nkeys > 1 ? ").</p>\n" : ".</p>\n", f);
	fputs("<table>\n<tr><th class=\"l\">metric</th><th class=\"l\">better</th>"
	      "<th class=\"l\">best point</th><th>its figure</th>"
	      "<th class=\"l\">statistically indistinguishable from it</th></tr>\n",
	      f);
	for (int m = 0; same && m < d->nmetrics; m++) {
		int bp = bestpt[m], dec, others = 0;
		if (!ranked[m] || bp < 0)
			continue;
		double scale = table_scale(d, &d->val, m, currency, head, sizeof head, &dec);
		double v = cell(&d->val, d, m, bp, 0), h = cell_hw(&d->val, d, m, bp, 0);
		fputs("<tr><td class=\"l\">", f);
		rh_text(f, head);
		fputs("</td><td class=\"l\">", f);
		rh_text(f, better_of(d->metric[m]) < 0 ? "lower" : "higher");
		fputs("</td><td class=\"l\"><b>", f);
		rh_text(f, d->point[bp]);
		fputs("</b></td><td class=\"num\">", f);
		rh_text(f, figure(d->metric[m], v / scale, h / scale, dec, b, sizeof b));
		fputs("</td><td class=\"l\">", f);
		for (int p = 0; p < d->npoints; p++)
			if (p != bp && same[((size_t)m * d->npoints + p) * SR_MAX_POL]) {
				rh_text(f, others++ ? "; " : "");
				rh_text(f, d->point[p]);
			}
		rh_text(f, others ? "" : "none: it is ahead of every other point");
		fputs("</td></tr>\n", f);
	}
	snprintf(b, sizeof b,
		 paired ? "Every point ran the same replications on common random numbers, so each point "
			  "is compared with the best replication by replication: indistinguishable where the "
			  "%g%% simultaneous paired interval (Bonferroni over the other points) of its "
			  "difference from the best contains zero."
			: "The best by mean: the points' replications were not found, so no ties are shown.",
		 100 * confidence);
	fputs("</table>\n<p class=\"note\">", f);
	rh_text(f, b);
	fputs("</p>\n</section>\n", f);
}

static void write_plot_figures(FILE *f, const char *dir, const sr_data *d)
{
	char b[512];
	fputs("<section id=\"plots\"><h2>Plots</h2>\n<p class=\"note\">Each is in <code>plots/</code> as PNG and "
	      "SVG, with the data (<code>.dat</code>) and gnuplot script (<code>.gp</code>) that draw it.</p>\n",
	      f);
	for (int m = 0; m < d->nmetrics; m++)
		for (int c = 0; c < 2; c++) {
			char png[4400];
			snprintf(b, sizeof b, "sweep_%s%s", c ? "compare_" : "", d->metric[m]);
			snprintf(png, sizeof png, "%s/plots/%s.png", dir, b);
			if (access(png, F_OK))
				continue;
			fprintf(f,
				"<figure id=\"plot-%s\"><a href=\"plots/%s.svg\"><img src=\"plots/%s.png\" alt=\"",
				b, b, b);
			rh_text(f, sweep_metric_words(d->metric[m]));
			fputs("\"></a>\n<figcaption>", f);
			rh_text(f, sweep_metric_words(d->metric[m]));
			if (c)
				rh_text(f,
				     ": each policy minus the baseline, paired by replication; a bar that misses the zero "
				     "line is a difference these replications show.");
			else
				rh_text(f,
				     " per policy at each point, bars the confidence intervals (offset per policy).");
			fprintf(f,
				" <a href=\"plots/%s.png\">PNG</a> <a href=\"plots/%s.svg\">SVG</a></figcaption>\n"
				"</figure>\n",
				b, b);
		}
	fputs("</section>\n", f);
}

/* Every metric per point and policy, green where the best or tied with it. */
static void write_metrics(FILE *f, const sr_data *d, const char *const xlabels[], const char *currency,
			  const int *same, const int *ranked)
{
	char b[512], head[300];
	fputs("<section id=\"metrics\"><h2>Metrics per point and policy</h2>\n", f);
	for (int m = 0; m < d->nmetrics; m++) {
		int dec;
		double scale = table_scale(d, &d->val, m, currency, head, sizeof head, &dec);
		fputs("<h3>", f);
		rh_text(f, head);
		fputs("</h3>\n", f);
		table_head(f, d, d->nkeys == 1 ? xlabels[0] : "point", 0);
		for (int p = 0; p < d->npoints; p++) {
			fputs("<tr><td class=\"l\">", f);
			rh_text(f, d->point[p]);
			fputs("</td>", f);
			for (int pol = 0; pol < d->npol; pol++) {
				double v = cell(&d->val, d, m, p, pol),
				       h = cell_hw(&d->val, d, m, p, pol);
				int good = ranked[m] && same &&
					   same[((size_t)m * d->npoints + p) * SR_MAX_POL + pol];
				fprintf(f, "<td class=\"num%s\">", good ? " better" : "");
				rh_text(f, isfinite(v)
						? figure(d->metric[m], v / scale, h / scale, dec, b, sizeof b)
						: "");
				fputs("</td>", f);
			}
			fputs("</tr>\n", f);
		}
		fputs("</table>\n", f);
	}
	fputs(d->npol == 1 ? "<p class=\"note\">Green: the best point on that metric or tied with it (see "
			    "above).</p>\n</section>\n"
			  : "<p class=\"note\">Green: the best at that point or tied with it (see above).</p>\n"
			    "</section>\n",
	      f);
}

/* Each policy minus the first, paired by replication. */
static void write_differences(FILE *f, const sr_data *d, const char *const xlabels[],
			      const char *currency, double confidence)
{
	char b[512], head[300];
	fputs("<section id=\"differences\"><h2>Paired differences from ", f);
	rh_text(f, d->policy[0]);
	fputs("</h2>\n<p class=\"note\">", f);
	snprintf(
		b, sizeof b,
		"Each policy minus %s in the same replications (common random numbers), with %g%% "
		"simultaneous intervals: green or red where the interval leaves out zero.",
		d->policy[0], 100 * confidence);
	rh_text(f, b);
	fputs("</p>\n", f);
	for (int m = 0; m < d->nmetrics; m++) {
		int dec, better = better_of(d->metric[m]);
		double scale = table_scale(d, &d->cmp, m, currency, head, sizeof head,
					   &dec);
		fputs("<h3>", f);
		rh_text(f, head);
		fputs("</h3>\n", f);
		table_head(f, d, d->nkeys == 1 ? xlabels[0] : "point", 1);
		for (int p = 0; p < d->npoints; p++) {
			fputs("<tr><td class=\"l\">", f);
			rh_text(f, d->point[p]);
			fputs("</td>", f);
			for (int pol = 1; pol < d->npol; pol++) {
				double v = cell(&d->cmp, d, m, p, pol),
				       h = cell_hw(&d->cmp, d, m, p, pol);
				int shown = isfinite(v) && isfinite(h) && fabs(v) > h;
				const char *cls = !shown           ? ""
						  : better * v > 0 ? " better"
						  : better * v < 0 ? " worse"
								   : "";
				fprintf(f, "<td class=\"num%s\">", cls);
				rh_text(f, isfinite(v) ? figure(d->metric[m], v / scale, h / scale,
								 dec, b, sizeof b)
						    : "");
				fputs("</td>", f);
			}
			fputs("</tr>\n", f);
		}
		fputs("</table>\n", f);
	}
	fputs("</section>\n", f);
}

static void write_files(FILE *f, const sr_data *d)
{
	fputs("<section id=\"files\"><h2>Files</h2>\n<ul>\n"
	      "<li><a href=\"sweep.csv\">sweep.csv</a>: every metric per point, policy and scope</li>\n",
	      f);
	if (d->cmp.have)
		fputs("<li><a href=\"sweep_compare.csv\">sweep_compare.csv</a>: the paired differences from the "
		      "first policy</li>\n",
		      f);
	fputs("<li><a href=\"run.json\">run.json</a>: the command, the varied keys and the resolved scenario</li>\n"
	      "<li><a href=\"points/\">points/</a>: each point's summary and replications</li>\n</ul>\n</section>\n"
	      "</body>\n</html>\n",
	      f);
}

static void write_page(FILE *f, const char *dir, const sr_data *d, const json_t *run,
		       const char *scope)
{
	char xl[8][300];
	const char *xlabels[8];
	const char *currency = runjson_str(json_object_get(run, "currency"), "USD");
	double confidence = runjson_num(json_object_get(run, "confidence"), 0.95);
	const json_t *ids = json_object_get(run, "point_ids");
	for (int k = 0; k < d->nkeys; k++) {
		sweep_key_label(json_object_get(run, "scenario"), d->keys[k], currency, xl[k],
				sizeof xl[k]);
		xlabels[k] = xl[k];
	}
	write_head(f, d, run, xlabels, confidence);
	int *best = malloc((size_t)d->nmetrics * (size_t)d->npoints * sizeof *best);
	int *same = calloc((size_t)d->nmetrics * (size_t)d->npoints * SR_MAX_POL, sizeof *same);
	int paired = 1, ranked[SR_MAX_METRICS] = {0}, bestpt[SR_MAX_METRICS];
	for (int m = 0; m < SR_MAX_METRICS; m++)
		bestpt[m] = -1;
	for (int m = 0; best && same && m < d->nmetrics; m++) {
		int pr;
		if (!(ranked[m] = better_of(d->metric[m]) != 0))
			continue;
		if (d->npol == 1)
			bestpt[m] = rank_one_policy(dir, ids, d, scope, m, confidence,
						    same + (size_t)m * d->npoints * SR_MAX_POL, &pr);
		else
			rank_points(dir, ids, d, scope, m, confidence, best + (size_t)m * d->npoints,
				    same + (size_t)m * d->npoints * SR_MAX_POL, &pr);
		paired &= pr;
	}
	if (d->npol == 1)
		write_best_point(f, d, xlabels, currency, bestpt, same, ranked, paired, confidence);
	else
		write_best(f, d, xlabels, best, same, ranked, paired, confidence);
	write_swept(f, d, run, xlabels, scope);
	write_plot_figures(f, dir, d);
	write_metrics(f, d, xlabels, currency, same, ranked);
	if (d->cmp.have)
		write_differences(f, d, xlabels, currency, confidence);
	write_files(f, d);
	free(best);
	free(same);
}

int sweep_report_write(const char *dir, char *err, size_t errlen)
{
	char path[4200], msg[300], metrics[512];
	sr_data d;
	memset(&d, 0, sizeof d);
	snprintf(path, sizeof path, "%s/run.json", dir);
	size_t size;
	char *text = results_read_file(path, &size);
	json_t *run = text ? runjson_parse(text, size, msg, sizeof msg) : NULL;
	free(text);
	int rc = -1;
	char scope[256];
	snprintf(scope, sizeof scope, "%s",
		 runjson_str(json_object_get(run, "plot_scope"), "all"));
	/* the plotted metrics, then the ranked ones the plots left out */
	snprintf(metrics, sizeof metrics, "%s",
		 runjson_str(json_object_get(run, "plot_metrics"), SWEEP_PLOT_DEFAULT_METRICS));
	for (char *save, *m = strtok_r(metrics, ",", &save); m && d.nmetrics < SR_MAX_METRICS;
	     m = strtok_r(NULL, ",", &save))
		if (metric_index(&d, m) < 0)
			d.metric[d.nmetrics++] = m;
	for (int k = 0; k < ranking_nkeys && d.nmetrics < SR_MAX_METRICS; k++)
		if (metric_index(&d, metric_names[ranking_keys[k].metric]) < 0)
			d.metric[d.nmetrics++] = metric_names[ranking_keys[k].metric];
	if (read_all(dir, scope, &d, err, errlen))
		goto done;
	/* metrics the scope does not report (profit of a class) have no rows: left out */
	int kept = 0;
	for (int m = 0; m < d.nmetrics; m++) {
		int any = 0;
		for (int p = 0; p < d.npoints; p++)
			for (int pol = 0; pol < d.npol; pol++)
				any |= isfinite(cell(&d.val, &d, m, p, pol));
		if (!any)
			continue;
		/* move the metric's cells with it */
		size_t per = (size_t)d.npoints * SR_MAX_POL;
		if (kept != m) {
			memmove(d.val.mean + kept * per, d.val.mean + m * per,
				per * sizeof(double));
			memmove(d.val.hw + kept * per, d.val.hw + m * per, per * sizeof(double));
			memmove(d.cmp.mean + kept * per, d.cmp.mean + m * per,
				per * sizeof(double));
			memmove(d.cmp.hw + kept * per, d.cmp.hw + m * per, per * sizeof(double));
		}
		d.metric[kept++] = d.metric[m];
	}
	d.nmetrics = kept;
	outfile o;
	if (outfile_open(&o, dir, "report.html")) {
		snprintf(err, errlen, "%s/report.html: cannot write: %s", dir, strerror(errno));
		goto done;
	}
	write_page(o.f, dir, &d, run, scope);
	if (outfile_commit(&o)) {
		snprintf(err, errlen, "%s/report.html: cannot write: %s", dir, strerror(errno));
		goto done;
	}
	rc = 0;
done:
	for (int p = 0; p < d.npoints; p++)
		free(d.point[p]);
	free(d.point);
	for (int pol = 0; pol < d.npol; pol++)
		free(d.policy[pol]);
	free(d.val.mean);
	free(d.val.hw);
	free(d.cmp.mean);
	free(d.cmp.hw);
	json_decref(run);
	return rc;
}
