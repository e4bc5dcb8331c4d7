/* plots_window.c - a zoom on one promotion (plots/window_NAME): from an hour before
 * its window to three hours after, stacked panels on one time axis in hours from its
 * start: jobs waiting, each pool's busy GPUs, burst nodes, and arrivals with the price
 * factor; per policy the mean over replications with its confidence interval shaded. */
#include "plots_int.h"

#include <math.h>
#include <string.h>

#include "check.h"
#include "gnuplot.h"
#include "numfmt.h"

#define BEFORE 3600.0      /* shown before the window opens: the load it starts from */
#define AFTER (3 * 3600.0) /* and after it closes: how long the queue takes to drain */

/* One panel: the shaded interval and mean line of blocks [base, base + n) of the data,
 * named by a heading inside it (a y label would not fit beside a short panel); the
 * policies' titles only with `key`, the price factor on the right axis with `price`. */
static void panel(FILE *gp, const char *name, int base, int n, const results *r, int key,
		  double top, const char *heading, int price)
{
	fputs("set label 1 ", gp);
	gnuplot_string(gp, heading);
	fprintf(gp, " at graph 0.01, graph 0.9 left front boxed\nset yrange [0:%.6g]\n",
		top > 0 ? top * 1.25 : 1);
	if (price)
		fputs("set y2range [0:1.25]\nset y2tics 0, 0.5, 1\n", gp);
	else
		fputs("unset y2tics\n", gp);
	fputs("plot \\\n", gp);
	for (int i = 0; i < n; i++)
		fprintf(gp,
			"  \"%s.dat\" index %d using 1:3:4 with filledcurves lt %d fs transparent solid 0.2 "
			"noborder notitle, \\\n",
			name, base + i, i + 1);
	for (int i = 0; i < n; i++) {
		fprintf(gp, "  \"%s.dat\" index %d using 1:2 with lines lt %d ", name, base + i,
			i + 1);
		if (key) {
			fputs("title ", gp);
			gnuplot_string(gp, r->policy[i]);
		} else {
			fputs("notitle", gp);
		}
		fputs(i + 1 < n || price ? ", \\\n" : "\n", gp);
	}
	if (price)
		fprintf(gp, "  \"%s.dat\" index %d using 1:5 axes x1y2 with steps lt 9 notitle\n",
			name, base);
}

int plots_window(plots_ctx *c, plots_plot *p, FILE *dat, FILE *gp, int w)
{
	const results *r = c->r;
	FG_ASSERT(w >= 0 && w < r->npromos);
	if (!r->has_timeseries || plots_ts_load(c))
		return 1;
	const results_promo *pr = &r->promo[w];
	int np = r->npolicies < SERIES_MAX ? r->npolicies : SERIES_MAX, nb = 0, reps = 0;
	double t0 = pr->start - BEFORE, t1 = pr->end + AFTER, o = pr->start, h = 3600;
	double xlo = -BEFORE / h, xhi = (pr->end - pr->start + AFTER) / h;
	size_t inside = 0;
	double conf = r->confidence > 0 && r->confidence < 1 ? r->confidence : 0.95;
	for (int pi = 0; pi < np; pi++) {
		reps = c->ts[pi].reps > reps ? c->ts[pi].reps : reps;
		for (size_t k = 0; k < c->ts[pi].n; k++)
			inside += c->ts[pi].t[k] >= t0 && c->ts[pi].t[k] <= t1;
	}
	if (inside == 0) /* the window lies past the horizon, or the series is empty */
		return 1;
	fputs("# hours_from_window_start  mean lowest highest (over replications)  price_factor\n"
	      "# blocks: jobs waiting per policy, then busy GPUs of each pool per policy, then burst\n"
	      "# nodes per policy (when the file has them), then arrivals per hour (first policy)\n",
	      dat);
	double top[3 + PTS_POOLS_MAX];
	int np_panel = 0;
	top[np_panel++] = plots_ts_blocks(c, dat, np, PTS_QUEUED, 1, t0, t1, o, h, &nb);
	for (int q = 0; q < c->ts_npools; q++)
		top[np_panel++] = plots_ts_blocks(c, dat, np, PTS_POOL + q, 1, t0, t1, o, h, &nb);
	int burst = 0;
	if (c->ts_has_burst) {
		top[np_panel] = plots_ts_blocks(c, dat, np, PTS_BURST, 1, t0, t1, o, h, &nb);
		burst = top[np_panel] >
			0; /* no burst node ever: no panel (its blocks stay, unused) */
		np_panel += burst;
	}
	double arr_top = plots_ts_blocks(c, dat, 1, PTS_ARRIVALS, 1, t0, t1, o, h, &nb);
	int panels = np_panel + 1;

	snprintf(p->title, sizeof p->title, "Promotion %s, zoomed", pr->name);
	/* a repeating promotion: the first occurrence is shown, and the caption says so */
	char again[LABEL_MAX + 256] = "", every[64];
	if (pr->repeat > 0 && pr->count > 1) {
		const char *unit;
		double u = numfmt_time_unit(pr->repeat, &unit);
		double v = pr->repeat / u; /* "7 d", not "7.000 d" */
		numfmt(v, v == floor(v) ? 0 : numfmt_decimals(v), every, sizeof every);
		snprintf(again, sizeof again,
			 " It repeats every %s %s, %ld times in the run: this is the first occurrence; "
			 "the scope window:%s pools them all, window:%s#k is the k-th (first ones only).",
			 every, unit, pr->count, pr->name, pr->name);
	}
	snprintf(
		p->caption, sizeof p->caption,
		"From 1 h before promotion %s opens to 3 h after it closes (shaded), in hours from its start, from "
		"timeseries.csv: jobs waiting, busy GPUs of each pool%s, and arrivals per hour with the price "
		"factor (dashed, right axis). Per policy the line is the mean over %d replication%s at each "
		"sample and the shaded band its %.0f%% confidence interval; arrivals are the first policy's "
		"(every policy sees the same jobs).%s",
		pr->name, burst ? ", burst nodes paid for" : "", reps, reps == 1 ? "" : "s",
		100 * conf, again);
	char what[LABEL_MAX + 64], t[LABEL_MAX + 160];
	snprintf(what, sizeof what, "zoom on promotion %s, per policy", pr->name);
	plots_gp_begin_size(gp, p->name, what, 1000, panels * 190 + 170);
	char off[48] = "", first[48] = "";
	if (pr->discount > 0)
		snprintf(off, sizeof off, "%.0f%% off", 100 * pr->discount);
	if (again[0]) /* the title's width allows no more than this */
		snprintf(first, sizeof first, "%sfirst of %ld", off[0] ? ", " : "", pr->count);
	if (again[0])
		snprintf(t, sizeof t,
			 "Promotion %s (%s%s): 1 h before to 3 h after (%d replication%s, %.0f%% "
			 "interval)",
			 pr->name, off, first, reps, reps == 1 ? "" : "s", 100 * conf);
	else if (pr->discount > 0)
		snprintf(t, sizeof t,
			 "Promotion %s (%s): 1 h before to 3 h after (mean of %d "
			 "replication%s, %.0f%% interval)",
			 pr->name, off, reps, reps == 1 ? "" : "s", 100 * conf);
	else
		snprintf(
			t, sizeof t,
			"Promotion %s: 1 h before to 3 h after (mean of %d replication%s, %.0f%% interval)",
			pr->name, reps, reps == 1 ? "" : "s", 100 * conf);
	fprintf(gp,
		"set xrange [%.10g:%.10g]\nset xtics 1\nset mxtics 4\nset style textbox opaque noborder\n",
		xlo, xhi);
	/* the title, then the key (two columns: the widest labels allow no more), then the
	 * panels: heights in pixels */
	double height = panels * 190 + 170, keyrows = (np + 1) / 2,
	       top_m = 1 - (66 + 23 * keyrows) / height;
	for (int out = 0; out < 2; out++) {
		if (out)
			fputs("\neval svg_terminal\nset output out.\".svg\"\n", gp);
		else
			plots_gp_png(gp);
		fputs("set multiplot title ", gp);
		gnuplot_string(gp, t);
		fprintf(gp,
			" font \",15\" layout %d,1 margins 0.1,0.92,%.3f,%.3f spacing 0,0.03\n",
			panels, 70 / height, top_m);
		plots_gp_windows(gp, r, o, h, xlo, xhi);
		fputs("unset label\nunset xlabel\nset format x \"\"\nunset ylabel\nunset y2label\n",
		      gp);
		fprintf(gp,
			"set key at screen 0.5, screen %.3f center top horizontal maxcols 2 maxrows %d\n",
			1 - 52 / height, (int)keyrows);
		panel(gp, p->name, 0, np, r, 1, top[0], "jobs waiting", 0);
		fputs("unset key\n", gp);
		for (int q = 0; q < c->ts_npools; q++) {
			char yl[LABEL_MAX + 32];
			snprintf(yl, sizeof yl, "busy GPUs of pool %s", c->ts_pool[q]);
			panel(gp, p->name, np * (1 + q), np, r, 0, top[1 + q], yl, 0);
		}
		if (burst)
			panel(gp, p->name, np * (1 + c->ts_npools), np, r, 0,
			      top[1 + c->ts_npools], "burst nodes paid for", 0);
		fputs("set xlabel \"hours from the start of the window\"\nset format x \"%g\"\n",
		      gp);
		panel(gp, p->name, nb - 1, 1, r, 0, arr_top,
		      "arrivals per hour; dashed: price factor (right axis)", 1);
		fputs("unset multiplot\n", gp);
	}
	fputs("unset output\n", gp);
	return 0;
}
