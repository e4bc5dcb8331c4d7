/* fgcal_timing.cuh - how fgcal times on the GPU (issue 19's method): an L2 flush that
 * models a real predecessor (a read-only reduction over 3x the L2, its result kept), the
 * blocking kernel that keeps launch overhead out of a cold sample, a clock probe around
 * every sample (clock64 cycles over %globaltimer nanoseconds on one SM), warm-up outside
 * the blocking kernel, and the sampling loop under nvbench's stopping rule. */
#ifndef FGCAL_TIMING_CUH
#define FGCAL_TIMING_CUH
#include <cuda_runtime.h>
#include <stddef.h>
#include <stdio.h>

extern "C" {
#include "calibration.h"
}
#include "fgcal_kernels.cuh"
#include "fgcal_method.h"
#include "fgcal_stats.h"

struct fgcal_timer {
	cudaEvent_t start, stop;
	int *flags, *dflags;                /* [0] release, [1] timed out: pinned, mapped */
	unsigned long long *probe, *dprobe; /* [0] cycles [1] ns before, [2] [3] after */
	float *flush, *sink;                /* the flush buffer (3x L2) and its kept sums */
	size_t flush_n4;
	int flush_grid;
	double max_mhz; /* the device's maximum SM clock: what throttling is judged against */
};

/* Sets the timer up on the current device and loads its kernels now (eager: no sample
 * waits on a module load). Returns 0, or -1 with err. */
int fgcal_timer_init(fgcal_timer *t, char *err, size_t errlen);
void fgcal_timer_free(fgcal_timer *t);
/* Enqueues the flush: every line of the L2 replaced by clean lines of another buffer. */
int fgcal_flush(fgcal_timer *t, cudaStream_t st, char *err, size_t errlen);
/* The flush reads every byte (its sum is the buffer's) and slows a warm in-L2 kernel down
 * (printed, not judged: a measurement). Returns 0, or -1 with err. */
int fgcal_flush_selftest(fgcal_timer *t, fgcal_ctx *ctx, char *err, size_t errlen);
/* Enqueues a clock probe into slot 0 (before) or 1 (after): ~20 us on one SM. */
void fgcal_probe(fgcal_timer *t, cudaStream_t st, int slot);
/* After the stream is synchronised: the mean SM clock of the two probes, MHz (NAN when
 * neither read). */
double fgcal_probe_mhz(const fgcal_timer *t);

/* Samples one kernel cold (flush, blocking kernel, probes) until the stopping rule says
 * stop, after one warm-up run outside the blocking kernel. *us and *mhz (malloc'd, the
 * caller frees) get one value per sample. Returns the verdict, or -1 with err. */
int fgcal_measure_kernel(fgcal_timer *t, fgcal_ctx *ctx, fgcal_job *j, const fgcal_criteria *c,
			 double **us, double **mhz, int *n, char *err, size_t errlen);

/* How whole steps are timed (fgcal_steps.cu). */
struct fgcal_step_opts {
	const char *profiles; /* the folder of profiles */
	int min_samples;      /* samples of each step (the limit grows to allow them) */
	int max_layers;       /* distinct layers at most (0: as many as fit) */
	int graphs;           /* replay launch-bound steps as CUDA graphs */
	double max_noise, timeout_s;
	double deadline;   /* fgcal_now_s() past which no step starts (0: none) */
	FILE *predictions; /* "profile<TAB>predicted_us" for every profile, or NULL */
};
/* Times every profile's whole step layer by layer against the service model's prediction
 * from t's kernels and records the rows. Returns 0, or 1 when a step failed. */
int fgcal_run_steps(calib_table *t, fgcal_timer *tm, fgcal_ctx *ctx, const fgcal_step_opts *o);

/* Wall-clock seconds (CLOCK_MONOTONIC). */
double fgcal_now_s(void);

/* The two places a measurement reaches the table, both in fgcal.cu: a kernel's samples with
 * their clocks, and a whole step with its per-entry times. */
int fgcal_record_kernel(calib_table *t, const calib_kernel *k, const double *us, const double *mhz,
			int n);
int fgcal_record_step(calib_table *t, const calib_fidelity *f, const fgcal_step_info *info);
#endif
