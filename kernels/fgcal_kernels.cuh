/* fgcal_kernels.cuh - the kernels bin/fgcal times, each behind one interface: create
 * an instance for a kernel name and shape (its buffers allocated and filled), enqueue
 * it as often as needed, free it. Names and shapes are those of the kernel vocabulary
 * in models/platform/calibration.c, whose FLOP and byte counts these kernels must match. */
#ifndef FGCAL_KERNELS_CUH
#define FGCAL_KERNELS_CUH
#include <cublasLt.h>
#include <cublas_v2.h>
#include <cuda_runtime.h>
#include <stddef.h>

struct fgcal_ctx {
	cudaStream_t stream;
	cublasLtHandle_t lt;
	cublasHandle_t blas;
	void *workspace;
	size_t workspace_bytes;
	int sm_count;
	size_t smem_optin; /* the most dynamic shared memory a block may ask for */
};

struct fgcal_job;

/* Sets up streams, cuBLAS handles and the workspace on the current device. Returns 0, or
 * -1 with a message in err. */
int fgcal_ctx_init(fgcal_ctx *ctx, char *err, size_t errlen);
void fgcal_ctx_free(fgcal_ctx *ctx);

/* An instance of kernel `name` at `shape`, inputs filled with small random values.
 * NULL with a message in err when the name is unknown, the shape does not parse or the
 * device has not the memory. */
fgcal_job *fgcal_job_create(fgcal_ctx *ctx, const char *name, const char *shape, char *err, size_t errlen);
/* Enqueues one invocation on ctx->stream. Returns 0, or -1 with a message in err. */
int fgcal_job_run(fgcal_job *j, char *err, size_t errlen);
void fgcal_job_free(fgcal_job *j);

/* Runs every custom kernel (and each cuBLAS call the way fgcal calls it) on small shapes
 * and compares the results with a host reference. Returns 0, or -1 with the first
 * mismatch in err: timings of a wrong kernel are worthless. */
int fgcal_selftest(fgcal_ctx *ctx, char *err, size_t errlen);
#endif
