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
	static const char *const names[] = {"scenario.cfg", "samples.csv", "empty.csv", "input.csv",
					    "nodes.csv",    "pods.csv",    "trace.csv", NULL};
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
 * file and an empty one for empirical(...), an Alibaba node list (cluster.nodes_file)
 * and pod list, and an fgsim trace (workload.arrivals.file). Nothing the code reads
 * can block: stdin is /dev/null. */
static inline void fuzz_setup(void)
{
	snprintf(fuzz_dir, sizeof fuzz_dir, "/tmp/fgsim-fuzz.XXXXXX");
	FUZZ_ASSERT(mkdtemp(fuzz_dir));
	atexit(fuzz_cleanup);
	const char samples[] = "seconds\n60\n120\n# a comment\n\n3600\n5e2\n";
	fuzz_write("samples.csv", samples, sizeof samples - 1);
	fuzz_write("empty.csv", "", 0);
	const char nodes[] = "sn,cpu_milli,memory_mib,gpu,model\n"
			     "n0,32000,262144,0,\nn1,96000,393216,8,G2\nn2,104000,524288,2,T4\n"
			     "n3,96000,393216,4,T4\nn4,8000,32768,1,V100M16\n";
	fuzz_write("nodes.csv", nodes, sizeof nodes - 1);
	const char pods[] = "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,"
			    "deletion_time,scheduled_time\n"
			    "p0,12000,16384,1,1000,,LS,Running,0,86400,0\np1,6000,12288,1,460,,BE,Running,1200,30000,1200\n"
			    "p2,32000,65536,0,0,,LS,Running,1800,9000,1802\np3,88000,327680,8,1000,G2,LS,Succeeded,2500,16900,\n"
			    "p4,8000,16384,2,1000,T4|V100M16,BE,Succeeded,3000,9000,3100\n";
	fuzz_write("pods.csv", pods, sizeof pods - 1);
	const char trace[] = "submit,class,tenant,gpus,duration\n0,inference,t1,1,420\n35,inference,t2,0.25,180\n"
			     "90,training,t3,8,5400\n";
	fuzz_write("trace.csv", trace, sizeof trace - 1);
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

/* Whether err is placed in a file that the input names: "FILE:LINE: what" (a bad row of
 * a node list or trace), FILE given in the input as it is or relative to fuzz_dir. */
static inline int fuzz_err_in_named_file(const char *err, const void *input, size_t size)
{
	const char *colon = err;
	while ((colon = strchr(colon, ':')) && !(colon[1] >= '0' && colon[1] <= '9'))
		colon++;
	if (!colon)
		return 0;
	const char *name = err;
	size_t n = (size_t)(colon - err), d = strlen(fuzz_dir);
	if (n > d + 1 && !strncmp(err, fuzz_dir, d) && err[d] == '/') {
		name += d + 1;
		n -= d + 1;
	}
	return n > 0 && memmem(input, size, name, n) != NULL;
}

/* err must hold a message: non-empty, terminated within its buffer. */
static inline void fuzz_check_err(const char *err, size_t len)
{
	FUZZ_ASSERT(memchr(err, '\0', len));
	FUZZ_ASSERT(err[0]);
}
#endif
