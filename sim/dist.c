/* dist.c - parsing distribution strings into GSL sampler parameters, loading empirical
 * sample files, and sampling. Parameters are converted once here so that dist_sample is
 * a bare switch over GSL calls. */
#include "dist.h"

#include <ctype.h>
#include <errno.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "grow.h"
#include "lines.h"
#include "names.h"
#include "units.h"

#define DIST_MAX_ARGS 2
#define ARG_MAX 128 /* longest numeric argument we take */

/* The one table of distribution kinds: the parser matches names against it, and the
 * list in its messages, its suggestions and dist_format's names all come from it, so a
 * new kind is one line here (and its case in the samplers). Indexed by dist_kind. */
static const struct {
	const char *name;
	int nargs;
	const char *args[DIST_MAX_ARGS]; /* argument names, "cv" ones are always plain numbers */
} kinds[] = {
	[DIST_CONSTANT] = {.name = "constant", .nargs = 1, .args = {"value", NULL}},
	[DIST_EXPONENTIAL] = {.name = "exponential", .nargs = 1, .args = {"mean", NULL}},
	[DIST_LOGNORMAL] = {.name = "lognormal", .nargs = 2, .args = {"mean", "cv"}},
	[DIST_GAMMA] = {.name = "gamma", .nargs = 2, .args = {"mean", "cv"}},
	[DIST_UNIFORM] = {.name = "uniform", .nargs = 2, .args = {"a", "b"}},
	[DIST_EMPIRICAL] = {.name = "empirical", .nargs = 1, .args = {"file", NULL}},
};
#define NKINDS (sizeof kinds / sizeof kinds[0])
_Static_assert(NKINDS == DIST_EMPIRICAL + 1, "every dist_kind has its line in kinds[]");

/* "constant, exponential, ..., empirical": the kinds' names for a message. */
static const char *kind_list(char *buf, size_t len)
{
	size_t n = 0;
	buf[0] = 0;
	for (size_t k = 0; k < NKINDS && n < len; k++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", k ? ", " : "", kinds[k].name);
	return buf;
}

/* Writes "bad distribution "TEXT": " and the message into err; returns -1. */
__attribute__((format(printf, 4, 5))) static int fail(char *err, size_t errlen, const char *text,
						      const char *fmt, ...)
{
	if (!err || !errlen)
		return -1;
	int n = snprintf(err, errlen, "bad distribution \"%s\": ", text ? text : "(null)");
	if (n < 0 || (size_t)n >= errlen)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* Same, without the prefix: for errors whose place is a file line. */
__attribute__((format(printf, 3, 4))) static int fail_plain(char *err, size_t errlen,
							    const char *fmt, ...)
{
	if (!err || !errlen)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static const char *skip_ws(const char *p)
{
	while (isspace((unsigned char)*p))
		p++;
	return p;
}

/* Trims [*b, *e) of surrounding white space. */
static void trim(const char **b, const char **e)
{
	while (*b < *e && isspace((unsigned char)**b))
		(*b)++;
	while (*e > *b && isspace((unsigned char)(*e)[-1]))
		(*e)--;
}

/* Reads a file of sample values into d->values. One value per line; '#' starts a
 * comment; blank lines are skipped; the first remaining line may be a header if it
 * starts like a word (a letter, '_' or '"'), so a mistyped first number is still an
 * error. Errors name the file and line. */
static int load_empirical(dist *d, const char *path, const char *base_dir, char *err,
			  size_t errlen)
{
	char *full = NULL;
	if (path[0] != '/' && base_dir && *base_dir) {
		size_t lb = strlen(base_dir), lp = strlen(path);
		full = malloc(lb + lp + 2);
		if (!full)
			return fail_plain(err, errlen, "%s: out of memory", path);
		memcpy(full, base_dir, lb);
		if (base_dir[lb - 1] != '/')
			full[lb++] = '/';
		memcpy(full + lb, path, lp + 1);
		path = full;
	}
	int rc = -1;
	char *line = NULL;
	size_t linecap = 0, cap = 0, n = 0, lineno = 0;
	double *v = NULL;
	int header_ok = 1;
	FILE *f = fopen(path, "r");
	if (!f) {
		fail_plain(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		goto out;
	}
	long got;
	while ((got = lines_get(&line, &linecap, LINES_MAX, f)) != 0 && got != -1) {
		lineno++;
		if (got == LINES_TOO_LONG) { /* read no further: an endless line would never end */
			fail_plain(err, errlen, "%s:%zu: line longer than %d bytes", path, lineno, LINES_MAX);
			goto out;
		}
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		const char *b = line, *e = line + strlen(line);
		trim(&b, &e);
		if (b == e)
			continue;
		line[e - line] = '\0';
		double x;
		if (units_number(b, &x, NULL, 0)) {
			if (header_ok && (isalpha((unsigned char)*b) || *b == '_' || *b == '"')) {
				header_ok = 0;
				continue;
			}
			fail_plain(err, errlen, "%s:%zu: not a number: \"%.60s\"", path, lineno, b);
			goto out;
		}
		header_ok = 0;
		if (x < 0) {
			fail_plain(err, errlen, "%s:%zu: negative value: \"%.60s\"", path, lineno, b);
			goto out;
		}
		/* gsl_rng_uniform_int needs n within the generator's range (2^32 for taus2
		 * and mt19937); stopping at 2^31 values stays inside it. */
		if (n >= (size_t)1 << 31) {
			fail_plain(err, errlen, "%s:%zu: too many values", path, lineno);
			goto out;
		}
		if (GROW(v, cap, n + 1)) {
			fail_plain(err, errlen, "%s:%zu: out of memory", path, lineno);
			goto out;
		}
		v[n++] = x;
	}
	if (got == -1) { /* a read error, or no memory for a line */
		fail_plain(err, errlen, "%s: read error", path);
		goto out;
	}
	if (!n) {
		fail_plain(err, errlen, "%s: no values", path);
		goto out;
	}

	/* Two passes, so the variance does not lose digits to cancellation. */
	double sum = 0, ss = 0;
	for (size_t i = 0; i < n; i++)
		sum += v[i];
	double mean = sum / (double)n;
	for (size_t i = 0; i < n; i++)
		ss += (v[i] - mean) * (v[i] - mean);
	if (!isfinite(mean) || !isfinite(ss)) {
		fail_plain(err, errlen, "%s: values too large", path);
		goto out;
	}
	/* Divide by the mean twice: mean * mean underflows to 0 for tiny values (1e-307)
	 * and made 0 / 0 = NaN (found by tests/fuzz/fuzz_dist). For values >= 0 the scv is
	 * at most n - 1, so this cannot overflow. */
	FG_ASSERT(n <= cap && mean >= 0); /* every value was checked >= 0 */
	d->scv = mean > 0 ? ss / (double)n / mean / mean : 0;
	d->values = v;
	d->nvalues = n;
	d->mean = mean;
	v = NULL;
	rc = 0;
out:
	if (f)
		fclose(f);
	free(line);
	free(v);
	free(full);
	return rc;
}

/* Converts the validated arguments into sampler parameters; see dist.h for p1, p2. */
static int set_params(dist *d, const double *a, int timed, const char *text, char *err,
		      size_t errlen)
{
	switch (d->kind) {
	case DIST_CONSTANT:
		if (a[0] < 0)
			return fail(err, errlen, text, "value must be >= 0");
		d->p1 = d->mean = a[0];
		d->scv = 0;
		return 0;
	case DIST_EXPONENTIAL:
		if (!(a[0] > 0))
			return fail(err, errlen, text, "mean must be > 0");
		d->p1 = d->mean = a[0];
		d->scv = 1;
		return 0;
	case DIST_LOGNORMAL: {
		if (!(a[0] > 0))
			return fail(err, errlen, text, "mean must be > 0");
		if (!(a[1] > 0))
			return fail(err, errlen, text, "cv must be > 0");
		/* A cv whose square underflows would be stored as no variation at all, and
		 * printed as cv 0, which does not parse (found by tests/fuzz/fuzz_dist_format). */
		if (!(a[1] * a[1] > 0))
			return fail(err, errlen, text, "cv %g is too small (for no variation use constant(...))", a[1]);
		/* E[X] = exp(mu + sigma^2/2) and cv^2 = exp(sigma^2) - 1 (Johnson, Kotz &
		 * Balakrishnan 1994, Continuous Univariate Distributions vol. 1, ch. 14), so
		 * sigma^2 = ln(1 + cv^2) and mu = ln m - sigma^2/2. log1p keeps small cv exact. */
		double s2 = log1p(a[1] * a[1]);
		d->p1 = log(a[0]) - s2 / 2;
		d->p2 = sqrt(s2);
		if (!isfinite(d->p1) || !isfinite(d->p2))
			return fail(err, errlen, text, "cv too large");
		d->mean = a[0];
		d->scv = a[1] * a[1];
		return 0;
	}
	case DIST_GAMMA: {
		if (!(a[0] > 0))
			return fail(err, errlen, text, "mean must be > 0");
		if (!(a[1] > 0))
			return fail(err, errlen, text, "cv must be > 0");
		/* Mean k*theta and variance k*theta^2 give cv^2 = 1/k (Johnson, Kotz &
		 * Balakrishnan 1994, ch. 17): shape k = 1/cv^2, scale theta = m/k. */
		double k = 1 / (a[1] * a[1]);
		if (!(k > 0) || !isfinite(k) || !isfinite(a[0] / k))
			return fail(err, errlen, text, "cv out of range");
		d->p1 = k;
		d->p2 = a[0] / k;
		d->mean = a[0];
		d->scv = a[1] * a[1];
		return 0;
	}
	case DIST_UNIFORM: {
		if (timed && a[0] < 0)
			return fail(err, errlen, text, "a must be >= 0");
		if (!(a[0] < a[1]))
			return fail(err, errlen, text, "needs a < b");
		double w = a[1] - a[0];
		if (!isfinite(w))
			return fail(err, errlen, text, "interval too wide");
		d->p1 = a[0];
		d->p2 = a[1];
		d->mean = a[0] / 2 + a[1] / 2;
		/* (w / mean)^2 / 12, not w^2 / 12 / mean^2, whose squares under- or overflow
		 * for very small or very large bounds and gave NaN (tests/fuzz/fuzz_dist). */
		d->scv = d->mean != 0 ? (w / d->mean) * (w / d->mean) / 12 : NAN;
		return 0;
	}
	case DIST_EMPIRICAL: /* dist_parse loads it and never comes here */
		break;
	}
	return fail(err, errlen, text, "internal error at %s:%d", __FILE__, __LINE__);
}

/* Every error path leaves *d zeroed (memset before returning), so a caller frees
 * nothing and a half-parsed dist can never be sampled. */
int dist_parse(dist *d, const char *text, int timed, const char *base_dir, char *err, size_t errlen)
{
	memset(d, 0, sizeof *d);
	if (!text)
		return fail(err, errlen, text, "no text");
	const char *p = skip_ws(text), *name = p;
	while (isalnum((unsigned char)*p) || *p == '_' || *p == '-')
		p++;
	size_t namelen = (size_t)(p - name);
	char list[128];
	if (!namelen)
		return fail(err, errlen, text,
			    "expected a name such as \"exponential(2h)\"; use one of: %s",
			    kind_list(list, sizeof list));
	size_t k = 0;
	while (k < NKINDS && !(strlen(kinds[k].name) == namelen && !strncmp(kinds[k].name, name, namelen)))
		k++;
	if (k == NKINDS) {
		char word[32], hint[64];
		const char *names[NKINDS + 1];
		for (size_t i = 0; i < NKINDS; i++)
			names[i] = kinds[i].name;
		names[NKINDS] = NULL;
		/* a name cut to fit word is not the word the user wrote: no suggestion for it */
		snprintf(word, sizeof word, "%.*s", (int)namelen, name);
		return fail(err, errlen, text, "unknown distribution \"%.*s\"%s; use one of: %s",
			    (int)namelen, name,
			    namelen < sizeof word ? names_hint(word, names, hint, sizeof hint) : "",
			    kind_list(list, sizeof list));
	}
	d->kind = (dist_kind)k;

	p = skip_ws(p);
	if (*p != '(')
		return fail(err, errlen, text, "expected '(' after \"%s\"", kinds[k].name);
	/* the last ')': an empirical path may itself hold parentheses */
	const char *open = p + 1, *close = strrchr(open, ')');
	if (!close)
		return fail(err, errlen, text, "missing ')'");
	if (*skip_ws(close + 1))
		return fail(err, errlen, text, "unexpected \"%s\" after ')'", skip_ws(close + 1));

	if (d->kind == DIST_EMPIRICAL) {
		/* The whole inside is the path, commas and all. */
		const char *b = open, *e = close;
		trim(&b, &e);
		if (b == e)
			return fail(err, errlen, text, "empirical needs a file name");
		char *path = strndup(b, (size_t)(e - b));
		if (!path)
			return fail(err, errlen, text, "out of memory");
		int rc = load_empirical(d, path, base_dir, err, errlen);
		free(path);
		if (rc)
			memset(d, 0, sizeof *d);
		return rc;
	}

	/* Split the inside on commas; an empty inside is zero arguments. */
	const char *b = open, *e = close;
	trim(&b, &e);
	int nargs = 0;
	const char *starts[DIST_MAX_ARGS + 1], *ends[DIST_MAX_ARGS + 1];
	if (b < e) {
		const char *s = b;
		for (const char *c = b; c <= e; c++) {
			if (c < e && *c != ',')
				continue;
			if (nargs <= DIST_MAX_ARGS) {
				starts[nargs] = s;
				ends[nargs] = c;
			}
			nargs++;
			s = c + 1;
		}
	}
	if (nargs != kinds[k].nargs) {
		if (kinds[k].nargs == 1)
			return fail(err, errlen, text, "%s takes 1 argument (%s), got %d", kinds[k].name,
				    kinds[k].args[0], nargs);
		return fail(err, errlen, text, "%s takes %d arguments (%s, %s), got %d", kinds[k].name,
			    kinds[k].nargs, kinds[k].args[0], kinds[k].args[1], nargs);
	}
	double a[DIST_MAX_ARGS] = {0};
	for (int i = 0; i < nargs; i++) {
		const char *ab = starts[i], *ae = ends[i];
		trim(&ab, &ae);
		const char *what = kinds[k].args[i];
		if (ab == ae)
			return fail(err, errlen, text, "%s is empty", what);
		if (ae - ab >= ARG_MAX)
			return fail(err, errlen, text, "%s is too long", what);
		char arg[ARG_MAX], sub[256];
		memcpy(arg, ab, (size_t)(ae - ab));
		arg[ae - ab] = '\0';
		/* a cv is a ratio: "1.5" must not read as 1.5 seconds, nor "2h" be accepted */
		int rc = timed && strcmp(what, "cv") ? units_duration(arg, &a[i], sub, sizeof sub)
						     : units_number(arg, &a[i], sub, sizeof sub);
		if (rc)
			return fail(err, errlen, text, "%s: %s", what, sub);
	}
	if (set_params(d, a, timed, text, err, errlen)) {
		memset(d, 0, sizeof *d);
		return -1;
	}
	return 0;
}

/* Out of line on purpose: dist_sample inlines only the exponential, the law of nearly
 * every arrival and service time, so the switch here is paid only by the others. Its
 * exponential is -mean ln U, not gsl_ran_exponential, whose log1p was a fifth of the
 * whole run time (README, "Speed"); the two give the same law, not the same draws,
 * so both paths must use the same one. */
double dist_sample_any(const dist *d, gsl_rng *r)
{
	switch (d->kind) {
	case DIST_CONSTANT: return d->p1;
	case DIST_EXPONENTIAL: return dist_exponential(r, d->p1);
	case DIST_LOGNORMAL: return gsl_ran_lognormal(r, d->p1, d->p2);
	case DIST_GAMMA: return gsl_ran_gamma(r, d->p1, d->p2);
	case DIST_UNIFORM: return gsl_ran_flat(r, d->p1, d->p2);
	case DIST_EMPIRICAL:
		/* load_empirical keeps 1 .. 2^31 values: within gsl_rng_uniform_int's range */
		FG_ASSERT(d->values && d->nvalues > 0 && d->nvalues <= (size_t)1 << 31);
		return d->values[gsl_rng_uniform_int(r, (unsigned long)d->nvalues)];
	}
	return NAN; /* not a kind dist_parse makes */
}

void dist_free(dist *d)
{
	if (!d)
		return;
	free(d->values);
	memset(d, 0, sizeof *d);
}

/* The shortest of %.12g .. %.17g that reads back as exactly x, so that what dist_format
 * prints parses to the same distribution: with %.12g alone, uniform(1, 1.0000000000001)
 * printed as uniform(1, 1), which does not parse (tests/fuzz/fuzz_dist_format checks this). */
static const char *exact(double x, char out[32])
{
	for (int prec = 12; prec <= 17; prec++) {
		snprintf(out, 32, "%.*g", prec, x);
		if (strtod(out, NULL) == x)
			break;
	}
	return out;
}

/* A quantity of d's kind: in seconds, or for a person as a duration ("20m", "1h 30m"),
 * which units_duration reads back as well. */
static const char *quantity(double x, int as_time, char out[32])
{
	return as_time ? units_format_duration(x, out, 32) : exact(x, out);
}

static const char *format(const dist *d, int as_time, char *buf, size_t len)
{
	char a[32], b[32];
	if (!buf || !len)
		return buf;
	if ((unsigned)d->kind >= NKINDS) {
		snprintf(buf, len, "unknown(%d)", (int)d->kind);
		return buf;
	}
	const char *name = kinds[d->kind].name;
	switch (d->kind) {
	case DIST_CONSTANT: snprintf(buf, len, "%s(%s)", name, quantity(d->p1, as_time, a)); break;
	case DIST_EXPONENTIAL: snprintf(buf, len, "%s(%s)", name, quantity(d->mean, as_time, a)); break;
	case DIST_LOGNORMAL:
	case DIST_GAMMA: /* the cv is a plain number whatever the unit */
		snprintf(buf, len, "%s(%s, %s)", name, quantity(d->mean, as_time, a),
			 exact(sqrt(d->scv), b));
		break;
	case DIST_UNIFORM:
		snprintf(buf, len, "%s(%s, %s)", name, quantity(d->p1, as_time, a),
			 quantity(d->p2, as_time, b));
		break;
	case DIST_EMPIRICAL:
		if (as_time)
			snprintf(buf, len, "%s(%zu values, mean %s)", name, d->nvalues,
				 quantity(d->mean, 1, a));
		else
			snprintf(buf, len, "%s(%zu values, mean %.12g)", name, d->nvalues, d->mean);
		break;
	}
	return buf;
}

const char *dist_format(const dist *d, char *buf, size_t len)
{
	return format(d, 0, buf, len);
}

const char *dist_format_time(const dist *d, char *buf, size_t len)
{
	return format(d, 1, buf, len);
}
