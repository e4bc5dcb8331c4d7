/* fgcal_kernels.cu - the kernels fgcal times: cuBLASLt BF16 GEMM and GEMV, a STREAM
 * triad, a two-kernel reduction, row softmax, layer-norm unfused (three kernels) and
 * fused (one), attention plain (cuBLAS batched GEMMs around a materialised score
 * matrix) and tiled (one WMMA kernel with an online softmax, after FlashAttention-2),
 * a pinned host-to-device copy and an empty kernel. A self-test checks each against a
 * host reference before anything is timed. */
#include "fgcal_kernels.cuh"
#include "fgcal_job.cuh"

#include <cuda_bf16.h>
#include <math.h>
#include <mma.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vector>

using namespace nvcuda;

constexpr int THREADS = 256;

/* ---- device helpers ---------------------------------------------------------------- */

__device__ __forceinline__ float warp_sum(float v)
{
	for (int o = 16; o > 0; o >>= 1)
		v += __shfl_xor_sync(0xffffffffu, v, o);
	return v;
}

/* Sum over the block; every thread gets it. scratch holds 32 floats; the block size is a
 * multiple of 32. Ends with a barrier, so scratch may be reused straight away. */
__device__ float block_sum(float v, float *scratch)
{
	int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, nwarps = blockDim.x >> 5;
	v = warp_sum(v);
	if (lane == 0)
		scratch[warp] = v;
	__syncthreads();
	float t = lane < nwarps ? scratch[lane] : 0.f;
	t = warp_sum(t);
	__syncthreads();
	return t;
}

/* The largest value and the sum of exp(x - max) over the block (an online softmax pair,
 * Milakov and Gimelshein 2018), combined without overflow. */
__device__ void block_maxsum(float &m, float &s, float *scratch)
{
	int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, nwarps = blockDim.x >> 5;
	for (int o = 16; o > 0; o >>= 1) {
		float m2 = __shfl_xor_sync(0xffffffffu, m, o), s2 = __shfl_xor_sync(0xffffffffu, s, o);
		float mm = fmaxf(m, m2);
		s = (m == -INFINITY ? 0.f : s * __expf(m - mm)) + (m2 == -INFINITY ? 0.f : s2 * __expf(m2 - mm));
		m = mm;
	}
	if (lane == 0)
		scratch[warp] = m, scratch[32 + warp] = s;
	__syncthreads();
	m = lane < nwarps ? scratch[lane] : -INFINITY;
	s = lane < nwarps ? scratch[32 + lane] : 0.f;
	for (int o = 16; o > 0; o >>= 1) {
		float m2 = __shfl_xor_sync(0xffffffffu, m, o), s2 = __shfl_xor_sync(0xffffffffu, s, o);
		float mm = fmaxf(m, m2);
		s = (m == -INFINITY ? 0.f : s * __expf(m - mm)) + (m2 == -INFINITY ? 0.f : s2 * __expf(m2 - mm));
		m = mm;
	}
	__syncthreads();
}

/* A counter-based hash (the finaliser of splitmix64) turned into a value in [-1, 1). */
__device__ __forceinline__ float hash_unit(uint64_t i, uint32_t seed)
{
	uint64_t z = i + 0x9e3779b97f4a7c15ull * (seed + 1);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	z ^= z >> 31;
	return (float)(z >> 40) * (2.0f / 16777216.0f) - 1.0f;
}

__global__ void k_fill_bf16(bf16 *x, size_t n, uint32_t seed, float scale)
{
	for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < n; i += (size_t)gridDim.x * blockDim.x)
		x[i] = __float2bfloat16(scale * hash_unit(i, seed));
}

__global__ void k_fill_f32(float *x, size_t n, uint32_t seed, float scale)
{
	for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < n; i += (size_t)gridDim.x * blockDim.x)
		x[i] = scale * hash_unit(i, seed);
}

/* ---- the kernels ------------------------------------------------------------------- */

__global__ void k_empty() {}

/* STREAM triad (McCalpin 1995), four floats per access; the tail one at a time. */
__global__ void k_triad(float *__restrict__ a, const float *__restrict__ b, const float *__restrict__ c, float s,
			size_t n)
{
	size_t n4 = n / 4, stride = (size_t)gridDim.x * blockDim.x;
	float4 *a4 = reinterpret_cast<float4 *>(a);
	const float4 *b4 = reinterpret_cast<const float4 *>(b), *c4 = reinterpret_cast<const float4 *>(c);
	for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < n4; i += stride) {
		float4 x = b4[i], y = c4[i];
		a4[i] = make_float4(x.x + s * y.x, x.y + s * y.y, x.z + s * y.z, x.w + s * y.w);
	}
	for (size_t i = 4 * n4 + blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < n; i += stride)
		a[i] = b[i] + s * c[i];
}

/* Sum of x: each block a partial sum, then one block adds the partials. */
__global__ void k_reduce_partial(const float *__restrict__ x, size_t n, float *partial)
{
	__shared__ float scratch[32];
	size_t n4 = n / 4, stride = (size_t)gridDim.x * blockDim.x;
	const float4 *x4 = reinterpret_cast<const float4 *>(x);
	float s = 0;
	for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < n4; i += stride) {
		float4 v = x4[i];
		s += (v.x + v.y) + (v.z + v.w);
	}
	for (size_t i = 4 * n4 + blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < n; i += stride)
		s += x[i];
	s = block_sum(s, scratch);
	if (threadIdx.x == 0)
		partial[blockIdx.x] = s;
}

__global__ void k_reduce_final(const float *partial, int n, float *out)
{
	__shared__ float scratch[32];
	float s = 0;
	for (int i = threadIdx.x; i < n; i += blockDim.x)
		s += partial[i];
	s = block_sum(s, scratch);
	if (threadIdx.x == 0)
		*out = s;
}

/* Row softmax, one block per row: one pass for the online max and sum, one to write
 * (the second read of a row mostly hits L2). causal_len > 0 makes it the masked softmax
 * of plain attention: row r is query r % causal_len, and keys after it get 0. */
__global__ void k_softmax(const bf16 *x, bf16 *y, int cols, int causal_len)
{
	__shared__ float scratch[64];
	const bf16 *xr = x + (size_t)blockIdx.x * cols;
	bf16 *yr = y + (size_t)blockIdx.x * cols;
	int last = causal_len > 0 ? (int)(blockIdx.x % causal_len) : cols - 1;
	float m = -INFINITY, s = 0;
	for (int j = threadIdx.x; j <= last; j += blockDim.x) {
		float v = __bfloat162float(xr[j]);
		if (v > m) {
			s = (m == -INFINITY ? 0.f : s * __expf(m - v)) + 1.f;
			m = v;
		} else {
			s += __expf(v - m);
		}
	}
	block_maxsum(m, s, scratch);
	float inv = 1.f / s;
	for (int j = threadIdx.x; j < cols; j += blockDim.x)
		yr[j] = __float2bfloat16(j <= last ? __expf(__bfloat162float(xr[j]) - m) * inv : 0.f);
}

/* Layer-norm the plain way: three kernels, each reading the rows again. */
__global__ void k_row_mean(const bf16 *x, float *mean, int cols)
{
	__shared__ float scratch[32];
	const bf16 *xr = x + (size_t)blockIdx.x * cols;
	float s = 0;
	for (int j = threadIdx.x; j < cols; j += blockDim.x)
		s += __bfloat162float(xr[j]);
	s = block_sum(s, scratch);
	if (threadIdx.x == 0)
		mean[blockIdx.x] = s / cols;
}

__global__ void k_row_rstd(const bf16 *x, const float *mean, float *rstd, int cols, float eps)
{
	__shared__ float scratch[32];
	const bf16 *xr = x + (size_t)blockIdx.x * cols;
	float mu = mean[blockIdx.x], s = 0;
	for (int j = threadIdx.x; j < cols; j += blockDim.x) {
		float d = __bfloat162float(xr[j]) - mu;
		s += d * d;
	}
	s = block_sum(s, scratch);
	if (threadIdx.x == 0)
		rstd[blockIdx.x] = rsqrtf(s / cols + eps);
}

__global__ void k_ln_apply(const bf16 *x, const float *mean, const float *rstd, const bf16 *g, const bf16 *b, bf16 *y,
			   size_t rows, int cols)
{
	size_t n = rows * cols;
	for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < n; i += (size_t)gridDim.x * blockDim.x) {
		size_t r = i / cols;
		int c = (int)(i - r * cols);
		float v = (__bfloat162float(x[i]) - mean[r]) * rstd[r];
		y[i] = __float2bfloat16(v * __bfloat162float(g[c]) + __bfloat162float(b[c]));
	}
}

/* Layer-norm fused: a row is read once into registers (PER values a thread, so rows up
 * to PER x blockDim), normalised with an exact two-pass variance, written once. */
template <int PER>
__global__ void k_ln_fused(const bf16 *x, const bf16 *g, const bf16 *b, bf16 *y, int cols, float eps)
{
	__shared__ float scratch[32];
	const bf16 *xr = x + (size_t)blockIdx.x * cols;
	bf16 *yr = y + (size_t)blockIdx.x * cols;
	float v[PER], s = 0;
#pragma unroll
	for (int i = 0; i < PER; i++) {
		int j = threadIdx.x + i * blockDim.x;
		v[i] = j < cols ? __bfloat162float(xr[j]) : 0.f;
		s += v[i];
	}
	float mu = block_sum(s, scratch) / cols, q = 0;
#pragma unroll
	for (int i = 0; i < PER; i++) {
		int j = threadIdx.x + i * blockDim.x;
		float d = j < cols ? v[i] - mu : 0.f;
		q += d * d;
	}
	float rs = rsqrtf(block_sum(q, scratch) / cols + eps);
#pragma unroll
	for (int i = 0; i < PER; i++) {
		int j = threadIdx.x + i * blockDim.x;
		if (j < cols)
			yr[j] = __float2bfloat16((v[i] - mu) * rs * __bfloat162float(g[j]) + __bfloat162float(b[j]));
	}
}

/* Causal attention, fused and tiled after FlashAttention-2 (Dao 2023): a block of four
 * warps owns 64 query rows of one (batch, head); key and value tiles of 32 rows stream
 * through shared memory; each warp computes its 16 x 32 scores with WMMA (BF16 in, FP32
 * out), updates the running max and sum of its rows (online softmax), rescales its
 * output rows and adds P V, again with WMMA. The output accumulator lives in shared
 * memory because a WMMA fragment's element-to-row mapping is opaque, and rows must be
 * rescaled. Only key tiles at or before the block's last query are visited. */
constexpr int AT_BR = 64, AT_BC = 32;

template <int D>
static size_t attn_smem_bytes()
{
	return sizeof(bf16) * (AT_BR * D + 2 * AT_BC * D + AT_BR * AT_BC) + sizeof(float) * (AT_BR * AT_BC + AT_BR * D + 3 * AT_BR);
}

template <int D>
__global__ void __launch_bounds__(128) k_attn_tiled(const bf16 *Q, const bf16 *K, const bf16 *V, bf16 *O, int S,
						    float scale_log2)
{
	extern __shared__ __align__(128) unsigned char smem[];
	bf16 *sQ = reinterpret_cast<bf16 *>(smem);
	bf16 *sK = sQ + AT_BR * D, *sV = sK + AT_BC * D;
	bf16 *sP = sV + AT_BC * D;
	float *sS = reinterpret_cast<float *>(sP + AT_BR * AT_BC);
	float *sO = sS + AT_BR * AT_BC;
	float *sM = sO + AT_BR * D, *sL = sM + AT_BR, *sA = sL + AT_BR;
	const size_t base = (size_t)blockIdx.y * S * D;
	const int q0 = blockIdx.x * AT_BR, tid = threadIdx.x, warp = tid >> 5, lane = tid & 31;
	const int VEC = 8; /* bf16 per 16-byte load */

	for (int i = tid; i < AT_BR * D / VEC; i += blockDim.x) {
		int r = i / (D / VEC), c = (i % (D / VEC)) * VEC;
		uint4 v = make_uint4(0, 0, 0, 0);
		if (q0 + r < S)
			v = *reinterpret_cast<const uint4 *>(Q + base + (size_t)(q0 + r) * D + c);
		*reinterpret_cast<uint4 *>(sQ + r * D + c) = v;
	}
	for (int i = tid; i < AT_BR * D; i += blockDim.x)
		sO[i] = 0.f;
	if (tid < AT_BR)
		sM[tid] = -INFINITY, sL[tid] = 0.f;
	__syncthreads();

	bf16 *sPw = sP + warp * 16 * AT_BC;
	float *sSw = sS + warp * 16 * AT_BC, *sOw = sO + warp * 16 * D;
	const int kend = min(S, q0 + AT_BR);
	for (int k0 = 0; k0 < kend; k0 += AT_BC) {
		for (int i = tid; i < AT_BC * D / VEC; i += blockDim.x) {
			int r = i / (D / VEC), c = (i % (D / VEC)) * VEC;
			uint4 kv = make_uint4(0, 0, 0, 0), vv = kv;
			if (k0 + r < S) {
				kv = *reinterpret_cast<const uint4 *>(K + base + (size_t)(k0 + r) * D + c);
				vv = *reinterpret_cast<const uint4 *>(V + base + (size_t)(k0 + r) * D + c);
			}
			*reinterpret_cast<uint4 *>(sK + r * D + c) = kv;
			*reinterpret_cast<uint4 *>(sV + r * D + c) = vv;
		}
		__syncthreads();

		/* Scores of this warp's 16 rows against the 32 keys: Q_w K^T. */
		wmma::fragment<wmma::accumulator, 16, 16, 16, float> acc[AT_BC / 16];
		for (int j = 0; j < AT_BC / 16; j++)
			wmma::fill_fragment(acc[j], 0.f);
		for (int kk = 0; kk < D; kk += 16) {
			wmma::fragment<wmma::matrix_a, 16, 16, 16, bf16, wmma::row_major> a;
			wmma::load_matrix_sync(a, sQ + warp * 16 * D + kk, D);
			for (int j = 0; j < AT_BC / 16; j++) {
				/* K^T as a column-major operand: element (k, n) is K[n][k]. */
				wmma::fragment<wmma::matrix_b, 16, 16, 16, bf16, wmma::col_major> b;
				wmma::load_matrix_sync(b, sK + j * 16 * D + kk, D);
				wmma::mma_sync(acc[j], a, b, acc[j]);
			}
		}
		for (int j = 0; j < AT_BC / 16; j++)
			wmma::store_matrix_sync(sSw + j * 16, acc[j], AT_BC, wmma::mem_row_major);
		__syncwarp();

		/* Online softmax: two lanes per row, 16 columns each, in base 2. */
		const int r = lane >> 1, c0 = (lane & 1) * 16, row = warp * 16 + r, qi = q0 + row;
		float val[16], mx = -INFINITY;
#pragma unroll
		for (int c = 0; c < 16; c++) {
			int kj = k0 + c0 + c;
			float v = sSw[r * AT_BC + c0 + c] * scale_log2;
			val[c] = (kj > qi || kj >= S) ? -INFINITY : v;
			mx = fmaxf(mx, val[c]);
		}
		mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, 1));
		const float m_old = sM[row], m_new = fmaxf(m_old, mx);
		float alpha = 1.f, sum = 0.f;
		if (m_new != -INFINITY)
			alpha = m_old == -INFINITY ? 0.f : exp2f(m_old - m_new);
#pragma unroll
		for (int c = 0; c < 16; c++) {
			float p = (m_new == -INFINITY || val[c] == -INFINITY) ? 0.f : exp2f(val[c] - m_new);
			sum += p;
			sPw[r * AT_BC + c0 + c] = __float2bfloat16(p);
		}
		sum += __shfl_xor_sync(0xffffffffu, sum, 1);
		__syncwarp();
		if (!(lane & 1)) {
			sM[row] = m_new;
			sL[row] = sL[row] * alpha + sum;
			sA[row] = alpha;
		}
		__syncwarp();
		for (int i = lane; i < 16 * D; i += 32)
			sOw[i] *= sA[warp * 16 + i / D];
		__syncwarp();

		/* O_w += P_w V. */
		for (int n = 0; n < D / 16; n++) {
			wmma::fragment<wmma::accumulator, 16, 16, 16, float> o;
			wmma::load_matrix_sync(o, sOw + n * 16, D, wmma::mem_row_major);
			for (int kk = 0; kk < AT_BC; kk += 16) {
				wmma::fragment<wmma::matrix_a, 16, 16, 16, bf16, wmma::row_major> a;
				wmma::fragment<wmma::matrix_b, 16, 16, 16, bf16, wmma::row_major> b;
				wmma::load_matrix_sync(a, sPw + kk, AT_BC);
				wmma::load_matrix_sync(b, sV + kk * D + n * 16, D);
				wmma::mma_sync(o, a, b, o);
			}
			wmma::store_matrix_sync(sOw + n * 16, o, D, wmma::mem_row_major);
		}
		__syncthreads(); /* the next tile overwrites sK and sV */
	}
	for (int i = tid; i < AT_BR * D; i += blockDim.x) {
		int r = i / D, c = i % D;
		if (q0 + r < S)
			O[base + (size_t)(q0 + r) * D + c] = __float2bfloat16(sO[i] / sL[r]);
	}
}

/* ---- jobs -------------------------------------------------------------------------- */

static const struct {
	const char *name;
	kind k;
	int ndims;
} names[] = {{"launch_empty", K_EMPTY, 1},     {"gemm_bf16", K_GEMM, 3},
	     {"gemv_bf16", K_GEMM, 3},         {"triad_fp32", K_TRIAD, 1},
	     {"reduce_fp32", K_REDUCE, 1},     {"softmax_bf16", K_SOFTMAX, 2},
	     {"layernorm_unfused_bf16", K_LN_UNFUSED, 2}, {"layernorm_fused_bf16", K_LN_FUSED, 2},
	     {"attention_naive_bf16", K_ATTN_NAIVE, 4},   {"attention_tiled_bf16", K_ATTN_TILED, 4},
	     {"h2d_pinned", K_H2D, 1},
	     {"attention_cudnn_bf16", K_ATTN_CUDNN, 4},   {"attention_cudnn_bwd_bf16", K_ATTN_CUDNN_BWD, 4}};

static int grid_for(const fgcal_ctx *ctx, size_t work)
{
	size_t blocks = (work + THREADS - 1) / THREADS, cap = (size_t)ctx->sm_count * 32;
	return (int)(blocks < 1 ? 1 : blocks > cap ? cap : blocks);
}

static int alloc_bf16(fgcal_job *j, int slot, size_t n, uint32_t seed, float scale, char *err, size_t errlen)
{
	CK(cudaMalloc(&j->buf[slot], n * sizeof(bf16)));
	k_fill_bf16<<<grid_for(j->ctx, n), THREADS, 0, j->ctx->stream>>>((bf16 *)j->buf[slot], n, seed, scale);
	CK(cudaGetLastError());
	return 0;
}

static int alloc_f32(fgcal_job *j, int slot, size_t n, uint32_t seed, float scale, char *err, size_t errlen)
{
	CK(cudaMalloc(&j->buf[slot], n * sizeof(float)));
	k_fill_f32<<<grid_for(j->ctx, n), THREADS, 0, j->ctx->stream>>>((float *)j->buf[slot], n, seed, scale);
	CK(cudaGetLastError());
	return 0;
}

/* C (m x n) = A (m x k) B (k x n), column-major, BF16 with FP32 accumulation, the
 * algorithm cuBLASLt's heuristic ranks first for this shape and workspace. */
static int gemm_setup(fgcal_job *j, char *err, size_t errlen)
{
	fgcal_ctx *c = j->ctx;
	uint64_t m = j->d[0], n = j->d[1], k = j->d[2];
	cublasOperation_t no = CUBLAS_OP_N;
	CB(cublasLtMatmulDescCreate(&j->op, CUBLAS_COMPUTE_32F, CUDA_R_32F));
	CB(cublasLtMatmulDescSetAttribute(j->op, CUBLASLT_MATMUL_DESC_TRANSA, &no, sizeof no));
	CB(cublasLtMatmulDescSetAttribute(j->op, CUBLASLT_MATMUL_DESC_TRANSB, &no, sizeof no));
	CB(cublasLtMatrixLayoutCreate(&j->la, CUDA_R_16BF, m, k, (int64_t)m));
	CB(cublasLtMatrixLayoutCreate(&j->lb, CUDA_R_16BF, k, n, (int64_t)k));
	CB(cublasLtMatrixLayoutCreate(&j->lc, CUDA_R_16BF, m, n, (int64_t)m));
	j->have_gemm = true;
	cublasLtMatmulPreference_t pref;
	CB(cublasLtMatmulPreferenceCreate(&pref));
	size_t ws = c->workspace_bytes;
	cublasLtMatmulPreferenceSetAttribute(pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &ws, sizeof ws);
	cublasLtMatmulHeuristicResult_t res;
	int nres = 0;
	cublasStatus_t st = cublasLtMatmulAlgoGetHeuristic(c->lt, j->op, j->la, j->lb, j->lc, j->lc, pref, 1, &res, &nres);
	cublasLtMatmulPreferenceDestroy(pref);
	if (st != CUBLAS_STATUS_SUCCESS || nres < 1)
		return FAIL("cuBLASLt has no algorithm for a %llux%llux%llu BF16 GEMM (status %d)", (unsigned long long)m,
			    (unsigned long long)n, (unsigned long long)k, (int)st);
	j->algo = res.algo;
	return 0;
}

/* cuDNN's fused attention: buffers 0-3 Q, K, V, O, 4 the FP32 row statistics; for the
 * backward also 5 dO, 6-8 dQ, dK, dV, and one forward run at creation so that O and the
 * statistics it reads are the real ones. */
static int attn_cudnn_setup(fgcal_job *j, const char *name, char *err, size_t errlen)
{
	size_t *d = j->d, n = d[0] * d[1] * d[2] * d[3];
	int bwd = j->k == K_ATTN_CUDNN_BWD;
	if (alloc_bf16(j, 0, n, 18, 1.f, err, errlen) || alloc_bf16(j, 1, n, 19, 1.f, err, errlen) ||
	    alloc_bf16(j, 2, n, 20, 1.f, err, errlen) || alloc_bf16(j, 3, n, 21, 0.f, err, errlen) ||
	    alloc_f32(j, 4, d[0] * d[1] * d[2], 22, 0.f, err, errlen))
		return 1;
	if (bwd && (alloc_bf16(j, 5, n, 23, 1.f, err, errlen) || alloc_bf16(j, 6, n, 24, 0.f, err, errlen) ||
		    alloc_bf16(j, 7, n, 25, 0.f, err, errlen) || alloc_bf16(j, 8, n, 26, 0.f, err, errlen)))
		return 1;
	fgcal_sdpa_io io = {j->buf[0], j->buf[1], j->buf[2], j->buf[3], j->buf[4],
			    j->buf[5], j->buf[6], j->buf[7], j->buf[8]};
	int b = (int)d[0], h = (int)d[1], s = (int)d[2], hd = (int)d[3];
	fgcal_sdpa *fwd = fgcal_sdpa_create(j->ctx->stream, 0, b, h, s, hd, &io, err, errlen);
	if (!fwd)
		return 1;
	if (!bwd) {
		j->sdpa = fwd;
		return 0;
	}
	int rc = fgcal_sdpa_run(fwd, err, errlen);
	fgcal_sdpa_free(fwd);
	if (rc || !(j->sdpa = fgcal_sdpa_create(j->ctx->stream, 1, b, h, s, hd, &io, err, errlen))) {
		if (!rc)
			snprintf(err + strlen(err), errlen - strlen(err), " (%s)", name);
		return 1;
	}
	return 0;
}

fgcal_job *fgcal_job_create(fgcal_ctx *ctx, const char *name, const char *shape, char *err, size_t errlen)
{
	fgcal_job *j = (fgcal_job *)calloc(1, sizeof *j);
	if (!j) {
		snprintf(err, errlen, "out of host memory");
		return NULL;
	}
	j->ctx = ctx;
	int nd = -1;
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (!strcmp(names[i].name, name))
			j->k = names[i].k, nd = names[i].ndims;
	unsigned long long v[4] = {1, 1, 1, 1};
	char tail;
	int got = sscanf(shape, "%llux%llux%llux%llu%c", &v[0], &v[1], &v[2], &v[3], &tail);
	if (nd < 0 || got != nd) {
		snprintf(err, errlen, nd < 0 ? "%s: not a kernel fgcal has" : "%s: shape \"%s\" does not parse", name, shape);
		free(j);
		return NULL;
	}
	for (int i = 0; i < 4; i++)
		j->d[i] = (size_t)v[i];
	size_t *d = j->d;
	int rc = 0;
	switch (j->k) {
	case K_EMPTY: break;
	case K_GEMM:
		/* Values of 1/8 keep BF16 sums of thousands of products well inside range. */
		rc = alloc_bf16(j, 0, d[0] * d[2], 1, 0.125f, err, errlen) || alloc_bf16(j, 1, d[2] * d[1], 2, 0.125f, err, errlen) ||
		     alloc_bf16(j, 2, d[0] * d[1], 3, 0.f, err, errlen) || gemm_setup(j, err, errlen);
		break;
	case K_TRIAD:
		rc = alloc_f32(j, 0, d[0], 4, 0.f, err, errlen) || alloc_f32(j, 1, d[0], 5, 1.f, err, errlen) ||
		     alloc_f32(j, 2, d[0], 6, 1.f, err, errlen);
		j->grid = grid_for(ctx, d[0] / 4 + 1);
		break;
	case K_REDUCE:
		j->grid = ctx->sm_count * 4 > 1024 ? 1024 : ctx->sm_count * 4;
		rc = alloc_f32(j, 0, d[0], 7, 1.f, err, errlen) || alloc_f32(j, 1, (size_t)j->grid, 8, 0.f, err, errlen) ||
		     alloc_f32(j, 2, 1, 9, 0.f, err, errlen);
		break;
	case K_SOFTMAX:
		rc = alloc_bf16(j, 0, d[0] * d[1], 10, 4.f, err, errlen) || alloc_bf16(j, 1, d[0] * d[1], 11, 0.f, err, errlen);
		break;
	case K_LN_UNFUSED:
	case K_LN_FUSED:
		if (j->k == K_LN_FUSED && d[1] > 32 * THREADS) {
			snprintf(err, errlen, "%s: rows of %zu are longer than the fused kernel holds (%d)", name, d[1], 32 * THREADS);
			rc = 1;
			break;
		}
		rc = alloc_bf16(j, 0, d[0] * d[1], 12, 1.f, err, errlen) || alloc_bf16(j, 1, d[1], 13, 1.f, err, errlen) ||
		     alloc_bf16(j, 2, d[1], 14, 0.5f, err, errlen) || alloc_bf16(j, 3, d[0] * d[1], 15, 0.f, err, errlen) ||
		     alloc_f32(j, 4, d[0], 16, 0.f, err, errlen) || alloc_f32(j, 5, d[0], 17, 0.f, err, errlen);
		j->grid = grid_for(ctx, d[0] * d[1]);
		break;
	case K_ATTN_NAIVE:
	case K_ATTN_TILED: {
		size_t bh = d[0] * d[1], s = d[2], hd = d[3];
		if (hd != 64 && hd != 128) {
			snprintf(err, errlen, "%s: head dimension %zu (64 or 128 only)", name, hd);
			rc = 1;
			break;
		}
		rc = alloc_bf16(j, 0, bh * s * hd, 18, 1.f, err, errlen) || alloc_bf16(j, 1, bh * s * hd, 19, 1.f, err, errlen) ||
		     alloc_bf16(j, 2, bh * s * hd, 20, 1.f, err, errlen) || alloc_bf16(j, 3, bh * s * hd, 21, 0.f, err, errlen);
		if (!rc && j->k == K_ATTN_NAIVE)
			rc = alloc_bf16(j, 4, bh * s * s, 22, 0.f, err, errlen);
		if (!rc && j->k == K_ATTN_TILED) {
			size_t bytes = hd == 64 ? attn_smem_bytes<64>() : attn_smem_bytes<128>();
			cudaError_t e = hd == 64 ? cudaFuncSetAttribute(k_attn_tiled<64>, cudaFuncAttributeMaxDynamicSharedMemorySize, (int)bytes)
						 : cudaFuncSetAttribute(k_attn_tiled<128>, cudaFuncAttributeMaxDynamicSharedMemorySize, (int)bytes);
			if (e != cudaSuccess || bytes > ctx->smem_optin) {
				snprintf(err, errlen, "%s: needs %zu bytes of shared memory per block, the device allows %zu (%s)", name,
					 bytes, ctx->smem_optin, cudaGetErrorString(e));
				rc = 1;
			}
		}
		break;
	}
	case K_ATTN_CUDNN:
	case K_ATTN_CUDNN_BWD:
		rc = attn_cudnn_setup(j, name, err, errlen);
		break;
	case K_H2D: {
		cudaError_t e = cudaMallocHost(&j->host, d[0]);
		if (e == cudaSuccess) {
			memset(j->host, 1, d[0]);
			e = cudaMalloc(&j->buf[0], d[0]);
		}
		if (e != cudaSuccess) {
			snprintf(err, errlen, "%s %s: %s", name, shape, cudaGetErrorString(e));
			rc = 1;
		}
		break;
	}
	}
	if (!rc && cudaStreamSynchronize(ctx->stream) != cudaSuccess) {
		snprintf(err, errlen, "%s %s: %s", name, shape, cudaGetErrorString(cudaGetLastError()));
		rc = 1;
	}
	if (rc) {
		fgcal_job_free(j);
		return NULL;
	}
	return j;
}

static int gemm_run(fgcal_job *j, const bf16 *A, const bf16 *B, bf16 *C, char *err, size_t errlen)
{
	const float one = 1.f, zero = 0.f;
	fgcal_ctx *c = j->ctx;
	CB(cublasLtMatmul(c->lt, j->op, &one, A, j->la, B, j->lb, &zero, C, j->lc, C, j->lc, &j->algo, c->workspace,
			  c->workspace_bytes, c->stream));
	return 0;
}

int fgcal_job_run(fgcal_job *j, char *err, size_t errlen)
{
	fgcal_ctx *c = j->ctx;
	cudaStream_t st = c->stream;
	size_t *d = j->d;
	switch (j->k) {
	case K_EMPTY: k_empty<<<1, 32, 0, st>>>(); break;
	case K_GEMM:
		if (gemm_run(j, (const bf16 *)j->buf[0], (const bf16 *)j->buf[1], (bf16 *)j->buf[2], err, errlen))
			return -1;
		break;
	case K_TRIAD:
		k_triad<<<j->grid, THREADS, 0, st>>>((float *)j->buf[0], (const float *)j->buf[1], (const float *)j->buf[2], 3.f, d[0]);
		break;
	case K_REDUCE:
		k_reduce_partial<<<j->grid, THREADS, 0, st>>>((const float *)j->buf[0], d[0], (float *)j->buf[1]);
		k_reduce_final<<<1, 1024, 0, st>>>((const float *)j->buf[1], j->grid, (float *)j->buf[2]);
		break;
	case K_SOFTMAX:
		k_softmax<<<(unsigned)d[0], THREADS, 0, st>>>((const bf16 *)j->buf[0], (bf16 *)j->buf[1], (int)d[1], 0);
		break;
	case K_LN_UNFUSED:
		k_row_mean<<<(unsigned)d[0], THREADS, 0, st>>>((const bf16 *)j->buf[0], (float *)j->buf[4], (int)d[1]);
		k_row_rstd<<<(unsigned)d[0], THREADS, 0, st>>>((const bf16 *)j->buf[0], (const float *)j->buf[4], (float *)j->buf[5],
							     (int)d[1], 1e-5f);
		k_ln_apply<<<j->grid, THREADS, 0, st>>>((const bf16 *)j->buf[0], (const float *)j->buf[4], (const float *)j->buf[5],
							(const bf16 *)j->buf[1], (const bf16 *)j->buf[2], (bf16 *)j->buf[3], d[0], (int)d[1]);
		break;
	case K_LN_FUSED:
		k_ln_fused<32><<<(unsigned)d[0], THREADS, 0, st>>>((const bf16 *)j->buf[0], (const bf16 *)j->buf[1],
								    (const bf16 *)j->buf[2], (bf16 *)j->buf[3], (int)d[1], 1e-5f);
		break;
	case K_ATTN_NAIVE: {
		/* Row-major Q, K, V, O of [batch x heads][seq][head_dim]; cuBLAS is column-major,
		 * so S (row-major seq x seq) = Q K^T is computed as the column-major K'^T Q' with
		 * K' and Q' the column-major head_dim x seq views, and O = P V as V' P'. */
		long long s = (long long)d[2], hd = (long long)d[3], bh = (long long)(d[0] * d[1]);
		const float scale = 1.f / sqrtf((float)hd), one = 1.f, zero = 0.f;
		CB(cublasSetStream(c->blas, st));
		CB(cublasGemmStridedBatchedEx(c->blas, CUBLAS_OP_T, CUBLAS_OP_N, (int)s, (int)s, (int)hd, &scale, j->buf[1],
					      CUDA_R_16BF, (int)hd, s * hd, j->buf[0], CUDA_R_16BF, (int)hd, s * hd, &zero,
					      j->buf[4], CUDA_R_16BF, (int)s, s * s, (int)bh, CUBLAS_COMPUTE_32F,
					      CUBLAS_GEMM_DEFAULT));
		k_softmax<<<(unsigned)(bh * s), THREADS, 0, st>>>((const bf16 *)j->buf[4], (bf16 *)j->buf[4], (int)s, (int)s);
		CB(cublasGemmStridedBatchedEx(c->blas, CUBLAS_OP_N, CUBLAS_OP_N, (int)hd, (int)s, (int)s, &one, j->buf[2],
					      CUDA_R_16BF, (int)hd, s * hd, j->buf[4], CUDA_R_16BF, (int)s, s * s, &zero,
					      j->buf[3], CUDA_R_16BF, (int)hd, s * hd, (int)bh, CUBLAS_COMPUTE_32F,
					      CUBLAS_GEMM_DEFAULT));
		break;
	}
	case K_ATTN_TILED: {
		int s = (int)d[2];
		dim3 grid((unsigned)((s + AT_BR - 1) / AT_BR), (unsigned)(d[0] * d[1]));
		float scale_log2 = 1.4426950408889634f / sqrtf((float)d[3]);
		if (d[3] == 64)
			k_attn_tiled<64><<<grid, 128, attn_smem_bytes<64>(), st>>>((const bf16 *)j->buf[0], (const bf16 *)j->buf[1],
										  (const bf16 *)j->buf[2], (bf16 *)j->buf[3], s, scale_log2);
		else
			k_attn_tiled<128><<<grid, 128, attn_smem_bytes<128>(), st>>>((const bf16 *)j->buf[0], (const bf16 *)j->buf[1],
										    (const bf16 *)j->buf[2], (bf16 *)j->buf[3], s, scale_log2);
		break;
	}
	case K_H2D: CK(cudaMemcpyAsync(j->buf[0], j->host, d[0], cudaMemcpyHostToDevice, st)); break;
	case K_ATTN_CUDNN:
	case K_ATTN_CUDNN_BWD:
		if (fgcal_sdpa_run(j->sdpa, err, errlen))
			return -1;
		break;
	}
	CK(cudaGetLastError());
	return 0;
}

void fgcal_job_free(fgcal_job *j)
{
	if (!j)
		return;
	cudaStreamSynchronize(j->ctx->stream);
	fgcal_sdpa_free(j->sdpa);
	for (int i = 0; i < NBUF; i++)
		if (j->buf[i])
			cudaFree(j->buf[i]);
	if (j->host)
		cudaFreeHost(j->host);
	if (j->have_gemm) {
		cublasLtMatrixLayoutDestroy(j->la);
		cublasLtMatrixLayoutDestroy(j->lb);
		cublasLtMatrixLayoutDestroy(j->lc);
		cublasLtMatmulDescDestroy(j->op);
	}
	free(j);
}

int fgcal_ctx_init(fgcal_ctx *ctx, char *err, size_t errlen)
{
	memset(ctx, 0, sizeof *ctx);
	int dev, optin = 0;
	CK(cudaGetDevice(&dev));
	CK(cudaDeviceGetAttribute(&ctx->sm_count, cudaDevAttrMultiProcessorCount, dev));
	CK(cudaDeviceGetAttribute(&optin, cudaDevAttrMaxSharedMemoryPerBlockOptin, dev));
	ctx->smem_optin = (size_t)optin;
	CK(cudaStreamCreateWithFlags(&ctx->stream, cudaStreamNonBlocking));
	CB(cublasLtCreate(&ctx->lt));
	CB(cublasCreate(&ctx->blas));
	/* 32 MiB: what cuBLAS asks for on Hopper for its fastest kernels. */
	ctx->workspace_bytes = (size_t)32 << 20;
	CK(cudaMalloc(&ctx->workspace, ctx->workspace_bytes));
	CB(cublasSetWorkspace(ctx->blas, ctx->workspace, ctx->workspace_bytes));
	return 0;
}

void fgcal_ctx_free(fgcal_ctx *ctx)
{
	if (ctx->blas)
		cublasDestroy(ctx->blas);
	if (ctx->lt)
		cublasLtDestroy(ctx->lt);
	if (ctx->workspace)
		cudaFree(ctx->workspace);
	if (ctx->stream)
		cudaStreamDestroy(ctx->stream);
	memset(ctx, 0, sizeof *ctx);
}
