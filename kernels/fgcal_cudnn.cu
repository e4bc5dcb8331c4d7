/* fgcal_cudnn.cu - causal BF16 attention, forward and backward, through cuDNN's backend
 * API. The operation graphs are the ones cuDNN's own frontend builds for SDPA (cudnn-
 * frontend, node/scaled_dot_product_flash_attention.h, CompositeSDPANode and
 * CompositeSDPABackwardNode; causal as in utils/attn_score_modifiers.h): cuDNN recognises
 * them and runs its fused flash-attention engine, so the score matrix never reaches
 * memory. The unified SDPA operation of cuDNN 9.13+ has no causal attribute before 9.21,
 * so the composite graph is the one that works across 9.x. */
#include "fgcal_cudnn.cuh"

#include <dlfcn.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef FGCAL_NO_CUDNN
/* Built where no cuDNN header was found: the kernels exist and say why they cannot run. */
long fgcal_cudnn_version(char *err, size_t errlen)
{
	snprintf(err, errlen, "fgcal was built without cuDNN's headers (make CUDNN_INC=DIR)");
	return 0;
}
fgcal_sdpa *fgcal_sdpa_create(cudaStream_t, int, int, int, int, int, const fgcal_sdpa_io *,
			      char *err, size_t errlen)
{
	fgcal_cudnn_version(err, errlen);
	return NULL;
}
int fgcal_sdpa_run(fgcal_sdpa *, char *err, size_t errlen)
{
	fgcal_cudnn_version(err, errlen);
	return -1;
}
const char *fgcal_sdpa_engine(const fgcal_sdpa *)
{
	return "none";
}
void fgcal_sdpa_free(fgcal_sdpa *) {}
#else
#include <cudnn_graph.h>

/* ---- the library, opened at run time ------------------------------------------------ */

static struct {
	int tried;
	long version;
	char why[256];
	size_t (*get_version)(void);
	const char *(*error_string)(cudnnStatus_t);
	void (*last_error)(char *, size_t);
	cudnnStatus_t (*create)(cudnnHandle_t *);
	cudnnStatus_t (*destroy)(cudnnHandle_t);
	cudnnStatus_t (*set_stream)(cudnnHandle_t, cudaStream_t);
	cudnnStatus_t (*d_create)(cudnnBackendDescriptorType_t, cudnnBackendDescriptor_t *);
	cudnnStatus_t (*d_destroy)(cudnnBackendDescriptor_t);
	cudnnStatus_t (*d_set)(cudnnBackendDescriptor_t, cudnnBackendAttributeName_t,
			       cudnnBackendAttributeType_t, int64_t, const void *);
	cudnnStatus_t (*d_get)(cudnnBackendDescriptor_t const, cudnnBackendAttributeName_t,
			       cudnnBackendAttributeType_t, int64_t, int64_t *, void *);
	cudnnStatus_t (*d_finalize)(cudnnBackendDescriptor_t);
	cudnnStatus_t (*execute)(cudnnHandle_t, cudnnBackendDescriptor_t,
				 cudnnBackendDescriptor_t);
} L;

long fgcal_cudnn_version(char *err, size_t errlen)
{
	if (!L.tried) {
		L.tried = 1;
		const char *env = getenv("FGCAL_CUDNN");
		void *h = dlopen(env && *env ? env : "libcudnn.so.9", RTLD_NOW | RTLD_GLOBAL);
		if (!h)
			h = dlopen("libcudnn.so", RTLD_NOW | RTLD_GLOBAL);
		if (!h) {
			snprintf(L.why, sizeof L.why,
				 "cuDNN not found (%s); set FGCAL_CUDNN or LD_LIBRARY_PATH",
				 dlerror());
		} else {
#define SYM(field, name) (*(void **)&L.field = dlsym(h, name))
			int ok = SYM(get_version, "cudnnGetVersion") &&
				 SYM(error_string, "cudnnGetErrorString") &&
				 SYM(create, "cudnnCreate") && SYM(destroy, "cudnnDestroy") &&
				 SYM(set_stream, "cudnnSetStream") &&
				 SYM(d_create, "cudnnBackendCreateDescriptor") &&
				 SYM(d_destroy, "cudnnBackendDestroyDescriptor") &&
				 SYM(d_set, "cudnnBackendSetAttribute") &&
				 SYM(d_get, "cudnnBackendGetAttribute") &&
				 SYM(d_finalize, "cudnnBackendFinalize") &&
				 SYM(execute, "cudnnBackendExecute");
			SYM(last_error, "cudnnGetLastErrorString"); /* 9.0+, optional */
#undef SYM
			if (!ok)
				snprintf(L.why, sizeof L.why,
					 "libcudnn lacks the backend API (not cuDNN 9?)");
			else if ((L.version = (long)L.get_version()) < 90000)
				snprintf(L.why, sizeof L.why, "cuDNN %ld is older than 9.0",
					 L.version),
					L.version = 0;
		}
	}
	if (!L.version)
		snprintf(err, errlen, "%s", L.why);
	return L.version;
}

/* ---- graph building ----------------------------------------------------------------- */

enum { MAXD = 192, MAXT = 64 };

struct fgcal_sdpa {
	cudnnHandle_t handle;
	cudaStream_t stream;
	cudnnBackendDescriptor_t d[MAXD]; /* every descriptor made, destroyed in reverse */
	int nd;
	cudnnBackendDescriptor_t plan, pack;
	int64_t uid[MAXT];
	void *ptr[MAXT];
	int nt;
	int64_t next_uid;
	float scale, neg_inf, one; /* by-value operands live here: the pack points at them */
	void *workspace, *extra;   /* the plan's workspace; softmax_sum and dQ_accum (backward) */
	long engine;
	char engine_name[32];
	const char *stage; /* what was being built, for messages */
	cudnnStatus_t status;
};

#define OK(call) ((p->status = (call)) == CUDNN_STATUS_SUCCESS)

static cudnnBackendDescriptor_t mk(fgcal_sdpa *p, cudnnBackendDescriptorType_t t)
{
	cudnnBackendDescriptor_t d = NULL;
	if (p->nd < MAXD && OK(L.d_create(t, &d)))
		p->d[p->nd++] = d;
	else if (p->nd >= MAXD)
		p->status = CUDNN_STATUS_ALLOC_FAILED;
	return d;
}

static int set(fgcal_sdpa *p, cudnnBackendDescriptor_t d, cudnnBackendAttributeName_t a,
	       cudnnBackendAttributeType_t t, int64_t n, const void *v)
{
	return d && OK(L.d_set(d, a, t, n, v));
}

static int fin(fgcal_sdpa *p, cudnnBackendDescriptor_t d)
{
	return d && OK(L.d_finalize(d));
}

/* A tensor: dims and strides of 4, data type, virtual or in memory at ptr (host memory
 * for a by-value scalar). Every tensor in memory joins the variant pack. */
static cudnnBackendDescriptor_t tensor(fgcal_sdpa *p, cudnnDataType_t type, const int64_t *dims,
				       const int64_t *strides, int is_virtual, void *ptr,
				       int by_value)
{
	cudnnBackendDescriptor_t t = mk(p, CUDNN_BACKEND_TENSOR_DESCRIPTOR);
	int64_t uid = ++p->next_uid, align = 16;
	bool virt = is_virtual != 0, byv = by_value != 0;
	if (!set(p, t, CUDNN_ATTR_TENSOR_DATA_TYPE, CUDNN_TYPE_DATA_TYPE, 1, &type) ||
	    !set(p, t, CUDNN_ATTR_TENSOR_DIMENSIONS, CUDNN_TYPE_INT64, 4, dims) ||
	    !set(p, t, CUDNN_ATTR_TENSOR_STRIDES, CUDNN_TYPE_INT64, 4, strides) ||
	    !set(p, t, CUDNN_ATTR_TENSOR_UNIQUE_ID, CUDNN_TYPE_INT64, 1, &uid) ||
	    !set(p, t, CUDNN_ATTR_TENSOR_BYTE_ALIGNMENT, CUDNN_TYPE_INT64, 1, &align) ||
	    !set(p, t, CUDNN_ATTR_TENSOR_IS_VIRTUAL, CUDNN_TYPE_BOOLEAN, 1, &virt) ||
	    (byv && !set(p, t, CUDNN_ATTR_TENSOR_IS_BY_VALUE, CUDNN_TYPE_BOOLEAN, 1, &byv)) ||
	    !fin(p, t))
		return NULL;
	if (!is_virtual) {
		if (p->nt >= MAXT)
			return NULL;
		p->uid[p->nt] = uid;
		p->ptr[p->nt++] = ptr;
	}
	return t;
}

/* Shapes used below: [b][h][s][s] scores, [b][h][s][1] row statistics, scalars. */
struct shapes {
	int64_t bhsd[4], bhsd_st[4], bhds[4], bhds_st[4]; /* Q/K/V/O, and K^T/V^T as views */
	int64_t ss[4], ss_st[4], sst_st[4];               /* scores, and their transposed view */
	int64_t row[4], row_st[4], one[4];
};

static cudnnBackendDescriptor_t vtensor(fgcal_sdpa *p, cudnnDataType_t type, const int64_t *dims,
					const int64_t *st)
{
	return tensor(p, type, dims, st, 1, NULL, 0);
}

/* y = op(x [, b [, t]]) elementwise; axis >= 0 for GEN_INDEX. */
static int pointwise(fgcal_sdpa *p, cudnnPointwiseMode_t mode, cudnnDataType_t prec, int64_t axis,
		     cudnnBackendDescriptor_t x, cudnnBackendDescriptor_t b,
		     cudnnBackendDescriptor_t t, cudnnBackendDescriptor_t y,
		     cudnnBackendDescriptor_t *ops, int *nops)
{
	cudnnBackendDescriptor_t pw = mk(p, CUDNN_BACKEND_POINTWISE_DESCRIPTOR);
	if (!set(p, pw, CUDNN_ATTR_POINTWISE_MODE, CUDNN_TYPE_POINTWISE_MODE, 1, &mode) ||
	    !set(p, pw, CUDNN_ATTR_POINTWISE_MATH_PREC, CUDNN_TYPE_DATA_TYPE, 1, &prec) ||
	    (axis >= 0 && !set(p, pw, CUDNN_ATTR_POINTWISE_AXIS, CUDNN_TYPE_INT64, 1, &axis)) ||
	    !fin(p, pw))
		return -1;
	cudnnBackendDescriptor_t op = mk(p, CUDNN_BACKEND_OPERATION_POINTWISE_DESCRIPTOR);
	if (!set(p, op, CUDNN_ATTR_OPERATION_POINTWISE_PW_DESCRIPTOR,
		 CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &pw) ||
	    !set(p, op, CUDNN_ATTR_OPERATION_POINTWISE_XDESC, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1,
		 &x) ||
	    (b && !set(p, op, CUDNN_ATTR_OPERATION_POINTWISE_BDESC, CUDNN_TYPE_BACKEND_DESCRIPTOR,
		       1, &b)) ||
	    (t && !set(p, op, CUDNN_ATTR_OPERATION_POINTWISE_TDESC, CUDNN_TYPE_BACKEND_DESCRIPTOR,
		       1, &t)) ||
	    !set(p, op, CUDNN_ATTR_OPERATION_POINTWISE_YDESC, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1,
		 &y) ||
	    !fin(p, op))
		return -1;
	ops[(*nops)++] = op;
	return 0;
}

static int matmul(fgcal_sdpa *p, cudnnBackendDescriptor_t a, cudnnBackendDescriptor_t b,
		  cudnnBackendDescriptor_t c, cudnnBackendDescriptor_t *ops, int *nops)
{
	cudnnDataType_t f = CUDNN_DATA_FLOAT;
	cudnnBackendDescriptor_t mm = mk(p, CUDNN_BACKEND_MATMUL_DESCRIPTOR);
	if (!set(p, mm, CUDNN_ATTR_MATMUL_COMP_TYPE, CUDNN_TYPE_DATA_TYPE, 1, &f) || !fin(p, mm))
		return -1;
	cudnnBackendDescriptor_t op = mk(p, CUDNN_BACKEND_OPERATION_MATMUL_DESCRIPTOR);
	if (!set(p, op, CUDNN_ATTR_OPERATION_MATMUL_ADESC, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &a) ||
	    !set(p, op, CUDNN_ATTR_OPERATION_MATMUL_BDESC, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &b) ||
	    !set(p, op, CUDNN_ATTR_OPERATION_MATMUL_CDESC, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &c) ||
	    !set(p, op, CUDNN_ATTR_OPERATION_MATMUL_DESC, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &mm) ||
	    !fin(p, op))
		return -1;
	ops[(*nops)++] = op;
	return 0;
}

static int reduction(fgcal_sdpa *p, cudnnReduceTensorOp_t how, cudnnBackendDescriptor_t x,
		     cudnnBackendDescriptor_t y, cudnnBackendDescriptor_t *ops, int *nops)
{
	cudnnDataType_t f = CUDNN_DATA_FLOAT;
	cudnnBackendDescriptor_t r = mk(p, CUDNN_BACKEND_REDUCTION_DESCRIPTOR);
	if (!set(p, r, CUDNN_ATTR_REDUCTION_OPERATOR, CUDNN_TYPE_REDUCTION_OPERATOR_TYPE, 1,
		 &how) ||
	    !set(p, r, CUDNN_ATTR_REDUCTION_COMP_TYPE, CUDNN_TYPE_DATA_TYPE, 1, &f) || !fin(p, r))
		return -1;
	cudnnBackendDescriptor_t op = mk(p, CUDNN_BACKEND_OPERATION_REDUCTION_DESCRIPTOR);
	if (!set(p, op, CUDNN_ATTR_OPERATION_REDUCTION_XDESC, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1,
		 &x) ||
	    !set(p, op, CUDNN_ATTR_OPERATION_REDUCTION_YDESC, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1,
		 &y) ||
	    !set(p, op, CUDNN_ATTR_OPERATION_REDUCTION_DESC, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1,
		 &r) ||
	    !fin(p, op))
		return -1;
	ops[(*nops)++] = op;
	return 0;
}

static int reshape(fgcal_sdpa *p, cudnnBackendDescriptor_t x, cudnnBackendDescriptor_t y,
		   cudnnBackendDescriptor_t *ops, int *nops)
{
	cudnnBackendDescriptor_t op = mk(p, CUDNN_BACKEND_OPERATION_RESHAPE_DESCRIPTOR);
	if (!set(p, op, CUDNN_ATTR_OPERATION_RESHAPE_XDESC, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1,
		 &x) ||
	    !set(p, op, CUDNN_ATTR_OPERATION_RESHAPE_YDESC, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1,
		 &y) ||
	    !fin(p, op))
		return -1;
	ops[(*nops)++] = op;
	return 0;
}

/* Scaled, causally masked scores: out = select(row >= col, scale x Q K^T, -inf). */
static cudnnBackendDescriptor_t
masked_scores(fgcal_sdpa *p, const shapes *z, cudnnBackendDescriptor_t q,
	      cudnnBackendDescriptor_t kt, cudnnBackendDescriptor_t scale,
	      cudnnBackendDescriptor_t neg_inf, cudnnBackendDescriptor_t *ops, int *nops)
{
	const cudnnDataType_t F = CUDNN_DATA_FLOAT;
	cudnnBackendDescriptor_t s = vtensor(p, F, z->ss, z->ss_st),
				 s2 = vtensor(p, F, z->ss, z->ss_st);
	cudnnBackendDescriptor_t row = vtensor(p, CUDNN_DATA_INT32, z->ss, z->ss_st);
	cudnnBackendDescriptor_t col = vtensor(p, CUDNN_DATA_INT32, z->ss, z->ss_st);
	cudnnBackendDescriptor_t keep = vtensor(p, CUDNN_DATA_BOOLEAN, z->ss, z->ss_st);
	cudnnBackendDescriptor_t out = vtensor(p, F, z->ss, z->ss_st);
	if (matmul(p, q, kt, s, ops, nops) ||
	    pointwise(p, CUDNN_POINTWISE_MUL, F, -1, s, scale, NULL, s2, ops, nops) ||
	    pointwise(p, CUDNN_POINTWISE_GEN_INDEX, F, 2, s2, NULL, NULL, row, ops, nops) ||
	    pointwise(p, CUDNN_POINTWISE_GEN_INDEX, F, 3, s2, NULL, NULL, col, ops, nops) ||
	    pointwise(p, CUDNN_POINTWISE_CMP_GE, CUDNN_DATA_BOOLEAN, -1, row, col, NULL, keep, ops,
		      nops) ||
	    pointwise(p, CUDNN_POINTWISE_BINARY_SELECT, F, -1, s2, neg_inf, keep, out, ops, nops))
		return NULL;
	return out;
}

static int build_forward(fgcal_sdpa *p, const shapes *z, const fgcal_sdpa_io *io,
			 cudnnBackendDescriptor_t *ops, int *nops)
{
	const cudnnDataType_t F = CUDNN_DATA_FLOAT, H = CUDNN_DATA_BFLOAT16;
	p->stage = "forward graph";
	cudnnBackendDescriptor_t q = tensor(p, H, z->bhsd, z->bhsd_st, 0, io->q, 0);
	cudnnBackendDescriptor_t kt = tensor(p, H, z->bhds, z->bhds_st, 0, io->k, 0);
	cudnnBackendDescriptor_t v = tensor(p, H, z->bhsd, z->bhsd_st, 0, io->v, 0);
	cudnnBackendDescriptor_t o = tensor(p, H, z->bhsd, z->bhsd_st, 0, io->o, 0);
	cudnnBackendDescriptor_t stats = tensor(p, F, z->row, z->row_st, 0, io->stats, 0);
	cudnnBackendDescriptor_t scale = tensor(p, F, z->one, z->one, 0, &p->scale, 1);
	cudnnBackendDescriptor_t ninf = tensor(p, F, z->one, z->one, 0, &p->neg_inf, 1);
	if (!q || !kt || !v || !o || !stats || !scale || !ninf)
		return -1;
	cudnnBackendDescriptor_t s = masked_scores(p, z, q, kt, scale, ninf, ops, nops);
	cudnnBackendDescriptor_t mx = vtensor(p, F, z->row, z->row_st),
				 sub = vtensor(p, F, z->ss, z->ss_st);
	cudnnBackendDescriptor_t e = vtensor(p, F, z->ss, z->ss_st),
				 sum = vtensor(p, F, z->row, z->row_st);
	cudnnBackendDescriptor_t lg = vtensor(p, F, z->row, z->row_st),
				 pr = vtensor(p, H, z->ss, z->ss_st);
	/* Softmax as cuDNN's frontend writes it, with stats = max + log(sum) for backward;
	 * P is BF16 because the second matmul takes its A operand in the I/O type. */
	if (!s || reduction(p, CUDNN_REDUCE_TENSOR_MAX, s, mx, ops, nops) ||
	    pointwise(p, CUDNN_POINTWISE_SUB, F, -1, s, mx, NULL, sub, ops, nops) ||
	    pointwise(p, CUDNN_POINTWISE_EXP, F, -1, sub, NULL, NULL, e, ops, nops) ||
	    reduction(p, CUDNN_REDUCE_TENSOR_ADD, e, sum, ops, nops) ||
	    pointwise(p, CUDNN_POINTWISE_LOG, F, -1, sum, NULL, NULL, lg, ops, nops) ||
	    pointwise(p, CUDNN_POINTWISE_ADD, F, -1, mx, lg, NULL, stats, ops, nops) ||
	    pointwise(p, CUDNN_POINTWISE_DIV, F, -1, e, sum, NULL, pr, ops, nops) ||
	    matmul(p, pr, v, o, ops, nops))
		return -1;
	return 0;
}

static int build_backward(fgcal_sdpa *p, const shapes *z, const fgcal_sdpa_io *io,
			  void *softmax_sum, void *dq_accum, cudnnBackendDescriptor_t *ops,
			  int *nops)
{
	const cudnnDataType_t F = CUDNN_DATA_FLOAT, H = CUDNN_DATA_BFLOAT16;
	p->stage = "backward graph";
	cudnnBackendDescriptor_t q = tensor(p, H, z->bhsd, z->bhsd_st, 0, io->q, 0);
	cudnnBackendDescriptor_t kt = tensor(p, H, z->bhds, z->bhds_st, 0, io->k, 0);
	cudnnBackendDescriptor_t vt = tensor(p, H, z->bhds, z->bhds_st, 0, io->v, 0);
	cudnnBackendDescriptor_t o = tensor(p, H, z->bhsd, z->bhsd_st, 0, io->o, 0);
	cudnnBackendDescriptor_t d_o = tensor(p, H, z->bhsd, z->bhsd_st, 0, io->d_o, 0);
	cudnnBackendDescriptor_t stats = tensor(p, F, z->row, z->row_st, 0, io->stats, 0);
	cudnnBackendDescriptor_t dq = tensor(p, H, z->bhsd, z->bhsd_st, 0, io->dq, 0);
	cudnnBackendDescriptor_t dk = tensor(p, H, z->bhsd, z->bhsd_st, 0, io->dk, 0);
	cudnnBackendDescriptor_t dv = tensor(p, H, z->bhsd, z->bhsd_st, 0, io->dv, 0);
	cudnnBackendDescriptor_t scale = tensor(p, F, z->one, z->one, 0, &p->scale, 1);
	cudnnBackendDescriptor_t ninf = tensor(p, F, z->one, z->one, 0, &p->neg_inf, 1);
	cudnnBackendDescriptor_t one = tensor(p, F, z->one, z->one, 0, &p->one, 1);
	/* Both FP32 intermediates the engine keeps in memory, as the frontend lays them out. */
	cudnnBackendDescriptor_t ssum = tensor(p, F, z->row, z->row_st, 0, softmax_sum, 0);
	cudnnBackendDescriptor_t dqa = tensor(p, F, z->bhsd, z->bhsd_st, 0, dq_accum, 0);
	if (!q || !kt || !vt || !o || !d_o || !stats || !dq || !dk || !dv || !scale || !ninf ||
	    !one || !ssum || !dqa)
		return -1;
	/* softmax_sum = rowsum(dO * O) */
	cudnnBackendDescriptor_t dOo = vtensor(p, F, z->bhsd, z->bhsd_st),
				 rs = vtensor(p, F, z->row, z->row_st);
	if (pointwise(p, CUDNN_POINTWISE_MUL, F, -1, d_o, o, NULL, dOo, ops, nops) ||
	    reduction(p, CUDNN_REDUCE_TENSOR_ADD, dOo, rs, ops, nops) ||
	    pointwise(p, CUDNN_POINTWISE_MUL, F, -1, rs, one, NULL, ssum, ops, nops))
		return -1;
	/* P = exp(masked scores - stats); dV = P^T dO */
	cudnnBackendDescriptor_t s = masked_scores(p, z, q, kt, scale, ninf, ops, nops);
	cudnnBackendDescriptor_t sm = vtensor(p, F, z->ss, z->ss_st),
				 pe = vtensor(p, F, z->ss, z->ss_st);
	cudnnBackendDescriptor_t pt = vtensor(p, H, z->ss, z->sst_st);
	if (!s || pointwise(p, CUDNN_POINTWISE_SUB, F, -1, s, stats, NULL, sm, ops, nops) ||
	    pointwise(p, CUDNN_POINTWISE_EXP, F, -1, sm, NULL, NULL, pe, ops, nops) ||
	    reshape(p, pe, pt, ops, nops) || matmul(p, pt, d_o, dv, ops, nops))
		return -1;
	/* dS = P (dO V^T - softmax_sum) x scale; dK = dS^T Q; dQ = dS K */
	cudnnBackendDescriptor_t dp = vtensor(p, F, z->ss, z->ss_st),
				 dp2 = vtensor(p, F, z->ss, z->ss_st);
	cudnnBackendDescriptor_t dp3 = vtensor(p, F, z->ss, z->ss_st),
				 ds = vtensor(p, F, z->ss, z->ss_st);
	cudnnBackendDescriptor_t dst = vtensor(p, H, z->ss, z->sst_st),
				 k = vtensor(p, H, z->bhsd, z->bhsd_st);
	if (matmul(p, d_o, vt, dp, ops, nops) ||
	    pointwise(p, CUDNN_POINTWISE_SUB, F, -1, dp, ssum, NULL, dp2, ops, nops) ||
	    pointwise(p, CUDNN_POINTWISE_MUL, F, -1, dp2, pe, NULL, dp3, ops, nops) ||
	    pointwise(p, CUDNN_POINTWISE_MUL, F, -1, dp3, scale, NULL, ds, ops, nops) ||
	    reshape(p, ds, dst, ops, nops) || matmul(p, dst, q, dk, ops, nops) ||
	    reshape(p, kt, k, ops, nops) || matmul(p, ds, k, dqa, ops, nops) ||
	    pointwise(p, CUDNN_POINTWISE_IDENTITY, F, -1, dqa, NULL, NULL, dq, ops, nops))
		return -1;
	return 0;
}

static int fail(fgcal_sdpa *p, char *err, size_t errlen)
{
	char last[512] = "";
	if (L.last_error)
		L.last_error(last, sizeof last);
	snprintf(err, errlen, "cuDNN SDPA, %s: %s%s%s", p->stage, L.error_string(p->status),
		 last[0] ? ": " : "", last);
	return -1;
}

/* The operation graph, then the first engine the heuristics rank that finalizes. */
static int plan(fgcal_sdpa *p, cudnnBackendDescriptor_t *ops, int nops, char *err, size_t errlen)
{
	p->stage = "operation graph";
	cudnnBackendDescriptor_t g = mk(p, CUDNN_BACKEND_OPERATIONGRAPH_DESCRIPTOR);
	if (!set(p, g, CUDNN_ATTR_OPERATIONGRAPH_OPS, CUDNN_TYPE_BACKEND_DESCRIPTOR, nops, ops) ||
	    !set(p, g, CUDNN_ATTR_OPERATIONGRAPH_HANDLE, CUDNN_TYPE_HANDLE, 1, &p->handle) ||
	    !fin(p, g))
		return fail(p, err, errlen);
	p->stage = "heuristics";
	cudnnBackendHeurMode_t mode = CUDNN_HEUR_MODE_A;
	cudnnBackendDescriptor_t heur = mk(p, CUDNN_BACKEND_ENGINEHEUR_DESCRIPTOR);
	if (!set(p, heur, CUDNN_ATTR_ENGINEHEUR_OPERATION_GRAPH, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1,
		 &g) ||
	    !set(p, heur, CUDNN_ATTR_ENGINEHEUR_MODE, CUDNN_TYPE_HEUR_MODE, 1, &mode) ||
	    !fin(p, heur))
		return fail(p, err, errlen);
	enum { NCFG = 8 };
	cudnnBackendDescriptor_t cfg[NCFG];
	for (int i = 0; i < NCFG; i++)
		if (!(cfg[i] = mk(p, CUDNN_BACKEND_ENGINECFG_DESCRIPTOR)))
			return fail(p, err, errlen);
	int64_t n = 0;
	if (!OK(L.d_get(heur, CUDNN_ATTR_ENGINEHEUR_RESULTS, CUDNN_TYPE_BACKEND_DESCRIPTOR, NCFG,
			&n, cfg)))
		return fail(p, err, errlen);
	p->stage = "execution plan (no engine for this graph)";
	if (n < 1) {
		p->status = CUDNN_STATUS_NOT_SUPPORTED;
		return fail(p, err, errlen);
	}
	for (int i = 0; i < n; i++) {
		cudnnBackendDescriptor_t pl = mk(p, CUDNN_BACKEND_EXECUTION_PLAN_DESCRIPTOR);
		if (set(p, pl, CUDNN_ATTR_EXECUTION_PLAN_HANDLE, CUDNN_TYPE_HANDLE, 1,
			&p->handle) &&
		    set(p, pl, CUDNN_ATTR_EXECUTION_PLAN_ENGINE_CONFIG,
			CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &cfg[i]) &&
		    fin(p, pl)) {
			p->plan = pl;
			cudnnBackendDescriptor_t eng = mk(p, CUDNN_BACKEND_ENGINE_DESCRIPTOR);
			int64_t got = 0, idx = -1;
			if (eng && OK(L.d_get(cfg[i], CUDNN_ATTR_ENGINECFG_ENGINE,
					      CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &got, &eng)))
				L.d_get(eng, CUDNN_ATTR_ENGINE_GLOBAL_INDEX, CUDNN_TYPE_INT64, 1,
					&got, &idx);
			snprintf(p->engine_name, sizeof p->engine_name,
				 "eng%lld (choice %d of %lld)", (long long)idx, i + 1,
				 (long long)n);
			return 0;
		}
	}
	return fail(p, err, errlen);
}

fgcal_sdpa *fgcal_sdpa_create(cudaStream_t st, int backward, int b, int h, int s, int d,
			      const fgcal_sdpa_io *io, char *err, size_t errlen)
{
	if (!fgcal_cudnn_version(err, errlen))
		return NULL;
	fgcal_sdpa *p = (fgcal_sdpa *)calloc(1, sizeof *p);
	if (!p) {
		snprintf(err, errlen, "out of host memory");
		return NULL;
	}
	p->stream = st;
	p->scale = 1.f / sqrtf((float)d);
	p->neg_inf = -INFINITY;
	p->one = 1.f;
	p->stage = "handle";
	shapes z = {{b, h, s, d},
		    {(int64_t)h * s * d, (int64_t)s * d, d, 1},
		    {b, h, d, s},
		    {(int64_t)h * s * d, (int64_t)s * d, 1, d},
		    {b, h, s, s},
		    {(int64_t)h * s * s, (int64_t)s * s, s, 1},
		    {(int64_t)h * s * s, (int64_t)s * s, 1, s},
		    {b, h, s, 1},
		    {(int64_t)h * s, s, 1, 1},
		    {1, 1, 1, 1}};
	cudnnBackendDescriptor_t ops[48];
	int nops = 0;
	size_t extra = 0;
	if (!OK(L.create(&p->handle)) || !OK(L.set_stream(p->handle, st)))
		goto bad;
	if (backward) {
		/* softmax_sum (FP32 per row) and dQ_accum (FP32 like Q), 256-byte aligned */
		size_t rows = (size_t)b * h * s * sizeof(float),
		       acc = (size_t)b * h * s * d * sizeof(float);
		extra = (rows + 255) / 256 * 256 + acc;
		if (cudaMalloc(&p->extra, extra) != cudaSuccess) {
			snprintf(err, errlen,
				 "cuDNN SDPA backward: %zu bytes of FP32 intermediates: %s", extra,
				 cudaGetErrorString(cudaGetLastError()));
			fgcal_sdpa_free(p);
			return NULL;
		}
		/* Before cuDNN 9.6 the frontend zeroed dQ_accum itself. */
		if (L.version < 90600)
			cudaMemsetAsync(p->extra, 0, extra, st);
		if (build_backward(p, &z, io, p->extra,
				   (char *)p->extra + (rows + 255) / 256 * 256, ops, &nops))
			goto bad;
	} else if (build_forward(p, &z, io, ops, &nops)) {
		goto bad;
	}
	if (plan(p, ops, nops, err, errlen))
		goto out;
	{
		int64_t ws = 0, got = 0;
		p->stage = "workspace size";
		if (!OK(L.d_get(p->plan, CUDNN_ATTR_EXECUTION_PLAN_WORKSPACE_SIZE,
				CUDNN_TYPE_INT64, 1, &got, &ws)))
			goto bad;
		if (ws > 0 && cudaMalloc(&p->workspace, (size_t)ws) != cudaSuccess) {
			snprintf(err, errlen, "cuDNN SDPA: a workspace of %lld bytes: %s",
				 (long long)ws, cudaGetErrorString(cudaGetLastError()));
			goto out;
		}
		p->stage = "variant pack";
		p->pack = mk(p, CUDNN_BACKEND_VARIANT_PACK_DESCRIPTOR);
		if (!set(p, p->pack, CUDNN_ATTR_VARIANT_PACK_UNIQUE_IDS, CUDNN_TYPE_INT64, p->nt,
			 p->uid) ||
		    !set(p, p->pack, CUDNN_ATTR_VARIANT_PACK_DATA_POINTERS, CUDNN_TYPE_VOID_PTR,
			 p->nt, p->ptr) ||
		    !set(p, p->pack, CUDNN_ATTR_VARIANT_PACK_WORKSPACE, CUDNN_TYPE_VOID_PTR, 1,
			 &p->workspace) ||
		    !fin(p, p->pack))
			goto bad;
	}
	return p;
bad:
	fail(p, err, errlen);
out:
	fgcal_sdpa_free(p);
	return NULL;
}

int fgcal_sdpa_run(fgcal_sdpa *p, char *err, size_t errlen)
{
	p->stage = "execute";
	if (!OK(L.execute(p->handle, p->plan, p->pack)))
		return fail(p, err, errlen);
	return 0;
}

const char *fgcal_sdpa_engine(const fgcal_sdpa *p)
{
	return p->engine_name;
}

void fgcal_sdpa_free(fgcal_sdpa *p)
{
	if (!p)
		return;
	if (p->stream)
		cudaStreamSynchronize(p->stream);
	for (int i = p->nd - 1; i >= 0; i--)
		L.d_destroy(p->d[i]);
	if (p->handle)
		L.destroy(p->handle);
	cudaFree(p->workspace);
	cudaFree(p->extra);
	free(p);
}
#endif
