/* trace_csv.c - reading the lines and fields of the trace files (trace_csv.h): every
 * field checked, every bad one said as "what is wrong" for the caller's FILE:LINE. */
#include "trace_csv.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lines.h"
#include "names.h"
#include "units.h"

/* ---- lines ------------------------------------------------------------------------- */


int tcsv_open(tcsv_reader *r, const char *path)
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

void tcsv_close(tcsv_reader *r)
{
	if (r->fp)
		fclose(r->fp);
	free(r->line);
	memset(r, 0, sizeof *r);
}

/* Reads the next line into r->line, NUL-terminated, without its "\n" or "\r\n".
 * Returns 1 (r->too_long set for a line past TCSV_LINE_MAX: nothing after it can be
 * read), 0 at the end of the file, -1 on a read error (errno set). */
int tcsv_next(tcsv_reader *r)
{
	long n = lines_get(&r->line, &r->cap, TCSV_LINE_MAX, r->fp);
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

int tcsv_blank(const char *s)
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
int tcsv_split(char *line, char **f, int max, const char **why)
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
const char *tcsv_show(char *buf, size_t len, const char *s)
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

int tcsv_say(char *msg, size_t len, const char *fmt, ...)
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
int tcsv_missing(const char *s)
{
	return !*s || !strcasecmp(s, "nan");
}

/* A plain decimal number (units_number's grammar: no hex, nan, inf or locale), with a
 * fast path for the digits[.digits] that traces are made of: with at most 15 digits the
 * digits are an exact integer m and m / 10^k is one correctly rounded division, the
 * same double strtod gives. */
int tcsv_number(const char *s, double *v)
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
int tcsv_time(const char *s, const char *what, double *v, char *msg, size_t len)
{
	char b[64];
	if (!*s)
		return tcsv_say(msg, len, "%s is empty", what);
	if (tcsv_number(s, v))
		return tcsv_say(msg, len, "%s %s is not a number", what, tcsv_show(b, sizeof b, s));
	if (*v < 0)
		return tcsv_say(msg, len, "%s %s is negative", what, tcsv_show(b, sizeof b, s));
	return 0;
}

/* A whole number in [0, max]. */
int tcsv_whole(const char *s, const char *what, long max, long *out, char *msg, size_t len)
{
	char b[64];
	double v;
	if (!*s)
		return tcsv_say(msg, len, "%s is empty", what);
	if (tcsv_number(s, &v))
		return tcsv_say(msg, len, "%s %s is not a number", what, tcsv_show(b, sizeof b, s));
	if (v < 0 || v != floor(v) || v > (double)max)
		return tcsv_say(msg, len, "%s %s is not a whole number from 0 to %ld", what, tcsv_show(b, sizeof b, s), max);
	*out = (long)v;
	return 0;
}

/* A name that ends up in output CSVs as a scope (class:NAME): printable, without ',' or
 * '"', shorter than TCSV_NAME_MAX. */
int tcsv_check_name(const char *s, const char *what, int may_be_empty, char *msg, size_t len)
{
	char b[64];
	if (!*s && !may_be_empty)
		return tcsv_say(msg, len, "%s is empty", what);
	if (strlen(s) >= TCSV_NAME_MAX)
		return tcsv_say(msg, len, "%s %s is longer than %d characters", what, tcsv_show(b, sizeof b, s),
			   TCSV_NAME_MAX - 1);
	char why[160];
	if (strpbrk(s, ",\"") || names_check(s, 0, why, sizeof why))
		return tcsv_say(msg, len, "%s %s may not contain control characters, invalid UTF-8, ',' or '\"'",
			   what, tcsv_show(b, sizeof b, s));
	return 0;
}

int tcsv_name(const char *s, const char *what, int may_be_empty, char *dst, char *msg, size_t len)
{
	if (tcsv_check_name(s, what, may_be_empty, msg, len))
		return -1;
	strcpy(dst, s);
	return 0;
}

/* ---- headers ----------------------------------------------------------------------- */

static const struct {
	const char *header, *what;
} known[] = {
	{TCSV_HDR_FGSIM, "an fgsim trace (format = \"fgsim\")"},
	{TCSV_HDR_PODS, "an Alibaba pod list (format = \"alibaba\")"},
	{TCSV_HDR_NODES, "an Alibaba node list (cluster.nodes_file)"},
};

/* Reads line 1 and checks it names the expected columns (case aside, quotes and spaces
 * around names allowed, a UTF-8 byte order mark skipped). Returns 0, or -1 with the
 * message in err. */
int tcsv_header(tcsv_reader *r, const char *path, const char *expect, char *err, size_t errlen)
{
	int rc = tcsv_next(r);
	if (rc < 0)
		return tcsv_say(err, errlen, "%s: read error: %s", path, strerror(errno));
	if (rc == 0)
		return tcsv_say(err, errlen, "%s:1: empty file; expected the header \"%s\"", path, expect);
	char *line = r->line;
	if (!strncmp(line, "\xEF\xBB\xBF", 3))
		line += 3;
	char shown[128];
	tcsv_show(shown, sizeof shown, line);
	if (r->too_long)
		return tcsv_say(err, errlen, "%s:1: line longer than %d bytes (not a CSV header; expected \"%s\")", path,
			   TCSV_LINE_MAX, expect);
	if (r->has_nul)
		return tcsv_say(err, errlen, "%s:1: the first line is not a CSV header; expected \"%s\"", path, expect);
	/* Normalise to name,name,... and compare. */
	char *f[MAX_FIELDS], norm[512];
	const char *why = NULL;
	int nf = tcsv_split(line, f, MAX_FIELDS, &why);
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
	return tcsv_say(err, errlen, "%s:1: header %s does not match; expected \"%s\"%s", path, shown, expect, hint);
}

