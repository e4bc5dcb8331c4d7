/* plots_curves.c - the line plots: the wait-time CDF per policy on a log time axis, and
 * queue length and utilisation over simulated time with the price factor, the warm-up
 * and the promotion windows shaded. */
#include "plots_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "gnuplot.h"

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
int plots_wait_cdf(plots_ctx *c, plots_plot *p, FILE *dat, FILE *gp)
{
	const results *r = c->r;
	int np = r->npolicies < SERIES_MAX ? r->npolicies : SERIES_MAX;
	double fleft[SERIES_MAX], xmax = 0;
	int known[SERIES_MAX]; /* without a distribution: how many of a policy's points are known */
	long nwaits = -1;
	const char *source = "summary.csv";
	FG_ASSERT(np >= 1 && np <= SERIES_MAX); /* results_load: at least one policy */
	plots_cdf *d = calloc(SERIES_MAX, sizeof *d);
	if (!d)
		return -1;
	if (r->has_wait_hist && (nwaits = plots_cdf_from_hist(c, d)) >= 0)
		source = "wait_hist.csv";
	if (nwaits < 0 && r->has_jobs) {
		plots_cdf_free(d, SERIES_MAX);
		if (!(d = calloc(SERIES_MAX, sizeof *d)))
			return -1;
		if ((nwaits = plots_cdf_from_jobs(c, d)) >= 0)
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
		plots_dat_text(dat, r->policy[pi], 0);
		fputc('\n', dat);
		if (exact) {
			const plots_cdf *x = &d[pi];
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

	plots_gp_begin(gp, p->name, "wait-time CDF per policy (log time axis)");
	{
		char t[200];
		if (exact)
			snprintf(t, sizeof t, "Wait before service, CDF per policy (%s)", source);
		else
			snprintf(t, sizeof t, "Wait before service, CDF per policy (estimated from summary.csv quantiles)");
		plots_gp_title(gp, t);
	}
	plots_gp_key(gp, np);
	fputs("set logscale x 10\n", gp);
	fprintf(gp, "set xrange [%g:%g]\n", xmin, xtop);
	fprintf(gp, "set yrange [%g:1.001]\n", ylo);
	gp_wait_tics(gp, xmin, xtop);
	fputs("set grid xtics ytics lt 1 lc rgb \"#dcdcdc\" lw 1 dt solid\n", gp);
	fprintf(gp, "set xlabel \"wait before service, x (log scale)\"\n");
	fputs("set ylabel \"share of started jobs with wait ≤ x\"\n", gp);
	plots_gp_png(gp);
	fputs("plot \\\n", gp);
	for (int pi = 0; pi < np; pi++) {
		fprintf(gp, "  \"%s.dat\" index %d using 1:2 with steps lt %d title ", p->name, pi, pi + 1);
		gnuplot_string(gp, r->policy[pi]);
		/* the points summary.csv knows, marked, unlike the steps between them */
		FG_ASSERT(exact || known[pi] >= 1); /* the left-edge point is always known */
		if (!exact)
			fprintf(gp, ", \\\n  \"%s.dat\" index %d every ::0::%d using 1:2 with points lt %d notitle", p->name,
				pi, known[pi] - 1, pi + 1);
		fputs(pi + 1 < np ? ", \\\n" : "\n", gp);
	}
	plots_gp_end(gp);
	plots_cdf_free(d, SERIES_MAX);
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
static int plot_over_time(plots_ctx *c, plots_plot *p, FILE *dat, FILE *gp, int util)
{
	const results *r = c->r;
	if (!r->has_timeseries)
		return 1;
	if (c->ts_state == 0)
		c->ts_state = plots_ts_load(c) ? -1 : 1;
	if (c->ts_state < 0)
		return 1;
	int np = r->npolicies < SERIES_MAX ? r->npolicies : SERIES_MAX, reps = 0;
	double tmax = 0;
	fprintf(dat, "# t_days  %s  price_factor   (mean over replications at each sample time)\n",
		util ? "utilization_percent" : "jobs_waiting");
	for (int pi = 0; pi < np; pi++) {
		const plots_ts *s = &c->ts[pi];
		fprintf(dat, "%s# policy ", pi ? "\n\n" : "");
		plots_dat_text(dat, r->policy[pi], 0);
		fprintf(dat, ", %d replications\n", s->reps);
		reps = s->reps > reps ? s->reps : reps;
		if (!s->n)
			fputs("NaN NaN NaN\n", dat);
		for (size_t i = 0; i < s->n; i++) {
			fprintf(dat, "%.10g ", s->t[i] / 86400);
			plots_dat_num(dat, util ? 100 * s->util[i] : s->queued[i]);
			fputc(' ', dat);
			plots_dat_num(dat, s->price[i]);
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
	plots_gp_begin(gp, p->name, util ? "GPU utilisation over time per policy, promotions shaded"
				   : "queue length over time per policy, promotions shaded");
	{
		char t[300];
		snprintf(t, sizeof t, "%s over time (mean of %d replication%s)", what, reps, reps == 1 ? "" : "s");
		plots_gp_title(gp, t);
	}
	plots_gp_key(gp, np + 1);
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
	plots_gp_png(gp);
	fputs("plot \\\n", gp);
	for (int pi = 0; pi < np; pi++) {
		fprintf(gp, "  \"%s.dat\" index %d using 1:2 with lines lt %d title ", p->name, pi, pi + 1);
		gnuplot_string(gp, r->policy[pi]);
		fputs(", \\\n", gp);
	}
	fprintf(gp, "  \"%s.dat\" index 0 using 1:3 axes x1y2 with steps lt 9 title \"price factor\"\n",
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
