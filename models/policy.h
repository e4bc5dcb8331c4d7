/* policy.h - queue policies: each one is a table of operations on the waiting jobs
 * (GSL's gsl_rng_type shape), found by kind in a registry; adding a policy is one file
 * and one registry line. The platform asks the policy which job should start next
 * and places it; a policy never places jobs itself. */
#ifndef FGSIM_POLICY_H
#define FGSIM_POLICY_H
#include "jobs.h"
#include "scenario.h"

typedef struct policy policy;

typedef struct policy_ops {
	const char *name;
	/* Prepares an empty queue. Returns 0, -1 on no memory. */
	int (*init)(policy *p, const policy_spec *spec, const scenario *sc);
	/* A job starts waiting. Returns 0, -1 on no memory. */
	int (*push)(policy *p, job *J, uint32_t i);
	/* The job to start next, or JOB_NONE. */
	uint32_t (*head)(const policy *p, const job *J);
	/* It left the queue: started (started = 1) or abandoned (0). */
	void (*remove)(policy *p, job *J, uint32_t i, int started);
	/* A preempted job comes back ahead of the jobs that waited behind it; NULL for a
	 * policy that never preempts. Returns 0, -1 on no memory. */
	int (*requeue)(policy *p, job *J, uint32_t i);
	int preempts; /* may evict running jobs of lower priority */
} policy_ops;

/* The waiting jobs, in whichever structure the policy keeps them. */
struct policy {
	const policy_ops *ops;
	uint32_t len;
	/* fcfs, priority: FIFO lists by level (0 first) */
	uint32_t nonempty;                 /* bit l set: level l has jobs */
	uint8_t level_of[SC_MAX_CLASSES];  /* class -> level */
	job_list level[SC_MAX_CLASSES];
	/* sjf, aging: a binary min-heap of job indices by (job.key, job.id) */
	uint32_t *heap;
	uint32_t heap_cap;
	double aging_step;                 /* seconds of waiting worth one priority level */
	/* fair-share: a FIFO per tenant, and a min-heap of tenants with queued work by pass */
	job_list *tenant_queue;
	double *tenant_pass;
	uint32_t *tenant_heap, *tenant_pos, ntenants, active;
	double pass_now;                   /* the pass of the last tenant served */
	double *tenant_stride;             /* 1 / weight per tenant; NULL: every weight is 1 */
};

/* The operations of a policy kind. */
const policy_ops *policy_lookup(policy_kind kind);
/* An empty queue for the policy spec describes, in p from scratch (policy_destroy an
 * initialised one first). Returns 0, -1 on no memory. */
int policy_init(policy *p, const policy_spec *spec, const scenario *sc);
/* Frees what policy_init allocated; the policy may be initialised again. */
void policy_destroy(policy *p);

/* Shared by the policies (policy_*.c), not by the platform. */
int policy_heap_push(policy *p, job *J, uint32_t i);
void policy_heap_remove(policy *p, job *J, uint32_t i, int started);
#endif
