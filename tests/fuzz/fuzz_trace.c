/* fuzz_trace.c - libFuzzer harness for models/platform/trace.c: the input, after its first byte,
 * is a trace file. Bit 0 of the first byte picks the format (fgsim or alibaba), bit 1
 * skip-and-count instead of stopping at a bad row, bit 2 a node list instead. The
 * reader must never crash, must account for every row (rows = jobs + skipped +
 * rejected), and a rewind must give back the same jobs. */
#include "fuzz.h"
#include "trace.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_setup();
	return 0;
}

static long read_all(trace *t, double *last_submit)
{
	trace_job job;
	char err[512];
	long n = 0;
	while (trace_next(t, &job, err, sizeof err) == 1) {
		FUZZ_ASSERT(job.duration >= 0 && job.gpus > 0 && job.submit >= 0);
		FUZZ_ASSERT(n == 0 || job.submit >= *last_submit); /* rows are replayed in order */
		*last_submit = job.submit;
		n++;
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	char path[128], err[512];
	snprintf(path, sizeof path, "%s/input.csv", fuzz_dir);
	fuzz_write("input.csv", data + 1, size - 1);
	if (data[0] & 4) {
		trace_pool pools[8];
		int npools = 0;
		if (trace_read_nodes(path, pools, 8, &npools, NULL, err, sizeof err) == 0)
			for (int i = 0; i < npools; i++)
				FUZZ_ASSERT(pools[i].nodes > 0 && pools[i].gpus_total > 0);
		return 0;
	}
	trace_format fmt = data[0] & 1 ? TRACE_ALIBABA : TRACE_FGSIM;
	trace *t = trace_open(path, fmt, data[0] & 2 ? TRACE_SKIP_BAD : TRACE_STOP, err, sizeof err);
	if (!t) {
		FUZZ_ASSERT(strncmp(err, path, strlen(path)) == 0); /* the message names the file */
		return 0;
	}
	double last = 0;
	long first = read_all(t, &last);
	trace_stats st = trace_counts(t);
	FUZZ_ASSERT(st.jobs == first);
	FUZZ_ASSERT(st.rows == st.jobs + st.skipped + st.rejected);
	if (trace_rewind(t, err, sizeof err) == 0)
		FUZZ_ASSERT(read_all(t, &last) == first);
	trace_close(t);
	return 0;
}
