/* test_units.c - known values for durations, rates and numbers, every error path, and
 * the duration formatter (including that its output reads back). */
#include <locale.h>
#include <math.h>

#include "test.h"
#include "units.h"

static char err[256];

/* Parses a duration that must succeed and equal want exactly (all inputs here are
 * exactly representable sums). */
static void dur_ok(const char *text, double want, int line)
{
	double s = -1;
	err[0] = '\0';
	int rc = units_duration(text, &s, err, sizeof err);
	if (rc != 0 || s != want)
		fprintf(stderr, "  (from line %d: \"%s\" -> rc %d, %.17g, err \"%s\")\n", line, text, rc, s, err);
	CHECK_INT(rc, 0);
	CHECK(s == want);
}

/* Parses a duration that must fail with a message containing `part`, leaving the
 * output untouched. */
static void dur_bad(const char *text, const char *part, int line)
{
	double s = -7;
	err[0] = '\0';
	int rc = units_duration(text, &s, err, sizeof err);
	if (rc != -1 || !strstr(err, part))
		fprintf(stderr, "  (from line %d: \"%s\" -> rc %d, err \"%s\", wanted \"%s\")\n", line,
			text ? text : "(null)", rc, err, part);
	CHECK_INT(rc, -1);
	CHECK(err[0] != '\0');
	CHECK(strstr(err, part) != NULL);
	CHECK(s == -7);
}

static void rate_ok(const char *text, double want, int line)
{
	double r = -1;
	err[0] = '\0';
	int rc = units_rate(text, &r, err, sizeof err);
	if (rc != 0)
		fprintf(stderr, "  (from line %d: \"%s\" -> err \"%s\")\n", line, text, err);
	CHECK_INT(rc, 0);
	CHECK_NEAR(r, want, 1e-15 * fabs(want));
}

static void rate_bad(const char *text, const char *part, int line)
{
	double r = -7;
	err[0] = '\0';
	int rc = units_rate(text, &r, err, sizeof err);
	if (rc != -1 || !strstr(err, part))
		fprintf(stderr, "  (from line %d: \"%s\" -> rc %d, err \"%s\", wanted \"%s\")\n", line,
			text ? text : "(null)", rc, err, part);
	CHECK_INT(rc, -1);
	CHECK(err[0] != '\0');
	CHECK(strstr(err, part) != NULL);
	CHECK(r == -7);
}

static void num_bad(const char *text, int line)
{
	double v = -7;
	err[0] = '\0';
	int rc = units_number(text, &v, err, sizeof err);
	if (rc != -1)
		fprintf(stderr, "  (from line %d: \"%s\" accepted as %g)\n", line, text, v);
	CHECK_INT(rc, -1);
	CHECK(err[0] != '\0');
	CHECK(v == -7);
}

static void test_durations(void)
{
	dur_ok("90s", 90, __LINE__);
	dur_ok("15m", 900, __LINE__);
	dur_ok("2h", 7200, __LINE__);
	dur_ok("7d", 604800, __LINE__);
	dur_ok("1d 6h", 108000, __LINE__);
	dur_ok("1d6h", 108000, __LINE__);
	dur_ok("1.5h", 5400, __LINE__);
	dur_ok(".5m", 30, __LINE__);
	dur_ok("2.m", 120, __LINE__);
	dur_ok("1e3s", 1000, __LINE__);
	dur_ok("0s", 0, __LINE__);
	dur_ok("  2h  ", 7200, __LINE__);
	dur_ok("1 h", 3600, __LINE__);
	dur_ok("1d 2h 3m 4s", 93784, __LINE__);
	dur_ok("4s 3m 2h 1d", 93784, __LINE__);
	dur_ok("0.25s", 0.25, __LINE__);
	/* the clock form */
	dur_ok("3d 20:00", 3 * 86400 + 20 * 3600, __LINE__);
	dur_ok("3d20:00", 3 * 86400 + 20 * 3600, __LINE__);
	dur_ok("20:00:30", 20 * 3600 + 30, __LINE__);
	dur_ok("20:00", 72000, __LINE__);
	dur_ok("0:30", 1800, __LINE__);
	dur_ok("36:00", 36 * 3600, __LINE__); /* alone, a clock is a length: hours may pass 24 */
	dur_ok("1d 23:59:59.5", 86400 + 86399.5, __LINE__);
	dur_ok("0d 00:00", 0, __LINE__);

	/* the message the brief promises, exactly */
	double s;
	CHECK_INT(units_duration("7x", &s, err, sizeof err), -1);
	CHECK_STR(err, "bad duration \"7x\": unknown unit 'x' (use s, m, h, d)");

	dur_bad(NULL, "bad duration", __LINE__);
	dur_bad("", "empty", __LINE__);
	dur_bad("   ", "empty", __LINE__);
	dur_bad("90", "needs a unit", __LINE__);
	dur_bad("1e5", "needs a unit", __LINE__);
	dur_bad("1h 30", "needs a unit", __LINE__);
	dur_bad("2hours", "unknown unit 'hours'", __LINE__);
	dur_bad("2w", "unknown unit 'w'", __LINE__);
	dur_bad("2H", "unknown unit 'H'", __LINE__);
	dur_bad("h", "expected a number", __LINE__);
	dur_bad("-1h", "negative", __LINE__);
	dur_bad("1h -30m", "negative", __LINE__);
	dur_bad("+1h", "expected a number", __LINE__);
	dur_bad("nan", "expected a number", __LINE__);
	dur_bad("nans", "expected a number", __LINE__);
	dur_bad("inf", "expected a number", __LINE__);
	dur_bad("infs", "expected a number", __LINE__);
	dur_bad("0x10s", "unknown unit 'x'", __LINE__);
	dur_bad("1.2.3s", "needs a unit", __LINE__);
	dur_bad("1h,", "expected a number", __LINE__);
	dur_bad("1h 1h", "given twice", __LINE__);
	dur_bad("1e400s", "too large", __LINE__);
	dur_bad("1e308d", "too large", __LINE__);
	dur_bad("1e300d 1e300h 1e308m", "too large", __LINE__);
	/* Underflow is too small, not too large, and not a silent 0 either. */
	dur_bad("1e-320s", "number too small to represent", __LINE__);
	dur_bad("1e-400s", "number too small to represent", __LINE__);
	dur_bad("1h 1e-310s", "number too small to represent", __LINE__);
	dur_bad("000000000000000000000000000000000000000000000000000000000000000001s", "too long", __LINE__);
	dur_bad("1h 20:00", "only follow days", __LINE__);
	dur_bad("3d 24:00", "below 24", __LINE__);
	dur_bad("20:60", "minutes", __LINE__);
	dur_bad("20:5", "minutes", __LINE__);
	dur_bad("20:000", "minutes", __LINE__);
	dur_bad("20:00:60", "seconds", __LINE__);
	dur_bad("20:00:5", "seconds", __LINE__);
	dur_bad("20:00:05.", "after '.'", __LINE__);
	dur_bad("20:00 1h", "after the clock", __LINE__);
	dur_bad("20:00h", "after the clock", __LINE__);
	dur_bad("3d 20:00 20:00", "after the clock", __LINE__);

	/* A message that does not fit is cut, not overrun, and a NULL err is allowed. */
	char tiny[8];
	CHECK_INT(units_duration("7x", &s, tiny, sizeof tiny), -1);
	CHECK_INT((long long)strlen(tiny), 7);
	CHECK_INT(units_duration("7x", &s, NULL, 0), -1);
}

static void test_rates(void)
{
	rate_ok("120/h", 120.0 / 3600, __LINE__);
	rate_ok("7.2/h", 0.002, __LINE__);
	rate_ok("3/m", 0.05, __LINE__);
	rate_ok("5/s", 5, __LINE__);
	rate_ok("2/d", 2.0 / 86400, __LINE__);
	rate_ok(" 7.2 / h ", 0.002, __LINE__);
	rate_ok("0/h", 0, __LINE__);
	rate_ok("1e2/s", 100, __LINE__);

	rate_bad(NULL, "bad rate", __LINE__);
	rate_bad("", "empty", __LINE__);
	rate_bad("120", "needs a unit", __LINE__);
	rate_bad("120h", "needs a unit", __LINE__);
	rate_bad("120/", "needs a unit after '/'", __LINE__);
	rate_bad("120/x", "unknown unit 'x'", __LINE__);
	rate_bad("120/hour", "unknown unit 'hour'", __LINE__);
	rate_bad("-1/h", "negative", __LINE__);
	rate_bad("/h", "expected a number", __LINE__);
	rate_bad("nan/h", "expected a number", __LINE__);
	rate_bad("inf/h", "expected a number", __LINE__);
	rate_bad("0x1p3/h", "needs a unit", __LINE__);
	rate_bad("120/h extra", "unexpected", __LINE__);
	rate_bad("120/h/h", "unexpected", __LINE__);
	rate_bad("1e999/h", "too large", __LINE__);
	rate_bad("1e-320/h", "number too small to represent", __LINE__);
}

static void test_numbers(void)
{
	double v = 0;
	CHECK_INT(units_number("20000", &v, err, sizeof err), 0);
	CHECK(v == 20000);
	CHECK_INT(units_number(" -1.5 ", &v, err, sizeof err), 0);
	CHECK(v == -1.5);
	CHECK_INT(units_number("+2", &v, err, sizeof err), 0);
	CHECK(v == 2);
	CHECK_INT(units_number("2e4", &v, err, sizeof err), 0);
	CHECK(v == 20000);
	CHECK_INT(units_number("1E-3", &v, err, sizeof err), 0);
	CHECK(v == 1e-3);
	CHECK_INT(units_number("0", &v, err, sizeof err), 0);
	CHECK(v == 0);

	num_bad(NULL, __LINE__);
	num_bad("", __LINE__);
	num_bad("abc", __LINE__);
	num_bad("nan", __LINE__);
	num_bad("NAN", __LINE__);
	num_bad("inf", __LINE__);
	num_bad("-infinity", __LINE__);
	num_bad("0x1p3", __LINE__);
	num_bad("1.5x", __LINE__);
	num_bad("1,5", __LINE__);
	num_bad("1e999", __LINE__);
	num_bad("1e-320", __LINE__);
	CHECK(strstr(err, "too small to represent") != NULL);
	num_bad("-1e-400", __LINE__);
	CHECK(strstr(err, "too small to represent") != NULL);
	/* The smallest normal number and an exact zero with a tiny exponent are fine. */
	CHECK_INT(units_number("2.3e-308", &v, err, sizeof err), 0);
	CHECK(v == 2.3e-308);
	CHECK_INT(units_number("0e-400", &v, err, sizeof err), 0);
	CHECK(v == 0);
	dur_ok("1e-300s", 1e-300, __LINE__);
	num_bad("--1", __LINE__);
	num_bad("2h", __LINE__);
	num_bad(".", __LINE__);
	num_bad("-", __LINE__);
}

/* Under a locale whose decimal point is ',', strtod alone would read "1.5" as 1. Only
 * testable where such a locale is installed. */
static void test_locale(void)
{
	static const char *const names[] = {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8", NULL};
	const char *got = NULL;
	for (int i = 0; names[i] && !got; i++)
		got = setlocale(LC_NUMERIC, names[i]);
	if (!got) {
		fprintf(stderr, "  skip: no locale with a ',' decimal point installed\n");
		return;
	}
	double s = 0, r = 0;
	CHECK_INT(units_duration("1.5h", &s, err, sizeof err), 0);
	CHECK(s == 5400);
	CHECK_INT(units_rate("7.2/h", &r, err, sizeof err), 0);
	CHECK_NEAR(r, 0.002, 1e-18);
	CHECK_INT(units_duration("1,5h", &s, err, sizeof err), -1);
	setlocale(LC_NUMERIC, "C");
}

static void test_format(void)
{
	char buf[64];
	CHECK_STR(units_format_duration(93784, buf, sizeof buf), "1d 2h 3m 4s");
	CHECK_STR(units_format_duration(0, buf, sizeof buf), "0s");
	CHECK_STR(units_format_duration(90, buf, sizeof buf), "1m 30s");
	CHECK_STR(units_format_duration(3600, buf, sizeof buf), "1h");
	CHECK_STR(units_format_duration(86400, buf, sizeof buf), "1d");
	CHECK_STR(units_format_duration(86401, buf, sizeof buf), "1d 1s");
	CHECK_STR(units_format_duration(5400.5, buf, sizeof buf), "1h 30m 0.5s");
	CHECK_STR(units_format_duration(61.25, buf, sizeof buf), "1m 1.25s");
	CHECK_STR(units_format_duration(0.25, buf, sizeof buf), "0.25s");
	CHECK_STR(units_format_duration(59.9996, buf, sizeof buf), "1m"); /* rounds to the ms */
	CHECK_STR(units_format_duration(-3600, buf, sizeof buf), "-1h");
	CHECK_STR(units_format_duration(NAN, buf, sizeof buf), "nan");
	CHECK_STR(units_format_duration(INFINITY, buf, sizeof buf), "inf");
	CHECK_STR(units_format_duration(1e20, buf, sizeof buf), "1e+20s");

	/* Cut to the buffer, always terminated. */
	char small[5];
	CHECK_STR(units_format_duration(93784, small, sizeof small), "1d 2");
	CHECK(units_format_duration(1, small, 0) == small);

	/* What it writes reads back (to the millisecond). */
	const double vals[] = {1, 59, 61.5, 3599.999, 93784, 86400 * 365.25, 1e-4, 123456789.125, 2e15};
	for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
		double back = -1;
		units_format_duration(vals[i], buf, sizeof buf);
		int rc = units_duration(buf, &back, err, sizeof err);
		if (rc)
			fprintf(stderr, "  (\"%s\" does not read back: %s)\n", buf, err);
		CHECK_INT(rc, 0);
		CHECK_NEAR(back, vals[i], vals[i] < 1 ? 1e-9 : 5e-4);
	}
}

int main(void)
{
	test_durations();
	test_rates();
	test_numbers();
	test_locale();
	test_format();
	return test_report("test_units");
}
