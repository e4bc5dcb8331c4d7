/* gpushare_fixture.h - the hand-worked nodes and pods that test_gpushare (fill's
 * placements) and test_gpushare_place (the same placements in runs) both build. */
#ifndef FGSIM_TESTS_GPUSHARE_FIXTURE_H
#define FGSIM_TESTS_GPUSHARE_FIXTURE_H
#include <string.h>

#include "gpushare.h"

/* A node of `ngpu` GPUs of `model`, with cpu milli-cores and mem MiB free of as much;
 * left[g] the free milli of GPU g (NULL: all free). */
static inline gs_node node(int cpu, int mem, int model, int ngpu, const int *left)
{
	gs_node n;
	memset(&n, 0, sizeof n);
	n.cpu_cap = n.cpu_left = cpu;
	n.mem_cap = n.mem_left = mem;
	n.model = model;
	n.ngpu = ngpu;
	for (int g = 0; g < ngpu; g++)
		n.gpu_left[g] = left ? left[g] : GS_MILLI;
	return n;
}

static inline gs_pod pod(int cpu, int mem, int num_gpu, int milli, uint32_t spec)
{
	gs_pod p = {.cpu = cpu, .mem = mem, .num_gpu = num_gpu, .gpu_milli = milli, .spec = spec};
	return p;
}
#endif
