/* fuzz_calibration.c - libFuzzer harness for models/platform/calibration.c: the input is a
 * calibration file. Loading must never crash; a refusal names the file (FILE:LINE or
 * FILE: message); an accepted table is freed cleanly. */
#include "calibration.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_setup();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[128], err[1024];
	snprintf(path, sizeof path, "%s/input.csv", fuzz_dir);
	fuzz_write("input.csv", data, size);
	calib_table t;
	if (calib_load(&t, path, err, sizeof err)) {
		FUZZ_ASSERT(strncmp(err, path, strlen(path)) == 0);
		return 0;
	}
	calib_free(&t);
	return 0;
}
