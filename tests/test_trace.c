/* test_trace.c - the trace readers: the bundled samples in both formats and the node list,
 * every kind of bad row at its line (stopping, and skipping with a count), empty traces,
 * submit order, rewinding, and a 2-million-row trace read in bounded memory and time.
 * Run from the repository root (make test does); FGSIM_TRACE_ROWS changes the big size. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "test.h"
#include "trace.h"

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifndef SANITIZED
#define SANITIZED 0
#endif

#define FGSIM_SAMPLE "scenarios/traces/fgsim_sample.csv"
#define PODS_SAMPLE "scenarios/traces/openb_pod_list_sample.csv"
#define NODES_SAMPLE "scenarios/traces/openb_node_list_sample.csv"

static const char FG_HDR[] = "submit,class,tenant,gpus,duration\n";
static const char POD_HDR[] = "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,"
			      "creation_time,deletion_time,scheduled_time\n";
static char err[2048];

/* Writes len bytes to a fresh temporary file; returns its name (static until the next
 * call's overwrite of `slot`). */
static const char *write_tmp(char *slot, const char *text, size_t len)
{
	strcpy(slot, "/tmp/fgsim-trace-XXXXXX.csv");
	int fd = mkstemps(slot, 4);
	if (fd < 0)
		return NULL;
	FILE *f = fdopen(fd, "wb");
	fwrite(text, 1, len, f);
	fclose(f);
	return slot;
}

static const char *write_str(char *slot, const char *text)
{
	return write_tmp(slot, text, strlen(text));
}

static int starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Reads every job; returns trace_next's last code (0 at a clean end, -1 on error) and the
 * counts, checking that every row is exactly one of job, skipped, rejected. */
static int read_all(trace *t, trace_job *jobs, int max, int *n, trace_stats *st)
{
	trace_job j;
	int rc;
	*n = 0;
	while ((rc = trace_next(t, &j, err, sizeof err)) == 1) {
		if (jobs && *n < max)
			jobs[*n] = j;
		(*n)++;
	}
	*st = trace_counts(t);
	CHECK_INT(st->jobs + st->skipped + st->rejected, st->rows);
	CHECK_INT(st->skipped_no_gpu + st->skipped_unscheduled, st->skipped);
	return rc;
}

static void test_fgsim_sample(void)
{
	trace *t = trace_open(FGSIM_SAMPLE, TRACE_FGSIM, TRACE_STOP, err, sizeof err);
	CHECK(t != NULL);
	if (!t) {
		fprintf(stderr, "  %s\n", err);
		return;
	}
	trace_job jobs[32];
	trace_stats st;
	int n;
	CHECK_INT(read_all(t, jobs, 32, &n, &st), 0);
	CHECK_INT(n, 20);
	CHECK_INT(st.rows, 20);
	CHECK_INT(st.jobs, 20);
	CHECK_INT(st.skipped, 0);
	CHECK_INT(st.rejected, 0);
	double gpus = 0, dur = 0;
	int inference = 0;
	for (int i = 0; i < n && i < 32; i++) {
		gpus += jobs[i].gpus;
		dur += jobs[i].duration;
		inference += !strcmp(jobs[i].class_name, "inference");
		CHECK_INT(jobs[i].gpus_milli, (long long)llround(jobs[i].gpus * 1000));
		CHECK_STR(jobs[i].gpu_spec, "");
	}
	CHECK_NEAR(gpus, 48.5, 1e-9);
	CHECK_NEAR(dur, 37470, 1e-9);
	CHECK_INT(inference, 14);
	CHECK_STR(jobs[0].class_name, "inference");
	CHECK_STR(jobs[0].tenant, "t1");
	CHECK_INT(jobs[0].line, 2);
	CHECK_INT(jobs[1].gpus_milli, 250);
	CHECK_STR(jobs[6].class_name, "training");
	CHECK_INT(jobs[6].gpus_milli, 16000);
	CHECK_NEAR(jobs[14].submit, 2702.5, 0);
	CHECK_INT(jobs[14].line, 16);
	CHECK_STR(trace_first_rejection(t), "");
	trace_close(t);
}

static void test_alibaba_sample(void)
{
	trace *t = trace_open(PODS_SAMPLE, TRACE_ALIBABA, TRACE_STOP, err, sizeof err);
	CHECK(t != NULL);
	if (!t) {
		fprintf(stderr, "  %s\n", err);
		return;
	}
	trace_job jobs[32];
	trace_stats st;
	int n;
	CHECK_INT(read_all(t, jobs, 32, &n, &st), 0);
	CHECK_INT(n, 22);
	CHECK_INT(st.rows, 30);
	CHECK_INT(st.jobs, 22);
	CHECK_INT(st.skipped, 8);
	CHECK_INT(st.skipped_no_gpu, 4);
	CHECK_INT(st.skipped_unscheduled, 4);
	CHECK_INT(st.rejected, 0);
	long milli = 0;
	double dur = 0;
	int ls = 0, be = 0, burst = 0, guar = 0;
	for (int i = 0; i < n && i < 32; i++) {
		milli += jobs[i].gpus_milli;
		dur += jobs[i].duration;
		ls += !strcmp(jobs[i].class_name, "LS");
		be += !strcmp(jobs[i].class_name, "BE");
		burst += !strcmp(jobs[i].class_name, "Burstable");
		guar += !strcmp(jobs[i].class_name, "Guaranteed");
		CHECK_STR(jobs[i].tenant, "");
		if (i)
			CHECK(jobs[i].submit >= jobs[i - 1].submit);
	}
	CHECK_INT(milli, 34270);
	CHECK_NEAR(dur, 171276, 0);
	CHECK_INT(ls, 9);
	CHECK_INT(be, 9);
	CHECK_INT(burst, 3);
	CHECK_INT(guar, 1);
	/* sample-pod-0001 (line 3): a 0.46-GPU share; 0003 (line 5): 8 GPUs, deletion -
	 * scheduled; 0005 (line 7): constrained to V100s. */
	CHECK_INT(jobs[1].line, 3);
	CHECK_INT(jobs[1].gpus_milli, 460);
	CHECK_NEAR(jobs[1].gpus, 0.46, 1e-12);
	CHECK_NEAR(jobs[1].duration, 28800, 0);
	CHECK_INT(jobs[2].line, 5);
	CHECK_INT(jobs[2].gpus_milli, 8000);
	CHECK_NEAR(jobs[2].submit, 2500, 0);
	CHECK_NEAR(jobs[2].duration, 16900 - 2503, 0);
	CHECK_STR(jobs[2].class_name, "Burstable");
	CHECK_INT(jobs[4].line, 7);
	CHECK_STR(jobs[4].gpu_spec, "V100M16|V100M32");
	trace_close(t);
}

static void test_nodes_sample(void)
{
	trace_pool pools[8];
	trace_node_stats st;
	int np = -1;
	int rc = trace_read_nodes(NODES_SAMPLE, pools, 8, &np, &st, err, sizeof err);
	CHECK_INT(rc, 0);
	if (rc) {
		fprintf(stderr, "  %s\n", err);
		return;
	}
	CHECK_INT(np, 5);
	CHECK_INT(st.rows, 19);
	CHECK_INT(st.nodes, 16);
	CHECK_INT(st.cpu_only, 3);
	if (np != 5)
		return;
	CHECK_STR(pools[0].model, "G2");
	CHECK_INT(pools[0].nodes, 4);
	CHECK_INT(pools[0].gpus_total, 32);
	CHECK_INT(pools[0].nsizes, 1);
	CHECK_INT(pools[0].size[0].gpus, 8);
	CHECK_INT(pools[0].size[0].nodes, 4);
	CHECK_STR(pools[1].model, "T4"); /* 3 nodes of 2 GPUs and 1 of 4 */
	CHECK_INT(pools[1].nodes, 4);
	CHECK_INT(pools[1].gpus_total, 10);
	CHECK_INT(pools[1].nsizes, 2);
	CHECK_INT(pools[1].size[0].gpus, 4);
	CHECK_INT(pools[1].size[0].nodes, 1);
	CHECK_INT(pools[1].size[1].gpus, 2);
	CHECK_INT(pools[1].size[1].nodes, 3);
	CHECK_STR(pools[2].model, "V100M16"); /* 8, 4, 4, 1 */
	CHECK_INT(pools[2].nodes, 4);
	CHECK_INT(pools[2].gpus_total, 17);
	CHECK_INT(pools[2].nsizes, 3);
	CHECK_INT(pools[2].size[0].gpus, 8);
	CHECK_INT(pools[2].size[1].gpus, 4);
	CHECK_INT(pools[2].size[1].nodes, 2);
	CHECK_INT(pools[2].size[2].gpus, 1);
	CHECK_STR(pools[3].model, "V100M32");
	CHECK_INT(pools[3].gpus_total, 16);
	CHECK_STR(pools[4].model, "P100");
	CHECK_INT(pools[4].nodes, 2);
	CHECK_INT(pools[4].gpus_total, 4);

	/* Too few pools allowed: the error names the row of the first model that does not fit. */
	rc = trace_read_nodes(NODES_SAMPLE, pools, 2, &np, NULL, err, sizeof err);
	CHECK_INT(rc, -1);
	CHECK_INT(np, 0);
	CHECK(starts_with(err, NODES_SAMPLE ":8: model \"V100M16\""));
}

/* One bad row between two good ones: stopping fails at line 3, skipping counts it. */
static void bad_row(trace_format fmt, const char *hdr, const char *good1, const char *bad, const char *good2,
		    const char *expect, int line)
{
	char text[TRACE_LINE_MAX * 2], slot[64], prefix[128];
	snprintf(text, sizeof text, "%s%s\n%s\n%s\n", hdr, good1, bad, good2);
	const char *path = write_str(slot, text);
	snprintf(prefix, sizeof prefix, "%s:%d: ", path, line);

	trace *t = trace_open(path, fmt, TRACE_STOP, err, sizeof err);
	CHECK(t != NULL);
	if (t) {
		trace_job j;
		CHECK_INT(trace_next(t, &j, err, sizeof err), 1);
		CHECK_INT(trace_next(t, &j, err, sizeof err), -1);
		if (!starts_with(err, prefix) || !strstr(err, expect))
			TEST_FAIL_("bad row \"%.60s\": got \"%s\", wanted \"%s...%s\"", bad, err, prefix, expect);
		CHECK_INT(trace_next(t, &j, err, sizeof err), -1); /* the error stays */
		CHECK(starts_with(err, prefix));
		CHECK_INT(trace_counts(t).rejected, 1);
		CHECK(starts_with(trace_first_rejection(t), prefix));
		trace_close(t);
	}
	t = trace_open(path, fmt, TRACE_SKIP_BAD, err, sizeof err);
	CHECK(t != NULL);
	if (t) {
		trace_stats st;
		int n;
		CHECK_INT(read_all(t, NULL, 0, &n, &st), 0);
		CHECK_INT(n, 2);
		CHECK_INT(st.rows, 3);
		CHECK_INT(st.rejected, 1);
		CHECK(starts_with(trace_first_rejection(t), prefix));
		CHECK(strstr(trace_first_rejection(t), expect) != NULL);
		trace_close(t);
	}
	unlink(path);
}

static void test_bad_fgsim_rows(void)
{
	static const struct {
		const char *row, *expect;
	} cases[] = {
		{"10,inference,t1,abc,60", "gpus \"abc\" is not a number"},
		{"10,inference,t1,nan,60", "gpus \"nan\" is not a number"},
		{"10,inference,t1,inf,60", "is not a number"},
		{"10,inference,t1,0x10,60", "is not a number"},
		{"10,inference,t1,1,1e999", "duration \"1e999\" is not a number"},
		{"10,inference,t1,1,60s", "duration \"60s\" is not a number"},
		{"10,inference,t1,1,-5", "duration \"-5\" is negative"},
		{"-1,inference,t1,1,60", "submit \"-1\" is negative"},
		{",inference,t1,1,60", "submit is empty"},
		{"10,inference,t1,,60", "gpus is empty"},
		{"10,inference,t1,1,", "duration is empty"},
		{"10,inference,t1,0,60", "must be more than 0"},
		{"10,inference,t1,-0.5,60", "must be more than 0"},
		{"10,inference,t1,1.5,60", "more than one GPU must be a whole number"},
		{"10,inference,t1,0.0001,60", "not a whole number of thousandths"},
		{"10,inference,t1,100000,60", "more than 65536 GPUs"},
		{"10,inference,t1,1", "expected 5 fields (submit,class,tenant,gpus,duration), found 4"},
		{"10,inference,t1,1,60,7", "found 6"},
		{"10,,t1,1,60", "class is empty"},
		{"10,abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcd,t1,1,60", "longer than 63"},
		{"10,\"infer,ence\",t1,1,60", "may not contain"},
		{"10,\"say \"\"hi\"\"\",t1,1,60", "class \"say \"hi\"\" may not contain"},
		{"10,\"inference,t1,1,60", "unterminated quoted field"},
		{"10,\"inference\"x,t1,1,60", "after a quoted field"},
		{"10,infer\"ence,t1,1,60", "a quote inside an unquoted field"},
		{"9,inference,t1,1,60", "submit 9 is earlier than the previous row's 10"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		bad_row(TRACE_FGSIM, FG_HDR, "10,inference,t1,1,60", cases[i].row, "20,training,t2,8,3600",
			cases[i].expect, 3);
}

static void test_bad_alibaba_rows(void)
{
#define POD(fields) "p-1," fields
	static const struct {
		const char *row, *expect;
	} cases[] = {
		{POD("4000,15258,1.5,1000,,LS,Running,150,200,150"), "num_gpu \"1.5\" is not a whole number"},
		{POD("4000,15258,1,1200,,LS,Running,150,200,150"),
		 "gpu_milli \"1200\" is not a whole number from 0 to 1000"},
		{POD("4000,15258,1,0,,LS,Running,150,200,150"), "num_gpu 1 x gpu_milli 0 asks for no GPU"},
		{POD("4000,15258,3,500,,LS,Running,150,200,150"), "1.500 GPUs: more than one GPU"},
		{POD("4000,15258,1,1000,,LS,Running,150,200,180x"), "scheduled_time \"180x\" is not a number"},
		{POD("4000,15258,1,1000,,LS,Running,150,170,180"), "deletion_time 170 is before scheduled_time 180"},
		{POD("4000,15258,1,1000,,LS,Running,,200,150"), "creation_time is empty"},
		{POD("4000,15258,1,1000,,LS,Running,150,,150"), "deletion_time is empty"},
		{POD("4000,15258,1,1000,,,Running,150,200,150"), "qos is empty"},
		{POD("4000,15258,1,1000,,LS,,150,200,150"), "pod_phase is empty"},
		{POD("-4000,15258,1,1000,,LS,Running,150,200,150"), "cpu_milli \"-4000\" is negative"},
		{POD("4000,15258,1,1000,V100|,LS,Running,150,200,150"), "gpu_spec \"V100|\" ends with '|'"},
		{POD("4000,15258,1,1000,V100||T4,LS,Running,150,200,150"), "gpu_spec model is empty"},
		{POD("4000,15258,1,1000,,LS,Running,150,200"), "expected 11 fields"},
		{POD("4000,15258,1,1000,,LS,Running,99,200,150"),
		 "creation_time 99 is earlier than the previous row's 100"},
		{",4000,15258,1,1000,,LS,Running,150,200,150", "name is empty"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		bad_row(TRACE_ALIBABA, POD_HDR, "p-0,4000,15258,1,1000,,LS,Running,100,200,100", cases[i].row,
			"p-2,4000,15258,1,500,,BE,Running,300,400,300", cases[i].expect, 3);
#undef POD
}

/* Things a careful reader accepts: CRLF, a byte order mark, quotes, spaces, blank lines,
 * no final newline, ties, pandas' "nan" for missing values and "1.0" for whole numbers;
 * first, a stray quote in an unquoted field is rejected at its line (blank lines count). */
static void test_tolerated(void)
{
	char slot[64];
	const char *path = write_str(slot, "\xEF\xBB\xBF\"submit\", Class ,tenant,gpus,duration\r\n"
					   "0,\"inference\",\"\",0.25,60\r\n"
					   "\r\n"
					   "  0 , training , t\"\"x , 8 , 3600 \r\n");
	trace *t = trace_open(path, TRACE_FGSIM, TRACE_STOP, err, sizeof err);
	CHECK(t != NULL);
	if (t) {
		trace_job j;
		CHECK_INT(trace_next(t, &j, err, sizeof err), 1);
		CHECK_INT(trace_next(t, &j, err, sizeof err), -1);
		char prefix[96];
		snprintf(prefix, sizeof prefix, "%s:4: a quote inside", path);
		CHECK(starts_with(err, prefix));
		trace_close(t);
	}
	unlink(path);

	path = write_str(slot, "\xEF\xBB\xBF\"submit\", Class ,tenant,gpus,duration\r\n"
			       "0,\"inference\",\"\",0.25,60\r\n"
			       "\r\n"
			       "  0 , training , t1 , 8 , 3600 \r\n"
			       "\n"
			       "5,\"a quoted class\",t2,2.0,1.5e2");
	t = trace_open(path, TRACE_FGSIM, TRACE_STOP, err, sizeof err);
	CHECK(t != NULL);
	if (!t) {
		fprintf(stderr, "  %s\n", err);
		return;
	}
	trace_job j[4];
	trace_stats st;
	int n;
	if (read_all(t, j, 4, &n, &st))
		TEST_FAIL_("%s", err);
	CHECK_INT(n, 3);
	CHECK_INT(st.rows, 3);
	if (n == 3) {
		CHECK_STR(j[0].class_name, "inference");
		CHECK_STR(j[0].tenant, "");
		CHECK_INT(j[0].gpus_milli, 250);
		CHECK_INT(j[1].line, 4);
		CHECK_STR(j[1].class_name, "training");
		CHECK_STR(j[1].tenant, "t1");
		CHECK_NEAR(j[1].submit, 0, 0); /* a tie with the row before */
		CHECK_INT(j[2].line, 6);
		CHECK_STR(j[2].class_name, "a quoted class");
		CHECK_INT(j[2].gpus_milli, 2000);
		CHECK_NEAR(j[2].duration, 150, 0);
	}
	trace_close(t);
	unlink(path);

	/* Alibaba as pandas re-saves it: nan for missing, floats for whole numbers. */
	path = write_str(slot, "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,"
			       "deletion_time,scheduled_time\n"
			       "p0,4000.0,15258.0,1.0,460.0,nan,LS,Running,100.0,200.0,110.0\n"
			       "p1,4000.0,15258.0,1.0,460.0,nan,LS,Pending,120.0,200.0,nan\n");
	t = trace_open(path, TRACE_ALIBABA, TRACE_STOP, err, sizeof err);
	CHECK(t != NULL);
	if (t) {
		CHECK_INT(read_all(t, j, 4, &n, &st), 0);
		CHECK_INT(n, 1);
		CHECK_INT(st.skipped_unscheduled, 1);
		CHECK_INT(j[0].gpus_milli, 460);
		CHECK_STR(j[0].gpu_spec, "");
		CHECK_NEAR(j[0].duration, 90, 0);
		trace_close(t);
	}
	unlink(path);
}

/* Long lines and NUL bytes are bad rows at their line; the reader goes on after a NUL
 * byte when skipping, but never after a long line: it stops reading at the limit. */
static void test_long_line_and_nul(void)
{
	size_t cap = TRACE_LINE_MAX * 3;
	char *text = malloc(cap), slot[64], prefix[96];
	size_t n = (size_t)snprintf(text, cap, "%s0,a,t,1,1\n10,a,t,1,", FG_HDR);
	memset(text + n, '9', TRACE_LINE_MAX * 2);
	n += TRACE_LINE_MAX * 2;
	n += (size_t)snprintf(text + n, cap - n, "\n20,a,t,1,1\n30,a,t,1");
	text[n++] = '\0';
	n += (size_t)snprintf(text + n, cap - n, ",1\n40,a,t,1,1\n");
	const char *path = write_tmp(slot, text, n);
	free(text);

	trace *t = trace_open(path, TRACE_FGSIM, TRACE_SKIP_BAD, err, sizeof err);
	CHECK(t != NULL);
	if (t) {
		trace_job j[4];
		trace_stats st;
		int got;
		CHECK_INT(read_all(t, j, 4, &got, &st), -1);
		CHECK_INT(got, 1);
		CHECK_INT(st.rejected, 1);
		snprintf(prefix, sizeof prefix, "%s:3: line longer than %d bytes", path, TRACE_LINE_MAX);
		CHECK(starts_with(trace_first_rejection(t), prefix));
		CHECK(starts_with(err, prefix));
		trace_close(t);
	}
	t = trace_open(path, TRACE_FGSIM, TRACE_STOP, err, sizeof err);
	CHECK(t != NULL);
	if (t) {
		trace_job j;
		while (trace_next(t, &j, err, sizeof err) == 1)
			;
		CHECK(starts_with(err, prefix));
		trace_close(t);
	}
	/* The NUL line alone. */
	text = malloc(128);
	n = (size_t)snprintf(text, 128, "%s0,a,t,1,1\n1,a,t,1", FG_HDR);
	text[n++] = '\0';
	n += (size_t)snprintf(text + n, 128 - n, ",1\n");
	unlink(path);
	path = write_tmp(slot, text, n);
	free(text);
	t = trace_open(path, TRACE_FGSIM, TRACE_STOP, err, sizeof err);
	CHECK(t != NULL);
	if (t) {
		trace_job j;
		CHECK_INT(trace_next(t, &j, err, sizeof err), 1);
		CHECK_INT(trace_next(t, &j, err, sizeof err), -1);
		snprintf(prefix, sizeof prefix, "%s:3: NUL byte", path);
		CHECK(starts_with(err, prefix));
		trace_close(t);
	}
	t = trace_open(path, TRACE_FGSIM, TRACE_SKIP_BAD, err, sizeof err); /* skipped, and on */
	CHECK(t != NULL);
	if (t) {
		trace_stats st;
		int got;
		CHECK_INT(read_all(t, NULL, 0, &got, &st), 0);
		CHECK_INT(got, 1);
		CHECK_INT(st.rejected, 1);
		trace_close(t);
	}
	unlink(path);
}

static double now(void);

/* An endless line (/dev/zero) stops at the line limit, as trace and as node list, in
 * either on_bad mode: before, the whole line was read to find its end, forever. */
static void test_endless_line(void)
{
	char prefix[128];
	trace_pool pools[4];
	int n;
	double t0 = now();
	snprintf(prefix, sizeof prefix, "/dev/zero:1: line longer than %d bytes", TRACE_LINE_MAX);
	for (int on_bad = TRACE_STOP; on_bad <= TRACE_SKIP_BAD; on_bad++) {
		trace *t = trace_open("/dev/zero", TRACE_FGSIM, on_bad, err, sizeof err);
		CHECK(t == NULL);
		trace_close(t);
		CHECK(starts_with(err, prefix));
	}
	CHECK_INT(trace_read_nodes("/dev/zero", pools, 4, &n, NULL, err, sizeof err), -1);
	CHECK(starts_with(err, prefix));
	CHECK(now() - t0 < 5);
}

/* Copies the file's times from `from` (the mtime an in-place edit would not change). */
static void same_times(const char *path, const struct stat *from)
{
	struct timespec ts[2] = {from->st_atim, from->st_mtim};
	CHECK_INT(utimensat(AT_FDCWD, path, ts, 0), 0);
}

/* Loads path as the scenario does: reads it to its end and takes its fingerprint. */
static int load_fingerprint(const char *path, trace_fingerprint *fp)
{
	trace_stats st;
	int n;
	trace *t = trace_open(path, TRACE_FGSIM, TRACE_STOP, err, sizeof err);
	CHECK(t != NULL);
	if (!t)
		return -1;
	CHECK_INT(read_all(t, NULL, 0, &n, &st), 0);
	int rc = trace_fingerprint_of(t, fp, err, sizeof err);
	CHECK_INT(rc, 0);
	trace_close(t);
	return rc;
}

/* Reads n jobs (all: n < 0); returns trace_next's last code. */
static int read_n(trace *t, int n)
{
	trace_job j;
	int rc = 1;
	for (int i = 0; (n < 0 || i < n) && (rc = trace_next(t, &j, err, sizeof err)) == 1; i++)
		;
	return rc;
}

/* A replayed trace is checked against what the load read: edited in place (even with its
 * old mtime put back), cut short, grown, or replaced, during a pass or between passes,
 * it stops with "FILE: changed since it was loaded (...)", never a silent difference. */
static void test_changed_since_load(void)
{
	/* larger than stdio's buffer, so a change at the end is read after the change */
	static char text[64 * 1024];
	char slot[64], prefix[128];
	int len = snprintf(text, sizeof text, "%s", FG_HDR);
	for (int i = 0; i < 3000; i++)
		len += snprintf(text + len, sizeof text - (size_t)len, "%d,a,t,1,6%d\n", i * 10, i % 10);
	const char *path = write_tmp(slot, text, (size_t)len);
	trace_fingerprint fp;
	struct stat st0;
	CHECK_INT(stat(path, &st0), 0);
	if (load_fingerprint(path, &fp))
		return;
	CHECK_INT(fp.size, len);
	CHECK(fp.set && fp.regular);
	snprintf(prefix, sizeof prefix, "%s: changed since it was loaded (", path);

	/* unchanged: passes and rewinds are clean */
	trace *t = trace_open_loaded(path, TRACE_FGSIM, TRACE_STOP, &fp, err, sizeof err);
	CHECK(t != NULL);
	if (!t)
		return;
	CHECK_INT(read_n(t, -1), 0);
	CHECK_INT(trace_rewind(t, err, sizeof err), 0);
	CHECK_INT(read_n(t, 3), 1); /* a pass that stops early (the horizon) */
	CHECK_INT(trace_finish(t, err, sizeof err), 0);
	CHECK_INT(trace_rewind(t, err, sizeof err), 0);

	/* one digit of a later row changed in place, the mtime put back: the pass's hash */
	CHECK_INT(read_n(t, 3), 1);
	FILE *f = fopen(path, "r+");
	CHECK(f != NULL);
	if (f) {
		fseek(f, len - 3, SEEK_SET);
		fputc('9', f);
		fclose(f);
	}
	same_times(path, &st0);
	CHECK_INT(read_n(t, -1), -1);
	CHECK(starts_with(err, prefix));
	CHECK(strstr(err, "content") != NULL);
	CHECK_INT(trace_rewind(t, err, sizeof err), -1); /* and it stays failed */
	CHECK(starts_with(err, prefix));
	trace_close(t);

	/* the same change, in a pass that stopped before reaching it: trace_finish */
	t = trace_open_loaded(path, TRACE_FGSIM, TRACE_STOP, &fp, err, sizeof err);
	CHECK(t != NULL);
	if (t) {
		CHECK_INT(read_n(t, 2), 1);
		CHECK_INT(trace_finish(t, err, sizeof err), -1);
		CHECK(starts_with(err, prefix));
		trace_close(t);
	}

	/* cut short during a pass (the old code read on to "no more jobs", or a bad row) */
	unlink(path);
	path = write_tmp(slot, text, (size_t)len);
	snprintf(prefix, sizeof prefix, "%s: changed since it was loaded (", path);
	CHECK_INT(stat(path, &st0), 0);
	load_fingerprint(path, &fp);
	t = trace_open_loaded(path, TRACE_FGSIM, TRACE_STOP, &fp, err, sizeof err);
	CHECK(t != NULL);
	if (t) {
		CHECK_INT(read_n(t, 2), 1);
		CHECK_INT(truncate(path, len / 2), 0);
		CHECK_INT(read_n(t, -1), -1);
		CHECK(starts_with(err, prefix));
		trace_close(t);
	}

	/* grown between passes: the rewind's stat */
	f = fopen(path, "w");
	if (f) {
		fwrite(text, 1, (size_t)len, f);
		fclose(f);
	}
	same_times(path, &st0);
	load_fingerprint(path, &fp);
	t = trace_open_loaded(path, TRACE_FGSIM, TRACE_STOP, &fp, err, sizeof err);
	CHECK(t != NULL);
	if (t) {
		CHECK_INT(read_n(t, -1), 0);
		f = fopen(path, "a");
		if (f) {
			fputs("500,a,t,1,1\n", f);
			fclose(f);
		}
		CHECK_INT(trace_rewind(t, err, sizeof err), -1);
		CHECK(starts_with(err, prefix));
		CHECK(strstr(err, "size") != NULL);
		CHECK_INT(read_n(t, 1), -1);
		trace_close(t);
	}

	/* replaced by another file of the same bytes and times: its inode */
	f = fopen(path, "w");
	if (f) {
		fwrite(text, 1, (size_t)len, f);
		fclose(f);
	}
	same_times(path, &st0);
	load_fingerprint(path, &fp);
	char other[64];
	write_tmp(other, text, (size_t)len);
	same_times(other, &st0);
	CHECK_INT(rename(other, path), 0);
	t = trace_open_loaded(path, TRACE_FGSIM, TRACE_STOP, &fp, err, sizeof err);
	CHECK(t == NULL);
	CHECK(starts_with(err, prefix));
	CHECK(strstr(err, "inode") != NULL);
	trace_close(t);

	/* deleted */
	unlink(path);
	t = trace_open_loaded(path, TRACE_FGSIM, TRACE_STOP, &fp, err, sizeof err);
	CHECK(t == NULL);
	CHECK(starts_with(err, prefix));
	trace_close(t);
}

/* An open that must fail, with a message that starts with the path (and line). */
static void open_fails(const char *text, trace_format fmt, int on_bad, const char *where, const char *expect)
{
	char slot[64], prefix[128];
	const char *path = write_str(slot, text);
	snprintf(prefix, sizeof prefix, "%s%s", path, where);
	err[0] = '\0';
	trace *t = trace_open(path, fmt, on_bad, err, sizeof err);
	CHECK(t == NULL);
	if (!starts_with(err, prefix) || !strstr(err, expect))
		TEST_FAIL_("open of \"%.50s\": got \"%s\", wanted \"%s...%s\"", text, err, prefix, expect);
	trace_close(t);
	unlink(path);
}

static void test_empty_and_headers(void)
{
	open_fails("", TRACE_FGSIM, TRACE_STOP,
		   ":1: ", "empty file; expected the header \"submit,class,tenant,gpus,duration\"");
	open_fails(FG_HDR, TRACE_FGSIM, TRACE_STOP, ":1: ", "no jobs: the trace has a header and no rows");
	open_fails("submit,class,tenant,gpus,duration", TRACE_FGSIM, TRACE_STOP, ":1: ", "no jobs");
	open_fails("submit,class,tenant,gpus,duration\n\n\r\n  \n", TRACE_FGSIM, TRACE_STOP,
		   ":4: ", "no jobs: the trace has a header");
	open_fails("", TRACE_ALIBABA, TRACE_STOP, ":1: ", "expected the header \"name,cpu_milli");
	/* Rows but no job: all skipped, all rejected, or the first row bad when stopping. */
	open_fails("name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,"
		   "scheduled_time\np0,1,1,0,0,,LS,Running,1,2,1\np1,1,1,1,1000,,LS,Pending,2,3,\n",
		   TRACE_ALIBABA, TRACE_STOP,
		   ":3: ", "no jobs in 2 rows; 2 skipped (num_gpu = 0: 1, no scheduled_time: 1)");
	open_fails("submit,class,tenant,gpus,duration\nx,a,t,1,1\n1,a,t,0,1\n", TRACE_FGSIM, TRACE_SKIP_BAD,
		   ":3: ", "no jobs in 2 rows; 2 rejected, the first: /tmp/");
	open_fails("submit,class,tenant,gpus,duration\nx,a,t,1,1\n1,a,t,1,1\n", TRACE_FGSIM, TRACE_STOP,
		   ":2: ", "submit \"x\" is not a number");
	/* Headers: the wrong one names the expected, and recognises the other formats. */
	open_fails(
		"submit,class,gpus,duration\n0,a,1,1\n", TRACE_FGSIM, TRACE_STOP, ":1: ",
		"header \"submit,class,gpus,duration\" does not match; expected \"submit,class,tenant,gpus,duration\"");
	open_fails(POD_HDR, TRACE_FGSIM, TRACE_STOP,
		   ":1: ", "(this looks like an Alibaba pod list (format = \"alibaba\"))");
	open_fails("submit,class,tenant,gpus,duration\n0,a,t,1,1\n", TRACE_ALIBABA, TRACE_STOP,
		   ":1: ", "(this looks like an fgsim trace (format = \"fgsim\"))");
	open_fails(",submit,class,tenant,gpus,duration\n0,0,a,t,1,1\n", TRACE_FGSIM, TRACE_STOP,
		   ":1: ", "with a leading index column");
	open_fails("sn,cpu_milli,memory_mib,gpu,model\n", TRACE_ALIBABA, TRACE_STOP, ":1: ", "Alibaba node list");

	err[0] = '\0';
	CHECK(trace_open("/nonexistent/pods.csv", TRACE_FGSIM, TRACE_STOP, err, sizeof err) == NULL);
	CHECK(starts_with(err, "/nonexistent/pods.csv: cannot open: No such file"));
	CHECK(trace_open("/tmp", TRACE_FGSIM, TRACE_STOP, err, sizeof err) == NULL);
	CHECK(starts_with(err, "/tmp: cannot open: Is a directory"));

	/* Node lists: bad rows always stop; a GPU node needs a model; no GPU node at all. */
	trace_pool pools[4];
	int np;
	char slot[64], prefix[96];
	const char *path = write_str(slot, "sn,cpu_milli,memory_mib,gpu,model\nn0,1,1,0,\nn1,1,1,8,\n");
	CHECK_INT(trace_read_nodes(path, pools, 4, &np, NULL, err, sizeof err), -1);
	snprintf(prefix, sizeof prefix, "%s:3: gpu 8 but model is empty", path);
	CHECK_STR(err, prefix);
	unlink(path);
	path = write_str(slot, "sn,cpu_milli,memory_mib,gpu,model\nn0,1,1,0,\nn1,1,1,0,nan\n");
	CHECK_INT(trace_read_nodes(path, pools, 4, &np, NULL, err, sizeof err), -1);
	snprintf(prefix, sizeof prefix, "%s:3: no GPU nodes in 2 rows (2 CPU-only)", path);
	CHECK_STR(err, prefix);
	unlink(path);
	path = write_str(slot, "sn,cpu_milli,memory_mib,gpu,model\nn0,1,1,2.5,T4\n");
	CHECK_INT(trace_read_nodes(path, pools, 4, &np, NULL, err, sizeof err), -1);
	snprintf(prefix, sizeof prefix, "%s:2: gpu \"2.5\" is not a whole number", path);
	CHECK(starts_with(err, prefix));
	unlink(path);
	path = write_str(slot, "sn,cpu_milli,memory_mib,gpu\n");
	CHECK_INT(trace_read_nodes(path, pools, 4, &np, NULL, err, sizeof err), -1);
	CHECK(strstr(err, ":1: header \"sn,cpu_milli,memory_mib,gpu\" does not match; expected") != NULL);
	unlink(path);
	path = write_str(
		slot,
		"sn,cpu_milli,memory_mib,gpu,model\n"
		"a,1,1,1,X\nb,1,1,2,X\nc,1,1,3,X\nd,1,1,4,X\ne,1,1,5,X\nf,1,1,6,X\ng,1,1,7,X\nh,1,1,8,X\ni,1,1,9,X\n");
	CHECK_INT(trace_read_nodes(path, pools, 4, &np, NULL, err, sizeof err), -1);
	snprintf(prefix, sizeof prefix, "%s:10: model \"X\" has more than %d node sizes", path, TRACE_POOL_SIZES);
	CHECK_STR(err, prefix);
	unlink(path);
	CHECK_INT(trace_read_nodes("/nonexistent/nodes.csv", pools, 4, &np, NULL, err, sizeof err), -1);
	CHECK(starts_with(err, "/nonexistent/nodes.csv: cannot open"));
}

/* Out of order: each row is compared with the last row not rejected. */
static void test_order(void)
{
	char slot[64];
	const char *path = write_str(slot, "submit,class,tenant,gpus,duration\n"
					   "10,a,t,1,1\n30,a,t,1,1\n20,a,t,1,1\n30,a,t,1,1\n25,a,t,1,1\n40,a,t,1,1\n");
	trace *t = trace_open(path, TRACE_FGSIM, TRACE_SKIP_BAD, err, sizeof err);
	CHECK(t != NULL);
	if (t) {
		trace_job j[8];
		trace_stats st;
		int n;
		CHECK_INT(read_all(t, j, 8, &n, &st), 0);
		CHECK_INT(n, 4);
		CHECK_INT(st.rejected, 2);
		char prefix[96];
		snprintf(prefix, sizeof prefix, "%s:4: submit 20 is earlier than the previous row's 30", path);
		CHECK(starts_with(trace_first_rejection(t), prefix));
		if (n == 4) {
			CHECK_INT(j[2].line, 5);
			CHECK_INT(j[3].line, 7);
		}
		trace_close(t);
	}
	unlink(path);
}

/* Rewinding replays the same jobs with the same counts, also after an early rejection. */
static void test_rewind(void)
{
	trace *t = trace_open(PODS_SAMPLE, TRACE_ALIBABA, TRACE_STOP, err, sizeof err);
	CHECK(t != NULL);
	if (!t)
		return;
	trace_job a[32], b[32];
	trace_stats sa, sb;
	int na, nb;
	CHECK_INT(read_all(t, a, 32, &na, &sa), 0);
	for (int pass = 0; pass < 2; pass++) {
		CHECK_INT(trace_rewind(t, err, sizeof err), 0);
		CHECK_INT(trace_counts(t).jobs, 1); /* the first job was read ahead */
		memset(b, 0, sizeof b);
		CHECK_INT(read_all(t, b, 32, &nb, &sb), 0);
		CHECK_INT(nb, na);
		CHECK_INT(sb.rows, sa.rows);
		CHECK_INT(sb.skipped_no_gpu, sa.skipped_no_gpu);
		CHECK_INT(sb.skipped_unscheduled, sa.skipped_unscheduled);
		int same = 1;
		for (int i = 0; i < na && i < 32; i++)
			same &= a[i].submit == b[i].submit && a[i].duration == b[i].duration &&
				a[i].gpus_milli == b[i].gpus_milli && a[i].line == b[i].line &&
				!strcmp(a[i].class_name, b[i].class_name) && !strcmp(a[i].gpu_spec, b[i].gpu_spec);
		CHECK(same);
	}
	trace_close(t);

	char slot[64];
	const char *path =
		write_str(slot, "submit,class,tenant,gpus,duration\nx,a,t,1,1\n1,a,t,1,1\n2,a,t,1,1\n0,a,t,1,1\n");
	t = trace_open(path, TRACE_FGSIM, TRACE_SKIP_BAD, err, sizeof err);
	CHECK(t != NULL);
	if (t) {
		trace_job j[4];
		char prefix[96];
		snprintf(prefix, sizeof prefix, "%s:2: submit \"x\"", path);
		for (int pass = 0; pass < 2; pass++) {
			CHECK_INT(read_all(t, j, 4, &na, &sa), 0);
			CHECK_INT(na, 2);
			CHECK_INT(sa.rejected, 2);
			CHECK(starts_with(trace_first_rejection(t), prefix));
			CHECK_INT(trace_rewind(t, err, sizeof err), 0);
			CHECK_INT(trace_counts(t).rejected, 1);
			CHECK(starts_with(trace_first_rejection(t), prefix));
		}
		trace_close(t);
	}
	unlink(path);
}

static long maxrss_kb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Writes `rows` rows of the fgsim format, rows bad_at1 and bad_at2 (0-based) bad. */
static const char *write_big(char *slot, long rows, long bad_at1, long bad_at2)
{
	strcpy(slot, "/tmp/fgsim-trace-big-XXXXXX.csv");
	int fd = mkstemps(slot, 4);
	if (fd < 0)
		return NULL;
	FILE *f = fdopen(fd, "w");
	static char buf[1 << 16];
	setvbuf(f, buf, _IOFBF, sizeof buf);
	fputs(FG_HDR, f);
	static const char *const gpus[] = {"0.25", "0.5", "1", "2", "8"};
	for (long i = 0; i < rows; i++) {
		if (i == bad_at1 || i == bad_at2)
			fprintf(f, "%ld.5,inference,t%ld,abc,%ld\n", i, i % 200 + 1, 60 + i % 3600);
		else
			fprintf(f, "%ld.5,%s,t%ld,%s,%ld\n", i, i % 3 ? "inference" : "training", i % 200 + 1,
				gpus[i % 5], 60 + i % 3600);
	}
	fclose(f);
	return slot;
}

/* The "traces are streamed": memory stays flat over millions of rows, and a big
 * malformed file stops at its first bad line (or counts the bad ones). */
static void test_big(void)
{
	const char *env = getenv("FGSIM_TRACE_ROWS");
	long rows = env ? atol(env) : 2000000;
	char slot[64], prefix[96];
	double t0 = now();
	const char *path = write_big(slot, rows, -1, -1);
	CHECK(path != NULL);
	if (!path)
		return;
	double t1 = now();
	long rss0 = maxrss_kb();
	trace *t = trace_open(path, TRACE_FGSIM, TRACE_STOP, err, sizeof err);
	CHECK(t != NULL);
	if (t) {
		trace_job j;
		long n = 0, milli = 0;
		int rc;
		double last = -1;
		int order_ok = 1;
		while ((rc = trace_next(t, &j, err, sizeof err)) == 1) {
			n++;
			milli += j.gpus_milli;
			order_ok = order_ok && j.submit >= last;
			last = j.submit;
		}
		double t2 = now();
		long grew = maxrss_kb() - rss0;
		CHECK_INT(rc, 0);
		CHECK_INT(n, rows);
		CHECK(order_ok);
		if (rows % 5 == 0)
			CHECK_INT(milli, rows / 5 * (250 + 500 + 1000 + 2000 + 8000));
		CHECK_INT(trace_counts(t).rows, rows);
		fprintf(stderr,
			"  %ld rows: written in %.2f s, read in %.2f s (%.1f M rows/s), peak RSS grew %ld KB%s\n", rows,
			t1 - t0, t2 - t1, rows / (t2 - t1) / 1e6, grew,
			SANITIZED ? " (sanitizer build: time not checked)" : "");
		CHECK(grew < 4096);
		if (!SANITIZED && rows <= 2000000)
			CHECK(t2 - t1 < 3.0);
		trace_close(t);
	}
	unlink(path);

	/* Malformed: two bad rows. Stopping fails at the first, skipping counts both. */
	long half = rows / 2;
	path = write_big(slot, half, half / 2, half / 2 + half / 4);
	rss0 = maxrss_kb();
	t = trace_open(path, TRACE_FGSIM, TRACE_STOP, err, sizeof err);
	CHECK(t != NULL);
	if (t) {
		trace_job j;
		long n = 0;
		while (trace_next(t, &j, err, sizeof err) == 1)
			n++;
		CHECK_INT(n, half / 2);
		snprintf(prefix, sizeof prefix, "%s:%ld: gpus \"abc\" is not a number", path, half / 2 + 2);
		CHECK_STR(err, prefix);
		CHECK_INT(trace_counts(t).rows, half / 2 + 1); /* it read no further */
		trace_close(t);
	}
	t = trace_open(path, TRACE_FGSIM, TRACE_SKIP_BAD, err, sizeof err);
	CHECK(t != NULL);
	if (t) {
		trace_stats st;
		int n;
		CHECK_INT(read_all(t, NULL, 0, &n, &st), 0);
		CHECK_INT(n, half - 2);
		CHECK_INT(st.rejected, 2);
		CHECK(starts_with(trace_first_rejection(t), prefix));
		trace_close(t);
	}
	unlink(path);

	/* 32 MB without a newline: one bad row, read in fixed memory. */
	strcpy(slot, "/tmp/fgsim-trace-line-XXXXXX.csv");
	int fd = mkstemps(slot, 4);
	FILE *f = fdopen(fd, "w");
	fputs(FG_HDR, f);
	static char chunk[1 << 16];
	memset(chunk, 'x', sizeof chunk);
	for (int i = 0; i < 512; i++)
		fwrite(chunk, 1, sizeof chunk, f);
	fclose(f);
	t = trace_open(slot, TRACE_FGSIM, TRACE_STOP, err, sizeof err);
	CHECK(t == NULL);
	snprintf(prefix, sizeof prefix, "%s:2: line longer than %d bytes", slot, TRACE_LINE_MAX);
	CHECK_STR(err, prefix);
	long grew = maxrss_kb() - rss0;
	fprintf(stderr, "  malformed files: peak RSS grew %ld KB\n", grew);
	CHECK(grew < 4096);
	unlink(slot);
}

static void test_names(void)
{
	trace_format fmt = TRACE_FGSIM;
	CHECK_INT(trace_format_parse("alibaba", &fmt), 0);
	CHECK_INT(fmt, TRACE_ALIBABA);
	CHECK_INT(trace_format_parse("fgsim", &fmt), 0);
	CHECK_INT(fmt, TRACE_FGSIM);
	CHECK_INT(trace_format_parse("openb", &fmt), -1);
	CHECK_STR(trace_format_name(TRACE_ALIBABA), "alibaba");
	CHECK_STR(trace_header(TRACE_FGSIM), "submit,class,tenant,gpus,duration");
	trace_close(NULL);
}

int main(void)
{
	test_names();
	test_fgsim_sample();
	test_alibaba_sample();
	test_nodes_sample();
	test_bad_fgsim_rows();
	test_bad_alibaba_rows();
	test_tolerated();
	test_long_line_and_nul();
	test_endless_line();
	test_changed_since_load();
	test_empty_and_headers();
	test_order();
	test_rewind();
	test_big();
	return test_report("test_trace");
}
