/* plots_cdf.c - the wait-time CDFs: per policy over all jobs (wait_cdf) and per class
 * (wait_cdf_by_class, a panel per class), on a log time axis from 0 to 1, each curve
 * with the range of the replications' own CDFs shaded behind it. Drawn from
 * wait_hist.csv, or jobs.csv in a folder written before it existed. */
#include "plots_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "gnuplot.h"
#include "numfmt.h"

/* Log-axis tics in the units people say: "10 s", "1 min", "1 h", up to the decade
 * above xmax. */
static void gp_wait_tics(FILE *gp, double xmin, double xmax)
{
	static const struct {
		double s;
		const char *label;
	} tics[] = {{0.001, "1 ms"}, {0.01, "10 ms"}, {0.1, "0.1 s"},   {1, "1 s"},
		    {10, "10 s"},    {60, "1 min"},   {600, "10 min"},  {3600, "1 h"},
		    {36000, "10 h"}, {86400, "1 d"},  {864000, "10 d"}, {8640000, "100 d"}};
	double last = 0;
	fputs("set xtics (", gp);
	/* a tic under 3 times the last one ("1 d" after "10 h") would write over it */
	for (size_t i = 0; i < sizeof tics / sizeof *tics; i++)
		if (tics[i].s >= xmin * 0.999 && tics[i].s <= xmax * 1.001 &&
		    tics[i].s >= 3 * last) {
			fprintf(gp, "%s\"%s\" %g", last > 0 ? ", " : "", tics[i].label, tics[i].s);
			last = tics[i].s;
		}
	fputs(")\n", gp);
}

/* One scope's CDF per policy into d (SERIES_MAX of them, zeroed): from wait_hist.csv,
 * else jobs.csv. Returns the number of waits, or -1 (warned) with d freed and zeroed
 * again; *source names the file it came from. */
static long load(plots_ctx *c, plots_cdf *d, const char *scope, const char **source)
{
	long n = -1;
	if (c->r->has_wait_hist && (n = plots_cdf_from_hist(c, d, scope)) >= 0) {
		*source = "wait_hist.csv";
		return n;
	}
	for (int i = 0; i < SERIES_MAX; i++) { /* a half-read file's points go */
		free(d[i].x), free(d[i].f), free(d[i].lo), free(d[i].hi);
		memset(&d[i], 0, sizeof d[i]);
	}
	if (c->r->has_jobs && (n = plots_cdf_from_jobs(c, d, scope)) >= 0)
		*source = "jobs.csv";
	return n;
}

/* The time axis: the left edge 1 s, or lower when every wait is short, so that it
 * always spans at least two decades; the right edge the decade above the longest. */
static void x_range(plots_cdf *const *d, int npanels, int np, double *xmin, double *xtop)
{
	double xmax = 0;
	for (int k = 0; k < npanels; k++)
		for (int pi = 0; pi < np; pi++)
			if (d[k][pi].n)
				xmax = fmax(xmax, d[k][pi].x[d[k][pi].n - 1]);
	*xmin = 1;
	if (xmax < 100)
		*xmin = xmax > 0 ? pow(10, floor(log10(xmax)) - 2) : 0.1;
	if (*xmin < 0.001)
		*xmin = 0.001;
	*xtop = pow(10, ceil(log10(fmax(xmax, *xmin * 10))));
}

/* One panel's data: a block per policy of "x f lo hi", from the left edge (where the
 * height is the share of waits below it, zeros included) to the right edge at 1.
 * Returns the lowest and highest share of zero waits in *zlo, *zhi. */
static void write_blocks(FILE *dat, const results *r, int np, const plots_cdf *d, double xmin,
			 double xtop, const char *scope, int first, double *zlo, double *zhi)
{
	for (int pi = 0; pi < np; pi++) {
		const plots_cdf *x = &d[pi];
		fprintf(dat, "%s# policy ", first && !pi ? "" : "\n\n");
		plots_dat_text(dat, r->policy[pi], 0);
		fputs(", scope ", dat);
		plots_dat_text(dat, scope, 0);
		fputc('\n', dat);
		if (!x->n) {
			fputs("NaN NaN NaN NaN\n", dat);
			continue;
		}
		*zlo = fmin(*zlo, x->zero);
		*zhi = fmax(*zhi, x->zero);
		size_t i = 0;
		while (i < x->n && x->x[i] <= xmin)
			i++;
		double f0 = i ? x->f[i - 1] : 0, lo = i ? x->lo[i - 1] : 0,
		       hi = i ? x->hi[i - 1] : 0;
		if (!isfinite(x->lo[0]))
			lo = hi = NAN;
		fprintf(dat, "%.10g %.10g ", xmin, f0);
		plots_dat_num(dat, lo);
		fputc(' ', dat);
		plots_dat_num(dat, hi);
		fputc('\n', dat);
		/* Thin the steps: a point where x moved by 0.5% or the share by 0.05%, so a
		 * job list of millions makes a few thousand points at no visible cost. */
		double lx = xmin, lf = f0;
		for (; i < x->n; i++)
			if (i + 1 == x->n || x->x[i] >= lx * 1.005 || x->f[i] - lf >= 0.0005) {
				fprintf(dat, "%.10g %.10g ", x->x[i], x->f[i]);
				plots_dat_num(dat, x->lo[i]);
				fputc(' ', dat);
				plots_dat_num(dat, x->hi[i]);
				fputc('\n', dat);
				lx = x->x[i];
				lf = x->f[i];
			}
		fprintf(dat, "%.10g 1 1 1\n", xtop); /* every curve runs to the right edge */
	}
}

/* A panel's plot command: per policy its band (behind), its curve and a point at the
 * left edge, where the mass of short and zero waits sits; titles only with `key`. */
static void plot_cmd(FILE *gp, const char *name, int base, int np, const results *r, int key,
		     int exact_steps)
{
	fputs("plot \\\n", gp);
	for (int pi = 0; pi < np; pi++)
		fprintf(gp,
			"  \"%s.dat\" index %d using 1:3:4 with filledcurves lt %d fs transparent solid 0.18 "
			"noborder notitle, \\\n",
			name, base + pi, pi + 1);
	for (int pi = 0; pi < np; pi++) {
		fprintf(gp, "  \"%s.dat\" index %d using 1:2 with %s lt %d ", name, base + pi,
			exact_steps ? "steps" : "lines", pi + 1);
		if (key) {
			fputs("title ", gp);
			gnuplot_string(gp, r->policy[pi]);
		} else {
			fputs("notitle", gp);
		}
		fprintf(gp,
			", \\\n  \"%s.dat\" index %d every ::0::0 using 1:2 with points lt %d notitle%s",
			name, base + pi, pi + 1, pi + 1 < np ? ", \\\n" : "\n");
	}
}

static void axes(FILE *gp, double xmin, double xtop, int ylabel)
{
	fputs("set logscale x 10\n", gp);
	fprintf(gp, "set xrange [%g:%g]\nset yrange [0:1.001]\nset ytics 0, 0.2, 1\n", xmin, xtop);
	gp_wait_tics(gp, xmin, xtop);
	fputs("set grid xtics ytics lt 1 lc rgb \"#dcdcdc\" lw 1 dt solid\n", gp);
	fputs("set xlabel \"wait before service, x (log scale)\"\n", gp);
	if (ylabel)
		fputs("set ylabel \"share of started jobs with wait < x\"\n", gp);
}

/* What the caption says of every CDF plot: where the data came from, the band, and the
 * mass at the left edge. */
static void caption(plots_plot *p, const char *what, const char *source, long nwaits, double xmin,
		    double zlo, double zhi, int reps)
{
	char zero[120];
	/* the left edge holds every wait under xmin, not only the zeros: say so */
	if (zlo > zhi)
		snprintf(zero, sizeof zero, "no job waited");
	else if (zhi - zlo < 0.0005)
		snprintf(zero, sizeof zero, "%.1f%% of jobs", 100 * zlo);
	else
		snprintf(zero, sizeof zero, "%.1f%% to %.1f%% of jobs, by policy", 100 * zlo,
			 100 * zhi);
	int band = !strcmp(source, "wait_hist.csv");
	char n[32];
	snprintf(
		p->caption, sizeof p->caption,
		"Share of the jobs that started service whose wait was below x, %s, from %s (%s "
		"waits after the warm-up, all replications pooled%s); log time axis. %s The height "
		"at the left edge (marked) is the share that waited less than %g s: %s.",
		what, source, numfmt((double)nwaits, 0, n, sizeof n),
		band ? ", in the histogram's bins, each 4.4% wide" : "",
		band ? (reps > 1 ? "Shaded: the lowest to highest CDF of a single replication."
				 : "")
		     : "No band: jobs.csv is a single list.",
		xmin, zero);
}

int plots_wait_cdf(plots_ctx *c, plots_plot *p, FILE *dat, FILE *gp)
{
	const results *r = c->r;
	int np = r->npolicies < SERIES_MAX ? r->npolicies : SERIES_MAX;
	const char *source = "";
	FG_ASSERT(np >= 1); /* results_load: at least one policy */
	plots_cdf *d = calloc(SERIES_MAX, sizeof *d);
	if (!d)
		return -1;
	long nwaits = load(c, d, "all", &source);
	if (nwaits < 0) {
		plots_cdf_free(d, SERIES_MAX);
		return 1;
	}
	double xmin, xtop, zlo = 1, zhi = 0;
	x_range(&d, 1, np, &xmin, &xtop);
	fputs("# wait_s  share_of_started_jobs_with_wait_below_wait_s  lowest_replication  highest_replication\n",
	      dat);
	write_blocks(dat, r, np, d, xmin, xtop, "all", 1, &zlo, &zhi);
	snprintf(p->title, sizeof p->title,
		 "Wait before service: cumulative distribution per policy");
	caption(p, "per policy", source, nwaits, xmin, zlo, zhi, r->replications);
	plots_gp_begin(gp, p->name, "wait-time CDF per policy (log time axis)");
	{
		char t[200];
		snprintf(t, sizeof t, "Wait before service, CDF per policy (%s)", source);
		plots_gp_title(gp, t);
	}
	plots_gp_key(gp, np);
	axes(gp, xmin, xtop, 1);
	plots_gp_png(gp);
	plot_cmd(gp, p->name, 0, np, r, 1, !strcmp(source, "jobs.csv"));
	plots_gp_end(gp);
	plots_cdf_free(d, SERIES_MAX);
	return 0;
}

#define CLASSES_MAX 6 /* panels: beyond this they get too small to read */

int plots_wait_cdf_class(plots_ctx *c, plots_plot *p, FILE *dat, FILE *gp)
{
	const results *r = c->r;
	int np = r->npolicies < SERIES_MAX ? r->npolicies : SERIES_MAX, nk = 0, rc = -1;
	const char *cls[CLASSES_MAX], *source = "";
	plots_cdf *d[CLASSES_MAX] = {0};
	long nwaits = 0;
	for (int i = 0; i < r->nscopes && nk < CLASSES_MAX; i++)
		if (!strncmp(r->scope[i], "class:", 6))
			cls[nk++] = r->scope[i];
	if (nk < 2) /* one class is the same jobs as wait_cdf */
		return 1;
	for (int k = 0; k < nk; k++) {
		long n;
		if (!(d[k] = calloc(SERIES_MAX, sizeof **d)))
			goto out;
		if ((n = load(c, d[k], cls[k], &source)) < 0) {
			rc = 1;
			goto out;
		}
		nwaits += n;
	}
	double xmin, xtop, zlo = 1, zhi = 0;
	x_range(d, nk, np, &xmin, &xtop);
	fputs("# wait_s  share_of_started_jobs_with_wait_below_wait_s  lowest_replication  highest_replication\n"
	      "# a block per class and policy, class by class\n",
	      dat);
	for (int k = 0; k < nk; k++)
		write_blocks(dat, r, np, d[k], xmin, xtop, cls[k], k == 0, &zlo, &zhi);
	snprintf(p->title, sizeof p->title,
		 "Wait before service per class: cumulative distribution per policy");
	caption(p, "a panel per class", source, nwaits, xmin, zlo, zhi, r->replications);
	/* A multiplot, the SVG drawn by running the panels again (replot redraws only the
	 * last panel). From the top, in pixels: the title, the key, then the panels. */
	int cols = nk < 3 ? nk : 3, rows = (nk + cols - 1) / cols, keyrows = (np + 2) / 3;
	double height = rows * 380 + 70 + 26 * keyrows, keytop = 1 - 44 / height,
	       top = keytop - 26 * keyrows / height;
	double ph = (top - 10 / height) / rows, pw = 0.92 / cols;
	plots_gp_begin_size(gp, p->name, "wait-time CDF per class and policy (log time axis)",
			    1000, (int)height);
	for (int out = 0; out < 2; out++) {
		fputs(out ? "\neval svg_terminal\nset output out.\".svg\"\n" : "", gp);
		if (!out)
			plots_gp_png(gp);
		fputs("set multiplot title ", gp);
		gnuplot_string(gp, "Wait before service per class, CDF per policy");
		fputs(" font \",15\"\n", gp);
		plots_gp_key_panel(gp, r, np, top, keytop);
		for (int k = 0; k < nk; k++) {
			int row = k / cols, col = k % cols;
			double x0 = 0.07 + col * pw, y1 = top - row * ph;
			fprintf(gp,
				"set lmargin at screen %.4f\nset rmargin at screen %.4f\nset tmargin at screen %.4f\n"
				"set bmargin at screen %.4f\n",
				x0, x0 + pw - 0.04, y1 - 30 / height, y1 - ph + 80 / height);
			axes(gp, xmin, xtop, 0);
			fprintf(gp, "set ylabel \"%s\"\n", col ? "" : "share with wait < x");
			fputs("set title ", gp);
			gnuplot_string(gp, cls[k]);
			fputs(" offset 0,-0.6 font \",13\"\n", gp);
			plot_cmd(gp, p->name, k * np, np, r, 0, !strcmp(source, "jobs.csv"));
		}
		fputs("unset multiplot\n", gp);
	}
	fputs("unset output\n", gp);
	rc = 0;
out:
	for (int k = 0; k < nk; k++)
		plots_cdf_free(d[k], SERIES_MAX);
	return rc;
}
