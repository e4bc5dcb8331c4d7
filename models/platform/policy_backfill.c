/* policy_backfill.c - EASY backfilling (Lifka 1995; Mu'alem & Feitelson 2001): jobs
 * start in arrival order; when the oldest job (the head) does not fit, it gets a
 * reservation, the earliest time enough GPUs free up by the running jobs' estimated
 * ends, and a later job may start now only if it cannot delay that: it ends by the
 * reservation by its own estimate, or it runs on GPUs the head will not need (another
 * pool or node, or what the head's node has to spare then). Estimates are the users'
 * (job.estimate, possibly wrong); with kill_at_estimate the platform kills a job at its
 * estimate, which makes the promise hold whatever the estimates. A built-in written
 * against the plugin interface's schedule call, plus two private shortcuts: a hook on
 * every start and end (policy_backfill_watch), and the pools' count of wholly free
 * nodes (fits_now). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cluster.h"
#include "grow.h"
#include "policy_common.h"

/* A running job under its expected end: start + estimate. Past it (and not killed),
 * the job is expected to end at any moment: "now". */
typedef struct bf_entry {
	double end;
	uint64_t id;
	uint32_t i;
} bf_entry;

/* A binary min-heap of running jobs: by (end, id), or by id alone for the jobs past
 * their estimate, which all end "now" and so replay in arrival order. */
typedef struct bf_heap {
	bf_entry *e;
	uint32_t n;
	size_t cap;
} bf_heap;

/* The waiting jobs of one class that ask for the class's size, in queue order, with
 * their estimates: the scan behind the head finds there the next job that may start
 * without visiting the others. A job that leaves is a tombstone (i = JOB_NONE, est =
 * INFINITY) until the array is compacted. A tree of minima over the estimates (min[1]
 * the root, min[cap + k] entry k's; cap a power of two) finds the next job after a
 * place that is still waiting, or short enough, in O(log n). */
typedef struct bf_wait {
	double est;
	uint64_t seq; /* queue order */
	uint32_t i;
} bf_wait;

struct bf_line {
	bf_wait *e;
	double *min;
	uint32_t lo, n, cap, live; /* entries before lo are all gone; slot[i].pos is job i's entry */
};

#define BF_LATE 0x80000000u /* pos[]: the job is in its pool's late heap */
#define BF_NOWHERE UINT32_MAX

/* Why the state looks like this: the head's reservation and the scan behind it run at
 * every scheduling pass, and at scenarios/bench-large.cfg's scale (10,000 GPUs,
 * thousands of jobs running and waiting) the first version, which collected and sorted
 * every running job and copied the head's pools at each pass, spent over 80% of the run
 * sorting (bench-large's first twelve hours took 1,695 s at 250 jobs/s; they now take
 * about 1 s, README "Speed"). Now the running jobs stay in order of expected end, per
 * pool, as they start and end; the replay walks only the ends the head needs, over an
 * overlay of the free GPUs it changed (stamped per replay) instead of a copy; the
 * reservation is worked out only when a job behind the head fits; and the scan goes by
 * class (bf_line) instead of asking every waiting job. Every decision is the first
 * version's: test_backfill.sh holds the results it wrote. */
struct bf_state {
	bf_heap soon[SC_MAX_POOLS]; /* per pool: running, expected end still ahead, by (end, id) */
	bf_heap late[SC_MAX_POOLS]; /* per pool: running past the estimate, by id */
	uint32_t *pos;              /* per job handle: its place in its heap | BF_LATE; BF_NOWHERE */
	uint32_t npos;
	uint32_t *walk, walk_cap;   /* a walk's frontier: places in one heap, a min-heap itself */
	/* The replay's free GPUs where it changed them: node n's (x 1000) is node_val[n] when
	 * node_seen[n] == stamp, else the pool's own; the same per GPU (node x gpn + g). */
	int *node_val, *gpu_val;
	uint32_t *node_seen, *gpu_seen, stamp;
	int node_cap, gpu_cap;
	/* The waiting jobs: per class those that ask for the class's size, in queue order
	 * (see bf_line), and how many ask for another (trace jobs bring their own size). */
	struct bf_line line[SC_MAX_CLASSES];
	uint32_t odd_size;
	uint64_t pushed; /* jobs queued so far: the queue order */
};

static void bf_free(struct bf_state *b);

int policy_backfill_setup(policy *p, const policy_spec *spec, const scenario *sc)
{
	(void)spec, (void)sc;
	p->bf = calloc(1, sizeof *p->bf);
	p->bf_free = bf_free;
	return p->bf ? 0 : -1; /* and one FIFO: level 0 */
}

static void bf_free(struct bf_state *b)
{
	if (!b)
		return;
	for (int q = 0; q < SC_MAX_POOLS; q++) {
		free(b->soon[q].e);
		free(b->late[q].e);
	}
	for (int k = 0; k < SC_MAX_CLASSES; k++) {
		free(b->line[k].e);
		free(b->line[k].min);
	}
	free(b->pos);
	free(b->walk);
	free(b->node_val);
	free(b->gpu_val);
	free(b->node_seen);
	free(b->gpu_seen);
	free(b);
}

/* Makes *a an array of n items of `size` bytes, keeping its start. Returns 0, -1 on
 * no memory (*a is then unchanged). */
static int resize(void **a, size_t n, size_t size)
{
	void *g = realloc(*a, n * size);
	if (!g)
		return -1;
	*a = g;
	return 0;
}

/* Entry k's estimate becomes est in the tree of minima. */
static void line_set(struct bf_line *l, uint32_t k, double est)
{
	double *m = l->min;
	uint32_t v = l->cap + k;
	m[v] = est;
	for (v /= 2; v >= 1; v /= 2) {
		double least = m[2 * v] < m[2 * v + 1] ? m[2 * v] : m[2 * v + 1];
		if (m[v] == least)
			break; /* and so is every node above */
		m[v] = least;
	}
}

/* Moves the live entries of l to its front (so that l->n = l->live) and builds its
 * tree of minima again. */
static void line_compact(struct bf_line *l, struct policy_slot *S)
{
	uint32_t n = 0;
	for (uint32_t k = l->lo; k < l->n; k++)
		if (l->e[k].i != JOB_NONE) {
			l->e[n] = l->e[k];
			S[l->e[n].i].pos = n;
			n++;
		}
	l->lo = 0;
	l->n = n;
	double *m = l->min;
	for (uint32_t k = 0; k < l->cap; k++)
		m[l->cap + k] = k < n ? l->e[k].est : INFINITY;
	for (uint32_t v = l->cap - 1; v >= 1; v--)
		m[v] = m[2 * v] < m[2 * v + 1] ? m[2 * v] : m[2 * v + 1];
}

/* Appends waiting job i to line l. Returns 0, -1 on no memory. */
static int line_add(struct bf_line *l, struct policy_slot *S, const job *J, uint32_t i, uint64_t seq)
{
	if (l->n == l->cap) { /* full: grow, unless half of it is tombstones */
		if (l->cap == 0 || l->live > l->cap / 2) {
			uint32_t cap = l->cap ? 2 * l->cap : 128;
			if (resize((void **)&l->e, cap, sizeof *l->e) ||
			    resize((void **)&l->min, 2 * (size_t)cap, sizeof *l->min))
				return -1;
			l->cap = cap;
		}
		line_compact(l, S);
	}
	FG_ASSERT(l->n < l->cap && l->live <= l->n);
	uint32_t k = l->n++;
	l->e[k] = (bf_wait){J[i].estimate, seq, i};
	line_set(l, k, J[i].estimate);
	S[i].pos = k;
	l->live++;
	return 0;
}

/* Waiting job i leaves line l. */
static void line_del(struct bf_line *l, uint32_t i, const struct policy_slot *S)
{
	FG_ASSERT(S[i].pos >= l->lo && S[i].pos < l->n && l->e[S[i].pos].i == i && l->live > 0);
	bf_wait *w = &l->e[S[i].pos];
	w->i = JOB_NONE;
	w->est = INFINITY;
	line_set(l, S[i].pos, INFINITY);
	if (--l->live == 0) {
		l->lo = l->n = 0;
		return;
	}
	while (l->e[l->lo].i == JOB_NONE)
		l->lo++;
}

/* Does job j ask for its class's size (else: a size of its own, from a trace)? */
static inline int class_size(const scenario *sc, const job *j)
{
	return j->gpus_milli == sc->classes[j->cls].gpus_milli;
}

static int bf_push(void *self, fgp_ctx *cx, fgp_job_id i)
{
	policy *p = self;
	struct bf_state *b = p->bf;
	job *J = cx->jobs->j;
	if (!class_size(cx->sc, &J[i]))
		b->odd_size++;
	else if (policy_slot_room(p, i) || line_add(&b->line[J[i].cls], p->slot, J, i, b->pushed))
		return -1;
	b->pushed++;
	jlist_push(&p->level[0], J, i);
	p->len++;
	return 0;
}

static void bf_remove(void *self, fgp_ctx *cx, fgp_job_id i, int started)
{
	(void)started;
	policy *p = self;
	struct bf_state *b = p->bf;
	job *J = cx->jobs->j;
	if (!class_size(cx->sc, &J[i])) {
		FG_ASSERT(b->odd_size > 0);
		b->odd_size--;
	} else
		line_del(&b->line[J[i].cls], i, p->slot);
	jlist_remove(&p->level[0], J, i);
	FG_ASSERT(p->len > 0);
	p->len--;
}

/* ---- running jobs by expected end ----------------------------------------------- */

static inline int before(const bf_entry *a, const bf_entry *b, int by_id)
{
	if (!by_id && a->end != b->end)
		return a->end < b->end;
	return a->id < b->id;
}

static void put(bf_heap *h, uint32_t *pos, uint32_t late, uint32_t k, bf_entry e)
{
	h->e[k] = e;
	pos[e.i] = k | late;
}

static void sift_up(bf_heap *h, uint32_t *pos, uint32_t late, uint32_t k)
{
	bf_entry e = h->e[k];
	while (k > 0 && before(&e, &h->e[(k - 1) / 2], late != 0)) {
		put(h, pos, late, k, h->e[(k - 1) / 2]);
		k = (k - 1) / 2;
	}
	put(h, pos, late, k, e);
}

static void sift_down(bf_heap *h, uint32_t *pos, uint32_t late, uint32_t k)
{
	bf_entry e = h->e[k];
	for (;;) {
		uint32_t c = 2 * k + 1;
		if (c >= h->n)
			break;
		if (c + 1 < h->n && before(&h->e[c + 1], &h->e[c], late != 0))
			c++;
		if (!before(&h->e[c], &e, late != 0))
			break;
		put(h, pos, late, k, h->e[c]);
		k = c;
	}
	put(h, pos, late, k, e);
}

/* Returns 0, -1 on no memory (the heap is unchanged). */
static int heap_add(bf_heap *h, uint32_t *pos, uint32_t late, bf_entry e)
{
	if (GROW(h->e, h->cap, (size_t)h->n + 1))
		return -1;
	h->e[h->n++] = e;
	sift_up(h, pos, late, h->n - 1);
	return 0;
}

static void heap_del(bf_heap *h, uint32_t *pos, uint32_t late, uint32_t k)
{
	FG_ASSERT(k < h->n && pos[h->e[k].i] == (k | late));
	pos[h->e[k].i] = BF_NOWHERE;
	if (k == --h->n)
		return;
	put(h, pos, late, k, h->e[h->n]);
	sift_up(h, pos, late, k);
	sift_down(h, pos, late, pos[h->e[k].i] & ~BF_LATE); /* one of the two moved it, or neither */
}

/* The private hook: the platform reports every start (running = 1) and every end of a
 * run (done, killed or preempted: running = 0) of job i. The plugin interface has no
 * such call (a job that starts on arrival, with nothing queued, never reaches the
 * policy, and ends are not reported), and without it the running jobs would have to be
 * found by a scan of the whole job table at each pass, which is what made the policy
 * too slow at scale. Returns 0, -1 on no memory. */
int policy_backfill_watch(void *self, fgp_ctx *cx, uint32_t i, int running)
{
	struct bf_state *b = ((policy *)self)->bf;
	const job *j = &cx->jobs->j[i];
	if (!running) {
		uint32_t at = b->pos[i];
		FG_ASSERT(i < b->npos && at != BF_NOWHERE); /* its start was watched */
		int late = (at & BF_LATE) != 0;
		heap_del(late ? &b->late[j->pool] : &b->soon[j->pool], b->pos, late ? BF_LATE : 0, at & ~BF_LATE);
		return 0;
	}
	if (b->npos < cx->jobs->cap) {
		if (resize((void **)&b->pos, cx->jobs->cap, sizeof *b->pos))
			return -1;
		b->npos = cx->jobs->cap;
	}
	return heap_add(&b->soon[j->pool], b->pos, 0, (bf_entry){j->start + j->estimate, j->id, i});
}

/* Pool q's jobs whose expected end has come (end <= now) move to its late heap: from
 * now on they are expected to end now, in arrival order. Returns 0, -1 on no memory. */
static int overdue(struct bf_state *b, int q, double now)
{
	bf_heap *s = &b->soon[q];
	while (s->n && s->e[0].end <= now) {
		bf_entry e = s->e[0];
		heap_del(s, b->pos, 0, 0);
		if (heap_add(&b->late[q], b->pos, BF_LATE, e))
			return -1;
	}
	return 0;
}

/* A walk over pool q's running jobs in the order the reservation replays them: the
 * late ones by id, then the others by (end, id). It reads the heaps without changing
 * them: the frontier is a heap of places whose parents were visited (each visit adds
 * its two children), so k steps cost O(k log k) whatever the pool's size. */
typedef struct bf_walk {
	const bf_heap *h;
	int late, q;
	uint32_t n; /* frontier size */
} bf_walk;

static inline int walk_before(const bf_walk *w, uint32_t a, uint32_t b)
{
	return before(&w->h->e[a], &w->h->e[b], w->late);
}

static void walk_add(struct bf_state *b, bf_walk *w, uint32_t k)
{
	uint32_t *f = b->walk, at = w->n++;
	while (at > 0 && walk_before(w, k, f[(at - 1) / 2])) {
		f[at] = f[(at - 1) / 2];
		at = (at - 1) / 2;
	}
	f[at] = k;
}

/* Returns 0, -1 on no memory. */
static int walk_begin(struct bf_state *b, bf_walk *w, int q)
{
	uint32_t need = (b->late[q].n > b->soon[q].n ? b->late[q].n : b->soon[q].n) + 2;
	if (need > b->walk_cap) {
		if (resize((void **)&b->walk, need, sizeof *b->walk))
			return -1;
		b->walk_cap = need;
	}
	*w = (bf_walk){&b->late[q], 1, q, 0};
	if (w->h->n)
		walk_add(b, w, 0);
	return 0;
}

/* The next job of the walk, NULL after the last. */
static const bf_entry *walk_next(struct bf_state *b, bf_walk *w)
{
	while (w->n == 0) {
		if (!w->late)
			return NULL;
		w->h = &b->soon[w->q];
		w->late = 0;
		if (w->h->n)
			walk_add(b, w, 0);
	}
	uint32_t *f = b->walk, k = f[0], last = f[--w->n], at = 0;
	for (;;) { /* the frontier's last place sinks from the root */
		uint32_t c = 2 * at + 1;
		if (c >= w->n)
			break;
		if (c + 1 < w->n && walk_before(w, f[c + 1], f[c]))
			c++;
		if (!walk_before(w, f[c], last))
			break;
		f[at] = f[c];
		at = c;
	}
	if (w->n)
		f[at] = last;
	if (2 * k + 1 < w->h->n)
		walk_add(b, w, 2 * k + 1);
	if (2 * k + 2 < w->h->n)
		walk_add(b, w, 2 * k + 2);
	return &w->h->e[k];
}

/* ---- the head's reservation ------------------------------------------------------ */

/* The head's reservation. */
typedef struct reservation {
	double t;       /* when it can start, by the estimates; INFINITY if never found */
	int pool, node; /* where (node: for a job of whole GPUs on one node, else -1) */
	int spare;      /* what that node has beyond the head's need then, x 1000 */
} reservation;

/* What the head is on a pool: a fraction of a GPU, whole GPUs of one node, or whole
 * nodes (a gang). */
enum { HEAD_FRACTION, HEAD_NODE, HEAD_GANG };

/* The replay of one pool's ends: its free GPUs as they would be. */
typedef struct bf_replay {
	const fgp_api *api;
	fgp_ctx *cx;
	struct bf_state *b;
	int q, gpn, whole, milli, kind;
	int node;  /* HEAD_NODE, once it fits: the lowest-numbered node with room */
	int count; /* HEAD_GANG: the nodes with every GPU free */
} bf_replay;

static inline int node_free(const bf_replay *x, int n)
{
	const struct bf_state *b = x->b;
	return b->node_seen[n] == b->stamp ? b->node_val[n] : x->api->node_free_milli(x->cx, x->q, n);
}

static inline void node_set(bf_replay *x, int n, int v)
{
	x->b->node_seen[n] = x->b->stamp;
	x->b->node_val[n] = v;
}

static inline int gpu_free(const bf_replay *x, int n, int g)
{
	const struct bf_state *b = x->b;
	int at = n * x->gpn + g;
	return b->gpu_seen[at] == b->stamp ? b->gpu_val[at] : x->api->gpu_free_milli(x->cx, x->q, n, g);
}

static inline void gpu_set(bf_replay *x, int n, int g, int v)
{
	int at = n * x->gpn + g;
	x->b->gpu_seen[at] = x->b->stamp;
	x->b->gpu_val[at] = v;
}

/* Room for a replay of `nodes` nodes of gpn GPUs, and a fresh stamp (nothing seen).
 * Returns 0, -1 on no memory. */
static int replay_begin(struct bf_state *b, int nodes, int gpn)
{
	if (nodes > b->node_cap || nodes * gpn > b->gpu_cap) {
		int nc = nodes > b->node_cap ? nodes : b->node_cap;
		int gc = nodes * gpn > b->gpu_cap ? nodes * gpn : b->gpu_cap;
		if (resize((void **)&b->node_val, (size_t)nc, sizeof(int)) ||
		    resize((void **)&b->node_seen, (size_t)nc, sizeof(uint32_t)) ||
		    resize((void **)&b->gpu_val, (size_t)gc, sizeof(int)) ||
		    resize((void **)&b->gpu_seen, (size_t)gc, sizeof(uint32_t)))
			return -1;
		b->node_cap = nc;
		b->gpu_cap = gc;
		b->stamp = UINT32_MAX; /* clear what is new */
	}
	if (b->stamp == UINT32_MAX) { /* first use, growth or a wrapped stamp */
		memset(b->node_seen, 0, (size_t)b->node_cap * sizeof(uint32_t));
		memset(b->gpu_seen, 0, (size_t)b->gpu_cap * sizeof(uint32_t));
		b->stamp = 0;
	}
	b->stamp++;
	return 0;
}

/* Does the head fit in the pool as it is now (info: the pool now, nodes of it)? The
 * pool's totals answer most cases without a look at its nodes. */
static int fits_now(bf_replay *x, const fgp_pool *info, int nodes)
{
	const fgp_api *api = x->api;
	switch (x->kind) {
	case HEAD_FRACTION: /* a GPU with that much free: a whole free one, or a shared one */
		if (info->max_node_free_milli >= SC_MILLI)
			return 1;
		if (info->free_milli < x->milli)
			return 0;
		for (int n = 0; n < nodes; n++)
			for (int g = 0; g < x->gpn; g++)
				if (api->gpu_free_milli(x->cx, x->q, n, g) >= x->milli)
					return 1;
		return 0;
	case HEAD_NODE:
		if (info->max_node_free_milli < x->milli)
			return 0;
		for (int n = 0; n < nodes; n++)
			if (api->node_free_milli(x->cx, x->q, n) >= x->milli) {
				x->node = n;
				return 1;
			}
		return 0;
	default:
		/* The nodes with every GPU free: fgp_api has no such count, and counting them by
		 * node_free_milli at every pass was a third of the run when gangs wait for
		 * nodes at scale (bench-large). The cluster keeps it for its own gangs. */
		x->count = x->cx->cl->pools[x->q].free_nodes;
		return x->count >= x->milli / x->whole;
	}
}

/* Node n's free GPUs become v in the replay: does the head fit on it now? */
static int node_frees(bf_replay *x, int n, int v)
{
	int old = node_free(x, n);
	node_set(x, n, v);
	if (x->kind == HEAD_GANG) {
		x->count += (v == x->whole) - (old == x->whole);
		return x->count >= x->milli / x->whole;
	}
	if (x->kind == HEAD_NODE && v >= x->milli && (x->node < 0 || n < x->node)) {
		x->node = n; /* the head did not fit before: only what this end frees can hold it */
		return 1;
	}
	return 0;
}

/* Running job j ends in the replay, and gives its GPUs back. Returns 1 if the head
 * fits then (before, it did not). */
static int replay_end(bf_replay *x, const job *j)
{
	if (j->gang) { /* whole nodes */
		int fit = 0;
		for (int g = 0; g < j->gpus_milli / x->whole; g++)
			fit |= node_frees(x, j->gang[g], x->whole);
		return fit;
	}
	if (j->gpu >= 0) { /* a fraction: its GPU may become whole again */
		int v = gpu_free(x, j->node, j->gpu) + j->gpus_milli;
		gpu_set(x, j->node, j->gpu, v);
		if (x->kind == HEAD_FRACTION)
			return v >= x->milli;
		return v == SC_MILLI && node_frees(x, j->node, node_free(x, j->node) + SC_MILLI);
	}
	if (x->kind == HEAD_FRACTION) /* a fraction fits on a GPU shared by fractions only */
		return 0;
	return node_frees(x, j->node, node_free(x, j->node) + j->gpus_milli);
}

/* Works out when head h could start on each pool its class may use, replaying the
 * running jobs' estimated ends in order over the pool's free GPUs. Returns 0 with *r
 * the earliest, -1 on no memory. */
static int reserve(policy *p, const fgp_api *api, fgp_ctx *cx, uint32_t h, reservation *r)
{
	struct bf_state *b = p->bf;
	const scenario *sc = cx->sc;
	const job *J = cx->jobs->j;
	const class_spec *c = &sc->classes[J[h].cls];
	double now = api->now(cx);
	int milli = J[h].gpus_milli;
	*r = (reservation){INFINITY, -1, -1, 0};
	for (int i = 0; i < c->npools; i++) {
		fgp_pool info;
		api->pool(cx, c->pools[i], &info); /* its nodes, burst nodes included */
		int q = c->pools[i], nodes = info.nodes, gpn = sc->pools[q].gpus_per_node, whole = gpn * SC_MILLI;
		if ((milli >= SC_MILLI && (milli % SC_MILLI || (milli > whole && (milli % whole || milli / whole > nodes)))))
			continue; /* it cannot run on this pool */
		int kind = milli < SC_MILLI ? HEAD_FRACTION : milli <= whole ? HEAD_NODE : HEAD_GANG;
		bf_replay x = {api, cx, b, q, gpn, whole, milli, kind, -1, 0};
		bf_walk w;
		if (replay_begin(b, nodes, gpn) || overdue(b, q, now) || walk_begin(b, &w, q))
			return -1;
		double t = now;
		int found = fits_now(&x, &info, nodes);
		const bf_entry *e;
		while (!found && t < r->t && (e = walk_next(b, &w))) {
			found = replay_end(&x, &J[e->i]);
			t = e->end > now ? e->end : now; /* a late job ends now */
		}
		if (found && t < r->t) {
			int on_node = kind == HEAD_NODE;
			*r = (reservation){t, q, on_node ? x.node : -1, on_node ? node_free(&x, x.node) - milli : 0};
		}
	}
	return 0;
}

/* ---- the scan behind the head ----------------------------------------------------- */

/* A fraction takes a whole GPU of the head's node, at worst. */
static inline int takes(int milli)
{
	return milli < SC_MILLI ? SC_MILLI : milli;
}

/* Is slot s, for a job of `milli`, clear of the head's reservation r whatever the job's
 * length? 0: no, the head needs those GPUs; 1: another pool, or another node of the
 * head's pool; 2: the head's node, within what it has to spare. */
static int clear_of_head(const reservation *r, const fgp_slot *s, int milli)
{
	if (s->pool != r->pool)
		return 1;
	if (r->node >= 0 && s->node >= 0 && s->node != r->node)
		return 1;
	return r->node >= 0 && s->node == r->node && takes(milli) <= r->spare ? 2 : 0;
}

/* May a job (estimate, milli) that fits at s start now without delaying the head's
 * reservation r: it is done by then, or its slot is clear of the head? On the head's
 * spare GPUs it takes them from r. */
static int may_start(reservation *r, double now, double estimate, int milli, const fgp_slot *s)
{
	if (now + estimate <= r->t)
		return 1;
	int clear = clear_of_head(r, s, milli);
	if (clear == 2)
		r->spare -= takes(milli);
	return clear != 0;
}

/* What a scan has learnt of a class: with the built-in placement and no quota,
 * whether a waiting job fits, and where, depends only on its class, its size and the
 * pools' state, and during a scan the pools only fill up. So a size that did not fit
 * does not fit again in that scan, and one that fitted fits at the same slot until
 * the next start. (The fits call has no side effect then, so skipping it changes
 * nothing.) */
typedef struct bf_class {
	int blocked;     /* a size that does not fit (0: none known) */
	int fits;        /* a size that fits at `at` ... */
	uint32_t starts; /* ... as long as the scan's count of starts is still this */
	fgp_slot at;
} bf_class;

/* The scan's state: the head, its reservation once worked out, what is known of each
 * class, and the jobs started so far. */
typedef struct bf_scan {
	uint32_t h;
	int memo, reserved;
	reservation r;
	uint32_t starts;
	double now;
	bf_class m[SC_MAX_CLASSES];
} bf_scan;

/* Offers waiting job i to the scan: starts it if it fits and cannot delay the head.
 * Returns 0, -1 on no memory or a start refused. */
static int offer(policy *p, const fgp_api *api, fgp_ctx *cx, bf_scan *scan, uint32_t i)
{
	const job *j = &cx->jobs->j[i];
	bf_class *m = &scan->m[j->cls];
	fgp_slot s;
	if (scan->memo && m->blocked == j->gpus_milli)
		return 0;
	if (scan->memo && m->fits == j->gpus_milli && m->starts == scan->starts) {
		s = m->at;
	} else if (!api->fits(cx, i, &s)) {
		m->blocked = j->gpus_milli;
		return 0;
	} else {
		*m = (bf_class){m->blocked, j->gpus_milli, scan->starts, s};
	}
	/* The reservation is worked out when a job first fits: nothing has started since
	 * the head stopped, and a scan where nothing fits needs none. */
	if (!scan->reserved && reserve(p, api, cx, scan->h, &scan->r))
		return -1;
	scan->reserved = 1;
	if (!may_start(&scan->r, scan->now, j->estimate, j->gpus_milli, &s))
		return 0;
	scan->starts++;
	return api->start(cx, i, &s) ? -1 : 0;
}

/* Every waiting job behind the head in queue order: the general case. */
static int scan_queue(policy *p, const fgp_api *api, fgp_ctx *cx, bf_scan *scan)
{
	const job *J = cx->jobs->j;
	for (uint32_t i = J[scan->h].next, next; i != JOB_NONE; i = next) {
		next = J[i].next; /* start() unlinks i */
		if (offer(p, api, cx, scan, i))
			return -1;
	}
	return 0;
}

/* Line l's first job after queue place `after` that may start: any waiting job, or
 * with `short_only` one whose estimate ends by the reservation (the others, fitting at
 * a slot the head needs, may not). *cur is where the scan's last search began: it
 * moves to the first entry after `after` (tombstones keep their place), found by
 * galloping from there, since `after` only grows during a scan. Returns the job's
 * entry, or UINT32_MAX. */
static uint32_t next_in_line(const struct bf_line *l, uint32_t *cur, uint64_t after, int short_only,
			     const bf_scan *scan)
{
	uint32_t lo = *cur > l->lo ? *cur : l->lo, hi = l->n;
	if (lo < hi && l->e[lo].seq <= after) {
		uint32_t step = 1;
		while (lo + step < l->n && l->e[lo + step].seq <= after) {
			lo += step;
			step *= 2;
		}
		hi = lo + step < l->n ? lo + step : l->n;
		lo++; /* e[lo - 1] is not after `after`; the first that is lies in [lo, hi] */
	}
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (l->e[mid].seq <= after)
			lo = mid + 1;
		else
			hi = mid;
	}
	*cur = lo;
	if (lo >= l->n)
		return UINT32_MAX;
	/* The leftmost subtree from there whose least estimate qualifies, then down it. A
	 * tombstone's INFINITY never does: the reservation is finite under short_only. */
	const double *m = l->min;
	double now = scan->now, t = scan->r.t;
#define BF_OK(x) (short_only ? now + (x) <= t : (x) < INFINITY)
	uint32_t v = l->cap + lo;
	while (!BF_OK(m[v])) {
		while (v & 1) { /* a right child: what follows it lies beyond its parent */
			if (v == 1)
				return UINT32_MAX;
			v /= 2;
		}
		v++;
	}
	while (v < l->cap)
		v = BF_OK(m[2 * v]) ? 2 * v : 2 * v + 1;
#undef BF_OK
	return v - l->cap < l->n ? v - l->cap : UINT32_MAX;
}

/* The same scan, when every waiting job asks for its class's size and fits are
 * remembered: instead of visiting each job, it goes from one job that matters to the
 * next, in queue order, by the classes' lines. A job matters if its class's fit is not
 * known, or if it would start: a class known to fit where the head does not need it
 * (every job of it starts), or where the head does (only jobs that end by the
 * reservation start). The jobs passed over are those the general scan would find not
 * fitting or not allowed to start, by the same state. */
static int scan_lines(policy *p, const fgp_api *api, fgp_ctx *cx, bf_scan *scan)
{
	struct bf_state *b = p->bf;
	const scenario *sc = cx->sc;
	const job *J = cx->jobs->j;
	uint64_t after = b->line[J[scan->h].cls].e[p->slot[scan->h].pos].seq;
	uint32_t cur[SC_MAX_CLASSES], cand[SC_MAX_CLASSES], known = UINT32_MAX, epoch[SC_MAX_CLASSES];
	for (int k = 0; k < sc->nclasses; k++)
		cur[k] = 0, epoch[k] = UINT32_MAX;
	for (;;) {
		int best = -1;
		for (int k = 0; k < sc->nclasses; k++) {
			const struct bf_line *l = &b->line[k];
			const bf_class *m = &scan->m[k];
			int milli = sc->classes[k].gpus_milli;
			if (!l->live || m->blocked == milli)
				continue;
			if (epoch[k] != scan->starts || known == (uint32_t)k) { /* its candidate is out of date */
				/* fitting at a slot the head needs: only short jobs start */
				int short_only = m->fits == milli && m->starts == scan->starts && scan->reserved &&
						 !clear_of_head(&scan->r, &m->at, milli);
				cand[k] = next_in_line(l, &cur[k], after, short_only, scan);
				epoch[k] = scan->starts;
			}
			if (cand[k] != UINT32_MAX && (best < 0 || l->e[cand[k]].seq < b->line[best].e[cand[best]].seq))
				best = k;
		}
		if (best < 0)
			return 0;
		const bf_wait *w = &b->line[best].e[cand[best]];
		after = w->seq;
		known = (uint32_t)best; /* what the offer learns changes its class's candidate */
		if (offer(p, api, cx, scan, w->i))
			return -1;
	}
}

/* Starts jobs in arrival order while they fit; then backfills behind the head. */
static int bf_schedule(void *self, fgp_ctx *cx)
{
	policy *p = self;
	const fgp_api *api = p->api; /* the platform's, given at init: this file stays below it */
	FG_ASSERT(api);
	const scenario *sc = cx->sc;
	job *J = cx->jobs->j;
	uint32_t h;
	while ((h = p->level[0].head) != JOB_NONE && api->fits(cx, h, NULL))
		if (api->start(cx, h, NULL))
			return -1;
	if (h == JOB_NONE || J[h].next == JOB_NONE)
		return 0;
	/* A placement plugin may choose as it likes, and a quota refuses by tenant: then
	 * every job is asked for (the plugin sees every call it saw before). */
	bf_scan scan;
	scan.h = h;
	scan.memo = !sc->quota_milli && !sc->place_plugin.plugin;
	scan.reserved = 0;
	scan.r = (reservation){INFINITY, -1, -1, 0};
	scan.starts = 0;
	scan.now = api->now(cx);
	memset(scan.m, 0, (size_t)sc->nclasses * sizeof *scan.m); /* not all SC_MAX_CLASSES: it is every pass */
	if (scan.memo)
		scan.m[J[h].cls].blocked = J[h].gpus_milli; /* the head did not fit */
	return scan.memo && !p->bf->odd_size ? scan_lines(p, api, cx, &scan) : scan_queue(p, api, cx, &scan);
}

POLICY_BUILTIN_INIT(bf_init, policy_backfill_ops, policy_backfill_setup)

/* No head: bf_schedule starts the head or, behind its reservation, jobs that fit. */
const fgp_policy policy_backfill_ops = {
	.abi = FGP_ABI,
	.name = "easy-backfill",
	.init = bf_init,
	.free = policy_builtin_free,
	.push = bf_push,
	.remove = bf_remove,
	.schedule = bf_schedule,
};
