/* fuzz_dist_format.c - libFuzzer harness for the round trip dist_parse -> dist_format
 * -> dist_parse: what `fgsim check` prints for a distribution must be a distribution
 * string that means the same thing. dist_format writes quantities in base units, so the
 * text it prints is read back as a dimensionless (untimed) distribution. The first
 * input byte's bit 0 says whether the original is timed; the rest is its text. */
#include <math.h>

#include "dist.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_setup();
	return 0;
}

/* a and b agree to the precision dist_format keeps (and derived parameters to a
 * little less, since they go through log and sqrt). */
static int close_to(double a, double b)
{
	if (a == b)
		return 1;
	return fabs(a - b) <= 1e-9 * fmax(fabs(a), fabs(b));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	char *text = fuzz_string(data + 1, size - 1);
	dist d, e;
	char err[512], buf[256];
	if (dist_parse(&d, text, data[0] & 1, fuzz_dir, err, sizeof err)) {
		free(text);
		return 0;
	}
	dist_format(&d, buf, sizeof buf);
	if (d.kind == DIST_EMPIRICAL) { /* formatted as a summary, not a file name */
		FUZZ_ASSERT(!strncmp(buf, "empirical(", 10));
	} else if (dist_parse(&e, buf, 0, fuzz_dir, err, sizeof err)) {
		fprintf(stderr, "\"%s\" formats as \"%s\", which does not parse: %s\n", text, buf, err);
		abort();
	} else {
		/* lognormal and gamma are written as (mean, cv): compare those, since mu can
		 * cancel to near zero and lose relative precision without any harm. */
		int by_moments = d.kind == DIST_LOGNORMAL || d.kind == DIST_GAMMA;
		int same = e.kind == d.kind && close_to(e.mean, d.mean) &&
			   (by_moments ? close_to(e.scv, d.scv) : close_to(e.p1, d.p1) && close_to(e.p2, d.p2));
		if (!same) {
			fprintf(stderr, "\"%s\" -> \"%s\": p1 %.17g vs %.17g, p2 %.17g vs %.17g, mean %.17g vs %.17g\n",
				text, buf, d.p1, e.p1, d.p2, e.p2, d.mean, e.mean);
			abort();
		}
		dist_free(&e);
	}
	dist_free(&d);
	free(text);
	return 0;
}
