/* calibration.c - the kernel vocabulary that ties a kernel name and shape to the FLOPs
 * and bytes it costs, and the calibration table in memory (adding entries, with the
 * statistics of their samples, finding and freeing). Reading is calib_load.c, writing
 * calib_write.c. */
#include "calibration.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "grow.h"

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

void calib_free(calib_table *t)
{
	if (!t)
		return;
	for (int i = 0; i < t->nkernels; i++) {
		free(t->kernels[i].raw_us);
		free(t->kernels[i].raw_clock_mhz);
	}
	for (int i = 0; i < t->nfidelity; i++)
		free(t->fidelity[i].entries);
	free(t->kernels);
	free(t->fidelity);
	free(t->reference);
	memset(t, 0, sizeof *t);
}

int calib_kernel_summarise(const calib_table *t, calib_kernel *k)
{
	calib_summary s;
	if (k->nsamples < 1 || !k->raw_us ||
	    calib_summarise(k->raw_us, k->raw_clock_mhz, k->nsamples, t->sm_clock_mhz, &s))
		return -1;
	k->mean_us = s.mean;
	k->sd_us = s.sd;
	k->noise = s.noise;
	k->median_us = s.median;
	k->p10_us = s.p10;
	k->p90_us = s.p90;
	k->min_us = s.min;
	k->max_us = s.max;
	memcpy(k->q_us, s.q, sizeof k->q_us);
	k->clock_mhz = s.clock_mhz;
	k->throttled = s.throttled;
	k->checksum = s.checksum;
	return 0;
}

/* A copy of n values, each through stored(), or NULL (also when v is NULL); *fail set on
 * no memory. */
static double *copy_values(const double *v, int n, double (*stored)(double), int *fail)
{
	if (!v || n < 1)
		return NULL;
	double *c = malloc((size_t)n * sizeof *c);
	if (!c) {
		*fail = 1;
		return NULL;
	}
	for (int i = 0; i < n; i++)
		c[i] = stored(v[i]);
	return c;
}

int calib_add_kernel(calib_table *t, const calib_kernel *k, const double *raw_us, const double *clock_mhz,
		     int nsamples)
{
	FG_ASSERT(t->nkernels >= 0 && (size_t)t->nkernels <= t->kernels_cap);
	if (GROW(t->kernels, t->kernels_cap, (size_t)t->nkernels + 1))
		return -1;
	calib_kernel *dst = &t->kernels[t->nkernels];
	*dst = *k;
	dst->raw_us = dst->raw_clock_mhz = NULL;
	if (nsamples > 0) {
		/* Rounded as the samples file stores them: the summary written beside that file
		 * must be what its samples give when the test recomputes it. */
		int fail = 0;
		dst->raw_us = copy_values(raw_us, nsamples, calib_sample_stored, &fail);
		dst->raw_clock_mhz = copy_values(clock_mhz, nsamples, calib_clock_stored, &fail);
		if (fail) {
			free(dst->raw_us);
			free(dst->raw_clock_mhz);
			return -1;
		}
		dst->nsamples = nsamples;
		if (calib_kernel_summarise(t, dst)) {
			free(dst->raw_us);
			free(dst->raw_clock_mhz);
			return -1;
		}
	}
	t->nkernels++;
	return 0;
}

int calib_add_fidelity(calib_table *t, const calib_fidelity *f)
{
	FG_ASSERT(t->nfidelity >= 0 && (size_t)t->nfidelity <= t->fidelity_cap);
	if (GROW(t->fidelity, t->fidelity_cap, (size_t)t->nfidelity + 1))
		return -1;
	calib_fidelity *dst = &t->fidelity[t->nfidelity];
	*dst = *f;
	dst->entries = NULL;
	dst->nentries = 0;
	if (f->nentries > 0 && f->entries) {
		if (!(dst->entries = malloc((size_t)f->nentries * sizeof *f->entries)))
			return -1;
		memcpy(dst->entries, f->entries, (size_t)f->nentries * sizeof *f->entries);
		dst->nentries = f->nentries;
	}
	t->nfidelity++;
	return 0;
}

int calib_add_reference(calib_table *t, const calib_reference *r)
{
	FG_ASSERT(t->nreference >= 0 && (size_t)t->nreference <= t->reference_cap);
	if (GROW(t->reference, t->reference_cap, (size_t)t->nreference + 1))
		return -1;
	t->reference[t->nreference++] = *r;
	return 0;
}

const calib_kernel *calib_find(const calib_table *t, const char *name, const char *shape)
{
	for (int i = 0; i < t->nkernels; i++)
		if (!strcmp(t->kernels[i].name, name) && !strcmp(t->kernels[i].shape, shape))
			return &t->kernels[i];
	return NULL;
}

