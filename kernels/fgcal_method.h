/* fgcal_method.h - the host side of fgcal's corrected method (issue 19), with no CUDA in
 * it so that it is tested on any machine: the SM clock of each sample and nvbench's
 * throttle mark, how a whole step is laid out layer by layer (which profile entries repeat
 * per layer, how many distinct layers fit, the factor that scales them to the model),
 * when a step is replayed as a CUDA graph, how many samples a long step gets, and a
 * measuring plan cut to a time budget. */
#ifndef FGCAL_METHOD_H
#define FGCAL_METHOD_H
#include <stddef.h>
#ifdef __cplusplus
extern "C" {
#endif

/* ---- clocks ------------------------------------------------------------------------ */

/* nvbench marks a sample throttled when the SM clock during it is under this fraction of
 * the device's maximum (nvbench/detail/measure_cold.cu, --throttle-threshold, 75%). */
#define FGCAL_THROTTLE_THRESHOLD 0.75

/* The SM clock in MHz over an interval: clock64() cycles (one SM's counter, at the SM
 * clock) over %globaltimer nanoseconds. NAN when ns <= 0 or cycles < 0. */
double fgcal_clock_mhz(long long cycles, long long ns);

typedef struct fgcal_clocks {
	int n, known;    /* samples, and how many of them have a clock reading */
	int throttled;   /* readings under threshold x max_mhz */
	double mean_mhz; /* over the readings; NAN when none */
	double min_mhz;
} fgcal_clocks;

/* Marks each reading in mhz[0..n) (NAN = not read) as throttled or not (throttled[i] 1/0;
 * may be NULL) and fills out. max_mhz <= 0 marks nothing. Returns the throttled count. */
int fgcal_clocks_mark(const double *mhz, int n, double max_mhz, double threshold,
		      unsigned char *throttled, fgcal_clocks *out);

/* ---- whole steps, layer by layer ----------------------------------------------------- */

/* How one profile entry of `count` invocations per step splits over `layers` layers:
 * per_layer invocations inside each layer and tail invocations once after the last layer
 * (the final norm, the LM head). layers < 1 puts everything in the tail. */
void fgcal_split_count(double count, int layers, double *per_layer, double *tail);

/* How many distinct layers a step instantiates: every layer when they fit in free_bytes
 * less reserve_bytes (layer_bytes each), else as many as fit, at least 1, at most
 * max_distinct when > 0. scale = layers / distinct multiplies the time of the layers run
 * to the model's. Returns distinct (0 when layers < 1 or layer_bytes <= 0). */
int fgcal_layers_plan(int layers, double layer_bytes, double free_bytes, double reserve_bytes,
		      int max_distinct, double *scale);

/* Whether a step runs as a CUDA graph (as serving stacks replay decode): when its mean
 * time per launch, predicted_us / launches, is under FGCAL_GRAPH_US, so that launch gaps
 * on the host would be a visible part of it. */
#define FGCAL_GRAPH_US 50.0
int fgcal_step_use_graph(double predicted_us, double launches);

/* The wall-clock limit for timing one step: enough for a warm-up and min_samples samples
 * of a step of predicted_us (x 1.5 for what the prediction misses), never under
 * base_timeout_s. */
double fgcal_step_timeout_s(double predicted_us, int min_samples, double base_timeout_s);

/* ---- the measuring plan and its time budget ----------------------------------------- */

/* Seconds fgcal spends timing one kernel of median median_us under the stopping rule:
 * a warm-up and then max(min_samples, min_time / median) samples, at most timeout_s of
 * them, each paying per_sample_us besides the kernel (L2 flush, clock probe, sync). */
double fgcal_estimate_kernel_s(double median_us, int min_samples, double min_time_s,
			       double timeout_s, double per_sample_us);

/* Picks, in order, the items whose estimates est_s[0..n) still fit in budget_s (an item
 * that does not fit is skipped, later smaller ones may still fit). take[i] = 1 when taken.
 * Returns the seconds taken. */
double fgcal_budget_select(const double *est_s, int n, double budget_s, unsigned char *take);

/* ---- the per-entry breakdown of a step ----------------------------------------------- */

/* One profile entry's share of a measured step. */
typedef struct fgcal_entry_time {
	char kernel[48], shape[48];
	double us; /* its time inside one whole step (all layers, scaled), microseconds */
} fgcal_entry_time;

/* How a whole step was run: its entries' times go into the fidelity row's `entries`, the
 * rest beside the file (FILE.steps.cfg), which has no place for it. */
typedef struct fgcal_step_info {
	int n;                /* samples of the whole step */
	int layers, distinct; /* the model's layers, and how many distinct ones ran */
	double scale;         /* layers / distinct: what the per-layer time was multiplied by */
	int graph;            /* replayed as a CUDA graph */
	double mean_mhz;      /* mean SM clock over the samples (NAN when not read) */
	int throttled;        /* samples under FGCAL_THROTTLE_THRESHOLD x the maximum clock */
	int nentries;
	fgcal_entry_time *entries; /* owned */
} fgcal_step_info;

/* Writes `entries = ( { kernel = "..."; shape = "..."; us = ...; }, ... );` (libconfig)
 * on one line to buf. Returns the length it needed (as snprintf does). */
int fgcal_entries_format(const fgcal_step_info *s, char *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif
