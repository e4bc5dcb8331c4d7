/* fuzz.h - shared helpers for the libFuzzer harnesses in tests/fuzz/: a private
 * scratch folder for the files a harness hands to the code under test, and a check
 * that aborts (so libFuzzer keeps the input) when an invariant does not hold. */
#ifndef FGSIM_FUZZ_H
#define FGSIM_FUZZ_H
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* An invariant the code under test promises; a violation is a finding, like a crash. */
#define FUZZ_ASSERT(cond)                                                              \
	do {                                                                           \
		if (!(cond)) {                                                         \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                       \
		}                                                                      \
	} while (0)

static char fuzz_dir[64] __attribute__((unused));

static inline void fuzz_cleanup(void)
{
	static const char *const names[] = {"scenario.cfg", "samples.csv", "empty.csv", "input.csv", NULL};
	char path[128];
	for (int i = 0; names[i]; i++) {
		snprintf(path, sizeof path, "%s/%s", fuzz_dir, names[i]);
		unlink(path);
	}
	rmdir(fuzz_dir);
}

/* Writes size bytes of data to fuzz_dir/name; aborts if the scratch folder fails us,
 * since then the harness is not testing anything. */
static inline void fuzz_write(const char *name, const void *data, size_t size)
{
	char path[128];
	snprintf(path, sizeof path, "%s/%s", fuzz_dir, name);
	FILE *f = fopen(path, "w");
	FUZZ_ASSERT(f);
	FUZZ_ASSERT(fwrite(data, 1, size, f) == size || size == 0);
	FUZZ_ASSERT(fclose(f) == 0);
}

/* Makes the scratch folder, with the fixture files inputs may name: a valid sample
 * file and an empty one. Nothing the code reads can block: stdin is /dev/null. */
static inline void fuzz_setup(void)
{
	snprintf(fuzz_dir, sizeof fuzz_dir, "/tmp/fgsim-fuzz.XXXXXX");
	FUZZ_ASSERT(mkdtemp(fuzz_dir));
	atexit(fuzz_cleanup);
	const char samples[] = "seconds\n60\n120\n# a comment\n\n3600\n5e2\n";
	fuzz_write("samples.csv", samples, sizeof samples - 1);
	fuzz_write("empty.csv", "", 0);
	int fd = open("/dev/null", O_RDONLY);
	if (fd >= 0 && fd != 0) {
		dup2(fd, 0);
		close(fd);
	}
}

/* A NUL-terminated copy of the input (the code under test takes C strings; an embedded
 * NUL just ends the string early, as it would in a scenario value). */
static inline char *fuzz_string(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	FUZZ_ASSERT(s);
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* err must hold a message: non-empty, terminated within its buffer. */
static inline void fuzz_check_err(const char *err, size_t len)
{
	FUZZ_ASSERT(memchr(err, '\0', len));
	FUZZ_ASSERT(err[0]);
}
#endif
