/* calendar.h - the event calendar: the engine's set of pending events, a calendar queue
 * (Brown 1988) of small plain events, or while there are few of them a sorted array. Events at the same time fire in the order they were
 * pushed (ties broken by a sequence number, as libuv's timers do), so a run never depends
 * on the calendar's layout or its bucket width. */
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

struct cal_node;
struct cal_bucket;

/* Up to CAL_SMALL events sit in one array sorted latest first, beyond that in a calendar
 * queue (calendar.c says why and how). */
#define CAL_SMALL 16

/* A calendar queue: the events live in a pool of nodes linked into nb buckets (calendar.c
 * says how); min points at the earliest, so cal_top and cal_before_top need no search. */
typedef struct cal {
	const cal_event *min;            /* the earliest event, when len > 0 */
	size_t len, cap;                 /* events held; events it holds before the pool grows */
	uint64_t next_seq;
	int small;                       /* the events are in sv[0..len), not in the buckets */
	cal_event sv[CAL_SMALL];         /* small: sorted by (t, seq), the latest first */
	struct cal_node *ev;             /* the event pool: cap nodes, each in a bucket or free */
	struct cal_bucket *bucket;       /* nb lists sorted by (t, seq) */
	uint32_t free;                   /* first node of the free list */
	uint64_t nb;                     /* bucket count, a power of two */
	double w, inv_w;                 /* bucket width in seconds, and its inverse */
	uint64_t cur;                    /* the earliest event's virtual bucket */
	uint64_t next_lo;                /* no other event's virtual bucket lies below this */
	size_t grow_above, shrink_below; /* event counts that double or halve nb */
	uint64_t ops, cost, ops_window;  /* pops and extra steps in this window: the width check */
} cal;

/* Initialises an empty calendar in memory the caller owns, room for cap events before it
 * grows (0: a default). Returns 0, -1 on no memory (cal_destroy is then still safe). */
int cal_init(cal *c, size_t cap);
void cal_destroy(cal *c);
/* Empties the calendar and restarts the sequence numbers (new replication). */
void cal_clear(cal *c);
/* Schedules an event at time t >= 0 (-0.0 is stored as +0.0). Returns 0; -1 if the
 * calendar cannot grow or t is negative or NaN (nothing is scheduled then). */
int cal_push(cal *c, double t, uint32_t kind, uint32_t arg);
/* Removes the earliest event into *out. Returns 0, -1 when empty. */
int cal_pop(cal *c, cal_event *out);
/* Walks the whole calendar (check.h): NULL when every invariant holds, else the first
 * broken one as text. O(events + buckets): for tests and the periodic debug check. */
const char *cal_check(const cal *c);

static inline size_t cal_len(const cal *c) { return c->len; }
/* The earliest event, left in place; NULL when empty. */
static inline const cal_event *cal_top(const cal *c) { return c->len ? c->min : NULL; }
/* A sequence number for an event the caller keeps outside the calendar (a model's single
 * pending arrival, say), so it still fires in insertion order against calendar events. */
static inline uint64_t cal_take_seq(cal *c) { return c->next_seq++; }
/* Does the event (t, seq) come before the calendar's earliest one? */
static inline int cal_before_top(const cal *c, double t, uint64_t seq)
{
	return c->len == 0 || t < c->min->t || (t == c->min->t && seq < c->min->seq);
}
#endif
