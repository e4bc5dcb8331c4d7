/* calib_stats.h - what the samples of one kernel at one shape say: the summary a
 * calibration file keeps in place of its raw samples (n, mean, sd, quantiles, extremes,
 * mean SM clock, throttled samples, a quantile sketch for sampling) and the checksum that
 * ties the summary to its raw samples file. One code for bin/fgcal, the converter and
 * the test that recomputes every committed summary. */
#ifndef FGSIM_CALIB_STATS_H
#define FGSIM_CALIB_STATS_H
#include <stddef.h>
#include <stdint.h>

/* Quantiles kept per entry: 0, 5, ..., 100%. 21 points give the shape of a bimodal
 * (throttled) distribution that the mean and sd alone hide, in 21 numbers instead of
 * thousands of samples. */
#define CALIB_SKETCH_N 21
/* nvbench's throttle threshold (nvbench/detail/measure_cold.cu, --throttle-threshold,
 * default 75%): a sample whose SM clock is under 0.75 x the device's clock is throttled. */
#define CALIB_THROTTLE_FRACTION 0.75
/* Significant digits of a raw sample as its file stores it (fgcal's format-1 `raw_us`
 * kept 7 as well, so the converted samples are the recorded ones, digit for digit). */
#define CALIB_SAMPLE_DIGITS 7

typedef struct calib_summary {
	int n;
	double mean, sd, noise;  /* sample sd (n - 1); noise = sd / mean */
	double median, p10, p90; /* type 7 (Hyndman and Fan 1996) */
	double min, max, total_s;
	double q[CALIB_SKETCH_N]; /* type-7 quantiles at 0, 5, ..., 100% */
	double clock_mhz;         /* mean SM clock over the samples; 0 when not recorded */
	int throttled;            /* samples under the threshold; -1 when not recorded */
	uint64_t checksum;        /* calib_checksum of the samples */
} calib_summary;

/* Summarises us[0..n) with their SM clocks (clock_mhz may be NULL: not recorded);
 * ref_clock_mhz is the clock a sample is throttled against (<= 0: the highest sample
 * clock). Returns 0, or -1 when n < 1 or on no memory. */
int calib_summarise(const double *us, const double *clock_mhz, int n, double ref_clock_mhz,
		    calib_summary *s);
/* The q-quantile (0 <= q <= 1) of sorted[0..n), type 7; NAN when n < 1. */
double calib_quantile(const double *sorted, int n, double q);
/* One sample as its samples file stores it, "us" or "us,clock" without a newline:
 * `%.7g` microseconds and `%.6g` MHz. Returns the length written. */
int calib_sample_text(char *buf, size_t len, double us, const double *clock_mhz);
/* The value a sample, or its clock, has once written and read back (strtod of the text
 * calib_sample_text writes). */
double calib_sample_stored(double us);
double calib_clock_stored(double mhz);
/* The checksum of an entry's samples: FNV-1a 64 (Fowler, Noll and Vo; offset basis
 * 14695981039346656037, prime 1099511628211) over the bytes of calib_sample_text of each
 * sample in file order, each followed by '\n' - exactly the samples file's rows after
 * "kernel,shape,". Any changed, lost or reordered sample changes it. */
uint64_t calib_checksum(const double *us, const double *clock_mhz, int n);
/* A draw from the sketch by inverse CDF with linear interpolation between neighbouring
 * quantiles: u in [0, 1) falls between q[i] and q[i+1] at i = floor(20 u). */
double calib_sketch_draw(const double q[CALIB_SKETCH_N], double u);
#endif
