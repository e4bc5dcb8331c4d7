/* jobs.h - the jobs in the system: a table of slots reused through a free list, so
 * memory follows the jobs present, not the jobs simulated, plus intrusive FIFO lists
 * (links stored in the jobs) that queue policies and the platform build on. Jobs are
 * named by index. */
#ifndef FGSIM_JOBS_H
#define FGSIM_JOBS_H
#include <stdint.h>

#include "check.h"

#define JOB_NONE UINT32_MAX

/* JOB_HELD: waiting, but set aside from the policy because its tenant is at its quota. */
typedef enum { JOB_FREE, JOB_WAITING, JOB_RUNNING, JOB_HELD } job_state;

/* What a policy alone reads about a job (a sort key, a place in its heap) is the
 * policy's, kept beside it by job index (policy_common.h), not here. */
typedef struct job {
	uint64_t id;          /* arrival order within the replication */
	double arrival, service, start;
	double left;          /* service still to do when it (re)starts */
	double first_start;   /* its wait ends here, whatever preemption does later */
	double queued_since;  /* arrival, or the moment it was preempted */
	double deadline;      /* when it abandons the queue; INFINITY if never */
	double bill_rate;     /* money per second while running, fixed at start */
	double estimate;      /* the runtime its user announced (service x estimate factor) */
	double steps, z;      /* a profile job's steps and jitter draw, fixed at arrival */
	uint32_t tenant;
	/* One job_list at a time holds a job, so one pair of links serves them all: while
	 * WAITING, the built-in policy's FIFO (a priority level, a tenant's queue; sjf and
	 * aging keep a heap of their own); while HELD, its tenant's held list (quota.c);
	 * while RUNNING a whole-GPU job of a scenario that preempts, its class's list of
	 * evictable jobs (preempt.c); while FREE, next alone links the table's free list. */
	uint32_t prev, next;
	uint32_t gen;         /* bumped on reuse and at each start: stale events are ignored */
	uint32_t runs;        /* starts so far (more than one after preemption) */
	int32_t node;         /* node index within its pool while running; -1 for a gang */
	int *gang;            /* a gang's nodes while running (malloc'd), else NULL */
	int gpus_milli;
	/* Set only in a run with CPU and memory (pf_flags.multi; cluster.h's cl_need):
	 * thousandths of a core, MiB, and the pools it may use (a bit per pool) */
	uint32_t cpu_milli, memory_mib, pools;
	uint16_t cls;
	int16_t priority;     /* its class's priority */
	uint8_t pool, state;
	int8_t gpu;           /* for a fraction of a GPU: which GPU of its node, else -1 */
	uint8_t counted;      /* arrived after warm-up: its statistics count */
	uint8_t window;       /* 1 + the promotion it arrived during, 0 if none */
	uint8_t resumed;      /* its run begins by reloading a checkpoint (failures.c; in padding) */
	/* estimate = "history": the estimate its user announced over its service, which
	 * kill_at_estimate goes by, while sjf and backfill use the prediction (in padding) */
	float asked;
} job;

typedef struct job_table {
	job *j;
	uint32_t cap, used, free_head;
} job_table;

int jobs_init(job_table *t, uint32_t cap);
void jobs_destroy(job_table *t);
void jobs_clear(job_table *t);
/* A free slot (state WAITING, gen bumped), or JOB_NONE if the table cannot grow. */
uint32_t jobs_alloc(job_table *t);
void jobs_release(job_table *t, uint32_t i);

/* A FIFO of jobs linked through job.prev/next: O(1) push, pop and removal. */
typedef struct job_list {
	uint32_t head, tail, len;
} job_list;

static inline void jlist_init(job_list *l) { l->head = l->tail = JOB_NONE; l->len = 0; }

static inline void jlist_push(job_list *l, job *J, uint32_t i)
{
	FG_ASSERT(i != JOB_NONE && i != l->tail);
	J[i].next = JOB_NONE;
	J[i].prev = l->tail;
	if (l->tail != JOB_NONE)
		J[l->tail].next = i;
	else
		l->head = i;
	l->tail = i;
	l->len++;
}

static inline void jlist_push_front(job_list *l, job *J, uint32_t i)
{
	FG_ASSERT(i != JOB_NONE && i != l->head);
	J[i].prev = JOB_NONE;
	J[i].next = l->head;
	if (l->head != JOB_NONE)
		J[l->head].prev = i;
	else
		l->tail = i;
	l->head = i;
	l->len++;
}

static inline void jlist_remove(job_list *l, job *J, uint32_t i)
{
	/* i is on this list: a job without a predecessor heads it, one without a
	 * successor ends it */
	FG_ASSERT(l->len > 0 && (J[i].prev != JOB_NONE || l->head == i));
	FG_ASSERT(J[i].next != JOB_NONE || l->tail == i);
	if (J[i].prev != JOB_NONE)
		J[J[i].prev].next = J[i].next;
	else
		l->head = J[i].next;
	if (J[i].next != JOB_NONE)
		J[J[i].next].prev = J[i].prev;
	else
		l->tail = J[i].prev;
	l->len--;
}
#endif
