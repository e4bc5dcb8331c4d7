/* calibration.h - calibration files (models/calibration/<gpu>.cfg): what one GPU type
 * does per kernel and shape, measured by bin/fgcal or derived from datasheets, read,
 * validated and written back. Also the kernel vocabulary: each kernel name's shape
 * syntax and the FLOPs and bytes one invocation of a shape costs. */
#ifndef FGSIM_CALIBRATION_H
#define FGSIM_CALIBRATION_H
#include <stddef.h>
#include <stdio.h>

#define CALIB_NAME_MAX 48
#define CALIB_SHAPE_MAX 48
#define CALIB_TEXT_MAX 512
#define CALIB_FORMAT 1 /* the `format` a file must say; bumped when the layout changes */

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
	double *raw_us;              /* the samples, microseconds (owned), NULL when none */
	double median_us, p10_us, p90_us;
	double noise;                /* relative standard deviation of the samples; 0 when none */
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
} calib_method;

/* A whole step of a profile timed back to back beside the sum of its parts. */
typedef struct calib_fidelity {
	char profile[CALIB_NAME_MAX];
	double predicted_us, measured_us, error; /* error = measured / predicted - 1 */
} calib_fidelity;

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
	int nkernels;
	calib_kernel *kernels;
	int nfidelity;
	calib_fidelity *fidelity;
	size_t kernels_cap, fidelity_cap; /* room in kernels[] and fidelity[] (grow.h) */
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
 * file (measured = false) must carry derived_from and no samples. */
int calib_load(calib_table *t, const char *path, char *err, size_t errlen);
/* Frees what t owns and zeroes it; safe on a zeroed table and on NULL. */
void calib_free(calib_table *t);
/* Appends a kernel (copying its samples). Returns 0, or -1 on no memory. */
int calib_add_kernel(calib_table *t, const calib_kernel *k, const double *raw_us, int nsamples);
/* Appends a fidelity row. Returns 0, or -1 on no memory. */
int calib_add_fidelity(calib_table *t, const calib_fidelity *f);
/* The kernel with this name and shape, or NULL. */
const calib_kernel *calib_find(const calib_table *t, const char *name, const char *shape);
/* Writes t in the file format, `header` (may be NULL) as comment lines on top. Returns 0,
 * or -1 when the stream reports an error. */
int calib_write(const calib_table *t, FILE *f, const char *header);
/* The peak (per second) a unit is bounded by: FLOP/s for TENSOR and FP32, bytes/s for
 * MEM and PCIE, 0 when the file gives none (or for LAUNCH). */
double calib_peak(const calib_table *t, calib_unit u);
#endif
