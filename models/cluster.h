/* cluster.h - the GPU pools at run time: free capacity per node, in thousandths of a
 * GPU. Nodes are grouped in blocks of CLUSTER_BLOCK; a max-segment tree over the blocks
 * lets first-fit find the leftmost node with room in O(log nodes) and a short scan,
 * and a small pool is a single block with no tree to walk. */
#ifndef FGSIM_CLUSTER_H
#define FGSIM_CLUSTER_H
#include "scenario.h"

#define CLUSTER_BLOCK 16

typedef struct pool_state {
	int nodes, blocks, leaves; /* leaves: blocks rounded up to a power of two */
	int *free_milli;           /* per node, padded with zeros to a whole block */
	int *tree;                 /* tree[1] is the root; block b's max is tree[leaves + b] */
	unsigned char *at_max;     /* per block: how many of its nodes have its max free */
	long long busy_milli, cap_milli;
} pool_state;

typedef struct cluster {
	int npools;
	pool_state pools[SC_MAX_POOLS];
	placement_kind placement;
	/* per class, the pools in the order the placement tries them */
	int order[SC_MAX_CLASSES][SC_MAX_POOLS];
	int norder[SC_MAX_CLASSES];
} cluster;

/* Builds the pools of sc, all free. Returns 0, -1 on no memory (nothing left to free). */
int cluster_init(cluster *c, const scenario *sc);
void cluster_destroy(cluster *c);
void cluster_reset(cluster *c, const scenario *sc); /* every GPU free again */
/* First fit: the first pool in the class's order with a node that has room, and in it
 * the lowest-numbered such node. Returns 0 with *pool and *node set, -1 if none. */
int cluster_first_fit(const cluster *c, const class_spec *k, int milli, int *pool, int *node);
/* Places a job of class k needing milli thousandths of a GPU on one node, by the
 * scenario's placement: first-fit (the first pool of the class's list with room, its
 * lowest-numbered node with room), best-fit (the node, in any of the class's pools,
 * left with the least free capacity: it keeps big holes for big jobs), cheapest (the
 * lowest-priced pool with room, then first-fit) or fastest (the pool where the job's
 * expected service time is shortest, then first-fit). Returns 0 with *pool and *node
 * set, -1 if it does not fit anywhere now. */
int cluster_place(const cluster *c, int k, int milli, int *pool, int *node);
/* Takes (milli > 0) or gives back (milli < 0) capacity on a node. */
void cluster_adjust(cluster *c, int pool, int node, int milli);
/* Largest free capacity on any node of the pool. */
int cluster_max_free(const cluster *c, int pool);
#endif
