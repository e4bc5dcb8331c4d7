/* fuzz_units.c - libFuzzer harness for sim/units.c: the input, as a string, goes
 * through units_duration, units_rate and units_number. Each must either succeed with
 * a finite value (non-negative for durations and rates) or fail with a message, and a
 * parsed duration must survive units_format_duration and read back to the millisecond. */
#include <math.h>

#include "fuzz.h"
#include "units.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_duration(const char *text)
{
	char err[256], buf[128], err2[256];
	double d = -1, back = -1;
	memset(err, 0x7f, sizeof err);
	if (units_duration(text, &d, err, sizeof err)) {
		fuzz_check_err(err, sizeof err);
		FUZZ_ASSERT(d == -1); /* left untouched on error */
		return;
	}
	FUZZ_ASSERT(isfinite(d) && d >= 0);
	units_format_duration(d, buf, sizeof buf);
	FUZZ_ASSERT(memchr(buf, '\0', sizeof buf));
	if (units_duration(buf, &back, err2, sizeof err2)) {
		fprintf(stderr, "\"%s\" -> %.17g -> \"%s\" does not read back: %s\n", text, d, buf, err2);
		abort();
	}
	/* "reads back to the millisecond" (units.h), plus the rounding of large values. */
	if (!(fabs(back - d) <= 0.0005 + 1e-15 * d)) {
		fprintf(stderr, "\"%s\" -> %.17g -> \"%s\" -> %.17g\n", text, d, buf, back);
		abort();
	}
	/* The short buffer path must cut, not overflow. */
	char tiny[5];
	units_format_duration(d, tiny, sizeof tiny);
	FUZZ_ASSERT(strlen(tiny) < sizeof tiny);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);
	char err[256], small[8];
	double v = -1;

	check_duration(text);

	if (units_rate(text, &v, err, sizeof err))
		fuzz_check_err(err, sizeof err);
	else
		FUZZ_ASSERT(isfinite(v) && v >= 0);

	v = 0;
	if (units_number(text, &v, err, sizeof err))
		fuzz_check_err(err, sizeof err);
	else
		FUZZ_ASSERT(isfinite(v));

	/* Messages into a buffer too small for them, and into none at all. */
	units_duration(text, &v, small, sizeof small);
	units_rate(text, &v, small, sizeof small);
	units_number(text, &v, NULL, 0);
	free(text);
	return 0;
}
