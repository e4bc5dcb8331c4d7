/* calendar.c - calendar queue (Brown 1988): O(1) amortised push and pop where a 4-ary heap
 * pays O(log n); tests/bench/bench_calendar.md has the measurements that chose it.
 *
 * Few events (a small cluster, a quiet hour) skip the buckets: up to CAL_SMALL of them sit
 * in one array sorted latest first, so a pop takes the last element and a push shifts the
 * events earlier than itself, a few moves with no bucket arithmetic (on the M/M/c
 * benchmark, about 5 events pending, it took the calendar from about 180 to 90
 * instructions per job; README, "Speed"). Two hybrids with a heap below 32 events were
 * tried first and dropped: a heap mode inside the same push and pop cost as much as the
 * buckets, and a non-inlined call per mode lost 30 instructions per hold in bucket mode
 * at every N >= 64 (tests/bench/bench_calendar.md). A push beyond CAL_SMALL moves
 * them into the buckets; a pop that leaves CAL_SMALL_BACK moves them back, the gap between
 * the two keeping a count that hovers near one from moving them to and fro. Either way
 * the pop order is (t, seq).
 *
 * Events sit in nb buckets of width w. Time t belongs to the integer "virtual bucket"
 * vb = floor(t / w), stored in bucket vb mod nb; each bucket is a list sorted by (t, seq)
 * with a tail pointer, so the common case, an event later than all others in its bucket,
 * appends in O(1). The search position cur is a virtual bucket, not an accumulated float,
 * so it cannot drift; equal times always share a bucket, where seq orders them. The pop
 * order is therefore exactly (t, seq) whatever the width: the width decides only the
 * speed. Between calls, the earliest event is the head of bucket cur mod nb and c->min
 * points at it, so cal_top and cal_before_top need no search.
 *
 * The width is re-estimated from the earliest events (Brown's rule) when the bucket count
 * doubles or halves, and when the steps beyond the fast paths pass CAL_COST_MAX per pop
 * (the idea of Oh & Ahn's 1998 "dynamic calendar queue"): a calendar whose size stays put
 * would otherwise keep the width it guessed while filling, or one from before the event
 * mix changed. Three more guards against the calendar queue's known bad cases: a finger
 * per bucket for runs of ties, a sample that looks past ties, and next_lo, which lets a
 * pop skip the empty years after a push far before the rest (never done by a simulation,
 * whose pushes are at or after now, but allowed).
 *
 * Why a calendar queue and not a heap: on the simulator itself it ties with a 4-ary heap
 * while a handful of events are pending and gives 15-20% more jobs/s with thousands
 * pending (large clusters); the heap's cost grows with log n, the buckets' does not.
 * Tried and not kept: an occupancy bitmap to skip empty buckets 64 at a time (more
 * instructions per hold, no gain) and widths of 1x or 2x the mean gap instead of
 * Brown's 3x (no better with 5 pending, worse with 2,000). */
#include "calendar.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

#define CAL_NIL UINT32_MAX
#define CAL_MIN_NB 8    /* fewest buckets */
#define CAL_SAMPLE 25   /* events sampled for a width estimate (Brown 1988) */
#define CAL_COST_MAX 4  /* buckets skipped + nodes walked per pop before re-estimating */
#define CAL_VB_MAX 4e18 /* virtual buckets are clamped here, so t = INFINITY still orders */
#define COLD __attribute__((noinline, cold)) /* off the hot path, so push and pop stay small */
#define CAL_SMALL_BACK 4 /* a pop that leaves this many moves them back to the array */

struct cal_node {
	cal_event e; /* first, so that c->min converts back to its node */
	uint32_t next; /* next node in its bucket or in the free list */
};

struct cal_bucket {
	uint32_t head, tail;
	uint32_t finger; /* the node link_inside placed last, while it is still here */
};

__extension__ typedef unsigned __int128 cal_u128;

/* (t, seq) as one 128-bit integer: for t >= +0.0 the bits of a double read as an unsigned
 * integer order like the double, so one integer compare (cmp + sbb) replaces two floating
 * ones. Push turns -0.0 into +0.0 so that this holds for every accepted time. */
static inline cal_u128 key(const cal_event *e)
{
	uint64_t bits;
	memcpy(&bits, &e->t, sizeof bits);
	return (cal_u128)bits << 64 | e->seq;
}

static inline int before(const cal_event *a, const cal_event *b) { return key(a) < key(b); }

/* Monotone in t, so a later event never gets an earlier virtual bucket. */
static inline uint64_t vbucket(const cal *c, double t)
{
	double x = t * c->inv_w;
	return (uint64_t)(int64_t)(x < CAL_VB_MAX ? x : CAL_VB_MAX); /* signed: one instruction */
}

static void new_window(cal *c)
{
	c->ops = c->cost = 0;
	c->ops_window = c->nb / 2 + 32;
}

/* Empties the nb buckets b and makes them the calendar's, of width w. */
static void set_buckets(cal *c, struct cal_bucket *b, uint64_t nb, double w)
{
	for (uint64_t i = 0; i < nb; i++)
		b[i].head = b[i].tail = b[i].finger = CAL_NIL;
	if (b != c->bucket)
		free(c->bucket);
	c->bucket = b;
	c->nb = nb;
	c->w = w;
	c->inv_w = 1 / w;
	c->grow_above = 2 * nb;
	c->shrink_below = nb > CAL_MIN_NB ? nb / 2 : 0;
	new_window(c);
}

/* Puts nodes [from, to) on the free list. */
static void free_range(cal *c, uint32_t from, uint32_t to)
{
	for (uint32_t i = from; i < to; i++)
		c->ev[i].next = i + 1 < to ? i + 1 : c->free;
	if (from < to)
		c->free = from;
}

/* Counts steps beyond the fast paths. When they outrun CAL_COST_MAX per pop by more than
 * a rebuild would cost, the window ends at the next pop, which re-estimates the width: a
 * stale width after the event mix changes is paid for once, not for a whole window. */
static inline void add_cost(cal *c, uint64_t steps)
{
	c->cost += steps;
	if (c->cost > CAL_COST_MAX * c->ops + c->len)
		c->ops_window = c->ops + 1;
}

/* link() when node i goes before the tail of non-empty bucket b: at the head, or after a
 * walk. The walk starts at the finger when i comes after it. A new event has the largest
 * seq so far, so it goes after every event at its time: when a run of ties shares a
 * bucket with later events, each new tie goes right after the previous one, found in one
 * step instead of a walk down the run. */
static COLD void link_inside(cal *c, struct cal_bucket *b, uint32_t i)
{
	struct cal_node *nd = c->ev;
	const cal_event *e = &nd[i].e;
	uint32_t p = b->finger;
	if (p == CAL_NIL || before(e, &nd[p].e)) {
		if (before(e, &nd[b->head].e)) {
			nd[i].next = b->head;
			b->head = i;
			return;
		}
		p = b->head;
	}
	uint64_t walked = 1;
	FG_ASSERT(before(e, &nd[b->tail].e)); /* link() appends the others */
	while (!before(e, &nd[nd[p].next].e)) { /* stops before the tail, since e < tail */
		p = nd[p].next;
		FG_ASSERT(p != b->tail);
		walked++;
	}
	nd[i].next = nd[p].next;
	nd[p].next = i;
	b->finger = i;
	add_cost(c, walked);
}

/* Links node i into its bucket in (t, seq) order. Returns its virtual bucket. */
static inline uint64_t link(cal *c, uint32_t i)
{
	struct cal_node *nd = c->ev;
	FG_ASSERT(i < c->cap && !c->small);
	uint64_t v = vbucket(c, nd[i].e.t);
	struct cal_bucket *b = &c->bucket[v & (c->nb - 1)];
	nd[i].next = CAL_NIL;
	if (b->tail == CAL_NIL) {
		b->head = b->tail = i;
	} else if (!before(&nd[i].e, &nd[b->tail].e)) {
		nd[b->tail].next = i;
		b->tail = i;
	} else {
		link_inside(c, b, i);
	}
	return v;
}

/* Unlinks head h of bucket b. */
static inline void unlink_head(cal *c, struct cal_bucket *b, uint32_t h)
{
	FG_ASSERT(b->head == h);
	if ((b->head = c->ev[h].next) == CAL_NIL)
		b->tail = CAL_NIL;
	if (b->finger == h)
		b->finger = CAL_NIL;
}

/* find_min() when the current bucket holds nothing due: walks on through the year, and
 * when a whole year holds nothing due (the next event is far ahead), takes the earliest
 * bucket head and jumps there. */
static COLD uint32_t find_min_search(cal *c)
{
	struct cal_node *nd = c->ev;
	uint64_t mask = c->nb - 1;
	if (c->cur < c->next_lo) /* e.g. after a push far before the rest: skip the gap */
		c->cur = c->next_lo - 1;
	for (uint64_t s = 1; s < c->nb; s++) {
		uint32_t h = c->bucket[++c->cur & mask].head;
		if (h != CAL_NIL && vbucket(c, nd[h].e.t) <= c->cur) {
			add_cost(c, s);
			return h;
		}
	}
	uint32_t best = CAL_NIL;
	for (uint64_t i = 0; i < c->nb; i++) {
		uint32_t h = c->bucket[i].head;
		if (h != CAL_NIL && (best == CAL_NIL || before(&nd[h].e, &nd[best].e)))
			best = h;
	}
	FG_ASSERT(best != CAL_NIL); /* called with events in the buckets */
	c->cur = vbucket(c, nd[best].e.t);
	add_cost(c, 2 * c->nb);
	return best;
}

/* Moves cur to the earliest event and returns its node; there must be one. Every event
 * lies in virtual bucket cur or later, and a bucket's head is its earliest, so the
 * current bucket's head is the earliest of all when it is due now. */
static inline uint32_t find_min(cal *c)
{
	uint32_t h = c->bucket[c->cur & (c->nb - 1)].head;
	if (h != CAL_NIL && vbucket(c, c->ev[h].e.t) <= c->cur)
		return h;
	return find_min_search(c);
}

/* Unlinks the earliest event from its bucket and returns its node; there must be one. */
static uint32_t take_min(cal *c)
{
	uint32_t i = find_min(c);
	unlink_head(c, &c->bucket[c->cur & (c->nb - 1)], i);
	return i;
}

/* Re-estimates the width from the spacing of the earliest events, 3 times their mean gap
 * with gaps over twice the mean left out (Brown 1988), and rebuilds the buckets as nb
 * buckets of that width. The sample is the earliest CAL_SAMPLE events, extended while
 * they all share one time: a run of ties says nothing about spacing, and the event just
 * after it does. A rebuild costs O(n); it is skipped when the bucket count stays and the
 * width changes by less than half, or when there is no memory: only the speed suffers. */
static COLD void resize(cal *c, uint64_t nb)
{
	FG_ASSERT(nb >= CAL_MIN_NB && (nb & (nb - 1)) == 0 && c->len > 0 && !c->small);
	struct cal_node *nd = c->ev;
	size_t ns = 0;
	/* The sample, taken out in (t, seq) order and chained in that order. */
	uint32_t first = CAL_NIL, last = CAL_NIL;
	while (ns < c->len && (ns < CAL_SAMPLE || nd[last].e.t == nd[first].e.t)) {
		uint32_t i = take_min(c);
		nd[i].next = CAL_NIL;
		if (last == CAL_NIL)
			first = i;
		else
			nd[last].next = i;
		last = i;
		ns++;
	}
	double w = c->w;
	if (ns >= 2 && nd[last].e.t > nd[first].e.t) {
		double mean = (nd[last].e.t - nd[first].e.t) / (double)(ns - 1), sum = 0;
		size_t used = 0;
		for (uint32_t i = first; nd[i].next != CAL_NIL; i = nd[i].next) {
			double gap = nd[nd[i].next].e.t - nd[i].e.t;
			if (gap <= 2 * mean) {
				sum += gap;
				used++;
			}
		}
		/* A run of ties, then one gap: that gap, spread over the run, is the spacing. */
		w = 3 * (sum > 0 ? sum / (double)used : mean);
	}
	struct cal_bucket *b = NULL;
	if (nb != c->nb || !(w > c->w / 2 && w < 2 * c->w))
		b = malloc(nb * sizeof *b);
	if (b) {
		/* The rest, chained through their links before the old buckets go, each bucket's
		 * list kept in order: relinked in that order, a bucket's events append, or go
		 * right after the finger, instead of walking. */
		uint32_t chain = CAL_NIL, tail = CAL_NIL;
		for (uint64_t k = 0; k < c->nb; k++) {
			struct cal_bucket *ob = &c->bucket[k];
			if (ob->head == CAL_NIL)
				continue;
			if (tail == CAL_NIL)
				chain = ob->head;
			else
				nd[tail].next = ob->head;
			tail = ob->tail;
		}
		set_buckets(c, b, nb, w);
		for (uint32_t h = chain, next; h != CAL_NIL; h = next) {
			next = nd[h].next;
			link(c, h);
		}
	}
	for (uint32_t h = first, next; h != CAL_NIL; h = next) {
		next = nd[h].next;
		link(c, h);
	}
	FG_ASSERT(c->min == &nd[first].e); /* linked first, so it heads its bucket */
	c->cur = c->next_lo = vbucket(c, c->min->t); /* the earliest event heads its bucket */
	new_window(c); /* relinking is no measure of the width */
}

int cal_init(cal *c, size_t cap)
{
	memset(c, 0, sizeof *c);
	c->small = 1;
	c->cap = cap > 2 * CAL_SMALL ? cap : 2 * CAL_SMALL; /* to_buckets() never has to grow it */
	c->free = CAL_NIL;
	struct cal_bucket *b = malloc(CAL_MIN_NB * sizeof *b);
	c->ev = c->cap < CAL_NIL ? malloc(c->cap * sizeof *c->ev) : NULL;
	if (!b || !c->ev) {
		free(b);
		cal_destroy(c);
		return -1;
	}
	set_buckets(c, b, CAL_MIN_NB, 1.0);
	free_range(c, 0, (uint32_t)c->cap);
	return 0;
}

void cal_destroy(cal *c)
{
	free(c->ev);
	free(c->bucket);
	c->ev = NULL;
	c->bucket = NULL;
	c->len = c->cap = 0;
}

/* Keeps the bucket count and width: the next replication of a scenario has the same
 * timestamp mix, and the order of events depends on neither. */
void cal_clear(cal *c)
{
	set_buckets(c, c->bucket, c->nb, c->w);
	c->free = CAL_NIL;
	free_range(c, 0, (uint32_t)c->cap);
	c->len = 0;
	c->next_seq = 0;
	c->small = 1;
}

/* Doubles the node pool. Returns 0, -1 on no memory (the pool is untouched). Not
 * GROW: node indices are 32-bit with CAL_NIL reserved, and c->min must follow the move. */
static COLD int grow(cal *c)
{
	size_t cap = 2 * c->cap, min = (size_t)((const struct cal_node *)c->min - c->ev);
	FG_ASSERT(c->len == c->cap && c->free == CAL_NIL); /* grown only when full */
	if (cap >= CAL_NIL)
		return -1;
	struct cal_node *nd = realloc(c->ev, cap * sizeof *nd);
	if (!nd)
		return -1;
	c->ev = nd;
	c->min = &nd[min].e;
	free_range(c, (uint32_t)c->cap, (uint32_t)cap);
	c->cap = cap;
	return 0;
}

/* Pushes event e (its seq already set) into the buckets. Returns 0, -1 on no memory. */
static int push_node(cal *c, const cal_event *e)
{
	if (c->len == c->cap && grow(c))
		return -1;
	struct cal_node *nd = c->ev;
	uint32_t i = c->free;
	FG_ASSERT(i < c->cap); /* len < cap: the free list holds cap - len nodes */
	c->free = nd[i].next;
	nd[i].e = *e;
	uint64_t v = link(c, i);
	if (c->len++ == 0) {
		c->min = &nd[i].e;
		c->cur = v;
		c->next_lo = UINT64_MAX;
	} else if (before(&nd[i].e, c->min)) { /* the new earliest heads its bucket */
		c->min = &nd[i].e;
		if (c->cur < c->next_lo) /* the old earliest joins the rest */
			c->next_lo = c->cur;
		c->cur = v;
	} else if (v < c->next_lo) {
		c->next_lo = v;
	}
	if (c->len > c->grow_above)
		resize(c, 2 * c->nb);
	return 0;
}

/* The array is full: its events go to the (empty) buckets, earliest first, and the
 * width is estimated from them. The pool holds 2 CAL_SMALL nodes, so no push fails. */
static COLD void to_buckets(cal *c)
{
	size_t n = c->len;
	FG_ASSERT(c->small && n == CAL_SMALL);
	c->small = 0;
	c->len = 0;
	for (size_t k = n; k-- > 0;)
		push_node(c, &c->sv[k]);
	FG_ASSERT(c->len == n);
	resize(c, c->nb);
}

/* Few events are left in the buckets: they go back to the array, in order. */
static COLD void to_small(cal *c)
{
	size_t n = c->len;
	FG_ASSERT(!c->small && n > 0 && n <= CAL_SMALL);
	for (size_t k = 0; k < n; k++) {
		uint32_t i = take_min(c);
		c->sv[n - 1 - k] = c->ev[i].e;
		c->ev[i].next = c->free;
		c->free = i;
	}
	c->small = 1;
	c->min = &c->sv[n - 1];
}

/* Returns 0, or -1 (nothing pushed, no seq used) for t < 0, NaN, or no memory. */
int cal_push(cal *c, double t, uint32_t kind, uint32_t arg)
{
	if (!(t >= 0)) /* written so that NaN fails too: key() orders only t >= +0.0 */
		return -1;
	if (c->small && c->len == CAL_SMALL)
		to_buckets(c);
	if (!c->small) {
		/* t + 0.0 turns -0.0 into +0.0 (key() needs it); seq is taken only once the
		 * push has succeeded, so a failed push leaves the sequence as it was */
		cal_event e = {t + 0.0, c->next_seq, kind, arg};
		if (push_node(c, &e))
			return -1;
		c->next_seq++;
		return 0;
	}
	/* Into the array: the events earlier than this one (at the end) move up by one. Its
	 * seq is the largest yet, so an event at the same time is earlier too. */
	cal_event e = {t + 0.0, c->next_seq++, kind, arg};
	FG_ASSERT(c->len < CAL_SMALL);
	size_t j = c->len++;
	for (; j > 0 && c->sv[j - 1].t <= e.t; j--)
		c->sv[j] = c->sv[j - 1];
	c->sv[j] = e;
	c->min = &c->sv[c->len - 1];
	return 0;
}

/* Takes the earliest event by (t, seq) into *out. Returns 0, or -1 when empty. */
int cal_pop(cal *c, cal_event *out)
{
	if (c->len == 0)
		return -1;
	if (c->small) {
		*out = c->sv[--c->len];
		c->min = &c->sv[c->len ? c->len - 1 : 0];
		return 0;
	}
	struct cal_bucket *b = &c->bucket[c->cur & (c->nb - 1)];
	uint32_t i = b->head; /* the earliest event */
	FG_ASSERT(i < c->cap && &c->ev[i].e == c->min);
	*out = c->ev[i].e;
	unlink_head(c, b, i);
	c->ev[i].next = c->free;
	c->free = i;
	if (--c->len <= CAL_SMALL_BACK) {
		to_small(c);
		return 0;
	}
	c->min = &c->ev[find_min(c)].e;
	if (c->len < c->shrink_below) {
		resize(c, c->nb / 2);
	} else if (++c->ops == c->ops_window) {
		if (c->cost > CAL_COST_MAX * c->ops)
			resize(c, c->nb);
		new_window(c);
	}
	return 0;
}

/* cal_check() for the small array: sorted latest first, min at the end, the buckets
 * empty and every node free (to_small and cal_clear return them all). */
static const char *check_small(const cal *c)
{
	if (c->len > CAL_SMALL)
		return "small array holds more than CAL_SMALL events";
	for (size_t k = 1; k < c->len; k++)
		if (!before(&c->sv[k], &c->sv[k - 1]))
			return "small array not sorted by (t, seq), latest first";
	if (c->len && c->min != &c->sv[c->len - 1])
		return "min is not the small array's last (earliest) event";
	for (uint64_t k = 0; k < c->nb; k++)
		if (c->bucket[k].head != CAL_NIL || c->bucket[k].tail != CAL_NIL)
			return "a bucket holds events while the array is in use";
	return NULL;
}

/* cal_check() for one bucket k: a list from head to tail, sorted by (t, seq), each event
 * in its bucket and at or after cur, every event but the earliest at or after next_lo;
 * the finger on the list. Marks the nodes it walks in seen[]; *n counts them. */
static const char *check_bucket(const cal *c, uint64_t k, unsigned char *seen, size_t *n)
{
	const struct cal_bucket *b = &c->bucket[k];
	const struct cal_node *nd = c->ev;
	if ((b->head == CAL_NIL) != (b->tail == CAL_NIL))
		return "bucket with a head but no tail, or a tail but no head";
	int finger_seen = b->finger == CAL_NIL;
	for (uint32_t i = b->head, prev = CAL_NIL; i != CAL_NIL; prev = i, i = nd[i].next) {
		if (i >= c->cap)
			return "bucket link outside the pool";
		if (seen[i]++)
			return "node linked twice (a loop, or in two buckets)";
		if (++*n > c->len)
			return "buckets hold more events than len";
		const cal_event *e = &nd[i].e;
		uint64_t v = vbucket(c, e->t);
		if (!(e->t >= 0) || signbit(e->t))
			return "event time negative, -0.0 or NaN";
		if (e->seq >= c->next_seq)
			return "event seq not below next_seq";
		if ((v & (c->nb - 1)) != k)
			return "event in the wrong bucket for its time";
		if (v < c->cur)
			return "event's virtual bucket below cur";
		if (e != c->min && v < c->next_lo)
			return "event's virtual bucket below next_lo";
		if (prev != CAL_NIL && !before(&nd[prev].e, e))
			return "bucket not sorted by (t, seq)";
		if (e != c->min && !before(c->min, e))
			return "min is not the earliest event";
		finger_seen |= i == b->finger;
		if (nd[i].next == CAL_NIL && i != b->tail)
			return "bucket's tail is not its last node";
	}
	return finger_seen ? NULL : "bucket's finger not on its list";
}

const char *cal_check(const cal *c)
{
	if (!c->ev || !c->bucket)
		return "calendar not initialised";
	if (c->cap < 2 * CAL_SMALL || c->cap >= CAL_NIL || c->len > c->cap)
		return "pool capacity out of range, or len above it";
	if (c->nb < CAL_MIN_NB || (c->nb & (c->nb - 1)))
		return "bucket count not a power of two >= CAL_MIN_NB";
	if (!(c->w > 0) || c->inv_w != 1 / c->w)
		return "bucket width not positive, or inv_w not its inverse";
	/* Only the thresholds: a resize that found no memory leaves len above grow_above. */
	if (c->grow_above != 2 * c->nb || c->shrink_below != (c->nb > CAL_MIN_NB ? c->nb / 2 : 0))
		return "grow_above/shrink_below do not match the bucket count";
	if (c->ops >= c->ops_window)
		return "width window passed without a check";
	unsigned char *seen = calloc(c->cap, 1);
	if (!seen)
		return "no memory for the check";
	const char *why = NULL;
	size_t linked = 0;
	if (c->small) {
		why = check_small(c);
	} else {
		uintptr_t at = (uintptr_t)c->min - (uintptr_t)c->ev;
		if (c->len <= CAL_SMALL_BACK)
			why = "buckets in use with CAL_SMALL_BACK events or fewer";
		else if ((uintptr_t)c->min < (uintptr_t)c->ev || at % sizeof *c->ev ||
			 at / sizeof *c->ev >= c->cap)
			why = "min does not point at a node of the pool";
		else if (vbucket(c, c->min->t) != c->cur)
			why = "cur is not the earliest event's virtual bucket";
		else if (c->bucket[c->cur & (c->nb - 1)].head != at / sizeof *c->ev)
			why = "the earliest event does not head bucket cur";
		for (uint64_t k = 0; !why && k < c->nb; k++)
			why = check_bucket(c, k, seen, &linked);
		if (!why && linked != c->len)
			why = "len differs from the events linked in the buckets";
	}
	size_t nfree = 0;
	for (uint32_t i = c->free; !why && i != CAL_NIL; i = c->ev[i].next) {
		if (i >= c->cap)
			why = "free-list link outside the pool";
		else if (seen[i]++)
			why = "free-list node also in a bucket, or the free list loops";
		else
			nfree++;
	}
	if (!why && nfree != c->cap - linked)
		why = "free list does not cover the rest of the pool";
	if (!why)
		for (size_t k = 0; c->small && k < c->len; k++)
			if (c->sv[k].seq >= c->next_seq)
				why = "event seq not below next_seq";
	free(seen);
	return why;
}
