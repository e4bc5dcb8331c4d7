/* bench_calendar.c - which event-set structure should fgsim's calendar use? Times the
 * classic "hold" model (pop the min, push it back later) on d-ary heaps, a keyed 4-ary
 * heap, a calendar queue and a ladder queue, and checks every structure's pop order,
 * ties included, against the binary heap. Exits non-zero on any mismatch.
 *
 *   gcc -O2 -std=c11 -D_GNU_SOURCE bench_calendar.c -lgsl -lgslcblas -lm
 *   ./a.out                  verify, then the full table (median of 5, ns per hold)
 *   ./a.out --quick          verify, then a shorter table
 *   ./a.out --verify         verify only
 *   ./a.out --one NAME DIST N HOLDS   one run of one structure (no verification)
 * Instructions per hold: valgrind --tool=callgrind ./a.out --one heap4 a 1000 200000,
 * then the inclusive Ir of hold_heap4 (callgrind_annotate --inclusive=yes) divided by
 * warm-up + HOLDS, both printed by --one. (--toggle-collect=hold_NAME loses count of
 * the calendar and ladder queues, whose hold loops call out-of-line helpers.)
 *
 * Structures: heap2, heap4, heap8 (array of 24-byte events, branch-free double
 * compares), heap4br (the textbook branchy loop), heap4i (heap4 comparing (t, seq) as
 * one 128-bit integer), heap4k (4-ary, integer keys in their own 64-byte-aligned array,
 * payloads apart), calq (calendar queue), ladder (ladder queue).
 */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define INLINE static inline __attribute__((always_inline))
#define NOINLINE static __attribute__((noinline))

/* An event as the engine will store it: 24 bytes, no pointer. */
typedef struct {
	double t;
	uint64_t seq;
	uint32_t kind;
	uint32_t arg;
} ev_t;

/* GCC/Clang's 128-bit integer: (t, seq) keys compare in one instruction pair. */
__extension__ typedef unsigned __int128 u128;

/* (t, seq) order: equal times fire in insertion order. */
INLINE int ev_lt(const ev_t *x, const ev_t *y)
{
	return x->t < y->t || (x->t == y->t && x->seq < y->seq);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p) {
		fprintf(stderr, "%s:%d: out of memory (%zu bytes)\n", __FILE__, __LINE__, n);
		exit(2); /* a benchmark, not library code */
	}
	return p;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fprintf(stderr, "%s:%d: out of memory (%zu bytes)\n", __FILE__, __LINE__, n);
		exit(2);
	}
	return p;
}

/* ---- d-ary heap of ev_t (D = 2, 4, 8) ----------------------------------------------
 * Root at 0, children of i at D*i+1 .. D*i+D. Push sifts a hole up, pop sifts a hole
 * down from the root and drops the last element into it. */
typedef struct {
	ev_t *a;
	size_t n, cap;
	uint64_t seq;
} dheap;

static void dheap_init(dheap *h, size_t cap)
{
	h->cap = cap < 16 ? 16 : cap;
	h->a = xmalloc(h->cap * sizeof *h->a);
	h->n = 0;
	h->seq = 0;
}

static void dheap_fini(dheap *h) { free(h->a); }

NOINLINE void dheap_grow(dheap *h)
{
	h->cap *= 2;
	h->a = xrealloc(h->a, h->cap * sizeof *h->a);
}

INLINE void dheap_push_d(dheap *h, double t, uint32_t kind, uint32_t arg, const size_t D)
{
	if (h->n == h->cap)
		dheap_grow(h);
	ev_t e = {t + 0.0, h->seq++, kind, arg}; /* -0.0 becomes +0.0 (CMP_INT) */
	ev_t *a = h->a;
	size_t i = h->n++;
	while (i > 0) {
		size_t p = (i - 1) / D;
		if (!ev_lt(&e, &a[p]))
			break;
		a[i] = a[p];
		i = p;
	}
	a[i] = e;
}

/* How a d-ary heap picks the smallest child: */
enum {
	CMP_BRANCHY, /* the textbook "if (child < best) best = child" */
	CMP_FLOAT,   /* branch-free, double compares */
	CMP_INT      /* branch-free, (bits of t, seq) as one 128-bit integer */
};

/* (t, seq) order without branches: both halves are computed and combined with bitwise
 * operators, so the compiler emits flag sets, not jumps. Choosing the smaller of two
 * children is a coin toss the branch predictor loses half the time. */
INLINE size_t ev_lt_nb(const ev_t *x, const ev_t *y)
{
	return (size_t)((x->t < y->t) | ((x->t == y->t) & (x->seq < y->seq)));
}

/* The same order from one integer compare (cmp + sbb): for t >= +0.0 - simulated time;
 * push turns -0.0 into +0.0 - the bits of t read as an unsigned integer order like t. */
INLINE size_t ev_lt_int(const ev_t *x, const ev_t *y)
{
	uint64_t tx, ty;
	memcpy(&tx, &x->t, sizeof tx);
	memcpy(&ty, &y->t, sizeof ty);
	return (size_t)(((u128)tx << 64 | x->seq) < ((u128)ty << 64 | y->seq));
}

/* The index of the smaller of a[i], a[j], no branch. */
INLINE size_t sel_min(const ev_t *a, size_t i, size_t j, const int cmp)
{
	size_t lt = cmp == CMP_INT ? ev_lt_int(&a[j], &a[i]) : ev_lt_nb(&a[j], &a[i]);
	return i ^ ((i ^ j) & -lt);
}

/* The smallest of the D children a[c..c+D); branch-free ones as a tournament. */
INLINE size_t dheap_min_child(const ev_t *a, size_t c, const size_t D, const int cmp)
{
	if (cmp == CMP_BRANCHY) {
		size_t m = c;
		for (size_t j = 1; j < D; j++)
			if (ev_lt(&a[c + j], &a[m]))
				m = c + j;
		return m;
	}
	if (D == 2)
		return sel_min(a, c, c + 1, cmp);
	size_t m = sel_min(a, sel_min(a, c, c + 1, cmp), sel_min(a, c + 2, c + 3, cmp), cmp);
	if (D == 4)
		return m;
	return sel_min(a, m, sel_min(a, sel_min(a, c + 4, c + 5, cmp), sel_min(a, c + 6, c + 7, cmp), cmp),
		       cmp);
}

INLINE int dheap_pop_d(dheap *h, ev_t *out, const size_t D, const int cmp)
{
	if (h->n == 0)
		return 0;
	ev_t *a = h->a;
	*out = a[0];
	size_t n = --h->n;
	if (n == 0)
		return 1;
	ev_t last = a[n];
	size_t i = 0;
	for (;;) {
		size_t c = D * i + 1, m;
		if (c + D <= n) {
			m = dheap_min_child(a, c, D, cmp);
		} else { /* the one node with a partial group of children */
			if (c >= n)
				break;
			m = c;
			for (size_t j = c + 1; j < n; j++)
				if (ev_lt(&a[j], &a[m]))
					m = j;
		}
		if (!ev_lt(&a[m], &last))
			break;
		a[i] = a[m];
		i = m;
	}
	a[i] = last;
	return 1;
}

INLINE void heap2_push(dheap *h, double t, uint32_t k, uint32_t a) { dheap_push_d(h, t, k, a, 2); }
INLINE int heap2_pop(dheap *h, ev_t *o) { return dheap_pop_d(h, o, 2, CMP_FLOAT); }
INLINE void heap4_push(dheap *h, double t, uint32_t k, uint32_t a) { dheap_push_d(h, t, k, a, 4); }
INLINE int heap4_pop(dheap *h, ev_t *o) { return dheap_pop_d(h, o, 4, CMP_FLOAT); }
INLINE void heap8_push(dheap *h, double t, uint32_t k, uint32_t a) { dheap_push_d(h, t, k, a, 8); }
INLINE int heap8_pop(dheap *h, ev_t *o) { return dheap_pop_d(h, o, 8, CMP_FLOAT); }
INLINE int heap4br_pop(dheap *h, ev_t *o) { return dheap_pop_d(h, o, 4, CMP_BRANCHY); }
INLINE int heap4i_pop(dheap *h, ev_t *o) { return dheap_pop_d(h, o, 4, CMP_INT); }

/* ---- 4-ary heap with keys apart from payloads ---------------------------------------
 * A key is one 128-bit unsigned integer, (order-preserving bits of t) << 64 | seq, so
 * (t, seq) compares in one integer comparison (cmp + sbb) instead of two floating ones.
 * Keys are 16 bytes: the four children of a node fill exactly one 64-byte line (slot i
 * lives at index i + 3, its children 4i+1..4i+4 at 4(i+1)..4(i+1)+3, the key array is
 * 64-byte aligned). Payloads (kind, arg) move in a parallel array. */
typedef struct {
	uint32_t kind, arg;
} hpay;

typedef struct {
	u128 *k; /* k[3] is the root */
	hpay *p;
	size_t n, cap;
	uint64_t seq;
} kheap;

#define KH_OFF 3
#define SIGN64 0x8000000000000000ull

/* Bits of t as an unsigned integer in the same order as t (NaN excluded; -0.0 must
 * have been turned into +0.0): positives get the sign bit, negatives are inverted. */
INLINE uint64_t t_to_ord(double t)
{
	uint64_t b;
	memcpy(&b, &t, sizeof b);
	return b ^ ((uint64_t)((int64_t)b >> 63) | SIGN64);
}

INLINE double ord_to_t(uint64_t o)
{
	uint64_t b = (o & SIGN64) ? o ^ SIGN64 : ~o;
	double t;
	memcpy(&t, &b, sizeof t);
	return t;
}

INLINE size_t key_sel_min(const u128 *k, size_t i, size_t j)
{
	return i ^ ((i ^ j) & -(size_t)(k[j] < k[i]));
}

static void kheap_alloc_arrays(kheap *h, size_t cap)
{
	size_t kbytes = ((cap + KH_OFF) * sizeof(u128) + 63) & ~(size_t)63;
	u128 *k = aligned_alloc(64, kbytes);
	if (!k) {
		fprintf(stderr, "%s:%d: out of memory\n", __FILE__, __LINE__);
		exit(2);
	}
	if (h->k) {
		memcpy(k, h->k, (h->n + KH_OFF) * sizeof(u128));
		free(h->k);
	}
	h->k = k;
	h->p = xrealloc(h->p, (cap + KH_OFF) * sizeof(hpay));
	h->cap = cap;
}

static void kheap_init(kheap *h, size_t cap)
{
	memset(h, 0, sizeof *h);
	kheap_alloc_arrays(h, cap < 16 ? 16 : cap);
}

static void kheap_fini(kheap *h)
{
	free(h->k);
	free(h->p);
}

NOINLINE void kheap_grow(kheap *h) { kheap_alloc_arrays(h, h->cap * 2); }

INLINE void heap4k_push(kheap *h, double t, uint32_t kind, uint32_t arg)
{
	if (h->n == h->cap)
		kheap_grow(h);
	u128 *k = h->k + KH_OFF;
	hpay *p = h->p + KH_OFF;
	u128 e = (u128)t_to_ord(t + 0.0) << 64 | h->seq++; /* + 0.0: -0.0 becomes +0.0 */
	size_t i = h->n++;
	while (i > 0) {
		size_t q = (i - 1) / 4;
		if (!(e < k[q]))
			break;
		k[i] = k[q];
		p[i] = p[q];
		i = q;
	}
	k[i] = e;
	p[i] = (hpay){kind, arg};
}

INLINE int heap4k_pop(kheap *h, ev_t *out)
{
	if (h->n == 0)
		return 0;
	u128 *k = h->k + KH_OFF;
	hpay *p = h->p + KH_OFF;
	*out = (ev_t){ord_to_t((uint64_t)(k[0] >> 64)), (uint64_t)k[0], p[0].kind, p[0].arg};
	size_t n = --h->n;
	if (n == 0)
		return 1;
	u128 lk = k[n];
	hpay lp = p[n];
	size_t i = 0;
	for (;;) {
		size_t c = 4 * i + 1, m;
		if (c + 4 <= n) { /* tournament, branch-free as in dheap_min_child */
			m = key_sel_min(k, key_sel_min(k, c, c + 1), key_sel_min(k, c + 2, c + 3));
		} else {
			if (c >= n)
				break;
			m = c;
			for (size_t j = c + 1; j < n; j++)
				if (k[j] < k[m])
					m = j;
		}
		if (!(k[m] < lk))
			break;
		k[i] = k[m];
		p[i] = p[m];
		i = m;
	}
	k[i] = lk;
	p[i] = lp;
	return 1;
}

/* ---- node pool shared by the calendar and ladder queues ------------------------------
 * Events live in one growing array and are linked by index; freed nodes go on a free
 * list, so there is no malloc per event. */
typedef struct {
	ev_t e;
	int32_t next;
} qnode;

typedef struct {
	qnode *nd;
	int32_t cap, free;
} npool;

static void npool_init(npool *p, int32_t cap)
{
	p->cap = cap < 16 ? 16 : cap;
	p->nd = xmalloc((size_t)p->cap * sizeof *p->nd);
	for (int32_t i = 0; i < p->cap; i++)
		p->nd[i].next = i + 1 < p->cap ? i + 1 : -1;
	p->free = 0;
}

NOINLINE void npool_grow(npool *p)
{
	int32_t old = p->cap;
	p->cap *= 2;
	p->nd = xrealloc(p->nd, (size_t)p->cap * sizeof *p->nd);
	for (int32_t i = old; i < p->cap; i++)
		p->nd[i].next = i + 1 < p->cap ? i + 1 : -1;
	p->free = old;
}

INLINE int32_t npool_get(npool *p)
{
	if (p->free < 0)
		npool_grow(p);
	int32_t i = p->free;
	p->free = p->nd[i].next;
	return i;
}

INLINE void npool_put(npool *p, int32_t i)
{
	p->nd[i].next = p->free;
	p->free = i;
}

/* ---- calendar queue (Brown 1988) ----------------------------------------------------
 * nb buckets of width w, each a list sorted by (t, seq) with a tail index so that the
 * usual case, an event later than everything in its bucket, appends in O(1). Time is
 * mapped to an integer "virtual bucket" vb = floor(t / w), bucket = vb mod nb; the
 * current position is a vb, not an accumulated float, so no drift, and equal times
 * always share a bucket, where seq orders them. Resizes (x2 when n > 2 nb, /2 when
 * n < nb / 2) re-estimate w from the 25 earliest events as Brown does; in addition the
 * width is re-estimated when the average cost (empty buckets skipped + list nodes
 * walked) exceeds CQ_COST_MAX per operation over a window (Oh & Ahn 1998's
 * "dynamic calendar queue" idea), because in the hold model the size never changes
 * and Brown's trigger would keep the width sampled during the initial fill. */
#define CQ_MIN_NB 8
#define CQ_SAMPLE 25
#define CQ_COST_MAX 4

typedef struct {
	int32_t head, tail;
} qbucket;

typedef struct {
	npool pool;
	qbucket *b;
	uint64_t nb, mask;
	double w, inv_w;
	uint64_t cur; /* no event has vb < cur */
	size_t n;
	uint64_t seq;
	uint64_t ops, cost; /* adaptivity window */
	uint64_t resizes;
} calq;

INLINE uint64_t cq_vb(double inv_w, double t)
{
	double x = t * inv_w; /* monotone in t; clamped so the cast is defined */
	return x > 0 ? (x < 4e18 ? (uint64_t)x : (uint64_t)4e18) : 0;
}

static void cq_set_buckets(calq *q, uint64_t nb, double w)
{
	free(q->b);
	q->b = xmalloc(nb * sizeof *q->b);
	for (uint64_t i = 0; i < nb; i++)
		q->b[i].head = q->b[i].tail = -1;
	q->nb = nb;
	q->mask = nb - 1;
	q->w = w;
	q->inv_w = 1.0 / w;
}

static void cq_init(calq *q, size_t cap)
{
	memset(q, 0, sizeof *q);
	npool_init(&q->pool, (int32_t)(cap + 1));
	cq_set_buckets(q, CQ_MIN_NB, 1.0);
}

static void cq_fini(calq *q)
{
	free(q->pool.nd);
	free(q->b);
}

/* Links node ni into its bucket in (t, seq) order; returns the nodes walked. */
INLINE uint64_t cq_link(calq *q, int32_t ni)
{
	qnode *nd = q->pool.nd;
	const ev_t *e = &nd[ni].e;
	uint64_t v = cq_vb(q->inv_w, e->t);
	qbucket *b = &q->b[v & q->mask];
	nd[ni].next = -1;
	if (v < q->cur) /* earlier than the current bucket: before any pop, or after resize */
		q->cur = v;
	if (b->tail < 0) {
		b->head = b->tail = ni;
		return 0;
	}
	if (!ev_lt(e, &nd[b->tail].e)) {
		nd[b->tail].next = ni;
		b->tail = ni;
		return 0;
	}
	if (ev_lt(e, &nd[b->head].e)) {
		nd[ni].next = b->head;
		b->head = ni;
		return 0;
	}
	uint64_t walked = 1;
	int32_t p = b->head;
	while (!ev_lt(e, &nd[nd[p].next].e)) { /* stops before the tail: e < tail */
		p = nd[p].next;
		walked++;
	}
	nd[ni].next = nd[p].next;
	nd[p].next = ni;
	return walked;
}

/* Unlinks the earliest event and returns its node; q->n must be > 0. */
INLINE int32_t cq_take_min(calq *q, uint64_t *skipped)
{
	qnode *nd = q->pool.nd;
	for (uint64_t s = 0; s < q->nb; s++) {
		qbucket *b = &q->b[q->cur & q->mask];
		int32_t h = b->head;
		if (h >= 0 && cq_vb(q->inv_w, nd[h].e.t) <= q->cur) {
			b->head = nd[h].next;
			if (b->head < 0)
				b->tail = -1;
			*skipped += s;
			return h;
		}
		q->cur++;
	}
	/* a whole year empty: direct search for the earliest head */
	int32_t best = -1;
	for (uint64_t i = 0; i < q->nb; i++) {
		int32_t h = q->b[i].head;
		if (h >= 0 && (best < 0 || ev_lt(&nd[h].e, &nd[best].e)))
			best = h;
	}
	q->cur = cq_vb(q->inv_w, nd[best].e.t);
	qbucket *b = &q->b[q->cur & q->mask];
	b->head = nd[best].next;
	if (b->head < 0)
		b->tail = -1;
	*skipped += 2 * q->nb;
	return best;
}

/* Rebuilds with nb buckets and a width re-estimated from the earliest events. */
NOINLINE void cq_resize(calq *q, uint64_t nb)
{
	qnode *nd;
	int32_t sample[CQ_SAMPLE];
	int ns = 0;
	uint64_t dummy = 0;
	q->resizes++;
	while (ns < CQ_SAMPLE && (size_t)ns < q->n)
		sample[ns++] = cq_take_min(q, &dummy);
	nd = q->pool.nd;
	double w = q->w;
	if (ns >= 2) {
		double avg = (nd[sample[ns - 1]].e.t - nd[sample[0]].e.t) / (ns - 1), sum = 0;
		int c = 0;
		for (int i = 1; i < ns; i++) {
			double d = nd[sample[i]].e.t - nd[sample[i - 1]].e.t;
			if (d <= 2 * avg) {
				sum += d;
				c++;
			}
		}
		/* all ties: no information about spacing, keep the old width */
		if (c > 0 && sum > 0)
			w = 3 * sum / c;
	}
	/* collect the rest into one chain before the bucket array goes */
	int32_t chain = -1;
	for (uint64_t i = 0; i < q->nb; i++) {
		int32_t h = q->b[i].head;
		while (h >= 0) {
			int32_t nx = nd[h].next;
			nd[h].next = chain;
			chain = h;
			h = nx;
		}
	}
	cq_set_buckets(q, nb, w);
	for (int i = 0; i < ns; i++)
		cq_link(q, sample[i]);
	while (chain >= 0) {
		int32_t nx = nd[chain].next;
		cq_link(q, chain);
		chain = nx;
	}
	q->cur = ns ? cq_vb(q->inv_w, nd[sample[0]].e.t) : 0;
	q->ops = q->cost = 0;
}

INLINE void cq_push(calq *q, double t, uint32_t kind, uint32_t arg)
{
	int32_t ni = npool_get(&q->pool);
	q->pool.nd[ni].e = (ev_t){t, q->seq++, kind, arg};
	q->cost += cq_link(q, ni);
	if (++q->n > 2 * q->nb)
		cq_resize(q, 2 * q->nb);
}

INLINE int cq_pop(calq *q, ev_t *out)
{
	if (q->n == 0)
		return 0;
	int32_t h = cq_take_min(q, &q->cost);
	*out = q->pool.nd[h].e;
	npool_put(&q->pool, h);
	q->n--;
	if (q->n < q->nb / 2 && q->nb > CQ_MIN_NB)
		cq_resize(q, q->nb / 2);
	else if (++q->ops >= 4 * q->nb + 64) {
		if (q->cost > CQ_COST_MAX * q->ops)
			cq_resize(q, q->nb);
		q->ops = q->cost = 0;
	}
	return 1;
}

/* ---- ladder queue (Tang, Goh & Thng 2005) -------------------------------------------
 * Top: an unsorted list of far-future events (t >= top_start). Ladder: up to LQ_RUNGS
 * rungs of unsorted buckets, each finer rung spreading one bucket of the rung above.
 * Bottom: a small sorted array (descending, pop from the end). A bucket goes to Bottom
 * when it holds <= LQ_THRES events, or its events all share one time (cannot be split),
 * or no rung is left; Bottom is sorted by (t, seq), which gives ties insertion order.
 * Bucket membership uses one monotone integer map per rung, f(t) = floor((t - start) /
 * w) clamped to [-1, nb - 1], and an event joins the first rung (coarsest first) where
 * f(t) >= that rung's current bucket: rounding can then never put an event behind one
 * already handed down. */
#define LQ_THRES 50
#define LQ_RUNGS 8

typedef struct {
	int32_t head, tail;
	uint32_t count;
} lbucket;

typedef struct {
	lbucket *b;
	int64_t nb, cap; /* buckets in use, allocated */
	int64_t cur;     /* first bucket not yet handed down */
	double start, inv_w;
	size_t count; /* events in this rung */
} lrung;

typedef struct {
	npool pool;
	int32_t top_head, top_tail;
	size_t top_n;
	double top_min, top_max, top_start;
	lrung rung[LQ_RUNGS];
	int nrung;
	ev_t *bot; /* descending (t, seq): the minimum is bot[nbot - 1] */
	size_t nbot, botcap;
	size_t n;
	uint64_t seq;
} ladq;

static void lq_init(ladq *q, size_t cap)
{
	memset(q, 0, sizeof *q);
	npool_init(&q->pool, (int32_t)(cap + 1));
	q->top_head = q->top_tail = -1;
	q->top_min = INFINITY;
	q->top_max = -INFINITY;
	q->top_start = -INFINITY;
	q->botcap = 4 * LQ_THRES;
	q->bot = xmalloc(q->botcap * sizeof *q->bot);
}

static void lq_fini(ladq *q)
{
	free(q->pool.nd);
	free(q->bot);
	for (int i = 0; i < LQ_RUNGS; i++)
		free(q->rung[i].b);
}

INLINE int64_t lq_f(const lrung *r, double t)
{
	double x = (t - r->start) * r->inv_w;
	if (!(x >= 0)) /* negative (or NaN from inf - inf) */
		return -1;
	return x < (double)(r->nb - 1) ? (int64_t)x : r->nb - 1;
}

INLINE void lq_append(qnode *nd, int32_t *head, int32_t *tail, int32_t ni)
{
	nd[ni].next = -1;
	if (*tail < 0)
		*head = ni;
	else
		nd[*tail].next = ni;
	*tail = ni;
}

NOINLINE void lq_bot_grow(ladq *q, size_t need)
{
	while (q->botcap < need)
		q->botcap *= 2;
	q->bot = xrealloc(q->bot, q->botcap * sizeof *q->bot);
}

/* Inserts e into Bottom keeping it descending; binary search, then a move. */
NOINLINE void lq_bot_insert(ladq *q, const ev_t *e)
{
	if (q->nbot == q->botcap)
		lq_bot_grow(q, q->nbot + 1);
	size_t lo = 0, hi = q->nbot; /* first index whose element is < e */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (ev_lt(&q->bot[mid], e))
			hi = mid;
		else
			lo = mid + 1;
	}
	memmove(&q->bot[lo + 1], &q->bot[lo], (q->nbot - lo) * sizeof *q->bot);
	q->bot[lo] = *e;
	q->nbot++;
}

/* Sorts a[0..n) descending by (t, seq): quicksort, insertion sort below 16. */
static void ev_sort_desc(ev_t *a, size_t n)
{
	while (n > 16) {
		ev_t *m = &a[n / 2], *l = &a[0], *r = &a[n - 1], piv;
		/* median of three */
		if (ev_lt(l, m)) {
			if (ev_lt(m, r))
				piv = *m;
			else
				piv = ev_lt(l, r) ? *r : *l;
		} else {
			if (ev_lt(l, r))
				piv = *l;
			else
				piv = ev_lt(m, r) ? *r : *m;
		}
		size_t i = 0, j = n - 1;
		for (;;) {
			while (ev_lt(&piv, &a[i]))
				i++;
			while (ev_lt(&a[j], &piv))
				j--;
			if (i >= j)
				break;
			ev_t tmp = a[i];
			a[i] = a[j];
			a[j] = tmp;
			i++;
			j--;
		}
		/* a[0..j] >= piv >= a[j+1..n); recurse on the smaller side */
		if (j + 1 < n - j - 1) {
			ev_sort_desc(a, j + 1);
			a += j + 1;
			n -= j + 1;
		} else {
			ev_sort_desc(a + j + 1, n - j - 1);
			n = j + 1;
		}
	}
	for (size_t i = 1; i < n; i++) {
		ev_t x = a[i];
		size_t j = i;
		while (j > 0 && ev_lt(&a[j - 1], &x)) {
			a[j] = a[j - 1];
			j--;
		}
		a[j] = x;
	}
}

/* Moves a list (count events) into the empty Bottom, sorted. */
static void lq_list_to_bot(ladq *q, int32_t head, size_t count)
{
	qnode *nd = q->pool.nd;
	if (count > q->botcap)
		lq_bot_grow(q, count);
	size_t k = 0;
	int sorted_asc = 1; /* lists keep insertion order: ties and fills often arrive sorted */
	for (int32_t h = head; h >= 0;) {
		int32_t nx = nd[h].next;
		q->bot[k] = nd[h].e;
		if (k && ev_lt(&q->bot[k], &q->bot[k - 1]))
			sorted_asc = 0;
		k++;
		npool_put(&q->pool, h);
		h = nx;
	}
	if (sorted_asc)
		for (size_t i = 0, j = k - 1; i < j; i++, j--) {
			ev_t tmp = q->bot[i];
			q->bot[i] = q->bot[j];
			q->bot[j] = tmp;
		}
	else
		ev_sort_desc(q->bot, k);
	q->nbot = k;
}

static void lq_rung_reserve(lrung *r, int64_t nb)
{
	if (nb > r->cap) {
		free(r->b);
		r->cap = nb > 2 * r->cap ? nb : 2 * r->cap;
		r->b = xmalloc((size_t)r->cap * sizeof *r->b);
	}
	for (int64_t i = 0; i < nb; i++) {
		r->b[i].head = r->b[i].tail = -1;
		r->b[i].count = 0;
	}
	r->nb = nb;
	r->cur = 0;
	r->count = 0;
}

/* Whether count events spanning [lo, hi] can be spread over count + 1 buckets. */
INLINE int lq_splittable(size_t count, double lo, double hi)
{
	return hi > lo && isfinite((double)count / (hi - lo));
}

/* Spreads a list whose times lie in [lo, hi] (lq_splittable) over a new rung of
 * count + 1 buckets. */
static void lq_spawn(ladq *q, int32_t head, size_t count, double lo, double hi)
{
	lrung *r = &q->rung[q->nrung++];
	qnode *nd = q->pool.nd;
	lq_rung_reserve(r, (int64_t)count + 1);
	r->start = lo;
	r->inv_w = (double)count / (hi - lo);
	for (int32_t h = head; h >= 0;) {
		int32_t nx = nd[h].next;
		lbucket *b = &r->b[lq_f(r, nd[h].e.t)]; /* >= 0: every t >= lo */
		lq_append(nd, &b->head, &b->tail, h);
		b->count++;
		h = nx;
		r->count++;
	}
}

/* Refills Bottom when it is empty; returns 0 when the queue is empty. */
NOINLINE int lq_refill(ladq *q)
{
	qnode *nd = q->pool.nd;
	for (;;) {
		if (q->nrung == 0) {
			if (q->top_n == 0)
				return 0;
			int32_t head = q->top_head;
			size_t count = q->top_n;
			double lo = q->top_min, hi = q->top_max;
			q->top_head = q->top_tail = -1;
			q->top_n = 0;
			q->top_min = INFINITY;
			q->top_max = -INFINITY;
			if (!lq_splittable(count, lo, hi)) { /* one time: all of it goes down */
				q->top_start = hi;
				lq_list_to_bot(q, head, count);
				return 1;
			}
			lq_spawn(q, head, count, lo, hi);
			/* end of rung 0's range, never below the largest time moved into it:
			 * a later event equal to top_start goes to Top, after its older equals */
			lrung *r0 = &q->rung[0];
			q->top_start = r0->start + (double)r0->nb / r0->inv_w;
			if (q->top_start < hi)
				q->top_start = hi;
			continue;
		}
		lrung *r = &q->rung[q->nrung - 1];
		if (r->count == 0) {
			q->nrung--;
			continue;
		}
		while (r->b[r->cur].count == 0)
			r->cur++;
		lbucket *b = &r->b[r->cur++];
		int32_t head = b->head;
		size_t count = b->count;
		r->count -= count;
		b->head = b->tail = -1;
		b->count = 0;
		if (count > LQ_THRES && q->nrung < LQ_RUNGS) {
			double lo = INFINITY, hi = -INFINITY;
			for (int32_t h = head; h >= 0; h = nd[h].next) {
				lo = nd[h].e.t < lo ? nd[h].e.t : lo;
				hi = nd[h].e.t > hi ? nd[h].e.t : hi;
			}
			if (lq_splittable(count, lo, hi)) {
				lq_spawn(q, head, count, lo, hi);
				continue;
			}
		}
		lq_list_to_bot(q, head, count);
		return 1;
	}
}

INLINE void lq_push(ladq *q, double t, uint32_t kind, uint32_t arg)
{
	q->n++;
	ev_t e = {t, q->seq++, kind, arg};
	if (t >= q->top_start) {
		int32_t ni = npool_get(&q->pool);
		q->pool.nd[ni].e = e;
		lq_append(q->pool.nd, &q->top_head, &q->top_tail, ni);
		q->top_n++;
		q->top_min = t < q->top_min ? t : q->top_min;
		q->top_max = t > q->top_max ? t : q->top_max;
		return;
	}
	for (int x = 0; x < q->nrung; x++) {
		lrung *r = &q->rung[x];
		int64_t k = lq_f(r, t);
		if (k >= r->cur) {
			int32_t ni = npool_get(&q->pool);
			q->pool.nd[ni].e = e;
			lq_append(q->pool.nd, &r->b[k].head, &r->b[k].tail, ni);
			r->b[k].count++;
			r->count++;
			return;
		}
	}
	lq_bot_insert(q, &e);
}

INLINE int lq_pop(ladq *q, ev_t *out)
{
	if (q->nbot == 0 && !lq_refill(q))
		return 0;
	*out = q->bot[--q->nbot];
	q->n--;
	return 1;
}

/* ---- one interface over all of them --------------------------------------------------
 * The hold loop is generated per structure so push and pop inline into it, as they
 * will when the engine calls its calendar directly; verification goes through the
 * function-pointer table. */
typedef struct {
	size_t n;          /* events in the set */
	const double *fill; /* n initial times */
	const double *inc;  /* warm + holds increments */
	size_t warm, holds;
} workload;

typedef struct {
	const char *name;
	size_t size; /* bytes of the state */
	void (*init)(void *q, size_t cap);
	void (*fini)(void *q);
	void (*push)(void *q, double t, uint32_t kind, uint32_t arg);
	int (*pop)(void *q, ev_t *out);
	double (*run)(const workload *w, uint64_t *hash); /* ns per hold */
	uint64_t (*hold)(void *q, const double *inc, size_t m, uint32_t id0);
} evset_type;

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

INLINE uint64_t mix(uint64_t h, const ev_t *e)
{
	uint64_t tb;
	memcpy(&tb, &e->t, sizeof tb);
	return (h ^ tb ^ (e->seq << 20) ^ ((uint64_t)e->arg << 40) ^ e->kind) * 0x9E3779B97F4A7C15ull;
}

#define DEFINE_EVSET(NAME, T, INIT, FINI, PUSH, POP)                                    \
	static void NAME##_init_v(void *q, size_t cap) { INIT((T *)q, cap); }           \
	static void NAME##_fini_v(void *q) { FINI((T *)q); }                            \
	static void NAME##_push_v(void *q, double t, uint32_t k, uint32_t a)            \
	{                                                                               \
		PUSH((T *)q, t, k, a);                                                  \
	}                                                                               \
	static int NAME##_pop_v(void *q, ev_t *o) { return POP((T *)q, o); }            \
	NOINLINE uint64_t hold_##NAME(void *vq, const double *inc, size_t m, uint32_t id0) \
	{                                                                               \
		T *q = vq;                                                              \
		uint64_t h = 0;                                                         \
		ev_t e = {0};                                                           \
		for (size_t i = 0; i < m; i++) {                                        \
			POP(q, &e);                                                     \
			h = mix(h, &e);                                                 \
			PUSH(q, e.t + inc[i], e.kind, id0 + (uint32_t)i);               \
		}                                                                       \
		return h;                                                               \
	}                                                                               \
	static double run_##NAME(const workload *w, uint64_t *hash)                     \
	{                                                                               \
		T q;                                                                    \
		INIT(&q, w->n);                                                         \
		for (size_t i = 0; i < w->n; i++)                                       \
			PUSH(&q, w->fill[i], (uint32_t)i & 3, (uint32_t)i);             \
		hold_##NAME(&q, w->inc, w->warm, (uint32_t)w->n);                       \
		double t0 = now_ns();                                                   \
		*hash = hold_##NAME(&q, w->inc + w->warm, w->holds,                     \
				    (uint32_t)(w->n + w->warm));                        \
		double t1 = now_ns();                                                   \
		FINI(&q);                                                               \
		return (t1 - t0) / (double)w->holds;                                    \
	}                                                                               \
	static const evset_type evset_##NAME = {#NAME,        sizeof(T),     NAME##_init_v, \
						NAME##_fini_v, NAME##_push_v, NAME##_pop_v,  \
						run_##NAME,    hold_##NAME};

DEFINE_EVSET(heap2, dheap, dheap_init, dheap_fini, heap2_push, heap2_pop)
DEFINE_EVSET(heap4, dheap, dheap_init, dheap_fini, heap4_push, heap4_pop)
DEFINE_EVSET(heap8, dheap, dheap_init, dheap_fini, heap8_push, heap8_pop)
DEFINE_EVSET(heap4br, dheap, dheap_init, dheap_fini, heap4_push, heap4br_pop)
DEFINE_EVSET(heap4i, dheap, dheap_init, dheap_fini, heap4_push, heap4i_pop)
DEFINE_EVSET(heap4k, kheap, kheap_init, kheap_fini, heap4k_push, heap4k_pop)
DEFINE_EVSET(calq, calq, cq_init, cq_fini, cq_push, cq_pop)
DEFINE_EVSET(ladder, ladq, lq_init, lq_fini, lq_push, lq_pop)

/* the first one is the reference */
static const evset_type *const evsets[] = {
	&evset_heap2,  &evset_heap4,  &evset_heap8, &evset_heap4br,
	&evset_heap4i, &evset_heap4k, &evset_calq,  &evset_ladder};
#define NSETS (sizeof evsets / sizeof evsets[0])

/* ---- workloads ------------------------------------------------------------------------ */
enum { DIST_EXP, DIST_MIX, DIST_TIES, NDIST };
static const char *const dist_name[NDIST] = {"a", "b", "c"};
static const char *const dist_desc[NDIST] = {
	"exponential(mean 1)",
	"0.9 exponential(mean 1) + 0.1 exponential(mean 1000)",
	"1.0 or 10.0 with probability 1/2 each (integer times, many ties)"};

static double draw(const gsl_rng *r, int dist)
{
	switch (dist) {
	case DIST_EXP:
		return gsl_ran_exponential(r, 1.0);
	case DIST_MIX:
		return gsl_rng_uniform(r) < 0.9 ? gsl_ran_exponential(r, 1.0)
						 : gsl_ran_exponential(r, 1000.0);
	default:
		return gsl_rng_uniform(r) < 0.5 ? 1.0 : 10.0;
	}
}

/* Fills a[0..n) from taus2 seeded with seed (>= 1). */
static void draw_all(double *a, size_t n, int dist, unsigned long seed)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	gsl_rng_set(r, seed);
	for (size_t i = 0; i < n; i++)
		a[i] = draw(r, dist);
	gsl_rng_free(r);
}

/* ---- verification --------------------------------------------------------------------- */
typedef struct {
	const evset_type *ref, *cand;
	void *qr, *qc;
	ev_t *pushed; /* by seq: what the reference should give back */
	size_t npushed, cap;
	ev_t last;
	int have_last;
	size_t pops;
	const char *what;
	int failed;
} lockstep;

static void ls_push(lockstep *s, double t, uint32_t kind, uint32_t arg)
{
	if (s->npushed == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 1024;
		s->pushed = xrealloc(s->pushed, s->cap * sizeof *s->pushed);
	}
	s->pushed[s->npushed] = (ev_t){t, s->npushed, kind, arg};
	s->npushed++;
	s->ref->push(s->qr, t, kind, arg);
	s->cand->push(s->qc, t, kind, arg);
}

static void ls_fail(lockstep *s, const char *msg, const ev_t *r, const ev_t *c)
{
	if (s->failed++)
		return;
	fprintf(stderr, "%s:%d: FAIL %s vs %s (%s), pop %zu: %s\n", __FILE__, __LINE__,
		s->cand->name, s->ref->name, s->what, s->pops, msg);
	if (r)
		fprintf(stderr, "  %s: t=%.17g seq=%" PRIu64 " kind=%u arg=%u\n", s->ref->name,
			r->t, r->seq, r->kind, r->arg);
	if (c)
		fprintf(stderr, "  %s: t=%.17g seq=%" PRIu64 " kind=%u arg=%u\n", s->cand->name,
			c->t, c->seq, c->kind, c->arg);
}

/* Pops from both; returns 0 when both are empty. The reference is checked on its
 * own too: each pop must be the event pushed with that seq, and pops must rise
 * strictly in (t, seq) - which, once everything is drained, proves each pop was the
 * minimum (all pushes are at or after the last pop's time). */
static int ls_pop(lockstep *s, ev_t *out)
{
	ev_t r, c;
	int hr = s->ref->pop(s->qr, &r), hc = s->cand->pop(s->qc, &c);
	if (hr != hc) {
		ls_fail(s, hr ? "candidate empty too early" : "candidate not empty", hr ? &r : NULL,
			hc ? &c : NULL);
		return 0;
	}
	if (!hr)
		return 0;
	s->pops++;
	if (r.t != c.t || r.seq != c.seq || r.kind != c.kind || r.arg != c.arg)
		ls_fail(s, "different event", &r, &c);
	if (r.seq >= s->npushed)
		ls_fail(s, "reference popped an unknown seq", &r, NULL);
	else {
		const ev_t *p = &s->pushed[r.seq];
		if (p->t != r.t || p->kind != r.kind || p->arg != r.arg)
			ls_fail(s, "reference event corrupted", &r, p);
	}
	if (s->have_last && !ev_lt(&s->last, &r))
		ls_fail(s, "reference out of (t, seq) order", &r, &s->last);
	s->last = r;
	s->have_last = 1;
	*out = r;
	return 1;
}

static void ls_begin(lockstep *s, const evset_type *cand, size_t cap, const char *what)
{
	s->ref = evsets[0];
	s->cand = cand;
	s->qr = xmalloc(s->ref->size);
	s->qc = xmalloc(cand->size);
	s->ref->init(s->qr, cap);
	cand->init(s->qc, cap);
	s->npushed = 0;
	s->have_last = 0;
	s->pops = 0;
	s->what = what;
	s->failed = 0;
}

/* Drains both, then frees; returns the failures seen. */
static int ls_end(lockstep *s)
{
	ev_t e;
	while (ls_pop(s, &e))
		;
	if (s->pops != s->npushed)
		ls_fail(s, "pushes and pops differ in number", NULL, NULL);
	s->ref->fini(s->qr);
	s->cand->fini(s->qc);
	free(s->qr);
	free(s->qc);
	return s->failed;
}

/* The hold model in lockstep, then a full drain. */
static int verify_hold(const evset_type *cand, const workload *w, const char *what)
{
	lockstep s = {0};
	ev_t e;
	ls_begin(&s, cand, w->n, what);
	for (size_t i = 0; i < w->n; i++)
		ls_push(&s, w->fill[i], (uint32_t)i & 3, (uint32_t)i);
	for (size_t i = 0; i < w->warm + w->holds && !s.failed; i++) {
		if (!ls_pop(&s, &e))
			break;
		ls_push(&s, e.t + w->inc[i], e.kind, (uint32_t)(w->n + i));
	}
	int f = ls_end(&s);
	free(s.pushed);
	return f;
}

/* Sizes that swell to peak and shrink to zero twice, pushes in bursts at the current
 * time (increment exactly 0), on a coarse integer grid, tiny, exponential and
 * heavy-tailed: exercises every resize and the tie rules. */
static int verify_churn(const evset_type *cand, size_t peak, unsigned long seed)
{
	lockstep s = {0};
	ev_t e;
	double now = 0;
	uint32_t id = 0;
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	gsl_rng_set(r, seed);
	ls_begin(&s, cand, 16, "churn");
	for (int phase = 0; phase < 4 && !s.failed; phase++) {
		double p_push = phase % 2 == 0 ? 0.65 : 0.35;
		size_t size = 0;
		for (;;) {
			size = s.npushed - s.pops;
			if (phase % 2 == 0 ? size >= peak : size == 0)
				break;
			if (s.failed)
				break;
			if (gsl_rng_uniform(r) < p_push) {
				double u = gsl_rng_uniform(r), inc;
				if (u < 0.15)
					inc = 0;
				else if (u < 0.40)
					inc = (double)gsl_rng_uniform_int(r, 4);
				else if (u < 0.50)
					inc = 1e-9 * gsl_rng_uniform(r);
				else if (u < 0.85)
					inc = gsl_ran_exponential(r, 1.0);
				else
					inc = gsl_ran_exponential(r, 1000.0);
				int burst = phase % 2 == 0 && gsl_rng_uniform(r) < 0.05
						    ? 1 + (int)gsl_rng_uniform_int(r, 200)
						    : 1;
				for (int k = 0; k < burst; k++)
					ls_push(&s, now + inc, id % 5, id), id++;
			} else if (ls_pop(&s, &e))
				now = e.t;
		}
	}
	gsl_rng_free(r);
	int f = ls_end(&s);
	free(s.pushed);
	return f;
}

static const size_t sizes[] = {8, 64, 1000, 100000};
#define NSIZES (sizeof sizes / sizeof sizes[0])

static size_t warm_for(size_t n) { return n * 10 < 1000000 ? n * 10 + 10000 : 1000000; }

/* Returns the number of failed checks. */
static int verify_all(void)
{
	int fails = 0;
	size_t holds = 200000, maxwarm = warm_for(sizes[NSIZES - 1]);
	double *fill = xmalloc(sizes[NSIZES - 1] * sizeof *fill);
	double *inc = xmalloc((maxwarm + holds) * sizeof *inc);
	for (int d = 0; d < NDIST; d++) {
		draw_all(fill, sizes[NSIZES - 1], d, 1000 + d);
		draw_all(inc, maxwarm + holds, d, 2000 + d);
		for (size_t si = 0; si < NSIZES; si++) {
			workload w = {sizes[si], fill, inc, 0, holds};
			char what[64];
			snprintf(what, sizeof what, "hold dist %s N %zu", dist_name[d], sizes[si]);
			for (size_t k = 0; k < NSETS; k++)
				fails += verify_hold(evsets[k], &w, what);
		}
	}
	for (size_t k = 0; k < NSETS; k++) {
		fails += verify_churn(evsets[k], 300, 7);
		fails += verify_churn(evsets[k], 30000, 11);
	}
	free(fill);
	free(inc);
	fprintf(stderr, "verify: %zu structures x (%d distributions x %zu sizes hold + 2 churn): %s\n",
		NSETS, NDIST, NSIZES, fails ? "FAILED" : "all pop orders identical to heap2");
	return fails;
}

/* ---- timing --------------------------------------------------------------------------- */
static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

#define RUNS 5

static int bench_all(size_t holds)
{
	int fails = 0;
	size_t maxn = sizes[NSIZES - 1], maxwarm = warm_for(maxn);
	double *fill = xmalloc(maxn * sizeof *fill);
	double *inc = xmalloc((maxwarm + holds) * sizeof *inc);
	printf("# hold model, ns per hold (pop + push), median of %d runs [min-max]; %zu timed holds"
	       " after max(10 N + 10^4, 10^6)-capped warm-up\n",
	       RUNS, holds);
	for (int d = 0; d < NDIST; d++)
		printf("# dist %s: %s\n", dist_name[d], dist_desc[d]);
	printf("%-4s %-7s", "dist", "N");
	for (size_t k = 0; k < NSETS; k++)
		printf(" %21s", evsets[k]->name);
	printf("\n");
	for (int d = 0; d < NDIST; d++) {
		draw_all(fill, maxn, d, 1000 + d);
		draw_all(inc, maxwarm + holds, d, 2000 + d);
		for (size_t si = 0; si < NSIZES; si++) {
			workload w = {sizes[si], fill, inc, warm_for(sizes[si]), holds};
			double ns[NSETS][RUNS];
			uint64_t hash[NSETS][RUNS];
			for (int run = 0; run < RUNS; run++) /* interleaved: noise spreads evenly */
				for (size_t k = 0; k < NSETS; k++)
					ns[k][run] = evsets[k]->run(&w, &hash[k][run]);
			printf("%-4s %-7zu", dist_name[d], sizes[si]);
			for (size_t k = 0; k < NSETS; k++) {
				qsort(ns[k], RUNS, sizeof ns[k][0], cmp_double);
				int bad = 0;
				for (int run = 0; run < RUNS; run++)
					bad |= hash[k][run] != hash[0][0];
				char cell[64];
				snprintf(cell, sizeof cell, "%.1f [%.1f-%.1f]%s", ns[k][RUNS / 2], ns[k][0],
					 ns[k][RUNS - 1], bad ? "!" : "");
				printf(" %21s", cell);
				if (bad) {
					fprintf(stderr, "%s:%d: FAIL %s dist %s N %zu: pop sequence hash differs from %s\n",
						__FILE__, __LINE__, evsets[k]->name, dist_name[d], sizes[si],
						evsets[0]->name);
					fails++;
				}
			}
			printf("\n");
			fflush(stdout);
		}
	}
	free(fill);
	free(inc);
	return fails;
}

/* One structure, one workload: the part to measure under callgrind. */
static int run_one(const char *name, const char *dist, size_t n, size_t holds)
{
	const evset_type *t = NULL;
	int d = -1;
	for (size_t k = 0; k < NSETS; k++)
		if (!strcmp(evsets[k]->name, name))
			t = evsets[k];
	for (int i = 0; i < NDIST; i++)
		if (!strcmp(dist_name[i], dist))
			d = i;
	if (!t || d < 0 || n == 0) {
		fprintf(stderr, "bench_calendar: unknown structure \"%s\" or distribution \"%s\"\n", name,
			dist);
		return 2;
	}
	size_t warm = warm_for(n);
	double *fill = xmalloc(n * sizeof *fill), *inc = xmalloc((warm + holds) * sizeof *inc);
	draw_all(fill, n, d, 1000 + d);
	draw_all(inc, warm + holds, d, 2000 + d);
	workload w = {n, fill, inc, warm, holds};
	uint64_t h;
	double ns = t->run(&w, &h);
	printf("%s dist %s N %zu: %zu warm-up + %zu timed holds through hold_%s, %.1f ns/hold, hash %016" PRIx64 "\n",
	       name, dist, n, warm, holds, name, ns, h);
	free(fill);
	free(inc);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 6 && !strcmp(argv[1], "--one"))
		return run_one(argv[2], argv[3], strtoul(argv[4], NULL, 10), strtoul(argv[5], NULL, 10));
	int quick = argc > 1 && !strcmp(argv[1], "--quick");
	int verify_only = argc > 1 && !strcmp(argv[1], "--verify");
	if (argc > 1 && !quick && !verify_only) {
		fprintf(stderr, "usage: %s [--quick | --verify | --one NAME DIST N HOLDS]\n", argv[0]);
		return 2;
	}
	int fails = verify_all();
	if (!verify_only)
		fails += bench_all(quick ? 300000 : 2000000);
	return fails ? 1 : 0;
}
