/* burst_use.h - how much an experiment leaned on burst nodes, for the lines `fgsim run`
 * and `fgsim plan` print: a capacity answer reached with rented nodes is not one
 * reached with the pool's own, and a planner must be told which. */
#ifndef FGSIM_BURST_USE_H
#define FGSIM_BURST_USE_H
#include <stddef.h>

#include "experiment.h"

typedef struct burst_use {
	int used;                  /* some replication paid for a burst node */
	double peak[SC_MAX_POOLS]; /* per pool, the most burst nodes at once, over every
				       replication (what must be rentable at the worst moment) */
	double gpu_hours, cost;    /* means over the replications, all pools, measured time */
} burst_use;

/* Policy pi's burst figures in e (burst_nodes_peak, burst_gpu_hours, burst_cost). */
void burst_use_of(const experiment *e, int pi, burst_use *out);

/* "peak 12 of 16 (pool l4), 310 GPU-hours, 186 USD" into buf (pools that used none left
 * out; GPU-hours and money are means over the replications); returns buf. */
const char *burst_use_format(const scenario *sc, const burst_use *u, char *buf, size_t len);

/* "--set cluster.pools.[1].burst.max_nodes=0" for each pool that used burst nodes, into
 * buf: how to ask the same question without them; returns buf. */
const char *burst_use_without(const scenario *sc, const burst_use *u, char *buf, size_t len);
#endif
