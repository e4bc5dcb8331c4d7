/* gpushare_place.h - the six GPU-sharing placements of gpushare.h (random, dot-product,
 * gpu-clustering, gpu-packing, best-fit-multi, fgd) in ordinary runs, where jobs start,
 * wait and leave. Each is an fgp_placement written against the public plugin interface
 * (models/fgsim_plugin.h) alone, as a researcher's own placement would be: it sees the
 * nodes' free CPU, memory and per-GPU share, and the job's needs, through fgp_api. */
#ifndef FGSIM_GPUSHARE_PLACE_H
#define FGSIM_GPUSHARE_PLACE_H
#include "../fgsim_plugin.h"

/* The placement table of GS_RANDOM .. GS_FGD (gpushare.h), or NULL for another number. */
const fgp_placement *gsp_table(int pl);

/* The paper's fragmentation of a run's cluster (Weng et al. 2023, section 3.2; gs_node_frag
 * summed over the nodes), measured against the workload's task shapes (fgp_api.shape) as
 * fgd measures it, for the fragmentation_gpus figure of a cluster with CPU or memory
 * limits. It is an fgd placement's view of the cluster, kept up to date node by node. */
typedef struct gsp gsp;
/* Reads the cluster (as it is now: at a replication's start, all free). Returns 0 with
 * *out set, or with *out NULL when the measure does not apply (no node has a CPU or memory
 * limit, or a node has more than GS_MAX_GPUS GPUs); -1 when out of memory. */
int gsp_frag_new(gsp **out, const fgp_api *api, fgp_ctx *cx);
void gsp_frag_free(gsp *g);
/* Node `node` of pool `pool` changed (a job took or gave back some of it, it powered on
 * or off): the next gsp_frag_gpus reads it again. */
void gsp_frag_touch(gsp *g, int pool, int node);
/* Has a node been touched since the last gsp_frag_gpus? */
int gsp_frag_touched(const gsp *g);
/* The cluster's fragmentation now, in GPUs (the touched nodes read again first). */
double gsp_frag_gpus(gsp *g, fgp_ctx *cx);
#endif
