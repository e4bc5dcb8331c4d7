/* fuzz_dist.c - libFuzzer harness for sim/dist.c: dist_parse on distribution strings
 * and on empirical sample files, then a few draws. The first input byte picks the
 * mode: bit 0 set means timed (durations, "2h"); bit 1 set means the rest of the input
 * is the contents of an empirical file that "empirical(input.csv)" reads, else it is
 * the distribution string itself (seeds start with '0'..'3' to stay readable). */
#include <gsl/gsl_rng.h>
#include <math.h>

#include "dist.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static gsl_rng *rng;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_setup();
	rng = gsl_rng_alloc(gsl_rng_taus2);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	int timed = data[0] & 1, file = data[0] & 2;
	char *text;
	if (file) {
		fuzz_write("input.csv", data + 1, size - 1);
		text = strdup("empirical(input.csv)");
	} else {
		text = fuzz_string(data + 1, size - 1);
	}
	dist d;
	char err[512];
	memset(err, 0x7f, sizeof err);
	if (dist_parse(&d, text, timed, fuzz_dir, err, sizeof err)) {
		fuzz_check_err(err, sizeof err);
		/* On failure d is zeroed with nothing to free (dist.h). */
		FUZZ_ASSERT(d.values == NULL && d.nvalues == 0);
		free(text);
		return 0;
	}
	FUZZ_ASSERT(d.kind <= DIST_EMPIRICAL);
	FUZZ_ASSERT(isfinite(d.mean));
	/* Only a uniform straddling 0 may have a negative mean and no scv (dist.h). */
	if (d.kind != DIST_UNIFORM || d.p1 >= 0)
		FUZZ_ASSERT(d.mean >= 0 && d.scv >= 0 && isfinite(d.scv));
	FUZZ_ASSERT((d.kind == DIST_EMPIRICAL) == (d.values != NULL));
	FUZZ_ASSERT(d.kind != DIST_EMPIRICAL || d.nvalues > 0);
	gsl_rng_set(rng, 1);
	for (int i = 0; i < 16; i++) {
		double x = dist_sample(&d, rng);
		FUZZ_ASSERT(!isnan(x));
		/* Timed distributions are lengths of time: never negative. */
		FUZZ_ASSERT(!timed || x >= 0);
	}
	char buf[256];
	dist_format(&d, buf, sizeof buf);
	FUZZ_ASSERT(memchr(buf, '\0', sizeof buf));
	dist_free(&d);
	dist_free(&d); /* a freed dist is a zeroed one */
	free(text);
	return 0;
}
