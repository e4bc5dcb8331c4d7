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
#endif
