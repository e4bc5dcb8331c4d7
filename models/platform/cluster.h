/* cluster.h - the GPU pools at run time. A job asks for a fraction of one GPU (packed
 * with other fractions on that GPU, never beyond it), whole GPUs on one node, or whole
 * nodes started together (a gang). Per node the index keeps the fully free GPUs, in
 * thousandths of a GPU; nodes are grouped in blocks of CLUSTER_BLOCK under a
 * max-segment tree, so first-fit finds the leftmost node with room in O(log nodes)
 * and a short scan, and a small pool is a single block with no tree to walk. GPUs
 * shared by fractions are listed apart, so packing scans only them. A pool read from a
 * node list may mix node sizes: gpn is then its largest, a smaller node's missing GPUs
 * are never free, and gangs take whole nodes of the largest size only. */
#ifndef FGSIM_CLUSTER_H
#define FGSIM_CLUSTER_H
#include "cluster_res.h"
#include "scenario.h"

#define CLUSTER_BLOCK 16

typedef struct pool_state {
	int nodes, gpn, blocks, leaves; /* leaves: blocks rounded up to a power of two */
	int *free_milli;           /* per node: its fully free GPUs x 1000, padded with zeros to a whole block */
	int *tree;                 /* tree[1] is the root; block b's max is tree[leaves + b] */
	unsigned char *at_max;     /* per block: how many of its nodes have its max free */
	long long busy_milli, cap_milli;
	int *gpu_free;             /* per GPU (node x gpn + i): free thousandths */
	unsigned char *gpu_whole;  /* per GPU: held whole by one job */
	int *part, nparts;         /* GPUs holding fractions, in no order */
	int *part_pos;             /* per GPU: its index in part, -1 if not there */
	int free_nodes;            /* nodes of full size (gpn GPUs) with every GPU free (gangs need them) */
	int full_nodes;            /* nodes of full size: all of them, unless the pool mixes node sizes */
	int base_nodes;            /* the pool's own nodes; nodes base_nodes.. are burst nodes, off until powered */
	/* per node: CL_DOWN out of service (failed, reclaimed, maintained), CL_CORDONED
	 * draining (cluster_cordon) */
	unsigned char *down;
	int ncordon;               /* nodes CL_CORDONED: fractions skip their shared GPUs while any is */
	long long cordon_off_milli; /* GPUs of cordoned nodes switched off as they emptied */
	cl_res res;                /* CPU and memory (cluster.multi only; cluster_res.h) */
} pool_state;

/* Where a job runs: a pool and node, and for a fraction the GPU on that node. A gang
 * (whole nodes) has node = -1 and its nodes in a list the caller keeps. */
typedef struct slot {
	int pool, node, gpu;
} slot;

typedef struct cluster {
	int npools;
	pool_state pools[SC_MAX_POOLS];
	placement_kind placement;
	/* per class, the pools in the order the placement tries them */
	int order[SC_MAX_CLASSES][SC_MAX_POOLS];
	int norder[SC_MAX_CLASSES];
	unsigned char fit[SC_MAX_CLASSES][SC_MAX_POOLS]; /* per class and order[] entry: FITS_* */
	int class_milli[SC_MAX_CLASSES];                  /* the size fit[] was worked out for */
	/* Some job may ask for CPU or memory, or keep to some pools (cluster_multi_of):
	 * the platform then places with cluster_place_need. Decided once, at init. */
	int multi;
} cluster;

/* What a job is on a pool: a fraction of a GPU, GPUs of one node, whole nodes, none
 * of these (it cannot run there), or (cluster_place_need only) CPU and memory alone. */
enum { FITS_NOT, FITS_FRACTION, FITS_NODE, FITS_GANG, FITS_CPU };

/* Do sc's jobs ask for anything beside GPUs (class cpus or memory, a trace's pods)? */
static inline int cluster_multi_of(const scenario *sc)
{
	int on = sc->pod_resources || sc->cpu_pods;
	for (int k = 0; k < sc->nclasses; k++)
		on |= sc->classes[k].cpu_milli > 0 || sc->classes[k].memory_mib > 0;
	return on;
}

/* Builds the pools of sc, all free. Returns 0, -1 on no memory (nothing left to free). */
int cluster_init(cluster *c, const scenario *sc);
void cluster_destroy(cluster *c);
void cluster_reset(cluster *c, const scenario *sc); /* every GPU free again */
/* Walks every pool's nodes and search tree (check.h): NULL when every invariant holds,
 * else the first broken one as text. For tests and the periodic debug check. */
const char *cluster_check(const cluster *c);
/* First fit over the pools class k lists, in its order (whatever the scenario's
 * placement): the rule cluster_place follows for first-fit. Returns 0 with *s set,
 * -1 if the job does not fit now. */
int cluster_first_fit(const cluster *c, const class_spec *k, int milli, slot *s);
/* Places a job of class k needing milli thousandths of a GPU on one node, by the
 * scenario's placement: first-fit (the first pool of the class's list with room, its
 * lowest-numbered node with room), best-fit (the node, in any of the class's pools,
 * left with the least free capacity: it keeps big holes for big jobs), cheapest (the
 * lowest-priced pool with room, then first-fit) or fastest (the pool where the job's
 * expected service time is shortest, then first-fit). Returns 0 with *pool and *node
 * set, -1 if it does not fit anywhere now. */
int cluster_place(const cluster *c, int k, int milli, slot *s);
/* True when no pool class k may use has milli thousandths free in total, so nothing
 * of that size can start: the common answer under load, given without a call. */
static inline int cluster_full_for(const cluster *c, int k, int milli)
{
	for (int i = 0; i < c->norder[k]; i++) {
		const pool_state *ps = &c->pools[c->order[k][i]];
		if (ps->cap_milli - ps->busy_milli >= milli)
			return 0;
	}
	return 1;
}

/* What a job of milli thousandths is on pool q (FITS_*). */
int cluster_fit_kind(const cluster *c, int q, int milli);
/* How many nodes a gang of milli needs on pool q (0: not a gang there). */
int cluster_gang_nodes(const cluster *c, int q, int milli);
/* Takes what cluster_place found. For a gang, chooses the nodes (the lowest-numbered
 * free ones) and writes them to gang[]. */
void cluster_take(cluster *c, const slot *s, int milli, int *gang);
/* Gives back what cluster_take took (gang: the same list). */
void cluster_give(cluster *c, const slot *s, int milli, const int *gang);
/* Takes (milli > 0) or gives back (milli < 0) whole GPUs on a node (multiples of 1000). */
void cluster_adjust(cluster *c, int pool, int node, int milli);
/* Burst nodes: powers node (>= base_nodes, fully free when off) on (its GPUs join the
 * pool, free) or off (it must be fully free; its GPUs leave the pool). */
void cluster_power(cluster *c, int pool, int node, int on);
/* One of the pool's own nodes (< base_nodes) leaves service (down 1: it must be idle, or
 * cordoned and empty; its GPUs leave the pool) or comes back (down 0: free). */
void cluster_set_down(cluster *c, int pool, int node, int down);
/* A node's state in pool_state.down: in service, out of service, or cordoned: it takes
 * no new work (a maintenance drain, docs/failures.md) while its jobs run on. */
enum { CL_UP, CL_DOWN, CL_CORDONED };
/* Cordons one of the pool's own nodes in service: its free GPUs are switched off now and
 * each GPU its jobs give back is switched off in turn (cluster_give), so nothing new is
 * placed there. They stay in cap_milli's complement cordon_off_milli: the node counts as
 * powered until it goes down. cluster_set_down(.., 1) takes it down once it is empty. */
void cluster_cordon(cluster *c, int pool, int node);
/* Is the cordoned node without any job (every GPU off, and its CPU all free)? */
int cluster_cordon_empty(const cluster *c, int pool, int node);
/* Is the node's every GPU free? */
static inline int cluster_node_idle(const cluster *c, int pool, int node)
{
	return c->pools[pool].free_milli[node] == c->pools[pool].gpn * SC_MILLI;
}
/* True when a job of class k needing milli fits at s now: a pool the class may use,
 * and room on that node (whole GPUs), on that GPU (a fraction) or enough free nodes
 * (a gang, node -1). Checks a slot that a placement or policy plugin chose. */
int cluster_slot_fits(const cluster *c, int k, int milli, const slot *s);
/* cluster_place, cluster_take and cluster_give for a cluster.multi run: a job fits a
 * node only where its GPUs, CPU and memory all fit, on the pools of its class that
 * need->pools lets it use; milli 0 is a job of CPU and memory alone (on a pool's own
 * nodes, never a burst node). A gang takes its nodes whole: their CPU and memory too. */
int cluster_place_need(const cluster *c, int k, int milli, const cl_need *need, slot *s);
void cluster_take_need(cluster *c, const slot *s, int milli, const cl_need *need, int *gang);
void cluster_give_need(cluster *c, const slot *s, int milli, const cl_need *need, const int *gang);
/* A slot a placement plugin chose (GPUs already checked): has its node the CPU and
 * memory, and is its pool one need allows? */
int cluster_need_fits(const cluster *c, const slot *s, const cl_need *need);
/* The pools whose GPU model (pool_spec.gpu) an Alibaba gpu_spec lists ('|'-separated;
 * "": every pool), as a bit mask; models the cluster lacks are left out. */
uint32_t cluster_pools_of_spec(const scenario *sc, const char *spec);
/* Largest number of fully free GPUs on any node of the pool, x 1000. */
int cluster_max_free(const cluster *c, int pool);
#endif
