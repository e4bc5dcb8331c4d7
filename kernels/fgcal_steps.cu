/* fgcal_steps.cu - whole steps as a model runs them, against the service model's sum of
 * their parts: layer by layer, each layer with its own weights and buffers (a 7B model's
 * layers all fit; of a 70B model as many as fit, or --step-layers, scaled by the layer
 * count), launch-bound steps replayed as CUDA graphs as serving stacks do, and beside the
 * total a per-entry time from events between the entries of one run. */
#include <libconfig.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dirent.h>
#include <errno.h>

extern "C" {
#include "service.h"
}
#include "fgcal_timing.cuh"

/* One launch group of a step: a job run reps times, from profile entry `entry`, in a
 * layer (scaled) or in the tail after the last layer (run once). */
struct item {
	fgcal_job *job;
	int reps, entry, tail;
};

struct step {
	int n, nitems, layers, distinct, slots;
	int count[2]; /* items in the layers and in the tail */
	double scale;
	item *items;
	fgcal_job **jobs; /* [distinct][n] layer jobs, then [n] tail-only jobs */
	cudaGraph_t g[2];
	cudaGraphExec_t x[2];
	cudaEvent_t mid;
};

/* The kernel a profile entry runs as: its own name at its shape, or the kernel it is
 * priced like; a bytes-only kernel (triad) is sized by the entry's bytes. w is how many
 * runs of that shape one invocation of the entry is (an entry with 2.5 times the FLOPs of
 * its proxy shape runs it 2.5 times). Returns 0, or -1 when it cannot run. */
static int proxy(const service_kernel *k, char *name, char *shape, double *w)
{
	const char *look = k->like[0] ? k->like : k->name;
	double f, b;
	snprintf(name, CALIB_NAME_MAX, "%s", look);
	if (k->shape[0] && !calib_kernel_cost(look, k->shape, &f, &b, NULL, NULL)) {
		snprintf(shape, CALIB_SHAPE_MAX, "%s", k->shape);
		double r = fmax(f > 0 ? k->flops / f : 0, b > 0 ? k->bytes / b : 0);
		*w = r > 0 ? r : 1;
		return 0;
	}
	if (!strcmp(look, "triad_fp32") && k->bytes >= 12) {
		/* Streaming work past 3 GiB (the 7B optimizer step's 189 GB) runs as several
		 * passes of a 3 GiB triad: far past any L2, the time per byte is the same. */
		double parts = ceil(k->bytes / 3221225472.0);
		snprintf(shape, CALIB_SHAPE_MAX, "%.0f", floor(k->bytes / 12 / parts));
		*w = parts;
		return 0;
	}
	return -1;
}

/* architecture.layers of a profile file, 0 when it has none (then the step is one block). */
static int profile_layers(const char *path)
{
	config_t cfg;
	int layers = 0;
	config_init(&cfg);
	if (config_read_file(&cfg, path))
		config_lookup_int(&cfg, "architecture.layers", &layers);
	config_destroy(&cfg);
	return layers > 0 ? layers : 0;
}

static int enqueue(step *s, int tail, cudaStream_t st, cudaEvent_t *ev, int capturing, char *err,
		   size_t errlen)
{
	for (int i = 0; i < s->nitems; i++) {
		const item *it = &s->items[i];
		if (it->tail != tail)
			continue;
		/* Inside a capture an event becomes a graph node only when it is external. */
		if (ev && capturing)
			cudaEventRecordWithFlags(ev[i], st, cudaEventRecordExternal);
		else if (ev)
			cudaEventRecord(ev[i], st);
		for (int r = 0; r < it->reps; r++)
			if (fgcal_job_run(it->job, err, errlen))
				return -1;
	}
	return 0;
}

/* One run of the step: start, the layers (a graph or launches), mid, the tail, stop.
 * Returns the step's seconds with the layers scaled to the model, or -1 with err. */
static double run_once(step *s, fgcal_timer *tm, fgcal_ctx *ctx, int graph, double *mhz, char *err,
		       size_t errlen)
{
	cudaStream_t st = ctx->stream;
	memset(tm->probe, 0, 4 * sizeof *tm->probe);
	fgcal_probe(tm, st, 0);
	cudaEventRecord(tm->start, st);
	if (graph ? s->x[0] && cudaGraphLaunch(s->x[0], st) != cudaSuccess
		  : enqueue(s, 0, st, NULL, 0, err, errlen))
		goto bad;
	cudaEventRecord(s->mid, st);
	if (graph ? s->x[1] && cudaGraphLaunch(s->x[1], st) != cudaSuccess
		  : enqueue(s, 1, st, NULL, 0, err, errlen))
		goto bad;
	cudaEventRecord(tm->stop, st);
	fgcal_probe(tm, st, 1);
	{
		float a = 0, b = 0;
		cudaError_t e = cudaStreamSynchronize(st);
		if (!e)
			e = cudaEventElapsedTime(&a, tm->start, s->mid);
		if (!e)
			e = cudaEventElapsedTime(&b, s->mid, tm->stop);
		if (e) {
			snprintf(err, errlen, "step: %s", cudaGetErrorString(e));
			return -1;
		}
		*mhz = fgcal_probe_mhz(tm);
		return (a * s->scale + b) * 1e-3;
	}
bad:
	if (!err[0])
		snprintf(err, errlen, "step: %s", cudaGetErrorString(cudaGetLastError()));
	cudaStreamSynchronize(st);
	return -1;
}

static int capture(step *s, int tail, cudaStream_t st, cudaEvent_t *ev, cudaGraph_t *g,
		   cudaGraphExec_t *x, char *err, size_t errlen)
{
	if (!s->count[tail]) /* nothing in this part: no graph, nothing to launch */
		return 0;
	if (cudaStreamBeginCapture(st, cudaStreamCaptureModeThreadLocal))
		return snprintf(err, errlen, "graph capture: %s",
				cudaGetErrorString(cudaGetLastError())),
		       -1;
	int rc = enqueue(s, tail, st, ev, 1, err, errlen);
	cudaError_t e = cudaStreamEndCapture(st, g);
	if (rc || e || cudaGraphInstantiate(x, *g, 0)) {
		if (!err[0])
			snprintf(err, errlen, "graph capture: %s",
				 cudaGetErrorString(e ? e : cudaGetLastError()));
		return -1;
	}
	return 0;
}

/* The per-entry times: one more run with an event before every item (captured into a
 * graph when the step is a graph, so launch gaps are not charged to entries). */
static int breakdown(step *s, const service_profile *p, fgcal_ctx *ctx, int graph,
		     fgcal_step_info *info, char *err, size_t errlen)
{
	int n = s->nitems, rc = 0;
	cudaEvent_t *ev = (cudaEvent_t *)calloc(n + 1, sizeof *ev);
	double *us = (double *)calloc(s->n, sizeof *us);
	cudaGraph_t g[2] = {};
	cudaGraphExec_t x[2] = {};
	if (!ev || !us)
		rc = -1;
	for (int i = 0; i <= n && !rc; i++)
		rc = cudaEventCreate(&ev[i]) ? -1 : 0;
	cudaStream_t st = ctx->stream;
	for (int tail = 0; tail < 2 && !rc; tail++)
		rc = graph ? capture(s, tail, st, ev, &g[tail], &x[tail], err, errlen) : 0;
	for (int tail = 0; tail < 2 && !rc; tail++)
		rc = graph ? (x[tail] && cudaGraphLaunch(x[tail], st) ? -1 : 0)
			   : enqueue(s, tail, st, ev, 0, err, errlen);
	if (!rc)
		cudaEventRecord(ev[n], st);
	if (!rc && cudaStreamSynchronize(st))
		rc = -1;
	/* Items run in order within each part, so item i ends where the next item of its
	 * part starts; the last of each part ends at the next part's first, or at ev[n]. */
	for (int i = 0; i < n && !rc; i++) {
		int next = n;
		for (int j = i + 1; j < n; j++)
			if (s->items[j].tail >= s->items[i].tail) {
				next = j;
				break;
			}
		float ms = 0;
		if (cudaEventElapsedTime(&ms, ev[i], ev[next]))
			rc = -1;
		us[s->items[i].entry] += ms * 1e3 * (s->items[i].tail ? 1 : s->scale);
	}
	if (!rc && (info->entries = (fgcal_entry_time *)calloc(s->n, sizeof *info->entries))) {
		info->nentries = s->n;
		for (int e = 0; e < s->n; e++) {
			const service_kernel *k = &p->kernels[e];
			snprintf(info->entries[e].kernel, sizeof info->entries[e].kernel, "%s",
				 k->name);
			snprintf(info->entries[e].shape, sizeof info->entries[e].shape, "%s",
				 k->shape);
			info->entries[e].us = us[e];
		}
	}
	if (rc && !err[0])
		snprintf(err, errlen, "per-entry events: %s",
			 cudaGetErrorString(cudaGetLastError()));
	for (int i = 0; i < 2; i++) {
		if (x[i])
			cudaGraphExecDestroy(x[i]);
		if (g[i])
			cudaGraphDestroy(g[i]);
	}
	for (int i = 0; ev && i <= n; i++)
		if (ev[i])
			cudaEventDestroy(ev[i]);
	free(ev);
	free(us);
	return rc;
}

static void step_free(step *s)
{
	int total = s->slots;
	for (int i = 0; s->jobs && i < total; i++) {
		int first = 1;
		for (int j = 0; j < i && first; j++)
			first = s->jobs[j] != s->jobs[i];
		if (s->jobs[i] && first)
			fgcal_job_free(s->jobs[i]);
	}
	for (int i = 0; i < 2; i++) {
		if (s->x[i])
			cudaGraphExecDestroy(s->x[i]);
		if (s->g[i])
			cudaGraphDestroy(s->g[i]);
	}
	if (s->mid)
		cudaEventDestroy(s->mid);
	free(s->jobs);
	free(s->items);
}

static int is_oom(const char *err)
{
	return cudaGetLastError() == cudaErrorMemoryAllocation || strstr(err, "out of memory") ||
	       strstr(err, "memory allocation");
}

static int time_profile(calib_table *t, fgcal_timer *tm, fgcal_ctx *ctx, const char *path,
			const fgcal_step_opts *o)
{
	char err[1024] = "";
	service_profile p;
	if (service_profile_load(&p, path, err, sizeof err)) {
		fprintf(stderr, "fgcal: %s\n", err);
		return 1;
	}
	service_model m;
	const calib_table *tp = t;
	if (service_init(&m, &p, &tp, 1, err, sizeof err)) {
		fprintf(stderr, "fgcal: fidelity %s: %s\n", p.name, err);
		service_profile_free(&p);
		return 1;
	}
	double predicted = m.gpu[0].step_us;
	service_free(&m);
	if (o->predictions)
		fprintf(o->predictions, "%s\t%.17g\n", p.name, predicted);

	step s;
	memset(&s, 0, sizeof s);
	s.n = p.nkernels;
	s.layers = profile_layers(path);
	int n = s.n, rc = 0, L = s.layers > 0 ? s.layers : 1;
	char(*names)[CALIB_NAME_MAX] = (char(*)[CALIB_NAME_MAX])calloc(n, CALIB_NAME_MAX);
	char(*shapes)[CALIB_SHAPE_MAX] = (char(*)[CALIB_SHAPE_MAX])calloc(n, CALIB_SHAPE_MAX);
	int *per = (int *)calloc(n, sizeof *per), *tail = (int *)calloc(n, sizeof *tail);
	s.slots = (L + 1) * n;
	s.jobs = (fgcal_job **)calloc((size_t)s.slots, sizeof *s.jobs);
	s.items = (item *)calloc((size_t)(L + 1) * n, sizeof *s.items);
	fgcal_step_info info;
	memset(&info, 0, sizeof info);
	size_t free0 = 0, free1 = 0, total = 0;
	if (!names || !shapes || !per || !tail || !s.jobs || !s.items) {
		fprintf(stderr, "fgcal: out of memory\n");
		rc = 1;
		goto out;
	}
	for (int e = 0; e < n; e++) {
		double w, pl, tl;
		if (proxy(&p.kernels[e], names[e], shapes[e], &w)) {
			printf("fidelity %-20s skipped: %s (%s:%d) has no kernel to run\n", p.name,
			       p.kernels[e].name, path, p.kernels[e].line);
			goto out;
		}
		fgcal_split_count(p.kernels[e].count, s.layers, &pl, &tl);
		per[e] = (int)lround(pl * w);
		tail[e] = (int)lround(tl * w);
	}
	{
		int est_d = o->max_layers > 0 && o->max_layers < L ? o->max_layers : L;
		double est_s = (o->min_samples + 3) * predicted * 1e-6 * est_d / L;
		if (o->deadline > 0 && fgcal_now_s() + est_s > o->deadline) {
			printf("fidelity %-20s skipped: about %.0f s, past the time budget\n",
			       p.name, est_s);
			goto out;
		}
	}
	/* Layer 0 first, to learn what a layer takes; then as many distinct layers as fit. */
	cudaMemGetInfo(&free0, &total);
	for (int l = 0; l < L && !rc; l++) {
		if (l == 1) {
			cudaMemGetInfo(&free1, &total);
			double reserve = 2e9 + 0.05 * (double)total;
			s.distinct = fgcal_layers_plan(L, (double)(free0 - free1),
						       (double)free1 + (double)(free0 - free1),
						       reserve, o->max_layers, &s.scale);
			if (s.distinct <= 1)
				break;
		}
		if (l > 0 && l >= s.distinct)
			break;
		for (int e = 0; e < n && !rc; e++) {
			if (!per[e])
				continue;
			fgcal_job *j = fgcal_job_create(ctx, names[e], shapes[e], err, sizeof err);
			if (!j) {
				if (l > 0 &&
				    is_oom(err)) { /* fewer layers than planned fit: scale those */
					s.distinct = l;
					s.scale = (double)L / l;
					err[0] = 0;
					goto layers_done;
				}
				printf("fidelity %-20s skipped: %s %s: %s\n", p.name, names[e],
				       shapes[e], err);
				rc = is_oom(err) ? -1 : 1;
				break;
			}
			s.jobs[(size_t)l * n + e] = j;
		}
		if (l == 0)
			s.distinct = 1, s.scale = L;
	}
layers_done:
	if (s.layers < 1)
		s.distinct = 1, s.scale = 1;
	for (int e = 0; e < n && !rc;
	     e++) { /* the tail reuses layer 0's instance where there is one */
		if (!tail[e])
			continue;
		fgcal_job **tj = &s.jobs[(size_t)L * n + e];
		*tj = per[e] ? s.jobs[e]
			     : fgcal_job_create(ctx, names[e], shapes[e], err, sizeof err);
		if (!*tj) {
			printf("fidelity %-20s skipped: %s %s: %s\n", p.name, names[e], shapes[e],
			       err);
			rc = is_oom(err) ? -1 : 1;
		}
	}
	if (rc)
		goto out;
	{
		double launches = 0;
		for (int l = 0; l < s.distinct; l++)
			for (int e = 0; e < n; e++)
				if (per[e])
					s.items[s.nitems++] = {s.jobs[(size_t)l * n + e], per[e],
							       e, 0},
					s.count[0]++;
		for (int e = 0; e < n; e++)
			if (tail[e])
				s.items[s.nitems++] = {s.jobs[(size_t)L * n + e], tail[e], e, 1},
				s.count[1]++;
		for (int e = 0; e < n; e++)
			launches += (per[e] * (double)L + tail[e]) *
				    calib_kernel_launches(names[e]);
		int graph = o->graphs && fgcal_step_use_graph(predicted, launches);
		if (cudaEventCreate(&s.mid) ||
		    (graph &&
		     (capture(&s, 0, ctx->stream, NULL, &s.g[0], &s.x[0], err, sizeof err) ||
		      capture(&s, 1, ctx->stream, NULL, &s.g[1], &s.x[1], err, sizeof err)))) {
			fprintf(stderr, "fgcal: fidelity %s: %s\n", p.name, err);
			rc = 1;
			goto out;
		}
		/* Warm and unblocked, as a job runs: a warm-up run, then min_samples at least,
		 * under a limit long enough for them (the 62 s 70B step had one, unrecorded). */
		double run_us = predicted * s.distinct / L;
		fgcal_criteria c = {o->min_samples, 0.0, o->max_noise,
				    fgcal_step_timeout_s(run_us, o->min_samples, o->timeout_s)};
		fgcal_stopper stp;
		fgcal_stopper_init(&stp, &c);
		int cap = 16, ns = 0;
		double *us = (double *)malloc(cap * sizeof *us),
		       *mhz = (double *)malloc(cap * sizeof *mhz), clk;
		double t0 = 0;
		for (int k = -1; us && mhz; k++) {
			double sec = run_once(&s, tm, ctx, graph, &clk, err, sizeof err);
			if (sec < 0) {
				fprintf(stderr, "fgcal: fidelity %s: %s\n", p.name, err);
				rc = 1;
				break;
			}
			if (k < 0) { /* the warm-up */
				t0 = fgcal_now_s();
				continue;
			}
			if (ns == cap) {
				cap *= 2;
				us = (double *)realloc(us, cap * sizeof *us);
				mhz = (double *)realloc(mhz, cap * sizeof *mhz);
				if (!us || !mhz)
					break;
			}
			us[ns] = sec * 1e6;
			mhz[ns++] = clk;
			fgcal_stopper_add(&stp, sec);
			if (fgcal_stopper_verdict(&stp, fgcal_now_s() - t0) != FGCAL_GO_ON)
				break;
		}
		if (!rc && (!us || !mhz)) {
			fprintf(stderr, "fgcal: out of memory\n");
			rc = 1;
		}
		if (!rc && breakdown(&s, &p, ctx, graph, &info, err, sizeof err)) {
			fprintf(stderr, "fgcal: fidelity %s: %s\n", p.name, err);
			rc = 1;
		}
		if (!rc) {
			fgcal_summary sum;
			fgcal_clocks ck;
			fgcal_summarise(us, ns, &sum);
			fgcal_clocks_mark(mhz, ns, tm->max_mhz, FGCAL_THROTTLE_THRESHOLD, NULL,
					  &ck);
			info.n = ns;
			info.layers = s.layers;
			info.distinct = s.distinct;
			info.scale = s.scale;
			info.graph = graph;
			info.mean_mhz = ck.mean_mhz;
			info.throttled = ck.throttled;
			calib_fidelity f;
			memset(&f, 0, sizeof f);
			snprintf(f.profile, sizeof f.profile, "%s", p.name);
			f.predicted_us = predicted;
			f.measured_us = sum.median;
			f.error = f.measured_us / f.predicted_us - 1;
			double parts = 0;
			for (int e = 0; e < info.nentries; e++)
				parts += info.entries[e].us;
			printf("fidelity %-20s step measured %12.1f us, predicted %12.1f us, "
			       "error %+6.1f%%%s\n"
			       "         %-20s n=%d, %d of %d layers (x%.3g), %s, "
			       "entries sum to %.1f us, clock %.0f MHz, "
			       "%d throttled\n",
			       p.name, f.measured_us, f.predicted_us, 100 * f.error,
			       fabs(f.error) < 0.05 ? "" : "  (over 5%)", "", ns, s.distinct,
			       s.layers, s.scale, graph ? "CUDA graph" : "launched", parts,
			       ck.mean_mhz, ck.throttled);
			for (int e = 0; e < info.nentries; e++)
				printf("         %-20s   %-22s %-18s %12.1f us\n", "",
				       info.entries[e].kernel, info.entries[e].shape,
				       info.entries[e].us);
			fflush(stdout);
			rc = fgcal_record_step(t, &f, &info) ? 1 : 0;
		}
		free(us);
		free(mhz);
	}
out:
	step_free(&s);
	free(info.entries);
	free(names);
	free(shapes);
	free(per);
	free(tail);
	service_profile_free(&p);
	return rc > 0 ? 1 : 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int fgcal_run_steps(calib_table *t, fgcal_timer *tm, fgcal_ctx *ctx, const fgcal_step_opts *o)
{
	DIR *d = opendir(o->profiles);
	if (!d) {
		fprintf(stderr, "fgcal: %s: %s (no whole steps timed)\n", o->profiles,
			strerror(errno));
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
