/* cmd_calibrate.c - `fgsim calibrate --gpu NAME [-o FILE]`: runs the calibration harness
 * bin/fgcal (kernels/), which sits beside the fgsim binary, with the same arguments; it
 * times the kernels on this machine's GPU and writes models/calibration/NAME.cfg. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"

/* The folder of the running executable, from /proc/self/exe. Returns 0, or -1. */
static int exe_dir(char *out, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", out, len - 1);
	if (n <= 0)
		return -1;
	out[n] = 0;
	char *slash = strrchr(out, '/');
	if (!slash)
		return -1;
	*slash = 0;
	return 0;
}

/* Replaces this process with fgcal, so its exit status (0 written, 1 no CUDA device or a
 * failed kernel, 2 bad usage) is fgsim's. Returns only on failure: 1. */
int cmd_calibrate(int argc, char **argv)
{
	char path[4096];
	if (exe_dir(path, sizeof path - 8)) {
		fprintf(stderr, "fgsim calibrate: cannot find the folder of the fgsim binary: %s\n", strerror(errno));
		return 1;
	}
	strcat(path, "/fgcal");
	if (access(path, X_OK) != 0) {
		fprintf(stderr,
			"fgsim calibrate: %s is not built: the calibration harness is built only where nvcc (the CUDA "
			"toolkit) exists; run make on a machine with CUDA and a GPU (kernels/README.md)\n",
			path);
		return 1;
	}
	char **args = calloc((size_t)argc + 1, sizeof *args);
	if (!args) {
		fprintf(stderr, "fgsim calibrate: out of memory\n");
		return 1;
	}
	args[0] = path;
	for (int i = 1; i < argc; i++)
		args[i] = argv[i];
	fflush(NULL);
	execv(path, args);
	fprintf(stderr, "fgsim calibrate: cannot run %s: %s\n", path, strerror(errno));
	free(args);
	return 1;
}
