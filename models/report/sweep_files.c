/* sweep_files.c - a sweep's files: per-point files keyed by the identity hash
 * (sweep_identity, models/experiment/sweep.c), and sweep.csv assembled from them in point
 * order, whatever order they were run in. Here, with the other writers, because a point
 * file holds summary.csv's rows (output.c). */
#include "sweep_files.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "lines.h"
#include "outfile.h"
#include "output.h"
#include "ranking.h"
#include "results.h"
#include "stats.h"

static void point_path(char *buf, size_t len, const char *dir, uint64_t id)
{
	snprintf(buf, len, "%s/points/%016llx.csv", dir, (unsigned long long)id);
}

/* A point's replications beside its summary: the paired differences of
 * sweep_compare.csv need every replication's value, not only the means. */
static void reps_path(char *buf, size_t len, const char *dir, uint64_t id)
{
	snprintf(buf, len, "%s/points/%016llx.replications.csv", dir, (unsigned long long)id);
}

/* A point file is "# fgsim sweep point ID: what", summary.csv's header and rows, then
 * "# end: N rows, fnv1a HASH" over every byte before that line: a file cut short, edited
 * or with a row missing no longer matches its last line, and is not taken for results. */
static const char POINT_HEADER[] = "policy,scope,metric,mean,half_width,n\n";

/* Reads and checks a point file whose second line is `header`. Returns 0 with its rows (after the header, before
 * the last line) in *rows, *len bytes, malloc'd; -1 with why it does not match in why
 * (errno ENOENT: there is no such file); never reads a line past LINES_MAX. */
static int point_read(const char *path, const char *header, uint64_t id, char **rows, size_t *len,
		      char *why, size_t whylen)
{
	char want[64], *line = NULL, *out = NULL;
	size_t cap = 0, outlen = 0;
	long n, ln = 0, nrows = 0;
	uint64_t h = LINES_FNV_INIT;
	int rc = -1, end = 0;
	FILE *f = fopen(path, "r"), *m = NULL;
	*rows = NULL;
	*len = 0;
	if (!f) {
		int e = errno;
		snprintf(why, whylen, "cannot read: %s", strerror(e));
		errno = e;
		return -1;
	}
	if (!(m = open_memstream(&out, &outlen))) {
		snprintf(why, whylen, "out of memory");
		goto done;
	}
	snprintf(want, sizeof want, "# fgsim sweep point %016llx:", (unsigned long long)id);
	while ((n = lines_get(&line, &cap, LINES_MAX, f)) > 0) {
		ln++;
		if (end) {
			snprintf(why, whylen, "line %ld: text after the checksum line", ln);
			goto done;
		}
		if (n == LINES_TOO_LONG) {
			snprintf(why, whylen, "line %ld: line longer than %d bytes", ln,
				 LINES_MAX);
			goto done;
		}
		if (line[n - 1] != '\n' || (long)strlen(line) != n) {
			snprintf(why, whylen, "line %ld: %s", ln,
				 line[n - 1] != '\n' ? "cut short" : "NUL byte");
			goto done;
		}
		if (ln == 1 && strncmp(line, want, strlen(want))) {
			snprintf(why, whylen, "line 1 is not \"%s ...\"", want);
			goto done;
		}
		if (ln == 2 && strcmp(line, header)) {
			snprintf(why, whylen, "line 2 is not the header %.*s",
				 (int)strlen(header) - 1, header);
			goto done;
		}
		if (ln > 2 && !strncmp(line, "# end:", 6)) {
			unsigned long long got_hash;
			long got_rows;
			char tail;
			if (sscanf(line, "# end: %ld rows, fnv1a %16llx%c", &got_rows, &got_hash,
				   &tail) != 3 ||
			    tail != '\n') {
				snprintf(why, whylen, "line %ld: a malformed checksum line", ln);
				goto done;
			}
			if (got_rows != nrows || got_hash != h) {
				snprintf(
					why, whylen,
					"%ld rows with hash %016llx, but its last line says %ld rows, %016llx",
					nrows, (unsigned long long)h, got_rows, got_hash);
				goto done;
			}
			end = 1;
			continue;
		}
		h = lines_fnv(h, line, (size_t)n);
		if (ln > 2) {
			nrows++;
			fwrite(line, 1, (size_t)n, m);
		}
	}
	if (n < 0 || ferror(f))
		snprintf(why, whylen, "read error: %s", strerror(errno));
	else if (!end)
		snprintf(why, whylen, "%s",
			 ln < 2 ? "empty or cut short before its header"
				: "no checksum line at its end (cut short?)");
	else
		rc = 0;
done:
	free(line);
	fclose(f);
	if (m && fclose(m) && !rc) {
		snprintf(why, whylen, "out of memory");
		rc = -1;
	}
	if (rc) {
		free(out);
		errno = EINVAL;
		return -1;
	}
	*rows = out;
	*len = outlen;
	return 0;
}

int sweep_point_saved(const char *dir, uint64_t id)
{
	char path[4200], why[256], *rows;
	size_t len;
	point_path(path, sizeof path, dir, id);
	if (point_read(path, POINT_HEADER, id, &rows, &len, why, sizeof why)) {
		/* no file: the point was never run, nothing to say */
		if (errno != ENOENT)
			fprintf(stderr, "%s: not reused, the point runs again: %s\n", path, why);
		return -1;
	}
	free(rows);
	/* a point saved by an fgsim that kept no replications runs again, quietly */
	reps_path(path, sizeof path, dir, id);
	if (point_read(path, output_replications_header, id, &rows, &len, why, sizeof why)) {
		if (errno != ENOENT)
			fprintf(stderr, "%s: not reused, the point runs again: %s\n", path, why);
		return -1;
	}
	free(rows);
	return 0;
}

/* Every replication's value of every metric, as replications.csv has them but with all
 * 17 digits: sweep_compare.csv's differences computed from them are those of the
 * doubles the run had. */
static void write_reps(const experiment *e, FILE *f)
{
	output_replications(e, f, 17);
}

/* Writes dir/NAME: the identity line, what `write` writes (a header and rows), and the
 * checksum line point_read checks. Returns 0, or -1 with errno set. */
static int point_write(const char *dir, const char *name, uint64_t id, const char *what,
		       const experiment *e, void (*write)(const experiment *, FILE *))
{
	char *text = NULL;
	size_t len = 0;
	outfile o;
	/* The rows go to memory first, so they can be counted and hashed. */
	FILE *m = open_memstream(&text, &len);
	if (!m)
		return -1;
	fprintf(m, "# fgsim sweep point %016llx: %s\n", (unsigned long long)id, what);
	write(e, m);
	if (fclose(m)) {
		free(text);
		errno = ENOMEM;
		return -1;
	}
	long nrows = -2; /* the identity and the header are not rows */
	for (size_t i = 0; i < len; i++)
		nrows += text[i] == '\n';
	if (outfile_open(&o, dir, name)) {
		free(text);
		return -1;
	}
	fwrite(text, 1, len, o.f);
	fprintf(o.f, "# end: %ld rows, fnv1a %016llx\n", nrows,
		(unsigned long long)lines_fnv(LINES_FNV_INIT, text, len));
	free(text);
	return outfile_commit(&o);
}

int sweep_point_save(const char *dir, uint64_t id, const char *what, const experiment *e)
{
	char pdir[4200], name[64];
	snprintf(pdir, sizeof pdir, "%s/points", dir);
	if (outfile_mkdirs(pdir))
		return -1;
	/* the replications first: a summary file alone is not a saved point */
	snprintf(name, sizeof name, "%016llx.replications.csv", (unsigned long long)id);
	if (point_write(pdir, name, id, what, e, write_reps))
		return -1;
	snprintf(name, sizeof name, "%016llx.csv", (unsigned long long)id);
	return point_write(pdir, name, id, what, e, output_summary); /* summary.csv's rows */
}

void sweep_csv_cell(FILE *f, const char *text)
{
	output_csv_cell(f, text); /* one quoting rule for every CSV fgsim writes */
}

/* A value as its sweep.csv cell: a plain libconfig string loses its quotes. */
static void value_cell(FILE *f, const char *v)
{
	size_t n = strlen(v);
	if (n >= 2 && v[0] == '"' && v[n - 1] == '"' && !memchr(v + 1, '"', n - 2) &&
	    !memchr(v + 1, '\\', n - 2)) {
		char buf[1024];
		snprintf(buf, sizeof buf, "%.*s", (int)(n - 2 < 1000 ? n - 2 : 1000), v + 1);
		sweep_csv_cell(f, buf);
	} else {
		sweep_csv_cell(f, v);
	}
}

int sweep_write_csv(const sweep *s, const char *dir, const uint64_t *ids, char *err, size_t errlen)
{
	outfile o;
	char path[4200], why[256], *rows = NULL;
	size_t len;
	if (outfile_open(&o, dir, "sweep.csv")) {
		snprintf(err, errlen, "%s/sweep.csv: cannot write: %s", dir, strerror(errno));
		return -1;
	}
	for (int k = 0; k < s->nkeys; k++) {
		sweep_csv_cell(o.f, s->keys[k].key);
		fputc(',', o.f);
	}
	fputs(POINT_HEADER, o.f);
	for (long p = 0; p < s->npoints; p++) {
		point_path(path, sizeof path, dir, ids[p]);
		/* Only a file that still matches its checksum: one changed since it was saved
		 * (or checked) fails the sweep rather than leave its rows out of sweep.csv. */
		if (point_read(path, POINT_HEADER, ids[p], &rows, &len, why, sizeof why)) {
			snprintf(err, errlen, "%s: %s; run the sweep again to redo the point",
				 path, why);
			goto fail;
		}
		for (char *r = rows, *nl; r < rows + len; r = nl + 1) {
			nl = memchr(r, '\n',
				    (size_t)(rows + len - r)); /* every row ends with one */
			for (int k = 0; k < s->nkeys; k++) {
				value_cell(o.f, s->keys[k].value[sweep_value_index(s, p, k)]);
				fputc(',', o.f);
			}
			fwrite(r, 1, (size_t)(nl - r) + 1, o.f);
		}
		free(rows);
		rows = NULL;
	}
	if (outfile_commit(&o)) {
		snprintf(err, errlen, "%s/sweep.csv: cannot write: %s", dir, strerror(errno));
		return -1;
	}
	return 0;
fail:
	outfile_abort(&o);
	return -1;
}

/* One point's replications read back: rows[i] of reps_row, in the order write_reps
 * wrote them (policy, replication, scope, metric). */
typedef struct reps_row {
	char *policy, *scope, *metric;
	int rep;
	double value;
} reps_row;

/* Parses the rows of a replications file (text is changed in place; the rows point
 * into it). Returns the row count, or -1 for a malformed row or no memory. */
static long reps_parse(char *text, size_t len, reps_row **out)
{
	reps_row *row = NULL;
	size_t cap = 0;
	long n = 0;
	for (char *r = text, *nl; r < text + len; r = nl + 1) {
		char *f[8];
		nl = memchr(r, '\n', (size_t)(text + len - r)); /* every row ends with one */
		*nl = 0;
		if (results_csv_split(r, f, 8) != 5 || GROW(row, cap, (size_t)n + 1)) {
			free(row);
			return -1;
		}
		row[n] = (reps_row){f[0], f[2], f[3], atoi(f[1]), results_csv_number(f[4])};
		n++;
	}
	*out = row;
	return n;
}

/* The paired differences of one point, written as sweep_compare.csv's rows after the
 * point's key cells: every policy against the first, as compare.csv computes them
 * (Bonferroni over the k - 1 comparisons of each scope and metric). Returns 0, or -1
 * when the rows are not whole blocks of policy x replication. */
static int compare_point(const sweep *s, long p, const reps_row *row, long nrows,
			 double confidence, FILE *f)
{
	/* rows per (policy, replication): those before the first row of another one */
	long per = 0, nrep = 0, npol = 0;
	while (per < nrows && row[per].rep == row[0].rep &&
	       !strcmp(row[per].policy, row[0].policy))
		per++;
	for (long i = 0; i < nrows && !strcmp(row[i].policy, row[0].policy); i += per)
		nrep++;
	if (per == 0 || nrows % (per * nrep))
		return -1;
	npol = nrows / (per * nrep);
	/* every block lists the same scopes and metrics in the same order */
	for (long i = 0; i < nrows; i++) {
		const reps_row *a = &row[i], *b = &row[i % per];
		if (strcmp(a->scope, b->scope) || strcmp(a->metric, b->metric) ||
		    a->rep != (int)((i / per) % nrep))
			return -1;
	}
	double d[nrep], level = ranking_level(confidence, (int)npol - 1);
	for (long pi = 1; pi < npol; pi++)
		for (long j = 0; j < per; j++) {
			const reps_row *head = &row[(pi * nrep) * per + j];
			for (long r = 0; r < nrep; r++)
				d[r] = row[(pi * nrep + r) * per + j].value -
				       row[r * per + j].value;
			double mean, hw;
			size_t n = stat_ci(d, (size_t)nrep, level, &mean, &hw);
			for (int k = 0; k < s->nkeys; k++) {
				value_cell(f, s->keys[k].value[sweep_value_index(s, p, k)]);
				fputc(',', f);
			}
			sweep_csv_cell(f, head->policy);
			fputc(',', f);
			sweep_csv_cell(f, head->scope);
			fprintf(f, ",%s,", head->metric);
			if (isfinite(mean))
				fprintf(f, "%.10g", mean);
			fputc(',', f);
			if (isfinite(hw))
				fprintf(f, "%.10g", hw);
			fprintf(f, ",%zu\n", n);
		}
	return 0;
}

int sweep_write_compare(const sweep *s, const char *dir, const uint64_t *ids,
			const double *confidence, char *err, size_t errlen)
{
	outfile o;
	char path[4200], why[256], *text = NULL;
	size_t len;
	reps_row *row = NULL;
	if (outfile_open(&o, dir, "sweep_compare.csv")) {
		snprintf(err, errlen, "%s/sweep_compare.csv: cannot write: %s", dir,
			 strerror(errno));
		return -1;
	}
	for (int k = 0; k < s->nkeys; k++) {
		sweep_csv_cell(o.f, s->keys[k].key);
		fputc(',', o.f);
	}
	fputs("policy,scope,metric,diff_mean,half_width,n\n", o.f);
	for (long p = 0; p < s->npoints; p++) {
		reps_path(path, sizeof path, dir, ids[p]);
		if (point_read(path, output_replications_header, ids[p], &text, &len, why, sizeof why)) {
			snprintf(err, errlen, "%s: %s; run the sweep again to redo the point",
				 path, why);
			goto fail;
		}
		long n = reps_parse(text, len, &row);
		if (n < 0 || compare_point(s, p, row, n, confidence[p], o.f)) {
			snprintf(err, errlen,
				 "%s: not whole blocks of policy and replication rows", path);
			goto fail;
		}
		free(row);
		free(text);
		row = NULL;
		text = NULL;
	}
	if (outfile_commit(&o)) {
		snprintf(err, errlen, "%s/sweep_compare.csv: cannot write: %s", dir,
			 strerror(errno));
		return -1;
	}
	return 0;
fail:
	free(row);
	free(text);
	outfile_abort(&o);
	return -1;
}

double *sweep_point_matrix(const char *dir, const char *id, const char *scope, const char *metric,
			   char ***policy, int *k, int *n)
{
	char path[4200], why[256], *text = NULL, *end;
	size_t len;
	reps_row *row = NULL;
	double *x = NULL;
	unsigned long long h = strtoull(id, &end, 16);
	*policy = NULL;
	*k = *n = 0;
	if (*end || end == id)
		return NULL;
	reps_path(path, sizeof path, dir, h);
	long nrows;
	if (point_read(path, output_replications_header, h, &text, &len, why, sizeof why) ||
	    (nrows = reps_parse(text, len, &row)) < 0)
		goto done;
	size_t cap = 0, pcap = 0;
	int nx = 0;
	for (long i = 0; i < nrows; i++) {
		if (strcmp(row[i].scope, scope) || strcmp(row[i].metric, metric))
			continue;
		/* rows come policy by policy, each with its replications 0, 1, ... */
		if (!*k || strcmp((*policy)[*k - 1], row[i].policy)) {
			if (GROW(*policy, pcap, (size_t)*k + 1) ||
			    !((*policy)[*k] = strdup(row[i].policy)))
				goto fail;
			(*k)++;
		}
		if (GROW(x, cap, (size_t)nx + 1))
			goto fail;
		x[nx++] = row[i].value;
	}
	if (*k && nx % *k == 0) {
		*n = nx / *k;
		goto done;
	}
fail:
	for (int i = 0; *policy && i < *k; i++)
		free((*policy)[i]);
	free(*policy);
	free(x);
	x = NULL;
	*policy = NULL;
	*k = 0;
done:
	free(row);
	free(text);
	return x;
}
