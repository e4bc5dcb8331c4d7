/* fgcal_method.c - clocks and throttle marks, the layer-by-layer layout of a whole step,
 * graph replay, step limits and the time budget of a measuring plan (fgcal_method.h). */
#include "fgcal_method.h"

#include <math.h>
#include <stdio.h>

double fgcal_clock_mhz(long long cycles, long long ns)
{
	if (ns <= 0 || cycles < 0)
		return NAN;
	return (double)cycles / (double)ns * 1e3; /* cycles per ns = GHz */
}

int fgcal_clocks_mark(const double *mhz, int n, double max_mhz, double threshold,
		      unsigned char *throttled, fgcal_clocks *out)
{
	double sum = 0, lo = INFINITY;
	out->n = n;
	out->known = out->throttled = 0;
	for (int i = 0; i < n; i++) {
		int t = 0;
		if (!isnan(mhz[i])) {
			out->known++;
			sum += mhz[i];
			lo = fmin(lo, mhz[i]);
			t = max_mhz > 0 && mhz[i] < threshold * max_mhz;
		}
		out->throttled += t;
		if (throttled)
			throttled[i] = (unsigned char)t;
	}
	out->mean_mhz = out->known ? sum / out->known : NAN;
	out->min_mhz = out->known ? lo : NAN;
	return out->throttled;
}

void fgcal_split_count(double count, int layers, double *per_layer, double *tail)
{
	if (layers < 1) {
		*per_layer = 0;
		*tail = count;
		return;
	}
	/* A hair of slack so that 64.0 / 32 is 2, not 1.999... */
	*per_layer = floor(count / layers + 1e-9);
	*tail = count - *per_layer * layers;
	if (*tail < 1e-9)
		*tail = 0;
}

int fgcal_layers_plan(int layers, double layer_bytes, double free_bytes, double reserve_bytes,
		      int max_distinct, double *scale)
{
	*scale = 1;
	if (layers < 1 || !(layer_bytes > 0))
		return 0;
	double room = free_bytes - reserve_bytes;
	int fit = room > 0 ? (int)fmin(floor(room / layer_bytes), (double)layers) : 0;
	int d = fit < 1 ? 1 : fit;
	if (max_distinct > 0 && d > max_distinct)
		d = max_distinct;
	*scale = (double)layers / d;
	return d;
}

int fgcal_step_use_graph(double predicted_us, double launches)
{
	return launches > 0 && predicted_us / launches < FGCAL_GRAPH_US;
}

double fgcal_step_timeout_s(double predicted_us, int min_samples, double base_timeout_s)
{
	double need = 1.5 * (min_samples + 1) * predicted_us * 1e-6;
	return need > base_timeout_s ? need : base_timeout_s;
}

double fgcal_estimate_kernel_s(double median_us, int min_samples, double min_time_s,
			       double timeout_s, double per_sample_us)
{
	double each = (median_us + per_sample_us) * 1e-6;
	double n = fmax((double)min_samples, median_us > 0
						     ? ceil(min_time_s / (median_us * 1e-6) - 1e-9)
						     : min_samples);
	/* The stopping rule may also go on past min_time when the noise stays high; the
	 * timeout bounds that, and the estimate charges the common case. */
	return fmin(each * (n + 1), timeout_s + each);
}

double fgcal_budget_select(const double *est_s, int n, double budget_s, unsigned char *take)
{
	double used = 0;
	for (int i = 0; i < n; i++) {
		take[i] = used + est_s[i] <= budget_s;
		if (take[i])
			used += est_s[i];
	}
	return used;
}

int fgcal_entries_format(const fgcal_step_info *s, char *buf, size_t len)
{
	size_t at = 0;
	int need = 0;
	/* snprintf into what is left; keep counting past the end to return the full length. */
#define PUT(...) \
	do { \
		int w_ = snprintf(at < len ? buf + at : NULL, at < len ? len - at : 0, \
				  __VA_ARGS__); \
		if (w_ > 0) \
			at += (size_t)w_, need += w_; \
	} while (0)
	if (len)
		buf[0] = 0;
	PUT("entries = (");
	for (int i = 0; i < s->nentries; i++)
		PUT("%s { kernel = \"%s\"; shape = \"%s\"; us = %.17g; }", i ? "," : "",
		    s->entries[i].kernel, s->entries[i].shape, s->entries[i].us);
	PUT(" );");
#undef PUT
	return need;
}
