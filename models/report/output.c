/* output.c - an experiment's result files: the CSVs, printed by hand with %.10g so that
 * the same seed gives the same bytes, and run.json, built as a jansson tree (runjson.h);
 * wall-clock figures go only into run.json. */
#include "output.h"
#include "numfmt.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "check.h"
#include "footprint.h"
#include "load.h"
#include "names.h"
#include "outfile.h"
#include "pf_features.h"
#include "platform.h"
#include "ranking.h"
#include "rng.h"
#include "stats.h"

#ifndef FGSIM_VERSION
#define FGSIM_VERSION "0.1.0"
#endif

/* Quoted only when it must be (RFC 4180: a comma, quote or line break; and leading or
 * trailing blanks, which some readers strip), so the common cell stays bare and the
 * files stay the bytes they have always been. */
void output_csv_cell(FILE *f, const char *text)
{
	size_t n = strlen(text);
	if (!strpbrk(text, ",\"\n\r") && !(n && (isspace((unsigned char)text[0]) || isspace((unsigned char)text[n - 1])))) {
		fputs(text, f);
		return;
	}
	fputc('"', f);
	for (; *text; text++) {
		if (*text == '"')
			fputc('"', f);
		fputc(*text, f);
	}
	fputc('"', f);
}

/* The first cells of a summary, replications or compare row: a policy's label, then
 * (after the replication, when rep >= 0) a scope's name, each quoted if it must be. */
static void put_label_scope(FILE *f, const scenario *sc, int pi, int rep, int s)
{
	char scope[SC_NAME_MAX + 8];
	FG_ASSERT(pi >= 0 && pi < sc->npolicies && s >= 0 && s < scope_count(sc));
	output_csv_cell(f, sc->policies[pi].label);
	if (rep >= 0)
		fprintf(f, ",%d", rep);
	fputc(',', f);
	output_csv_cell(f, scope_name(sc, s, scope, sizeof scope));
	fputc(',', f);
}

/* A number, or nothing for an undefined value (an empty cell reads as missing in
 * spreadsheets and pandas alike). */
static void put_num(FILE *f, double x)
{
	if (isfinite(x))
		fprintf(f, "%.10g", x);
}

/* mean, half-width and n of one metric across replications of one policy */
static size_t metric_ci(const experiment *e, int pi, int scope, int m, double *mean, double *hw)
{
	const scenario *sc = e->sc;
	FG_ASSERT(sc->replications >= 1); /* the loader's bound: no zero-length array */
	double x[sc->replications];
	for (int r = 0; r < sc->replications; r++)
		x[r] = experiment_rep(e, pi, r)->v[scope][m];
	return stat_ci(x, (size_t)sc->replications, sc->confidence, mean, hw);
}

/* A row of summary.csv or compare.csv: policy,scope,metric,mean,half_width,n. */
static void put_ci_row(FILE *f, const scenario *sc, int pi, int s, int m, double mean, double hw, size_t n)
{
	put_label_scope(f, sc, pi, -1, s);
	fprintf(f, "%s,", metric_names[m]);
	put_num(f, mean);
	fputc(',', f);
	put_num(f, hw);
	fprintf(f, ",%zu\n", n);
}

static void write_summary(const experiment *e, FILE *f)
{
	const scenario *sc = e->sc;
	fputs("policy,scope,metric,mean,half_width,n\n", f);
	for (int pi = 0; pi < sc->npolicies; pi++)
		for (int s = 0; s < scope_count(sc); s++)
			for (int m = 0; m < M_COUNT; m++) {
				if (!metric_shown(sc, (metric_id)m, scope_kind_of(sc, s)))
					continue;
				double mean, hw;
				size_t n = metric_ci(e, pi, s, m, &mean, &hw);
				put_ci_row(f, sc, pi, s, m, mean, hw, n);
			}
}

const char output_replications_header[] = "policy,replication,scope,metric,value\n";

void output_replications(const experiment *e, FILE *f, int digits)
{
	const scenario *sc = e->sc;
	fputs(output_replications_header, f);
	for (int pi = 0; pi < sc->npolicies; pi++)
		for (int r = 0; r < sc->replications; r++)
			for (int s = 0; s < scope_count(sc); s++)
				for (int m = 0; m < M_COUNT; m++) {
					if (!metric_shown(sc, (metric_id)m, scope_kind_of(sc, s)))
						continue;
					put_label_scope(f, sc, pi, r, s);
					fprintf(f, "%s,", metric_names[m]);
					double v = experiment_rep(e, pi, r)->v[s][m];
					if (isfinite(v)) /* empty when undefined, as put_num */
						fprintf(f, "%.*g", digits, v);
					fputc('\n', f);
				}
}

static void write_replications(const experiment *e, FILE *f)
{
	output_replications(e, f, 10);
}

/* Each policy against the first, paired by replication: common random numbers make the
 * paired differences far less noisy than two independent intervals. With k > 2 policies
 * the k - 1 intervals of one metric in one scope are simultaneous (Bonferroni: each at
 * 1 - (1 - confidence) / (k - 1)), so that "some policy differs" is not found by luck
 * among many comparisons; each (scope, metric) is its own family. */
static void write_compare(const experiment *e, FILE *f)
{
	const scenario *sc = e->sc;
	double d[sc->replications], level = ranking_level(sc->confidence, sc->npolicies - 1);
	fputs("policy,scope,metric,diff_mean,half_width,n\n", f);
	for (int pi = 1; pi < sc->npolicies; pi++)
		for (int s = 0; s < scope_count(sc); s++)
			for (int m = 0; m < M_COUNT; m++) {
				if (!metric_shown(sc, (metric_id)m, scope_kind_of(sc, s)))
					continue;
				for (int r = 0; r < sc->replications; r++)
					d[r] = experiment_rep(e, pi, r)->v[s][m] - experiment_rep(e, 0, r)->v[s][m];
				double mean, hw;
				size_t n = stat_ci(d, (size_t)sc->replications, level, &mean, &hw);
				put_ci_row(f, sc, pi, s, m, mean, hw, n);
			}
}

/* Every policy's and scope's waits as a histogram: the non-empty buckets, the count
 * pooled over replications, the pooled CDF at the bucket's upper edge, and the lowest
 * and highest value any replication's own CDF takes there (docs/outputs.md). */
static void write_wait_hist(const experiment *e, FILE *f)
{
	const scenario *sc = e->sc;
	fputs("policy,scope,lower,upper,count,cdf,cdf_min,cdf_max\n", f);
	for (int pi = 0; pi < sc->npolicies; pi++)
		for (int s = 0; s < scope_count(sc); s++) {
			const waithist_cell *c = waithist_at(e->waits, pi, s);
			uint64_t total = 0, cum = 0;
			for (int b = 0; b < WAITHIST_BUCKETS; b++)
				total += c->count[b];
			for (int b = 0; b < WAITHIST_BUCKETS; b++) {
				if (!c->count[b])
					continue;
				cum += c->count[b];
				put_label_scope(f, sc, pi, -1, s);
				fprintf(f, "%.10g,%.10g,%llu,%.10g,%.10g,%.10g\n", waithist_lower(b),
					waithist_upper(b), (unsigned long long)c->count[b],
					(double)cum / (double)total, c->cdf_min[b], c->cdf_max[b]);
			}
		}
}

/* Adds key: v to obj (a NULL v, out of memory, fails it: jansson takes v either way).
 * Returns 0 or -1, so that a document's members chain as `bad |= put(...)`. */
static int put(json_t *obj, const char *key, json_t *v)
{
	return json_object_set_new(obj, key, v);
}

/* Appends v to the array arr; 0 or -1 as put. */
static int push(json_t *arr, json_t *v)
{
	return json_array_append_new(arr, v);
}

/* The printf formats the hand-written writer gave each kind of number: run.json keeps
 * the values it had (runjson_number). */
static json_t *num10(double x)
{
	return runjson_number(x, "%.10g");
}

static json_t *count(double x)
{
	return runjson_number(x, "%.0f");
}

/* The values of metric m in scope s for every policy, [policy * replications + rep]. */
static double *metric_matrix(const experiment *e, int s, int m)
{
	const scenario *sc = e->sc;
	double *x = malloc((size_t)sc->npolicies * sc->replications * sizeof *x);
	for (int pi = 0; x && pi < sc->npolicies; pi++)
		for (int r = 0; r < sc->replications; r++)
			x[(size_t)pi * sc->replications + r] = experiment_rep(e, pi, r)->v[s][m];
	return x;
}

/* What the run decided for itself: the automatic warm-up, the precision-driven
 * replication count, and per key metric the best policy and those indistinguishable
 * from it (read back by the report). Returns 0, or -1 when out of memory. */
static int put_run_choices(const experiment *e, json_t *doc)
{
	const scenario *sc = e->sc;
	int bad = 0;
	if (sc->warmup_auto) {
		const warmup_choice *w = &e->warmup;
		json_t *o = json_object();
		bad |= put(o, "auto", json_true());
		bad |= put(o, "method", json_string("MSER-5 (White 1997), truncation in the first half"));
		bad |= put(o, "series", json_string("jobs in system (queued + running) of the first policy, "
						    "replication 0"));
		bad |= put(o, "seconds", num10(w->seconds));
		bad |= put(o, "sample_step", num10(w->step));
		bad |= put(o, "samples", json_integer((json_int_t)w->samples));
		bad |= put(o, "deleted", json_integer((json_int_t)w->deleted));
		bad |= put(o, "at_limit", json_boolean(w->at_limit));
		bad |= put(doc, "warmup", o);
	}
	if (sc->precision.nmetrics) {
		const precision_spec *ps = &sc->precision;
		const experiment_precision *p = &e->precision;
		char scope[SC_NAME_MAX + 16];
		json_t *o = json_object(), *m = json_array();
		FG_ASSERT(p->worst_policy >= 0 && p->worst_policy < sc->npolicies);
		for (int k = 0; k < ps->nmetrics; k++)
			bad |= push(m, json_string(metric_names[ps->metric[k]]));
		bad |= put(o, "metrics", m);
		bad |= put(o, "scope", runjson_string(scope_name(sc, ps->scope, scope, sizeof scope)));
		if (ps->relative > 0)
			bad |= put(o, "relative", num10(ps->relative));
		else
			bad |= put(o, "absolute", num10(ps->absolute));
		bad |= put(o, "max_replications", json_integer(ps->max_replications));
		bad |= put(o, "replications", json_integer(sc->replications));
		bad |= put(o, "batches", json_integer(p->rounds));
		bad |= put(o, "met", json_boolean(p->met));
		bad |= put(o, "worst_ratio", runjson_number(isfinite(p->worst) ? p->worst : -1, "%.6g"));
		bad |= put(o, "worst_policy", runjson_string(sc->policies[p->worst_policy].label));
		bad |= put(o, "worst_metric", json_string(metric_names[p->worst_metric]));
		bad |= put(doc, "precision", o);
	}
	if (sc->npolicies < 2)
		return bad ? -1 : 0;
	json_t *best = json_object(), *list = json_array();
	bad |= put(best, "level", num10(ranking_level(sc->confidence, sc->npolicies - 1)));
	bad |= put(best, "comparisons", json_integer(sc->npolicies - 1));
	bad |= put(best, "scope", json_string("all"));
	int same[SC_MAX_POLICIES];
	for (int k = 0; k < ranking_nkeys; k++) {
		double *x = metric_matrix(e, 0, ranking_keys[k].metric);
		int b = x ? ranking_best(x, sc->npolicies, sc->replications, ranking_keys[k].better, sc->confidence, same) : -1;
		free(x);
		FG_ASSERT(b < sc->npolicies);
		json_t *o = json_object(), *ind = json_array();
		bad |= put(o, "metric", json_string(metric_names[ranking_keys[k].metric]));
		bad |= put(o, "better", json_string(ranking_keys[k].better > 0 ? "higher" : "lower"));
		bad |= put(o, "best", b >= 0 ? runjson_string(sc->policies[b].label) : json_null());
		for (int pi = 0; b >= 0 && pi < sc->npolicies; pi++)
			if (same[pi])
				bad |= push(ind, runjson_string(sc->policies[pi].label));
		bad |= put(o, "indistinguishable", ind);
		bad |= push(list, o);
	}
	bad |= put(best, "metrics", list);
	bad |= put(doc, "best", best);
	return bad ? -1 : 0;
}

json_t *output_json_preamble(const scenario *sc, int argc, char **argv)
{
	json_t *doc = json_object(), *cmd = json_array();
	int bad = put(doc, "fgsim_version", json_string(FGSIM_VERSION));
	for (int i = 0; i < argc; i++)
		bad |= push(cmd, runjson_string(argv[i]));
	bad |= put(doc, "command", cmd);
	bad |= put(doc, "scenario_file", runjson_string(sc->path));
	bad |= put(doc, "name", runjson_string(sc->name));
	if (bad) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

/* run.json's members after the preamble, in the order they have always had. Returns 0,
 * or -1 when out of memory. */
static int put_run(const experiment *e, json_t *doc)
{
	const scenario *sc = e->sc;
	char text[600];
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	int bad = put(doc, "seed", json_integer((json_int_t)sc->seed));
	bad |= put(doc, "replications", json_integer(sc->replications));
	bad |= put(doc, "confidence", num10(sc->confidence));
	json_t *rng = json_object();
	snprintf(text, sizeof text, "gsl_rng_%s", RNG_TYPE_NAME);
	bad |= put(rng, "generator", json_string(text));
	bad |= put(rng, "seeding", json_string(RNG_SEED_SCHEME));
	bad |= put(rng, "streams", json_string("0 gaps, 1 thinning, 2 class choice, 16+8k service of class k, "
					       "17+8k patience of class k"));
	bad |= put(doc, "rng", rng);
	bad |= put(doc, "threads", json_integer(e->threads));
	bad |= put(doc, "wall_seconds", runjson_number(e->wall_seconds, "%.6f"));
	bad |= put(doc, "events", count(e->events));
	bad |= put(doc, "jobs", count(e->arrivals));
	bad |= put(doc, "events_per_second", count(e->events / e->wall_seconds));
	bad |= put(doc, "jobs_per_second", count(e->arrivals / e->wall_seconds));
	bad |= put(doc, "peak_rss_kb", json_integer(ru.ru_maxrss));
	/* A queue that grows is a warning (the report calls the scenario unstable); one that
	 * abandonment bounds is a note, written only when there is one. */
	json_t *warn = json_array(), *notes = json_array();
	for (int q = 0; q < sc->npools; q++) {
		pool_load l;
		load_pool(sc, q, &l);
		if (load_warning(sc, q, text, sizeof text))
			bad |= push(load_unbounded(&l) ? warn : notes, runjson_string(text));
	}
	if (sc->precision.nmetrics && !e->precision.met) {
		snprintf(text, sizeof text, "precision not met: gave up at max_replications = %d", sc->replications);
		bad |= push(warn, runjson_string(text));
	}
	bad |= put(doc, "warnings", warn);
	if (json_array_size(notes))
		bad |= put(doc, "notes", notes);
	else
		json_decref(notes);
	footprint_estimate est; /* beside peak_rss_kb, so the estimate can be checked against what the run took */
	footprint_estimate_run(sc, e->threads, &est);
	bad |= put(doc, "memory_estimate_bytes", count(est.total));
	/* only where it is not the usual one: the report words the figure by it */
	if (pf_frag_paper_of(sc))
		bad |= put(doc, "fragmentation", json_string("paper"));
	if (sc->trace) {
		json_t *o = json_object();
		bad |= put(o, "file", runjson_string(sc->trace_path));
		bad |= put(o, "rows", json_integer(sc->trace_rows));
		bad |= put(o, "jobs", json_integer(sc->trace_jobs));
		bad |= put(o, "after_horizon", json_integer(sc->trace_late));
		bad |= put(o, "skipped", json_integer(sc->trace_skipped));
		bad |= put(o, "rejected", json_integer(sc->trace_rejected));
		bad |= put(o, "speedup", num10(sc->speedup));
		bad |= put(o, "scale", num10(sc->scale));
		bad |= put(doc, "trace", o);
	}
	if (sc->nodes_path[0]) {
		json_t *o = json_object();
		bad |= put(o, "file", runjson_string(sc->nodes_path));
		bad |= put(o, "rows", json_integer(sc->nodes_rows));
		bad |= put(o, "pools", json_integer(sc->npools));
		bad |= put(o, "cpu_only_skipped", json_integer(sc->nodes_cpu_only));
		/* the pools it gave, which the scenario echo cannot show: report.html's table */
		json_t *pools = json_array();
		for (int q = 0; q < sc->npools; q++) {
			const pool_spec *ps = &sc->pools[q];
			json_t *g = json_object(), *sizes = json_array();
			bad |= put(g, "name", runjson_string(ps->name));
			bad |= put(g, "gpu", runjson_string(ps->gpu));
			bad |= put(g, "nodes", json_integer(ps->nodes));
			bad |= put(g, "gpus", json_integer(scenario_pool_gpus(sc, q)));
			int n = ps->nsizes ? ps->nsizes : 1;
			for (int i = 0; i < n; i++) { /* [nodes, GPUs each] */
				json_t *pair = json_array();
				int nodes = ps->nsizes ? ps->size[i].nodes : ps->nodes;
				int gpus = ps->nsizes ? ps->size[i].gpus : ps->gpus_per_node;
				bad |= push(pair, json_integer(nodes));
				bad |= push(pair, json_integer(gpus));
				bad |= push(sizes, pair);
			}
			bad |= put(g, "sizes", sizes);
			bad |= push(pools, g);
		}
		bad |= put(o, "pool_list", pools);
		bad |= put(doc, "nodes_file", o);
	}
	bad |= put_run_choices(e, doc);
	json_t *cal = json_array(); /* which service times rest on measurements */
	for (int i = 0; i < sc->ncalib; i++) {
		const calib_table *t = &sc->calib[i];
		json_t *o = json_object();
		bad |= put(o, "gpu", runjson_string(t->gpu));
		bad |= put(o, "file", runjson_string(t->path));
		bad |= put(o, "measured", json_boolean(t->measured));
		bad |= put(o, "derived_from", runjson_string(t->derived_from));
		bad |= put(o, "date", runjson_string(t->date));
		bad |= push(cal, o);
	}
	bad |= put(doc, "calibration", cal);
	bad |= put(doc, "scenario", runjson_config(config_root_setting(&sc->cfg)));
	return bad ? -1 : 0;
}

/* Writes run.json's text to f. Returns 0, or -1 with errno set. */
static int write_run_json(const experiment *e, FILE *f, int argc, char **argv)
{
	json_t *doc = output_json_preamble(e->sc, argc, argv);
	int rc = doc && !put_run(e, doc) ? runjson_write(f, doc) : (errno = ENOMEM, -1);
	json_decref(doc);
	return rc;
}

void output_summary(const experiment *e, FILE *f)
{
	write_summary(e, f);
}

/* timeseries.csv's header: the platform's columns, then one busy_gpus:NAME per pool,
 * each quoted as a cell must be. */
static void timeseries_header(const scenario *sc, char *buf, size_t len)
{
	FILE *f = fmemopen(buf, len, "w");
	char cell[SC_NAME_MAX + 16];
	buf[0] = 0;
	if (!f)
		return;
	fputs(platform_timeseries_header, f);
	for (int q = 0; q < sc->npools; q++) {
		snprintf(cell, sizeof cell, "busy_gpus:%s", sc->pools[q].name);
		fputc(',', f);
		output_csv_cell(f, cell);
	}
	fputc('\n', f);
	fclose(f);
}

typedef void (*writer)(const experiment *, FILE *);

/* Writes dir/name under its temporary name into *o, finished but not yet in place. */
static int write_one(const experiment *e, const char *dir, const char *name, writer w, const char *header,
		     FILE **parts, outfile *o, char *err, size_t errlen)
{
	if (outfile_open(o, dir, name))
		goto fail;
	if (w)
		w(e, o->f);
	if (parts) {
		fputs(header, o->f);
		/* in task order (policy, then replication), whichever thread wrote each
		 * part and whenever it finished: the same bytes for any -j */
		for (int i = 0; i < e->sc->npolicies * e->sc->replications; i++)
			if (outfile_append(o, parts[i]))
				goto fail;
	}
	if (outfile_finish(o))
		goto fail;
	return 0;
fail:
	snprintf(err, errlen, "%s/%s: cannot write: %s", dir, name, strerror(errno));
	outfile_abort(o);
	return -1;
}

/* Every file is written and synced under its temporary name before any replaces an old
 * one, so that a full disk (ENOSPC) on the last file leaves the folder's previous results
 * whole instead of mixing two runs (tests/cli/test_diskfull.sh). */
int output_write(const experiment *e, const char *dir, int argc, char **argv, char *err, size_t errlen)
{
	outfile o[7];
	char ts_header[64 + SC_MAX_POOLS * (SC_NAME_MAX * 2 + 16)];
	timeseries_header(e->sc, ts_header, sizeof ts_header);
	int n = 0, bad;
	if (outfile_mkdirs(dir)) {
		snprintf(err, errlen, "%s: cannot create the output folder: %s", dir, strerror(errno));
		return -1;
	}
	bad = write_one(e, dir, "summary.csv", write_summary, NULL, NULL, &o[n++], err, errlen) ||
	      write_one(e, dir, "replications.csv", write_replications, NULL, NULL, &o[n++], err, errlen) ||
	      (e->sc->npolicies > 1 && write_one(e, dir, "compare.csv", write_compare, NULL, NULL, &o[n++], err, errlen)) ||
	      (e->waits &&
	       write_one(e, dir, "wait_hist.csv", write_wait_hist, NULL, NULL, &o[n++], err, errlen)) ||
	      (e->ts_parts &&
	       write_one(e, dir, "timeseries.csv", NULL, ts_header, e->ts_parts, &o[n++], err, errlen)) ||
	      (e->jobs_parts && write_one(e, dir, "jobs.csv", NULL, platform_jobs_header, e->jobs_parts, &o[n++], err, errlen));
	if (!bad) {
		outfile *j = &o[n++];
		if (outfile_open(j, dir, "run.json") == 0) {
			bad = write_run_json(e, j->f, argc, argv) || outfile_finish(j) != 0;
		} else {
			bad = 1;
		}
		if (bad) {
			snprintf(err, errlen, "%s/run.json: cannot write: %s", dir, strerror(errno));
			outfile_abort(j);
		}
	}
	for (int i = 0; i < n; i++) {
		if (bad) {
			outfile_abort(&o[i]);
		} else if (outfile_publish(&o[i])) {
			snprintf(err, errlen, "%s: cannot write: %s", o[i].path, strerror(errno));
			bad = 1;
		}
	}
	return bad ? -1 : 0;
}

const char *output_plain_ci(double mean, double hw, char *buf, size_t len)
{
	return numfmt_ci(mean, hw, numfmt_decimals(mean), buf, len);
}

/* A column of durations in seconds shown in the unit that suits its largest mean
 * (numfmt_time_unit). Returns the unit's length in seconds. */
static double headline_unit(const experiment *e, metric_id m, const char **name)
{
	double top = 0;
	for (int pi = 0; pi < e->sc->npolicies; pi++) {
		double mean, hw;
		metric_ci(e, pi, 0, m, &mean, &hw);
		if (isfinite(mean) && fabs(mean) > top)
			top = fabs(mean);
	}
	return numfmt_time_unit(top, name);
}

void output_headline(const experiment *e, FILE *f)
{
	const scenario *sc = e->sc;
	static const metric_id cols[] = {M_wait_mean, M_wait_p95, M_abandon_rate, M_utilization, M_profit};
	FG_ASSERT(sc->npolicies >= 1 && sc->npolicies <= SC_MAX_POLICIES); /* the cells below */
	/* best[c][pi]: policy pi is the best on column c or indistinguishable from it */
	int best[sizeof cols / sizeof *cols][SC_MAX_POLICIES] = {{0}}, marked = 0;
	for (size_t c = 0; sc->npolicies > 1 && c < sizeof cols / sizeof *cols; c++)
		for (int k = 0; k < ranking_nkeys; k++)
			if (ranking_keys[k].metric == (int)cols[c]) {
				double *x = metric_matrix(e, 0, cols[c]);
				if (x && ranking_best(x, sc->npolicies, sc->replications, ranking_keys[k].better, sc->confidence,
						      best[c]) >= 0)
					marked = 1;
				free(x);
			}
	/* Cells first, then each column as wide as its widest cell, so that long labels
	 * and intervals never run into each other; a star trails its cell. */
	enum { NCOLS = sizeof cols / sizeof *cols };
	const char *unit[2];
	double scale[NCOLS] = {headline_unit(e, cols[0], &unit[0]), headline_unit(e, cols[1], &unit[1]), 1, 1, 1};
	char head[NCOLS][32];
	snprintf(head[0], sizeof head[0], "wait_mean (%s)", unit[0]);
	snprintf(head[1], sizeof head[1], "wait_p95 (%s)", unit[1]);
	snprintf(head[2], sizeof head[2], "abandon_rate");
	snprintf(head[3], sizeof head[3], "utilization");
	snprintf(head[4], sizeof head[4], "profit");
	/* one number of decimals per column, from its largest mean: the column reads as one
	 * scale (0.0004 under 0.2813, not 0.000428) */
	int dec[NCOLS];
	for (size_t c = 0; c < NCOLS; c++) {
		double top = 0;
		for (int pi = 0; pi < sc->npolicies; pi++) {
			double mean, hw;
			metric_ci(e, pi, 0, cols[c], &mean, &hw);
			if (isfinite(mean) && fabs(mean) > top)
				top = fabs(mean);
		}
		dec[c] = numfmt_decimals(top / scale[c]);
	}
	char cell[SC_MAX_POLICIES][NCOLS][96];
	int width[NCOLS], label = (int)strlen("policy");
	for (size_t c = 0; c < NCOLS; c++)
		width[c] = (int)strlen(head[c]);
	for (int pi = 0; pi < sc->npolicies; pi++) {
		if ((int)strlen(sc->policies[pi].label) > label)
			label = (int)strlen(sc->policies[pi].label);
		for (size_t c = 0; c < NCOLS; c++) {
			double mean, hw;
			metric_ci(e, pi, 0, cols[c], &mean, &hw);
			mean /= scale[c];
			hw /= scale[c];
			int d = dec[c];
			numfmt_ci(mean, hw, d, cell[pi][c], sizeof cell[pi][c]);
			if ((int)strlen(cell[pi][c]) > width[c])
				width[c] = (int)strlen(cell[pi][c]);
		}
	}
	fprintf(f, "%-*s", label, "policy");
	for (size_t c = 0; c < NCOLS; c++)
		fprintf(f, "  %*s%s", width[c], head[c], marked && c + 1 < NCOLS ? " " : ""); /* no trailing blank */
	fputc('\n', f);
	for (int pi = 0; pi < sc->npolicies; pi++) {
		fprintf(f, "%-*s", label, sc->policies[pi].label);
		for (size_t c = 0; c < NCOLS; c++)
			fprintf(f, "  %*s%s", width[c], cell[pi][c], best[c][pi] ? "*" : marked && c + 1 < NCOLS ? " " : "");
		fputc('\n', f);
	}
	fprintf(f, "(mean +- %.0f%% confidence half-width over %d replications; profit in %s)\n",
		100 * sc->confidence, sc->replications, sc->currency);
	if (marked)
		fprintf(f, "(* the best policy on that column or statistically indistinguishable from it: paired "
			   "differences from the best, %d simultaneous %.4g%% intervals (Bonferroni) containing 0)\n",
			sc->npolicies - 1, 100 * ranking_level(sc->confidence, sc->npolicies - 1));
}
