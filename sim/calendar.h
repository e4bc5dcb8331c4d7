/* calendar.h - the event calendar: a 4-ary min-heap of small plain events in one array.
 * Events at the same time fire in the order they were pushed (ties broken by a sequence
 * number, as libuv's timers do), so a run never depends on heap layout. */
#ifndef FGSIM_CALENDAR_H
#define FGSIM_CALENDAR_H
#include <stddef.h>
#include <stdint.h>

typedef struct cal_event {
	double t;      /* simulated time, seconds */
	uint64_t seq;  /* insertion order: the tie-breaker */
	uint32_t kind; /* what happens: the model's own event codes */
	uint32_t arg;  /* which job/node/...: an index into the model's tables */
} cal_event;

typedef struct cal {
	cal_event *ev;
	size_t len, cap;
	uint64_t next_seq;
} cal;

/* Initialises an empty calendar in memory the caller owns. Returns 0, -1 on no memory. */
int cal_init(cal *c, size_t cap);
void cal_destroy(cal *c);
/* Empties the calendar and restarts the sequence numbers (new replication). */
void cal_clear(cal *c);
/* Schedules an event. Returns 0, -1 if the calendar cannot grow. */
int cal_push(cal *c, double t, uint32_t kind, uint32_t arg);
/* Removes the earliest event into *out. Returns 0, -1 when empty. */
int cal_pop(cal *c, cal_event *out);

static inline size_t cal_len(const cal *c) { return c->len; }
/* The earliest event, left in place; NULL when empty. */
static inline const cal_event *cal_top(const cal *c) { return c->len ? &c->ev[0] : NULL; }
/* A sequence number for an event the caller keeps outside the heap (a model's single
 * pending arrival, say), so it still fires in insertion order against heap events. */
static inline uint64_t cal_take_seq(cal *c) { return c->next_seq++; }
/* Does the event (t, seq) come before the heap's earliest one? */
static inline int cal_before_top(const cal *c, double t, uint64_t seq)
{
	return c->len == 0 || t < c->ev[0].t || (t == c->ev[0].t && seq < c->ev[0].seq);
}
#endif
