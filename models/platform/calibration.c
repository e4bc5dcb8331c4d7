/* calibration.c - reading, checking and writing calibration files, and the kernel
 * vocabulary that ties a kernel name and shape to the FLOPs and bytes it costs. The
 * checks exist so that a file can never pass off a derived number as a measured one. */
#include "calibration.h"
#include "cfgfile.h"

#include <errno.h>
#include <libconfig.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "grow.h"
#include "names.h"

/* ---- kernel vocabulary ------------------------------------------------------------ */

typedef struct kind {
	const char *name;
	calib_unit unit;
	int ndims;
	int launches; /* kernels one invocation launches: each pays the launch floor */
	const char *syntax;
	void (*cost)(const double *d, double *flops, double *bytes);
} kind;

/* BF16 operands and result, FP32 accumulation: 2MNK FLOPs; A, B read and C written once. */
static void cost_gemm(const double *d, double *f, double *b)
{
	double m = d[0], n = d[1], k = d[2];
	*f = 2 * m * n * k;
	*b = 2 * (m * k + k * n + m * n);
}

/* STREAM triad a[i] = b[i] + s * c[i] on FP32 (McCalpin 1995): two reads, one write. */
static void cost_triad(const double *d, double *f, double *b)
{
	*f = 2 * d[0];
	*b = 12 * d[0];
}

static void cost_reduce(const double *d, double *f, double *b)
{
	*f = d[0];
	*b = 4 * d[0];
}

/* Row softmax on BF16: max, subtract, exp, sum, scale per element; read and write once. */
static void cost_softmax(const double *d, double *f, double *b)
{
	*f = 5 * d[0] * d[1];
	*b = 4 * d[0] * d[1];
}

/* Three kernels (row mean; row variance; normalise with gamma and beta), each pass
 * reading the BF16 rows again, FP32 statistics between them. */
static void cost_ln_unfused(const double *d, double *f, double *b)
{
	double r = d[0], c = d[1];
	*f = 8 * r * c;
	*b = 8 * r * c + 20 * r + 4 * c;
}

/* One kernel: each row read once into registers, normalised, written once. */
static void cost_ln_fused(const double *d, double *f, double *b)
{
	double r = d[0], c = d[1];
	*f = 8 * r * c;
	*b = 4 * r * c + 4 * c;
}

/* Causal attention done the plain way: S = QK^T materialised in BF16 for every query
 * and key (the mask is applied afterwards, so the work is the full square), a masked
 * softmax kernel over S, then O = PV. */
static void cost_attn_naive(const double *d, double *f, double *b)
{
	double bh = d[0] * d[1], s = d[2], hd = d[3];
	*f = 4 * bh * s * s * hd + 5 * bh * s * s;
	*b = 8 * bh * s * hd + 8 * bh * s * s;
}

/* Causal attention fused and tiled (Dao et al. 2022, FlashAttention): only the lower
 * triangle is computed, S never leaves the chip; Q, K, V read and O written once. */
static void cost_attn_tiled(const double *d, double *f, double *b)
{
	double bh = d[0] * d[1], s = d[2], hd = d[3], pairs = s * (s + 1) / 2;
	*f = 4 * bh * pairs * hd + 5 * bh * pairs;
	*b = 8 * bh * s * hd;
}

/* Its backward as FlashAttention-2 does it (Dao 2023): five products over the causal
 * triangle against the forward's two, so 2.5x the forward's FLOPs; Q, K, V, O, dO read
 * and dQ, dK, dV written once. */
static void cost_attn_bwd(const double *d, double *f, double *b)
{
	cost_attn_tiled(d, f, b);
	*f *= 2.5;
	*b = 16 * d[0] * d[1] * d[2] * d[3];
}

static void cost_copy(const double *d, double *f, double *b)
{
	*f = 0;
	*b = d[0];
}

static void cost_none(const double *d, double *f, double *b)
{
	*f = *b = 0;
}

static const kind kinds[] = {
	{"gemm_bf16", CALIB_UNIT_TENSOR, 3, 1, "MxNxK", cost_gemm},
	{"gemv_bf16", CALIB_UNIT_TENSOR, 3, 1, "BATCHxNxK", cost_gemm},
	{"triad_fp32", CALIB_UNIT_MEM, 1, 1, "N (elements)", cost_triad},
	{"reduce_fp32", CALIB_UNIT_MEM, 1, 2, "N (elements)", cost_reduce},
	{"softmax_bf16", CALIB_UNIT_MEM, 2, 1, "ROWSxCOLS", cost_softmax},
	{"layernorm_unfused_bf16", CALIB_UNIT_MEM, 2, 3, "ROWSxCOLS", cost_ln_unfused},
	{"layernorm_fused_bf16", CALIB_UNIT_MEM, 2, 1, "ROWSxCOLS", cost_ln_fused},
	{"attention_naive_bf16", CALIB_UNIT_TENSOR, 4, 3, "BATCHxHEADSxSEQxHEADDIM", cost_attn_naive},
	{"attention_tiled_bf16", CALIB_UNIT_TENSOR, 4, 1, "BATCHxHEADSxSEQxHEADDIM", cost_attn_tiled},
	{"attention_cudnn_bf16", CALIB_UNIT_TENSOR, 4, 1, "BATCHxHEADSxSEQxHEADDIM", cost_attn_tiled},
	{"attention_cudnn_bwd_bf16", CALIB_UNIT_TENSOR, 4, 1, "BATCHxHEADSxSEQxHEADDIM", cost_attn_bwd},
	{"h2d_pinned", CALIB_UNIT_PCIE, 1, 1, "BYTES", cost_copy},
	{"launch_empty", CALIB_UNIT_LAUNCH, 1, 1, "1", cost_none},
};
#define NKINDS (sizeof kinds / sizeof *kinds)

const char *const calib_kernel_names[] = {
	"gemm_bf16", "gemv_bf16", "triad_fp32", "reduce_fp32", "softmax_bf16", "layernorm_unfused_bf16",
	"layernorm_fused_bf16", "attention_naive_bf16", "attention_tiled_bf16", "h2d_pinned", "launch_empty", NULL};

static const char *const unit_names[CALIB_NUNITS + 1] = {"tensor", "fp32", "mem", "pcie", "launch", NULL};

const char *calib_unit_name(calib_unit u)
{
	return (unsigned)u < CALIB_NUNITS ? unit_names[u] : "?";
}

int calib_unit_parse(const char *s)
{
	for (int u = 0; u < CALIB_NUNITS; u++)
		if (!strcmp(s, unit_names[u]))
			return u;
	return -1;
}

/* Parses "AxBxC" into exactly n positive whole numbers. Returns 0 or -1. */
static int parse_dims(const char *shape, int n, double *d)
{
	const char *p = shape;
	for (int i = 0; i < n; i++) {
		char *end;
		if (*p < '1' || *p > '9')
			return -1;
		errno = 0;
		unsigned long long v = strtoull(p, &end, 10);
		if (errno || v > 1000000000000000ULL)
			return -1;
		d[i] = (double)v;
		p = end;
		if (i < n - 1) {
			if (*p != 'x')
				return -1;
			p++;
		}
	}
	return *p ? -1 : 0;
}

int calib_kernel_cost(const char *name, const char *shape, double *flops, double *bytes, calib_unit *unit,
		      const char **syntax)
{
	for (size_t i = 0; i < NKINDS; i++) {
		if (strcmp(kinds[i].name, name))
			continue;
		double d[4];
		if (syntax)
			*syntax = kinds[i].syntax;
		if (parse_dims(shape, kinds[i].ndims, d))
			return -2;
		kinds[i].cost(d, flops, bytes);
		if (unit)
			*unit = kinds[i].unit;
		return 0;
	}
	return -1;
}

int calib_kernel_unit(const char *name, calib_unit *unit)
{
	for (size_t i = 0; i < NKINDS; i++)
		if (!strcmp(kinds[i].name, name)) {
			if (unit)
				*unit = kinds[i].unit;
			return 0;
		}
	return -1;
}

int calib_kernel_launches(const char *name)
{
	for (size_t i = 0; i < NKINDS; i++)
		if (!strcmp(kinds[i].name, name))
			return kinds[i].launches;
	return 1;
}

double calib_peak(const calib_table *t, calib_unit u)
{
	switch (u) {
	case CALIB_UNIT_TENSOR: return t->peaks.tensor_tflops * 1e12;
	case CALIB_UNIT_FP32: return t->peaks.fp32_tflops * 1e12;
	case CALIB_UNIT_MEM: return t->peaks.mem_gbs * 1e9;
	case CALIB_UNIT_PCIE: return t->peaks.pcie_gbs * 1e9;
	default: return 0;
	}
}

/* ---- reading ---------------------------------------------------------------------- */

typedef struct reader {
	cfgfile_reader in; /* the file's name and where errors go */
	calib_table *t;
} reader;

static const char *const top_keys[] = {"format", "gpu", "measured", "derived_from", "derivation", "date",
	"device", "peaks", "method", "kernels", "fidelity", NULL};
static const char *const device_keys[] = {"name", "driver", "cuda_runtime", "compute_capability", "sm_count",
	"sm_clock_mhz", "mem_clock_mhz", "l2_bytes", "memory_bytes", NULL};
static const char *const peak_keys[] = {"tensor_tflops", "tensor_source", "fp32_tflops", "fp32_source", "mem_gbs",
	"mem_source", "pcie_gbs", "pcie_source", "memory_gb", "memory_source", NULL};
static const char *const method_keys[] = {"warmup_runs", "min_samples", "min_time_s", "max_noise", "timeout_s",
	"l2_flush", NULL};
/* tflops, gbs and frac_peak are written for the reader's eye and recomputed, not read. */
static const char *const kernel_keys[] = {"name", "shape", "unit", "flops", "bytes", "samples", "raw_us",
	"median_us", "p10_us", "p90_us", "noise", "stop", "time_source", "tflops", "gbs", "frac_peak", NULL};
static const char *const fidelity_keys[] = {"profile", "predicted_us", "measured_us", "error", NULL};

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
	return 0;
}

/* |a - b| within a relative 1e-6: the cost fields are printed with 10 digits. */
static int same(double a, double b)
{
	return fabs(a - b) <= 1e-6 * fmax(fabs(a), fabs(b)) + 1e-9;
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
	if (cfgfile_check_keys(&R->in, g, kernel_keys) || cfgfile_string(&R->in, g, "name", k->name, sizeof k->name, 1) ||
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
	if (nraw != k->nsamples)
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
		for (int j = 0; j < i; j++)
			if (!strcmp(t->kernels[j].name, k->name) && !strcmp(t->kernels[j].shape, k->shape))
				return cfgfile_fail(&R->in, g, "%s %s is listed twice (first at line %d)", k->name, k->shape,
					    t->kernels[j].line);
	}
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
	if (n && !(t->fidelity = calloc((size_t)n, sizeof *t->fidelity)))
		return cfgfile_fail(&R->in, list, "out of memory");
	t->fidelity_cap = (size_t)n;
	for (int i = 0; i < n; i++) {
		const config_setting_t *g = config_setting_get_elem(list, (unsigned)i);
		calib_fidelity *f = &t->fidelity[i];
		if (config_setting_type(g) != CONFIG_TYPE_GROUP)
			return cfgfile_fail(&R->in, g, "a fidelity row must be a group");
		if (cfgfile_check_keys(&R->in, g, fidelity_keys) || cfgfile_string(&R->in, g, "profile", f->profile, sizeof f->profile, 1) ||
		    opt_number(R, g, "predicted_us", 0, &f->predicted_us) ||
		    opt_number(R, g, "measured_us", 0, &f->measured_us))
			return 2;
		f->error = f->predicted_us > 0 ? f->measured_us / f->predicted_us - 1 : NAN;
		t->nfidelity = i + 1;
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
	if (format != CALIB_FORMAT)
		return cfgfile_fail(&R->in, s, "format = %g is not one this fgsim reads (%d)", format, CALIB_FORMAT);
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
	    cfgfile_string(&R->in, root, "date", t->date, sizeof t->date, 0))
		return 2;
	if (!t->measured && !t->derived_from[0])
		return cfgfile_fail(&R->in, s, "a file that is not measured must say what it is derived_from");
	if (t->measured && t->derived_from[0])
		return cfgfile_fail(&R->in, config_setting_get_member(root, "derived_from"), "a measured file is not derived_from anything");
	return load_device(R, config_setting_get_member(root, "device")) ||
	       load_peaks(R, config_setting_get_member(root, "peaks"), root) ||
	       load_method(R, config_setting_get_member(root, "method")) ||
	       load_kernels(R, config_setting_get_member(root, "kernels"), root) ||
	       load_fidelity(R, config_setting_get_member(root, "fidelity"));
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

void calib_free(calib_table *t)
{
	if (!t)
		return;
	for (int i = 0; i < t->nkernels; i++)
		free(t->kernels[i].raw_us);
	free(t->kernels);
	free(t->fidelity);
	memset(t, 0, sizeof *t);
}

int calib_add_kernel(calib_table *t, const calib_kernel *k, const double *raw_us, int nsamples)
{
	FG_ASSERT(t->nkernels >= 0 && (size_t)t->nkernels <= t->kernels_cap);
	if (GROW(t->kernels, t->kernels_cap, (size_t)t->nkernels + 1))
		return -1;
	calib_kernel *dst = &t->kernels[t->nkernels];
	*dst = *k;
	dst->raw_us = NULL;
	dst->nsamples = 0;
	if (nsamples > 0) {
		if (!(dst->raw_us = malloc((size_t)nsamples * sizeof *raw_us)))
			return -1;
		memcpy(dst->raw_us, raw_us, (size_t)nsamples * sizeof *raw_us);
		dst->nsamples = nsamples;
	}
	t->nkernels++;
	return 0;
}

int calib_add_fidelity(calib_table *t, const calib_fidelity *f)
{
	FG_ASSERT(t->nfidelity >= 0 && (size_t)t->nfidelity <= t->fidelity_cap);
	if (GROW(t->fidelity, t->fidelity_cap, (size_t)t->nfidelity + 1))
		return -1;
	t->fidelity[t->nfidelity++] = *f;
	return 0;
}

const calib_kernel *calib_find(const calib_table *t, const char *name, const char *shape)
{
	for (int i = 0; i < t->nkernels; i++)
		if (!strcmp(t->kernels[i].name, name) && !strcmp(t->kernels[i].shape, shape))
			return &t->kernels[i];
	return NULL;
}

/* ---- writing ---------------------------------------------------------------------- */

/* A libconfig string literal: quotes and backslashes escaped, control characters dropped. */
static void put_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		if ((unsigned char)*s >= 0x20)
			fputc(*s, f);
	}
	fputc('"', f);
}

/* A libconfig float: always with a point or an exponent, so 1024 stays a float, and
 * never an integer that libconfig 1.5 would silently truncate to 32 bits. */
static void put_float(FILE *f, double v, int digits)
{
	char buf[64];
	snprintf(buf, sizeof buf, "%.*g", digits, v);
	if (!strpbrk(buf, ".en"))
		strcat(buf, ".0");
	fputs(buf, f);
}

static void put_key_string(FILE *f, const char *indent, const char *key, const char *v)
{
	fprintf(f, "%s%s = ", indent, key);
	put_string(f, v);
	fputs(";\n", f);
}

static void put_key_float(FILE *f, const char *indent, const char *key, double v)
{
	fprintf(f, "%s%s = ", indent, key);
	put_float(f, v, 10);
	fputs(";\n", f);
}

static void put_kernel(FILE *f, const calib_table *t, const calib_kernel *k)
{
	fputs("  { name = ", f);
	put_string(f, k->name);
	fputs("; shape = ", f);
	put_string(f, k->shape);
	fprintf(f, "; unit = \"%s\";\n    flops = ", calib_unit_name(k->unit));
	put_float(f, k->flops, 10);
	fputs("; bytes = ", f);
	put_float(f, k->bytes, 10);
	fprintf(f, ";\n    samples = %d; raw_us = [", k->nsamples);
	for (int i = 0; i < k->nsamples; i++) {
		fputs(i ? (i % 8 ? ", " : ",\n      ") : " ", f);
		put_float(f, k->raw_us[i], 7);
	}
	fputs(k->nsamples ? " ];\n" : " ];\n", f);
	fputs("    median_us = ", f);
	put_float(f, k->median_us, 7);
	fputs("; p10_us = ", f);
	put_float(f, k->p10_us, 7);
	fputs("; p90_us = ", f);
	put_float(f, k->p90_us, 7);
	fputs("; noise = ", f);
	put_float(f, k->noise, 4);
	fputs("; stop = ", f);
	put_string(f, k->stop);
	fputs(";\n    time_source = ", f);
	put_string(f, k->time_source);
	fputs(";\n", f);
	/* Achieved rates, for the reader: recomputed from the median on every load. */
	double s = k->median_us * 1e-6, peak = calib_peak(t, k->unit);
	double tflops = k->flops / s / 1e12, gbs = k->bytes / s / 1e9;
	double frac = k->unit == CALIB_UNIT_TENSOR || k->unit == CALIB_UNIT_FP32 ? k->flops / s / peak
		      : k->unit == CALIB_UNIT_MEM || k->unit == CALIB_UNIT_PCIE ? k->bytes / s / peak : 0;
	fputs("    tflops = ", f);
	put_float(f, tflops, 5);
	fputs("; gbs = ", f);
	put_float(f, gbs, 5);
	fputs("; frac_peak = ", f);
	put_float(f, peak > 0 ? frac : 0, 4);
	fputs("; }", f);
}

int calib_write(const calib_table *t, FILE *f, const char *header)
{
	if (header) {
		const char *p = header;
		while (*p) {
			const char *nl = strchr(p, '\n');
			size_t n = nl ? (size_t)(nl - p) : strlen(p);
			fprintf(f, "#%s%.*s\n", n ? " " : "", (int)n, p);
			p += n + (nl != NULL);
		}
	}
	fprintf(f, "format = %d;\n", CALIB_FORMAT);
	put_key_string(f, "", "gpu", t->gpu);
	fprintf(f, "measured = %s;\n", t->measured ? "true" : "false");
	if (!t->measured)
		put_key_string(f, "", "derived_from", t->derived_from);
	if (t->derivation[0])
		put_key_string(f, "", "derivation", t->derivation);
	put_key_string(f, "", "date", t->date);
	fputs("device = {\n", f);
	put_key_string(f, "  ", "name", t->device_name);
	put_key_string(f, "  ", "driver", t->driver);
	put_key_string(f, "  ", "cuda_runtime", t->cuda_runtime);
	put_key_string(f, "  ", "compute_capability", t->compute_capability);
	fprintf(f, "  sm_count = %d;\n", t->sm_count);
	put_key_float(f, "  ", "sm_clock_mhz", t->sm_clock_mhz);
	put_key_float(f, "  ", "mem_clock_mhz", t->mem_clock_mhz);
	put_key_float(f, "  ", "l2_bytes", t->l2_bytes);
	put_key_float(f, "  ", "memory_bytes", t->memory_bytes);
	fputs("};\npeaks = {\n", f);
	const calib_peaks *p = &t->peaks;
	put_key_float(f, "  ", "tensor_tflops", p->tensor_tflops);
	put_key_string(f, "  ", "tensor_source", p->tensor_source);
	put_key_float(f, "  ", "fp32_tflops", p->fp32_tflops);
	put_key_string(f, "  ", "fp32_source", p->fp32_source);
	put_key_float(f, "  ", "mem_gbs", p->mem_gbs);
	put_key_string(f, "  ", "mem_source", p->mem_source);
	put_key_float(f, "  ", "pcie_gbs", p->pcie_gbs);
	put_key_string(f, "  ", "pcie_source", p->pcie_source);
	put_key_float(f, "  ", "memory_gb", p->memory_gb);
	put_key_string(f, "  ", "memory_source", p->memory_source);
	fputs("};\n", f);
	if (t->measured) {
		const calib_method *m = &t->method;
		fprintf(f, "method = { warmup_runs = %d; min_samples = %d; min_time_s = ", m->warmup_runs, m->min_samples);
		put_float(f, m->min_time_s, 6);
		fputs("; max_noise = ", f);
		put_float(f, m->max_noise, 6);
		fputs("; timeout_s = ", f);
		put_float(f, m->timeout_s, 6);
		fprintf(f, "; l2_flush = %s; };\n", m->l2_flush ? "true" : "false");
	}
	fputs("kernels = (\n", f);
	for (int i = 0; i < t->nkernels; i++) {
		put_kernel(f, t, &t->kernels[i]);
		fputs(i + 1 < t->nkernels ? ",\n" : "\n", f);
	}
	fputs(");\n", f);
	if (t->nfidelity) {
		fputs("fidelity = (\n", f);
		for (int i = 0; i < t->nfidelity; i++) {
			const calib_fidelity *fd = &t->fidelity[i];
			fputs("  { profile = ", f);
			put_string(f, fd->profile);
			fputs("; predicted_us = ", f);
			put_float(f, fd->predicted_us, 8);
			fputs("; measured_us = ", f);
			put_float(f, fd->measured_us, 8);
			fputs("; error = ", f);
			put_float(f, fd->measured_us / fd->predicted_us - 1, 4);
			fputs(i + 1 < t->nfidelity ? "; },\n" : "; }\n", f);
		}
		fputs(");\n", f);
	}
	return ferror(f) ? -1 : 0;
}
