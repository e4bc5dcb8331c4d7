/* results.c - reads a results folder back: the CSVs by column name (so that columns
 * added later do not break old readers) and run.json through jansson (runjson.h). */
#include "results.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "grow.h"
#include "lines.h"
#include "units.h"

int results_csv_split(char *line, char **field, int max)
{
	int n = 0;
	char *p = line;
	size_t len = strlen(line);
	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		line[--len] = 0;
	for (;;) {
		if (n == max)
			return n;
		if (*p == '"') { /* a quoted cell: "" inside stands for one quote */
			char *o = ++p;
			field[n++] = o;
			for (; *p; p++) {
				if (*p == '"') {
					if (p[1] != '"')
						break;
					p++;
				}
				*o++ = *p;
			}
			if (*p == '"')
				p++;
			*o = 0; /* o <= p: the closing quote or the dropped doubled quotes made room */
			p += strcspn(p, ",");
		} else {
			field[n++] = p;
			p += strcspn(p, ",");
		}
		if (*p != ',') {
			*p = 0;
			return n;
		}
		*p++ = 0;
	}
}

int results_csv_column(char **field, int nfields, const char *name)
{
	for (int i = 0; i < nfields; i++)
		if (!strcmp(field[i], name))
			return i;
	return -1;
}

double results_csv_number(const char *cell)
{
	char *end;
	if (!cell || !*cell)
		return NAN;
	double v = strtod(cell, &end);
	return *end ? NAN : v;
}

/* Returns the interned copy of s (one allocation per distinct name), or NULL when out
 * of memory. */
static const char *intern(results *r, const char *s)
{
	for (int i = r->ninterned - 1; i >= 0; i--)
		if (!strcmp(r->interned[i], s))
			return r->interned[i];
	if (GROW(r->interned, r->capinterned, (size_t)r->ninterned + 1))
		return NULL;
	FG_ASSERT((size_t)r->ninterned < r->capinterned);
	char *c = strdup(s);
	if (c)
		r->interned[r->ninterned++] = c;
	return c;
}

/* Adds name to list (of n, capacity *cap) unless it is already there. Returns 0 or -1. */
static int add_unique(const char ***list, int *n, size_t *cap, const char *name)
{
	for (int i = 0; i < *n; i++)
		if ((*list)[i] == name)
			return 0;
	if (grow_array(list, cap, (size_t)*n + 1, sizeof **list))
		return -1;
	(*list)[(*n)++] = name;
	return 0;
}

/* Reads summary.csv or compare.csv (value column `valcol`). `summary` also collects the
 * policy and scope lists. Returns 0, -2 (missing or not this kind of file) or -1. */
static int read_rows(results *r, const char *name, const char *valcol, int summary, results_row **rows, size_t *nrows,
		     char *err, size_t errlen)
{
	char path[4200], *line = NULL, *f[16];
	size_t cap = 0, lcap = 0, pcap = 0, scap = 0;
	int rc = -1, lineno = 0, col[6];
	static const char *const want[] = {"policy", "scope", "metric", NULL, "half_width", "n"};
	snprintf(path, sizeof path, "%s/%s", r->dir, name);
	FILE *in = fopen(path, "r");
	if (!in) {
		snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
		return errno == ENOENT ? -2 : -1;
	}
	long got;
	while ((got = lines_get(&line, &lcap, LINES_MAX, in)) != 0 && got != -1) {
		lineno++;
		if (got == LINES_TOO_LONG) { /* read no further: an endless line would never end */
			snprintf(err, errlen, "%s:%d: line longer than %d bytes", path, lineno, LINES_MAX);
			rc = -2;
			goto done;
		}
		int nf = results_csv_split(line, f, 16);
		if (lineno == 1) {
			for (int c = 0; c < 6; c++)
				if ((col[c] = results_csv_column(f, nf, want[c] ? want[c] : valcol)) < 0) {
					snprintf(err, errlen, "%s:1: no column \"%s\": not an fgsim %s", path, want[c] ? want[c] : valcol,
						 name);
					rc = -2;
					goto done;
				}
			continue;
		}
		if (nf == 1 && !f[0][0])
			continue;
		int need = 0;
		for (int c = 0; c < 6; c++)
			need = col[c] > need ? col[c] : need;
		if (nf <= need) {
			snprintf(err, errlen, "%s:%d: %d fields, wanted %d", path, lineno, nf, need + 1);
			rc = -2;
			goto done;
		}
		if (GROW(*rows, cap, *nrows + 1))
			goto oom;
		results_row *w = &(*rows)[*nrows];
		/* Consecutive rows mostly share policy and scope: try the previous row's first. */
		const results_row *prev = *nrows ? w - 1 : NULL;
		w->policy = prev && !strcmp(prev->policy, f[col[0]]) ? prev->policy : intern(r, f[col[0]]);
		w->scope = prev && !strcmp(prev->scope, f[col[1]]) ? prev->scope : intern(r, f[col[1]]);
		w->metric = intern(r, f[col[2]]);
		if (!w->policy || !w->scope || !w->metric)
			goto oom;
		w->mean = results_csv_number(f[col[3]]);
		w->hw = results_csv_number(f[col[4]]);
		double n = results_csv_number(f[col[5]]);
		w->n = isfinite(n) && n >= 0 ? (long)n : 0;
		(*nrows)++;
		if (summary && (add_unique(&r->policy, &r->npolicies, &pcap, w->policy) ||
				(strcmp(w->scope, "all") && add_unique(&r->scope, &r->nscopes, &scap, w->scope))))
			goto oom;
	}
	if (got == -1) { /* a read error, or no memory for a line */
		snprintf(err, errlen, "%s: read error: %s", path, strerror(errno));
		goto done;
	}
	if (lineno == 0) {
		snprintf(err, errlen, "%s: empty file", path);
		rc = -2;
		goto done;
	}
	rc = 0;
	goto done;
oom:
	snprintf(err, errlen, "%s: out of memory", path);
done:
	free(line);
	fclose(in);
	return rc;
}

char *results_read_file(const char *path, size_t *len)
{
	FILE *in = fopen(path, "r");
	if (!in)
		return NULL;
	char *buf = NULL;
	size_t cap = 0, n = 0, k;
	do { /* room for another 64 KiB and the closing NUL */
		if (GROW(buf, cap, n + 65536 + 1)) {
			free(buf);
			fclose(in);
			errno = ENOMEM;
			return NULL;
		}
		FG_ASSERT(cap > n);
		n += k = fread(buf + n, 1, cap - n - 1, in);
	} while (k > 0);
	if (ferror(in)) {
		free(buf);
		buf = NULL;
	}
	fclose(in);
	if (buf) {
		buf[n] = 0;
		if (len)
			*len = n;
	}
	return buf;
}

/* A duration key of the resolved scenario in seconds: dflt when absent, NAN when it is
 * not a duration fgsim can read (e.g. warmup = "auto"). */
static double scenario_seconds(const json_t *j, double dflt)
{
	char e[128];
	double s = NAN;
	if (!j)
		return dflt;
	if (json_is_number(j))
		return json_number_value(j);
	if (json_is_string(j) && !units_duration(json_string_value(j), &s, e, sizeof e))
		return s;
	return NAN;
}

/* What plots and report need from run.json; a missing or damaged run.json leaves the
 * defaults (and the reason in run_problem), since the CSVs alone still make a report. */
static int read_run_json(results *r)
{
	char path[4200], e[256];
	snprintf(path, sizeof path, "%s/run.json", r->dir);
	size_t size;
	char *text = results_read_file(path, &size);
	if (!text) {
		snprintf(r->run_problem, sizeof r->run_problem, "%.200s: cannot read: %s", path, strerror(errno));
		return errno == ENOMEM ? -1 : 0;
	}
	r->run = runjson_parse(text, size, e, sizeof e);
	free(text);
	if (!r->run) {
		snprintf(r->run_problem, sizeof r->run_problem, "%.200s: %.90s", path, e);
		return strstr(e, "out of memory") ? -1 : 0;
	}
	r->scenario = json_object_get(r->run, "scenario");
	const json_t *sc = r->scenario;
	r->name = runjson_str(json_object_get(r->run, "name"), runjson_str(json_object_get(sc, "name"), r->name));
	r->currency = runjson_str(json_object_get(sc, "currency"), r->currency);
	r->horizon = scenario_seconds(runjson_path(sc, "run.horizon"), NAN);
	r->warmup = scenario_seconds(runjson_path(sc, "run.warmup"), 0);
	if (!isfinite(r->warmup)) /* warmup = "auto": the run wrote down what it chose */
		r->warmup = runjson_num(runjson_path(r->run, "warmup.seconds"), NAN);
	r->replications = (int)runjson_num(json_object_get(r->run, "replications"), r->replications);
	r->confidence = runjson_num(json_object_get(r->run, "confidence"),
				    runjson_num(runjson_path(sc, "run.confidence"), r->confidence));
	const json_t *pr = json_object_get(sc, "promotions"), *p;
	size_t n = json_is_array(pr) ? json_array_size(pr) : json_object_size(pr), i = 0;
	if (n) { /* a list of groups, or (hand-edited) a group of groups */
		if (!(r->promo = calloc(n, sizeof *r->promo)))
			return -1;
		for (void *it = json_object_iter((json_t *)pr); i < n; i++) {
			if (json_is_array(pr)) {
				p = json_array_get(pr, i);
			} else {
				p = json_object_iter_value(it);
				it = json_object_iter_next((json_t *)pr, it);
			}
			double start = scenario_seconds(json_object_get(p, "start"), NAN);
			double len = scenario_seconds(json_object_get(p, "duration"), NAN);
			if (!isfinite(start) || !isfinite(len))
				continue;
			results_promo *w = &r->promo[r->npromos++];
			w->name = runjson_str(json_object_get(p, "name"), "promotion");
			w->start = start;
			w->end = start + len;
			w->discount = runjson_num(json_object_get(p, "discount"), 0);
			w->repeat = scenario_seconds(json_object_get(p, "repeat"), 0);
			w->count = 1;
			if (isfinite(w->repeat) && w->repeat > 0) { /* the occurrences that happen */
				/* those starting before the horizon: at or after it, they never do */
				double fit = isfinite(r->horizon)
						     ? ceil((r->horizon - start) / w->repeat)
						     : 1;
				double asked = runjson_num(json_object_get(p, "count"), fit);
				w->count = (long)fmax(1, fmin(asked, fit));
			} else {
				w->repeat = 0;
			}
		}
	}
	return 0;
}

int results_load(results *r, const char *dir, char *err, size_t errlen)
{
	char path[4200];
	memset(r, 0, sizeof *r);
	snprintf(r->dir, sizeof r->dir, "%s", dir);
	int rc = read_rows(r, "summary.csv", "mean", 1, &r->sum, &r->nsum, err, errlen);
	if (rc)
		goto fail;
	if (r->npolicies == 0) {
		snprintf(err, errlen, "%s/summary.csv: no results in it", dir);
		rc = -2;
		goto fail;
	}
	/* compare.csv exists only with two or more policies; one that is missing or not in
	 * the expected form just leaves the comparison out of the report. */
	rc = read_rows(r, "compare.csv", "diff_mean", 0, &r->cmp, &r->ncmp, err, errlen);
	if (rc == -2) {
		r->ncmp = 0;
		rc = 0;
	}
	if (rc)
		goto fail;
	const char *slash = strrchr(dir, '/');
	r->name = slash && slash[1] ? slash + 1 : dir;
	r->currency = "USD";
	r->horizon = NAN;
	r->warmup = 0;
	r->confidence = 0.95;
	FG_ASSERT(r->npolicies > 0 && r->policy[0]); /* checked just above */
	const results_row *row = results_summary(r, r->policy[0], "all", "wait_mean");
	r->replications = row ? (int)row->n : 0;
	if (read_run_json(r)) {
		snprintf(err, errlen, "%s/run.json: out of memory", dir);
		rc = -1;
		goto fail;
	}
	snprintf(path, sizeof path, "%s/timeseries.csv", dir);
	r->has_timeseries = access(path, R_OK) == 0;
	snprintf(path, sizeof path, "%s/jobs.csv", dir);
	r->has_jobs = access(path, R_OK) == 0;
	snprintf(path, sizeof path, "%s/wait_hist.csv", dir);
	r->has_wait_hist = access(path, R_OK) == 0;
	return 0;
fail:
	results_free(r);
	return rc;
}

void results_free(results *r)
{
	free(r->sum);
	free(r->cmp);
	free(r->policy);
	free(r->scope);
	free(r->promo);
	json_decref(r->run);
	for (int i = 0; i < r->ninterned; i++)
		free(r->interned[i]);
	free(r->interned);
	char dir[sizeof r->dir];
	memcpy(dir, r->dir, sizeof dir);
	memset(r, 0, sizeof *r);
	memcpy(r->dir, dir, sizeof dir);
}

static const results_row *find(const results_row *rows, size_t n, const char *policy, const char *scope,
			       const char *metric)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(rows[i].metric, metric) && !strcmp(rows[i].scope, scope) && !strcmp(rows[i].policy, policy))
			return &rows[i];
	return NULL;
}

const results_row *results_summary(const results *r, const char *policy, const char *scope, const char *metric)
{
	return find(r->sum, r->nsum, policy, scope, metric);
}

const results_row *results_compare(const results *r, const char *policy, const char *scope, const char *metric)
{
	return find(r->cmp, r->ncmp, policy, scope, metric);
}
