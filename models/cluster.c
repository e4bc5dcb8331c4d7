/* cluster.c - pools as blocks of nodes under a max-segment tree. */
#include "cluster.h"

#include <stdlib.h>

int cluster_init(cluster *c, const scenario *sc)
{
	c->npools = sc->npools;
	for (int p = 0; p < sc->npools; p++) {
		pool_state *ps = &c->pools[p];
		ps->nodes = sc->pools[p].nodes;
		ps->blocks = (ps->nodes + CLUSTER_BLOCK - 1) / CLUSTER_BLOCK;
		ps->leaves = 1;
		while (ps->leaves < ps->blocks)
			ps->leaves *= 2;
		ps->free_milli = calloc((size_t)ps->blocks * CLUSTER_BLOCK, sizeof *ps->free_milli);
		ps->tree = calloc(2 * (size_t)ps->leaves, sizeof *ps->tree);
		ps->at_max = calloc((size_t)ps->blocks, 1);
		if (!ps->free_milli || !ps->tree || !ps->at_max) {
			c->npools = p + 1;
			cluster_destroy(c);
			return -1;
		}
	}
	/* Pool orders by placement: stable sorts of each class's own list. */
	c->placement = sc->placement;
	for (int k = 0; k < sc->nclasses; k++) {
		const class_spec *cs = &sc->classes[k];
		for (int i = 0; i < cs->npools; i++) {
			int q = cs->pools[i], at = i;
			double key = sc->placement == PLACE_CHEAPEST ? sc->pools[q].price_per_gpu_hour
				     : sc->placement == PLACE_FASTEST ? scenario_expected_service(sc, k, q) : 0;
			while (at > 0) {
				int prev = c->order[k][at - 1];
				double prev_key = sc->placement == PLACE_CHEAPEST ? sc->pools[prev].price_per_gpu_hour
						  : sc->placement == PLACE_FASTEST ? scenario_expected_service(sc, k, prev) : 0;
				if (prev_key <= key)
					break;
				c->order[k][at] = prev;
				at--;
			}
			c->order[k][at] = q;
		}
		c->norder[k] = cs->npools;
	}
	cluster_reset(c, sc);
	return 0;
}

void cluster_destroy(cluster *c)
{
	for (int p = 0; p < c->npools; p++) {
		free(c->pools[p].free_milli);
		free(c->pools[p].tree);
		free(c->pools[p].at_max);
	}
	c->npools = 0;
}

static int max_of(int a, int b)
{
	return a > b ? a : b;
}

void cluster_reset(cluster *c, const scenario *sc)
{
	for (int p = 0; p < c->npools; p++) {
		pool_state *ps = &c->pools[p];
		int per_node = sc->pools[p].gpus_per_node * SC_MILLI;
		for (int n = 0; n < ps->blocks * CLUSTER_BLOCK; n++)
			ps->free_milli[n] = n < ps->nodes ? per_node : 0;
		for (int b = 0; b < ps->leaves; b++)
			ps->tree[ps->leaves + b] = b < ps->blocks ? per_node : 0;
		for (int b = 0; b < ps->blocks; b++)
			ps->at_max[b] = (unsigned char)(b < ps->nodes / CLUSTER_BLOCK ? CLUSTER_BLOCK : ps->nodes % CLUSTER_BLOCK);
		for (int i = ps->leaves - 1; i >= 1; i--)
			ps->tree[i] = max_of(ps->tree[2 * i], ps->tree[2 * i + 1]);
		ps->busy_milli = 0;
		ps->cap_milli = (long long)per_node * ps->nodes;
	}
}

/* First fit over the listed pools, in order. */
static int first_fit(const cluster *c, const int *pools, int npools, int milli, int *pool, int *node)
{
	for (int i = 0; i < npools; i++) {
		const pool_state *ps = &c->pools[pools[i]];
		if (ps->cap_milli - ps->busy_milli < milli) /* full: the common case under load */
			continue;
		if (ps->blocks == 1) { /* a small pool: a plain scan beats any index */
			for (int n = 0; n < ps->nodes; n++)
				if (ps->free_milli[n] >= milli) {
					*pool = pools[i];
					*node = n;
					return 0;
				}
			continue;
		}
		if (ps->tree[1] < milli)
			continue;
		int at = 1;
		while (at < ps->leaves)
			at = ps->tree[2 * at] >= milli ? 2 * at : 2 * at + 1;
		const int *f = ps->free_milli + (at - ps->leaves) * CLUSTER_BLOCK;
		int n = 0;
		while (f[n] < milli) /* the block's max is >= milli, so this stops inside it */
			n++;
		*pool = pools[i];
		*node = (at - ps->leaves) * CLUSTER_BLOCK + n;
		return 0;
	}
	return -1;
}

int cluster_first_fit(const cluster *c, const class_spec *k, int milli, int *pool, int *node)
{
	return first_fit(c, k->pools, k->npools, milli, pool, node);
}

/* The smallest leftover over every node of the listed pools; ties go to the earlier
 * pool and lower node. A full scan: O(nodes) per placement. */
static int best_fit(const cluster *c, const int *pools, int npools, int milli, int *pool, int *node)
{
	int best = -1;
	for (int i = 0; i < npools; i++) {
		const pool_state *ps = &c->pools[pools[i]];
		if (ps->cap_milli - ps->busy_milli < milli)
			continue;
		for (int n = 0; n < ps->nodes; n++) {
			int left = ps->free_milli[n] - milli;
			if (left >= 0 && (best < 0 || left < best)) {
				best = left;
				*pool = pools[i];
				*node = n;
				if (left == 0)
					return 0;
			}
		}
	}
	return best < 0 ? -1 : 0;
}

int cluster_place(const cluster *c, int k, int milli, int *pool, int *node)
{
	return c->placement == PLACE_BEST_FIT ? best_fit(c, c->order[k], c->norder[k], milli, pool, node)
					       : first_fit(c, c->order[k], c->norder[k], milli, pool, node);
}


/* Sets block b's max to m and carries the change up the tree as far as it matters. */
static void set_block_max(pool_state *ps, int b, int m)
{
	for (int at = ps->leaves + b; at >= 1 && ps->tree[at] != m; at /= 2) {
		ps->tree[at] = m;
		if (at > 1)
			m = max_of(m, ps->tree[at ^ 1]);
	}
}

/* Keeping a count of the nodes at their block's max makes most updates O(1): the block
 * is rescanned only when its last node at the max loses capacity. */
void cluster_adjust(cluster *c, int pool, int node, int milli)
{
	pool_state *ps = &c->pools[pool];
	int old = ps->free_milli[node], now = old - milli;
	ps->free_milli[node] = now;
	ps->busy_milli += milli;
	if (ps->blocks == 1) /* scanned directly by first fit: no index to keep */
		return;
	int b = node / CLUSTER_BLOCK, max = ps->tree[ps->leaves + b];
	if (now > max) {
		ps->at_max[b] = 1;
		set_block_max(ps, b, now);
	} else if (now == max) {
		ps->at_max[b]++;
	} else if (old == max && --ps->at_max[b] == 0) {
		const int *f = ps->free_milli + b * CLUSTER_BLOCK;
		int m = f[0], count = 0;
		for (int n = 1; n < CLUSTER_BLOCK; n++)
			m = max_of(m, f[n]);
		for (int n = 0; n < CLUSTER_BLOCK; n++)
			count += f[n] == m;
		ps->at_max[b] = (unsigned char)count;
		set_block_max(ps, b, m);
	}
}

int cluster_max_free(const cluster *c, int pool)
{
	const pool_state *ps = &c->pools[pool];
	if (ps->blocks > 1)
		return ps->tree[1];
	int m = 0; /* a single block keeps no tree (see cluster_adjust) */
	for (int n = 0; n < ps->nodes; n++)
		m = max_of(m, ps->free_milli[n]);
	return m;
}
