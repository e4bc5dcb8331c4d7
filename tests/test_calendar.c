/* test_calendar.c - the event calendar against a reference: pops in (time, insertion
 * order) order with many exact ties, growth from a tiny capacity, cal_clear restarting
 * the sequence, the empty case, a hold model (pop one, push one) against a scan, a
 * count wandering between the small array and the buckets,
 * also with one event kept outside the heap (cal_take_seq, cal_before_top), and cal_check
 * after every operation of a random mix, then on calendars corrupted by hand. */
#include <gsl/gsl_rng.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "calendar.h"
#include "check.h"
#include "test.h"

/* The node and bucket layouts of calendar.c, repeated here so that the corruption tests
 * can break a calendar the way a bug would. They must match calendar.c's; if they drift,
 * test_check_corrupt's corruptions stop being caught and it fails. */
struct cal_node {
	cal_event e;
	uint32_t next;
};
struct cal_bucket {
	uint32_t head, tail, finger;
};

typedef struct ref_event {
	double t;
	uint64_t seq;
	uint32_t kind, arg;
} ref_event;

static int ref_cmp(const void *pa, const void *pb)
{
	const ref_event *a = pa, *b = pb;
	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* A time drawn from 8 values (so most events tie exactly with thousands of others),
 * or, one time in four, a continuous one. */
static double draw_time(gsl_rng *r)
{
	static const double few[] = {0, 1, 2.5, 3, 1e-9, 60, 3600, 1e6};
	if (gsl_rng_uniform_int(r, 4) == 0)
		return 1e6 * gsl_rng_uniform(r);
	return few[gsl_rng_uniform_int(r, 8)];
}

/* Pops every event of c and compares with ref (already sorted), counting mismatches
 * once so a broken heap does not print 100000 lines. */
static void drain_and_compare(cal *c, const ref_event *ref, size_t n)
{
	size_t bad = 0, first_bad = n;
	cal_event e;
	for (size_t i = 0; i < n; i++) {
		if (cal_pop(c, &e) != 0) {
			TEST_FAIL_("pop %zu of %zu returned -1", i, n);
			return;
		}
		if (e.t != ref[i].t || e.seq != ref[i].seq || e.kind != ref[i].kind || e.arg != ref[i].arg) {
			if (!bad++)
				first_bad = i;
		}
	}
	CHECK_INT(bad, 0);
	if (bad)
		fprintf(stderr, "  first mismatch at pop %zu\n", first_bad);
	CHECK_INT(cal_len(c), 0);
	CHECK_INT(cal_pop(c, &e), -1);
}

/* 100000 events, mostly exact ties: pop order must equal qsort by (t, seq). */
static void test_sorted_with_ties(void)
{
	enum { N = 100000 };
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	gsl_rng_set(r, 12345);
	ref_event *ref = malloc(N * sizeof *ref);
	cal c;
	int push_failed = 0;
	CHECK_INT(cal_init(&c, 64), 0);
	for (uint32_t i = 0; i < N; i++) {
		double t = draw_time(r);
		uint32_t kind = (uint32_t)gsl_rng_uniform_int(r, 7);
		ref[i] = (ref_event){t, i, kind, i};
		push_failed += cal_push(&c, t, kind, i) != 0;
	}
	CHECK_INT(push_failed, 0);
	CHECK_INT(cal_len(&c), N);
	qsort(ref, N, sizeof *ref, ref_cmp);
	drain_and_compare(&c, ref, N);
	cal_destroy(&c);
	free(ref);
	gsl_rng_free(r);
}

/* All events at one time: a pure test of the tie-breaker, in push order. */
static void test_all_equal(void)
{
	cal c;
	cal_event e;
	CHECK_INT(cal_init(&c, 4), 0);
	for (uint32_t i = 0; i < 1000; i++)
		cal_push(&c, 7.0, 1, i);
	uint32_t bad = 0;
	for (uint32_t i = 0; i < 1000; i++) {
		cal_pop(&c, &e);
		bad += e.arg != i || e.seq != i || e.t != 7.0;
	}
	CHECK_INT(bad, 0);
	cal_destroy(&c);
}

/* A calendar made with capacity 1 (and one with 0, the default) grows by doubling and
 * keeps every event. */
static void test_growth(void)
{
	cal c;
	CHECK_INT(cal_init(&c, 1), 0);
	CHECK_INT(c.cap, 2 * CAL_SMALL); /* never less: the array's events move into it */
	enum { N = 5000 };
	ref_event ref[N];
	int push_failed = 0;
	for (uint32_t i = 0; i < N; i++) {
		double t = (double)((i * 7919u) % 1000); /* 5 events at each of 1000 times */
		ref[i] = (ref_event){t, i, 3, i};
		push_failed += cal_push(&c, t, 3, i) != 0;
	}
	CHECK_INT(push_failed, 0);
	CHECK(c.cap >= N);
	CHECK_INT(cal_len(&c), N);
	qsort(ref, N, sizeof *ref, ref_cmp);
	drain_and_compare(&c, ref, N);
	cal_destroy(&c);
	CHECK(c.ev == NULL);
	CHECK_INT(c.len, 0);

	CHECK_INT(cal_init(&c, 0), 0);
	CHECK_INT(c.cap, 2 * CAL_SMALL);
	for (uint32_t i = 0; i <= 2 * CAL_SMALL; i++)
		cal_push(&c, 2 * CAL_SMALL + 1.0 - i, 0, i);
	CHECK_INT(c.cap, 4 * CAL_SMALL);
	cal_event e;
	cal_pop(&c, &e);
	CHECK_INT(e.arg, 2 * CAL_SMALL);
	CHECK(e.t == 1.0);
	cal_destroy(&c);
}

/* cal_clear empties the calendar and numbers the next push 0 again (a new replication
 * must not depend on how long the last one ran). */
static void test_clear(void)
{
	cal c;
	cal_event e;
	CHECK_INT(cal_init(&c, 2), 0);
	for (uint32_t i = 0; i < 10; i++)
		cal_push(&c, 1.0, 0, i);
	cal_pop(&c, &e);
	CHECK_INT(e.seq, 0);
	CHECK_INT(c.next_seq, 10);
	cal_clear(&c);
	CHECK_INT(cal_len(&c), 0);
	CHECK_INT(cal_pop(&c, &e), -1);
	cal_push(&c, 5.0, 9, 99);
	cal_push(&c, 5.0, 9, 100);
	CHECK_INT(cal_pop(&c, &e), 0);
	CHECK_INT(e.seq, 0);
	CHECK_INT(e.arg, 99);
	CHECK_INT(cal_pop(&c, &e), 0);
	CHECK_INT(e.seq, 1);
	CHECK_INT(e.arg, 100);
	cal_destroy(&c);
}

/* Pop on an empty calendar returns -1 and leaves *out untouched. */
static void test_empty(void)
{
	cal c;
	cal_event e = {42.0, 7, 8, 9};
	CHECK_INT(cal_init(&c, 8), 0);
	CHECK_INT(cal_pop(&c, &e), -1);
	CHECK(e.t == 42.0 && e.seq == 7 && e.kind == 8 && e.arg == 9);
	cal_push(&c, 1.0, 0, 0);
	CHECK_INT(cal_pop(&c, &e), 0);
	CHECK_INT(cal_pop(&c, &e), -1);
	CHECK_INT(cal_len(&c), 0);
	cal_destroy(&c);
}

/* The hold model: N events pending; each step pops the earliest and pushes one at its
 * time plus an increment drawn from a small set that includes 0 (so new events tie with
 * the one just popped and with others). The reference is an unsorted array scanned for
 * the minimum (t, seq). */
static void test_hold(void)
{
	enum { N = 200, STEPS = 50000 };
	static const double incr[] = {0, 0, 1, 2, 0.5, 10};
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	gsl_rng_set(r, 777);
	ref_event ref[N];
	uint64_t seq = 0;
	cal c;
	CHECK_INT(cal_init(&c, 16), 0);
	for (uint32_t i = 0; i < N; i++) {
		double t = (double)gsl_rng_uniform_int(r, 20);
		ref[i] = (ref_event){t, seq++, 0, i};
		cal_push(&c, t, 0, i);
	}
	long bad = 0, first_bad = -1;
	double last_t = -1;
	for (long s = 0; s < STEPS; s++) {
		int m = 0;
		for (int i = 1; i < N; i++)
			if (ref_cmp(&ref[i], &ref[m]) < 0)
				m = i;
		cal_event e;
		if (cal_pop(&c, &e) != 0 || e.t != ref[m].t || e.seq != ref[m].seq || e.arg != ref[m].arg ||
		    e.t < last_t) {
			if (!bad++)
				first_bad = s;
		}
		last_t = e.t;
		uint32_t arg = (uint32_t)(N + s);
		double t = ref[m].t + incr[gsl_rng_uniform_int(r, 6)];
		ref[m] = (ref_event){t, seq++, 1, arg};
		cal_push(&c, t, 1, arg);
	}
	CHECK_INT(bad, 0);
	if (bad)
		fprintf(stderr, "  first mismatch at step %ld\n", first_bad);
	CHECK_INT(cal_len(&c), N);
	CHECK_INT(c.next_seq, N + STEPS);
	cal_destroy(&c);
	gsl_rng_free(r);
}

/* A count that wanders across both thresholds (the array up to CAL_SMALL events, the
 * buckets beyond, back to the array at a few): every pop is the (t, seq) minimum, with
 * ties and pushes at or after the last pop, as a simulation makes them. */
static void test_small_and_buckets(void)
{
	enum { MAXN = 3 * CAL_SMALL, STEPS = 200000 };
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	gsl_rng_set(r, 4242);
	ref_event ref[MAXN];
	int n = 0, target = 0, small_seen = 0, buckets_seen = 0;
	long bad = 0, first_bad = -1;
	uint64_t seq = 0;
	double now = 0;
	cal c;
	CHECK_INT(cal_init(&c, 0), 0);
	for (long s = 0; s < STEPS; s++) {
		if (s % 500 == 0) /* a new level to drift to: empty, a few, about the switch, many */
			target = (int)gsl_rng_uniform_int(r, MAXN + 1);
		int push = n == 0 || (n < MAXN && (n < target ? gsl_rng_uniform(r) < 0.7 : gsl_rng_uniform(r) < 0.3));
		if (push) {
			double t = now + (gsl_rng_uniform_int(r, 3) == 0 ? (double)gsl_rng_uniform_int(r, 3) : 100 * gsl_rng_uniform(r));
			ref[n++] = (ref_event){t, seq++, 2, (uint32_t)s};
			if (cal_push(&c, t, 2, (uint32_t)s) && !bad++)
				first_bad = s;
		} else {
			int m = 0;
			for (int i = 1; i < n; i++)
				if (ref_cmp(&ref[i], &ref[m]) < 0)
					m = i;
			cal_event e;
			const cal_event *top = cal_top(&c);
			if (!top || top->seq != ref[m].seq || cal_pop(&c, &e) || e.t != ref[m].t || e.seq != ref[m].seq ||
			    e.arg != ref[m].arg) {
				if (!bad++)
					first_bad = s;
			}
			now = ref[m].t;
			ref[m] = ref[--n];
		}
		small_seen += c.small && n > 2;
		buckets_seen += !c.small;
	}
	CHECK_INT(bad, 0);
	if (bad)
		fprintf(stderr, "  first mismatch at step %ld\n", first_bad);
	CHECK(small_seen > 1000 && buckets_seen > 1000); /* both ways were exercised */
	CHECK_INT(cal_len(&c), n);
	cal_destroy(&c);
	gsl_rng_free(r);
}

/* cal_top shows the next pop without taking it; NULL when empty. */
static void test_top(void)
{
	cal c;
	CHECK_INT(cal_init(&c, 4), 0);
	CHECK(cal_top(&c) == NULL);
	cal_push(&c, 3.0, 1, 10);
	cal_push(&c, 2.0, 1, 11);
	cal_push(&c, 2.0, 1, 12);
	const cal_event *top = cal_top(&c);
	CHECK(top != NULL && top->t == 2.0 && top->arg == 11 && top->seq == 1);
	CHECK_INT(cal_len(&c), 3);
	cal_event e;
	cal_pop(&c, &e);
	CHECK_INT(e.arg, 11);
	CHECK_INT(cal_top(&c)->arg, 12);
	cal_pop(&c, &e);
	cal_pop(&c, &e);
	CHECK(cal_top(&c) == NULL);
	cal_destroy(&c);
}

/* An event kept outside the heap takes its sequence number with cal_take_seq and is
 * ordered against the heap by cal_before_top: same time, lower sequence first. */
static void test_outside_event(void)
{
	cal c;
	cal_event e;
	CHECK_INT(cal_init(&c, 4), 0);
	CHECK(cal_before_top(&c, 1e300, UINT64_MAX)); /* empty: anything comes first */
	cal_push(&c, 5.0, 0, 0);             /* seq 0 */
	uint64_t mine = cal_take_seq(&c);    /* seq 1 */
	cal_push(&c, 5.0, 0, 2);             /* seq 2 */
	CHECK_INT(mine, 1);
	CHECK_INT(c.next_seq, 3);
	CHECK(!cal_before_top(&c, 5.0, mine)); /* the heap's seq 0 goes first */
	CHECK(cal_before_top(&c, 4.999, mine));
	CHECK(!cal_before_top(&c, 5.001, 0));
	cal_pop(&c, &e);
	CHECK_INT(e.seq, 0);
	CHECK(cal_before_top(&c, 5.0, mine)); /* then mine, before seq 2 */
	CHECK(!cal_before_top(&c, 5.0, 3));
	cal_clear(&c);
	CHECK_INT(cal_take_seq(&c), 0);
	cal_destroy(&c);
}

/* The hold model again, with one of the N pending events kept outside the heap the way
 * the platform keeps its next arrival: each step takes whichever of it and the heap's
 * top comes first by cal_before_top. Must match the reference scan exactly. */
static void test_hold_outside(void)
{
	enum { N = 100, STEPS = 30000 };
	static const double incr[] = {0, 0, 1, 3};
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	gsl_rng_set(r, 4711);
	ref_event ref[N];
	cal c;
	CHECK_INT(cal_init(&c, 8), 0);
	for (uint32_t i = 0; i < N - 1; i++) {
		double t = (double)gsl_rng_uniform_int(r, 10);
		ref[i] = (ref_event){t, c.next_seq, 0, i};
		cal_push(&c, t, 0, i);
	}
	ref_event out = {(double)gsl_rng_uniform_int(r, 10), cal_take_seq(&c), 9, N - 1};
	ref[N - 1] = out;
	long bad = 0, from_outside = 0;
	for (long s = 0; s < STEPS; s++) {
		int m = 0;
		for (int i = 1; i < N; i++)
			if (ref_cmp(&ref[i], &ref[m]) < 0)
				m = i;
		ref_event got;
		if (cal_before_top(&c, out.t, out.seq)) {
			got = out;
			from_outside++;
		} else {
			cal_event e;
			cal_pop(&c, &e);
			got = (ref_event){e.t, e.seq, e.kind, e.arg};
		}
		bad += got.t != ref[m].t || got.seq != ref[m].seq || got.arg != ref[m].arg;
		double t = ref[m].t + incr[gsl_rng_uniform_int(r, 4)];
		uint32_t arg = (uint32_t)(N + s);
		if (got.kind == 9) { /* the outside event is replaced outside */
			out = (ref_event){t, cal_take_seq(&c), 9, arg};
			ref[m] = out;
		} else {
			ref[m] = (ref_event){t, c.next_seq, 1, arg};
			cal_push(&c, t, 1, arg);
		}
	}
	CHECK_INT(bad, 0);
	CHECK(from_outside > STEPS / N / 2); /* the outside path was taken, many times */
	cal_destroy(&c);
	gsl_rng_free(r);
}

/* cal_check after every operation of a random mix: pushes at or after the last pop (some
 * tied, some far ahead), a few far before the rest, pops in runs that cross the array/
 * bucket switch and shrink the buckets, and a clear now and then. */
static void test_check_random(void)
{
	enum { STEPS = 60000 };
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	gsl_rng_set(r, 9090);
	cal c;
	CHECK_INT(cal_init(&c, 0), 0);
	long bad = 0, first_bad = -1, target = 0;
	const char *why = NULL;
	double now = 0;
	for (long s = 0; s < STEPS; s++) {
		if (s % 700 == 0)
			target = (long)gsl_rng_uniform_int(r, 3000);
		double u = gsl_rng_uniform(r);
		if (u < 0.0005) {
			cal_clear(&c);
			now = 0;
		} else if ((long)cal_len(&c) < target ? u < 0.7 : u < 0.3) {
			double t = now;
			if (gsl_rng_uniform_int(r, 4) != 0)
				t += 1e3 * gsl_rng_uniform(r);
			if (gsl_rng_uniform_int(r, 200) == 0) /* far before or far after the rest */
				t = gsl_rng_uniform_int(r, 2) ? now * gsl_rng_uniform(r)
							      : now + 1e9;
			cal_push(&c, t, 0, (uint32_t)s);
		} else {
			cal_event e;
			if (cal_pop(&c, &e) == 0)
				now = e.t;
		}
		const char *w = cal_check(&c);
		if (w && !bad++) {
			first_bad = s;
			why = w;
		}
	}
	CHECK_INT(bad, 0);
	if (bad)
		fprintf(stderr, "  first broken at step %ld: %s\n", first_bad, why);
	cal_destroy(&c);
	gsl_rng_free(r);
}

/* Breaks one thing, expects cal_check to name a broken invariant, then mends it. */
#define EXPECT_CAUGHT(c, what, undo)                                          \
	do {                                                                  \
		what;                                                         \
		const char *w_ = cal_check(c);                                \
		CHECK(w_ != NULL);                                            \
		if (w_)                                                       \
			fprintf(stderr, "  caught %s: %s\n", #what, w_);      \
		undo;                                                         \
		CHECK(cal_check(c) == NULL);                                  \
	} while (0)

/* Corruptions a bug could make, each caught: in the array and in the buckets. */
static void test_check_corrupt(void)
{
	cal c;
	CHECK_INT(cal_init(&c, 0), 0);
	for (uint32_t i = 0; i < 5; i++)
		cal_push(&c, 10.0 + i, 0, i);
	CHECK(c.small && cal_check(&c) == NULL);
	cal_event tmp = c.sv[0];
	EXPECT_CAUGHT(&c, (c.sv[0] = c.sv[4], c.sv[4] = tmp), (c.sv[4] = c.sv[0], c.sv[0] = tmp));
	EXPECT_CAUGHT(&c, c.len--, c.len++);
	EXPECT_CAUGHT(&c, c.min = &c.sv[0], c.min = &c.sv[c.len - 1]);
	EXPECT_CAUGHT(&c, c.next_seq = 2, c.next_seq = 5);

	/* Into the buckets: a spread of times with ties, so buckets hold several events. */
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	gsl_rng_set(r, 31);
	for (uint32_t i = 0; i < 2000; i++)
		cal_push(&c, (double)gsl_rng_uniform_int(r, 500), 0, i);
	gsl_rng_free(r);
	CHECK(!c.small && cal_check(&c) == NULL);
	/* A bucket with two events or more: swap its first two. */
	uint64_t k = 0;
	while (k < c.nb && (c.bucket[k].head == UINT32_MAX || c.bucket[k].head == c.bucket[k].tail))
		k++;
	CHECK(k < c.nb);
	if (k == c.nb)
		return;
	struct cal_node *nd = c.ev;
	uint32_t a = c.bucket[k].head, b = nd[a].next;
	cal_event ea = nd[a].e;
	EXPECT_CAUGHT(&c, (nd[a].e = nd[b].e, nd[b].e = ea), (nd[b].e = nd[a].e, nd[a].e = ea));
	EXPECT_CAUGHT(&c, c.len++, c.len--);
	EXPECT_CAUGHT(&c, c.len--, c.len++);
	EXPECT_CAUGHT(&c, c.cur++, c.cur--);
	uint64_t lo = c.next_lo;
	EXPECT_CAUGHT(&c, c.next_lo = UINT64_MAX, c.next_lo = lo);
	EXPECT_CAUGHT(&c, c.grow_above++, c.grow_above--);
	EXPECT_CAUGHT(&c, c.shrink_below++, c.shrink_below--);
	/* min on the bucket's second event: no longer the earliest. */
	const cal_event *min = c.min;
	uint32_t m = (uint32_t)((const struct cal_node *)min - nd);
	EXPECT_CAUGHT(&c, c.min = &nd[nd[m].next != UINT32_MAX ? nd[m].next : a].e, c.min = min);
	/* A free node linked into a bucket: the free list and the buckets overlap. */
	uint32_t f = c.free, fnext = nd[f].next;
	EXPECT_CAUGHT(&c, nd[f].next = a, nd[f].next = fnext);
	/* A bucket's tail moved off its last node. */
	uint32_t tail = c.bucket[k].tail;
	EXPECT_CAUGHT(&c, c.bucket[k].tail = a, c.bucket[k].tail = tail);
	/* An event moved to a time of another bucket. */
	double t = nd[b].e.t;
	EXPECT_CAUGHT(&c, nd[b].e.t = t + c.w, nd[b].e.t = t);
	/* A free node dropped from the free list: the pool leaks. */
	EXPECT_CAUGHT(&c, c.free = fnext, c.free = f);
	cal_destroy(&c);
}

/* In a debug build (FGSIM_DEBUG) an FG_ASSERT in the calendar stops the program with
 * SIGABRT: a child pushes onto an array that claims more than CAL_SMALL events. In a
 * release build the assertions compile out, and there is nothing to see. */
static void test_assert_fires(void)
{
	if (!FG_DEBUG) {
		fprintf(stderr, "  release build: FG_ASSERT compiled out, not tested\n");
		return;
	}
	fflush(stderr);
	pid_t pid = fork();
	if (pid == 0) {
		cal c;
		if (cal_init(&c, 0))
			_exit(3);
		c.len = CAL_SMALL + 1; /* an array fuller than it can be */
		freopen("/dev/null", "w", stderr);
		cal_push(&c, 1.0, 0, 0);
		_exit(0); /* the assertion did not fire */
	}
	int status = 0;
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
}

int main(void)
{
	test_sorted_with_ties();
	test_all_equal();
	test_growth();
	test_clear();
	test_empty();
	test_hold();
	test_small_and_buckets();
	test_top();
	test_outside_event();
	test_hold_outside();
	test_check_random();
	test_check_corrupt();
	test_assert_fires();
	return test_report("test_calendar");
}
