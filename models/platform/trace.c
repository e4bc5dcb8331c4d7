/* trace.c - streaming readers for job traces (fgsim, Alibaba pod list). A trace holds
 * one block buffer and one line buffer whatever the file's size; every field is checked
 * (trace_csv.c), and every bad row is reported as "FILE:LINE: what". Node lists are
 * trace_nodes.c's. */
#include "trace.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "lines.h"
#include "trace_csv.h"
#include "names.h"
#include "units.h"

_Static_assert(TCSV_LINE_MAX == TRACE_LINE_MAX && TCSV_NAME_MAX == TRACE_NAME_MAX,
	       "the line reader's bounds are the traces'");

enum { F_SUBMIT, F_CLASS, F_TENANT, F_GPUS, F_DURATION, F_N };
enum { P_NAME, P_CPU, P_MEM, P_NUM_GPU, P_GPU_MILLI, P_SPEC, P_QOS, P_PHASE, P_CREATION, P_DELETION, P_SCHEDULED, P_N };

/* ---- job traces -------------------------------------------------------------------- */

struct trace {
	char *path;
	trace_format fmt;
	int on_bad, nfields, failed;
	tcsv_reader r;
	trace_stats st;
	double last_submit; /* of the last row that was not rejected */
	char err[MSG_MAX], first_bad[MSG_MAX];
	/* trace_open reads the first job ahead (so an empty trace fails there). */
	int first_pending;
	trace_job first;
	int verify; /* trace_open_loaded: the file must match fp */
	trace_fingerprint fp;
};

const char *trace_header(trace_format fmt)
{
	return fmt == TRACE_ALIBABA ? TCSV_HDR_PODS : TCSV_HDR_FGSIM;
}

const char *trace_format_name(trace_format fmt)
{
	return fmt == TRACE_ALIBABA ? "alibaba" : "fgsim";
}

int trace_format_parse(const char *name, trace_format *fmt)
{
	if (name && !strcmp(name, "fgsim"))
		*fmt = TRACE_FGSIM;
	else if (name && !strcmp(name, "alibaba"))
		*fmt = TRACE_ALIBABA;
	else
		return -1;
	return 0;
}

/* Submit order: non-decreasing, ties kept in file order. */
static int check_order(trace *t, double submit, const char *what, char *msg, size_t len)
{
	if (submit < t->last_submit)
		return tcsv_say(msg, len, "%s %.15g is earlier than the previous row's %.15g: rows must be sorted by %s",
			   what, submit, t->last_submit, what);
	return 0;
}

/* gpus in thousandths must be a fraction below one GPU, or whole GPUs. Returns 0, or 1
 * with what is wrong in why. */
static int gpus_wrong(long long milli, char *why, size_t len)
{
	if (milli <= 0)
		snprintf(why, len, "asks for no GPU");
	else if (milli > (long long)TRACE_MAX_GPUS * 1000)
		snprintf(why, len, "asks for more than %d GPUs", TRACE_MAX_GPUS);
	else if (milli > 1000 && milli % 1000)
		snprintf(why, len, "asks for %.3f GPUs: more than one GPU must be a whole number",
			 (double)milli / 1000);
	else
		return 0;
	return 1;
}

/* Row parsers: 0 = a job in *j, 1 = a row the format skips (row_alibaba says which; reason counted),
 * -1 = a bad row with the message (no place) in msg. */
static int row_fgsim(trace *t, char **f, trace_job *j, char *msg, size_t len)
{
	char b[64];
	double gpus;
	if (tcsv_time(f[F_SUBMIT], "submit", &j->submit, msg, len) ||
	    tcsv_name(f[F_CLASS], "class", 0, j->class_name, msg, len) ||
	    tcsv_name(f[F_TENANT], "tenant", 1, j->tenant, msg, len))
		return -1;
	if (!*f[F_GPUS])
		return tcsv_say(msg, len, "gpus is empty");
	if (tcsv_number(f[F_GPUS], &gpus))
		return tcsv_say(msg, len, "gpus %s is not a number", tcsv_show(b, sizeof b, f[F_GPUS]));
	if (!(gpus > 0))
		return tcsv_say(msg, len, "gpus %s must be more than 0", tcsv_show(b, sizeof b, f[F_GPUS]));
	if (gpus > TRACE_MAX_GPUS)
		return tcsv_say(msg, len, "gpus %s: more than %d GPUs", tcsv_show(b, sizeof b, f[F_GPUS]), TRACE_MAX_GPUS);
	double milli = gpus * 1000;
	long long m = llround(milli);
	if (fabs(milli - (double)m) > 1e-6 * fmax(1, milli))
		return tcsv_say(msg, len, "gpus %s is not a whole number of thousandths of a GPU",
			   tcsv_show(b, sizeof b, f[F_GPUS]));
	char why[96];
	if (gpus_wrong(m, why, sizeof why))
		return tcsv_say(msg, len, "gpus %s %s", tcsv_show(b, sizeof b, f[F_GPUS]), why);
	if (tcsv_time(f[F_DURATION], "duration", &j->duration, msg, len) ||
	    check_order(t, j->submit, "submit", msg, len))
		return -1;
	j->gpus_milli = (int)m;
	j->gpus = (double)m / 1000;
	j->gpu_spec[0] = '\0';
	j->cpu_milli = j->memory_mib = 0;
	t->last_submit = j->submit;
	return 0;
}

static int row_alibaba(trace *t, char **f, trace_job *j, char *msg, size_t len)
{
	char b[64];
	double cpu, mem, deletion, scheduled = 0;
	long num_gpu, gpu_milli;
	if (!*f[P_NAME])
		return tcsv_say(msg, len, "name is empty");
	if (tcsv_time(f[P_CPU], "cpu_milli", &cpu, msg, len) || tcsv_time(f[P_MEM], "memory_mib", &mem, msg, len) ||
	    tcsv_whole(f[P_NUM_GPU], "num_gpu", TRACE_MAX_GPUS, &num_gpu, msg, len) ||
	    tcsv_whole(f[P_GPU_MILLI], "gpu_milli", 1000, &gpu_milli, msg, len))
		return -1;
	/* gpu_spec: "" (or nan) for any model, else model names joined by '|'. */
	const char *spec = tcsv_missing(f[P_SPEC]) ? "" : f[P_SPEC];
	if (strlen(spec) >= TRACE_SPEC_MAX)
		return tcsv_say(msg, len, "gpu_spec %s is longer than %d characters", tcsv_show(b, sizeof b, spec),
			   TRACE_SPEC_MAX - 1);
	for (const char *p = spec; *p;) {
		const char *bar = strchr(p, '|');
		size_t n = bar ? (size_t)(bar - p) : strlen(p);
		char model[TRACE_SPEC_MAX];
		memcpy(model, p, n);
		model[n] = '\0';
		if (tcsv_check_name(model, "gpu_spec model", 0, msg, len))
			return -1;
		p += n + (bar != NULL);
		if (bar && !*p)
			return tcsv_say(msg, len, "gpu_spec %s ends with '|'", tcsv_show(b, sizeof b, spec));
	}
	strcpy(j->gpu_spec, spec);
	if (tcsv_name(f[P_QOS], "qos", 0, j->class_name, msg, len))
		return -1;
	if (!*f[P_PHASE])
		return tcsv_say(msg, len, "pod_phase is empty");
	if (tcsv_time(f[P_CREATION], "creation_time", &j->submit, msg, len) ||
	    tcsv_time(f[P_DELETION], "deletion_time", &deletion, msg, len))
		return -1;
	int unscheduled = tcsv_missing(f[P_SCHEDULED]);
	if (!unscheduled) {
		if (tcsv_time(f[P_SCHEDULED], "scheduled_time", &scheduled, msg, len))
			return -1;
		if (deletion < scheduled)
			return tcsv_say(msg, len, "deletion_time %.15g is before scheduled_time %.15g", deletion, scheduled);
	}
	if (check_order(t, j->submit, "creation_time", msg, len))
		return -1;
	if (cpu > TRACE_MAX_CPU_MILLI || mem > TRACE_MAX_MEMORY_MIB)
		return tcsv_say(msg, len, "cpu_milli %.15g or memory_mib %.15g is more than %d", cpu, mem,
				TRACE_MAX_CPU_MILLI);
	j->cpu_milli = (int)llround(cpu);
	j->memory_mib = (int)llround(mem);
	if (num_gpu == 0 && !(t->on_bad & TRACE_CPU_PODS)) {
		t->last_submit = j->submit;
		t->st.skipped_no_gpu++;
		return 1;
	}
	char why[96];
	if (num_gpu > 0 && gpus_wrong((long long)num_gpu * gpu_milli, why, sizeof why))
		return tcsv_say(msg, len, "num_gpu %ld x gpu_milli %ld %s", num_gpu, gpu_milli, why);
	t->last_submit = j->submit;
	if (unscheduled) {
		t->st.skipped_unscheduled++;
		return 1;
	}
	if (num_gpu == 0)
		t->st.cpu_pods++;
	j->gpus_milli = (int)(num_gpu * gpu_milli);
	j->gpus = (double)j->gpus_milli / 1000;
	j->duration = deletion - scheduled;
	j->tenant[0] = '\0';
	return 0;
}

/* Stops t with "FILE: changed since it was loaded (what); rerun". Returns -1. */
__attribute__((format(printf, 2, 3))) static int changed(trace *t, const char *fmt, ...)
{
	char what[MSG_MAX - 128];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	snprintf(t->err, sizeof t->err, "%s: changed since it was loaded (%s); rerun", t->path, what);
	t->failed = 1;
	return -1;
}

/* How st differs from fp ("size 100 -> 90 bytes", ...), or NULL when it does not. */
static const char *stat_differs(const struct stat *st, const trace_fingerprint *fp, char *buf, size_t len)
{
	if ((long long)st->st_size != fp->size)
		snprintf(buf, len, "size %lld -> %lld bytes", fp->size, (long long)st->st_size);
	else if ((long long)st->st_mtim.tv_sec != fp->mtime_sec || (long long)st->st_mtim.tv_nsec != fp->mtime_nsec)
		snprintf(buf, len, "modification time");
	else if ((unsigned long long)st->st_dev != fp->dev || (unsigned long long)st->st_ino != fp->ino)
		snprintf(buf, len, "another file at that path: device/inode");
	else
		return NULL;
	return buf;
}

/* At the end of a pass of a trace_open_loaded trace: the bytes read, their hash and the
 * file's stat must be the load's. Returns 0, or -1 (changed). */
static int check_pass(trace *t)
{
	char b[128];
	struct stat st;
	if (t->r.nread != t->fp.size)
		return changed(t, "size: %lld bytes read, %lld at the load", t->r.nread, t->fp.size);
	if (t->r.hash != t->fp.hash)
		return changed(t, "content");
	if (fstat(fileno(t->r.fp), &st) == 0 && stat_differs(&st, &t->fp, b, sizeof b))
		return changed(t, "%s", b);
	return 0;
}

/* Reads rows up to the next job: 1 with *j set, 0 at the end, -1 with t->err set (and
 * t->failed) on a read error or, when stopping, a bad row. */
static int read_job(trace *t, trace_job *out)
{
	char msg[MSG_MAX - 64];
	trace_job job, *j = &job; /* *out stays as it was unless a job is read */
	for (;;) {
		int rc = tcsv_next(&t->r);
		if (rc < 0) {
			t->failed = 1;
			snprintf(t->err, sizeof t->err, "%s:%ld: read error: %s", t->path, t->r.lineno + 1,
				 strerror(errno));
			return -1;
		}
		if (rc == 0)
			return t->verify ? check_pass(t) : 0;
		if (!t->r.too_long && !t->r.has_nul && tcsv_blank(t->r.line))
			continue;
		t->st.rows++;
		char *f[MAX_FIELDS];
		const char *why = NULL;
		int nf = 0;
		if (t->r.too_long)
			rc = tcsv_say(msg, sizeof msg, "line longer than %d bytes", TRACE_LINE_MAX);
		else if (t->r.has_nul)
			rc = tcsv_say(msg, sizeof msg, "NUL byte in the line (not a text file?)");
		else if ((nf = tcsv_split(t->r.line, f, MAX_FIELDS, &why)) < 0)
			rc = tcsv_say(msg, sizeof msg, "%s", why);
		else if (nf != t->nfields)
			rc = tcsv_say(msg, sizeof msg, "expected %d fields (%s), found %d", t->nfields, trace_header(t->fmt),
				 nf);
		else
			rc = t->fmt == TRACE_ALIBABA ? row_alibaba(t, f, j, msg, sizeof msg)
						     : row_fgsim(t, f, j, msg, sizeof msg);
		if (rc == 0) {
			j->line = t->r.lineno;
			*out = job;
			t->st.jobs++;
			return 1;
		}
		if (rc == 1) {
			t->st.skipped++;
			continue;
		}
		t->st.rejected++;
		if (!t->first_bad[0])
			snprintf(t->first_bad, sizeof t->first_bad, "%s:%ld: %s", t->path, t->r.lineno, msg);
		if (!(t->on_bad & TRACE_SKIP_BAD) || t->r.too_long) { /* nothing after a long line is read */
			snprintf(t->err, sizeof t->err, "%s:%ld: %s", t->path, t->r.lineno, msg);
			t->failed = 1;
			if (t->verify) /* the load read this row: the file is not what it read */
				return changed(t, "line %ld now reads: %s", t->r.lineno, msg);
			return -1;
		}
	}
}

void trace_close(trace *t)
{
	if (!t)
		return;
	tcsv_close(&t->r);
	free(t->path);
	free(t);
}

/* Opens t->path and reads up to its first job (after the header). Returns 0, or -1 with
 * the message in err. */
static int start(trace *t, char *err, size_t errlen)
{
	const char *path = t->path;
	int e = tcsv_open(&t->r, path);
	if (e)
		return tcsv_say(err, errlen, "%s: cannot open: %s", path, strerror(e));
	if (tcsv_header(&t->r, path, trace_header(t->fmt), err, errlen))
		return -1;
	int rc = read_job(t, &t->first);
	if (rc < 0)
		return tcsv_say(err, errlen, "%s", t->err);
	if (rc == 0) {
		const trace_stats *s = &t->st;
		if (!s->rows)
			return tcsv_say(err, errlen, "%s:%ld: no jobs: the trace has a header and no rows", path, t->r.lineno);
		char why[MSG_MAX + 128] = "";
		size_t at = 0;
		if (s->skipped)
			at += (size_t)snprintf(why, sizeof why, "; %ld skipped (num_gpu = 0: %ld, no scheduled_time: %ld)",
					       s->skipped, s->skipped_no_gpu, s->skipped_unscheduled);
		if (s->rejected && at < sizeof why)
			snprintf(why + at, sizeof why - at, "; %ld rejected, the first: %s", s->rejected, t->first_bad);
		return tcsv_say(err, errlen, "%s:%ld: no jobs in %ld rows%s", path, t->r.lineno, s->rows, why);
	}
	t->first_pending = 1;
	return 0;
}

/* start() for a trace that must match its fingerprint: any failure is a change (the
 * load opened and read the same bytes without one), except a read error. */
static int start_checked(trace *t, char *err, size_t errlen)
{
	char msg[MSG_MAX], b[128];
	if (!t->fp.regular)
		return tcsv_say(err, errlen, "%s: cannot read it again for the next replication: not a regular file (a pipe?)",
			   t->path);
	if (start(t, msg, sizeof msg)) {
		if (t->failed && !strcmp(msg, t->err)) /* read_job said changed, or a read error */
			return tcsv_say(err, errlen, "%s", msg);
		changed(t, "%s", msg);
		return tcsv_say(err, errlen, "%s", t->err);
	}
	if (stat_differs(&t->r.st, &t->fp, b, sizeof b)) {
		changed(t, "%s", b);
		return tcsv_say(err, errlen, "%s", t->err);
	}
	return 0;
}

static trace *trace_new(const char *path, trace_format fmt, int on_bad, char *err, size_t errlen)
{
	trace *t = calloc(1, sizeof *t);
	if (!t || !(t->path = strdup(path))) {
		tcsv_say(err, errlen, "%s: out of memory", path);
		free(t);
		return NULL;
	}
	t->fmt = fmt;
	t->on_bad = on_bad;
	t->nfields = fmt == TRACE_ALIBABA ? P_N : F_N;
	return t;
}

trace *trace_open(const char *path, trace_format fmt, int on_bad, char *err, size_t errlen)
{
	trace *t = trace_new(path, fmt, on_bad, err, errlen);
	if (t && start(t, err, errlen)) {
		trace_close(t);
		return NULL;
	}
	return t;
}

trace *trace_open_loaded(const char *path, trace_format fmt, int on_bad, const trace_fingerprint *fp, char *err,
			 size_t errlen)
{
	trace *t = trace_new(path, fmt, on_bad, err, errlen);
	if (!t)
		return NULL;
	if (fp && fp->set) {
		t->verify = 1;
		t->fp = *fp;
	}
	if (t->verify ? start_checked(t, err, errlen) : start(t, err, errlen)) {
		trace_close(t);
		return NULL;
	}
	return t;
}

int trace_fingerprint_of(trace *t, trace_fingerprint *fp, char *err, size_t errlen)
{
	struct stat st;
	char b[128];
	memset(fp, 0, sizeof *fp);
	if (!t->r.at_end || t->failed)
		return tcsv_say(err, errlen, "%s: not read to its end", t->path);
	fp->regular = S_ISREG(t->r.st.st_mode);
	fp->size = (long long)t->r.st.st_size;
	fp->mtime_sec = (long long)t->r.st.st_mtim.tv_sec;
	fp->mtime_nsec = (long long)t->r.st.st_mtim.tv_nsec;
	fp->dev = (unsigned long long)t->r.st.st_dev;
	fp->ino = (unsigned long long)t->r.st.st_ino;
	fp->hash = t->r.hash;
	fp->set = 1;
	if (!fp->regular) /* a pipe's size says nothing; it cannot be replayed anyway */
		return 0;
	if (t->r.nread != fp->size || (fstat(fileno(t->r.fp), &st) == 0 && stat_differs(&st, fp, b, sizeof b)))
		return tcsv_say(err, errlen, "%s: changed while it was being loaded (%s); load it again", t->path,
			   t->r.nread != fp->size ? "size" : b);
	return 0;
}

int trace_next(trace *t, trace_job *out, char *err, size_t errlen)
{
	if (t->failed)
		return tcsv_say(err, errlen, "%s", t->err);
	if (t->first_pending) {
		t->first_pending = 0;
		*out = t->first;
		return 1;
	}
	int rc = read_job(t, out);
	if (rc < 0)
		tcsv_say(err, errlen, "%s", t->err);
	return rc;
}

trace_stats trace_counts(const trace *t)
{
	return t->st;
}

const char *trace_first_rejection(const trace *t)
{
	return t->first_bad;
}

int trace_finish(trace *t, char *err, size_t errlen)
{
	if (t->failed)
		return tcsv_say(err, errlen, "%s", t->err);
	if (!t->verify || t->r.at_end || !t->r.fp)
		return 0;
	char *block = malloc(1 << 16);
	size_t n;
	if (!block)
		return tcsv_say(err, errlen, "%s: out of memory", t->path);
	while ((n = fread(block, 1, 1 << 16, t->r.fp)) > 0) {
		t->r.hash = lines_fnv(t->r.hash, block, n);
		t->r.nread += (long long)n;
	}
	free(block);
	if (ferror(t->r.fp)) {
		snprintf(t->err, sizeof t->err, "%s: read error: %s", t->path, strerror(errno));
		t->failed = 1;
		return tcsv_say(err, errlen, "%s", t->err);
	}
	t->r.at_end = 1;
	if (check_pass(t))
		return tcsv_say(err, errlen, "%s", t->err);
	return 0;
}

int trace_rewind(trace *t, char *err, size_t errlen)
{
	if (trace_finish(t, err, errlen))
		return -1;
	if (!t->verify && t->r.fp && !S_ISREG(t->r.st.st_mode))
		return tcsv_say(err, errlen, "%s: cannot read it again for the next replication: not a regular file (a pipe?)",
			   t->path);
	tcsv_close(&t->r);
	memset(&t->st, 0, sizeof t->st);
	t->last_submit = 0;
	t->first_bad[0] = t->err[0] = '\0';
	t->failed = t->first_pending = 0;
	if (t->verify ? start_checked(t, err, errlen) : start(t, err, errlen)) {
		if (!t->failed) {
			snprintf(t->err, sizeof t->err, "%s", err);
			t->failed = 1;
		}
		return -1;
	}
	return 0;
}

