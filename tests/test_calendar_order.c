/* test_calendar_order.c - the event calendar in lockstep with a reference binary heap:
 * after every push and pop, the calendar must agree with the reference on the popped
 * event (t, seq, kind, arg), on cal_len, cal_top and cal_before_top. The runs mix exact
 * ties, times far ahead and just ahead, pushes before the current earliest event, sizes
 * that swing by 10x and back, event mixes that change mid-run, cal_clear, growth from a
 * capacity of 1, and the times the calendar must refuse (negative, NaN). */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdlib.h>

#include "calendar.h"
#include "test.h"

/* ---- the reference: a plain binary heap ordered by (t, seq), double compares ---------- */

typedef struct ref {
	cal_event *a;
	size_t n, cap;
	uint64_t seq;
} ref;

static int ref_before(const cal_event *x, const cal_event *y)
{
	return x->t < y->t || (x->t == y->t && x->seq < y->seq);
}

static void ref_push(ref *r, double t, uint32_t kind, uint32_t arg)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 64;
		r->a = realloc(r->a, r->cap * sizeof *r->a);
	}
	size_t i = r->n++;
	r->a[i] = (cal_event){t, r->seq++, kind, arg};
	while (i > 0 && ref_before(&r->a[i], &r->a[(i - 1) / 2])) {
		cal_event tmp = r->a[i];
		r->a[i] = r->a[(i - 1) / 2];
		r->a[(i - 1) / 2] = tmp;
		i = (i - 1) / 2;
	}
}

static cal_event ref_pop(ref *r)
{
	cal_event top = r->a[0];
	r->a[0] = r->a[--r->n];
	for (size_t i = 0;;) {
		size_t m = i, l = 2 * i + 1;
		if (l < r->n && ref_before(&r->a[l], &r->a[m]))
			m = l;
		if (l + 1 < r->n && ref_before(&r->a[l + 1], &r->a[m]))
			m = l + 1;
		if (m == i)
			break;
		cal_event tmp = r->a[i];
		r->a[i] = r->a[m];
		r->a[m] = tmp;
		i = m;
	}
	return top;
}

/* ---- lockstep ---------------------------------------------------------------------------- */

/* A calendar and its reference, with the first disagreement remembered so a broken
 * calendar prints one line, not a million. */
typedef struct lockstep {
	cal c;
	ref r;
	const char *what;
	long ops, bad, pops;
	double last_t;
	uint64_t last_seq;
} lockstep;

static void ls_fail(lockstep *s, const char *msg, const cal_event *want, const cal_event *got)
{
	if (s->bad++ == 0)
		fprintf(stderr, "  %s: op %ld: %s: want (t %.17g, seq %llu, kind %u, arg %u), got (t %.17g, seq %llu, kind %u, arg %u)\n",
			s->what, s->ops, msg, want->t, (unsigned long long)want->seq, want->kind, want->arg, got->t,
			(unsigned long long)got->seq, got->kind, got->arg);
}

/* Compares everything the API shows without changing it. */
static void ls_check_top(lockstep *s)
{
	static const cal_event none = {-1, 0, 0, 0};
	if (cal_len(&s->c) != s->r.n) {
		cal_event want = {(double)s->r.n, 0, 0, 0}, got = {(double)cal_len(&s->c), 0, 0, 0};
		ls_fail(s, "cal_len (in t)", &want, &got);
		return;
	}
	const cal_event *top = cal_top(&s->c);
	if (s->r.n == 0) {
		if (top)
			ls_fail(s, "cal_top of an empty calendar", &none, top);
		if (!cal_before_top(&s->c, 0, 0))
			ls_fail(s, "cal_before_top of an empty calendar", &none, &none);
		return;
	}
	const cal_event *want = &s->r.a[0];
	if (!top) {
		ls_fail(s, "cal_top is NULL", want, &none);
		return;
	}
	if (top->t != want->t || top->seq != want->seq || top->kind != want->kind || top->arg != want->arg)
		ls_fail(s, "cal_top", want, top);
	/* An outside event just before, at, and just after the earliest one. */
	if (want->seq > 0 && !cal_before_top(&s->c, want->t, want->seq - 1))
		ls_fail(s, "cal_before_top (same t, smaller seq)", want, top);
	if (cal_before_top(&s->c, want->t, want->seq) || cal_before_top(&s->c, want->t, want->seq + 1))
		ls_fail(s, "cal_before_top (same t, same or larger seq)", want, top);
	if (want->t > 0 && isfinite(want->t) && !cal_before_top(&s->c, want->t / 2, UINT64_MAX))
		ls_fail(s, "cal_before_top (earlier t)", want, top);
	if (!cal_before_top(&s->c, nextafter(want->t, 0), UINT64_MAX) && want->t > 0)
		ls_fail(s, "cal_before_top (the double just below t)", want, top);
	if (want->t < INFINITY && cal_before_top(&s->c, nextafter(want->t, INFINITY), 0))
		ls_fail(s, "cal_before_top (the double just above t)", want, top);
}

static void ls_push(lockstep *s, double t, uint32_t kind, uint32_t arg)
{
	s->ops++;
	int rc = cal_push(&s->c, t, kind, arg);
	if (rc != 0) {
		cal_event want = {t, s->r.seq, kind, arg}, got = {rc, 0, 0, 0};
		ls_fail(s, "cal_push failed (rc in t)", &want, &got);
		return;
	}
	ref_push(&s->r, t + 0.0, kind, arg); /* the calendar stores -0.0 as +0.0 */
	ls_check_top(s);
}

static void ls_pop(lockstep *s)
{
	s->ops++;
	cal_event got = {-7, 7, 7, 7};
	int rc = cal_pop(&s->c, &got);
	if (s->r.n == 0) {
		static const cal_event untouched = {-7, 7, 7, 7};
		if (rc != -1 || got.t != -7 || got.seq != 7)
			ls_fail(s, "pop of an empty calendar must return -1 and leave *out", &untouched, &got);
		return;
	}
	cal_event want = ref_pop(&s->r);
	if (rc != 0 || got.t != want.t || got.seq != want.seq || got.kind != want.kind || got.arg != want.arg ||
	    signbit(got.t))
		ls_fail(s, "cal_pop", &want, &got);
	s->pops++;
	ls_check_top(s);
}

static void ls_begin(lockstep *s, const char *what, size_t cap)
{
	memset(s, 0, sizeof *s);
	s->what = what;
	CHECK_INT(cal_init(&s->c, cap), 0);
}

/* Drains both, then reports. */
static void ls_end(lockstep *s)
{
	while (s->r.n > 0 && s->bad == 0)
		ls_pop(s);
	ls_pop(s); /* empty */
	CHECK_INT(cal_len(&s->c), 0);
	if (s->bad)
		fprintf(stderr, "  %s: %ld of %ld operations disagreed\n", s->what, s->bad, s->ops);
	CHECK_INT(s->bad, 0);
	cal_destroy(&s->c);
	free(s->r.a);
}

/* ---- the event mixes ------------------------------------------------------------------- */

enum { MIX_EXP, MIX_SHORT_LONG, MIX_GRID, MIX_TINY, MIX_HEAVY, MIX_ZERO, MIX_FAR, NMIX };

/* An increment over the current time: exponential; 9 short to 1 a thousand times longer;
 * a two-point grid (exact ties by the thousand); 1e-9 scale; a heavy tail up to 1e6
 * times the usual; zero (ties with the event just popped); and far ahead of everything. */
static double increment(gsl_rng *g, int mix)
{
	switch (mix) {
	case MIX_EXP: return gsl_ran_exponential(g, 1.0);
	case MIX_SHORT_LONG: return gsl_ran_exponential(g, gsl_rng_uniform(g) < 0.9 ? 1.0 : 1000.0);
	case MIX_GRID: return gsl_rng_uniform(g) < 0.5 ? 1.0 : 10.0;
	case MIX_TINY: return 1e-9 * (double)gsl_rng_uniform_int(g, 4);
	case MIX_HEAVY: return gsl_rng_uniform(g) < 0.99 ? gsl_ran_exponential(g, 1.0) : gsl_ran_exponential(g, 1e6);
	case MIX_ZERO: return gsl_rng_uniform(g) < 0.8 ? 0.0 : 1.0;
	default: return 1e12 * (1 + gsl_rng_uniform(g));
	}
}

/* Hold-model phases (pop one, push one or two or none) whose size swings between lo and
 * 10 lo and whose mix changes each phase; one push in 50 goes before the current
 * earliest event, which the API allows even though a simulation never does it. */
static void run_swings(const char *what, size_t lo, int phases, unsigned long seed)
{
	gsl_rng *g = gsl_rng_alloc(gsl_rng_taus2);
	gsl_rng_set(g, seed);
	lockstep s;
	ls_begin(&s, what, 1);
	double now = 0;
	uint32_t arg = 0;
	for (size_t i = 0; i < lo; i++)
		ls_push(&s, increment(g, MIX_EXP), 0, arg++);
	for (int ph = 0; ph < phases && s.bad == 0; ph++) {
		int mix = (int)gsl_rng_uniform_int(g, NMIX);
		size_t target = ph % 2 == 0 ? 10 * lo : lo, steps = 20 * lo + 200;
		for (size_t k = 0; k < steps && s.bad == 0; k++) {
			size_t n = cal_len(&s.c);
			int pushes = n < target ? 2 : n > target ? 0 : 1;
			if (n > 0) {
				now = cal_top(&s.c)->t;
				ls_pop(&s);
			}
			for (int p = 0; p < pushes; p++) {
				double t = gsl_rng_uniform_int(g, 50) == 0 ? now * gsl_rng_uniform(g) : now + increment(g, mix);
				ls_push(&s, t, (uint32_t)mix, arg++);
			}
		}
	}
	CHECK(s.pops > 0);
	ls_end(&s);
	gsl_rng_free(g);
}

/* Random pushes and pops, no hold structure: times from a few exact values (most events
 * tie with thousands of others) or continuous, pops between 0 and 2 per push so the size
 * wanders; cal_clear three times along the way, after which the reference restarts too
 * (sequence numbers restart at 0). */
static void run_random(void)
{
	static const double few[] = {0, 1, 2.5, 3, 1e-9, 60, 3600, 1e6};
	gsl_rng *g = gsl_rng_alloc(gsl_rng_taus2);
	gsl_rng_set(g, 4242);
	lockstep s;
	ls_begin(&s, "random with ties and clears", 0);
	uint32_t arg = 0;
	for (int round = 0; round < 4 && s.bad == 0; round++) {
		double pop_p = 0.2 + 0.2 * round; /* grows at first, then hovers */
		for (int k = 0; k < 60000 && s.bad == 0; k++) {
			if (gsl_rng_uniform(g) < pop_p)
				ls_pop(&s);
			double t = gsl_rng_uniform_int(g, 4) == 0 ? 1e6 * gsl_rng_uniform(g) : few[gsl_rng_uniform_int(g, 8)];
			ls_push(&s, t, (uint32_t)gsl_rng_uniform_int(g, 5), arg++);
			if (gsl_rng_uniform(g) < pop_p)
				ls_pop(&s);
		}
		if (round < 3) {
			cal_clear(&s.c);
			s.r.n = 0;
			s.r.seq = 0;
			ls_check_top(&s);
			CHECK_INT(cal_len(&s.c), 0);
		}
	}
	ls_end(&s);
	gsl_rng_free(g);
}

/* Sequence numbers taken for outside events (a model's pending arrival) leave gaps that
 * the calendar's own events must skip, and cal_before_top must order an outside event
 * against them: model the simulator's loop with one outside event, firing whichever comes
 * first, and compare the order of firing with the reference holding both. */
static void run_outside_event(void)
{
	gsl_rng *g = gsl_rng_alloc(gsl_rng_taus2);
	gsl_rng_set(g, 99);
	cal c;
	ref r = {0};
	CHECK_INT(cal_init(&c, 4), 0);
	double now = 0, out_t = 0;
	uint64_t out_seq = cal_take_seq(&c);
	ref_push(&r, out_t, 1000, 0);
	long bad = 0;
	for (int k = 0; k < 100000; k++) {
		cal_event want = ref_pop(&r), got;
		if (cal_before_top(&c, out_t, out_seq)) {
			got = (cal_event){out_t, out_seq, 1000, 0};
			/* the next outside event: on a grid, so it ties with calendar events */
			out_t = now + (double)gsl_rng_uniform_int(g, 3);
			out_seq = cal_take_seq(&c);
			ref_push(&r, out_t, 1000, 0);
		} else {
			cal_pop(&c, &got);
		}
		bad += got.t != want.t || got.seq != want.seq || got.kind != want.kind;
		now = got.t;
		for (int p = (int)gsl_rng_uniform_int(g, 3); p > 0; p--) {
			double t = now + (double)gsl_rng_uniform_int(g, 4);
			uint32_t kind = (uint32_t)gsl_rng_uniform_int(g, 9);
			cal_push(&c, t, kind, (uint32_t)k);
			ref_push(&r, t, kind, (uint32_t)k);
		}
		if (r.n > 2000) /* keep it bounded: drop the calendar's share */
			break;
	}
	CHECK_INT(bad, 0);
	cal_destroy(&c);
	free(r.a);
	gsl_rng_free(g);
}

/* Times the calendar must order (0, -0.0, the smallest subnormal, huge, INFINITY) and
 * times it must refuse (negative, NaN) without using a sequence number. */
static void test_edges(void)
{
	lockstep s;
	ls_begin(&s, "edge times", 2);
	double odd[] = {INFINITY, 1e300, 0.0, -0.0, 4.9e-324, 1e-300, 1.0, 1e18, 1e300, INFINITY, -0.0, 0.0};
	for (int round = 0; round < 3; round++)
		for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++)
			ls_push(&s, odd[i], (uint32_t)round, (uint32_t)i);
	uint64_t seq = cal_take_seq(&s.c);
	s.r.seq++;
	CHECK_INT(cal_push(&s.c, -1.0, 0, 0), -1);
	CHECK_INT(cal_push(&s.c, -1e-300, 0, 0), -1);
	CHECK_INT(cal_push(&s.c, NAN, 0, 0), -1);
	CHECK_INT(cal_push(&s.c, -INFINITY, 0, 0), -1);
	CHECK_INT(cal_len(&s.c), s.r.n);
	CHECK_INT(cal_take_seq(&s.c), seq + 1); /* refused pushes take no sequence number */
	s.r.seq++;
	/* many events at INFINITY and at one huge time: they order by seq alone */
	for (uint32_t i = 0; i < 3000; i++)
		ls_push(&s, i % 2 ? INFINITY : 1e300, 9, i);
	for (int i = 0; i < 20; i++)
		ls_pop(&s);
	ls_end(&s);
}

/* One exact time for everything, far more events than buckets, pushed while popping:
 * pure tie-breaking through every resize. */
static void test_one_time(void)
{
	lockstep s;
	ls_begin(&s, "all at one time", 1);
	for (uint32_t i = 0; i < 20000; i++) {
		ls_push(&s, 5.0, 1, i);
		if (i % 3 == 2)
			ls_pop(&s);
	}
	ls_end(&s);
}

/* The calendar empties completely and refills many times, with the refill at times
 * before and after where it stopped. */
static void test_empty_refill(void)
{
	gsl_rng *g = gsl_rng_alloc(gsl_rng_taus2);
	gsl_rng_set(g, 7);
	lockstep s;
	ls_begin(&s, "empty and refill", 0);
	double base = 1000;
	for (int round = 0; round < 300 && s.bad == 0; round++) {
		size_t n = 1 + gsl_rng_uniform_int(g, round % 10 == 0 ? 3000 : 40);
		for (size_t i = 0; i < n; i++)
			ls_push(&s, base + gsl_ran_exponential(g, 10), 2, (uint32_t)i);
		while (cal_len(&s.c) > 0 && s.bad == 0)
			ls_pop(&s);
		ls_pop(&s); /* on empty */
		base = gsl_rng_uniform(g) < 0.5 ? base / 2 : base * 3;
	}
	ls_end(&s);
	gsl_rng_free(g);
}

int main(void)
{
	run_swings("swings 3 <-> 30", 3, 40, 1);
	run_swings("swings 100 <-> 1000", 100, 24, 2);
	run_swings("swings 2000 <-> 20000", 2000, 6, 3);
	run_random();
	run_outside_event();
	test_edges();
	test_one_time();
	test_empty_refill();
	return test_report("test_calendar_order");
}
