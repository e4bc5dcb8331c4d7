/* cmd_plot.c - `fgsim plot DIR`: redraws the plots and report.html of a results folder
 * from the files in it, the same path `fgsim run` takes once it has written them. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "report.h"
#include "sweep_plots.h"

#include <unistd.h>

/* A sweep folder (sweep.csv, no summary.csv): its curves, no report. */
static int plot_sweep_folder(const char *dir)
{
	char err[1024];
	int n, drawn, rc = sweep_plots_folder(dir, stderr, &n, &drawn, err, sizeof err);
	if (rc < 0) {
		fprintf(stderr, "%s\n", err);
		return rc;
	}
	if (drawn)
		printf("plots in %s/plots/ (%d of %d drawn, PNG and SVG, each with its .gp script and .dat data)\n", dir,
		       drawn, n);
	else
		printf("plot data and gnuplot scripts in %s/plots/ (no images)\n", dir);
	return rc;
}

int cmd_plot_folder(const char *dir)
{
	char err[1024], path[4200];
	report_info info;
	snprintf(path, sizeof path, "%s/summary.csv", dir);
	if (access(path, F_OK) != 0) {
		snprintf(path, sizeof path, "%s/sweep.csv", dir);
		if (access(path, F_OK) == 0)
			return plot_sweep_folder(dir);
	}
	int rc = report_folder(dir, stderr, &info, err, sizeof err);
	if (rc < 0) {
		fprintf(stderr, "%s\n", err);
		return rc;
	}
	if (info.drawn)
		printf("plots in %s/plots/ (%d of %d drawn, PNG and SVG, each with its .gp script and .dat data)\n", dir,
		       info.drawn, info.plots);
	else
		printf("plot data and gnuplot scripts in %s/plots/ (no images: %s)\n", dir,
		       info.gnuplot ? "gnuplot failed" : "gnuplot not found");
	printf("report: %s/report.html\n", dir);
	return rc;
}

int cmd_plot(int argc, char **argv)
{
	const char *dir = NULL;
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "fgsim plot: unknown option \"%s\"\nusage: fgsim plot DIR\n", argv[i]);
			return 2;
		}
		if (dir) {
			fprintf(stderr, "fgsim plot: one results folder at a time\nusage: fgsim plot DIR\n");
			return 2;
		}
		dir = argv[i];
	}
	if (!dir) {
		fprintf(stderr, "fgsim plot: no results folder given\nusage: fgsim plot DIR\n");
		return 2;
	}
	/* "results/x/" and "results/x" name the same folder; keep messages tidy. */
	char buf[4096];
	snprintf(buf, sizeof buf, "%s", dir);
	for (size_t n = strlen(buf); n > 1 && buf[n - 1] == '/'; n--)
		buf[n - 1] = 0;
	int rc = cmd_plot_folder(buf);
	/* 2: not a results folder (bad input); 1: a plot or the report could not be made */
	return rc == -2 ? 2 : rc ? 1 : 0;
}
