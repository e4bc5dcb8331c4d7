/* plots_curves.c - the plots over simulated time: queue length and utilisation per
 * policy, the mean over replications with its interval shaded, the price factor, the
 * warm-up and the promotion windows; and the pieces the promotion zooms share. */
#include "plots_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "gnuplot.h"

/* One shaded span [a, b] (seconds) on the time axis, clipped to [xlo, xhi] in axis
 * units (x = (t - origin) / scale). Returns 0 when nothing of it shows. */
static int span_on_axis(double a, double b, double origin, double scale, double xlo, double xhi,
			double *x0, double *x1)
{
	*x0 = fmax((a - origin) / scale, xlo);
	*x1 = fmin((b - origin) / scale, xhi);
	return *x1 > *x0;
}

/* Shades the warm-up and every promotion window on a time axis (x = (t - origin) /
 * scale, shown from xlo to xhi) and names them along the top. A name goes right of its
 * window (left of it near the right edge) on the highest of three lines where it
 * overlaps no other name; the width of a character is guessed as 9 of the plot's about
 * 760 pixels. */
void plots_gp_windows(FILE *gp, const results *r, double origin, double scale, double xlo,
		      double xhi)
{
	enum { LEVELS = 3, PLACED_MAX = 64 };
	double span[PLACED_MAX][2], char_w = (xhi - xlo) * 9 / 760, x0, x1;
	int level[PLACED_MAX], n = 0, obj = 1;
	if (isfinite(r->warmup) && r->warmup > 0 &&
	    span_on_axis(0, r->warmup, origin, scale, xlo, xhi, &x0, &x1)) {
		double mid = (x0 + x1) / 2;
		fprintf(gp,
			"set object %d rect from %.10g, graph 0 to %.10g, graph 1 behind fc rgb shade_warmup fs solid 1.0 noborder\n",
			obj, x0, x1);
		fprintf(gp, "set label %d \"warm-up\" at %.10g, graph 0.965 center front\n", obj, mid);
		span[n][0] = mid - 4 * char_w;
		span[n][1] = mid + 4 * char_w;
		level[n++] = 0;
		obj++;
	}
	/* every occurrence of a repeating promotion (200 at most: more would not show apart) */
	for (int i = 0; i < r->npromos; i++)
		for (long occ = 0; occ < r->promo[i].count && occ < 200; occ++) {
			const results_promo *w = &r->promo[i];
			char label[LABEL_MAX + 32];
			double at = w->start + (double)occ * w->repeat;
			if (!span_on_axis(at, at + (w->end - w->start), origin, scale, xlo, xhi, &x0, &x1))
				continue;
			if (w->discount > 0)
				snprintf(label, sizeof label, "%.*s (%.0f%% off)", LABEL_MAX, w->name, 100 * w->discount);
			else
				snprintf(label, sizeof label, "%.*s", LABEL_MAX, w->name);
			double len = ((double)strlen(label) + 1) * char_w;
			int right = x1 + len > xhi;
			double lo = right ? x0 - len : x1, hi = right ? x0 : x1 + len;
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
			fprintf(gp,
				"set object %d rect from %.10g, graph 0 to %.10g, graph 1 behind fc rgb shade_promo fs solid 1.0 noborder\n",
				obj, x0, x1);
			fprintf(gp, "set label %d ", obj);
			gnuplot_string(gp, label);
			fprintf(gp, " at %.10g, graph %.3f %s offset %s,0 front%s\n", right ? x0 : x1,
				0.965 - 0.1 * l, right ? "right" : "left", right ? "-0.4" : "0.4",
				l ? " boxed" : "");
			obj++;
		}
	/* names on lower lines may cross the curves: give them a white background */
	fputs("set style textbox opaque noborder\n", gp);
}

double plots_ts_blocks(plots_ctx *c, FILE *dat, int np, int col, double mult, double t0, double t1,
		       double origin, double scale, int *nblocks)
{
	double top = 0;
	for (int pi = 0; pi < np; pi++) {
		const plots_ts *s = &c->ts[pi];
		int any = 0;
		fprintf(dat, "%s# policy ", *nblocks ? "\n\n" : "");
		plots_dat_text(dat, c->r->policy[pi], 0);
		fprintf(dat, ", %d replications\n", s->reps);
		for (size_t k = 0; k < s->n; k++) {
			if (s->t[k] < t0 || s->t[k] > t1)
				continue;
			fprintf(dat, "%.10g", (s->t[k] - origin) / scale);
			for (int st = PTS_MEAN; st <= PTS_HIGH; st++) {
				double v = plots_ts_get(c, s, k, col, st) * mult;
				fputc(' ', dat);
				plots_dat_num(dat, v);
				if (isfinite(v))
					top = fmax(top, v);
			}
			fputc(' ', dat);
			plots_dat_num(dat, plots_ts_get(c, s, k, PTS_PRICE, PTS_MEAN));
			fputc('\n', dat);
			any = 1;
		}
		if (!any)
			fputs("NaN NaN NaN NaN NaN\n", dat);
		(*nblocks)++;
	}
	return top;
}

/* Queue length or utilisation over time: the mean over replications at each sample,
 * its confidence interval shaded, with the price factor on the right axis. */
static int plot_over_time(plots_ctx *c, plots_plot *p, FILE *dat, FILE *gp, int util)
{
	const results *r = c->r;
	if (!r->has_timeseries || plots_ts_load(c))
		return 1;
	int np = r->npolicies < SERIES_MAX ? r->npolicies : SERIES_MAX, reps = 0, nb = 0;
	double tmax = 0;
	for (int pi = 0; pi < np; pi++) {
		reps = c->ts[pi].reps > reps ? c->ts[pi].reps : reps;
		if (c->ts[pi].n)
			tmax = fmax(tmax, c->ts[pi].t[c->ts[pi].n - 1]);
	}
	double horizon = isfinite(r->horizon) ? r->horizon : tmax;
	fprintf(dat,
		"# t_days  %s: mean over replications, its confidence interval (low, high); price_factor\n",
		util ? "utilization_percent" : "jobs_waiting");
	double ytop = plots_ts_blocks(c, dat, np, util ? PTS_UTIL : PTS_QUEUED, util ? 100 : 1,
				      -INFINITY, INFINITY, 0, 86400, &nb);
	const char *what = util ? "GPU utilisation" : "Jobs waiting in the queue";
	snprintf(p->title, sizeof p->title, "%s over time", what);
	snprintf(
		p->caption, sizeof p->caption,
		"%s at each sample of timeseries.csv, per policy: the line is the mean over %d replication%s at "
		"that time, the shaded band its %.0f%% confidence interval; %sthe dashed grey line is the lowest "
		"price factor any class pays (right axis: 1 = list price). Shaded: the warm-up (grey, not measured) "
		"and promotion windows (orange; each has a zoom below).",
		util ? "Busy GPUs as a share of all GPUs" : "Jobs waiting (not running)", reps,
		reps == 1 ? "" : "s",
		100 * (r->confidence > 0 && r->confidence < 1 ? r->confidence : 0.95),
		util ? "" : "all pools together; ");
	plots_gp_begin(gp, p->name, util ? "GPU utilisation over time per policy, promotions shaded"
				   : "queue length over time per policy, promotions shaded");
	{
		char t[300];
		snprintf(t, sizeof t, "%s over time (mean of %d replication%s and its interval)",
			 what, reps, reps == 1 ? "" : "s");
		plots_gp_title(gp, t);
	}
	plots_gp_key(gp, np + 1);
	fprintf(gp, "set xrange [0:%.10g]\n", horizon / 86400);
	if (horizon / 86400 <= 15)
		fputs("set xtics 1\nset mxtics 4\n", gp);
	fputs("set xlabel \"simulated time (days)\"\n", gp);
	fprintf(gp, "set ylabel \"%s\"\n", util ? "GPU utilisation (%)" : "jobs waiting");
	/* The price factor's list-price line (1 on the right axis, at 91% of the height)
	 * runs above the data: the left axis reaches 1/0.85 of the data's top. */
	double pmax = 1;
	for (int pi = 0; pi < np; pi++)
		for (size_t i = 0; i < c->ts[pi].n; i++) {
			double pf = plots_ts_get(c, &c->ts[pi], i, PTS_PRICE, PTS_MEAN);
			if (isfinite(pf))
				pmax = fmax(pmax, pf);
		}
	if (util)
		ytop = 100;
	if (ytop <= 0)
		ytop = 1;
	fprintf(gp, "set yrange [0:%.6g]\n", ytop / 0.85);
	if (util)
		fputs("set ytics 0, 20, 100\n", gp);
	fprintf(gp, "set y2label \"price factor (× list price)\"\nset y2range [0:%.6g]\nset y2tics 0, 0.25, %.6g\n",
		1.1 * pmax, pmax);
	plots_gp_windows(gp, r, 0, 86400, 0, horizon / 86400);
	plots_gp_png(gp);
	fputs("plot \\\n", gp);
	for (int pi = 0; pi < np; pi++)
		fprintf(gp,
			"  \"%s.dat\" index %d using 1:3:4 with filledcurves lt %d fs transparent solid 0.15 "
			"noborder notitle, \\\n",
			p->name, pi, pi + 1);
	for (int pi = 0; pi < np; pi++) {
		fprintf(gp, "  \"%s.dat\" index %d using 1:2 with lines lt %d title ", p->name, pi, pi + 1);
		gnuplot_string(gp, r->policy[pi]);
		fputs(", \\\n", gp);
	}
	fprintf(gp,
		"  \"%s.dat\" index 0 using 1:5 axes x1y2 with steps lt 9 title \"price factor\"\n",
		p->name);
	plots_gp_end(gp);
	return 0;
}

int plots_queue_time(plots_ctx *c, plots_plot *p, FILE *dat, FILE *gp)
{
	return plot_over_time(c, p, dat, gp, 0);
}

int plots_util_time(plots_ctx *c, plots_plot *p, FILE *dat, FILE *gp)
{
	return plot_over_time(c, p, dat, gp, 1);
}
