/* output.c - CSV and JSON writers. Numbers are printed with %.10g so that the same seed
 * gives the same bytes; wall-clock figures go only into run.json. */
#include "output.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "footprint.h"
#include "names.h"
#include "outfile.h"
#include "platform.h"
#include "ranking.h"
#include "rng.h"
#include "stats.h"

#ifndef FGSIM_VERSION
#define FGSIM_VERSION "0.1.0"
#endif

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
	output_csv_cell(f, sc->policies[pi].label);
	if (rep >= 0)
		fprintf(f, ",%d", rep);
	fputc(',', f);
	output_csv_cell(f, scope_name(sc, s, scope, sizeof scope));
	fputc(',', f);
}

/* A number, or nothing for an undefined value. */
static void put_num(FILE *f, double x)
{
	if (isfinite(x))
		fprintf(f, "%.10g", x);
}

/* mean, half-width and n of one metric across replications of one policy */
static size_t metric_ci(const experiment *e, int pi, int scope, int m, double *mean, double *hw)
{
	const scenario *sc = e->sc;
	double x[sc->replications];
	for (int r = 0; r < sc->replications; r++)
		x[r] = experiment_rep(e, pi, r)->v[scope][m];
	return stat_ci(x, (size_t)sc->replications, sc->confidence, mean, hw);
}

static void write_summary(const experiment *e, FILE *f)
{
	const scenario *sc = e->sc;
	fputs("policy,scope,metric,mean,half_width,n\n", f);
	for (int pi = 0; pi < sc->npolicies; pi++)
		for (int s = 0; s < scope_count(sc); s++)
			for (int m = 0; m < M_COUNT; m++) {
				if (!metric_applies((metric_id)m, scope_kind_of(sc, s)))
					continue;
				double mean, hw;
				size_t n = metric_ci(e, pi, s, m, &mean, &hw);
				put_label_scope(f, sc, pi, -1, s);
				fprintf(f, "%s,", metric_names[m]);
				put_num(f, mean);
				fputc(',', f);
				put_num(f, hw);
				fprintf(f, ",%zu\n", n);
			}
}

static void write_replications(const experiment *e, FILE *f)
{
	const scenario *sc = e->sc;
	fputs("policy,replication,scope,metric,value\n", f);
	for (int pi = 0; pi < sc->npolicies; pi++)
		for (int r = 0; r < sc->replications; r++)
			for (int s = 0; s < scope_count(sc); s++)
				for (int m = 0; m < M_COUNT; m++) {
					if (!metric_applies((metric_id)m, scope_kind_of(sc, s)))
						continue;
					put_label_scope(f, sc, pi, r, s);
					fprintf(f, "%s,", metric_names[m]);
					put_num(f, experiment_rep(e, pi, r)->v[s][m]);
					fputc('\n', f);
				}
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
				if (!metric_applies((metric_id)m, scope_kind_of(sc, s)))
					continue;
				for (int r = 0; r < sc->replications; r++)
					d[r] = experiment_rep(e, pi, r)->v[s][m] - experiment_rep(e, 0, r)->v[s][m];
				double mean, hw;
				size_t n = stat_ci(d, (size_t)sc->replications, level, &mean, &hw);
				put_label_scope(f, sc, pi, -1, s);
				fprintf(f, "%s,", metric_names[m]);
				put_num(f, mean);
				fputc(',', f);
				put_num(f, hw);
				fprintf(f, ",%zu\n", n);
			}
}

/* A JSON string that is valid JSON (RFC 8259) for any bytes: file paths and the
 * command line are not checked the way names are. A byte that is not part of valid
 * UTF-8 becomes U+FFFD; controls (C0, DEL and C1) are written as \uXXXX, so that no
 * reader's terminal sees them raw. */
static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	while (*s) {
		unsigned cp = 0;
		size_t n = names_utf8_next(s, &cp);
		if (!n)
			fputs("\\ufffd", f), n = 1;
		else if (cp == '"' || cp == '\\')
			fprintf(f, "\\%c", (char)cp);
		else if (names_is_control(cp))
			fprintf(f, "\\u%04x", cp);
		else
			fwrite(s, 1, n, f);
		s += n;
	}
	fputc('"', f);
}

/* The resolved scenario (after --set) as JSON. */
static void json_setting(FILE *f, const config_setting_t *s)
{
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64: fprintf(f, "%lld", config_setting_get_int64(s)); break;
	case CONFIG_TYPE_FLOAT: fprintf(f, "%.17g", config_setting_get_float(s)); break;
	case CONFIG_TYPE_BOOL: fputs(config_setting_get_bool(s) ? "true" : "false", f); break;
	case CONFIG_TYPE_STRING: json_string(f, config_setting_get_string(s)); break;
	case CONFIG_TYPE_GROUP:
		fputc('{', f);
		for (int i = 0; i < config_setting_length(s); i++) {
			const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
			fputs(i ? ", " : "", f);
			json_string(f, config_setting_name(e));
			fputs(": ", f);
			json_setting(f, e);
		}
		fputc('}', f);
		break;
	default:
		fputc('[', f);
		for (int i = 0; i < config_setting_length(s); i++) {
			fputs(i ? ", " : "", f);
			json_setting(f, config_setting_get_elem(s, (unsigned)i));
		}
		fputc(']', f);
	}
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
 * from it (read back by the report). */
static void write_run_choices(const experiment *e, FILE *f)
{
	const scenario *sc = e->sc;
	if (sc->warmup_auto) {
		const warmup_choice *w = &e->warmup;
		fprintf(f, "  \"warmup\": {\"auto\": true, \"method\": \"MSER-5 (White 1997), truncation in the first half\", "
			   "\"series\": \"jobs in system (queued + running) of the first policy, replication 0\", \"seconds\": %.10g, "
			   "\"sample_step\": %.10g, \"samples\": %zu, \"deleted\": %zu, \"at_limit\": %s},\n",
			w->seconds, w->step, w->samples, w->deleted, w->at_limit ? "true" : "false");
	}
	if (sc->precision.nmetrics) {
		const precision_spec *ps = &sc->precision;
		const experiment_precision *p = &e->precision;
		char scope[SC_NAME_MAX + 16];
		fputs("  \"precision\": {\"metrics\": [", f);
		for (int k = 0; k < ps->nmetrics; k++)
			fprintf(f, "%s\"%s\"", k ? ", " : "", metric_names[ps->metric[k]]);
		fputs("], \"scope\": ", f);
		json_string(f, scope_name(sc, ps->scope, scope, sizeof scope));
		if (ps->relative > 0)
			fprintf(f, ", \"relative\": %.10g", ps->relative);
		else
			fprintf(f, ", \"absolute\": %.10g", ps->absolute);
		fprintf(f, ", \"max_replications\": %d, \"replications\": %d, \"batches\": %d, \"met\": %s, "
			   "\"worst_ratio\": %.6g, \"worst_policy\": ",
			ps->max_replications, sc->replications, p->rounds, p->met ? "true" : "false",
			isfinite(p->worst) ? p->worst : -1);
		json_string(f, sc->policies[p->worst_policy].label);
		fprintf(f, ", \"worst_metric\": \"%s\"},\n", metric_names[p->worst_metric]);
	}
	if (sc->npolicies < 2)
		return;
	fprintf(f, "  \"best\": {\"level\": %.10g, \"comparisons\": %d, \"scope\": \"all\", \"metrics\": [",
		ranking_level(sc->confidence, sc->npolicies - 1), sc->npolicies - 1);
	int same[SC_MAX_POLICIES];
	for (int k = 0; k < ranking_nkeys; k++) {
		double *x = metric_matrix(e, 0, ranking_keys[k].metric);
		int best = x ? ranking_best(x, sc->npolicies, sc->replications, ranking_keys[k].better, sc->confidence, same) : -1;
		free(x);
		fprintf(f, "%s{\"metric\": \"%s\", \"better\": \"%s\", \"best\": ", k ? ", " : "",
			metric_names[ranking_keys[k].metric], ranking_keys[k].better > 0 ? "higher" : "lower");
		if (best >= 0)
			json_string(f, sc->policies[best].label);
		else
			fputs("null", f);
		fputs(", \"indistinguishable\": [", f);
		for (int pi = 0, n = 0; best >= 0 && pi < sc->npolicies; pi++)
			if (same[pi]) {
				fputs(n++ ? ", " : "", f);
				json_string(f, sc->policies[pi].label);
			}
		fputs("]}", f);
	}
	fputs("]},\n", f);
}

void output_json_preamble(FILE *f, const scenario *sc, int argc, char **argv)
{
	fprintf(f, "{\n  \"fgsim_version\": \"%s\",\n  \"command\": [", FGSIM_VERSION);
	for (int i = 0; i < argc; i++) {
		fputs(i ? ", " : "", f);
		json_string(f, argv[i]);
	}
	fputs("],\n  \"scenario_file\": ", f);
	json_string(f, sc->path);
	fputs(",\n  \"name\": ", f);
	json_string(f, sc->name);
}

static void write_run_json(const experiment *e, FILE *f, int argc, char **argv)
{
	const scenario *sc = e->sc;
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	output_json_preamble(f, sc, argc, argv);
	fprintf(f, ",\n  \"seed\": %llu,\n  \"replications\": %d,\n  \"confidence\": %.10g,\n",
		(unsigned long long)sc->seed, sc->replications, sc->confidence);
	fprintf(f, "  \"rng\": {\"generator\": \"gsl_rng_%s\", \"seeding\": \"%s\", "
		   "\"streams\": \"0 gaps, 1 thinning, 2 class choice, 16+8k service of class k, 17+8k patience of class k\"},\n",
		RNG_TYPE_NAME, RNG_SEED_SCHEME);
	fprintf(f, "  \"threads\": %d,\n  \"wall_seconds\": %.6f,\n  \"events\": %.0f,\n  \"jobs\": %.0f,\n",
		e->threads, e->wall_seconds, e->events, e->arrivals);
	fprintf(f, "  \"events_per_second\": %.0f,\n  \"jobs_per_second\": %.0f,\n  \"peak_rss_kb\": %ld,\n",
		e->events / e->wall_seconds, e->arrivals / e->wall_seconds, ru.ru_maxrss);
	fputs("  \"warnings\": [", f);
	int nw = 0;
	for (int q = 0; q < sc->npools; q++) {
		double load = scenario_offered_load(sc, q);
		if (load >= 1)
			fprintf(f, "%s\"pool %s: offered load %.3f >= 1, the queue grows without bound\"", nw++ ? ", " : "",
				sc->pools[q].name, load);
	}
	if (sc->precision.nmetrics && !e->precision.met)
		fprintf(f, "%s\"precision not met: gave up at max_replications = %d\"", nw++ ? ", " : "", sc->replications);
	footprint_estimate est; /* beside peak_rss_kb, so the estimate can be checked against what the run took */
	footprint_estimate_run(sc, e->threads, &est);
	fprintf(f, "],\n  \"memory_estimate_bytes\": %.0f", est.total);
	if (sc->trace) {
		fputs(",\n  \"trace\": {\"file\": ", f);
		json_string(f, sc->trace_path);
		fprintf(f, ", \"rows\": %ld, \"jobs\": %ld, \"after_horizon\": %ld, \"skipped\": %ld, \"rejected\": %ld, "
			   "\"speedup\": %.10g, \"scale\": %.10g}",
			sc->trace_rows, sc->trace_jobs, sc->trace_late, sc->trace_skipped, sc->trace_rejected, sc->speedup,
			sc->scale);
	}
	if (sc->nodes_path[0]) {
		fputs(",\n  \"nodes_file\": {\"file\": ", f);
		json_string(f, sc->nodes_path);
		fprintf(f, ", \"rows\": %ld, \"pools\": %d, \"cpu_only_skipped\": %ld}", sc->nodes_rows, sc->npools,
			sc->nodes_cpu_only);
	}
	fputs(",\n", f);
	write_run_choices(e, f);
	fputs("  \"calibration\": [", f); /* which service times rest on measurements */
	for (int i = 0; i < sc->ncalib; i++) {
		const calib_table *t = &sc->calib[i];
		fputs(i ? ", {\"gpu\": " : "{\"gpu\": ", f);
		json_string(f, t->gpu);
		fputs(", \"file\": ", f);
		json_string(f, t->path);
		fprintf(f, ", \"measured\": %s, \"derived_from\": ", t->measured ? "true" : "false");
		json_string(f, t->derived_from);
		fputs(", \"date\": ", f);
		json_string(f, t->date);
		fputc('}', f);
	}
	fputs("],\n  \"scenario\": ", f);
	json_setting(f, config_root_setting(&sc->cfg));
	fputs("\n}\n", f);
}

void output_summary(const experiment *e, FILE *f)
{
	write_summary(e, f);
}

void output_json_string(FILE *f, const char *s)
{
	json_string(f, s);
}

void output_json_config(FILE *f, const config_setting_t *s)
{
	json_setting(f, s);
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
	outfile o[6];
	int n = 0, bad;
	if (outfile_mkdirs(dir)) {
		snprintf(err, errlen, "%s: cannot create the output folder: %s", dir, strerror(errno));
		return -1;
	}
	bad = write_one(e, dir, "summary.csv", write_summary, NULL, NULL, &o[n++], err, errlen) ||
	      write_one(e, dir, "replications.csv", write_replications, NULL, NULL, &o[n++], err, errlen) ||
	      (e->sc->npolicies > 1 && write_one(e, dir, "compare.csv", write_compare, NULL, NULL, &o[n++], err, errlen)) ||
	      (e->ts_parts && write_one(e, dir, "timeseries.csv", NULL, platform_timeseries_header, e->ts_parts, &o[n++], err, errlen)) ||
	      (e->jobs_parts && write_one(e, dir, "jobs.csv", NULL, platform_jobs_header, e->jobs_parts, &o[n++], err, errlen));
	if (!bad) {
		outfile *j = &o[n++];
		if (outfile_open(j, dir, "run.json") == 0) {
			write_run_json(e, j->f, argc, argv);
			bad = outfile_finish(j) != 0;
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

void output_headline(const experiment *e, FILE *f)
{
	const scenario *sc = e->sc;
	static const metric_id cols[] = {M_wait_mean, M_wait_p95, M_abandon_rate, M_utilization, M_profit};
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
	static const char *const head[NCOLS] = {"wait_mean (s)", "wait_p95 (s)", "abandon_rate", "utilization", "profit"};
	char cell[SC_MAX_POLICIES][NCOLS][64];
	int width[NCOLS], label = (int)strlen("policy");
	for (size_t c = 0; c < NCOLS; c++)
		width[c] = (int)strlen(head[c]);
	for (int pi = 0; pi < sc->npolicies; pi++) {
		if ((int)strlen(sc->policies[pi].label) > label)
			label = (int)strlen(sc->policies[pi].label);
		for (size_t c = 0; c < NCOLS; c++) {
			double mean, hw;
			metric_ci(e, pi, 0, cols[c], &mean, &hw);
			if (isfinite(hw))
				snprintf(cell[pi][c], sizeof cell[pi][c], "%.4g +- %.2g", mean, hw);
			else
				snprintf(cell[pi][c], sizeof cell[pi][c], "%.4g", mean);
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
