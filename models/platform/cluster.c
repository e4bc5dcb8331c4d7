/* cluster.c - pools as blocks of nodes under a max-segment tree.
 *
 * Why this index: first-fit asks for the leftmost node with room at every start. A
 * scan is cheapest for a pool of up to CLUSTER_BLOCK (16) nodes, so such a pool keeps no
 * tree at all; a larger one (10,000 GPUs in bench-large) keeps a max-tree over 16-node
 * blocks, with a count of the nodes at each block's maximum so that most updates are
 * O(1) and a block is rescanned only when its last node at the maximum loses capacity.
 * The cluster (placement, capacity checks) is 8% of the M/M/c benchmark's instructions
 * (README, "Speed"). */
#include "cluster.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"

static int fit_kind(const pool_state *ps, int milli);

int cluster_init(cluster *c, const scenario *sc)
{
	c->npools = sc->npools;
	c->multi = cluster_multi_of(sc);
	for (int p = 0; p < sc->npools; p++) {
		pool_state *ps = &c->pools[p];
		ps->res = (cl_res){0};
		ps->base_nodes = sc->pools[p].nodes;
		ps->nodes = sc->pools[p].nodes + sc->pools[p].burst_max; /* burst nodes start off */
		ps->blocks = (ps->nodes + CLUSTER_BLOCK - 1) / CLUSTER_BLOCK;
		ps->leaves = 1;
		while (ps->leaves < ps->blocks)
			ps->leaves *= 2;
		ps->free_milli = calloc((size_t)ps->blocks * CLUSTER_BLOCK, sizeof *ps->free_milli);
		ps->tree = calloc(2 * (size_t)ps->leaves, sizeof *ps->tree);
		ps->at_max = calloc((size_t)ps->blocks, 1);
		ps->gpn = sc->pools[p].gpus_per_node;
		ps->full_nodes = scenario_pool_full_nodes(sc, p);
		size_t gpus = (size_t)ps->nodes * ps->gpn;
		ps->gpu_free = malloc(gpus * sizeof *ps->gpu_free);
		ps->gpu_whole = malloc(gpus);
		ps->part = malloc(gpus * sizeof *ps->part);
		ps->part_pos = malloc(gpus * sizeof *ps->part_pos);
		ps->down = calloc((size_t)ps->nodes, 1);
		if (!ps->down || !ps->free_milli || !ps->tree || !ps->at_max || !ps->gpu_free || !ps->gpu_whole || !ps->part ||
		    !ps->part_pos || (c->multi && cl_res_init(&ps->res, ps->nodes, &sc->pools[p]))) {
			c->npools = p + 1;
			cluster_destroy(c);
			return -1;
		}
	}
	/* Pool orders by placement: stable sorts of each class's own list (insertion sort:
	 * SC_MAX_POOLS is small), stable so that equal keys keep the order the scenario
	 * wrote, and the same pool wins on every run and platform. Classes the
	 * scenario lacks get none, so cluster_check can walk every row. */
	c->placement = sc->placement;
	memset(c->norder, 0, sizeof c->norder);
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
	/* What the class's jobs are on each pool, worked out once: cluster_place, on every
	 * start, only reads it (a trace job of its own size is the exception) */
	for (int k = 0; k < sc->nclasses; k++) {
		c->class_milli[k] = sc->classes[k].gpus_milli;
		for (int i = 0; i < c->norder[k]; i++)
			c->fit[k][i] = (unsigned char)fit_kind(&c->pools[c->order[k][i]], sc->classes[k].gpus_milli);
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
		free(c->pools[p].gpu_free);
		free(c->pools[p].gpu_whole);
		free(c->pools[p].part);
		free(c->pools[p].part_pos);
		free(c->pools[p].down);
		cl_res_destroy(&c->pools[p].res);
	}
	c->npools = 0;
}

static int max_of(int a, int b)
{
	return a > b ? a : b;
}

/* A pool of mixed node sizes, after cluster_reset set it up as if every node had gpn
 * GPUs: each node gets its own size (the largest first, as pool_spec lists them), the
 * GPUs a node lacks are never free, and the blocks' maxima are worked out again. */
static void reset_sizes(pool_state *ps, const pool_spec *spec)
{
	int n = 0;
	ps->cap_milli = 0;
	for (int s = 0; s < spec->nsizes; s++)
		for (int i = 0; i < spec->size[s].nodes; i++, n++) {
			ps->free_milli[n] = spec->size[s].gpus * SC_MILLI;
			ps->cap_milli += ps->free_milli[n];
			for (int g = spec->size[s].gpus; g < ps->gpn; g++)
				ps->gpu_free[n * ps->gpn + g] = 0;
		}
	for (int b = 0; b < ps->blocks; b++) {
		const int *f = ps->free_milli + b * CLUSTER_BLOCK;
		int m = 0, count = 0;
		for (int i = 0; i < CLUSTER_BLOCK; i++)
			m = max_of(m, f[i]);
		for (int i = 0; i < CLUSTER_BLOCK; i++)
			count += f[i] == m;
		ps->tree[ps->leaves + b] = m;
		ps->at_max[b] = (unsigned char)count;
	}
	for (int i = ps->leaves - 1; i >= 1; i--)
		ps->tree[i] = max_of(ps->tree[2 * i], ps->tree[2 * i + 1]);
	ps->free_nodes = ps->full_nodes;
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
		for (int g = 0; g < ps->nodes * ps->gpn; g++) {
			ps->gpu_free[g] = SC_MILLI;
			ps->gpu_whole[g] = 0;
			ps->part_pos[g] = -1;
		}
		ps->nparts = 0;
		ps->free_nodes = ps->nodes;
		memset(ps->down, CL_UP, (size_t)ps->nodes);
		ps->ncordon = 0;
		ps->cordon_off_milli = 0;
		if (sc->pools[p].nsizes)
			reset_sizes(ps, &sc->pools[p]);
		if (c->multi)
			cl_res_reset(&ps->res, ps->nodes);
		for (int n = ps->base_nodes; n < ps->nodes; n++)
			cluster_power(c, p, n, 0);
	}
}

/* What a job of milli thousandths is on pool q. */
static int fit_kind(const pool_state *ps, int milli)
{
	int node = ps->gpn * SC_MILLI;
	if (milli < SC_MILLI)
		return FITS_FRACTION;
	if (milli % SC_MILLI)
		return FITS_NOT;
	if (milli <= node)
		return FITS_NODE;
	return milli % node == 0 && milli / node <= ps->full_nodes ? FITS_GANG : FITS_NOT;
}

/* The leftmost node with at least `whole` fully free GPUs (x 1000), or -1. */
static inline int leftmost_node(const pool_state *ps, int whole)
{
	if (ps->blocks == 1) { /* a small pool: a plain scan beats any index */
		for (int n = 0; n < ps->nodes; n++)
			if (ps->free_milli[n] >= whole)
				return n;
		return -1;
	}
	if (ps->tree[1] < whole)
		return -1;
	int at = 1;
	while (at < ps->leaves)
		at = ps->tree[2 * at] >= whole ? 2 * at : 2 * at + 1;
	FG_ASSERT(at - ps->leaves < ps->blocks); /* padding leaves are 0 < whole */
	const int *f = ps->free_milli + (at - ps->leaves) * CLUSTER_BLOCK;
	int n = 0;
	while (f[n] < whole) /* the block's max is >= whole, so this stops inside it */
		n++;
	FG_ASSERT(n < CLUSTER_BLOCK);
	return (at - ps->leaves) * CLUSTER_BLOCK + n;
}

/* A fraction goes on the shared GPU it fills best (packing), else on a fully free GPU
 * of the leftmost node that has one. Returns the GPU's number in the pool, or -1. */
static int fraction_gpu(const pool_state *ps, int milli)
{
	int best = -1;
	/* g < best breaks ties, not the list's order: part[] is in no order (removal swaps
	 * the last in), and the choice must not depend on the history of the list */
	for (int i = 0; i < ps->nparts; i++) {
		int g = ps->part[i], left = ps->gpu_free[g] - milli;
		/* a draining node takes nothing new: asked last, of a GPU that would be best */
		if (left >= 0 &&
		    (best < 0 || left < ps->gpu_free[best] - milli ||
		     (left == ps->gpu_free[best] - milli && g < best)) &&
		    !(ps->ncordon && ps->down[g / ps->gpn]))
			best = g;
	}
	if (best >= 0)
		return best;
	int n = leftmost_node(ps, SC_MILLI);
	if (n < 0)
		return -1;
	/* free_milli[n] >= 1000 says one of its GPUs is wholly free */
	for (int g = n * ps->gpn;; g++) {
		FG_ASSERT(g < (n + 1) * ps->gpn);
		if (ps->gpu_free[g] == SC_MILLI)
			return g;
	}
}

/* Tries pool q for a job of the given fit kind; fills *s on success. Kept out of line
 * so that the common case in cluster_place stays small (measured: fewer registers to
 * save on every call). */
__attribute__((noinline)) static int try_pool(const cluster *c, int q, int kind, int milli, int best, slot *s)
{
	const pool_state *ps = &c->pools[q];
	if (ps->cap_milli - ps->busy_milli < milli) /* full: the common case under load */
		return -1;
	s->pool = q;
	s->gpu = -1;
	switch (kind) {
	case FITS_FRACTION: {
		int g = fraction_gpu(ps, milli);
		if (g < 0)
			return -1;
		s->node = g / ps->gpn;
		s->gpu = g % ps->gpn;
		return 0;
	}
	case FITS_NODE:
		if (!best) {
			s->node = leftmost_node(ps, milli);
			return s->node < 0 ? -1 : 0;
		}
		/* best fit: the node left with the fewest free GPUs, by a plain scan (the
		 * max-tree answers "leftmost with room", not "tightest"); a node it would
		 * fill exactly cannot be beaten, so the scan stops there */
		s->node = -1;
		for (int n = 0; n < ps->nodes; n++) {
			int left = ps->free_milli[n] - milli;
			if (left >= 0 && (s->node < 0 || left < ps->free_milli[s->node] - milli)) {
				s->node = n;
				if (left == 0)
					break;
			}
		}
		return s->node < 0 ? -1 : 0;
	case FITS_GANG:
		s->node = -1;
		return ps->free_nodes >= milli / (ps->gpn * SC_MILLI) ? 0 : -1;
	}
	return -1;
}

/* Best fit over every pool of the class: the least leftover on a node, ties to the
 * earlier pool (gangs take whole nodes: no leftover to compare, the first pool wins). */
static int place_best(const cluster *c, int k, const unsigned char *fit, int milli, slot *s)
{
	int found = -1, left_best = 0;
	for (int i = 0; i < c->norder[k]; i++) {
		slot t;
		if (try_pool(c, c->order[k][i], fit[i], milli, 1, &t))
			continue;
		int left = t.node < 0 ? 0 : c->pools[t.pool].free_milli[t.node] - milli;
		if (found < 0 || left < left_best) {
			found = 0;
			left_best = left;
			*s = t;
		}
	}
	return found;
}

int cluster_fit_kind(const cluster *c, int q, int milli)
{
	return fit_kind(&c->pools[q], milli);
}

/* Where a job of class k and milli thousandths goes by the scenario's placement:
 * returns 0 with *s set, or -1 when no pool of the class has room for it now. Reads
 * only: the caller takes the slot (cluster_take) once it decides to start the job. */
int cluster_place(const cluster *c, int k, int milli, slot *s)
{
	const unsigned char *fit = c->fit[k];
	unsigned char own[SC_MAX_POOLS];
	if (milli != c->class_milli[k]) { /* a trace job: its own size, its own fit */
		for (int i = 0; i < c->norder[k]; i++)
			own[i] = (unsigned char)fit_kind(&c->pools[c->order[k][i]], milli);
		fit = own;
	}
	if (c->placement == PLACE_BEST_FIT && milli >= SC_MILLI)
		return place_best(c, k, fit, milli, s);
	for (int i = 0; i < c->norder[k]; i++) {
		int q = c->order[k][i];
		if (fit[i] == FITS_NODE) { /* the common case, kept short */
			if (c->pools[q].cap_milli - c->pools[q].busy_milli < milli)
				continue;
			int n = leftmost_node(&c->pools[q], milli);
			if (n < 0)
				continue;
			*s = (slot){q, n, -1};
			return 0;
		}
		if (!try_pool(c, q, fit[i], milli, 0, s))
			return 0;
	}
	return -1;
}

int cluster_first_fit(const cluster *c, const class_spec *k, int milli, slot *s)
{
	for (int i = 0; i < k->npools; i++)
		if (!try_pool(c, k->pools[i], fit_kind(&c->pools[k->pools[i]], milli), milli, 0, s))
			return 0;
	return -1;
}

int cluster_gang_nodes(const cluster *c, int q, int milli)
{
	const pool_state *ps = &c->pools[q];
	return fit_kind(ps, milli) == FITS_GANG ? milli / (ps->gpn * SC_MILLI) : 0;
}

/* Sets block b's max to m and carries the change up the tree as far as it matters. */
static void set_block_max(pool_state *ps, int b, int m)
{
	FG_ASSERT(b >= 0 && b < ps->blocks && m >= 0);
	for (int at = ps->leaves + b; at >= 1 && ps->tree[at] != m; at /= 2) {
		ps->tree[at] = m;
		if (at > 1)
			m = max_of(m, ps->tree[at ^ 1]);
	}
}

/* A node's count of fully free GPUs changed by -milli/1000. Keeping a count of the
 * nodes at their block's max makes most updates O(1): the block is rescanned only
 * when its last node at the max loses capacity. */
static void index_update(pool_state *ps, int node, int milli)
{
	int old = ps->free_milli[node], now = old - milli, whole = ps->gpn * SC_MILLI;
	FG_ASSERT(node >= 0 && node < ps->nodes && milli % SC_MILLI == 0);
	FG_ASSERT(now >= 0 && now <= whole); /* never more taken or given back than there is */
	ps->free_milli[node] = now;
	ps->free_nodes += (now == whole) - (old == whole);
	if (ps->blocks == 1) /* scanned directly: no index to keep */
		return;
	int b = node / CLUSTER_BLOCK, max = ps->tree[ps->leaves + b];
	if (now > max) {
		ps->at_max[b] = 1;
		set_block_max(ps, b, now);
	} else if (now == max) {
		ps->at_max[b]++;
		FG_ASSERT(ps->at_max[b] <= CLUSTER_BLOCK);
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

void cluster_adjust(cluster *c, int pool, int node, int milli)
{
	pool_state *ps = &c->pools[pool];
	FG_ASSERT(milli % SC_MILLI == 0 && node >= 0 && node < ps->nodes);
	int *gf = ps->gpu_free + node * ps->gpn, n = milli / SC_MILLI;
	unsigned char *gw = ps->gpu_whole + node * ps->gpn;
	for (int g = 0; n > 0 && g < ps->gpn; g++) /* take whole GPUs: any free ones */
		if (gf[g] == SC_MILLI) {
			gf[g] = 0;
			gw[g] = 1;
			n--;
		}
	for (int g = 0; n < 0 && g < ps->gpn; g++) /* give back GPUs held whole */
		if (gw[g]) {
			gf[g] = SC_MILLI;
			gw[g] = 0;
			n++;
		}
	FG_ASSERT(n == 0); /* the node had the free GPUs taken, or held those given back */
	ps->busy_milli += milli;
	FG_ASSERT(ps->busy_milli >= 0 && ps->busy_milli <= ps->cap_milli);
	index_update(ps, node, milli);
}

static void part_add(pool_state *ps, int g)
{
	FG_ASSERT(ps->part_pos[g] == -1 && ps->nparts < ps->nodes * ps->gpn);
	ps->part_pos[g] = ps->nparts;
	ps->part[ps->nparts++] = g;
}

static void part_remove(pool_state *ps, int g)
{
	FG_ASSERT(ps->part_pos[g] >= 0 && ps->nparts > 0);
	int at = ps->part_pos[g], last = ps->part[--ps->nparts];
	ps->part[at] = last;
	ps->part_pos[last] = at;
	ps->part_pos[g] = -1;
}

void cluster_take(cluster *c, const slot *s, int milli, int *gang)
{
	pool_state *ps = &c->pools[s->pool];
	/* one-GPU nodes, the whole node: the M/M/c case, done without cluster_adjust's
	 * loops over the node's GPUs */
	if (ps->gpn == 1 && s->node >= 0 && s->gpu < 0) {
		FG_ASSERT(milli == SC_MILLI && ps->gpu_free[s->node] == SC_MILLI);
		ps->gpu_free[s->node] = 0;
		ps->gpu_whole[s->node] = 1;
		ps->busy_milli += milli;
		index_update(ps, s->node, milli);
		return;
	}
	if (s->gpu >= 0) { /* a fraction */
		int g = s->node * ps->gpn + s->gpu;
		if (ps->gpu_free[g] == SC_MILLI) { /* a free GPU becomes shared */
			index_update(ps, s->node, SC_MILLI);
			part_add(ps, g);
		}
		FG_ASSERT(milli > 0 && milli < SC_MILLI);
		FG_ASSERT(ps->gpu_free[g] >= milli && !ps->gpu_whole[g]); /* as placed */
		ps->gpu_free[g] -= milli;
		ps->busy_milli += milli;
	} else if (s->node >= 0) {
		cluster_adjust(c, s->pool, s->node, milli);
	} else {
		int whole = ps->gpn * SC_MILLI;
		for (int i = 0; i < milli / whole; i++) {
			gang[i] = leftmost_node(ps, whole);
			FG_ASSERT(gang[i] >= 0); /* the placement counted enough free nodes */
			cluster_adjust(c, s->pool, gang[i], whole);
		}
	}
}

static void give_slot(cluster *c, const slot *s, int milli, const int *gang)
{
	pool_state *ps = &c->pools[s->pool];
	if (ps->gpn == 1 && s->node >= 0 && s->gpu < 0) {
		FG_ASSERT(ps->gpu_whole[s->node] && ps->gpu_free[s->node] == 0);
		ps->gpu_free[s->node] = SC_MILLI;
		ps->gpu_whole[s->node] = 0;
		ps->busy_milli -= milli;
		index_update(ps, s->node, -milli);
		return;
	}
	if (s->gpu >= 0) {
		int g = s->node * ps->gpn + s->gpu;
		ps->gpu_free[g] += milli;
		ps->busy_milli -= milli;
		FG_ASSERT(ps->part_pos[g] >= 0 && ps->gpu_free[g] <= SC_MILLI);
		FG_ASSERT(ps->busy_milli >= 0);
		if (ps->gpu_free[g] == SC_MILLI) { /* the last fraction left: a free GPU again */
			part_remove(ps, g);
			index_update(ps, s->node, -SC_MILLI);
		}
	} else if (s->node >= 0) {
		cluster_adjust(c, s->pool, s->node, -milli);
	} else {
		int whole = ps->gpn * SC_MILLI;
		for (int i = 0; i < milli / whole; i++)
			cluster_adjust(c, s->pool, gang[i], -whole);
	}
}

/* Switches off the wholly free GPUs of cordoned node n: capacity that no job may take. */
static void cordon_off_free(pool_state *ps, int n)
{
	for (int g = n * ps->gpn; g < (n + 1) * ps->gpn; g++)
		if (ps->gpu_free[g] == SC_MILLI && ps->part_pos[g] < 0) {
			ps->gpu_free[g] = 0;
			ps->cap_milli -= SC_MILLI;
			ps->cordon_off_milli += SC_MILLI;
			index_update(ps, n, SC_MILLI);
		}
}

/* cluster_give while a maintenance drain is under way: what comes back on a cordoned
 * node is switched off. Out of line, so that the usual give keeps nothing live past
 * give_slot (measured under callgrind). */
static __attribute__((noinline)) void give_cordoned(cluster *c, const slot *s, int milli,
						    const int *gang)
{
	pool_state *ps = &c->pools[s->pool];
	give_slot(c, s, milli, gang);
	if (s->node >= 0 && ps->down[s->node] == CL_CORDONED)
		cordon_off_free(ps, s->node);
	for (int i = 0; s->node < 0 && i < milli / (ps->gpn * SC_MILLI); i++)
		if (ps->down[gang[i]] == CL_CORDONED)
			cordon_off_free(ps, gang[i]);
}

void cluster_give(cluster *c, const slot *s, int milli, const int *gang)
{
	if (__builtin_expect(c->pools[s->pool].ncordon != 0, 0)) /* a drain under way */
		give_cordoned(c, s, milli, gang);
	else
		give_slot(c, s, milli, gang);
}

void cluster_cordon(cluster *c, int pool, int node)
{
	pool_state *ps = &c->pools[pool];
	FG_ASSERT(node >= 0 && node < ps->base_nodes && ps->down[node] == CL_UP);
	ps->down[node] = CL_CORDONED;
	ps->ncordon++;
	cordon_off_free(ps, node);
}

int cluster_cordon_empty(const cluster *c, int pool, int node)
{
	const pool_state *ps = &c->pools[pool];
	if (ps->down[node] != CL_CORDONED || ps->free_milli[node] != 0)
		return 0;
	for (int g = node * ps->gpn; g < (node + 1) * ps->gpn; g++)
		if (ps->gpu_whole[g] || ps->part_pos[g] >= 0)
			return 0;
	return !c->multi || cl_res_all_free(&ps->res, node);
}

/* Switches a node on or off: a burst node, or one of the pool's own taken out of
 * service (cluster_set_down); only when idle: off, or on with every GPU free. */
static void power(cluster *c, int pool, int node, int on)
{
	pool_state *ps = &c->pools[pool];
	int whole = ps->gpn * SC_MILLI;
	FG_ASSERT(ps->free_milli[node] == (on ? 0 : whole));
	for (int g = node * ps->gpn; g < (node + 1) * ps->gpn; g++) {
		FG_ASSERT(!ps->gpu_whole[g] && ps->part_pos[g] < 0);
		ps->gpu_free[g] = on ? SC_MILLI : 0; /* an off GPU has nothing free for fractions */
		ps->gpu_whole[g] = 0;
	}
	ps->cap_milli += on ? whole : -whole;
	FG_ASSERT(ps->cap_milli >= ps->busy_milli);
	if (c->multi)
		cl_res_power(&ps->res, node, on);
	index_update(ps, node, on ? -whole : whole);
}

void cluster_power(cluster *c, int pool, int node, int on)
{
	FG_ASSERT(node >= c->pools[pool].base_nodes && node < c->pools[pool].nodes);
	power(c, pool, node, on);
}

void cluster_set_down(cluster *c, int pool, int node, int down)
{
	pool_state *ps = &c->pools[pool];
	FG_ASSERT(node >= 0 && node < ps->base_nodes && (ps->down[node] == CL_DOWN) != down);
	if (ps->down[node] == CL_CORDONED) { /* drained: its GPUs are off already */
		FG_ASSERT(down && cluster_cordon_empty(c, pool, node));
		ps->down[node] = CL_DOWN;
		ps->ncordon--;
		ps->cordon_off_milli -= ps->gpn * SC_MILLI;
		if (c->multi)
			cl_res_power(&ps->res, node, 0);
		return;
	}
	ps->down[node] = (unsigned char)(down ? CL_DOWN : CL_UP);
	power(c, pool, node, !down);
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

int cluster_slot_fits(const cluster *c, int k, int milli, const slot *s)
{
	int allowed = 0;
	for (int i = 0; i < c->norder[k]; i++)
		allowed |= c->order[k][i] == s->pool;
	if (!allowed)
		return 0;
	const pool_state *ps = &c->pools[s->pool];
	switch (fit_kind(ps, milli)) {
	case FITS_FRACTION:
		return s->node >= 0 && s->node < ps->nodes && s->gpu >= 0 && s->gpu < ps->gpn &&
		       ps->gpu_free[s->node * ps->gpn + s->gpu] >= milli && !ps->down[s->node];
	case FITS_NODE:
		return s->node >= 0 && s->node < ps->nodes && s->gpu < 0 && ps->free_milli[s->node] >= milli;
	case FITS_GANG:
		return s->node < 0 && s->gpu < 0 && ps->free_nodes >= milli / (ps->gpn * SC_MILLI);
	}
	return 0;
}

/* ---- CPU and memory (cluster.multi): the slow path, scans node by node ------------ */

/* A fraction: the shared GPU it fills best on a node with the CPU and memory, else a
 * fully free GPU of the lowest-numbered such node (fraction_gpu's rule, node by node). */
static int fraction_need(const pool_state *ps, int milli, const cl_need *need, slot *s)
{
	int best = -1;
	for (int i = 0; i < ps->nparts; i++) {
		int g = ps->part[i], left = ps->gpu_free[g] - milli;
		if (left >= 0 && cl_res_fits(&ps->res, g / ps->gpn, need) && !ps->down[g / ps->gpn] &&
		    (best < 0 || left < ps->gpu_free[best] - milli || (left == ps->gpu_free[best] - milli && g < best)))
			best = g;
	}
	for (int n = 0; best < 0 && n < ps->nodes; n++)
		if (ps->free_milli[n] >= SC_MILLI && cl_res_fits(&ps->res, n, need))
			for (int g = n * ps->gpn; best < 0; g++)
				if (ps->gpu_free[g] == SC_MILLI)
					best = g;
	if (best < 0)
		return -1;
	s->node = best / ps->gpn;
	s->gpu = best % ps->gpn;
	return 0;
}

/* Is node n free in every resource (a gang may take it)? */
static int node_whole(const pool_state *ps, int n)
{
	return ps->free_milli[n] == ps->gpn * SC_MILLI && cl_res_all_free(&ps->res, n);
}

/* try_pool with CPU and memory: plain scans, where the max-tree would answer by GPUs
 * alone (a second index per resource would cost every GPU-only run its upkeep). For a
 * job of kind FITS_CPU (no GPU), the first of the pool's own nodes with room. */
static int try_pool_need(const pool_state *ps, int kind, int milli, const cl_need *need, int best, slot *s)
{
	if (ps->cap_milli - ps->busy_milli < milli)
		return -1;
	switch (kind) {
	case FITS_FRACTION:
		return fraction_need(ps, milli, need, s);
	case FITS_CPU: /* not a burst node: those are up for their GPUs */
		for (int n = 0; n < ps->base_nodes; n++)
			if (!ps->down[n] && cl_res_fits(&ps->res, n, need)) {
				s->node = n;
				return 0;
			}
		return -1;
	case FITS_NODE:
		for (int n = 0; n < ps->nodes; n++) {
			int left = ps->free_milli[n] - milli;
			if (left < 0 || !cl_res_fits(&ps->res, n, need))
				continue;
			if (s->node < 0 || left < ps->free_milli[s->node] - milli)
				s->node = n;
			if (!best || left == 0) /* first fit, or a node filled exactly: none better */
				break;
		}
		return s->node < 0 ? -1 : 0;
	case FITS_GANG: {
		int want = milli / (ps->gpn * SC_MILLI);
		for (int n = 0; n < ps->nodes && want > 0; n++)
			want -= node_whole(ps, n);
		return want > 0 ? -1 : 0;
	}
	}
	return -1;
}

int cluster_place_need(const cluster *c, int k, int milli, const cl_need *need, slot *s)
{
	FG_ASSERT(c->multi && milli >= 0);
	int found = -1, left_best = 0;
	/* best fit compares whole-GPU jobs across pools, as place_best does; fractions pack
	 * in the pools' order and jobs of no GPU take the first node with room */
	int best = c->placement == PLACE_BEST_FIT && milli >= SC_MILLI;
	for (int i = 0; i < c->norder[k]; i++) {
		int q = c->order[k][i];
		if (!(need->pools >> q & 1))
			continue;
		const pool_state *ps = &c->pools[q];
		slot t = {q, -1, -1};
		if (try_pool_need(ps, milli ? fit_kind(ps, milli) : FITS_CPU, milli, need, best, &t))
			continue;
		if (!best) {
			*s = t;
			return 0;
		}
		int left = t.node < 0 ? 0 : ps->free_milli[t.node] - milli;
		if (found < 0 || left < left_best) {
			found = 0;
			left_best = left;
			*s = t;
		}
	}
	return found;
}

void cluster_take_need(cluster *c, const slot *s, int milli, const cl_need *need, int *gang)
{
	pool_state *ps = &c->pools[s->pool];
	if (s->node < 0) { /* a gang: the lowest-numbered nodes free in every resource */
		int whole = ps->gpn * SC_MILLI, n = 0;
		for (int i = 0; i < milli / whole; i++, n++) {
			while (n < ps->nodes && !node_whole(ps, n))
				n++;
			FG_ASSERT(n < ps->nodes); /* the placement counted enough whole nodes */
			gang[i] = n;
			cluster_adjust(c, s->pool, n, whole);
			cl_res_whole(&ps->res, n, 1);
		}
		return;
	}
	if (milli > 0)
		cluster_take(c, s, milli, NULL);
	cl_res_move(&ps->res, s->node, need->cpu_milli, need->memory_mib, 1);
}

void cluster_give_need(cluster *c, const slot *s, int milli, const cl_need *need, const int *gang)
{
	pool_state *ps = &c->pools[s->pool];
	if (s->node < 0) {
		int whole = ps->gpn * SC_MILLI;
		for (int i = 0; i < milli / whole; i++) {
			cluster_adjust(c, s->pool, gang[i], -whole);
			cl_res_whole(&ps->res, gang[i], 0);
		}
		return;
	}
	if (milli > 0)
		cluster_give(c, s, milli, NULL);
	cl_res_move(&ps->res, s->node, need->cpu_milli, need->memory_mib, -1);
}

int cluster_need_fits(const cluster *c, const slot *s, const cl_need *need)
{
	const pool_state *ps = &c->pools[s->pool];
	if (!(need->pools >> s->pool & 1))
		return 0;
	if (s->node < 0) /* a gang: as many whole nodes as cluster_take_need will look for */
		return 1;
	return cl_res_fits(&ps->res, s->node, need);
}

uint32_t cluster_pools_of_spec(const scenario *sc, const char *spec)
{
	uint32_t mask = 0;
	if (!*spec)
		return UINT32_MAX;
	for (const char *p = spec; *p;) {
		size_t n = strcspn(p, "|");
		for (int q = 0; q < sc->npools; q++)
			if (strlen(sc->pools[q].gpu) == n && !strncmp(sc->pools[q].gpu, p, n))
				mask |= 1u << q;
		p += n + (p[n] == '|');
	}
	return mask;
}
