/* cmd_plot.c - `fgsim plot DIR`: redraws the plots and report.html of a results folder
 * from the files in it, the same path `fgsim run` takes once it has written them. Like
 * every command it replaces DIR as a whole (outdir.h): the new plots and report appear
 * together with the files they were drawn from, or not at all. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "gnuplot.h"
#include "outdir.h"
#include "report.h"
#include "results.h"
#include "options.h"
#include "signals.h"
#include "sweep_plots.h"
#include "sweep_report.h"

/* A sweep folder (sweep.csv, no summary.csv): its curves and its report page. */
static int plot_sweep_folder(const char *dir, const char *shown, FILE *warn)
{
	char err[1024];
	int n, drawn, rc = sweep_plots_folder(dir, warn, &n, &drawn, err, sizeof err);
	if (rc < 0) {
		fprintf(warn, "%s\n", err);
		return rc;
	}
	if (drawn < n) {
		fprintf(warn, "%d of %d plots could not be drawn\n", n - drawn, n);
		return -1;
	}
	if (sweep_report_write(dir, err, sizeof err)) {
		fprintf(warn, "%s\n", err);
		return -1;
	}
	printf("plots in %s/plots/ (%d drawn, PNG and SVG, each with its .gp script and .dat data)\n", shown, n);
	printf("report: %s/report.html\n", shown);
	return 0;
}

static int plot_results_folder(const char *dir, const char *shown, FILE *warn)
{
	char err[1024];
	report_info info;
	int rc = report_folder(dir, warn, &info, err, sizeof err);
	if (rc < 0) {
		fprintf(warn, "%s\n", err);
		return rc;
	}
	if (rc || info.drawn < info.plots) {
		fprintf(warn, "%d of %d plots could not be drawn\n", info.plots - info.drawn, info.plots);
		return -1;
	}
	printf("plots in %s/plots/ (%d drawn, PNG and SVG, each with its .gp script and .dat data)\n", shown, info.plots);
	printf("report: %s/report.html\n", shown);
	return 0;
}

int cmd_plots_possible(void)
{
	if (gnuplot_available())
		return 0;
	fprintf(stderr, "gnuplot not found: install gnuplot (make deps installs gnuplot-nox), or leave plots out "
			"with --set output.plots=false\n");
	return -1;
}

int cmd_plot_folder(const char *dir, const char *shown)
{
	char path[4200], *text = NULL;
	size_t len = 0;
	if (cmd_plots_possible())
		return -1;
	/* Messages name the folder the user knows, not the staging folder they are drawn in. */
	FILE *warn = open_memstream(&text, &len);
	if (!warn)
		return -1;
	int rc;
	snprintf(path, sizeof path, "%s/summary.csv", dir);
	if (access(path, F_OK) != 0 && (snprintf(path, sizeof path, "%s/sweep.csv", dir), access(path, F_OK) == 0))
		rc = plot_sweep_folder(dir, shown, warn);
	else
		rc = plot_results_folder(dir, shown, warn);
	if (fclose(warn) == 0 && text) {
		for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
			char buf[2048];
			snprintf(buf, sizeof buf, "%s", line);
			outdir_tidy_message(buf, sizeof buf, dir, shown);
			fprintf(stderr, "%s\n", buf);
		}
	}
	free(text);
	return signals_pending() ? -1 : rc;
}

int cmd_plot(int argc, char **argv)
{
	const char *dir = NULL;
	char err[1024], path[4200];
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
	/* Not a results folder: said before anything is staged (results_load's message). */
	snprintf(path, sizeof path, "%s/sweep.csv", buf);
	if (access(path, F_OK) != 0) {
		results r;
		int lrc = results_load(&r, buf, err, sizeof err);
		results_free(&r);
		if (lrc) {
			fprintf(stderr, "%s\n", err);
			return lrc == -2 ? 2 : 1;
		}
	}
	if (cli_signals("plot"))
		return 1;
	outdir od;
	int rc = outdir_begin(&od, buf, OUTDIR_KEEP, err, sizeof err);
	if (rc) {
		fprintf(stderr, "%s\n", err);
		return rc;
	}
	rc = cmd_plot_folder(od.stage, buf);
	if (rc == 0 && outdir_commit(&od, err, sizeof err)) {
		fprintf(stderr, "%s\n", err);
		rc = -1;
	}
	outdir_abort(&od);
	if (signals_pending()) {
		fprintf(stderr, "fgsim plot: stopped by signal %d; %s left as it was\n", signals_pending(), buf);
		return cli_stopped_status(1);
	}
	if (rc)
		fprintf(stderr, "fgsim plot: %s left as it was\n", buf);
	/* 2: not a results folder (bad input); 1: a plot or the report could not be made */
	return rc == -2 ? 2 : rc ? 1 : 0;
}
