/* fgcal_cudnn.cuh - cuDNN's fused scaled-dot-product attention (the flash-attention
 * engines cuDNN runs on Hopper), forward and backward, BF16, causal, built through
 * cuDNN's backend (graph) API as the documented fused-attention operation graph, since
 * no frontend C++ header is at hand. libcudnn is opened at run time: a machine without it
 * builds and runs fgcal, and only these two kernels say they are unavailable. */
#ifndef FGCAL_CUDNN_CUH
#define FGCAL_CUDNN_CUH
#include <cuda_runtime.h>
#include <stddef.h>

struct fgcal_sdpa;

/* Loads libcudnn ($FGCAL_CUDNN, else libcudnn.so.9 on the library path) once. Returns its
 * version (e.g. 91900), or 0 with the reason in err. */
long fgcal_cudnn_version(char *err, size_t errlen);

/* The operands, row-major [batch][heads][seq][head_dim] BF16 (stats FP32
 * [batch][heads][seq]). Forward reads q, k, v and writes o and stats; backward reads q,
 * k, v, o, stats and d_o and writes dq, dk, dv. */
struct fgcal_sdpa_io {
	void *q, *k, *v, *o, *stats, *d_o, *dq, *dk, *dv;
};

/* An execution plan for causal attention at b x h x s x d with scale 1/sqrt(d), on
 * stream st: the first engine cuDNN's heuristics (mode A) rank that builds. NULL with
 * err (which graph failed, and cuDNN's last error) when cuDNN has no engine for it. */
fgcal_sdpa *fgcal_sdpa_create(cudaStream_t st, int backward, int b, int h, int s, int d,
			      const fgcal_sdpa_io *io, char *err, size_t errlen);
/* Enqueues one run on the plan's stream. Returns 0, or -1 with err. */
int fgcal_sdpa_run(fgcal_sdpa *p, char *err, size_t errlen);
/* The engine's name as cuDNN's knob-free description gives it ("eng<N>"), for the log. */
const char *fgcal_sdpa_engine(const fgcal_sdpa *p);
void fgcal_sdpa_free(fgcal_sdpa *p);
#endif
