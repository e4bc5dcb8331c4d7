/* calib_load.c - reading and checking calibration files (format 2: a summary per entry;
 * format 1: every raw sample inline, still read). The checks exist so that a file can
 * never pass off a derived number as a measured one, nor a summary that its own
 * numbers contradict. */
#include "calibration.h"
#include "cfgfile.h"

#include <errno.h>
#include <inttypes.h>
#include <libconfig.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct reader {
	cfgfile_reader in; /* the file's name and where errors go */
	calib_table *t;
} reader;

static const char *const top_keys[] = {"format", "gpu", "measured", "derived_from", "derivation", "date",
	"device", "peaks", "method", "samples_file", "kernels", "fidelity", "reference", NULL};
static const char *const device_keys[] = {"name", "driver", "cuda_runtime", "compute_capability", "sm_count",
	"sm_clock_mhz", "mem_clock_mhz", "l2_bytes", "memory_bytes", NULL};
static const char *const peak_keys[] = {"tensor_tflops", "tensor_source", "fp32_tflops", "fp32_source", "mem_gbs",
	"mem_source", "pcie_gbs", "pcie_source", "memory_gb", "memory_source", NULL};
static const char *const method_keys[] = {"warmup_runs", "min_samples", "min_time_s", "max_noise", "timeout_s",
	"l2_flush", "version", NULL};
/* tflops, gbs and frac_peak are written for the reader's eye and recomputed, not read. */
static const char *const kernel_keys_v1[] = {"name", "shape", "unit", "flops", "bytes", "samples", "raw_us",
	"median_us", "p10_us", "p90_us", "noise", "stop", "time_source", "tflops", "gbs", "frac_peak", NULL};
static const char *const kernel_keys[] = {"name", "shape", "unit", "flops", "bytes", "samples", "mean_us",
	"sd_us", "median_us", "p10_us", "p90_us", "min_us", "max_us", "noise", "stop", "clock_mhz", "throttled",
	"quantiles_us", "checksum", "time_source", "tflops", "gbs", "frac_peak", NULL};
static const char *const fidelity_keys[] = {"profile", "predicted_us", "measured_us", "error", "entries", NULL};
static const char *const entry_keys[] = {"kernel", "shape", "us", NULL};
static const char *const reference_keys[] = {"profile", "framework", "measured_us", "predicted_us", "error",
	"note", NULL};

static int get_number(reader *R, const config_setting_t *s, double *out)
{
	char what[160];
	int t = config_setting_type(s);
	if (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64)
		*out = (double)config_setting_get_int64(s);
	else if (t == CONFIG_TYPE_FLOAT)
		*out = config_setting_get_float(s);
	else
		return cfgfile_fail(&R->in, s, "%s must be a number", cfgfile_label(s, what, sizeof what));
	if (!isfinite(*out))
		return cfgfile_fail(&R->in, s, "%s must be finite", cfgfile_label(s, what, sizeof what));
	return 0;
}

/* An optional number >= lo: absent leaves *out as it is. */
static int opt_number(reader *R, const config_setting_t *g, const char *key, double lo, double *out)
{
	const config_setting_t *s = config_setting_get_member(g, key);
	if (!s)
		return 0;
	if (get_number(R, s, out))
		return 2;
	if (*out < lo)
		return cfgfile_fail(&R->in, s, "\"%s\" = %g must be at least %g", key, *out, lo);
	return 0;
}

static int load_device(reader *R, const config_setting_t *g)
{
	calib_table *t = R->t;
	double sm = 0;
	if (!g)
		return 0;
	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return cfgfile_fail(&R->in, g, "device must be a group { name = ...; ... }");
	if (cfgfile_check_keys(&R->in, g, device_keys) || cfgfile_string(&R->in, g, "name", t->device_name, sizeof t->device_name, 0) ||
	    cfgfile_string(&R->in, g, "driver", t->driver, sizeof t->driver, 0) ||
	    cfgfile_string(&R->in, g, "cuda_runtime", t->cuda_runtime, sizeof t->cuda_runtime, 0) ||
	    cfgfile_string(&R->in, g, "compute_capability", t->compute_capability, sizeof t->compute_capability, 0) ||
	    opt_number(R, g, "sm_count", 0, &sm) || opt_number(R, g, "sm_clock_mhz", 0, &t->sm_clock_mhz) ||
	    opt_number(R, g, "mem_clock_mhz", 0, &t->mem_clock_mhz) || opt_number(R, g, "l2_bytes", 0, &t->l2_bytes) ||
	    opt_number(R, g, "memory_bytes", 0, &t->memory_bytes))
		return 2;
	t->sm_count = (int)sm;
	return 0;
}

static int load_peaks(reader *R, const config_setting_t *g, const config_setting_t *root)
{
	calib_peaks *p = &R->t->peaks;
	if (!g)
		return cfgfile_fail(&R->in, root, "missing group \"peaks\" (the datasheet figures, each with its source)");
	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return cfgfile_fail(&R->in, g, "peaks must be a group { tensor_tflops = ...; tensor_source = \"...\"; ... }");
	if (cfgfile_check_keys(&R->in, g, peak_keys) || opt_number(R, g, "tensor_tflops", 0, &p->tensor_tflops) ||
	    opt_number(R, g, "fp32_tflops", 0, &p->fp32_tflops) || opt_number(R, g, "mem_gbs", 0, &p->mem_gbs) ||
	    opt_number(R, g, "pcie_gbs", 0, &p->pcie_gbs) || opt_number(R, g, "memory_gb", 0, &p->memory_gb) ||
	    cfgfile_string(&R->in, g, "tensor_source", p->tensor_source, sizeof p->tensor_source, 0) ||
	    cfgfile_string(&R->in, g, "fp32_source", p->fp32_source, sizeof p->fp32_source, 0) ||
	    cfgfile_string(&R->in, g, "mem_source", p->mem_source, sizeof p->mem_source, 0) ||
	    cfgfile_string(&R->in, g, "pcie_source", p->pcie_source, sizeof p->pcie_source, 0) ||
	    cfgfile_string(&R->in, g, "memory_source", p->memory_source, sizeof p->memory_source, 0))
		return 2;
	if (!(p->tensor_tflops > 0 && p->mem_gbs > 0))
		return cfgfile_fail(&R->in, g, "peaks needs tensor_tflops and mem_gbs above 0");
	/* A figure without its source is how guesses end up looking like facts. */
	const struct {
		double v;
		const char *src, *key;
	} need[] = {{p->tensor_tflops, p->tensor_source, "tensor_source"}, {p->fp32_tflops, p->fp32_source, "fp32_source"},
		    {p->mem_gbs, p->mem_source, "mem_source"}, {p->pcie_gbs, p->pcie_source, "pcie_source"},
		    {p->memory_gb, p->memory_source, "memory_source"}};
	for (size_t i = 0; i < sizeof need / sizeof *need; i++)
		if (need[i].v > 0 && !need[i].src[0])
			return cfgfile_fail(&R->in, g, "peaks: a figure needs its source: missing \"%s\"", need[i].key);
	return 0;
}

static int load_method(reader *R, const config_setting_t *g)
{
	calib_method *m = &R->t->method;
	double warm = 0, mins = 0;
	m->version = 1;
	if (!g)
		return 0;
	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return cfgfile_fail(&R->in, g, "method must be a group");
	if (cfgfile_check_keys(&R->in, g, method_keys) || opt_number(R, g, "warmup_runs", 0, &warm) ||
	    opt_number(R, g, "min_samples", 0, &mins) || opt_number(R, g, "min_time_s", 0, &m->min_time_s) ||
	    opt_number(R, g, "max_noise", 0, &m->max_noise) || opt_number(R, g, "timeout_s", 0, &m->timeout_s))
		return 2;
	m->warmup_runs = (int)warm;
	m->min_samples = (int)mins;
	const config_setting_t *s = config_setting_get_member(g, "l2_flush");
	if (s) {
		if (config_setting_type(s) != CONFIG_TYPE_BOOL)
			return cfgfile_fail(&R->in, s, "l2_flush must be true or false");
		m->l2_flush = config_setting_get_bool(s);
	}
	/* absent: a file measured before the method had versions, which is version 1 */
	double version = 1;
	if (opt_number(R, g, "version", 1, &version))
		return 2;
	if (version != floor(version) || version > 2)
		return cfgfile_fail(&R->in, config_setting_get_member(g, "version"),
				    "method version = %g is not one fgcal has used (1 or 2)", version);
	m->version = (int)version;
	return 0;
}

/* |a - b| within a relative 1e-6: the cost fields are printed with 10 digits. */
static int same(double a, double b)
{
	return fabs(a - b) <= 1e-6 * fmax(fabs(a), fabs(b)) + 1e-9;
}

/* A required number >= lo. */
static int req_number(reader *R, const config_setting_t *g, const char *key, double lo, double *out)
{
	if (!config_setting_get_member(g, key))
		return cfgfile_fail(&R->in, g, "missing key \"%s\"", key);
	return opt_number(R, g, key, lo, out);
}

/* A format-2 entry's summary of its samples. Each figure must be one its samples could
 * give (ordered quantiles, the mean between the extremes, the sketch's ends the extremes):
 * a hand-edited number fails here, and a changed sample fails the test that recomputes
 * the summary from the samples file. Returns 0, or 2 after a FILE:LINE message. */
static int load_summary(reader *R, const config_setting_t *g, calib_kernel *k)
{
	const config_setting_t *s;
	double thr = -1;
	k->throttled = -1;
	if (req_number(R, g, "mean_us", 0, &k->mean_us) || req_number(R, g, "sd_us", 0, &k->sd_us) ||
	    req_number(R, g, "min_us", 0, &k->min_us) || req_number(R, g, "max_us", 0, &k->max_us) ||
	    opt_number(R, g, "clock_mhz", 0, &k->clock_mhz) || opt_number(R, g, "throttled", 0, &thr))
		return 2;
	if ((s = config_setting_get_member(g, "throttled"))) {
		if (thr != floor(thr) || thr > k->nsamples)
			return cfgfile_fail(&R->in, s, "throttled = %g must be a whole number of samples, at most %d", thr,
					    k->nsamples);
		k->throttled = (int)thr;
	}
	if (!(k->min_us > 0 && k->min_us <= k->p10_us && k->p90_us <= k->max_us && k->mean_us >= k->min_us &&
	      k->mean_us <= k->max_us))
		return cfgfile_fail(&R->in, g, "%s %s: min_us <= p10_us, p90_us <= max_us and min_us <= mean_us <= max_us do "
				    "not all hold", k->name, k->shape);
	s = config_setting_get_member(g, "quantiles_us");
	if (!s || !config_setting_is_array(s) || config_setting_length(s) != CALIB_SKETCH_N)
		return cfgfile_fail(&R->in, s ? s : g, "%s %s needs quantiles_us, %d numbers (0, 5, ..., 100%%)", k->name,
				    k->shape, CALIB_SKETCH_N);
	for (int i = 0; i < CALIB_SKETCH_N; i++) {
		const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
		if (get_number(R, e, &k->q_us[i]))
			return 2;
		if (i && k->q_us[i] < k->q_us[i - 1])
			return cfgfile_fail(&R->in, e, "quantiles_us must not decrease (%g after %g)", k->q_us[i],
					    k->q_us[i - 1]);
	}
	if (k->q_us[0] != k->min_us || k->q_us[CALIB_SKETCH_N - 1] != k->max_us)
		return cfgfile_fail(&R->in, s, "quantiles_us must run from min_us to max_us");
	char sum[40] = "";
	if (cfgfile_string(&R->in, g, "checksum", sum, sizeof sum, 1))
		return 2;
	char *end = NULL;
	if (strncmp(sum, "fnv1a64:", 8) || strlen(sum) != 24 ||
	    (errno = 0, k->checksum = strtoull(sum + 8, &end, 16), errno || *end))
		return cfgfile_fail(&R->in, config_setting_get_member(g, "checksum"),
				    "checksum must be \"fnv1a64:\" and 16 hex digits, got \"%s\"", sum);
	return 0;
}

/* One kernels entry into *k and its raw samples into *raw (the caller keeps them even
 * on failure, so calib_free frees what was read). Returns 0, or 2 after a FILE:LINE
 * message. A known kernel's flops and bytes are recomputed from its shape and must
 * match: a hand-edited cost would otherwise change every prediction silently. */
static int load_kernel(reader *R, const config_setting_t *g, calib_kernel *k, double **raw)
{
	calib_table *t = R->t;
	const config_setting_t *s;
	const char *syntax = NULL;
	*raw = NULL;
	memset(k, 0, sizeof *k);
	k->line = (int)config_setting_source_line(g);
	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return cfgfile_fail(&R->in, g, "a kernel must be a group { name = ...; shape = ...; ... }");
	if (cfgfile_check_keys(&R->in, g, t->format == 1 ? kernel_keys_v1 : kernel_keys) ||
	    cfgfile_string(&R->in, g, "name", k->name, sizeof k->name, 1) ||
	    cfgfile_string(&R->in, g, "shape", k->shape, sizeof k->shape, 1))
		return 2;
	double flops = NAN, bytes = NAN;
	calib_unit unit = CALIB_UNIT_MEM;
	int rc = calib_kernel_cost(k->name, k->shape, &flops, &bytes, &unit, &syntax);
	if (rc == -2)
		return cfgfile_fail(&R->in, config_setting_get_member(g, "shape"), "shape \"%s\" does not fit %s (expected %s)",
			    k->shape, k->name, syntax);
	int known = rc == 0;
	char ustr[16] = "";
	if (cfgfile_string(&R->in, g, "unit", ustr, sizeof ustr, !known))
		return 2;
	if (ustr[0]) {
		int u = calib_unit_parse(ustr);
		if (u < 0)
			return cfgfile_fail(&R->in, config_setting_get_member(g, "unit"), "unknown unit \"%s\" (tensor, fp32, mem, pcie or launch)", ustr);
		if (known && (calib_unit)u != unit)
			return cfgfile_fail(&R->in, config_setting_get_member(g, "unit"), "%s runs on \"%s\", not \"%s\"", k->name,
				    calib_unit_name(unit), ustr);
		unit = (calib_unit)u;
	}
	k->unit = unit;
	k->flops = flops;
	k->bytes = bytes;
	if (opt_number(R, g, "flops", 0, &k->flops) || opt_number(R, g, "bytes", 0, &k->bytes))
		return 2;
	if (!known && (isnan(k->flops) || isnan(k->bytes)))
		return cfgfile_fail(&R->in, g, "kernel \"%s\" is not one fgcal knows: give its flops and bytes", k->name);
	if (known && !same(k->flops, flops))
		return cfgfile_fail(&R->in, config_setting_get_member(g, "flops"), "flops = %.10g does not match %s %s (expected %.10g)",
			    k->flops, k->name, k->shape, flops);
	if (known && !same(k->bytes, bytes))
		return cfgfile_fail(&R->in, config_setting_get_member(g, "bytes"), "bytes = %.10g does not match %s %s (expected %.10g)",
			    k->bytes, k->name, k->shape, bytes);

	double n = 0;
	if (!(s = config_setting_get_member(g, "samples")))
		return cfgfile_fail(&R->in, g, "missing key \"samples\" (the number of raw samples; 0 when derived)");
	if (get_number(R, s, &n))
		return 2;
	/* 1e7: far beyond any sampling fgcal does, and within int before the cast */
	if (n < 0 || n != floor(n) || n > 1e7)
		return cfgfile_fail(&R->in, s, "samples must be a whole number of samples");
	k->nsamples = (int)n;
	const config_setting_t *rs = config_setting_get_member(g, "raw_us");
	int nraw = rs ? config_setting_length(rs) : 0;
	if (rs && !config_setting_is_array(rs) && !config_setting_is_list(rs))
		return cfgfile_fail(&R->in, rs, "raw_us must be an array of microseconds [ 1.0, 2.0, ... ]");
	if (t->measured && k->nsamples < 1)
		return cfgfile_fail(&R->in, s, "a measured file needs samples for %s %s", k->name, k->shape);
	if (!t->measured && (k->nsamples || nraw))
		return cfgfile_fail(&R->in, s, "%s %s has samples, but this file is not measured (measured = false): derived "
			    "numbers must not look measured", k->name, k->shape);
	if (t->format == 1 && nraw != k->nsamples)
		return cfgfile_fail(&R->in, rs ? rs : s, "samples = %d but raw_us holds %d values", k->nsamples, nraw);
	if (nraw) {
		if (!(*raw = malloc((size_t)nraw * sizeof **raw)))
			return cfgfile_fail(&R->in, rs, "out of memory");
		for (int i = 0; i < nraw; i++) {
			const config_setting_t *e = config_setting_get_elem(rs, (unsigned)i);
			if (get_number(R, e, &(*raw)[i]))
				return 2;
			if (!((*raw)[i] > 0))
				return cfgfile_fail(&R->in, e, "raw sample %d must be a positive time", i + 1);
		}
	}
	k->median_us = k->p10_us = k->p90_us = NAN;
	if (opt_number(R, g, "median_us", 0, &k->median_us) || opt_number(R, g, "p10_us", 0, &k->p10_us) ||
	    opt_number(R, g, "p90_us", 0, &k->p90_us) || opt_number(R, g, "noise", 0, &k->noise))
		return 2;
	if (!(k->median_us > 0 && k->p10_us > 0 && k->p90_us > 0))
		return cfgfile_fail(&R->in, g, "%s %s needs median_us, p10_us and p90_us above 0", k->name, k->shape);
	if (!(k->p10_us <= k->median_us && k->median_us <= k->p90_us))
		return cfgfile_fail(&R->in, g, "%s %s: p10_us <= median_us <= p90_us does not hold (%g, %g, %g)", k->name, k->shape,
			    k->p10_us, k->median_us, k->p90_us);
	/* a median outside its own samples cannot have come from them: an edited number */
	if (nraw) {
		double lo = INFINITY, hi = 0;
		for (int i = 0; i < nraw; i++)
			lo = fmin(lo, (*raw)[i]), hi = fmax(hi, (*raw)[i]);
		if (k->median_us < lo || k->median_us > hi)
			return cfgfile_fail(&R->in, g, "%s %s: median_us = %g lies outside its raw samples [%g, %g]", k->name, k->shape,
				    k->median_us, lo, hi);
	}
	if (t->format >= 2 && k->nsamples && load_summary(R, g, k))
		return 2;
	if (cfgfile_string(&R->in, g, "stop", k->stop, sizeof k->stop, 1) ||
	    cfgfile_string(&R->in, g, "time_source", k->time_source, sizeof k->time_source, 1))
		return 2;
	/* A measured file says why sampling ended and a derived one says "derived": the
	 * stop reason is how a reader tells a timing from an estimate. */
	static const char *const measured_stops[] = {"noise", "converged", "timeout", NULL};
	if (t->measured) {
		int ok = 0;
		for (const char *const *p = measured_stops; *p; p++)
			ok |= !strcmp(*p, k->stop);
		if (!ok)
			return cfgfile_fail(&R->in, config_setting_get_member(g, "stop"), "stop must say why sampling ended: "
				    "\"noise\", \"converged\" or \"timeout\", got \"%s\"", k->stop);
	} else if (strcmp(k->stop, "derived")) {
		return cfgfile_fail(&R->in, config_setting_get_member(g, "stop"), "stop must be \"derived\" in a file that is not measured");
	}
	if (!t->measured && !strcmp(k->time_source, "measured"))
		return cfgfile_fail(&R->in, config_setting_get_member(g, "time_source"), "time_source says \"measured\" in a file that is not");
	return 0;
}

static int load_kernels(reader *R, const config_setting_t *list, const config_setting_t *root)
{
	calib_table *t = R->t;
	if (!list)
		return cfgfile_fail(&R->in, root, "missing list \"kernels\"");
	if (!config_setting_is_list(list) || config_setting_length(list) < 1)
		return cfgfile_fail(&R->in, list, "kernels must be a non-empty list ( { name = ...; }, ... )");
	int n = config_setting_length(list);
	if (!(t->kernels = calloc((size_t)n, sizeof *t->kernels)))
		return cfgfile_fail(&R->in, list, "out of memory");
	t->kernels_cap = (size_t)n;
	for (int i = 0; i < n; i++) {
		const config_setting_t *g = config_setting_get_elem(list, (unsigned)i);
		calib_kernel *k = &t->kernels[i];
		double *raw = NULL;
		int rc = load_kernel(R, g, k, &raw);
		/* counted before the check, so calib_free frees this entry's samples too */
		k->raw_us = raw;
		t->nkernels = i + 1;
		if (rc)
			return rc;
		if (raw) {
			/* A format-1 file: its own median, p10, p90 and noise are what it says; the
			 * rest of the summary (mean, sd, sketch, checksum) from its samples. */
			calib_kernel said = *k;
			if (calib_kernel_summarise(t, k))
				return cfgfile_fail(&R->in, g, "out of memory");
			k->median_us = said.median_us, k->p10_us = said.p10_us, k->p90_us = said.p90_us;
			k->noise = said.noise;
		}
		for (int j = 0; j < i; j++)
			if (!strcmp(t->kernels[j].name, k->name) && !strcmp(t->kernels[j].shape, k->shape))
				return cfgfile_fail(&R->in, g, "%s %s is listed twice (first at line %d)", k->name, k->shape,
					    t->kernels[j].line);
	}
	return 0;
}

/* A fidelity row's per-entry breakdown: entries = ( { kernel; shape; us; }, ... ). */
static int load_entries(reader *R, const config_setting_t *list, calib_fidelity *f)
{
	if (!list)
		return 0;
	if (!config_setting_is_list(list))
		return cfgfile_fail(&R->in, list, "entries must be a list ( { kernel = ...; shape = ...; us = ...; }, ... )");
	int n = config_setting_length(list);
	if (n && !(f->entries = calloc((size_t)n, sizeof *f->entries)))
		return cfgfile_fail(&R->in, list, "out of memory");
	for (int i = 0; i < n; i++) {
		const config_setting_t *g = config_setting_get_elem(list, (unsigned)i);
		calib_step_entry *e = &f->entries[i];
		if (config_setting_type(g) != CONFIG_TYPE_GROUP)
			return cfgfile_fail(&R->in, g, "an entry must be a group { kernel = ...; shape = ...; us = ...; }");
		e->us = NAN;
		if (cfgfile_check_keys(&R->in, g, entry_keys) ||
		    cfgfile_string(&R->in, g, "kernel", e->kernel, sizeof e->kernel, 1) ||
		    cfgfile_string(&R->in, g, "shape", e->shape, sizeof e->shape, 0) || req_number(R, g, "us", 0, &e->us))
			return 2;
		f->nentries = i + 1;
	}
	return 0;
}

/* Allocates n zeroed rows of size `size` for a list; NULL and 0 for an empty one. */
static int alloc_rows(reader *R, const config_setting_t *list, size_t size, void **rows)
{
	int n = config_setting_length(list);
	*rows = NULL;
	if (n && !(*rows = calloc((size_t)n, size)))
		return cfgfile_fail(&R->in, list, "out of memory");
	return 0;
}

static int load_fidelity(reader *R, const config_setting_t *list)
{
	calib_table *t = R->t;
	if (!list)
		return 0;
	if (!config_setting_is_list(list))
		return cfgfile_fail(&R->in, list, "fidelity must be a list ( { profile = ...; }, ... )");
	int n = config_setting_length(list);
	if (alloc_rows(R, list, sizeof *t->fidelity, (void **)&t->fidelity))
		return 2;
	t->fidelity_cap = (size_t)n;
	for (int i = 0; i < n; i++) {
		const config_setting_t *g = config_setting_get_elem(list, (unsigned)i);
		calib_fidelity *f = &t->fidelity[i];
		f->line = (int)config_setting_source_line(g);
		t->nfidelity = i + 1; /* counted first, so calib_free frees its entries */
		if (config_setting_type(g) != CONFIG_TYPE_GROUP)
			return cfgfile_fail(&R->in, g, "a fidelity row must be a group");
		if (cfgfile_check_keys(&R->in, g, fidelity_keys) || cfgfile_string(&R->in, g, "profile", f->profile, sizeof f->profile, 1) ||
		    opt_number(R, g, "predicted_us", 0, &f->predicted_us) ||
		    opt_number(R, g, "measured_us", 0, &f->measured_us) ||
		    load_entries(R, config_setting_get_member(g, "entries"), f))
			return 2;
		f->error = f->predicted_us > 0 ? f->measured_us / f->predicted_us - 1 : NAN;
	}
	return 0;
}

/* reference = ( { profile; framework; measured_us; predicted_us; error; }, ... ): a row
 * either has both times (error, if given, must be what they make) or a note saying why
 * the profile has no counterpart in the framework. */
static int load_reference(reader *R, const config_setting_t *list)
{
	calib_table *t = R->t;
	if (!list)
		return 0;
	if (!config_setting_is_list(list))
		return cfgfile_fail(&R->in, list, "reference must be a list ( { profile = ...; framework = ...; }, ... )");
	int n = config_setting_length(list);
	if (alloc_rows(R, list, sizeof *t->reference, (void **)&t->reference))
		return 2;
	t->reference_cap = (size_t)n;
	for (int i = 0; i < n; i++) {
		const config_setting_t *g = config_setting_get_elem(list, (unsigned)i), *s;
		calib_reference *r = &t->reference[i];
		r->line = (int)config_setting_source_line(g);
		if (config_setting_type(g) != CONFIG_TYPE_GROUP)
			return cfgfile_fail(&R->in, g, "a reference row must be a group { profile = ...; framework = ...; }");
		double err = NAN;
		if (cfgfile_check_keys(&R->in, g, reference_keys) ||
		    cfgfile_string(&R->in, g, "profile", r->profile, sizeof r->profile, 1) ||
		    cfgfile_string(&R->in, g, "framework", r->framework, sizeof r->framework, 1) ||
		    cfgfile_string(&R->in, g, "note", r->note, sizeof r->note, 0) ||
		    opt_number(R, g, "error", -1, &err))
			return 2;
		r->measured_us = r->predicted_us = r->error = NAN;
		int has_m = config_setting_get_member(g, "measured_us") != NULL;
		int has_p = config_setting_get_member(g, "predicted_us") != NULL;
		if (!has_m && !has_p) {
			if (!r->note[0])
				return cfgfile_fail(&R->in, g, "reference %s: give measured_us and predicted_us, or a note saying "
						    "why there is no measurement", r->profile);
			t->nreference = i + 1;
			continue;
		}
		if (req_number(R, g, "measured_us", 0, &r->measured_us) || req_number(R, g, "predicted_us", 0, &r->predicted_us))
			return 2;
		if (!(r->measured_us > 0 && r->predicted_us > 0))
			return cfgfile_fail(&R->in, g, "reference %s: measured_us and predicted_us must be above 0", r->profile);
		r->error = r->measured_us / r->predicted_us - 1;
		/* error is written with 4 significant digits: a value off by more is edited */
		if ((s = config_setting_get_member(g, "error")) && fabs(err - r->error) > 1e-4 + 1e-3 * fabs(r->error))
			return cfgfile_fail(&R->in, s, "error = %g, but measured_us / predicted_us - 1 = %.4g", err, r->error);
		t->nreference = i + 1;
	}
	return 0;
}

static int load_all(reader *R, config_t *cfg)
{
	calib_table *t = R->t;
	const config_setting_t *root = config_root_setting(cfg), *s;
	double format = 0;
	if (cfgfile_check_keys(&R->in, root, top_keys))
		return 2;
	if (!(s = config_setting_get_member(root, "format")))
		return cfgfile_fail(&R->in, root, "missing key \"format\" (format = %d;)", CALIB_FORMAT);
	if (get_number(R, s, &format))
		return 2;
	if (format != 1 && format != CALIB_FORMAT)
		return cfgfile_fail(&R->in, s, "format = %g is not one this fgsim reads (1 or %d)", format, CALIB_FORMAT);
	t->format = (int)format;
	if (cfgfile_string(&R->in, root, "gpu", t->gpu, sizeof t->gpu, 1))
		return 2;
	if (!t->gpu[0])
		return cfgfile_fail(&R->in, config_setting_get_member(root, "gpu"), "gpu must name the GPU type, e.g. \"H100-SXM\"");
	if (!(s = config_setting_get_member(root, "measured")))
		return cfgfile_fail(&R->in, root, "missing key \"measured\" (true only for numbers fgcal timed on this GPU)");
	if (config_setting_type(s) != CONFIG_TYPE_BOOL)
		return cfgfile_fail(&R->in, s, "measured must be true or false");
	t->measured = config_setting_get_bool(s);
	if (cfgfile_string(&R->in, root, "derived_from", t->derived_from, sizeof t->derived_from, 0) ||
	    cfgfile_string(&R->in, root, "derivation", t->derivation, sizeof t->derivation, 0) ||
	    cfgfile_string(&R->in, root, "date", t->date, sizeof t->date, 0) ||
	    cfgfile_string(&R->in, root, "samples_file", t->samples_file, sizeof t->samples_file, 0))
		return 2;
	if (t->samples_file[0] && (t->format < 2 || !t->measured))
		return cfgfile_fail(&R->in, config_setting_get_member(root, "samples_file"), "samples_file belongs to a "
				    "measured file of format 2 (format 1 keeps its samples inline)");
	/* the summaries are only as good as the samples they can be checked against */
	if (t->measured && t->format >= 2 && !t->samples_file[0])
		return cfgfile_fail(&R->in, config_setting_get_member(root, "measured"),
				    "a measured file of format %d must name its samples_file", t->format);
	if (!t->measured && !t->derived_from[0])
		return cfgfile_fail(&R->in, s, "a file that is not measured must say what it is derived_from");
	if (t->measured && t->derived_from[0])
		return cfgfile_fail(&R->in, config_setting_get_member(root, "derived_from"), "a measured file is not derived_from anything");
	return load_device(R, config_setting_get_member(root, "device")) ||
	       load_peaks(R, config_setting_get_member(root, "peaks"), root) ||
	       load_method(R, config_setting_get_member(root, "method")) ||
	       load_kernels(R, config_setting_get_member(root, "kernels"), root) ||
	       load_fidelity(R, config_setting_get_member(root, "fidelity")) ||
	       load_reference(R, config_setting_get_member(root, "reference"));
}

int calib_load(calib_table *t, const char *path, char *err, size_t errlen)
{
	reader R = {{path, err, errlen}, t};
	config_t cfg;
	memset(t, 0, sizeof *t);
	snprintf(t->path, sizeof t->path, "%s", path);
	if (cfgfile_read(&cfg, path, err, errlen))
		return 2;
	int rc = load_all(&R, &cfg);
	config_destroy(&cfg);
	if (rc) {
		calib_free(t);
		return 2;
	}
	return 0;
}

