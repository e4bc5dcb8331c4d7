/* plots_bars.c - the bar charts: clustered bars with confidence error bars (utilisation
 * per pool, revenue, cost and profit, p95 wait per class), their group labels fitted to
 * the width a group gets. */
#include "plots_int.h"

#include <math.h>
#include <string.h>

#include "check.h"
#include "gnuplot.h"
#include "numfmt.h"

/* Clustered bars with confidence error bars: groups along x, one bar per series. */
typedef struct bars {
	int ng, ns;
	char group[GROUPS_MAX][LABEL_MAX + 16];
	const char *series[SERIES_MAX];
	double mean[GROUPS_MAX][SERIES_MAX], hw[GROUPS_MAX][SERIES_MAX];
} bars;

/* An empty chart whose series are the policies (as many as fit). */
static void bars_of_policies(bars *b, const results *r)
{
	memset(b, 0, sizeof *b);
	b->ns = r->npolicies < SERIES_MAX ? r->npolicies : SERIES_MAX;
	for (int s = 0; s < b->ns; s++)
		b->series[s] = r->policy[s];
}

static int bars_group(bars *b, const char *prefix, const char *name)
{
	FG_ASSERT(b->ng >= 0 && b->ng <= GROUPS_MAX);
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

/* A tic step of 1, 2 or 5 times a power of ten that cuts span into about five: a
 * fixed step (20 for percentages) leaves a range of a few units with a single "0" tic. */
static double tic_step(double span)
{
	FG_ASSERT(span > 0 && isfinite(span));
	double raw = span / 5, p = pow(10, floor(log10(raw))), m = raw / p;
	return p * (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10);
}

/* The width of a bar in pixels: a group gets about 850/ng of the plot, shared by its ns
 * bars and a gap of 1.5 bars. A character of a label takes about 9. */
#define BAR_PX(ng, ns) (850.0 / (ng) / ((ns) + 1.5))
#define CHAR_PX 9

static void bars_write(FILE *dat, FILE *gp, const bars *b, const char *name)
{
	/* Group names on one line, or two when they would run into each other. */
	char l1[GROUPS_MAX][LABEL_MAX + 16], l2[GROUPS_MAX][LABEL_MAX + 16];
	/* every figure has its "all" group (or one per policy, and there is one) */
	FG_ASSERT(b->ng >= 1 && b->ng <= GROUPS_MAX);
	FG_ASSERT(b->ns >= 1 && b->ns <= SERIES_MAX);
	size_t fit = (size_t)(0.9 * 850 / b->ng / CHAR_PX);
	int two_lines = 0;
	for (int g = 0; g < b->ng; g++) {
		split_label(b->group[g], fit < 4 ? 4 : fit, l1[g], l2[g], sizeof l1[g]);
		two_lines |= l2[g][0] != 0;
	}
	double top = 0, bottom = 0, big = 0;
	for (int g = 0; g < b->ng; g++)
		for (int s = 0; s < b->ns; s++)
			if (isfinite(b->mean[g][s])) {
				top = fmax(top, b->mean[g][s] + b->hw[g][s]);
				big = fmax(big, fabs(b->mean[g][s]));
				/* below zero only for a negative mean (a loss): an error bar of a
				 * quantity that cannot be negative is cut at zero instead */
				if (b->mean[g][s] < 0)
					bottom = fmin(bottom, b->mean[g][s] - b->hw[g][s]);
			}
	/* Value labels in the report's number style (numfmt: the same decimals for every
	 * bar, commas, never an exponent), and only where the widest fits over its bar:
	 * wider labels run into their neighbours' ("5.885.88"). */
	char text[GROUPS_MAX][SERIES_MAX][48];
	int dec = numfmt_decimals(big);
	size_t widest = 0;
	for (int g = 0; g < b->ng; g++)
		for (int s = 0; s < b->ns; s++) {
			numfmt(b->mean[g][s], dec, text[g][s], sizeof text[g][s]);
			if (isfinite(b->mean[g][s]) && strlen(text[g][s]) > widest)
				widest = strlen(text[g][s]);
		}
	int labels = b->ns <= 3 && (double)(widest * CHAR_PX + 4) <= BAR_PX(b->ng, b->ns);
	fputs("# group (two lines)", dat);
	for (int s = 0; s < b->ns; s++) {
		fputs("  ", dat);
		plots_dat_text(dat, b->series[s], 0);
		fputs("  ", dat);
		plots_dat_text(dat, b->series[s], 0);
		fputs("_half_width", dat);
	}
	for (int s = 0; s < b->ns; s++) {
		fputs("  ", dat);
		plots_dat_text(dat, b->series[s], 0);
		fputs("_label", dat);
	}
	fputc('\n', dat);
	for (int g = 0; g < b->ng; g++) {
		plots_dat_str(dat, l1[g]);
		fputc(' ', dat);
		plots_dat_str(dat, l2[g]);
		for (int s = 0; s < b->ns; s++) {
			fputc(' ', dat);
			plots_dat_num(dat, b->mean[g][s]);
			fputc(' ', dat);
			plots_dat_num(dat, b->hw[g][s]);
		}
		for (int s = 0; s < b->ns; s++) {
			fputc(' ', dat);
			plots_dat_str(dat, text[g][s]);
		}
		fputc('\n', dat);
	}
	/* Room above the tallest error bar for its value label. */
	if (!(top > 0))
		top = 1;
	double lo = bottom < 0 ? bottom * 1.3 : 0, hi = top * 1.12, step = tic_step(hi - lo);
	int tic_dec = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
	fprintf(gp, "set yrange [%.6g:%.6g]\n", lo, hi);
	fprintf(gp, "set ytics %.6g, %.6g\nset format y \"%%.%df\"\n", floor(lo / step) * step, step,
		tic_dec);
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
	plots_gp_key(gp, b->ns);
	/* Each bar's value goes above its error bar (below it for a negative value):
	 * labels take one offset per plot, hence one label plot per sign, and only for a
	 * sign that some value of the series has: gnuplot 5.4 crashes (SIGSEGV) on a labels
	 * plot whose every point is NaN, such as the negative labels of one policy's
	 * revenue. */
	int nlabels = 0;
	int want[SERIES_MAX][2] = {{0}};
	for (int s = 0; labels && s < b->ns; s++)
		for (int g = 0; g < b->ng; g++)
			if (isfinite(b->mean[g][s]) && !want[s][b->mean[g][s] < 0]++)
				nlabels++;
	/* A bar of height zero is invisible, yet "no wait at all" is often the point: such
	 * bars get a thick stroke of their colour on the axis (one plot per series that has
	 * one, never an all-NaN plot: see the labels below). */
	int zero[SERIES_MAX] = {0};
	for (int s = 0; s < b->ns; s++)
		for (int g = 0; g < b->ng; g++)
			if (b->mean[g][s] == 0 && !zero[s]++)
				nlabels++;
	fprintf(gp, "# a bar's centre: cluster $0 plus its offset, %d bars and a gap of 1.5 bars per cluster\n"
		    "bar_x(s) = column(0) + (s - (%d - 1) / 2.0) / (%d + 1.5)\n"
		    "group_name(a, b) = b eq \"\" ? a : a . \"\\n\" . b\n",
		b->ns, b->ns, b->ns);
	plots_gp_png(gp);
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
				fprintf(gp,
					"  \"\" using (bar_x(%d)):($%d %s 0 ? $%d %c $%d : NaN):(strcol(%d)) "
					"with labels offset 0, %s notitle%s\n",
					s, 3 + 2 * s, neg ? "<" : ">=", 3 + 2 * s, neg ? '-' : '+',
					4 + 2 * s, 3 + 2 * b->ns + s, neg ? "-0.8" : "0.7",
					--nlabels ? ", \\" : "");
	for (int s = 0; s < b->ns; s++)
		if (zero[s])
			fprintf(gp,
				"  \"\" using (bar_x(%d) - 0.45 / (%d + 1.5)):($%d == 0 ? 0 : NaN):(0.9 / (%d + 1.5)):(0) "
				"with vectors nohead lt %d lw 5 notitle%s\n",
				s, b->ns, 3 + 2 * s, b->ns, s + 1, --nlabels ? ", \\" : "");
	plots_gp_end(gp);
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
int plots_util_pool(plots_ctx *c, plots_plot *p, FILE *dat, FILE *gp)
{
	const results *r = c->r;
	bars b;
	bars_of_policies(&b, r);
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
	plots_gp_begin(gp, p->name, "GPU utilisation per pool and policy, with confidence error bars");
	plots_gp_title(gp, "GPU utilisation per pool and policy");
	fputs("set ylabel \"GPU utilisation (%)\"\n", gp);
	bars_write(dat, gp, &b, p->name);
	return 0;
}

/* Revenue, cost and profit per policy. */
int plots_money(plots_ctx *c, plots_plot *p, FILE *dat, FILE *gp)
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
		plots_tunit u = plots_time_unit(len);
		snprintf(d, sizeof d, "%.3g %s", len / u.seconds, u.name);
		snprintf(measured, sizeof measured, " over the measured %s", d);
	}
	snprintf(p->title, sizeof p->title, "Revenue, cost and profit per policy");
	snprintf(p->caption, sizeof p->caption,
		 "What the platform earned (revenue), paid for its GPUs busy or idle (cost) and kept (profit)%s, "
		 "in %s%s; bars are the mean over replications, error bars the %.0f%% confidence interval "
		 "(summary.csv).",
		 measured, scale > 1 ? "thousands of " : "", r->currency, level_percent(r));
	plots_gp_begin(gp, p->name, "revenue, cost and profit per policy, with confidence error bars");
	plots_gp_title(gp, "Revenue, cost and profit per policy");
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
int plots_wait_class(plots_ctx *c, plots_plot *p, FILE *dat, FILE *gp)
{
	const results *r = c->r;
	bars b;
	bars_of_policies(&b, r);
	int g = bars_group(&b, "", "all jobs");
	FG_ASSERT(g == 0); /* the first group always fits */
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
	plots_tunit u = plots_time_unit(top);
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
	plots_gp_begin(gp, p->name, "p95 wait per class and policy, with confidence error bars");
	plots_gp_title(gp, "95th-percentile wait per class and policy");
	fprintf(gp, "set ylabel \"p95 wait (%s)\"\n", u.name);
	bars_write(dat, gp, &b, p->name);
	return 0;
}
