/* calendar.c - 4-ary min-heap keyed by (time, sequence). A 4-ary heap is shallower than
 * a binary one and its four children share a cache line pair; see
 * tests/bench/bench_calendar.md for the measurement that chose it. */
#include "calendar.h"

#include <stdlib.h>

#define ARITY 4

static inline int before(const cal_event *a, const cal_event *b)
{
	return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

int cal_init(cal *c, size_t cap)
{
	c->len = 0;
	c->next_seq = 0;
	c->cap = cap ? cap : 16;
	c->ev = malloc(c->cap * sizeof *c->ev);
	return c->ev ? 0 : -1;
}

void cal_destroy(cal *c)
{
	free(c->ev);
	c->ev = NULL;
	c->len = c->cap = 0;
}

void cal_clear(cal *c)
{
	c->len = 0;
	c->next_seq = 0;
}

int cal_push(cal *c, double t, uint32_t kind, uint32_t arg)
{
	if (c->len == c->cap) {
		cal_event *grown = realloc(c->ev, 2 * c->cap * sizeof *grown);
		if (!grown)
			return -1;
		c->ev = grown;
		c->cap *= 2;
	}
	cal_event e = {t, c->next_seq++, kind, arg};
	size_t i = c->len++;
	while (i > 0) {
		size_t parent = (i - 1) / ARITY;
		if (!before(&e, &c->ev[parent]))
			break;
		c->ev[i] = c->ev[parent];
		i = parent;
	}
	c->ev[i] = e;
	return 0;
}

int cal_pop(cal *c, cal_event *out)
{
	if (c->len == 0)
		return -1;
	*out = c->ev[0];
	cal_event last = c->ev[--c->len];
	size_t n = c->len, i = 0;
	for (;;) {
		size_t first = ARITY * i + 1;
		if (first >= n)
			break;
		size_t best = first, end = first + ARITY < n ? first + ARITY : n;
		for (size_t k = first + 1; k < end; k++)
			if (before(&c->ev[k], &c->ev[best]))
				best = k;
		if (!before(&c->ev[best], &last))
			break;
		c->ev[i] = c->ev[best];
		i = best;
	}
	if (n > 0)
		c->ev[i] = last;
	return 0;
}
