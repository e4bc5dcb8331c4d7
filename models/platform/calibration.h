/* calibration.h - calibration files (models/calibration/<gpu>.cfg): what one GPU type
 * does per kernel and shape, measured by bin/fgcal or derived from datasheets, read,
 * validated and written back. Also the kernel vocabulary: each kernel name's shape
 * syntax and the FLOPs and bytes one invocation of a shape costs. */
#ifndef FGSIM_CALIBRATION_H
#define FGSIM_CALIBRATION_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "calib_stats.h"

#define CALIB_NAME_MAX 48
#define CALIB_SHAPE_MAX 48
#define CALIB_TEXT_MAX 512
/* The `format` calib_write writes: 2 keeps a summary per entry and names its raw samples
 * file; 1 (every raw sample inline) is still read, so that files measured before stay
 * valid input. Profiles say format = 1 (CALIB_PROFILE_FORMAT): their layout did not change. */
#define CALIB_FORMAT 2
#define CALIB_PROFILE_FORMAT 1

/* Which ceiling bounds a kernel besides memory bandwidth: the roofline of a kernel of
 * unit u is max(flops / peak[u], bytes / peak[MEM]) (Williams, Waterman and Patterson
 * 2009), except PCIE (bytes over the host link) and LAUNCH (no work: the floor). */
typedef enum {
	CALIB_UNIT_TENSOR, /* BF16 tensor cores, dense */
	CALIB_UNIT_FP32,   /* FP32 on CUDA cores */
	CALIB_UNIT_MEM,    /* device memory only: flops are counted but never bind */
	CALIB_UNIT_PCIE,   /* host-to-device copies */
	CALIB_UNIT_LAUNCH, /* an empty kernel: launch and drain */
	CALIB_NUNITS
} calib_unit;

/* One kernel at one shape. */
typedef struct calib_kernel {
	char name[CALIB_NAME_MAX];   /* "gemm_bf16" */
	char shape[CALIB_SHAPE_MAX]; /* "8192x8192x8192" */
	calib_unit unit;
	double flops, bytes;         /* per invocation */
	int nsamples;                /* raw samples behind the statistics; 0 when derived */
	/* The samples themselves (owned), only where they are at hand: added by fgcal or
	 * read from a format-1 file or a samples file; NULL after loading a summary. */
	double *raw_us, *raw_clock_mhz; /* raw_clock_mhz NULL when clocks were not recorded */
	double median_us, p10_us, p90_us;
	double noise;                /* relative standard deviation of the samples; 0 when none */
	/* The summary of the samples (calib_stats.h; all 0 when derived). */
	double mean_us, sd_us, min_us, max_us;
	double q_us[CALIB_SKETCH_N]; /* the quantile sketch the service model samples from */
	double clock_mhz;            /* mean SM clock while sampling; 0 when not recorded */
	int throttled;               /* samples under the throttle clock; -1 when not recorded */
	uint64_t checksum;           /* calib_checksum of the raw samples; 0 when none */
	char stop[16];               /* "noise", "converged", "timeout" or "derived" */
	char time_source[CALIB_TEXT_MAX]; /* "measured", or how the time was derived */
	int line;                    /* where it stands in its file, for messages */
} calib_kernel;

/* Datasheet peaks of the GPU type, each with its source. */
typedef struct calib_peaks {
	double tensor_tflops, fp32_tflops, mem_gbs, pcie_gbs, memory_gb;
	char tensor_source[CALIB_TEXT_MAX], fp32_source[CALIB_TEXT_MAX], mem_source[CALIB_TEXT_MAX],
		pcie_source[CALIB_TEXT_MAX], memory_source[CALIB_TEXT_MAX];
} calib_peaks;

/* The measuring method (nvbench's defaults unless the run changed them). */
typedef struct calib_method {
	int warmup_runs, min_samples;
	double min_time_s, max_noise, timeout_s;
	int l2_flush;
	int version; /* 1: the method of the first measurements; 2: the corrected one (issue 19) */
} calib_method;

/* One entry's time inside a whole step, recorded beside the step's total. */
typedef struct calib_step_entry {
	char kernel[CALIB_NAME_MAX], shape[CALIB_SHAPE_MAX];
	double us;
} calib_step_entry;

/* A whole step of a profile timed back to back beside the sum of its parts. */
typedef struct calib_fidelity {
	char profile[CALIB_NAME_MAX];
	double predicted_us, measured_us, error; /* error = measured / predicted - 1 */
	int nentries;                /* the step's per-entry breakdown, if recorded */
	calib_step_entry *entries;   /* owned by the table */
	int line;
} calib_fidelity;

/* A profile's step timed in a framework nobody here wrote (PyTorch with production
 * kernels) beside the service model's prediction: the external reference. */
typedef struct calib_reference {
	char profile[CALIB_NAME_MAX];
	char framework[CALIB_NAME_MAX]; /* "pytorch 2.x" */
	double measured_us, predicted_us, error; /* error = measured / predicted - 1; NAN if none */
	char note[CALIB_TEXT_MAX];   /* why a profile has no measurement (no counterpart) */
	int line;
} calib_reference;

typedef struct calib_table {
	char path[4096];
	char gpu[CALIB_NAME_MAX];    /* the name scenario pools use, e.g. "H100-SXM" */
	int measured;                /* 1: bin/fgcal timed these kernels on this GPU */
	char derived_from[CALIB_TEXT_MAX]; /* "datasheet" or a reference file; "" if measured */
	char derivation[2 * CALIB_TEXT_MAX];
	char date[32];
	/* what the device said about itself (0 or "" when not measured) */
	char device_name[128], driver[64], cuda_runtime[32], compute_capability[16];
	int sm_count;
	double sm_clock_mhz, mem_clock_mhz, l2_bytes, memory_bytes;
	calib_peaks peaks;
	calib_method method;
	int format;                  /* the format the file said (CALIB_FORMAT when built) */
	/* Where the raw samples are, relative to this file's folder ("" when none, or
	 * when they are inline: format 1). */
	char samples_file[CALIB_TEXT_MAX];
	int nkernels;
	calib_kernel *kernels;
	int nfidelity;
	calib_fidelity *fidelity;
	int nreference;
	calib_reference *reference;
	size_t kernels_cap, fidelity_cap, reference_cap; /* room in the arrays (grow.h) */
} calib_table;

/* ---- kernel vocabulary ------------------------------------------------------------ */

/* FLOPs and bytes of one invocation of kernel `name` at `shape`, and its unit. Returns 0,
 * or -1 when the name is not one fgcal knows, or -2 when the shape does not parse for it
 * (then *syntax, if given, says what it should look like). */
int calib_kernel_cost(const char *name, const char *shape, double *flops, double *bytes, calib_unit *unit,
		      const char **syntax);
/* The unit kernel `name` runs on, whatever its shape: what prices an entry that gives
 * its own FLOPs and bytes `like` it. Returns 0, or -1 when the name is not one fgcal
 * knows (then *unit is left as it is). */
int calib_kernel_unit(const char *name, calib_unit *unit);
/* How many kernels one invocation of `name` launches (1 for names fgcal does not know):
 * a derived time pays the launch floor that many times. */
int calib_kernel_launches(const char *name);
/* The names fgcal measures, NULL-terminated. */
extern const char *const calib_kernel_names[];
/* "tensor", "fp32", "mem", "pcie", "launch"; calib_unit_parse returns -1 when unknown. */
const char *calib_unit_name(calib_unit u);
int calib_unit_parse(const char *s);

/* ---- files ------------------------------------------------------------------------ */

/* Loads and validates a calibration file. Returns 0, or 2 with `FILE:LINE: what is wrong`
 * in err and nothing to free. A file may not look measured when it is not: a derived
 * file (measured = false) must carry derived_from and no samples. A format-1 file's
 * inline samples are kept (raw_us) and summarised as calib_add_kernel does; a format-2
 * file holds the summaries only. */
int calib_load(calib_table *t, const char *path, char *err, size_t errlen);
/* Frees what t owns and zeroes it; safe on a zeroed table and on NULL. */
void calib_free(calib_table *t);
/* Appends a kernel. With samples (nsamples > 0) it keeps a copy of them, each rounded to
 * what the samples file stores (calib_sample_stored), and sets the entry's statistics
 * (nsamples, mean, sd, median, p10, p90, min, max, noise, sketch, checksum; clock_mhz and
 * throttled from clock_mhz[], which may be NULL) from those, whatever k says, so that a
 * summary always equals what its stored samples give. Without samples k is taken as it
 * is. Returns 0, or -1 on no memory. */
int calib_add_kernel(calib_table *t, const calib_kernel *k, const double *raw_us, const double *clock_mhz,
		     int nsamples);
/* Sets k's statistics from k->raw_us (and raw_clock_mhz), against the table's clock.
 * Returns 0, or -1 on no memory or no samples. */
int calib_kernel_summarise(const calib_table *t, calib_kernel *k);
/* Appends a fidelity row, copying its entries. Returns 0, or -1 on no memory. */
int calib_add_fidelity(calib_table *t, const calib_fidelity *f);
/* Appends a reference row. Returns 0, or -1 on no memory. */
int calib_add_reference(calib_table *t, const calib_reference *r);
/* The kernel with this name and shape, or NULL. */
const calib_kernel *calib_find(const calib_table *t, const char *name, const char *shape);
/* Writes t in the current format (a summary per entry, no raw samples: those go to the
 * file t->samples_file names, written by the harness), `header` (may be NULL) as comment
 * lines on top. Returns 0, or -1 when the stream reports an error. */
int calib_write(const calib_table *t, FILE *f, const char *header);
/* 0 when `stored` (a loaded summary) holds what `fresh` (summarised from the samples
 * just now) gives once written, figure by figure at the digits the file keeps, and the
 * same checksum; else 1 with the first difference in why. */
int calib_summary_mismatch(const calib_kernel *stored, const calib_kernel *fresh, char *why, size_t len);
/* The peak (per second) a unit is bounded by: FLOP/s for TENSOR and FP32, bytes/s for
 * MEM and PCIE, 0 when the file gives none (or for LAUNCH). */
double calib_peak(const calib_table *t, calib_unit u);
#endif
