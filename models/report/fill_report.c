/* fill_report.c - fill.csv and the fill plots (fill_report.h). CSV keeps full precision;
 * the plots' labels are gnuplot's. */
#include "fill_report.h"

#include "gnuplot.h"
#include "numfmt.h"
#include "plots_int.h"
#include "stats.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const double *series(const fill_result *r, int what)
{
	return what == 0 ? r->alloc : what == 1 ? r->frag : r->failed;
}

/* the seeds' values of placement pl_i at point k, gathered */
static void gather(const fill_result *r, int pl_i, int k, int what, double *x)
{
	const double *v = series(r, what);
	for (int s = 0; s < r->seeds; s++)
		x[s] = v[((size_t)pl_i * (size_t)r->seeds + (size_t)s) * (size_t)r->npoints + (size_t)k];
}

double fill_mean(const fill_result *r, int pl_i, int k, int what)
{
	double sum = 0, x[1024];
	if (r->seeds > 1024)
		return NAN;
	gather(r, pl_i, k, what, x);
	for (int s = 0; s < r->seeds; s++)
		sum += x[s];
	return sum / r->seeds;
}

int fill_write_csv(const char *dir, const fill_cfg *cfg, const fill_result *r, double confidence,
		   char *err, size_t errlen)
{
	char path[4300];
	double *x = malloc(sizeof(double) * (size_t)r->seeds);
	snprintf(path, sizeof path, "%s/fill.csv", dir);
	FILE *f = x ? fopen(path, "w") : NULL;
	if (!f) {
		free(x);
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	fputs("placement,arrived_pct,alloc_pct_mean,alloc_pct_half_width,frag_pct_mean,"
	      "frag_pct_half_width,failed_pct_mean,n\n",
	      f);
	for (int p = 0; p < r->nplacements; p++)
		for (int k = 0; k < r->npoints; k++) {
			double m[3], hw[3];
			for (int w = 0; w < 3; w++) {
				gather(r, p, k, w, x);
				stat_ci(x, (size_t)r->seeds, confidence, &m[w], &hw[w]);
			}
			fprintf(f, "%s,%d,%.10g,%.10g,%.10g,%.10g,%.10g,%d\n",
				gs_placement_name(cfg->placements[p]), k, m[0], hw[0], m[1], hw[1], m[2],
				r->seeds);
		}
	free(x);
	if (fclose(f)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int write_gp(const char *pdir, const char *name, const fill_cfg *cfg, int col,
		    const char *ylabel, const char *title)
{
	char path[4300];
	snprintf(path, sizeof path, "%s/%s.gp", pdir, name);
	FILE *gp = fopen(path, "w");
	if (!gp)
		return -1;
	plots_gp_begin(gp, name, title);
	plots_gp_key(gp, cfg->nplacements);
	plots_gp_title(gp, title);
	fputs("set xlabel \"arrived workload (% of the cluster's GPUs)\"\n", gp);
	fprintf(gp, "set ylabel \"%s\"\nset yrange [0:*]\n", ylabel);
	plots_gp_png(gp);
	fputs("plot ", gp);
	for (int p = 0; p < cfg->nplacements; p++) {
		/* the curve through every point, its marker and interval at every 10th: 131
		 * markers per curve would hide the curves under them */
		fprintf(gp, "%s\"fill.dat\" index %d using 1:%d with lines lt %d title ", p ? ", \\\n  " : "",
			p, col, p + 1);
		gnuplot_string(gp, gs_placement_name(cfg->placements[p]));
		fprintf(gp, ", \\\n  \"fill.dat\" index %d every 10 using 1:%d:%d with yerrorbars lt %d notitle", p,
			col, col + 1, p + 1);
	}
	fputs("\n", gp);
	plots_gp_end(gp);
	return fclose(gp);
}

int fill_write_plots(const char *dir, const fill_cfg *cfg, const fill_result *r, char *err,
		     size_t errlen)
{
	char pdir[4200], path[4300];
	snprintf(pdir, sizeof pdir, "%s/plots", dir);
	if (mkdir(pdir, 0777) && errno != EEXIST) {
		snprintf(err, errlen, "%s: %s", pdir, strerror(errno));
		return -1;
	}
	snprintf(path, sizeof path, "%s/style.gp", pdir);
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(plots_style_gp, f);
		fclose(f);
	}
	snprintf(path, sizeof path, "%s/fill.dat", pdir);
	f = fopen(path, "w");
	double *x = malloc(sizeof(double) * (size_t)r->seeds);
	if (!f || !x) {
		if (f)
			fclose(f);
		free(x);
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	/* one block per placement: arrived, alloc mean, hw, frag mean, hw */
	for (int p = 0; p < r->nplacements; p++) {
		fprintf(f, "# %s\n", gs_placement_name(cfg->placements[p]));
		for (int k = 0; k < r->npoints; k++) {
			fprintf(f, "%d", k);
			for (int w = 0; w < 2; w++) {
				double m, hw;
				gather(r, p, k, w, x);
				stat_ci(x, (size_t)r->seeds, 0.95, &m, &hw);
				fprintf(f, " ");
				plots_dat_num(f, m);
				fprintf(f, " ");
				plots_dat_num(f, hw == hw ? hw : 0);
			}
			fputc('\n', f);
		}
		fputs("\n\n", f);
	}
	free(x);
	fclose(f);
	if (write_gp(pdir, "fill_alloc", cfg, 2, "GPU allocation (% of the cluster's GPUs)",
		     "GPUs allocated as the workload arrives") ||
	    write_gp(pdir, "fill_frag", cfg, 4, "fragmentation (% of the cluster's GPUs)",
		     "GPU fragmentation as the workload arrives")) {
		snprintf(err, errlen, "%s: cannot write a plot script", pdir);
		return -1;
	}
	gnuplot_job job[2];
	const char *names[2] = {"fill_alloc", "fill_frag"};
	int started = 0, rc = 0;
	for (int i = 0; i < 2; i++) {
		if (gnuplot_start(pdir, names[i], &job[i], err, errlen)) {
			rc = -1;
			break;
		}
		started++;
	}
	for (int i = 0; i < started; i++)
		if (gnuplot_finish(pdir, &job[i], err, errlen))
			rc = -1;
	return rc;
}

void fill_print_table(FILE *f, const fill_cfg *cfg, const fill_result *r)
{
	/* the columns name the points they read: at 100% of the GPUs arrived (or the last
	 * point, when --until stops short of it) and at the last point, --until's percent */
	int k100 = 100 < r->npoints ? 100 : r->npoints - 1, kend = r->npoints - 1;
	char h[3][32], a[3][32];
	snprintf(h[0], sizeof h[0], "alloc @%d%%", k100);
	snprintf(h[1], sizeof h[1], "alloc @%d%%", kend);
	snprintf(h[2], sizeof h[2], "frag @%d%%", kend);
	fprintf(f, "%-16s %14s %14s %12s\n", "placement", h[0], h[1], h[2]);
	for (int p = 0; p < r->nplacements; p++) {
		double v[3] = {fill_mean(r, p, k100, 0), fill_mean(r, p, kend, 0),
			       fill_mean(r, p, kend, 1)};
		for (int i = 0; i < 3; i++) /* percent of the GPUs: two decimals, numfmt's style */
			snprintf(a[i], sizeof a[i], "%s%%", numfmt(v[i], 2, h[i], sizeof h[i]));
		fprintf(f, "%-16s %14s %14s %12s\n", gs_placement_name(cfg->placements[p]), a[0],
			a[1], a[2]);
	}
}
