/* fgcal.cu - bin/fgcal, the calibration harness: times every kernel of the plan on the
 * GPU the way NVIDIA's nvbench times a cold kernel (warm-up, L2 flushed before each
 * sample, a blocking kernel so launch overhead stays out of the CUDA-event interval, at
 * least 10 samples and 0.5 s of GPU time, stop under 0.5% relative standard deviation
 * or at 15 s and say which), times each profile's whole step back to back against the
 * service model's prediction, and writes a measured calibration file. Exit status: 0
 * done, 1 no CUDA device or a failed kernel, 2 bad usage. */
#include <cuda_runtime.h>
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

extern "C" {
#include "calibration.h"
#include "service.h"
}
#include "fgcal_kernels.cuh"
#include "fgcal_plan.h"
#include "fgcal_samples.h"
#include "fgcal_stats.h"

struct options {
	const char *gpu, *out, *datasheets, *profiles, *only, *steps_of;
	int list, fidelity, selftest_only;
	fgcal_criteria crit;
};

static void usage(FILE *f)
{
	fputs("usage: fgcal --gpu NAME [-o FILE] [OPTIONS]\n"
	      "  times fgsim's kernels on this machine's GPU 0 and writes a measured calibration file\n"
	      "  (default models/calibration/NAME.cfg); NAME is a key of the datasheet table (h100-sxm,\n"
	      "  h200, ...), whose peaks give the fraction of peak each kernel reaches\n"
	      "options:\n"
	      "  --datasheets FILE   datasheet table (kernels/datasheets.cfg)\n"
	      "  --profiles DIR      profiles whose whole steps are timed (models/profiles)\n"
	      "  --no-fidelity       do not time whole steps\n"
	      "  --steps-of FILE     time only the whole steps, against the kernels of FILE (a file\n"
	      "                      bin/fgcal measured on this GPU), and write them with its kernels\n"
	      "  --only TEXT         only kernels whose name contains TEXT (the file is still written)\n"
	      "  --min-samples N --min-time S --max-noise X --timeout S\n"
	      "                      the stopping rule (nvbench's defaults: 10, 0.5, 0.005, 15)\n"
	      "  --selftest          check every kernel against a host reference and stop\n"
	      "  --list              print the plan and stop (needs no GPU)\n", f);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* ---- the blocking kernel ---------------------------------------------------------- */

/* Holds the stream until the host has enqueued the timed work (nvbench's "blocking
 * kernel"), so the start event and the kernel run back to back on the GPU. Gives up
 * after 5 s of GPU time in case the host never releases it. */
__global__ void k_block(volatile int *release, volatile int *timed_out)
{
	unsigned long long t0, t;
	asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(t0));
	while (!*release) {
		asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(t));
		if (t - t0 > 5000000000ull) {
			*timed_out = 1;
			break;
		}
	}
}

struct timer {
	cudaEvent_t start, stop;
	int *flags, *dflags; /* [0] release, [1] timed out: pinned, mapped into the device */
	void *l2;
	size_t l2_bytes;
};

static int timer_init(timer *t, char *err, size_t errlen)
{
	int dev, l2 = 0;
	memset(t, 0, sizeof *t);
	if (cudaGetDevice(&dev) || cudaDeviceGetAttribute(&l2, cudaDevAttrL2CacheSize, dev) ||
	    cudaEventCreate(&t->start) || cudaEventCreate(&t->stop) ||
	    cudaHostAlloc((void **)&t->flags, 2 * sizeof(int), cudaHostAllocMapped) ||
	    cudaHostGetDevicePointer((void **)&t->dflags, t->flags, 0)) {
		snprintf(err, errlen, "timer setup: %s", cudaGetErrorString(cudaGetLastError()));
		return -1;
	}
	t->l2_bytes = (size_t)l2;
	if (l2 > 0 && cudaMalloc(&t->l2, t->l2_bytes)) {
		snprintf(err, errlen, "L2 flush buffer: %s", cudaGetErrorString(cudaGetLastError()));
		return -1;
	}
	return 0;
}

/* One sample, `reps` invocations of each job between two events. cold: the L2 flushed
 * first (a memset over a buffer the size of L2, as nvbench's l2flush does) and the
 * stream held by the blocking kernel while the work is enqueued, so that only GPU time
 * is measured. Whole steps are timed warm and unblocked, as a job runs them: thousands
 * of launches would fill the launch queue behind a blocked stream, and the gaps a host
 * leaves between launches are part of a job's time. Returns seconds, or -1 with err. */
static double sample(timer *t, fgcal_ctx *ctx, fgcal_job *const *jobs, const int *reps, int njobs, int cold,
		     char *err, size_t errlen)
{
	cudaStream_t st = ctx->stream;
	if (cold && t->l2 && cudaMemsetAsync(t->l2, 0, t->l2_bytes, st)) {
		snprintf(err, errlen, "L2 flush: %s", cudaGetErrorString(cudaGetLastError()));
		return -1;
	}
	t->flags[0] = t->flags[1] = 0;
	__sync_synchronize();
	if (cold)
		k_block<<<1, 1, 0, st>>>(t->dflags, t->dflags + 1);
	cudaEventRecord(t->start, st);
	for (int i = 0; i < njobs; i++)
		for (int r = 0; r < reps[i]; r++)
			if (fgcal_job_run(jobs[i], err, errlen)) {
				t->flags[0] = 1;
				cudaStreamSynchronize(st);
				return -1;
			}
	cudaEventRecord(t->stop, st);
	__sync_synchronize();
	t->flags[0] = 1;
	float ms = 0;
	cudaError_t e = cudaEventSynchronize(t->stop);
	if (!e)
		e = cudaEventElapsedTime(&ms, t->start, t->stop);
	if (e) {
		snprintf(err, errlen, "timing: %s", cudaGetErrorString(e));
		return -1;
	}
	if (t->flags[1])
		fprintf(stderr, "fgcal: warning: the blocking kernel timed out; launch overhead may be in this sample\n");
	return ms * 1e-3;
}

/* Samples until the stopping rule says stop. Fills samples (microseconds) and returns
 * the verdict, or -1 with err. */
static int measure(timer *t, fgcal_ctx *ctx, fgcal_job *const *jobs, const int *reps, int njobs, int cold,
		   const fgcal_criteria *c, double **samples, int *n, char *err, size_t errlen)
{
	fgcal_stopper st;
	fgcal_stopper_init(&st, c);
	int cap = 64;
	*n = 0;
	if (!(*samples = (double *)malloc(cap * sizeof **samples))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	/* Warm-up: one untimed run loads the code, the cuBLAS kernels and the TLBs. */
	if (sample(t, ctx, jobs, reps, njobs, cold, err, errlen) < 0)
		return -1;
	double t0 = now_s();
	for (;;) {
		double s = sample(t, ctx, jobs, reps, njobs, cold, err, errlen);
		if (s < 0)
			return -1;
		if (*n == cap) {
			double *more = (double *)realloc(*samples, 2 * cap * sizeof *more);
			if (!more) {
				snprintf(err, errlen, "out of memory");
				return -1;
			}
			*samples = more;
			cap *= 2;
		}
		(*samples)[(*n)++] = s * 1e6;
		fgcal_stopper_add(&st, s);
		fgcal_verdict v = fgcal_stopper_verdict(&st, now_s() - t0);
		if (v != FGCAL_GO_ON)
			return (int)v;
	}
}

/* ---- device facts ------------------------------------------------------------------ */

/* The driver's release (e.g. "580.65.06") from NVML when the library is there; NVML is
 * opened at run time so that building fgcal does not need it. */
static void driver_release(char *out, size_t len)
{
	int v = 0;
	cudaDriverGetVersion(&v);
	snprintf(out, len, "CUDA driver API %d.%d", v / 1000, v % 1000 / 10);
	void *h = dlopen("libnvidia-ml.so.1", RTLD_NOW);
	if (!h)
		return;
	int (*init)(void) = (int (*)(void))dlsym(h, "nvmlInit_v2");
	int (*get)(char *, unsigned) = (int (*)(char *, unsigned))dlsym(h, "nvmlSystemGetDriverVersion");
	char buf[80];
	if (init && get && !init() && !get(buf, sizeof buf))
		snprintf(out, len, "%.31s (CUDA driver API %d.%d)", buf, v / 1000, v % 1000 / 10);
	dlclose(h);
}

static void device_facts(calib_table *t)
{
	int dev = 0, v = 0, clk = 0, mclk = 0;
	cudaDeviceProp p;
	cudaGetDevice(&dev);
	cudaGetDeviceProperties(&p, dev);
	snprintf(t->device_name, sizeof t->device_name, "%.127s", p.name);
	snprintf(t->compute_capability, sizeof t->compute_capability, "%d.%d", p.major, p.minor);
	t->sm_count = p.multiProcessorCount;
	t->l2_bytes = (double)p.l2CacheSize;
	t->memory_bytes = (double)p.totalGlobalMem;
	cudaDeviceGetAttribute(&clk, cudaDevAttrClockRate, dev);
	cudaDeviceGetAttribute(&mclk, cudaDevAttrMemoryClockRate, dev);
	t->sm_clock_mhz = clk / 1000.0;
	t->mem_clock_mhz = mclk / 1000.0;
	cudaRuntimeGetVersion(&v);
	snprintf(t->cuda_runtime, sizeof t->cuda_runtime, "%d.%d", v / 1000, v % 1000 / 10);
	driver_release(t->driver, sizeof t->driver);
	time_t now = time(NULL);
	strftime(t->date, sizeof t->date, "%Y-%m-%d", gmtime(&now));
}

/* ---- the kernels of the plan -------------------------------------------------------- */

static void report(const calib_table *t, const calib_kernel *k)
{
	double s = k->median_us * 1e-6, peak = calib_peak(t, k->unit);
	double done = k->unit == CALIB_UNIT_TENSOR || k->unit == CALIB_UNIT_FP32 ? k->flops / s
		      : k->unit == CALIB_UNIT_MEM || k->unit == CALIB_UNIT_PCIE  ? k->bytes / s
										  : 0;
	char frac[32] = "     -";
	if (peak > 0 && done > 0)
		snprintf(frac, sizeof frac, "%5.1f%%", 100 * done / peak);
	printf("%-24s %-18s %11.3f us %9.2f TFLOP/s %9.1f GB/s %s of %-6s peak  noise %5.2f%%  n=%-4d %s\n", k->name,
	       k->shape, k->median_us, k->flops / s / 1e12, k->bytes / s / 1e9, frac, calib_unit_name(k->unit),
	       100 * k->noise, k->nsamples, k->stop);
	fflush(stdout);
}

static int run_plan(calib_table *t, timer *tm, fgcal_ctx *ctx, const options *o)
{
	char err[1024];
	for (int i = 0; i < fgcal_plan_len; i++) {
		const fgcal_shape *p = &fgcal_plan[i];
		if (o->only && !strstr(p->name, o->only))
			continue;
		fgcal_job *j = fgcal_job_create(ctx, p->name, p->shape, err, sizeof err);
		if (!j) {
			fprintf(stderr, "fgcal: %s %s: %s\n", p->name, p->shape, err);
			return 1;
		}
		double *us = NULL;
		int n = 0, one = 1;
		int v = measure(tm, ctx, &j, &one, 1, 1, &o->crit, &us, &n, err, sizeof err);
		fgcal_job_free(j);
		if (v < 0) {
			fprintf(stderr, "fgcal: %s %s: %s\n", p->name, p->shape, err);
			free(us);
			return 1;
		}
		fgcal_summary s;
		calib_kernel k;
		memset(&k, 0, sizeof k);
		snprintf(k.name, sizeof k.name, "%s", p->name);
		snprintf(k.shape, sizeof k.shape, "%s", p->shape);
		calib_kernel_cost(p->name, p->shape, &k.flops, &k.bytes, &k.unit, NULL);
		fgcal_summarise(us, n, &s);
		k.median_us = s.median;
		k.p10_us = s.p10;
		k.p90_us = s.p90;
		k.noise = s.noise;
		snprintf(k.stop, sizeof k.stop, "%s", fgcal_verdict_name((fgcal_verdict)v));
		snprintf(k.time_source, sizeof k.time_source, "measured");
		if (v == FGCAL_STOP_TIMEOUT)
			fprintf(stderr, "fgcal: %s %s timed out at %.2f%% noise (recorded as stop = \"timeout\")\n", p->name,
				p->shape, 100 * s.noise);
		int rc = calib_add_kernel(t, &k, us, NULL, n);
		free(us);
		if (rc) {
			fprintf(stderr, "fgcal: out of memory\n");
			return 1;
		}
		report(t, &t->kernels[t->nkernels - 1]);
	}
	return 0;
}

/* ---- fidelity: whole steps ---------------------------------------------------------- */

/* The kernel a profile entry runs as: its own name at its shape, or the kernel it is
 * priced like; a bytes-only kernel (triad) is sized by the entry's bytes. Repetitions
 * cover what one run of that shape leaves out (an entry with 2.5 times the FLOPs of
 * its proxy shape runs it 2.5 times, rounded). Returns 0, or -1 when it cannot run. */
static int proxy(const service_kernel *k, char *name, char *shape, double *reps)
{
	const char *look = k->like[0] ? k->like : k->name;
	double f, b;
	snprintf(name, CALIB_NAME_MAX, "%s", look);
	if (k->shape[0] && !calib_kernel_cost(look, k->shape, &f, &b, NULL, NULL)) {
		snprintf(shape, CALIB_SHAPE_MAX, "%s", k->shape);
		double w = fmax(f > 0 ? k->flops / f : 0, b > 0 ? k->bytes / b : 0);
		*reps = k->count * (w > 0 ? w : 1);
		return 0;
	}
	if (!strcmp(look, "triad_fp32") && k->bytes >= 12) {
		snprintf(shape, CALIB_SHAPE_MAX, "%.0f", floor(k->bytes / 12));
		*reps = k->count;
		return 0;
	}
	return -1;
}

static int time_profile(calib_table *t, timer *tm, fgcal_ctx *ctx, const char *path, const options *o)
{
	char err[1024];
	service_profile p;
	if (service_profile_load(&p, path, err, sizeof err)) {
		fprintf(stderr, "fgcal: %s\n", err);
		return 1;
	}
	int n = p.nkernels, rc = 0;
	fgcal_job **jobs = (fgcal_job **)calloc(n, sizeof *jobs);
	int *reps = (int *)calloc(n, sizeof *reps);
	char (*names)[CALIB_NAME_MAX] = (char (*)[CALIB_NAME_MAX])calloc(n, CALIB_NAME_MAX);
	char (*shapes)[CALIB_SHAPE_MAX] = (char (*)[CALIB_SHAPE_MAX])calloc(n, CALIB_SHAPE_MAX);
	for (int i = 0; i < n && !rc; i++) {
		double r;
		if (proxy(&p.kernels[i], names[i], shapes[i], &r)) {
			printf("fidelity %-20s skipped: %s (%s:%d) has no kernel to run\n", p.name, p.kernels[i].name, path,
			       p.kernels[i].line);
			rc = -1;
			break;
		}
		reps[i] = (int)lround(r);
		/* One instance per distinct kernel and shape: a step reuses its buffers the way
		 * a job reuses activations (weights of different layers would be distinct). */
		for (int j = 0; j < i && !jobs[i]; j++)
			if (jobs[j] && !strcmp(names[j], names[i]) && !strcmp(shapes[j], shapes[i]))
				jobs[i] = jobs[j];
		if (!jobs[i] && !(jobs[i] = fgcal_job_create(ctx, names[i], shapes[i], err, sizeof err))) {
			/* A step too big for this GPU's memory is no fault of the kernels: the
			 * profile is skipped, the others still timed (an H200's 141 GB does not
			 * hold every distinct buffer of llm-7b-finetune at once). */
			if (cudaGetLastError() == cudaErrorMemoryAllocation || strstr(err, "out of memory")) {
				printf("fidelity %-20s skipped: its buffers do not fit in this GPU's memory (%s %s)\n",
				       p.name, names[i], shapes[i]);
				rc = -1;
				break;
			}
			fprintf(stderr, "fgcal: fidelity %s: %s %s: %s\n", p.name, names[i], shapes[i], err);
			rc = 1;
		}
	}
	if (!rc) {
		/* Steps are long: three of them, warm and unblocked (see sample()). */
		fgcal_criteria c = {3, 0.0, o->crit.max_noise, 4 * o->crit.timeout_s};
		double *us = NULL;
		int ns = 0;
		int v = measure(tm, ctx, jobs, reps, n, 0, &c, &us, &ns, err, sizeof err);
		if (v < 0) {
			fprintf(stderr, "fgcal: fidelity %s: %s\n", p.name, err);
			rc = 1;
		} else {
			fgcal_summary s;
			fgcal_summarise(us, ns, &s);
			service_model m;
			const calib_table *tp = t;
			if (service_init(&m, &p, &tp, 1, err, sizeof err)) {
				fprintf(stderr, "fgcal: fidelity %s: %s\n", p.name, err);
				rc = 1;
			} else {
				calib_fidelity f;
				memset(&f, 0, sizeof f);
				snprintf(f.profile, sizeof f.profile, "%s", p.name);
				f.predicted_us = m.gpu[0].step_us;
				f.measured_us = s.median;
				f.error = f.measured_us / f.predicted_us - 1;
				printf("fidelity %-20s step measured %12.1f us, predicted %12.1f us, error %+6.1f%%%s\n", p.name,
				       f.measured_us, f.predicted_us, 100 * f.error, fabs(f.error) < 0.10 ? "" : "  (over 10%)");
				rc = calib_add_fidelity(t, &f) ? 1 : 0;
				service_free(&m);
			}
		}
		free(us);
	}
	for (int i = 0; i < n; i++) {
		int first = 1;
		for (int j = 0; j < i; j++)
			first &= jobs[j] != jobs[i];
		if (jobs[i] && first)
			fgcal_job_free(jobs[i]);
	}
	free(jobs);
	free(reps);
	free(names);
	free(shapes);
	service_profile_free(&p);
	return rc > 0 ? 1 : 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_fidelity(calib_table *t, timer *tm, fgcal_ctx *ctx, const options *o)
{
	DIR *d = opendir(o->profiles);
	if (!d) {
		fprintf(stderr, "fgcal: %s: %s (no whole steps timed)\n", o->profiles, strerror(errno));
		return 0;
	}
	char *paths[256];
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < 256) {
		size_t l = strlen(e->d_name);
		if (l > 4 && !strcmp(e->d_name + l - 4, ".cfg")) {
			paths[n] = (char *)malloc(strlen(o->profiles) + l + 2);
			sprintf(paths[n++], "%s/%s", o->profiles, e->d_name);
		}
	}
	closedir(d);
	qsort(paths, n, sizeof *paths, cmp_str);
	int rc = 0;
	for (int i = 0; i < n; i++) {
		rc |= time_profile(t, tm, ctx, paths[i], o);
		free(paths[i]);
	}
	return rc;
}

/* ---- main -------------------------------------------------------------------------- */

static int parse(int argc, char **argv, options *o)
{
	memset(o, 0, sizeof *o);
	o->datasheets = "kernels/datasheets.cfg";
	o->profiles = "models/profiles";
	o->fidelity = 1;
	fgcal_criteria_default(&o->crit);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--list"))
			o->list = 1;
		else if (!strcmp(a, "--selftest"))
			o->selftest_only = 1;
		else if (!strcmp(a, "--no-fidelity"))
			o->fidelity = 0;
		else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			exit(0);
		} else if (!v) {
			fprintf(stderr, "fgcal: %s: unknown option or missing value\n", a);
			return 2;
		} else if (!strcmp(a, "--gpu"))
			o->gpu = argv[++i];
		else if (!strcmp(a, "-o"))
			o->out = argv[++i];
		else if (!strcmp(a, "--datasheets"))
			o->datasheets = argv[++i];
		else if (!strcmp(a, "--profiles"))
			o->profiles = argv[++i];
		else if (!strcmp(a, "--only"))
			o->only = argv[++i];
		else if (!strcmp(a, "--steps-of"))
			o->steps_of = argv[++i];
		else if (!strcmp(a, "--min-samples"))
			o->crit.min_samples = atoi(argv[++i]);
		else if (!strcmp(a, "--min-time"))
			o->crit.min_time_s = atof(argv[++i]);
		else if (!strcmp(a, "--max-noise"))
			o->crit.max_noise = atof(argv[++i]);
		else if (!strcmp(a, "--timeout"))
			o->crit.timeout_s = atof(argv[++i]);
		else {
			fprintf(stderr, "fgcal: %s: unknown option\n", a);
			return 2;
		}
	}
	if (!o->list && !o->selftest_only && !o->gpu) {
		usage(stderr);
		return 2;
	}
	if (o->crit.min_samples < 1 || !(o->crit.timeout_s > 0) || !(o->crit.max_noise > 0)) {
		fprintf(stderr, "fgcal: --min-samples must be >= 1, --timeout and --max-noise above 0\n");
		return 2;
	}
	return 0;
}

/* Writes the table (to -o FILE or models/calibration/KEY.cfg) and reads it back. */
static int write_table(const calib_table *t, const options *o, const fgcal_sheet *sheet)
{
	char path[4096], err[1024], header[2048];
	snprintf(path, sizeof path, "%s", o->out ? o->out : "");
	if (!o->out)
		snprintf(path, sizeof path, "models/calibration/%s.cfg", sheet->key);
	snprintf(header, sizeof header,
		 "%s.cfg - calibration of the %s: MEASURED by bin/fgcal on %s, %s.\n"
		 "Each kernel: nvbench's cold-measurement method (warm-up; L2 flushed before every sample; a\n"
		 "blocking kernel keeps launch overhead out of the CUDA-event interval; at least %d samples and\n"
		 "%.2g s of GPU time; stop under %.2g%% relative standard deviation, when it stops moving, or\n"
		 "at %.3g s, which `stop` records). fidelity: whole profile steps run back to back against the\n"
		 "service model's prediction from these kernels. Peaks are the datasheet's, with sources.",
		 sheet->key, sheet->name, t->device_name, t->date, o->crit.min_samples, o->crit.min_time_s,
		 100 * o->crit.max_noise, o->crit.timeout_s);
	/* The raw samples go beside the summary: FILE.samples.csv.gz for -o FILE.cfg, else
	 * kernels/measurements/KEY-DATE.samples.csv.gz, kept there once. */
	char samples[4096];
	size_t pl = strlen(path);
	if (o->out)
		snprintf(samples, sizeof samples, "%.*s.samples.csv.gz",
			 (int)(pl > 4 && !strcmp(path + pl - 4, ".cfg") ? pl - 4 : pl), path);
	else
		snprintf(samples, sizeof samples, "kernels/measurements/%s-%s.samples.csv.gz", sheet->key, t->date);
	if (fgcal_write_pair(t, path, samples, header)) {
		fprintf(stderr, "fgcal: %s: %s\n", path, strerror(errno));
		return 1;
	}
	calib_table back;
	if (calib_load(&back, path, err, sizeof err)) {
		fprintf(stderr, "fgcal: the file written does not load: %s\n", err);
		return 1;
	}
	printf("fgcal: wrote %s (%d kernels, %d whole steps)\n", path, back.nkernels, back.nfidelity);
	fflush(stdout);
	calib_free(&back);
	return 0;
}

int main(int argc, char **argv)
{
	options o;
	char err[1024];
	int rc = parse(argc, argv, &o);
	if (rc)
		return rc;
	if (o.list) {
		for (int i = 0; i < fgcal_plan_len; i++)
			printf("%-24s %s\n", fgcal_plan[i].name, fgcal_plan[i].shape);
		return 0;
	}
	/* Before anything else: no device, nothing written. */
	int ndev = 0;
	cudaError_t e = cudaGetDeviceCount(&ndev);
	if (e != cudaSuccess || ndev < 1) {
		fprintf(stderr, "fgcal: no CUDA device (%s)\n", e != cudaSuccess ? cudaGetErrorString(e) : "none found");
		return 1;
	}
	fgcal_sheet *sheets = NULL;
	int nsheets = 0;
	fgcal_efficiency eff;
	const fgcal_sheet *sheet = NULL;
	if (!o.selftest_only) {
		if (fgcal_sheets_load(o.datasheets, &sheets, &nsheets, &eff, err, sizeof err)) {
			fprintf(stderr, "fgcal: %s\n", err);
			return 2;
		}
		if (!(sheet = fgcal_sheet_find(sheets, nsheets, o.gpu))) {
			fprintf(stderr, "fgcal: --gpu %s: not in %s (add its datasheet peaks, with sources, there)\n", o.gpu,
				o.datasheets);
			free(sheets);
			return 2;
		}
	}
	fgcal_ctx ctx;
	timer tm;
	if (cudaSetDevice(0) || fgcal_ctx_init(&ctx, err, sizeof err) || timer_init(&tm, err, sizeof err)) {
		fprintf(stderr, "fgcal: %s\n", err[0] ? err : cudaGetErrorString(cudaGetLastError()));
		return 1;
	}
	if (fgcal_selftest(&ctx, err, sizeof err)) {
		fprintf(stderr, "fgcal: %s\n", err);
		return 1;
	}
	fprintf(stderr, "fgcal: self-test passed: every kernel agrees with its host reference\n");
	if (o.selftest_only)
		return 0;

	calib_table t;
	memset(&t, 0, sizeof t);
	if (o.steps_of) { /* the kernels were measured before: only the whole steps now */
		err[0] = 0;
		if (calib_load(&t, o.steps_of, err, sizeof err) || !t.measured || strcmp(t.gpu, sheet->gpu)) {
			fprintf(stderr, "fgcal: --steps-of %s: %s\n", o.steps_of,
				err[0] ? err : "not a measured calibration of this GPU");
			return 2;
		}
		t.nfidelity = 0;
		printf("fgcal: whole steps against the kernels of %s (measured %s on %s)\n", o.steps_of, t.date, t.device_name);
	} else {
		snprintf(t.gpu, sizeof t.gpu, "%s", sheet->gpu);
		t.measured = 1;
		t.peaks = sheet->peaks;
		device_facts(&t);
		t.method.warmup_runs = 1;
		t.method.min_samples = o.crit.min_samples;
		t.method.min_time_s = o.crit.min_time_s;
		t.method.max_noise = o.crit.max_noise;
		t.method.timeout_s = o.crit.timeout_s;
		t.method.l2_flush = 1;
		printf("fgcal: %s (%d SMs, %.0f MHz, compute %s), driver %s, CUDA runtime %s, %s\n", t.device_name, t.sm_count,
		       t.sm_clock_mhz, t.compute_capability, t.driver, t.cuda_runtime, t.date);
		/* Drivers name boards their own way ("NVIDIA H100 80GB HBM3" is the SXM5 part): a
		 * name that does not match is taken as that GPU when its SM count does (the H100
		 * PCIe has 114 SMs, the SXM5 132). */
		if (!strcasestr(t.device_name, sheet->gpu) && !strcasestr(t.device_name, sheet->key) &&
		    t.sm_count != sheet->sm_count)
			fprintf(stderr, "fgcal: warning: the device says \"%s\", but --gpu %s is the %s; the peaks will be wrong "
				"if this is another GPU\n", t.device_name, o.gpu, sheet->name);

		/* The kernels' file is written before the whole steps are timed, and again
		 * with them: a fidelity pass cut short (a time limit, a fault) keeps the kernels. */
		rc = run_plan(&t, &tm, &ctx, &o);
		if (!rc)
			rc = write_table(&t, &o, sheet);
	}
	if (!rc && (o.fidelity || o.steps_of) && !(rc = run_fidelity(&t, &tm, &ctx, &o)))
		rc = write_table(&t, &o, sheet);
	calib_free(&t);
	fgcal_ctx_free(&ctx);
	free(sheets);
	return rc;
}
