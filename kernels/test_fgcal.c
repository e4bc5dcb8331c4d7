/* test_fgcal.c - the host side of the calibration harness, on any machine: sample
 * summaries, nvbench's stopping rule, the file writer read back by the loader, the
 * datasheet table, the derived files (each bundled one must be exactly what
 * fgcal-derive writes), and bin/fgcal's exit without a device. */
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <dirent.h>
#include <time.h>

#include "fgcal_plan.h"
#include "fgcal_samples.h"
#include "fgcal_stats.h"
#include "test.h"

static void test_summary(void)
{
	double x[10] = {7, 3, 1, 10, 2, 9, 4, 8, 6, 5};
	fgcal_summary s;
	CHECK_INT(fgcal_summarise(x, 10, &s), 0);
	CHECK_INT(s.n, 10);
	/* Type-7 quantiles of 1..10: h = 9q, so p10 = 1.9, median 5.5, p90 = 9.1. */
	CHECK_NEAR(s.median, 5.5, 1e-12);
	CHECK_NEAR(s.p10, 1.9, 1e-12);
	CHECK_NEAR(s.p90, 9.1, 1e-12);
	CHECK_NEAR(s.mean, 5.5, 1e-12);
	CHECK_NEAR(s.sd, sqrt(55.0 / 6), 1e-12); /* sum of squares 82.5 over 9 */
	CHECK_NEAR(s.noise, sqrt(55.0 / 6) / 5.5, 1e-12);
	CHECK(s.min == 1 && s.max == 10);
	CHECK_NEAR(s.total_s, 55e-6, 1e-18);
	CHECK_INT(fgcal_summarise(x, 0, &s), -1);
	double one = 4.25;
	CHECK_INT(fgcal_summarise(&one, 1, &s), 0);
	CHECK(s.median == 4.25 && s.p10 == 4.25 && s.p90 == 4.25 && s.noise == 0);
}

static void test_stopper(void)
{
	fgcal_criteria c;
	fgcal_stopper st;
	fgcal_criteria_default(&c);
	CHECK_INT(c.min_samples, 10);
	CHECK(c.min_time_s == 0.5 && c.max_noise == 0.005 && c.timeout_s == 15);

	/* Quiet 0.1 s samples: not before 10 samples, then NOISE (1.0 s > 0.5 s, noise 0). */
	fgcal_stopper_init(&st, &c);
	for (int i = 0; i < 9; i++) {
		fgcal_stopper_add(&st, 0.1);
		CHECK_INT(fgcal_stopper_verdict(&st, 1.0), FGCAL_GO_ON);
	}
	fgcal_stopper_add(&st, 0.1);
	CHECK_INT(fgcal_stopper_verdict(&st, 1.0), FGCAL_STOP_NOISE);
	CHECK_STR(fgcal_verdict_name(FGCAL_STOP_NOISE), "noise");

	/* Short quiet samples: 10 samples but only 30 ms of GPU time, so sampling goes on
	 * until the total passes 0.5 s (nvbench: the total must exceed min-time). */
	fgcal_stopper_init(&st, &c);
	int n = 0;
	while (fgcal_stopper_verdict(&st, 0) == FGCAL_GO_ON && n < 1000) {
		fgcal_stopper_add(&st, 0.003);
		n++;
	}
	CHECK_INT(n, 167);
	CHECK_INT(fgcal_stopper_verdict(&st, 0), FGCAL_STOP_NOISE);

	/* A noisy kernel (+-10%) never reaches 0.5% and stops once its noise stops moving:
	 * past 64 noise values, on a multiple of 16 samples. */
	fgcal_stopper_init(&st, &c);
	fgcal_verdict v = FGCAL_GO_ON;
	n = 0;
	while (v == FGCAL_GO_ON && n < 10000) {
		fgcal_stopper_add(&st, n % 2 ? 0.09 : 0.11);
		n++;
		v = fgcal_stopper_verdict(&st, 1.0);
	}
	CHECK_INT(v, FGCAL_STOP_CONVERGED);
	CHECK(n > 64 && n % 16 == 0);
	CHECK_NEAR(fgcal_stopper_noise(&st), 0.1, 0.01);

	/* The timeout wins whatever else holds, and is reported as such. */
	fgcal_stopper_init(&st, &c);
	fgcal_stopper_add(&st, 0.1);
	CHECK_INT(fgcal_stopper_verdict(&st, 14.9), FGCAL_GO_ON);
	CHECK_INT(fgcal_stopper_verdict(&st, 15.1), FGCAL_STOP_TIMEOUT);
	CHECK_STR(fgcal_verdict_name(FGCAL_STOP_TIMEOUT), "timeout");
	CHECK(isnan(fgcal_stopper_noise(&st)));
}

static void test_plan(void)
{
	CHECK(fgcal_plan_len > 40);
	for (int i = 0; i < fgcal_plan_len; i++) {
		double f, b;
		calib_unit u;
		int rc = calib_kernel_cost(fgcal_plan[i].name, fgcal_plan[i].shape, &f, &b, &u, NULL);
		if (rc)
			TEST_FAIL_("plan entry %s %s does not parse (%d)", fgcal_plan[i].name, fgcal_plan[i].shape, rc);
		for (int j = 0; j < i; j++)
			if (!strcmp(fgcal_plan[i].name, fgcal_plan[j].name) && !strcmp(fgcal_plan[i].shape, fgcal_plan[j].shape))
				TEST_FAIL_("plan lists %s %s twice", fgcal_plan[i].name, fgcal_plan[i].shape);
	}
	/* The shapes are there: 4096^3, 8192^3, the largest triad is >= 4 x the
	 * largest L2 here (96 MB) per array. */
	int cube4 = 0, cube8 = 0;
	double triad = 0;
	for (int i = 0; i < fgcal_plan_len; i++) {
		cube4 |= !strcmp(fgcal_plan[i].shape, "4096x4096x4096");
		cube8 |= !strcmp(fgcal_plan[i].shape, "8192x8192x8192");
		if (!strcmp(fgcal_plan[i].name, "triad_fp32"))
			triad = fmax(triad, atof(fgcal_plan[i].shape) * 4);
	}
	CHECK(cube4 && cube8);
	CHECK(triad >= 4 * 96e6);
}

static void test_writer_roundtrip(void)
{
	calib_table t;
	memset(&t, 0, sizeof t);
	snprintf(t.gpu, sizeof t.gpu, "TEST-GPU");
	t.measured = 1;
	snprintf(t.date, sizeof t.date, "2025-11-25");
	snprintf(t.device_name, sizeof t.device_name, "Test \"quoted\" GPU");
	snprintf(t.driver, sizeof t.driver, "580.1");
	snprintf(t.cuda_runtime, sizeof t.cuda_runtime, "13.0");
	snprintf(t.compute_capability, sizeof t.compute_capability, "9.0");
	t.sm_count = 132;
	t.sm_clock_mhz = 1980;
	t.l2_bytes = 52428800;
	t.memory_bytes = 85899345920.0; /* above 2^32: must survive libconfig 1.5 */
	t.peaks.tensor_tflops = 989.4;
	t.peaks.mem_gbs = 3350;
	snprintf(t.peaks.tensor_source, sizeof t.peaks.tensor_source, "a datasheet");
	snprintf(t.peaks.mem_source, sizeof t.peaks.mem_source, "a datasheet");
	t.method = (calib_method){1, 10, 0.5, 0.005, 15, 1, 2};
	calib_kernel k;
	memset(&k, 0, sizeof k);
	snprintf(k.name, sizeof k.name, "gemm_bf16");
	snprintf(k.shape, sizeof k.shape, "8192x8192x8192");
	calib_kernel_cost(k.name, k.shape, &k.flops, &k.bytes, &k.unit, NULL);
	double raw[12] = {1500, 1490, 1510, 1502, 1498, 1505, 1495, 1501, 1499, 1500, 1503, 1497};
	fgcal_summary s;
	fgcal_summarise(raw, 12, &s);
	k.median_us = s.median, k.p10_us = s.p10, k.p90_us = s.p90, k.noise = s.noise;
	snprintf(k.stop, sizeof k.stop, "noise");
	snprintf(k.time_source, sizeof k.time_source, "measured");
	CHECK_INT(calib_add_kernel(&t, &k, raw, NULL, 12), 0);
	snprintf(k.name, sizeof k.name, "triad_fp32");
	snprintf(k.shape, sizeof k.shape, "134217728");
	calib_kernel_cost(k.name, k.shape, &k.flops, &k.bytes, &k.unit, NULL);
	double raw2[3] = {540.5, 541.25, 560.125};
	fgcal_summarise(raw2, 3, &s);
	k.median_us = s.median, k.p10_us = s.p10, k.p90_us = s.p90, k.noise = s.noise;
	snprintf(k.stop, sizeof k.stop, "timeout");
	CHECK_INT(calib_add_kernel(&t, &k, raw2, NULL, 3), 0);
	calib_step_entry entries[2] = {{"gemm_bf16", "8192x8192x8192", 1500}, {"triad_fp32", "134217728", 3700}};
	calib_fidelity f = {"llm-7b-decode", 5000, 5200, 0.04, 2, entries, 0};
	CHECK_INT(calib_add_fidelity(&t, &f), 0);
	calib_reference ref = {"llm-7b-decode", "pytorch 2.x", 5100, 5000, 0.02, "", 0};
	CHECK_INT(calib_add_reference(&t, &ref), 0);
	calib_reference none = {"sdxl-inference", "pytorch 2.x", NAN, NAN, NAN, "no SDXL in the image", 0};
	CHECK_INT(calib_add_reference(&t, &none), 0);
	/* Samples are stored with 7 digits: the summary is of what is stored. */
	CHECK(t.kernels[0].raw_us[0] == 1500 && t.kernels[0].raw_clock_mhz == NULL);
	CHECK_INT(t.kernels[0].throttled, -1);
	CHECK(t.kernels[0].q_us[0] == 1490 && t.kernels[0].q_us[CALIB_SKETCH_N - 1] == 1510);

	char dir[] = "/tmp/fgcal-test-XXXXXX", path[256], samples[256], err[1024];
	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof path, "%s/cal/x.cfg", dir);
	snprintf(samples, sizeof samples, "%s/x.samples.csv.gz", dir);
	CHECK_INT(fgcal_write_pair(&t, path, samples, "a header\nover two lines"), 0);
	calib_table b;
	int rc = calib_load(&b, path, err, sizeof err);
	if (rc)
		TEST_FAIL_("written file does not load: %s", err);
	else {
		CHECK_STR(b.gpu, "TEST-GPU");
		CHECK_INT(b.measured, 1);
		CHECK_STR(b.device_name, "Test \"quoted\" GPU");
		CHECK_INT(b.sm_count, 132);
		CHECK(b.memory_bytes == 85899345920.0);
		CHECK_INT(b.method.min_samples, 10);
		CHECK(b.method.l2_flush == 1 && b.method.max_noise == 0.005);
		CHECK_INT(b.nkernels, 2);
		CHECK_STR(b.kernels[0].name, "gemm_bf16");
		CHECK_INT(b.format, CALIB_FORMAT);
		CHECK_INT(b.method.version, 2);
		CHECK_STR(b.samples_file, "../x.samples.csv.gz");
		CHECK_INT(b.kernels[0].nsamples, 12);
		CHECK(b.kernels[0].raw_us == NULL); /* a summary: the samples stay in their file */
		CHECK(b.kernels[0].mean_us == t.kernels[0].mean_us && b.kernels[0].sd_us == t.kernels[0].sd_us);
		CHECK(b.kernels[0].min_us == 1490 && b.kernels[0].max_us == 1510);
		CHECK(b.kernels[0].checksum == t.kernels[0].checksum);
		CHECK_NEAR(b.kernels[0].median_us, t.kernels[0].median_us, 1e-6);
		CHECK_NEAR(b.kernels[0].flops, 2 * 8192.0 * 8192 * 8192, 1e-9 * 2 * 8192.0 * 8192 * 8192);
		CHECK_STR(b.kernels[1].stop, "timeout");
		CHECK(b.kernels[1].max_us == 560.125);
		CHECK_NEAR(b.kernels[1].p90_us, t.kernels[1].p90_us, 1e-4);
		CHECK_INT(b.nfidelity, 1);
		CHECK_STR(b.fidelity[0].profile, "llm-7b-decode");
		CHECK_NEAR(b.fidelity[0].error, 0.04, 1e-9);
		CHECK_INT(b.fidelity[0].nentries, 2);
		if (b.fidelity[0].nentries == 2)
			CHECK(!strcmp(b.fidelity[0].entries[1].kernel, "triad_fp32") && b.fidelity[0].entries[1].us == 3700);
		CHECK_INT(b.nreference, 2);
		if (b.nreference == 2) {
			CHECK_NEAR(b.reference[0].error, 0.02, 1e-12);
			CHECK_STR(b.reference[1].note, "no SDXL in the image");
			CHECK(isnan(b.reference[1].measured_us));
		}
		/* Every summary equals its samples; a planted difference in either is caught. */
		CHECK_INT(fgcal_samples_verify(&b, err, sizeof err), 0);
		b.kernels[1].p10_us += 0.001;
		CHECK_INT(fgcal_samples_verify(&b, err, sizeof err), 1);
		CHECK(strstr(err, "triad_fp32 134217728: p10_us") != NULL);
		b.kernels[1].p10_us -= 0.001;
		b.kernels[0].checksum ^= 1;
		CHECK_INT(fgcal_samples_verify(&b, err, sizeof err), 1);
		CHECK(strstr(err, "checksum") != NULL);
		calib_free(&b);
	}
	/* The header is comment lines at the top. */
	FILE *in = fopen(path, "r");
	char line[256] = "";
	CHECK(in && fgets(line, sizeof line, in));
	CHECK_STR(line, "# a header\n");
	if (in)
		fclose(in);
	unlink(path);
	unlink(samples);
	snprintf(path, sizeof path, "%s/cal", dir);
	rmdir(path);
	rmdir(dir);
	calib_free(&t);
}

/* Clocks: their mean and the samples under 75% of the device's clock (nvbench's
 * throttle threshold); the clock column is part of the checksum. */
static void test_clocks(void)
{
	calib_table t;
	calib_kernel k;
	memset(&t, 0, sizeof t);
	memset(&k, 0, sizeof k);
	t.sm_clock_mhz = 2000;
	snprintf(k.name, sizeof k.name, "triad_fp32");
	snprintf(k.shape, sizeof k.shape, "1000");
	double us[4] = {10, 11, 12, 13}, clk[4] = {1980, 1400, 1600, 1490};
	CHECK_INT(calib_add_kernel(&t, &k, us, clk, 4), 0);
	CHECK_NEAR(t.kernels[0].clock_mhz, (1980 + 1400 + 1600 + 1490) / 4.0, 1e-9);
	CHECK_INT(t.kernels[0].throttled, 2); /* 1400 and 1490 are under 1500 */
	CHECK(calib_checksum(us, clk, 4) != calib_checksum(us, NULL, 4));
	/* FNV-1a 64 of the text "10\n": a known value computed by hand from the definition. */
	uint64_t h = 14695981039346656037ULL;
	for (const char *p = "10\n"; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	CHECK(calib_checksum(us, NULL, 1) == h);
	calib_free(&t);
}

/* Every committed measured summary (format 2) equals what its samples file gives, and
 * loading one takes milliseconds: the time is printed, not asserted. */
static void test_committed_summaries(void)
{
	DIR *d = opendir("models/calibration");
	struct dirent *e;
	int verified = 0;
	while (d && (e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n < 5 || strcmp(e->d_name + n - 4, ".cfg"))
			continue;
		char path[512], err[2048];
		snprintf(path, sizeof path, "models/calibration/%s", e->d_name);
		calib_table t;
		if (calib_load(&t, path, err, sizeof err)) {
			TEST_FAIL_("%s", err);
			continue;
		}
		if (t.measured && t.format >= 2) {
			if (fgcal_samples_verify(&t, err, sizeof err))
				TEST_FAIL_("%s", err);
			verified++;
			struct timespec a, b;
			int reps = 20;
			clock_gettime(CLOCK_MONOTONIC, &a);
			for (int i = 0; i < reps; i++) {
				calib_table x;
				if (!calib_load(&x, path, err, sizeof err))
					calib_free(&x);
			}
			clock_gettime(CLOCK_MONOTONIC, &b);
			fprintf(stderr, "  %s: %d summaries equal their samples; loads in %.2f ms\n", path, t.nkernels,
				((double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6) / reps);
		}
		calib_free(&t);
	}
	if (d)
		closedir(d);
	CHECK(verified >= 2); /* the H100 and the H200 */
}

static void test_datasheets(void)
{
	fgcal_sheet *s;
	int n;
	fgcal_efficiency e;
	char err[1024];
	if (fgcal_sheets_load("kernels/datasheets.cfg", &s, &n, &e, err, sizeof err)) {
		TEST_FAIL_("datasheets: %s", err);
		return;
	}
	CHECK_INT(n, 6);
	const char *const keys[] = {"h100-sxm", "h200", "a100-80gb", "l40s", "l4", "rtx-4090"};
	for (int i = 0; i < 6; i++) {
		const fgcal_sheet *x = fgcal_sheet_find(s, n, keys[i]);
		CHECK(x != NULL);
		if (!x)
			continue;
		CHECK(x->peaks.tensor_tflops > 0 && x->peaks.mem_gbs > 0 && x->peaks.fp32_tflops > 0 && x->peaks.pcie_gbs > 0);
		CHECK(strlen(x->peaks.tensor_source) > 20 && strlen(x->peaks.mem_source) > 20);
		CHECK(strstr(x->peaks.tensor_source, "NVIDIA") != NULL);
	}
	/* The design notes' figures, against NVIDIA's own documents. */
	CHECK(fgcal_sheet_find(s, n, "H100-SXM")->peaks.tensor_tflops == 989.4);
	CHECK(fgcal_sheet_find(s, n, "h200")->peaks.mem_gbs == 4800);
	CHECK(fgcal_sheet_find(s, n, "l4")->peaks.mem_gbs == 300);
	CHECK(e.v[FGCAL_EFF_GEMM] == 0.80 && e.v[FGCAL_EFF_FLOOR] == 2.0);
	CHECK(fgcal_sheet_find(s, n, "nope") == NULL);

	/* A datasheet derivation by hand: GEMM 8192^3 on H100 is 2 us + 2 x 8192^3 FLOPs at
	 * 80% of 989.4 TFLOP/s; the 512 MiB triad is 2 us + 12 x 2^27 bytes at 90% of 3.35 TB/s. */
	calib_table h, l;
	const fgcal_sheet *hs = fgcal_sheet_find(s, n, "h100-sxm"), *ls = fgcal_sheet_find(s, n, "l4");
	CHECK_INT(fgcal_derive_datasheet(&h, hs, &e, "2025-11-25"), 0);
	CHECK_INT(h.measured, 0);
	CHECK_STR(h.derived_from, "datasheet");
	const calib_kernel *g = calib_find(&h, "gemm_bf16", "8192x8192x8192");
	CHECK(g && g->nsamples == 0 && !strcmp(g->stop, "derived"));
	if (g)
		CHECK_NEAR(g->median_us, 2 + 1e6 * 2 * pow(8192, 3) / (0.8 * 989.4e12), 1e-6);
	const calib_kernel *tr = calib_find(&h, "triad_fp32", "134217728");
	if (tr)
		CHECK_NEAR(tr->median_us, 2 + 1e6 * 12 * 134217728.0 / (0.9 * 3350e9), 1e-6);
	/* Ratio derivation: L4 from H100 keeps the 2 us and scales the rest by the bound
	 * ratio, here bandwidth 3350 / 300. */
	CHECK_INT(fgcal_derive_ratio(&l, ls, &h, hs, "h100-sxm.cfg", &e, "2025-11-25"), 0);
	const calib_kernel *lt = calib_find(&l, "triad_fp32", "134217728");
	if (lt && tr)
		CHECK_NEAR(lt->median_us, 2 + (tr->median_us - 2) * 3350.0 / 300, 1e-6);
	const calib_kernel *lg = calib_find(&l, "gemm_bf16", "8192x8192x8192");
	if (lg && g)
		CHECK_NEAR(lg->median_us, 2 + (g->median_us - 2) * 989.4 / 121, 1e-6);
	CHECK_STR(l.derived_from, "h100-sxm.cfg");
	calib_free(&h);
	calib_free(&l);
	free(s);
}

/* Every bundled file for a GPU of the table is either measured or exactly what
 * fgcal-derive writes from the table today: no derived number was edited by hand. */
static void test_bundled_derived(void)
{
	fgcal_sheet *s;
	int n;
	fgcal_efficiency e;
	char err[1024], path[256];
	if (fgcal_sheets_load("kernels/datasheets.cfg", &s, &n, &e, err, sizeof err)) {
		TEST_FAIL_("datasheets: %s", err);
		return;
	}
	for (int i = 0; i < n; i++) {
		calib_table have, want, ref;
		snprintf(path, sizeof path, "models/calibration/%s.cfg", s[i].key);
		if (calib_load(&have, path, err, sizeof err)) {
			TEST_FAIL_("%s", err);
			continue;
		}
		if (have.measured) {
			calib_free(&have);
			continue;
		}
		int rc;
		if (!strcmp(s[i].derive, "datasheet")) {
			rc = fgcal_derive_datasheet(&want, &s[i], &e, e.date);
		} else {
			char rp[256], rf[64];
			snprintf(rf, sizeof rf, "%s.cfg", s[i].derive);
			snprintf(rp, sizeof rp, "models/calibration/%s", rf);
			if (calib_load(&ref, rp, err, sizeof err)) {
				TEST_FAIL_("%s", err);
				calib_free(&have);
				continue;
			}
			rc = fgcal_derive_ratio(&want, &s[i], &ref, fgcal_sheet_find(s, n, s[i].derive), rf, &e, e.date);
			calib_free(&ref);
		}
		CHECK_INT(rc, 0);
		CHECK_INT(have.nkernels, want.nkernels);
		CHECK_STR(have.derived_from, want.derived_from);
		for (int k = 0; k < have.nkernels && k < want.nkernels; k++) {
			const calib_kernel *a = &have.kernels[k], *b = &want.kernels[k];
			if (strcmp(a->name, b->name) || strcmp(a->shape, b->shape) ||
			    fabs(a->median_us - b->median_us) > 1e-5 * b->median_us || a->nsamples) {
				TEST_FAIL_("%s: %s %s is %.7g us, fgcal-derive writes %.7g (run make calibration-derived)", path,
					   a->name, a->shape, a->median_us, b->median_us);
				break;
			}
		}
		calib_free(&have);
		calib_free(&want);
	}
	free(s);
}

/* Runs a shell command; returns its exit status, its stderr in out. */
static int run(const char *cmd, char *out, size_t len)
{
	char errf[] = "/tmp/fgcal-test-err-XXXXXX", full[2048];
	int fd = mkstemp(errf);
	close(fd);
	snprintf(full, sizeof full, "%s 2>%s >/dev/null", cmd, errf);
	int st = system(full);
	FILE *f = fopen(errf, "r");
	size_t n = f ? fread(out, 1, len - 1, f) : 0;
	out[n] = 0;
	if (f)
		fclose(f);
	unlink(errf);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_no_device(void)
{
	const char *bin = getenv("FGCAL") ? getenv("FGCAL") : FGCAL_BIN;
	if (access(bin, X_OK)) {
		fprintf(stderr, "  %s not built (no nvcc here): its no-device exit is not tested\n", bin);
		return;
	}
	char cmd[1024], err[4096], out[] = "/tmp/fgcal-test-out-XXXXXX.cfg";
	int fd = mkstemps(out, 4);
	close(fd);
	unlink(out);
	/* With every device hidden, fgcal must say so, exit 1 and write nothing, on any machine. */
	snprintf(cmd, sizeof cmd, "CUDA_VISIBLE_DEVICES= %s --gpu h100-sxm -o %s", bin, out);
	CHECK_INT(run(cmd, err, sizeof err), 1);
	CHECK(strstr(err, "no CUDA device") != NULL);
	CHECK(access(out, F_OK) != 0);
	snprintf(cmd, sizeof cmd, "%s --list", bin);
	CHECK_INT(run(cmd, err, sizeof err), 0);
	snprintf(cmd, sizeof cmd, "%s --bogus", bin);
	CHECK_INT(run(cmd, err, sizeof err), 2);
	snprintf(cmd, sizeof cmd, "%s", bin);
	CHECK_INT(run(cmd, err, sizeof err), 2);
}

int main(void)
{
	test_summary();
	test_stopper();
	test_plan();
	test_writer_roundtrip();
	test_clocks();
	test_committed_summaries();
	test_datasheets();
	test_bundled_derived();
	test_no_device();
	return test_report("test_fgcal");
}
