/* fuzz_scenario.c - libFuzzer harness for the scenario loader (models/scenario/scenario_load.c): the
 * input is written to a scenario file in a scratch folder (which also holds sample
 * files that empirical(...) may name, a node list and traces) and loaded. A load either
 * fails with exit code 2 and a message naming the file (or FILE:LINE in a file it names),
 * or yields a scenario whose values respect what the loader promises (scenario.h),
 * which is checked here field by field. */
#include <math.h>

#include "fuzz.h"
#include "scenario_load.h"
#include "scenario_check.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static scenario *sc; /* about 50 KB: kept off the stack and allocated once */
static char path[128];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_setup();
	sc = malloc(sizeof *sc);
	FUZZ_ASSERT(sc);
	snprintf(path, sizeof path, "%s/scenario.cfg", fuzz_dir);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[1024];
	fuzz_write("scenario.cfg", data, size);
	memset(err, 0x7f, sizeof err);
	int rc = scenario_load(sc, path, NULL, 0, err, sizeof err);
	if (rc) {
		FUZZ_ASSERT(rc == 2);
		fuzz_check_err(err, sizeof err);
		/* FILE:LINE: or FILE: , never a message without its place; the place of a bad
		 * row of a file the scenario names (node list, trace) is in that file */
		FUZZ_ASSERT((!strncmp(err, path, strlen(path)) && err[strlen(path)] == ':') ||
			    fuzz_err_in_named_file(err, data, size));
		return 0;
	}
	fuzz_check_scenario(sc);
	scenario_free(sc);
	return 0;
}
