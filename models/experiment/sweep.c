/* sweep.c - --vary specs, sweep points as override sets, and the identity hash each
 * point's results are kept under (so a changed scenario or --vary never reuses a stale
 * point). The per-point files and sweep.csv are written a layer up, where summaries are
 * written (models/report/sweep_files.c). */
#include "sweep.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "grow.h"
#include "lines.h"

#ifndef FGSIM_VERSION
#define FGSIM_VERSION "0.1.0"
#endif

static int vary_error(char *err, size_t errlen, const char *key, const char *fmt, const char *arg)
{
	char msg[600];
	snprintf(msg, sizeof msg, fmt, arg);
	snprintf(err, errlen, "--vary %s: %s", key, msg);
	return 2;
}

/* Parses text as a whole number; *integer says whether it was written as one. */
static int parse_num(const char *text, double *v, int *integer)
{
	char *end;
	if (!*text || isspace((unsigned char)*text))
		return -1;
	errno = 0;
	*v = strtod(text, &end);
	if (*end || errno == ERANGE || !isfinite(*v))
		return -1;
	*integer = strpbrk(text, ".eEnNxX") == NULL;
	return 0;
}

static int push_value(sweep_key *k, const char *text, size_t len)
{
	FG_ASSERT(k->nvalues >= 0 && (size_t)k->nvalues <= k->cap);
	if (k->nvalues == SWEEP_MAX_VALUES || GROW(k->value, k->cap, (size_t)k->nvalues + 1))
		return -1;
	if (!(k->value[k->nvalues] = strndup(text, len)))
		return -1;
	k->nvalues++;
	return 0;
}

/* "A:B[:STEP]" when spec is exactly that; 1 if it is not a range at all. */
static int parse_range(sweep_key *k, const char *spec, char *err, size_t errlen)
{
	char buf[3][128];
	const char *p = spec;
	int n = 0;
	while (n < 3) {
		size_t len = strcspn(p, ":");
		if (len >= sizeof buf[0])
			return 1;
		memcpy(buf[n], p, len);
		buf[n++][len] = 0;
		if (!p[len])
			break;
		p += len + 1;
	}
	if (n < 2 || (n == 3 && strchr(p, ':')))
		return 1;
	double v[3] = {0, 0, 1};
	int integer[3] = {1, 1, 1};
	for (int i = 0; i < n; i++)
		if (parse_num(buf[i], &v[i], &integer[i]))
			return 1;
	int ints = integer[0] && integer[1] && integer[2];
	if (!ints && n < 3)
		return vary_error(err, errlen, k->key, "a range of decimals needs a step: A:B:STEP (got %s)", spec);
	if (!(v[2] > 0))
		return vary_error(err, errlen, k->key, "the step of %s must be positive", spec);
	if (v[0] > v[1])
		return vary_error(err, errlen, k->key, "range %s is empty: it must go from low to high", spec);
	double count = floor((v[1] - v[0]) / v[2] * (1 + 1e-12) + 1e-9) + 1;
	if (count > SWEEP_MAX_VALUES)
		return vary_error(err, errlen, k->key, "range %s has too many values (at most 1000)", spec);
	k->integer_range = ints;
	for (long i = 0; i < (long)count; i++) {
		char num[64];
		double x = v[0] + (double)i * v[2];
		if (ints) {
			snprintf(num, sizeof num, "%lld", (long long)llround(x));
		} else {
			/* 0.1 steps print as 0.3, not 0.30000000000000004; a float literal keeps
			 * its '.' so that libconfig reads it as one */
			snprintf(num, sizeof num, "%.10g", x);
			if (!strpbrk(num, ".e"))
				strcat(num, ".0");
		}
		if (push_value(k, num, strlen(num)))
			return vary_error(err, errlen, k->key, "out of memory for %s", spec);
	}
	return 0;
}

/* Splits a list at commas outside quotes and brackets, so that a value may be a
 * libconfig string or array ("a,b",[1,2]). */
static int parse_list(sweep_key *k, const char *spec, char *err, size_t errlen)
{
	const char *start = spec;
	int depth = 0, quoted = 0;
	for (const char *p = spec;; p++) {
		if (quoted) {
			if (*p == '\\' && p[1])
				p++;
			else if (*p == '"')
				quoted = 0;
			else if (!*p)
				return vary_error(err, errlen, k->key, "unterminated string in %s", spec);
			continue;
		}
		if (*p == '"')
			quoted = 1;
		else if (*p && strchr("[({", *p))
			depth++;
		else if (*p && strchr("])}", *p))
			depth--;
		else if ((*p == ',' && depth == 0) || !*p) {
			size_t len = (size_t)(p - start);
			if (len == 0)
				return vary_error(err, errlen, k->key, "empty value in the list %s", spec);
			if (push_value(k, start, len))
				return vary_error(err, errlen, k->key, "too many values in %s (at most 1000)", spec);
			if (!*p)
				return 0;
			start = p + 1;
		}
	}
}

int sweep_add_key(sweep *s, const char *arg, char *err, size_t errlen)
{
	const char *eq = strchr(arg, '=');
	if (!eq || eq == arg) {
		snprintf(err, errlen, "--vary takes KEY=A:B[:STEP] or KEY=v1,v2,... (got \"%.200s\")", arg);
		return 2;
	}
	if (s->nkeys == SWEEP_MAX_KEYS) {
		snprintf(err, errlen, "--vary: at most %d keys", SWEEP_MAX_KEYS);
		return 2;
	}
	sweep_key *k = &s->keys[s->nkeys];
	memset(k, 0, sizeof *k);
	if ((size_t)(eq - arg) >= sizeof k->key) {
		snprintf(err, errlen, "--vary: key too long");
		return 2;
	}
	memcpy(k->key, arg, (size_t)(eq - arg));
	for (int i = 0; i < s->nkeys; i++)
		if (!strcmp(s->keys[i].key, k->key))
			return vary_error(err, errlen, k->key, "%s", "varied twice: give its values in one --vary");
	s->nkeys++; /* from here sweep_free owns k's values */
	const char *spec = eq + 1;
	if (!*spec)
		return vary_error(err, errlen, k->key, "%s", "no values");
	int rc = strpbrk(spec, ",\"[({") ? 1 : parse_range(k, spec, err, errlen);
	if (rc == 1)
		rc = parse_list(k, spec, err, errlen);
	if (rc)
		return rc;
	/* a range or a list is never empty */
	FG_ASSERT(k->nvalues >= 1 && k->nvalues <= SWEEP_MAX_VALUES);
	long points = 1;
	for (int i = 0; i < s->nkeys; i++) {
		points *= s->keys[i].nvalues;
		if (points > SWEEP_MAX_POINTS) {
			snprintf(err, errlen, "--vary: %ld points or more; a sweep has at most %d", points, SWEEP_MAX_POINTS);
			return 2;
		}
	}
	s->npoints = points;
	return 0;
}

void sweep_free(sweep *s)
{
	for (int i = 0; i < s->nkeys; i++) {
		for (int v = 0; v < s->keys[i].nvalues; v++)
			free(s->keys[i].value[v]);
		free(s->keys[i].value);
	}
	memset(s, 0, sizeof *s);
}

int sweep_value_index(const sweep *s, long p, int k)
{
	FG_ASSERT(k >= 0 && k < s->nkeys && p >= 0 && p < s->npoints);
	for (int i = s->nkeys - 1; i > k; i--)
		p /= s->keys[i].nvalues;
	return (int)(p % s->keys[k].nvalues);
}

int sweep_load(const sweep *s, long p, const char *path, const sc_override *base, int nbase, scenario *sc, char *err,
	       size_t errlen)
{
	FG_ASSERT(nbase >= 0 && (nbase == 0 || base) && s->nkeys >= 1);
	sc_override *ov = malloc((size_t)(nbase + s->nkeys + 1) * sizeof *ov);
	if (!ov) {
		snprintf(err, errlen, "out of memory");
		return 2;
	}
	if (nbase)
		memcpy(ov, base, (size_t)nbase * sizeof *ov);
	for (int k = 0; k < s->nkeys; k++) {
		const char *value = s->keys[k].value[sweep_value_index(s, p, k)];
		ov[nbase + k] = (sc_override){s->keys[k].key, value, NULL};
	}
	int rc = scenario_load(sc, path, ov, nbase + s->nkeys, err, errlen);
	free(ov);
	/* The loader names an override as --set; a varied key's error is --vary's. */
	for (int k = 0; rc && k < s->nkeys; k++) {
		size_t len = strlen(s->keys[k].key);
		if (!strncmp(err, "--set ", 6) && !strncmp(err + 6, s->keys[k].key, len) && err[6 + len] == ':') {
			char tail[1024];
			snprintf(tail, sizeof tail, "%s", err + 6);
			snprintf(err, errlen, "--vary %s", tail);
			break;
		}
	}
	return rc;
}

/* Hashes a file's bytes (or its absence) into h. */
static uint64_t fnv_file(uint64_t h, const char *path)
{
	char buf[1 << 16];
	size_t n;
	FILE *f = fopen(path, "rb");
	h = lines_fnv(h, path, strlen(path) + 1);
	if (!f)
		return lines_fnv(h, "missing", 7);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		h = lines_fnv(h, buf, n);
	fclose(f);
	return h;
}

/* The scenario is hashed as libconfig writes it back (overrides applied), so layout
 * and comments do not count; the files it reads during runs count by their bytes, so
 * a resumed sweep recomputes a point whose calibration or trace file was edited. */
uint64_t sweep_identity(const scenario *sc)
{
	uint64_t h = lines_fnv(LINES_FNV_INIT, FGSIM_VERSION, sizeof FGSIM_VERSION);
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	if (m) {
		config_write(&sc->cfg, m);
		fclose(m);
		h = lines_fnv(h, text, len);
	}
	free(text);
	for (int i = 0; i < sc->ncalib; i++)
		h = fnv_file(h, sc->calib[i].path);
	if (sc->trace)
		h = fnv_file(h, sc->trace_path);
	if (sc->nodes_path[0]) /* a resumed sweep must not reuse points of another node list */
		h = fnv_file(h, sc->nodes_path);
	return h;
}

/* Summaries only: per-job rows and time series for every point would make a sweep's
 * output its point count times a run's. */
int sweep_experiment(experiment *e, scenario *sc, int threads, int quiet, _Atomic int *stop)
{
	sc->timeseries_step = 0;
	sc->jobs_csv = 0;
	return experiment_run(e, sc, threads, quiet, stop);
}
