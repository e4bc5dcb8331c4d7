/* units.c - strict parsing of durations, rates and plain numbers from scenario strings:
 * every malformed input is an error with a message, never a silent zero. */
#include "units.h"

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

#define UNITS_LIST "s, m, h, d"

/* Longest numeric token we convert; anything longer is a typo, not a quantity. */
#define NUMBER_MAX 64

/* Why SCAN_TINY is refused, in its message. */
#define TINY_WHY " to represent (nonzero and below 2.2e-308)"

/* scan_number's results besides 0 (a finite, non-negative number was read). */
enum { SCAN_NONE = -1, SCAN_RANGE = -2, SCAN_LONG = -3, SCAN_TINY = -4 };

__attribute__((format(printf, 5, 6))) static int fail(char *err, size_t errlen, const char *what,
						      const char *text, const char *fmt, ...)
{
	if (!err || !errlen)
		return -1;
	int n = text ? snprintf(err, errlen, "bad %s \"%s\": ", what, text)
		     : snprintf(err, errlen, "bad %s (null)", what);
	if (n < 0 || (size_t)n >= errlen || !text)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static const char *skip_ws(const char *p)
{
	while (isspace((unsigned char)*p))
		p++;
	return p;
}

/* Reads an unsigned decimal number at s: digits with an optional '.' fraction and an
 * optional exponent (e5, E-3; only taken when digits follow, so "5e" stays 5 + "e").
 * We check the grammar ourselves because strtod alone would also take "nan", "inf",
 * hex floats and leading spaces, and would read "1.5" as 1 under a locale whose
 * decimal point is ','. Sets *end past the token and *out. */
static int scan_number(const char *s, const char **end, double *out)
{
	const char *p = s;
	size_t int_digits = 0, frac_digits = 0;
	while (isdigit((unsigned char)*p))
		p++, int_digits++;
	const char *dot = NULL;
	if (*p == '.') {
		dot = p++;
		while (isdigit((unsigned char)*p))
			p++, frac_digits++;
	}
	if (!int_digits && !frac_digits)
		return SCAN_NONE;
	if (*p == 'e' || *p == 'E') {
		const char *q = p + 1;
		if (*q == '+' || *q == '-')
			q++;
		if (isdigit((unsigned char)*q)) {
			while (isdigit((unsigned char)*q))
				q++;
			p = q;
		}
	}
	*end = p;

	/* Copy the token, spelling the decimal point the way the current locale's strtod
	 * expects it. */
	const char *point = localeconv()->decimal_point;
	size_t plen = point && *point ? strlen(point) : 1;
	if ((size_t)(p - s) + plen >= NUMBER_MAX)
		return SCAN_LONG;
	char buf[NUMBER_MAX];
	size_t n = 0;
	for (const char *c = s; c < p; c++) {
		if (c == dot) {
			memcpy(buf + n, point && *point ? point : ".", plen);
			n += plen;
		} else {
			buf[n++] = *c;
		}
	}
	buf[n] = '\0';
	char *stop;
	errno = 0;
	double v = strtod(buf, &stop);
	if (*stop)
		return SCAN_NONE; /* cannot happen with the grammar above; refuse anyway */
	/* strtod's ERANGE is overflow (a huge result) or underflow (a result below DBL_MIN,
	 * subnormal or 0): "1e-320" was once called too large, and "1e-400" quietly read as
	 * 0, which a positive quantity it spells is not. */
	if (!isfinite(v) || (errno == ERANGE && fabs(v) >= DBL_MIN))
		return SCAN_RANGE;
	if (errno == ERANGE)
		return SCAN_TINY;
	*out = v;
	return 0;
}

/* Seconds in one unit letter, or 0 when the letter is not a unit. */
static double unit_seconds(const char *u, size_t len)
{
	if (len != 1)
		return 0;
	switch (*u) {
	case 's': return 1;
	case 'm': return 60;
	case 'h': return 3600;
	case 'd': return 86400;
	default: return 0;
	}
}

static size_t letters(const char *p)
{
	size_t n = 0;
	while (isalpha((unsigned char)p[n]))
		n++;
	return n;
}

/* A clock time starts with digits then ':'. */
static int is_clock(const char *p)
{
	if (!isdigit((unsigned char)*p))
		return 0;
	while (isdigit((unsigned char)*p))
		p++;
	return *p == ':';
}

/* Reads exactly two digits as a value below 60 (minutes or seconds of a clock). */
static int two_digits(const char *p, int *out)
{
	if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]) ||
	    isdigit((unsigned char)p[2]))
		return -1;
	*out = (p[0] - '0') * 10 + (p[1] - '0');
	return *out < 60 ? 0 : -1;
}

/* Parses H:MM or H:MM:SS[.fff] at *pp into seconds. hour_cap bounds the hours (24 after
 * a days term, where the clock reads as a time of day). */
static int parse_clock(const char **pp, double *out, double hour_cap, const char *text,
		       char *err, size_t errlen)
{
	const char *p = *pp;
	double hours = 0;
	while (isdigit((unsigned char)*p)) {
		hours = hours * 10 + (*p++ - '0');
		if (hours > 1e12)
			return fail(err, errlen, "duration", text, "clock hours too large");
	}
	if (hours >= hour_cap)
		return fail(err, errlen, "duration", text,
			    "clock hour %.0f after days must be below 24", hours);
	int minutes, secs = 0;
	double frac = 0;
	FG_ASSERT(*p == ':'); /* parse_clock is called where is_clock saw one */
	p++; /* the ':' is_clock saw */
	if (two_digits(p, &minutes))
		return fail(err, errlen, "duration", text,
			    "clock minutes must be two digits 00-59 (H:MM or H:MM:SS)");
	p += 2;
	if (*p == ':') {
		p++;
		if (two_digits(p, &secs))
			return fail(err, errlen, "duration", text,
				    "clock seconds must be two digits 00-59 (H:MM:SS)");
		p += 2;
		if (*p == '.') {
			double scale = 0.1;
			p++;
			if (!isdigit((unsigned char)*p))
				return fail(err, errlen, "duration", text,
					    "expected digits after '.' in clock seconds");
			while (isdigit((unsigned char)*p)) {
				frac += (*p++ - '0') * scale;
				scale /= 10;
			}
		}
	}
	FG_ASSERT(minutes >= 0 && minutes < 60 && secs >= 0 && secs < 60); /* two_digits said so */
	*out = hours * 3600 + minutes * 60 + secs + frac;
	*pp = p;
	return 0;
}

int units_duration(const char *text, double *seconds, char *err, size_t errlen)
{
	if (!text)
		return fail(err, errlen, "duration", NULL, "%s", "");
	const char *p = skip_ws(text);
	if (!*p)
		return fail(err, errlen, "duration", text, "empty (write e.g. \"90s\", \"2h\")");
	double total = 0;
	char seen[5] = ""; /* unit letters used so far */
	while (*p) {
		if (*p == '-')
			return fail(err, errlen, "duration", text, "negative durations are not allowed");
		if (is_clock(p)) {
			/* "3d 20:00" is day 3 at 20:00; a clock after h, m or s means nothing. */
			if (seen[0] && strcmp(seen, "d"))
				return fail(err, errlen, "duration", text,
					    "a clock time may only follow days (e.g. \"3d 20:00\")");
			double c = 0;
			if (parse_clock(&p, &c, seen[0] ? 24 : INFINITY, text, err, errlen))
				return -1;
			total += c;
			p = skip_ws(p);
			if (*p)
				return fail(err, errlen, "duration", text,
					    "unexpected \"%s\" after the clock time", p);
			break;
		}
		const char *num = p;
		double v = 0;
		switch (scan_number(p, &p, &v)) {
		case 0: break;
		case SCAN_RANGE: return fail(err, errlen, "duration", text, "number too large");
		case SCAN_TINY: return fail(err, errlen, "duration", text, "number too small" TINY_WHY);
		case SCAN_LONG: return fail(err, errlen, "duration", text, "number too long");
		default:
			return fail(err, errlen, "duration", text, "expected a number at \"%s\"", p);
		}
		size_t numlen = (size_t)(p - num);
		p = skip_ws(p);
		size_t ulen = letters(p);
		if (!ulen)
			return fail(err, errlen, "duration", text,
				    "needs a unit after \"%.*s\" (use " UNITS_LIST ", e.g. \"%.*ss\")",
				    (int)numlen, num, (int)numlen, num);
		double mult = unit_seconds(p, ulen);
		if (mult == 0)
			return fail(err, errlen, "duration", text,
				    "unknown unit '%.*s' (use " UNITS_LIST ")", (int)ulen, p);
		if (strchr(seen, *p))
			return fail(err, errlen, "duration", text, "unit '%c' given twice", *p);
		seen[strlen(seen)] = *p;
		total += v * mult;
		if (!isfinite(total))
			return fail(err, errlen, "duration", text, "too large");
		p = skip_ws(p + ulen);
	}
	*seconds = total;
	return 0;
}

int units_rate(const char *text, double *per_second, char *err, size_t errlen)
{
	if (!text)
		return fail(err, errlen, "rate", NULL, "%s", "");
	const char *p = skip_ws(text);
	if (!*p)
		return fail(err, errlen, "rate", text, "empty (write e.g. \"120/h\")");
	if (*p == '-')
		return fail(err, errlen, "rate", text, "negative rates are not allowed");
	const char *num = p;
	double v = 0;
	switch (scan_number(p, &p, &v)) {
	case 0: break;
	case SCAN_RANGE: return fail(err, errlen, "rate", text, "number too large");
	case SCAN_TINY: return fail(err, errlen, "rate", text, "number too small" TINY_WHY);
	case SCAN_LONG: return fail(err, errlen, "rate", text, "number too long");
	default: return fail(err, errlen, "rate", text, "expected a number at \"%s\"", p);
	}
	int numlen = (int)(p - num);
	p = skip_ws(p);
	if (*p != '/')
		return fail(err, errlen, "rate", text,
			    "needs a unit: write \"%.*s/h\" (per " UNITS_LIST ")", numlen, num);
	p = skip_ws(p + 1);
	size_t ulen = letters(p);
	double per = unit_seconds(p, ulen);
	if (!ulen)
		return fail(err, errlen, "rate", text, "needs a unit after '/' (use " UNITS_LIST ")");
	if (per == 0)
		return fail(err, errlen, "rate", text, "unknown unit '%.*s' (use " UNITS_LIST ")",
			    (int)ulen, p);
	p = skip_ws(p + ulen);
	if (*p)
		return fail(err, errlen, "rate", text, "unexpected \"%s\" after the unit", p);
	*per_second = v / per;
	return 0;
}

int units_number(const char *text, double *value, char *err, size_t errlen)
{
	if (!text)
		return fail(err, errlen, "number", NULL, "%s", "");
	const char *p = skip_ws(text);
	if (!*p)
		return fail(err, errlen, "number", text, "empty");
	int neg = 0;
	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	double v = 0;
	switch (scan_number(p, &p, &v)) {
	case 0: break;
	case SCAN_RANGE: return fail(err, errlen, "number", text, "too large");
	case SCAN_TINY: return fail(err, errlen, "number", text, "too small" TINY_WHY);
	case SCAN_LONG: return fail(err, errlen, "number", text, "too long");
	default: return fail(err, errlen, "number", text, "not a number");
	}
	p = skip_ws(p);
	if (*p)
		return fail(err, errlen, "number", text, "unexpected \"%s\" after the number", p);
	*value = neg ? -v : v;
	return 0;
}

/* snprintf at buf + *pos, keeping *pos within the buffer when the text is cut. */
__attribute__((format(printf, 4, 5))) static void append(char *buf, size_t len, size_t *pos,
							 const char *fmt, ...)
{
	if (*pos >= len - 1)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf + *pos, len - *pos, fmt, ap);
	va_end(ap);
	if (n > 0)
		*pos = (size_t)n >= len - *pos ? len - 1 : *pos + (size_t)n;
}

const char *units_format_duration(double seconds, char *buf, size_t len)
{
	if (!buf || !len)
		return buf;
	size_t pos = 0;
	buf[0] = '\0';
	if (isnan(seconds)) {
		append(buf, len, &pos, "nan");
		return buf;
	}
	if (seconds < 0) {
		append(buf, len, &pos, "-");
		seconds = -seconds;
	}
	if (isinf(seconds)) {
		append(buf, len, &pos, "inf");
	} else if (seconds == 0) {
		append(buf, len, &pos, "0s");
	} else if (seconds < 1) {
		append(buf, len, &pos, "%gs", seconds);
	} else if (seconds >= 1e15) {
		/* Past ~31 million years the millisecond count below would overflow; an exact
		 * number of seconds still reads back. */
		append(buf, len, &pos, "%.17gs", seconds);
	} else {
		long long ms = llround(seconds * 1000);
		long long d = ms / 86400000, h = ms / 3600000 % 24, m = ms / 60000 % 60;
		long long s = ms / 1000 % 60, frac = ms % 1000;
		const char *sep = "";
		if (d)
			append(buf, len, &pos, "%lldd", d), sep = " ";
		if (h)
			append(buf, len, &pos, "%s%lldh", sep, h), sep = " ";
		if (m)
			append(buf, len, &pos, "%s%lldm", sep, m), sep = " ";
		if (frac) {
			char f[8];
			snprintf(f, sizeof f, "%03lld", frac);
			for (int i = 2; i > 0 && f[i] == '0'; i--)
				f[i] = '\0';
			append(buf, len, &pos, "%s%lld.%ss", sep, s, f);
		} else if (s) {
			append(buf, len, &pos, "%s%llds", sep, s);
		}
	}
	return buf;
}
