/* cmd_run.c - `fgsim run` and `fgsim check`: load and validate a scenario, then either
 * simulate every policy and write the results, or print what the scenario resolves to. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "burst_use.h"
#include "check.h"
#include "cmd.h"
#include "experiment.h"
#include "options.h"
#include "footprint.h"
#include "load.h"
#include "numfmt.h"
#include "outdir.h"
#include "output.h"
#include "promos.h"
#include "queueing.h"
#include "scenario_load.h"
#include "signals.h"
#include "units.h"

/* What run and check take; check only reads the scenario, so it has no output, threads
 * or seed to choose. */
static const cli_command run_command = {
	.name = "run",
	.accepts = OPT_SET | OPT_OUTDIR | OPT_THREADS | OPT_SEED | OPT_QUIET | OPT_MAX_MEMORY |
		   OPT_FORCE | OPT_UNSET | OPT_POLICY_ADD,
};
static const cli_command check_command = {
	.name = "check",
	.accepts = OPT_SET | OPT_MAX_MEMORY | OPT_FORCE | OPT_UNSET | OPT_POLICY_ADD,
};

/* The load that makes pool q's queue grow: with packing (load.h), which is the GPU
 * figure where nothing is left over. */
static double grows_load(const scenario *sc, int q)
{
	pool_load l;
	load_pool(sc, q, &l);
	return l.packed;
}

/* Prints each pool's stability warning (load.h) on stderr. */
static void warn_loads(const scenario *sc)
{
	char w[512];
	for (int q = 0; q < sc->npools; q++)
		if (load_warning(sc, q, w, sizeof w))
			fprintf(stderr, "warning: %s\n", w);
}

/* The memory estimate against the cap (--max-memory, else half the physical memory):
 * printed by check (verbose), and a run or check over the cap is refused unless forced.
 * Returns 0, or 2 with the message, placed at the setting that drives the estimate, on
 * stderr. */
static int memory_gate(const scenario *sc, const cli_opts *o, int threads, int verbose)
{
	footprint_estimate e;
	FG_ASSERT(threads >= 1 && o->max_memory >= 0);
	footprint_estimate_run(sc, threads, &e);
	double cap = o->max_memory > 0 ? o->max_memory : footprint_default_cap();
	char total[32], job[32], worker[32], res[32], capb[32], place[4200], why[512];
	const char *capwhy = o->max_memory > 0 ? "--max-memory" : "half of this machine's physical memory";
	/* Every figure is formatted here, whether or not it is printed below: the messages
	 * for an estimate over the cap use them too (run, not verbose, printed stack bytes). */
	footprint_format(e.total, total, sizeof total);
	footprint_format(cap, capb, sizeof capb);
	footprint_format(e.per_worker, worker, sizeof worker);
	footprint_format(e.results, res, sizeof res);
	if (verbose)
		printf("memory: about %s at peak on %d thread%s (%.4g jobs in the system per replication, %.0f bytes each; "
		       "%s per thread; %s of results); cap %s (%s)\n",
		       total, e.workers, e.workers == 1 ? "" : "s", e.running + e.queued, e.bytes_per_job, worker, res,
		       cap > 0 ? capb : "none", cap > 0 ? capwhy : "the machine does not say how much memory it has");
	if (!(cap > 0) || e.total <= cap)
		return 0;
	const char *culprit = footprint_culprit(&e);
	FG_ASSERT(culprit && culprit[0]); /* an estimate over the cap has a setting to blame */
	if (!strcmp(culprit, "run.replications"))
		snprintf(why, sizeof why, "%d policies x %d replications keep %s of figures", sc->npolicies, sc->replications,
			 res);
	else if (!strcmp(culprit, "run.horizon") && e.grows_pool >= 0)
		snprintf(why, sizeof why,
			 "pool %s's offered load %.3g >= 1, so its queue grows through the run, to about %.3g jobs of %s each",
			 sc->pools[e.grows_pool].name, grows_load(sc, e.grows_pool), e.queued,
			 footprint_format(e.bytes_per_job, job, sizeof job));
	else if (!strcmp(culprit, "run.horizon"))
		snprintf(why, sizeof why, "about %.3g jobs in the system at once, %s each", e.running + e.queued,
			 footprint_format(e.bytes_per_job, job, sizeof job));
	else
		snprintf(why, sizeof why, "the program takes %s and the cluster's index and histograms %s per thread",
			 footprint_format(e.base, job, sizeof job), worker);
	scenario_place(sc, culprit, place, sizeof place);
	if (o->force) {
		fprintf(stderr, "warning: %s: estimated peak memory %s exceeds the cap %s (%s): %s; going on (--force)\n",
			place, total, capb, capwhy, why);
		return 0;
	}
	fprintf(stderr,
		"%s: estimated peak memory %s exceeds the cap %s (%s): %s; change %s, give --max-memory SIZE, or --force "
		"to run anyway\n",
		place, total, capb, capwhy, why, culprit);
	return 2;
}

/* Under the headline, per policy, the burst nodes its figures leaned on: a wait won
 * with rented nodes is paid for in burst_cost, and the reader should see it. */
static void print_burst_use(const experiment *e)
{
	const scenario *sc = e->sc;
	char text[320], name[SC_NAME_MAX + 2];
	burst_use u[SC_MAX_POLICIES];
	int any = 0, label = 0;
	for (int pi = 0; pi < sc->npolicies; pi++) {
		burst_use_of(e, pi, &u[pi]);
		any |= u[pi].used;
		int len = (int)strlen(sc->policies[pi].label);
		label = len > label ? len : label;
	}
	if (!any) {
		printf("burst nodes: none used\n");
		return;
	}
	printf("burst nodes (peak: the most at once in any replication; "
	       "GPU-hours and cost: means):\n");
	for (int pi = 0; pi < sc->npolicies; pi++) {
		snprintf(name, sizeof name, "%s:", sc->policies[pi].label);
		printf("  %-*s  %s\n", label + 1, name,
		       u[pi].used ? burst_use_format(sc, &u[pi], text, sizeof text) : "none");
	}
}

/* Writes the results of e into the staging folder of od and, with plots on, draws them
 * and the report there. Returns 0, or -1 with the message on stderr. */
/* A replayed trace: how many jobs arrived, as summary.csv's arrivals (policy 1, "all")
 * says. The rows before the horizon (printed before the run) are not that number: scale
 * thins or copies them, one draw per replication, and the warm-up's arrivals are not
 * counted. Every policy sees the same jobs, so the first policy's count is the run's. */
static void print_trace_arrivals(const experiment *e)
{
	const scenario *sc = e->sc;
	double sum = 0;
	char n[64], rows[64];
	for (int r = 0; r < sc->replications; r++)
		sum += experiment_rep(e, 0, r)->v[0][M_arrivals];
	double mean = sum / sc->replications;
	numfmt(mean, mean == floor(mean) ? 0 : 1, n, sizeof n);
	numfmt((double)sc->trace_jobs, 0, rows, sizeof rows);
	printf("trace: %s jobs arrived%s (%s over %d replications; %s rows before the horizon", n,
	       sc->warmup > 0 ? " after the warm-up" : "", sc->replications > 1 ? "mean" : "count",
	       sc->replications, rows);
	if (sc->scale != 1)
		printf(", each replayed %g times on average", sc->scale);
	printf(")\n");
}

static int write_results(const experiment *e, const scenario *sc, const outdir *od, int quiet, int argc, char **argv)
{
	char err[1024];
	FG_ASSERT(od->stage[0] && e->sc->npolicies == sc->npolicies); /* staged, results of sc */
	if (output_write(e, od->stage, argc, argv, err, sizeof err)) {
		outdir_tidy_message(err, sizeof err, od->stage, od->dir);
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	if (!quiet && sc->trace)
		print_trace_arrivals(e);
	if (!quiet)
		output_headline(e, stdout);
	if (!quiet && sc->has_burst)
		print_burst_use(e);
	return sc->plots ? cmd_plot_folder(od->stage, od->dir) : 0;
}

int cmd_run(int argc, char **argv)
{
	cli_opts o;
	scenario sc;
	char err[1024], dflt[4096];
	int prc = cli_parse(&o, &run_command, argc, argv);
	if (prc)
		return prc == 1 ? 0 : prc; /* 1: --help printed the help */
	if (scenario_load(&sc, o.scenario, o.ov, o.nov, err, sizeof err)) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	if (!o.outdir) {
		snprintf(dflt, sizeof dflt, "results/%s", sc.name);
		o.outdir = dflt;
	}
	o.threads = cli_threads(&o, &sc);
	/* Every refusal comes before the results folder is touched, so a refused run
	 * leaves the folder as it was. */
	if (memory_gate(&sc, &o, o.threads, 0)) {
		scenario_free(&sc);
		return 2;
	}
	if (sc.plots && cmd_plots_possible()) {
		scenario_free(&sc);
		return 1;
	}
	if (cli_signals("run")) {
		scenario_free(&sc);
		return 1;
	}
	/* Under MPI (bin/fgsim-mpi) every rank runs its share and rank 0 writes: it alone
	 * takes the folder's lock and stages the results. */
	int root = !experiment_spread_hook || experiment_spread_hook->rank == 0;
	outdir od;
	int brc = root ? outdir_begin(&od, o.outdir, OUTDIR_EMPTY, err, sizeof err) : 0;
	if (brc)
		fprintf(stderr, "%s\n", err);
	/* all ranks learn of rank 0's failure to take the folder, or they would run the
	 * whole experiment for nothing and wait for it at the first broadcast */
	if (experiment_agree(brc ? -1 : 0)) {
		scenario_free(&sc);
		return brc ? brc : 1;
	}
	warn_loads(&sc);
	if (sc.trace && !o.quiet)
		fprintf(stderr,
			"trace %s: %ld rows: %ld before the horizon, %ld after it, %ld skipped, %ld rejected\n",
			sc.trace_path, sc.trace_rows, sc.trace_jobs, sc.trace_late, sc.trace_skipped, sc.trace_rejected);
	if (sc.trace && sc.trace_first_bad[0])
		fprintf(stderr, "warning: %ld trace rows rejected and skipped, the first: %s\n", sc.trace_rejected,
			sc.trace_first_bad);
	if (sc.nodes_path[0] && !o.quiet)
		fprintf(stderr, "nodes %s: %ld rows, %d GPU pools, %ld CPU-only nodes left out\n", sc.nodes_path,
			sc.nodes_rows, sc.npools, sc.nodes_cpu_only);
	experiment e;
	int rc = experiment_run(&e, &sc, o.threads, o.quiet || !root, signals_flag());
	if (rc < 0 && e.error[0])
		fprintf(stderr, "fgsim run: %s\n", e.error);
	else if (rc < 0)
		fprintf(stderr, "fgsim run: out of memory\n");
	if (root && rc == 0 && !(rc = write_results(&e, &sc, &od, o.quiet, argc, argv)) &&
	    (rc = outdir_commit(&od, err, sizeof err)))
		fprintf(stderr, "%s\n", err);
	/* on every path: after a commit it only releases the lock; after a failure it also
	 * removes the staging folder, and the results folder keeps its old contents */
	if (root)
		outdir_abort(&od);
	if (rc == 0 && root)
		printf("results in %s/ (summary.csv, replications.csv%s, wait_hist.csv%s%s, run.json%s)\n",
		       o.outdir, sc.npolicies > 1 ? ", compare.csv" : "", sc.timeseries_step > 0 ? ", timeseries.csv" : "",
		       sc.jobs_csv ? ", jobs.csv" : "", sc.plots ? ", plots/, report.html" : "");
	else if (signals_pending())
		fprintf(stderr, "fgsim run: stopped by signal %d after %.1f s; %s left as it was\n", signals_pending(),
			e.wall_seconds, o.outdir);
	else if (root)
		fprintf(stderr, "fgsim run: %s left as it was\n", o.outdir);
	experiment_free(&e);
	scenario_free(&sc);
	return rc == 0 ? 0 : cli_stopped_status(1);
}

/* A profile class: its steps, and per pool the expected service time and where the
 * step time comes from (measured or derived, and by which method). */
static void print_profile_class(const scenario *sc, int k, const char *pat)
{
	const class_spec *c = &sc->classes[k];
	char d[128], how[256];
	double gpus = c->gpus_milli / 1000.0;
	printf("class %s: share %g, priority %d, %g GPUs, profile %s x steps %s (mean %.6g), patience %s, %.6g arrivals/h\n",
	       c->name, c->share, c->priority, gpus, c->svc.profile.name, dist_format(&c->steps, d, sizeof d), c->steps.mean,
	       pat, scenario_class_rate(sc, k) * 3600);
	for (int i = 0; i < c->npools; i++) {
		int q = c->pools[i], g = c->pool_gpu[q];
		printf("  on pool %s (%s): service %.6g s expected, %.4g ms a step; %s\n", sc->pools[q].name,
		       sc->pools[q].gpu, service_expected_time(&c->svc, g, gpus, c->steps.mean),
		       1e3 * service_step_time(&c->svc, g, gpus), service_describe(&c->svc, g, how, sizeof how));
	}
}

/* error as a signed percentage in numfmt's style: "+1.2%", "-20.0%". */
static const char *percent(double error, char *buf, size_t len)
{
	char n[64];
	snprintf(buf, len, "%s%s%%", error > 0 ? "+" : "", numfmt(100 * error, 1, n, sizeof n));
	return buf;
}

/* A calibration file: measured or derived; for a measured one the method that made it
 * and its two checks, whole steps against the sum of their kernels (fidelity) and
 * against a framework nobody here wrote (reference), so that a planner sees how far the
 * step times it prices can be trusted. */
static void print_calibration(const calib_table *t)
{
	char a[64], b[64], e[64];
	if (!t->measured) {
		printf("calibration %s: %s: derived, not measured (derived_from %s)\n", t->gpu, t->path, t->derived_from);
		return;
	}
	printf("calibration %s: %s: measured on %s, driver %s, CUDA %s, %s\n", t->gpu, t->path, t->device_name,
	       t->driver[0] ? t->driver : "?", t->cuda_runtime[0] ? t->cuda_runtime : "?", t->date);
	printf("  method %d (%s)\n", t->method.version,
	       t->method.version >= 2 ? "read-only L2 flush, SM clock per sample, whole steps layer by layer"
				      : "the first: L2 flushed by a memset, whole steps on one buffer");
	/* decimals per row: a 9 ms decode step and a 62 s fine-tuning step in one list */
	for (int i = 0; i < t->nfidelity; i++) {
		const calib_fidelity *f = &t->fidelity[i];
		int dec = numfmt_decimals(fmax(f->measured_us, f->predicted_us) / 1e3);
		printf("  fidelity %s (as recorded): whole step %s ms, its kernels' sum %s ms, error %s", f->profile,
		       numfmt(f->measured_us / 1e3, dec, a, sizeof a), numfmt(f->predicted_us / 1e3, dec, b, sizeof b),
		       percent(f->error, e, sizeof e));
		if (f->nentries)
			printf(" (%d entries timed inside the step)", f->nentries);
		printf("\n");
	}
	for (int i = 0; i < t->nreference; i++) {
		const calib_reference *r = &t->reference[i];
		int dec = numfmt_decimals(fmax(r->measured_us, r->predicted_us) / 1e3);
		if (r->measured_us > 0)
			printf("  reference %s: %s %s ms, predicted %s ms, error %s\n", r->profile, r->framework,
			       numfmt(r->measured_us / 1e3, dec, a, sizeof a), numfmt(r->predicted_us / 1e3, dec, b, sizeof b),
			       percent(r->error, e, sizeof e));
		else
			printf("  reference %s: %s: none (%s)\n", r->profile, r->framework, r->note);
	}
}

int cmd_check(int argc, char **argv)
{
	cli_opts o;
	scenario sc;
	char err[1024], buf[192];
	int prc = cli_parse(&o, &check_command, argc, argv);
	if (prc)
		return prc == 1 ? 0 : prc; /* 1: --help printed the help */
	if (scenario_load(&sc, o.scenario, o.ov, o.nov, err, sizeof err)) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	printf("scenario %s (%s): valid\n", sc.name, sc.path);
	printf("run: horizon %s, warm-up %s, %d replications, seed %llu, confidence %g\n",
	       units_format_duration(sc.horizon, buf, sizeof buf),
	       sc.warmup_auto ? "auto (MSER-5 on a pilot replication)" : units_format_duration(sc.warmup, buf + 64, 64),
	       sc.replications, (unsigned long long)sc.seed, sc.confidence);
	if (sc.precision.nmetrics) {
		const precision_spec *ps = &sc.precision;
		char scope[SC_NAME_MAX + 16];
		printf("precision: add replications (up to %d) until the half-width of", ps->max_replications);
		for (int k = 0; k < ps->nmetrics; k++)
			printf("%s %s", k ? "," : "", metric_names[ps->metric[k]]);
		printf(" (%s) is within ", scope_name(&sc, ps->scope, scope, sizeof scope));
		if (ps->relative > 0)
			printf("%g%% of the mean for every policy\n", 100 * ps->relative);
		else
			printf("%g for every policy\n", ps->absolute);
	}
	if (sc.trace)
		printf("arrivals: replayed from %s (%ld rows: %ld jobs before the horizon, %ld after it, %ld skipped, %ld "
		       "rejected), %.6g/h on average%s\n",
		       sc.trace_path, sc.trace_rows, sc.trace_jobs, sc.trace_late, sc.trace_skipped, sc.trace_rejected,
		       sc.rate * 3600, sc.speedup != 1 ? ", time compressed" : "");
	else
		printf("arrivals: %.6g/h%s%s\n", sc.rate * 3600,
		       sc.has_profile ? " x daily profile" : "",
		       sc.has_weekly ? " x weekly profile" : "");
	/* the weekday of day 0 matters only where a weekly profile reads it */
	if (sc.has_weekly)
		printf("  weekly profile (monday first): %g %g %g %g %g %g %g; day 0 is a %s\n",
		       sc.weekly_profile[0], sc.weekly_profile[1], sc.weekly_profile[2],
		       sc.weekly_profile[3], sc.weekly_profile[4], sc.weekly_profile[5],
		       sc.weekly_profile[6],
		       promos_weekdays[sc.start_weekday]);
	if (sc.trace && sc.trace_first_bad[0])
		printf("arrivals: %ld rows rejected and skipped, the first: %s\n", sc.trace_rejected, sc.trace_first_bad);
	if (sc.trace && (sc.scale != 1 || sc.speedup != 1))
		printf("arrivals: trace time divided by speedup %g, each row replayed scale %g times on average\n", sc.speedup,
		       sc.scale);
	if (sc.nodes_path[0])
		printf("cluster: read from %s (%ld rows: %d GPU pools, %ld CPU-only nodes left out)\n", sc.nodes_path,
		       sc.nodes_rows, sc.npools, sc.nodes_cpu_only);
	for (int i = 0; i < sc.ncalib; i++) /* say which numbers are measured and which derived */
		print_calibration(&sc.calib[i]);
	for (int k = 0; k < sc.nclasses; k++) {
		const class_spec *c = &sc.classes[k];
		char d[128], pat[128] = "never", mean[64];
		if (c->has_patience)
			dist_format_time(&c->patience, pat, sizeof pat);
		const char *unit; /* a trace's mean is a measurement: a few figures in a fitting unit */
		double per = numfmt_time_unit(c->service.mean, &unit);
		char num[48];
		snprintf(mean, sizeof mean, "%s %s",
			 numfmt(c->service.mean / per, numfmt_decimals(c->service.mean / per), num, sizeof num),
			 unit);
		if (sc.trace)
			printf("class %s: %.4g%% of the trace's jobs, priority %d, mean duration %s, patience %s\n", c->name,
			       100 * c->share, c->priority, mean, pat);
		else if (c->has_steps)
			print_profile_class(&sc, k, pat);
		else
			printf("class %s: share %g, priority %d, %g GPUs, service %s, patience %s, %.6g arrivals/h\n",
			       c->name, c->share, c->priority, c->gpus_milli / 1000.0,
			       dist_format_time(&c->service, d, sizeof d), pat, scenario_class_rate(&sc, k) * 3600);
		if (c->has_balking)
			printf("  balking: P = 1 - exp(-(posted wait / %s) x price factor^%g)\n",
			       units_format_duration(c->balk_wait_scale, buf, 64), c->balk_price_elasticity);
		if (c->ckpt_every > 0) /* "auto": the interval Young's formula chose, to check by hand */
			printf("  checkpoint: every %s%s, cost %s, restart %s\n", units_format_duration(c->ckpt_every, buf, 64),
			       c->ckpt_auto ? " (auto: Young's sqrt(2 x cost x MTBF))" : "",
			       units_format_duration(c->ckpt_cost, buf + 64, 64),
			       units_format_duration(c->ckpt_restart, buf + 128, 64));
		if (sc.has_faults)
			printf("  on a failure or reclamation: %s%s\n", c->on_failure ? "fail" : "requeue",
			       c->spot ? "; may run on spot pools" : "");
	}
	if (sc.tenant_weight || sc.quota_milli) {
		printf("tenants: %d, fair-share weights %s", sc.ntenants, sc.tenant_weight ? "given" : "equal");
		if (sc.quota_milli)
			printf(", quota %g GPUs each", sc.quota_milli / 1000.0);
		printf("\n");
	}
	for (int i = 0; i < sc.npromos; i++) {
		const promo_spec *p = &sc.promos[i];
		printf("promotion %s: from %s for %s", p->name,
		       units_format_duration(p->start, buf, 64),
		       units_format_duration(p->duration, buf + 64, 64));
		if (p->repeat > 0) /* nocc: the occurrences that start before the horizon */
			printf(", every %s, %d time%s in the run",
			       units_format_duration(p->repeat, buf, 64), p->nocc,
			       p->nocc == 1 ? "" : "s");
		printf(", %.0f%% off, demand x%.4g", 100 * p->discount, p->demand);
		if (p->occ_scopes > 0) /* the pooled window:NAME, and these one by one */
			printf(" (scopes window:%s#1 to #%d)", p->name, p->occ_scopes);
		printf("\n");
	}
	printf("policies:");
	for (int i = 0; i < sc.npolicies; i++)
		if (sc.policies[i].kind == POLICY_PLUGIN)
			printf(" %s (plugin %s)", sc.policies[i].label, sc.policies[i].plugin_path);
		else
			printf(" %s", sc.policies[i].label);
	printf("\n");
	if (sc.place_plugin.plugin && sc.place_plugin.plugin_path[0])
		printf("placement: %s (plugin %s)\n", sc.place_plugin.name, sc.place_plugin.plugin_path);
	else if (sc.place_plugin.plugin)
		printf("placement: %s\n", sc.place_plugin.name);
	for (int q = 0; q < sc.npools; q++) {
		const pool_spec *p = &sc.pools[q];
		pool_load pl;
		load_pool(&sc, q, &pl);
		double load = pl.gpus;
		if (p->nsizes) { /* from a node list, nodes of several sizes */
			printf("pool %s: %d nodes (", p->name, p->nodes);
			for (int i = 0; i < p->nsizes; i++)
				printf("%s%d x %d", i ? " + " : "", p->size[i].nodes, p->size[i].gpus);
			printf(" GPUs) = %ld %s GPUs, offered load %.4f", scenario_pool_gpus(&sc, q), p->gpu, load);
		} else {
			printf("pool %s: %d nodes x %d %s GPUs, offered load %.4f", p->name, p->nodes, p->gpus_per_node, p->gpu,
			       load);
		}
		/* where jobs leave GPUs idle (5 GPUs of 8, gangs of an odd node count), the
		 * GPU figure alone looks safe: the load what fits on the nodes gives */
		if (fabs(pl.packed - pl.gpus) > 5e-5 * pl.packed)
			printf(" of GPUs, %.4f of what packing allows", pl.packed);
		/* Erlang C applies when the pool sees one-GPU jobs with exponential service from
		 * one Poisson stream: then it is exactly M/M/c with c = its GPUs. */
		int mmc_like = sc.nclasses == 1 && !sc.has_profile && sc.npromos == 0 && sc.npools == 1 &&
			       sc.classes[0].gpus_milli == 1000 && sc.classes[0].service.kind == DIST_EXPONENTIAL &&
			       !sc.classes[0].has_patience && !sc.has_burst && !sc.has_balking && !sc.quota_milli && !sc.has_faults;
		qt_mmc m;
		if (mmc_like && !qt_mmc_solve(sc.rate, 1 / sc.classes[0].service.mean, (int)scenario_pool_gpus(&sc, q), &m))
			printf(", Erlang C: P(wait>0) %.6g, mean wait %.6g s, mean queue %.6g", m.p_wait, m.wq, m.lq);
		printf("\n");
		if (p->has_failures)
			printf("  failures: mtbf %s, repair %s: available %.4g of the time\n",
			       dist_format_time(&p->fail_gap, buf, 64), dist_format_time(&p->repair, buf + 64, 64),
			       p->fail_gap.mean / (p->fail_gap.mean + p->repair.mean));
		if (p->spot)
			printf("  spot: reclaimed after %s with %s notice, back after %s\n",
			       dist_format_time(&p->reclaim, buf, 64), units_format_duration(p->notice, buf + 64, 64),
			       dist_format_time(&p->spot_return, buf + 128, 64));
		for (int w = 0; w < p->nmaint; w++)
			printf("  maintenance: %d node%s out for %s from %s, %s\n", p->maint[w].nodes,
			       p->maint[w].nodes == 1 ? "" : "s", units_format_duration(p->maint[w].duration, buf, 64),
			       units_format_duration(p->maint[w].start, buf + 64, 64),
			       p->maint[w].drain ? "drained first (no new work; each leaves when empty)"
						 : "their jobs interrupted at the start");
		if (p->reserved)
			printf("  reserved: paid for the whole horizon\n");
		if (p->burst_max && p->burst_forecast) /* the queue does not trigger it then */
			printf("  burst: up to %d nodes for the next hour's expected arrivals "
			       "(forecast, target %g)", p->burst_max, p->burst_target);
		else if (p->burst_max)
			printf("  burst: up to %d nodes when the expected wait exceeds %s",
			       p->burst_max, units_format_duration(p->burst_threshold, buf, 64));
		if (p->burst_max)
			printf(", start-up %s, %g %s/GPU-h, stop after %s idle\n",
			       units_format_duration(p->burst_startup, buf + 64, 64), p->burst_cost_per_gpu_hour,
			       sc.currency, units_format_duration(p->burst_cooldown, buf + 128, 64));
		if (p->burst_max && p->burst_prewarm > 0)
			printf("  burst: pre-warmed %s before each promotion its classes see "
			       "(target %g)\n",
			       units_format_duration(p->burst_prewarm, buf, 64), p->burst_target);
	}
	warn_loads(&sc);
	/* one thread: check judges the scenario, not the -j of some later run */
	int rc = memory_gate(&sc, &o, 1, 1);
	scenario_free(&sc);
	return rc;
}
