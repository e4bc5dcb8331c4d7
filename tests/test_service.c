/* test_service.c - the service model: interpolation on synthetic tables (exact at the
 * listed shapes, monotone between, the roofline where nothing is listed), profiles and
 * their errors, jitter drawn from samples, multi-GPU scaling, and the bundled profiles
 * priced on the bundled files: each job is faster on an H100 than on an L4 by a ratio
 * between the two GPUs' bandwidth ratio and compute ratio. */
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include "service.h"
#include "test.h"

static char err[1024];

static const char *const profiles[] = {"llm-7b-decode", "llm-7b-prefill", "llm-7b-prefill-naive", "llm-7b-finetune",
				       "llm-70b-finetune", "resnet50-train", "sdxl-inference", NULL};
static const char *const bundled[] = {"models/calibration/h100-sxm.cfg", "models/calibration/l4.cfg",
				      "models/calibration/h200.cfg", "models/calibration/a100-80gb.cfg",
				      "models/calibration/l40s.cfg", "models/calibration/rtx-4090.cfg"};

/* A synthetic table: peaks 100 TFLOP/s and 1000 GB/s, GEMM cubes with times that are
 * not proportional to their work (efficiency rises with size), a triad, a launch. */
static void synth(calib_table *t, int with_samples)
{
	memset(t, 0, sizeof *t);
	snprintf(t->gpu, sizeof t->gpu, "SYNTH");
	snprintf(t->path, sizeof t->path, "synthetic");
	t->measured = with_samples;
	snprintf(t->derived_from, sizeof t->derived_from, "%s", with_samples ? "" : "a test");
	t->peaks.tensor_tflops = 100;
	t->peaks.mem_gbs = 1000;
	t->peaks.fp32_tflops = 10;
	t->peaks.pcie_gbs = 20;
	const struct {
		const char *name, *shape;
		double us;
	} rows[] = {{"launch_empty", "1", 3},
		    {"gemm_bf16", "512x512x512", 20},
		    {"gemm_bf16", "1024x1024x1024", 60},
		    {"gemm_bf16", "2048x2048x2048", 300},
		    {"gemm_bf16", "4096x4096x4096", 1800},
		    {"triad_fp32", "1000000", 15}};
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		calib_kernel k;
		memset(&k, 0, sizeof k);
		snprintf(k.name, sizeof k.name, "%s", rows[i].name);
		snprintf(k.shape, sizeof k.shape, "%s", rows[i].shape);
		calib_kernel_cost(k.name, k.shape, &k.flops, &k.bytes, &k.unit, NULL);
		k.median_us = k.p10_us = k.p90_us = rows[i].us;
		/* Samples: the median, and 10% either side (cv^2 = 0.02 / 3 x 3 / 2 = 0.01). */
		double raw[3] = {0.9 * rows[i].us, rows[i].us, 1.1 * rows[i].us};
		calib_add_kernel(t, &k, raw, NULL, with_samples ? 3 : 0);
	}
}

static service_kernel kern(const char *name, const char *like, const char *shape, double flops, double bytes)
{
	service_kernel k;
	memset(&k, 0, sizeof k);
	snprintf(k.name, sizeof k.name, "%s", name);
	snprintf(k.like, sizeof k.like, "%s", like);
	snprintf(k.shape, sizeof k.shape, "%s", shape);
	k.count = 1;
	k.unit = CALIB_UNIT_MEM;
	calib_kernel_unit(like[0] ? like : name, &k.unit);
	if (shape[0] && !like[0])
		calib_kernel_cost(name, shape, &k.flops, &k.bytes, &k.unit, NULL);
	else
		k.flops = flops, k.bytes = bytes;
	return k;
}

static void test_fit(void)
{
	calib_table t;
	double peak[CALIB_NUNITS], fl;
	synth(&t, 0);
	service_fit_roofline(&t, peak, &fl);
	CHECK(fl == 3);
	/* The best tensor rate any GEMM reached: 4096^3 in 1800 us. */
	CHECK_NEAR(peak[CALIB_UNIT_TENSOR], 2 * pow(4096, 3) / 1800e-6, 1);
	CHECK_NEAR(peak[CALIB_UNIT_MEM], 12e6 / 15e-6, 1);
	CHECK(peak[CALIB_UNIT_FP32] == 10e12 && peak[CALIB_UNIT_PCIE] == 20e9); /* nothing listed: datasheet */
	calib_free(&t);
}

static void test_interpolation(void)
{
	calib_table t;
	double peak[CALIB_NUNITS], fl;
	synth(&t, 0);
	service_fit_roofline(&t, peak, &fl);
	/* Exact at every listed shape. */
	for (int i = 0; i < t.nkernels; i++) {
		service_kernel k = kern(t.kernels[i].name, "", t.kernels[i].shape, 0, 0);
		service_cost c = service_kernel_time(&t, peak, fl, &k);
		CHECK(c.us == t.kernels[i].median_us);
		CHECK_INT(c.method, SERVICE_EXACT);
		CHECK_INT(c.lo, i);
	}
	/* Priced `like` a kernel at exactly a listed entry's cost: that entry's time. */
	double f, b;
	calib_kernel_cost("gemm_bf16", "2048x2048x2048", &f, &b, NULL, NULL);
	service_kernel same = kern("matmul", "gemm_bf16", "", f, b);
	CHECK(service_kernel_time(&t, peak, fl, &same).us == 300);
	/* Monotone between listed shapes, and inside its neighbours' times. */
	double prev = 0;
	for (int n = 512; n <= 4096; n += 32) {
		char shape[48];
		snprintf(shape, sizeof shape, "%dx%dx%d", n, n, n);
		service_kernel k = kern("gemm_bf16", "", shape, 0, 0);
		service_cost c = service_kernel_time(&t, peak, fl, &k);
		if (c.us < prev)
			TEST_FAIL_("gemm %s: %.6g us after %.6g us: not monotone", shape, c.us, prev);
		if (n % 512 && !(c.method == SERVICE_INTERPOLATED && c.us > 20 && c.us < 1800))
			TEST_FAIL_("gemm %s: %.6g us by %s", shape, c.us, service_method_name(c.method));
		prev = c.us;
	}
	/* Between 1024^3 and 2048^3 the time is a line in log-log against roofline time. */
	service_kernel mid = kern("gemm_bf16", "", "1448x1448x1448", 0, 0);
	service_cost c = service_kernel_time(&t, peak, fl, &mid);
	double r = 2 * pow(1448, 3) / peak[CALIB_UNIT_TENSOR], r1 = 2 * pow(1024, 3) / peak[CALIB_UNIT_TENSOR],
	       r2 = 2 * pow(2048, 3) / peak[CALIB_UNIT_TENSOR];
	double w = log(r / r1) / log(r2 / r1);
	CHECK_NEAR(c.us, exp((1 - w) * log(60.0) + w * log(300.0)), 1e-9);
	CHECK_INT(c.lo, 2);
	CHECK_INT(c.hi, 3);
	/* Beyond the largest: its efficiency, scaled by the roofline (8192^3 = 8 x 4096^3). */
	service_kernel big = kern("gemm_bf16", "", "8192x8192x8192", 0, 0);
	c = service_kernel_time(&t, peak, fl, &big);
	CHECK_INT(c.method, SERVICE_EXTRAPOLATED);
	CHECK_NEAR(c.us, 8 * 1800, 1e-6);
	/* Below the smallest, but never under the launch floor. */
	service_kernel tiny = kern("gemm_bf16", "", "16x16x16", 0, 0);
	c = service_kernel_time(&t, peak, fl, &tiny);
	CHECK_INT(c.method, SERVICE_EXTRAPOLATED);
	CHECK(c.us == 3);
	/* Element-wise work like triad, by bytes: 10 MB at the triad's 800 GB/s. */
	service_kernel ew = kern("residual", "triad_fp32", "", 1e6, 10e6);
	c = service_kernel_time(&t, peak, fl, &ew);
	CHECK_INT(c.method, SERVICE_EXTRAPOLATED);
	CHECK_NEAR(c.us, 12.5, 1e-9);
	/* A kernel the file does not list at all: the fitted roofline. */
	service_kernel conv = kern("reduce_fp32", "", "80000000", 0, 0);
	c = service_kernel_time(&t, peak, fl, &conv);
	CHECK_INT(c.method, SERVICE_ROOFLINE);
	CHECK_NEAR(c.us, 320e6 / peak[CALIB_UNIT_MEM] * 1e6, 1e-9);
	calib_free(&t);

	/* Two listed shapes with the same roofline time are merged by geometric mean. */
	synth(&t, 0);
	calib_kernel k2 = t.kernels[3];
	snprintf(k2.shape, sizeof k2.shape, "2048x1024x4096"); /* same FLOPs as 2048^3 */
	calib_kernel_cost(k2.name, k2.shape, &k2.flops, &k2.bytes, &k2.unit, NULL);
	k2.median_us = k2.p10_us = k2.p90_us = 1200;
	calib_add_kernel(&t, &k2, NULL, NULL, 0);
	service_fit_roofline(&t, peak, &fl);
	service_kernel q = kern("matmul", "gemm_bf16", "", 2 * pow(2048, 3), 1);
	CHECK_NEAR(service_kernel_time(&t, peak, fl, &q).us, sqrt(300.0 * 1200), 1e-9);
	calib_free(&t);
}

/* Writes a profile (a printf format) to a temporary file; returns the load's code. */
static int load_profile(service_profile *p, char *path, size_t len, const char *text)
{
	snprintf(path, len, "/tmp/fgsim-prof-XXXXXX.cfg");
	int fd = mkstemps(path, 4);
	FILE *f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	int rc = service_profile_load(p, path, err, sizeof err);
	unlink(path);
	return rc;
}

static void expect_profile_error(const char *text, int line, const char *what, int src_line)
{
	service_profile p;
	char path[64], want[128];
	int rc = load_profile(&p, path, sizeof path, text);
	snprintf(want, sizeof want, "%s:%d: ", path, line);
	if (rc != 2 || strncmp(err, want, strlen(want)) || !strstr(err, what)) {
		fprintf(stderr, "%s:%d: ", __FILE__, src_line);
		TEST_FAIL_("rc %d, \"%s\", expected \"%s...%s\"", rc, rc ? err : "", want, what);
		if (!rc)
			service_profile_free(&p);
	}
}
#define EXPECT_PROFILE_ERROR(text, line, what) expect_profile_error(text, line, what, __LINE__)

static void test_profiles(void)
{
	for (const char *const *n = profiles; *n; n++) {
		char path[256];
		service_profile p;
		snprintf(path, sizeof path, "models/profiles/%s.cfg", *n);
		if (service_profile_load(&p, path, err, sizeof err)) {
			TEST_FAIL_("%s", err);
			continue;
		}
		CHECK_STR(p.name, *n);
		CHECK(p.nkernels > 5 && p.flops_per_step > 0 && p.memory_gb > 0);
		service_profile_free(&p);
	}
	char found[4096];
	CHECK_INT(service_profile_find(found, sizeof found, "llm-7b-decode", "scenarios"), 0);
	CHECK(strstr(found, "llm-7b-decode.cfg") != NULL && access(found, R_OK) == 0);
	CHECK_INT(service_profile_find(found, sizeof found, "no-such-profile", "scenarios"), -1);
	CHECK(strstr(found, "not found") != NULL);
	CHECK_INT(service_profile_find(found, sizeof found, "../models/profiles/resnet50-train.cfg", "scenarios"), 0);

	const char *head = "name = \"p\";\nmin_gpus = 1;\nkernels = (\n"; /* kernels on line 4 */
	char text[1024];
	snprintf(text, sizeof text, "%s  { name = \"gemm_bf16\"; shape = \"2x3\"; count = 1.0; }\n);\n", head);
	EXPECT_PROFILE_ERROR(text, 4, "does not fit gemm_bf16");
	snprintf(text, sizeof text, "%s  { name = \"gemm_bf16\"; shape = \"2x3x4\"; count = 1.0;\n    flops = 50.0; }\n);\n", head);
	EXPECT_PROFILE_ERROR(text, 5, "flops = 50 does not match");
	snprintf(text, sizeof text, "%s  { name = \"rope\"; like = \"triad_fp23\"; count = 1.0; flops = 1.0; bytes = 1.0; }\n);\n", head);
	EXPECT_PROFILE_ERROR(text, 4, "did you mean \"triad_fp32\"");
	snprintf(text, sizeof text, "%s  { name = \"rope\"; like = \"triad_fp32\"; count = 1.0; flops = 1.0; }\n);\n", head);
	EXPECT_PROFILE_ERROR(text, 4, "missing key \"bytes\"");
	snprintf(text, sizeof text, "%s  { name = \"rope\"; like = \"triad_fp32\"; unit = \"tensor\"; count = 1.0; flops = 1.0;\n"
		 "    bytes = 1.0; }\n);\n", head);
	EXPECT_PROFILE_ERROR(text, 4, "triad_fp32 runs on \"mem\", not \"tensor\"");
	snprintf(text, sizeof text, "%s  { name = \"attention_bwd\"; like = \"attention_tiled_bf16\";\n"
		 "    shape = \"64x4096x128\"; count = 1.0; flops = 1.0; bytes = 1.0; }\n);\n", head);
	EXPECT_PROFILE_ERROR(text, 5, "does not fit attention_tiled_bf16 (expected BATCHxHEADSxSEQxHEADDIM)");
	snprintf(text, sizeof text, "%s  { name = \"gemm_bf16\"; shape = \"2x3x4\"; count = 0.0; }\n);\n", head);
	EXPECT_PROFILE_ERROR(text, 4, "count must be above 0");
	snprintf(text, sizeof text, "name = \"p\";\nflops_per_step = 47.0;\nkernels = (\n"
		 "  { name = \"gemm_bf16\"; shape = \"2x3x4\"; count = 1.0; }\n);\n");
	EXPECT_PROFILE_ERROR(text, 2, "kernels add up to 48");
	snprintf(text, sizeof text, "name = \"p\";\nscaling_eficiency = 0.9;\nkernels = ( );\n");
	EXPECT_PROFILE_ERROR(text, 2, "did you mean \"scaling_efficiency\"");
	snprintf(text, sizeof text, "name = \"p\";\nscaling_efficiency = 1.5;\nkernels = ( );\n");
	EXPECT_PROFILE_ERROR(text, 2, "scaling_efficiency must lie in (0, 1]");
	snprintf(text, sizeof text, "%s  { name = \"conv\"; shape = \"3\"; count = 1.0; }\n);\n", head);
	EXPECT_PROFILE_ERROR(text, 4, "missing key \"unit\"");
}

/* An entry priced `like` a kernel runs on that kernel's unit whatever the kernel's shape
 * has for dimensions: attention (four) on the tensor cores, layer norm (two) and triad
 * (one) on memory, GEMM (three) on the tensor cores. Priced by its bytes, a backward
 * attention with 2.5x the forward's FLOPs came out at half the forward's time. */
static void test_like_unit(void)
{
	static const struct {
		const char *like, *shape;
		calib_unit unit;
	} cases[] = {{"attention_tiled_bf16", "1x64x4096x128", CALIB_UNIT_TENSOR},
		     {"attention_tiled_bf16", "", CALIB_UNIT_TENSOR},
		     {"attention_naive_bf16", "2x32x2048x128", CALIB_UNIT_TENSOR},
		     {"layernorm_fused_bf16", "4096x8192", CALIB_UNIT_MEM},
		     {"gemm_bf16", "", CALIB_UNIT_TENSOR},
		     {"triad_fp32", "", CALIB_UNIT_MEM},
		     {"h2d_pinned", "", CALIB_UNIT_PCIE}};
	calib_unit u = CALIB_UNIT_FP32;
	CHECK_INT(calib_kernel_unit("conv_bf16", &u), -1);
	CHECK_INT(u, CALIB_UNIT_FP32);
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char text[512], path[64];
		service_profile p;
		snprintf(text, sizeof text, "name = \"p\";\nkernels = (\n  { name = \"x\"; like = \"%s\"; %s%s%scount = 1.0; "
			 "flops = 1e12; bytes = 1e6; }\n);\n", cases[i].like, cases[i].shape[0] ? "shape = \"" : "",
			 cases[i].shape, cases[i].shape[0] ? "\"; " : "");
		if (load_profile(&p, path, sizeof path, text)) {
			TEST_FAIL_("like %s %s: %s", cases[i].like, cases[i].shape, err);
			continue;
		}
		if (p.kernels[0].unit != cases[i].unit)
			TEST_FAIL_("like %s %s: unit \"%s\", expected \"%s\"", cases[i].like, cases[i].shape,
				   calib_unit_name(p.kernels[0].unit), calib_unit_name(cases[i].unit));
		service_profile_free(&p);
	}

	/* On the bundled H100 file, the 70B fine-tune's attention backward (2.5x the forward's
	 * FLOPs at the forward's shape) takes longer than the forward, as compute-bound work
	 * must, rather than half of it. */
	service_model m;
	if (service_load(&m, "models/profiles/llm-70b-finetune.cfg", bundled, 1, err, sizeof err)) {
		TEST_FAIL_("%s", err);
		return;
	}
	double fwd = 0, bwd = 0;
	for (int i = 0; i < m.profile.nkernels; i++) {
		const service_kernel *k = &m.profile.kernels[i];
		if (!strcmp(k->name, "attention_tiled_bf16"))
			fwd = m.gpu[0].cost[i].us;
		else if (!strcmp(k->name, "attention_bwd"))
			bwd = m.gpu[0].cost[i].us;
	}
	fprintf(stderr, "  70B attention on the H100: forward %.6g us, backward %.6g us (x%.3f)\n", fwd, bwd, bwd / fwd);
	CHECK(fwd > 0 && bwd > 2 * fwd && bwd < 3 * fwd);
	service_free(&m);
}

/* Every whole step a bundled measured file records against the service model priced
 * again now, for the record (error = measured / predicted - 1). The 70B fine-tune step
 * is mostly attention and GEMMs priced `like` measured kernels, so it is where a wrong
 * unit shows: it must be inside the 5% target (it was +42% with attention backward
 * priced by its bytes; about +0.1% and +0.3% with the fix on the files of 2026-11-26). */
static void test_fidelity_repriced(void)
{
	for (int g = 0; g < 6; g++) {
		calib_table t;
		if (calib_load(&t, bundled[g], err, sizeof err)) {
			TEST_FAIL_("%s", err);
			continue;
		}
		for (int f = 0; f < t.nfidelity; f++) {
			const calib_fidelity *row = &t.fidelity[f];
			char path[256];
			service_profile p;
			service_model m;
			const calib_table *tp = &t;
			snprintf(path, sizeof path, "models/profiles/%s.cfg", row->profile);
			if (service_profile_load(&p, path, err, sizeof err)) {
				TEST_FAIL_("%s", err);
				continue;
			}
			int rc = service_init(&m, &p, &tp, 1, err, sizeof err);
			service_profile_free(&p);
			if (rc) {
				TEST_FAIL_("%s", err);
				continue;
			}
			double e = row->measured_us / m.gpu[0].step_us - 1;
			fprintf(stderr, "  %-9s %-22s predicted %12.6g us, measured %12.6g us: %+6.2f%% (file: %+6.2f%%)\n", t.gpu,
				row->profile, m.gpu[0].step_us, row->measured_us, 100 * e, 100 * row->error);
			if (!strcmp(row->profile, "llm-70b-finetune") && !(fabs(e) < 0.05))
				TEST_FAIL_("%s: llm-70b-finetune measured %.6g us, predicted %.6g us: %+.2f%%", t.gpu,
					   row->measured_us, m.gpu[0].step_us, 100 * e);
			service_free(&m);
		}
		calib_free(&t);
	}
}

/* Each bundled profile on each bundled file: faster on an H100 than on an L4 by a ratio
 * between the bandwidth ratio (3350 / 300 GB/s) and the compute ratio (989.4 / 121
 * TFLOP/s), as a mix of bandwidth- and compute-bound kernels must be. */
static void test_bundled_ratio(void)
{
	for (const char *const *n = profiles; *n; n++) {
		char path[256];
		service_model m;
		snprintf(path, sizeof path, "models/profiles/%s.cfg", *n);
		if (service_load(&m, path, bundled, 6, err, sizeof err)) {
			TEST_FAIL_("%s", err);
			continue;
		}
		int h100 = service_gpu_index(&m, "h100-sxm"), l4 = service_gpu_index(&m, "L4"),
		    h200 = service_gpu_index(&m, "H200");
		CHECK(h100 == 0 && l4 == 1 && h200 == 2);
		CHECK_INT(service_gpu_index(&m, "B200"), -1);
		const calib_table *a = m.gpu[h100].table, *b = m.gpu[l4].table;
		double bw = a->peaks.mem_gbs / b->peaks.mem_gbs, fl = a->peaks.tensor_tflops / b->peaks.tensor_tflops;
		double ratio = service_step_time(&m, l4, 1) / service_step_time(&m, h100, 1);
		fprintf(stderr, "  %-22s H100 %10.4g ms/step, L4 %10.4g ms/step: x%.3f (between %.3f and %.3f)\n", *n,
			1e3 * service_step_time(&m, h100, 1), 1e3 * service_step_time(&m, l4, 1), ratio, fmin(bw, fl),
			fmax(bw, fl));
		if (!(ratio >= fmin(bw, fl) && ratio <= fmax(bw, fl)))
			TEST_FAIL_("%s: L4 / H100 = %.4f outside [%.4f, %.4f]", *n, ratio, fmin(bw, fl), fmax(bw, fl));
		/* H200 has the H100's compute and more bandwidth: faster by at most that, and no
		 * slower but for the compute-bound steps, which run at the measured kernels' speed:
		 * fgcal's attention measured 0.9% slower on the H200 (14281 vs 14153 us at
		 * 1x64x4096x128), and so is the 70B fine-tune step, measured (62.16 vs 61.84 s)
		 * and predicted (x0.996), which is mostly attention once its backward is priced
		 * on the tensor unit. */
		double r200 = service_step_time(&m, h100, 1) / service_step_time(&m, h200, 1);
		if (!(r200 >= 0.99 && r200 <= 4800.0 / 3350 + 1e-9))
			TEST_FAIL_("%s: H100 / H200 = %.4f outside [0.99, %.4f]", *n, r200, 4800.0 / 3350);
		/* Derived files: no samples, so no jitter, and the description says so; the
		 * measured H100 and H200 files carry their samples' spread. */
		char d[256];
		CHECK(strncmp(service_describe(&m, l4, d, sizeof d), "derived from h100-sxm.cfg:", 26) == 0);
		CHECK(m.gpu[l4].step_var_us2 == 0);
		CHECK(m.gpu[h100].step_var_us2 > 0 && m.gpu[h200].step_var_us2 > 0);
		CHECK(strstr(service_describe(&m, h100, d, sizeof d), "measured") != NULL);
		double sh = 0;
		for (int k = 0; k < SERVICE_NMETHODS; k++)
			sh += m.gpu[h100].share[k];
		CHECK_NEAR(sh, 1, 1e-9);
		service_free(&m);
	}
}

static void test_scaling_and_fit(void)
{
	service_model m;
	if (service_load(&m, "models/profiles/llm-70b-finetune.cfg", bundled, 6, err, sizeof err)) {
		TEST_FAIL_("%s", err);
		return;
	}
	double t1 = service_step_time(&m, 0, 1);
	CHECK_NEAR(service_step_time(&m, 0, 8), t1 / (8 * 0.85), 1e-12 * t1);
	CHECK_NEAR(service_step_time(&m, 0, 0.5), 2 * t1, 1e-12 * t1);
	service_set_scaling(&m, 0.5);
	CHECK_NEAR(service_step_time(&m, 0, 8), t1 / 4, 1e-12 * t1);
	service_set_scaling(&m, 1.5); /* refused: stays 0.5 */
	CHECK_NEAR(service_step_time(&m, 0, 8), t1 / 4, 1e-12 * t1);
	CHECK_NEAR(service_expected_time(&m, 0, 1, 100), 100 * t1, 1e-9 * t1);
	/* A derived file has no samples: a job is exactly steps x step, whatever z. The
	 * measured H100's samples spread a job by z standard deviations of the sum. */
	double l4 = service_step_time(&m, 1, 1);
	CHECK_NEAR(service_job_time(&m, 1, 1, 1000, 2.5), 1000 * l4, 1e-9 * l4);
	CHECK_NEAR(service_job_time(&m, 0, 1, 1000, 0), 1000 * t1, 1e-9 * t1);
	CHECK_NEAR(service_job_time(&m, 0, 1, 1000, 2.5), 1000 * t1 + 2.5e-6 * sqrt(1000 * m.gpu[0].step_var_us2),
		   1e-9 * t1);
	CHECK_INT(service_fits(&m, 0, 4), 0); /* fewer than min_gpus */
	CHECK_INT(service_fits(&m, 0, 8), 1);
	CHECK_INT(service_fits(&m, 1, 8), 0); /* 8 L4s: 192 GB, under the 258 GB it needs */
	service_free(&m);
	if (service_load(&m, "models/profiles/llm-7b-decode.cfg", bundled, 6, err, sizeof err)) {
		TEST_FAIL_("%s", err);
		return;
	}
	CHECK_INT(service_fits(&m, 1, 1), 1); /* 7B decode fits one L4 */
	CHECK_INT(service_worst_method(&m, 0), SERVICE_EXTRAPOLATED);
	service_free(&m);
	service_free(NULL);
}

/* Jitter from samples: a step's variance is the sum of its invocations' variances, a
 * job's spread grows as sqrt(steps), and the bootstrap of single steps agrees. */
static void test_jitter(void)
{
	calib_table t;
	synth(&t, 1);
	service_profile p;
	memset(&p, 0, sizeof p);
	snprintf(p.name, sizeof p.name, "jitter");
	p.min_gpus = 1;
	p.scaling_efficiency = 1;
	service_kernel ks[2] = {kern("gemm_bf16", "", "1024x1024x1024", 0, 0), kern("triad_fp32", "", "1000000", 0, 0)};
	ks[0].count = 10;
	ks[1].count = 5;
	p.kernels = ks;
	p.nkernels = 2;
	service_model m;
	const calib_table *tp = &t;
	if (service_init(&m, &p, &tp, 1, err, sizeof err)) {
		TEST_FAIL_("%s", err);
		calib_free(&t);
		return;
	}
	/* Samples 0.9, 1, 1.1 x median: mean = median, variance 0.01 median^2. */
	double mean = 10 * 60 + 5 * 15, var = 0.01 * (10 * 60 * 60 + 5 * 15 * 15);
	CHECK_NEAR(m.gpu[0].step_us, mean, 1e-9);
	CHECK_NEAR(m.gpu[0].step_var_us2, var, 1e-9);
	char d[128];
	CHECK_STR(service_describe(&m, 0, d, sizeof d), "measured: exact 100%");
	double steps = 400;
	CHECK_NEAR(service_job_time(&m, 0, 1, steps, 1.5), 1e-6 * (steps * mean + 1.5 * sqrt(steps * var)), 1e-12);
	CHECK_NEAR(service_job_time(&m, 0, 1, steps, -1e9), 1e-6 * 0.5 * steps * mean, 1e-12);
	/* Sampled steps: their mean within 4 standard errors of the step mean; their variance
	 * within 10% of the invocations' summed variance under the quantile sketch. Three
	 * samples 0.9, 1, 1.1 x median give a sketch that is linear from 0.9 to 1.1: a
	 * uniform draw, variance 0.2^2 / 12 = 0.01 / 3 median^2 each (the bootstrap of raw
	 * samples that came before it gave 2/3 x 0.01; with many samples the two agree). */
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	gsl_rng_set(r, 7);
	int n = 20000;
	double s1 = 0, s2 = 0;
	for (int i = 0; i < n; i++) {
		double x = service_step_sample(&m, 0, 1, r) * 1e6;
		s1 += x;
		s2 += x * x;
	}
	double bm = s1 / n, bv = s2 / n - bm * bm;
	CHECK_NEAR(bm, mean, 4 * sqrt(var / n));
	CHECK_NEAR(bv, var / 3, 0.1 * var / 3);
	gsl_rng_free(r);
	service_free(&m);
	calib_free(&t);
}

int main(void)
{
	test_fit();
	test_interpolation();
	test_profiles();
	test_like_unit();
	test_fidelity_repriced();
	test_bundled_ratio();
	test_scaling_and_fit();
	test_jitter();
	return test_report("test_service");
}
