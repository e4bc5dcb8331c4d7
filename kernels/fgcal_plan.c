/* fgcal_plan.c - the measurement plan, the datasheet table and the derivations that
 * write calibration files for GPUs nobody has measured. Every derived number says how
 * it was made; none pretends to be a measurement. */
#include "fgcal_plan.h"

#include <errno.h>
#include <libconfig.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "outfile.h"

/* Shapes: GEMMs at the transformer shapes the profiles use (7B: hidden 4096, QKV 12288,
 * SwiGLU 2 x 11008; 70B: hidden 8192, GQA QKV 10240, SwiGLU 2 x 28672; M = 4096 tokens)
 * forward and backward, cubes from 1024^3 to 8192^3, and convolutions of ResNet-50 and
 * SDXL as the implicit GEMMs cuDNN runs; decode GEMVs at batch 1-64;
 * a triad from inside L2 to several times any L2 here (2^27 floats = 512 MiB per array,
 * over 4 x the largest L2 of these GPUs, 96 MB); row kernels at decode and prefill
 * sizes; attention at the profiles' sequence lengths; copies from 1 MiB to 1 GiB. */
const fgcal_shape fgcal_plan[] = {
	{"launch_empty", "1"},
	{"gemm_bf16", "1024x1024x1024"},
	{"gemm_bf16", "2048x2048x2048"},
	{"gemm_bf16", "4096x4096x4096"},
	{"gemm_bf16", "8192x8192x8192"},
	{"gemm_bf16", "4096x12288x4096"},  /* 7B QKV forward; QKV weight gradient */
	{"gemm_bf16", "4096x22016x4096"},  /* 7B gate+up forward; its weight gradient */
	{"gemm_bf16", "4096x4096x11008"},  /* 7B down forward */
	{"gemm_bf16", "4096x4096x12288"},  /* 7B QKV input gradient */
	{"gemm_bf16", "4096x4096x22016"},  /* 7B gate+up input gradient */
	{"gemm_bf16", "4096x11008x4096"},  /* 7B down input gradient */
	{"gemm_bf16", "11008x4096x4096"},  /* 7B down weight gradient */
	{"gemm_bf16", "4096x32000x4096"},  /* 7B LM head */
	{"gemm_bf16", "4096x10240x8192"},  /* 70B QKV (GQA) */
	{"gemm_bf16", "4096x8192x8192"},   /* 70B attention output */
	{"gemm_bf16", "4096x57344x8192"},  /* 70B gate+up */
	{"gemm_bf16", "4096x8192x28672"},  /* 70B down */
	{"gemm_bf16", "4096x8192x10240"},  /* 70B QKV input gradient */
	{"gemm_bf16", "4096x8192x57344"},  /* 70B gate+up input gradient */
	{"gemm_bf16", "4096x28672x8192"},  /* 70B down input gradient */
	{"gemm_bf16", "802816x64x576"},    /* ResNet-50 stage 1 3x3 as implicit GEMM, batch 256 */
	{"gemm_bf16", "200704x128x1152"},  /* ResNet-50 stage 2 3x3 */
	{"gemm_bf16", "50176x256x2304"},   /* ResNet-50 stage 3 3x3 */
	{"gemm_bf16", "32768x320x2880"},   /* SDXL 3x3 at 128x128, batch 2 */
	{"gemm_bf16", "8192x640x5760"},    /* SDXL 3x3 at 64x64 */
	{"gemv_bf16", "1x4096x4096"},
	{"gemv_bf16", "8x4096x4096"},
	{"gemv_bf16", "16x4096x4096"},
	{"gemv_bf16", "32x4096x4096"},
	{"gemv_bf16", "64x4096x4096"},
	{"gemv_bf16", "1x12288x4096"},
	{"gemv_bf16", "16x12288x4096"},
	{"gemv_bf16", "64x12288x4096"},
	{"gemv_bf16", "1x22016x4096"},
	{"gemv_bf16", "16x22016x4096"},
	{"gemv_bf16", "64x22016x4096"},
	{"gemv_bf16", "1x4096x11008"},
	{"gemv_bf16", "16x4096x11008"},
	{"gemv_bf16", "64x4096x11008"},
	{"gemv_bf16", "16x32000x4096"},
	{"triad_fp32", "1048576"},
	{"triad_fp32", "4194304"},
	{"triad_fp32", "16777216"},
	{"triad_fp32", "67108864"},
	{"triad_fp32", "134217728"},
	{"reduce_fp32", "1048576"},
	{"reduce_fp32", "16777216"},
	{"reduce_fp32", "134217728"},
	{"softmax_bf16", "16x32000"},
	{"softmax_bf16", "4096x32000"},
	{"softmax_bf16", "65536x2048"},
	{"layernorm_unfused_bf16", "16x4096"},
	{"layernorm_unfused_bf16", "4096x4096"},
	{"layernorm_unfused_bf16", "4096x8192"},
	{"layernorm_fused_bf16", "16x4096"},
	{"layernorm_fused_bf16", "4096x4096"},
	{"layernorm_fused_bf16", "4096x8192"},
	{"attention_naive_bf16", "1x32x1024x128"},
	{"attention_naive_bf16", "2x32x2048x128"},
	{"attention_naive_bf16", "1x64x4096x128"},
	{"attention_tiled_bf16", "1x32x1024x128"},
	{"attention_tiled_bf16", "2x32x2048x128"},
	{"attention_tiled_bf16", "1x64x4096x128"},
	{"attention_tiled_bf16", "2x10x4096x64"}, /* SDXL self-attention heads (here causal) */
	/* cuDNN's fused flash attention, what serving and training stacks run on Hopper */
	{"attention_cudnn_bf16", "1x32x1024x128"},
	{"attention_cudnn_bf16", "2x32x2048x128"},
	{"attention_cudnn_bf16", "1x64x4096x128"},
	{"attention_cudnn_bf16", "2x10x4096x64"},
	{"attention_cudnn_bf16", "2x20x1024x64"},
	{"attention_cudnn_bwd_bf16", "2x32x2048x128"}, /* 7B fine-tune */
	{"attention_cudnn_bwd_bf16", "1x64x4096x128"}, /* 70B fine-tune */
	{"h2d_pinned", "1048576"},
	{"h2d_pinned", "67108864"},
	{"h2d_pinned", "1073741824"},
};
const int fgcal_plan_len = (int)(sizeof fgcal_plan / sizeof *fgcal_plan);

/* ---- the datasheet table ---------------------------------------------------------- */

static int sfail(const char *path, char *err, size_t errlen, const config_setting_t *s, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "%s:%d: %s", path, s ? (int)config_setting_source_line(s) : 0, msg);
	return 2;
}

static int num(const config_setting_t *g, const char *key, double *out)
{
	const config_setting_t *s = config_setting_get_member(g, key);
	if (!s)
		return -1;
	int t = config_setting_type(s);
	if (t == CONFIG_TYPE_FLOAT)
		*out = config_setting_get_float(s);
	else if (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64)
		*out = (double)config_setting_get_int64(s);
	else
		return -1;
	return 0;
}

static int str(const config_setting_t *g, const char *key, char *out, size_t len)
{
	const char *v;
	if (!config_setting_lookup_string(g, key, &v) || strlen(v) >= len)
		return -1;
	strcpy(out, v);
	return 0;
}

int fgcal_sheets_load(const char *path, fgcal_sheet **sheets, int *n, fgcal_efficiency *eff, char *err,
		      size_t errlen)
{
	static const char *const eff_keys[FGCAL_NEFF] = {"gemm_compute", "stream", "gemv", "rowwise",
							 "attention_tiled", "pcie", "launch_floor_us"};
	config_t cfg;
	*sheets = NULL;
	*n = 0;
	config_init(&cfg);
	if (!config_read_file(&cfg, path)) {
		if (config_error_type(&cfg) == CONFIG_ERR_FILE_IO)
			snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
		else
			snprintf(err, errlen, "%s:%d: %s", path, config_error_line(&cfg), config_error_text(&cfg));
		config_destroy(&cfg);
		return 2;
	}
	int rc = 2;
	const config_setting_t *list = config_lookup(&cfg, "gpus"), *e = config_lookup(&cfg, "efficiency");
	if (!list || !config_setting_is_list(list) || !e) {
		snprintf(err, errlen, "%s: needs a list \"gpus\" and a group \"efficiency\"", path);
		goto out;
	}
	for (int i = 0; i < FGCAL_NEFF; i++) {
		char key[64];
		snprintf(key, sizeof key, "%s_source", eff_keys[i]);
		if (num(e, eff_keys[i], &eff->v[i]) || !(eff->v[i] > 0) || str(e, key, eff->source[i], CALIB_TEXT_MAX)) {
			sfail(path, err, errlen, e, "efficiency needs %s > 0 and its %s", eff_keys[i], key);
			goto out;
		}
	}
	const char *date;
	if (!config_lookup_string(&cfg, "date", &date) || strlen(date) >= sizeof eff->date) {
		snprintf(err, errlen, "%s: needs date = \"YYYY-MM-DD\"; (when the figures were checked)", path);
		goto out;
	}
	strcpy(eff->date, date);
	int count = config_setting_length(list);
	if (!(*sheets = calloc((size_t)count + 1, sizeof **sheets))) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto out;
	}
	for (int i = 0; i < count; i++) {
		const config_setting_t *g = config_setting_get_elem(list, (unsigned)i);
		fgcal_sheet *s = &(*sheets)[i];
		calib_peaks *p = &s->peaks;
		double sm = 0;
		if (str(g, "key", s->key, sizeof s->key) || str(g, "gpu", s->gpu, sizeof s->gpu) ||
		    str(g, "name", s->name, sizeof s->name) || str(g, "derive", s->derive, sizeof s->derive) ||
		    num(g, "tensor_tflops", &p->tensor_tflops) || num(g, "fp32_tflops", &p->fp32_tflops) ||
		    num(g, "mem_gbs", &p->mem_gbs) || num(g, "pcie_gbs", &p->pcie_gbs) ||
		    num(g, "memory_gb", &p->memory_gb) || num(g, "sm_count", &sm) || num(g, "l2_mb", &s->l2_mb) ||
		    str(g, "tensor_source", p->tensor_source, CALIB_TEXT_MAX) ||
		    str(g, "fp32_source", p->fp32_source, CALIB_TEXT_MAX) ||
		    str(g, "mem_source", p->mem_source, CALIB_TEXT_MAX) ||
		    str(g, "pcie_source", p->pcie_source, CALIB_TEXT_MAX) ||
		    str(g, "memory_source", p->memory_source, CALIB_TEXT_MAX) ||
		    str(g, "arch_source", s->arch_source, CALIB_TEXT_MAX)) {
			sfail(path, err, errlen, g, "a GPU needs key, gpu, name, derive, each peak with its source "
			      "(tensor, fp32, mem, pcie, memory), sm_count, l2_mb and arch_source");
			goto out;
		}
		s->sm_count = (int)sm;
		*n = i + 1;
	}
	rc = 0;
out:
	if (rc) {
		free(*sheets);
		*sheets = NULL;
		*n = 0;
	}
	config_destroy(&cfg);
	return rc;
}

const fgcal_sheet *fgcal_sheet_find(const fgcal_sheet *sheets, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcasecmp(sheets[i].key, name) || !strcasecmp(sheets[i].gpu, name))
			return &sheets[i];
	return NULL;
}

/* ---- derivations ------------------------------------------------------------------ */

static void dims(const char *shape, double d[4])
{
	unsigned long long a = 1, b = 1, c = 1, e = 1;
	sscanf(shape, "%llux%llux%llux%llu", &a, &b, &c, &e);
	d[0] = (double)a, d[1] = (double)b, d[2] = (double)c, d[3] = (double)e;
}

/* Seconds of work of kernel `name` at the stated efficiencies of the datasheet peaks,
 * the launch floor not included. Composite kernels (plain attention) add their parts,
 * since they run one after another. */
static double sheet_work_s(const char *name, const char *shape, double flops, double bytes, const calib_peaks *pk,
			   const fgcal_efficiency *e, char *how, size_t howlen)
{
	double pt = pk->tensor_tflops * 1e12, pm = pk->mem_gbs * 1e9;
	const double *v = e->v;
	if (!strcmp(name, "gemm_bf16") || !strcmp(name, "gemv_bf16")) {
		double em = !strcmp(name, "gemm_bf16") ? v[FGCAL_EFF_STREAM] : v[FGCAL_EFF_GEMV];
		snprintf(how, howlen, "max(flops / (%.2f x tensor peak), bytes / (%.2f x bandwidth))", v[FGCAL_EFF_GEMM], em);
		return fmax(flops / (v[FGCAL_EFF_GEMM] * pt), bytes / (em * pm));
	}
	if (!strcmp(name, "attention_tiled_bf16") || !strncmp(name, "attention_cudnn", 15)) {
		snprintf(how, howlen, "max(flops / (%.2f x tensor peak), bytes / (%.2f x bandwidth))", v[FGCAL_EFF_ATTN],
			 v[FGCAL_EFF_STREAM]);
		return fmax(flops / (v[FGCAL_EFF_ATTN] * pt), bytes / (v[FGCAL_EFF_STREAM] * pm));
	}
	if (!strcmp(name, "attention_naive_bf16")) {
		double d[4];
		dims(shape, d);
		double bh = d[0] * d[1], s = d[2], hd = d[3];
		double gemm = fmax(2 * bh * s * s * hd / (v[FGCAL_EFF_GEMM] * pt),
				   (4 * bh * s * hd + 2 * bh * s * s) / (v[FGCAL_EFF_STREAM] * pm));
		snprintf(how, howlen, "QK^T and PV each max(flops / (%.2f x tensor peak), bytes / (%.2f x bandwidth)) "
			 "+ softmax bytes / (%.2f x bandwidth)", v[FGCAL_EFF_GEMM], v[FGCAL_EFF_STREAM], v[FGCAL_EFF_ROWWISE]);
		return 2 * gemm + 4 * bh * s * s / (v[FGCAL_EFF_ROWWISE] * pm);
	}
	if (!strcmp(name, "softmax_bf16") || !strncmp(name, "layernorm_", 10)) {
		snprintf(how, howlen, "bytes / (%.2f x bandwidth)", v[FGCAL_EFF_ROWWISE]);
		return bytes / (v[FGCAL_EFF_ROWWISE] * pm);
	}
	if (!strcmp(name, "h2d_pinned")) {
		snprintf(how, howlen, "bytes / (%.2f x one direction of PCIe)", v[FGCAL_EFF_PCIE]);
		return bytes / (v[FGCAL_EFF_PCIE] * pk->pcie_gbs * 1e9);
	}
	if (!strcmp(name, "launch_empty")) {
		snprintf(how, howlen, "no work");
		return 0;
	}
	snprintf(how, howlen, "bytes / (%.2f x bandwidth)", v[FGCAL_EFF_STREAM]);
	return bytes / (v[FGCAL_EFF_STREAM] * pm);
}

static void init_derived(calib_table *t, const fgcal_sheet *s, const char *date)
{
	memset(t, 0, sizeof *t);
	snprintf(t->gpu, sizeof t->gpu, "%s", s->gpu);
	t->measured = 0;
	snprintf(t->date, sizeof t->date, "%s", date);
	snprintf(t->device_name, sizeof t->device_name, "%s (not measured)", s->name);
	t->peaks = s->peaks;
}

static int add_derived(calib_table *t, const char *name, const char *shape, double us, const char *source)
{
	calib_kernel k;
	memset(&k, 0, sizeof k);
	snprintf(k.name, sizeof k.name, "%s", name);
	snprintf(k.shape, sizeof k.shape, "%s", shape);
	if (calib_kernel_cost(name, shape, &k.flops, &k.bytes, &k.unit, NULL))
		return -1;
	/* No samples: no spread is known, so the quantiles are the one derived time. */
	k.median_us = k.p10_us = k.p90_us = us;
	k.noise = 0;
	snprintf(k.stop, sizeof k.stop, "derived");
	snprintf(k.time_source, sizeof k.time_source, "%s", source);
	return calib_add_kernel(t, &k, NULL, NULL, 0);
}

int fgcal_derive_datasheet(calib_table *t, const fgcal_sheet *s, const fgcal_efficiency *e, const char *date)
{
	init_derived(t, s, date);
	snprintf(t->derived_from, sizeof t->derived_from, "datasheet");
	snprintf(t->derivation, sizeof t->derivation,
		 "roofline at stated efficiencies: time = launches x %.3g us + work / (efficiency x datasheet peak); "
		 "peaks and efficiencies with their sources in kernels/datasheets.cfg and the comments above",
		 e->v[FGCAL_EFF_FLOOR]);
	for (int i = 0; i < fgcal_plan_len; i++) {
		const fgcal_shape *p = &fgcal_plan[i];
		double f, b;
		char how[256], src[CALIB_TEXT_MAX];
		if (calib_kernel_cost(p->name, p->shape, &f, &b, NULL, NULL))
			return -1;
		int launches = calib_kernel_launches(p->name);
		double us = launches * e->v[FGCAL_EFF_FLOOR] + 1e6 * sheet_work_s(p->name, p->shape, f, b, &s->peaks, e, how,
										       sizeof how);
		snprintf(src, sizeof src, "derived from the datasheet: %d x %.3g us launch + %s", launches,
			 e->v[FGCAL_EFF_FLOOR], how);
		if (add_derived(t, p->name, p->shape, us, src))
			return -1;
	}
	return 0;
}

/* The roofline bound of a kernel on a sheet's peaks, seconds. */
static double bound_s(const calib_kernel *k, const calib_peaks *p)
{
	double mem = k->bytes / (p->mem_gbs * 1e9);
	switch (k->unit) {
	case CALIB_UNIT_TENSOR: return fmax(k->flops / (p->tensor_tflops * 1e12), mem);
	case CALIB_UNIT_FP32: return fmax(k->flops / (p->fp32_tflops * 1e12), mem);
	case CALIB_UNIT_MEM: return mem;
	case CALIB_UNIT_PCIE: return k->bytes / (p->pcie_gbs * 1e9);
	default: return 0;
	}
}

int fgcal_derive_ratio(calib_table *t, const fgcal_sheet *s, const calib_table *ref, const fgcal_sheet *ref_sheet,
		       const char *ref_file, const fgcal_efficiency *e, const char *date)
{
	init_derived(t, s, date);
	snprintf(t->derived_from, sizeof t->derived_from, "%s", ref_file);
	/* The launch floor does not scale with compute or bandwidth: it is the reference's
	 * launch_empty when it has one, else the assumed floor. */
	const calib_kernel *le = calib_find(ref, "launch_empty", "1");
	double floor_us = le ? le->median_us : e->v[FGCAL_EFF_FLOOR];
	snprintf(t->derivation, sizeof t->derivation,
		 "from %s (%s) by datasheet ratios: each kernel keeps its launches x %.4g us and the rest of its time is "
		 "multiplied by its roofline bound on this GPU's datasheet peaks over that on the reference's",
		 ref_file, ref->measured ? "measured" : "itself derived", floor_us);
	for (int i = 0; i < ref->nkernels; i++) {
		const calib_kernel *k = &ref->kernels[i];
		double rb = bound_s(k, &ref_sheet->peaks), tb = bound_s(k, &s->peaks);
		double ratio = rb > 0 ? tb / rb : 1;
		double fixed = fmin(k->median_us, calib_kernel_launches(k->name) * floor_us);
		double us = fixed + (k->median_us - fixed) * ratio;
		char src[CALIB_TEXT_MAX];
		snprintf(src, sizeof src, "derived from %s %s: %.4g us launch kept, the other %.4g us x %.4f "
			 "(roofline bound here / there)", ref_file, ref->measured ? "(measured)" : "(derived)", fixed,
			 k->median_us - fixed, ratio);
		if (add_derived(t, k->name, k->shape, us, src))
			return -1;
	}
	return 0;
}

static size_t add(char *buf, size_t len, size_t n, const char *fmt, ...)
{
	if (n >= len)
		return n;
	va_list ap;
	va_start(ap, fmt);
	int w = vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
	return w > 0 ? n + (size_t)w : n;
}

const char *fgcal_derived_header(const calib_table *t, const fgcal_sheet *s, const fgcal_efficiency *e, char *buf,
				 size_t len)
{
	static const char *const eff_names[FGCAL_NEFF] = {"GEMM compute", "streaming bandwidth", "GEMV bandwidth",
							  "row-kernel bandwidth", "tiled-attention compute",
							  "PCIe", "launch floor (us)"};
	size_t n = 0;
	n = add(buf, len, n, "%s.cfg - calibration of the %s: DERIVED, NOT MEASURED.\n", s->key, s->name);
	n = add(buf, len, n, "No kernel in this file was timed on this GPU; every time is computed, as each\n"
		"kernel's time_source says, and no kernel carries samples. Written by bin/fgcal-derive\n"
		"(make calibration-derived) from kernels/datasheets.cfg; a measured file from bin/fgcal\n"
		"replaces it (kernels/README.md).\n\n");
	if (!strcmp(t->derived_from, "datasheet")) {
		n = add(buf, len, n, "Method: time = launches x floor + work / (efficiency x datasheet peak), where work is\n"
			"the kernel's FLOPs or bytes, whichever bound binds (roofline, Williams et al. 2009).\n"
			"Efficiencies assumed, with their sources:\n");
		for (int i = 0; i < FGCAL_NEFF; i++)
			n = add(buf, len, n, "  %s %.3g: %s\n", eff_names[i], e->v[i], e->source[i]);
	} else {
		n = add(buf, len, n, "Method: %s.\nThe reference's efficiencies carry over; only the peaks below differ.\n",
			t->derivation);
	}
	n = add(buf, len, n, "\nDatasheet figures of this GPU (also under peaks, each with its source):\n");
	n = add(buf, len, n, "  BF16 tensor %.6g TFLOP/s dense: %s\n", s->peaks.tensor_tflops, s->peaks.tensor_source);
	n = add(buf, len, n, "  FP32 %.6g TFLOP/s: %s\n", s->peaks.fp32_tflops, s->peaks.fp32_source);
	n = add(buf, len, n, "  memory %.6g GB/s: %s\n", s->peaks.mem_gbs, s->peaks.mem_source);
	n = add(buf, len, n, "  PCIe %.6g GB/s one way: %s\n", s->peaks.pcie_gbs, s->peaks.pcie_source);
	n = add(buf, len, n, "  %d SMs, %.4g MB L2 (not used by the model): %s\n", s->sm_count, s->l2_mb, s->arch_source);
	return buf;
}

int fgcal_write_file(const calib_table *t, const char *path, const char *header)
{
	char dir[4096], name[1024];
	const char *slash = strrchr(path, '/');
	if (slash) {
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
		snprintf(name, sizeof name, "%s", slash + 1);
	} else {
		snprintf(dir, sizeof dir, ".");
		snprintf(name, sizeof name, "%s", path);
	}
	outfile o;
	if (outfile_open(&o, dir[0] ? dir : "/", name))
		return -1;
	if (calib_write(t, o.f, header)) {
		outfile_abort(&o);
		errno = EIO;
		return -1;
	}
	return outfile_commit(&o);
}
