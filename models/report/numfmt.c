/* numfmt.c - the one number style (numfmt.h). */
#include "numfmt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

int numfmt_decimals(double top)
{
	double a = fabs(top);
	if (!(a > 0) || !isfinite(a))
		return 0;
	int d = 3 - (int)floor(log10(a));
	return d < 0 ? 0 : d > 6 ? 6 : d;
}

int numfmt_count_decimals(double mean, double hw, int decimals)
{
	if (!isfinite(mean))
		return decimals;
	if (!(isfinite(hw) && hw != 0)) /* every replication saw the same count */
		return mean == floor(mean) ? 0 : decimals;
	return fabs(mean) >= 100 && hw >= 0.5 ? 0 : decimals;
}

const char *numfmt(double x, int decimals, char *buf, size_t len)
{
	FG_ASSERT(buf && len > 0 && decimals >= 0);
	if (!isfinite(x)) {
		snprintf(buf, len, "%s", isnan(x) ? "nan" : x > 0 ? "inf" : "-inf");
		return buf;
	}
	char raw[64];
	int n = snprintf(raw, sizeof raw, "%.*f", decimals, x);
	if (n < 0 || (size_t)n >= sizeof raw) { /* beyond 1e60: no commas, still no exponent */
		snprintf(buf, len, "%.*f", decimals, x);
		return buf;
	}
	/* Copy, putting a comma before each group of three digits of the integer part. */
	const char *p = raw;
	size_t o = 0;
	if (*p == '-')
		buf[o < len - 1 ? o++ : o] = *p++;
	size_t digits = strcspn(p, ".");
	for (size_t i = 0; p[i]; i++) {
		if (i > 0 && i < digits && (digits - i) % 3 == 0 && o < len - 1)
			buf[o++] = ',';
		if (o < len - 1)
			buf[o++] = p[i];
	}
	buf[o] = 0;
	/* "-0" and "-0.00" read as a sign that means nothing */
	if (buf[0] == '-' && strspn(buf + 1, "0.,") == strlen(buf + 1))
		memmove(buf, buf + 1, strlen(buf));
	return buf;
}

static const char *ci(double mean, double hw, int decimals, const char *pm, char *buf, size_t len)
{
	char m[64], h[64];
	numfmt(mean, decimals, m, sizeof m);
	if (isfinite(hw))
		snprintf(buf, len, "%s %s %s", m, pm, numfmt(hw, decimals, h, sizeof h));
	else
		snprintf(buf, len, "%s", m);
	return buf;
}

const char *numfmt_ci(double mean, double hw, int decimals, char *buf, size_t len)
{
	return ci(mean, hw, decimals, "+-", buf, len);
}

const char *numfmt_ci_pm(double mean, double hw, int decimals, char *buf, size_t len)
{
	return ci(mean, hw, decimals, "±", buf, len);
}

double numfmt_time_unit(double top, const char **name)
{
	double a = fabs(top);
	if (!(a >= 120)) { /* also NaN: seconds */
		*name = "s";
		return 1;
	}
	if (a < 7200) {
		*name = "min";
		return 60;
	}
	if (a < 2 * 86400) {
		*name = "h";
		return 3600;
	}
	*name = "d";
	return 86400;
}
