/* cluster_res.c - CPU and memory per node (cluster_res.h): the counters alone; the
 * search for a node with room is cluster.c's (cluster_place_need). */
#include "cluster_res.h"

#include <stdlib.h>

#include "check.h"

static int cap_of(int v)
{
	return v > 0 ? v : CL_UNLIMITED; /* 0 in a scenario: no limit */
}

int cl_res_init(cl_res *ps, int nodes, const pool_spec *spec)
{
	size_t n = (size_t)nodes;
	ps->cpu_free = malloc(n * sizeof *ps->cpu_free);
	ps->mem_free = malloc(n * sizeof *ps->mem_free);
	ps->cpu_cap = malloc(n * sizeof *ps->cpu_cap);
	ps->mem_cap = malloc(n * sizeof *ps->mem_cap);
	if (!ps->cpu_free || !ps->mem_free || !ps->cpu_cap || !ps->mem_cap)
		return -1;
	int at = 0;
	/* a node list's kinds run in node order (scenario.h); burst nodes and the pools a
	 * scenario lists take the pool's own figures */
	for (int r = 0; r < spec->nres; r++)
		for (int i = 0; i < spec->res[r].nodes; i++, at++) {
			FG_ASSERT(at < nodes);
			ps->cpu_cap[at] = cap_of(spec->res[r].cpu_milli);
			ps->mem_cap[at] = cap_of(spec->res[r].memory_mib);
		}
	FG_ASSERT(!spec->nres || at == spec->nodes);
	for (; at < nodes; at++) {
		ps->cpu_cap[at] = cap_of(spec->cpu_milli);
		ps->mem_cap[at] = cap_of(spec->memory_mib);
	}
	return 0;
}

void cl_res_destroy(cl_res *ps)
{
	free(ps->cpu_free);
	free(ps->mem_free);
	free(ps->cpu_cap);
	free(ps->mem_cap);
	ps->cpu_free = ps->mem_free = ps->cpu_cap = ps->mem_cap = NULL;
}

void cl_res_reset(cl_res *ps, int nodes)
{
	for (int n = 0; n < nodes; n++) { /* burst nodes too: cluster_power turns them off */
		ps->cpu_free[n] = ps->cpu_cap[n];
		ps->mem_free[n] = ps->mem_cap[n];
	}
	ps->cpu_busy = ps->mem_busy = 0;
}

/* One resource of node n: taken (sign 1) or given back (-1); a node without a limit
 * keeps CL_UNLIMITED free and counts nothing busy. */
static void move_one(int *free, int cap, long long *busy, int amount, int sign)
{
	if (cap == CL_UNLIMITED)
		return;
	*free -= sign * amount;
	*busy += sign * amount;
	FG_ASSERT(*free >= 0 && *free <= cap); /* never more taken than free, nor given than held */
}

void cl_res_move(cl_res *ps, int n, int cpu, int mem, int sign)
{
	FG_ASSERT(n >= 0 && cpu >= 0 && mem >= 0);
	move_one(&ps->cpu_free[n], ps->cpu_cap[n], &ps->cpu_busy, cpu, sign);
	move_one(&ps->mem_free[n], ps->mem_cap[n], &ps->mem_busy, mem, sign);
}

void cl_res_whole(cl_res *ps, int n, int take)
{
	if (take) {
		FG_ASSERT(ps->cpu_free[n] == ps->cpu_cap[n] && ps->mem_free[n] == ps->mem_cap[n]);
		cl_res_move(ps, n, ps->cpu_cap[n] == CL_UNLIMITED ? 0 : ps->cpu_cap[n],
			    ps->mem_cap[n] == CL_UNLIMITED ? 0 : ps->mem_cap[n], 1);
	} else {
		cl_res_move(ps, n, ps->cpu_cap[n] == CL_UNLIMITED ? 0 : ps->cpu_cap[n] - ps->cpu_free[n],
			    ps->mem_cap[n] == CL_UNLIMITED ? 0 : ps->mem_cap[n] - ps->mem_free[n], -1);
	}
}

void cl_res_power(cl_res *ps, int n, int on)
{
	FG_ASSERT(ps->cpu_free[n] == (on ? 0 : ps->cpu_cap[n]));
	ps->cpu_free[n] = on ? ps->cpu_cap[n] : 0;
	ps->mem_free[n] = on ? ps->mem_cap[n] : 0;
}

const char *cl_res_check_node(const cl_res *r, int n, int on, long long *cpu, long long *mem)
{
	if (r->cpu_cap[n] <= 0 || r->mem_cap[n] <= 0)
		return "a node's CPU or memory capacity not positive";
	if (!on)
		return r->cpu_free[n] || r->mem_free[n] ? "a burst node that is off has CPU or memory free" : NULL;
	if (r->cpu_free[n] < 0 || r->cpu_free[n] > r->cpu_cap[n] || r->mem_free[n] < 0 || r->mem_free[n] > r->mem_cap[n])
		return "a node's free CPU or memory outside [0, its capacity]";
	if (r->cpu_cap[n] != CL_UNLIMITED)
		*cpu += r->cpu_cap[n] - r->cpu_free[n];
	if (r->mem_cap[n] != CL_UNLIMITED)
		*mem += r->mem_cap[n] - r->mem_free[n];
	return NULL;
}
