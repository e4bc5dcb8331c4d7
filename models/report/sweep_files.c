/* sweep_files.c - a sweep's files: per-point files keyed by the identity hash
 * (sweep_identity, models/experiment/sweep.c), and sweep.csv assembled from them in point
 * order, whatever order they were run in. Here, with the other writers, because a point
 * file holds summary.csv's rows (output.c). */
#include "sweep_files.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lines.h"
#include "outfile.h"
#include "output.h"

static void point_path(char *buf, size_t len, const char *dir, uint64_t id)
{
	snprintf(buf, len, "%s/points/%016llx.csv", dir, (unsigned long long)id);
}

/* A point file is "# fgsim sweep point ID: what", summary.csv's header and rows, then
 * "# end: N rows, fnv1a HASH" over every byte before that line: a file cut short, edited
 * or with a row missing no longer matches its last line, and is not taken for results. */
static const char POINT_HEADER[] = "policy,scope,metric,mean,half_width,n\n";

/* Reads and checks dir/points/ID.csv. Returns 0 with its rows (after the header, before
 * the last line) in *rows, *len bytes, malloc'd; -1 with why it does not match in why
 * (errno ENOENT: there is no such file); never reads a line past LINES_MAX. */
static int point_read(const char *path, uint64_t id, char **rows, size_t *len, char *why, size_t whylen)
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
			snprintf(why, whylen, "line %ld: line longer than %d bytes", ln, LINES_MAX);
			goto done;
		}
		if (line[n - 1] != '\n' || (long)strlen(line) != n) {
			snprintf(why, whylen, "line %ld: %s", ln, line[n - 1] != '\n' ? "cut short" : "NUL byte");
			goto done;
		}
		if (ln == 1 && strncmp(line, want, strlen(want))) {
			snprintf(why, whylen, "line 1 is not \"%s ...\"", want);
			goto done;
		}
		if (ln == 2 && strcmp(line, POINT_HEADER)) {
			snprintf(why, whylen, "line 2 is not summary.csv's header");
			goto done;
		}
		if (ln > 2 && !strncmp(line, "# end:", 6)) {
			unsigned long long got_hash;
			long got_rows;
			char tail;
			if (sscanf(line, "# end: %ld rows, fnv1a %16llx%c", &got_rows, &got_hash, &tail) != 3 || tail != '\n') {
				snprintf(why, whylen, "line %ld: a malformed checksum line", ln);
				goto done;
			}
			if (got_rows != nrows || got_hash != h) {
				snprintf(why, whylen, "%ld rows with hash %016llx, but its last line says %ld rows, %016llx",
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
		snprintf(why, whylen, "%s", ln < 2 ? "empty or cut short before its header"
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
	if (point_read(path, id, &rows, &len, why, sizeof why)) {
		/* no file: the point was never run, nothing to say */
		if (errno != ENOENT)
			fprintf(stderr, "%s: not reused, the point runs again: %s\n", path, why);
		return -1;
	}
	free(rows);
	return 0;
}

int sweep_point_save(const char *dir, uint64_t id, const char *what, const experiment *e)
{
	char pdir[4200], name[64], *text = NULL;
	size_t len = 0;
	outfile o;
	/* The summary goes to memory first, so its rows can be counted and hashed. */
	FILE *m = open_memstream(&text, &len);
	if (!m)
		return -1;
	fprintf(m, "# fgsim sweep point %016llx: %s\n", (unsigned long long)id, what);
	output_summary(e, m); /* summary.csv's header and rows */
	if (fclose(m)) {
		free(text);
		errno = ENOMEM;
		return -1;
	}
	long nrows = -2; /* the identity and the header are not rows */
	for (size_t i = 0; i < len; i++)
		nrows += text[i] == '\n';
	snprintf(pdir, sizeof pdir, "%s/points", dir);
	snprintf(name, sizeof name, "%016llx.csv", (unsigned long long)id);
	if (outfile_mkdirs(pdir) || outfile_open(&o, pdir, name)) {
		free(text);
		return -1;
	}
	fwrite(text, 1, len, o.f);
	fprintf(o.f, "# end: %ld rows, fnv1a %016llx\n", nrows, (unsigned long long)lines_fnv(LINES_FNV_INIT, text, len));
	free(text);
	return outfile_commit(&o);
}

void sweep_csv_cell(FILE *f, const char *text)
{
	output_csv_cell(f, text); /* one quoting rule for every CSV fgsim writes */
}

/* A value as its sweep.csv cell: a plain libconfig string loses its quotes. */
static void value_cell(FILE *f, const char *v)
{
	size_t n = strlen(v);
	if (n >= 2 && v[0] == '"' && v[n - 1] == '"' && !memchr(v + 1, '"', n - 2) && !memchr(v + 1, '\\', n - 2)) {
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
		if (point_read(path, ids[p], &rows, &len, why, sizeof why)) {
			snprintf(err, errlen, "%s: %s; run the sweep again to redo the point", path, why);
			goto fail;
		}
		for (char *r = rows, *nl; r < rows + len; r = nl + 1) {
			nl = memchr(r, '\n', (size_t)(rows + len - r)); /* every row ends with one */
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
