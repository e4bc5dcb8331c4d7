/* gpushare_read.h - the Alibaba node and pod lists (cluster-trace-gpu-v2023) read into a
 * gs_cluster and gs_pods for the fill experiment (gpushare_read.c). */
#ifndef FGSIM_GPUSHARE_READ_H
#define FGSIM_GPUSHARE_READ_H
#include "gpushare.h"
#include <stddef.h>

/* Reads a node list (sn,cpu_milli,memory_mib,gpu,model) into *c, every node empty.
 * Returns 0, or -1 with "FILE:LINE: message" in err and *c empty. */
int gs_read_nodes(gs_cluster *c, const char *path, char *err, size_t errlen);

/* Reads a pod list, 11 columns (name,...,gpu_spec,...) or 5 (name,cpu_milli,memory_mib,
 * num_gpu,gpu_milli), rows in file order; gpu_spec models are matched against c's.
 * Returns 0 with *pods (malloc'd) and *n, or -1 with "FILE:LINE: message" in err. */
int gs_read_pods(const gs_cluster *c, const char *path, gs_pod **pods, long *n, char *err,
		 size_t errlen);
#endif
