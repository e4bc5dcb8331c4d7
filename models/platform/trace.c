/* trace.c - streaming CSV readers for job traces (fgsim, Alibaba pod list) and the Alibaba
 * node list. A trace holds one block buffer and one line buffer whatever the file's size;
 * every field is checked, and every bad row is reported as "FILE:LINE: what". */
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
#include "names.h"
#include "units.h"

#define MSG_MAX 1024  /* a whole error message, path included */
#define MAX_FIELDS 16 /* more than any format has; extra fields are only counted */

static const char HDR_FGSIM[] = "submit,class,tenant,gpus,duration";
static const char HDR_PODS[] = "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,"
			       "deletion_time,scheduled_time";
static const char HDR_NODES[] = "sn,cpu_milli,memory_mib,gpu,model";

enum { F_SUBMIT, F_CLASS, F_TENANT, F_GPUS, F_DURATION, F_N };
enum { P_NAME, P_CPU, P_MEM, P_NUM_GPU, P_GPU_MILLI, P_SPEC, P_QOS, P_PHASE, P_CREATION, P_DELETION, P_SCHEDULED, P_N };
enum { N_SN, N_CPU, N_MEM, N_GPU, N_MODEL, N_N };

/* ---- lines ------------------------------------------------------------------------- */

/* A line reader over a FILE (lines_get, so a line longer than TRACE_LINE_MAX stops the
 * reading there: /dev/zero fails at once) that hashes every byte it reads, for the
 * fingerprint a replayed trace is checked against. */
typedef struct reader {
	FILE *fp;
	char *line;
	size_t cap, len;
	long lineno;
	long long nread; /* bytes read so far */
	uint64_t hash;   /* their FNV-1a */
	struct stat st;  /* the file as it was opened */
	int too_long, has_nul, at_end;
} reader;

static int reader_open(reader *r, const char *path)
{
	memset(r, 0, sizeof *r);
	r->hash = LINES_FNV_INIT;
	r->fp = fopen(path, "rb");
	if (!r->fp)
		return errno ? errno : EIO;
	if (fstat(fileno(r->fp), &r->st))
		return errno ? errno : EIO;
	if (S_ISDIR(r->st.st_mode))
		return EISDIR;
	return 0;
}

static void reader_close(reader *r)
{
	if (r->fp)
		fclose(r->fp);
	free(r->line);
	memset(r, 0, sizeof *r);
}

/* Reads the next line into r->line, NUL-terminated, without its "\n" or "\r\n".
 * Returns 1 (r->too_long set for a line past TRACE_LINE_MAX: nothing after it can be
 * read), 0 at the end of the file, -1 on a read error (errno set). */
static int reader_next(reader *r)
{
	long n = lines_get(&r->line, &r->cap, TRACE_LINE_MAX, r->fp);
	r->too_long = r->has_nul = 0;
	if (n == 0)
		r->at_end = 1;
	if (n == 0 || n == -1)
		return (int)n;
	r->lineno++;
	if (n == LINES_TOO_LONG) {
		r->too_long = 1;
		r->line[0] = '\0';
		r->len = 0;
		return 1;
	}
	r->hash = lines_fnv(r->hash, r->line, (size_t)n);
	r->nread += n;
	if (r->line[n - 1] == '\n')
		n--;
	if (n && r->line[n - 1] == '\r')
		n--;
	r->line[n] = '\0';
	r->len = (size_t)n;
	r->has_nul = memchr(r->line, '\0', (size_t)n) != NULL;
	return 1;
}

static int blank(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return !*s;
}

/* ---- fields ------------------------------------------------------------------------ */

/* Splits line in place at commas into f[0..min(n, max)) and returns n, the number of
 * fields. A field may be quoted ("a,b", "say ""hi""", as RFC 4180 and spreadsheets
 * write them), but may not span lines; spaces and tabs around a field are dropped.
 * Returns -1 with *why set for a malformed quote. */
static int split(char *line, char **f, int max, const char **why)
{
	int n = 0;
	char *p = line;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		char *start = p, *end;
		if (*p == '"') {
			char *w = ++p;
			start = w;
			for (;;) {
				if (!*p) {
					*why = "unterminated quoted field (quoted fields cannot span lines)";
					return -1;
				}
				if (*p == '"') {
					if (p[1] == '"') {
						*w++ = '"';
						p += 2;
						continue;
					}
					p++;
					break;
				}
				*w++ = *p++;
			}
			end = w;
			while (*p == ' ' || *p == '\t')
				p++;
			if (*p && *p != ',') {
				*why = "text after a quoted field's closing quote";
				return -1;
			}
		} else {
			while (*p && *p != ',') {
				if (*p == '"') {
					*why = "a quote inside an unquoted field";
					return -1;
				}
				p++;
			}
			end = p;
			while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
				end--;
		}
		char sep = *p; /* *end may be the separator itself */
		*end = '\0';
		if (n < max)
			f[n] = start;
		n++;
		if (!sep)
			return n;
		p++;
	}
}

/* A field's text for a message: quoted, at most 40 characters, control bytes as '?'. */
static const char *show(char *buf, size_t len, const char *s)
{
	size_t n = 0, cap = len > 8 ? len - 6 : 0, max = 40;
	buf[n++] = '"';
	for (; *s && n < cap && n <= max; s++)
		buf[n++] = (unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s;
	if (*s) {
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n++] = '"';
	buf[n] = '\0';
	return buf;
}

__attribute__((format(printf, 3, 4))) static int say(char *msg, size_t len, const char *fmt, ...)
{
	if (msg && len) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(msg, len, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* pandas writes a missing value as an empty field, and its tables show it as "nan". */
static int missing(const char *s)
{
	return !*s || !strcasecmp(s, "nan");
}

/* A plain decimal number (units_number's grammar: no hex, nan, inf or locale), with a
 * fast path for the digits[.digits] that traces are made of: with at most 15 digits the
 * digits are an exact integer m and m / 10^k is one correctly rounded division, the
 * same double strtod gives. */
static int number(const char *s, double *v)
{
	static const double pow10[] = {1,   1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
				       1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
	const char *p = s;
	double m = 0;
	int digits = 0, frac = -1;
	for (; digits <= 15; p++) {
		if (*p >= '0' && *p <= '9') {
			m = m * 10 + (*p - '0');
			digits++;
			frac += frac >= 0;
		} else if (*p == '.' && frac < 0) {
			frac = 0;
		} else {
			break;
		}
	}
	if (!*p && digits && digits <= 15) {
		*v = frac > 0 ? m / pow10[frac] : m;
		return 0;
	}
	return units_number(s, v, NULL, 0) || !isfinite(*v) ? -1 : 0;
}

/* A time in seconds, >= 0. */
static int field_time(const char *s, const char *what, double *v, char *msg, size_t len)
{
	char b[64];
	if (!*s)
		return say(msg, len, "%s is empty", what);
	if (number(s, v))
		return say(msg, len, "%s %s is not a number", what, show(b, sizeof b, s));
	if (*v < 0)
		return say(msg, len, "%s %s is negative", what, show(b, sizeof b, s));
	return 0;
}

/* A whole number in [0, max]. */
static int field_whole(const char *s, const char *what, long max, long *out, char *msg, size_t len)
{
	char b[64];
	double v;
	if (!*s)
		return say(msg, len, "%s is empty", what);
	if (number(s, &v))
		return say(msg, len, "%s %s is not a number", what, show(b, sizeof b, s));
	if (v < 0 || v != floor(v) || v > (double)max)
		return say(msg, len, "%s %s is not a whole number from 0 to %ld", what, show(b, sizeof b, s), max);
	*out = (long)v;
	return 0;
}

/* A name that ends up in output CSVs as a scope (class:NAME): printable, without ',' or
 * '"', shorter than TRACE_NAME_MAX. */
static int check_name(const char *s, const char *what, int may_be_empty, char *msg, size_t len)
{
	char b[64];
	if (!*s && !may_be_empty)
		return say(msg, len, "%s is empty", what);
	if (strlen(s) >= TRACE_NAME_MAX)
		return say(msg, len, "%s %s is longer than %d characters", what, show(b, sizeof b, s),
			   TRACE_NAME_MAX - 1);
	char why[160];
	if (strpbrk(s, ",\"") || names_check(s, 0, why, sizeof why))
		return say(msg, len, "%s %s may not contain control characters, invalid UTF-8, ',' or '\"'",
			   what, show(b, sizeof b, s));
	return 0;
}

static int field_name(const char *s, const char *what, int may_be_empty, char *dst, char *msg, size_t len)
{
	if (check_name(s, what, may_be_empty, msg, len))
		return -1;
	strcpy(dst, s);
	return 0;
}

/* ---- headers ----------------------------------------------------------------------- */

static const struct {
	const char *header, *what;
} known[] = {
	{HDR_FGSIM, "an fgsim trace (format = \"fgsim\")"},
	{HDR_PODS, "an Alibaba pod list (format = \"alibaba\")"},
	{HDR_NODES, "an Alibaba node list (cluster.nodes_file)"},
};

/* Reads line 1 and checks it names the expected columns (case aside, quotes and spaces
 * around names allowed, a UTF-8 byte order mark skipped). Returns 0, or -1 with the
 * message in err. */
static int read_header(reader *r, const char *path, const char *expect, char *err, size_t errlen)
{
	int rc = reader_next(r);
	if (rc < 0)
		return say(err, errlen, "%s: read error: %s", path, strerror(errno));
	if (rc == 0)
		return say(err, errlen, "%s:1: empty file; expected the header \"%s\"", path, expect);
	char *line = r->line;
	if (!strncmp(line, "\xEF\xBB\xBF", 3))
		line += 3;
	char shown[128];
	show(shown, sizeof shown, line);
	if (r->too_long)
		return say(err, errlen, "%s:1: line longer than %d bytes (not a CSV header; expected \"%s\")", path,
			   TRACE_LINE_MAX, expect);
	if (r->has_nul)
		return say(err, errlen, "%s:1: the first line is not a CSV header; expected \"%s\"", path, expect);
	/* Normalise to name,name,... and compare. */
	char *f[MAX_FIELDS], norm[512];
	const char *why = NULL;
	int nf = split(line, f, MAX_FIELDS, &why);
	size_t at = 0;
	for (int i = 0; nf > 0 && i < nf && i < MAX_FIELDS && at < sizeof norm; i++)
		at += (size_t)snprintf(norm + at, sizeof norm - at, "%s%s", i ? "," : "", f[i]);
	if (nf <= 0 || nf > MAX_FIELDS || at >= sizeof norm)
		norm[0] = '\0';
	if (!strcasecmp(norm, expect))
		return 0;
	const char *hint = "";
	char hintbuf[160];
	for (size_t k = 0; k < sizeof known / sizeof known[0]; k++) {
		if (!strcasecmp(norm, known[k].header) || (norm[0] == ',' && !strcasecmp(norm + 1, known[k].header))) {
			snprintf(hintbuf, sizeof hintbuf, " (this looks like %s%s)", known[k].what,
				 norm[0] == ',' ? " with a leading index column: save it without the index" : "");
			hint = hintbuf;
			break;
		}
	}
	return say(err, errlen, "%s:1: header %s does not match; expected \"%s\"%s", path, shown, expect, hint);
}

/* ---- job traces -------------------------------------------------------------------- */

struct trace {
	char *path;
	trace_format fmt;
	int on_bad, nfields, failed;
	reader r;
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
	return fmt == TRACE_ALIBABA ? HDR_PODS : HDR_FGSIM;
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
		return say(msg, len, "%s %.15g is earlier than the previous row's %.15g: rows must be sorted by %s",
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

/* Row parsers: 0 = a job in *j, 1 = a row skipped as the SPEC says (reason counted),
 * -1 = a bad row with the message (no place) in msg. */
static int row_fgsim(trace *t, char **f, trace_job *j, char *msg, size_t len)
{
	char b[64];
	double gpus;
	if (field_time(f[F_SUBMIT], "submit", &j->submit, msg, len) ||
	    field_name(f[F_CLASS], "class", 0, j->class_name, msg, len) ||
	    field_name(f[F_TENANT], "tenant", 1, j->tenant, msg, len))
		return -1;
	if (!*f[F_GPUS])
		return say(msg, len, "gpus is empty");
	if (number(f[F_GPUS], &gpus))
		return say(msg, len, "gpus %s is not a number", show(b, sizeof b, f[F_GPUS]));
	if (!(gpus > 0))
		return say(msg, len, "gpus %s must be more than 0", show(b, sizeof b, f[F_GPUS]));
	if (gpus > TRACE_MAX_GPUS)
		return say(msg, len, "gpus %s: more than %d GPUs", show(b, sizeof b, f[F_GPUS]), TRACE_MAX_GPUS);
	double milli = gpus * 1000;
	long long m = llround(milli);
	if (fabs(milli - (double)m) > 1e-6 * fmax(1, milli))
		return say(msg, len, "gpus %s is not a whole number of thousandths of a GPU",
			   show(b, sizeof b, f[F_GPUS]));
	char why[96];
	if (gpus_wrong(m, why, sizeof why))
		return say(msg, len, "gpus %s %s", show(b, sizeof b, f[F_GPUS]), why);
	if (field_time(f[F_DURATION], "duration", &j->duration, msg, len) ||
	    check_order(t, j->submit, "submit", msg, len))
		return -1;
	j->gpus_milli = (int)m;
	j->gpus = (double)m / 1000;
	j->gpu_spec[0] = '\0';
	t->last_submit = j->submit;
	return 0;
}

static int row_alibaba(trace *t, char **f, trace_job *j, char *msg, size_t len)
{
	char b[64];
	double cpu, mem, deletion, scheduled = 0;
	long num_gpu, gpu_milli;
	if (!*f[P_NAME])
		return say(msg, len, "name is empty");
	if (field_time(f[P_CPU], "cpu_milli", &cpu, msg, len) || field_time(f[P_MEM], "memory_mib", &mem, msg, len) ||
	    field_whole(f[P_NUM_GPU], "num_gpu", TRACE_MAX_GPUS, &num_gpu, msg, len) ||
	    field_whole(f[P_GPU_MILLI], "gpu_milli", 1000, &gpu_milli, msg, len))
		return -1;
	/* gpu_spec: "" (or nan) for any model, else model names joined by '|'. */
	const char *spec = missing(f[P_SPEC]) ? "" : f[P_SPEC];
	if (strlen(spec) >= TRACE_SPEC_MAX)
		return say(msg, len, "gpu_spec %s is longer than %d characters", show(b, sizeof b, spec),
			   TRACE_SPEC_MAX - 1);
	for (const char *p = spec; *p;) {
		const char *bar = strchr(p, '|');
		size_t n = bar ? (size_t)(bar - p) : strlen(p);
		char model[TRACE_SPEC_MAX];
		memcpy(model, p, n);
		model[n] = '\0';
		if (check_name(model, "gpu_spec model", 0, msg, len))
			return -1;
		p += n + (bar != NULL);
		if (bar && !*p)
			return say(msg, len, "gpu_spec %s ends with '|'", show(b, sizeof b, spec));
	}
	strcpy(j->gpu_spec, spec);
	if (field_name(f[P_QOS], "qos", 0, j->class_name, msg, len))
		return -1;
	if (!*f[P_PHASE])
		return say(msg, len, "pod_phase is empty");
	if (field_time(f[P_CREATION], "creation_time", &j->submit, msg, len) ||
	    field_time(f[P_DELETION], "deletion_time", &deletion, msg, len))
		return -1;
	int unscheduled = missing(f[P_SCHEDULED]);
	if (!unscheduled) {
		if (field_time(f[P_SCHEDULED], "scheduled_time", &scheduled, msg, len))
			return -1;
		if (deletion < scheduled)
			return say(msg, len, "deletion_time %.15g is before scheduled_time %.15g", deletion, scheduled);
	}
	if (check_order(t, j->submit, "creation_time", msg, len))
		return -1;
	if (num_gpu == 0) {
		t->last_submit = j->submit;
		t->st.skipped_no_gpu++;
		return 1;
	}
	char why[96];
	if (gpus_wrong((long long)num_gpu * gpu_milli, why, sizeof why))
		return say(msg, len, "num_gpu %ld x gpu_milli %ld %s", num_gpu, gpu_milli, why);
	t->last_submit = j->submit;
	if (unscheduled) {
		t->st.skipped_unscheduled++;
		return 1;
	}
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
		int rc = reader_next(&t->r);
		if (rc < 0) {
			t->failed = 1;
			snprintf(t->err, sizeof t->err, "%s:%ld: read error: %s", t->path, t->r.lineno + 1,
				 strerror(errno));
			return -1;
		}
		if (rc == 0)
			return t->verify ? check_pass(t) : 0;
		if (!t->r.too_long && !t->r.has_nul && blank(t->r.line))
			continue;
		t->st.rows++;
		char *f[MAX_FIELDS];
		const char *why = NULL;
		int nf = 0;
		if (t->r.too_long)
			rc = say(msg, sizeof msg, "line longer than %d bytes", TRACE_LINE_MAX);
		else if (t->r.has_nul)
			rc = say(msg, sizeof msg, "NUL byte in the line (not a text file?)");
		else if ((nf = split(t->r.line, f, MAX_FIELDS, &why)) < 0)
			rc = say(msg, sizeof msg, "%s", why);
		else if (nf != t->nfields)
			rc = say(msg, sizeof msg, "expected %d fields (%s), found %d", t->nfields, trace_header(t->fmt),
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
		if (t->on_bad != TRACE_SKIP_BAD || t->r.too_long) { /* nothing after a long line is read */
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
	reader_close(&t->r);
	free(t->path);
	free(t);
}

/* Opens t->path and reads up to its first job (after the header). Returns 0, or -1 with
 * the message in err. */
static int start(trace *t, char *err, size_t errlen)
{
	const char *path = t->path;
	int e = reader_open(&t->r, path);
	if (e)
		return say(err, errlen, "%s: cannot open: %s", path, strerror(e));
	if (read_header(&t->r, path, trace_header(t->fmt), err, errlen))
		return -1;
	int rc = read_job(t, &t->first);
	if (rc < 0)
		return say(err, errlen, "%s", t->err);
	if (rc == 0) {
		const trace_stats *s = &t->st;
		if (!s->rows)
			return say(err, errlen, "%s:%ld: no jobs: the trace has a header and no rows", path, t->r.lineno);
		char why[MSG_MAX + 128] = "";
		size_t at = 0;
		if (s->skipped)
			at += (size_t)snprintf(why, sizeof why, "; %ld skipped (num_gpu = 0: %ld, no scheduled_time: %ld)",
					       s->skipped, s->skipped_no_gpu, s->skipped_unscheduled);
		if (s->rejected && at < sizeof why)
			snprintf(why + at, sizeof why - at, "; %ld rejected, the first: %s", s->rejected, t->first_bad);
		return say(err, errlen, "%s:%ld: no jobs in %ld rows%s", path, t->r.lineno, s->rows, why);
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
		return say(err, errlen, "%s: cannot read it again for the next replication: not a regular file (a pipe?)",
			   t->path);
	if (start(t, msg, sizeof msg)) {
		if (t->failed && !strcmp(msg, t->err)) /* read_job said changed, or a read error */
			return say(err, errlen, "%s", msg);
		changed(t, "%s", msg);
		return say(err, errlen, "%s", t->err);
	}
	if (stat_differs(&t->r.st, &t->fp, b, sizeof b)) {
		changed(t, "%s", b);
		return say(err, errlen, "%s", t->err);
	}
	return 0;
}

static trace *trace_new(const char *path, trace_format fmt, int on_bad, char *err, size_t errlen)
{
	trace *t = calloc(1, sizeof *t);
	if (!t || !(t->path = strdup(path))) {
		say(err, errlen, "%s: out of memory", path);
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
		return say(err, errlen, "%s: not read to its end", t->path);
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
		return say(err, errlen, "%s: changed while it was being loaded (%s); load it again", t->path,
			   t->r.nread != fp->size ? "size" : b);
	return 0;
}

int trace_next(trace *t, trace_job *out, char *err, size_t errlen)
{
	if (t->failed)
		return say(err, errlen, "%s", t->err);
	if (t->first_pending) {
		t->first_pending = 0;
		*out = t->first;
		return 1;
	}
	int rc = read_job(t, out);
	if (rc < 0)
		say(err, errlen, "%s", t->err);
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
		return say(err, errlen, "%s", t->err);
	if (!t->verify || t->r.at_end || !t->r.fp)
		return 0;
	char *block = malloc(1 << 16);
	size_t n;
	if (!block)
		return say(err, errlen, "%s: out of memory", t->path);
	while ((n = fread(block, 1, 1 << 16, t->r.fp)) > 0) {
		t->r.hash = lines_fnv(t->r.hash, block, n);
		t->r.nread += (long long)n;
	}
	free(block);
	if (ferror(t->r.fp)) {
		snprintf(t->err, sizeof t->err, "%s: read error: %s", t->path, strerror(errno));
		t->failed = 1;
		return say(err, errlen, "%s", t->err);
	}
	t->r.at_end = 1;
	if (check_pass(t))
		return say(err, errlen, "%s", t->err);
	return 0;
}

int trace_rewind(trace *t, char *err, size_t errlen)
{
	if (trace_finish(t, err, errlen))
		return -1;
	if (!t->verify && t->r.fp && !S_ISREG(t->r.st.st_mode))
		return say(err, errlen, "%s: cannot read it again for the next replication: not a regular file (a pipe?)",
			   t->path);
	reader_close(&t->r);
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

/* ---- node lists -------------------------------------------------------------------- */

static int add_node(trace_pool *pools, int max_pools, int *npools, const char *model, long gpus, char *msg, size_t len)
{
	trace_pool *p = NULL;
	for (int i = 0; i < *npools && !p; i++)
		if (!strcmp(pools[i].model, model))
			p = &pools[i];
	if (!p) {
		if (*npools >= max_pools)
			return say(msg, len, "model \"%s\" would be pool %d; at most %d pools", model, *npools + 1,
				   max_pools);
		p = &pools[(*npools)++];
		memset(p, 0, sizeof *p);
		strcpy(p->model, model);
	}
	if (p->nodes == INT_MAX || p->gpus_total > INT_MAX - gpus)
		return say(msg, len, "model \"%s\" has more GPUs than fgsim can count", model);
	int s = 0;
	while (s < p->nsizes && p->size[s].gpus != gpus)
		s++;
	if (s == p->nsizes) {
		if (p->nsizes == TRACE_POOL_SIZES)
			return say(msg, len, "model \"%s\" has more than %d node sizes", model, TRACE_POOL_SIZES);
		/* Keep sizes sorted, the most GPUs first. */
		while (s > 0 && p->size[s - 1].gpus < gpus) {
			p->size[s] = p->size[s - 1];
			s--;
		}
		p->size[s].gpus = (int)gpus;
		p->size[s].nodes = 0;
		p->nsizes++;
	}
	p->size[s].nodes++;
	p->nodes++;
	p->gpus_total += (int)gpus;
	return 0;
}

int trace_read_nodes(const char *path, trace_pool *pools, int max_pools, int *npools, trace_node_stats *stats,
		     char *err, size_t errlen)
{
	trace_node_stats st = {0, 0, 0};
	char msg[MSG_MAX - 64];
	reader r;
	int rc = -1;
	*npools = 0;
	int e = reader_open(&r, path);
	if (e) {
		say(err, errlen, "%s: cannot open: %s", path, strerror(e));
		goto out;
	}
	if (read_header(&r, path, HDR_NODES, err, errlen))
		goto out;
	for (;;) {
		int got = reader_next(&r);
		if (got < 0) {
			say(err, errlen, "%s:%ld: read error: %s", path, r.lineno + 1, strerror(errno));
			goto out;
		}
		if (!got)
			break;
		if (!r.too_long && !r.has_nul && blank(r.line))
			continue;
		st.rows++;
		char *f[MAX_FIELDS];
		const char *why = NULL;
		int nf = 0, bad = 0;
		double cpu, mem;
		long gpus = 0;
		if (r.too_long)
			bad = say(msg, sizeof msg, "line longer than %d bytes", TRACE_LINE_MAX);
		else if (r.has_nul)
			bad = say(msg, sizeof msg, "NUL byte in the line (not a text file?)");
		else if ((nf = split(r.line, f, MAX_FIELDS, &why)) < 0)
			bad = say(msg, sizeof msg, "%s", why);
		else if (nf != N_N)
			bad = say(msg, sizeof msg, "expected %d fields (%s), found %d", N_N, HDR_NODES, nf);
		else if (!*f[N_SN])
			bad = say(msg, sizeof msg, "sn is empty");
		else if (field_time(f[N_CPU], "cpu_milli", &cpu, msg, sizeof msg) ||
			 field_time(f[N_MEM], "memory_mib", &mem, msg, sizeof msg) ||
			 field_whole(f[N_GPU], "gpu", TRACE_MAX_NODE_GPUS, &gpus, msg, sizeof msg))
			bad = -1;
		else if (gpus == 0)
			st.cpu_only++; /* a CPU-only node: no GPU pool to put it in */
		else if (missing(f[N_MODEL]))
			bad = say(msg, sizeof msg, "gpu %ld but model is empty", gpus);
		else if (check_name(f[N_MODEL], "model", 0, msg, sizeof msg) ||
			 add_node(pools, max_pools, npools, f[N_MODEL], gpus, msg, sizeof msg))
			bad = -1;
		else
			st.nodes++;
		if (bad) {
			say(err, errlen, "%s:%ld: %s", path, r.lineno, msg);
			goto out;
		}
	}
	if (!*npools) {
		say(err, errlen, "%s:%ld: no GPU nodes in %ld rows (%ld CPU-only)", path, r.lineno, st.rows,
		    st.cpu_only);
		goto out;
	}
	rc = 0;
out:
	reader_close(&r);
	if (rc)
		*npools = 0;
	if (stats)
		*stats = st;
	return rc;
}
