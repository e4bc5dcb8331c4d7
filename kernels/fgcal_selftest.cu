/* fgcal_selftest.cu - every kernel of fgcal against a reference before anything is
 * timed: a host reference in double for each kernel at shapes that are not multiples of
 * any tile, and cuDNN's fused attention (forward and backward) against the host and the
 * plain kernel. A wrong kernel's timings are worthless. */
#include <math.h>
#include <string.h>

#include <vector>

#include "fgcal_job.cuh"

/* ---- self-test --------------------------------------------------------------------- */

static float bf2f(bf16 v)
{
	return __bfloat162float(v);
}

static int fetch_bf16(std::vector<float> &out, const void *dev, size_t n, char *err, size_t errlen)
{
	std::vector<bf16> tmp(n);
	CK(cudaMemcpy(tmp.data(), dev, n * sizeof(bf16), cudaMemcpyDeviceToHost));
	out.resize(n);
	for (size_t i = 0; i < n; i++)
		out[i] = bf2f(tmp[i]);
	return 0;
}

static int fetch_f32(std::vector<float> &out, const void *dev, size_t n, char *err, size_t errlen)
{
	out.resize(n);
	CK(cudaMemcpy(out.data(), dev, n * sizeof(float), cudaMemcpyDeviceToHost));
	return 0;
}

/* Worst |got - want| / (atol + rtol |want|) over the arrays: <= 1 passes. */
static double worst(const std::vector<float> &got, const std::vector<double> &want, double atol,
		    double rtol, size_t *at)
{
	double w = 0;
	for (size_t i = 0; i < want.size(); i++) {
		double e = fabs((double)got[i] - want[i]) / (atol + rtol * fabs(want[i]));
		if (!(e <= w))
			w = e, *at = i;
	}
	return w;
}

static int check(const char *what, const std::vector<float> &got, const std::vector<double> &want,
		 double atol, double rtol, char *err, size_t errlen)
{
	size_t at = 0;
	double w = worst(got, want, atol, rtol, &at);
	if (w > 1)
		return FAIL("self-test %s: element %zu is %.6g, the host reference says %.6g",
			    what, at, got[at], want[at]);
	return 0;
}

static int run_and_sync(fgcal_job *j, char *err, size_t errlen)
{
	if (fgcal_job_run(j, err, errlen))
		return -1;
	CK(cudaStreamSynchronize(j->ctx->stream));
	return 0;
}

/* Host causal attention on the job's inputs, in double. */
static void ref_attention(const std::vector<float> &q, const std::vector<float> &k,
			  const std::vector<float> &v, size_t bh, size_t s, size_t hd,
			  std::vector<double> &o)
{
	o.assign(bh * s * hd, 0);
	std::vector<double> p(s);
	for (size_t b = 0; b < bh; b++)
		for (size_t i = 0; i < s; i++) {
			double m = -INFINITY, sum = 0;
			for (size_t jj = 0; jj <= i; jj++) {
				double dot = 0;
				for (size_t t = 0; t < hd; t++)
					dot += (double)q[(b * s + i) * hd + t] *
					       k[(b * s + jj) * hd + t];
				p[jj] = dot / sqrt((double)hd);
				m = fmax(m, p[jj]);
			}
			for (size_t jj = 0; jj <= i; jj++)
				sum += p[jj] = exp(p[jj] - m);
			for (size_t jj = 0; jj <= i; jj++)
				for (size_t t = 0; t < hd; t++)
					o[(b * s + i) * hd + t] += p[jj] / sum *
								   v[(b * s + jj) * hd + t];
		}
}

static int selftest_one(fgcal_ctx *ctx, const char *name, const char *shape, char *err,
			size_t errlen)
{
	fgcal_job *j = fgcal_job_create(ctx, name, shape, err, errlen);
	if (!j)
		return -1;
	int rc = run_and_sync(j, err, errlen);
	size_t *d = j->d;
	std::vector<float> a, b, c, g, out;
	std::vector<double> want;
	char what[128];
	snprintf(what, sizeof what, "%s %s", name, shape);
	switch (j->k) {
	case K_GEMM:
		rc = rc || fetch_bf16(a, j->buf[0], d[0] * d[2], err, errlen) ||
		     fetch_bf16(b, j->buf[1], d[2] * d[1], err, errlen) ||
		     fetch_bf16(out, j->buf[2], d[0] * d[1], err, errlen);
		if (!rc) {
			want.assign(d[0] * d[1], 0);
			for (size_t col = 0; col < d[1]; col++)
				for (size_t t = 0; t < d[2]; t++)
					for (size_t row = 0; row < d[0]; row++)
						want[row + col * d[0]] +=
							(double)a[row + t * d[0]] *
							b[t + col * d[2]];
			rc = check(what, out, want, 2e-2, 1e-2, err, errlen);
		}
		break;
	case K_TRIAD:
		rc = rc || fetch_f32(a, j->buf[1], d[0], err, errlen) ||
		     fetch_f32(b, j->buf[2], d[0], err, errlen) ||
		     fetch_f32(out, j->buf[0], d[0], err, errlen);
		if (!rc) {
			want.resize(d[0]);
			for (size_t i = 0; i < d[0]; i++)
				want[i] = a[i] + 3.0 * b[i];
			rc = check(what, out, want, 1e-6, 1e-6, err, errlen);
		}
		break;
	case K_REDUCE:
		rc = rc || fetch_f32(a, j->buf[0], d[0], err, errlen) ||
		     fetch_f32(out, j->buf[2], 1, err, errlen);
		if (!rc) {
			want.assign(1, 0);
			for (size_t i = 0; i < d[0]; i++)
				want[0] += a[i];
			rc = check(what, out, want, 1e-2, 1e-4, err, errlen);
		}
		break;
	case K_SOFTMAX:
		rc = rc || fetch_bf16(a, j->buf[0], d[0] * d[1], err, errlen) ||
		     fetch_bf16(out, j->buf[1], d[0] * d[1], err, errlen);
		if (!rc) {
			want.resize(d[0] * d[1]);
			for (size_t r = 0; r < d[0]; r++) {
				double m = -INFINITY, s = 0;
				for (size_t i = 0; i < d[1]; i++)
					m = fmax(m, a[r * d[1] + i]);
				for (size_t i = 0; i < d[1]; i++)
					s += exp(a[r * d[1] + i] - m);
				for (size_t i = 0; i < d[1]; i++)
					want[r * d[1] + i] = exp(a[r * d[1] + i] - m) / s;
			}
			rc = check(what, out, want, 1e-4, 1e-2, err, errlen);
		}
		break;
	case K_LN_UNFUSED:
	case K_LN_FUSED:
		rc = rc || fetch_bf16(a, j->buf[0], d[0] * d[1], err, errlen) ||
		     fetch_bf16(g, j->buf[1], d[1], err, errlen) ||
		     fetch_bf16(b, j->buf[2], d[1], err, errlen) ||
		     fetch_bf16(out, j->buf[3], d[0] * d[1], err, errlen);
		if (!rc) {
			want.resize(d[0] * d[1]);
			for (size_t r = 0; r < d[0]; r++) {
				double mu = 0, var = 0;
				for (size_t i = 0; i < d[1]; i++)
					mu += a[r * d[1] + i];
				mu /= (double)d[1];
				for (size_t i = 0; i < d[1]; i++)
					var += (a[r * d[1] + i] - mu) * (a[r * d[1] + i] - mu);
				double rs = 1 / sqrt(var / (double)d[1] + 1e-5);
				for (size_t i = 0; i < d[1]; i++)
					want[r * d[1] + i] = (a[r * d[1] + i] - mu) * rs * g[i] +
							     b[i];
			}
			rc = check(what, out, want, 2e-2, 1e-2, err, errlen);
		}
		break;
	case K_ATTN_NAIVE:
	case K_ATTN_TILED: {
		size_t bh = d[0] * d[1], n = bh * d[2] * d[3];
		rc = rc || fetch_bf16(a, j->buf[0], n, err, errlen) ||
		     fetch_bf16(b, j->buf[1], n, err, errlen) ||
		     fetch_bf16(c, j->buf[2], n, err, errlen) ||
		     fetch_bf16(out, j->buf[3], n, err, errlen);
		if (!rc) {
			ref_attention(a, b, c, bh, d[2], d[3], want);
			rc = check(what, out, want, 3e-2, 3e-2, err, errlen);
		}
		break;
	}
	case K_H2D: {
		std::vector<unsigned char> back(d[0]);
		if (!rc && cudaMemcpy(back.data(), j->buf[0], d[0], cudaMemcpyDeviceToHost) !=
				   cudaSuccess)
			rc = FAIL("self-test %s: copy back failed", what);
		if (!rc && memcmp(back.data(), j->host, d[0]))
			rc = FAIL("self-test %s: the device holds other bytes than were copied",
				  what);
		break;
	}
	default: break;
	}
	fgcal_job_free(j);
	return rc ? -1 : 0;
}

/* ||got - want|| / ||want|| (METHOD: BF16 operands land between 1e-3 and 1e-2); any NaN
 * fails, since outputs are poisoned with NaN before the run. */
static int check_norm(const char *what, const std::vector<float> &got,
		      const std::vector<double> &want, double tol, char *err, size_t errlen)
{
	double num = 0, den = 0;
	for (size_t i = 0; i < want.size(); i++) {
		if (isnan(got[i]))
			return FAIL("self-test %s: element %zu was not written (NaN)", what, i);
		num += (got[i] - want[i]) * (got[i] - want[i]);
		den += want[i] * want[i];
	}
	double rel = den > 0 ? sqrt(num / den) : sqrt(num);
	fprintf(stderr, "fgcal: self-test %s: relative error %.2e (limit %.0e)\n", what, rel, tol);
	if (!(rel <= tol))
		return FAIL("self-test %s: relative error %.3g over %.3g", what, rel, tol);
	return 0;
}

/* Host causal attention backward in double (FlashAttention-2's equations): P from the
 * inputs, D = rowsum(dO * O), dV = P^T dO, dS = P (dO V^T - D), dQ = c dS K, dK = c dS^T Q. */
static void ref_attention_bwd(const std::vector<float> &q, const std::vector<float> &k,
			      const std::vector<float> &v, const std::vector<float> &d_o,
			      size_t bh, size_t s, size_t hd, std::vector<double> &dq,
			      std::vector<double> &dk, std::vector<double> &dv)
{
	std::vector<double> o;
	ref_attention(q, k, v, bh, s, hd, o);
	double c = 1 / sqrt((double)hd);
	dq.assign(bh * s * hd, 0), dk.assign(bh * s * hd, 0), dv.assign(bh * s * hd, 0);
	std::vector<double> p(s), dp(s);
	for (size_t b = 0; b < bh; b++)
		for (size_t i = 0; i < s; i++) {
			const size_t qi = (b * s + i) * hd;
			double m = -INFINITY, sum = 0, D = 0;
			for (size_t t = 0; t < hd; t++)
				D += d_o[qi + t] * o[qi + t];
			for (size_t jj = 0; jj <= i; jj++) {
				double dot = 0;
				for (size_t t = 0; t < hd; t++)
					dot += (double)q[qi + t] * k[(b * s + jj) * hd + t];
				p[jj] = dot * c;
				m = fmax(m, p[jj]);
			}
			for (size_t jj = 0; jj <= i; jj++)
				sum += p[jj] = exp(p[jj] - m);
			for (size_t jj = 0; jj <= i; jj++) {
				const size_t kj = (b * s + jj) * hd;
				p[jj] /= sum;
				double dpv = 0;
				for (size_t t = 0; t < hd; t++) {
					dv[kj + t] += p[jj] * d_o[qi + t];
					dpv += (double)d_o[qi + t] * v[kj + t];
				}
				double ds = p[jj] * (dpv - D) * c;
				for (size_t t = 0; t < hd; t++) {
					dq[qi + t] += ds * k[kj + t];
					dk[kj + t] += ds * q[qi + t];
				}
			}
		}
}

/* cuDNN's fused attention against the host (forward and backward, small shapes) and
 * against the naive kernel on the same inputs (forward, a prefill-sized shape). Skipped,
 * with a line saying why, where cuDNN cannot be loaded. */
static int selftest_cudnn(fgcal_ctx *ctx, char *err, size_t errlen)
{
	char why[256];
	long ver = fgcal_cudnn_version(why, sizeof why);
	if (!ver) {
		fprintf(stderr, "fgcal: self-test: cuDNN attention skipped: %s\n", why);
		return 0;
	}
	fprintf(stderr, "fgcal: self-test: cuDNN %ld.%ld.%ld loaded\n", ver / 10000,
		ver / 100 % 100, ver % 100);
	static const char *const small[] = {"1x2x128x128", "2x3x192x64"};
	for (int c = 0; c < 2; c++) {
		for (int bwd = 0; bwd < 2; bwd++) {
			const char *name = bwd ? "attention_cudnn_bwd_bf16"
					       : "attention_cudnn_bf16";
			fgcal_job *j = fgcal_job_create(ctx, name, small[c], err, errlen);
			if (!j)
				return -1;
			size_t *d = j->d, bh = d[0] * d[1], n = bh * d[2] * d[3];
			for (int o = bwd ? 6 : 3; o <= (bwd ? 8 : 3);
			     o++) /* poison the outputs: BF16 0xffff is NaN */
				CK(cudaMemsetAsync(j->buf[o], 0xff, n * sizeof(bf16),
						   ctx->stream));
			std::vector<float> q, k, v, g, out;
			std::vector<double> want, wdq, wdk, wdv;
			char what[128];
			int rc = run_and_sync(j, err, errlen) ||
				 fetch_bf16(q, j->buf[0], n, err, errlen) ||
				 fetch_bf16(k, j->buf[1], n, err, errlen) ||
				 fetch_bf16(v, j->buf[2], n, err, errlen);
			if (!rc && !bwd) {
				ref_attention(q, k, v, bh, d[2], d[3], want);
				snprintf(what, sizeof what, "%s %s (%s)", name, small[c],
					 fgcal_sdpa_engine(j->sdpa));
				rc = fetch_bf16(out, j->buf[3], n, err, errlen) ||
				     check_norm(what, out, want, 2e-2, err, errlen);
			} else if (!rc) {
				rc = fetch_bf16(g, j->buf[5], n, err, errlen);
				if (!rc)
					ref_attention_bwd(q, k, v, g, bh, d[2], d[3], wdq, wdk,
							  wdv);
				const std::vector<double> *w[3] = {&wdq, &wdk, &wdv};
				for (int o = 0; o < 3 && !rc; o++) {
					snprintf(what, sizeof what, "%s %s d%c (%s)", name,
						 small[c], "QKV"[o], fgcal_sdpa_engine(j->sdpa));
					rc = fetch_bf16(out, j->buf[6 + o], n, err, errlen) ||
					     check_norm(what, out, *w[o], 3e-2, err, errlen);
				}
			}
			fgcal_job_free(j);
			if (rc)
				return -1;
		}
	}
	/* A prefill-sized head, against the plain kernel on the same inputs (same seeds). */
	const char *mid = "1x4x1024x128";
	fgcal_job *a = fgcal_job_create(ctx, "attention_cudnn_bf16", mid, err, errlen);
	fgcal_job *b = a ? fgcal_job_create(ctx, "attention_naive_bf16", mid, err, errlen) : NULL;
	int rc = !a || !b;
	if (!rc) {
		size_t n = a->d[0] * a->d[1] * a->d[2] * a->d[3];
		std::vector<float> x, y;
		CK(cudaMemsetAsync(a->buf[3], 0xff, n * sizeof(bf16), ctx->stream));
		rc = run_and_sync(a, err, errlen) || run_and_sync(b, err, errlen) ||
		     fetch_bf16(x, a->buf[3], n, err, errlen) ||
		     fetch_bf16(y, b->buf[3], n, err, errlen);
		if (!rc) {
			std::vector<double> yd(y.begin(), y.end());
			rc = check_norm(
				"attention_cudnn_bf16 1x4x1024x128 vs attention_naive_bf16", x, yd,
				2e-2, err, errlen);
		}
	}
	fgcal_job_free(a);
	fgcal_job_free(b);
	return rc ? -1 : 0;
}

int fgcal_selftest(fgcal_ctx *ctx, char *err, size_t errlen)
{
	/* Shapes that are not multiples of any tile, so every edge is exercised. */
	static const char *const cases[][2] = {
		{"launch_empty", "1"},
		{"gemm_bf16", "72x40x56"},
		{"gemv_bf16", "3x200x96"},
		{"triad_fp32", "1003"},
		{"reduce_fp32", "100003"},
		{"softmax_bf16", "3x1000"},
		{"layernorm_unfused_bf16", "5x777"},
		{"layernorm_fused_bf16", "5x777"},
		{"layernorm_fused_bf16", "2x8192"},
		{"attention_naive_bf16", "1x2x100x64"},
		{"attention_tiled_bf16", "1x2x100x64"},
		{"attention_tiled_bf16", "2x1x130x128"},
		{"h2d_pinned", "4099"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		if (selftest_one(ctx, cases[i][0], cases[i][1], err, errlen))
			return -1;
	return selftest_cudnn(ctx, err, errlen);
}
