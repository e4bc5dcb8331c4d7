/* fgcal_stats.h - the host side of fgcal's timing method, with no CUDA in it so that it
 * is tested on any machine: summaries of a kernel's samples and nvbench's stopping rule
 * (at least min_samples and min_time, then stop when the relative standard deviation
 * falls under max_noise or stops moving, or give up at the timeout and say so). */
#ifndef FGCAL_STATS_H
#define FGCAL_STATS_H
#ifdef __cplusplus
extern "C" {
#endif

/* What the samples of one kernel at one shape say. Times in microseconds. */
typedef struct fgcal_summary {
	int n;
	double median, p10, p90; /* quantiles by linear interpolation (Hyndman and Fan 1996, type 7) */
	double mean, sd, noise;  /* noise = sd / mean, the sample standard deviation */
	double min, max, total_s;
} fgcal_summary;

/* Summarises us[0..n). Returns 0, or -1 when n < 1 or on no memory. */
int fgcal_summarise(const double *us, int n, fgcal_summary *s);
/* The q-quantile (0 <= q <= 1) of sorted[0..n), type 7. */
double fgcal_quantile(const double *sorted, int n, double q);

/* nvbench's defaults (nvbench/detail/measure_cold.cu and stdrel_criterion.cxx). */
#define FGCAL_MIN_SAMPLES 10
#define FGCAL_MIN_TIME_S 0.5
#define FGCAL_MAX_NOISE 0.005
#define FGCAL_TIMEOUT_S 15.0
#define FGCAL_NOISE_WINDOW 512 /* nvbench keeps the last 512 noise values */

typedef struct fgcal_criteria {
	int min_samples;
	double min_time_s, max_noise, timeout_s;
} fgcal_criteria;

typedef enum { FGCAL_GO_ON, FGCAL_STOP_NOISE, FGCAL_STOP_CONVERGED, FGCAL_STOP_TIMEOUT } fgcal_verdict;

/* The running state of one kernel's sampling. */
typedef struct fgcal_stopper {
	fgcal_criteria c;
	int n;
	double total_s, mean, m2;        /* Welford (1962) over the samples, seconds */
	double noise[FGCAL_NOISE_WINDOW]; /* ring of the noise after each sample */
	int nnoise, head;
} fgcal_stopper;

void fgcal_criteria_default(fgcal_criteria *c);
void fgcal_stopper_init(fgcal_stopper *st, const fgcal_criteria *c);
/* Records one sample of GPU time in seconds. */
void fgcal_stopper_add(fgcal_stopper *st, double sample_s);
/* Whether to stop after wall_s seconds of wall time spent on this kernel, and why:
 * with min_samples and more than min_time of GPU time, NOISE when the relative standard
 * deviation is under max_noise, CONVERGED when, checked every 16 samples past 64, the
 * last noise values scatter by under 5% around the current one (a kernel that is
 * noisy by nature); TIMEOUT once wall_s exceeds the timeout, whatever else holds. */
fgcal_verdict fgcal_stopper_verdict(const fgcal_stopper *st, double wall_s);
/* The current relative standard deviation, NAN before two samples. */
double fgcal_stopper_noise(const fgcal_stopper *st);
/* "continue", "noise", "converged", "timeout": what a calibration file's `stop` says. */
const char *fgcal_verdict_name(fgcal_verdict v);

#ifdef __cplusplus
}
#endif
#endif
