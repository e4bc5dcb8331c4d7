/* test_dist.c - parsing of every distribution kind, sampler parameters against their
 * formulas, sample moments against the specification with a fixed seed, empirical files
 * and every error path. */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include "dist.h"
#include "test.h"

#define N 200000
#define SEED 12345

static char err[512];
static char dir[64]; /* a private folder under /tmp for the empirical files */

static void write_file(const char *name, const char *content)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	if (f) {
		fputs(content, f);
		fclose(f);
	}
}

static void remove_file(const char *name)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	unlink(path);
}

/* Draws N samples with taus2 seeded SEED and checks them against the specification:
 * the sample mean within 5 standard errors of `mean` (SE = sqrt(var / N)), and the
 * sample variance within 5 of its standard errors, SE(s^2) = sqrt((mu4 - var^2) / N)
 * (the large-sample variance of s^2; Kendall & Stuart, Advanced Theory of Statistics
 * vol. 1, sec. 10.5). kurt1 = (mu4 - var^2) / var^2, from the distribution's fourth
 * central moment. Under the normal approximation a correct sampler falls outside 5 SE
 * with probability 6e-7 per check; a wrong parameter is typically off by far more. */
static void check_moments(const dist *d, double mean, double var, double kurt1)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	gsl_rng_set(r, SEED);
	double m = 0, m2 = 0; /* Welford (1962): a running mean and sum of squares */
	for (long i = 1; i <= N; i++) {
		double x = dist_sample(d, r);
		double dx = x - m;
		m += dx / (double)i;
		m2 += dx * (x - m);
	}
	gsl_rng_free(r);
	double s2 = m2 / (N - 1);
	CHECK_IN_CI(m, mean, 5 * sqrt(var / N));
	CHECK_IN_CI(s2, var, 5 * sqrt(kurt1 * var * var / N));
}

/* Parses text that must succeed. */
static int parse_ok(dist *d, const char *text, int timed, const char *base, int line)
{
	err[0] = '\0';
	int rc = dist_parse(d, text, timed, base, err, sizeof err);
	if (rc)
		fprintf(stderr, "  (from line %d: \"%s\": %s)\n", line, text, err);
	CHECK_INT(rc, 0);
	return rc;
}

/* Parses text that must fail with a message containing part, leaving d zeroed. */
static void parse_bad(const char *text, int timed, const char *base, const char *part, int line)
{
	dist d;
	memset(&d, 0xab, sizeof d); /* garbage, so "left zeroed" is really tested */
	err[0] = '\0';
	int rc = dist_parse(&d, text, timed, base, err, sizeof err);
	if (rc != -1 || !strstr(err, part))
		fprintf(stderr, "  (from line %d: \"%s\" -> rc %d, err \"%s\", wanted \"%s\")\n", line,
			text ? text : "(null)", rc, err, part);
	CHECK_INT(rc, -1);
	CHECK(err[0] != '\0');
	CHECK(strstr(err, part) != NULL);
	CHECK(d.values == NULL);
	CHECK_INT(d.nvalues, 0);
	dist_free(&d);
}

static void test_constant(void)
{
	dist d;
	char buf[128];
	if (parse_ok(&d, "constant(30m)", 1, NULL, __LINE__))
		return;
	CHECK_INT(d.kind, DIST_CONSTANT);
	CHECK(d.p1 == 1800 && d.mean == 1800 && d.scv == 0);
	CHECK_STR(dist_format(&d, buf, sizeof buf), "constant(1800)");
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	gsl_rng_set(r, SEED);
	int same = 1;
	for (int i = 0; i < 1000; i++)
		same &= dist_sample(&d, r) == 1800;
	CHECK(same);
	gsl_rng_free(r);
	dist_free(&d);

	if (!parse_ok(&d, "constant(0)", 0, NULL, __LINE__))
		CHECK(d.p1 == 0);
	if (!parse_ok(&d, "constant(0s)", 1, NULL, __LINE__))
		CHECK(d.p1 == 0);
}

static void test_exponential(void)
{
	dist d;
	char buf[128];
	if (parse_ok(&d, "exponential(2h)", 1, NULL, __LINE__))
		return;
	CHECK_INT(d.kind, DIST_EXPONENTIAL);
	CHECK(d.p1 == 7200 && d.mean == 7200 && d.scv == 1);
	CHECK_STR(dist_format(&d, buf, sizeof buf), "exponential(7200)");
	/* mu4 = 9 m^4 for the exponential, so (mu4 - var^2) / var^2 = 8 */
	check_moments(&d, 7200, 7200.0 * 7200, 8);
	if (!parse_ok(&d, "  exponential ( 1.5 )  ", 0, NULL, __LINE__))
		CHECK(d.p1 == 1.5);
}

/* Sampler parameters for mean m and cv c per Johnson, Kotz & Balakrishnan (1994). */
static void test_lognormal(void)
{
	dist d;
	char buf[128];
	if (parse_ok(&d, "lognormal(2h, 1.5)", 1, NULL, __LINE__))
		return;
	double s2 = log(1 + 1.5 * 1.5);
	CHECK_INT(d.kind, DIST_LOGNORMAL);
	CHECK_NEAR(d.p1, log(7200) - s2 / 2, 1e-12);
	CHECK_NEAR(d.p2, sqrt(s2), 1e-12);
	CHECK(d.mean == 7200 && d.scv == 2.25);
	CHECK_STR(dist_format(&d, buf, sizeof buf), "lognormal(7200, 1.5)");

	/* The draws are GSL's lognormal with those parameters, draw for draw. */
	gsl_rng *r1 = gsl_rng_alloc(gsl_rng_taus2), *r2 = gsl_rng_alloc(gsl_rng_taus2);
	gsl_rng_set(r1, SEED);
	gsl_rng_set(r2, SEED);
	double worst = 0;
	for (int i = 0; i < 1000; i++) {
		double a = dist_sample(&d, r1), b = gsl_ran_lognormal(r2, log(7200) - s2 / 2, sqrt(s2));
		worst = fmax(worst, fabs(a - b) / b);
	}
	CHECK_NEAR(worst, 0, 1e-12);
	gsl_rng_free(r1);
	gsl_rng_free(r2);

	/* mu4 - var^2 = var^2 (e^{4s2} + 2e^{3s2} + 3e^{2s2} - 4), from the lognormal's
	 * kurtosis e^{4s2} + 2e^{3s2} + 3e^{2s2} - 3 (JKB ch. 14). */
	double w = exp(s2);
	double var = 2.25 * 7200 * 7200;
	check_moments(&d, 7200, var, w * w * w * w + 2 * w * w * w + 3 * w * w - 4);

	/* Dimensionless, as for steps. */
	if (parse_ok(&d, "lognormal(20000, 1.0)", 0, NULL, __LINE__))
		return;
	w = 2;
	CHECK(d.mean == 20000 && d.scv == 1);
	check_moments(&d, 20000, 20000.0 * 20000, w * w * w * w + 2 * w * w * w + 3 * w * w - 4);
}

static void test_gamma(void)
{
	dist d;
	char buf[128];
	if (parse_ok(&d, "gamma(2h, 0.5)", 1, NULL, __LINE__))
		return;
	CHECK_INT(d.kind, DIST_GAMMA);
	CHECK_NEAR(d.p1, 4, 1e-12);    /* shape 1/cv^2 */
	CHECK_NEAR(d.p2, 1800, 1e-9);  /* scale m/k */
	CHECK(d.mean == 7200 && d.scv == 0.25);
	CHECK_STR(dist_format(&d, buf, sizeof buf), "gamma(7200, 0.5)");
	/* excess kurtosis 6/k: (mu4 - var^2) / var^2 = 2 + 6/k */
	check_moments(&d, 7200, 0.25 * 7200 * 7200, 2 + 6 / 4.0);

	/* cv > 1: shape below 1, where GSL switches algorithm. */
	if (parse_ok(&d, "gamma(100, 2)", 0, NULL, __LINE__))
		return;
	CHECK_NEAR(d.p1, 0.25, 1e-15);
	CHECK_NEAR(d.p2, 400, 1e-12);
	check_moments(&d, 100, 4 * 100 * 100, 2 + 6 / 0.25);
}

static void test_uniform(void)
{
	dist d;
	char buf[128];
	if (parse_ok(&d, "uniform(10m, 1h)", 1, NULL, __LINE__))
		return;
	CHECK_INT(d.kind, DIST_UNIFORM);
	CHECK(d.p1 == 600 && d.p2 == 3600 && d.mean == 2100);
	double var = 3000.0 * 3000 / 12;
	CHECK_NEAR(d.scv, var / (2100.0 * 2100), 1e-15);
	CHECK_STR(dist_format(&d, buf, sizeof buf), "uniform(600, 3600)");
	/* mu4 = w^4/80 and var = w^2/12, so (mu4 - var^2) / var^2 = 144/80 - 1 = 0.8 */
	check_moments(&d, 2100, var, 0.8);

	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	gsl_rng_set(r, SEED);
	int inside = 1;
	for (int i = 0; i < 10000; i++) {
		double x = dist_sample(&d, r);
		inside &= x >= 600 && x < 3600;
	}
	CHECK(inside);
	gsl_rng_free(r);

	/* Plain numbers may be negative; the scv of a zero-mean uniform is undefined. */
	if (!parse_ok(&d, "uniform(-1, 1)", 0, NULL, __LINE__))
		CHECK(d.mean == 0 && isnan(d.scv));
}

static void test_empirical(void)
{
	dist d;
	char buf[128];
	/* A header, comments, blank lines, CRLF and padding: values 0, 1.5, ..., 1498.5. */
	char *text = malloc(32 * 1100);
	size_t at = 0;
	at += (size_t)sprintf(text + at, "# service times of a trace\nduration_s\r\n\n");
	for (int i = 0; i < 1000; i++)
		at += (size_t)sprintf(text + at, i % 7 ? "%g\n" : "  %g  # note\r\n", 1.5 * i);
	write_file("x.csv", text);
	free(text);

	double mean = 0, var = 0, mu4 = 0;
	for (int i = 0; i < 1000; i++)
		mean += 1.5 * i / 1000;
	for (int i = 0; i < 1000; i++) {
		double e = 1.5 * i - mean;
		var += e * e / 1000;
		mu4 += e * e * e * e / 1000;
	}

	if (parse_ok(&d, "empirical(x.csv)", 1, dir, __LINE__))
		return;
	CHECK_INT(d.kind, DIST_EMPIRICAL);
	CHECK_INT(d.nvalues, 1000);
	CHECK(d.values != NULL);
	if (d.values) {
		CHECK(d.values[0] == 0);
		CHECK(d.values[7] == 10.5);
		CHECK(d.values[999] == 1498.5);
	}
	CHECK_NEAR(d.mean, mean, 1e-9);
	CHECK_NEAR(d.scv, var / (mean * mean), 1e-12);
	CHECK_STR(dist_format(&d, buf, sizeof buf), "empirical(1000 values, mean 749.25)");
	/* Sampling picks values uniformly, so the moments are the file's own. */
	check_moments(&d, mean, var, (mu4 - var * var) / (var * var));
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	gsl_rng_set(r, SEED);
	int member = 1;
	for (int i = 0; i < 10000; i++) {
		double x = dist_sample(&d, r) / 1.5;
		member &= x == floor(x) && x >= 0 && x <= 999;
	}
	CHECK(member);
	gsl_rng_free(r);
	dist_free(&d);
	CHECK(d.values == NULL);

	/* base_dir with a trailing '/', and an absolute path that ignores base_dir. */
	char base[80], abs[96], spec[128];
	snprintf(base, sizeof base, "%s/", dir);
	if (!parse_ok(&d, "empirical( x.csv )", 0, base, __LINE__))
		CHECK_INT(d.nvalues, 1000);
	dist_free(&d);
	snprintf(abs, sizeof abs, "%s/x.csv", dir);
	snprintf(spec, sizeof spec, "empirical(%s)", abs);
	if (!parse_ok(&d, spec, 1, "/nonexistent", __LINE__))
		CHECK_INT(d.nvalues, 1000);
	dist_free(&d);

	/* One value, no header. */
	write_file("one.csv", "42\n");
	if (!parse_ok(&d, "empirical(one.csv)", 1, dir, __LINE__)) {
		CHECK(d.nvalues == 1 && d.mean == 42 && d.scv == 0);
		gsl_rng *r1 = gsl_rng_alloc(gsl_rng_taus2);
		gsl_rng_set(r1, SEED);
		CHECK(dist_sample(&d, r1) == 42);
		gsl_rng_free(r1);
	}
	dist_free(&d);

	/* Every value can be drawn, the last one included. */
	write_file("two.csv", "1\n2\n");
	if (!parse_ok(&d, "empirical(two.csv)", 0, dir, __LINE__)) {
		gsl_rng *r1 = gsl_rng_alloc(gsl_rng_taus2);
		gsl_rng_set(r1, SEED);
		int ones = 0, twos = 0;
		for (int i = 0; i < 1000; i++) {
			double x = dist_sample(&d, r1);
			ones += x == 1;
			twos += x == 2;
		}
		/* Binomial(1000, 1/2): 5 standard deviations are 79. */
		CHECK_IN_CI(ones, 500, 79);
		CHECK_INT(ones + twos, 1000);
		gsl_rng_free(r1);
	}
	dist_free(&d);

	/* Errors name the file and line. */
	write_file("bad.csv", "value\n1\n2\n# comment\n\n3\nabc\n4\n");
	char want[160];
	snprintf(want, sizeof want, "%s/bad.csv:7: not a number: \"abc\"", dir);
	CHECK_INT(dist_parse(&d, "empirical(bad.csv)", 1, dir, err, sizeof err), -1);
	CHECK_STR(err, want);
	write_file("neg.csv", "1\n-2\n");
	parse_bad("empirical(neg.csv)", 1, dir, "neg.csv:2: negative value: \"-2\"", __LINE__);
	write_file("empty.csv", "");
	parse_bad("empirical(empty.csv)", 1, dir, "empty.csv: no values", __LINE__);
	write_file("header.csv", "seconds\n# nothing else\n\n");
	parse_bad("empirical(header.csv)", 1, dir, "header.csv: no values", __LINE__);
	/* A mistyped first number is not mistaken for a header. */
	write_file("typo.csv", "1O5\n3\n");
	parse_bad("empirical(typo.csv)", 1, dir, "typo.csv:1: not a number: \"1O5\"", __LINE__);
	/* Only the first line may be a header. */
	write_file("twohead.csv", "a\nb\n1\n");
	parse_bad("empirical(twohead.csv)", 1, dir, "twohead.csv:2: not a number: \"b\"", __LINE__);
	write_file("nan.csv", "1\nnan\n");
	parse_bad("empirical(nan.csv)", 1, dir, "nan.csv:2: not a number", __LINE__);
	write_file("units.csv", "1\n2h\n");
	parse_bad("empirical(units.csv)", 1, dir, "units.csv:2: not a number", __LINE__);
	parse_bad("empirical(missing.csv)", 1, dir, "missing.csv: cannot open", __LINE__);
	parse_bad("empirical()", 1, dir, "needs a file name", __LINE__);
	parse_bad("empirical(x.csv) junk", 1, dir, "unexpected", __LINE__);

	const char *names[] = {"x.csv", "one.csv", "bad.csv", "neg.csv", "empty.csv", "header.csv",
			       "typo.csv", "twohead.csv", "nan.csv", "units.csv", "two.csv"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		remove_file(names[i]);
}

static void test_errors(void)
{
	parse_bad(NULL, 1, NULL, "bad distribution", __LINE__);
	parse_bad("", 1, NULL, "expected a name", __LINE__);
	parse_bad("(2h)", 1, NULL, "expected a name", __LINE__);

	/* unknown names: the list, and a suggestion within edit distance 2 */
	dist d;
	CHECK_INT(dist_parse(&d, "lognorm(2h, 1.5)", 1, NULL, err, sizeof err), -1);
	CHECK_STR(err, "bad distribution \"lognorm(2h, 1.5)\": unknown distribution \"lognorm\" "
		       "(did you mean \"lognormal\"?); use one of: constant, exponential, lognormal, "
		       "gamma, uniform, empirical");
	parse_bad("exponentail(2h)", 1, NULL, "did you mean \"exponential\"", __LINE__);
	parse_bad("Gamma(2h, 0.5)", 1, NULL, "did you mean \"gamma\"", __LINE__);
	parse_bad("normal(2h, 1)", 1, NULL, "use one of: constant", __LINE__);
	CHECK(strstr(err, "did you mean") == NULL); /* "normal" is 3 edits from "lognormal" */
	parse_bad("weibull(2h, 1)", 1, NULL, "unknown distribution \"weibull\"", __LINE__);
	CHECK(strstr(err, "did you mean") == NULL);
	parse_bad("exponential_with_a_very_long_made_up_name(2h)", 1, NULL, "unknown distribution", __LINE__);

	/* syntax */
	parse_bad("exponential 2h", 1, NULL, "expected '('", __LINE__);
	parse_bad("exponential", 1, NULL, "expected '('", __LINE__);
	parse_bad("exponential(2h", 1, NULL, "missing ')'", __LINE__);
	parse_bad("exponential(2h) x", 1, NULL, "unexpected \"x\"", __LINE__);
	parse_bad("exponential(2h))", 1, NULL, "bad duration", __LINE__);

	/* argument counts */
	parse_bad("exponential()", 1, NULL, "exponential takes 1 argument (mean), got 0", __LINE__);
	parse_bad("exponential(2h, 1)", 1, NULL, "takes 1 argument (mean), got 2", __LINE__);
	parse_bad("constant()", 1, NULL, "takes 1 argument (value), got 0", __LINE__);
	parse_bad("lognormal(2h)", 1, NULL, "lognormal takes 2 arguments (mean, cv), got 1", __LINE__);
	parse_bad("lognormal(2h, 1.5, 3)", 1, NULL, "got 3", __LINE__);
	parse_bad("gamma(2h, 1, 2, 3, 4)", 1, NULL, "got 5", __LINE__);
	parse_bad("uniform(1h)", 1, NULL, "uniform takes 2 arguments (a, b), got 1", __LINE__);
	parse_bad("lognormal(2h, )", 1, NULL, "cv is empty", __LINE__);
	parse_bad("lognormal(, 1)", 1, NULL, "mean is empty", __LINE__);

	/* argument values */
	parse_bad("exponential(7200)", 1, NULL, "mean: bad duration \"7200\": needs a unit", __LINE__);
	parse_bad("exponential(2h)", 0, NULL, "mean: bad number \"2h\"", __LINE__);
	parse_bad("exponential(2x)", 1, NULL, "unknown unit 'x'", __LINE__);
	parse_bad("lognormal(2h, 1.5h)", 1, NULL, "cv: bad number", __LINE__);
	parse_bad("exponential(0s)", 1, NULL, "mean must be > 0", __LINE__);
	parse_bad("exponential(-1)", 0, NULL, "mean must be > 0", __LINE__);
	parse_bad("exponential(nan)", 0, NULL, "bad number", __LINE__);
	parse_bad("exponential(inf)", 0, NULL, "bad number", __LINE__);
	parse_bad("exponential(0x10)", 0, NULL, "bad number", __LINE__);
	parse_bad("exponential(1e999)", 0, NULL, "too large", __LINE__);
	parse_bad("lognormal(0s, 1)", 1, NULL, "mean must be > 0", __LINE__);
	parse_bad("lognormal(2h, 0)", 1, NULL, "cv must be > 0", __LINE__);
	parse_bad("lognormal(2h, -1)", 1, NULL, "cv must be > 0", __LINE__);
	parse_bad("lognormal(2h, nan)", 1, NULL, "cv: bad number", __LINE__);
	parse_bad("lognormal(2h, 1e200)", 1, NULL, "cv too large", __LINE__);
	parse_bad("gamma(0s, 1)", 1, NULL, "mean must be > 0", __LINE__);
	parse_bad("gamma(2h, 0)", 1, NULL, "cv must be > 0", __LINE__);
	parse_bad("gamma(2h, 1e200)", 1, NULL, "cv out of range", __LINE__);
	parse_bad("constant(-1)", 0, NULL, "value must be >= 0", __LINE__);
	parse_bad("constant(-1s)", 1, NULL, "negative", __LINE__);
	parse_bad("uniform(1h, 10m)", 1, NULL, "needs a < b", __LINE__);
	parse_bad("uniform(1h, 1h)", 1, NULL, "needs a < b", __LINE__);
	parse_bad("uniform(-1s, 1h)", 1, NULL, "negative", __LINE__);
	parse_bad("uniform(-1e308, 1e308)", 0, NULL, "too wide", __LINE__);

	/* dist_free is safe on a zeroed dist and on NULL */
	dist z;
	memset(&z, 0, sizeof z);
	dist_free(&z);
	dist_free(NULL);
	CHECK(z.values == NULL);
}

/* Inputs the fuzzers found (the regress-* files in tests/fuzz/corpus/dist and
 * tests/fuzz/corpus/dist_format), kept as known values. */
static void test_fuzz_regressions(void)
{
	dist d;
	char buf[128];
	/* One tiny empirical value: mean * mean underflowed to 0 and the scv was 0 / 0. */
	write_file("tiny.csv", "1e-307\n");
	if (!parse_ok(&d, "empirical(tiny.csv)", 0, dir, __LINE__)) {
		CHECK(d.scv == 0);
		dist_free(&d);
	}
	remove_file("tiny.csv");
	/* The same for a uniform with tiny bounds: its scv is 1/12 whatever the scale. */
	if (!parse_ok(&d, "uniform(1e-200, 3e-200)", 0, NULL, __LINE__))
		CHECK_NEAR(d.scv, 1.0 / 12, 1e-15);
	/* A cv whose square underflows was kept as no variation and printed as cv 0. */
	parse_bad("lognormal(1h, 1e-200)", 1, NULL, "cv 1e-200 is too small", __LINE__);
	/* dist_format prints what reads back as the same distribution: %.12g made
	 * uniform(1, 1) of this one. */
	if (!parse_ok(&d, "uniform(1, 1.0000000000001)", 0, NULL, __LINE__)) {
		CHECK_STR(dist_format(&d, buf, sizeof buf), "uniform(1, 1.0000000000001)");
		dist e;
		if (!parse_ok(&e, buf, 0, NULL, __LINE__))
			CHECK(e.p1 == d.p1 && e.p2 == d.p2);
	}
}

/* dist_format_time writes times as a person reads them, and they parse back to the same
 * distribution. */
static void test_format_time(void)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{"lognormal(1200s, 1)", "lognormal(20m, 1)"},
		{"exponential(30m)", "exponential(30m)"},
		{"gamma(5400s, 0.5)", "gamma(1h 30m, 0.5)"},
		{"uniform(0.25s, 90s)", "uniform(0.25s, 1m 30s)"},
		{"constant(2d)", "constant(2d)"},
	};
	char buf[128];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		dist d, back;
		if (parse_ok(&d, cases[i].text, 1, NULL, __LINE__))
			continue;
		CHECK_STR(dist_format_time(&d, buf, sizeof buf), cases[i].want);
		if (parse_ok(&back, buf, 1, NULL, __LINE__))
			continue;
		CHECK(back.kind == d.kind && back.mean == d.mean && back.scv == d.scv);
		dist_free(&back);
		dist_free(&d);
	}
}

int main(void)
{
	snprintf(dir, sizeof dir, "/tmp/fgsim_test_dist_XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	test_constant();
	test_exponential();
	test_lognormal();
	test_gamma();
	test_uniform();
	test_empirical();
	test_errors();
	test_fuzz_regressions();
	test_format_time();
	rmdir(dir);
	return test_report("test_dist");
}
