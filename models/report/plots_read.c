/* plots_read.c - the CSVs behind the plots over time and the wait CDF: timeseries.csv
 * averaged over replications per sample time, and the wait distribution from
 * wait_hist.csv or jobs.csv. Damaged input is a warning and no plot, never a failure. */
#include "plots_int.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

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
		free(ts[i].queued);
		free(ts[i].util);
		free(ts[i].price);
		free(ts[i].count);
	}
	free(ts);
}

/* Room for `need` samples in each of s's five parallel columns. Each grows from the
 * same s->cap by the same rule (grow.h), so they stay the same capacity; s->cap moves
 * only when all five have grown (one that grew before a failure just has spare room). */
static int ts_grow(plots_ts *s, size_t need)
{
	double **cols[] = {&s->t, &s->queued, &s->util, &s->price};
	size_t cap = s->cap;
	for (size_t i = 0; i < 4; i++) {
		cap = s->cap;
		if (grow_array(cols[i], &cap, need, sizeof **cols[i]))
			return -1;
	}
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

/* Reads timeseries.csv into per-policy means over replications at each sample time.
 * The rows of one replication are contiguous and in time order, so the k-th row of
 * every replication is the same time. Returns 0, or -1 with a warning printed. */
int plots_ts_load(plots_ctx *c)
{
	const results *r = c->r;
	char path[4300], *line = NULL, *f[32];
	size_t lcap = 0;
	int col[6], lineno = 0, cur_pol = -2, rc = -1;
	char cur_rep[64] = "";
	size_t k = 0;
	static const char *const want[6] = {"policy", "replication", "t", "queued", "utilization", "price_factor"};
	snprintf(path, sizeof path, "%s/timeseries.csv", r->dir);
	FILE *in = fopen(path, "r");
	if (!in) {
		fprintf(c->warn, "warning: %s: cannot read: %s; no plots over time\n", path, strerror(errno));
		return -1;
	}
	if (!(c->ts = calloc((size_t)r->npolicies, sizeof *c->ts)))
		goto oom;
	while (next_line(c, "timeseries.csv", &line, &lcap, in)) {
		int nf = results_csv_split(line, f, 32);
		if (++lineno == 1) {
			for (int i = 0; i < 6; i++)
				if ((col[i] = results_csv_column(f, nf, want[i])) < 0) {
					fprintf(c->warn, "warning: %s: no column \"%s\"; no plots over time\n", path, want[i]);
					goto done;
				}
			continue;
		}
		if (nf < 6)
			continue;
		int pi = policy_index(r, f[col[0]]);
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
			if (s->n == s->cap && ts_grow(s, s->n + 1))
				goto oom;
			s->t[k] = t;
			s->queued[k] = s->util[k] = s->price[k] = 0;
			s->count[k] = 0;
			s->n++;
		} else if (fabs(s->t[k] - t) > 1e-6 * fmax(1, fabs(t))) {
			fprintf(c->warn, "warning: %s:%d: replications disagree on sample times (%.10g vs %.10g); no plots over time\n",
				path, lineno, t, s->t[k]);
			goto done;
		}
		s->queued[k] += results_csv_number(f[col[3]]);
		s->util[k] += results_csv_number(f[col[4]]);
		s->price[k] += results_csv_number(f[col[5]]);
		s->count[k]++;
		k++;
	}
	for (int pi = 0; pi < r->npolicies; pi++)
		for (size_t i = 0; i < c->ts[pi].n; i++) {
			plots_ts *s = &c->ts[pi];
			FG_ASSERT(s->count[i] >= 1); /* a sample exists because a row made it */
			s->queued[i] /= s->count[i];
			s->util[i] /= s->count[i];
			s->price[i] /= s->count[i];
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

/* Appends the point (x, f); x and f grow together from d->cap (see ts_grow). */
static int cdf_push(plots_cdf *d, double x, double f)
{
	if (d->n == d->cap) {
		size_t cap = d->cap;
		if (grow_array(&d->x, &cap, d->n + 1, sizeof *d->x))
			return -1;
		cap = d->cap;
		if (grow_array(&d->f, &cap, d->n + 1, sizeof *d->f))
			return -1;
		d->cap = cap;
	}
	FG_ASSERT(d->n < d->cap);
	d->x[d->n] = x;
	d->f[d->n++] = f;
	return 0;
}

void plots_cdf_free(plots_cdf *d, int n)
{
	for (int i = 0; d && i < n; i++) {
		free(d[i].x);
		free(d[i].f);
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
 * warm-up (the jobs summary.csv's wait_* cover), as a CDF. Returns the number of
 * waits, or -1 with a warning printed. */
long plots_cdf_from_jobs(plots_ctx *c, plots_cdf *d)
{
	const results *r = c->r;
	static const char *const want[3] = {"policy", "arrival", "start"};
	char *line = NULL, *f[32];
	size_t lcap = 0;
	int col[3];
	long total = 0;
	double warmup = isfinite(r->warmup) ? r->warmup : 0;
	FILE *in = csv_open(c, "jobs.csv", want, 3, col, &line, &lcap);
	if (!in) {
		free(line);
		return -1;
	}
	/* the waits go in d[].x first, then become the CDF's points in place */
	while (next_line(c, "jobs.csv", &line, &lcap, in)) {
		int nf = results_csv_split(line, f, 32);
		if (nf <= col[0] || nf <= col[1] || nf <= col[2])
			continue;
		int pi = policy_index(r, f[col[0]]);
		double a = results_csv_number(f[col[1]]), s = results_csv_number(f[col[2]]);
		if (pi < 0 || pi >= SERIES_MAX || !isfinite(a) || !isfinite(s) || a < warmup)
			continue;
		if (cdf_push(&d[pi], s - a > 0 ? s - a : 0, 0))
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

static int cmp_pair(const void *a, const void *b)
{
	const double *x = a, *y = b;
	return (x[0] > y[0]) - (x[0] < y[0]);
}

/* Per policy, the CDF of scope "all" from wait_hist.csv (policy,scope,lower,upper,count:
 * the wait histogram's non-empty buckets summed over replications; a wait counts at
 * its bucket's upper edge, within the histogram's 0.4%). Returns the number of waits,
 * or -1 with a warning printed. */
long plots_cdf_from_hist(plots_ctx *c, plots_cdf *d)
{
	const results *r = c->r;
	static const char *const want[4] = {"policy", "scope", "upper", "count"};
	char *line = NULL, *f[32];
	size_t lcap = 0;
	int col[4];
	long total = 0;
	FILE *in = csv_open(c, "wait_hist.csv", want, 4, col, &line, &lcap);
	if (!in) {
		free(line);
		return -1;
	}
	/* (upper, count) pairs go into d[].x and d[].f, then become the CDF in place */
	while (next_line(c, "wait_hist.csv", &line, &lcap, in)) {
		int nf = results_csv_split(line, f, 32);
		if (nf <= col[0] || nf <= col[1] || nf <= col[2] || nf <= col[3] || strcmp(f[col[1]], "all"))
			continue;
		int pi = policy_index(r, f[col[0]]);
		double up = results_csv_number(f[col[2]]), n = results_csv_number(f[col[3]]);
		if (pi < 0 || pi >= SERIES_MAX || !isfinite(up) || !(n > 0))
			continue;
		if (cdf_push(&d[pi], up, n)) {
			fprintf(c->warn, "warning: %s/wait_hist.csv: out of memory\n", r->dir);
			total = -1;
			break;
		}
		total += (long)n;
	}
	for (int pi = 0; total >= 0 && pi < r->npolicies && pi < SERIES_MAX; pi++) {
		plots_cdf *x = &d[pi];
		double (*pair)[2] = malloc(x->n * sizeof *pair), cum = 0;
		if (!pair && x->n) {
			total = -1;
			break;
		}
		for (size_t i = 0; i < x->n; i++) {
			pair[i][0] = x->x[i];
			pair[i][1] = x->f[i];
			x->total += x->f[i];
		}
		FG_ASSERT(!x->n || x->total > 0); /* only buckets with a count > 0 were pushed */
		qsort(pair, x->n, sizeof *pair, cmp_pair);
		for (size_t i = 0; i < x->n; i++) {
			cum += pair[i][1];
			x->x[i] = pair[i][0];
			x->f[i] = cum / x->total;
		}
		free(pair);
	}
	free(line);
	fclose(in);
	return total;
}
