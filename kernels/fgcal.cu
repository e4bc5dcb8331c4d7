/* fgcal.cu - bin/fgcal, the calibration harness: times every kernel of the plan on the
 * GPU the way NVIDIA's nvbench times a cold kernel (fgcal_timing.cu: eager loading and a
 * warm-up outside the blocking kernel, a read-only L2 flush before each sample, the SM
 * clock of each sample, nvbench's stopping rule), times each profile's whole step layer
 * by layer against the service model's prediction (fgcal_steps.cu), and writes a
 * measured calibration file. Exit status: 0 done, 1 no CUDA device or a failed kernel,
 * 2 bad usage. */
#include <cuda_runtime.h>
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

extern "C" {
#include "calibration.h"
#include "service.h"
}
#include "fgcal_cudnn.cuh"
#include "fgcal_kernels.cuh"
#include "fgcal_plan.h"
#include "fgcal_samples.h"
#include "fgcal_stats.h"
#include "fgcal_timing.cuh"

/* Which method made a file: the lead writes it into the file's method at the merge (the
 * issue asks that a file say so); files before issue 19 are "fgcal-1". */
#define FGCAL_METHOD_NAME "fgcal-2"

struct options {
	const char *gpu, *out, *datasheets, *profiles, *only, *steps_of, *predictions;
	int list, fidelity, selftest_only, graphs, step_samples, step_layers;
	double budget_s;
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
	      "  --only A,B          only kernels whose name contains A or B (the file is still written)\n"
	      "  --min-samples N --min-time S --max-noise X --timeout S\n"
	      "                      the stopping rule (nvbench's defaults: 10, 0.5, 0.005, 15)\n"
	      "  --step-samples N    samples of each whole step (5); its time limit grows to allow them\n"
	      "  --step-layers N     distinct layers a step runs at most, scaled to the model (all that fit)\n"
	      "  --no-graphs         launch every step's kernels, even launch-bound steps (graphs by default)\n"
	      "  --budget S          start no kernel or step past S seconds of wall time; say what was skipped\n"
	      "  --predictions FILE  each profile's predicted step from these kernels, TSV\n"
	      "  --selftest          check every kernel against a host reference and stop\n"
	      "  --list              print the plan and stop (needs no GPU)\n", f);
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

static void report(const calib_table *t, const calib_kernel *k, const fgcal_clocks *ck)
{
	double s = k->median_us * 1e-6, peak = calib_peak(t, k->unit);
	double done = k->unit == CALIB_UNIT_TENSOR || k->unit == CALIB_UNIT_FP32 ? k->flops / s
		      : k->unit == CALIB_UNIT_MEM || k->unit == CALIB_UNIT_PCIE  ? k->bytes / s
										  : 0;
	char frac[32] = "     -";
	if (peak > 0 && done > 0)
		snprintf(frac, sizeof frac, "%5.1f%%", 100 * done / peak);
	printf("%-24s %-18s %11.3f us %9.2f TFLOP/s %9.1f GB/s %s of %-6s peak  noise %5.2f%%  n=%-4d %-9s "
	       "%5.0f MHz %d throttled\n", k->name, k->shape, k->median_us, k->flops / s / 1e12, k->bytes / s / 1e9, frac,
	       calib_unit_name(k->unit), 100 * k->noise, k->nsamples, k->stop, ck->mean_mhz, ck->throttled);
	fflush(stdout);
}

/* ---- where measurements reach the file ------------------------------------------- */

static FILE *steps_cfg;   /* each step's details, until the fidelity rows hold them */

/* Adds a measured kernel to the table; its per-sample SM clocks (NAN: not read) go to the
 * samples file for now. At the merge this is the one call to change:
 * calib_add_kernel(t, k, us, mhz, n) once the format keeps a clock per sample. */
int fgcal_record_kernel(calib_table *t, const calib_kernel *k, const double *us, const double *mhz, int n)
{
	return calib_add_kernel(t, k, us, mhz, n);
}

/* Adds a fidelity row with its per-entry breakdown (the file's `entries`); how the step
 * ran (samples, layers timed and the scale, graph, clock) goes beside the file, in
 * FILE.steps.cfg, which the format has no place for. */
int fgcal_record_step(calib_table *t, const calib_fidelity *f, const fgcal_step_info *info)
{
	if (steps_cfg) {
		int need = fgcal_entries_format(info, NULL, 0) + 1;
		char *line = (char *)malloc(need);
		if (line)
			fgcal_entries_format(info, line, need);
		fprintf(steps_cfg, "  { profile = \"%s\"; predicted_us = %.17g; measured_us = %.17g; error = %.17g;\n"
			"    n = %d; layers = %d; distinct_layers = %d; scale = %.17g; graph = %s; mean_clock_mhz = %.6g;\n"
			"    throttled = %d;\n    %s },\n",
			f->profile, f->predicted_us, f->measured_us, f->error, info->n, info->layers, info->distinct,
			info->scale, info->graph ? "true" : "false", info->mean_mhz, info->throttled, line ? line : "");
		fflush(steps_cfg);
		free(line);
	}
	calib_fidelity row = *f;
	calib_step_entry *e = NULL;
	if (info->nentries > 0 && (e = (calib_step_entry *)calloc(info->nentries, sizeof *e))) {
		for (int i = 0; i < info->nentries; i++) {
			snprintf(e[i].kernel, sizeof e[i].kernel, "%s", info->entries[i].kernel);
			snprintf(e[i].shape, sizeof e[i].shape, "%s", info->entries[i].shape);
			e[i].us = info->entries[i].us;
		}
		row.entries = e;
		row.nentries = info->nentries;
	}
	int rc = calib_add_fidelity(t, &row); /* copies the entries */
	free(e);
	return rc;
}

/* Whether kernel `name` is among --only's comma-separated substrings (all without it). */
static int only_match(const char *only, const char *name)
{
	if (!only)
		return 1;
	char tok[CALIB_NAME_MAX];
	for (const char *p = only; *p;) {
		size_t l = strcspn(p, ",");
		snprintf(tok, sizeof tok, "%.*s", (int)(l < sizeof tok ? l : sizeof tok - 1), p);
		if (tok[0] && strstr(name, tok))
			return 1;
		p += l + (p[l] == ',');
	}
	return 0;
}

static int run_plan(calib_table *t, fgcal_timer *tm, fgcal_ctx *ctx, const options *o, double deadline)
{
	char err[1024];
	int skipped = 0;
	for (int i = 0; i < fgcal_plan_len; i++) {
		const fgcal_shape *p = &fgcal_plan[i];
		if (!only_match(o->only, p->name))
			continue;
		/* The budget: a kernel whose stopping rule could outlast what is left waits for
		 * another run (an earlier file's median would sharpen this; the timeout bounds it). */
		if (deadline > 0 && fgcal_now_s() + o->crit.timeout_s + 2 > deadline) {
			printf("skipped (time budget): %s %s\n", p->name, p->shape);
			skipped++;
			continue;
		}
		err[0] = 0;
		fgcal_job *j = fgcal_job_create(ctx, p->name, p->shape, err, sizeof err);
		if (!j && !strncmp(p->name, "attention_cudnn", 15) && !fgcal_cudnn_version(err, sizeof err)) {
			/* No cuDNN on this machine: the other kernels are still worth a file. */
			printf("skipped (no cuDNN): %s %s: %s\n", p->name, p->shape, err);
			continue;
		}
		if (!j) {
			fprintf(stderr, "fgcal: %s %s: %s\n", p->name, p->shape, err);
			return 1;
		}
		double *us = NULL, *mhz = NULL;
		int n = 0;
		int v = fgcal_measure_kernel(tm, ctx, j, &o->crit, &us, &mhz, &n, err, sizeof err);
		fgcal_job_free(j);
		if (v < 0) {
			fprintf(stderr, "fgcal: %s %s: %s\n", p->name, p->shape, err);
			free(us);
			free(mhz);
			return 1;
		}
		fgcal_summary s;
		fgcal_clocks ck;
		calib_kernel k;
		memset(&k, 0, sizeof k);
		snprintf(k.name, sizeof k.name, "%s", p->name);
		snprintf(k.shape, sizeof k.shape, "%s", p->shape);
		calib_kernel_cost(p->name, p->shape, &k.flops, &k.bytes, &k.unit, NULL);
		fgcal_summarise(us, n, &s);
		fgcal_clocks_mark(mhz, n, tm->max_mhz, FGCAL_THROTTLE_THRESHOLD, NULL, &ck);
		k.median_us = s.median;
		k.p10_us = s.p10;
		k.p90_us = s.p90;
		k.noise = s.noise;
		snprintf(k.stop, sizeof k.stop, "%s", fgcal_verdict_name((fgcal_verdict)v));
		snprintf(k.time_source, sizeof k.time_source, "measured");
		if (v == FGCAL_STOP_TIMEOUT)
			fprintf(stderr, "fgcal: %s %s timed out at %.2f%% noise (recorded as stop = \"timeout\")\n", p->name,
				p->shape, 100 * s.noise);
		int rc = fgcal_record_kernel(t, &k, us, mhz, n);
		free(us);
		free(mhz);
		if (rc) {
			fprintf(stderr, "fgcal: out of memory\n");
			return 1;
		}
		report(t, &t->kernels[t->nkernels - 1], &ck);
	}
	if (skipped)
		printf("fgcal: %d kernels skipped for the time budget (--budget %.0f)\n", skipped, o->budget_s);
	return 0;
}

/* ---- main -------------------------------------------------------------------------- */

static int parse(int argc, char **argv, options *o)
{
	memset(o, 0, sizeof *o);
	o->datasheets = "kernels/datasheets.cfg";
	o->profiles = "models/profiles";
	o->fidelity = 1;
	o->graphs = 1;
	o->step_samples = 5;
	fgcal_criteria_default(&o->crit);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--list"))
			o->list = 1;
		else if (!strcmp(a, "--selftest"))
			o->selftest_only = 1;
		else if (!strcmp(a, "--no-fidelity"))
			o->fidelity = 0;
		else if (!strcmp(a, "--no-graphs"))
			o->graphs = 0;
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
		else if (!strcmp(a, "--predictions"))
			o->predictions = argv[++i];
		else if (!strcmp(a, "--budget"))
			o->budget_s = atof(argv[++i]);
		else if (!strcmp(a, "--step-samples"))
			o->step_samples = atoi(argv[++i]);
		else if (!strcmp(a, "--step-layers"))
			o->step_layers = atoi(argv[++i]);
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
	if (o->crit.min_samples < 1 || !(o->crit.timeout_s > 0) || !(o->crit.max_noise > 0) || o->step_samples < 1 ||
	    o->step_layers < 0 || o->budget_s < 0) {
		fprintf(stderr, "fgcal: --min-samples and --step-samples must be >= 1, --timeout and --max-noise above 0,\n"
			"  --step-layers and --budget not negative\n");
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
		 "%s.cfg - calibration of the %s: MEASURED by bin/fgcal (method %s) on %s, %s.\n"
		 "Each kernel: nvbench's cold-measurement method (modules loaded eagerly and a warm-up outside\n"
		 "the blocking kernel; before every sample the L2 refilled by a read-only pass over 3x its size;\n"
		 "a blocking kernel keeps launch overhead out of the CUDA-event interval; the SM clock read\n"
		 "around each sample; at least %d samples and %.2g s of GPU time; stop under %.2g%% relative\n"
		 "standard deviation, when it stops moving, or at %.3g s, which `stop` records). fidelity: whole\n"
		 "profile steps run layer by layer with distinct weights (launch-bound ones as CUDA graphs)\n"
		 "against the service model's prediction from these kernels. Peaks are the datasheet's.",
		 sheet->key, sheet->name, FGCAL_METHOD_NAME, t->device_name, t->date, o->crit.min_samples,
		 o->crit.min_time_s, 100 * o->crit.max_noise, o->crit.timeout_s);
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

/* Removes kernel name at shape from t (a re-measurement with --steps-of and --only
 * replaces it). */
static void drop_kernel(calib_table *t, const char *name, const char *shape)
{
	for (int i = 0; i < t->nkernels; i++)
		if (!strcmp(t->kernels[i].name, name) && !strcmp(t->kernels[i].shape, shape)) {
			free(t->kernels[i].raw_us);
			memmove(&t->kernels[i], &t->kernels[i + 1], (t->nkernels - i - 1) * sizeof *t->kernels);
			t->nkernels--;
			return;
		}
}

/* The steps' details beside -o FILE: FILE.steps.cfg, opened for appending so that a
 * rerun of the steps adds to it. */
static void open_sidecars(const options *o)
{
	char path[4096];
	if (o->out) {
		snprintf(path, sizeof path, "%s.steps.cfg", o->out);
		if ((steps_cfg = fopen(path, "a")))
			fputs("# fgcal whole steps (method " FGCAL_METHOD_NAME "): each step's run and its entries\n",
			      steps_cfg);
	}
}

int main(int argc, char **argv)
{
	options o;
	char err[1024];
	/* Eager module loading, unless the caller chose: no sample may wait on a lazy load
	 * (CUDA 12.2+ loads lazily by default; the 21 "blocking kernel timed out" warnings of
	 * the first H100 run were cuBLAS modules loading while the blocking kernel spun). */
	setenv("CUDA_MODULE_LOADING", "EAGER", 0);
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
	fgcal_timer tm;
	err[0] = 0;
	double deadline = o.budget_s > 0 ? fgcal_now_s() + o.budget_s : 0;
	if (cudaSetDevice(0) || fgcal_ctx_init(&ctx, err, sizeof err) || fgcal_timer_init(&tm, err, sizeof err)) {
		fprintf(stderr, "fgcal: %s\n", err[0] ? err : cudaGetErrorString(cudaGetLastError()));
		return 1;
	}
	if (fgcal_flush_selftest(&tm, &ctx, err, sizeof err) || fgcal_selftest(&ctx, err, sizeof err)) {
		fprintf(stderr, "fgcal: %s\n", err);
		return 1;
	}
	fprintf(stderr, "fgcal: self-test passed: every kernel agrees with its host reference\n");
	if (o.selftest_only)
		return 0;

	calib_table t;
	memset(&t, 0, sizeof t);
	open_sidecars(&o);
	if (o.steps_of) { /* the kernels were measured before: only the whole steps now */
		err[0] = 0;
		if (calib_load(&t, o.steps_of, err, sizeof err) || !t.measured || strcmp(t.gpu, sheet->gpu)) {
			fprintf(stderr, "fgcal: --steps-of %s: %s\n", o.steps_of,
				err[0] ? err : "not a measured calibration of this GPU");
			return 2;
		}
		t.nfidelity = 0;
		/* The file written names one samples file: the loaded entries' samples come
		 * back from theirs, so that it holds every entry the summary lists, not only
		 * what --only measured again. */
		if (t.format >= 2 && t.samples_file[0]) {
			calib_table fresh;
			char sp[8192];
			fgcal_samples_path(&t, sp, sizeof sp);
			if (fgcal_samples_load(sp, &t, &fresh, err, sizeof err)) {
				fprintf(stderr, "fgcal: --steps-of %s: %s\n", o.steps_of, err);
				return 2;
			}
			calib_kernel *k = t.kernels; /* swapped, so that calib_free(&fresh) frees the old */
			int nk = t.nkernels;
			size_t cap = t.kernels_cap;
			t.kernels = fresh.kernels, t.nkernels = fresh.nkernels, t.kernels_cap = fresh.kernels_cap;
			fresh.kernels = k, fresh.nkernels = nk, fresh.kernels_cap = cap;
			calib_free(&fresh);
		}
		printf("fgcal: whole steps against the kernels of %s (measured %s on %s)\n", o.steps_of, t.date, t.device_name);
		/* With --only, those kernels are measured again first and replace the file's. */
		if (o.only) {
			for (int i = 0; i < fgcal_plan_len; i++)
				if (only_match(o.only, fgcal_plan[i].name))
					drop_kernel(&t, fgcal_plan[i].name, fgcal_plan[i].shape);
			rc = run_plan(&t, &tm, &ctx, &o, deadline);
		}
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
		t.method.version = 2; /* FGCAL_METHOD_NAME; --steps-of keeps the file's own */
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
		rc = run_plan(&t, &tm, &ctx, &o, deadline);
		if (!rc)
			rc = write_table(&t, &o, sheet);
	}
	FILE *pred = o.predictions ? fopen(o.predictions, "w") : NULL;
	if (o.predictions && !pred)
		fprintf(stderr, "fgcal: %s: %s (no predictions written)\n", o.predictions, strerror(errno));
	fgcal_step_opts so = {o.profiles, o.step_samples, o.step_layers, o.graphs, o.crit.max_noise,
			      4 * o.crit.timeout_s, deadline, pred};
	if (!rc && (o.fidelity || o.steps_of) && !(rc = fgcal_run_steps(&t, &tm, &ctx, &so)))
		rc = write_table(&t, &o, sheet);
	if (pred)
		fclose(pred);
	if (steps_cfg)
		fclose(steps_cfg);
	calib_free(&t);
	fgcal_timer_free(&tm);
	fgcal_ctx_free(&ctx);
	free(sheets);
	return rc;
}
