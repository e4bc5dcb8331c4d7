/* service.h - service times of profile jobs. A profile (models/profiles/<name>.cfg) is
 * the kernel mix of one step of a real job; a service model prices that step on every
 * GPU type that has a calibration file, says where each number comes from (measured,
 * interpolated, extrapolated, roofline; from a measured or a derived file), and turns
 * a job of S steps on n GPUs into seconds with the step-to-step jitter the samples show. */
#ifndef FGSIM_SERVICE_H
#define FGSIM_SERVICE_H
#include <gsl/gsl_rng.h>
#include <stdio.h>

#include "calibration.h"

/* How a kernel's time on a GPU type was obtained, best first. */
typedef enum {
	SERVICE_EXACT,        /* the file lists this kernel at this shape */
	SERVICE_INTERPOLATED, /* log-log between two listed shapes of the same kernel */
	SERVICE_EXTRAPOLATED, /* beyond the listed shapes, at the nearest one's efficiency */
	SERVICE_ROOFLINE,     /* no such kernel listed: the roofline fitted to the file */
	SERVICE_NMETHODS
} service_method;

/* One kernel of a profile's step. */
typedef struct service_kernel {
	char name[CALIB_NAME_MAX];   /* what runs, e.g. "gemm_bf16" or "rope" */
	char like[CALIB_NAME_MAX];   /* the calibrated kernel it is priced as ("" = name) */
	char shape[CALIB_SHAPE_MAX]; /* "" for kernels priced by `like` without a shape */
	char what[96];               /* what it is in the model, e.g. "QKV projection" */
	calib_unit unit;
	double flops, bytes;         /* per invocation */
	double count;                /* invocations per step */
	int line;
} service_kernel;

/* A profile file: one step of a job kind. */
typedef struct service_profile {
	char path[4096], name[CALIB_NAME_MAX], step[256];
	int min_gpus;              /* the job's GPUs must be at least this many */
	double memory_gb;          /* memory the job needs over all its GPUs */
	double scaling_efficiency; /* speed-up on n > 1 GPUs is n x this */
	double flops_per_step, bytes_per_step;
	int nkernels;
	service_kernel *kernels;
} service_profile;

/* The time of one profile kernel on one GPU type. */
typedef struct service_cost {
	double us;            /* per invocation: the median, or its interpolation */
	double mean_ratio;    /* mean / median of the samples behind it (1 without samples) */
	double cv2;           /* squared coefficient of variation of one invocation */
	service_method method;
	int lo, hi;           /* the calibration entries used (indices), -1 when none */
} service_cost;

/* A profile priced on one calibration table. */
typedef struct service_gpu {
	const calib_table *table;
	double peak[CALIB_NUNITS]; /* effective peaks fitted to the table, per second */
	double floor_us;           /* the shortest a kernel takes (launch and drain) */
	service_cost *cost;        /* one per profile kernel */
	double step_us;            /* mean step on one GPU, microseconds */
	double step_var_us2;       /* variance of one step */
	double share[SERVICE_NMETHODS]; /* fraction of step_us by method */
} service_gpu;

typedef struct service_model {
	service_profile profile;
	double scaling_efficiency;
	int ngpus;
	service_gpu *gpu;
	calib_table *owned; /* tables service_load read itself; NULL when borrowed */
	int nowned;
} service_model;

/* ---- profiles --------------------------------------------------------------------- */

/* Loads and checks a profile. Returns 0, or 2 with `FILE:LINE: what` in err and nothing
 * to free. */
int service_profile_load(service_profile *p, const char *path, char *err, size_t errlen);
void service_profile_free(service_profile *p);
/* Where the profile called `name` lives: a name with a '/' or ending in ".cfg" is a path
 * from base_dir; else <dir>/<name>.cfg for dir in $FGSIM_PROFILES, then
 * base_dir/../models/profiles, then models/profiles. Returns 0 with the path in out, or
 * -1 with the places tried in out. */
int service_profile_find(char *out, size_t len, const char *name, const char *base_dir);

/* ---- models ----------------------------------------------------------------------- */

/* Prices profile p on each of the n tables, which the model borrows: they must outlive
 * it. The profile is copied. Returns 0, or 2 with a message in err (a unit with neither
 * data nor a datasheet peak on some table) and nothing to free. */
int service_init(service_model *m, const service_profile *p, const calib_table *const *tables, int n, char *err,
		 size_t errlen);
/* Loads the profile and the n calibration files and prices it: GPU type i is file i.
 * Returns 0, or 2 with `FILE:LINE: what` in err and nothing to free. */
int service_load(service_model *m, const char *profile_path, const char *const *calibration_paths, int n, char *err,
		 size_t errlen);
/* Frees what m owns and zeroes it; safe on a zeroed model and on NULL. */
void service_free(service_model *m);

/* The GPU type whose calibration file says gpu = name (case-insensitive), or -1. */
int service_gpu_index(const service_model *m, const char *name);
/* Overrides the profile's multi-GPU efficiency (0 < e <= 1). */
void service_set_scaling(service_model *m, double efficiency);
/* 1 when n GPUs of type gpu are enough for the job: n >= min_gpus and memory fits. */
int service_fits(const service_model *m, int gpu, double ngpus);

/* Mean seconds per step on n GPUs of type gpu: one GPU's step over n x efficiency for
 * n > 1, over n for a fraction of a GPU (time-sliced). */
double service_step_time(const service_model *m, int gpu, double ngpus);
/* Expected seconds of a job of mean_steps steps (E[S] times the mean step). */
double service_expected_time(const service_model *m, int gpu, double ngpus, double mean_steps);
/* Seconds of a job of `steps` steps given z, a standard normal drawn once per job when
 * it arrives: steps independent steps sum to steps x mean + sqrt(steps) x sd x z
 * (central limit theorem). Drawing z at arrival, not at start, keeps common random
 * numbers across policies whichever pool the job lands on. Never below half the mean. */
double service_job_time(const service_model *m, int gpu, double ngpus, double steps, double z);
/* One step's seconds drawn by resampling each invocation from its kernel's raw samples
 * (a bootstrap, Efron 1979); the mean step when the file has no samples. */
double service_step_sample(const service_model *m, int gpu, double ngpus, gsl_rng *r);

/* The worst method behind any kernel of the step on gpu. */
service_method service_worst_method(const service_model *m, int gpu);
/* "exact", "interpolated", "extrapolated", "roofline". */
const char *service_method_name(service_method k);
/* One line for `fgsim check`: "measured 81%, interpolated 19%" or "derived from
 * h100-sxm.cfg: exact 81%, roofline 19%". Returns buf. */
const char *service_describe(const service_model *m, int gpu, char *buf, size_t len);
/* Every kernel of the step on gpu with its count, time, share and method. */
void service_explain(const service_model *m, int gpu, FILE *out);

/* The time of one invocation of a kernel (name, priced as `like` when not "", at the
 * given cost) on a table with the given fitted peaks and floor; for tests and tools.
 * Exact when the table lists name at shape; else log-log interpolation in roofline time
 * (flops over the unit's peak or bytes over bandwidth, whichever binds) between the two
 * nearest listed shapes of that kernel; else the fitted roofline. */
service_cost service_kernel_time(const calib_table *t, const double peak[CALIB_NUNITS], double floor_us,
				 const service_kernel *k);
/* Fits effective peaks (the best rate any listed kernel reached, per unit; the datasheet
 * peak where no kernel uses a unit) and the floor (launch_empty, else the fastest
 * kernel), both capped by the datasheet. Returns 0, or -1 when some unit has neither a
 * kernel nor a datasheet figure (its peak is then 0; pricing a kernel that needs it fails). */
int service_fit_roofline(const calib_table *t, double peak[CALIB_NUNITS], double *floor_us);
#endif
