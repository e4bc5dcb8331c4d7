/* cluster_check.c - cluster_check (cluster.h): walks every pool's GPUs, nodes, blocks and
 * tree and names the first broken invariant. Apart from cluster.c so that the index's
 * code reads alone; only tests and the debug build's periodic check call it. */
#include "cluster.h"

static int max_of(int a, int b)
{
	return a > b ? a : b;
}

/* cluster_check() for one GPU g: one of four states, told apart by its fields. Free
 * (all of it free, held by nobody); held whole by one job (nothing free); shared by
 * fractions (listed in part, less than all of it free); off, or missing from a smaller
 * node of a mixed pool (nothing free, held by nobody, not listed). Returns its state. */
enum { GPU_FREE, GPU_WHOLE, GPU_SHARED, GPU_OFF };
static int gpu_state(const pool_state *ps, int g, const char **why)
{
	int f = ps->gpu_free[g], pos = ps->part_pos[g];
	if (f < 0 || f > SC_MILLI)
		*why = "a GPU's free thousandths outside [0, 1000]";
	else if (ps->gpu_whole[g] > 1 || (ps->gpu_whole[g] && (f != 0 || pos >= 0)))
		*why = "a GPU held whole has something free or is listed as shared";
	else if (pos >= ps->nparts || (pos >= 0 && ps->part[pos] != g) || pos < -1)
		*why = "part_pos does not point back at the GPU in part";
	else if (pos >= 0 && f == SC_MILLI)
		*why = "a fully free GPU still listed as shared";
	if (ps->gpu_whole[g])
		return GPU_WHOLE;
	return pos >= 0 ? GPU_SHARED : f == SC_MILLI ? GPU_FREE : GPU_OFF;
}

/* cluster_check() for one node: its fully free GPUs match free_milli, and the GPUs off
 * (or missing) are its last ones, all of them on a powered-off burst node. Adds the
 * node's free thousandths to *free and its GPUs that are on to *on. */
static const char *check_node(const pool_state *ps, int n, long long *free, long long *on)
{
	const char *why = NULL;
	int whole_free = 0, off = 0;
	for (int g = n * ps->gpn; g < (n + 1) * ps->gpn && !why; g++) {
		int st = gpu_state(ps, g, &why);
		if (st != GPU_OFF && off && ps->down[n] != CL_CORDONED) /* draining: any may be */
			return "an off or missing GPU before one that is on";
		off += st == GPU_OFF;
		whole_free += st == GPU_FREE;
		*free += ps->gpu_free[g];
	}
	*on += ps->gpn - off;
	if (why)
		return why;
	if (n >= ps->base_nodes && off && off != ps->gpn)
		return "a burst node partly powered";
	if (ps->free_milli[n] != whole_free * SC_MILLI)
		return "a node's free_milli differs from its fully free GPUs";
	if (n < ps->full_nodes && off && !ps->down[n])
		return "a node of full size with GPUs off";
	return NULL;
}

/* cluster_check() for pool ps's index: each block's max and count at the max, each
 * inner node of the tree the max of its children, padding zero. A single block keeps no
 * tree (leftmost_node scans it), so there is nothing to check then. */
static const char *check_tree(const pool_state *ps)
{
	for (int n = ps->nodes; n < ps->blocks * CLUSTER_BLOCK; n++)
		if (ps->free_milli[n] != 0)
			return "free_milli padding beyond the last node not zero";
	if (ps->blocks == 1)
		return NULL;
	for (int b = 0; b < ps->leaves; b++) {
		int m = 0, count = 0;
		for (int i = 0; b < ps->blocks && i < CLUSTER_BLOCK; i++)
			m = max_of(m, ps->free_milli[b * CLUSTER_BLOCK + i]);
		for (int i = 0; b < ps->blocks && i < CLUSTER_BLOCK; i++)
			count += ps->free_milli[b * CLUSTER_BLOCK + i] == m;
		if (ps->tree[ps->leaves + b] != m)
			return "a block's leaf in the tree is not its nodes' max";
		if (b < ps->blocks && ps->at_max[b] != count)
			return "a block's at_max is not the count of its nodes at the max";
	}
	for (int i = ps->leaves - 1; i >= 1; i--)
		if (ps->tree[i] != max_of(ps->tree[2 * i], ps->tree[2 * i + 1]))
			return "a tree node is not the max of its children";
	return NULL;
}

static const char *check_pool(const pool_state *ps)
{
	if (ps->nodes < ps->base_nodes || ps->base_nodes < 0 || ps->gpn < 1 ||
	    ps->blocks != (ps->nodes + CLUSTER_BLOCK - 1) / CLUSTER_BLOCK ||
	    ps->leaves < ps->blocks || (ps->leaves & (ps->leaves - 1)) ||
	    ps->full_nodes > ps->base_nodes)
		return "pool dimensions inconsistent";
	if (ps->nparts < 0 || ps->nparts > ps->nodes * ps->gpn)
		return "nparts outside [0, GPUs]";
	long long free = 0, on = 0;
	int free_nodes = 0;
	for (int n = 0; n < ps->nodes; n++) {
		const char *why = check_node(ps, n, &free, &on);
		if (why)
			return why;
		if (ps->free_milli[n] < 0 || ps->free_milli[n] > ps->gpn * SC_MILLI)
			return "a node's free_milli outside [0, its GPUs]";
		free_nodes += ps->free_milli[n] == ps->gpn * SC_MILLI;
	}
	int shared = 0;
	for (int g = 0; g < ps->nodes * ps->gpn; g++)
		shared += ps->part_pos[g] >= 0;
	if (shared != ps->nparts)
		return "nparts differs from the GPUs listed as shared";
	int cordoned = 0;
	for (int n = 0; n < ps->nodes; n++)
		cordoned += ps->down[n] == CL_CORDONED;
	if (cordoned != ps->ncordon || ps->cordon_off_milli < 0 ||
	    (!cordoned && ps->cordon_off_milli))
		return "ncordon or cordon_off_milli differs from the nodes cordoned";
	if (free_nodes != ps->free_nodes)
		return "free_nodes differs from the nodes with every GPU free";
	if (ps->cap_milli != on * SC_MILLI)
		return "cap_milli differs from the GPUs powered on";
	if (ps->busy_milli < 0 || ps->busy_milli > ps->cap_milli)
		return "busy_milli outside [0, cap_milli]";
	if (ps->cap_milli - ps->busy_milli != free)
		return "cap_milli - busy_milli differs from the GPUs' free thousandths";
	return check_tree(ps);
}

/* cluster_check() for pool ps's CPU and memory (cluster.multi): each node's counters,
 * and their sum over the nodes on, what jobs hold. */
static const char *check_res(const pool_state *ps)
{
	long long cpu = 0, mem = 0;
	for (int n = 0; n < ps->nodes; n++) {
		/* an off burst node has no GPU free, held whole or shared */
		int g = n * ps->gpn;
		int on = (n < ps->base_nodes && ps->down[n] != CL_DOWN) || ps->free_milli[n] > 0 ||
			 ps->gpu_whole[g] || ps->part_pos[g] >= 0;
		const char *why = cl_res_check_node(&ps->res, n, on, &cpu, &mem);
		if (why)
			return why;
	}
	if (cpu != ps->res.cpu_busy || mem != ps->res.mem_busy)
		return "cpu_busy or mem_busy differs from the nodes' CPU or memory in use";
	return NULL;
}

const char *cluster_check(const cluster *c)
{
	if (c->npools < 0 || c->npools > SC_MAX_POOLS)
		return "npools outside [0, SC_MAX_POOLS]";
	for (int p = 0; p < c->npools; p++) {
		const char *why = check_pool(&c->pools[p]);
		if (!why && c->multi)
			why = check_res(&c->pools[p]);
		if (why)
			return why;
	}
	for (int k = 0; k < SC_MAX_CLASSES; k++)
		for (int i = 0; i < c->norder[k]; i++) {
			int q = c->order[k][i];
			if (q < 0 || q >= c->npools)
				return "a class's pool order names no pool";
			if (c->fit[k][i] != cluster_fit_kind(c, q, c->class_milli[k]))
				return "a class's fit table differs from its size on the pool";
		}
	return NULL;
}
