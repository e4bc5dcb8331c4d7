/* sweep_plots.h - the plots of a sweep folder: each chosen metric against the first
 * varied key, one line per policy (and per value of any other varied key), with the
 * confidence half-widths as error bars; data and gnuplot script beside the images. */
#ifndef FGSIM_SWEEP_PLOTS_H
#define FGSIM_SWEEP_PLOTS_H
#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

/* The metrics plotted when `fgsim sweep --metrics` does not choose. */
#define SWEEP_PLOT_DEFAULT_METRICS "wait_p95,utilization,profit,abandon_rate"

/* A varied key in words for an axis or a heading, from the resolved scenario (run.json's
 * "scenario", may be NULL): a list item by its name, the section left out, a unit where
 * the key has one: "cluster.pools.[1].nodes" reads "nodes in pool l4". */
void sweep_key_label(const json_t *scenario, const char *key, const char *currency, char *buf,
		     size_t len);
/* A metric in words ("p95 wait"); the name itself for one without. */
const char *sweep_metric_words(const char *metric);

/* How a metric reads on an axis or a table's heading: its words and unit in label
 * ("p95 wait (min)"), and *scale, what its values are divided by; `top` is the largest
 * magnitude shown. Returns whether the metric is never negative (only money can be). */
int sweep_metric_axis(const char *metric, double top, const char *currency, double *scale,
		      char *label, size_t len);

/* Reads dir/sweep.csv and dir/run.json (which metrics and scope to plot, currency) and
 * writes dir/plots/sweep_METRIC.{dat,gp,png,svg}, and from dir/sweep_compare.csv where
 * it is there sweep_compare_METRIC.*, each policy's difference from the first. A plot gnuplot could not draw is a
 * warning on warn. Returns 0 when all were drawn, 1 when some were not, -2 when dir
 * has no readable sweep.csv, -1 on another failure; err says why for the negatives.
 * *nplots and *drawn count the plots written and drawn. */
int sweep_plots_folder(const char *dir, FILE *warn, int *nplots, int *drawn, char *err,
		       size_t errlen);
#endif
