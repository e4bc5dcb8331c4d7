/* cmd_fill.c - `fgsim fill SCENARIO`: the fill experiment of Weng et al. (ATC 2023) on
 * the scenario's node list and pod list, each placement and seed placing the pods one
 * by one until the arrived GPU demand reaches --until times the cluster's GPUs. */
#include "cmd.h"
#include "fill.h"
#include "fill_report.h"
#include "gpushare_read.h"
#include "names.h"
#include "numfmt.h"
#include "options.h"
#include "outdir.h"
#include "scenario_load.h"
#include "signals.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const cli_command fill_command = {
    .name = "fill",
    .accepts = OPT_OUTDIR | OPT_THREADS | OPT_QUIET | OPT_SET | OPT_UNSET | OPT_SEED | OPT_UNTIL |
	       OPT_SEEDS | OPT_PLACEMENTS | OPT_SHUFFLE};

/* fill's options into cfg: the parser checked --until and --seeds; the placements' names
 * are checked here, where they are known. Returns 0, or 2 after the usage. */
static int fill_options(const cli_opts *o, fill_cfg *cfg)
{
	if (o->until > 0)
		cfg->until = o->until;
	if (o->seeds > 0)
		cfg->seeds = o->seeds;
	cfg->shuffle = o->shuffle;
	if (!o->placements)
		return 0;
	char buf[256], msg[300];
	snprintf(buf, sizeof buf, "%s", o->placements);
	cfg->nplacements = 0;
	for (char *t = strtok(buf, ","); t; t = strtok(NULL, ",")) {
		int p = gs_placement_by_name(t);
		if (p < 0 || cfg->nplacements == GS_NPLACEMENTS) {
			snprintf(msg, sizeof msg,
				 "unknown placement \"%.60s\"; the placements: random, dot-product, "
				 "gpu-clustering, gpu-packing, best-fit-multi, fgd", t);
			return cli_usage(&fill_command, msg);
		}
		cfg->placements[cfg->nplacements++] = p;
	}
	if (cfg->nplacements == 0)
		return cli_usage(&fill_command, "--placements is empty");
	return 0;
}

int cmd_fill(int argc, char **argv)
{
	fill_cfg cfg = {.until = 1.3, .seeds = 10};
	cli_opts o;
	scenario sc;
	gs_cluster c = {0};
	gs_pod *pods = NULL;
	char err[1024], dflt[4096];
	for (int p = 0; p < GS_NPLACEMENTS; p++)
		cfg.placements[cfg.nplacements++] = p;
	int rc = cli_parse(&o, &fill_command, argc, argv);
	if (rc)
		return rc == 1 ? 0 : rc;
	if ((rc = fill_options(&o, &cfg)))
		return rc;
	if (scenario_load_pod_list(&sc, o.scenario, o.ov, o.nov, err, sizeof err)) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	if (!sc.nodes_path[0] || !sc.trace) {
		fprintf(stderr, "%s: fill needs cluster.nodes_file and workload.arrivals.file (an "
				"Alibaba node list and pod list)\n", sc.path);
		scenario_free(&sc);
		return 2;
	}
	long npods = 0;
	if (gs_read_nodes(&c, sc.nodes_path, err, sizeof err) ||
	    gs_read_pods(&c, sc.trace_path, &pods, &npods, err, sizeof err)) {
		fprintf(stderr, "%s\n", err);
		free(c.nodes);
		scenario_free(&sc);
		return 2;
	}
	if (!o.outdir) {
		snprintf(dflt, sizeof dflt, "results/%s-fill", sc.name);
		o.outdir = dflt;
	}
	cfg.cluster = &c;
	cfg.pods = pods;
	cfg.npods = npods;
	cfg.threads = o.threads;
	cfg.seed = sc.seed;
	rc = 1;
	outdir od;
	fill_result r;
	int have_r = 0;
	struct timespec t0, t1;
	if (cli_signals("fill") || cmd_plots_possible())
		goto out;
	if ((rc = outdir_begin(&od, o.outdir, OUTDIR_EMPTY, err, sizeof err))) {
		fprintf(stderr, "%s\n", err);
		goto out;
	}
	if (!o.quiet) {
		char a[32], b[32], d[32];
		fprintf(stderr,
			"fill: %s node%s, %s GPUs, %s pod%s; %d placement%s x %d seed%s to %g%%\n",
			numfmt(c.n, 0, a, sizeof a), c.n == 1 ? "" : "s",
			numfmt((double)(c.gpu_milli / GS_MILLI), 0, b, sizeof b),
			numfmt((double)npods, 0, d, sizeof d), npods == 1 ? "" : "s",
			cfg.nplacements, cfg.nplacements == 1 ? "" : "s", cfg.seeds,
			cfg.seeds == 1 ? "" : "s", 100 * cfg.until);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = 1;
	if (fill_run(&cfg, &r, signals_flag(), err, sizeof err)) {
		fprintf(stderr, "fgsim fill: %s\n", err);
	} else {
		have_r = 1;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (fill_write_csv(od.stage, &cfg, &r, sc.confidence, err, sizeof err) ||
		    fill_write_plots(od.stage, &cfg, &r, err, sizeof err) ||
		    outdir_commit(&od, err, sizeof err))
			fprintf(stderr, "fgsim fill: %s\n", err);
		else
			rc = 0;
	}
	outdir_abort(&od);
	if (rc == 0) {
		if (!o.quiet) {
			fill_print_table(stdout, &cfg, &r);
			fprintf(stderr, "simulated in %.2f s\n",
				(double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec));
		}
		printf("results in %s/ (fill.csv, plots/fill_alloc.png, plots/fill_frag.png)\n",
		       o.outdir);
	} else {
		fprintf(stderr, "fgsim fill: %s left as it was\n", o.outdir);
	}
out:
	if (have_r)
		fill_result_free(&r);
	free(pods);
	free(c.nodes);
	scenario_free(&sc);
	return rc == 0 ? 0 : cli_stopped_status(rc);
}
