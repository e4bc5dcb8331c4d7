/* cluster_res.h - CPU and memory beside the GPUs (cluster.h), for the scenarios whose
 * jobs ask for some (cluster.multi). Kept apart so that the GPU-only index in cluster.c
 * stays as it was: nothing here runs unless cluster.multi is set, decided once at init.
 * A node's CPU (thousandths of a core) and memory (MiB) are counted free; a node with
 * no limit (0 in the scenario) has CL_UNLIMITED free, never taken from. */
#ifndef FGSIM_CLUSTER_RES_H
#define FGSIM_CLUSTER_RES_H
#include <stdint.h>

#include "scenario.h"

/* Free CPU or memory of a node without a limit: more than any job may ask (SC_MAX_*),
 * so a comparison needs no special case. */
#define CL_UNLIMITED (1 << 30)

/* What a job asks for beside its GPUs: CPU (thousandths of a core) and memory (MiB) on
 * its node, and the pools it may use (a bit per pool; all ones: its class's). */
typedef struct cl_need {
	int cpu_milli, memory_mib;
	uint32_t pools;
} cl_need;

/* One pool's CPU and memory: per node free and in all, and the total taken by jobs
 * (nodes without a limit count none). All NULL unless cluster.multi. */
typedef struct cl_res {
	int *cpu_free, *mem_free, *cpu_cap, *mem_cap;
	long long cpu_busy, mem_busy;
} cl_res;

/* Allocates r for `nodes` nodes and fills the capacities from spec (a node list's kinds
 * for its first nodes, the pool's cpus_per_node and memory_per_node for the rest).
 * Returns 0, -1 on no memory (cl_res_destroy frees what was got). */
int cl_res_init(cl_res *r, int nodes, const pool_spec *spec);
void cl_res_destroy(cl_res *r);
/* Every node's CPU and memory free (burst nodes are powered off after). */
void cl_res_reset(cl_res *r, int nodes);
/* Has node n the CPU and memory need asks for? */
static inline int cl_res_fits(const cl_res *r, int n, const cl_need *need)
{
	return r->cpu_free[n] >= need->cpu_milli && r->mem_free[n] >= need->memory_mib;
}
/* Is all of node n's CPU and memory free? */
static inline int cl_res_all_free(const cl_res *r, int n)
{
	return r->cpu_free[n] == r->cpu_cap[n] && r->mem_free[n] == r->mem_cap[n];
}
/* Takes (sign 1) or gives back (sign -1) cpu and mem on node n. */
void cl_res_move(cl_res *r, int n, int cpu, int mem, int sign);
/* A gang's node: takes all of its CPU and memory (take) or gives it all back. */
void cl_res_whole(cl_res *r, int n, int take);
/* A burst node powers on (its CPU and memory free) or off (none). */
void cl_res_power(cl_res *r, int n, int on);
/* cluster_check for node n, on or off: NULL, or what broke; adds its CPU and memory in
 * use to *cpu and *mem (to compare with cpu_busy and mem_busy). */
const char *cl_res_check_node(const cl_res *r, int n, int on, long long *cpu, long long *mem);
#endif
