/* test_fgcal_method.c - fgcal's corrected method on any machine: clock readings and
 * nvbench's throttle mark, how a profile's counts split over layers, how many distinct
 * layers fit and the scale, graph replay, step limits, the budget and the entries line. */
#include <math.h>
#include <stdlib.h>

#include "fgcal_method.h"
#include "test.h"

static void test_clocks(void)
{
	/* 1980 cycles in 1000 ns is 1980 MHz; no time is no reading. */
	CHECK_NEAR(fgcal_clock_mhz(1980, 1000), 1980, 1e-9);
	CHECK(isnan(fgcal_clock_mhz(5, 0)));
	CHECK(isnan(fgcal_clock_mhz(-1, 10)));

	/* Max 1980: the threshold is 1485; 1400 and 1000 are throttled, 1485 is not. */
	double mhz[6] = {1980, 1400, NAN, 1485, 1000, 1900};
	unsigned char t[6];
	fgcal_clocks c;
	CHECK_INT(fgcal_clocks_mark(mhz, 6, 1980, FGCAL_THROTTLE_THRESHOLD, t, &c), 2);
	CHECK_INT(c.n, 6);
	CHECK_INT(c.known, 5);
	CHECK_INT(c.throttled, 2);
	CHECK(t[0] == 0 && t[1] == 1 && t[2] == 0 && t[3] == 0 && t[4] == 1 && t[5] == 0);
	CHECK_NEAR(c.mean_mhz, (1980 + 1400 + 1485 + 1000 + 1900) / 5.0, 1e-9);
	CHECK_NEAR(c.min_mhz, 1000, 0);
	/* No maximum known: nothing is marked, the mean still is. */
	CHECK_INT(fgcal_clocks_mark(mhz, 6, 0, FGCAL_THROTTLE_THRESHOLD, NULL, &c), 0);
	CHECK_NEAR(c.mean_mhz, 1553, 1e-9);
	double none[2] = {NAN, NAN};
	fgcal_clocks_mark(none, 2, 1980, 0.75, NULL, &c);
	CHECK(c.known == 0 && isnan(c.mean_mhz) && isnan(c.min_mhz));
}

static void test_layers(void)
{
	double per, tail;
	/* 7B decode: 65 RMSNorms = 2 a layer + the final one; 32 QKV = 1 a layer; LM head tail. */
	fgcal_split_count(65, 32, &per, &tail);
	CHECK(per == 2 && tail == 1);
	fgcal_split_count(32, 32, &per, &tail);
	CHECK(per == 1 && tail == 0);
	fgcal_split_count(1, 32, &per, &tail);
	CHECK(per == 0 && tail == 1);
	/* 70B fine-tune: 2568 norms over 80 layers = 32 a layer + 8 final (one a micro-batch). */
	fgcal_split_count(2568, 80, &per, &tail);
	CHECK(per == 32 && tail == 8);
	fgcal_split_count(7, 0, &per, &tail);
	CHECK(per == 0 && tail == 7);

	double scale;
	/* 7B: 32 layers of 0.42 GB fit in 70 GB: all distinct, scale 1. */
	CHECK_INT(fgcal_layers_plan(32, 0.42e9, 70e9, 4e9, 0, &scale), 32);
	CHECK_NEAR(scale, 1, 0);
	/* 70B: 80 layers of 3.5 GB, 70 GB free less 6 reserved: 18 fit, scale 80/18. */
	CHECK_INT(fgcal_layers_plan(80, 3.5e9, 70e9, 6e9, 0, &scale), 18);
	CHECK_NEAR(scale, 80.0 / 18, 1e-12);
	/* A cap for the time budget: 4 layers, scale 20. */
	CHECK_INT(fgcal_layers_plan(80, 3.5e9, 70e9, 6e9, 4, &scale), 4);
	CHECK_NEAR(scale, 20, 0);
	/* Not even one fits: one still runs (its allocation will say whether it can). */
	CHECK_INT(fgcal_layers_plan(80, 90e9, 70e9, 6e9, 0, &scale), 1);
	CHECK_NEAR(scale, 80, 0);
	CHECK_INT(fgcal_layers_plan(0, 1e9, 70e9, 0, 0, &scale), 0);
}

static void test_graph_and_limits(void)
{
	/* Decode: ~5 ms over 421 launches is ~12 us a launch: a graph. Prefill: 200 ms over
	 * 420 launches is not. */
	CHECK_INT(fgcal_step_use_graph(5000, 421), 1);
	CHECK_INT(fgcal_step_use_graph(200000, 420), 0);
	CHECK_INT(fgcal_step_use_graph(100, 0), 0);
	/* The 62 s 70B step with 5 samples needs 1.5 x 6 x 62 = 558 s, over the 60 s limit;
	 * a 0.2 s step keeps the limit. */
	CHECK_NEAR(fgcal_step_timeout_s(62e6, 5, 60), 558, 1e-9);
	CHECK_NEAR(fgcal_step_timeout_s(0.2e6, 5, 60), 60, 0);
}

static void test_budget(void)
{
	/* A 10 us kernel: 0.5 s of GPU time is 50000 samples, each 10 + 90 us: 5.0001 s. */
	CHECK_NEAR(fgcal_estimate_kernel_s(10, 10, 0.5, 15, 90), 50001 * 100e-6, 1e-9);
	/* A 1 s kernel: 10 samples (min_samples binds), 11 runs. */
	CHECK_NEAR(fgcal_estimate_kernel_s(1e6, 10, 0.5, 15, 0), 11, 1e-9);
	/* A 100 us kernel with 1 ms per sample overhead would run 5000 samples = 5.5 s, but
	 * the 2 s timeout ends it after one more sample. */
	CHECK_NEAR(fgcal_estimate_kernel_s(100, 10, 0.5, 2, 1000), 2 + 1.1e-3, 1e-9);

	double est[5] = {3, 5, 1, 4, 0.5};
	unsigned char take[5];
	/* Budget 6: 3 taken, 5 skipped, 1 taken, 4 skipped, 0.5 taken. */
	CHECK_NEAR(fgcal_budget_select(est, 5, 6, take), 4.5, 1e-12);
	CHECK(take[0] && !take[1] && take[2] && !take[3] && take[4]);
	CHECK_NEAR(fgcal_budget_select(est, 5, 100, take), 13.5, 1e-12);
	CHECK(take[0] && take[1] && take[2] && take[3] && take[4]);
}

static void test_entries(void)
{
	fgcal_entry_time e[2] = {{"gemm_bf16", "4096x12288x4096", 1234.5},
				 {"attention_bwd", "1x64x4096x128", 2.25}};
	fgcal_step_info s = {0};
	s.nentries = 2;
	s.entries = e;
	char buf[512];
	int n = fgcal_entries_format(&s, buf, sizeof buf);
	CHECK_STR(
		buf,
		"entries = ( { kernel = \"gemm_bf16\"; shape = \"4096x12288x4096\"; us = 1234.5; },"
		" { kernel = \"attention_bwd\"; shape = \"1x64x4096x128\"; us = 2.25; } );");
	CHECK_INT(n, (long long)strlen(buf));
	/* Too small a buffer: cut, terminated, and the full length returned. */
	char small[16];
	CHECK_INT(fgcal_entries_format(&s, small, sizeof small), n);
	CHECK_INT((long long)strlen(small), 15);
	s.nentries = 0;
	fgcal_entries_format(&s, buf, sizeof buf);
	CHECK_STR(buf, "entries = ( );");
}

int main(void)
{
	test_clocks();
	test_layers();
	test_graph_and_limits();
	test_budget();
	test_entries();
	return test_report("test_fgcal_method");
}
