/* cluster.c - pools as max-segment trees over their nodes' free capacity. */
#include "cluster.h"

#include <stdlib.h>

int cluster_init(cluster *c, const scenario *sc)
{
	c->npools = sc->npools;
	for (int p = 0; p < sc->npools; p++) {
		pool_state *ps = &c->pools[p];
		ps->nodes = sc->pools[p].nodes;
		ps->leaves = 1;
		while (ps->leaves < ps->nodes)
			ps->leaves *= 2;
		ps->tree = malloc(2 * (size_t)ps->leaves * sizeof *ps->tree);
		if (!ps->tree) {
			c->npools = p;
			cluster_destroy(c);
			return -1;
		}
	}
	cluster_reset(c, sc);
	return 0;
}

void cluster_destroy(cluster *c)
{
	for (int p = 0; p < c->npools; p++)
		free(c->pools[p].tree);
	c->npools = 0;
}

void cluster_reset(cluster *c, const scenario *sc)
{
	for (int p = 0; p < c->npools; p++) {
		pool_state *ps = &c->pools[p];
		int per_node = sc->pools[p].gpus_per_node * SC_MILLI;
		for (int n = 0; n < ps->leaves; n++)
			ps->tree[ps->leaves + n] = n < ps->nodes ? per_node : 0;
		for (int i = ps->leaves - 1; i >= 1; i--)
			ps->tree[i] = ps->tree[2 * i] > ps->tree[2 * i + 1] ? ps->tree[2 * i] : ps->tree[2 * i + 1];
		ps->busy_milli = 0;
		ps->cap_milli = (long long)per_node * ps->nodes;
	}
}

int cluster_first_fit(const cluster *c, const class_spec *k, int milli, int *pool, int *node)
{
	for (int i = 0; i < k->npools; i++) {
		const pool_state *ps = &c->pools[k->pools[i]];
		if (ps->tree[1] < milli)
			continue;
		int at = 1;
		while (at < ps->leaves)
			at = ps->tree[2 * at] >= milli ? 2 * at : 2 * at + 1;
		*pool = k->pools[i];
		*node = at - ps->leaves;
		return 0;
	}
	return -1;
}

void cluster_adjust(cluster *c, int pool, int node, int milli)
{
	pool_state *ps = &c->pools[pool];
	int at = ps->leaves + node;
	ps->tree[at] -= milli;
	ps->busy_milli += milli;
	for (at /= 2; at >= 1; at /= 2) {
		int m = ps->tree[2 * at] > ps->tree[2 * at + 1] ? ps->tree[2 * at] : ps->tree[2 * at + 1];
		if (ps->tree[at] == m)
			break;
		ps->tree[at] = m;
	}
}
