/* cmd_sweep.c - `fgsim sweep`: the scenario at every point of the --vary keys' cartesian
 * product, each point a whole experiment saved on its own so that a sweep stopped by a
 * signal resumes where it stopped; then sweep.csv, run.json and the sweep plots. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "cmd.h"
#include "cmd_sweep.h"
#include "experiment.h"
#include "metrics.h"
#include "names.h"
#include "outdir.h"
#include "outfile.h"
#include "output.h"
#include "runjson.h"
#include "signals.h"
#include "sweep_files.h"
#include "sweep_plots.h"

static const cli_command sweep_command = {
	.name = "sweep",
	.accepts = OPT_SET | OPT_OUTDIR | OPT_THREADS | OPT_SEED | OPT_QUIET | OPT_VARY |
		   OPT_SCOPE | OPT_METRICS | OPT_HELP | OPT_UNSET | OPT_POLICY_ADD,
	.needs = OPT_VARY,
};

json_t *sweep_json_head(const scenario *sc, const sweep *s, int argc, char **argv)
{
	json_t *doc = output_json_preamble(sc, argc, argv), *vary = json_array();
	int bad = !doc || json_object_set_new(doc, "currency", runjson_string(sc->currency));
	bad |= json_object_set_new(doc, "seed", json_integer((json_int_t)sc->seed));
	bad |= json_object_set_new(doc, "replications", json_integer(sc->replications));
	bad |= json_object_set_new(doc, "confidence", runjson_number(sc->confidence, "%.10g"));
	for (int k = 0; k < s->nkeys; k++) {
		json_t *key = json_object(), *values = json_array();
		for (int v = 0; v < s->keys[k].nvalues; v++)
			bad |= json_array_append_new(values, runjson_string(s->keys[k].value[v]));
		bad |= json_object_set_new(key, "key", runjson_string(s->keys[k].key));
		bad |= json_object_set_new(key, "values", values);
		bad |= json_array_append_new(vary, key);
	}
	bad |= json_object_set_new(doc, "vary", vary);
	if (bad) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

int sweep_json_tail(FILE *f, json_t *doc, const scenario *sc)
{
	int rc = -1;
	errno = ENOMEM;
	if (doc && !json_object_set_new(doc, "scenario", runjson_config(config_root_setting(&sc->cfg))))
		rc = runjson_write(f, doc);
	json_decref(doc);
	return rc;
}

static double now_seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* "KEY=VALUE KEY=VALUE" for point p, for messages and the point file's first line. */
static void point_label(const sweep *s, long p, char *buf, size_t len)
{
	size_t n = 0;
	FG_ASSERT(len > 0 && p >= 0 && p < s->npoints);
	buf[0] = 0;
	for (int k = 0; k < s->nkeys && n < len; k++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s=%s", k ? " " : "", s->keys[k].key,
				      s->keys[k].value[sweep_value_index(s, p, k)]);
}

/* Checks --metrics and --scope against what the scenario reports (exit 2 on a
 * misspelling, with a suggestion); *kind_out is the kind of --scope (all without one). */
static int check_plot_choice(const sweep_opts *o, const scenario *sc, int *kind_out)
{
	char buf[512], scope[SC_NAME_MAX + 16];
	const char *names[MAX_SCOPES + 1];
	int kind = SCOPE_ALL;
	if (o->scope) {
		int ns = scope_count(sc), found = -1;
		FG_ASSERT(ns >= 1 && ns <= MAX_SCOPES); /* "all" at least; names[] has room */
		for (int s = 0; s < ns; s++) {
			scope_name(sc, s, scope, sizeof scope);
			if (!(names[s] = strdup(scope)))
				return 2;
			if (!strcmp(scope, o->scope))
				found = s;
		}
		names[ns] = NULL;
		char hint[NAMES_HINT_MAX], valid[1024];
		if (found < 0)
			fprintf(stderr, "--scope %s: no such scope in %s%s; valid: %s\n", o->scope,
				sc->path, names_hint(o->scope, names, hint, sizeof hint),
				scope_choices(sc, valid, sizeof valid));
		for (int s = 0; s < ns; s++)
			free((char *)names[s]);
		if (found < 0)
			return 2;
		kind = scope_kind_of(sc, found);
	}
	*kind_out = kind;
	if (!o->metrics)
		return 0;
	snprintf(buf, sizeof buf, "%s", o->metrics);
	for (char *save, *m = strtok_r(buf, ",", &save); m; m = strtok_r(NULL, ",", &save)) {
		int id = -1;
		for (int i = 0; i < M_COUNT; i++)
			if (!strcmp(metric_names[i], m))
				id = i;
		char valid[1024];
		if (id < 0) {
			char hint[NAMES_HINT_MAX];
			fprintf(stderr, "--metrics: unknown metric \"%s\"%s; valid: %s\n", m,
				names_hint_n(m, metric_names, M_COUNT, hint, sizeof hint),
				metric_choices(kind, valid, sizeof valid));
			return 2;
		}
		if (!metric_applies((metric_id)id, (scope_kind)kind)) {
			fprintf(stderr, "--metrics: %s is not reported for scope %s (only for %s)\n", m,
				o->scope ? o->scope : "all",
				metric_scope_kinds((metric_id)id, valid, sizeof valid));
			return 2;
		}
	}
	return 0;
}

/* The default plot metrics that scope kind `kind` reports, comma-separated, into buf:
 * a class scope has no utilization or profit, and a sweep given --scope alone should
 * not warn about metrics the user never asked for. */
static const char *default_metrics(int kind, char *buf, size_t len)
{
	char all[] = SWEEP_PLOT_DEFAULT_METRICS;
	size_t n = 0;
	buf[0] = 0;
	for (char *save, *m = strtok_r(all, ",", &save); m; m = strtok_r(NULL, ",", &save))
		for (int i = 0; i < M_COUNT; i++)
			if (!strcmp(metric_names[i], m) && metric_applies((metric_id)i, (scope_kind)kind) &&
			    n < len)
				n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? "," : "", m);
	return buf;
}

static int write_run_json(const sweep_opts *o, const scenario *sc, const char *dir, int argc, char **argv, int ran,
			  double wall, double events, const uint64_t *ids)
{
	outfile j;
	if (outfile_open(&j, dir, "run.json"))
		return -1;
	json_t *doc = sweep_json_head(sc, &o->vary, argc, argv);
	int bad = !doc || json_object_set_new(doc, "points", json_integer(o->vary.npoints));
	bad |= json_object_set_new(doc, "points_run", json_integer(ran));
	bad |= json_object_set_new(doc, "points_reused", json_integer(o->vary.npoints - ran));
	bad |= json_object_set_new(doc, "plot_metrics",
				   runjson_string(o->metrics ? o->metrics : SWEEP_PLOT_DEFAULT_METRICS));
	bad |= json_object_set_new(doc, "plot_scope", runjson_string(o->scope ? o->scope : "all"));
	bad |= json_object_set_new(doc, "threads", json_integer(o->threads));
	bad |= json_object_set_new(doc, "wall_seconds", runjson_number(wall, "%.6f"));
	bad |= json_object_set_new(doc, "events", runjson_number(events, "%.0f"));
	/* which points/ID files hold each point, in point order (the report reads them) */
	json_t *idl = json_array();
	for (long p = 0; idl && p < o->vary.npoints; p++) {
		char hex[20];
		snprintf(hex, sizeof hex, "%016llx", (unsigned long long)ids[p]);
		bad |= json_array_append_new(idl, json_string(hex));
	}
	bad |= json_object_set_new(doc, "point_ids", idl);
	if (bad) {
		json_decref(doc);
		outfile_abort(&j);
		errno = ENOMEM;
		return -1;
	}
	if (sweep_json_tail(j.f, doc, sc)) {
		int e = errno;
		outfile_abort(&j);
		errno = e;
		return -1;
	}
	return outfile_commit(&j);
}

int cmd_sweep(int argc, char **argv)
{
	sweep_opts o;
	scenario sc;
	char err[1024] = "", dflt[4096], what[1024], dmetrics[128];
	int rc = 2, ran = 0, loaded = 0, staged = 0;
	outdir od;
	uint64_t *ids = NULL;
	double *conf = NULL; /* each point's confidence: run.confidence may be a varied key */
	double t0 = now_seconds(), events = 0;
	if ((rc = cli_parse(&o, &sweep_command, argc, argv))) {
		rc = rc == 1 ? 0 : 2;
		goto done;
	}
	rc = 2;
	/* Every point is loaded (and so validated) before anything runs or is written: a
	 * bad value at the last point is an input error, not a crash an hour in. */
	ids = calloc((size_t)o.vary.npoints, sizeof *ids);
	conf = calloc((size_t)o.vary.npoints, sizeof *conf);
	if (!ids || !conf) {
		fprintf(stderr, "fgsim sweep: out of memory\n");
		rc = 1;
		goto done;
	}
	/* backwards, so that the scenario kept at the end of the loop is point 0's */
	for (long p = o.vary.npoints - 1; p >= 0; p--) {
		if (sweep_load(&o.vary, p, o.scenario, o.ov, o.nov, &sc, err, sizeof err)) {
			fprintf(stderr, "%s\n", err);
			goto done;
		}
		ids[p] = sweep_identity(&sc);
		conf[p] = sc.confidence;
		if (p)
			scenario_free(&sc);
	}
	loaded = 1; /* sc is point 0: its name, output settings and run.json */
	int kind;
	if (check_plot_choice(&o, &sc, &kind))
		goto done;
	if (!o.metrics)
		o.metrics = default_metrics(kind, dmetrics, sizeof dmetrics);
	if (!o.outdir) {
		snprintf(dflt, sizeof dflt, "results/%s-sweep", sc.name);
		o.outdir = dflt;
	}
	if (sc.plots && cmd_plots_possible()) {
		rc = 1;
		goto done;
	}
	if (cli_signals("sweep")) {
		rc = 1;
		goto done;
	}
	/* Under MPI (bin/fgsim-mpi) rank 0 alone looks at and writes the output folder: it
	 * says which points are saved, every rank runs its share of the others, rank 0
	 * saves them, and every rank agrees on each step's status before the next. Points
	 * are saved beside the folder (outdir.h), so that an interrupted sweep resumes. */
	int root = experiment_is_root(), brc = 0;
	if (root && !(brc = outdir_begin(&od, o.outdir, OUTDIR_EMPTY, err, sizeof err))) {
		staged = 1;
		brc = outdir_points_begin(&od, err, sizeof err) ? 1 : 0;
	}
	if (brc)
		fprintf(stderr, "%s\n", err);
	if (experiment_agree(brc ? -1 : 0)) {
		rc = brc ? brc : 1;
		goto done;
	}
	int talk = root && !o.quiet && isatty(STDERR_FILENO);
	rc = 0;
	for (long p = 0; p < o.vary.npoints && !rc; p++) {
		point_label(&o.vary, p, what, sizeof what);
		/* rank 0 alone reads the points folder; the others take its word, so all
		 * ranks skip or run the same points */
		int saved = root && sweep_point_saved(od.points, ids[p]) == 0;
		if (experiment_from_root(&saved, sizeof saved)) {
			rc = 1;
			break;
		}
		if (saved) {
			if (talk)
				fprintf(stderr, "point %ld/%ld %s: done before, reused\n", p + 1, o.vary.npoints, what);
			continue;
		}
		scenario psc;
		experiment e;
		/* loaded again, not kept from the check: one scenario at a time in memory,
		 * however many points the sweep has */
		int lrc = sweep_load(&o.vary, p, o.scenario, o.ov, o.nov, &psc, err, sizeof err);
		if (lrc)
			fprintf(stderr, "%s\n", err); /* the files changed since the check */
		if (experiment_agree(lrc ? -1 : 0)) {
			if (!lrc)
				scenario_free(&psc);
			rc = 2;
			break;
		}
		if (talk)
			fprintf(stderr, "point %ld/%ld %s\n", p + 1, o.vary.npoints, what);
		int erc = sweep_experiment(&e, &psc, cli_threads(&o, &psc), o.quiet || !root, signals_flag());
		events += e.events;
		if (erc == 0 && root && sweep_point_save(od.points, ids[p], what, &e)) {
			fprintf(stderr, "%s: cannot save point %s: %s\n", od.points, what, strerror(errno));
			erc = signals_pending() ? 1 : -1;
		}
		erc = experiment_agree(erc); /* rank 0's save; a stop or failure anywhere */
		if (erc == 1)
			fprintf(stderr, "fgsim sweep: stopped by signal %d; %ld of %ld points saved: run the same command again "
					"to resume; %s left as it was\n",
				signals_pending(), p, o.vary.npoints, o.outdir);
		else if (erc < 0 && e.error[0])
			fprintf(stderr, "fgsim sweep: point %s failed: %s\n", what, e.error);
		else if (erc < 0)
			fprintf(stderr, "fgsim sweep: point %s failed\n", what);
		rc = erc == 1 ? 128 + signals_pending() : erc ? 1 : 0;
		ran += erc == 0;
		FG_ASSERT(ran <= p + 1); /* a point is run at most once */
		experiment_free(&e);
		scenario_free(&psc);
	}
	if (rc || !root)
		goto done;
	rc = 1;
	if (outdir_points_carry(&od, err, sizeof err) || sweep_write_csv(&o.vary, od.stage, ids, err, sizeof err) ||
	    sweep_write_compare(&o.vary, od.stage, ids, conf, err, sizeof err) ||
	    write_run_json(&o, &sc, od.stage, argc, argv, ran, now_seconds() - t0, events, ids)) {
		if (!err[0])
			snprintf(err, sizeof err, "%.900s/run.json: cannot write: %s", od.stage, strerror(errno));
		outdir_tidy_message(err, sizeof err, od.stage, o.outdir);
		fprintf(stderr, "%s\n", err);
		goto done;
	}
	if (sc.plots && cmd_plot_folder(od.stage, o.outdir))
		goto done;
	if (outdir_commit(&od, err, sizeof err)) {
		fprintf(stderr, "%s\n", err);
		goto done;
	}
	rc = 0;
	printf("results in %s/ (sweep.csv, sweep_compare.csv, run.json%s; "
	       "%ld points: %d run, %ld reused)\n",
	       o.outdir, sc.plots ? ", plots/, report.html" : "", o.vary.npoints, ran,
	       o.vary.npoints - ran);
done:
	if (staged && rc && !signals_pending())
		fprintf(stderr, "fgsim sweep: %s left as it was\n", o.outdir);
	if (staged)
		outdir_abort(&od);
	if (rc)
		rc = cli_stopped_status(rc);
	if (loaded)
		scenario_free(&sc);
	free(ids);
	free(conf);
	sweep_free(&o.vary);
	return rc;
}
