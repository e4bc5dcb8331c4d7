/* plots_read.c - the CSVs behind the plots over time and the wait CDF: timeseries.csv
 * averaged over replications per sample time, and the wait distribution from
 * wait_hist.csv or jobs.csv. Damaged input is a warning and no plot, never a failure. */
#include "plots_int.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "check.h"
#include "grow.h"
#include "lines.h"

static int policy_index(const results *r, const char *name)
{
	for (int i = 0; i < r->npolicies; i++)
		if (!strcmp(r->policy[i], name))
			return i;
	return -1;
}

void plots_ts_free(plots_ts *ts, int n)
{
	if (!ts)
		return;
	for (int i = 0; i < n; i++) {
		free(ts[i].t);
		free(ts[i].v);
		free(ts[i].count);
	}
	free(ts);
}

/* Room for `need` samples in s's three parallel arrays (t, v by ncols x 3, count). Each
 * grows from the same s->cap by the same rule (grow.h), so they stay the same capacity;
 * s->cap moves only when all have grown (one that grew before a failure just has spare
 * room). */
static int ts_grow(plots_ts *s, size_t need, int ncols)
{
	size_t cap = s->cap;
	if (grow_array(&s->t, &cap, need, sizeof *s->t))
		return -1;
	cap = s->cap;
	if (grow_array(&s->v, &cap, need, 3 * (size_t)ncols * sizeof *s->v))
		return -1;
	cap = s->cap;
	if (grow_array(&s->count, &cap, need, sizeof *s->count))
		return -1;
	s->cap = cap;
	return 0;
}

/* The next line of one of DIR's CSVs (lines_get): 1, or 0 at its end, on a read error,
 * and at a line longer than LINES_MAX (warned: the file is read no further). */
static int next_line(plots_ctx *c, const char *name, char **line, size_t *cap, FILE *in)
{
	long n = lines_get(line, cap, LINES_MAX, in);
	if (n == LINES_TOO_LONG)
		fprintf(c->warn, "warning: %s/%s: a line longer than %d bytes; read no further\n", c->r->dir, name,
			LINES_MAX);
	return n > 0;
}

/* The header of timeseries.csv: where each wanted column is (col[PTS_...], -1 where an
 * older file lacks it), the pools' busy_gpus:NAME columns in file order. Returns 0, or
 * -1 with a warning printed when a column every file has is missing. */
static int ts_header(plots_ctx *c, const char *path, char **f, int nf, int *col)
{
	static const char *const need[5] = {"policy", "replication", "t", "queued", "utilization"};
	for (int i = 0; i < 5; i++)
		if (results_csv_column(f, nf, need[i]) < 0) {
			fprintf(c->warn, "warning: %s: no column \"%s\"; no plots over time\n",
				path, need[i]);
			return -1;
		}
	col[0] = results_csv_column(f, nf, "policy");
	col[1] = results_csv_column(f, nf, "replication");
	col[2] = results_csv_column(f, nf, "t");
	col[3 + PTS_QUEUED] = results_csv_column(f, nf, "queued");
	col[3 + PTS_UTIL] = results_csv_column(f, nf, "utilization");
	col[3 + PTS_PRICE] = results_csv_column(f, nf, "price_factor");
	col[3 + PTS_ARRIVALS] = results_csv_column(f, nf, "arrivals_per_h");
	col[3 + PTS_BURST] = results_csv_column(f, nf, "burst_nodes");
	c->ts_has_burst = col[3 + PTS_BURST] >= 0;
	c->ts_npools = 0;
	for (int i = 0; i < nf && c->ts_npools < PTS_POOLS_MAX; i++)
		if (!strncmp(f[i], "busy_gpus:", 10)) {
			snprintf(c->ts_pool[c->ts_npools], LABEL_MAX, "%s", f[i] + 10);
			col[3 + PTS_POOL + c->ts_npools++] = i;
		}
	c->ts_ncols = PTS_POOL + c->ts_npools;
	return 0;
}

/* v = (count, sum, sum of squares) of one column at one sample becomes (mean, low,
 * high): the Student-t interval of the mean at confidence conf, which is where two
 * policies' means can be told apart (the replications' own spread is far wider). With
 * one replication the interval is the mean itself; NaN stays NaN (no value). */
static void ts_interval(double *v, double conf)
{
	double n = v[0], mean = v[1] / n;
	if (!isfinite(n))
		return;
	double var = n > 1 ? (v[2] - n * mean * mean) / (n - 1) : 0;
	double hw = n > 1 ? gsl_cdf_tdist_Pinv(0.5 + conf / 2, n - 1) * sqrt(var > 0 ? var / n : 0)
			  : 0;
	v[PTS_MEAN] = mean;
	v[PTS_LOW] = mean - hw;
	v[PTS_HIGH] = mean + hw;
}

/* Reads timeseries.csv into per-policy means over replications at each sample time,
 * with their confidence interval (ts_interval). The rows of one replication are contiguous and in time order, so
 * the k-th row of every replication is the same time. Returns 0, or -1 with a warning
 * printed. */
static int ts_read(plots_ctx *c)
{
	const results *r = c->r;
	char path[4300], *line = NULL, *f[3 + PTS_POOL + PTS_POOLS_MAX + 8];
	size_t lcap = 0;
	int col[3 + PTS_POOL + PTS_POOLS_MAX], lineno = 0, cur_pol = -2, rc = -1,
					       nmax = sizeof f / sizeof *f;
	char cur_rep[64] = "";
	size_t k = 0;
	double conf = r->confidence > 0 && r->confidence < 1 ? r->confidence : 0.95;
	snprintf(path, sizeof path, "%s/timeseries.csv", r->dir);
	FILE *in = fopen(path, "r");
	if (!in) {
		fprintf(c->warn, "warning: %s: cannot read: %s; no plots over time\n", path, strerror(errno));
		return -1;
	}
	if (!(c->ts = calloc((size_t)r->npolicies, sizeof *c->ts)))
		goto oom;
	while (next_line(c, "timeseries.csv", &line, &lcap, in)) {
		int nf = results_csv_split(line, f, nmax);
		if (++lineno == 1) {
			if (ts_header(c, path, f, nf, col))
				goto done;
			continue;
		}
		if (nf <= col[0] || nf <= col[1] || nf <= col[2])
			continue;
		int pi = policy_index(r, f[col[0]]), nc = c->ts_ncols;
		if (pi < 0)
			continue; /* a policy summary.csv does not list: not ours to plot */
		if (pi != cur_pol || strcmp(cur_rep, f[col[1]])) {
			cur_pol = pi;
			snprintf(cur_rep, sizeof cur_rep, "%s", f[col[1]]);
			c->ts[pi].reps++;
			k = 0;
		}
		plots_ts *s = &c->ts[pi];
		double t = results_csv_number(f[col[2]]);
		if (!isfinite(t))
			continue;
		FG_ASSERT(k <= s->n); /* a replication's k-th row meets the k-th sample or adds it */
		if (k == s->n) {
			if (s->n == s->cap && ts_grow(s, s->n + 1, nc))
				goto oom;
			s->t[k] = t;
			for (int i = 0; i < 3 * nc; i++)
				s->v[k * 3 * nc + i] = NAN;
			s->count[k] = 0;
			s->n++;
		} else if (fabs(s->t[k] - t) > 1e-6 * fmax(1, fabs(t))) {
			fprintf(c->warn, "warning: %s:%d: replications disagree on sample times (%.10g vs %.10g); no plots over time\n",
				path, lineno, t, s->t[k]);
			goto done;
		}
		for (int i = 0; i < nc; i++) {
			double x = col[3 + i] >= 0 && col[3 + i] < nf
					   ? results_csv_number(f[col[3 + i]])
					   : NAN;
			double *v = &s->v[(k * nc + i) * 3];
			if (!isfinite(x))
				continue;
			/* sums first (count, sum, sum of squares; NaN until the first value), the
			 * mean and interval once every replication is in */
			if (!isfinite(v[0]))
				v[0] = v[1] = v[2] = 0;
			v[0]++;
			v[1] += x;
			v[2] += x * x;
		}
		s->count[k]++;
		k++;
	}
	for (int pi = 0; pi < r->npolicies; pi++)
		for (size_t i = 0; i < c->ts[pi].n; i++) {
			plots_ts *s = &c->ts[pi];
			FG_ASSERT(s->count[i] >= 1); /* a sample exists because a row made it */
			for (int j = 0; j < c->ts_ncols; j++)
				ts_interval(&s->v[(i * c->ts_ncols + j) * 3], conf);
		}
	rc = 0;
	goto done;
oom:
	fprintf(c->warn, "warning: %s: out of memory; no plots over time\n", path);
done:
	free(line);
	fclose(in);
	return rc;
}

int plots_ts_load(plots_ctx *c)
{
	if (c->ts_state == 0) /* read once; its warning, if any, printed once */
		c->ts_state = ts_read(c) ? -1 : 1;
	return c->ts_state < 0 ? -1 : 0;
}

/* Appends the point (x, f) with its band [lo, hi]; the four arrays grow together from
 * d->cap (see ts_grow). */
static int cdf_push(plots_cdf *d, double x, double f, double lo, double hi)
{
	if (d->n == d->cap) {
		double **cols[] = {&d->x, &d->f, &d->lo, &d->hi};
		size_t cap = d->cap;
		for (size_t i = 0; i < 4; i++) {
			cap = d->cap;
			if (grow_array(cols[i], &cap, d->n + 1, sizeof **cols[i]))
				return -1;
		}
		d->cap = cap;
	}
	FG_ASSERT(d->n < d->cap);
	d->x[d->n] = x;
	d->f[d->n] = f;
	d->lo[d->n] = lo;
	d->hi[d->n++] = hi;
	return 0;
}

void plots_cdf_free(plots_cdf *d, int n)
{
	for (int i = 0; d && i < n; i++) {
		free(d[i].x);
		free(d[i].f);
		free(d[i].lo);
		free(d[i].hi);
	}
	free(d);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Opens r->dir/name and finds the wanted columns in its header. Returns the stream,
 * or NULL with a warning printed. */
static FILE *csv_open(plots_ctx *c, const char *name, const char *const *want, int nwant, int *col, char **line,
		      size_t *lcap)
{
	char path[4300], *f[32];
	snprintf(path, sizeof path, "%s/%s", c->r->dir, name);
	FILE *in = fopen(path, "r");
	if (!in) {
		fprintf(c->warn, "warning: %s: cannot read: %s\n", path, strerror(errno));
		return NULL;
	}
	int nf = next_line(c, name, line, lcap, in) ? results_csv_split(*line, f, 32) : 0;
	for (int i = 0; i < nwant; i++)
		if ((col[i] = results_csv_column(f, nf, want[i])) < 0) {
			fprintf(c->warn, "warning: %s: no column \"%s\"\n", path, want[i]);
			fclose(in);
			return NULL;
		}
	return in;
}

/* Per policy, the waits of jobs.csv's jobs that started service and arrived after the
 * warm-up (the jobs summary.csv's wait_* cover) in scope "all" or "class:NAME", as a CDF
 * without a band (NaN). Returns the number of waits, or -1 with a warning printed. */
long plots_cdf_from_jobs(plots_ctx *c, plots_cdf *d, const char *scope)
{
	const results *r = c->r;
	static const char *const want[4] = {"policy", "arrival", "start", "class"};
	char *line = NULL, *f[32];
	size_t lcap = 0;
	int col[4];
	long total = 0;
	double warmup = isfinite(r->warmup) ? r->warmup : 0;
	const char *cls = strncmp(scope, "class:", 6) ? NULL : scope + 6;
	if (!cls && strcmp(scope, "all"))
		return -1;
	FILE *in = csv_open(c, "jobs.csv", want, 4, col, &line, &lcap);
	if (!in) {
		free(line);
		return -1;
	}
	/* the waits go in d[].x first, then become the CDF's points in place */
	while (next_line(c, "jobs.csv", &line, &lcap, in)) {
		int nf = results_csv_split(line, f, 32);
		if (nf <= col[0] || nf <= col[1] || nf <= col[2] || nf <= col[3])
			continue;
		int pi = policy_index(r, f[col[0]]);
		double a = results_csv_number(f[col[1]]), s = results_csv_number(f[col[2]]);
		if (pi < 0 || pi >= SERIES_MAX || !isfinite(a) || !isfinite(s) || a < warmup ||
		    (cls && strcmp(cls, f[col[3]])))
			continue;
		if (cdf_push(&d[pi], s - a > 0 ? s - a : 0, 0, NAN, NAN))
			goto oom;
		total++;
	}
	if (ferror(in)) {
		fprintf(c->warn, "warning: %s/jobs.csv: read error: %s\n", r->dir, strerror(errno));
		total = -1;
	}
	for (int pi = 0; total >= 0 && pi < r->npolicies && pi < SERIES_MAX; pi++) {
		plots_cdf *x = &d[pi];
		size_t k = 0;
		qsort(x->x, x->n, sizeof *x->x, cmp_double);
		x->total = (double)x->n;
		for (size_t i = 0; i < x->n; i++) /* the last of equal waits carries their share */
			if (i + 1 == x->n || x->x[i + 1] != x->x[i]) {
				FG_ASSERT(k <= i); /* compacting in place never overtakes the reading */
				x->x[k] = x->x[i];
				x->f[k++] = (double)(i + 1) / x->total;
			}
		x->zero = k && x->x[0] == 0 ? x->f[0] : 0;
		x->n = k;
		FG_ASSERT(!k || x->f[k - 1] == 1); /* n / n, exactly */
	}
	free(line);
	fclose(in);
	return total;
oom:
	fprintf(c->warn, "warning: %s/jobs.csv: out of memory\n", r->dir);
	free(line);
	fclose(in);
	return -1;
}

/* Per policy, the CDF of one scope from wait_hist.csv (policy,scope,lower,upper,count,
 * cdf,cdf_min,cdf_max: the non-empty buckets in ascending order, the pooled share of
 * waits below upper and its range over replications; docs/outputs.md). A wait counts
 * at its bucket's upper edge, within the bucket's 4.4%. Returns the number of waits,
 * or -1 with a warning printed (a file out of order, or not in this form). */
long plots_cdf_from_hist(plots_ctx *c, plots_cdf *d, const char *scope)
{
	const results *r = c->r;
	static const char *const want[7] = {"policy", "scope",   "upper",  "count",
					    "cdf",    "cdf_min", "cdf_max"};
	char *line = NULL, *f[32];
	size_t lcap = 0;
	int col[7], lineno = 1;
	long total = 0;
	FILE *in = csv_open(c, "wait_hist.csv", want, 7, col, &line, &lcap);
	if (!in) {
		free(line);
		return -1;
	}
	while (next_line(c, "wait_hist.csv", &line, &lcap, in)) {
		int nf = results_csv_split(line, f, 32), pi;
		lineno++;
		if (nf < 7 || strcmp(f[col[1]], scope) || (pi = policy_index(r, f[col[0]])) < 0 ||
		    pi >= SERIES_MAX)
			continue;
		double v[5];
		for (int i = 0; i < 5; i++)
			v[i] = results_csv_number(f[col[2 + i]]);
		plots_cdf *x = &d[pi];
		if (!isfinite(v[0]) || !(v[1] > 0) || !(v[2] >= 0 && v[2] <= 1) ||
		    (x->n && (v[0] <= x->x[x->n - 1] || v[2] < x->f[x->n - 1]))) {
			fprintf(c->warn,
				"warning: %s/wait_hist.csv:%d: not a histogram in ascending order\n",
				r->dir, lineno);
			total = -1;
			break;
		}
		if (v[0] == 0)
			x->zero = v[2];
		if (cdf_push(x, v[0], v[2], v[3], v[4])) {
			fprintf(c->warn, "warning: %s/wait_hist.csv: out of memory\n", r->dir);
			total = -1;
			break;
		}
		x->total += v[1];
		total += (long)v[1];
	}
	free(line);
	fclose(in);
	return total;
}
