/* fgcal_samples.c - the raw samples file (gzip'd CSV through zlib) and the summary +
 * samples pair fgcal and fgcal-derive write. */
#include "fgcal_samples.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "fgcal_plan.h"
#include "grow.h"
#include "outfile.h"

/* dir and name of path ("." when it has no folder). */
static void split_path(const char *path, char *dir, size_t dlen, const char **name)
{
	const char *slash = strrchr(path, '/');
	if (slash) {
		snprintf(dir, dlen, "%.*s", (int)(slash - path), path);
		if (!dir[0])
			snprintf(dir, dlen, "/");
		*name = slash + 1;
	} else {
		snprintf(dir, dlen, ".");
		*name = path;
	}
}

int fgcal_samples_write(const calib_table *t, const char *path)
{
	char dir[4096], row[160];
	const char *name;
	int with = 0, without = 0;
	for (int i = 0; i < t->nkernels; i++)
		if (t->kernels[i].raw_us)
			t->kernels[i].raw_clock_mhz ? with++ : without++;
	if (with && without) { /* one layout for the whole file: clocks for all or for none */
		errno = EINVAL;
		return -1;
	}
	split_path(path, dir, sizeof dir, &name);
	outfile o;
	if (outfile_open(&o, dir, name))
		return -1;
	int fd = dup(fileno(o.f));
	gzFile z = fd >= 0 ? gzdopen(fd, "wb9") : NULL;
	if (!z) {
		if (fd >= 0)
			close(fd);
		outfile_abort(&o);
		errno = ENOMEM;
		return -1;
	}
	int bad = gzputs(z, with ? "kernel,shape,us,clock_mhz\n" : "kernel,shape,us\n") < 0;
	for (int i = 0; i < t->nkernels && !bad; i++) {
		const calib_kernel *k = &t->kernels[i];
		for (int j = 0; k->raw_us && j < k->nsamples && !bad; j++) {
			int n = snprintf(row, sizeof row, "%s,%s,", k->name, k->shape);
			n += calib_sample_text(row + n, sizeof row - (size_t)n - 1, k->raw_us[j],
					       k->raw_clock_mhz ? &k->raw_clock_mhz[j] : NULL);
			row[n++] = '\n';
			bad = gzwrite(z, row, (unsigned)n) != n;
		}
	}
	if (gzclose(z) != Z_OK || bad) {
		outfile_abort(&o);
		errno = EIO;
		return -1;
	}
	return outfile_commit(&o);
}

/* The samples of one entry while the file is read. */
typedef struct column {
	double *us, *clock;
	size_t n, cap_us, cap_clock;
} column;

static int fail(char *err, size_t len, const char *path, long line, const char *what)
{
	snprintf(err, len, "%s:%ld: %s", path, line, what);
	return 2;
}

/* The index of name,shape among t's kernels, starting the search at *hint. */
static int find_entry(const calib_table *t, const char *name, const char *shape, int *hint)
{
	for (int n = 0; n < t->nkernels; n++) {
		int i = (*hint + n) % t->nkernels;
		if (!strcmp(t->kernels[i].name, name) && !strcmp(t->kernels[i].shape, shape))
			return *hint = i;
	}
	return -1;
}

/* Splits one row "kernel,shape,us[,clock]" in place. Returns the number of fields. */
static int split_row(char *row, char **f, int max)
{
	int n = 0;
	row[strcspn(row, "\r\n")] = 0;
	f[n++] = row;
	for (char *p = row; *p && n < max; p++)
		if (*p == ',') {
			*p = 0;
			f[n++] = p + 1;
		}
	return n;
}

static int read_rows(gzFile z, const char *path, const calib_table *t, column *col, char *err,
		     size_t errlen)
{
	char row[512], *f[5], msg[256];
	long line = 1;
	int hint = 0, clocks;
	if (!gzgets(z, row, sizeof row))
		return fail(err, errlen, path, 1,
			    "empty: expected the header kernel,shape,us[,clock_mhz]");
	row[strcspn(row, "\r\n")] = 0;
	if (!strcmp(row, "kernel,shape,us"))
		clocks = 0;
	else if (!strcmp(row, "kernel,shape,us,clock_mhz"))
		clocks = 1;
	else
		return fail(err, errlen, path, 1,
			    "the header must be kernel,shape,us or kernel,shape,us,clock_mhz");
	while (gzgets(z, row, sizeof row)) {
		line++;
		if (split_row(row, f, 5) != 3 + clocks)
			return fail(err, errlen, path, line,
				    clocks ? "a row needs 4 fields" : "a row needs 3 fields");
		int i = find_entry(t, f[0], f[1], &hint);
		if (i < 0) {
			snprintf(msg, sizeof msg, "%s %s is not an entry of the summary", f[0],
				 f[1]);
			return fail(err, errlen, path, line, msg);
		}
		char *end;
		double us = strtod(f[2], &end), c = 0;
		if (end == f[2] || *end || !(us > 0))
			return fail(err, errlen, path, line, "us must be a positive time");
		if (clocks && (c = strtod(f[3], &end), end == f[3] || *end || !(c >= 0)))
			return fail(err, errlen, path, line, "clock_mhz must be a number >= 0");
		column *k = &col[i];
		if (GROW(k->us, k->cap_us, k->n + 1) ||
		    (clocks && GROW(k->clock, k->cap_clock, k->n + 1)))
			return fail(err, errlen, path, line, "out of memory");
		k->us[k->n] = us;
		if (clocks)
			k->clock[k->n] = c;
		k->n++;
	}
	int zerr;
	const char *zmsg = gzerror(z, &zerr);
	if (zerr != Z_OK && zerr != Z_STREAM_END)
		return fail(err, errlen, path, line, zmsg);
	return 0;
}

int fgcal_samples_load(const char *path, const calib_table *t, calib_table *fresh, char *err,
		       size_t errlen)
{
	memset(fresh, 0, sizeof *fresh);
	gzFile z = gzopen(path, "rb");
	if (!z) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno ? errno : ENOENT));
		return 2;
	}
	column *col = calloc((size_t)t->nkernels + 1, sizeof *col);
	int rc = col ? read_rows(z, path, t, col, err, errlen)
		     : fail(err, errlen, path, 0, "out of memory");
	gzclose(z);
	snprintf(fresh->path, sizeof fresh->path, "%s", path);
	fresh->sm_clock_mhz = t->sm_clock_mhz; /* what a sample is throttled against */
	for (int i = 0; i < t->nkernels && !rc; i++) {
		const calib_kernel *k = &t->kernels[i];
		if (!col[i].n) {
			snprintf(err, errlen, "%s: no samples for %s %s (%s:%d)", path, k->name,
				 k->shape, t->path, k->line);
			rc = 2;
		} else if (col[i].n > INT_MAX ||
			   calib_add_kernel(fresh, k, col[i].us, col[i].clock, (int)col[i].n)) {
			snprintf(err, errlen, "%s: out of memory", path);
			rc = 2;
		}
	}
	for (int i = 0; col && i < t->nkernels; i++) {
		free(col[i].us);
		free(col[i].clock);
	}
	free(col);
	if (rc)
		calib_free(fresh);
	return rc;
}

void fgcal_samples_path(const calib_table *t, char *out, size_t len)
{
	char dir[4096];
	const char *name;
	split_path(t->path, dir, sizeof dir, &name);
	if (t->samples_file[0] == '/')
		snprintf(out, len, "%s", t->samples_file);
	else
		snprintf(out, len, "%s/%s", dir, t->samples_file);
}

int fgcal_samples_verify(const calib_table *t, char *err, size_t errlen)
{
	char path[8192], why[512];
	calib_table fresh;
	fgcal_samples_path(t, path, sizeof path);
	if (fgcal_samples_load(path, t, &fresh, err, errlen))
		return 2;
	int rc = 0;
	for (int i = 0; i < t->nkernels && !rc; i++)
		if (calib_summary_mismatch(&t->kernels[i], &fresh.kernels[i], why, sizeof why)) {
			snprintf(err, errlen, "%s:%d: %s (samples %s)", t->path,
				 t->kernels[i].line, why, path);
			rc = 1;
		}
	calib_free(&fresh);
	return rc;
}

/* target relative to the folder `from` (both existing): "../../kernels/measurements/x". */
static int relative_to(const char *from, const char *target, char *out, size_t len)
{
	char a[PATH_MAX], b[PATH_MAX], tdir[4096];
	const char *name;
	split_path(target, tdir, sizeof tdir, &name);
	if (!realpath(from, a) || !realpath(tdir, b))
		return -1;
	size_t common = 0;
	for (size_t i = 0; a[i] && a[i] == b[i]; i++)
		if (a[i + 1] == '/' || !a[i + 1])
			if (b[i + 1] == '/' || !b[i + 1])
				common = i + 1;
	size_t n = 0;
	out[0] = 0;
	for (const char *p = a + common; *p; p++) /* one ../ per folder of `from` below common */
		if (*p == '/') {
			if (n + 3 >= len)
				return -1;
			memcpy(out + n, "../", 4);
			n += 3;
		}
	const char *rest = b + common;
	while (*rest == '/')
		rest++;
	int m = snprintf(out + n, len - n, "%s%s%s", rest, *rest ? "/" : "", name);
	return m >= 0 && (size_t)m < len - n ? 0 : -1;
}

int fgcal_write_pair(const calib_table *t, const char *cfg_path, const char *samples_path,
		     const char *header)
{
	char dir[4096], old[8192];
	const char *name;
	int has = 0;
	for (int i = 0; i < t->nkernels; i++)
		has |= t->kernels[i].raw_us != NULL;
	calib_table w = *t; /* shares t's arrays: only samples_file differs */
	if (has) {
		if (fgcal_samples_write(t, samples_path))
			return -1;
	} else if (t->samples_file[0]) {
		fgcal_samples_path(t, old, sizeof old);
		samples_path = old;
	} else {
		samples_path = NULL;
	}
	split_path(cfg_path, dir, sizeof dir, &name);
	if (samples_path && (outfile_mkdirs(dir) || relative_to(dir, samples_path, w.samples_file,
								sizeof w.samples_file))) {
		errno = errno ? errno : ENAMETOOLONG;
		return -1;
	}
	return fgcal_write_file(&w, cfg_path, header);
}
