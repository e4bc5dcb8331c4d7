/* fgcal_job.cuh - what fgcal_kernels.cu and fgcal_selftest.cu share inside the harness:
 * a job's layout (its kind, dimensions and buffers) and the error macros. Not for other
 * files: they go through fgcal_kernels.cuh. */
#ifndef FGCAL_JOB_CUH
#define FGCAL_JOB_CUH
#include <cuda_bf16.h>
#include <stdio.h>

#include "fgcal_cudnn.cuh"
#include "fgcal_kernels.cuh"

typedef __nv_bfloat16 bf16;

/* A failure with its message in err; the value -1. */
#define FAIL(...) (snprintf(err, errlen, __VA_ARGS__), -1)
/* A CUDA runtime call that must succeed: on failure, the call and the error go to err. */
#define CK(call) \
	do { \
		cudaError_t e_ = (call); \
		if (e_ != cudaSuccess) \
			return FAIL("%s:%d: %s: %s", __FILE__, __LINE__, #call, \
				    cudaGetErrorString(e_)); \
	} while (0)
#define CB(call) \
	do { \
		cublasStatus_t s_ = (call); \
		if (s_ != CUBLAS_STATUS_SUCCESS) \
			return FAIL("%s:%d: %s: cuBLAS status %d", __FILE__, __LINE__, #call, \
				    (int)s_); \
	} while (0)

enum kind {
	K_EMPTY,
	K_GEMM,
	K_TRIAD,
	K_REDUCE,
	K_SOFTMAX,
	K_LN_UNFUSED,
	K_LN_FUSED,
	K_ATTN_NAIVE,
	K_ATTN_TILED,
	K_H2D,
	K_ATTN_CUDNN,
	K_ATTN_CUDNN_BWD
};
enum { NBUF = 10 };

struct fgcal_job {
	fgcal_ctx *ctx;
	kind k;
	size_t d[4];
	void *buf[NBUF];  /* device buffers */
	fgcal_sdpa *sdpa; /* cuDNN's fused attention plan (forward or backward) */
	void *host;       /* pinned host buffer */
	/* cuBLASLt GEMM */
	cublasLtMatmulDesc_t op;
	cublasLtMatrixLayout_t la, lb, lc;
	cublasLtMatmulAlgo_t algo;
	bool have_gemm;
	int grid;
};

#endif
